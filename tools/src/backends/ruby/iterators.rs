//! Iterators and cursors: the `each` that yields what they have left and makes their classes
//! Enumerable.

use super::gen::{render, render_init, Gen};
use super::methods::MethodCode;
use crate::backends::common::cursor::Cursor;
use crate::backends::common::shapes::{self, Output, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IntType, PrimitiveType, TypeId};

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

    /// `each_reusing` for a cursor whose accessors all return bytes or text: `each` that refills
    /// the same Strings for every entry instead of allocating new ones. `None` for a cursor
    /// with an accessor of another kind.
    pub(super) fn each_reusing(
        &self,
        id: TypeId,
        cursor: &Cursor,
    ) -> Result<Option<MethodCode>, GenError> {
        let mut outs = Vec::new();
        for accessor in &cursor.accessors {
            let (new, view) = match shapes::MethodShape::of(accessor, self.tcx).output() {
                Output::Value(Shape::Slice {
                    prim: PrimitiveType::Byte | PrimitiveType::Int(IntType::U8),
                    ..
                }) => (
                    "rb_str_new(NULL, 0)".to_string(),
                    self.fmt
                        .c
                        .slice_view(PrimitiveType::Int(IntType::U8), false),
                ),
                Output::Value(Shape::Str { .. }) => (
                    "rb_utf8_str_new(NULL, 0)".to_string(),
                    self.fmt.c.str_view().to_string(),
                ),
                _ => return Ok(None),
            };
            outs.push(ReusedOut {
                new,
                view,
                call: accessor.abi_name.as_str().to_string(),
            });
        }
        let params: Vec<String> = cursor
            .accessors
            .iter()
            .map(|m| self.fmt.method_name(Some(id), m))
            .collect();
        let name = self.fmt.c_method(Some(id), "each_reusing", false);
        let advance_rb = self.fmt.method_name(Some(id), cursor.advance);
        let text = render(&EachReusingTemplate {
            name: &name,
            refill: self.fmt.c_method(Some(id), "refill", false),
            params: params.join(", "),
            advance: self.fmt.c_method(Some(id), &advance_rb, false),
            c_type: self.fmt.c_type(id).to_string(),
            unwrap: self.fmt.helper("unwrap"),
            data_type: self.fmt.c_data_type(id),
            count: outs.len(),
            outs,
        })?;
        let define = render_init(&EachReusingDefineTemplate {
            class: self.fmt.c_class(id),
            name,
        })?;
        Ok(Some(MethodCode { text, define }))
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

/// One String `each_reusing` refills: how it is made, and the accessor that fills it.
struct ReusedOut {
    new: String,
    view: String,
    call: String,
}

#[derive(Template)]
#[template(path = "ruby/templates/each_reusing.c.jinja", escape = "none")]
struct EachReusingTemplate<'a> {
    name: &'a str,
    refill: String,
    params: String,
    advance: String,
    c_type: String,
    unwrap: String,
    data_type: String,
    count: usize,
    outs: Vec<ReusedOut>,
}

#[derive(Template)]
#[template(
    source = "rb_define_method({{ class }}, \"each_reusing\", {{ name }}, 0);",
    ext = "c",
    escape = "none"
)]
struct EachReusingDefineTemplate {
    class: String,
    name: String,
}
