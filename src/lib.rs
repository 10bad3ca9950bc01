#![doc = include_str!("../README.md")]

mod argon2_fill;
#[cfg(feature = "tokio")]
mod async_verify;
pub mod bench;
#[doc(hidden)]
pub mod descriptor;
mod encoding;
mod error;
pub mod fuzzing;
pub mod import;
mod memory_pool;
mod password;
mod policy;
mod scheme;
mod verdict;
mod verifier;

pub use descriptor::{Descriptor, DigestEncoding};
pub use error::Error;
pub use password::Password;
pub use policy::{Argon2Target, Limits, Policy};
pub use scheme::keyed::{Chain, SaltPosition, postgres_md5};
pub use scheme::normalized::Normalization;
pub use scheme::transcode::SourceEncoding;
pub use scheme::{Method, SchemeKind};
pub use verdict::{Upgrade, UpgradeReason, Verdict};
pub use verifier::{Identification, Verifier, hash, identify};
