r"""Generate tests/vectors/core.jsonl, the core verification vectors for pwmigrate.

Every hash comes from an implementation independent of pwmigrate: Python's hashlib
for digests and PBKDF2, pyca bcrypt for bcrypt, and argon2-cffi (libargon2) for
Argon2. Error vectors are valid hashes edited by hand. Salts are fixed and nothing
is random, so a rerun with the pinned versions rewrites the file byte for byte.

Run from the repository root:

    python3 -m venv .venv-vectors
    .venv-vectors/bin/pip install bcrypt==5.0.0 argon2-cffi==25.1.0 passlib==1.7.4 \
        argon2pure==1.3 cryptography==50.0.2
    .venv-vectors/bin/python tests/vectors/generate_core.py
    .venv-vectors/bin/python tests/vectors/check_core.py

The committed file was made with CPython 3.11.7 (hashlib on OpenSSL 3.0.19),
bcrypt 5.0.0 and argon2-cffi 25.1.0 with argon2-cffi-bindings 26.2.0. passlib,
argon2pure and cryptography are used only by check_core.py, which rechecks every
vector with other implementations.
"""

import base64
import hashlib
import json
from pathlib import Path

import bcrypt
from argon2.low_level import Type, hash_secret

OUTPUT_PATH = Path(__file__).with_name("core.jsonl")

PASSWORD = b"correct horse battery staple"
WRONG_PASSWORD = b"correct horse battery stapler"
UNICODE_PASSWORD = "pässwörd-日本".encode()
# The same text in Unicode NFD (combining diaeresis). As a wrong password it catches an
# engine that normalises Unicode before hashing.
UNICODE_PASSWORD_NFD = "pa\u0308sswo\u0308rd-日本".encode()
LONG_PASSWORD = bytes(0x20 + i % 95 for i in range(1000))

# Upgrade target: Argon2id v=19, m=19456 KiB, t=2, p=1, salt >= 16 bytes, output >= 32 bytes.
POLICY = {"m": 19456, "t": 2, "p": 1, "salt_len": 16, "out": 32}

ARGON2_TYPES = {"argon2id": Type.ID, "argon2i": Type.I, "argon2d": Type.D}
ARGON2_METHODS = {"argon2id": "Argon2id", "argon2i": "Argon2i", "argon2d": "Argon2d"}
# Small memory keeps the Rust test suite fast. Policy vectors override it.
ARGON2_SMALL_M = 256

# 22 bcrypt-base64 characters. The last one is in ".Oeu", so its 4 unused bits are
# zero and pyca bcrypt echoes the salt unchanged.
BCRYPT_SALT = b"pwmigrateFixedSalt012u"

DIGEST_METHODS = {"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256", "sha512": "SHA512"}


def fixed_salt(label: str, length: int) -> bytes:
    """Derive a deterministic salt of `length` bytes from `label`."""
    return hashlib.shake_256(b"pwmigrate vector salt " + label.encode()).digest(length)


def byte_count(length):
    """Return "A 16-byte" or "An 8-byte" for the start of a note."""
    article = "An" if length in (8, 11, 18) or 80 <= length <= 89 else "A"
    return f"{article} {length}-byte"


def vector(id, scheme, method, password, stored, expect, note, upgrade_due=None):
    if expect == "valid" and upgrade_due is None:
        raise ValueError(f"{id}: a valid vector needs upgrade_due")
    if expect != "valid" and upgrade_due is not None:
        raise ValueError(f"{id}: only a valid vector may set upgrade_due")
    return {
        "id": id,
        "scheme": scheme,
        "method": method,
        "password_hex": password.hex(),
        "stored": stored,
        "expect": expect,
        "upgrade_due": upgrade_due,
        "note": note,
    }


# Argon2


def argon2_phc(password, salt, variant="argon2id", version=19, m=ARGON2_SMALL_M, t=2, p=1, out=32):
    """Hash with libargon2 and return the PHC string."""
    encoded = hash_secret(
        password,
        salt,
        time_cost=t,
        memory_cost=m,
        parallelism=p,
        hash_len=out,
        type=ARGON2_TYPES[variant],
        version=version,
    )
    return encoded.decode()


def argon2_upgrade_due(variant, version, m, t, p, salt_len, out):
    meets_policy = (
        variant == "argon2id"
        and version == 19
        and m >= POLICY["m"]
        and t >= POLICY["t"]
        and p >= POLICY["p"]
        and salt_len >= POLICY["salt_len"]
        and out >= POLICY["out"]
    )
    return not meets_policy


def argon2_case(id, note, password=PASSWORD, variant="argon2id", version=19, salt_len=16,
                m=ARGON2_SMALL_M, t=2, p=1, out=32, method=None):
    """Return a valid Argon2 vector and its hash."""
    salt = fixed_salt(id, salt_len)
    stored = argon2_phc(password, salt, variant, version, m, t, p, out)
    due = argon2_upgrade_due(variant, version, m, t, p, salt_len, out)
    return vector(id, variant, method, password, stored, "valid", note, due)


def wrong_password_twin(valid, note, password=WRONG_PASSWORD):
    """Return a copy of a valid vector that checks a wrong password."""
    twin = dict(valid, id=valid["id"] + "-wrong", password_hex=password.hex(), expect="invalid")
    twin["upgrade_due"] = None
    twin["note"] = note
    return twin


def argon2_vectors():
    out = []

    for variant in ("argon2id", "argon2i", "argon2d"):
        basic = argon2_case(f"{variant}-v19-basic", f"{variant} v=19 with small parameters verifies.",
                            variant=variant)
        out.append(basic)
        out.append(wrong_password_twin(basic, f"{variant} v=19 rejects a wrong password."))
        out.append(argon2_case(f"{variant}-v19-method-hint", f"Method {ARGON2_METHODS[variant]} accepts a {variant} hash.",
                               variant=variant, method=ARGON2_METHODS[variant]))

    for variant in ("argon2id", "argon2i", "argon2d"):
        v16 = argon2_case(f"{variant}-v16-basic", f"{variant} v=16 (Argon2 1.0) verifies.",
                          variant=variant, version=16)
        out.append(v16)
        out.append(wrong_password_twin(v16, f"{variant} v=16 rejects a wrong password."))

    for variant in ("argon2id", "argon2i"):
        v16 = argon2_case(f"{variant}-v16-no-version", "unused", variant=variant, version=16)
        without_version = v16["stored"].replace("$v=16$", "$", 1)
        out.append(dict(v16, stored=without_version,
                        note="A PHC string without v= is read as v=16, as libargon2 does."))
        relabelled = v16["stored"].replace("$v=16$", "$v=19$", 1)
        out.append(vector(f"{variant}-v16-relabelled-v19", variant, None, PASSWORD, relabelled, "invalid",
                          "A v=16 hash labelled v=19 is computed as v=19 and does not match."))

    v19 = argon2_case("argon2id-v19-version-removed", "unused")
    out.append(vector(v19["id"], "argon2id", None, PASSWORD, v19["stored"].replace("$v=19$", "$", 1), "invalid",
                      "Removing v= from a v=19 hash makes it v=16, which does not match."))

    for salt_len in (8, 48, 64):
        out.append(argon2_case(f"argon2id-salt-{salt_len}", f"{byte_count(salt_len)} salt verifies.",
                               salt_len=salt_len))
    for length in (8, 16, 64, 100):
        out.append(argon2_case(f"argon2id-out-{length}", f"{byte_count(length)} output verifies.", out=length))
    for lanes in (2, 4):
        parallel = argon2_case(f"argon2id-p{lanes}", f"p={lanes} lanes verify.", p=lanes)
        out.append(parallel)
        out.append(wrong_password_twin(parallel, f"p={lanes} rejects a wrong password."))
    out.append(argon2_case("argon2id-t1", "t=1 verifies.", t=1))
    out.append(argon2_case("argon2id-m4096", "m=4096 KiB verifies.", m=4096))

    unicode_case = argon2_case("argon2id-unicode-password", "A UTF-8 password with non-ASCII characters verifies.",
                               password=UNICODE_PASSWORD)
    out.append(unicode_case)
    out.append(wrong_password_twin(unicode_case, "The NFD form of the same text is a different password.",
                                   password=UNICODE_PASSWORD_NFD))
    long_case = argon2_case("argon2id-1000-byte-password", "A 1000-byte password verifies.", password=LONG_PASSWORD)
    out.append(long_case)
    out.append(wrong_password_twin(long_case, "The 999-byte prefix of the password does not verify.",
                                   password=LONG_PASSWORD[:999]))
    empty_case = argon2_case("argon2id-empty-password", "An empty password verifies.", password=b"")
    out.append(empty_case)
    out.append(wrong_password_twin(empty_case, "A single space does not match an empty-password hash.",
                                   password=b" "))
    return out


def argon2_policy_vectors():
    """Return policy-sized Argon2 vectors, each below the target in at most one parameter."""
    policy = dict(POLICY)
    salt_len = policy.pop("salt_len")
    out = []

    exact = argon2_case("argon2id-policy-exact", "Exactly the target parameters need no upgrade.",
                        salt_len=salt_len, **policy)
    out.append(exact)
    out.append(wrong_password_twin(exact, "Target parameters reject a wrong password."))
    out.append(argon2_case("argon2id-policy-stronger", "Stronger parameters than the target need no upgrade.",
                           salt_len=salt_len, m=65536, t=3, p=2, out=32))
    out.append(argon2_case("argon2id-policy-m-19455", "m one below the target needs an upgrade.",
                           salt_len=salt_len, **dict(policy, m=19455)))
    out.append(argon2_case("argon2id-policy-t-1", "t=1 with target memory needs an upgrade.",
                           salt_len=salt_len, **dict(policy, t=1)))
    out.append(argon2_case("argon2id-policy-salt-8", "An 8-byte salt with target parameters needs an upgrade.",
                           salt_len=8, **policy))
    out.append(argon2_case("argon2id-policy-out-16", "A 16-byte output with target parameters needs an upgrade.",
                           salt_len=salt_len, **dict(policy, out=16)))
    out.append(argon2_case("argon2id-policy-v16", "v=16 with target parameters needs an upgrade.",
                           salt_len=salt_len, version=16, **policy))
    out.append(argon2_case("argon2i-policy-params", "argon2i with target parameters needs an upgrade.",
                           salt_len=salt_len, variant="argon2i", **policy))
    return out


def replace_argon2_params(stored, params):
    parts = stored.split("$")
    parts[3] = params
    return "$".join(parts)


def b64_nopad(data):
    return base64.b64encode(data).decode().rstrip("=")


def argon2_error_vectors():
    salt = fixed_salt("argon2id-errors", 16)
    base = argon2_phc(PASSWORD, salt)
    prefix, variant, version, params, salt_b64, hash_b64 = base.split("$")
    assert params == f"m={ARGON2_SMALL_M},t=2,p=1"

    def error(id, stored, expect, note, scheme="argon2id"):
        return vector(id, scheme, None, PASSWORD, stored, expect, note)

    def with_params(params):
        return replace_argon2_params(base, params)

    noncanonical_salt = salt_b64[:-1] + chr(ord(salt_b64[-1]) + 1)
    assert base64.b64decode(noncanonical_salt + "==") == salt, "only unused bits may change"
    salt_4_bytes = b64_nopad(fixed_salt("argon2id-salt-4", 4))
    hash_3_bytes = b64_nopad(bytes.fromhex("a1b2c3"))
    lanes_2 = argon2_phc(PASSWORD, salt, p=2)

    return [
        error("argon2id-salt-padded", f"$argon2id$v=19${params}${salt_b64}==${hash_b64}", "malformed_hash",
              "PHC base64 has no padding, so a padded salt is rejected."),
        error("argon2id-hash-padded", f"{base}=", "malformed_hash",
              "PHC base64 has no padding, so a padded hash is rejected."),
        error("argon2id-p-zero", with_params("m=256,t=2,p=0"), "malformed_hash", "p=0 is outside Argon2's range."),
        error("argon2id-t-zero", with_params("m=256,t=0,p=1"), "malformed_hash", "t=0 is outside Argon2's range."),
        error("argon2id-salt-4-bytes", f"$argon2id$v=19${params}${salt_4_bytes}${hash_b64}", "malformed_hash",
              "Argon2 requires a salt of at least 8 bytes."),
        error("argon2id-out-3-bytes", f"$argon2id$v=19${params}${salt_b64}${hash_3_bytes}", "malformed_hash",
              "Argon2 requires an output of at least 4 bytes."),
        error("argon2id-m-below-8p", replace_argon2_params(lanes_2, "m=15,t=2,p=2"), "malformed_hash",
              "Argon2 requires m >= 8*p KiB."),
        error("argon2id-m-4194304", with_params("m=4194304,t=2,p=1"), "parameters_exceed_limits",
              "m=4 GiB is legal Argon2 but above the default limit of 262144 KiB."),
        error("argon2id-m-262145", with_params("m=262145,t=2,p=1"), "parameters_exceed_limits",
              "m one above the default limit of 262144 KiB is rejected."),
        error("argon2id-t-u32-max", with_params("m=256,t=4294967295,p=1"), "parameters_exceed_limits",
              "t=2^32-1 is legal Argon2 but above the default limit of 256."),
        error("argon2id-t-257", with_params("m=256,t=257,p=1"), "parameters_exceed_limits",
              "t one above the default limit of 256 is rejected."),
        error("argon2id-work-above-limit", with_params("m=8192,t=129,p=1"), "parameters_exceed_limits",
              "m*t = 1056768 is above the default work limit of 1048576 KiB passes."),
        error("argon2id-p-17", with_params("m=256,t=2,p=17"), "parameters_exceed_limits",
              "p one above the default limit of 16 is rejected."),
        error("argon2id-p-2pow24", with_params("m=256,t=2,p=16777216"), "malformed_hash",
              "p=2^24 is above Argon2's maximum of 2^24-1, and m is also below 8*p."),
        error("argon2x-unknown-variant", base.replace("$argon2id$", "$argon2x$", 1), "unsupported_scheme",
              "An unknown Argon2 variant name is not a supported scheme.", scheme=None),
        error("argon2id-m-leading-zero", with_params("m=0256,t=2,p=1"), "malformed_hash",
              "PHC decimals must not have leading zeros."),
        error("argon2id-missing-t", with_params("m=256,p=1"), "malformed_hash", "The t parameter is missing."),
        error("argon2id-missing-hash", f"$argon2id$v=19${params}${salt_b64}", "malformed_hash",
              "The hash segment is missing."),
        error("argon2id-trailing-dollar", base + "$", "malformed_hash", "A trailing $ adds an empty segment."),
        error("argon2id-extra-segment", base + "$" + hash_b64, "malformed_hash", "A sixth segment is rejected."),
        error("argon2id-salt-invalid-char", f"$argon2id$v=19${params}$*{salt_b64[1:]}${hash_b64}", "malformed_hash",
              "A '*' is not a base64 character."),
        error("argon2id-hash-urlsafe-char", f"$argon2id$v=19${params}${salt_b64}$-{hash_b64[1:]}", "malformed_hash",
              "PHC uses the standard base64 alphabet, so '-' is rejected."),
        error("argon2id-salt-noncanonical", f"$argon2id$v=19${params}${noncanonical_salt}${hash_b64}",
              "malformed_hash", "A salt whose last base64 character sets unused bits is not canonical."),
        error("argon2id-v18", base.replace("$v=19$", "$v=18$", 1), "unsupported_variant",
              "Argon2 defines only versions 16 and 19."),
    ]


# bcrypt


def bcrypt_hash(password, cost=5, ident=b"2b"):
    """Hash at most 72 bytes with pyca bcrypt, which rejects longer passwords."""
    setting = b"$" + ident + b"$" + b"%02d" % cost + b"$" + BCRYPT_SALT
    stored = bcrypt.hashpw(password[:72], setting).decode()
    assert stored.startswith(setting.decode()), "pyca bcrypt changed the salt"
    return stored


def bcrypt_case(id, note, password=PASSWORD, stored=None, method=None):
    """Return a valid bcrypt vector. bcrypt hashes are always due for an upgrade."""
    stored = stored or bcrypt_hash(password)
    return vector(id, "bcrypt", method, password, stored, "valid", note, True)


def bcrypt_vectors():
    out = []
    basic = bcrypt_case("bcrypt-2b-basic", "$2b$ cost 5 verifies.")
    out.append(basic)
    out.append(wrong_password_twin(basic, "$2b$ rejects a wrong password."))
    for ident in ("2a", "2y"):
        relabelled = basic["stored"].replace("$2b$", f"${ident}$", 1)
        out.append(bcrypt_case(f"bcrypt-{ident}-relabel", f"${ident}$ with a $2b$ salt and digest verifies.",
                               stored=relabelled))
    cost_4 = bcrypt_case("bcrypt-cost-04", "The minimum cost 04 verifies.", stored=bcrypt_hash(PASSWORD, cost=4))
    out.append(cost_4)
    out.append(wrong_password_twin(cost_4, "Cost 04 rejects a wrong password."))
    out.append(bcrypt_case("bcrypt-method-hint", "Method Bcrypt accepts a bcrypt hash.", method="Bcrypt"))

    # Printable ASCII that is not a prefix of any other password used here.
    password_100 = bytes(0x21 + (i * 7) % 94 for i in range(100))
    for length in (71, 72):
        out.append(bcrypt_case(f"bcrypt-{length}-bytes", f"A {length}-byte password verifies.",
                               password=password_100[:length]))
    for length in (73, 100):
        out.append(bcrypt_case(f"bcrypt-{length}-bytes", f"bcrypt uses the first 72 of {length} bytes.",
                               password=password_100[:length], stored=bcrypt_hash(password_100[:72])))

    stored_72 = bcrypt_hash(password_100[:72])
    changed_prefix = b"#" + password_100[1:73]
    assert changed_prefix[0] != password_100[0]
    out.append(vector("bcrypt-73-bytes-prefix-differs", "bcrypt", None, changed_prefix, stored_72, "invalid",
                      "A 73-byte password whose first 72 bytes differ does not verify."))
    out.append(vector("bcrypt-71-byte-prefix-of-72", "bcrypt", None, password_100[:71], stored_72, "invalid",
                      "The 71-byte prefix of a 72-byte password does not verify."))

    # 71 ASCII bytes and "é" (c3 a9). The 72-byte cut falls after c3.
    split_utf8 = b"u" * 71 + "é".encode()
    assert len(split_utf8) == 73
    assert split_utf8[71] == 0xC3
    out.append(bcrypt_case("bcrypt-72-byte-cut-in-utf8", "The 72-byte cut may split a UTF-8 character.",
                           password=split_utf8, stored=bcrypt_hash(split_utf8[:72])))

    unicode_case = bcrypt_case("bcrypt-unicode-password", "A UTF-8 password with non-ASCII characters verifies.",
                               password=UNICODE_PASSWORD)
    out.append(unicode_case)
    out.append(wrong_password_twin(unicode_case, "The NFD form of the same text is a different password.",
                                   password=UNICODE_PASSWORD_NFD))
    out.append(bcrypt_case("bcrypt-empty-password", "An empty password verifies.", password=b""))
    return out


def bcrypt_error_vectors():
    stored = bcrypt_hash(PASSWORD)
    body = stored[len("$2b$05$"):]
    assert len(stored) == 60

    def error(id, stored, expect, note, password=PASSWORD, method=None):
        return vector(id, "bcrypt", method, password, stored, expect, note)

    outside_alphabet = stored[:40] + "+" + stored[41:]
    argon2_string = argon2_phc(PASSWORD, fixed_salt("bcrypt-method-on-argon2", 16))
    return [
        error("bcrypt-2x-relabel", stored.replace("$2b$", "$2x$", 1), "unsupported_variant",
              "$2x$ is the crypt_blowfish sign-extension variant and is not supported."),
        error("bcrypt-cost-32", f"$2b$32${body}", "malformed_hash", "bcrypt costs stop at 31."),
        error("bcrypt-cost-03", f"$2b$03${body}", "malformed_hash", "bcrypt costs start at 04."),
        error("bcrypt-cost-single-digit", f"$2b$5${body}", "malformed_hash", "The cost must have two digits."),
        error("bcrypt-59-chars", stored[:-1], "malformed_hash", "A bcrypt string has exactly 60 characters."),
        error("bcrypt-61-chars", stored + ".", "malformed_hash", "A bcrypt string has exactly 60 characters."),
        error("bcrypt-char-outside-alphabet", outside_alphabet, "malformed_hash",
              "'+' is not in the bcrypt base64 alphabet."),
        error("bcrypt-cost-31", f"$2b$31${body}", "parameters_exceed_limits",
              "Cost 31 is legal bcrypt but above the default limit of 16."),
        error("bcrypt-cost-17", f"$2b$17${body}", "parameters_exceed_limits",
              "Cost one above the default limit of 16 is rejected."),
        error("bcrypt-method-hint-on-argon2", argon2_string, "malformed_hash",
              "Method Bcrypt on an Argon2 string is a malformed bcrypt hash.", method="Bcrypt"),
        error("bcrypt-password-contains-nul", bcrypt_hash(b"Passw"), "password_contains_nul",
              "C bcrypt stops at a NUL, so this password would match a hash of 'Passw'.",
              password=b"Passw\x00rd123"),
    ]


# Bare digests


def digest_encodings(digest):
    """Return the stored forms of a raw digest, keyed by encoding name."""
    padded = base64.b64encode(digest).decode()
    return {
        "hex": digest.hex(),
        "upper-hex": digest.hex().upper(),
        "base64": padded,
        "base64-unpadded": padded.rstrip("="),
    }


def digest_case(id, algorithm, password, encoding, method, note):
    stored = digest_encodings(hashlib.new(algorithm, password).digest())[encoding]
    return vector(id, algorithm, method, password, stored, "valid", note, True)


def digest_vectors():
    out = []
    for algorithm, method_name in DIGEST_METHODS.items():
        for encoding in ("hex", "upper-hex", "base64", "base64-unpadded"):
            for method in (None, method_name):
                suffix = "detected" if method is None else "method"
                detection = "detected by length" if method is None else f"with method {method}"
                case = digest_case(f"{algorithm}-{encoding}-{suffix}", algorithm, PASSWORD, encoding, method,
                                   f"{algorithm} as {encoding}, {detection}, verifies.")
                out.append(case)
                if method is None or encoding == "hex":
                    out.append(wrong_password_twin(
                        case, f"{algorithm} as {encoding}, {detection}, rejects a wrong password."))

        others = (
            ("unicode", "A non-ASCII", UNICODE_PASSWORD),
            ("empty", "An empty", b""),
            ("1000-byte", "A 1000-byte", LONG_PASSWORD),
        )
        for label, text, password in others:
            out.append(digest_case(f"{algorithm}-{label}-password-detected", algorithm, password, "hex", None,
                                   f"{text} password's {algorithm} as hex, detected by length, verifies."))
            out.append(digest_case(f"{algorithm}-{label}-password-method", algorithm, password, "base64",
                                   method_name, f"{text} password's {algorithm} as base64 with method {method_name} verifies."))
    return out


def urlsafe_sha256_stored():
    """Return URL-safe base64 of a SHA-256 digest that contains '-' or '_'."""
    for counter in range(1000):
        digest = hashlib.sha256(b"urlsafe-%d" % counter).digest()
        standard = base64.b64encode(digest).decode()
        if "+" in standard or "/" in standard:
            return b"urlsafe-%d" % counter, base64.urlsafe_b64encode(digest).decode()
    raise RuntimeError("no SHA-256 digest with '+' or '/' found")


def digest_error_vectors():
    md5_hex = hashlib.md5(PASSWORD).hexdigest()
    sha256_hex = hashlib.sha256(PASSWORD).hexdigest()
    urlsafe_password, urlsafe = urlsafe_sha256_stored()

    def error(id, scheme, method, stored, expect, note, password=PASSWORD):
        return vector(id, scheme, method, password, stored, expect, note)

    return [
        error("sha1-method-on-32-hex", "sha1", "SHA1", md5_hex, "wrong_digest_length",
              "Method SHA1 needs 20 bytes, but 32 hex characters are 16."),
        error("md5-method-on-64-hex", "md5", "MD5", sha256_hex, "wrong_digest_length",
              "Method MD5 needs 16 bytes, but 64 hex characters are 32."),
        error("hex-31-chars-detected", None, None, md5_hex[:31], "malformed_hash",
              "31 hex characters match no digest length."),
        error("hex-33-chars-detected", None, None, md5_hex + "0", "malformed_hash",
              "33 hex characters match no digest length."),
        error("md5-method-bang-char", "md5", "MD5", "!" + md5_hex[1:], "malformed_hash",
              "'!' is neither hex nor base64."),
        error("sha256-method-urlsafe-base64", "sha256", "SHA256", urlsafe, "malformed_hash",
              "URL-safe base64 ('-' or '_') is not accepted for digests.", password=urlsafe_password),
    ]


# Logto Legacy


def legacy_message(args, password):
    """Concatenate the args, with each "@" replaced by the password, as UTF-8 bytes."""
    return b"".join(password if arg == "@" else str(arg).encode() for arg in args)


def pbkdf2_salt(salt):
    if salt.startswith("hex:"):
        return bytes.fromhex(salt[len("hex:"):])
    return salt.encode()


def legacy_expected_hex(algorithm, args, password):
    if algorithm == "pbkdf2":
        salt, iterations, keylen, digest, _ = args
        key = hashlib.pbkdf2_hmac(digest, password, pbkdf2_salt(salt), int(iterations), int(keylen))
        return key.hex()
    return hashlib.new(algorithm, legacy_message(args, password)).hexdigest()


def legacy_stored(algorithm, args, expected, ensure_ascii=False):
    return json.dumps([algorithm, args, expected], ensure_ascii=ensure_ascii)


def legacy_case(id, algorithm, args, note, password=PASSWORD, uppercase=False, ensure_ascii=False):
    expected = legacy_expected_hex(algorithm, args, password)
    if uppercase:
        expected = expected.upper()
    stored = legacy_stored(algorithm, args, expected, ensure_ascii)
    return vector(id, "logto-legacy", "Legacy", password, stored, "valid", note, True)


def legacy_vectors():
    out = []
    for algorithm in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512"):
        salt_before = legacy_case(f"legacy-{algorithm}-salt-before", algorithm, ["s4lt:", "@"],
                                  f"Legacy {algorithm} of salt then password verifies.")
        out.append(salt_before)
        out.append(wrong_password_twin(salt_before, f"Legacy {algorithm} rejects a wrong password."))
    out.append(legacy_case("legacy-sha256-salt-after", "sha256", ["@", ":s4lt"],
                           "Legacy sha256 of password then salt verifies."))
    out.append(legacy_case("legacy-md5-password-twice", "md5", ["@", "-", "@"],
                           "Every \"@\" arg is replaced by the password."))
    out.append(legacy_case("legacy-sha1-uppercase-hex", "sha1", ["s4lt:", "@"],
                           "The expected hex is decoded case-insensitively.", uppercase=True))
    out.append(legacy_case("legacy-sha256-unicode-salt-escaped", "sha256", ["sälz-日本:", "@"],
                           "A salt written with JSON \\u escapes is hashed as UTF-8.", ensure_ascii=True))
    out.append(legacy_case("legacy-sha256-unicode-password", "sha256", ["s4lt:", "@"],
                           "A non-ASCII password is hashed as UTF-8.", password=UNICODE_PASSWORD))

    pbkdf2_cases = [
        ("legacy-pbkdf2-sha1-strings", ["s4lt", "1000", "32", "sha1", "@"], "iterations and keylen as JSON strings"),
        ("legacy-pbkdf2-sha256-numbers", ["s4lt", 1000, 32, "sha256", "@"], "iterations and keylen as JSON numbers"),
        ("legacy-pbkdf2-sha512-keylen-64", ["s4lt", "1000", "64", "sha512", "@"], "a 64-byte key"),
        ("legacy-pbkdf2-sha256-hex-salt", ["hex:00ff80c3fe7f", "1000", "32", "sha256", "@"],
         "a hex: salt decoded to raw, non-UTF-8 bytes"),
    ]
    for id, args, description in pbkdf2_cases:
        case = legacy_case(id, "pbkdf2", args, f"PBKDF2 with {description} verifies.")
        out.append(case)
        out.append(wrong_password_twin(case, f"PBKDF2 with {description} rejects a wrong password."))
    return out


def legacy_error_vectors():
    md5_expected = legacy_expected_hex("md5", ["s4lt:", "@"], PASSWORD)
    sha1_expected = legacy_expected_hex("sha1", ["s4lt:", "@"], PASSWORD)
    pbkdf2_64 = legacy_expected_hex("pbkdf2", ["s4lt", "1000", "64", "sha256", "@"], PASSWORD)

    def error(id, stored, expect, note):
        return vector(id, "logto-legacy", "Legacy", PASSWORD, stored, expect, note)

    valid_json = legacy_stored("md5", ["s4lt:", "@"], md5_expected)
    return [
        error("legacy-malformed-json", valid_json[:-1], "malformed_hash", "Truncated JSON is rejected."),
        error("legacy-array-of-two", json.dumps(["md5", ["s4lt:", "@"]]), "malformed_hash",
              "The JSON array must have three elements."),
        error("legacy-object", json.dumps({"algorithm": "md5", "args": ["s4lt:", "@"], "expected": md5_expected}),
              "malformed_hash", "A JSON object is not the [algorithm, args, expected] array."),
        error("legacy-args-without-at", legacy_stored("md5", ["s4lt:"], hashlib.md5(b"s4lt:").hexdigest()),
              "malformed_hash", "Args without \"@\" never use the password."),
        error("legacy-expected-not-hex", legacy_stored("md5", ["s4lt:", "@"], "zz" + md5_expected[2:]),
              "malformed_hash", "The expected value must be hex."),
        error("legacy-unknown-algorithm", legacy_stored("whirlpool9", ["s4lt:", "@"], md5_expected),
              "unsupported_scheme", "An unknown digest name is not supported."),
        error("legacy-md5-expected-sha1-length", legacy_stored("md5", ["s4lt:", "@"], sha1_expected),
              "wrong_digest_length", "md5 needs 16 bytes, but the expected value has 20."),
        error("legacy-pbkdf2-iterations-1e9",
              legacy_stored("pbkdf2", ["s4lt", "1000000000", "64", "sha256", "@"], pbkdf2_64),
              "parameters_exceed_limits", "10^9 PBKDF2 iterations exceed the default limit of 5,000,000."),
        error("legacy-pbkdf2-iterations-5000001",
              legacy_stored("pbkdf2", ["s4lt", 5000001, 64, "sha256", "@"], pbkdf2_64),
              "parameters_exceed_limits", "One iteration above the default limit of 5,000,000 is rejected."),
        error("legacy-pbkdf2-keylen-mismatch", legacy_stored("pbkdf2", ["s4lt", "1000", "32", "sha256", "@"], pbkdf2_64),
              "wrong_digest_length", "keylen 32 does not match a 64-byte expected value."),
        error("legacy-firebase-scrypt-misplaced-placeholder",
              legacy_stored("firebase-scrypt", ["s4lt", "@", "Bw==", "c2lnbmVyLWtleQ==", 8, 14], md5_expected),
              "malformed_hash", "firebase-scrypt takes the password placeholder last."),
    ]


# Engine-wide limits and unrecognisable strings


def limit_vectors():
    def md5_stored(password):
        return hashlib.md5(password).hexdigest()

    password_4096 = bytes(0x20 + i % 95 for i in range(4096))
    password_4097 = password_4096 + b"!"
    password_5000 = bytes(0x20 + i % 95 for i in range(5000))
    return [
        vector("empty-stored-string", None, None, PASSWORD, "", "malformed_hash",
               "An empty stored string matches no scheme."),
        vector("garbage-hello", None, None, PASSWORD, "hello", "malformed_hash",
               "A short word matches no scheme."),
        vector("stored-5000-chars", None, None, PASSWORD, "x" * 5000, "stored_hash_too_long",
               "A 5000-character stored string exceeds the 4096-byte limit."),
        vector("stored-4097-chars", None, None, PASSWORD, "x" * 4097, "stored_hash_too_long",
               "A stored string one byte above the 4096-byte limit is rejected."),
        vector("md5-password-4096-bytes", "md5", None, password_4096, md5_stored(password_4096), "valid",
               "A password at the 4096-byte limit verifies.", True),
        vector("md5-password-4097-bytes", "md5", None, password_4097, md5_stored(password_4097), "password_too_long",
               "A password one byte above the 4096-byte limit is rejected."),
        vector("md5-password-5000-bytes", "md5", None, password_5000, md5_stored(password_5000), "password_too_long",
               "A 5000-byte password is rejected before hashing."),
        vector("argon2id-password-4097-bytes", "argon2id", None, password_4097,
               argon2_phc(password_4097, fixed_salt("argon2id-password-4097-bytes", 16)), "password_too_long",
               "The password limit also applies to Argon2."),
    ]


def main():
    vectors = (
        argon2_vectors()
        + argon2_policy_vectors()
        + argon2_error_vectors()
        + bcrypt_vectors()
        + bcrypt_error_vectors()
        + digest_vectors()
        + digest_error_vectors()
        + legacy_vectors()
        + legacy_error_vectors()
        + limit_vectors()
    )
    ids = [v["id"] for v in vectors]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"duplicate vector ids: {duplicates}")

    with OUTPUT_PATH.open("w", encoding="utf-8", newline="\n") as file:
        for v in vectors:
            file.write(json.dumps(v, ensure_ascii=False) + "\n")
    print(f"wrote {len(vectors)} vectors to {OUTPUT_PATH}")


if __name__ == "__main__":
    main()
