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

const ZH: &[&str] = &[
    "图书馆",
    "读者",
    "活动",
    "服务",
    "乡村",
    "群众",
    "阅读",
    "推广",
    "建设",
    "发展",
    "工作",
    "组织",
    "开展",
    "提高",
    "水平",
    "管理",
    "志愿者",
    "培训",
    "数字",
    "平台",
    "资源",
    "社区",
    "学校",
    "合作",
    "质量",
    "环境",
    "河流",
    "保护",
    "治理",
    "监测",
    "数据",
    "显示",
    "标准",
    "项目",
    "资金",
    "设施",
    "改善",
    "明显",
    "持续",
    "完善",
    "机制",
    "经验",
    "今年",
    "近年来",
    "全县",
    "进一步",
    "积极",
    "认真",
    "广泛",
    "深入",
    "基层",
    "需求",
    "内容",
    "形式",
    "方面",
    "措施",
];
const EN: &[&str] = &[
    "the",
    "team",
    "release",
    "build",
    "system",
    "reviews",
    "every",
    "issue",
    "and",
    "agrees",
    "on",
    "a",
    "date",
    "for",
    "next",
    "version",
    "users",
    "report",
    "problems",
    "in",
    "tracker",
    "with",
    "label",
    "maintainer",
    "answers",
    "each",
    "within",
    "day",
    "river",
    "survey",
    "covered",
    "lower",
    "reach",
    "from",
    "mill",
    "to",
    "estuary",
    "water",
    "was",
    "low",
    "enough",
    "wade",
    "crossings",
    "safely",
    "readings",
    "were",
    "entered",
    "checked",
    "against",
    "paper",
    "sheets",
    "before",
    "analysis",
    "began",
    "of",
    "data",
];

fn zh_sentence(rng: &mut Rng) -> String {
    let clauses = 2 + rng.below(3);
    let mut s = String::new();
    for c in 0..clauses {
        let mut last = usize::MAX;
        for _ in 0..3 + rng.below(4) {
            let mut w = rng.below(ZH.len());
            if w == last {
                w = (w + 1) % ZH.len();
            }
            last = w;
            s.push_str(ZH[w]);
        }
        s.push(if c + 1 == clauses { '。' } else { '，' });
    }
    s
}

fn en_sentence(rng: &mut Rng) -> String {
    let words = 10 + rng.below(12);
    let mut s = String::new();
    let mut last = usize::MAX;
    for i in 0..words {
        let mut n = rng.below(EN.len());
        if n == last {
            n = (n + 1) % EN.len();
        }
        last = n;
        let w = EN[n];
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
