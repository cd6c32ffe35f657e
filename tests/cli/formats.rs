//! The three renderings, pinned by snapshots, and the JSON contract.

use crate::{copydesk, fixtures, stdout_of};

fn render(file: &str, format: &str) -> String {
    stdout_of(copydesk(&fixtures()).args(["check", file, "--format", format, "--color", "never"]))
}

#[test]
fn full_chinese() {
    insta::assert_snapshot!(render("zh-damaged.md", "full"));
}

#[test]
fn full_english() {
    insta::assert_snapshot!(render("en-damaged.md", "full"));
}

#[test]
fn full_mixed() {
    insta::assert_snapshot!(render("mixed.md", "full"));
}

#[test]
fn concise_all() {
    insta::assert_snapshot!(stdout_of(copydesk(&fixtures()).args(["check", ".", "--format", "concise"])));
}

#[test]
fn json_chinese() {
    insta::assert_snapshot!(render("zh-damaged.md", "json"));
}

#[test]
fn json_records_have_the_documented_fields() {
    let out = render("en-damaged.md", "json");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in
            ["path", "rule", "severity", "message", "line", "column", "end_line", "end_column", "related"]
        {
            assert!(v.get(key).is_some(), "missing {key} in {line}");
        }
        assert!(v["span"]["start"].is_u64() && v["span"]["end"].is_u64());
        for r in v["related"].as_array().unwrap() {
            for key in ["path", "span", "line", "column", "message"] {
                assert!(r.get(key).is_some(), "missing related.{key} in {line}");
            }
        }
    }
}

#[test]
fn clean_prose_is_quiet() {
    for file in ["clean-zh.md", "clean-en.md", "clean-ja.md"] {
        let out = copydesk(&fixtures()).args(["check", file, "--format", "concise"]).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{file}");
        assert!(out.status.success(), "{file}");
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = render("mixed.md", "full");
    assert!(!plain.contains('\u{1b}'));
    let coloured = stdout_of(copydesk(&fixtures()).args(["check", "mixed.md", "--color", "always"]));
    assert!(coloured.contains("\u{1b}["));
    // Piped output under `auto` has no colour, whatever NO_COLOR says.
    let auto = stdout_of(copydesk(&fixtures()).args(["check", "mixed.md"]));
    assert!(!auto.contains('\u{1b}'));
}

#[test]
fn summary_line_counts_findings() {
    let out = render("zh-damaged.md", "full");
    assert!(out.trim_end().ends_with("Found 6 errors in 1 file."), "{out}");
}

/// A finding on a line of megabytes shows a window of that line, with the
/// columns of the whole line: codespan alone would print all of it.
#[test]
fn long_lines_are_shown_as_a_window() {
    let filler: String = (0..400).map(|i| format!("第{i}号提案已经办结。")).collect();
    let text = format!("{filler}We will ship the the fix soon, {filler}\n");
    let dir = crate::tree(&[("long.md", &text)]);
    let json = stdout_of(copydesk(dir.path()).args(["check", "--format", "json", "long.md"]));
    let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    let (line, column) = (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap());
    assert_eq!((line, column), (1, filler.chars().count() as u64 + 18));
    let full = stdout_of(copydesk(dir.path()).args(["check", "--color", "never", "long.md"]));
    assert!(full.contains(&format!("┌─ long.md:{line}:{column}")), "{full}");
    assert!(full.contains("We will ship the the fix soon"), "{full}");
    assert!(full.len() < 3000, "the whole line was printed: {} bytes", full.len());
}

#[test]
fn json_of_thousands_of_findings_is_the_same_on_any_number_of_threads() {
    // Enough findings that a two-thread run renders them in chunks side by
    // side: each copy of a paragraph, on lines that grow by one each time.
    let para = "The committee approved the annual budget after a long debate.";
    let text: String = (0..3000).map(|k| format!("{para}\n{}\n", "\n".repeat(k % 3))).collect();
    let dir = crate::tree(&[("many.md", &text)]);
    let run = |threads: &str| {
        stdout_of(copydesk(dir.path()).args(["check", "many.md", "--format", "json", "-j", threads]))
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one.lines().count(), 2999);
    assert!(one == two, "the JSON of -j 1 and -j 2 differ");
    // Every record's line is where its span starts.
    for record in two.lines() {
        let v: serde_json::Value = serde_json::from_str(record).unwrap();
        let start = v["span"]["start"].as_u64().unwrap() as usize;
        assert_eq!(v["line"].as_u64().unwrap() as usize, text[..start].matches('\n').count() + 1);
        assert_eq!(v["related"][0]["line"], 1);
    }
}
