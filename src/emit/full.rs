//! Compiler-style diagnostics through codespan-reporting, which aligns carets
//! under wide (CJK) characters using unicode-width.

use super::{FileReport, LineIndex};
use crate::finding::{Finding, Severity};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error, Files, SimpleFile};
use codespan_reporting::term::{self, Config, termcolor::Buffer};
use std::io::{self, Write};
use std::ops::Range;

/// Lines longer than this are shown as a window around each label: codespan
/// prints a label's whole line, and a paragraph of megabytes on one line,
/// printed once per finding, would bury the output.
const LONG_LINE: usize = 4096;
/// Bytes of context either side of a label in a window.
const CONTEXT: usize = 240;
/// A label longer than this shows its beginning only, in a window.
const LONG_LABEL: usize = 1024;

/// A file as codespan sees it: a text that may be only part of the file,
/// starting at 0-based `line` and, on that first line, at 0-based `column`.
struct View<'a> {
    file: SimpleFile<&'a str, &'a str>,
    line: usize,
    column: usize,
}

struct Views<'a>(Vec<View<'a>>);

impl Views<'_> {
    fn get(&self, id: usize) -> Result<&View<'_>, Error> {
        self.0.get(id).ok_or(Error::FileMissing)
    }
}

impl<'a> Files<'a> for Views<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.get(id)?.file.name())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.get(id)?.file.source())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        self.get(id)?.file.line_index((), byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        self.get(id)?.file.line_range((), line_index)
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, Error> {
        Ok(self.get(id)?.line + line_index + 1)
    }

    fn column_number(&'a self, id: usize, line_index: usize, byte_index: usize) -> Result<usize, Error> {
        let view = self.get(id)?;
        let line = view.file.line_range((), line_index)?;
        let before = view.file.source().get(line.start..byte_index.max(line.start)).unwrap_or("");
        let first_line_offset = if line_index == 0 { view.column } else { 0 };
        Ok(first_line_offset + before.chars().count() + 1)
    }
}

pub fn emit(out: &mut dyn Write, reports: &[FileReport], color: bool) -> io::Result<()> {
    let views = Views(
        reports
            .iter()
            .map(|r| View {
                file: SimpleFile::new(r.display.as_str(), r.source.as_str()),
                line: r.excerpt().line,
                column: 0,
            })
            .collect(),
    );
    // Columns of windows, counted from the previous one.
    let lines: Vec<LineIndex> = reports.iter().map(|r| LineIndex::new(&r.source)).collect();
    let config = Config::default();
    for (id, report) in reports.iter().enumerate() {
        for f in &report.findings {
            let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
            let diagnostic = diagnostic(reports, id, f);
            let result = match windowed(&views, &lines, &diagnostic) {
                Some((windows, diagnostic)) => {
                    term::emit_to_write_style(&mut buffer, &config, &windows, &diagnostic)
                }
                None => term::emit_to_write_style(&mut buffer, &config, &views, &diagnostic),
            };
            result.map_err(|e| io::Error::other(e.to_string()))?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}

/// If a label of `diagnostic` is on a long line: views of a window around
/// each label, and the diagnostic with its labels moved into them.
fn windowed<'a>(
    views: &'a Views<'a>,
    lines: &[LineIndex],
    diagnostic: &Diagnostic<usize>,
) -> Option<(Views<'a>, Diagnostic<usize>)> {
    let line_of = |id: usize, at: usize| -> Option<Range<usize>> {
        let file = &views.0.get(id)?.file;
        file.line_range((), file.line_index((), at).ok()?).ok()
    };
    let long = diagnostic.labels.iter().any(|l| {
        [l.range.start, l.range.end]
            .iter()
            .any(|&at| line_of(l.file_id, at).is_some_and(|r| r.len() > LONG_LINE))
    });
    if !long {
        return None;
    }
    // Each label's window: (file, start, end, label), then windows of one
    // file that overlap merged, so that nearby labels share a snippet.
    let mut spans = Vec::new();
    let mut moved = diagnostic.clone();
    for (i, label) in moved.labels.iter_mut().enumerate() {
        let text = views.0.get(label.file_id)?.file.source();
        let floor = |mut at: usize| {
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let line = line_of(label.file_id, label.range.start)?;
        let shown_end = floor(label.range.end.min(label.range.start + LONG_LABEL).min(text.len()));
        let end_line = line_of(label.file_id, shown_end)?;
        let start = floor(label.range.start.saturating_sub(CONTEXT).max(line.start));
        let end = floor((shown_end + CONTEXT).min(end_line.end));
        label.range.end = shown_end;
        spans.push((label.file_id, start, end, i));
    }
    spans.sort_unstable();
    let mut windows: Vec<View> = Vec::new();
    let mut window_of = vec![(0, 0); moved.labels.len()];
    let mut i = 0;
    while i < spans.len() {
        let (file, start, mut end, _) = spans[i];
        let mut j = i;
        while j < spans.len() && spans[j].0 == file && spans[j].1 <= end {
            end = end.max(spans[j].2);
            j += 1;
        }
        let view = views.0.get(file)?;
        // 1-based, and counting the line of an excerpt from its file's start.
        let (line_number, column) = lines.get(file)?.location(start);
        for &(_, _, _, label) in &spans[i..j] {
            window_of[label] = (windows.len(), start);
        }
        windows.push(View {
            file: SimpleFile::new(view.file.name(), &view.file.source()[start..end]),
            line: view.line + line_number - 1,
            column: column - 1,
        });
        i = j;
    }
    for (label, (window, start)) in moved.labels.iter_mut().zip(window_of) {
        label.file_id = window;
        label.range = label.range.start - start..label.range.end - start;
    }
    Some((Views(windows), moved))
}

pub fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

fn diagnostic(reports: &[FileReport], file: usize, f: &Finding) -> Diagnostic<usize> {
    // Spans are offsets into the file; an excerpt's text starts further on.
    let local = |id: usize, span: &Range<usize>| {
        let offset = reports[id].excerpt().offset;
        span.start.saturating_sub(offset)..span.end.saturating_sub(offset)
    };
    let mut labels = vec![Label::primary(file, local(file, &f.span)).with_message(&f.label)];
    labels.extend(f.related.iter().map(|r| {
        let other = r.file.unwrap_or(file);
        Label::secondary(other, local(other, &r.span)).with_message(&r.message)
    }));
    let mut notes: Vec<String> = f.notes.iter().map(|n| n.to_string()).collect();
    if let Some(help) = &f.help {
        notes.push(format!("help: {help}"));
    }
    Diagnostic::new(severity(f.severity))
        .with_code(f.rule)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}
