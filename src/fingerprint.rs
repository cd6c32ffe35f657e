//! Stable identities for findings, for baselines and code scanning.
//!
//! A fingerprint hashes the rule, the normalised text of the span and of its
//! neighbourhood, never line numbers: an edit elsewhere in the file leaves it
//! unchanged. Identical findings (the eighth copy of one caption) are told
//! apart by their order among equals.

use crate::finding::Finding;
use crate::rules::common::text::for_each_normalized;
use std::collections::HashMap;
use xxhash_rust::xxh3::Xxh3;

/// Characters of context on each side that go into a fingerprint.
const CONTEXT: usize = 24;

/// How many findings of each identity came before: the output of a file
/// written a piece at a time counts on across its pieces.
#[derive(Default)]
pub struct Ordinals(HashMap<u128, u32>);

/// One fingerprint per finding, in order, as 32 hex digits.
pub fn fingerprints(source: &str, findings: &[Finding]) -> Vec<String> {
    fingerprints_in(source, 0, findings, &mut Ordinals::default())
}

/// Fingerprints of findings in an excerpt of a file that starts at byte
/// `offset` and holds whole paragraphs: their context never leaves a paragraph.
pub fn fingerprints_in(
    source: &str,
    offset: usize,
    findings: &[Finding],
    seen: &mut Ordinals,
) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            let span = f.span.start.saturating_sub(offset)..f.span.end.saturating_sub(offset);
            let base = hash(source, f.rule, span);
            let n = seen.0.entry(base).or_insert(0);
            *n += 1;
            let mut h = Xxh3::new();
            h.update(&base.to_le_bytes());
            h.update(&n.to_le_bytes());
            format!("{:032x}", h.digest128())
        })
        .collect()
}

fn hash(source: &str, rule: &str, span: std::ops::Range<usize>) -> u128 {
    let mut h = Xxh3::new();
    let mut buf = [0u8; 4];
    let mut feed = |h: &mut Xxh3, text: &str| {
        for_each_normalized(text, |c| h.update(c.encode_utf8(&mut buf).as_bytes()));
        h.update(&[0]);
    };
    h.update(rule.as_bytes());
    h.update(&[0]);
    feed(&mut h, source.get(span.clone()).unwrap_or(""));
    // Context stays inside the paragraph: a new paragraph next door is an
    // unrelated edit.
    let before = &source[..span.start.min(source.len())];
    let before = &before[before.rfind("\n\n").map_or(0, |i| i + 2)..];
    let before_start = before.char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
    feed(&mut h, &before[before_start..]);
    let after = source.get(span.end..).unwrap_or("");
    let after = &after[..after.find("\n\n").unwrap_or(after.len())];
    let after_end = after.char_indices().nth(CONTEXT).map_or(after.len(), |(i, _)| i);
    feed(&mut h, &after[..after_end]);
    h.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(span: std::ops::Range<usize>) -> Finding {
        let mut f = Finding::new(span, "m");
        f.rule = "repeated-phrase";
        f
    }

    #[test]
    fn survives_edits_elsewhere_and_tells_copies_apart() {
        let a = "Intro.\n\nWe ship the the fix.\n";
        let b = "A new first paragraph.\n\nIntro.\n\nWe ship the the fix.\n";
        let at = |s: &str| s.rfind("the fix").unwrap();
        let fa = fingerprints(a, &[finding(at(a)..at(a) + 3)]);
        let fb = fingerprints(b, &[finding(at(b)..at(b) + 3)]);
        assert_eq!(fa, fb);
        let same = fingerprints(a, &[finding(at(a)..at(a) + 3), finding(at(a)..at(a) + 3)]);
        assert_ne!(same[0], same[1]);
    }
}
