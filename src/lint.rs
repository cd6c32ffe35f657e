//! The engine: runs a configured set of rules over a document and stamps each
//! finding with its rule id and severity.

use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::rules::{Reported, Rule};

pub struct ActiveRule {
    pub id: &'static str,
    pub severity: Severity,
    pub rule: Box<dyn Rule>,
}

#[derive(Default)]
pub struct RuleSet {
    pub rules: Vec<ActiveRule>,
}

impl RuleSet {
    /// Findings of all rules, ordered by position then rule id.
    pub fn check(&self, doc: &Document) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut reported: Vec<Reported> = Vec::new();
        for active in &self.rules {
            active.rule.check(doc, &mut reported);
            for r in reported.drain(..) {
                let mut f = r.finding;
                f.rule = active.id;
                f.severity = if r.demote { active.severity.lower() } else { active.severity };
                findings.push(f);
            }
        }
        findings.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
        findings
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
