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

/// A bridge whose `Thing::fail` returns `error` as its error, with `types` beside.
fn failing_with(types: &str, error: &str) -> String {
    format!(
        r#"
        {types}
        #[diplomat::opaque]
        pub struct Thing(u8);
        impl Thing {{
            pub fn fail(x: u8) -> Result<u8, {error}> {{ Ok(x) }}
        }}
        "#
    )
}

const ENUM_ERROR: &str = "pub enum Code { Bad, Worse }";
const STRUCT_ERROR: &str = "pub struct StructError { pub code: i32, pub fatal: bool }";
const UNMARKED_OPAQUE_ERROR: &str = r#"
    pub enum Kind { Busy, Gone }
    #[diplomat::opaque]
    pub struct Failure(u8);
    impl Failure {
        pub fn kind(&self) -> Kind { Kind::Busy }
        pub fn message(&self, out: &mut DiplomatWrite) { let _ = out; }
    }
"#;

/// One rule in every backend: enum, struct and opaque errors (marked or not) are error types;
/// a backend generates each form or refuses it naming the method and the ways out.
#[test]
fn every_form_of_error_is_generated_or_refused_with_the_way_out() {
    let forms = [
        ("enum", failing_with(ENUM_ERROR, "Code")),
        ("struct", failing_with(STRUCT_ERROR, "StructError")),
        (
            "unmarked opaque",
            failing_with(UNMARKED_OPAQUE_ERROR, "Box<Failure>"),
        ),
        (
            "marked opaque",
            failing_with(
                &UNMARKED_OPAQUE_ERROR.replace(
                    "#[diplomat::opaque]",
                    "#[diplomat::opaque] #[diplomat::attr(auto, error)]",
                ),
                "Box<Failure>",
            ),
        ),
    ];
    let mut generated = Vec::new();
    for (form, items) in &forms {
        for lang in FROM_HIR {
            match generate("errs", items, lang) {
                Ok(_) => generated.push(format!("{lang} {form}")),
                Err(message) => {
                    assert!(message.contains("Thing::fail"), "{lang} {form}: {message}");
                    assert!(
                        message.contains(&format!("#[diplomat::attr({lang}, disable)]")),
                        "{lang} {form}: {message}"
                    );
                    assert!(
                        message.contains("return an opaque error object instead"),
                        "{lang} {form}: {message}"
                    );
                }
            }
        }
    }
    // What each backend expresses today; the rest is refused as above.
    assert_eq!(
        generated,
        [
            "go enum",
            "ruby enum",
            "zig enum",
            "go struct",
            "ruby struct",
            "zig struct",
            "go unmarked opaque",
            "ruby unmarked opaque",
            "zig unmarked opaque",
            "go marked opaque",
            "ruby marked opaque",
            "zig marked opaque",
        ]
    );
}

/// Go reads an opaque error through its getters whether or not it is marked as an error.
#[test]
fn go_makes_an_unmarked_opaque_error_a_go_error() {
    let files = generate(
        "errs",
        &failing_with(UNMARKED_OPAQUE_ERROR, "Box<Failure>"),
        Lang::Go,
    )
    .unwrap();
    let failure = files.get("failure_gen.go").expect("failure_gen.go");
    assert!(
        failure.contains("func (e *Failure) Error() string"),
        "{failure}"
    );
    assert!(failure.contains("ErrBusy"), "{failure}");
}

/// A struct error already named `...Error` keeps its Zig type; the error set takes `Set`.
#[test]
fn zig_error_sets_step_aside_for_error_named_structs() {
    let files = generate(
        "errs",
        &failing_with(STRUCT_ERROR, "StructError"),
        Lang::Zig,
    )
    .unwrap();
    let zig = files.get("errs.zig").expect("errs.zig");
    assert!(zig.contains("pub const StructErrorSet = error{"), "{zig}");
    assert!(
        zig.contains("pub const StructError = extern struct {"),
        "{zig}"
    );
}

/// An opaque error with a method other than a getter: refused naming the method and the fix.
#[test]
fn an_error_object_with_other_methods_is_refused_with_the_fix() {
    let items = failing_with(
        &UNMARKED_OPAQUE_ERROR.replace(
            "pub fn kind(&self)",
            "pub fn retry(&self, times: u8) -> u8 { times }\n        pub fn kind(&self)",
        ),
        "Box<Failure>",
    );
    for lang in FROM_HIR {
        let message = generate("errs", &items, lang).unwrap_err();
        assert!(message.contains("Failure::retry"), "{lang}: {message}");
        assert!(message.contains("`&self` getters"), "{lang}: {message}");
    }
}

/// Parameters named like the locals and keywords of each language's generated bodies are moved
/// aside; one named `write` beside written output, which Diplomat's C header cannot declare,
/// is refused by the backends that compile against it, naming the fix.
#[test]
fn reserved_words_and_generated_locals_are_moved_aside() {
    let items = r#"
        #[diplomat::opaque]
        pub struct Thing(u8);
        impl Thing {
            pub fn sum(&self, write: u8, c: u8, err: u8, ok: u8, ret: u8, result: u8, out: u8, self_ptr: u8, keep: u8, end: u8, next: u8, func: u8, var: u8, error: u8, context: u8) -> u8 { write }
            pub fn text(&self, c: u8, out: u8, ret: u8, w: &mut DiplomatWrite) { let _ = (c, out, ret, w); }
        }
    "#;
    for lang in FROM_HIR {
        generate("kw", items, lang).unwrap_or_else(|e| panic!("{lang}: {e}"));
    }
    let go = generate("kw", items, Lang::Go).unwrap();
    let thing = go.get("thing_gen.go").unwrap();
    assert!(thing.contains("retArg"), "{thing}");
    let clash = items.replace("c: u8, out: u8, ret: u8, w:", "write: u8, w:");
    for lang in [Lang::Go, Lang::Ruby] {
        let message = generate("kw", &clash, lang).unwrap_err();
        assert!(message.contains("Thing::text"), "{message}");
        assert!(message.contains("rename the parameter"), "{message}");
    }
}

/// Two items one language would give the same name: refused in every language, naming both
/// and the attribute that renames one.
#[test]
fn a_name_clash_names_both_items_and_the_rename() {
    let items = r#"
        #[diplomat::opaque]
        #[diplomat::attr(not(c), rename = "Beta")]
        pub struct Alpha(u8);
        #[diplomat::opaque]
        pub struct Beta(u8);
        impl Alpha { pub fn new() -> Box<Alpha> { Box::new(Alpha(0)) } }
        impl Beta { pub fn new() -> Box<Beta> { Box::new(Beta(0)) } }
    "#;
    for lang in FROM_HIR {
        let message = generate("clash", items, lang).unwrap_err();
        assert!(message.contains("type Alpha"), "{lang}: {message}");
        assert!(message.contains("type Beta"), "{lang}: {message}");
        assert!(
            message.contains(&format!("#[diplomat::attr({lang}, rename")),
            "{lang}: {message}"
        );
    }
}

/// A trait (an object the foreign language implements) is refused by every backend that
/// cannot generate it yet, naming it and the attribute that leaves it out, never skipped.
#[test]
fn traits_are_refused_alike_not_skipped() {
    let items = r#"
        pub trait Shape {
            fn area(&self) -> f64;
        }
        #[diplomat::opaque]
        pub struct Thing(u8);
        impl Thing { pub fn new() -> Box<Thing> { Box::new(Thing(0)) } }
    "#;
    for lang in FROM_HIR {
        let message = generate("traits", items, lang).unwrap_err();
        assert!(message.contains("Shape: traits"), "{lang}: {message}");
        assert!(
            message.contains(&format!("#[diplomat::attr({lang}, disable)]")),
            "{lang}: {message}"
        );
    }
}

/// An enum returned as an error is still an enum in Ruby, with its methods; its exception
/// class is beside it.
#[test]
fn ruby_keeps_the_methods_of_an_enum_error() {
    let items = failing_with(
        "pub enum Code { Bad, Worse }\n        impl Code { pub fn severe(self) -> bool { matches!(self, Code::Worse) } }",
        "Code",
    );
    let files = generate("errs", &items, Lang::Ruby).unwrap();
    let ext = files.get("ext/errs/errs_ext.c").expect("the extension");
    let ruby = files.get("lib/errs/bindings.rb").expect("the Ruby half");
    assert!(
        ext.contains("rb_define_module_function(cErrsCode, \"severe\""),
        "{ext}"
    );
    assert!(ruby.contains("class CodeError < Error"), "{ruby}");
    assert!(ruby.contains("class BadError < CodeError"), "{ruby}");
}
