//! Wall-clock timing of a repeated operation: a warm-up, then samples of batched runs.

use std::time::{Duration, Instant};

/// Per-operation times over the samples, in nanoseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stats {
    pub(crate) samples: usize,
    /// Operations timed together in one sample.
    pub(crate) batch: u64,
    pub(crate) median_ns: f64,
    pub(crate) q1_ns: f64,
    pub(crate) q3_ns: f64,
    pub(crate) min_ns: f64,
    pub(crate) max_ns: f64,
}

impl Stats {
    /// Half the interquartile range as a percentage of the median.
    pub(crate) fn spread_percent(&self) -> f64 {
        if self.median_ns > 0.0 {
            (self.q3_ns - self.q1_ns) / 2.0 / self.median_ns * 100.0
        } else {
            0.0
        }
    }

    /// Operations per second on the one thread that ran them.
    pub(crate) fn per_second(&self) -> f64 {
        if self.median_ns > 0.0 {
            1e9 / self.median_ns
        } else {
            0.0
        }
    }
}

/// Times `operation`: one warm-up run, then `samples` samples of a batch of runs each.
///
/// The batch is sized from the warm-up so that one sample lasts at least `min_sample`, which
/// keeps the clock's resolution out of sub-microsecond operations. The first error stops the
/// measurement and is returned.
pub(crate) fn measure<E>(
    samples: usize,
    min_sample: Duration,
    mut operation: impl FnMut() -> Result<(), E>,
) -> Result<Stats, E> {
    let started = Instant::now();
    operation()?;
    let mut estimate = started.elapsed();

    // A single run of a fast operation is too short to size the batch from, so time more.
    let mut probe = 1u64;
    while estimate.saturating_mul(probe as u32) < min_sample / 8 && probe < 1 << 20 {
        probe *= 8;
        let started = Instant::now();
        for _ in 0..probe {
            operation()?;
        }
        estimate = started.elapsed() / probe as u32;
    }
    let per_run = estimate.as_nanos().max(1);
    let batch = u64::try_from(min_sample.as_nanos().div_ceil(per_run))
        .unwrap_or(u64::MAX)
        .clamp(1, 1 << 24);

    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        for _ in 0..batch {
            operation()?;
        }
        times.push(started.elapsed().as_nanos() as f64 / batch as f64);
    }
    Ok(summarize(times, batch))
}

fn summarize(mut times: Vec<f64>, batch: u64) -> Stats {
    times.sort_by(f64::total_cmp);
    Stats {
        samples: times.len(),
        batch,
        median_ns: quantile(&times, 0.5),
        q1_ns: quantile(&times, 0.25),
        q3_ns: quantile(&times, 0.75),
        min_ns: times.first().copied().unwrap_or(0.0),
        max_ns: times.last().copied().unwrap_or(0.0),
    }
}

/// Linear interpolation between the closest ranks of sorted `values`.
fn quantile(values: &[f64], fraction: f64) -> f64 {
    let Some(last) = values.len().checked_sub(1) else {
        return 0.0;
    };
    let position = fraction * last as f64;
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    let weight = position - lower as f64;
    values[lower] * (1.0 - weight) + values[upper] * weight
}

/// Formats nanoseconds with a unit that keeps three or four significant digits.
pub(crate) fn format_duration(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&values, 0.5), 3.0);
        assert_eq!(quantile(&values, 0.25), 2.0);
        assert_eq!(quantile(&[1.0, 2.0], 0.5), 1.5);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }

    #[test]
    fn fast_operation_batched() {
        let stats = measure::<()>(3, Duration::from_millis(1), || Ok(())).expect("measure");
        assert_eq!(stats.samples, 3);
        assert!(stats.batch > 1, "{stats:?}");
    }

    #[test]
    fn error_stops_measurement() {
        let mut runs = 0;
        let result = measure(3, Duration::from_millis(1), || {
            runs += 1;
            if runs == 2 { Err("failed") } else { Ok(()) }
        });
        assert_eq!(result.expect_err("second run fails"), "failed");
    }

    #[test]
    fn durations_formatted() {
        assert_eq!(format_duration(250.0), "250 ns");
        assert_eq!(format_duration(13_520_000.0), "13.52 ms");
        assert_eq!(format_duration(1_500_000_000.0), "1.500 s");
    }
}
