//! Reading config files: one `Layer` per file, following `extend` to the
//! configs a file builds on (base first). Each layer keeps its text so that
//! an error can point at its line.

use super::{ConfigError, FailOn};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// `[rules.ID]` tables: rule id -> key -> value, all with spans.
pub type RawRules = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    pub extend: Option<Spanned<String>>,
    pub include: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub fail_on: Option<FailOn>,
    #[serde(default)]
    pub rules: RawRules,
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
    #[serde(default)]
    pub custom_rules: Vec<RawCustomRule>,
    #[serde(default)]
    pub packs: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawOverride {
    /// Globs relative to the config file; `!` negates.
    pub files: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: RawRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCustomRule {
    pub id: Spanned<String>,
    pub pattern: Spanned<String>,
    pub message: String,
    pub severity: Option<Spanned<String>>,
    pub replacement: Option<String>,
    pub scope: Option<Spanned<String>>,
}

/// One config file, parsed.
pub struct Layer {
    pub path: PathBuf,
    pub text: String,
    pub raw: RawConfig,
}

impl Layer {
    /// An error at `span` of this file.
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError { path: self.path.clone(), text: self.text.clone(), span, message: message.into(), help }
    }

    /// The directory the file's relative paths and globs start from.
    pub fn dir(&self) -> PathBuf {
        std::path::absolute(&self.path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    }

    /// A short name for provenance notes: relative to the working directory.
    pub fn name(&self) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        self.path.strip_prefix(&cwd).unwrap_or(&self.path).display().to_string()
    }
}

/// `path` and every config it extends, base first.
pub fn load_chain(path: &Path) -> Result<Vec<Layer>, ConfigError> {
    let mut chain = Vec::new();
    let mut next = Some((path.to_path_buf(), None::<(usize, Range<usize>)>));
    while let Some((file, from)) = next.take() {
        let text = std::fs::read_to_string(&file).map_err(|e| {
            let message =
                format!("cannot read config file {}: {}", file.display(), crate::discover::io_message(&e));
            match from {
                Some((i, span)) => chain_error(&chain, i, span, message),
                None => {
                    ConfigError { path: file.clone(), text: String::new(), span: None, message, help: None }
                }
            }
        })?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError {
            path: file.clone(),
            text: text.clone(),
            span: e.span(),
            message: e.message().trim().to_string(),
            help: None,
        })?;
        // Resolved, so that `../base.toml` reads as the file it is.
        let file = file.canonicalize().unwrap_or(file);
        let layer = Layer { path: file, text, raw };
        if let Some(extend) = &layer.raw.extend {
            let target = layer.dir().join(extend.get_ref());
            let canonical = target.canonicalize().unwrap_or_else(|_| target.clone());
            let seen = chain
                .iter()
                .chain([&layer])
                .any(|l: &Layer| l.path.canonicalize().ok() == Some(canonical.clone()));
            if seen {
                return Err(layer.error(Some(extend.span()), "`extend` makes a cycle of configs", None));
            }
            next = Some((target, Some((chain.len(), extend.span()))));
        }
        chain.push(layer);
    }
    chain.reverse();
    Ok(chain)
}

fn chain_error(chain: &[Layer], i: usize, span: Range<usize>, message: String) -> ConfigError {
    chain[i].error(Some(span), message, None)
}
