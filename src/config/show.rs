//! `copydesk config --show FILE`: the settings that apply to one file, each
//! with where it came from.

use super::Settings;
use super::settings::{DEFAULT, RulesConf};
use crate::catalogue;
use crate::rules::REGISTRY;
use std::fmt::Write as _;
use std::path::Path;

pub fn show(settings: &Settings, file: &Path, display: &str) -> String {
    let matched = settings.matching_overrides(file);
    let conf: RulesConf = settings.effective(&matched);
    let mut out = String::new();
    let _ = writeln!(out, "# Settings for {display}");
    if settings.chain.is_empty() {
        let _ = writeln!(out, "# No config file: defaults only.");
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        let names: Vec<String> = settings
            .chain
            .iter()
            .rev()
            .map(|p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string())
            .collect();
        let _ = writeln!(out, "# Config: {}", names.join(", extending "));
    }
    for (o, m) in settings.overrides.iter().zip(&matched) {
        if *m {
            let _ = writeln!(out, "# Applies: {}", o.label);
        }
    }
    let line = |out: &mut String, setting: String, origin: &str| {
        let _ = writeln!(out, "{setting:<48} # {origin}");
    };
    line(&mut out, format!("include = {:?}", settings.include_list.value), &settings.include_list.origin);
    line(&mut out, format!("exclude = {:?}", settings.exclude_list.value), &settings.exclude_list.origin);
    line(
        &mut out,
        format!("fail-on = \"{}\"", format!("{:?}", settings.fail_on).to_lowercase()),
        &settings.fail_on_origin,
    );
    for spec in REGISTRY {
        let _ = writeln!(out, "\n[rules.{}]", spec.id);
        let rc = conf.get(spec.id);
        match rc.and_then(|c| c.severity.as_ref()) {
            Some(s) => {
                let value = s.value.map_or("off".to_string(), |v| v.to_string());
                line(&mut out, format!("severity = \"{value}\""), &s.origin);
            }
            None => {
                line(&mut out, format!("severity = \"{}\"", catalogue::default_severity(spec.id)), DEFAULT)
            }
        }
        for (key, default) in (spec.default_options)() {
            match rc.and_then(|c| c.options.get(&key)) {
                Some(v) => line(&mut out, format!("{key} = {}", v.value), &v.origin),
                None => line(&mut out, format!("{key} = {default}"), DEFAULT),
            }
        }
    }
    for c in &settings.custom {
        let _ = writeln!(out, "\n[[custom-rules]]");
        line(&mut out, format!("id = \"{}\"", c.id), &c.origin);
        line(&mut out, format!("pattern = {:?}", c.pattern), &c.origin);
        line(&mut out, format!("severity = \"{}\"", c.severity), &c.origin);
    }
    out
}
