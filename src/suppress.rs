//! Applies suppression directives (`document::directive`) to findings, and
//! reports directives that name an unknown rule or suppress nothing, so that
//! stale suppressions do not pile up.

use crate::document::Document;
use crate::document::directive::{Directive, DirectiveKind};
use crate::finding::Finding;
use crate::lint::RuleSet;
use crate::rules::unused_suppression;
use std::ops::Range;

/// Where one directive applies.
#[derive(Clone, Debug)]
pub struct Scope {
    rules: Vec<(String, Range<usize>)>,
    applies: Range<usize>,
    span: Range<usize>,
}

/// A directive, with the span of the block after it (what a
/// `disable-next-block` governs), found while the document is at hand.
#[derive(Clone, Debug)]
pub struct Placed {
    pub directive: Directive,
    pub next_block: Option<Range<usize>>,
}

impl Placed {
    /// The same directive in a text that starts `base` bytes earlier.
    pub fn shifted(mut self, base: usize) -> Placed {
        let d = &mut self.directive;
        d.span = d.span.start + base..d.span.end + base;
        for (_, span) in &mut d.rules {
            *span = span.start + base..span.end + base;
        }
        self.next_block = self.next_block.map(|b| b.start + base..b.end + base);
        self
    }
}

/// A document's directives, each with the block after it.
pub fn placed(doc: &Document) -> Vec<Placed> {
    doc.directives
        .iter()
        .map(|d| Placed {
            directive: d.clone(),
            next_block: (d.kind == DirectiveKind::DisableNextBlock)
                .then(|| doc.blocks.iter().find(|b| b.span().start >= d.span.end).map(|b| b.span()))
                .flatten(),
        })
        .collect()
}

/// The scopes of a document's directives. Needs the document (for "next
/// block"); the findings they apply to may come later (tree-wide rules).
pub fn scopes(doc: &Document) -> Vec<Scope> {
    scopes_of(&placed(doc))
}

/// The scopes of a file's directives, in source order.
pub fn scopes_of(placed: &[Placed]) -> Vec<Scope> {
    let mut out = Vec::new();
    for (i, Placed { directive: d, next_block }) in placed.iter().enumerate() {
        let applies = match d.kind {
            DirectiveKind::Enable => continue,
            DirectiveKind::DisableFile => 0..usize::MAX,
            DirectiveKind::DisableNextBlock => next_block.clone().unwrap_or(d.span.end..d.span.end),
            DirectiveKind::Disable => {
                let names: Vec<&str> = d.rules.iter().map(|(n, _)| n.as_str()).collect();
                let end = placed[i + 1..]
                    .iter()
                    .map(|p| &p.directive)
                    .find(|e| {
                        e.kind == DirectiveKind::Enable
                            && (e.rules.is_empty()
                                || names.is_empty()
                                || e.rules.iter().any(|(n, _)| names.contains(&n.as_str())))
                    })
                    .map_or(usize::MAX, |e| e.span.start);
                d.span.end..end
            }
        };
        out.push(Scope { rules: d.rules.clone(), applies, span: d.span.clone() });
    }
    out
}

/// Drops suppressed findings and adds `unused-suppression` findings when that
/// rule is active. The result is sorted.
pub fn apply(scopes: &[Scope], findings: Vec<Finding>, rules: &RuleSet) -> Vec<Finding> {
    if scopes.is_empty() {
        return findings;
    }
    let mut used = vec![false; scopes.len()];
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            let mut suppressed = false;
            for (i, s) in scopes.iter().enumerate() {
                let matches_rule = s.rules.is_empty() || s.rules.iter().any(|(n, _)| n == f.rule);
                if matches_rule && s.applies.contains(&f.span.start) {
                    used[i] = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .collect();
    if let Some(meta) = rules.get(unused_suppression::ID) {
        for (i, s) in scopes.iter().enumerate() {
            let unknown: Vec<&(String, Range<usize>)> = s
                .rules
                .iter()
                .filter(|(n, _)| crate::rules::spec(n).is_none() && rules.get(n).is_none())
                .collect();
            for (name, span) in &unknown {
                let finding = Finding::new(span.clone(), format!("unknown rule `{name}` in a suppression"))
                    .label("no rule has this id")
                    .help(crate::config::suggest_rule(name).unwrap_or_default());
                kept.push(meta.stamp(finding.into()));
            }
            if !used[i] && unknown.is_empty() {
                let finding = Finding::new(s.span.clone(), "this suppression suppresses nothing")
                    .label("nothing here is reported by the rules it names")
                    .help("delete the suppression");
                kept.push(meta.stamp(finding.into()));
            }
        }
    }
    crate::lint::sort(&mut kept);
    kept
}

#[cfg(test)]
mod tests {
    use crate::config::{Loader, Overrides};
    use crate::document::Document;
    use crate::source::Format;

    fn check(src: &str, format: Format) -> Vec<(String, String)> {
        let dir = std::env::temp_dir();
        let settings = Loader::new(Overrides { isolated: true, ..Overrides::default() }, dir.clone())
            .for_dir(&dir)
            .unwrap();
        let doc = Document::parse("t", src, 0, format);
        let found = super::apply(&super::scopes(&doc), settings.rules.check(&doc), &settings.rules);
        found.into_iter().map(|f| (f.rule.to_string(), src[f.span].to_string())).collect()
    }

    #[test]
    fn disable_enable_next_block_and_file() {
        let src = "We ship the the fix.\n\n<!-- copydesk-disable repeated-phrase -- quoted -->\n\nA quote with the the typo.\n\n<!-- copydesk-enable repeated-phrase -->\n\nAnd and again.\n\n<!-- copydesk-disable-next-block -->\nOne more the the.\n\nLast the the.\n";
        let found: Vec<String> = check(src, Format::Markdown).into_iter().map(|(_, t)| t).collect();
        assert_eq!(found, ["the", "and", "the"]);
        let file = "<!-- copydesk-disable-file repeated-phrase -->\n\nWe ship the the fix.\n";
        assert!(check(file, Format::Markdown).is_empty());
    }

    #[test]
    fn stale_and_unknown_suppressions_are_reported() {
        let src = "<!-- copydesk-disable-next-block repeated-phrase -->\nAll clean here.\n\n<!-- copydesk-disable repeated-phrases -->\n";
        let found = check(src, Format::Markdown);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "unused-suppression");
        assert_eq!(found[1].1, "repeated-phrases");
    }

    #[test]
    fn plain_text_directive_lines() {
        let src = "copydesk-disable-next-block repeated-phrase\nWe ship the the fix.\n\nAgain the the fix.\n";
        let found: Vec<String> = check(src, Format::PlainText).into_iter().map(|(_, t)| t).collect();
        assert_eq!(found, ["the"]);
    }

    #[test]
    fn directives_inside_code_are_ignored() {
        let src = "```\n<!-- copydesk-disable-file -->\n```\n\nWe ship the the fix.\n";
        assert_eq!(check(src, Format::Markdown).len(), 1);
    }
}
