//! Property test over every valid known-answer vector: changing one character near the end of
//! the stored hash, where every format keeps its digest, never leaves it valid.
//!
//! The vectors come from independent tools (`tests/vectors/*.jsonl`, see their generators), so
//! this covers the formats that no Rust crate can hash for a generated round trip: md5-crypt,
//! phpass, Drupal, ASP.NET Identity and the rest. The last two characters are left alone,
//! because base64 and crypt encodings keep spare bits or padding there, and a replacement never
//! differs only in letter case, because hex digests read both cases alike.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use pwmigrate::{Method, Password, Policy, Verifier};
use serde_json::Value;

const REPLACEMENTS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

struct Vector {
    id: String,
    password: Vec<u8>,
    stored: String,
    method: Option<Method>,
}

/// Returns every valid vector with a stored hash long enough to change, skipping the slow ones.
fn valid_vectors() -> &'static [Vector] {
    static VECTORS: OnceLock<Vec<Vector>> = OnceLock::new();
    VECTORS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/");
        let mut vectors = Vec::new();
        for file in [
            "core.jsonl",
            "formats.jsonl",
            "scrypt.jsonl",
            "descriptors.jsonl",
        ] {
            let text = std::fs::read_to_string(format!("{dir}{file}")).expect("read vectors");
            for line in text.lines() {
                let value: Value = serde_json::from_str(line).expect("vector line is JSON");
                let stored = value["stored"].as_str().expect("stored").to_string();
                let slow = ["600000", "100000", "m=65536", "m=19456"]
                    .iter()
                    .any(|mark| stored.contains(mark));
                if value["expect"] != "valid"
                    || stored.len() < 16
                    || slow
                    || value["user"].is_string()
                {
                    continue;
                }
                vectors.push(Vector {
                    id: value["id"].as_str().expect("id").to_string(),
                    password: base16ct::mixed::decode_vec(
                        value["password_hex"].as_str().expect("hex"),
                    )
                    .expect("password_hex is hex"),
                    method: value["method"]
                        .as_str()
                        .map(|name| name.parse().expect("method")),
                    stored,
                });
            }
        }
        vectors
    })
}

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new(Policy::default()).expect("default policy"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn changed_digest_never_valid(pick in any::<prop::sample::Index>(), back in 3usize..12, with in any::<prop::sample::Index>()) {
        let vectors = valid_vectors();
        prop_assert!(vectors.len() > 150, "only {} vectors", vectors.len());
        let vector = &vectors[pick.index(vectors.len())];

        let bytes = vector.stored.as_bytes();
        let at = bytes.len() - back.min(bytes.len() - 1);
        let current = bytes[at] as char;
        let choices: Vec<char> = REPLACEMENTS
            .chars()
            .filter(|c| !c.eq_ignore_ascii_case(&current))
            .collect();
        let replacement = choices[with.index(choices.len())];
        if !vector.stored.is_char_boundary(at) || !vector.stored.is_char_boundary(at + 1) {
            return Ok(());
        }
        let mut changed = vector.stored.clone();
        changed.replace_range(at..=at, &replacement.to_string());

        let password = Password::new(vector.password.clone());
        if let Ok(verdict) = verifier().verify(&password, &changed, vector.method) {
            prop_assert!(!verdict.is_valid(), "{}: {} still verifies", vector.id, changed);
        }
    }
}
