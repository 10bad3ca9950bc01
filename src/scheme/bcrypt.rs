//! bcrypt modular crypt strings: `$2b$<cost>$<22-character salt><31-character digest>`.
//!
//! `$2a$`, `$2b$` and `$2y$` name the same algorithm for every password these strings can have
//! come from, so all three verify. `$2x$` marks hashes made with crypt_blowfish's sign-extension
//! bug, whose digest differs for bytes of 0x80 and above. It is rejected as an unsupported
//! variant, because verifying it as `$2a$` would lock out exactly the users it was made for. A Spring Security `{bcrypt}` prefix, in any
//! case, is accepted in front of the string.
//!
//! Verification uses only the first 72 bytes of the password, because every bcrypt
//! implementation did so when these hashes were made. The upgrade hashes the whole password.

use zeroize::Zeroizing;

use crate::Error;
use crate::encoding::{decode_bcrypt64, digests_equal, encode_bcrypt64};
use crate::policy::Limits;

const SCHEME: &str = "bcrypt";

/// Spring Security's `DelegatingPasswordEncoder` prefix.
const SPRING_PREFIX: &str = "{bcrypt}";

/// Length of a bcrypt modular crypt string.
const ENCODED_LEN: usize = 60;

/// Bytes of the password that bcrypt reads, including the NUL terminator it appends.
const MAX_KEY_BYTES: usize = 72;

/// A parsed bcrypt hash.
#[derive(Clone, Debug)]
pub(crate) struct BcryptHash {
    minor: char,
    cost: u32,
    salt: [u8; 16],
    /// The 23 digest bytes the string encodes (bcrypt computes 24 and stores 23).
    digest: [u8; 23],
    spring_prefix: bool,
}

impl BcryptHash {
    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        if self.cost > limits.bcrypt_max_cost {
            return Err(Error::exceeds(
                SCHEME,
                "cost (log2 rounds)",
                self.cost.into(),
                limits.bcrypt_max_cost.into(),
            ));
        }
        Ok(())
    }

    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, Error> {
        if password.contains(&0) {
            return Err(Error::PasswordContainsNul { scheme: SCHEME });
        }

        // bcrypt's key is the password with a NUL terminator, cut to 72 bytes.
        let mut key = Zeroizing::new(Vec::with_capacity(password.len() + 1));
        key.extend_from_slice(password);
        key.push(0);
        key.truncate(MAX_KEY_BYTES);

        let computed = Zeroizing::new(bcrypt::bcrypt(self.cost, self.salt, &key));
        Ok(digests_equal(&computed[..23], &self.digest))
    }

    /// Writes the canonical string, keeping a Spring prefix as `{bcrypt}`.
    pub(crate) fn encode(&self) -> String {
        let prefix = if self.spring_prefix {
            SPRING_PREFIX
        } else {
            ""
        };
        format!(
            "{prefix}$2{}${:02}${}{}",
            self.minor,
            self.cost,
            encode_bcrypt64(&self.salt),
            encode_bcrypt64(&self.digest)
        )
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("variant", format!("2{}", self.minor)),
            ("cost", self.cost.to_string()),
        ];
        if self.spring_prefix {
            params.push(("prefix", SPRING_PREFIX.to_string()));
        }
        params
    }
}

/// Returns true when `stored` opens like a bcrypt string, so bcrypt's parser should judge it.
pub(crate) fn looks_like(stored: &str) -> bool {
    strip_spring_prefix(stored).0.starts_with("$2")
}

fn strip_spring_prefix(stored: &str) -> (&str, bool) {
    match stored.get(..SPRING_PREFIX.len()) {
        Some(head) if head.eq_ignore_ascii_case(SPRING_PREFIX) => {
            (&stored[SPRING_PREFIX.len()..], true)
        }
        _ => (stored, false),
    }
}

/// Parses a bcrypt string strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<BcryptHash, Error> {
    let (mcf, spring_prefix) = strip_spring_prefix(stored);
    let bytes = mcf.as_bytes();
    if !mcf.starts_with("$2") {
        return Err(Error::malformed(SCHEME, "must start with $2"));
    }

    let minor = bytes.get(2).copied().map(char::from).unwrap_or('$');
    match minor {
        'a' | 'b' | 'y' => {}
        'x' => {
            return Err(Error::UnsupportedVariant {
                scheme: SCHEME,
                variant: "$2x$".to_string(),
                reason: "it marks crypt_blowfish's sign-extension bug, whose digest differs for \
                         bytes of 0x80 and above",
            });
        }
        _ => {
            return Err(Error::malformed(
                SCHEME,
                "identifier must be $2a$, $2b$ or $2y$",
            ));
        }
    }

    // Every valid character is ASCII, and checking it first keeps the slices below on
    // character boundaries.
    if bytes.len() != ENCODED_LEN || !mcf.is_ascii() {
        return Err(Error::malformed(
            SCHEME,
            format!(
                "must be exactly 60 ASCII characters, got {}",
                mcf.chars().count()
            ),
        ));
    }
    if bytes[3] != b'$' || bytes[6] != b'$' {
        return Err(Error::malformed(
            SCHEME,
            "expected $2<v>$<two-digit cost>$<53 characters>",
        ));
    }

    let cost = parse_cost(&mcf[4..6])?;
    let salt = decode_bcrypt64::<16>(&mcf[7..29])
        .ok_or_else(|| Error::malformed(SCHEME, "salt is not 22 characters of bcrypt base64"))?;
    let digest = decode_bcrypt64::<23>(&mcf[29..])
        .ok_or_else(|| Error::malformed(SCHEME, "digest is not 31 characters of bcrypt base64"))?;

    Ok(BcryptHash {
        minor,
        cost,
        salt,
        digest,
        spring_prefix,
    })
}

fn parse_cost(field: &str) -> Result<u32, Error> {
    let two_digits = field.len() == 2 && field.bytes().all(|b| b.is_ascii_digit());
    let cost = if two_digits {
        field.parse::<u32>().ok()
    } else {
        None
    };
    match cost {
        Some(cost @ 4..=31) => Ok(cost),
        _ => Err(Error::malformed(
            SCHEME,
            format!("cost must be two digits from 04 to 31, got {field:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "$2b$06$RBdWkXeWaTJAK2lMmXVZ3uJuaR/Cf/MCd77ePhjH7FZORS4JvN8TO";

    #[test]
    fn parses_cost_and_variant() {
        let hash = parse(HASH).expect("valid bcrypt");
        assert_eq!(hash.cost, 6);
        assert_eq!(hash.minor, 'b');
        assert!(!hash.spring_prefix);
    }

    #[test]
    fn spring_prefix_any_case() {
        assert!(
            parse(&format!("{{BCRYPT}}{HASH}"))
                .expect("prefix")
                .spring_prefix
        );
        assert!(looks_like(&format!("{{Bcrypt}}{HASH}")));
    }

    // Found by fuzzing: 60 bytes with a multi-byte character across a field boundary panicked
    // on a slice that was not on a character boundary.
    #[test]
    fn non_ascii_string_rejected() {
        let stored = format!("{}\u{e9}{}", &HASH[..28], &HASH[29..59]);
        assert_eq!(stored.len(), 60);
        let err = parse(&stored).expect_err("non-ASCII");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn cost_outside_range_malformed() {
        for cost in ["03", "32", "6$", "+6"] {
            let stored = format!("$2b${cost}{}", &HASH[6..]);
            let err = parse(&stored).expect_err(cost);
            assert_eq!(err.kind(), "malformed_hash", "cost {cost}");
        }
    }
}
