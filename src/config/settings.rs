//! Resolving layers into the settings that apply to a file: defaults, then
//! each config from the base of an `extend` chain to the nearest, then the
//! `[[overrides]]` whose globs match the file, then the command line. Every
//! value remembers where it came from, for `copydesk config --show`.

use super::layers::{Layer, RawRules};
use super::{ConfigError, DEFAULT_INCLUDE, FailOn, Overrides, suggest_rule};
use crate::catalogue;
use crate::finding::Severity;
use crate::lint::{ActiveRule, RuleSet};
use crate::rules::common::pattern::{CustomRule, CustomScope};
use crate::rules::{self, REGISTRY};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const DEFAULT: &str = "default";

/// A value and where it was set.
#[derive(Clone, Debug)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: String,
}

/// One rule's settings: severity (`None` = off) and options, each sourced.
#[derive(Clone, Debug, Default)]
pub struct RuleConf {
    pub severity: Option<Sourced<Option<Severity>>>,
    pub options: BTreeMap<String, Sourced<toml::Value>>,
}

pub type RulesConf = BTreeMap<&'static str, RuleConf>;

pub struct OverrideConf {
    pub label: String,
    root: PathBuf,
    positive: GlobSet,
    negative: GlobSet,
    pub rules: RulesConf,
}

impl OverrideConf {
    fn matches(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        self.positive.is_match(rel) && !self.negative.is_match(rel)
    }
}

pub struct CustomDef {
    pub id: &'static str,
    pub pattern: String,
    regex: Regex,
    pub message: String,
    pub severity: Severity,
    pub replacement: Option<String>,
    scope: CustomScope,
    pub origin: String,
}

/// What applies to the files under one config.
pub struct Settings {
    /// The config files, base first; empty for the defaults.
    pub chain: Vec<PathBuf>,
    /// The directory `include`/`exclude` globs are relative to.
    pub root: PathBuf,
    include: GlobSet,
    exclude: GlobSet,
    pub include_list: Sourced<Vec<String>>,
    pub exclude_list: Sourced<Vec<String>>,
    pub fail_on: FailOn,
    pub fail_on_origin: String,
    pub base: RulesConf,
    pub overrides: Vec<OverrideConf>,
    pub custom: Vec<CustomDef>,
    cli: Overrides,
    /// The rules for a file that no `[[overrides]]` block matches.
    pub rules: Arc<RuleSet>,
    by_overrides: Mutex<HashMap<Vec<bool>, Arc<RuleSet>>>,
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

    /// Which `[[overrides]]` blocks apply to `path` (absolute).
    pub fn matching_overrides(&self, path: &Path) -> Vec<bool> {
        self.overrides.iter().map(|o| o.matches(path)).collect()
    }

    /// The rules that apply to `path` (absolute), overrides included.
    pub fn rules_for(&self, path: &Path) -> Result<Arc<RuleSet>, ConfigError> {
        let matched = self.matching_overrides(path);
        if !matched.contains(&true) {
            return Ok(self.rules.clone());
        }
        let mut cache = self.by_overrides.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cache.get(&matched) {
            return Ok(r.clone());
        }
        let conf = self.effective(&matched);
        let set = Arc::new(build_ruleset(&conf, &self.custom, &self.cli).map_err(|message| ConfigError {
            path: self.chain.last().cloned().unwrap_or_default(),
            text: String::new(),
            span: None,
            message,
            help: None,
        })?);
        cache.insert(matched, set.clone());
        Ok(set)
    }

    /// Base rule settings with the matched overrides applied, in order.
    pub fn effective(&self, matched: &[bool]) -> RulesConf {
        let mut conf = self.base.clone();
        for (o, _) in self.overrides.iter().zip(matched).filter(|(_, m)| **m) {
            merge(&mut conf, &o.rules);
        }
        conf
    }

    pub fn resolve(layers: Vec<Layer>, root: PathBuf, cli: &Overrides) -> Result<Settings, ConfigError> {
        let mut include: Sourced<Vec<String>> = Sourced {
            value: DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect(),
            origin: DEFAULT.into(),
        };
        let mut exclude: Sourced<Vec<String>> = Sourced { value: Vec::new(), origin: DEFAULT.into() };
        let mut fail_on = (FailOn::Error, DEFAULT.to_string());
        let mut base = RulesConf::new();
        let mut overrides = Vec::new();
        let mut custom: Vec<CustomDef> = Vec::new();
        for layer in &layers {
            let raw = &layer.raw;
            if let Some(list) = &raw.include {
                check_globs(layer, list)?;
                include = Sourced {
                    value: list.iter().map(|g| g.get_ref().clone()).collect(),
                    origin: layer.name(),
                };
            }
            if let Some(list) = &raw.exclude {
                check_globs(layer, list)?;
                exclude = Sourced {
                    value: list.iter().map(|g| g.get_ref().clone()).collect(),
                    origin: layer.name(),
                };
            }
            if let Some(f) = raw.fail_on {
                fail_on = (f, layer.name());
            }
            let custom_ids: Vec<String> = raw.custom_rules.iter().map(|c| c.id.get_ref().clone()).collect();
            merge(&mut base, &rules_conf(layer, &raw.rules, &layer.name(), &custom_ids)?);
            for (n, o) in raw.overrides.iter().enumerate() {
                let label = format!("{} [[overrides]] {} ({})", layer.name(), n + 1, globs_text(&o.files));
                let (positive, negative) = override_globs(layer, &o.files)?;
                let rules = rules_conf(layer, &o.rules, &label, &custom_ids)?;
                overrides.push(OverrideConf { label, root: layer.dir(), positive, negative, rules });
            }
            for pack in &raw.packs {
                let Some((_, text)) = catalogue::pack(pack.get_ref()) else {
                    let known: Vec<&str> = catalogue::PACKS.iter().map(|(n, _)| *n).collect();
                    return Err(layer.error(
                        Some(pack.span()),
                        format!("unknown rule pack `{}`", pack.get_ref()),
                        Some(format!("packs: {}", known.join(", "))),
                    ));
                };
                let pack_layer = Layer {
                    path: PathBuf::from(format!("rules/packs/{}.toml", pack.get_ref())),
                    text: text.to_string(),
                    raw: toml::from_str(text).expect("rule packs are valid (tested)"),
                };
                add_custom(&pack_layer, &mut custom)?;
            }
            add_custom(layer, &mut custom)?;
        }
        let cli = cli.clone();
        for id in cli.select.iter().chain(&cli.ignore) {
            if rules::spec(id).is_none() && !custom.iter().any(|c| c.id == id) {
                return Err(ConfigError {
                    path: PathBuf::from("<command line>"),
                    text: String::new(),
                    span: None,
                    message: format!("unknown rule `{id}` in --select/--ignore"),
                    help: suggest_rule(id),
                });
            }
        }
        let rules = Arc::new(build_ruleset(&base, &custom, &cli).map_err(|message| ConfigError {
            path: layers.last().map(|l| l.path.clone()).unwrap_or_default(),
            text: String::new(),
            span: None,
            message,
            help: None,
        })?);
        let fail_on_value = cli.fail_on.unwrap_or(fail_on.0);
        let fail_on_origin = if cli.fail_on.is_some() { "command line".to_string() } else { fail_on.1 };
        Ok(Settings {
            chain: layers.iter().map(|l| l.path.clone()).collect(),
            include: globset(&include.value),
            exclude: globset(&exclude.value),
            include_list: include,
            exclude_list: exclude,
            root,
            fail_on: fail_on_value,
            fail_on_origin,
            base,
            overrides,
            custom,
            cli,
            rules,
            by_overrides: Mutex::new(HashMap::new()),
        })
    }
}

/// Later settings win, key by key.
fn merge(into: &mut RulesConf, from: &RulesConf) {
    for (id, conf) in from {
        let target = into.entry(id).or_default();
        if let Some(s) = &conf.severity {
            target.severity = Some(s.clone());
        }
        for (k, v) in &conf.options {
            target.options.insert(k.clone(), v.clone());
        }
    }
}

/// Validates one `[rules.*]` table set of a layer, key by key, so that an
/// error points at the key's line.
fn rules_conf(
    layer: &Layer,
    raw: &RawRules,
    origin: &str,
    custom_ids: &[String],
) -> Result<RulesConf, ConfigError> {
    let mut out = RulesConf::new();
    for (id, table) in raw {
        let Some(spec) = rules::spec(id.get_ref()) else {
            if custom_ids.contains(id.get_ref()) {
                return Err(layer.error(
                    Some(id.span()),
                    format!(
                        "`{}` is a custom rule: set its severity in its [[custom-rules]] entry",
                        id.get_ref()
                    ),
                    None,
                ));
            }
            return Err(layer.error(
                Some(id.span()),
                format!("unknown rule `{}`", id.get_ref()),
                suggest_rule(id.get_ref()),
            ));
        };
        let mut conf = RuleConf::default();
        let mut spans = HashMap::new();
        let mut options = toml::Table::new();
        for (key, value) in table {
            if key.get_ref() == "severity" {
                let choices = [
                    ("error", Some(Severity::Error)),
                    ("warning", Some(Severity::Warning)),
                    ("info", Some(Severity::Info)),
                    ("off", None),
                ];
                let text = value.get_ref().as_str().map(|t| toml::Spanned::new(value.span(), t.to_string()));
                let text = text.unwrap_or_else(|| toml::Spanned::new(value.span(), String::new()));
                let severity = keyword(layer, Some(&text), &choices, None, "severity")?;
                conf.severity = Some(Sourced { value: severity, origin: origin.to_string() });
            } else {
                spans.insert(key.get_ref().clone(), key.span());
                options.insert(key.get_ref().clone(), value.get_ref().clone());
                conf.options.insert(
                    key.get_ref().clone(),
                    Sourced { value: value.get_ref().clone(), origin: origin.to_string() },
                );
            }
        }
        if let Err(e) = (spec.build)(&options) {
            let span = e.key.as_ref().and_then(|k| spans.get(k).cloned()).or(Some(id.span()));
            let known: Vec<String> = (spec.default_options)().keys().cloned().collect();
            let help = if known.is_empty() {
                Some(format!("`{}` takes no options, only `severity`", spec.id))
            } else {
                Some(format!("`{}` takes the options: {}", spec.id, known.join(", ")))
            };
            return Err(layer.error(span, format!("[rules.{}]: {}", spec.id, e.message), help));
        }
        out.insert(spec.id, conf);
    }
    Ok(out)
}

fn add_custom(layer: &Layer, custom: &mut Vec<CustomDef>) -> Result<(), ConfigError> {
    for c in &layer.raw.custom_rules {
        let id = c.id.get_ref();
        let valid_id = !id.is_empty()
            && id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !valid_id {
            return Err(layer.error(
                Some(c.id.span()),
                "a rule id is kebab-case: lower-case letters, digits and `-`",
                None,
            ));
        }
        if rules::spec(id).is_some() || custom.iter().any(|d| d.id == id) {
            return Err(layer.error(Some(c.id.span()), format!("rule `{id}` is defined twice"), None));
        }
        let regex = Regex::new(c.pattern.get_ref()).map_err(|e| {
            let detail = e.to_string().lines().last().unwrap_or("").trim().to_string();
            layer.error(Some(c.pattern.span()), format!("invalid pattern: {detail}"), None)
        })?;
        let severities =
            [("warning", Severity::Warning), ("error", Severity::Error), ("info", Severity::Info)];
        let severity = keyword(layer, c.severity.as_ref(), &severities, Severity::Warning, "severity")?;
        let scopes = [
            ("paragraph", CustomScope::Paragraph),
            ("sentence", CustomScope::Sentence),
            ("heading", CustomScope::Heading),
        ];
        let scope = keyword(layer, c.scope.as_ref(), &scopes, CustomScope::Paragraph, "scope")?;
        custom.push(CustomDef {
            // Rule ids are `&'static str` everywhere; a config's few custom
            // ids live as long as the run.
            id: Box::leak(id.clone().into_boxed_str()),
            pattern: c.pattern.get_ref().clone(),
            regex,
            message: c.message.clone(),
            severity,
            replacement: c.replacement.clone(),
            scope,
            origin: layer.name(),
        });
    }
    Ok(())
}

fn build_ruleset(conf: &RulesConf, custom: &[CustomDef], cli: &Overrides) -> Result<RuleSet, String> {
    let selected = |id: &str, enabled: bool| {
        let on = if cli.select.is_empty() { enabled } else { cli.select.iter().any(|s| s == id) };
        on && !cli.ignore.iter().any(|s| s == id)
    };
    let mut active = Vec::new();
    for spec in REGISTRY {
        let rc = conf.get(spec.id);
        let default = catalogue::default_severity(spec.id);
        let severity = rc.and_then(|c| c.severity.as_ref()).map_or(Some(default), |s| s.value);
        if !selected(spec.id, severity.is_some()) {
            continue;
        }
        let options: toml::Table = rc
            .map(|c| c.options.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect())
            .unwrap_or_default();
        let rule = (spec.build)(&options).map_err(|e| format!("[rules.{}]: {}", spec.id, e.message))?;
        active.push(ActiveRule { id: spec.id, severity: severity.unwrap_or(default), rule });
    }
    for c in custom {
        if !selected(c.id, true) {
            continue;
        }
        let rule = CustomRule {
            regex: c.regex.clone(),
            message: c.message.clone(),
            replacement: c.replacement.clone(),
            scope: c.scope,
        };
        active.push(ActiveRule { id: c.id, severity: c.severity, rule: Box::new(rule) });
    }
    Ok(RuleSet { rules: active })
}

/// One of a few words, or an error at its span that lists them.
fn keyword<T: Copy>(
    layer: &Layer,
    value: Option<&toml::Spanned<String>>,
    choices: &[(&str, T)],
    default: T,
    what: &str,
) -> Result<T, ConfigError> {
    let Some(value) = value else { return Ok(default) };
    match choices.iter().find(|(word, _)| *word == value.get_ref()) {
        Some((_, v)) => Ok(*v),
        None => {
            let words: Vec<String> = choices.iter().map(|(w, _)| format!("\"{w}\"")).collect();
            Err(layer.error(Some(value.span()), format!("{what} must be one of {}", words.join(", ")), None))
        }
    }
}

fn check_globs(layer: &Layer, list: &[toml::Spanned<String>]) -> Result<(), ConfigError> {
    for g in list {
        Glob::new(g.get_ref().trim_start_matches('!')).map_err(|e| {
            layer.error(Some(g.span()), format!("invalid glob `{}`: {}", g.get_ref(), e.kind()), None)
        })?;
    }
    Ok(())
}

fn override_globs(layer: &Layer, list: &[toml::Spanned<String>]) -> Result<(GlobSet, GlobSet), ConfigError> {
    check_globs(layer, list)?;
    if list.iter().all(|g| g.get_ref().starts_with('!')) {
        let span = list.first().map(|g| g.span());
        return Err(layer.error(span, "`files` needs at least one glob that is not negated", None));
    }
    let (neg, pos): (Vec<_>, Vec<_>) =
        list.iter().map(|g| g.get_ref().as_str()).partition(|g| g.starts_with('!'));
    let neg: Vec<String> = neg.iter().map(|g| g[1..].to_string()).collect();
    let pos: Vec<String> = pos.iter().map(|g| g.to_string()).collect();
    Ok((globset(&pos), globset(&neg)))
}

/// Globs already checked one by one.
fn globset(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

fn globs_text(list: &[toml::Spanned<String>]) -> String {
    list.iter().map(|g| g.get_ref().as_str()).collect::<Vec<_>>().join(", ")
}
