//! The shape of a block's end and start: does a paragraph stop mid-sentence,
//! does one begin mid-sentence? Both `truncated-sentence` and
//! `orphaned-fragment` read these, and so does the pairing of the two.

use super::text::{cjk_count, first_chars, last_chars, weighted_length_up_to};
use crate::document::lexicon;
use crate::document::script::{PLACEHOLDER, Script, closer_of, is_cjk, is_closer, is_opener, script};
use crate::document::{Block, BlockKind, Document, Follower, TokenKind};
use std::ops::Range;

/// Chinese characters that cannot end a sentence: prepositions, conjunctions,
/// structural particles.
const CJK_OPEN_ENDINGS: &[char] = &[
    '的', '与', '和', '及', '在', '对', '将', '为', '把', '被', '从', '向', '以', '并', '而', '或', '跟',
    '同', '给', '让', '使', '由', '于', '之', '是', '等', '即', '且', '就', '但', '因', '若', '如', '比',
    '自',
];

/// English words that cannot end a sentence.
const LATIN_OPEN_ENDINGS: &[&str] = &[
    "the", "a", "an", "of", "and", "or", "to", "with", "for", "in", "on", "by", "from", "at", "as", "that",
    "which", "is", "are", "was", "were", "be", "but", "if", "than", "into", "onto", "our", "their", "its",
    "this", "these", "those", "your", "his", "her", "my", "nor", "because", "while", "whose", "about",
];

/// English words that do not open a sentence in lower case: a paragraph that
/// begins with one lost its head.
const LATIN_CONTINUATIONS: &[&str] = &[
    "and",
    "or",
    "but",
    "nor",
    "which",
    "that",
    "who",
    "whom",
    "whose",
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "with",
    "for",
    "from",
    "by",
    "as",
    "at",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "than",
    "into",
    "then",
    "so",
    "because",
    "while",
    "when",
    "where",
    "whereas",
    "although",
    "though",
    "unless",
    "until",
    "after",
    "before",
    "during",
    "without",
    "within",
    "its",
    "their",
    "our",
    "this",
    "these",
    "those",
    "it",
    "they",
    "we",
    "he",
    "she",
    "not",
    "also",
    "thus",
    "hence",
    "therefore",
    "however",
];

/// One-character clause heads that do open sentences in Chinese.
pub const CJK_SINGLE_OPENERS: &[char] = &[
    '是', '对', '好', '嗯', '哦', '啊', '唉', '喂', '哎', '不', '但', '而', '故', '且', '然', '若', '如',
    '即', '又', '再', '可', '并', '总', '噢', '呀', '哈', '诶', '咦', '嘿', '喏', '您', '你', '我', '他',
    '她', '它', '今', '昨', '明', '早', '晚', '首', '次', '另', '据', '此', '其', '这', '那', '该', '后',
    '前', '现', '请', '让', '要', '像', '在', '从', '由', '为', '将', '把', '被', '当', '虽', '因', '凡',
    '只', '仅', '也', '还', '都', '就', '才', '应', '须', '需', '用', '以', '按', '经', '自', '与', '和',
    '同', '向', '给', '比', '除', '连', '随', '依', '照', '本', '每', '各', '某', '会', '能', '已', '曾',
    '正', '刚', '有', '无', '没', '别', // Place and body prefixes: 县里, 市政府, 全县.
    '县', '市', '省', '区', '镇', '村', '乡', '国', '全', '党',
];

/// The characters that stand alone before a comma at the head of a sentence:
/// answers and interjections (是，, 好，, 嗯，), connectives of formal writing
/// (但，, 故，, 另，), a pronoun set apart (他，一个普通的农民，…; 这，就是…),
/// enumerators (一，, 甲，). Any other character alone before a comma is the
/// end of a cut word (然|后，, 图|像，): no paragraph of Debian's Chinese
/// manuals opens that way.
const CJK_LONE_COMMA_HEADS: &[char] = &[
    '是', '对', '好', '嗯', '哦', '啊', '唉', '喂', '哎', '不', '噢', '呀', '哈', '诶', '咦', '嘿', '喏',
    '行', '但', '而', '故', '且', '然', '若', '如', '即', '又', '再', '可', '并', '总', '另', '您', '你',
    '我', '他', '她', '它', '这', '那', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '甲',
    '乙', '丙', '丁',
];

/// Of [`CJK_SINGLE_OPENERS`], the ones that open a sentence only after an
/// omitted subject or in set phrases (要, 用, 据, 现 …): a paragraph beginning
/// with one alone, right after a cut that makes a word of it (重|要, 使|用,
/// 数|据, 实|现), is the cut's tail. Pronouns, prepositions and conjunctions
/// (这, 在, 如, 但 …) open sentences freely and are not here.
pub const CJK_WEAK_OPENERS: &[char] = &[
    '要', '用', '现', '据', '会', '能', '已', '曾', '需', '须', '应', '经', '按', '依', '照', '随', '连',
    '除', '给', '向', '同', '与', '和', '以', '仅', '只', '次', '首', '总', '可', '再', '又', '即', '然',
    '故', '且', '好', '是', '对',
];

const MEASURE_WORDS: &[char] = &[
    '件', '个', '名', '次', '项', '家', '所', '人', '篇', '条', '期', '元', '位', '场', '份', '批', '户',
    '处', '套', '辆', '台', '座', '款', '类', '部', '本', '册', '幅', '余',
];

/// How sure a shape is a defect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Only with a counterpart to pair with.
    NeedsPair,
    /// A defect on its own, but less certain: reported one level lower.
    Weak,
    /// A defect on its own.
    Strong,
}

/// A paragraph that stops mid-sentence.
#[derive(Clone, Debug)]
pub struct Ending {
    /// The unfinished last sentence, in block text.
    pub sentence: Range<usize>,
    pub strength: Strength,
    /// Why it cannot end there, when there is a specific reason.
    pub reason: Option<String>,
}

/// Gates that keep phrases, titles and bylines out of truncation checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndingGates {
    pub min_cjk_chars: usize,
    pub min_words: usize,
}

impl Default for EndingGates {
    fn default() -> Self {
        EndingGates { min_cjk_chars: 15, min_words: 12 }
    }
}

/// Whether block `i` of `doc` stops mid-sentence.
pub fn unfinished_ending(block: &Block, gates: EndingGates) -> Option<Ending> {
    if !block.kind.is_running_prose()
        || matches!(block.followed_by, Follower::List | Follower::Code | Follower::Table)
    {
        return None;
    }
    let last = block.last_char?;
    // Most blocks end with a stop, which is all `ends_finished` would
    // find: answered without reading the end of the text.
    if is_stop(last) {
        return None;
    }
    let text = block.text.trim_end();
    if ends_finished(text) || last == PLACEHOLDER || is_caption_block(block) {
        return None;
    }
    // Only unfinished blocks get this far: splitting and tokenizing them is cheap.
    let last_sentence = block.sentences().last()?.clone();
    let sentence = &block.text[last_sentence.clone()];
    // The last token, if it is a URL, leaves the paragraph finished. A URL
    // token starts with one of these: a text with neither has none, and is
    // not read to find out (a cut paragraph may be long).
    let may_hold_url = block.text.contains("http") || block.text.contains("www.");
    if may_hold_url && block.tokens().last().is_some_and(|t| t.kind == TokenKind::Url) {
        return None;
    }
    // A closing quote or bracket without a terminator before it: a title or
    // aside that ends the paragraph; judge the text before it.
    let open = unclosed_opener(sentence);
    let cjk = cjk_count(text);
    // Prose, not a title or a byline: an inner comma or stop; a bracket or
    // quote left open (a title closes what it opens); or one long run that
    // ends where no title does.
    let sentence_like = text.contains(['，', '。', '、', '；'])
        || open.is_some_and(is_cjk_opener)
        || (cjk >= 20 && is_cjk(last) && ends_mid_phrase(text));
    if cjk >= gates.min_cjk_chars && sentence_like {
        if last.is_ascii_punctuation() && !matches!(last, ')' | ']' | '"' | '\'') && last != ',' {
            return None;
        }
        let reason = if let Some(o) = open {
            Some(never_closed(o))
        } else if CJK_OPEN_ENDINGS.contains(&last) {
            Some(format!("it ends with “{last}”, which cannot end a sentence"))
        } else {
            None
        };
        return Some(Ending { sentence: last_sentence, strength: Strength::Strong, reason });
    }
    if cjk * 2 > text.chars().count() {
        return None;
    }
    // Latin: long enough, sentence-like (stop words), ends in a lower-case
    // word. The tokens are counted as they are read, not collected: a
    // paragraph may be a whole file with no blank line in it.
    // Most words are ASCII: compared without a lower-cased copy.
    let is_open_ending = |w: &str| match w.is_ascii() {
        true => LATIN_OPEN_ENDINGS.iter().any(|e| e.eq_ignore_ascii_case(w)),
        false => LATIN_OPEN_ENDINGS.contains(&w.to_lowercase().as_str()),
    };
    let (mut words, mut stop_words, mut last_token) = (0, 0, None);
    for token in block.tokens() {
        if token.kind == TokenKind::Word {
            words += 1;
            stop_words += usize::from(is_open_ending(token.text(&block.text)));
        }
        last_token = Some(token);
    }
    let last_token = last_token?;
    let last_word = last_token.text(&block.text);
    let ends_word = last_token.kind == TokenKind::Word;
    let ends_comma = last == ',';
    if words < gates.min_words || stop_words < 2 || !(ends_word || ends_comma || open.is_some()) {
        return None;
    }
    let (strength, reason) = if let Some(o) = open {
        (Strength::Strong, Some(never_closed(o)))
    } else if ends_comma {
        (Strength::Strong, Some("it ends with a comma".to_string()))
    } else if LATIN_OPEN_ENDINGS.contains(&last_word) {
        (Strength::Strong, Some(format!("it ends with “{last_word}”, which cannot end a sentence")))
    } else if last == '-' {
        (Strength::Strong, Some("it ends with a hyphen".to_string()))
    } else {
        (Strength::Weak, None)
    };
    Some(Ending { sentence: last_sentence, strength, reason })
}

/// Whether `text`, one long run of CJK with no punctuation, ends where no
/// title does: in a word that cannot end a sentence (…功能为), in an adverb or
/// a particle (…非常), or in a piece of a word (…操作系). A title of that
/// length ends in a noun ("…整治工作的实施意见"). Chinese only: jieba knows no
/// Japanese or Korean, and cuts kana into single characters ("…ポイントについて").
fn ends_mid_phrase(text: &str) -> bool {
    let window = last_chars(text, 8);
    if window.chars().any(|c| is_cjk(c) && script(c) != Script::Han) {
        return false;
    }
    if text.chars().next_back().is_some_and(|c| CJK_OPEN_ENDINGS.contains(&c)) {
        return true;
    }
    let words = lexicon::words(window);
    words.last().is_some_and(|w| {
        w.text.chars().count() == 1
            || matches!(w.tag, "d" | "p" | "c" | "r" | "m" | "q")
            || w.tag.starts_with('u')
    })
}

/// Ends with a terminator, possibly followed by closing quotes or brackets,
/// or with a quote or bracket group that is closed: an aside "(参见第 2 节)",
/// a reference "[1]", a cross-reference “远程桌面”. A cut rarely lands right
/// after a closing mark whose opening mark is in the same paragraph.
fn ends_finished(text: &str) -> bool {
    if text.ends_with(is_closer) && unclosed_opener(text).is_none() && has_matched_closer_at_end(text) {
        return true;
    }
    let body = text.trim_end_matches(|c: char| is_closer(c) || c.is_whitespace());
    body.chars().next_back().is_none_or(is_stop)
}

/// A mark that finishes a paragraph when it comes last, before closing
/// quotes and brackets only.
fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '.' | '…' | '；' | ';' | ':' | '：' | '｡' | '~' | '～')
}

fn has_matched_closer_at_end(text: &str) -> bool {
    let Some(last) = text.chars().next_back() else { return false };
    text.chars().any(|c| closer_of(c) == Some(last)) && !matches!(last, '"' | '\'')
}

/// "(资料图片)", "（新华社记者 王某 摄）", "Figure 3: …", "图 2 …". Every
/// block is asked, and the end of its text is read only if its last
/// character can close a credit.
pub fn is_caption_block(block: &Block) -> bool {
    (matches!(block.last_char, Some(')' | '）')) && ends_with_credit(&block.text))
        || starts_as_caption(&block.text)
}

/// "(资料图片)", "（新华社记者 王某 摄）": a short credit in brackets at the end.
fn ends_with_credit(text: &str) -> bool {
    let t = text.trim();
    let credit = ["图", "摄", "照", "片", "photo", "image", "source", "credit", "courtesy", "来源"];
    let Some(body) = t.strip_suffix(')').or_else(|| t.strip_suffix('）')) else { return false };
    let Some(open) = body.rfind(['(', '（']) else { return false };
    let inside = body[open..].to_lowercase();
    inside.chars().count() <= 24 && credit.iter().any(|w| inside.contains(w))
}

/// What a caption starts with, before its number, in any case.
const CAPTION_PREFIXES: &[&str] = &["figure ", "fig. ", "table ", "图", "表", "photo: ", "image: "];

/// "Figure 3: …", "图 2 …": a numbered figure or table.
fn starts_as_caption(text: &str) -> bool {
    let t = text.trim_start();
    // Every block is asked: a prefix is compared, in place and with no
    // lower-cased copy, only if its first byte is the block's.
    let Some(first) = t.as_bytes().first().map(u8::to_ascii_lowercase) else { return false };
    CAPTION_PREFIXES.iter().any(|p| {
        p.as_bytes()[0] == first
            && t.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p))
            && t[p.len()..].trim_start().starts_with(|c: char| c.is_ascii_digit())
    })
}

/// An opening mark of Chinese or Japanese text: full-width brackets and curly
/// quotes, never ASCII ones, which code and ASCII art leave open.
fn is_cjk_opener(c: char) -> bool {
    matches!(c, '（' | '《' | '「' | '『' | '【' | '〈' | '〔' | '“' | '‘')
}

/// The reason for an opening mark left open. A quote mark is named, not
/// quoted: "““” is never closed" reads as a typo.
fn never_closed(open: char) -> String {
    if matches!(open, '“' | '‘') {
        format!("the quote opened with {open} is never closed")
    } else {
        format!("“{open}” is never closed")
    }
}

/// The last opening bracket or quote of `text` that is never closed.
pub fn unclosed_opener(text: &str) -> Option<char> {
    unbalanced_marks(text).1
}

/// The first closing bracket or quote of `text` that closes nothing opened
/// before it: the rest of an aside or title whose opening mark is elsewhere
/// (版本”的许可下发行。 after …或更新).
pub fn unopened_closer(text: &str) -> Option<char> {
    unbalanced_marks(text).0
}

/// The first closing mark that closes nothing, and the last opening mark never
/// closed. ASCII quotes are ambiguous, and so is ’ alone (user’s): left out.
fn unbalanced_marks(text: &str) -> (Option<char>, Option<char>) {
    let mut unopened = None;
    let mut stack: Vec<char> = Vec::new();
    for c in text.chars() {
        if matches!(c, '"' | '\'') {
            continue;
        }
        if is_opener(c) && closer_of(c).is_some() {
            stack.push(c);
        } else if is_closer(c) {
            match stack.iter().rposition(|&o| closer_of(o) == Some(c)) {
                Some(pos) => stack.truncate(pos),
                None if c != '’' => unopened = unopened.or(Some(c)),
                None => {}
            }
        }
    }
    (unopened, stack.last().copied())
}

/// How a paragraph that begins mid-sentence begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartKind {
    /// With punctuation that only stands inside a sentence.
    Punctuation,
    /// With a lower-case word that does not open English sentences.
    Lowercase,
    /// With a one- to three-character CJK stub before a comma.
    Stub,
    /// With a particle that never opens a sentence.
    Particle,
    /// With a bare count ("提案322件，"): the object of a cut-off verb.
    BareCount,
    /// With nothing telling on its own; a fragment only if it completes a
    /// cut sentence (a word across the join, a lower-case continuation).
    Continuation,
}

#[derive(Clone, Debug)]
pub struct Beginning {
    /// The head used to test a join with a cut sentence.
    pub head: Range<usize>,
    pub kind: StartKind,
    pub strength: Strength,
}

impl Beginning {
    /// The fragment up to the end of its first clause or sentence, in the
    /// block's text `text`. Found when asked: of the many paragraphs that
    /// may begin mid-sentence, few are reported or weighed by their words.
    pub fn fragment(&self, text: &str) -> Range<usize> {
        0..first_clause_end(text)
    }
}

/// Whether block `i` of `doc` begins mid-sentence.
pub fn fragment_start(doc: &Document, i: usize) -> Option<Beginning> {
    let block = &doc.blocks[i];
    if !block.kind.is_running_prose() || is_caption_block(block) {
        return None;
    }
    // After code, a list or a table, a lower-case start often continues the
    // sentence that introduced them on purpose.
    let after_prose = i == 0 || doc.blocks[i - 1].followed_by == Follower::Prose;
    let text = &block.text;
    let first = text.chars().next()?;

    if matches!(first, '，' | '、' | '；' | ',' | ';' | '：' | '。' | '）' | '》' | '”' | '」' | '』' | '】')
    {
        return Some(Beginning { head: 0..0, kind: StartKind::Punctuation, strength: Strength::Strong });
    }
    let first_token = block.tokens().next()?;
    if first_token.kind == TokenKind::Word {
        let word = first_token.text(text);
        // "cursor-keys", "non-PostScript": the word before a hyphen decides.
        let lower_start = word.split('-').next().is_some_and(|w| w.chars().all(char::is_lowercase));
        // "a) You must…", "iv. First…": an enumerator, not a word; a word
        // closing a bracket ("wildcards), …") is no enumerator.
        let enumerator = text[first_token.end..].starts_with([')', '.'])
            && (word.chars().count() == 1 || word.chars().all(|c| "ivxlc".contains(c)));
        if lower_start && !enumerator && after_prose && block.kind == BlockKind::Paragraph {
            let head = first_token.start..first_token.end;
            let (kind, strength) = if LATIN_CONTINUATIONS.contains(&word) {
                (StartKind::Lowercase, Strength::Strong)
            } else {
                // "npm is…", "iOS…": lower-case names open sentences too.
                (StartKind::Continuation, Strength::NeedsPair)
            };
            return Some(Beginning { head, kind, strength });
        }
        return None;
    }
    if !is_cjk(first) {
        return None;
    }
    // The first clause: up to the first comma ("读、写和删除" enumerates, it is no stub).
    let comma = first_comma(text).unwrap_or(text.len());
    let head_text = &text[..comma];
    let head = 0..comma;
    // A stub is a first clause of one to three CJK characters before a
    // comma: counted to four at most. Counted to its end, the first clause
    // of a paragraph with no comma was all of it, read twice, at every
    // paragraph that opens with a CJK character.
    let stub_chars = (comma < text.len())
        .then(|| head_text.chars().take(4).count())
        .filter(|&n| n <= 3 && head_text.chars().all(is_cjk));
    if stub_chars == Some(1) {
        if CJK_LONE_COMMA_HEADS.contains(&first) {
            return None;
        }
        return Some(Beginning { head, kind: StartKind::Stub, strength: Strength::Strong });
    }
    if stub_chars.is_some_and(|n| n >= 2) && !lexicon::is_word(head_text) {
        let names = lexicon::words(head_text);
        // A name ("王吉，") is one word to the segmenter even if not in the dictionary.
        if names.len() > 1 {
            return Some(Beginning { head, kind: StartKind::Stub, strength: Strength::NeedsPair });
        }
    }
    if matches!(first, '的' | '了' | '着' | '得' | '地') {
        let window: String = text.chars().take(6).collect();
        if lexicon::words(&window).first().is_some_and(|w| w.text.chars().count() == 1) {
            return Some(Beginning {
                head: 0..first.len_utf8(),
                kind: StartKind::Particle,
                strength: Strength::Strong,
            });
        }
    }
    if comma < text.len() && is_bare_count(head_text) {
        return Some(Beginning { head, kind: StartKind::BareCount, strength: Strength::NeedsPair });
    }
    let head_end = first_chars(text, 4).len().min(comma);
    Some(Beginning { head: 0..head_end, kind: StartKind::Continuation, strength: Strength::NeedsPair })
}

/// Characters that open a noun phrase at the head of a sentence (最新的…,
/// 老的 PC…, 举个例子…) though the segmenter leaves them standing alone.
const CJK_PHRASE_OPENERS: &[char] = &[
    '最', '新', '老', '旧', '大', '小', '多', '少', '高', '低', '长', '短', '软', '硬', '主', '副', '内',
    '外', '第', '举', '做', '到', '更', '您', '每', '较',
];

/// Conjunctions that join words inside a sentence and never open one.
const CJK_INNER_CONJUNCTIONS: &[&str] = &["和", "及", "以及", "或", "与", "跟"];

/// The shapes in which a Chinese paragraph reads as the rest of a sentence
/// rather than the start of one. Each is rare at the head of an edited
/// paragraph (under 2% of the paragraphs of Debian's Chinese manuals that open
/// with no telling mark) and common in a cut's tail, so it pairs the paragraph
/// with a cut close before it even without a word across the join.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TailShape {
    /// A first word of one character that opens no sentence: the end of a word
    /// (服务|务器), a locative (中的任何机器). It may also be the head of a
    /// term the dictionary does not know (瘦客户机): the caller weighs that.
    LoneChar,
    /// A particle, suffix or measure word first (的, 来说, 者, 个). A
    /// measure word may head a term too (类 Unix, 套接字).
    Particle,
    /// A conjunction that joins words (和 GNU/Linux 的相似性).
    Conjunction,
    /// A short sentence with no subject or verb that is the whole paragraph
    /// (桌面环境。, 非常严格。).
    ShortPhrase,
    /// One short sentence that is the whole paragraph and does not open the
    /// way a sentence of its own does (a pronoun, a time or place, a
    /// conjunction, a speaker and a verb of saying): "访问该站点将会失败。"
    /// after "…如果尝试不用 SSL 来". Only right after a cut, and reported one
    /// level lower: an instruction ("检查命令的结果。") has this shape too.
    ShortSentence,
    /// One noun or verb of a few characters and a comma (套件，, 移动，): an
    /// object or predicate cut off, where paragraphs open with connectives
    /// (此外，, 例如，) or a whole clause (馆长表示，).
    ShortHead,
    /// A word that leans on a subject before it: an adverb (也, 都, 却), or
    /// a modal, auxiliary or linking verb (应该, 已经, 是, 称为).
    LeansOnSubject,
}

impl TailShape {
    /// Whether the start may be the head of a term the dictionary does not
    /// know (瘦|客户机, 类 Unix) rather than the end of a cut word.
    pub fn may_head_a_term(self) -> bool {
        matches!(self, TailShape::LoneChar | TailShape::Particle)
    }
}

/// Words that need a subject before them, so a paragraph does not open with
/// one: adverbs, and modal, auxiliary and linking verbs. Imperatives drop
/// their subject too, so verbs that open instructions in manuals (可以, 需要,
/// 将 X 设为) are not here: none of these opens more than one of the 1,316
/// Chinese paragraphs of Debian's manuals that open with no telling mark.
const CJK_SUBJECT_LEANERS: &[&str] = &[
    "也", "都", "才", "却", "便", "亦", "均", "皆", "仍", "并", "而", "应该", "应当", "会", "已经", "将会",
    "不能", "不会", "不必", "是", "变得", "具有", "称为",
];

/// Words that open a paragraph before a comma though a dictionary tags them as
/// nouns or verbs.
const CJK_COMMA_OPENERS: &[&str] = &[
    "例如",
    "比如",
    "注意",
    "总之",
    "总结",
    "然后",
    "接着",
    "最后",
    "首先",
    "其次",
    "另外",
    "此外",
    "同时",
    "当然",
    "目前",
    "现在",
    "如今",
    "其实",
    "事实上",
    "一般",
    "通常",
    "举例",
    "譬如",
    "比方",
    "对此",
    "为此",
    "据悉",
    "据说",
    "据了解",
    "记者",
    "笔者",
    "综上",
    "可见",
    "结果",
    "原来",
    "后来",
    "起初",
    "最初",
    "最近",
    "近年来",
    "今年",
    "去年",
    "明年",
    "此前",
    "此后",
    "届时",
    "期间",
    "其中",
    "尤其",
    "特别",
    "不过",
    "但是",
    "然而",
    "因此",
    "所以",
    "于是",
    "那么",
    "否则",
    "另一方面",
    "一方面",
    "换言之",
    "总而言之",
    "总的来说",
];

/// The shape of `text` (block text) that reads as a tail, if any.
pub fn tail_shape(text: &str) -> Option<TailShape> {
    let words = lexicon::words(first_chars(text, 16));
    let first = words.iter().find(|w| !w.text.trim().is_empty())?;
    // 和 and 与 also open sentences as prepositions ("和他一起…"): the tag
    // tells. These two are asked before the openers, which hold 和, 也, 都
    // for the sake of stubs ("也，").
    if CJK_INNER_CONJUNCTIONS.contains(&first.text) && first.tag == "c" {
        return Some(TailShape::Conjunction);
    }
    if CJK_SUBJECT_LEANERS.contains(&first.text) {
        return Some(TailShape::LeansOnSubject);
    }
    let mut chars = first.text.chars();
    let lead = chars.next()?;
    let alone = chars.next().is_none();
    let opener = alone && (CJK_SINGLE_OPENERS.contains(&lead) || CJK_PHRASE_OPENERS.contains(&lead));
    if opener || !is_cjk(lead) {
        return None;
    }
    if first.tag.starts_with('u') || matches!(first.tag, "k" | "q") {
        return Some(TailShape::Particle);
    }
    if alone {
        return Some(TailShape::LoneChar);
    }
    if let Some(comma) = text.find('，') {
        let head = &text[..comma];
        let nominal = matches!(first.tag, "n" | "v" | "vn" | "a" | "l" | "nz" | "b");
        // One word: "馆长表示，" is a subject and its verb, a clause.
        if nominal
            && first.end == comma
            && (2..=4).contains(&head.chars().count())
            && head.chars().all(is_cjk)
            && !CJK_COMMA_OPENERS.contains(&head)
        {
            return Some(TailShape::ShortHead);
        }
    }
    let body = text.trim_end();
    let body = body.strip_suffix(['。', '！', '？'])?;
    let cjk = cjk_count(body);
    // Only Chinese words: "参见 `polkit`(8)。" names its object in code.
    let one_clause = body.chars().all(is_cjk);
    // Imperatives open with a verb or a verbal noun ("尝试下列例子。"): only
    // the shortest verb phrases ("毫无差别。") count.
    let phrase = matches!(first.tag, "n" | "a" | "b" | "m" | "l" | "nz" | "d") && cjk <= 8
        || first.tag == "v" && cjk <= 4;
    if one_clause && phrase {
        return Some(TailShape::ShortPhrase);
    }
    // Asked first: the other tests read the whole paragraph.
    if body.contains(PLACEHOLDER) || weighted_length_up_to(body, SHORT_SENTENCE) >= SHORT_SENTENCE {
        return None;
    }
    // A pronoun, a time or place word, or a conjunction opens a sentence of
    // its own; any other start of one short sentence may be a cut's rest.
    let opens_its_own = matches!(first.tag, "r" | "t" | "f" | "c")
        // "尝试下列例子。": a sentence that points at what follows leads in.
        || ["下列", "下面", "如下", "以下"].iter().any(|w| body.contains(w))
        // "会议强调，要抓好落实。": a speaker and a verb of saying, a clause.
        || body.find('，').is_some_and(|comma| {
            words.iter().any(|w| w.end == comma && REPORTING_VERBS.contains(&w.text))
        });
    let one_sentence = !body.contains(['。', '！', '？', '；', '：', '.', '!', '?', ';', ':']);
    (!opens_its_own && one_sentence).then_some(TailShape::ShortSentence)
}

/// Verbs that end a clause naming who said or thought what follows the comma
/// ("会议强调，", "他表示，"): news paragraphs open that way.
const REPORTING_VERBS: &[&str] = &[
    "表示", "强调", "指出", "认为", "说", "称", "介绍", "透露", "说明", "提出", "要求", "希望", "坦言",
    "告诉", "回忆", "解释", "建议", "表明", "宣布", "承认", "证实",
];

/// The length under which a sentence may be the rest of another, in units of
/// [`weighted_length`](super::text::weighted_length) (a CJK character, or two
/// for a Latin word): a cut at random leaves a sixth to half of a sentence.
const SHORT_SENTENCE: usize = 20;

/// "提案322件": a few CJK characters, a number and a measure word, nothing else.
fn is_bare_count(head: &str) -> bool {
    // Every Chinese paragraph's first clause is asked, and most are longer
    // than the noun: no more than five characters are read to know.
    let (mut noun_chars, mut noun) = (0, 0);
    for c in head.chars().take_while(|&c| is_cjk(c)).take(5) {
        noun_chars += 1;
        noun += c.len_utf8();
    }
    if !(1..=4).contains(&noun_chars) {
        return false;
    }
    let rest = &head[noun..];
    let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let mut tail = rest[digits..].chars();
    digits > 0 && tail.next().is_some_and(|c| MEASURE_WORDS.contains(&c)) && tail.next().is_none()
}

/// Where the first comma, ASCII or full-width (U+FF0C), is in `text`: a
/// byte search, as every Chinese paragraph is asked and the general one
/// decodes each character. The full-width comma's lead byte, 0xEF, is that of
/// the other full-width forms only.
fn first_comma(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b',', 0xEF, bytes)
        .find(|&i| bytes[i] == b',' || bytes[i..].starts_with("，".as_bytes()))
}

/// End of the first clause or sentence: just past the first clause mark or
/// terminator after the start.
fn first_clause_end(text: &str) -> usize {
    let mut seen_content = false;
    for (i, c) in text.char_indices() {
        let mark = matches!(c, '，' | '。' | '；' | '！' | '？' | ',' | ';' | '!' | '?' | '、' | '：');
        if mark && seen_content {
            return i + c.len_utf8();
        }
        if !mark && !c.is_whitespace() && !is_closer(c) {
            seen_content = true;
        }
        if c == '.' && seen_content && text[i + 1..].starts_with(char::is_whitespace) {
            return i + 1;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Format;

    /// The count read as it was first written, with a copy of each part.
    fn is_bare_count_by_copies(head: &str) -> bool {
        let noun_len = head.chars().take_while(|&c| is_cjk(c)).count();
        let rest: String = head.chars().skip(noun_len).collect();
        let digits = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
        let tail: Vec<char> = rest.chars().skip(digits).collect();
        (1..=4).contains(&noun_len) && digits > 0 && tail.len() == 1 && MEASURE_WORDS.contains(&tail[0])
    }

    #[test]
    fn captions_start_with_a_prefix_in_any_case() {
        for p in CAPTION_PREFIXES {
            assert!(starts_as_caption(&format!("{p} 1 x")), "{p:?}");
            assert!(starts_as_caption(&format!("  {} 1 x", p.to_uppercase())), "{p:?}");
        }
        assert!(starts_as_caption("Figure 3: the layout"));
        assert!(starts_as_caption("图 2 示意图"));
        assert!(!starts_as_caption("Tables are set in the margin."));
    }

    proptest::proptest! {
        #[test]
        fn commas_are_found_by_their_bytes(text in "[a,，（）：中。 ]{0,12}") {
            proptest::prop_assert_eq!(first_comma(&text), text.find(['，', ',']));
        }

        #[test]
        fn bare_counts_are_read_in_place(head in "[人口个年𠀋あ]{0,6}[0-9.]{0,3}[个人年万a]{0,2}") {
            proptest::prop_assert_eq!(is_bare_count(&head), is_bare_count_by_copies(&head));
        }
    }

    fn doc(src: &str) -> Document<'_> {
        Document::parse("t", src, 0, Format::Markdown)
    }

    #[test]
    fn endings() {
        let d = doc(
            "吉林市政协围绕全年工作重点，开展调研，聚焦松花湖生态保护与生态\n\n本报记者 李婷 张添奥\n\n吉林市政协委员调研企业，了解生产经营情况。(资料图片)\n",
        );
        let e = unfinished_ending(&d.blocks[0], EndingGates::default()).unwrap();
        assert_eq!(e.strength, Strength::Strong);
        assert!(unfinished_ending(&d.blocks[1], EndingGates::default()).is_none());
        assert!(unfinished_ending(&d.blocks[2], EndingGates::default()).is_none());
    }

    #[test]
    fn long_sentences_and_open_brackets_need_no_comma() {
        // One long sentence cut mid-way, with no comma to show it is prose.
        let d = doc(
            "打印服务器从收到任务到把最后一页送进出纸托盘为止要经过排队和转换几个步\n\n文件共享服务（也就是人们常说的网络\n\n县图书馆新馆开馆仪式\n\n关于进一步加强全县农村人居环境整治工作的实施意见\n",
        );
        let ending = |i: usize| unfinished_ending(&d.blocks[i], EndingGates::default());
        assert_eq!(ending(0).unwrap().strength, Strength::Strong);
        // Twenty characters are enough when the end is a piece of a word.
        let short = doc("每天凌晨会把所有日志压缩以后上传到备份服\n");
        assert!(unfinished_ending(&short.blocks[0], EndingGates::default()).is_some());
        let open = ending(1).unwrap();
        assert_eq!(open.reason.as_deref(), Some("“（” is never closed"));
        // A title is no sentence, short or long: it ends in a noun.
        assert!(ending(2).is_none());
        assert!(ending(3).is_none());
        // Japanese and Korean are not read with Chinese words: "について" is
        // no cut.
        let other = doc(
            "日本語の文章を書くときに気をつけるべきいくつかの大切なポイントについて\n\n한국어문서를작성할때주의해야할몇가지중요한사항과그에대한설명\n",
        );
        assert!(unfinished_ending(&other.blocks[0], EndingGates::default()).is_none());
        assert!(unfinished_ending(&other.blocks[1], EndingGates::default()).is_none());
    }

    #[test]
    fn unbalanced_marks() {
        assert_eq!(unopened_closer("版本”的许可下发行。"), Some('”'));
        assert_eq!(unopened_closer("（见下文）的说明。"), None);
        // An apostrophe alone is no quote.
        assert_eq!(unopened_closer("the user’s guide"), None);
        assert_eq!(unclosed_opener("遵循“自由软件指南或更新"), Some('“'));
        assert_eq!(never_closed('“'), "the quote opened with “ is never closed");
        assert_eq!(never_closed('（'), "“（” is never closed");
        assert_eq!(unclosed_opener("遵循“自由软件指南”或更新"), None);
    }

    #[test]
    fn english_endings() {
        let d = doc(
            "The committee met on Tuesday to review the plans and to improve the efficiency of the\n\nInstall it with cargo and run the tests before you open a pull request\n\nSee the list below for the options that the tool accepts in its config file\n\n- one\n",
        );
        assert_eq!(
            unfinished_ending(&d.blocks[0], EndingGates::default()).unwrap().strength,
            Strength::Strong
        );
        assert_eq!(unfinished_ending(&d.blocks[1], EndingGates::default()).unwrap().strength, Strength::Weak);
        assert!(unfinished_ending(&d.blocks[2], EndingGates::default()).is_none());
    }

    #[test]
    fn beginnings() {
        let d = doc(
            "目，组织读书心得交流。\n\n目前，全市已建成联络站。\n\n，而且还在增长。\n\nand reduce the cost of it.\n\n提案322件，数量创历年新高。\n",
        );
        let kinds: Vec<_> = (0..d.blocks.len()).map(|i| fragment_start(&d, i).map(|b| b.kind)).collect();
        assert_eq!(
            kinds,
            [
                Some(StartKind::Stub),
                Some(StartKind::Continuation),
                Some(StartKind::Punctuation),
                Some(StartKind::Lowercase),
                Some(StartKind::BareCount)
            ]
        );
        let b = fragment_start(&d, 0).unwrap();
        assert_eq!(&d.blocks[0].text[b.fragment(&d.blocks[0].text)], "目，");
        // 后 opens sentences (后来…), but alone before a comma it ends a cut
        // word (然|后，); an answer or a pronoun set apart does stand there.
        let lone = doc("后，系统才会启动。\n\n好，我们开始吧。\n\n他，一个普通的农民，种了一辈子地。\n");
        let kinds: Vec<_> =
            (0..lone.blocks.len()).map(|i| fragment_start(&lone, i).map(|b| b.kind)).collect();
        assert_eq!(kinds, [Some(StartKind::Stub), None, None]);
    }
}
