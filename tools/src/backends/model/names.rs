//! Names a language emits: moving a name off the language's reserved words (its keywords, the
//! identifiers its runtime or generated bodies declare, such as `write`, `c`, `err`, `ok`), and
//! the one registry that stops two items from taking the same name, with a message saying
//! which two and how to rename one. Each backend's formatter lists its own words; the rule for
//! using them is here.

use crate::backends::GenError;
use std::collections::BTreeMap;

/// `name`, or `name` + `suffix` if any list of `reserved` holds it.
pub fn avoid(name: String, reserved: &[&[&str]], suffix: &str) -> String {
    if reserved.iter().any(|list| list.contains(&name.as_str())) {
        name + suffix
    } else {
        name
    }
}

/// The names already taken in one scope of one language (a Go package, a Ruby module, a Zig
/// file's top level).
#[derive(Debug)]
pub struct Names {
    lang: &'static str,
    /// Where the scope is, for messages: `in Go`, `in Ruby as LodeFixtures::`.
    scope: String,
    taken: BTreeMap<String, String>,
}

impl Names {
    /// An empty scope of `lang` (the backend's attribute name: `go`), described as `scope`.
    pub fn new(lang: &'static str, scope: impl Into<String>) -> Names {
        Names {
            lang,
            scope: scope.into(),
            taken: BTreeMap::new(),
        }
    }

    /// Takes `name` for `what` (`type Foo`, `Foo::bar`), or fails naming both claimants.
    pub fn claim(&mut self, name: &str, what: &str) -> Result<(), GenError> {
        match self.taken.get(name) {
            Some(previous) => Err(GenError(format!(
                "{what} and {previous} would both be named `{name}` {} (rename one with \
                 #[diplomat::attr({}, rename = \"...\")])",
                self.scope, self.lang
            ))),
            None => {
                self.taken.insert(name.to_string(), what.to_string());
                Ok(())
            }
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// What took `name`, if anything did.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.taken.get(name).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_names_both_items_and_the_fix() {
        let mut names = Names::new("go", "in Go");
        names.claim("Open", "Database::open").unwrap();
        let e = names
            .claim("Open", "function open")
            .unwrap_err()
            .to_string();
        assert!(e.contains("function open and Database::open"), "{e}");
        assert!(e.contains("#[diplomat::attr(go, rename"), "{e}");
    }

    #[test]
    fn reserved_names_move_aside() {
        assert_eq!(avoid("type".into(), &[&["type"]], "Arg"), "typeArg");
        assert_eq!(avoid("kind".into(), &[&["type"], &["c"]], "Arg"), "kind");
    }
}
