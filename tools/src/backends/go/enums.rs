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
    /// The C type (e.g. `C.LodeDurability`), if Go ever lowers the enum to C.
    pub(super) c_type: Option<String>,
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
                c_type: self.enum_is_lowered(id).then(|| self.fmt.c_type(id)),
            }
            .to_string(),
        );
        self.value_type_methods(&mut file, id, &e.methods)?;
        Ok(file)
    }

    /// Whether Go ever hands this enum to C (so that it needs its checked `toC`): as a parameter
    /// or receiver, or as a field of a struct that crosses in both directions (their `toC`
    /// always exists).
    pub(super) fn enum_is_lowered(&self, id: TypeId) -> bool {
        use crate::backends::model::{uses, walk};
        use diplomat_core::hir::TypeDef;
        let in_params = self.all_methods().iter().any(|(owner, m)| {
            let mut used = Vec::new();
            m.params
                .iter()
                .for_each(|p| uses::of_type(&p.ty, &mut used));
            used.contains(&id) || (*owner == Some(id) && m.param_self.is_some())
        });
        let in_fields = walk::types(self.tcx).any(|(_, ty)| match ty {
            TypeDef::Struct(def) => def.fields.iter().any(|f| {
                let mut used = Vec::new();
                uses::of_type(&f.ty, &mut used);
                used.contains(&id)
            }),
            _ => false,
        });
        in_params || in_fields
    }

    /// Whether some method returns this enum as its error.
    pub(super) fn enum_is_error(&self, id: TypeId) -> bool {
        self.all_methods().iter().any(|(_, m)| {
            matches!(&m.output, ReturnType::Fallible(_, Some(hir::Type::Enum(e))) if TypeId::from(e.tcx_id) == id)
        })
    }
}
