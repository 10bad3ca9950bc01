//! Descriptors: how to read a stored value whose salt, key, encoding or recipe lives outside it.
//!
//! Exports often keep the salt in its own column, name the recipe in a setting (`md5(md5(p) +
//! salt)` for vBulletin), give the digest as base64 where hex is usual, or hash bytes that are not
//! the UTF-8 password. A [`Descriptor`] collects those declared facts and turns the stored value
//! into one self-describing string, which [`Verifier::verify`](crate::Verifier::verify) reads
//! without further hints. That string is a bare digest, `$pwm-digest$`, `$pwm-hmac$`,
//! `$pwm-compose$` or the stored string itself. A `$pwm-nfc$`/`$pwm-nfkc$` or
//! `$pwm-latin1$`/`$pwm-utf16le$` prefix goes in front where the source transformed the password
//! first.
//!
//! ```
//! use pwmigrate::{Descriptor, Password, Policy, Verifier};
//!
//! // vBulletin 3: md5(md5(password) . salt), salt in its own column.
//! let stored = Descriptor::new()
//!     .scheme("md5(md5(p).salt)")
//!     .salt(b"DDB".to_vec())
//!     .canonical("38680271bc53bcacdb0286e640d0abca")?;
//! assert!(stored.starts_with("$pwm-compose$md5(md5(p).salt)$"));
//!
//! let verifier = Verifier::new(Policy::default())?;
//! let verdict = verifier.verify(&Password::from("vb-forum-member"), &stored, None)?;
//! assert!(verdict.is_valid());
//! # Ok::<(), pwmigrate::Error>(())
//! ```

use crate::Error;
use crate::encoding::{decode_base64_std, decode_hex, encode_hex, is_hex};
use crate::scheme::compose::{self, Target};
use crate::scheme::digest::Algorithm;
use crate::scheme::keyed::{self, Chain, SaltPosition};
use crate::scheme::normalized::Normalization;
use crate::scheme::transcode::SourceEncoding;
use crate::scheme::{Method, Scheme, truncate};

/// Text encoding of a digest given apart from any scheme string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestEncoding {
    /// Hexadecimal, either case.
    Hex,
    /// Standard base64 with padding.
    Base64,
}

impl DigestEncoding {
    /// Reads `hex` or `base64`.
    pub fn from_name(name: &str) -> Option<DigestEncoding> {
        match name {
            "hex" => Some(DigestEncoding::Hex),
            "base64" => Some(DigestEncoding::Base64),
            _ => None,
        }
    }

    fn decode(self, text: &str) -> Result<Vec<u8>, Error> {
        let decoded = match self {
            DigestEncoding::Hex => is_hex(text).then(|| decode_hex(text)).flatten(),
            DigestEncoding::Base64 => decode_base64_std(text),
        };
        decoded.ok_or_else(|| {
            Error::malformed(
                "descriptor",
                match self {
                    DigestEncoding::Hex => {
                        "digest is not valid hex; a salt, key, template or digest encoding \
                         applies only to a digest"
                    }
                    DigestEncoding::Base64 => {
                        "digest is not valid standard base64; a salt, key, template or digest \
                         encoding applies only to a digest"
                    }
                },
            )
        })
    }
}

/// Declared facts about a stored value; see the [module documentation](self).
#[derive(Clone, Debug, Default)]
pub struct Descriptor {
    scheme: Option<String>,
    salt: Option<Vec<u8>>,
    position: Option<SaltPosition>,
    template: Option<String>,
    key_id: Option<String>,
    digest_encoding: Option<DigestEncoding>,
    rounds: Option<(u32, Chain)>,
    normalization: Option<Normalization>,
    source_encoding: Option<SourceEncoding>,
}

/// Family names a declared scheme may use for several [`SchemeKind`](crate::SchemeKind)s.
const FAMILIES: &[&str] = &[
    "argon2",
    "aspnet",
    "aspnet-identity",
    "django",
    "kratos",
    "ldap",
    "passlib",
    "pbkdf2",
];

impl Descriptor {
    /// Returns a descriptor that declares nothing: the stored value must describe itself.
    pub fn new() -> Self {
        Descriptor::default()
    }

    /// Declares the scheme. It is a digest name (`md5`, `sha1`, `sha256`, ...), `hmac-<digest>`,
    /// a method name as Logto spells it (`Bcrypt`, `SHA1`), a scheme name as `identify` prints it
    /// (`bcrypt`, `aspnet-identity-v3`) or a family of them (`aspnet-identity`, `ldap`). It may
    /// also be `werkzeug`, for Werkzeug's legacy `<digest>$<salt>$<hex>` HMAC, or a composition
    /// such as `md5(md5(p).salt)` (see `docs/FORMATS.md`).
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = Some(scheme.into());
        self
    }

    /// Declares the record's salt, decoded to bytes. It goes before the password unless
    /// [`Descriptor::salt_position`] or [`Descriptor::salt_template`] places it elsewhere.
    pub fn salt(mut self, salt: Vec<u8>) -> Self {
        self.salt = Some(salt);
        self
    }

    /// Declares where a single digest placed the salt: before the password (`Prefix`, the
    /// default) or after it (`Suffix`).
    pub fn salt_position(mut self, position: SaltPosition) -> Self {
        self.position = Some(position);
        self
    }

    /// Declares a salt template such as `{SALT}{PASSWORD}` or `{PASSWORD}:{SALT}`: the digest's
    /// input is the template with `{SALT}` and `{PASSWORD}` replaced. Other characters are
    /// literal text: printable ASCII other than `'` and `$`.
    // NOTE: a template whose literal text contains `$` or `'` (Kratos allows `$`) cannot be
    // written as a composition and is rejected; Kratos's own `$md5$pf=...` strings are read
    // directly and are not limited this way.
    pub fn salt_template(mut self, template: impl Into<String>) -> Self {
        self.template = Some(template.into());
        self
    }

    /// Declares that the digest is an HMAC under the key given to the verifier as `id`.
    pub fn key_id(mut self, id: impl Into<String>) -> Self {
        self.key_id = Some(id.into());
        self
    }

    /// Declares the text encoding of a digest value.
    pub fn digest_encoding(mut self, encoding: DigestEncoding) -> Self {
        self.digest_encoding = Some(encoding);
        self
    }

    /// Declares an iterated digest: `rounds` applications in all, chained as `chain`. For
    /// bcrypt kept as separate salt and hash fields, `rounds` is the cost instead.
    pub fn rounds(mut self, rounds: u32, chain: Chain) -> Self {
        self.rounds = Some((rounds, chain));
        self
    }

    /// Declares that the source normalised the password before hashing.
    pub fn normalization(mut self, form: Normalization) -> Self {
        self.normalization = Some(form);
        self
    }

    /// Declares that the source hashed the password's bytes in another encoding than UTF-8.
    pub fn source_encoding(mut self, encoding: SourceEncoding) -> Self {
        self.source_encoding = Some(encoding);
        self
    }

    /// Turns `stored` into the self-describing string the verifier reads.
    ///
    /// The result parses: every bound and length is checked here, so a record that cannot be
    /// read is an error now rather than at sign-in.
    ///
    /// # Errors
    ///
    /// [`Error::WrongDigestLength`] for a digest of the wrong size, [`Error::UnsupportedScheme`]
    /// for an unknown scheme name, and [`Error::MalformedHash`] for a stored value that does
    /// not have the declared shape or fields that contradict each other.
    pub fn canonical(&self, stored: &str) -> Result<String, Error> {
        let inner = self.inner(stored)?;
        let mut text = inner;
        if let Some(encoding) = self.source_encoding {
            text = format!("{}{text}", encoding.prefix());
        }
        if let Some(form) = self.normalization {
            text = format!("{}{text}", form.prefix());
        }
        // The wrapped form must itself parse; this also rejects nested prefixes in `stored`.
        Scheme::parse(&text, None)?;
        Ok(text)
    }

    fn inner(&self, stored: &str) -> Result<String, Error> {
        let scheme = self.scheme.as_deref().map(str::trim);
        if let Some(expression) = scheme.filter(|name| name.contains('(')) {
            self.reject_digest_fields("a composition")?;
            return self.composition(expression, stored);
        }
        if scheme.is_some_and(|name| name.eq_ignore_ascii_case("werkzeug")) {
            self.reject_digest_fields("werkzeug")?;
            return werkzeug(stored, self.salt.is_some());
        }
        let (hmac, digest_name) = match scheme {
            Some(name) => match name
                .strip_prefix("hmac-")
                .or_else(|| name.strip_prefix("HMAC-"))
            {
                Some(rest) => (true, Some(rest)),
                None if name.eq_ignore_ascii_case("hmac") => (true, None),
                None => (false, Some(name)),
            },
            None => (false, None),
        };
        if self.salt.is_some()
            && digest_name.is_some_and(|name| name.eq_ignore_ascii_case("bcrypt"))
        {
            return self.bcrypt_fields(stored);
        }
        let algorithm = digest_name.and_then(digest_algorithm);
        if let (true, Some(name), None) = (hmac, digest_name, algorithm) {
            return Err(Error::UnsupportedScheme {
                detail: format!("unknown HMAC digest {:?}", truncate(name, 16)),
            });
        }
        let digest_fields = self.salt.is_some()
            || self.template.is_some()
            || self.key_id.is_some()
            || self.rounds.is_some()
            || self.digest_encoding.is_some()
            || hmac;
        if !digest_fields || (algorithm.is_none() && digest_name.is_some()) {
            if let Some(name) = digest_name.filter(|_| algorithm.is_none()) {
                if digest_fields {
                    return Err(Error::malformed(
                        "descriptor",
                        format!(
                            "salt, key, rounds and digest encoding apply to digests, not to {:?}",
                            truncate(name, 32)
                        ),
                    ));
                }
                return declared(name, stored);
            }
            if let Some(algorithm) = algorithm {
                return bare(algorithm, stored);
            }
            return Ok(Scheme::parse(stored, None)?.encode());
        }
        self.digest(algorithm, hmac, stored)
    }

    /// Fails when fields that only a plain digest reads are set alongside `what`.
    fn reject_digest_fields(&self, what: &str) -> Result<(), Error> {
        if self.template.is_some()
            || self.key_id.is_some()
            || self.rounds.is_some()
            || self.position.is_some()
        {
            return Err(Error::malformed(
                "descriptor",
                format!("{what} takes no salt position, template, key or rounds"),
            ));
        }
        Ok(())
    }

    /// Joins bcrypt kept as separate fields: the salt as `$2b$<cost>$<22 characters>`, or as the
    /// 22 characters alone with the cost declared as rounds, and the 31-character hash.
    fn bcrypt_fields(&self, stored: &str) -> Result<String, Error> {
        if self.template.is_some()
            || self.key_id.is_some()
            || self.position.is_some()
            || self.digest_encoding.is_some()
        {
            return Err(Error::malformed(
                "descriptor",
                "bcrypt salt and hash fields take no salt position, template, key or digest encoding",
            ));
        }
        let salt = self.salt.as_deref().unwrap_or_default();
        let salt = std::str::from_utf8(salt)
            .map_err(|_| Error::malformed("bcrypt", "the salt field is not text"))?;
        let joined = match (salt.starts_with('$'), self.rounds) {
            (true, None) => format!("{salt}{stored}"),
            (false, Some((cost, _))) if cost <= 99 => format!("$2b${cost:02}${salt}{stored}"),
            (false, Some(_)) => {
                return Err(Error::malformed("bcrypt", "the cost must be 4 to 31"));
            }
            (false, None) => {
                return Err(Error::malformed(
                    "bcrypt",
                    "a salt without its $2b$<cost>$ prefix needs the cost declared as rounds",
                ));
            }
            (true, Some(_)) => {
                return Err(Error::malformed(
                    "bcrypt",
                    "the cost is declared twice: in the salt and as rounds",
                ));
            }
        };
        let salt_len = if salt.starts_with('$') { 29 } else { 22 };
        if salt.len() != salt_len || stored.len() != 31 {
            return Err(Error::malformed(
                "bcrypt",
                "separate fields must be a 22-character salt (29 with its prefix) and a \
                 31-character hash",
            ));
        }
        Ok(Scheme::parse(&joined, Some(Method::Bcrypt))?.encode())
    }

    fn composition(&self, expression: &str, stored: &str) -> Result<String, Error> {
        let parsed = compose::parse_expression(expression)?;
        let salt = self.salt.clone().unwrap_or_default();
        let target = match parsed.digest_algorithm() {
            Some(_) => Target::Digest(
                self.digest_encoding
                    .unwrap_or(DigestEncoding::Hex)
                    .decode(stored)?,
            ),
            None => Target::Stored(stored),
        };
        Ok(parsed.attach(salt, target)?.encode())
    }

    fn digest(
        &self,
        algorithm: Option<Algorithm>,
        hmac: bool,
        stored: &str,
    ) -> Result<String, Error> {
        let expected = self
            .digest_encoding
            .unwrap_or(DigestEncoding::Hex)
            .decode(stored)?;
        let algorithm = match algorithm {
            Some(algorithm) => algorithm,
            None => by_length(expected.len())?,
        };
        if let Some(template) = &self.template {
            if self.key_id.is_some() || self.rounds.is_some() || self.position.is_some() {
                return Err(Error::malformed(
                    "descriptor",
                    "a salt template takes no key, rounds or salt position",
                ));
            }
            let expression = template_expression(algorithm, template)?;
            return Ok(compose::build(
                &expression,
                self.salt.clone().unwrap_or_default(),
                Target::Digest(expected),
            )?
            .encode());
        }
        let salt = self.salt.clone().unwrap_or_default();
        let position = match (&self.salt, self.position) {
            (None, Some(_)) => {
                return Err(Error::malformed(
                    "descriptor",
                    "a salt position without a salt",
                ));
            }
            (None, None) => SaltPosition::None,
            // An empty salt changes nothing: the digest is of the password alone.
            (Some(salt), _) if salt.is_empty() => SaltPosition::None,
            (Some(_), position) => position.unwrap_or(SaltPosition::Prefix),
        };
        let key_id = match (hmac, self.key_id.as_deref()) {
            (true, None) => {
                return Err(Error::malformed(
                    "descriptor",
                    "an HMAC scheme needs a key id",
                ));
            }
            (_, key_id) => key_id,
        };
        if key_id.is_none() && position == SaltPosition::None && self.rounds.is_none() {
            return bare_bytes(algorithm, expected);
        }
        let built = keyed::build(algorithm.name(), key_id, position, salt, expected)?;
        let built = match self.rounds {
            Some((1, _)) | None => built,
            Some((rounds, chain)) => built.with_rounds(rounds, chain)?,
        };
        Ok(built.encode())
    }
}

/// Reads a digest name: `md5`, `sha1`, `sha-256`, `SHA256` and the like.
fn digest_algorithm(name: &str) -> Option<Algorithm> {
    Algorithm::from_name(name).or_else(|| Algorithm::from_name(&name.replace('-', "")))
}

/// Picks the digest whose output has `len` bytes, for a digest declared without an algorithm.
fn by_length(len: usize) -> Result<Algorithm, Error> {
    if let Some(found) = Algorithm::ALL
        .into_iter()
        .find(|alg| alg.output_len() == len)
    {
        return Ok(found);
    }
    Err(Error::WrongDigestLength {
        algorithm: crate::error::ANY_DIGEST,
        expected: Algorithm::Md5.output_len(),
        actual: len,
    })
}

/// Writes an unsalted digest: lowercase hex where the length alone names the algorithm,
/// `$pwm-compose$<digest>(p)` otherwise.
fn bare_bytes(algorithm: Algorithm, expected: Vec<u8>) -> Result<String, Error> {
    if expected.len() != algorithm.output_len() {
        return Err(Error::WrongDigestLength {
            algorithm: algorithm.name(),
            expected: algorithm.output_len(),
            actual: expected.len(),
        });
    }
    match algorithm {
        Algorithm::Md5 | Algorithm::Sha1 | Algorithm::Sha256 | Algorithm::Sha512 => {
            Ok(encode_hex(&expected))
        }
        // Hex of these lengths names no bare digest, so the composition form names the digest.
        Algorithm::Sha224 | Algorithm::Sha384 => Ok(compose::build(
            &format!("{}(p)", algorithm.name()),
            Vec::new(),
            Target::Digest(expected),
        )?
        .encode()),
    }
}

/// Reads an unsalted digest of a declared algorithm in hex or base64.
fn bare(algorithm: Algorithm, stored: &str) -> Result<String, Error> {
    let method = match algorithm {
        Algorithm::Md5 => Method::Md5,
        Algorithm::Sha1 => Method::Sha1,
        Algorithm::Sha256 => Method::Sha256,
        Algorithm::Sha512 => Method::Sha512,
        Algorithm::Sha224 | Algorithm::Sha384 => {
            let bytes = DigestEncoding::Hex.decode(stored)?;
            return bare_bytes(algorithm, bytes);
        }
    };
    Ok(Scheme::parse(stored, Some(method))?.encode())
}

/// Reads `stored` under a declared scheme or family name that is not a digest.
fn declared(name: &str, stored: &str) -> Result<String, Error> {
    if let Ok(method) = name.parse::<Method>() {
        return Ok(Scheme::parse(stored, Some(method))?.encode());
    }
    let known = crate::SchemeKind::from_name(name).is_some() || FAMILIES.contains(&name);
    if !known {
        return Err(Error::UnsupportedScheme {
            detail: format!(
                "unknown declared scheme {:?}; see docs/FORMATS.md for the names",
                truncate(name, 32)
            ),
        });
    }
    let mismatch = || {
        Error::malformed(
            "descriptor",
            format!("the stored value is not of the declared scheme {name}"),
        )
    };
    let scheme = match Scheme::parse(stored, None) {
        Ok(scheme) => scheme,
        Err(Error::UnsupportedScheme { .. }) => return Err(mismatch()),
        Err(other) => return Err(other),
    };
    let kind = scheme.kind().name();
    // A family matches a kind whose name contains it as a whole `-`-separated part, so
    // `pbkdf2` covers `django-pbkdf2-sha256` and `aspnet-identity` covers `aspnet-identity-v3`.
    let in_family = kind == name
        || (FAMILIES.contains(&name) && format!("-{kind}-").contains(&format!("-{name}-")));
    if !in_family {
        return Err(mismatch());
    }
    Ok(scheme.encode())
}

/// Reads Werkzeug's legacy `<digest>$<salt>$<hex>`, an HMAC keyed with the salt text, or an
/// unsalted `<digest>$$<hex>`; Werkzeug's PBKDF2 and scrypt strings describe themselves.
fn werkzeug(stored: &str, salt_given: bool) -> Result<String, Error> {
    if salt_given {
        return Err(Error::malformed(
            "descriptor",
            "a Werkzeug string carries its own salt",
        ));
    }
    // Werkzeug's PBKDF2 and scrypt strings describe themselves.
    if stored.starts_with("pbkdf2:") || stored.starts_with("scrypt:") {
        return Ok(Scheme::parse(stored, None)?.encode());
    }

    let not_werkzeug = || {
        Error::malformed(
            "descriptor",
            "the stored value is not a Werkzeug hash: expected <digest>$<salt>$<hex>, \
             pbkdf2:... or scrypt:...",
        )
    };
    let mut fields = stored.splitn(3, '$');
    let (Some(name), Some(salt), Some(hex)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(not_werkzeug());
    };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(not_werkzeug());
    }
    let algorithm = digest_algorithm(name).ok_or_else(|| Error::UnsupportedScheme {
        detail: format!(
            "digest {} in a Werkzeug string",
            crate::scheme::quote_identifier(name)
        ),
    })?;

    let expected = DigestEncoding::Hex.decode(hex)?;
    if salt.is_empty() {
        return bare_bytes(algorithm, expected);
    }

    let expression = format!("hmac_{}(salt,p)", algorithm.name());
    Ok(compose::build(
        &expression,
        salt.as_bytes().to_vec(),
        Target::Digest(expected),
    )?
    .encode())
}

/// Maximum salt template length, in characters.
const MAX_TEMPLATE_LEN: usize = 128;

/// Turns a salt template into a composition over `algorithm`.
fn template_expression(algorithm: Algorithm, template: &str) -> Result<String, Error> {
    if template.len() > MAX_TEMPLATE_LEN {
        return Err(Error::malformed(
            "descriptor",
            format!("a salt template is at most {MAX_TEMPLATE_LEN} characters"),
        ));
    }
    // Checked first, so the byte slicing below always falls on character boundaries.
    if template.contains(['\'', '$']) || !template.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(Error::malformed(
            "descriptor",
            "template text must be printable ASCII other than ' and $",
        ));
    }
    let mut terms = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{SALT}") {
            terms.push("salt".to_string());
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{PASSWORD}") {
            terms.push("p".to_string());
            rest = after;
        } else {
            let end = rest[1..].find('{').map_or(rest.len(), |at| at + 1);
            let literal = &rest[..end];
            terms.push(format!("'{literal}'"));
            rest = &rest[end..];
        }
    }
    if !terms.iter().any(|term| term == "p") {
        return Err(Error::malformed(
            "descriptor",
            "a salt template needs {PASSWORD}",
        ));
    }
    Ok(format!("{}({})", algorithm.name(), terms.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_become_compositions() {
        assert_eq!(
            template_expression(Algorithm::Md5, "{SALT}{PASSWORD}").expect("must succeed"),
            "md5(salt.p)"
        );
        assert_eq!(
            template_expression(Algorithm::Sha1, "{PASSWORD}--{SALT}--").expect("must succeed"),
            "sha1(p.'--'.salt.'--')"
        );
        assert_eq!(
            template_expression(Algorithm::Md5, "{SALT}")
                .expect_err("must fail")
                .kind(),
            "malformed_hash"
        );
        assert_eq!(
            template_expression(Algorithm::Md5, "{PASSWORD}$")
                .expect_err("must fail")
                .kind(),
            "malformed_hash"
        );
    }

    #[test]
    fn unknown_names_are_unsupported() {
        let err = Descriptor::new()
            .scheme("whirlpool-crypt")
            .canonical("abc")
            .expect_err("must fail");
        assert_eq!(err.kind(), "unsupported_scheme");
    }

    #[test]
    fn hmac_needs_a_key_id() {
        let err = Descriptor::new()
            .scheme("hmac-md5")
            .canonical("11e5886832773509b31bbdb2fe226b05")
            .expect_err("must fail");
        assert_eq!(err.kind(), "malformed_hash");
    }
}
