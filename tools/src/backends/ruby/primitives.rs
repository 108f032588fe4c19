//! Numbers and booleans: which primitives the extension supports, and the helpers converting a
//! Ruby value into each.

use super::formatter::primitive_helper_stem;
use super::gen::{render, Gen, Support};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IntSizeType, IntType, PrimitiveType};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn check_primitive(&self, prim: PrimitiveType, what: &str) -> Result<(), GenError> {
        match prim {
            PrimitiveType::Int128(_) => Err(GenError::unsupported(what, "128-bit integers")),
            PrimitiveType::Char => Err(GenError::unsupported(what, "Unicode scalar values (char)")),
            _ => Ok(()),
        }
    }

    /// The helper converting a Ruby value into `prim` (recording that it is used).
    pub(super) fn primitive_from(
        &self,
        prim: PrimitiveType,
        what: &str,
    ) -> Result<String, GenError> {
        self.check_primitive(prim, what)?;
        let mut s = self.support.borrow_mut();
        s.primitives.insert(primitive_helper_stem(prim));
        match prim {
            PrimitiveType::Byte
            | PrimitiveType::Int(IntType::U8 | IntType::U16 | IntType::U32 | IntType::U64)
            | PrimitiveType::IntSize(IntSizeType::Usize) => s.unsigned = true,
            PrimitiveType::Ordering | PrimitiveType::Int(IntType::I8 | IntType::I16) => {
                s.signed = true
            }
            _ => {}
        }
        Ok(self.fmt.c_from_ruby_primitive(prim))
    }

    /// The conversion helper of every primitive the methods use.
    pub(super) fn primitive_helpers(&self, s: &Support) -> Result<Vec<String>, GenError> {
        s.primitives
            .iter()
            .map(|stem| {
                let (c_type, conversion) = match *stem {
                    "bool" => ("bool", Conversion::Plain("RTEST(value)")),
                    "u8" => ("uint8_t", Conversion::Unsigned("UINT8_MAX")),
                    "u16" => ("uint16_t", Conversion::Unsigned("UINT16_MAX")),
                    "u32" => ("uint32_t", Conversion::Unsigned("UINT32_MAX")),
                    "u64" => ("uint64_t", Conversion::Unsigned("UINT64_MAX")),
                    "usize" => ("size_t", Conversion::Unsigned("SIZE_MAX")),
                    "i8" => ("int8_t", Conversion::Signed("INT8_MIN", "INT8_MAX")),
                    "i16" => ("int16_t", Conversion::Signed("INT16_MIN", "INT16_MAX")),
                    "i32" => ("int32_t", Conversion::Plain("(int32_t)NUM2INT(value)")),
                    "i64" => ("int64_t", Conversion::Plain("(int64_t)NUM2LL(value)")),
                    "isize" => ("intptr_t", Conversion::Plain("(intptr_t)NUM2SSIZET(value)")),
                    "f32" => ("float", Conversion::Plain("(float)NUM2DBL(value)")),
                    _ => ("double", Conversion::Plain("NUM2DBL(value)")),
                };
                render(&PrimitiveTemplate {
                    p: self.p(),
                    stem,
                    c_type,
                    conversion,
                })
            })
            .collect()
    }
}

/// How a helper converts a Ruby value into a primitive.
enum Conversion {
    /// With Ruby's own conversion, which raises on a wrong value.
    Plain(&'static str),
    /// Checked against this maximum by the runtime's `_unsigned`.
    Unsigned(&'static str),
    /// Checked against this range by the runtime's `_signed`.
    Signed(&'static str, &'static str),
}

#[derive(Template)]
#[template(path = "ruby/templates/primitive.c.jinja", escape = "none")]
struct PrimitiveTemplate<'a> {
    p: String,
    stem: &'a str,
    c_type: &'a str,
    conversion: Conversion,
}
