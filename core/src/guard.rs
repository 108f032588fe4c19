//! Panics inside redb become `Corrupted` errors, silently: redb trusts a file it closed cleanly
//! and panics on one damaged since, which is damage to report, not a crash to print.
//!
//! Every path of a user's call that reaches redb runs inside [`guarded`]. A process-wide panic
//! hook, installed once by the first open, stays silent while the panicking thread is inside a
//! guarded call and defers to the hook it replaced for every other panic. A caller's own code
//! that runs inside a guarded call (a closure it passed) runs through [`unguarded`], so that its
//! panic is printed as usual and reaches the caller unchanged.

use crate::error::{Error, ErrorKind, Result};
use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    // How many guarded calls this thread is inside: while nonzero, a panic is redb's, caught and
    // reported as an error, and the hook prints nothing.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

/// Installs, once per process, the hook that keeps caught panics silent. Chaining to the hook
/// it replaces keeps every other panic (the program's own) printed as before.
pub(crate) fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A thread being torn down has no depth left to read: treat it as outside.
            if DEPTH.try_with(Cell::get).unwrap_or(0) == 0 {
                previous(info);
            }
        }));
    });
}

/// Whether the current thread is inside a guarded call now (the hook is silent for it).
#[cfg(test)]
fn is_silenced() -> bool {
    DEPTH.try_with(Cell::get).unwrap_or(0) > 0
}

/// Marks the depth of guarded calls for as long as it lives, even if what it guards unwinds.
struct Depth(usize);

impl Depth {
    #[inline]
    fn set(depth: usize) -> Self {
        Self(DEPTH.with(|cell| cell.replace(depth)))
    }
}

impl Drop for Depth {
    #[inline]
    fn drop(&mut self) {
        DEPTH.with(|cell| cell.set(self.0));
    }
}

/// The payload of a caller's panic on its way out through a guarded call: [`guarded`] lets it
/// continue unchanged instead of reporting it as damage.
struct CallerPanic(Box<dyn Any + Send>);

/// A panic inside redb, caught: what it said.
pub(crate) struct Damage(String);

impl Damage {
    /// The error to report: a `Corrupted` one naming the file.
    pub(crate) fn error(&self, file: &str) -> Error {
        Error::new(
            ErrorKind::Corrupted,
            format!("{file}: the file is damaged ({})", self.0),
        )
    }
}

/// Runs `f`, which calls into redb; a panic inside it becomes a [`ErrorKind::Corrupted`] error
/// naming `file`. A panic of the caller's own code (run through [`unguarded`]) continues.
#[inline(always)]
pub(crate) fn guarded<R>(file: &str, f: impl FnOnce() -> Result<R>) -> Result<R> {
    let outer = DEPTH.with(|depth| depth.replace(depth.get() + 1));
    let caught = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|depth| depth.set(outer));
    match caught {
        // Named in place: moving the value out and back costs every successful call.
        Ok(mut result) => {
            if let Err(err) = &mut result {
                name_in_place(err, file);
            }
            result
        }
        Err(payload) => Err(damage(payload).error(file)),
    }
}

/// A `Corrupted` error that redb returned (rather than panicked), named after the file as the
/// others are.
#[cold]
#[inline(never)]
pub(crate) fn naming(mut err: Error, file: &str) -> Error {
    name_in_place(&mut err, file);
    err
}

#[cold]
#[inline(never)]
fn name_in_place(err: &mut Error, file: &str) {
    if err.kind() == ErrorKind::Corrupted && !err.message().starts_with(file) {
        *err = err.clone().context(file);
    }
}

/// As [`guarded`], but hands the caught panic back, for a caller that must do more than report
/// it (a transaction that must then be poisoned).
#[inline]
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Damage> {
    // No guard object restores the depth: nothing unwinds past catch_unwind.
    let outer = DEPTH.with(|depth| depth.replace(depth.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|depth| depth.set(outer));
    result.map_err(damage)
}

/// What a caught panic means: damage, or a caller's panic to let go on. Out of line, so that the
/// guarded calls stay small.
#[cold]
#[inline(never)]
fn damage(payload: Box<dyn Any + Send>) -> Damage {
    match payload.downcast::<CallerPanic>() {
        Ok(caller) => resume_unwind(caller.0),
        Err(payload) => Damage(detail(&*payload)),
    }
}

/// Runs the caller's `f` from inside a guarded call: its panic is printed as any other and goes
/// on unwinding to the caller, whatever redb code it passes on the way.
#[inline]
pub(crate) fn unguarded<R>(f: impl FnOnce() -> R) -> R {
    let depth = Depth::set(0);
    let result = catch_unwind(AssertUnwindSafe(f));
    drop(depth);
    match result {
        Ok(value) => value,
        Err(payload) => resume_unwind(Box::new(CallerPanic(payload))),
    }
}

/// What a panic said.
fn detail(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "redb stopped on an inconsistency".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_corrupted_and_a_callers_panic_goes_on() {
        install_hook();
        let err = guarded::<()>("f.lode", || panic!("index out of range")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupted);
        assert_eq!(
            err.message(),
            "f.lode: the file is damaged (index out of range)"
        );
        assert!(!is_silenced());
        let caller =
            catch_unwind(|| guarded::<()>("f.lode", || unguarded(|| std::panic::panic_any(7_u32))));
        assert_eq!(*caller.unwrap_err().downcast::<u32>().unwrap(), 7);
        assert!(!is_silenced());
        let nested = guarded("f.lode", || guarded("f", || Ok(is_silenced())));
        assert_eq!(nested, Ok(true));
    }
}
