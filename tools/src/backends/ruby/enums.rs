//! Enums: their modules of symbols in the Ruby file, the symbols Init_ looks up, and their C
//! converters' bodies.

use super::gen::{render, render_init, Gen, Init};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{EnumDef, TypeId};

pub(super) struct VariantView {
    pub(super) doc: String,
    pub(super) constant: String,
    pub(super) symbol: String,
    pub(super) value: String,
}

#[derive(Template)]
#[template(path = "ruby/templates/enum.rb.jinja", escape = "none")]
pub(super) struct EnumTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    pub(super) variants: Vec<VariantView>,
    pub(super) one_line: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// An enum in the Ruby file: a module of its values' symbols.
    pub(super) fn ruby_enum(&self, id: TypeId, e: &EnumDef) -> Result<String, GenError> {
        let variants = e
            .variants
            .iter()
            .map(|v| VariantView {
                doc: self.fmt.ruby_comment(&v.docs, "    "),
                constant: self.fmt.variant_constant(v),
                symbol: self.fmt.variant_symbol(v),
                value: v.discriminant.to_string(),
            })
            .collect();
        let one_line = e
            .variants
            .iter()
            .map(|v| self.fmt.variant_symbol(v).len() + 8)
            .sum::<usize>()
            + 24
            <= super::formatter::RUBY_WIDTH;
        render(&EnumTemplate {
            doc: self.fmt.ruby_comment(&e.docs, "  "),
            name: self.fmt.type_name(id),
            variants,
            one_line,
        })
    }

    /// The body of an enum's converter (each line after a newline).
    pub(super) fn enum_converter_body(
        &self,
        id: TypeId,
        def: &EnumDef,
        to_ruby: bool,
    ) -> Result<String, GenError> {
        let expected: Vec<String> = def
            .variants
            .iter()
            .map(|v| format!(":{}", self.fmt.variant_symbol(v)))
            .collect();
        render(&EnumConverterTemplate {
            path: self.fmt.type_path(id),
            to_ruby,
            variants: def
                .variants
                .iter()
                .map(|v| (self.fmt.c_variant(id, v), self.fmt.c_symbol(id, v)))
                .collect(),
            expected: expected.join(", "),
        })
    }

    /// Init_'s lookup of the symbol of each value of an enum, which its converters compare with.
    pub(super) fn enum_symbols(
        &self,
        id: TypeId,
        def: &EnumDef,
        init: &mut Init,
    ) -> Result<(), GenError> {
        for variant in &def.variants {
            let symbol = self.fmt.c_symbol(id, variant);
            init.lines.push(render_init(&SymbolTemplate {
                symbol: &symbol,
                name: &self.fmt.variant_symbol(variant),
            })?);
            init.symbols.push(symbol);
        }
        Ok(())
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/symbol.c.jinja", escape = "none")]
struct SymbolTemplate<'a> {
    symbol: &'a str,
    name: &'a str,
}

#[derive(Template)]
#[template(path = "ruby/templates/enum_converter.c.jinja", escape = "none")]
struct EnumConverterTemplate {
    path: String,
    to_ruby: bool,
    /// Each value's C constant and its symbol's global.
    variants: Vec<(String, String)>,
    /// The symbols, for the error message.
    expected: String,
}
