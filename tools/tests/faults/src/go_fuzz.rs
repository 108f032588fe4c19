//! `go-fuzz <time>`: runs Go's native fuzzing of call sequences (`FuzzFaultsCalls` in
//! go/faults_test.go) for `time` in the current directory (the Go module), echoes its output,
//! and reports how many inputs it executed, which only its output says.

use crate::process::start;
use std::process::Command;
use std::time::Duration;

pub fn run(args: &[String]) -> Result<(), String> {
    let time = args
        .first()
        .ok_or("go-fuzz needs a fuzz time (such as 20s)")?;
    let mut go = Command::new("go");
    go.args([
        "test",
        "-tags",
        "lode_faults",
        "-run",
        "^$",
        "-fuzz",
        "^FuzzFaultsCalls$",
        "-fuzztime",
        time,
        // New inputs are kept unminimised beyond a few seconds: the time goes to fuzzing.
        "-fuzzminimizetime",
        "5s",
        "-parallel",
        "1",
        ".",
    ]);
    let ended = start(go)?.wait(Duration::from_secs(4 * 3600))?;
    print!("{}", ended.stdout);
    eprint!("{}", ended.stderr);
    if !ended.status.success() || ended.timed_out {
        return Err(format!("go test -fuzz failed ({})", ended.status));
    }
    let execs = ended
        .stdout
        .lines()
        .filter_map(|line| line.split("execs: ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .max()
        .ok_or("go test -fuzz printed no execution count")?;
    println!("figure: Go native fuzzing ({time}): {execs} call sequences executed, 0 failures");
    Ok(())
}
