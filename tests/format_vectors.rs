//! Known-answer vectors for the legacy formats, from `tests/vectors/formats.jsonl` (made by
//! `generate_formats.py` with passlib 1.7.4, Python hashlib and hmac, pyca bcrypt and
//! argon2-cffi; versions in `tests/vectors/FORMATS-VECTORS.md`), `tests/vectors/scrypt.jsonl`
//! (made by `generate_scrypt.py` with hashlib.scrypt and passlib) and
//! `tests/vectors/descriptors.jsonl` (iterated digests, made by `generate_descriptors.py` with
//! hashlib).

use pwmigrate::{Password, Policy, Verifier};
use serde_json::Value;

/// Returns the outcome pwmigrate gives on purpose where it differs from the generated vector,
/// with the reason, or `None` to keep the vector's own expectation.
fn decided_differently(id: &str, scheme: Option<&str>) -> Option<(&'static str, &'static str)> {
    let pbkdf2 = scheme.is_some_and(|name| name.contains("pbkdf2") && name != "atlassian-pbkdf2");
    if pbkdf2 && (id.ends_with("-truncated") || id.ends_with("-hash-longer-than-l")) {
        return Some((
            "malformed_hash",
            "a PBKDF2 key of the wrong length is read as decoding damage",
        ));
    }
    if pbkdf2 && id.ends_with("-plus-char") {
        return Some((
            "invalid",
            "standard base64 is accepted in passlib's fields, as exports contain it",
        ));
    }
    let outcome = match id {
        "werkzeug-pbkdf2-sha256-default-iterations" => (
            "unsupported_variant",
            "the default count changed between Werkzeug releases, so it is not guessed",
        ),
        "aspnet-identity-v2-truncated" => (
            "malformed_hash",
            "only a blob of exactly 49 bytes is ASP.NET v2, so it matches no known shape",
        ),
        "aspnet-identity-v3-subkey-16" | "aspnet-identity-v3-subkey-15" => (
            "malformed_hash",
            "a subkey shorter than the 32 bytes .NET writes is treated as damage, not verified",
        ),
        "aspnet-identity-v3-prf-3" => (
            "malformed_hash",
            "a header with an unknown PRF is not claimed as ASP.NET, so it matches no known shape",
        ),
        _ => return None,
    };
    Some(outcome)
}

#[test]
fn format_vectors_match() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/");
    let mut text = String::new();
    for file in ["formats.jsonl", "scrypt.jsonl", "descriptors.jsonl"] {
        text.push_str(&std::fs::read_to_string(format!("{dir}{file}")).expect("read vectors"));
    }
    let verifier = Verifier::new(Policy::default()).expect("default policy");
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in text.lines() {
        let vector: Value = serde_json::from_str(line).expect("vector line is JSON");
        let id = vector["id"].as_str().expect("id");
        let scheme = vector["scheme"].as_str();
        let password = base16ct::mixed::decode_vec(vector["password_hex"].as_str().expect("hex"))
            .expect("password_hex is hex");
        let stored = vector["stored"].as_str().expect("stored");
        let method = vector["method"]
            .as_str()
            .map(|name| name.parse().expect("method name"));
        let generated = vector["expect"].as_str().expect("expect");
        let expect = decided_differently(id, scheme).map_or(generated, |(outcome, _)| outcome);

        // PostgreSQL vectors carry the user name, which the canonical string takes as its salt.
        let rewritten = match vector["user"].as_str() {
            Some(user) => pwmigrate::postgres_md5(stored, user),
            None => Ok(stored.to_string()),
        };
        let result =
            rewritten.and_then(|stored| verifier.verify(&Password::new(password), &stored, method));
        let outcome = match &result {
            Ok(verdict) if verdict.is_valid() => "valid".to_string(),
            Ok(_) => "invalid".to_string(),
            Err(err) => err.kind().to_string(),
        };
        if outcome != expect {
            let detail = result.err().map(|err| err.to_string()).unwrap_or_default();
            failures.push(format!("{id}: expected {expect}, got {outcome} {detail}"));
            continue;
        }
        if let (Ok(verdict), Some(scheme)) = (&result, scheme)
            && verdict.is_valid()
        {
            let expected_scheme = if scheme == "postgres-md5" {
                "salted-digest"
            } else {
                scheme
            };
            if verdict.scheme().name() != expected_scheme {
                failures.push(format!(
                    "{id}: scheme {} instead of {scheme}",
                    verdict.scheme()
                ));
            }
            if verdict.upgrade().is_none() {
                failures.push(format!("{id}: no upgrade for a legacy format"));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 150, "only {checked} vectors checked");
}
