"""Generate the example user exports in this folder, with their plaintext passwords.

Every hash comes from an implementation independent of pwmigrate: Python's hashlib and
hmac for digests, HMAC and PBKDF2, pyca bcrypt for bcrypt, and argon2-cffi (libargon2)
for Argon2. All randomness, salts included, comes from random.Random(20261204), so a
rerun with the pinned versions below rewrites every file byte for byte.

Run from the repository root:

    python3 -m venv .venv-vectors
    .venv-vectors/bin/pip install bcrypt==5.0.0 argon2-cffi==25.1.0
    .venv-vectors/bin/python examples/generate.py          # rewrite the files
    .venv-vectors/bin/python examples/generate.py --check  # re-verify a 5% sample

Pinned versions: CPython 3.11.7, bcrypt 5.0.0, argon2-cffi 25.1.0 with
argon2-cffi-bindings 26.2.0. The output depends on the algorithms behind random.shuffle,
random.sample and random.choice, which CPython has changed between minor versions before.

Files written:

    logto-users.json      1000 Logto Management API create-user bodies
    logto-users-db.jsonl  100 Logto users rows, with the database column names
    auth0-users.json      300 Auth0 bulk-import users
    passwords.jsonl       the HMAC key, then the plaintext password of every user above

All names, addresses, phone numbers and passwords are invented.
"""

import argparse
import base64
import hashlib
import hmac
import importlib.metadata
import json
import platform
import random
import re
import string
import sys
import time
from collections import Counter
from pathlib import Path

import argon2
import bcrypt
from argon2 import low_level as argon2_low_level

SEED = 20261204
EXAMPLES_DIR = Path(__file__).resolve().parent

LOGTO_API_FILE = "logto-users.json"
LOGTO_DB_FILE = "logto-users-db.jsonl"
AUTH0_FILE = "auth0-users.json"
PASSWORDS_FILE = "passwords.jsonl"

PINNED_VERSIONS = {"bcrypt": "5.0.0", "argon2-cffi": "25.1.0", "argon2-cffi-bindings": "26.2.0"}
PINNED_PYTHON = "3.11.7"

# Logto's passwordAlgorithm spellings, with the number of users of each in a
# 1000-user and a 100-user export.
LOGTO_METHOD_COUNTS_1000 = {
    "MD5": 150,
    "SHA1": 150,
    "SHA256": 150,
    "Bcrypt": 200,
    "Argon2i": 50,
    "Argon2id": 100,
    "Argon2d": 30,
    "Legacy": 170,
}
LOGTO_METHOD_COUNTS_100 = {
    "MD5": 15,
    "SHA1": 15,
    "SHA256": 15,
    "Bcrypt": 20,
    "Argon2i": 5,
    "Argon2id": 10,
    "Argon2d": 3,
    "Legacy": 17,
}

# Auth0 bulk-import kinds: "password_hash" is the top-level bcrypt field, the rest are
# custom_password_hash algorithms ("bcrypt" there is the custom one).
AUTH0_KIND_COUNTS = {
    "password_hash": 90,
    "md5": 30,
    "sha1": 30,
    "sha256": 30,
    "sha512": 30,
    "hmac": 30,
    "bcrypt": 30,
    "argon2": 30,
}

BCRYPT_MAX_PASSWORD_BYTES = 72

# Argon2 parameters as (memory KiB, passes, lanes). 19456/2/1 is the OWASP minimum for
# Argon2id.
ARGON2I_PARAMS = (8192, 8, 1)
# Logto's own encryptPassword hashes with hash-wasm argon2i at these parameters, as read
# in logto-io/logto packages/core/src/utils/password.ts at commit 0d5c250952c8.
# NOTE: later Logto releases may use other parameters. That was not checked.
ARGON2I_LOGTO_PARAMS = (4096, 256, 1)
ARGON2ID_PARAMS = (19456, 2, 1)
ARGON2ID_STRONG_PARAMS = (65536, 3, 4)
ARGON2D_PARAMS = (4096, 3, 1)
ARGON2_SALT_BYTES = 16
ARGON2_HASH_BYTES = 32

EMAIL_DOMAINS = ("example.com", "example.com", "example.com", "example.org")

# North American area codes. Every number uses the 555-0100 to 555-0199 block, which
# is reserved for fiction.
AREA_CODES = (
    "201", "202", "206", "212", "213", "214", "303", "305", "312", "404", "415",
    "503", "512", "602", "617", "646", "702", "718", "720", "773", "818", "917",
)

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

# Each culture lists (display, ASCII) pairs for given and family names, and the order
# in which a full name is written. The ASCII form builds usernames and email addresses.
CULTURES = {
    "english": {
        "weight": 38,
        "given": [(n, n.lower()) for n in (
            "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William",
            "Linda", "David", "Elizabeth", "Olivia", "Liam", "Emma", "Noah", "Ava",
            "Ethan", "Sophia", "Mason", "Isabella", "Logan", "Harper", "Lucas", "Amelia",
            "Jackson", "Evelyn", "Aiden", "Abigail", "Chloe", "Daniel", "Grace", "Megan",
            "Tyler", "Hannah", "Connor", "Rachel", "Owen", "Nora", "Caleb", "Ruby", "Zach",
        )],
        "family": [(n, n.lower().replace("'", "")) for n in (
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson",
            "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
            "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "O'Brien",
            "Murphy", "O'Connor", "Campbell", "Reed", "Hughes", "Foster", "Price",
        )],
        "order": "given-family",
    },
    "german": {
        "weight": 9,
        "given": [
            ("Jürgen", "juergen"), ("Jörg", "joerg"), ("Günter", "guenter"), ("Lena", "lena"),
            ("Lukas", "lukas"), ("Anna", "anna"), ("Felix", "felix"), ("Sophie", "sophie"),
            ("Maximilian", "maximilian"), ("Mia", "mia"), ("Leon", "leon"), ("Käthe", "kaethe"),
        ],
        "family": [
            ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"),
            ("Fischer", "fischer"), ("Weber", "weber"), ("Meyer", "meyer"),
            ("Wagner", "wagner"), ("Becker", "becker"), ("Schäfer", "schaefer"),
            ("Koch", "koch"), ("Groß", "gross"), ("Krüger", "krueger"),
        ],
        "order": "given-family",
    },
    "spanish": {
        "weight": 10,
        "given": [
            ("José", "jose"), ("María", "maria"), ("Lucía", "lucia"), ("Sofía", "sofia"),
            ("Carlos", "carlos"), ("Javier", "javier"), ("Alejandro", "alejandro"),
            ("Valentina", "valentina"), ("Mateo", "mateo"), ("Martín", "martin"),
            ("Camila", "camila"), ("Iñigo", "inigo"),
        ],
        "family": [
            ("García", "garcia"), ("Rodríguez", "rodriguez"), ("Martínez", "martinez"),
            ("López", "lopez"), ("González", "gonzalez"), ("Pérez", "perez"),
            ("Sánchez", "sanchez"), ("Ramírez", "ramirez"), ("Torres", "torres"),
            ("Flores", "flores"), ("Núñez", "nunez"), ("Ortega", "ortega"),
        ],
        "order": "given-family",
    },
    "french": {
        "weight": 7,
        "given": [
            ("Zoë", "zoe"), ("Élodie", "elodie"), ("Chloé", "chloe"), ("Théo", "theo"),
            ("Léa", "lea"), ("Hugo", "hugo"), ("Camille", "camille"), ("Louis", "louis"),
            ("Manon", "manon"), ("Jules", "jules"), ("Inès", "ines"), ("François", "francois"),
        ],
        "family": [
            ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"),
            ("Thomas", "thomas"), ("Robert", "robert"), ("Richard", "richard"),
            ("Petit", "petit"), ("Durand", "durand"), ("Lefèvre", "lefevre"),
            ("Moreau", "moreau"), ("Girard", "girard"), ("Bélanger", "belanger"),
        ],
        "order": "given-family",
    },
    "chinese": {
        "weight": 8,
        "given": [
            ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
            ("磊", "lei"), ("洋", "yang"), ("艳", "yan"), ("勇", "yong"), ("军", "jun"),
            ("杰", "jie"), ("婷", "ting"), ("晓明", "xiaoming"), ("子涵", "zihan"),
        ],
        "family": [
            ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
        ],
        "order": "family-given-joined",
    },
    "japanese": {
        "weight": 5,
        "given": [
            ("翔太", "shota"), ("陽菜", "hina"), ("結衣", "yui"), ("大翔", "hiroto"),
            ("美咲", "misaki"), ("蓮", "ren"), ("さくら", "sakura"), ("健一", "kenichi"),
        ],
        "family": [
            ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"),
            ("渡辺", "watanabe"), ("伊藤", "ito"), ("山本", "yamamoto"), ("中村", "nakamura"),
        ],
        "order": "family-given",
    },
    "korean": {
        "weight": 4,
        "given": [
            ("민준", "minjun"), ("서연", "seoyeon"), ("지훈", "jihoon"), ("하은", "haeun"),
            ("도윤", "doyun"), ("지우", "jiwoo"),
        ],
        "family": [("김", "kim"), ("이", "lee"), ("박", "park"), ("최", "choi"), ("정", "jung")],
        "order": "family-given-joined",
    },
    "indian": {
        "weight": 8,
        "given": [(n, n.lower()) for n in (
            "Aarav", "Priya", "Vivaan", "Ananya", "Arjun", "Diya", "Rohan", "Isha",
            "Kabir", "Meera", "Aditya", "Kavya",
        )],
        "family": [(n, n.lower()) for n in (
            "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Das",
            "Joshi",
        )],
        "order": "given-family",
    },
    "russian": {
        "weight": 4,
        # Russian family names take the feminine ending -а for the given names marked "f".
        "given": [
            ("Александр", "aleksandr"), ("Мария", "maria", "f"), ("Дмитрий", "dmitry"),
            ("Анна", "anna", "f"), ("Иван", "ivan"), ("Екатерина", "ekaterina", "f"),
            ("Сергей", "sergey"), ("Ольга", "olga", "f"),
        ],
        "family": [
            ("Иванов", "ivanov"), ("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"),
            ("Попов", "popov"), ("Соколов", "sokolov"), ("Волков", "volkov"),
        ],
        "order": "given-family",
    },
    "arabic": {
        "weight": 4,
        "given": [(n, n.lower()) for n in (
            "Omar", "Fatima", "Youssef", "Layla", "Ahmed", "Nour", "Karim", "Salma",
        )],
        "family": [(n, n.lower()) for n in (
            "Haddad", "Khalil", "Nasser", "Mansour", "Saleh", "Farouk", "Hamdan",
        )],
        "order": "given-family",
    },
    "nordic_polish": {
        "weight": 3,
        "given": [
            ("Åsa", "asa"), ("Björn", "bjorn"), ("Sigrid", "sigrid"), ("Søren", "soren"),
            ("Freja", "freja"), ("Łukasz", "lukasz"), ("Małgorzata", "malgorzata"),
            ("Wojciech", "wojciech"),
        ],
        "family": [
            ("Johansson", "johansson"), ("Lindqvist", "lindqvist"), ("Nielsen", "nielsen"),
            ("Øberg", "oberg"), ("Kowalski", "kowalski"), ("Wiśniewski", "wisniewski"),
            ("Wójcik", "wojcik"),
        ],
        "order": "given-family",
    },
}

# ---------------------------------------------------------------------------
# Passwords
# ---------------------------------------------------------------------------

COMMON_WORDS = (
    "sunshine", "dragon", "monkey", "football", "baseball", "shadow", "master", "letmein",
    "welcome", "princess", "freedom", "whatever", "summer", "winter", "autumn", "spring",
    "coffee", "pizza", "banana", "charlie", "buster", "tigger", "pepper", "maggie", "ginger",
    "hunter", "ranger", "soccer", "hockey", "purple", "orange", "chocolate", "rainbow",
    "starwars", "batman", "superman", "mustang", "jordan", "london", "paris", "berlin",
    "toronto", "october", "december", "password", "qwerty", "iloveyou", "family",
    "liverpool", "arsenal", "chelsea", "flower", "cookie", "snoopy", "silver", "diamond",
)

PASSPHRASE_WORDS = (
    "correct", "horse", "battery", "staple", "river", "lantern", "quiet", "marble", "violet",
    "copper", "harbor", "meadow", "thunder", "pencil", "glacier", "orbit", "velvet", "walnut",
    "canyon", "ember", "falcon", "juniper", "nimbus", "pebble", "saffron", "timber", "willow",
    "zephyr", "anchor", "biscuit", "cobalt", "dune", "fjord", "garnet", "hollow", "island",
)

LEET = str.maketrans({"a": "@", "e": "3", "i": "1", "o": "0", "s": "$"})

# Passwords outside ASCII, all 72 bytes or shorter in UTF-8, so any method can take them.
UNICODE_PASSWORDS = (
    "Grüße-2024",
    "密码123",
    "пароль2023!",
    "contraseña-segura",
    "Ünïcödé#99",
    "日本語のパスワード",
    "🔑secret42",
    "Ελληνικά-7",
    "naïve café 5",
    "كلمةالسر2024",
    "비밀번호1234",
    "Straße&Weg",
    "Ça-va-bien?",
    "żółć-gęślą-jaźń",
    "पासवर्ड123",
    "€uro-Preis9",
    "🐱🐶pets2022",
    "Ñandú_2019",
)

# Passwords longer than 80 bytes in UTF-8, which pyca bcrypt 5 rejects.
LONG_PASSWORDS = (
    "correct horse battery staple and then a few more words to make it really long 2024!",
    "这是一个非常长的密码用来测试多字节字符的处理以及长度限制是否正确一二三四五",
    "My grandmother's kitchen smelled of cinnamon, cardamom & fresh bread every Sunday (1987)",
    "Long-Passphrase-Long-Passphrase-Long-Passphrase-Long-Passphrase-Long-Passphrase-9",
    "Übergrößenträger-Straßenbahn-Fußgängerzone-Käsespätzle-Glühwürmchen-2024",
    "walnut canyon ember falcon juniper nimbus pebble saffron timber willow zephyr anchor "
    "biscuit cobalt dune fjord garnet hollow island lantern quiet marble violet copper "
    "harbor meadow thunder pencil glacier orbit velvet river horse battery staple 2031",
)

# A bcrypt password of exactly 72 bytes, the most bcrypt reads.
BCRYPT_BOUNDARY_PASSWORD = "Exactly-seventy-two-bytes-long-for-the-bcrypt-limit-0123456789abcdefghij"

TRAILING_SPACE_PASSWORDS = ("autumn leaves ", "Spring2025! ")


def draw_pattern_password(rng: random.Random) -> str:
    """Draw one password from a mix of the shapes real users choose."""
    shape = rng.choices(
        ("word_digits", "leet", "passphrase", "manager", "keyboard", "unicode", "long"),
        weights=(34, 12, 16, 24, 6, 5, 3),
    )[0]

    if shape == "word_digits":
        word = rng.choice(COMMON_WORDS)
        if rng.random() < 0.6:
            word = word.capitalize()
        digits = str(rng.choice((rng.randrange(10, 100), rng.randrange(1970, 2026), 123, 1)))
        symbol = rng.choice(("", "", "!", "#", "?", "*", "."))
        return word + digits + symbol

    if shape == "leet":
        word = rng.choice(COMMON_WORDS).translate(LEET)
        return word.capitalize() + rng.choice(("!", "#1", "2024", "_99", "&"))

    if shape == "passphrase":
        words = rng.sample(PASSPHRASE_WORDS, rng.randrange(3, 6))
        separator = rng.choice(("-", " ", "", ".", "_"))
        if separator == "":
            words = [word.capitalize() for word in words]
        return separator.join(words)

    if shape == "manager":
        # Password-manager output includes quotes and backslashes, which JSON must escape.
        alphabet = string.ascii_letters + string.digits + string.punctuation
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12, 33)))

    if shape == "keyboard":
        return rng.choice(("qwerty123", "asdfghjkl", "1q2w3e4r5t", "zaq12wsx", "qwertyuiop!"))

    if shape == "unicode":
        return rng.choice(UNICODE_PASSWORDS)

    words = rng.sample(PASSPHRASE_WORDS, rng.randrange(10, 15))
    return " ".join(words) + f" {rng.randrange(1000, 10000)}"


def draw_password(rng: random.Random, max_bytes: int | None) -> str:
    """Draw a pattern password, redrawing while it is over max_bytes in UTF-8."""
    while True:
        password = draw_pattern_password(rng)
        if max_bytes is None or len(password.encode("utf-8")) <= max_bytes:
            return password


def assign_passwords(rng: random.Random, methods: list[str], long_capable: set[str],
                     unicode_per_method: int, long_per_method: int,
                     trailing_space: str, boundary_method: str | None) -> list[str]:
    """Draw one password per user, placing the edge cases under every method.

    Each method gets unicode_per_method passwords from UNICODE_PASSWORDS. Each method in
    long_capable gets long_per_method passwords from LONG_PASSWORDS, and methods outside
    it only get passwords of at most 72 bytes. boundary_method, if given, gets the
    72-byte BCRYPT_BOUNDARY_PASSWORD. One user of a long-capable method gets
    trailing_space.
    """
    passwords: list[str | None] = [None] * len(methods)
    unicode_cycle = list(UNICODE_PASSWORDS)
    rng.shuffle(unicode_cycle)
    long_cycle = list(LONG_PASSWORDS)
    rng.shuffle(long_cycle)
    unicode_next = 0
    long_next = 0

    for method in dict.fromkeys(methods):
        indices = [i for i, m in enumerate(methods) if m == method]
        rng.shuffle(indices)

        for _ in range(unicode_per_method):
            passwords[indices.pop()] = unicode_cycle[unicode_next % len(unicode_cycle)]
            unicode_next += 1

        if method in long_capable:
            for _ in range(long_per_method):
                passwords[indices.pop()] = long_cycle[long_next % len(long_cycle)]
                long_next += 1

        if method == boundary_method:
            passwords[indices.pop()] = BCRYPT_BOUNDARY_PASSWORD

    free = [i for i, p in enumerate(passwords) if p is None and methods[i] in long_capable]
    passwords[rng.choice(free)] = trailing_space

    for i, method in enumerate(methods):
        if passwords[i] is None:
            max_bytes = None if method in long_capable else BCRYPT_MAX_PASSWORD_BYTES
            passwords[i] = draw_password(rng, max_bytes)
    return passwords


# ---------------------------------------------------------------------------
# Identities
# ---------------------------------------------------------------------------


class IdentityFactory:
    """Draws fake people with unique usernames, email addresses, phone numbers and ids."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.usernames: set[str] = set()
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.ids: set[str] = set()
        self.culture_names = list(CULTURES)
        self.culture_weights = [CULTURES[name]["weight"] for name in self.culture_names]

    def draw_person(self) -> dict:
        """Return a display name with the ASCII given and family names behind it."""
        culture = CULTURES[self.rng.choices(self.culture_names, self.culture_weights)[0]]
        given_entry = self.rng.choice(culture["given"])
        family_display, family_ascii = self.rng.choice(culture["family"])
        given_display, given_ascii = given_entry[0], given_entry[1]
        if len(given_entry) == 3 and given_entry[2] == "f":
            family_display += "а"
            family_ascii += "a"

        if culture["order"] == "given-family":
            display = f"{given_display} {family_display}"
        elif culture["order"] == "family-given":
            display = f"{family_display} {given_display}"
        else:
            display = family_display + given_display
        return {"name": display, "given": given_ascii, "family": family_ascii}

    def make_username(self, person: dict) -> str:
        """Return an unused username that Logto's pattern ^[A-Z_a-z]\\w*$ accepts."""
        given, family = person["given"], person["family"]
        shape = self.rng.choice(("given_family", "gfamily", "givenfamily", "Given", "given_n"))
        if shape == "given_family":
            base = f"{given}_{family}"
        elif shape == "gfamily":
            base = given[0] + family
        elif shape == "givenfamily":
            base = given + family
        elif shape == "Given":
            base = given.capitalize() + family[0].upper()
        else:
            base = f"{given}{self.rng.randrange(1, 100)}"
        return self._make_unique(base, self.usernames, "")

    def make_email(self, person: dict) -> str:
        """Return an unused address at example.com or example.org."""
        given, family = person["given"], person["family"]
        shape = self.rng.choice(("given.family", "givenfamily", "g.family", "given_family",
                                 "given+tag", "givenNN"))
        if shape == "given.family":
            local = f"{given}.{family}"
        elif shape == "givenfamily":
            local = given + family
        elif shape == "g.family":
            local = f"{given[0]}.{family}"
        elif shape == "given_family":
            local = f"{given}_{family}"
        elif shape == "given+tag":
            local = f"{given}.{family}+{self.rng.choice(('shop', 'news', 'work', 'app'))}"
        else:
            local = f"{given}{self.rng.randrange(1, 1000)}"
        domain = self.rng.choice(EMAIL_DOMAINS)
        return self._make_unique(local, self.emails, "@" + domain)

    def make_phone(self) -> str:
        """Return an unused E.164 number in a 555-01XX block."""
        while True:
            number = f"+1{self.rng.choice(AREA_CODES)}55501{self.rng.randrange(100):02d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def make_id(self, alphabet: str, length: int) -> str:
        """Return an unused id of length characters drawn from alphabet."""
        while True:
            user_id = "".join(self.rng.choice(alphabet) for _ in range(length))
            if user_id not in self.ids:
                self.ids.add(user_id)
                return user_id

    def _make_unique(self, base: str, used: set[str], suffix: str) -> str:
        candidate = base + suffix
        while candidate in used:
            candidate = f"{base}{self.rng.randrange(2, 1000)}{suffix}"
        used.add(candidate)
        return candidate


def plan_logto_identities(rng: random.Random, count: int, empty_username: int,
                          phone_only: int, email_only: int) -> list[dict]:
    """Decide which identity fields each Logto user has.

    empty_username users have username "" and an email. phone_only users have a phone
    and no email, and half of them also have no username. email_only users have no
    username key. About a third of the others have a phone as well.
    """
    indices = list(range(count))
    rng.shuffle(indices)
    empty_set = set(indices[:empty_username])
    phone_only_list = indices[empty_username:empty_username + phone_only]
    phone_only_set = set(phone_only_list)
    no_username_phone_set = set(phone_only_list[: phone_only // 2])
    start = empty_username + phone_only
    email_only_set = set(indices[start:start + email_only])

    plans = []
    for i in range(count):
        plan = {"username": "full", "email": True, "phone": rng.random() < 0.35,
                "name": rng.random() < 0.97}
        if i in empty_set:
            plan["username"] = "empty"
        elif i in phone_only_set:
            plan["email"] = False
            plan["phone"] = True
            if i in no_username_phone_set:
                plan["username"] = "absent"
        elif i in email_only_set:
            plan["username"] = "absent"
        plans.append(plan)
    return plans


# ---------------------------------------------------------------------------
# Hashes
# ---------------------------------------------------------------------------


def encode_bcrypt_base64(data: bytes) -> str:
    """Encode bytes in bcrypt's base64 alphabet (./A-Za-z0-9), without padding."""
    standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    bcrypt_alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    text = base64.b64encode(data).decode("ascii").rstrip("=")
    return text.translate(str.maketrans(standard, bcrypt_alphabet))


def hash_bcrypt(rng: random.Random, password: str, prefix: str, cost: int) -> str:
    """Hash with pyca bcrypt under a 16-byte salt drawn from rng, keeping the prefix."""
    salt = f"{prefix}{cost:02d}${encode_bcrypt_base64(rng.randbytes(16))}"
    return bcrypt.hashpw(password.encode("utf-8"), salt.encode("ascii")).decode("ascii")


def hash_argon2(rng: random.Random, password: str, variant: str,
                params: tuple[int, int, int]) -> str:
    """Return the v=19 PHC string from argon2-cffi for variant "i", "d" or "id"."""
    memory_kib, passes, lanes = params
    argon2_type = {"i": argon2.Type.I, "d": argon2.Type.D, "id": argon2.Type.ID}[variant]
    encoded = argon2_low_level.hash_secret(
        password.encode("utf-8"),
        rng.randbytes(ARGON2_SALT_BYTES),
        time_cost=passes,
        memory_cost=memory_kib,
        parallelism=lanes,
        hash_len=ARGON2_HASH_BYTES,
        type=argon2_type,
        version=19,
    )
    return encoded.decode("ascii")


def draw_text_salt(rng: random.Random) -> str:
    """Draw a salt of printable text, shaped like the salts that sites store."""
    shape = rng.choice(("hex", "alnum", "base64", "short"))
    if shape == "hex":
        return rng.randbytes(8).hex()
    if shape == "alnum":
        return "".join(rng.choice(string.ascii_letters + string.digits)
                       for _ in range(rng.randrange(12, 33)))
    if shape == "base64":
        return base64.b64encode(rng.randbytes(12)).decode("ascii")
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(4, 9)))


def make_legacy_digest_recipe(rng: random.Random, password: str) -> list:
    """Build a Logto Legacy recipe: a digest of salt and password concatenated."""
    algorithm = rng.choice(("md5", "sha1", "sha256", "sha512"))
    salt = draw_text_salt(rng)
    layout = rng.choices(("salt_first", "password_first", "both_sides"), (45, 45, 10))[0]
    if layout == "salt_first":
        args = [salt, "@"]
    elif layout == "password_first":
        args = ["@", salt]
    else:
        # A salt before and a site-wide pepper after.
        args = [salt, "@", rng.choice(("pepper", "s@lt", "::app-v1"))]

    message = "".join(password if arg == "@" else arg for arg in args)
    expected = hashlib.new(algorithm, message.encode("utf-8")).hexdigest()
    return [algorithm, args, expected]


def make_legacy_pbkdf2_recipe(rng: random.Random, password: str) -> list:
    """Build a Logto Legacy PBKDF2 recipe, varying salt form and number types."""
    digest, key_length = rng.choices((("sha256", 32), ("sha1", 20), ("sha512", 64)),
                                     (70, 15, 15))[0]
    iterations = rng.choice((1000, 1000, 4096, 10000, 27500))

    if rng.random() < 0.35:
        salt_bytes = rng.randbytes(16)
        salt_arg = "hex:" + salt_bytes.hex()
    else:
        salt_arg = draw_text_salt(rng)
        salt_bytes = salt_arg.encode("utf-8")

    key = hashlib.pbkdf2_hmac(digest, password.encode("utf-8"), salt_bytes, iterations,
                              key_length)
    iterations_arg = str(iterations) if rng.random() < 0.5 else iterations
    key_length_arg = str(key_length) if rng.random() < 0.5 else key_length
    return ["pbkdf2", [salt_arg, iterations_arg, key_length_arg, digest, "@"], key.hex()]


def make_legacy_digest(rng: random.Random, password: str) -> str:
    """Return a Legacy passwordDigest: the JSON text of a digest or PBKDF2 recipe."""
    if rng.random() < 0.3:
        recipe = make_legacy_pbkdf2_recipe(rng, password)
    else:
        recipe = make_legacy_digest_recipe(rng, password)
    # Logto's documentation writes recipes with spaces. Some exports are compact.
    if rng.random() < 0.75:
        return json.dumps(recipe, ensure_ascii=False)
    return json.dumps(recipe, ensure_ascii=False, separators=(",", ":"))


class LogtoHasher:
    """Produces Logto password digests, with per-method costs spread over the users."""

    def __init__(self, rng: random.Random, methods: list[str], bcrypt_low: int,
                 bcrypt_high: int, argon2i_logto: int, argon2id_strong: int):
        self.rng = rng
        bcrypt_indices = [i for i, m in enumerate(methods) if m == "Bcrypt"]
        argon2i_indices = [i for i, m in enumerate(methods) if m == "Argon2i"]
        argon2id_indices = [i for i, m in enumerate(methods) if m == "Argon2id"]
        picked = rng.sample(bcrypt_indices, bcrypt_low + bcrypt_high)
        self.bcrypt_costs = {i: 4 for i in picked[:bcrypt_low]}
        self.bcrypt_costs.update({i: 12 for i in picked[bcrypt_low:]})
        self.argon2i_logto = set(rng.sample(argon2i_indices, argon2i_logto))
        self.argon2id_strong = set(rng.sample(argon2id_indices, argon2id_strong))

    def hash(self, index: int, method: str, password: str) -> str:
        """Return the passwordDigest for one user under a Logto passwordAlgorithm."""
        data = password.encode("utf-8")
        if method == "MD5":
            return hashlib.md5(data).hexdigest()
        if method == "SHA1":
            return hashlib.sha1(data).hexdigest()
        if method == "SHA256":
            return hashlib.sha256(data).hexdigest()
        if method == "Bcrypt":
            prefix = self.rng.choices(("$2b$", "$2a$", "$2y$"), (50, 35, 15))[0]
            return hash_bcrypt(self.rng, password, prefix, self.bcrypt_costs.get(index, 10))
        if method == "Argon2i":
            logto = index in self.argon2i_logto
            params = ARGON2I_LOGTO_PARAMS if logto else ARGON2I_PARAMS
            return hash_argon2(self.rng, password, "i", params)
        if method == "Argon2id":
            strong = index in self.argon2id_strong
            params = ARGON2ID_STRONG_PARAMS if strong else ARGON2ID_PARAMS
            return hash_argon2(self.rng, password, "id", params)
        if method == "Argon2d":
            return hash_argon2(self.rng, password, "d", ARGON2D_PARAMS)
        if method == "Legacy":
            return make_legacy_digest(self.rng, password)
        raise ValueError(f"unknown Logto passwordAlgorithm {method!r}")


# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------


def shuffled_methods(rng: random.Random, counts: dict[str, int]) -> list[str]:
    methods = [method for method, count in counts.items() for _ in range(count)]
    rng.shuffle(methods)
    return methods


def build_logto_api_users(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Build the Management API bodies and their password records."""
    methods = shuffled_methods(rng, LOGTO_METHOD_COUNTS_1000)
    long_capable = set(LOGTO_METHOD_COUNTS_1000) - {"Bcrypt"}
    passwords = assign_passwords(rng, methods, long_capable, unicode_per_method=2,
                                 long_per_method=1, trailing_space=TRAILING_SPACE_PASSWORDS[0],
                                 boundary_method="Bcrypt")
    plans = plan_logto_identities(rng, len(methods), empty_username=10, phone_only=10,
                                  email_only=40)
    hasher = LogtoHasher(rng, methods, bcrypt_low=10, bcrypt_high=5, argon2i_logto=4,
                         argon2id_strong=10)
    identities = IdentityFactory(rng)

    users, records = [], []
    for index, (method, password, plan) in enumerate(zip(methods, passwords, plans)):
        person = identities.draw_person()
        user = {}
        if plan["username"] == "full":
            user["username"] = identities.make_username(person)
        elif plan["username"] == "empty":
            user["username"] = ""
        if plan["email"]:
            user["primaryEmail"] = identities.make_email(person)
        if plan["phone"]:
            user["primaryPhone"] = identities.make_phone()
        if plan["name"]:
            user["name"] = person["name"]
        user["passwordDigest"] = hasher.hash(index, method, password)
        user["passwordAlgorithm"] = method
        users.append(user)

        record = {"file": LOGTO_API_FILE, "index": index}
        if "username" in user:
            record["username"] = user["username"]
        if "primaryEmail" in user:
            record["email"] = user["primaryEmail"]
        if "primaryPhone" in user:
            record["phone"] = user["primaryPhone"]
        record["password"] = password
        records.append(record)
    return users, records


def build_logto_db_users(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Build rows of Logto's users table, with null where a column is empty."""
    methods = shuffled_methods(rng, LOGTO_METHOD_COUNTS_100)
    long_capable = set(LOGTO_METHOD_COUNTS_100) - {"Bcrypt"}
    passwords = assign_passwords(rng, methods, long_capable, unicode_per_method=1,
                                 long_per_method=1, trailing_space=TRAILING_SPACE_PASSWORDS[1],
                                 boundary_method=None)
    plans = plan_logto_identities(rng, len(methods), empty_username=2, phone_only=4,
                                  email_only=6)
    hasher = LogtoHasher(rng, methods, bcrypt_low=1, bcrypt_high=1, argon2i_logto=1,
                         argon2id_strong=1)
    identities = IdentityFactory(rng)
    # Logto's user ids are nanoid strings of 12 digits and lowercase letters, from
    # buildIdGenerator(12) in @logto/shared.
    id_alphabet = string.digits + string.ascii_lowercase

    rows, records = [], []
    for index, (method, password, plan) in enumerate(zip(methods, passwords, plans)):
        person = identities.draw_person()
        row = {"id": identities.make_id(id_alphabet, 12)}
        if plan["username"] == "full":
            row["username"] = identities.make_username(person)
        elif plan["username"] == "empty":
            row["username"] = ""
        else:
            row["username"] = None
        row["primary_email"] = identities.make_email(person) if plan["email"] else None
        row["primary_phone"] = identities.make_phone() if plan["phone"] else None
        row["name"] = person["name"] if plan["name"] else None
        row["password_encrypted"] = hasher.hash(index, method, password)
        row["password_encryption_method"] = method
        rows.append(row)

        record = {"file": LOGTO_DB_FILE, "index": index, "user_id": row["id"]}
        if row["username"] is not None:
            record["username"] = row["username"]
        if row["primary_email"] is not None:
            record["email"] = row["primary_email"]
        if row["primary_phone"] is not None:
            record["phone"] = row["primary_phone"]
        record["password"] = password
        records.append(record)
    return rows, records


def make_auth0_salted_digest(rng: random.Random, algorithm: str, password: str) -> dict:
    """Build a custom_password_hash of digest(salt + password) or digest(password + salt)."""
    salt = draw_text_salt(rng)
    position = rng.choice(("prefix", "suffix"))
    message = salt + password if position == "prefix" else password + salt
    digest = hashlib.new(algorithm, message.encode("utf-8")).digest()
    encoding = rng.choice(("hex", "base64"))
    value = digest.hex() if encoding == "hex" else base64.b64encode(digest).decode("ascii")

    salt_field = {"value": salt, "position": position}
    if rng.random() < 0.2:
        salt_field["encoding"] = "utf8"
    return {"algorithm": algorithm, "hash": {"value": value, "encoding": encoding},
            "salt": salt_field}


def make_auth0_hmac(password: str, site_key: str) -> dict:
    """Build a custom_password_hash of HMAC-SHA256 under the shared site key."""
    value = hmac.new(site_key.encode("utf-8"), password.encode("utf-8"),
                     hashlib.sha256).hexdigest()
    return {"algorithm": "hmac", "hash": {
        "value": value, "encoding": "hex", "digest": "sha256",
        "key": {"value": site_key, "encoding": "utf8"},
    }}


def make_auth0_phc(rng: random.Random, algorithm: str, value: str) -> dict:
    """Wrap a bcrypt or Argon2 string, naming its encoding (utf8) in some of them."""
    hash_field = {"value": value}
    if rng.random() < 0.4:
        hash_field["encoding"] = "utf8"
    return {"algorithm": algorithm, "hash": hash_field}


def build_auth0_users(rng: random.Random, site_key: str) -> tuple[list[dict], list[dict]]:
    """Build the Auth0 bulk-import users and their password records."""
    kinds = shuffled_methods(rng, AUTH0_KIND_COUNTS)
    long_capable = set(AUTH0_KIND_COUNTS) - {"password_hash", "bcrypt"}
    passwords = assign_passwords(rng, kinds, long_capable, unicode_per_method=1,
                                 long_per_method=1, trailing_space=TRAILING_SPACE_PASSWORDS[0],
                                 boundary_method=None)
    identities = IdentityFactory(rng)
    strong_argon2 = set(rng.sample([i for i, k in enumerate(kinds) if k == "argon2"], 4))

    users, records = [], []
    for index, (kind, password) in enumerate(zip(kinds, passwords)):
        person = identities.draw_person()
        user = {
            "email": identities.make_email(person),
            "email_verified": rng.random() < 0.8,
            # Auth0 prepends the connection strategy ("auth0|") on import.
            "user_id": identities.make_id("0123456789abcdef", 24),
            "name": person["name"],
        }

        if kind == "password_hash":
            # Auth0 documents $2a$ or $2b$ with 10 rounds for this field.
            prefix = rng.choice(("$2a$", "$2b$"))
            user["password_hash"] = hash_bcrypt(rng, password, prefix, 10)
        else:
            if kind in ("md5", "sha1", "sha256", "sha512"):
                custom = make_auth0_salted_digest(rng, kind, password)
            elif kind == "hmac":
                custom = make_auth0_hmac(password, site_key)
            elif kind == "bcrypt":
                prefix = rng.choices(("$2a$", "$2b$", "$2y$"), (40, 40, 20))[0]
                custom = make_auth0_phc(rng, "bcrypt", hash_bcrypt(rng, password, prefix, 10))
            else:
                params = ARGON2ID_STRONG_PARAMS if index in strong_argon2 else ARGON2ID_PARAMS
                custom = make_auth0_phc(rng, "argon2", hash_argon2(rng, password, "id", params))
            if rng.random() < 0.25:
                custom["password"] = {"encoding": "utf8"}
            user["custom_password_hash"] = custom
        users.append(user)

        records.append({"file": AUTH0_FILE, "index": index, "user_id": user["user_id"],
                        "email": user["email"], "password": password})
    return users, records


def make_site_key(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits
    return "whsk_" + "".join(rng.choice(alphabet) for _ in range(32))


def write_json_array(path: Path, items: list[dict]) -> None:
    path.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_json_lines(path: Path, items: list[dict]) -> None:
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def warn_on_version_drift() -> None:
    """Print a warning to stderr for each tool version that differs from the pinned one."""
    for package, pinned in PINNED_VERSIONS.items():
        installed = importlib.metadata.version(package)
        if installed != pinned:
            print(f"warning: {package} {installed} is installed but {pinned} is pinned; "
                  "the output may differ", file=sys.stderr)
    if platform.python_version() != PINNED_PYTHON:
        print(f"warning: Python {platform.python_version()} differs from {PINNED_PYTHON}; "
              "random's algorithms may differ", file=sys.stderr)


def print_counts(title: str, counts: Counter, order: dict) -> None:
    print(f"{title}: {sum(counts.values())} users")
    for key in order:
        print(f"  {key:<14}{counts[key]:>5}")


def print_details(label: str, counts: Counter) -> None:
    print(f"  {label}: " + ", ".join(f"{key} {n}" for key, n in sorted(counts.items())))


def describe_stored_hash(method: str, stored: str) -> str:
    """Name the parameters of one Logto digest, such as "$2b$10" or "pbkdf2 sha256 hex-salt"."""
    if method == "Bcrypt":
        return stored[:6]
    if method.startswith("Argon2"):
        return stored.split("$")[3]
    if method == "Legacy":
        algorithm, args, _ = json.loads(stored)
        if algorithm != "pbkdf2":
            layout = "salt+@" if args[0] != "@" else "@+salt"
            return f"{algorithm} {layout}{'+pepper' if len(args) == 3 else ''}"
        salt_form = "hex-salt" if args[0].startswith("hex:") else "text-salt"
        number_form = "numbers" if isinstance(args[1], int) else "strings"
        if isinstance(args[1], int) != isinstance(args[2], int):
            number_form = "mixed"
        return f"pbkdf2 {args[3]} {salt_form} {number_form}"
    return method


# Logto's field names in a Management API body and in a users table row.
LOGTO_API_FIELDS = {"method": "passwordAlgorithm", "digest": "passwordDigest",
                    "email": "primaryEmail", "phone": "primaryPhone"}
LOGTO_DB_FIELDS = {"method": "password_encryption_method", "digest": "password_encrypted",
                   "email": "primary_email", "phone": "primary_phone"}


def print_logto_details(users: list[dict], fields: dict, passwords: list[str]) -> None:
    """Print the spread of costs, recipes, identity fields and password shapes."""
    for method in ("Bcrypt", "Argon2i", "Argon2id", "Argon2d", "Legacy"):
        shapes = Counter(describe_stored_hash(method, u[fields["digest"]])
                         for u in users if u[fields["method"]] == method)
        print_details(method, shapes)

    # A missing key in an API body and a null column in a row both count as absent.
    identities = Counter()
    for user in users:
        if user.get("username") == "":
            identities["empty username"] += 1
        if user.get("username") is None:
            identities["no username"] += 1
        if user.get(fields["email"]) is None:
            identities["no email"] += 1
        if user.get(fields["phone"]) is not None:
            identities["phone"] += 1
        if user.get("name") is None:
            identities["no name"] += 1
    print_details("identities", identities)
    print_password_details(passwords)


def print_password_details(passwords: list[str]) -> None:
    shapes = Counter()
    for password in passwords:
        size = len(password.encode("utf-8"))
        if not password.isascii():
            shapes["non-ASCII"] += 1
        if size > 72:
            shapes["over 72 bytes"] += 1
        if size == 72:
            shapes["exactly 72 bytes"] += 1
        if password.endswith(" "):
            shapes["trailing space"] += 1
    print_details("passwords", shapes)


def print_auth0_details(users: list[dict], passwords: list[str]) -> None:
    """Print the spread of hash encodings, salt positions and optional fields."""
    shapes = Counter()
    for user in users:
        if "password_hash" in user:
            shapes[f"password_hash {user['password_hash'][:6]}"] += 1
            continue
        custom = user["custom_password_hash"]
        algorithm = custom["algorithm"]
        if "salt" in custom:
            shapes[f"digest {custom['hash']['encoding']} {custom['salt']['position']}"] += 1
            if "encoding" in custom["salt"]:
                shapes["salt.encoding utf8"] += 1
        elif algorithm in ("bcrypt", "argon2"):
            value = custom["hash"]["value"]
            shapes[f"{algorithm} {value[:6] if algorithm == 'bcrypt' else value.split('$')[3]}"] += 1
            if "encoding" in custom["hash"]:
                shapes["hash.encoding utf8"] += 1
        if "password" in custom:
            shapes["password.encoding utf8"] += 1
    print_details("hashes", shapes)
    print_details("email_verified", Counter(str(u["email_verified"]).lower() for u in users))
    print_password_details(passwords)


def validate_password_pools() -> None:
    """Raise ValueError if a fixed password is outside the byte range its pool promises."""
    for password in UNICODE_PASSWORDS:
        if len(password.encode("utf-8")) > BCRYPT_MAX_PASSWORD_BYTES:
            raise ValueError(f"UNICODE_PASSWORDS entry is over 72 bytes: {password!r}")
    for password in LONG_PASSWORDS:
        if len(password.encode("utf-8")) <= 80:
            raise ValueError(f"LONG_PASSWORDS entry is 80 bytes or shorter: {password!r}")
    if len(BCRYPT_BOUNDARY_PASSWORD.encode("utf-8")) != BCRYPT_MAX_PASSWORD_BYTES:
        raise ValueError("BCRYPT_BOUNDARY_PASSWORD is not exactly 72 bytes")


def generate() -> None:
    """Write every export and passwords.jsonl, then print counts per method."""
    warn_on_version_drift()
    validate_password_pools()
    started = time.perf_counter()

    # Each file draws from its own generator, seeded in a fixed order from the master,
    # so changing one file's code leaves the other files as they were.
    master = random.Random(SEED)
    logto_api_rng = random.Random(master.getrandbits(64))
    logto_db_rng = random.Random(master.getrandbits(64))
    auth0_rng = random.Random(master.getrandbits(64))
    site_key = make_site_key(random.Random(master.getrandbits(64)))

    api_users, api_records = build_logto_api_users(logto_api_rng)
    db_rows, db_records = build_logto_db_users(logto_db_rng)
    auth0_users, auth0_records = build_auth0_users(auth0_rng, site_key)

    write_json_array(EXAMPLES_DIR / LOGTO_API_FILE, api_users)
    write_json_lines(EXAMPLES_DIR / LOGTO_DB_FILE, db_rows)
    write_json_array(EXAMPLES_DIR / AUTH0_FILE, auth0_users)
    write_json_lines(EXAMPLES_DIR / PASSWORDS_FILE,
                     [{"hmac_keys": {"site-key": site_key}}]
                     + api_records + db_records + auth0_records)

    print_counts(LOGTO_API_FILE, Counter(u["passwordAlgorithm"] for u in api_users),
                 LOGTO_METHOD_COUNTS_1000)
    print_logto_details(api_users, LOGTO_API_FIELDS, [r["password"] for r in api_records])
    print_counts(LOGTO_DB_FILE, Counter(r["password_encryption_method"] for r in db_rows),
                 LOGTO_METHOD_COUNTS_100)
    print_logto_details(db_rows, LOGTO_DB_FIELDS, [r["password"] for r in db_records])
    print_counts(AUTH0_FILE, Counter(auth0_kind(u) for u in auth0_users), AUTH0_KIND_COUNTS)
    print_auth0_details(auth0_users, [r["password"] for r in auth0_records])
    print(f"generated in {time.perf_counter() - started:.1f} s")


# ---------------------------------------------------------------------------
# Check (--check): re-verify a sample of the files on disk
# ---------------------------------------------------------------------------

SAMPLE_FRACTION = 0.05
WRONG_PASSWORD_PREFIX = "x"
E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
LOGTO_USERNAME = re.compile(r"^[A-Z_a-z]\w*$")


def auth0_kind(user: dict) -> str:
    if "password_hash" in user:
        return "password_hash"
    return user["custom_password_hash"]["algorithm"]


def digests_equal(computed: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(computed, expected)


def verify_bcrypt(stored: str, password: str) -> bool:
    """Check with pyca bcrypt, which rejects over 72 bytes, on the 72 bytes bcrypt reads."""
    data = password.encode("utf-8")[:BCRYPT_MAX_PASSWORD_BYTES]
    return bcrypt.checkpw(data, stored.encode("ascii"))


def verify_argon2(phc: str, password: str) -> bool:
    try:
        return argon2.PasswordHasher().verify(phc, password)
    except argon2.exceptions.VerifyMismatchError:
        return False


def verify_legacy(digest_json: str, password: str) -> bool:
    """Evaluate a Logto Legacy recipe as Logto documents it."""
    algorithm, args, expected = json.loads(digest_json)
    if algorithm == "pbkdf2":
        salt_arg, iterations, key_length, digest, placeholder = args
        if placeholder != "@":
            raise ValueError(f"pbkdf2 recipe does not end with '@': {args!r}")
        if salt_arg.startswith("hex:"):
            salt = bytes.fromhex(salt_arg[len("hex:"):])
        else:
            salt = salt_arg.encode("utf-8")
        key = hashlib.pbkdf2_hmac(digest, password.encode("utf-8"), salt, int(iterations),
                                  int(key_length))
        return digests_equal(key, bytes.fromhex(expected))

    message = "".join(password if arg == "@" else arg for arg in args)
    computed = hashlib.new(algorithm, message.encode("utf-8")).digest()
    return digests_equal(computed, bytes.fromhex(expected))


def verify_logto(method: str, stored: str, password: str) -> bool:
    """Verify a password against a Logto digest under its passwordAlgorithm."""
    data = password.encode("utf-8")
    if method in ("MD5", "SHA1", "SHA256"):
        computed = hashlib.new(method.lower(), data).digest()
        return digests_equal(computed, bytes.fromhex(stored))
    if method == "Bcrypt":
        return verify_bcrypt(stored, password)
    if method in ("Argon2i", "Argon2id", "Argon2d"):
        if not stored.startswith(f"${method.lower()}$v=19$"):
            raise ValueError(f"{method} digest is not a v=19 {method.lower()} PHC string: "
                             f"{stored}")
        return verify_argon2(stored, password)
    if method == "Legacy":
        return verify_legacy(stored, password)
    raise ValueError(f"unknown Logto passwordAlgorithm {method!r}")


def verify_auth0(user: dict, password: str, site_key: str) -> bool:
    """Verify a password against an Auth0 password_hash or custom_password_hash."""
    data = password.encode("utf-8")
    if "password_hash" in user:
        return verify_bcrypt(user["password_hash"], password)

    custom = user["custom_password_hash"]
    algorithm = custom["algorithm"]
    hash_field = custom["hash"]
    if algorithm in ("md5", "sha1", "sha256", "sha512"):
        salt = custom["salt"]["value"].encode("utf-8")
        message = salt + data if custom["salt"]["position"] == "prefix" else data + salt
        if hash_field["encoding"] == "hex":
            expected = bytes.fromhex(hash_field["value"])
        else:
            expected = base64.b64decode(hash_field["value"], validate=True)
        return digests_equal(hashlib.new(algorithm, message).digest(), expected)
    if algorithm == "hmac":
        if hash_field["key"]["value"] != site_key:
            raise ValueError("hmac key differs from the site key in passwords.jsonl")
        computed = hmac.new(site_key.encode("utf-8"), data, hash_field["digest"]).digest()
        return digests_equal(computed, bytes.fromhex(hash_field["value"]))
    if algorithm == "bcrypt":
        return verify_bcrypt(hash_field["value"], password)
    if algorithm == "argon2":
        return verify_argon2(hash_field["value"], password)
    raise ValueError(f"unknown Auth0 custom_password_hash algorithm {algorithm!r}")


def sample_by_method(rng: random.Random, methods: list[str]) -> list[int]:
    """Pick SAMPLE_FRACTION of the indices of each method, at least one of each."""
    picked = []
    for method in dict.fromkeys(methods):
        indices = [i for i, m in enumerate(methods) if m == method]
        picked += rng.sample(indices, max(1, round(len(indices) * SAMPLE_FRACTION)))
    return sorted(picked)


def check_unique(label: str, values: list, problems: list[str]) -> None:
    present = [v for v in values if v]
    repeated = [v for v, n in Counter(present).items() if n > 1]
    if repeated:
        problems.append(f"{label}: repeated values {repeated[:5]}")


def check_identities(file: str, emails: list, phones: list, usernames: list,
                     problems: list[str]) -> None:
    for email in emails:
        if email and not email.endswith(("@example.com", "@example.org")):
            problems.append(f"{file}: email outside example.com/example.org: {email}")
    for phone in phones:
        if phone and not E164.match(phone):
            problems.append(f"{file}: phone not in E.164 form: {phone}")
    for username in usernames:
        if username and not LOGTO_USERNAME.match(username):
            problems.append(f"{file}: username does not match ^[A-Z_a-z]\\w*$: {username}")
    check_unique(f"{file} emails", emails, problems)
    check_unique(f"{file} phones", phones, problems)
    check_unique(f"{file} usernames", usernames, problems)


def check_sample(file: str, indices: list[int], methods: list[str], records: list[dict],
                 verify, problems: list[str]) -> Counter:
    """Verify the right password and reject a wrong one for each sampled user."""
    checked = Counter()
    for i in indices:
        password = records[i]["password"]
        if not verify(i, password):
            problems.append(f"{file}[{i}] ({methods[i]}): right password rejected")
        if verify(i, WRONG_PASSWORD_PREFIX + password):
            problems.append(f"{file}[{i}] ({methods[i]}): wrong password accepted")
        checked[methods[i]] += 1
    return checked


def load_json_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check(sample_seed: int) -> int:
    """Re-verify a sample of each file on disk and check identities.

    Return 0, or 1 when any check failed.
    """
    started = time.perf_counter()
    rng = random.Random(sample_seed)
    problems: list[str] = []

    password_lines = load_json_lines(EXAMPLES_DIR / PASSWORDS_FILE)
    site_key = password_lines[0]["hmac_keys"]["site-key"]
    records_by_file: dict[str, list[dict]] = {}
    for record in password_lines[1:]:
        records_by_file.setdefault(record["file"], []).append(record)
    for file, records in records_by_file.items():
        if [r["index"] for r in records] != list(range(len(records))):
            problems.append(f"{PASSWORDS_FILE}: indices for {file} are not 0..n-1 in order")

    api_users = json.loads((EXAMPLES_DIR / LOGTO_API_FILE).read_text(encoding="utf-8"))
    db_rows = load_json_lines(EXAMPLES_DIR / LOGTO_DB_FILE)
    auth0_users = json.loads((EXAMPLES_DIR / AUTH0_FILE).read_text(encoding="utf-8"))

    exports = [
        (LOGTO_API_FILE, api_users, [u["passwordAlgorithm"] for u in api_users],
         lambda i, p: verify_logto(api_users[i]["passwordAlgorithm"],
                                   api_users[i]["passwordDigest"], p)),
        (LOGTO_DB_FILE, db_rows, [r["password_encryption_method"] for r in db_rows],
         lambda i, p: verify_logto(db_rows[i]["password_encryption_method"],
                                   db_rows[i]["password_encrypted"], p)),
        (AUTH0_FILE, auth0_users, [auth0_kind(u) for u in auth0_users],
         lambda i, p: verify_auth0(auth0_users[i], p, site_key)),
    ]

    check_identities(LOGTO_API_FILE, [u.get("primaryEmail") for u in api_users],
                     [u.get("primaryPhone") for u in api_users],
                     [u.get("username") for u in api_users], problems)
    check_identities(LOGTO_DB_FILE, [r["primary_email"] for r in db_rows],
                     [r["primary_phone"] for r in db_rows],
                     [r["username"] for r in db_rows], problems)
    check_identities(AUTH0_FILE, [u["email"] for u in auth0_users], [], [], problems)
    check_unique(f"{LOGTO_DB_FILE} ids", [r["id"] for r in db_rows], problems)
    check_unique(f"{AUTH0_FILE} user_ids", [u["user_id"] for u in auth0_users], problems)

    for file, users, methods, verify in exports:
        records = records_by_file.get(file, [])
        if len(records) != len(users):
            problems.append(f"{file}: {len(users)} users but {len(records)} passwords")
            continue
        indices = sample_by_method(rng, methods)
        checked = check_sample(file, indices, methods, records, verify, problems)
        summary = ", ".join(f"{m} {n}" for m, n in checked.items())
        print(f"{file}: verified {len(indices)} of {len(users)} users ({summary})")

    for problem in problems:
        print(f"FAIL {problem}")
    print(f"check took {time.perf_counter() - started:.1f} s; {len(problems)} problems")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="verify a 5%% sample of each file on disk instead of rewriting "
                             "them; exits 1 on any failure")
    parser.add_argument("--sample-seed", type=int, default=SEED,
                        help="seed that picks the --check sample (default %(default)s)")
    args = parser.parse_args()
    if args.check:
        return check(args.sample_seed)
    generate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
