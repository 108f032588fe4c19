//! Walks the HIR of a bridge and builds the Go package: one file per type, a file of what they
//! share, and one of the functions Rust calls back. This module holds the walk's shared state
//! and assembles the files; each kind of item is built by its own module (`opaques`, `errors`,
//! `structs`, `enums`, `iterators`, `methods`, `callbacks`, `support`, `abi`; `calls`, `docs`,
//! `go_file` and `rows` are what they share).
//!
//! Each Go method calls one C helper ("shim", defined in its file's cgo preamble) that calls the
//! bridge's C function: shims turn `Result`/`Option` unions into plain structs cgo can read and
//! build callback and option arguments, so the Go side only converts values. How each shape of
//! value converts is written once, in `crossing`: [`Gen::lower`] (Go → C) and [`Gen::lift`]
//! (C → Go).
//!
//! Output Rust writes (a `DiplomatWrite`) lands in Go memory lent for the call, a stack buffer
//! or the caller's slice (the `Append...` variants of byte output), through the C helpers of
//! `templates/write.h.jinja`: no allocation or extra call into Rust per call.

use super::abi::abi_files;
use super::errors::ErrorInfo;
use super::formatter::{closed_variant, GoFormatter};
use super::go_file::GoFile;
use super::methods::Owner;
use super::opaques::{opaque_info, OpaqueInfo};
use super::support::{Support, WriteHeaderTemplate};
use crate::backends::common::extra_code;
use crate::backends::common::handshake::Handshake;
use crate::backends::model::names::Names;
use crate::backends::model::{walk, Model};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{self, IncludeLocation, Method, TypeContext, TypeDef, TypeId};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Generates the Go package of `bridge`.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let model = Model::new("go", bridge, tcx)?;
    let fmt = GoFormatter::new(tcx, &model.c, &bridge.lib_name);
    let gen = Gen::new(&fmt, &model, bridge)?;
    let mut files = gen.files()?;
    if let Some(handshake) = Handshake::find(bridge, tcx) {
        for (path, text) in abi_files(&fmt, bridge, tcx, &handshake) {
            files.add(path, text);
        }
    }
    files.extend_under(Path::new(fmt.include_dir()), model.c.headers(bridge)?);
    Ok(files)
}

pub(super) struct Gen<'a, 'tcx> {
    pub(super) fmt: &'a GoFormatter<'tcx>,
    pub(super) model: &'a Model<'tcx>,
    pub(super) tcx: &'tcx TypeContext,
    pub(super) bridge: &'a Bridge,
    pub(super) opaques: HashMap<TypeId, OpaqueInfo>,
    pub(super) errors: BTreeMap<TypeId, ErrorInfo>,
    /// The error value of objects used after `Close`: an error type and the constant of its
    /// `Closed` kind, if the bridge has one.
    pub(super) closed_kind: Option<(TypeId, String, String)>,
    pub(super) support: RefCell<Support>,
    pub(super) exports: RefCell<Vec<String>>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn new(
        fmt: &'a GoFormatter<'tcx>,
        model: &'a Model<'tcx>,
        bridge: &'a Bridge,
    ) -> Result<Self, GenError> {
        let tcx = fmt.tcx;
        let mut gen = Gen {
            fmt,
            model,
            tcx,
            bridge,
            opaques: HashMap::new(),
            errors: BTreeMap::new(),
            closed_kind: None,
            support: RefCell::default(),
            exports: RefCell::default(),
        };
        gen.check_names()?;
        // Opaque error types become Go error values; enum errors are their enum's values.
        for (id, ty) in walk::types(tcx) {
            if let TypeDef::Opaque(o) = ty {
                match model.errors.get(id) {
                    Some(error) => {
                        let info = gen.error_info(o, error)?;
                        gen.errors.insert(id, info);
                    }
                    None => {
                        gen.opaques.insert(id, opaque_info(o));
                    }
                }
            }
        }
        gen.mark_borrows()?;
        gen.closed_kind = gen.errors.iter().find_map(|(&id, info)| {
            let (field, kind) = info.kind.as_ref()?;
            let variant = closed_variant(tcx.resolve_enum(match kind {
                TypeId::Enum(e) => *e,
                _ => return None,
            }))?;
            Some((id, field.clone(), fmt.enum_const(*kind, variant)))
        });
        Ok(gen)
    }

    /// Two items with one Go name would not compile; say which.
    pub(super) fn check_names(&self) -> Result<(), GenError> {
        let mut names = Names::new("go", "in Go");
        for (id, ty) in walk::types(self.tcx) {
            names.claim(&self.fmt.type_name(id), &format!("type {}", ty.name()))?;
            for m in walk::enabled(ty.methods()).filter(|m| m.param_self.is_none()) {
                names.claim(
                    &self.fmt.function_name(Some(id), m),
                    &format!("{}::{}", ty.name(), m.name),
                )?;
            }
            if let TypeDef::Enum(e) = ty {
                for v in &e.variants {
                    names.claim(
                        &self.fmt.enum_const(id, v.name.as_str()),
                        &format!("{}::{}", ty.name(), v.name),
                    )?;
                }
            }
        }
        for f in walk::free_functions(self.tcx) {
            names.claim(
                &self.fmt.function_name(None, f),
                &format!("function {}", f.name),
            )?;
        }
        Ok(())
    }

    pub(super) fn all_methods(&self) -> Vec<(Option<TypeId>, &'tcx Method)> {
        walk::methods(self.tcx).collect()
    }

    pub(super) fn label(&self, owner: Option<TypeId>, m: &Method) -> String {
        walk::label(self.tcx, owner, m)
    }

    pub(super) fn files(&self) -> Result<Files, GenError> {
        let mut files = Files::default();
        for (id, ty) in walk::types(self.tcx) {
            let file = match ty {
                TypeDef::Opaque(o) if self.errors.contains_key(&id) => self.error_file(id, o)?,
                TypeDef::Opaque(o) => self.opaque_file(id, o)?,
                TypeDef::Struct(s) => {
                    self.struct_file(id, &s.docs, &s.fields, &s.methods, &s.attrs)?
                }
                TypeDef::OutStruct(s) => {
                    self.struct_file(id, &s.docs, &s.fields, &s.methods, &s.attrs)?
                }
                TypeDef::Enum(e) => self.enum_file(id, e)?,
                _ => {
                    return Err(GenError::unsupported(
                        ty.name().as_str(),
                        "this kind of type",
                    ))
                }
            };
            files.add(self.fmt.type_file(id), file.render(&self.fmt.package));
        }
        let mut support = self.support_file()?;
        // Free functions live with the shared code.
        for f in walk::free_functions(self.tcx) {
            let item = self.method(&mut support, Owner::Free, f)?;
            support.items.push(item);
        }
        self.finish_support(&mut support);
        files.add(self.fmt.support_file(), support.render(&self.fmt.package));
        if self.support.borrow().write {
            files.add(
                Path::new(self.fmt.include_dir()).join(self.fmt.write_header()),
                WriteHeaderTemplate.to_string(),
            );
        }
        let exports = self.exports.take();
        if !exports.is_empty() {
            let mut file = GoFile::default();
            file.preamble
                .push(format!("#include \"{}\"", self.fmt.umbrella_header()));
            file.imports.insert("runtime/cgo");
            file.items = exports;
            files.add(self.fmt.callbacks_file(), file.render(&self.fmt.package));
        }
        Ok(files)
    }

    /// Code the bridge supplies for Go (`custom_extra_code`).
    pub(super) fn extra_code(
        &self,
        attrs: &hir::Attrs,
        at: &IncludeLocation,
        item: &str,
    ) -> Result<Option<String>, GenError> {
        extra_code::read(self.bridge, attrs, at, item)
    }
}
