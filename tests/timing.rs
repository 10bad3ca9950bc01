//! A dudect-style check that verifying a digest takes no time that depends on where the stored
//! digest first differs from the computed one.
//!
//! As in dudect, two classes of input are measured in random interleaved order, the slowest 5% of
//! each class is dropped, and Welch's t statistic compares the means. |t| above 10 is read as a
//! leak. The negative control runs the same harness over an early-exit comparison to show that it finds
//! one. The t values are printed with `eprintln!`; run with `--nocapture` to record them.

use std::hint::black_box;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use pwmigrate::{Argon2Target, Method, Password, Policy, Verifier};
use sha2::{Digest, Sha512};

/// |t| above which a timing difference counts as detected.
const T_THRESHOLD: f64 = 10.0;

/// Share of the slowest samples dropped from each class before the t test.
const OUTLIER_SHARE: f64 = 0.05;

/// Runs the measurements one at a time, so that the two tests do not compete for the same cores.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Input class of one sample: which end of the input contains the first difference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    FirstDiffers,
    LastDiffers,
}

/// xorshift64 with shifts 13, 7 and 17, seeded with a constant so that every run measures the
/// same class order.
struct XorShift64(u64);

impl XorShift64 {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Returns `per_class` of each class in a random order drawn by a Fisher-Yates shuffle.
fn interleaved_classes(per_class: usize, seed: u64) -> Vec<Class> {
    let mut classes = vec![Class::FirstDiffers; per_class];
    classes.resize(2 * per_class, Class::LastDiffers);
    let mut rng = XorShift64(seed);
    for i in (1..classes.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        classes.swap(i, j);
    }
    classes
}

/// Sorts `samples`, drops the slowest [`OUTLIER_SHARE`] of them and returns the mean, the
/// unbiased variance and the number of the samples kept.
fn trimmed_mean_variance(samples: &mut [u64]) -> (f64, f64, usize) {
    samples.sort_unstable();
    let kept = samples.len() - (samples.len() as f64 * OUTLIER_SHARE) as usize;
    let kept_samples = &samples[..kept];
    let n = kept as f64;
    let mean = kept_samples.iter().map(|&s| s as f64).sum::<f64>() / n;
    let variance = kept_samples
        .iter()
        .map(|&s| (s as f64 - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    (mean, variance, kept)
}

/// Result of one measurement: Welch's t and the trimmed mean batch time per class.
struct Measurement {
    t: f64,
    first_mean_ns: f64,
    last_mean_ns: f64,
}

/// Times `per_class` batches of `batch` calls of `operation` per class, in random interleaved
/// order after a warm-up, and returns Welch's t of the trimmed batch times.
fn measure(per_class: usize, batch: usize, mut operation: impl FnMut(Class)) -> Measurement {
    for class in interleaved_classes(per_class / 10 + 1, 0x5eed_0001) {
        operation(class);
    }

    let mut first = Vec::with_capacity(per_class);
    let mut last = Vec::with_capacity(per_class);
    for class in interleaved_classes(per_class, 0x9e37_79b9_7f4a_7c15) {
        let start = Instant::now();
        for _ in 0..batch {
            operation(class);
        }
        let nanos = start.elapsed().as_nanos() as u64;
        match class {
            Class::FirstDiffers => first.push(nanos),
            Class::LastDiffers => last.push(nanos),
        }
    }

    let (first_mean, first_variance, first_n) = trimmed_mean_variance(&mut first);
    let (last_mean, last_variance, last_n) = trimmed_mean_variance(&mut last);
    let standard_error = (first_variance / first_n as f64 + last_variance / last_n as f64).sqrt();
    Measurement {
        t: (first_mean - last_mean) / standard_error,
        first_mean_ns: first_mean,
        last_mean_ns: last_mean,
    }
}

/// Compares byte by byte and returns at the first difference: the leak the control must find.
fn early_exit_equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    for i in 0..a.len() {
        if black_box(a[i]) != black_box(b[i]) {
            return false;
        }
    }
    true
}

/// Builds a verifier whose small Argon2 target keeps `Verifier::new` cheap. No Argon2 runs while
/// measuring, because a wrong digest gives an invalid verdict without an upgrade.
fn small_verifier() -> Verifier {
    let policy = Policy {
        target: Argon2Target {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
            salt_len: 16,
            output_len: 32,
        },
        ..Policy::default()
    };
    Verifier::new(policy).expect("small policy")
}

/// Returns `hex` with the hex digit at `index` replaced by another of the same class (a digit by
/// a digit, a letter by a letter), so that one byte differs. The hex decoder's per-character
/// checks then meet the same pattern of digits and letters in every string.
fn change_hex_digit(hex: &str, index: usize) -> String {
    let mut digits = hex.as_bytes().to_vec();
    digits[index] = match digits[index] {
        b'0' => b'1',
        b'a' => b'b',
        digit if digit.is_ascii_digit() => b'0',
        _ => b'a',
    };
    String::from_utf8(digits).expect("hex digits are ASCII")
}

#[test]
fn digest_compare_time_independent_of_position() {
    const PER_CLASS: usize = 20_000;
    const BATCH: usize = 16;
    let _serial = serial();

    let verifier = small_verifier();
    let password = Password::from("correct horse battery staple");
    let real = base16ct::lower::encode_string(&Sha512::digest(password.as_bytes()));
    assert_eq!(real.len(), 128);

    let real_verdict = verifier
        .verify(&password, &real, Some(Method::Sha512))
        .expect("real digest parses");
    assert!(real_verdict.is_valid(), "the unchanged digest must verify");

    // The first byte is hex digits 0 and 1 and the last is 126 and 127, so each class changes
    // the low hex digit of its byte.
    let first_differs = change_hex_digit(&real, 1);
    let last_differs = change_hex_digit(&real, 127);
    for stored in [&first_differs, &last_differs] {
        let verdict = verifier
            .verify(&password, stored, Some(Method::Sha512))
            .expect("changed digest parses");
        assert!(!verdict.is_valid(), "a changed digest must not verify");
    }

    // A machine busy with other work can push one run over the threshold, so up to three runs
    // are made and the quietest decides. A real early exit gives |t| in the hundreds on every
    // run (see the controls below), so a retry cannot hide it.
    let mut t_values = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let measurement = measure(PER_CLASS, BATCH, |class| {
            let stored = match class {
                Class::FirstDiffers => first_differs.as_str(),
                Class::LastDiffers => last_differs.as_str(),
            };
            let verdict = verifier.verify(&password, black_box(stored), Some(Method::Sha512));
            black_box(verdict.is_ok());
        });
        eprintln!(
            "sha512 verify: t = {:.2}, trimmed mean per batch of {BATCH}: first byte differs \
             {:.0} ns, last byte differs {:.0} ns, {PER_CLASS} batches per class in {:?}",
            measurement.t,
            measurement.first_mean_ns,
            measurement.last_mean_ns,
            start.elapsed()
        );
        t_values.push(measurement.t);
        if measurement.t.abs() < T_THRESHOLD {
            return;
        }
    }
    panic!("verify time depends on the position of the first differing byte: t = {t_values:.2?}");
}

#[test]
fn harness_detects_early_exit_compare() {
    // Fewer samples than above are enough, because the leak is thousands of byte comparisons
    // wide; the harness itself is the same.
    const PER_CLASS: usize = 1_000;
    const BATCH: usize = 16;
    const LEN: usize = 4096;
    let _serial = serial();

    let reference = vec![0x5au8; LEN];
    let mut first_differs = reference.clone();
    first_differs[0] ^= 1;
    let mut last_differs = reference.clone();
    last_differs[LEN - 1] ^= 1;

    let start = Instant::now();
    let measurement = measure(PER_CLASS, BATCH, |class| {
        let candidate = match class {
            Class::FirstDiffers => first_differs.as_slice(),
            Class::LastDiffers => last_differs.as_slice(),
        };
        black_box(early_exit_equal(
            black_box(&reference),
            black_box(candidate),
        ));
    });
    eprintln!(
        "early-exit control: t = {:.2}, trimmed mean per batch of {BATCH}: first byte differs \
         {:.0} ns, last byte differs {:.0} ns, {PER_CLASS} batches per class in {:?}",
        measurement.t,
        measurement.first_mean_ns,
        measurement.last_mean_ns,
        start.elapsed()
    );

    assert!(
        measurement.t.abs() > T_THRESHOLD,
        "the harness missed an early-exit comparison: t = {:.2}",
        measurement.t
    );
}

#[test]
fn harness_detects_leak_inside_verify() {
    // Each sample is a verify followed by an early-exit comparison of the 64 digest bytes. The
    // comparison adds a leak as wide as a non-constant-time digest comparison in verify would,
    // on top of verify's own noise. 2,000 batches per class gave |t| of 117 and 167 in two debug
    // runs on a shared 2-core machine, but once only 8.6 on a clean CI build, so 6,000 are used.
    const PER_CLASS: usize = 6_000;
    const BATCH: usize = 16;
    let _serial = serial();

    let verifier = small_verifier();
    let password = Password::from("correct horse battery staple");
    let real_bytes = Sha512::digest(password.as_bytes()).to_vec();
    let real = base16ct::lower::encode_string(&real_bytes);
    let first_differs = change_hex_digit(&real, 1);
    let last_differs = change_hex_digit(&real, 127);
    let first_bytes = base16ct::lower::decode_vec(&first_differs).expect("hex");
    let last_bytes = base16ct::lower::decode_vec(&last_differs).expect("hex");

    // Busy machines shrink t, so up to three runs are made and the clearest decides.
    let mut t_values = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let measurement = measure(PER_CLASS, BATCH, |class| {
            let (stored, stored_bytes) = match class {
                Class::FirstDiffers => (first_differs.as_str(), first_bytes.as_slice()),
                Class::LastDiffers => (last_differs.as_str(), last_bytes.as_slice()),
            };
            let verdict = verifier.verify(&password, black_box(stored), Some(Method::Sha512));
            black_box(verdict.is_ok());
            black_box(early_exit_equal(
                black_box(&real_bytes),
                black_box(stored_bytes),
            ));
        });
        eprintln!(
            "verify with early-exit control: t = {:.2}, trimmed mean per batch of {BATCH}: \
             first byte differs {:.0} ns, last byte differs {:.0} ns, {PER_CLASS} batches per \
             class in {:?}",
            measurement.t,
            measurement.first_mean_ns,
            measurement.last_mean_ns,
            start.elapsed()
        );
        t_values.push(measurement.t);
        if measurement.t.abs() > T_THRESHOLD {
            return;
        }
    }
    panic!("the harness missed a 64-byte early-exit comparison inside verify: t = {t_values:.2?}");
}
