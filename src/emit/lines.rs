//! Byte offsets to 1-based line and column numbers; columns count Unicode
//! scalar values, as the JSON contract and editors' quickfix lists expect.

use rayon::prelude::*;
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

    /// An index over line starts found before (`line_starts`).
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
        let (last_line, last_offset, last_col) = self.last.get();
        let line = self.line_from(last_line, offset);
        let count = |range: std::ops::Range<usize>| self.text.get(range).map_or(0, |s| s.chars().count());
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

    /// The 0-based line holding `offset`, searched from line `from` on when
    /// it lies there or after: findings come in order of position, mostly a
    /// few lines apart, and a search of a big file's million line starts
    /// from the top missed the cache at every step.
    fn line_from(&self, from: usize, offset: usize) -> usize {
        let starts = &self.starts[..];
        if starts.get(from).is_none_or(|&s| s > offset) {
            return self.line_start(offset).0;
        }
        // Doubling steps until past `offset`, then a binary search of the last step.
        let (mut lo, mut step) = (from, 1);
        loop {
            let hi = (lo + step).min(starts.len());
            if hi == starts.len() || starts[hi] > offset {
                return lo + starts[lo..hi].partition_point(|&s| s <= offset) - 1;
            }
            lo = hi;
            step *= 2;
        }
    }
}

/// Byte offsets where the lines of `text` start.
pub fn line_starts(text: &str) -> Vec<usize> {
    // memchr's vectorised scan: this runs over every byte of every file
    // with findings, and a byte-by-byte filter cost more than emitting. A
    // big file's parts are scanned side by side: on one 100 MB file on two
    // threads, the scan was a moment at the end with one thread working.
    let bytes = text.as_bytes();
    let parts: Vec<Vec<usize>> = bytes
        .par_chunks(SCAN_PART)
        .enumerate()
        .map(|(k, part)| memchr::memchr_iter(b'\n', part).map(|i| k * SCAN_PART + i + 1).collect())
        .collect();
    let mut starts = Vec::with_capacity(1 + parts.iter().map(Vec::len).sum::<usize>());
    starts.push(0);
    parts.iter().for_each(|part| starts.extend_from_slice(part));
    starts
}

/// The bytes a thread scans for line ends at a time: small files are one part.
const SCAN_PART: usize = 4 << 20;

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

    /// Scanned in parts, the line starts are those of one scan, line ends
    /// on either side of a part's edge too.
    #[test]
    fn line_starts_across_parts() {
        let part = super::SCAN_PART;
        let mut text = vec![b'x'; 2 * part + 100];
        for at in [0, 17, part - 1, part, part + 1, 2 * part - 1, 2 * part + 99] {
            text[at] = b'\n';
        }
        let text = String::from_utf8(text).unwrap();
        let one_scan: Vec<usize> =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        assert_eq!(super::line_starts(&text), one_scan);
    }

    #[test]
    fn columns_agree_in_any_order() {
        let long: String = (0..40).map(|i| format!("{}第{i}行\n", "x".repeat(i % 7))).collect();
        for text in ["第一行\nab中文cd，英文 text 和中文\n末行", &long] {
            agree_in_any_order(text);
        }
    }

    fn agree_in_any_order(text: &str) {
        let idx = super::LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        // Counted from the text itself: lines before, characters since the last one.
        let expected: Vec<(usize, usize)> = offsets
            .iter()
            .map(|&o| {
                let before = &text[..o];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                (before.matches('\n').count() + 1, text[line_start..o].chars().count() + 1)
            })
            .collect();
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
