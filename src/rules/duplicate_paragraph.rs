//! duplicate-paragraph: a block that repeats an earlier one, exactly or nearly,
//! in one file or (with `scope = "tree"`) across the files of a run.
//!
//! Exact copies: one hash of each block's normalised text, one hash map.
//! Near copies: MinHash signatures over character 5-grams of the normalised
//! text, banded (LSH) so that only blocks sharing a band are compared, then
//! confirmed by edit distance. Neither step compares all pairs, and a bucket
//! holds a bounded number of blocks, so thousands of copies stay linear.

use super::common::runs::per_run;
use super::common::shape::is_caption_block;
use super::common::text::{for_each_normalized_slice, last_chars, normalized, weighted_length_up_to};
use super::{ConfigurableRule, OptionError, Reported, Rule, Texts, TreeInput};
use crate::document::{Block, BlockKind, Document, Follower};
use crate::finding::{FileId, Finding, Text};
use crate::texts::InMemory;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    File,
    Tree,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Blocks shorter than this (CJK characters count 1, words 2) are not
    /// compared: short headings like "## Example" repeat on purpose.
    pub min_length: usize,
    /// Near copies: blocks at least this similar (0–1, by edit distance of
    /// the normalised text) are reported. 1.0 turns near copies off.
    pub similarity: f64,
    /// Near copies are looked for among blocks at least this long.
    pub near_min_length: usize,
    /// "file": copies within each file; "tree": across all files of a run too.
    pub scope: Scope,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_length: 12, similarity: 0.85, near_min_length: 30, scope: Scope::File }
    }
}

pub struct DuplicateParagraph {
    options: Options,
}

impl ConfigurableRule for DuplicateParagraph {
    const ID: &'static str = "duplicate-paragraph";
    type Options = Options;

    fn new(options: Options) -> Result<Self, OptionError> {
        if options.min_length == 0 {
            return Err(OptionError::new("min-length", "must be at least 1"));
        }
        if !(0.5..=1.0).contains(&options.similarity) {
            return Err(OptionError::new("similarity", "must be between 0.5 and 1.0"));
        }
        Ok(DuplicateParagraph { options })
    }
}

/// A block as the comparison sees it: a hash of its normalised text and where
/// it is, in 32 bytes, as a tree run keeps one for every block of the corpus.
#[derive(Clone, Copy, Debug)]
pub struct Print {
    /// An [`exact_hash`] of the normalised text, seeded with the block's class.
    hash: u64,
    start: usize,
    len: u32,
    file: u32,
    heading: bool,
    list_item: bool,
}

impl Print {
    fn span(&self) -> Range<usize> {
        self.start..self.start + self.len as usize
    }

    fn file(&self) -> FileId {
        self.file as FileId
    }
}

/// A document's prints, and the LSH band keys of those long enough for
/// near-copy search, by print index.
#[derive(Default)]
pub struct Prints {
    prints: Vec<Print>,
    bands: Vec<(u32, [u32; BANDS])>,
}

impl Prints {
    /// Several runs' or files' prints as one, band entries moved on to the
    /// prints' new places; `each` makes the copy of a print of part `k`.
    /// Sized once: grown by doubling, the prints of a corpus cost up to twice
    /// their size for a moment. Copied side by side: a 1 GB file's prints
    /// are hundreds of megabytes, and copied on one thread (with the page
    /// faults of their new home) they kept the other idle for 100 ms.
    fn concat(parts: &[&Prints], each: impl Fn(usize, &Print) -> Print + Sync) -> Prints {
        let print_starts = starts(parts.iter().map(|one| one.prints.len()));
        let band_starts = starts(parts.iter().map(|one| one.bands.len()));
        let (prints_len, bands_len) = (print_starts[parts.len()], band_starts[parts.len()]);
        let mut all = Prints { prints: Vec::with_capacity(prints_len), bands: Vec::with_capacity(bands_len) };
        gather(&mut all.prints, &print_starts, |k, i| each(k, &parts[k].prints[i]));
        gather(&mut all.bands, &band_starts, |k, i| {
            let (print, keys) = parts[k].bands[i];
            (print_starts[k] as u32 + print, keys)
        });
        all
    }
}

/// Appends to `out` the items of the parts that start at `starts` (as
/// [`starts`] gives them), in order, `item(k, i)` making the `i`th of part
/// `k`: side by side, each task a run of places in order.
fn gather<T: Send>(out: &mut Vec<T>, starts: &[usize], item: impl Fn(usize, usize) -> T + Sync + Send) {
    let len = starts[starts.len() - 1];
    out.par_extend((0..len).into_par_iter().with_min_len(COPY_RUN).map_init(
        || 0,
        |part, at| {
            let (k, i) = locate(starts, part, at);
            item(k, i)
        },
    ));
}

/// Prints copied as one task, at least: a task's overhead is a few copies'.
const COPY_RUN: usize = 1 << 14;

/// The part that place `at` of a concatenation comes from, and where in it;
/// `starts` as [`starts`] gives them. A task copies places in order, so
/// the part of its last place (`part`) is tried first: a tree run's parts
/// are its files, and a search among a hundred thousand for every print
/// would cost more than the copy.
#[inline]
fn locate(starts: &[usize], part: &mut usize, at: usize) -> (usize, usize) {
    if !(starts[*part] <= at && at < starts[*part + 1]) {
        *part = starts.partition_point(|&start| start <= at) - 1;
    }
    (*part, at - starts[*part])
}

/// Where each of parts of these lengths starts in their concatenation, and,
/// last, where it ends.
fn starts(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut at = 0;
    std::iter::once(0)
        .chain(lengths.map(|len| {
            at += len;
            at
        }))
        .collect()
}

/// No exact original.
const NONE: u32 = u32::MAX;

impl Rule for DuplicateParagraph {
    fn check(&self, doc: &Document, out: &mut Vec<Reported>) {
        if self.options.scope == Scope::Tree {
            return;
        }
        let prints = self.prints(doc, 0..usize::MAX, 0);
        for (_, reported) in self.compare(&prints, &InMemory(&[doc.source])) {
            out.push(reported);
        }
    }

    fn is_tree(&self) -> bool {
        self.options.scope == Scope::Tree
    }

    fn collect(&self, doc: &Document) -> Option<TreeInput> {
        (self.options.scope == Scope::Tree).then(|| Box::new(self.prints(doc, 0..usize::MAX, 0)) as TreeInput)
    }

    fn collect_piece(&self, doc: &Document, region: Range<usize>, base: usize) -> Option<TreeInput> {
        (self.options.scope == Scope::File).then(|| Box::new(self.prints(doc, region, base)) as TreeInput)
    }

    fn check_tree(&self, inputs: Vec<(FileId, TreeInput)>, texts: &dyn Texts) -> Vec<(FileId, Reported)> {
        let inputs: Vec<(FileId, Box<Prints>)> = inputs
            .into_iter()
            .filter_map(|(file, input)| Some((file, input.downcast::<Prints>().ok()?)))
            .collect();
        let parts: Vec<&Prints> = inputs.iter().map(|(_, one)| &**one).collect();
        let all = Prints::concat(&parts, |k, p| {
            let file = inputs[k].0;
            // A list is its file's: items of two files' lists are never
            // compared, as items of two lists of one file are not.
            let hash = if p.list_item { p.hash ^ list_salt(file) } else { p.hash };
            Print { file: file as u32, hash, ..*p }
        });
        self.compare(&all, texts)
    }
}

/// Signature size: 8 bands of 4 rows finds pairs from about 0.6 Jaccard on.
const BANDS: usize = 8;
const ROWS: usize = 4;
const SHINGLE: usize = 5;
/// A bucket keeps its first blocks only: enough to find an original, and a
/// block copied ten thousand times costs no more than one copied ten times.
const BUCKET_CAP: usize = 8;
/// Near-copy confirmations per block, at most.
const MAX_CONFIRM: usize = 4;

impl DuplicateParagraph {
    /// The prints of the blocks that start in `region`, their spans moved
    /// `base` bytes on.
    fn prints(&self, doc: &Document, region: Range<usize>, base: usize) -> Prints {
        let mut runs = per_run(doc, |blocks| vec![self.prints_of(doc, blocks, &region, base)]);
        // One run (a small document, or one thread): its prints as made,
        // with no copy. A tree run keeps these for every file until its
        // end: sized once, or trimmed to their size.
        if runs.len() == 1
            && let Some(mut one) = runs.pop()
        {
            one.prints.shrink_to_fit();
            one.bands.shrink_to_fit();
            return one;
        }
        Prints::concat(&runs.iter().collect::<Vec<_>>(), |_, p| *p)
    }

    /// The prints of a run of blocks (indices into `doc.blocks`).
    fn prints_of(&self, doc: &Document, blocks: Range<usize>, region: &Range<usize>, base: usize) -> Prints {
        // Room for a print of every block, reserved and not written: grown by
        // doubling instead, the prints of a 100 MB file were copied a dozen
        // times, and their pages filled twice over (a sixth of the run's page
        // faults). The pages of the room left unused are never touched.
        let mut out =
            Prints { prints: Vec::with_capacity(blocks.len()), bands: Vec::with_capacity(blocks.len()) };
        // Each block's normalised characters, a slice at a time, in one buffer.
        let mut buffer = Vec::new();
        for block in &doc.blocks[blocks] {
            let span = block.span();
            if !region.contains(&span.start) {
                continue;
            }
            // Table cells repeat by design; a lead-in to a list or code block
            // ("Set the file as follows:") is a template, not pasted damage.
            let lead_in = matches!(block.followed_by, Follower::List | Follower::Code | Follower::Table)
                && is_lead_in(&block.text);
            if block.kind == BlockKind::TableCell || lead_in {
                continue;
            }
            let thresholds = self.options.min_length.max(self.options.near_min_length);
            let length = weighted_length_up_to(&block.text, thresholds);
            if length < self.options.min_length {
                continue;
            }
            // The source, not the prose text: inline code is part of what makes
            // two paragraphs the same ("see `shadow`(5)" is not "see `group`(5)").
            let text = &doc.source[span.clone()];
            let near = self.options.similarity < 1.0
                && length >= self.options.near_min_length
                && block.kind.is_running_prose()
                // A caption that restates the sentence before it is no copy;
                // an exact caption pasted twice still is.
                && !is_caption_block(block);
            // A block of 4 GB is no paragraph.
            let Ok(len) = u32::try_from(span.len()) else { continue };
            // One normalisation, one pass: the polynomial the shingles are
            // cut from is the exact hash's too.
            let mut shingler = Shingler::default();
            if near {
                let mut signature = Signature::new();
                for_each_normalized_slice(text, &mut buffer, |chars| {
                    sign(chars, &mut shingler, &mut signature)
                });
                shingler.finish(|h| signature.add(h));
                out.bands.push((out.prints.len() as u32, signature.bands()));
            } else {
                for_each_normalized_slice(text, &mut buffer, |chars| shingler.feed(chars, |_| {}));
            }
            out.prints.push(Print {
                hash: exact_hash(class(block, base), &shingler),
                start: span.start + base,
                len,
                file: 0,
                heading: matches!(block.kind, BlockKind::Heading(_)),
                list_item: block.kind == BlockKind::ListItem,
            });
        }
        out
    }

    /// Findings for every print that copies an earlier one, in order.
    fn compare(&self, all: &Prints, texts: &dyn Texts) -> Vec<(FileId, Reported)> {
        let prints = &all.prints;
        let (exact_original, copies) = exact_copies(prints);
        let candidates = near_candidates(&all.bands, &exact_original);

        // Bounded work per block: a few confirmations, each only after a
        // cheap Jaccard check on 5-gram sets has passed. Candidates are by
        // block, and exact copies have none.
        let confirmations: Vec<(usize, Vec<usize>)> = candidates
            .chunk_by(|a, b| a.copy == b.copy)
            .filter_map(|same| {
                let copy = same[0].copy as usize;
                let earlier: Vec<usize> = same
                    .iter()
                    .map(|c| c.earlier as usize)
                    .filter(|&j| prints[j].heading == prints[copy].heading)
                    .take(MAX_CONFIRM)
                    .collect();
                (!earlier.is_empty()).then_some((copy, earlier))
            })
            .collect();
        let needed =
            confirmations.iter().flat_map(|(copy, earlier)| std::iter::once(*copy).chain(earlier.clone()));
        let block_texts = block_texts(prints, needed, texts);
        let text = |i: usize| block_texts.get(&i).map_or("", String::as_str);
        // Confirmed side by side: for a big file or a tree this runs once, at
        // the end, when no other work is left for the other threads.
        let confirmed: Vec<(usize, Option<(usize, f64)>)> = confirmations
            .par_iter()
            .map(|(copy, earlier)| {
                let mut best: Option<(usize, f64)> = None;
                for &j in earlier {
                    let sim = similarity(text(j), text(*copy));
                    if sim >= self.options.similarity && best.is_none_or(|(b, _)| j < b) {
                        best = Some((j, sim));
                    }
                }
                (*copy, best)
            })
            .collect();
        // Each copy and its original, in block order.
        let pairs: Vec<(usize, usize, Option<f64>)> = (0..prints.len())
            .into_par_iter()
            .filter_map(|i| {
                if exact_original[i] != NONE {
                    return Some((i, exact_original[i] as usize, None));
                }
                // Confirmations are in block order, one per block at most.
                let k = confirmed.binary_search_by_key(&i, |(copy, _)| *copy).ok()?;
                let (j, sim) = confirmed[k].1?;
                Some((i, j, Some(sim)))
            })
            .collect();
        // Side by side too: a corpus's copies are hundreds of thousands of
        // findings. Collected by index, each thread writes its own part of
        // the vector: gathered from parts, one thread moved every finding
        // into place after the others were done (about 0.1 s of a 13 s run
        // of one 1 GB file on two threads, much of it page faults).
        let mut out = Vec::new();
        pairs
            .par_iter()
            .map(|&(i, j, sim)| {
                let p = &prints[i];
                let finding = match sim {
                    None => self.finding(p, &prints[j], None, copies[i] as usize).into(),
                    Some(sim) => {
                        Reported { finding: self.finding(p, &prints[j], Some(sim), 2), demote: true }
                    }
                };
                (p.file(), finding)
            })
            .collect_into_vec(&mut out);
        out
    }

    fn finding(&self, copy: &Print, original: &Print, similarity: Option<f64>, total: usize) -> Finding {
        let what = if copy.heading { "heading" } else { "paragraph" };
        // Exact copies are most findings of a corpus: their message is fixed.
        let message: Text = match (similarity, copy.heading) {
            (None, true) => "duplicate heading: exact copy of an earlier one".into(),
            (None, false) => "duplicate paragraph: exact copy of an earlier one".into(),
            (Some(s), _) => {
                format!("duplicate {what}: near copy ({:.0}% similar) of an earlier one", s * 100.0).into()
            }
        };
        let other_file = (copy.file != original.file).then_some(original.file());
        let mut finding = Finding::new(copy.span(), message)
            .label("this repeats an earlier block")
            .related(other_file, original.span(), "first occurrence here")
            .help("delete this copy, or rewrite it if both places need the text");
        if total > 2 {
            let scope =
                if self.options.scope == Scope::Tree { "these files hold" } else { "this file holds" };
            finding = finding.note(format!("{scope} {total} copies of this {what}"));
        }
        finding
    }
}

/// For each print, the first print with the same hash (`NONE` for that
/// first one), and how many prints have its hash. By sorting, side by side:
/// a hash map of every print's hash, built on one thread, was a third of a
/// second of a 1 GB run during which the other threads had nothing to do.
fn exact_copies(prints: &[Print]) -> (Vec<u32>, Vec<u32>) {
    let by_hash: Vec<(u64, u32)> = prints.par_iter().enumerate().map(|(i, p)| (p.hash, i as u32)).collect();
    let mut by_hash = keep_shared_keys_side_by_side(by_hash, |&(hash, _)| hash);
    by_hash.par_sort_unstable();
    // The tables filled side by side, their pages' first writes (and the
    // kernel's zeroing) on every thread: `vec![NONE; n]` took one thread
    // about 30 ms of a 1 GB file's run.
    let (mut original, mut copies) = (Vec::new(), Vec::new());
    (0..prints.len()).into_par_iter().map(|_| (NONE, 1)).unzip_into_vecs(&mut original, &mut copies);
    for same in by_hash.chunk_by(|a, b| a.0 == b.0).filter(|same| same.len() > 1) {
        // Sorted by index within a hash: the first is the earliest.
        let first = same[0].1;
        for &(_, i) in same {
            copies[i as usize] = same.len() as u32;
            if i != first {
                original[i as usize] = first;
            }
        }
    }
    (original, copies)
}

/// A block and an earlier one that share LSH bands.
struct Candidate {
    copy: u32,
    earlier: u32,
    shared_bands: u8,
}

/// For every block that is no exact copy, the earlier blocks that share a band
/// with it, by block, most shared bands first, then earliest. A band key's
/// first `BUCKET_CAP` blocks are the only ones offered as originals. One band
/// at a time, by sorting: memory stays at one entry per block plus the
/// candidates, where a hash map of buckets for all bands cost hundreds of
/// bytes per block (two bands at a time on two threads). Indexes are `u32`: four billion blocks per run.
fn near_candidates(bands: &[(u32, [u32; BANDS])], exact_original: &[u32]) -> Vec<Candidate> {
    // Pairs of u32 packed into one u64 (high half first): sorted as integers,
    // which is twice as fast as sorting tuples.
    let pack = |high: u32, low: u32| (u64::from(high) << 32) | u64::from(low);
    let unpack = |v: u64| ((v >> 32) as u32, v as u32);
    // Bands side by side: this runs once for a whole tree or big file, after
    // the per-file work that kept every thread busy.
    let mut pairs: Vec<u64> = (0..BANDS)
        .into_par_iter()
        .flat_map_iter(|band| {
            // Sized once: grown by doubling, it cost up to three times this.
            let mut entries: Vec<u64> = Vec::with_capacity(bands.len());
            entries.extend(
                bands
                    .iter()
                    .filter(|(i, _)| exact_original[*i as usize] == NONE)
                    .map(|(i, keys)| pack(keys[band], *i)),
            );
            keep_shared_keys(&mut entries, |&entry| entry >> 32);
            entries.sort_unstable();
            let mut pairs = Vec::new();
            for bucket in entries.chunk_by(|&a, &b| a >> 32 == b >> 32) {
                let originals = &bucket[..bucket.len().min(BUCKET_CAP)];
                for (position, &entry) in bucket.iter().enumerate().skip(1) {
                    let copy = unpack(entry).1;
                    let offered = &originals[..position.min(BUCKET_CAP)];
                    pairs.extend(offered.iter().map(|&earlier| pack(copy, unpack(earlier).1)));
                }
            }
            pairs
        })
        .collect();
    pairs.par_sort_unstable();
    let mut candidates: Vec<Candidate> = pairs
        .chunk_by(|a, b| a == b)
        .map(|same| {
            let (copy, earlier) = unpack(same[0]);
            Candidate { copy, earlier, shared_bands: same.len() as u8 }
        })
        .collect();
    candidates.par_sort_unstable_by(|a, b| {
        a.copy.cmp(&b.copy).then(b.shared_bands.cmp(&a.shared_bands)).then(a.earlier.cmp(&b.earlier))
    });
    candidates
}

/// Drops the items whose key (a hash) no other item has: a key held once
/// pairs nothing, and nearly every key is held once. Two tables of about
/// eight bits an item tell the keys seen twice, so that only their items
/// are sorted: sorting all of a file's band entries was three percent of a
/// run. A bit shared by two keys only keeps an item that pairs nothing,
/// which the sorted groups then leave alone.
fn keep_shared_keys<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let bits = KeyBits::for_items(items.len());
    let (mut once, mut twice) = (vec![0u64; bits.words()], vec![0u64; bits.words()]);
    for item in items.iter() {
        let (word, bit) = bits.slot(key(item));
        twice[word] |= once[word] & bit;
        once[word] |= bit;
    }
    items.retain(|item| {
        let (word, bit) = bits.slot(key(item));
        twice[word] & bit != 0
    });
}

/// [`keep_shared_keys`] on every thread, for one list of every block of a
/// big file or tree: each item's bit set with an atomic OR. On one thread,
/// the tables' random writes for a 1 GB file's prints took about 80 ms
/// while the other threads waited. Short lists (a file's) and runs on one
/// thread go the serial way, an atomic OR being dearer than a plain one;
/// so do the LSH bands' lists, sifted a band a thread.
fn keep_shared_keys_side_by_side<T: Send + Sync>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> u64 + Sync,
) -> Vec<T> {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    if items.len() < PARALLEL_KEYS || rayon::current_num_threads() == 1 {
        keep_shared_keys(&mut items, key);
        return items;
    }
    let bits = KeyBits::for_items(items.len());
    let table = || (0..bits.words()).into_par_iter().map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
    let (once, twice) = (table(), table());
    items.par_iter().for_each(|item| {
        let (word, bit) = bits.slot(key(item));
        if once[word].fetch_or(bit, Relaxed) & bit != 0 {
            twice[word].fetch_or(bit, Relaxed);
        }
    });
    items
        .into_par_iter()
        .filter(|item| {
            let (word, bit) = bits.slot(key(item));
            twice[word].load(Relaxed) & bit != 0
        })
        .collect()
}

/// Lists at least this long are sifted side by side.
const PARALLEL_KEYS: usize = 1 << 18;

/// Where a key's bit lies in tables of about eight bits an item.
#[derive(Clone, Copy)]
struct KeyBits {
    bits: usize,
}

impl KeyBits {
    fn for_items(n: usize) -> KeyBits {
        KeyBits { bits: (n * 8).next_power_of_two().max(64) }
    }

    fn words(self) -> usize {
        self.bits / 64
    }

    /// The word and bit of `key`. Keys are hashes: their low bits serve as
    /// they are.
    fn slot(self, key: u64) -> (usize, u64) {
        let at = key as usize & (self.bits - 1);
        (at / 64, 1u64 << (at % 64))
    }
}

/// "…as follows:", "…means the following.", "…如下。": text that introduces
/// what comes next and is repeated on purpose before each list or example.
fn is_lead_in(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with([':', '：']) || {
        // Lower-cased on the stack, ASCII letters only (what the words
        // are): most blocks before a list or code block are asked, and the
        // Unicode case tables of a lower-cased `String` of every tail took
        // 0.6-1% of a run's samples.
        let tail = last_chars(text, 40).as_bytes();
        let mut lower = [0; 4 * 40];
        let lower = &mut lower[..tail.len()];
        lower.copy_from_slice(tail);
        lower.make_ascii_lowercase();
        ["following", "follows", "below", "like this", "如下", "以下", "下面"]
            .iter()
            .any(|w| memchr::memmem::find(lower, w.as_bytes()).is_some())
    }
}

/// Blocks are only compared within their class: a heading with headings (a
/// table of contents that lists them is no copy), a list item with the items
/// of its own list (parallel lists repeat items on purpose), prose with prose.
/// A list is known by its number in its document and, for a piece of a big
/// file, where that piece starts (`base`): no list spans two pieces.
fn class(block: &Block, base: usize) -> u64 {
    match block.kind {
        BlockKind::Heading(_) => 1,
        BlockKind::ListItem => (2 + u64::from(block.list.unwrap_or(0)))
            .wrapping_add((base as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        _ => 0,
    }
}

/// What sets a file's list items apart from those of other files.
fn list_salt(file: FileId) -> u64 {
    (file as u64 + 1).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}

/// The texts of the blocks `needed`, each file asked for once: in a tree
/// run a file's text may be read again from disk, so confirmations must not
/// go back and forth between files. A block whose text cannot be had is
/// left out, and then matches nothing.
fn block_texts(
    prints: &[Print],
    needed: impl Iterator<Item = usize>,
    texts: &dyn Texts,
) -> FxHashMap<usize, String> {
    let mut needed: Vec<usize> = needed.collect();
    needed.sort_unstable_by_key(|&i| (prints[i].file, i));
    needed.dedup();
    let mut out = FxHashMap::default();
    for same_file in needed.chunk_by(|&a, &b| prints[a].file == prints[b].file) {
        let spans: Vec<Range<usize>> = same_file.iter().map(|&i| prints[i].span()).collect();
        let found = texts.excerpts(prints[same_file[0]].file(), &spans);
        out.extend(same_file.iter().zip(found).filter_map(|(&i, text)| Some((i, text?))));
    }
    out
}

/// Edit-distance similarity of the normalised texts (1 − distance / length).
/// Edit distance is quadratic, so it runs only when the Jaccard index of the
/// two 5-gram sets (linear) says the texts are close, and never on long blocks,
/// whose Jaccard index stands in for it.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalized(a), normalized(b));
    let set = |s: &str| -> FxHashSet<u64> { shingles(s).into_iter().collect() };
    let (sa, sb) = (set(&a), set(&b));
    let inter = sa.intersection(&sb).count();
    let jaccard = inter as f64 / (sa.len() + sb.len() - inter).max(1) as f64;
    if jaccard < 0.4 || a.len() + b.len() > 12_000 {
        return jaccard;
    }
    strsim::normalized_levenshtein(&a, &b)
}

/// The exact-copy hash of a normalised text, seeded with its class: the
/// polynomial of the whole text that the shingler keeps (each character
/// weighs its code plus one, `BASE` is odd) and its fold of every prefix,
/// with the text's length, finalised. Texts collide by chance, as any
/// 64-bit hash's do: the fold turns away the collisions a polynomial modulo
/// 2^64 has by construction (a test holds one). It costs little of its own:
/// a hash of its own, made side by side, waited on its own chain of
/// multiplications at every character; the fold's chain is a rotation and
/// an xor.
fn exact_hash(seed: u64, shingler: &Shingler) -> u64 {
    let length = (shingler.seen as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    finish(finish(seed) ^ shingler.polynomial() ^ finish(shingler.folded) ^ length)
}

/// Adds a slice of a block's normalised characters to its signature (and,
/// in the shingler, to its polynomial). Out of line, as the loop of every
/// character of every block: inlined into the normalisation's, it lost the
/// registers its constants need.
#[inline(never)]
fn sign(chars: &[char], shingler: &mut Shingler, signature: &mut Signature) {
    shingler.feed(chars, |h| signature.add(h));
}

/// Hashes of the character 5-grams of a normalised text (a text shorter than
/// one 5-gram is one shingle).
fn shingles(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut shingler = Shingler::default();
    shingler.feed(&chars, |h| out.push(h));
    shingler.finish(|h| out.push(h));
    out
}

/// Hashes the character 5-grams of a text given a slice at a time: a
/// window's polynomial and a finaliser, a few multiplications per
/// character, no slicing or general-purpose hashing.
///
/// The window's polynomial is the difference of two prefix polynomials,
/// `P(i) - P(i - 5) * BASE^5`, where `P(i) = P(i - 1) * BASE + weight(c_i)`:
/// what one group of five characters hands the next is a multiplication
/// and an addition.
/// The rolling form (the leaving character taken out, the window
/// multiplied, the entering one added) handed on three steps, and the loop
/// over every character of every block waited on them.
#[derive(Default)]
struct Shingler {
    /// The prefix polynomials at the last five characters, oldest first;
    /// zero before the text.
    prefixes: [u64; SHINGLE],
    /// Every prefix so far, each rotated in and xored: what the exact hash
    /// adds to the last prefix. A polynomial modulo 2^64 alone has
    /// collisions that are easy to write (a Thue–Morse string of 2,048
    /// letters and its complement); this sum mixes the ring's carries with
    /// xor's none, on a chain of its own two cycles long.
    folded: u64,
    seen: usize,
}

impl Shingler {
    const BASE: u64 = 0x0000_0100_0000_01B3;
    const BASE3: u64 = Self::BASE.wrapping_mul(Self::BASE).wrapping_mul(Self::BASE);
    /// BASE to the power SHINGLE: the weight, in a prefix, of what lies
    /// before a window.
    const BEFORE: u64 = Self::BASE3.wrapping_mul(Self::BASE).wrapping_mul(Self::BASE);

    /// Adds `chars`, the text's next slice, giving the hash of each 5-gram
    /// it completes to `each_shingle`.
    #[inline]
    fn feed(&mut self, chars: &[char], mut each_shingle: impl FnMut(u64)) {
        // Characters weigh one more than their code, so that none weighs nothing.
        let weight = |c: char| u64::from(c) + 1;
        // The polynomial of the window that ends at `prefix`, whose prefix
        // before it is `before`.
        let window = |prefix: u64, before: u64| prefix.wrapping_sub(before.wrapping_mul(Self::BEFORE));
        // The next prefix after `last`, and the window it closes.
        let step = |last: u64, before: u64, c: char| {
            let prefix = last.wrapping_mul(Self::BASE).wrapping_add(weight(c));
            (prefix, window(prefix, before))
        };
        // A character at a time while the text's first windows fill, and
        // for the few left over after groups of five.
        let fold = |folded: u64, prefix: u64| folded.rotate_left(5) ^ prefix;
        let one = |c: char, prefixes: &mut [u64; SHINGLE], folded: &mut u64| {
            let [p0, p1, p2, p3, p4] = *prefixes;
            let (prefix, window) = step(p4, p0, c);
            *prefixes = [p1, p2, p3, p4, prefix];
            *folded = fold(*folded, prefix);
            window
        };
        let head = chars.len().min((SHINGLE - 1).saturating_sub(self.seen));
        for &c in &chars[..head] {
            one(c, &mut self.prefixes, &mut self.folded);
        }
        let mut groups = chars[head..].chunks_exact(SHINGLE);
        let [mut p0, mut p1, mut p2, mut p3, mut p4] = self.prefixes;
        let mut folded = self.folded;
        for group in &mut groups {
            // Five characters, each window's prefix before it in a register.
            let &[c0, c1, c2, c3, c4] = group else { unreachable!("chunks of five") };
            let [a0, a1, a2, a3, a4] = [c0, c1, c2, c3, c4].map(weight);
            // Each prefix from the group's first, `p4`, and the group's own
            // characters' polynomials (`t2`, `t4`), which no group waits
            // for: from one group to the next is one multiplication and
            // one addition (`P(i + 5) = P(i) * BASE^5 + ...`). Each prefix
            // made from the one before, the loop waited on that pair at
            // every character (a duplicate-paragraph run on one 10 MB file,
            // 40 alternating runs: 1.024x faster this way).
            let t2 = a0.wrapping_mul(Self::BASE).wrapping_add(a1).wrapping_mul(Self::BASE).wrapping_add(a2);
            let t4 = t2.wrapping_mul(Self::BASE).wrapping_add(a3).wrapping_mul(Self::BASE).wrapping_add(a4);
            let q4 = p4.wrapping_mul(Self::BEFORE).wrapping_add(t4);
            let q2 = p4.wrapping_mul(Self::BASE3).wrapping_add(t2);
            let q0 = p4.wrapping_mul(Self::BASE).wrapping_add(a0);
            let q1 = q0.wrapping_mul(Self::BASE).wrapping_add(a1);
            let q3 = q2.wrapping_mul(Self::BASE).wrapping_add(a3);
            each_shingle(mix(window(q0, p0)));
            each_shingle(mix(window(q1, p1)));
            each_shingle(mix(window(q2, p2)));
            each_shingle(mix(window(q3, p3)));
            each_shingle(mix(window(q4, p4)));
            folded = fold(fold(fold(fold(fold(folded, q0), q1), q2), q3), q4);
            [p0, p1, p2, p3, p4] = [q0, q1, q2, q3, q4];
        }
        self.prefixes = [p0, p1, p2, p3, p4];
        self.folded = folded;
        for &c in groups.remainder() {
            each_shingle(mix(one(c, &mut self.prefixes, &mut self.folded)));
        }
        self.seen += chars.len();
    }

    /// The polynomial of all the text fed.
    fn polynomial(&self) -> u64 {
        self.prefixes[SHINGLE - 1]
    }

    /// The one shingle of a text shorter than a window, once it has all been fed.
    fn finish(&self, each_shingle: impl FnOnce(u64)) {
        if (1..SHINGLE).contains(&self.seen) {
            each_shingle(mix(self.polynomial()));
        }
    }
}

/// A shingle's hash from its window's polynomial: one multiplication by an
/// odd constant, a bijection (distinct windows stay distinct, so the 5-gram
/// sets and their Jaccard are the polynomial's), whose top bits, the bin
/// and the leading bits of the value a signature keeps, depend on every bit
/// of the polynomial. splitmix64's whole finaliser here cost 50M of 1,338M
/// instructions on 10 MB of text, and found no more near copies in the
/// quality benchmark.
#[inline]
fn mix(h: u64) -> u64 {
    h.wrapping_mul(0x9FB2_1C65_1E98_DF25)
}

/// splitmix64's finaliser: the exact hash's seed and last step.
fn finish(h: u64) -> u64 {
    let h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// A MinHash signature of a text's shingles, fed as the exact hash is made:
/// one pass over the normalised characters serves both. One-permutation
/// hashing: one hash per shingle, the minimum kept per bin, empty bins filled
/// from the next bin. One hash per shingle instead of one per signature row
/// keeps this a single cheap pass.
struct Signature {
    mins: [u64; BANDS * ROWS],
}

impl Signature {
    fn new() -> Signature {
        Signature { mins: [u64::MAX; BANDS * ROWS] }
    }

    #[inline]
    fn add(&mut self, h: u64) {
        // The top bits pick the bin; the hashes a bin sees all share them,
        // so the lowest hash is the lowest by the bits below.
        const { assert!(BANDS * ROWS == 1 << 5) };
        let bin = (h >> 59) as usize;
        // Stored whether it is lower or not, with no branch: a short block
        // puts a few shingles in each bin, and "lower?" is a coin toss.
        self.mins[bin] = self.mins[bin].min(h);
    }

    /// The band keys.
    fn bands(self) -> [u32; BANDS] {
        const BINS: usize = BANDS * ROWS;
        let mut mins = self.mins;
        // Densify: an empty bin borrows the next non-empty one, offset by distance.
        if mins.iter().any(|&m| m != u64::MAX) {
            for i in 0..BINS {
                let mut k = 1;
                while mins[i] == u64::MAX {
                    let from = mins[(i + k) % BINS];
                    if from != u64::MAX {
                        mins[i] = from.wrapping_add(k as u64);
                    }
                    k += 1;
                }
            }
        }
        // Band keys of 32 bits, the top half of the band's rows weighed by
        // odd constants and summed (hashing their 32 bytes with xxh3 cost
        // 7M more instructions on 10 MB): a collision only offers one more
        // candidate, which the confirmation then rejects.
        const WEIGHTS: [u64; ROWS + 1] = [
            0x9E37_79B9_7F4A_7C15,
            0xC2B2_AE3D_27D4_EB4F,
            0x1656_67B1_9E37_79F9,
            0xD6E8_FEB8_6659_FD93,
            0xA076_1D64_78BD_642F,
        ];
        std::array::from_fn(|b| {
            let rows = &mins[b * ROWS..(b + 1) * ROWS];
            let sum =
                rows.iter().zip(WEIGHTS).fold((b as u64).wrapping_mul(WEIGHTS[ROWS]), |sum, (&v, w)| {
                    sum.wrapping_add(v.wrapping_mul(w))
                });
            (sum >> 32) as u32
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    /// Parts copied side by side come out in order, empty parts and all,
    /// their band entries pointing at their prints' new places.
    #[test]
    fn concat_keeps_order_and_moves_band_entries() {
        let print =
            |start| Print { hash: start as u64, start, len: 1, file: 0, heading: false, list_item: false };
        let part = |starts: &[usize], banded: &[u32]| Prints {
            prints: starts.iter().map(|&s| print(s)).collect(),
            bands: banded.iter().map(|&i| (i, [i; BANDS])).collect(),
        };
        let parts = [part(&[0, 1], &[1]), part(&[], &[]), part(&[2, 3, 4], &[0, 2])];
        let all = Prints::concat(&parts.iter().collect::<Vec<_>>(), |k, p| Print { file: k as u32, ..*p });
        let placed: Vec<(usize, u32)> = all.prints.iter().map(|p| (p.start, p.file)).collect();
        assert_eq!(placed, [(0, 0), (1, 0), (2, 2), (3, 2), (4, 2)]);
        let bands: Vec<(u32, u32)> = all.bands.iter().map(|&(i, keys)| (i, keys[0])).collect();
        assert_eq!(bands, [(1, 1), (2, 0), (4, 2)]);
    }

    #[test]
    fn exact_copy_after_normalisation() {
        let src = "吉林市政协召开全体会议，研究部署全年工作。\n\n其他内容也在这里出现了一次。\n\n吉林市政协召开全体会议, 研究部署全年工作\n";
        let found = check::<DuplicateParagraph>(src, toml::Table::new());
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].span.clone()], "吉林市政协召开全体会议, 研究部署全年工作");
        assert_eq!(&src[found[0].related[0].span.clone()], "吉林市政协召开全体会议，研究部署全年工作。");
    }

    /// A Thue–Morse string of 2,048 letters and its complement have the
    /// same polynomial modulo 2^64 for any odd base: no exact copy for that.
    #[test]
    fn a_polynomial_collision_is_no_exact_copy() {
        let letters = |flip: usize| -> String {
            let letter =
                |i: usize| if (i.count_ones() as usize + flip).is_multiple_of(2) { "a" } else { "b" };
            (0..2048).map(letter).collect::<Vec<_>>().join(" ")
        };
        let (text, complement) = (letters(0), letters(1));
        let polynomial = |s: &str| {
            let mut shingler = Shingler::default();
            shingler.feed(&normalized(s).chars().collect::<Vec<_>>(), |_| {});
            shingler.polynomial()
        };
        assert_eq!(polynomial(&text), polynomial(&complement), "the collision this test is about");
        let found = check::<DuplicateParagraph>(&format!("{text}\n\n{complement}\n"), toml::Table::new());
        assert!(found.iter().all(|f| !f.message.contains("exact copy")), "{:?}", found[0].message);
    }

    #[test]
    fn short_headings_repeat_on_purpose() {
        let src = "## Example\n\nFirst usage of the thing.\n\n## Example\n\nSecond usage, different.\n";
        assert!(check::<DuplicateParagraph>(src, toml::Table::new()).is_empty());
    }

    #[test]
    fn counts_copies() {
        let para = "The committee approved the annual budget after a long debate.";
        let src = format!("{para}\n\n{para}\n\n{para}\n");
        let found = check::<DuplicateParagraph>(&src, toml::Table::new());
        assert_eq!(found.len(), 2);
        assert!(found[0].notes[0].contains("3 copies"));
    }

    #[test]
    fn near_copy_with_a_different_lead_sentence() {
        let body = "县图书馆深入开展全民阅读活动，组建读书小组，定期推荐优秀书目，组织读者交流心得体会，不断提高服务水平和群众满意度。";
        let src = format!("全面加强阅读推广。{body}\n\n其他段落。\n\n着力推动阅读服务。{body}\n");
        let found = check::<DuplicateParagraph>(&src, toml::Table::new());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("near copy"), "{}", found[0].message);
        assert!(src[found[0].span.clone()].starts_with("着力推动"));
    }

    #[test]
    fn different_paragraphs_are_not_near_copies() {
        let src = "The committee approved the annual budget after a long debate about roads and schools.\n\nThe council rejected the new parking plan after a short debate about fees and permits.\n";
        assert!(check::<DuplicateParagraph>(src, toml::Table::new()).is_empty());
    }

    proptest::proptest! {
        /// A text fed a slice at a time has the shingles of the text fed whole.
        #[test]
        fn shingles_cross_slices(text in "[a-c中文]{0,24}", cuts in proptest::collection::vec(0usize..24, 0..4)) {
            let chars: Vec<char> = text.chars().collect();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(chars.len())).collect();
            cuts.sort_unstable();
            let (mut whole, mut sliced) = (Vec::new(), Vec::new());
            let mut shingler = Shingler::default();
            shingler.feed(&chars, |h| whole.push(h));
            shingler.finish(|h| whole.push(h));
            let mut shingler = Shingler::default();
            let mut from = 0;
            for cut in cuts.into_iter().chain([chars.len()]) {
                shingler.feed(&chars[from..cut], |h| sliced.push(h));
                from = cut;
            }
            shingler.finish(|h| sliced.push(h));
            proptest::prop_assert_eq!(sliced, whole);
        }

        /// A shingle's hash is its window's polynomial in `BASE`, each
        /// character weighing one more than its code, mixed; a text shorter
        /// than a window is one shingle of all of it.
        #[test]
        fn shingles_are_window_polynomials(text in "[a-c中文]{0,24}") {
            let weights: Vec<u64> = text.chars().map(|c| u64::from(c) + 1).collect();
            let polynomial = |window: &[u64]| {
                window.iter().fold(0u64, |p, &w| p.wrapping_mul(Shingler::BASE).wrapping_add(w))
            };
            let expected: Vec<u64> = if weights.len() < SHINGLE {
                (!weights.is_empty()).then(|| mix(polynomial(&weights))).into_iter().collect()
            } else {
                weights.windows(SHINGLE).map(|w| mix(polynomial(w))).collect()
            };
            proptest::prop_assert_eq!(shingles(&text), expected);
        }

        /// Every item whose key another item shares is kept, in order; with
        /// keys too few to share a bit, nothing else is.
        #[test]
        fn shared_keys_are_kept(keys in proptest::collection::vec(0u64..200, 0..60), wide in proptest::bool::ANY) {
            // Wide keys: the same sharing, spread over all 64 bits.
            let keys: Vec<u64> = keys.iter().map(|&k| if wide { k.wrapping_mul(0x9E37_79B9_7F4A_7C15) } else { k }).collect();
            let items: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
            let shared: Vec<(u64, usize)> =
                items.iter().copied().filter(|(k, _)| keys.iter().filter(|&o| o == k).count() > 1).collect();
            let mut kept = items.clone();
            keep_shared_keys(&mut kept, |&(k, _)| k);
            // Kept in order, and a superset of the shared ones...
            let mut rest = shared.iter().peekable();
            for item in &kept {
                if rest.peek() == Some(&item) {
                    rest.next();
                }
            }
            proptest::prop_assert!(rest.peek().is_none());
            proptest::prop_assert!(kept.windows(2).all(|w| w[0].1 < w[1].1));
            // ... and exactly them when every key has a bit of its own.
            if !wide && keys.len() * 8 >= 200 {
                proptest::prop_assert_eq!(kept, shared);
            }
        }
    }

    /// Past the length that is sifted side by side, on two threads: the
    /// sift keeps what the serial one keeps, and each print's first copy
    /// and count of copies are those a map of every hash gives.
    #[test]
    fn big_lists_of_prints_pair_copies_side_by_side() {
        let n = PARALLEL_KEYS + 12_345;
        // Every seventh print repeats one of a hundred hashes; the rest are
        // their own.
        let hash = |i: usize| {
            if i.is_multiple_of(7) {
                (i / 7 % 100) as u64
            } else {
                (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            }
        };
        let prints: Vec<Print> = (0..n)
            .map(|i| Print { hash: hash(i), start: i, len: 1, file: 0, heading: false, list_item: false })
            .collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let items: Vec<(u64, u32)> = prints.iter().enumerate().map(|(i, p)| (p.hash, i as u32)).collect();
        let mut serial = items.clone();
        keep_shared_keys(&mut serial, |&(h, _)| h);
        let side_by_side = pool.install(|| keep_shared_keys_side_by_side(items, |&(h, _)| h));
        assert_eq!(side_by_side, serial);
        let (original, copies) = pool.install(|| exact_copies(&prints));
        let mut by_hash: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (i, p) in prints.iter().enumerate() {
            by_hash.entry(p.hash).or_default().push(i as u32);
        }
        for (i, p) in prints.iter().enumerate() {
            let same = &by_hash[&p.hash];
            let first = if same[0] == i as u32 { NONE } else { same[0] };
            assert_eq!((original[i], copies[i]), (first, same.len() as u32), "print {i}");
        }
        assert_eq!(copies.iter().filter(|&&c| c > 1).count(), n.div_ceil(7));
    }

    #[test]
    fn lead_ins_are_read_at_the_end() {
        assert!(is_lead_in("Set the file as follows:"));
        assert!(is_lead_in("The output means the FOLLOWING.  "));
        assert!(is_lead_in("配置文件的内容如下。"));
        // "following" more than 40 characters before the end is no lead-in.
        assert!(!is_lead_in("The following paragraph is about many things, none of them a list."));
        assert!(!is_lead_in("A plain sentence."));
    }

    #[test]
    fn width_and_case_fold() {
        assert_eq!(normalized("ＡＢＣ１２３　Test!"), normalized("abc123 test"));
    }
}
