//! What gets linted and what happens with bad input: walking, ignore files,
//! stdin, invalid UTF-8, binary files, missing paths, exit codes, pipes.

use crate::{copydesk, fixtures, stdout_of, tree};
use predicates::prelude::*;

const DAMAGED: &str = "Ship the the fixes today, please.\n";

#[test]
fn exit_codes_follow_the_failing_level() {
    let clean = tree(&[("a.md", "All good here.\n")]);
    copydesk(clean.path()).arg("check").assert().code(0);
    let bad = tree(&[("a.md", DAMAGED)]);
    copydesk(bad.path()).arg("check").assert().code(1);
    copydesk(bad.path()).args(["check", "--fail-on", "never"]).assert().code(0);
    // A warning fails only from `--fail-on warning` on.
    let cfg = "[rules.repeated-phrase]\nseverity = \"warning\"\n";
    let warn = tree(&[("a.md", DAMAGED), ("copydesk.toml", cfg)]);
    copydesk(warn.path()).arg("check").assert().code(0);
    copydesk(warn.path()).args(["check", "--fail-on", "warning"]).assert().code(1);
    let cfg = "fail-on = \"warning\"\n[rules.repeated-phrase]\nseverity = \"warning\"\n";
    let warn = tree(&[("a.md", DAMAGED), ("copydesk.toml", cfg)]);
    copydesk(warn.path()).arg("check").assert().code(1);
}

#[test]
fn walks_default_extensions_and_honours_ignore_files() {
    let dir = tree(&[
        ("docs/a.md", DAMAGED),
        ("docs/b.txt", DAMAGED),
        ("docs/c.rs", DAMAGED),
        ("docs/skip/d.md", DAMAGED),
        ("gen/e.md", DAMAGED),
        (".hidden/f.md", DAMAGED),
        (".gitignore", "gen/\n"),
        (".copydeskignore", "docs/skip/\n"),
    ]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise"]));
    let files: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(files, ["docs/a.md", "docs/b.txt"]);
}

#[test]
fn include_and_exclude_from_config() {
    let dir = tree(&[
        ("a.md", DAMAGED),
        ("legacy/b.md", DAMAGED),
        ("notes.rst", DAMAGED),
        ("copydesk.toml", "include = [\"*.md\", \"*.rst\"]\nexclude = [\"legacy/**\"]\n"),
    ]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise"]));
    let files: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(files, ["a.md", "notes.rst"]);
    // Named explicitly, an excluded file is linted, unless --force-exclude.
    copydesk(dir.path()).args(["check", "legacy/b.md"]).assert().code(1);
    copydesk(dir.path()).args(["check", "--force-exclude", "legacy/b.md"]).assert().code(0);
}

#[test]
fn stdin_with_and_without_a_name() {
    let dir = tree(&[]);
    copydesk(dir.path())
        .args(["check", "-", "--format", "concise"])
        .write_stdin(DAMAGED)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("-:1:10: error[repeated-phrase]"));
    copydesk(dir.path())
        .args(["check", "-", "--stdin-filename", "draft.txt", "--format", "concise"])
        .write_stdin("# heading the the here\n")
        .assert()
        .stdout(predicate::str::starts_with("draft.txt:1:"));
}

#[test]
fn invalid_utf8_is_an_error_for_that_file_and_the_run_goes_on() {
    let dir = tree(&[("b.md", DAMAGED)]);
    std::fs::write(dir.path().join("a.md"), b"fine text \xff\xfe broken").unwrap();
    copydesk(dir.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.md: not valid UTF-8: the first invalid byte is at offset 10"))
        .stdout(predicate::str::contains("b.md:1:10"));
}

#[test]
fn binary_files_are_skipped_with_a_note() {
    let dir = tree(&[]);
    std::fs::write(dir.path().join("a.md"), b"PK\x03\x04\x00\x00binary").unwrap();
    copydesk(dir.path()).arg("check").assert().code(0).stderr(predicate::str::contains("a.md: binary file"));
}

#[test]
fn missing_paths_are_errors_that_name_them() {
    let dir = tree(&[("a.md", "Fine.\n")]);
    copydesk(dir.path())
        .args(["check", "a.md", "nope.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.md: No such file or directory"));
}

#[test]
fn bom_and_crlf() {
    let text = "\u{feff}# 标题\r\n\r\nWe ship the the fixes.\r\n";
    let dir = tree(&[("a.md", text)]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let (s, e) = (v["span"]["start"].as_u64().unwrap() as usize, v["span"]["end"].as_u64().unwrap() as usize);
    assert_eq!(&text[s..e], "the");
    assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(3), Some(13)));
}

#[test]
fn usage_errors_exit_2() {
    copydesk(&fixtures()).args(["check", "--format", "xml"]).assert().code(2);
    copydesk(&fixtures())
        .args(["check", "--select", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"));
}

#[test]
fn a_closed_pipe_exits_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let big: String = (0..3000).map(|i| format!("Paragraph {i} has the the repeat.\n\n")).collect();
    let dir = tree(&[("big.md", &big)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir.path())
        .args(["check", "--format", "concise"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.code().is_some(), "killed by a signal");
}

#[test]
fn threads_flag_keeps_output_order() {
    let one = stdout_of(copydesk(&fixtures()).args(["check", ".", "--format", "concise", "-j", "1"]));
    let two = stdout_of(copydesk(&fixtures()).args(["check", ".", "--format", "concise", "-j", "2"]));
    assert_eq!(one, two);
}

/// A file over a megabyte has its rules run in parallel: the output must be
/// the one a single thread gives, findings of every rule in the same order.
/// Over a megabyte of paragraphs of made-up words (no near copies of each
/// other), with a little damage of each kind now and then.
fn big_damaged_file() -> String {
    let syllables = ["ka", "ro", "mi", "te", "su", "van", "lo", "pe", "dri", "no", "sha", "gu", "bel", "tor"];
    let mut seed = 7u64;
    let mut word = || {
        let mut w = String::new();
        for _ in 0..3 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            w.push_str(syllables[(seed >> 33) as usize % syllables.len()]);
        }
        w
    };
    let mut big = String::new();
    for i in 0..9_000usize {
        let sentence: Vec<String> = (0..14).map(|_| word()).collect();
        let doubled = if i % 50 == 0 { "the the" } else { "the" };
        big.push_str(&format!("Note {i}: {doubled} {}.\n\n", sentence.join(" ")));
        if i % 300 == 0 {
            big.push_str(&format!(
                "The maintainers of section {i} agreed that the old scripts should move to the\n\n"
            ));
            big.push_str("and then the release notes were sent to the list before the freeze.\n\n");
            big.push_str(
                "县政协今年围绕民生议题开展调研，形成了一批有分量的建议，并全部送交有关部门办理。\n\n",
            );
        }
        if i == 4_000 {
            big.push_str("<!-- copydesk-disable repeated-phrase -->\n\n");
        }
        if i == 6_000 {
            big.push_str("<!-- copydesk-enable repeated-phrase -->\n\n");
        }
    }
    assert!(big.len() > 1 << 20);
    big
}

#[test]
fn a_large_file_gives_the_same_findings_on_any_number_of_threads() {
    let dir = tree(&[("big.md", &big_damaged_file())]);
    let run = |threads: &str| {
        stdout_of(copydesk(dir.path()).args([
            "check",
            "big.md",
            "--format",
            "json",
            "--isolated",
            "-j",
            threads,
        ]))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    for rule in ["duplicate-paragraph", "repeated-phrase", "truncated-sentence", "orphaned-fragment"] {
        assert!(one.contains(&format!("\"rule\":\"{rule}\"")), "no {rule} finding");
    }
}

/// A file too big to hold is linted and written a piece at a time; what it
/// reports must not depend on that. `COPYDESK_PIECE_BYTES` makes a piece of
/// a megabyte-sized file what a piece of a gigabyte is by default.
#[test]
fn a_file_linted_in_pieces_gives_the_findings_of_the_whole() {
    let dir = tree(&[("big.md", &big_damaged_file())]);
    let run = |format: &str, pieces: Option<&str>, extra: &[&str]| {
        let mut cmd = copydesk(dir.path());
        cmd.args(["check", "big.md", "--isolated", "--format", format]).args(extra);
        if let Some(bytes) = pieces {
            cmd.env("COPYDESK_PIECE_BYTES", bytes);
        }
        let out = cmd.output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    for format in ["json", "concise", "github", "sarif"] {
        let whole = run(format, None, &[]);
        assert_eq!(whole.0, Some(1));
        for bytes in ["20000", "100000"] {
            assert_eq!(run(format, Some(bytes), &["-j", "2"]), whole, "{format} in pieces of {bytes}");
        }
    }
    // The full format shows a related span in another piece under a header of
    // its own; the diagnostics and the summary are the same.
    let heads = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.starts_with("Found"))
            .map(String::from)
            .collect()
    };
    let (_, whole) = run("full", None, &[]);
    let (_, pieced) = run("full", Some("20000"), &[]);
    assert_eq!(heads(&pieced), heads(&whole));
    assert_ne!(pieced, whole, "the pieces path was not taken");
    assert!(pieced.contains("first occurrence here"));
    // A baseline written from the whole file hides every finding of the pieces.
    let (code, _) = run("json", None, &["--write-baseline", "baseline.json"]);
    assert_eq!(code, Some(0));
    assert_eq!(run("json", Some("20000"), &["--baseline", "baseline.json"]), (Some(0), String::new()));
    // And one written from the pieces is the same file.
    let (code, _) = run("json", Some("20000"), &["--write-baseline", "pieced.json"]);
    assert_eq!(code, Some(0));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(read("pieced.json"), read("baseline.json"));
}

/// A tail stranded after a cut is no tail when the text around it opens
/// other clauses the same way (a term of the document). Counted across the
/// whole file, as it once was, a file checked in pieces missed a term half a
/// megabyte up and reported what the whole file did not.
#[test]
fn a_tail_is_weighed_alike_in_pieces_and_whole() {
    let cut = "系统装好之后会自带一个桌面，如果机器的内存很小，可以改装一个轻量级的";
    let filler = |n: usize| -> String {
        (0..n).map(|i| format!("第{i}段只是填充的文字，没有别的内容。\n\n")).collect()
    };
    let text = format!(
        "## 瘦客户机\n\n{}{cut}\n\n瘦客户机把程序放在服务器上运行。\n\n{}",
        filler(12_000),
        filler(3_000)
    );
    let dir = tree(&[("big.md", &text)]);
    let run = |pieces: Option<&str>| {
        let mut cmd = copydesk(dir.path());
        cmd.args(["check", "big.md", "--isolated", "--format", "json", "--select", "orphaned-fragment"]);
        if let Some(bytes) = pieces {
            cmd.env("COPYDESK_PIECE_BYTES", bytes);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let whole = run(None);
    // The heading is far up: the tail is paired with its cut.
    assert_eq!(whole.lines().count(), 1, "{whole}");
    assert!(whole.contains("\"rule\":\"orphaned-fragment\""));
    assert_eq!(run(Some("300000")), whole);
}

#[test]
fn a_big_file_that_is_not_utf8_names_the_first_bad_byte() {
    let mut bytes = big_damaged_file().into_bytes();
    let at = bytes.len() - 1000;
    bytes[at] = 0xff;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.md"), &bytes).unwrap();
    let out = copydesk(dir.path())
        .args(["check", "big.md", "--isolated"])
        .env("COPYDESK_PIECE_BYTES", "20000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("the first invalid byte is at offset {at}")), "{stderr}");
}

#[test]
fn suppressions_in_markdown_and_text() {
    let md = "<!-- copydesk-disable-next-block repeated-phrase -- a quotation -->\nHe wrote “the the”.\n\nWe ship the the fix.\n\n<!-- copydesk-disable-file truncated-sentence -->\n";
    let txt = "copydesk-disable repeated-phrase\nWe ship the the fix.\n";
    let dir = tree(&[("a.md", md), ("b.txt", txt)]);
    let out = stdout_of(copydesk(dir.path()).args(["check", "--format", "concise"]));
    assert_eq!(
        out,
        "a.md:4:13: error[repeated-phrase] “the” is written twice\n\
         a.md:6:1: warning[unused-suppression] this suppression suppresses nothing\n"
    );
}

#[test]
fn json_lines_records_are_documents_named_by_id() {
    let records = "{\"id\": \"doc-1\", \"text\": \"We ship the the fix today.\"}\n\
                   {\"id\": 2, \"text\": \"县政协召开全体会议，研究部署全年工作，推动各项任务落实。\"}\n\
                   {\"id\": 3, \"text\": \"县政协召开全体会议，研究部署全年工作，推动各项任务落实。\"}\n\
                   not json\n";
    let dir = tree(&[
        ("corpus.jsonl", records),
        ("copydesk.toml", "[rules.duplicate-paragraph]\nscope = \"tree\"\n"),
    ]);
    let out =
        copydesk(dir.path()).args(["check", "--jsonl", "corpus.jsonl", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad line is an error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("corpus.jsonl:4: not JSON"));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0]["path"].as_str(), lines[0]["span"]["start"].as_u64()), (Some("doc-1"), Some(12)));
    assert_eq!((lines[1]["path"].as_str(), lines[1]["related"][0]["path"].as_str()), (Some("3"), Some("2")));
    // From stdin too, with other field names.
    copydesk(dir.path())
        .args(["check", "--jsonl", "-", "--id-field", "key", "--text-field", "body", "--format", "concise"])
        .write_stdin("{\"key\": \"k\", \"body\": \"More and and more.\"}\n")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("k:1:10: error[repeated-phrase]"));
}

/// Records are read a chunk at a time: many chunks' worth come out in input
/// order, and a bad line in the middle is reported without losing the rest.
#[test]
fn json_lines_records_stream_in_order() {
    let mut input = String::new();
    for i in 0..300 {
        if i == 150 {
            input.push_str("{broken\n");
        }
        input.push_str(&format!("{{\"id\": \"rec-{i}\", \"text\": \"We ship the the fix number {i}.\"}}\n"));
    }
    let dir = tree(&[]);
    let out = copydesk(dir.path())
        .args(["check", "--jsonl", "-", "--format", "concise", "--isolated", "-j", "2"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad line is an error");
    let ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..300).map(|i| format!("rec-{i}")).collect();
    assert_eq!(ids, expected);
    assert!(String::from_utf8_lossy(&out.stderr).contains("-:151: not JSON"));
}

#[test]
fn no_progress_bar_when_piped() {
    let files: Vec<(String, &str)> = (0..250).map(|i| (format!("d{i}.md"), "Fine text here.\n")).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = tree(&refs);
    let out = copydesk(dir.path()).arg("check").output().unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
