//! The dictionary as an open-addressing hash table over the embedded text:
//! every word, and every prefix of a word, keyed by its bytes.
//!
//! Why not jieba-rs's own loader: it builds a character trie, one node per
//! character of every word, reading the text a line at a time and checking
//! each word for a duplicate first. That took 218M instructions, about 30 ms
//! and a tenth of a 10 MB run, before the first word was cut; this table is
//! built in one pass over the text for a fraction of that, and its entries
//! point into the text rather than copying it.
//!
//! Prefixes are entries of their own (as in Python jieba's `FREQ` table),
//! so that walking a text one character at a time can stop as soon as no
//! word starts with what it has read.

/// One entry, a word or a prefix of one that is not itself a word, packed
/// in 64 bits so that the table of 2^19 entries is 4 MB, allocated zeroed:
/// from the low bits, the key's byte length (6), its tag (6), its
/// frequency (20; 0 for a prefix that is no word), where it starts in the
/// text (22) and 10 bits of its hash. An empty slot is 0 (length 0).
#[derive(Clone, Copy)]
struct Slot(u64);

impl Slot {
    fn new(check: u64, start: usize, freq: u32, len: usize, tag: u8) -> Slot {
        debug_assert!(len < 64 && tag < 64 && freq < 1 << 20 && start < 1 << 22);
        Slot(
            len as u64
                | u64::from(tag) << 6
                | u64::from(freq) << 12
                | (start as u64) << 32
                | (check & 0x3FF) << 54,
        )
    }

    fn len(self) -> usize {
        (self.0 & 0x3F) as usize
    }

    fn tag(self) -> usize {
        (self.0 >> 6 & 0x3F) as usize
    }

    fn freq(self) -> u32 {
        (self.0 >> 12 & 0xF_FFFF) as u32
    }

    fn start(self) -> usize {
        (self.0 >> 32 & 0x3F_FFFF) as usize
    }

    /// Whether the hash bits stored agree with `key`'s.
    fn checks(self, key: Key) -> bool {
        self.0 >> 54 == key.0 & 0x3FF
    }
}

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

pub struct Table {
    text: &'static str,
    slots: Vec<u64>,
    /// `64 - log2(slots.len())`: the hash's top bits pick the slot.
    shift: u32,
    tags: Vec<&'static str>,
    /// Natural log of the sum of all frequencies, as jieba computes it.
    pub log_total: f64,
}

/// The hash of a key, fed a byte at a time so that a walk along a text
/// extends the hash of what it has read rather than hashing it again.
#[derive(Clone, Copy)]
pub struct Key(u64);

impl Key {
    pub const EMPTY: Key = Key(0xcbf2_9ce4_8422_2325);

    #[inline]
    pub fn push(self, bytes: &[u8]) -> Key {
        let mut h = self.0;
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        Key(h)
    }

    pub fn of(bytes: &[u8]) -> Key {
        Key::EMPTY.push(bytes)
    }

    /// FNV's low bits are weak: the slot comes from a multiply's top bits.
    #[inline]
    fn slot(self, shift: u32) -> usize {
        (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
    }
}

impl Table {
    /// Builds the table from `word freq tag` lines. A malformed line is a bug
    /// in the embedded file, which a test reads line by line; here it is
    /// skipped. The lines are split by byte search, not `str::split`: this
    /// loop is the whole cost of the first Chinese candidate of a run.
    pub fn new(text: &'static str) -> Table {
        let bytes = text.as_bytes();
        let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
        // Words and their prefixes come to about 1.4 keys a line: a table of
        // at least twice that keeps probes short.
        let size = (lines * 3).next_power_of_two();
        assert!(text.len() < 1 << 22, "a slot has 22 bits for where its key starts");
        let mut table = Table {
            text,
            slots: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            tags: Vec::new(),
            log_total: 0.0,
        };
        let mut total: u64 = 0;
        let mut start = 0;
        let mut tag_ids: Vec<u32> = Vec::new();
        let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
        for end in ends {
            let line = &bytes[start..end];
            if let Some((word_len, freq, tag)) = fields(line) {
                // Tags are one to four ASCII letters: packed, they compare as integers.
                let packed = line[tag.clone()].iter().fold(0u32, |k, &b| (k << 8) | u32::from(b));
                let id = match tag_ids.iter().position(|&t| t == packed) {
                    Some(i) => i,
                    None => {
                        tag_ids.push(packed);
                        table.tags.push(&text[start + tag.start..start + tag.end]);
                        tag_ids.len() - 1
                    }
                };
                total += u64::from(freq);
                table.insert_word(start, word_len, freq, id as u8);
            }
            start = end + 1;
        }
        assert!(table.tags.len() <= 64, "a slot has 6 bits for its tag");
        table.log_total = (total as f64).ln();
        table
    }

    /// Inserts the word at `start` of the text and every proper prefix of it
    /// that ends at a character boundary.
    fn insert_word(&mut self, start: usize, len: usize, freq: u32, tag: u8) {
        let word = &self.text.as_bytes()[start..start + len];
        let mut key = Key::EMPTY;
        let mut from = 0;
        while from < len {
            let to = from + utf8_len(word[from]);
            key = key.push(&word[from..to]);
            let whole = to == len;
            let slot = if whole {
                Slot::new(key.0, start, freq, to, tag)
            } else {
                Slot::new(key.0, start, 0, to, 0)
            };
            self.insert(key, slot, whole);
            from = to;
        }
    }

    fn key_text(&self, slot: Slot) -> &'static [u8] {
        &self.text.as_bytes()[slot.start()..slot.start() + slot.len()]
    }

    /// Adds a key; a word replaces the prefix entry its text may have had.
    fn insert(&mut self, key: Key, new: Slot, is_word: bool) {
        let bytes = self.key_text(new);
        let mask = self.slots.len() - 1;
        let mut i = key.slot(self.shift);
        loop {
            let slot = Slot(self.slots[i]);
            if slot.len() == 0 {
                self.slots[i] = new.0;
                return;
            }
            if slot.checks(key) && slot.len() == new.len() && same(self.key_text(slot), bytes) {
                if is_word {
                    self.slots[i] = new.0;
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// What `bytes`, whose key is `key`, is in the dictionary.
    #[inline]
    pub fn find(&self, key: Key, bytes: &[u8]) -> Option<Found> {
        let mask = self.slots.len() - 1;
        let mut i = key.slot(self.shift);
        loop {
            let slot = Slot(self.slots[i]);
            if slot.len() == 0 {
                return None;
            }
            if slot.checks(key) && slot.len() == bytes.len() && same(self.key_text(slot), bytes) {
                return Some(match slot.freq() {
                    0 => Found::Prefix,
                    freq => Found::Word(Entry { freq, tag: self.tags[slot.tag()] }),
                });
            }
            i = (i + 1) & mask;
        }
    }

    /// The entry of a whole word, if it is one.
    pub fn word(&self, word: &str) -> Option<Entry> {
        match self.find(Key::of(word.as_bytes()), word.as_bytes())? {
            Found::Word(entry) => Some(entry),
            Found::Prefix => None,
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

/// The length of the UTF-8 sequence a lead byte starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0xC0..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// Equal keys of equal length: a loop, as keys are a few bytes long and a
/// call to `memcmp` for each cost more than the comparison.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
}
