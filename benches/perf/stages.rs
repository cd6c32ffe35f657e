//! Per-stage throughput (criterion): read, parse, segment, each rule, emit,
//! over 2 MB of the generated mixed Chinese/English corpus, on one thread:
//! the targets are per core. `cargo bench --bench stages`.

#[path = "corpus.rs"]
mod corpus;

use copydesk::config::{Loader, Overrides};
use copydesk::document::Document;
use copydesk::emit::{self, EmitOptions, FileReport, OutputFormat};
use copydesk::source::{self, Decoded, Format};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn stages(c: &mut Criterion) {
    // A document of a megabyte or more has its parse and its rules' runs
    // split across rayon's pool, which is as many threads as cores: on two
    // cores parsing, duplicate-paragraph and repeated-phrase measured 1.5 to
    // 1.8 times their speed on one, and read as if per core.
    rayon::ThreadPoolBuilder::new().num_threads(1).build_global().expect("the only pool of this process");
    let text = corpus::generate(2_000_000, 7);
    let dir = std::env::temp_dir();
    let settings = Loader::new(Overrides { isolated: true, ..Overrides::default() }, dir.clone())
        .for_dir(&dir)
        .expect("default settings");
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);

    // Read: the file's bytes from the page cache into a fresh buffer, and
    // the check that they are text (UTF-8, no NUL), as a run reads a file
    // whole.
    let path = dir.join(format!("copydesk-stage-read-{}.md", std::process::id()));
    std::fs::write(&path, &text).expect("write the corpus to a temporary file");
    group.bench_function("read", |b| {
        b.iter(|| {
            let bytes = source::read(&path).expect("read the corpus back");
            match source::decode(bytes) {
                Decoded::Text(text) => black_box(text.text.len()),
                _ => panic!("the corpus is text"),
            }
        })
    });
    let _ = std::fs::remove_file(&path);
    group.bench_function("parse", |b| {
        b.iter(|| black_box(Document::parse("c.md", &text, 0, Format::Markdown)))
    });
    let doc = Document::parse("c.md", &text, 0, Format::Markdown);
    // Segment: every block cut into sentences and tokens. Rules make these
    // on demand, for the blocks they need them of; here every block's are
    // made, the stage's cost per byte.
    group.bench_function("segment", |b| {
        b.iter(|| {
            let mut count = 0;
            for block in &doc.blocks {
                count += block.sentences().len() + block.tokens().count();
            }
            black_box(count)
        })
    });
    for active in &settings.rules.rules {
        // A fresh document each time, parsed outside the measurement: a
        // document keeps analyses rules share (the cut/fragment pairing), and
        // a reused one would have them made already.
        group.bench_function(active.id, |b| {
            b.iter_batched(
                || Document::parse("c.md", &text, 0, Format::Markdown),
                |doc| {
                    let mut out = Vec::new();
                    active.rule.check(&doc, &mut out);
                    black_box(out)
                },
                BatchSize::LargeInput,
            )
        });
    }
    let findings = settings.rules.check(&doc);
    let report = vec![FileReport::new("c.md".into(), text.clone(), findings)];
    for (name, format) in [("emit-json", OutputFormat::Json), ("emit-full", OutputFormat::Full)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = Vec::new();
                let options = EmitOptions { format, color: false };
                emit::emit(&mut sink, &report, &options, &mut emit::Stream::default(), None).expect("emit");
                black_box(sink)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
