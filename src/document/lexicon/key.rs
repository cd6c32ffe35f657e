//! The two pieces the dictionary table and its builder share: how a key is
//! hashed and how an entry is packed. The builder runs at compile time
//! (`build.rs` includes this file and `builder.rs`), the table at run time:
//! both must agree to the bit, so neither has a copy of its own.

/// The hash of a key, fed a byte at a time so that a walk along a text
/// extends the hash of what it has read rather than hashing it again.
#[derive(Clone, Copy)]
pub struct Key(pub u64);

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
    pub fn slot(self, shift: u32) -> usize {
        (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
    }
}

/// One entry, a word or a prefix of one that is not itself a word, packed
/// in 64 bits so that the table of 2^18 entries is 2 MB of the binary: from
/// the low bits, the key's byte length (6), its tag (6), its
/// frequency (20; 0 for a prefix that is no word), where it starts in the
/// text (22) and 10 bits of its hash. An empty slot is 0 (length 0).
#[derive(Clone, Copy)]
pub struct Slot(pub u64);

impl Slot {
    // Packing is the builder's: build.rs's and the tests'.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn new(check: u64, start: usize, freq: u32, len: usize, tag: u8) -> Slot {
        debug_assert!(len < 64 && tag < 64 && freq < 1 << 20 && start < 1 << 22);
        Slot(
            len as u64
                | u64::from(tag) << 6
                | u64::from(freq) << 12
                | (start as u64) << 32
                | (check & 0x3FF) << 54,
        )
    }

    pub fn len(self) -> usize {
        (self.0 & 0x3F) as usize
    }

    pub fn tag(self) -> usize {
        (self.0 >> 6 & 0x3F) as usize
    }

    pub fn freq(self) -> u32 {
        (self.0 >> 12 & 0xF_FFFF) as u32
    }

    pub fn start(self) -> usize {
        (self.0 >> 32 & 0x3F_FFFF) as usize
    }

    /// The key's bytes in the dictionary text.
    pub fn text(self, text: &[u8]) -> &[u8] {
        &text[self.start()..self.start() + self.len()]
    }

    /// Whether the hash bits stored agree with `key`'s.
    pub fn checks(self, key: Key) -> bool {
        self.0 >> 54 == key.0 & 0x3FF
    }
}

/// Where the key `bytes` (hashed to `key`) is in a table of `size` slots
/// read through `slot_at`: `Ok` with its slot, or `Err` with the empty slot
/// where it would go. Linear probing from the slot the hash's top bits pick.
/// The builder and the reader both probe here, so they cannot disagree on
/// where a key lives.
#[inline]
pub fn probe(
    key: Key,
    bytes: &[u8],
    size: usize,
    shift: u32,
    text: &[u8],
    slot_at: impl Fn(usize) -> Slot,
) -> Result<usize, usize> {
    let mask = size - 1;
    let mut i = key.slot(shift);
    loop {
        let slot = slot_at(i);
        if slot.len() == 0 {
            return Err(i);
        }
        if slot.checks(key) && slot.len() == bytes.len() && same(slot.text(text), bytes) {
            return Ok(i);
        }
        i = (i + 1) & mask;
    }
}

/// Equal keys of equal length: a loop, as keys are a few bytes long and a
/// call to `memcmp` for each cost more than the comparison.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
}
