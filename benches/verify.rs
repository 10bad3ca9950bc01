//! Engine overhead: `Verifier::verify` against calling the underlying crate on the same input.
//!
//! Each group pairs `engine` (parse, bound, verify, decide through pwmigrate) with `direct` (the
//! crate's own hashing call on pre-decoded inputs plus a `subtle` comparison). The legacy schemes
//! are measured on the wrong-password path, which ends at the verdict. A valid legacy verify also
//! pays one Argon2id upgrade hash, which `upgrade` measures separately.
//!
//! Run with `cargo bench --bench verify`.

use std::hint::black_box;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use criterion::{Criterion, criterion_group, criterion_main};
use md5::{Digest, Md5};
use pwmigrate::{Password, Policy, Verifier};
use subtle::ConstantTimeEq;

/// md5("password"), from Python's hashlib.
const MD5_HEX: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

/// pyca bcrypt 5.0.0 hash of "password" at cost 10 with salt `abcdefghijklmnopqrstuu`.
const BCRYPT_COST10: &str = "$2b$10$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK";

fn verifier() -> Verifier {
    Verifier::new(Policy::default()).expect("default policy")
}

fn bench_md5(c: &mut Criterion) {
    let verifier = verifier();
    let wrong = Password::from("wrong password");
    let expected = base16ct::lower::decode_vec(MD5_HEX).expect("hex");

    let mut group = c.benchmark_group("md5_fail");
    group.bench_function("engine", |b| {
        b.iter(|| verifier.verify(black_box(&wrong), black_box(MD5_HEX), None))
    });
    group.bench_function("direct", |b| {
        b.iter(|| {
            let digest = Md5::digest(black_box(wrong.as_bytes()));
            bool::from(digest.as_slice().ct_eq(black_box(&expected)))
        })
    });
    group.finish();
}

fn bench_bcrypt(c: &mut Criterion) {
    let verifier = verifier();
    let wrong = Password::from("wrong password");
    // The direct call gets arbitrary salt and digest bytes: on the wrong-password path only the
    // cost decides the work.
    let salt: [u8; 16] = *b"0123456789abcdef";
    let stored_digest = [0u8; 23];

    let mut group = c.benchmark_group("bcrypt_cost10_fail");
    group.sample_size(20);
    group.bench_function("engine", |b| {
        b.iter(|| verifier.verify(black_box(&wrong), black_box(BCRYPT_COST10), None))
    });
    group.bench_function("direct", |b| {
        b.iter(|| {
            let mut key = wrong.as_bytes().to_vec();
            key.push(0);
            let digest = bcrypt::bcrypt(10, black_box(salt), &key);
            bool::from(digest[..23].ct_eq(black_box(&stored_digest)))
        })
    });
    group.finish();
}

fn bench_argon2id(c: &mut Criterion) {
    let verifier = verifier();
    let password = Password::from("correct horse battery staple");
    let stored = verifier.hash(&password).expect("hash at policy");
    let params = Params::new(19_456, 2, 1, Some(32)).expect("policy params");
    let context = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = [7u8; 16];
    let mut memory = vec![Block::new(); params.block_count()];

    let no_wipe = Verifier::new(Policy {
        wipe_argon2_memory: false,
        ..Policy::default()
    })
    .expect("policy without wipe");

    let mut group = c.benchmark_group("argon2id_m19456_t2_p1");
    group.sample_size(30);
    group.bench_function("engine_success", |b| {
        b.iter(|| verifier.verify(black_box(&password), black_box(&stored), None))
    });
    group.bench_function("engine_success_no_wipe", |b| {
        b.iter(|| no_wipe.verify(black_box(&password), black_box(&stored), None))
    });
    group.bench_function("direct_reused_memory", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            context
                .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, &mut memory)
                .expect("hash");
            out
        })
    });
    group.bench_function("direct_fresh_memory", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            context
                .hash_password_into(password.as_bytes(), &salt, &mut out)
                .expect("hash");
            out
        })
    });
    group.bench_function("unknown_user_dummy", |b| {
        b.iter(|| verifier.verify_unknown_user(black_box(&password)))
    });
    group.finish();
}

fn bench_upgrade(c: &mut Criterion) {
    let verifier = verifier();
    let password = Password::from("password");

    let mut group = c.benchmark_group("upgrade");
    group.sample_size(30);
    group.bench_function("md5_success_with_upgrade", |b| {
        b.iter(|| verifier.verify(black_box(&password), black_box(MD5_HEX), None))
    });
    group.finish();
}

/// Hashes of "correct horse battery staple" at each source platform's default cost, made with
/// passlib 1.7.4 and Python's hashlib (Drupal's from the `drupal7-basic` vector of
/// `tests/vectors/formats.jsonl`, ASP.NET's from `aspnet-identity-v3-sha256-10000`).
const PLATFORM_DEFAULTS: &[(&str, &str)] = &[
    (
        "django_pbkdf2_sha256_600000",
        "pbkdf2_sha256$600000$benchsaltbenchsalt12$yLhpuHZ1KChyT4BRCCjC/Xw74ZKqgLbBzsB+8HW0Qh4=",
    ),
    (
        "aspnet_identity_v3_sha256_10000",
        "AQAAAAEAACcQAAAAEB7tt9wWf80hdbATYgVSaA/kOYpRUqAT+D2e348u9+Pfxxh3uZ2s0u/zpzka0fvsFQ==",
    ),
    (
        "atlassian_pbkdf2_sha1_10000",
        "{PKCS5S2}YmVuY2hzYWx0YmVuY2hzYb0WaF0gnph+G1hKgbuoUXeVLpRI/WkKmlbQbzC5JiZi",
    ),
    (
        "wordpress_phpass_2e13",
        "$P$Bbenchslt5.J1ZbcfsA86UUxcQx3co/",
    ),
    (
        "drupal7_sha512_2e15",
        "$S$DC.WC9FpxHlV8NnGfK7ZvZcT4JeCO0rCBS1aXko7d.Ef3fN0b/HK",
    ),
    (
        "glibc_sha512_crypt_5000",
        "$6$benchsaltbenchsa$HiOVAHljQXEeZ/iRRyIdzmMR3Eh2sJpxZxGdMwXLAVTFI/dmcW9M0LCw8Bd3mDVQCdqNzOH/JTt1zX2sbJnlb.",
    ),
    ("md5_crypt_1000", "$1$benchslt$BMz793J4P.8JgwX16xeUR/"),
    (
        "openldap_ssha",
        "{SSHA}5935vE730ZsT2AvzOvmGYjAyTvZiZW5jaHNsdA==",
    ),
    (
        "django_scrypt_n16384_r8_p1",
        "scrypt$benchsalt$16384$8$1$rIYh2LL9CGnt+dV8P+rRPqdh4mpwvHWcrljFpa4zptlbmnn6un67kqlYEaF2D4yrhu4R4hyGZLh1o6bkhkZ/0A==",
    ),
    // defuse v2, Kratos and SQL Membership, made with Python's hashlib and base64.
    (
        "defuse_v2_pbkdf2_sha1_64000",
        "sha1:64000:18:YmVuY2hzYWx0YmVuY2hzYWx0YmVuY2gh:CH1+FysegPpWvjhhtp6fRAZ2",
    ),
    ("kratos_md5", "$md5$nMKuihunqT2jm0b8EBnEgQ=="),
    (
        "aspnet_membership_sha1",
        "635xKYdX6lHPLtbbtPQGvncaumM=|1|YmVuY2hzYWx0YmVuY2gxNg==",
    ),
    // vBulletin 3 and 5 compositions, made with Python's hashlib and pyca bcrypt 5.0.0.
    (
        "vbulletin3_md5_md5_salt",
        "$pwm-compose$md5(md5(p).salt)$RERC$vF5yI4Y2esFJtIW7ru5RgA",
    ),
    (
        "vbulletin5_bcrypt_md5_cost10",
        "$pwm-compose$bcrypt(md5(p))$$$2y$10$benchsaltbenchsaltbenuld85leJAj6eH4QqF9o8xvN/Rb8rK/4G",
    ),
];

/// Verify with a wrong password at each source platform's default cost: the cost a sign-in
/// pays before the hash is upgraded.
fn bench_platform_defaults(c: &mut Criterion) {
    let verifier = verifier();
    let right = Password::from("correct horse battery staple");
    let wrong = Password::from("wrong horse battery staple");

    let mut group = c.benchmark_group("platform_default_fail");
    group.sample_size(10);
    for (name, stored) in PLATFORM_DEFAULTS {
        let verdict = verifier
            .verify(&right, stored, None)
            .expect("default-cost hash parses");
        assert!(verdict.is_valid(), "{name} rejects its password");
        group.bench_function(*name, |b| {
            b.iter(|| verifier.verify(black_box(&wrong), black_box(stored), None))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_md5,
    bench_bcrypt,
    bench_argon2id,
    bench_upgrade,
    bench_platform_defaults
);
criterion_main!(benches);
