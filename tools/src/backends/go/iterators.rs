//! Diplomat iterators: `All`, an `iter.Seq` over an iterator's `next`.

use super::formatter::comment;
use super::gen::Gen;
use super::go_file::GoFile;
use super::methods::MethodTemplate;
use crate::backends::common::shapes::{MethodShape, Output, Return};
use crate::backends::GenError;
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
        Ok(MethodTemplate {
            doc: comment(
                &[
                    format!("All returns the remaining items of {recv}, calling {next_name} for each, for"),
                    "range-over-func loops.".into(),
                ],
                "",
            ),
            receiver: Some(format!("{recv} *{name}")),
            name: "All".into(),
            params: String::new(),
            results: format!(" iter.Seq[{item_type}]"),
            body: vec![
                format!("\treturn func(yield func({item_type}) bool) {{"),
                "\t\tfor {".into(),
                format!("\t\t\titem, ok := {recv}.{next_name}()"),
                "\t\t\tif !ok || !yield(item) {".into(),
                "\t\t\t\treturn".into(),
                "\t\t\t}".into(),
                "\t\t}".into(),
                "\t}".into(),
            ],
        }
        .to_string())
    }
}
