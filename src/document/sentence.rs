//! Sentence segmentation for Chinese, Japanese, English and mixed text.
//!
//! A hand-written splitter rather than unicode-segmentation's: UAX #29 attaches
//! an opening bracket to the previous sentence and does not end sentences at
//! `……` or `；`, both of which matter in Chinese. For Latin terminators it
//! follows the UAX #29 rules that matter in prose (a `.` followed by a
//! lower-case word or directly by a letter or digit does not end a sentence)
//! and adds an abbreviation list, so "Mr. Smith" and "e.g. this" stay whole.

use super::script::{is_cjk, is_cjk_terminator, is_closer, is_latin_terminator, is_opener};
use std::ops::Range;

/// Splits `text` into sentences; each range is trimmed of surrounding whitespace
/// and none is empty.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let b = bytes[i];
        // ASCII fast path: only three ASCII bytes can end a sentence.
        if b < 0x80 {
            if matches!(b, b'.' | b'!' | b'?')
                && let Some(end) = latin_boundary(text, i)
            {
                push_trimmed(text, start..end, &mut out);
                start = end;
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if is_cjk_terminator(c) {
            let end = skip_closers(text, skip_terminators(text, i));
            push_trimmed(text, start..end, &mut out);
            start = end;
            i = end;
            continue;
        }
        i += c.len_utf8();
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn skip_terminators(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if is_cjk_terminator(c) || is_latin_terminator(c) || c == '！' || c == '？' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

fn skip_closers(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if is_closer(c) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Where a sentence ends if the Latin terminator at `i` ends one.
fn latin_boundary(text: &str, i: usize) -> Option<usize> {
    let is_period = text.as_bytes()[i] == b'.';
    let end = skip_closers(text, skip_terminators(text, i));
    let rest = &text[end..];
    let Some(next) = rest.chars().next() else {
        return Some(end);
    };
    if is_cjk(next) {
        // "OK.然后": mixed text runs on without a space.
        return Some(end);
    }
    if !next.is_whitespace() {
        // "3.14", "U.S", "example.com", "?!)": not a boundary.
        return None;
    }
    if is_period {
        if is_abbreviation(&text[..i]) {
            return None;
        }
        let after = rest.trim_start().trim_start_matches(is_opener);
        if after.chars().next().is_some_and(|c| c.is_lowercase()) {
            return None;
        }
    }
    Some(end)
}

/// Words that end in a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "e.g", "i.e", "a.m", "p.m", "inc", "ltd", "co",
    "corp", "no", "nos", "fig", "figs", "eq", "vol", "pp", "cf", "approx", "dept", "gen", "gov", "lt", "col",
    "capt", "sgt", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "u.s", "u.k", "u.n", "ph.d", "et al", "al",
];

fn is_abbreviation(before: &str) -> bool {
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // A single letter is an initial ("J. R. R. Tolkien").
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str()) || (lower.contains('.') && lower.len() <= 6)
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn chinese_terminators_and_closers() {
        assert_eq!(
            sentences("他说：“好。”我们走吧！真的？是的……然后；结束"),
            ["他说：“好。”", "我们走吧！", "真的？", "是的……", "然后；", "结束"]
        );
    }

    #[test]
    fn opening_bracket_starts_next_sentence() {
        assert_eq!(sentences("第一句。（第二句。）"), ["第一句。", "（第二句。）"]);
    }

    #[test]
    fn english_abbreviations_and_numbers() {
        assert_eq!(
            sentences("Mr. Smith met Dr. Jones at 5 p.m. today. Pi is 3.14, e.g. roughly. Done!"),
            ["Mr. Smith met Dr. Jones at 5 p.m. today.", "Pi is 3.14, e.g. roughly.", "Done!"]
        );
    }

    #[test]
    fn lowercase_after_period_is_no_boundary() {
        assert_eq!(sentences("See the docs. then go."), ["See the docs. then go."]);
        assert_eq!(sentences("He said \"stop.\" Then left."), ["He said \"stop.\"", "Then left."]);
    }

    #[test]
    fn mixed_text() {
        assert_eq!(sentences("We use Rust. 它很快。Really?"), ["We use Rust.", "它很快。", "Really?"]);
    }

    #[test]
    fn initials() {
        assert_eq!(sentences("J. R. R. Tolkien wrote it."), ["J. R. R. Tolkien wrote it."]);
    }
}
