//! The Go backend's output for each fixture shape, compiled and exercised: the generated package
//! goes into a fresh module with the shape's Go test (`fixtures/go/<shape>_test.go`), linked
//! against the fixture static library; it must be gofmt-clean and vet-clean, and its test pass.
//!
//! Needs Go and a C compiler, so the tests are ignored by a plain `cargo test`:
//! `cargo tools test go` runs them (`cargo test -p lode-tools --test fixtures_go -- --ignored`).
//! `$LODE_GO_TEST_FLAGS` adds flags to `go test` (say, `-race`).

use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::path::Path;
use std::process::Command;

mod common;

use common::{fixtures_dir, run, staticlib};

/// A `go` command that stays offline and on the installed toolchain.
fn go(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("go");
    cmd.args(args)
        .current_dir(dir)
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod");
    cmd
}

/// Generates the Go package of `shape` into a new module and runs gofmt, vet and its test.
fn check(shape: &str) {
    let lib = staticlib();
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let dir = work.path();
    let source = fixtures_dir().join(format!("src/{shape}.rs"));
    let bridge = Bridge::load(&source).unwrap_or_else(|e| panic!("loading {shape}: {e}"));
    let stamp = Stamp {
        source: format!("fixture {shape}"),
        command: "fixtures_go test".into(),
    };
    backends::generate(&bridge, Lang::Go)
        .unwrap_or_else(|e| panic!("generating Go for {shape}: {e}"))
        .stamped(&stamp)
        .write(dir, &[])
        .expect("writing the generated package");

    std::fs::write(
        dir.join("go.mod"),
        format!("module example.com/fixtures/{shape}\n\ngo 1.24\n"),
    )
    .expect("writing go.mod");
    let test = format!("{shape}_test.go");
    std::fs::copy(fixtures_dir().join("go").join(&test), dir.join(&test))
        .expect("copying the Go test");
    let platform = run(&mut go(dir, &["env", "GOOS", "GOARCH"]), "go env");
    let platform: Vec<&str> = platform.split_whitespace().collect();
    let lib_dir = dir.join("lib").join(platform.join("_"));
    std::fs::create_dir_all(&lib_dir).expect("creating lib/");
    std::fs::copy(lib, lib_dir.join(format!("lib{}.a", bridge.lib_name)))
        .expect("copying the library");

    let unformatted = run(
        Command::new("gofmt").args(["-l", "."]).current_dir(dir),
        "gofmt",
    );
    assert!(
        unformatted.trim().is_empty(),
        "{shape}: generated Go is not gofmt-clean: {unformatted}"
    );
    run(&mut go(dir, &["vet", "."]), &format!("go vet ({shape})"));
    let flags = std::env::var("LODE_GO_TEST_FLAGS").unwrap_or_default();
    let mut args = vec!["test", "-count=1"];
    args.extend(flags.split_whitespace());
    args.push(".");
    run(&mut go(dir, &args), &format!("go test ({shape})"));
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn opaque() {
    check("opaque");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn structs() {
    check("structs");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn enums() {
    check("enums");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn results() {
    check("results");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn slices() {
    check("slices");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn owned_bytes() {
    check("owned_bytes");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn iterators() {
    check("iterators");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn callbacks() {
    check("callbacks");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn views() {
    check("views");
}

#[test]
#[ignore = "needs Go; run by `cargo tools test go`"]
fn errors() {
    check("errors");
}

/// Every fixture shape has a Go test above and a Go test program.
#[test]
fn every_fixture_has_a_go_test() {
    let tested = [
        "opaque",
        "structs",
        "enums",
        "results",
        "slices",
        "owned_bytes",
        "iterators",
        "callbacks",
        "views",
        "errors",
    ];
    let mut found: Vec<String> = std::fs::read_dir(fixtures_dir().join("src"))
        .expect("reading the fixtures")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".rs")
                .map(str::to_string)
        })
        .filter(|name| name != "lib")
        .collect();
    found.sort();
    let mut tested: Vec<String> = tested.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(
        found, tested,
        "add a #[test] for each fixture in tools/tests/fixtures_go.rs"
    );
    for shape in &tested {
        assert!(
            fixtures_dir()
                .join("go")
                .join(format!("{shape}_test.go"))
                .is_file(),
            "missing tools/tests/fixtures/go/{shape}_test.go"
        );
    }
}
