//! The hashing hot path through pwmigrate's public API: every scheme's verify on the success
//! and the failure path, the Argon2id upgrade hash, Argon2id on fresh and on reused memory, and
//! an Argon2id parameter grid with the memory-fill rate as throughput.
//!
//! Run with `cargo bench --bench hashing`. The grid covers m = 8 to 64 MiB by default; set
//! `PWMIGRATE_BENCH_FULL_GRID=1` to add m = 128 and 256 MiB, which adds about a minute on one
//! core. The Argon2 throughput is m × t × 1024 bytes per iteration: every pass writes each of
//! the m 1 KiB blocks once.

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pwmigrate::bench::Sample;
use pwmigrate::{Argon2Target, Password, Policy, Verifier};

/// Stored hashes with the password they were made from, one per scheme family.
///
/// The digests are Python hashlib's (`hashlib.md5(b"password").hexdigest()` and likewise), the
/// bcrypt hash is pyca bcrypt 5.0.0's with salt `abcdefghijklmnopqrstuu`, sha256-crypt is
/// Python's `crypt` module over libxcrypt 4.4.33, and the others are the passlib 1.7.4 hashes
/// that `benches/verify.rs` uses.
const KNOWN: &[(&str, &str, &str)] = &[
    ("md5", "password", "5f4dcc3b5aa765d61d8327deb882cf99"),
    (
        "sha1",
        "password",
        "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8",
    ),
    (
        "sha256",
        "password",
        "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
    ),
    (
        "bcrypt_cost10",
        "password",
        "$2b$10$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK",
    ),
    (
        "django_pbkdf2_sha256_600000",
        "correct horse battery staple",
        "pbkdf2_sha256$600000$benchsaltbenchsalt12$yLhpuHZ1KChyT4BRCCjC/Xw74ZKqgLbBzsB+8HW0Qh4=",
    ),
    (
        "sha512_crypt_5000",
        "correct horse battery staple",
        "$6$benchsaltbenchsa$HiOVAHljQXEeZ/iRRyIdzmMR3Eh2sJpxZxGdMwXLAVTFI/dmcW9M0LCw8Bd3mDVQCdqNzOH/JTt1zX2sbJnlb.",
    ),
    (
        "sha256_crypt_5000",
        "correct horse battery staple",
        "$5$benchsaltbenchsa$V1JCoHVVzPXf8VBgE9Tmz8cB2m34/N9GLLYxFFNBup7",
    ),
    (
        "md5_crypt",
        "correct horse battery staple",
        "$1$benchslt$BMz793J4P.8JgwX16xeUR/",
    ),
    (
        "phpass_2e13",
        "correct horse battery staple",
        "$P$Bbenchslt5.J1ZbcfsA86UUxcQx3co/",
    ),
    (
        "drupal7_2e15",
        "correct horse battery staple",
        "$S$DC.WC9FpxHlV8NnGfK7ZvZcT4JeCO0rCBS1aXko7d.Ef3fN0b/HK",
    ),
    (
        "ldap_ssha",
        "correct horse battery staple",
        "{SSHA}5935vE730ZsT2AvzOvmGYjAyTvZiZW5jaHNsdA==",
    ),
    (
        "django_scrypt_n16384_r8_p1",
        "correct horse battery staple",
        "scrypt$benchsalt$16384$8$1$rIYh2LL9CGnt+dV8P+rRPqdh4mpwvHWcrljFpa4zptlbmnn6un67kqlYEaF2D4yrhu4R4hyGZLh1o6bkhkZ/0A==",
    ),
];

const POLICY: Argon2Target = Argon2Target::OWASP_MINIMUM;

/// A verifier whose upgrade target is the smallest valid Argon2id (m=8 KiB, t=1), so that a
/// valid legacy verify adds about 15 µs for the upgrade rather than a policy hash. For all but
/// the bare digests and `{SSHA}` the success path then measures the scheme's own work, and
/// `argon2id_upgrade` measures the policy hash.
fn cheap_upgrade_verifier() -> Verifier {
    let policy = Policy {
        target: Argon2Target {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
            ..POLICY
        },
        ..Policy::default()
    };
    Verifier::new(policy)
        .expect("small policy")
        .with_argon2_concurrency(1)
}

fn bench_schemes(c: &mut Criterion) {
    let verifier = cheap_upgrade_verifier();
    let policy_verifier = Verifier::new(Policy::default()).expect("default policy");
    let argon2_password = Password::from("correct horse battery staple");
    let argon2_stored = policy_verifier
        .hash(&argon2_password)
        .expect("hash at policy");

    let mut cases: Vec<(&str, Password, String)> = KNOWN
        .iter()
        .map(|(name, password, stored)| (*name, Password::from(*password), stored.to_string()))
        .collect();
    cases.push(("argon2id_policy", argon2_password, argon2_stored));

    let wrong = Password::from("wrong horse battery staple");
    let mut group = c.benchmark_group("scheme_verify");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for (name, password, stored) in &cases {
        let verdict = verifier.verify(password, stored, None).expect("parses");
        assert!(verdict.is_valid(), "{name} rejects its password");
        group.bench_function(BenchmarkId::new(*name, "success"), |b| {
            b.iter(|| verifier.verify(black_box(password), black_box(stored), None))
        });
        group.bench_function(BenchmarkId::new(*name, "failure"), |b| {
            b.iter(|| verifier.verify(black_box(&wrong), black_box(stored), None))
        });
    }
    group.finish();
}

/// Bytes of memory Argon2 writes per hash: m KiB blocks, t passes.
fn fill_bytes(memory_kib: u32, iterations: u32) -> u64 {
    u64::from(memory_kib) * u64::from(iterations) * 1024
}

fn bench_upgrade_and_memory(c: &mut Criterion) {
    let policy = Policy::default();
    let password = Password::from("correct horse battery staple");
    let verifier = Verifier::new(policy)
        .expect("default policy")
        .with_argon2_concurrency(1);
    let stored = Sample::Argon2id {
        memory_kib: POLICY.memory_kib,
        iterations: POLICY.iterations,
        parallelism: POLICY.parallelism,
    }
    .stored_hash()
    .expect("sample");

    let mut group = c.benchmark_group("argon2id_upgrade");
    group.sample_size(20);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(fill_bytes(
        POLICY.memory_kib,
        POLICY.iterations,
    )));
    // `hash` takes fresh memory for every call, as an upgrade without a verifier does.
    group.bench_function("hash_at_policy_cold", |b| {
        b.iter(|| pwmigrate::hash(black_box(&password), &policy))
    });
    // A verifier reuses its pooled matrix, so after the first call the memory is warm.
    group.bench_function("verify_at_policy_warm", |b| {
        b.iter(|| verifier.verify(black_box(&password), black_box(&stored), None))
    });
    group.finish();
}

fn grid_memories_mib() -> Vec<u32> {
    let mut memories = vec![8, 16, 32, 64];
    if std::env::var_os("PWMIGRATE_BENCH_FULL_GRID").is_some_and(|value| value == "1") {
        memories.extend([128, 256]);
    }
    memories
}

/// Argon2id verify over m, t and p. The verifier's pool keeps matrices up to 64 MiB between
/// calls, so those cells run on warm memory and the 128 and 256 MiB cells on fresh memory.
fn bench_grid(c: &mut Criterion) {
    let verifier = cheap_upgrade_verifier();
    let password = Password::from("correct horse battery staple");

    let mut group = c.benchmark_group("argon2id_grid");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(1));
    for parallelism in [1, 4] {
        for memory_mib in grid_memories_mib() {
            for iterations in 1..=4 {
                let memory_kib = memory_mib * 1024;
                let stored = Sample::Argon2id {
                    memory_kib,
                    iterations,
                    parallelism,
                }
                .stored_hash()
                .expect("sample");
                group.throughput(Throughput::Bytes(fill_bytes(memory_kib, iterations)));
                let id = BenchmarkId::new(
                    format!("p{parallelism}"),
                    format!("m{memory_mib}MiB_t{iterations}"),
                );
                group.bench_function(id, |b| {
                    b.iter(|| verifier.verify(black_box(&password), black_box(&stored), None))
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench_schemes, bench_upgrade_and_memory, bench_grid);
criterion_main!(benches);
