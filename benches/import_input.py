"""Write a large Logto-style JSON Lines export for the import benchmark.

Usage: python3 benches/import_input.py RECORDS OUTPUT

Each record gets a unique user name and email and reuses, in turn, the stored hashes of
examples/logto-users.json (bare MD5, SHA-1 and SHA-256 digests, bcrypt, Argon2 strings and Logto
Legacy recipes), so every record parses and none needs hashing. Uses only the standard library.
"""

import json
import sys
from pathlib import Path


def main() -> None:
    count = int(sys.argv[1])
    output = Path(sys.argv[2])
    examples = Path(__file__).resolve().parent.parent / "examples" / "logto-users.json"
    pool = [
        (user["passwordDigest"], user["passwordAlgorithm"])
        for user in json.loads(examples.read_text())
    ]
    with output.open("w") as out:
        for index in range(count):
            digest, method = pool[index % len(pool)]
            record = {
                "username": f"user{index}",
                "primaryEmail": f"user{index}@example.com",
                "name": f"User {index}",
                "passwordDigest": digest,
                "passwordAlgorithm": method,
            }
            out.write(json.dumps(record, separators=(",", ":")))
            out.write("\n")


if __name__ == "__main__":
    main()
