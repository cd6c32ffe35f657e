//! `path:line:col: severity[rule] message`: for grep and editors' quickfix lists.

use super::FileReport;
use std::io::{self, Write};

pub fn emit(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        let lines = report.lines();
        for f in &report.findings {
            let (line, col) = report.location(&lines, f.span.start);
            writeln!(out, "{}:{line}:{col}: {}[{}] {}", report.display, f.severity, f.rule, f.message)?;
        }
    }
    Ok(())
}
