//! `pwmigrate bench` and `pwmigrate calibrate` run as child processes: output shape, option
//! errors, and the bounds calibrate's result keeps. Every case uses tiny costs, so the file runs
//! in a few seconds.

use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_pwmigrate");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run pwmigrate")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

/// Cheap settings for every scheme that has a cost, so a full table takes well under a second.
const CHEAP: &[&str] = &[
    "--samples",
    "3",
    "--params",
    "m=64,t=1,p=1,cost=4,iterations=1000,rounds=1000,log2_rounds=7,ln=4,r=1",
];

#[test]
fn bench_table_columns() {
    let mut args = vec!["bench"];
    args.extend_from_slice(CHEAP);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["scheme", "params", "median", "spread", "hashes/s/core"]
    );

    let rows: Vec<&str> = lines[1..]
        .iter()
        .copied()
        .take_while(|line| !line.is_empty())
        .collect();
    let schemes: Vec<&str> = rows
        .iter()
        .map(|row| row.split_whitespace().next().expect("scheme column"))
        .collect();
    for expected in [
        "argon2id",
        "bcrypt",
        "django-pbkdf2-sha256",
        "sha512-crypt",
        "md5-crypt",
        "phpass",
        "ldap-ssha",
        "md5",
    ] {
        assert!(schemes.contains(&expected), "{expected} missing: {text}");
    }
    let bcrypt = rows
        .iter()
        .find(|row| row.starts_with("bcrypt "))
        .expect("bcrypt row");
    assert!(bcrypt.contains("cost=4"), "{bcrypt}");
    assert!(bcrypt.contains('±'), "{bcrypt}");
    assert!(text.contains("random salt and digest"), "{text}");
    assert!(text.contains("sign-ins per second"), "{text}");
}

#[test]
fn bench_json_fields() {
    let output = run(&[
        "bench",
        "--json",
        "--samples",
        "3",
        "--scheme",
        "argon2id",
        "--scheme",
        "sha512-crypt",
        "--params",
        "m=128,t=2,p=2",
        "--params",
        "rounds=2000",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let object = json(&output);
    let results = object["results"].as_array().expect("results array");
    assert_eq!(results.len(), 2);

    let argon2 = &results[0];
    assert_eq!(argon2["scheme"], "argon2id");
    assert_eq!(argon2["params"]["m"], 128);
    assert_eq!(argon2["params"]["t"], 2);
    assert_eq!(argon2["params"]["p"], 2);
    assert_eq!(argon2["samples"], 3);
    for field in [
        "median_ns",
        "q1_ns",
        "q3_ns",
        "min_ns",
        "max_ns",
        "spread_percent",
        "hashes_per_second_per_core",
        "verifies_per_sample",
    ] {
        assert!(argon2[field].is_number(), "{field}: {argon2}");
    }
    let median = argon2["median_ns"].as_f64().expect("median");
    assert!(median > 0.0);
    assert!(argon2["min_ns"].as_f64().expect("min") <= median);
    assert!(argon2["max_ns"].as_f64().expect("max") >= median);

    assert_eq!(results[1]["scheme"], "sha512-crypt");
    assert_eq!(results[1]["params"]["rounds"], 2000);
    assert!(
        object["notes"]
            .as_array()
            .is_some_and(|notes| !notes.is_empty())
    );
}

#[test]
fn bench_bad_options_exit_two() {
    let cases: &[(&[&str], &str)] = &[
        (&["bench", "--scheme", "rot13"], "unknown --scheme"),
        (
            &["bench", "--scheme", "md5", "--scheme", "md5"],
            "given twice",
        ),
        (
            &["bench", "--scheme", "bcrypt", "--params", "rounds=5000"],
            "none of the selected",
        ),
        (
            &["bench", "--scheme", "bcrypt", "--params", "cost"],
            "expected NAME=VALUE",
        ),
        (
            &["bench", "--scheme", "bcrypt", "--params", "cost=ten"],
            "whole number",
        ),
        (
            &["bench", "--scheme", "bcrypt", "--params", "cost=3"],
            "bcrypt cost must be 4 to 31",
        ),
        (
            &[
                "bench",
                "--scheme",
                "sha512-crypt",
                "--params",
                "rounds=999",
            ],
            "1000 to 999999999",
        ),
        (&["bench", "--samples", "1"], "--samples must be 3 to 1000"),
        (
            &["bench", "--scheme", "argon2id", "--params", "p=0"],
            "p must be at least 1",
        ),
    ];
    for (args, message) in cases {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn bench_limits_checked_before_work() {
    let cases: &[&[&str]] = &[
        &[
            "bench", "--json", "--scheme", "bcrypt", "--params", "cost=31",
        ],
        &[
            "bench",
            "--json",
            "--scheme",
            "argon2id",
            "--params",
            "m=4194304",
        ],
        &[
            "bench",
            "--json",
            "--scheme",
            "argon2id",
            "--params",
            "m=262144,t=5",
        ],
        &[
            "bench",
            "--json",
            "--scheme",
            "django-pbkdf2-sha256",
            "--params",
            "iterations=4000000000",
        ],
        &[
            "bench",
            "--json",
            "--scheme",
            "phpass",
            "--params",
            "log2_rounds=30",
        ],
    ];
    for args in cases {
        let started = std::time::Instant::now();
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(
            json(&output)["error"]["kind"],
            "parameters_exceed_limits",
            "{args:?}"
        );
        // bcrypt cost 31 alone would take days, so a prompt exit shows nothing was computed.
        assert!(started.elapsed().as_secs() < 10, "{args:?}");
    }
}

fn calibrate(args: &[&str]) -> Output {
    let mut full = vec!["calibrate"];
    full.extend_from_slice(args);
    run(&full)
}

#[test]
fn calibrate_json_respects_bounds() {
    let output = calibrate(&[
        "--json",
        "--target-ms",
        "2",
        "--max-memory",
        "1MiB",
        "--min-memory",
        "64KiB",
        "--parallelism",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let object = json(&output);
    let memory = object["memory_kib"].as_u64().expect("memory_kib");
    assert!((64..=1024).contains(&memory), "{object}");
    assert_eq!(object["parallelism"], 2);
    assert!(object["iterations"].as_u64().expect("iterations") >= 1);
    assert_eq!(object["target_ms"], 2);
    assert_eq!(object["salt_len"], 16);
    assert_eq!(object["output_len"], 32);
    for measurement in object["measurements"].as_array().expect("measurements") {
        let kib = measurement["memory_kib"].as_u64().expect("memory_kib");
        assert!((64..=1024).contains(&kib), "{measurement}");
    }

    let example = object["example"].as_str().expect("example");
    let prefix = format!("$argon2id$v=19$m={memory},t={},p=2$", object["iterations"]);
    assert!(example.starts_with(&prefix), "{example}");
    assert!(
        stderr(&output).contains("pwmigrate: calibrate: m="),
        "progress on stderr"
    );
}

#[test]
fn calibrate_text_prints_snippet() {
    let output = calibrate(&[
        "--target-ms",
        "1",
        "--max-memory",
        "256",
        "--min-memory",
        "8",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("target: Argon2Target {"), "{text}");
    assert!(text.contains("parallelism: 1,"), "{text}");
    assert!(text.contains("pwmigrate hash -m "), "{text}");
    assert!(text.contains("$argon2id$v=19$m="), "{text}");
    let memory_line = text
        .lines()
        .find(|line| line.trim_start().starts_with("memory_kib:"))
        .expect("memory_kib line");
    let memory: u32 = memory_line
        .trim()
        .trim_start_matches("memory_kib:")
        .trim_end_matches(',')
        .trim()
        .parse()
        .expect("memory_kib value");
    assert!(memory <= 256, "{text}");
    assert!(stderr(&output).contains("less work"), "weak result warns");
}

#[test]
fn calibrate_bad_options_exit_two() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--target-ms", "0", "--max-memory", "1MiB"],
            "0 is not in 1..=60000",
        ),
        (
            &["--target-ms", "5", "--max-memory", "12XB"],
            "invalid size \"12XB\"",
        ),
        (
            &["--target-ms", "5", "--max-memory", "1.5MiB"],
            "invalid size",
        ),
        (
            &["--target-ms", "5", "--max-memory", "1GiB"],
            "at most the policy limit of 262144 KiB",
        ),
        (
            &[
                "--target-ms",
                "5",
                "--max-memory",
                "16KiB",
                "--min-memory",
                "8KiB",
                "--parallelism",
                "4",
            ],
            "at least 8 KiB per lane (32 KiB for p=4)",
        ),
        (
            &["--target-ms", "5", "--max-memory", "1MiB"],
            "--min-memory (19456 KiB) is above --max-memory",
        ),
        (
            &[
                "--target-ms",
                "5",
                "--max-memory",
                "1MiB",
                "--parallelism",
                "17",
            ],
            "--parallelism must be 1 to 16",
        ),
        (&["--max-memory", "1MiB"], "--target-ms"),
    ];
    for (args, message) in cases {
        let output = calibrate(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn calibrate_unreachable_target() {
    let output = calibrate(&[
        "--json",
        "--target-ms",
        "1",
        "--max-memory",
        "64MiB",
        "--min-memory",
        "64MiB",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let object = json(&output);
    assert_eq!(object["error"]["kind"], "target_unreachable");
    let message = object["error"]["message"].as_str().expect("message");
    assert!(message.contains("target 1 ms is below"), "{message}");
    assert!(message.contains("65536 KiB"), "{message}");
}

#[test]
fn bench_params_errors_are_usage() {
    let cases = [
        (
            &[
                "bench", "--json", "--scheme", "bcrypt", "--params", "cost=3",
            ][..],
            "cost must be 4 to 31",
        ),
        (
            &["bench", "--json", "--scheme", "bcrypt", "--params", "M=3"][..],
            "unknown --params name",
        ),
        (
            &[
                "bench",
                "--json",
                "--scheme",
                "bcrypt",
                "--params",
                "cost=4, t=1",
            ][..],
            "--params t applies",
        ),
    ];
    for (args, text) in cases {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = &json(&output)["error"];
        assert_eq!(error["kind"], "usage", "{args:?}");
        let message = error["message"].as_str().expect("message");
        assert!(message.contains(text), "{args:?}: {message}");
    }
}
