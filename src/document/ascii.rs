//! ASCII bytes eight at a time (SWAR: one `u64` holds eight bytes). The
//! tokenizer and the token keys read every byte of English text; a loop per
//! byte mispredicts its exit once a word, as word lengths are what a branch
//! predictor cannot learn, and eight bytes at a time it seldom loops at all.

/// The high bit of every byte.
pub const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes from `at`, the first in the lowest byte, if there are eight.
#[inline]
pub fn load8(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at + 8)?;
    Some(u64::from_le_bytes(chunk.try_into().ok()?))
}

/// The high bit of each byte of `word` that lies in `lo..=hi` (bytes of 0x80
/// or over never do). The bytes are first cut to seven bits, so that adding
/// at most 0x50 to each carries into no neighbour, and a byte `x` with
/// `x + (0x80 - lo)` at 0x80 or over is one at least `lo`.
#[inline]
fn in_range(word: u64, lo: u8, hi: u8) -> u64 {
    let low = word & !HIGH_BITS;
    let at_least = low + ONES * u64::from(0x80 - lo);
    let above = low + ONES * u64::from(0x7F - hi);
    at_least & !above & !word & HIGH_BITS
}

/// The high bit of each byte of `word` that is an ASCII letter or digit.
#[inline]
pub fn alnum_bytes(word: u64) -> u64 {
    // Setting bit 5 makes upper case lower; no byte outside the letters
    // lands in a..z by it.
    in_range(word, b'0', b'9') | in_range(word | (ONES * 0x20), b'a', b'z')
}

/// `word` with its ASCII upper-case letters made lower case.
#[inline]
pub fn to_lowercase(word: u64) -> u64 {
    word | (in_range(word, b'A', b'Z') >> 2)
}

/// How many bytes of `mask` have their high bit set (no other bit may
/// be). A multiplication sums the eight bits into the top byte: the x86_64
/// baseline has no single instruction to count bits.
#[inline]
pub fn high_bit_count(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(ONES) >> 56) as usize
}

/// The bytes `range` of `bytes` lower-cased, the first in the lowest byte,
/// if they are one to `max` (at most eight), all ASCII letters and digits,
/// and eight bytes can be read from the start: a short word, read in one
/// load.
#[inline]
pub fn lowered_word(bytes: &[u8], range: std::ops::Range<usize>, max: usize) -> Option<u64> {
    let len = range.len();
    if len > max.min(8) {
        return None;
    }
    let word = load8(bytes, range.start)?;
    // An empty range would shift by all 64 bits: no word.
    let keep = u64::MAX.checked_shr(8 * (8 - len) as u32)?;
    let word = word & keep;
    (alnum_bytes(word) == HIGH_BITS & keep).then(|| to_lowercase(word))
}

/// Where the ASCII letters and digits from `from` on end.
#[inline]
pub fn alnum_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(word) = load8(bytes, from) {
        let stops = !alnum_bytes(word) & HIGH_BITS;
        if stops != 0 {
            return from + (stops.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && bytes[from].is_ascii_alphanumeric() {
        from += 1;
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes at the edges of the ranges tested, their high-bit twins,
    /// and bytes that read as letters or digits once folded.
    const EDGE_BYTES: &[u8] = &[
        0x00, 0x10, 0x19, b' ', b'/', b'0', b'5', b'9', b':', b'@', b'A', b'M', b'Z', b'[', b'`', b'a', b'm',
        b'z', b'{', 0x7F, 0x80, 0xB0, 0xC1, 0xDA, 0xE1, 0xE4, 0xFA, 0xFF,
    ];

    fn edge_bytes(len: std::ops::Range<usize>) -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        proptest::collection::vec(proptest::sample::select(EDGE_BYTES), len)
    }

    proptest::proptest! {
        /// Eight bytes at a time, a run of letters and digits ends where a
        /// byte at a time finds its end.
        #[test]
        fn alnum_runs_end_where_bytes_say(bytes in edge_bytes(0..40), from in 0usize..40) {
            let from = from.min(bytes.len());
            let expected = from + bytes[from..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            proptest::prop_assert_eq!(alnum_end(&bytes, from), expected);
        }

        /// A short word is one to `max` letters and digits, lower-cased.
        #[test]
        fn short_words_are_read_at_once(bytes in edge_bytes(8..12), start in 0usize..4, len in 0usize..10, max in 0usize..10) {
            let end = (start + len).min(bytes.len());
            let word = &bytes[start..end];
            let expected = (!word.is_empty()
                && word.len() <= max.min(8)
                && start + 8 <= bytes.len()
                && word.iter().all(u8::is_ascii_alphanumeric))
            .then(|| {
                let mut packed = [0u8; 8];
                packed[..word.len()].copy_from_slice(&word.to_ascii_lowercase());
                u64::from_le_bytes(packed)
            });
            proptest::prop_assert_eq!(lowered_word(&bytes, start..end, max), expected);
        }

        /// Eight bytes lower-cased at once are each lower-cased.
        #[test]
        fn lowercase_is_bytewise(bytes in edge_bytes(8..9)) {
            let word = load8(&bytes, 0).expect("eight bytes");
            let each: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
            proptest::prop_assert_eq!(to_lowercase(word).to_le_bytes().to_vec(), each);
        }
    }
}
