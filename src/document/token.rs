//! Tokens: words for alphabetic scripts, single characters for CJK, numbers,
//! URLs and punctuation. Whitespace is not a token. Offsets are bytes into the
//! block's prose text.

use super::ascii;
use super::script::{PLACEHOLDER, Script, han_at, han_code_at, is_common_punctuation, script};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    /// One CJK character; the script says which.
    Cjk(Script),
    Punct,
    /// Inline code, an image or other non-prose content.
    Placeholder,
    Url,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// The character of a hanzi token (`TokenKind::Cjk(Script::Han)`),
    /// decoded from its three bytes: a rule that reads every character of a
    /// Chinese text needs no general decoder, nor a slice, per token.
    #[inline]
    pub fn han(&self, text: &str) -> Option<char> {
        han_at(text.as_bytes(), self.start)
    }
}

/// All tokens of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 3);
    tokens.extend(Tokens::new(text));
    tokens
}

/// Tokens are made on demand, not stored with the document: most rules look
/// at one end of a block only, and stored tokens cost more memory than the
/// text itself (one per CJK character).
///
/// The cursor walks bytes, not `CharIndices`: ASCII (most of any Latin text,
/// all of its spaces and markup) is classified by byte without decoding, and
/// an ASCII word is one tight loop. Every tokenized byte of every block goes
/// through here, so this is the hottest loop of repeated-phrase.
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens { text, pos: 0 }
    }

    /// A word or number starting at `start`: alphabetic characters and
    /// combining marks, with inner apostrophes and hyphens (and, in numbers,
    /// decimal points and digit group commas).
    fn word(&self, start: usize, first: char) -> Token {
        let text = self.text;
        let bytes = text.as_bytes();
        let numeric = first.is_ascii_digit() || ('０'..='９').contains(&first);
        let mut end = start + first.len_utf8();
        while end < bytes.len() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                end += 1;
                continue;
            }
            let n = if b < 0x80 { b as char } else { char_at(text, end) };
            let joins = b >= 0x80 && (script(n) == Script::Alphabetic || is_combining(n));
            let inner = matches!(n, '\'' | '’' | '-' | '.' | ',')
                && text[end + n.len_utf8()..].chars().next().is_some_and(|m| script(m) == Script::Alphabetic)
                && (n != '.' && n != ',' || numeric);
            if !(joins || inner) {
                break;
            }
            end += n.len_utf8();
        }
        let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
        Token { kind, start, end }
    }
}

impl Tokens<'_> {
    /// Hands the hanzi that come next, up to the first other token, to `f`
    /// by their code points, up to sixteen at a time, instead of making a
    /// token of each; returns where they end. Most of a Chinese text is such
    /// runs, and a rule that keys every character needs nothing else of
    /// them. A batch at a time, the caller's loop over them keeps its
    /// vectors' lengths in registers: given one hanzi at a time, a rule
    /// that pushed a key for each stored and reloaded them at every hanzi.
    #[inline]
    pub fn han_run(&mut self, mut f: impl FnMut(&[u32])) -> usize {
        let bytes = self.text.as_bytes();
        let mut batch = [0u32; 16];
        loop {
            let mut n = 0;
            // Three bytes at a time, from a slice: no bounds check per hanzi.
            for (slot, chunk) in batch.iter_mut().zip(bytes[self.pos..].chunks_exact(3)) {
                let Some(code) = han_code_at(chunk, 0) else { break };
                *slot = code;
                n += 1;
            }
            self.pos += 3 * n;
            if n > 0 {
                f(&batch[..n]);
            }
            if n < batch.len() {
                return self.pos;
            }
        }
    }
}

impl Tokens<'_> {
    /// [`Tokens::word`] for a word that starts with an ASCII letter or
    /// digit: its ASCII letters and digits are read here, and only a word
    /// that goes on with an apostrophe, a hyphen, a point, a comma or a
    /// non-ASCII character is read again the general way. Most words of
    /// English text end at a space or a stop.
    // Always inlined, as `next` is.
    #[inline(always)]
    fn ascii_word(&self, start: usize) -> Token {
        let bytes = self.text.as_bytes();
        let end = ascii::alnum_end(bytes, start + 1);
        let numeric = bytes[start].is_ascii_digit();
        // What `word` would join on: a non-ASCII letter or mark, or an inner
        // mark before a letter or digit ("don't", "x-ray", "3.14"; a point or
        // comma in numbers only). A word that ends a clause ("word," or
        // "word.") is not read twice.
        let joins_after = |i: usize| bytes.get(i).is_some_and(|&n| n >= 0x80 || n.is_ascii_alphanumeric());
        let general = match bytes.get(end) {
            Some(&b) if b >= 0x80 => true,
            Some(b'\'' | b'-') => joins_after(end + 1),
            Some(b'.' | b',') => numeric && joins_after(end + 1),
            _ => false,
        };
        if general {
            return self.word(start, char::from(bytes[start]));
        }
        let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
        Token { kind, start, end }
    }
}

impl Tokens<'_> {
    /// The next token if it is a word of one to seven ASCII letters and
    /// digits that starts with a letter, with them lower-cased (the first in
    /// the lowest byte): most tokens of English, read in one load for the
    /// token and for what a rule keys and hashes it by. `None`, with only
    /// spaces read, when the next token is anything else or too near the
    /// end of the text to load eight bytes: [`Iterator::next`] reads it then.
    #[inline]
    pub fn short_ascii_word(&mut self) -> Option<(Token, u64)> {
        let bytes = self.text.as_bytes();
        let mut start = self.pos;
        while bytes.get(start) == Some(&b' ') {
            start += 1;
        }
        self.pos = start;
        // Told by its first byte, before the load: in Chinese text the next
        // token is seldom a word.
        let first = *bytes.get(start)?;
        if !first.is_ascii_alphabetic()
            || (first == b'h' || first == b'w') && is_url_start(&self.text[start..])
        {
            return None;
        }
        let word = ascii::load8(bytes, start)?;
        let stops = !ascii::alnum_bytes(word) & ascii::HIGH_BITS;
        if stops == 0 {
            return None;
        }
        let len = (stops.trailing_zeros() / 8) as usize;
        // What `ascii_word` may join on: a non-ASCII letter or mark, or an
        // inner apostrophe or hyphen (a word of letters joins no point or
        // comma). Left to it.
        let after = (word >> (8 * len)) as u8;
        if after >= 0x80 || after == b'\'' || after == b'-' {
            return None;
        }
        self.pos = start + len;
        let lower = ascii::to_lowercase(word & ((1 << (8 * len)) - 1));
        Some((Token { kind: TokenKind::Word, start, end: start + len }, lower))
    }
}

/// The character starting at byte `i` (a char boundary).
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    // Always inlined: repeated-phrase's loop over every token of every
    // block calls it, and left to fat LTO it was not inlined there (43.6M
    // instructions on one 10 MB file, 21M more than inlined).
    #[inline(always)]
    fn next(&mut self) -> Option<Token> {
        let text = self.text;
        let bytes = text.as_bytes();
        while self.pos < bytes.len() {
            let start = self.pos;
            let b = bytes[start];
            // Hanzi first: one CJK character is one token, and in Chinese text
            // nearly every token is one.
            if han_at(bytes, start).is_some() {
                self.pos = start + 3;
                return Some(Token { kind: TokenKind::Cjk(Script::Han), start, end: start + 3 });
            }
            // ASCII, all of English text's spaces, letters and punctuation,
            // is classified by its byte.
            if b < 0x80 {
                if matches!(b, b' ' | b'\t'..=b'\r') {
                    self.pos += 1;
                    continue;
                }
                let token = if !b.is_ascii_alphanumeric() {
                    Token { kind: TokenKind::Punct, start, end: start + 1 }
                } else if (b == b'h' || b == b'w') && is_url_start(&text[start..]) {
                    Token { kind: TokenKind::Url, start, end: start + url_len(&text[start..]) }
                } else {
                    self.ascii_word(start)
                };
                self.pos = token.end;
                return Some(token);
            }
            let c = char_at(text, start);
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            let token = if c == PLACEHOLDER {
                Token { kind: TokenKind::Placeholder, start, end: start + c.len_utf8() }
            } else if is_common_punctuation(c) {
                // Chinese text's commas and stops, without the script's tables
                // (a test in `script` holds them to it).
                Token { kind: TokenKind::Punct, start, end: start + c.len_utf8() }
            } else {
                match script(c) {
                    Script::Alphabetic => self.word(start, c),
                    Script::Other => Token { kind: TokenKind::Punct, start, end: start + c.len_utf8() },
                    cjk => Token { kind: TokenKind::Cjk(cjk), start, end: start + c.len_utf8() },
                }
            };
            self.pos = token.end;
            return Some(token);
        }
        None
    }
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_url_start(s: &str) -> bool {
    let b = s.as_bytes();
    (b.first() == Some(&b'h') || b.first() == Some(&b'w'))
        && (s.starts_with("https://") || s.starts_with("http://") || s.starts_with("www."))
}

/// A URL runs to the next space or CJK character; trailing sentence
/// punctuation is left out, as GFM's autolink extension does.
fn url_len(s: &str) -> usize {
    let end = s
        .char_indices()
        .find(|&(_, c)| {
            c.is_whitespace() || super::script::is_cjk(c) || c == PLACEHOLDER || (c as u32) > 0x2FFF
        })
        .map_or(s.len(), |(i, _)| i);
    let trimmed = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
    trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).iter().map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn latin_words_and_cjk_chars() {
        use TokenKind::*;
        assert_eq!(
            kinds("Rust的don't 3.14版"),
            [
                (Word, "Rust"),
                (Cjk(Script::Han), "的"),
                (Word, "don't"),
                (Number, "3.14"),
                (Cjk(Script::Han), "版")
            ]
        );
    }

    proptest::proptest! {
        /// The short way for a word that starts with ASCII reads what the
        /// general way reads.
        #[test]
        fn ascii_words_read_as_words(rest in "[a-zA-Z0-9'’.,\\- éß中。!\n]{0,20}", first in "[a-zA-Z0-9]") {
            let text = format!("{first}{rest}");
            let tokens = Tokens::new(&text);
            proptest::prop_assert_eq!(tokens.ascii_word(0), tokens.word(0, text.chars().next().unwrap()));
        }
    }

    #[test]
    fn urls_are_one_token() {
        let t = kinds("see https://example.com/a?b=1. 然后");
        assert_eq!(t[1], (TokenKind::Url, "https://example.com/a?b=1"));
        assert_eq!(t[2], (TokenKind::Punct, "."));
    }

    /// The tokenizer as first written, one `char` at a time: the
    /// specification the byte cursor is checked against.
    fn reference(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut iter = text.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            if c.is_whitespace() {
                continue;
            }
            if c == PLACEHOLDER {
                out.push(Token { kind: TokenKind::Placeholder, start, end: start + c.len_utf8() });
                continue;
            }
            if is_url_start(&text[start..]) {
                let len = url_len(&text[start..]);
                while iter.peek().is_some_and(|&(i, _)| i < start + len) {
                    iter.next();
                }
                out.push(Token { kind: TokenKind::Url, start, end: start + len });
                continue;
            }
            out.push(match script(c) {
                Script::Alphabetic => {
                    let numeric = c.is_ascii_digit() || ('０'..='９').contains(&c);
                    let mut end = start + c.len_utf8();
                    while let Some(&(i, n)) = iter.peek() {
                        let joins = matches!(script(n), Script::Alphabetic) || is_combining(n);
                        let inner = matches!(n, '\'' | '’' | '-' | '.' | ',')
                            && text[i + n.len_utf8()..]
                                .chars()
                                .next()
                                .is_some_and(|m| script(m) == Script::Alphabetic)
                            && (n != '.' && n != ',' || numeric);
                        if joins || inner {
                            end = i + n.len_utf8();
                            iter.next();
                        } else {
                            break;
                        }
                    }
                    Token { kind: if numeric { TokenKind::Number } else { TokenKind::Word }, start, end }
                }
                Script::Other => Token { kind: TokenKind::Punct, start, end: start + c.len_utf8() },
                cjk => Token { kind: TokenKind::Cjk(cjk), start, end: start + c.len_utf8() },
            });
        }
        out
    }

    const PIECES: &[&str] = &[
        "word",
        "Don't",
        "x-ray",
        "3.14",
        "1,000",
        "a.b",
        "e\u{301}",
        "café",
        "ＡＢＣ",
        "１２",
        "中文",
        "かな",
        "カナ",
        "한국",
        "，",
        "。",
        ",",
        ".",
        "'",
        "’",
        "-",
        " ",
        "\u{3000}",
        "\n",
        "\u{a0}",
        "\u{FFFC}",
        "https://x.org/a.",
        "www.e.com",
        "http",
        "w",
        "😀",
        "\u{0301}",
        "—",
        "ｶ",
        "0",
        "Ω",
        " Abc",
        "wordy",
        "hw",
        "abcdefg",
        "abcdefgh",
    ];

    proptest::proptest! {
        #[test]
        fn byte_cursor_tokenizes_like_the_reference(picks in proptest::collection::vec(0..PIECES.len(), 0..30)) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(tokenize(&text), reference(&text));
        }
    }

    proptest::proptest! {
        /// The short way for short ASCII words, taken wherever it offers
        /// itself, reads the tokens the byte cursor reads, and lower-cases
        /// each word it reads.
        #[test]
        fn short_words_read_as_the_cursor_reads(picks in proptest::collection::vec(0..PIECES.len(), 0..30)) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let mut reader = Tokens::new(&text);
            let mut read = Vec::new();
            loop {
                if let Some((t, lower)) = reader.short_ascii_word() {
                    let mut packed = [0u8; 8];
                    packed[..t.end - t.start].copy_from_slice(t.text(&text).to_ascii_lowercase().as_bytes());
                    proptest::prop_assert_eq!(lower, u64::from_le_bytes(packed));
                    read.push(t);
                    continue;
                }
                match reader.next() {
                    Some(t) => read.push(t),
                    None => break,
                }
            }
            proptest::prop_assert_eq!(read, tokenize(&text));
        }
    }

    #[test]
    fn combining_marks_stay_in_word() {
        assert_eq!(kinds("cafe\u{301} ok").len(), 2);
    }
}
