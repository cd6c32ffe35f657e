//! Custom rules: a regular expression from the config (`[[custom-rules]]`) or
//! from a rule pack (`rules/packs/*.toml`, opt-in with `packs = [...]`),
//! matched against prose only (never code, URLs or markup), with spans mapped
//! back to the source.

use crate::document::{BlockKind, Document};
use crate::finding::Finding;
use crate::rules::{Reported, Rule};
use regex::Regex;
use serde::Deserialize;

/// Where a custom rule's pattern is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomScope {
    /// Within each sentence of every block but headings.
    Sentence,
    /// Within each block but headings (the default).
    Paragraph,
    /// Within headings only.
    Heading,
}

pub struct CustomRule {
    pub regex: Regex,
    pub message: String,
    pub replacement: Option<String>,
    pub scope: CustomScope,
}

impl Rule for CustomRule {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>) {
        for block in &doc.blocks {
            let heading = matches!(block.kind, BlockKind::Heading(_));
            if heading != (self.scope == CustomScope::Heading) {
                continue;
            }
            let whole = std::iter::once(0..block.text.len());
            let ranges: Box<dyn Iterator<Item = std::ops::Range<usize>>> = match self.scope {
                CustomScope::Sentence => Box::new(block.sentences().into_iter()),
                _ => Box::new(whole),
            };
            for range in ranges {
                for m in self.regex.find_iter(&block.text[range.clone()]) {
                    if m.as_str().is_empty() {
                        continue;
                    }
                    let span = block.source_span(range.start + m.start()..range.start + m.end());
                    let mut finding = Finding::new(span, self.message.clone()).label("matched here");
                    if let Some(r) = &self.replacement {
                        finding = finding.help(format!("replace with “{r}”"));
                    }
                    out.push(finding.into());
                }
            }
        }
    }
}
