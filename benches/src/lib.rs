//! Shared helpers for the benchmark binaries (`src/bin/*.rs`): the simulator + toolwire setup
//! over HTTPS on loopback (the production client path; only name resolution and one extra
//! trusted root differ), latency summaries, and tiny argument parsing.
//!
//! Every binary prints plain text; BENCHMARKS.md quotes it with the command that produced it.

use std::path::PathBuf;
use std::time::Duration;

/// `connectors/` of the workspace.
pub fn connectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors")
}

/// `--name value` from the command line, parsed, or `default`.
pub fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == &format!("--{name}"))
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Latency summary of a sample.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// Samples.
    pub n: usize,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Mean.
    pub mean: Duration,
}

/// Summarises (sorts) `samples`; panics on an empty sample.
pub fn summarize(samples: &mut [Duration]) -> Summary {
    assert!(!samples.is_empty(), "no samples");
    samples.sort_unstable();
    let q = |p: usize| samples[((samples.len() * p).div_ceil(100)).max(1) - 1];
    let total: Duration = samples.iter().sum();
    Summary {
        n: samples.len(),
        p50: q(50),
        p90: q(90),
        p99: q(99),
        mean: total / samples.len() as u32,
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "n={} p50={:.1}µs p90={:.1}µs p99={:.1}µs mean={:.1}µs",
            self.n,
            micros(self.p50),
            micros(self.p90),
            micros(self.p99),
            micros(self.mean)
        )
    }
}

/// A duration in microseconds.
pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// CPU time (user + system) of this process so far.
pub fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the `(comm)`: state is field 3; utime 14, stime 15 (1-based).
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // rest starts at field 3, so field k is index k - 3.
    let total = ticks(14 - 3) + ticks(15 - 3);
    Duration::from_millis(total * 1000 / clock_ticks())
}

fn clock_ticks() -> u64 {
    100 // USER_HZ on Linux
}
