//! `pwmigrate calibrate`: Argon2id parameters whose verify takes about a target time here.
//!
//! The search is memory first. At t=1 it looks for the largest memory cost between
//! `--min-memory` and `--max-memory` whose verify fits in the target: it extrapolates from the
//! last measurement that fit, assuming time grows linearly with memory, and once one
//! measurement is over the target it interpolates between the two. Then, at that memory cost,
//! it raises t: each step predicts the passes that fit from the time per pass of the latest
//! measurement, kept between the last t that fit and the first t that was over. Passes stop at
//! the policy's limits on t and on m × t.

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use pwmigrate::bench::Sample;
use pwmigrate::{Argon2Target, Limits, Password, Policy, Verifier};
use serde_json::{Value, json};

use crate::Failure;
use crate::output::Printer;

#[derive(Debug, Args)]
pub(crate) struct CalibrateArgs {
    /// Verify time to aim for, in milliseconds, 1 to 60000.
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..=60_000))]
    target_ms: u64,
    /// Largest memory cost to consider: a whole number with a KiB, MiB or GiB suffix (a bare
    /// number is KiB), at most the policy limit of 256 MiB.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: u32,
    /// Smallest memory cost to consider, in the same units. The default, 19456 KiB, is the
    /// OWASP minimum for Argon2id at t=2.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "19456KiB")]
    min_memory: u32,
    /// Number of lanes (p), 1 to 16. pwmigrate computes the lanes one after another on one
    /// thread, so p does not shorten the time.
    #[arg(long, value_name = "LANES", default_value_t = 1)]
    parallelism: u32,
    /// Print one JSON object instead of text. Progress still goes to standard error.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Most memory steps and pass steps; each step is one measurement.
const MAX_MEMORY_STEPS: usize = 12;
const MAX_PASS_STEPS: usize = 6;

/// Time spent on repeats per measurement, after the warm-up run, in milliseconds.
const REPEAT_BUDGET_MS: f64 = 200.0;

/// Parses a size such as `64MiB`, `19456KiB`, `1GiB` or `4096` (KiB) into KiB.
fn parse_size(text: &str) -> Result<u32, String> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, suffix) = text.split_at(digits_end);
    let multiplier: u64 = match suffix.trim_start() {
        "" | "KiB" => 1,
        "MiB" => 1024,
        "GiB" => 1024 * 1024,
        _ => 0,
    };
    let invalid = || {
        format!(
            "invalid size {text:?}: use a whole number with a KiB, MiB or GiB suffix, such as 64MiB"
        )
    };
    if digits.is_empty() || multiplier == 0 {
        return Err(invalid());
    }
    let kib = digits
        .parse::<u64>()
        .ok()
        .and_then(|value| value.checked_mul(multiplier))
        .ok_or_else(invalid)?;
    u32::try_from(kib).map_err(|_| format!("size {text:?} is above 4 TiB"))
}

/// One timed Argon2id verify setting.
#[derive(Debug, Clone, Copy)]
struct Measurement {
    memory_kib: u32,
    iterations: u32,
    ms: f64,
}

/// The chosen parameters and why the search stopped where it did.
struct Outcome {
    chosen: Measurement,
    /// Policy limit that stopped the search below the target, if one did.
    limited_by: Option<&'static str>,
    /// The first pass count over the target at the chosen memory, with its time, when the
    /// chosen one is well under the target.
    over: Option<Measurement>,
    measurements: Vec<Measurement>,
}

/// Notes that every report carries: what the times include.
const TIMING_NOTE: &str = "times are verifies on memory reused between calls; a fresh process \
                           or a first call also maps the memory, a few ms more at these sizes";

struct Calibrator {
    verifier: Verifier,
    password: Password,
    parallelism: u32,
    measurements: Vec<Measurement>,
}

impl Calibrator {
    /// Times verifies at `memory_kib` and `iterations`: a warm-up run, which also allocates the
    /// matrix, then the median of as many repeats as fit in the repeat budget, at least one.
    fn measure(&mut self, memory_kib: u32, iterations: u32) -> Result<Measurement, Failure> {
        let stored = Sample::Argon2id {
            memory_kib,
            iterations,
            parallelism: self.parallelism,
        }
        .stored_hash()?;
        let warm_up = self.time_verify(&stored)?;
        let repeats = (REPEAT_BUDGET_MS / warm_up.max(0.001)).clamp(1.0, 5.0) as usize;
        let mut times = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            times.push(self.time_verify(&stored)?);
        }
        times.sort_by(f64::total_cmp);
        let measurement = Measurement {
            memory_kib,
            iterations,
            ms: times[times.len() / 2],
        };
        eprintln!(
            "pwmigrate: calibrate: m={memory_kib} KiB t={iterations} p={}: {:.2} ms",
            self.parallelism, measurement.ms
        );
        self.measurements.push(measurement);
        Ok(measurement)
    }

    fn time_verify(&self, stored: &str) -> Result<f64, Failure> {
        let started = Instant::now();
        let _verdict = self.verifier.verify(&self.password, stored, None)?;
        Ok(started.elapsed().as_secs_f64() * 1e3)
    }
}

pub(crate) fn run(printer: &Printer, args: &CalibrateArgs) -> Result<ExitCode, Failure> {
    let limits = Limits::default();
    check_args(args, &limits)?;

    // The verifier's own target only sets its dummy hash for unknown users, which calibrate
    // never verifies. The timed verifies use the parameters of the stored strings.
    let policy = Policy {
        target: Argon2Target {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
            ..Argon2Target::OWASP_MINIMUM
        },
        limits,
        ..Policy::default()
    };
    let verifier = Verifier::new(policy)?.with_argon2_concurrency(1);
    let mut calibrator = Calibrator {
        verifier,
        password: Password::from("pwmigrate calibrate password"),
        parallelism: args.parallelism,
        measurements: Vec::new(),
    };
    let target_ms = args.target_ms as f64;
    let memory = search_memory(&mut calibrator, args, target_ms)?;
    let outcome = search_passes(&mut calibrator, memory, &limits, target_ms)?;

    let target = Argon2Target {
        memory_kib: outcome.chosen.memory_kib,
        iterations: outcome.chosen.iterations,
        parallelism: args.parallelism,
        ..Argon2Target::OWASP_MINIMUM
    };
    warn_if_below_default(&target);
    let example_policy = Policy {
        target,
        ..Policy::default()
    };
    let example = pwmigrate::hash(&random_password()?, &example_policy)?;
    if printer.is_json() {
        printer.summary_json(&json_report(args, &outcome, &target, &example))?;
    } else {
        crate::output::print_text(&text_report(args, &outcome, &target, &example))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks the options against each other and the policy limits before any measurement.
fn check_args(args: &CalibrateArgs, limits: &Limits) -> Result<(), Failure> {
    let invalid = |message: String| Err(Failure::Kind("invalid_policy", message));
    if args.parallelism == 0 || args.parallelism > limits.argon2_max_parallelism {
        return invalid(format!(
            "--parallelism must be 1 to {}, got {}",
            limits.argon2_max_parallelism, args.parallelism
        ));
    }
    let lanes_minimum = 8 * args.parallelism;
    for (option, kib) in [
        ("--max-memory", args.max_memory),
        ("--min-memory", args.min_memory),
    ] {
        if kib < lanes_minimum {
            return invalid(format!(
                "{option} must be at least 8 KiB per lane ({lanes_minimum} KiB for p={}), got \
                 {kib} KiB",
                args.parallelism
            ));
        }
        if kib > limits.argon2_max_memory_kib {
            return invalid(format!(
                "{option} must be at most the policy limit of {} KiB ({} MiB), got {kib} KiB",
                limits.argon2_max_memory_kib,
                limits.argon2_max_memory_kib / 1024
            ));
        }
    }
    if args.min_memory > args.max_memory {
        return invalid(format!(
            "--min-memory ({} KiB) is above --max-memory ({} KiB); lower --min-memory",
            args.min_memory, args.max_memory
        ));
    }
    Ok(())
}

/// Finds the largest memory cost at t=1 whose verify fits in the target.
fn search_memory(
    calibrator: &mut Calibrator,
    args: &CalibrateArgs,
    target_ms: f64,
) -> Result<Measurement, Failure> {
    let mut fit = calibrator.measure(args.min_memory, 1)?;
    if fit.ms > target_ms {
        return Err(Failure::Kind(
            "target_unreachable",
            format!(
                "target {} ms is below the {:.2} ms of one verify at the smallest allowed \
                 memory ({} KiB, t=1, p={}); raise --target-ms or lower --min-memory",
                args.target_ms, fit.ms, args.min_memory, args.parallelism
            ),
        ));
    }
    let mut over: Option<Measurement> = None;
    for _ in 0..MAX_MEMORY_STEPS {
        let guess = match over {
            // Aim 5 % under the target, because the time grows a little faster than memory.
            None => f64::from(fit.memory_kib) * (target_ms * 0.95 / fit.ms.max(0.001)),
            Some(over) => {
                let slope = (over.ms - fit.ms) / f64::from(over.memory_kib - fit.memory_kib);
                f64::from(fit.memory_kib) + (target_ms - fit.ms) / slope.max(1e-9)
            }
        };
        let ceiling = over.map_or(args.max_memory, |over| over.memory_kib - 1);
        let guess =
            round_memory(guess.min(f64::from(ceiling)) as u32, args.parallelism).min(ceiling);
        if guess <= fit.memory_kib {
            break;
        }
        let measured = calibrator.measure(guess, 1)?;
        if measured.ms <= target_ms {
            fit = measured;
        } else {
            over = Some(measured);
        }
        let close = over.is_some_and(|over| {
            u64::from(over.memory_kib - fit.memory_kib) * 32 <= u64::from(fit.memory_kib)
        });
        if fit.memory_kib == args.max_memory || close {
            break;
        }
    }
    Ok(fit)
}

/// Rounds a memory cost down to whole MiB from 8 MiB up, else to whole 8 KiB per lane.
fn round_memory(kib: u32, parallelism: u32) -> u32 {
    let step = if kib >= 8192 { 1024 } else { 8 * parallelism };
    (kib / step * step).max(8 * parallelism)
}

/// Raises t at the memory cost `memory` found while the verify stays within the target.
fn search_passes(
    calibrator: &mut Calibrator,
    memory: Measurement,
    limits: &Limits,
    target_ms: f64,
) -> Result<Outcome, Failure> {
    let work_cap = limits.argon2_max_work / u64::from(memory.memory_kib);
    let max_passes = u32::try_from(work_cap)
        .unwrap_or(u32::MAX)
        .min(limits.argon2_max_iterations)
        .max(1);
    let mut fit = memory;
    let mut over_at: Option<u32> = None;
    let mut over: Option<Measurement> = None;
    let mut latest = memory;
    for _ in 0..MAX_PASS_STEPS {
        // Predict from the time per pass of the latest measurement, inside the bracket
        // between the last t that fit and the first t that was over.
        let per_pass = latest.ms / f64::from(latest.iterations);
        let predicted = (target_ms / per_pass.max(0.001)).floor() as u32;
        let ceiling = over_at.map_or(max_passes, |over| over - 1).min(max_passes);
        let next = predicted.clamp(fit.iterations + 1, ceiling.max(fit.iterations + 1));
        if next > ceiling {
            break;
        }
        latest = calibrator.measure(memory.memory_kib, next)?;
        if latest.ms <= target_ms {
            fit = latest;
        } else {
            over_at = Some(next);
            over = Some(latest);
        }
    }

    let limited_by = match over_at {
        None if fit.iterations == max_passes && max_passes < limits.argon2_max_iterations => {
            Some("the policy limit on memory x passes")
        }
        None if fit.iterations == max_passes => Some("the policy limit on passes"),
        _ => None,
    };
    // Memory is searched first, so a big step in time from t to t + 1 can leave the result
    // well under the target. The report then names the step.
    let over = over.filter(|_| fit.ms < 0.8 * target_ms);
    Ok(Outcome {
        chosen: fit,
        limited_by,
        over,
        measurements: calibrator.measurements.clone(),
    })
}

/// Warns when the result does less work than the default policy, the OWASP minimum.
fn warn_if_below_default(target: &Argon2Target) {
    let minimum = Argon2Target::OWASP_MINIMUM;
    let work = u64::from(target.memory_kib) * u64::from(target.iterations);
    if work < u64::from(minimum.memory_kib) * u64::from(minimum.iterations) {
        eprintln!(
            "pwmigrate: warning: m={} t={} does less work (memory x passes) than the OWASP \
             minimum for Argon2id (m=19456, t=2, p=1)",
            target.memory_kib, target.iterations
        );
    }
}

fn random_password() -> Result<Password, Failure> {
    let mut bytes = vec![0u8; 24];
    getrandom::fill(&mut bytes).map_err(pwmigrate::Error::Randomness)?;
    Ok(Password::new(bytes))
}

fn text_report(
    args: &CalibrateArgs,
    outcome: &Outcome,
    target: &Argon2Target,
    example: &str,
) -> String {
    let chosen = &outcome.chosen;
    let mut text = format!(
        "Argon2id m={} KiB, t={}, p={}: {:.2} ms per verify on this machine (target {} ms, \
         {} measurements)\n",
        target.memory_kib,
        target.iterations,
        target.parallelism,
        chosen.ms,
        args.target_ms,
        outcome.measurements.len()
    );
    if let Some(limit) = outcome.limited_by {
        text.push_str(&format!(
            "note: {limit} stopped the search below the target\n"
        ));
    }
    if let Some(over) = &outcome.over {
        text.push_str(&format!(
            "note: t={} took {:.2} ms, over the target, so the result stays at t={}; the search \
             keeps memory first, so a smaller --max-memory with more passes may come closer\n",
            over.iterations, over.ms, chosen.iterations
        ));
    }
    text.push_str(&format!("note: {TIMING_NOTE}\n"));
    text.push_str(&format!(
        "\nPolicy for the library:\n\n\
         Policy {{\n    \
             target: Argon2Target {{\n        \
                 memory_kib: {},\n        \
                 iterations: {},\n        \
                 parallelism: {},\n        \
                 salt_len: {},\n        \
                 output_len: {},\n    \
             }},\n    \
             ..Policy::default()\n\
         }}\n\n\
         Command line: pwmigrate hash -m {} -t {} -p {}\n\n\
         Example PHC string, of a random password: {example}\n",
        target.memory_kib,
        target.iterations,
        target.parallelism,
        target.salt_len,
        target.output_len,
        target.memory_kib,
        target.iterations,
        target.parallelism,
    ));
    text
}

fn json_report(
    args: &CalibrateArgs,
    outcome: &Outcome,
    target: &Argon2Target,
    example: &str,
) -> Value {
    let measurements: Vec<Value> = outcome
        .measurements
        .iter()
        .map(|m| {
            json!({ "memory_kib": m.memory_kib, "iterations": m.iterations, "ms": round_ms(m.ms) })
        })
        .collect();
    json!({
        "target_ms": args.target_ms,
        "measured_ms": round_ms(outcome.chosen.ms),
        "memory_kib": target.memory_kib,
        "iterations": target.iterations,
        "parallelism": target.parallelism,
        "salt_len": target.salt_len,
        "output_len": target.output_len,
        "limited_by": outcome.limited_by,
        "over_target": outcome.over.map(|m| json!({ "iterations": m.iterations, "ms": round_ms(m.ms) })),
        "note": TIMING_NOTE,
        "measurements": measurements,
        "hash_command": format!(
            "pwmigrate hash -m {} -t {} -p {}",
            target.memory_kib, target.iterations, target.parallelism
        ),
        "example": example,
    })
}

/// Rounds milliseconds to whole microseconds, which is all the clock and the noise support.
fn round_ms(ms: f64) -> f64 {
    (ms * 1e3).round() / 1e3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("64MiB"), Ok(65_536));
        assert_eq!(parse_size("19456KiB"), Ok(19_456));
        assert_eq!(parse_size("1GiB"), Ok(1_048_576));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64 MiB"), Ok(65_536));
    }

    #[test]
    fn bad_sizes_rejected() {
        for text in [
            "12XB",
            "",
            "MiB",
            "1.5GiB",
            "-4KiB",
            "64mb",
            "99999999999GiB",
        ] {
            assert!(parse_size(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn memory_rounds_down() {
        assert_eq!(round_memory(20_000, 1), 19_456);
        assert_eq!(round_memory(100, 1), 96);
        assert_eq!(round_memory(3, 2), 16);
    }
}
