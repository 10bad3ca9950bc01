//! One record's fields as raw JSON, borrowed from the reader's buffer where possible.
//!
//! Fields that the importer does not read are never parsed into values and are written back
//! byte for byte, which keeps them unchanged and avoids most of the parsing and escaping work.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Error of [`RawField::as_text`]: the field is neither a JSON string nor null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotText;

/// A field value: raw JSON text, borrowed or owned.
#[derive(Debug)]
pub enum RawField<'a> {
    /// Points into the record's text.
    Borrowed(&'a RawValue),
    /// Made for this record, as from a CSV cell.
    Owned(Box<RawValue>),
}

impl RawField<'_> {
    /// Returns the raw JSON text.
    pub fn json(&self) -> &str {
        match self {
            RawField::Borrowed(raw) => raw.get(),
            RawField::Owned(raw) => raw.get(),
        }
    }

    /// Returns the value as text when it is a JSON string; `Ok(None)` for null.
    ///
    /// # Errors
    ///
    /// Returns [`NotText`] for any other JSON type.
    pub fn as_text(&self) -> Result<Option<Cow<'_, str>>, NotText> {
        let json = self.json();
        if json == "null" {
            return Ok(None);
        }
        if !json.starts_with('"') {
            return Err(NotText);
        }
        // Without escapes the text is the slice between the quotes.
        if !json.contains('\\') {
            return Ok(Some(Cow::Borrowed(&json[1..json.len() - 1])));
        }
        serde_json::from_str::<String>(json)
            .map(|text| Some(Cow::Owned(text)))
            .map_err(|_| NotText)
    }

    /// Parses the value into a `serde_json::Value`.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(self.json()).unwrap_or(Value::Null)
    }
}

/// A record's fields in input order.
#[derive(Debug, Default)]
pub struct Fields<'a> {
    entries: Vec<(Cow<'a, str>, RawField<'a>)>,
}

impl<'a> Fields<'a> {
    /// Returns true when a field named `name` is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.entries.iter().any(|(key, _)| key == name)
    }

    /// Returns true when more than one field is named `name`.
    pub fn is_repeated(&self, name: &str) -> bool {
        self.entries
            .iter()
            .filter(|(key, _)| key == name)
            .nth(1)
            .is_some()
    }

    /// Returns the last field named `name`, as JSON itself keeps the last duplicate.
    pub fn get(&self, name: &str) -> Option<&RawField<'a>> {
        self.entries
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Removes every field named `name` and returns the last one.
    pub fn take(&mut self, name: &str) -> Option<RawField<'a>> {
        let mut taken = None;
        let mut index = 0;
        while index < self.entries.len() {
            if self.entries[index].0 == name {
                taken = Some(self.entries.remove(index).1);
            } else {
                index += 1;
            }
        }
        taken
    }

    /// Renames every field named `from` to `to`.
    pub fn rename(&mut self, from: &str, to: &str) {
        for (key, _) in &mut self.entries {
            if key == from {
                *key = Cow::Owned(to.to_string());
            }
        }
    }

    /// Appends a text field, encoded as a JSON string.
    pub fn push_text(&mut self, name: &'a str, text: &str) {
        let json = serde_json::to_string(text).unwrap_or_else(|_| "null".to_string());
        let raw = RawValue::from_string(json).unwrap_or_else(|_| null_raw());
        self.entries
            .push((Cow::Borrowed(name), RawField::Owned(raw)));
    }

    /// Appends a field whose key is owned, from CSV headers.
    pub fn push_owned_text(&mut self, name: String, text: &str) {
        let json = serde_json::to_string(text).unwrap_or_else(|_| "null".to_string());
        let raw = RawValue::from_string(json).unwrap_or_else(|_| null_raw());
        self.entries.push((Cow::Owned(name), RawField::Owned(raw)));
    }

    /// Returns the named fields as parsed values, skipping nulls and missing ones.
    pub fn values_of(&self, names: &[&str]) -> Map<String, Value> {
        let mut map = Map::new();
        for name in names {
            if let Some(value) = self.get(name).map(RawField::to_value)
                && !value.is_null()
            {
                map.insert((*name).to_string(), value);
            }
        }
        map
    }

    /// Writes the fields as one JSON object, followed by `extra`, which must be the comma-led
    /// JSON text of more members (or empty).
    pub fn write_object(&self, out: &mut Vec<u8>, extra: &[u8]) {
        out.push(b'{');
        for (index, (key, value)) in self.entries.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            // Keys are plain strings, so serialising one cannot fail.
            let _ = serde_json::to_writer(&mut *out, key.as_ref());
            out.push(b':');
            out.extend_from_slice(value.json().as_bytes());
        }
        let extra = if self.entries.is_empty() {
            extra.strip_prefix(b",").unwrap_or(extra)
        } else {
            extra
        };
        out.extend_from_slice(extra);
        out.push(b'}');
    }
}

fn null_raw() -> Box<RawValue> {
    RawValue::from_string("null".to_string()).unwrap_or_else(|_| unreachable!("null is JSON"))
}

/// Parses a JSON object into borrowed fields.
///
/// # Errors
///
/// Returns serde_json's error for invalid JSON or a value that is not an object.
pub fn parse_object(text: &str) -> Result<Fields<'_>, serde_json::Error> {
    // Reading from a `str` that was checked once skips serde_json's per-string UTF-8 checks.
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let fields = deserializer.deserialize_map(FieldsVisitor)?;
    deserializer.end()?;
    Ok(fields)
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value: &'de RawValue = map.next_value()?;
            entries.push((key, RawField::Borrowed(value)));
        }
        Ok(Fields { entries })
    }
}

/// Reads a key as a borrowed string when it has no escapes, else as an owned one.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_untouched_fields() {
        let text = br#"{"a": {"nested": [1, 2]}, "b\u0041": "x\"y", "c": null}"#;
        let fields = parse_object(std::str::from_utf8(text).expect("UTF-8")).expect("object");
        let mut out = Vec::new();
        fields.write_object(&mut out, br#","stored":"s""#);
        let value: Value = serde_json::from_slice(&out).expect("output is JSON");
        assert_eq!(value["a"]["nested"][1], 2);
        assert_eq!(value["bA"], "x\"y");
        assert!(value["c"].is_null());
        assert_eq!(value["stored"], "s");
    }

    #[test]
    fn text_reads_escapes() {
        let fields = parse_object(r#"{"k": "a\nb", "n": 5, "z": null}"#).expect("object");
        let text = fields.get("k").expect("k").as_text().expect("string");
        assert_eq!(text.as_deref(), Some("a\nb"));
        assert!(fields.get("n").expect("n").as_text().is_err());
        assert_eq!(fields.get("z").expect("z").as_text(), Ok(None));
    }

    #[test]
    fn take_removes_duplicates() {
        let mut fields = parse_object(r#"{"k": "1", "x": 0, "k": "2"}"#).expect("object");
        let taken = fields.take("k").expect("k");
        assert_eq!(taken.json(), "\"2\"");
        assert!(!fields.contains_key("k"));
    }

    #[test]
    fn non_object_is_error() {
        assert!(parse_object("[1, 2]").is_err());
        assert!(parse_object("{\"a\": 1} trailing").is_err());
    }
}
