//! The ABI handshake: the check, in the extension's Init_, that the library it loaded has the ABI
//! the extension was generated for.

use super::gen::Gen;
use crate::backends::common::handshake::{printf_literal, Handshake};

/// The ABI handshake's parts.
pub(super) struct AbiCheck {
    pub(super) function: String,
    pub(super) macro_name: String,
    pub(super) version: String,
    pub(super) version_text: String,
    /// The mismatch message, a printf format taking the expected major and minor, then the
    /// library's.
    pub(super) message: String,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The ABI handshake, if the bridge reports its ABI version (see [`Handshake`]): the
    /// message names both versions in the wording every binding uses.
    pub(super) fn abi(&self) -> Option<AbiCheck> {
        let handshake = Handshake::find(self.bridge, self.tcx)?;
        // Both versions are printed at run time (the expected one may be overridden when the
        // extension is compiled): the shared wording in a C string literal given to rb_raise's
        // printf-style format, with a conversion for each.
        let message = handshake.mismatch_message_with(printf_literal, "%u.%u", "%u.%u");
        Some(AbiCheck {
            function: handshake.c_symbol.clone(),
            macro_name: self.fmt.abi_macro(),
            version: format!("0x{:08x}", handshake.expected.packed()),
            version_text: handshake.expected.to_string(),
            message,
        })
    }
}
