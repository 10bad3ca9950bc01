//! Property tests: hashes built with the RustCrypto crates verify, a one-character change never
//! does, and no input makes `verify` or `identify` panic.
//!
//! A change replaces one character of the stored string with another character of the same
//! alphabet at that position. Changes that keep the value are left out on purpose: the case of a
//! hex digit, and bcrypt's `2a`/`2b`/`2y` variant letter, which verify alike by design.

use std::sync::OnceLock;

use base64ct::{Base64, Base64Unpadded, Encoding};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config as ProptestConfig;
use pwmigrate::{Argon2Target, Method, Password, Policy, SchemeKind, Verifier};
use sha2::Digest;

const HEX_DIGITS: &str = "0123456789abcdefABCDEF";
const DECIMAL_DIGITS: &str = "0123456789";
const BASE64_STANDARD: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_BCRYPT: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALPHANUMERIC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Returns the policy whose small Argon2id target keeps upgrades and Argon2 cases fast.
fn small_policy() -> Policy {
    Policy {
        target: Argon2Target {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
            salt_len: 16,
            output_len: 32,
        },
        ..Policy::default()
    }
}

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new(small_policy()).expect("small policy"))
}

/// Builds a proptest config with `cases` cases that writes no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A position in a stored string that may be changed, with the characters it may take.
#[derive(Clone, Copy, Debug)]
struct Mutable {
    index: usize,
    alphabet: &'static str,
}

/// Returns every position of `stored[range]`, each with `alphabet`.
fn positions(range: std::ops::Range<usize>, alphabet: &'static str) -> Vec<Mutable> {
    range.map(|index| Mutable { index, alphabet }).collect()
}

/// Returns `stored` with the character at one of `mutable` replaced by another character of that
/// position's alphabet. Hex digits are compared without case, so the replacement always changes
/// the value. `position` and `choice` pick the position and the replacement.
fn change_one_character(
    stored: &str,
    mutable: &[Mutable],
    position: Index,
    choice: Index,
) -> String {
    let target = mutable[position.index(mutable.len())];
    let bytes = stored.as_bytes();
    let original = bytes[target.index];
    assert!(
        target.alphabet.as_bytes().contains(&original),
        "character {:?} at {} is outside its alphabet {:?}",
        char::from(original),
        target.index,
        target.alphabet
    );
    let ignore_case = target.alphabet == HEX_DIGITS;
    let replacements: Vec<u8> = target
        .alphabet
        .bytes()
        .filter(|&candidate| {
            if ignore_case {
                !candidate.eq_ignore_ascii_case(&original)
            } else {
                candidate != original
            }
        })
        .collect();
    let mut changed = bytes.to_vec();
    changed[target.index] = replacements[choice.index(replacements.len())];
    String::from_utf8(changed).expect("alphabets are ASCII")
}

/// Asserts that `stored` verifies `password` as `scheme`, and that an upgrade, when given,
/// verifies too.
fn assert_verifies(
    password: &Password,
    stored: &str,
    method: Option<Method>,
    scheme: SchemeKind,
) -> Result<(), TestCaseError> {
    let verdict = verifier()
        .verify(password, stored, method)
        .map_err(|err| TestCaseError::fail(format!("{stored:?} returned {err}")))?;
    prop_assert!(verdict.is_valid(), "{stored:?} rejects its password");
    prop_assert_eq!(verdict.scheme(), scheme);
    if let Some(upgrade) = verdict.upgrade() {
        let upgraded = verifier()
            .verify(password, upgrade.new_hash(), None)
            .map_err(|err| TestCaseError::fail(format!("upgrade returned {err}")))?;
        prop_assert!(
            upgraded.is_valid(),
            "the upgrade of {stored:?} rejects the password"
        );
        prop_assert!(
            upgraded.upgrade().is_none(),
            "an upgrade is itself upgraded"
        );
    }
    Ok(())
}

/// Asserts that the changed string `changed` does not verify `password`; an error is fine.
fn assert_rejects(
    password: &Password,
    changed: &str,
    method: Option<Method>,
) -> Result<(), TestCaseError> {
    if let Ok(verdict) = verifier().verify(password, changed, method) {
        prop_assert!(
            !verdict.is_valid(),
            "the changed string {changed:?} verifies"
        );
    }
    Ok(())
}

/// The bare digest algorithms, each computed with its RustCrypto crate.
#[derive(Clone, Copy, Debug)]
enum Bare {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl Bare {
    fn digest(self, password: &[u8]) -> Vec<u8> {
        match self {
            Bare::Md5 => md5::Md5::digest(password).to_vec(),
            Bare::Sha1 => sha1::Sha1::digest(password).to_vec(),
            Bare::Sha256 => sha2::Sha256::digest(password).to_vec(),
            Bare::Sha512 => sha2::Sha512::digest(password).to_vec(),
        }
    }

    fn method(self) -> Method {
        match self {
            Bare::Md5 => Method::Md5,
            Bare::Sha1 => Method::Sha1,
            Bare::Sha256 => Method::Sha256,
            Bare::Sha512 => Method::Sha512,
        }
    }

    fn scheme(self) -> SchemeKind {
        match self {
            Bare::Md5 => SchemeKind::Md5,
            Bare::Sha1 => SchemeKind::Sha1,
            Bare::Sha256 => SchemeKind::Sha256,
            Bare::Sha512 => SchemeKind::Sha512,
        }
    }
}

/// Text encodings of a bare digest.
#[derive(Clone, Copy, Debug)]
enum TextEncoding {
    LowerHex,
    UpperHex,
    Base64Padded,
    Base64Unpadded,
}

impl TextEncoding {
    fn encode(self, digest: &[u8]) -> String {
        match self {
            TextEncoding::LowerHex => base16ct::lower::encode_string(digest),
            TextEncoding::UpperHex => base16ct::upper::encode_string(digest),
            TextEncoding::Base64Padded => Base64::encode_string(digest),
            TextEncoding::Base64Unpadded => Base64Unpadded::encode_string(digest),
        }
    }

    /// Returns the positions of `stored` that may change: every character but padding.
    fn mutable(self, stored: &str) -> Vec<Mutable> {
        match self {
            TextEncoding::LowerHex | TextEncoding::UpperHex => {
                positions(0..stored.len(), HEX_DIGITS)
            }
            TextEncoding::Base64Padded | TextEncoding::Base64Unpadded => {
                positions(0..stored.trim_end_matches('=').len(), BASE64_STANDARD)
            }
        }
    }
}

fn bare_strategy() -> impl Strategy<Value = Bare> {
    prop_oneof![
        Just(Bare::Md5),
        Just(Bare::Sha1),
        Just(Bare::Sha256),
        Just(Bare::Sha512),
    ]
}

fn encoding_strategy() -> impl Strategy<Value = TextEncoding> {
    prop_oneof![
        Just(TextEncoding::LowerHex),
        Just(TextEncoding::UpperHex),
        Just(TextEncoding::Base64Padded),
        Just(TextEncoding::Base64Unpadded),
    ]
}

fn method_strategy() -> impl Strategy<Value = Option<Method>> {
    let methods: Vec<Option<Method>> = std::iter::once(None)
        .chain(Method::ALL.iter().map(|(_, method)| Some(*method)))
        .collect();
    proptest::sample::select(methods)
}

/// Returns stored strings that open like each scheme and continue with arbitrary text, so that
/// every parser reads them, and plain arbitrary text.
fn hostile_stored_strategy() -> impl Strategy<Value = String> {
    let prefixes = proptest::sample::select(vec![
        "",
        "$argon2id$",
        "$argon2id$v=19$",
        "$argon2i$m=",
        "$argon2d$v=16$m=8,t=1,p=1$",
        "$2b$",
        "$2y$04$",
        "{BCRYPT}$2a$",
        "[",
        "[\"sha256\",[",
        "[\"pbkdf2\",[\"hex:",
        "$pwm-digest$a=sha256,salt=prefix$",
        "$pwm-hmac$a=sha1,key=",
    ]);
    (prefixes, "\\PC*").prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn bare_digest_round_trip(
        bare in bare_strategy(),
        encoding in encoding_strategy(),
        declared in any::<bool>(),
        password in proptest::collection::vec(any::<u8>(), 0..64),
        position in any::<Index>(),
        choice in any::<Index>(),
    ) {
        let stored = encoding.encode(&bare.digest(&password));
        let method = declared.then(|| bare.method());
        let password = Password::from(password);
        assert_verifies(&password, &stored, method, bare.scheme())?;

        let changed = change_one_character(&stored, &encoding.mutable(&stored), position, choice);
        assert_rejects(&password, &changed, method)?;
    }

    #[test]
    fn legacy_sha256_round_trip(
        password in proptest::collection::vec(any::<u8>(), 0..64),
        salt in "[A-Za-z0-9]{1,16}",
        salt_first in any::<bool>(),
        declared in any::<bool>(),
        position in any::<Index>(),
        choice in any::<Index>(),
    ) {
        let mut hasher = sha2::Sha256::new();
        let args = if salt_first {
            hasher.update(salt.as_bytes());
            hasher.update(&password);
            serde_json::json!([salt, "@"])
        } else {
            hasher.update(&password);
            hasher.update(salt.as_bytes());
            serde_json::json!(["@", salt])
        };
        let expected = base16ct::lower::encode_string(&hasher.finalize());
        let stored = serde_json::to_string(&serde_json::json!(["sha256", args, expected]))
            .expect("JSON text");
        let method = declared.then_some(Method::Legacy);
        let password = Password::from(password);
        assert_verifies(&password, &stored, method, SchemeKind::LogtoLegacy)?;

        // The salt is searched after the algorithm name, which it may equal.
        let salt_start = stored[10..].find(&format!("\"{salt}\"")).expect("salt in JSON") + 11;
        let hex_end = stored.len() - 2;
        let mut mutable = positions(salt_start..salt_start + salt.len(), ALPHANUMERIC);
        mutable.extend(positions(hex_end - 64..hex_end, HEX_DIGITS));
        let changed = change_one_character(&stored, &mutable, position, choice);
        assert_rejects(&password, &changed, method)?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn bcrypt_round_trip(
        password in proptest::collection::vec(1u8..=255, 0..=72),
        salt in any::<[u8; 16]>(),
        version in proptest::sample::select(vec![
            bcrypt::Version::TwoA,
            bcrypt::Version::TwoB,
            bcrypt::Version::TwoY,
        ]),
        declared in any::<bool>(),
        position in any::<Index>(),
        choice in any::<Index>(),
    ) {
        let stored = bcrypt::hash_with_salt(&password, 4, salt)
            .expect("bcrypt cost 4")
            .format_for_version(version);
        let method = declared.then_some(Method::Bcrypt);
        let password = Password::from(password);
        assert_verifies(&password, &stored, method, SchemeKind::Bcrypt)?;

        // The second cost digit takes 0 to 9, so costs 00 to 09: 00 to 03 are malformed and the
        // others stay fast. The first digit is left alone, because cost 14 is 1024 times cost 4.
        let mut mutable = positions(5..6, DECIMAL_DIGITS);
        mutable.extend(positions(7..60, BASE64_BCRYPT));
        let changed = change_one_character(&stored, &mutable, position, choice);
        assert_rejects(&password, &changed, method)?;
    }

    #[test]
    fn argon2id_round_trip(
        password in proptest::collection::vec(any::<u8>(), 0..64),
        declared in any::<bool>(),
        position in any::<Index>(),
        choice in any::<Index>(),
    ) {
        let password = Password::from(password);
        let stored = verifier().hash(&password).expect("hash under the small policy");
        prop_assert!(
            stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
            "unexpected hash {:?}",
            stored
        );
        let method = declared.then_some(Method::Argon2id);
        assert_verifies(&password, &stored, method, SchemeKind::Argon2id)?;
        let verdict = verifier().verify(&password, &stored, method).expect("hash parses");
        prop_assert!(verdict.upgrade().is_none(), "a hash at the target is upgraded");

        // Digits of v, m, t and p stay cheap whatever they become: at most m=99, t=9, p=9.
        let mut mutable = Vec::new();
        let mut field = 0;
        for (index, byte) in stored.bytes().enumerate() {
            if byte == b'$' {
                field += 1;
            } else if (field == 2 || field == 3) && byte.is_ascii_digit() {
                mutable.push(Mutable { index, alphabet: DECIMAL_DIGITS });
            } else if field >= 4 {
                mutable.push(Mutable { index, alphabet: BASE64_STANDARD });
            }
        }
        let changed = change_one_character(&stored, &mutable, position, choice);
        assert_rejects(&password, &changed, method)?;
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn verify_never_panics_on_text(
        stored in hostile_stored_strategy(),
        method in method_strategy(),
        password in proptest::collection::vec(any::<u8>(), 0..128),
    ) {
        let result = verifier().verify(&Password::from(password), &stored, method);
        if let Err(err) = &result {
            prop_assert!(!err.kind().is_empty());
        }
    }

    #[test]
    fn verify_never_panics_on_bytes(
        stored in proptest::collection::vec(any::<u8>(), 0..256),
        method in method_strategy(),
        password in proptest::collection::vec(any::<u8>(), 0..128),
    ) {
        let stored = String::from_utf8_lossy(&stored);
        let result = verifier().verify(&Password::from(password), &stored, method);
        if let Err(err) = &result {
            prop_assert!(!err.kind().is_empty());
        }
    }

    #[test]
    fn identify_never_panics(
        stored in prop_oneof![hostile_stored_strategy(), "\\PC*"],
        method in method_strategy(),
    ) {
        let result = pwmigrate::identify(&stored, method, &Policy::default());
        if let Ok(identified) = &result {
            prop_assert!(!identified.scheme.name().is_empty());
        }
    }

    #[test]
    fn base64_digest_identified_by_length(
        bare in bare_strategy(),
        padded in any::<bool>(),
        hex_looking in any::<bool>(),
        seed in any::<Index>(),
    ) {
        // Every digest length decodes from base64 whose characters are all hex digits, such as
        // 22 'A's for 16 zero bytes. Both kinds must be read as base64 by their decoded length.
        let len = bare.digest(b"").len();
        let digest: Vec<u8> = if hex_looking {
            let text_len = Base64Unpadded::encode_string(&vec![0u8; len]).len();
            let text: String = (0..text_len)
                .map(|i| {
                    let digits = "ABCDEF";
                    let pick = (seed.index(1 << 20) + 7 * i) % digits.len();
                    // The last character carries stray bits; 'A' keeps them zero.
                    if i + 1 == text_len { 'A' } else { char::from(digits.as_bytes()[pick]) }
                })
                .collect();
            Base64Unpadded::decode_vec(&text).expect("canonical base64")
        } else {
            bare.digest(&seed.index(1 << 20).to_le_bytes())
        };
        let stored = if padded {
            Base64::encode_string(&digest)
        } else {
            Base64Unpadded::encode_string(&digest)
        };
        let identified = pwmigrate::identify(&stored, None, &Policy::default())
            .map_err(|err| TestCaseError::fail(format!("{stored:?} returned {err}")))?;
        prop_assert_eq!(identified.scheme, bare.scheme(), "{:?}", stored);
    }
}
