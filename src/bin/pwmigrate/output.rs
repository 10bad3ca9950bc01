//! Plain and JSON output. Nothing here prints a password; errors print only the engine's message,
//! which never contains the whole stored hash.

use std::io::{self, Write};

use pwmigrate::{Identification, Verdict};
use serde_json::{Map, Value, json};

use crate::Failure;

/// Writes results to standard output and errors to standard error, or everything as JSON to
/// standard output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    json: bool,
}

impl Printer {
    pub(crate) fn new(json: bool) -> Self {
        Printer { json }
    }

    pub(crate) fn verdict(&self, verdict: &Verdict) -> io::Result<()> {
        let upgrade = verdict.upgrade();
        if self.json {
            let object = json!({
                "verdict": if verdict.is_valid() { "valid" } else { "invalid" },
                "scheme": verdict.scheme().name(),
                "upgrade": upgrade.map(|u| u.new_hash()),
                "reason": upgrade.map(|u| u.reason_text()),
                "reasons": upgrade.map(|u| u.reasons().iter().map(ToString::to_string).collect::<Vec<_>>()),
            });
            return print_json(&object);
        }
        let mut text = String::from(if verdict.is_valid() {
            "valid\n"
        } else {
            "invalid\n"
        });
        if let Some(upgrade) = upgrade {
            text.push_str(upgrade.new_hash());
            text.push('\n');
        }
        print_stdout(&text)
    }

    pub(crate) fn identification(&self, found: &Identification) -> io::Result<()> {
        let limit_error = found.limit_error.as_ref().map(ToString::to_string);
        let reasons: Vec<String> = found
            .upgrade_reasons
            .iter()
            .map(ToString::to_string)
            .collect();
        if self.json {
            let mut params = Map::new();
            for (name, value) in &found.params {
                let value = match value.parse::<u64>() {
                    Ok(number) => Value::from(number),
                    Err(_) => Value::from(value.as_str()),
                };
                params.insert((*name).to_string(), value);
            }
            let object = json!({
                "scheme": found.scheme.name(),
                "params": params,
                "within_limits": limit_error.is_none(),
                "limit_error": limit_error,
                "upgrade_due": !reasons.is_empty(),
                "reasons": reasons,
                "canonical": found.canonical,
            });
            return print_json(&object);
        }
        let mut text = format!("scheme: {}\n", found.scheme);
        for (name, value) in &found.params {
            text.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(limit_error) = limit_error {
            text.push_str(&format!("limits: exceeded, {limit_error}\n"));
        }
        if reasons.is_empty() {
            text.push_str("upgrade due: no\n");
        } else {
            text.push_str(&format!("upgrade due: yes, {}\n", reasons.join("; ")));
        }
        print_stdout(&text)
    }

    pub(crate) fn new_hash(&self, new_hash: &str) -> io::Result<()> {
        if self.json {
            print_json(&json!({ "hash": new_hash }))
        } else {
            print_stdout(&format!("{new_hash}\n"))
        }
    }

    /// Prints one JSON object on standard output: an import summary, a bench or calibrate
    /// report. Plain import summaries go to stderr.
    pub(crate) fn summary_json(&self, summary: &Value) -> io::Result<()> {
        print_json(summary)
    }

    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    pub(crate) fn error(&self, failure: &Failure) {
        let (kind, message) = match failure {
            Failure::Engine(err) => (err.kind(), err.to_string()),
            Failure::Input(message) => ("input", message.clone()),
            Failure::Usage(message) => ("usage", message.clone()),
            Failure::Kind(kind, message) => (*kind, message.clone()),
            Failure::Output(err) => ("output", format!("failed to write the output: {err}")),
        };
        if self.json {
            let _ = print_json(&json!({ "error": { "kind": kind, "message": message } }));
        } else {
            let _ = writeln!(io::stderr(), "pwmigrate: {message}");
        }
    }
}

/// Prints preformatted text, such as a table, on standard output.
pub(crate) fn print_text(text: &str) -> io::Result<()> {
    print_stdout(text)
}

fn print_json(value: &Value) -> io::Result<()> {
    print_stdout(&format!("{value}\n"))
}

/// Writes to standard output and flushes, so a full disk or a closed pipe surfaces as an error.
fn print_stdout(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}
