//! Real-world failure cases from `tests/vectors/real-world.jsonl`.
//!
//! The file records, per case, the password, the stored hash, the verdict the source platform
//! gives and, for a stored hash that must be rejected, the error kind. Its `generated_with` and
//! `cross_checked_with` fields name the independent tools behind each value (pyca bcrypt 5.0.0,
//! passlib 1.7.4, argon2-cffi, Python hashlib).
//!
//! Two checks run over it. Every case must give exactly the recorded outcome when its stored
//! string is read through the fields it declares (a scheme, a salt and its order, an HMAC key, a
//! digest encoding, a normalisation). No case recorded as not valid may verify when read
//! without its declarations.

use std::collections::BTreeSet;

use pwmigrate::{
    Descriptor, DigestEncoding, Method, Normalization, Password, Policy, SaltPosition,
    SourceEncoding, Verifier,
};
use serde_json::Value;

/// Key id under which a case's HMAC key is given to the verifier.
const CASE_KEY_ID: &str = "case-key";

struct Case {
    id: String,
    password: Vec<u8>,
    stored: String,
    expected_valid: bool,
    expected_error: Option<String>,
    /// The whole vector line, for the declared fields.
    fields: Value,
}

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
                fields: value,
            }
        })
        .collect()
}

fn verifier() -> Verifier {
    Verifier::new(Policy::default()).expect("default policy")
}

/// Reads a case's declared fields into a descriptor, and its HMAC key, if any, into a verifier.
///
/// `source_encoding` is left out: it records how the stored hash was made, and the recorded
/// verdict is that of a verifier not given it (see `latin1_case_needs_its_declaration`).
fn declared(case: &Case) -> (Descriptor, Verifier) {
    let text = |name: &str| case.fields[name].as_str();
    let mut descriptor = Descriptor::new();
    let mut verifier = verifier();
    if let Some(scheme) = text("scheme") {
        descriptor = descriptor.scheme(scheme);
    }
    if let Some(salt) = text("salt") {
        descriptor = descriptor.salt(salt.as_bytes().to_vec());
    }
    match text("order") {
        Some("salt_password") => descriptor = descriptor.salt_position(SaltPosition::Prefix),
        Some("password_salt") => descriptor = descriptor.salt_position(SaltPosition::Suffix),
        Some(other) => panic!("{}: unknown order {other}", case.id),
        None => {}
    }
    if let Some(key) = text("key") {
        let bytes = match text("key_encoding") {
            Some("utf8") | None => key.as_bytes().to_vec(),
            Some("hex") => base16ct::mixed::decode_vec(key).expect("hex key"),
            Some(other) => panic!("{}: unknown key encoding {other}", case.id),
        };
        verifier = verifier.with_key(CASE_KEY_ID, bytes).expect("valid key");
        descriptor = descriptor.key_id(CASE_KEY_ID);
    }
    if let Some(encoding) = text("digest_encoding") {
        descriptor =
            descriptor.digest_encoding(DigestEncoding::from_name(encoding).expect("encoding"));
    }
    match text("normalization") {
        Some("none") | None => {}
        Some(form) => {
            descriptor = descriptor.normalization(Normalization::from_name(form).expect("form"));
        }
    }
    (descriptor, verifier)
}

/// Returns the string to verify for a case: its stored string read through its declared
/// fields, or the Logto `Legacy` recipe for a Firebase scrypt case.
fn case_stored(case: &Case, descriptor: &Descriptor) -> Result<String, pwmigrate::Error> {
    let value = &case.fields;
    if value.get("signer_key").is_some() {
        return Ok(firebase_recipe(value));
    }
    descriptor.canonical(&case.stored)
}

fn firebase_recipe(value: &Value) -> String {
    serde_json::json!([
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
    .to_string()
}

#[test]
fn every_case_gives_its_recorded_outcome() {
    let cases = load_cases();
    let ids: BTreeSet<&str> = cases.iter().map(|case| case.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "duplicate case ids");
    assert!(cases.len() >= 101, "only {} cases", cases.len());
    for case in &cases {
        let (descriptor, verifier) = declared(case);
        let password = Password::new(case.password.clone());
        let result = case_stored(case, &descriptor)
            .and_then(|stored| verifier.verify(&password, &stored, None));
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

/// A phpass hash made from the ISO-8859-1 bytes of a password fails when read as UTF-8, as the
/// case records, and matches once the import declares the source's encoding.
#[test]
fn latin1_case_needs_its_declaration() {
    let cases = load_cases();
    let case = cases
        .iter()
        .find(|case| case.id == "C08-V2")
        .expect("C08-V2");
    assert_eq!(case.fields["source_encoding"], "latin-1");
    let verifier = verifier();
    let password = Password::new(case.password.clone());
    let plain = verifier
        .verify(&password, &case.stored, None)
        .expect("parses");
    assert!(!plain.is_valid());
    let declared = Descriptor::new()
        .source_encoding(SourceEncoding::from_name("latin-1").expect("latin-1"))
        .canonical(&case.stored)
        .expect("canonical");
    assert!(declared.starts_with("$pwm-latin1$$P$"), "{declared}");
    let verdict = verifier.verify(&password, &declared, None).expect("parses");
    assert!(verdict.is_valid());
    // The upgrade is of the password as typed, without the encoding prefix.
    let upgrade = verdict.upgrade().expect("upgrade due");
    assert!(upgrade.new_hash().starts_with("$argon2id$"));
    let again = verifier
        .verify(&password, upgrade.new_hash(), None)
        .expect("parses");
    assert!(again.is_valid());
    // The same password's UTF-8 hash does not verify under the latin-1 declaration.
    let utf8 = cases
        .iter()
        .find(|case| case.id == "C08-V1")
        .expect("C08-V1");
    let wrapped = format!("$pwm-latin1${}", utf8.stored);
    let verdict = verifier
        .verify(&Password::new(utf8.password.clone()), &wrapped, None)
        .expect("parses");
    assert!(!verdict.is_valid());
}

#[test]
fn rejected_cases_never_valid() {
    let verifier = verifier();
    let mut checked = 0;
    for case in load_cases()
        .iter()
        .filter(|case| !case.expected_valid && !declares_fields(case))
    {
        let password = Password::new(case.password.clone());
        if let Ok(verdict) = verifier.verify(&password, &case.stored, None) {
            assert!(!verdict.is_valid(), "{} verified but must not", case.id);
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} rejected cases found");
}

/// True when a case declares fields that change how its stored string is read, so that read
/// without them it may rightly verify (C16-V4's hex digest declared as base64, for one).
fn declares_fields(case: &Case) -> bool {
    [
        "salt",
        "scheme",
        "normalization",
        "key",
        "order",
        "signer_key",
        "source_encoding",
        "digest_encoding",
    ]
    .iter()
    .any(|name| !case.fields[*name].is_null())
}

#[test]
fn valid_cases_carry_upgrade() {
    for case in load_cases().iter().filter(|case| case.expected_valid) {
        let (descriptor, verifier) = declared(case);
        let password = Password::new(case.password.clone());
        let stored = case_stored(case, &descriptor).expect("canonical");
        let verdict = verifier
            .verify(&password, &stored, None)
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
    let mut checked = 0;
    for case in load_cases() {
        if case.fields.get("signer_key").is_none() {
            continue;
        }
        let recipe = firebase_recipe(&case.fields);
        let verdict = verifier
            .verify(&Password::new(case.password), &recipe, Some(Method::Legacy))
            .expect("recipe parses");
        assert_eq!(verdict.is_valid(), case.expected_valid, "{}", case.id);
        checked += 1;
    }
    assert_eq!(checked, 3, "Firebase cases in the file");
}

/// Cases that declare a Unicode normalisation, written with pwmigrate's `$pwm-nfc$` or
/// `$pwm-nfkc$` prefix, must give the recorded verdict, and so must their upgrades.
#[test]
fn normalisation_cases_with_prefix() {
    let verifier = verifier();
    let mut checked = 0;
    for case in load_cases() {
        let Some(form) = case.fields["normalization"].as_str() else {
            continue;
        };
        let id = &case.id;
        let stored = match form {
            "none" => case.stored.clone(),
            form => format!("$pwm-{form}${}", case.stored),
        };
        let password = Password::new(case.password.clone());
        let verdict = verifier.verify(&password, &stored, None).expect("parses");
        assert_eq!(verdict.is_valid(), case.expected_valid, "{id}");
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
