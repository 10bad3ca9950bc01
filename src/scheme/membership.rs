//! ASP.NET SQL Membership passwords, exported as `<Password>|<PasswordFormat>|<PasswordSalt>`.
//!
//! ```text
//! Gu2wI0cr+vq8aiwcFAO2j/WQvRI=|1|QdKqaloGX62pZBQAQcgCYQ==     base64(sha1(salt + UTF-16LE(password)))
//! ```
//!
//! The three fields are the `Password`, `PasswordFormat` and `PasswordSalt` columns of the
//! `aspnet_Membership` table. `SqlMembershipProvider.EncodePassword` in .NET's `System.Web`
//! hashes the 16-byte random salt followed by the password in UTF-16LE (`Encoding.Unicode`),
//! and stores both in padded base64. Only `PasswordFormat` 1 (hashed) is read: 0 stores the
//! password in clear text and 2 encrypts it with the site's machine key, so neither is compared.

use zeroize::Zeroizing;

use crate::Error;
use crate::encoding::{
    decode_base64_padded, digests_equal, encode_base64_std, is_canonical_decimal,
};
use crate::scheme::digest::Algorithm;

const SCHEME: &str = "aspnet-membership";

/// A parsed Membership password hash of `PasswordFormat` 1 with SHA-1.
#[derive(Clone, Debug)]
pub(crate) struct MembershipHash {
    /// Decoded SHA-1 digest, exactly 20 bytes.
    digest: Vec<u8>,
    salt: Vec<u8>,
}

impl MembershipHash {
    /// Checks `password`, which is UTF-8 here and UTF-16LE in the hash. A password that is not
    /// UTF-8 has no UTF-16 form, so it cannot match and returns false.
    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(password) else {
            return false;
        };
        let utf16: Zeroizing<Vec<u8>> =
            Zeroizing::new(text.encode_utf16().flat_map(u16::to_le_bytes).collect());
        let computed = Algorithm::Sha1.digest(&[&self.salt, &utf16]);
        digests_equal(&computed, &self.digest)
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("digest", "sha1".to_string()),
            ("salt_bytes", self.salt.len().to_string()),
        ]
    }

    /// Writes the canonical string: padded base64 and `PasswordFormat` 1.
    pub(crate) fn encode(&self) -> String {
        format!(
            "{}|1|{}",
            encode_base64_std(&self.digest),
            encode_base64_std(&self.salt)
        )
    }
}

/// Returns true for three `|`-separated fields whose middle one is a decimal number, the shape
/// of an exported Membership password. No other supported scheme contains `|`.
pub(crate) fn looks_like(stored: &str) -> bool {
    let fields: Vec<&str> = stored.split('|').collect();
    matches!(fields.as_slice(), [_, format, _]
        if (1..=10).contains(&format.len()) && format.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses a Membership password strictly, without hashing.
pub(crate) fn parse(stored: &str) -> Result<MembershipHash, Error> {
    let fields: Vec<&str> = stored.split('|').collect();
    let [digest, format, salt] = fields.as_slice() else {
        return Err(Error::malformed(
            SCHEME,
            "expected <password>|<password format>|<salt>",
        ));
    };
    check_format(format)?;

    let salt = decode_base64_padded(salt)
        .ok_or_else(|| Error::malformed(SCHEME, "salt is not padded standard base64"))?;
    if salt.is_empty() {
        return Err(Error::malformed(SCHEME, "salt is empty"));
    }
    if digest.is_empty() {
        return Err(Error::malformed(SCHEME, "password hash is empty"));
    }
    let digest = decode_base64_padded(digest)
        .ok_or_else(|| Error::malformed(SCHEME, "password hash is not padded standard base64"))?;
    check_digest_len(digest.len())?;
    Ok(MembershipHash { digest, salt })
}

fn check_format(format: &str) -> Result<(), Error> {
    match format {
        "1" => Ok(()),
        "0" => Err(Error::UnsupportedVariant {
            scheme: SCHEME,
            variant: "PasswordFormat 0 (clear)".to_string(),
            reason: "the password is stored in clear text and is never compared; \
                     hash it before importing",
        }),
        "2" => Err(Error::UnsupportedVariant {
            scheme: SCHEME,
            variant: "PasswordFormat 2 (encrypted)".to_string(),
            reason: "the password is encrypted with the site's machine key, which the string \
                     does not contain",
        }),
        other => Err(Error::malformed(
            SCHEME,
            format!(
                "PasswordFormat must be 0, 1 or 2, got {}",
                if is_canonical_decimal(other) {
                    other
                } else {
                    "a non-canonical number"
                }
            ),
        )),
    }
}

fn check_digest_len(len: usize) -> Result<(), Error> {
    match len {
        20 => Ok(()),
        // NOTE: hashAlgorithmType may name a keyed algorithm (HMACSHA256 and the like), which
        // EncodePassword keys with the salt repeated or cut to the key size, or a plain digest of
        // the same length. The string does not say which, so these lengths are not verified.
        16 | 32 | 48 | 64 => Err(Error::UnsupportedVariant {
            scheme: SCHEME,
            variant: format!("{len}-byte password hash"),
            reason: "a digest of this length may be plain or HMAC-keyed with the salt, depending \
                     on hashAlgorithmType; only 20-byte SHA-1 hashes are read",
        }),
        other => Err(Error::WrongDigestLength {
            algorithm: "sha1",
            expected: 20,
            actual: other,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_and_encrypted_unsupported() {
        for stored in [
            "cGFzc3dvcmQ=|0|QdKqaloGX62pZBQAQcgCYQ==",
            "AAAA|2|QdKqaloGX62pZBQAQcgCYQ==",
        ] {
            let err = parse(stored).expect_err(stored);
            assert_eq!(err.kind(), "unsupported_variant", "{stored}");
        }
    }

    #[test]
    fn sha256_length_unsupported() {
        let digest = encode_base64_std(&[7u8; 32]);
        let err = parse(&format!("{digest}|1|QdKqaloGX62pZBQAQcgCYQ==")).expect_err("32 bytes");
        assert_eq!(err.kind(), "unsupported_variant");
    }

    #[test]
    fn non_utf8_password_never_matches() {
        let hash =
            parse("Gu2wI0cr+vq8aiwcFAO2j/WQvRI=|1|QdKqaloGX62pZBQAQcgCYQ==").expect("parses");
        assert!(!hash.verify(b"\xff\xfe"));
    }

    #[test]
    fn empty_hash_malformed() {
        let err = parse("|1|QdKqaloGX62pZBQAQcgCYQ==").expect_err("empty hash");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn shape_needs_numeric_middle_field() {
        assert!(looks_like("a|1|b"));
        assert!(!looks_like("a|x|b"));
        assert!(!looks_like("a|1|b|c"));
        assert!(!looks_like("a||b"));
    }
}
