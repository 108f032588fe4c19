//! Cursors: opaque types iterated by `advance()` and read through accessors of the current
//! entry, as Lode's `Iter` is (`advance` → bool, then `key()`/`value()` borrowed until the next
//! `advance`). Languages with an iteration protocol wrap such a type in one (Zig's
//! `while (try it.next()) |entry|`, Go's `iter.Seq2`); finding the shape is theirs to share.

use crate::backends::common::shapes::{self, Output, Return, SelfShape, Shape};
use diplomat_core::hir::{Method, PrimitiveType, ReturnType, SuccessType, TypeContext};

/// The methods that make an opaque type a cursor.
#[derive(Debug)]
pub struct Cursor<'tcx> {
    /// `advance(&mut self) -> bool` (or `Result<bool, E>`): moves to the next entry, false at
    /// the end.
    pub advance: &'tcx Method,
    /// Whether `advance` returns a `Result`.
    pub fallible: bool,
    /// The accessors of the current entry, in declaration order: infallible `&self` methods
    /// without parameters returning a slice or text borrowed from the cursor.
    pub accessors: Vec<&'tcx Method>,
}

/// The cursor shape of a type with these `methods`, if it has one: a method named `advance`
/// and at least one accessor.
pub fn find<'tcx>(methods: &'tcx [Method], tcx: &'tcx TypeContext) -> Option<Cursor<'tcx>> {
    let advance = methods
        .iter()
        .find(|m| m.name.as_str() == "advance" && !m.attrs.disable && m.params.is_empty())?;
    let advance_shape = shapes::MethodShape::of(advance, tcx);
    if advance_shape.self_shape != Some(SelfShape::Opaque { mutable: true }) {
        return None;
    }
    let fallible = match &advance_shape.ret {
        Return::Infallible(Output::Value(Shape::Primitive(PrimitiveType::Bool))) => false,
        Return::Fallible(Output::Value(Shape::Primitive(PrimitiveType::Bool)), Some(_)) => true,
        _ => return None,
    };
    let accessors: Vec<&Method> = methods
        .iter()
        .filter(|m| !m.attrs.disable && m.params.is_empty())
        .filter(|m| {
            let shape = shapes::MethodShape::of(m, tcx);
            shape.self_shape == Some(SelfShape::Opaque { mutable: false })
                && shape.borrows.from_self
                && matches!(&m.output, ReturnType::Infallible(SuccessType::OutType(_)))
                && matches!(
                    shape.output(),
                    Output::Value(Shape::Slice { .. } | Shape::Str { .. })
                )
        })
        .collect();
    if accessors.is_empty() {
        return None;
    }
    Some(Cursor {
        advance,
        fallible,
        accessors,
    })
}
