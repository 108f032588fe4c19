//! Values handed to a foreign caller through a `DiplomatWrite`: the one place a lookup's result
//! is copied out of the store.

use crate::ffi::{LodeError, LodeErrorKind};
use diplomat_runtime::DiplomatWriteGeneric;

/// Copies a looked-up value into the caller's buffer: the body of every `get`.
///
/// A missing value is the bridge's `NotFound` error (Diplomat cannot return a write and an
/// option together). A buffer that cannot grow to hold the value (a fixed-size C buffer from
/// `diplomat_simple_write`, or an allocation failure in a binding's grow callback) is an
/// `InvalidArgument` error, never a silently truncated value.
pub fn copy_value(
    value: Option<&[u8]>,
    out: &mut DiplomatWriteGeneric<u8>,
) -> Result<(), Box<LodeError>> {
    let Some(value) = value else {
        return Err(Box::new(LodeError(
            LodeErrorKind::NotFound,
            "key not found".into(),
        )));
    };
    let before = out.len();
    // write_slice grows the buffer as needed and writes nothing if it cannot: one check of the
    // length afterwards, rather than a reserve that would check everything write_slice does.
    out.write_slice(value);
    if out.len() - before != value.len() {
        return Err(cannot_grow(value.len(), before, out.capacity()));
    }
    Ok(())
}

#[cold]
fn cannot_grow(value_len: usize, written: usize, capacity: usize) -> Box<LodeError> {
    Box::new(LodeError(
        LodeErrorKind::InvalidArgument,
        format!(
            "the output buffer cannot grow to hold the value ({value_len} bytes, {written} \
             already written, room for {capacity})"
        ),
    ))
}
