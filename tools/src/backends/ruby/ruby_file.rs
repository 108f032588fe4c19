//! The Ruby half of the extension (`lib/<lib>/bindings.rb`): exceptions, enums and value types.

use super::formatter::comment_lines;
use super::gen::{render_error, Gen};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::TypeDef;

#[derive(Template)]
#[template(path = "ruby/templates/bindings.rb.jinja", escape = "none")]
pub(super) struct RubyTemplate {
    pub(super) module_doc: String,
    pub(super) module: String,
    pub(super) items: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The Ruby file: the exceptions, then the enums and value types in declaration order.
    pub(super) fn ruby_source(&self) -> Result<String, GenError> {
        let module = self.fmt.module();

        let mut items = self.ruby_exceptions()?;
        for (id, ty) in self.types() {
            match ty {
                TypeDef::Enum(e) => {
                    items.push(String::new());
                    items.push(self.ruby_enum(id, e)?);
                }
                TypeDef::Struct(s) => {
                    items.push(String::new());
                    items.push(self.ruby_struct(id, &s.docs, &s.fields)?);
                }
                TypeDef::OutStruct(s) => {
                    items.push(String::new());
                    items.push(self.ruby_struct(id, &s.docs, &s.fields)?);
                }
                _ => {}
            }
        }
        RubyTemplate {
            module_doc: comment_lines(
                &[format!(
                "The Ruby API of {} {}: this file holds its exceptions, enums and value types, \
                 and the C extension ({}) its classes of Rust objects.",
                self.bridge.package,
                self.bridge.version,
                self.fmt.ext_name()
            )],
                "",
            ),
            module,
            items: items
                .into_iter()
                .map(|i| i.trim_end().to_string())
                .collect(),
        }
        .render()
        .map_err(render_error)
    }
}
