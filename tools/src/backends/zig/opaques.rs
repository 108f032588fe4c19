//! Opaque bridge types: structs owning the library's object, with their methods, `deinit`, and
//! a cursor's `next` when they are one (or, when their bridge has its own `next` returning a
//! struct, an `Entry` naming that struct). Code the bridge supplies for Zig
//! (`custom_extra_code` in the `def_block`) goes right after the handle field: it may add fields
//! and declarations, and a `next` or `Entry` of its own replaces the generated one.

use super::externs::extern_decl;
use super::formatter::doc_comment;
use super::gen::{render, Gen};
use crate::backends::common::{cursor, extra_code};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IncludeLocation, OpaqueDef, TypeId};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn opaque_item(
        &mut self,
        id: TypeId,
        def: &'tcx OpaqueDef,
    ) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        let supplied =
            extra_code::read(self.bridge, &def.attrs, &IncludeLocation::DefBlock, &name)?;
        let declared = supplied.as_deref().map(declared_names).unwrap_or_default();
        let cursor = cursor::find(&def.methods, self.tcx);
        let mut extra = vec!["Handle".to_string(), "deinit".to_string()];
        extra.extend(declared.iter().cloned());
        let has_next = declared.iter().any(|d| d == "next")
            || def
                .methods
                .iter()
                .any(|m| !m.attrs.disable && self.method_name(m) == "next");
        // A bridge `next` replaces the cursor's: one call per entry instead of one per read.
        let cursor = cursor.filter(|_| !has_next);
        let next_entry = self
            .next_entry(&def.methods)?
            .filter(|_| !declared.iter().any(|d| d == "Entry"));
        if cursor.is_some() || next_entry.is_some() {
            extra.push("Entry".into());
        }
        if cursor.is_some() {
            extra.push("next".into());
        }
        let owner = self.owner(id, &name, &def.methods, &extra, &["handle".to_string()])?;
        let mut methods = self.methods(&owner, &def.methods)?;
        let entry = match &cursor {
            Some(cursor) => {
                let (entry, next) = self.cursor_parts(&owner, cursor)?;
                methods.push(next);
                Some(entry)
            }
            None => next_entry,
        };
        let c_name = self.c_names.type_name(id).to_string();
        self.externs.push(extern_decl(
            def.dtor_abi_name.as_str(),
            &[format!("self: *{name}.Handle")],
            "void",
        )?);
        render(&OpaqueTemplate {
            docs: &doc_comment("///", &self.fmt.doc_lines(&def.docs)),
            name: &name,
            c_name: &c_name,
            destroy: def.dtor_abi_name.as_str(),
            supplied: supplied.as_deref().map(str::trim_end),
            entry: entry.as_deref(),
            methods: &methods,
        })
    }
}

#[derive(Template)]
#[template(path = "zig/templates/opaque.zig.jinja", escape = "none")]
struct OpaqueTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    c_name: &'a str,
    destroy: &'a str,
    supplied: Option<&'a str>,
    entry: Option<&'a str>,
    methods: &'a [String],
}

/// The names that code supplied for a struct declares at its top level (its unindented lines):
/// fields, constants and functions, which generated members must not take.
fn declared_names(code: &str) -> Vec<String> {
    let ident = |text: &str| -> Option<String> {
        let end = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        (end > 0).then(|| text[..end].to_string())
    };
    code.lines()
        .filter(|line| !line.starts_with(char::is_whitespace))
        .filter_map(|line| {
            let line = line.strip_prefix("pub ").unwrap_or(line);
            if let Some(rest) = line.strip_prefix("fn ") {
                ident(rest)
            } else if let Some(rest) = line
                .strip_prefix("const ")
                .or_else(|| line.strip_prefix("var "))
            {
                ident(rest)
            } else if line.starts_with("//") {
                None
            } else {
                ident(line).filter(|name| line[name.len()..].starts_with(':'))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::declared_names;

    #[test]
    fn declared_names_are_the_top_level_fields_constants_and_functions() {
        let code = "/// Doc: not a name.\n// comment: neither\nbatch: Batch = .{},\n\
                    index: usize = 0,\npub const Entry = IterEntry;\nconst hidden = 1;\n\
                    pub fn next(self: *Iter) ?Entry {\n    const inner = 2;\n    x: {}\n}\n";
        assert_eq!(
            declared_names(code),
            ["batch", "index", "Entry", "hidden", "next"]
        );
    }
}
