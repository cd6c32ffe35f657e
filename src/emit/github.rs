//! GitHub Actions workflow commands: each finding becomes an annotation on
//! the pull request's diff.

use super::FileReport;
use crate::finding::Severity;
use std::io::{self, Write};

pub fn emit(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        let lines = report.lines();
        for f in &report.findings {
            let (line, col) = report.location(&lines, f.span.start);
            let (end_line, end_col) = report.location(&lines, f.span.end);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = f.message.to_string();
            if let Some(help) = &f.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                property(&report.display),
                property(&format!("copydesk {}", f.rule)),
                data(&message)
            )?;
        }
    }
    Ok(())
}

/// Escapes a command's message, as the runner's toolkit does.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property: data escapes plus `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
