//! Zeroed memory for Argon2 matrices.
//!
//! On Linux a matrix is an anonymous private mapping, which the kernel hands out zeroed. A
//! matrix of 2 MiB or more is aligned to 2 MiB, marked `MADV_HUGEPAGE` and pre-faulted with
//! `MADV_POPULATE_WRITE`. Where transparent huge pages are enabled (`always` or `madvise`), the
//! kernel then backs it with 2 MiB pages in one call. That replaces a page fault for every 4 KiB
//! the fill first touches, and the fill's reads miss the TLB less often. Elsewhere, and when the
//! mapping fails, a matrix is a `Vec` of zeroed blocks.

use std::ops::{Deref, DerefMut};

use zeroize::Zeroize;

/// A 1 KiB block type of an Argon2 memory matrix whose all-zero bytes are a valid value, so
/// that a matrix can start on memory the kernel zeroed. Implemented only in this module, for
/// the two block types below.
pub(crate) trait ZeroableBlock: sealed::Sealed + Clone + Default + Zeroize + Send {}

mod sealed {
    pub trait Sealed {}
}

/// Fails to compile unless `B` is 1 KiB of 64-byte-aligned data, the layout the mapping code
/// relies on.
const fn check_layout<B>() {
    assert!(size_of::<B>() == super::BLOCK_BYTES);
    assert!(align_of::<B>() == 64);
}

// `Block` is `[u64; 128]`, so zero bytes are the zero block.
const _: () = check_layout::<super::Block>();
impl sealed::Sealed for super::Block {}
impl ZeroableBlock for super::Block {}

// `argon2::Block` 0.6 is `[u64; 128]` with `repr(align(64))`, so zero bytes are its zero block.
const _: () = check_layout::<argon2::Block>();
impl sealed::Sealed for argon2::Block {}
impl ZeroableBlock for argon2::Block {}

/// An Argon2 memory matrix of zeroed blocks, freed on drop. It does not wipe itself: callers
/// that wipe do it before dropping or reusing it.
pub(crate) struct Matrix<B: ZeroableBlock> {
    storage: Storage<B>,
}

enum Storage<B> {
    #[cfg(target_os = "linux")]
    Mapped(linux::Mapping<B>),
    Heap(Vec<B>),
}

impl<B: ZeroableBlock> Matrix<B> {
    /// Allocates a matrix of `len` zero blocks: a mapping on Linux, or a `Vec` where the
    /// mapping fails or on other systems.
    pub(crate) fn zeroed(len: usize) -> Self {
        #[cfg(target_os = "linux")]
        if let Some(mapping) = linux::Mapping::new(len) {
            return Matrix {
                storage: Storage::Mapped(mapping),
            };
        }
        Matrix {
            storage: Storage::Heap(vec![B::default(); len]),
        }
    }

    /// Returns whether the blocks lie in a mapping of their own rather than on the heap.
    #[cfg(test)]
    pub(crate) fn is_mapped(&self) -> bool {
        match &self.storage {
            #[cfg(target_os = "linux")]
            Storage::Mapped(_) => true,
            Storage::Heap(_) => false,
        }
    }
}

impl<B: ZeroableBlock> Default for Matrix<B> {
    /// Returns a matrix of no blocks, which allocates nothing.
    fn default() -> Self {
        Matrix {
            storage: Storage::Heap(Vec::new()),
        }
    }
}

impl<B: ZeroableBlock> Deref for Matrix<B> {
    type Target = [B];

    fn deref(&self) -> &[B] {
        match &self.storage {
            #[cfg(target_os = "linux")]
            Storage::Mapped(mapping) => mapping.as_slice(),
            Storage::Heap(blocks) => blocks,
        }
    }
}

impl<B: ZeroableBlock> DerefMut for Matrix<B> {
    fn deref_mut(&mut self) -> &mut [B] {
        match &mut self.storage {
            #[cfg(target_os = "linux")]
            Storage::Mapped(mapping) => mapping.as_mut_slice(),
            Storage::Heap(blocks) => blocks,
        }
    }
}

impl<B: ZeroableBlock> std::fmt::Debug for Matrix<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The blocks are derived from a password, so only the size is printed.
        f.debug_struct("Matrix")
            .field("blocks", &self.len())
            .finish_non_exhaustive()
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::ptr::{self, NonNull};

    use super::ZeroableBlock;

    /// Size of a transparent huge page on x86-64 and on arm64 with 4 KiB pages.
    pub(super) const HUGE_PAGE_BYTES: usize = 2 << 20;

    /// An anonymous private mapping of `len` blocks starting at `start`, `bytes` long.
    pub(super) struct Mapping<B> {
        start: NonNull<B>,
        len: usize,
        bytes: usize,
    }

    // SAFETY: a `Mapping` owns its pages alone, like a `Vec<B>` owns its buffer, so moving it
    // to another thread is sound whenever moving the blocks is.
    unsafe impl<B: Send> Send for Mapping<B> {}

    impl<B: ZeroableBlock> Mapping<B> {
        /// Maps `len` zero blocks, or returns `None` for no blocks or when `mmap` fails.
        pub(super) fn new(len: usize) -> Option<Self> {
            let bytes = len.checked_mul(size_of::<B>())?;
            if bytes == 0 {
                return None;
            }
            let (start, bytes) = if bytes >= HUGE_PAGE_BYTES {
                map_huge_aligned(bytes)?
            } else {
                (map_anonymous(bytes)?, bytes)
            };
            Some(Mapping {
                start: start.cast(),
                len,
                bytes,
            })
        }

        pub(super) fn as_slice(&self) -> &[B] {
            // SAFETY: `start` points to `bytes` readable and writable bytes that this value
            // alone owns, zeroed by the kernel at mapping time and written since only as `B`
            // values. The mapping is page-aligned, which satisfies `B`'s 64-byte alignment, and
            // `len * size_of::<B>() == bytes`. All-zero bytes are a valid `B` (`ZeroableBlock`).
            unsafe { std::slice::from_raw_parts(self.start.as_ptr(), self.len) }
        }

        pub(super) fn as_mut_slice(&mut self) -> &mut [B] {
            // SAFETY: as in `as_slice`, and `&mut self` makes this the only borrow of the
            // blocks.
            unsafe { std::slice::from_raw_parts_mut(self.start.as_ptr(), self.len) }
        }
    }

    impl<B> Drop for Mapping<B> {
        fn drop(&mut self) {
            // SAFETY: `start` and `bytes` describe a mapping made by `map_anonymous` or
            // `map_huge_aligned` that nothing else unmaps, and no borrow of the blocks outlives
            // `self`. Both `ZeroableBlock` types are `Copy`, so no block needs dropping.
            let result = unsafe { libc::munmap(self.start.as_ptr().cast(), self.bytes) };
            // A failure here would leak the pages, not corrupt memory, so release builds ignore it.
            debug_assert_eq!(result, 0, "munmap of an Argon2 matrix failed");
        }
    }

    /// Maps `bytes` bytes of zeroed, readable and writable anonymous memory.
    fn map_anonymous(bytes: usize) -> Option<NonNull<libc::c_void>> {
        // SAFETY: an anonymous private mapping at an address the kernel picks touches no
        // memory this process already uses. The result is checked before use.
        let address = unsafe {
            libc::mmap(
                ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if address == libc::MAP_FAILED {
            return None;
        }
        NonNull::new(address)
    }

    /// Maps `bytes` bytes as in `map_anonymous`, starting at a multiple of 2 MiB, requests
    /// transparent huge pages and faults the pages in. Returns the start and the length of the
    /// mapping, `bytes` rounded up to the page size.
    ///
    /// The kernel may still back the range with 4 KiB pages, for example where huge pages are
    /// disabled, and older kernels (before 5.14) reject the pre-faulting. The matrix works the
    /// same either way, only slower.
    fn map_huge_aligned(bytes: usize) -> Option<(NonNull<libc::c_void>, usize)> {
        // Map 2 MiB more than needed, then unmap the unaligned head and the unused tail.
        let mapped_len = bytes.checked_next_multiple_of(page_size())?;
        let padded = mapped_len.checked_add(HUGE_PAGE_BYTES)?;
        let base = map_anonymous(padded)?;
        // `base` is page-aligned and 2 MiB is a multiple of the page size, so `head` is a
        // multiple of the page size below 2 MiB, and `mapped_len` bytes from `start` fit in
        // `padded`.
        let head = base.as_ptr().align_offset(HUGE_PAGE_BYTES);
        let tail = padded - head - mapped_len;
        let start = base.as_ptr().wrapping_byte_add(head);

        // SAFETY: both ranges lie inside the mapping made above, which nothing else uses yet,
        // and start and end on page boundaries.
        unsafe {
            if head > 0 {
                libc::munmap(base.as_ptr(), head);
            }
            if tail > 0 {
                libc::munmap(start.wrapping_byte_add(mapped_len), tail);
            }
        }

        // The last partial 2 MiB of the range gets 4 KiB pages. Rounding `mapped_len` up to 2 MiB
        // would make it huge too, at the cost of up to 2 MiB more resident memory, and measured
        // no faster.
        // SAFETY: `start` is the first of `mapped_len` bytes of the mapping made above. Neither
        // advice changes the contents: MADV_HUGEPAGE chooses the page size, and
        // MADV_POPULATE_WRITE (Linux 5.14) faults in the zeroed pages now, as the first write
        // of the fill would. A failure of either leaves a working mapping, so it is ignored.
        unsafe {
            libc::madvise(start, mapped_len, libc::MADV_HUGEPAGE);
            libc::madvise(start, mapped_len, libc::MADV_POPULATE_WRITE);
        }
        Some((NonNull::new(start)?, mapped_len))
    }

    fn page_size() -> usize {
        // SAFETY: sysconf reads a configuration value and has no other effect.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(size).unwrap_or(4096)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::argon2_fill::Block;

    /// Blocks in one 2 MiB huge page.
    const HUGE_PAGE_BLOCKS: usize = 2048;

    /// Lengths below, at and around one and two huge pages, and the default policy's 19 MiB.
    const LENGTHS: [usize; 9] = [
        1,
        8,
        HUGE_PAGE_BLOCKS - 1,
        HUGE_PAGE_BLOCKS,
        HUGE_PAGE_BLOCKS + 1,
        2 * HUGE_PAGE_BLOCKS - 1,
        2 * HUGE_PAGE_BLOCKS,
        2 * HUGE_PAGE_BLOCKS + 3,
        19_456,
    ];

    fn is_zero(block: &Block) -> bool {
        block.as_ref().iter().all(|&word| word == 0)
    }

    #[test]
    fn zeroed_has_requested_len() {
        for len in LENGTHS {
            let matrix = Matrix::<Block>::zeroed(len);
            assert_eq!(matrix.len(), len, "len {len}");
            assert_eq!(matrix.is_mapped(), cfg!(target_os = "linux"), "len {len}");
        }
    }

    #[test]
    fn zeroed_contents_are_zero() {
        for len in LENGTHS {
            let matrix = Matrix::<Block>::zeroed(len);
            let nonzero = matrix.iter().position(|block| !is_zero(block));
            assert_eq!(nonzero, None, "len {len}: first nonzero block");
        }
    }

    #[test]
    fn every_block_is_writable() {
        for len in LENGTHS {
            let mut matrix = Matrix::<Block>::zeroed(len);
            for (index, block) in matrix.iter_mut().enumerate() {
                block.as_mut().fill(index as u64 + 1);
            }
            let last = matrix[len - 1].as_ref().to_vec();
            assert!(last.iter().all(|&word| word == len as u64), "len {len}");
        }
    }

    #[test]
    fn large_matrix_is_huge_page_aligned() {
        for len in LENGTHS.into_iter().filter(|&len| len >= HUGE_PAGE_BLOCKS) {
            let matrix = Matrix::<Block>::zeroed(len);
            let address = matrix.as_ptr() as usize;
            if cfg!(target_os = "linux") {
                assert_eq!(address % (2 << 20), 0, "len {len}");
            }
            assert_eq!(address % 64, 0, "len {len}");
        }
    }

    #[test]
    fn wipe_clears_every_block() {
        for len in [HUGE_PAGE_BLOCKS + 1, 19_456] {
            let mut matrix = Matrix::<Block>::zeroed(len);
            matrix.iter_mut().for_each(|block| block.as_mut().fill(7));
            matrix.iter_mut().for_each(Zeroize::zeroize);
            let nonzero = matrix.iter().position(|block| !is_zero(block));
            assert_eq!(nonzero, None, "len {len}: first nonzero block");
        }
    }

    #[test]
    fn reference_blocks_are_zeroed() {
        let matrix = Matrix::<argon2::Block>::zeroed(HUGE_PAGE_BLOCKS + 1);
        let nonzero = matrix
            .iter()
            .position(|block| block.as_ref().iter().any(|&word| word != 0));
        assert_eq!(nonzero, None);
    }

    #[test]
    fn empty_matrix_allocates_nothing() {
        let empty = Matrix::<Block>::zeroed(0);
        assert!(empty.is_empty());
        assert!(!empty.is_mapped());
        assert!(Matrix::<Block>::default().is_empty());
    }

    #[test]
    fn matrices_drop_across_threads() {
        let matrix = Matrix::<Block>::zeroed(HUGE_PAGE_BLOCKS + 1);
        let len = std::thread::spawn(move || matrix.len())
            .join()
            .expect("thread");
        assert_eq!(len, HUGE_PAGE_BLOCKS + 1);
    }
}
