//! The pwmigrate side of `benches/references.sh`: times one operation through the public API
//! and prints one JSON line, which `benches/references/run.py` pairs with the reference's.
//!
//! ```text
//! reference_timing verify SAMPLES PASSWORD STORED         Verifier::verify at the default policy
//! reference_timing hash-argon2id SAMPLES M T P PASSWORD   pwmigrate::hash, fresh memory per call
//! reference_timing digest ALGORITHM BYTES SAMPLES         md-5, sha1 or sha2 over a BYTES buffer
//! ```
//!
//! Every command runs one untimed warm-up, then SAMPLES samples. A sample times a batch of
//! operations sized so that it lasts at least 2 ms, and the output gives the median and the
//! minimum time per operation in nanoseconds. `benches/references/compare.c` times the
//! references the same way. Run with no command, as `cargo bench` does, it verifies a few
//! pwmigrate-made hashes and exits.
//!
//! The bulk digests call the digest crates that pwmigrate's digest schemes use, because the
//! library exposes digests only through a verify.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use pwmigrate::bench::Sample;
use pwmigrate::{Argon2Target, Password, Policy, Verifier};
use serde_json::json;
use sha1::Sha1;
use sha2::Sha256;

const MIN_SAMPLE: Duration = Duration::from_millis(2);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        [] => self_check(),
        ["verify", samples, password, stored] => verify(samples, password, stored),
        ["hash-argon2id", samples, m, t, p, password] => hash_argon2id(samples, m, t, p, password),
        ["digest", algorithm, bytes, samples] => digest(algorithm, bytes, samples),
        _ => Err(
            "usage: reference_timing verify SAMPLES PASSWORD STORED | hash-argon2id \
                  SAMPLES M T P PASSWORD | digest md5|sha1|sha256 BYTES SAMPLES"
                .to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("reference_timing: {message}");
            ExitCode::from(2)
        }
    }
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name} must be a whole number, got {text:?}"))
}

/// Times `operation` as described in the module documentation and returns the median and the
/// minimum nanoseconds per operation.
fn time(samples: usize, mut operation: impl FnMut()) -> (f64, f64) {
    let started = Instant::now();
    operation();
    let single = started.elapsed().as_nanos().max(1);
    let batch = MIN_SAMPLE.as_nanos().div_ceil(single).max(1);
    let mut times: Vec<f64> = (0..samples.max(1))
        .map(|_| {
            let started = Instant::now();
            for _ in 0..batch {
                operation();
            }
            started.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

fn verify(samples: &str, password: &str, stored: &str) -> Result<(), String> {
    let samples = number(samples, "SAMPLES")?;
    let verifier = Verifier::new(Policy::default()).map_err(|err| err.to_string())?;
    let password = Password::from(password);
    let verdict = verifier
        .verify(&password, stored, None)
        .map_err(|err| err.to_string())?;
    let (median, min) = time(samples, || {
        let _ = black_box(verifier.verify(black_box(&password), black_box(stored), None));
    });
    let verdict = if verdict.is_valid() {
        "valid"
    } else {
        "invalid"
    };
    println!(
        "{}",
        json!({ "verdict": verdict, "median_ns": median, "min_ns": min })
    );
    Ok(())
}

fn hash_argon2id(samples: &str, m: &str, t: &str, p: &str, password: &str) -> Result<(), String> {
    let samples = number(samples, "SAMPLES")?;
    let policy = Policy {
        target: Argon2Target {
            memory_kib: number(m, "M")?,
            iterations: number(t, "T")?,
            parallelism: number(p, "P")?,
            ..Argon2Target::OWASP_MINIMUM
        },
        ..Policy::default()
    };
    let password = Password::from(password);
    let stored = pwmigrate::hash(&password, &policy).map_err(|err| err.to_string())?;
    let (median, min) = time(samples, || {
        let _ = black_box(pwmigrate::hash(black_box(&password), &policy));
    });
    println!(
        "{}",
        json!({ "stored": stored, "median_ns": median, "min_ns": min })
    );
    Ok(())
}

/// Returns the buffer both sides digest: byte i is (i × 131 + 7) mod 256.
fn bulk_input(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(131) + 7) as u8).collect()
}

fn digest(algorithm: &str, bytes: &str, samples: &str) -> Result<(), String> {
    let input = bulk_input(number(bytes, "BYTES")?);
    let samples = number(samples, "SAMPLES")?;
    let (hex, (median, min)) = match algorithm {
        "md5" => run_digest::<Md5>(&input, samples),
        "sha1" => run_digest::<Sha1>(&input, samples),
        "sha256" => run_digest::<Sha256>(&input, samples),
        other => return Err(format!("unknown digest {other:?}: use md5, sha1 or sha256")),
    };
    println!(
        "{}",
        json!({ "digest": hex, "median_ns": median, "min_ns": min })
    );
    Ok(())
}

fn run_digest<D: Digest>(input: &[u8], samples: usize) -> (String, (f64, f64)) {
    let hex = base16ct::lower::encode_string(&D::digest(input));
    let timing = time(samples, || {
        black_box(D::digest(black_box(input)));
    });
    (hex, timing)
}

/// Verifies a right and a wrong password against pwmigrate-made hashes of the reference pairs'
/// schemes, so that `cargo bench` exercises this program without any reference installed.
fn self_check() -> Result<(), String> {
    let verifier = Verifier::new(Policy::default()).map_err(|err| err.to_string())?;
    let password = Password::from("correct horse battery staple");
    let stored = verifier.hash(&password).map_err(|err| err.to_string())?;
    let valid = verifier
        .verify(&password, &stored, None)
        .map_err(|err| err.to_string())?;
    if !valid.is_valid() {
        return Err("a fresh Argon2id hash does not verify".to_string());
    }
    for sample in [
        Sample::Bcrypt { cost: 4 },
        Sample::Sha512Crypt { rounds: 5000 },
        Sample::Md5Crypt,
    ] {
        let stored = sample.stored_hash().map_err(|err| err.to_string())?;
        let (median, _) = time(3, || {
            let _ = black_box(verifier.verify(&password, &stored, None));
        });
        println!(
            "{} {:?}: {:.0} ns per verify",
            sample.kind(),
            sample.params(),
            median
        );
    }
    println!("reference_timing: self-check passed; benches/references.sh runs the comparison");
    Ok(())
}
