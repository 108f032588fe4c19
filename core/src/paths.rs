//! Database paths: the checks made before the operating system sees one, and how messages name
//! a file.

use crate::error::{Error, Result};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Refuses a path no file can have, with a message that says why rather than the operating
/// system's.
pub(crate) fn check(path: &Path) -> Result<()> {
    let bytes = path.as_os_str().as_bytes();
    if bytes.is_empty() {
        return Err(Error::invalid("the path is empty"));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::invalid(format!(
            "the path {} holds a NUL byte (at offset {offset}), which no file name can",
            label(path)
        )));
    }
    Ok(())
}

/// How messages name the file at `path`: as it is, unless it holds control characters or is not
/// UTF-8, which are then escaped (quoted, as Rust writes a string literal) so that a message
/// never carries them raw.
pub(crate) fn label(path: &Path) -> String {
    match path.to_str() {
        Some(text) if !text.chars().any(char::is_control) => text.to_owned(),
        _ => format!("{:?}", path.as_os_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_escape_what_a_terminal_would_act_on() {
        assert_eq!(label(Path::new("dir/a b.lode")), "dir/a b.lode");
        assert_eq!(label(Path::new("a\nb")), "\"a\\nb\"");
        let nul = std::ffi::OsStr::from_bytes(b"a\0b");
        assert_eq!(
            check(Path::new(nul)).unwrap_err().message(),
            "the path \"a\\0b\" holds a NUL byte (at offset 1), which no file name can"
        );
        assert_eq!(
            check(Path::new("")).unwrap_err().message(),
            "the path is empty"
        );
    }
}
