//! Reading declarations out of generated C and C++ headers: a tokenizer and a parser for the
//! subset of C that Diplomat's C backend writes, and an item lister for its C++ headers.
//!
//! This is not a C compiler. It reads what the generator writes (typedef'd structs, unions and
//! enums, opaque typedefs, prototypes, function pointers, object-like macros) and leaves every
//! number that depends on the platform (sizes, alignments, offsets, enum values) to the C
//! compiler through the probe. For C++ it lists top-level items (declarations, inline
//! definitions, class members, constants) so that header-only changes are visible at all.

use std::collections::BTreeSet;

/// Lexical tokens: identifiers, numbers, literals and punctuation, as their text.
pub fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c.is_ascii_digit() {
            let start = i;
            // Digits, suffixes, hex letters, and C++14 digit separators (`1'000`).
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || chars[i] == '.'
                    || (chars[i] == '\'' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(chars[start..i.min(chars.len())].iter().collect());
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let three: String = chars[i..(i + 3).min(chars.len())].iter().collect();
            if three == "..." {
                out.push(three);
                i += 3;
            } else if [
                "::", "->", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=", "++", "--",
            ]
            .contains(&two.as_str())
            {
                out.push(two);
                i += 2;
            } else {
                out.push(c.to_string());
                i += 1;
            }
        }
    }
    out
}

/// Tokens joined back into one canonical line: the same declaration always renders the same,
/// whatever its original spacing (`const Foo * self` and `const Foo* self` are equal).
pub fn render(tokens: &[String]) -> String {
    let word = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"')
    };
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        let t = t.as_str();
        let space = match i.checked_sub(1).map(|p| tokens[p].as_str()) {
            None => false,
            Some(p) => {
                if matches!(t, "*" | "&" | "&&") {
                    // Pointers and references bind to the type: `Foo*`.
                    false
                } else if matches!(p, "*" | "&") && i >= 2 && tokens[i - 2] == "(" {
                    // A function pointer's name: `(*flush)`.
                    false
                } else if matches!(t, "," | ")" | "]" | ";" | "::" | "[" | ">")
                    || matches!(p, "(" | "[" | "::" | "<" | "~" | "!")
                {
                    false
                } else if t == "(" {
                    // Calls and declarator names hug their parenthesis; a function pointer's
                    // `(*` keeps one space after its return type: `void (*)(int)`.
                    let pointer = tokens.get(i + 1).is_some_and(|n| n == "*" || n == "&");
                    pointer
                        || !(word(p) || matches!(p, ")" | ">" | "]"))
                        || matches!(p, "return" | "noexcept" | "if" | "while" | "switch")
                } else if t == "<" {
                    !word(p)
                } else {
                    true
                }
            }
        };
        if space {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// FNV-1a, 64 bits: a stable fingerprint of an inline body (the standard library's hasher is
/// not stable across Rust releases, and manifests are compared across them).
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Index of the bracket closing the one at `open` (`(`, `[`, `{` or `<` for templates).
fn closing(tokens: &[String], open: usize) -> usize {
    let (o, c) = match tokens[open].as_str() {
        "(" => ("(", ")"),
        "[" => ("[", "]"),
        "<" => ("<", ">"),
        _ => ("{", "}"),
    };
    let mut depth = 0;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t == o {
            depth += 1;
        } else if t == c {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    tokens.len() - 1
}

/// Splits `tokens` at `sep` where no bracket is open.
fn split_top(tokens: &[String], sep: &str) -> Vec<Vec<String>> {
    let mut parts = vec![Vec::new()];
    let mut depth = 0i32;
    for t in tokens {
        match t.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            _ => {}
        }
        if depth == 0 && t == sep {
            parts.push(Vec::new());
        } else {
            parts.last_mut().expect("never empty").push(t.clone());
        }
    }
    if parts.last().is_some_and(Vec::is_empty) {
        parts.pop();
    }
    parts
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Words that are part of a type, never a declarator's name.
const TYPE_WORDS: &[&str] = &[
    "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool",
    "bool", "const", "volatile", "restrict", "struct", "union", "enum",
];

/// A declarator's name and its type with the name taken out (`void (*flush)(X*)` gives
/// `flush` and `void (*)(X*)`; `uint8_t data[4]` gives `data` and `uint8_t[4]`). With
/// `name_optional` (parameters), a lone type such as `size_t` or `struct Foo*` has no name.
pub fn split_declarator(tokens: &[String], name_optional: bool) -> (Option<String>, String) {
    // Function pointer: `ret (*name)(args)`.
    for i in 0..tokens.len().saturating_sub(2) {
        if tokens[i] == "(" && tokens[i + 1] == "*" && is_ident(&tokens[i + 2]) {
            let mut rest = tokens.to_vec();
            let name = rest.remove(i + 2);
            return (Some(name), render(&rest));
        }
    }
    let mut end = tokens.len();
    // A bit-field width or an array suffix follows the name.
    if let Some(colon) = tokens.iter().position(|t| t == ":") {
        end = colon;
    }
    let mut suffix = Vec::new();
    while end > 0 && tokens[end - 1] == "]" {
        let open = tokens[..end].iter().rposition(|t| t == "[").unwrap_or(0);
        suffix.splice(0..0, tokens[open..end].iter().cloned());
        end = open;
    }
    let named = end >= 1
        && is_ident(&tokens[end - 1])
        && !TYPE_WORDS.contains(&tokens[end - 1].as_str())
        && (!name_optional
            || (end >= 2
                && !matches!(tokens[end - 2].as_str(), "struct" | "union" | "enum")
                && (is_ident(&tokens[end - 2])
                    || matches!(tokens[end - 2].as_str(), "*" | "&" | ">"))));
    if named {
        let mut ty = tokens[..end - 1].to_vec();
        ty.extend(suffix);
        (Some(tokens[end - 1].clone()), render(&ty))
    } else {
        let mut ty = tokens[..end].to_vec();
        ty.extend(suffix);
        (None, render(&ty))
    }
}

/// One field of a C struct or union, in declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    /// Set for members of an anonymous union inside the struct (Diplomat's result types).
    pub in_union: bool,
}

/// A declaration of the C API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CDecl {
    Function {
        name: String,
        ret: String,
        params: Vec<String>,
    },
    /// A struct or union with a body. `name` is how C code spells the type (`Foo` for a typedef,
    /// `struct Foo` for a bare tag).
    Struct {
        name: String,
        union: bool,
        fields: Vec<Field>,
    },
    /// Declared but never defined: callers only hold pointers to it.
    Opaque {
        name: String,
    },
    Enum {
        name: String,
        enumerators: Vec<String>,
    },
    Typedef {
        name: String,
        target: String,
    },
    /// A `static inline` function: compiled into the caller, invisible in the library.
    Inline {
        head: String,
        body: String,
    },
    Variable {
        name: String,
        ty: String,
    },
}

impl CDecl {
    pub fn name(&self) -> &str {
        match self {
            CDecl::Function { name, .. }
            | CDecl::Struct { name, .. }
            | CDecl::Opaque { name }
            | CDecl::Enum { name, .. }
            | CDecl::Typedef { name, .. }
            | CDecl::Variable { name, .. } => name,
            CDecl::Inline { head, .. } => head,
        }
    }
}

/// Object-like `#define NAME value` lines of `text` (include guards have no value and are
/// skipped), and the names of its function-like macros.
pub fn macros(text: &str) -> (Vec<(String, String)>, BTreeSet<String>) {
    let mut values = Vec::new();
    let mut function_like = BTreeSet::new();
    for line in joined_lines(text) {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("define") else {
            continue;
        };
        let rest = rest.trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].starts_with('(') {
            function_like.insert(name);
            continue;
        }
        let value = render(&tokenize(&rest[name.len()..]));
        if !value.is_empty() {
            values.push((name, value));
        }
    }
    (values, function_like)
}

/// Lines with backslash continuations joined.
fn joined_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(stripped) = line.strip_suffix('\\') {
            current.push_str(stripped);
            current.push(' ');
        } else {
            current.push_str(line);
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `text` without preprocessor directives, and without invocations of the function-like macros
/// in `skip_macros` (in Diplomat's runtime header they expand to typedefs, which the compiler
/// sees through the probe; here they would only confuse the statement splitter).
pub fn strip_preprocessor(text: &str, skip_macros: &BTreeSet<String>) -> String {
    let mut out = String::new();
    for line in joined_lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let word: String = trimmed
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty()
            && skip_macros.contains(&word)
            && trimmed[word.len()..].trim_start().starts_with('(')
        {
            continue;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Splits C tokens into top-level statements: declarations ending in `;`, and function
/// definitions ending with their body's `}`.
fn statements(tokens: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t == ";" {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            i += 1;
        } else if t == "{" {
            let end = closing(tokens, i);
            let defines_type = current
                .iter()
                .any(|t| matches!(t.as_str(), "struct" | "union" | "enum" | "typedef" | "="));
            current.extend(tokens[i..=end].iter().cloned());
            i = end + 1;
            if !defines_type {
                // A function definition: no `;` follows its body.
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(t.clone());
            i += 1;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Parses the declarations of preprocessed (or macro-stripped) C text.
pub fn parse_c(text: &str) -> Vec<CDecl> {
    let tokens = tokenize(text);
    let mut decls = Vec::new();
    for st in statements(&tokens) {
        decls.extend(parse_statement(&st));
    }
    // A tag declared opaque in one place and defined in another is not opaque.
    let defined: BTreeSet<String> = decls
        .iter()
        .filter_map(|d| match d {
            CDecl::Struct { name, .. } => Some(name.trim_start_matches("struct ").to_string()),
            _ => None,
        })
        .collect();
    decls.retain(|d| !matches!(d, CDecl::Opaque { name } if defined.contains(name)));
    let mut seen = BTreeSet::new();
    decls.retain(|d| seen.insert(format!("{d:?}")));
    decls
}

fn parse_statement(st: &[String]) -> Vec<CDecl> {
    let first = st[0].as_str();
    if matches!(first, "_Static_assert" | "static_assert" | "__extension__") {
        return Vec::new();
    }
    if first == "typedef" {
        return parse_typedef(&st[1..]);
    }
    if matches!(first, "struct" | "union" | "enum") {
        if let Some(open) = st.iter().position(|t| t == "{") {
            let close = closing(st, open);
            let tag = if open == 2 {
                st[1].clone()
            } else {
                String::new()
            };
            if close + 1 == st.len() && !tag.is_empty() {
                return vec![body_decl(
                    first,
                    &format!("{first} {tag}"),
                    &st[open + 1..close],
                )];
            }
        } else if st.len() == 2 {
            // A bare forward declaration: `struct Foo;`.
            return Vec::new();
        }
    }
    if let Some(open) = st.iter().position(|t| t == "{") {
        // A definition: only `static inline` functions make sense in a header.
        let head = render(&st[..open]);
        let body = render(&st[open..]);
        return vec![CDecl::Inline { head, body }];
    }
    if first == "static" {
        return Vec::new();
    }
    let st: Vec<String> = st.iter().filter(|t| *t != "extern").cloned().collect();
    if let Some(open) = st.iter().position(|t| t == "(") {
        if open >= 1 && is_ident(&st[open - 1]) {
            let close = closing(&st, open);
            let name = st[open - 1].clone();
            let ret = render(&st[..open - 1]);
            let inside = &st[open + 1..close];
            let params = if inside.len() == 1 && inside[0] == "void" || inside.is_empty() {
                Vec::new()
            } else {
                split_top(inside, ",")
                    .iter()
                    .map(|p| split_declarator(p, true).1)
                    .collect()
            };
            return vec![CDecl::Function { name, ret, params }];
        }
    }
    let (name, ty) = split_declarator(&st, false);
    name.map(|name| vec![CDecl::Variable { name, ty }])
        .unwrap_or_default()
}

fn parse_typedef(rest: &[String]) -> Vec<CDecl> {
    let Some(kind) = rest.first().map(String::as_str) else {
        return Vec::new();
    };
    if matches!(kind, "struct" | "union" | "enum") {
        if let Some(open) = rest.iter().position(|t| t == "{") {
            let close = closing(rest, open);
            let Some(name) = rest[close + 1..].iter().rev().find(|t| is_ident(t)) else {
                return Vec::new();
            };
            return vec![body_decl(kind, name, &rest[open + 1..close])];
        }
        if rest.len() == 3 && rest[1] == rest[2] {
            // `typedef struct Foo Foo;` with no body anywhere: an opaque type.
            return vec![CDecl::Opaque {
                name: rest[2].clone(),
            }];
        }
    }
    let (name, target) = split_declarator(rest, false);
    name.map(|name| vec![CDecl::Typedef { name, target }])
        .unwrap_or_default()
}

fn body_decl(kind: &str, name: &str, body: &[String]) -> CDecl {
    if kind == "enum" {
        let enumerators = split_top(body, ",")
            .into_iter()
            .filter_map(|e| e.first().cloned())
            .collect();
        return CDecl::Enum {
            name: name.to_string(),
            enumerators,
        };
    }
    CDecl::Struct {
        name: name.to_string(),
        union: kind == "union",
        fields: fields(body, kind == "union"),
    }
}

fn fields(body: &[String], in_union: bool) -> Vec<Field> {
    let mut out = Vec::new();
    for member in split_top(body, ";") {
        if member.is_empty() {
            continue;
        }
        if matches!(member[0].as_str(), "union" | "struct") {
            if let Some(open) = member.iter().position(|t| t == "{") {
                let close = closing(&member, open);
                if close + 1 == member.len() {
                    // Anonymous: its members belong to the enclosing struct.
                    out.extend(fields(&member[open + 1..close], member[0] == "union"));
                    continue;
                }
            }
        }
        let (name, ty) = split_declarator(&member, false);
        if let Some(name) = name {
            out.push(Field { name, ty, in_union });
        }
    }
    out
}

/// The identifiers of a rendered type, to find the types it mentions.
pub fn identifiers(ty: &str) -> Vec<String> {
    tokenize(ty).into_iter().filter(|t| is_ident(t)).collect()
}

/// An item of a C++ header, by what it is; the manifest keys and values are built from these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CppItem {
    /// A declaration without a body (a method, a function, a forward-declared template).
    Decl {
        scope: String,
        head: String,
    },
    /// A definition with an inline body, fingerprinted.
    Def {
        scope: String,
        head: String,
        body: String,
    },
    /// A class, struct or union definition (its members are items of their own).
    Class {
        name: String,
        kind: String,
    },
    /// A data member of a class, with its position.
    Field {
        class: String,
        name: String,
        ty: String,
        index: usize,
    },
    /// A named value: an enumerator, a constant or a variable with an initializer.
    Constant {
        name: String,
        decl: String,
        value: String,
    },
    /// `using Name = Type;`
    Alias {
        name: String,
        target: String,
    },
    Macro {
        name: String,
        value: String,
    },
}

/// Lists the items of one C++ header. Declarations inside `extern "C"` blocks and `capi`
/// namespaces are skipped: they restate the C API, which the C facts already cover. Both
/// branches of an `#if` are read (the items of either may be compiled).
pub fn cpp_items(text: &str) -> Vec<CppItem> {
    let (values, function_like) = macros(text);
    let mut items: Vec<CppItem> = values
        .into_iter()
        .map(|(name, value)| CppItem::Macro { name, value })
        .collect();
    let tokens = tokenize(&strip_preprocessor(text, &function_like));
    walk_cpp(&tokens, "", false, &mut items);
    items
}

fn join_scope(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}::{name}")
    }
}

/// Splits a leading `template <...>` (possibly several) off a declaration's tokens.
fn template_prefix(tokens: &[String]) -> (&[String], &[String]) {
    let mut at = 0;
    while tokens.get(at).is_some_and(|t| t == "template")
        && tokens.get(at + 1).is_some_and(|t| t == "<")
    {
        let mut depth = 0;
        let mut end = at + 1;
        for (i, t) in tokens.iter().enumerate().skip(at + 1) {
            match t.as_str() {
                "<" => depth += 1,
                ">" => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = i;
                break;
            }
        }
        at = end + 1;
    }
    tokens.split_at(at.min(tokens.len()))
}

/// Whether a declaration (without its template prefix) declares or defines a function: a `(`
/// comes before any `=` or brace initializer.
fn is_function(core: &[String]) -> bool {
    let paren = core.iter().position(|t| t == "(");
    let init = core.iter().position(|t| t == "=" || t == "{");
    match (paren, init) {
        (Some(p), Some(i)) => p < i,
        (Some(_), None) => true,
        _ => false,
    }
}

fn walk_cpp(tokens: &[String], scope: &str, in_class: bool, items: &mut Vec<CppItem>) {
    let mut i = 0;
    let mut current: Vec<String> = Vec::new();
    let mut field_index = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        // Access specifiers label what follows; they are not declarations.
        if in_class
            && current.is_empty()
            && matches!(t, "public" | "private" | "protected")
            && tokens.get(i + 1).is_some_and(|n| n == ":")
        {
            i += 2;
            continue;
        }
        if t == ";" {
            if !current.is_empty() {
                cpp_declaration(&current, scope, in_class, &mut field_index, items);
                current.clear();
            }
            i += 1;
            continue;
        }
        if t != "{" {
            current.push(t.to_string());
            i += 1;
            continue;
        }
        let end = closing(tokens, i);
        let body = &tokens[i + 1..end];
        let head = std::mem::take(&mut current);
        i = end + 1;
        let (template, core) = template_prefix(&head);
        let first = core.first().map(String::as_str).unwrap_or("");
        if first == "namespace" {
            let name = core[1..].join("");
            if name != "capi" {
                walk_cpp(body, &join_scope(scope, &name), false, items);
            }
        } else if first == "extern" {
            // `extern "C" { ... }`: the C API restated.
        } else if matches!(first, "class" | "struct" | "union" | "enum") && !is_function(core) {
            let name = core[1..]
                .iter()
                .find(|h| is_ident(h) && *h != "class" && *h != "struct")
                .cloned()
                .unwrap_or_default();
            let full = join_scope(scope, &name);
            if first == "enum" {
                for (n, e) in split_top(body, ",").into_iter().enumerate() {
                    let Some(ename) = e.first() else { continue };
                    let value = match e.iter().position(|t| t == "=") {
                        Some(eq) => render(&e[eq + 1..]),
                        None => format!("#{n}"),
                    };
                    items.push(CppItem::Constant {
                        name: format!("{full}::{ename}"),
                        decl: "enumerator".into(),
                        value,
                    });
                }
            } else {
                let kind = if template.is_empty() {
                    first.to_string()
                } else {
                    format!("{} {first}", render(template))
                };
                items.push(CppItem::Class {
                    name: full.clone(),
                    kind,
                });
                walk_cpp(body, &full, true, items);
            }
            // A declarator after the body (`} name;`) is skipped with the `;`.
            while i < tokens.len() && tokens[i] != ";" {
                i += 1;
            }
            i += 1;
        } else if is_function(core) {
            items.push(CppItem::Def {
                scope: scope.to_string(),
                head: render(&head),
                body: fingerprint(&render(body)),
            });
            if tokens.get(i).is_some_and(|t| t == ";") {
                i += 1;
            }
        } else {
            // A variable with a brace initializer: `Entry entry_{};`.
            let mut decl = head;
            decl.push("{".into());
            decl.extend(body.iter().cloned());
            decl.push("}".into());
            while i < tokens.len() && tokens[i] != ";" {
                decl.push(tokens[i].clone());
                i += 1;
            }
            i += 1;
            cpp_declaration(&decl, scope, in_class, &mut field_index, items);
        }
    }
}

fn cpp_declaration(
    decl: &[String],
    scope: &str,
    in_class: bool,
    field_index: &mut usize,
    items: &mut Vec<CppItem>,
) {
    let (template, core) = template_prefix(decl);
    let Some(first) = core.first().map(String::as_str) else {
        return;
    };
    if matches!(first, "friend" | "static_assert") && !is_function(&core[1..]) {
        return; // `friend class Foo;`, assertions
    }
    if first == "static_assert" {
        return;
    }
    if matches!(first, "class" | "struct" | "union" | "enum") && !core.iter().any(|t| t == "(") {
        return; // a forward declaration
    }
    if first == "using" {
        if let Some(eq) = core.iter().position(|t| t == "=") {
            items.push(CppItem::Alias {
                name: join_scope(scope, &core[1]),
                target: render(&core[eq + 1..]),
            });
        }
        return;
    }
    if first == "typedef" {
        let (name, target) = split_declarator(&core[1..], false);
        if let Some(name) = name {
            items.push(CppItem::Alias {
                name: join_scope(scope, &name),
                target,
            });
        }
        return;
    }
    if is_function(core) {
        items.push(CppItem::Decl {
            scope: scope.to_string(),
            head: render(decl),
        });
        return;
    }
    let init_at = core.iter().position(|t| t == "=" || t == "{");
    let declarator = &core[..init_at.unwrap_or(core.len())];
    let (name, ty) = split_declarator(declarator, false);
    let Some(name) = name else { return };
    let ty = if template.is_empty() {
        ty
    } else {
        format!("{} {ty}", render(template))
    };
    let constant = core
        .iter()
        .any(|t| matches!(t.as_str(), "constexpr" | "const" | "static"));
    if in_class && !core.iter().any(|t| t == "static") {
        items.push(CppItem::Field {
            class: scope.to_string(),
            name,
            ty: match init_at {
                Some(i) => format!("{ty} {}", render(&core[i..])),
                None => ty,
            },
            index: *field_index,
        });
        *field_index += 1;
    } else if let Some(i) = init_at.filter(|_| constant) {
        let value = if core[i] == "=" {
            render(&core[i + 1..])
        } else {
            render(&core[i..])
        };
        items.push(CppItem::Constant {
            name: join_scope(scope, &name),
            decl: ty,
            value,
        });
    } else {
        items.push(CppItem::Decl {
            scope: scope.to_string(),
            head: render(decl),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokenize(s)
    }

    #[test]
    fn renders_declarations_canonically() {
        assert_eq!(
            render(&toks("const  LodeDatabase * self")),
            "const LodeDatabase* self"
        );
        assert_eq!(
            render(&toks("void (*flush)(struct DiplomatWrite*)")),
            "void (*flush)(struct DiplomatWrite*)"
        );
        assert_eq!(
            render(&toks("diplomat::span<const uint8_t> key")),
            "diplomat::span<const uint8_t> key"
        );
    }

    #[test]
    fn splits_declarators() {
        assert_eq!(
            split_declarator(&toks("void (*flush)(struct DiplomatWrite*)"), false),
            (
                Some("flush".into()),
                "void (*)(struct DiplomatWrite*)".into()
            )
        );
        assert_eq!(
            split_declarator(&toks("uint8_t data[4]"), false),
            (Some("data".into()), "uint8_t[4]".into())
        );
        assert_eq!(
            split_declarator(&toks("size_t"), true),
            (None, "size_t".into())
        );
        assert_eq!(
            split_declarator(&toks("unsigned int"), true),
            (None, "unsigned int".into())
        );
        assert_eq!(
            split_declarator(&toks("const Foo* self"), true),
            (Some("self".into()), "const Foo*".into())
        );
    }

    #[test]
    fn parses_diplomat_shapes() {
        let c = "typedef struct Foo Foo;\n\
                 typedef struct Foo_get_result {union {uint32_t ok; Err* err;}; bool is_ok;} Foo_get_result;\n\
                 Foo_get_result Foo_get(const Foo* self, DiplomatStringView key);\n\
                 typedef enum Kind { Kind_A = 1, Kind_B = 2, } Kind;\n\
                 void Foo_destroy(Foo* self);\n\
                 uint32_t Foo_version(void);\n";
        let decls = parse_c(c);
        assert!(decls.contains(&CDecl::Opaque { name: "Foo".into() }));
        assert!(decls.contains(&CDecl::Function {
            name: "Foo_get".into(),
            ret: "Foo_get_result".into(),
            params: vec!["const Foo*".into(), "DiplomatStringView".into()],
        }));
        assert!(decls.contains(&CDecl::Function {
            name: "Foo_version".into(),
            ret: "uint32_t".into(),
            params: vec![],
        }));
        assert!(decls.contains(&CDecl::Enum {
            name: "Kind".into(),
            enumerators: vec!["Kind_A".into(), "Kind_B".into()],
        }));
        let result = decls.iter().find(|d| d.name() == "Foo_get_result").unwrap();
        let CDecl::Struct { fields, .. } = result else {
            panic!("{result:?}")
        };
        assert_eq!(
            fields
                .iter()
                .map(|f| (f.name.as_str(), f.in_union))
                .collect::<Vec<_>>(),
            [("ok", true), ("err", true), ("is_ok", false)]
        );
    }

    #[test]
    fn lists_cpp_items() {
        let cpp = "namespace lode {\nnamespace capi { struct X; }\n\
                   class Database {\npublic:\n  inline static uint32_t abi_version();\n\
                   private:\n  int x_ = 0;\n};\n\
                   constexpr uint32_t limit = 3;\n\
                   inline int twice(int v) { return v * 2; }\n} // namespace lode\n";
        let items = cpp_items(cpp);
        assert!(items.contains(&CppItem::Class {
            name: "lode::Database".into(),
            kind: "class".into()
        }));
        assert!(items.contains(&CppItem::Decl {
            scope: "lode::Database".into(),
            head: "inline static uint32_t abi_version()".into()
        }));
        assert!(items.contains(&CppItem::Field {
            class: "lode::Database".into(),
            name: "x_".into(),
            ty: "int = 0".into(),
            index: 0
        }));
        assert!(items.contains(&CppItem::Constant {
            name: "lode::limit".into(),
            decl: "constexpr uint32_t".into(),
            value: "3".into()
        }));
        assert!(items
            .iter()
            .any(|i| matches!(i, CppItem::Def { head, .. } if head == "inline int twice(int v)")));
    }
}
