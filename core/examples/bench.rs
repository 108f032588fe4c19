//! The native Rust row of `cargo tools bench`: the shared benchmark workload on the `lode` crate.
//!
//! Usage: `bench [--n N] DIR`. Creates `DIR/bench.lode` afresh, runs the six phases in one
//! process and prints the row protocol's lines (tools/src/commands/bench.rs). Exits non-zero if
//! a check fails. Built by `cargo tools bench` with `cargo build --release --example bench -p lode`.
//!
//! This is the baseline the other rows are compared with, so it uses the crate's cheapest
//! paths: table handles for the inserts and the snapshot's gets, `get_with`, and the iterator
//! as a cursor. Each get copies the value into one reused
//! buffer, because that is what every binding's get does (the value must end up in the caller's
//! memory); not copying at all would compare a lookup with a lookup-and-read.

#[path = "shared/workload.rs"]
mod workload;

use lode::{Database, Durability, Options};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;
use workload::{
    check, check_gets, check_scan, key, lookup, report, Result, Values, BATCH, BATCHED_TABLE,
    FLOOR_CALLS_PER_ENTRY, TABLE, VALUE_LEN,
};

fn insert(db: &Database, table: &str, n: u64, batch: u64, values: &Values) -> Result {
    let mut i = 0;
    while i < n {
        let end = n.min(i + batch);
        let txn = db.begin_write()?;
        let table = txn.table(table)?;
        for i in i..end {
            table.put(&key(i), values.get(i))?;
        }
        txn.commit()?;
        i = end;
    }
    Ok(())
}

fn run(n: u64, dir: PathBuf) -> Result {
    let path = workload::fresh_path(&dir)?;
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
    let table = snapshot.table(TABLE)?;
    let mut total = 0;
    for q in 0..n {
        table.get_with(&key(lookup(n, q)), |v| {
            value.clear();
            value.extend_from_slice(v.unwrap_or_default());
        })?;
        total += black_box(&value).len() as u64;
    }
    report("get_snapshot", n, start);
    drop((table, snapshot));
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
    check_scan(n, count, ordered, value_bytes)?;

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
    workload::main_with("bench", run);
}
