//! Opaque bridge types: Go structs holding the Rust object, with its locking, `Close` and
//! the objects it keeps alive.

use super::formatter::{comment, Subject};
use super::gen::Gen;
use super::go_file::GoFile;
use super::methods::Owner;
use super::rows::{render_rows, Row};
use crate::backends::common::shapes::{MethodShape, Output, Shape};
use crate::backends::model::walk;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{
    IncludeLocation, OpaqueDef, ReturnType, SpecialMethod, SuccessType, TypeId,
};
use std::collections::BTreeSet;

/// How the Go wrapper of an opaque type manages its Rust object.
pub(super) struct OpaqueInfo {
    /// The Rust method named `close`, which Go's `Close` calls instead of freeing the object.
    pub(super) rust_close: Option<String>,
    /// Go's `Close` frees the object (there is no Rust `close`), so every method must hold a
    /// lock to keep the object alive while it runs.
    pub(super) frees_on_close: bool,
    /// Some method takes `&mut self`: those hold the lock exclusively.
    pub(super) locked: bool,
    /// Objects of this type borrow from others and hold them alive (`keep`).
    pub(super) keeps: bool,
    /// Other objects borrow from objects of this type: `Close` leaves the freeing to the
    /// garbage collector.
    pub(super) borrowed_from: bool,
}

pub(super) fn opaque_info(o: &OpaqueDef) -> OpaqueInfo {
    let rust_close = o.methods.iter().find(|m| {
        !m.attrs.disable
            && m.name.as_str() == "close"
            && m.param_self.is_some()
            && m.params.is_empty()
            && matches!(
                &m.output,
                ReturnType::Infallible(SuccessType::Unit)
                    | ReturnType::Fallible(SuccessType::Unit, _)
            )
    });
    let mutating = o.methods.iter().any(|m| {
        !m.attrs.disable
            && m.param_self
                .as_ref()
                .is_some_and(|s| s.ty.is_mutably_borrowed())
    });
    let frees_on_close = rust_close.is_none();
    OpaqueInfo {
        rust_close: rust_close.map(|m| m.name.as_str().to_string()),
        frees_on_close,
        locked: mutating || frees_on_close,
        keeps: false,
        borrowed_from: false,
    }
}

#[derive(Template)]
#[template(path = "go/templates/opaque.go.jinja", escape = "none")]
pub(super) struct OpaqueTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    pub(super) fields: Vec<String>,
    pub(super) c_type: String,
    pub(super) c_name: String,
    pub(super) wrap_fn: String,
    pub(super) recv: String,
    pub(super) keep: bool,
    pub(super) destroy: String,
    pub(super) frees_on_close: bool,
    pub(super) borrowed_from: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Finds who borrows from whom, and rejects error types used as anything but errors.
    pub(super) fn mark_borrows(&mut self) -> Result<(), GenError> {
        let mut keeps = BTreeSet::new();
        let mut borrowed_from = BTreeSet::new();
        for (owner, m) in self.all_methods() {
            let shape = MethodShape::of(m, self.tcx);
            let label = self.label(owner, m);
            let mut values: Vec<&Shape> = shape.params.iter().map(|(_, s)| s).collect();
            if let Output::Value(v) = shape.output() {
                values.push(v);
            }
            for v in values {
                if let Shape::Opaque { id, .. } = v {
                    if self.errors.contains_key(id) {
                        return Err(GenError::unsupported(
                            &label,
                            "an error type used as a value",
                        ));
                    }
                }
            }
            if let Output::Value(Shape::Opaque {
                id, owned: true, ..
            }) = shape.output()
            {
                if !shape.borrows.from_self && shape.borrows.objects.is_empty() {
                    continue;
                }
                keeps.insert(*id);
                if shape.borrows.from_self {
                    if let Some(owner) = owner {
                        borrowed_from.insert(owner);
                    }
                }
                for name in &shape.borrows.objects {
                    if let Some((_, Shape::Opaque { id, .. })) =
                        shape.params.iter().find(|(n, _)| n == name)
                    {
                        borrowed_from.insert(*id);
                    }
                }
            }
        }
        for (id, info) in &mut self.opaques {
            info.keeps = keeps.contains(id);
            info.borrowed_from = borrowed_from.contains(id);
        }
        Ok(())
    }

    pub(super) fn opaque_file(&self, id: TypeId, o: &'tcx OpaqueDef) -> Result<GoFile, GenError> {
        let info = &self.opaques[&id];
        let name = self.fmt.type_name(id);
        let recv = self.fmt.receiver(&name, &[]);
        let mut file = self.new_file();
        file.imports.insert("runtime");
        let mut fields = Vec::new();
        if info.locked {
            file.imports.insert("sync");
            fields.push(vec!["mu".to_string(), "sync.RWMutex".into()]);
        }
        fields.push(vec!["ptr".into(), format!("*{}", self.fmt.c_type(id))]);
        if info.frees_on_close {
            fields.push(vec!["cleanup".into(), "runtime.Cleanup".into()]);
        }
        if info.keeps {
            fields.push(vec!["keep".into(), "[]any".into()]);
        }
        // Fields the bridge adds for Go (`custom_extra_code` in the `def_block`) align with ours.
        let mut rows: Vec<Row> = fields.into_iter().map(Row::Cells).collect();
        if let Some(extra) =
            self.extra_code(&o.attrs, &IncludeLocation::DefBlock, o.name.as_str())?
        {
            for line in extra.lines().map(str::trim).filter(|l| !l.is_empty()) {
                match line.split_once(char::is_whitespace) {
                    Some((name, ty)) if !line.starts_with("//") => {
                        rows.push(Row::Cells(vec![name.to_string(), ty.trim().to_string()]))
                    }
                    _ => rows.push(Row::Comment(line.to_string())),
                }
            }
        }
        let fields = render_rows(&rows);
        let mut doc = self.fmt.doc(&o.docs, "", Some(Subject::Type(&name)));
        if info.frees_on_close {
            let mut lines = Vec::new();
            if !doc.is_empty() {
                lines.push(String::new());
            }
            lines.push("Close frees it when done; otherwise the garbage collector does.".into());
            doc.push_str(&comment(&lines, ""));
        }
        file.items.push(
            OpaqueTemplate {
                doc,
                name: name.clone(),
                fields,
                c_type: self.fmt.c_type(id),
                c_name: self.fmt.c_name(id).to_string(),
                wrap_fn: self.fmt.wrap_fn(id),
                recv,
                keep: info.keeps,
                destroy: o.dtor_abi_name.as_str().to_string(),
                frees_on_close: info.frees_on_close,
                borrowed_from: info.borrowed_from,
            }
            .to_string(),
        );
        for m in walk::enabled(&o.methods) {
            let owner = if m.param_self.is_some() {
                Owner::Opaque(id)
            } else {
                Owner::Static(id)
            };
            let item = self.method(&mut file, owner, m)?;
            file.items.push(item);
            if matches!(m.attrs.special_method, Some(SpecialMethod::Iterator)) {
                let item = self.iterator_all(&mut file, id, m)?;
                file.items.push(item);
            }
        }
        if let Some(extra) =
            self.extra_code(&o.attrs, &IncludeLocation::ImplBlock, o.name.as_str())?
        {
            file.items.push(extra.trim_end().to_string());
        }
        Ok(file)
    }
}
