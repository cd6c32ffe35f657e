//! SARIF 2.1.0, for GitHub code scanning and other consumers. Columns count
//! Unicode code points (`columnKind`); regions also carry byte offsets.
//! `partialFingerprints` are content-based (see `fingerprint`), so a finding
//! keeps its identity across commits that move it.

use super::{FileReport, LineIndex};
use crate::catalogue;
use crate::finding::Severity;
use crate::fingerprint::{Ordinals, fingerprints_in};
use serde_json::{Value, json};
use std::io::{self, Write};
use std::ops::Range;

/// A SARIF log written a chunk of reports at a time: its opening (the tool
/// and its rules) before the first result, its closing after the last, so a
/// run need not hold every report until the end.
#[derive(Default)]
pub struct Log {
    /// What closes the log, once it is open.
    closing: Option<String>,
    results: usize,
}

/// Where results go in the log: the pretty-printed log is cut here.
const RESULTS: &str = "\"results\": [";
/// The indentation of a result in the pretty-printed log.
const INDENT: &str = "        ";

impl Log {
    fn open(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.closing.is_some() {
            return Ok(());
        }
        let text = serde_json::to_string_pretty(&empty_log())?;
        let cut = text.find(RESULTS).map_or(text.len(), |i| i + RESULTS.len());
        out.write_all(&text.as_bytes()[..cut])?;
        self.closing = Some(text[cut..].to_string());
        Ok(())
    }

    /// Writes the results of `reports`; `seen`: see [`super::emit`].
    pub fn write(
        &mut self,
        out: &mut dyn Write,
        reports: &[FileReport],
        mut seen: Option<&mut Ordinals>,
    ) -> io::Result<()> {
        self.open(out)?;
        let indexes: Vec<LineIndex> = reports.iter().map(FileReport::lines).collect();
        for (i, report) in reports.iter().enumerate() {
            let offset = report.excerpt.map_or(0, |e| e.offset);
            let mut fresh = Ordinals::default();
            let seen = seen.as_deref_mut().unwrap_or(&mut fresh);
            let prints = fingerprints_in(&report.source, offset, &report.findings, seen);
            for (f, print) in report.findings.iter().zip(prints) {
                let related: Vec<Value> = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(n, r)| {
                        let file = r.file.unwrap_or(i);
                        json!({
                            "id": n,
                            "physicalLocation": location(&reports[file], &indexes[file], r.span.clone()),
                            "message": { "text": r.message },
                        })
                    })
                    .collect();
                let mut text = f.message.to_string();
                if let Some(help) = &f.help {
                    text.push_str(&format!(" (help: {help})"));
                }
                let result = json!({
                    "ruleId": f.rule,
                    "ruleIndex": catalogue::entries().iter().position(|e| e.id == f.rule),
                    "level": level(f.severity),
                    "message": { "text": text },
                    "locations": [{ "physicalLocation": location(report, &indexes[i], f.span.clone()) }],
                    "relatedLocations": related,
                    "partialFingerprints": { "copydeskFindingHash/v1": print },
                });
                out.write_all(if self.results == 0 { b"\n" } else { b",\n" })?;
                for (n, line) in serde_json::to_string_pretty(&result)?.lines().enumerate() {
                    if n > 0 {
                        out.write_all(b"\n")?;
                    }
                    out.write_all(INDENT.as_bytes())?;
                    out.write_all(line.as_bytes())?;
                }
                self.results += 1;
            }
        }
        Ok(())
    }

    /// Closes the log (opening it first if no chunk was written).
    pub fn close(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.open(out)?;
        if self.results > 0 {
            out.write_all(b"\n")?;
            out.write_all(&INDENT.as_bytes()[2..])?;
        }
        out.write_all(self.closing.take().unwrap_or_default().as_bytes())?;
        out.write_all(b"\n")
    }
}

/// The log with the tool, its rules and no results.
fn empty_log() -> Value {
    let rules: Vec<Value> = catalogue::entries()
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "name": e.id,
                "shortDescription": { "text": e.summary },
                "fullDescription": { "text": e.summary },
                "help": { "text": e.explanation, "markdown": e.explanation },
                "defaultConfiguration": { "level": level(e.severity) },
                "properties": { "category": e.category, "tags": ["prose", e.category.as_str()] },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "copydesk",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn location(report: &FileReport, lines: &LineIndex, span: Range<usize>) -> Value {
    let (start_line, start_column) = report.location(lines, span.start);
    let (end_line, end_column) = report.location(lines, span.end);
    json!({
        "artifactLocation": { "uri": uri(&report.display) },
        "region": {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
            "byteOffset": span.start,
            "byteLength": span.len(),
        },
    })
}

/// A relative URI reference: forward slashes, reserved bytes percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        assert_eq!(super::uri("docs/a b/文.md"), "docs/a%20b/%E6%96%87.md");
    }
}
