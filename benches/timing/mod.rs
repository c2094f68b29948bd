//! Timing for the benchmarks: the median of repeated runs, in milliseconds.

use std::time::{Duration, Instant};

/// The median time of `runs` calls of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    median_of((0..runs).map(|_| {
        let started = Instant::now();
        f();
        started.elapsed()
    }))
}

/// The median of durations measured some other way.
pub fn median_of(times: impl Iterator<Item = Duration>) -> Duration {
    let mut times: Vec<Duration> = times.collect();
    times.sort();
    times[times.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
