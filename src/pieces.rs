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
    mut input: impl Read + Send,
    display: &str,
    format: Format,
    rules: &RuleSet,
    sizes: Sizes,
    texts: &dyn Texts,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Linted, Failure> {
    let mut out = Linted::default();
    let mut gathered: Vec<(&'static str, Vec<TreeInput>)> = Vec::new();
    let mut window = Window::default();
    let first = Plan { context: 0..0, own: 0..0, last_section: 0 };
    let mut plan = first.plan(&mut window, &mut input, sizes, format)?;
    // The buffer the window before last had: the next window is read into it.
    let mut spare = Vec::new();
    // One piece at a time: the rules of a big document split its blocks into
    // runs that keep every thread busy (`rules::common::runs`). Two pieces at
    // a time were no faster on one 1 GB file (23.9 s against 20.7–23.2) and
    // took 60 MB more.
    // The next piece is read, checked, decoded and cut while this one is
    // linted, into a window of its own: on two threads, reading ahead into
    // one window and finding the cuts between pieces left the other thread
    // idle about a tenth of a 1 GB file's run, and the text was copied three
    // times more on its way. On one thread, join runs the two in turn.
    loop {
        let (region, base) = (plan.region(), plan.context.start);
        let text = window.text(plan.context.clone());
        let ((found, inputs, directives), (piece, next)) = rayon::join(
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
            || {
                let line = window.line_of(plan.own.start);
                let piece = Piece {
                    start: plan.own.start,
                    end: plan.own.end,
                    line,
                    hash: xxh3_64(window.text(plan.own.clone()).as_bytes()),
                };
                let next = (!window.ends_at(plan.own.end))
                    .then(|| window.next(&plan, line, &mut input, std::mem::take(&mut spare), sizes, format));
                (piece, next)
            },
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
        out.pieces.push(piece);
        let Some(next) = next else { break };
        let (next_window, next_plan) = next?;
        spare = std::mem::replace(&mut window, next_window).bytes;
        plan = next_plan;
    }
    // The text read is done with: its tens of megabytes go back before the
    // whole-file comparison takes its share.
    drop(window);
    drop(spare);
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
    fn plan(
        &self,
        window: &mut Window,
        input: &mut impl Read,
        sizes: Sizes,
        format: Format,
    ) -> Result<Plan, Failure> {
        let section = sizes.context.max(1);
        let own_start = self.own.start;
        let (mut own_end, mut last_section) = (own_start, own_start);
        while own_end - own_start < sizes.piece && !window.ends_at(own_end) {
            last_section = own_end;
            own_end = window.cut_after(input, own_end, section, format)?;
        }
        let context_end = if window.ends_at(own_end) {
            own_end
        } else {
            window.cut_after(input, own_end, section, format)?
        };
        Ok(Plan { context: self.context.start..context_end, own: own_start..own_end, last_section })
    }

    /// The own text, as offsets into the context.
    fn region(&self) -> Range<usize> {
        self.own.start - self.context.start..self.own.end - self.context.start
    }
}

/// The file from some offset on, as far as it has been read: one piece's
/// text, its context, and whatever the last read brought after them.
#[derive(Default)]
struct Window {
    /// `bytes[..valid]` is checked text; `bytes[valid..filled]` the first
    /// bytes of a character the last read cut in two, validated once the
    /// rest comes. Past `filled`, room for the next read, zeroed once when
    /// the buffer grew and reused from window to window: a read straight
    /// into it is the text's only copy on the way in.
    bytes: Vec<u8>,
    valid: usize,
    filled: usize,
    /// The file offset of `bytes[0]`.
    start: usize,
    /// Newlines in the file before `start`.
    lines: usize,
    /// Whether the input has ended (a character cut short at its end is
    /// an error, so nothing then follows `valid`).
    eof: bool,
}

impl Window {
    /// The checked text.
    fn str(&self) -> &str {
        // SAFETY: every byte below `valid` passed simdutf8's check in
        // `read_block` (valid strings put end to end are valid), or was
        // copied by `next` from a window where it had, starting at a
        // character boundary.
        unsafe { std::str::from_utf8_unchecked(&self.bytes[..self.valid]) }
    }

    fn end(&self) -> usize {
        self.start + self.valid
    }

    /// Whether the file ends at `offset`.
    fn ends_at(&self, offset: usize) -> bool {
        self.eof && offset == self.end()
    }

    fn text(&self, range: Range<usize>) -> &str {
        &self.str()[range.start - self.start..range.end - self.start]
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines + self.newlines(self.start..offset)
    }

    fn newlines(&self, range: Range<usize>) -> usize {
        memchr::memchr_iter(b'\n', self.text(range).as_bytes()).count()
    }

    /// The window of the piece after `plan`'s, its text from `plan`'s last
    /// section on, read into `buffer`, and that piece's plan. `own_line` is
    /// the line `plan`'s own text starts on: the newlines of its context
    /// before that are not counted again.
    fn next(
        &self,
        plan: &Plan,
        own_line: usize,
        input: &mut impl Read,
        mut buffer: Vec<u8>,
        sizes: Sizes,
        format: Format,
    ) -> Result<(Window, Plan), Failure> {
        let keep = plan.last_section - self.start;
        assert!(self.str().is_char_boundary(keep), "a piece starts at a character");
        let tail = &self.bytes[keep..self.filled];
        if buffer.len() < tail.len() {
            buffer.resize(tail.len(), 0);
        }
        buffer[..tail.len()].copy_from_slice(tail);
        let mut next = Window {
            bytes: buffer,
            valid: self.valid - keep,
            filled: tail.len(),
            start: plan.last_section,
            lines: own_line + self.newlines(plan.own.start..plan.last_section),
            eof: self.eof,
        };
        let from = Plan {
            context: plan.last_section..plan.own.end,
            own: plan.own.end..plan.own.end,
            last_section: plan.own.end,
        };
        let plan = from.plan(&mut next, input, sizes, format)?;
        Ok((next, plan))
    }

    /// The first cut at least `min` bytes after `from` (a cut), or the end
    /// of the file. Reads on as far as it must, each time as far again as
    /// it has looked: a file with no cut at all is scanned in linear time.
    fn cut_after(
        &mut self,
        input: &mut impl Read,
        from: usize,
        min: usize,
        format: Format,
    ) -> Result<usize, Failure> {
        let mut want = from + min + READ_BYTES;
        loop {
            self.read_to(input, want)?;
            if let Some(cut) = document::section_end(self.str(), from - self.start, min, format) {
                return Ok(self.start + cut);
            }
            if self.eof {
                return Ok(self.end());
            }
            want = self.end() + (self.end() - from);
        }
    }

    /// Reads until the text reaches file offset `until` or the file ends.
    fn read_to(&mut self, input: &mut impl Read, until: usize) -> Result<(), Failure> {
        while self.end() < until && !self.eof {
            self.read_block(input)?;
        }
        Ok(())
    }

    /// Reads one block of the input, and checks and takes in as much of it
    /// as ends in whole characters.
    fn read_block(&mut self, input: &mut impl Read) -> Result<(), Failure> {
        if self.bytes.len() < self.filled + READ_BYTES {
            self.bytes.resize(self.filled + READ_BYTES, 0);
        }
        let n = loop {
            match input.read(&mut self.bytes[self.filled..self.filled + READ_BYTES]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        };
        if n == 0 {
            self.eof = true;
            if self.filled > self.valid {
                return Err(Failure::InvalidUtf8 { offset: self.end() });
            }
            return Ok(());
        }
        if memchr::memchr(0, &self.bytes[self.filled..self.filled + n]).is_some() {
            return Err(Failure::Binary);
        }
        self.filled += n;
        // A character the read cut in two waits for the next read: the
        // bytes are validated once, up to the last whole character.
        let whole = self.valid + whole_chars_len(&self.bytes[self.valid..self.filled]);
        // simdutf8's check: std's ran at about 6 instructions a byte of Chinese.
        if let Err(e) = simdutf8::compat::from_utf8(&self.bytes[self.valid..whole]) {
            return Err(Failure::InvalidUtf8 { offset: self.end() + e.valid_up_to() });
        }
        self.valid = whole;
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

    /// Gives its bytes (`.0`) a few (`.1`) at a time.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(self.1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// A read that ends inside a character, a NUL, and bad UTF-8.
    #[test]
    fn reads_check_the_bytes() {
        let text = "第一段。\n\n第二段。\n";
        let mut window = Window::default();
        window.read_to(&mut Trickle(text.as_bytes(), 5), usize::MAX).unwrap();
        assert_eq!(window.str(), text);
        assert!(window.ends_at(text.len()));
        let bad = |bytes: &[u8]| Window::default().read_to(&mut Trickle(bytes, 5), usize::MAX).unwrap_err();
        assert!(matches!(bad(b"ok\0"), Failure::Binary));
        assert!(matches!(bad(b"ok \xe4\xb8 broken"), Failure::InvalidUtf8 { offset: 3 }));
        assert!(matches!(bad(b"ok \xe4\xb8"), Failure::InvalidUtf8 { offset: 3 }));
        // Read only as far as asked, the bad bytes after are not yet seen.
        let mut short = Window::default();
        assert!(matches!(short.read_to(&mut Trickle(b"ok \xe4\xb8 broken", 5), 2), Ok(())));
        assert!(short.str().starts_with("ok"));
    }

    /// Bad bytes pieces after the first are found while an earlier piece is
    /// linted, and told at their own offset, as a whole file's would be.
    #[test]
    fn bad_bytes_in_a_later_piece_fail_the_file() {
        let text = sample();
        let sizes = Sizes { min_file: 0, piece: 300, context: 100 };
        let lint_bytes = |bytes: &[u8]| {
            // A kilobyte a read: the bad bytes come in a read of their own, pieces on.
            let input = Trickle(bytes, 1000);
            lint(input, "t.md", Format::Markdown, &rules(), sizes, &InMemory(&[&text]), &|_| {}).unwrap_err()
        };
        let mut broken = text.clone().into_bytes();
        broken.extend_from_slice(b"\xe4\xb8 broken\n");
        assert!(matches!(lint_bytes(&broken), Failure::InvalidUtf8 { offset } if offset == text.len()));
        let mut binary = text.clone().into_bytes();
        binary.extend_from_slice(b"a NUL \0 here\n");
        assert!(matches!(lint_bytes(&binary), Failure::Binary));
    }
}
