//! Diplomat's configuration of a bridge, read as `diplomat-tool` 0.17 reads it: the crate's
//! `config.toml` first, then `#[diplomat::config(key = value, ...)]` on the bridge's top-level
//! items, which override it. Keys and their meaning are Diplomat's (`lib-name`,
//! `unsafe_references_in_callbacks`, `features_enabled`, per-language sections such as
//! `[cpp]`), so a crate set up for `diplomat-tool` works unchanged.
//!
//! Diplomat's own readers panic on a value of the wrong type; here every such problem becomes an
//! error naming the file (and line, where TOML gives one) and the key.

use diplomat_tool::config::{toml_value_from_str, Config};
use quote::ToTokens;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;

/// The configuration file `diplomat-tool` reads by default, in the crate's directory.
pub const CONFIG_FILE: &str = "config.toml";

/// The configuration of one bridge, before a language's overrides are applied.
#[derive(Clone, Debug, Default)]
pub struct DiplomatConfig {
    config: Config,
    /// The files and attributes it came from, for messages.
    pub sources: Vec<String>,
}

impl DiplomatConfig {
    /// Reads `<crate_dir>/config.toml` (if any) and the `#[diplomat::config]` attributes of
    /// `file`'s top-level items, whose source is `entry`.
    pub fn read(crate_dir: &Path, entry: &Path, file: &syn::File) -> Result<Self, Vec<String>> {
        let mut config = Config::default();
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        let path = crate_dir.join(CONFIG_FILE);
        if path.is_file() {
            match read_file(&mut config, &path) {
                Ok(()) => sources.push(CONFIG_FILE.to_string()),
                Err(e) => errors.push(e),
            }
        }
        for (line, key, value) in config_attributes(file, &mut errors, entry) {
            let value = toml_value_from_str(&value);
            if let Err(why) = quietly(|| config.set(&key, value.clone())) {
                errors.push(format!(
                    "{}:{line}: #[diplomat::config({key} = ...)]: {why}",
                    entry.display()
                ));
            } else {
                sources.push(format!("#[diplomat::config({key})]"));
            }
        }
        if errors.is_empty() {
            Ok(DiplomatConfig { config, sources })
        } else {
            Err(errors)
        }
    }

    /// The configuration as backend `lang` sees it (its `[lang]` overrides applied).
    pub fn for_lang(&self, lang: &str) -> Config {
        self.config.clone().get_overridden(lang)
    }

    /// The configuration before any language's overrides, as `diplomat_tool::gen` takes it.
    pub fn base(&self) -> Config {
        self.config.clone()
    }

    /// The crate directory Diplomat resolves `#[diplomat::include]` paths against, if the
    /// configuration moves it (`manifest_dir`).
    pub fn manifest_dir(&self) -> Option<PathBuf> {
        self.config
            .shared_config
            .manifest_dir
            .as_ref()
            .map(PathBuf::from)
    }
}

/// `config.toml` into `config`: checked as TOML here (for a message with a line), then read by
/// Diplomat's own reader (for the same keys and meaning).
fn read_file(config: &mut Config, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Err(e) = text.parse::<toml::Table>() {
        let line = e
            .span()
            .map(|s| format!(":{}", text[..s.start].matches('\n').count() + 1))
            .unwrap_or_default();
        return Err(format!(
            "{}{line}: not valid TOML: {}",
            path.display(),
            e.message()
        ));
    }
    match quietly(|| config.read_file(path)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("{}: {e}", path.display())),
        Err(why) => Err(format!("{}: {why}", path.display())),
    }
}

/// Runs one of Diplomat's configuration setters, which report a wrong value by panicking,
/// without printing the panic.
fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "invalid value".into())
    })
}

/// One `key.path = value` of a `#[diplomat::config(...)]`.
struct KeyValue {
    key: String,
    value: String,
}

impl Parse for KeyValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path = Punctuated::<syn::Ident, syn::Token![.]>::parse_separated_nonempty(input)?;
        input.parse::<syn::Token![=]>()?;
        let value: syn::Expr = input.parse()?;
        Ok(KeyValue {
            key: path
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join("."),
            value: value.to_token_stream().to_string(),
        })
    }
}

/// `(line, key, value)` of every `#[diplomat::config]` on a top-level struct, impl or module of
/// `file`, in source order: where `diplomat-tool` looks for them.
fn config_attributes(
    file: &syn::File,
    errors: &mut Vec<String>,
    entry: &Path,
) -> Vec<(usize, String, String)> {
    let path: syn::Path = syn::parse_quote!(diplomat::config);
    let mut out = Vec::new();
    for item in &file.items {
        let attrs = match item {
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Mod(m) => &m.attrs,
            _ => continue,
        };
        for attr in attrs.iter().filter(|a| a.path() == &path) {
            let line = attr.pound_token.span.start().line;
            match attr.parse_args_with(Punctuated::<KeyValue, syn::Token![,]>::parse_terminated) {
                Ok(pairs) => out.extend(pairs.into_iter().map(|kv| (line, kv.key, kv.value))),
                Err(e) => errors.push(format!(
                    "{}:{line}: #[diplomat::config(...)]: {e} (write `key = value, ...`)",
                    entry.display()
                )),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(config_toml: Option<&str>, source: &str) -> Result<DiplomatConfig, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = config_toml {
            std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        }
        let file = syn::parse_file(source).unwrap();
        DiplomatConfig::read(dir.path(), Path::new("src/lib.rs"), &file)
    }

    #[test]
    fn the_file_then_attributes_then_language_overrides() {
        let c = read(
            Some("lib-name = \"mylib\"\nunsafe_references_in_callbacks = true\n[cpp]\nlib-name = \"cpplib\"\n"),
            "#[diplomat::config(kotlin.domain = \"dev.x\")]\n#[diplomat::bridge]\nmod ffi {}\n",
        )
        .unwrap();
        assert_eq!(
            c.for_lang("c").shared_config.lib_name.as_deref(),
            Some("mylib")
        );
        assert_eq!(
            c.for_lang("cpp").shared_config.lib_name.as_deref(),
            Some("cpplib")
        );
        assert_eq!(
            c.for_lang("go")
                .shared_config
                .unsafe_references_in_callbacks,
            Some(true)
        );

        let c = read(
            Some("lib-name = \"fromfile\"\n"),
            "#[diplomat::config(lib_name = \"fromattr\")]\nmod ffi {}\n",
        )
        .unwrap();
        assert_eq!(
            c.for_lang("c").shared_config.lib_name.as_deref(),
            Some("fromattr")
        );
    }

    #[test]
    fn wrong_values_are_errors_with_file_and_line() {
        let e = read(Some("lib-name = 3\n"), "mod ffi {}").unwrap_err();
        assert!(
            e[0].contains("config.toml: Config key `lib_name` must be a string"),
            "{e:?}"
        );
        let e = read(Some("lib-name = \n"), "mod ffi {}").unwrap_err();
        assert!(e[0].contains("config.toml:1: not valid TOML"), "{e:?}");
        let e = read(None, "\n#[diplomat::config(lib_name = true)]\nmod ffi {}\n").unwrap_err();
        assert!(
            e[0].starts_with("src/lib.rs:2: #[diplomat::config(lib_name = ...)]"),
            "{e:?}"
        );
        let e = read(None, "#[diplomat::config(lib_name)]\nmod ffi {}\n").unwrap_err();
        assert!(e[0].contains("write `key = value"), "{e:?}");
    }
}
