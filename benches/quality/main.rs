//! `cargo bench --bench quality -- [CORPUS] [ROUNDS]`: the quality report.
//!
//! CORPUS holds `en/*.md` and `zh/*.md` clean documents (default: the small
//! corpus in this folder; `fetch_corpus.py` fetches Debian's documentation).
//! Each document gets ROUNDS (default 5) independent injections.

#[path = "eval.rs"]
mod eval;

use std::path::PathBuf;

fn main() {
    // `cargo bench` passes `--bench`; positional arguments are ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let corpus = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/quality/corpus"));
    let rounds: u64 = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let start = std::time::Instant::now();
    let report = eval::evaluate(&corpus, rounds, 1200);
    println!(
        "Quality on {} ({} documents, {rounds} rounds of injection each)\n",
        corpus.display(),
        report.documents
    );
    println!("{}", eval::render(&report));
    if std::env::var_os("QUALITY_VERBOSE").is_some() {
        for e in &report.examples {
            println!("{e}");
        }
    }
    eprintln!("({:.1} s)", start.elapsed().as_secs_f64());
}
