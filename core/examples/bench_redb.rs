//! The `redb` row of `cargo tools bench`: the shared benchmark workload on raw redb, with the
//! settings Lode opens it with (redb's default builder and cache, durable commits, tables of
//! byte-string keys and values), so that the table shows which part of a `lode` row is the
//! engine's and which is Lode's own.
//!
//! Usage: `bench_redb [--n N] DIR`. Built by `cargo tools bench` with
//! `cargo build --release --example bench_redb -p lode`.
//!
//! Written as a redb user would: a write transaction opens its table once; the snapshot phase
//! opens one read transaction and its table once; a one-shot get begins a read transaction and
//! opens the table for each lookup. Each get copies the value into one reused buffer, as the
//! `lode` row does. There is no call_floor: redb has no call that stands for a binding's.

#[path = "shared/workload.rs"]
mod workload;

use redb::{ReadableDatabase, TableDefinition};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;
use workload::{
    check_gets, check_scan, key, lookup, report, Result, Values, BATCH, BATCHED_TABLE, TABLE,
    VALUE_LEN,
};

type Table<'a> = TableDefinition<'a, &'static [u8], &'static [u8]>;

fn insert(db: &redb::Database, table: &str, n: u64, batch: u64, values: &Values) -> Result {
    let mut i = 0;
    while i < n {
        let end = n.min(i + batch);
        let txn = db.begin_write()?;
        {
            let mut table = txn.open_table(Table::new(table))?;
            for i in i..end {
                table.insert(&key(i)[..], values.get(i))?;
            }
        }
        txn.commit()?;
        i = end;
    }
    Ok(())
}

fn run(n: u64, dir: PathBuf) -> Result {
    let path = workload::fresh_path(&dir)?;
    let db = redb::Builder::new().create(&path)?;
    let values = Values::new();
    // `cargo tools bench` passes the version Cargo.lock holds.
    let version = option_env!("LODE_BENCH_REDB_VERSION").unwrap_or("4");
    println!("system=redb {version} (raw, Lode's settings), durability Immediate");

    let start = Instant::now();
    insert(&db, TABLE, n, n, &values)?;
    report("insert", n, start);

    let start = Instant::now();
    insert(&db, BATCHED_TABLE, n, BATCH, &values)?;
    report("insert_batched", n, start);

    let mut value = Vec::with_capacity(VALUE_LEN);
    let start = Instant::now();
    let txn = db.begin_read()?;
    let table = txn.open_table(Table::new(TABLE))?;
    let mut total = 0;
    for q in 0..n {
        let guard = table.get(&key(lookup(n, q))[..])?;
        value.clear();
        value.extend_from_slice(guard.as_ref().map_or(&[][..], |v| v.value()));
        total += black_box(&value).len() as u64;
    }
    report("get_snapshot", n, start);
    drop((table, txn));
    check_gets("get_snapshot", n, total)?;

    let start = Instant::now();
    let mut total = 0;
    for q in 0..n {
        let txn = db.begin_read()?;
        let table = txn.open_table(Table::new(TABLE))?;
        let guard = table.get(&key(lookup(n, q))[..])?;
        value.clear();
        value.extend_from_slice(guard.as_ref().map_or(&[][..], |v| v.value()));
        total += black_box(&value).len() as u64;
    }
    report("get_oneshot", n, start);
    check_gets("get_oneshot", n, total)?;

    let start = Instant::now();
    let txn = db.begin_read()?;
    let table = txn.open_table(Table::new(TABLE))?;
    let (mut count, mut value_bytes, mut previous, mut ordered) = (0u64, 0u64, [0u8; 16], true);
    for entry in table.range::<&[u8]>(..)? {
        let (key, value) = entry?;
        let key = key.value();
        // Every key is 16 bytes, and each must sort after the one before.
        if key.len() == 16 && (count == 0 || previous.as_slice() < key) {
            previous.copy_from_slice(key);
        } else {
            ordered = false;
        }
        value_bytes += value.value().len() as u64;
        count += 1;
    }
    report("scan", count, start);
    drop((table, txn));
    check_scan(n, count, ordered, value_bytes)?;
    Ok(())
}

fn main() {
    workload::main_with("bench_redb", run);
}
