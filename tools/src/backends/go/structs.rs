//! Bridge structs: Go structs with their conversions to and from C.

use super::formatter::Subject;
use super::gen::Gen;
use super::go_file::GoFile;
use super::rows::{render_rows, Row};
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, IncludeLocation, Method, TypeId};

#[derive(Template)]
#[template(path = "go/templates/struct.go.jinja", escape = "none")]
pub(super) struct StructTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    pub(super) fields: Vec<String>,
    pub(super) recv: String,
    pub(super) c_type: String,
    pub(super) c_name: String,
    pub(super) from_c: String,
    pub(super) to_c: Vec<String>,
    pub(super) from_c_fields: Vec<String>,
    /// The package's name, if the struct is an error type: it then implements `error`.
    pub(super) error_of: Option<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn struct_file<P: hir::TyPosition>(
        &self,
        id: TypeId,
        docs: &hir::Docs,
        fields: &[hir::StructField<P>],
        methods: &'tcx [Method],
        attrs: &hir::Attrs,
    ) -> Result<GoFile, GenError>
    where
        P::CallbackInstantiation: shapes::AsCallback,
    {
        let name = self.fmt.type_name(id);
        let c_name = self.fmt.c_name(id).to_string();
        let recv = self.fmt.receiver(&name, &[]);
        let mut file = self.new_file();
        let mut rows: Vec<Row> = Vec::new();
        let (mut to_c, mut from_c) = (Vec::new(), Vec::new());
        for f in fields {
            let label = format!("{c_name}.{}", f.name);
            let shape = shapes::shape(&f.ty);
            let go_name = self.fmt.field_name(f.name.as_str());
            let c_field = self.fmt.c_field(f.name.as_str());
            let (go_type, lower, lift) = match &shape {
                Shape::Primitive(p) => (
                    self.fmt.primitive(*p).to_string(),
                    format!("{}({recv}.{go_name})", self.fmt.c_primitive(*p)),
                    format!("{}(c.{c_field})", self.fmt.primitive(*p)),
                ),
                Shape::Enum(e) => (
                    self.fmt.type_name(*e),
                    format!("{recv}.{go_name}.toC()"),
                    format!("{}(c.{c_field})", self.fmt.type_name(*e)),
                ),
                Shape::Struct(s) => (
                    self.fmt.type_name(*s),
                    format!("{recv}.{go_name}.toC()"),
                    format!("{}(c.{c_field})", self.fmt.go_from_c_fn(*s)),
                ),
                Shape::Other(feature) => return Err(GenError::unsupported(&label, feature)),
                _ => return Err(GenError::unsupported(&label, "a struct field of this type")),
            };
            let doc = self.fmt.doc(&f.docs, "\t", None);
            if !doc.is_empty() {
                rows.push(Row::Comment(doc.trim_end().to_string()));
            }
            rows.push(Row::Cells(vec![format!("\t{go_name}"), go_type]));
            to_c.push(format!("{c_field}: {lower}"));
            from_c.push(format!("{go_name}: {lift}"));
        }
        let body = render_rows(&rows);
        // A struct returned as the error of a `Result` is a Go error value itself.
        let error_of = self.model.errors.contains(id).then(|| {
            file.imports.insert("fmt");
            self.fmt.package.clone()
        });
        file.items.push(
            StructTemplate {
                doc: self.fmt.doc(docs, "", Some(Subject::Type(&name))),
                name: name.clone(),
                fields: body,
                recv: recv.clone(),
                c_type: self.fmt.c_type(id),
                c_name,
                from_c: self.fmt.go_from_c_fn(id),
                to_c,
                from_c_fields: from_c,
                error_of,
            }
            .to_string(),
        );
        self.value_type_methods(&mut file, id, methods)?;
        if let Some(extra) =
            self.extra_code(attrs, &IncludeLocation::ImplBlock, &self.fmt.type_name(id))?
        {
            file.items.push(extra.trim_end().to_string());
        }
        Ok(file)
    }
}
