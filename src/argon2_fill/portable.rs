//! The compression function G in portable Rust, RFC 9106 section 3.5.

use super::{BLOCK_WORDS, Block};

/// Computes G(x, y) into `out`, or G(x, y) XOR `out` into `out` when `xor_into` is set.
///
/// G XORs its inputs into R and applies the permutation P to each of the eight rows of R (16
/// consecutive words), then to each of its eight columns (word pairs 2i, 2i+1 of every row).
/// The result is that XOR R.
pub(super) fn compress(x: &Block, y: &Block, out: &mut Block, xor_into: bool) {
    let mut r = [0u64; BLOCK_WORDS];
    for (word, (a, b)) in r.iter_mut().zip(x.0.iter().zip(y.0.iter())) {
        *word = a ^ b;
    }

    let mut q = r;
    for row in 0..8 {
        let base = 16 * row;
        permute(&mut q, std::array::from_fn(|i| base + i));
    }
    for column in 0..8 {
        let base = 2 * column;
        permute(&mut q, std::array::from_fn(|i| base + 16 * (i / 2) + i % 2));
    }

    for (word, (q, r)) in out.0.iter_mut().zip(q.iter().zip(r.iter())) {
        *word = if xor_into { *word ^ q ^ r } else { q ^ r };
    }
}

/// Applies P, a BLAKE2b round without message words, to the 16 words of `q` at `index`, seen as
/// a 4x4 matrix: first to its columns, then to its diagonals.
#[inline(always)]
fn permute(q: &mut [u64; BLOCK_WORDS], index: [usize; 16]) {
    let mut v: [u64; 16] = std::array::from_fn(|i| q[index[i]]);
    mix(&mut v, 0, 4, 8, 12);
    mix(&mut v, 1, 5, 9, 13);
    mix(&mut v, 2, 6, 10, 14);
    mix(&mut v, 3, 7, 11, 15);
    mix(&mut v, 0, 5, 10, 15);
    mix(&mut v, 1, 6, 11, 12);
    mix(&mut v, 2, 7, 8, 13);
    mix(&mut v, 3, 4, 9, 14);
    for (i, &word) in index.iter().zip(v.iter()) {
        q[*i] = word;
    }
}

/// The function GB of RFC 9106: BLAKE2b's G with each addition replaced by [`blamka`].
#[inline(always)]
fn mix(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize) {
    v[a] = blamka(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = blamka(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = blamka(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = blamka(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

/// Returns x + y + 2 * lo32(x) * lo32(y) modulo 2^64, where lo32 keeps the low 32 bits.
#[inline(always)]
fn blamka(x: u64, y: u64) -> u64 {
    let product = (x & 0xFFFF_FFFF) * (y & 0xFFFF_FFFF);
    x.wrapping_add(y).wrapping_add(product.wrapping_mul(2))
}
