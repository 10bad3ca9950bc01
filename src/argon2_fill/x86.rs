//! The compression function G with AVX2 instructions.
//!
//! A block is held as 32 vectors of four words: vector `i` holds words 4i..4i+3. Row `r` of G
//! (words 16r..16r+15) is then vectors 4r..4r+3, and its BLAKE2b round mixes the four vectors
//! lane by lane, rotating three of them by one, two and three lanes for the diagonal step.
//! Columns 2k and 2k+1 together are the vectors k, k+4, ..., k+28: each 128-bit half of those
//! eight vectors holds one column's word pair, so one round covers both columns, and the
//! diagonal step only moves words inside 128-bit halves.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi64, _mm256_alignr_epi8, _mm256_mul_epu32, _mm256_permute4x64_epi64,
    _mm256_setr_epi8, _mm256_shuffle_epi8, _mm256_shuffle_epi32, _mm256_srli_epi64,
    _mm256_xor_si256,
};

use super::{BLOCK_WORDS, Block};

/// Vectors in a block.
const VECTORS: usize = BLOCK_WORDS / 4;

/// Proof that this CPU supports AVX2: a value exists only after a successful run-time check.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2 {
    _checked: (),
}

impl Avx2 {
    /// Returns a token if this CPU supports AVX2.
    pub(crate) fn detect() -> Option<Avx2> {
        std::is_x86_feature_detected!("avx2").then_some(Avx2 { _checked: () })
    }

    /// Computes G(x, y) into `out`, or G(x, y) XOR `out` into `out` when `xor_into` is set.
    pub(super) fn compress(self, x: &Block, y: &Block, out: &mut Block, xor_into: bool) {
        // SAFETY: `self` exists only if `detect` found AVX2 on this CPU, the one target feature
        // `compress_avx2` enables.
        unsafe { compress_avx2(x, y, out, xor_into) }
    }
}

#[target_feature(enable = "avx2")]
fn compress_avx2(x: &Block, y: &Block, out: &mut Block, xor_into: bool) {
    let x = load(x);
    let y = load(y);
    let mut r = x;
    for (r, y) in r.iter_mut().zip(y.iter()) {
        *r = _mm256_xor_si256(*r, *y);
    }

    let mut q = r;
    for row in 0..8 {
        round_row(&mut q, 4 * row);
    }
    for pair in 0..4 {
        round_column_pair(&mut q, pair);
    }

    for (q, r) in q.iter_mut().zip(r.iter()) {
        *q = _mm256_xor_si256(*q, *r);
    }
    if xor_into {
        let old = load(out);
        for (q, old) in q.iter_mut().zip(old.iter()) {
            *q = _mm256_xor_si256(*q, *old);
        }
    }
    store(out, q);
}

#[inline]
#[target_feature(enable = "avx2")]
fn load(block: &Block) -> [__m256i; VECTORS] {
    // SAFETY: both types are 1024 bytes of plain integers without padding, so every bit
    // pattern of one is a valid value of the other; transmute copies, so alignment is moot.
    unsafe { core::mem::transmute::<[u64; BLOCK_WORDS], [__m256i; VECTORS]>(block.0) }
}

#[inline]
#[target_feature(enable = "avx2")]
fn store(block: &mut Block, vectors: [__m256i; VECTORS]) {
    // SAFETY: as in `load`, both types are 1024 bytes of plain integers.
    block.0 = unsafe { core::mem::transmute::<[__m256i; VECTORS], [u64; BLOCK_WORDS]>(vectors) };
}

/// Applies P to the row held by vectors `base`..`base + 3`.
#[inline]
#[target_feature(enable = "avx2")]
fn round_row(q: &mut [__m256i; VECTORS], base: usize) {
    let (mut a, mut b, mut c, mut d) = (q[base], q[base + 1], q[base + 2], q[base + 3]);
    mix(&mut a, &mut b, &mut c, &mut d);
    // Lane i of b, c and d moves to lane i - 1, i - 2 and i - 3, so the lanes line up the
    // diagonals (v0, v5, v10, v15), (v1, v6, v11, v12), ...
    b = _mm256_permute4x64_epi64::<0b00_11_10_01>(b);
    c = _mm256_permute4x64_epi64::<0b01_00_11_10>(c);
    d = _mm256_permute4x64_epi64::<0b10_01_00_11>(d);
    mix(&mut a, &mut b, &mut c, &mut d);
    b = _mm256_permute4x64_epi64::<0b10_01_00_11>(b);
    c = _mm256_permute4x64_epi64::<0b01_00_11_10>(c);
    d = _mm256_permute4x64_epi64::<0b00_11_10_01>(d);
    (q[base], q[base + 1], q[base + 2], q[base + 3]) = (a, b, c, d);
}

/// Applies P to columns 2 * `pair` and 2 * `pair` + 1, held by vectors `pair`, `pair` + 4, ...
#[inline]
#[target_feature(enable = "avx2")]
fn round_column_pair(q: &mut [__m256i; VECTORS], pair: usize) {
    // In each 128-bit half: a0 = (v0, v1), a1 = (v2, v3), b0 = (v4, v5), ... d1 = (v14, v15).
    let [
        mut a0,
        mut a1,
        mut b0,
        mut b1,
        mut c0,
        mut c1,
        mut d0,
        mut d1,
    ] = std::array::from_fn(|i| q[pair + 4 * i]);
    mix(&mut a0, &mut b0, &mut c0, &mut d0);
    mix(&mut a1, &mut b1, &mut c1, &mut d1);

    // Diagonals: (v0, v1) meet (v5, v6), (v10, v11), (v15, v12) and (v2, v3) meet (v7, v4),
    // (v8, v9), (v13, v14). alignr(hi, lo, 8) takes lo's upper word and hi's lower word.
    let mut b0_diagonal = _mm256_alignr_epi8::<8>(b1, b0);
    let mut b1_diagonal = _mm256_alignr_epi8::<8>(b0, b1);
    let mut d0_diagonal = _mm256_alignr_epi8::<8>(d0, d1);
    let mut d1_diagonal = _mm256_alignr_epi8::<8>(d1, d0);
    mix(&mut a0, &mut b0_diagonal, &mut c1, &mut d0_diagonal);
    mix(&mut a1, &mut b1_diagonal, &mut c0, &mut d1_diagonal);
    b0 = _mm256_alignr_epi8::<8>(b0_diagonal, b1_diagonal);
    b1 = _mm256_alignr_epi8::<8>(b1_diagonal, b0_diagonal);
    d0 = _mm256_alignr_epi8::<8>(d1_diagonal, d0_diagonal);
    d1 = _mm256_alignr_epi8::<8>(d0_diagonal, d1_diagonal);

    for (i, vector) in [a0, a1, b0, b1, c0, c1, d0, d1].into_iter().enumerate() {
        q[pair + 4 * i] = vector;
    }
}

/// GB on four lanes at once.
#[inline]
#[target_feature(enable = "avx2")]
fn mix(a: &mut __m256i, b: &mut __m256i, c: &mut __m256i, d: &mut __m256i) {
    *a = blamka(*a, *b);
    *d = rotate_right_32(_mm256_xor_si256(*d, *a));
    *c = blamka(*c, *d);
    *b = rotate_right_24(_mm256_xor_si256(*b, *c));
    *a = blamka(*a, *b);
    *d = rotate_right_16(_mm256_xor_si256(*d, *a));
    *c = blamka(*c, *d);
    *b = rotate_right_63(_mm256_xor_si256(*b, *c));
}

/// x + y + 2 * lo32(x) * lo32(y) in each lane; `mul_epu32` multiplies the low 32 bits.
#[inline]
#[target_feature(enable = "avx2")]
fn blamka(x: __m256i, y: __m256i) -> __m256i {
    let product = _mm256_mul_epu32(x, y);
    _mm256_add_epi64(_mm256_add_epi64(x, y), _mm256_add_epi64(product, product))
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_32(x: __m256i) -> __m256i {
    // Swaps the two 32-bit halves of each word.
    _mm256_shuffle_epi32::<0b10_11_00_01>(x)
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_24(x: __m256i) -> __m256i {
    let bytes = _mm256_setr_epi8(
        3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13,
        14, 15, 8, 9, 10,
    );
    _mm256_shuffle_epi8(x, bytes)
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_16(x: __m256i) -> __m256i {
    let bytes = _mm256_setr_epi8(
        2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12,
        13, 14, 15, 8, 9,
    );
    _mm256_shuffle_epi8(x, bytes)
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_63(x: __m256i) -> __m256i {
    // A right rotation by 63 is a left rotation by 1: the top bit moves to the bottom.
    _mm256_xor_si256(_mm256_srli_epi64::<63>(x), _mm256_add_epi64(x, x))
}
