//! One verifier shared by 64 threads: all verdicts right, and peak memory within the budget that
//! the Argon2 concurrency limit sets.
//!
//! This file contains one test so that no other test's allocations count towards the peak.

use std::sync::Arc;

use pwmigrate::{Password, Policy, Verifier};

/// Returns this process's resident set size high-water mark in KiB, from /proc/self/status.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM line");
    line.split_whitespace()
        .nth(1)
        .expect("value")
        .parse()
        .expect("KiB number")
}

/// Resets the high-water mark to the current resident set size (Linux 4.0 and later).
fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
}

#[test]
fn sixty_four_threads_stay_in_budget() {
    const THREADS: usize = 64;
    const LIMIT: usize = 4;
    let verifier = Verifier::new(Policy::default())
        .expect("default policy")
        .with_argon2_concurrency(LIMIT);
    assert_eq!(verifier.argon2_concurrency(), LIMIT);
    let password = Password::from("shared secret");
    let stored = verifier.hash(&password).expect("hash at policy");
    let verifier = Arc::new(verifier);

    reset_peak_rss();
    let baseline = peak_rss_kib();
    let threads: Vec<_> = (0..THREADS)
        .map(|index| {
            let verifier = Arc::clone(&verifier);
            let stored = stored.clone();
            std::thread::spawn(move || {
                let typed = if index % 2 == 0 {
                    "shared secret"
                } else {
                    "wrong secret"
                };
                let verdict = verifier
                    .verify(&Password::from(typed), &stored, None)
                    .expect("verify");
                assert_eq!(verdict.is_valid(), index % 2 == 0, "thread {index}");
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("verify thread");
    }
    let grown = peak_rss_kib().saturating_sub(baseline);

    // Each computation uses one 19456 KiB matrix; allow 16 MiB for 64 thread stacks and heap.
    let budget = LIMIT as u64 * 19_456 + 16 * 1024;
    assert!(
        grown <= budget,
        "peak grew by {grown} KiB, budget {budget} KiB"
    );
    // Without the limit, 64 matrices would need 64 x 19 MiB; make sure the test can tell.
    assert!(budget < THREADS as u64 * 19_456 / 4);
}
