//! Strict decoders for the text encodings stored hashes use, and the one digest comparison.
//!
//! Every decoder rejects non-canonical input (stray padding, set trailing bits, characters from
//! another alphabet), so one byte string has exactly one accepted spelling per encoding.

use base64ct::{Base64, Base64Bcrypt, Base64Unpadded, Encoding};
use subtle::ConstantTimeEq;

/// The alphabet of crypt(3)'s base64, also used by phpass and Drupal: `./0-9A-Za-z`.
pub(crate) const CRYPT_ALPHABET: &[u8; 64] =
    b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Decodes hex of either case. Returns `None` for odd lengths or non-hex characters.
pub(crate) fn decode_hex(text: &str) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(text.as_bytes()).ok()
}

/// Returns true when `text` is non-empty and made only of hex digits of either case.
pub(crate) fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Returns true for a decimal number as the PHC and crypt formats write one: ASCII digits only,
/// no sign, and no leading zero except in "0" itself.
pub(crate) fn is_canonical_decimal(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'))
}

/// Decodes standard base64 (`+` and `/`), padded or not.
pub(crate) fn decode_base64_std(text: &str) -> Option<Vec<u8>> {
    if text.ends_with('=') {
        Base64::decode_vec(text).ok()
    } else {
        Base64Unpadded::decode_vec(text).ok()
    }
}

/// Decodes standard base64 that must carry its `=` padding, as Go's `StdEncoding`, PHP's
/// `base64_encode` and .NET's `Convert.ToBase64String` always write it.
pub(crate) fn decode_base64_padded(text: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(text).ok()
}

/// Decodes the PHC string format's B64: the standard alphabet without padding.
pub(crate) fn decode_phc_b64(text: &str) -> Option<Vec<u8>> {
    Base64Unpadded::decode_vec(text).ok()
}

/// Encodes bytes as PHC B64.
pub(crate) fn encode_phc_b64(bytes: &[u8]) -> String {
    Base64Unpadded::encode_string(bytes)
}

/// Encodes bytes as lowercase hex.
pub(crate) fn encode_hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

/// Encodes bytes as standard base64 with padding.
pub(crate) fn encode_base64_std(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Encodes bytes in bcrypt's base64.
pub(crate) fn encode_bcrypt64(bytes: &[u8]) -> String {
    Base64Bcrypt::encode_string(bytes)
}

/// Decodes bcrypt's base64 (alphabet `./A-Za-z0-9`, no padding) into exactly `N` bytes.
pub(crate) fn decode_bcrypt64<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    let decoded = Base64Bcrypt::decode(text, &mut out).ok()?;
    if decoded.len() != N {
        return None;
    }
    Some(out)
}

/// Compares a computed digest with a stored one in time that depends only on their lengths.
///
/// Callers pass equal lengths: each scheme fixes the stored length when it parses and computes
/// exactly that many bytes, so the length check here never reveals anything secret.
pub(crate) fn digests_equal(computed: &[u8], stored: &[u8]) -> bool {
    debug_assert_eq!(computed.len(), stored.len());
    bool::from(computed.ct_eq(stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_decimals() {
        assert!(is_canonical_decimal("0"));
        assert!(is_canonical_decimal("19456"));
        assert!(!is_canonical_decimal("01024"));
        assert!(!is_canonical_decimal("+5"));
        assert!(!is_canonical_decimal(""));
    }

    #[test]
    fn hex_accepts_both_cases() {
        assert_eq!(decode_hex("0aFf"), Some(vec![0x0a, 0xff]));
        assert_eq!(decode_hex("0a0"), None);
        assert_eq!(decode_hex("zz"), None);
    }

    #[test]
    fn base64_padding_optional() {
        assert_eq!(decode_base64_std("AQI="), Some(vec![1, 2]));
        assert_eq!(decode_base64_std("AQI"), Some(vec![1, 2]));
        assert_eq!(decode_base64_std("AQ-_"), None);
    }

    #[test]
    fn padded_base64_requires_padding() {
        assert_eq!(decode_base64_padded("AQI="), Some(vec![1, 2]));
        assert_eq!(decode_base64_padded("AQID"), Some(vec![1, 2, 3]));
        assert_eq!(decode_base64_padded(""), Some(vec![]));
        assert_eq!(decode_base64_padded("AQI"), None);
        assert_eq!(decode_base64_padded("AQJ="), None);
    }

    #[test]
    fn base64_rejects_noncanonical_bits() {
        assert_eq!(decode_base64_std("AQJ"), None);
        assert_eq!(decode_phc_b64("AQJ"), None);
    }

    #[test]
    fn phc_b64_rejects_padding() {
        assert_eq!(decode_phc_b64("AQI="), None);
        assert_eq!(encode_phc_b64(&[1, 2]), "AQI");
    }

    #[test]
    fn bcrypt64_needs_exact_length() {
        assert!(decode_bcrypt64::<16>("AClc6c5pPh/F7oZZh9fvmO").is_some());
        assert!(decode_bcrypt64::<16>("AClc6c5pPh/F7oZZh9fvm").is_none());
        assert!(decode_bcrypt64::<16>("AClc6c5pPh+F7oZZh9fvmO").is_none());
    }

    #[test]
    fn digests_compare_by_value() {
        assert!(digests_equal(&[1, 2, 3], &[1, 2, 3]));
        assert!(!digests_equal(&[1, 2, 3], &[1, 2, 4]));
    }
}
