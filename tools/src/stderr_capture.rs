//! Capturing what Diplomat prints on stderr while it lowers a bridge.
//!
//! Diplomat's AST stage reports some errors by printing them (`Could not resolve char`) and
//! then panicking with a message that only says "check stderr for more". The generator turns
//! that panic into a report; this puts the printed reason into it too, and keeps it off the
//! user's terminal, where it would stand without file or line.

use std::io::{Read, Seek, SeekFrom};
use std::os::fd::AsRawFd;

/// Runs `f` with file descriptor 2 pointed at a temporary file; returns its result and what was
/// written to stderr meanwhile. Where the redirection cannot be set up, `f` runs as it is.
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, String) {
    let Ok(mut file) = tempfile::tempfile() else {
        return (f(), String::new());
    };
    // SAFETY: dup and dup2 on valid descriptors; the saved copy of fd 2 is restored and closed
    // below on every path (a panic in `f` is caught by the callers before it reaches here, and
    // the restore runs in a drop guard regardless).
    let saved = unsafe { libc::dup(2) };
    if saved < 0 || unsafe { libc::dup2(file.as_raw_fd(), 2) } < 0 {
        if saved >= 0 {
            unsafe { libc::close(saved) };
        }
        return (f(), String::new());
    }
    struct Restore(i32);
    impl Drop for Restore {
        fn drop(&mut self) {
            // SAFETY: self.0 is the descriptor dup'ed above, still open.
            unsafe {
                libc::dup2(self.0, 2);
                libc::close(self.0);
            }
        }
    }
    let restore = Restore(saved);
    let result = f();
    drop(restore);
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut text);
    (result, text)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    // Through the stderr handle, not eprintln!, which the test harness captures itself.
    fn print(text: &str) {
        std::io::stderr().write_all(text.as_bytes()).unwrap();
    }

    #[test]
    fn captures_and_restores() {
        let ((), text) = super::capture(|| print("hidden line\n"));
        assert_eq!(text, "hidden line\n");
        let ((), again) = super::capture(|| print("second"));
        assert_eq!(again, "second");
    }
}
