//! Building the dictionary table, at compile time: `build.rs` includes this
//! file, runs it over `dict.txt` and writes the slots into the binary, so a
//! run reads the table from its own image instead of building it (80M
//! instructions, about 15 ms, on every run with a Chinese candidate). The
//! crate compiles it only for its tests, which build it again and compare.

use super::key::{Key, Slot, probe};

/// The table as it is built: slots, the tags in order of first use, and the
/// sum of all frequencies.
pub struct Built {
    pub slots: Vec<u64>,
    /// `64 - log2(slots.len())`: the hash's top bits pick the slot.
    pub shift: u32,
    pub tags: Vec<String>,
    /// Natural log of the sum of all frequencies, as jieba computes it.
    pub log_total: f64,
}

struct Builder<'a> {
    text: &'a str,
    slots: Vec<u64>,
    shift: u32,
    tags: Vec<String>,
}

/// Builds the table of `text`, `word freq tag` lines. A malformed line is a
/// bug in the embedded file, which a test reads line by line; here it is
/// skipped.
pub fn build(text: &str) -> Built {
    let bytes = text.as_bytes();
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    // Words and their prefixes come to about 1.3 keys a line (198,529 for
    // 150,607 lines): 2^18 slots hold them at three quarters full, and a
    // probe that runs on stays in the cache line it started in.
    let size = (lines * 3 / 2).next_power_of_two();
    assert!(text.len() < 1 << 22, "a slot has 22 bits for where its key starts");
    let mut table =
        Builder { text, slots: vec![0; size], shift: 64 - size.trailing_zeros(), tags: Vec::new() };
    let mut total: u64 = 0;
    let mut start = 0;
    for line in text.split('\n') {
        let line = line.as_bytes();
        if let Some((word_len, freq, tag)) = fields(line) {
            let tag = &text[start + tag.start..start + tag.end];
            let id = match table.tags.iter().position(|t| t == tag) {
                Some(i) => i,
                None => {
                    table.tags.push(tag.to_string());
                    table.tags.len() - 1
                }
            };
            total += u64::from(freq);
            table.insert_word(start, word_len, freq, id as u8);
        }
        start += line.len() + 1;
    }
    assert!(table.tags.len() <= 64, "a slot has 6 bits for its tag");
    // Lookups stop at an empty slot: a table near full would probe far.
    let used = table.slots.iter().filter(|&&s| s != 0).count();
    assert!(used * 5 <= size * 4, "{used} keys in {size} slots: make the table larger");
    Built { slots: table.slots, shift: table.shift, tags: table.tags, log_total: (total as f64).ln() }
}

impl Builder<'_> {
    /// Inserts the word at `start` of the text and every proper prefix of it
    /// that ends at a character boundary.
    fn insert_word(&mut self, start: usize, len: usize, freq: u32, tag: u8) {
        let word = &self.text[start..start + len];
        let mut key = Key::EMPTY;
        for (from, c) in word.char_indices() {
            let to = from + c.len_utf8();
            key = key.push(&word.as_bytes()[from..to]);
            let whole = to == len;
            // A prefix that is no word has neither frequency nor tag.
            let (freq, tag) = if whole { (freq, tag) } else { (0, 0) };
            self.insert(key, Slot::new(key.0, start, freq, to, tag), whole);
        }
    }

    /// Adds a key; a word replaces the prefix entry its text may have had.
    fn insert(&mut self, key: Key, new: Slot, is_word: bool) {
        let text = self.text.as_bytes();
        let slots = &self.slots;
        match probe(key, new.text(text), slots.len(), self.shift, text, |i| Slot(slots[i])) {
            Err(empty) => self.slots[empty] = new.0,
            Ok(found) if is_word => self.slots[found] = new.0,
            Ok(_) => {}
        }
    }
}

/// The byte length of the word, its frequency and the tag's byte range, of
/// a `word freq tag` line.
fn fields(line: &[u8]) -> Option<(usize, u32, std::ops::Range<usize>)> {
    let word_end = line.iter().position(|&b| b == b' ')?;
    let mut freq: u32 = 0;
    let mut freq_end = word_end + 1;
    while let Some(&b) = line.get(freq_end).filter(|b| b.is_ascii_digit()) {
        freq = freq.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
        freq_end += 1;
    }
    if line.get(freq_end) != Some(&b' ') {
        return None;
    }
    // A frequency of 0 would read as a prefix; a word has at least 1.
    let tag = freq_end + 1..line.len();
    (word_end > 0 && freq > 0 && (1..=4).contains(&tag.len()) && word_end < 64 && freq < 1 << 20)
        .then_some((word_end, freq, tag))
}
