//! The `pwmigrate` command: verify, identify and hash from the shell.
//!
//! Exit status: 0 valid (or success), 1 invalid password, 2 any error, bad usage included.

mod import;
mod input;
mod output;

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

const EXIT_STATUS: &str = "Exit status: 0 valid or success, 1 invalid password, 2 error \
                           (malformed or unsupported hash, parameter above the limits, bad usage).";

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
    let cli = Cli::parse();
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
        Command::Import(args) => (Printer::new(false), import::run(args)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            printer.error(&err);
            ExitCode::from(2)
        }
    }
}

/// A failure of the command: an engine error, or a problem reading the password.
#[derive(Debug)]
enum Failure {
    Engine(Error),
    Input(String),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Engine(err)
    }
}

fn run_verify(printer: &Printer, args: &VerifyArgs) -> Result<ExitCode, Failure> {
    let mut verifier = Verifier::new(Policy::default())?;
    for spec in &args.hmac_keys {
        let (id, key) = input::read_key_file(spec)?;
        verifier = verifier.with_key(&id, key)?;
    }
    let password = input::read_password(verifier.policy().limits.max_password_bytes)?;
    let verdict = verifier.verify(&password, &args.common.stored, args.common.method)?;
    printer.verdict(&verdict);
    Ok(if verdict.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_identify(printer: &Printer, args: &MethodArgs) -> Result<ExitCode, Failure> {
    let identification = pwmigrate::identify(&args.stored, args.method, &Policy::default())?;
    printer.identification(&identification);
    Ok(ExitCode::SUCCESS)
}

fn run_hash(printer: &Printer, args: &HashArgs) -> Result<ExitCode, Failure> {
    let mut policy = Policy::default();
    policy.target.memory_kib = args.memory_kib;
    policy.target.iterations = args.iterations;
    policy.target.parallelism = args.parallelism;
    policy.validate()?;

    let password = input::read_password(policy.limits.max_password_bytes)?;
    let new_hash = pwmigrate::hash(&password, &policy)?;
    printer.new_hash(&new_hash);
    Ok(ExitCode::SUCCESS)
}
