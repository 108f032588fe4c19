//! `powercut <iolog.so>`: a writer commits numbered transactions (Immediate durability) under
//! an `LD_PRELOAD` shim (cpp/tests/faults/iolog.c) that logs every write to the database file,
//! every sync of it and every acknowledged commit, in the order they completed. Files are then
//! rebuilt as a power cut could leave them: a cut at a random point after some sync keeps
//! every write before that sync, and each write issued after it is dropped, kept, or torn per
//! 512-byte sector. Each such file must open (repairing) and hold every transaction
//! acknowledged before the cut, whole, and no part of any other.
//!
//! `powercut <iolog.so> --eventual` does the same with a writer committing with `Eventual`
//! durability (paced, so that its commits span several flush intervals): each file must hold
//! every commit acknowledged more than the bound (`lode::EVENTUAL_FLUSH_INTERVAL`) plus a
//! margin before the last logged moment before the cut.

use crate::process::{command, start};
use crate::rng::{seed, Rng};
use crate::workload::check_file;
use std::path::Path;
use std::time::Duration;

const SECTOR: u64 = 512;

enum Op {
    Write {
        offset: u64,
        data: Vec<u8>,
    },
    Truncate(u64),
    /// A sync that returned, at a time (monotonic nanoseconds).
    Sync(u64),
    /// An acknowledged commit: its number and when it was reported.
    Ack(u64, u64),
    /// The writer's open returned: the file exists as a database.
    Opened,
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

fn parse(log: &[u8]) -> Result<Vec<Op>, String> {
    let mut ops = Vec::new();
    let mut pending_ack = String::new();
    let mut at = 0;
    while at < log.len() {
        if at + 17 > log.len() {
            return Err("the write log ends inside a record".into());
        }
        let (op, a, b) = (log[at], u64_at(log, at + 1), u64_at(log, at + 9));
        at += 17;
        match op {
            b'W' | b'A' => {
                let end = at + b as usize;
                let data = log.get(at..end).ok_or("the write log ends inside a write")?.to_vec();
                at = end;
                if op == b'W' {
                    ops.push(Op::Write { offset: a, data });
                } else {
                    pending_ack.push_str(&String::from_utf8_lossy(&data));
                    while let Some(newline) = pending_ack.find('\n') {
                        let line = &pending_ack[..newline];
                        ops.push(if line == "opened" {
                            Op::Opened
                        } else {
                            Op::Ack(line.parse().map_err(|_| "a malformed acknowledgement")?, a)
                        });
                        pending_ack.drain(..=newline);
                    }
                }
            }
            b'T' => ops.push(Op::Truncate(a)),
            b'S' => ops.push(Op::Sync(a)),
            b'U' => {
                return Err("the writer changed the database through a call the replay does not model \
                            (write, writev, pwritev, fallocate or sync_file_range): teach iolog.c and this replay it"
                    .into())
            }
            other => return Err(format!("unknown record {other} in the write log")),
        }
    }
    Ok(ops)
}

fn write_at(image: &mut Vec<u8>, offset: u64, data: &[u8]) {
    let end = offset as usize + data.len();
    if image.len() < end {
        image.resize(end, 0);
    }
    image[offset as usize..end].copy_from_slice(data);
}

fn apply(image: &mut Vec<u8>, op: &Op) {
    match op {
        Op::Write { offset, data } => write_at(image, *offset, data),
        Op::Truncate(len) => image.resize(*len as usize, 0),
        Op::Sync(_) | Op::Ack(..) | Op::Opened => {}
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let shim = args
        .first()
        .ok_or("powercut needs the path of the iolog shim")?;
    let shim = std::fs::canonicalize(shim).map_err(|e| format!("{shim}: {e}"))?;
    let long = crate::long();
    let eventual = args.iter().any(|a| a == "--eventual");
    // With Eventual, what a cut may lose is bounded in time, not by the last sync.
    let bound = if eventual {
        Some(crate::eventual::bound()? + crate::eventual::MARGIN)
    } else {
        None
    };
    let (commits, replays) = match (eventual, long) {
        (false, false) => (40u64, 300u64),
        (false, true) => (300, 5000),
        // Paced at a millisecond or so a commit: some seconds, many flush intervals.
        (true, false) => (1500, 150),
        (true, true) => (6000, 2000),
    };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("written.lode");
    let acks = dir.path().join("acks");
    let log = dir.path().join("io.log");
    let (db_arg, acks_arg) = (
        db.to_string_lossy().into_owned(),
        acks.to_string_lossy().into_owned(),
    );
    let mut writer = command(
        &exe,
        &[
            "writer",
            &db_arg,
            "--acks",
            &acks_arg,
            "--count",
            &commits.to_string(),
        ],
    );
    if eventual {
        writer.args(["--eventual", "--pause-us", "1000"]);
    }
    writer
        .env("LD_PRELOAD", &shim)
        .env("LODE_IOLOG_DB", &db)
        .env("LODE_IOLOG_ACKS", &acks)
        .env("LODE_IOLOG_OUT", &log);
    let ended = start(writer)?.wait(Duration::from_secs(300))?;
    if !ended.status.success() || ended.timed_out {
        return Err(format!(
            "the logged writer failed ({}):\n{}",
            ended.status, ended.stderr
        ));
    }
    let ops = parse(&std::fs::read(&log).map_err(|e| format!("the write log: {e}"))?)?;

    // The log must account for every byte of the file, or the replays would test fiction.
    let mut whole = Vec::new();
    ops.iter().for_each(|op| apply(&mut whole, op));
    if whole != std::fs::read(&db).map_err(|e| e.to_string())? {
        return Err("replaying the whole write log does not give the file the writer left: the shim missed a write".into());
    }
    let acked_total = ops.iter().filter(|op| matches!(op, Op::Ack(..))).count() as u64;
    if acked_total != commits {
        return Err(format!(
            "the log holds {acked_total} acknowledgements, the writer made {commits}"
        ));
    }
    let syncs: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(op, Op::Sync(_)))
        .map(|(i, _)| i)
        .collect();
    if syncs.is_empty() {
        return Err("the writer never synced the database".into());
    }
    let writes = ops
        .iter()
        .filter(|op| matches!(op, Op::Write { .. }))
        .count();
    let seed = seed();
    println!(
        "powercut: {commits} logged commits ({writes} writes, {} syncs); {replays} cuts replayed (seed {seed})",
        syncs.len()
    );

    let mut rng = Rng::new(seed);
    let cut = dir.path().join("cut.lode");
    let (mut torn, mut dropped, mut kept) = (0u64, 0u64, 0u64);
    let mut unopenable_new = 0u64;
    let mut checked = 0u64;
    for replay in 0..replays {
        // The cut falls after sync `k` (or before the first one), at some point before the next.
        let k = rng.below(syncs.len() as u64 + 1) as usize;
        let durable_end = if k == 0 { 0 } else { syncs[k - 1] + 1 };
        let window_end = syncs.get(k).copied().unwrap_or(ops.len());
        let cut_at = durable_end + rng.below((window_end - durable_end) as u64 + 1) as usize;
        let mut image = Vec::new();
        ops[..durable_end]
            .iter()
            .for_each(|op| apply(&mut image, op));
        for op in &ops[durable_end..cut_at] {
            match op {
                Op::Write { offset, data } => match rng.below(3) {
                    0 => dropped += 1,
                    1 => {
                        kept += 1;
                        write_at(&mut image, *offset, data);
                    }
                    _ => {
                        torn += 1;
                        // Each sector the write covers reached the disk or did not.
                        let mut at = *offset;
                        let end = offset + data.len() as u64;
                        while at < end {
                            let next = ((at / SECTOR) + 1) * SECTOR;
                            let stop = next.min(end);
                            if rng.below(2) == 0 {
                                write_at(
                                    &mut image,
                                    at,
                                    &data[(at - offset) as usize..(stop - offset) as usize],
                                );
                            }
                            at = stop;
                        }
                    }
                },
                Op::Truncate(_) if rng.below(2) == 0 => apply(&mut image, op),
                _ => {}
            }
        }
        // The last moment the log shows before the cut: the cut came no earlier.
        let logged_before = ops[..cut_at]
            .iter()
            .rev()
            .find_map(|op| match op {
                Op::Sync(t) | Op::Ack(_, t) => Some(*t),
                _ => None,
            })
            .unwrap_or(0);
        let acked = ops[..cut_at]
            .iter()
            .filter_map(|op| match op {
                Op::Ack(n, t) => match bound {
                    None => Some(*n),
                    Some(bound) => {
                        (logged_before.saturating_sub(*t) > bound.as_nanos() as u64).then_some(*n)
                    }
                },
                _ => None,
            })
            .max();
        if acked.is_some() {
            checked += 1;
        }
        let _ = std::fs::remove_file(&cut);
        std::fs::write(&cut, &image).map_err(|e| e.to_string())?;
        let describe = || {
            format!(
                "cut {replay} (after sync {k} of {}, {} ops in flight)",
                syncs.len(),
                cut_at - durable_end
            )
        };
        let opened = ops[..cut_at].iter().any(|op| matches!(op, Op::Opened));
        let found = match check_file(Path::new(&cut)) {
            Ok(found) => found,
            // Cut while the file was being created, before anything was acknowledged: redb
            // writes the header's magic number last, so such a file may be "not a database",
            // a clear error that loses nothing.
            Err(e) if !opened && e.starts_with("open: ") && e.ends_with("(corrupted)") => {
                unopenable_new += 1;
                None
            }
            Err(e) => return Err(format!("{}: {e}", describe())),
        };
        match (acked, found) {
            (Some(a), None) => {
                return Err(format!(
                    "{}: commit {a} was acknowledged, the file holds none",
                    describe()
                ))
            }
            (Some(a), Some(f)) if f < a => {
                return Err(format!(
                    "{}: commit {a} was acknowledged, the file holds only up to {f}",
                    describe()
                ))
            }
            (_, Some(f)) if f >= commits => {
                return Err(format!(
                    "{}: the file holds commit {f}, never made",
                    describe()
                ))
            }
            _ => {}
        }
    }
    println!(
        "powercut: {replays} cuts survived ({checked} of them after acknowledged commits it had to keep): writes in flight \
         {dropped} dropped, {kept} kept, {torn} torn by sector; {unopenable_new} cuts during the file's creation left a file \
         that reports Corrupted"
    );
    match bound {
        None => println!(
            "figure: power cuts: {replays} replayed after random syncs of {commits} commits, every acknowledged commit kept whole"
        ),
        Some(bound) => println!(
            "figure: power cuts with Eventual durability: {replays} replayed over {commits} commits, every commit acknowledged \
             more than {bound:?} before the cut kept"
        ),
    }
    Ok(())
}
