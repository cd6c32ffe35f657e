//! JSON Lines: one object per finding. This shape is a public contract
//! (README, "JSON output"): fields may be added, never changed or removed.

use super::FileReport;
use super::lines::{LineIndex, line_starts};
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

/// A report with this many findings or more is rendered in chunks side by
/// side: on one 10 MB file with 4,000 findings, rendering them on one thread
/// was the last tenth of a two-thread run, the other thread idle.
const PARALLEL_FINDINGS: usize = 2048;
const CHUNK: usize = 512;

pub fn emit(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let starts: Vec<Vec<usize>> = reports.par_iter().map(|r| line_starts(&r.source)).collect();
    let mut lines = Lines::new(reports, &starts);
    for (i, report) in reports.iter().enumerate() {
        if report.findings.len() >= PARALLEL_FINDINGS && rayon::current_num_threads() > 1 {
            let parts: Vec<Vec<u8>> = report
                .findings
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut lines = Lines::new(reports, &starts);
                    let mut part = Vec::with_capacity(chunk.len() * 512);
                    for f in chunk {
                        record(&mut part, reports, &mut lines, i, f).expect("writing to memory cannot fail");
                    }
                    part
                })
                .collect();
            for part in parts {
                out.write_all(&part)?;
            }
        } else {
            for f in &report.findings {
                record(out, reports, &mut lines, i, f)?;
            }
        }
    }
    Ok(())
}

/// Each report's line index, made when a finding first needs it.
struct Lines<'a> {
    reports: &'a [FileReport],
    starts: &'a [Vec<usize>],
    indexes: Vec<Option<LineIndex<'a>>>,
}

impl<'a> Lines<'a> {
    fn new(reports: &'a [FileReport], starts: &'a [Vec<usize>]) -> Lines<'a> {
        Lines { reports, starts, indexes: (0..reports.len()).map(|_| None).collect() }
    }

    /// (line, column) of an offset into report `file`.
    fn location(&mut self, file: usize, offset: usize) -> (usize, usize) {
        let report = &self.reports[file];
        let index = self.indexes[file]
            .get_or_insert_with(|| LineIndex::with_starts(&report.source, &self.starts[file]));
        report.location(index, offset)
    }
}

/// Writes the record of finding `f` of report `i`, and a line break.
fn record(
    out: &mut dyn Write,
    reports: &[FileReport],
    lines: &mut Lines,
    i: usize,
    f: &crate::finding::Finding,
) -> io::Result<()> {
    let report = &reports[i];
    let (line, column) = lines.location(i, f.span.start);
    let (end_line, end_column) = lines.location(i, f.span.end);
    let related = f
        .related
        .iter()
        .map(|r| {
            let file = r.file.unwrap_or(i);
            let (line, column) = lines.location(file, r.span.start);
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
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}
