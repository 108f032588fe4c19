//! Docs of generated methods: the Rust docs with a Go subject, and a deprecation notice Go
//! tools recognise.

use super::formatter::{comment, Subject};
use super::gen::Gen;
use diplomat_core::hir::Method;

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The doc comment of the Go function `name` wrapping `m`.
    pub(super) fn method_doc(&self, m: &Method, name: &str, returns_write: bool) -> String {
        let mut doc = self.fmt.doc(
            &m.docs,
            "",
            Some(Subject::Function {
                name,
                returns_write,
            }),
        );
        if let Some(note) = &m.attrs.deprecated {
            let mut lines = Vec::new();
            if !doc.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!("Deprecated: {note}"));
            doc.push_str(&comment(&lines, ""));
        }
        doc
    }
}
