//! The engine: parse -> bound -> verify -> decide -> upgrade.

use std::fmt;

use crate::memory_pool::MemoryPool;
use crate::scheme::{Context, Keys, Scheme, argon2};
use crate::{Error, Method, Password, Policy, SchemeKind, UpgradeReason, Verdict};

/// Verifies passwords against stored hashes and upgrades them to the policy's Argon2id.
///
/// Build one per policy and share it, because it keeps no per-request state and is `Send + Sync`.
///
/// ```
/// use pwmigrate::{Password, Verifier};
///
/// let verifier = Verifier::new(Default::default())?;
/// let stored = "5f4dcc3b5aa765d61d8327deb882cf99"; // md5("password")
/// let verdict = verifier.verify(&Password::from("password"), stored, None)?;
/// assert!(verdict.is_valid());
/// let upgrade = verdict.upgrade().expect("md5 is always upgraded");
/// assert!(upgrade.new_hash().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
/// # Ok::<(), pwmigrate::Error>(())
/// ```
pub struct Verifier {
    policy: Policy,
    /// An Argon2id hash under the policy with a random salt and a random output, made in
    /// [`Verifier::new`]: verifying it costs a real verify and matches no password.
    dummy: argon2::Argon2Hash,
    keys: Keys,
    /// Memory matrices and the limit on concurrent Argon2 computations.
    pool: MemoryPool,
}

/// Returns the number of CPUs this process may use, 1 when unknown.
fn default_concurrency() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("policy", &self.policy)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

/// Hashes `password` as Argon2id under `policy`'s target, with a fresh random salt.
///
/// Each call allocates a fresh memory matrix; [`Verifier::hash`] reuses one from its pool, which
/// is faster when hashing many passwords.
///
/// # Errors
///
/// Returns [`Error::InvalidPolicy`] when the policy does not validate, [`Error::PasswordTooLong`]
/// above the policy's limit, and [`Error::Randomness`] when no salt can be drawn.
pub fn hash(password: &Password, policy: &Policy) -> Result<String, Error> {
    policy.validate()?;
    check_password_len(password, policy)?;
    argon2::hash_new(
        password.as_bytes(),
        &policy.target,
        policy.wipe_argon2_memory,
        None,
    )
}

/// Fails with [`Error::PasswordTooLong`] for a password over the policy's limit.
fn check_password_len(password: &Password, policy: &Policy) -> Result<(), Error> {
    let max = policy.limits.max_password_bytes;
    if password.len() > max {
        return Err(Error::PasswordTooLong {
            len: password.len(),
            max,
        });
    }
    Ok(())
}

/// Result of `identify`: the scheme, its parameters, and its standing against the policy.
#[derive(Debug)]
pub struct Identification {
    /// Scheme of the stored hash.
    pub scheme: SchemeKind,
    /// Parameters as name and value pairs, such as `("cost", "10")`.
    pub params: Vec<(&'static str, String)>,
    /// Bound the stored hash exceeds, so that verifying it would fail; `None` when within bounds.
    pub limit_error: Option<Error>,
    /// Reasons a valid password would trigger an upgrade, empty when the hash meets the policy.
    pub upgrade_reasons: Vec<UpgradeReason>,
    /// Canonical form of the stored hash: the same value in one spelling (lowercase hex, `v=`
    /// always written, compact JSON), which verifies without a declared method.
    pub canonical: String,
}

impl Verifier {
    /// Builds a verifier and the dummy hash for unknown users.
    ///
    /// The dummy is an Argon2id string under the policy's target with a random salt and a
    /// random output, so building it hashes nothing. Verifying against it costs exactly a real
    /// verify, and no password can match it (a chance of 2^-256 at the default 32-byte output).
    ///
    /// # Errors
    ///
    /// Returns [`Error::InvalidPolicy`] when the policy does not validate, and
    /// [`Error::Randomness`] when no random bytes are available for the dummy.
    pub fn new(policy: Policy) -> Result<Self, Error> {
        policy.validate()?;

        let target = &policy.target;
        let mut salt = vec![0u8; target.salt_len];
        let mut output = vec![0u8; target.output_len];
        getrandom::fill(&mut salt).map_err(Error::Randomness)?;
        getrandom::fill(&mut output).map_err(Error::Randomness)?;
        let dummy_hash = format!(
            "$argon2id$v=19$m={},t={},p={}${}${}",
            target.memory_kib,
            target.iterations,
            target.parallelism,
            crate::encoding::encode_phc_b64(&salt),
            crate::encoding::encode_phc_b64(&output),
        );
        let dummy = argon2::parse(&dummy_hash)?;
        let pool = MemoryPool::new(default_concurrency());

        Ok(Verifier {
            policy,
            dummy,
            keys: Keys::default(),
            pool,
        })
    }

    /// Sets how many Argon2 computations may run at once; more callers wait for a turn.
    ///
    /// Peak Argon2 memory is about `limit` times the largest memory cost verified (the policy's
    /// target for upgrades and unknown users, the stored cost for Argon2 hashes). The default is
    /// the number of CPUs the process may use, since more computations at once only share the
    /// same cores. A `limit` of 0 is read as 1.
    pub fn with_argon2_concurrency(mut self, limit: usize) -> Self {
        self.pool = MemoryPool::new(limit);
        self
    }

    /// Returns how many Argon2 computations may run at once.
    pub fn argon2_concurrency(&self) -> usize {
        self.pool.limit()
    }

    /// Adds the HMAC key for `id`, used by `$pwm-hmac$` stored hashes that name it.
    ///
    /// # Errors
    ///
    /// Returns [`Error::InvalidPolicy`] when `id` is not 1 to 64 characters from `A-Za-z0-9_-`.
    pub fn with_key(mut self, id: &str, key: Vec<u8>) -> Result<Self, Error> {
        if !crate::scheme::keyed::is_valid_key_id(id) {
            return Err(Error::InvalidPolicy {
                detail: "key id must be 1 to 64 characters from A-Za-z0-9_-".to_string(),
            });
        }
        self.keys.insert(id.to_string(), key);
        Ok(self)
    }

    /// Returns the policy this verifier enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verifies `password` against `stored`, read as `method` or recognised from its shape.
    ///
    /// A valid verdict below policy carries an [`Upgrade`](crate::Upgrade) with a new Argon2id
    /// hash of the same password; store it in place of `stored`.
    ///
    /// # Errors
    ///
    /// - [`Error::PasswordTooLong`] or [`Error::StoredHashTooLong`] when an input is longer than
    ///   the policy's limit.
    /// - [`Error::MalformedHash`], [`Error::UnsupportedScheme`], [`Error::UnsupportedVariant`] or
    ///   [`Error::WrongDigestLength`] when `stored` cannot be read.
    /// - [`Error::ParameterExceedsLimit`] when a cost in `stored` is above the policy's bound.
    /// - [`Error::PasswordContainsNul`] for a bcrypt hash and a password with a NUL byte.
    /// - [`Error::MissingKey`] for a `$pwm-hmac$` hash whose key id was never added.
    /// - [`Error::Randomness`] when the upgrade cannot get a salt.
    pub fn verify(
        &self,
        password: &Password,
        stored: &str,
        method: Option<Method>,
    ) -> Result<Verdict, Error> {
        check_password_len(password, &self.policy)?;
        let scheme = self.parse_bounded(stored, method)?;

        let wipe = self.policy.wipe_argon2_memory;
        let context = Context {
            keys: &self.keys,
            wipe_argon2_memory: wipe,
            pool: &self.pool,
        };
        let matched = scheme.verify(password.as_bytes(), &context)?;
        if !matched {
            return Ok(Verdict::invalid(scheme.kind()));
        }

        let reasons = scheme.upgrade_reasons(&self.policy.target);
        if reasons.is_empty() {
            return Ok(Verdict::valid(scheme.kind()));
        }
        // A normalising hash is upgraded to a hash of the normalised password behind the same
        // prefix, so the next sign-in, in whatever form it is typed, still matches.
        let new_hash = match scheme.normalization() {
            Some(form) => {
                let Some(normalised) = form.apply(password.as_bytes()) else {
                    return Ok(Verdict::invalid(scheme.kind()));
                };
                let inner =
                    argon2::hash_new(&normalised, &self.policy.target, wipe, Some(&self.pool))?;
                format!("{}{inner}", form.prefix())
            }
            None => argon2::hash_new(
                password.as_bytes(),
                &self.policy.target,
                wipe,
                Some(&self.pool),
            )?,
        };
        Ok(Verdict::valid_with_upgrade(
            scheme.kind(),
            reasons,
            new_hash,
        ))
    }

    /// Spends what a real verify under the policy costs, for a sign-in with an unknown user name.
    ///
    /// Call it where [`Verifier::verify`] would have run, so that the response time does not
    /// reveal whether the account exists. The verdict is always invalid. Accounts with legacy
    /// hashes still respond at their own scheme's speed until they are upgraded.
    pub fn verify_unknown_user(&self, password: &Password) -> Verdict {
        // The result is discarded: the random dummy password cannot match.
        let _ = self.dummy.verify(
            password.as_bytes(),
            self.policy.wipe_argon2_memory,
            Some(&self.pool),
        );
        Verdict::invalid(SchemeKind::Argon2id)
    }

    /// Hashes `password` as Argon2id under the policy's target, with a fresh random salt, on a
    /// memory matrix from the verifier's pool.
    ///
    /// # Errors
    ///
    /// Returns [`Error::PasswordTooLong`] above the policy's limit, and [`Error::Randomness`]
    /// when no salt can be drawn.
    pub fn hash(&self, password: &Password) -> Result<String, Error> {
        check_password_len(password, &self.policy)?;
        argon2::hash_new(
            password.as_bytes(),
            &self.policy.target,
            self.policy.wipe_argon2_memory,
            Some(&self.pool),
        )
    }

    /// Parses `stored` and reports its scheme and parameters; see [`identify`].
    ///
    /// # Errors
    ///
    /// Returns the errors of [`identify`].
    pub fn identify(&self, stored: &str, method: Option<Method>) -> Result<Identification, Error> {
        identify(stored, method, &self.policy)
    }

    fn parse_bounded(&self, stored: &str, method: Option<Method>) -> Result<Scheme, Error> {
        check_stored_len(stored, &self.policy)?;
        let scheme = Scheme::parse(stored, method)?;
        scheme.check_limits(&self.policy.limits)?;
        Ok(scheme)
    }
}

/// Parses `stored` and reports its scheme and parameters, with no password and no hashing.
///
/// # Errors
///
/// Returns [`Error::StoredHashTooLong`] above the policy's limit, and the parse errors of
/// [`Verifier::verify`]. A cost above the policy's bound is no error here: it is reported in
/// [`Identification::limit_error`].
pub fn identify(
    stored: &str,
    method: Option<Method>,
    policy: &Policy,
) -> Result<Identification, Error> {
    check_stored_len(stored, policy)?;
    let scheme = Scheme::parse(stored, method)?;
    Ok(Identification {
        scheme: scheme.kind(),
        params: scheme.params(),
        limit_error: scheme.check_limits(&policy.limits).err(),
        upgrade_reasons: scheme.upgrade_reasons(&policy.target),
        canonical: scheme.encode(),
    })
}

fn check_stored_len(stored: &str, policy: &Policy) -> Result<(), Error> {
    let max = policy.limits.max_stored_bytes;
    if stored.len() > max {
        return Err(Error::StoredHashTooLong {
            len: stored.len(),
            max,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Argon2Target;

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

    #[test]
    fn dummy_uses_policy_params() {
        let verifier = Verifier::new(Policy::default()).expect("default policy");
        let params = verifier.dummy.params();
        assert!(params.contains(&("memory_kib", "19456".to_string())));
        assert!(params.contains(&("iterations", "2".to_string())));
        assert!(params.contains(&("parallelism", "1".to_string())));
        assert_eq!(verifier.dummy.kind(), SchemeKind::Argon2id);
        assert!(
            verifier
                .dummy
                .upgrade_reasons(&verifier.policy.target)
                .is_empty()
        );
    }

    #[test]
    fn dummy_differs_per_verifier() {
        let first = Verifier::new(small_policy()).expect("policy");
        let second = Verifier::new(small_policy()).expect("policy");
        assert_ne!(format!("{:?}", first.dummy), format!("{:?}", second.dummy));
    }

    #[test]
    fn unknown_user_always_invalid() {
        let verifier = Verifier::new(small_policy()).expect("policy");
        let verdict = verifier.verify_unknown_user(&Password::from(""));
        assert!(!verdict.is_valid());
        assert!(verdict.upgrade().is_none());
    }

    #[test]
    fn verifier_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Verifier>();
    }

    #[test]
    fn invalid_policy_rejected() {
        let mut policy = small_policy();
        policy.target.iterations = 0;
        let err = Verifier::new(policy).expect_err("t=0");
        assert_eq!(err.kind(), "invalid_policy");
    }
}
