//! Replays the committed fuzz corpus through the same oracles as the cargo-fuzz targets in
//! `fuzz/`, so the seeds run on stable Rust in every `cargo test`.
//!
//! `fuzz/make_corpus.py` writes the seeds. Each test also asserts a minimum file count, so a
//! missing or emptied corpus directory fails instead of passing with nothing replayed.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use pwmigrate::fuzzing;

/// Runs `oracle` on every file in `fuzz/<directory>`.
///
/// Returns how many files it read and the paths of those whose input made the oracle panic.
fn run_directory(directory: &str, oracle: fn(&[u8])) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(directory);
    let entries = fs::read_dir(&root)
        .unwrap_or_else(|err| panic!("failed to read corpus directory {}: {err}", root.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("corpus directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();

    let mut failures = Vec::new();
    for path in &paths {
        let input = fs::read(path)
            .unwrap_or_else(|err| panic!("failed to read corpus file {}: {err}", path.display()));
        if panic::catch_unwind(AssertUnwindSafe(|| oracle(&input))).is_err() {
            failures.push(path.display().to_string());
        }
    }
    (paths.len(), failures)
}

/// Runs `oracle` on every file in `fuzz/<directory>` and returns how many files it read.
///
/// Panics listing every file whose input made the oracle panic.
fn replay(directory: &str, oracle: fn(&[u8])) -> usize {
    let (files, failures) = run_directory(directory, oracle);
    assert!(
        failures.is_empty(),
        "{} of {files} inputs in fuzz/{directory} failed their oracle \
         (see the panic messages above): {failures:#?}",
        failures.len(),
    );
    files
}

#[test]
fn corpus_parse_round_trip() {
    let files = replay("corpus/parse_round_trip", fuzzing::parse_round_trip);
    assert!(files >= 400, "expected at least 400 inputs, found {files}");
}

#[test]
fn corpus_verify() {
    let files = replay("corpus/verify", fuzzing::verify);
    assert!(files >= 400, "expected at least 400 inputs, found {files}");
}

#[test]
fn corpus_legacy_json() {
    let files = replay("corpus/legacy_json", fuzzing::legacy_json);
    assert!(files >= 200, "expected at least 200 inputs, found {files}");
}

#[test]
fn corpus_import_records() {
    let files = replay("corpus/import_records", fuzzing::import_records);
    assert!(files >= 300, "expected at least 300 inputs, found {files}");
}

#[test]
fn corpus_argon2_backends() {
    let files = replay("corpus/argon2_backends", fuzzing::argon2_backends);
    assert!(files >= 8, "expected at least 8 inputs, found {files}");
}

/// Replays every input saved under `fuzz/regressions/<target>/`, each through its target's
/// oracle. Inputs that crashed a fuzz target are saved there, so a fixed crash cannot return
/// unnoticed.
#[test]
fn regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let entries = fs::read_dir(&root)
        .unwrap_or_else(|err| panic!("failed to read {}: {err}", root.display()));
    let mut targets: Vec<String> = entries
        .map(|entry| entry.expect("regressions directory entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    targets.sort();

    let mut files = 0;
    let mut failures = Vec::new();
    for target in &targets {
        let oracle: fn(&[u8]) = match target.as_str() {
            "parse_round_trip" => fuzzing::parse_round_trip,
            "verify" => fuzzing::verify,
            "legacy_json" => fuzzing::legacy_json,
            "import_records" => fuzzing::import_records,
            other => panic!("fuzz/regressions/{other} is not a fuzz target name"),
        };
        let (count, failed) = run_directory(&format!("regressions/{target}"), oracle);
        files += count;
        failures.extend(failed);
    }
    assert!(
        failures.is_empty(),
        "{} of {files} regression inputs failed their oracle \
         (see the panic messages above): {failures:#?}",
        failures.len(),
    );
    assert!(
        files >= 4,
        "expected at least 4 regression inputs, found {files}"
    );
}
