//! Iterators and cursors: the `each` that yields what they have left and makes their classes
//! Enumerable.

use super::gen::{render, render_init, Gen};
use super::methods::MethodCode;
use crate::backends::common::cursor::Cursor;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::TypeId;

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// `each` for a cursor (see [`Cursor`]): advances, and yields the accessors' values (`key,
    /// value`) of every entry; the class is Enumerable.
    pub(super) fn each_entry(&self, id: TypeId, cursor: &Cursor) -> Result<MethodCode, GenError> {
        let name = self.fmt.c_method(Some(id), "each", false);
        let accessors: Vec<String> = cursor
            .accessors
            .iter()
            .map(|m| self.fmt.method_name(Some(id), m))
            .collect();
        let values: Vec<String> = accessors
            .iter()
            .map(|a| format!("{}(self)", self.fmt.c_method(Some(id), a, false)))
            .collect();
        let advance_rb = self.fmt.method_name(Some(id), cursor.advance);
        let text = render(&EachEntryTemplate {
            name: &name,
            params: accessors.join(", "),
            advance: self.fmt.c_method(Some(id), &advance_rb, false),
            advance_rb,
            count: values.len(),
            values: values.join(", "),
        })?;
        self.each(id, name, text)
    }

    /// `each` for a type with a Diplomat iterator method (`next`), which also makes the class
    /// Enumerable.
    pub(super) fn each_item(&self, id: TypeId, next: &str) -> Result<MethodCode, GenError> {
        let name = self.fmt.c_method(Some(id), "each", false);
        let text = render(&EachItemTemplate { name: &name, next })?;
        self.each(id, name, text)
    }

    fn each(&self, id: TypeId, name: String, text: String) -> Result<MethodCode, GenError> {
        let define = render_init(&EachDefineTemplate {
            class: self.fmt.c_class(id),
            name,
        })?;
        Ok(MethodCode { text, define })
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/each_entry.c.jinja", escape = "none")]
struct EachEntryTemplate<'a> {
    name: &'a str,
    /// The accessors' names, as the block's parameters.
    params: String,
    advance: String,
    advance_rb: String,
    /// How many accessors there are, and their calls.
    count: usize,
    values: String,
}

#[derive(Template)]
#[template(path = "ruby/templates/each_item.c.jinja", escape = "none")]
struct EachItemTemplate<'a> {
    name: &'a str,
    next: &'a str,
}

#[derive(Template)]
#[template(path = "ruby/templates/each_define.c.jinja", escape = "none")]
struct EachDefineTemplate {
    class: String,
    name: String,
}
