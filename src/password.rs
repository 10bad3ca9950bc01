//! The password a user typed, kept in memory that is wiped on drop.

use std::fmt;

use zeroize::Zeroizing;

/// A candidate password as raw bytes, zeroized when dropped.
///
/// The bytes are used exactly as given: no trimming, no Unicode normalisation, and a NUL byte
/// never ends the password. `Debug` prints neither the bytes nor their length.
#[derive(Clone)]
pub struct Password(Zeroizing<Vec<u8>>);

impl Password {
    /// Wraps the password bytes, taking ownership so that no copy is left behind.
    pub fn new(bytes: Vec<u8>) -> Self {
        Password(Zeroizing::new(bytes))
    }

    /// Returns the password bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Returns the password length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns true for the empty password.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for Password {
    fn from(bytes: Vec<u8>) -> Self {
        Password::new(bytes)
    }
}

impl From<String> for Password {
    fn from(text: String) -> Self {
        Password::new(text.into_bytes())
    }
}

impl From<&str> for Password {
    fn from(text: &str) -> Self {
        Password::new(text.as_bytes().to_vec())
    }
}

impl From<&[u8]> for Password {
    fn from(bytes: &[u8]) -> Self {
        Password::new(bytes.to_vec())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_password() {
        let password = Password::from("hunter2-secret");
        let printed = format!("{password:?}");
        assert!(!printed.contains("hunter2"));
        assert_eq!(printed, "Password(<redacted>)");
    }

    #[test]
    fn nul_byte_kept() {
        let password = Password::from(&b"ab\0cd"[..]);
        assert_eq!(password.as_bytes(), b"ab\0cd");
        assert_eq!(password.len(), 5);
    }
}
