//! orphaned-fragment: a prose paragraph that begins mid-sentence, often the
//! stranded tail of a sentence cut elsewhere, which the finding then names.

use super::common::pairing::{fragment_strength, pairing};
use super::common::shape::{StartKind, Strength};
use super::common::text::quote;
use super::{ConfigurableRule, OptionError, Reported, Rule};
use crate::document::Document;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

pub struct OrphanedFragment;

impl ConfigurableRule for OrphanedFragment {
    const ID: &'static str = "orphaned-fragment";
    type Options = Options;

    fn new(_: Options) -> Result<Self, OptionError> {
        Ok(OrphanedFragment)
    }
}

impl Rule for OrphanedFragment {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>) {
        let pairing = pairing(doc);
        for &(i, ref beginning) in pairing.fragments() {
            let pair = pairing.of_fragment(i);
            let Some(strength) = fragment_strength(beginning, pair) else { continue };
            let block = &doc.blocks[i];
            let fragment = beginning.fragment(&block.text);
            let head = &block.text[fragment.clone()];
            let label = match beginning.kind {
                StartKind::Punctuation => format!("starts with “{}”", head.chars().next().unwrap_or(' ')),
                StartKind::Lowercase => {
                    format!("starts with lower-case “{}”", &block.text[beginning.head.clone()])
                }
                StartKind::Stub => format!(
                    "{} is the end of a word, not the start of a sentence",
                    quote(&block.text[beginning.head.clone()], 4)
                ),
                StartKind::Particle => "starts with a particle that never opens a sentence".to_string(),
                // Paired on the shape of its start alone: less sure.
                StartKind::Continuation if pair.is_some_and(|p| p.by_shape) => {
                    "this may continue a sentence cut elsewhere".to_string()
                }
                StartKind::Continuation => "this continues a sentence cut elsewhere".to_string(),
                StartKind::BareCount => format!(
                    "{} has no verb: the object of a cut sentence",
                    quote(&block.text[beginning.head.clone()], 10)
                ),
            };
            let mut finding =
                Finding::new(block.source_span(fragment), "paragraph begins mid-sentence").label(label);
            match pair {
                Some(pair) => {
                    let cut = &doc.blocks[pair.truncated];
                    let last = cut.sentences().last().cloned().unwrap_or(0..cut.text.len());
                    let message = match &pair.joined_word {
                        Some(word) => {
                            format!("it may continue the sentence cut here (the join makes “{word}”)")
                        }
                        None => "it may continue the sentence cut here".to_string(),
                    };
                    finding = finding
                        .related(None, cut.source_span(last), message)
                        .help("move this fragment back to the end of the cut sentence");
                }
                None => finding = finding.help("restore the start of the sentence, or delete the fragment"),
            }
            out.push(Reported { finding, demote: strength == Strength::Weak });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn fragments() {
        let src = "，而且还在增长。\n\nand reduce the cost of every release.\n\n目前，全市已建成联络站。\n\nThe end is near.\n";
        let found = check::<OrphanedFragment>(src, toml::Table::new());
        let spans: Vec<&str> = found.iter().map(|f| &src[f.span.clone()]).collect();
        assert_eq!(spans, ["，而且还在增长。", "and reduce the cost of every release."]);
    }

    #[test]
    fn lowercase_after_code_is_fine() {
        let src = "Run this:\n\n```\nmake\n```\n\nand then check the output of the build.\n";
        assert!(check::<OrphanedFragment>(src, toml::Table::new()).is_empty());
    }
}
