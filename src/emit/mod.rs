//! Emitters: turn findings into text. They know nothing of rules; rules know
//! nothing of them.

mod concise;
mod full;
mod github;
mod json;
mod lines;
mod sarif;

pub use lines::LineIndex;

use crate::finding::Finding;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Compiler-style diagnostics with source snippets.
    Full,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// JSON Lines, one object per finding (a stable contract: see README).
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// One linted file and what was found in it.
pub struct FileReport {
    pub display: String,
    pub source: String,
    pub findings: Vec<Finding>,
    /// Set when `source` is only an excerpt of the file, there for related
    /// spans to point into; spans stay offsets into the whole file.
    pub excerpt: Option<Excerpt>,
}

/// Where an excerpt starts in its file: a line start.
#[derive(Clone, Copy, Debug, Default)]
pub struct Excerpt {
    /// Byte offset in the file.
    pub offset: usize,
    /// 0-based line number in the file.
    pub line: usize,
}

impl FileReport {
    pub fn new(display: String, source: String, findings: Vec<Finding>) -> FileReport {
        FileReport { display, source, findings, excerpt: None }
    }

    fn lines(&self) -> LineIndex<'_> {
        LineIndex::new(&self.source)
    }

    fn excerpt(&self) -> Excerpt {
        self.excerpt.unwrap_or_default()
    }

    /// (line, column), both 1-based, of a byte offset into the file.
    fn location(&self, lines: &LineIndex, offset: usize) -> (usize, usize) {
        let excerpt = self.excerpt();
        let (line, column) = lines.location(offset.saturating_sub(excerpt.offset));
        (line + excerpt.line, column)
    }
}

pub struct EmitOptions {
    pub format: OutputFormat,
    pub color: bool,
}

/// What an output written a chunk at a time keeps between chunks: the SARIF
/// log that the chunks' results go into.
#[derive(Default)]
pub struct Stream {
    sarif: sarif::Log,
}

/// Writes every finding of every report, in report order. `seen`: for the
/// pieces of one file (a piece and the excerpts it points into), the count of
/// identical findings so far, which SARIF fingerprints carry on; `None`:
/// each report is a file of its own.
pub fn emit(
    out: &mut dyn Write,
    reports: &[FileReport],
    options: &EmitOptions,
    stream: &mut Stream,
    seen: Option<&mut crate::fingerprint::Ordinals>,
) -> io::Result<()> {
    match options.format {
        OutputFormat::Full => full::emit(out, reports, options.color),
        OutputFormat::Concise => concise::emit(out, reports),
        OutputFormat::Json => json::emit(out, reports),
        OutputFormat::Github => github::emit(out, reports),
        OutputFormat::Sarif => stream.sarif.write(out, reports, seen),
    }
}

/// Ends the output after the last chunk (closes the SARIF log).
pub fn finish(out: &mut dyn Write, options: &EmitOptions, stream: &mut Stream) -> io::Result<()> {
    match options.format {
        OutputFormat::Sarif => stream.sarif.close(out),
        _ => Ok(()),
    }
}

/// Counts for the closing "Found 3 errors, 1 warning in 2 files." line,
/// gathered chunk by chunk.
#[derive(Default)]
pub struct Summary {
    files: usize,
    files_with_findings: usize,
    /// Errors, warnings, infos.
    counts: [usize; 3],
}

impl Summary {
    pub fn add(&mut self, reports: &[FileReport]) {
        use crate::finding::Severity;
        for r in reports {
            self.files += 1;
            self.files_with_findings += usize::from(!r.findings.is_empty());
            for f in &r.findings {
                let i = match f.severity {
                    Severity::Error => 0,
                    Severity::Warning => 1,
                    Severity::Info => 2,
                };
                self.counts[i] += 1;
            }
        }
    }

    pub fn render(&self) -> String {
        let plural =
            |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
        if self.counts.iter().sum::<usize>() == 0 {
            return format!("No problems found in {}.", plural(self.files, "file"));
        }
        let mut parts = Vec::new();
        for (n, word) in self.counts.iter().zip(["error", "warning", "info"]) {
            if *n > 0 {
                parts.push(if word == "info" { format!("{n} info") } else { plural(*n, word) });
            }
        }
        format!("Found {} in {}.", parts.join(", "), plural(self.files_with_findings, "file"))
    }
}
