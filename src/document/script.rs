//! Character classes the rules reason with: which script a character belongs
//! to and what role a punctuation mark plays. Hand-written ranges rather than a
//! Unicode property table because these run on every character and the ASCII
//! and CJK cases must stay branch-cheap.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Han,
    Hiragana,
    Katakana,
    Hangul,
    Bopomofo,
    /// Letters and digits of alphabetic scripts (Latin, Greek, Cyrillic …).
    Alphabetic,
    Other,
}

pub fn script(c: char) -> Script {
    let u = c as u32;
    if u < 0x80 {
        return if c.is_ascii_alphanumeric() { Script::Alphabetic } else { Script::Other };
    }
    match u {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3005 | 0x3007 => {
            Script::Han
        }
        0x3040..=0x309F => Script::Hiragana,
        0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Katakana,
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Script::Hangul,
        0x3100..=0x312F | 0x31A0..=0x31BF => Script::Bopomofo,
        // Full-width Latin letters and digits read as their ASCII forms.
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Alphabetic,
        _ if is_common_punctuation(c) => Script::Other,
        _ if c.is_alphanumeric() => Script::Alphabetic,
        _ => Script::Other,
    }
}

/// CJK and full-width punctuation and general punctuation (“”…—): none of it
/// is a letter or digit. Answered by ranges rather than by the Unicode tables,
/// which cost a binary search, as it is in every CJK clause.
#[inline]
pub fn is_common_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x3004
        | 0x3008..=0x3020
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65
        | 0x2000..=0x206F)
}

/// The hanzi of the CJK Unified Ideographs block (U+4E00..=U+9FFF) whose
/// three UTF-8 bytes start at `i`, decoded without the general decoder.
#[inline]
pub fn han_at(bytes: &[u8], i: usize) -> Option<char> {
    han_code_at(bytes, i).and_then(char::from_u32)
}

/// [`han_at`]'s code point, for a rule that keys every hanzi of a text by
/// its number: one bounds check for the three bytes, and no check that the
/// number is a `char` (no hanzi is a surrogate).
#[inline]
pub fn han_code_at(bytes: &[u8], i: usize) -> Option<u32> {
    let lead = *bytes.get(i)?;
    if !(0xE4..=0xE9).contains(&lead) {
        return None;
    }
    // `i` is an index of the slice: `i + 3` does not overflow.
    let &[_, b1, b2] = bytes.get(i..i + 3)? else { return None };
    let u = (u32::from(lead & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
    // U+4000..=U+4DFF share lead byte E4 with U+4E00: not all of them are hanzi.
    (u >= 0x4E00).then_some(u)
}

/// Han, kana, Hangul or Bopomofo: scripts written without spaces between words.
#[inline]
pub fn is_cjk(c: char) -> bool {
    // Most characters asked about are ASCII or the main Han block: answered
    // here, without the call and the ranges of `script`.
    if c.is_ascii() {
        return false;
    }
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(
            script(c),
            Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo
        )
}

/// Marks that end a sentence in CJK text on their own.
pub fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '…' | '｡' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Marks that may end a sentence in Latin text when followed by a space.
pub fn is_latin_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

/// Closing quotes and brackets, which belong to the sentence they close.
pub fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’'
            | '」'
            | '』'
            | '）'
            | '》'
            | '】'
            | '〕'
            | '〉'
            | '〗'
            | '〙'
            | ')'
            | ']'
            | '}'
            | '"'
            | '\''
            | '»'
            | '›'
            | '＂'
            | '］'
            | '｝'
    )
}

/// Opening quotes and brackets, which belong to the sentence they open.
pub fn is_opener(c: char) -> bool {
    matches!(
        c,
        '“' | '‘'
            | '「'
            | '『'
            | '（'
            | '《'
            | '【'
            | '〔'
            | '〈'
            | '〖'
            | '〘'
            | '('
            | '['
            | '{'
            | '«'
            | '‹'
            | '［'
            | '｛'
    )
}

/// The partner of an opening bracket or quote.
pub fn closer_of(c: char) -> Option<char> {
    Some(match c {
        '“' => '”',
        '‘' => '’',
        '「' => '」',
        '『' => '』',
        '（' => '）',
        '《' => '》',
        '【' => '】',
        '〔' => '〕',
        '〈' => '〉',
        '〖' => '〗',
        '(' => ')',
        '[' => ']',
        '«' => '»',
        '［' => '］',
        _ => return None,
    })
}

/// Punctuation that only ever stands inside a sentence: a block that starts
/// with one began mid-sentence.
pub fn is_clause_punct(c: char) -> bool {
    matches!(c, '，' | '、' | '；' | ',' | ';' | '：')
}

/// Folds full-width ASCII forms (Ａ, １, ！) and the ideographic space to their
/// half-width counterparts, so that copies that differ only in width compare equal.
pub fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The object replacement character stands in prose text for inline code, images
/// and other non-prose inline content, so a sentence keeps its shape without its
/// code being linted.
pub const PLACEHOLDER: char = '\u{FFFC}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(script('中'), Script::Han);
        assert_eq!(script('の'), Script::Hiragana);
        assert_eq!(script('カ'), Script::Katakana);
        assert_eq!(script('한'), Script::Hangul);
        assert_eq!(script('ㄅ'), Script::Bopomofo);
        assert_eq!(script('é'), Script::Alphabetic);
        assert_eq!(script('，'), Script::Other);
        assert!(is_cjk('々'));
        assert!(!is_cjk('a'));
    }

    /// The punctuation shortcut answers what the Unicode tables would.
    #[test]
    fn punctuation_shortcut_agrees_with_unicode() {
        let mut shortcut = 0;
        for c in (0..0x1_0000).filter_map(char::from_u32).filter(|&c| is_common_punctuation(c)) {
            assert!(!c.is_alphanumeric(), "{c:?} is alphanumeric");
            assert_eq!(script(c), Script::Other);
            assert!(!fold_width(c).is_alphanumeric(), "{c:?} folds to a letter");
            shortcut += 1;
        }
        assert_eq!(shortcut, 5 + 25 + 15 + 7 + 6 + 11 + 112);
    }

    /// Every character of the Basic Multilingual Plane and a few beyond,
    /// alone and cut short: the three-byte reading finds the main Han block
    /// and nothing else.
    #[test]
    fn hanzi_are_read_by_their_bytes() {
        for c in (0..0x1_0000).chain([0x1_F600, 0x2_0000]).filter_map(char::from_u32) {
            let mut buffer = [0; 4];
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            let hanzi = ('\u{4E00}'..='\u{9FFF}').contains(&c);
            assert_eq!(han_at(bytes, 0), hanzi.then_some(c), "{c:?}");
            assert_eq!(han_code_at(bytes, 0), hanzi.then_some(u32::from(c)), "{c:?}");
            assert_eq!(han_at(&bytes[..bytes.len() - 1], 0), None, "{c:?} cut short");
        }
    }

    #[test]
    fn width_folding() {
        assert_eq!(fold_width('Ａ'), 'A');
        assert_eq!(fold_width('！'), '!');
        assert_eq!(fold_width('　'), ' ');
        assert_eq!(fold_width('中'), '中');
        assert_eq!(closer_of('《'), Some('》'));
    }
}
