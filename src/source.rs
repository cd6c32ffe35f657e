//! Turning raw bytes into text a linter can trust.
//!
//! Everything downstream slices `&str` by byte offsets, so this is the one place
//! that decides what counts as text: valid UTF-8, no NUL bytes. A BOM is kept in
//! the text (so spans stay byte offsets into the file as it is on disk) and
//! skipped by the parsers through [`SourceText::body_start`].

/// The outcome of looking at a file's bytes.
pub enum Decoded {
    Text(SourceText),
    /// A NUL byte: almost certainly not a draft. Skipped with a note.
    Binary,
    /// Not UTF-8; `offset` is the first byte of the first bad sequence.
    InvalidUtf8 {
        offset: usize,
    },
}

/// A file's text, exactly as on disk.
pub struct SourceText {
    pub text: String,
}

impl SourceText {
    /// Byte offset where content starts, past a UTF-8 byte order mark.
    pub fn body_start(&self) -> usize {
        if self.text.starts_with('\u{feff}') { 3 } else { 0 }
    }
}

pub fn decode(bytes: Vec<u8>) -> Decoded {
    // A NUL never appears in prose. The memchr crate's scan: the standard
    // library's took a tenth of the time a big file spends before it is
    // parsed.
    if memchr::memchr(0, &bytes).is_some() {
        return Decoded::Binary;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded::Text(SourceText { text }),
        Err(err) => Decoded::InvalidUtf8 { offset: err.utf8_error().valid_up_to() },
    }
}

/// Which parser reads a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    PlainText,
}

impl Format {
    /// Markdown for `.md`/`.markdown`/`.mdown`/`.mkd`, plain text for anything else:
    /// a plain-text reading of Markdown would lint code, the reverse only loses
    /// nothing on a `.txt` that has no Markdown syntax.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        let markdown = [".md", ".markdown", ".mdown", ".mkd", ".mdx"];
        if markdown.iter().any(|ext| lower.ends_with(ext)) { Format::Markdown } else { Format::PlainText }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_reports_first_bad_byte() {
        let bytes = b"ok \xe4\xb8 broken".to_vec();
        match decode(bytes) {
            Decoded::InvalidUtf8 { offset } => assert_eq!(offset, 3),
            _ => panic!("expected invalid UTF-8"),
        }
    }

    #[test]
    fn nul_means_binary() {
        assert!(matches!(decode(b"a\0b".to_vec()), Decoded::Binary));
    }

    #[test]
    fn bom_is_kept_but_skipped() {
        let Decoded::Text(t) = decode("\u{feff}# 标题".as_bytes().to_vec()) else { panic!() };
        assert_eq!(t.body_start(), 3);
        assert_eq!(&t.text[t.body_start()..], "# 标题");
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(Format::from_path("a/B.MD"), Format::Markdown);
        assert_eq!(Format::from_path("notes.txt"), Format::PlainText);
    }
}
