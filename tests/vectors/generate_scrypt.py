"""Write tests/vectors/scrypt.jsonl: scrypt vectors in passlib, Django and Werkzeug shapes.

Run: .venv-vectors/bin/python tests/vectors/generate_scrypt.py
Tools: CPython 3.11 hashlib.scrypt (OpenSSL 3), passlib 1.7.4. Fixed salts, so the output is
the same on every run. Same fields as formats.jsonl.
"""

import base64
import hashlib
import json
from pathlib import Path

from passlib.hash import scrypt as passlib_scrypt

OUT = Path(__file__).with_name("scrypt.jsonl")
PASSWORD = "correct horse"


def vector(id_, scheme, password, stored, expect, note):
    return {
        "id": id_, "scheme": scheme, "method": None,
        "password_hex": password.encode().hex(), "stored": stored, "user": None,
        "expect": expect, "upgrade_due": True if expect == "valid" else None, "note": note,
    }


def django(password, salt, n, r, p):
    key = hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, dklen=64,
                         maxmem=256 * 1024 * 1024)
    return f"scrypt${salt}${n}${r}${p}${base64.b64encode(key).decode()}"


def werkzeug(password, salt, n, r, p):
    key = hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, dklen=64,
                         maxmem=256 * 1024 * 1024)
    return f"scrypt:{n}:{r}:{p}${salt}${key.hex()}"


def main():
    modular = passlib_scrypt.using(salt=b"fixed-salt-16by!", rounds=10, block_size=8,
                                   parallelism=1).hash(PASSWORD)
    rows = [
        vector("scrypt-passlib", "scrypt", PASSWORD, modular, "valid",
               "passlib $scrypt$ln=10,r=8,p=1."),
        vector("scrypt-passlib-wrong", "scrypt", PASSWORD + "!", modular, "invalid",
               "Wrong password."),
        vector("scrypt-ln-40", "scrypt", PASSWORD, modular.replace("ln=10", "ln=40"),
               "parameters_exceed_limits", "N=2^40 needs far more memory than the bound."),
        vector("django-scrypt", "django-scrypt", PASSWORD, django(PASSWORD, "djsalt", 2048, 8, 1),
               "valid", "Django scrypt$salt$N$r$p$b64, dklen 64."),
        vector("django-scrypt-wrong", "django-scrypt", "x", django(PASSWORD, "djsalt", 2048, 8, 1),
               "invalid", "Wrong password."),
        vector("django-scrypt-n-not-power", "django-scrypt", PASSWORD,
               django(PASSWORD, "djsalt", 2048, 8, 1).replace("$2048$", "$2047$"),
               "malformed_hash", "N must be a power of two."),
        vector("werkzeug-scrypt", "werkzeug-scrypt", PASSWORD,
               werkzeug(PASSWORD, "wzsalt", 1024, 8, 2), "valid",
               "Werkzeug scrypt:N:r:p$salt$hex, dklen 64."),
        vector("werkzeug-scrypt-wrong", "werkzeug-scrypt", PASSWORD.upper(),
               werkzeug(PASSWORD, "wzsalt", 1024, 8, 2), "invalid", "Wrong password."),
    ]
    with OUT.open("w") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} vectors to {OUT}")


if __name__ == "__main__":
    main()
