//! The texts of a run's files, by file id, for the steps that need them after
//! linting: a tree-wide rule confirming a near copy, and the emitters.
//!
//! A run that compares files with each other is finished only once every file
//! has been read; holding every text until then costs the whole corpus in
//! memory. So a [`Store`] holds only the input that cannot be read twice
//! (standard input, JSON Lines records) and reads files again from disk, checked
//! against a hash of the text that was linted.

use crate::finding::FileId;
use crate::source::{self, Decoded};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::{Deref, Range};
use std::path::PathBuf;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

/// A file's text, borrowed or shared with the store's cache.
pub enum Text<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Shared(s) => s,
        }
    }
}

/// Texts by file id.
pub trait Texts {
    fn text(&self, file: FileId) -> Option<Text<'_>>;

    /// The text of each of `spans` of `file` (byte ranges on char boundaries),
    /// in order; `None` for one that cannot be had.
    fn excerpts(&self, file: FileId, spans: &[Range<usize>]) -> Vec<Option<String>> {
        slices(self.text(file).as_deref(), spans)
    }
}

/// The text of each of `spans` of `text`, if there is one.
fn slices(text: Option<&str>, spans: &[Range<usize>]) -> Vec<Option<String>> {
    spans.iter().map(|span| text.and_then(|t| t.get(span.clone())).map(str::to_string)).collect()
}

/// Texts all in memory, indexed by file id.
pub struct InMemory<'a>(pub &'a [&'a str]);

impl Texts for InMemory<'_> {
    fn text(&self, file: FileId) -> Option<Text<'_>> {
        self.0.get(file).map(|s| Text::Borrowed(s))
    }
}

/// One file on disk, as file 0, read a span at a time: a file linted in
/// pieces is too big to read whole again.
pub struct OnDisk<'a>(pub &'a std::path::Path);

impl Texts for OnDisk<'_> {
    fn text(&self, _file: FileId) -> Option<Text<'_>> {
        None
    }

    /// Many spans are read side by side, each thread with a handle of its
    /// own: a 1 GB file's near-copy candidates, read on one thread, were
    /// about 0.1 s at the end of a two-thread run with the other idle.
    fn excerpts(&self, file: FileId, spans: &[Range<usize>]) -> Vec<Option<String>> {
        use rayon::prelude::*;
        if file != 0 {
            return vec![None; spans.len()];
        }
        let read_all = |spans: &[Range<usize>]| -> Vec<Option<String>> {
            let Ok(mut reader) = std::fs::File::open(self.0) else { return vec![None; spans.len()] };
            spans.iter().map(|span| read_span(&mut reader, span.clone()).ok()).collect()
        };
        if spans.len() < 2 * SPANS_PER_TASK || rayon::current_num_threads() == 1 {
            return read_all(spans);
        }
        spans.par_chunks(SPANS_PER_TASK).flat_map_iter(read_all).collect()
    }
}

/// Spans a task of [`OnDisk::excerpts`] reads: enough to outweigh opening
/// the file.
const SPANS_PER_TASK: usize = 256;

/// The text of `span` of a file.
pub fn read_span(file: &mut std::fs::File, span: Range<usize>) -> std::io::Result<String> {
    read_span_into(file, span, Vec::new())
}

/// The text of `span` of a file, read into `buffer`'s memory: a piece of
/// tens of megabytes read again and again costs fresh pages, which the
/// kernel zeroes, unless one buffer serves.
pub fn read_span_into(
    file: &mut std::fs::File,
    span: Range<usize>,
    mut buffer: Vec<u8>,
) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(span.start as u64))?;
    buffer.clear();
    buffer.reserve_exact(span.len());
    file.by_ref().take(span.len() as u64).read_to_end(&mut buffer)?;
    if buffer.len() < span.len() {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    // The source's check (simdutf8, split among the threads for a big span):
    // a file linted in pieces is read again a piece at a time to be written
    // out, and std's check of each piece ran alone.
    match crate::source::decode(buffer) {
        crate::source::Decoded::Text(text) => Ok(text.text),
        _ => Err(std::io::Error::other("no longer valid UTF-8 text")),
    }
}

/// How a linted file's text can be had again.
pub enum Kept {
    Held(Arc<str>),
    /// On disk, with the hash of the text that was linted.
    Disk {
        path: PathBuf,
        hash: u64,
    },
}

impl Kept {
    pub fn disk(path: PathBuf, text: &str) -> Kept {
        Kept::Disk { path, hash: xxh3_64(text.as_bytes()) }
    }
}

/// Bytes of files read again that are kept for the next request, beyond the
/// latest file: requests come in file order, so a few files suffice.
const RECENT_BYTES: usize = 32 << 20;

#[derive(Default)]
pub struct Store {
    kept: Vec<Kept>,
    recent: RefCell<VecDeque<(FileId, Arc<str>)>>,
}

impl Store {
    /// Keeps the next file's text (file ids count up from 0).
    pub fn push(&mut self, kept: Kept) {
        self.kept.push(kept);
    }

    /// The text of `file`, or why it cannot be had: a file that changed or
    /// went away since it was linted.
    pub fn load(&self, file: FileId) -> Result<Arc<str>, String> {
        let Some(kept) = self.kept.get(file) else { return Err("no such file in this run".to_string()) };
        if let Some((_, text)) = self.recent.borrow().iter().find(|(f, _)| *f == file) {
            return Ok(text.clone());
        }
        let text = kept.load()?;
        if let Kept::Disk { .. } = kept {
            let mut recent = self.recent.borrow_mut();
            recent.push_back((file, text.clone()));
            while recent.len() > 1 && recent.iter().map(|(_, t)| t.len()).sum::<usize>() > RECENT_BYTES {
                recent.pop_front();
            }
        }
        Ok(text)
    }

    /// The texts of `files` to be written out, read side by side: writing
    /// out a tree run reads every file with findings again, and one thread
    /// reading, checking and hashing them in turn was most of that step.
    /// Owned, as the reports take them: a text read from disk is handed over
    /// as read, not copied into shared memory and out again.
    pub fn load_many(&self, files: &[FileId]) -> Vec<Result<String, String>> {
        use rayon::prelude::*;
        let kept = &self.kept;
        files
            .par_iter()
            .map(|&file| kept.get(file).ok_or_else(|| "no such file in this run".to_string())?.load_owned())
            .collect()
    }
}

impl Kept {
    /// The text, read again if it is on disk.
    fn load(&self) -> Result<Arc<str>, String> {
        match self {
            Kept::Held(text) => Ok(text.clone()),
            Kept::Disk { .. } => self.load_owned().map(Arc::from),
        }
    }

    /// [`Kept::load`], as a text of the caller's own.
    fn load_owned(&self) -> Result<String, String> {
        let (path, hash) = match self {
            Kept::Held(text) => return Ok(text.to_string()),
            Kept::Disk { path, hash } => (path, *hash),
        };
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read it again: {}", crate::discover::io_message(&e)))?;
        match source::decode(bytes) {
            Decoded::Text(t) if xxh3_64(t.text.as_bytes()) == hash => Ok(t.text),
            _ => Err("it changed while copydesk was running".to_string()),
        }
    }
}

impl Texts for Store {
    fn text(&self, file: FileId) -> Option<Text<'_>> {
        self.load(file).ok().map(Text::Shared)
    }

    /// Spans of a file on disk are read as spans: a near copy to confirm
    /// needs two paragraphs, not two files read, checked and hashed whole. A
    /// file changed meanwhile is caught when its findings are written.
    fn excerpts(&self, file: FileId, spans: &[Range<usize>]) -> Vec<Option<String>> {
        let cached = self.recent.borrow().iter().any(|(f, _)| *f == file);
        match self.kept.get(file) {
            Some(Kept::Disk { path, .. }) if !cached => OnDisk(path).excerpts(0, spans),
            _ => slices(self.text(file).as_deref(), spans),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_again_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "第一段。\n").unwrap();
        let mut store = Store::default();
        store.push(Kept::Held("held".into()));
        store.push(Kept::disk(path.clone(), "第一段。\n"));
        assert_eq!(&*store.load(0).unwrap(), "held");
        assert_eq!(&*store.load(1).unwrap(), "第一段。\n");
        std::fs::write(&path, "改过了。\n").unwrap();
        // Cached: the text linted is the text shown.
        assert_eq!(&*store.load(1).unwrap(), "第一段。\n");
        let mut fresh = Store::default();
        fresh.push(Kept::disk(path, "第一段。\n"));
        assert!(fresh.load(0).unwrap_err().contains("changed"));
    }

    /// Spans read side by side come back in the order asked, each the
    /// text it spans; a span past the end or inside a character has none.
    #[test]
    fn many_spans_on_disk_read_side_by_side() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let text: String = (0..3000).map(|i| format!("第{i}段 paragraph {i}.\n")).collect();
        std::fs::write(&path, &text).unwrap();
        let mut spans: Vec<Range<usize>> = text
            .match_indices('\n')
            .scan(0, |start, (end, _)| Some(std::mem::replace(start, end + 1)..end))
            .collect();
        spans.push(text.len()..text.len() + 5);
        spans.push(1..2);
        assert!(spans.len() >= 4 * SPANS_PER_TASK);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let read = pool.install(|| OnDisk(&path).excerpts(0, &spans));
        let expected: Vec<Option<String>> =
            spans.iter().map(|s| text.get(s.clone()).map(str::to_string)).collect();
        assert_eq!(read, expected);
        assert_eq!(read[7].as_deref(), Some("第7段 paragraph 7."));
        assert!(OnDisk(&path).excerpts(1, &spans[..3]).iter().all(Option::is_none));
    }
}
