//! Carries the Rust docs into the C headers, which Diplomat's C generator leaves bare.
//!
//! Works on the generated text: each documented declaration is found by its C name (the HIR
//! knows every name) and gets a block comment above it.

use crate::docs::c_block;
use diplomat_core::hir::{TypeContext, TypeDef};
use std::collections::HashMap;

/// Adds doc comments to the declarations in `header` (one generated file's text).
pub fn document(tcx: &TypeContext, header: &str) -> String {
    let comments = Comments::of(tcx);
    let lines: Vec<&str> = header.lines().collect();
    let mut out = String::with_capacity(header.len() * 2);
    let mut scope = String::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(name) = line
            .strip_prefix("typedef ")
            .and_then(|l| l.split_whitespace().nth(1))
        {
            scope = name.to_string();
        }
        // A function's result type is declared on the line just above it: comment both as one.
        let next_is_function = line.starts_with("typedef struct")
            && line.contains("_result")
            && lines
                .get(i + 1)
                .is_some_and(|next| comments.for_function(next).is_some());
        let block = if next_is_function {
            lines
                .get(i + 1)
                .and_then(|next| comments.for_function(next))
        } else if i > 0
            && lines[i - 1].starts_with("typedef struct")
            && lines[i - 1].contains("_result")
        {
            None
        } else {
            comments.for_line(line, &scope)
        };
        if let Some(block) = block {
            out.push_str(block);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every doc comment of a bridge, keyed by the C name of what it documents.
struct Comments {
    types: HashMap<String, String>,
    /// Keyed by (enclosing type, member name): enum variants and struct fields.
    members: HashMap<(String, String), String>,
    functions: HashMap<String, String>,
}

impl Comments {
    fn of(tcx: &TypeContext) -> Comments {
        let mut c = Comments {
            types: HashMap::new(),
            members: HashMap::new(),
            functions: HashMap::new(),
        };
        for (_, ty) in tcx.all_types() {
            let name = ty.name().as_str().to_string();
            let member = |m: &str| (name.clone(), m.to_string());
            match ty {
                TypeDef::Enum(e) => {
                    c.types.insert(name.clone(), c_block(&e.docs, ""));
                    for v in &e.variants {
                        let variant = format!("{name}_{}", v.name.as_str());
                        c.members.insert(member(&variant), c_block(&v.docs, "  "));
                    }
                }
                TypeDef::Struct(s) => {
                    c.types.insert(name.clone(), c_block(&s.docs, ""));
                    for f in &s.fields {
                        c.members
                            .insert(member(f.name.as_str()), c_block(&f.docs, "  "));
                    }
                }
                TypeDef::OutStruct(s) => {
                    c.types.insert(name.clone(), c_block(&s.docs, ""));
                    for f in &s.fields {
                        c.members
                            .insert(member(f.name.as_str()), c_block(&f.docs, "  "));
                    }
                }
                TypeDef::Opaque(o) => {
                    c.types.insert(name.clone(), c_block(&o.docs, ""));
                    let destroy = format!(
                        "/** Frees a `{name}` returned by this library; the pointer is invalid afterwards. */\n"
                    );
                    c.functions.insert(format!("{name}_destroy"), destroy);
                }
                _ => {}
            }
            for m in ty.methods() {
                c.functions
                    .insert(m.abi_name.as_str().to_string(), c_block(&m.docs, ""));
            }
        }
        for (_, f) in tcx.all_free_functions() {
            c.functions
                .insert(f.abi_name.as_str().to_string(), c_block(&f.docs, ""));
        }
        c
    }

    /// The comment for a function declared on `line` (`ret name(args);`).
    fn for_function(&self, line: &str) -> Option<&str> {
        if line.starts_with("typedef") {
            return None;
        }
        let name = line.split('(').next()?.split_whitespace().last()?;
        self.functions
            .get(name.trim_start_matches('*'))
            .map(String::as_str)
            .filter(|b| !b.is_empty())
    }

    /// The comment for whatever `line` declares, inside the type `scope` (for members).
    fn for_line(&self, line: &str, scope: &str) -> Option<&str> {
        let found = if let Some(rest) = line.strip_prefix("typedef ") {
            let name = rest.split_whitespace().nth(1)?;
            self.types.get(name)
        } else if let Some(member) = line.strip_prefix("  ") {
            // `  Type_Variant = 1,` or `  type field;`
            let mut words = member.split([' ', '=', ',', ';']).filter(|w| !w.is_empty());
            let name = if member.contains('=') {
                words.next()
            } else {
                words.next_back()
            }?;
            self.members.get(&(scope.to_string(), name.to_string()))
        } else {
            return self.for_function(line);
        };
        found.map(String::as_str).filter(|b| !b.is_empty())
    }
}
