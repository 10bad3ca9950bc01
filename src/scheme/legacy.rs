//! Logto's `Legacy` recipe: the JSON text `[algorithm, [args...], expected]`.
//!
//! The digest algorithms are md5, sha1, sha224, sha256, sha384 and sha512, in any ASCII case.
//! For them every arg equal to `"@"` is replaced by the password and the args are concatenated
//! with no separator. The digest of the result must equal `expected`, written in hex. For `"pbkdf2"` the args are
//! `[salt, iterations, keylen, digest, "@"]`: the salt is UTF-8 text, or raw bytes when written
//! `hex:<hex>`; iterations and keylen are JSON numbers or decimal strings; `expected` is the hex
//! of the `keylen`-byte key. For `"firebase-scrypt"` the args are `[salt, signer_key,
//! salt_separator, rounds, mem_cost, "@"]` in base64 (standard or URL-safe) and `expected` is
//! the base64 hash. Args are strings, except the counts, which may be numbers.

use serde_json::Value;
use zeroize::Zeroizing;

use crate::Error;
use crate::encoding::{
    decode_base64_std, decode_hex, digests_equal, encode_base64_std, encode_hex,
};
use crate::policy::Limits;
use crate::scheme::digest::Algorithm;
use crate::scheme::scrypt;
use crate::scheme::truncate;

const SCHEME: &str = "logto-legacy";

/// The arg Logto replaces with the password.
const PASSWORD_ARG: &str = "@";

/// Maximum PBKDF2 key length in bytes: each extra digest-sized block costs all the iterations
/// again, and no real export stores keys longer than a SHA-512 output times four.
const MAX_PBKDF2_KEY_LEN: u64 = 256;

/// Maximum `"@"` placeholders in one digest recipe. Each one hashes the whole password again, so
/// the cap bounds a verify to 8 times the password length plus the recipe itself.
const MAX_PASSWORD_ARGS: usize = 8;

/// One arg of a digest recipe.
#[derive(Clone, Debug)]
enum Arg {
    Password,
    Text(Vec<u8>),
}

#[derive(Clone, Debug)]
enum Recipe {
    Digest {
        algorithm: Algorithm,
        args: Vec<Arg>,
    },
    Pbkdf2 {
        digest: Algorithm,
        salt: Vec<u8>,
        iterations: u64,
    },
    FirebaseScrypt {
        salt: Vec<u8>,
        signer_key: Vec<u8>,
        separator: Vec<u8>,
        cost: scrypt::Cost,
    },
}

/// A parsed Logto `Legacy` recipe.
#[derive(Clone, Debug)]
pub(crate) struct LegacyHash {
    recipe: Recipe,
    /// Decoded `expected`, exactly as long as the recipe's output.
    expected: Vec<u8>,
}

impl LegacyHash {
    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        if let Recipe::FirebaseScrypt { cost, .. } = &self.recipe {
            cost.check_limits(limits)?;
        }
        if let Recipe::Pbkdf2 { iterations, .. } = &self.recipe
            && *iterations > u64::from(limits.pbkdf2_max_iterations)
        {
            return Err(Error::exceeds(
                SCHEME,
                "pbkdf2 iterations",
                *iterations,
                limits.pbkdf2_max_iterations.into(),
            ));
        }
        Ok(())
    }

    /// Computes the recipe for `password`; call only after [`LegacyHash::check_limits`].
    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, Error> {
        match &self.recipe {
            Recipe::Digest { algorithm, args } => {
                let parts: Vec<&[u8]> = args
                    .iter()
                    .map(|arg| match arg {
                        Arg::Password => password,
                        Arg::Text(text) => text.as_slice(),
                    })
                    .collect();
                let computed = algorithm.digest(&parts);
                Ok(digests_equal(&computed, &self.expected))
            }
            Recipe::Pbkdf2 {
                digest,
                salt,
                iterations,
            } => {
                let rounds = u32::try_from(*iterations).map_err(|_| {
                    Error::exceeds(SCHEME, "pbkdf2 iterations", *iterations, u32::MAX.into())
                })?;
                let mut computed = Zeroizing::new(vec![0u8; self.expected.len()]);
                crate::scheme::pbkdf2::derive(*digest, password, salt, rounds, &mut computed);
                Ok(digests_equal(&computed, &self.expected))
            }
            Recipe::FirebaseScrypt {
                salt,
                signer_key,
                separator,
                cost,
            } => {
                let computed = scrypt::firebase_hash(password, salt, separator, signer_key, cost)?;
                Ok(digests_equal(&computed, &self.expected))
            }
        }
    }

    /// Writes the canonical recipe: compact JSON, lower-case names and hex, counts as numbers.
    pub(crate) fn encode(&self) -> String {
        let expected = encode_hex(&self.expected);
        let value = match &self.recipe {
            Recipe::Digest { algorithm, args } => {
                let args: Vec<Value> = args
                    .iter()
                    .map(|arg| match arg {
                        Arg::Password => Value::from(PASSWORD_ARG),
                        // Text args came from JSON strings, so they are valid UTF-8.
                        Arg::Text(text) => Value::from(String::from_utf8_lossy(text).into_owned()),
                    })
                    .collect();
                serde_json::json!([algorithm.name(), args, expected])
            }
            Recipe::Pbkdf2 {
                digest,
                salt,
                iterations,
            } => {
                // Control characters would grow sixfold as JSON escapes, so such salts, like any
                // that is not UTF-8 or that starts with `hex:` itself, are written as hex.
                let salt = match std::str::from_utf8(salt) {
                    Ok(text)
                        if !text.starts_with("hex:") && !text.chars().any(char::is_control) =>
                    {
                        text.to_string()
                    }
                    _ => format!("hex:{}", encode_hex(salt)),
                };
                let args = serde_json::json!([
                    salt,
                    iterations,
                    self.expected.len(),
                    digest.name(),
                    PASSWORD_ARG
                ]);
                serde_json::json!(["pbkdf2", args, expected])
            }
            Recipe::FirebaseScrypt {
                salt,
                signer_key,
                separator,
                cost,
            } => {
                let args = serde_json::json!([
                    encode_base64_std(salt),
                    encode_base64_std(signer_key),
                    encode_base64_std(separator),
                    cost.r,
                    cost.log_n,
                    PASSWORD_ARG
                ]);
                serde_json::json!(["firebase-scrypt", args, encode_base64_std(&self.expected)])
            }
        };
        value.to_string()
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        match &self.recipe {
            Recipe::Digest { algorithm, args } => vec![
                ("algorithm", algorithm.name().to_string()),
                ("args", args.len().to_string()),
            ],
            Recipe::Pbkdf2 {
                digest,
                salt,
                iterations,
            } => vec![
                ("algorithm", "pbkdf2".to_string()),
                ("digest", digest.name().to_string()),
                ("iterations", iterations.to_string()),
                ("salt_bytes", salt.len().to_string()),
                ("key_bytes", self.expected.len().to_string()),
            ],
            Recipe::FirebaseScrypt { salt, cost, .. } => vec![
                ("algorithm", "firebase-scrypt".to_string()),
                ("rounds", cost.r.to_string()),
                ("mem_cost", cost.log_n.to_string()),
                ("salt_bytes", salt.len().to_string()),
            ],
        }
    }
}

/// Parses a `Legacy` JSON recipe strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<LegacyHash, Error> {
    let value: Value = serde_json::from_str(stored).map_err(|err| {
        Error::malformed(SCHEME, format!("invalid JSON at column {}", err.column()))
    })?;
    let Value::Array(items) = value else {
        return Err(Error::malformed(SCHEME, "must be a JSON array"));
    };
    let [
        Value::String(algorithm),
        Value::Array(args),
        Value::String(expected),
    ] = items.as_slice()
    else {
        return Err(Error::malformed(
            SCHEME,
            "must be [algorithm string, [args...], expected hex string]",
        ));
    };

    if algorithm == "pbkdf2" {
        return parse_pbkdf2(args, expected);
    }
    if algorithm == "firebase-scrypt" {
        return parse_firebase(args, expected);
    }
    let Some(digest) = Algorithm::from_name(algorithm) else {
        return Err(Error::UnsupportedScheme {
            detail: format!("logto legacy algorithm {:?}", truncate(algorithm, 32)),
        });
    };
    let args = parse_digest_args(args)?;
    let expected = decode_expected(expected, digest.name(), digest.output_len())?;
    Ok(LegacyHash {
        recipe: Recipe::Digest {
            algorithm: digest,
            args,
        },
        expected,
    })
}

fn parse_digest_args(args: &[Value]) -> Result<Vec<Arg>, Error> {
    let mut parsed = Vec::with_capacity(args.len());
    for arg in args {
        let Value::String(text) = arg else {
            return Err(Error::malformed(
                SCHEME,
                "every digest arg must be a string",
            ));
        };
        if text == PASSWORD_ARG {
            parsed.push(Arg::Password);
        } else {
            parsed.push(Arg::Text(text.as_bytes().to_vec()));
        }
    }
    let placeholders = parsed
        .iter()
        .filter(|arg| matches!(arg, Arg::Password))
        .count();
    if placeholders == 0 {
        return Err(Error::malformed(
            SCHEME,
            "args must contain \"@\", the password placeholder",
        ));
    }
    if placeholders > MAX_PASSWORD_ARGS {
        return Err(Error::exceeds(
            SCHEME,
            "password placeholders",
            placeholders as u64,
            MAX_PASSWORD_ARGS as u64,
        ));
    }
    Ok(parsed)
}

fn parse_pbkdf2(args: &[Value], expected: &str) -> Result<LegacyHash, Error> {
    let [salt, iterations, keylen, digest, password] = args else {
        return Err(Error::malformed(
            SCHEME,
            format!(
                "pbkdf2 args must be [salt, iterations, keylen, digest, \"@\"], got {} args",
                args.len()
            ),
        ));
    };
    if password.as_str() != Some(PASSWORD_ARG) {
        return Err(Error::malformed(
            SCHEME,
            "the last pbkdf2 arg must be \"@\", the password placeholder",
        ));
    }

    let salt = parse_salt(salt)?;
    let iterations = parse_count(iterations, "pbkdf2 iterations")?;
    let keylen = parse_count(keylen, "pbkdf2 keylen")?;
    let Some(digest) = digest.as_str().and_then(Algorithm::from_name) else {
        return Err(Error::UnsupportedScheme {
            detail:
                "logto legacy pbkdf2 digest must be md5, sha1, sha224, sha256, sha384 or sha512"
                    .to_string(),
        });
    };
    if keylen > MAX_PBKDF2_KEY_LEN {
        return Err(Error::exceeds(
            SCHEME,
            "pbkdf2 keylen (bytes)",
            keylen,
            MAX_PBKDF2_KEY_LEN,
        ));
    }
    // Bounded by MAX_PBKDF2_KEY_LEN just above, so the conversion cannot truncate.
    let expected = decode_expected(expected, "pbkdf2", keylen as usize)?;
    Ok(LegacyHash {
        recipe: Recipe::Pbkdf2 {
            digest,
            salt,
            iterations,
        },
        expected,
    })
}

/// Reads `[salt, signer_key, salt_separator, rounds, mem_cost, "@"]` with base64 values, standard
/// or URL-safe, and an `expected` hash in either base64 alphabet.
fn parse_firebase(args: &[Value], expected: &str) -> Result<LegacyHash, Error> {
    let [salt, signer_key, separator, rounds, mem_cost, password] = args else {
        return Err(Error::malformed(
            SCHEME,
            format!(
                "firebase-scrypt args must be [salt, signer_key, salt_separator, rounds, \
                 mem_cost, \"@\"], got {} args",
                args.len()
            ),
        ));
    };
    if password.as_str() != Some(PASSWORD_ARG) {
        return Err(Error::malformed(
            SCHEME,
            "the last firebase-scrypt arg must be \"@\", the password placeholder",
        ));
    }
    let base64 = |value: &Value, name: &str| -> Result<Vec<u8>, Error> {
        value.as_str().and_then(decode_base64_any).ok_or_else(|| {
            Error::malformed(SCHEME, format!("firebase-scrypt {name} is not base64"))
        })
    };
    let salt = base64(salt, "salt")?;
    let signer_key = base64(signer_key, "signer key")?;
    let separator = base64(separator, "salt separator")?;
    let rounds = parse_count(rounds, "firebase-scrypt rounds")?;
    let mem_cost = parse_count(mem_cost, "firebase-scrypt mem_cost")?;
    let (Ok(r), Ok(log_n)) = (u32::try_from(rounds), u8::try_from(mem_cost)) else {
        return Err(Error::malformed(
            SCHEME,
            "firebase-scrypt rounds or mem_cost out of range",
        ));
    };
    if log_n >= 64 || signer_key.is_empty() {
        return Err(Error::malformed(
            SCHEME,
            "firebase-scrypt mem_cost must be below 64 and the signer key non-empty",
        ));
    }
    let expected = decode_base64_any(expected)
        .ok_or_else(|| Error::malformed(SCHEME, "firebase-scrypt expected value is not base64"))?;
    if expected.len() != signer_key.len() {
        return Err(Error::WrongDigestLength {
            algorithm: "firebase-scrypt",
            expected: signer_key.len(),
            actual: expected.len(),
        });
    }
    Ok(LegacyHash {
        recipe: Recipe::FirebaseScrypt {
            salt,
            signer_key,
            separator,
            cost: scrypt::Cost { log_n, r, p: 1 },
        },
        expected,
    })
}

/// Decodes standard or URL-safe base64, padded or not.
fn decode_base64_any(text: &str) -> Option<Vec<u8>> {
    decode_base64_std(&text.replace('-', "+").replace('_', "/"))
}

fn parse_salt(salt: &Value) -> Result<Vec<u8>, Error> {
    let Value::String(text) = salt else {
        return Err(Error::malformed(SCHEME, "pbkdf2 salt must be a string"));
    };
    match text.strip_prefix("hex:") {
        Some(hex) => decode_hex(hex)
            .ok_or_else(|| Error::malformed(SCHEME, "pbkdf2 salt after 'hex:' is not hex")),
        None => Ok(text.as_bytes().to_vec()),
    }
}

/// Reads a positive count written as a JSON integer or a decimal string.
fn parse_count(value: &Value, name: &'static str) -> Result<u64, Error> {
    let count = match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse::<u64>().ok()
        }
        _ => None,
    };
    match count {
        Some(count) if count > 0 => Ok(count),
        _ => Err(Error::malformed(
            SCHEME,
            format!("{name} must be a positive integer"),
        )),
    }
}

fn decode_expected(expected: &str, algorithm: &'static str, len: usize) -> Result<Vec<u8>, Error> {
    let bytes = decode_hex(expected)
        .ok_or_else(|| Error::malformed(SCHEME, "expected value is not hex"))?;
    if bytes.len() != len {
        return Err(Error::WrongDigestLength {
            algorithm,
            expected: len,
            actual: bytes.len(),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_placeholder_rejected() {
        let err = parse(r#"["sha1", ["salt"], "9e914b70ad71cfcaafa158c2538b1348d5b33724"]"#)
            .expect_err("no @");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn unknown_algorithm_unsupported() {
        let err = parse(r#"["whirlpool9", ["@"], "00"]"#).expect_err("unknown");
        assert_eq!(err.kind(), "unsupported_scheme");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let nested = format!("{}{}", "[".repeat(3000), "]".repeat(3000));
        let err = parse(&nested).expect_err("recursion limit");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn pbkdf2_counts_as_strings_or_numbers() {
        let expected = "00".repeat(32);
        let as_numbers = format!(r#"["pbkdf2", ["salt", 1000, 32, "sha256", "@"], "{expected}"]"#);
        let as_strings =
            format!(r#"["pbkdf2", ["salt", "1000", "32", "sha256", "@"], "{expected}"]"#);
        assert!(parse(&as_numbers).is_ok());
        assert!(parse(&as_strings).is_ok());
    }
}
