//! Sensitive personal details in free text: health, whereabouts, religion, crime, discipline.
//!
//! PIPL (个人信息保护法) Art. 28 counts health (医疗健康), whereabouts (行踪轨迹), religion (宗教信仰)
//! and specific identities (特定身份) as sensitive personal information; GB/T 35273-2020 Annex B
//! (表 B.2) adds criminal records (违法犯罪记录) and lists disability under health. Disciplinary
//! sanctions of a named member (党纪处分) are kept out for the same reason. A disclosure needs only
//! the category (年老体弱, 外出务工, 组织选派), so `check` and `build` warn at each word of [`WORDS`]
//! (and of `sensitive_words` in `site.yaml`) written where residents read about people: a member's
//! `exempt`, a result's `note`, a record's `summary`, a `description`, and notices and introductions.
//! Words of [`ORDINARY`] (and `ordinary_words`) are the domain's ordinary vocabulary (残疾人 in
//! 联系残疾人家庭): a sensitive word inside one of them is not one. docs/content-format.md §13
//! lists both in Chinese and English.

use crate::content::model::SiteConfig;
use crate::diagnostic::{Diagnostic, SourceText};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Nanoseconds spent looking for sensitive words, summed over threads (`GONGKAI_TIMINGS`).
static SPENT: AtomicU64 = AtomicU64::new(0);

/// Seconds spent looking for sensitive words so far in this process, summed over threads.
pub fn seconds_spent() -> f64 {
    SPENT.load(Ordering::Relaxed) as f64 / 1e9
}

/// What a sensitive word is about; the warning names it and says what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Health,
    Whereabouts,
    Religion,
    Crime,
    Discipline,
    /// Listed in `sensitive_words` of `site.yaml`.
    Site,
}

impl Category {
    fn label(self) -> &'static str {
        match self {
            Category::Health => "健康状况",
            Category::Whereabouts => "行踪去向",
            Category::Religion => "宗教信仰",
            Category::Crime => "违法犯罪情况",
            Category::Discipline => "纪律处分",
            Category::Site => "本站列出的敏感内容",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Category::Health => "只写类别，如“年老体弱”；病情、残疾、住院等健康情况不在网上公开",
            Category::Whereabouts => {
                "只写类别，如“外出务工”“组织选派”；去了哪里、在哪里居住和工作不在网上公开"
            }
            Category::Religion => "个人的宗教信仰不在网上公开，请删去",
            Category::Crime => "个人的违法犯罪情况不在网上公开，请删去",
            Category::Discipline => "对党员个人的纪律处分不在这里公开，请删去；处分按有关规定另行通报",
            Category::Site => "这是 site.yaml 的 sensitive_words 列出的词，请删去或改写",
        }
    }
}

/// The built-in list: PIPL Art. 28 categories (GB/T 35273-2020 Annex B for crime), as words a
/// webmaster types. Single characters (病, 赴, 教) are left out: they sit inside ordinary words
/// (病虫害, 全力以赴, 教育).
pub const WORDS: &[(Category, &[&str])] = &[
    (
        Category::Health,
        &[
            "卧床",
            "瘫痪",
            "偏瘫",
            "截瘫",
            "住院",
            "病重",
            "病危",
            "病情",
            "病休",
            "病假",
            "患病",
            "患有",
            "身患",
            "重病",
            "绝症",
            "癌症",
            "肿瘤",
            "化疗",
            "透析",
            "中风",
            "脑梗",
            "脑溢血",
            "脑出血",
            "心脏病",
            "糖尿病",
            "精神病",
            "精神疾病",
            "精神障碍",
            "抑郁症",
            "痴呆",
            "智力障碍",
            "智障",
            "失明",
            "失聪",
            "聋哑",
            "残疾",
            "伤残",
            "截肢",
            "手术",
            "传染病",
            "艾滋",
            "乙肝",
            "结核",
            "怀孕",
            "孕期",
            "流产",
        ],
    ),
    (
        Category::Whereabouts,
        &[
            "行踪",
            "去向",
            "下落",
            "暂住",
            "现居",
            "现住",
            "常年在",
            "长期在",
            "派赴",
            "远赴",
            "援疆",
            "援藏",
            "对口支援",
            "驻外",
            "出国",
            "境外",
        ],
    ),
    (
        Category::Religion,
        &[
            "宗教",
            "信教",
            "基督",
            "天主教",
            "伊斯兰",
            "穆斯林",
            "佛教",
            "道教",
            "教堂",
            "清真寺",
            "寺庙",
            "做礼拜",
            "受洗",
            "皈依",
        ],
    ),
    (
        Category::Crime,
        &[
            "犯罪",
            "前科",
            "判刑",
            "判处",
            "服刑",
            "刑满释放",
            "缓刑",
            "坐牢",
            "入狱",
            "拘留",
            "逮捕",
            "羁押",
            "劳教",
            "社区矫正",
            "吸毒",
            "涉嫌",
            "取保候审",
        ],
    ),
    (
        Category::Discipline,
        &[
            "处分",
            "留党察看",
            "开除党籍",
            "严重警告",
            "撤销党内职务",
            "诫勉",
            "立案审查",
            "审查调查",
            "留置",
            "违纪",
        ],
    ),
];

/// The domain's ordinary words that hold a sensitive one: groups of residents a post serves, rules
/// and campaigns, a clean record. A sensitive word inside one of them raises no warning.
pub const ORDINARY: &[&str] = &[
    "残疾人",
    "住院报销",
    "住院费用",
    "刑满释放人员",
    "社区矫正人员",
    "预防犯罪",
    "预防青少年违法犯罪",
    "违法犯罪活动",
    "打击犯罪",
    "民族宗教",
    "宗教事务",
    "处分条例",
    "无违纪",
    "无违法违纪",
    "没有违纪",
    "未发生违纪",
];

/// The YAML fields whose text is checked: what residents read about a person.
const FIELDS: &[&str] = &["exempt", "note", "summary", "description"];

/// The words to warn about and the ordinary words around them, built-in and from `site.yaml`;
/// longest first, so that 精神疾病 is reported rather than a shorter word inside it.
#[derive(Debug, Clone)]
pub struct SensitiveWords {
    words: Vec<(String, Category)>,
    ordinary: Vec<String>,
    /// Indexes into `words` by first character: a text is walked once, not searched once per
    /// word (1.1 s of CPU on the 300-unit synthetic county against 0.05 s for this walk).
    by_first: HashMap<char, Vec<usize>>,
    /// A bit per first character (modulo 2^16): most characters are ruled out without hashing.
    first_bits: Vec<u64>,
}

fn bit(c: char) -> (usize, u64) {
    let c = c as usize & 0xffff;
    (c / 64, 1 << (c % 64))
}

impl SensitiveWords {
    pub fn new(config: &SiteConfig) -> SensitiveWords {
        let mut words: Vec<(String, Category)> = WORDS
            .iter()
            .flat_map(|(category, words)| words.iter().map(|w| (w.to_string(), *category)))
            .collect();
        words.extend(config.sensitive_words.iter().map(|w| (w.trim().to_string(), Category::Site)));
        words.retain(|(w, _)| !w.is_empty());
        words.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        words.dedup_by(|a, b| a.0 == b.0);
        let mut ordinary: Vec<String> = ORDINARY.iter().map(|w| w.to_string()).collect();
        ordinary.extend(config.ordinary_words.iter().map(|w| w.trim().to_string()));
        ordinary.retain(|w| !w.is_empty());
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        let mut first_bits = vec![0u64; 1024];
        for (i, (word, _)) in words.iter().enumerate() {
            let first = word.chars().next().expect("not empty");
            by_first.entry(first).or_default().push(i);
            let (slot, mask) = bit(first);
            first_bits[slot] |= mask;
        }
        SensitiveWords { words, ordinary, by_first, first_bits }
    }

    /// Every sensitive word in `text`, as (byte offset, word, category), in text order; one per
    /// place (the longest), none inside an ordinary word.
    pub fn find<'a>(&'a self, text: &str) -> Vec<(usize, &'a str, Category)> {
        let mut found: Vec<(usize, &str, Category)> = Vec::new();
        let mut next = 0; // the end of the last word found: words do not overlap
        for (at, c) in text.char_indices() {
            let (slot, mask) = bit(c);
            if at < next || self.first_bits[slot] & mask == 0 {
                continue;
            }
            let Some(candidates) = self.by_first.get(&c) else { continue };
            // Longest first, so 精神疾病 wins over a shorter word at the same place.
            for &i in candidates {
                let (word, category) = &self.words[i];
                let end = at + word.len();
                if text[at..].starts_with(word.as_str()) && !self.ordinary_at(text, at, end) {
                    found.push((at, word, *category));
                    next = end;
                    break;
                }
            }
        }
        found
    }

    /// Whether `text[at..end]` lies inside an ordinary word.
    fn ordinary_at(&self, text: &str, at: usize, end: usize) -> bool {
        self.ordinary.iter().any(|ordinary| {
            let from = floor(text, at.saturating_sub(ordinary.len()));
            text[from..]
                .match_indices(ordinary.as_str())
                .map(|(k, _)| from + k)
                .take_while(|k| *k <= at)
                .any(|k| k + ordinary.len() >= end)
        })
    }

    /// Whether `text` holds a sensitive word (a quick look before a file is read again).
    pub fn any_in(&self, text: &str) -> bool {
        !self.find(text).is_empty()
    }

    /// A warning at each sensitive word of a file: in a YAML file, in the values of [`FIELDS`];
    /// in Markdown (notices, introductions), anywhere. For `exempt`, also where details follow the
    /// category in brackets.
    pub fn locate(&self, source: &SourceText) -> Vec<Diagnostic> {
        let started = Instant::now();
        let found = self.locate_words(source);
        SPENT.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        found
    }

    fn locate_words(&self, source: &SourceText) -> Vec<Diagnostic> {
        let yaml = source.path.extension().is_some_and(|e| e == "yaml");
        let text = &source.text;
        let mut found: Vec<Diagnostic> = self
            .find(text)
            .into_iter()
            .filter(|(at, _, _)| !yaml || field_of(text, *at).is_some_and(|f| FIELDS.contains(&f)))
            .map(|(at, word, category)| {
                Diagnostic::warning(
                    &source.path,
                    format!("这里写了{}“{word}”，属于敏感个人信息，不宜公开", category.label()),
                )
                .at(source.position(at))
                .hint(format!(
                    "{}；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words",
                    category.hint()
                ))
            })
            .collect();
        if yaml {
            found.extend(exempt_details(source));
        }
        found
    }
}

/// `exempt: 年老体弱（年逾八旬，长期卧床）`: a warning at the bracket, since the category is all a
/// disclosure needs.
fn exempt_details(source: &SourceText) -> Vec<Diagnostic> {
    let text = &source.text;
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(at) = source.find_token_at("exempt", search) {
        search = at + "exempt".len();
        let rest = text[search..].trim_start_matches([' ', '\t']);
        let Some(value) = rest.strip_prefix(':') else { continue };
        let value_at = text.len() - value.len();
        let line = value.split('\n').next().unwrap_or("");
        // A flow mapping's value ends at `,` or `}` (brackets in a value are the full-width ones
        // a Chinese input method types, or ASCII inside quotes).
        let end = line.find(" #").unwrap_or(line.len());
        let Some(bracket) = line[..end].find(['（', '(']) else { continue };
        if field_of(text, value_at + bracket) != Some("exempt") {
            continue;
        }
        found.push(
            Diagnostic::warning(&source.path, "免责原因后面的括号里写了具体情况，这些会在网页上公开")
                .at(source.position(value_at + bracket))
                .hint("只写类别，如“年老体弱”“外出务工”“组织选派”；具体情况由支部掌握，不在网上公开"),
        );
    }
    found
}

/// The YAML key whose value holds byte `at`: the last `key:` before it on its line, else the key of
/// the nearest line above with less indentation (a value over several lines). `None` in a comment.
pub(crate) fn field_of(text: &str, at: usize) -> Option<&str> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    if before.trim_start().starts_with('#') || before.contains(" #") {
        return None;
    }
    if let Some(key) = last_key(before) {
        return Some(key);
    }
    let indent = indentation(&text[line_start..]);
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..end - 1];
        end = start;
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if indentation(line) < indent {
            return last_key(line);
        }
    }
    None
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

/// The last `key:` (ASCII letters, digits, `_`) followed by a space or the end in `segment`.
fn last_key(segment: &str) -> Option<&str> {
    let bytes = segment.as_bytes();
    let mut colon = segment.len();
    while let Some(at) = segment[..colon].rfind(':') {
        colon = at;
        if bytes.get(at + 1).is_some_and(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
            continue;
        }
        let start = segment[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + segment[i..].chars().next().map_or(1, char::len_utf8));
        let key = &segment[start..at];
        let lead = segment[..start].chars().next_back();
        if !key.is_empty() && lead.is_none_or(|c| matches!(c, ' ' | '\t' | '{' | ',' | '-' | '"' | '\'')) {
            return Some(key.trim_matches(['"', '\'']));
        }
    }
    None
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> SensitiveWords {
        let config: SiteConfig =
            serde_yaml::from_str("title: t\nbase_url: https://x/\nsensitive_words: [低保户]\n").unwrap();
        SensitiveWords::new(&config)
    }

    #[test]
    fn finds_words_but_not_inside_ordinary_ones() {
        let words = words();
        let found = |text: &str| words.find(text).into_iter().map(|(_, w, _)| w).collect::<Vec<_>>();
        assert_eq!(found("年逾八旬，长期卧床"), ["卧床"]);
        assert_eq!(found("协助一户残疾人家庭申请救助；本人肢体残疾"), ["残疾"]);
        assert_eq!(found("开展病虫害测报，全力以赴，严守党纪"), Vec::<&str>::new());
        assert_eq!(found("全年无违纪；另有一人违纪"), ["违纪"]);
        assert_eq!(found("患有精神疾病"), ["患有", "精神疾病"]);
        assert_eq!(found("帮扶低保户"), ["低保户"]);
    }

    #[test]
    fn fields_are_found_in_flow_block_and_folded_values() {
        let text = "members:\n  - { id: m1, exempt: 卧床, role: 书记 }\n  - id: m2\n    note: |\n      第一行\n      卧床\n# 卧床\nname: 卧床 # 卧床\n";
        let at = |needle: &str, nth: usize| text.match_indices(needle).nth(nth).unwrap().0;
        assert_eq!(field_of(text, at("卧床", 0)), Some("exempt"));
        assert_eq!(field_of(text, at("书记", 0)), Some("role"));
        assert_eq!(field_of(text, at("卧床", 1)), Some("note"));
        assert_eq!(field_of(text, at("卧床", 2)), None);
        assert_eq!(field_of(text, at("卧床", 3)), Some("name"));
        assert_eq!(field_of(text, at("卧床", 4)), None);
    }

    #[test]
    fn exempt_details_in_brackets_are_warned() {
        let source = SourceText {
            path: "content/a/b/unit.yaml".into(),
            text: "members:\n  - { id: m1, exempt: 年老体弱（已退休） }\n  - { id: m2, exempt: 外出务工 }\n  - id: m3\n    exempt: \"组织选派(援建)\" # （注）\n".into(),
        };
        let at: Vec<(usize, usize)> = exempt_details(&source).iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(2, 27), (5, 18)]);
    }
}
