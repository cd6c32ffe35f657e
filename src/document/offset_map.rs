//! Maps offsets in a block's prose text back to byte offsets in the source file.
//!
//! Prose text is not a slice of the source: Markdown drops markup, `\*` becomes
//! `*`, `&amp;` becomes `&`, block-quote markers vanish between lines, and inline
//! code collapses to one placeholder. Rules work on the prose text; every span
//! they report goes through this map so that it slices the original file.

use std::ops::Range;

/// One stretch of prose text and where it came from.
#[derive(Clone, Debug)]
struct Segment {
    text_start: usize,
    source: Range<usize>,
    /// Byte-for-byte the same as the source: offsets inside map one to one.
    /// Otherwise the segment is atomic: a span may cover all of it or none.
    verbatim: bool,
}

#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    // Inline room for one segment: most blocks are one verbatim run, and a
    // heap allocation per block cost as much memory as the block itself.
    segments: smallvec::SmallVec<[Segment; 1]>,
}

impl OffsetMap {
    /// Records that text starting at `text_start` is a verbatim copy of `source`.
    pub fn push_verbatim(&mut self, text_start: usize, source: Range<usize>) {
        if let Some(last) = self.segments.last_mut() {
            let last_len = last.source.end - last.source.start;
            if last.verbatim && last.text_start + last_len == text_start && last.source.end == source.start {
                last.source.end = source.end;
                return;
            }
        }
        self.segments.push(Segment { text_start, source, verbatim: true });
    }

    /// The source range the text copies byte for byte, if it is one verbatim
    /// stretch of the source.
    pub fn verbatim_extent(&self) -> Option<Range<usize>> {
        match self.segments.as_slice() {
            [only] if only.verbatim && only.text_start == 0 => Some(only.source.clone()),
            _ => None,
        }
    }

    pub fn shrink_to_fit(&mut self) {
        self.segments.shrink_to_fit();
    }

    /// Records that text starting at `text_start` stands for `source` as a whole.
    pub fn push_atomic(&mut self, text_start: usize, source: Range<usize>) {
        self.segments.push(Segment { text_start, source, verbatim: false });
    }

    /// Source span of the whole mapped text.
    pub fn source_extent(&self) -> Range<usize> {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => first.source.start..last.source.end,
            _ => 0..0,
        }
    }

    /// Maps a range of prose text to the smallest source range that covers it.
    pub fn to_source(&self, range: Range<usize>) -> Range<usize> {
        if self.segments.is_empty() {
            return 0..0;
        }
        let start = self.map_start(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let end = self.map_end(range.end).max(start);
        start..end
    }

    fn map_start(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.text_start <= offset).saturating_sub(1);
        let seg = &self.segments[i];
        if seg.verbatim {
            (seg.source.start + offset.saturating_sub(seg.text_start)).min(seg.source.end)
        } else if offset <= seg.text_start {
            seg.source.start
        } else {
            // Inside an atomic segment: the span starts after it.
            seg.source.end
        }
    }

    fn map_end(&self, offset: usize) -> usize {
        // The segment holding the last byte of the range.
        let i = self.segments.partition_point(|s| s.text_start < offset).saturating_sub(1);
        let seg = &self.segments[i];
        if seg.verbatim {
            (seg.source.start + offset.saturating_sub(seg.text_start)).min(seg.source.end)
        } else {
            seg.source.end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_and_atomic_segments() {
        // source: "a \*b\* c"  text: "a *b* c"
        let mut map = OffsetMap::default();
        map.push_verbatim(0, 0..2); // "a "
        map.push_atomic(2, 2..4); // "\*" -> "*"
        map.push_verbatim(3, 4..5); // "b"
        map.push_atomic(4, 5..7);
        map.push_verbatim(5, 7..9);
        assert_eq!(map.to_source(0..1), 0..1);
        assert_eq!(map.to_source(2..5), 2..7);
        assert_eq!(map.to_source(3..4), 4..5);
        assert_eq!(map.to_source(0..7), 0..9);
        assert_eq!(map.source_extent(), 0..9);
    }

    #[test]
    fn adjacent_verbatim_segments_merge() {
        let mut map = OffsetMap::default();
        map.push_verbatim(0, 10..13);
        map.push_verbatim(3, 13..20);
        assert_eq!(map.segments.len(), 1);
        assert_eq!(map.to_source(2..9), 12..19);
    }
}
