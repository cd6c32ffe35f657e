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
    let (nul, valid) = if bytes.len() >= PARALLEL_BYTES && rayon::current_num_threads() > 1 {
        check_in_parts(&bytes)
    } else {
        check(&bytes)
    };
    if nul {
        return Decoded::Binary;
    }
    if !valid {
        // The offset of the first bad byte: rare, and asked of the whole, as a
        // part cut before a bad sequence would place it elsewhere.
        let offset = std::str::from_utf8(&bytes).err().map_or(bytes.len(), |e| e.valid_up_to());
        return Decoded::InvalidUtf8 { offset };
    }
    // SAFETY: `check` or every part of `check_in_parts` found the bytes valid
    // UTF-8 (and valid UTF-8 strings put end to end are valid UTF-8). Checking
    // them again, as `String::from_utf8` would, cost as much as the check.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    Decoded::Text(SourceText { text })
}

/// Whether `bytes` hold a NUL (almost certainly not a draft), and whether
/// they are valid UTF-8. memchr's scan and simdutf8's check: the standard
/// library's took a tenth of the time a big file spends before it is parsed
/// (std's UTF-8 check runs at about 6 instructions a byte of Chinese).
fn check(bytes: &[u8]) -> (bool, bool) {
    (memchr::memchr(0, bytes).is_some(), simdutf8::basic::from_utf8(bytes).is_ok())
}

/// Files at least this large are checked a part per thread.
const PARALLEL_BYTES: usize = 1 << 20;

/// [`check`] of a big file split among the threads: on one thread it was
/// 8 ms of a 10 MB file's run during which the other thread had nothing to
/// do.
fn check_in_parts(bytes: &[u8]) -> (bool, bool) {
    use rayon::prelude::*;
    let parts = rayon::current_num_threads() * 2;
    let mut cuts = vec![0];
    for k in 1..parts {
        // A cut never falls inside a character: it moves on past
        // continuation bytes (at most three in valid text).
        let even = bytes.len() * k / parts;
        let mut at = even.max(cuts[k - 1]);
        while at < bytes.len() && at - even < 4 && (bytes[at] & 0xC0) == 0x80 {
            at += 1;
        }
        cuts.push(at);
    }
    cuts.push(bytes.len());
    cuts.par_windows(2)
        .map(|w| check(&bytes[w[0]..w[1]]))
        .reduce(|| (false, true), |a, b| (a.0 || b.0, a.1 && b.1))
}

/// A file's bytes. A big file is read in two halves side by side: on one
/// 10 MB file with two threads, the kernel's copy into a fresh buffer (and
/// the page faults that come with it) was the first ~10 ms of the run, with
/// the other thread idle.
pub fn read(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::io::Read;
        use std::os::unix::fs::FileExt;
        let mut file = std::fs::File::open(path)?;
        if let Ok(len) = usize::try_from(file.metadata()?.len())
            && len >= PARALLEL_BYTES
            && rayon::current_num_threads() > 1
        {
            let mut bytes = vec![0; len];
            let (head, tail) = bytes.split_at_mut(len / 2);
            let (read_head, read_tail) =
                rayon::join(|| file.read_exact_at(head, 0), || file.read_exact_at(tail, (len / 2) as u64));
            // A file that shrank while it was read is read again, whole.
            if read_head.and(read_tail).is_err() {
                return std::fs::read(path);
            }
            // A file that grew: the rest, from where the halves ended.
            use std::io::Seek;
            file.seek(std::io::SeekFrom::Start(len as u64))?;
            file.read_to_end(&mut bytes)?;
            return Ok(bytes);
        }
    }
    std::fs::read(path)
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

    /// `decode` on three threads, so that a big input takes the parallel path.
    fn decode_on_threads(bytes: Vec<u8>) -> Decoded {
        rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap().install(|| decode(bytes))
    }

    #[test]
    fn big_files_are_read_in_halves_as_a_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let bytes: Vec<u8> = (0..PARALLEL_BYTES * 3 + 7).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        assert!(pool.install(|| read(&path)).unwrap() == bytes);
        assert!(pool.install(|| read(&dir.path().join("missing.md"))).is_err());
    }

    #[test]
    fn big_files_are_checked_in_parts_as_a_whole() {
        // Three-byte characters after one ASCII byte: every cut point lands
        // inside a character and must move.
        let text = format!("a{}", "中文，".repeat(PARALLEL_BYTES / 4));
        let Decoded::Text(decoded) = decode_on_threads(text.clone().into_bytes()) else { panic!("not text") };
        assert_eq!(decoded.text, text);

        let mut bad = text.clone().into_bytes();
        let at = bad.len() * 5 / 6 + 1;
        bad[at] = 0xFF;
        let expected = std::str::from_utf8(&bad).unwrap_err().valid_up_to();
        assert!(matches!(decode_on_threads(bad), Decoded::InvalidUtf8 { offset } if offset == expected));

        let mut nul = text.into_bytes();
        let at = nul.len() - 10;
        nul[at] = 0;
        assert!(matches!(decode_on_threads(nul), Decoded::Binary));
    }

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
