//! Config discovery, errors that point at the TOML line, and the rule docs.

use crate::{copydesk, stdout_of, tree};
use predicates::prelude::*;

const DAMAGED: &str = "Ship the the fixes today, please.\n";

#[test]
fn nearest_config_wins_and_isolated_ignores_it() {
    let dir = tree(&[
        ("copydesk.toml", "[rules.repeated-phrase]\nseverity = \"off\"\n"),
        ("docs/a.md", DAMAGED),
        ("other/.copydesk.toml", "[rules.repeated-phrase]\nseverity = \"warning\"\n"),
        ("other/b.md", DAMAGED),
    ]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise"]));
    assert_eq!(out, "other/b.md:1:10: warning[repeated-phrase] “the” is written twice\n");
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise", "--isolated"]));
    assert_eq!(out.lines().count(), 2);
    // --config replaces discovery.
    std::fs::write(dir.path().join("strict.toml"), "fail-on = \"never\"\n").unwrap();
    copydesk(dir.path()).args(["check", "--config", "strict.toml"]).assert().code(0);
}

#[test]
fn select_and_ignore() {
    let dir = tree(&[("a.md", DAMAGED)]);
    copydesk(dir.path()).args(["check", "--ignore", "repeated-phrase"]).assert().code(0);
    copydesk(dir.path()).args(["check", "--select", "truncated-sentence"]).assert().code(0);
    copydesk(dir.path()).args(["check", "--select", "repeated-phrase"]).assert().code(1);
}

#[test]
fn config_errors_point_at_the_line() {
    let dir = tree(&[
        ("a.md", "Fine.\n"),
        ("copydesk.toml", "[rules.duplicate-paragraph]\nmin-length = 12\nsimilarity = 7\n"),
    ]);
    let out = copydesk(dir.path()).args(["check", "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_rules_and_keys_are_errors() {
    let dir = tree(&[("a.md", "Fine.\n"), ("copydesk.toml", "[rules.repeated-phrases]\nallow = []\n")]);
    copydesk(dir.path()).arg("check").assert().code(2).stderr(
        predicate::str::contains("unknown rule `repeated-phrases`")
            .and(predicate::str::contains("did you mean `repeated-phrase`?")),
    );
    let dir = tree(&[("a.md", "Fine.\n"), ("copydesk.toml", "[rules.repeated-phrase]\nallowed = []\n")]);
    copydesk(dir.path()).arg("check").assert().code(2).stderr(predicate::str::contains("copydesk.toml:2:1"));
    let dir = tree(&[("a.md", "Fine.\n"), ("copydesk.toml", "fail-on = \"sometimes\"\n")]);
    copydesk(dir.path()).arg("check").assert().code(2).stderr(predicate::str::contains("copydesk.toml:1:11"));
}

#[test]
fn init_writes_a_config_that_check_accepts() {
    let dir = tree(&[("a.md", "Fine.\n")]);
    copydesk(dir.path()).arg("init").assert().code(0);
    let text = std::fs::read_to_string(dir.path().join("copydesk.toml")).unwrap();
    assert!(text.contains("[rules.orphaned-fragment]"));
    copydesk(dir.path()).arg("check").assert().code(0);
    // It never overwrites without --force.
    copydesk(dir.path()).arg("init").assert().code(2);
    copydesk(dir.path()).args(["init", "--force"]).assert().code(0);
}

#[test]
fn rules_and_rule_docs() {
    let dir = tree(&[]);
    let list = stdout_of(copydesk(dir.path()).arg("rules"));
    insta::assert_snapshot!(list);
    let doc = stdout_of(copydesk(dir.path()).args(["rule", "truncated-sentence"]));
    assert!(doc.starts_with("# truncated-sentence"));
    assert!(doc.contains("## Options") && doc.contains("`min-words` (default `12`)"));
    copydesk(dir.path()).args(["rule", "nope"]).assert().code(2);
}

#[test]
fn tree_scope_finds_copies_across_files() {
    let para = "The committee approved the annual budget after a long debate about roads.\n";
    let files = [("a.md", para), ("b.md", &format!("Other text first.\n\n{para}") as &str)];
    let dir = tree(&files);
    copydesk(dir.path()).arg("check").assert().code(0);
    std::fs::write(dir.path().join("copydesk.toml"), "[rules.duplicate-paragraph]\nscope = \"tree\"\n")
        .unwrap();
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["path"], "b.md");
    assert_eq!(v["related"][0]["path"], "a.md");
    assert_eq!(v["related"][0]["span"]["start"], 0);
    // Items of two files' lists are not compared, as two lists of one file
    // are not: parallel lists repeat items on purpose.
    let list = "- Install the package with the system's package manager first.\n- Then start the service.\n";
    std::fs::write(dir.path().join("c.md"), list).unwrap();
    std::fs::write(dir.path().join("d.md"), list).unwrap();
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "json"]));
    assert_eq!(out.lines().count(), 1, "{out}");
}

/// A tree run writes its findings after the last file, reading texts again:
/// a related span into a file written out earlier points at an excerpt of
/// it, with the file's own line numbers and byte offsets.
#[test]
fn tree_scope_points_into_files_written_earlier() {
    let para = "The committee approved the annual budget after a long debate about roads.";
    let first = format!("# Minutes\n\nOpening remarks were short.\n\nAgenda.\n\n{para}\n");
    let mut files: Vec<(String, String)> = vec![("a00.md".into(), first.clone())];
    files.extend((1..70).map(|i| (format!("a{i:02}.md"), format!("Note number {i} of the series.\n"))));
    files.push(("z.md".into(), format!("Another file.\n\n{para}\n")));
    files.push(("copydesk.toml".into(), "[rules.duplicate-paragraph]\nscope = \"tree\"\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = tree(&refs);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["path"], "z.md");
    let related = &v["related"][0];
    assert_eq!(related["path"], "a00.md");
    assert_eq!((related["line"].as_u64(), related["column"].as_u64()), (Some(7), Some(1)));
    let start = first.find(para).unwrap();
    assert_eq!(related["span"]["start"].as_u64(), Some(start as u64));
    assert_eq!(related["span"]["end"].as_u64(), Some((start + para.len()) as u64));
    let full = stdout_of(copydesk(dir.path()).args(["check", "--color", "never"]));
    assert!(full.contains("┌─ a00.md:7:1"), "{full}");
    assert!(full.contains(&format!("7 │ {para}")), "{full}");
}

#[test]
fn baseline_hides_known_findings_and_survives_edits() {
    let dir = tree(&[(
        "docs/a.md",
        "We ship the the fix.\n\nThe same caption, pasted twice here.\n\nThe same caption, pasted twice here.\n",
    )]);
    copydesk(dir.path()).args(["check", "--write-baseline", "copydesk-baseline.json"]).assert().code(0);
    copydesk(dir.path()).args(["check", "--baseline", "copydesk-baseline.json"]).assert().code(0);
    // Unrelated edits above: still known. A new defect: reported.
    let edited = "# Title\n\nA new paragraph on top.\n\nWe ship the the fix.\n\nThe same caption, pasted twice here.\n\nThe same caption, pasted twice here.\n\nAnd a new and and slip.\n";
    std::fs::write(dir.path().join("docs/a.md"), edited).unwrap();
    let out = stdout_of(copydesk(dir.path()).args([
        "check",
        "--baseline",
        "copydesk-baseline.json",
        "--format",
        "concise",
    ]));
    assert_eq!(out, "docs/a.md:11:15: error[repeated-phrase] “and” is written twice\n");
    // The baseline works from another directory too.
    let out = stdout_of(copydesk(&dir.path().join("docs")).args([
        "check",
        "--baseline",
        "../copydesk-baseline.json",
        "--format",
        "concise",
    ]));
    assert_eq!(out, "a.md:11:15: error[repeated-phrase] “and” is written twice\n");
}
