//! JSON Lines: one object per finding. This shape is a public contract
//! (README, "JSON output"): fields may be added, never changed or removed.

use super::FileReport;
use super::lines::{LineIndex, line_starts};
use crate::finding::Finding;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct RelatedRecord<'a> {
    path: &'a str,
    span: Span,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Record<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    span: Span,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    related: Vec<RelatedRecord<'a>>,
    notes: &'a [crate::finding::Text],
    help: Option<&'a str>,
}

/// Reports with this many findings or more in all are rendered in chunks
/// side by side: on one 10 MB file with 4,000 findings, rendering them on one
/// thread was the last tenth of a two-thread run, the other thread idle; on
/// ten files of 1 MB each, a twentieth.
const PARALLEL_FINDINGS: usize = 2048;
const CHUNK: usize = 512;

pub fn emit(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let starts: Vec<Vec<usize>> = reports.par_iter().map(|r| line_starts(&r.source)).collect();
    // An index per report over the shared line starts, one set per thread:
    // an index keeps a cache of the last location it gave.
    let indexes = || -> Vec<LineIndex> {
        reports.iter().zip(&starts).map(|(r, s)| LineIndex::with_starts(&r.source, s)).collect()
    };
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    if total >= PARALLEL_FINDINGS && rayon::current_num_threads() > 1 {
        let chunks: Vec<(usize, &[Finding])> = reports
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.findings.chunks(CHUNK).map(move |chunk| (i, chunk)))
            .collect();
        let parts: Vec<Vec<u8>> = chunks
            .par_iter()
            .map_init(indexes, |lines, &(i, chunk)| {
                let mut part = Vec::with_capacity(chunk.len() * 512);
                for f in chunk {
                    record(&mut part, reports, lines, i, f);
                }
                part
            })
            .collect();
        for part in parts {
            out.write_all(&part)?;
        }
        return Ok(());
    }
    let lines = indexes();
    let mut buffer = Vec::with_capacity(512);
    for (i, report) in reports.iter().enumerate() {
        for f in &report.findings {
            buffer.clear();
            record(&mut buffer, reports, &lines, i, f);
            out.write_all(&buffer)?;
        }
    }
    Ok(())
}

/// Appends the record of finding `f` of report `i`, and a line break, to
/// `out`: in memory, as serde_json writes a record in many small pieces, and
/// each was a call through `dyn Write`.
fn record(out: &mut Vec<u8>, reports: &[FileReport], lines: &[LineIndex], i: usize, f: &Finding) {
    let report = &reports[i];
    let (line, column) = report.location(&lines[i], f.span.start);
    let (end_line, end_column) = report.location(&lines[i], f.span.end);
    let related = f
        .related
        .iter()
        .map(|r| {
            let file = r.file.unwrap_or(i);
            let (line, column) = reports[file].location(&lines[file], r.span.start);
            RelatedRecord {
                path: &reports[file].display,
                span: Span { start: r.span.start, end: r.span.end },
                line,
                column,
                message: &r.message,
            }
        })
        .collect();
    let record = Record {
        path: &report.display,
        rule: f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        span: Span { start: f.span.start, end: f.span.end },
        line,
        column,
        end_line,
        end_column,
        related,
        notes: &f.notes,
        help: f.help.as_deref(),
    };
    serde_json::to_writer(&mut *out, &record).expect("a record of strings and numbers serialises to memory");
    out.push(b'\n');
}
