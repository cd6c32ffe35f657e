//! The rules. One file per rule; each declares its options as a serde struct
//! (kebab-case keys, defaults in `Default`) and implements [`Rule`]. The
//! registry below is the one list of rules the engine, the config loader and
//! the catalogue test read.

pub mod common;
pub mod duplicate_paragraph;
pub mod orphaned_fragment;
pub mod repeated_phrase;
pub mod truncated_sentence;
pub mod unused_suppression;

use crate::document::Document;
use crate::finding::{FileId, Finding};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::ops::Range;

/// A check over one document. Rules report findings at their configured
/// severity; a rule sets `demote` on a finding for a sub-case it is less sure of.
pub trait Rule: Send + Sync {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>);

    /// [`Rule::check`] for a piece of a file (see [`crate::pieces`]), whose
    /// findings are kept only where they start in `region` of the source:
    /// the rest of the piece is context for rules that look a few blocks
    /// away. A rule whose findings on a block come from that block alone
    /// checks only the blocks in the region; the caller still filters.
    fn check_region(&self, doc: &Document, _region: Range<usize>, out: &mut Vec<Reported>) {
        self.check(doc, out)
    }

    /// Whether this rule compares files with each other (so a run must keep
    /// every file until the end).
    fn is_tree(&self) -> bool {
        false
    }

    /// For rules that compare files with each other: what this document
    /// contributes to the comparison, kept small (fingerprints, not text).
    fn collect(&self, _doc: &Document) -> Option<TreeInput> {
        None
    }

    /// For a rule whose findings compare blocks anywhere in a file, so that a
    /// file read a piece at a time (see [`crate::pieces`]) cannot be checked
    /// piece by piece: what the blocks of this piece that start in `region`
    /// contribute, their spans moved `base` bytes on (where the piece starts
    /// in its file). The contributions of all pieces are then compared as one
    /// file by `check_tree`. `None`: `check` on a piece finds what it would
    /// in the whole file.
    fn collect_piece(&self, _doc: &Document, _region: Range<usize>, _base: usize) -> Option<TreeInput> {
        None
    }

    /// Compares the contributions of every file of the run, in file order;
    /// `texts` has each file's text, to be asked for sparingly: it may be read
    /// again from disk.
    fn check_tree(&self, _inputs: Vec<(FileId, TreeInput)>, _texts: &dyn Texts) -> Vec<(FileId, Reported)> {
        Vec::new()
    }
}

pub use crate::texts::Texts;

/// One file's contribution to a tree-wide rule; only that rule reads it.
pub type TreeInput = Box<dyn std::any::Any + Send>;

/// A finding as a rule reports it, before the engine stamps id and severity.
pub struct Reported {
    pub finding: Finding,
    /// Report one severity level below the rule's.
    pub demote: bool,
}

impl From<Finding> for Reported {
    fn from(finding: Finding) -> Reported {
        Reported { finding, demote: false }
    }
}

/// A rule together with its typed options.
pub trait ConfigurableRule: Rule + Sized + 'static {
    const ID: &'static str;
    type Options: DeserializeOwned + Serialize + Default;
    fn new(options: Self::Options) -> Result<Self, OptionError>;
}

/// A bad option value; `key` names it so the config error can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub key: Option<String>,
    pub message: String,
}

impl OptionError {
    pub fn new(key: &str, message: impl Into<String>) -> OptionError {
        OptionError { key: Some(key.to_string()), message: message.into() }
    }
}

pub struct RuleSpec {
    pub id: &'static str,
    pub build: fn(&toml::Table) -> Result<Box<dyn Rule>, OptionError>,
    pub default_options: fn() -> toml::Table,
}

impl RuleSpec {
    pub const fn of<R: ConfigurableRule>() -> RuleSpec {
        RuleSpec { id: R::ID, build: build::<R>, default_options: default_options::<R> }
    }
}

pub static REGISTRY: &[RuleSpec] = &[
    RuleSpec::of::<duplicate_paragraph::DuplicateParagraph>(),
    RuleSpec::of::<repeated_phrase::RepeatedPhrase>(),
    RuleSpec::of::<truncated_sentence::TruncatedSentence>(),
    RuleSpec::of::<orphaned_fragment::OrphanedFragment>(),
    RuleSpec::of::<unused_suppression::UnusedSuppression>(),
];

pub fn spec(id: &str) -> Option<&'static RuleSpec> {
    REGISTRY.iter().find(|s| s.id == id)
}

fn build<R: ConfigurableRule>(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let options = parse_options::<R::Options>(table)?;
    Ok(Box::new(R::new(options)?))
}

fn default_options<R: ConfigurableRule>() -> toml::Table {
    toml::Table::try_from(R::Options::default()).expect("options serialize to a table")
}

/// Deserializes options, blaming the first key that fails on its own so the
/// error can point at that key's line.
fn parse_options<O: DeserializeOwned>(table: &toml::Table) -> Result<O, OptionError> {
    for (key, value) in table {
        let mut single = toml::Table::new();
        single.insert(key.clone(), value.clone());
        if let Err(err) = toml::Value::Table(single).try_into::<O>() {
            return Err(OptionError {
                key: Some(key.clone()),
                message: clean_serde_message(&err.to_string()),
            });
        }
    }
    toml::Value::Table(table.clone())
        .try_into::<O>()
        .map_err(|err| OptionError { key: None, message: clean_serde_message(&err.to_string()) })
}

fn clean_serde_message(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// Runs one rule over a snippet, for the rules' unit tests and the catalogue test.
#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::source::Format;

    pub fn check<R: ConfigurableRule>(src: &str, options: toml::Table) -> Vec<Finding> {
        check_as::<R>(src, Format::Markdown, options)
    }

    pub fn check_as<R: ConfigurableRule>(src: &str, format: Format, options: toml::Table) -> Vec<Finding> {
        let rule = build::<R>(&options).expect("valid options");
        let doc = Document::parse("test", src, 0, format);
        let mut out = Vec::new();
        rule.check(&doc, &mut out);
        out.into_iter().map(|r| r.finding).collect()
    }
}
