//! BLAKE2b with a run-time output length, and H', the variable-length hash of RFC 9106
//! section 3.3 built on it.

use blake2::Blake2bVarCore;
use blake2::digest::block_api::{Buffer, UpdateCore, VariableOutputCore};
use zeroize::{Zeroize, Zeroizing};

use super::ParamsError;

/// Largest BLAKE2b output, in bytes.
const MAX_DIGEST_LEN: usize = 64;

/// Hashes the concatenation of `parts` with BLAKE2b, unkeyed, with an output length of
/// `out.len()` bytes (1..=64).
pub(super) fn blake2b(parts: &[&[u8]], out: &mut [u8]) -> Result<(), ParamsError> {
    let mut core =
        Blake2bVarCore::new(out.len()).map_err(|_| ParamsError::OutputLength(out.len()))?;
    let mut buffer = Buffer::<Blake2bVarCore>::default();
    for part in parts {
        buffer.digest_blocks(part, |blocks| core.update_blocks(blocks));
    }
    let mut digest = Default::default();
    core.finalize_variable_core(&mut buffer, &mut digest);
    // The core writes 64 bytes, of which the first `out.len()` are the digest. BLAKE2b hashes
    // the output length into its parameter block, so a short digest is not a truncated long one.
    out.copy_from_slice(&digest[..out.len()]);
    digest.as_mut_slice().zeroize();
    Ok(())
}

/// Computes H'^T over the concatenation of `parts`, with T = `out.len()` (1..=2^32 - 1).
///
/// Up to 64 bytes, H' is BLAKE2b-T of LE32(T) followed by the input. Longer outputs chain
/// 64-byte BLAKE2b digests V1, V2, ... and emit the first 32 bytes of each, then end with a
/// digest of the remaining length, so that the last digest is between 33 and 64 bytes.
pub(super) fn variable_hash(parts: &[&[u8]], out: &mut [u8]) -> Result<(), ParamsError> {
    let length = u32::try_from(out.len()).map_err(|_| ParamsError::OutputLength(out.len()))?;
    let length_prefix = length.to_le_bytes();

    if out.len() <= MAX_DIGEST_LEN {
        return hash_prefixed(&length_prefix, parts, out);
    }

    let mut digest = Zeroizing::new([0u8; MAX_DIGEST_LEN]);
    hash_prefixed(&length_prefix, parts, &mut digest[..])?;
    let mut rest = out;
    loop {
        let (emitted, tail) = rest.split_at_mut(MAX_DIGEST_LEN / 2);
        emitted.copy_from_slice(&digest[..MAX_DIGEST_LEN / 2]);
        rest = tail;
        if rest.len() <= MAX_DIGEST_LEN {
            return blake2b(&[&digest[..]], rest);
        }
        let previous = digest.clone();
        blake2b(&[&previous[..]], &mut digest[..])?;
    }
}

/// Hashes `prefix` followed by `parts`, without building the concatenation.
fn hash_prefixed(prefix: &[u8], parts: &[&[u8]], out: &mut [u8]) -> Result<(), ParamsError> {
    // Callers pass at most three parts (H0 and the two block indices), so a short array suffices.
    const MAX_PARTS: usize = 4;
    if parts.len() >= MAX_PARTS {
        return Err(ParamsError::InputTooLong("H' input list"));
    }
    let mut all: [&[u8]; MAX_PARTS] = [&[]; MAX_PARTS];
    all[0] = prefix;
    all[1..=parts.len()].copy_from_slice(parts);
    blake2b(&all[..=parts.len()], out)
}
