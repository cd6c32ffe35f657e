//! A deterministic generator of mixed Chinese and English Markdown for
//! throughput benchmarks: headings, prose, lists, tables, code, captions,
//! with defects injected at a realistic rate (about one paragraph in forty).

#![allow(dead_code)]

use std::fmt::Write as _;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x2545_F491_4F6C_DD1D)
    }
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Common hanzi; words are drawn as pairs of them, so the vocabulary is large
/// and paragraphs differ as much as real ones do.
const HANZI: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "con", "de", "di", "en", "er", "ex", "fa", "for", "ga", "in", "is", "ka", "la", "le",
    "li", "ma", "me", "mi", "mo", "na", "ne", "no", "per", "pro", "ra", "re", "ri", "ro", "sa", "se", "si",
    "so", "ta", "te", "ti", "to", "tra", "un", "va", "ve", "vi", "wa", "za",
];
const FUNCTION_WORDS: &[&str] =
    &["the", "a", "of", "and", "to", "in", "is", "for", "with", "on", "that", "by"];

fn zh_word(rng: &mut Rng) -> String {
    let chars: Vec<char> = HANZI.chars().collect();
    (0..2).map(|_| chars[rng.below(chars.len())]).collect()
}

fn en_word(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        return FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())].to_string();
    }
    (0..1 + rng.below(3)).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect()
}

fn zh_sentence(rng: &mut Rng) -> String {
    let clauses = 2 + rng.below(3);
    let mut s = String::new();
    for c in 0..clauses {
        for _ in 0..3 + rng.below(4) {
            s.push_str(&zh_word(rng));
        }
        s.push(if c + 1 == clauses { '。' } else { '，' });
    }
    s
}

fn en_sentence(rng: &mut Rng) -> String {
    let words = 10 + rng.below(12);
    let mut s = String::new();
    let mut last = String::new();
    for i in 0..words {
        let mut w = en_word(rng);
        while w == last {
            w = en_word(rng);
        }
        last = w.clone();
        let w = w.as_str();
        if i == 0 {
            let mut c = w.chars();
            let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('A');
            s.push(first);
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
        if i == words / 2 {
            s.push(',');
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, zh: bool) -> String {
    let n = 2 + rng.below(4);
    let mut p = String::new();
    for i in 0..n {
        if zh {
            p.push_str(&zh_sentence(rng));
        } else {
            if i > 0 {
                p.push(' ');
            }
            p.push_str(&en_sentence(rng));
        }
    }
    p
}

/// About `bytes` of Markdown.
pub fn generate(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 4096);
    let mut recent: Vec<String> = Vec::new();
    let mut section = 0;
    while out.len() < bytes {
        section += 1;
        let zh = rng.below(2) == 0;
        let _ = writeln!(out, "## {} {section}\n", if zh { "第节内容" } else { "Section" });
        for _ in 0..4 + rng.below(6) {
            let mut p = paragraph(&mut rng, zh);
            match rng.below(40) {
                // A paragraph pasted again.
                0 if !recent.is_empty() => p = recent[rng.below(recent.len())].clone(),
                // A doubled word.
                1 => {
                    let at = p.char_indices().nth(p.chars().count() / 2).map_or(0, |(i, _)| i);
                    let word = if zh { "图书" } else { " the the" };
                    p.insert_str(at, word);
                    if zh {
                        p.insert_str(at, word);
                    }
                }
                // Cut mid-sentence.
                2 => {
                    let cut = p.char_indices().nth(p.chars().count() * 2 / 3).map_or(p.len(), |(i, _)| i);
                    p.truncate(cut);
                    p = p.trim_end_matches([',', '，', ' ', '.', '。']).to_string();
                }
                _ => {}
            }
            let _ = writeln!(out, "{p}\n");
            recent.push(p);
            if recent.len() > 50 {
                recent.remove(0);
            }
        }
        match rng.below(4) {
            0 => out.push_str("- first item of the list\n- second item, `code` inside\n- 第三项内容\n\n"),
            1 => out.push_str("```rust\nfn main() { println!(\"the the\"); }\n```\n\n"),
            2 => out.push_str("| 项目 | Value |\n| --- | --- |\n| 数据 | 42 |\n\n"),
            _ => out.push_str("图片说明：读者在图书馆阅读。（资料图片）\n\n"),
        }
    }
    out
}
