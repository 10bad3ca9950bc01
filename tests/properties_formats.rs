//! Property tests for the legacy formats: a hash built with the RustCrypto crates verifies, and
//! changing one character of its digest field never does.
//!
//! Each case builds the stored string from the crates directly (pbkdf2, sha1, sha2, md-5, hmac,
//! scrypt), never from pwmigrate, then replaces one character of the digest field with another
//! character of the same alphabet that changes the value.

use std::sync::OnceLock;

use base64ct::{Base64, Base64Unpadded, Encoding};
use hmac::{KeyInit, Mac};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use pwmigrate::{Password, Policy, Verifier};
use sha2::Digest;

const HEX_LOWER: &str = "0123456789abcdef";
const BASE64_STANDARD: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        Verifier::new(Policy::default())
            .expect("default policy")
            .with_key("site", b"pepper-for-tests".to_vec())
            .expect("key id")
    })
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Replaces the character at `at` (counted from the start of the last `field_len` characters)
/// with the next character of `alphabet`, which always differs.
fn change_digest_char(stored: &str, field_len: usize, at: usize, alphabet: &str) -> String {
    let start = stored.len() - field_len;
    let index = start + at % field_len;
    let current = stored.as_bytes()[index] as char;
    let position = alphabet.find(current).expect("character in alphabet");
    let replacement = alphabet.as_bytes()[(position + 1) % alphabet.len()] as char;
    let mut changed = stored.to_string();
    changed.replace_range(index..=index, &replacement.to_string());
    changed
}

/// Checks that `stored` verifies with `password` and that the changed string does not.
fn check(password: &[u8], stored: &str, changed: &str) -> Result<(), TestCaseError> {
    let verifier = verifier();
    let verdict = verifier
        .verify(&Password::from(password), stored, None)
        .map_err(|err| TestCaseError::fail(format!("{stored}: {err}")))?;
    prop_assert!(verdict.is_valid(), "{} rejects its password", stored);
    prop_assert!(verdict.upgrade().is_some(), "{} needs an upgrade", stored);
    if let Ok(verdict) = verifier.verify(&Password::from(password), changed, None) {
        prop_assert!(!verdict.is_valid(), "{} still verifies", changed);
    }
    Ok(())
}

fn password() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..64)
}

fn salt_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{4,20}"
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn pbkdf2_phc_round_trip(password in password(), salt in proptest::collection::vec(any::<u8>(), 8..24), iterations in 1u32..40, at in 0usize..64) {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(&password, &salt, iterations, &mut key);
        let encoded = Base64Unpadded::encode_string(&key);
        let stored = format!(
            "$pbkdf2-sha256$i={iterations},l=32${}${encoded}",
            Base64Unpadded::encode_string(&salt)
        );
        // The last character of unpadded base64 carries spare bits, so change the others.
        let changed = change_digest_char(&stored, encoded.len(), at % (encoded.len() - 1), BASE64_STANDARD);
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn django_pbkdf2_round_trip(password in password(), salt in salt_text(), iterations in 1u32..40, at in 0usize..64) {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(&password, salt.as_bytes(), iterations, &mut key);
        let encoded = Base64::encode_string(&key);
        let stored = format!("pbkdf2_sha256${iterations}${salt}${encoded}");
        // Skip the '=' padding and the character before it, which carries spare bits.
        let changed = change_digest_char(&stored[..stored.len() - 2], encoded.len() - 2, at, BASE64_STANDARD)
            + &stored[stored.len() - 2..];
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn ldap_ssha_round_trip(password in password(), salt in proptest::collection::vec(any::<u8>(), 1..20), at in 0usize..20) {
        let mut payload = sha1::Sha1::new().chain_update(&password).chain_update(&salt).finalize().to_vec();
        payload.extend_from_slice(&salt);
        let stored = format!("{{SSHA}}{}", Base64::encode_string(&payload));
        // The first 24 base64 characters encode 18 digest bytes and nothing else.
        let body_start = "{SSHA}".len();
        let index = body_start + at % 24;
        let changed = change_digest_char(&stored[..=index], 1, 0, BASE64_STANDARD) + &stored[index + 1..];
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn django_md5_round_trip(password in password(), salt in salt_text(), at in 0usize..32) {
        let digest = md5::Md5::new().chain_update(salt.as_bytes()).chain_update(&password).finalize();
        let hex = base16ct::lower::encode_string(&digest);
        let stored = format!("md5${salt}${hex}");
        let changed = change_digest_char(&stored, hex.len(), at, HEX_LOWER);
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn mysql41_round_trip(password in password(), at in 0usize..40) {
        let first = sha1::Sha1::digest(&password);
        let hex = base16ct::lower::encode_string(&sha1::Sha1::digest(first));
        let stored = format!("*{hex}");
        let changed = change_digest_char(&stored, hex.len(), at, HEX_LOWER);
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn kratos_sha256_round_trip(password in password(), salt in proptest::collection::vec(any::<u8>(), 0..20), at in 0usize..42) {
        let digest = sha2::Sha256::new().chain_update(&salt).chain_update(&password).finalize();
        let encoded = Base64::encode_string(&digest);
        let stored = format!(
            "$sha256$pf={}${}${encoded}",
            Base64::encode_string(b"{SALT}{PASSWORD}"),
            Base64::encode_string(&salt)
        );
        // Skip the '=' padding and the character before it, which carries spare bits.
        let changed = change_digest_char(&stored[..stored.len() - 2], encoded.len() - 2, at, BASE64_STANDARD)
            + &stored[stored.len() - 2..];
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn membership_sha1_round_trip(password in "\\PC{0,24}", salt in proptest::collection::vec(any::<u8>(), 16..=16), at in 0usize..26) {
        let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let digest = sha1::Sha1::new().chain_update(&salt).chain_update(&utf16).finalize();
        let encoded = Base64::encode_string(&digest);
        let salt_field = format!("|1|{}", Base64::encode_string(&salt));
        let stored = format!("{encoded}{salt_field}");
        // The digest field ends with a character with spare bits and '=', so change one before them.
        let body = &encoded[..encoded.len() - 2];
        let changed = change_digest_char(body, body.len(), at, BASE64_STANDARD)
            + &encoded[encoded.len() - 2..]
            + &salt_field;
        check(password.as_bytes(), &stored, &changed)?;
    }

    #[test]
    fn defuse_v2_round_trip(password in password(), salt in proptest::collection::vec(any::<u8>(), 24..=24), iterations in 1u32..40, at in 0usize..24) {
        let mut key = [0u8; 18];
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(&password, &salt, iterations, &mut key);
        // 18 bytes are 24 base64 characters without padding, so every character is significant.
        let encoded = Base64::encode_string(&key);
        let stored = format!("sha1:{iterations}:18:{}:{encoded}", Base64::encode_string(&salt));
        let changed = change_digest_char(&stored, encoded.len(), at, BASE64_STANDARD);
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn hmac_keyed_round_trip(password in password(), at in 0usize..42) {
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"pepper-for-tests")
            .expect("any key length");
        mac.update(&password);
        let encoded = Base64Unpadded::encode_string(&mac.finalize().into_bytes());
        let stored = format!("$pwm-hmac$a=sha256,key=site,salt=none$${encoded}");
        let changed = change_digest_char(&stored, encoded.len(), at % (encoded.len() - 1), BASE64_STANDARD);
        check(&password, &stored, &changed)?;
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn vbulletin_composition_round_trip(password in password(), salt in proptest::collection::vec(any::<u8>(), 1..31), at in 0usize..21) {
        let inner = base16ct::lower::encode_string(&md5::Md5::digest(&password));
        let digest = md5::Md5::new().chain_update(inner.as_bytes()).chain_update(&salt).finalize();
        let encoded = Base64Unpadded::encode_string(&digest);
        let stored = format!(
            "$pwm-compose$md5(md5(p).salt)${}${encoded}",
            Base64Unpadded::encode_string(&salt)
        );
        let changed = change_digest_char(&stored, encoded.len(), at % (encoded.len() - 1), BASE64_STANDARD);
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn werkzeug_hmac_composition_round_trip(password in password(), salt in salt_text(), at in 0usize..26) {
        let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(salt.as_bytes())
            .expect("any key length");
        mac.update(&password);
        let encoded = Base64Unpadded::encode_string(&mac.finalize().into_bytes());
        let stored = format!(
            "$pwm-compose$hmac_sha1(salt,p)${}${encoded}",
            Base64Unpadded::encode_string(salt.as_bytes())
        );
        let changed = change_digest_char(&stored, encoded.len(), at % (encoded.len() - 1), BASE64_STANDARD);
        check(&password, &stored, &changed)?;
    }

    #[test]
    fn latin1_prefix_round_trip(text in "[a-z\u{a0}-\u{ff}]{1,24}", at in 0usize..32) {
        let latin1: Vec<u8> = text.chars().map(|ch| u8::try_from(u32::from(ch)).expect("latin-1")).collect();
        let hex = base16ct::lower::encode_string(&md5::Md5::digest(&latin1));
        let stored = format!("$pwm-latin1${hex}");
        let changed = change_digest_char(&stored, hex.len(), at, HEX_LOWER);
        check(text.as_bytes(), &stored, &changed)?;
    }
}

proptest! {
    #![proptest_config(config(8))]

    #[test]
    fn scrypt_round_trip(password in password(), salt in proptest::collection::vec(any::<u8>(), 8..24), at in 0usize..42) {
        let params = scrypt::Params::new(4, 8, 1).expect("small scrypt parameters");
        let mut key = [0u8; 32];
        scrypt::scrypt(&password, &salt, &params, &mut key).expect("scrypt");
        let encoded = Base64Unpadded::encode_string(&key);
        let stored = format!("$scrypt$ln=4,r=8,p=1${}${encoded}", Base64Unpadded::encode_string(&salt));
        let changed = change_digest_char(&stored, encoded.len(), at % (encoded.len() - 1), BASE64_STANDARD);
        check(&password, &stored, &changed)?;
    }
}
