"""Recheck tests/vectors/core.jsonl with implementations other than the generator's.

The generator hashes with libargon2 (argon2-cffi), pyca bcrypt and hashlib. This
script checks every "valid" and "invalid" vector again with:

- argon2pure (pure Python Argon2, all variants and versions), plus the OpenSSL
  Argon2id in `cryptography` for argon2id v=19, plus passlib's argon2 handler,
  which parses the PHC string itself but computes with argon2-cffi;
- passlib's pure-Python ("builtin") bcrypt backend;
- `cryptography`'s hashes and PBKDF2HMAC for digests and Logto Legacy.

It also checks the file's shape, recomputes upgrade_due from the parsed Argon2
parameters, and prints a count per scheme and expect. For Argon2 error vectors
it prints libargon2's own result, for information only.

Run from the repository root after generate_core.py:

    .venv-vectors/bin/pip install argon2pure==1.3 cryptography==50.0.2
    .venv-vectors/bin/python tests/vectors/check_core.py

It took 2 min 10 s on a 2-core machine, mostly argon2pure on the policy-sized vectors.
"""

import base64
import binascii
import collections
import json
import os
import re
import sys
from pathlib import Path

# passlib only offers its pure-Python bcrypt backend when this is set.
os.environ["PASSLIB_BUILTIN_BCRYPT"] = "enabled"

import argon2pure  # noqa: E402
from argon2 import exceptions as argon2_exceptions  # noqa: E402
from argon2.low_level import Type, verify_secret  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: E402
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC  # noqa: E402
from passlib.hash import argon2 as passlib_argon2  # noqa: E402
from passlib.hash import bcrypt as passlib_bcrypt  # noqa: E402

VECTORS_PATH = Path(__file__).with_name("core.jsonl")

KEYS = ["id", "scheme", "method", "password_hex", "stored", "expect", "upgrade_due", "note"]
SCHEMES = {"argon2id", "argon2i", "argon2d", "bcrypt", "md5", "sha1", "sha256", "sha512", "logto-legacy", None}
METHODS = {None, "MD5", "SHA1", "SHA256", "SHA512", "Bcrypt", "Argon2i", "Argon2id", "Argon2d", "Legacy"}
EXPECTS = {
    "valid",
    "invalid",
    "malformed_hash",
    "unsupported_scheme",
    "unsupported_variant",
    "parameters_exceed_limits",
    "password_too_long",
    "password_contains_nul",
    "wrong_digest_length",
    "stored_hash_too_long",
}

ARGON2PURE_TYPES = {"argon2d": argon2pure.ARGON2D, "argon2i": argon2pure.ARGON2I, "argon2id": argon2pure.ARGON2ID}
LIBARGON2_TYPES = {"argon2d": Type.D, "argon2i": Type.I, "argon2id": Type.ID}
HASHES = {
    "md5": hashes.MD5,
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
DIGEST_SIZES = {16: "md5", 20: "sha1", 32: "sha256", 64: "sha512"}
MAX_PASSWORD_BYTES = 4096
MAX_STORED_BYTES = 4096

passlib_bcrypt.set_backend("builtin")


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def check_shape(vector):
    require(list(vector) == KEYS, f"keys are {list(vector)}, expected {KEYS}")
    require(vector["scheme"] in SCHEMES, f"unknown scheme {vector['scheme']!r}")
    require(vector["method"] in METHODS, f"unknown method {vector['method']!r}")
    require(vector["expect"] in EXPECTS, f"unknown expect {vector['expect']!r}")
    require(re.fullmatch(r"(?:[0-9a-f]{2})*", vector["password_hex"]) is not None, "password_hex is not lowercase hex")
    # README.md states that every password is valid UTF-8.
    bytes.fromhex(vector["password_hex"]).decode("utf-8")
    if vector["expect"] == "valid":
        require(isinstance(vector["upgrade_due"], bool), "a valid vector needs a boolean upgrade_due")
    else:
        require(vector["upgrade_due"] is None, "upgrade_due must be null unless expect is valid")
    require(isinstance(vector["note"], str) and vector["note"], "note is empty")


def b64decode_phc(text):
    """Decode unpadded standard base64 strictly, as the PHC string format requires."""
    require(re.fullmatch(r"[A-Za-z0-9+/]*", text) is not None and len(text) % 4 != 1, f"bad PHC base64 {text!r}")
    data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    require(base64.b64encode(data).decode().rstrip("=") == text, f"non-canonical PHC base64 {text!r}")
    return data


def parse_argon2(stored):
    parts = stored.split("$")
    require(parts[0] == "" and parts[1] in ARGON2PURE_TYPES, f"not an Argon2 string: {stored!r}")
    if parts[2].startswith("v="):
        version = int(parts[2][2:])
        parts = parts[:2] + parts[3:]
    else:
        version = 0x10
    require(len(parts) == 5, "expected five $-separated segments without v=")
    params = dict(item.split("=") for item in parts[2].split(","))
    require(list(params) == ["m", "t", "p"], f"parameters are {list(params)}")
    return {
        "variant": parts[1],
        "version": version,
        "m": int(params["m"]),
        "t": int(params["t"]),
        "p": int(params["p"]),
        "salt": b64decode_phc(parts[3]),
        "hash": b64decode_phc(parts[4]),
    }


def argon2_upgrade_due(parsed):
    meets_policy = (
        parsed["variant"] == "argon2id"
        and parsed["version"] == 19
        and parsed["m"] >= 19456
        and parsed["t"] >= 2
        and parsed["p"] >= 1
        and len(parsed["salt"]) >= 16
        and len(parsed["hash"]) >= 32
    )
    return not meets_policy


def check_argon2(vector, password, valid):
    parsed = parse_argon2(vector["stored"])
    require(parsed["variant"] == vector["scheme"], "scheme does not match the PHC variant")
    computed = argon2pure.argon2(
        password,
        parsed["salt"],
        parsed["t"],
        parsed["m"],
        parsed["p"],
        tag_length=len(parsed["hash"]),
        type_code=ARGON2PURE_TYPES[parsed["variant"]],
        version=parsed["version"],
        threads=1,
        use_threads=True,
    )
    require((computed == parsed["hash"]) == valid, f"argon2pure disagrees (match={computed == parsed['hash']})")
    checked_by = ["argon2pure"]

    if parsed["variant"] == "argon2id" and parsed["version"] == 19:
        kdf = Argon2id(salt=parsed["salt"], length=len(parsed["hash"]), iterations=parsed["t"],
                       lanes=parsed["p"], memory_cost=parsed["m"])
        require((kdf.derive(password) == parsed["hash"]) == valid, "cryptography Argon2id disagrees")
        checked_by.append("cryptography")

    require(passlib_argon2.verify(password, vector["stored"]) == valid, "passlib argon2 disagrees")
    checked_by.append("passlib")

    if valid:
        require(vector["upgrade_due"] == argon2_upgrade_due(parsed), "upgrade_due does not follow the policy")
    return checked_by


def check_bcrypt(vector, password, valid):
    require(passlib_bcrypt.verify(password, vector["stored"]) == valid, "passlib builtin bcrypt disagrees")
    if valid:
        require(vector["upgrade_due"] is True, "every bcrypt hash is due for an upgrade")
    return ["passlib-builtin"]


def decode_digest(stored):
    if re.fullmatch(r"[0-9a-fA-F]*", stored) and len(stored) % 2 == 0 and len(stored) // 2 in DIGEST_SIZES:
        return binascii.unhexlify(stored)
    padded = stored + "=" * (-len(stored) % 4)
    return base64.b64decode(padded, validate=True)


def check_digest(vector, password, valid):
    decoded = decode_digest(vector["stored"])
    require(DIGEST_SIZES.get(len(decoded)) == vector["scheme"], "digest length does not select the scheme")
    hasher = hashes.Hash(HASHES[vector["scheme"]]())
    hasher.update(password)
    require((hasher.finalize() == decoded) == valid, "cryptography digest disagrees")
    if valid:
        require(vector["upgrade_due"] is True, "every digest is due for an upgrade")
    return ["cryptography"]


def legacy_salt(salt):
    if salt.startswith("hex:"):
        return bytes.fromhex(salt[4:])
    return salt.encode()


def check_legacy(vector, password, valid):
    algorithm, args, expected_hex = json.loads(vector["stored"])
    expected = bytes.fromhex(expected_hex)
    if algorithm == "pbkdf2":
        salt, iterations, keylen, digest, at = args
        require(at == "@", "the pbkdf2 password arg must be \"@\"")
        kdf = PBKDF2HMAC(algorithm=HASHES[digest](), length=int(keylen), salt=legacy_salt(salt),
                         iterations=int(iterations))
        computed = kdf.derive(password)
    else:
        hasher = hashes.Hash(HASHES[algorithm]())
        for arg in args:
            hasher.update(password if arg == "@" else arg.encode())
        computed = hasher.finalize()
    require((computed == expected) == valid, "cryptography legacy computation disagrees")
    if valid:
        require(vector["upgrade_due"] is True, "every legacy hash is due for an upgrade")
    return ["cryptography"]


CHECKERS = {
    "argon2id": check_argon2,
    "argon2i": check_argon2,
    "argon2d": check_argon2,
    "bcrypt": check_bcrypt,
    "md5": check_digest,
    "sha1": check_digest,
    "sha256": check_digest,
    "sha512": check_digest,
    "logto-legacy": check_legacy,
}


def check_error_preconditions(vector, password):
    """Check the cheap facts that an error vector relies on."""
    expect = vector["expect"]
    if expect == "password_too_long":
        require(len(password) > MAX_PASSWORD_BYTES, "password is not above the limit")
    if expect == "stored_hash_too_long":
        require(len(vector["stored"].encode()) > MAX_STORED_BYTES, "stored string is not above the limit")
    if expect == "password_contains_nul":
        require(b"\x00" in password, "password contains no NUL")
    if expect not in ("password_too_long", "stored_hash_too_long"):
        require(len(password) <= MAX_PASSWORD_BYTES, "password is above the limit")
        require(len(vector["stored"].encode()) <= MAX_STORED_BYTES, "stored string is above the limit")


def libargon2_opinion(vector, password):
    """Return what libargon2 reports for an Argon2 error vector, for information."""
    variant = vector["stored"].split("$")[1] if vector["stored"].startswith("$") else ""
    if variant not in LIBARGON2_TYPES:
        return "not an Argon2 variant that libargon2 supports"
    try:
        verify_secret(vector["stored"].encode(), password, LIBARGON2_TYPES[variant])
    except argon2_exceptions.VerifyMismatchError:
        return "mismatch"
    except argon2_exceptions.VerificationError as error:
        return f"error: {error}"
    return "verifies"


def main():
    vectors = [json.loads(line) for line in VECTORS_PATH.read_text(encoding="utf-8").splitlines()]
    ids = [v["id"] for v in vectors]
    failures = []
    counts = collections.Counter()
    checked_by = collections.Counter()

    if len(set(ids)) != len(ids):
        failures.append(("file", "vector ids are not unique"))

    for vector in vectors:
        try:
            check_shape(vector)
            password = bytes.fromhex(vector["password_hex"])
            if vector["expect"] in ("valid", "invalid"):
                checker = CHECKERS[vector["scheme"]]
                for name in checker(vector, password, vector["expect"] == "valid"):
                    checked_by[name] += 1
            else:
                check_error_preconditions(vector, password)
                # Parameter-limit vectors are legal Argon2 that libargon2 would really compute,
                # with up to 4 GiB of memory or 2^32-1 passes, so they are skipped here.
                reported_kinds = ("malformed_hash", "unsupported_scheme", "unsupported_variant")
                is_argon2 = vector["scheme"] in LIBARGON2_TYPES or vector["stored"].startswith("$argon2x$")
                if is_argon2 and vector["expect"] in reported_kinds:
                    print(f"info {vector['id']} ({vector['expect']}): libargon2 reports {libargon2_opinion(vector, password)}")
        except (CheckFailed, ValueError, KeyError, argon2pure.Argon2Error) as error:
            failures.append((vector.get("id"), f"{type(error).__name__}: {error}"))
        counts[(str(vector.get("scheme")), vector.get("expect"))] += 1

    print()
    print("vectors per scheme and expect:")
    for (scheme, expect), count in sorted(counts.items()):
        print(f"  {scheme:13} {expect:25} {count}")
    print(f"  total {len(vectors)}")
    print("valid/invalid vectors rechecked per implementation:", dict(sorted(checked_by.items())))

    for id, message in failures:
        print(f"FAIL {id}: {message}")
    if failures:
        sys.exit(1)
    print(f"{len(vectors)} passed, 0 failed")


if __name__ == "__main__":
    main()
