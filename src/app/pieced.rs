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
use crate::fingerprint::Ordinals;
use crate::pieces::Piece;
use rustc_hash::FxHashMap;
use std::fs::File;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Writes out a linted chunk, its files in order, after the baseline (if
/// any) has taken the findings it records.
pub(super) fn write_batch(
    out: &mut Output,
    mut batch: Batch,
    baseline: Option<&Baseline>,
    cwd: &Path,
    color: bool,
) {
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
            if let Err(why) = write_pieces(out, report, &pieces, &path, &batch.settings[i], baseline, cwd) {
                out.failed = true;
                let _ =
                    write_problem(&mut std::io::stderr().lock(), color, &display, &why, None, Level::Error);
            }
        }
        i += 1;
    }
}

/// Writes the findings of a file linted in pieces (`report` has them all,
/// sorted, and no text), a piece at a time.
fn write_pieces(
    out: &mut Output,
    report: FileReport,
    pieces: &[Piece],
    path: &Path,
    settings: &Arc<Settings>,
    baseline: Option<&Baseline>,
    cwd: &Path,
) -> Result<(), String> {
    let FileReport { display, findings, .. } = report;
    let piece_of =
        |offset: usize| pieces.partition_point(|p| p.end <= offset).min(pieces.len().saturating_sub(1));
    let inside = |piece: &Piece, span: &Range<usize>| piece.start <= span.start && span.end <= piece.end;
    let mut file =
        File::open(path).map_err(|e| format!("cannot read it again: {}", crate::discover::io_message(&e)))?;
    let mut read = |piece: &Piece| -> Result<String, String> {
        match crate::texts::read_span(&mut file, piece.start..piece.end) {
            Ok(text) if piece.matches(&text) => Ok(text),
            _ => Err("it changed while copydesk was running".to_string()),
        }
    };
    // Related spans outside their finding's piece, by piece: one excerpt of
    // lines each, made before any piece is written.
    let mut wanted: Vec<Range<usize>> = Vec::new();
    for f in &findings {
        let piece = &pieces[piece_of(f.span.start)];
        wanted.extend(
            f.related.iter().filter(|r| r.file.is_none() && !inside(piece, &r.span)).map(|r| r.span.clone()),
        );
    }
    wanted.sort_unstable_by_key(|span| (span.start, span.end));
    wanted.dedup();
    let mut excerpts: FxHashMap<(usize, usize), (Excerpt, String)> = FxHashMap::default();
    for same_piece in wanted.chunk_by(|a, b| piece_of(a.start) == piece_of(b.start)) {
        let piece = &pieces[piece_of(same_piece[0].start)];
        let text = read(piece)?;
        let lines = LineIndex::new(&text);
        for span in same_piece.iter().filter(|span| inside(piece, span)) {
            let (line, start) = lines.line_start(span.start - piece.start);
            let after = span.end - piece.start;
            let end = text[after..].find('\n').map_or(text.len(), |i| after + i);
            let excerpt = Excerpt { offset: piece.start + start, line: piece.line + line };
            excerpts.insert((span.start, span.end), (excerpt, text[start..end].to_string()));
        }
    }
    // Identical findings are counted on across the pieces, for a baseline
    // read (`filtered`), written or in SARIF fingerprints (`recorded`).
    let (mut filtered, mut recorded) = (Ordinals::default(), Ordinals::default());
    let mut kept = Vec::new();
    let mut rest = findings.into_iter().peekable();
    for piece in pieces {
        let mut mine = Vec::new();
        while let Some(f) = rest.next_if(|f| f.span.start < piece.end) {
            mine.push(f);
        }
        if mine.is_empty() {
            continue;
        }
        let mut reports = vec![FileReport {
            excerpt: Some(Excerpt { offset: piece.start, line: piece.line }),
            ..FileReport::new(display.clone(), read(piece)?, mine)
        }];
        // Related spans elsewhere in the file point at their excerpts, as
        // related spans into other files do.
        let mut contexts = Vec::new();
        for f in &mut reports[0].findings {
            f.related.retain_mut(|r| {
                if r.file.is_some() || inside(piece, &r.span) {
                    return true;
                }
                let Some((excerpt, text)) = excerpts.get(&(r.span.start, r.span.end)) else { return false };
                r.file = Some(1 + contexts.len());
                contexts.push(FileReport {
                    excerpt: Some(*excerpt),
                    ..FileReport::new(display.clone(), text.clone(), Vec::new())
                });
                true
            });
        }
        reports.append(&mut contexts);
        if let Some(b) = baseline {
            out.hidden += b.filter_one(&mut reports[0], cwd, &mut filtered);
        }
        out.emit(&reports, Some(&mut recorded));
        kept.append(&mut reports[0].findings);
    }
    out.count(&[FileReport::new(display, String::new(), kept)], std::slice::from_ref(settings));
    Ok(())
}
