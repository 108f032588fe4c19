//! The type stub of the extension module (`_<lib>.pyi`): every class and method with its
//! annotations, so that editors and `mypy --strict` know every signature.

use super::formatter::py_docstring;
use super::gen::Gen;

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// A method of a class in the stub.
    pub(super) fn stub_method(
        &self,
        name: &str,
        instance: bool,
        params: &[String],
        ret: &str,
        doc: &[String],
    ) -> String {
        let mut all = Vec::new();
        if instance {
            all.push("self".to_string());
        }
        all.extend(params.iter().cloned());
        let decorator = if instance { "" } else { "    @staticmethod\n" };
        let body = if doc.is_empty() {
            "...".to_string()
        } else {
            format!("\"\"\"{}\"\"\"", py_docstring(doc, "        "))
        };
        format!(
            "{decorator}    def {name}({}) -> {ret}:\n        {body}",
            all.join(", ")
        )
    }
}
