//! Streaming record readers: a JSON array, JSON Lines, or CSV with a header row.
//!
//! Each reader keeps at most one record in memory, bounded by `max_record_bytes`. A record that
//! is too long, not valid UTF-8, or not valid JSON is returned as a per-record problem and reading
//! goes on with the next one. Only damage that leaves no next record to find (a JSON array cut off
//! mid-record, a read error) ends the stream with an error.

use std::io::{BufRead, ErrorKind};

use super::fields::{self, Fields};

/// Reason one record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordProblem {
    /// The record is longer than the bound, in bytes.
    TooLong(usize),
    /// The record is not valid UTF-8.
    InvalidUtf8,
    /// The record is not valid JSON; the text is serde_json's message.
    InvalidJson(String),
    /// The record is valid JSON but not an object.
    NotAnObject,
    /// A CSV row could not be read; the text is the csv crate's message.
    InvalidCsv(String),
}

impl RecordProblem {
    /// Returns a stable snake_case name for summaries.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordProblem::TooLong(_) => "record_too_long",
            RecordProblem::InvalidUtf8 => "invalid_utf8",
            RecordProblem::InvalidJson(_) => "invalid_json",
            RecordProblem::NotAnObject => "not_an_object",
            RecordProblem::InvalidCsv(_) => "invalid_csv",
        }
    }

    /// Returns a one-line description.
    pub fn message(&self) -> String {
        match self {
            RecordProblem::TooLong(len) => format!("record is over {len} bytes"),
            RecordProblem::InvalidUtf8 => "record is not valid UTF-8".to_string(),
            RecordProblem::InvalidJson(detail) => format!("record is not valid JSON: {detail}"),
            RecordProblem::NotAnObject => "record is not a JSON object".to_string(),
            RecordProblem::InvalidCsv(detail) => format!("row is not valid CSV: {detail}"),
        }
    }
}

/// A failure that ends the stream: nothing after it can be read reliably.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the input failed.
    Io(std::io::Error),
    /// The input's structure is broken at this record (1-based).
    Broken {
        /// Record number where reading stopped.
        record: u64,
        /// Description of the damage.
        detail: String,
    },
}

/// One record: a JSON object's fields, or the reason it could not be read.
pub type Record<'a> = Result<Fields<'a>, RecordProblem>;

/// A source of records.
pub trait RecordReader {
    /// Returns the next record, `Ok(None)` at the end of the input.
    ///
    /// # Errors
    ///
    /// Returns [`StreamError`] when the input cannot be read any further.
    fn next_record(&mut self) -> Result<Option<Record<'_>>, StreamError>;
}

fn parse_json(bytes: &[u8]) -> Record<'_> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(RecordProblem::InvalidUtf8);
    };
    match fields::parse_object(text) {
        Ok(fields) => Ok(fields),
        // Valid JSON of another type is a record that is not an object.
        Err(_) if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() => {
            Err(RecordProblem::NotAnObject)
        }
        Err(err) => Err(RecordProblem::InvalidJson(err.to_string())),
    }
}

/// JSON Lines: one record per line; blank lines are skipped.
#[derive(Debug)]
pub struct JsonLines<R> {
    input: R,
    max_record_bytes: usize,
    line: Vec<u8>,
}

impl<R: BufRead> JsonLines<R> {
    /// Reads records from `input`, each at most `max_record_bytes` long.
    pub fn new(input: R, max_record_bytes: usize) -> Self {
        JsonLines {
            input,
            max_record_bytes,
            line: Vec::new(),
        }
    }
}

impl<R: BufRead> RecordReader for JsonLines<R> {
    fn next_record(&mut self) -> Result<Option<Record<'_>>, StreamError> {
        loop {
            self.line.clear();
            let (read, overflow) =
                read_line_bounded(&mut self.input, &mut self.line, self.max_record_bytes)
                    .map_err(StreamError::Io)?;
            if read == 0 {
                return Ok(None);
            }
            if overflow {
                return Ok(Some(Err(RecordProblem::TooLong(self.max_record_bytes))));
            }
            if !self.line.trim_ascii().is_empty() {
                break;
            }
        }
        // Parsed after the loop, so the record's borrow of the line starts only here.
        Ok(Some(parse_json(self.line.trim_ascii())))
    }
}

/// Reads one line into `line`, keeping at most `max` bytes. Returns the bytes consumed and
/// whether the line was longer than `max`; the rest of an overlong line is skipped unread.
fn read_line_bounded(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut overflow = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if buffer.is_empty() {
            return Ok((consumed, overflow));
        }
        let (chunk, done) = match memchr::memchr(b'\n', buffer) {
            Some(at) => (&buffer[..=at], true),
            None => (buffer, false),
        };
        let len = chunk.len();
        if !overflow {
            if line.len() + len > max + 1 {
                overflow = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        input.consume(len);
        consumed += len;
        if done {
            return Ok((consumed, overflow));
        }
    }
}

/// A top-level JSON array of records, read one element at a time.
#[derive(Debug)]
pub struct JsonArray<R> {
    input: R,
    max_record_bytes: usize,
    started: bool,
    finished: bool,
    records: u64,
    element: Vec<u8>,
}

impl<R: BufRead> JsonArray<R> {
    /// Reads the elements of the array in `input`, each at most `max_record_bytes` long.
    pub fn new(input: R, max_record_bytes: usize) -> Self {
        JsonArray {
            input,
            max_record_bytes,
            started: false,
            finished: false,
            records: 0,
            element: Vec::new(),
        }
    }

    fn broken(&self, detail: &str) -> StreamError {
        StreamError::Broken {
            record: self.records + 1,
            detail: detail.to_string(),
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    fn peek_significant(&mut self) -> Result<Option<u8>, StreamError> {
        loop {
            let buffer = self.input.fill_buf().map_err(StreamError::Io)?;
            let Some(&first) = buffer.first() else {
                return Ok(None);
            };
            if first.is_ascii_whitespace() {
                self.input.consume(1);
                continue;
            }
            return Ok(Some(first));
        }
    }

    /// Reads one element's bytes into `self.element`; returns false when it was too long.
    fn read_element(&mut self) -> Result<bool, StreamError> {
        self.element.clear();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut overflow = false;
        loop {
            let buffer = self.input.fill_buf().map_err(StreamError::Io)?;
            if buffer.is_empty() {
                return Err(self.broken("input ends inside a record; the JSON array is truncated"));
            }
            let mut end = None;
            for (at, &byte) in buffer.iter().enumerate() {
                if in_string {
                    match (escaped, byte) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(at + 1);
                            break;
                        }
                    }
                    b',' | b']' if depth == 0 => {
                        end = Some(at);
                        break;
                    }
                    _ => {}
                }
            }
            let take = end.unwrap_or(buffer.len());
            if !overflow {
                if self.element.len() + take > self.max_record_bytes {
                    overflow = true;
                    self.element.clear();
                } else {
                    self.element.extend_from_slice(&buffer[..take]);
                }
            }
            self.input.consume(take);
            if end.is_some() {
                return Ok(!overflow);
            }
        }
    }
}

impl<R: BufRead> RecordReader for JsonArray<R> {
    fn next_record(&mut self) -> Result<Option<Record<'_>>, StreamError> {
        if self.finished {
            return Ok(None);
        }
        if !self.started {
            match self.peek_significant()? {
                Some(b'[') => self.input.consume(1),
                _ => return Err(self.broken("input does not start with '['")),
            }
            self.started = true;
            if self.peek_significant()? == Some(b']') {
                self.input.consume(1);
                self.finished = true;
                return Ok(None);
            }
        } else {
            match self.peek_significant()? {
                Some(b',') => self.input.consume(1),
                Some(b']') => {
                    self.input.consume(1);
                    self.finished = true;
                    return Ok(None);
                }
                Some(_) => return Err(self.broken("expected ',' or ']' between records")),
                None => return Err(self.broken("input ends before the closing ']'")),
            }
        }

        match self.peek_significant()? {
            None => return Err(self.broken("input ends after ','; the JSON array is truncated")),
            Some(b']') => return Err(self.broken("trailing ',' before ']'")),
            Some(_) => {}
        }
        let complete = self.read_element()?;
        self.records += 1;
        if !complete {
            return Ok(Some(Err(RecordProblem::TooLong(self.max_record_bytes))));
        }
        Ok(Some(parse_json(self.element.trim_ascii())))
    }
}

/// CSV with a header row; each row becomes an object of header names to string values.
#[derive(Debug)]
pub struct Csv<R> {
    reader: csv::Reader<LineBound<R>>,
    headers: Vec<String>,
    record: csv::ByteRecord,
    records: u64,
}

impl<R: BufRead> Csv<R> {
    /// Reads the header row of `input`; rows are bounded to `max_record_bytes` per line.
    ///
    /// # Errors
    ///
    /// Returns [`StreamError`] when the header row cannot be read.
    pub fn new(input: R, max_record_bytes: usize) -> Result<Self, StreamError> {
        let bounded = LineBound {
            input,
            max: max_record_bytes,
            run: 0,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(bounded);
        let headers = reader
            .headers()
            .map_err(|err| csv_stream_error(err, 0))?
            .iter()
            .map(|name| name.trim().to_string())
            .collect();
        Ok(Csv {
            reader,
            headers,
            record: csv::ByteRecord::new(),
            records: 0,
        })
    }
}

fn csv_stream_error(err: csv::Error, record: u64) -> StreamError {
    let detail = err.to_string();
    match err.into_kind() {
        csv::ErrorKind::Io(io) if io.kind() != ErrorKind::InvalidData => StreamError::Io(io),
        csv::ErrorKind::Utf8 { .. } => StreamError::Broken {
            record: record + 1,
            detail: "the CSV header is not valid UTF-8".to_string(),
        },
        _ => StreamError::Broken {
            record: record + 1,
            detail,
        },
    }
}

impl<R> Csv<R> {
    /// Returns the header row's column names, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
}

impl<R: BufRead> RecordReader for Csv<R> {
    fn next_record(&mut self) -> Result<Option<Record<'_>>, StreamError> {
        let read = match self.reader.read_byte_record(&mut self.record) {
            Ok(read) => read,
            Err(err)
                if matches!(
                    err.kind(),
                    csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }
                ) =>
            {
                self.records += 1;
                return Ok(Some(Err(RecordProblem::InvalidCsv(err.to_string()))));
            }
            Err(err) => return Err(csv_stream_error(err, self.records)),
        };
        if !read {
            return Ok(None);
        }
        self.records += 1;
        if self.record.len() != self.headers.len() {
            return Ok(Some(Err(RecordProblem::InvalidCsv(format!(
                "row has {} fields, the header has {}",
                self.record.len(),
                self.headers.len()
            )))));
        }
        let mut fields = Fields::default();
        for (name, field) in self.headers.iter().zip(self.record.iter()) {
            let Ok(text) = std::str::from_utf8(field) else {
                return Ok(Some(Err(RecordProblem::InvalidUtf8)));
            };
            fields.push_owned_text(name.clone(), text);
        }
        Ok(Some(Ok(fields)))
    }
}

/// A reader that fails with `InvalidData` once a line passes `max` bytes, so that the CSV reader
/// never buffers an unbounded row.
#[derive(Debug)]
struct LineBound<R> {
    input: R,
    max: usize,
    run: usize,
}

impl<R: BufRead> std::io::Read for LineBound<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let buffer = self.input.fill_buf()?;
        let mut len = buffer.len().min(out.len());
        // Hand over at most one line per call, so the CSV reader's read-ahead never reaches a
        // line before the record that contains it, and an error names the right record.
        if let Some(at) = memchr::memchr(b'\n', &buffer[..len]) {
            len = at + 1;
        }
        for &byte in &buffer[..len] {
            self.run = if byte == b'\n' { 0 } else { self.run + 1 };
            if self.run > self.max {
                return Err(std::io::Error::new(
                    ErrorKind::InvalidData,
                    format!("a CSV line is over {} bytes", self.max),
                ));
            }
        }
        out[..len].copy_from_slice(&buffer[..len]);
        self.input.consume(len);
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// A record turned into an owned JSON value, so records can outlive the reader's buffer.
    type Owned = Result<Value, RecordProblem>;

    fn collect(reader: &mut dyn RecordReader) -> (Vec<Owned>, Option<StreamError>) {
        let mut records = Vec::new();
        loop {
            match reader.next_record() {
                Ok(Some(record)) => records.push(record.map(|fields| {
                    let mut text = Vec::new();
                    fields.write_object(&mut text, b"");
                    serde_json::from_slice(&text).expect("fields write valid JSON")
                })),
                Ok(None) => return (records, None),
                Err(err) => return (records, Some(err)),
            }
        }
    }

    #[test]
    fn array_reads_each_element() {
        let input = br#" [ {"a": "x,]}"}, 7, {"b": [1, {"c": 2}]} ] "#;
        let mut reader = JsonArray::new(&input[..], 1024);
        let (records, err) = collect(&mut reader);
        assert!(err.is_none());
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].as_ref().expect("object")["a"], "x,]}");
        assert_eq!(records[1], Err(RecordProblem::NotAnObject));
        assert!(records[2].is_ok());
    }

    #[test]
    fn array_truncated_names_record() {
        let input = br#"[{"a": 1}, {"b": "#;
        let mut reader = JsonArray::new(&input[..], 1024);
        let (records, err) = collect(&mut reader);
        assert_eq!(records.len(), 1);
        match err {
            Some(StreamError::Broken { record, .. }) => assert_eq!(record, 2),
            other => panic!("expected a broken stream, got {other:?}"),
        }
    }

    #[test]
    fn array_overlong_element_skipped() {
        let long = format!(r#"[{{"a": "{}"}}, {{"b": 1}}]"#, "x".repeat(5000));
        let mut reader = JsonArray::new(long.as_bytes(), 100);
        let (records, err) = collect(&mut reader);
        assert!(err.is_none());
        assert_eq!(records[0], Err(RecordProblem::TooLong(100)));
        assert!(records[1].is_ok());
    }

    #[test]
    fn lines_problems_per_record() {
        let mut input = b"{\"a\": 1}\n\n[1]\n{bad\n".to_vec();
        input.extend_from_slice(b"{\"c\": \"\xff\"}\n");
        input.extend_from_slice(
            format!("{{\"d\": \"{}\"}}\n{{\"e\": 2}}", "y".repeat(300)).as_bytes(),
        );
        let mut reader = JsonLines::new(&input[..], 200);
        let (records, err) = collect(&mut reader);
        assert!(err.is_none());
        let kinds: Vec<&str> = records
            .iter()
            .map(|r| r.as_ref().map_or_else(RecordProblem::kind, |_| "ok"))
            .collect();
        assert_eq!(
            kinds,
            [
                "ok",
                "not_an_object",
                "invalid_json",
                "invalid_utf8",
                "record_too_long",
                "ok"
            ]
        );
    }

    #[test]
    fn csv_rows_become_objects() {
        let input = b"email,hash\nada@example.com,\"ab,cd\"\nbob@example.com\n";
        let mut reader = Csv::new(&input[..], 1024).expect("header");
        let (records, err) = collect(&mut reader);
        assert!(err.is_none());
        assert_eq!(records[0].as_ref().expect("row")["hash"], "ab,cd");
        assert_eq!(
            records[1]
                .as_ref()
                .map(|_| ())
                .expect_err("short row")
                .kind(),
            "invalid_csv"
        );
    }

    #[test]
    fn csv_overlong_line_is_fatal() {
        let input = format!("email,hash\na@example.com,{}\n", "z".repeat(5000));
        let mut reader = Csv::new(input.as_bytes(), 100).expect("header");
        let (_, err) = collect(&mut reader);
        assert!(
            matches!(err, Some(StreamError::Broken { record: 1, .. })),
            "{err:?}"
        );
    }
}
