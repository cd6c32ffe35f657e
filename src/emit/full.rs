//! Compiler-style diagnostics through codespan-reporting, which aligns carets
//! under wide (CJK) characters using unicode-width.

use super::FileReport;
use crate::finding::{Finding, Severity};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor::Buffer};
use std::io::{self, Write};

pub fn emit(out: &mut dyn Write, reports: &[FileReport], color: bool) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    for r in reports {
        files.add(r.display.as_str(), r.source.as_str());
    }
    let config = Config::default();
    for (id, report) in reports.iter().enumerate() {
        for f in &report.findings {
            let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
            term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic(id, f))
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

fn diagnostic(file: usize, f: &Finding) -> Diagnostic<usize> {
    let mut labels = vec![Label::primary(file, f.span.clone()).with_message(&f.label)];
    labels.extend(
        f.related
            .iter()
            .map(|r| Label::secondary(r.file.unwrap_or(file), r.span.clone()).with_message(&r.message)),
    );
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
