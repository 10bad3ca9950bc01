//! `pwmigrate bench`: verify time and hashes per second per core for each scheme.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use pwmigrate::bench::Sample;
use pwmigrate::{Argon2Target, Password, Policy, Verifier};
use serde_json::{Map, Value, json};

use crate::Failure;
use crate::output::Printer;
use crate::timing::{Stats, format_duration, measure};

#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    /// Scheme to measure, by the name `identify` prints: argon2id, bcrypt,
    /// django-pbkdf2-sha256, scrypt, drupal7, sha512-crypt, sha256-crypt, phpass, md5-crypt,
    /// ldap-ssha, sha256, sha1, md5 or sha512. Repeat for several. Default: all of them but
    /// sha512, each at the default cost of the platform that writes it.
    #[arg(long = "scheme", value_name = "SCHEME")]
    schemes: Vec<String>,
    /// Cost parameters as NAME=VALUE,...: m (KiB), t and p for argon2id; cost for bcrypt;
    /// iterations for django-pbkdf2-sha256; rounds for sha-crypt; log2_rounds for phpass and
    /// drupal7; ln, r and p for scrypt. Each applies to every selected scheme that takes it.
    #[arg(long = "params", value_name = "NAME=VALUE,...")]
    params: Vec<String>,
    /// Number of timed samples per scheme, 3 to 1000. Each sample times a batch of verifies whose
    /// size is chosen from one first verify to last about 5 ms.
    #[arg(long, value_name = "N", default_value_t = 11)]
    samples: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// The shortest sample: long enough that the clock's resolution does not show.
const MIN_SAMPLE: Duration = Duration::from_millis(5);

/// One measured row of the table.
struct Row {
    sample: Sample,
    stats: Stats,
}

pub(crate) fn run(printer: &Printer, args: &BenchArgs) -> Result<ExitCode, Failure> {
    if !(3..=1000).contains(&args.samples) {
        return Err(Failure::Usage(format!(
            "--samples must be 3 to 1000, got {}",
            args.samples
        )));
    }
    let mut samples = select_schemes(&args.schemes)?;
    apply_params(&mut samples, &args.params)?;

    // Build and bound every stored hash before timing anything, so a bad option costs no work.
    let policy = Policy::default();
    let mut stored = Vec::with_capacity(samples.len());
    for sample in &samples {
        let hash = sample.stored_hash().map_err(|err| match err {
            pwmigrate::Error::InvalidPolicy { detail } => {
                Failure::Usage(format!("invalid --params: {detail}"))
            }
            other => Failure::Engine(other),
        })?;
        let found = pwmigrate::identify(&hash, None, &policy)?;
        if let Some(err) = found.limit_error {
            return Err(Failure::Engine(err));
        }
        stored.push(hash);
    }

    let verifier = Verifier::new(policy)?.with_argon2_concurrency(1);
    let password = Password::from("pwmigrate bench password");
    let progress = std::io::stderr().is_terminal() && !printer.is_json();
    let mut rows = Vec::with_capacity(samples.len());
    for (sample, hash) in samples.iter().zip(&stored) {
        if progress {
            eprintln!(
                "pwmigrate: measuring {} {}",
                sample.kind(),
                params_text(sample)
            );
        }
        let stats = measure(args.samples, MIN_SAMPLE, || {
            verifier.verify(&password, hash, None).map(|_| ())
        })?;
        rows.push(Row {
            sample: *sample,
            stats,
        });
    }

    if printer.is_json() {
        printer.summary_json(&json_report(&rows))?;
    } else {
        crate::output::print_text(&text_report(&rows, args.samples))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Returns the samples for the `--scheme` names at their platform defaults, or every default
/// but SHA-512 when no name is given.
fn select_schemes(names: &[String]) -> Result<Vec<Sample>, Failure> {
    let known: Vec<Sample> = Sample::PLATFORM_DEFAULTS
        .iter()
        .copied()
        .chain([Sample::Sha512])
        .collect();
    if names.is_empty() {
        return Ok(Sample::PLATFORM_DEFAULTS.to_vec());
    }
    let mut selected = Vec::with_capacity(names.len());
    for name in names {
        let Some(sample) = known.iter().find(|sample| sample.kind().name() == name) else {
            let choices: Vec<&str> = known.iter().map(|sample| sample.kind().name()).collect();
            return Err(Failure::Usage(format!(
                "unknown --scheme {name:?}: use one of {}",
                choices.join(", ")
            )));
        };
        if selected.contains(sample) {
            return Err(Failure::Usage(format!("--scheme {name} is given twice")));
        }
        selected.push(*sample);
    }
    Ok(selected)
}

/// Parses the `--params` values and sets each on every sample that takes the name.
fn apply_params(samples: &mut [Sample], specs: &[String]) -> Result<(), Failure> {
    let mut seen: Vec<&str> = Vec::new();
    const NAMES: [&str; 9] = [
        "m",
        "t",
        "p",
        "cost",
        "iterations",
        "rounds",
        "log2_rounds",
        "ln",
        "r",
    ];
    for pair in specs.iter().flat_map(|spec| spec.split(',')) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!(
                "invalid --params entry {pair:?}: expected NAME=VALUE"
            )));
        };
        let (name, value) = (name.trim(), value.trim());
        if !NAMES.contains(&name) {
            return Err(Failure::Usage(format!(
                "unknown --params name {name:?}: use one of {}",
                NAMES.join(", ")
            )));
        }
        if seen.contains(&name) {
            return Err(Failure::Usage(format!("--params {name} is given twice")));
        }
        seen.push(name);
        let value: u32 = value.parse().map_err(|_| {
            Failure::Usage(format!(
                "invalid --params {name}={value:?}: expected a whole number from 0 to {}",
                u32::MAX
            ))
        })?;
        let mut taken = false;
        for sample in samples.iter_mut() {
            taken |= set_param(sample, name, value)?;
        }
        if !taken {
            return Err(Failure::Usage(format!(
                "--params {name} applies to none of the selected schemes"
            )));
        }
    }
    Ok(())
}

/// Sets `name` on `sample`; returns whether the sample takes that parameter.
fn set_param(sample: &mut Sample, name: &str, value: u32) -> Result<bool, Failure> {
    let field = match (sample, name) {
        (Sample::Argon2id { memory_kib, .. }, "m") => memory_kib,
        (Sample::Argon2id { iterations, .. }, "t") => iterations,
        (Sample::Argon2id { parallelism, .. }, "p") => parallelism,
        (Sample::Bcrypt { cost }, "cost") => cost,
        (Sample::DjangoPbkdf2Sha256 { iterations }, "iterations") => iterations,
        (Sample::Sha512Crypt { rounds } | Sample::Sha256Crypt { rounds }, "rounds") => rounds,
        (Sample::Phpass { log2_rounds } | Sample::Drupal7 { log2_rounds }, "log2_rounds") => {
            log2_rounds
        }
        (Sample::Scrypt { log2_n, .. }, "ln") => {
            *log2_n = u8::try_from(value)
                .map_err(|_| Failure::Usage(format!("scrypt ln must be 1 to 63, got {value}")))?;
            return Ok(true);
        }
        (Sample::Scrypt { r, .. }, "r") => r,
        (Sample::Scrypt { p, .. }, "p") => p,
        _ => return Ok(false),
    };
    *field = value;
    Ok(true)
}

fn params_text(sample: &Sample) -> String {
    let params: Vec<String> = sample
        .params()
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if params.is_empty() {
        "-".to_string()
    } else {
        params.join(",")
    }
}

/// Explains how the figures were made and what they mean for sign-ins.
fn notes(rows: &[Row], samples: usize) -> Vec<String> {
    let mut notes = vec![
        "Each stored hash has a random salt and digest at the parameters shown, so the \
         password never matches. A wrong password costs the same work as a right one."
            .to_string(),
        format!(
            "One thread, wall time, median of {samples} samples; spread is half the \
             interquartile range."
        ),
    ];
    let policy = Argon2Target::OWASP_MINIMUM;
    let policy_row = rows.iter().find(|row| {
        row.sample
            == Sample::Argon2id {
                memory_kib: policy.memory_kib,
                iterations: policy.iterations,
                parallelism: policy.parallelism,
            }
    });
    let mut sustain = "One core sustains the hashes/s/core figure in sign-ins per second \
                       of that scheme, and n cores at most n times as many."
        .to_string();
    if let Some(row) = policy_row {
        sustain.push_str(&format!(
            " At the policy's Argon2id, the rate for upgraded and unknown users, that is \
             {:.0} per second.",
            row.stats.per_second()
        ));
    }
    sustain.push_str(
        " A valid sign-in with a legacy hash also pays one Argon2id upgrade hash at the policy.",
    );
    notes.push(sustain);
    notes
}

fn text_report(rows: &[Row], samples: usize) -> String {
    let mut table = vec![[
        "scheme".to_string(),
        "params".to_string(),
        "median".to_string(),
        "spread".to_string(),
        "hashes/s/core".to_string(),
    ]];
    for row in rows {
        table.push([
            row.sample.kind().name().to_string(),
            params_text(&row.sample),
            format_duration(row.stats.median_ns),
            format!("±{:.1} %", row.stats.spread_percent()),
            format_rate(row.stats.per_second()),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|column| {
            table
                .iter()
                .map(|line| line[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();

    let mut text = String::new();
    for line in &table {
        text.push_str(&format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}\n",
            line[0],
            line[1],
            line[2],
            line[3],
            line[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        ));
    }
    text.push('\n');
    for note in notes(rows, samples) {
        text.push_str(&format!("note: {note}\n"));
    }
    text
}

fn format_rate(per_second: f64) -> String {
    if per_second >= 100.0 {
        format!("{per_second:.0}")
    } else {
        format!("{per_second:.1}")
    }
}

fn json_report(rows: &[Row]) -> Value {
    let results: Vec<Value> = rows
        .iter()
        .map(|row| {
            let params: Map<String, Value> = row
                .sample
                .params()
                .into_iter()
                .map(|(name, value)| (name.to_string(), Value::from(value)))
                .collect();
            let stats = &row.stats;
            json!({
                "scheme": row.sample.kind().name(),
                "params": params,
                "samples": stats.samples,
                "verifies_per_sample": stats.batch,
                "median_ns": stats.median_ns.round(),
                "q1_ns": stats.q1_ns.round(),
                "q3_ns": stats.q3_ns.round(),
                "min_ns": stats.min_ns.round(),
                "max_ns": stats.max_ns.round(),
                "spread_percent": (stats.spread_percent() * 10.0).round() / 10.0,
                "hashes_per_second_per_core": (stats.per_second() * 10.0).round() / 10.0,
            })
        })
        .collect();
    let samples = rows.first().map_or(0, |row| row.stats.samples);
    json!({ "results": results, "notes": notes(rows, samples) })
}
