//! `eventual`: the bound on `Eventual` durability (issue 16, finding 3). A writer commits with
//! `Eventual` durability and reports each commit; the test notes when each report arrived and
//! SIGKILLs the writer after a random time. The file must then hold every commit reported more
//! than the bound (`lode::EVENTUAL_FLUSH_INTERVAL`) plus a margin for scheduling before the
//! kill; what it loses is reported.

use crate::rng::{seed, Rng};
use crate::workload::check_file;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a loaded machine may add to the bound: waking the flush thread, its sync, the report
/// crossing the pipe.
pub const MARGIN: Duration = Duration::from_millis(300);

#[cfg(feature = "mended")]
pub fn bound() -> Result<Duration, String> {
    Ok(lode::EVENTUAL_FLUSH_INTERVAL)
}

#[cfg(not(feature = "mended"))]
pub fn bound() -> Result<Duration, String> {
    Err("lode-faults was built without its `mended` feature (lode::EVENTUAL_FLUSH_INTERVAL)".into())
}

pub fn run() -> Result<(), String> {
    let bound = bound()?;
    let rounds = if crate::long() { 100 } else { 6 };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("eventual.lode");
    let seed = seed();
    let mut rng = Rng::new(seed);
    println!("eventual: {rounds} SIGKILLs of a writer with Eventual durability, bound {bound:?} + {MARGIN:?} (seed {seed})");
    let (mut checked, mut most_lost, mut last) = (0u64, 0u64, None::<u64>);
    for round in 0..rounds {
        let mut child = Command::new(&exe)
            .arg("writer")
            .arg(&db)
            .arg("--eventual")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let reports = Arc::new(Mutex::new(Vec::<(Instant, u64)>::new()));
        let sink = Arc::clone(&reports);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Ok(n) = line.parse() {
                    sink.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((Instant::now(), n));
                }
            }
        });
        std::thread::sleep(Duration::from_millis(400 + rng.below(1600)));
        let killed_at = Instant::now();
        let _ = child.kill();
        let status = child.wait().map_err(|e| e.to_string())?;
        let _ = reader.join();
        if status.signal() != Some(9) {
            return Err(format!(
                "round {round}: the writer stopped by itself ({status})"
            ));
        }
        let reports = reports.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let must_have = reports
            .iter()
            .filter(|(at, _)| killed_at.duration_since(*at) > bound + MARGIN)
            .map(|(_, n)| *n)
            .max();
        let reported = reports.iter().map(|(_, n)| *n).max().or(last);
        let found = check_file(&db).map_err(|e| format!("after kill {round}: {e}"))?;
        if let Some(n) = must_have {
            checked += 1;
            if found.is_none_or(|f| f < n) {
                return Err(format!(
                    "after kill {round}: commit {n} was reported more than {:?} before the kill, the file holds up to {found:?}",
                    bound + MARGIN
                ));
            }
        }
        let lost = reported.map_or(0, |r| r.saturating_sub(found.unwrap_or(0)));
        most_lost = most_lost.max(lost);
        last = found;
    }
    println!(
        "eventual: {checked} kills checked; at most {most_lost} recent commits lost by one kill"
    );
    println!(
        "figure: Eventual durability: {rounds} SIGKILLs, every commit older than {bound:?} (+{MARGIN:?}) kept; at most {most_lost} recent ones lost"
    );
    Ok(())
}
