//! duplicate-paragraph: a block that repeats an earlier one.
//!
//! Exact copies are found by hashing each block's normalised text (white space,
//! punctuation and width differences and Latin case removed), so one pass and
//! one hash map do it, whatever the number of copies.

use super::common::text::{for_each_normalized, weighted_length};
use super::{ConfigurableRule, OptionError, Reported, Rule};
use crate::document::{BlockKind, Document};
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use xxhash_rust::xxh3::Xxh3;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Blocks shorter than this (CJK characters count 1, words 2) are not
    /// compared: short headings like "## Example" repeat on purpose.
    pub min_length: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_length: 12 }
    }
}

pub struct DuplicateParagraph {
    options: Options,
}

impl ConfigurableRule for DuplicateParagraph {
    const ID: &'static str = "duplicate-paragraph";
    type Options = Options;

    fn new(options: Options) -> Result<Self, OptionError> {
        if options.min_length == 0 {
            return Err(OptionError::new("min-length", "must be at least 1"));
        }
        Ok(DuplicateParagraph { options })
    }
}

impl Rule for DuplicateParagraph {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>) {
        // hash -> (first block, copies so far)
        let mut seen: HashMap<u128, (usize, usize)> = HashMap::new();
        let mut copies: Vec<(usize, usize, u128)> = Vec::new();
        for (i, block) in doc.blocks.iter().enumerate() {
            if block.kind == BlockKind::TableCell || weighted_length(&block.text) < self.options.min_length {
                continue;
            }
            let hash = normalized_hash(&block.text);
            match seen.get_mut(&hash) {
                Some((first, count)) => {
                    *count += 1;
                    copies.push((i, *first, hash));
                }
                None => {
                    seen.insert(hash, (i, 1));
                }
            }
        }
        for (i, first, hash) in copies {
            let total = seen[&hash].1;
            let block = &doc.blocks[i];
            let original = &doc.blocks[first];
            let what = if matches!(block.kind, BlockKind::Heading(_)) { "heading" } else { "paragraph" };
            let mut finding =
                Finding::new(block.span(), format!("duplicate {what}: exact copy of an earlier one"))
                    .label("this repeats an earlier block")
                    .related(None, original.span(), "first occurrence here")
                    .help("delete this copy, or rewrite it if both places need the text");
            if total > 2 {
                finding = finding.note(format!("this file holds {total} copies of this {what}"));
            }
            out.push(finding.into());
        }
    }
}

/// Hash of the text with everything that does not change its meaning removed:
/// white space, punctuation and symbols, full-/half-width differences, case.
pub fn normalized_hash(text: &str) -> u128 {
    let mut hasher = Xxh3::new();
    let mut buf = [0u8; 4];
    for_each_normalized(text, |c| hasher.update(c.encode_utf8(&mut buf).as_bytes()));
    hasher.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn exact_copy_after_normalisation() {
        let src = "吉林市政协召开全体会议，研究部署全年工作。\n\n其他内容也在这里出现了一次。\n\n吉林市政协召开全体会议, 研究部署全年工作\n";
        let found = check::<DuplicateParagraph>(src, toml::Table::new());
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].span.clone()], "吉林市政协召开全体会议, 研究部署全年工作");
        assert_eq!(&src[found[0].related[0].span.clone()], "吉林市政协召开全体会议，研究部署全年工作。");
    }

    #[test]
    fn short_headings_repeat_on_purpose() {
        let src = "## Example\n\nFirst usage of the thing.\n\n## Example\n\nSecond usage, different.\n";
        assert!(check::<DuplicateParagraph>(src, toml::Table::new()).is_empty());
    }

    #[test]
    fn counts_copies() {
        let para = "The committee approved the annual budget after a long debate.";
        let src = format!("{para}\n\n{para}\n\n{para}\n");
        let found = check::<DuplicateParagraph>(&src, toml::Table::new());
        assert_eq!(found.len(), 2);
        assert!(found[0].notes[0].contains("3 copies"));
    }

    #[test]
    fn width_and_case_fold() {
        assert_eq!(normalized_hash("ＡＢＣ１２３　Test!"), normalized_hash("abc123 test"));
    }
}
