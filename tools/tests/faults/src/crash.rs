//! `crash`: a writer committing numbered transactions (Immediate durability) is SIGKILLed at
//! random moments; after each kill the file must open, repairing itself, and hold every
//! acknowledged transaction and no part of any other. Every other round the repairing open is
//! itself killed at a random moment first.

use crate::helpers::last_ack;
use crate::process::{command, start};
use crate::rng::{seed, Rng};
use crate::workload::check_file;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

fn sleep_micros(rng: &mut Rng, below: u64) {
    std::thread::sleep(Duration::from_micros(rng.below(below.max(1))));
}

pub fn run() -> Result<(), String> {
    let kills: u64 = if crate::long() { 1000 } else { 60 };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("crash.lode");
    let db_arg = db.to_string_lossy().into_owned();
    let seed = seed();
    let mut rng = Rng::new(seed);
    println!("crash: {kills} SIGKILLs of a committing writer (seed {seed})");

    let mut last: Option<u64> = None;
    let (mut acked_commits, mut mid_commit_kills) = (0u64, 0u64);
    let (mut repairs_killed, mut repairs_finished) = (0u64, 0u64);
    let mut repair_time = Duration::from_millis(20);
    let mut unopenable_new = 0u64;
    for round in 0..kills {
        let writer = start(command(&exe, &["writer", &db_arg]))?;
        // The writer opens (repairing after the previous kill) within a few milliseconds, then
        // commits: most kills land among its commits, some during its open.
        sleep_micros(&mut rng, 60_000);
        let ended = writer.kill()?;
        let (status, reported, stderr) = (ended.status, ended.stdout, ended.stderr);
        if status.signal() != Some(9) {
            return Err(format!(
                "round {round}: the writer stopped by itself ({status}) before the kill:\n{stderr}"
            ));
        }
        let acked = last_ack(&reported);
        if let (Some(a), Some(before)) = (acked, last) {
            acked_commits += a - before;
        } else if let Some(a) = acked {
            acked_commits += a + 1;
        }
        if acked.is_some() {
            mid_commit_kills += 1;
        }

        if round % 2 == 1 {
            let started = Instant::now();
            let opener = start(command(&exe, &["open", &db_arg]))?;
            sleep_micros(&mut rng, repair_time.as_micros() as u64);
            let ended = opener.kill()?;
            let (status, stderr) = (ended.status, ended.stderr);
            // The kill moment follows how long a whole repairing open takes: longer after a
            // kill, the measured time after one that finished, so kills spread over it.
            if status.success() {
                repairs_finished += 1;
                repair_time = started.elapsed();
            } else if status.signal() == Some(9) {
                repairs_killed += 1;
                repair_time = (repair_time * 5 / 4).min(Duration::from_secs(2));
            } else {
                return Err(format!(
                    "round {round}: the repairing open failed ({status}):\n{stderr}"
                ));
            }
        }

        let opened = reported.lines().any(|line| line == "opened");
        let found = match check_file(&db) {
            Ok(found) => found,
            // Killed while creating the file, before its open returned: redb writes the
            // header's magic number last, and a file without it is "not a database". Nothing
            // was acknowledged, so nothing is lost, but the file must be removed by hand: the
            // figures say how often.
            Err(e)
                if !opened
                    && last.is_none()
                    && e.starts_with("open: ")
                    && e.ends_with("(corrupted)") =>
            {
                unopenable_new += 1;
                std::fs::remove_file(&db).map_err(|e| e.to_string())?;
                continue;
            }
            Err(e) => return Err(format!("after kill {round}: {e}")),
        };
        let floor = acked.or(last);
        // The writer acknowledges after its commit returns: at most the one transaction it was
        // committing may be there unacknowledged, whole.
        let ceiling = floor.map_or(0, |n| n + 1);
        match (floor, found) {
            (Some(floor), None) => {
                return Err(format!("after kill {round}: transaction {floor} was acknowledged, the file holds none"))
            }
            (Some(floor), Some(found)) if found < floor => {
                return Err(format!(
                    "after kill {round}: transaction {floor} was acknowledged, the file holds only up to {found}"
                ))
            }
            (_, Some(found)) if found > ceiling => {
                return Err(format!(
                    "after kill {round}: the file holds transaction {found}, never begun (at most {ceiling})"
                ))
            }
            _ => {}
        }
        last = found;
    }
    println!(
        "crash: {kills} kills survived ({mid_commit_kills} among commits), {acked_commits} acknowledged \
         commits all found whole; {repairs_killed} repairing opens killed, {repairs_finished} finished first; \
         {unopenable_new} kills while the file was being created left a file that reports Corrupted"
    );
    println!(
        "figure: crash: {kills} SIGKILLs of a writer survived, {acked_commits} acknowledged commits kept; \
         {repairs_killed} repairs killed midway; {unopenable_new} killed creations left an unopenable file"
    );
    Ok(())
}
