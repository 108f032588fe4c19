//! The numbered transactions every fault test writes, and the check that a file holds whole
//! ones only.
//!
//! Transaction `n` writes [`KEYS_PER_TXN`] keys `n/j` with values derived from `(n, j)`, of
//! sizes from a few bytes to a few pages, deletes the keys of transaction `n - KEEP`, and sets
//! `meta/last` to `n`. A file that holds part of a transaction (one key and not another, a
//! deleted key still there, `last` disagreeing with the keys) is caught by [`check`].

use lode::{Database, Options, Snapshot};
use std::path::Path;

pub const TXNS: &str = "txns";
pub const META: &str = "meta";
pub const KEYS_PER_TXN: u64 = 4;
/// How many transactions' keys stay: each commit deletes those of the one `KEEP` before it.
pub const KEEP: u64 = 20;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn key(n: u64, j: u64) -> Vec<u8> {
    format!("{n:010}/{j}").into_bytes()
}

pub fn value(n: u64, j: u64) -> Vec<u8> {
    let seed = mix(n.wrapping_mul(KEYS_PER_TXN).wrapping_add(j).wrapping_add(1));
    // Mostly small values, one in eight spans pages, so that commits touch several pages.
    let len = if seed.is_multiple_of(8) {
        4096 + (seed >> 8) % 9000
    } else {
        16 + (seed >> 8) % 600
    } as usize;
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&j.to_be_bytes());
    let mut state = seed;
    while out.len() < len {
        state = mix(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Writes and commits transaction `n` (the file must hold `0..n` already).
pub fn commit(db: &Database, n: u64) -> lode::Result<()> {
    let txn = db.begin_write()?;
    for j in 0..KEYS_PER_TXN {
        txn.put(TXNS, &key(n, j), &value(n, j))?;
    }
    if n >= KEEP {
        for j in 0..KEYS_PER_TXN {
            txn.delete(TXNS, &key(n - KEEP, j))?;
        }
    }
    txn.put(META, b"last", &n.to_be_bytes())?;
    txn.commit()
}

/// The last transaction a snapshot holds, after checking that it holds exactly transactions
/// `0..=last` (the keys of the last [`KEEP`] of them, whole, with the right values, and nothing
/// else). `None` for a database without any.
pub fn check_snapshot(snapshot: &Snapshot) -> Result<Option<u64>, String> {
    let last = match snapshot
        .get(META, b"last")
        .map_err(|e| format!("get meta/last: {e} ({})", e.kind()))?
    {
        None => None,
        Some(bytes) => {
            Some(u64::from_be_bytes(bytes.as_slice().try_into().map_err(
                |_| format!("meta/last is {} bytes, not 8", bytes.len()),
            )?))
        }
    };
    let mut expected = Vec::new();
    if let Some(last) = last {
        for n in last.saturating_sub(KEEP - 1)..=last {
            for j in 0..KEYS_PER_TXN {
                expected.push((key(n, j), n, j));
            }
        }
    }
    let mut iter = snapshot
        .range(TXNS, None, None, false)
        .map_err(|e| format!("scan: {e} ({})", e.kind()))?;
    let mut seen = 0usize;
    while iter
        .advance()
        .map_err(|e| format!("scan: {e} ({})", e.kind()))?
    {
        let (k, v) = (iter.key(), iter.value());
        let Some((want_key, n, j)) = expected.get(seen) else {
            return Err(format!(
                "last = {last:?}, but the table also holds {} (part of a later or deleted transaction)",
                String::from_utf8_lossy(k)
            ));
        };
        if k != want_key.as_slice() {
            return Err(format!(
                "last = {last:?}: found key {}, expected {} (a transaction is partly there)",
                String::from_utf8_lossy(k),
                String::from_utf8_lossy(want_key)
            ));
        }
        if v != value(*n, *j).as_slice() {
            return Err(format!(
                "value of {} differs from what was written",
                String::from_utf8_lossy(k)
            ));
        }
        seen += 1;
    }
    if seen != expected.len() {
        return Err(format!(
            "last = {last:?}: the table holds {seen} of the {} keys of the last transactions",
            expected.len()
        ));
    }
    // Lookups as well as the scan: they walk the tree differently.
    for (k, n, j) in &expected {
        match snapshot.get(TXNS, k) {
            Ok(Some(v)) if v == value(*n, *j) => {}
            other => {
                return Err(format!(
                    "get {} gave {:?}, the scan its written value",
                    String::from_utf8_lossy(k),
                    other.map(|v| v.map(|v| v.len()))
                ))
            }
        }
    }
    Ok(last)
}

/// Opens the file at `path` (repairing it if it was not closed cleanly), checks it with
/// [`check_snapshot`] and closes it.
pub fn check_file(path: &Path) -> Result<Option<u64>, String> {
    let db = Database::open(path, &Options::default())
        .map_err(|e| format!("open: {e} ({})", e.kind()))?;
    let snapshot = db.snapshot().map_err(|e| format!("snapshot: {e}"))?;
    let last = check_snapshot(&snapshot)?;
    drop(snapshot);
    db.close().map_err(|e| format!("close: {e}"))?;
    Ok(last)
}

/// The next transaction number for a database (one past its last).
pub fn next_number(db: &Database) -> lode::Result<u64> {
    Ok(match db.get(META, b"last")? {
        Some(bytes) => u64::from_be_bytes(bytes.as_slice().try_into().unwrap_or([0; 8])) + 1,
        None => 0,
    })
}
