//! Export-shaped vectors from `tests/vectors/compositions.jsonl`, made by
//! `generate_compositions.py` with hashlib, hmac, pyca bcrypt, argon2-cffi and passlib: each
//! row gives a stored value as an export contains it and the fields a descriptor declares. The
//! value is read through [`Descriptor::canonical`] and verified; the outcome must match.

use pwmigrate::{
    Chain, Descriptor, DigestEncoding, Normalization, Password, Policy, SaltPosition,
    SourceEncoding, Verifier,
};
use serde_json::Value;

const KEY_ID: &str = "vector-key";

fn rows() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/compositions.jsonl"
    );
    std::fs::read_to_string(path)
        .expect("read compositions.jsonl")
        .lines()
        .map(|line| serde_json::from_str(line).expect("vector line is JSON"))
        .collect()
}

fn hex(text: &str) -> Vec<u8> {
    base16ct::mixed::decode_vec(text).expect("hex field")
}

/// Reads a row's declared fields; a field this test does not know fails the test.
fn descriptor(fields: &Value, mut verifier: Verifier) -> (Descriptor, Verifier) {
    let mut descriptor = Descriptor::new();
    for (name, value) in fields.as_object().expect("descriptor object") {
        let text = value.as_str().expect("descriptor fields are strings");
        descriptor = match name.as_str() {
            "scheme" => descriptor.scheme(text),
            "salt" => descriptor.salt(text.as_bytes().to_vec()),
            "salt_hex" => descriptor.salt(hex(text)),
            "salt_position" => descriptor.salt_position(match text {
                "prefix" => SaltPosition::Prefix,
                "suffix" => SaltPosition::Suffix,
                other => panic!("unknown salt position {other}"),
            }),
            "salt_template" => descriptor.salt_template(text),
            "rounds" => descriptor.rounds(text.parse().expect("rounds"), Chain::Raw),
            "key_hex" => {
                verifier = verifier.with_key(KEY_ID, hex(text)).expect("key");
                descriptor.key_id(KEY_ID)
            }
            "digest_encoding" => {
                descriptor.digest_encoding(DigestEncoding::from_name(text).expect("encoding"))
            }
            "source_encoding" => {
                descriptor.source_encoding(SourceEncoding::from_name(text).expect("encoding"))
            }
            "normalization" => {
                descriptor.normalization(Normalization::from_name(text).expect("form"))
            }
            other => panic!("unknown descriptor field {other}"),
        };
    }
    (descriptor, verifier)
}

#[test]
fn composition_vectors_match() {
    let rows = rows();
    assert!(rows.len() >= 60, "only {} vectors", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let id = row["id"].as_str().expect("id");
        let expect = row["expect"].as_str().expect("expect");
        let verifier = Verifier::new(Policy::default()).expect("policy");
        let (descriptor, verifier) = descriptor(&row["descriptor"], verifier);
        let password = Password::new(hex(row["password_hex"].as_str().expect("password")));
        let stored = row["stored"].as_str().expect("stored");
        let outcome = descriptor
            .canonical(stored)
            .and_then(|canonical| verifier.verify(&password, &canonical, None));
        let got = match &outcome {
            Ok(verdict) if verdict.is_valid() => "valid".to_string(),
            Ok(_) => "invalid".to_string(),
            Err(err) => err.kind().to_string(),
        };
        if got != expect {
            failures.push(format!("{id}: expected {expect}, got {got} ({outcome:?})"));
            continue;
        }
        // A valid row's upgrade verifies the same password and is at policy.
        if let Ok(verdict) = outcome
            && let Some(upgrade) = verdict.upgrade()
        {
            let again = verifier
                .verify(&password, upgrade.new_hash(), None)
                .expect("upgrade parses");
            assert!(again.is_valid(), "{id}: the upgrade rejects the password");
            assert!(
                again.upgrade().is_none(),
                "{id}: the upgrade is below policy"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The canonical string of every row that parses is stable: reading it again through an empty
/// descriptor gives the same string.
#[test]
fn canonical_strings_are_fixed_points() {
    for row in rows() {
        let id = row["id"].as_str().expect("id");
        let verifier = Verifier::new(Policy::default()).expect("policy");
        let (descriptor, _) = descriptor(&row["descriptor"], verifier);
        let Ok(canonical) = descriptor.canonical(row["stored"].as_str().expect("stored")) else {
            continue;
        };
        let again = Descriptor::new()
            .canonical(&canonical)
            .unwrap_or_else(|err| panic!("{id}: {err}"));
        assert_eq!(again, canonical, "{id}");
    }
}
