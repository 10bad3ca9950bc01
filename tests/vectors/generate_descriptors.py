"""Write tests/vectors/descriptors.jsonl: iterated salted digests in pwmigrate's $pwm-digest$
form, and Joomla's md5:salt hashes.

Run: python3 tests/vectors/generate_descriptors.py
Tools: CPython 3.11 hashlib and base64 only. The digests are computed here from their
definition: the first round hashes the salted password (salt before or after it, or none), and
each further round hashes the previous digest, as raw bytes (chain=raw) or as lowercase hex
text (chain=hex). rounds counts every application. Same fields as formats.jsonl.
"""

import base64
import hashlib
import json
from pathlib import Path

OUT = Path(__file__).with_name("descriptors.jsonl")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def iterate(algorithm, password, salt, position, rounds, chain):
    data = {"prefix": salt + password, "suffix": password + salt, "none": password}[position]
    digest = hashlib.new(algorithm, data).digest()
    for _ in range(rounds - 1):
        data = digest.hex().encode() if chain == "hex" else digest
        digest = hashlib.new(algorithm, data).digest()
    return digest


def stored(algorithm, salt, position, rounds, chain, digest):
    return (f"$pwm-digest$a={algorithm},salt={position},rounds={rounds},chain={chain}"
            f"${b64(salt)}${b64(digest)}")


def vector(id_, password, text, expect, note, scheme="salted-digest"):
    return {
        "id": id_, "scheme": scheme, "method": None, "password_hex": password.hex(),
        "stored": text, "user": None, "expect": expect,
        "upgrade_due": True if expect == "valid" else None, "note": note,
    }


def main():
    rows = []
    cases = [
        ("md5", b"pepper", "prefix", 2, "raw"),
        ("sha1", b"s4lt", "suffix", 1000, "raw"),
        ("sha256", b"", "none", 5000, "raw"),
        ("sha512", b"NaCl", "prefix", 513, "raw"),
        ("md5", b"x", "suffix", 3, "hex"),
        ("sha256", b"", "none", 100, "hex"),
    ]
    for algorithm, salt, position, rounds, chain in cases:
        password = "pässword-1".encode()
        digest = iterate(algorithm, password, salt, position, rounds, chain)
        text = stored(algorithm, salt, position, rounds, chain, digest)
        name = f"iterated-{algorithm}-{position}-{rounds}-{chain}"
        rows.append(vector(name, password, text, "valid", f"{rounds} rounds of {algorithm}, {chain} chaining."))
        rows.append(vector(name + "-wrong", b"password-1", text, "invalid", "Wrong password."))
        other = "hex" if chain == "raw" else "raw"
        rows.append(vector(name + "-other-chain", password, text.replace(f"chain={chain}", f"chain={other}"),
                           "invalid", "The chaining is part of the format."))
    digest = iterate("sha1", b"pw", b"s", "prefix", 2, "raw")
    rows.append(vector("iterated-rounds-above-limit", b"pw",
                       stored("sha1", b"s", "prefix", 5000001, "raw", digest),
                       "parameters_exceed_limits", "Rounds are bounded like PBKDF2 iterations."))
    rows.append(vector("iterated-rounds-one", b"pw", stored("sha1", b"s", "prefix", 1, "raw", digest),
                       "malformed_hash", "rounds= is written only for 2 or more rounds."))
    rows.append(vector("iterated-chain-unknown", b"pw", stored("sha1", b"s", "prefix", 2, "b64", digest),
                       "malformed_hash", "chain must be raw or hex."))
    # Joomla 1.5 to 3.x: md5(password + salt) in hex, a colon, then the salt.
    salt = "WzKbrAvwVp0yGYDJZcDSr6qUWsI10Yt4"
    joomla = hashlib.md5(b"joomla-secret" + salt.encode()).hexdigest() + ":" + salt
    rows.append(vector("joomla-md5", b"joomla-secret", joomla, "valid",
                       "md5(password + salt), then the salt.", "joomla-md5"))
    rows.append(vector("joomla-md5-wrong", b"joomla-secreT", joomla, "invalid", "Wrong password.",
                       "joomla-md5"))
    rows.append(vector("joomla-md5-upper-hex", b"joomla-secret", joomla[:32].upper() + joomla[32:],
                       "valid", "Hex of either case.", "joomla-md5"))
    rows.append(vector("joomla-md5-salt-first", b"joomla-secret",
                       hashlib.md5(salt.encode() + b"joomla-secret").hexdigest() + ":" + salt,
                       "invalid", "The salt goes after the password.", "joomla-md5"))
    with OUT.open("w") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} vectors to {OUT}")


if __name__ == "__main__":
    main()
