//! Writes the throughput benchmark's corpus:
//! `cargo run --release --example gen_corpus -- MEGABYTES [FILES] [DIR]`.
//! One file of MEGABYTES to stdout, or FILES files totalling MEGABYTES in DIR.

#[path = "../benches/perf/corpus.rs"]
mod corpus;

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mb: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10);
    let files: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let total = mb * 1_000_000;
    if files <= 1 {
        let text = corpus::generate(total, 1);
        std::io::stdout().write_all(text.as_bytes()).expect("stdout");
        return;
    }
    let dir = std::path::PathBuf::from(args.get(2).map_or("corpus", String::as_str));
    std::fs::create_dir_all(&dir).expect("create the corpus directory");
    for i in 0..files {
        let text = corpus::generate(total / files, i as u64 + 1);
        std::fs::write(dir.join(format!("doc{i:05}.md")), text).expect("write a corpus file");
    }
}
