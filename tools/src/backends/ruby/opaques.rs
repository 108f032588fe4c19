//! Opaque types: the class of Rust objects Init_ defines for each, its TypedData type, and
//! whether objects keep others alive.

use super::gen::{render_error, render_init, Gen, Init};
use crate::backends::common::shapes::{MethodShape, Output, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, TypeDef, TypeId};

#[derive(Template)]
#[template(path = "ruby/templates/opaque.c.jinja", escape = "none")]
pub(super) struct OpaqueTemplate {
    pub(super) p: String,
    pub(super) ruby_path: String,
    pub(super) c_type: String,
    pub(super) destroy: String,
    pub(super) c_destroy: String,
    pub(super) data_type: String,
    pub(super) keep: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The TypedData types of the opaque types.
    pub(super) fn opaque_types(&self) -> Result<Vec<String>, GenError> {
        let mut types = Vec::new();
        for (id, ty) in self.types() {
            if let TypeDef::Opaque(def) = ty {
                if !self.errors.contains_key(&id) {
                    types.push(self.opaque_type(id, def)?);
                }
            }
        }
        Ok(types)
    }

    /// Init_'s definition of the class of an opaque type.
    pub(super) fn opaque_class_init(
        &self,
        id: TypeId,
        def: &hir::OpaqueDef,
        init: &mut Init,
    ) -> Result<(), GenError> {
        self.support.borrow_mut().boxes = true;
        let var = self.fmt.c_class(id);
        init.lines.push(String::new());
        init.lines.push(render_init(&OpaqueClassTemplate {
            doc: self
                .doc_block(&self.fmt.doc_lines(&def.docs), &[], "")
                .into_iter()
                .map(|line| line + "\n")
                .collect(),
            module_var: self.fmt.c_module(),
            var: &var,
            name: &self.fmt.type_name(id),
        })?);
        init.globals.push(var);
        Ok(())
    }

    /// The TypedData type of an opaque type.
    pub(super) fn opaque_type(&self, id: TypeId, def: &hir::OpaqueDef) -> Result<String, GenError> {
        OpaqueTemplate {
            p: self.p(),
            ruby_path: self.fmt.type_path(id),
            c_type: self.fmt.c_type(id).to_string(),
            destroy: self.fmt.c_destroy(id),
            c_destroy: def.dtor_abi_name.as_str().to_string(),
            data_type: self.fmt.c_data_type(id),
            keep: self.support.borrow().keep,
        }
        .render()
        .map_err(render_error)
    }

    /// Whether any method returns an object that borrows from another, so that objects keep
    /// others alive.
    pub(super) fn needs_keep(&self) -> bool {
        self.types().any(|(_, ty)| {
            ty.methods().iter().any(|m| {
                let shape = MethodShape::of(m, self.tcx);
                matches!(shape.output(), Output::Value(Shape::Opaque { .. }))
                    && (shape.borrows.from_self || !shape.borrows.objects.is_empty())
            })
        })
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/opaque_class.c.jinja", escape = "none")]
struct OpaqueClassTemplate<'a> {
    /// Its comment, each line ending in a newline.
    doc: String,
    module_var: String,
    var: &'a str,
    name: &'a str,
}
