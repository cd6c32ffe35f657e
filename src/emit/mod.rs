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
}

impl FileReport {
    fn lines(&self) -> LineIndex<'_> {
        LineIndex::new(&self.source)
    }
}

pub struct EmitOptions {
    pub format: OutputFormat,
    pub color: bool,
}

/// Writes every finding of every report, in report order.
pub fn emit(out: &mut dyn Write, reports: &[FileReport], options: &EmitOptions) -> io::Result<()> {
    match options.format {
        OutputFormat::Full => full::emit(out, reports, options.color),
        OutputFormat::Concise => concise::emit(out, reports),
        OutputFormat::Json => json::emit(out, reports),
        OutputFormat::Github => github::emit(out, reports),
        OutputFormat::Sarif => sarif::emit(out, reports),
    }
}

/// "3 errors, 1 warning" style counts.
pub fn summary(reports: &[FileReport]) -> String {
    use crate::finding::Severity;
    let count = |s: Severity| reports.iter().flat_map(|r| &r.findings).filter(|f| f.severity == s).count();
    let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    if total == 0 {
        return format!("No problems found in {}.", plural(reports.len(), "file"));
    }
    let files = reports.iter().filter(|r| !r.findings.is_empty()).count();
    let mut parts = Vec::new();
    for (s, word) in [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Info, "info")] {
        let n = count(s);
        if n > 0 {
            parts.push(if s == Severity::Info { format!("{n} info") } else { plural(n, word) });
        }
    }
    format!("Found {} in {}.", parts.join(", "), plural(files, "file"))
}
