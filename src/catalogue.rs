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
pub static SOURCES: &[(&str, &str)] =
    &[("duplicate-paragraph.toml", include_str!("../rules/duplicate-paragraph.toml"))];

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
        "# {}\n\n{}\n\nCategory: {}. Default severity: {}.\n\n{}\n",
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
