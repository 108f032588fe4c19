//! Walks the HIR of a bridge and assembles its Zig module: one file holding the public API (error
//! sets and diagnostics, enums, structs, opaque wrappers, free functions), the ABI handshake, and
//! a private namespace `c` with the C declarations it calls. Each kind of item is built by its
//! own module (`errors`, `enums`, `structs`, `opaques`, `iterators`, `methods`, `callbacks`);
//! how each shape of value crosses is written once, in `crossing`.
//!
//! The module declares the C functions itself (`extern fn`, with `extern struct` layouts of the
//! values that cross) rather than importing a translated header, so it builds the same with or
//! without the build system's translate-c and with any Zig that accepts its syntax.

use super::errors::ErrorInfo;
use super::formatter::{doc_comment, ZigFormatter};
use super::methods::Owner;
use super::text::wrap_text;
use crate::backends::common::c_names::CNames;
use crate::backends::common::handshake::Handshake;
use crate::backends::common::shapes::{MethodShape, Output};
use crate::backends::model::names::Names;
use crate::backends::model::{walk, Model};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use askama::Template;
use diplomat_core::hir::{IncludeLocation, Method, TypeContext, TypeDef, TypeId};
use std::collections::{BTreeMap, BTreeSet};

/// Generates the Zig module of `bridge`: `<lib>.zig`.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let model = Model::new("zig", bridge, tcx)?;
    let fmt = ZigFormatter::new(tcx);
    let mut gen = Gen {
        bridge,
        tcx,
        model: &model,
        c_names: &model.c,
        fmt: &fmt,
        handshake: Handshake::find(bridge, tcx),
        errors: BTreeMap::new(),
        top_level: Names::new("zig", "at the top level of the Zig module"),
        externs: Vec::new(),
    };
    let text = gen.module(bridge)?;
    let mut files = Files::default();
    files.add(fmt.file_name(&bridge.lib_name), text);
    Ok(files)
}

/// Code a bridge supplies for Zig is spliced into an opaque type's struct (its `def_block`);
/// anywhere else it would be dropped, so it stops generation instead.
fn check_extra_code(name: &str, ty: &TypeDef) -> Result<(), GenError> {
    let spliced =
        |at: &IncludeLocation| matches!(ty, TypeDef::Opaque(_)) && *at == IncludeLocation::DefBlock;
    match ty.attrs().custom_extra_code.keys().find(|at| !spliced(at)) {
        Some(at) => Err(GenError::unsupported(
            name,
            &format!("custom_extra_code at {at:?} (only an opaque type's def_block)"),
        )),
        None => Ok(()),
    }
}

/// Lines longer than this put one parameter per line (`zig fmt` keeps either layout).
pub(super) const MAX_LINE: usize = 100;

/// Names the module declares at its top level or in `c` whatever the bridge: a bridge name
/// equal to one of these would shadow it (Zig forbids shadowing).
const MODULE_NAMES: &[&str] = &[
    "std",
    "c",
    "abi",
    "Handle",
    "Entry",
    "DiplomatWrite",
    "DiplomatSlice",
    "DiplomatSliceMut",
    "DiplomatResult",
    "DiplomatErrOnly",
    "DiplomatOption",
    "DiplomatStatus",
    "DiplomatCallback",
    "ListWrite",
    "callback",
    "contextPointer",
    "handleOrNull",
    "handle",
    "contextValue",
];

/// Locals and added parameters of generated functions, which bridge parameters must not take.
pub(super) const LOCALS: &[&str] = &[
    "self",
    "result",
    "write",
    "list",
    "allocator",
    "out",
    "diagnostics",
    "context",
    "Thunk",
];

/// The walk of one bridge: what the backend's modules read (the HIR, its C names, the naming
/// rules) and what they fill in (the error types, the names taken, the C declarations).
pub(super) struct Gen<'a, 'tcx> {
    pub(super) bridge: &'a Bridge,
    pub(super) tcx: &'tcx TypeContext,
    pub(super) model: &'a Model<'tcx>,
    pub(super) c_names: &'a CNames<'tcx>,
    pub(super) fmt: &'a ZigFormatter<'tcx>,
    pub(super) handshake: Option<Handshake>,
    /// Every error type of the bridge, by type.
    pub(super) errors: BTreeMap<TypeId, ErrorInfo>,
    /// Every top-level name, with what declared it (for collision errors).
    pub(super) top_level: Names,
    /// The C declarations, in the order their functions were generated.
    pub(super) externs: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn module(&mut self, bridge: &Bridge) -> Result<String, GenError> {
        for name in MODULE_NAMES {
            self.declare(name, "the generated module's own")?;
        }
        self.find_errors()?;
        let types: Vec<(TypeId, TypeDef<'tcx>)> = walk::types(self.tcx).collect();
        for (id, ty) in &types {
            check_extra_code(&self.fmt.type_name(*id), ty)?;
            if !self.is_error_object(*id) {
                let name = self.fmt.type_name(*id);
                self.declare(&name, &format!("type {}", ty.name().as_str()))?;
            }
        }
        let free: Vec<&Method> = walk::free_functions(self.tcx).collect();
        for method in &free {
            let name = self.method_name(method);
            self.declare(&name, &format!("function {}", method.name.as_str()))?;
        }

        let mut items = Vec::new();
        let errors: Vec<TypeId> = self.errors.keys().copied().collect();
        for id in errors {
            items.push(self.error_item(id)?);
        }
        for kind in [0, 1, 2] {
            for (id, ty) in &types {
                match (kind, ty) {
                    (0, TypeDef::Enum(e)) => items.push(self.enum_item(*id, e)?),
                    (1, TypeDef::Struct(_) | TypeDef::OutStruct(_)) => {
                        items.push(self.struct_item(*id)?)
                    }
                    (2, TypeDef::Opaque(o)) if !self.is_error_object(*id) => {
                        items.push(self.opaque_item(*id, o)?)
                    }
                    _ => {}
                }
            }
        }
        let owner = Owner {
            id: None,
            name: String::new(),
            members: BTreeSet::new(),
        };
        for method in free {
            for func in self.method(&owner, method)? {
                items.push(func.render()?);
            }
        }

        let handshake = self
            .handshake
            .as_ref()
            .map(|h| {
                let packed = h.expected.packed();
                // The shared wording in a Zig string literal given to std.debug.print.
                let mismatch = h.mismatch_message_with(
                    |text| {
                        text.replace('\\', "\\\\")
                            .replace('"', "\\\"")
                            .replace('{', "{{")
                            .replace('}', "}}")
                    },
                    // Each version ends a line of the literal, as `zig fmt` lays out `++`.
                    "{d}.{d}\" ++\n        \"",
                    "{d}.{d}\" ++\n        \"",
                );
                render(&HandshakeTemplate {
                    mismatch,
                    package: &h.package,
                    version: &bridge.version,
                    expected: format!("0x{:04x}_{:04x}", packed >> 16, packed & 0xffff),
                    symbol: &h.c_symbol,
                })
            })
            .transpose()?;
        let docs = doc_comment("//!", &self.module_docs(bridge, &types));
        render(&ModuleTemplate {
            docs: &docs,
            items: &items,
            handshake: handshake.as_deref(),
            externs: &self.externs,
        })
    }

    /// The module's doc comment: what it is, and the conventions of the API it has.
    pub(super) fn module_docs(&self, bridge: &Bridge, types: &[(TypeId, TypeDef)]) -> Vec<String> {
        let methods = || {
            types
                .iter()
                .flat_map(|(_, ty)| walk::enabled(ty.methods()))
                .chain(walk::free_functions(self.tcx))
        };
        let mut conventions = Vec::new();
        if types
            .iter()
            .any(|(id, ty)| matches!(ty, TypeDef::Opaque(_)) && !self.is_error_object(*id))
        {
            conventions.push("A value wrapping a library object owns it: `deinit` destroys it.");
        }
        if !self.errors.is_empty() {
            conventions.push(
                "A call that can fail returns an error union and takes, last, a pointer to \
                 diagnostics (or `null`) that record the failure's kind and message.",
            );
        }
        if methods().any(|m| matches!(MethodShape::of(m, self.tcx).output(), Output::Write(_))) {
            conventions.push(
                "Output the library writes comes in memory from the caller's allocator, which \
                 the caller frees; the `...Append` variant of such a function appends to the \
                 caller's list instead.",
            );
        }
        if types
            .iter()
            .any(|(_, ty)| matches!(ty, TypeDef::Struct(_) | TypeDef::OutStruct(_)))
        {
            conventions.push("Struct fields default to zero where zero is a valid value.");
        }
        let mut paragraphs = vec![format!(
            "The Zig API of {} {}, generated from its Diplomat bridge.",
            bridge.package, bridge.version
        )];
        if !conventions.is_empty() {
            paragraphs.push(String::new());
            paragraphs.push(conventions.join(" "));
        }
        paragraphs
            .iter()
            .flat_map(|p| wrap_text(p, MAX_LINE - 4))
            .collect()
    }

    /// Records a top-level name, failing if something else took it.
    pub(super) fn declare(&mut self, name: &str, what: &str) -> Result<(), GenError> {
        self.top_level.claim(name, what)
    }
}

pub(super) fn render(template: &impl Template) -> Result<String, GenError> {
    template
        .render()
        .map(|text| text.trim_end().to_string())
        .map_err(|e| GenError(format!("rendering a template: {e}")))
}

// ---- templates ----

#[derive(Template)]
#[template(path = "zig/templates/module.zig.jinja", escape = "none")]
struct ModuleTemplate<'a> {
    docs: &'a [String],
    items: &'a [String],
    handshake: Option<&'a str>,
    externs: &'a [String],
}

#[derive(Template)]
#[template(path = "zig/templates/handshake.zig.jinja", escape = "none")]
struct HandshakeTemplate<'a> {
    /// The mismatch message, a format taking the expected major and minor, then the library's.
    mismatch: String,
    package: &'a str,
    version: &'a str,
    expected: String,
    symbol: &'a str,
}
