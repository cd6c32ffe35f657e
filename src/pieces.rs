//! A file too big to hold, linted a piece at a time.
//!
//! Read whole, a 1 GB file costs its size in memory and its document model
//! most of that again. Read in pieces of about [`Sizes::piece`] bytes, cut
//! where parsing each side alone gives the blocks of the whole (see
//! [`document::section_end`]), it costs one piece. Each piece is parsed with
//! a section of its neighbours on either side as context, so that a rule that
//! looks a few blocks back or ahead (a cut sentence and its stranded tail)
//! sees what it would see in the whole file; findings are kept for the
//! piece's own blocks only. A rule that compares blocks across the whole file
//! (duplicate-paragraph) takes fingerprints from each piece and compares them
//! at the end, as a tree run does across files. The output is written a piece
//! at a time too, from the file read again (`app::pieced`).

use crate::document::{self, Document};
use crate::finding::Finding;
use crate::lint::RuleSet;
use crate::rules::TreeInput;
use crate::rules::common::pairing::TERM_WINDOW;
use crate::source::Format;
use crate::suppress::{self, Placed};
use crate::texts::Texts;
use std::io::{self, Read};
use std::ops::Range;
use xxhash_rust::xxh3::xxh3_64;

/// Which files are cut, and how.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Files at least this large are linted a piece at a time.
    pub min_file: u64,
    /// A piece's own text, about.
    pub piece: usize,
    /// The context on either side of a piece, at least: a cut-sentence pair
    /// is at most a few blocks apart, and a tail's terms are counted within
    /// [`TERM_WINDOW`] of it, so a megabyte is plenty.
    pub context: usize,
}

/// A piece's context on either side, by default.
const CONTEXT: usize = 1 << 20;

// What a rule reads around a block must fit in a piece's context, or the
// pieces would not give the findings of the whole.
const _: () = assert!(TERM_WINDOW <= CONTEXT);

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes { min_file: 256 << 20, piece: 32 << 20, context: CONTEXT }
    }
}

impl Sizes {
    /// The default sizes, or with `COPYDESK_PIECE_BYTES=N` in the
    /// environment, files of N bytes or more cut into pieces of N: how the
    /// CLI tests check this path without writing gigabytes.
    pub fn for_run() -> Sizes {
        let set = std::env::var("COPYDESK_PIECE_BYTES").ok().and_then(|v| v.parse::<usize>().ok());
        match set {
            Some(n) if n > 0 => Sizes { min_file: n as u64, piece: n, context: (n / 4).clamp(1, CONTEXT) },
            _ => Sizes::default(),
        }
    }
}

/// Bytes read at a time.
const READ_BYTES: usize = 8 << 20;

/// A piece of a file, as its output is written: where it is, and a hash of
/// its text, to tell that the file did not change before it is read again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    /// The 0-based line number of `start`.
    pub line: usize,
    pub hash: u64,
}

impl Piece {
    /// Whether `text`, read again, is this piece's text.
    pub fn matches(&self, text: &str) -> bool {
        text.len() == self.end - self.start && xxh3_64(text.as_bytes()) == self.hash
    }
}

/// A file linted in pieces.
#[derive(Debug, Default)]
pub struct Linted {
    /// Every finding, offsets into the file, in no particular order.
    pub findings: Vec<Finding>,
    pub pieces: Vec<Piece>,
    pub directives: Vec<Placed>,
}

/// Why a file could not be linted: what `source::decode` says of a whole file.
#[derive(Debug)]
pub enum Failure {
    Io(io::Error),
    Binary,
    InvalidUtf8 { offset: usize },
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

/// Lints `input` (the whole file) a piece at a time. `texts` gives the
/// file's text as file 0, for the few blocks a whole-file rule needs to see
/// again (near copies to confirm). `progress` is told each piece's bytes
/// once it is checked.
pub fn lint(
    input: impl Read + Send,
    display: &str,
    format: Format,
    rules: &RuleSet,
    sizes: Sizes,
    texts: &dyn Texts,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Linted, Failure> {
    let mut reader = Reader::new(input);
    let mut out = Linted::default();
    let mut gathered: Vec<(&'static str, Vec<TreeInput>)> = Vec::new();
    let mut next = Plan { context: 0..0, own: 0..0, last_section: 0 };
    // One piece at a time: the rules of a big document split its blocks into
    // runs that keep every thread busy (`rules::common::runs`). Two pieces at
    // a time were no faster on one 1 GB file (23.9 s against 20.7–23.2) and
    // took 60 MB more.
    // The next piece is read (and checked, and decoded) while this one is
    // linted, unless one thread does both: on two threads reading was most
    // of what ran alone between pieces.
    let read_ahead = if rayon::current_num_threads() > 1 { sizes.piece + 2 * sizes.context } else { 0 };
    loop {
        let plan = next.plan(&mut reader, sizes, format)?;
        let (region, base) = (plan.region(), plan.context.start);
        let Reader { text: held, start, fetch, .. } = &mut reader;
        let text = &held[plan.context.start - *start..plan.context.end - *start];
        let ((found, inputs, directives), ()) = rayon::join(
            || {
                let body_start = if base == 0 && text.starts_with('\u{feff}') { 3 } else { 0 };
                let doc = Document::parse(display, text, body_start, format);
                let (found, inputs) = rules.check_piece(&doc, region.clone(), base);
                let directives: Vec<Placed> = suppress::placed(&doc)
                    .into_iter()
                    .filter(|p| region.contains(&p.directive.span.start))
                    .map(|p| p.shifted(base))
                    .collect();
                (found, inputs, directives)
            },
            || fetch.read_ahead(read_ahead),
        );
        out.findings.extend(found);
        for (rule, input) in inputs {
            match gathered.iter_mut().find(|(id, _)| *id == rule) {
                Some((_, all)) => all.push(input),
                None => gathered.push((rule, vec![input])),
            }
        }
        out.directives.extend(directives);
        progress((plan.own.end - plan.own.start) as u64);
        out.pieces.push(Piece {
            start: plan.own.start,
            end: plan.own.end,
            line: reader.line_of(plan.own.start),
            hash: xxh3_64(reader.text(plan.own.clone()).as_bytes()),
        });
        if reader.ends_at(plan.own.end) {
            break;
        }
        next = Plan {
            context: plan.last_section..plan.own.end,
            own: plan.own.end..plan.own.end,
            last_section: plan.own.end,
        };
        reader.forget_before(next.context.start);
    }
    // The text read is done with: its tens of megabytes go back before the
    // whole-file comparison takes its share.
    drop(reader);
    for (rule, inputs) in gathered {
        if let Some(active) = rules.get(rule) {
            let inputs = inputs.into_iter().map(|input| (0, input)).collect();
            out.findings.extend(active.check_tree(inputs, texts).into_iter().map(|(_, f)| f));
        }
    }
    Ok(out)
}

/// Where one piece is, in file offsets.
struct Plan {
    /// The text parsed: the piece's own and a section either side.
    context: Range<usize>,
    /// The blocks findings are kept for.
    own: Range<usize>,
    /// Where the last section of the piece's own text starts: the next
    /// piece's context starts there.
    last_section: usize,
}

impl Plan {
    /// Given the context start and own start of a piece (`self`, its end not
    /// yet known), the whole piece: its own text a section at a time, then
    /// one section after it.
    fn plan(&self, reader: &mut Reader<impl Read>, sizes: Sizes, format: Format) -> Result<Plan, Failure> {
        let section = sizes.context.max(1);
        let own_start = self.own.start;
        let (mut own_end, mut last_section) = (own_start, own_start);
        while own_end - own_start < sizes.piece && !reader.ends_at(own_end) {
            last_section = own_end;
            own_end = reader.cut_after(own_end, section, format)?;
        }
        let context_end =
            if reader.ends_at(own_end) { own_end } else { reader.cut_after(own_end, section, format)? };
        Ok(Plan { context: self.context.start..context_end, own: own_start..own_end, last_section })
    }

    /// The own text, as offsets into the context.
    fn region(&self) -> Range<usize> {
        self.own.start - self.context.start..self.own.end - self.context.start
    }
}

/// The file's text from some offset on, read as far as asked.
struct Reader<R> {
    text: String,
    /// The file offset of `text`'s first byte.
    start: usize,
    /// Newlines in the file before `start`.
    lines: usize,
    fetch: Fetch<R>,
}

/// The reading side of a [`Reader`]: bytes from the input, checked and
/// decoded a block at a time, into text the reader has not taken yet. Apart
/// from the reader's text, so that the next piece can be read while the
/// last is linted.
struct Fetch<R> {
    input: R,
    /// Decoded text after the reader's.
    ahead: String,
    /// The file offset where `ahead` ends.
    end: usize,
    /// The first bytes of a character the last read cut in two.
    partial: Vec<u8>,
    buffer: Vec<u8>,
    eof: bool,
    /// What went wrong reading ahead, told when the reader gets that far.
    failed: Option<Failure>,
}

impl<R: Read> Reader<R> {
    fn new(input: R) -> Reader<R> {
        Reader {
            text: String::new(),
            start: 0,
            lines: 0,
            fetch: Fetch {
                input,
                ahead: String::new(),
                end: 0,
                partial: Vec::new(),
                buffer: vec![0; READ_BYTES],
                eof: false,
                failed: None,
            },
        }
    }

    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// Whether everything the file has is in `text`.
    fn exhausted(&self) -> bool {
        self.fetch.eof && self.fetch.ahead.is_empty() && self.fetch.failed.is_none()
    }

    /// Whether the file ends at `offset`.
    fn ends_at(&self, offset: usize) -> bool {
        self.exhausted() && offset == self.end()
    }

    fn text(&self, range: Range<usize>) -> &str {
        &self.text[range.start - self.start..range.end - self.start]
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines + memchr::memchr_iter(b'\n', self.text(self.start..offset).as_bytes()).count()
    }

    fn forget_before(&mut self, offset: usize) {
        self.lines = self.line_of(offset);
        self.text.drain(..offset - self.start);
        self.start = offset;
    }

    /// The first cut at least `min` bytes after `from` (a cut), or the end
    /// of the file. Reads on as far as it must, each time as far again as
    /// it has looked: a file with no cut at all is scanned in linear time.
    fn cut_after(&mut self, from: usize, min: usize, format: Format) -> Result<usize, Failure> {
        let mut want = from + min + READ_BYTES;
        loop {
            self.read_to(want)?;
            if let Some(cut) = document::section_end(&self.text, from - self.start, min, format) {
                return Ok(self.start + cut);
            }
            if self.exhausted() {
                return Ok(self.end());
            }
            want = self.end() + (self.end() - from);
        }
    }

    /// Reads until the text reaches file offset `until` or the file ends.
    fn read_to(&mut self, until: usize) -> Result<(), Failure> {
        while self.end() < until {
            if !self.fetch.ahead.is_empty() {
                self.text.push_str(&self.fetch.ahead);
                self.fetch.ahead.clear();
            } else if let Some(failure) = self.fetch.failed.take() {
                return Err(failure);
            } else if self.fetch.eof {
                break;
            } else {
                self.fetch.read_block()?;
            }
        }
        Ok(())
    }
}

impl<R: Read> Fetch<R> {
    /// Reads about `bytes` more text ahead, keeping what goes wrong for
    /// when the reader gets there.
    fn read_ahead(&mut self, bytes: usize) {
        while self.ahead.len() < bytes && !self.eof && self.failed.is_none() {
            if let Err(failure) = self.read_block() {
                self.failed = Some(failure);
            }
        }
    }

    /// Reads one block of the input into `ahead`.
    fn read_block(&mut self) -> Result<(), Failure> {
        let n = loop {
            match self.input.read(&mut self.buffer) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        };
        if n == 0 {
            self.eof = true;
            if !self.partial.is_empty() {
                return Err(Failure::InvalidUtf8 { offset: self.end });
            }
            return Ok(());
        }
        let bytes = &self.buffer[..n];
        if memchr::memchr(0, bytes).is_some() {
            return Err(Failure::Binary);
        }
        self.partial.extend_from_slice(bytes);
        // A character the read cut in two waits for the next read: the
        // bytes are validated once, up to the last whole character.
        let whole = whole_chars_len(&self.partial);
        let end = self.end;
        // simdutf8's check: std's ran at about 6 instructions a byte of Chinese.
        let text = simdutf8::compat::from_utf8(&self.partial[..whole])
            .map_err(|e| Failure::InvalidUtf8 { offset: end + e.valid_up_to() })?;
        self.ahead.push_str(text);
        self.end += whole;
        self.partial.drain(..whole);
        Ok(())
    }
}

/// The length of `bytes` without a last character cut short: what follows
/// its last lead byte, if fewer bytes than that lead byte announces. Invalid
/// bytes are left in, for validation to report.
fn whole_chars_len(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let Some(lead) = (len.saturating_sub(4)..len).rev().find(|&i| bytes[i] & 0xC0 != 0x80) else {
        return len;
    };
    let width = match bytes[lead] {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    };
    if lead + width > len { lead } else { len }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Loader, Overrides};
    use crate::texts::InMemory;

    fn rules() -> std::sync::Arc<RuleSet> {
        let dir = std::env::temp_dir();
        let settings = Loader::new(Overrides { isolated: true, ..Overrides::default() }, dir.clone())
            .for_dir(&dir)
            .unwrap();
        settings.rules.clone()
    }

    /// A text with every kind of finding, some of them across cuts: copies
    /// far apart, list items, a cut sentence right before a cut.
    fn sample() -> String {
        let mut text = String::from("\u{feff}# 标题\n\n");
        for i in 0..60 {
            text.push_str(&format!("第{i}段写的是县里召开的全体会议，研究部署了全年工作。\n\n"));
            text.push_str("This paragraph repeats the the word, and it is long enough to count.\n\n");
            if i % 7 == 0 {
                text.push_str("- 一个列表项，写得足够长，长到可以比较\n- 另一个列表项，写得也足够长\n\n");
            }
            if i % 11 == 0 {
                text.push_str(&format!(
                    "第{i}期活动中，县图书馆定期推荐必读书\n\n目，组织读书心得交流活动。\n\n"
                ));
            }
        }
        text
    }

    fn whole(text: &str) -> Vec<Finding> {
        let doc = Document::parse("t.md", text, 3, Format::Markdown);
        let mut found = rules().check(&doc);
        crate::lint::sort(&mut found);
        found
    }

    /// Cut into pieces of every size, a file gives the findings of the whole.
    #[test]
    fn pieces_find_what_the_whole_file_finds() {
        let text = sample();
        let expected = whole(&text);
        assert!(expected.iter().any(|f| f.rule == "duplicate-paragraph"));
        assert!(expected.iter().any(|f| f.rule == "orphaned-fragment"));
        assert!(expected.iter().any(|f| f.rule == "repeated-phrase"));
        for piece in [200, 1000, 5000, usize::MAX / 2] {
            let sizes = Sizes { min_file: 0, piece, context: 400 };
            let linted = lint(
                text.as_bytes(),
                "t.md",
                Format::Markdown,
                &rules(),
                sizes,
                &InMemory(&[&text]),
                &|_| {},
            )
            .unwrap();
            let mut found = linted.findings;
            crate::lint::sort(&mut found);
            assert_eq!(found, expected, "pieces of {piece} bytes");
            assert_eq!(linted.pieces.first().map(|p| p.start), Some(0));
            assert_eq!(linted.pieces.last().map(|p| p.end), Some(text.len()));
            for pair in linted.pieces.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!(pair[1].line, text[..pair[1].start].matches('\n').count());
            }
        }
    }

    /// A read that ends inside a character, a NUL, and bad UTF-8.
    #[test]
    fn reads_check_the_bytes() {
        /// Gives its bytes a few at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(5);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let text = "第一段。\n\n第二段。\n";
        let mut reader = Reader::new(Trickle(text.as_bytes()));
        reader.read_to(usize::MAX).unwrap();
        assert_eq!(reader.text, text);
        let bad = |bytes: &[u8]| Reader::new(Trickle(bytes)).read_to(usize::MAX).unwrap_err();
        assert!(matches!(bad(b"ok\0"), Failure::Binary));
        assert!(matches!(bad(b"ok \xe4\xb8 broken"), Failure::InvalidUtf8 { offset: 3 }));
        assert!(matches!(bad(b"ok \xe4\xb8"), Failure::InvalidUtf8 { offset: 3 }));
        // Read ahead, what went wrong waits until the reader gets that far.
        let mut ahead = Reader::new(Trickle(b"ok \xe4\xb8 broken"));
        ahead.fetch.read_ahead(usize::MAX);
        assert!(ahead.text.is_empty());
        assert!(matches!(ahead.read_to(2), Ok(())));
        assert_eq!(ahead.text, "ok ");
        assert!(matches!(ahead.read_to(usize::MAX), Err(Failure::InvalidUtf8 { offset: 3 })));
    }
}
