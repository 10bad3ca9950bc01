//! Hostile inputs: each must be rejected with its documented error kind before anything is hashed.
//!
//! The time bound shows that nothing was hashed. Every entry must return its error within 1 ms of
//! wall time (the minimum of 3 runs). By estimate, hashing the costly entries would take from
//! seconds (Argon2 with 4 GiB) to days (bcrypt cost 31).

use std::io::{BufRead, BufReader, Read};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use pwmigrate::import::{Options, import};
use pwmigrate::{Argon2Target, Limits, Method, Password, Policy, Verifier};
use serde_json::Value;

/// Runs per entry; the minimum of them is compared with [`TIME_BOUND`].
const RUNS: usize = 3;

/// Wall time within which a rejection must return.
const TIME_BOUND: Duration = Duration::from_millis(1);

/// 16 bytes of salt in PHC B64 ("somesaltsomesalt").
const ARGON2_SALT: &str = "c29tZXNhbHRzb21lc2FsdA";

/// One hostile input and the error kind it must produce.
struct Case {
    name: &'static str,
    stored: String,
    method: Option<Method>,
    password: Password,
    expected_kind: &'static str,
}

impl Case {
    fn new(name: &'static str, stored: String, expected_kind: &'static str) -> Self {
        Case {
            name,
            stored,
            method: None,
            password: Password::from("password"),
            expected_kind,
        }
    }

    fn with_method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    fn with_password(mut self, password: Password) -> Self {
        self.password = password;
        self
    }
}

/// Returns one verifier under the default policy for the whole file, because building one costs
/// an Argon2id hash at the OWASP minimum (19 MiB).
fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new(Policy::default()).expect("default policy"))
}

/// Serializes the tests of this file, because peak RSS is process-wide. With `RUST_BACKTRACE`
/// set, a test that panics in parallel resolves its backtrace's symbols, which added 57 MiB in
/// one run.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Builds an Argon2id PHC string with the given parameter field and a valid salt and output.
fn argon2id(params: &str) -> String {
    // 43 'A's are the canonical PHC B64 of 32 zero bytes.
    format!("$argon2id$v=19${params}${ARGON2_SALT}${}", "A".repeat(43))
}

/// Builds a canonical bcrypt string of "password" with the two-digit `cost` written in place of
/// the cost it was made with.
fn bcrypt_with_cost(cost: &str) -> String {
    let made = bcrypt::hash_with_salt("password", 4, [7u8; 16])
        .expect("bcrypt cost 4")
        .to_string();
    assert!(made.starts_with("$2b$04$"), "bcrypt output {made:?}");
    format!("$2b${cost}${}", &made[7..])
}

/// Returns 64 lowercase hex digits, the length of a SHA-256 digest.
fn hex64() -> String {
    "ab".repeat(32)
}

/// Builds `["sha256", [<args>], "<64 hex>"]` with `args` written as given, padded with `filler`
/// items until the whole string is as close to `total_len` bytes as the item size allows.
fn legacy_with_args_filling(filler: &str, total_len: usize) -> String {
    let head = "[\"sha256\",[";
    let tail = format!("],\"{}\"]", hex64());
    let mut args = String::from(filler);
    while head.len() + args.len() + 1 + filler.len() + tail.len() <= total_len {
        args.push(',');
        args.push_str(filler);
    }
    format!("{head}{args}{tail}")
}

fn cases() -> Vec<Case> {
    let md5_of_password = "5f4dcc3b5aa765d61d8327deb882cf99".to_string();
    let megabyte = 1 << 20;
    let deep_legacy = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_within_limit = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    let deep_args = format!(
        "[\"sha256\",{}{},\"{}\"]",
        "[".repeat(1970),
        "]".repeat(1970),
        hex64()
    );
    let numeric_args = legacy_with_args_filling("0", 4096);
    let args_without_password = legacy_with_args_filling("\"\"", 4096);

    // These must parse, so they have to fit the default 4096-byte limit on stored hashes.
    assert_eq!(deep_within_limit.len(), 4000);
    for within in [&deep_args, &numeric_args, &args_without_password] {
        assert!(
            (4000..=4096).contains(&within.len()),
            "stored length {} must lie in 4000..=4096",
            within.len()
        );
    }

    vec![
        Case::new(
            "argon2 memory 4 TiB overflows u32",
            argon2id("m=4294967296,t=1,p=1"),
            "malformed_hash",
        ),
        Case::new(
            "argon2 memory 4 GiB",
            argon2id("m=4194304,t=1,p=1"),
            "parameters_exceed_limits",
        ),
        Case::new(
            "argon2 memory 4 GiB declared",
            argon2id("m=4194304,t=1,p=1"),
            "parameters_exceed_limits",
        )
        .with_method(Method::Argon2id),
        Case::new(
            "argon2 iterations u32 max",
            argon2id("m=19456,t=4294967295,p=1"),
            "parameters_exceed_limits",
        ),
        Case::new(
            "argon2 iterations over u32",
            argon2id("m=19456,t=4294967296,p=1"),
            "malformed_hash",
        ),
        Case::new(
            "argon2 work above bound",
            argon2id("m=262144,t=256,p=1"),
            "parameters_exceed_limits",
        ),
        Case::new(
            "argon2 lanes 2^24",
            argon2id("m=134217728,t=1,p=16777216"),
            "malformed_hash",
        ),
        Case::new(
            "argon2 lanes 17",
            argon2id("m=19456,t=1,p=17"),
            "parameters_exceed_limits",
        ),
        Case::new(
            "bcrypt cost 31",
            bcrypt_with_cost("31"),
            "parameters_exceed_limits",
        ),
        Case::new(
            "bcrypt cost 17",
            bcrypt_with_cost("17"),
            "parameters_exceed_limits",
        ),
        Case::new(
            "sha512-crypt rounds 999999999",
            format!("$6$rounds=999999999$saltsalt${}", "a".repeat(85) + "."),
            "parameters_exceed_limits",
        ),
        Case::new(
            "pbkdf2 10^9 iterations",
            format!(
                "$pbkdf2-sha256$i=1000000000,l=32$c2FsdHNhbHQ${}",
                "A".repeat(43)
            ),
            "parameters_exceed_limits",
        ),
        Case::new(
            "scrypt N=2^40",
            format!("$scrypt$ln=40,r=8,p=1$c2FsdHNhbHQ${}", "A".repeat(43)),
            "parameters_exceed_limits",
        ),
        Case::new(
            "phpass 2^30 rounds",
            format!("$P$S{}", "a".repeat(30)),
            "parameters_exceed_limits",
        ),
        Case::new(
            "bcrypt cost 31 declared",
            bcrypt_with_cost("31"),
            "parameters_exceed_limits",
        )
        .with_method(Method::Bcrypt),
        Case::new(
            "legacy pbkdf2 10^9 iterations",
            format!(
                "[\"pbkdf2\", [\"salt\", 1000000000, 32, \"sha256\", \"@\"], \"{}\"]",
                hex64()
            ),
            "parameters_exceed_limits",
        ),
        Case::new(
            "legacy pbkdf2 10^9 iterations as text",
            format!(
                "[\"pbkdf2\", [\"salt\", \"1000000000\", 32, \"sha256\", \"@\"], \"{}\"]",
                hex64()
            ),
            "parameters_exceed_limits",
        )
        .with_method(Method::Legacy),
        Case::new(
            "legacy pbkdf2 keylen 2^32",
            format!(
                "[\"pbkdf2\", [\"salt\", 1000, 4294967296, \"sha256\", \"@\"], \"{}\"]",
                hex64()
            ),
            "parameters_exceed_limits",
        ),
        Case::new(
            "md5 with 1 MiB password",
            md5_of_password.clone(),
            "password_too_long",
        )
        .with_password(Password::from(vec![b'a'; megabyte])),
        Case::new(
            "md5 with 4097-byte password",
            md5_of_password,
            "password_too_long",
        )
        .with_password(Password::from(vec![b'a'; 4097])),
        Case::new(
            "1 MiB hex stored hash",
            "a".repeat(megabyte),
            "stored_hash_too_long",
        ),
        Case::new(
            "4097-byte stored hash",
            "a".repeat(4097),
            "stored_hash_too_long",
        ),
        Case::new(
            "legacy nested 100000 deep",
            deep_legacy.clone(),
            "stored_hash_too_long",
        ),
        Case::new(
            "legacy nested 100000 deep declared",
            deep_legacy,
            "stored_hash_too_long",
        )
        .with_method(Method::Legacy),
        Case::new(
            "legacy nested 2000 deep",
            deep_within_limit.clone(),
            "malformed_hash",
        ),
        Case::new(
            "legacy nested 2000 deep declared",
            deep_within_limit,
            "malformed_hash",
        )
        .with_method(Method::Legacy),
        Case::new("legacy args nested 1970 deep", deep_args, "malformed_hash"),
        Case::new("legacy args of numbers", numeric_args, "malformed_hash"),
        Case::new(
            "legacy args without placeholder",
            args_without_password,
            "malformed_hash",
        ),
    ]
}

#[test]
fn hostile_inputs_rejected_fast() {
    let _serial = serial();
    let verifier = verifier();
    let mut failures = Vec::new();

    for case in cases() {
        let mut fastest = Duration::MAX;
        for run in 0..RUNS {
            let start = Instant::now();
            let result = verifier.verify(&case.password, &case.stored, case.method);
            let elapsed = start.elapsed();
            fastest = fastest.min(elapsed);
            match result {
                Ok(verdict) => {
                    failures.push(format!(
                        "{}: run {run} returned a verdict (valid: {}), expected {}",
                        case.name,
                        verdict.is_valid(),
                        case.expected_kind
                    ));
                    break;
                }
                Err(err) if err.kind() != case.expected_kind => {
                    failures.push(format!(
                        "{}: run {run} returned {} ({err}), expected {}",
                        case.name,
                        err.kind(),
                        case.expected_kind
                    ));
                    break;
                }
                Err(_) => {}
            }
        }
        eprintln!("{}: fastest of {RUNS} runs {fastest:?}", case.name);
        if fastest >= TIME_BOUND {
            failures.push(format!(
                "{}: fastest of {RUNS} runs took {fastest:?}, not under {TIME_BOUND:?}",
                case.name
            ));
        }
    }

    assert!(
        failures.is_empty(),
        "failed entries:\n{}",
        failures.join("\n")
    );
}

#[test]
fn identify_reports_limits_without_error() {
    let _serial = serial();
    let policy = Policy::default();
    let identified = pwmigrate::identify(&argon2id("m=4194304,t=1,p=1"), None, &policy)
        .expect("4 GiB Argon2id parses");
    let limit_error = identified.limit_error.expect("4 GiB is above the bound");
    assert_eq!(limit_error.kind(), "parameters_exceed_limits");

    let err = pwmigrate::identify(&"[".repeat(5000), None, &policy).expect_err("too long");
    assert_eq!(err.kind(), "stored_hash_too_long");

    let err = pwmigrate::identify(&"[".repeat(4096), None, &policy).expect_err("unclosed");
    assert_eq!(err.kind(), "malformed_hash");
}

#[test]
fn limits_default_matches_docs() {
    let _serial = serial();
    let limits = Limits::default();
    assert_eq!(limits.argon2_max_memory_kib, 262_144);
    assert_eq!(limits.argon2_max_iterations, 256);
    assert_eq!(limits.argon2_max_work, 1_048_576);
    assert_eq!(limits.argon2_max_parallelism, 16);
    assert_eq!(limits.bcrypt_max_cost, 16);
    assert_eq!(limits.pbkdf2_max_iterations, 5_000_000);
    assert_eq!(limits.max_password_bytes, 4096);
    assert_eq!(limits.max_stored_bytes, 4096);

    let policy = Policy::default();
    assert_eq!(policy.limits, limits);
    assert!(policy.wipe_argon2_memory);
    let owasp = Argon2Target {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
        salt_len: 16,
        output_len: 32,
    };
    assert_eq!(policy.target, owasp);
    assert_eq!(Options::default().max_record_bytes, 1 << 20);
}

/// Returns the process's peak resident set size in KiB, from `VmHWM` in /proc/self/status.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM line in /proc/self/status");
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .expect("VmHWM value in kB")
}

/// Builds a JSON Lines input with one 100 MiB record followed by a valid one, generated as it
/// is read so that the test itself never keeps the long line in memory.
fn long_line_then_record() -> impl BufRead {
    const LONG_LEN: u64 = 100 << 20;
    let head: &'static [u8] = b"{\"id\":\"long\",\"hash\":\"";
    let tail: &'static [u8] =
        b"\"}\n{\"id\":\"u2\",\"hash\":\"5f4dcc3b5aa765d61d8327deb882cf99\"}\n";
    let long_value = std::io::repeat(b'a').take(LONG_LEN);
    BufReader::with_capacity(64 << 10, head.chain(long_value).chain(tail))
}

#[test]
fn import_skips_100mib_line() {
    // The reader may hold one record of at most 1 MiB plus its 64 KiB buffer, so 16 MiB leaves
    // room for allocator slack while a copy of the 100 MiB line could not fit.
    const MAX_GROWTH_KIB: u64 = 16 << 10;
    let _serial = serial();

    std::fs::write("/proc/self/clear_refs", "5").expect("reset peak RSS via /proc/self/clear_refs");
    let before = peak_rss_kib();
    let mut output = Vec::new();
    let mut rejects = Vec::new();
    let summary = import(
        long_line_then_record(),
        &mut output,
        &mut rejects,
        &Options::default(),
        &mut |_| {},
    )
    .expect("import reads past the long line");
    let after = peak_rss_kib();
    eprintln!("peak RSS before {before} KiB, after {after} KiB");

    assert_eq!(summary.read, 2);
    assert_eq!(summary.rejected, 1);
    assert_eq!(summary.accepted, 1);
    assert_eq!(summary.by_reason.get("record_too_long"), Some(&1));
    assert!(
        after.saturating_sub(before) < MAX_GROWTH_KIB,
        "peak RSS grew by {} KiB while skipping a 100 MiB line",
        after.saturating_sub(before)
    );

    let rejects = String::from_utf8(rejects).expect("rejects are UTF-8");
    let reject_lines: Vec<Value> = rejects
        .lines()
        .map(|line| serde_json::from_str(line).expect("reject line is JSON"))
        .collect();
    assert_eq!(reject_lines.len(), 1);
    assert_eq!(reject_lines[0]["record"], 1);
    assert_eq!(reject_lines[0]["reason"], "record_too_long");

    let output = String::from_utf8(output).expect("output is UTF-8");
    let accepted: Vec<Value> = output
        .lines()
        .map(|line| serde_json::from_str(line).expect("output line is JSON"))
        .collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["id"], "u2");
    assert_eq!(accepted[0]["stored"], "5f4dcc3b5aa765d61d8327deb882cf99");
    assert_eq!(accepted[0]["scheme"], "md5");
}

#[test]
fn peak_rss_measure_sees_allocation() {
    // Checks the measurement itself, so that a kernel ignoring clear_refs cannot pass the test
    // above by accident: touching 32 MiB must raise the peak by nearly that much.
    const ALLOCATION: usize = 32 << 20;
    let _serial = serial();

    std::fs::write("/proc/self/clear_refs", "5").expect("reset peak RSS via /proc/self/clear_refs");
    let before = peak_rss_kib();
    let touched = std::hint::black_box(vec![1u8; ALLOCATION]);
    let after = peak_rss_kib();
    drop(touched);
    eprintln!("peak RSS before {before} KiB, after a 32 MiB allocation {after} KiB");

    assert!(
        after.saturating_sub(before) >= 30 << 10,
        "peak RSS grew by only {} KiB after touching 32 MiB",
        after.saturating_sub(before)
    );
}
