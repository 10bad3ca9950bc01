//! Real-world failure cases from `tests/vectors/real-world.jsonl`.
//!
//! The file records, per case, the password, the stored hash, the verdict the source platform
//! gives and, for a stored hash that must be rejected, the error kind. Its `generated_with` and
//! `cross_checked_with` fields name the independent tools behind each value (pyca bcrypt 5.0.0,
//! passlib 1.7.4, argon2-cffi, Python hashlib).
//!
//! Two checks run over it. Every case whose format the engine supports must give exactly the
//! recorded outcome. No case recorded as not valid may verify, whatever its format, unless it
//! declares fields (a salt, a key, an encoding) that change how the string must be read.

use std::collections::BTreeSet;

use pwmigrate::{Method, Password, Policy, Verifier};
use serde_json::Value;

/// Cases whose format and declared fields the engine supports today. The others need salts,
/// keys, normalisation or schemes that are not implemented yet.
const SUPPORTED: &[&str] = &[
    "C01-V1", "C01-V2", "C01-V3", "C01-V4", "C01-V5", "C02-V1", "C02-V2", "C02-V3", "C02-V4",
    "C04-V1", "C04-V2", "C04-V3", "C04-V4", "C04-V5", "C05-V1", "C07-V1", "C07-V2", "C10-V2",
    "C14-V3", "C26-V3", "C26-V4", "C28-V1", "C28-V2", "C28-V3", "C28-V4", "C29-V1", "C29-V2",
    "C29-V3", "C29-V4", "C29-V5", "C29-V6", "C31-V2", "C31-V4", "C35-V2", "C20-V1", "C20-V2",
    "C20-V3", "C20-V4", "C21-V1", "C21-V2", "C21-V3", "C23-V1", "C23-V2", "C23-V3", "C23-V7",
    "C24-V1", "C24-V2", "C24-V3", "C24-V4", "C24-V5", "C24-V6", "C24-V7", "C24-V8", "C26-V1",
    "C26-V2", "C26-V5", "C05-V2", "C05-V3", "C08-V1", "C08-V3", "C10-V1", "C10-V3", "C10-V4",
    "C11-V1", "C11-V2", "C11-V3", "C11-V4", "C11-V5", "C21-V4", "C21-V5", "C16-V1", "C16-V2",
    "C16-V3", "C32-V1", "C32-V2", "C32-V3", "C23-V5",
];

struct Case {
    id: String,
    password: Vec<u8>,
    stored: String,
    expected_valid: bool,
    expected_error: Option<String>,
    /// True when the case declares a salt, key, encoding, normalisation or scheme, which changes
    /// how the stored string must be read.
    declares_fields: bool,
}

/// Fields with which a case declares how to read its stored string.
const DECLARATION_FIELDS: &[&str] = &[
    "salt",
    "scheme",
    "normalization",
    "key",
    "key_encoding",
    "order",
    "salt_separator",
    "signer_key",
    "rounds",
    "mem_cost",
    "source_encoding",
    "digest_encoding",
];

fn load_cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/real-world.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("read real-world vectors");
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("vector line is JSON");
            let field = |name: &str| value[name].as_str().map(str::to_string);
            Case {
                id: field("id").expect("id"),
                password: base16ct::mixed::decode_vec(field("password_hex").expect("password_hex"))
                    .expect("password_hex is hex"),
                stored: field("stored").expect("stored"),
                expected_valid: value["expected_valid"].as_bool().expect("expected_valid"),
                expected_error: field("expected_error"),
                declares_fields: DECLARATION_FIELDS
                    .iter()
                    .any(|name| value.get(*name).is_some_and(|v| !v.is_null())),
            }
        })
        .collect()
}

fn verifier() -> Verifier {
    Verifier::new(Policy::default()).expect("default policy")
}

/// Returns the method a case declares through its `scheme` field, where the engine supports it.
fn declared_method(id: &str) -> Option<Method> {
    // C35-V2 declares plain bcrypt: the stored string is bcrypt over an MD5 hex digest.
    (id == "C35-V2").then_some(Method::Bcrypt)
}

#[test]
fn supported_cases_match() {
    let verifier = verifier();
    let cases = load_cases();
    let ids: BTreeSet<&str> = cases.iter().map(|case| case.id.as_str()).collect();
    for id in SUPPORTED {
        assert!(ids.contains(id), "{id} missing from the vector file");
    }

    for case in cases
        .iter()
        .filter(|case| SUPPORTED.contains(&case.id.as_str()))
    {
        let password = Password::new(case.password.clone());
        let result = verifier.verify(&password, &case.stored, declared_method(&case.id));
        match (&case.expected_error, result) {
            (Some(kind), Err(err)) => assert_eq!(err.kind(), kind, "{}: {err}", case.id),
            (Some(kind), Ok(verdict)) => {
                panic!("{}: expected error {kind}, got {verdict:?}", case.id)
            }
            (None, Ok(verdict)) => {
                assert_eq!(verdict.is_valid(), case.expected_valid, "{}", case.id);
            }
            (None, Err(err)) => panic!("{}: unexpected error {err}", case.id),
        }
    }
}

#[test]
fn rejected_cases_never_valid() {
    let verifier = verifier();
    let mut checked = 0;
    let undeclared = |case: &&Case| !case.declares_fields || SUPPORTED.contains(&case.id.as_str());
    for case in load_cases()
        .iter()
        .filter(|case| !case.expected_valid)
        .filter(undeclared)
    {
        let password = Password::new(case.password.clone());
        if let Ok(verdict) = verifier.verify(&password, &case.stored, None) {
            assert!(!verdict.is_valid(), "{} verified but must not", case.id);
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} rejected cases found");
}

#[test]
fn valid_cases_carry_upgrade() {
    let verifier = verifier();
    for case in load_cases()
        .iter()
        .filter(|case| SUPPORTED.contains(&case.id.as_str()) && case.expected_valid)
    {
        let password = Password::new(case.password.clone());
        let verdict = verifier
            .verify(&password, &case.stored, declared_method(&case.id))
            .expect("supported valid case");
        let Some(upgrade) = verdict.upgrade() else {
            // Only a hash already at the policy's Argon2id parameters may skip the upgrade.
            assert!(
                case.stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
                "{}",
                case.id
            );
            continue;
        };
        let again = verifier
            .verify(&password, upgrade.new_hash(), None)
            .expect("upgrade parses");
        assert!(again.is_valid(), "{}: upgrade does not verify", case.id);
        assert!(
            again.upgrade().is_none(),
            "{}: upgrade is itself below policy",
            case.id
        );
    }
}

/// Firebase scrypt cases carry their parameters as fields; written as the Logto `Legacy` recipe
/// `["firebase-scrypt", [salt, signer_key, salt_separator, rounds, mem_cost, "@"], hash]` they
/// must give the recorded verdict.
#[test]
fn firebase_cases_as_legacy_recipes() {
    let verifier = verifier();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/real-world.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("read real-world vectors");
    let mut checked = 0;
    for line in text.lines() {
        let value: Value = serde_json::from_str(line).expect("vector line is JSON");
        if value.get("signer_key").is_none() {
            continue;
        }
        let recipe = serde_json::json!([
            "firebase-scrypt",
            [
                value["salt"],
                value["signer_key"],
                value["salt_separator"],
                value["rounds"],
                value["mem_cost"],
                "@"
            ],
            value["stored"]
        ])
        .to_string();
        let password = base16ct::mixed::decode_vec(value["password_hex"].as_str().expect("hex"))
            .expect("password_hex is hex");
        let verdict = verifier
            .verify(&Password::new(password), &recipe, Some(Method::Legacy))
            .expect("recipe parses");
        let id = value["id"].as_str().expect("id");
        assert_eq!(verdict.is_valid(), value["expected_valid"] == true, "{id}");
        checked += 1;
    }
    assert_eq!(checked, 3, "Firebase cases in the file");
}

/// Cases that declare a Unicode normalisation, written with pwmigrate's `$pwm-nfc$` or
/// `$pwm-nfkc$` prefix, must give the recorded verdict, and so must their upgrades.
#[test]
fn normalisation_cases_with_prefix() {
    let verifier = verifier();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/real-world.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("read real-world vectors");
    let mut checked = 0;
    for line in text.lines() {
        let value: Value = serde_json::from_str(line).expect("vector line is JSON");
        let Some(form) = value["normalization"].as_str() else {
            continue;
        };
        let id = value["id"].as_str().expect("id");
        let stored = value["stored"].as_str().expect("stored");
        let stored = match form {
            "none" => stored.to_string(),
            form => format!("$pwm-{form}${stored}"),
        };
        let password = Password::new(
            base16ct::mixed::decode_vec(value["password_hex"].as_str().expect("hex"))
                .expect("password_hex is hex"),
        );
        let verdict = verifier.verify(&password, &stored, None).expect("parses");
        assert_eq!(verdict.is_valid(), value["expected_valid"] == true, "{id}");
        if let Some(upgrade) = verdict.upgrade() {
            assert!(
                upgrade
                    .new_hash()
                    .starts_with(&format!("$pwm-{form}$$argon2id$")),
                "{id}"
            );
            let again = verifier
                .verify(&password, upgrade.new_hash(), None)
                .expect("parses");
            assert!(again.is_valid(), "{id}: upgrade rejects the password");
            assert!(again.upgrade().is_none(), "{id}: upgrade below policy");
        }
        checked += 1;
    }
    assert_eq!(checked, 5, "normalisation cases in the file");
}
