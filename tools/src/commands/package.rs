//! `cargo tools package go`: builds a binding's release artifact. For Go, the module zip that a
//! Go module proxy serves, with Lode's static library inside (so `go get` needs no Rust), laid
//! out as a file-system module proxy (`GOPROXY=file://<dir>` serves it as is).

use super::{build_library, output_of, repo_root, Result};
use lode_tools::bridge::Bridge;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Go module's path, as users `go get` it: the `go-module` setting of the bridge
/// (`[package.metadata.lode-tools]` in ffi/Cargo.toml), which go/go.mod must declare too.
pub fn go_module() -> Result<String> {
    let manifest =
        lode_tools::manifest::Manifest::read(&repo_root().join("ffi")).map_err(|e| e.0)?;
    let module = manifest.settings.go_module.ok_or_else(|| {
        "ffi/Cargo.toml: [package.metadata.lode-tools] has no go-module (the Go module path)"
            .to_string()
    })?;
    let go_mod = std::fs::read_to_string(repo_root().join("go/go.mod"))
        .map_err(|e| format!("reading go/go.mod: {e}"))?;
    let declared = go_mod
        .lines()
        .find_map(|l| l.strip_prefix("module "))
        .map(str::trim);
    if declared != Some(module.as_str()) {
        return Err(format!(
            "go/go.mod declares module {}, but ffi/Cargo.toml's go-module is {module}: make \
             them agree",
            declared.unwrap_or("nothing")
        ));
    }
    Ok(module)
}

#[derive(clap::Args)]
pub struct Args {
    /// What to package.
    #[arg(value_enum)]
    what: Artifact,
    /// Where to put the artifact (default: build/package).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Artifact {
    /// The Go module zip, in a file-system module proxy.
    Go,
}

pub fn run(args: Args) -> Result {
    let out = args
        .out
        .unwrap_or_else(|| repo_root().join("build/package"));
    match args.what {
        Artifact::Go => {
            let zip = package_go(&build_library()?, &out)?;
            println!("packaged the Go module: {}", zip.display());
            println!(
                "serve it with GOPROXY=file://{}",
                out.join("goproxy").display()
            );
            Ok(())
        }
    }
}

/// The `GOOS_GOARCH` of this machine's Go, naming the directory of its library in the module.
pub fn go_platform() -> Result<String> {
    let env = output_of(Command::new("go").args(["env", "GOOS", "GOARCH"]))?;
    let parts: Vec<&str> = env.split_whitespace().collect();
    match parts.as_slice() {
        [goos, goarch] => Ok(format!("{goos}_{goarch}")),
        _ => Err(format!("unexpected `go env GOOS GOARCH` output: {env}")),
    }
}

/// Puts the library built in `lib_dir` where the Go module's `#cgo` directives look for this
/// platform's (`go/lib/GOOS_GOARCH/liblode.a`), for tests and examples run in the repository.
/// Debug information is stripped: the module carries it to every user.
pub fn stage_go_library(lib_dir: &Path) -> Result<PathBuf> {
    let target = repo_root()
        .join("go/lib")
        .join(go_platform()?)
        .join("liblode.a");
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let source = lib_dir.join("liblode.a");
    let stripped = Command::new("strip")
        .arg("--strip-debug")
        .arg(&source)
        .arg("-o")
        .arg(&target)
        .status()
        .is_ok_and(|s| s.success());
    if !stripped {
        std::fs::copy(&source, &target)
            .map_err(|e| format!("copying {}: {e}", source.display()))?;
    }
    Ok(target)
}

/// `GOFLAGS` for a `go` command in the repository that links the staged library.
///
/// Go's build cache keys a link on the Go sources and flags, not on the contents of the static
/// library a `#cgo LDFLAGS` line names: after the library changes, `go build` and `go test`
/// would link the old one again from the cache. So the flags carry the staged library's hash,
/// as a `-X` for a variable that does not exist (which the linker ignores): a new library means
/// a new link.
pub fn go_flags() -> String {
    let staged = go_platform()
        .ok()
        .map(|platform| repo_root().join("go/lib").join(platform).join("liblode.a"))
        .and_then(|path| std::fs::read(path).ok());
    match staged {
        Some(bytes) => {
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&bytes, &mut hasher);
            let hash = std::hash::Hasher::finish(&hasher);
            let module = go_module().unwrap_or_default();
            format!("-ldflags=-X={module}.stagedLibrary={hash:016x}")
        }
        None => String::new(),
    }
}

/// Builds the module zip of Lode's Go binding (with this platform's library) under
/// `out/goproxy`; returns the zip's path.
pub fn package_go(lib_dir: &Path, out: &Path) -> Result<PathBuf> {
    stage_go_library(lib_dir)?;
    let bridge = Bridge::load(&repo_root().join("ffi")).map_err(|e| e.to_string())?;
    let version = format!("v{}", bridge.version);
    let module_dir = repo_root().join("go");

    let mut entries = Vec::new();
    collect(&module_dir, &module_dir, &mut entries)?;
    entries.sort();
    let module = go_module()?;
    let prefix = format!("{module}@{version}/");
    let mut zip = ZipWriter::default();
    for relative in &entries {
        let data = std::fs::read(module_dir.join(relative))
            .map_err(|e| format!("reading {relative}: {e}"))?;
        zip.add(&format!("{prefix}{relative}"), &data);
    }

    // A file-system proxy: <module>/@v/{list, <v>.info, <v>.mod, <v>.zip}.
    let at_v = out.join("goproxy").join(&module).join("@v");
    if at_v.exists() {
        std::fs::remove_dir_all(&at_v).map_err(|e| format!("clearing {}: {e}", at_v.display()))?;
    }
    std::fs::create_dir_all(&at_v).map_err(|e| format!("creating {}: {e}", at_v.display()))?;
    let go_mod =
        std::fs::read(module_dir.join("go.mod")).map_err(|e| format!("reading go/go.mod: {e}"))?;
    let write = |name: &str, data: &[u8]| {
        std::fs::write(at_v.join(name), data).map_err(|e| format!("writing {name}: {e}"))
    };
    write("list", format!("{version}\n").as_bytes())?;
    write(
        &format!("{version}.info"),
        format!("{{\"Version\":\"{version}\"}}\n").as_bytes(),
    )?;
    write(&format!("{version}.mod"), &go_mod)?;
    let zip_path = at_v.join(format!("{version}.zip"));
    write(&format!("{version}.zip"), &zip.finish())?;
    Ok(zip_path)
}

/// The module's files, relative to `root`, with `/` separators: see [`belongs_in_module`];
/// hidden files and nested modules are left out.
fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            // A directory with its own go.mod is another module; vendor/ is not allowed.
            if path.join("go.mod").exists() || name == "vendor" {
                continue;
            }
            collect(root, &path, out)?;
        } else if belongs_in_module(&path) {
            let relative = path.strip_prefix(root).map_err(|e| e.to_string())?;
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Whether a file is part of the released module: sources, C headers, module files, docs and
/// the bundled libraries; not what builds, tests and profiles leave behind (`*.test`, `*.out`).
fn belongs_in_module(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    matches!(ext, "go" | "h" | "a" | "md")
        || matches!(name, "go.mod" | "go.sum")
        || name.starts_with("LICENSE")
}

/// A zip archive of stored (uncompressed) entries, which is all a module zip needs.
#[derive(Default)]
struct ZipWriter {
    data: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

impl ZipWriter {
    fn add(&mut self, name: &str, content: &[u8]) {
        let crc = crc32(content);
        let offset = self.data.len() as u32;
        let size = content.len() as u32;
        // Version 2.0, flag bit 11 (UTF-8 names), method 0 (stored), a fixed date (1980-01-01)
        // so that the archive depends on the files only.
        let common = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&0x0800u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&0x0021u16.to_le_bytes());
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        self.data.extend_from_slice(&0x04034b50u32.to_le_bytes());
        common(&mut self.data);
        self.data.extend_from_slice(name.as_bytes());
        self.data.extend_from_slice(content);

        self.central.extend_from_slice(&0x02014b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut self.central);
        self.central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        self.central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        self.count += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let offset = self.data.len() as u32;
        let size = self.central.len() as u32;
        self.data.extend_from_slice(&self.central);
        self.data.extend_from_slice(&0x06054b50u32.to_le_bytes());
        self.data.extend_from_slice(&[0; 4]); // disk numbers
        self.data.extend_from_slice(&self.count.to_le_bytes());
        self.data.extend_from_slice(&self.count.to_le_bytes());
        self.data.extend_from_slice(&size.to_le_bytes());
        self.data.extend_from_slice(&offset.to_le_bytes());
        self.data.extend_from_slice(&0u16.to_le_bytes()); // comment length
        self.data
    }
}

/// CRC-32 (IEEE), as zip stores it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_go_module_setting_and_go_mod_agree() {
        assert_eq!(super::go_module().unwrap(), "github.com/lode-db/lode/go");
    }

    #[test]
    fn crc32_of_a_known_text() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
    }
}
