//! The document model every rule reads: a file becomes blocks (headings,
//! paragraphs, list items, quotes, table cells), each with its prose text, an
//! offset map back to the source; sentences and tokens are made on demand.
//!
//! Rules never see Markdown syntax, code or HTML: the parsers leave them out or
//! replace inline pieces with [`script::PLACEHOLDER`]. Every offset a rule
//! reports is into a block's prose text and is turned into a source span by
//! [`Block::source_span`].

pub mod ascii;
pub mod directive;
pub mod lexicon;
mod markdown;
mod offset_map;
mod plaintext;
pub mod script;
pub mod sentence;
pub mod simd;
pub mod token;

pub use offset_map::OffsetMap;
pub use token::{Token, TokenKind};

use crate::source::Format;
use std::borrow::Cow;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    Paragraph,
    ListItem,
    BlockQuote,
    TableCell,
}

impl BlockKind {
    /// Paragraphs and block quotes: text written in full sentences. Headings,
    /// list items and table cells are often phrases by design.
    pub fn is_running_prose(self) -> bool {
        matches!(self, BlockKind::Paragraph | BlockKind::BlockQuote)
    }
}

/// What comes right after a block in the file. A paragraph that leads into a
/// list or a code block may end without a full stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follower {
    Nothing,
    Prose,
    List,
    Code,
    Table,
    Quote,
    Html,
    Rule,
}

#[derive(Clone, Debug)]
pub struct Block<'a> {
    pub kind: BlockKind,
    /// Prose text: markup removed, inline code and images as placeholders.
    /// Borrowed from the source when it is a verbatim copy (most paragraphs):
    /// a document then costs little more than its source.
    pub text: Cow<'a, str>,
    pub map: OffsetMap,
    pub followed_by: Follower,
    /// For list items: which list (numbered in document order), so that items
    /// can be told apart from items of other lists.
    pub list: Option<u32>,
    /// The last character of `text` that is not white space (`None` if there
    /// is none). Several rules ask how every block ends, long after parsing
    /// read its text: read here, the answer costs no cache miss per block.
    pub last_char: Option<char>,
}

impl<'a> Block<'a> {
    fn new(kind: BlockKind, text: Cow<'a, str>, mut map: OffsetMap, source: &'a str) -> Block<'a> {
        let text = match text {
            Cow::Owned(text) => {
                let verbatim =
                    map.verbatim_extent().and_then(|range| source.get(range)).filter(|s| *s == text);
                match verbatim {
                    Some(slice) => Cow::Borrowed(slice),
                    // Grown by appending, text and map hold up to twice what they need.
                    None => Cow::Owned(text.into_boxed_str().into_string()),
                }
            }
            borrowed => borrowed,
        };
        map.shrink_to_fit();
        let last_char = text.trim_end().chars().next_back();
        Block { kind, text, map, followed_by: Follower::Nothing, list: None, last_char }
    }

    /// Sentence ranges into `text`, made afresh on each call: like tokens,
    /// most rules need them for a few blocks only.
    pub fn sentences(&self) -> Vec<Range<usize>> {
        sentence::split(&self.text)
    }

    /// The tokens of the prose text, made afresh on each call.
    pub fn tokens(&self) -> token::Tokens<'_> {
        token::Tokens::new(&self.text)
    }

    /// The source span of a range of this block's prose text.
    pub fn source_span(&self, text_range: Range<usize>) -> Range<usize> {
        self.map.to_source(text_range)
    }

    /// The source span of the whole block.
    pub fn span(&self) -> Range<usize> {
        self.map.to_source(0..self.text.len())
    }

    /// Asks the processor to bring the start of the block's text into the
    /// cache, for a pass over many blocks that reads each one's start with
    /// much work between: on a file bigger than the cache, every block's
    /// first read waited for memory, the block ahead not being asked for
    /// until then.
    #[inline]
    pub fn prefetch(&self) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch reads nothing the program sees and never
        // faults, whatever the address; SSE, which it needs, is part of
        // every x86-64 processor.
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(self.text.as_ptr().cast());
        }
    }
}

pub struct Document<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub format: Format,
    pub blocks: Vec<Block<'a>>,
    /// Suppression directives, in source order.
    pub directives: Vec<directive::Directive>,
    /// Analyses more than one rule reads, made once on first use.
    pub shared: Shared,
}

/// Analyses of a document that several rules read (truncated-sentence and
/// orphaned-fragment both read the pairing of cut sentences with stranded
/// tails): the first rule to ask makes one, the others get the same. Keyed by
/// type, so the document model need not know the rules' types.
#[derive(Default)]
pub struct Shared {
    made: std::sync::Mutex<Vec<std::sync::Arc<dyn std::any::Any + Send + Sync>>>,
}

impl Shared {
    /// The document's `T`, made by `make` if no rule has asked for it yet.
    /// `make` must not ask for another shared analysis, nor run parallel work
    /// (rayon): the lock is not reentrant, and a thread waiting for parallel
    /// work runs other pending tasks meanwhile, such as another rule of this
    /// document asking for the same analysis.
    pub fn get_or_make<T: std::any::Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> std::sync::Arc<T> {
        // Held while making: a rule running in parallel waits rather than
        // making a second copy.
        let mut made = self.made.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = made.iter().find_map(|m| m.clone().downcast::<T>().ok()) {
            return found;
        }
        let new = std::sync::Arc::new(make());
        made.push(new.clone());
        new
    }
}

impl<'a> Document<'a> {
    /// Parses `source` (the whole file, BOM included) from `body_start` on.
    pub fn parse(path: &'a str, source: &'a str, body_start: usize, format: Format) -> Document<'a> {
        let (blocks, directives) = match format {
            Format::Markdown => markdown::parse(source, body_start),
            Format::PlainText => plaintext::parse(source, body_start),
        };
        Document { path, source, format, blocks, directives, shared: Shared::default() }
    }
}

impl Document<'_> {
    /// The blocks (indices) whose findings can start in `region` of the
    /// source: from the first that ends past its start to the last that
    /// starts before its end. Every block before them ends by the region's
    /// start and every block after starts at or past its end, so a finding
    /// inside a block of neither does not start in the region.
    pub fn blocks_within(&self, region: &Range<usize>) -> Range<usize> {
        let first = self.blocks.iter().position(|b| b.span().end > region.start).unwrap_or(self.blocks.len());
        let end =
            self.blocks.iter().rposition(|b| b.span().start < region.end).map_or(first, |last| last + 1);
        first..end.max(first)
    }

    /// Frees the document, a big one's blocks on every thread: a 100 MB
    /// file's blocks, an allocation or two each, took one thread 20 ms to
    /// free while the others, done with the rules, waited.
    pub fn free(self) {
        use rayon::prelude::*;
        if self.source.len() >= PARALLEL_FREE_BYTES && rayon::current_num_threads() > 1 {
            self.blocks.into_par_iter().with_min_len(4096).for_each(drop);
        }
        // Anything else (a small document's blocks) is freed here, as `self` goes.
    }
}

/// Documents at least this large are freed side by side.
const PARALLEL_FREE_BYTES: usize = 4 << 20;

/// The first place at least `min` bytes after `start` where `text` can be
/// cut so that parsing each side alone gives the blocks of parsing the whole
/// (see the parsers' `boundary`), if the text read so far has one. `start`
/// must itself be such a place (or 0).
pub fn section_end(text: &str, start: usize, min: usize, format: Format) -> Option<usize> {
    match format {
        Format::Markdown => markdown::boundary(text, start, min),
        Format::PlainText => plaintext::boundary(text, start, min),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span a block can report slices the source to the text it stands for.
    #[test]
    fn whole_block_spans_slice_source() {
        let src = "# 标题\n\n第一段，*强调*文字。\n\n- item one\n- item `code` two\n";
        let doc = Document::parse("t.md", src, 0, Format::Markdown);
        let spans: Vec<&str> = doc.blocks.iter().map(|b| &src[b.span()]).collect();
        assert_eq!(spans, ["标题", "第一段，*强调*文字。", "item one", "item `code` two"]);
    }

    /// A region's blocks are those it overlaps, a block cut by its edge
    /// included; an empty region between blocks has none.
    #[test]
    fn blocks_within_a_region() {
        let src = "one two three.\n\nfour five six.\n\nseven eight.\n";
        let doc = Document::parse("t.md", src, 0, Format::Markdown);
        let second = src.find("four").unwrap();
        let third = src.find("seven").unwrap();
        assert_eq!(doc.blocks_within(&(second..third)), 1..2);
        assert_eq!(doc.blocks_within(&(second + 2..third + 2)), 1..3);
        assert_eq!(doc.blocks_within(&(0..src.len())), 0..3);
        assert_eq!(doc.blocks_within(&(third - 1..third - 1)), 2..2);
    }

    /// A block's last character is its text's last that is not white space.
    #[test]
    fn last_characters() {
        let src = "第一段，文字。

A line
that wraps  

> quoted (资料图片)
";
        let doc = Document::parse("t.md", src, 0, Format::Markdown);
        let last: Vec<Option<char>> = doc.blocks.iter().map(|b| b.last_char).collect();
        let expected: Vec<Option<char>> =
            doc.blocks.iter().map(|b| b.text.trim_end().chars().next_back()).collect();
        assert_eq!(last, expected);
        assert_eq!(last, [Some('。'), Some('s'), Some(')')]);
    }
}
