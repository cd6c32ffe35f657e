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

/// The records of `reader`, one line at a time: a corpus is checked as it is
/// read, never held whole.
pub fn read<R: BufRead>(reader: R, id_field: &str, text_field: &str) -> Records<R> {
    Records {
        lines: reader.lines(),
        line_no: 0,
        id_field: id_field.to_string(),
        text_field: text_field.to_string(),
        broken: false,
    }
}

pub struct Records<R> {
    lines: std::io::Lines<R>,
    line_no: usize,
    id_field: String,
    text_field: String,
    /// A read failed: the rest of the input cannot be trusted to be lines.
    broken: bool,
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Record, BadLine>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.broken {
                return None;
            }
            let line = self.lines.next()?;
            self.line_no += 1;
            let bad = |message: String| Some(Err(BadLine { line: self.line_no, message }));
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    self.broken = true;
                    return bad(format!("cannot read: {e}"));
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            let mut value: Value = match serde_json::from_str(&line) {
                Ok(v) => v,
                Err(e) => return bad(format!("not JSON: {e}")),
            };
            let id = match value.get(&self.id_field) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return bad(format!("no string or number field `{}`", self.id_field)),
            };
            // Taken, not copied: a record's text can be megabytes.
            return match value.get_mut(&self.text_field).map(Value::take) {
                Some(Value::String(text)) => Some(Ok(Record { id, text })),
                _ => bad(format!("record `{id}` has no string field `{}`", self.text_field)),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn records_and_bad_lines() {
        let input =
            "{\"id\": 1, \"text\": \"a\"}\n\nnot json\n{\"id\": \"x\"}\n{\"doc\": \"y\", \"body\": \"b\"}\n";
        let (records, bad): (Vec<_>, Vec<_>) =
            super::read(input.as_bytes(), "id", "text").partition(Result::is_ok);
        let records: Vec<super::Record> = records.into_iter().flatten().collect();
        let bad: Vec<super::BadLine> = bad.into_iter().filter_map(Result::err).collect();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].id, "1");
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [3, 4, 5]);
    }
}
