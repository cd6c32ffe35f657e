//! Corpora stored as JSON Lines: each record's text is linted as a document
//! named by its id, so a dataset can be checked without writing files, and
//! findings come back keyed by record (the JSON output's `path`).

use serde_json::Value;
use std::io::BufRead;

pub struct Record {
    pub id: String,
    pub text: String,
}

/// A record that could not be read, by line number (1-based).
pub struct BadLine {
    pub line: usize,
    pub message: String,
}

pub fn read(reader: impl BufRead, id_field: &str, text_field: &str) -> (Vec<Record>, Vec<BadLine>) {
    let mut records = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line_no = n + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                bad.push(BadLine { line: line_no, message: format!("cannot read: {e}") });
                break;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                bad.push(BadLine { line: line_no, message: format!("not JSON: {e}") });
                continue;
            }
        };
        let id = match value.get(id_field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                bad.push(BadLine {
                    line: line_no,
                    message: format!("no string or number field `{id_field}`"),
                });
                continue;
            }
        };
        match value.get(text_field) {
            Some(Value::String(text)) => records.push(Record { id, text: text.clone() }),
            _ => bad.push(BadLine {
                line: line_no,
                message: format!("record `{id}` has no string field `{text_field}`"),
            }),
        }
    }
    (records, bad)
}

#[cfg(test)]
mod tests {
    #[test]
    fn records_and_bad_lines() {
        let input =
            "{\"id\": 1, \"text\": \"a\"}\n\nnot json\n{\"id\": \"x\"}\n{\"doc\": \"y\", \"body\": \"b\"}\n";
        let (records, bad) = super::read(input.as_bytes(), "id", "text");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].id, "1");
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [3, 4, 5]);
    }
}
