//! `cargo tools generate`: writes (or, with `--check`, verifies) generated bindings.

use super::{repo_root, Result};
use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::{Files, Stamp};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Fail, listing the files that differ, if the committed output is not what generation gives.
    #[arg(long)]
    check: bool,
    /// A bridge crate (its directory or its lib.rs) to generate for, instead of Lode's `ffi/`.
    #[arg(long, requires = "out")]
    bridge: Option<PathBuf>,
    /// Output directory for --bridge: one subdirectory per language.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Languages to generate (default: all).
    #[arg(long, value_delimiter = ',')]
    lang: Vec<Lang>,
}

/// Where each language's generated files of Lode's own bridge live, relative to the repo root.
/// The generator owns what each backend's `owned_paths` names there (by default the whole
/// directory): files it no longer generates are removed.
pub fn project_outputs() -> Vec<(Lang, PathBuf)> {
    vec![
        (Lang::C, "generated/c".into()),
        (Lang::Cpp, "generated/cpp".into()),
        // Beside go.mod and the hand-written Go files: the backend owns `*_gen.go` and `include/`.
        (Lang::Go, "go".into()),
        // The Zig package's `src/` holds only the generated module; build.zig and the tests are
        // beside it, written by hand.
        // The gem: the backend owns `ext/lode/lode_ext.c`, `ext/lode/include/` and
        // `lib/lode/bindings.rb`; extconf.rb, lib/lode.rb and the rest are written by hand.
        (Lang::Ruby, "ruby".into()),
        (Lang::Zig, "zig/src".into()),
        // The Python package: the backend owns the extension's C source, its headers, the
        // Python half, the stub and py.typed under `src/lode/`; the rest is written by hand.
        (Lang::Python, "python".into()),
    ]
}

pub fn run(args: Args) -> Result {
    let langs = if args.lang.is_empty() {
        Lang::ALL.to_vec()
    } else {
        args.lang.clone()
    };
    match (&args.bridge, &args.out) {
        (Some(bridge), Some(out)) => {
            // Stamped with the last component of each path only, so that another spelling of the
            // same paths, or another checkout, stamps the same text and `--check` agrees.
            let command = format!(
                "lode-tools generate --bridge {} --out {}",
                crate_dir_name(bridge),
                dir_name(out)
            );
            let targets: Vec<_> = langs
                .iter()
                .map(|&l| (l, PathBuf::from(l.to_string())))
                .collect();
            let bridge = Bridge::load(bridge).map_err(|e| e.to_string())?;
            apply(
                &bridge,
                &targets,
                Files::default(),
                out,
                &command,
                args.check,
            )
        }
        _ => {
            let root = repo_root();
            std::env::set_current_dir(&root).map_err(|e| e.to_string())?;
            let bridge = Bridge::load(Path::new("ffi")).map_err(|e| e.to_string())?;
            let targets: Vec<_> = project_outputs()
                .into_iter()
                .filter(|(l, _)| langs.contains(l))
                .collect();
            // The linker version script of liblode follows its C headers (ffi/build.rs uses it).
            let mut extra = Files::default();
            if langs.contains(&Lang::C) {
                let script =
                    lode_tools::abi::version_script_for(&bridge).map_err(|e| e.to_string())?;
                extra.add(format!("generated/abi/{}.map", bridge.lib_name), script);
            }
            apply(
                &bridge,
                &targets,
                extra,
                Path::new("."),
                "cargo tools generate",
                args.check,
            )
        }
    }
}

/// Generates every target and writes it under `root`, or compares it with what is there.
/// `extra` holds further generated files (paths relative to `root`) in directories the
/// generator shares with others, so nothing stale is removed there.
fn apply(
    bridge: &Bridge,
    targets: &[(Lang, PathBuf)],
    extra: Files,
    root: &Path,
    command: &str,
    check: bool,
) -> Result {
    let stamp = Stamp {
        source: stamp_source(bridge),
        command: command.into(),
    };
    let mut differences = Vec::new();
    let mut refusals = Vec::new();
    for (lang, dir) in targets {
        // Every language is tried and every refusal of each is reported; those that generate
        // are written.
        let files = match backends::report::generate(bridge, *lang) {
            Ok(files) => files.stamped(&stamp),
            Err(mut these) => {
                refusals.append(&mut these);
                continue;
            }
        };
        let mut placed = Files::default();
        placed.extend_under(dir, files);
        let owned: Vec<PathBuf> = lang
            .backend()
            .owned_paths_for(bridge)
            .iter()
            .map(|p| dir.join(p))
            .collect();
        let owned: Vec<&Path> = owned.iter().map(PathBuf::as_path).collect();
        if check {
            differences.extend(placed.differences(root, &owned));
        } else {
            placed
                .write(root, &owned)
                .map_err(|e| format!("writing {}: {e}", dir.display()))?;
            println!(
                "generated {lang}: {} files in {}",
                placed.len(),
                root.join(dir).display()
            );
        }
    }
    let extra = extra.stamped(&stamp);
    if check {
        differences.extend(extra.differences(root, &[]));
    } else if !extra.is_empty() {
        extra
            .write(root, &[])
            .map_err(|e| format!("writing {}: {e}", root.display()))?;
        for (path, _) in extra.iter() {
            println!("generated {}", root.join(path).display());
        }
    }
    if !refusals.is_empty() {
        let failed: std::collections::BTreeSet<String> =
            refusals.iter().map(|r| r.lang.to_string()).collect();
        for refusal in &refusals {
            eprintln!("{refusal}");
        }
        return Err(format!(
            "{} problem(s); not generated: {}",
            refusals.len(),
            failed.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if differences.is_empty() {
        if check {
            println!("generated files are up to date");
        }
        Ok(())
    } else {
        Err(format!(
            "committed generated files are stale; run `{command}`:\n  {}",
            differences.join("\n  ")
        ))
    }
}

/// The bridge as stamps name it: the crate's directory name and the entry within it (Lode's own
/// `ffi/src/lib.rs`), which neither the spelling of the path nor the checkout location changes.
fn stamp_source(bridge: &Bridge) -> String {
    let within = bridge
        .entry
        .strip_prefix(&bridge.crate_dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "src/lib.rs".into());
    format!("{}/{within}", dir_name(&bridge.crate_dir))
}

/// The name of the crate directory a `--bridge` argument (directory or its lib.rs) names.
fn crate_dir_name(bridge: &Path) -> String {
    let dir = if bridge.is_dir() {
        bridge.to_path_buf()
    } else {
        bridge
            .parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    dir_name(&dir)
}

fn dir_name(path: &Path) -> String {
    let absolute = path
        .canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    absolute
        .components()
        .rev()
        .find_map(|c| match c {
            std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .unwrap_or_else(|| ".".into())
}
