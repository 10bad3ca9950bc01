r"""Generate tests/vectors/formats.jsonl, the legacy hash format vectors for pwmigrate.

Every hash comes from an implementation independent of pwmigrate. passlib 1.7.4 makes
the formats it implements. pyca bcrypt, argon2-cffi and Python's hashlib, hmac and base64
make the rest, through the small functions below. Each of those functions is checked
against a second route where one exists (see `cross_check`). Error vectors are valid
hashes edited by hand. Salts are fixed and nothing is random, so a rerun with the
pinned versions rewrites the file byte for byte.

Run from the repository root:

    python3 -m venv .venv-vectors
    .venv-vectors/bin/pip install bcrypt==5.0.0 argon2-cffi==25.1.0 passlib==1.7.4 \
        argon2pure==1.3 cryptography==50.0.2
    .venv-vectors/bin/python tests/vectors/generate_formats.py

The committed file was made with CPython 3.11.7 (hashlib on OpenSSL 3.0.19), passlib
1.7.4, bcrypt 5.0.0, argon2-cffi 25.1.0 with argon2-cffi-bindings 26.2.0, and
libxcrypt 4.4.33 behind passlib's os_crypt backend. A run took 5.3 s of CPU on a
shared 2-core machine.

passlib 1.7.4 cannot load pyca bcrypt 5.0.0 (it reads the removed `bcrypt.__about__`
and then fails its own 255-byte wraparound test, because bcrypt 5 rejects passwords
over 72 bytes). The script therefore sets PASSLIB_BUILTIN_BCRYPT=enabled and uses
passlib's pure-Python bcrypt backend, which also makes it a second route next to pyca.
"""

import base64
import hashlib
import hmac
import json
import os
import struct
import warnings
from collections import Counter
from pathlib import Path

# Must be set before passlib's bcrypt handlers load.
os.environ["PASSLIB_BUILTIN_BCRYPT"] = "enabled"

import bcrypt  # noqa: E402
from argon2.low_level import Type, hash_secret  # noqa: E402
from passlib import hash as passlib_hash  # noqa: E402

# Python 3.11 warns that the crypt module behind passlib's os_crypt backend is deprecated.
warnings.filterwarnings("ignore", category=DeprecationWarning)

OUTPUT_PATH = Path(__file__).with_name("formats.jsonl")

PASSWORD = b"correct horse battery staple"
WRONG_PASSWORD = b"correct horse battery stapler"
UNICODE_PASSWORD = "pässwörd-日本".encode()
# Printable ASCII with no leading or trailing space, so WordPress's trim() does not change it.
LONG_PASSWORD = bytes(0x21 + (i * 7) % 94 for i in range(100))
PASSWORD_4097 = bytes(0x20 + i % 95 for i in range(4097))

# The default limits in src/policy.rs (`Limits::default`), each tested one above: 5,000,000
# PBKDF2 iterations or sha-crypt rounds, phpass and Drupal count (log2 of the iterations) 20,
# bcrypt cost 16, Argon2 m = 262144 KiB, and passwords of 4096 bytes.

# Werkzeug 2.3 and 3.0 use 600000 iterations for "pbkdf2:<digest>" without a count
# (DEFAULT_PBKDF2_ITERATIONS in src/werkzeug/security.py). Werkzeug 3.1 raised it to 1,000,000.
WERKZEUG_DEFAULT_ITERATIONS = 600000

STANDARD_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
BCRYPT_BASE64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# The alphabet of phpass, Drupal 7, md5-crypt and sha-crypt ("hash64").
HASH64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# Shared helpers


def fixed_salt(label: str, length: int) -> bytes:
    """Derive a deterministic salt of `length` bytes from `label`."""
    return hashlib.shake_256(b"pwmigrate vector salt " + label.encode()).digest(length)


def fixed_text_salt(label, length, alphabet=ALPHANUMERIC):
    """Derive a deterministic salt string of `length` characters from `alphabet`."""
    return "".join(alphabet[b % len(alphabet)] for b in fixed_salt(label, length))


def bcrypt_salt(label):
    """Return 22 bcrypt-base64 characters for 16 fixed bytes.

    The last character is one of ".Oeu", so its unused bits are zero and every bcrypt
    implementation echoes the salt unchanged.
    """
    standard = base64.b64encode(fixed_salt(label, 16)).decode().rstrip("=")
    return standard.translate(str.maketrans(STANDARD_BASE64, BCRYPT_BASE64))


def b64(data):
    return base64.b64encode(data).decode()


def b64_nopad(data):
    return b64(data).rstrip("=")


def adapted_b64(data):
    """Encode as passlib's "ab64": standard base64 with '.' for '+' and no padding."""
    return b64_nopad(data).replace("+", ".")


def vector(id, scheme, password, stored, expect, note, user=None, method=None):
    """Return one vector. Every valid vector is due for an upgrade to Argon2id."""
    return {
        "id": id,
        "scheme": scheme,
        "method": method,
        "password_hex": password.hex(),
        "stored": stored,
        "user": user,
        "expect": expect,
        "upgrade_due": True if expect == "valid" else None,
        "note": note,
    }


def valid_and_wrong(id, scheme, stored, note, password=PASSWORD, user=None, wrong_password=WRONG_PASSWORD,
                    wrong_note=None):
    """Return a valid vector and its wrong-password twin."""
    valid = vector(id, scheme, password, stored, "valid", note, user=user)
    twin_note = wrong_note or f"{scheme} rejects a wrong password."
    wrong = vector(id + "-wrong", scheme, wrong_password, stored, "invalid", twin_note, user=user)
    return [valid, wrong]


def cross_check(actual, expected, what):
    """Raise unless two routes to the same value agree."""
    if actual != expected:
        raise SystemExit(f"cross-check failed for {what}:\n  {actual!r}\n  {expected!r}")


def replace_first_char(text, start, replacement):
    """Replace the character at `start`, making sure the text changes."""
    if text[start] == replacement:
        raise ValueError(f"character at {start} is already {replacement!r}")
    return text[:start] + replacement + text[start + 1:]


# Second routes, used only to cross-check hashlib and the functions below


def hmac_reference(hash_name, key, message):
    """Compute HMAC from RFC 2104 with hashlib digests only, without the hmac module."""
    block_size = hashlib.new(hash_name).block_size
    if len(key) > block_size:
        key = hashlib.new(hash_name, key).digest()
    key = key.ljust(block_size, b"\0")
    inner = hashlib.new(hash_name, bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.new(hash_name, bytes(b ^ 0x5C for b in key) + inner).digest()


def pbkdf2_reference(hash_name, password, salt, iterations, length):
    """Derive PBKDF2-HMAC as RFC 8018 section 5.2 defines it, in pure Python.

    HMAC is built from hashlib digests, so this shares no code with OpenSSL's PBKDF2
    or HMAC. It is slow, so use it only for iteration counts up to a few thousand.
    """
    block_size = hashlib.new(hash_name).block_size
    key = password if len(password) <= block_size else hashlib.new(hash_name, password).digest()
    key = key.ljust(block_size, b"\0")
    inner_start = hashlib.new(hash_name, bytes(b ^ 0x36 for b in key))
    outer_start = hashlib.new(hash_name, bytes(b ^ 0x5C for b in key))

    def prf(message):
        inner = inner_start.copy()
        inner.update(message)
        outer = outer_start.copy()
        outer.update(inner.digest())
        return outer.digest()

    digest_size = inner_start.digest_size
    output = b""
    block_index = 1
    while len(output) < length:
        u = prf(salt + struct.pack(">I", block_index))
        block = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            u = prf(u)
            block ^= int.from_bytes(u, "big")
        output += block.to_bytes(digest_size, "big")
        block_index += 1
    return output[:length]


def pbkdf2(hash_name, password, salt, iterations, length=None):
    return hashlib.pbkdf2_hmac(hash_name, password, salt, iterations, length)


# PBKDF2 in PHC form (Auth0)

PBKDF2_DIGESTS = {"sha1": 20, "sha256": 32, "sha512": 64}


def pbkdf2_phc(hash_name, password, salt, iterations, length):
    """Return `$pbkdf2-<digest>$i=<iterations>,l=<length>$<salt>$<hash>`, standard base64 without padding."""
    derived = pbkdf2(hash_name, password, salt, iterations, length)
    return f"$pbkdf2-{hash_name}$i={iterations},l={length}${b64_nopad(salt)}${b64_nopad(derived)}"


def pbkdf2_phc_vectors():
    out = []
    for hash_name, length in PBKDF2_DIGESTS.items():
        scheme = f"pbkdf2-{hash_name}"
        salt = fixed_salt(scheme, 16)
        stored = pbkdf2_phc(hash_name, PASSWORD, salt, 10000, length)
        out += valid_and_wrong(f"{scheme}-phc-basic", scheme, stored,
                               f"PBKDF2-HMAC-{hash_name.upper()} in PHC form with i=10000,l={length} verifies.")

        # Second route: the pure-Python PBKDF2 and passlib's own PBKDF2 handler, on the same salt.
        small = pbkdf2_phc(hash_name, PASSWORD, salt, 1000, length)
        reference = pbkdf2_reference(hash_name, PASSWORD, salt, 1000, length)
        cross_check(small.split("$")[-1], b64_nopad(reference), f"{scheme} against pbkdf2_reference")
        handler = passlib_hash.pbkdf2_sha1 if hash_name == "sha1" else getattr(passlib_hash, f"pbkdf2_{hash_name}")
        passlib_digest = handler.using(salt=salt, rounds=1000).hash(PASSWORD).split("$")[-1]
        cross_check(b64_nopad(reference), b64_nopad(base64.b64decode(passlib_digest.replace(".", "+") + "==")),
                    f"{scheme} against passlib")

    unicode_stored = pbkdf2_phc("sha256", UNICODE_PASSWORD, fixed_salt("pbkdf2-sha256-unicode", 16), 1000, 32)
    out.append(vector("pbkdf2-sha256-phc-unicode", "pbkdf2-sha256", UNICODE_PASSWORD, unicode_stored, "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    short_salt = pbkdf2_phc("sha512", PASSWORD, fixed_salt("pbkdf2-sha512-salt-8", 8), 1000, 64)
    out.append(vector("pbkdf2-sha512-phc-salt-8", "pbkdf2-sha512", PASSWORD, short_salt, "valid",
                      "An 8-byte salt verifies."))
    long_output = pbkdf2_phc("sha256", PASSWORD, fixed_salt("pbkdf2-sha256-l64", 16), 1000, 64)
    out.append(vector("pbkdf2-sha256-phc-l64", "pbkdf2-sha256", PASSWORD, long_output, "valid",
                      "A 64-byte output from SHA-256 spans two PBKDF2 blocks and verifies."))
    out.append(vector("pbkdf2-sha256-phc-password-4097", "pbkdf2-sha256", PASSWORD_4097,
                      pbkdf2_phc("sha256", PASSWORD_4097, fixed_salt("pbkdf2-sha256-4097", 16), 1000, 32),
                      "password_too_long", "A password one byte above the 4096-byte limit is rejected."))
    return out + pbkdf2_phc_error_vectors()


def pbkdf2_phc_error_vectors():
    out = []
    for hash_name, length in PBKDF2_DIGESTS.items():
        scheme = f"pbkdf2-{hash_name}"
        salt_b64 = b64_nopad(fixed_salt(f"{scheme}-errors", 16))
        derived = pbkdf2(hash_name, PASSWORD, fixed_salt(f"{scheme}-errors", 16), 10000, length)
        hash_b64 = b64_nopad(derived)
        truncated = b64_nopad(derived[:-1])
        out += [
            vector(f"{scheme}-phc-truncated", scheme, PASSWORD, f"${scheme}$i=10000,l={length}${salt_b64}${truncated}",
                   "wrong_digest_length", f"l={length} but the hash decodes to {length - 1} bytes."),
            vector(f"{scheme}-phc-hash-invalid-char", scheme, PASSWORD,
                   f"${scheme}$i=10000,l={length}${salt_b64}${replace_first_char(hash_b64, 0, '*')}",
                   "malformed_hash", "A '*' is not a base64 character."),
            vector(f"{scheme}-phc-i-zero", scheme, PASSWORD, f"${scheme}$i=0,l={length}${salt_b64}${hash_b64}",
                   "malformed_hash", "PBKDF2 needs at least one iteration."),
            vector(f"{scheme}-phc-i-5000001", scheme, PASSWORD, f"${scheme}$i=5000001,l={length}${salt_b64}${hash_b64}",
                   "parameters_exceed_limits", "One iteration above the default limit of 5,000,000 is rejected."),
        ]

    salt = fixed_salt("pbkdf2-sha256-errors", 16)
    derived = pbkdf2("sha256", PASSWORD, salt, 10000, 32)
    salt_b64 = b64_nopad(salt)
    hash_b64 = b64_nopad(derived)

    def stored(params, salt_text=salt_b64, hash_text=hash_b64, ident="pbkdf2-sha256"):
        return f"${ident}${params}${salt_text}${hash_text}"

    def error(id, text, expect, note, scheme="pbkdf2-sha256"):
        return vector(id, scheme, PASSWORD, text, expect, note)

    return out + [
        error("pbkdf2-sha256-phc-hash-longer-than-l", stored("i=10000,l=16"), "wrong_digest_length",
              "l=16 but the hash decodes to 32 bytes."),
        error("pbkdf2-sha256-phc-salt-urlsafe-char",
              stored("i=10000,l=32", salt_text=replace_first_char(salt_b64, 0, "-")),
              "malformed_hash", "The PHC form uses standard base64, so '-' is rejected."),
        error("pbkdf2-sha256-phc-hash-padded", stored("i=10000,l=32", hash_text=b64(derived)), "malformed_hash",
              "The PHC form has no base64 padding, so a padded hash is rejected."),
        error("pbkdf2-sha256-phc-i-not-number", stored("i=ten,l=32"), "malformed_hash",
              "The iteration count is not a number."),
        error("pbkdf2-sha256-phc-missing-i", stored("l=32"), "malformed_hash", "The i parameter is missing."),
        error("pbkdf2-sha256-phc-missing-hash", f"$pbkdf2-sha256$i=10000,l=32${salt_b64}", "malformed_hash",
              "The hash segment is missing."),
        error("pbkdf2-sha256-phc-i-u32-max", stored("i=4294967295,l=32"), "parameters_exceed_limits",
              "i=2^32-1 is legal PBKDF2 but above the default limit of 5,000,000."),
        error("pbkdf2-md5-phc-unknown-digest",
              stored("i=10000,l=16", hash_text=b64_nopad(derived[:16]), ident="pbkdf2-md5"),
              "unsupported_scheme", "PBKDF2 with MD5 is not a supported PHC identifier.", scheme=None),
    ]


# passlib's own PBKDF2 strings


PASSLIB_PBKDF2 = {
    "passlib-pbkdf2-sha1": ("sha1", passlib_hash.pbkdf2_sha1, "$pbkdf2$"),
    "passlib-pbkdf2-sha256": ("sha256", passlib_hash.pbkdf2_sha256, "$pbkdf2-sha256$"),
    "passlib-pbkdf2-sha512": ("sha512", passlib_hash.pbkdf2_sha512, "$pbkdf2-sha512$"),
}


def passlib_pbkdf2_vectors():
    out = []
    for scheme, (hash_name, handler, prefix) in PASSLIB_PBKDF2.items():
        salt = fixed_salt(scheme, 16)
        # passlib 1.7.4 defaults to 29000 (sha256) and 25000 (sha512). Its sha1 default of
        # 131000 is above the range these vectors keep to, so sha1 uses 13000.
        rounds = {"sha1": 13000, "sha256": 29000, "sha512": 25000}[hash_name]
        stored = handler.using(salt=salt, rounds=rounds).hash(PASSWORD)
        assert stored.startswith(f"{prefix}{rounds}$"), stored
        derived = pbkdf2(hash_name, PASSWORD, salt, rounds)
        cross_check(stored, f"{prefix}{rounds}${adapted_b64(salt)}${adapted_b64(derived)}", f"{scheme} against hashlib")
        out += valid_and_wrong(f"{scheme}-basic", scheme, stored,
                               f"passlib's {prefix} format with {rounds} rounds verifies.")

    # A salt whose base64 contains '+' shows the '.' substitution of passlib's "ab64".
    handler = passlib_hash.pbkdf2_sha256
    salt = next(fixed_salt(f"passlib-pbkdf2-dot-{n}", 16) for n in range(100)
                if "+" in b64(fixed_salt(f"passlib-pbkdf2-dot-{n}", 16)))
    dotted = handler.using(salt=salt, rounds=1000).hash(PASSWORD)
    assert "." in dotted.split("$")[3]
    out.append(vector("passlib-pbkdf2-sha256-ab64-dot", "passlib-pbkdf2-sha256", PASSWORD, dotted, "valid",
                      "A '.' in the salt decodes as '+' in passlib's base64 variant."))

    for scheme, (hash_name, handler, prefix) in PASSLIB_PBKDF2.items():
        # The sha256 label predates the loop and is kept so those vectors do not change.
        label = "passlib-pbkdf2-errors" if hash_name == "sha256" else f"{scheme}-errors"
        base = handler.using(salt=fixed_salt(label, 16), rounds=1000).hash(PASSWORD)
        _, ident, rounds, salt_text, digest_text = base.split("$")
        digest = base64.b64decode(digest_text.replace(".", "+") + "==")
        size = len(digest)

        def edited(rounds=rounds, salt_text=salt_text, digest_text=digest_text):
            return f"${ident}${rounds}${salt_text}${digest_text}"

        out += [
            vector(f"{scheme}-truncated", scheme, PASSWORD, edited(digest_text=adapted_b64(digest[:-1])),
                   "wrong_digest_length", f"The digest decodes to {size - 1} bytes instead of {size}."),
            vector(f"{scheme}-plus-char", scheme, PASSWORD, edited(digest_text=replace_first_char(digest_text, 0, "+")),
                   "malformed_hash", "passlib's base64 variant uses '.' and has no '+'."),
            vector(f"{scheme}-rounds-zero", scheme, PASSWORD, edited(rounds="0"), "malformed_hash",
                   "PBKDF2 needs at least one iteration."),
            vector(f"{scheme}-rounds-5000001", scheme, PASSWORD, edited(rounds="5000001"), "parameters_exceed_limits",
                   "One round above the default limit of 5,000,000 is rejected."),
        ]
    return out


# Django PBKDF2


def django_pbkdf2(hash_name, password, salt, iterations):
    """Return Django's `pbkdf2_<digest>$<iterations>$<salt>$<padded standard base64>`."""
    derived = pbkdf2(hash_name, password, salt.encode(), iterations)
    return f"pbkdf2_{hash_name}${iterations}${salt}${b64(derived)}"


def django_pbkdf2_vectors():
    out = []
    handlers = {"sha256": passlib_hash.django_pbkdf2_sha256, "sha1": passlib_hash.django_pbkdf2_sha1}
    for hash_name, handler in handlers.items():
        scheme = f"django-pbkdf2-{hash_name}"
        salt = fixed_text_salt(scheme, 12)
        stored = handler.using(salt=salt, rounds=20000).hash(PASSWORD)
        cross_check(stored, django_pbkdf2(hash_name, PASSWORD, salt, 20000), f"{scheme} against hashlib")
        out += valid_and_wrong(f"{scheme}-basic", scheme, stored,
                               f"Django's pbkdf2_{hash_name} with 20000 iterations and a 12-character salt verifies.")

    # Django 4.2 default: 600000 iterations and a 22-character salt.
    realistic_salt = fixed_text_salt("django-pbkdf2-sha256-600000", 22)
    realistic = passlib_hash.django_pbkdf2_sha256.using(salt=realistic_salt, rounds=600000).hash(PASSWORD)
    out.append(vector("django-pbkdf2-sha256-600000", "django-pbkdf2-sha256", PASSWORD, realistic, "valid",
                      "Slow: Django 4.2's default of 600000 iterations verifies."))

    unicode_stored = django_pbkdf2("sha256", UNICODE_PASSWORD, fixed_text_salt("django-pbkdf2-unicode", 12), 1000)
    out.append(vector("django-pbkdf2-sha256-unicode", "django-pbkdf2-sha256", UNICODE_PASSWORD, unicode_stored,
                      "valid", "A UTF-8 password with non-ASCII characters verifies."))

    for hash_name in handlers:
        scheme = f"django-pbkdf2-{hash_name}"
        # The sha256 label predates the loop and is kept so those vectors do not change.
        salt = fixed_text_salt("django-pbkdf2-errors" if hash_name == "sha256" else f"{scheme}-errors", 12)
        derived = pbkdf2(hash_name, PASSWORD, salt.encode(), 1000)
        digest_text = b64(derived)
        ident = f"pbkdf2_{hash_name}"
        out += [
            vector(f"{scheme}-truncated", scheme, PASSWORD, f"{ident}$1000${salt}${b64(derived[:-1])}",
                   "wrong_digest_length", f"The digest decodes to {len(derived) - 1} bytes instead of {len(derived)}."),
            vector(f"{scheme}-invalid-char", scheme, PASSWORD,
                   f"{ident}$1000${salt}${replace_first_char(digest_text, 0, '*')}", "malformed_hash",
                   "A '*' is not a base64 character."),
            vector(f"{scheme}-iterations-zero", scheme, PASSWORD, f"{ident}$0${salt}${digest_text}", "malformed_hash",
                   "PBKDF2 needs at least one iteration."),
            vector(f"{scheme}-iterations-5000001", scheme, PASSWORD, f"{ident}$5000001${salt}${digest_text}",
                   "parameters_exceed_limits", "One iteration above the default limit of 5,000,000 is rejected."),
        ]

    salt = fixed_text_salt("django-pbkdf2-errors", 12)
    digest_text = b64(pbkdf2("sha256", PASSWORD, salt.encode(), 1000))

    def error(id, text, expect, note):
        return vector(id, "django-pbkdf2-sha256", PASSWORD, text, expect, note)

    out += [
        error("django-pbkdf2-sha256-iterations-not-number", f"pbkdf2_sha256$1e3${salt}${digest_text}", "malformed_hash",
              "The iteration count must be decimal digits."),
        error("django-pbkdf2-sha256-missing-field", f"pbkdf2_sha256$1000${digest_text}", "malformed_hash",
              "The salt field is missing."),
    ]
    return out


# Werkzeug


def werkzeug_pbkdf2(hash_name, password, salt, iterations=None):
    """Return Werkzeug's `pbkdf2:<digest>[:<iterations>]$<salt>$<lowercase hex>`.

    Without `iterations` the method has no count, and the hash uses
    WERKZEUG_DEFAULT_ITERATIONS, as Werkzeug 2.3 and 3.0 do when they check it.
    """
    count = WERKZEUG_DEFAULT_ITERATIONS if iterations is None else iterations
    derived = pbkdf2(hash_name, password, salt.encode(), count)
    method = f"pbkdf2:{hash_name}" if iterations is None else f"pbkdf2:{hash_name}:{iterations}"
    return f"{method}${salt}${derived.hex()}"


def werkzeug_vectors():
    out = []
    salt = fixed_text_salt("werkzeug-pbkdf2", 16)
    stored = werkzeug_pbkdf2("sha256", PASSWORD, salt, 29000)
    out += valid_and_wrong("werkzeug-pbkdf2-sha256-basic", "werkzeug-pbkdf2", stored,
                           "pbkdf2:sha256:29000 with a 16-character salt verifies.")
    small = werkzeug_pbkdf2("sha256", PASSWORD, salt, 1000)
    cross_check(small.split("$")[-1], pbkdf2_reference("sha256", PASSWORD, salt.encode(), 1000, 32).hex(),
                "werkzeug-pbkdf2 against pbkdf2_reference")

    default_salt = fixed_text_salt("werkzeug-pbkdf2-default", 16)
    out.append(vector("werkzeug-pbkdf2-sha256-default-iterations", "werkzeug-pbkdf2", PASSWORD,
                      werkzeug_pbkdf2("sha256", PASSWORD, default_salt), "valid",
                      "Slow: without a count, Werkzeug 2.3 and 3.0 use 600000 iterations."))
    for hash_name in ("sha1", "sha512"):
        out.append(vector(f"werkzeug-pbkdf2-{hash_name}", "werkzeug-pbkdf2", PASSWORD,
                          werkzeug_pbkdf2(hash_name, PASSWORD, fixed_text_salt(f"werkzeug-{hash_name}", 16), 1000),
                          "valid", f"pbkdf2:{hash_name}:1000 verifies."))
    out.append(vector("werkzeug-pbkdf2-unicode", "werkzeug-pbkdf2", UNICODE_PASSWORD,
                      werkzeug_pbkdf2("sha256", UNICODE_PASSWORD, fixed_text_salt("werkzeug-unicode", 16), 1000),
                      "valid", "A UTF-8 password with non-ASCII characters verifies."))

    error_salt = fixed_text_salt("werkzeug-errors", 16)
    hex_digest = pbkdf2("sha256", PASSWORD, error_salt.encode(), 1000).hex()

    def error(id, text, expect, note):
        return vector(id, "werkzeug-pbkdf2", PASSWORD, text, expect, note)

    out += [
        error("werkzeug-pbkdf2-truncated", f"pbkdf2:sha256:1000${error_salt}${hex_digest[:62]}", "wrong_digest_length",
              "The hex digest has 31 bytes instead of 32."),
        error("werkzeug-pbkdf2-odd-hex", f"pbkdf2:sha256:1000${error_salt}${hex_digest[:63]}", "malformed_hash",
              "An odd number of hex digits is not valid hex."),
        error("werkzeug-pbkdf2-invalid-hex", f"pbkdf2:sha256:1000${error_salt}$g{hex_digest[1:]}", "malformed_hash",
              "A 'g' is not a hex digit."),
        error("werkzeug-pbkdf2-empty-salt", f"pbkdf2:sha256:1000$${hex_digest}", "malformed_hash",
              "Werkzeug never writes an empty salt, so an empty one is rejected."),
        error("werkzeug-pbkdf2-iterations-zero", f"pbkdf2:sha256:0${error_salt}${hex_digest}", "malformed_hash",
              "PBKDF2 needs at least one iteration."),
        error("werkzeug-pbkdf2-iterations-5000001", f"pbkdf2:sha256:5000001${error_salt}${hex_digest}",
              "parameters_exceed_limits", "One iteration above the default limit of 5,000,000 is rejected."),
        error("werkzeug-pbkdf2-md5", f"pbkdf2:md5:1000${error_salt}${hex_digest[:32]}", "unsupported_variant",
              "Werkzeug accepts any hashlib digest, but MD5 is not a supported PBKDF2 digest."),
    ]
    return out


# Atlassian


def atlassian_pbkdf2(password, salt):
    """Return `{PKCS5S2}` + base64(salt16 + PBKDF2-HMAC-SHA1(10000 iterations, 32 bytes))."""
    return "{PKCS5S2}" + b64(salt + pbkdf2("sha1", password, salt, 10000, 32))


def atlassian_vectors():
    salt = fixed_salt("atlassian-pbkdf2", 16)
    stored = passlib_hash.atlassian_pbkdf2_sha1.using(salt=salt).hash(PASSWORD)
    cross_check(stored, atlassian_pbkdf2(PASSWORD, salt), "atlassian-pbkdf2 against hashlib")
    out = valid_and_wrong("atlassian-pbkdf2-basic", "atlassian-pbkdf2", stored,
                          "{PKCS5S2} PBKDF2-HMAC-SHA1 with 10000 iterations verifies.")
    out.append(vector("atlassian-pbkdf2-unicode", "atlassian-pbkdf2", UNICODE_PASSWORD,
                      atlassian_pbkdf2(UNICODE_PASSWORD, fixed_salt("atlassian-unicode", 16)), "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    blob = base64.b64decode(stored[len("{PKCS5S2}"):])
    out += [
        vector("atlassian-pbkdf2-truncated", "atlassian-pbkdf2", PASSWORD, "{PKCS5S2}" + b64(blob[:47]),
               "wrong_digest_length", "The value decodes to 47 bytes instead of 16 of salt and 32 of digest."),
        vector("atlassian-pbkdf2-invalid-char", "atlassian-pbkdf2", PASSWORD,
               replace_first_char(stored, len("{PKCS5S2}"), "*"), "malformed_hash", "A '*' is not a base64 character."),
    ]
    return out


# ASP.NET Identity

ASPNET_PRF = {"sha1": 0, "sha256": 1, "sha512": 2}


def aspnet_identity_v2(password, salt):
    """Return ASP.NET Identity v2: base64(0x00 + salt16 + PBKDF2-HMAC-SHA1(1000 iterations, 32 bytes))."""
    assert len(salt) == 16
    return b64(b"\x00" + salt + pbkdf2("sha1", password, salt, 1000, 32))


def aspnet_identity_v3(password, salt, hash_name, iterations, subkey_length=32, prf=None):
    """Return ASP.NET Core Identity v3.

    The layout is base64(0x01 + prf + iterations + salt length + salt + subkey), with the
    three numbers as big-endian u32 and prf 0, 1, 2 for HMAC-SHA1, -SHA256, -SHA512.
    `prf` overrides the number written, to make an unknown-prf vector.
    """
    subkey = pbkdf2(hash_name, password, salt, iterations, subkey_length)
    header = b"\x01" + struct.pack(">III", ASPNET_PRF[hash_name] if prf is None else prf, iterations, len(salt))
    return b64(header + salt + subkey)


def aspnet_v3_blob(salt, prf, iterations, salt_length_field, subkey):
    return b64(b"\x01" + struct.pack(">III", prf, iterations, salt_length_field) + salt + subkey)


def aspnet_vectors():
    out = []
    salt = fixed_salt("aspnet-identity-v2", 16)
    v2 = aspnet_identity_v2(PASSWORD, salt)
    cross_check(base64.b64decode(v2)[17:], pbkdf2_reference("sha1", PASSWORD, salt, 1000, 32),
                "aspnet-identity-v2 against pbkdf2_reference")
    out += valid_and_wrong("aspnet-identity-v2-basic", "aspnet-identity-v2", v2,
                           "Identity v2 (0x00, PBKDF2-HMAC-SHA1, 1000 iterations) verifies.")
    out.append(vector("aspnet-identity-v2-truncated", "aspnet-identity-v2", PASSWORD,
                      b64(base64.b64decode(v2)[:48]), "wrong_digest_length",
                      "A v2 value must decode to 49 bytes, and this one has 48."))

    cases = [
        ("sha1", 10000, "Identity v3 with HMAC-SHA1 and 10000 iterations verifies."),
        ("sha256", 10000, "Identity v3 with HMAC-SHA256 and 10000 iterations (the default before .NET 7) verifies."),
        ("sha512", 100000, "Identity v3 with HMAC-SHA512 and 100000 iterations (.NET 7 default) verifies."),
    ]
    for hash_name, iterations, note in cases:
        v3_salt = fixed_salt(f"aspnet-identity-v3-{hash_name}", 16)
        stored = aspnet_identity_v3(PASSWORD, v3_salt, hash_name, iterations)
        out += valid_and_wrong(f"aspnet-identity-v3-{hash_name}-{iterations}", "aspnet-identity-v3", stored, note)
    v3_salt = fixed_salt("aspnet-identity-v3-sha256", 16)
    cross_check(base64.b64decode(aspnet_identity_v3(PASSWORD, v3_salt, "sha256", 10000))[29:],
                pbkdf2_reference("sha256", PASSWORD, v3_salt, 10000, 32), "aspnet-identity-v3 against pbkdf2_reference")

    # ASP.NET Core takes the subkey length from the rest of the value and requires >= 16 bytes.
    salt = fixed_salt("aspnet-identity-v3-errors", 16)
    out.append(vector("aspnet-identity-v3-subkey-16", "aspnet-identity-v3", PASSWORD,
                      aspnet_identity_v3(PASSWORD, salt, "sha256", 1000, subkey_length=16), "valid",
                      "ASP.NET Core takes the subkey length from the value, so 16 bytes verifies."))
    subkey = pbkdf2("sha256", PASSWORD, salt, 1000, 32)

    def error(id, text, expect, note):
        return vector(id, "aspnet-identity-v3", PASSWORD, text, expect, note)

    out += [
        error("aspnet-identity-v3-subkey-15", aspnet_v3_blob(salt, 1, 1000, 16, subkey[:15]), "wrong_digest_length",
              "ASP.NET Core requires a subkey of at least 16 bytes."),
        error("aspnet-identity-v3-salt-8", aspnet_identity_v3(PASSWORD, salt[:8], "sha256", 1000), "malformed_hash",
              "ASP.NET Core requires a salt of at least 16 bytes."),
        error("aspnet-identity-v3-salt-length-overflow", aspnet_v3_blob(salt, 1, 1000, 4096, subkey), "malformed_hash",
              "The salt length field points past the end of the value."),
        error("aspnet-identity-v3-iterations-zero", aspnet_v3_blob(salt, 1, 0, 16, subkey), "malformed_hash",
              "PBKDF2 needs at least one iteration."),
        error("aspnet-identity-v3-iterations-5000001", aspnet_v3_blob(salt, 1, 5000001, 16, subkey),
              "parameters_exceed_limits", "One iteration above the default limit of 5,000,000 is rejected."),
        error("aspnet-identity-v3-prf-3", aspnet_v3_blob(salt, 3, 1000, 16, subkey), "unsupported_variant",
              "ASP.NET Core defines prf 0, 1 and 2 only."),
    ]
    return out


# LDAP digests

LDAP_SCHEMES = {
    "ldap-md5": ("{MD5}", "md5", False, passlib_hash.ldap_md5),
    "ldap-smd5": ("{SMD5}", "md5", True, passlib_hash.ldap_salted_md5),
    "ldap-sha": ("{SHA}", "sha1", False, passlib_hash.ldap_sha1),
    "ldap-ssha": ("{SSHA}", "sha1", True, passlib_hash.ldap_salted_sha1),
    "ldap-ssha256": ("{SSHA256}", "sha256", True, passlib_hash.ldap_salted_sha256),
    # passlib 1.7.4 has no {SSHA384} handler.
    "ldap-ssha384": ("{SSHA384}", "sha384", True, None),
    "ldap-ssha512": ("{SSHA512}", "sha512", True, passlib_hash.ldap_salted_sha512),
}


def ldap_digest(tag, hash_name, password, salt=b""):
    """Return `<tag>` + base64(digest(password + salt) + salt), as OpenLDAP's slappasswd writes it."""
    return tag + b64(hashlib.new(hash_name, password + salt).digest() + salt)


def ldap_vectors():
    out = []
    for scheme, (tag, hash_name, salted, handler) in LDAP_SCHEMES.items():
        salt_lengths = (4, 8, 16) if salted else (0,)
        for salt_length in salt_lengths:
            salt = fixed_salt(f"{scheme}-{salt_length}", salt_length)
            stored = ldap_digest(tag, hash_name, PASSWORD, salt)
            if handler is not None:
                passlib_stored = (handler.using(salt=salt) if salted else handler).hash(PASSWORD)
                cross_check(stored, passlib_stored, f"{scheme} salt {salt_length} against passlib")
            if salted:
                id = f"{scheme}-salt-{salt_length}"
                note = f"{tag} with a {salt_length}-byte salt verifies."
            else:
                id = f"{scheme}-basic"
                note = f"{tag} verifies."
            if salt_length in (0, 8):
                out += valid_and_wrong(id, scheme, stored, note)
            else:
                out.append(vector(id, scheme, PASSWORD, stored, "valid", note))

    lower = ldap_digest("{ssha}", "sha1", PASSWORD, fixed_salt("ldap-ssha-lower", 8))
    out.append(vector("ldap-ssha-lowercase-tag", "ldap-ssha", PASSWORD, lower, "valid",
                      "The tag is case-insensitive, so {ssha} verifies."))
    out.append(vector("ldap-sha-lowercase-tag", "ldap-sha", PASSWORD, ldap_digest("{sha}", "sha1", PASSWORD), "valid",
                      "The tag is case-insensitive, so {sha} verifies."))
    out.append(vector("ldap-ssha-unicode", "ldap-ssha", UNICODE_PASSWORD,
                      ldap_digest("{SSHA}", "sha1", UNICODE_PASSWORD, fixed_salt("ldap-ssha-unicode", 8)), "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    out.append(vector("ldap-ssha-password-4097", "ldap-ssha", PASSWORD_4097,
                      ldap_digest("{SSHA}", "sha1", PASSWORD_4097, fixed_salt("ldap-ssha-4097", 8)), "password_too_long",
                      "A password one byte above the 4096-byte limit is rejected."))

    for scheme, (tag, hash_name, salted, _) in LDAP_SCHEMES.items():
        digest = hashlib.new(hash_name, PASSWORD).digest()
        size = len(digest)
        needs = f"more than {size}" if salted else f"{size}"
        stored = ldap_digest(tag, hash_name, PASSWORD, fixed_salt(f"{scheme}-errors", 8 if salted else 0))
        out += [
            vector(f"{scheme}-truncated", scheme, PASSWORD, tag + b64(digest[:-1]), "wrong_digest_length",
                   f"{tag} needs {needs} bytes, but the value decodes to {size - 1}."),
            vector(f"{scheme}-invalid-char", scheme, PASSWORD, replace_first_char(stored, len(tag), "*"),
                   "malformed_hash", "A '*' is not a base64 character."),
        ]

    sha_digest = hashlib.sha1(PASSWORD).digest()
    ssha = ldap_digest("{SSHA}", "sha1", PASSWORD, fixed_salt("ldap-ssha-errors", 8))
    out += [
        vector("ldap-sha-too-long", "ldap-sha", PASSWORD, "{SHA}" + b64(sha_digest + b"\x00"), "wrong_digest_length",
               "{SHA} has no salt, so 21 decoded bytes are one too many."),
        vector("ldap-ssha-shorter-than-digest", "ldap-ssha", PASSWORD, "{SSHA}" + b64(sha_digest[:16]),
               "wrong_digest_length", "{SSHA} needs more than the 20 bytes of a SHA-1 digest, but this decodes to 16."),
        vector("ldap-ssha-bad-padding", "ldap-ssha", PASSWORD, ssha.rstrip("=") + "===", "malformed_hash",
               "Three padding characters are not valid base64."),
    ]
    return out


# crypt(3) family: md5-crypt, apr1, sha256-crypt, sha512-crypt


def with_backend(handler, backend):
    """Return `handler` switched to a passlib backend, which is process-wide state."""
    handler.set_backend(backend)
    return handler


def crypt_hash(handler, password, salt, rounds=None):
    """Hash with passlib's os_crypt backend (libxcrypt) and check it against the builtin backend."""
    settings = {"salt": salt} if rounds is None else {"salt": salt, "rounds": rounds}
    backends = ("os_crypt", "builtin") if handler.has_backend("os_crypt") else ("builtin",)
    results = [with_backend(handler, backend).using(**settings).hash(password) for backend in backends]
    for other in results[1:]:
        cross_check(other, results[0], f"{handler.name} backends")
    return results[0]


def crypt_vectors():
    out = []
    md5_crypt = passlib_hash.md5_crypt
    apr1 = passlib_hash.apr_md5_crypt
    sha256_crypt = passlib_hash.sha256_crypt
    sha512_crypt = passlib_hash.sha512_crypt

    stored = crypt_hash(md5_crypt, PASSWORD, fixed_text_salt("md5-crypt", 8, HASH64))
    out += valid_and_wrong("md5-crypt-basic", "md5-crypt", stored, "$1$ with an 8-character salt verifies.")
    out.append(vector("md5-crypt-salt-4", "md5-crypt", PASSWORD,
                      crypt_hash(md5_crypt, PASSWORD, fixed_text_salt("md5-crypt-4", 4, HASH64)), "valid",
                      "$1$ with a 4-character salt verifies."))
    out.append(vector("md5-crypt-unicode", "md5-crypt", UNICODE_PASSWORD,
                      crypt_hash(md5_crypt, UNICODE_PASSWORD, fixed_text_salt("md5-crypt-unicode", 8, HASH64)),
                      "valid", "A UTF-8 password with non-ASCII characters verifies."))
    out.append(vector("md5-crypt-ldap-crypt-tag", "md5-crypt", PASSWORD, "{CRYPT}" + stored, "valid",
                      "An LDAP {CRYPT} tag around a $1$ hash verifies as md5-crypt."))
    out += [
        vector("md5-crypt-truncated", "md5-crypt", PASSWORD, stored[:-1], "malformed_hash",
               "The md5-crypt digest has 22 characters, and this one has 21."),
        vector("md5-crypt-invalid-char", "md5-crypt", PASSWORD, replace_first_char(stored, len(stored) - 5, "*"),
               "malformed_hash", "A '*' is not in the crypt base64 alphabet."),
    ]

    stored = apr1.using(salt=fixed_text_salt("apr1-crypt", 8, HASH64)).hash(PASSWORD)
    out += valid_and_wrong("apr1-crypt-basic", "apr1-crypt", stored, "Apache $apr1$ verifies.")
    out += [
        vector("apr1-crypt-md5-crypt-digest", "apr1-crypt", PASSWORD,
               crypt_hash(md5_crypt, PASSWORD, fixed_text_salt("apr1-crypt", 8, HASH64)).replace("$1$", "$apr1$", 1),
               "invalid", "An md5-crypt digest relabelled $apr1$ does not match, because the magic string differs."),
        vector("apr1-crypt-truncated", "apr1-crypt", PASSWORD, stored[:-1], "malformed_hash",
               "The apr1 digest has 22 characters, and this one has 21."),
        vector("apr1-crypt-invalid-char", "apr1-crypt", PASSWORD, replace_first_char(stored, len(stored) - 5, "*"),
               "malformed_hash", "A '*' is not in the crypt base64 alphabet."),
    ]

    for scheme, handler, ident in (("sha256-crypt", sha256_crypt, "5"), ("sha512-crypt", sha512_crypt, "6")):
        salt = fixed_text_salt(scheme, 16, HASH64)
        implicit = crypt_hash(handler, PASSWORD, salt, rounds=5000)
        assert implicit.startswith(f"${ident}${salt}$"), implicit
        out += valid_and_wrong(f"{scheme}-basic", scheme, implicit,
                               f"${ident}$ without rounds= (5000 rounds) verifies.")
        explicit = implicit.replace(f"${ident}$", f"${ident}$rounds=5000$", 1)
        out.append(vector(f"{scheme}-explicit-5000", scheme, PASSWORD, explicit, "valid",
                          "rounds=5000 written out gives the same digest as the implicit default."))
        rounds = crypt_hash(handler, PASSWORD, fixed_text_salt(f"{scheme}-rounds", 16, HASH64), rounds=10000)
        out += valid_and_wrong(f"{scheme}-rounds-10000", scheme, rounds, f"${ident}$rounds=10000$ verifies.")
        out.append(vector(f"{scheme}-rounds-1000", scheme, PASSWORD,
                          crypt_hash(handler, PASSWORD, fixed_text_salt(f"{scheme}-1000", 16, HASH64), rounds=1000),
                          "valid", "The minimum of 1000 rounds verifies."))
        out.append(vector(f"{scheme}-salt-8", scheme, PASSWORD,
                          crypt_hash(handler, PASSWORD, fixed_text_salt(f"{scheme}-salt-8", 8, HASH64), rounds=5000),
                          "valid", "An 8-character salt verifies."))

    stored = crypt_hash(sha512_crypt, UNICODE_PASSWORD, fixed_text_salt("sha512-crypt-unicode", 16, HASH64),
                        rounds=5000)
    out.append(vector("sha512-crypt-unicode", "sha512-crypt", UNICODE_PASSWORD, stored, "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    sha512_basic = crypt_hash(sha512_crypt, PASSWORD, fixed_text_salt("sha512-crypt", 16, HASH64), rounds=5000)
    out.append(vector("sha512-crypt-ldap-crypt-tag", "sha512-crypt", PASSWORD, "{CRYPT}" + sha512_basic, "valid",
                      "An LDAP {CRYPT} tag around a $6$ hash verifies as sha512-crypt."))
    sha256_basic = crypt_hash(sha256_crypt, PASSWORD, fixed_text_salt("sha256-crypt", 16, HASH64), rounds=5000)
    out.append(vector("sha256-crypt-ldap-crypt-lowercase", "sha256-crypt", PASSWORD, "{crypt}" + sha256_basic, "valid",
                      "The {CRYPT} tag is case-insensitive."))
    out.append(vector("sha512-crypt-ldap-crypt-tag-wrong", "sha512-crypt", WRONG_PASSWORD, "{CRYPT}" + sha512_basic,
                      "invalid", "sha512-crypt under {CRYPT} rejects a wrong password."))

    salt = fixed_text_salt("sha512-crypt-errors", 16, HASH64)
    with_rounds = crypt_hash(sha512_crypt, PASSWORD, salt, rounds=10000)
    digest = with_rounds.split("$")[-1]

    def error(id, rounds_field, expect, note, digest_text=digest, scheme="sha512-crypt", ident="6"):
        return vector(id, scheme, PASSWORD, f"${ident}${rounds_field}${salt}${digest_text}", expect, note)

    out += [
        error("sha512-crypt-truncated", "rounds=10000", "malformed_hash",
              "The sha512-crypt digest has 86 characters, and this one has 85.", digest_text=digest[:-1]),
        error("sha512-crypt-invalid-char", "rounds=10000", "malformed_hash", "A '*' is not in the crypt base64 alphabet.",
              digest_text=replace_first_char(digest, 0, "*")),
        error("sha512-crypt-rounds-999", "rounds=999", "malformed_hash",
              "Rounds below 1000 are outside the spec, and libxcrypt 4.4.33 rejects them."),
        error("sha512-crypt-rounds-1000000000", "rounds=1000000000", "malformed_hash",
              "Rounds above 999,999,999 are outside the spec, and libxcrypt 4.4.33 rejects them."),
        error("sha512-crypt-rounds-not-number", "rounds=ten", "malformed_hash", "The rounds value is not a number."),
        error("sha512-crypt-rounds-5000001", "rounds=5000001", "parameters_exceed_limits",
              "One round above the default limit of 5,000,000 is rejected."),
        error("sha512-crypt-rounds-999999999", "rounds=999999999", "parameters_exceed_limits",
              "The spec maximum of 999,999,999 rounds is above the default limit of 5,000,000."),
    ]
    sha256_digest = sha256_basic.split("$")[-1]
    sha256_salt = sha256_basic.split("$")[2]
    out += [
        vector("sha256-crypt-truncated", "sha256-crypt", PASSWORD, sha256_basic[:-1], "malformed_hash",
               "The sha256-crypt digest has 43 characters, and this one has 42."),
        vector("sha256-crypt-invalid-char", "sha256-crypt", PASSWORD,
               f"$5${sha256_salt}${replace_first_char(sha256_digest, 0, '*')}", "malformed_hash",
               "A '*' is not in the crypt base64 alphabet."),
        vector("sha256-crypt-rounds-999", "sha256-crypt", PASSWORD, f"$5$rounds=999${sha256_salt}${sha256_digest}",
               "malformed_hash", "Rounds below 1000 are outside the spec, and libxcrypt 4.4.33 rejects them."),
        vector("sha256-crypt-rounds-5000001", "sha256-crypt", PASSWORD,
               f"$5$rounds=5000001${sha256_salt}${sha256_digest}", "parameters_exceed_limits",
               "One round above the default limit of 5,000,000 is rejected."),
    ]
    return out


# phpass, Drupal 7 and WordPress 6.8


def phpass_base64(data):
    """Encode bytes as phpass's encode64: 24-bit little-endian groups, low 6 bits first.

    A final group of 1 or 2 bytes gives 2 or 3 characters.
    """
    output = []
    for start in range(0, len(data), 3):
        group = data[start:start + 3]
        value = int.from_bytes(group, "little")
        for index in range(len(group) + 1):
            output.append(HASH64[(value >> (6 * index)) & 0x3F])
    return "".join(output)


def phpass_style_hash(hash_name, ident, count_log2, salt, password):
    """Compute the phpass loop: h = H(salt + pw), then 2^count_log2 times h = H(h + pw).

    Returns ident + count character + salt + phpass_base64(h), untruncated. phpass uses
    MD5, and Drupal 7 uses the same loop with SHA-512.
    """
    assert len(salt) == 8
    digest = hashlib.new(hash_name, salt.encode() + password).digest()
    for _ in range(1 << count_log2):
        digest = hashlib.new(hash_name, digest + password).digest()
    return ident + HASH64[count_log2] + salt + phpass_base64(digest)


def drupal7_hash(password, salt, count_log2=15):
    """Return Drupal 7's `$S$` hash: the SHA-512 phpass loop cut to 55 characters."""
    return phpass_style_hash("sha512", "$S$", count_log2, salt, password)[:55]


def drupal7_md5_hash(password, salt, count_log2=15):
    """Return Drupal 7's `U$S$` hash of a Drupal 6 MD5 import: `U` + $S$ over md5(password) as lowercase hex."""
    return "U" + drupal7_hash(hashlib.md5(password).hexdigest().encode(), salt, count_log2)


def wordpress_prehash(password):
    """Return base64(HMAC-SHA384(key="wp-sha384", message=password)), the bcrypt input of WordPress 6.8."""
    return base64.b64encode(hmac.new(b"wp-sha384", password, hashlib.sha384).digest())


def wordpress_bcrypt(password, salt, cost=5):
    """Return `$wp` + bcrypt($2y$) of wordpress_prehash(password)."""
    return "$wp" + bcrypt.hashpw(wordpress_prehash(password), f"$2y${cost:02d}${salt}".encode()).decode()


def passlib_bcrypt_verify(password, stored):
    """Verify a bcrypt string with passlib's pure-Python backend, the second bcrypt route."""
    return with_backend(passlib_hash.bcrypt, "builtin").verify(password, stored)


def phpass_vectors():
    out = []
    cases = [
        ("P", 8, "phpass-portable-8", "$P$ with 2^8 iterations verifies."),
        ("P", 13, "phpass-wordpress", "$P$B (2^13 iterations), as WordPress before 6.8 writes it, verifies."),
        ("H", 11, "phpass-phpbb3", "$H$9 (2^11 iterations), as phpBB 3 writes it, verifies."),
    ]
    for ident, rounds, id, note in cases:
        salt = fixed_text_salt(id, 8, HASH64)
        stored = passlib_hash.phpass.using(salt=salt, rounds=rounds, ident=ident).hash(PASSWORD)
        cross_check(stored, phpass_style_hash("md5", f"${ident}$", rounds, salt, PASSWORD),
                    f"{id} against phpass_style_hash")
        out += valid_and_wrong(id, "phpass", stored, note)
    unicode_salt = fixed_text_salt("phpass-unicode", 8, HASH64)
    out.append(vector("phpass-unicode", "phpass", UNICODE_PASSWORD,
                      passlib_hash.phpass.using(salt=unicode_salt, rounds=8).hash(UNICODE_PASSWORD), "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))

    base = passlib_hash.phpass.using(salt=fixed_text_salt("phpass-errors", 8, HASH64), rounds=8).hash(PASSWORD)

    def with_count(log2):
        return base[:3] + HASH64[log2] + base[4:]

    out += [
        vector("phpass-truncated", "phpass", PASSWORD, base[:-1], "malformed_hash",
               "A phpass hash has 34 characters, and this one has 33."),
        vector("phpass-invalid-char", "phpass", PASSWORD, replace_first_char(base, 20, "*"), "malformed_hash",
               "A '*' is not in the phpass base64 alphabet."),
        vector("phpass-count-6", "phpass", PASSWORD, with_count(6), "malformed_hash",
               "phpass accepts 2^7 to 2^30 iterations, so '4' (2^6) is out of range."),
        vector("phpass-count-31", "phpass", PASSWORD, with_count(31), "malformed_hash",
               "phpass accepts 2^7 to 2^30 iterations, so 'T' (2^31) is out of range."),
        vector("phpass-count-21", "phpass", PASSWORD, with_count(21), "parameters_exceed_limits",
               "Count 'J' (2^21 iterations) is one above the default limit of 20."),
        vector("phpass-count-30", "phpass", PASSWORD, with_count(30), "parameters_exceed_limits",
               "The phpass maximum, count 'S' (2^30 iterations), is above the default limit of 20."),
    ]
    return out


def drupal_vectors():
    out = []
    salt = fixed_text_salt("drupal7", 8, HASH64)
    stored = drupal7_hash(PASSWORD, salt)
    assert len(stored) == 55
    assert stored.startswith("$S$D")
    out += valid_and_wrong("drupal7-basic", "drupal7", stored,
                           "$S$D (2^15 SHA-512 iterations) verifies.")
    # Second route: hashcat's published example hash for mode 7900 (Drupal7). Its password is "hashcat".
    hashcat_example = "$S$C33783772bRXEx1aCsvY.dqgaaSu76XmVlKrW9Qu8IQlvxHlmzLf"
    cross_check(drupal7_hash(b"hashcat", hashcat_example[4:12], HASH64.index(hashcat_example[3])), hashcat_example,
                "drupal7 against hashcat's example hash")
    out.append(vector("drupal7-hashcat-example", "drupal7", b"hashcat", hashcat_example, "valid",
                      "hashcat's example hash for mode 7900 ($S$C, 2^14 iterations) verifies."))
    out.append(vector("drupal7-count-7", "drupal7", PASSWORD,
                      drupal7_hash(PASSWORD, fixed_text_salt("drupal7-7", 8, HASH64), 7), "valid",
                      "The Drupal 7 minimum of 2^7 iterations verifies."))
    out.append(vector("drupal7-unicode", "drupal7", UNICODE_PASSWORD,
                      drupal7_hash(UNICODE_PASSWORD, fixed_text_salt("drupal7-unicode", 8, HASH64), 7), "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    password_512 = bytes(0x21 + (i * 11) % 94 for i in range(512))
    out.append(vector("drupal7-password-512", "drupal7", password_512,
                      drupal7_hash(password_512, fixed_text_salt("drupal7-512", 8, HASH64), 7), "valid",
                      "A 512-byte password, Drupal 7's maximum, verifies."))
    out.append(vector("drupal7-password-4097", "drupal7", PASSWORD_4097,
                      drupal7_hash(PASSWORD_4097, fixed_text_salt("drupal7-4097", 8, HASH64), 7), "password_too_long",
                      "A password one byte above the 4096-byte limit is rejected."))

    md5_salt = fixed_text_salt("drupal7-md5", 8, HASH64)
    md5_stored = drupal7_md5_hash(PASSWORD, md5_salt)
    out += valid_and_wrong("drupal7-md5-basic", "drupal7-md5", md5_stored,
                           "U$S$ (the $S$ loop over the MD5 hex of the password) verifies.")
    out.append(vector("drupal7-md5-without-u", "drupal7", PASSWORD, md5_stored[1:], "invalid",
                      "Without the U prefix the hash is checked against the raw password and does not match."))
    out.append(vector("drupal7-md5-hex-as-password", "drupal7-md5", hashlib.md5(PASSWORD).hexdigest().encode(),
                      md5_stored, "invalid", "The MD5 hex itself is not the password of a U$S$ hash."))

    def with_count(text, log2):
        return text[:3] + HASH64[log2] + text[4:]

    out += [
        vector("drupal7-truncated", "drupal7", PASSWORD, stored[:-1], "malformed_hash",
               "A $S$ hash has 55 characters, and this one has 54."),
        vector("drupal7-untruncated", "drupal7", PASSWORD, phpass_style_hash("sha512", "$S$", 15, salt, PASSWORD),
               "malformed_hash", "Drupal 7 stores only the first 55 characters, so the full 98 are rejected."),
        vector("drupal7-invalid-char", "drupal7", PASSWORD, replace_first_char(stored, 30, "*"), "malformed_hash",
               "A '*' is not in the phpass base64 alphabet."),
        vector("drupal7-count-6", "drupal7", PASSWORD, with_count(stored, 6), "malformed_hash",
               "Drupal 7 accepts 2^7 to 2^30 iterations, so '4' (2^6) is out of range."),
        vector("drupal7-count-31", "drupal7", PASSWORD, with_count(stored, 31), "malformed_hash",
               "Drupal 7 accepts 2^7 to 2^30 iterations, so 'T' (2^31) is out of range."),
        vector("drupal7-count-21", "drupal7", PASSWORD, with_count(stored, 21), "parameters_exceed_limits",
               "Count 'J' (2^21 iterations) is one above the default limit of 20."),
        vector("drupal7-md5-truncated", "drupal7-md5", PASSWORD, md5_stored[:-1], "malformed_hash",
               "A U$S$ hash has 56 characters, and this one has 55."),
        vector("drupal7-md5-invalid-char", "drupal7-md5", PASSWORD, replace_first_char(md5_stored, 31, "*"),
               "malformed_hash", "A '*' is not in the phpass base64 alphabet."),
        vector("drupal7-md5-count-6", "drupal7-md5", PASSWORD, "U" + with_count(md5_stored[1:], 6), "malformed_hash",
               "Drupal 7 accepts 2^7 to 2^30 iterations, so '4' (2^6) is out of range."),
        vector("drupal7-md5-count-21", "drupal7-md5", PASSWORD, "U" + with_count(md5_stored[1:], 21),
               "parameters_exceed_limits", "Count 'J' (2^21 iterations) is one above the default limit of 20."),
    ]
    return out


def wordpress_vectors():
    out = []
    salt = bcrypt_salt("wordpress-bcrypt")
    stored = wordpress_bcrypt(PASSWORD, salt)
    assert stored.startswith(f"$wp$2y$05${salt}")
    assert len(stored) == 63

    # Second route: HMAC from hashlib digests, and passlib's pure-Python bcrypt on the inner string.
    prehash = base64.b64encode(hmac_reference("sha384", b"wp-sha384", PASSWORD))
    cross_check(prehash, wordpress_prehash(PASSWORD), "wordpress prehash against hmac_reference")
    cross_check(passlib_bcrypt_verify(prehash, stored[3:]), True, "wordpress-bcrypt against passlib bcrypt")

    out += valid_and_wrong("wordpress-bcrypt-basic", "wordpress-bcrypt", stored,
                           "$wp$2y$05$ over base64(HMAC-SHA384) of the password verifies.")
    unicode_stored = wordpress_bcrypt(UNICODE_PASSWORD, bcrypt_salt("wordpress-unicode"))
    out.append(vector("wordpress-bcrypt-unicode", "wordpress-bcrypt", UNICODE_PASSWORD, unicode_stored, "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    long_stored = wordpress_bcrypt(LONG_PASSWORD, bcrypt_salt("wordpress-100"))
    out += valid_and_wrong("wordpress-bcrypt-100-bytes", "wordpress-bcrypt", long_stored,
                           "A 100-byte password verifies, because the pre-hash removes bcrypt's 72-byte cut.",
                           password=LONG_PASSWORD, wrong_password=LONG_PASSWORD[:72],
                           wrong_note="The 72-byte prefix of a 100-byte password does not verify.")
    cross_check(passlib_bcrypt_verify(wordpress_prehash(LONG_PASSWORD[:72]), long_stored[3:]), False,
                "wordpress 72-byte prefix against passlib bcrypt")
    cost_4 = wordpress_bcrypt(PASSWORD, bcrypt_salt("wordpress-cost-4"), cost=4)
    out.append(vector("wordpress-bcrypt-cost-04", "wordpress-bcrypt", PASSWORD, cost_4, "valid", "Cost 04 verifies."))

    raw_bcrypt = "$wp" + bcrypt.hashpw(PASSWORD, f"$2y$05${salt}".encode()).decode()
    body = stored[len("$wp$2y$05$"):]
    out += [
        vector("wordpress-bcrypt-no-prehash", "wordpress-bcrypt", PASSWORD, raw_bcrypt, "invalid",
               "bcrypt of the raw password under $wp does not match, because $wp requires the pre-hash."),
        vector("wordpress-bcrypt-truncated", "wordpress-bcrypt", PASSWORD, stored[:-1], "malformed_hash",
               "The bcrypt part has 59 characters instead of 60."),
        vector("wordpress-bcrypt-cost-03", "wordpress-bcrypt", PASSWORD, f"$wp$2y$03${body}", "malformed_hash",
               "bcrypt costs start at 04."),
        vector("wordpress-bcrypt-cost-32", "wordpress-bcrypt", PASSWORD, f"$wp$2y$32${body}", "malformed_hash",
               "bcrypt costs stop at 31."),
        vector("wordpress-bcrypt-cost-17", "wordpress-bcrypt", PASSWORD, f"$wp$2y$17${body}", "parameters_exceed_limits",
               "Cost one above the default limit of 16 is rejected."),
        vector("wordpress-bcrypt-2x", "wordpress-bcrypt", PASSWORD, f"$wp$2x$05${body}", "unsupported_variant",
               "$2x$ is the crypt_blowfish sign-extension variant and is not supported."),
        vector("wordpress-bcrypt-password-4097", "wordpress-bcrypt", PASSWORD_4097,
               wordpress_bcrypt(PASSWORD_4097, bcrypt_salt("wordpress-4097")), "password_too_long",
               "A password one byte above the 4096-byte limit is rejected, as WordPress also does."),
    ]
    return out


# Django salted digests, bcrypt and Argon2


def django_digest(hash_name, password, salt):
    """Return Django's `<md5|sha1>$<salt>$<hex of digest(salt + password)>`. An empty salt is the unsalted form."""
    return f"{hash_name}${salt}${hashlib.new(hash_name, salt.encode() + password).hexdigest()}"


def django_bcrypt_sha256_key(password):
    """Return Django's bcrypt_sha256 input: the lowercase hex SHA-256 of the password (64 bytes)."""
    return hashlib.sha256(password).hexdigest().encode()


def passlib_bcrypt_sha256_key(password, salt):
    """Return passlib's bcrypt_sha256 v2 input: base64(HMAC-SHA256(key=the 22-character salt, message=password))."""
    return base64.b64encode(hmac.new(salt.encode(), password, hashlib.sha256).digest())


def django_vectors():
    out = []
    handlers = {"md5": passlib_hash.django_salted_md5, "sha1": passlib_hash.django_salted_sha1}
    for hash_name, handler in handlers.items():
        scheme = f"django-{hash_name}"
        salt = fixed_text_salt(scheme, 12)
        stored = handler.using(salt=salt).hash(PASSWORD)
        cross_check(stored, django_digest(hash_name, PASSWORD, salt), f"{scheme} against hashlib")
        out += valid_and_wrong(f"{scheme}-salted", scheme, stored,
                               f"Django's salted {hash_name} (digest of salt + password) verifies.")
        unsalted = handler.using(salt="").hash(PASSWORD)
        cross_check(unsalted, django_digest(hash_name, PASSWORD, ""), f"{scheme} unsalted against hashlib")
        out += valid_and_wrong(f"{scheme}-unsalted", scheme, unsalted, f"Django's unsalted {hash_name}$$ form verifies.")

    md5_salt = fixed_text_salt("django-md5-errors", 12)
    md5_hex = hashlib.md5(md5_salt.encode() + PASSWORD).hexdigest()
    out += [
        vector("django-md5-truncated", "django-md5", PASSWORD, f"md5${md5_salt}${md5_hex[:30]}", "wrong_digest_length",
               "The hex digest has 15 bytes instead of 16."),
        vector("django-md5-invalid-hex", "django-md5", PASSWORD, f"md5${md5_salt}$z{md5_hex[1:]}", "malformed_hash",
               "A 'z' is not a hex digit."),
        vector("django-sha1-md5-length", "django-sha1", PASSWORD, f"sha1${md5_salt}${md5_hex}", "wrong_digest_length",
               "sha1 needs 20 bytes, but the hex digest has 16."),
        vector("django-sha1-invalid-hex", "django-sha1", PASSWORD,
               f"sha1${md5_salt}$z{hashlib.sha1(md5_salt.encode() + PASSWORD).hexdigest()[1:]}", "malformed_hash",
               "A 'z' is not a hex digit."),
    ]

    salt = bcrypt_salt("django-bcrypt")
    stored = "bcrypt$" + bcrypt.hashpw(PASSWORD, f"$2b$05${salt}".encode()).decode()
    cross_check(with_backend(passlib_hash.django_bcrypt, "builtin").verify(PASSWORD, stored), True,
                "django-bcrypt against passlib")
    out += valid_and_wrong("django-bcrypt-basic", "django-bcrypt", stored,
                           "Django's bcrypt$ wrapper around $2b$05$ verifies.")
    body = stored[len("bcrypt$$2b$05$"):]
    out += [
        vector("django-bcrypt-truncated", "django-bcrypt", PASSWORD, stored[:-1], "malformed_hash",
               "The bcrypt part has 59 characters instead of 60."),
        vector("django-bcrypt-invalid-char", "django-bcrypt", PASSWORD, replace_first_char(stored, 40, "+"),
               "malformed_hash", "'+' is not in the bcrypt base64 alphabet."),
        vector("django-bcrypt-cost-03", "django-bcrypt", PASSWORD, f"bcrypt$$2b$03${body}", "malformed_hash",
               "bcrypt costs start at 04."),
        vector("django-bcrypt-cost-32", "django-bcrypt", PASSWORD, f"bcrypt$$2b$32${body}", "malformed_hash",
               "bcrypt costs stop at 31."),
        vector("django-bcrypt-cost-17", "django-bcrypt", PASSWORD, f"bcrypt$$2b$17${body}", "parameters_exceed_limits",
               "Cost one above the default limit of 16 is rejected."),
    ]

    salt = bcrypt_salt("django-bcrypt-sha256")
    stored = "bcrypt_sha256$" + bcrypt.hashpw(django_bcrypt_sha256_key(PASSWORD), f"$2b$05${salt}".encode()).decode()
    cross_check(with_backend(passlib_hash.django_bcrypt_sha256, "builtin").verify(PASSWORD, stored), True,
                "django-bcrypt-sha256 against passlib")
    out += valid_and_wrong("django-bcrypt-sha256-basic", "django-bcrypt-sha256", stored,
                           "Django's bcrypt_sha256$ (bcrypt of the hex SHA-256) verifies.")
    long_stored = "bcrypt_sha256$" + bcrypt.hashpw(django_bcrypt_sha256_key(LONG_PASSWORD),
                                                   f"$2b$05${bcrypt_salt('django-bcrypt-sha256-100')}".encode()).decode()
    out += valid_and_wrong("django-bcrypt-sha256-100-bytes", "django-bcrypt-sha256", long_stored,
                           "A 100-byte password verifies, because the SHA-256 pre-hash removes bcrypt's 72-byte cut.",
                           password=LONG_PASSWORD, wrong_password=LONG_PASSWORD[:72],
                           wrong_note="The 72-byte prefix of a 100-byte password does not verify.")
    out += [
        vector("django-bcrypt-sha256-truncated", "django-bcrypt-sha256", PASSWORD, stored[:-1], "malformed_hash",
               "The bcrypt part has 59 characters instead of 60."),
        vector("django-bcrypt-sha256-invalid-char", "django-bcrypt-sha256", PASSWORD,
               replace_first_char(stored, 50, "+"), "malformed_hash", "'+' is not in the bcrypt base64 alphabet."),
        vector("django-bcrypt-sha256-cost-03", "django-bcrypt-sha256", PASSWORD,
               stored.replace("$2b$05$", "$2b$03$", 1), "malformed_hash", "bcrypt costs start at 04."),
        vector("django-bcrypt-sha256-cost-17", "django-bcrypt-sha256", PASSWORD,
               stored.replace("$2b$05$", "$2b$17$", 1), "parameters_exceed_limits",
               "Cost one above the default limit of 16 is rejected."),
    ]

    out += django_argon2_vectors()
    return out


def django_argon2(password, salt, type, version=19, m=256, t=2, p=1):
    """Return Django's `argon2` + libargon2's PHC string, for example `argon2$argon2id$v=19$...`."""
    return "argon2" + hash_secret(password, salt, time_cost=t, memory_cost=m, parallelism=p, hash_len=32,
                                  type=type, version=version).decode()


def django_argon2_vectors():
    verify = passlib_hash.django_argon2.verify
    stored = django_argon2(PASSWORD, fixed_salt("django-argon2", 16), Type.ID)
    cross_check(verify(PASSWORD, stored), True, "django-argon2 against passlib")
    out = valid_and_wrong("django-argon2-basic", "django-argon2", stored,
                          "Django's argon2$argon2id$v=19 with m=256 KiB verifies.")
    argon2i = django_argon2(PASSWORD, fixed_salt("django-argon2i", 16), Type.I)
    out.append(vector("django-argon2-argon2i", "django-argon2", PASSWORD, argon2i, "valid",
                      "argon2i, the variant of Django's first Argon2 hasher, verifies."))
    v16 = django_argon2(PASSWORD, fixed_salt("django-argon2-v16", 16), Type.I, version=16).replace("$v=16$", "$", 1)
    out.append(vector("django-argon2-no-version", "django-argon2", PASSWORD, v16, "valid",
                      "An argon2i string without v= is read as v=16."))
    params = stored.split("$")[3]
    assert params == "m=256,t=2,p=1"
    over = stored.replace(params, "m=262145,t=2,p=1", 1)
    out += [
        vector("django-argon2-m-262145", "django-argon2", PASSWORD, over, "parameters_exceed_limits",
               "m one above the default limit of 262144 KiB is rejected."),
        vector("django-argon2-truncated", "django-argon2", PASSWORD, stored.rsplit("$", 1)[0], "malformed_hash",
               "The hash segment is missing."),
        vector("django-argon2-invalid-char", "django-argon2", PASSWORD, replace_first_char(stored, len(stored) - 10, "*"),
               "malformed_hash", "A '*' is not a base64 character."),
        vector("django-argon2-t-zero", "django-argon2", PASSWORD, stored.replace(params, "m=256,t=0,p=1", 1),
               "malformed_hash", "t=0 is outside Argon2's range."),
    ]
    return out


def passlib_bcrypt_sha256_vectors():
    out = []
    handler = with_backend(passlib_hash.bcrypt_sha256, "builtin")
    salt = bcrypt_salt("passlib-bcrypt-sha256")
    stored = handler.using(salt=salt, rounds=5).hash(PASSWORD)
    assert stored.startswith(f"$bcrypt-sha256$v=2,t=2b,r=5${salt}$"), stored
    # Second route: pyca bcrypt over the documented v2 key.
    mcf = bcrypt.hashpw(passlib_bcrypt_sha256_key(PASSWORD, salt), f"$2b$05${salt}".encode()).decode()
    cross_check(stored, f"$bcrypt-sha256$v=2,t=2b,r=5${salt}${mcf[29:]}", "passlib-bcrypt-sha256 against pyca bcrypt")
    out += valid_and_wrong("passlib-bcrypt-sha256-v2", "passlib-bcrypt-sha256", stored,
                           "passlib's bcrypt_sha256 v=2 (HMAC-SHA256 keyed by the salt) verifies.")

    v1_salt = bcrypt_salt("passlib-bcrypt-sha256-v1")
    v1_mcf = bcrypt.hashpw(base64.b64encode(hashlib.sha256(PASSWORD).digest()), f"$2b$05${v1_salt}".encode()).decode()
    v1 = f"$bcrypt-sha256$2b,5${v1_salt}${v1_mcf[29:]}"
    cross_check(handler.verify(PASSWORD, v1), True, "passlib-bcrypt-sha256 v1 against passlib")
    out += valid_and_wrong("passlib-bcrypt-sha256-v1", "passlib-bcrypt-sha256", v1,
                           "The v1 form of passlib before 1.7.3 (plain SHA-256 pre-hash) verifies.")

    digest = stored.split("$")[-1]
    out += [
        vector("passlib-bcrypt-sha256-truncated", "passlib-bcrypt-sha256", PASSWORD, stored[:-1], "malformed_hash",
               "The digest has 30 characters instead of 31."),
        vector("passlib-bcrypt-sha256-r-03", "passlib-bcrypt-sha256", PASSWORD,
               f"$bcrypt-sha256$v=2,t=2b,r=3${salt}${digest}", "malformed_hash", "bcrypt costs start at 4."),
        vector("passlib-bcrypt-sha256-r-17", "passlib-bcrypt-sha256", PASSWORD,
               f"$bcrypt-sha256$v=2,t=2b,r=17${salt}${digest}", "parameters_exceed_limits",
               "Cost one above the default limit of 16 is rejected."),
        vector("passlib-bcrypt-sha256-v3", "passlib-bcrypt-sha256", PASSWORD,
               f"$bcrypt-sha256$v=3,t=2b,r=5${salt}${digest}", "unsupported_variant",
               "passlib 1.7.4 defines only versions 1 and 2."),
        vector("passlib-bcrypt-sha256-invalid-char", "passlib-bcrypt-sha256", PASSWORD,
               replace_first_char(stored, len(stored) - 5, "+"), "malformed_hash",
               "'+' is not in the bcrypt base64 alphabet."),
        vector("passlib-bcrypt-sha256-r-32", "passlib-bcrypt-sha256", PASSWORD,
               f"$bcrypt-sha256$v=2,t=2b,r=32${salt}${digest}", "malformed_hash", "bcrypt costs stop at 31."),
    ]
    return out


# MySQL and PostgreSQL


def mysql41(password):
    """Return MySQL 4.1 PASSWORD(): `*` + uppercase hex of SHA1(SHA1(password))."""
    return "*" + hashlib.sha1(hashlib.sha1(password).digest()).hexdigest().upper()


def postgres_md5(password, user):
    """Return PostgreSQL's `md5` + hex of MD5(password + user name)."""
    return "md5" + hashlib.md5(password + user.encode()).hexdigest()


def database_vectors():
    stored = passlib_hash.mysql41.hash(PASSWORD)
    cross_check(stored, mysql41(PASSWORD), "mysql41 against hashlib")
    out = valid_and_wrong("mysql41-basic", "mysql41", stored, "MySQL 4.1 *HEX verifies.")
    out.append(vector("mysql41-unicode", "mysql41", UNICODE_PASSWORD, mysql41(UNICODE_PASSWORD), "valid",
                      "A UTF-8 password with non-ASCII characters verifies."))
    out += [
        vector("mysql41-truncated", "mysql41", PASSWORD, stored[:-2], "wrong_digest_length",
               "The hex digest has 19 bytes instead of 20."),
        vector("mysql41-invalid-hex", "mysql41", PASSWORD, replace_first_char(stored, 1, "G"), "malformed_hash",
               "A 'G' is not a hex digit."),
    ]

    user = "alice"
    stored = passlib_hash.postgres_md5.hash(PASSWORD, user=user)
    cross_check(stored, postgres_md5(PASSWORD, user), "postgres-md5 against hashlib")
    out += valid_and_wrong("postgres-md5-basic", "postgres-md5", stored, "PostgreSQL md5 with user alice verifies.",
                           user=user)
    out.append(vector("postgres-md5-other-user", "postgres-md5", PASSWORD, stored, "invalid",
                      "The same hash does not verify for another user name.", user="bob"))
    out += [
        vector("postgres-md5-truncated", "postgres-md5", PASSWORD, stored[:-2], "wrong_digest_length",
               "The hex digest has 15 bytes instead of 16.", user=user),
        vector("postgres-md5-invalid-hex", "postgres-md5", PASSWORD, replace_first_char(stored, 3, "x"),
               "malformed_hash", "An 'x' is not a hex digit.", user=user),
    ]
    return out


# Ory Kratos digests

KRATOS_DIGESTS = ("md5", "sha1", "sha256", "sha512")


def kratos_fill(template, salt, password):
    """Fill a Kratos `pf` template in one left-to-right pass, as Go's strings.NewReplacer does.

    Replaced text is never scanned again, so a password containing "{SALT}" stays as it is.
    """
    out = b""
    rest = template
    while rest:
        if rest.startswith(b"{SALT}"):
            out, rest = out + salt, rest[len(b"{SALT}"):]
        elif rest.startswith(b"{PASSWORD}"):
            out, rest = out + password, rest[len(b"{PASSWORD}"):]
        else:
            out, rest = out + rest[:1], rest[1:]
    return out


def kratos_templated(hash_name, password, salt, template=b"{SALT}{PASSWORD}"):
    """Return `$<digest>$pf=<b64 template>$<b64 salt>$<b64 digest>`, padded standard base64."""
    digest = hashlib.new(hash_name, kratos_fill(template, salt, password)).digest()
    return f"${hash_name}$pf={b64(template)}${b64(salt)}${b64(digest)}"


def kratos_md5(password):
    """Return Kratos's unsalted `$md5$<b64 of the raw MD5>`."""
    return "$md5$" + b64(hashlib.md5(password).digest())


def kratos_vectors():
    out = []
    for hash_name in KRATOS_DIGESTS:
        scheme = f"kratos-{hash_name}"
        salt = fixed_text_salt(scheme, 10).encode()
        stored = kratos_templated(hash_name, PASSWORD, salt)
        # Second route: with {SALT}{PASSWORD} the message is the plain concatenation.
        cross_check(stored.split("$")[-1], b64(hashlib.new(hash_name, salt + PASSWORD).digest()),
                    f"{scheme} against concatenation")
        out += valid_and_wrong(f"{scheme}-salt-first", scheme, stored,
                               f"Kratos ${hash_name}$ with the template {{SALT}}{{PASSWORD}} verifies.")

    stored = kratos_md5(PASSWORD)
    cross_check(stored, "$md5$" + b64(bytes.fromhex(hashlib.md5(PASSWORD).hexdigest())), "kratos-md5 against hex")
    out += valid_and_wrong("kratos-md5-unsalted", "kratos-md5", stored, "Kratos's unsalted $md5$ verifies.")
    out.append(vector("kratos-md5-unsalted-unicode", "kratos-md5", UNICODE_PASSWORD, kratos_md5(UNICODE_PASSWORD),
                      "valid", "A UTF-8 password with non-ASCII characters verifies."))

    salt = fixed_text_salt("kratos-templates", 12).encode()
    templates = [
        ("kratos-sha256-password-first", "sha256", b"{PASSWORD}{SALT}", PASSWORD,
         "The template {PASSWORD}{SALT} puts the salt last."),
        ("kratos-sha1-literal-dollars", "sha1", b"${PASSWORD}${SALT}$", PASSWORD,
         "Literal text, '$' included, is hashed as written."),
        ("kratos-sha512-password-twice", "sha512", b"{PASSWORD}:{SALT}:{PASSWORD}", PASSWORD,
         "A placeholder may appear more than once."),
        ("kratos-md5-no-salt-placeholder", "md5", b"pepper-{PASSWORD}", PASSWORD,
         "A template without {SALT} ignores the salt field."),
        ("kratos-md5-password-with-placeholder", "md5", b"{SALT}{PASSWORD}", b"a{SALT}b",
         "A password containing {SALT} is hashed as written, because replaced text is not scanned again."),
    ]
    for id, hash_name, template, password, note in templates:
        stored = kratos_templated(hash_name, password, salt, template)
        out.append(vector(id, f"kratos-{hash_name}", password, stored, "valid", note))
    cross_check(kratos_fill(b"{SALT}{PASSWORD}", salt, b"a{SALT}b"), salt + b"a{SALT}b", "kratos_fill single pass")
    return out + kratos_error_vectors()


def kratos_error_vectors():
    salt = fixed_text_salt("kratos-errors", 10).encode()
    stored = kratos_templated("sha256", PASSWORD, salt)
    _, _, pf, salt_b64, digest_b64 = stored.split("$")

    def error(id, text, expect, note, scheme="kratos-sha256"):
        return vector(id, scheme, PASSWORD, text, expect, note)

    def with_template(template):
        return f"$sha256$pf={b64(template)}${salt_b64}${digest_b64}"

    md5_hex_text = hashlib.md5(PASSWORD).hexdigest().encode()
    return [
        error("kratos-md5-base64-of-hex", "$md5$" + b64(md5_hex_text), "wrong_digest_length",
              "Base64 of the 32-character hex text decodes to 32 bytes, not 16.", scheme="kratos-md5"),
        error("kratos-md5-unpadded", kratos_md5(PASSWORD).rstrip("="), "malformed_hash",
              "Kratos decodes with padding required, so unpadded base64 is rejected.", scheme="kratos-md5"),
        error("kratos-md5-empty", "$md5$", "malformed_hash", "The digest field is empty.", scheme="kratos-md5"),
        error("kratos-sha256-sha1-sized", f"$sha256${pf}${salt_b64}${b64(bytes(20))}", "wrong_digest_length",
              "A 20-byte digest under $sha256$."),
        error("kratos-sha256-missing-salt", f"$sha256${pf}${digest_b64}", "malformed_hash",
              "The salt field is missing."),
        error("kratos-sha256-pf-empty", f"$sha256$pf=${salt_b64}${digest_b64}", "malformed_hash",
              "The template is empty."),
        error("kratos-sha256-pf-not-base64", f"$sha256$pf={{SALT}}{{PASSWORD}}${salt_b64}${digest_b64}",
              "malformed_hash", "The template is written as text instead of base64."),
        error("kratos-sha256-no-password", with_template(b"{SALT}"), "malformed_hash",
              "A template without {PASSWORD} would match every password."),
        error("kratos-sha256-lowercase-placeholder", with_template(b"{salt}{PASSWORD}"), "malformed_hash",
              "A placeholder in another case is a misspelling, not literal text."),
        error("kratos-sha256-password-5-times", with_template(b"{PASSWORD}" * 5), "malformed_hash",
              "More than 4 uses of one placeholder are rejected."),
        error("kratos-sha256-template-257", with_template(b"{PASSWORD}" + b"x" * 247), "malformed_hash",
              "A template over 256 bytes is rejected."),
        error("kratos-sha256-salt-urlsafe", f"$sha256${pf}${replace_first_char(salt_b64, 0, '-')}${digest_b64}",
              "malformed_hash", "The salt uses '-', which is not standard base64."),
    ]


# defuse/password-hashing PBKDF2

# PasswordStorage.php (v2): "sha1", 64000 iterations, 24-byte salt, 18-byte key.
DEFUSE_V2_DEFAULTS = ("sha1", 64000, 24, 18)

# The example hashes of "foobar" in the README of defuse/password-hashing.
DEFUSE_README_EXAMPLES = (
    "sha1:64000:18:B6oWbvtHvu8qCgoE75wxmvpidRnGzGFt:R1gkPOuVjqIoTulWP1TABS0H",
    "sha1:64000:18:/GO9XQOPexBFVzRjC9mcOkVEi7ZHQc0/:0mY83V5PvmkkHRR41R1iIhx/",
)


def defuse_v2(hash_name, password, salt, iterations, key_length):
    """Return `algorithm:iterations:size:salt:key` with PBKDF2 over the decoded salt."""
    key = pbkdf2(hash_name, password, salt, iterations, key_length)
    return f"{hash_name}:{iterations}:{len(key)}:{b64(salt)}:{b64(key)}"


def defuse_v1(hash_name, password, salt, iterations, key_length, salt_as_text):
    """Return `algorithm:iterations:salt:key`.

    The original PHP PasswordHash.php passes the base64 text of the salt to PBKDF2
    (`salt_as_text`), and compatible/PasswordHash.php passes the decoded salt.
    """
    salt_text = b64(salt)
    pbkdf2_salt = salt_text.encode() if salt_as_text else salt
    key = pbkdf2(hash_name, password, pbkdf2_salt, iterations, key_length)
    return f"{hash_name}:{iterations}:{salt_text}:{b64(key)}"


def defuse_vectors():
    out = []
    for example in DEFUSE_README_EXAMPLES:
        name, iterations, _, salt_b64, _ = example.split(":")
        cross_check(defuse_v2(name, b"foobar", base64.b64decode(salt_b64), int(iterations), 18), example,
                    "defuse_v2 against the README example")

    hash_name, iterations, salt_bytes, key_bytes = DEFUSE_V2_DEFAULTS
    salt = fixed_salt("defuse-v2", salt_bytes)
    stored = defuse_v2(hash_name, PASSWORD, salt, iterations, key_bytes)
    cross_check(stored.split(":")[-1], b64(pbkdf2_reference("sha1", PASSWORD, salt, iterations, key_bytes)),
                "defuse v2 against pbkdf2_reference")
    out += valid_and_wrong("defuse-v2-default", "defuse-pbkdf2", stored,
                           "v2 with its defaults (SHA-1, 64000 iterations, 18-byte key) verifies.")
    out.append(vector("defuse-v2-sha256-32", "defuse-pbkdf2", UNICODE_PASSWORD,
                      defuse_v2("sha256", UNICODE_PASSWORD, fixed_salt("defuse-v2-sha256", 24), 1000, 32), "valid",
                      "v2 with SHA-256, a 32-byte key and a non-ASCII password verifies."))

    salt = fixed_salt("defuse-v1-text", 24)
    stored = defuse_v1("sha256", PASSWORD, salt, 1000, 24, salt_as_text=True)
    cross_check(stored.split(":")[-1], b64(pbkdf2_reference("sha256", PASSWORD, b64(salt).encode(), 1000, 24)),
                "defuse v1 against pbkdf2_reference")
    out += valid_and_wrong("defuse-v1-salt-text", "defuse-pbkdf2", stored,
                           "v1 of the original PHP code, PBKDF2 over the base64 text of the salt, verifies.")
    salt = fixed_salt("defuse-v1-bytes", 24)
    stored = defuse_v1("sha1", PASSWORD, salt, 1000, 24, salt_as_text=False)
    out += valid_and_wrong("defuse-v1-salt-bytes", "defuse-pbkdf2", stored,
                           "v1 of compatible/PasswordHash.php, PBKDF2 over the decoded salt, verifies.")
    return out + defuse_error_vectors()


def defuse_error_vectors():
    salt = fixed_salt("defuse-errors", 24)
    salt_b64 = b64(salt)
    key = pbkdf2("sha1", PASSWORD, salt, 1000, 18)

    def error(id, text, expect, note):
        return vector(id, "defuse-pbkdf2", PASSWORD, text, expect, note)

    return [
        error("defuse-v2-size-mismatch", f"sha1:1000:20:{salt_b64}:{b64(key)}", "malformed_hash",
              "The size field says 20 bytes, the key has 18."),
        error("defuse-v2-key-15", f"sha1:1000:15:{salt_b64}:{b64(key[:15])}", "malformed_hash",
              "A 15-byte key is below pwmigrate's 16-byte minimum, although the size matches."),
        error("defuse-v2-key-257", f"sha1:1000:257:{salt_b64}:{b64(pbkdf2('sha1', PASSWORD, salt, 1, 257))}",
              "malformed_hash", "A 257-byte key is above pwmigrate's 256-byte maximum."),
        error("defuse-v1-key-1", f"sha256:1000:{salt_b64}:{b64(key[:1])}", "malformed_hash",
              "A 1-byte key would match one password in 256."),
        error("defuse-v1-key-empty", f"sha256:1000:{salt_b64}:", "malformed_hash", "The key field is empty."),
        error("defuse-v2-iterations-5000001", f"sha1:5000001:18:{salt_b64}:{b64(key)}", "parameters_exceed_limits",
              "One iteration above the default limit of 5,000,000 is rejected."),
        error("defuse-v2-iterations-zero", f"sha1:0:18:{salt_b64}:{b64(key)}", "malformed_hash",
              "PBKDF2 needs at least one iteration."),
        error("defuse-v2-iterations-leading-zero", f"sha1:01000:18:{salt_b64}:{b64(key)}", "malformed_hash",
              "A count with a leading zero is not canonical."),
        error("defuse-v2-whirlpool", f"whirlpool:1000:18:{salt_b64}:{b64(key)}", "unsupported_variant",
              "defuse accepts whirlpool, which pwmigrate does not implement."),
        error("defuse-v2-salt-unpadded", f"sha1:1000:18:{b64_nopad(salt[:23])}:{b64(key)}", "malformed_hash",
              "PHP's base64_encode always pads, so an unpadded salt is damage."),
        error("defuse-v2-extra-field", f"sha1:1000:18:18:{salt_b64}:{b64(key)}", "malformed_hash",
              "Six fields match neither version."),
    ]


# ASP.NET SQL Membership


def utf16le_reference(text):
    """Encode `text` as UTF-16LE from its code points, without Python's codec."""
    out = b""
    for char in text:
        code = ord(char)
        if code >= 0x10000:
            code -= 0x10000
            units = (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
        else:
            units = (code,)
        out += b"".join(struct.pack("<H", unit) for unit in units)
    return out


def aspnet_membership(password, salt, hash_name="sha1", password_format=1):
    """Return `<b64 digest>|<format>|<b64 salt>`, digest = hash(salt + UTF-16LE(password))."""
    digest = hashlib.new(hash_name, salt + password.decode().encode("utf-16-le")).digest()
    return f"{b64(digest)}|{password_format}|{b64(salt)}"


def membership_vectors():
    scheme = "aspnet-membership-sha1"
    salt = fixed_salt(scheme, 16)
    stored = aspnet_membership(PASSWORD, salt)
    out = valid_and_wrong("aspnet-membership-sha1-basic", scheme, stored,
                          "SQL Membership PasswordFormat 1 with SHA-1 and a 16-byte salt verifies.")
    non_bmp = "pässwörd-😀".encode()
    unicode_stored = aspnet_membership(non_bmp, salt)
    cross_check(unicode_stored.split("|")[0],
                b64(hashlib.sha1(salt + utf16le_reference(non_bmp.decode())).digest()),
                "aspnet-membership against utf16le_reference")
    out.append(vector("aspnet-membership-sha1-non-bmp", scheme, non_bmp, unicode_stored, "valid",
                      "A password with a character outside the BMP (a UTF-16 surrogate pair) verifies."))
    out.append(vector("aspnet-membership-sha1-non-utf8", scheme, b"\xff" + PASSWORD, stored, "invalid",
                      "A password that is not UTF-8 has no UTF-16 form and cannot match."))

    digest_b64, _, salt_b64 = stored.split("|")

    def error(id, text, expect, note):
        return vector(id, scheme, PASSWORD, text, expect, note)

    return out + [
        error("aspnet-membership-clear", f"{b64(PASSWORD)}|0|{salt_b64}", "unsupported_variant",
              "PasswordFormat 0 stores the password in clear text and is never compared."),
        error("aspnet-membership-encrypted", f"{b64(bytes(48))}|2|{salt_b64}", "unsupported_variant",
              "PasswordFormat 2 is encrypted with a machine key the string does not contain."),
        error("aspnet-membership-format-3", f"{digest_b64}|3|{salt_b64}", "malformed_hash",
              "PasswordFormat has only the values 0, 1 and 2."),
        error("aspnet-membership-sha256-length", aspnet_membership(PASSWORD, salt, "sha256"), "unsupported_variant",
              "A 32-byte hash may be SHA-256 or HMAC-SHA256 keyed with the salt, so it is not read."),
        error("aspnet-membership-truncated", f"{b64(base64.b64decode(digest_b64)[:19])}|1|{salt_b64}",
              "wrong_digest_length", "A 19-byte hash is no SHA-1 digest."),
        error("aspnet-membership-unpadded", f"{digest_b64.rstrip('=')}|1|{salt_b64}", "malformed_hash",
              ".NET always pads its base64, so an unpadded hash is damage."),
        error("aspnet-membership-empty-salt", f"{digest_b64}|1|", "malformed_hash", "The salt field is empty."),
    ]


# Strings that claim no supported scheme


def garbage_vectors():
    """Return strings shaped like unsupported schemes. Only the shape matters, so the digests are filler."""
    salt = fixed_salt("garbage-ssha1", 8)
    sha_salted = b64(hashlib.sha1(PASSWORD + salt).digest() + salt)
    des_shaped = fixed_text_salt("garbage-des", 13, HASH64)
    scrypt_shaped = "$7$C6..../...." + fixed_text_salt("garbage-scrypt-salt", 16, HASH64) + "$" + \
        fixed_text_salt("garbage-scrypt-hash", 43, HASH64)
    cases = [
        ("unknown-ldap-tag", "{SSHA1}" + sha_salted, "{SSHA1} is not an LDAP scheme tag."),
        ("ldap-crypt-des", "{CRYPT}" + des_shaped, "Traditional DES crypt under {CRYPT} is not supported."),
        ("crypt-nthash", "$3$$" + fixed_salt("garbage-nthash", 16).hex(), "The $3$ NT-hash crypt form is not supported."),
        ("crypt-scrypt", scrypt_shaped, "The $7$ scrypt crypt form is not supported."),
        ("django-pbkdf2-sha384", "pbkdf2_sha384$1000$salt$" + b64(bytes(48)), "Django has no pbkdf2_sha384 hasher."),
        ("sha256-unsalted-mcf", "$sha256$" + b64(hashlib.sha256(PASSWORD).digest()),
         "Kratos reads $sha256$ only with a pf= template, so a bare digest behind it is no Kratos hash."),
    ]
    # Real hashes of the schemes that share Kratos's identifiers, made with passlib.
    sun_md5 = passlib_hash.sun_md5_crypt.using(salt=fixed_text_salt("garbage-sunmd5", 8), rounds=5000)
    cases += [
        ("sunmd5-rounds", sun_md5.hash(PASSWORD), "SunMD5 ($md5,rounds=) is not supported."),
        ("sunmd5-default", sun_md5.using(rounds=0).hash(PASSWORD), "SunMD5 ($md5$<salt>$$<hash>) is not supported."),
        ("sunmd5-bare-salt", sun_md5.using(rounds=0).hash(PASSWORD).replace("$$", "$", 1),
         "SunMD5 with a bare salt ($md5$<salt>$<hash>) is not supported. The checksum is filler."),
        ("netbsd-sha1-crypt", passlib_hash.sha1_crypt.using(salt=fixed_text_salt("garbage-sha1-crypt", 8),
                                                             rounds=21979).hash(PASSWORD),
         "NetBSD's sha1-crypt ($sha1$<rounds>$<salt>$<hash>) is not supported."),
    ]
    out = [vector(id, None, PASSWORD, stored, "unsupported_scheme", note) for id, stored, note in cases]
    # A string of no known shape at all is malformed rather than of an unsupported scheme.
    out.append(vector("plaintext", None, PASSWORD, "correct horse battery staple", "malformed_hash",
                      "A plaintext password is not a hash."))
    return out


# Recheck of every vector before writing


PASSLIB_VERIFIERS = {
    "passlib-pbkdf2-sha1": passlib_hash.pbkdf2_sha1,
    "passlib-pbkdf2-sha256": passlib_hash.pbkdf2_sha256,
    "passlib-pbkdf2-sha512": passlib_hash.pbkdf2_sha512,
    "django-pbkdf2-sha256": passlib_hash.django_pbkdf2_sha256,
    "django-pbkdf2-sha1": passlib_hash.django_pbkdf2_sha1,
    "atlassian-pbkdf2": passlib_hash.atlassian_pbkdf2_sha1,
    "md5-crypt": passlib_hash.md5_crypt,
    "apr1-crypt": passlib_hash.apr_md5_crypt,
    "sha256-crypt": passlib_hash.sha256_crypt,
    "sha512-crypt": passlib_hash.sha512_crypt,
    "phpass": passlib_hash.phpass,
    "django-md5": passlib_hash.django_salted_md5,
    "django-sha1": passlib_hash.django_salted_sha1,
    "django-bcrypt": passlib_hash.django_bcrypt,
    "django-bcrypt-sha256": passlib_hash.django_bcrypt_sha256,
    "django-argon2": passlib_hash.django_argon2,
    "passlib-bcrypt-sha256": passlib_hash.bcrypt_sha256,
    "mysql41": passlib_hash.mysql41,
    "postgres-md5": passlib_hash.postgres_md5,
}


def recompute_matches(scheme, password, stored):
    """Recompute a hash that passlib cannot verify, from the fields parsed out of `stored`."""
    if scheme.startswith("pbkdf2-"):
        _, ident, params, salt_text, hash_text = stored.split("$")
        fields = dict(item.split("=") for item in params.split(","))
        salt = base64.b64decode(salt_text + "==")
        expected = base64.b64decode(hash_text + "==")
        derived = pbkdf2(ident[len("pbkdf2-"):], password, salt, int(fields["i"]), int(fields["l"]))
        return hmac.compare_digest(derived, expected)
    if scheme == "werkzeug-pbkdf2":
        method, salt, hex_digest = stored.split("$", 2)
        parts = method.split(":")
        iterations = int(parts[2]) if len(parts) == 3 else WERKZEUG_DEFAULT_ITERATIONS
        return pbkdf2(parts[1], password, salt.encode(), iterations).hex() == hex_digest
    if scheme == "aspnet-identity-v2":
        blob = base64.b64decode(stored)
        return pbkdf2("sha1", password, blob[1:17], 1000, 32) == blob[17:]
    if scheme == "aspnet-identity-v3":
        blob = base64.b64decode(stored)
        prf, iterations, salt_length = struct.unpack(">III", blob[1:13])
        hash_name = {number: name for name, number in ASPNET_PRF.items()}[prf]
        salt, subkey = blob[13:13 + salt_length], blob[13 + salt_length:]
        return pbkdf2(hash_name, password, salt, iterations, len(subkey)) == subkey
    if scheme.startswith("ldap-"):
        tag, encoded = stored[1:].split("}", 1)
        hash_name = LDAP_SCHEMES[scheme][1]
        blob = base64.b64decode(encoded)
        digest_size = hashlib.new(hash_name).digest_size
        digest, salt = blob[:digest_size], blob[digest_size:]
        return hashlib.new(hash_name, password + salt).digest() == digest
    if scheme in ("drupal7", "drupal7-md5"):
        setting = stored[1:] if scheme == "drupal7-md5" else stored
        count_log2 = HASH64.index(setting[3])
        salt = setting[4:12]
        if scheme == "drupal7-md5":
            return drupal7_md5_hash(password, salt, count_log2) == stored
        return drupal7_hash(password, salt, count_log2) == stored
    if scheme == "wordpress-bcrypt":
        return bcrypt.checkpw(wordpress_prehash(password), stored[3:].encode())
    if scheme.startswith("kratos-"):
        fields = stored.split("$")
        message = password
        if len(fields) == 5:
            template = base64.b64decode(fields[2][len("pf="):], validate=True)
            message = kratos_fill(template, base64.b64decode(fields[3], validate=True), password)
        return hashlib.new(fields[1], message).digest() == base64.b64decode(fields[-1], validate=True)
    if scheme == "defuse-pbkdf2":
        fields = stored.split(":")
        key = base64.b64decode(fields[-1], validate=True)
        # v1 has two readings of its salt (see defuse_v1), and v2 decodes it.
        salts = [base64.b64decode(fields[-2], validate=True)]
        if len(fields) == 4:
            salts.append(fields[-2].encode())
        return any(pbkdf2(fields[0], password, salt, int(fields[1]), len(key)) == key for salt in salts)
    if scheme == "aspnet-membership-sha1":
        digest, _, salt = stored.split("|")
        try:
            utf16 = password.decode().encode("utf-16-le")
        except UnicodeDecodeError:
            return False
        return hashlib.sha1(base64.b64decode(salt) + utf16).digest() == base64.b64decode(digest)
    raise ValueError(f"no verifier for {scheme}")


def matches(scheme, password, stored, user):
    """Return whether `password` matches `stored` according to passlib, or a recomputation."""
    if stored[:7].upper() == "{CRYPT}":
        stored = stored[7:]
    handler = PASSLIB_VERIFIERS.get(scheme)
    if handler is None:
        return recompute_matches(scheme, password, stored)
    if "bcrypt" in scheme:
        handler = with_backend(handler, "builtin")
    if user is not None:
        return handler.verify(password, stored, user=user)
    return handler.verify(password, stored)


def recheck_vectors(vectors):
    """Raise unless each valid vector matches and each invalid one does not.

    For malformed and wrong-length vectors that passlib has a handler for, also raise if
    passlib accepts the password, because then the edit did not break the hash. The
    limit vectors are skipped, because passlib would run their full cost.
    """
    skipped = ("password_too_long", "parameters_exceed_limits")
    for v in vectors:
        password = bytes.fromhex(v["password_hex"])
        if v["expect"] in ("valid", "invalid"):
            if matches(v["scheme"], password, v["stored"], v["user"]) != (v["expect"] == "valid"):
                raise SystemExit(f"recheck failed for {v['id']}: expected {v['expect']}")
        elif v["scheme"] in PASSLIB_VERIFIERS and v["expect"] not in skipped:
            try:
                accepted = matches(v["scheme"], password, v["stored"], v["user"])
            except (ValueError, TypeError):
                # passlib raises TypeError for invalid base64 and ValueError for the rest.
                accepted = False
            if accepted:
                raise SystemExit(f"recheck failed for {v['id']}: passlib accepts a {v['expect']} vector")


def main():
    vectors = (
        pbkdf2_phc_vectors()
        + passlib_pbkdf2_vectors()
        + django_pbkdf2_vectors()
        + werkzeug_vectors()
        + atlassian_vectors()
        + aspnet_vectors()
        + ldap_vectors()
        + crypt_vectors()
        + phpass_vectors()
        + drupal_vectors()
        + wordpress_vectors()
        + django_vectors()
        + passlib_bcrypt_sha256_vectors()
        + database_vectors()
        + kratos_vectors()
        + defuse_vectors()
        + membership_vectors()
        + garbage_vectors()
    )
    ids = [v["id"] for v in vectors]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"duplicate vector ids: {duplicates}")
    recheck_vectors(vectors)

    with OUTPUT_PATH.open("w", encoding="utf-8", newline="\n") as file:
        for v in vectors:
            file.write(json.dumps(v, ensure_ascii=False) + "\n")

    counts = Counter((v["scheme"] or "(none)", v["expect"]) for v in vectors)
    for (scheme, expect), count in sorted(counts.items()):
        print(f"{scheme:24} {expect:26} {count}")
    print(f"wrote {len(vectors)} vectors to {OUTPUT_PATH}")


if __name__ == "__main__":
    main()
