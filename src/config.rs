//! Configuration: `copydesk.toml` or `.copydesk.toml`, found from each file's
//! directory upward (the nearest wins), or given with `--config`.
//!
//! Every mistake in a config file is an error that points at the offending
//! line: unknown keys, unknown rule ids, bad values, bad globs. A config that
//! silently ignores a typo is worse than none.

use crate::finding::Severity;
use crate::lint::{ActiveRule, RuleSet};
use crate::rules::{self, REGISTRY};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

pub const CONFIG_NAMES: &[&str] = &["copydesk.toml", ".copydesk.toml"];
pub const DEFAULT_INCLUDE: &[&str] = &["*.md", "*.markdown", "*.txt"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Info,
    Warning,
    Error,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Info => true,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Error => severity >= Severity::Error,
        }
    }
}

/// A config file that could not be used, with where in it.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    /// The file's text, for rendering; empty when it could not be read.
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

/// What applies to one file.
pub struct Settings {
    /// The config file these came from, if any.
    pub origin: Option<PathBuf>,
    /// The directory `include`/`exclude` globs are relative to.
    pub root: PathBuf,
    include: GlobSet,
    exclude: GlobSet,
    pub fail_on: FailOn,
    pub rules: RuleSet,
}

impl Settings {
    /// Whether a walked file is linted: matches `include` and not `exclude`.
    pub fn includes(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        self.include.is_match(rel) && !self.is_excluded(path)
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        self.exclude.is_match(rel)
            || rel.ancestors().skip(1).any(|dir| !dir.as_os_str().is_empty() && self.exclude.is_match(dir))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    fail_on: Option<FailOn>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

/// Command-line choices that apply on top of every config.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub isolated: bool,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
}

/// Finds and caches the settings for each directory.
pub struct Loader {
    overrides: Overrides,
    cwd: PathBuf,
    by_dir: HashMap<PathBuf, Arc<Settings>>,
    by_file: HashMap<PathBuf, Arc<Settings>>,
}

impl Loader {
    pub fn new(overrides: Overrides, cwd: PathBuf) -> Result<Loader, ConfigError> {
        for id in overrides.select.iter().chain(&overrides.ignore) {
            if rules::spec(id).is_none() {
                return Err(ConfigError {
                    path: PathBuf::from("<command line>"),
                    text: String::new(),
                    span: None,
                    message: format!("unknown rule `{id}` in --select/--ignore"),
                    help: suggest_rule(id),
                });
            }
        }
        Ok(Loader { overrides, cwd, by_dir: HashMap::new(), by_file: HashMap::new() })
    }

    /// The settings for a file in `dir` (absolute).
    pub fn for_dir(&mut self, dir: &Path) -> Result<Arc<Settings>, ConfigError> {
        if self.overrides.isolated {
            return self.settings_from(None);
        }
        if let Some(path) = self.overrides.config.clone() {
            return self.settings_from(Some(&path));
        }
        if let Some(s) = self.by_dir.get(dir) {
            return Ok(s.clone());
        }
        let found =
            dir.ancestors().find_map(|d| CONFIG_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()));
        let settings = self.settings_from(found.as_deref())?;
        self.by_dir.insert(dir.to_path_buf(), settings.clone());
        Ok(settings)
    }

    fn settings_from(&mut self, file: Option<&Path>) -> Result<Arc<Settings>, ConfigError> {
        let key = file.map_or_else(PathBuf::new, Path::to_path_buf);
        if let Some(s) = self.by_file.get(&key) {
            return Ok(s.clone());
        }
        let settings = Arc::new(match file {
            Some(path) => load(path, &self.overrides)?,
            None => defaults(self.cwd.clone(), &self.overrides)?,
        });
        self.by_file.insert(key, settings.clone());
        Ok(settings)
    }
}

fn defaults(root: PathBuf, overrides: &Overrides) -> Result<Settings, ConfigError> {
    let raw = RawConfig { include: None, exclude: Vec::new(), fail_on: None, rules: BTreeMap::new() };
    resolve(raw, root, None, "", overrides)
}

/// Reads and validates one config file.
pub fn load(path: &Path, overrides: &Overrides) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: String::new(),
        span: None,
        message: format!("cannot read config file: {e}"),
        help: None,
    })?;
    let raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: text.clone(),
        span: e.span(),
        message: e.message().trim().to_string(),
        help: None,
    })?;
    let root =
        std::path::absolute(path).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    resolve(raw, root, Some(path), &text, overrides)
}

fn resolve(
    raw: RawConfig,
    root: PathBuf,
    path: Option<&Path>,
    text: &str,
    overrides: &Overrides,
) -> Result<Settings, ConfigError> {
    let error = |span: Option<Range<usize>>, message: String, help: Option<String>| ConfigError {
        path: path.map_or_else(PathBuf::new, Path::to_path_buf),
        text: text.to_string(),
        span,
        message,
        help,
    };
    let globs = |patterns: &[Spanned<String>]| -> Result<GlobSet, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            let glob = Glob::new(p.get_ref()).map_err(|e| {
                error(Some(p.span()), format!("invalid glob `{}`: {}", p.get_ref(), e.kind()), None)
            })?;
            builder.add(glob);
        }
        builder.build().map_err(|e| error(None, format!("invalid globs: {e}"), None))
    };
    let include = match &raw.include {
        Some(patterns) => globs(patterns)?,
        None => {
            let defaults: Vec<Spanned<String>> =
                DEFAULT_INCLUDE.iter().map(|p| Spanned::new(0..0, p.to_string())).collect();
            globs(&defaults)?
        }
    };
    let exclude = globs(&raw.exclude)?;

    let mut configured: HashMap<&str, (Option<Severity>, toml::Table)> = HashMap::new();
    for (id, table) in &raw.rules {
        let Some(spec) = rules::spec(id.get_ref()) else {
            return Err(error(
                Some(id.span()),
                format!("unknown rule `{}`", id.get_ref()),
                suggest_rule(id.get_ref()),
            ));
        };
        let mut severity = crate::catalogue::default_severity(spec.id);
        let mut enabled = true;
        let mut options = toml::Table::new();
        let mut spans: HashMap<String, Range<usize>> = HashMap::new();
        for (key, value) in table {
            if key.get_ref() == "severity" {
                match value.get_ref().as_str() {
                    Some("off") => enabled = false,
                    Some("error") => severity = Severity::Error,
                    Some("warning") => severity = Severity::Warning,
                    Some("info") => severity = Severity::Info,
                    _ => {
                        return Err(error(
                            Some(value.span()),
                            "severity must be one of \"error\", \"warning\", \"info\", \"off\"".into(),
                            None,
                        ));
                    }
                }
            } else {
                spans.insert(key.get_ref().clone(), key.span());
                options.insert(key.get_ref().clone(), value.get_ref().clone());
            }
        }
        if let Err(e) = (spec.build)(&options) {
            let span = e.key.as_ref().and_then(|k| spans.get(k).cloned()).or(Some(id.span()));
            let known: Vec<String> = (spec.default_options)().keys().cloned().collect();
            let help =
                (!known.is_empty()).then(|| format!("`{}` takes the options: {}", spec.id, known.join(", ")));
            return Err(error(span, format!("[rules.{}]: {}", spec.id, e.message), help));
        }
        configured.insert(spec.id, (enabled.then_some(severity), options));
    }

    let mut active = Vec::new();
    for spec in REGISTRY {
        let (severity, options) = configured
            .remove(spec.id)
            .unwrap_or_else(|| (Some(crate::catalogue::default_severity(spec.id)), toml::Table::new()));
        let selected = if overrides.select.is_empty() {
            severity.is_some()
        } else {
            overrides.select.iter().any(|s| s == spec.id)
        };
        if !selected || overrides.ignore.iter().any(|s| s == spec.id) {
            continue;
        }
        let severity = severity.unwrap_or_else(|| crate::catalogue::default_severity(spec.id));
        let rule = (spec.build)(&options).map_err(|e| error(None, e.message, None))?;
        active.push(ActiveRule { id: spec.id, severity, rule });
    }
    Ok(Settings {
        origin: path.map(Path::to_path_buf),
        root,
        include,
        exclude,
        fail_on: overrides.fail_on.or(raw.fail_on).unwrap_or(FailOn::Error),
        rules: RuleSet { rules: active },
    })
}

pub fn suggest_rule(id: &str) -> Option<String> {
    let best =
        REGISTRY.iter().map(|s| (strsim::jaro_winkler(id, s.id), s.id)).max_by(|a, b| a.0.total_cmp(&b.0))?;
    let list: Vec<&str> = REGISTRY.iter().map(|s| s.id).collect();
    Some(if best.0 > 0.8 {
        format!("did you mean `{}`?", best.1)
    } else {
        format!("known rules: {}", list.join(", "))
    })
}

/// The commented config `copydesk init` writes: every rule and option at its default.
pub fn init_template() -> String {
    // Explanations start with "## ", settings with "# ": uncommenting a setting
    // is deleting two characters.
    let mut out = String::from(
        "## copydesk configuration. Every setting below is at its default; uncomment to change.\n\
         ## Docs for each rule: `copydesk rule RULE-ID`.\n\n\
         ## Files linted when walking directories (globs, relative to this file).\n\
         # include = [\"*.md\", \"*.markdown\", \"*.txt\"]\n\
         # exclude = []\n\n\
         ## Lowest severity that makes `copydesk check` exit 1: \"error\", \"warning\", \"info\" or \"never\".\n\
         # fail-on = \"error\"\n",
    );
    for spec in REGISTRY {
        let entry = crate::catalogue::entry(spec.id);
        out.push_str(&format!("\n[rules.{}]\n", spec.id));
        if let Some(entry) = entry {
            out.push_str(&format!("## {}\n", entry.summary));
            out.push_str(&format!("# severity = \"{}\"  # error | warning | info | off\n", entry.severity));
        }
        for (key, value) in (spec.default_options)() {
            if let Some(doc) = entry.and_then(|e| e.options.get(&key)) {
                let text = doc.description.split_whitespace().collect::<Vec<_>>().join(" ");
                out.push_str(&format!("## {text}\n"));
            }
            out.push_str(&format!("# {key} = {value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<Settings, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copydesk.toml");
        std::fs::write(&path, text).unwrap();
        load(&path, &Overrides::default())
    }

    #[test]
    fn unknown_rule_points_at_its_name() {
        let text = "[rules.duplicate-paragrap]\nseverity = \"off\"\n";
        let err = load_str(text).err().unwrap();
        assert_eq!(&text[err.span.unwrap()], "duplicate-paragrap");
        assert!(err.help.unwrap().contains("duplicate-paragraph"));
    }

    #[test]
    fn bad_option_points_at_its_key() {
        let text = "[rules.duplicate-paragraph]\nmin-length = \"long\"\n";
        let err = load_str(text).err().unwrap();
        assert_eq!(&text[err.span.unwrap()], "min-length");
    }

    #[test]
    fn unknown_top_level_key() {
        let text = "fail_on = \"error\"\n";
        let err = load_str(text).err().unwrap();
        assert!(err.message.contains("unknown field"), "{}", err.message);
        assert_eq!(&text[err.span.unwrap()], "fail_on");
    }

    #[test]
    fn severity_off_disables() {
        let s = load_str("[rules.duplicate-paragraph]\nseverity = \"off\"\n").ok().unwrap();
        assert!(s.rules.rules.iter().all(|r| r.id != "duplicate-paragraph"));
        assert_eq!(s.rules.rules.len(), REGISTRY.len() - 1);
    }

    #[test]
    fn init_template_uncommented_is_valid_config() {
        let text: String = init_template()
            .lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .map(|l| l.to_string() + "\n")
            .collect();
        assert!(text.contains("min-length = 12"));
        let s = load_str(&text).unwrap_or_else(|e| panic!("{}: {:?}\n{text}", e.message, e.span));
        assert_eq!(s.rules.rules.len(), REGISTRY.len());
    }
}
