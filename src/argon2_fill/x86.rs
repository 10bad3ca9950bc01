//! The compression function G with AVX2 or AVX-512 instructions.
//!
//! G applies the permutation P to the eight rows of a block (16 consecutive words each), then
//! to its eight columns (the word pairs 2i, 2i+1 of every row). P mixes a 4x4 word matrix
//! v0..v15 first by columns, (v0, v4, v8, v12) and so on, then by diagonals, (v0, v5, v10,
//! v15) and so on. Both kernels run those mixes on whole vectors, one matrix per 256-bit or
//! 128-bit lane group, as described at [`compress_avx2`] and [`compress_avx512`].

use core::arch::x86_64::{
    __m256i, __m512i, _MM_HINT_T0, _mm_cvtsi128_si64, _mm_prefetch, _mm256_add_epi64,
    _mm256_alignr_epi8, _mm256_castsi256_si128, _mm256_loadu_si256, _mm256_mul_epu32,
    _mm256_permute4x64_epi64, _mm256_setr_epi8, _mm256_setzero_si256, _mm256_shuffle_epi8,
    _mm256_shuffle_epi32, _mm256_srli_epi64, _mm256_storeu_si256, _mm256_xor_si256,
    _mm512_add_epi64, _mm512_alignr_epi8, _mm512_castsi512_si128, _mm512_loadu_si512,
    _mm512_mul_epu32, _mm512_permutex_epi64, _mm512_ror_epi64, _mm512_setzero_si512,
    _mm512_shuffle_i64x2, _mm512_storeu_si512, _mm512_ternarylogic_epi64, _mm512_xor_si512,
};

use super::{BLOCK_WORDS, Block};

/// 256-bit vectors in a block.
const VECTORS_256: usize = BLOCK_WORDS / 4;

/// 512-bit vectors in a block.
const VECTORS_512: usize = BLOCK_WORDS / 8;

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

    /// Computes G(x, y) into `out`, or G(x, y) XOR `out` into `out` when `xor_into` is set,
    /// and passes the first word of the result to `on_first_word` as soon as it is final.
    pub(super) fn compress(
        self,
        x: &Block,
        y: &Block,
        out: &mut Block,
        xor_into: bool,
        on_first_word: &mut dyn FnMut(u64),
    ) {
        // SAFETY: a value of `Avx2` exists only if `detect` found AVX2 on this CPU, the one
        // target feature `compress_avx2` enables.
        unsafe { compress_avx2(x, y, out, xor_into, on_first_word) }
    }

    /// Zeroes `block` with volatile 32-byte stores.
    pub(super) fn wipe(self, block: &mut Block) {
        // SAFETY: as in `compress`, this CPU has AVX2.
        unsafe { wipe_avx2(block) }
    }
}

/// Proof that this CPU supports AVX-512F and AVX-512BW: a value exists only after a successful
/// run-time check.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx512 {
    _checked: (),
}

impl Avx512 {
    /// Returns a token if this CPU supports AVX-512F and AVX-512BW.
    pub(crate) fn detect() -> Option<Avx512> {
        let supported =
            std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw");
        supported.then_some(Avx512 { _checked: () })
    }

    /// Computes G(x, y) into `out`, or G(x, y) XOR `out` into `out` when `xor_into` is set,
    /// and passes the first word of the result to `on_first_word` as soon as it is final.
    pub(super) fn compress(
        self,
        x: &Block,
        y: &Block,
        out: &mut Block,
        xor_into: bool,
        on_first_word: &mut dyn FnMut(u64),
    ) {
        // SAFETY: a value of `Avx512` exists only if `detect` found AVX-512F and AVX-512BW on
        // this CPU, the target features `compress_avx512` enables.
        unsafe { compress_avx512(x, y, out, xor_into, on_first_word) }
    }

    /// Zeroes `block` with volatile 64-byte stores.
    pub(super) fn wipe(self, block: &mut Block) {
        // SAFETY: as in `compress`, this CPU has AVX-512F.
        unsafe { wipe_avx512(block) }
    }
}

/// Asks the CPU to load the 16 cache lines of the block at `block`. Prefetching never faults,
/// whatever the address.
pub(super) fn prefetch(block: *const Block) {
    let bytes = block.cast::<i8>();
    for line in 0..16 {
        // SAFETY: `_mm_prefetch` needs SSE, which every x86-64 CPU has, and a prefetch reads
        // nothing into the program and never faults, so the address may be anything.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(bytes.wrapping_add(64 * line)) };
    }
}

/// Loads words 4i..4i+3 of `block`.
#[inline]
#[target_feature(enable = "avx2")]
fn load_256(block: &Block, i: usize) -> __m256i {
    let words = &block.0[4 * i..4 * i + 4];
    // SAFETY: `words` is four initialised `u64`, 32 readable bytes, and the unaligned load has
    // no alignment requirement.
    unsafe { _mm256_loadu_si256(words.as_ptr().cast()) }
}

/// Stores `vector` as words 4i..4i+3 of `block`.
#[inline]
#[target_feature(enable = "avx2")]
fn store_256(block: &mut Block, i: usize, vector: __m256i) {
    let words = &mut block.0[4 * i..4 * i + 4];
    // SAFETY: `words` is four `u64` borrowed mutably, 32 writable bytes, and the unaligned store
    // has no alignment requirement.
    unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast(), vector) }
}

/// G with AVX2. Vector `i` contains words 4i..4i+3, so row `r` is vectors 4r..4r+3, one vector
/// per matrix row (v0..v3, v4..v7, ...), and the column mixes run lane by lane. For the
/// diagonals, three vectors rotate by one, two and three lanes. Columns 2k and 2k+1 together
/// are vectors k, k+4, ..., k+28, and each 128-bit half of those contains one column's word pair.
#[target_feature(enable = "avx2")]
fn compress_avx2(
    x: &Block,
    y: &Block,
    out: &mut Block,
    xor_into: bool,
    on_first_word: &mut dyn FnMut(u64),
) {
    let mut q = [_mm256_xor_si256(load_256(x, 0), load_256(y, 0)); VECTORS_256];
    for (i, vector) in q.iter_mut().enumerate().skip(1) {
        *vector = _mm256_xor_si256(load_256(x, i), load_256(y, i));
    }

    round_row_256(&mut q, 0);
    round_row_256(&mut q, 4);
    round_row_256(&mut q, 8);
    round_row_256(&mut q, 12);
    round_row_256(&mut q, 16);
    round_row_256(&mut q, 20);
    round_row_256(&mut q, 24);
    round_row_256(&mut q, 28);
    round_column_pair_256(&mut q, 0);
    // Column pair 0 contains word 0, which is now final.
    let mut first = _mm256_xor_si256(q[0], _mm256_xor_si256(load_256(x, 0), load_256(y, 0)));
    if xor_into {
        first = _mm256_xor_si256(first, load_256(out, 0));
    }
    on_first_word(_mm_cvtsi128_si64(_mm256_castsi256_si128(first)) as u64);
    round_column_pair_256(&mut q, 1);
    round_column_pair_256(&mut q, 2);
    round_column_pair_256(&mut q, 3);

    // G's result is P(R) XOR R, where R = x XOR y is reloaded rather than kept in registers.
    for (i, vector) in q.iter().enumerate() {
        let r = _mm256_xor_si256(load_256(x, i), load_256(y, i));
        let mut result = _mm256_xor_si256(*vector, r);
        if xor_into {
            result = _mm256_xor_si256(result, load_256(out, i));
        }
        store_256(out, i, result);
    }
}

/// Applies P to the row held by vectors `base`..`base + 3`.
#[inline]
#[target_feature(enable = "avx2")]
fn round_row_256(q: &mut [__m256i; VECTORS_256], base: usize) {
    let (mut a, mut b, mut c, mut d) = (q[base], q[base + 1], q[base + 2], q[base + 3]);
    mix_256(&mut a, &mut b, &mut c, &mut d);
    // Lane i of b, c and d moves to lane i - 1, i - 2 and i - 3, so that lane 0 contains the
    // diagonal (v0, v5, v10, v15), lane 1 (v1, v6, v11, v12), and so on.
    b = _mm256_permute4x64_epi64::<0b00_11_10_01>(b);
    c = _mm256_permute4x64_epi64::<0b01_00_11_10>(c);
    d = _mm256_permute4x64_epi64::<0b10_01_00_11>(d);
    mix_256(&mut a, &mut b, &mut c, &mut d);
    b = _mm256_permute4x64_epi64::<0b10_01_00_11>(b);
    c = _mm256_permute4x64_epi64::<0b01_00_11_10>(c);
    d = _mm256_permute4x64_epi64::<0b00_11_10_01>(d);
    (q[base], q[base + 1], q[base + 2], q[base + 3]) = (a, b, c, d);
}

/// Applies P to columns 2 * `pair` and 2 * `pair` + 1, held by vectors `pair`, `pair` + 4, ...
#[inline]
#[target_feature(enable = "avx2")]
fn round_column_pair_256(q: &mut [__m256i; VECTORS_256], pair: usize) {
    // In each 128-bit half: a0 = (v0, v1), a1 = (v2, v3), b0 = (v4, v5), ... d1 = (v14, v15).
    let mut a0 = q[pair];
    let mut a1 = q[pair + 4];
    let mut b0 = q[pair + 8];
    let mut b1 = q[pair + 12];
    let mut c0 = q[pair + 16];
    let mut c1 = q[pair + 20];
    let mut d0 = q[pair + 24];
    let mut d1 = q[pair + 28];
    mix_256(&mut a0, &mut b0, &mut c0, &mut d0);
    mix_256(&mut a1, &mut b1, &mut c1, &mut d1);

    // The diagonals of (v0, v1) take (v5, v6), (v10, v11), (v15, v12), and those of (v2, v3)
    // take (v7, v4), (v8, v9), (v13, v14). alignr::<8>(high, low) is (low's upper word,
    // high's lower word) in each 128-bit half.
    let mut b0_diagonal = _mm256_alignr_epi8::<8>(b1, b0);
    let mut b1_diagonal = _mm256_alignr_epi8::<8>(b0, b1);
    let mut d0_diagonal = _mm256_alignr_epi8::<8>(d0, d1);
    let mut d1_diagonal = _mm256_alignr_epi8::<8>(d1, d0);
    mix_256(&mut a0, &mut b0_diagonal, &mut c1, &mut d0_diagonal);
    mix_256(&mut a1, &mut b1_diagonal, &mut c0, &mut d1_diagonal);
    b0 = _mm256_alignr_epi8::<8>(b0_diagonal, b1_diagonal);
    b1 = _mm256_alignr_epi8::<8>(b1_diagonal, b0_diagonal);
    d0 = _mm256_alignr_epi8::<8>(d1_diagonal, d0_diagonal);
    d1 = _mm256_alignr_epi8::<8>(d0_diagonal, d1_diagonal);

    q[pair] = a0;
    q[pair + 4] = a1;
    q[pair + 8] = b0;
    q[pair + 12] = b1;
    q[pair + 16] = c0;
    q[pair + 20] = c1;
    q[pair + 24] = d0;
    q[pair + 28] = d1;
}

/// GB on four lanes at once.
#[inline]
#[target_feature(enable = "avx2")]
fn mix_256(a: &mut __m256i, b: &mut __m256i, c: &mut __m256i, d: &mut __m256i) {
    *a = blamka_256(*a, *b);
    *d = rotate_right_32_256(_mm256_xor_si256(*d, *a));
    *c = blamka_256(*c, *d);
    *b = rotate_right_24_256(_mm256_xor_si256(*b, *c));
    *a = blamka_256(*a, *b);
    *d = rotate_right_16_256(_mm256_xor_si256(*d, *a));
    *c = blamka_256(*c, *d);
    *b = rotate_right_63_256(_mm256_xor_si256(*b, *c));
}

/// x + y + 2 * lo32(x) * lo32(y) in each lane; `mul_epu32` multiplies the low 32 bits.
#[inline]
#[target_feature(enable = "avx2")]
fn blamka_256(x: __m256i, y: __m256i) -> __m256i {
    let product = _mm256_mul_epu32(x, y);
    _mm256_add_epi64(_mm256_add_epi64(x, y), _mm256_add_epi64(product, product))
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_32_256(x: __m256i) -> __m256i {
    // Swaps the two 32-bit halves of each word.
    _mm256_shuffle_epi32::<0b10_11_00_01>(x)
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_24_256(x: __m256i) -> __m256i {
    let bytes = _mm256_setr_epi8(
        3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13,
        14, 15, 8, 9, 10,
    );
    _mm256_shuffle_epi8(x, bytes)
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_16_256(x: __m256i) -> __m256i {
    let bytes = _mm256_setr_epi8(
        2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12,
        13, 14, 15, 8, 9,
    );
    _mm256_shuffle_epi8(x, bytes)
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotate_right_63_256(x: __m256i) -> __m256i {
    // A right rotation by 63 is a left rotation by 1: the top bit moves to the bottom.
    _mm256_xor_si256(_mm256_srli_epi64::<63>(x), _mm256_add_epi64(x, x))
}

#[target_feature(enable = "avx2")]
fn wipe_avx2(block: &mut Block) {
    let zero = _mm256_setzero_si256();
    for i in 0..VECTORS_256 {
        let words = &mut block.0[4 * i..4 * i + 4];
        // SAFETY: `words` is four `u64` borrowed mutably, 32 writable bytes at a multiple of
        // 32 bytes from the start of a 64-byte aligned block, so aligned for `__m256i`.
        unsafe { core::ptr::write_volatile(words.as_mut_ptr().cast::<__m256i>(), zero) };
    }
}

#[target_feature(enable = "avx512f")]
fn wipe_avx512(block: &mut Block) {
    let zero = _mm512_setzero_si512();
    for i in 0..VECTORS_512 {
        let words = &mut block.0[8 * i..8 * i + 8];
        // SAFETY: `words` is eight `u64` borrowed mutably, 64 writable bytes at a multiple of
        // 64 bytes from the start of a 64-byte aligned block, so aligned for `__m512i`.
        unsafe { core::ptr::write_volatile(words.as_mut_ptr().cast::<__m512i>(), zero) };
    }
}

/// Loads words 8i..8i+7 of `block`.
#[inline]
#[target_feature(enable = "avx512f")]
fn load_512(block: &Block, i: usize) -> __m512i {
    let words = &block.0[8 * i..8 * i + 8];
    // SAFETY: `words` is eight initialised `u64`, 64 readable bytes, and the unaligned load has
    // no alignment requirement.
    unsafe { _mm512_loadu_si512(words.as_ptr().cast()) }
}

/// Stores `vector` as words 8i..8i+7 of `block`.
#[inline]
#[target_feature(enable = "avx512f")]
fn store_512(block: &mut Block, i: usize, vector: __m512i) {
    let words = &mut block.0[8 * i..8 * i + 8];
    // SAFETY: `words` is eight `u64` borrowed mutably, 64 writable bytes, and the unaligned
    // store has no alignment requirement.
    unsafe { _mm512_storeu_si512(words.as_mut_ptr().cast(), vector) }
}

/// G with AVX-512. Vector `i` contains words 8i..8i+7, so row `r` is vectors 2r and 2r+1. Two
/// rows at a time are regrouped into four vectors with one matrix row of each row in either
/// 256-bit half, and then mixed as in [`compress_avx2`]. The 128-bit lanes of the even
/// vectors are columns 0..3 and those of the odd vectors columns 4..7, so the column rounds
/// need no regrouping, only the word swaps inside 128-bit lanes of the AVX2 version.
#[target_feature(enable = "avx512f,avx512bw")]
fn compress_avx512(
    x: &Block,
    y: &Block,
    out: &mut Block,
    xor_into: bool,
    on_first_word: &mut dyn FnMut(u64),
) {
    let mut q = [_mm512_xor_si512(load_512(x, 0), load_512(y, 0)); VECTORS_512];
    for (i, vector) in q.iter_mut().enumerate().skip(1) {
        *vector = _mm512_xor_si512(load_512(x, i), load_512(y, i));
    }

    round_row_pair_512(&mut q, 0);
    round_row_pair_512(&mut q, 4);
    round_row_pair_512(&mut q, 8);
    round_row_pair_512(&mut q, 12);
    round_columns_512(&mut q, 0);
    // The even vectors hold word 0, which is now final.
    let mut first = _mm512_ternarylogic_epi64::<0x96>(q[0], load_512(x, 0), load_512(y, 0));
    if xor_into {
        first = _mm512_xor_si512(first, load_512(out, 0));
    }
    on_first_word(_mm_cvtsi128_si64(_mm512_castsi512_si128(first)) as u64);
    round_columns_512(&mut q, 1);

    // Ternary logic 0x96 is the XOR of all three operands.
    for (i, vector) in q.iter().enumerate() {
        let mut result = _mm512_ternarylogic_epi64::<0x96>(*vector, load_512(x, i), load_512(y, i));
        if xor_into {
            result = _mm512_xor_si512(result, load_512(out, i));
        }
        store_512(out, i, result);
    }
}

/// Applies P to the two rows held by vectors `base`..`base + 3`.
#[inline]
#[target_feature(enable = "avx512f")]
fn round_row_pair_512(q: &mut [__m512i; VECTORS_512], base: usize) {
    // Vector base contains (v0..v3, v4..v7) of the first row and base + 2 the same of the second.
    // shuffle_i64x2 picks 128-bit lanes 0, 1 (0x44) or 2, 3 (0xEE) of each operand.
    let mut a = _mm512_shuffle_i64x2::<0x44>(q[base], q[base + 2]);
    let mut b = _mm512_shuffle_i64x2::<0xEE>(q[base], q[base + 2]);
    let mut c = _mm512_shuffle_i64x2::<0x44>(q[base + 1], q[base + 3]);
    let mut d = _mm512_shuffle_i64x2::<0xEE>(q[base + 1], q[base + 3]);
    mix_512(&mut a, &mut b, &mut c, &mut d);
    // permutex moves words inside each 256-bit half, as permute4x64 does in the AVX2 version.
    b = _mm512_permutex_epi64::<0b00_11_10_01>(b);
    c = _mm512_permutex_epi64::<0b01_00_11_10>(c);
    d = _mm512_permutex_epi64::<0b10_01_00_11>(d);
    mix_512(&mut a, &mut b, &mut c, &mut d);
    b = _mm512_permutex_epi64::<0b10_01_00_11>(b);
    c = _mm512_permutex_epi64::<0b01_00_11_10>(c);
    d = _mm512_permutex_epi64::<0b00_11_10_01>(d);
    q[base] = _mm512_shuffle_i64x2::<0x44>(a, b);
    q[base + 2] = _mm512_shuffle_i64x2::<0xEE>(a, b);
    q[base + 1] = _mm512_shuffle_i64x2::<0x44>(c, d);
    q[base + 3] = _mm512_shuffle_i64x2::<0xEE>(c, d);
}

/// Applies P to columns 0..3 (`group` 0, the even vectors) or 4..7 (`group` 1, the odd ones).
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn round_columns_512(q: &mut [__m512i; VECTORS_512], group: usize) {
    // As in `round_column_pair_256`, with one column in each 128-bit lane.
    let mut a0 = q[group];
    let mut a1 = q[group + 2];
    let mut b0 = q[group + 4];
    let mut b1 = q[group + 6];
    let mut c0 = q[group + 8];
    let mut c1 = q[group + 10];
    let mut d0 = q[group + 12];
    let mut d1 = q[group + 14];
    mix_512(&mut a0, &mut b0, &mut c0, &mut d0);
    mix_512(&mut a1, &mut b1, &mut c1, &mut d1);

    let mut b0_diagonal = _mm512_alignr_epi8::<8>(b1, b0);
    let mut b1_diagonal = _mm512_alignr_epi8::<8>(b0, b1);
    let mut d0_diagonal = _mm512_alignr_epi8::<8>(d0, d1);
    let mut d1_diagonal = _mm512_alignr_epi8::<8>(d1, d0);
    mix_512(&mut a0, &mut b0_diagonal, &mut c1, &mut d0_diagonal);
    mix_512(&mut a1, &mut b1_diagonal, &mut c0, &mut d1_diagonal);
    b0 = _mm512_alignr_epi8::<8>(b0_diagonal, b1_diagonal);
    b1 = _mm512_alignr_epi8::<8>(b1_diagonal, b0_diagonal);
    d0 = _mm512_alignr_epi8::<8>(d1_diagonal, d0_diagonal);
    d1 = _mm512_alignr_epi8::<8>(d0_diagonal, d1_diagonal);

    q[group] = a0;
    q[group + 2] = a1;
    q[group + 4] = b0;
    q[group + 6] = b1;
    q[group + 8] = c0;
    q[group + 10] = c1;
    q[group + 12] = d0;
    q[group + 14] = d1;
}

/// GB on eight lanes at once, with AVX-512's 64-bit rotations.
#[inline]
#[target_feature(enable = "avx512f")]
fn mix_512(a: &mut __m512i, b: &mut __m512i, c: &mut __m512i, d: &mut __m512i) {
    *a = blamka_512(*a, *b);
    *d = _mm512_ror_epi64::<32>(_mm512_xor_si512(*d, *a));
    *c = blamka_512(*c, *d);
    *b = _mm512_ror_epi64::<24>(_mm512_xor_si512(*b, *c));
    *a = blamka_512(*a, *b);
    *d = _mm512_ror_epi64::<16>(_mm512_xor_si512(*d, *a));
    *c = blamka_512(*c, *d);
    *b = _mm512_ror_epi64::<63>(_mm512_xor_si512(*b, *c));
}

/// x + y + 2 * lo32(x) * lo32(y) in each lane.
#[inline]
#[target_feature(enable = "avx512f")]
fn blamka_512(x: __m512i, y: __m512i) -> __m512i {
    let product = _mm512_mul_epu32(x, y);
    _mm512_add_epi64(_mm512_add_epi64(x, y), _mm512_add_epi64(product, product))
}
