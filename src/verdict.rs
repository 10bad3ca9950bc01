//! The outcome of a verify: valid or invalid, and on a valid verdict whether to upgrade.

use std::fmt;

use crate::SchemeKind;

/// Reason a stored hash that verified should be replaced with a new Argon2id hash.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpgradeReason {
    /// The scheme is not Argon2id.
    LegacyScheme(SchemeKind),
    /// Argon2i or Argon2d instead of Argon2id.
    Argon2Variant(SchemeKind),
    /// Argon2 version 0x10 instead of 0x13.
    Argon2Version(u32),
    /// Memory cost in KiB below the policy's.
    MemoryCost {
        /// Value in the stored hash.
        stored: u32,
        /// Value the policy requires.
        policy: u32,
    },
    /// Fewer passes than the policy's.
    Iterations {
        /// Value in the stored hash.
        stored: u32,
        /// Value the policy requires.
        policy: u32,
    },
    /// Fewer lanes than the policy's.
    Parallelism {
        /// Value in the stored hash.
        stored: u32,
        /// Value the policy requires.
        policy: u32,
    },
    /// Salt shorter than the policy's, in bytes.
    SaltLength {
        /// Value in the stored hash.
        stored: usize,
        /// Value the policy requires.
        policy: usize,
    },
    /// Output shorter than the policy's, in bytes.
    OutputLength {
        /// Value in the stored hash.
        stored: usize,
        /// Value the policy requires.
        policy: usize,
    },
}

impl fmt::Display for UpgradeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpgradeReason::LegacyScheme(kind) => write!(f, "legacy scheme {kind}"),
            UpgradeReason::Argon2Variant(kind) => write!(f, "argon2 variant {kind}, not argon2id"),
            UpgradeReason::Argon2Version(version) => {
                write!(f, "argon2 version {version}, not 19")
            }
            UpgradeReason::MemoryCost { stored, policy } => {
                write!(f, "memory cost {stored} KiB below policy {policy} KiB")
            }
            UpgradeReason::Iterations { stored, policy } => {
                write!(f, "iterations {stored} below policy {policy}")
            }
            UpgradeReason::Parallelism { stored, policy } => {
                write!(f, "parallelism {stored} below policy {policy}")
            }
            UpgradeReason::SaltLength { stored, policy } => {
                write!(f, "salt {stored} bytes below policy {policy} bytes")
            }
            UpgradeReason::OutputLength { stored, policy } => {
                write!(f, "output {stored} bytes below policy {policy} bytes")
            }
        }
    }
}

/// A new Argon2id hash of the same password, and why it replaces the stored one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upgrade {
    reasons: Vec<UpgradeReason>,
    new_hash: String,
}

impl Upgrade {
    /// Returns every reason the stored hash is below policy; never empty.
    pub fn reasons(&self) -> &[UpgradeReason] {
        &self.reasons
    }

    /// Returns the new Argon2id PHC string to store in place of the old hash.
    pub fn new_hash(&self) -> &str {
        &self.new_hash
    }

    /// Returns the reasons joined into one line, such as `legacy scheme md5`.
    pub fn reason_text(&self) -> String {
        let parts: Vec<String> = self.reasons.iter().map(ToString::to_string).collect();
        parts.join("; ")
    }
}

/// The result of checking a password against a stored hash.
///
/// Only a valid verdict can carry an [`Upgrade`]: the engine builds one only after the password
/// matched.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Verdict {
    scheme: SchemeKind,
    valid: bool,
    upgrade: Option<Upgrade>,
}

impl Verdict {
    pub(crate) fn invalid(scheme: SchemeKind) -> Self {
        Verdict {
            scheme,
            valid: false,
            upgrade: None,
        }
    }

    pub(crate) fn valid(scheme: SchemeKind) -> Self {
        Verdict {
            scheme,
            valid: true,
            upgrade: None,
        }
    }

    pub(crate) fn valid_with_upgrade(
        scheme: SchemeKind,
        reasons: Vec<UpgradeReason>,
        new_hash: String,
    ) -> Self {
        debug_assert!(!reasons.is_empty());
        Verdict {
            scheme,
            valid: true,
            upgrade: Some(Upgrade { reasons, new_hash }),
        }
    }

    /// Returns true when the password matched the stored hash.
    pub fn is_valid(&self) -> bool {
        self.valid
    }

    /// Returns the scheme of the stored hash.
    pub fn scheme(&self) -> SchemeKind {
        self.scheme
    }

    /// Returns the upgrade to store, present only on a valid verdict below policy.
    pub fn upgrade(&self) -> Option<&Upgrade> {
        self.upgrade.as_ref()
    }
}
