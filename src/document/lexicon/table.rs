//! The dictionary as an open-addressing hash table over the embedded text:
//! every word, and every prefix of a word, keyed by its bytes.
//!
//! Why not jieba-rs's own loader: it builds a character trie, one node per
//! character of every word, reading the text a line at a time and checking
//! each word for a duplicate first. That took 218M instructions, about 30 ms
//! and a tenth of a 10 MB run, before the first word was cut. This table is
//! built when copydesk is compiled (`builder.rs`, run by `build.rs`) and
//! read from the binary: a run touches only the slots it looks up, and its
//! entries point into the text rather than copying it.
//!
//! Prefixes are entries of their own (as in Python jieba's `FREQ` table),
//! so that walking a text one character at a time can stop as soon as no
//! word starts with what it has read.

use super::DICTIONARY;
use super::key::{Key, Slot, probe};

// SHIFT, LOG_TOTAL_BITS and TAGS, written by build.rs beside the slots.
include!(concat!(env!("OUT_DIR"), "/lexicon_meta.rs"));

/// The slots as little-endian `u64`s (`include_bytes!` promises no alignment).
static SLOTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_slots.bin"));

/// A word found in the dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub freq: u32,
    pub tag: &'static str,
}

/// What a key is in the dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Word(Entry),
    /// Not a word, but some word starts with it.
    Prefix,
}

/// Natural log of the sum of all frequencies, as jieba computes it.
pub const LOG_TOTAL: f64 = f64::from_bits(LOG_TOTAL_BITS);

fn slot(i: usize) -> Slot {
    let bytes: [u8; 8] = SLOTS[i * 8..i * 8 + 8].try_into().expect("8 bytes");
    Slot(u64::from_le_bytes(bytes))
}

/// What `bytes`, whose key is `key`, is in the dictionary.
#[inline]
pub fn find(key: Key, bytes: &[u8]) -> Option<Found> {
    let text = DICTIONARY.as_bytes();
    let found = slot(probe(key, bytes, SLOTS.len() / 8, SHIFT, text, slot).ok()?);
    Some(match found.freq() {
        0 => Found::Prefix,
        freq => Found::Word(Entry { freq, tag: TAGS[found.tag()] }),
    })
}

/// The entry of a whole word, if it is one.
pub fn word(word: &str) -> Option<Entry> {
    match find(Key::of(word.as_bytes()), word.as_bytes())? {
        Found::Word(entry) => Some(entry),
        Found::Prefix => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::builder;
    use super::*;

    #[test]
    fn the_compiled_table_is_the_dictionary_built_now() {
        let built = builder::build(DICTIONARY);
        let slots: Vec<u64> =
            SLOTS.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))).collect();
        assert!(built.slots == slots, "build.rs wrote another table");
        assert_eq!(built.shift, SHIFT);
        assert_eq!(built.tags, TAGS);
        assert_eq!(built.log_total.to_bits(), LOG_TOTAL_BITS);
        assert_eq!(slots.iter().filter(|&&s| s != 0).count(), 198_529, "words and their prefixes");
    }
}
