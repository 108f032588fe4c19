//! Opaque types: a heap type each (`PyType_FromSpec`) whose objects own a Rust object, freed
//! with their last reference; their method tables; the iterator protocol for cursors (types
//! with `advance` and accessors of the current entry); and the context-manager protocol for
//! types that can be finished: `close()` (closed at the end of a `with` block), or `commit()`
//! with `abort()` (committed on a normal exit, aborted when an exception leaves the block).

use super::formatter::c_literal;
use super::gen::{render, Gen};
use super::methods::MethodCode;
use crate::backends::common::cursor;
use crate::backends::common::shapes::{self, MethodShape, Return, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{Method, OpaqueDef, TypeId};

/// `__next__` of a cursor.
struct Next {
    name: String,
    advance: String,
    advance_result: String,
    raise: Option<String>,
    /// Expressions making each accessor's value.
    accessors: Vec<String>,
}

/// `__exit__` of a type that can be finished.
struct Exit {
    name: String,
    what: &'static str,
    normal: String,
    raised: String,
    finished: Option<String>,
}

#[derive(Template)]
#[template(path = "python/templates/opaque.c.jinja", escape = "none")]
struct OpaqueTemplate<'a> {
    p: String,
    c_type: &'a str,
    destroy: String,
    dealloc: String,
    methods: String,
    slots: String,
    spec: String,
    qualified: String,
    doc: String,
    table: Vec<String>,
    next: Option<Next>,
    exit: Option<Exit>,
    enter_name: String,
    exit_name: String,
    exit_doc: String,
}

/// An opaque type, generated: its C code and its class in the stub.
pub(super) struct OpaqueCode {
    pub(super) text: String,
    /// The stub's class body: one line (or docstring) each.
    pub(super) stub_members: Vec<String>,
    /// The annotation of what iterating it yields, for a cursor.
    pub(super) yields: Option<String>,
    /// Whether it is a context manager.
    pub(super) context: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The class of opaque type `id`.
    pub(super) fn opaque(&self, id: TypeId, def: &'tcx OpaqueDef) -> Result<OpaqueCode, GenError> {
        let mut texts = Vec::new();
        let mut table = Vec::new();
        let mut stub_members = Vec::new();
        let methods: Vec<&Method> = def.methods.iter().filter(|m| !m.attrs.disable).collect();
        let mut names = std::collections::BTreeSet::new();
        for method in &methods {
            let py = self.fmt.method_name(method);
            if !names.insert(py.clone()) || py.starts_with("__") {
                return Err(GenError(format!(
                    "{}: its Python name `{py}` is taken by another method or by Python itself; \
                     rename it with #[diplomat::attr(python, rename = \"...\")]",
                    shapes::method_label(Some(def.name.as_str()), method)
                )));
            }
            let MethodCode {
                text,
                table_entry,
                stub,
                ..
            } = self.method(id, method)?;
            texts.push(text);
            table.push(table_entry);
            stub_members.push(stub);
        }
        let next = match cursor::find(&def.methods, self.tcx) {
            Some(found) => Some(self.next(id, &found)?),
            None => None,
        };
        let yields = next.as_ref().map(|n| {
            let one = "bytes".to_string();
            if n.accessors.len() == 1 {
                one
            } else {
                format!("Tuple[{}]", vec!["bytes"; n.accessors.len()].join(", "))
            }
        });
        let exit = self.exit(id, &methods);
        let text = render(&OpaqueTemplate {
            p: self.p(),
            c_type: self.fmt.c_type(id),
            destroy: self.fmt.c_type_item(id, "destroy"),
            dealloc: self.fmt.c_type_item(id, "dealloc"),
            methods: self.fmt.c_type_item(id, "methods"),
            slots: self.fmt.c_type_item(id, "slots"),
            spec: self.fmt.c_type_item(id, "spec"),
            qualified: format!("{}.{}", self.fmt.package(), self.fmt.type_name(id)),
            doc: c_literal(&self.fmt.doc_lines(&def.docs).join("\n")),
            table,
            enter_name: self.fmt.c_type_item(id, "enter"),
            exit_name: self.fmt.c_type_item(id, "exit"),
            exit_doc: exit
                .as_ref()
                .map(|e| e.what)
                .unwrap_or_default()
                .to_string(),
            next,
            exit,
        })?;
        texts.push(text);
        Ok(OpaqueCode {
            text: texts.join("\n\n"),
            stub_members,
            yields,
            context: self.exit(id, &methods).is_some(),
        })
    }

    /// `__next__` of a cursor: advance, then each accessor's value copied.
    fn next(&self, id: TypeId, found: &cursor::Cursor<'tcx>) -> Result<Next, GenError> {
        let label = shapes::method_label(
            Some(self.tcx.resolve_type(id).name().as_str()),
            found.advance,
        );
        let raise = match &MethodShape::of(found.advance, self.tcx).ret {
            Return::Fallible(_, Some(err)) => Some(self.raise_function(err, &label)?),
            _ => None,
        };
        let mut accessors = Vec::new();
        for accessor in &found.accessors {
            let shape = MethodShape::of(accessor, self.tcx);
            let crate::backends::common::shapes::Output::Value(value) = shape.output() else {
                continue;
            };
            if !matches!(value, Shape::Slice { .. }) {
                return Err(shapes::unsupported(
                    &label,
                    "an accessor",
                    "text accessors of cursors",
                ));
            }
            let i = accessors.len();
            accessors.push(format!(
                "{{ {} entry = {}(self_ptr); items[{i}] = {}; }}",
                self.c_value_type(value, &label)?,
                accessor.abi_name,
                self.lift(value, "entry", &label)?
            ));
        }
        Ok(Next {
            name: self.fmt.c_type_item(id, "next"),
            advance: found.advance.abi_name.as_str().to_string(),
            advance_result: self.fmt.c.result_struct(found.advance.abi_name.as_str()),
            raise,
            accessors,
        })
    }

    /// How `with` finishes an object of `id`, if it can be finished.
    fn exit(&self, id: TypeId, methods: &[&Method]) -> Option<Exit> {
        let find = |name: &str| {
            methods
                .iter()
                .find(|m| m.name.as_str() == name && m.param_self.is_some() && m.params.is_empty())
                .map(|m| self.fmt.c_method(id, m))
        };
        let name = self.fmt.c_type_item(id, "exit");
        if let (Some(commit), Some(abort)) = (find("commit"), find("abort")) {
            return Some(Exit {
                name,
                what:
                    "Commits it when the block ends normally, aborts it when an exception leaves \
                       it (unless it was already finished).",
                normal: commit,
                raised: abort,
                finished: find("is_finished"),
            });
        }
        find("close").map(|close| Exit {
            name,
            what: "Closes it.",
            normal: close.clone(),
            raised: close,
            finished: None,
        })
    }
}
