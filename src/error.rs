//! The one error type of the library.
//!
//! A wrong password is a [`Verdict`](crate::Verdict), never an error. Errors mean that the stored
//! hash or the request itself cannot be checked. No message contains the password, and none
//! contains the whole stored hash: at most a scheme identifier or a parameter value.

use std::fmt;

/// Failure to check a stored hash or to carry out a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The stored hash looks like a known scheme but breaks its syntax.
    MalformedHash {
        /// Scheme the string was read as.
        scheme: &'static str,
        /// Description of the fault, in a few words.
        detail: String,
    },
    /// No supported scheme matches the stored hash or the declared method.
    UnsupportedScheme {
        /// The part that was recognised: an identifier, a method or an algorithm name.
        detail: String,
    },
    /// The scheme is known but this variant of it is rejected on purpose.
    UnsupportedVariant {
        /// Scheme the string was read as.
        scheme: &'static str,
        /// The variant found, such as `2x` or `v=18`.
        variant: String,
        /// Reason the variant is rejected.
        reason: &'static str,
    },
    /// A cost parameter read from the stored hash is above the policy's bound.
    ParameterExceedsLimit {
        /// Scheme the string was read as.
        scheme: &'static str,
        /// Parameter name with its unit, such as `memory cost (KiB)`.
        parameter: &'static str,
        /// Value read from the stored hash.
        value: u64,
        /// Maximum the policy allows.
        max: u64,
    },
    /// The password is longer than the policy allows.
    PasswordTooLong {
        /// Password length in bytes.
        len: usize,
        /// Maximum length in bytes.
        max: usize,
    },
    /// The stored hash is longer than the policy allows.
    StoredHashTooLong {
        /// Stored hash length in bytes.
        len: usize,
        /// Maximum length in bytes.
        max: usize,
    },
    /// The password contains a NUL byte, which the scheme cannot represent.
    ///
    /// bcrypt implementations written in C stop at the first NUL, so a stored bcrypt hash of such
    /// a password covers only the part before it.
    PasswordContainsNul {
        /// Scheme the stored hash uses.
        scheme: &'static str,
    },
    /// A digest decodes to a length that its algorithm cannot produce.
    WrongDigestLength {
        /// Digest algorithm.
        algorithm: &'static str,
        /// Length the algorithm produces, in bytes.
        expected: usize,
        /// Decoded length, in bytes.
        actual: usize,
    },
    /// The stored hash names an HMAC key id that the verifier was not given.
    MissingKey {
        /// Key id from the stored hash.
        id: String,
    },
    /// The policy itself is inconsistent, such as a target above its own bounds.
    InvalidPolicy {
        /// Description of the fault.
        detail: String,
    },
    /// The operating system's random number generator failed.
    Randomness(getrandom::Error),
    /// An async verify's blocking task panicked or was cancelled.
    TaskFailed {
        /// The runtime's description of the failure.
        detail: String,
    },
}

/// The `algorithm` of a [`Error::WrongDigestLength`] whose digest matches no supported length,
/// for a digest declared without an algorithm.
pub(crate) const ANY_DIGEST: &str = "any";

impl Error {
    /// Returns a stable snake_case name for the kind of error, for scripts and JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::MalformedHash { .. } => "malformed_hash",
            Error::UnsupportedScheme { .. } => "unsupported_scheme",
            Error::UnsupportedVariant { .. } => "unsupported_variant",
            Error::ParameterExceedsLimit { .. } => "parameters_exceed_limits",
            Error::PasswordTooLong { .. } => "password_too_long",
            Error::StoredHashTooLong { .. } => "stored_hash_too_long",
            Error::PasswordContainsNul { .. } => "password_contains_nul",
            Error::WrongDigestLength { .. } => "wrong_digest_length",
            Error::MissingKey { .. } => "missing_key",
            Error::InvalidPolicy { .. } => "invalid_policy",
            Error::Randomness(_) => "randomness",
            Error::TaskFailed { .. } => "task_failed",
        }
    }

    pub(crate) fn malformed(scheme: &'static str, detail: impl Into<String>) -> Self {
        Error::MalformedHash {
            scheme,
            detail: detail.into(),
        }
    }

    pub(crate) fn exceeds(
        scheme: &'static str,
        parameter: &'static str,
        value: u64,
        max: u64,
    ) -> Self {
        Error::ParameterExceedsLimit {
            scheme,
            parameter,
            value,
            max,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MalformedHash { scheme, detail } => {
                write!(f, "malformed {scheme} hash: {detail}")
            }
            Error::UnsupportedScheme { detail } => write!(f, "unsupported scheme: {detail}"),
            Error::UnsupportedVariant {
                scheme,
                variant,
                reason,
            } => write!(f, "unsupported {scheme} variant {variant}: {reason}"),
            Error::ParameterExceedsLimit {
                scheme,
                parameter,
                value,
                max,
            } => write!(
                f,
                "{scheme} {parameter} is {value}, above the policy maximum of {max}"
            ),
            Error::PasswordTooLong { len, max } => {
                write!(f, "password is {len} bytes, above the maximum of {max}")
            }
            Error::StoredHashTooLong { len, max } => {
                write!(f, "stored hash is {len} bytes, above the maximum of {max}")
            }
            Error::PasswordContainsNul { scheme } => write!(
                f,
                "password contains a NUL byte, which {scheme} implementations truncate at"
            ),
            Error::WrongDigestLength {
                algorithm: ANY_DIGEST,
                actual,
                ..
            } => write!(
                f,
                "a digest must be 16, 20, 28, 32, 48 or 64 bytes (md5 to sha512), got {actual} \
                 bytes after decoding"
            ),
            Error::WrongDigestLength {
                algorithm,
                expected,
                actual,
            } => write!(
                f,
                "{algorithm} digest must be {expected} bytes, got {actual} bytes after decoding"
            ),
            Error::MissingKey { id } => write!(
                f,
                "no key was given for HMAC key id {id:?}; pass it to Verifier::with_key or to --hmac-key ID=FILE"
            ),
            Error::InvalidPolicy { detail } => write!(f, "invalid policy: {detail}"),
            Error::Randomness(err) => write!(f, "random number generator failed: {err}"),
            Error::TaskFailed { detail } => write!(f, "verify task failed: {detail}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Randomness(err) => Some(err),
            _ => None,
        }
    }
}
