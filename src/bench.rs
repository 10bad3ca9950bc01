//! Stored hashes with a random salt and digest at chosen parameters, for timing verifies.
//!
//! A verify with a wrong password does the same work as one with the right password: the scheme
//! recomputes the digest from the salt and the cost, then compares. So a syntactically valid
//! stored hash whose digest is random costs exactly what a real one costs at the same parameters,
//! and every verify against it returns an invalid verdict. `pwmigrate bench`, `pwmigrate
//! calibrate` and the benches under `benches/` time verifies this way.
//!
//! ```
//! use pwmigrate::bench::Sample;
//! use pwmigrate::{Password, Policy, Verifier};
//!
//! let sample = Sample::Bcrypt { cost: 4 };
//! let stored = sample.stored_hash()?;
//! assert!(stored.starts_with("$2b$04$"));
//! let verifier = Verifier::new(Policy::default())?;
//! let verdict = verifier.verify(&Password::from("any password"), &stored, None)?;
//! assert!(!verdict.is_valid());
//! # Ok::<(), pwmigrate::Error>(())
//! ```

use crate::encoding::{
    CRYPT_ALPHABET, encode_base64_std, encode_bcrypt64, encode_hex, encode_phc_b64,
};
use crate::{Argon2Target, Error, SchemeKind};

/// A scheme and its cost parameters, for a sample stored hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sample {
    /// Argon2id PHC string, version 19, 16-byte salt, 32-byte output.
    Argon2id {
        /// Memory cost in KiB (m).
        memory_kib: u32,
        /// Passes over memory (t).
        iterations: u32,
        /// Lanes (p).
        parallelism: u32,
    },
    /// bcrypt `$2b$`.
    Bcrypt {
        /// log2 of the rounds, 4 to 31.
        cost: u32,
    },
    /// Django `pbkdf2_sha256$`, 22-character salt, 32-byte output.
    DjangoPbkdf2Sha256 {
        /// PBKDF2-HMAC-SHA256 iterations.
        iterations: u32,
    },
    /// sha512-crypt `$6$`, 16-character salt.
    Sha512Crypt {
        /// Rounds, 1000 to 999,999,999; 5000 is written without `rounds=`, as glibc does.
        rounds: u32,
    },
    /// sha256-crypt `$5$`, 16-character salt.
    Sha256Crypt {
        /// Rounds, 1000 to 999,999,999; 5000 is written without `rounds=`, as glibc does.
        rounds: u32,
    },
    /// md5-crypt `$1$`, 8-character salt; the algorithm fixes 1000 rounds.
    Md5Crypt,
    /// phpass `$P$`, the portable hashes of WordPress 6.7 and earlier.
    Phpass {
        /// log2 of the MD5 rounds, 7 to 30.
        log2_rounds: u32,
    },
    /// Drupal 7 `$S$`.
    Drupal7 {
        /// log2 of the SHA-512 rounds, 7 to 30.
        log2_rounds: u32,
    },
    /// OpenLDAP `{SSHA}`: SHA-1 over the password and an 8-byte salt.
    LdapSsha,
    /// scrypt `$scrypt$ln=..,r=..,p=..$`, 16-byte salt, 32-byte output.
    Scrypt {
        /// log2 of N, 1 to 63.
        log2_n: u8,
        /// Block size r.
        r: u32,
        /// Parallelism p.
        p: u32,
    },
    /// Unsalted MD5 in hex.
    Md5,
    /// Unsalted SHA-1 in hex.
    Sha1,
    /// Unsalted SHA-256 in hex.
    Sha256,
    /// Unsalted SHA-512 in hex.
    Sha512,
}

impl Sample {
    /// Each family at the default cost of the platform that writes it, in the order
    /// `pwmigrate bench` prints them.
    ///
    /// Argon2id at [`Argon2Target::OWASP_MINIMUM`], the default policy; bcrypt cost 10 (the
    /// default of pyca bcrypt, Spring Security and PHP's `password_hash` before PHP 8.4); Django
    /// 4.2's 600,000 PBKDF2 iterations; glibc's 5000 sha-crypt rounds; WordPress's `$P$B`
    /// (2^13) and Drupal 7's `$S$D` (2^15); Django's scrypt N=2^14, r=8, p=1.
    pub const PLATFORM_DEFAULTS: &[Sample] = &[
        Sample::Argon2id {
            memory_kib: Argon2Target::OWASP_MINIMUM.memory_kib,
            iterations: Argon2Target::OWASP_MINIMUM.iterations,
            parallelism: Argon2Target::OWASP_MINIMUM.parallelism,
        },
        Sample::Bcrypt { cost: 10 },
        Sample::DjangoPbkdf2Sha256 {
            iterations: 600_000,
        },
        Sample::Scrypt {
            log2_n: 14,
            r: 8,
            p: 1,
        },
        Sample::Drupal7 { log2_rounds: 15 },
        Sample::Sha512Crypt { rounds: 5000 },
        Sample::Sha256Crypt { rounds: 5000 },
        Sample::Phpass { log2_rounds: 13 },
        Sample::Md5Crypt,
        Sample::LdapSsha,
        Sample::Sha256,
        Sample::Sha1,
        Sample::Md5,
    ];

    /// Returns the scheme that [`Sample::stored_hash`] writes.
    pub fn kind(&self) -> SchemeKind {
        match self {
            Sample::Argon2id { .. } => SchemeKind::Argon2id,
            Sample::Bcrypt { .. } => SchemeKind::Bcrypt,
            Sample::DjangoPbkdf2Sha256 { .. } => SchemeKind::DjangoPbkdf2Sha256,
            Sample::Sha512Crypt { .. } => SchemeKind::Sha512Crypt,
            Sample::Sha256Crypt { .. } => SchemeKind::Sha256Crypt,
            Sample::Md5Crypt => SchemeKind::Md5Crypt,
            Sample::Phpass { .. } => SchemeKind::Phpass,
            Sample::Drupal7 { .. } => SchemeKind::Drupal7,
            Sample::LdapSsha => SchemeKind::LdapSsha,
            Sample::Scrypt { .. } => SchemeKind::Scrypt,
            Sample::Md5 => SchemeKind::Md5,
            Sample::Sha1 => SchemeKind::Sha1,
            Sample::Sha256 => SchemeKind::Sha256,
            Sample::Sha512 => SchemeKind::Sha512,
        }
    }

    /// Returns the cost parameters as name and value pairs, in the names `pwmigrate bench
    /// --params` takes; empty for schemes without a cost.
    pub fn params(&self) -> Vec<(&'static str, u64)> {
        match *self {
            Sample::Argon2id {
                memory_kib,
                iterations,
                parallelism,
            } => vec![
                ("m", memory_kib.into()),
                ("t", iterations.into()),
                ("p", parallelism.into()),
            ],
            Sample::Bcrypt { cost } => vec![("cost", cost.into())],
            Sample::DjangoPbkdf2Sha256 { iterations } => vec![("iterations", iterations.into())],
            Sample::Sha512Crypt { rounds } | Sample::Sha256Crypt { rounds } => {
                vec![("rounds", rounds.into())]
            }
            Sample::Phpass { log2_rounds } | Sample::Drupal7 { log2_rounds } => {
                vec![("log2_rounds", log2_rounds.into())]
            }
            Sample::Scrypt { log2_n, r, p } => {
                vec![("ln", log2_n.into()), ("r", r.into()), ("p", p.into())]
            }
            Sample::Md5Crypt
            | Sample::LdapSsha
            | Sample::Md5
            | Sample::Sha1
            | Sample::Sha256
            | Sample::Sha512 => Vec::new(),
        }
    }

    /// Writes a stored hash at these parameters with a fresh random salt and digest.
    ///
    /// The string parses as [`Sample::kind`] but no password matches it, except with the
    /// chance of guessing the digest. It is not checked against any [`Limits`](crate::Limits):
    /// the verify or [`identify`](crate::identify) that reads it does that.
    ///
    /// # Errors
    ///
    /// Returns [`Error::InvalidPolicy`] for a parameter outside the range its format can
    /// write (such as bcrypt cost 3 or sha-crypt rounds under 1000), and [`Error::Randomness`]
    /// when no random bytes are available.
    pub fn stored_hash(&self) -> Result<String, Error> {
        self.check_format_range()?;
        let stored = match *self {
            Sample::Argon2id {
                memory_kib,
                iterations,
                parallelism,
            } => format!(
                "$argon2id$v=19$m={memory_kib},t={iterations},p={parallelism}${}${}",
                encode_phc_b64(&random_bytes(16)?),
                encode_phc_b64(&random_bytes(32)?)
            ),
            Sample::Bcrypt { cost } => format!(
                "$2b${cost:02}${}{}",
                encode_bcrypt64(&random_bytes(16)?),
                encode_bcrypt64(&random_bytes(23)?)
            ),
            Sample::DjangoPbkdf2Sha256 { iterations } => format!(
                "pbkdf2_sha256${iterations}${}${}",
                random_text(22, ALPHANUMERIC)?,
                encode_base64_std(&random_bytes(32)?)
            ),
            Sample::Sha512Crypt { rounds } => sha_crypt("$6$", rounds, 64)?,
            Sample::Sha256Crypt { rounds } => sha_crypt("$5$", rounds, 32)?,
            Sample::Md5Crypt => format!(
                "$1${}${}",
                random_text(8, CRYPT_ALPHABET)?,
                encode_crypt64(&random_bytes(16)?)
            ),
            Sample::Phpass { log2_rounds } => portable("$P$", log2_rounds, 22)?,
            Sample::Drupal7 { log2_rounds } => portable("$S$", log2_rounds, 43)?,
            Sample::LdapSsha => format!("{{SSHA}}{}", encode_base64_std(&random_bytes(28)?)),
            Sample::Scrypt { log2_n, r, p } => format!(
                "$scrypt$ln={log2_n},r={r},p={p}${}${}",
                encode_phc_b64(&random_bytes(16)?),
                encode_phc_b64(&random_bytes(32)?)
            ),
            Sample::Md5 => encode_hex(&random_bytes(16)?),
            Sample::Sha1 => encode_hex(&random_bytes(20)?),
            Sample::Sha256 => encode_hex(&random_bytes(32)?),
            Sample::Sha512 => encode_hex(&random_bytes(64)?),
        };
        Ok(stored)
    }

    /// Checks the ranges that the string format itself fixes; the policy's bounds come later.
    fn check_format_range(&self) -> Result<(), Error> {
        let out_of_range = |name: &str, range: &str, value: u64| {
            Err(Error::InvalidPolicy {
                detail: format!("{} {name} must be {range}, got {value}", self.kind().name()),
            })
        };
        match *self {
            Sample::Argon2id {
                memory_kib,
                iterations,
                parallelism,
            } => {
                if parallelism == 0 {
                    return out_of_range("p", "at least 1", 0);
                }
                if iterations == 0 {
                    return out_of_range("t", "at least 1", 0);
                }
                let min_memory = 8 * u64::from(parallelism);
                if u64::from(memory_kib) < min_memory {
                    return out_of_range(
                        "m",
                        &format!("at least 8 KiB per lane ({min_memory})"),
                        memory_kib.into(),
                    );
                }
            }
            Sample::Bcrypt { cost } if !(4..=31).contains(&cost) => {
                return out_of_range("cost", "4 to 31", cost.into());
            }
            Sample::DjangoPbkdf2Sha256 { iterations: 0 } => {
                return out_of_range("iterations", "at least 1", 0);
            }
            Sample::Sha512Crypt { rounds } | Sample::Sha256Crypt { rounds }
                if !(1000..=999_999_999).contains(&rounds) =>
            {
                return out_of_range("rounds", "1000 to 999999999", rounds.into());
            }
            Sample::Phpass { log2_rounds } | Sample::Drupal7 { log2_rounds }
                if !(7..=30).contains(&log2_rounds) =>
            {
                return out_of_range("log2_rounds", "7 to 30", log2_rounds.into());
            }
            Sample::Scrypt { log2_n, r, p } => {
                if !(1..=63).contains(&log2_n) {
                    return out_of_range("ln", "1 to 63", log2_n.into());
                }
                if r == 0 {
                    return out_of_range("r", "at least 1", 0);
                }
                if p == 0 {
                    return out_of_range("p", "at least 1", 0);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

const ALPHANUMERIC: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn random_bytes(len: usize) -> Result<Vec<u8>, Error> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).map_err(Error::Randomness)?;
    Ok(bytes)
}

/// Draws `len` characters from `alphabet`, whose length divides 256 or nearly does; the small
/// bias of the modulo does not matter for a salt that only has to parse.
fn random_text(len: usize, alphabet: &[u8]) -> Result<String, Error> {
    let text = random_bytes(len)?
        .into_iter()
        .map(|byte| char::from(alphabet[usize::from(byte) % alphabet.len()]))
        .collect();
    Ok(text)
}

fn sha_crypt(magic: &str, rounds: u32, digest_len: usize) -> Result<String, Error> {
    let rounds_field = if rounds == 5000 {
        String::new()
    } else {
        format!("rounds={rounds}$")
    };
    Ok(format!(
        "{magic}{rounds_field}{}${}",
        random_text(16, CRYPT_ALPHABET)?,
        encode_crypt64(&random_bytes(digest_len)?)
    ))
}

/// Writes a phpass or Drupal string: the cost character, 8 salt characters, then `encoded_len`
/// characters of crypt base64.
fn portable(magic: &str, log2_rounds: u32, encoded_len: usize) -> Result<String, Error> {
    let cost = char::from(CRYPT_ALPHABET[log2_rounds as usize]);
    Ok(format!(
        "{magic}{cost}{}{}",
        random_text(8, CRYPT_ALPHABET)?,
        random_text(encoded_len, CRYPT_ALPHABET)?
    ))
}

/// Encodes bytes in crypt base64, three bytes to four characters, least significant bits
/// first, and a final partial group of n bytes as n + 1 characters.
///
/// The crypt algorithms also permute the digest bytes before encoding. For random bytes the
/// permutation changes nothing, so this writes a canonical digest of the right length.
fn encode_crypt64(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut word = 0u32;
        for (index, &byte) in chunk.iter().enumerate() {
            word |= u32::from(byte) << (8 * index);
        }
        for _ in 0..=chunk.len() {
            text.push(char::from(CRYPT_ALPHABET[(word & 0x3f) as usize]));
            word >>= 6;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Policy, identify};

    #[test]
    fn every_default_parses_as_its_kind() {
        let policy = Policy::default();
        for sample in Sample::PLATFORM_DEFAULTS {
            let stored = sample.stored_hash().expect("sample");
            let found = identify(&stored, None, &policy).expect("sample parses");
            assert_eq!(found.scheme, sample.kind(), "{stored}");
            assert!(found.limit_error.is_none(), "{stored}");
        }
    }

    #[test]
    fn other_crypt_rounds_written() {
        let stored = Sample::Sha256Crypt { rounds: 10_000 }
            .stored_hash()
            .expect("sample");
        assert!(stored.starts_with("$5$rounds=10000$"), "{stored}");
        let found = identify(&stored, None, &Policy::default()).expect("parses");
        assert!(found.params.contains(&("rounds", "10000".to_string())));
    }

    #[test]
    fn format_ranges_rejected() {
        let cases = [
            Sample::Bcrypt { cost: 3 },
            Sample::Sha512Crypt { rounds: 999 },
            Sample::Phpass { log2_rounds: 31 },
            Sample::Argon2id {
                memory_kib: 31,
                iterations: 1,
                parallelism: 4,
            },
            Sample::Scrypt {
                log2_n: 0,
                r: 8,
                p: 1,
            },
        ];
        for sample in cases {
            let err = sample.stored_hash().expect_err("out of range");
            assert_eq!(err.kind(), "invalid_policy", "{sample:?}");
        }
    }

    #[test]
    fn samples_differ() {
        let first = Sample::Md5.stored_hash().expect("sample");
        let second = Sample::Md5.stored_hash().expect("sample");
        assert_ne!(first, second);
    }
}
