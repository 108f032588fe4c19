//! Diplomat iterators: `All`, an `iter.Seq` over an iterator's `next`.

use super::formatter::comment;
use super::gen::Gen;
use super::go_file::GoFile;
use crate::backends::common::shapes::{MethodShape, Output, Return};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{Method, SpecialMethod, TypeContext, TypeId};

pub(super) fn has_iterator(tcx: &TypeContext, id: Option<TypeId>) -> bool {
    id.is_some_and(|id| {
        tcx.resolve_type(id)
            .methods()
            .iter()
            .any(|m| matches!(m.attrs.special_method, Some(SpecialMethod::Iterator)))
    })
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// `All`, the range-over-func form of a Diplomat iterator's `next`.
    pub(super) fn iterator_all(
        &self,
        file: &mut GoFile,
        id: TypeId,
        next: &Method,
    ) -> Result<String, GenError> {
        let label = self.label(Some(id), next);
        let shape = MethodShape::of(next, self.tcx);
        let Return::Nullable(Output::Value(item)) = &shape.ret else {
            return Err(GenError::unsupported(
                &label,
                "an iterator whose next does not return an Option",
            ));
        };
        let (item_type, _) = self.lift(
            &label,
            item,
            "ret.ok",
            &shape.borrows,
            "",
            &shape.params,
            &[],
        )?;
        let name = self.fmt.type_name(id);
        let recv = self.fmt.receiver(&name, &[]);
        let next_name = self.fmt.method_name(next);
        file.imports.insert("iter");
        Ok(IteratorAllTemplate {
            doc: comment(
                &[
                    format!("All returns the remaining items of {recv}, calling {next_name} for each, for"),
                    "range-over-func loops.".into(),
                ],
                "",
            ),
            recv: &recv,
            name: &name,
            item_type: &item_type,
            next_name: &next_name,
        }
        .to_string())
    }
}

#[derive(Template)]
#[template(path = "go/templates/iterator_all.go.jinja", escape = "none")]
struct IteratorAllTemplate<'a> {
    doc: String,
    recv: &'a str,
    name: &'a str,
    item_type: &'a str,
    next_name: &'a str,
}
