//! Argon2 as specified in RFC 9106: the initial hash H0, the variable-length hash H', the memory
//! fill for Argon2d, Argon2i and Argon2id at versions 0x10 and 0x13, and the final tag.
//!
//! The compression function G has a portable version and, on x86-64, an AVX2 version and an
//! AVX-512 version. [`Kernel::detect`] picks the fastest one the CPU supports, once per process.
//! Lanes are filled one after another inside each slice. The output does not depend on that
//! order, because a block only references blocks of other lanes from finished slices.

mod blake2_long;
mod fill;
#[cfg_attr(
    target_os = "linux",
    expect(
        unsafe_code,
        reason = "matrices are mapped, advised and unmapped through libc"
    )
)]
mod memory;
mod portable;
#[cfg(target_arch = "x86_64")]
#[expect(
    unsafe_code,
    reason = "SIMD code needs calls into target-feature functions and raw vector loads"
)]
mod x86;

#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::OnceLock;

pub(crate) use argon2::{Algorithm, Version};
use zeroize::{Zeroize, Zeroizing};

pub(crate) use memory::{Matrix, ZeroableBlock};

/// Words in a block.
const BLOCK_WORDS: usize = 128;

/// Bytes in a block.
const BLOCK_BYTES: usize = 1024;

/// Slices per pass, called SL in RFC 9106. Lanes synchronise at each slice boundary.
const SYNC_POINTS: usize = 4;

/// Largest lane count RFC 9106 allows, 2^24 - 1.
const MAX_LANES: u32 = 0x00FF_FFFF;

/// Shortest salt RFC 9106 allows, in bytes.
const MIN_SALT_LEN: usize = 8;

/// Shortest tag RFC 9106 allows, in bytes.
const MIN_OUTPUT_LEN: usize = 4;

/// One 1 KiB block of the memory matrix: 128 64-bit words, read and written little-endian.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
pub(crate) struct Block([u64; BLOCK_WORDS]);

impl Block {
    /// Returns a block of zero words.
    pub(crate) const fn new() -> Self {
        Block([0; BLOCK_WORDS])
    }

    fn from_le_bytes(bytes: &[u8; BLOCK_BYTES]) -> Self {
        let mut block = Block::new();
        for (word, chunk) in block.0.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut le = [0u8; 8];
            le.copy_from_slice(chunk);
            *word = u64::from_le_bytes(le);
        }
        block
    }

    fn write_le_bytes(&self, bytes: &mut [u8; BLOCK_BYTES]) {
        for (chunk, word) in bytes.chunks_exact_mut(8).zip(self.0.iter()) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
    }

    fn xor_assign(&mut self, other: &Block) {
        for (word, other) in self.0.iter_mut().zip(other.0.iter()) {
            *word ^= other;
        }
    }
}

impl Default for Block {
    fn default() -> Self {
        Block::new()
    }
}

impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The words are derived from the password, so they are never printed.
        f.debug_struct("Block").finish_non_exhaustive()
    }
}

impl AsRef<[u64]> for Block {
    fn as_ref(&self) -> &[u64] {
        &self.0
    }
}

impl AsMut<[u64]> for Block {
    fn as_mut(&mut self) -> &mut [u64] {
        &mut self.0
    }
}

impl Zeroize for Block {
    /// Overwrites every word with zero through volatile stores, which the compiler may not
    /// remove, in vectors of 64 or 32 bytes where the CPU has them.
    fn zeroize(&mut self) {
        match Kernel::detect() {
            Kernel::Portable => self.0.zeroize(),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(avx2) => avx2.wipe(self),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(avx512) => avx512.wipe(self),
        }
    }
}

/// The cost parameters and variant of one Argon2 computation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Params {
    pub(crate) algorithm: Algorithm,
    pub(crate) version: Version,
    /// Memory cost in KiB, at least 8 per lane.
    pub(crate) memory_kib: u32,
    /// Number of passes over the memory, at least 1.
    pub(crate) iterations: u32,
    /// Number of lanes (the degree of parallelism), 1..=2^24 - 1.
    pub(crate) lanes: u32,
}

impl Params {
    /// Returns the number of blocks the memory matrix needs: the memory cost rounded down to a
    /// multiple of 4 x lanes.
    ///
    /// # Errors
    ///
    /// Returns [`ParamsError`] when a parameter is outside the range RFC 9106 allows.
    pub(crate) fn block_count(&self) -> Result<usize, ParamsError> {
        Ok(self.geometry()?.block_count)
    }

    fn geometry(&self) -> Result<fill::Geometry, ParamsError> {
        if self.lanes == 0 || self.lanes > MAX_LANES {
            return Err(ParamsError::Lanes(self.lanes));
        }
        if self.iterations == 0 {
            return Err(ParamsError::Iterations);
        }
        if u64::from(self.memory_kib) < 8 * u64::from(self.lanes) {
            return Err(ParamsError::Memory {
                memory_kib: self.memory_kib,
                lanes: self.lanes,
            });
        }
        let lanes = usize::try_from(self.lanes).map_err(|_| ParamsError::Lanes(self.lanes))?;
        let memory = usize::try_from(self.memory_kib).map_err(|_| ParamsError::Memory {
            memory_kib: self.memory_kib,
            lanes: self.lanes,
        })?;
        let segment_length = memory / (SYNC_POINTS * lanes);
        let lane_length = segment_length * SYNC_POINTS;
        Ok(fill::Geometry {
            lanes,
            lane_length,
            segment_length,
            block_count: lane_length * lanes,
        })
    }
}

/// The byte-string inputs of one Argon2 computation. The engine passes an empty secret and
/// associated data, and the RFC 9106 test vectors use both.
#[derive(Clone, Copy)]
pub(crate) struct Inputs<'a> {
    pub(crate) password: &'a [u8],
    /// The salt, at least 8 bytes.
    pub(crate) salt: &'a [u8],
    /// The secret key K, often empty.
    pub(crate) secret: &'a [u8],
    /// The associated data X, often empty.
    pub(crate) associated_data: &'a [u8],
}

impl fmt::Debug for Inputs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inputs")
            .field("salt_len", &self.salt.len())
            .finish_non_exhaustive()
    }
}

/// An Argon2 parameter or input outside the range RFC 9106 allows, found before any hashing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum ParamsError {
    /// The lane count is 0 or above 2^24 - 1.
    Lanes(u32),
    /// The pass count is 0.
    Iterations,
    /// The memory cost is under 8 KiB per lane.
    Memory { memory_kib: u32, lanes: u32 },
    /// The named input is longer than 2^32 - 1 bytes.
    InputTooLong(&'static str),
    /// The salt, of this many bytes, is under 8 bytes.
    SaltTooShort(usize),
    /// The requested output length is under 4 bytes or above 2^32 - 1.
    OutputLength(usize),
    /// The memory matrix has fewer blocks than the parameters need.
    MatrixTooSmall { blocks: usize, needed: usize },
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParamsError::Lanes(lanes) => write!(f, "p must be 1..=16777215, got {lanes}"),
            ParamsError::Iterations => f.write_str("t must be at least 1, got 0"),
            ParamsError::Memory { memory_kib, lanes } => write!(
                f,
                "m must be at least 8 KiB per lane, got m={memory_kib} with p={lanes}"
            ),
            ParamsError::InputTooLong(name) => {
                write!(f, "{name} must be at most 4294967295 bytes")
            }
            ParamsError::SaltTooShort(len) => {
                write!(f, "salt must be at least 8 bytes, got {len}")
            }
            ParamsError::OutputLength(len) => {
                write!(f, "output must be 4..=4294967295 bytes, got {len}")
            }
            ParamsError::MatrixTooSmall { blocks, needed } => write!(
                f,
                "memory matrix has {blocks} blocks, the parameters need {needed}"
            ),
        }
    }
}

impl std::error::Error for ParamsError {}

/// An implementation of the compression function G.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kernel {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2(x86::Avx2),
    #[cfg(target_arch = "x86_64")]
    Avx512(x86::Avx512),
}

impl Kernel {
    /// Returns the fastest kernel this CPU supports, detected on the first call.
    pub(crate) fn detect() -> Kernel {
        static DETECTED: OnceLock<Kernel> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            #[cfg(target_arch = "x86_64")]
            {
                if let Some(avx512) = x86::Avx512::detect() {
                    return Kernel::Avx512(avx512);
                }
                if let Some(avx2) = x86::Avx2::detect() {
                    return Kernel::Avx2(avx2);
                }
            }
            Kernel::Portable
        })
    }

    /// Returns every kernel this CPU supports, the portable one first.
    #[cfg(test)]
    pub(crate) fn available() -> Vec<Kernel> {
        let mut kernels = vec![Kernel::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            kernels.extend(x86::Avx2::detect().map(Kernel::Avx2));
            kernels.extend(x86::Avx512::detect().map(Kernel::Avx512));
        }
        kernels
    }

    /// Computes G(x, y) into `out`, or G(x, y) XOR `out` into `out` when `xor_into` is set.
    /// Calls `on_first_word` with the first word of the result as soon as that word is final,
    /// which may be before the rest of `out` is.
    fn compress(
        self,
        x: &Block,
        y: &Block,
        out: &mut Block,
        xor_into: bool,
        on_first_word: &mut dyn FnMut(u64),
    ) {
        match self {
            Kernel::Portable => {
                portable::compress(x, y, out, xor_into);
                on_first_word(out.0[0]);
            }
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(avx2) => avx2.compress(x, y, out, xor_into, on_first_word),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(avx512) => avx512.compress(x, y, out, xor_into, on_first_word),
        }
    }

    /// Asks the CPU to start loading the block at `block` into its caches. The address is only
    /// a hint: it is never dereferenced, so any value is harmless.
    fn prefetch(self, block: *const Block) {
        match self {
            Kernel::Portable => {}
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(_) | Kernel::Avx512(_) => x86::prefetch(block),
        }
    }
}

/// Computes the Argon2 tag of `inputs` under `params` into `out`, on the first blocks of
/// `memory`, with the fastest kernel this CPU supports. The tag length is `out.len()`.
///
/// # Errors
///
/// Returns [`ParamsError`] before any hashing when a parameter or input length is outside the
/// range RFC 9106 allows, or when `memory` has fewer blocks than [`Params::block_count`].
pub(crate) fn hash_into(
    params: &Params,
    inputs: &Inputs<'_>,
    out: &mut [u8],
    memory: &mut [Block],
) -> Result<(), ParamsError> {
    hash_with_kernel(Kernel::detect(), params, inputs, out, memory)
}

/// Like [`hash_into`], on the given kernel.
pub(crate) fn hash_with_kernel(
    kernel: Kernel,
    params: &Params,
    inputs: &Inputs<'_>,
    out: &mut [u8],
    memory: &mut [Block],
) -> Result<(), ParamsError> {
    let geometry = params.geometry()?;
    check_inputs(inputs, out.len())?;
    let blocks = memory.len();
    let memory = memory
        .get_mut(..geometry.block_count)
        .ok_or(ParamsError::MatrixTooSmall {
            blocks,
            needed: geometry.block_count,
        })?;

    let h0 = initial_hash(params, inputs, out.len())?;
    fill::fill_first_blocks(memory, &geometry, &h0)?;
    drop(h0);
    fill::fill_memory(kernel, memory, &geometry, params);
    finalize(memory, &geometry, out)
}

fn check_inputs(inputs: &Inputs<'_>, output_len: usize) -> Result<(), ParamsError> {
    let fields = [
        ("password", inputs.password),
        ("salt", inputs.salt),
        ("secret", inputs.secret),
        ("associated data", inputs.associated_data),
    ];
    for (name, field) in fields {
        if u32::try_from(field.len()).is_err() {
            return Err(ParamsError::InputTooLong(name));
        }
    }
    if inputs.salt.len() < MIN_SALT_LEN {
        return Err(ParamsError::SaltTooShort(inputs.salt.len()));
    }
    if output_len < MIN_OUTPUT_LEN || u32::try_from(output_len).is_err() {
        return Err(ParamsError::OutputLength(output_len));
    }
    Ok(())
}

/// Writes a length or parameter as the 4-byte little-endian field H0 hashes.
fn le32(value: usize) -> Result<[u8; 4], ParamsError> {
    u32::try_from(value)
        .map(u32::to_le_bytes)
        .map_err(|_| ParamsError::InputTooLong("input"))
}

/// Computes H0, the 64-byte BLAKE2b hash of the parameters and inputs, RFC 9106 section 3.2.
fn initial_hash(
    params: &Params,
    inputs: &Inputs<'_>,
    output_len: usize,
) -> Result<Zeroizing<[u8; 64]>, ParamsError> {
    // The type field y: 0 for Argon2d, 1 for Argon2i, 2 for Argon2id.
    let type_code: u32 = match params.algorithm {
        Algorithm::Argon2d => 0,
        Algorithm::Argon2i => 1,
        Algorithm::Argon2id => 2,
    };
    let header = [
        params.lanes,
        u32::try_from(output_len).map_err(|_| ParamsError::OutputLength(output_len))?,
        params.memory_kib,
        params.iterations,
        params.version as u32,
        type_code,
    ];
    let mut header_bytes = [0u8; 24];
    for (chunk, field) in header_bytes.chunks_exact_mut(4).zip(header) {
        chunk.copy_from_slice(&field.to_le_bytes());
    }

    let password_len = le32(inputs.password.len())?;
    let salt_len = le32(inputs.salt.len())?;
    let secret_len = le32(inputs.secret.len())?;
    let data_len = le32(inputs.associated_data.len())?;
    let parts: [&[u8]; 9] = [
        &header_bytes,
        &password_len,
        inputs.password,
        &salt_len,
        inputs.salt,
        &secret_len,
        inputs.secret,
        &data_len,
        inputs.associated_data,
    ];
    let mut h0 = Zeroizing::new([0u8; 64]);
    blake2_long::blake2b(&parts, &mut h0[..])?;
    Ok(h0)
}

/// XORs the last block of every lane and hashes the result with H' into `out`.
fn finalize(
    memory: &[Block],
    geometry: &fill::Geometry,
    out: &mut [u8],
) -> Result<(), ParamsError> {
    let mut last = Zeroizing::new(Block::new());
    for lane in 0..geometry.lanes {
        last.xor_assign(&memory[lane * geometry.lane_length + geometry.lane_length - 1]);
    }
    let mut bytes = Zeroizing::new([0u8; BLOCK_BYTES]);
    last.write_le_bytes(&mut bytes);
    blake2_long::variable_hash(&[&bytes[..]], out)
}
