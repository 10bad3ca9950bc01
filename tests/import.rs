//! `pwmigrate import` end to end: the committed example exports, then hostile input.
//!
//! The examples under `examples/` were made by `examples/generate.py` with Python hashlib, pyca
//! bcrypt and argon2-cffi; `examples/passwords.jsonl` contains each user's password.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pwmigrate::{Password, Policy, Verifier};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_pwmigrate");

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn import(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("import")
        .args(args)
        .output()
        .expect("run pwmigrate import")
}

fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("read JSON Lines")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect()
}

/// Passwords of one example file, in record order, and the HMAC keys.
fn passwords(file: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut passwords = Vec::new();
    let mut keys = Vec::new();
    for line in read_lines(&example("passwords.jsonl")) {
        if let Some(map) = line["hmac_keys"].as_object() {
            for (id, key) in map {
                keys.push((id.clone(), key.as_str().expect("key text").to_string()));
            }
        } else if line["file"] == file {
            let index = line["index"].as_u64().expect("index") as usize;
            assert_eq!(index, passwords.len(), "passwords are in record order");
            passwords.push(line["password"].as_str().expect("password").to_string());
        }
    }
    (passwords, keys)
}

/// Verifies every `step`-th imported record with its password and with a wrong one.
fn verify_sample(records: &[Value], passwords: &[String], verifier: &Verifier, step: usize) {
    let mut checked = 0;
    for (index, record) in records.iter().enumerate().step_by(step) {
        let stored = record["stored"].as_str().expect("stored");
        let right = Password::from(passwords[index].as_str());
        let verdict = verifier
            .verify(&right, stored, None)
            .unwrap_or_else(|err| panic!("record {index}: {err}"));
        assert!(verdict.is_valid(), "record {index} rejects its password");
        assert_eq!(
            verdict.upgrade().is_some(),
            record["upgrade_due"] == true,
            "record {index}: upgrade_due"
        );

        // Prepending keeps bcrypt from truncating the difference away at 72 bytes.
        let wrong = Password::from(format!("x{}", passwords[index]));
        let verdict = verifier
            .verify(&wrong, stored, None)
            .expect("wrong password parses");
        assert!(
            !verdict.is_valid(),
            "record {index} accepts a wrong password"
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} records checked");
}

#[test]
fn logto_example_imports_and_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("users.jsonl");
    let run = import(&[
        example("logto-users.json").to_str().expect("path"),
        "--output",
        output.to_str().expect("path"),
        "--json",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let summary: Value = serde_json::from_slice(&run.stdout).expect("JSON summary");
    assert_eq!(summary["source"], "logto");
    assert_eq!(summary["read"], 1000);
    assert_eq!(summary["accepted"], 1000);
    assert_eq!(summary["rejected"], 0);
    for scheme in [
        "md5",
        "sha1",
        "sha256",
        "bcrypt",
        "argon2i",
        "argon2id",
        "argon2d",
        "logto-legacy",
    ] {
        assert!(
            summary["by_scheme"][scheme].as_u64().unwrap_or(0) > 0,
            "no {scheme} records"
        );
    }

    let records = read_lines(&output);
    assert_eq!(records.len(), 1000);
    for record in &records {
        assert!(
            record.get("passwordDigest").is_none(),
            "digest field copied"
        );
        assert!(
            record.get("passwordAlgorithm").is_none(),
            "method field copied"
        );
    }
    let (passwords, _) = passwords("logto-users.json");
    let sample: Vec<Value> = records.clone();
    let verifier = Verifier::new(Policy::default()).expect("policy");
    verify_sample(&sample, &passwords, &verifier, 23);
}

#[test]
fn logto_database_rows_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("users.jsonl");
    let run = import(&[
        example("logto-users-db.jsonl").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let records = read_lines(&output);
    assert_eq!(records.len(), 100);
    assert!(records[0].get("password_encrypted").is_none());
    assert!(records[0].get("primary_email").is_some() || records[0].get("username").is_some());

    let (passwords, _) = passwords("logto-users-db.jsonl");
    let verifier = Verifier::new(Policy::default()).expect("policy");
    verify_sample(&records, &passwords, &verifier, 7);
}

#[test]
fn auth0_example_needs_its_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = example("auth0-users.json");
    let (passwords, keys) = passwords("auth0-users.json");
    let (key_id, key) = keys.first().expect("one HMAC key");

    // Without the key the HMAC users are rejected, and every record is still accounted for.
    let output = dir.path().join("no-key.jsonl");
    let run = import(&[
        input.to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
        "--json",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let summary: Value = serde_json::from_slice(&run.stdout).expect("JSON summary");
    let rejected = summary["by_reason"]["hmac_key_not_supplied"]
        .as_u64()
        .expect("count");
    assert!(rejected > 0);
    assert_eq!(
        summary["accepted"].as_u64().expect("accepted") + rejected,
        300
    );
    let rejects = std::fs::read_to_string(dir.path().join("no-key.jsonl.rejects.jsonl"))
        .expect("rejects file");
    assert!(
        !rejects.contains(key.as_str()),
        "the key leaked into the rejects file"
    );
    assert!(
        !rejects.contains("\"value\""),
        "a hash leaked into the rejects file"
    );

    let key_file = dir.path().join("site.key");
    std::fs::write(&key_file, format!("{key}\n")).expect("write key");
    let output = dir.path().join("users.jsonl");
    let key_arg = format!("{key_id}={}", key_file.display());
    let run = import(&[
        input.to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
        "--hmac-key",
        &key_arg,
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&output).expect("output");
    assert!(
        !text.contains(key.as_str()),
        "the key leaked into the output"
    );
    let records = read_lines(&output);
    assert_eq!(records.len(), 300);
    assert!(records.iter().any(|r| r["scheme"] == "hmac"));
    assert!(records.iter().any(|r| r["scheme"] == "salted-digest"));

    let verifier = Verifier::new(Policy::default())
        .expect("policy")
        .with_key(key_id, key.as_bytes().to_vec())
        .expect("key id");
    verify_sample(&records, &passwords, &verifier, 5);
}

#[test]
fn readme_commands_match_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("users.jsonl");
    let run = import(&[
        example("logto-users.json").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let first = &read_lines(&output)[0];
    let (passwords, _) = passwords("logto-users.json");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let stored = first["stored"].as_str().expect("stored");
    let command = format!(
        "printf '{}' | cargo run --release -q -- verify '{stored}'",
        passwords[0]
    );
    assert!(
        readme.contains(&command),
        "README's verify command is stale; expected: {command}"
    );
    let username = first["username"].as_str().expect("username");
    assert!(
        readme.contains(&format!("`{username}`")),
        "README names another first user"
    );
}

#[test]
fn imported_user_verifies_through_cli() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("users.jsonl");
    let run = import(&[
        example("logto-users.json").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let records = read_lines(&output);
    let (passwords, _) = passwords("logto-users.json");

    let stored = records[0]["stored"].as_str().expect("stored");
    let mut child = Command::new(BIN)
        .args(["verify", "--", stored])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn verify");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(passwords[0].as_bytes())
        .expect("write password");
    let verdict = child.wait_with_output().expect("verify");
    assert_eq!(verdict.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&verdict.stdout).starts_with("valid\n"));
}

/// Runs the importer on `input` given as text, returning the exit code, summary and both outputs.
fn import_text(input: &[u8], extra: &[&str]) -> (Option<i32>, Value, Vec<Value>, Vec<Value>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input_path = dir.path().join("input");
    std::fs::write(&input_path, input).expect("write input");
    let output = dir.path().join("out.jsonl");
    let rejects = dir.path().join("rejects.jsonl");
    let mut args = vec![
        input_path.to_str().expect("path").to_string(),
        "-o".to_string(),
        output.to_str().expect("path").to_string(),
        "--rejects".to_string(),
        rejects.to_str().expect("path").to_string(),
        "--json".to_string(),
    ];
    args.extend(extra.iter().map(|arg| arg.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = import(&args);
    assert_eq!(
        std::fs::read(&input_path).expect("input"),
        input,
        "input modified"
    );
    if run.status.code() == Some(2) {
        assert!(!output.exists(), "output written after a fatal error");
        // With --json the error is one JSON object on standard output.
        let error: Value = serde_json::from_slice(&run.stdout).expect("JSON error object");
        let message = error["error"]["message"].clone();
        assert!(message.is_string(), "{error}");
        return (run.status.code(), message, Vec::new(), Vec::new());
    }
    let summary = serde_json::from_slice(&run.stdout).expect("JSON summary");
    (
        run.status.code(),
        summary,
        read_lines(&output),
        read_lines(&rejects),
    )
}

#[test]
fn bad_records_rejected_one_by_one() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"username\":\"ok\",\"passwordDigest\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"passwordAlgorithm\":\"MD5\"}\n");
    input.extend_from_slice(b"[\"not\", \"an object\"]\n");
    input.extend_from_slice(
        b"{\"username\":\"nulls\",\"passwordDigest\":null,\"passwordAlgorithm\":\"MD5\"}\n",
    );
    input.extend_from_slice(b"{\"username\":\"missing\"}\n");
    input.extend_from_slice(
        b"{\"username\":\"utf8\",\"passwordDigest\":\"\xff\xfe\",\"passwordAlgorithm\":\"MD5\"}\n",
    );
    input.extend_from_slice(
        b"{\"username\":\"algo\",\"passwordDigest\":\"abc\",\"passwordAlgorithm\":\"Whirlpool\"}\n",
    );
    input.extend_from_slice(
        b"{\"username\":\"num\",\"passwordDigest\":12,\"passwordAlgorithm\":\"MD5\"}\n",
    );
    input.extend_from_slice(b"{\"username\":\"ok\",\"passwordDigest\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"passwordAlgorithm\":\"MD5\"}\n");
    input.extend_from_slice(b"{\"username\":\"cost\",\"passwordDigest\":\"$2b$31$RBdWkXeWaTJAK2lMmXVZ3uJuaR/Cf/MCd77ePhjH7FZORS4JvN8TO\",\"passwordAlgorithm\":\"Bcrypt\"}\n");
    input.extend_from_slice(b"{\"username\":\"nl\",\"passwordDigest\":\"5f4dcc3b5aa765d61d8327deb882cf99\\n\",\"passwordAlgorithm\":\"MD5\"}\n");
    input.extend_from_slice(b"{\"username\":\"trunc");

    let (code, summary, accepted, rejected) = import_text(&input, &["--from", "logto"]);
    assert_eq!(code, Some(1));
    assert_eq!(summary["read"], 11);
    assert_eq!(accepted.len(), 2);
    assert_eq!(rejected.len(), 9);
    let reasons: Vec<&str> = rejected
        .iter()
        .map(|r| r["reason"].as_str().expect("reason"))
        .collect();
    assert_eq!(
        reasons,
        [
            "not_an_object",
            "missing_hash",
            "missing_hash",
            "invalid_utf8",
            "unknown_algorithm",
            "invalid_field",
            "duplicate_user",
            "parameters_exceed_limits",
            "invalid_json",
        ]
    );
    assert_eq!(rejected[1]["record"], 3);
    assert_eq!(rejected[1]["username"], "nulls");
    assert_eq!(summary["repairs"]["trailing_newline"], 1);
    for line in &rejected {
        let text = line.to_string();
        assert!(
            !text.contains("RBdWkXeWaTJAK2"),
            "hash leaked into rejects: {text}"
        );
    }
}

#[test]
fn truncated_array_is_fatal() {
    let input = br#"[{"username":"a","passwordDigest":"5f4dcc3b5aa765d61d8327deb882cf99","passwordAlgorithm":"MD5"}, {"username":"b","passw"#;
    let (code, message, _, _) = import_text(input, &[]);
    assert_eq!(code, Some(2));
    assert!(
        message.as_str().expect("stderr").contains("record 2"),
        "{message}"
    );
}

#[test]
fn huge_line_rejected_without_buffering() {
    let mut input = Vec::with_capacity(101 << 20);
    input.extend_from_slice(b"{\"username\":\"big\",\"passwordDigest\":\"");
    input.resize(100 << 20, b'a');
    input.extend_from_slice(b"\",\"passwordAlgorithm\":\"MD5\"}\n");
    input.extend_from_slice(b"{\"username\":\"after\",\"passwordDigest\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"passwordAlgorithm\":\"MD5\"}\n");
    let (code, summary, accepted, rejected) = import_text(&input, &["--from", "logto"]);
    assert_eq!(code, Some(1));
    assert_eq!(summary["read"], 2);
    assert_eq!(accepted.len(), 1);
    assert_eq!(rejected[0]["reason"], "record_too_long");
}

#[test]
fn csv_with_column_map() {
    // Digests from Python's hashlib: sha1(b"P@ssw0rd") and sha1(b"5WuZLJLG7ztuCSbe" +
    // b"logto-migrated-user").
    let input = "email,pw_hash,pw_salt,algo,where,enc\n\
                 ada@example.com,21bd12dc183f740ee76f27b78eb39c8ad972a757,,SHA1,,\n\
                 bob@example.com,9e914b70ad71cfcaafa158c2538b1348d5b33724,5WuZLJLG7ztuCSbe,sha1,prefix,utf8\n\
                 eve@example.com,9e914b70ad71cfcaafa158c2538b1348d5b33724,!!notbase64!!,sha1,prefix,base64\n\
                 kim@example.com,9e914b70ad71cfcaafa158c2538b1348d5b33724,5WuZLJLG7ztuCSbe,sha1,middle,utf8\n";
    let columns = "hash=pw_hash,salt=pw_salt,algorithm=algo,salt_position=where,salt_encoding=enc";
    let (code, summary, accepted, rejected) =
        import_text(input.as_bytes(), &["--columns", columns]);
    assert_eq!(code, Some(1), "{summary}");
    assert_eq!(summary["source"], "csv");
    assert_eq!(accepted.len(), 2);
    assert_eq!(accepted[0]["scheme"], "sha1");
    assert_eq!(accepted[1]["scheme"], "salted-digest");
    assert_eq!(accepted[1]["email"], "bob@example.com");
    let reasons: Vec<&str> = rejected
        .iter()
        .map(|r| r["reason"].as_str().expect("reason"))
        .collect();
    assert_eq!(reasons, ["invalid_salt_encoding", "invalid_field"]);
    assert_eq!(rejected[0]["email"], "eve@example.com");

    let verifier = Verifier::new(Policy::default()).expect("policy");
    let plain = accepted[0]["stored"].as_str().expect("stored");
    assert!(
        verifier
            .verify(&Password::from("P@ssw0rd"), plain, None)
            .expect("parses")
            .is_valid()
    );
    let salted = accepted[1]["stored"].as_str().expect("stored");
    let right = Password::from("logto-migrated-user");
    assert!(
        verifier
            .verify(&right, salted, None)
            .expect("parses")
            .is_valid()
    );
    let wrong = Password::from("logto-migrated-user2");
    assert!(
        !verifier
            .verify(&wrong, salted, None)
            .expect("parses")
            .is_valid()
    );
}

#[test]
fn existing_output_kept_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("users.jsonl");
    std::fs::write(&output, b"keep me").expect("write");
    let run = import(&[
        example("logto-users-db.jsonl").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(&output).expect("read"), b"keep me");
    let run = import(&[
        example("logto-users-db.jsonl").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
        "--force",
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(read_lines(&output).len(), 100);
}

#[test]
fn rejects_equal_to_output_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("x.jsonl");
    let same = dir.path().join(".").join("x.jsonl");
    let run = import(&[
        example("auth0-users.json").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
        "--rejects",
        same.to_str().expect("path"),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        !output.exists(),
        "output written although the command was refused"
    );
}

#[test]
fn empty_and_headerless_inputs_fatal() {
    for (input, extra) in [
        (&b""[..], &[][..]),
        (&b"  \n"[..], &[][..]),
        (&b"email,hash\n"[..], &["--from", "csv"][..]),
    ] {
        let (code, message, _, _) = import_text(input, extra);
        assert_eq!(code, Some(2), "{input:?}");
        assert!(
            message.as_str().expect("stderr").contains("no records"),
            "{message}"
        );
    }
}

#[test]
fn csv_without_hash_column_fatal() {
    let (code, message, _, _) = import_text(b"email,secret\na@example.com,x\n", &["--from", "csv"]);
    assert_eq!(code, Some(2));
    assert!(
        message
            .as_str()
            .expect("stderr")
            .contains("no column \"hash\""),
        "{message}"
    );
}

#[test]
fn json_errors_are_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("users.jsonl");
    std::fs::write(&output, b"keep").expect("write");
    let run = import(&[
        example("logto-users-db.jsonl").to_str().expect("path"),
        "-o",
        output.to_str().expect("path"),
        "--json",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let object: Value = serde_json::from_slice(&run.stdout).expect("JSON error");
    assert!(
        object["error"]["message"]
            .as_str()
            .expect("message")
            .contains("--force")
    );
}

#[test]
fn duplicate_check_capacity_reported() {
    let line = |name: &str| {
        format!(
            "{{\"username\":\"{name}\",\"passwordDigest\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"passwordAlgorithm\":\"MD5\"}}\n"
        )
    };
    let input = [line("a"), line("a"), line("b"), line("c"), line("a")].concat();
    let options = pwmigrate::import::Options {
        duplicate_capacity: 2,
        ..Default::default()
    };
    let (mut output, mut rejects) = (Vec::new(), Vec::new());
    let summary = pwmigrate::import::import(
        input.as_bytes(),
        &mut output,
        &mut rejects,
        &options,
        &mut |_| {},
    )
    .expect("import");
    // Record 2 repeats record 1 and is caught; record 4 finds the set full, so record 5 is not.
    assert_eq!(summary.by_reason.get("duplicate_user"), Some(&1));
    assert_eq!(summary.accepted, 4);
    assert_eq!(summary.duplicate_check_stopped_at, Some(4));
}

#[test]
fn auth0_pbkdf2_and_ldap_pass_through() {
    let input = r#"[
      {"email": "p@example.com", "custom_password_hash": {"algorithm": "pbkdf2",
        "hash": {"value": "PBKDF2_VALUE"}}},
      {"email": "l@example.com", "custom_password_hash": {"algorithm": "ldap",
        "hash": {"value": "LDAP_VALUE"}}}
    ]"#;
    let input = input
        .replace("PBKDF2_VALUE", PBKDF2_SHA256)
        .replace("LDAP_VALUE", SSHA);
    let (code, _, accepted, rejected) = import_text(input.as_bytes(), &["--from", "auth0"]);
    assert_eq!(code, Some(0), "{rejected:?}");
    assert_eq!(accepted[0]["scheme"], "pbkdf2-sha256");
    assert_eq!(accepted[1]["scheme"], "ldap-ssha");
    let verifier = Verifier::new(Policy::default()).expect("policy");
    for record in &accepted {
        let stored = record["stored"].as_str().expect("stored");
        let verdict = verifier
            .verify(&Password::from("P@ssw0rd"), stored, None)
            .expect("parses");
        assert!(verdict.is_valid(), "{stored}");
    }
}
/// PBKDF2-HMAC-SHA256 of "P@ssw0rd", salt b"saltsaltsaltsalt", 1000 iterations (Python hashlib).
const PBKDF2_SHA256: &str =
    "$pbkdf2-sha256$i=1000,l=32$c2FsdHNhbHRzYWx0c2FsdA$DOqafOR7M43eVFQDNxuySyr1EDyRqMpREAsHp8kPLgs";
/// `{SSHA}` of "P@ssw0rd" with salt b"salt" (Python hashlib).
const SSHA: &str = "{SSHA}nAh56QDYQUU1qnO+WwWTppF8FkpzYWx0";

#[test]
fn iterated_digest_from_columns() {
    let input =
        "email,h,s,n\nada@example.com,ITERATED,s4lt,3\n".replace("ITERATED", ITERATED_SHA256);
    // A column named with --columns must be in the header.
    let (code, message, _, _) = import_text(
        input.as_bytes(),
        &["--columns", "hash=h,salt=s,iterations=n,algorithm=alg"],
    );
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message
            .as_str()
            .is_some_and(|text| text.contains("\"alg\"")),
        "{message}"
    );
    let (code, summary, accepted, _) = import_text(
        input.as_bytes(),
        &["--columns", "hash=h,salt=s,iterations=n"],
    );
    // Without an algorithm column the digest's length names SHA-256.
    assert_eq!(code, Some(0), "{summary}");
    let by_length = accepted[0]["stored"].as_str().expect("stored").to_string();

    let input = "email,h,s,n,alg\nada@example.com,ITERATED,s4lt,3,sha256\n"
        .replace("ITERATED", ITERATED_SHA256);
    let (code, summary, accepted, _) = import_text(
        input.as_bytes(),
        &["--columns", "hash=h,salt=s,iterations=n,algorithm=alg"],
    );
    assert_eq!(code, Some(0), "{summary}");
    let stored = accepted[0]["stored"].as_str().expect("stored");
    assert!(stored.contains("rounds=3,chain=raw"), "{stored}");
    assert_eq!(stored, by_length);
    let verifier = Verifier::new(Policy::default()).expect("policy");
    assert!(
        verifier
            .verify(&Password::from("P@ssw0rd"), stored, None)
            .expect("parses")
            .is_valid()
    );
    assert!(
        !verifier
            .verify(&Password::from("P@ssw0rd!"), stored, None)
            .expect("parses")
            .is_valid()
    );
}
/// sha256 three times, raw chaining, over b"s4lt" + b"P@ssw0rd" (Python hashlib).
const ITERATED_SHA256: &str = "422c4453b90b7a15b12a80a8fac91073e39361e3d4d29a79b5b6aa07be5f04b1";

#[test]
fn normalize_option_wraps_hashes() {
    let input = format!(
        "{{\"username\":\"n\",\"passwordDigest\":\"{NFC_CAFE_MD5}\",\"passwordAlgorithm\":\"MD5\"}}\n"
    );
    let (code, _, accepted, _) =
        import_text(input.as_bytes(), &["--from", "logto", "--normalize", "nfc"]);
    assert_eq!(code, Some(0));
    let stored = accepted[0]["stored"].as_str().expect("stored");
    assert_eq!(stored, format!("$pwm-nfc${NFC_CAFE_MD5}"));
    let verifier = Verifier::new(Policy::default()).expect("policy");
    // Typed in NFD, as macOS keyboards produce it.
    let verdict = verifier
        .verify(&Password::from("cafe\u{301}"), stored, None)
        .expect("parses");
    assert!(verdict.is_valid());
}
/// md5 of "caf\u{e9}" (NFC), from Python hashlib.
const NFC_CAFE_MD5: &str = "07117fe4a1ebd544965dc19573183da2";

#[test]
fn postgres_md5_with_user_column() {
    // md5(b"correct horse battery staple" + b"alice"), as PostgreSQL stores it, from passlib.
    let input = "usename,passwd,alg\nalice,md5687f3363b311a9a9913eb588a2ed1308,postgres-md5\nbob,md5687f3363b311a9a9913eb588a2ed1308,postgres-md5\n";
    let (code, _, accepted, _) = import_text(
        input.as_bytes(),
        &[
            "--columns",
            "hash=passwd,salt=usename,algorithm=alg",
            "--allow-duplicates",
        ],
    );
    assert_eq!(code, Some(0));
    let verifier = Verifier::new(Policy::default()).expect("policy");
    let right = Password::from("correct horse battery staple");
    let alice = accepted[0]["stored"].as_str().expect("stored");
    assert!(
        verifier
            .verify(&right, alice, None)
            .expect("parses")
            .is_valid()
    );
    // The same digest under another user name is another password.
    let bob = accepted[1]["stored"].as_str().expect("stored");
    assert!(
        !verifier
            .verify(&right, bob, None)
            .expect("parses")
            .is_valid()
    );
    let bare = verifier
        .verify(&right, "md5687f3363b311a9a9913eb588a2ed1308", None)
        .expect_err("no user name");
    assert_eq!(bare.kind(), "unsupported_scheme");
}

/// Imports every export-shaped vector of `compositions.jsonl` without an HMAC key or a
/// normalisation as a JSON Lines record, with its declared fields as columns. Each must import
/// to a stored hash with the vector's outcome, or be rejected with the vector's error kind.
#[test]
fn composition_vectors_import_as_columns() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/compositions.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("read compositions.jsonl");
    let mut rows = Vec::new();
    let mut input = String::new();
    for line in text.lines() {
        let row: Value = serde_json::from_str(line).expect("JSON");
        let descriptor = row["descriptor"].as_object().expect("object");
        if descriptor.contains_key("key_hex") || descriptor.contains_key("normalization") {
            continue;
        }
        let mut record = serde_json::Map::new();
        record.insert("user_id".into(), row["id"].clone());
        record.insert("hash".into(), row["stored"].clone());
        for (name, value) in descriptor {
            let (column, value) = match name.as_str() {
                "scheme" => ("algorithm", value.clone()),
                "salt_hex" => {
                    record.insert("salt_encoding".into(), "hex".into());
                    ("salt", value.clone())
                }
                "salt_template" => ("salt_position", value.clone()),
                "rounds" => ("iterations", value.clone()),
                other => (other, value.clone()),
            };
            record.insert(column.into(), value);
        }
        input.push_str(&Value::Object(record).to_string());
        input.push('\n');
        rows.push(row);
    }
    assert!(rows.len() >= 50, "only {} rows", rows.len());
    let (_, summary, accepted, rejected) =
        import_text(input.as_bytes(), &["--from", "jsonl", "--allow-duplicates"]);
    assert_eq!(accepted.len() + rejected.len(), rows.len(), "{summary}");
    let verifier = Verifier::new(Policy::default()).expect("policy");
    for row in &rows {
        let id = row["id"].as_str().expect("id");
        let expect = row["expect"].as_str().expect("expect");
        let password = Password::new(
            base16ct::mixed::decode_vec(row["password_hex"].as_str().expect("hex")).expect("hex"),
        );
        let got = match accepted.iter().find(|record| record["user_id"] == id) {
            Some(record) => {
                let stored = record["stored"].as_str().expect("stored");
                match verifier.verify(&password, stored, None) {
                    Ok(verdict) if verdict.is_valid() => "valid".to_string(),
                    Ok(_) => "invalid".to_string(),
                    Err(err) => err.kind().to_string(),
                }
            }
            None => {
                let reject = rejected
                    .iter()
                    .find(|record| record["user_id"] == id)
                    .unwrap_or_else(|| panic!("{id} neither accepted nor rejected"));
                reject["reason"].as_str().expect("reason").to_string()
            }
        };
        assert_eq!(got, expect, "{id}");
    }
}

#[test]
fn source_encodings_from_auth0_and_the_option() {
    let input = r#"[
      {"email": "l@example.com", "custom_password_hash": {"algorithm": "md5",
        "hash": {"value": "LATIN1_MD5"}, "password": {"encoding": "latin1"}}},
      {"email": "u@example.com", "custom_password_hash": {"algorithm": "sha1",
        "hash": {"value": "UTF16_SHA1"}, "password": {"encoding": "ucs2"}}},
      {"email": "x@example.com", "custom_password_hash": {"algorithm": "md5",
        "hash": {"value": "LATIN1_MD5"}, "password": {"encoding": "base64"}}}
    ]"#;
    let input = input
        .replace("LATIN1_MD5", LATIN1_MD5)
        .replace("UTF16_SHA1", UTF16_SHA1);
    let (code, _, accepted, rejected) = import_text(input.as_bytes(), &["--from", "auth0"]);
    assert_eq!(code, Some(1));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["reason"], "unsupported_password_encoding");
    let verifier = Verifier::new(Policy::default()).expect("policy");
    let right = Password::from("pässwörd");
    let wrong = Password::from("passwörd");
    for (record, prefix) in accepted.iter().zip(["$pwm-latin1$", "$pwm-utf16le$"]) {
        let stored = record["stored"].as_str().expect("stored");
        assert!(stored.starts_with(prefix), "{stored}");
        assert!(
            verifier
                .verify(&right, stored, None)
                .expect("parses")
                .is_valid()
        );
        assert!(
            !verifier
                .verify(&wrong, stored, None)
                .expect("parses")
                .is_valid()
        );
    }

    // The import-wide option wraps every record, inside a normalisation prefix.
    let input = format!(
        "{{\"username\":\"n\",\"passwordDigest\":\"{LATIN1_MD5}\",\"passwordAlgorithm\":\"MD5\"}}\n"
    );
    let (code, _, accepted, _) = import_text(
        input.as_bytes(),
        &[
            "--from",
            "logto",
            "--source-encoding",
            "latin1",
            "--normalize",
            "nfc",
        ],
    );
    assert_eq!(code, Some(0));
    let stored = accepted[0]["stored"].as_str().expect("stored");
    assert_eq!(stored, format!("$pwm-nfc$$pwm-latin1${LATIN1_MD5}"));
    // Typed in NFD, normalised to NFC, then encoded as ISO-8859-1.
    let nfd = Password::from("pa\u{308}sswo\u{308}rd");
    assert!(
        verifier
            .verify(&nfd, stored, None)
            .expect("parses")
            .is_valid()
    );

    let (code, message, _, _) = import_text(
        input.as_bytes(),
        &["--from", "logto", "--source-encoding", "ebcdic"],
    );
    assert_eq!(code, Some(2), "{message}");
}
/// md5 of the ISO-8859-1 bytes of "pässwörd" (Python hashlib).
const LATIN1_MD5: &str = "2ca67a2dbf3a2f52ef5126a2ae8f8a2f";
/// sha1 of the UTF-16LE bytes of "pässwörd" (Python hashlib).
const UTF16_SHA1: &str = "024f3320464bdcdb095a476d9a07734602ef06cb";

#[test]
fn column_map_mistakes_are_usage_errors() {
    let input = b"email,hash,salt\nada@example.com,38680271bc53bcacdb0286e640d0abca,DDB\n";
    for columns in [
        "hash=hash,hash=salt",
        "hash=hash,salt=hash",
        "bogus=hash",
        "hash",
        "salt=",
    ] {
        let (code, message, _, _) = import_text(input, &["--columns", columns]);
        assert_eq!(code, Some(2), "{columns}: {message}");
    }
    // JSON records have no header: a named column that no record has is fatal at the end,
    // and no output is kept.
    let jsonl =
        b"{\"email\":\"a@x.io\",\"h\":\"38680271bc53bcacdb0286e640d0abca\",\"pwsalt\":\"DDB\"}\n";
    let (code, message, _, _) = import_text(jsonl, &["--columns", "hash=h,salt=pw_salt"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.to_string().contains("pw_salt"), "{message}");
    let (code, summary, accepted, _) = import_text(jsonl, &["--columns", "hash=h,salt=pwsalt"]);
    assert_eq!(code, Some(0), "{summary}");
    assert_eq!(accepted[0]["scheme"], "salted-digest");
    // A duplicate header name would lose one of its values.
    let duplicate = b"email,hash,hash\nada@example.com,a,b\n";
    let (code, message, _, _) = import_text(duplicate, &[]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.to_string().contains("twice"), "{message}");
}

#[test]
fn conflicting_source_encodings_rejected() {
    let input = format!(
        "email,hash,algorithm,source_encoding\na@x.io,{LATIN1_MD5},md5,latin1\nb@x.io,{LATIN1_MD5},md5,utf8\nc@x.io,{LATIN1_MD5},md5,\n"
    );
    let (code, _, accepted, rejected) =
        import_text(input.as_bytes(), &["--source-encoding", "latin1"]);
    assert_eq!(code, Some(1));
    // The row that agrees and the row that names nothing are accepted, once wrapped.
    assert_eq!(accepted.len(), 2);
    for record in &accepted {
        assert_eq!(
            record["stored"],
            format!("$pwm-latin1${LATIN1_MD5}"),
            "{record}"
        );
    }
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["email"], "b@x.io");
    assert_eq!(rejected[0]["reason"], "conflicting_source_encoding");
}

#[test]
fn generic_fields_checked_not_ignored() {
    let input = concat!(
        r#"{"email":"n@x.io","hash":"422c4453b90b7a15b12a80a8fac91073e39361e3d4d29a79b5b6aa07be5f04b1","salt":"s4lt","algorithm":"sha256","iterations":3}"#,
        "\n",
        r#"{"email":"c@x.io","hash":"5f4dcc3b5aa765d61d8327deb882cf99","chain":"hex"}"#,
        "\n",
        r#"{"email":"k@x.io","hash":"5f4dcc3b5aa765d61d8327deb882cf99","key_id":"nope"}"#,
        "\n",
        r#"{"email":"i@x.io","hash":"5f4dcc3b5aa765d61d8327deb882cf99","salt":"x","iterations":"99999999999"}"#,
        "\n",
    );
    let (code, _, accepted, rejected) = import_text(input.as_bytes(), &["--from", "jsonl"]);
    assert_eq!(code, Some(1));
    // A JSON integer is read like its digits.
    assert_eq!(accepted.len(), 1, "{rejected:?}");
    assert!(
        accepted[0]["stored"]
            .as_str()
            .is_some_and(|stored| stored.contains("rounds=3")),
        "{}",
        accepted[0]
    );
    let reason = |email: &str| {
        rejected
            .iter()
            .find(|record| record["email"] == email)
            .map(|record| record["reason"].clone())
    };
    assert_eq!(reason("c@x.io"), Some("invalid_field".into()));
    assert_eq!(reason("k@x.io"), Some("hmac_key_not_supplied".into()));
    assert_eq!(reason("i@x.io"), Some("invalid_field".into()));
}

#[test]
fn repeated_and_fractional_fields_rejected() {
    let input = concat!(
        r#"{"email":"d@x.io","hash":"5f4dcc3b5aa765d61d8327deb882cf99","hash":"5f4dcc3b5aa765d61d8327deb882cf98"}"#,
        "\n",
        r#"{"email":"f@x.io","hash":"5f4dcc3b5aa765d61d8327deb882cf99","salt":"x","algorithm":"md5","iterations":3.0}"#,
        "\n",
        r#"{"email":"ok@x.io","hash":"5f4dcc3b5aa765d61d8327deb882cf99"}"#,
        "\n",
    );
    let (code, _, accepted, rejected) = import_text(input.as_bytes(), &["--from", "jsonl"]);
    assert_eq!(code, Some(1));
    assert_eq!(accepted.len(), 1);
    assert_eq!(rejected.len(), 2);
    for record in &rejected {
        assert_eq!(record["reason"], "invalid_field", "{record}");
    }
    assert!(
        rejected[0]["message"]
            .as_str()
            .is_some_and(|text| text.contains("more than once")),
        "{}",
        rejected[0]
    );
    assert!(
        rejected[1]["message"]
            .as_str()
            .is_some_and(|text| text.contains("not a whole")),
        "{}",
        rejected[1]
    );
}
