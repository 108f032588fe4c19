//! A bridge crate's `Cargo.toml`, read with a real TOML parser: its names, version and metadata,
//! and the generator's own settings (`[package.metadata.lode-tools]`).
//!
//! Fields a crate inherits from its workspace (`version.workspace = true`) are looked up in the
//! nearest enclosing `Cargo.toml` that has a `[workspace]` table, as cargo does.

use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The manifest table holding the generator's settings for a bridge.
pub const METADATA_SECTION: &str = "package.metadata.lode-tools";

/// What the generator reads from a bridge crate's manifest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Manifest {
    /// Where it was read from (`<crate>/Cargo.toml`); `None` when the crate has none.
    pub path: Option<PathBuf>,
    /// `[package] name`; the crate directory's name when there is no manifest.
    pub package: String,
    /// `[package] version` (or the workspace's); `0.0.0` when neither says.
    pub version: String,
    /// `[lib] name`, else the package name with `-` as `_`: the `lib<name>.so` cargo builds.
    pub lib_name: String,
    /// `[package] description`, `license`, `homepage`, `repository`, where given.
    pub description: Option<String>,
    pub license: Option<String>,
    pub homepage: Option<String>,
    pub repository: Option<String>,
    /// The generator's settings.
    pub settings: Settings,
}

/// `[package.metadata.lode-tools]`: everything lode-tools needs to know of a bridge that neither
/// Rust nor Diplomat's configuration says. All optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Calls that may block (wait for I/O or for a lock another thread holds), as the bridge's
    /// Rust names (`Type::method`, or `function`): bindings with a global lock release it around
    /// them. See [`crate::backends::common::blocking`].
    pub blocking: Vec<String>,
    /// `go-module`: the Go module path of the generated package (e.g. `example.com/thing/go`).
    pub go_module: Option<String>,
}

/// A manifest that could not be read, with the file and, for a TOML error, the line.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestError(pub String);

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Manifest {
    /// Reads `<crate_dir>/Cargo.toml`. A crate without one gets names from its directory.
    pub fn read(crate_dir: &Path) -> Result<Manifest, ManifestError> {
        let path = crate_dir.join("Cargo.toml");
        let fallback = dir_name(crate_dir);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Manifest {
                path: None,
                lib_name: fallback.replace('-', "_"),
                package: fallback,
                version: "0.0.0".into(),
                ..Manifest::default()
            });
        };
        let table = parse(&path, &text)?;
        let workspace = || workspace_package(crate_dir);
        let field = |key: &str| package_field(&table, key, &workspace);
        let package = field("name").unwrap_or(fallback);
        let version = field("version").unwrap_or_else(|| "0.0.0".into());
        let lib_name = table
            .get("lib")
            .and_then(|lib| lib.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| package.replace('-', "_"));
        let settings = Settings::from_table(&path, &table)?;
        Ok(Manifest {
            description: field("description"),
            license: field("license"),
            homepage: field("homepage"),
            repository: field("repository"),
            path: Some(path),
            package,
            version,
            lib_name,
            settings,
        })
    }
}

impl Settings {
    fn from_table(path: &Path, manifest: &Table) -> Result<Settings, ManifestError> {
        let Some(section) = METADATA_SECTION
            .split('.')
            .try_fold(manifest, |table, key| table.get(key)?.as_table())
        else {
            return Ok(Settings::default());
        };
        let wrong = |key: &str, what: &str| {
            ManifestError(format!(
                "{}: [{METADATA_SECTION}] {key} must be {what}",
                path.display()
            ))
        };
        let mut settings = Settings::default();
        for (key, value) in section {
            match key.as_str() {
                "blocking" => {
                    let list = value
                        .as_array()
                        .ok_or_else(|| wrong(key, "a list of method names"))?;
                    settings.blocking = list
                        .iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Option<_>>()
                        .ok_or_else(|| wrong(key, "a list of method names (strings)"))?;
                }
                "go-module" => {
                    settings.go_module = Some(
                        value
                            .as_str()
                            .ok_or_else(|| wrong(key, "a string (a Go module path)"))?
                            .to_string(),
                    )
                }
                other => {
                    return Err(ManifestError(format!(
                        "{}: [{METADATA_SECTION}] has no setting `{other}` (known: blocking, \
                         go-module)",
                        path.display()
                    )))
                }
            }
        }
        Ok(settings)
    }
}

/// Parses a manifest, naming the file and line of a syntax error.
fn parse(path: &Path, text: &str) -> Result<Table, ManifestError> {
    text.parse::<Table>().map_err(|e| {
        let line = e
            .span()
            .map(|span| format!(":{}", text[..span.start].matches('\n').count() + 1))
            .unwrap_or_default();
        ManifestError(format!(
            "{}{line}: not valid TOML: {}",
            path.display(),
            e.message()
        ))
    })
}

/// `[package] <key>` as a string, following `<key>.workspace = true` to the workspace's
/// `[workspace.package]`.
fn package_field(
    manifest: &Table,
    key: &str,
    workspace: &dyn Fn() -> Option<Table>,
) -> Option<String> {
    let value = manifest.get("package")?.get(key)?;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Table(t) if t.get("workspace").and_then(Value::as_bool) == Some(true) => {
            workspace()?.get(key)?.as_str().map(str::to_string)
        }
        _ => None,
    }
}

/// The `[workspace.package]` table of the nearest enclosing workspace.
fn workspace_package(crate_dir: &Path) -> Option<Table> {
    let crate_dir = crate_dir.canonicalize().ok()?;
    crate_dir.ancestors().skip(1).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let table: Table = text.parse().ok()?;
        table.get("workspace")?.get("package")?.as_table().cloned()
    })
}

fn dir_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "bridge".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(manifest: &str) -> Result<Manifest, ManifestError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        Manifest::read(dir.path())
    }

    #[test]
    fn comments_and_single_quotes_are_toml() {
        let m = read(
            "[package]\nname = 'cmlib' # what C links\nversion = '1.2.3'\n\
             [lib]\nname = \"cm\" # the .so\n",
        )
        .unwrap();
        assert_eq!(m.package, "cmlib");
        assert_eq!(m.version, "1.2.3");
        assert_eq!(m.lib_name, "cm");
    }

    #[test]
    fn lib_name_defaults_to_the_package() {
        let m = read("[package]\nname = \"my-bridge\"\nversion = \"0.1.0\"\n").unwrap();
        assert_eq!(m.lib_name, "my_bridge");
        assert_eq!(m.settings, Settings::default());
    }

    #[test]
    fn settings_lists_span_lines_and_carry_comments() {
        let m = read(
            "[package]\nname = \"x\"\n[package.metadata.lode-tools]\n\
             blocking = [\n  \"A::open\", # opens a file\n  'B::commit',\n]\n\
             go-module = \"example.com/x/go\"\n",
        )
        .unwrap();
        assert_eq!(m.settings.blocking, ["A::open", "B::commit"]);
        assert_eq!(m.settings.go_module.as_deref(), Some("example.com/x/go"));
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_setting() {
        let e = read("[package]\nname = \"x\"\nversion = \n").unwrap_err();
        assert!(e.0.contains("Cargo.toml:3: not valid TOML"), "{e}");
        let e = read("[package.metadata.lode-tools]\nblocking = \"A::open\"\n").unwrap_err();
        assert!(e.0.contains("blocking must be a list"), "{e}");
        let e = read("[package.metadata.lode-tools]\nblockng = []\n").unwrap_err();
        assert!(e.0.contains("no setting `blockng`"), "{e}");
    }

    #[test]
    fn versions_inherited_from_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nmembers = [\"b\"]\n[workspace.package]\nversion = \"4.5.6\" # all\n\
             license = 'MIT'\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(
            dir.path().join("b/Cargo.toml"),
            "[package]\nname = \"b\"\nversion.workspace = true\nlicense = { workspace = true }\n",
        )
        .unwrap();
        let m = Manifest::read(&dir.path().join("b")).unwrap();
        assert_eq!(m.version, "4.5.6");
        assert_eq!(m.license.as_deref(), Some("MIT"));
    }
}
