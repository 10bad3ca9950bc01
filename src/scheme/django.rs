//! Django's `<algorithm>$...` strings that wrap another scheme or an old salted digest, passlib's
//! `$bcrypt-sha256$`, and MySQL 4.1's `*<HEX>`.
//!
//! ```text
//! md5$<salt>$<hex md5(salt + password)>        sha1$<salt>$<hex sha1(salt + password)>
//! md5$$<hex md5(password)>                     sha1$$<hex sha1(password)>
//! bcrypt$<bcrypt string>                       bcrypt over the password
//! bcrypt_sha256$<bcrypt string>                bcrypt over the hex SHA-256 of the password
//! argon2$<argon2 PHC string without its first '$'>
//! $bcrypt-sha256$v=2,t=2b,r=12$<22 salt>$<31 digest>   bcrypt over base64(HMAC-SHA256(salt, password))
//! *<40 hex>                                    MySQL: sha1(sha1(password)), hex of either case
//! ```
//!
//! Werkzeug's legacy `sha1$<salt>$<hex>` has the same shape as Django's but is an HMAC; this
//! module reads Django's meaning, the common one.

use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::encoding::{decode_hex, digests_equal, encode_base64_std, encode_hex, is_hex};
use crate::policy::Limits;
use crate::scheme::argon2::{self, Argon2Hash};
use crate::scheme::bcrypt::{self, BcryptHash};
use crate::scheme::digest::Algorithm;
use crate::scheme::keyed;
use crate::{Error, SchemeKind};

/// A parsed Django, passlib `bcrypt-sha256` or MySQL string.
#[derive(Clone, Debug)]
pub(crate) enum Wrapped {
    /// `md5$` or `sha1$`, salted or not.
    Salted {
        algorithm: Algorithm,
        salt: String,
        expected: Vec<u8>,
    },
    Bcrypt(BcryptHash),
    BcryptSha256(BcryptHash),
    Argon2(Argon2Hash),
    /// passlib `$bcrypt-sha256$`: version 2 keys an HMAC with the salt text, version 1 hashes
    /// with plain SHA-256.
    PasslibBcryptSha256 {
        inner: BcryptHash,
        salt: String,
        rounds: u32,
        version: u8,
    },
    Mysql41 {
        expected: Vec<u8>,
    },
}

impl Wrapped {
    pub(crate) fn kind(&self) -> SchemeKind {
        match self {
            Wrapped::Salted {
                algorithm: Algorithm::Md5,
                ..
            } => SchemeKind::DjangoMd5,
            Wrapped::Salted { .. } => SchemeKind::DjangoSha1,
            Wrapped::Bcrypt(_) => SchemeKind::DjangoBcrypt,
            Wrapped::BcryptSha256(_) => SchemeKind::DjangoBcryptSha256,
            Wrapped::Argon2(_) => SchemeKind::DjangoArgon2,
            Wrapped::PasslibBcryptSha256 { .. } => SchemeKind::PasslibBcryptSha256,
            Wrapped::Mysql41 { .. } => SchemeKind::Mysql41,
        }
    }

    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        match self {
            Wrapped::Bcrypt(inner)
            | Wrapped::BcryptSha256(inner)
            | Wrapped::PasslibBcryptSha256 { inner, .. } => inner.check_limits(limits),
            Wrapped::Argon2(inner) => inner.check_limits(limits),
            Wrapped::Salted { .. } | Wrapped::Mysql41 { .. } => Ok(()),
        }
    }

    pub(crate) fn verify(
        &self,
        password: &[u8],
        wipe: bool,
        pool: Option<&crate::memory_pool::MemoryPool>,
    ) -> Result<bool, Error> {
        match self {
            Wrapped::Salted {
                algorithm,
                salt,
                expected,
            } => {
                let computed = algorithm.digest(&[salt.as_bytes(), password]);
                Ok(digests_equal(&computed, expected))
            }
            Wrapped::Bcrypt(inner) => inner.verify(password),
            Wrapped::BcryptSha256(inner) => {
                let prehash = Zeroizing::new(encode_hex(&Sha256::digest(password)));
                inner.verify(prehash.as_bytes())
            }
            Wrapped::Argon2(inner) => inner.verify(password, wipe, pool),
            Wrapped::PasslibBcryptSha256 {
                inner,
                salt,
                version,
                ..
            } => {
                let digest = if *version == 1 {
                    Zeroizing::new(Sha256::digest(password).to_vec())
                } else {
                    keyed::hmac(Algorithm::Sha256, salt.as_bytes(), &[password])
                };
                let prehash = Zeroizing::new(encode_base64_std(&digest));
                inner.verify(prehash.as_bytes())
            }
            Wrapped::Mysql41 { expected } => {
                let first = Zeroizing::new(Sha1::digest(password).to_vec());
                let second = Sha1::digest(&*first);
                Ok(digests_equal(&second, expected))
            }
        }
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Wrapped::Salted { salt, .. } => vec![("salt_chars", salt.len().to_string())],
            Wrapped::Bcrypt(inner) | Wrapped::BcryptSha256(inner) => inner.params(),
            Wrapped::PasslibBcryptSha256 { rounds, .. } => vec![("cost", rounds.to_string())],
            Wrapped::Argon2(inner) => inner.params(),
            Wrapped::Mysql41 { .. } => Vec::new(),
        }
    }

    pub(crate) fn encode(&self) -> String {
        match self {
            Wrapped::Salted {
                algorithm,
                salt,
                expected,
            } => format!("{}${salt}${}", algorithm.name(), encode_hex(expected)),
            Wrapped::Bcrypt(inner) => format!("bcrypt${}", inner.encode()),
            Wrapped::BcryptSha256(inner) => format!("bcrypt_sha256${}", inner.encode()),
            Wrapped::Argon2(inner) => format!("argon2{}", inner.encode()),
            Wrapped::PasslibBcryptSha256 {
                inner,
                rounds,
                version,
                ..
            } => {
                let text = inner.encode();
                let ident = &text[1..3];
                let (salt, digest) = (&text[7..29], &text[29..]);
                if *version == 1 {
                    format!("$bcrypt-sha256${ident},{rounds}${salt}${digest}")
                } else {
                    format!("$bcrypt-sha256$v=2,t={ident},r={rounds}${salt}${digest}")
                }
            }
            Wrapped::Mysql41 { expected } => format!("*{}", encode_hex(expected).to_uppercase()),
        }
    }
}

/// Returns true when `stored` opens with a prefix this module reads.
pub(crate) fn looks_like(stored: &str) -> bool {
    [
        "md5$",
        "sha1$",
        "bcrypt$",
        "bcrypt_sha256$",
        "argon2$",
        "$bcrypt-sha256$",
    ]
    .iter()
    .any(|prefix| stored.starts_with(prefix))
        || (stored.len() > 1 && stored.starts_with('*'))
}

/// Parses a Django, passlib `bcrypt-sha256` or MySQL string strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<Wrapped, Error> {
    if let Some(rest) = stored.strip_prefix("bcrypt_sha256$") {
        return bcrypt::parse(rest).map(Wrapped::BcryptSha256);
    }
    if let Some(rest) = stored.strip_prefix("bcrypt$") {
        return bcrypt::parse(rest).map(Wrapped::Bcrypt);
    }
    if let Some(rest) = stored.strip_prefix("argon2$") {
        return argon2::parse(&format!("${rest}")).map(Wrapped::Argon2);
    }
    if let Some(rest) = stored.strip_prefix("$bcrypt-sha256$") {
        return parse_passlib_bcrypt_sha256(rest);
    }
    if let Some(hex) = stored.strip_prefix('*') {
        return parse_mysql41(hex);
    }
    if let Some(rest) = stored.strip_prefix("md5$") {
        return parse_salted(Algorithm::Md5, rest, "django-md5");
    }
    if let Some(rest) = stored.strip_prefix("sha1$") {
        return parse_salted(Algorithm::Sha1, rest, "django-sha1");
    }
    Err(Error::malformed("django", "unknown prefix"))
}

fn parse_mysql41(hex: &str) -> Result<Wrapped, Error> {
    if !is_hex(hex) {
        return Err(Error::malformed("mysql41", "expected * and 40 hex digits"));
    }
    if hex.len() != 40 {
        return Err(Error::WrongDigestLength {
            algorithm: "mysql41",
            expected: 20,
            actual: hex.len() / 2,
        });
    }
    let expected = decode_hex(hex).ok_or_else(|| Error::malformed("mysql41", "odd hex"))?;
    Ok(Wrapped::Mysql41 { expected })
}

/// Reads `<salt>$<hex digest>` after Django's `md5$` or `sha1$`.
fn parse_salted(algorithm: Algorithm, rest: &str, name: &'static str) -> Result<Wrapped, Error> {
    let Some((salt, hex)) = rest.split_once('$') else {
        return Err(Error::malformed(
            name,
            "expected <algorithm>$<salt>$<hex digest>",
        ));
    };
    if !is_hex(hex) {
        return Err(Error::malformed(name, "digest is not hex"));
    }
    let expected_len = algorithm.output_len();
    if hex.len() != 2 * expected_len {
        return Err(Error::WrongDigestLength {
            algorithm: algorithm.name(),
            expected: expected_len,
            actual: hex.len() / 2,
        });
    }
    let expected = decode_hex(hex).ok_or_else(|| Error::malformed(name, "digest is not hex"))?;
    Ok(Wrapped::Salted {
        algorithm,
        salt: salt.to_string(),
        expected,
    })
}

fn parse_passlib_bcrypt_sha256(rest: &str) -> Result<Wrapped, Error> {
    const NAME: &str = "passlib-bcrypt-sha256";
    let fields: Vec<&str> = rest.split('$').collect();
    let [params, salt, digest] = fields.as_slice() else {
        return Err(Error::malformed(
            NAME,
            "expected v=2,t=<ident>,r=<cost>$<salt>$<digest>",
        ));
    };
    let (version, ident, rounds) = if let Some(settings) = params.strip_prefix("v=2,t=") {
        let Some((ident, rounds)) = settings.split_once(",r=") else {
            return Err(Error::malformed(NAME, "expected t=<ident>,r=<cost>"));
        };
        (2, ident, rounds)
    } else if params.starts_with("v=") {
        return Err(Error::UnsupportedVariant {
            scheme: NAME,
            variant: crate::scheme::truncate(params, 16),
            reason: "only versions 1 and 2 exist",
        });
    } else {
        // Version 1 writes `<ident>,<cost>`.
        let Some((ident, rounds)) = params.split_once(',') else {
            return Err(Error::malformed(
                NAME,
                "expected <ident>,<cost> or v=2,t=<ident>,r=<cost>",
            ));
        };
        (1, ident, rounds)
    };
    let cost = rounds
        .parse::<u32>()
        .ok()
        .filter(|cost| (4..=31).contains(cost) && !rounds.starts_with('0'));
    let (true, Some(rounds)) = (matches!(ident, "2a" | "2b" | "2y"), cost) else {
        return Err(Error::malformed(
            NAME,
            "ident must be 2a, 2b or 2y and cost 4 to 31",
        ));
    };
    let inner = bcrypt::parse(&format!("${ident}${rounds:02}${salt}{digest}"))?;
    Ok(Wrapped::PasslibBcryptSha256 {
        inner,
        salt: (*salt).to_string(),
        rounds,
        version,
    })
}
