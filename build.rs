//! Builds the Chinese dictionary's hash table at compile time, so that no run
//! spends time on it (`src/document/lexicon/table.rs` says why).

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/document/lexicon/key.rs"]
mod key;

#[path = "src/document/lexicon/builder.rs"]
mod builder;

fn main() {
    let dict = "src/document/lexicon/dict.txt";
    println!("cargo::rerun-if-changed={dict}");
    println!("cargo::rerun-if-changed=src/document/lexicon/key.rs");
    println!("cargo::rerun-if-changed=src/document/lexicon/builder.rs");
    let text = std::fs::read_to_string(dict).expect("the dictionary is part of the source");
    let built = builder::build(&text);

    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let slots: Vec<u8> = built.slots.iter().flat_map(|s| s.to_le_bytes()).collect();
    std::fs::write(out.join("lexicon_slots.bin"), slots).expect("OUT_DIR is writable");
    let mut meta = String::new();
    writeln!(meta, "const SHIFT: u32 = {};", built.shift).unwrap();
    writeln!(meta, "const LOG_TOTAL_BITS: u64 = {:#x};", built.log_total.to_bits()).unwrap();
    writeln!(meta, "const TAGS: &[&str] = &{:?};", built.tags).unwrap();
    std::fs::write(out.join("lexicon_meta.rs"), meta).expect("OUT_DIR is writable");
}
