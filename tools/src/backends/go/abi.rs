//! The runtime ABI handshake of the package: `CheckABI`, and the `init` that calls it.

use super::formatter::GoFormatter;
use super::go_file::GoFile;
use crate::backends::common::handshake::{printf_literal, Handshake};
use crate::bridge::Bridge;
use askama::Template;
use diplomat_core::hir::TypeContext;

/// The runtime ABI handshake (see [`Handshake`]): a file defining `CheckABI`, and one whose
/// `init` calls it and panics on a mismatch, left out by the build tag that opts out of it.
/// (Generated rather than written as custom code: the expected version comes from the bridge.)
pub(super) fn abi_files(
    fmt: &GoFormatter,
    bridge: &Bridge,
    tcx: &TypeContext,
    handshake: &Handshake,
) -> Vec<(String, String)> {
    // The Go function that reports the library's version, for the docs to link to.
    let loaded_fn = tcx
        .all_types()
        .find(|(_, ty)| ty.name().as_str() == handshake.owner)
        .and_then(|(id, ty)| {
            let method = ty
                .methods()
                .iter()
                .find(|m| m.name.as_str() == handshake.method)?;
            Some(fmt.function_name(Some(id), method))
        })
        .unwrap_or_else(|| format!("C.{}", handshake.c_symbol));
    // The shared wording, in a Go string literal given to fmt.Sprintf, with indexed verbs for
    // both versions.
    let message = handshake.mismatch_message_with(printf_literal, "%[1]d.%[2]d", "%[3]d.%[4]d");
    let tag = fmt.no_abi_check_tag();
    let mut abi = GoFile::default();
    abi.preamble
        .push(format!("#include \"{}\"", fmt.umbrella_header()));
    abi.imports.insert("fmt");
    abi.items.push(
        AbiTemplate {
            package: &bridge.package,
            version: &bridge.version,
            loaded_fn: &loaded_fn,
            expected: format!("0x{:08x}", handshake.expected.packed()),
            message,
            tag: &tag,
            symbol: &handshake.c_symbol,
        }
        .to_string(),
    );
    let mut check = GoFile::default();
    check.items.push(AbiCheckTemplate.to_string());
    vec![
        (fmt.abi_file(), abi.render(&fmt.package)),
        (
            fmt.abi_check_file(),
            format!("\n//go:build !{tag}\n{}", check.render(&fmt.package)),
        ),
    ]
}

#[derive(Template)]
#[template(path = "go/templates/abi.go.jinja", escape = "none")]
pub(super) struct AbiTemplate<'a> {
    pub(super) package: &'a str,
    pub(super) version: &'a str,
    pub(super) loaded_fn: &'a str,
    pub(super) expected: String,
    pub(super) message: String,
    pub(super) tag: &'a str,
    pub(super) symbol: &'a str,
}

/// The `init` of the file the build tag that opts out of the check leaves out.
#[derive(Template)]
#[template(path = "go/templates/abi_check.go.jinja", escape = "none")]
pub(super) struct AbiCheckTemplate;
