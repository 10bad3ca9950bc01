//! Ory Kratos's imported digests: unsalted MD5 and salted MD5 or SHA digests with a template.
//!
//! ```text
//! $md5$<base64 digest>                                          md5(password)
//! $md5$pf=<base64 template>$<base64 salt>$<base64 digest>       md5(template filled in)
//! $sha1$pf=...   $sha256$pf=...   $sha512$pf=...                the same with SHA
//! ```
//!
//! Every field is standard base64 with `=` padding, as Go's `base64.StdEncoding.Strict()`
//! decodes it in Kratos's `hash/hash_comparator.go`. The template is text such as
//! `{SALT}{PASSWORD}`: each `{SALT}` is replaced by the salt bytes and each `{PASSWORD}` by the
//! password, in one left-to-right pass (Go's `strings.NewReplacer`), and the result is hashed.
//! Kratos has no default template, and reads `$sha1$`, `$sha256$` and `$sha512$` only with one.
//!
//! Two other schemes share these identifiers: SunMD5 (`$md5$<salt>$<hash>`,
//! `$md5,rounds=N$...`) and NetBSD's sha1-crypt (`$sha1$<rounds>$<salt>$<hash>`). A `pf=`
//! field, or for `$md5$` a single base64 field, marks Kratos; every other shape is rejected as
//! an unsupported scheme.

use crate::encoding::{decode_base64_padded, digests_equal, encode_base64_std};
use crate::scheme::digest::Algorithm;
use crate::{Error, SchemeKind};

const SCHEME: &str = "kratos";

/// Maximum template length in bytes, after decoding. The templates in Kratos's own tests have
/// at most 32.
const MAX_TEMPLATE_BYTES: usize = 256;

/// Maximum uses of each placeholder in one template, so the hashed message contains at most a few
/// copies of the password.
const MAX_PLACEHOLDER_USES: usize = 4;

const SALT_PLACEHOLDER: &[u8] = b"{SALT}";
const PASSWORD_PLACEHOLDER: &[u8] = b"{PASSWORD}";

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    Salt,
    Password,
}

/// A `pf=` template: its decoded text and the pieces it splits into.
#[derive(Clone, Debug)]
struct Template {
    text: Vec<u8>,
    pieces: Vec<Piece>,
}

/// A parsed Kratos digest.
#[derive(Clone, Debug)]
pub(crate) struct KratosDigest {
    algorithm: Algorithm,
    /// `None` for the unsalted `$md5$<digest>` form.
    template: Option<Template>,
    salt: Vec<u8>,
    /// Decoded digest, exactly `algorithm.output_len()` bytes.
    digest: Vec<u8>,
}

impl KratosDigest {
    pub(crate) fn kind(&self) -> SchemeKind {
        match self.algorithm {
            Algorithm::Md5 => SchemeKind::KratosMd5,
            Algorithm::Sha1 => SchemeKind::KratosSha1,
            Algorithm::Sha256 => SchemeKind::KratosSha256,
            _ => SchemeKind::KratosSha512,
        }
    }

    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let computed = match &self.template {
            None => self.algorithm.digest(&[password]),
            Some(template) => {
                let parts: Vec<&[u8]> = template
                    .pieces
                    .iter()
                    .map(|piece| match piece {
                        Piece::Literal(text) => text.as_slice(),
                        Piece::Salt => self.salt.as_slice(),
                        Piece::Password => password,
                    })
                    .collect();
                self.algorithm.digest(&parts)
            }
        };
        digests_equal(&computed, &self.digest)
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("digest", self.algorithm.name().to_string())];
        if let Some(template) = &self.template {
            params.push(("template_bytes", template.text.len().to_string()));
            params.push(("salt_bytes", self.salt.len().to_string()));
        }
        params
    }

    /// Writes the canonical string: the identifier and padded base64 fields.
    pub(crate) fn encode(&self) -> String {
        let id = self.algorithm.name();
        match &self.template {
            None => format!("${id}${}", encode_base64_std(&self.digest)),
            Some(template) => format!(
                "${id}$pf={}${}${}",
                encode_base64_std(&template.text),
                encode_base64_std(&self.salt),
                encode_base64_std(&self.digest)
            ),
        }
    }
}

/// Returns true when `stored` opens with `$md5$`, `$md5,`, `$sha1$`, `$sha256$` or `$sha512$`,
/// the identifiers this module either reads or rejects with a reason.
pub(crate) fn looks_like(stored: &str) -> bool {
    ["$md5$", "$md5,", "$sha1$", "$sha256$", "$sha512$"]
        .iter()
        .any(|prefix| stored.starts_with(prefix))
}

/// Parses a Kratos digest strictly, without hashing.
pub(crate) fn parse(stored: &str) -> Result<KratosDigest, Error> {
    if stored.starts_with("$md5,") {
        return Err(Error::UnsupportedScheme {
            detail: "SunMD5 ($md5,rounds=...) is not supported".to_string(),
        });
    }
    let fields: Vec<&str> = stored.split('$').collect();
    let algorithm = match fields.get(1).copied() {
        Some("md5") => Algorithm::Md5,
        Some("sha1") => Algorithm::Sha1,
        Some("sha256") => Algorithm::Sha256,
        Some("sha512") => Algorithm::Sha512,
        _ => return Err(Error::malformed(SCHEME, "unknown identifier")),
    };

    if let Some(template) = fields.get(2).and_then(|field| field.strip_prefix("pf=")) {
        let [_, _, _, salt, digest] = fields.as_slice() else {
            return Err(Error::malformed(
                SCHEME,
                "expected $<digest>$pf=<template>$<salt>$<digest>",
            ));
        };
        return parse_templated(algorithm, template, salt, digest);
    }
    if algorithm == Algorithm::Md5
        && let [_, _, digest] = fields.as_slice()
    {
        return Ok(KratosDigest {
            algorithm,
            template: None,
            salt: Vec::new(),
            digest: decode_digest(algorithm, digest)?,
        });
    }
    Err(Error::UnsupportedScheme {
        detail: not_kratos(algorithm),
    })
}

/// Explains why a string with a Kratos identifier but another shape is not read.
fn not_kratos(algorithm: Algorithm) -> String {
    match algorithm {
        Algorithm::Md5 => "SunMD5 ($md5$<salt>$<hash>) is not supported; Kratos's $md5$ holds \
                           one base64 digest or a pf= template"
            .to_string(),
        Algorithm::Sha1 => "NetBSD sha1-crypt ($sha1$<rounds>$<salt>$<hash>) is not supported; \
                            Kratos's $sha1$ always has a pf= template"
            .to_string(),
        other => format!(
            "Kratos reads ${}$ only as ${}$pf=<template>$<salt>$<digest>",
            other.name(),
            other.name()
        ),
    }
}

fn parse_templated(
    algorithm: Algorithm,
    template: &str,
    salt: &str,
    digest: &str,
) -> Result<KratosDigest, Error> {
    let text = decode_base64_padded(template)
        .ok_or_else(|| Error::malformed(SCHEME, "pf template is not padded standard base64"))?;
    let template = parse_template(text)?;
    let salt = decode_base64_padded(salt)
        .ok_or_else(|| Error::malformed(SCHEME, "salt is not padded standard base64"))?;
    Ok(KratosDigest {
        algorithm,
        template: Some(template),
        salt,
        digest: decode_digest(algorithm, digest)?,
    })
}

fn decode_digest(algorithm: Algorithm, text: &str) -> Result<Vec<u8>, Error> {
    if text.is_empty() {
        return Err(Error::malformed(SCHEME, "digest is empty"));
    }
    let digest = decode_base64_padded(text)
        .ok_or_else(|| Error::malformed(SCHEME, "digest is not padded standard base64"))?;
    if digest.len() != algorithm.output_len() {
        return Err(Error::WrongDigestLength {
            algorithm: algorithm.name(),
            expected: algorithm.output_len(),
            actual: digest.len(),
        });
    }
    Ok(digest)
}

/// Splits a template into literal text and placeholders, as Kratos's replacer reads it.
///
/// A template needs `{PASSWORD}` at least once, because without it every password would match.
/// A placeholder spelled in another case (`{salt}`) is rejected, because Kratos would hash it as
/// literal text, which is almost certainly not what the source system did.
fn parse_template(text: Vec<u8>) -> Result<Template, Error> {
    if text.is_empty() || text.len() > MAX_TEMPLATE_BYTES {
        return Err(Error::malformed(
            SCHEME,
            format!(
                "pf template must be 1 to {MAX_TEMPLATE_BYTES} bytes, got {}",
                text.len()
            ),
        ));
    }

    let mut pieces = Vec::new();
    let mut literal = Vec::new();
    let mut rest = text.as_slice();
    while let Some(&byte) = rest.first() {
        let placeholder = if rest.starts_with(SALT_PLACEHOLDER) {
            Some((Piece::Salt, SALT_PLACEHOLDER.len()))
        } else if rest.starts_with(PASSWORD_PLACEHOLDER) {
            Some((Piece::Password, PASSWORD_PLACEHOLDER.len()))
        } else {
            None
        };
        let Some((piece, len)) = placeholder else {
            if starts_with_ignore_case(rest, SALT_PLACEHOLDER)
                || starts_with_ignore_case(rest, PASSWORD_PLACEHOLDER)
            {
                return Err(Error::malformed(
                    SCHEME,
                    "pf template placeholders must be spelled {SALT} and {PASSWORD}",
                ));
            }
            literal.push(byte);
            rest = &rest[1..];
            continue;
        };
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(piece);
        rest = &rest[len..];
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }

    check_placeholder_counts(&pieces)?;
    Ok(Template { text, pieces })
}

fn check_placeholder_counts(pieces: &[Piece]) -> Result<(), Error> {
    let count = |wanted: &Piece| pieces.iter().filter(|piece| *piece == wanted).count();
    let passwords = count(&Piece::Password);
    let salts = count(&Piece::Salt);
    if passwords == 0 || passwords > MAX_PLACEHOLDER_USES || salts > MAX_PLACEHOLDER_USES {
        return Err(Error::malformed(
            SCHEME,
            format!(
                "pf template must use {{PASSWORD}} 1 to {MAX_PLACEHOLDER_USES} times and \
                 {{SALT}} at most {MAX_PLACEHOLDER_USES} times, got {passwords} and {salts}"
            ),
        ));
    }
    Ok(())
}

fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifies(stored: &str, password: &str) -> bool {
        parse(stored).expect("parses").verify(password.as_bytes())
    }

    // Hashes from Kratos's own `hash/hasher_test.go`, made by its Go comparator.
    #[test]
    fn kratos_test_hashes_verify() {
        assert!(verifies("$md5$CY9rzUYh03PK3k6DJie09g==", "test"));
        assert!(!verifies("$md5$CY9rzUYh03PK3k6DJie09g==", "tset"));
        assert!(verifies(
            "$md5$pf=e1BBU1NXT1JEfXtTQUxUfSQ/$MTIzNDU2Nzg5$8PhwWanVRnpJAFK4NUjR0w==",
            "ory"
        ));
        assert!(verifies(
            "$sha1$pf=Pz9zdGF0aWNQcmVmaXg/P3tTQUxUfXtQQVNTV09SRH0=$NW9wbWtnejAzcg==$SAAxMUn7jxckQXkBmsVF0nHwqso=",
            "test"
        ));
        assert!(verifies(
            "$sha256$pf=e1NBTFR9JCR7UEFTU1dPUkR9$NW9wbWtnejAzcg==$HokCOi9OtiZaZRvnkgemV3B4UUHpI7kA8zq/EZWH2NY=",
            "test"
        ));
    }

    #[test]
    fn template_splits_into_pieces() {
        let template = parse_template(b"a{SALT}{PASSWORD}$".to_vec()).expect("valid template");
        assert_eq!(
            template.pieces,
            vec![
                Piece::Literal(b"a".to_vec()),
                Piece::Salt,
                Piece::Password,
                Piece::Literal(b"$".to_vec()),
            ]
        );
    }

    #[test]
    fn template_without_password_rejected() {
        let err = parse_template(b"{SALT}".to_vec()).expect_err("no password");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn template_placeholder_case_checked() {
        let err = parse_template(b"{salt}{PASSWORD}".to_vec()).expect_err("lowercase salt");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn other_shapes_unsupported() {
        for stored in [
            "$md5$saltsalt$qjXMvbEw8oaL.CzflDtaK/",
            "$md5,rounds=5000$salt$hash",
            "$sha1$21979$salt$hash",
            "$sha256$tj9FpMjsGTa6m8cHvyPZr1dvk0gv3UvcFgmp9bnXV1Q=",
        ] {
            let err = parse(stored).expect_err(stored);
            assert_eq!(err.kind(), "unsupported_scheme", "{stored}");
        }
    }
}
