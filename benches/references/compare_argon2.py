#!/usr/bin/env python3
"""Interleaved Argon2id timing: pwmigrate against libsodium, libargon2 and the argon2 crate.

Runs two long-lived processes, the C harness argon2id_references.c (libsodium's crypto_pwhash
and libargon2's argon2id_hash_raw) and the Rust program argon2_timing.rs (pwmigrate's engine and
the argon2 crate), and sends one request to each case in turn, round after round, so that every
case runs under the same machine load. All cases hash the same password and salt at m=19456 KiB,
t=2, p=1 with a 32-byte output, and the script stops if any output differs from libsodium's.

Usage, from the repository root:
    python3 benches/references/compare_argon2.py [ROUNDS]   (default 40, after 5 warm-up rounds)

Needs a C compiler, libsodium-dev and libargon2-dev; it builds both programs itself.
"""

import base64
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
SALT = bytes(range(16))
WARM_UP_ROUNDS = 5

# libsodium maps and zero-fills a fresh matrix on every call, and the kernel counts that as
# system time. This row is the user-CPU part of its wall time, which is its hashing alone.
SODIUM_USER = "libsodium 1.0.18 crypto_pwhash, user CPU only"

# (label, process, request); the first case is the baseline of every ratio.
CASES = [
    ("libsodium 1.0.18 crypto_pwhash", "c", "sodium"),
    ("libargon2 argon2id_hash_raw", "c", "libargon2"),
    ("argon2 crate 0.6, reused matrix", "rust", "crate"),
    ("pwmigrate engine verify, matrix wiped (default)", "rust", "engine"),
    ("pwmigrate engine verify, no wipe", "rust", "engine-no-wipe"),
]


def build():
    binary = ROOT / "target" / "argon2id_references"
    binary.parent.mkdir(exist_ok=True)
    subprocess.run(
        ["cc", "-O2", "-o", str(binary), str(ROOT / "benches/references/argon2id_references.c"),
         "-lsodium", "-largon2"],
        check=True,
    )
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "argon2_timing"],
        cwd=ROOT, check=True,
    )
    return binary, ROOT / "target" / "release" / "examples" / "argon2_timing"


def start(command):
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        sys.exit(f"compare_argon2: {command[0]} did not start")
    return process


def request(process, name):
    """Returns the wall-clock nanoseconds, the result, and the user-CPU microseconds where the
    harness reports them (the C one does)."""
    process.stdin.write(name + "\n")
    process.stdin.flush()
    line = process.stdout.readline().split()
    if len(line) not in (2, 4):
        sys.exit(f"compare_argon2: no answer to {name}")
    user_us = int(line[2]) if len(line) == 4 else None
    return int(line[0]), line[1], user_us


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    c_binary, rust_binary = build()
    c_process = start([str(c_binary), PASSWORD, SALT.hex()])
    _, expected_hex, _ = request(c_process, "sodium")
    b64 = lambda data: base64.b64encode(data).decode().rstrip("=")
    stored = f"$argon2id$v=19$m=19456,t=2,p=1${b64(SALT)}${b64(bytes.fromhex(expected_hex))}"
    rust_process = start([str(rust_binary), PASSWORD, stored])
    processes = {"c": c_process, "rust": rust_process}

    times = {label: [] for label, _, _ in CASES}
    times[SODIUM_USER] = []
    for round_index in range(WARM_UP_ROUNDS + rounds):
        # Rotate the order each round, so that no case always follows the same one.
        shift = round_index % len(CASES)
        for label, process, name in CASES[shift:] + CASES[:shift]:
            nanoseconds, result, user_us = request(processes[process], name)
            if result not in (expected_hex, "valid"):
                sys.exit(f"compare_argon2: {label} returned {result}, libsodium {expected_hex}")
            if round_index >= WARM_UP_ROUNDS:
                times[label].append(nanoseconds / 1e6)
                if name == "sodium":
                    times[SODIUM_USER].append(user_us / 1e3)

    baseline = times[CASES[0][0]]
    print(f"{rounds} interleaved rounds, outputs equal to libsodium's ({expected_hex[:16]}...)")
    print()
    print("| case | median ms | p10 - p90 ms | median / libsodium | median of per-round ratios |")
    print("|---|---|---|---|---|")
    for label in [label for label, _, _ in CASES] + [SODIUM_USER]:
        samples = sorted(times[label])
        deciles = statistics.quantiles(samples, n=10)
        paired = statistics.median(a / b for a, b in zip(times[label], baseline))
        print(
            f"| {label} | {statistics.median(samples):.2f} | {deciles[0]:.2f} - {deciles[-1]:.2f}"
            f" | {statistics.median(samples) / statistics.median(baseline):.3f} | {paired:.3f} |"
        )
    print()
    engine = times["pwmigrate engine verify, matrix wiped (default)"]
    engine_no_wipe = times["pwmigrate engine verify, no wipe"]
    crate = times["argon2 crate 0.6, reused matrix"]
    for name, ours, reference in [
        ("engine / libsodium", engine, baseline),
        ("engine, no wipe / libsodium", engine_no_wipe, baseline),
        ("engine / libsodium user CPU", engine, times[SODIUM_USER]),
        ("engine, no wipe / libsodium user CPU", engine_no_wipe, times[SODIUM_USER]),
        ("engine / argon2 crate", engine, crate),
        ("engine, no wipe / argon2 crate", engine_no_wipe, crate),
    ]:
        paired = statistics.median(a / b for a, b in zip(ours, reference))
        print(f"{name}: {statistics.median(ours) / statistics.median(reference):.3f} "
              f"(paired per round: {paired:.3f})")
    for process in processes.values():
        process.stdin.close()
        process.wait()


if __name__ == "__main__":
    main()
