//! Fuzz oracles, shared by the cargo-fuzz targets in `fuzz/` and the corpus replay test, so both
//! run exactly the same checks. Each function panics when a property fails.

use std::sync::OnceLock;

use crate::import::{self, Options};
use crate::{Argon2Target, Limits, Method, Password, Policy, Verifier, identify};

/// Returns a policy with tiny costs, so each fuzz input runs in microseconds to milliseconds.
fn fuzz_policy() -> Policy {
    Policy {
        target: Argon2Target {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
            salt_len: 8,
            output_len: 16,
        },
        limits: Limits {
            argon2_max_memory_kib: 64,
            argon2_max_iterations: 2,
            argon2_max_parallelism: 2,
            argon2_max_work: 128,
            bcrypt_max_cost: 5,
            pbkdf2_max_iterations: 1000,
            sha_crypt_max_rounds: 1000,
            phpass_max_log2_rounds: 8,
            max_password_bytes: 4096,
            max_stored_bytes: 4096,
        },
        wipe_argon2_memory: true,
    }
}

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new(fuzz_policy()).expect("fuzz policy is valid"))
}

/// Picks no method or one of the methods from a byte.
fn method_from(byte: u8) -> Option<Method> {
    let index = usize::from(byte) % (Method::ALL.len() + 1);
    Method::ALL.get(index).map(|(_, method)| *method)
}

/// Parse round trip: whatever parses has a canonical form that parses to the same value.
///
/// Input: one byte picking the method, then the stored hash.
pub fn parse_round_trip(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(stored) = std::str::from_utf8(rest) else {
        return;
    };
    let policy = fuzz_policy();
    let Ok(found) = identify(stored, method_from(selector), &policy) else {
        return;
    };
    let again = identify(&found.canonical, None, &policy)
        .unwrap_or_else(|err| panic!("canonical form does not parse: {err}"));
    assert_eq!(again.scheme, found.scheme, "scheme changed");
    assert_eq!(again.params, found.params, "parameters changed");
    assert_eq!(
        again.canonical, found.canonical,
        "canonical form is not stable"
    );
}

/// Verify: never panics, a password the input cannot know never verifies, and a fresh hash of
/// the input's password always verifies.
///
/// Input: one byte with the password length, the password, then the stored hash.
pub fn verify(data: &[u8]) {
    let Some((&len, rest)) = data.split_first() else {
        return;
    };
    let split = usize::from(len).min(rest.len());
    let (password, stored) = rest.split_at(split);
    let Ok(stored) = std::str::from_utf8(stored) else {
        return;
    };
    let verifier = verifier();
    let password = Password::from(password);

    let _ = verifier.verify(&password, stored, None);

    // 32 bytes that no corpus or mutation holds: the input cannot contain a hash of them.
    let unknowable = Password::from(&b"\x9d\x1e pwmigrate fuzz: unknowable \x00\xff\x7f\x80"[..]);
    if let Ok(verdict) = verifier.verify(&unknowable, stored, None) {
        assert!(!verdict.is_valid(), "a random stored hash verified");
    }

    let fresh = verifier
        .hash(&password)
        .expect("hash under the fuzz policy");
    let verdict = verifier
        .verify(&password, &fresh, None)
        .expect("fresh hash parses");
    assert!(verdict.is_valid(), "a fresh hash rejected its own password");
    assert!(
        verdict.upgrade().is_none(),
        "a fresh hash is below its own policy"
    );
}

/// Argon2 backends: this crate's fill and the `argon2` crate compute the same output, or both
/// reject the input.
///
/// Input: six bytes choosing the variant, the version, 1..=4 lanes, 1..=3 passes, 8 KiB per lane
/// plus 0..=63 KiB of memory and an output of 0..=99 bytes (so too short ones too), one byte
/// with the salt length, the salt, then the password.
pub fn argon2_backends(data: &[u8]) {
    let Some((header, rest)) = data.split_first_chunk::<7>() else {
        return;
    };
    let [
        variant,
        version,
        lanes,
        passes,
        memory,
        output_len,
        salt_len,
    ] = *header;
    let algorithm = match variant % 3 {
        0 => argon2::Algorithm::Argon2d,
        1 => argon2::Algorithm::Argon2i,
        _ => argon2::Algorithm::Argon2id,
    };
    let version = if version % 2 == 0 {
        argon2::Version::V0x10
    } else {
        argon2::Version::V0x13
    };
    let parallelism = 1 + u32::from(lanes % 4);
    let inputs = crate::scheme::argon2::Inputs {
        algorithm,
        version,
        memory_kib: 8 * parallelism + u32::from(memory % 64),
        iterations: 1 + u32::from(passes % 3),
        parallelism,
        wipe: true,
    };
    let (salt, password) = rest.split_at(usize::from(salt_len).min(rest.len()));

    let output_len = usize::from(output_len % 100);
    let [own, reference] =
        crate::scheme::argon2::compute_with_both(&inputs, password, salt, output_len);
    match (own, reference) {
        (Ok(own), Ok(reference)) => assert_eq!(*own, *reference, "outputs differ for {inputs:?}"),
        (Err(_), Err(_)) => {}
        (own, reference) => panic!(
            "only one backend accepted {inputs:?}, salt {} bytes, output {output_len} bytes: \
             own fill {}, argon2 crate {}",
            salt.len(),
            if own.is_ok() { "accepted" } else { "rejected" },
            if reference.is_ok() {
                "accepted"
            } else {
                "rejected"
            },
        ),
    }
}

/// Logto `Legacy` parser: never panics, and what parses round-trips.
pub fn legacy_json(data: &[u8]) {
    let Ok(stored) = std::str::from_utf8(data) else {
        return;
    };
    let policy = fuzz_policy();
    let Ok(found) = identify(stored, Some(Method::Legacy), &policy) else {
        return;
    };
    let again = identify(&found.canonical, None, &policy)
        .unwrap_or_else(|err| panic!("canonical recipe does not parse: {err}"));
    assert_eq!(again.params, found.params, "recipe changed");
}

/// Import reader: never panics, accounts for every record, and every accepted record's stored
/// hash parses without a method.
pub fn import_records(data: &[u8]) {
    let options = Options {
        policy: fuzz_policy(),
        max_record_bytes: 4096,
        ..Options::default()
    };
    let mut output = Vec::new();
    let mut rejects = Vec::new();
    let Ok(summary) = import::import(data, &mut output, &mut rejects, &options, &mut |_| {}) else {
        return;
    };
    assert_eq!(
        summary.accepted + summary.rejected,
        summary.read,
        "a record was lost"
    );

    let accepted = output
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty());
    let mut lines = 0u64;
    for line in accepted {
        let record: serde_json::Value = serde_json::from_slice(line).expect("output line is JSON");
        let stored = record["stored"].as_str().expect("output line has stored");
        identify(stored, None, &options.policy)
            .unwrap_or_else(|err| panic!("imported hash does not parse: {err}"));
        lines += 1;
    }
    assert_eq!(
        lines, summary.accepted,
        "output lines differ from the accepted count"
    );
}
