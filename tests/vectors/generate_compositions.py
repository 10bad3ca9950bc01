"""Write tests/vectors/compositions.jsonl: stored values as exports give them, with the fields a
descriptor declares (scheme or composition, salt, salt position or template, HMAC key, digest
encoding, source encoding, normalisation) and the expected outcome.

Run: .venv-vectors/bin/python tests/vectors/generate_compositions.py
Tools: CPython 3.11 hashlib, hmac, base64 and unicodedata for the digests. pyca bcrypt 5.0.0
makes bcrypt over a prehash, argon2-cffi 25.1.0 (low-level hash_secret) makes Argon2id over a
prehash, and passlib 1.7.4 makes phpass over ISO-8859-1 bytes. Every expected value is computed here from the recipe's
definition, never by pwmigrate. Salts are fixed so the file is rewritten byte for byte.

Fields: id, password_hex, stored, descriptor (an object with any of scheme, salt, salt_hex,
salt_position, salt_template, key_hex, digest_encoding, source_encoding, normalization, rounds),
expect (valid, invalid, or an error kind), note. rounds is a bcrypt cost for bcrypt kept as
separate salt and hash fields.
"""

import base64
import hashlib
import hmac
import json
import unicodedata
from pathlib import Path

from importlib.metadata import version

import bcrypt
from argon2.low_level import Type, hash_secret
from passlib.hash import phpass

OUT = Path(__file__).with_name("compositions.jsonl")

PASSWORD = "vb-forum-member".encode()
WRONG = "vb-forum-membeR".encode()
UNICODE_PASSWORD = "pässwörd-ü-2017".encode()


def md5(data: bytes) -> bytes:
    return hashlib.md5(data).hexdigest().encode()


def sha1(data: bytes) -> bytes:
    return hashlib.sha1(data).hexdigest().encode()


def row(id_, password, stored, descriptor, expect, note):
    return {
        "id": id_,
        "password_hex": password.hex(),
        "stored": stored,
        "descriptor": descriptor,
        "expect": expect,
        "note": note,
    }


def pair(id_, stored, descriptor, note, password=PASSWORD, wrong=WRONG):
    """A valid row and the same stored value with a wrong password."""
    return [
        row(id_, password, stored, descriptor, "valid", note),
        row(id_ + "-wrong", wrong, stored, descriptor, "invalid", "Wrong password: " + note),
    ]


def compositions():
    out = []
    # vBulletin 3 and 4: md5(md5(password) . salt), salts of 3 and 30 printable characters.
    for name, salt in [("vbulletin3", "D'B"), ("vbulletin4", "Ze(_N>E<GvfRY~ciRK{M}f~9h9*`K\\")]:
        digest = hashlib.md5(md5(PASSWORD) + salt.encode()).hexdigest()
        out += pair(name, digest, {"scheme": "md5(md5(p).salt)", "salt": salt},
                    f"{name}: md5(md5_hex(p) . salt), salt of {len(salt)} characters.")
    # The vBulletin 4 digest checked with a truncated salt must fail.
    salt = "Ze(_N>E<GvfRY~ciRK{M}f~9h9*`K\\"
    digest = hashlib.md5(md5(PASSWORD) + salt.encode()).hexdigest()
    out.append(row("vbulletin4-truncated-salt", PASSWORD, digest,
                   {"scheme": "md5(md5(p).salt)", "salt": salt[:3]}, "invalid",
                   "A salt cut to 3 characters gives another digest."))
    # MyBB and Invision Power Board: md5(md5(salt) . md5(password)).
    digest = hashlib.md5(md5(b"SEV63mJi") + md5(PASSWORD)).hexdigest()
    out += pair("mybb", digest, {"scheme": "md5(md5(salt).md5(p))", "salt": "SEV63mJi"},
                "MyBB: md5(md5_hex(salt) . md5_hex(p)).")
    out.append(row("mybb-as-vbulletin", PASSWORD, digest,
                   {"scheme": "md5(md5(p).salt)", "salt": "SEV63mJi"}, "invalid",
                   "The MyBB digest read with the vBulletin recipe does not match."))
    # PunBB 1.3: sha1(salt . sha1(password)).
    digest = hashlib.sha1(b"k2Pq9" + sha1(PASSWORD)).hexdigest()
    out += pair("punbb", digest, {"scheme": "sha1(salt.sha1(p))", "salt": "k2Pq9"},
                "PunBB: sha1(salt . sha1_hex(p)).")
    # Raw inner digest: sha256(salt . sha1_raw(password)), as base64.
    digest = base64.b64encode(hashlib.sha256(b"NaCl" + hashlib.sha1(PASSWORD).digest()).digest()).decode()
    out += pair("raw-inner-base64", digest,
                {"scheme": "sha256(salt.sha1_raw(p))", "salt": "NaCl", "digest_encoding": "base64"},
                "sha256 over the salt and the raw SHA-1 bytes, digest in base64.")
    # Literal text in a composition.
    digest = hashlib.sha1(b"--" + b"s4lty" + b"--" + PASSWORD + b"--").hexdigest()
    out += pair("literal-text", digest, {"scheme": "sha1('--'.salt.'--'.p.'--')", "salt": "s4lty"},
                "sha1 of '--' salt '--' password '--' written with literals.")
    # HMAC inside a composition: hmac_sha256 keyed with the salt over md5_hex(password).
    digest = hmac.new(b"k3y", md5(PASSWORD), "sha256").hexdigest()
    out += pair("hmac-of-md5", digest, {"scheme": "hmac_sha256(salt,md5(p))", "salt": "k3y"},
                "HMAC-SHA256 keyed with the salt over the md5 hex of the password.")
    return out


def wrappers():
    out = []
    # vBulletin 5: bcrypt over md5_hex(password).
    salt = b"$2b$10$" + b"J9LSz6uJTnCj2dR0eT3C3u"
    stored = bcrypt.hashpw(md5(PASSWORD), salt).decode().replace("$2b$", "$2y$", 1)
    out += pair("bcrypt-of-md5", stored, {"scheme": "bcrypt(md5(p))"},
                "vBulletin 5: bcrypt over the md5 hex of the password.")
    out.append(row("bcrypt-of-md5-as-plain", PASSWORD, stored, {"scheme": "bcrypt"}, "invalid",
                   "The same string read as plain bcrypt does not match."))
    # bcrypt over sha1_hex(password), cost 4.
    stored = bcrypt.hashpw(sha1(PASSWORD), b"$2b$04$" + b"Kx7wQeUX3mJ0b6sZ1t9aQe").decode()
    out += pair("bcrypt-of-sha1", stored, {"scheme": "bcrypt(sha1(p))"},
                "bcrypt over the sha1 hex of the password.")
    # Argon2id over md5_hex(password).
    encoded = hash_secret(md5(PASSWORD), b"fixed-salt-16by!", time_cost=2, memory_cost=1024,
                          parallelism=1, hash_len=32, type=Type.ID).decode()
    out += pair("argon2id-of-md5", encoded, {"scheme": "argon2id(md5(p))"},
                "vBulletin 5.6: Argon2id over the md5 hex of the password.")
    out.append(row("argon2i-outer-on-argon2id", PASSWORD, encoded, {"scheme": "argon2i(md5(p))"},
                   "malformed_hash", "The expression names Argon2i but the string is Argon2id."))
    # bcrypt kept as separate fields: the salt with its $2b$<cost>$ prefix, or the 22 salt
    # characters with the cost as rounds, and the 31-character hash.
    full = bcrypt.hashpw(PASSWORD, b"$2b$05$" + b"Oq4xTRn7cGk1dJ0w2yZ9Ae").decode()
    out += pair("bcrypt-split-prefixed-salt", full[29:], {"scheme": "bcrypt", "salt": full[:29]},
                "bcrypt with the salt field containing $2b$05$ and 22 characters, the hash field 31.")
    out += pair("bcrypt-split-cost-as-rounds", full[29:],
                {"scheme": "Bcrypt", "salt": full[7:29], "rounds": "5"},
                "bcrypt as Okta exports it: 22 salt characters, 31 hash characters and the cost.")
    out.append(row("bcrypt-split-wrong-cost", PASSWORD, full[29:],
                   {"scheme": "bcrypt", "salt": full[7:29], "rounds": "6"}, "invalid",
                   "The right salt and hash under another cost do not match."))
    out.append(row("bcrypt-split-short-salt", PASSWORD, full[29:],
                   {"scheme": "bcrypt", "salt": full[7:28], "rounds": "5"}, "malformed_hash",
                   "A 21-character salt field is damaged."))
    out.append(row("bcrypt-split-no-cost", PASSWORD, full[29:],
                   {"scheme": "bcrypt", "salt": full[7:29]}, "malformed_hash",
                   "22 salt characters without a declared cost."))
    # A bcrypt expression over a bcrypt cost above the bound.
    cost31 = "$2b$31$" + "J9LSz6uJTnCj2dR0eT3C3u" + "." * 31
    out.append(row("bcrypt-of-md5-cost-31", PASSWORD, cost31, {"scheme": "bcrypt(md5(p))"},
                   "parameters_exceed_limits", "Cost 31 is above the bcrypt bound; nothing is hashed."))
    return out


def werkzeug():
    out = []
    for name in ["sha1", "md5", "sha256"]:
        digest = hmac.new(b"Qx9zT2", PASSWORD, name).hexdigest()
        out += pair(f"werkzeug-{name}", f"{name}$Qx9zT2${digest}", {"scheme": "werkzeug"},
                    f"Werkzeug legacy {name}$salt$hex: HMAC-{name.upper()} keyed with the salt text.")
    digest = hashlib.sha1(PASSWORD).hexdigest()
    out += pair("werkzeug-unsalted", f"sha1$${digest}", {"scheme": "werkzeug"},
                "Werkzeug legacy with an empty salt: plain sha1 of the password.")
    # The HMAC string read as Django (no declaration) must not match.
    digest = hmac.new(b"Qx9zT2", PASSWORD, "sha1").hexdigest()
    out.append(row("werkzeug-read-as-django", PASSWORD, f"sha1$Qx9zT2${digest}", {}, "invalid",
                   "Without the declaration the string is Django's sha1(salt + password)."))
    dk = hashlib.pbkdf2_hmac("sha256", PASSWORD, b"abcdefgh", 1000).hex()
    out += pair("werkzeug-pbkdf2", f"pbkdf2:sha256:1000$abcdefgh${dk}", {"scheme": "werkzeug"},
                "A Werkzeug PBKDF2 string under the werkzeug declaration reads as itself.")
    return out


def salted():
    out = []
    digest = hashlib.sha256(b"s4lt" + PASSWORD + b"s4lt").hexdigest()
    out += pair("template-salt-both-sides", digest,
                {"scheme": "sha256", "salt": "s4lt", "salt_template": "{SALT}{PASSWORD}{SALT}"},
                "A salt template with the salt on both sides.")
    digest = hashlib.sha1(b"--" + b"8fa1" + b"--" + PASSWORD + b"--").hexdigest()
    out += pair("template-restful-auth", digest,
                {"salt": "8fa1", "salt_template": "--{SALT}--{PASSWORD}--"},
                "Rails restful-authentication: sha1('--salt--password--'); the digest length names SHA-1.")
    digest = hashlib.sha512(PASSWORD + bytes.fromhex("00ff10")).digest()
    out += pair("suffix-binary-salt-base64", base64.b64encode(digest).decode(),
                {"salt_hex": "00ff10", "salt_position": "suffix", "digest_encoding": "base64"},
                "sha512(password + salt) with a binary salt and a base64 digest.")
    digest = hashlib.sha224(b"pepper" + PASSWORD).hexdigest()
    out += pair("sha224-prefix", digest, {"scheme": "sha224", "salt": "pepper"},
                "sha224(salt + password).")
    digest = hashlib.sha384(PASSWORD).hexdigest()
    out += pair("sha384-unsalted", digest, {"scheme": "sha384"}, "An unsalted SHA-384 hex digest.")
    key = bytes.fromhex("218a9a02a29f60f87cf0dcfd33715f9c")
    digest = hmac.new(key, PASSWORD + b"s4lt", "sha256").hexdigest()
    out += pair("hmac-suffix-salt", digest,
                {"scheme": "hmac-sha256", "key_hex": key.hex(), "salt": "s4lt", "salt_position": "suffix"},
                "HMAC-SHA256 under a site key over password + salt.")
    return out


def encodings():
    out = []
    latin1 = UNICODE_PASSWORD.decode().encode("latin-1")
    stored = phpass.using(salt="Yv3pQ8mZ", rounds=13).hash(latin1)
    out += pair("latin1-phpass", stored, {"source_encoding": "latin1"},
                "phpass over the ISO-8859-1 bytes of the password.",
                password=UNICODE_PASSWORD, wrong="pässwörd-ü-2018".encode())
    out.append(row("latin1-phpass-undeclared", UNICODE_PASSWORD, stored, {}, "invalid",
                   "Read as UTF-8 the same hash does not match."))
    digest = hashlib.md5(latin1).hexdigest()
    out += pair("latin1-md5", digest, {"scheme": "md5", "source_encoding": "latin1"},
                "md5 of the ISO-8859-1 bytes.", password=UNICODE_PASSWORD, wrong="pässwörd".encode())
    euro = "€uro-password".encode()
    out.append(row("latin1-unencodable", euro, hashlib.md5(b"?uro-password").hexdigest(),
                   {"scheme": "md5", "source_encoding": "latin1"}, "invalid",
                   "A character outside ISO-8859-1 cannot have been hashed by the source."))
    # ASP.NET SQL Membership: base64(sha1(salt + UTF-16LE(password))).
    salt = bytes.fromhex("41d2aa6a5a065fada964140041c80261")
    utf16 = UNICODE_PASSWORD.decode().encode("utf-16-le")
    digest = base64.b64encode(hashlib.sha1(salt + utf16).digest()).decode()
    out += pair("utf16le-membership-style", digest,
                {"scheme": "sha1", "salt_hex": salt.hex(), "digest_encoding": "base64",
                 "source_encoding": "utf16le"},
                "sha1(salt + UTF-16LE(password)) with a binary salt.",
                password=UNICODE_PASSWORD, wrong="pässwörd-ü-2018".encode())
    # NFC applied before the ISO-8859-1 encoding: an NFD-typed password still matches.
    nfd = unicodedata.normalize("NFD", UNICODE_PASSWORD.decode()).encode()
    out.append(row("nfc-then-latin1", nfd, hashlib.md5(latin1).hexdigest(),
                   {"scheme": "md5", "source_encoding": "latin1", "normalization": "nfc"}, "valid",
                   "NFD input, NFC-normalised, then ISO-8859-1: the md5 of the source's bytes."))
    return out


def errors():
    digest16 = hashlib.md5(PASSWORD).hexdigest()
    cases = [
        ("unknown-function", digest16, {"scheme": "md4(p)"}, "unsupported_scheme",
         "md4 is not a function of the composition form."),
        ("salt-not-used", digest16, {"scheme": "md5(p)", "salt": "x"}, "malformed_hash",
         "A salt is given but the expression never uses it."),
        ("no-password", digest16, {"scheme": "md5(salt)", "salt": "x"}, "malformed_hash",
         "An expression that ignores the password verifies nothing."),
        ("unbalanced", digest16, {"scheme": "md5(md5(p).salt", "salt": "x"}, "malformed_hash",
         "A missing closing parenthesis."),
        ("password-five-times", digest16, {"scheme": "md5(p.p.p.p.p)"}, "malformed_hash",
         "The password is used more than four times."),
        ("nested-nine-deep", digest16, {"scheme": "md5(" * 9 + "p" + ")" * 9}, "malformed_hash",
         "Calls nest deeper than eight levels."),
        ("digest-length", digest16, {"scheme": "sha1(md5(p).salt)", "salt": "x"},
         "wrong_digest_length", "A SHA-1 expression over a 16-byte digest."),
        ("bcrypt-expression-on-digest", digest16, {"scheme": "bcrypt(md5(p))"}, "malformed_hash",
         "A bcrypt expression needs a bcrypt string."),
        ("template-without-password", digest16, {"scheme": "md5", "salt": "x", "salt_template": "{SALT}"},
         "malformed_hash", "A template without {PASSWORD}."),
        ("hmac-without-key", digest16, {"scheme": "hmac-md5"}, "malformed_hash",
         "An HMAC declaration needs a key."),
        ("hex-digest-declared-base64", digest16, {"salt": "", "digest_encoding": "base64"},
         "wrong_digest_length", "32 hex characters read as base64 are 24 bytes, no digest's length."),
        ("declared-family-mismatch", digest16, {"scheme": "aspnet-identity"}, "malformed_hash",
         "An MD5 hex digest declared as ASP.NET Identity."),
        ("unknown-declared-scheme", digest16, {"scheme": "whirlpool"}, "unsupported_scheme",
         "whirlpool is not a scheme name."),
        ("unknown-hmac-digest", digest16, {"scheme": "hmac-whirlpool", "key_hex": "00"}, "unsupported_scheme",
         "whirlpool is not an HMAC digest."),
    ]
    bcrypt4 = bcrypt.hashpw(PASSWORD, b"$2b$04$" + b"Kx7wQeUX3mJ0b6sZ1t9aQe").decode()
    membership = base64.b64encode(hashlib.sha1(b"0123456789abcdef" + "pw".encode("utf-16-le")).digest()).decode()
    membership += "|1|" + base64.b64encode(b"0123456789abcdef").decode()
    cases += [
        ("template-non-ascii", digest16, {"scheme": "md5", "salt": "x", "salt_template": "\u00e9{SALT}{PASSWORD}"},
         "malformed_hash", "Template text outside printable ASCII is rejected, not sliced."),
        ("template-too-long", digest16, {"scheme": "md5", "salt": "x", "salt_template": "{PASSWORD}" + "-" * 130},
         "malformed_hash", "A salt template over 128 characters."),
        ("composition-without-salt", digest16, {"scheme": "md5(md5(p).salt)"}, "malformed_hash",
         "The recipe uses a salt but the record has none: a lost salt column."),
        ("composition-empty-salt", digest16, {"scheme": "md5(md5(p).salt)", "salt": ""}, "malformed_hash",
         "An empty salt for a recipe that uses one."),
        ("werkzeug-on-bare-md5", digest16, {"scheme": "werkzeug"}, "malformed_hash",
         "A bare MD5 digest is not a Werkzeug string."),
        ("werkzeug-on-bcrypt", bcrypt4, {"scheme": "werkzeug"}, "malformed_hash",
         "A bcrypt string is not a Werkzeug string."),
        ("utf16le-over-bcrypt", bcrypt4, {"source_encoding": "utf16le"}, "malformed_hash",
         "bcrypt stops at NUL bytes, which UTF-16LE text contains."),
        ("bcrypt-over-raw-digest", bcrypt4, {"scheme": "bcrypt(md5_raw(p))"}, "malformed_hash",
         "bcrypt's input must be text, and raw digest bytes may hold NUL."),
        ("argon2-expression-on-bcrypt", bcrypt4, {"scheme": "argon2id(md5(p))"}, "malformed_hash",
         "An Argon2 recipe over a bcrypt string."),
        ("latin1-over-membership", membership, {"source_encoding": "latin1"}, "malformed_hash",
         "SQL Membership already hashes UTF-16LE bytes."),
    ]
    return [row(id_, PASSWORD, stored, descriptor, expect, note)
            for id_, stored, descriptor, expect, note in cases]


def families():
    """Strings declared by a family name: every PBKDF2 shape is in the pbkdf2 family."""
    out = []
    salt = "fAmIlYsAlT"
    dk = hashlib.pbkdf2_hmac("sha256", PASSWORD, salt.encode(), 1000)
    django = f"pbkdf2_sha256$1000${salt}${base64.b64encode(dk).decode()}"
    out += pair("family-pbkdf2-django", django, {"scheme": "pbkdf2"},
                "A Django PBKDF2 string declared with the pbkdf2 family.")
    defuse = f"sha256:1000:{base64.b64encode(salt.encode()).decode()}:{base64.b64encode(hashlib.pbkdf2_hmac('sha256', PASSWORD, salt.encode(), 1000, 24)).decode()}"
    out += pair("family-pbkdf2-defuse", defuse, {"scheme": "pbkdf2"},
                "A defuse PBKDF2 string declared with the pbkdf2 family.")
    out.append(row("family-pbkdf2-on-bcrypt", PASSWORD,
                   bcrypt.hashpw(PASSWORD, b"$2b$04$" + b"Kx7wQeUX3mJ0b6sZ1t9aQe").decode(),
                   {"scheme": "pbkdf2"}, "malformed_hash", "A bcrypt string is not in the pbkdf2 family."))
    return out


def main():
    rows = compositions() + wrappers() + werkzeug() + salted() + encodings() + errors() + families()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    with OUT.open("w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} vectors to {OUT} "
          f"(bcrypt {version('bcrypt')}, argon2-cffi {version('argon2-cffi')}, passlib {version('passlib')})")


if __name__ == "__main__":
    main()
