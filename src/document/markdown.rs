//! Markdown (CommonMark + GFM tables, footnotes, task lists, front matter)
//! through pulldown-cmark's offset iterator.
//!
//! Text events do not always equal their source bytes: escapes (`\*`), entities
//! (`&amp;`) and, between lines, block-quote markers are dropped. Each event is
//! aligned against its source range so that the offset map stays exact.

use super::directive::{self, Directive};
use super::script::PLACEHOLDER;
use super::{Block, BlockKind, Follower, OffsetMap};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

pub fn parse(source: &str, body_start: usize) -> (Vec<Block<'_>>, Vec<Directive>) {
    parse_in_chunks(source, body_start, CHUNK)
}

fn parse_in_chunks(source: &str, body_start: usize, chunk: usize) -> (Vec<Block<'_>>, Vec<Directive>) {
    let sections = sections(source, body_start, chunk);
    let joined = if source.len() - body_start.min(source.len()) > chunk && rayon::current_num_threads() > 1 {
        parse_side_by_side(source, sections)
    } else {
        let mut joined = Joined::default();
        sections.for_each(|range| joined.push(parse_section(source, range)));
        joined
    };
    (joined.blocks, joined.directives)
}

/// The ranges of the sections of `source` (see [`boundary`]), found one
/// after another.
fn sections(source: &str, body_start: usize, chunk: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = body_start;
    std::iter::from_fn(move || {
        (start < source.len()).then(|| {
            let end = if source.len() - start <= chunk {
                source.len()
            } else {
                boundary(source, start, chunk).unwrap_or(source.len())
            };
            std::mem::replace(&mut start, end)..end
        })
    })
}

/// Sections parse alone to the blocks of the whole (see `boundary`), so a
/// big file's sections are parsed side by side: parsed one after another,
/// they were most of what a one-file run could not share between threads.
///
/// Each section goes to the pool as soon as its end is found, and whichever
/// thread parses a section joins every parsed one it can in order: the scan
/// for boundaries and the joining, both serial, overlap the parsing instead
/// of leaving the pool idle between groups of sections (a tenth of a
/// two-thread run on one 10 MB file). Sections are taken first come, first
/// parsed, so only the few being parsed at once wait to be joined: a
/// section's blocks are held twice, in its own list and in the document's,
/// for a few sections at most.
fn parse_side_by_side<'s>(source: &'s str, sections: impl Iterator<Item = Range<usize>>) -> Joined<'s> {
    let assembly = std::sync::Mutex::new(Assembly::default());
    rayon::in_place_scope_fifo(|scope| {
        for (i, range) in sections.enumerate() {
            let assembly = &assembly;
            scope.spawn_fifo(move |_| {
                let section = parse_section(source, range);
                // A panic elsewhere while joining is that thread's to report.
                let mut assembly = assembly.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                assembly.take(i, section);
            });
        }
    });
    assembly.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).joined
}

/// Sections parsed side by side, joined in order as they come.
#[derive(Default)]
struct Assembly<'s> {
    joined: Joined<'s>,
    /// Parsed sections waiting for one before them, by index.
    waiting: std::collections::BTreeMap<usize, Section<'s>>,
    next: usize,
}

impl<'s> Assembly<'s> {
    fn take(&mut self, i: usize, section: Section<'s>) {
        self.waiting.insert(i, section);
        while let Some(section) = self.waiting.remove(&self.next) {
            self.joined.push(section);
            self.next += 1;
        }
    }
}

/// The blocks of one section, and what joining it to the sections around it
/// needs: what follows the block left pending before it, which block is left
/// pending at its end, and how many lists it opens.
struct Section<'s> {
    blocks: Vec<Block<'s>>,
    directives: Vec<Directive>,
    leading: Option<Follower>,
    awaiting: Option<usize>,
    lists_seen: u32,
}

fn parse_section(source: &str, range: Range<usize>) -> Section<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_GFM;
    let mut builder = Builder { source, awaiting_follower: Some(PENDING), ..Builder::default() };
    let start = range.start;
    for (event, range) in Parser::new_ext(&source[range], options).into_offset_iter() {
        builder.event(event, range.start + start..range.end + start);
    }
    builder.close_block();
    Section {
        blocks: builder.blocks,
        directives: builder.directives,
        leading: builder.leading,
        awaiting: builder.awaiting_follower,
        lists_seen: builder.lists_seen,
    }
}

/// Sections joined in order, into the blocks one parse of their text gives.
#[derive(Default)]
struct Joined<'s> {
    blocks: Vec<Block<'s>>,
    directives: Vec<Directive>,
    /// The last block, while no section has told what follows it.
    pending: Option<usize>,
    lists: u32,
}

impl<'s> Joined<'s> {
    fn push(&mut self, section: Section<'s>) {
        if let (Some(i), Some(follower)) = (self.pending, section.leading) {
            self.blocks[i].followed_by = follower;
        }
        self.pending = match section.awaiting {
            Some(PENDING) => self.pending,
            Some(i) => Some(self.blocks.len() + i),
            None => None,
        };
        let lists = self.lists;
        self.blocks.extend(section.blocks.into_iter().map(|mut block| {
            if let Some(list) = block.list.as_mut() {
                *list += lists;
            }
            block
        }));
        self.lists += section.lists_seen;
        self.directives.extend(section.directives);
    }
}

/// Stands, in a section's builder, for the block that the section before
/// left waiting for its follower.
const PENDING: usize = usize::MAX;

/// Text up to this size is parsed in one piece.
const CHUNK: usize = 1 << 20;

/// The first safe block boundary at least `chunk` bytes after `start` (itself
/// a safe boundary), if `text` has one. A boundary found in the first part of
/// a text is one in the whole text: only complete lines before the line it
/// opens, and that line's first character, decide it.
///
/// pulldown-cmark builds a tree of the whole text before it yields an event,
/// about three bytes per byte of input: a 100 MB file cost 300 MB more than
/// its text. Parsed in pieces, a file costs that for one piece only. A piece
/// ends before a line that starts a paragraph or heading at column 0 after a
/// blank line, outside fenced code, HTML comments and raw HTML blocks: such a
/// line closes every open list, quote and table, so parsing on from it alone
/// gives the same blocks. What does not carry over is a link reference
/// definition used in another piece; its link text is prose either way.
pub(super) fn boundary(text: &str, start: usize, chunk: usize) -> Option<usize> {
    let mut fence: Option<(u8, usize)> = None;
    let mut raw_html: Option<&str> = None;
    let mut previous_blank = false;
    // Lines found with the memchr crate's search: this scan runs over every
    // byte of a big file before its sections are parsed side by side, and
    // the standard library's was a third of it.
    let newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[start..]).map(|i| start + i + 1);
    let last_line_end = (!text.ends_with('\n') && start < text.len()).then_some(text.len());
    let mut next_start = start;
    for end in newlines.chain(last_line_end) {
        let line_start = std::mem::replace(&mut next_start, end);
        let line = &text[line_start..end];
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some(end_marker) = raw_html {
            if line.contains(end_marker) {
                raw_html = None;
            }
            previous_blank = false;
            continue;
        }
        if indent <= 3 {
            let bytes = trimmed.as_bytes();
            let run = bytes.iter().take_while(|&&b| b == b'`' || b == b'~').count();
            if run >= 3 && bytes[..run].iter().all(|&b| b == bytes[0]) {
                match fence {
                    None => fence = Some((bytes[0], run)),
                    Some((c, n)) if c == bytes[0] && run >= n && trimmed[run..].trim().is_empty() => {
                        fence = None
                    }
                    Some(_) => {}
                }
                previous_blank = false;
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        // CommonMark's blank line: spaces and tabs only. A line of other
        // white space (an ideographic space) goes on with the paragraph.
        let blank = line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        // Asked last: a Han character's class is a table lookup.
        let opens_prose =
            || indent == 0 && trimmed.chars().next().is_some_and(|c| c.is_alphabetic() || c == '#');
        if previous_blank && line_start > start && line_start - start >= chunk && opens_prose() {
            return Some(line_start);
        }
        // The opening markers do not contain their end markers.
        raw_html = if trimmed.starts_with('<') {
            raw_html_end(trimmed).filter(|end| !trimmed.contains(end))
        } else {
            None
        };
        previous_blank = blank;
    }
    None
}

/// The end marker of a raw HTML block that may span blank lines, if `line`
/// opens one: comments and `<pre>`, `<script>`, `<style>`, `<textarea>`.
fn raw_html_end(line: &str) -> Option<&'static str> {
    const RAW: [(&str, &str); 5] = [
        ("<!--", "-->"),
        ("<pre", "</pre>"),
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ];
    let line = line.as_bytes();
    RAW.into_iter()
        .find(|(open, _)| line.get(..open.len()).is_some_and(|l| l.eq_ignore_ascii_case(open.as_bytes())))
        .map(|(_, end)| end)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Item,
    Quote,
    Footnote,
}

/// The block being read.
struct Open {
    kind: BlockKind,
    /// While the text is one stretch of the source, byte for byte (most
    /// blocks are), where it is: not copied, as the block will borrow it.
    verbatim: Option<Range<usize>>,
    /// The text, once it is not: a copy with the markup left out.
    text: String,
    map: OffsetMap,
}

impl Open {
    fn new(kind: BlockKind) -> Open {
        Open { kind, verbatim: None, text: String::new(), map: OffsetMap::default() }
    }

    /// The length of the text read so far.
    fn len(&self) -> usize {
        self.verbatim.as_ref().map_or(self.text.len(), Range::len)
    }

    /// The text, to go on with a copy from here.
    fn owned(&mut self, source: &str) -> &mut String {
        if let Some(range) = self.verbatim.take() {
            self.text.push_str(&source[range]);
        }
        &mut self.text
    }

    /// Adds `range` of `source`, copied byte for byte.
    fn push_verbatim(&mut self, source: &str, range: Range<usize>) {
        self.map.push_verbatim(self.len(), range.clone());
        match &mut self.verbatim {
            Some(read) if read.end == range.start => read.end = range.end,
            None if self.text.is_empty() => self.verbatim = Some(range),
            _ => self.owned(source).push_str(&source[range]),
        }
    }

    /// Adds `text`, which stands for `range` of the source as a whole.
    fn push_atomic(&mut self, source: &str, text: &str, range: Range<usize>) {
        self.map.push_atomic(self.len(), range);
        self.owned(source).push_str(text);
    }
}

#[derive(Default)]
struct Builder<'s> {
    source: &'s str,
    blocks: Vec<Block<'s>>,
    containers: Vec<Container>,
    open: Option<Open>,
    /// Depth inside content that is never prose (code, HTML, images, autolinks).
    skip: usize,
    /// For each open link: whether it is an autolink (its text is a URL).
    links: Vec<bool>,
    /// The last closed block, until we learn what follows it.
    awaiting_follower: Option<usize>,
    /// What follows the block left pending by the section before, when this
    /// section tells.
    leading: Option<Follower>,
    /// Open lists, innermost last, by their number in document order.
    lists: Vec<u32>,
    lists_seen: u32,
    directives: Vec<Directive>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.skip == 0 => self.push_text(&text, range),
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_)
                if self.skip == 0 =>
            {
                self.push_placeholder(range)
            }
            Event::SoftBreak | Event::HardBreak if self.skip == 0 => {
                if let Some(open) = self.open.as_mut() {
                    open.push_atomic(self.source, "\n", range);
                }
            }
            Event::Rule => self.followed_by(Follower::Rule),
            // Comments carry suppression directives; code never does.
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(d) = directive::parse(&html, range.start) {
                    self.directives.push(d);
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.followed_by(Follower::Prose);
                self.close_block();
                let kind = match self.containers.last() {
                    Some(Container::Item) => BlockKind::ListItem,
                    Some(Container::Quote) => BlockKind::BlockQuote,
                    _ => BlockKind::Paragraph,
                };
                self.open_block(kind);
            }
            Tag::Heading { level, .. } => {
                self.followed_by(Follower::Prose);
                self.open_block(BlockKind::Heading(level as u8));
            }
            Tag::TableCell => self.open_block(BlockKind::TableCell),
            Tag::Table(_) => self.followed_by(Follower::Table),
            Tag::List(_) => {
                self.close_block();
                self.followed_by(Follower::List);
                self.lists_seen += 1;
                self.lists.push(self.lists_seen);
            }
            Tag::Item => {
                self.close_block();
                self.containers.push(Container::Item);
            }
            Tag::BlockQuote(_) => {
                self.followed_by(Follower::Quote);
                self.containers.push(Container::Quote);
            }
            Tag::FootnoteDefinition(_) => self.containers.push(Container::Footnote),
            Tag::CodeBlock(_) => {
                self.close_block();
                self.followed_by(Follower::Code);
                self.skip += 1;
            }
            Tag::HtmlBlock => {
                self.followed_by(Follower::Html);
                self.skip += 1;
            }
            Tag::MetadataBlock(_) => self.skip += 1,
            Tag::Image { .. } => {
                self.push_placeholder(range);
                self.skip += 1;
            }
            Tag::Link { link_type, .. } => {
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                if autolink {
                    self.push_placeholder(range);
                    self.skip += 1;
                }
                self.links.push(autolink);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell => self.close_block(),
            TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.close_block();
                self.containers.pop();
            }
            TagEnd::List(_) => {
                self.close_block();
                self.lists.pop();
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) | TagEnd::Image => {
                self.skip = self.skip.saturating_sub(1);
            }
            TagEnd::Link if self.links.pop() == Some(true) => {
                self.skip = self.skip.saturating_sub(1);
            }
            _ => {}
        }
    }

    fn followed_by(&mut self, follower: Follower) {
        match self.awaiting_follower.take() {
            Some(PENDING) => self.leading = Some(follower),
            Some(i) => self.blocks[i].followed_by = follower,
            None => {}
        }
    }

    fn open_block(&mut self, kind: BlockKind) {
        self.close_block();
        self.open = Some(Open::new(kind));
    }

    /// Text outside an explicit paragraph (a tight list item) opens a block.
    fn open_implicit(&mut self) -> &mut Open {
        if self.open.is_none() {
            self.followed_by(Follower::Prose);
            let kind = match self.containers.last() {
                Some(Container::Quote) => BlockKind::BlockQuote,
                Some(Container::Item) => BlockKind::ListItem,
                _ => BlockKind::Paragraph,
            };
            self.open_block(kind);
        }
        self.open.as_mut().expect("just opened")
    }

    fn close_block(&mut self) {
        let Some(mut open) = self.open.take() else { return };
        let text: Cow<'_, str> = match open.verbatim {
            Some(range) => Cow::Borrowed(self.source[range].trim_end()),
            None => {
                let kept = open.text.trim_end().len();
                open.text.truncate(kept);
                Cow::Owned(open.text)
            }
        };
        // A block with nothing but placeholders (a lone image) has no prose.
        if !text.chars().any(|c| c != PLACEHOLDER && !c.is_whitespace()) {
            return;
        }
        let mut block = Block::new(open.kind, text, open.map, self.source);
        if block.kind == BlockKind::ListItem {
            block.list = self.lists.last().copied();
        }
        self.blocks.push(block);
        self.awaiting_follower = Some(self.blocks.len() - 1);
    }

    fn push_placeholder(&mut self, range: Range<usize>) {
        if self.skip > 0 {
            return;
        }
        let source = self.source;
        let open = self.open_implicit();
        open.push_atomic(source, PLACEHOLDER.encode_utf8(&mut [0; 4]), range);
    }

    fn push_text(&mut self, text: &str, range: Range<usize>) {
        let source = self.source;
        let open = self.open_implicit();
        let (text, range) = if open.len() == 0 {
            // Leading white space never starts a block's text.
            let trimmed = text.trim_start();
            let cut = text.len() - trimmed.len();
            let verbatim = is_source(source, &range, text);
            (trimmed, if verbatim { range.start + cut..range.end } else { range })
        } else {
            (text, range)
        };
        if text.is_empty() {
            return;
        }
        if is_source(source, &range, text) {
            open.push_verbatim(source, range);
            return;
        }
        align(source, text, range, open);
    }
}

/// Whether a text event's `text` is the source's own at `range`. Most text
/// events borrow their text from the source, where the pointers tell it
/// without comparing the bytes (every byte of prose was compared, once or
/// twice, by `memcmp`).
fn is_source(source: &str, range: &Range<usize>, text: &str) -> bool {
    source.get(range.clone()).is_some_and(|s| std::ptr::eq(s, text) || s == text)
}

/// Maps a text event that differs from its source: character by character,
/// treating `\x` escapes and `&…;` entities as atomic units.
fn align(source: &str, text: &str, range: Range<usize>, open: &mut Open) {
    let mut cursor = range.start;
    for (ti, ch) in text.char_indices() {
        let rest = source.get(cursor..range.end).unwrap_or("");
        let len = ch.len_utf8();
        if (ch == '&' || !rest.starts_with(ch))
            && let Some(unit) = escape_or_entity(rest)
            && !text[ti..].starts_with(unit)
        {
            open.push_atomic(source, &text[ti..ti + len], cursor..cursor + unit.len());
            cursor += unit.len();
            continue;
        }
        if rest.starts_with(ch) {
            open.push_verbatim(source, cursor..cursor + len);
            cursor += len;
            continue;
        }
        // Anything else: what remains maps to the rest of the range as a whole.
        open.push_atomic(source, &text[ti..], cursor..range.end.max(cursor));
        return;
    }
}

/// The source of one escape (`\*`) or entity (`&amp;`, `&#x4E2D;`) at the start of `rest`.
fn escape_or_entity(rest: &str) -> Option<&str> {
    let bytes = rest.as_bytes();
    match bytes.first()? {
        b'\\' => {
            let next = rest[1..].chars().next()?;
            next.is_ascii_punctuation().then(|| &rest[..1 + next.len_utf8()])
        }
        b'&' => {
            let semi = rest.as_bytes().iter().take(40).position(|&b| b == b';')?;
            let body = &rest[1..semi];
            let ok = !body.is_empty() && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#');
            ok.then(|| &rest[..=semi])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(src: &str) -> Vec<Block<'_>> {
        parse(src, 0).0
    }

    /// Pieces of Markdown whose blocks span blank lines in every way a split
    /// could go wrong: code with column-0 text, comments, raw HTML, loose lists.
    const PIECES: &[&str] = &[
        "A paragraph of English text.\n",
        "县政协召开全体会议，研究部署全年工作。\n",
        "# Heading\n",
        "Setext title\n===\n",
        "```\ncode line\n\nText at column zero inside code\n```\n",
        "~~~~\n```\n\nStill code\n~~~~\n",
        "<!--\n\nText inside a comment\n-->\n",
        "<!-- copydesk-disable repeated-phrase -->\n",
        "<pre>\n\nPreformatted text\n</pre>\n",
        "- item one\n\n- item two\n\n  continued item\n",
        "1. first\n2. second\n",
        "> quoted\n>\n> more quote\n",
        "| a | b |\n| - | - |\n| 1 | 2 |\n",
        "Text with a footnote[^1].\n\n[^1]: The note.\n",
        "Lead-in to a list:\n",
        "    indented code\n",
        "Text with `code` and *emphasis* and a [link](http://example.com).\n",
        // Not a blank line to CommonMark: the paragraph goes on past it.
        "全角空格之前\n\u{3000}\nGoes on after it.\n",
    ];

    proptest::proptest! {
        /// Parsing in pieces gives exactly the blocks of parsing in one go.
        #[test]
        fn pieces_parse_like_the_whole(picks in proptest::collection::vec(0..PIECES.len(), 1..40), chunk in 1usize..300) {
            let src: String = picks.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join("\n");
            let whole = parse_in_chunks(&src, 0, usize::MAX);
            let pieces = parse_in_chunks(&src, 0, chunk);
            proptest::prop_assert_eq!(format!("{:?}", whole.0), format!("{:?}", pieces.0));
            proptest::prop_assert_eq!(format!("{:?}", whole.1), format!("{:?}", pieces.1));
            // Side by side, whichever thread asks: one outside the pool, and
            // one of its workers.
            let outside = parse_side_by_side(&src, sections(&src, 0, chunk));
            let inside = rayon::scope(|_| parse_side_by_side(&src, sections(&src, 0, chunk)));
            for joined in [outside, inside] {
                proptest::prop_assert_eq!(format!("{:?}", &whole.0), format!("{:?}", joined.blocks));
                proptest::prop_assert_eq!(format!("{:?}", &whole.1), format!("{:?}", joined.directives));
            }
        }
    }

    #[test]
    fn pieces_end_before_a_prose_line_after_a_blank_one() {
        let src = "One.\n\n```\n\nCode\n```\n\nTwo.\n";
        assert_eq!(&src[..boundary(src, 0, 1).unwrap()], "One.\n\n```\n\nCode\n```\n\n");
        assert_eq!(boundary(src, 0, 100), None);
    }

    #[test]
    fn code_html_and_front_matter_are_not_prose() {
        let src = "---\ntitle: x\n---\n\nText `code` here.\n\n```\nfn main() {}\n```\n\n<div>html</div>\n\n<!-- note -->\n";
        let b = blocks(src);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].text, format!("Text {PLACEHOLDER} here."));
        assert_eq!(b[0].followed_by, Follower::Code);
    }

    #[test]
    fn escapes_and_entities_map_to_source() {
        let src = "a \\*b\\* &amp; 中&#x6587; end";
        let b = &blocks(src)[0];
        assert_eq!(b.text, "a *b* & 中文 end");
        let star = b.text.find('*').unwrap();
        // pulldown-cmark's range for an escaped char starts after the backslash.
        assert!(src[b.source_span(star..star + 1)].ends_with('*'));
        let amp = b.text.find('&').unwrap();
        assert_eq!(&src[b.source_span(amp..amp + 1)], "&amp;");
        let wen = b.text.find('文').unwrap();
        assert_eq!(&src[b.source_span(wen..wen + 3)], "&#x6587;");
        let end = b.text.find("end").unwrap();
        assert_eq!(&src[b.source_span(end..end + 3)], "end");
    }

    #[test]
    fn block_quote_markers_are_skipped() {
        let src = "> 第一行，\n> 第二行。\n";
        let b = &blocks(src)[0];
        assert_eq!(b.kind, BlockKind::BlockQuote);
        assert_eq!(b.text, "第一行，\n第二行。");
        let i = b.text.find("第二行").unwrap();
        assert_eq!(&src[b.source_span(i..b.text.len())], "第二行。");
    }

    #[test]
    fn kinds_and_followers() {
        let src = "# Title\n\nLead-in:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n";
        let b = blocks(src);
        let kinds: Vec<_> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::TableCell,
                BlockKind::TableCell,
                BlockKind::TableCell,
                BlockKind::TableCell
            ]
        );
        assert_eq!(b[1].followed_by, Follower::List);
    }

    #[test]
    fn autolinks_and_images_become_placeholders() {
        let src = "See <https://example.com> and ![alt text](x.png) now.";
        let b = &blocks(src)[0];
        assert_eq!(b.text, format!("See {PLACEHOLDER} and {PLACEHOLDER} now."));
        let p = b.text.find(PLACEHOLDER).unwrap();
        assert_eq!(&src[b.source_span(p..p + 3)], "<https://example.com>");
    }

    #[test]
    fn crlf_and_bom() {
        let src = "\u{feff}第一段\r\n续行。\r\n\r\n第二段。\r\n";
        let (b, _) = parse(src, 3);
        assert_eq!(b.len(), 2);
        assert_eq!(&src[b[0].span()], "第一段\r\n续行。");
        assert_eq!(&src[b[1].span()], "第二段。");
    }
}
