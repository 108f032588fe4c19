//! ABI corpus: the build script every corpus bridge shares. It hides Diplomat's undeclared
//! runtime internals (as Lode's generated version script does), so that each library exports
//! exactly what its headers declare and the checker's leak test sees only the cases' own leaks.
//! The symbols' names carry an undefined version so rustc's own version script, which lists
//! them as global, does not apply to them (see ffi/build.rs).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    const INTERNALS: &[&str] = &[
        "diplomat_alloc",
        "diplomat_free",
        "diplomat_owned_slice_u8_destroy",
    ];
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let script = out.join("hide.map");
    let aliases = out.join("hide.ld");
    let locals: String = INTERNALS.iter().map(|s| format!("{s}; ")).collect();
    std::fs::write(&script, format!("CORPUS_INTERNAL {{ local: {locals}}};\n")).unwrap();
    let names: Vec<String> = INTERNALS
        .iter()
        .map(|s| format!("\"{s}@@CORPUS_HIDDEN\""))
        .collect();
    std::fs::write(&aliases, format!("EXTERN({})\n", names.join(" "))).unwrap();
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        script.display()
    );
    println!("cargo:rustc-cdylib-link-arg={}", aliases.display());
}
