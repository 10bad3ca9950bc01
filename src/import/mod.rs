//! Importing a user export: read each record, turn its password fields into one stored hash that
//! [`Verifier::verify`](crate::Verifier::verify) accepts without a method, and account for every
//! record as accepted or rejected.
//!
//! The flow per record is read -> map (per source) -> repair -> parse -> bound -> write. Nothing
//! is hashed. Each accepted record is written as one JSON line with its fields unchanged plus
//! `stored`, `scheme` and `upgrade_due`. Each rejected one is written to the rejects stream with
//! its record number, identity fields and a reason, never its hash.

pub mod fields;
pub mod reader;
mod source;

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::io::{BufRead, Write};

use serde_json::{Map, Value, json};

use crate::scheme::Scheme;
use crate::{Error, Method, Policy};
use fields::Fields;
use reader::{Csv, JsonArray, JsonLines, Record, RecordProblem, RecordReader, StreamError};
use source::{Candidate, Refusal};
pub use source::{ColumnMap, KeyRing, Source};

/// Fields copied into the rejects file so a rejected user can be found, in this order.
const IDENTITY_FIELDS: &[&str] = &[
    "id",
    "user_id",
    "username",
    "email",
    "primaryEmail",
    "primary_email",
    "primaryPhone",
    "primary_phone",
    "phone_number",
    "name",
];

/// Fields the importer adds to each output line.
const OUTPUT_FIELDS: [&str; 3] = ["stored", "scheme", "upgrade_due"];

/// Records a source must yield before its format is guessed, at most.
const DETECTION_WINDOW: usize = 1000;

/// How to read an export.
#[derive(Debug, Clone)]
pub struct Options {
    /// Source format; guessed from the content when `None`.
    pub source: Option<Source>,
    /// Column names for CSV and JSON Lines.
    pub columns: ColumnMap,
    /// HMAC keys that Auth0 `hmac` records may use; their ids go into the output.
    pub keys: KeyRing,
    /// Bounds and upgrade target applied to each stored hash.
    pub policy: Policy,
    /// Maximum size of one record, in bytes.
    pub max_record_bytes: usize,
    /// Reject a second record with the same user id, user name, email or phone.
    pub reject_duplicates: bool,
    /// Maximum users remembered for the duplicate check. Past this many the check stops and the
    /// summary reports where, so memory stays bounded on any export. Each user costs about 22
    /// bytes, 44 MiB at the default of 2,000,000.
    pub duplicate_capacity: usize,
    /// Unicode normalisation the source applied before hashing; each accepted stored hash is
    /// then written behind its `$pwm-nfc$` or `$pwm-nfkc$` prefix.
    pub normalization: Option<crate::Normalization>,
    /// Character encoding the source applied to passwords before hashing, when not UTF-8;
    /// each accepted stored hash is then written behind `$pwm-latin1$` or `$pwm-utf16le$`.
    pub source_encoding: Option<crate::SourceEncoding>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            source: None,
            columns: ColumnMap::default(),
            keys: KeyRing::default(),
            policy: Policy::default(),
            max_record_bytes: 1 << 20,
            reject_duplicates: true,
            duplicate_capacity: 2_000_000,
            normalization: None,
            source_encoding: None,
        }
    }
}

/// Counts over one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Source the records were read as.
    pub source: Option<Source>,
    /// Records read, accepted plus rejected.
    pub read: u64,
    /// Records written to the output.
    pub accepted: u64,
    /// Records written to the rejects stream.
    pub rejected: u64,
    /// Accepted records whose hash is below policy, so their first sign-in will upgrade them.
    pub upgrade_due: u64,
    /// Accepted records per scheme name.
    pub by_scheme: BTreeMap<String, u64>,
    /// Rejected records per reason kind.
    pub by_reason: BTreeMap<String, u64>,
    /// Storage damage repaired, per kind (`trailing_newline`, `trailing_padding`).
    pub repairs: BTreeMap<String, u64>,
    /// Record number after which duplicates were no longer checked, because the check reached
    /// its capacity. `None` when every record was checked or the check was off.
    pub duplicate_check_stopped_at: Option<u64>,
}

impl Summary {
    /// Returns the summary as a JSON object.
    pub fn to_json(&self) -> Value {
        json!({
            "source": self.source.map(Source::name),
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "upgrade_due": self.upgrade_due,
            "by_scheme": self.by_scheme,
            "by_reason": self.by_reason,
            "repairs": self.repairs,
            "duplicate_check_stopped_at": self.duplicate_check_stopped_at,
        })
    }
}

/// A failure that stops the import; the output must then be discarded.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImportError {
    /// Reading the input or writing an output failed.
    Io(std::io::Error),
    /// The input is broken at this record number and cannot be read further.
    Broken {
        /// 1-based record number.
        record: u64,
        /// Description of the damage.
        detail: String,
    },
    /// The source could not be guessed; pass it explicitly.
    UnknownSource,
    /// The CSV header lacks the hash column or a column named with `--columns`.
    MissingColumn(String),
    /// The CSV header names a column twice, so one of its values would be lost.
    DuplicateColumn(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Io(err) => write!(f, "I/O failed: {err}"),
            ImportError::Broken { record, detail } => {
                write!(f, "input is broken at record {record}: {detail}")
            }
            ImportError::MissingColumn(name) => write!(
                f,
                "no column {name:?} in the CSV header or in any JSON record; name the column \
                 that holds it with --columns NAME=COLUMN"
            ),
            ImportError::DuplicateColumn(name) => write!(
                f,
                "the CSV header names the column {name:?} twice; rename one of them"
            ),
            ImportError::UnknownSource => write!(
                f,
                "cannot tell the export's source from its first records; pass --from"
            ),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<StreamError> for ImportError {
    fn from(err: StreamError) -> Self {
        match err {
            StreamError::Io(err) => ImportError::Io(err),
            StreamError::Broken { record, detail } => ImportError::Broken { record, detail },
        }
    }
}

impl From<std::io::Error> for ImportError {
    fn from(err: std::io::Error) -> Self {
        ImportError::Io(err)
    }
}

/// Fails on a CSV header without the hash column or a column named on purpose, or with a
/// column name given twice.
fn check_header(headers: &[String], columns: &source::ColumnMap) -> Result<(), ImportError> {
    let mut seen = std::collections::HashSet::new();
    for name in headers {
        if !seen.insert(name.as_str()) {
            return Err(ImportError::DuplicateColumn(name.clone()));
        }
    }
    let needed = std::iter::once(&columns.hash).chain(columns.required.iter());
    for name in needed {
        if !seen.contains(name.as_str()) {
            return Err(ImportError::MissingColumn(name.clone()));
        }
    }
    Ok(())
}

/// Imports every record of `input`, writing accepted records to `output` and rejected ones to
/// `rejects`, both as JSON Lines. `progress` is called with the records read so far, every 4096
/// records and at the end.
///
/// # Errors
///
/// Returns [`ImportError`] when the input cannot be read to its end or an output cannot be
/// written; the outputs are then incomplete.
pub fn import(
    mut input: impl BufRead,
    output: &mut impl Write,
    rejects: &mut impl Write,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, ImportError> {
    let first = first_byte(&mut input)?;
    let max = options.max_record_bytes;
    let mut reader: Box<dyn RecordReader + '_> = if is_csv(options.source, first) {
        let csv = Csv::new(input, max)?;
        if first.is_some() {
            check_header(csv.headers(), &options.columns)?;
        }
        Box::new(csv)
    } else if first == Some(b'[') {
        Box::new(JsonArray::new(input, max))
    } else {
        Box::new(JsonLines::new(input, max))
    };

    let mut run = Run::new(options, first);
    // Records that could not be read while the source is still unknown. The first readable
    // object fixes the source, and these are then rejected in order before it.
    let mut pending: Vec<RecordProblem> = Vec::new();
    while let Some(record) = reader.next_record()? {
        match (run.source, record) {
            (None, Err(problem)) => {
                pending.push(problem);
                if pending.len() >= DETECTION_WINDOW {
                    return Err(ImportError::UnknownSource);
                }
                continue;
            }
            (None, Ok(fields)) => {
                // Objects without Logto or Auth0 fields are read through the column map.
                run.source = Some(Source::detect(&fields).unwrap_or(Source::Jsonl));
                for problem in pending.drain(..) {
                    run.process(Err(problem), output, rejects)?;
                }
                run.process(Ok(fields), output, rejects)?;
            }
            (Some(_), record) => run.process(record, output, rejects)?,
        }
        if run.summary.read.is_multiple_of(4096) {
            progress(run.summary.read);
        }
    }
    if run.source.is_none() {
        run.source = Some(Source::Jsonl);
        for problem in pending.drain(..) {
            run.process(Err(problem), output, rejects)?;
        }
    }
    output.flush()?;
    rejects.flush()?;
    progress(run.summary.read);
    // JSON records have no header to check up front, so a column named on purpose that no record
    // has is reported at the end, before the caller keeps the output.
    if matches!(run.source, Some(Source::Jsonl))
        && run.summary.read > 0
        && let Some((name, _)) = options
            .columns
            .required
            .iter()
            .zip(&run.required_seen)
            .find(|(_, seen)| !**seen)
    {
        return Err(ImportError::MissingColumn(name.clone()));
    }
    run.summary.source = run.source;
    Ok(run.summary)
}

fn first_byte(input: &mut impl BufRead) -> Result<Option<u8>, ImportError> {
    loop {
        let buffer = input.fill_buf()?;
        match buffer.first() {
            None => return Ok(None),
            Some(byte) if byte.is_ascii_whitespace() => input.consume(1),
            Some(&byte) => return Ok(Some(byte)),
        }
    }
}

fn is_csv(source: Option<Source>, first: Option<u8>) -> bool {
    match source {
        Some(Source::Csv) => true,
        Some(_) => false,
        None => !matches!(first, Some(b'[' | b'{')),
    }
}

/// State of one import.
struct Run<'a> {
    options: &'a Options,
    source: Option<Source>,
    summary: Summary,
    seen: HashSet<u64>,
    hasher: RandomState,
    /// Output line buffer, reused for every record.
    line: Vec<u8>,
    /// The members appended to each output object, reused for every record.
    extra: Vec<u8>,
    /// Lower-cased identity for the duplicate check, reused for every record.
    lowered: Vec<u8>,
    /// Whether any record so far has each of `options.columns.required`.
    required_seen: Vec<bool>,
}

impl<'a> Run<'a> {
    fn new(options: &'a Options, first_byte: Option<u8>) -> Self {
        let source = match (options.source, first_byte) {
            (None, Some(byte)) if is_csv(None, Some(byte)) => Some(Source::Csv),
            (source, _) => source,
        };
        Run {
            options,
            source,
            summary: Summary::default(),
            required_seen: vec![false; options.columns.required.len()],
            seen: HashSet::new(),
            hasher: RandomState::new(),
            line: Vec::with_capacity(1024),
            extra: Vec::with_capacity(256),
            lowered: Vec::with_capacity(64),
        }
    }

    fn process(
        &mut self,
        record: Record<'_>,
        output: &mut impl Write,
        rejects: &mut impl Write,
    ) -> Result<(), ImportError> {
        self.summary.read += 1;
        let number = self.summary.read;
        let record = match record {
            Ok(record) => record,
            Err(problem) => return self.reject_unread(number, &problem, rejects),
        };
        let mut record = record;
        match self.accept(&mut record) {
            Ok((stored, scheme, upgrade_due)) => {
                if self.options.reject_duplicates && self.is_duplicate(&record) {
                    let refusal = Refusal {
                        kind: "duplicate_user",
                        message:
                            "an earlier record has the same user id, user name, email or phone"
                                .to_string(),
                    };
                    return self.reject(number, &identity_of(&record), &refusal, rejects);
                }
                self.extra.clear();
                self.extra.extend_from_slice(b",\"stored\":");
                serde_json::to_writer(&mut self.extra, &stored).map_err(std::io::Error::from)?;
                self.extra.extend_from_slice(b",\"scheme\":\"");
                self.extra.extend_from_slice(scheme.as_bytes());
                self.extra.extend_from_slice(if upgrade_due {
                    b"\",\"upgrade_due\":true"
                } else {
                    b"\",\"upgrade_due\":false"
                });
                self.line.clear();
                record.write_object(&mut self.line, &self.extra);
                self.line.push(b'\n');
                output.write_all(&self.line)?;
                self.summary.accepted += 1;
                match self.summary.by_scheme.get_mut(scheme) {
                    Some(count) => *count += 1,
                    None => {
                        self.summary.by_scheme.insert(scheme.to_string(), 1);
                    }
                }
                if upgrade_due {
                    self.summary.upgrade_due += 1;
                }
                Ok(())
            }
            Err(refusal) => self.reject(number, &identity_of(&record), &refusal, rejects),
        }
    }

    /// Maps, repairs, parses and bounds one record, leaving its other fields for the output.
    /// Returns the stored hash to write, the scheme name and whether an upgrade is due.
    fn accept(&mut self, fields: &mut Fields<'_>) -> Result<(String, &'static str, bool), Refusal> {
        let candidate = match self.source.unwrap_or(Source::Jsonl) {
            Source::Logto => source::logto(fields),
            Source::Auth0 => source::auth0(fields, &self.options.keys),
            Source::Csv | Source::Jsonl => {
                for (name, seen) in self
                    .options
                    .columns
                    .required
                    .iter()
                    .zip(&mut self.required_seen)
                {
                    *seen = *seen || fields.contains_key(name);
                }
                source::generic(fields, &self.options.columns, &self.options.keys)
            }
        }?;
        let Candidate {
            stored,
            method,
            encoding_declared,
        } = candidate;

        let (stored, scheme) = self.parse_repaired(stored, method)?;
        let stored = self.wrap(stored, &scheme, encoding_declared)?;
        let upgrade_due = !scheme
            .upgrade_reasons(&self.options.policy.target)
            .is_empty();
        let scheme_name = scheme.kind().name();

        for name in OUTPUT_FIELDS {
            if fields.contains_key(name) {
                fields.rename(name, &format!("source_{name}"));
            }
        }
        Ok((stored, scheme_name, upgrade_due))
    }

    /// Writes the import-wide source encoding and normalisation in front of a parsed stored
    /// hash, keeping any prefix it already has: normalisation outermost, then the encoding.
    ///
    /// A record that names its own encoding (`encoding_declared`) must agree with
    /// `--source-encoding`, or it is rejected rather than silently read one way.
    fn wrap(
        &self,
        stored: String,
        scheme: &Scheme,
        encoding_declared: bool,
    ) -> Result<String, Refusal> {
        if self.options.normalization.is_none() && self.options.source_encoding.is_none() {
            return Ok(stored);
        }
        let (form, rest) = match crate::scheme::normalized::split(&stored) {
            Some((form, rest)) => (Some(form), rest),
            None => (self.options.normalization, stored.as_str()),
        };
        let own = crate::scheme::transcode::split(rest).map(|(encoding, _)| encoding);
        let mut text = match self.options.source_encoding {
            Some(encoding) if (encoding_declared || own.is_some()) && own != Some(encoding) => {
                let named = own.map_or("utf8", |own| own.name());
                return Err(Refusal {
                    kind: "conflicting_source_encoding",
                    message: format!(
                        "the record names the password encoding {named}, but --source-encoding \
                         is {}",
                        encoding.name()
                    ),
                });
            }
            Some(encoding) if own.is_none() => format!("{}{rest}", encoding.prefix()),
            _ => rest.to_string(),
        };
        if let Some(form) = form {
            text = format!("{}{text}", form.prefix());
        }
        if scheme.normalization().is_none() || self.options.source_encoding.is_some() {
            // The wrapped string must still parse; a prefix the record carried may not nest.
            Scheme::parse(&text, None).map_err(|err| Refusal {
                kind: err.kind(),
                message: err.to_string(),
            })?;
        }
        Ok(text)
    }

    /// Parses `stored`, repairing a trailing newline or trailing space padding only when the
    /// repaired string parses and the original does not. The result parses the same way with no
    /// method, so `verify` needs no extra column.
    fn parse_repaired(
        &mut self,
        stored: String,
        method: Option<Method>,
    ) -> Result<(String, Scheme), Refusal> {
        let limits = &self.options.policy.limits;
        let (stored, scheme) = match parse_bounded(&stored, method, limits) {
            Ok(scheme) => (stored, scheme),
            Err(original) => {
                let (repaired, repair) = repair(&stored).ok_or_else(|| refusal_of(&original))?;
                let scheme =
                    parse_bounded(repaired, method, limits).map_err(|_| refusal_of(&original))?;
                *self.summary.repairs.entry(repair.to_string()).or_default() += 1;
                (repaired.to_string(), scheme)
            }
        };

        // Recognition reads every declared method's shape but Legacy's the same way, by an
        // identifier prefix or a digest's length. A recipe may need its whitespace trimmed.
        if method.is_some() && method != Some(Method::Legacy) {
            return Ok((stored, scheme));
        }
        if method.is_some() {
            if Scheme::recognised_kind(stored.trim()) != Some(scheme.kind()) {
                return Err(Refusal {
                    kind: "ambiguous_without_method",
                    message: format!(
                        "the stored hash reads as {} only with its declared method",
                        scheme.kind()
                    ),
                });
            }
            return Ok((stored.trim().to_string(), scheme));
        }
        Ok((stored, scheme))
    }

    /// Returns true when an earlier accepted record had the same primary identity.
    ///
    /// The set keeps one 64-bit fingerprint per user up to `duplicate_capacity`. Two different
    /// identities share a fingerprint with probability about n^2 / 2^65.
    fn is_duplicate(&mut self, identity: &Fields<'_>) -> bool {
        if self.summary.duplicate_check_stopped_at.is_some() {
            return false;
        }
        let key = [
            "user_id",
            "id",
            "username",
            "email",
            "primaryEmail",
            "primary_email",
            "primaryPhone",
            "primary_phone",
        ]
        .iter()
        .find_map(|name| {
            identity
                .get(name)
                .and_then(|raw| raw.as_text().ok().flatten())
                .filter(|text| !text.is_empty())
                .map(|text| (*name, text))
        });
        let Some((name, text)) = key else {
            return false;
        };
        let namespace = match name {
            "user_id" | "id" => "id",
            "username" => "username",
            "email" | "primaryEmail" | "primary_email" => "email",
            _ => "phone",
        };
        // Lower-case into a reused buffer: no allocation per record for ASCII identities.
        self.lowered.clear();
        if text.is_ascii() {
            self.lowered
                .extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            self.lowered
                .extend_from_slice(text.to_lowercase().as_bytes());
        }
        let fingerprint = self.hasher.hash_one((namespace, &self.lowered));
        if self.seen.contains(&fingerprint) {
            return true;
        }
        if self.seen.len() >= self.options.duplicate_capacity {
            // NOTE: later records are not checked against each other or the earlier ones.
            self.summary.duplicate_check_stopped_at = Some(self.summary.read);
            self.seen = HashSet::new();
            return false;
        }
        self.seen.insert(fingerprint);
        false
    }

    fn reject(
        &mut self,
        number: u64,
        identity: &Map<String, Value>,
        refusal: &Refusal,
        rejects: &mut impl Write,
    ) -> Result<(), ImportError> {
        let mut line = Map::new();
        line.insert("record".to_string(), Value::from(number));
        for (name, value) in identity {
            line.insert(name.clone(), value.clone());
        }
        line.insert("reason".to_string(), Value::from(refusal.kind));
        line.insert("message".to_string(), Value::from(refusal.message.as_str()));
        serde_json::to_writer(&mut *rejects, &line).map_err(std::io::Error::from)?;
        rejects.write_all(b"\n")?;
        self.summary.rejected += 1;
        *self
            .summary
            .by_reason
            .entry(refusal.kind.to_string())
            .or_default() += 1;
        Ok(())
    }

    fn reject_unread(
        &mut self,
        number: u64,
        problem: &RecordProblem,
        rejects: &mut impl Write,
    ) -> Result<(), ImportError> {
        let refusal = Refusal {
            kind: problem.kind(),
            message: problem.message(),
        };
        self.reject(number, &Map::new(), &refusal, rejects)
    }
}

fn parse_bounded(
    stored: &str,
    method: Option<Method>,
    limits: &crate::Limits,
) -> Result<Scheme, Error> {
    if stored.len() > limits.max_stored_bytes {
        return Err(Error::StoredHashTooLong {
            len: stored.len(),
            max: limits.max_stored_bytes,
        });
    }
    let scheme = Scheme::parse(stored, method)?;
    scheme.check_limits(limits)?;
    Ok(scheme)
}

/// Returns `stored` without storage damage the importer can undo, and the kind of repair.
fn repair(stored: &str) -> Option<(&str, &'static str)> {
    if let Some(cut) = stored
        .strip_suffix("\r\n")
        .or_else(|| stored.strip_suffix('\n'))
    {
        return Some((cut, "trailing_newline"));
    }
    let cut = stored.trim_end_matches(' ');
    (cut.len() < stored.len() && !cut.is_empty()).then_some((cut, "trailing_padding"))
}

fn refusal_of(err: &Error) -> Refusal {
    Refusal {
        kind: err.kind(),
        message: err.to_string(),
    }
}

fn identity_of(record: &Fields<'_>) -> Map<String, Value> {
    record.values_of(IDENTITY_FIELDS)
}
