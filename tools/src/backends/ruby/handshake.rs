//! The ABI handshake: the check, in the extension's Init_, that the library it loaded has the ABI
//! the extension was generated for.

use super::gen::Gen;
use crate::abi::{AbiVersion, Handshake};

/// The ABI handshake's parts.
pub(super) struct AbiCheck {
    pub(super) function: String,
    pub(super) macro_name: String,
    pub(super) version: String,
    pub(super) version_text: String,
    /// The mismatch message, a printf format taking the expected and the library's major and
    /// minor, in the order `expected_first` says.
    pub(super) message: String,
    pub(super) expected_first: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The ABI handshake, if the bridge reports its ABI version (see [`Handshake`]): the
    /// message names both versions in the wording every binding uses.
    pub(super) fn abi(&self) -> Option<AbiCheck> {
        let handshake = Handshake::find(self.bridge, self.tcx)?;
        // Both versions are printed at run time (the expected one may be overridden when the
        // extension is compiled): markers stand for them in the text.
        let marker = AbiVersion {
            major: 65535,
            minor: 65534,
        };
        let expected = AbiVersion {
            major: 65533,
            minor: 65532,
        };
        let text = Handshake {
            expected,
            ..handshake.clone()
        }
        .mismatch_message(marker);
        // The format's arguments follow the order the versions appear in.
        let expected_first = text.find(&expected.to_string()) < text.find(&marker.to_string());
        let message = text
            .replace('%', "%%")
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace(&expected.to_string(), "%u.%u")
            .replace(&marker.to_string(), "%u.%u");
        Some(AbiCheck {
            function: handshake.c_symbol.clone(),
            macro_name: self.fmt.abi_macro(),
            version: format!("0x{:08x}", handshake.expected.packed()),
            version_text: handshake.expected.to_string(),
            message,
            expected_first,
        })
    }
}
