//! Reading one record of each source format into a stored hash the engine can parse.

use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use crate::encoding::{decode_base64_std, decode_hex};
use crate::import::fields::Fields;
use crate::scheme::keyed::{self, Chain, SaltPosition};
use crate::{Descriptor, DigestEncoding, Method, SourceEncoding};

/// Origin of a user export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Logto: Management API bodies (`passwordDigest`, `passwordAlgorithm`) or database rows
    /// (`password_encrypted`, `password_encryption_method`), as a JSON array or JSON Lines.
    Logto,
    /// Auth0 bulk import: `custom_password_hash` or a bcrypt `password_hash`.
    Auth0,
    /// CSV with a header row, read through a [`ColumnMap`].
    Csv,
    /// JSON Lines of flat objects, read through a [`ColumnMap`].
    Jsonl,
}

impl Source {
    /// Returns the source's name as `--from` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Source::Logto => "logto",
            Source::Auth0 => "auth0",
            Source::Csv => "csv",
            Source::Jsonl => "jsonl",
        }
    }

    /// Guesses the source from the field names of the first record.
    pub fn detect(record: &Fields<'_>) -> Option<Source> {
        let has = |name: &str| record.contains_key(name);
        if has("passwordAlgorithm") || has("passwordDigest") || has("password_encryption_method") {
            return Some(Source::Logto);
        }
        if has("custom_password_hash") || (has("password_hash") && has("email")) {
            return Some(Source::Auth0);
        }
        None
    }
}

/// Column names for generic CSV and JSON Lines input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMap {
    /// Column with the stored hash or digest.
    pub hash: String,
    /// Column with a separate salt, if any.
    pub salt: String,
    /// Column with a declared method, algorithm or digest name.
    pub algorithm: String,
    /// Column with `prefix` or `suffix` for the salt.
    pub salt_position: String,
    /// Column with the salt's encoding: `utf8` (default), `hex` or `base64`.
    pub salt_encoding: String,
    /// Column with the digest's encoding: `hex` (default) or `base64`.
    pub digest_encoding: String,
    /// Column with an iteration count for iterated digests: digest applications in all.
    pub iterations: String,
    /// Column with `raw` (default) or `hex`: how an iterated digest feeds each round on.
    pub chain: String,
    /// Column with the HMAC key id for keyed digests.
    pub key_id: String,
    /// Column with the encoding the source hashed the password in: `utf8` (default), `latin1`
    /// or `utf16le`.
    pub source_encoding: String,
    /// Columns named on purpose (with `--columns`), which a CSV header must contain. A default
    /// name that is absent only means the export has no such column.
    pub required: Vec<String>,
}

impl Default for ColumnMap {
    fn default() -> Self {
        ColumnMap {
            hash: "hash".to_string(),
            salt: "salt".to_string(),
            algorithm: "algorithm".to_string(),
            salt_position: "salt_position".to_string(),
            salt_encoding: "salt_encoding".to_string(),
            digest_encoding: "digest_encoding".to_string(),
            iterations: "iterations".to_string(),
            chain: "chain".to_string(),
            key_id: "key_id".to_string(),
            source_encoding: "source_encoding".to_string(),
            required: Vec::new(),
        }
    }
}

impl ColumnMap {
    fn columns(&self) -> [&str; 10] {
        [
            &self.source_encoding,
            &self.chain,
            &self.hash,
            &self.salt,
            &self.algorithm,
            &self.salt_position,
            &self.salt_encoding,
            &self.digest_encoding,
            &self.iterations,
            &self.key_id,
        ]
    }
}

/// A record's password fields read into a candidate stored hash. The mapping functions remove
/// those fields from the record and leave the rest, the user's identity and data, in place.
#[derive(Debug)]
pub(crate) struct Candidate {
    /// Stored hash text before repair and parsing.
    pub(crate) stored: String,
    /// Method the record declares, if any.
    pub(crate) method: Option<Method>,
    /// True when the record itself names the encoding its password was hashed in (a
    /// `source_encoding` column, Auth0's `password.encoding`), even as UTF-8.
    pub(crate) encoding_declared: bool,
}

/// Reason a record yields no candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) kind: &'static str,
    pub(crate) message: String,
}

fn refuse(kind: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        kind,
        message: message.into(),
    }
}

/// HMAC keys supplied for the import, matched against the keys inside records.
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: Vec<(String, zeroize::Zeroizing<Vec<u8>>)>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("KeyRing").field("ids", &ids).finish()
    }
}

impl KeyRing {
    /// Adds `key` under `id`. Returns false for an id that is not 1 to 64 characters from
    /// `A-Za-z0-9_-`.
    pub fn add(&mut self, id: &str, key: Vec<u8>) -> bool {
        if !keyed::is_valid_key_id(id) {
            return false;
        }
        self.keys
            .push((id.to_string(), zeroize::Zeroizing::new(key)));
        true
    }

    /// Returns true when a key with this id was added.
    pub fn contains(&self, id: &str) -> bool {
        self.keys.iter().any(|(known, _)| known == id)
    }

    /// Returns the id of the supplied key equal to `key`.
    fn find(&self, key: &[u8]) -> Option<&str> {
        self.keys
            .iter()
            .find(|(_, known)| known.len() == key.len() && bool::from(known.ct_eq(key)))
            .map(|(id, _)| id.as_str())
    }
}

/// Reads a Logto record, under API or database field names.
pub(crate) fn logto(record: &mut Fields<'_>) -> Result<Candidate, Refusal> {
    let digest = take_string(record, &["passwordDigest", "password_encrypted"])?;
    let method_name = take_string(record, &["passwordAlgorithm", "password_encryption_method"])?;
    let (Some(stored), Some(method_name)) = (digest, method_name) else {
        return Err(refuse(
            "missing_hash",
            "record has no passwordDigest with passwordAlgorithm",
        ));
    };
    let method = method_name
        .parse::<Method>()
        .map_err(|err| refuse("unknown_algorithm", err.to_string()))?;
    Ok(Candidate {
        stored,
        method: Some(method),
        encoding_declared: false,
    })
}

/// Reads an Auth0 bulk-import record.
pub(crate) fn auth0(record: &mut Fields<'_>, keys: &KeyRing) -> Result<Candidate, Refusal> {
    if let Some(custom) = record.take("custom_password_hash") {
        record.take("password_hash");
        let (stored, encoding_declared) = auth0_custom(&custom.to_value(), keys)?;
        return Ok(Candidate {
            stored,
            method: None,
            encoding_declared,
        });
    }
    let Some(stored) = take_string(record, &["password_hash"])? else {
        return Err(refuse(
            "missing_hash",
            "record has neither custom_password_hash nor password_hash",
        ));
    };
    Ok(Candidate {
        stored,
        method: Some(Method::Bcrypt),
        encoding_declared: false,
    })
}

/// Reads `custom_password_hash` into a stored hash, and whether it names a password encoding.
fn auth0_custom(custom: &Value, keys: &KeyRing) -> Result<(String, bool), Refusal> {
    let Value::Object(custom) = custom else {
        return Err(refuse(
            "invalid_field",
            "custom_password_hash is not an object",
        ));
    };
    let algorithm = str_at(custom, &["algorithm"])
        .ok_or_else(|| refuse("missing_hash", "custom_password_hash has no algorithm"))?;
    let value = str_at(custom, &["hash", "value"])
        .ok_or_else(|| refuse("missing_hash", "custom_password_hash has no hash.value"))?;
    // Auth0 names Node.js buffer encodings: `latin1` and its alias `binary` are ISO-8859-1,
    // `ucs2` is an alias of `utf16le`.
    // NOTE: `ascii` is read as UTF-8, which is exact for ASCII passwords only; Node.js writes
    // the low byte of each other character, which no prefix reproduces for characters above
    // U+00FF.
    let declared = str_at(custom, &["password", "encoding"]);
    let password_encoding = declared.unwrap_or("utf8");
    let encoding = match password_encoding {
        "utf8" | "ascii" => None,
        "latin1" | "binary" => Some(SourceEncoding::Latin1),
        "utf16le" | "ucs2" => Some(SourceEncoding::Utf16Le),
        other => {
            return Err(refuse(
                "unsupported_password_encoding",
                format!(
                    "password encoding {:?} is not supported; expected utf8, ascii, latin1, \
                     binary, utf16le or ucs2",
                    crate::scheme::truncate(other, 16)
                ),
            ));
        }
    };
    let stored = auth0_algorithm(custom, algorithm, value, keys)?;
    let stored = match encoding {
        Some(encoding) => format!("{}{stored}", encoding.prefix()),
        None => stored,
    };
    Ok((stored, declared.is_some()))
}

fn auth0_algorithm(
    custom: &Map<String, Value>,
    algorithm: &str,
    value: &str,
    keys: &KeyRing,
) -> Result<String, Refusal> {
    match algorithm {
        // These values are self-describing strings (bcrypt, PHC, RFC 2307) read by their own parsers.
        "bcrypt" | "argon2" | "pbkdf2" | "ldap" => Ok(value.to_string()),
        "md5" | "sha1" | "sha256" | "sha512" => {
            let digest = decode_digest(
                value,
                str_at(custom, &["hash", "encoding"]).unwrap_or("hex"),
            )?;
            let Some(salt) = custom.get("salt") else {
                return Ok(value.to_string());
            };
            let (salt, position) = auth0_salt(salt)?;
            keyed::build(algorithm, None, position, salt, digest)
                .map(|hash| hash.encode())
                .map_err(|err| refuse(err.kind(), err.to_string()))
        }
        "hmac" => {
            let digest_name = str_at(custom, &["hash", "digest"]).unwrap_or("sha256");
            let digest = decode_digest(
                value,
                str_at(custom, &["hash", "encoding"]).unwrap_or("hex"),
            )?;
            let key_text = str_at(custom, &["hash", "key", "value"])
                .ok_or_else(|| refuse("missing_key", "hmac hash has no key.value"))?;
            let key = decode_text(
                key_text,
                str_at(custom, &["hash", "key", "encoding"]).unwrap_or("utf8"),
            )
            .ok_or_else(|| {
                refuse(
                    "invalid_key_encoding",
                    "hmac key does not match its encoding",
                )
            })?;
            let key_id = keys.find(&key).ok_or_else(|| {
                refuse(
                    "hmac_key_not_supplied",
                    "the record's HMAC key matches no key given with --hmac-key",
                )
            })?;
            let (salt, position) = match custom.get("salt") {
                Some(salt) => auth0_salt(salt)?,
                None => (Vec::new(), SaltPosition::None),
            };
            keyed::build(digest_name, Some(key_id), position, salt, digest)
                .map(|hash| hash.encode())
                .map_err(|err| refuse(err.kind(), err.to_string()))
        }
        other => Err(refuse(
            "unsupported_algorithm",
            format!(
                "Auth0 algorithm {:?} is not supported yet",
                crate::scheme::truncate(other, 16)
            ),
        )),
    }
}

fn auth0_salt(salt: &Value) -> Result<(Vec<u8>, SaltPosition), Refusal> {
    let Value::Object(salt) = salt else {
        return Err(refuse("invalid_field", "salt is not an object"));
    };
    let value =
        str_at(salt, &["value"]).ok_or_else(|| refuse("invalid_field", "salt has no value"))?;
    let bytes = decode_text(value, str_at(salt, &["encoding"]).unwrap_or("utf8"))
        .ok_or_else(|| refuse("invalid_salt_encoding", "salt does not match its encoding"))?;
    let position = match str_at(salt, &["position"]).unwrap_or("prefix") {
        "prefix" => SaltPosition::Prefix,
        "suffix" => SaltPosition::Suffix,
        other => {
            return Err(refuse(
                "invalid_field",
                format!(
                    "salt position must be prefix or suffix, got {:?}",
                    crate::scheme::truncate(other, 16)
                ),
            ));
        }
    };
    Ok((bytes, position))
}

/// Reads a generic CSV or JSON Lines record through `columns`.
pub(crate) fn generic(
    record: &mut Fields<'_>,
    columns: &ColumnMap,
    keys: &KeyRing,
) -> Result<Candidate, Refusal> {
    let mut column = |name: &str| -> Result<Option<String>, Refusal> {
        let value = take_text_or_integer(record, name)?;
        Ok(value.filter(|text| !text.is_empty()))
    };
    let hash = column(&columns.hash)?;
    let salt = column(&columns.salt)?;
    let algorithm = column(&columns.algorithm)?;
    let position = column(&columns.salt_position)?;
    let salt_encoding = column(&columns.salt_encoding)?;
    let digest_encoding = column(&columns.digest_encoding)?;
    let iterations = column(&columns.iterations)?;
    let chain = column(&columns.chain)?;
    let key_id = column(&columns.key_id)?;
    let source_encoding = column(&columns.source_encoding)?;
    for name in columns.columns() {
        record.take(name);
    }
    let encoding = match source_encoding.as_deref() {
        None | Some("utf8" | "utf-8") => None,
        Some(name) => Some(SourceEncoding::from_name(name).ok_or_else(|| {
            refuse(
                "invalid_field",
                format!(
                    "source encoding must be utf8, latin1 or utf16le, got {:?}",
                    crate::scheme::truncate(name, 16)
                ),
            )
        })?),
    };
    let candidate = generic_candidate(GenericFields {
        hash,
        salt,
        algorithm,
        position,
        salt_encoding,
        digest_encoding,
        iterations,
        chain,
        key_id,
        columns,
        keys,
    })?;
    let encoding_declared = source_encoding.is_some();
    Ok(match encoding {
        Some(encoding) => Candidate {
            stored: format!("{}{}", encoding.prefix(), candidate.stored),
            method: candidate.method,
            encoding_declared,
        },
        None => Candidate {
            encoding_declared,
            ..candidate
        },
    })
}

/// The password columns of one generic record.
struct GenericFields<'a> {
    hash: Option<String>,
    salt: Option<String>,
    algorithm: Option<String>,
    position: Option<String>,
    salt_encoding: Option<String>,
    digest_encoding: Option<String>,
    iterations: Option<String>,
    chain: Option<String>,
    key_id: Option<String>,
    columns: &'a ColumnMap,
    keys: &'a KeyRing,
}

fn generic_candidate(fields: GenericFields<'_>) -> Result<Candidate, Refusal> {
    let GenericFields {
        hash,
        salt,
        algorithm,
        position,
        salt_encoding,
        digest_encoding,
        iterations,
        chain,
        key_id,
        columns,
        keys,
    } = fields;

    let Some(hash) = hash else {
        return Err(refuse(
            "missing_hash",
            format!("column {:?} is missing or empty", columns.hash),
        ));
    };
    let rounds = match iterations.as_deref() {
        None => 1,
        Some(count) => count
            .parse::<u32>()
            .ok()
            .filter(|&rounds| rounds > 0 && !count.starts_with('0'))
            .ok_or_else(|| {
                refuse(
                    "invalid_field",
                    "iterations must be a whole number from 1 to 4294967295",
                )
            })?,
    };
    let chain = match chain.as_deref() {
        None => Chain::Raw,
        Some(_) if rounds < 2 => {
            return Err(refuse(
                "invalid_field",
                "chain applies only to iterated digests, with iterations of 2 or more",
            ));
        }
        Some(name) => Chain::from_name(name)
            .ok_or_else(|| refuse("invalid_field", "chain must be raw or hex"))?,
    };
    if let Some(id) = key_id.as_deref()
        && !keys.contains(id)
    {
        return Err(refuse(
            "hmac_key_not_supplied",
            "the record's key id matches no key given with --hmac-key",
        ));
    }
    if algorithm.as_deref() == Some("postgres-md5") {
        let user = salt.ok_or_else(|| {
            refuse(
                "missing_field",
                format!(
                    "postgres-md5 needs the user name in the {:?} column",
                    columns.salt
                ),
            )
        })?;
        let stored =
            keyed::postgres_md5(&hash, &user).map_err(|err| refuse(err.kind(), err.to_string()))?;
        return Ok(Candidate {
            stored,
            method: None,
            encoding_declared: false,
        });
    }
    let salt_bytes = match &salt {
        Some(text) => Some(
            decode_text(text, salt_encoding.as_deref().unwrap_or("utf8")).ok_or_else(|| {
                refuse("invalid_salt_encoding", "salt does not match its encoding")
            })?,
        ),
        None => None,
    };
    // Compositions, Werkzeug's legacy strings and salt templates go through a descriptor even
    // without a salt.
    let composed = algorithm
        .as_deref()
        .is_some_and(|name| name.contains('(') || name.eq_ignore_ascii_case("werkzeug"));
    let template = position.as_deref().filter(|text| text.contains('{'));
    let plain = !composed
        && template.is_none()
        && salt.is_none()
        && key_id.is_none()
        && digest_encoding.is_none()
        && rounds == 1;
    if plain {
        // A method or common digest name is declared as such; other names (sha384, scheme
        // names as `identify` prints them) go through a descriptor.
        let method = match algorithm.as_deref() {
            Some(name) => generic_method(name).ok(),
            None => None,
        };
        if method.is_some() || algorithm.is_none() {
            return Ok(Candidate {
                stored: hash,
                method,
                encoding_declared: false,
            });
        }
    }

    let mut descriptor = Descriptor::new();
    if let Some(name) = &algorithm {
        descriptor = descriptor.scheme(name.as_str());
    }
    if let Some(bytes) = salt_bytes {
        descriptor = descriptor.salt(bytes);
        match (template, position.as_deref()) {
            (Some(template), _) => descriptor = descriptor.salt_template(template),
            (None, None | Some("prefix")) => {}
            (None, Some("suffix")) => descriptor = descriptor.salt_position(SaltPosition::Suffix),
            (None, Some(other)) => {
                return Err(refuse(
                    "invalid_field",
                    format!(
                        "salt position must be prefix, suffix or a template, got {:?}",
                        crate::scheme::truncate(other, 16)
                    ),
                ));
            }
        }
    } else if let Some(template) = template {
        descriptor = descriptor.salt_template(template);
    }
    if let Some(id) = key_id {
        descriptor = descriptor.key_id(id);
    }
    if let Some(name) = digest_encoding.as_deref() {
        let encoding = DigestEncoding::from_name(name).ok_or_else(|| {
            refuse(
                "invalid_digest_encoding",
                format!(
                    "digest encoding must be hex or base64, got {:?}",
                    crate::scheme::truncate(name, 16)
                ),
            )
        })?;
        descriptor = descriptor.digest_encoding(encoding);
    }
    if rounds > 1 {
        descriptor = descriptor.rounds(rounds, chain);
    }
    let stored = descriptor
        .canonical(&hash)
        .map_err(|err| refuse(err.kind(), err.to_string()))?;
    Ok(Candidate {
        stored,
        method: None,
        encoding_declared: false,
    })
}

/// Reads a generic algorithm column: a method spelling, or a lower-case digest name.
fn generic_method(name: &str) -> Result<Method, Refusal> {
    if let Ok(method) = name.parse::<Method>() {
        return Ok(method);
    }
    let method = match name.to_ascii_lowercase().as_str() {
        "md5" => Method::Md5,
        "sha1" | "sha-1" => Method::Sha1,
        "sha256" | "sha-256" => Method::Sha256,
        "sha512" | "sha-512" => Method::Sha512,
        "bcrypt" => Method::Bcrypt,
        "argon2" | "argon2id" | "argon2i" | "argon2d" => Method::Argon2id,
        _ => {
            return Err(refuse(
                "unknown_algorithm",
                format!(
                    "algorithm {:?} is not supported",
                    crate::scheme::truncate(name, 32)
                ),
            ));
        }
    };
    Ok(method)
}

fn decode_digest(value: &str, encoding: &str) -> Result<Vec<u8>, Refusal> {
    let bytes = match encoding {
        "hex" => decode_hex(value),
        "base64" => decode_base64_std(value),
        other => {
            return Err(refuse(
                "invalid_digest_encoding",
                format!(
                    "digest encoding must be hex or base64, got {:?}",
                    crate::scheme::truncate(other, 16)
                ),
            ));
        }
    };
    bytes.ok_or_else(|| {
        refuse(
            "invalid_digest_encoding",
            format!("digest is not valid {encoding}"),
        )
    })
}

fn decode_text(value: &str, encoding: &str) -> Option<Vec<u8>> {
    match encoding {
        "utf8" | "utf-8" | "ascii" => Some(value.as_bytes().to_vec()),
        "hex" => decode_hex(value),
        "base64" => decode_base64_std(value),
        _ => None,
    }
}

/// Removes the field `name` and returns it as text: a JSON string, or a JSON integer written as
/// its digits, since exports write counts such as iterations either way.
fn take_text_or_integer(record: &mut Fields<'_>, name: &str) -> Result<Option<String>, Refusal> {
    reject_repeated(record, name)?;
    if let Some(raw) = record.get(name) {
        let json = raw.json();
        let integer = json.strip_prefix('-').unwrap_or(json);
        if !integer.is_empty() && integer.bytes().all(|b| b.is_ascii_digit()) {
            let text = json.to_string();
            record.take(name);
            return Ok(Some(text));
        }
        if json.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            return Err(refuse(
                "invalid_field",
                format!("field {name:?} is a number but not a whole one"),
            ));
        }
    }
    take_string(record, &[name])
}

/// Fails when a record has more than one field `name`: JSON allows a key twice, and reading one
/// of two password fields would silently drop the other.
fn reject_repeated(record: &Fields<'_>, name: &str) -> Result<(), Refusal> {
    if record.is_repeated(name) {
        return Err(refuse(
            "invalid_field",
            format!("field {name:?} appears more than once"),
        ));
    }
    Ok(())
}

/// Removes the first present field of `names` and returns it as a string. A non-string value
/// is a refusal, and a null or missing one is `None`.
fn take_string(record: &mut Fields<'_>, names: &[&str]) -> Result<Option<String>, Refusal> {
    for name in names {
        reject_repeated(record, name)?;
        let Some(raw) = record.take(name) else {
            continue;
        };
        match raw.as_text() {
            Ok(Some(text)) => return Ok(Some(text.into_owned())),
            Ok(None) => continue,
            Err(_) => {
                return Err(refuse(
                    "invalid_field",
                    format!("field {name:?} is not a string"),
                ));
            }
        }
    }
    Ok(None)
}

fn str_at<'a>(object: &'a Map<String, Value>, path: &[&str]) -> Option<&'a str> {
    let (last, parents) = path.split_last()?;
    let mut current = object;
    for name in parents {
        current = current.get(*name)?.as_object()?;
    }
    current.get(*last)?.as_str()
}
