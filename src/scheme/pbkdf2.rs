//! PBKDF2 in the shapes that exports carry.
//!
//! ```text
//! $pbkdf2-sha256$i=<iterations>,l=<length>$<B64 salt>$<B64 key>     PHC (Auth0)
//! $pbkdf2-sha256$<rounds>$<ab64 salt>$<ab64 key>                     passlib; $pbkdf2$ is SHA-1
//! pbkdf2_sha256$<iterations>$<salt text>$<base64 key>                Django; also pbkdf2_sha1
//! pbkdf2:sha256:<iterations>$<salt text>$<hex key>                   Werkzeug
//! {PKCS5S2}<base64 of salt[16] + key[32]>                            Atlassian, SHA-1, 10000
//! <base64 of 0x00 + salt[16] + key[32]>                              ASP.NET Identity v2
//! <base64 of 0x01 + prf + iterations + salt length + salt + key[32]> ASP.NET Identity v3
//! sha256:1000:<base64 salt>:<base64 key>                             defuse v1 (see `defuse`)
//! sha1:64000:18:<base64 salt>:<base64 key>                           defuse v2
//! ```
//!
//! B64 is standard base64 without padding; ab64 is passlib's variant with `.` for `+`. The
//! `$pbkdf2-sha256$` identifier is shared: a third field of `i=...` is PHC, digits are passlib.
//! Every key must be at least 16 bytes, because a shorter stored key matches a large share of
//! all passwords (a 1-byte key matches one in 256).

use crate::encoding::{
    decode_base64_std, decode_hex, decode_phc_b64, digests_equal, encode_base64_std, encode_hex,
    encode_phc_b64,
};
use crate::policy::Limits;
use crate::scheme::digest::Algorithm;
use crate::{Error, SchemeKind};

mod defuse;

const SCHEME: &str = "pbkdf2";

/// Shortest stored key accepted, in bytes.
const MIN_KEY_LEN: usize = 16;

/// Longest stored key accepted, in bytes: each block of digest size costs all iterations again.
const MAX_KEY_LEN: usize = 256;

/// The export shape a PBKDF2 hash came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Phc,
    Passlib,
    Django,
    Werkzeug,
    Atlassian,
    AspNetV2,
    AspNetV3,
    DefuseV1,
    DefuseV2,
}

/// A parsed PBKDF2 hash.
#[derive(Clone, Debug)]
pub(crate) struct Pbkdf2Hash {
    flavor: Flavor,
    digest: Algorithm,
    iterations: u32,
    salt: Vec<u8>,
    key: Vec<u8>,
}

impl Pbkdf2Hash {
    pub(crate) fn kind(&self) -> SchemeKind {
        match self.flavor {
            Flavor::Phc => match self.digest {
                Algorithm::Sha1 => SchemeKind::Pbkdf2Sha1,
                Algorithm::Sha256 => SchemeKind::Pbkdf2Sha256,
                _ => SchemeKind::Pbkdf2Sha512,
            },
            Flavor::Passlib => match self.digest {
                Algorithm::Sha1 => SchemeKind::PasslibPbkdf2Sha1,
                Algorithm::Sha256 => SchemeKind::PasslibPbkdf2Sha256,
                _ => SchemeKind::PasslibPbkdf2Sha512,
            },
            Flavor::Django => match self.digest {
                Algorithm::Sha1 => SchemeKind::DjangoPbkdf2Sha1,
                _ => SchemeKind::DjangoPbkdf2Sha256,
            },
            Flavor::Werkzeug => SchemeKind::WerkzeugPbkdf2,
            Flavor::Atlassian => SchemeKind::AtlassianPbkdf2,
            Flavor::AspNetV2 => SchemeKind::AspNetIdentityV2,
            Flavor::AspNetV3 => SchemeKind::AspNetIdentityV3,
            Flavor::DefuseV1 | Flavor::DefuseV2 => SchemeKind::DefusePbkdf2,
        }
    }

    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        if self.iterations > limits.pbkdf2_max_iterations {
            return Err(Error::exceeds(
                SCHEME,
                "iterations",
                self.iterations.into(),
                limits.pbkdf2_max_iterations.into(),
            ));
        }
        Ok(())
    }

    /// Derives the key for `password`; call only after [`Pbkdf2Hash::check_limits`].
    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        if self.flavor == Flavor::DefuseV1 {
            return defuse::verify_v1(self, password);
        }
        let mut computed = zeroize::Zeroizing::new(vec![0u8; self.key.len()]);
        derive(
            self.digest,
            password,
            &self.salt,
            self.iterations,
            &mut computed,
        );
        digests_equal(&computed, &self.key)
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let flavor = match self.flavor {
            Flavor::Phc => "phc",
            Flavor::Passlib => "passlib",
            Flavor::Django => "django",
            Flavor::Werkzeug => "werkzeug",
            Flavor::Atlassian => "atlassian",
            Flavor::AspNetV2 => "aspnet-identity-v2",
            Flavor::AspNetV3 => "aspnet-identity-v3",
            Flavor::DefuseV1 => "defuse-v1",
            Flavor::DefuseV2 => "defuse-v2",
        };
        vec![
            ("format", flavor.to_string()),
            ("digest", self.digest.name().to_string()),
            ("iterations", self.iterations.to_string()),
            ("salt_bytes", self.salt.len().to_string()),
            ("key_bytes", self.key.len().to_string()),
        ]
    }

    /// Writes the canonical string in the hash's own shape.
    pub(crate) fn encode(&self) -> String {
        let digest = self.digest.name();
        match self.flavor {
            Flavor::Phc => format!(
                "$pbkdf2-{digest}$i={},l={}${}${}",
                self.iterations,
                self.key.len(),
                encode_phc_b64(&self.salt),
                encode_phc_b64(&self.key)
            ),
            Flavor::Passlib => {
                let id = if self.digest == Algorithm::Sha1 {
                    "pbkdf2".to_string()
                } else {
                    format!("pbkdf2-{digest}")
                };
                format!(
                    "${id}${}${}${}",
                    self.iterations,
                    encode_ab64(&self.salt),
                    encode_ab64(&self.key)
                )
            }
            Flavor::Django => format!(
                "pbkdf2_{digest}${}${}${}",
                self.iterations,
                String::from_utf8_lossy(&self.salt),
                encode_base64_std(&self.key)
            ),
            Flavor::Werkzeug => format!(
                "pbkdf2:{digest}:{}${}${}",
                self.iterations,
                String::from_utf8_lossy(&self.salt),
                encode_hex(&self.key)
            ),
            Flavor::Atlassian => {
                let mut blob = self.salt.clone();
                blob.extend_from_slice(&self.key);
                format!("{{PKCS5S2}}{}", encode_base64_std(&blob))
            }
            Flavor::AspNetV2 => {
                let mut blob = vec![0u8];
                blob.extend_from_slice(&self.salt);
                blob.extend_from_slice(&self.key);
                encode_base64_std(&blob)
            }
            Flavor::AspNetV3 => {
                let prf: u32 = match self.digest {
                    Algorithm::Sha1 => 0,
                    Algorithm::Sha256 => 1,
                    _ => 2,
                };
                let mut blob = vec![1u8];
                blob.extend_from_slice(&prf.to_be_bytes());
                blob.extend_from_slice(&self.iterations.to_be_bytes());
                blob.extend_from_slice(&(self.salt.len() as u32).to_be_bytes());
                blob.extend_from_slice(&self.salt);
                blob.extend_from_slice(&self.key);
                encode_base64_std(&blob)
            }
            Flavor::DefuseV1 | Flavor::DefuseV2 => defuse::encode(self),
        }
    }
}

/// Computes PBKDF2-HMAC with `digest` into `out`.
pub(crate) fn derive(digest: Algorithm, password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
    match digest {
        Algorithm::Md5 => pbkdf2::pbkdf2_hmac::<md5::Md5>(password, salt, rounds, out),
        Algorithm::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, out),
        Algorithm::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, rounds, out),
        Algorithm::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, out),
        Algorithm::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, rounds, out),
        Algorithm::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, out),
    }
}

fn encode_ab64(bytes: &[u8]) -> String {
    encode_phc_b64(bytes).replace('+', ".")
}

/// Decodes passlib's adapted base64. Standard base64 (`+`, `=` padding) of the same bytes is
/// accepted too, as other verifiers of this shape accept it.
fn decode_ab64(text: &str) -> Option<Vec<u8>> {
    let standard = text.replace('.', "+");
    decode_base64_std(&standard)
}

fn digest_from_suffix(suffix: &str) -> Option<Algorithm> {
    match suffix {
        "sha1" => Some(Algorithm::Sha1),
        "sha256" => Some(Algorithm::Sha256),
        "sha512" => Some(Algorithm::Sha512),
        _ => None,
    }
}

fn parse_iterations(text: &str) -> Result<u32, Error> {
    let canonical = crate::encoding::is_canonical_decimal(text);
    match text.parse::<u32>() {
        Ok(count) if canonical && count > 0 => Ok(count),
        _ => Err(Error::malformed(
            SCHEME,
            "iterations must be a positive decimal number without leading zeros",
        )),
    }
}

fn check_key(key: &[u8], expected: Option<usize>) -> Result<(), Error> {
    if let Some(expected) = expected
        && key.len() != expected
    {
        // A key of another length is what a lenient decoder leaves after dropping characters
        // (passlib's '.' is not base64), so it is reported as damage to the stored string.
        return Err(Error::malformed(
            SCHEME,
            format!("key must be {expected} bytes, got {}", key.len()),
        ));
    }
    if key.len() < MIN_KEY_LEN || key.len() > MAX_KEY_LEN {
        return Err(Error::malformed(
            SCHEME,
            format!("key must be 16 to 256 bytes, got {}", key.len()),
        ));
    }
    Ok(())
}

/// Returns true when `stored` opens with a PBKDF2 identifier this module reads, or with
/// defuse's `<algorithm>:<digit>`.
pub(crate) fn looks_like(stored: &str) -> bool {
    stored.starts_with("$pbkdf2")
        || stored.starts_with("pbkdf2_")
        || stored.starts_with("pbkdf2:")
        || stored.starts_with("{PKCS5S2}")
        || defuse::looks_like(stored)
}

/// Parses any of the identified shapes strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<Pbkdf2Hash, Error> {
    if let Some(rest) = stored.strip_prefix('$') {
        return parse_modular(rest);
    }
    if let Some(rest) = stored.strip_prefix("pbkdf2_") {
        return parse_django(rest);
    }
    if let Some(rest) = stored.strip_prefix("pbkdf2:") {
        return parse_werkzeug(rest);
    }
    if defuse::looks_like(stored) {
        return defuse::parse(stored);
    }
    if let Some(blob) = stored.strip_prefix("{PKCS5S2}") {
        let bytes = decode_base64_std(blob)
            .ok_or_else(|| Error::malformed(SCHEME, "{PKCS5S2} payload is not base64"))?;
        if bytes.len() != 48 {
            return Err(Error::WrongDigestLength {
                algorithm: "atlassian-pbkdf2",
                expected: 48,
                actual: bytes.len(),
            });
        }
        return Ok(Pbkdf2Hash {
            flavor: Flavor::Atlassian,
            digest: Algorithm::Sha1,
            iterations: 10_000,
            salt: bytes[..16].to_vec(),
            key: bytes[16..].to_vec(),
        });
    }
    Err(Error::malformed(SCHEME, "unknown PBKDF2 shape"))
}

fn parse_modular(rest: &str) -> Result<Pbkdf2Hash, Error> {
    let fields: Vec<&str> = rest.split('$').collect();
    let [id, params, salt, key] = fields.as_slice() else {
        return Err(Error::malformed(
            SCHEME,
            "expected $<id>$<params>$<salt>$<key>",
        ));
    };
    let digest = match id.strip_prefix("pbkdf2") {
        Some("") => Some(Algorithm::Sha1),
        Some(suffix) => suffix.strip_prefix('-').and_then(digest_from_suffix),
        None => None,
    }
    .ok_or_else(|| Error::UnsupportedScheme {
        detail: format!(
            "unknown PBKDF2 identifier {}",
            crate::scheme::quote_identifier(id)
        ),
    })?;

    if let Some(phc) = params.strip_prefix("i=") {
        let (iterations, length) = phc
            .split_once(",l=")
            .ok_or_else(|| Error::malformed(SCHEME, "PHC parameters must be i=<n>,l=<n>"))?;
        let iterations = parse_iterations(iterations)?;
        let length = parse_iterations(length)? as usize;
        let salt = decode_phc_b64(salt)
            .ok_or_else(|| Error::malformed(SCHEME, "salt is not unpadded standard base64"))?;
        let key = decode_phc_b64(key)
            .ok_or_else(|| Error::malformed(SCHEME, "key is not unpadded standard base64"))?;
        check_key(&key, Some(length))?;
        return Ok(Pbkdf2Hash {
            flavor: Flavor::Phc,
            digest,
            iterations,
            salt,
            key,
        });
    }

    let iterations = parse_iterations(params)?;
    let salt = decode_ab64(salt)
        .ok_or_else(|| Error::malformed(SCHEME, "salt is not passlib's adapted base64"))?;
    let key = decode_ab64(key)
        .ok_or_else(|| Error::malformed(SCHEME, "key is not passlib's adapted base64"))?;
    check_key(&key, Some(digest.output_len()))?;
    Ok(Pbkdf2Hash {
        flavor: Flavor::Passlib,
        digest,
        iterations,
        salt,
        key,
    })
}

fn parse_django(rest: &str) -> Result<Pbkdf2Hash, Error> {
    let fields: Vec<&str> = rest.split('$').collect();
    let [digest, iterations, salt, key] = fields.as_slice() else {
        return Err(Error::malformed(
            SCHEME,
            "expected pbkdf2_<digest>$<iterations>$<salt>$<key>",
        ));
    };
    let digest = digest_from_suffix(digest).ok_or_else(|| Error::UnsupportedScheme {
        detail: format!(
            "Django hasher pbkdf2_{}",
            crate::scheme::truncate(digest, 16)
        ),
    })?;
    let iterations = parse_iterations(iterations)?;
    if salt.is_empty() {
        return Err(Error::malformed(SCHEME, "Django salt is empty"));
    }
    let key = decode_base64_std(key)
        .ok_or_else(|| Error::malformed(SCHEME, "key is not standard base64"))?;
    check_key(&key, Some(digest.output_len()))?;
    Ok(Pbkdf2Hash {
        flavor: Flavor::Django,
        digest,
        iterations,
        salt: salt.as_bytes().to_vec(),
        key,
    })
}

fn parse_werkzeug(rest: &str) -> Result<Pbkdf2Hash, Error> {
    let fields: Vec<&str> = rest.split('$').collect();
    let [method, salt, key] = fields.as_slice() else {
        return Err(Error::malformed(
            SCHEME,
            "expected pbkdf2:<digest>[:<iterations>]$<salt>$<hex key>",
        ));
    };
    // Without a count Werkzeug falls back to its release's default, which changed from release
    // to release (50,000 to 600,000 and more), so such a string cannot be verified reliably.
    let Some((digest, iterations)) = method.split_once(':') else {
        return Err(Error::UnsupportedVariant {
            scheme: "werkzeug-pbkdf2",
            variant: "without an iteration count".to_string(),
            reason: "the count Werkzeug assumed depends on its release; add :<iterations>",
        });
    };
    let iterations = parse_iterations(iterations)?;
    let digest = digest_from_suffix(digest).ok_or_else(|| Error::UnsupportedVariant {
        scheme: "werkzeug-pbkdf2",
        variant: crate::scheme::truncate(digest, 16),
        reason: "only sha1, sha256 and sha512 are read",
    })?;
    if salt.is_empty() {
        return Err(Error::malformed(SCHEME, "Werkzeug salt is empty"));
    }
    let key = decode_hex(key).ok_or_else(|| Error::malformed(SCHEME, "key is not hex"))?;
    check_key(&key, Some(digest.output_len()))?;
    Ok(Pbkdf2Hash {
        flavor: Flavor::Werkzeug,
        digest,
        iterations,
        salt: salt.as_bytes().to_vec(),
        key,
    })
}

/// Recognises an ASP.NET Identity v2 or v3 base64 blob from its header byte and length.
pub(crate) fn recognise_aspnet(stored: &str) -> Option<Result<Pbkdf2Hash, Error>> {
    let bytes = decode_base64_std(stored)?;
    match bytes.first() {
        Some(0x00) if bytes.len() == 49 => Some(Ok(Pbkdf2Hash {
            flavor: Flavor::AspNetV2,
            digest: Algorithm::Sha1,
            iterations: 1000,
            salt: bytes[1..17].to_vec(),
            key: bytes[17..].to_vec(),
        })),
        Some(0x01) if bytes.len() >= 13 => {
            let parsed = parse_aspnet_v3(&bytes);
            // A broken v3 blob is reported as one only when its PRF word is valid and its length
            // is no bare digest's, so a base64 digest that starts with 0x01 stays a digest.
            let prf_valid = matches!(bytes[1..5], [0, 0, 0, 0..=2]);
            let digest_len = [16, 20, 32, 64].contains(&bytes.len());
            (parsed.is_ok() || (prf_valid && !digest_len)).then_some(parsed)
        }
        _ => None,
    }
}

fn parse_aspnet_v3(bytes: &[u8]) -> Result<Pbkdf2Hash, Error> {
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let digest = match word(1) {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        other => {
            return Err(Error::UnsupportedVariant {
                scheme: "aspnet-identity",
                variant: format!("prf {other}"),
                reason: "only HMAC-SHA1, HMAC-SHA256 and HMAC-SHA512 (prf 0, 1, 2) exist",
            });
        }
    };
    let iterations = word(5);
    let salt_len = word(9) as usize;
    // .NET writes a 32-byte subkey and a 16-byte salt. It would verify any subkey of 16 bytes or
    // more, but a shortened subkey is storage damage, not a hash, so only 32 is accepted.
    if bytes.len() != 13 + salt_len + 32 || salt_len < 16 || iterations == 0 {
        return Err(Error::malformed(
            "aspnet-identity",
            format!(
                "v3 blob of {} bytes does not hold a {salt_len}-byte salt and a 32-byte subkey",
                bytes.len()
            ),
        ));
    }
    Ok(Pbkdf2Hash {
        flavor: Flavor::AspNetV3,
        digest,
        iterations,
        salt: bytes[13..13 + salt_len].to_vec(),
        key: bytes[13 + salt_len..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Found by the property tests: base64 of a SHA-1 digest whose first byte is 0x01 was taken
    // for a broken ASP.NET Identity v3 blob.
    #[test]
    fn digest_starting_with_one_stays_digest() {
        assert!(recognise_aspnet("AfFVbzhHRb8bDlUxT0yU7MZ5R80").is_none());
    }

    #[test]
    fn werkzeug_without_count_rejected() {
        let err = parse("pbkdf2:sha256$salt$00").expect_err("no iteration count");
        assert_eq!(err.kind(), "unsupported_variant");
    }

    #[test]
    fn short_key_rejected() {
        let err = parse("$pbkdf2-sha256$i=1000,l=1$c2FsdA$AA").expect_err("1-byte key");
        assert_eq!(err.kind(), "malformed_hash");
    }
}
