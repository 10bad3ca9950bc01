//! PBKDF2 strings of defuse/password-hashing (crackstation.net's PHP, Ruby, Java and C# code).
//!
//! ```text
//! sha256:1000:<base64 salt>:<base64 key>         v1, PHP: algorithm:iterations:salt:key
//! sha1:64000:18:<base64 salt>:<base64 key>       v2: algorithm:iterations:key size:salt:key
//! ```
//!
//! Base64 is standard with `=` padding, as PHP's `base64_encode` writes it. The key is as long
//! as the stored field: defuse derived as many bytes as were stored, so a key cut short by a
//! column limit would still verify with fewer bits. v2 adds the key size to catch that, and
//! pwmigrate requires 16 to 256 bytes in both versions.
//!
//! v2 and the `compatible/PasswordHash.php` of the same repository pass the decoded salt to
//! PBKDF2. The original v1 `PasswordHash.php` (SHA-256, 1000 iterations) passes the base64 text
//! of the salt instead. Both write the same v1 shape, so a v1 hash is derived both ways and
//! matches if either does. That doubles its cost and makes a chance match at most twice as
//! likely, which for a key of 16 bytes or more stays below 2^-127.

use zeroize::Zeroizing;

use super::{Flavor, Pbkdf2Hash, check_key, derive, parse_iterations};
use crate::Error;
use crate::encoding::{decode_base64_padded, digests_equal, encode_base64_std};
use crate::scheme::digest::Algorithm;

const SCHEME: &str = "defuse-pbkdf2";

/// Names from PHP's `hash_algos()` that defuse's PHP code accepts (v1 takes any of them, v2 all
/// of these but md5), so that the ones pwmigrate does not implement get a clear error.
const ALGORITHM_NAMES: [&str; 10] = [
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "ripemd160",
    "ripemd256",
    "ripemd320",
    "whirlpool",
];

/// Returns true when `stored` opens with an algorithm name, a colon and a digit.
pub(super) fn looks_like(stored: &str) -> bool {
    let Some((name, rest)) = stored.split_once(':') else {
        return false;
    };
    ALGORITHM_NAMES.contains(&name) && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// Parses a v1 or v2 string strictly, without hashing.
pub(super) fn parse(stored: &str) -> Result<Pbkdf2Hash, Error> {
    let fields: Vec<&str> = stored.split(':').collect();
    let (flavor, name, iterations, size, salt, key) = match fields.as_slice() {
        [name, iterations, salt, key] => (Flavor::DefuseV1, name, iterations, None, salt, key),
        [name, iterations, size, salt, key] => {
            (Flavor::DefuseV2, name, iterations, Some(size), salt, key)
        }
        _ => {
            return Err(Error::malformed(
                SCHEME,
                "expected algorithm:iterations:salt:key or algorithm:iterations:size:salt:key",
            ));
        }
    };

    let digest = parse_algorithm(name)?;
    let iterations = parse_iterations(iterations)?;
    let size = size.map(|size| parse_size(size)).transpose()?;
    let salt = decode_base64_padded(salt)
        .ok_or_else(|| Error::malformed(SCHEME, "salt is not padded standard base64"))?;
    if salt.is_empty() {
        return Err(Error::malformed(SCHEME, "salt is empty"));
    }
    let key = decode_base64_padded(key)
        .ok_or_else(|| Error::malformed(SCHEME, "key is not padded standard base64"))?;
    check_key(&key, size)?;
    Ok(Pbkdf2Hash {
        flavor,
        digest,
        iterations,
        salt,
        key,
    })
}

fn parse_algorithm(name: &str) -> Result<Algorithm, Error> {
    match name {
        "sha1" => Ok(Algorithm::Sha1),
        "sha224" => Ok(Algorithm::Sha224),
        "sha256" => Ok(Algorithm::Sha256),
        "sha384" => Ok(Algorithm::Sha384),
        "sha512" => Ok(Algorithm::Sha512),
        other => Err(Error::UnsupportedVariant {
            scheme: SCHEME,
            variant: other.to_string(),
            reason: "only sha1, sha224, sha256, sha384 and sha512 are read",
        }),
    }
}

fn parse_size(text: &str) -> Result<usize, Error> {
    match text.parse::<usize>() {
        Ok(size) if crate::encoding::is_canonical_decimal(text) && size > 0 => Ok(size),
        _ => Err(Error::malformed(
            SCHEME,
            "key size must be a positive decimal number without leading zeros",
        )),
    }
}

/// Derives a v1 key from the decoded salt and from its base64 text, and matches either.
pub(super) fn verify_v1(hash: &Pbkdf2Hash, password: &[u8]) -> bool {
    let salt_text = encode_base64_std(&hash.salt);
    let mut from_bytes = Zeroizing::new(vec![0u8; hash.key.len()]);
    let mut from_text = Zeroizing::new(vec![0u8; hash.key.len()]);
    derive(
        hash.digest,
        password,
        &hash.salt,
        hash.iterations,
        &mut from_bytes,
    );
    derive(
        hash.digest,
        password,
        salt_text.as_bytes(),
        hash.iterations,
        &mut from_text,
    );

    // Both comparisons always run, so the time does not show which reading matched.
    let bytes_match = digests_equal(&from_bytes, &hash.key);
    let text_match = digests_equal(&from_text, &hash.key);
    bytes_match | text_match
}

/// Writes the canonical v1 or v2 string, with padded base64.
pub(super) fn encode(hash: &Pbkdf2Hash) -> String {
    let digest = hash.digest.name();
    let salt = encode_base64_std(&hash.salt);
    let key = encode_base64_std(&hash.key);
    if hash.flavor == Flavor::DefuseV1 {
        format!("{digest}:{}:{salt}:{key}", hash.iterations)
    } else {
        format!(
            "{digest}:{}:{}:{salt}:{key}",
            hash.iterations,
            hash.key.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example hashes of the password "foobar" in defuse/password-hashing's README.
    #[test]
    fn readme_examples_verify() {
        for stored in [
            "sha1:64000:18:B6oWbvtHvu8qCgoE75wxmvpidRnGzGFt:R1gkPOuVjqIoTulWP1TABS0H",
            "sha1:64000:18:/GO9XQOPexBFVzRjC9mcOkVEi7ZHQc0/:0mY83V5PvmkkHRR41R1iIhx/",
        ] {
            let hash = parse(stored).expect(stored);
            assert!(hash.verify(b"foobar"), "{stored}");
            assert!(!hash.verify(b"foobaz"), "{stored}");
        }
    }

    #[test]
    fn size_must_match_key() {
        let err = parse("sha1:64000:20:B6oWbvtHvu8qCgoE75wxmvpidRnGzGFt:R1gkPOuVjqIoTulWP1TABS0H")
            .expect_err("size 20, key 18");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn whirlpool_unsupported() {
        assert!(looks_like("whirlpool:1000:c2FsdA==:AAAA"));
        let err = parse("whirlpool:1000:c2FsdA==:AAAA").expect_err("whirlpool");
        assert_eq!(err.kind(), "unsupported_variant");
    }
}
