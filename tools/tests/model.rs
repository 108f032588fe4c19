//! What the model of a bridge decides once for every backend written from the HIR (Go, Ruby,
//! Zig): which types are errors and what each language does with them, the names and files each
//! language emits without clashes, and the C headers each compiles against.

use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Files;
use tempfile::TempDir;

/// The languages whose backends read the model.
const FROM_HIR: [Lang; 3] = [Lang::Go, Lang::Ruby, Lang::Zig];

/// A throwaway bridge crate named `name` whose `src/lib.rs` is `source`.
fn bridge_crate(name: &str, source: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("creating a temporary directory");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), source).unwrap();
    dir
}

/// Generates `lang` for the crate `name` whose bridge module holds `items`.
fn generate(name: &str, items: &str, lang: Lang) -> Result<Files, String> {
    let source = format!("#[diplomat::bridge]\npub mod ffi {{\n{items}\n}}\n");
    let dir = bridge_crate(name, &source);
    let bridge = Bridge::load(dir.path()).map_err(|e| e.to_string())?;
    // A panic is a failure of the test, as it would be of the tool.
    backends::generate(&bridge, lang).map_err(|e| e.to_string())
}

#[test]
fn a_crate_named_like_one_of_its_types_generates_in_every_language() {
    let items = r#"
        #[diplomat::opaque]
        pub struct Greeter(u8);
        impl Greeter {
            pub fn new() -> Box<Greeter> { Box::new(Greeter(1)) }
            pub fn count(&self) -> u8 { self.0 }
        }
    "#;
    for lang in FROM_HIR {
        generate("greeter", items, lang).unwrap_or_else(|e| panic!("{lang}: {e}"));
    }
    // Go's package file is named after the library, the type's after the type: both stay.
    let go = generate("greeter", items, Lang::Go).unwrap();
    let package = go.get("greeter_gen.go").expect("the package's file");
    let ty = go.get("greeter_type_gen.go").expect("the type's file");
    assert!(ty.contains("type Greeter struct"), "{ty}");
    assert!(!package.contains("type Greeter struct"), "{package}");
}
