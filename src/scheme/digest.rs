//! Bare unsalted digests (MD5, SHA-1, SHA-256, SHA-512) stored as hex or standard base64, and the
//! digest algorithms other schemes build on.
//!
//! Without a declared method a bare digest is recognised by its length: 32, 40, 64 or 128 hex
//! digits of either case, or standard base64 (padded or not) that decodes to 16, 20, 32 or 64
//! bytes. So 32 hex digits always read as MD5, even though MD4, NTLM and others have the same
//! length: declare the method when the source used something else.

use md5::Md5;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

use crate::encoding::{
    decode_base64_std, decode_hex, digests_equal, encode_base64_std, encode_hex, is_hex,
};
use crate::{Error, SchemeKind};

/// A digest algorithm, named as OpenSSL and Node's `crypto.createHash` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha224 => "sha224",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Every algorithm, in order of output length.
    pub(crate) const ALL: [Algorithm; 6] = [
        Algorithm::Md5,
        Algorithm::Sha1,
        Algorithm::Sha224,
        Algorithm::Sha256,
        Algorithm::Sha384,
        Algorithm::Sha512,
    ];

    /// Looks an algorithm up by name, ignoring ASCII case as OpenSSL does.
    pub(crate) fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|alg| alg.name().eq_ignore_ascii_case(name))
    }

    /// Output length in bytes.
    pub(crate) fn output_len(self) -> usize {
        match self {
            Algorithm::Md5 => 16,
            Algorithm::Sha1 => 20,
            Algorithm::Sha224 => 28,
            Algorithm::Sha256 => 32,
            Algorithm::Sha384 => 48,
            Algorithm::Sha512 => 64,
        }
    }

    /// Hashes the concatenation of `parts`.
    pub(crate) fn digest(self, parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            Zeroizing::new(hasher.finalize().to_vec())
        }
        match self {
            Algorithm::Md5 => run::<Md5>(parts),
            Algorithm::Sha1 => run::<Sha1>(parts),
            Algorithm::Sha224 => run::<Sha224>(parts),
            Algorithm::Sha256 => run::<Sha256>(parts),
            Algorithm::Sha384 => run::<Sha384>(parts),
            Algorithm::Sha512 => run::<Sha512>(parts),
        }
    }
}

/// The bare digest schemes with their algorithms.
const BARE: [(SchemeKind, Algorithm); 4] = [
    (SchemeKind::Md5, Algorithm::Md5),
    (SchemeKind::Sha1, Algorithm::Sha1),
    (SchemeKind::Sha256, Algorithm::Sha256),
    (SchemeKind::Sha512, Algorithm::Sha512),
];

/// Returns the bare digest scheme whose output is `len` bytes.
fn bare_by_len(len: usize) -> Option<(SchemeKind, Algorithm)> {
    BARE.into_iter().find(|(_, alg)| alg.output_len() == len)
}

/// Text encoding of a bare digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    Hex,
    Base64,
}

/// An unsalted digest of the password.
#[derive(Clone, Debug)]
pub(crate) struct BareDigest {
    kind: SchemeKind,
    algorithm: Algorithm,
    encoding: TextEncoding,
    /// Decoded digest, exactly `algorithm.output_len()` bytes.
    expected: Vec<u8>,
}

impl BareDigest {
    pub(crate) fn kind(&self) -> SchemeKind {
        self.kind
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let computed = self.algorithm.digest(&[password]);
        digests_equal(&computed, &self.expected)
    }

    /// Writes the canonical string: lowercase hex, or padded standard base64.
    pub(crate) fn encode(&self) -> String {
        match self.encoding {
            TextEncoding::Hex => encode_hex(&self.expected),
            TextEncoding::Base64 => encode_base64_std(&self.expected),
        }
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let encoding = match self.encoding {
            TextEncoding::Hex => "hex",
            TextEncoding::Base64 => "base64",
        };
        vec![
            ("encoding", encoding.to_string()),
            ("digest_bytes", self.expected.len().to_string()),
        ]
    }
}

/// Recognises a bare digest by its length; `None` when the string is no bare digest.
pub(crate) fn recognise(stored: &str) -> Option<BareDigest> {
    // Hex of a digest's length wins; other strings of hex digits may still be base64.
    if is_hex(stored)
        && let Some(bytes) = decode_hex(stored)
        && let Some((kind, algorithm)) = bare_by_len(bytes.len())
    {
        return Some(BareDigest {
            kind,
            algorithm,
            encoding: TextEncoding::Hex,
            expected: bytes,
        });
    }

    let bytes = decode_base64_std(stored)?;
    let (kind, algorithm) = bare_by_len(bytes.len())?;
    Some(BareDigest {
        kind,
        algorithm,
        encoding: TextEncoding::Base64,
        expected: bytes,
    })
}

/// Reads `stored` as a digest of the declared bare scheme, in hex or standard base64.
pub(crate) fn parse_declared(stored: &str, kind: SchemeKind) -> Result<BareDigest, Error> {
    let (kind, algorithm) = BARE
        .into_iter()
        .find(|(bare, _)| *bare == kind)
        .ok_or_else(|| Error::UnsupportedScheme {
            detail: format!("{kind} is not a bare digest scheme"),
        })?;
    let expected_len = algorithm.output_len();
    let wrong_length = |actual: usize| Error::WrongDigestLength {
        algorithm: algorithm.name(),
        expected: expected_len,
        actual,
    };

    // Hex of exactly the right length wins: such a string is also valid base64 of another length.
    if stored.len() == 2 * expected_len && is_hex(stored) {
        let bytes = decode_hex(stored).ok_or_else(|| wrong_length(0))?;
        return Ok(BareDigest {
            kind,
            algorithm,
            encoding: TextEncoding::Hex,
            expected: bytes,
        });
    }
    let base64 = decode_base64_std(stored);
    if let Some(bytes) = base64.as_ref().filter(|bytes| bytes.len() == expected_len) {
        return Ok(BareDigest {
            kind,
            algorithm,
            encoding: TextEncoding::Base64,
            expected: bytes.clone(),
        });
    }
    // A wrong length is reported in the encoding the string most likely uses: hex first.
    if is_hex(stored) && stored.len().is_multiple_of(2) {
        return Err(wrong_length(stored.len() / 2));
    }
    if let Some(bytes) = base64 {
        return Err(wrong_length(bytes.len()));
    }
    Err(Error::malformed(
        algorithm.name(),
        format!(
            "expected {} hex digits or standard base64 of {} bytes, got {} characters that are neither",
            2 * expected_len,
            expected_len,
            stored.chars().count()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_by_length() {
        let md5 = recognise("5f4dcc3b5aa765d61d8327deb882cf99").expect("md5 hex");
        assert_eq!(md5.kind(), SchemeKind::Md5);
        let sha1 = recognise("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8").expect("sha1 hex");
        assert_eq!(sha1.kind(), SchemeKind::Sha1);
        assert!(recognise("5f4dcc3b5aa765d61d8327deb882cf9").is_none());
    }

    #[test]
    fn declared_length_mismatch() {
        let err = parse_declared("5f4dcc3b5aa765d61d8327deb882cf99", SchemeKind::Sha1)
            .expect_err("md5-sized digest declared sha1");
        assert_eq!(err.kind(), "wrong_digest_length");
    }

    #[test]
    fn algorithm_names_ignore_case() {
        assert_eq!(Algorithm::from_name("SHA256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::from_name("whirlpool"), None);
    }
}
