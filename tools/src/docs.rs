//! Rust doc comments as plain lines, for every backend to wrap in its own comment syntax.

use diplomat_core::hir::{Docs, DocsTypeReferenceSyntax, DocsUrlGenerator};

/// The doc comment's lines (Markdown as written in Rust), without trailing blank lines.
pub fn lines(docs: &Docs) -> Vec<String> {
    let text = docs.to_markdown(
        DocsTypeReferenceSyntax::SquareBrackets,
        &DocsUrlGenerator::default(),
    );
    text.trim_end()
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// A C/C++ block comment (`/** ... */`) indented by `indent`; empty when there are no docs.
pub fn c_block(docs: &Docs, indent: &str) -> String {
    let lines = lines(docs);
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}/** {} */\n", one.replace("*/", "* /")),
        many => {
            let mut out = format!("{indent}/**\n");
            for line in many {
                let line = line.replace("*/", "* /");
                if line.is_empty() {
                    out.push_str(&format!("{indent} *\n"));
                } else {
                    out.push_str(&format!("{indent} * {line}\n"));
                }
            }
            out.push_str(&format!("{indent} */\n"));
            out
        }
    }
}
