//! `$pwm-latin1$<stored hash>` and `$pwm-utf16le$<stored hash>`: a stored hash made from the
//! password's bytes in another character encoding than UTF-8.
//!
//! Sources written in PHP 4, old Java or Node.js with the `binary` encoding hashed ISO-8859-1
//! bytes; ASP.NET and Node.js's `utf16le`/`ucs2` hashed UTF-16 little-endian code units. The
//! typed password arrives as UTF-8, so verifying re-encodes it, then checks the inner hash. A
//! password that is not UTF-8, or that contains a character ISO-8859-1 cannot encode, cannot
//! have been hashed by such a source and never matches. The upgrade drops the wrapper: the new
//! Argon2id hash is of the password as typed.

use zeroize::Zeroizing;

use crate::Error;

/// A character encoding the source applied to the password before hashing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceEncoding {
    /// ISO-8859-1: one byte per character, U+0000 to U+00FF only.
    Latin1,
    /// UTF-16 little-endian, two or four bytes per character.
    Utf16Le,
}

impl SourceEncoding {
    /// Returns the encoding's name as the prefix spells it.
    pub fn name(self) -> &'static str {
        match self {
            SourceEncoding::Latin1 => "latin1",
            SourceEncoding::Utf16Le => "utf16le",
        }
    }

    /// Reads an encoding name: `latin1` (also `latin-1`, `iso-8859-1`, and Node.js's
    /// `binary`), or `utf16le` (also `utf-16le` and Node.js's `ucs2`).
    pub fn from_name(name: &str) -> Option<SourceEncoding> {
        match name.to_ascii_lowercase().as_str() {
            "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1" | "binary" => {
                Some(SourceEncoding::Latin1)
            }
            "utf16le" | "utf-16le" | "ucs2" | "ucs-2" => Some(SourceEncoding::Utf16Le),
            _ => None,
        }
    }

    /// Returns the prefix written in front of the inner stored hash.
    pub fn prefix(self) -> &'static str {
        match self {
            SourceEncoding::Latin1 => "$pwm-latin1$",
            SourceEncoding::Utf16Le => "$pwm-utf16le$",
        }
    }

    /// Re-encodes a UTF-8 password, or returns `None` when it cannot be encoded.
    pub(crate) fn apply(self, password: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let text = std::str::from_utf8(password).ok()?;
        let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2));
        match self {
            SourceEncoding::Latin1 => {
                for ch in text.chars() {
                    out.push(u8::try_from(u32::from(ch)).ok()?);
                }
            }
            SourceEncoding::Utf16Le => {
                for unit in text.encode_utf16() {
                    out.extend_from_slice(&unit.to_le_bytes());
                }
            }
        }
        Some(out)
    }
}

/// Splits a wrapped stored hash into its encoding and the inner stored hash.
pub(crate) fn split(stored: &str) -> Option<(SourceEncoding, &str)> {
    [SourceEncoding::Latin1, SourceEncoding::Utf16Le]
        .into_iter()
        .find_map(|encoding| {
            stored
                .strip_prefix(encoding.prefix())
                .map(|inner| (encoding, inner))
        })
}

/// Rejects an encoding wrapper around another wrapper: an encoding turns text into bytes, so
/// normalisation has to come first, outside it, and a second encoding has no text to work on.
pub(crate) fn check_inner(inner: &str) -> Result<(), Error> {
    if split(inner).is_some() || crate::scheme::normalized::split(inner).is_some() {
        return Err(Error::malformed(
            "pwm-encoding",
            "an encoding prefix wraps no other prefix; write a normalisation prefix first",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_encodes_one_byte_per_character() {
        let out = SourceEncoding::Latin1
            .apply("pässwörd".as_bytes())
            .expect("encodable");
        assert_eq!(out.as_slice(), b"p\xe4ssw\xf6rd");
        assert!(SourceEncoding::Latin1.apply("€uro".as_bytes()).is_none());
        assert!(SourceEncoding::Latin1.apply(b"\xff").is_none());
    }

    #[test]
    fn utf16le_encodes_surrogate_pairs() {
        let out = SourceEncoding::Utf16Le
            .apply("a\u{1F600}".as_bytes())
            .expect("encodable");
        assert_eq!(out.as_slice(), [0x61, 0x00, 0x3d, 0xd8, 0x00, 0xde]);
    }

    #[test]
    fn names_round_trip() {
        for encoding in [SourceEncoding::Latin1, SourceEncoding::Utf16Le] {
            assert_eq!(SourceEncoding::from_name(encoding.name()), Some(encoding));
        }
        assert_eq!(
            SourceEncoding::from_name("ucs2"),
            Some(SourceEncoding::Utf16Le)
        );
        assert_eq!(SourceEncoding::from_name("utf8"), None);
    }
}
