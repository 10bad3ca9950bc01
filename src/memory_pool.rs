//! Argon2 memory matrices shared by all threads of a verifier, and the limit on how many Argon2
//! computations run at once.
//!
//! A computation takes a permit and a matrix, and returns both when it ends. At most `limit`
//! matrices exist, so peak Argon2 memory is `limit` times the largest memory cost verified (up
//! to the retention bound below), whatever the number of threads calling in.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use zeroize::Zeroize;

use crate::argon2_fill::{Matrix, ZeroableBlock};
use crate::scheme::argon2::MatrixBlock;

/// The largest matrix, in blocks, that the pool keeps between computations: 64 MiB. A larger
/// stored hash gets its matrix for one computation only.
const RETAINED_BLOCKS: usize = 65_536;

/// A bounded pool of Argon2 memory matrices of blocks `B`, by default those of the Argon2
/// implementation the engine hashes with.
pub(crate) struct MemoryPool<B: ZeroableBlock = MatrixBlock> {
    limit: usize,
    state: Mutex<PoolState<B>>,
    released: Condvar,
}

struct PoolState<B: ZeroableBlock> {
    in_use: usize,
    free: Vec<Matrix<B>>,
}

impl<B: ZeroableBlock> std::fmt::Debug for MemoryPool<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryPool")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl<B: ZeroableBlock> MemoryPool<B> {
    /// Creates a pool that lets at most `limit` computations run at once; 0 is read as 1.
    pub(crate) fn new(limit: usize) -> Self {
        MemoryPool {
            limit: limit.max(1),
            state: Mutex::new(PoolState {
                in_use: 0,
                free: Vec::new(),
            }),
            released: Condvar::new(),
        }
    }

    /// Returns the maximum number of computations that run at once.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    fn lock(&self) -> MutexGuard<'_, PoolState<B>> {
        // The state stays consistent under a panic (the guard below restores it), so a poisoned
        // lock is safe to keep using.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a permit, then runs `work` on a matrix of exactly `blocks` blocks. With `wipe`
    /// the matrix is zeroed afterwards, before another computation can take it.
    pub(crate) fn with_matrix<R>(
        &self,
        blocks: usize,
        wipe: bool,
        work: impl FnOnce(&mut [B]) -> R,
    ) -> R {
        let mut state = self.lock();
        while state.in_use >= self.limit {
            state = self
                .released
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.in_use += 1;
        let matrix = state.free.pop().unwrap_or_default();
        drop(state);

        let mut permit = Permit { pool: self, matrix };
        if permit.matrix.len() < blocks {
            // A fresh matrix: the smaller one is unmapped when it is replaced.
            permit.matrix = Matrix::zeroed(blocks);
        }
        let result = work(&mut permit.matrix[..blocks]);
        if wipe {
            permit.matrix[..blocks]
                .iter_mut()
                .for_each(Zeroize::zeroize);
        }
        result
    }
}

/// A running computation's permit and matrix, handed back on drop, a panic included.
struct Permit<'a, B: ZeroableBlock> {
    pool: &'a MemoryPool<B>,
    matrix: Matrix<B>,
}

impl<B: ZeroableBlock> Drop for Permit<'_, B> {
    fn drop(&mut self) {
        let matrix = std::mem::take(&mut self.matrix);
        let mut state = self.pool.lock();
        state.in_use -= 1;
        if matrix.len() <= RETAINED_BLOCKS {
            state.free.push(matrix);
        }
        drop(state);
        self.pool.released.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn limit_caps_running_work() {
        let pool = Arc::new(MemoryPool::<MatrixBlock>::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (pool, running, peak) = (pool.clone(), running.clone(), peak.clone());
                std::thread::spawn(move || {
                    pool.with_matrix(8, true, |_| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    });
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("worker");
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert!(pool.lock().free.len() <= 2);
    }

    #[test]
    fn panic_returns_permit() {
        let pool = MemoryPool::<MatrixBlock>::new(1);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.with_matrix(8, false, |_| panic!("work failed"));
        }));
        assert!(caught.is_err());
        assert_eq!(pool.lock().in_use, 0);
        assert_eq!(pool.with_matrix(8, false, |matrix| matrix.len()), 8);
    }

    fn leftover_after<B>(wipe: bool) -> Vec<u64>
    where
        B: ZeroableBlock + AsRef<[u64]> + AsMut<[u64]>,
    {
        let pool = MemoryPool::<B>::new(1);
        pool.with_matrix(8, wipe, |matrix| matrix[3].as_mut().fill(7));
        pool.with_matrix(8, false, |matrix| matrix[3].as_ref().to_vec())
    }

    #[test]
    fn wipe_zeroes_matrix() {
        let own = leftover_after::<crate::argon2_fill::Block>(true);
        assert!(own.iter().all(|&word| word == 0), "own blocks");
        let reference = leftover_after::<argon2::Block>(true);
        assert!(
            reference.iter().all(|&word| word == 0),
            "argon2 crate blocks"
        );
    }

    #[test]
    fn no_wipe_keeps_matrix() {
        let own = leftover_after::<crate::argon2_fill::Block>(false);
        assert!(
            own.iter().all(|&word| word == 7),
            "the reused matrix is the same"
        );
    }

    #[test]
    fn wipe_covers_whole_matrix() {
        // Just over one 2 MiB huge page, so the matrix has a huge and a small page part.
        let blocks = 2049;
        let pool = MemoryPool::<crate::argon2_fill::Block>::new(1);
        pool.with_matrix(blocks, true, |matrix| {
            matrix.iter_mut().for_each(|block| block.as_mut().fill(7));
        });
        let nonzero = pool.with_matrix(blocks, false, |matrix| {
            matrix
                .iter()
                .position(|block| block.as_ref().iter().any(|&word| word != 0))
        });
        assert_eq!(nonzero, None, "first block left unwiped");
    }

    #[test]
    fn larger_request_replaces_matrix() {
        let pool = MemoryPool::<crate::argon2_fill::Block>::new(1);
        pool.with_matrix(8, false, |matrix| matrix[7].as_mut().fill(7));
        let (len, nonzero) = pool.with_matrix(2049, false, |matrix| {
            let nonzero = matrix
                .iter()
                .position(|block| block.as_ref().iter().any(|&word| word != 0));
            (matrix.len(), nonzero)
        });
        assert_eq!(len, 2049);
        assert_eq!(nonzero, None, "the new matrix starts zeroed");
        assert_eq!(pool.lock().free.len(), 1, "the smaller matrix is freed");
    }
}
