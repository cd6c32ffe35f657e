//! The engine: runs a configured set of rules over a document and stamps each
//! finding with its rule id and severity.

use crate::document::Document;
use crate::finding::FileId;
use crate::finding::{Finding, Severity};
use crate::rules::{Reported, Rule, Texts, TreeInput};
use rayon::prelude::*;
use std::ops::Range;

pub struct ActiveRule {
    pub id: &'static str,
    pub severity: Severity,
    pub rule: Box<dyn Rule>,
}

impl ActiveRule {
    /// Gives a reported finding its rule id and severity.
    pub fn stamp(&self, r: Reported) -> Finding {
        let mut f = r.finding;
        f.rule = self.id;
        f.severity = if r.demote { self.severity.lower() } else { self.severity };
        f
    }

    /// Runs a tree-wide rule over every file's contribution.
    pub fn check_tree(&self, inputs: Vec<(FileId, TreeInput)>, texts: &dyn Texts) -> Vec<(FileId, Finding)> {
        self.rule.check_tree(inputs, texts).into_iter().map(|(file, r)| (file, self.stamp(r))).collect()
    }
}

/// Documents at least this large run their rules in parallel.
const PARALLEL_RULES_BYTES: usize = crate::rules::common::runs::PARALLEL_BYTES;

/// The order findings are emitted in: position, then rule id. A stable
/// sort, so findings at one place keep the order their rule gave them.
pub fn sort(findings: &mut [Finding]) {
    // A big file's findings are sorted side by side: the 394,326 of one
    // 1 GB file took the main thread tens of milliseconds at the end of
    // the run, the others idle. rayon's sort is stable too.
    if findings.len() >= PARALLEL_SORT && rayon::current_num_threads() > 1 {
        findings.par_sort_by(order);
    } else {
        findings.sort_by(order);
    }
}

/// Findings at least this many are sorted side by side.
const PARALLEL_SORT: usize = 1 << 14;

/// Position, then rule id: the order of [`sort`].
fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
}

#[derive(Default)]
pub struct RuleSet {
    pub rules: Vec<ActiveRule>,
}

impl RuleSet {
    /// Findings of all rules, ordered by position then rule id.
    pub fn check(&self, doc: &Document) -> Vec<Finding> {
        // Moved, not `concat`ed: that clones every finding, its strings and
        // related spans, and frees the originals, on one thread at the end
        // of a big file's run. Sized once, as `concat` did.
        let parts = self.each_rule(doc, |active| self.run(active, doc, None));
        let mut findings: Vec<Finding> = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        parts.into_iter().for_each(|part| findings.extend(part));
        sort(&mut findings);
        findings
    }

    /// For a piece of a file read a piece at a time (see [`crate::pieces`]):
    /// the findings of the rules that can check a piece alone, for the blocks
    /// that start in `region`, moved `base` bytes on to be offsets into the
    /// file; and what the rules that compare the whole file take from the
    /// piece, by rule id. The findings are ordered as `check` orders them.
    pub fn check_piece(
        &self,
        doc: &Document,
        region: Range<usize>,
        base: usize,
    ) -> (Vec<Finding>, Vec<(&'static str, TreeInput)>) {
        let parts =
            self.each_rule(doc, |active| match active.rule.collect_piece(doc, region.clone(), base) {
                Some(input) => Err((active.id, input)),
                None => Ok(self.run(active, doc, Some(region.clone()))),
            });
        let mut findings = Vec::new();
        let mut inputs = Vec::new();
        for part in parts {
            match part {
                Ok(found) => findings.extend(
                    found.into_iter().filter(|f| region.contains(&f.span.start)).map(|f| f.shifted(base)),
                ),
                Err(input) => inputs.push(input),
            }
        }
        sort(&mut findings);
        (findings, inputs)
    }

    /// The rule's findings on `doc`, or on a piece's `region` of it.
    fn run(&self, active: &ActiveRule, doc: &Document, region: Option<Range<usize>>) -> Vec<Finding> {
        let mut reported: Vec<Reported> = Vec::new();
        match region {
            Some(region) => active.rule.check_region(doc, region, &mut reported),
            None => active.rule.check(doc, &mut reported),
        }
        reported.into_iter().map(|r| active.stamp(r)).collect()
    }

    /// `f` of every rule, in rule order. A large document has its rules run
    /// side by side: one big file would otherwise keep one core busy however
    /// many threads the run has.
    fn each_rule<T: Send>(&self, doc: &Document, f: impl Fn(&ActiveRule) -> T + Sync + Send) -> Vec<T> {
        if doc.source.len() >= PARALLEL_RULES_BYTES && rayon::current_num_threads() > 1 {
            self.rules.par_iter().map(f).collect()
        } else {
            self.rules.iter().map(f).collect()
        }
    }

    /// What each tree-wide rule takes from this document, by rule id.
    pub fn collect(&self, doc: &Document) -> Vec<(&'static str, TreeInput)> {
        self.rules.iter().filter_map(|a| a.rule.collect(doc).map(|input| (a.id, input))).collect()
    }

    pub fn has_tree_rules(&self) -> bool {
        self.rules.iter().any(|a| a.rule.is_tree())
    }

    pub fn get(&self, id: &str) -> Option<&ActiveRule> {
        self.rules.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big set of findings, sorted side by side, comes out as the
    /// one-thread stable sort gives it: findings at one place keep their
    /// order.
    #[test]
    fn big_sorts_are_stable_like_small_ones() {
        let rules = ["b-rule", "a-rule"];
        let findings: Vec<Finding> = (0..3 * PARALLEL_SORT)
            .map(|i| {
                let start = (i * 7919) % 97;
                let mut f = Finding::new(start..start + i % 3, format!("finding {i}"));
                f.rule = rules[i % 2];
                f
            })
            .collect();
        let mut one = findings.clone();
        one.sort_by(order);
        let mut side_by_side = findings;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        pool.install(|| sort(&mut side_by_side));
        let messages = |f: &[Finding]| f.iter().map(|f| f.message.to_string()).collect::<Vec<_>>();
        assert_eq!(messages(&side_by_side), messages(&one));
    }
}
