//! Known-answer vectors from `tests/vectors/core.jsonl`, made by `tests/vectors/generate_core.py`
//! with Python hashlib, pyca bcrypt and argon2-cffi (versions in `tests/vectors/README.md`).
//!
//! Each line gives a password, a stored hash, an optional declared method and the expected
//! outcome: `valid` (with whether an upgrade is due), `invalid`, or an error kind.

use pwmigrate::{Method, Password, Policy, Verifier};
use serde_json::Value;

struct Vector {
    id: String,
    scheme: Option<String>,
    method: Option<Method>,
    password: Vec<u8>,
    stored: String,
    expect: String,
    upgrade_due: Option<bool>,
}

fn load_vectors() -> Vec<Vector> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/core.jsonl");
    let text = std::fs::read_to_string(path).expect("read core vectors");
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("vector line is JSON");
            let text = |name: &str| value[name].as_str().map(str::to_string);
            let id = text("id").expect("id");
            let method = text("method").map(|name| {
                name.parse::<Method>()
                    .unwrap_or_else(|err| panic!("{id}: method {name}: {err}"))
            });
            Vector {
                scheme: text("scheme"),
                method,
                password: base16ct::mixed::decode_vec(text("password_hex").expect("password_hex"))
                    .expect("password_hex is hex"),
                stored: text("stored").expect("stored"),
                expect: text("expect").expect("expect"),
                upgrade_due: value["upgrade_due"].as_bool(),
                id,
            }
        })
        .collect()
}

#[test]
fn core_vectors_match() {
    let verifier = Verifier::new(Policy::default()).expect("default policy");
    let vectors = load_vectors();
    assert!(vectors.len() > 150, "only {} vectors", vectors.len());

    for vector in &vectors {
        let password = Password::new(vector.password.clone());
        let result = verifier.verify(&password, &vector.stored, vector.method);
        let id = &vector.id;
        match (vector.expect.as_str(), result) {
            ("valid", Ok(verdict)) => {
                assert!(verdict.is_valid(), "{id}: expected valid");
                let due = vector.upgrade_due.expect("valid vectors give upgrade_due");
                assert_eq!(verdict.upgrade().is_some(), due, "{id}: upgrade due");
                if let Some(scheme) = &vector.scheme {
                    assert_eq!(verdict.scheme().name(), scheme, "{id}: scheme");
                }
            }
            ("invalid", Ok(verdict)) => {
                assert!(!verdict.is_valid(), "{id}: expected invalid");
                assert!(
                    verdict.upgrade().is_none(),
                    "{id}: upgrade on an invalid verdict"
                );
            }
            (kind, Ok(verdict)) => panic!("{id}: expected error {kind}, got {verdict:?}"),
            (kind, Err(err)) => assert_eq!(err.kind(), kind, "{id}: {err}"),
        }
    }
}

#[test]
fn upgrades_verify_under_policy() {
    let verifier = Verifier::new(Policy::default()).expect("default policy");
    let mut upgraded = 0;
    for vector in load_vectors()
        .iter()
        .filter(|v| v.upgrade_due == Some(true))
        .step_by(5)
    {
        let password = Password::new(vector.password.clone());
        let verdict = verifier
            .verify(&password, &vector.stored, vector.method)
            .expect("valid vector");
        let upgrade = verdict.upgrade().expect("upgrade due");
        assert!(!upgrade.reasons().is_empty(), "{}", vector.id);

        let again = verifier
            .verify(&password, upgrade.new_hash(), None)
            .expect("new hash parses");
        assert!(
            again.is_valid(),
            "{}: new hash rejects the password",
            vector.id
        );
        assert!(
            again.upgrade().is_none(),
            "{}: new hash below policy",
            vector.id
        );
        upgraded += 1;
    }
    assert!(upgraded >= 10, "only {upgraded} upgrades checked");
}

#[test]
fn identify_names_every_scheme() {
    let policy = Policy::default();
    for vector in load_vectors().iter().filter(|v| v.expect == "valid") {
        let found = pwmigrate::identify(&vector.stored, vector.method, &policy)
            .unwrap_or_else(|err| panic!("{}: {err}", vector.id));
        if let Some(scheme) = &vector.scheme {
            assert_eq!(found.scheme.name(), scheme, "{}", vector.id);
        }
        assert!(found.limit_error.is_none(), "{}", vector.id);
        let due = vector.upgrade_due.expect("valid vectors give upgrade_due");
        assert_eq!(!found.upgrade_reasons.is_empty(), due, "{}", vector.id);
    }
}

#[test]
fn canonical_form_round_trips() {
    let policy = Policy::default();
    let verifier = Verifier::new(policy).expect("default policy");
    let mut checked = 0;
    for vector in load_vectors() {
        let Ok(found) = pwmigrate::identify(&vector.stored, vector.method, &policy) else {
            continue;
        };
        let again = pwmigrate::identify(&found.canonical, None, &policy)
            .unwrap_or_else(|err| panic!("{}: canonical form does not parse: {err}", vector.id));
        assert_eq!(again.scheme, found.scheme, "{}", vector.id);
        assert_eq!(again.params, found.params, "{}", vector.id);
        assert_eq!(again.canonical, found.canonical, "{}", vector.id);

        if vector.expect == "valid" {
            let password = Password::new(vector.password.clone());
            let verdict = verifier
                .verify(&password, &found.canonical, None)
                .unwrap_or_else(|err| panic!("{}: {err}", vector.id));
            assert!(
                verdict.is_valid(),
                "{}: canonical form rejects the password",
                vector.id
            );
        }
        checked += 1;
    }
    assert!(checked > 150, "only {checked} vectors parsed");
}
