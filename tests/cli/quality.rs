//! The quality benchmark's small corpus, run on every CI build so that the
//! measured precision and recall (BENCHMARKS.md) cannot silently regress.

#[path = "../../benches/quality/eval.rs"]
mod eval;

use eval::{Lang, RULES};
use std::path::Path;

#[test]
fn injected_defects_are_found_with_high_precision() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/quality/corpus");
    let report = eval::evaluate(&corpus, 150, 800);
    let table = eval::render(&report);
    for rule in RULES {
        for lang in [Lang::En, Lang::Zh] {
            let t = report.injected.get(&(rule, lang)).cloned().unwrap_or_default();
            assert!(t.truths >= 15, "{rule}/{}: too few injections to measure\n{table}", lang.name());
            assert!(t.precision() >= 0.95, "{rule}/{} precision {:.3}\n{table}", lang.name(), t.precision());
            // Chinese fragments cut at a random word boundary often carry no
            // sign of their cut (BENCHMARKS.md): 32 of this corpus's 36 are
            // found, 0.90 of Debian's manuals'. Every other family meets 0.90.
            let floor = if (rule, lang) == ("orphaned-fragment", Lang::Zh) { 0.85 } else { 0.90 };
            assert!(t.recall() >= floor, "{rule}/{} recall {:.3}\n{table}", lang.name(), t.recall());
        }
    }
    for lang in [Lang::En, Lang::Zh] {
        assert!(
            report.clean_rate(lang) <= 0.2,
            "clean {} rate {:.3}\n{table}",
            lang.name(),
            report.clean_rate(lang)
        );
    }
}
