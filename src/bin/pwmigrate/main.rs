//! The `pwmigrate` command: verify, identify, hash, import, bench and calibrate from the shell.
//!
//! Exit status: 0 valid (or success), 1 invalid password (or, for import, some records
//! rejected), 2 any error, bad usage included.

mod bench;
mod calibrate;
mod import;
mod input;
mod output;
mod timing;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use pwmigrate::{Argon2Target, Error, Method, Policy, Verifier};

use crate::output::Printer;

/// Verify legacy password hashes in constant time and upgrade them to Argon2id.
///
/// Passwords are read from standard input (the whole input, with one trailing newline removed),
/// or from a prompt without echo when standard input is a terminal. They are never printed.
#[derive(Debug, Parser)]
#[command(name = "pwmigrate", version, after_help = EXIT_STATUS)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_STATUS: &str = "Exit status: 0 valid or success, 1 invalid password (import: some \
                           records rejected), 2 error (malformed or unsupported hash, parameter \
                           above the limits, bad usage, unreadable input).";

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the password on standard input against STORED.
    ///
    /// Prints `valid` or `invalid`. When the stored hash is below policy, a second line contains a
    /// new Argon2id hash of the same password to store in its place.
    Verify(VerifyArgs),
    /// Print the scheme of STORED and its parameters, without a password.
    Identify(IdentifyArgs),
    /// Print a new Argon2id hash of the password on standard input.
    Hash(HashArgs),
    /// Turn a user export into JSON Lines records that `verify` accepts with no extra columns.
    ///
    /// Exit status: 0 when every record was accepted, 1 when some were rejected (see the
    /// rejects file), 2 on a fatal error, in which case no output file is written.
    Import(import::ImportArgs),
    /// Time a verify of each scheme at the given or its platform's default cost.
    ///
    /// Prints the median verify time, its spread and the hashes per second one core computes,
    /// which is the number of sign-ins per second that core sustains for that scheme.
    Bench(bench::BenchArgs),
    /// Find Argon2id parameters whose verify takes about --target-ms on this machine.
    ///
    /// Searches memory first at t=1, up to --max-memory, then raises t while the verify stays
    /// within the target. Prints a policy snippet and an example hash; progress goes to
    /// standard error.
    Calibrate(calibrate::CalibrateArgs),
}

#[derive(Debug, Args)]
struct MethodArgs {
    /// Read STORED as this method instead of recognising it: MD5, SHA1, SHA256, SHA512, Bcrypt,
    /// Argon2i, Argon2id, Argon2d or Legacy (Logto's spellings, case-sensitive).
    #[arg(long, value_name = "METHOD", value_parser = parse_method)]
    method: Option<Method>,
    /// Print one JSON object instead of plain text, errors included.
    #[arg(long)]
    json: bool,
    /// The stored hash. Put `--` before it when it starts with `-`.
    #[arg(value_name = "STORED")]
    stored: String,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    #[command(flatten)]
    common: MethodArgs,
    /// HMAC key for `$pwm-hmac$` stored hashes, as ID=FILE: the key is FILE's bytes with one
    /// trailing newline removed. Repeat for several keys.
    #[arg(long = "hmac-key", value_name = "ID=FILE")]
    hmac_keys: Vec<String>,
}

#[derive(Debug, Args)]
struct IdentifyArgs {
    #[command(flatten)]
    common: MethodArgs,
}

#[derive(Debug, Args)]
struct HashArgs {
    /// Memory cost in KiB (m), at least 8 per lane and at most 262144 (256 MiB).
    #[arg(short = 'm', long, value_name = "KIB", default_value_t = Argon2Target::OWASP_MINIMUM.memory_kib)]
    memory_kib: u32,
    /// Number of passes over memory (t), 1 to 256, with m × t at most 1048576.
    #[arg(short = 't', long, value_name = "PASSES", default_value_t = Argon2Target::OWASP_MINIMUM.iterations)]
    iterations: u32,
    /// Number of lanes (p), 1 to 16.
    #[arg(short = 'p', long, value_name = "LANES", default_value_t = Argon2Target::OWASP_MINIMUM.parallelism)]
    parallelism: u32,
    /// Print one JSON object instead of the bare hash.
    #[arg(long)]
    json: bool,
}

fn parse_method(name: &str) -> Result<Method, String> {
    name.parse::<Method>().map_err(|err| err.to_string())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    let (printer, result) = match &cli.command {
        Command::Verify(args) => {
            let printer = Printer::new(args.common.json);
            (printer, run_verify(&printer, args))
        }
        Command::Identify(args) => {
            let printer = Printer::new(args.common.json);
            (printer, run_identify(&printer, &args.common))
        }
        Command::Hash(args) => {
            let printer = Printer::new(args.json);
            (printer, run_hash(&printer, args))
        }
        Command::Import(args) => {
            let printer = Printer::new(args.json);
            (printer, import::run(&printer, args))
        }
        Command::Bench(args) => {
            let printer = Printer::new(args.json);
            (printer, bench::run(&printer, args))
        }
        Command::Calibrate(args) => {
            let printer = Printer::new(args.json);
            (printer, calibrate::run(&printer, args))
        }
    };
    match result {
        Ok(code) => code,
        // A reader that stops early, as in `pwmigrate identify X | head -c1`, is no failure.
        Err(Failure::Output(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            code_after_pipe()
        }
        Err(err) => {
            printer.error(&err);
            ExitCode::from(2)
        }
    }
}

/// Exit status after the reader of standard output went away: 0, as for a finished command.
fn code_after_pipe() -> ExitCode {
    ExitCode::SUCCESS
}

/// Reports a command-line usage error: as JSON when `--json` was among the arguments, else as
/// clap prints it. Help and version requests print normally and exit 0.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let wants_json = std::env::args().skip(1).any(|arg| arg == "--json");
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) || !wants_json
    {
        let _ = err.print();
        return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
    }
    // clap's message may continue on indented lines (the missing arguments, for one); keep them
    // and drop the usage and help hints that follow.
    let text = err.to_string();
    let lines: Vec<&str> = text
        .lines()
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let joined = lines.join(" ");
    let message = joined.trim_start_matches("error: ");
    let message = if message.is_empty() {
        "invalid usage"
    } else {
        message
    };
    Printer::new(true).error(&Failure::Usage(message.to_string()));
    ExitCode::from(2)
}

/// A failure of the command: an engine error, bad input or options, or a failed write.
#[derive(Debug)]
enum Failure {
    Engine(Error),
    Input(String),
    /// A failure with its own error kind for JSON output.
    Kind(&'static str, String),
    Usage(String),
    Output(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Self {
        Failure::Output(err)
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Engine(err)
    }
}

fn run_verify(printer: &Printer, args: &VerifyArgs) -> Result<ExitCode, Failure> {
    let mut verifier = Verifier::new(Policy::default())?;
    let mut seen = Vec::new();
    for spec in &args.hmac_keys {
        let (id, key) = input::read_key_file(spec)?;
        if seen.contains(&id) {
            return Err(Failure::Input(format!(
                "--hmac-key id {id:?} is given twice"
            )));
        }
        verifier = verifier.with_key(&id, key).map_err(|_| {
            Failure::Input(format!(
                "invalid --hmac-key id {id:?}: use 1 to 64 characters from A-Za-z0-9_-"
            ))
        })?;
        seen.push(id);
    }
    let password = input::read_password(verifier.policy().limits.max_password_bytes)?;
    let verdict = verifier.verify(&password, &args.common.stored, args.common.method)?;
    printer.verdict(&verdict)?;
    Ok(if verdict.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_identify(printer: &Printer, args: &MethodArgs) -> Result<ExitCode, Failure> {
    let identification = pwmigrate::identify(&args.stored, args.method, &Policy::default())?;
    printer.identification(&identification)?;
    Ok(ExitCode::SUCCESS)
}

/// Checks the `hash` options against the default limits, naming the option at fault.
fn check_hash_args(args: &HashArgs, limits: &pwmigrate::Limits) -> Result<(), Failure> {
    let invalid = |message: String| Err(Failure::Kind("invalid_policy", message));
    if args.parallelism == 0 || args.parallelism > limits.argon2_max_parallelism {
        return invalid(format!(
            "--parallelism must be 1 to {}, got {}",
            limits.argon2_max_parallelism, args.parallelism
        ));
    }
    if args.iterations == 0 || args.iterations > limits.argon2_max_iterations {
        return invalid(format!(
            "--iterations must be 1 to {}, got {}",
            limits.argon2_max_iterations, args.iterations
        ));
    }
    let min_memory = 8 * args.parallelism;
    if args.memory_kib < min_memory || args.memory_kib > limits.argon2_max_memory_kib {
        return invalid(format!(
            "--memory-kib must be {min_memory} to {} KiB for parallelism {}, got {}",
            limits.argon2_max_memory_kib, args.parallelism, args.memory_kib
        ));
    }
    let work = u64::from(args.memory_kib) * u64::from(args.iterations);
    if work > limits.argon2_max_work {
        return invalid(format!(
            "--memory-kib times --iterations must be at most {}, got {work}",
            limits.argon2_max_work
        ));
    }
    Ok(())
}

fn run_hash(printer: &Printer, args: &HashArgs) -> Result<ExitCode, Failure> {
    let mut policy = Policy::default();
    check_hash_args(args, &policy.limits)?;
    let minimum = Argon2Target::OWASP_MINIMUM;
    if args.memory_kib < minimum.memory_kib || args.iterations < minimum.iterations {
        eprintln!(
            "pwmigrate: warning: m={} t={} is below the OWASP minimum for Argon2id (m=19456, t=2, p=1)",
            args.memory_kib, args.iterations
        );
    }
    policy.target.memory_kib = args.memory_kib;
    policy.target.iterations = args.iterations;
    policy.target.parallelism = args.parallelism;
    policy.validate()?;

    let password = input::read_password(policy.limits.max_password_bytes)?;
    let new_hash = pwmigrate::hash(&password, &policy)?;
    printer.new_hash(&new_hash)?;
    Ok(ExitCode::SUCCESS)
}
