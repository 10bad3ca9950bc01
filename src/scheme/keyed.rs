//! pwmigrate's own strings for salted and keyed digests, which importers write for records whose
//! salt or key lives outside the hash.
//!
//! Shapes (B64 is standard base64 without padding; the salt field is empty only with `salt=none`):
//!
//! ```text
//! $pwm-digest$a=<digest>,salt=<prefix|suffix>$<B64 salt>$<B64 digest>
//! $pwm-hmac$a=<digest>,key=<key id>,salt=<none|prefix|suffix>$<B64 salt or empty>$<B64 digest>
//! ```
//!
//! `$pwm-digest$` is `digest(salt + password)` for `prefix` and `digest(password + salt)` for
//! `suffix`. `$pwm-hmac$` is `HMAC(key, message)` where the message is the password with the salt
//! placed the same way. The key itself never appears in the string: the verifier is given the key
//! for each key id (see `Verifier::with_key`).

use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use crate::encoding::{decode_phc_b64, digests_equal, encode_phc_b64};
use crate::scheme::Keys;
use crate::scheme::digest::Algorithm;
use crate::{Error, SchemeKind};

const DIGEST_ID: &str = "pwm-digest";
const HMAC_ID: &str = "pwm-hmac";

/// Maximum key id length, in characters from `A-Za-z0-9_-`.
pub(crate) const MAX_KEY_ID_LEN: usize = 64;

/// Position of the salt relative to the password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaltPosition {
    /// No salt.
    None,
    /// Salt, then password.
    Prefix,
    /// Password, then salt.
    Suffix,
}

impl SaltPosition {
    fn name(self) -> &'static str {
        match self {
            SaltPosition::None => "none",
            SaltPosition::Prefix => "prefix",
            SaltPosition::Suffix => "suffix",
        }
    }

    fn from_name(name: &str) -> Option<SaltPosition> {
        match name {
            "none" => Some(SaltPosition::None),
            "prefix" => Some(SaltPosition::Prefix),
            "suffix" => Some(SaltPosition::Suffix),
            _ => None,
        }
    }
}

/// A parsed `$pwm-digest$` or `$pwm-hmac$` string.
#[derive(Clone, Debug)]
pub(crate) struct KeyedDigest {
    algorithm: Algorithm,
    /// Key id for HMAC; `None` for a plain salted digest.
    key_id: Option<String>,
    position: SaltPosition,
    salt: Vec<u8>,
    /// Decoded digest, exactly `algorithm.output_len()` bytes.
    expected: Vec<u8>,
    /// Digest applications in all, 1 for a single digest; only `$pwm-digest$` iterates.
    rounds: u32,
    /// Input of each further round of an iterated digest.
    chain: Chain,
}

/// Input of each further round of an iterated digest: the previous digest, raw or as hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    /// The raw digest bytes.
    Raw,
    /// The lowercase hex text of the digest.
    Hex,
}

impl Chain {
    fn name(self) -> &'static str {
        match self {
            Chain::Raw => "raw",
            Chain::Hex => "hex",
        }
    }

    /// Reads `raw` or `hex`.
    pub fn from_name(name: &str) -> Option<Chain> {
        match name {
            "raw" => Some(Chain::Raw),
            "hex" => Some(Chain::Hex),
            _ => None,
        }
    }
}

impl KeyedDigest {
    /// Makes a salted digest iterated: `rounds` applications in all, chained as `chain`.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedHash`] for HMAC strings, which do not iterate, and for fewer than 2
    /// rounds.
    pub(crate) fn with_rounds(mut self, rounds: u32, chain: Chain) -> Result<Self, Error> {
        if self.key_id.is_some() || rounds < 2 {
            return Err(Error::malformed(
                DIGEST_ID,
                "rounds must be 2 or more, and only $pwm-digest$ iterates",
            ));
        }
        self.rounds = rounds;
        self.chain = chain;
        Ok(self)
    }

    pub(crate) fn check_limits(&self, limits: &crate::policy::Limits) -> Result<(), Error> {
        if self.rounds > limits.pbkdf2_max_iterations {
            return Err(Error::exceeds(
                DIGEST_ID,
                "rounds",
                self.rounds.into(),
                limits.pbkdf2_max_iterations.into(),
            ));
        }
        Ok(())
    }
    pub(crate) fn kind(&self) -> SchemeKind {
        if self.key_id.is_some() {
            SchemeKind::Hmac
        } else {
            SchemeKind::SaltedDigest
        }
    }

    pub(crate) fn verify(&self, password: &[u8], keys: &Keys) -> Result<bool, Error> {
        let (first, second): (&[u8], &[u8]) = match self.position {
            SaltPosition::None => (password, &[]),
            SaltPosition::Prefix => (&self.salt, password),
            SaltPosition::Suffix => (password, &self.salt),
        };
        let computed = match &self.key_id {
            None => {
                let mut digest = self.algorithm.digest(&[first, second]);
                for _ in 1..self.rounds {
                    digest = match self.chain {
                        Chain::Raw => self.algorithm.digest(&[&digest]),
                        Chain::Hex => {
                            let hex = Zeroizing::new(crate::encoding::encode_hex(&digest));
                            self.algorithm.digest(&[hex.as_bytes()])
                        }
                    };
                }
                digest
            }
            Some(id) => {
                let key = keys
                    .get(id)
                    .ok_or_else(|| Error::MissingKey { id: id.clone() })?;
                hmac(self.algorithm, key, &[first, second])
            }
        };
        Ok(digests_equal(&computed, &self.expected))
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("digest", self.algorithm.name().to_string())];
        if let Some(id) = &self.key_id {
            params.push(("key_id", id.clone()));
        }
        params.push(("salt_position", self.position.name().to_string()));
        params.push(("salt_bytes", self.salt.len().to_string()));
        if self.rounds > 1 {
            params.push(("rounds", self.rounds.to_string()));
            params.push(("chain", self.chain.name().to_string()));
        }
        params
    }

    /// Writes the canonical string.
    pub(crate) fn encode(&self) -> String {
        let salt = encode_phc_b64(&self.salt);
        let digest = encode_phc_b64(&self.expected);
        match &self.key_id {
            None if self.rounds > 1 => format!(
                "${DIGEST_ID}$a={},salt={},rounds={},chain={}${salt}${digest}",
                self.algorithm.name(),
                self.position.name(),
                self.rounds,
                self.chain.name()
            ),
            None => format!(
                "${DIGEST_ID}$a={},salt={}${salt}${digest}",
                self.algorithm.name(),
                self.position.name()
            ),
            Some(id) => format!(
                "${HMAC_ID}$a={},key={id},salt={}${salt}${digest}",
                self.algorithm.name(),
                self.position.name()
            ),
        }
    }
}

/// Computes HMAC with `algorithm` under `key` over the concatenation of `parts`.
pub(crate) fn hmac(algorithm: Algorithm, key: &[u8], parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
    fn run<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
        // HMAC takes keys of any length, so `new_from_slice` cannot fail here.
        let mut mac = <M as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        for part in parts {
            mac.update(part);
        }
        Zeroizing::new(mac.finalize().into_bytes().to_vec())
    }
    match algorithm {
        Algorithm::Md5 => run::<hmac::Hmac<md5::Md5>>(key, parts),
        Algorithm::Sha1 => run::<hmac::Hmac<sha1::Sha1>>(key, parts),
        Algorithm::Sha224 => run::<hmac::Hmac<sha2::Sha224>>(key, parts),
        Algorithm::Sha256 => run::<hmac::Hmac<sha2::Sha256>>(key, parts),
        Algorithm::Sha384 => run::<hmac::Hmac<sha2::Sha384>>(key, parts),
        Algorithm::Sha512 => run::<hmac::Hmac<sha2::Sha512>>(key, parts),
    }
}

/// Returns true for a key id of 1 to 64 characters from `A-Za-z0-9_-`.
pub(crate) fn is_valid_key_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_KEY_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Builds a salted or keyed digest from decoded parts, checking the digest length.
///
/// # Errors
///
/// [`Error::WrongDigestLength`] when `expected` is not the algorithm's output length, and
/// [`Error::MalformedHash`] for an invalid key id or a salt that contradicts `position`.
pub(crate) fn build(
    algorithm_name: &str,
    key_id: Option<&str>,
    position: SaltPosition,
    salt: Vec<u8>,
    expected: Vec<u8>,
) -> Result<KeyedDigest, Error> {
    let scheme = if key_id.is_some() { HMAC_ID } else { DIGEST_ID };
    let algorithm =
        Algorithm::from_name(algorithm_name).ok_or_else(|| Error::UnsupportedScheme {
            detail: format!(
                "digest {} in a {scheme} string",
                crate::scheme::quote_identifier(algorithm_name)
            ),
        })?;
    if expected.len() != algorithm.output_len() {
        return Err(Error::WrongDigestLength {
            algorithm: algorithm.name(),
            expected: algorithm.output_len(),
            actual: expected.len(),
        });
    }
    if let Some(id) = key_id
        && !is_valid_key_id(id)
    {
        return Err(Error::malformed(
            scheme,
            "key id must be 1 to 64 characters from A-Za-z0-9_-",
        ));
    }
    match (position, salt.is_empty(), key_id) {
        (SaltPosition::None, false, _) => {
            return Err(Error::malformed(scheme, "salt=none with a non-empty salt"));
        }
        // An unsalted single digest is a bare digest; `with_rounds` admits the iterated form.
        (SaltPosition::None, true, None) => {}
        (SaltPosition::Prefix | SaltPosition::Suffix, true, _) => {
            return Err(Error::malformed(
                scheme,
                "salt=prefix or suffix with an empty salt",
            ));
        }
        _ => {}
    }
    Ok(KeyedDigest {
        algorithm,
        key_id: key_id.map(str::to_string),
        position,
        salt,
        expected,
        rounds: 1,
        chain: Chain::Raw,
    })
}

/// Returns true when `stored` opens with one of this module's identifiers.
pub(crate) fn looks_like(stored: &str) -> bool {
    stored.starts_with("$pwm-digest$") || stored.starts_with("$pwm-hmac$")
}

/// Parses a `$pwm-digest$` or `$pwm-hmac$` string strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<KeyedDigest, Error> {
    let fields: Vec<&str> = stored.split('$').collect();
    let ["", id, params, salt, digest] = fields.as_slice() else {
        return Err(Error::malformed(
            DIGEST_ID,
            "expected $<id>$<params>$<salt>$<digest>",
        ));
    };
    let (scheme, keyed) = match *id {
        DIGEST_ID => (DIGEST_ID, false),
        HMAC_ID => (HMAC_ID, true),
        _ => return Err(Error::malformed(DIGEST_ID, "unknown identifier")),
    };

    let pairs: Vec<(&str, &str)> = params
        .split(',')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    let expected_names: &[&str] = if keyed {
        &["a", "key", "salt"]
    } else {
        &["a", "salt"]
    };
    let names: Vec<&str> = pairs.iter().map(|(name, _)| *name).collect();
    let iterated = !keyed && names == ["a", "salt", "rounds", "chain"];
    if names != expected_names && !iterated {
        return Err(Error::malformed(
            scheme,
            format!("parameters must be exactly {}", expected_names.join(",")),
        ));
    }
    let value = |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let algorithm = value("a").unwrap_or_default();
    let key_id = if keyed { value("key") } else { None };
    let position = SaltPosition::from_name(value("salt").unwrap_or_default())
        .ok_or_else(|| Error::malformed(scheme, "salt must be none, prefix or suffix"))?;

    let salt = decode_phc_b64(salt)
        .ok_or_else(|| Error::malformed(scheme, "salt is not unpadded standard base64"))?;
    let expected = decode_phc_b64(digest)
        .ok_or_else(|| Error::malformed(scheme, "digest is not unpadded standard base64"))?;
    let built = build(algorithm, key_id, position, salt, expected)?;
    if !iterated {
        if !keyed && position == SaltPosition::None {
            return Err(Error::malformed(
                scheme,
                "a single unsalted digest is a bare digest",
            ));
        }
        return Ok(built);
    }
    let rounds = value("rounds")
        .filter(|text| !text.starts_with('0'))
        .and_then(|text| text.parse::<u32>().ok())
        .ok_or_else(|| Error::malformed(scheme, "rounds must be a decimal number"))?;
    let chain = value("chain")
        .and_then(Chain::from_name)
        .ok_or_else(|| Error::malformed(scheme, "chain must be raw or hex"))?;
    built.with_rounds(rounds, chain)
}

/// Rewrites a PostgreSQL `md5<32 hex>` password, which is md5(password + user name), as the
/// equivalent `$pwm-digest$a=md5,salt=suffix$<user>$<digest>` string, which verifies on its own.
///
/// # Errors
///
/// [`Error::MalformedHash`] without the `md5` prefix or with non-hex digits, and
/// [`Error::WrongDigestLength`] for a digest that is not 16 bytes.
pub fn postgres_md5(stored: &str, user: &str) -> Result<String, Error> {
    const NAME: &str = "postgres-md5";
    let hex = stored
        .strip_prefix("md5")
        .ok_or_else(|| Error::malformed(NAME, "must start with md5"))?;
    if !crate::encoding::is_hex(hex) {
        return Err(Error::malformed(NAME, "digest is not hex"));
    }
    if hex.len() != 32 {
        return Err(Error::WrongDigestLength {
            algorithm: "md5",
            expected: 16,
            actual: hex.len() / 2,
        });
    }
    if user.is_empty() {
        return Err(Error::malformed(NAME, "the user name is empty"));
    }
    let digest =
        crate::encoding::decode_hex(hex).ok_or_else(|| Error::malformed(NAME, "odd hex"))?;
    build(
        "md5",
        None,
        SaltPosition::Suffix,
        user.as_bytes().to_vec(),
        digest,
    )
    .map(|hash| hash.encode())
}

/// Returns true for `md5` followed by 32 hex digits, PostgreSQL's shape.
pub(crate) fn looks_like_postgres(stored: &str) -> bool {
    stored
        .strip_prefix("md5")
        .is_some_and(|hex| hex.len() == 32 && crate::encoding::is_hex(hex))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_parse_round_trip() {
        let built = build(
            "sha1",
            None,
            SaltPosition::Prefix,
            b"salt".to_vec(),
            vec![7; 20],
        )
        .expect("valid parts");
        let text = built.encode();
        assert_eq!(
            text,
            "$pwm-digest$a=sha1,salt=prefix$c2FsdA$BwcHBwcHBwcHBwcHBwcHBwcHBwc"
        );
        let parsed = parse(&text).expect("parses");
        assert_eq!(parsed.encode(), text);
    }

    #[test]
    fn hmac_without_salt_round_trip() {
        let built = build(
            "sha256",
            Some("site-key"),
            SaltPosition::None,
            vec![],
            vec![1; 32],
        )
        .expect("valid parts");
        let parsed = parse(&built.encode()).expect("parses");
        assert_eq!(parsed.kind(), SchemeKind::Hmac);
        assert_eq!(parsed.key_id.as_deref(), Some("site-key"));
    }

    #[test]
    fn missing_key_is_error() {
        let built = build(
            "sha256",
            Some("site-key"),
            SaltPosition::None,
            vec![],
            vec![1; 32],
        )
        .expect("valid parts");
        let err = built.verify(b"pw", &Keys::default()).expect_err("no key");
        assert_eq!(err.kind(), "missing_key");
    }

    #[test]
    fn bad_shapes_rejected() {
        let cases = [
            "$pwm-digest$a=sha1$c2FsdA$BwcHBwcHBwcHBwcHBwcHBwcHBwc",
            "$pwm-digest$salt=prefix,a=sha1$c2FsdA$BwcHBwcHBwcHBwcHBwcHBwcHBwc",
            "$pwm-digest$a=sha1,salt=none$$BwcHBwcHBwcHBwcHBwcHBwcHBwc",
            "$pwm-digest$a=sha1,salt=prefix$$BwcHBwcHBwcHBwcHBwcHBwcHBwc",
            "$pwm-hmac$a=sha1,key=bad id,salt=none$$BwcHBwcHBwcHBwcHBwcHBwcHBwc",
            "$pwm-digest$a=sha1,salt=prefix$c2FsdA==$BwcHBwcHBwcHBwcHBwcHBwcHBwc",
        ];
        for case in cases {
            let err = parse(case).expect_err(case);
            assert_eq!(err.kind(), "malformed_hash", "{case}");
        }
        let short = parse("$pwm-digest$a=sha1,salt=prefix$c2FsdA$BwcH").expect_err("short");
        assert_eq!(short.kind(), "wrong_digest_length");
    }
}
