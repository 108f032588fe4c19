//! The Go backend's decisions that the fixture bridges do not show: objects that borrow from
//! others keep them alive, shapes it cannot express stop generation with an error naming the
//! method and the feature, and a package generated for another ABI refuses the library.

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
            assert!(message.contains(": go: "), "{message}");
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

/// The runtime ABI handshake, provoked: Lode's Go package generated for ABI 0.99 and linked
/// with the real liblode (ABI 0.1) panics in its init, naming both versions; built with the
/// opt-out tag, the program gets the same message from `CheckABI` and exits on its own.
#[test]
#[ignore = "needs Go and builds liblode; run by `cargo tools test go`"]
fn a_package_generated_for_another_abi_refuses_the_library() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = std::process::Command::new(cargo)
        .args(["build", "--quiet", "--release", "-p", "lode-ffi"])
        .current_dir(&repo)
        .status()
        .expect("running cargo");
    assert!(built.success(), "building liblode failed");
    let liblode = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo.join("target"))
        .join("release/liblode.a");

    let mut bridge = Bridge::load(&repo.join("ffi")).expect("loading Lode's bridge");
    let library: Vec<String> = bridge
        .version
        .split('.')
        .take(2)
        .map(String::from)
        .collect();
    bridge.version = "0.99.0".into();
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let package = work.path().join("pkg");
    backends::generate(&bridge, Lang::Go)
        .expect("generating Go")
        .stamped(&lode_tools::output::Stamp {
            source: "ffi/src/lib.rs".into(),
            command: "go_backend test".into(),
        })
        .write(&package, &[])
        .unwrap();
    // The package's hand-written files (the generated ones are the mismatched ones).
    for entry in std::fs::read_dir(repo.join("go")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".go") && !name.ends_with("_gen.go") && !name.ends_with("_test.go") {
            std::fs::copy(&path, package.join(&name)).unwrap();
        }
    }
    std::fs::write(
        package.join("go.mod"),
        "module example.com/lodeabi\n\ngo 1.24\n",
    )
    .unwrap();
    let lib_dir = package.join(format!("lib/{}_{}", std::env::consts::OS, go_arch()));
    std::fs::create_dir_all(&lib_dir).unwrap();
    std::fs::copy(&liblode, lib_dir.join("liblode.a")).unwrap();
    std::fs::create_dir_all(package.join("cmd/mismatch")).unwrap();
    std::fs::write(
        package.join("cmd/mismatch/main.go"),
        r#"// A program using a Lode package generated for another ABI than its library's.
package main

import (
	"errors"
	"fmt"
	"os"

	lode "example.com/lodeabi"
)

func main() {
	var mismatch *lode.ABIMismatchError
	if err := lode.CheckABI(); errors.As(err, &mismatch) {
		fmt.Fprintf(os.Stderr, "check: %v (expected %#x, library %#x)\n", err, mismatch.Expected, mismatch.Library)
		os.Exit(1)
	}
	fmt.Println("no mismatch")
}
"#,
    )
    .unwrap();

    let message = format!(
        "lode-ffi: ABI mismatch: these bindings were generated for ABI 0.99 but the loaded \
         library reports ABI {}; use the library they were generated with, or regenerate them",
        library.join(".")
    );
    let packed = format!(
        "(expected 0x63, library {:#x})",
        library[0].parse::<u32>().unwrap() << 16 | library[1].parse::<u32>().unwrap()
    );
    // Built as is, the package's init refuses to run; with the opt-out tag, main checks itself.
    for (tags, code, says) in [
        ("", 2, format!("panic: {message}")),
        ("lode_no_abi_check", 1, format!("check: {message} {packed}")),
    ] {
        let exe = work.path().join(format!("mismatch{tags}"));
        let out = std::process::Command::new("go")
            .args(["build", "-tags", tags, "-o"])
            .arg(&exe)
            .arg("./cmd/mismatch")
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env("GOFLAGS", "-mod=mod")
            .current_dir(&package)
            .output()
            .expect("running go");
        assert!(
            out.status.success(),
            "go build -tags '{tags}':\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let out = std::process::Command::new(&exe)
            .output()
            .expect("running the program");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "tags '{tags}': {stderr}");
        assert!(stderr.contains(&says), "tags '{tags}': {stderr}");
        assert!(!stdout.contains("no mismatch"), "tags '{tags}': {stdout}");
    }
}
