//! Cursors (an `advance` and accessors of the current entry): their `Entry` type and the
//! `next` that `while (try it.next(...)) |entry|` loops call. A type whose bridge has a `next`
//! returning an optional struct (a cursor moving and reading in one call) keeps that `next`, and
//! its `Entry` names the struct.

use super::formatter::doc_comment;
use super::gen::{render, Gen, MAX_LINE};
use super::methods::Param;
use super::methods::{Func, Owner};
use super::structs::Field;
use super::text::wrap_text;
use crate::backends::common::cursor::Cursor;
use crate::backends::common::shapes::{MethodShape, Output, Return, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir;

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// A cursor's `Entry` type and its `next` method.
    pub(super) fn cursor_parts(
        &self,
        owner: &Owner,
        cursor: &Cursor,
    ) -> Result<(String, String), GenError> {
        let fields: Vec<Field> = cursor
            .accessors
            .iter()
            .map(|m| {
                let shape = MethodShape::of(m, self.tcx);
                let ty = match shape.output() {
                    Output::Value(shape) => self.zig_type(shape),
                    _ => Ok(String::new()),
                };
                ty.map(|ty| Field {
                    docs: doc_comment("///", &self.fmt.doc_lines(&m.docs)),
                    name: self.fmt.field_name(m.name.as_str()),
                    ty,
                    default: None,
                })
            })
            .collect::<Result<_, _>>()?;
        let advance = self.method_name(cursor.advance);
        let error = match &cursor.advance.output {
            hir::ReturnType::Fallible(_, Some(err)) => err.id().map(|id| &self.errors[&id]),
            _ => None,
        };
        // Each field of the entry, and the accessor that reads it.
        let reads: Vec<(String, String)> = cursor
            .accessors
            .iter()
            .map(|m| (self.fmt.field_name(m.name.as_str()), self.method_name(m)))
            .collect();
        let (params, ret, advance_call) = match error {
            Some(info) => (
                vec![
                    Param::new("self", format!("*{}", owner.name)),
                    Param::new("diagnostics", format!("?*{}", info.diagnostics)),
                ],
                format!("{}!?Entry", info.set),
                format!("try self.{advance}(diagnostics)"),
            ),
            None => (
                vec![Param::new("self", format!("*{}", owner.name))],
                "?Entry".to_string(),
                format!("self.{advance}()"),
            ),
        };
        let example = if error.is_some() {
            "`while (try it.next(&diagnostics)) |entry| { ... }`"
        } else {
            "`while (it.next()) |entry| { ... }`"
        };
        let next = Func {
            docs: doc_comment(
                "///",
                &wrap_text(
                    &format!(
                        "Moves to the next entry and returns it, or null after the last one; \
                         the entry is valid until the next call or `deinit`. Iterate with \
                         {example}."
                    ),
                    MAX_LINE - 8,
                ),
            ),
            name: "next".into(),
            params,
            ret,
            body: render(&NextBodyTemplate {
                advance: &advance_call,
                reads: &reads,
            })?
            .lines()
            .map(str::to_string)
            .collect(),
        }
        .render()?;
        let entry = render(&EntryTemplate {
            alias: None,
            fields: &fields,
        })?;
        Ok((entry, next))
    }

    /// The `Entry` of a type whose own `next` (a bridge method) returns an optional struct
    /// (`Option<T>`, `DiplomatOption<T>`, or either in a `Result`): the struct, by its name.
    pub(super) fn next_entry(
        &self,
        methods: &'tcx [hir::Method],
    ) -> Result<Option<String>, GenError> {
        let next = methods
            .iter()
            .find(|m| !m.attrs.disable && self.method_name(m) == "next");
        let Some(next) = next else {
            return Ok(None);
        };
        let shape = MethodShape::of(next, self.tcx);
        let returned = match (&shape.ret, shape.output()) {
            (Return::Nullable(_), Output::Value(Shape::Struct(id))) => *id,
            (_, Output::Value(Shape::Option(inner))) => match inner.as_ref() {
                Shape::Struct(id) => *id,
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let alias = self.fmt.type_name(returned);
        render(&EntryTemplate {
            alias: Some(&alias),
            fields: &[],
        })
        .map(Some)
    }
}

#[derive(Template)]
#[template(path = "zig/templates/entry.zig.jinja", escape = "none")]
struct EntryTemplate<'a> {
    /// The struct the type's own `next` returns, which `Entry` names.
    alias: Option<&'a str>,
    /// Otherwise, the fields read by the cursor's accessors.
    fields: &'a [Field],
}

#[derive(Template)]
#[template(path = "zig/templates/next_body.zig.jinja", escape = "none")]
struct NextBodyTemplate<'a> {
    /// The call that moves to the next entry, true if there is one.
    advance: &'a str,
    /// Each field of the entry, and the accessor that reads it.
    reads: &'a [(String, String)],
}
