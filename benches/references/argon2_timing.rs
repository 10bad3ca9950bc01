//! Times one Argon2id (m=19456 KiB, t=2, p=1, 32-byte output) per request, for
//! `benches/references/compare_argon2.py`, which alternates its requests with those to the C
//! harness in the same directory.
//!
//! Usage: `argon2_timing PASSWORD STORED`, where STORED is the PHC string of the expected output.
//! Prints `ready`, then reads one request per input line and writes `<nanoseconds> <result>`:
//!
//! - `engine`: `Verifier::verify` of STORED under the default policy, which wipes the memory
//!   matrix; the result is `valid` or `invalid`.
//! - `engine-no-wipe`: the same with `wipe_argon2_memory: false`.
//! - `crate`: the `argon2` crate's `hash_password_into_with_memory` on a reused matrix; the
//!   result is the output in hex.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use pwmigrate::{Password, Policy, Verifier};

/// Decodes unpadded standard base64, the encoding of PHC string fields.
fn decode_b64(text: &str) -> Option<Vec<u8>> {
    use base64ct::{Base64Unpadded, Encoding};
    Base64Unpadded::decode_vec(text).ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, password, stored] = args.as_slice() else {
        eprintln!("usage: argon2_timing PASSWORD STORED");
        return ExitCode::from(2);
    };
    // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<output>
    let Some(salt) = stored.split('$').nth(4).and_then(decode_b64) else {
        eprintln!("argon2_timing: STORED has no valid salt field");
        return ExitCode::from(2);
    };

    let engine = Verifier::new(Policy::default()).expect("default policy");
    let engine_no_wipe = Verifier::new(Policy {
        wipe_argon2_memory: false,
        ..Policy::default()
    })
    .expect("policy without wipe");
    let params = Params::new(19_456, 2, 1, Some(32)).expect("policy parameters");
    let context = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut memory = vec![Block::new(); params.block_count()];
    let secret = Password::from(password.as_str());

    println!("ready");
    let mut stdout = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read request");
        let start = Instant::now();
        let result = match line.trim() {
            "engine" | "engine-no-wipe" => {
                let verifier = if line.trim() == "engine" {
                    &engine
                } else {
                    &engine_no_wipe
                };
                let verdict = verifier
                    .verify(&secret, stored, None)
                    .expect("stored hash verifies");
                if verdict.is_valid() {
                    "valid"
                } else {
                    "invalid"
                }
                .to_string()
            }
            "crate" => {
                let mut out = [0u8; 32];
                context
                    .hash_password_into_with_memory(
                        password.as_bytes(),
                        &salt,
                        &mut out,
                        &mut memory,
                    )
                    .expect("argon2 crate hash");
                base16ct::lower::encode_string(&out)
            }
            other => {
                eprintln!("argon2_timing: unknown request {other:?}");
                return ExitCode::from(2);
            }
        };
        let nanoseconds = start.elapsed().as_nanos();
        writeln!(stdout, "{nanoseconds} {result}").expect("write result");
        stdout.flush().expect("flush result");
    }
    ExitCode::SUCCESS
}
