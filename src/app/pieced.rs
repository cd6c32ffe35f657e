//! Writing out the files of a chunk, those linted a piece at a time (see
//! [`crate::pieces`]) from the file read again, a piece at a time: each
//! piece's text is checked against the hash taken while linting and written
//! with excerpts of the lines that its findings' related spans point to
//! elsewhere in the file. Memory stays with one piece, as it did for linting.

use super::batch::Batch;
use super::output::Output;
use super::{Level, write_problem};
use crate::baseline::Baseline;
use crate::config::Settings;
use crate::emit::{Excerpt, FileReport, LineIndex};
use crate::finding::Finding;
use crate::fingerprint::Ordinals;
use crate::pieces::Piece;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fs::File;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Writes out a linted chunk, its files in order, after the baseline (if
/// any) has taken the findings it records.
///
/// The batch is given back written, to be freed or, at the end of the run,
/// left to the operating system.
pub(super) fn write_batch(
    out: &mut Output,
    mut batch: Batch,
    baseline: Option<&Baseline>,
    cwd: &Path,
    color: bool,
) -> Batch {
    let n = batch.reports.len();
    let mut i = 0;
    while i < n {
        let whole_end = (i..n).find(|&k| batch.pieced[k].is_some()).unwrap_or(n);
        if whole_end > i {
            let reports = &mut batch.reports[i..whole_end];
            if let Some(b) = baseline {
                out.hidden += b.filter(reports, cwd);
            }
            out.write(reports, &batch.settings[i..whole_end]);
            i = whole_end;
            continue;
        }
        if let Some((path, pieces)) = batch.pieced[i].take() {
            let report = std::mem::replace(
                &mut batch.reports[i],
                FileReport::new(String::new(), String::new(), Vec::new()),
            );
            let display = report.display.clone();
            match write_pieces(out, report, &pieces, &path, &batch.settings[i], baseline, cwd) {
                // Kept with the batch, freed or left to the operating system
                // with it: freed here, the findings of a 1 GB file took the
                // writing thread 65 ms at the end of the run, with the
                // others idle.
                Ok(written) => batch.reports[i] = written,
                Err(why) => {
                    out.failed = true;
                    let _ = write_problem(
                        &mut std::io::stderr().lock(),
                        color,
                        &display,
                        &why,
                        None,
                        Level::Error,
                    );
                }
            }
        }
        i += 1;
    }
    batch
}

/// Writes the findings of a file linted in pieces (`report` has them all,
/// sorted, and no text), a piece at a time; gives back the report with the
/// findings written.
fn write_pieces(
    out: &mut Output,
    report: FileReport,
    pieces: &[Piece],
    path: &Path,
    settings: &Arc<Settings>,
    baseline: Option<&Baseline>,
    cwd: &Path,
) -> Result<FileReport, String> {
    let FileReport { display, findings, .. } = report;
    let piece_of =
        |offset: usize| pieces.partition_point(|p| p.end <= offset).min(pieces.len().saturating_sub(1));
    // Related spans outside their finding's piece, and the first piece
    // whose findings point at each: one excerpt of lines each.
    let mut first_asked: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let mut has_findings = vec![false; pieces.len()];
    for f in &findings {
        let k = piece_of(f.span.start);
        has_findings[k] = true;
        for r in f.related.iter().filter(|r| r.file.is_none() && !inside(&pieces[k], &r.span)) {
            first_asked.entry((r.span.start, r.span.end)).or_insert(k);
        }
    }
    // The pieces that have findings, in order, are read again below to be
    // written; a span in one of them that no earlier piece asks for is cut
    // from it then. The rest (spans ahead of the first piece that asks, and
    // in pieces with no findings) are read first. Read first, all of them,
    // most pieces of a big file were read twice.
    let (mut later, mut first): (Vec<Range<usize>>, Vec<Range<usize>>) = (Vec::new(), Vec::new());
    for (&(start, end), &asker) in &first_asked {
        let k = piece_of(start);
        if has_findings[k] && k < asker { &mut later } else { &mut first }.push(start..end);
    }
    later.sort_unstable_by_key(|span| (span.start, span.end));
    first.sort_unstable_by_key(|span| (span.start, span.end));
    // Pieces read side by side, each thread with a file handle and a buffer
    // of its own: this pass runs after the last piece is linted, when
    // nothing else is left to do.
    let same_piece: Vec<&[Range<usize>]> =
        first.chunk_by(|a, b| piece_of(a.start) == piece_of(b.start)).collect();
    let read: Result<Vec<Vec<SpanExcerpt>>, String> = same_piece
        .par_iter()
        .map_init(
            || (PieceFile::open(path), Vec::new()),
            |(file, spare), spans| {
                let file = file.as_mut().map_err(|e| e.clone())?;
                let piece = &pieces[piece_of(spans[0].start)];
                let text = file.read(piece, std::mem::take(spare))?;
                let found = excerpts(piece, &text, spans);
                *spare = text.into_bytes();
                Ok(found)
            },
        )
        .collect();
    let mut excerpts_by_span: FxHashMap<(usize, usize), (Excerpt, String)> =
        read?.into_iter().flatten().collect();
    let mut file = PieceFile::open(path)?;
    // Identical findings are counted on across the pieces, for a baseline
    // read (`filtered`), written or in SARIF fingerprints (`recorded`).
    let (mut filtered, mut recorded) = (Ordinals::default(), Ordinals::default());
    let mut kept = Vec::new();
    let mut rest = findings.into_iter().peekable();
    // The pieces that have findings, and theirs.
    let mut order: Vec<&Piece> = Vec::new();
    let mut by_piece: Vec<Vec<Finding>> = Vec::new();
    for piece in pieces {
        let mut mine = Vec::new();
        while let Some(f) = rest.next_if(|f| f.span.start < piece.end) {
            mine.push(f);
        }
        if !mine.is_empty() {
            order.push(piece);
            by_piece.push(mine);
        }
    }
    // The next piece is read while this one is written: read and checked,
    // a piece costs about what writing its findings does. Two buffers take
    // turns.
    let mut spare = Vec::new();
    let mut next = order.first().map(|piece| file.read(piece, Vec::new()));
    for (k, mine) in by_piece.into_iter().enumerate() {
        let piece = order[k];
        let text = next.take().expect("read before its turn")?;
        let (start, end) = (
            later.partition_point(|s| s.start < piece.start),
            later.partition_point(|s| s.start < piece.end),
        );
        excerpts_by_span.extend(excerpts(piece, &text, &later[start..end]));
        let mut reports = vec![FileReport {
            excerpt: Some(Excerpt { offset: piece.start, line: piece.line }),
            ..FileReport::new(display.clone(), text, mine)
        }];
        // Related spans elsewhere in the file point at their excerpts, as
        // related spans into other files do.
        let mut contexts = Vec::new();
        for f in &mut reports[0].findings {
            f.related.retain_mut(|r| {
                if r.file.is_some() || inside(piece, &r.span) {
                    return true;
                }
                let Some((excerpt, text)) = excerpts_by_span.get(&(r.span.start, r.span.end)) else {
                    return false;
                };
                r.file = Some(1 + contexts.len());
                contexts.push(FileReport {
                    excerpt: Some(*excerpt),
                    ..FileReport::new(display.clone(), text.clone(), Vec::new())
                });
                true
            });
        }
        reports.append(&mut contexts);
        let buffer = std::mem::take(&mut spare);
        let (_, read) = rayon::join(
            || {
                if let Some(b) = baseline {
                    out.hidden += b.filter_one(&mut reports[0], cwd, &mut filtered);
                }
                out.emit(&reports, Some(&mut recorded));
            },
            || order.get(k + 1).map(|piece| file.read(piece, buffer)),
        );
        next = read;
        kept.append(&mut reports[0].findings);
        spare = std::mem::take(&mut reports[0].source).into_bytes();
    }
    let written = FileReport::new(display, String::new(), kept);
    out.count(std::slice::from_ref(&written), std::slice::from_ref(settings));
    Ok(written)
}

/// The lines around a related span elsewhere in the file, keyed by the span.
type SpanExcerpt = ((usize, usize), (Excerpt, String));

/// Whether `span` lies in `piece`.
fn inside(piece: &Piece, span: &Range<usize>) -> bool {
    piece.start <= span.start && span.end <= piece.end
}

/// The excerpts of `spans` that lie in `piece`, whose text is `text`: the
/// lines from the one a span starts on to the one it ends on.
fn excerpts(piece: &Piece, text: &str, spans: &[Range<usize>]) -> Vec<SpanExcerpt> {
    if spans.is_empty() {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    spans
        .iter()
        .filter(|span| inside(piece, span))
        .map(|span| {
            let (line, start) = lines.line_start(span.start - piece.start);
            let after = span.end - piece.start;
            let end = text[after..].find('\n').map_or(text.len(), |i| after + i);
            let excerpt = Excerpt { offset: piece.start + start, line: piece.line + line };
            ((span.start, span.end), (excerpt, text[start..end].to_string()))
        })
        .collect()
}

/// A file linted in pieces, open to be read again a piece at a time.
struct PieceFile(File);

impl PieceFile {
    fn open(path: &Path) -> Result<PieceFile, String> {
        File::open(path)
            .map(PieceFile)
            .map_err(|e| format!("cannot read it again: {}", crate::discover::io_message(&e)))
    }

    /// The text of `piece`, read into `buffer`'s memory, if it is still the
    /// text that was linted.
    fn read(&mut self, piece: &Piece, buffer: Vec<u8>) -> Result<String, String> {
        match crate::texts::read_span_into(&mut self.0, piece.start..piece.end, buffer) {
            Ok(text) if piece.matches(&text) => Ok(text),
            _ => Err("it changed while copydesk was running".to_string()),
        }
    }
}
