//! The size limits on table names, keys and values, and the checks that enforce them.

use crate::error::{Error, Result};

/// The longest key, in bytes. Empty keys are allowed.
pub const MAX_KEY_LEN: usize = 65_536;

/// The longest value, in bytes (1 GiB).
pub const MAX_VALUE_LEN: usize = 1 << 30;

/// The longest table name, in bytes of UTF-8. Table names may not be empty, nor hold control
/// characters (U+0000 to U+001F and U+007F), so that a list of them, one per line, is
/// unambiguous (the bindings' `tables`).
pub const MAX_TABLE_NAME_LEN: usize = 255;

pub(crate) fn check_table(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid("table name is empty"));
    }
    if name.len() > MAX_TABLE_NAME_LEN {
        return Err(Error::invalid(format!(
            "table name is {} bytes, over the limit of {MAX_TABLE_NAME_LEN}",
            name.len()
        )));
    }
    if let Some(offset) = name.bytes().position(|b| b < 0x20 || b == 0x7f) {
        return Err(Error::invalid(format!(
            "table name holds a control character (byte {:#04x} at offset {offset})",
            name.as_bytes()[offset]
        )));
    }
    Ok(())
}

pub(crate) fn check_key(key: &[u8]) -> Result<()> {
    if key.len() > MAX_KEY_LEN {
        return Err(Error::invalid(format!(
            "key is {} bytes, over the limit of {MAX_KEY_LEN}",
            key.len()
        )));
    }
    Ok(())
}

pub(crate) fn check_value(value: &[u8]) -> Result<()> {
    if value.len() > MAX_VALUE_LEN {
        return Err(Error::invalid(format!(
            "value is {} bytes, over the limit of {MAX_VALUE_LEN}",
            value.len()
        )));
    }
    Ok(())
}

pub(crate) fn check_table_key(table: &str, key: &[u8]) -> Result<()> {
    check_table(table)?;
    check_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn limits_are_inclusive() {
        assert!(check_table(&"t".repeat(MAX_TABLE_NAME_LEN)).is_ok());
        assert!(check_key(&vec![0; MAX_KEY_LEN]).is_ok());
        assert!(check_key(b"").is_ok());
        let err = check_key(&vec![0; MAX_KEY_LEN + 1]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.message().contains("65537"), "{err}");
        assert!(err.message().contains("65536"), "{err}");
        let err = check_table(&"t".repeat(MAX_TABLE_NAME_LEN + 1)).unwrap_err();
        assert!(err.message().contains("256"), "{err}");
    }
}
