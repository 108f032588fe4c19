//! The converters of value types and enums between Ruby and C, which methods and other
//! converters call: each is generated once a method or converter uses it.

use super::gen::{render, Gen};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{TypeDef, TypeId};
use std::collections::BTreeSet;

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Every converter the methods use (and those they use in turn), after their prototypes:
    /// value types convert their fields with each other, in any order.
    pub(super) fn converters(&self) -> Result<Vec<String>, GenError> {
        let mut converters = Vec::new();
        let mut prototypes = Vec::new();
        let mut done = BTreeSet::new();
        loop {
            let pending: Vec<(TypeId, bool)> = self
                .support
                .borrow()
                .converters
                .difference(&done)
                .copied()
                .collect();
            if pending.is_empty() {
                break;
            }
            for (id, to_ruby) in pending {
                let text = self.converter(id, to_ruby)?;
                prototypes.push(format!(
                    "{};",
                    text.lines()
                        .find(|l| l.starts_with("static "))
                        .unwrap_or_default()
                        .trim_end_matches(" {")
                ));
                converters.push(text);
                done.insert((id, to_ruby));
            }
        }
        if !prototypes.is_empty() {
            prototypes.sort();
            converters.insert(0, prototypes.join("\n"));
        }
        Ok(converters)
    }

    /// The converter of a value type or enum from or to Ruby.
    fn converter(&self, id: TypeId, to_ruby: bool) -> Result<String, GenError> {
        let body = match self.tcx.resolve_type(id) {
            TypeDef::Enum(e) => self.enum_converter_body(id, e, to_ruby)?,
            TypeDef::Struct(s) => self.struct_converter_body(id, &s.fields, to_ruby)?,
            TypeDef::OutStruct(s) => {
                if !to_ruby {
                    return Err(GenError(format!(
                        "{}: an output-only struct passed into Rust",
                        s.name
                    )));
                }
                self.struct_converter_body(id, &s.fields, to_ruby)?
            }
            _ => unreachable!("only value types and enums have converters"),
        };
        render(&ConverterTemplate {
            c_type: self.fmt.c_type(id),
            name: self.fmt.c_converter(id, to_ruby),
            path: self.fmt.type_path(id),
            to_ruby,
            body,
        })
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/converter.c.jinja", escape = "none")]
struct ConverterTemplate<'a> {
    c_type: &'a str,
    name: String,
    path: String,
    to_ruby: bool,
    /// Its body, indented.
    body: String,
}
