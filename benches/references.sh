#!/usr/bin/env bash
# Compare pwmigrate's hashing with reference implementations on this machine.
#
# Installs the references from Debian packages when they are missing, which needs root and apt.
# Builds benches/references/compare.c against them, and pwmigrate with its timing program
# benches/reference_timing.rs. Then benches/references/run.py cross-checks the outputs and
# prints a Markdown table of time ratios pwmigrate / reference.
#
# Usage: bash benches/references.sh [ROUNDS]     (default 7 interleaved rounds)
# Tested on Debian 12 with Rust 1.95, Python 3.11 and gcc 12.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-7}"

# Debian 12 ships libxcrypt as libcrypt-dev; python3-argon2 is argon2-cffi for /usr/bin/python3.
packages=(gcc libsodium-dev libargon2-dev libcrypt-dev libssl-dev python3-argon2)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "references.sh: missing packages ${missing[*]}; run as root or install them" >&2
        exit 1
    fi
    echo "references.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

out=target/references
mkdir -p "$out"
gcc -O2 -Wall -Wextra -o "$out/compare" benches/references/compare.c \
    -lsodium -largon2 -lcrypt -lcrypto

cargo build --release --locked --quiet --bin pwmigrate
timing=$(cargo bench --locked --quiet --bench reference_timing --no-run --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["target"]["name"] == "reference_timing":
        print(message["executable"])
')
if [[ -z "$timing" ]]; then
    echo "references.sh: cargo did not report the reference_timing executable" >&2
    exit 1
fi

echo "references.sh: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; rustc $(rustc --version | cut -d' ' -f2)" >&2
python3 benches/references/run.py --pwmigrate target/release/pwmigrate --timing "$timing" \
    --compare "$out/compare" --python /usr/bin/python3 --rounds "$rounds"
