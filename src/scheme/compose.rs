//! `$pwm-compose$`: a small, bounded expression for nested legacy recipes, so a new recipe such as
//! vBulletin's `md5(md5(p).salt)` needs no code.
//!
//! ```text
//! $pwm-compose$<expression>$<B64 salt or empty>$<target>
//! ```
//!
//! The expression names how the source computed its value from the password `p` and the
//! record's `salt`:
//!
//! ```text
//! outer  := digest-call | hmac-call | bcrypt(concat) | argon2id(concat) | argon2i(concat) | argon2d(concat)
//! concat := term ( "." term )*
//! term   := "p" | "salt" | "'" literal "'" | digest-call | hmac-call
//! digest-call := <digest>[_hex | _raw] "(" concat ")"
//! hmac-call   := hmac_<digest>[_hex | _raw] "(" concat "," concat ")"     key first, then message
//! <digest>    := md5 | sha1 | sha224 | sha256 | sha384 | sha512
//! ```
//!
//! `.` joins byte strings. A literal is printable ASCII other than `'` and `$`, for the fixed
//! text of salt templates. A digest call without a suffix gives lowercase hex text, as PHP's
//! `md5()` and `sha1()` do, and with `_raw` it gives the raw bytes. For a digest or HMAC outer call, the
//! target is the B64 of the expected digest bytes. For `bcrypt(...)` and `argon2*(...)`, the
//! target is the stored bcrypt or Argon2 string, which is checked with the expression's value as
//! its password. Examples:
//!
//! ```text
//! md5(md5(p).salt)              vBulletin 3 and 4
//! md5(md5(salt).md5(p))         MyBB
//! bcrypt(md5(p))                vBulletin 5
//! hmac_sha1(salt,p)             Werkzeug's legacy sha1$<salt>$<hex>
//! ```
//!
//! Expressions are bounded before any work: at most [`MAX_EXPRESSION_LEN`] characters,
//! [`MAX_CALLS`] calls, [`MAX_DEPTH`] levels of nesting and [`MAX_PASSWORD_USES`] uses of `p`,
//! so the work is a few digests over at most a few times the password length.

use zeroize::Zeroizing;

use crate::encoding::{decode_phc_b64, digests_equal, encode_hex, encode_phc_b64};
use crate::policy::Limits;
use crate::scheme::argon2::{self, Argon2Hash};
use crate::scheme::bcrypt::{self, BcryptHash};
use crate::scheme::digest::Algorithm;
use crate::scheme::keyed;
use crate::{Error, SchemeKind};

const ID: &str = "pwm-compose";
const PREFIX: &str = "$pwm-compose$";

/// Maximum expression length, in characters.
pub const MAX_EXPRESSION_LEN: usize = 200;
/// Maximum number of digest and HMAC calls in one expression, the outer call included.
pub const MAX_CALLS: usize = 16;
/// Maximum nesting depth of calls.
pub const MAX_DEPTH: usize = 8;
/// Maximum number of uses of the password `p` in one expression.
pub const MAX_PASSWORD_USES: usize = 4;
/// Maximum salt length, in bytes.
const MAX_SALT_LEN: usize = 1024;

/// Output form of a digest or HMAC call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    Hex,
    Raw,
}

/// One node of a parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Password,
    Salt,
    /// Literal text from the expression.
    Literal(Vec<u8>),
    /// A digest over the concatenation of the parts.
    Digest {
        algorithm: Algorithm,
        output: Output,
        parts: Vec<Node>,
    },
    /// An HMAC keyed with the first concatenation over the second.
    Hmac {
        algorithm: Algorithm,
        output: Output,
        key: Vec<Node>,
        message: Vec<Node>,
    },
}

/// The outermost call, which decides what the target is.
#[derive(Clone, Debug)]
enum Outer {
    /// A digest or HMAC node whose raw bytes must equal `expected`.
    Digest { node: Node, expected: Vec<u8> },
    /// bcrypt over the value of `parts`.
    Bcrypt { parts: Vec<Node>, inner: BcryptHash },
    /// Argon2 over the value of `parts`.
    Argon2 { parts: Vec<Node>, inner: Argon2Hash },
}

/// A parsed `$pwm-compose$` string.
#[derive(Clone, Debug)]
pub(crate) struct ComposedHash {
    /// The expression as written, which parsed and passed every bound.
    expression: String,
    salt: Vec<u8>,
    outer: Outer,
}

impl ComposedHash {
    pub(crate) fn check_limits(&self, limits: &Limits) -> Result<(), Error> {
        match &self.outer {
            Outer::Digest { .. } => Ok(()),
            Outer::Bcrypt { inner, .. } => inner.check_limits(limits),
            Outer::Argon2 { inner, .. } => inner.check_limits(limits),
        }
    }

    /// Evaluates the expression over `password` and checks the target.
    pub(crate) fn verify(
        &self,
        password: &[u8],
        wipe: bool,
        pool: Option<&crate::memory_pool::MemoryPool>,
    ) -> Result<bool, Error> {
        let inputs = Inputs {
            password,
            salt: &self.salt,
        };
        match &self.outer {
            Outer::Digest { node, expected } => {
                let computed = raw_call(node, &inputs);
                Ok(digests_equal(&computed, expected))
            }
            Outer::Bcrypt { parts, inner } => inner.verify(&concat(parts, &inputs)),
            Outer::Argon2 { parts, inner } => inner.verify(&concat(parts, &inputs), wipe, pool),
        }
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("expression", self.expression.clone()),
            ("salt_bytes", self.salt.len().to_string()),
        ];
        match &self.outer {
            Outer::Digest { .. } => {}
            Outer::Bcrypt { inner, .. } => params.extend(inner.params()),
            Outer::Argon2 { inner, .. } => params.extend(inner.params()),
        }
        params
    }

    pub(crate) fn encode(&self) -> String {
        let target = match &self.outer {
            Outer::Digest { expected, .. } => encode_phc_b64(expected),
            Outer::Bcrypt { inner, .. } => inner.encode(),
            Outer::Argon2 { inner, .. } => inner.encode(),
        };
        format!(
            "{PREFIX}{}${}${target}",
            self.expression,
            encode_phc_b64(&self.salt)
        )
    }

    pub(crate) fn kind(&self) -> SchemeKind {
        SchemeKind::Composed
    }
}

struct Inputs<'a> {
    password: &'a [u8],
    salt: &'a [u8],
}

/// Concatenates the values of `parts`.
fn concat(parts: &[Node], inputs: &Inputs<'_>) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::new());
    for part in parts {
        match part {
            Node::Password => out.extend_from_slice(inputs.password),
            Node::Salt => out.extend_from_slice(inputs.salt),
            Node::Literal(text) => out.extend_from_slice(text),
            call => {
                let raw = raw_call(call, inputs);
                match call_output(call) {
                    Output::Raw => out.extend_from_slice(&raw),
                    Output::Hex => {
                        out.extend_from_slice(Zeroizing::new(encode_hex(&raw)).as_bytes())
                    }
                }
            }
        }
    }
    out
}

/// Returns the raw digest bytes of a digest or HMAC node.
fn raw_call(node: &Node, inputs: &Inputs<'_>) -> Zeroizing<Vec<u8>> {
    match node {
        Node::Digest {
            algorithm, parts, ..
        } => {
            let message = concat(parts, inputs);
            algorithm.digest(&[&message])
        }
        Node::Hmac {
            algorithm,
            key,
            message,
            ..
        } => {
            let key = concat(key, inputs);
            let message = concat(message, inputs);
            keyed::hmac(*algorithm, &key, &[&message])
        }
        // The parser only places calls where a call is evaluated.
        Node::Password | Node::Salt | Node::Literal(_) => unreachable!("raw_call on a leaf"),
    }
}

fn call_output(node: &Node) -> Output {
    match node {
        Node::Digest { output, .. } | Node::Hmac { output, .. } => *output,
        Node::Password | Node::Salt | Node::Literal(_) => Output::Raw,
    }
}

/// A parsed expression before its target is attached.
#[derive(Debug)]
pub(crate) struct Expression {
    text: String,
    outer: OuterCall,
    uses_salt: bool,
}

#[derive(Debug)]
enum OuterCall {
    Digest(Node),
    Bcrypt(Vec<Node>),
    Argon2(SchemeKind, Vec<Node>),
}

impl Expression {
    /// Returns true when the outer call is a digest or HMAC, whose target is a digest.
    pub(crate) fn digest_algorithm(&self) -> Option<&'static str> {
        match &self.outer {
            OuterCall::Digest(Node::Digest { algorithm, .. } | Node::Hmac { algorithm, .. }) => {
                Some(algorithm.name())
            }
            _ => None,
        }
    }

    /// Attaches the salt and the target and checks that they fit the expression.
    pub(crate) fn attach(self, salt: Vec<u8>, target: Target<'_>) -> Result<ComposedHash, Error> {
        if salt.len() > MAX_SALT_LEN {
            return Err(Error::malformed(ID, "salt is longer than 1024 bytes"));
        }
        if !self.uses_salt && !salt.is_empty() {
            return Err(Error::malformed(
                ID,
                "a salt is given but the expression does not use salt",
            ));
        }
        // Every recipe that names its salt was made with one, so an empty salt is a lost column.
        if self.uses_salt && salt.is_empty() {
            return Err(Error::malformed(
                ID,
                "the expression uses salt but the salt is empty",
            ));
        }
        let outer = match (self.outer, target) {
            (OuterCall::Digest(node), Target::Digest(expected)) => {
                let algorithm = match &node {
                    Node::Digest { algorithm, .. } | Node::Hmac { algorithm, .. } => *algorithm,
                    Node::Password | Node::Salt | Node::Literal(_) => {
                        unreachable!("outer call is a call")
                    }
                };
                if expected.len() != algorithm.output_len() {
                    return Err(Error::WrongDigestLength {
                        algorithm: algorithm.name(),
                        expected: algorithm.output_len(),
                        actual: expected.len(),
                    });
                }
                Outer::Digest { node, expected }
            }
            (OuterCall::Bcrypt(parts), Target::Stored(stored)) => {
                if !bcrypt::looks_like(stored) {
                    return Err(Error::malformed(
                        ID,
                        "the expression names bcrypt but the target is not a bcrypt string",
                    ));
                }
                Outer::Bcrypt {
                    parts,
                    inner: bcrypt::parse(stored)?,
                }
            }
            (OuterCall::Argon2(kind, parts), Target::Stored(stored)) => {
                if !stored.starts_with("$argon2") {
                    return Err(Error::malformed(
                        ID,
                        format!(
                            "the expression names {kind} but the target is not an Argon2 string"
                        ),
                    ));
                }
                let inner = argon2::parse(stored)?;
                if inner.kind() != kind {
                    return Err(Error::malformed(
                        ID,
                        format!(
                            "the expression names {kind} but the target is {}",
                            inner.kind()
                        ),
                    ));
                }
                Outer::Argon2 { parts, inner }
            }
            (OuterCall::Digest(_), Target::Stored(_)) => {
                return Err(Error::malformed(ID, "a digest expression needs a digest"));
            }
            (_, Target::Digest(_)) => {
                return Err(Error::malformed(
                    ID,
                    "a bcrypt or Argon2 expression needs a stored bcrypt or Argon2 string",
                ));
            }
        };
        Ok(ComposedHash {
            expression: self.text,
            salt,
            outer,
        })
    }
}

/// The value an expression is checked against.
pub(crate) enum Target<'a> {
    /// Expected digest bytes, for a digest or HMAC outer call.
    Digest(Vec<u8>),
    /// A stored bcrypt or Argon2 string, for those outer calls.
    Stored(&'a str),
}

/// Parses and bounds an expression such as `md5(md5(p).salt)`.
///
/// # Errors
///
/// [`Error::MalformedHash`] for a syntax error or an expression over the bounds, and
/// [`Error::UnsupportedScheme`] for an unknown function name.
pub(crate) fn parse_expression(text: &str) -> Result<Expression, Error> {
    if text.len() > MAX_EXPRESSION_LEN {
        return Err(Error::malformed(
            ID,
            format!("expression is longer than {MAX_EXPRESSION_LEN} characters"),
        ));
    }
    if !text.is_ascii() {
        return Err(Error::malformed(ID, "expression must be ASCII"));
    }
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
        calls: 0,
        password_uses: 0,
        uses_salt: false,
    };
    let outer = parser.outer()?;
    if parser.at != parser.text.len() {
        return Err(parser.error("unexpected text after the outer call"));
    }
    if parser.password_uses == 0 {
        return Err(Error::malformed(
            ID,
            "expression does not use the password p",
        ));
    }
    Ok(Expression {
        text: text.to_string(),
        outer,
        uses_salt: parser.uses_salt,
    })
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    calls: usize,
    password_uses: usize,
    uses_salt: bool,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> Error {
        Error::malformed(ID, format!("{what} at character {}", self.at + 1))
    }

    fn name(&mut self) -> &str {
        let start = self.at;
        while self
            .text
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.at += 1;
        }
        // Only ASCII was admitted, so any byte range is valid UTF-8.
        std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default()
    }

    fn expect(&mut self, byte: u8) -> Result<(), Error> {
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", byte as char)))
        }
    }

    fn outer(&mut self) -> Result<OuterCall, Error> {
        let start = self.at;
        let name = self.name().to_string();
        let wrapper = match name.as_str() {
            "bcrypt" => Some(None),
            "argon2id" => Some(Some(SchemeKind::Argon2id)),
            "argon2i" => Some(Some(SchemeKind::Argon2i)),
            "argon2d" => Some(Some(SchemeKind::Argon2d)),
            _ => None,
        };
        match wrapper {
            Some(kind) => {
                self.expect(b'(')?;
                let parts = self.concat(1)?;
                self.expect(b')')?;
                // C implementations of bcrypt stop at a NUL byte, which raw digest bytes contain
                // for about one password in sixteen, so bcrypt's input must be text.
                if kind.is_none()
                    && parts.iter().any(|part| {
                        call_output(part) == Output::Raw
                            && !matches!(part, Node::Password | Node::Salt | Node::Literal(_))
                    })
                {
                    return Err(Error::malformed(
                        ID,
                        "bcrypt takes text, so use a hex digest inside it, not _raw",
                    ));
                }
                Ok(match kind {
                    None => OuterCall::Bcrypt(parts),
                    Some(kind) => OuterCall::Argon2(kind, parts),
                })
            }
            None => {
                self.at = start;
                match self.term(0)? {
                    call @ (Node::Digest { .. } | Node::Hmac { .. }) => Ok(OuterCall::Digest(call)),
                    Node::Password | Node::Salt | Node::Literal(_) => Err(Error::malformed(
                        ID,
                        "the outer term must be a digest, HMAC, bcrypt or Argon2 call",
                    )),
                }
            }
        }
    }

    fn literal(&mut self) -> Result<Node, Error> {
        self.at += 1;
        let start = self.at;
        while let Some(&byte) = self.text.get(self.at) {
            match byte {
                b'\'' => {
                    let text = self.text[start..self.at].to_vec();
                    self.at += 1;
                    return Ok(Node::Literal(text));
                }
                b'$' => return Err(self.error("'$' in a literal")),
                0x20..=0x7e => self.at += 1,
                _ => return Err(self.error("a literal holds printable ASCII only")),
            }
        }
        Err(self.error("unterminated literal"))
    }

    fn concat(&mut self, depth: usize) -> Result<Vec<Node>, Error> {
        let mut parts = vec![self.term(depth)?];
        while self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            parts.push(self.term(depth)?);
        }
        Ok(parts)
    }

    fn term(&mut self, depth: usize) -> Result<Node, Error> {
        if self.text.get(self.at) == Some(&b'\'') {
            return self.literal();
        }
        let name = self.name().to_string();
        match name.as_str() {
            "" => return Err(self.error("expected p, salt or a call")),
            "p" => {
                self.password_uses += 1;
                if self.password_uses > MAX_PASSWORD_USES {
                    return Err(Error::malformed(
                        ID,
                        format!("p is used more than {MAX_PASSWORD_USES} times"),
                    ));
                }
                return Ok(Node::Password);
            }
            "salt" => {
                self.uses_salt = true;
                return Ok(Node::Salt);
            }
            _ => {}
        }
        self.call(&name, depth)
    }

    /// Parses a digest or HMAC call whose name has just been read.
    fn call(&mut self, name: &str, depth: usize) -> Result<Node, Error> {
        let (hmac, rest) = match name.strip_prefix("hmac_") {
            Some(rest) => (true, rest),
            None => (false, name),
        };
        let (digest, output) = if let Some(digest) = rest.strip_suffix("_raw") {
            (digest, Output::Raw)
        } else {
            (rest.strip_suffix("_hex").unwrap_or(rest), Output::Hex)
        };
        let algorithm = match digest {
            "md5" => Algorithm::Md5,
            "sha1" => Algorithm::Sha1,
            "sha224" => Algorithm::Sha224,
            "sha256" => Algorithm::Sha256,
            "sha384" => Algorithm::Sha384,
            "sha512" => Algorithm::Sha512,
            _ => {
                return Err(Error::UnsupportedScheme {
                    detail: format!(
                        "unknown function {} in a {ID} expression",
                        crate::scheme::quote_identifier(name)
                    ),
                });
            }
        };

        if depth >= MAX_DEPTH {
            return Err(Error::malformed(
                ID,
                format!("calls nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.calls += 1;
        if self.calls > MAX_CALLS {
            return Err(Error::malformed(
                ID,
                format!("expression has more than {MAX_CALLS} calls"),
            ));
        }

        self.expect(b'(')?;
        let node = if hmac {
            let key = self.concat(depth + 1)?;
            self.expect(b',')?;
            let message = self.concat(depth + 1)?;
            Node::Hmac {
                algorithm,
                output,
                key,
                message,
            }
        } else {
            Node::Digest {
                algorithm,
                output,
                parts: self.concat(depth + 1)?,
            }
        };
        self.expect(b')')?;
        Ok(node)
    }
}

pub(crate) fn looks_like(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// Parses `$pwm-compose$<expression>$<B64 salt>$<target>`.
pub(crate) fn parse(stored: &str) -> Result<ComposedHash, Error> {
    let rest = stored
        .strip_prefix(PREFIX)
        .ok_or_else(|| Error::malformed(ID, "missing $pwm-compose$ prefix"))?;
    let mut fields = rest.splitn(3, '$');
    let (Some(expression), Some(salt), Some(target)) =
        (fields.next(), fields.next(), fields.next())
    else {
        return Err(Error::malformed(
            ID,
            "expected $pwm-compose$<expression>$<salt>$<target>",
        ));
    };
    let expression = parse_expression(expression)?;
    let salt = decode_phc_b64(salt).ok_or_else(|| Error::malformed(ID, "salt is not valid B64"))?;
    let target = if expression.digest_algorithm().is_some() {
        Target::Digest(
            decode_phc_b64(target)
                .ok_or_else(|| Error::malformed(ID, "digest is not valid B64"))?,
        )
    } else {
        Target::Stored(target)
    };
    expression.attach(salt, target)
}

/// Builds the canonical `$pwm-compose$` string for `expression` over a record's salt and its
/// stored value: the decoded digest for a digest expression, the bcrypt or Argon2 string
/// otherwise.
pub(crate) fn build(
    expression: &str,
    salt: Vec<u8>,
    target: Target<'_>,
) -> Result<ComposedHash, Error> {
    parse_expression(expression)?.attach(salt, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_examples() {
        for text in [
            "md5(md5(p).salt)",
            "md5(md5(salt).md5(p))",
            "bcrypt(md5(p))",
            "argon2id(md5_hex(p))",
            "hmac_sha1(salt,p)",
            "sha256_raw(salt.sha1_raw(p).p)",
            "md5('{'.salt.'}'.p)",
            "sha1(''.p)",
        ] {
            parse_expression(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        }
    }

    #[test]
    fn rejects_bad_expressions() {
        let cases = [
            ("", "malformed_hash"),
            ("p", "malformed_hash"),
            ("md5(p", "malformed_hash"),
            ("md5(p))", "malformed_hash"),
            ("md5()", "malformed_hash"),
            ("md5(salt)", "malformed_hash"),
            ("md4(p)", "unsupported_scheme"),
            ("md5(bcrypt(p))", "unsupported_scheme"),
            ("hmac_sha1(p)", "malformed_hash"),
            ("md5(p.p.p.p.p)", "malformed_hash"),
            ("md5(p..salt)", "malformed_hash"),
            ("md5(p).salt", "malformed_hash"),
            ("md5(p é)", "malformed_hash"),
            ("md5('a$b'.p)", "malformed_hash"),
            ("md5('abc.p)", "malformed_hash"),
        ];
        for (text, kind) in cases {
            let err = parse_expression(text).expect_err(text);
            assert_eq!(err.kind(), kind, "{text}: {err}");
        }
    }

    #[test]
    fn bounds_depth_calls_and_length() {
        let deep = format!(
            "{}p{}",
            "md5(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            parse_expression(&deep).expect_err("must fail").kind(),
            "malformed_hash"
        );
        let ok_deep = format!("{}p{}", "md5(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        parse_expression(&ok_deep).expect("depth at the bound");
        let many = format!(
            "md5({})",
            ["md5(p)"; 4].join(".") + ".md5(salt)".repeat(12).as_str()
        );
        assert_eq!(
            parse_expression(&many).expect_err("must fail").kind(),
            "malformed_hash"
        );
        let long = format!("md5(p{})", ".salt".repeat(50));
        assert_eq!(
            parse_expression(&long).expect_err("must fail").kind(),
            "malformed_hash"
        );
    }

    #[test]
    fn salt_must_be_used_when_given() {
        let err =
            build("md5(p)", b"abc".to_vec(), Target::Digest(vec![0; 16])).expect_err("must fail");
        assert_eq!(err.kind(), "malformed_hash");
    }

    #[test]
    fn digest_length_is_checked() {
        let err = build(
            "md5(md5(p).salt)",
            b"abc".to_vec(),
            Target::Digest(vec![0; 20]),
        )
        .expect_err("must fail");
        assert_eq!(err.kind(), "wrong_digest_length");
    }

    #[test]
    fn encode_round_trips() {
        let hash = build(
            "md5(md5(p).salt)",
            b"DDB".to_vec(),
            Target::Digest(vec![7; 16]),
        )
        .expect("builds");
        let again = parse(&hash.encode()).expect("parses");
        assert_eq!(again.encode(), hash.encode());
    }
}
