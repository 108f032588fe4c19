//! Every Zig naming decision of the backend: type, function, field, variant, error, parameter
//! and file names, and the Zig spelling of primitives and doc comments. Templates never build
//! names.
//!
//! The conventions are the Zig standard library's: `TitleCase` types and error names,
//! `camelCase` functions, `snake_case` fields, enum fields and parameters, with acronyms treated
//! as words (`Io`, `abiVersion`). Identifiers Zig reserves are written `@"..."`.

use crate::backends::common::naming;
use diplomat_core::hir::{Docs, PrimitiveType, TypeContext, TypeId};

/// Zig's keywords and the names of its primitive values and types, which no declaration or
/// parameter may take unquoted (integer types `u<N>`/`i<N>` are checked separately).
const RESERVED: &[&str] = &[
    "addrspace",
    "align",
    "allowzero",
    "and",
    "anyframe",
    "anytype",
    "asm",
    "break",
    "callconv",
    "catch",
    "comptime",
    "const",
    "continue",
    "defer",
    "else",
    "enum",
    "errdefer",
    "error",
    "export",
    "extern",
    "fn",
    "for",
    "if",
    "inline",
    "linksection",
    "noalias",
    "noinline",
    "nosuspend",
    "opaque",
    "or",
    "orelse",
    "packed",
    "pub",
    "resume",
    "return",
    "struct",
    "suspend",
    "switch",
    "test",
    "threadlocal",
    "try",
    "union",
    "unreachable",
    "var",
    "volatile",
    "while",
    "anyerror",
    "anyopaque",
    "bool",
    "comptime_float",
    "comptime_int",
    "false",
    "isize",
    "noreturn",
    "null",
    "true",
    "type",
    "undefined",
    "usize",
    "void",
    "f16",
    "f32",
    "f64",
    "f80",
    "f128",
    "c_char",
    "c_short",
    "c_ushort",
    "c_int",
    "c_uint",
    "c_long",
    "c_ulong",
    "c_longlong",
    "c_ulonglong",
    "c_longdouble",
];

pub struct ZigFormatter<'tcx> {
    tcx: &'tcx TypeContext,
}

impl<'tcx> ZigFormatter<'tcx> {
    pub fn new(tcx: &'tcx TypeContext) -> Self {
        ZigFormatter { tcx }
    }

    /// The module file of a library: `lode.zig`.
    pub fn file_name(&self, lib_name: &str) -> String {
        format!("{}.zig", naming::snake(lib_name))
    }

    /// The Zig name of a type: its rename for non-C languages, in title case (`Database`).
    pub fn type_name(&self, id: TypeId) -> String {
        let ty = self.tcx.resolve_type(id);
        self.title(&ty.attrs().rename.apply(ty.name().as_str().into()))
    }

    /// `TitleCase`, acronyms as words.
    pub fn title(&self, ident: &str) -> String {
        naming::pascal(ident, &[])
    }

    /// A function or method: `openInMemory`.
    pub fn fn_name(&self, ident: &str) -> String {
        quoted(naming::camel(ident, &[]))
    }

    /// A struct field, enum field or parameter: `read_only`.
    pub fn field_name(&self, ident: &str) -> String {
        quoted(naming::snake(ident))
    }

    /// A member of an error set, from an enum variant or type name: `error.NotFound`.
    pub fn error_name(&self, ident: &str) -> String {
        quoted(self.title(ident))
    }

    /// The name of a method's variant that appends its output to the caller's list:
    /// `getAppend` for `get`.
    pub fn append_fn_name(&self, method: &str) -> String {
        quoted(format!("{}Append", naming::camel(method, &[])))
    }

    /// The error set of a bridge error type: the type's name, ending in `Error` (`Error` for
    /// Lode's `Error`, `ParseError` for `Parse`). An enum or struct error keeps a Zig type of
    /// its own under its name, so if that already ends in `Error` the set is `<name>Set`
    /// (`StructErrorSet` beside the struct `StructError`).
    pub fn error_set_name(&self, error_type: &str, has_type: bool) -> String {
        match (error_type.ends_with("Error"), has_type) {
            (true, false) => error_type.to_string(),
            (true, true) => format!("{error_type}Set"),
            (false, _) => format!("{error_type}Error"),
        }
    }

    /// The diagnostics of an error type: `Diagnostics` for `Error`, `ParseDiagnostics` for
    /// `Parse` and `ParseError`.
    pub fn diagnostics_name(&self, error_type: &str) -> String {
        format!(
            "{}Diagnostics",
            error_type.strip_suffix("Error").unwrap_or(error_type)
        )
    }

    /// The context parameter of a callback parameter: `context` when the method has one
    /// callback, `<name>_context` otherwise.
    pub fn context_name(&self, callback: &str, only_one: bool) -> String {
        if only_one {
            "context".into()
        } else {
            quoted(format!("{}_context", naming::snake(callback)))
        }
    }

    /// The Zig spelling of a primitive (C's `char32_t` crosses as `u32`).
    pub fn primitive(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Char => "u32",
            prim => naming::rust_primitive(prim),
        }
    }

    /// The zero value of a primitive, its field default.
    pub fn primitive_zero(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Bool => "false",
            PrimitiveType::Float(_) => "0.0",
            _ => "0",
        }
    }

    /// Doc comment lines (`///` or `//!`) for `docs`, plus `extra` paragraphs.
    pub fn doc_lines(&self, docs: &Docs) -> Vec<String> {
        crate::docs::lines(docs)
    }
}

/// `ident`, or `@"ident"` if Zig reserves it.
pub fn quoted(ident: String) -> String {
    if is_reserved(&ident) {
        format!("@\"{ident}\"")
    } else {
        ident
    }
}

/// Whether a name is a keyword or primitive of Zig (`u8`, `i32` and every other `u<N>`/`i<N>`).
pub fn is_reserved(ident: &str) -> bool {
    let int_type = ident.len() > 1
        && (ident.starts_with('u') || ident.starts_with('i'))
        && ident[1..].bytes().all(|b| b.is_ascii_digit());
    int_type || RESERVED.contains(&ident)
}

/// Doc comment lines in Zig's syntax (`///`, or `//!` for the module), at no indentation.
pub fn doc_comment(prefix: &str, lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            if line.is_empty() {
                prefix.to_string()
            } else {
                format!("{prefix} {line}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_quoted() {
        assert_eq!(quoted("type".into()), "@\"type\"");
        assert_eq!(quoted("u8".into()), "@\"u8\"");
        assert_eq!(quoted("i128".into()), "@\"i128\"");
        assert_eq!(quoted("index".into()), "index");
        assert_eq!(quoted("u".into()), "u");
    }
}
