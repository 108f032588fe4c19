//! The C declarations of the private namespace `c`: one per library function the module calls,
//! on one line or with one parameter per line when that line would be too long.

use super::gen::{render, MAX_LINE};
use crate::backends::GenError;
use askama::Template;

/// The declaration of the C function `symbol` (`params` as `name: Type`), returning `ret`.
pub(super) fn extern_decl(symbol: &str, params: &[String], ret: &str) -> Result<String, GenError> {
    let mut template = ExternTemplate {
        symbol,
        params,
        ret,
        wrap: false,
    };
    let one_line = render(&template)?;
    // Inside `c`, the declaration is indented by 4.
    if one_line.len() + 4 <= MAX_LINE || params.is_empty() {
        return Ok(one_line);
    }
    template.wrap = true;
    render(&template)
}

/// The declaration of `symbol` on one line, whatever its length: for the error objects'
/// functions, whose few parameters read best together.
pub(super) fn extern_line(symbol: &str, params: &[String], ret: &str) -> Result<String, GenError> {
    render(&ExternTemplate {
        symbol,
        params,
        ret,
        wrap: false,
    })
}

#[derive(Template)]
#[template(path = "zig/templates/extern.zig.jinja", escape = "none")]
struct ExternTemplate<'a> {
    symbol: &'a str,
    params: &'a [String],
    ret: &'a str,
    wrap: bool,
}
