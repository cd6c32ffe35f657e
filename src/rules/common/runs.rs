//! Splitting a rule's work on a big document into runs of blocks, checked side
//! by side. Rules already run in parallel with each other, but one file has
//! four rules of unequal cost: on two threads the costliest one alone set the
//! pace of a 100 MB file.

use crate::document::Document;
use rayon::prelude::*;
use std::ops::Range;

/// Documents at least this large have their blocks split into runs.
pub const PARALLEL_BYTES: usize = 1 << 20;
/// Blocks per run: a few hundred kilobytes of text, enough to outweigh the
/// cost of a task.
const RUN_BLOCKS: usize = 2048;

/// `check` of every run of blocks (indices into `doc.blocks`), side by side
/// for a big document, its outputs concatenated in block order: the same as
/// `check(0..len)` for a rule whose findings on a block depend on that block
/// alone.
pub fn per_run<T: Send>(doc: &Document, check: impl Fn(Range<usize>) -> Vec<T> + Sync + Send) -> Vec<T> {
    per_run_within(doc, 0..doc.blocks.len(), check)
}

/// [`per_run`] over the blocks `blocks` only.
pub fn per_run_within<T: Send>(
    doc: &Document,
    blocks: Range<usize>,
    check: impl Fn(Range<usize>) -> Vec<T> + Sync + Send,
) -> Vec<T> {
    if doc.source.len() < PARALLEL_BYTES || rayon::current_num_threads() == 1 || blocks.len() <= RUN_BLOCKS {
        return check(blocks);
    }
    let end = blocks.end;
    let runs: Vec<Range<usize>> = blocks.step_by(RUN_BLOCKS).map(|s| s..(s + RUN_BLOCKS).min(end)).collect();
    // One run a task: rayon otherwise splits the runs into as many parts as
    // threads at the start, halving again only when a part is stolen, so the
    // other thread, busy with another rule then, found at the end a part of
    // a tenth of the file that only one thread could work through (130 ms
    // alone of a 100 MB file's 870 ms on two threads).
    runs.into_par_iter().with_max_len(1).map(check).flatten_iter().collect()
}
