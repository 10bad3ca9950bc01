//! Async verify under the `tokio` feature: verdicts match the sync path, and runtime workers stay
//! responsive while 64 verifies run.

#![cfg(feature = "tokio")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use pwmigrate::{Password, Policy, Verifier};

/// Runs 64 verifies, 2 at a time, beside a ticker on the runtime, and returns the longest tick
/// and the number of ticks. Each 5 ms sleep must wake up promptly while the hashes run.
async fn ticks_during_verifies(verifier: &Arc<Verifier>, stored: &str) -> (Duration, u32) {
    let mut verifies = Vec::new();
    for index in 0..64 {
        let typed = if index % 2 == 0 { "right" } else { "wrong" };
        let task =
            Arc::clone(verifier).verify_async(Password::from(typed), stored.to_string(), None);
        verifies.push(tokio::spawn(task));
    }
    let mut worst = Duration::ZERO;
    let mut ticks = 0;
    while verifies.iter().any(|task| !task.is_finished()) {
        let before = Instant::now();
        tokio::time::sleep(Duration::from_millis(5)).await;
        worst = worst.max(before.elapsed());
        ticks += 1;
    }
    for (index, task) in verifies.into_iter().enumerate() {
        let verdict = task.await.expect("join").expect("verify");
        assert_eq!(verdict.is_valid(), index % 2 == 0, "verify {index}");
    }
    (worst, ticks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_stay_responsive() {
    let verifier = Verifier::new(Policy::default()).expect("default policy");
    let stored = verifier.hash(&Password::from("right")).expect("hash");
    let verifier = Arc::new(verifier.with_argon2_concurrency(2));

    // Other processes on a 2-vCPU machine can stall any thread now and then, so one of three
    // runs must stay within the bound. A runtime blocked by the hashes fails all three.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let (worst, ticks) = ticks_during_verifies(&verifier, &stored).await;
        assert!(ticks >= 10, "only {ticks} ticks");
        if worst < Duration::from_millis(100) {
            return;
        }
        runs.push(worst);
    }
    panic!("the longest tick of each run exceeded 100 ms: {runs:?}");
}

#[tokio::test]
async fn unknown_user_async_invalid() {
    let verifier = Arc::new(Verifier::new(Policy::default()).expect("default policy"));
    let verdict = verifier
        .verify_unknown_user_async(Password::from("anything"))
        .await
        .expect("dummy verify");
    assert!(!verdict.is_valid());
}
