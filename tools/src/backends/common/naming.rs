//! Case conversion of Rust identifiers (`open_in_memory`, `LodeErrorKind`, `ABI_VERSION`) into
//! the conventions of other languages, with each language's own list of initialisms.
//!
//! An identifier is first split into lowercase words; each case then joins the words its way.
//! Initialisms are whole words written in capitals in Pascal and camel case (`abi_version` →
//! `ABIVersion` in Go); the list differs per language, so every call takes it.

use diplomat_core::hir::{FloatType, IntSizeType, IntType, PrimitiveType};

/// The lowercase words of an identifier in snake, camel, Pascal or screaming case.
///
/// A capital starts a word, except inside a run of capitals (`UTF8Text` → `utf8`, `text`); digits
/// stay with the word before them (`u8view` → `u8view`).
pub fn words(ident: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = ident.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == ' ' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // `fooBar` splits before `B`; `ABIVersion` splits before the `V` of `Version`.
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower)
            {
                out.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `PascalCase`, with `initialisms` (given in their written form, e.g. `"ID"`, `"UTF8"`) in
/// capitals.
pub fn pascal(ident: &str, initialisms: &[&str]) -> String {
    words(ident)
        .iter()
        .map(|w| capitalized(w, initialisms))
        .collect()
}

/// `camelCase`: like [`pascal`] but the first word stays lowercase (an initialism too: `id`).
pub fn camel(ident: &str, initialisms: &[&str]) -> String {
    let words = words(ident);
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i == 0 {
            out.push_str(word);
        } else {
            out.push_str(&capitalized(word, initialisms));
        }
    }
    out
}

/// `snake_case`.
pub fn snake(ident: &str) -> String {
    words(ident).join("_")
}

/// `SCREAMING_SNAKE_CASE`.
pub fn screaming(ident: &str) -> String {
    snake(ident).to_uppercase()
}

/// The words of an identifier as lowercase prose: `AlreadyOpen` → `already open`.
pub fn prose(ident: &str) -> String {
    words(ident).join(" ")
}

fn capitalized(word: &str, initialisms: &[&str]) -> String {
    if let Some(initialism) = initialisms.iter().find(|i| i.eq_ignore_ascii_case(word)) {
        return initialism.to_string();
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A primitive's Rust spelling (`u8`, `i64`, `f32`, `char`, ...): the name Zig uses for the same
/// type and the stem Ruby's conversion helpers are named after.
pub fn rust_primitive(prim: PrimitiveType) -> &'static str {
    match prim {
        PrimitiveType::Bool => "bool",
        PrimitiveType::Char => "char",
        PrimitiveType::Byte | PrimitiveType::Int(IntType::U8) => "u8",
        PrimitiveType::Ordering | PrimitiveType::Int(IntType::I8) => "i8",
        PrimitiveType::Int(IntType::I16) => "i16",
        PrimitiveType::Int(IntType::U16) => "u16",
        PrimitiveType::Int(IntType::I32) => "i32",
        PrimitiveType::Int(IntType::U32) => "u32",
        PrimitiveType::Int(IntType::I64) => "i64",
        PrimitiveType::Int(IntType::U64) => "u64",
        PrimitiveType::IntSize(IntSizeType::Isize) => "isize",
        PrimitiveType::IntSize(IntSizeType::Usize) => "usize",
        PrimitiveType::Float(FloatType::F32) => "f32",
        PrimitiveType::Float(FloatType::F64) => "f64",
        PrimitiveType::Int128(_) => "i128",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INITIALISMS: &[&str] = &["ABI", "ID", "IO", "UTF8"];

    #[test]
    fn splits_every_case() {
        assert_eq!(words("open_in_memory"), ["open", "in", "memory"]);
        assert_eq!(words("LodeErrorKind"), ["lode", "error", "kind"]);
        assert_eq!(words("ABIVersion"), ["abi", "version"]);
        assert_eq!(words("ABI_VERSION"), ["abi", "version"]);
        assert_eq!(words("u8view"), ["u8view"]);
        assert_eq!(words("parseUTF8Text"), ["parse", "utf8", "text"]);
    }

    #[test]
    fn joins_with_initialisms() {
        assert_eq!(pascal("abi_version", INITIALISMS), "ABIVersion");
        assert_eq!(pascal("Io", INITIALISMS), "IO");
        assert_eq!(pascal("user_id", INITIALISMS), "UserID");
        assert_eq!(camel("id_list", INITIALISMS), "idList");
        assert_eq!(camel("read_only", INITIALISMS), "readOnly");
        assert_eq!(snake("AlreadyOpen"), "already_open");
        assert_eq!(screaming("cacheSize"), "CACHE_SIZE");
        assert_eq!(prose("NotFound"), "not found");
    }
}
