//! Suppression directives written in the text itself:
//! `<!-- copydesk-disable RULE[, RULE] [-- reason] -->` … `<!-- copydesk-enable -->`,
//! `<!-- copydesk-disable-next-block RULE -->`, `<!-- copydesk-disable-file RULE -->`.
//! In Markdown they are HTML comments (never inside code); in plain text, the
//! same words on a line of their own, with or without the comment markers.
//! No rule list means every rule.

use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextBlock,
    DisableFile,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Rule ids as written, with their source spans; empty means all rules.
    pub rules: Vec<(String, Range<usize>)>,
    /// The whole directive in the source.
    pub span: Range<usize>,
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:<!--)?[ \t]*copydesk-(disable-next-block|disable-file|disable|enable)\b([^\r\n]*?)(?:-->)?[ \t]*$")
            .expect("valid directive pattern")
    })
}

/// Parses the directive in `text` (a comment or a line), found at `offset`.
pub fn parse(text: &str, offset: usize) -> Option<Directive> {
    let trimmed_start = text.len() - text.trim_start().len();
    let body = text.trim();
    let caps = pattern().captures(body)?;
    let kind = match &caps[1] {
        "disable" => DirectiveKind::Disable,
        "enable" => DirectiveKind::Enable,
        "disable-next-block" => DirectiveKind::DisableNextBlock,
        _ => DirectiveKind::DisableFile,
    };
    let list = caps.get(2).expect("group 2 always matches");
    // A reason may follow `--`.
    let list_text = &body[list.range()];
    let list_text = list_text.split(" --").next().unwrap_or("");
    let base = offset + trimmed_start + list.start();
    let mut rules = Vec::new();
    let mut pos = 0;
    for part in list_text.split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !name.is_empty() {
            let start = base + pos + lead;
            rules.push((name.to_string(), start..start + name.len()));
        }
        pos += part.len() + 1;
    }
    Some(Directive { kind, rules, span: offset + trimmed_start..offset + trimmed_start + body.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let d = parse("<!-- copydesk-disable repeated-phrase, truncated-sentence -- quoted verbatim -->", 10)
            .unwrap();
        assert_eq!(d.kind, DirectiveKind::Disable);
        let names: Vec<&str> = d.rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["repeated-phrase", "truncated-sentence"]);
        assert_eq!(d.rules[0].1, 32..47);
        assert_eq!(parse("copydesk-enable", 0).unwrap().kind, DirectiveKind::Enable);
        assert!(parse("<!-- copydesk-disable-file -->", 0).unwrap().rules.is_empty());
        assert!(parse("<!-- a note -->", 0).is_none());
        assert!(parse("copydesk-disabled", 0).is_none());
    }
}
