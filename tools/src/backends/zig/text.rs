//! Small text helpers of the Zig backend: paragraphs wrapped to a width, error-set unions.

/// `A!T`'s `A` for several error sets: `(A || B)`.
pub(super) fn error_union(sets: &[String]) -> String {
    match sets {
        [one] => one.clone(),
        many => format!("({})", many.join(" || ")),
    }
}

/// Splits a paragraph into lines of at most `width` characters.
pub(super) fn wrap_text(text: &str, width: usize) -> Vec<String> {
    if text.is_empty() {
        return vec![String::new()];
    }
    // Code spans (`while (x) |y|`) are kept on one line.
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if in_code => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        if word.matches('`').count() % 2 == 1 {
            in_code = !in_code;
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in &words {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_paragraphs() {
        assert_eq!(wrap_text("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap_text("", 10), [""]);
        assert_eq!(wrap_text("a `b c d` e", 4), ["a", "`b c d`", "e"]);
    }

    #[test]
    fn unions_error_sets() {
        assert_eq!(error_union(&["Error".into()]), "Error");
        assert_eq!(
            error_union(&["Error".into(), "std.mem.Allocator.Error".into()]),
            "(Error || std.mem.Allocator.Error)"
        );
    }
}
