//! The rule catalogue: `rules/*.toml`, embedded in the binary. Each entry is the
//! user manual for one rule (what it finds, why it matters, how to fix it, its
//! options and examples). The default severity lives here and only here.
//! Tests run every example through its rule so the manual cannot drift from
//! the code.

use crate::finding::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// (file name, contents) of every catalogue entry.
pub static SOURCES: &[(&str, &str)] = &[
    ("duplicate-paragraph.toml", include_str!("../rules/duplicate-paragraph.toml")),
    ("repeated-phrase.toml", include_str!("../rules/repeated-phrase.toml")),
    ("truncated-sentence.toml", include_str!("../rules/truncated-sentence.toml")),
    ("orphaned-fragment.toml", include_str!("../rules/orphaned-fragment.toml")),
    ("unused-suppression.toml", include_str!("../rules/unused-suppression.toml")),
];

/// Rule packs: custom rules shipped with copydesk, opt-in by name.
pub static PACKS: &[(&str, &str)] =
    &[("cjk-punctuation", include_str!("../rules/packs/cjk-punctuation.toml"))];

pub fn pack(name: &str) -> Option<&'static (&'static str, &'static str)> {
    PACKS.iter().find(|(n, _)| *n == name)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub summary: String,
    pub explanation: String,
    #[serde(default)]
    pub options: BTreeMap<String, OptionDoc>,
    #[serde(default)]
    pub examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDoc {
    pub default: toml::Value,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    /// "markdown" (default) or "text".
    #[serde(default = "markdown")]
    pub format: String,
    pub text: String,
    /// The exact source text of each primary span the rule must report, in
    /// order; empty for an example that must stay quiet.
    #[serde(default)]
    pub flagged: Vec<String>,
    /// Options for this example, on top of the defaults.
    #[serde(default)]
    pub options: toml::Table,
}

fn markdown() -> String {
    "markdown".to_string()
}

pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(name, text)| {
                toml::from_str(text)
                    .unwrap_or_else(|e| panic!("catalogue entry rules/{name} is invalid: {e}"))
            })
            .collect()
    })
}

pub fn entry(id: &str) -> Option<&'static Entry> {
    entries().iter().find(|e| e.id == id)
}

/// The default severity of a rule (every registered rule has an entry: tested).
pub fn default_severity(id: &str) -> Severity {
    entry(id).map_or(Severity::Warning, |e| e.severity)
}

/// The long form printed by `copydesk rule ID`.
pub fn render_long(entry: &Entry) -> String {
    let mut out = format!(
        "# {}\n\n{}.\n\nCategory: {}. Default severity: {}.\n\n{}\n",
        entry.id,
        entry.summary,
        entry.category,
        entry.severity,
        entry.explanation.trim_end()
    );
    if !entry.options.is_empty() {
        out.push_str("\n## Options\n\n");
        for (name, doc) in &entry.options {
            out.push_str(&format!("- `{name}` (default `{}`): {}\n", doc.default, doc.description.trim()));
        }
    }
    if !entry.examples.is_empty() {
        out.push_str("\n## Examples\n");
        for ex in &entry.examples {
            let verdict = if ex.flagged.is_empty() { "not flagged" } else { "flagged" };
            out.push_str(&format!("\n{} ({verdict}):\n\n", ex.name));
            for line in ex.text.trim_end().lines() {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::rules::REGISTRY;
    use crate::source::Format;

    #[test]
    fn every_rule_has_one_entry_and_every_entry_a_rule() {
        let mut code: Vec<&str> = REGISTRY.iter().map(|s| s.id).collect();
        let mut docs: Vec<&str> = entries().iter().map(|e| e.id.as_str()).collect();
        code.sort();
        docs.sort();
        assert_eq!(code, docs);
        // Every file in rules/ is embedded, under its own id.
        let mut files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut embedded: Vec<String> = SOURCES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(files, embedded);
        for (name, _) in SOURCES {
            assert!(entries().iter().any(|e| format!("{}.toml", e.id) == *name), "{name}");
        }
    }

    #[test]
    fn every_pack_loads_and_its_patterns_compile() {
        let packs: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/packs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".toml").to_string())
            .collect();
        assert_eq!(packs.len(), PACKS.len());
        for name in packs {
            let dir = tempfile::tempdir().unwrap();
            let config = dir.path().join("copydesk.toml");
            std::fs::write(&config, format!("packs = [\"{name}\"]\n")).unwrap();
            let settings = crate::config::load(&config, &crate::config::Overrides::default())
                .unwrap_or_else(|e| panic!("pack {name}: {}", e.message));
            assert!(!settings.custom.is_empty(), "pack {name} has no rules");
        }
    }

    #[test]
    fn documented_options_match_the_code() {
        for spec in REGISTRY {
            let entry = entry(spec.id).unwrap();
            let defaults = (spec.default_options)();
            let documented: Vec<&String> = entry.options.keys().collect();
            let coded: Vec<&String> = defaults.keys().collect();
            assert_eq!(documented, coded, "options of {}", spec.id);
            for (key, doc) in &entry.options {
                assert_eq!(&doc.default, &defaults[key], "default of {}.{key}", spec.id);
            }
        }
    }

    #[test]
    fn every_example_behaves_as_documented() {
        for spec in REGISTRY {
            let entry = entry(spec.id).unwrap();
            assert!(
                entry.examples.iter().any(|e| !e.flagged.is_empty()),
                "{}: no example that triggers",
                spec.id
            );
            assert!(
                entry.examples.iter().any(|e| e.flagged.is_empty()),
                "{}: no example that stays quiet",
                spec.id
            );
            for example in &entry.examples {
                // The whole engine, as a user runs it: every rule, suppressions
                // applied, this rule with the example's options.
                let mut rules = crate::lint::RuleSet::default();
                for other in REGISTRY {
                    let options =
                        if other.id == spec.id { example.options.clone() } else { toml::Table::new() };
                    let rule = (other.build)(&options).unwrap();
                    rules.rules.push(crate::lint::ActiveRule {
                        id: other.id,
                        severity: default_severity(other.id),
                        rule,
                    });
                }
                let format = if example.format == "text" { Format::PlainText } else { Format::Markdown };
                let doc = Document::parse("example", &example.text, 0, format);
                let out = crate::suppress::apply(&crate::suppress::scopes(&doc), rules.check(&doc), &rules);
                let mut got: Vec<&str> =
                    out.iter().filter(|f| f.rule == spec.id).map(|f| &example.text[f.span.clone()]).collect();
                got.sort();
                let mut want: Vec<&str> = example.flagged.iter().map(String::as_str).collect();
                want.sort();
                assert_eq!(got, want, "{} example {:?}", spec.id, example.name);
            }
        }
    }
}
