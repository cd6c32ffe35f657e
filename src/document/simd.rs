//! Text sixteen bytes at a time, in the SSE registers every x86-64
//! processor has, for the one loop that writes every character of every
//! block out as a `char` (duplicate-paragraph's normalisation): ASCII
//! letters and digits packed together, and hanzi decoded four at a time.
//!
//! [`super::ascii`] reads eight bytes in a `u64`, but a `u64` cannot move
//! the bytes it keeps together: they were written out one at a time, about
//! six instructions a byte of English, more than half of what the
//! normalisation cost. A byte shuffle (SSSE3's `pshufb`, in every x86-64
//! processor since 2006, and asked for at run time) packs the kept bytes of
//! eight in one instruction, and spreads the three bytes of each of four
//! hanzi to a lane of their own. Elsewhere, or without SSSE3, the callers'
//! byte-at-a-time paths do all the work.

/// Whether the functions of [`x86`] can run here. A caller compiles its
/// loop a second time with the feature enabled (`#[target_feature]`), so
/// that they are inlined into it: called out of line, at every hanzi run
/// and every stretch of ASCII, their set-up cost what they saved.
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("ssse3")
}

#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    /// For each set of eight bytes to keep (bit k: byte k), the shuffle that
    /// moves them to the front, in order; the slots past them take byte 0x80,
    /// which `pshufb` makes zero.
    static PACK: [[u8; 8]; 256] = pack_table();
    /// How many bytes each set keeps: the processors that have SSSE3 need
    /// not have the instruction that counts bits.
    static COUNT: [u8; 256] = count_table();

    const fn pack_table() -> [[u8; 8]; 256] {
        let mut table = [[0x80; 8]; 256];
        let mut mask = 0;
        while mask < 256 {
            let (mut from, mut to) = (0, 0);
            while from < 8 {
                if mask & (1 << from) != 0 {
                    table[mask][to] = from as u8;
                    to += 1;
                }
                from += 1;
            }
            mask += 1;
        }
        table
    }

    const fn count_table() -> [u8; 256] {
        let mut table = [0; 256];
        let mut mask = 0;
        while mask < 256 {
            table[mask] = (mask as u32).count_ones() as u8;
            mask += 1;
        }
        table
    }

    /// Writes the letters and digits of the ASCII bytes at the start of
    /// `bytes`, lower-cased, to the start of `out`, sixteen bytes at a time
    /// while all sixteen are ASCII; returns the bytes read and the
    /// characters written (both 0 when the first sixteen are not all ASCII,
    /// or there are fewer). `out` must have room for 8 more characters than
    /// there are bytes read: each half of sixteen is written whole, and only
    /// its kept characters counted.
    ///
    /// # Safety
    ///
    /// The processor must have SSSE3 ([`super::available`]).
    #[inline]
    #[target_feature(enable = "ssse3")]
    pub fn normalize_ascii(bytes: &[u8], out: &mut [char]) -> (usize, usize) {
        let (mut read, mut written) = (0, 0);
        let splat = |b: u8| _mm_set1_epi8(b as i8);
        while let Some(chunk) = bytes.get(read..read + 16) {
            // SAFETY: `chunk` is sixteen bytes; the load may be unaligned.
            let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
            if _mm_movemask_epi8(v) != 0 {
                break;
            }
            let keep = super::sse2::alnum(v);
            // Bit 5 set on the letters lower-cases them (digits have it).
            let lower = _mm_or_si128(v, _mm_and_si128(keep, splat(0x20)));
            let keep = _mm_movemask_epi8(keep) as usize;
            for half in 0..2 {
                let mask = (keep >> (8 * half)) & 0xFF;
                // SAFETY: an entry of the table is eight bytes.
                let shuffle = unsafe { _mm_loadl_epi64(PACK[mask].as_ptr().cast()) };
                // The high half's bytes are 8..16 of the register.
                let shuffle = _mm_add_epi8(shuffle, splat(8 * half as u8));
                let packed = _mm_shuffle_epi8(lower, shuffle);
                // Eight bytes widened to eight `char`s, the slots past the
                // kept ones zero: written whole, counted to the kept ones.
                let zero = _mm_setzero_si128();
                let words = _mm_unpacklo_epi8(packed, zero);
                let room = &mut out[written..written + 8];
                // SAFETY: `room` holds eight `char`s, 32 bytes; every value
                // written is below 0x80, a `char`.
                unsafe {
                    _mm_storeu_si128(room.as_mut_ptr().cast(), _mm_unpacklo_epi16(words, zero));
                    _mm_storeu_si128(room.as_mut_ptr().add(4).cast(), _mm_unpackhi_epi16(words, zero));
                }
                written += usize::from(COUNT[mask]);
            }
            read += 16;
        }
        (read, written)
    }

    /// Writes the hanzi (U+4E00..=U+9FFF) that start `bytes`, as `char`s,
    /// to the start of `out`, four at a time while sixteen bytes can be
    /// read; returns the bytes read and the characters written (0 and 0
    /// when the first is no such hanzi, or fewer than sixteen bytes are
    /// left). `bytes` must be valid UTF-8 from its start, and `out` have
    /// room for 4 more characters than are written.
    ///
    /// # Safety
    ///
    /// The processor must have SSSE3 ([`super::available`]).
    #[inline]
    #[target_feature(enable = "ssse3")]
    pub fn decode_han(bytes: &[u8], out: &mut [char]) -> (usize, usize) {
        // Lane k (32 bits) takes bytes 3k, 3k + 1 and 3k + 2, and a zero.
        const LANES: [u8; 16] = [0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80];
        // SAFETY: `LANES` is sixteen bytes.
        let lanes = unsafe { _mm_loadu_si128(LANES.as_ptr().cast()) };
        let splat = _mm_set1_epi32;
        let (mut read, mut written) = (0, 0);
        while let Some(chunk) = bytes.get(read..read + 16) {
            // SAFETY: `chunk` is sixteen bytes; the load may be unaligned.
            let v = _mm_shuffle_epi8(unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }, lanes);
            // Three bytes 1110xxxx 10yyyyyy 10zzzzzz, the first lowest:
            // the code point xxxxyyyyyyzzzzzz.
            let lead = _mm_and_si128(v, splat(0xFF));
            let code = _mm_or_si128(
                _mm_or_si128(
                    _mm_slli_epi32(_mm_and_si128(v, splat(0x0F)), 12),
                    _mm_srli_epi32(_mm_and_si128(v, splat(0x3F00)), 2),
                ),
                _mm_srli_epi32(_mm_and_si128(v, splat(0x3F_0000)), 16),
            );
            // Valid UTF-8 with a lead byte E4..=E9 is a character of three
            // bytes from U+4000 to U+9FFF; those below U+4E00 are no hanzi.
            let han = _mm_and_si128(
                _mm_and_si128(_mm_cmpgt_epi32(lead, splat(0xE3)), _mm_cmpgt_epi32(splat(0xEA), lead)),
                _mm_cmpgt_epi32(code, splat(0x4DFF)),
            );
            // The lanes up to the first that is no hanzi are; the lanes
            // after it are bytes cut anywhere. Lanes that are no hanzi are
            // zeroed, so that what is written is `char`s, and not counted.
            let run = (!_mm_movemask_ps(_mm_castsi128_ps(han))).trailing_zeros().min(4) as usize;
            let room = &mut out[written..written + 4];
            // SAFETY: `room` holds four `char`s, 16 bytes; every value
            // written is zero or a hanzi.
            unsafe { _mm_storeu_si128(room.as_mut_ptr().cast(), _mm_and_si128(code, han)) };
            written += run;
            read += 3 * run;
            if run < 4 {
                break;
            }
        }
        (read, written)
    }
}

/// What needs only SSE2, part of every x86-64 processor (the target's
/// baseline): inlined anywhere, with nothing asked at run time.
#[cfg(target_arch = "x86_64")]
pub mod sse2 {
    use std::arch::x86_64::*;

    /// Bit k set where byte k of the sixteen at the start of `bytes` is an
    /// ASCII letter or digit; `None` if there are fewer than sixteen or one
    /// of them is not ASCII.
    #[inline]
    pub fn alnum16(bytes: &[u8]) -> Option<u32> {
        let chunk = bytes.get(..16)?;
        // SAFETY: SSE2 is in the x86-64 baseline; `chunk` is sixteen bytes,
        // loaded unaligned.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            if _mm_movemask_epi8(v) != 0 {
                return None;
            }
            Some(_mm_movemask_epi8(alnum(v)) as u32)
        }
    }

    /// 0xFF in each byte of `v` that is an ASCII letter or digit, 0 in the
    /// rest: what [`alnum16`] and [`super::x86::normalize_ascii`] keep.
    #[inline(always)]
    pub fn alnum(v: __m128i) -> __m128i {
        // SAFETY: SSE2 is in the x86-64 baseline.
        unsafe {
            // Signed compares: ASCII bytes are the non-negative ones.
            let in_range = |v: __m128i, lo: u8, hi: u8| {
                _mm_and_si128(
                    _mm_cmpgt_epi8(v, _mm_set1_epi8(lo as i8 - 1)),
                    _mm_cmpgt_epi8(_mm_set1_epi8(hi as i8 + 1), v),
                )
            };
            // Setting bit 5 makes upper case lower; no byte outside the
            // letters lands in a..z by it.
            let letters = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', b'z');
            _mm_or_si128(letters, in_range(v, b'0', b'9'))
        }
    }

    /// How many hanzi (U+4E00..=U+9FFF), up to four, start `bytes`, told
    /// from its first sixteen bytes; `None` if there are fewer. `bytes` must
    /// be valid UTF-8 from its start.
    #[inline]
    pub fn leading_han4(bytes: &[u8]) -> Option<usize> {
        let chunk = bytes.get(..16)?;
        // SAFETY: as in `alnum16`.
        let han = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            // Bytes compared unsigned, as signed ones with the top bit flipped.
            let flip = |b: u8| _mm_set1_epi8((b ^ 0x80) as i8);
            let u = _mm_xor_si128(v, _mm_set1_epi8(i8::MIN));
            let mask = |m: __m128i| _mm_movemask_epi8(m) as u32;
            // A lead byte E4..=E9 starts three bytes from U+4000 to U+9FFF;
            // after E4, a second byte below B8 makes it one below U+4E00.
            let lead = mask(_mm_and_si128(_mm_cmpgt_epi8(u, flip(0xE3)), _mm_cmpgt_epi8(flip(0xEA), u)));
            let e4 = mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(0xE4_u8 as i8)));
            let low_second = mask(_mm_cmpgt_epi8(flip(0xB8), u));
            lead & !(e4 & (low_second >> 1))
        };
        // Characters start at bytes 0, 3, 6 and 9 while they are hanzi.
        Some([0, 3, 6, 9].iter().take_while(|&&at| han >> at & 1 != 0).count())
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::x86::{decode_han, normalize_ascii};

    /// How `f` of [`super::x86`] reads `bytes` where the processor can run
    /// it; elsewhere there is nothing to test, and it reads nothing.
    fn run(
        f: unsafe fn(&[u8], &mut [char]) -> (usize, usize),
        bytes: &[u8],
        out: &mut [char],
    ) -> (usize, usize) {
        // SAFETY: the processor has SSSE3.
        if super::available() { unsafe { f(bytes, out) } } else { (0, 0) }
    }

    proptest::proptest! {
        /// Sixteen bytes at a time, the characters kept are the letters and
        /// digits, lower-cased, of the all-ASCII sixteens at the start.
        #[test]
        fn keeps_the_letters_and_digits_of_ascii_sixteens(
            bytes in proptest::collection::vec(proptest::sample::select(
                b"\0 !/09:@AMZ[`amz{\x7f\x80\xe4".to_vec()), 0..70)
        ) {
            let mut out = vec!['?'; bytes.len() + 8];
            let (read, written) = run(normalize_ascii, &bytes, &mut out);
            let ascii_sixteens = bytes.chunks_exact(16).take_while(|c| c.is_ascii()).count();
            if super::available() {
                proptest::prop_assert_eq!(read, 16 * ascii_sixteens);
            }
            proptest::prop_assert!(read % 16 == 0 && read <= 16 * ascii_sixteens);
            let expected: Vec<char> = bytes[..read]
                .iter()
                .filter(|b| b.is_ascii_alphanumeric())
                .map(|b| char::from(b.to_ascii_lowercase()))
                .collect();
            proptest::prop_assert_eq!(&out[..written], &expected[..]);
        }
    }

    proptest::proptest! {
        /// Four at a time, the hanzi read are those that start the text,
        /// each decoded as the standard library decodes it.
        #[test]
        fn decodes_the_hanzi_that_start_the_text(text in "[中国的一丁龥㐀䷀ー、。a ]{0,30}") {
            let bytes = text.as_bytes();
            let mut out = vec!['?'; bytes.len() + 4];
            let (read, written) = run(decode_han, bytes, &mut out);
            let hanzi: Vec<char> =
                text.chars().take_while(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).collect();
            proptest::prop_assert!(written <= hanzi.len() && read == 3 * written);
            proptest::prop_assert_eq!(&out[..written], &hanzi[..written]);
            if super::available() {
                // Only the last fifteen bytes are left to the caller.
                proptest::prop_assert!(written == hanzi.len() || bytes.len() - read < 16);
            }
        }
    }

    proptest::proptest! {
        /// Sixteen ASCII bytes at once, a bit for each letter or digit.
        #[test]
        fn alnum16_marks_letters_and_digits(
            bytes in proptest::collection::vec(proptest::sample::select(
                b"\0 !/09:@AMZ[`amz{\x7f\x80\xe4".to_vec()), 0..20)
        ) {
            let expected = (bytes.len() >= 16 && bytes[..16].is_ascii()).then(|| {
                bytes[..16].iter().enumerate().filter(|(_, b)| b.is_ascii_alphanumeric()).map(|(k, _)| 1 << k).sum()
            });
            proptest::prop_assert_eq!(super::sse2::alnum16(&bytes), expected);
        }

        /// The hanzi that start a text, up to four, counted from sixteen bytes.
        #[test]
        fn leading_han4_counts_the_hanzi_that_start_the_text(text in "[中国的一丁龥㐀䷀ー、。a ]{0,12}") {
            let expected = (text.len() >= 16).then(|| {
                text.chars().take(4).take_while(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count()
            });
            proptest::prop_assert_eq!(super::sse2::leading_han4(text.as_bytes()), expected);
        }
    }
}
