//! Compiles and runs a C and a C++ program per fixture shape against freshly generated headers
//! and the fixture static library: the generated glue must build without warnings and behave.
//!
//! The programs live in `fixtures/c/<shape>.c` and `fixtures/cpp/<shape>.cpp`; each prints
//! `<shape>: ok` on success. Compilers: `$CC`/`$CXX`, else gcc/g++. Extra flags for both (say,
//! `-fsanitize=address,undefined`): `$LODE_FIXTURES_CFLAGS`, split on whitespace.

use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::{Files, Stamp};
use std::path::Path;
use std::process::Command;

mod common;

use common::{fixtures_dir, staticlib};

/// Generates `lang` for one fixture shape into `dir`.
fn generate(shape: &str, lang: Lang, dir: &Path) {
    let source = fixtures_dir().join(format!("src/{shape}.rs"));
    let bridge = Bridge::load(&source).unwrap_or_else(|e| panic!("loading {shape}: {e}"));
    let stamp = Stamp {
        source: format!("fixture {shape}"),
        command: "fixtures_c_cpp test".into(),
    };
    let files: Files = backends::generate(&bridge, lang)
        .unwrap_or_else(|e| panic!("generating {lang} for {shape}: {e}"))
        .stamped(&stamp);
    files
        .write(dir, &[])
        .expect("writing the generated headers");
}

/// Generates, compiles (warnings are errors), links and runs the `lang` program of `shape`.
fn compile_and_run(shape: &str, lang: Lang) {
    let (compiler_var, default_compiler, standard, ext) = match lang {
        Lang::C => ("CC", "gcc", "-std=c11", "c"),
        Lang::Cpp => ("CXX", "g++", "-std=c++17", "cpp"),
        #[allow(unreachable_patterns)] // Languages without a test program here yet.
        _ => return,
    };
    let lib = staticlib();
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let generated = work.path().join("generated");
    generate(shape, lang, &generated);

    let program = fixtures_dir().join(format!("{ext}/{shape}.{ext}"));
    let binary = work.path().join(format!("{shape}_{ext}"));
    let compiler = std::env::var(compiler_var).unwrap_or_else(|_| default_compiler.into());
    let extra_flags = std::env::var("LODE_FIXTURES_CFLAGS").unwrap_or_default();
    let mut compile = Command::new(&compiler);
    compile
        .args([standard, "-Wall", "-Wextra", "-Werror", "-g"])
        .args(extra_flags.split_whitespace())
        .arg("-I")
        .arg(&generated)
        .arg("-I")
        .arg(fixtures_dir().join(ext))
        .arg(&program)
        .arg(lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&binary);
    let compiled = compile
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        compiled.status.success(),
        "compiling {} failed:\n{}",
        program.display(),
        String::from_utf8_lossy(&compiled.stderr)
    );

    let ran = Command::new(&binary)
        .output()
        .expect("running the compiled program");
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success() && stdout.contains(&format!("{shape}: ok")),
        "{} failed ({}):\n{stdout}{}",
        program.display(),
        ran.status,
        String::from_utf8_lossy(&ran.stderr)
    );
}

macro_rules! shape_tests {
    ($($shape:ident),* $(,)?) => {
        mod c {
            $(#[test] fn $shape() { super::compile_and_run(stringify!($shape), super::Lang::C); })*
        }
        mod cpp {
            $(#[test] fn $shape() { super::compile_and_run(stringify!($shape), super::Lang::Cpp); })*
        }
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
    callbacks
);
