#!/usr/bin/env python3
"""Write the seed corpus for the fuzz targets into fuzz/corpus/<target>/.

Seeds come from the test vectors (tests/vectors/core.jsonl, real-world.jsonl and
formats.jsonl, and compositions.jsonl rewritten in the $pwm-compose$ and $pwm-latin1$ forms) and
the example exports (examples/). Each file is named by the first 16 hex
digits of the SHA-1 of its content, so rerunning the script rewrites the same files and keeps
any others. Inputs of 4096 bytes or more are skipped to keep every seed small.

The committed corpus also contains inputs that libFuzzer found and `-set_cover_merge=1` kept,
named the same way. The script cannot recreate those, so --clean, which first deletes every
file in the four corpus directories, drops them too.

Usage: python3 fuzz/make_corpus.py [--clean]

Standard library only.
"""

import argparse
import base64
import csv
import hashlib
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
TARGETS = ("parse_round_trip", "verify", "legacy_json", "import_records")
MAX_SEED_BYTES = 4096

# The order of `Method::ALL` in src/scheme/mod.rs. `method_from` in src/fuzzing.rs reads the
# selector byte modulo 10, so 0..=8 index this list and 9 selects no method (scheme detection).
METHODS = ("MD5", "SHA1", "SHA256", "SHA512", "Bcrypt", "Argon2i", "Argon2id", "Argon2d", "Legacy")
NO_METHOD = len(METHODS)

# The verify target reads one length byte, so a longer password is cut to this many bytes.
MAX_VERIFY_PASSWORD = 255

# Records per import snippet.
RECORDS_PER_SNIPPET = 3

# The Logto API export has 1000 users in the same few shapes, so its first 300 give enough
# snippets for every method and identity layout.
MAX_LOGTO_USERS = 300


def load_jsonl(path):
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_vectors():
    vectors = []
    for name in ("core.jsonl", "real-world.jsonl", "formats.jsonl"):
        vectors.extend(load_jsonl(ROOT / "tests" / "vectors" / name))
    return vectors


def b64(data):
    return base64.b64encode(data).decode().rstrip("=")


def canonical_vectors():
    """Return vectors in pwmigrate's composition and source-encoding forms, written from the
    export-shaped rows of compositions.jsonl, with the same password fields."""
    out = []
    for row in load_jsonl(ROOT / "tests" / "vectors" / "compositions.jsonl"):
        descriptor = row["descriptor"]
        scheme = descriptor.get("scheme", "")
        stored = row["stored"]
        salt = descriptor.get("salt", "").encode("utf-8")
        if "(" in scheme and not scheme.startswith(("bcrypt(", "argon2")):
            try:
                digest = bytes.fromhex(stored)
            except ValueError:
                continue
            stored = f"$pwm-compose${scheme}${b64(salt)}${b64(digest)}"
        elif scheme.startswith(("bcrypt(", "argon2")):
            stored = f"$pwm-compose${scheme}$${stored}"
        elif descriptor.get("source_encoding") == "latin1" and stored.startswith("$P$"):
            stored = "$pwm-latin1$" + stored
        else:
            continue
        out.append({"stored": stored, "password_hex": row["password_hex"], "method": None})
    return out


def selector(method):
    if method is None:
        return NO_METHOD
    return METHODS.index(method)


def parse_round_trip_seeds(vectors):
    for vector in vectors:
        stored = vector["stored"].encode("utf-8")
        method = vector.get("method")
        yield bytes([selector(method)]) + stored
        if method is not None:
            # Also add the string without a method, so scheme detection starts from every hash too.
            yield bytes([NO_METHOD]) + stored


def verify_seeds(vectors):
    for vector in vectors:
        password = bytes.fromhex(vector["password_hex"])[:MAX_VERIFY_PASSWORD]
        yield bytes([len(password)]) + password + vector["stored"].encode("utf-8")


def is_legacy(stored, method):
    return method == "Legacy" or stored.startswith("[")


def legacy_json_seeds(vectors, logto_users, logto_rows):
    for vector in vectors:
        if is_legacy(vector["stored"], vector.get("method")):
            yield vector["stored"].encode("utf-8")
    for user in logto_users:
        if user["passwordAlgorithm"] == "Legacy":
            yield user["passwordDigest"].encode("utf-8")
    for row in logto_rows:
        if row["password_encryption_method"] == "Legacy":
            yield row["password_encrypted"].encode("utf-8")


def chunks(records, size):
    for start in range(0, len(records), size):
        yield records[start : start + size]


def json_array(records, indent=None):
    return json.dumps(records, indent=indent, ensure_ascii=False).encode("utf-8")


def json_lines(records, newline="\n"):
    text = "".join(json.dumps(record, ensure_ascii=False) + newline for record in records)
    return text.encode("utf-8")


def csv_text(header, rows, newline="\n"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def generic_rows_from_db(rows):
    """Map Logto database rows to the generic importer's default column names."""
    return [
        [row["id"], row["primary_email"] or "", row["password_encrypted"], row["password_encryption_method"]]
        for row in rows
    ]


def generic_rows_from_auth0(users):
    """Map Auth0 salted digests to the generic importer's default column names."""
    rows = []
    for user in users:
        custom = user.get("custom_password_hash")
        if not custom or "salt" not in custom:
            continue
        rows.append(
            [
                user["email"],
                custom["hash"]["value"],
                custom["salt"]["value"],
                custom["algorithm"],
                custom["salt"]["position"],
                custom["salt"].get("encoding", "utf8"),
                custom["hash"].get("encoding", "hex"),
            ]
        )
    return rows


GENERIC_DB_HEADER = ["id", "email", "hash", "algorithm"]
GENERIC_SALTED_HEADER = [
    "email",
    "hash",
    "salt",
    "algorithm",
    "salt_position",
    "salt_encoding",
    "digest_encoding",
]


def import_records_seeds(auth0_users, logto_users, logto_rows):
    # Each source in its own format, a few records per snippet. Alternate the array layout
    # between the exports' pretty form and a compact one.
    for number, records in enumerate(chunks(logto_users[:MAX_LOGTO_USERS], RECORDS_PER_SNIPPET)):
        yield json_array(records, indent=2 if number % 2 == 0 else None)
    for number, records in enumerate(chunks(auth0_users, RECORDS_PER_SNIPPET)):
        yield json_array(records, indent=2 if number % 2 == 0 else None)
    for records in chunks(logto_rows, RECORDS_PER_SNIPPET):
        yield json_lines(records)

    # The generic importer, as CSV with a header row and as JSON Lines with the same columns.
    db_rows = generic_rows_from_db(logto_rows)
    for rows in chunks(db_rows, RECORDS_PER_SNIPPET):
        yield csv_text(GENERIC_DB_HEADER, rows)
    salted_rows = generic_rows_from_auth0(auth0_users)
    for rows in chunks(salted_rows, RECORDS_PER_SNIPPET):
        yield csv_text(GENERIC_SALTED_HEADER, rows)
    for rows in chunks(salted_rows[:12], RECORDS_PER_SNIPPET):
        yield json_lines([dict(zip(GENERIC_SALTED_HEADER, row)) for row in rows])

    yield from edge_case_snippets(auth0_users, logto_users, logto_rows, db_rows)


def edge_case_snippets(auth0_users, logto_users, logto_rows, db_rows):
    """Yield hand-made snippets for the importer's repair, duplicate and error paths."""
    three_users = logto_users[:RECORDS_PER_SNIPPET]
    three_rows = logto_rows[:RECORDS_PER_SNIPPET]

    # Line endings and padding that the importer repairs.
    yield json_lines(three_rows, newline="\r\n")
    yield csv_text(GENERIC_DB_HEADER, db_rows[:RECORDS_PER_SNIPPET], newline="\r\n")
    padded = [dict(row, password_encrypted=row["password_encrypted"] + "   ") for row in three_rows]
    yield json_lines(padded)
    trailing_newline = [dict(user, passwordDigest=user["passwordDigest"] + "\n") for user in three_users]
    yield json_array(trailing_newline)

    # Duplicate users: the same record twice, and the same email with different case.
    yield json_array([three_users[0], three_users[0]])
    shouted = dict(three_users[1], username="other", primaryEmail=three_users[1]["primaryEmail"].upper())
    yield json_array([three_users[1], shouted])

    # Broken input: empty, truncated, not objects, wrong field types, invalid UTF-8.
    yield b""
    yield b"["
    yield b"{"
    yield json_array(three_users, indent=2)[:300]
    yield json_lines(three_rows)[:-40]
    yield b'[1, "two", null, [3], true]'
    yield b'{"hash": "5f4dcc3b5aa765d61d8327deb882cf99", "algorithm": "MD5"}\n42\n"text"\n[]\n'
    yield b'[{"passwordDigest": 7, "passwordAlgorithm": "MD5"}, {"passwordDigest": null}]'
    yield b'[{"passwordDigest": "5f4dcc3b5aa765d61d8327deb882cf99", "passwordAlgorithm": "Nope"}]'
    yield b'[{"email": "a@example.com", "password_hash": {"value": "x"}}]'
    yield (
        b'{"id": "a1", "password_encrypted": "5f4dcc3b5aa765d61d8327deb882cf99",'
        b' "password_encryption_method": "MD5", "name": "\xff\xfe"}\n'
    )
    yield b"id,email,hash,algorithm\na1,\xc3\x28@example.com,5f4dcc3b5aa765d61d8327deb882cf99,MD5\n"
    yield b'[{"username": "\xed\xa0\x80", "passwordDigest": "x", "passwordAlgorithm": "MD5"}]'
    yield b"id,email,hash,algorithm\n"
    yield b"id,email,hash,algorithm\na1,a@example.com\nb2,b@example.com,x,MD5,extra\n"
    yield b'id,hash\na1,"unterminated\n'
    yield csv_text(GENERIC_SALTED_HEADER, [["a@example.com", "00", "salt", "sha1", "middle", "utf8", "hex"]])
    yield csv_text(["email", "hash", "iterations"], [["a@example.com", "5f4dcc3b5aa765d61d8327deb882cf99", "2"]])
    # An Auth0 HMAC record whose key the fuzz oracle was not given.
    hmac_user = next(u for u in auth0_users if u.get("custom_password_hash", {}).get("algorithm") == "hmac")
    yield json_array([hmac_user])


def write_corpus(target, seeds):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    names = set()
    skipped = 0
    for seed in seeds:
        if len(seed) >= MAX_SEED_BYTES:
            skipped += 1
            continue
        name = hashlib.sha1(seed).hexdigest()[:16]
        if name in names:
            continue
        names.add(name)
        (directory / name).write_bytes(seed)
    return len(names), skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clean",
        action="store_true",
        help="delete every file in the corpus directories before writing the seeds",
    )
    args = parser.parse_args()

    if args.clean:
        for target in TARGETS:
            directory = CORPUS / target
            if directory.is_dir():
                for path in directory.iterdir():
                    if path.is_file():
                        path.unlink()

    vectors = load_vectors() + canonical_vectors()
    auth0_users = json.loads((ROOT / "examples" / "auth0-users.json").read_text(encoding="utf-8"))
    logto_users = json.loads((ROOT / "examples" / "logto-users.json").read_text(encoding="utf-8"))
    logto_rows = load_jsonl(ROOT / "examples" / "logto-users-db.jsonl")

    seeds = {
        "parse_round_trip": parse_round_trip_seeds(vectors),
        "verify": verify_seeds(vectors),
        "legacy_json": legacy_json_seeds(vectors, logto_users, logto_rows),
        "import_records": import_records_seeds(auth0_users, logto_users, logto_rows),
    }
    for target in TARGETS:
        written, skipped = write_corpus(target, seeds[target])
        print(f"{target}: {written} seeds, {skipped} skipped as {MAX_SEED_BYTES} bytes or more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
