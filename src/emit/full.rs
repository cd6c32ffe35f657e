//! Compiler-style diagnostics through codespan-reporting, which aligns carets
//! under wide (CJK) characters using unicode-width.

use super::FileReport;
use crate::finding::{Finding, Severity};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error, Files, SimpleFile};
use codespan_reporting::term::{self, Config, termcolor::Buffer};
use std::io::{self, Write};
use std::ops::Range;

/// The reports as codespan's files: an excerpt numbers its lines from where
/// it starts in its file.
struct Sources<'a> {
    reports: &'a [FileReport],
    files: Vec<SimpleFile<&'a str, &'a str>>,
}

impl<'a> Files<'a> for Sources<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.files.get(id).ok_or(Error::FileMissing)?.name())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.files.get(id).ok_or(Error::FileMissing)?.source())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        self.files.get(id).ok_or(Error::FileMissing)?.line_index((), byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        self.files.get(id).ok_or(Error::FileMissing)?.line_range((), line_index)
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, Error> {
        let report = self.reports.get(id).ok_or(Error::FileMissing)?;
        Ok(report.excerpt().line + line_index + 1)
    }
}

pub fn emit(out: &mut dyn Write, reports: &[FileReport], color: bool) -> io::Result<()> {
    let files = Sources {
        reports,
        files: reports.iter().map(|r| SimpleFile::new(r.display.as_str(), r.source.as_str())).collect(),
    };
    let config = Config::default();
    for (id, report) in reports.iter().enumerate() {
        for f in &report.findings {
            let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
            term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic(reports, id, f))
                .map_err(|e| io::Error::other(e.to_string()))?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}

pub fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

fn diagnostic(reports: &[FileReport], file: usize, f: &Finding) -> Diagnostic<usize> {
    let mut labels = vec![Label::primary(file, f.span.clone()).with_message(&f.label)];
    labels.extend(f.related.iter().map(|r| {
        let other = r.file.unwrap_or(file);
        let offset = reports[other].excerpt().offset;
        let span = r.span.start.saturating_sub(offset)..r.span.end.saturating_sub(offset);
        Label::secondary(other, span).with_message(&r.message)
    }));
    let mut notes = f.notes.clone();
    if let Some(help) = &f.help {
        notes.push(format!("help: {help}"));
    }
    Diagnostic::new(severity(f.severity))
        .with_code(f.rule)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}
