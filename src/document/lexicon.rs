//! Chinese word knowledge: jieba's dictionary with part-of-speech tags, less
//! its rarest words (151k of 349k entries, `lexicon/README.md`), indexed when
//! copydesk is compiled (`table.rs`), and jieba's dictionary segmentation
//! over it (`segment.rs`). Nothing is loaded at run time: the first Chinese
//! candidate of a run costs what the others do.

#[cfg(test)]
mod builder;
mod key;
mod segment;
mod table;

/// The rare words left out of jieba's dictionary change no measured result
/// (`lexicon/README.md`).
pub(crate) const DICTIONARY: &str = include_str!("lexicon/dict.txt");

/// A word of a segmented window, with its byte range in the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub tag: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Segments and tags a short window of text.
pub fn words(window: &str) -> Vec<Word<'_>> {
    // Dictionary segmentation without jieba's HMM: the questions asked here
    // are about dictionary words, and the HMM would triple the cost.
    let mut out = Vec::new();
    segment::tag(window, &mut out);
    out
}

/// Whether `word` is in the dictionary.
pub fn is_word(word: &str) -> bool {
    table::word(word).is_some()
}

/// Whether some dictionary word of `window` starts before byte `at` (a
/// character boundary) and ends after it. A segmentation can join across
/// `at` only with such a word, and most windows asked about have none: this
/// walk along the dictionary's prefixes costs a fraction of a segmentation,
/// which weighs every word it finds by a logarithm.
pub fn word_across(window: &str, at: usize) -> bool {
    let bytes = window.as_bytes();
    window[..at].char_indices().any(|(start, _)| {
        let mut key = key::Key::EMPTY;
        for (offset, c) in window[start..].char_indices() {
            let (from, to) = (start + offset, start + offset + c.len_utf8());
            key = key.push(&bytes[from..to]);
            match table::find(key, &bytes[start..to]) {
                None => return false,
                Some(table::Found::Word(_)) if to > at => return true,
                Some(_) => {}
            }
        }
        false
    })
}

/// Whether a word boundary falls at byte `at` of `window` in its segmentation.
pub fn is_boundary(window: &str, at: usize) -> bool {
    words(window).iter().all(|w| !(w.start < at && at < w.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::common::text::first_chars;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn jieba() -> &'static jieba_rs::Jieba {
        static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
        JIEBA.get_or_init(|| jieba_rs::Jieba::with_dict(&mut DICTIONARY.as_bytes()).unwrap())
    }

    /// A cut as (word, tag, start, end).
    type Cut<'a> = Vec<(&'a str, &'a str, usize, usize)>;

    /// Our cut next to jieba-rs's.
    fn both(text: &str) -> (Cut<'_>, Cut<'_>) {
        let ours = words(text).into_iter().map(|w| (w.text, w.tag, w.start, w.end)).collect();
        let theirs =
            jieba().tag(text, false).into_iter().map(|t| (t.word, t.tag, t.byte_start, t.byte_end)).collect();
        (ours, theirs)
    }

    proptest! {
        /// A word across a point of a window is found by the walk exactly
        /// when the window holds one, whatever the segmentation makes of it.
        #[test]
        fn words_across_a_point_are_found_by_walking(
            picks in proptest::collection::vec(0..JOIN_CHARS.len(), 2..9),
            cut in 1usize..8,
        ) {
            let chars: Vec<char> = picks.iter().map(|&i| JOIN_CHARS[i]).collect();
            let window: String = chars.iter().collect();
            let cut = cut.min(chars.len() - 1);
            let at: usize = chars[..cut].iter().map(|c| c.len_utf8()).sum();
            let by_substrings = window[..at].char_indices().any(|(start, _)| {
                window[at..].char_indices().skip(1).map(|(end, _)| at + end).chain([window.len()])
                    .any(|end| is_word(&window[start..end]))
            });
            prop_assert_eq!(word_across(&window, at), by_substrings);
        }
    }

    /// Characters that make words with each other: 书目, 管理员, 系统, 服务器.
    const JOIN_CHARS: &[char] =
        &['书', '目', '管', '理', '员', '系', '统', '服', '务', '器', '的', '人', 'a', '，'];

    #[test]
    fn cuts_and_tags_as_jieba_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["benches/quality/corpus/zh", "tests/fixtures"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
            }
        }
        let mut windows = 0;
        for text in &texts {
            for line in text.lines() {
                let (ours, theirs) = both(line);
                assert_eq!(ours, theirs, "{line}");
                // The rules cut short windows, which start and end anywhere.
                let starts: Vec<usize> = line.char_indices().map(|(i, _)| i).step_by(3).collect();
                for &start in &starts {
                    let window = first_chars(&line[start..], 12);
                    let (ours, theirs) = both(window);
                    assert_eq!(ours, theirs, "{window}");
                    windows += 1;
                }
            }
        }
        assert!(windows > 1000, "only {windows} windows compared");
    }

    proptest! {
        #[test]
        fn cuts_any_text_as_jieba_does(text in "[的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感a-zA-Z0-9 +#&._%，。、！？：；“”（）\\r\\n\\-]{0,40}") {
            let (ours, theirs) = both(&text);
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn the_dictionary_is_jiebas_less_its_rarest_words() {
        let mut entries = 0;
        for line in DICTIONARY.lines() {
            let fields: Vec<&str> = line.split(' ').collect();
            let [word, freq, tag] = fields[..] else { panic!("not `word freq tag`: {line}") };
            let freq: u64 = freq.parse().unwrap_or_else(|_| panic!("bad frequency: {line}"));
            assert!(freq > 3 || word.chars().count() == 1, "a rare word left in: {line}");
            assert!(!tag.is_empty(), "no tag: {line}");
            entries += 1;
        }
        assert_eq!(entries, 150_607, "lexicon/README.md says how the file is made");
        assert!(is_word("书目") && is_word("系统管理员"));
    }

    #[test]
    fn probe() {
        for s in [
            "南顶子乡村乡村振兴工作",
            "高质量发展发展的建议",
            "回去研究研究。",
            "定期推荐必读书目，组织读书",
            "全年审查立案提案322件，数量创历年新高",
            "理论学习习近平总书记",
            "彼此彼此",
            "讨论讨论",
            "非常非常",
            "一点一点",
            "围绕开发区",
            "与生态",
            "材，收集",
            "目，组织",
        ] {
            let w: Vec<String> = words(s).iter().map(|w| format!("{}/{}", w.text, w.tag)).collect();
            eprintln!("{s} => {}", w.join(" "));
        }
        for w in [
            "彼此彼此",
            "一点一点",
            "研究研究",
            "讨论讨论",
            "乡村乡村",
            "书目",
            "教材",
            "立案",
            "目前",
            "同时",
        ] {
            eprintln!("{w}: {}", is_word(w));
        }
    }
}
