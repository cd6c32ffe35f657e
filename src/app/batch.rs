//! Linting files in chunks: what becomes of each input, and what a chunk (or a
//! deferred tree run) keeps until its findings are written out.

use super::{Level, write_problem};
use crate::config::Settings;
use crate::discover::{self, Input, Target};
use crate::document::Document;
use crate::emit::{self, FileReport};
use crate::finding::{FileId, Finding};
use crate::lint::{self, RuleSet};
use crate::pieces::{self, Piece};
use crate::rules::TreeInput;
use crate::source::{self, Decoded, Format};
use crate::suppress;
use crate::texts::{Kept, OnDisk, Store};
use std::io::{self, Read};
use std::sync::Arc;

/// What became of one input.
pub(super) enum Outcome {
    Linted {
        report: FileReport,
        /// The file it was read from, to read it again.
        path: Option<std::path::PathBuf>,
        settings: Arc<Settings>,
        rules: Arc<RuleSet>,
        tree: Vec<(&'static str, TreeInput)>,
        suppressions: Vec<suppress::Scope>,
        /// For a file linted a piece at a time: its pieces. The report then
        /// has findings but no text; it is written out from the file.
        pieces: Option<Vec<Piece>>,
    },
    /// Not valid UTF-8, unreadable: an error for that file.
    Failed { display: String, message: String, note: Option<String> },
    /// A binary file: skipped with a note.
    Skipped { display: String, why: String },
}

/// Files per chunk, at most.
const CHUNK_FILES: usize = 64;
/// Bytes of input per chunk, about: a chunk's files and findings stay in
/// memory until it is written out, so big files go a few at a time.
const CHUNK_BYTES: u64 = 64 << 20;

pub(super) fn input_size(target: &Target) -> u64 {
    match &target.input {
        Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
        Input::Record { text, .. } => text.len() as u64,
        Input::Stdin => 0,
    }
}

/// Consecutive runs of inputs (by size) linted together, then written out: up
/// to `CHUNK_FILES` files or `CHUNK_BYTES` of input, but never fewer files
/// than there are threads to keep busy.
pub(super) fn chunks(sizes: impl Iterator<Item = u64>, threads: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes, mut end) = (0, 0, 0);
    for (i, size) in sizes.enumerate() {
        end = i + 1;
        bytes += size;
        if chunk_is_full(end - start, bytes, threads) {
            out.push(start..end);
            (start, bytes) = (end, 0);
        }
    }
    if start < end {
        out.push(start..end);
    }
    out
}

/// Whether a chunk of `files` inputs holding `bytes` of text is complete.
pub(super) fn chunk_is_full(files: usize, bytes: u64, threads: usize) -> bool {
    files == CHUNK_FILES || (bytes >= CHUNK_BYTES && files >= threads)
}

/// Linted files (a chunk's, or a whole deferred run's), with what each needs
/// to be finished.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) reports: Vec<FileReport>,
    pub(super) settings: Vec<Arc<Settings>>,
    rules: Vec<Arc<RuleSet>>,
    suppressions: Vec<Vec<suppress::Scope>>,
    pub(super) tree_jobs: Vec<TreeJob>,
    /// Each file's text length, for chunking the output of a deferred run.
    pub(super) sizes: Vec<u64>,
    /// For each file linted a piece at a time, its path and pieces.
    pub(super) pieced: Vec<Option<(std::path::PathBuf, Vec<Piece>)>>,
}

impl Batch {
    /// Keeps the linted files, their texts given to `store` if there is one;
    /// reports the others on stderr.
    pub(super) fn take(
        &mut self,
        outcomes: Vec<Outcome>,
        color: bool,
        failed: &mut bool,
        mut store: Option<&mut Store>,
    ) {
        let mut stderr = io::stderr().lock();
        for outcome in outcomes {
            match outcome {
                Outcome::Linted { mut report, path, settings, rules, tree, suppressions, pieces } => {
                    let file = self.reports.len();
                    self.sizes.push(report.source.len() as u64);
                    self.pieced.push(pieces.and_then(|pieces| Some((path.clone()?, pieces))));
                    if let Some(store) = store.as_deref_mut() {
                        let text = std::mem::take(&mut report.source);
                        store.push(match path {
                            Some(path) => Kept::disk(path, &text),
                            None => Kept::Held(text.into()),
                        });
                    }
                    for (rule, input) in tree {
                        match self.tree_jobs.iter_mut().find(|job| job.rule == rule) {
                            Some(job) => job.inputs.push((file, input)),
                            None => self.tree_jobs.push(TreeJob {
                                rule,
                                rules: rules.clone(),
                                inputs: vec![(file, input)],
                            }),
                        }
                    }
                    self.reports.push(report);
                    self.settings.push(settings);
                    self.rules.push(rules);
                    self.suppressions.push(suppressions);
                }
                Outcome::Failed { display, message, note } => {
                    *failed = true;
                    let _ = write_problem(&mut stderr, color, &display, &message, note, Level::Error);
                }
                Outcome::Skipped { display, why } => {
                    let _ = write_problem(&mut stderr, color, &display, &why, None, Level::Note);
                }
            }
        }
    }

    /// Adds the findings of the tree-wide rules, then applies suppressions:
    /// after those rules, so that a directive covers their findings too.
    pub(super) fn finish(&mut self, found: Vec<(FileId, Finding)>) {
        for (file, finding) in found {
            self.reports[file].findings.push(finding);
        }
        for ((report, scopes), rules) in self.reports.iter_mut().zip(&self.suppressions).zip(&self.rules) {
            lint::sort(&mut report.findings);
            report.findings = suppress::apply(scopes, std::mem::take(&mut report.findings), rules);
        }
    }

    /// The reports of the files in `range` of a deferred run, their findings
    /// taken and their texts read again, and their settings. Related spans
    /// into other files point at excerpts of those files appended after them
    /// (no findings of their own, so nothing is written for them): a copy
    /// across a tree of big files must not load every file it names at once.
    /// A file whose text cannot be had again is reported on stderr.
    pub(super) fn reload(
        &mut self,
        range: std::ops::Range<usize>,
        store: &Store,
        color: bool,
        failed: &mut bool,
    ) -> (Vec<FileReport>, Vec<Arc<Settings>>) {
        let mut reports = Vec::new();
        let mut settings = Vec::new();
        // Where each file of the range is in this output, by file id.
        let mut local: rustc_hash::FxHashMap<FileId, usize> = rustc_hash::FxHashMap::default();
        // Only files with findings, or that a finding of the range points
        // into, are read again: a clean file has nothing to show.
        let pointed: rustc_hash::FxHashSet<FileId> = range
            .clone()
            .flat_map(|file| &self.reports[file].findings)
            .flat_map(|f| f.related.iter().filter_map(|r| r.file))
            .collect();
        let wanted: Vec<FileId> =
            range.clone().filter(|f| !self.reports[*f].findings.is_empty() || pointed.contains(f)).collect();
        let mut texts = wanted.iter().copied().zip(store.load_many(&wanted)).peekable();
        for file in range {
            let report = &mut self.reports[file];
            let loaded = match texts.next_if(|(f, _)| *f == file) {
                Some((_, loaded)) => loaded,
                None => Ok(String::new()),
            };
            match loaded {
                Ok(text) => {
                    local.insert(file, reports.len());
                    let findings = std::mem::take(&mut report.findings);
                    reports.push(FileReport::new(report.display.clone(), text, findings));
                    settings.push(self.settings[file].clone());
                }
                Err(why) => {
                    *failed = true;
                    let _ = write_problem(
                        &mut io::stderr().lock(),
                        color,
                        &report.display,
                        &why,
                        None,
                        Level::Error,
                    );
                }
            }
        }
        // Related spans into files outside the range, grouped by file: each
        // file is read once, and one excerpt made per span.
        let mut outside: Vec<(FileId, usize, usize, usize)> = Vec::new();
        for (r, report) in reports.iter().enumerate() {
            for (f, finding) in report.findings.iter().enumerate() {
                for (k, related) in finding.related.iter().enumerate() {
                    match related.file.map(|file| (file, local.get(&file))) {
                        Some((_, Some(_))) | None => {}
                        Some((file, None)) => outside.push((file, r, f, k)),
                    }
                }
            }
        }
        // Spans into files of the range: their place in this output.
        for report in &mut reports {
            for finding in &mut report.findings {
                for related in &mut finding.related {
                    if let Some(i) = related.file.and_then(|file| local.get(&file)) {
                        related.file = Some(*i);
                    }
                }
            }
        }
        outside.sort_unstable();
        let mut lost: Vec<(usize, usize, usize)> = Vec::new();
        for same_file in outside.chunk_by(|a, b| a.0 == b.0) {
            let file = same_file[0].0;
            let Ok(text) = store.load(file) else {
                // The other file is gone: its findings stand without the pointer.
                lost.extend(same_file.iter().map(|&(_, r, f, k)| (r, f, k)));
                continue;
            };
            let lines = emit::LineIndex::new(&text);
            for &(_, r, f, k) in same_file {
                let span = reports[r].findings[f].related[k].span.clone();
                let (line, start) = lines.line_start(span.start);
                let end = text[span.end.min(text.len())..].find('\n').map_or(text.len(), |i| span.end + i);
                let excerpt = emit::Excerpt { offset: start, line };
                let display = self.reports[file].display.clone();
                let mut context = FileReport::new(display, text[start..end].to_string(), Vec::new());
                context.excerpt = Some(excerpt);
                reports[r].findings[f].related[k].file = Some(reports.len());
                reports.push(context);
            }
        }
        lost.sort_unstable();
        for (r, f, k) in lost.into_iter().rev() {
            reports[r].findings[f].related.remove(k);
        }
        (reports, settings)
    }
}

/// Lints one input. With `pieces` (not in a tree run, which reads its files
/// whole again), a file of `min_file` bytes or more is linted a piece at a
/// time.
/// `progress` is told the bytes read, as they are checked.
pub(super) fn lint_target(
    target: &Target,
    stdin_name: &str,
    pieces: Option<pieces::Sizes>,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    if let (Input::File { path, display }, Some(sizes)) = (&target.input, pieces)
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= sizes.min_file)
    {
        return lint_in_pieces(target, path, display, sizes, progress);
    }
    lint_whole(target, stdin_name, progress)
}

fn lint_whole(target: &Target, stdin_name: &str, progress: &(dyn Fn(u64) + Sync)) -> Outcome {
    let (display, bytes) = match &target.input {
        Input::Record { id, text, .. } => (id.clone(), text.clone().into_bytes()),
        Input::Stdin => {
            let mut buf = Vec::new();
            match io::stdin().lock().read_to_end(&mut buf) {
                Ok(_) => (stdin_name.to_string(), buf),
                Err(e) => {
                    return Outcome::Failed {
                        display: stdin_name.to_string(),
                        message: format!("cannot read standard input: {}", discover::io_message(&e)),
                        note: None,
                    };
                }
            }
        }
        Input::File { path, display } => match source::read(path) {
            Ok(b) => (display.clone(), b),
            Err(e) => {
                return Outcome::Failed {
                    display: display.clone(),
                    message: discover::io_message(&e),
                    note: None,
                };
            }
        },
    };
    let size = bytes.len() as u64;
    let format = match &target.input {
        Input::Record { format, .. } => *format,
        Input::Stdin if stdin_name == "-" => Format::Markdown,
        _ => Format::from_path(&display),
    };
    let outcome = match source::decode(bytes) {
        Decoded::Binary => binary(display),
        Decoded::InvalidUtf8 { offset } => invalid_utf8(display, offset),
        Decoded::Text(text) => {
            let (findings, tree, suppressions) = {
                let doc = Document::parse(&display, &text.text, text.body_start(), format);
                let made = (target.rules.check(&doc), target.rules.collect(&doc), suppress::scopes(&doc));
                doc.free();
                made
            };
            let report = FileReport::new(display, text.text, findings);
            let path = match &target.input {
                Input::File { path, .. } => Some(path.clone()),
                _ => None,
            };
            Outcome::Linted {
                report,
                path,
                settings: target.settings.clone(),
                rules: target.rules.clone(),
                tree,
                suppressions,
                pieces: None,
            }
        }
    };
    progress(size);
    outcome
}

fn binary(display: String) -> Outcome {
    Outcome::Skipped { display, why: "binary file (it contains NUL bytes), skipped".into() }
}

fn invalid_utf8(display: String, offset: usize) -> Outcome {
    Outcome::Failed {
        display,
        message: format!("not valid UTF-8: the first invalid byte is at offset {offset}"),
        note: Some("convert it to UTF-8 first, e.g. `iconv -f GB18030 -t UTF-8`".into()),
    }
}

/// A file too big to hold, linted a piece at a time (see [`pieces`]).
fn lint_in_pieces(
    target: &Target,
    path: &std::path::Path,
    display: &str,
    sizes: pieces::Sizes,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    let display = display.to_string();
    let failed = |e: &io::Error| Outcome::Failed {
        display: display.clone(),
        message: discover::io_message(e),
        note: None,
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return failed(&e),
    };
    let format = Format::from_path(&display);
    match pieces::lint(file, &display, format, &target.rules, sizes, &OnDisk(path), progress) {
        Err(pieces::Failure::Io(e)) => failed(&e),
        Err(pieces::Failure::Binary) => binary(display),
        Err(pieces::Failure::InvalidUtf8 { offset }) => invalid_utf8(display, offset),
        Ok(linted) => Outcome::Linted {
            report: FileReport::new(display, String::new(), linted.findings),
            path: Some(path.to_path_buf()),
            settings: target.settings.clone(),
            rules: target.rules.clone(),
            tree: Vec::new(),
            suppressions: suppress::scopes_of(&linted.directives),
            pieces: Some(linted.pieces),
        },
    }
}

/// A rule that compares files with each other: the rule set it runs from
/// (that of the first file that has it) and every file's contribution.
pub(super) struct TreeJob {
    rule: &'static str,
    rules: Arc<RuleSet>,
    inputs: Vec<(FileId, TreeInput)>,
}

/// Rules that compare files with each other run once all files are read.
pub(super) fn run_tree_rules(jobs: Vec<TreeJob>, texts: &dyn crate::texts::Texts) -> Vec<(FileId, Finding)> {
    let mut found = Vec::new();
    for TreeJob { rule, rules, inputs } in jobs {
        if let Some(active) = rules.get(rule) {
            found.extend(active.check_tree(inputs, texts));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_bound_files_and_bytes() {
        const MB: u64 = 1 << 20;
        // Small files: 64 a chunk.
        assert_eq!(chunks(std::iter::repeat_n(1000, 130), 2), [0..64, 64..128, 128..130]);
        // Big files: as many as there are threads, once the bytes are reached.
        assert_eq!(chunks(std::iter::repeat_n(100 * MB, 5), 2), [0..2, 2..4, 4..5]);
        assert_eq!(chunks([10 * MB, 60 * MB, MB, MB].into_iter(), 1), [0..2, 2..4]);
        assert!(chunks(std::iter::empty(), 2).is_empty());
    }
}
