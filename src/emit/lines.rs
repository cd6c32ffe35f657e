//! Byte offsets to 1-based line and column numbers; columns count Unicode
//! scalar values, as the JSON contract and editors' quickfix lists expect.

pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// (line, column), both 1-based, for a byte offset on a char boundary.
    pub fn location(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text.get(self.starts[line]..offset).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }
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
}
