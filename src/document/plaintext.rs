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
}
