//! `$pwm-nfc$<stored hash>` and `$pwm-nfkc$<stored hash>`: a stored hash made from the Unicode
//! NFC or NFKC form of the password, as some sources normalised before hashing.
//!
//! Verifying normalises the typed password the same way, then checks the inner hash, so a
//! password typed in another form (NFD from macOS, fullwidth letters under NFKC) still matches.
//! The upgrade keeps the wrapper: the new Argon2id hash is of the normalised password, behind
//! the same prefix. A password that is not UTF-8 cannot be normalised and never matches.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::Error;

/// A Unicode normalisation form applied before hashing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Normalization {
    /// Canonical composition (NFC).
    Nfc,
    /// Compatibility composition (NFKC), which also folds fullwidth and other compatibility
    /// characters.
    Nfkc,
}

impl Normalization {
    /// Returns the form's name as the prefix and `--normalize` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Normalization::Nfc => "nfc",
            Normalization::Nfkc => "nfkc",
        }
    }

    /// Reads `nfc` or `nfkc`.
    pub fn from_name(name: &str) -> Option<Normalization> {
        match name {
            "nfc" => Some(Normalization::Nfc),
            "nfkc" => Some(Normalization::Nfkc),
            _ => None,
        }
    }

    /// Returns the prefix written in front of the inner stored hash.
    pub fn prefix(self) -> &'static str {
        match self {
            Normalization::Nfc => "$pwm-nfc$",
            Normalization::Nfkc => "$pwm-nfkc$",
        }
    }

    /// Returns the normalised password, or `None` when it is not UTF-8.
    pub(crate) fn apply(self, password: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let text = std::str::from_utf8(password).ok()?;
        let normalised: String = match self {
            Normalization::Nfc => text.nfc().collect(),
            Normalization::Nfkc => text.nfkc().collect(),
        };
        Some(Zeroizing::new(normalised.into_bytes()))
    }
}

/// Splits a wrapped stored hash into its form and the inner stored hash.
pub(crate) fn split(stored: &str) -> Option<(Normalization, &str)> {
    [Normalization::Nfc, Normalization::Nfkc]
        .into_iter()
        .find_map(|form| {
            stored
                .strip_prefix(form.prefix())
                .map(|inner| (form, inner))
        })
}

/// Rejects a wrapper around another wrapper, which no source writes.
pub(crate) fn check_inner(inner: &str) -> Result<(), Error> {
    if split(inner).is_some() {
        return Err(Error::malformed(
            "pwm-normalized",
            "normalisation prefixes do not nest",
        ));
    }
    Ok(())
}
