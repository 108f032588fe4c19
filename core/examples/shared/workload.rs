//! The shared benchmark workload (BENCH-WORKLOAD.md) for the Rust rows of `cargo tools bench`:
//! keys, values, lookups, the row protocol's phase lines and checks, and the command line.
//! Included by `bench.rs` (the `lode` crate) and `bench_redb.rs` (raw redb), so that both run
//! byte for byte the same workload.

#![allow(dead_code)] // Each row uses its own part of it.

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

pub type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

pub const TABLE: &str = "bench";
pub const BATCHED_TABLE: &str = "bench_batched";
/// insert_batched commits every this many entries.
pub const BATCH: u64 = 10_000;
pub const VALUE_LEN: usize = 100;
/// call_floor makes this many calls per entry: N calls would take too little time to time well.
pub const FLOOR_CALLS_PER_ENTRY: u64 = 10;

pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Key i: big-endian `splitmix64(i)`, then big-endian i.
pub fn key(i: u64) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&splitmix64(i).to_be_bytes());
    key[8..].copy_from_slice(&i.to_be_bytes());
    key
}

/// Every value is a 100-byte window of this pattern (byte k is k & 0xff): value i starts at
/// i & 0xff, so that byte j is (i + j) & 0xff, and no row spends time building values.
pub struct Values([u8; 256 + VALUE_LEN]);

impl Values {
    pub fn new() -> Self {
        Self(std::array::from_fn(|k| k as u8))
    }

    pub fn get(&self, i: u64) -> &[u8] {
        let start = (i & 0xff) as usize;
        &self.0[start..start + VALUE_LEN]
    }
}

/// The entry that the q-th lookup of the get phases asks for.
pub fn lookup(n: u64, q: u64) -> u64 {
    splitmix64(n + q) % n
}

/// Prints the phase's line of the row protocol. Never inlined: `cargo tools bench
/// --instructions` counts each phase up to the return from this function.
#[inline(never)]
pub fn report(phase: &str, ops: u64, start: Instant) {
    let ns = start.elapsed().as_nanos() as f64;
    let ns_per_op = ns / ops.max(1) as f64;
    println!(
        "phase={phase} ops={ops} ns_per_op={ns_per_op:.1} ops_per_s={:.0}",
        1e9 / ns_per_op
    );
}

pub fn check(ok: bool, what: impl FnOnce() -> String) -> Result {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {}", what()).into())
    }
}

pub fn check_gets(phase: &str, n: u64, value_bytes: u64) -> Result {
    check(value_bytes == n * VALUE_LEN as u64, || {
        format!("{phase}: value lengths sum to {value_bytes}, not N * 100")
    })
}

/// Checks a scan's tally: `count` entries, keys in order, value lengths summing to N * 100.
pub fn check_scan(n: u64, count: u64, ordered: bool, value_bytes: u64) -> Result {
    check(ordered, || "scan: keys out of order".into())?;
    check(count == n, || format!("scan: {count} entries, not N"))?;
    check_gets("scan", n, value_bytes)
}

/// `DIR/bench.lode`, removed if a previous run left it.
pub fn fresh_path(dir: &std::path::Path) -> Result<PathBuf> {
    let path = dir.join("bench.lode");
    match std::fs::remove_file(&path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err.into()),
        _ => Ok(path),
    }
}

/// Parses `[--n N] DIR` and runs `run(n, dir)`, exiting non-zero if it fails.
pub fn main_with(name: &str, run: fn(u64, PathBuf) -> Result) {
    let usage = || -> ! {
        eprintln!("usage: {name} [--n N] DIR");
        std::process::exit(2);
    };
    let mut n = 1_000_000u64;
    let mut dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--n" => match args.next().and_then(|v| v.parse().ok()) {
                Some(value) if value > 0 => n = value,
                _ => usage(),
            },
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => usage(),
        }
    }
    let Some(dir) = dir else { usage() };
    if let Err(err) = run(n, dir) {
        eprintln!("{name}: {err}");
        std::process::exit(1);
    }
}
