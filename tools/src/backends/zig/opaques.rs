//! Opaque bridge types: structs owning the library's object, with their methods, `deinit`, and
//! a cursor's `next` when they are one (or, when their bridge has its own `next` returning a
//! struct, an `Entry` naming that struct).

use super::externs::extern_decl;
use super::formatter::doc_comment;
use super::gen::{render, Gen};
use crate::backends::common::cursor;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{OpaqueDef, TypeId};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn opaque_item(
        &mut self,
        id: TypeId,
        def: &'tcx OpaqueDef,
    ) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        let cursor = cursor::find(&def.methods, self.tcx);
        let mut extra = vec!["Handle".to_string(), "deinit".to_string()];
        let has_next = def
            .methods
            .iter()
            .any(|m| !m.attrs.disable && self.method_name(m) == "next");
        // A bridge `next` replaces the cursor's: one call per entry instead of one per read.
        let cursor = cursor.filter(|_| !has_next);
        let next_entry = self.next_entry(&def.methods)?;
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
    entry: Option<&'a str>,
    methods: &'a [String],
}
