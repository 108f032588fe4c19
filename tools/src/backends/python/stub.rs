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

    /// A method of an enum or struct in the Python half: the class's method calls `call`, the
    /// extension module's function (imported when called: the module imports this one).
    pub(super) fn value_method(
        &self,
        name: &str,
        takes_self: bool,
        params: &[String],
        ret: &str,
        doc: &[String],
        call: &str,
    ) -> String {
        let params: Vec<String> = if takes_self {
            std::iter::once("self".to_string())
                .chain(params.iter().skip(1).cloned())
                .collect()
        } else {
            params.to_vec()
        };
        let decorator = if takes_self {
            ""
        } else {
            "    @staticmethod\n"
        };
        let docstring = if doc.is_empty() {
            String::new()
        } else {
            format!("        \"\"\"{}\"\"\"\n", py_docstring(doc, "        "))
        };
        format!(
            "{decorator}    def {name}({}) -> {ret}:\n{docstring}        from . import {ext}\n\n        return {ext}.{call}",
            params.join(", "),
            ext = self.fmt.ext_module()
        )
    }
}
