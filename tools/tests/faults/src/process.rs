//! Child processes watched by the fault tests: output read to the end by threads (a child never
//! blocks on a full pipe), killed on demand or after a time limit.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Watched {
    child: Child,
    stdout: JoinHandle<String>,
    stderr: JoinHandle<String>,
}

/// How a watched child ended.
pub struct Ended {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// Whether it was still running at its time limit (and was killed then).
    pub timed_out: bool,
}

fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

pub fn start(mut command: Command) -> Result<Watched, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting {:?}: {e}", command.get_program()))?;
    let stdout = drain(child.stdout.take().ok_or("no stdout")?);
    let stderr = drain(child.stderr.take().ok_or("no stderr")?);
    Ok(Watched {
        child,
        stdout,
        stderr,
    })
}

pub fn command(program: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args);
    command
}

impl Watched {
    fn finish(mut self, timed_out: bool) -> Result<Ended, String> {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        Ok(Ended {
            status,
            stdout: self.stdout.join().unwrap_or_default(),
            stderr: self.stderr.join().unwrap_or_default(),
            timed_out,
        })
    }

    /// SIGKILLs the child (one that already exited keeps its own status).
    pub fn kill(mut self) -> Result<Ended, String> {
        let _ = self.child.kill();
        self.finish(false)
    }

    /// Waits for the child to exit, killing it at `limit`.
    pub fn wait(mut self, limit: Duration) -> Result<Ended, String> {
        let started = Instant::now();
        let mut pause = Duration::from_micros(200);
        loop {
            if self.child.try_wait().map_err(|e| e.to_string())?.is_some() {
                return self.finish(false);
            }
            if started.elapsed() >= limit {
                let _ = self.child.kill();
                return self.finish(true);
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }
}
