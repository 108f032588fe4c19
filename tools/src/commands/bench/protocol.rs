//! The row protocol's runner: one run of a row program in a fresh directory, timed or counted,
//! and the parse of what it prints.

use super::super::{repo_root, Result};
use super::{callgrind, PHASES};
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::Command;

/// What one run of a row printed.
#[derive(Default)]
pub(super) struct Output {
    pub(super) system: String,
    pub(super) notes: Vec<String>,
    /// ns per op (or instructions per op), by phase.
    pub(super) phases: BTreeMap<String, f64>,
    /// The phases as printed, in order, with their op counts.
    pub(super) reported: Vec<(String, u64)>,
}

fn parse(stdout: &str) -> Result<Output> {
    let mut out = Output::default();
    for line in stdout.lines() {
        if let Some(system) = line.strip_prefix("system=") {
            out.system = system.trim().to_string();
        } else if let Some(note) = line.strip_prefix("note=") {
            out.notes.push(note.trim().to_string());
        } else if line.starts_with("phase=") {
            let fields: BTreeMap<&str, &str> = line
                .split_whitespace()
                .filter_map(|f| f.split_once('='))
                .collect();
            let ns = fields
                .get("ns_per_op")
                .and_then(|ns| ns.parse::<f64>().ok());
            let ops = fields.get("ops").and_then(|ops| ops.parse::<u64>().ok());
            match (fields.get("phase"), ns, ops) {
                (Some(phase), Some(ns), Some(ops))
                    if PHASES.contains(phase) && ns.is_finite() && ns > 0.0 =>
                {
                    out.phases.insert(phase.to_string(), ns);
                    out.reported.push((phase.to_string(), ops));
                }
                _ => return Err(format!("malformed line `{line}`")),
            }
        }
    }
    if out.phases.is_empty() {
        return Err("printed no phase line".into());
    }
    Ok(out)
}

/// A new command that runs `program` (a `Command` cannot be cloned or run twice) with `args`
/// added, in its environment and directory (the repository root by default), through `wrapper`
/// (a program and its first arguments, such as valgrind's) when that is not empty.
fn command_for(program: &Command, wrapper: &[OsString], args: &[&OsStr]) -> Command {
    let mut line: Vec<&OsStr> = wrapper.iter().map(OsString::as_os_str).collect();
    line.push(program.get_program());
    line.extend(program.get_args());
    line.extend(args);
    let mut command = Command::new(line[0]);
    command.args(&line[1..]);
    for (key, value) in program.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command.current_dir(
        program
            .get_current_dir()
            .map_or_else(repo_root, Path::to_path_buf),
    );
    command
}

/// Runs one row once in a fresh directory under build/bench (on the same disk as the build,
/// since /tmp may be a RAM disk, where syncs cost nothing); under callgrind if `counted_by`
/// names the row's report function, its phases then being instructions per op.
pub(super) fn run_once(
    program: &Command,
    n: u64,
    out_dir: &Path,
    counted_by: Option<&str>,
) -> Result<Output> {
    let scratch = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(out_dir)
        .map_err(|e| format!("cannot make a scratch directory: {e}"))?;
    let database_dir = scratch.path().join("db");
    std::fs::create_dir(&database_dir)
        .map_err(|e| format!("cannot make a scratch directory: {e}"))?;
    let wrapper = counted_by.map_or_else(Vec::new, |report| {
        callgrind::wrapper(report, scratch.path())
    });
    let n = n.to_string();
    let args = [OsStr::new("--n"), OsStr::new(&n), database_dir.as_os_str()];
    let mut command = command_for(program, &wrapper, &args);
    if counted_by.is_some() {
        command.envs(callgrind::ENVIRONMENT.iter().copied());
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run it: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "it failed ({}):\n{}{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut parsed = parse(&stdout)?;
    if counted_by.is_some() {
        let counts = callgrind::dumps(scratch.path())?;
        if counts.len() < parsed.reported.len() {
            return Err(format!(
                "{} phases but {} callgrind dumps",
                parsed.reported.len(),
                counts.len()
            ));
        }
        for ((phase, ops), count) in parsed.reported.iter().zip(counts) {
            parsed
                .phases
                .insert(phase.clone(), count as f64 / (*ops).max(1) as f64);
        }
    }
    Ok(parsed)
}
