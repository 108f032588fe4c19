//! Bridge enums: typed Go constants with `String` (and `Error` when an enum is one).

use super::formatter::Subject;
use super::gen::Gen;
use super::go_file::GoFile;
use super::rows::{render_rows, Row};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, ReturnType, TypeId};

#[derive(Template)]
#[template(path = "go/templates/enum.go.jinja", escape = "none")]
pub(super) struct EnumTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    pub(super) recv: String,
    pub(super) variants: Vec<String>,
    pub(super) names: Vec<(String, String)>,
    pub(super) example: String,
    pub(super) is_error: bool,
    pub(super) package: String,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn enum_file(&self, id: TypeId, e: &'tcx hir::EnumDef) -> Result<GoFile, GenError> {
        let name = self.fmt.type_name(id);
        let recv = self.fmt.receiver(&name, &[]);
        let mut file = self.new_file();
        file.imports.insert("strconv");
        let mut rows = Vec::new();
        let mut names = Vec::new();
        for v in &e.variants {
            let constant = self.fmt.enum_const(id, v.name.as_str());
            let doc = self.fmt.doc(&v.docs, "\t", None);
            if !doc.is_empty() {
                rows.push(Row::Comment(doc.trim_end().to_string()));
            }
            rows.push(Row::Cells(vec![
                format!("\t{constant}"),
                name.clone(),
                format!("= {}", v.discriminant),
            ]));
            names.push((constant, self.fmt.variant_name(v.name.as_str())));
        }
        let is_error = self.enum_is_error(id);
        file.items.push(
            EnumTemplate {
                doc: self.fmt.doc(&e.docs, "", Some(Subject::Type(&name))),
                name: name.clone(),
                recv: recv.clone(),
                variants: render_rows(&rows),
                example: names.first().map(|(_, n)| n.clone()).unwrap_or_default(),
                names,
                is_error,
                package: self.fmt.package.clone(),
            }
            .to_string(),
        );
        self.value_type_methods(&mut file, id, &e.methods)?;
        Ok(file)
    }

    /// Whether some method returns this enum as its error.
    pub(super) fn enum_is_error(&self, id: TypeId) -> bool {
        self.all_methods().iter().any(|(_, m)| {
            matches!(&m.output, ReturnType::Fallible(_, Some(hir::Type::Enum(e))) if TypeId::from(e.tcx_id) == id)
        })
    }
}
