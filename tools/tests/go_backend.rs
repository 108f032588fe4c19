//! The Go backend's decisions that the fixture bridges do not show: objects that borrow from
//! others keep them alive, and shapes it cannot express stop generation with an error naming
//! the method and the feature.

use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use tempfile::TempDir;

/// A throwaway bridge crate whose `src/lib.rs` is `source`.
fn bridge_crate(source: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("creating a temporary directory");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"shapes\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), source).unwrap();
    dir
}

fn generate_go(source: &str) -> Result<lode_tools::output::Files, String> {
    let dir = bridge_crate(source);
    let bridge = Bridge::load(dir.path()).map_err(|e| e.to_string())?;
    backends::generate(&bridge, Lang::Go).map_err(|e| e.to_string())
}

#[test]
fn a_borrowing_object_keeps_its_owner_alive() {
    let files = generate_go(
        r#"
        #[diplomat::bridge]
        pub mod ffi {
            #[diplomat::opaque]
            pub struct Parent(u8);

            #[diplomat::opaque]
            pub struct Child<'a>(&'a Parent);

            impl Parent {
                pub fn new() -> Box<Parent> {
                    Box::new(Parent(1))
                }

                pub fn child<'a>(&'a self) -> Box<Child<'a>> {
                    Box::new(Child(self))
                }
            }

            impl<'a> Child<'a> {
                pub fn value(&self) -> u8 {
                    (self.0).0
                }
            }
        }
        "#,
    )
    .expect("generating Go");
    let parent = files.get("parent_gen.go").expect("parent_gen.go");
    let child = files.get("child_gen.go").expect("child_gen.go");
    // The child holds its parent: the collector cannot free the parent first.
    assert!(parent.contains("return newChild(ret, p)"), "{parent}");
    assert!(child.contains("keep    []any"), "{child}");
    assert!(
        child.contains("c := &Child{ptr: ptr, keep: keep}"),
        "{child}"
    );
    // Closing the parent does not free memory a child may still read.
    assert!(!parent.contains("C.Parent_destroy(p.ptr)"), "{parent}");
    assert!(child.contains("C.Child_destroy(c.ptr)"), "{child}");
}

/// Generating `method` on an opaque `Thing` fails, naming the method and `feature`.
fn rejects(items: &str, method: &str, feature: &str) {
    let source = format!(
        "#[diplomat::bridge]\n\
         pub mod ffi {{\n\
         \x20   #[diplomat::opaque]\n\
         \x20   pub struct Thing(u8);\n\
         {items}\n\
         \x20   impl Thing {{\n\
         \x20       {method}\n\
         \x20   }}\n\
         }}\n"
    );
    match generate_go(&source) {
        Ok(_) => panic!("the Go backend accepted {method}"),
        Err(message) => {
            assert!(message.contains("go backend"), "{message}");
            assert!(message.contains("Thing::"), "{message}");
            assert!(message.contains(feature), "{message}");
        }
    }
}

#[test]
fn shapes_it_cannot_express_are_named() {
    rejects(
        "",
        "pub fn me<'a>(&'a self) -> &'a Thing { self }",
        "returning a borrowed opaque object",
    );
    rejects(
        "#[diplomat::opaque] pub struct View<'a>(&'a [u8]);",
        "pub fn view<'a>(bytes: &'a [u8]) -> Box<View<'a>> { Box::new(View(bytes)) }",
        "borrows a slice or string parameter",
    );
    rejects(
        "#[diplomat::opaque] #[diplomat::attr(auto, error)] pub struct Oops(u8);",
        "pub fn oops() -> Box<Oops> { Box::new(Oops(0)) }",
        "an error type used as a value",
    );
    rejects(
        "",
        "pub fn close(&self, now: bool) -> u8 { now as u8 }",
        "`Close`",
    );
}

/// Builds `go_shapes/bridge.rs` as a static library, generates its Go package, and runs
/// `go_shapes/shapes_test.go` against it. Needs Go; run by `cargo tools test go`.
#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn more_shapes_compile_and_run() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go_shapes");
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let krate = work.path().join("go_shapes");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::copy(here.join("bridge.rs"), krate.join("src/lib.rs")).unwrap();
    // Its own workspace (so it is not a member of Lode's), with Lode's Diplomat versions.
    std::fs::write(
        krate.join("Cargo.toml"),
        "[package]\nname = \"go_shapes\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [lib]\ncrate-type = [\"staticlib\"]\n\n\
         [dependencies]\ndiplomat = \"=0.17.0\"\ndiplomat-runtime = \"=0.16.1\"\n\n[workspace]\n",
    )
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/go-shapes");
    let built = std::process::Command::new(&cargo)
        .args(["build", "--quiet", "--offline"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&krate)
        .output()
        .expect("running cargo");
    assert!(
        built.status.success(),
        "building the bridge: {}",
        String::from_utf8_lossy(&built.stderr)
    );

    let bridge = Bridge::load(&krate).expect("loading the bridge");
    let package = work.path().join("pkg");
    backends::generate(&bridge, Lang::Go)
        .expect("generating Go")
        .stamped(&lode_tools::output::Stamp {
            source: "go_shapes".into(),
            command: "go_backend test".into(),
        })
        .write(&package, &[])
        .unwrap();
    std::fs::write(
        package.join("go.mod"),
        "module example.com/goshapes\n\ngo 1.24\n",
    )
    .unwrap();
    std::fs::copy(here.join("shapes_test.go"), package.join("shapes_test.go")).unwrap();
    let lib_dir = package.join(format!("lib/{}_{}", std::env::consts::OS, go_arch()));
    std::fs::create_dir_all(&lib_dir).unwrap();
    std::fs::copy(
        target.join("debug/libgo_shapes.a"),
        lib_dir.join("libgo_shapes.a"),
    )
    .unwrap();
    for args in [&["vet", "."][..], &["test", "-count=1", "."][..]] {
        let out = std::process::Command::new("go")
            .args(args)
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .current_dir(&package)
            .output()
            .expect("running go");
        assert!(
            out.status.success(),
            "go {}:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Go's name for this machine's architecture.
fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}
