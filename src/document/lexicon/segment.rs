//! Dictionary segmentation and tagging, as jieba does it without its HMM:
//! the text is split into runs of hanzi and ASCII word characters; in each
//! run every dictionary word is an edge of a graph over the characters, and
//! the cut is the path whose words' log frequencies sum highest. A run of
//! ASCII letters and digits the path leaves as single characters is one word.
//!
//! This follows jieba-rs 0.11's `Jieba::tag(text, false)` step for step, the
//! ties too, and a test compares the two on every paragraph of the quality
//! corpus: rules tuned on jieba's cuts keep them.

use super::Word;
use super::key::Key;
use super::table::{self, Found, LOG_TOTAL};

/// A step of the best path from a character: to `end`, with the word's
/// frequency (0: not a dictionary word).
#[derive(Clone, Copy)]
struct Step {
    prob: f64,
    end: usize,
    freq: u32,
    tag: &'static str,
}

/// jieba's `RE_HAN_DEFAULT`: the characters that are cut with the dictionary.
fn is_han_default(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}')
        || c.is_ascii_alphanumeric()
        || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
        || matches!(c,
            '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}')
}

/// jieba's tag for a word not in the dictionary (its HMM tagger left out).
fn guess_tag(word: &str) -> &'static str {
    let (mut letters, mut digits) = (0, 0);
    for b in word.bytes() {
        if b.is_ascii_alphanumeric() {
            letters += 1;
            digits += usize::from(b.is_ascii_digit());
        }
    }
    match (letters, digits) {
        (0, _) => "x",
        (l, d) if l == d => "m",
        _ => "eng",
    }
}

/// Cuts and tags `text`, appending its words to `out`.
pub fn tag<'a>(text: &'a str, out: &mut Vec<Word<'a>>) {
    let mut chars: Vec<(usize, char)> = Vec::new();
    let mut rest = text.char_indices().peekable();
    while let Some(&(_, first)) = rest.peek() {
        let han = is_han_default(first);
        chars.clear();
        while let Some(&(i, c)) = rest.peek() {
            if is_han_default(c) != han {
                break;
            }
            chars.push((i, c));
            rest.next();
        }
        let end = rest.peek().map_or(text.len(), |&(i, _)| i);
        if han {
            cut_run(text, &chars, end, out);
        } else {
            let mut k = 0;
            while k < chars.len() {
                let (i, c) = chars[k];
                // \r\n is one token.
                let len = if c == '\r' && chars.get(k + 1).is_some_and(|&(_, n)| n == '\n') { 2 } else { 1 };
                let word_end = chars.get(k + len).map_or(end, |&(j, _)| j);
                out.push(word(text, i, word_end, None));
                k += len;
            }
        }
    }
}

fn word<'a>(text: &'a str, start: usize, end: usize, tag: Option<&'static str>) -> Word<'a> {
    let w = &text[start..end];
    let tag = tag.or_else(|| table::word(w).map(|e| e.tag)).unwrap_or_else(|| guess_tag(w));
    Word { text: w, tag, start, end }
}

/// Cuts one run of dictionary characters, `chars` (byte offset, character),
/// which ends at byte `run_end` of `text`.
fn cut_run<'a>(text: &'a str, chars: &[(usize, char)], run_end: usize, out: &mut Vec<Word<'a>>) {
    let n = chars.len();
    let byte_at = |k: usize| chars.get(k).map_or(run_end, |&(i, _)| i);
    let log_total = LOG_TOTAL;
    let mut route = vec![Step { prob: 0.0, end: n, freq: 0, tag: "" }; n + 1];
    for idx in (0..n).rev() {
        let mut best: Option<Step> = None;
        let mut key = Key::EMPTY;
        for next in idx..n {
            let bytes = &text.as_bytes()[byte_at(next)..byte_at(next + 1)];
            key = key.push(bytes);
            match table::find(key, &text.as_bytes()[byte_at(idx)..byte_at(next + 1)]) {
                None => break,
                Some(Found::Prefix) => {}
                Some(Found::Word(entry)) => {
                    let end = next + 1;
                    let prob = f64::from(entry.freq).ln() - log_total + route[end].prob;
                    if best.is_none_or(|b| prob > b.prob || (prob == b.prob && end > b.end)) {
                        best = Some(Step { prob, end, freq: entry.freq, tag: entry.tag });
                    }
                }
            }
        }
        route[idx] = best.unwrap_or(Step {
            prob: (0.0 - log_total) + route[idx + 1].prob,
            end: idx + 1,
            freq: 0,
            tag: "",
        });
    }
    // Walk the path; single ASCII letters and digits in a row make one word.
    let mut x = 0;
    let mut ascii_run: Option<usize> = None;
    while x < n {
        let step = route[x];
        if step.end - x == 1 && chars[x].1.is_ascii_alphanumeric() {
            ascii_run.get_or_insert(x);
        } else {
            if let Some(from) = ascii_run.take() {
                out.push(word(text, byte_at(from), byte_at(x), None));
            }
            let tag = (step.freq > 0).then_some(step.tag);
            out.push(word(text, byte_at(x), byte_at(step.end), tag));
        }
        x = step.end;
    }
    if let Some(from) = ascii_run {
        out.push(word(text, byte_at(from), byte_at(n), None));
    }
}
