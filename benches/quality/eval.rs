//! The quality evaluation: injects the four defect families into clean
//! documents, with ground-truth spans, runs every rule, and scores precision
//! and recall per rule and language, plus findings per 10,000 characters on
//! the clean documents themselves.
//!
//! Shared by the `quality` benchmark (full report) and a CI test (small
//! corpus, asserted targets).

#![allow(dead_code)]

use copydesk::config::{Loader, Overrides, Settings};
use copydesk::document::script::is_cjk;
use copydesk::document::{Block, BlockKind, Document, TokenKind, lexicon};
use copydesk::source::Format;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

pub const RULES: [&str; 4] =
    ["duplicate-paragraph", "repeated-phrase", "truncated-sentence", "orphaned-fragment"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// Deterministic SplitMix64: the same seed injects the same defects everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

#[derive(Clone, Debug)]
pub struct Truth {
    pub rule: &'static str,
    pub span: Range<usize>,
    pub kind: &'static str,
}

/// Text being edited back to front, keeping recorded truths in place.
struct Editor {
    text: String,
    truths: Vec<Truth>,
}

impl Editor {
    fn replace(&mut self, range: Range<usize>, with: &str) {
        let delta = with.len() as isize - range.len() as isize;
        for t in &mut self.truths {
            if t.span.start >= range.end {
                t.span.start = (t.span.start as isize + delta) as usize;
                t.span.end = (t.span.end as isize + delta) as usize;
            }
        }
        self.text.replace_range(range, with);
    }

    fn truth(&mut self, rule: &'static str, span: Range<usize>, kind: &'static str) {
        self.truths.push(Truth { rule, span, kind });
    }
}

/// One planned defect, anchored at a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    ExactCopy,
    NearCopy,
    DoubledWord,
    RepeatedClause,
    Truncation,
    CutAndStrand,
}

const PLANS: [Plan; 6] = [
    Plan::ExactCopy,
    Plan::NearCopy,
    Plan::DoubledWord,
    Plan::RepeatedClause,
    Plan::Truncation,
    Plan::CutAndStrand,
];

pub struct Injected {
    pub text: String,
    pub truths: Vec<Truth>,
}

/// Injects about one defect per `every` characters into a clean document.
pub fn inject(source: &str, lang: Lang, rng: &mut Rng, every: usize) -> Injected {
    let doc = Document::parse("clean", source, 0, Format::Markdown);
    let eligible: Vec<usize> = (0..doc.blocks.len()).filter(|&i| eligible(&doc.blocks[i], lang)).collect();
    let wanted = (source.chars().count() / every).max(1);
    // Pick blocks at least three apart, so that defects do not touch.
    let mut chosen: Vec<usize> = Vec::new();
    let mut order = eligible.clone();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    for i in order {
        if chosen.len() >= wanted {
            break;
        }
        if chosen.iter().all(|&c| c.abs_diff(i) >= 3) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    let mut editor = Editor { text: source.to_string(), truths: Vec::new() };
    let first_plan = rng.below(PLANS.len());
    // Back to front: an edit never moves the text of edits before it.
    for (n, &i) in chosen.iter().enumerate().rev() {
        for k in 0..PLANS.len() {
            let plan = PLANS[(first_plan + n + k) % PLANS.len()];
            if apply(plan, &doc, i, lang, rng, &mut editor) {
                break;
            }
        }
    }
    Injected { text: editor.text, truths: editor.truths }
}

fn eligible(block: &Block, lang: Lang) -> bool {
    if block.kind != BlockKind::Paragraph || block.followed_by != copydesk::document::Follower::Prose {
        return false;
    }
    let text = block.text.trim_end();
    if !text.ends_with(['。', '！', '？', '.', '!', '?'])
        || text.contains(copydesk::document::script::PLACEHOLDER)
    {
        return false;
    }
    match lang {
        Lang::Zh => text.chars().filter(|&c| is_cjk(c)).count() >= 40 && text.contains('，'),
        Lang::En => block.tokens().filter(|t| t.kind == TokenKind::Word).count() >= 24,
    }
}

/// Where a copy or a stranded tail goes: after the next block if it is a plain
/// paragraph (text moved one block down), else right after this one.
fn insertion_point(doc: &Document, i: usize) -> usize {
    match doc.blocks.get(i + 1) {
        Some(next) if next.kind == BlockKind::Paragraph => next.span().end,
        _ => doc.blocks[i].span().end,
    }
}

fn apply(plan: Plan, doc: &Document, i: usize, lang: Lang, rng: &mut Rng, ed: &mut Editor) -> bool {
    let block = &doc.blocks[i];
    let span = block.span();
    let source = &doc.source[span.clone()];
    match plan {
        Plan::ExactCopy => {
            let at = insertion_point(doc, i);
            ed.replace(at..at, &format!("\n\n{source}"));
            ed.truth("duplicate-paragraph", at + 2..at + 2 + source.len(), "exact copy");
            true
        }
        Plan::NearCopy => {
            // One word changed in a long paragraph.
            let words: Vec<Range<usize>> = match lang {
                Lang::En => block
                    .tokens()
                    .filter(|t| t.kind == TokenKind::Word && t.end - t.start >= 4)
                    .map(|t| t.start..t.end)
                    .collect(),
                Lang::Zh => {
                    let toks: Vec<_> =
                        block.tokens().filter(|t| matches!(t.kind, TokenKind::Cjk(_))).collect();
                    toks.windows(2).filter(|w| w[0].end == w[1].start).map(|w| w[0].start..w[1].end).collect()
                }
            };
            if words.len() < 10 {
                return false;
            }
            let w = words[words.len() / 3 + rng.below(words.len() / 3)].clone();
            let replacement = if lang == Lang::En { "something" } else { "事项" };
            let src_w = block.source_span(w);
            let copy = format!(
                "{}{}{}",
                &doc.source[span.start..src_w.start],
                replacement,
                &doc.source[src_w.end..span.end]
            );
            let at = insertion_point(doc, i);
            ed.replace(at..at, &format!("\n\n{copy}"));
            ed.truth("duplicate-paragraph", at + 2..at + 2 + copy.len(), "near copy");
            true
        }
        Plan::DoubledWord => {
            let Some(word) = doubling_candidate(block, lang, rng) else { return false };
            let src = block.source_span(word);
            let w = doc.source[src.clone()].to_string();
            let insert = if lang == Lang::En { format!(" {w}") } else { w.clone() };
            ed.replace(src.end..src.end, &insert);
            let start = src.end + insert.len() - w.len();
            ed.truth("repeated-phrase", start..start + w.len(), "doubled word");
            true
        }
        Plan::RepeatedClause => {
            let clauses = clauses_followed_by_comma(block, lang);
            if clauses.is_empty() {
                return false;
            }
            let (clause, sep) = clauses[rng.below(clauses.len())].clone();
            let src = block.source_span(clause);
            let text = doc.source[src.clone()].to_string();
            let copies = 1 + rng.below(3);
            let insert: String = (0..copies).map(|_| format!("{sep}{text}")).collect();
            ed.replace(src.end..src.end, &insert);
            ed.truth("repeated-phrase", src.end + sep.len()..src.end + insert.len(), "repeated clause");
            true
        }
        Plan::Truncation => {
            let Some(last) = block.sentences().last().cloned() else { return false };
            let Some(cut) = cut_point(block, last.clone(), lang, rng, CutMode::Random) else { return false };
            if !head_passes_gates(&block.text[..cut], lang) {
                return false;
            }
            let src_cut = block.source_span(cut..cut).start;
            let src_sentence = block.source_span(last).start;
            ed.replace(src_cut..span.end, "");
            ed.truth("truncated-sentence", src_sentence..src_cut, "truncation");
            true
        }
        Plan::CutAndStrand => {
            let mode = [CutMode::Comma, CutMode::Stub, CutMode::Random][rng.below(3)];
            let Some(last) = block.sentences().last().cloned() else { return false };
            let Some(cut) = cut_point(block, last.clone(), lang, rng, mode) else { return false };
            if !head_passes_gates(&block.text[..cut], lang) {
                return false;
            }
            let src_cut = block.source_span(cut..cut).start;
            let tail = doc.source[src_cut..span.end].trim_start().to_string();
            let at = insertion_point(doc, i);
            ed.replace(at..at, &format!("\n\n{tail}"));
            let first_clause = tail
                .char_indices()
                .skip(1)
                .find(|&(_, c)| matches!(c, '，' | '。' | ',' | '.'))
                .map_or(tail.len(), |(j, c)| j + c.len_utf8());
            ed.truth("orphaned-fragment", at + 2..at + 2 + first_clause, mode.name());
            let src_sentence = block.source_span(last).start;
            ed.replace(src_cut..span.end, "");
            ed.truth("truncated-sentence", src_sentence..src_cut, mode.name());
            true
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CutMode {
    /// Right before a comma: the tail starts with "，".
    Comma,
    /// Inside a word (CJK: a two-character word before a comma) or before a
    /// lower-case continuation word (English).
    Stub,
    /// At a random character (CJK) or word boundary (English).
    Random,
}

impl CutMode {
    fn name(self) -> &'static str {
        match self {
            CutMode::Comma => "cut at a comma",
            CutMode::Stub => "cut inside a word",
            CutMode::Random => "cut at random",
        }
    }
}

/// An offset inside `sentence` (block text) where the block is cut; the head
/// keeps at least half of the sentence.
fn cut_point(
    block: &Block,
    sentence: Range<usize>,
    lang: Lang,
    rng: &mut Rng,
    mode: CutMode,
) -> Option<usize> {
    let text = &block.text;
    let len = sentence.len();
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let lo = boundary(sentence.start + len / 2);
    let hi = boundary(sentence.end - len / 6).max(lo);
    let inside: Vec<usize> = match (mode, lang) {
        (CutMode::Comma, _) => text[lo..hi].match_indices(['，', ',']).map(|(j, _)| lo + j).collect(),
        (CutMode::Stub, Lang::Zh) => text[lo..hi]
            .match_indices('，')
            .filter_map(|(j, _)| {
                let comma = lo + j;
                let prev: Vec<(usize, char)> = text[..comma].char_indices().rev().take(2).collect();
                (prev.len() == 2
                    && prev.iter().all(|&(_, c)| is_cjk(c))
                    && lexicon::is_word(&text[prev[1].0..comma]))
                .then_some(prev[0].0)
            })
            .collect(),
        (CutMode::Stub, Lang::En) => block
            .tokens()
            .filter(|t| {
                t.start > lo
                    && t.start < hi
                    && ["and", "which", "of", "to", "with", "for", "that"].contains(&t.text(text))
            })
            .map(|t| t.start)
            .collect(),
        (CutMode::Random, Lang::Zh) => {
            text[lo..hi].char_indices().filter(|&(_, c)| is_cjk(c)).map(|(j, _)| lo + j).collect()
        }
        (CutMode::Random, Lang::En) => block
            .tokens()
            .filter(|t| t.kind == TokenKind::Word && t.start > lo && t.start < hi)
            .map(|t| t.start)
            .collect(),
    };
    // The head must end in a letter or character, not in punctuation.
    let ok: Vec<usize> = inside
        .into_iter()
        .filter(|&c| text[..c].trim_end().chars().next_back().is_some_and(|ch| ch.is_alphanumeric()))
        .collect();
    (!ok.is_empty()).then(|| ok[rng.below(ok.len())])
}

fn head_passes_gates(head: &str, lang: Lang) -> bool {
    match lang {
        Lang::Zh => head.chars().filter(|&c| is_cjk(c)).count() >= 20,
        Lang::En => head.split_whitespace().count() >= 14,
    }
}

fn doubling_candidate(block: &Block, lang: Lang, rng: &mut Rng) -> Option<Range<usize>> {
    let text = &block.text;
    let candidates: Vec<Range<usize>> = match lang {
        Lang::En => block
            .tokens()
            .collect::<Vec<_>>()
            .windows(2)
            .filter(|w| {
                let word = w[0].text(text);
                w[0].kind == TokenKind::Word
                    && word.len() >= 3
                    && word.chars().all(|c| c.is_ascii_lowercase())
                    // English doubles these on purpose ("that that", "many, many").
                    && !["that", "had", "very", "really", "many", "more", "long", "well", "there", "again", "what", "who"]
                        .contains(&word)
                    && text[w[0].end..w[1].start] == *" "
            })
            .map(|w| w[0].start..w[0].end)
            .collect(),
        Lang::Zh => {
            let sentence = block.sentences().first()?.clone();
            let words = lexicon::words(&text[sentence.clone()]);
            words
                .windows(2)
                .filter(|w| {
                    let next = w[1].text.chars().next().unwrap_or(' ');
                    w[0].text.chars().count() == 2
                        && w[0].text.chars().all(is_cjk)
                        && matches!(w[0].tag, "n" | "nz" | "ns" | "nt" | "vn")
                        && is_cjk(next)
                        && !"吧呢啊呀嘛一看了再".contains(next)
                        && !lexicon::is_word(&w[0].text.repeat(2))
                })
                .map(|w| sentence.start + w[0].start..sentence.start + w[0].end)
                .collect()
        }
    };
    (!candidates.is_empty()).then(|| candidates[rng.below(candidates.len())].clone())
}

/// Clauses (block text ranges) followed by a comma, long enough to count.
fn clauses_followed_by_comma(block: &Block, lang: Lang) -> Vec<(Range<usize>, String)> {
    let text = &block.text;
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '，' | ',' | '。' | '.' | '；' | ';' | '：' | ':' | '、' | '！' | '？') {
            let clause = text[start..i].trim();
            let clause_start = start + (text[start..i].len() - text[start..i].trim_start().len());
            let long = match lang {
                Lang::Zh => clause.chars().filter(|&ch| is_cjk(ch)).count() >= 8,
                Lang::En => clause.split_whitespace().count() >= 4,
            };
            if long && matches!(c, '，' | ',') && !clause.contains(copydesk::document::script::PLACEHOLDER) {
                let sep = if c == ',' { ", ".to_string() } else { "，".to_string() };
                out.push((clause_start..clause_start + clause.len(), sep));
            }
            start = i + c.len_utf8();
        }
    }
    out
}

/// Per rule and language: how many truths, how many found, how many
/// findings, how many of those right.
#[derive(Default, Clone, Debug)]
pub struct Tally {
    pub truths: usize,
    pub found: usize,
    pub findings: usize,
    pub correct: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        if self.findings == 0 { 1.0 } else { self.correct as f64 / self.findings as f64 }
    }
    pub fn recall(&self) -> f64 {
        if self.truths == 0 { 1.0 } else { self.found as f64 / self.truths as f64 }
    }
}

#[derive(Default)]
pub struct Report {
    pub injected: BTreeMap<(&'static str, Lang), Tally>,
    /// Recall by how the defect was made: (rule, kind, lang) -> (truths, found).
    pub by_kind: BTreeMap<(&'static str, &'static str, Lang), (usize, usize)>,
    pub clean_findings: BTreeMap<(&'static str, Lang), usize>,
    pub clean_chars: BTreeMap<Lang, usize>,
    pub documents: usize,
    /// Findings in injected documents that their clean version already had.
    pub pre_existing: usize,
    /// Misses and false alarms, for reading.
    pub examples: Vec<String>,
}

impl Report {
    pub fn clean_rate(&self, lang: Lang) -> f64 {
        let n: usize = self.clean_findings.iter().filter(|((_, l), _)| *l == lang).map(|(_, n)| n).sum();
        n as f64 * 10_000.0 / self.clean_chars.get(&lang).copied().unwrap_or(1).max(1) as f64
    }
}

fn settings() -> Arc<Settings> {
    let dir = std::env::temp_dir();
    let mut loader = Loader::new(Overrides { isolated: true, ..Overrides::default() }, dir.clone());
    loader.for_dir(&dir).unwrap()
}

/// Reads `corpus/en/*.md` and `corpus/zh/*.md`, scores `rounds` injections of each.
pub fn evaluate(corpus: &Path, rounds: u64, every: usize) -> Report {
    let settings = settings();
    let mut report = Report::default();
    for lang in [Lang::En, Lang::Zh] {
        let dir = corpus.join(lang.name());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        files.sort();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            report.documents += 1;
            *report.clean_chars.entry(lang).or_default() += source.chars().count();
            let clean = Document::parse("clean", &source, 0, Format::Markdown);
            let mut pre_existing = Vec::new();
            for f in settings.rules.check(&clean) {
                pre_existing.push((f.rule, source[f.span.clone()].to_string()));
                *report.clean_findings.entry((f.rule, lang)).or_default() += 1;
                report.examples.push(format!(
                    "clean {}: {} {}",
                    file.display(),
                    f.rule,
                    excerpt(&source, f.span.clone())
                ));
            }
            for round in 0..rounds {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let seed = round * 1_000_003 + name.bytes().map(u64::from).sum::<u64>();
                let injected = inject(&source, lang, &mut Rng::new(seed), every);
                score(&injected, &pre_existing, lang, &settings, &mut report, &file.display().to_string());
            }
        }
    }
    report
}

fn excerpt(text: &str, span: Range<usize>) -> String {
    let s: String = text[span].chars().take(60).collect();
    s.replace('\n', "⏎")
}

/// Scores one injected document. Findings the clean document already had
/// (real slips in the corpus, same rule and text) are neither right nor wrong:
/// they are counted apart.
fn score(
    injected: &Injected,
    pre_existing: &[(&'static str, String)],
    lang: Lang,
    settings: &Settings,
    report: &mut Report,
    name: &str,
) {
    let doc = Document::parse("injected", &injected.text, 0, Format::Markdown);
    let findings: Vec<_> = settings
        .rules
        .check(&doc)
        .into_iter()
        .filter(|f| {
            let known = pre_existing
                .iter()
                .any(|(rule, text)| *rule == f.rule && *text == injected.text[f.span.clone()]);
            report.pre_existing += usize::from(known);
            !known
        })
        .collect();
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    for t in &injected.truths {
        let tally = report.injected.entry((t.rule, lang)).or_default();
        tally.truths += 1;
        let found = findings.iter().any(|f| f.rule == t.rule && overlaps(&f.span, &t.span));
        let kind = report.by_kind.entry((t.rule, t.kind, lang)).or_default();
        kind.0 += 1;
        if found {
            report.injected.get_mut(&(t.rule, lang)).unwrap().found += 1;
            kind.1 += 1;
        } else {
            report.examples.push(format!(
                "missed {name} {} ({}): {}",
                t.rule,
                t.kind,
                excerpt(&injected.text, t.span.clone())
            ));
        }
    }
    for f in &findings {
        let tally = report.injected.entry((f.rule, lang)).or_default();
        tally.findings += 1;
        if injected.truths.iter().any(|t| t.rule == f.rule && overlaps(&f.span, &t.span)) {
            tally.correct += 1;
        } else {
            report.examples.push(format!(
                "false alarm {name} {}: {}",
                f.rule,
                excerpt(&injected.text, f.span.clone())
            ));
        }
    }
}

/// The report as a Markdown table.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| rule | lang | injected | recall | findings | precision |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: |");
    for rule in RULES {
        for lang in [Lang::En, Lang::Zh] {
            let t = report.injected.get(&(rule, lang)).cloned().unwrap_or_default();
            let _ = writeln!(
                out,
                "| {rule} | {} | {} | {:.3} | {} | {:.3} |",
                lang.name(),
                t.truths,
                t.recall(),
                t.findings,
                t.precision()
            );
        }
    }
    let _ = writeln!(out, "\nRecall by how the defect was made:\n");
    let _ = writeln!(out, "| rule | defect | lang | injected | found | recall |");
    let _ = writeln!(out, "| --- | --- | --- | ---: | ---: | ---: |");
    for ((rule, kind, lang), (n, found)) in &report.by_kind {
        let _ = writeln!(
            out,
            "| {rule} | {kind} | {} | {n} | {found} | {:.3} |",
            lang.name(),
            *found as f64 / *n as f64
        );
    }
    let _ = writeln!(
        out,
        "\n{} findings in injected documents were already in the clean documents and are left out of the scores.",
        report.pre_existing
    );
    let _ = writeln!(out, "\nClean documents (no injection):\n");
    let _ = writeln!(out, "| lang | characters | findings | per 10,000 characters |");
    let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
    for lang in [Lang::En, Lang::Zh] {
        let n: usize = report.clean_findings.iter().filter(|((_, l), _)| *l == lang).map(|(_, n)| n).sum();
        let chars = report.clean_chars.get(&lang).copied().unwrap_or(0);
        let _ = writeln!(out, "| {} | {chars} | {n} | {:.3} |", lang.name(), report.clean_rate(lang));
    }
    out
}
