//! SARIF 2.1.0, for GitHub code scanning and other consumers. Columns count
//! Unicode code points (`columnKind`); regions also carry byte offsets.
//! `partialFingerprints` are content-based (see `fingerprint`), so a finding
//! keeps its identity across commits that move it.

use super::{FileReport, LineIndex};
use crate::catalogue;
use crate::finding::Severity;
use crate::fingerprint::fingerprints;
use serde_json::{Value, json};
use std::io::{self, Write};
use std::ops::Range;

pub fn emit(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
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
    let indexes: Vec<LineIndex> = reports.iter().map(FileReport::lines).collect();
    let mut results = Vec::new();
    for (i, report) in reports.iter().enumerate() {
        let prints = fingerprints(&report.source, &report.findings);
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
            results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": catalogue::entries().iter().position(|e| e.id == f.rule),
                "level": level(f.severity),
                "message": { "text": text },
                "locations": [{ "physicalLocation": location(report, &indexes[i], f.span.clone()) }],
                "relatedLocations": related,
                "partialFingerprints": { "copydeskFindingHash/v1": print },
            }));
        }
    }
    let log = json!({
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
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
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
