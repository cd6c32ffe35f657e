//! repeated-phrase: a word, phrase or clause written twice or more back to back.
//!
//! Two scans, both linear: consecutive equal clauses (split at commas and stops),
//! and tandem repeats of words (Latin) or character strings (CJK) inside a
//! sentence. Legitimate repetition is filtered out: Chinese reduplication
//! (常常, 研究研究, 一点一点), Japanese and Korean mimetic words (どんどん,
//! 하나하나), repeats that only exist across a word boundary (学习|习近平),
//! English "had had", "that that", proper nouns ("Bora Bora"), and an
//! allow-list.

use super::common::runs::{per_run, per_run_within};
use super::common::text::{
    ascii_token_key, cjk_key, cjk_key_of_code, for_each_normalized, normalized_key, quote, short_ascii_key,
    short_ascii_key_of_lowered, token_key, weighted_length,
};
use super::{ConfigurableRule, OptionError, Reported, Rule};
use crate::document::ascii;
use crate::document::script::{Script, is_cjk, script};
use crate::document::{Block, Document, Token, TokenKind, lexicon};
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Repeats that are fine, on top of the built-in list: a word ("very"), or a
    /// doubled form ("非常非常").
    pub allow: Vec<String>,
    /// Clauses shorter than this (one per CJK character, two per word) may
    /// repeat: "好，好，" and "go, go," are style, not damage.
    pub min_clause_length: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { allow: Vec::new(), min_clause_length: 6 }
    }
}

/// Doubled words English uses on purpose.
const LATIN_ALLOWED: &[&str] = &[
    "had", "that", "is", "bye", "no", "yes", "very", "really", "so", "ha", "haha", "ho", "la", "knock",
    "tsk", "tut", "chop", "blah", "bla", "yada", "there", "now", "well", "hush", "again", "more", "far",
    "on", "out", "round", "over", "by", "through", "little", "by", "many", "long", "ago", "do", "what",
    "who",
];

/// Doubled forms Chinese uses on purpose that the dictionary does not list.
const CJK_ALLOWED: &[&str] = &[
    "非常",
    "真的",
    "好的",
    "对的",
    "再见",
    "快点",
    "谢谢",
    "对不起",
    "加油",
    "拜拜",
    "是的",
    "没事",
    "不要",
    "走吧",
    "来了",
    "好了",
    "行了",
    "算了",
    "等等",
    "慢点",
    "小心",
];

/// Characters that repeat as sound, not as words.
const ONOMATOPOEIA: &[char] = &[
    '哈', '呵', '嘿', '嘻', '啦', '哇', '呜', '嗯', '啊', '哦', '喔', '咚', '砰', '滴', '嘀', '哒', '咕',
    '噜', '嘟', '叮', '轰', '隆', '哗', '啪', '嗡', '嘤', '咯', '嘎', '吱', '呼', '喵', '汪', 'ー', '々',
    '〻',
];

/// What follows a verb reduplication: 研究研究吧, 看看一下.
const REDUPLICATION_FOLLOWERS: &[char] = &['吧', '呢', '啊', '呀', '嘛', '一', '看', '了', '再'];

const FUNCTION_WORDS: &[&str] =
    &["the", "a", "an", "and", "of", "to", "in", "is", "it", "for", "on", "with", "as"];

pub struct RepeatedPhrase {
    options: Options,
}

impl ConfigurableRule for RepeatedPhrase {
    const ID: &'static str = "repeated-phrase";
    type Options = Options;

    fn new(options: Options) -> Result<Self, OptionError> {
        if options.min_clause_length == 0 {
            return Err(OptionError::new("min-clause-length", "must be at least 1"));
        }
        Ok(RepeatedPhrase { options })
    }
}

/// A run of `count` equal copies; `copies[0]` is the first.
struct Repeat {
    copies: Vec<Range<usize>>,
}

impl Rule for RepeatedPhrase {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>) {
        out.extend(per_run(doc, |blocks| self.check_blocks(doc, blocks)));
    }

    /// Each block's repeats are its own: a piece's context (a megabyte on
    /// either side of a 32 MB piece) is not read.
    fn check_region(&self, doc: &Document, region: Range<usize>, out: &mut Vec<Reported>) {
        out.extend(per_run_within(doc, doc.blocks_within(&region), |blocks| self.check_blocks(doc, blocks)));
    }
}

/// The longest repeated unit looked for, in CJK characters and in words.
const MAX_CJK_UNIT: usize = 8;
const MAX_WORD_UNIT: usize = 6;

/// Whether some run of up to `MAX_CJK_UNIT` keys is followed by itself: the
/// condition every repeat this rule reports meets, checked first because
/// almost no block meets it.
///
/// Every key of every block passes here, so the scan does not compare each
/// key with the eight after it. A unit of two keys or more that repeats makes
/// a pair of keys (a bigram) recur at most `MAX` positions on; a small table
/// remembers where each bigram's slot was last written, and only where a
/// slot was written that recently are the units ending there compared. A
/// slot shared by two bigrams only makes that comparison happen more often:
/// the table's position is never older than the bigram's own, so no repeat
/// is missed.
///
/// One table serves every block of a run: positions go on counting from
/// block to block, with a gap wider than `MAX` between, so what an earlier
/// block wrote is never recent, and the table is not cleared per block (it
/// was a tenth of the scan's instructions).
///
/// A CJK character written twice (常常, 人人, 看看) is reduplication, only
/// reported three times or more, and Chinese text doubles one in most
/// paragraphs: with `cjk_doubles_pass`, a CJK key twice in a row is no
/// tandem unless a third copy follows. Without it, most Chinese blocks were
/// tokenized twice, for runs that held nothing to report.
struct TandemScan {
    last: [u32; Self::SLOTS],
    /// Where the next scan's positions start.
    base: u32,
}

impl TandemScan {
    const MAX: usize = if MAX_CJK_UNIT > MAX_WORD_UNIT { MAX_CJK_UNIT } else { MAX_WORD_UNIT };
    const SLOTS: usize = 512;

    fn new() -> TandemScan {
        // Positions start past MAX, so an unwritten 0 is never recent.
        TandemScan { last: [0; Self::SLOTS], base: Self::MAX as u32 + 1 }
    }

    // Out of line: inlined into the token loop (as fat LTO chose), it took
    // that loop's registers, 6M more instructions on one 10 MB file.
    #[inline(never)]
    fn has_tandem(&mut self, keys: &[u64], cjk_doubles_pass: bool) -> bool {
        let gap = Self::MAX + 1;
        // Room for the keys even in a fresh table, where positions start at `gap`.
        if u32::try_from(keys.len() + 2 * gap).is_err() {
            // A block of 4G keys: the plain scan, linear too.
            return (1..keys.len()).any(|j| keys[j - 1] == keys[j] || repeats_before(keys, j, Self::MAX));
        }
        let span = (keys.len() + gap) as u32;
        let Some(next) = self.base.checked_add(span) else {
            // Positions ran out, after 4G keys: start afresh.
            *self = TandemScan::new();
            return self.has_tandem(keys, cjk_doubles_pass);
        };
        let base = std::mem::replace(&mut self.base, next);
        for (j, pair) in keys.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            if a == b && !(cjk_doubles_pass && is_cjk_key(a) && keys.get(j + 2) != Some(&a)) {
                return true;
            }
            let slot = ((a ^ b.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                >> (64 - Self::SLOTS.ilog2())) as usize;
            let here = base + j as u32;
            let seen = std::mem::replace(&mut self.last[slot], here);
            if here - seen <= Self::MAX as u32 && repeats_before(keys, j, Self::MAX) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
fn has_tandem(keys: &[u64]) -> bool {
    TandemScan::new().has_tandem(keys, false)
}

/// Whether `key` is a CJK character's ([`cjk_key`]); a word of one such
/// character that is no CJK token keys so too.
fn is_cjk_key(key: u64) -> bool {
    key >> 62 == 1
}

/// Whether a unit of 2 to `max` keys ending just before `j` comes again at `j`.
fn repeats_before(keys: &[u64], j: usize, max: usize) -> bool {
    // The units' first keys compared alone first: a slice comparison is a
    // call to `memcmp`, and nearly every unit asked about differs there (the
    // scan asks about every length from two to `max` in turn).
    (2..=max.min(j))
        .any(|len| j + len <= keys.len() && keys[j - len] == keys[j] && keys[j - len..j] == keys[j..j + len])
}

/// The runs of tokens (ranges of indices) that touch (CJK) or are apart by
/// white space only (words): the stretches a repeat can lie in.
fn touching_runs<'t>(text: &'t str, tokens: &'t [Token]) -> impl Iterator<Item = Range<usize>> + 't {
    let mut run_start = 0;
    (1..=tokens.len()).filter_map(move |k| {
        let breaks = k == tokens.len() || {
            let (a, b) = (tokens[k - 1], tokens[k]);
            // Most pairs are of CJK characters: told apart by their offsets
            // alone, with no slice of the text between.
            if matches!(a.kind, TokenKind::Cjk(_)) && matches!(b.kind, TokenKind::Cjk(_)) {
                a.end != b.start
            } else {
                let both_words = a.kind == TokenKind::Word && b.kind == TokenKind::Word;
                !(both_words && a.end < b.start && text[a.end..b.start].trim().is_empty())
            }
        };
        breaks.then(|| std::mem::replace(&mut run_start, k)..k)
    })
}

fn report(block: &Block, r: &Repeat, clause: bool) -> Finding {
    let first = r.copies[0].clone();
    let rest = r.copies[1].start..r.copies.last().map_or(first.end, |c| c.end);
    let text = &block.text[first.clone()];
    let n = r.copies.len();
    let extra = n - 1;
    let (message, label) = if clause && n == 2 {
        ("clause written twice in a row".to_string(), "repeated copy".to_string())
    } else if clause {
        (format!("clause written {n} times in a row"), format!("{extra} repeated copies"))
    } else if n == 2 {
        (format!("{} is written twice", quote(text, 20)), "repeated".to_string())
    } else {
        (format!("{} is written {n} times in a row", quote(text, 20)), format!("{extra} repeats"))
    };
    let help = if extra == 1 {
        format!("delete the repeated {}", quote(text, 20))
    } else {
        format!("delete the {extra} copies after the first")
    };
    Finding::new(block.source_span(rest), message)
        .label(label)
        .related(None, block.source_span(first), "first written here")
        .help(help)
}

impl RepeatedPhrase {
    /// The findings of a run of blocks: each block's repeats are its own.
    fn check_blocks(&self, doc: &Document, blocks: Range<usize>) -> Vec<Reported> {
        let mut out = Vec::new();
        // Buffers for every block's tokens, keys and clauses: no allocation per block.
        let mut tokens: Vec<Token> = Vec::new();
        let mut keys = Vec::new();
        let mut clauses = Clauses::default();
        let mut tandems = TandemScan::new();
        for block in &doc.blocks[blocks] {
            let text: &str = &block.text;
            keys.clear();
            clauses.clear();
            let mut cjk_doubles_pass = true;
            // One pass over the tokens makes both the tandem keys and the
            // clauses. The tokens themselves are kept only for the few blocks
            // with a tandem, made again then.
            let mut reader = block.tokens();
            loop {
                // A short word of ASCII letters and digits, most tokens of
                // English: read once, lower-cased once, for its key and its
                // clause both. The reader stands where the last token ended,
                // and the short way reads only spaces before a word: no line
                // break to look for between.
                if let Some((t, lower)) = reader.short_ascii_word() {
                    debug_assert!(text[clauses.last_end..t.start].bytes().all(|b| b == b' '));
                    keys.push(short_ascii_key_of_lowered(lower));
                    clauses.push_lowered_word_after_spaces(t, lower);
                    continue;
                }
                let Some(t) = reader.next() else { break };
                // Hanzi, nearly every token of Chinese text, take the short
                // way, a run at a time.
                if let Some(c) = t.han(text) {
                    clauses.open_han_run(text, t);
                    // Hanzi pass normalisation unchanged: each is hashed as
                    // it is, the state kept in a register through the run.
                    keys.push(cjk_key(c));
                    clauses.hash.push(c);
                    let mut state = clauses.hash.state;
                    let end = reader.han_run(|codes| {
                        keys.extend(codes.iter().map(|&code| cjk_key_of_code(code)));
                        for &code in codes {
                            state = ClauseHash::wide_step(state, code);
                        }
                    });
                    clauses.hash.state = state;
                    clauses.touch(end);
                    continue;
                }
                // An ASCII word the short way left (one near the end, one
                // with an apostrophe or hyphen): still keyed without a hash.
                if t.kind == TokenKind::Word
                    && let Some(key) = short_ascii_key(text.as_bytes(), t.start..t.end)
                {
                    keys.push(key);
                    clauses.push_ascii_word(text, t);
                    continue;
                }
                if t.kind == TokenKind::Word && t.text(text).is_ascii() {
                    keys.push(ascii_token_key(t.text(text).as_bytes()));
                    clauses.push_ascii_word(text, t);
                    continue;
                }
                keys.push(match t.kind {
                    TokenKind::Word => {
                        let key = token_key(t.text(text));
                        // A word's doubles are repeats however it keys.
                        cjk_doubles_pass &= !is_cjk_key(key);
                        key
                    }
                    TokenKind::Cjk(_) => cjk_key(t.text(text).chars().next().unwrap_or(' ')),
                    // Punctuation and numbers never form a phrase: a key of their own.
                    _ => !(keys.len() as u64),
                });
                clauses.push(text, t);
            }
            clauses.finish();
            let clause_repeats = self.clause_repeats(doc, block, &clauses);
            for r in &clause_repeats {
                out.push(report(block, r, true).into());
            }
            let covered = |range: &Range<usize>| {
                clause_repeats.iter().any(|r| {
                    r.copies[0].start <= range.start && range.end <= r.copies.last().map_or(0, |c| c.end)
                })
            };
            // Most blocks repeat nothing back to back: they skip sentence
            // splitting and the linguistic checks.
            if !tandems.has_tandem(&keys, cjk_doubles_pass) {
                continue;
            }
            tokens.clear();
            tokens.extend(block.tokens());
            for r in self.word_repeats(block, &tokens, &keys, &mut tandems, cjk_doubles_pass) {
                if !covered(&r.copies[0]) {
                    out.push(report(block, &r, false).into());
                }
            }
        }
        out
    }

    /// Consecutive clauses with the same normalised text.
    fn clause_repeats(&self, doc: &Document, block: &Block, clauses: &Clauses) -> Vec<Repeat> {
        let (ranges, keys) = (&clauses.ranges, &clauses.keys);
        // Compare the source too, so that clauses differing only in inline
        // code differ; only for the rare clauses whose text is the same.
        let source_key = |r: &Range<usize>| normalized_key(&doc.source[block.source_span(r.clone())]);
        let mut out = Vec::new();
        let mut i = 0;
        while i < ranges.len() {
            let mut j = i + 1;
            while j < ranges.len()
                && keys[i] != 0
                && keys[j] == keys[i]
                && source_key(&ranges[j]) == source_key(&ranges[i])
            {
                j += 1;
            }
            if j - i >= 2 && weighted_length(&block.text[ranges[i].clone()]) >= self.options.min_clause_length
            {
                out.push(Repeat { copies: ranges[i..j].to_vec() });
            }
            i = j;
        }
        out
    }

    /// Tandem repeats of words or CJK strings inside one sentence.
    fn word_repeats(
        &self,
        block: &Block,
        tokens: &[Token],
        keys: &[u64],
        tandems: &mut TandemScan,
        cjk_doubles_pass: bool,
    ) -> Vec<Repeat> {
        let text = &block.text;
        let mut out = Vec::new();
        // A run lies inside one sentence: a sentence ends only after a stop
        // and its closing marks, tokens of their own that break runs (a
        // property test below holds this). So a run needs no sentence but
        // for where its sentence starts ("The the" is a repeat at a start
        // only), and that only for a run of words: sentences are split for
        // a block with such a run that repeats something, not for every
        // block with a tandem of keys (most have their copies apart, 中 中,
        // or across punctuation).
        let mut sentences: Option<Vec<Range<usize>>> = None;
        for run in touching_runs(text, tokens) {
            if run.len() < 2 || !tandems.has_tandem(&keys[run.clone()], cjk_doubles_pass) {
                continue;
            }
            let cjk = matches!(tokens[run.start].kind, TokenKind::Cjk(_));
            // CJK repeats do not ask where their sentence starts.
            let sentence_start = if cjk {
                usize::MAX
            } else {
                let sentences = sentences.get_or_insert_with(|| block.sentences());
                let k = sentences.partition_point(|s| s.end <= tokens[run.start].start);
                sentences.get(k).map_or(0, |s| s.start)
            };
            self.tandems(text, &tokens[run.clone()], &keys[run], cjk, sentence_start, &mut out);
        }
        out
    }

    fn tandems(
        &self,
        text: &str,
        run: &[Token],
        keys: &[u64],
        cjk: bool,
        sentence_start: usize,
        out: &mut Vec<Repeat>,
    ) {
        let max_unit = if cjk { MAX_CJK_UNIT } else { MAX_WORD_UNIT };
        let mut i = 0;
        while i < run.len() {
            let mut advanced = false;
            for len in 1..=max_unit.min((run.len() - i) / 2) {
                if keys[i] != keys[i + len] || keys[i..i + len] != keys[i + len..i + 2 * len] {
                    continue;
                }
                let mut count = 2;
                while i + (count + 1) * len <= run.len()
                    && keys[i..i + len] == keys[i + count * len..i + (count + 1) * len]
                {
                    count += 1;
                }
                let copies: Vec<Range<usize>> =
                    (0..count).map(|c| run[i + c * len].start..run[i + (c + 1) * len - 1].end).collect();
                let accepted = if cjk {
                    self.cjk_repeat_is_damage(text, &copies)
                } else {
                    self.latin_repeat_is_damage(text, &copies, len, run[i].start == sentence_start)
                };
                if accepted {
                    i += count * len;
                    out.push(Repeat { copies });
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                i += 1;
            }
        }
    }

    fn allowed(&self, unit: &str) -> bool {
        self.options.allow.iter().any(|a| a.eq_ignore_ascii_case(unit) || *a == format!("{unit}{unit}"))
    }

    fn cjk_repeat_is_damage(&self, text: &str, copies: &[Range<usize>]) -> bool {
        let unit = &text[copies[0].clone()];
        let chars: Vec<char> = unit.chars().collect();
        let count = copies.len();
        if chars.len() == 1 {
            return count >= 3 && !ONOMATOPOEIA.contains(&chars[0]) && !self.allowed(unit);
        }
        let is_periodic = (1..chars.len())
            .any(|p| chars.len().is_multiple_of(p) && (p..chars.len()).all(|i| chars[i] == chars[i - p]));
        let all_kana = chars.iter().all(|&c| matches!(script(c), Script::Hiragana | Script::Katakana));
        let all_hangul = chars.iter().all(|&c| script(c) == Script::Hangul);
        if is_periodic
            || (all_kana && chars.len() <= 3)
            || (all_hangul && chars.len() <= 2)
            || (chars[0] == '一' && count == 2)
            || CJK_ALLOWED.contains(&unit)
            || self.allowed(unit)
            || lexicon::is_word(&unit.repeat(2))
        {
            return false;
        }
        let end = copies[count - 1].end;
        let next = text[end..].chars().next();
        if count == 2 && next.is_none_or(|c| !is_cjk(c) || REDUPLICATION_FOLLOWERS.contains(&c)) {
            return false;
        }
        // Segment a window around the repeat: the copies must be words of their own.
        // Up to four CJK characters of context on each side.
        let before = text[..copies[0].start]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_cjk(c))
            .take(4)
            .last()
            .map_or(copies[0].start, |(i, _)| i);
        let after = text[end..]
            .char_indices()
            .take_while(|&(_, c)| is_cjk(c))
            .take(4)
            .last()
            .map_or(end, |(i, c)| end + i + c.len_utf8());
        let window = &text[before..after];
        let words = lexicon::words(window);
        let at = |offset: usize| offset - before;
        let boundary = |o: usize| words.iter().all(|w| !(w.start < at(o) && at(o) < w.end));
        if !boundary(copies[0].start) || !boundary(copies[1].start) {
            return false;
        }
        // Verb reduplication (讨论讨论) is grammar, not damage.
        let is_verb = words
            .iter()
            .any(|w| w.start == at(copies[0].start) && w.end == at(copies[0].end) && w.tag == "v");
        !(is_verb && count == 2)
    }

    fn latin_repeat_is_damage(
        &self,
        text: &str,
        copies: &[Range<usize>],
        len: usize,
        at_start: bool,
    ) -> bool {
        let first = &text[copies[0].clone()];
        let second = &text[copies[1].clone()];
        if len == 1 {
            let lower = first.to_lowercase();
            if LATIN_ALLOWED.contains(&lower.as_str()) || self.allowed(&lower) {
                return false;
            }
            let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
            // "Bora Bora", "Walla Walla": a name, unless it is "The The" at a sentence start.
            if capitalised(first)
                && capitalised(second)
                && !(at_start && FUNCTION_WORDS.contains(&lower.as_str()))
            {
                return false;
            }
            // "trait Trait": different spelling mid-sentence is code or a name.
            if first != second && !(at_start && capitalised(first)) {
                return false;
            }
            return true;
        }
        !self.allowed(&first.to_lowercase())
    }
}

/// The clauses of a block, split at commas, stops and line breaks, each with
/// a hash of its normalised text (see [`normalized_key`]), made from the
/// tokens as they are read: every character is decoded once for both scans.
#[derive(Default)]
struct Clauses {
    ranges: Vec<Range<usize>>,
    keys: Vec<u64>,
    open: Option<Range<usize>>,
    hash: ClauseHash,
    /// Where the last token ended: a line break in the gap ends a clause.
    last_end: usize,
}

impl Clauses {
    fn clear(&mut self) {
        self.ranges.clear();
        self.keys.clear();
        self.open = None;
        self.last_end = 0;
        self.reset_hash();
    }

    fn reset_hash(&mut self) {
        self.hash = ClauseHash::default();
    }

    /// Ends the clause being read if a line break stands between the last
    /// token and `t`.
    #[inline]
    fn gap(&mut self, text: &str, t: Token) {
        // The gap is white space, mostly one byte or none.
        let gap = self.last_end..t.start;
        self.last_end = t.end;
        if !gap.is_empty() && text.as_bytes()[gap].contains(&b'\n') {
            self.finish();
        }
    }

    /// Adds `t` to the clause being read, or opens one with it.
    #[inline]
    fn extend(&mut self, t: Token) {
        match &mut self.open {
            Some(range) => range.end = t.end,
            None => self.open = Some(t.start..t.end),
        }
    }

    /// Opens a run of hanzi with its first, `t`: keyed and hashed by the
    /// caller, a run at a time.
    #[inline]
    fn open_han_run(&mut self, text: &str, t: Token) {
        self.gap(text, t);
        self.extend(t);
    }

    /// Moves the end of the clause being read, and of the last token, to
    /// `end`: the tokens up to there touched the last one.
    #[inline]
    fn touch(&mut self, end: usize) {
        if let Some(range) = &mut self.open {
            range.end = end;
        }
        self.last_end = end;
    }

    /// Takes the next token of `text`, a word all of ASCII: normalised as
    /// [`for_each_normalized`] would, letters and digits lower-cased, the
    /// rest (an inner apostrophe or hyphen) dropped, without decoding. A
    /// word of up to eight letters and digits is hashed in one step.
    // Always inlined: left to fat LTO, it was called at every such word.
    #[inline(always)]
    fn push_ascii_word(&mut self, text: &str, t: Token) {
        self.gap(text, t);
        self.extend(t);
        let bytes = text.as_bytes();
        if let Some(lower) = ascii::lowered_word(bytes, t.start..t.end, 8) {
            self.hash.push_bytes(lower, t.end - t.start);
            return;
        }
        for &b in &bytes[t.start..t.end] {
            if b.is_ascii_alphanumeric() {
                self.hash.push(char::from(b.to_ascii_lowercase()));
            }
        }
    }

    /// [`Clauses::push_ascii_word`] for a word whose letters and digits
    /// (all of it, at most eight) the caller has lower-cased, `lower`, and
    /// that only spaces part from the last token: no line break to look for
    /// between.
    #[inline]
    fn push_lowered_word_after_spaces(&mut self, t: Token, lower: u64) {
        self.last_end = t.end;
        self.extend(t);
        self.hash.push_bytes(lower, t.end - t.start);
    }

    /// Takes the next token of `text`.
    fn push(&mut self, text: &str, t: Token) {
        self.gap(text, t);
        let token = t.text(text);
        if t.kind == TokenKind::Punct {
            let c = token.chars().next().unwrap_or(' ');
            let boundary =
                matches!(c, '，' | '。' | '；' | '！' | '？' | ',' | ';' | '!' | '?' | '、' | '：')
                    || (c == '.' && text[t.end..].chars().next().is_none_or(char::is_whitespace));
            if boundary {
                self.finish();
                return;
            }
        }
        self.extend(t);
        for_each_normalized(token, |c| self.hash.push(c));
    }

    /// Closes the clause being read, if it has any token.
    fn finish(&mut self) {
        if let Some(range) = self.open.take() {
            self.ranges.push(range);
            self.keys.push(self.hash.finish());
        }
        self.reset_hash();
    }
}

/// A hash of a clause's normalised characters, the same for the same
/// characters however they were added: one at a time, a word at a time, or a
/// run of hanzi in a register.
///
/// ASCII characters (letters and digits, never a zero byte) are packed eight
/// to a word, the first in the lowest byte; each full word, and the part
/// filled when a wider character or the end comes, is one step of `state =
/// (state + x) * K` (FxHash's step), tagged with the top bit that no code
/// point has. A wider character is a step of its own, by its code. Where the
/// words are cut depends on the characters alone, so equal clauses hash
/// equal. A short English word is added with a shift and an or, and a
/// multiplication for every eight letters: the polynomial a character at a
/// time, added a word at once, took eight multiplications a word.
#[derive(Clone, Default)]
struct ClauseHash {
    state: u64,
    /// ASCII characters not yet stepped in, the first in the lowest byte.
    pack: u64,
    /// How many bytes of `pack` are filled: 0 to 7.
    filled: u32,
    /// Whether any character was added: a clause of punctuation only keys 0.
    any: bool,
}

impl ClauseHash {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    /// Set on a step of packed ASCII, never on a code point.
    const PACKED: u64 = 1 << 63;

    #[inline]
    fn step(state: u64, x: u64) -> u64 {
        state.wrapping_add(x).wrapping_mul(Self::K)
    }

    #[inline]
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.push_bytes(u64::from(c as u8), 1);
        } else {
            self.flush();
            self.state = Self::wide_step(self.state, u32::from(c));
            self.any = true;
        }
    }

    /// `state` with a character wider than ASCII added, by its code point,
    /// when nothing is packed: after another such character was `push`ed, as
    /// in a run of hanzi, whose state a caller keeps in a register.
    #[inline]
    fn wide_step(state: u64, code: u32) -> u64 {
        Self::step(state, u64::from(code))
    }

    /// Adds the first `len` (1 to 8) bytes of `word`, lowest first, as
    /// `push` would add them one by one; the bytes above them are zero.
    #[inline]
    fn push_bytes(&mut self, word: u64, len: usize) {
        // `filled` is below 8: the shift is too.
        let shift = 8 * self.filled;
        self.pack |= word << shift;
        let filled = self.filled + len as u32;
        if filled >= 8 {
            self.state = Self::step(self.state, self.pack | Self::PACKED);
            // The bytes that did not fit; none when the pack was empty.
            self.pack = word.checked_shr(64 - shift).unwrap_or(0);
            self.filled = filled - 8;
        } else {
            self.filled = filled;
        }
        self.any |= len > 0;
    }

    /// Steps in the packed ASCII, if any.
    #[inline]
    fn flush(&mut self) {
        if self.filled > 0 {
            self.state = Self::step(self.state, self.pack | Self::PACKED);
            self.pack = 0;
            self.filled = 0;
        }
    }

    fn finish(&self) -> u64 {
        let mut done = self.clone();
        done.flush();
        if done.any { done.state.rotate_left(26) | 1 } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Words added at once hash as their characters added one by one:
        /// however the words fall across the packs, and between wider
        /// characters added as a run (the first by `push`, the rest by code).
        #[test]
        fn words_at_once_hash_as_characters(
            pieces in proptest::collection::vec(
                ("[中文é]{0,3}", proptest::collection::vec(0x30u8..0x7B, 1..=8)),
                1..6,
            ),
        ) {
            let (mut at_once, mut by_char) = (ClauseHash::default(), ClauseHash::default());
            for (wide, word) in &pieces {
                for (k, c) in wide.chars().enumerate() {
                    if k == 0 {
                        at_once.push(c);
                    } else {
                        at_once.state = ClauseHash::wide_step(at_once.state, u32::from(c));
                    }
                    by_char.push(c);
                }
                let mut packed = [0u8; 8];
                packed[..word.len()].copy_from_slice(word);
                at_once.push_bytes(u64::from_le_bytes(packed), word.len());
                for &b in word {
                    by_char.push(char::from(b));
                }
            }
            proptest::prop_assert_eq!(at_once.finish(), by_char.finish());
        }

        /// Different characters, different hashes: ASCII packed into a word
        /// is not taken for a wider character, nor a short pack for a long one.
        #[test]
        fn different_clauses_hash_apart(a in "[a-z0-9中é]{1,12}", b in "[a-z0-9中é]{1,12}") {
            let hash = |s: &str| {
                let mut h = ClauseHash::default();
                s.chars().for_each(|c| h.push(c));
                h.finish()
            };
            proptest::prop_assert_eq!(hash(&a) == hash(&b), a == b);
        }
    }

    #[test]
    fn a_clause_of_nothing_keys_zero() {
        assert_eq!(ClauseHash::default().finish(), 0);
        let mut h = ClauseHash::default();
        h.push('a');
        assert_ne!(h.finish(), 0);
    }

    #[test]
    fn tandems_of_keys() {
        assert!(has_tandem(&[7, 1, 2, 1, 2, 9]));
        assert!(has_tandem(&[3, 3]));
        assert!(!has_tandem(&[1, 2, 3, 1, 2, 4]));
        assert!(!has_tandem(&[]));
        // A unit whose first pair recurs inside it: (1, 2) at 0, 3 and 6.
        assert!(has_tandem(&[1, 2, 9, 1, 2, 8, 1, 2, 9, 1, 2, 8]));
        assert!(!has_tandem(&[1, 2, 9, 1, 2, 8, 1, 2, 7, 1, 2, 6]));
    }

    /// The plain definition: some unit of 1 to 8 keys followed by itself.
    fn has_tandem_by_definition(keys: &[u64]) -> bool {
        (0..keys.len()).any(|i| {
            (1..=8).any(|len| i + 2 * len <= keys.len() && keys[i..i + len] == keys[i + len..i + 2 * len])
        })
    }

    proptest::proptest! {
        #[test]
        fn tandem_scan_agrees_with_the_definition(keys in proptest::collection::vec(0u64..6, 0..40)) {
            proptest::prop_assert_eq!(has_tandem(&keys), has_tandem_by_definition(&keys));
        }

        /// With CJK doubles let pass: a tandem is a unit of two keys or more
        /// followed by itself, a key other than a CJK one twice, or a CJK key
        /// three times; the repeats reported are all of these.
        #[test]
        fn cjk_doubles_need_a_third(picks in proptest::collection::vec(0usize..6, 0..40)) {
            // Three CJK keys, three others.
            let alphabet = [cjk_key('中'), cjk_key('文'), cjk_key('々'), 1 << 63 | 0x61, 2, 3];
            let keys: Vec<u64> = picks.iter().map(|&i| alphabet[i]).collect();
            let expected = (0..keys.len()).any(|i| {
                (2..=8).any(|len| i + 2 * len <= keys.len() && keys[i..i + len] == keys[i + len..i + 2 * len])
                    || keys.get(i + 1) == Some(&keys[i])
                        && (!is_cjk_key(keys[i]) || keys.get(i + 2) == Some(&keys[i]))
            });
            proptest::prop_assert_eq!(TandemScan::new().has_tandem(&keys, true), expected);
        }

        /// One table over many blocks, as a run's blocks share it: what one
        /// block wrote never makes a tandem of the next, even when the
        /// positions run out on the way.
        #[test]
        fn tandem_scan_keeps_blocks_apart(
            blocks in proptest::collection::vec(proptest::collection::vec(0u64..6, 0..20), 1..8),
            near_the_end in proptest::bool::ANY,
        ) {
            let mut scan = TandemScan::new();
            if near_the_end {
                scan.base = u32::MAX - 30;
            }
            for keys in &blocks {
                proptest::prop_assert_eq!(scan.has_tandem(keys, false), has_tandem_by_definition(keys));
            }
        }

        // Many distinct keys: collisions in the table, long units, no tandem most of the time.
        #[test]
        fn tandem_scan_agrees_on_wide_alphabets(
            mut keys in proptest::collection::vec(0u64..2000, 0..300),
            unit in 1usize..10,
            at in 0usize..300,
        ) {
            // Plant a unit followed by itself, most of the time.
            if at + 2 * unit <= keys.len() && at % 3 != 0 {
                let copy: Vec<u64> = keys[at..at + unit].to_vec();
                keys[at + unit..at + 2 * unit].copy_from_slice(&copy);
            }
            proptest::prop_assert_eq!(has_tandem(&keys), has_tandem_by_definition(&keys));
        }
    }
    use crate::rules::testing::check;

    /// Text of words, CJK, stops, closing marks and spaces that sentence
    /// splitting and runs of tokens read differently.
    const PIECES: &[&str] = &[
        "中", "文", "研究", "。", "，", "！", "？", "…", "」", "“", "”", "the", "The", " ", "  ", "\n", ".",
        "!", "?", "Mr.", "e.g.", "3.14", "don't", "A.", "a", ")", "\"", "'", "’", "ー", "カ", "한", "OK.",
        "é", "x.y",
    ];

    proptest::proptest! {
        /// What `word_repeats` relies on: no run of touching tokens crosses
        /// the end of a sentence.
        #[test]
        fn runs_never_cross_a_sentence_end(picks in proptest::collection::vec(0..PIECES.len(), 1..40)) {
            let src: String = picks.iter().map(|&i| PIECES[i]).collect();
            let doc = Document::parse("t.txt", &src, 0, crate::source::Format::PlainText);
            for block in &doc.blocks {
                let tokens: Vec<Token> = block.tokens().collect();
                let sentences = block.sentences();
                for run in touching_runs(&block.text, &tokens) {
                    let span = tokens[run.start].start..tokens[run.end - 1].end;
                    proptest::prop_assert!(
                        sentences.iter().any(|s| s.start <= span.start && span.end <= s.end),
                        "{:?} crosses a sentence end in {:?}", &block.text[span], block.text
                    );
                }
            }
        }
    }

    fn flagged(src: &str) -> Vec<String> {
        check::<RepeatedPhrase>(src, toml::Table::new())
            .iter()
            .map(|f| src[f.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn doubled_words() {
        assert_eq!(flagged("专题研究包保南顶子乡村乡村振兴工作。"), ["乡村"]);
        assert_eq!(flagged("推进半导体产业高质量发展发展的建议。"), ["发展"]);
        assert_eq!(flagged("We fixed the the bug today."), ["the"]);
        assert_eq!(flagged("The the bug is gone."), ["the"]);
    }

    #[test]
    fn legitimate_repetition() {
        for text in [
            "他常常天天看看书，人人都刚刚来，牢牢把握，慢慢地走，高高兴兴，一天天过去。",
            "我们回去研究研究吧。大家讨论讨论。彼此彼此。一点一点地做。",
            "坚持理论学习习近平总书记重要讲话，聚焦农产品品牌建设，书画院院士，委员会会议。",
            "He had had enough. I know that that is true. It is very, very good.",
            "We flew to Bora Bora. Implement trait Trait for it.",
            "どんどん進む。하나하나 살펴본다。",
        ] {
            assert_eq!(flagged(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn clause_pasted_four_times() {
        let src = "找准职能定位，参与抓好发展全过程人民民主，参与抓好发展全过程人民民主，参与抓好发展全过程人民民主，参与抓好发展全过程人民民主。";
        let found = check::<RepeatedPhrase>(src, toml::Table::new());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "clause written 4 times in a row");
        assert!(src[found[0].span.clone()].starts_with("参与抓好"));
        assert_eq!(src[found[0].span.clone()].matches("参与抓好").count(), 3);
    }

    #[test]
    fn phrase_repeat_in_english() {
        assert_eq!(flagged("It is part of the the plan, in the in the end."), ["the", "in the"]);
    }
}
