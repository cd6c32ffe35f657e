//! Per-path overrides, `extend`, `config --show`, custom rules and rule packs.

use crate::{copydesk, stdout_of, tree};
use predicates::prelude::*;

const DAMAGED: &str = "Ship the the fixes today, please.\n";

#[test]
fn overrides_change_rules_for_matching_files() {
    let config = r#"
[[overrides]]
files = ["legacy/**", "!legacy/keep.md"]
[overrides.rules.repeated-phrase]
severity = "off"

[[overrides]]
files = ["drafts/*.md"]
[overrides.rules.repeated-phrase]
severity = "info"
"#;
    let dir = tree(&[
        ("copydesk.toml", config),
        ("a.md", DAMAGED),
        ("legacy/old.md", DAMAGED),
        ("legacy/keep.md", DAMAGED),
        ("drafts/new.md", DAMAGED),
    ]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise"]));
    assert_eq!(
        out,
        "a.md:1:10: error[repeated-phrase] “the” is written twice\n\
         drafts/new.md:1:10: info[repeated-phrase] “the” is written twice\n\
         legacy/keep.md:1:10: error[repeated-phrase] “the” is written twice\n"
    );
}

#[test]
fn extend_inherits_and_config_show_says_from_where() {
    let dir = tree(&[
        (
            "base.toml",
            "fail-on = \"warning\"\n[rules.duplicate-paragraph]\nmin-length = 20\nscope = \"tree\"\n",
        ),
        (
            "docs/copydesk.toml",
            "extend = \"../base.toml\"\n[rules.duplicate-paragraph]\nmin-length = 30\n[[overrides]]\nfiles = [\"old/**\"]\n[overrides.rules.truncated-sentence]\nseverity = \"off\"\n",
        ),
        ("docs/old/a.md", "Fine.\n"),
    ]);
    let out = stdout_of(copydesk(dir.path()).args(["config", "--show", "docs/old/a.md"]));
    assert!(out.contains("# Config: "), "{out}");
    let line = |key: &str| {
        out.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{key} in {out}")).to_string()
    };
    assert!(line("fail-on").ends_with("base.toml"), "{out}");
    assert!(line("min-length = 30").contains("docs/copydesk.toml"), "{out}");
    assert!(line("scope = \"tree\"").ends_with("base.toml"), "{out}");
    assert!(line("similarity").ends_with("# default"), "{out}");
    assert!(out.contains("severity = \"off\""), "{out}");
    assert!(out.contains("[[overrides]] 1 (old/**)"), "{out}");
    // A cycle of `extend` is an error, not a hang.
    let dir = tree(&[
        ("copydesk.toml", "extend = \"other.toml\"\n"),
        ("other.toml", "extend = \"copydesk.toml\"\n"),
        ("a.md", "Fine.\n"),
    ]);
    copydesk(dir.path()).arg("check").assert().code(2).stderr(predicate::str::contains("cycle"));
}

#[test]
fn custom_rules_match_prose_only() {
    let config = r#"
[[custom-rules]]
id = "no-shouting"
pattern = "！{2,}|!{2,}"
message = "avoid repeated exclamation marks"
severity = "error"
replacement = "！"
"#;
    let text = "太好了！！我们成功了!!\n\n`echo hi!!` is code.\n\n```\nprint('wow!!')\n```\n";
    let dir = tree(&[("copydesk.toml", config), ("a.md", text)]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "json"]));
    let spans: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let (s, e) =
                (v["span"]["start"].as_u64().unwrap() as usize, v["span"]["end"].as_u64().unwrap() as usize);
            (v["rule"].as_str().unwrap().to_string(), text[s..e].to_string())
        })
        .collect();
    assert_eq!(
        spans,
        [("no-shouting".to_string(), "！！".to_string()), ("no-shouting".to_string(), "!!".to_string())]
    );
    // Custom rules can be selected, and suppressed, by id.
    copydesk(dir.path()).args(["check", "--ignore", "no-shouting"]).assert().code(0);
}

#[test]
fn bad_custom_patterns_point_at_the_line() {
    let config = "[[custom-rules]]\nid = \"broken\"\npattern = \"(unclosed\"\nmessage = \"m\"\n";
    let dir = tree(&[("copydesk.toml", config), ("a.md", "Fine.\n")]);
    copydesk(dir.path()).args(["check", "--color", "never"]).assert().code(2).stderr(
        predicate::str::contains("invalid pattern").and(predicate::str::contains("copydesk.toml:3:11")),
    );
}

#[test]
fn rule_packs_are_opt_in() {
    let text = "会议结束了。。大家都很高兴！！\n";
    let dir = tree(&[("a.md", text)]);
    copydesk(dir.path()).arg("check").assert().code(0);
    std::fs::write(dir.path().join("copydesk.toml"), "packs = [\"cjk-punctuation\"]\n").unwrap();
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise"]));
    assert_eq!(
        out,
        "a.md:1:6: error[doubled-cjk-punctuation] doubled punctuation mark\n\
         a.md:1:14: warning[repeated-exclamation] avoid repeated exclamation or question marks\n"
    );
    std::fs::write(dir.path().join("copydesk.toml"), "packs = [\"cjk-punctuaton\"]\n").unwrap();
    copydesk(dir.path()).arg("check").assert().code(2).stderr(predicate::str::contains("unknown rule pack"));
}
