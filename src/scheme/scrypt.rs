//! scrypt (RFC 7914) in the shapes exports carry, and Firebase's modified scrypt.
//!
//! ```text
//! $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>     passlib and PHC; base64 with '.' or '+'
//! scrypt$<salt text>$<N>$<r>$<p>$<base64 key>      Django
//! scrypt:<N>:<r>:<p>$<salt text>$<hex key>         Werkzeug
//! ```
//!
//! Firebase's variant derives a 32-byte key with scrypt over the password, with salt + salt
//! separator, N = 2^mem_cost, r = rounds and p = 1, then encrypts the project's signer key with
//! AES-256-CTR under that key and a zero IV; the ciphertext is the stored hash. It is read from
//! Logto `Legacy` recipes (see `legacy.rs`).

use aes::cipher::{KeyIvInit, StreamCipher};
use zeroize::Zeroizing;

use crate::encoding::{
    decode_base64_std, decode_hex, digests_equal, encode_base64_std, encode_hex, encode_phc_b64,
};
use crate::policy::Limits;
use crate::{Error, SchemeKind};

const SCHEME: &str = "scrypt";

/// Cost parameters with the memory they need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cost {
    pub(crate) log_n: u8,
    pub(crate) r: u32,
    pub(crate) p: u32,
}

impl Cost {
    /// Checks memory (128 × N × r bytes) against the Argon2 memory bound, which caps memory for
    /// every memory-hard scheme, and p against the Argon2 lane bound.
    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        let memory_kib = (1u128 << self.log_n) * u128::from(self.r) / 8;
        let max = u128::from(limits.argon2_max_memory_kib);
        if memory_kib > max {
            return Err(Error::exceeds(
                SCHEME,
                "memory in KiB (128 x N x r bytes)",
                u64::try_from(memory_kib).unwrap_or(u64::MAX),
                limits.argon2_max_memory_kib.into(),
            ));
        }
        if self.p > limits.argon2_max_parallelism {
            return Err(Error::exceeds(
                SCHEME,
                "parallelism",
                self.p.into(),
                limits.argon2_max_parallelism.into(),
            ));
        }
        Ok(())
    }

    fn params(&self) -> Result<scrypt::Params, Error> {
        scrypt::Params::new(self.log_n, self.r, self.p)
            .map_err(|_| Error::malformed(SCHEME, "parameters out of range"))
    }
}

/// Derives `out.len()` bytes of scrypt.
pub(crate) fn derive(
    password: &[u8],
    salt: &[u8],
    cost: &Cost,
    out: &mut [u8],
) -> Result<(), Error> {
    let params = cost.params()?;
    scrypt::scrypt(password, salt, &params, out)
        .map_err(|_| Error::malformed(SCHEME, "invalid output length"))
}

/// Computes Firebase's modified scrypt hash of `password`.
pub(crate) fn firebase_hash(
    password: &[u8],
    salt: &[u8],
    separator: &[u8],
    signer_key: &[u8],
    cost: &Cost,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut salted = salt.to_vec();
    salted.extend_from_slice(separator);
    let mut key = Zeroizing::new([0u8; 32]);
    derive(password, &salted, cost, key.as_mut_slice())?;
    let mut block = Zeroizing::new(signer_key.to_vec());
    let iv = [0u8; 16];
    let mut cipher = ctr::Ctr128BE::<aes::Aes256>::new(&(*key).into(), &iv.into());
    cipher.apply_keystream(&mut block);
    Ok(block)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    Modular,
    Django,
    Werkzeug,
}

/// A parsed scrypt hash.
#[derive(Clone, Debug)]
pub(crate) struct ScryptHash {
    flavor: Flavor,
    cost: Cost,
    salt: Vec<u8>,
    key: Vec<u8>,
}

impl ScryptHash {
    pub(crate) fn kind(&self) -> SchemeKind {
        match self.flavor {
            Flavor::Modular => SchemeKind::Scrypt,
            Flavor::Django => SchemeKind::DjangoScrypt,
            Flavor::Werkzeug => SchemeKind::WerkzeugScrypt,
        }
    }

    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        self.cost.check_limits(limits)
    }

    /// Derives the key for `password`; call only after [`ScryptHash::check_limits`].
    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, Error> {
        let mut computed = Zeroizing::new(vec![0u8; self.key.len()]);
        derive(password, &self.salt, &self.cost, &mut computed)?;
        Ok(digests_equal(&computed, &self.key))
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("n", (1u64 << self.cost.log_n).to_string()),
            ("r", self.cost.r.to_string()),
            ("p", self.cost.p.to_string()),
            ("key_bytes", self.key.len().to_string()),
        ]
    }

    pub(crate) fn encode(&self) -> String {
        let Cost { log_n, r, p } = self.cost;
        let n = 1u64 << log_n;
        let salt_text = String::from_utf8_lossy(&self.salt);
        match self.flavor {
            Flavor::Modular => format!(
                "$scrypt$ln={log_n},r={r},p={p}${}${}",
                encode_phc_b64(&self.salt),
                encode_phc_b64(&self.key)
            ),
            Flavor::Django => {
                format!(
                    "scrypt${salt_text}${n}${r}${p}${}",
                    encode_base64_std(&self.key)
                )
            }
            Flavor::Werkzeug => format!("scrypt:{n}:{r}:{p}${salt_text}${}", encode_hex(&self.key)),
        }
    }
}

fn number(text: &str, name: &str) -> Result<u64, Error> {
    let canonical = crate::encoding::is_canonical_decimal(text);
    match text.parse::<u64>() {
        Ok(value) if canonical && value > 0 => Ok(value),
        _ => Err(Error::malformed(
            SCHEME,
            format!("{name} must be a positive decimal number without leading zeros"),
        )),
    }
}

/// Reads N as a power of two and returns its log2.
fn log_n_of(n: u64) -> Result<u8, Error> {
    if n < 2 || !n.is_power_of_two() {
        return Err(Error::malformed(
            SCHEME,
            format!("N must be a power of two above 1, got {n}"),
        ));
    }
    Ok(n.trailing_zeros() as u8)
}

fn small(value: u64, name: &str) -> Result<u32, Error> {
    u32::try_from(value)
        .map_err(|_| Error::malformed(SCHEME, format!("{name} must fit in 32 bits")))
}

fn check_key(key: &[u8]) -> Result<(), Error> {
    if key.len() < 16 || key.len() > 256 {
        return Err(Error::malformed(
            SCHEME,
            format!("key must be 16 to 256 bytes, got {}", key.len()),
        ));
    }
    Ok(())
}

/// Checks a Django or Werkzeug key, which both always derive 64 bytes: a shorter key would be
/// a prefix of the real one and verify as well, so a clipped column must not pass.
fn check_fixed_key(key: &[u8]) -> Result<(), Error> {
    if key.len() != 64 {
        return Err(Error::malformed(
            SCHEME,
            format!("key must be 64 bytes, got {}", key.len()),
        ));
    }
    Ok(())
}

/// Returns true when `stored` opens with an scrypt identifier this module reads.
pub(crate) fn looks_like(stored: &str) -> bool {
    stored.starts_with("$scrypt$") || stored.starts_with("scrypt$") || stored.starts_with("scrypt:")
}

/// Parses an scrypt string strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<ScryptHash, Error> {
    if let Some(rest) = stored.strip_prefix("$scrypt$") {
        let fields: Vec<&str> = rest.split('$').collect();
        let [params, salt, key] = fields.as_slice() else {
            return Err(Error::malformed(
                SCHEME,
                "expected $scrypt$ln=..,r=..,p=..$<salt>$<key>",
            ));
        };
        let parts: Vec<&str> = params.split(',').collect();
        let [ln, r, p] = parts.as_slice() else {
            return Err(Error::malformed(
                SCHEME,
                "parameters must be exactly ln=,r=,p=",
            ));
        };
        let value = |part: &str, key: &str| {
            part.strip_prefix(key)
                .ok_or_else(|| Error::malformed(SCHEME, "parameters must be exactly ln=,r=,p="))
                .and_then(|digits| number(digits, key))
        };
        let log_n = value(ln, "ln=")?;
        let log_n = u8::try_from(log_n)
            .ok()
            .filter(|&log_n| log_n < 64)
            .ok_or_else(|| Error::malformed(SCHEME, format!("ln must be below 64, got {log_n}")))?;
        let cost = Cost {
            log_n,
            r: small(value(r, "r=")?, "r")?,
            p: small(value(p, "p=")?, "p")?,
        };
        // passlib writes '.' for '+'; standard base64 is read as well.
        let decode = |text: &str| decode_base64_std(&text.replace('.', "+"));
        let salt = decode(salt).ok_or_else(|| Error::malformed(SCHEME, "salt is not base64"))?;
        let key = decode(key).ok_or_else(|| Error::malformed(SCHEME, "key is not base64"))?;
        check_key(&key)?;
        return Ok(ScryptHash {
            flavor: Flavor::Modular,
            cost,
            salt,
            key,
        });
    }
    if let Some(rest) = stored.strip_prefix("scrypt$") {
        let fields: Vec<&str> = rest.split('$').collect();
        let [salt, n, r, p, key] = fields.as_slice() else {
            return Err(Error::malformed(
                SCHEME,
                "expected scrypt$<salt>$<N>$<r>$<p>$<key>",
            ));
        };
        let cost = Cost {
            log_n: log_n_of(number(n, "N")?)?,
            r: small(number(r, "r")?, "r")?,
            p: small(number(p, "p")?, "p")?,
        };
        let key =
            decode_base64_std(key).ok_or_else(|| Error::malformed(SCHEME, "key is not base64"))?;
        check_fixed_key(&key)?;
        return Ok(ScryptHash {
            flavor: Flavor::Django,
            cost,
            salt: salt.as_bytes().to_vec(),
            key,
        });
    }
    let Some(rest) = stored.strip_prefix("scrypt:") else {
        return Err(Error::malformed(SCHEME, "unknown scrypt shape"));
    };
    let fields: Vec<&str> = rest.split('$').collect();
    let [method, salt, key] = fields.as_slice() else {
        return Err(Error::malformed(
            SCHEME,
            "expected scrypt:<N>:<r>:<p>$<salt>$<hex key>",
        ));
    };
    let parts: Vec<&str> = method.split(':').collect();
    let [n, r, p] = parts.as_slice() else {
        return Err(Error::malformed(SCHEME, "expected scrypt:<N>:<r>:<p>"));
    };
    let cost = Cost {
        log_n: log_n_of(number(n, "N")?)?,
        r: small(number(r, "r")?, "r")?,
        p: small(number(p, "p")?, "p")?,
    };
    let key = decode_hex(key).ok_or_else(|| Error::malformed(SCHEME, "key is not hex"))?;
    check_fixed_key(&key)?;
    Ok(ScryptHash {
        flavor: Flavor::Werkzeug,
        cost,
        salt: salt.as_bytes().to_vec(),
        key,
    })
}
