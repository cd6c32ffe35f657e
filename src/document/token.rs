//! Tokens: words for alphabetic scripts, single characters for CJK, numbers,
//! URLs and punctuation. Whitespace is not a token. Offsets are bytes into the
//! block's prose text.

use super::script::{PLACEHOLDER, Script, script};

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
pub struct Tokens<'a> {
    text: &'a str,
    iter: std::iter::Peekable<std::str::CharIndices<'a>>,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens { text, iter: text.char_indices().peekable() }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let text = self.text;
        let iter = &mut self.iter;
        while let Some((start, c)) = iter.next() {
            if c.is_whitespace() {
                continue;
            }
            if c == PLACEHOLDER {
                return Some(Token { kind: TokenKind::Placeholder, start, end: start + c.len_utf8() });
            }
            if is_url_start(&text[start..]) {
                let len = url_len(&text[start..]);
                // Skip the URL's remaining characters.
                while iter.peek().is_some_and(|&(i, _)| i < start + len) {
                    iter.next();
                }
                return Some(Token { kind: TokenKind::Url, start, end: start + len });
            }
            let s = script(c);
            return Some(match s {
                Script::Alphabetic => {
                    let numeric = c.is_ascii_digit() || ('０'..='９').contains(&c);
                    let mut end = start + c.len_utf8();
                    while let Some(&(i, n)) = iter.peek() {
                        let joins = matches!(script(n), Script::Alphabetic) || is_combining(n);
                        // Inner apostrophes, hyphens and decimal points stay in the word.
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
                    let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
                    Token { kind, start, end }
                }
                Script::Other => Token { kind: TokenKind::Punct, start, end: start + c.len_utf8() },
                cjk => Token { kind: TokenKind::Cjk(cjk), start, end: start + c.len_utf8() },
            });
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

    #[test]
    fn urls_are_one_token() {
        let t = kinds("see https://example.com/a?b=1. 然后");
        assert_eq!(t[1], (TokenKind::Url, "https://example.com/a?b=1"));
        assert_eq!(t[2], (TokenKind::Punct, "."));
    }

    #[test]
    fn combining_marks_stay_in_word() {
        assert_eq!(kinds("cafe\u{301} ok").len(), 2);
    }
}
