//! Configuration: `copydesk.toml` or `.copydesk.toml`, found from each file's
//! directory upward (the nearest wins), or given with `--config`.
//!
//! Every mistake in a config file is an error that points at the offending
//! line: unknown keys, unknown rule ids, bad values, bad globs. A config that
//! silently ignores a typo is worse than none.

use crate::finding::Severity;
use crate::rules::REGISTRY;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

mod layers;
mod settings;
mod show;

pub use settings::Settings;
pub use show::show;

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
    pub fn new(overrides: Overrides, cwd: PathBuf) -> Loader {
        Loader { overrides, cwd, by_dir: HashMap::new(), by_file: HashMap::new() }
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
        let layers = match file {
            Some(path) => layers::load_chain(path)?,
            None => Vec::new(),
        };
        let root = match file {
            Some(path) => std::path::absolute(path)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| self.cwd.clone()),
            None => self.cwd.clone(),
        };
        let settings = Arc::new(Settings::resolve(layers, root, &self.overrides)?);
        self.by_file.insert(key, settings.clone());
        Ok(settings)
    }
}

/// Reads and validates one config file (and what it extends).
pub fn load(path: &Path, overrides: &Overrides) -> Result<Settings, ConfigError> {
    let root =
        std::path::absolute(path).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    Settings::resolve(layers::load_chain(path)?, root, overrides)
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
