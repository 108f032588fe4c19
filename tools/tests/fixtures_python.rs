//! The Python backend's output for each fixture shape, compiled and exercised: the generated
//! extension is compiled on the Limited API with `-Wall -Wextra -Werror` against the fixture
//! static library, then the shape's test program (`fixtures/python/<shape>_test.py`: every
//! `test_` function) runs on the `python3` on PATH. The shapes the backend refuses are the
//! snapshot test's concern (their refusals are snapshotted).
//!
//! Needs CPython with its headers and a C compiler, so the tests are ignored by a plain
//! `cargo test`: `cargo tools test python` runs them.

mod common;

use common::{fixtures_dir, run, staticlib};
use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::path::Path;
use std::process::Command;

/// The shapes the backend generates (the others are refused: see `REFUSED` in snapshots.rs).
const SHAPES: &[&str] = &[
    "opaque",
    "results",
    "slices",
    "owned_bytes",
    "iterators",
    "views",
];

/// Runs every `test_` function of the file given as the first argument.
const RUNNER: &str = "import runpy, sys\n\
    tests = runpy.run_path(sys.argv[1])\n\
    names = [n for n in tests if n.startswith('test_')]\n\
    assert names, 'no tests'\n\
    for name in names:\n    tests[name]()\n\
    print(len(names), 'passed')\n";

/// Generates, builds and tests one shape in a scratch directory.
fn check(shape: &str) {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let root = scratch.path();
    let bridge = Bridge::load(&fixtures_dir().join(format!("src/{shape}.rs")))
        .unwrap_or_else(|e| panic!("loading {shape}: {e}"));
    let stamp = Stamp {
        source: format!("fixture {shape}"),
        command: "fixtures_python test".into(),
    };
    backends::generate(&bridge, Lang::Python)
        .unwrap_or_else(|e| panic!("generating Python for {shape}: {e}"))
        .stamped(&stamp)
        .write(root, &[])
        .expect("writing the generated package");
    let package = root.join("src/lode_fixtures");
    compile(&package, "_lode_fixtures", staticlib(), shape);
    let output = run(
        Command::new("python3")
            .args(["-X", "dev", "-c", RUNNER])
            .arg(fixtures_dir().join(format!("python/{shape}_test.py")))
            .env("PYTHONPATH", root.join("src"))
            .current_dir(root),
        &format!("the Python test of {shape}"),
    );
    assert!(output.contains(" passed"), "{shape}: {output}");
}

/// Compiles the generated extension `module` in `package` (the Limited API, `-Werror`) against
/// the static library `lib`.
fn compile(package: &Path, module: &str, lib: &Path, what: &str) {
    let include = run(
        Command::new("python3").args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['include'])",
        ]),
        "python3 (its include directory)",
    );
    run(
        Command::new("cc")
            .args([
                "-std=c99", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-isystem",
            ])
            .arg(include.trim())
            .arg("-I")
            .arg(package.join("include"))
            .arg(package.join(format!("{module}.c")))
            .arg(lib)
            .args(["-lpthread", "-ldl", "-lm", "-o"])
            .arg(package.join(format!("{module}.abi3.so"))),
        &format!("compiling the extension of {what}"),
    );
}

macro_rules! shape_tests {
    ($($shape:ident),* $(,)?) => {
        $(
            #[test]
            #[ignore = "needs python3 with its headers and a C compiler: run `cargo tools test python`"]
            fn $shape() {
                check(stringify!($shape));
            }
        )*
    };
}

shape_tests!(
    opaque,
    structs,
    enums,
    results,
    slices,
    owned_bytes,
    iterators,
    views
);

/// Every shape generated has a test program.
#[test]
fn every_generated_shape_has_a_python_test() {
    for shape in SHAPES {
        assert!(
            fixtures_dir()
                .join(format!("python/{shape}_test.py"))
                .is_file(),
            "missing tools/tests/fixtures/python/{shape}_test.py"
        );
    }
}

/// The runtime ABI handshake, provoked: Lode's extension generated for ABI 0.99 and linked to
/// the real liblode.a refuses to import, naming both versions.
#[test]
#[ignore = "needs python3 with its headers and a C compiler: run `cargo tools test python`"]
fn an_extension_for_another_abi_refuses_to_import() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let root = scratch.path();
    let mut bridge = Bridge::load(&common::repo_root().join("ffi")).expect("loading ffi/");
    bridge.version = "0.99.0".into();
    let stamp = Stamp {
        source: "ffi".into(),
        command: "fixtures_python test".into(),
    };
    backends::generate(&bridge, Lang::Python)
        .expect("generating Lode's Python")
        .stamped(&stamp)
        .write(root, &[])
        .expect("writing the generated package");
    let package = root.join("src/lode");
    compile(&package, "_lode", common::liblode(), "Lode for ABI 0.99");
    let out = Command::new("python3")
        .args(["-c", "import lode._lode"])
        .env("PYTHONPATH", root.join("src"))
        .output()
        .expect("running python3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it imported");
    assert!(
        stderr.contains("ImportError: lode-ffi: ABI mismatch: these bindings were generated for ABI 0.99 but the loaded library reports ABI 0.2"),
        "{stderr}"
    );
}
