//! Pairs each sentence cut at the end of one paragraph with the fragment that
//! begins another, so an editor can rejoin them. No peer tool does this.
//!
//! Evidence, strongest first: the cut end and the fragment's head make a
//! dictionary word across the join (必读书|目 → 书目), or a hyphenated or
//! lower-case English continuation; weaker, a fragment of a shape that needs a
//! head (a one-character stub, a bare count) close after a cut paragraph.

use super::shape::{
    Beginning, CJK_SINGLE_OPENERS, CJK_WEAK_OPENERS, Ending, EndingGates, StartKind, Strength, TailShape,
    fragment_start, tail_shape, unclosed_opener, unfinished_ending, unopened_closer,
};
use super::text::{first_chars, last_chars};
use crate::document::script::{Script, closer_of, is_cjk, script};
use crate::document::{BlockKind, Document, lexicon};

/// Weak evidence only pairs blocks this close, cut end first.
const NEAR_BLOCKS: usize = 8;
/// A word across the join that the head does not complete on its own terms
/// (系|统管理员: the head reads "统/管理员") pairs only this close after the
/// cut, where a column break strands a tail.
const TAIL_BLOCKS: usize = 2;
/// No pair is looked for further apart than this.
const SEARCH_BLOCKS: usize = 64;
/// The score of evidence that is only shape and nearness.
const SHAPE_ONLY: u8 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub truncated: usize,
    pub fragment: usize,
    /// The word the join makes, when there is one.
    pub joined_word: Option<String>,
    /// Paired on the shape of the fragment's start alone (a Chinese tail with
    /// no word across the join): right about 19 times in 20 on the quality
    /// benchmark, so its finding is reported one level lower.
    pub by_shape: bool,
}

/// A document's fragments and their pairs with cut sentences: read by both
/// truncated-sentence and orphaned-fragment, made once per document.
pub struct Pairing {
    edges: std::sync::Arc<Edges>,
    /// Sorted by fragment.
    pairs: Vec<Pair>,
    /// Indices into `pairs`, sorted by truncated block.
    by_cut: Vec<usize>,
}

impl Pairing {
    /// Every block that begins mid-sentence, in order.
    pub fn fragments(&self) -> &[(usize, Beginning)] {
        &self.edges.starts
    }

    /// The pair a fragment block is in.
    pub fn of_fragment(&self, block: usize) -> Option<&Pair> {
        self.pairs.binary_search_by_key(&block, |p| p.fragment).ok().map(|k| &self.pairs[k])
    }

    /// The pair a truncated block is in.
    pub fn of_cut(&self, block: usize) -> Option<&Pair> {
        let k = self.by_cut.binary_search_by_key(&block, |&k| self.pairs[k].truncated).ok()?;
        Some(&self.pairs[self.by_cut[k]])
    }
}

/// The document's pairing, made on first use. Made on one thread: the
/// document's lock is held while it is made, and a thread that waits for
/// parallel work takes on other pending work meanwhile, which may be the other
/// rule asking for this pairing (a deadlock).
pub fn pairing(doc: &Document) -> std::sync::Arc<Pairing> {
    // Asked before the pairing's own lock is taken: the lock is not reentrant.
    let edges = edges(doc);
    doc.shared.get_or_make(|| {
        let pairs = pairs(doc, &edges.starts, &edges.cuts);
        let mut by_cut: Vec<usize> = (0..pairs.len()).collect();
        by_cut.sort_by_key(|&k| pairs[k].truncated);
        Pairing { edges: edges.clone(), pairs, by_cut }
    })
}

/// Every block that stops mid-sentence by the default gates, with how (the
/// pairing's cut ends, and truncated-sentence's findings unless its gates
/// are set otherwise), and every block that begins mid-sentence, in order.
/// Found once for both rules, in one pass over the blocks that asks for
/// each block's text a few blocks ahead: on a file bigger than the cache,
/// two passes (the ends, then the starts) each waited for memory at every
/// block.
pub struct Edges {
    pub cuts: Vec<(usize, Ending)>,
    pub starts: Vec<(usize, Beginning)>,
}

/// How many blocks ahead of the one read the pass over all blocks asks for
/// a block's text: far enough for memory to answer meanwhile.
const PREFETCH_AHEAD: usize = 4;

/// The document's [`Edges`], found on first use (on one thread, as the
/// pairing is).
pub fn edges(doc: &Document) -> std::sync::Arc<Edges> {
    doc.shared.get_or_make(|| {
        let (mut cuts, mut starts) = (Vec::new(), Vec::new());
        for (i, block) in doc.blocks.iter().enumerate() {
            if let Some(ahead) = doc.blocks.get(i + PREFETCH_AHEAD) {
                ahead.prefetch();
            }
            if let Some(b) = fragment_start(doc, i) {
                starts.push((i, b));
            }
            if let Some(e) = unfinished_ending(block, EndingGates::default()) {
                cuts.push((i, e));
            }
        }
        Edges { cuts, starts }
    })
}

/// Pairs of (truncated block, fragment block), each block in at most one
/// pair, sorted by fragment.
fn pairs(doc: &Document, fragments: &[(usize, Beginning)], cuts: &[(usize, Ending)]) -> Vec<Pair> {
    if fragments.is_empty() {
        return Vec::new();
    }
    let cut: Vec<usize> = cuts.iter().map(|&(i, _)| i).collect();
    if cut.is_empty() {
        return Vec::new();
    }
    let tails = Tails::of(doc, fragments, &cut);
    // The mark each cut leaves open, found once: a cut is weighed against
    // every fragment near it.
    let open_marks: Vec<Option<char>> = cut
        .iter()
        .map(|&t| unclosed_opener(last_chars(doc.blocks[t].text.trim_end(), JOIN_WINDOW)))
        .collect();
    let mut scored = Vec::new();
    for (f, beginning) in fragments {
        // Only cut paragraphs within a window around the fragment: pairing
        // stays linear in the document, however many candidates it holds.
        let lo = cut.partition_point(|&t| t + SEARCH_BLOCKS < *f);
        let hi = cut.partition_point(|&t| t <= f + SEARCH_BLOCKS);
        for (&t, &open) in cut[lo..hi].iter().zip(&open_marks[lo..hi]) {
            if t == *f {
                continue;
            }
            let closed_here =
                open.is_some_and(|o| t.abs_diff(*f) <= NEAR_BLOCKS && closes(o, &doc.blocks[*f].text));
            let (score, word) = if closed_here { (3, None) } else { evidence(doc, t, *f, beginning, &tails) };
            if score > 0 {
                let by_shape = score == SHAPE_ONLY && beginning.kind == StartKind::Continuation;
                scored.push((score, t.abs_diff(*f), t, *f, word, by_shape));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_t = rustc_hash::FxHashSet::default();
    let mut used_f = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    for (_, _, t, f, word, by_shape) in scored {
        if used_t.contains(&t) || used_f.contains(&f) {
            continue;
        }
        used_t.insert(t);
        used_f.insert(f);
        out.push(Pair { truncated: t, fragment: f, joined_word: word, by_shape });
    }
    out.sort_by_key(|p| p.fragment);
    out
}

/// 0: no evidence; 1: shape and nearness; 3: a word across the join.
fn evidence(
    doc: &Document,
    t: usize,
    f: usize,
    beginning: &Beginning,
    tails: &Tails,
) -> (u8, Option<String>) {
    // The texts are read only where a shape asks for them: most fragments
    // are weighed against cuts too far off for their shape, and on a file
    // bigger than the cache each text read waits for memory (on one 100 MB
    // file, 3.7% of the run was in this pairing, and 42% of that on reading
    // fragments' first characters).
    let end_text = || doc.blocks[t].text.trim_end();
    let start_text = &doc.blocks[f].text;
    let near = t < f && f - t <= NEAR_BLOCKS;
    match beginning.kind {
        StartKind::Stub | StartKind::BareCount | StartKind::Particle => {
            let end_text = end_text();
            let head = &start_text[beginning.head.clone()];
            let join = cjk_join(end_text, head);
            let proven = |j: &Join| beginning.strength != Strength::NeedsPair || j.completes_a_word();
            if let Some(join) = join.filter(proven) {
                return (3, Some(join.word));
            }
            // A multi-character stub that makes no word with the cut end is
            // as likely an ordinary opening ("请注意，") as a fragment.
            let unproven_stub =
                beginning.kind == StartKind::Stub && beginning.strength == Strength::NeedsPair;
            (u8::from(near && !unproven_stub), None)
        }
        StartKind::Lowercase => {
            let end_text = end_text();
            if end_text.ends_with('-') {
                return (3, None);
            }
            (latin_continuation(end_text, &start_text[beginning.fragment(start_text)], t, f), None)
        }
        StartKind::Punctuation => (u8::from(near), None),
        StartKind::Continuation => {
            // Chinese continuations pair within NEAR_BLOCKS, English ones
            // ([`latin_continuation`]) after the cut and as near: asked
            // before the fragment's text tells which it is.
            if t.abs_diff(f) > NEAR_BLOCKS {
                return (0, None);
            }
            let end_text = end_text();
            if is_cjk(start_text.chars().next().unwrap_or(' ')) {
                let head = &start_text[beginning.head.clone()];
                let tail_place = t < f && f - t <= TAIL_BLOCKS;
                match cjk_join(end_text, head) {
                    Some(join) if join.completes_a_word() => (3, Some(join.word)),
                    // 系|统管理员, 应用|程序: a long word across the join.
                    Some(join) if tail_place && join.word.chars().count() >= 3 => (2, Some(join.word)),
                    // 重|要的, 使|用了: the head begins with a character standing
                    // alone that seldom opens a paragraph, and the cut end
                    // makes a word of it.
                    Some(join) if tail_place && join.rescues_weak_opener() => (2, Some(join.word)),
                    // 桌面环境。, 和 GNU/Linux 的相似性。: no word across the
                    // join, but a shape that seldom opens a paragraph.
                    _ if tail_place && tails.reads_as_tail(f) => (SHAPE_ONLY, None),
                    _ => (0, None),
                }
            } else {
                (latin_continuation(end_text, &start_text[beginning.fragment(start_text)], t, f), None)
            }
        }
    }
}

/// The Chinese paragraphs one or two blocks after a cut whose start reads as
/// a tail ([`tail_shape`]), found once per document: each is segmented once,
/// however many cuts it is weighed against.
struct Tails(rustc_hash::FxHashSet<usize>);

impl Tails {
    fn of(doc: &Document, fragments: &[(usize, Beginning)], cut: &[usize]) -> Tails {
        let shapes: Vec<(usize, TailShape)> = fragments
            .iter()
            .filter(|(f, b)| {
                // The nearest cut before the paragraph, if one or two blocks before.
                let before = cut.partition_point(|&t| t < *f);
                let Some(&t) = before.checked_sub(1).and_then(|k| cut.get(k)) else { return false };
                let text = &doc.blocks[*f].text;
                // A heading between opens another section: a column break
                // strands a tail inside its own. Asked only once the cut is
                // known to be close: the nearest cut may be far back.
                let same_section =
                    || !doc.blocks[t + 1..*f].iter().any(|b| matches!(b.kind, BlockKind::Heading(_)));
                b.kind == StartKind::Continuation
                    && t + TAIL_BLOCKS >= *f
                    && same_section()
                    && text.chars().next().is_some_and(is_cjk)
                    && simplified_chinese(first_chars(text, JOIN_WINDOW))
                    && simplified_chinese(last_chars(&doc.blocks[t].text, JOIN_WINDOW))
            })
            .filter_map(|(f, _)| tail_shape(&doc.blocks[*f].text).map(|shape| (*f, shape)))
            .collect();
        // A lone first character (瘦|客户机, 组|管理) is no evidence of a tail
        // when the text around it opens other clauses the same way: it heads
        // one of the document's terms, which the dictionary does not know.
        // The two characters to count, for the shapes that may head a term.
        let heads: Vec<(usize, Option<(char, char)>)> = shapes
            .into_iter()
            .map(|(f, shape)| {
                (f, shape.may_head_a_term().then(|| opening_pair(&doc.blocks[f].text)).flatten())
            })
            .collect();
        let openings = clause_openings(doc, &heads.iter().filter_map(|&(_, pair)| pair).collect());
        let term = |f: usize, pair: Option<(char, char)>| {
            pair.and_then(|p| openings.get(&p)).is_some_and(|at| {
                // The tail's own opening is one of them.
                let here = doc.blocks[f].span().start;
                let from = at.partition_point(|&o| o + TERM_WINDOW < here);
                let to = at.partition_point(|&o| o <= here + TERM_WINDOW);
                to - from >= 2
            })
        };
        Tails(heads.into_iter().filter(|&(f, pair)| !term(f, pair)).map(|(f, _)| f).collect())
    }

    fn reads_as_tail(&self, f: usize) -> bool {
        self.0.contains(&f)
    }
}

/// Whether `text` reads as Simplified Chinese, the language of the shapes'
/// grammar and of jieba's dictionary. Japanese has kana ("日々の作業" is no
/// tail for a lone 日); Traditional Chinese, characters that Simplified writes
/// otherwise, and the dictionary cuts it into single characters (圖/書/館).
/// `text` is a window of a paragraph: a cut paragraph may be megabytes long.
fn simplified_chinese(text: &str) -> bool {
    !text.chars().any(|c| {
        matches!(script(c), Script::Hiragana | Script::Katakana) || TRADITIONAL.binary_search(&c).is_ok()
    })
}

/// The characters read where a tail meets its cut, at either side.
const JOIN_WINDOW: usize = 64;

/// Common characters of Traditional Chinese that Simplified Chinese writes
/// otherwise (這 这, 們 们, 國 国 …), sorted: any paragraph of some length has
/// one.
const TRADITIONAL: &[char] = &[
    '並', '來', '個', '們', '備', '傳', '僅', '價', '億', '優', '內', '兩', '動', '務', '區', '參', '員',
    '問', '單', '嗎', '國', '園', '圖', '報', '場', '學', '實', '寫', '將', '專', '對', '導', '張', '強',
    '後', '從', '態', '應', '換', '據', '時', '書', '會', '東', '樂', '標', '樣', '機', '歡', '歲', '歷',
    '氣', '準', '為', '無', '現', '產', '當', '發', '種', '級', '絡', '統', '經', '維', '網', '練', '縣',
    '總', '義', '習', '聽', '與', '舉', '萬', '藥', '處', '裡', '製', '見', '觀', '計', '記', '設', '話',
    '該', '認', '語', '說', '請', '證', '識', '議', '護', '讀', '變', '讓', '買', '賣', '車', '轉', '這',
    '連', '進', '運', '過', '達', '遠', '適', '選', '還', '邊', '鄉', '醫', '錢', '錯', '長', '門', '開',
    '間', '關', '陰', '陽', '際', '雖', '雜', '難', '電', '響', '頭', '題', '類', '顯', '風', '飛', '館',
    '馬', '體', '魚', '麼', '點', '龍',
];

/// The first two characters of `text`, a CJK one first.
fn opening_pair(text: &str) -> Option<(char, char)> {
    let mut chars = text.chars();
    let (a, b) = (chars.next()?, chars.next()?);
    (is_cjk(a) && !b.is_whitespace()).then_some((a, b))
}

/// How far on either side of a tail, in bytes, the clauses that open the
/// same way are counted: about a chapter. A term recurs within its chapter;
/// counted over a whole file, a file of many documents (or of a gigabyte)
/// would make nearly every opening a term. It is also why a file checked in
/// pieces gives the findings of the whole: the window fits in a piece's
/// context ([`crate::pieces::Sizes`]).
pub const TERM_WINDOW: usize = 64 << 10;

/// Where each of `pairs` opens a block, or a clause after Chinese
/// punctuation, in `doc`: the start of each such block, once per opening,
/// in order. A byte search finds the punctuation without decoding the text
/// between, and only the pairs asked about are kept: the pass costs little
/// beside the rules.
fn clause_openings(
    doc: &Document,
    pairs: &rustc_hash::FxHashSet<(char, char)>,
) -> rustc_hash::FxHashMap<(char, char), Vec<usize>> {
    let mut openings: rustc_hash::FxHashMap<(char, char), Vec<usize>> = rustc_hash::FxHashMap::default();
    if pairs.is_empty() {
        return openings;
    }
    // The pairs asked about, a bit each in a filter of 64K bits keyed by a
    // hash of their two characters: a clause that opens like no tail is
    // turned away with no pair looked up (the count's 45M instructions on
    // 10 MB of the mixed corpus went to 40M; the byte search for the marks
    // is most of what is left).
    let bit = |a: char, b: char| {
        (u64::from(a).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(b).wrapping_mul(0xD6E8_FEB8_6659_FD93))
            >> 48
    };
    let mut filter = vec![0u64; (1 << 16) / 64];
    for &(a, b) in pairs {
        let k = bit(a, b);
        filter[(k / 64) as usize] |= 1 << (k % 64);
    }
    // The pair `rest` opens with, if it is one asked about. The pairs were
    // made by `opening_pair`, so one found among them passes its tests.
    let asked = |rest: &str| {
        let mut chars = rest.chars();
        let (a, b) = (chars.next()?, chars.next()?);
        let k = bit(a, b);
        (filter[(k / 64) as usize] >> (k % 64) & 1 != 0 && pairs.contains(&(a, b))).then_some((a, b))
    };
    for block in &doc.blocks {
        let text: &str = &block.text;
        // The block's start, found only for a block that has an opening.
        let mut start = None;
        let mut count = |rest: &str| {
            if let Some(pair) = asked(rest) {
                let at = *start.get_or_insert_with(|| block.span().start);
                openings.entry(pair).or_default().push(at);
            }
        };
        count(text);
        // ，；：、 and 。 begin with one of these two bytes, which are never
        // inside another character's encoding, and are told by their bytes:
        // ，；： are EF BC 8C, 9B, 9A; 、。 E3 80 81, 82. Starts after a space
        // would catch a few more terms, for 3% more instructions in all.
        let bytes = text.as_bytes();
        for at in memchr::memchr2_iter(0xEF, 0xE3, bytes) {
            let mark = matches!(
                bytes.get(at..at + 3),
                Some([0xEF, 0xBC, 0x8C | 0x9B | 0x9A] | [0xE3, 0x80, 0x81 | 0x82])
            );
            if mark {
                count(&text[at + 3..]);
            }
        }
    }
    openings
}

/// Whether the first sentence of `start` closes the quote or bracket `open`
/// that a cut left open (…或更新 + 版本”的许可下发行。): the two halves of one
/// aside or title, whatever words meet at the join.
fn closes(open: char, start: &str) -> bool {
    let head = first_chars(start, JOIN_WINDOW);
    let first_sentence = &head[..head.find(['。', '！', '？', '.', '!', '?']).unwrap_or(head.len())];
    unopened_closer(first_sentence).is_some_and(|c| closer_of(open) == Some(c))
}

/// 2 when a lower-case English start (`fragment`, its first clause) can carry
/// on the sentence cut at `end`, else 0: the cut ends in a lower-case word
/// close before it ("…referred as" + "wildcards), …"), or in any word right
/// before it, one or two blocks up ("…another crucial Unix" + "innovation.").
/// A lower-case start in a Chinese paragraph is a name ("init 程序…"), not a
/// tail.
fn latin_continuation(end: &str, fragment: &str, t: usize, f: usize) -> u8 {
    if f <= t || fragment.chars().any(is_cjk) {
        return 0;
    }
    let lower_end = end.split_whitespace().last().is_some_and(|w| w.chars().all(char::is_lowercase));
    let open_end = end.chars().next_back().is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    let fits = (lower_end && f - t <= NEAR_BLOCKS) || (open_end && f - t <= TAIL_BLOCKS);
    u8::from(fits) * 2
}

/// A word made across the join of a cut end and a paragraph's head.
struct Join {
    word: String,
    /// The part of the word that the paragraph's head supplies.
    head_part: String,
    /// Whether the head's own segmentation begins with exactly that part:
    /// the head then reads as the rest of the word, not as words of its own.
    part_is_heads_first_word: bool,
}

impl Join {
    /// The missing part, when it is one character.
    fn lone_char(&self) -> Option<char> {
        let mut chars = self.head_part.chars();
        chars.next().filter(|_| chars.next().is_none())
    }

    /// Whether the head reads as the rest of this word, not as an opening: the
    /// head's own first word is exactly the missing part, and that part is a
    /// lone character that does not open sentences (书|目) or a piece the
    /// dictionary does not know (服|务器). A paragraph that merely happens to
    /// make a word with some cut end ("申" + "请注意", "全" + "县环境") is common.
    fn completes_a_word(&self) -> bool {
        self.part_is_heads_first_word
            && match self.lone_char() {
                Some(c) => !CJK_SINGLE_OPENERS.contains(&c),
                None => !lexicon::is_word(&self.head_part),
            }
    }

    /// Whether the missing part is one character of [`CJK_WEAK_OPENERS`] that
    /// the head's own segmentation leaves as a word by itself (要的…: 要/的).
    fn rescues_weak_opener(&self) -> bool {
        self.part_is_heads_first_word && self.lone_char().is_some_and(|c| CJK_WEAK_OPENERS.contains(&c))
    }
}

/// A dictionary word of two or more characters that spans the join of the
/// last characters of `end` and the first of `head`.
fn cjk_join(end: &str, head: &str) -> Option<Join> {
    let tail: String = {
        let chars: Vec<char> = end.chars().rev().take_while(|&c| is_cjk(c)).take(4).collect();
        chars.into_iter().rev().collect()
    };
    let start: String = head.chars().take_while(|&c| is_cjk(c)).take(4).collect();
    if tail.is_empty() || start.is_empty() {
        return None;
    }
    let window = format!("{tail}{start}");
    let join = tail.len();
    if !lexicon::word_across(&window, join) {
        return None;
    }
    let word = lexicon::words(&window)
        .into_iter()
        .find(|w| w.start < join && join < w.end && lexicon::is_word(w.text))?;
    let head_part = &window[join..word.end];
    // Segmented once here: every test of the join asks it.
    let part_is_heads_first_word = lexicon::words(head).first().is_some_and(|w| w.text == head_part);
    Some(Join { word: word.text.to_string(), head_part: head_part.to_string(), part_is_heads_first_word })
}

/// The strength a fragment is reported with once pairing is known.
/// A pair made on the shape of the fragment's start alone is less sure than
/// the rest: its fragment is reported one level lower.
pub fn fragment_strength(beginning: &Beginning, pair: Option<&Pair>) -> Option<Strength> {
    match (beginning.strength, pair) {
        (_, Some(p)) if p.by_shape => Some(Strength::Weak),
        (Strength::NeedsPair, None) => None,
        (Strength::NeedsPair, Some(_)) => Some(Strength::Strong),
        (s, _) => Some(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Format;

    fn pairs_of(src: &str) -> Vec<Pair> {
        pairing(&Document::parse("t", src, 0, Format::Markdown)).pairs.clone()
    }

    #[test]
    fn joins_across_paragraphs() {
        let src = "县图书馆开展读书月活动，组建读书小组，每周推荐必读书\n\n## 标题\n\n县政协今年围绕民生议题，共收到并审查立案\n\n目，组织心得交流，促进共同提高。\n\n建议85条，比去年增加一成。\n";
        let p = pairs_of(src);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!((p[0].truncated, p[0].fragment), (0, 3));
        assert_eq!(p[0].joined_word.as_deref(), Some("书目"));
        assert_eq!((p[1].truncated, p[1].fragment), (2, 4));
    }

    #[test]
    fn weak_opener_completed_by_the_cut_pairs_a_tail_close_by() {
        let src = "系统启动时会读取配置文件，这一步对所有服务都很重\n\n本节其余部分介绍日志。\n\n要的一点是先备份。\n";
        let p = pairs_of(src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].truncated, p[0].fragment), (0, 2));
        assert_eq!(p[0].joined_word.as_deref(), Some("重要"));
        // A strong opener stays an opening: 在 is not completed by 存|在.
        let strong = "系统启动时会读取配置文件，这一步对所有服务都必须存\n\n在启动之后才可以修改。\n";
        assert!(pairs_of(strong).is_empty());
    }

    #[test]
    fn long_word_across_the_join_pairs_a_tail_close_by() {
        let src = "监控程序每五分钟记录一次负载，出现异常时会提醒当班的系\n\n这一节介绍日志的位置。\n\n统管理员及时处理。\n";
        let p = pairs_of(src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].truncated, p[0].fragment), (0, 2));
        assert_eq!(p[0].joined_word.as_deref(), Some("系统管理员"));
        // Further away, the same join is as likely a coincidence.
        let far = src.replace("这一节介绍日志的位置。\n\n", "这是一段。\n\n这是二段。\n\n这是三段。\n\n");
        assert!(pairs_of(&far).is_empty());
    }

    #[test]
    fn english_tails_pair_after_a_cut_word() {
        let src = "Pipes, which connect the output of one command to the input of the next, were another crucial Unix\n\nThis section covers the rest.\n\ninnovation, and they remain central today.\n";
        let p = pairs_of(src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].truncated, p[0].fragment), (0, 2));
        // A Chinese paragraph opening with a lower-case name is no tail.
        let zh = "系统启动之后，内核会把控制权交给用户空间的第一个进程Linux\n\ninit 程序是系统执行的第一个程序，它的进程号是 1。\n";
        assert!(pairs_of(zh).is_empty());
    }

    #[test]
    fn tails_that_open_no_sentence_pair_close_after_a_cut() {
        let cut = "系统装好之后会自带一个桌面，如果机器的内存很小，可以改装一个轻量级的";
        for tail in [
            "桌面环境。",
            "和图形界面的相似性。",
            "也保存在服务器上。",
            "中的任何一台机器。",
            "套件，每两个月更新一次。",
            "已经停止维护。",
            "而不必重新安装整个系统。",
        ] {
            let src = format!("{cut}\n\n下面介绍如何切换。\n\n{tail}\n");
            let p = pairs_of(&src);
            assert_eq!(p.len(), 1, "{tail}: {p:?}");
            assert_eq!((p[0].truncated, p[0].fragment), (0, 2), "{tail}");
            assert_eq!(p[0].joined_word, None);
            // Three blocks on, a tail of no telling word is no longer paired.
            let far = format!("{cut}\n\n这是一段。\n\n这是二段。\n\n{tail}\n");
            assert!(pairs_of(&far).is_empty(), "{tail}");
        }
    }

    #[test]
    fn a_closing_mark_pairs_with_the_cut_that_opened_it() {
        let cut = "本站的文字和图片都可以自由转载，转载时请依照“知识共享署名";
        let tail = "相同方式共享”协议注明出处。";
        let between = "这是一段。\n\n这是二段。\n\n这是三段。\n\n";
        // Blocks apart, in either order: the marks tell, not the nearness.
        for src in [format!("{cut}\n\n{between}{tail}\n"), format!("{tail}\n\n{between}{cut}\n")] {
            let p = pairs_of(&src);
            assert_eq!(p.len(), 1, "{src}: {p:?}");
            assert!(!p[0].by_shape);
        }
        // A closing mark of another kind closes nothing the cut opened.
        let other = format!("{cut}\n\n{between}相同方式共享）协议注明出处。\n");
        assert!(pairs_of(&other).is_empty());
    }

    #[test]
    fn a_short_sentence_right_after_a_cut_may_be_its_rest() {
        let cut = "证书过期以后，浏览器在每次连接时都会弹出警告，这时如果坚持";
        let tail = "访问该网站存在风险。";
        let src = format!("{cut}\n\n下面介绍如何更新证书。\n\n{tail}\n");
        let p = pairs_of(&src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].truncated, p[0].fragment), (0, 2));
        assert!(p[0].by_shape, "reported one level lower");
        // Not three blocks on, nor across a heading: a stranded tail stays in
        // its section.
        let far = format!("{cut}\n\n这是一段。\n\n这是二段。\n\n{tail}\n");
        assert!(pairs_of(&far).is_empty());
        let heading = format!("{cut}\n\n## 更新证书\n\n{tail}\n");
        assert!(pairs_of(&heading).is_empty());
        // Sentences that open on their own: a pronoun, a time, a conjunction,
        // a pointer to what follows, a speaker and a verb of saying; and long
        // ones.
        for start in [
            "这一步可以跳过。",
            "现在证书已经更新。",
            "但是警告仍会出现。",
            "运行下面的命令。",
            "会议强调，要抓好落实。",
            "访问该网站的用户会在浏览器的地址栏里看到一把打开的锁和一行红色的警告文字。",
        ] {
            let src = format!("{cut}\n\n{start}\n");
            assert!(pairs_of(&src).is_empty(), "{start}");
        }
    }

    #[test]
    fn sentences_and_the_documents_terms_are_no_tails() {
        let cut = "系统装好之后会自带一个桌面，如果机器的内存很小，可以改装一个轻量级的";
        // Whole sentences, and openers before a comma.
        for start in
            ["这一节介绍如何切换桌面。", "此外，还可以换一个主题。", "尝试下列例子。", "参见 `xfce4`(1)。"]
        {
            let src = format!("{cut}\n\n{start}\n");
            assert!(pairs_of(&src).is_empty(), "{start}");
        }
        // 瘦 stands alone to the segmenter, but the document opens with
        // 瘦客户机 elsewhere: a term of its own, not the end of a word.
        let term = format!("## 瘦客户机\n\n{cut}\n\n瘦客户机把程序放在服务器上运行。\n");
        assert!(pairs_of(&term).is_empty());
        let unknown = format!("{cut}\n\n瘦客户机把程序放在服务器上运行。\n");
        assert_eq!(pairs_of(&unknown).len(), 1);
        // Clauses open after Chinese punctuation too.
        for mark in ['，', '。', '；', '：', '、'] {
            let after =
                format!("{cut}\n\n瘦客户机把程序放在服务器上运行。\n\n另外{mark}瘦客户机也很便宜。\n");
            assert!(pairs_of(&after).is_empty(), "after {mark}");
        }
        // The term is counted around the tail, not across the whole file: a
        // file of many documents would make every opening a term, and a file
        // checked in pieces would not see the whole.
        let filler = "这一段只是填充的文字。\n\n".repeat(TERM_WINDOW / 30 + 1);
        let far = format!("## 瘦客户机\n\n{filler}{cut}\n\n瘦客户机把程序放在服务器上运行。\n");
        assert_eq!(pairs_of(&far).len(), 1);
        let near = format!("{filler}## 瘦客户机\n\n{cut}\n\n瘦客户机把程序放在服务器上运行。\n");
        assert!(pairs_of(&near).is_empty());
        assert!(TRADITIONAL.windows(2).all(|w| w[0] < w[1]), "sorted for binary search");
        // Traditional Chinese is left alone: the dictionary cuts it into
        // single characters.
        let traditional = "四月二十三日，縣圖書館舉辦讀書月啟動儀式，各鄉鎮文化站負責人共一百餘人參加，活動內容包括名家講座與\n\n圖書館還將延長開放時間，方便上班族借閱。\n";
        assert!(pairs_of(traditional).is_empty());
        // Japanese is not read with Chinese grammar: 日々 is a word.
        let japanese = "設定ファイルの読み込みが終わると、ツールは各ファイルの段落を比較して、重複した段落の\n\n日々の作業では、まだまだ改善の余地があります。\n";
        assert!(pairs_of(japanese).is_empty());
    }

    #[test]
    fn nothing_to_pair_in_clean_text() {
        let src = "目前，全县已建成图书分馆18个。\n\n建议85条，比去年增加一成。\n";
        assert!(pairs_of(src).is_empty());
    }
}
