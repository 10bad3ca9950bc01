#!/usr/bin/env python3
"""Run pwmigrate and reference implementations interleaved and print a table of time ratios.

benches/references.sh builds the programs and calls this script; see that file for the setup.
Every pair first passes a cross-check: a stored hash made by one side verifies on the other,
a wrong password is rejected, and bulk digests are equal. Then each round runs every pair's
pwmigrate side and reference side back to back, alternating which goes first. For each pair the
table reports the median time of each side over the rounds, and the median, minimum and maximum
of the per-round ratios pwmigrate / reference. A ratio under 1 means pwmigrate is faster.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

PASSWORD = "correct horse battery staple"
WRONG = "wrong horse battery staple"
POLICY = (19456, 2, 1)
BULK_BYTES = 1 << 20


class CheckFailed(Exception):
    """A cross-check between pwmigrate and a reference disagreed."""


def run_json(command):
    """Run a timing command and merge the JSON objects it prints, one per line."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CheckFailed(f"{command[0]} {command[1]} failed: {result.stderr.strip()}")
    merged = {}
    for line in result.stdout.splitlines():
        merged.update(json.loads(line))
    return merged


def run_text(command):
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CheckFailed(f"{command[0]} {command[1]} failed: {result.stderr.strip()}")
    return result.stdout.strip()


class Programs:
    def __init__(self, args):
        self.pwmigrate = args.pwmigrate
        self.timing = args.timing
        self.compare = args.compare
        self.python = args.python
        self.samples = str(args.samples)

    def pw_verify(self, password, stored):
        return run_json([self.timing, "verify", self.samples, password, stored])

    def expect(self, result, verdict, description):
        if result.get("verdict") != verdict:
            raise CheckFailed(f"{description}: expected {verdict}, got {result.get('verdict')}")
        print(f"check: {description}: {verdict}", file=sys.stderr)


def cross_check(programs):
    """Make stored hashes on each side, verify them on the other, and return them by pair."""
    p = programs
    m, t, lanes = POLICY
    stored = {}

    sodium = run_text([p.compare, "sodium-hash", str(m), str(t), PASSWORD])
    p.expect(p.pw_verify(PASSWORD, sodium), "valid", "libsodium hash, pwmigrate verify")
    p.expect(p.pw_verify(WRONG, sodium), "invalid", "libsodium hash, wrong password")
    stored["argon2id"] = sodium

    fixed = run_text([p.compare, "argon2-hash", str(m), str(t), str(lanes), PASSWORD, "fixedsaltfixedsa"])
    p.expect(p.pw_verify(PASSWORD, fixed), "valid", "libargon2 hash at a fixed salt, pwmigrate verify")

    ours = run_json([p.timing, "hash-argon2id", "1", str(m), str(t), str(lanes), PASSWORD])["stored"]
    for reference in ("sodium-verify", "argon2-verify"):
        result = run_json([p.compare, reference, "1", PASSWORD, ours])
        p.expect(result, "valid", f"pwmigrate hash, {reference}")
        result = run_json([p.compare, reference, "1", WRONG, ours])
        p.expect(result, "invalid", f"pwmigrate hash, {reference} with a wrong password")

    for name, setting in (
        ("bcrypt", "$2b$10$abcdefghijklmnopqrstuu"),
        ("sha512-crypt", "$6$saltsaltsaltsalt"),
        ("md5-crypt", "$1$saltsalt"),
    ):
        theirs = run_text([p.compare, "crypt-hash", setting, PASSWORD])
        p.expect(p.pw_verify(PASSWORD, theirs), "valid", f"libxcrypt {name}, pwmigrate verify")
        p.expect(p.pw_verify(WRONG, theirs), "invalid", f"libxcrypt {name}, wrong password")
        stored[name] = theirs

    for algorithm in ("md5", "sha1", "sha256"):
        ours = run_json([p.timing, "digest", algorithm, str(BULK_BYTES), "1"])["digest"]
        theirs = run_json([p.compare, "digest", algorithm, str(BULK_BYTES), "1"])["digest"]
        if ours != theirs:
            raise CheckFailed(f"{algorithm} of the bulk buffer: pwmigrate {ours}, OpenSSL {theirs}")
        print(f"check: {algorithm} of {BULK_BYTES} bytes equal: {ours}", file=sys.stderr)

    md5_hex = run_json([p.timing, "digest", "md5", "0", "1"])["digest"]
    stored["md5-empty"] = md5_hex
    return stored


def timed(command):
    """Return a function that runs a timing command and returns its median in nanoseconds."""
    return lambda: run_json(command)["median_ns"]


def process_time(command, password):
    """Return a function that runs one process and returns its wall time in ns and peak RSS."""

    def run():
        started = time.perf_counter_ns()
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        child.stdin.write(password.encode())
        child.stdin.close()
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter_ns() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr = child.stderr.read().decode(errors="replace")
        child.stderr.close()
        if child.returncode != 0:
            raise CheckFailed(f"{' '.join(command[:2])} exited {child.returncode}: {stderr.strip()}")
        run.max_rss_kib = max(getattr(run, "max_rss_kib", 0), usage.ru_maxrss)
        return elapsed

    return run


def python_argon2_available(python):
    probe = subprocess.run([python, "-c", "import argon2"], capture_output=True, check=False)
    return probe.returncode == 0


def build_pairs(programs, stored):
    """Pair each pwmigrate timing with its reference's.

    The legacy verifies use a wrong password on both sides: it costs the same work as the
    right one, and on pwmigrate's side a valid legacy verify would add an Argon2id upgrade hash.
    """
    p = programs
    s = p.samples
    m, t, lanes = POLICY
    argon2 = stored["argon2id"]
    pairs = [
        ("Argon2id verify m=19456 t=2 p=1", "libsodium 1.0.18",
         timed([p.timing, "verify", s, PASSWORD, argon2]),
         timed([p.compare, "sodium-verify", s, PASSWORD, argon2])),
        ("Argon2id verify m=19456 t=2 p=1", "libargon2 20171227",
         timed([p.timing, "verify", s, PASSWORD, argon2]),
         timed([p.compare, "argon2-verify", s, PASSWORD, argon2])),
        ("Argon2id hash on fresh memory", "libsodium crypto_pwhash_str",
         timed([p.timing, "hash-argon2id", s, str(m), str(t), str(lanes), PASSWORD]),
         timed([p.compare, "sodium-hash-time", s, str(m), str(t), PASSWORD])),
    ]
    for name, label in (("bcrypt", "bcrypt cost 10 verify"), ("sha512-crypt", "sha512-crypt 5000 verify"),
                        ("md5-crypt", "md5-crypt verify")):
        pairs.append((label, "libxcrypt crypt_r",
                      timed([p.timing, "verify", s, WRONG, stored[name]]),
                      timed([p.compare, "crypt-verify", s, WRONG, stored[name]])))
    for algorithm in ("md5", "sha1", "sha256"):
        pairs.append((f"{algorithm.upper()} over 1 MiB", "OpenSSL EVP_Digest",
                      timed([p.timing, "digest", algorithm, str(BULK_BYTES), s]),
                      timed([p.compare, "digest", algorithm, str(BULK_BYTES), s])))
    pairs.append(("MD5 verify of a bare hex digest", "OpenSSL EVP_Digest + CRYPTO_memcmp",
                  timed([p.timing, "verify", s, WRONG, stored["md5-empty"]]),
                  timed([p.compare, "digest-verify", "md5", s, WRONG, stored["md5-empty"]])))

    cli = [p.pwmigrate, "verify", argon2]
    pairs.append(("process: pwmigrate verify, Argon2id at policy", "C program, libsodium verify",
                  process_time(cli, PASSWORD), process_time([p.compare, "sodium-verify-stdin", argon2], PASSWORD)))
    if python_argon2_available(p.python):
        script = ("import sys, argon2; argon2.PasswordHasher().verify(sys.argv[1], sys.stdin.read())")
        pairs.append(("process: pwmigrate verify, Argon2id at policy", "python3 argon2-cffi",
                      process_time(cli, PASSWORD), process_time([p.python, "-c", script, argon2], PASSWORD)))
    else:
        print(f"note: {p.python} cannot import argon2 (argon2-cffi); its row is left out", file=sys.stderr)
    return pairs


def format_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs, Linux {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pwmigrate", required=True, help="path of the pwmigrate binary")
    parser.add_argument("--timing", required=True, help="path of the reference_timing bench binary")
    parser.add_argument("--compare", required=True, help="path of the compiled compare.c")
    parser.add_argument("--python", default="/usr/bin/python3", help="Python with argon2-cffi")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds, at least 3")
    parser.add_argument("--samples", type=int, default=5, help="timed samples per block")
    args = parser.parse_args()
    if args.rounds < 3 or args.samples < 1:
        parser.error("--rounds must be at least 3 and --samples at least 1")

    programs = Programs(args)
    try:
        stored = cross_check(programs)
        pairs = build_pairs(programs, stored)
        results = [([], []) for _ in pairs]
        for round_index in range(args.rounds):
            print(f"round {round_index + 1} of {args.rounds}", file=sys.stderr)
            for (_, _, ours, theirs), (our_times, their_times) in zip(pairs, results):
                if round_index % 2 == 0:
                    our_times.append(ours())
                    their_times.append(theirs())
                else:
                    their_times.append(theirs())
                    our_times.append(ours())
    except CheckFailed as err:
        print(f"run.py: {err}", file=sys.stderr)
        return 1

    print(f"Machine: {machine()}. {args.rounds} interleaved rounds, {args.samples} samples per block.")
    print()
    print("| work | reference | pwmigrate time | reference time | ratio (median) | ratio (min-max) |")
    print("|---|---|---|---|---|---|")
    for (work, reference, ours, theirs), (our_times, their_times) in zip(pairs, results):
        ratios = [a / b for a, b in zip(our_times, their_times)]
        print(f"| {work} | {reference} | {format_ns(statistics.median(our_times))} | "
              f"{format_ns(statistics.median(their_times))} | {statistics.median(ratios):.2f} | "
              f"{min(ratios):.2f}-{max(ratios):.2f} |")
    rss = [(work, reference, ours, theirs) for work, reference, ours, theirs in pairs if hasattr(ours, "max_rss_kib")]
    if rss:
        print()
        for work, reference, ours, theirs in rss:
            print(f"Peak RSS against {reference}: pwmigrate {ours.max_rss_kib / 1024:.1f} MiB, "
                  f"reference {theirs.max_rss_kib / 1024:.1f} MiB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
