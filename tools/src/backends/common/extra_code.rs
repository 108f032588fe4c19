//! Code a bridge supplies for one backend (`#[diplomat::attr(<lang>, custom_extra_code(...))]`),
//! spliced into that backend's output where the attribute says.

use crate::backends::GenError;
use crate::bridge::Bridge;
use diplomat_core::hir::{Attrs, IncludeLocation, IncludeSource};
use std::path::Path;

/// The code `attrs` supplies for `at`, read from a file relative to the bridge's source as
/// Diplomat's own backends do; `item` names the item in errors.
pub fn read(
    bridge: &Bridge,
    attrs: &Attrs,
    at: &IncludeLocation,
    item: &str,
) -> Result<Option<String>, GenError> {
    match attrs.custom_extra_code.get(at) {
        None => Ok(None),
        Some(IncludeSource::Source(s)) => Ok(Some(s.clone())),
        Some(IncludeSource::File(path)) => {
            let dir = bridge.entry.parent().unwrap_or(Path::new("."));
            std::fs::read_to_string(dir.join(path))
                .map(Some)
                .map_err(|e| GenError(format!("{item}: custom_extra_code file {path}: {e}")))
        }
        Some(_) => Err(GenError::unsupported(
            item,
            "this kind of custom_extra_code",
        )),
    }
}
