//! The runtime ABI handshake every binding performs before its first call into the library:
//! which method of the bridge reports the loaded library's ABI version, the version the
//! bindings are generated for, and the one wording of a mismatch (see [`crate::abi`] for the
//! protocol, [`crate::version`] for the rule).

use crate::bridge::Bridge;
use crate::version::AbiVersion;
use diplomat_core::hir::{self, TypeContext};

/// The method a bridge's bindings call to learn the loaded library's ABI version, and the
/// version they were generated for.
#[derive(Clone, Debug)]
pub struct Handshake {
    /// The package whose version the bindings carry, e.g. `lode-ffi`.
    pub package: String,
    /// The version the bindings are generated from.
    pub expected: AbiVersion,
    /// The exported C function: `LodeDatabase_abi_version`.
    pub c_symbol: String,
    /// The Rust name of the type owning the method (`LodeDatabase`), for backends to look up
    /// their own spelling of it.
    pub owner: String,
    /// The method's name: `abi_version`.
    pub method: String,
}

impl Handshake {
    /// The bridge's `abi_version()` static method returning `u32`, if it has one. `tcx` may be
    /// lowered for any backend (a backend that disables the method has no handshake).
    pub fn find(bridge: &Bridge, tcx: &TypeContext) -> Option<Handshake> {
        for (_, ty) in crate::backends::model::walk::types(tcx) {
            for method in ty.methods() {
                let returns_u32 = matches!(
                    &method.output,
                    hir::ReturnType::Infallible(hir::SuccessType::OutType(hir::Type::Primitive(
                        hir::PrimitiveType::Int(hir::IntType::U32)
                    )))
                );
                if method.name.as_str() == "abi_version"
                    && method.param_self.is_none()
                    && method.params.is_empty()
                    && returns_u32
                    && !method.attrs.disable
                {
                    return Some(Handshake {
                        package: bridge.package.clone(),
                        expected: AbiVersion::of(&bridge.version),
                        c_symbol: method.abi_name.as_str().to_string(),
                        owner: ty.name().as_str().to_string(),
                        method: method.name.as_str().to_string(),
                    });
                }
            }
        }
        None
    }

    /// What every binding says when the library is incompatible: both versions, and what to do.
    pub fn mismatch_message(&self, library: AbiVersion) -> String {
        self.mismatch_message_with(
            |text| text.to_string(),
            &self.expected.to_string(),
            &library.to_string(),
        )
    }

    /// [`Self::mismatch_message`] as a backend spells it in its own language: each piece of the
    /// wording goes through `literal` (to escape it, or quote it), and `expected` and `library`
    /// stand for the two versions as that language prints them at run time (`%u.%u`, Zig's
    /// `{d}.{d}`). The expected version always comes first.
    pub fn mismatch_message_with(
        &self,
        literal: impl Fn(&str) -> String,
        expected: &str,
        library: &str,
    ) -> String {
        format!(
            "{}{expected}{}{library}{}",
            literal(&format!(
                "{}: ABI mismatch: these bindings were generated for ABI ",
                self.package
            )),
            literal(" but the loaded library reports ABI "),
            literal("; use the library they were generated with, or regenerate them"),
        )
    }
}

/// `text` inside a C or Go string literal given to a printf-style function: backslashes,
/// quotes and `%` escaped.
pub fn printf_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lode() -> Handshake {
        Handshake {
            package: "lode-ffi".into(),
            expected: AbiVersion::of("0.2.0"),
            c_symbol: "LodeDatabase_abi_version".into(),
            owner: "LodeDatabase".into(),
            method: "abi_version".into(),
        }
    }

    #[test]
    fn the_message_names_both_versions_expected_first() {
        assert_eq!(
            lode().mismatch_message(AbiVersion::of("0.3.1")),
            "lode-ffi: ABI mismatch: these bindings were generated for ABI 0.2 but the loaded \
             library reports ABI 0.3; use the library they were generated with, or regenerate them"
        );
    }

    #[test]
    fn a_language_spells_the_pieces_and_the_versions_its_way() {
        let printf = lode().mismatch_message_with(|t| t.replace('%', "%%"), "%u.%u", "%u.%u");
        assert!(printf.starts_with(
            "lode-ffi: ABI mismatch: these bindings were generated for ABI %u.%u but"
        ));
        assert_eq!(printf.matches("%u.%u").count(), 2);
    }
}
