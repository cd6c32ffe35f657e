//! Text measures and normalisation that make CJK and Latin comparable.

use crate::document::ascii;
use crate::document::script::{PLACEHOLDER, fold_width, han_at, is_cjk, is_common_punctuation};
#[cfg(target_arch = "x86_64")]
use crate::document::simd;

/// Length in "units" comparable across scripts: one per CJK character, two
/// per alphabetic word (a word carries about as much as two hanzi).
pub fn weighted_length(text: &str) -> usize {
    weighted_length_up_to(text, usize::MAX)
}

/// [`weighted_length`], but counting stops at `cap`: enough to compare with
/// a threshold without reading a long paragraph to its end.
///
/// Every block that might be a copy is measured, so the common cases take
/// short ways: sixteen or eight ASCII bytes at once, whose words are counted
/// by where a run of letters and digits starts, and four hanzi or one by
/// their lead bytes.
pub fn weighted_length_up_to(text: &str, cap: usize) -> usize {
    let bytes = text.as_bytes();
    let mut count = Units::default();
    let mut at = 0;
    while at < bytes.len() {
        // Sixteen bytes at a time where the text allows: ASCII letters and
        // digits, or up to four hanzi.
        #[cfg(target_arch = "x86_64")]
        if bytes[at].is_ascii() {
            if let Some(letters) = simd::sse2::alnum16(&bytes[at..]) {
                let starts = letters & !((letters << 1) | u32::from(count.in_word));
                count.units += 2 * starts.count_ones() as usize;
                count.in_word = letters >> 15 != 0;
                at += 16;
                if count.units >= cap {
                    return cap;
                }
                continue;
            }
        } else if let Some(run @ 1..) = simd::sse2::leading_han4(&bytes[at..]) {
            count.units += run;
            count.in_word = false;
            at += 3 * run;
            if count.units >= cap {
                return cap;
            }
            continue;
        }
        if bytes[at].is_ascii()
            && let Some(word) = ascii::load8(bytes, at).filter(|w| w & ascii::HIGH_BITS == 0)
        {
            let letters = ascii::alnum_bytes(word);
            // A letter whose byte before (or, for the first, the character
            // before) is none starts a word.
            let starts = letters & !((letters << 8) | (u64::from(count.in_word) << 7));
            count.units += 2 * ascii::high_bit_count(starts);
            count.in_word = letters >> 63 != 0;
            at += 8;
        } else if han_at(bytes, at).is_some() {
            count.units += 1;
            count.in_word = false;
            at += 3;
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            count.add(c);
            at += c.len_utf8();
        }
        if count.units >= cap {
            return cap;
        }
    }
    count.units
}

/// A weighted length being counted a character at a time.
#[derive(Default)]
struct Units {
    units: usize,
    /// Whether the last character was a letter or digit of a word.
    in_word: bool,
}

impl Units {
    fn add(&mut self, c: char) {
        // ASCII is tested first: the CJK ranges cost more than the rest.
        let (cjk, letter) = if c.is_ascii() {
            (false, c.is_ascii_alphanumeric())
        } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            (true, false)
        } else if is_common_punctuation(c) {
            (false, false)
        } else if is_cjk(c) {
            (true, false)
        } else {
            (false, c.is_alphanumeric() && c != PLACEHOLDER)
        };
        if cjk {
            self.units += 1;
        } else if letter && !self.in_word {
            self.units += 2;
        }
        self.in_word = letter;
    }
}

/// Number of CJK characters.
pub fn cjk_count(text: &str) -> usize {
    text.chars().filter(|&c| is_cjk(c)).count()
}

/// Calls `f` with each character that carries meaning, normalised: white
/// space, punctuation and symbols dropped, widths folded, case folded.
pub fn for_each_normalized(text: &str, mut f: impl FnMut(char)) {
    for c in text.chars() {
        normalize_char(c, &mut f);
    }
}

/// [`for_each_normalized`]'s step: `c` normalised, to `f` (once, or never,
/// or for a few letters whose lower case is longer, more than once).
#[inline]
fn normalize_char(c: char, mut f: impl FnMut(char)) {
    // Fast paths: ASCII needs only case folding; hanzi and kana need no
    // folding and are letters.
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            f(c.to_ascii_lowercase());
        }
        return;
    }
    if ('\u{3040}'..='\u{9FFF}').contains(&c) {
        f(c);
        return;
    }
    // Punctuation, full-width too, normalises to nothing.
    if is_common_punctuation(c) {
        return;
    }
    let c = fold_width(c);
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            f(c.to_ascii_lowercase());
        }
    } else if c.is_alphanumeric() {
        if c.is_lowercase() || !c.is_uppercase() {
            f(c);
        } else {
            c.to_lowercase().for_each(&mut f);
        }
    }
}

/// [`normalize_into`] a slice of `text` at a time, each slice's normalised
/// characters given to `f` in order: the buffer stays the size of a slice
/// however long a block is (a paragraph of 100 MB is one block).
pub fn for_each_normalized_slice(text: &str, buffer: &mut Vec<char>, f: impl FnMut(&[char])) {
    normalized_slices(text, NORMALIZE_SLICE, buffer, f);
}

/// Bytes of text normalised at a time: the buffer, four bytes a character,
/// stays in the core's cache.
const NORMALIZE_SLICE: usize = 16 << 10;

fn normalized_slices(text: &str, size: usize, buffer: &mut Vec<char>, mut f: impl FnMut(&[char])) {
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (slice, after) = rest.split_at(end);
        f(normalize_into(slice, buffer));
        rest = after;
    }
}

/// The characters [`for_each_normalized`] gives, written into `buffer`
/// (grown as needed, never shrunk, its old contents overwritten), for a
/// caller that reads every character of every block. Sixteen bytes of
/// ASCII (where the processor has SSSE3, see [`simd`]) or eight are read
/// at once and their letters and digits kept without a branch per byte:
/// "letter or not?" asked a byte at a time mispredicts at the end of every
/// English word.
pub fn normalize_into<'b>(text: &str, buffer: &'b mut Vec<char>) -> &'b [char] {
    #[cfg(target_arch = "x86_64")]
    if simd::available() {
        // SAFETY: the processor has SSSE3.
        return unsafe { normalize_into_ssse3(text, buffer) };
    }
    normalize_into_with(text, buffer, |_, _| (0, 0), |_, _| (0, 0))
}

/// [`normalize_into`] compiled for SSSE3, sixteen bytes at a time where it can.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
fn normalize_into_ssse3<'b>(text: &str, buffer: &'b mut Vec<char>) -> &'b [char] {
    use simd::x86;
    normalize_into_with(text, buffer, |b, out| x86::normalize_ascii(b, out), |b, out| x86::decode_han(b, out))
}

/// [`normalize_into`]'s loop, given what reads sixteen bytes at a time:
/// `ascii` the letters and digits of ASCII, `han` hanzi (see
/// [`simd::x86`]; both read nothing where the processor cannot).
#[inline(always)]
fn normalize_into_with<'b>(
    text: &str,
    buffer: &'b mut Vec<char>,
    ascii: impl Fn(&[u8], &mut [char]) -> (usize, usize),
    han: impl Fn(&[u8], &mut [char]) -> (usize, usize),
) -> &'b [char] {
    // Room for the eight written at once past the last character kept.
    if buffer.len() < text.len() + 8 {
        buffer.resize(text.len() + 8, '\0');
    }
    let bytes = text.as_bytes();
    let (mut read, mut kept) = (0, 0);
    while read < bytes.len() {
        let byte = bytes[read];
        if byte < 0x80 {
            // Sixteen at a time where the processor can pack them.
            let (ascii_read, ascii_kept) = ascii(&bytes[read..], &mut buffer[kept..]);
            if ascii_read > 0 {
                read += ascii_read;
                kept += ascii_kept;
                continue;
            }
            if let Some(eight) = ascii::load8(bytes, read)
                && eight & ascii::HIGH_BITS == 0
            {
                let keep = ascii::alnum_bytes(eight);
                let lower = ascii::to_lowercase(eight).to_le_bytes();
                // One bounds check for the eight: `kept` moves on by at most
                // one a byte.
                let room = &mut buffer[kept..kept + 8];
                let mut at = 0;
                for (k, &byte) in lower.iter().enumerate() {
                    // Written whatever it is; counted, and so kept, if it is
                    // a letter or digit.
                    room[at] = char::from(byte);
                    at += ((keep >> (8 * k + 7)) & 1) as usize;
                }
                kept += at;
                read += 8;
            } else {
                buffer[kept] = char::from(byte.to_ascii_lowercase());
                kept += usize::from(byte.is_ascii_alphanumeric());
                read += 1;
            }
            continue;
        }
        // Hanzi, most of Chinese text, are kept as they are, a run at a time:
        // four at a time where the processor can spread them, then three
        // bytes at a time, from slices, with no bounds check per hanzi.
        let (han_read, han_kept) =
            if (0xE4..=0xE9).contains(&byte) { han(&bytes[read..], &mut buffer[kept..]) } else { (0, 0) };
        if han_read > 0 {
            read += han_read;
            kept += han_kept;
            continue;
        }
        let mut run = 0;
        for (slot, chunk) in buffer[kept..].iter_mut().zip(bytes[read..].chunks_exact(3)) {
            let Some(c) = han_at(chunk, 0) else { break };
            *slot = c;
            run += 1;
        }
        if run > 0 {
            kept += run;
            read += 3 * run;
            continue;
        }
        let c = text[read..].chars().next().expect("read stops at the end");
        read += c.len_utf8();
        normalize_char(c, |c| {
            // No character normalises to more characters than it has bytes
            // (the longest lower case, "İ" to "i̇", is two of each), so the
            // room made for one character a byte suffices; grown here
            // should a case mapping ever outgrow it.
            if kept + 8 >= buffer.len() {
                buffer.resize(kept + 16, '\0');
            }
            buffer[kept] = c;
            kept += 1;
        });
    }
    &buffer[..kept]
}

/// A hash of the normalised text (see [`for_each_normalized`]); 0 for text
/// with nothing left after normalisation. No allocation.
pub fn normalized_key(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    let mut any = false;
    for_each_normalized(text, |c| {
        any = true;
        h.write_u32(c as u32);
    });
    if any { h.finish() | 1 } else { 0 }
}

/// A case-insensitive key of one token: equal keys, equal tokens up to case
/// (bar hash collisions of long words). No allocation; short ASCII words and
/// single characters are packed, not hashed, as repeated-phrase keys every
/// token of every block.
#[inline]
pub fn token_key(text: &str) -> u64 {
    use std::hash::Hasher;
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        return ascii_token_key(bytes);
    }
    // One caseless character: itself. (Not "é": it must key as "É" does.)
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c >= '\u{3000}'
    {
        return cjk_key(c);
    }
    let mut h = rustc_hash::FxHasher::default();
    for c in text.chars() {
        // CJK has no case: skip the lower-case table.
        if c >= '\u{3000}' || !c.is_uppercase() {
            h.write_u32(c as u32);
        } else {
            c.to_lowercase().for_each(|l| h.write_u32(l as u32));
        }
    }
    h.finish() & !(3 << 62)
}

/// [`token_key`] of the token `range` of `bytes` if it is at most seven
/// bytes, all ASCII, and eight bytes can be read from its start: most words
/// of English text, keyed with no loop over their bytes.
#[inline]
pub fn short_ascii_key(bytes: &[u8], range: std::ops::Range<usize>) -> Option<u64> {
    let len = range.len();
    let word = ascii::load8(bytes, range.start).filter(|_| len <= 7)?;
    let word = word & ((1 << (8 * len)) - 1);
    (word & ascii::HIGH_BITS == 0).then(|| short_ascii_key_of_lowered(ascii::to_lowercase(word)))
}

/// [`short_ascii_key`] of a word its caller has already lower-cased
/// ([`ascii::lowered_word`] with seven bytes at most).
#[inline]
pub fn short_ascii_key_of_lowered(lower: u64) -> u64 {
    (1 << 63) | lower
}

/// [`token_key`] of a token all of ASCII, for a caller that knows it is.
#[inline]
pub fn ascii_token_key(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    // Tags keep the three forms apart: packed ASCII has bit 63 set, a single
    // caseless character's bytes bit 62, hashes neither.
    if bytes.len() <= 7 {
        let mut key = 1 << 63;
        for (i, b) in bytes.iter().enumerate() {
            key |= u64::from(b.to_ascii_lowercase()) << (8 * i);
        }
        return key;
    }
    let mut h = rustc_hash::FxHasher::default();
    for b in bytes {
        h.write_u8(b.to_ascii_lowercase());
    }
    h.finish() & !(3 << 62)
}

/// The key of one CJK character: CJK has no case, so the character is the
/// key, tagged apart from [`token_key`]'s packed words and hashes.
#[inline]
pub fn cjk_key(c: char) -> u64 {
    cjk_key_of_code(u32::from(c))
}

/// [`cjk_key`] of the character whose code point is `code`.
#[inline]
pub fn cjk_key_of_code(code: u32) -> u64 {
    (1 << 62) | u64::from(code)
}

/// The normalised text as a string (see [`for_each_normalized`]).
pub fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_normalized(text, |c| out.push(c));
    out
}

/// The first `n` characters of `text` (all of it if shorter): a window for
/// reading a paragraph's start without decoding the rest.
pub fn first_chars(text: &str, n: usize) -> &str {
    &text[..text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)]
}

/// The last `n` characters of `text` (all of it if shorter).
pub fn last_chars(text: &str, n: usize) -> &str {
    match n.checked_sub(1) {
        Some(back) => &text[text.char_indices().rev().nth(back).map_or(0, |(i, _)| i)..],
        None => &text[text.len()..],
    }
}

/// Quotes a piece of text for a message, shortened to `max` characters.
pub fn quote(text: &str, max: usize) -> String {
    let text = text.trim();
    let count = text.chars().count();
    if count <= max {
        format!("“{text}”")
    } else {
        let head: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("“{head}…”")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_of_characters() {
        assert_eq!(first_chars("书目，组织", 2), "书目");
        assert_eq!(last_chars("必读书目", 2), "书目");
        assert_eq!(first_chars("书", 4), "书");
        assert_eq!(last_chars("书", 4), "书");
        assert_eq!(last_chars("书", 0), "");
    }

    #[test]
    fn weights() {
        assert_eq!(weighted_length("## 示例"), 2);
        assert_eq!(weighted_length("Returns the value"), 6);
        assert_eq!(weighted_length("Rust很快"), 4);
    }

    #[test]
    fn token_keys_ignore_case_only() {
        assert_eq!(token_key("The"), token_key("the"));
        assert_eq!(token_key("É"), token_key("é"));
        assert_eq!(token_key("Straße"), token_key("STRAẞE".to_lowercase().as_str()));
        assert_eq!(token_key("中"), cjk_key('中'));
        assert_ne!(token_key("ab"), token_key("abc"));
        assert_ne!(token_key("internationalisation"), token_key("internationalization"));
        // The three forms (packed word, one character, hash) never meet.
        assert_ne!(token_key("a"), cjk_key('a'));
    }

    /// The measure a character at a time, as it was before it read eight
    /// ASCII bytes at once.
    fn weighted_length_by_chars(text: &str, cap: usize) -> usize {
        let mut count = Units::default();
        for c in text.chars() {
            count.add(c);
            if count.units >= cap {
                return cap;
            }
        }
        count.units
    }

    proptest::proptest! {
        /// Sixteen or eight bytes at a time, words and hanzi are counted as
        /// they are a character at a time, wherever the words start and the
        /// cap falls (the second pattern: runs of hanzi, and U+4DC0, which
        /// shares their lead byte).
        #[test]
        fn weighted_length_is_counted_as_by_characters(
            text in "[a-zA-Z0-9 ,.'Ａ１中国。あİß\u{FFFC}\n-]{0,80}|([中国的人䷀]{1,9}[，a 。]){0,8}",
            cap in 1usize..30,
        ) {
            proptest::prop_assert_eq!(weighted_length(&text), weighted_length_by_chars(&text, usize::MAX));
            proptest::prop_assert_eq!(weighted_length_up_to(&text, cap), weighted_length_by_chars(&text, cap));
        }
    }

    proptest::proptest! {
        /// Eight bytes at a time, a short ASCII word keys as `token_key`
        /// keys it; anything else is left to `token_key`.
        #[test]
        fn short_ascii_keys_are_token_keys(text in "[a-zA-Z0-9'é中 ]{0,12}", start in 0usize..12, len in 0usize..10) {
            let start = start.min(text.len());
            let end = (start + len).min(text.len());
            proptest::prop_assume!(text.is_char_boundary(start) && text.is_char_boundary(end));
            let key = short_ascii_key(text.as_bytes(), start..end);
            let word = &text[start..end];
            if word.len() <= 7 && word.is_ascii() && start + 8 <= text.len() {
                proptest::prop_assert_eq!(key, Some(token_key(word)));
            } else {
                proptest::prop_assert_eq!(key, None);
            }
        }
    }

    proptest::proptest! {
        /// Written out eight bytes at a time, the normalised characters are
        /// the ones `for_each_normalized` gives, in a buffer used before.
        #[test]
        fn normalize_into_gives_for_each_normalized(
            texts in proptest::collection::vec("[a-zA-Z0-9 ,.'Ａ１中。İß-]{0,70}", 1..4)
        ) {
            let mut buffer = Vec::new();
            for text in &texts {
                let mut expected = Vec::new();
                for_each_normalized(text, |c| expected.push(c));
                proptest::prop_assert_eq!(normalize_into(text, &mut buffer), &expected[..]);
            }
        }
    }

    proptest::proptest! {
        /// Normalised a slice at a time, a text gives the characters it
        /// gives whole, slices cut inside no character.
        #[test]
        fn slices_normalise_as_the_whole(text in "[a-zA-Z0-9 ,.Ａ１中。İß-]{0,40}", size in 1usize..12) {
            let (mut whole, mut sliced, mut buffer) = (Vec::new(), Vec::new(), Vec::new());
            for_each_normalized(&text, |c| whole.push(c));
            normalized_slices(&text, size, &mut buffer, |chars| sliced.extend_from_slice(chars));
            proptest::prop_assert_eq!(sliced, whole);
        }
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalized("ＡＢＣ　Test， 中文!"), "abctest中文");
        assert_eq!(quote("一二三四五", 3), "“一二…”");
    }
}
