//! Chinese word knowledge: jieba's dictionary with part-of-speech tags, less
//! its rarest words (151k of 349k entries, `lexicon/README.md`), loaded on
//! first use. Only rules that hold a candidate ask, so an English run never
//! pays the ~0.03 s load; a Chinese run with threads to spare loads it ahead,
//! beside the reading and parsing ([`load_ahead`]).

use jieba_rs::Jieba;
use std::sync::OnceLock;

/// Built from this text rather than jieba's whole embedded dictionary, whose
/// trie took 75–100 ms to build: a run on one short Chinese file spent most
/// of its time there. The rare words left out change no measured result.
const DICTIONARY: &str = include_str!("lexicon/dict.txt");

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        // The text is part of the binary and parsed by every test run.
        Jieba::with_dict(&mut DICTIONARY.as_bytes()).expect("the embedded dictionary is well formed")
    })
}

/// Starts loading the dictionary on a thread of its own when `text` (a file
/// just read) is Chinese and the run has threads to spare: rules ask for it
/// only once they meet a candidate, and then every thread that asks waits for
/// the load, which left one of two cores idle for a tenth of a second.
/// A one-thread run (`-j 1`) loads it on first use, as before.
pub fn load_ahead(text: &str) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    if STARTED.is_completed() || rayon::current_num_threads() < 2 {
        return;
    }
    // The lead bytes of the CJK ideographs (U+4E00 to U+9FFF), in the head
    // of the file: Chinese is seldom only in a long file's tail.
    let head = &text.as_bytes()[..text.len().min(64 << 10)];
    if head.iter().any(|b| (0xE4..=0xE9).contains(b)) {
        STARTED.call_once(|| {
            // If no thread can be made, the first rule to ask loads it.
            let _ = std::thread::Builder::new().name("lexicon".into()).spawn(jieba);
        });
    }
}

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
    jieba()
        // Dictionary segmentation without the HMM: the questions asked here are
        // about dictionary words, and the HMM would triple the cost.
        .tag(window, false)
        .into_iter()
        .map(|t| Word { text: t.word, tag: t.tag, start: t.byte_start, end: t.byte_end })
        .collect()
}

/// Whether `word` is in the dictionary.
pub fn is_word(word: &str) -> bool {
    jieba().has_word(word)
}

/// Whether a word boundary falls at byte `at` of `window` in its segmentation.
pub fn is_boundary(window: &str, at: usize) -> bool {
    words(window).iter().all(|w| !(w.start < at && at < w.end))
}

#[cfg(test)]
mod tests {
    use super::*;

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
