//! truncated-sentence: a prose paragraph whose text stops mid-sentence.
//!
//! The shape test lives in `common::shape` (shared with pairing); this rule
//! adds the message, the pairing with a stranded tail, and the severity.

use super::common::pairing::edges;
use super::common::runs::per_run;
use super::common::shape::{Ending, EndingGates, Strength, unfinished_ending};
use super::{ConfigurableRule, OptionError, Reported, Rule};
use crate::document::Document;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// A mostly-CJK paragraph needs this many CJK characters (and an inner
    /// comma or full stop) to be judged: titles and bylines are shorter.
    pub min_cjk_chars: usize,
    /// A Latin-script paragraph needs this many words to be judged.
    pub min_words: usize,
}

impl Default for Options {
    fn default() -> Self {
        let g = EndingGates::default();
        Options { min_cjk_chars: g.min_cjk_chars, min_words: g.min_words }
    }
}

pub struct TruncatedSentence {
    gates: EndingGates,
}

impl ConfigurableRule for TruncatedSentence {
    const ID: &'static str = "truncated-sentence";
    type Options = Options;

    fn new(o: Options) -> Result<Self, OptionError> {
        if o.min_words == 0 {
            return Err(OptionError::new("min-words", "must be at least 1"));
        }
        Ok(TruncatedSentence {
            gates: EndingGates { min_cjk_chars: o.min_cjk_chars, min_words: o.min_words },
        })
    }
}

impl Rule for TruncatedSentence {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>) {
        // With the default gates, the cuts the pairing reads are these
        // findings: found once for both.
        let shared;
        let own;
        let endings: &[(usize, Ending)] = if self.gates == EndingGates::default() {
            shared = edges(doc);
            &shared.cuts
        } else {
            own = per_run(doc, |blocks| {
                blocks.filter_map(|i| unfinished_ending(&doc.blocks[i], self.gates).map(|e| (i, e))).collect()
            });
            &own
        };
        let mut pairing = None;
        for &(i, ref ending) in endings {
            let block = &doc.blocks[i];
            let pairing = pairing.get_or_insert_with(|| super::common::pairing::pairing(doc));
            let mut finding =
                Finding::new(block.source_span(ending.sentence.clone()), "paragraph stops mid-sentence")
                    .label("this sentence has no ending");
            if let Some(reason) = &ending.reason {
                finding = finding.note(reason.clone());
            }
            match pairing.of_cut(i) {
                Some(pair) => {
                    let tail = &doc.blocks[pair.fragment];
                    let message = match &pair.joined_word {
                        Some(word) => format!("its lost tail may be this fragment: the join makes “{word}”"),
                        None => "its lost tail may be this fragment".to_string(),
                    };
                    finding = finding
                        .related(
                            None,
                            tail.span().start..tail.source_span(0..first_clause(&tail.text)).end,
                            message,
                        )
                        .help("rejoin the sentence with its tail, or finish it");
                }
                None => finding = finding.help("finish the sentence, or restore the text that was cut"),
            }
            out.push(Reported { finding, demote: ending.strength == Strength::Weak });
        }
    }
}

/// End of the first clause of a fragment, for the related span.
fn first_clause(text: &str) -> usize {
    text.find(['，', '。', ',', '.', '；'])
        .map_or(text.len(), |i| i + text[i..].chars().next().map_or(0, char::len_utf8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn cut_chinese_paragraph_pairs_with_its_tail() {
        let src =
            "开展委员读书活动，调整完善读书群，定期推荐必读书\n\n目，组织读书心得交流，实现共融互促。\n";
        let found = check::<TruncatedSentence>(src, toml::Table::new());
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].span.clone()], "开展委员读书活动，调整完善读书群，定期推荐必读书");
        assert_eq!(&src[found[0].related[0].span.clone()], "目，");
    }

    /// Gates other than the defaults are the rule's own: the cuts it shares
    /// with the pairing are found by the defaults.
    #[test]
    fn gates_set_in_options_decide() {
        // 18 characters and an inner comma: cut by the default 15, not by 30.
        let src = "委员们调研了企业，了解生产经营情况和实际\n";
        let gates = |n: i64| toml::Table::from_iter([("min-cjk-chars".to_string(), toml::Value::from(n))]);
        assert_eq!(check::<TruncatedSentence>(src, toml::Table::new()).len(), 1);
        assert_eq!(check::<TruncatedSentence>(src, gates(30)).len(), 0);
        // 11 characters: cut only once the gate is lowered.
        let short = "委员们调研，了解情况和实\n";
        assert_eq!(check::<TruncatedSentence>(short, toml::Table::new()).len(), 0);
        assert_eq!(check::<TruncatedSentence>(short, gates(8)).len(), 1);
    }

    #[test]
    fn headings_lists_captions_bylines_pass() {
        let src = "# 吉林市政协召开全体会议研究部署全年工作\n\n本报记者 李婷 张添奥 周淑宇\n\n- 调研企业，了解生产经营情况，协调解决实际问题\n\n吉林市政协委员调研企业，了解生产经营情况。(资料图片)\n";
        assert!(check::<TruncatedSentence>(src, toml::Table::new()).is_empty());
    }
}
