//! The bridge's safety net: foreign text is validated, store errors become `LodeError`s, and
//! no panic ever unwinds into (or aborts) a foreign caller.

use crate::ffi::{LodeError, LodeErrorKind};
use std::panic::{catch_unwind, AssertUnwindSafe};

impl From<store::Error> for Box<LodeError> {
    fn from(error: store::Error) -> Self {
        let kind = match error.kind() {
            store::ErrorKind::Io => LodeErrorKind::Io,
            store::ErrorKind::Corrupted => LodeErrorKind::Corrupted,
            store::ErrorKind::Closed => LodeErrorKind::Closed,
            store::ErrorKind::AlreadyOpen => LodeErrorKind::AlreadyOpen,
            store::ErrorKind::ReadOnly => LodeErrorKind::ReadOnly,
            store::ErrorKind::InvalidArgument => LodeErrorKind::InvalidArgument,
            store::ErrorKind::TransactionFinished => LodeErrorKind::TransactionFinished,
            store::ErrorKind::Internal => LodeErrorKind::Internal,
            store::ErrorKind::Busy => LodeErrorKind::Busy,
        };
        Box::new(LodeError(kind, error.message().to_owned()))
    }
}

/// Runs one entry point's body, turning a panic into an `Internal` error.
///
/// Unwinding out of an `extern "C"` function aborts the process, which a foreign caller cannot
/// recover from; an error it can handle.
pub fn guarded<T>(body: impl FnOnce() -> store::Result<T>) -> Result<T, Box<LodeError>> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result.map_err(Into::into),
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Box::new(LodeError(
                LodeErrorKind::Internal,
                format!("internal error (please report it): {detail}"),
            )))
        }
    }
}

/// Validates foreign text as UTF-8; `what` names the argument in the error.
#[inline]
pub fn text<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, store::Error> {
    // Table names are nearly always ASCII, which `is_ascii` checks in a few instructions; the
    // full validation costs more than a hundred, more than the rest of a call's overhead.
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        store::Error::new(
            store::ErrorKind::InvalidArgument,
            format!(
                "{what} is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}
