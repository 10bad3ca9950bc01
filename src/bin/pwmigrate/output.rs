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

    pub(crate) fn verdict(&self, verdict: &Verdict) {
        let upgrade = verdict.upgrade();
        if self.json {
            let object = json!({
                "verdict": if verdict.is_valid() { "valid" } else { "invalid" },
                "scheme": verdict.scheme().name(),
                "upgrade": upgrade.map(|u| u.new_hash()),
                "reason": upgrade.map(|u| u.reason_text()),
                "reasons": upgrade.map(|u| u.reasons().iter().map(ToString::to_string).collect::<Vec<_>>()),
            });
            print_json(&object);
            return;
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
        print_stdout(&text);
    }

    pub(crate) fn identification(&self, found: &Identification) {
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
            });
            print_json(&object);
            return;
        }
        let mut text = format!("scheme: {}\n", found.scheme);
        for (name, value) in &found.params {
            text.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(limit_error) = limit_error {
            text.push_str(&format!("limits: exceeded: {limit_error}\n"));
        }
        if reasons.is_empty() {
            text.push_str("upgrade: not due\n");
        } else {
            text.push_str(&format!("upgrade: due: {}\n", reasons.join("; ")));
        }
        print_stdout(&text);
    }

    pub(crate) fn new_hash(&self, new_hash: &str) {
        if self.json {
            print_json(&json!({ "hash": new_hash }));
        } else {
            print_stdout(&format!("{new_hash}\n"));
        }
    }

    pub(crate) fn error(&self, failure: &Failure) {
        let (kind, message) = match failure {
            Failure::Engine(err) => (err.kind(), err.to_string()),
            Failure::Input(message) => ("input", message.clone()),
        };
        if self.json {
            print_json(&json!({ "error": { "kind": kind, "message": message } }));
        } else {
            let _ = writeln!(io::stderr(), "pwmigrate: {message}");
        }
    }
}

fn print_json(value: &Value) {
    print_stdout(&format!("{value}\n"));
}

/// Writes to standard output; a closed pipe is not an error worth reporting.
fn print_stdout(text: &str) {
    let mut stdout = io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
