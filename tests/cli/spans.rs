//! Every span slices the source: on char boundaries, in bounds, and for
//! findings, to the text the rule describes. Checked on the fixtures through
//! the CLI's JSON, and on arbitrary input through the library.

use crate::{copydesk, fixtures, stdout_of};
use copydesk::config::{Loader, Overrides};
use copydesk::document::{Document, TokenKind};
use copydesk::source::Format;
use proptest::prelude::*;

#[test]
fn json_spans_slice_the_files() {
    let out = stdout_of(copydesk(&fixtures()).args(["check", ".", "--format", "json"]));
    assert!(out.lines().count() >= 10);
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let source = std::fs::read_to_string(fixtures().join(v["path"].as_str().unwrap())).unwrap();
        let (start, end) =
            (v["span"]["start"].as_u64().unwrap() as usize, v["span"]["end"].as_u64().unwrap() as usize);
        let text = source.get(start..end).expect("span on char boundaries");
        assert!(!text.trim().is_empty());
        // line/column agree with the byte offset, columns in chars.
        let before = &source[..start];
        let line_no = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(
            (v["line"].as_u64().unwrap() as usize, v["column"].as_u64().unwrap() as usize),
            (line_no, col)
        );
        match v["rule"].as_str().unwrap() {
            "repeated-phrase" => {
                // The span covers repeats of the first copy.
                let r = &v["related"][0]["span"];
                let first =
                    &source[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize];
                assert!(text.to_lowercase().contains(&first.to_lowercase()), "{text} / {first}");
            }
            "duplicate-paragraph" => {
                let r = &v["related"][0]["span"];
                let first =
                    &source[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize];
                // The copy normalises to the same text as its original, or nearly.
                let norm = |s: &str| {
                    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>()
                };
                let message = v["message"].as_str().unwrap();
                assert!(norm(first) == norm(text) || message.contains("near copy"), "{text} / {first}");
            }
            _ => {}
        }
    }
}

fn default_settings() -> std::sync::Arc<copydesk::config::Settings> {
    let mut loader = Loader::new(Overrides { isolated: true, ..Overrides::default() }, std::env::temp_dir());
    loader.for_dir(&std::env::temp_dir()).unwrap()
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

/// Pieces that stress the parser and the offset map.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("the the ".to_string()),
        Just("发展发展".to_string()),
        Just("乡村".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just("！？".to_string()),
        Just("……".to_string()),
        Just("“引号”".to_string()),
        Just("《书名".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("# ".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("```\ncode\n```\n".to_string()),
        Just("`x`".to_string()),
        Just("**".to_string()),
        Just("\\*".to_string()),
        Just("&amp;".to_string()),
        Just("&#x4E2D;".to_string()),
        Just("<!-- c -->".to_string()),
        Just("<div>".to_string()),
        Just("[l](http://x.y)".to_string()),
        Just("https://e.com/a ".to_string()),
        Just("🎉".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{feff}".to_string()),
        Just("Ａ１！".to_string()),
        Just("目，".to_string()),
        Just("and ".to_string()),
        "[a-zA-Z .,]{0,12}",
        "[一-龥]{0,8}",
        "\\PC{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn spans_always_slice_the_source(pieces in prop::collection::vec(piece(), 0..40), markdown in any::<bool>()) {
        let source: String = pieces.concat();
        let body = if source.starts_with('\u{feff}') { 3 } else { 0 };
        let format = if markdown { Format::Markdown } else { Format::PlainText };
        let doc = Document::parse("p", &source, body, format);
        for block in &doc.blocks {
            let span = block.span();
            prop_assert!(source.get(span.clone()).is_some(), "block span {:?}", span);
            for s in &block.sentences() {
                prop_assert!(source.get(block.source_span(s.clone())).is_some());
            }
            for t in block.tokens() {
                let src = source.get(block.source_span(t.start..t.end));
                prop_assert!(src.is_some());
                // A word or CJK token slices to its own characters, with at most
                // markup between them, unless an escape or entity stood there.
                if matches!(t.kind, TokenKind::Word | TokenKind::Cjk(_)) {
                    let src = src.unwrap();
                    let text = t.text(&block.text);
                    prop_assert!(is_subsequence(text, src) || src.contains('&') || src.contains('\\'),
                        "token {:?} sliced to {:?}", text, src);
                }
            }
        }
        for f in default_settings().rules.check(&doc) {
            prop_assert!(source.get(f.span.clone()).is_some(), "{} {:?}", f.rule, f.span);
            for r in &f.related {
                prop_assert!(source.get(r.span.clone()).is_some());
            }
        }
    }
}
