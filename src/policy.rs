//! Policy: the standard a stored hash must meet to be kept, and bounds on what the engine computes.

use crate::Error;

/// Argon2id parameters that new hashes are made with and that stored hashes are measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argon2Target {
    /// Memory cost in KiB, at least 8 × `parallelism`.
    pub memory_kib: u32,
    /// Number of passes over memory, at least 1.
    pub iterations: u32,
    /// Number of lanes, 1 to 2^24 - 1.
    pub parallelism: u32,
    /// Salt length in bytes, at least 8.
    pub salt_len: usize,
    /// Output length in bytes, at least 4.
    pub output_len: usize,
}

impl Argon2Target {
    /// The OWASP Password Storage Cheat Sheet's minimum for Argon2id: m=19456 KiB (19 MiB), t=2,
    /// p=1, with a 16-byte salt and a 32-byte output.
    pub const OWASP_MINIMUM: Argon2Target = Argon2Target {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
        salt_len: 16,
        output_len: 32,
    };
}

impl Default for Argon2Target {
    fn default() -> Self {
        Argon2Target::OWASP_MINIMUM
    }
}

/// Upper bounds on every cost read from a stored hash and on input lengths.
///
/// The engine checks them after parsing and before any hashing, so a hostile stored hash such as
/// `m=4194304` (4 GiB) or `t=4294967295` is rejected at once with
/// [`Error::ParameterExceedsLimit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum Argon2 memory cost in KiB. Default 262144 (256 MiB), 13 times the OWASP minimum.
    pub argon2_max_memory_kib: u32,
    /// Maximum Argon2 passes. Default 256, because Logto's own Argon2i hashes use t=256 with
    /// m=4096 KiB (`encryptPassword` in logto-io/logto `packages/core/src/utils/password.ts`).
    pub argon2_max_iterations: u32,
    /// Maximum Argon2 work, memory cost in KiB times passes, which bounds the time a verify
    /// takes. Default 1,048,576: Logto's 4096 KiB × 256, about 27 times the OWASP minimum.
    pub argon2_max_work: u64,
    /// Maximum Argon2 lanes. Default 16.
    pub argon2_max_parallelism: u32,
    /// Maximum bcrypt cost (log2 of the rounds). Default 16, about 4 seconds on one core.
    pub bcrypt_max_cost: u32,
    /// Maximum PBKDF2 iterations. Default 5,000,000, about 4 times OWASP's 2023 figure for
    /// PBKDF2-HMAC-SHA256 (600,000 is their minimum) with room for stronger exports.
    pub pbkdf2_max_iterations: u32,
    /// Maximum sha-crypt rounds. Default 5,000,000, 1000 times the default of 5000; glibc
    /// accepts up to 999,999,999, which takes minutes.
    pub sha_crypt_max_rounds: u32,
    /// Maximum phpass and Drupal rounds, as log2. Default 20 (about a million digests); the
    /// formats allow 30, and WordPress writes 13, Drupal 7 writes 15.
    pub phpass_max_log2_rounds: u32,
    /// Maximum password length in bytes. Default 4096, the cap Django chose for its hashers.
    pub max_password_bytes: usize,
    /// Maximum stored hash length in bytes. Default 4096.
    pub max_stored_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            argon2_max_memory_kib: 262_144,
            argon2_max_iterations: 256,
            argon2_max_work: 1 << 20,
            argon2_max_parallelism: 16,
            bcrypt_max_cost: 16,
            pbkdf2_max_iterations: 5_000_000,
            sha_crypt_max_rounds: 5_000_000,
            phpass_max_log2_rounds: 20,
            max_password_bytes: 4096,
            max_stored_bytes: 4096,
        }
    }
}

/// The target for new hashes together with the bounds on stored ones.
///
/// The default is [`Argon2Target::OWASP_MINIMUM`] with the default [`Limits`], wiping Argon2's
/// memory after each use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Parameters for new hashes, and the minimum a stored Argon2 hash must meet.
    pub target: Argon2Target,
    /// Bounds on stored hashes and inputs.
    pub limits: Limits,
    /// Zero the Argon2 memory matrix after every computation. Default true.
    ///
    /// The matrix is reused per thread, so without the wipe the blocks derived from the last
    /// password stay in memory until the next Argon2 computation on that thread. Someone who can
    /// read that memory could test guesses for that password with less work than a full hash.
    /// The wipe writes the whole matrix once more: at the default target it costs about 0.8 ms,
    /// 9 % of a verify, as measured in docs/BENCHMARKS.md ("Argon2id block fill").
    pub wipe_argon2_memory: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            target: Argon2Target::default(),
            limits: Limits::default(),
            wipe_argon2_memory: true,
        }
    }
}

impl Policy {
    /// Checks that the target is a valid Argon2id setting and lies within the limits.
    ///
    /// # Errors
    ///
    /// Returns [`Error::InvalidPolicy`] naming the first field that is out of range.
    pub fn validate(&self) -> Result<(), Error> {
        let target = &self.target;
        let limits = &self.limits;
        let invalid = |detail: String| Err(Error::InvalidPolicy { detail });

        if target.parallelism == 0 || target.parallelism > 0xFF_FFFF {
            return invalid(format!(
                "parallelism must be 1..=16777215, got {}",
                target.parallelism
            ));
        }
        if u64::from(target.memory_kib) < 8 * u64::from(target.parallelism) {
            return invalid(format!(
                "memory cost must be at least 8 KiB per lane ({} KiB for p={}), got {} KiB",
                8 * u64::from(target.parallelism),
                target.parallelism,
                target.memory_kib
            ));
        }
        if target.iterations == 0 {
            return invalid("iterations must be at least 1, got 0".to_string());
        }
        if target.salt_len < 8 || target.salt_len > 64 {
            return invalid(format!(
                "salt length must be 8..=64 bytes, got {}",
                target.salt_len
            ));
        }
        if target.output_len < 16 || target.output_len > 64 {
            return invalid(format!(
                "output length must be 16..=64 bytes, got {}",
                target.output_len
            ));
        }
        let work = u64::from(target.memory_kib) * u64::from(target.iterations);
        if target.memory_kib > limits.argon2_max_memory_kib
            || target.iterations > limits.argon2_max_iterations
            || target.parallelism > limits.argon2_max_parallelism
            || work > limits.argon2_max_work
        {
            return invalid(format!(
                "target m={},t={},p={} exceeds the limits m<={},t<={},p<={},m*t<={}",
                target.memory_kib,
                target.iterations,
                target.parallelism,
                limits.argon2_max_memory_kib,
                limits.argon2_max_iterations,
                limits.argon2_max_parallelism,
                limits.argon2_max_work
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_valid() {
        assert!(Policy::default().validate().is_ok());
        assert_eq!(Policy::default().target, Argon2Target::OWASP_MINIMUM);
    }

    #[test]
    fn target_above_limits_rejected() {
        let mut policy = Policy::default();
        policy.target.memory_kib = policy.limits.argon2_max_memory_kib + 1;
        let err = policy.validate().expect_err("target above limit");
        assert_eq!(err.kind(), "invalid_policy");
    }

    #[test]
    fn memory_below_lanes_rejected() {
        let mut policy = Policy::default();
        policy.target.parallelism = 4;
        policy.target.memory_kib = 31;
        assert!(policy.validate().is_err());
    }

    #[test]
    fn short_salt_rejected() {
        let mut policy = Policy::default();
        policy.target.salt_len = 7;
        assert!(policy.validate().is_err());
    }
}
