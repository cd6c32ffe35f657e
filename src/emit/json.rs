//! JSON Lines: one object per finding. This shape is a public contract
//! (README, "JSON output"): fields may be added, never changed or removed.

use super::FileReport;
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

pub fn emit(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let indexes: Vec<_> = reports.iter().map(FileReport::lines).collect();
    for (i, report) in reports.iter().enumerate() {
        for f in &report.findings {
            let (line, column) = report.location(&indexes[i], f.span.start);
            let (end_line, end_column) = report.location(&indexes[i], f.span.end);
            let related = f
                .related
                .iter()
                .map(|r| {
                    let file = r.file.unwrap_or(i);
                    let (line, column) = reports[file].location(&indexes[file], r.span.start);
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
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
