//! What a fused pass would cost: one scalar pass over the same 2 MB the
//! per-stage benchmark reads, doing only what duplicate-paragraph and
//! repeated-phrase must do for every character, and nothing else.
//! `cargo bench --bench floor`.
//!
//! Why it is kept: issue #5 asks for 150 MB/s per core end to end, and the
//! design proposed to get there shares one pass over each block among the
//! rules. This is that pass's inner loop at its leanest. It decodes each
//! character once, with ASCII and hanzi fast paths, and feeds it to
//! - the exact hash of the block's normalised text,
//! - the rolling 5-gram hash and its MinHash minimum (32 bins), and the
//!   eight band keys of every block long enough for near copies,
//! - the word and hanzi keys and the bigram table that finds tandem repeats,
//! - the clause hash, compared with the last clause's.
//!
//! It has no Markdown (blocks are split at blank lines), no tokens kept, no
//! sentence ends, no block classes or lengths, no findings and no output.
//! The two rules must do all it does and more, so a fused design written
//! this way would take at least this long; compare it with their stages,
//! on one thread as here.
//!
//! Alternating rounds, run before that benchmark and printed as
//! `floor/rounds`, time the whole of such a design's run at its most
//! hopeful, the fused design: the file read, its Markdown parsed, this pass
//! in place of duplicate-paragraph and repeated-phrase, the other default
//! rules as they are (truncated-sentence and orphaned-fragment sharing
//! their pairing, as in a run), and the JSON of their findings. Every step but the pass is
//! copydesk's own, and the pass makes no findings, finds no originals and
//! confirms no near copies: no design that shares one scalar pass of this
//! kind for those two rules, and keeps the rest, runs faster. Each round
//! also times copydesk's own run made the same way (all default rules, no
//! pass), so that the ratio of the two comes from one run; issue #5's 150
//! MB/s per core is set against both.

#[path = "corpus.rs"]
mod corpus;

use copydesk::config::{Loader, Overrides};
use copydesk::document::Document;
use copydesk::emit::{self, EmitOptions, FileReport, OutputFormat};
use copydesk::lint::RuleSet;
use copydesk::source::{self, Decoded, Format};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rustc_hash::FxHashSet;
use std::hint::black_box;

const K: u64 = 0xf135_7aea_2e62_a9c5;
const MIX: u64 = 0x9FB2_1C65_1E98_DF25;
const SHINGLE: usize = 5;
/// The 5-gram's rolling base to the power 5, to take the oldest character out.
const BASE_POW: u64 = K.wrapping_mul(K).wrapping_mul(K).wrapping_mul(K).wrapping_mul(K);
const NEAR_MIN_CHARS: usize = 30;
const MAX_UNIT: u32 = 8;

/// What the pass found, summed so that nothing is optimised away.
#[derive(Default)]
struct Counts {
    exact_copies: u64,
    band_collisions: u64,
    tandem_candidates: u64,
    clause_repeats: u64,
}

struct Block {
    exact: u64,
    roll: u64,
    window: [u64; SHINGLE],
    chars: usize,
    bins: [u64; 32],
    clause: u64,
    last_clause: u64,
    word: u64,
    in_word: bool,
    last_key: u64,
}

impl Block {
    fn new() -> Block {
        Block {
            exact: 0,
            roll: 0,
            window: [0; SHINGLE],
            chars: 0,
            bins: [u64::MAX; 32],
            clause: 0,
            last_clause: 0,
            word: 0,
            in_word: false,
            last_key: 0,
        }
    }

    #[inline(always)]
    fn normalised(&mut self, c: u64) {
        self.exact = self.exact.wrapping_add(c).wrapping_mul(K);
        self.clause = self.clause.wrapping_add(c).wrapping_mul(K);
        let slot = self.chars % SHINGLE;
        let out = std::mem::replace(&mut self.window[slot], c);
        self.roll = self.roll.wrapping_mul(K).wrapping_add(c).wrapping_sub(out.wrapping_mul(BASE_POW));
        self.chars += 1;
        if self.chars >= SHINGLE {
            let h = self.roll.wrapping_mul(MIX);
            let bin = (h >> 59) as usize;
            self.bins[bin] = self.bins[bin].min(h);
        }
    }
}

struct Tandems {
    last: [u32; 512],
    at: u32,
}

impl Tandems {
    #[inline(always)]
    fn key(&mut self, block: &mut Block, key: u64, counts: &mut Counts) {
        let prev = std::mem::replace(&mut block.last_key, key);
        if prev == key {
            counts.tandem_candidates += 1;
        }
        let slot = ((prev ^ key.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize;
        self.at += 1;
        let seen = std::mem::replace(&mut self.last[slot], self.at);
        if self.at - seen <= MAX_UNIT {
            counts.tandem_candidates += 1;
        }
    }
}

#[inline(always)]
fn end_word(block: &mut Block, tandems: &mut Tandems, counts: &mut Counts) {
    if block.in_word {
        block.in_word = false;
        let key = block.word;
        block.word = 0;
        tandems.key(block, key, counts);
    }
}

#[inline(always)]
fn end_clause(block: &mut Block, counts: &mut Counts) {
    if block.clause != 0 {
        counts.clause_repeats += u64::from(block.clause == block.last_clause);
        block.last_clause = block.clause;
        block.clause = 0;
    }
}

fn floor(text: &str) -> Counts {
    let bytes = text.as_bytes();
    let mut counts = Counts::default();
    let mut exact: FxHashSet<u64> = FxHashSet::default();
    let mut bands: Vec<(u32, u32)> = Vec::new();
    let mut tandems = Tandems { last: [0; 512], at: MAX_UNIT + 1 };
    let mut start = 0;
    let ends = memchr::memmem::find_iter(bytes, b"\n\n").chain(std::iter::once(bytes.len()));
    for end in ends {
        let b = &bytes[start..end];
        start = end + 2;
        // A gap wider than a unit between blocks: no tandem spans two.
        tandems.at += MAX_UNIT + 1;
        let mut block = Block::new();
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            if x < 0x80 {
                if x.is_ascii_alphanumeric() {
                    let c = u64::from(x.to_ascii_lowercase());
                    block.normalised(c);
                    block.word = block.word.wrapping_add(c).wrapping_mul(K);
                    block.in_word = true;
                } else {
                    end_word(&mut block, &mut tandems, &mut counts);
                    if matches!(x, b',' | b'.' | b';' | b'!' | b'?' | b'\n') {
                        end_clause(&mut block, &mut counts);
                    }
                }
                i += 1;
                continue;
            }
            let (c, len) = decode(b, i);
            i += len;
            end_word(&mut block, &mut tandems, &mut counts);
            if (0x4E00..=0x9FFF).contains(&c) {
                block.normalised(u64::from(c));
                tandems.key(&mut block, u64::from(c).wrapping_mul(MIX), &mut counts);
            } else if matches!(c, 0xFF0C | 0x3002 | 0xFF1B | 0xFF01 | 0xFF1F | 0x3001 | 0xFF1A) {
                end_clause(&mut block, &mut counts);
            }
        }
        end_word(&mut block, &mut tandems, &mut counts);
        end_clause(&mut block, &mut counts);
        if block.chars == 0 {
            continue;
        }
        if !exact.insert(block.exact) {
            counts.exact_copies += 1;
        }
        if block.chars >= NEAR_MIN_CHARS {
            for (band, rows) in block.bins.chunks_exact(4).enumerate() {
                let key = rows.iter().fold(band as u64, |sum, &row| sum.wrapping_add(row).wrapping_mul(K));
                bands.push(((key >> 32) as u32, band as u32));
            }
        }
    }
    bands.sort_unstable();
    counts.band_collisions = bands.windows(2).filter(|w| w[0] == w[1]).count() as u64;
    counts
}

/// The character at `i` (a lead byte of two to four bytes) and its length.
#[inline(always)]
fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let x = u32::from(b[i]);
    let cont = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    if x < 0xE0 {
        (((x & 0x1F) << 6) | cont(1), 2)
    } else if x < 0xF0 {
        (((x & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        (((x & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4)
    }
}

fn bench(c: &mut Criterion) {
    // One thread, as the per-stage benchmark: the target is per core, and
    // copydesk splits a document of a megabyte or more across rayon's pool.
    rayon::ThreadPoolBuilder::new().num_threads(1).build_global().expect("the only pool of this process");
    let text = corpus::generate(2_000_000, 7);
    let mut group = c.benchmark_group("floor");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);

    let dir = std::env::temp_dir();
    let path = dir.join(format!("copydesk-floor-{}.md", std::process::id()));
    std::fs::write(&path, &text).expect("write the corpus to a temporary file");
    let settings = |ignore: &[&str]| {
        let ignore = ignore.iter().map(|id| id.to_string()).collect();
        Loader::new(Overrides { isolated: true, ignore, ..Overrides::default() }, dir.clone())
            .for_dir(&dir)
            .expect("default settings")
    };
    // The default rules less the two the pass stands in for.
    let rest = settings(&["duplicate-paragraph", "repeated-phrase"]);
    let all = settings(&[]);
    assert_eq!(rest.rules.rules.len() + 2, all.rules.rules.len());
    // The two whole runs in alternating rounds, not as two criterion
    // benchmarks: so measured, the fused design took 13.9-14.2 ms alone
    // and 15.4-16.1 ms after the pass's benchmark, what ran before moving
    // it by as much as the gap between the two designs.
    let quick = std::env::args().any(|a| a == "--test");
    let rounds = if quick { 1 } else { 31 };
    let (fused, own) =
        alternating(rounds, || run(&path, &rest.rules, true), || run(&path, &all.rules, false));
    let _ = std::fs::remove_file(&path);
    let ratio = median(own.iter().zip(&fused).map(|(o, f)| o / f).collect());
    let (fused, own) = (median(fused), median(own));
    let mbs = |ms: f64| text.len() as f64 / 1e3 / ms;
    println!(
        "floor/rounds: {rounds} alternating rounds, medians: fused design {fused:.2} ms ({:.0} MB/s), \
         copydesk {own:.2} ms ({:.0} MB/s), copydesk's time over the fused design's {ratio:.3}x",
        mbs(fused),
        mbs(own),
    );
    group.bench_function("fused-pass", |b| b.iter(|| black_box(floor(black_box(&text)))));
    group.finish();
    let counts = floor(&text);
    // The pass must see the corpus's pasted paragraphs and doubled words (it
    // has no repeated clauses), or it measured a loop that skipped its work.
    assert!(counts.exact_copies > 0 && counts.band_collisions > 0 && counts.tandem_candidates > 0);
    eprintln!(
        "floor: {} exact copies, {} band collisions, {} tandem candidates, {} clause repeats",
        counts.exact_copies, counts.band_collisions, counts.tandem_candidates, counts.clause_repeats
    );
}

/// The milliseconds of `a` and of `b` in each of `rounds` rounds, each
/// round running both, in turns first, after one untimed run of each.
fn alternating(
    rounds: usize,
    mut a: impl FnMut() -> usize,
    mut b: impl FnMut() -> usize,
) -> (Vec<f64>, Vec<f64>) {
    black_box((a(), b()));
    let time = |f: &mut dyn FnMut() -> usize| {
        let start = std::time::Instant::now();
        black_box(f());
        start.elapsed().as_secs_f64() * 1e3
    };
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            ta.push(time(&mut a));
            tb.push(time(&mut b));
        } else {
            tb.push(time(&mut b));
            ta.push(time(&mut a));
        }
    }
    (ta, tb)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One run over the file at `path` as copydesk makes it, on one thread:
/// read, parse, `rules`, JSON Lines; with `fused`, the fused pass too.
fn run(path: &std::path::Path, rules: &RuleSet, fused: bool) -> usize {
    let Decoded::Text(read) = source::decode(source::read(path).expect("read the corpus back")) else {
        panic!("the corpus is text")
    };
    let doc = Document::parse("c.md", &read.text, 0, Format::Markdown);
    let counts = fused.then(|| floor(&read.text));
    let findings = rules.check(&doc);
    drop(doc);
    let report = vec![FileReport::new("c.md".into(), read.text, findings)];
    let mut sink = Vec::new();
    let options = EmitOptions { format: OutputFormat::Json, color: false };
    emit::emit(&mut sink, &report, &options, &mut emit::Stream::default(), None).expect("emit");
    black_box(counts.map_or(0, |c| c.exact_copies as usize) + sink.len())
}

criterion_group!(benches, bench);
criterion_main!(benches);
