//! crypt(3) strings: md5-crypt `$1$`, Apache's `$apr1$`, sha256-crypt `$5$` and sha512-crypt
//! `$6$`, bare or behind an LDAP `{CRYPT}` prefix.
//!
//! ```text
//! $1$<salt, at most 8>$<22 characters>
//! $apr1$<salt, at most 8>$<22 characters>
//! $5$[rounds=<n>$]<salt, at most 16>$<43 characters>
//! $6$[rounds=<n>$]<salt, at most 16>$<86 characters>
//! ```
//!
//! md5-crypt is Poul-Henning Kamp's FreeBSD algorithm (1000 MD5 rounds); `$apr1$` differs only in
//! its magic string. sha-crypt is Ulrich Drepper's algorithm, computed by the `sha-crypt` crate;
//! without `rounds=` it runs 5000 rounds; a written count must be 1000 to 999,999,999. The
//! digests use crypt's base64 alphabet `./0-9A-Za-z` with each algorithm's byte order; they are
//! decoded back to raw bytes and compared in constant time.

use md5::{Digest, Md5};
use zeroize::Zeroizing;

use crate::encoding::digests_equal;
use crate::policy::Limits;
use crate::{Error, SchemeKind};

const SCHEME: &str = "crypt";

use crate::encoding::CRYPT_ALPHABET as ALPHABET;

/// Byte order of md5-crypt's encoding: groups of three bytes, four characters each, then one
/// byte in two characters.
const MD5_ORDER: &[(&[usize], usize)] = &[
    (&[0, 6, 12], 4),
    (&[1, 7, 13], 4),
    (&[2, 8, 14], 4),
    (&[3, 9, 15], 4),
    (&[4, 10, 5], 4),
    (&[11], 2),
];

const SHA256_ORDER: &[(&[usize], usize)] = &[
    (&[0, 10, 20], 4),
    (&[21, 1, 11], 4),
    (&[12, 22, 2], 4),
    (&[3, 13, 23], 4),
    (&[24, 4, 14], 4),
    (&[15, 25, 5], 4),
    (&[6, 16, 26], 4),
    (&[27, 7, 17], 4),
    (&[18, 28, 8], 4),
    (&[9, 19, 29], 4),
    (&[31, 30], 3),
];

const SHA512_ORDER: &[(&[usize], usize)] = &[
    (&[0, 21, 42], 4),
    (&[22, 43, 1], 4),
    (&[44, 2, 23], 4),
    (&[3, 24, 45], 4),
    (&[25, 46, 4], 4),
    (&[47, 5, 26], 4),
    (&[6, 27, 48], 4),
    (&[28, 49, 7], 4),
    (&[50, 8, 29], 4),
    (&[9, 30, 51], 4),
    (&[31, 52, 10], 4),
    (&[53, 11, 32], 4),
    (&[12, 33, 54], 4),
    (&[34, 55, 13], 4),
    (&[56, 14, 35], 4),
    (&[15, 36, 57], 4),
    (&[37, 58, 16], 4),
    (&[59, 17, 38], 4),
    (&[18, 39, 60], 4),
    (&[40, 61, 19], 4),
    (&[62, 20, 41], 4),
    (&[63], 2),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    Md5,
    Apr1,
    Sha256,
    Sha512,
}

impl Variant {
    fn order(self) -> &'static [(&'static [usize], usize)] {
        match self {
            Variant::Md5 | Variant::Apr1 => MD5_ORDER,
            Variant::Sha256 => SHA256_ORDER,
            Variant::Sha512 => SHA512_ORDER,
        }
    }

    fn digest_len(self) -> usize {
        match self {
            Variant::Md5 | Variant::Apr1 => 16,
            Variant::Sha256 => 32,
            Variant::Sha512 => 64,
        }
    }

    fn magic(self) -> &'static str {
        match self {
            Variant::Md5 => "$1$",
            Variant::Apr1 => "$apr1$",
            Variant::Sha256 => "$5$",
            Variant::Sha512 => "$6$",
        }
    }
}

/// A parsed crypt(3) hash.
#[derive(Clone, Debug)]
pub(crate) struct CryptHash {
    variant: Variant,
    /// `rounds=` as written, for sha-crypt; `None` when absent.
    rounds: Option<u32>,
    salt: Vec<u8>,
    digest: Vec<u8>,
    ldap_prefix: bool,
}

impl CryptHash {
    pub(crate) fn kind(&self) -> SchemeKind {
        match self.variant {
            Variant::Md5 => SchemeKind::Md5Crypt,
            Variant::Apr1 => SchemeKind::Apr1Crypt,
            Variant::Sha256 => SchemeKind::Sha256Crypt,
            Variant::Sha512 => SchemeKind::Sha512Crypt,
        }
    }

    /// Rounds the computation runs: 1000 for md5-crypt, the clamped count for sha-crypt.
    fn effective_rounds(&self) -> u32 {
        match self.variant {
            Variant::Md5 | Variant::Apr1 => 1000,
            Variant::Sha256 | Variant::Sha512 => self.rounds.unwrap_or(5000),
        }
    }

    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        let rounds = self.effective_rounds();
        if rounds > limits.sha_crypt_max_rounds {
            return Err(Error::exceeds(
                SCHEME,
                "rounds",
                rounds.into(),
                limits.sha_crypt_max_rounds.into(),
            ));
        }
        Ok(())
    }

    /// Computes the hash for `password`; call only after [`CryptHash::check_limits`].
    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, Error> {
        let computed: Zeroizing<Vec<u8>> = match self.variant {
            Variant::Md5 | Variant::Apr1 => {
                Zeroizing::new(md5_crypt(password, &self.salt, self.variant.magic()).to_vec())
            }
            Variant::Sha256 | Variant::Sha512 => {
                let params = sha_crypt::Params::new(self.effective_rounds())
                    .map_err(|_| Error::malformed(SCHEME, "rounds out of range"))?;
                let bytes = if self.variant == Variant::Sha256 {
                    sha_crypt::sha256_crypt(password, &self.salt, params).to_vec()
                } else {
                    sha_crypt::sha512_crypt(password, &self.salt, params).to_vec()
                };
                Zeroizing::new(bytes)
            }
        };
        Ok(digests_equal(&computed, &self.digest))
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("rounds", self.effective_rounds().to_string()),
            ("salt_chars", self.salt.len().to_string()),
        ];
        if self.ldap_prefix {
            params.push(("prefix", "{CRYPT}".to_string()));
        }
        params
    }

    /// Writes the canonical string, keeping `rounds=` only when it was written.
    pub(crate) fn encode(&self) -> String {
        let prefix = if self.ldap_prefix { "{CRYPT}" } else { "" };
        let rounds = self
            .rounds
            .map(|count| format!("rounds={count}$"))
            .unwrap_or_default();
        format!(
            "{prefix}{}{rounds}{}${}",
            self.variant.magic(),
            String::from_utf8_lossy(&self.salt),
            encode_h64(&self.digest, self.variant.order())
        )
    }
}

/// md5-crypt as FreeBSD defined it; `$apr1$` passes its own magic.
fn md5_crypt(password: &[u8], salt: &[u8], magic: &str) -> [u8; 16] {
    let alternate = Md5::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(password)
        .finalize();

    let mut context = Md5::new();
    context.update(password);
    context.update(magic.as_bytes());
    context.update(salt);
    let mut remaining = password.len();
    while remaining > 0 {
        let take = remaining.min(16);
        context.update(&alternate[..take]);
        remaining -= take;
    }
    // The original reads a byte of an already cleared buffer here, so a set bit adds a NUL.
    let mut bits = password.len();
    while bits > 0 {
        if bits & 1 == 1 {
            context.update([0u8]);
        } else {
            context.update(&password[..1]);
        }
        bits >>= 1;
    }
    let mut result = context.finalize();

    for round in 0..1000 {
        let mut step = Md5::new();
        if round % 2 == 1 {
            step.update(password);
        } else {
            step.update(result);
        }
        if round % 3 != 0 {
            step.update(salt);
        }
        if round % 7 != 0 {
            step.update(password);
        }
        if round % 2 == 1 {
            step.update(result);
        } else {
            step.update(password);
        }
        result = step.finalize();
    }
    result.into()
}

fn encode_h64(bytes: &[u8], order: &[(&[usize], usize)]) -> String {
    let mut text = String::new();
    for (indices, chars) in order {
        let mut word = indices
            .iter()
            .fold(0u32, |acc, &at| (acc << 8) | u32::from(bytes[at]));
        for _ in 0..*chars {
            text.push(char::from(ALPHABET[(word & 0x3f) as usize]));
            word >>= 6;
        }
    }
    text
}

/// Decodes crypt base64 in `order` into `len` bytes, rejecting set bits beyond the bytes.
fn decode_h64(text: &str, order: &[(&[usize], usize)], len: usize) -> Option<Vec<u8>> {
    let expected_chars: usize = order.iter().map(|(_, chars)| chars).sum();
    if text.len() != expected_chars {
        return None;
    }
    let mut bytes = vec![0u8; len];
    let mut chars = text.bytes();
    for (indices, count) in order {
        let mut word = 0u32;
        for shift in 0..*count {
            let char = chars.next()?;
            let value = ALPHABET.iter().position(|&c| c == char)? as u32;
            word |= value << (6 * shift);
        }
        if word >> (8 * indices.len()) != 0 {
            return None;
        }
        for (position, &at) in indices.iter().rev().enumerate() {
            bytes[at] = (word >> (8 * position)) as u8;
        }
    }
    Some(bytes)
}

/// Returns true when `stored` opens with a crypt(3) identifier this module reads.
pub(crate) fn looks_like(stored: &str) -> bool {
    let inner = strip_ldap_prefix(stored).0;
    ["$1$", "$apr1$", "$5$", "$6$"]
        .iter()
        .any(|magic| inner.starts_with(magic))
}

fn strip_ldap_prefix(stored: &str) -> (&str, bool) {
    match stored.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("{CRYPT}") => (&stored[7..], true),
        _ => (stored, false),
    }
}

/// Parses a crypt(3) string strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<CryptHash, Error> {
    let (inner, ldap_prefix) = strip_ldap_prefix(stored);
    let variant = [
        Variant::Md5,
        Variant::Apr1,
        Variant::Sha256,
        Variant::Sha512,
    ]
    .into_iter()
    .find(|variant| inner.starts_with(variant.magic()))
    .ok_or_else(|| Error::UnsupportedScheme {
        detail: "{CRYPT} value with an unsupported crypt(3) identifier".to_string(),
    })?;
    let rest = &inner[variant.magic().len()..];

    let mut fields: Vec<&str> = rest.split('$').collect();
    let mut rounds = None;
    let sha = matches!(variant, Variant::Sha256 | Variant::Sha512);
    if sha && let Some(count) = fields.first().and_then(|f| f.strip_prefix("rounds=")) {
        let canonical = crate::encoding::is_canonical_decimal(count);
        let parsed = count.parse::<u32>().ok().filter(|_| canonical);
        let parsed = parsed.ok_or_else(|| {
            Error::malformed(
                SCHEME,
                "rounds= must be a decimal number without leading zeros",
            )
        })?;
        // glibc clamps other counts but never writes them, so such a string was edited.
        if !(1000..=999_999_999).contains(&parsed) {
            return Err(Error::malformed(
                SCHEME,
                format!("rounds= must be 1000 to 999999999, got {parsed}"),
            ));
        }
        rounds = Some(parsed);
        fields.remove(0);
    }
    let [salt, digest] = fields.as_slice() else {
        return Err(Error::malformed(
            SCHEME,
            "expected <salt>$<digest> after the identifier",
        ));
    };

    let max_salt = if sha { 16 } else { 8 };
    if salt.len() > max_salt || salt.bytes().any(|b| b == b':' || b.is_ascii_whitespace()) {
        return Err(Error::malformed(
            SCHEME,
            format!("salt must be at most {max_salt} characters without ':' or whitespace"),
        ));
    }
    let digest = decode_h64(digest, variant.order(), variant.digest_len()).ok_or_else(|| {
        Error::malformed(
            SCHEME,
            "digest is not crypt base64 of the algorithm's length",
        )
    })?;
    Ok(CryptHash {
        variant,
        rounds,
        salt: salt.as_bytes().to_vec(),
        digest,
        ldap_prefix,
    })
}
