//! The native Rust row of `cargo tools bench`: the shared benchmark workload on the `lode` crate.
//!
//! Usage: `bench [--n N] DIR`. Creates `DIR/bench.lode` afresh, runs the six phases in one
//! process and prints the row protocol's lines (tools/src/commands/bench.rs). Exits non-zero if
//! a check fails. Built by `cargo tools bench` with `cargo build --release --example bench -p lode`.
//!
//! This is the baseline the other rows are compared with, so it uses the crate's cheapest
//! paths: `get_with` and the iterator as a cursor. Each get copies the value into one reused
//! buffer, because that is what every binding's get does (the value must end up in the caller's
//! memory); not copying at all would compare a lookup with a lookup-and-read.

use lode::{Database, Durability, Options};
use std::error::Error;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

const TABLE: &str = "bench";
const BATCHED_TABLE: &str = "bench_batched";
/// insert_batched commits every this many entries.
const BATCH: u64 = 10_000;
const VALUE_LEN: usize = 100;
/// call_floor makes this many calls per entry: N calls would take too little time to time well.
const FLOOR_CALLS_PER_ENTRY: u64 = 10;

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Key i: big-endian `splitmix64(i)`, then big-endian i.
fn key(i: u64) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&splitmix64(i).to_be_bytes());
    key[8..].copy_from_slice(&i.to_be_bytes());
    key
}

/// Every value is a 100-byte window of this pattern (byte k is k & 0xff): value i starts at
/// i & 0xff, so that byte j is (i + j) & 0xff, and no row spends time building values.
struct Values([u8; 256 + VALUE_LEN]);

impl Values {
    fn new() -> Self {
        Self(std::array::from_fn(|k| k as u8))
    }

    fn get(&self, i: u64) -> &[u8] {
        let start = (i & 0xff) as usize;
        &self.0[start..start + VALUE_LEN]
    }
}

/// The entry that the q-th lookup of the get phases asks for.
fn lookup(n: u64, q: u64) -> u64 {
    splitmix64(n + q) % n
}

/// Prints the phase's line of the row protocol. Never inlined: `cargo tools bench
/// --instructions` counts each phase up to the return from this function.
#[inline(never)]
fn report(phase: &str, ops: u64, start: Instant) {
    let ns = start.elapsed().as_nanos() as f64;
    let ns_per_op = ns / ops.max(1) as f64;
    println!(
        "phase={phase} ops={ops} ns_per_op={ns_per_op:.1} ops_per_s={:.0}",
        1e9 / ns_per_op
    );
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {}", what()).into())
    }
}

fn check_gets(phase: &str, n: u64, value_bytes: u64) -> Result {
    check(value_bytes == n * VALUE_LEN as u64, || {
        format!("{phase}: value lengths sum to {value_bytes}, not N * 100")
    })
}

fn insert(db: &Database, table: &str, n: u64, batch: u64, values: &Values) -> Result {
    let mut i = 0;
    while i < n {
        let end = n.min(i + batch);
        let txn = db.begin_write()?;
        for i in i..end {
            txn.put(table, &key(i), values.get(i))?;
        }
        txn.commit()?;
        i = end;
    }
    Ok(())
}

fn run(n: u64, dir: PathBuf) -> Result {
    let path = dir.join("bench.lode");
    match std::fs::remove_file(&path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
        _ => {}
    }
    let db = Database::open(&path, &Options::default().durability(Durability::Immediate))?;
    let values = Values::new();
    println!("system=lode {}, durability Immediate", lode::version());

    let start = Instant::now();
    insert(&db, TABLE, n, n, &values)?;
    report("insert", n, start);

    let start = Instant::now();
    insert(&db, BATCHED_TABLE, n, BATCH, &values)?;
    report("insert_batched", n, start);

    let mut value = Vec::with_capacity(VALUE_LEN);
    let start = Instant::now();
    let snapshot = db.snapshot()?;
    let mut total = 0;
    for q in 0..n {
        snapshot.get_with(TABLE, &key(lookup(n, q)), |v| {
            value.clear();
            value.extend_from_slice(v.unwrap_or_default());
        })?;
        total += black_box(&value).len() as u64;
    }
    report("get_snapshot", n, start);
    drop(snapshot);
    check_gets("get_snapshot", n, total)?;

    let start = Instant::now();
    let mut total = 0;
    for q in 0..n {
        db.get_with(TABLE, &key(lookup(n, q)), |v| {
            value.clear();
            value.extend_from_slice(v.unwrap_or_default());
        })?;
        total += black_box(&value).len() as u64;
    }
    report("get_oneshot", n, start);
    check_gets("get_oneshot", n, total)?;

    let start = Instant::now();
    let snapshot = db.snapshot()?;
    let mut iter = snapshot.range(TABLE, None, None, false)?;
    let (mut count, mut value_bytes, mut previous, mut ordered) = (0u64, 0u64, [0u8; 16], true);
    while iter.advance()? {
        let key = iter.key();
        // Every key is 16 bytes, and each must sort after the one before.
        if key.len() == 16 && (count == 0 || previous.as_slice() < key) {
            previous.copy_from_slice(key);
        } else {
            ordered = false;
        }
        value_bytes += iter.value().len() as u64;
        count += 1;
    }
    report("scan", count, start);
    drop(iter);
    drop(snapshot);
    check(ordered, || "scan: keys out of order".into())?;
    check(count == n, || format!("scan: {count} entries, not N"))?;
    check_gets("scan", n, value_bytes)?;

    // Rust has no ABI-version call (that constant lives in the FFI crate), and the cheapest
    // method, lode::version(), would inline to a constant: call it through a function pointer so
    // that each call is a real one, as a call across the C ABI is.
    println!("note=call_floor calls lode::version() through a function pointer (not inlined)");
    let version: fn() -> &'static str = black_box(lode::version);
    let calls = n * FLOOR_CALLS_PER_ENTRY;
    let start = Instant::now();
    let mut sum = 0usize;
    for _ in 0..calls {
        sum = sum.wrapping_add(version().len());
    }
    report("call_floor", calls, start);
    check(sum == version().len().wrapping_mul(calls as usize), || {
        "call_floor: wrong results".into()
    })?;

    db.close()?;
    Ok(())
}

fn main() {
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
        eprintln!("bench: {err}");
        std::process::exit(1);
    }
}

fn usage() -> ! {
    eprintln!("usage: bench [--n N] DIR");
    std::process::exit(2);
}
