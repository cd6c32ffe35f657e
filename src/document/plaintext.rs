//! Plain text: paragraphs are runs of non-blank lines. The prose text is the
//! source itself, so the offset map is a single verbatim segment.

use super::directive::{self, Directive};
use super::{Block, BlockKind, Follower, OffsetMap};

pub fn parse(source: &str, body_start: usize) -> (Vec<Block<'_>>, Vec<Directive>) {
    let mut blocks = Vec::new();
    let mut directives = Vec::new();
    let mut para: Option<(usize, usize)> = None;
    let mut pos = body_start;
    for line in source[body_start..].split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let content = line.trim();
        // A directive line separates paragraphs and is not prose.
        let directive = directive::parse(line.trim_end(), line_start);
        let is_directive = directive.is_some();
        directives.extend(directive);
        if content.is_empty() || is_directive {
            if let Some((start, end)) = para.take() {
                blocks.push(block(source, start, end));
            }
            continue;
        }
        let start = line_start + (line.len() - line.trim_start().len());
        let end = line_start + line.trim_end().len();
        para = Some(match para {
            Some((s, _)) => (s, end),
            None => (start, end),
        });
    }
    if let Some((start, end)) = para {
        blocks.push(block(source, start, end));
    }
    let last = blocks.len().saturating_sub(1);
    for (i, b) in blocks.iter_mut().enumerate() {
        b.followed_by = if i == last { Follower::Nothing } else { Follower::Prose };
    }
    (blocks, directives)
}

/// The first line start at least `chunk` bytes after `start` that opens a
/// paragraph after a blank line, if `text` has one: no paragraph spans it. A
/// boundary found in the first part of a text is one in the whole text.
pub(super) fn boundary(text: &str, start: usize, chunk: usize) -> Option<usize> {
    let mut previous_blank = false;
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = at;
        at += line.len();
        let blank = line.trim().is_empty();
        if previous_blank && !blank && line_start - start >= chunk {
            return Some(line_start);
        }
        // Only a whole line is known to be blank.
        previous_blank = blank && line.ends_with('\n');
    }
    None
}

fn block(source: &str, start: usize, end: usize) -> Block<'_> {
    let mut map = OffsetMap::default();
    map.push_verbatim(0, start..end);
    Block::new(BlockKind::Paragraph, source[start..end].into(), map, source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_with_crlf_and_bom() {
        let src = "\u{feff}第一段\r\n还是第一段\r\n \r\n  Second para.\r\n";
        let (blocks, _) = parse(src, 3);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].text, "第一段\r\n还是第一段");
        assert_eq!(&src[blocks[1].span()], "Second para.");
    }

    #[test]
    fn boundaries_open_a_paragraph_after_a_blank_line() {
        let src = "One\ntwo\n\n  \nThree\n\nFour\n";
        assert_eq!(&src[boundary(src, 0, 1).unwrap()..], "Three\n\nFour\n");
        assert_eq!(&src[boundary(src, 0, 13).unwrap()..], "Four\n");
        assert_eq!(boundary(src, 0, 100), None);
        assert_eq!(boundary("One\n  ", 0, 1), None);
    }
}
