//! LDAP `userPassword` values in the RFC 2307 style: `{MD5}`, `{SHA}` and the salted `{SMD5}`,
//! `{SSHA}`, `{SSHA256}`, `{SSHA384}`, `{SSHA512}`.
//!
//! The payload is standard base64 of the digest, followed for the salted schemes by the salt,
//! which may have any length of at least one byte. The digest's length marks where the salt
//! starts. `digest(password + salt)` is compared. Tags are matched without regard to case, as
//! OpenLDAP does. Whitespace inside the payload (LDIF line folding) is rejected; unfold it before
//! importing.

use crate::encoding::{decode_base64_std, digests_equal, encode_base64_std};
use crate::scheme::digest::Algorithm;
use crate::{Error, SchemeKind};

const SCHEME: &str = "ldap";

/// The tags with their digest and whether a salt follows the digest.
const TAGS: [(&str, Algorithm, bool, SchemeKind); 7] = [
    ("{MD5}", Algorithm::Md5, false, SchemeKind::LdapMd5),
    ("{SMD5}", Algorithm::Md5, true, SchemeKind::LdapSmd5),
    ("{SHA}", Algorithm::Sha1, false, SchemeKind::LdapSha),
    ("{SSHA}", Algorithm::Sha1, true, SchemeKind::LdapSsha),
    (
        "{SSHA256}",
        Algorithm::Sha256,
        true,
        SchemeKind::LdapSsha256,
    ),
    (
        "{SSHA384}",
        Algorithm::Sha384,
        true,
        SchemeKind::LdapSsha384,
    ),
    (
        "{SSHA512}",
        Algorithm::Sha512,
        true,
        SchemeKind::LdapSsha512,
    ),
];

/// A parsed LDAP digest value.
#[derive(Clone, Debug)]
pub(crate) struct LdapHash {
    tag: &'static str,
    kind: SchemeKind,
    algorithm: Algorithm,
    digest: Vec<u8>,
    salt: Vec<u8>,
}

impl LdapHash {
    pub(crate) fn kind(&self) -> SchemeKind {
        self.kind
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let computed = self.algorithm.digest(&[password, &self.salt]);
        digests_equal(&computed, &self.digest)
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("digest", self.algorithm.name().to_string()),
            ("salt_bytes", self.salt.len().to_string()),
        ]
    }

    /// Writes the canonical value: the upper-case tag and padded base64.
    pub(crate) fn encode(&self) -> String {
        let mut payload = self.digest.clone();
        payload.extend_from_slice(&self.salt);
        format!("{}{}", self.tag, encode_base64_std(&payload))
    }
}

/// Returns the tag entry when `stored` opens with one of the LDAP digest tags, in any case.
fn tag_of(stored: &str) -> Option<&'static (&'static str, Algorithm, bool, SchemeKind)> {
    TAGS.iter().find(|(tag, ..)| {
        stored
            .get(..tag.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(tag))
    })
}

/// Returns true when `stored` opens with an LDAP digest tag.
pub(crate) fn looks_like(stored: &str) -> bool {
    tag_of(stored).is_some()
}

/// Parses an LDAP digest value strictly; does no hashing.
pub(crate) fn parse(stored: &str) -> Result<LdapHash, Error> {
    let Some(&(tag, algorithm, salted, kind)) = tag_of(stored) else {
        return Err(Error::malformed(SCHEME, "unknown tag"));
    };
    let payload = &stored[tag.len()..];
    let bytes = decode_base64_std(payload).ok_or_else(|| {
        Error::malformed(SCHEME, "payload is not standard base64 without whitespace")
    })?;
    let digest_len = algorithm.output_len();
    let valid_len = if salted {
        bytes.len() > digest_len
    } else {
        bytes.len() == digest_len
    };
    if !valid_len {
        // A salted payload no longer than the digest has a digest of the wrong length too.
        return Err(Error::WrongDigestLength {
            algorithm: algorithm.name(),
            expected: digest_len,
            actual: bytes.len(),
        });
    }
    Ok(LdapHash {
        tag,
        kind,
        algorithm,
        digest: bytes[..digest_len].to_vec(),
        salt: bytes[digest_len..].to_vec(),
    })
}
