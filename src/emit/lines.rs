//! Byte offsets to 1-based line and column numbers; columns count Unicode
//! scalar values, as the JSON contract and editors' quickfix lists expect.

use std::borrow::Cow;
use std::cell::Cell;

pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offsets where lines start: owned, or shared by the indexes that
    /// threads rendering one big report each keep (the cache below is not
    /// for sharing).
    starts: Cow<'a, [usize]>,
    /// The last location asked for: (line, byte offset, 0-based column).
    /// Columns are counted from there, not from the line's start, so that
    /// thousands of findings on one long line (a paragraph of megabytes)
    /// cost the distance between them, not the line's length each.
    last: Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex { text, starts: Cow::Owned(line_starts(text)), last: Cell::new((0, 0, 0)) }
    }

    /// An index over line starts found before ([`line_starts`]).
    pub fn with_starts(text: &'a str, starts: &'a [usize]) -> LineIndex<'a> {
        LineIndex { text, starts: Cow::Borrowed(starts), last: Cell::new((0, 0, 0)) }
    }

    /// The 0-based line holding a byte offset, and the offset where it starts.
    pub fn line_start(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line, self.starts[line])
    }

    /// (line, column), both 1-based, for a byte offset on a char boundary.
    pub fn location(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let (line, _) = self.line_start(offset);
        let count = |range: std::ops::Range<usize>| self.text.get(range).map_or(0, |s| s.chars().count());
        let (last_line, last_offset, last_col) = self.last.get();
        let col = if line == last_line && offset >= last_offset {
            last_col + count(last_offset..offset)
        } else if line == last_line && offset - self.starts[line] > last_offset - offset {
            last_col - count(offset..last_offset)
        } else {
            count(self.starts[line]..offset)
        };
        self.last.set((line, offset, col));
        (line + 1, col + 1)
    }
}

/// Byte offsets where the lines of `text` start.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    // memchr's vectorised scan: this runs over every byte of every file
    // with findings, and a byte-by-byte filter cost more than emitting.
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_count_chars() {
        let idx = super::LineIndex::new("ab\n中文x\n");
        assert_eq!(idx.location(0), (1, 1));
        assert_eq!(idx.location(3), (2, 1));
        assert_eq!(idx.location(9), (2, 3));
        assert_eq!(idx.location(11), (3, 1));
    }

    #[test]
    fn columns_agree_in_any_order() {
        let text = "第一行\nab中文cd，英文 text 和中文\n末行";
        let idx = super::LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let expected: Vec<(usize, usize)> =
            offsets.iter().map(|&o| super::LineIndex::new(text).location(o)).collect();
        for order in [
            offsets.clone(),
            offsets.iter().rev().copied().collect(),
            offsets.iter().step_by(3).chain(offsets.iter().step_by(2)).copied().collect(),
        ] {
            for o in order {
                let i = offsets.iter().position(|&x| x == o).unwrap();
                assert_eq!(idx.location(o), expected[i], "offset {o}");
            }
        }
    }
}
