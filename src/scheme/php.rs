//! PHP application hashes: phpass `$P$` and `$H$` (WordPress up to 6.7, phpBB3), Drupal 7 `$S$`
//! and its upgraded Drupal 6 form `U$S$`, and WordPress 6.8's `$wp$2y$`.
//!
//! ```text
//! $P$<count char><8 salt chars><22 characters>     md5, 2^count rounds (34 characters)
//! $S$<count char><8 salt chars><43 characters>     sha512, 2^count rounds (55 characters)
//! U$S$...                                          $S$ over the md5 hex of the password
//! $wp$2y$10$<53 characters>                        bcrypt over base64(HMAC-SHA384("wp-sha384", password))
//! ```
//!
//! The count character is an index into `./0-9A-Za-z` and must be 7 to 30, as phpass and Drupal
//! require. Each round hashes the previous digest followed by the password. Drupal stores only
//! the first 43 characters of its 86-character encoding, so those characters are compared.

use md5::{Digest, Md5};
use sha2::Sha512;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::encoding::{encode_base64_std, encode_hex};
use crate::policy::Limits;
use crate::scheme::bcrypt::{self, BcryptHash};
use crate::scheme::digest::Algorithm;
use crate::scheme::keyed;
use crate::{Error, SchemeKind};

use crate::encoding::CRYPT_ALPHABET as ALPHABET;

/// Drupal 7 refuses longer passwords (`DRUPAL_MAX_PASSWORD_LENGTH` in includes/password.inc).
const DRUPAL_MAX_PASSWORD_BYTES: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// `$P$` or `$H$`: MD5.
    Phpass,
    /// `$S$`: SHA-512, truncated encoding.
    Drupal,
    /// `U$S$`: Drupal over md5 hex.
    DrupalMd5,
}

/// A parsed phpass-family hash.
#[derive(Clone, Debug)]
pub(crate) struct PortableHash {
    variant: Variant,
    /// The 12-character setting: identifier, count character and salt.
    setting: String,
    log2_rounds: u32,
    /// The stored encoded digest, 22 or 43 characters of `ALPHABET`.
    encoded: String,
}

impl PortableHash {
    pub(crate) fn kind(&self) -> SchemeKind {
        match self.variant {
            Variant::Phpass => SchemeKind::Phpass,
            Variant::Drupal => SchemeKind::Drupal7,
            Variant::DrupalMd5 => SchemeKind::Drupal7Md5,
        }
    }

    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        if self.log2_rounds > limits.phpass_max_log2_rounds {
            return Err(Error::exceeds(
                self.kind().name(),
                "rounds (log2)",
                self.log2_rounds.into(),
                limits.phpass_max_log2_rounds.into(),
            ));
        }
        Ok(())
    }

    /// Recomputes the encoding for `password`; call only after [`PortableHash::check_limits`].
    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, Error> {
        let salt = &self.setting.as_bytes()[4..12];
        let rounds = 1u64 << self.log2_rounds;
        let computed = match self.variant {
            Variant::Phpass => encode64(&iterate::<Md5>(salt, password, rounds)),
            Variant::Drupal | Variant::DrupalMd5 => {
                if password.len() > DRUPAL_MAX_PASSWORD_BYTES {
                    return Err(Error::PasswordTooLong {
                        len: password.len(),
                        max: DRUPAL_MAX_PASSWORD_BYTES,
                    });
                }
                let input = if self.variant == Variant::DrupalMd5 {
                    Zeroizing::new(encode_hex(&Md5::digest(password)).into_bytes())
                } else {
                    Zeroizing::new(password.to_vec())
                };
                let full = encode64(&iterate::<Sha512>(salt, &input, rounds));
                Zeroizing::new(full[..43].to_string())
            }
        };
        // The stored text is a fixed-length, canonical encoding (43 characters for Drupal are not
        // a whole number of bytes), so the encodings are compared, in constant time.
        Ok(bool::from(
            computed.as_bytes().ct_eq(self.encoded.as_bytes()),
        ))
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        vec![("rounds", (1u64 << self.log2_rounds).to_string())]
    }

    pub(crate) fn encode(&self) -> String {
        let marker = if self.variant == Variant::DrupalMd5 {
            "U"
        } else {
            ""
        };
        format!("{marker}{}{}", self.setting, self.encoded)
    }
}

/// Runs `digest(salt + password)`, then `rounds` times `digest(previous + password)`.
fn iterate<D: Digest>(salt: &[u8], password: &[u8], rounds: u64) -> Zeroizing<Vec<u8>> {
    let mut hash = Zeroizing::new(
        D::new()
            .chain_update(salt)
            .chain_update(password)
            .finalize()
            .to_vec(),
    );
    for _ in 0..rounds {
        let next = D::new()
            .chain_update(&*hash)
            .chain_update(password)
            .finalize();
        hash.copy_from_slice(&next);
    }
    hash
}

/// phpass's `encode64`: little-endian groups of three bytes into four characters.
fn encode64(bytes: &[u8]) -> Zeroizing<String> {
    let mut text = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let mut value = 0u32;
        for (shift, &byte) in chunk.iter().enumerate() {
            value |= u32::from(byte) << (8 * shift);
        }
        for index in 0..=chunk.len() {
            text.push(char::from(
                ALPHABET[((value >> (6 * index)) & 0x3f) as usize],
            ));
        }
    }
    Zeroizing::new(text)
}

/// Returns true when `stored` opens like a phpass or Drupal hash.
pub(crate) fn looks_like(stored: &str) -> bool {
    ["$P$", "$H$", "$S$", "U$S$"]
        .iter()
        .any(|id| stored.starts_with(id))
}

/// Parses a phpass, Drupal 7 or upgraded Drupal 6 hash strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<PortableHash, Error> {
    let (variant, body) = if let Some(body) = stored.strip_prefix('U') {
        (Variant::DrupalMd5, body)
    } else if stored.starts_with("$S$") {
        (Variant::Drupal, stored)
    } else {
        (Variant::Phpass, stored)
    };
    let name = match variant {
        Variant::Phpass => "phpass",
        Variant::Drupal => "drupal7",
        Variant::DrupalMd5 => "drupal7-md5",
    };
    let encoded_len = if variant == Variant::Phpass { 22 } else { 43 };
    if body.len() != 12 + encoded_len || !body.is_ascii() {
        return Err(Error::malformed(
            name,
            format!("must be {} characters", 12 + encoded_len),
        ));
    }
    if variant != Variant::Phpass && !body.starts_with("$S$") {
        return Err(Error::malformed(name, "the U marker must precede $S$"));
    }
    let in_alphabet = |text: &str| text.bytes().all(|b| ALPHABET.contains(&b));
    if !in_alphabet(&body[3..]) {
        return Err(Error::malformed(name, "characters outside ./0-9A-Za-z"));
    }
    let log2_rounds = ALPHABET
        .iter()
        .position(|&c| c == body.as_bytes()[3])
        .map_or(0, |index| index as u32);
    if !(7..=30).contains(&log2_rounds) {
        return Err(Error::malformed(
            name,
            format!("rounds must be 2^7 to 2^30, got 2^{log2_rounds}"),
        ));
    }
    Ok(PortableHash {
        variant,
        setting: body[..12].to_string(),
        log2_rounds,
        encoded: body[12..].to_string(),
    })
}

/// A WordPress 6.8 `$wp$2y$...` hash: bcrypt over an HMAC-SHA384 of the password.
#[derive(Clone, Debug)]
pub(crate) struct WordPressHash {
    inner: BcryptHash,
}

impl WordPressHash {
    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        self.inner.check_limits(limits)
    }

    pub(crate) fn verify(&self, password: &[u8]) -> Result<bool, Error> {
        // WordPress hashes the password as given: wp_check_password does not trim it.
        let mac = keyed::hmac(Algorithm::Sha384, b"wp-sha384", &[password]);
        let prehash = Zeroizing::new(encode_base64_std(&mac));
        self.inner.verify(prehash.as_bytes())
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        self.inner.params()
    }

    pub(crate) fn encode(&self) -> String {
        format!("$wp{}", self.inner.encode())
    }
}

/// Returns true for a `$wp$` prefix.
pub(crate) fn looks_like_wordpress(stored: &str) -> bool {
    stored.starts_with("$wp$")
}

/// Parses a `$wp$2y$...` string; does no hashing.
pub(crate) fn parse_wordpress(stored: &str) -> Result<WordPressHash, Error> {
    let inner = bcrypt::parse(&stored[3..])?;
    Ok(WordPressHash { inner })
}

/// A Joomla 1.5 to 3.x hash: `<32 hex>:<salt>`, the md5 of the password followed by the salt.
#[derive(Clone, Debug)]
pub(crate) struct JoomlaHash {
    digest: [u8; 16],
    salt: String,
}

impl JoomlaHash {
    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let computed = Md5::new()
            .chain_update(password)
            .chain_update(self.salt.as_bytes())
            .finalize();
        bool::from(computed.as_slice().ct_eq(&self.digest))
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        vec![("salt_chars", self.salt.len().to_string())]
    }

    pub(crate) fn encode(&self) -> String {
        format!("{}:{}", encode_hex(&self.digest), self.salt)
    }
}

/// Returns true for 32 hex digits, a colon and 1 to 64 salt characters from `A-Za-z0-9./`.
pub(crate) fn looks_like_joomla(stored: &str) -> bool {
    let Some((hex, salt)) = stored.split_once(':') else {
        return false;
    };
    hex.len() == 32
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
        && (1..=64).contains(&salt.len())
        && salt
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
}

/// Parses a Joomla `md5:salt` string; does no hashing.
pub(crate) fn parse_joomla(stored: &str) -> Result<JoomlaHash, Error> {
    if !looks_like_joomla(stored) {
        return Err(Error::malformed("joomla-md5", "expected <32 hex>:<salt>"));
    }
    let (hex, salt) = stored.split_at(32);
    let bytes = crate::encoding::decode_hex(hex)
        .ok_or_else(|| Error::malformed("joomla-md5", "digest is not hex"))?;
    let mut digest = [0u8; 16];
    digest.copy_from_slice(&bytes);
    Ok(JoomlaHash {
        digest,
        salt: salt[1..].to_string(),
    })
}
