//! Verifying from async code: the hashing runs on tokio's blocking pool, never on a runtime
//! worker, under the verifier's limit on concurrent Argon2 computations.

use std::sync::Arc;

use crate::{Error, Method, Password, Verdict, Verifier};

impl Verifier {
    /// Verifies like [`Verifier::verify`], on tokio's blocking thread pool.
    ///
    /// Runtime workers stay free to serve other tasks while the hash is computed. The verifier's
    /// Argon2 concurrency limit applies across sync and async callers alike.
    ///
    /// # Errors
    ///
    /// Returns the errors of [`Verifier::verify`], and [`Error::TaskFailed`] when the blocking
    /// task panicked or the runtime shut down before it ran.
    pub async fn verify_async(
        self: Arc<Self>,
        password: Password,
        stored: String,
        method: Option<Method>,
    ) -> Result<Verdict, Error> {
        tokio::task::spawn_blocking(move || self.verify(&password, &stored, method))
            .await
            .map_err(|err| Error::TaskFailed {
                detail: err.to_string(),
            })?
    }

    /// Runs [`Verifier::verify_unknown_user`] on tokio's blocking thread pool.
    ///
    /// # Errors
    ///
    /// Returns [`Error::TaskFailed`] when the blocking task panicked or the runtime shut down.
    pub async fn verify_unknown_user_async(
        self: Arc<Self>,
        password: Password,
    ) -> Result<Verdict, Error> {
        tokio::task::spawn_blocking(move || self.verify_unknown_user(&password))
            .await
            .map_err(|err| Error::TaskFailed {
                detail: err.to_string(),
            })
    }
}
