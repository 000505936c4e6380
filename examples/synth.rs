//! Deterministic synthetic content for gongkai: a whole county (or city) of
//! units in content format v1 (docs/design.md §4), for benchmarks at the §8 tiers.
//!
//! ```text
//! cargo run --release --example synth -- --units 300 --seed 1 --out /tmp/county
//! ```
//!
//! Writes `OUT/content/`: `site.yaml`, `index.md`, county notices, sections of
//! about 25 units (townships for villages and communities, working committees
//! for agencies, enterprises and schools), each with `section.yaml` and
//! notices, and every unit's `unit.yaml`, `zones.yaml`, `posts.yaml`,
//! `assessments/<year>.yaml` for three years, notices and sometimes `index.md`.
//!
//! The same `--units` and `--seed` give the same bytes: each unit draws from
//! its own splitmix64 stream, only integer arithmetic decides anything, and
//! every collection is ordered. Only the standard library is used.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::fs::{self, File};
use std::io::{BufWriter, ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The assessment year of `site.yaml`; records and results cover it and the two before.
const YEAR: u32 = 2016;
const YEARS: [u32; 3] = [YEAR - 2, YEAR - 1, YEAR];
/// Units per section.
const SECTION_SIZE: usize = 25;

const USAGE: &str = "\
usage: synth --units N [--seed S] --out DIR

Writes a synthetic gongkai site root, DIR/content/..., with N units.
  --units N   number of units, at least 1 (county tier 300, city tier 3000)
  --seed S    64-bit seed, default 1; the same N and S give the same bytes
  --out DIR   site root to create; it must not exist or must be empty
";

/// `write!` into a `String`, which cannot fail.
macro_rules! put {
    ($dst:expr, $($arg:tt)*) => {{
        let _ = write!($dst, $($arg)*);
    }};
}

/// `writeln!` into a `String`, which cannot fail.
macro_rules! putln {
    ($dst:expr) => {
        $dst.push('\n')
    };
    ($dst:expr, $($arg:tt)*) => {{
        let _ = writeln!($dst, $($arg)*);
    }};
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("synth: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = check_out(&args.out).and_then(|()| generate(&args));
    match result {
        Ok(stats) => {
            println!(
                "synth: {} units in {} sections, {} members, {} files, {} bytes in {}",
                stats.units,
                stats.sections,
                stats.members,
                stats.files,
                stats.bytes,
                args.out.join("content").display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("synth: {message}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------
// Command line and output folder

struct Args {
    units: usize,
    seed: u64,
    out: PathBuf,
}

/// `Ok(None)` asks for the usage text.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut units, mut seed, mut out) = (None, 1_u64, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        if !matches!(flag.as_str(), "--units" | "--seed" | "--out") {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline {
            Some(value) => value,
            None => args.next().ok_or_else(|| format!("{flag} needs a value"))?,
        };
        match flag.as_str() {
            "--units" => {
                let n = value.parse::<usize>().ok().filter(|&n| n >= 1);
                units =
                    Some(n.ok_or_else(|| {
                        format!("--units wants a whole number of at least 1, not {value:?}")
                    })?);
            }
            "--seed" => {
                seed = value.parse().map_err(|_| {
                    format!("--seed wants a whole number from 0 to {}, not {value:?}", u64::MAX)
                })?;
            }
            _ => {
                if value.is_empty() {
                    return Err("--out needs a folder".to_owned());
                }
                out = Some(PathBuf::from(value));
            }
        }
    }
    let units = units.ok_or("--units is required")?;
    let out = out.ok_or("--out is required")?;
    Ok(Some(Args { units, seed, out }))
}

/// Refuses anything but a missing or empty folder, so nothing is ever clobbered.
fn check_out(out: &Path) -> Result<(), String> {
    match fs::metadata(out) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot inspect {}: {e}", out.display())),
        Ok(meta) if !meta.is_dir() => Err(format!("{} exists and is not a folder", out.display())),
        Ok(_) => {
            let mut entries = fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
            if entries.next().is_some() {
                Err(format!("refusing to write into {}: the folder is not empty", out.display()))
            } else {
                Ok(())
            }
        }
    }
}

#[derive(Default)]
struct Stats {
    units: usize,
    sections: usize,
    members: usize,
    files: u64,
    bytes: u64,
    /// Folders already made; a failing `mkdir` costs as much as a file.
    dirs: BTreeSet<PathBuf>,
}

impl Stats {
    /// Writes one new file; `create_new` refuses to replace anything.
    fn write(&mut self, path: &Path, text: &str) -> Result<(), String> {
        if let Some(parent) = path.parent().filter(|p| !self.dirs.contains(*p)) {
            fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
            self.dirs.insert(parent.to_path_buf());
        }
        let file = File::create_new(path).map_err(|e| format!("creating {}: {e}", path.display()))?;
        let mut out = BufWriter::new(file);
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Randomness: splitmix64, integers only, so every platform gives the same bytes

struct Rng(u64);

impl Rng {
    /// An independent stream per unit, so one unit's draws never shift another's.
    fn stream(seed: u64, stream: u64) -> Self {
        let mut mix = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(mix.next_u64())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// Uniform in `-d..=d`.
    fn spread(&mut self, d: i32) -> i32 {
        self.below((2 * d + 1) as usize) as i32 - d
    }

    fn per_mille(&mut self, p: usize) -> bool {
        self.below(1000) < p
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Leans towards the front of the table (common surnames first).
    fn pick_common<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let (a, b) = (self.below(items.len()), self.below(items.len()));
        &items[a.min(b)]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// `k` distinct items, in table order.
    fn choose<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut index: Vec<usize> = (0..items.len()).collect();
        self.shuffle(&mut index);
        index.truncate(k);
        index.sort_unstable();
        index.into_iter().map(|i| items[i]).collect()
    }

    /// A landline in the Langfang area code, never a mobile number.
    fn landline(&mut self) -> String {
        format!("0316-{}{:06}", self.range(5, 8), self.below(1_000_000))
    }

    /// An 11-digit mobile number starting 13, 15 or 18.
    fn mobile(&mut self) -> String {
        format!("1{}{:09}", self.pick(&[3, 5, 8]), self.below(1_000_000_000))
    }

    fn date(&mut self, y: u32, months: (u32, u32)) -> Date {
        Date { y, m: self.range(months.0, months.1), d: self.range(1, 28) }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    y: u32,
    m: u32,
    d: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

impl Date {
    fn cn(self) -> String {
        format!("{}年{}月{}日", self.y, self.m, self.d)
    }
}

/// Chinese numerals for small counts (一 … 九十九); larger ones stay Arabic.
fn cn(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    let ones = if ones == 0 { "" } else { DIGITS[ones] };
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{ones}"),
        20..=99 => format!("{}十{ones}", DIGITS[tens]),
        _ => n.to_string(),
    }
}

// ---------------------------------------------------------------------------
// YAML scalars

/// A string scalar, plain when it cannot be misread, double-quoted otherwise.
struct Y<'a>(&'a str);

impl fmt::Display for Y<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if plain_ok(self.0) {
            return f.write_str(self.0);
        }
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                _ => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// Plain is safe in block and flow context: Chinese text with a few harmless
/// ASCII characters, ids like `m001`, or a landline like `0316-8812345`.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.is_ascii() {
        let word = first.is_ascii_lowercase()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !matches!(s, "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null");
        let landline = s.split_once('-').is_some_and(|(area, number)| {
            (3..=4).contains(&area.len())
                && (7..=8).contains(&number.len())
                && area.bytes().chain(number.bytes()).all(|b| b.is_ascii_digit())
        });
        return word || landline;
    }
    (!first.is_ascii() || first.is_ascii_alphanumeric())
        && s.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '(' | ')' | '/')
            } else {
                !c.is_whitespace() && !matches!(c, '\u{85}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
            }
        })
}

// ---------------------------------------------------------------------------
// Name tables; pinyin beside every part that becomes a slug

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
    "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白",
    "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺",
    "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "常", "温",
    "康", "施", "牛", "齐", "耿", "霍",
];

const GIVEN: &[&str] = &[
    "建", "国", "华", "明", "军", "伟", "强", "敏", "静", "丽", "秀", "英", "志", "海", "平", "红", "霞",
    "玉", "兰", "芳", "文", "德", "福", "春", "林", "杰", "涛", "鹏", "超", "磊", "勇", "刚", "峰", "斌",
    "辉", "俊", "婷", "娟", "艳", "燕", "梅", "琴", "云", "凤", "桂", "荣", "淑", "珍", "宝", "成", "立",
    "新", "东", "亮", "波", "宁", "永", "庆", "振", "学", "金", "山", "青", "卫", "民", "洪", "光", "友",
    "义", "胜", "利", "世", "全", "家", "子", "浩", "宇", "欣", "怡", "佳", "雪", "晨", "悦", "瑞", "鑫",
    "泽", "凯", "慧", "晓", "素", "彩", "秋", "连", "长", "保", "满",
];

type Part = (&'static str, &'static str);

#[rustfmt::skip]
const TOWN_PARTS: &[Part] = &[
    ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("杨", "yang"), ("柳", "liu"),
    ("河", "he"), ("桥", "qiao"), ("安", "an"), ("平", "ping"), ("兴", "xing"), ("丰", "feng"),
    ("永", "yong"), ("庆", "qing"), ("宁", "ning"), ("泉", "quan"), ("山", "shan"), ("林", "lin"),
    ("石", "shi"), ("马", "ma"), ("黄", "huang"), ("白", "bai"), ("龙", "long"), ("金", "jin"),
    ("高", "gao"), ("新", "xin"), ("集", "ji"), ("店", "dian"), ("屯", "tun"), ("营", "ying"),
    ("庄", "zhuang"), ("湾", "wan"), ("坊", "fang"), ("固", "gu"), ("仁", "ren"), ("和", "he"),
];

#[rustfmt::skip]
const VILLAGE_PREFIX: &[Part] = &[
    ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("前", "qian"), ("后", "hou"),
    ("大", "da"), ("小", "xiao"), ("上", "shang"), ("下", "xia"), ("新", "xin"), ("中", "zhong"),
    ("老", "lao"), ("沙", "sha"), ("河", "he"), ("坨", "tuo"),
];

#[rustfmt::skip]
const VILLAGE_MIDDLE: &[Part] = &[
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("赵", "zhao"), ("孙", "sun"), ("马", "ma"), ("高", "gao"), ("郭", "guo"), ("何", "he"),
    ("韩", "han"), ("冯", "feng"), ("董", "dong"), ("曹", "cao"), ("崔", "cui"), ("田", "tian"),
    ("史", "shi"), ("侯", "hou"), ("孟", "meng"), ("白", "bai"), ("贾", "jia"), ("齐", "qi"),
];

#[rustfmt::skip]
const VILLAGE_SUFFIX: &[Part] = &[
    ("庄", "zhuang"), ("营", "ying"), ("屯", "tun"), ("店", "dian"), ("寨", "zhai"), ("堡", "pu"),
    ("家务", "jiawu"), ("各庄", "gezhuang"), ("辛庄", "xinzhuang"), ("官屯", "guantun"),
    ("口", "kou"), ("桥", "qiao"), ("坨", "tuo"), ("洼", "wa"),
];

#[rustfmt::skip]
const COMMUNITY_WORD: &[Part] = &[
    ("幸福", "xingfu"), ("和平", "heping"), ("建设", "jianshe"), ("光明", "guangming"),
    ("文化", "wenhua"), ("胜利", "shengli"), ("朝阳", "chaoyang"), ("新华", "xinhua"),
    ("团结", "tuanjie"), ("振兴", "zhenxing"), ("康乐", "kangle"), ("锦绣", "jinxiu"),
    ("育才", "yucai"), ("花园", "huayuan"), ("友谊", "youyi"), ("民主", "minzhu"),
    ("安居", "anju"), ("永安", "yongan"), ("惠民", "huimin"), ("怡和", "yihe"), ("银河", "yinhe"),
    ("广阳", "guangyang"), ("新开", "xinkai"), ("爱民", "aimin"), ("金光", "jinguang"),
];

#[rustfmt::skip]
const COMMUNITY_TAIL: &[Part] = &[
    ("", ""), ("", ""), ("里", "li"), ("苑", "yuan"), ("路", "lu"), ("街", "jie"),
    ("东", "dong"), ("西", "xi"),
];

#[rustfmt::skip]
const AGENCIES: &[Part] = &[
    ("财政局", "caizhengju"), ("发展和改革局", "fagaiju"), ("教育局", "jiaoyuju"),
    ("民政局", "minzhengju"), ("人力资源和社会保障局", "renshe"), ("住房和城乡建设局", "zhujian"),
    ("交通运输局", "jiaotong"), ("水务局", "shuiwu"), ("农业局", "nongye"),
    ("卫生和计划生育局", "weiji"), ("审计局", "shenji"), ("统计局", "tongji"), ("司法局", "sifa"),
    ("商务局", "shangwu"), ("文化广电新闻出版局", "wenguangxin"), ("林业局", "linye"),
    ("国土资源局", "guotu"), ("环境保护局", "huanbao"), ("安全生产监督管理局", "anjian"),
    ("市场监督管理局", "shichang-jianguan"), ("公安局", "gongan"), ("人民法院", "fayuan"),
    ("人民检察院", "jianchayuan"), ("档案局", "danganju"), ("供销合作社", "gongxiaoshe"),
    ("科学技术局", "kejiju"), ("粮食局", "liangshiju"), ("人民政府办公室", "zhengfuban"),
    ("信访局", "xinfangju"), ("地方税务局", "dishui"), ("国家税务局", "guoshui"),
    ("畜牧兽医局", "xumu"), ("扶贫开发办公室", "fupinban"), ("行政审批局", "shenpiju"),
    ("城市管理综合执法局", "chengguan"), ("总工会", "zonggonghui"),
];

#[rustfmt::skip]
const ENTERPRISE_PREFIX: &[Part] = &[
    ("示范", "shifan"), ("华北", "huabei"), ("宏达", "hongda"), ("金星", "jinxing"),
    ("恒通", "hengtong"), ("永兴", "yongxing"), ("鑫源", "xinyuan"), ("隆盛", "longsheng"),
    ("东方", "dongfang"), ("利民", "limin"), ("长城", "changcheng"), ("国泰", "guotai"),
    ("安泰", "antai"), ("万丰", "wanfeng"), ("瑞丰", "ruifeng"), ("燕京", "yanjing"),
];

#[rustfmt::skip]
const ENTERPRISE_TRADE: &[Part] = &[
    ("机械厂", "jixie"), ("纺织有限公司", "fangzhi"), ("家具有限公司", "jiaju"),
    ("建材有限公司", "jiancai"), ("食品有限公司", "shipin"), ("化工有限公司", "huagong"),
    ("钢结构有限公司", "gangjiegou"), ("印刷厂", "yinshua"), ("物流有限公司", "wuliu"),
    ("电器有限公司", "dianqi"), ("塑料制品厂", "suliao"), ("农机制造有限公司", "nongji"),
];

const ROADS: &[&str] = &[
    "人民路",
    "建设路",
    "解放路",
    "新华路",
    "和平路",
    "光明路",
    "迎宾路",
    "文化路",
    "育才路",
    "朝阳路",
    "胜利街",
    "府前街",
];

const STREETS: &[&str] = &[
    "东大街",
    "西大街",
    "南大街",
    "北大街",
    "前街",
    "后街",
    "中心街",
    "新村路",
    "胜利路",
    "建设路",
    "河沿街",
    "学校路",
    "果园路",
    "东环路",
    "西环路",
    "文化街",
    "兴隆街",
    "光明路",
    "幸福路",
    "民主街",
];

const ESTATES: &[&str] = &[
    "幸福家园",
    "锦绣花园",
    "阳光小区",
    "新华苑",
    "金色港湾",
    "和平里",
    "建设小区",
    "电业小区",
    "教师小区",
    "春晖苑",
    "世纪花园",
    "华安小区",
    "康乐园",
    "翠竹苑",
    "怡景园",
];

const AGENCY_OFFICES: &[&str] = &[
    "办公室",
    "综合科",
    "财务科",
    "人事科",
    "政策法规科",
    "监察室",
    "业务一科",
    "业务二科",
    "信访室",
    "政务服务窗口",
    "档案室",
    "后勤服务中心",
    "规划科",
    "信息中心",
];

const WORKSHOPS: &[&str] = &[
    "一车间",
    "二车间",
    "三车间",
    "装配车间",
    "机加工车间",
    "质检部",
    "仓储物流部",
    "销售部",
    "技术研发中心",
    "安全环保部",
    "动力车间",
    "包装车间",
    "供应部",
];

const SCHOOL_STAFF_PLACES: &[(&str, &str)] = &[
    ("后勤服务组", "学校食堂、锅炉房及校园绿化"),
    ("图书馆", "图书馆及学生阅览室"),
    ("实验室", "综合楼理化生实验室"),
    ("校园安保组", "学校大门及校园周界"),
    ("教务处", "综合楼二层教务处"),
    ("宿舍管理组", "学生宿舍楼及洗衣房"),
];

// ---------------------------------------------------------------------------
// Kinds and sections

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Village,
    Community,
    Agency,
    Enterprise,
    School,
}

impl Kind {
    const ALL: [Kind; 5] = [Kind::Village, Kind::Community, Kind::Agency, Kind::Enterprise, Kind::School];
    /// Share of units per mille, in the order of `ALL`.
    const SHARE: [usize; 5] = [550, 170, 140, 90, 50];

    fn key(self) -> &'static str {
        match self {
            Kind::Village => "village",
            Kind::Community => "community",
            Kind::Agency => "agency",
            Kind::Enterprise => "enterprise",
            Kind::School => "school",
        }
    }

    /// What a zone is called in this kind of unit.
    fn zone_word(self) -> &'static str {
        match self {
            Kind::Village => "片区",
            Kind::Community => "楼栋单元",
            Kind::Agency => "科室",
            Kind::Enterprise => "岗位",
            Kind::School => "年级",
        }
    }

    /// Who the members serve.
    fn people(self) -> &'static str {
        match self {
            Kind::Village => "农户",
            Kind::Community => "居民",
            Kind::Agency => "服务对象",
            Kind::Enterprise => "职工",
            Kind::School => "师生",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SchoolLevel {
    Middle,
    Primary,
    Vocational,
}

struct Section {
    slug: String,
    name: String,
    /// Where objections to assessment results go.
    office: String,
    phone: String,
    town: bool,
    kinds: Vec<Kind>,
}

/// Units of each kind; every kind appears once there are five units.
fn kind_counts(units: usize) -> [usize; 5] {
    let mut counts = [0; 5];
    if units < Kind::ALL.len() {
        counts.iter_mut().take(units).for_each(|c| *c = 1);
        return counts;
    }
    for (count, share) in counts.iter_mut().zip(Kind::SHARE).skip(1) {
        *count = (units * share / 1000).max(1);
    }
    counts[0] = units - counts[1..].iter().sum::<usize>();
    counts
}

/// Sizes of near-equal chunks of at most about `SECTION_SIZE`.
fn chunk_sizes(total: usize) -> Vec<usize> {
    let chunks = total.div_ceil(SECTION_SIZE);
    (0..chunks).map(|i| total / chunks + usize::from(i < total % chunks)).collect()
}

fn plan_sections(units: usize, rng: &mut Rng, registry: &mut Registry) -> Vec<Section> {
    let counts = kind_counts(units);
    let mut sections = Vec::new();

    let mut town: Vec<Kind> = std::iter::repeat_n(Kind::Village, counts[0])
        .chain(std::iter::repeat_n(Kind::Community, counts[1]))
        .collect();
    rng.shuffle(&mut town);
    let mut rest = &town[..];
    for (i, size) in chunk_sizes(town.len()).into_iter().enumerate() {
        let (kinds, tail) = rest.split_at(size);
        rest = tail;
        let (name, slug) = registry.township(i, rng);
        sections.push(Section {
            office: format!("{name}党委组织办公室"),
            phone: rng.landline(),
            slug,
            name,
            town: true,
            kinds: kinds.to_vec(),
        });
    }

    let committees = [
        (Kind::Agency, counts[2], "县直机关工委", "xianzhi-jiguan"),
        (Kind::Enterprise, counts[3], "县企业工委", "qiye-gongwei"),
        (Kind::School, counts[4], "县教育工委", "jiaoyu-gongwei"),
    ];
    for (kind, count, base, slug_base) in committees {
        for (i, size) in chunk_sizes(count).into_iter().enumerate() {
            let (name, slug) = if i == 0 {
                (base.to_owned(), slug_base.to_owned())
            } else {
                (format!("{base}第{}分会", cn(i + 1)), format!("{slug_base}-{}", i + 1))
            };
            registry.slugs.insert(slug.clone());
            sections.push(Section {
                office: format!("{name}组织办公室"),
                phone: rng.landline(),
                slug,
                name,
                town: false,
                kinds: vec![kind; size],
            });
        }
    }
    sections
}

/// Names and slugs handed out so far, so that every one is unique.
#[derive(Default)]
struct Registry {
    names: BTreeMap<String, usize>,
    slugs: BTreeSet<String>,
    schools: BTreeMap<&'static str, usize>,
}

impl Registry {
    /// The `n`th use of a name base and a slug no one has yet.
    fn claim(&mut self, base: &str, slug_base: &str) -> (usize, String) {
        loop {
            let n = self.names.entry(base.to_owned()).or_insert(0);
            *n += 1;
            let n = *n;
            let slug = if n == 1 { slug_base.to_owned() } else { format!("{slug_base}-{n}") };
            if self.slugs.insert(slug.clone()) {
                return (n, slug);
            }
        }
    }

    fn township(&mut self, index: usize, rng: &mut Rng) -> (String, String) {
        if index == 0 {
            self.slugs.insert("chengguanzhen".to_owned());
            self.names.insert("城关镇".to_owned(), 1);
            return ("城关镇".to_owned(), "chengguanzhen".to_owned());
        }
        for _ in 0..40 {
            let (a, b) = (rng.pick(TOWN_PARTS), rng.pick(TOWN_PARTS));
            let (suffix, pinyin) = if rng.percent(70) { ("镇", "zhen") } else { ("乡", "xiang") };
            let name = format!("{}{}{suffix}", a.0, b.0);
            let slug = format!("{}{}{pinyin}", a.1, b.1);
            if a.0 != b.0 && !self.names.contains_key(&name) && !self.slugs.contains(&slug) {
                self.names.insert(name.clone(), 1);
                self.slugs.insert(slug.clone());
                return (name, slug);
            }
        }
        let slug = format!("section-{:03}", index + 1);
        self.slugs.insert(slug.clone());
        (format!("第{}镇", index + 1), slug)
    }

    fn unit(&mut self, kind: Kind, rng: &mut Rng) -> Ident {
        let numbered = |base: &str, n: usize, tail: &str| {
            if n == 1 { format!("{base}{tail}") } else { format!("{base}{}{tail}", cn(n)) }
        };
        let (name, slug, stem, level) = match kind {
            Kind::Village => {
                let (p, m, s) =
                    (rng.pick(VILLAGE_PREFIX), rng.pick(VILLAGE_MIDDLE), rng.pick(VILLAGE_SUFFIX));
                let (n, slug) =
                    self.claim(&format!("{}{}{}", p.0, m.0, s.0), &format!("{}{}{}", p.1, m.1, s.1));
                let name = numbered(&format!("{}{}{}", p.0, m.0, s.0), n, "村");
                (name.clone(), slug, name, None)
            }
            Kind::Community => {
                let (w, t) = (rng.pick(COMMUNITY_WORD), rng.pick(COMMUNITY_TAIL));
                let (n, slug) = self.claim(&format!("{}{}", w.0, t.0), &format!("{}{}", w.1, t.1));
                let name = numbered(&format!("{}{}", w.0, t.0), n, "社区");
                (name.clone(), slug, name, None)
            }
            Kind::Agency => {
                let a = rng.pick(AGENCIES);
                let (n, slug) = self.claim(a.0, a.1);
                let base = format!("县{}", a.0);
                if n == 1 {
                    (base.clone(), slug, format!("{base}机关"), None)
                } else {
                    let branch = format!("第{}", cn(n));
                    (format!("{base}{branch}党支部"), slug, format!("{base}机关{branch}"), None)
                }
            }
            Kind::Enterprise => {
                let (p, t) = (rng.pick(ENTERPRISE_PREFIX), rng.pick(ENTERPRISE_TRADE));
                let base = format!("{}{}", p.0, t.0);
                let (n, slug) = self.claim(&base, &format!("{}-{}", p.1, t.1));
                if n == 1 {
                    (base.clone(), slug, base, None)
                } else {
                    let branch = format!("第{}", cn(n));
                    (format!("{base}{branch}党支部"), slug, format!("{base}{branch}"), None)
                }
            }
            Kind::School => {
                let roll = rng.below(100);
                let level = match roll {
                    0..50 => SchoolLevel::Middle,
                    50..88 => SchoolLevel::Primary,
                    _ => SchoolLevel::Vocational,
                };
                let key = match level {
                    SchoolLevel::Middle => "zhongxue",
                    SchoolLevel::Primary => "xiaoxue",
                    SchoolLevel::Vocational => "zhiye-xuexiao",
                };
                let n = self.schools.entry(key).or_insert(0);
                *n += 1;
                let n = *n;
                let name = match level {
                    SchoolLevel::Middle => format!("第{}中学", cn(n)),
                    SchoolLevel::Primary => format!("第{}小学", cn(n)),
                    SchoolLevel::Vocational if n == 1 => "县职业技术教育中心".to_owned(),
                    SchoolLevel::Vocational => format!("县第{}职业技术学校", cn(n)),
                };
                let slug = if level == SchoolLevel::Vocational && n == 1 {
                    "zhijiao-zhongxin".to_owned()
                } else {
                    format!("{key}-{n}")
                };
                self.slugs.insert(slug.clone());
                (name.clone(), slug, name, Some(level))
            }
        };
        Ident { kind, name, slug, stem, level }
    }
}

struct Ident {
    kind: Kind,
    name: String,
    slug: String,
    /// The organisation's name before 支部 / 总支部 / 党委.
    stem: String,
    level: Option<SchoolLevel>,
}

// ---------------------------------------------------------------------------
// The unit model

struct Member {
    id: String,
    name: String,
    group: usize,
    role: Option<&'static str>,
    joined: Option<u32>,
    phone: Option<String>,
    category: Option<&'static str>,
    exempt: Option<&'static str>,
}

struct Group {
    id: String,
    name: String,
    leader: usize,
}

struct Zone {
    id: String,
    name: String,
    group: usize,
    members: Vec<usize>,
    area: String,
    households: Option<u32>,
    partners: Vec<(String, &'static str)>,
    description: Option<String>,
}

struct Post {
    member: usize,
    title: &'static str,
    duties: Vec<&'static str>,
    commitments: Vec<&'static str>,
    records: Vec<(Date, String)>,
}

struct Score {
    member: usize,
    own: u32,
    masses: u32,
    organization: u32,
    vanguard: bool,
    action: Option<&'static str>,
    note: Option<&'static str>,
}

impl Score {
    /// The weighted total in tenths (self 0.2, masses 0.4, organization 0.4),
    /// exact in integers.
    fn tenths(&self) -> u32 {
        2 * self.own + 4 * self.masses + 4 * self.organization
    }
}

/// 优秀, 合格, 基本合格, 不合格 by the default grade table.
fn grade(tenths: u32) -> usize {
    match tenths {
        900.. => 0,
        700..900 => 1,
        600..700 => 2,
        _ => 3,
    }
}

struct Notice {
    date: Date,
    slug: String,
    title: String,
    body: String,
}

struct Unit {
    ident: Ident,
    organization: String,
    contact: (String, String),
    supervision: (String, String),
    groups: Vec<Group>,
    members: Vec<Member>,
    zones: Vec<Zone>,
    posts: Vec<Post>,
    assessments: Vec<(u32, Vec<Score>)>,
    notices: Vec<Notice>,
    intro: Option<String>,
}

impl Unit {
    fn zone_of(&self, member: usize) -> Option<&Zone> {
        self.zones.iter().find(|z| z.members.contains(&member))
    }

    fn results(&self, year: u32) -> &[Score] {
        self.assessments.iter().find(|(y, _)| *y == year).map_or(&[], |(_, r)| r.as_slice())
    }
}

// ---------------------------------------------------------------------------
// Building a unit

/// 5 plus a negative binomial (r = 3, p = 3/38): mean 40, median about 35,
/// a tail past 100, drawn with integer trials only.
fn member_count(rng: &mut Rng) -> usize {
    let (mut successes, mut failures) = (0, 0);
    while successes < 3 {
        if rng.below(38) < 3 {
            successes += 1;
        } else {
            failures += 1;
        }
    }
    5 + failures
}

fn person_name(rng: &mut Rng, taken: &mut BTreeSet<String>) -> String {
    loop {
        let mut name = String::from(*rng.pick_common(SURNAMES));
        for _ in 0..1 + usize::from(rng.percent(70)) {
            let given = *rng.pick(GIVEN);
            name.push_str(given);
        }
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

fn build_unit(ident: Ident, section: &Section, rng: &mut Rng) -> Unit {
    let kind = ident.kind;
    let n = member_count(rng);
    let (branch, secretary) = match n {
        100.. => ("", "党委书记"),
        50..100 => ("总支部", "总支书记"),
        _ => ("支部", "支部书记"),
    };
    let organization = format!("中共{}{branch}委员会", ident.stem);
    let mut taken = BTreeSet::new();
    // About ten members a group, never more groups than members.
    let group_count = ((n + 5) / 10).max(1);
    let mut members = build_members(&ident, n, group_count, secretary, &mut taken, rng);
    let groups = build_groups(&mut members, group_count);
    let zones = build_zones(&ident, &members, groups.len(), &mut taken, rng);
    let posts = build_posts(kind, &members, &zones, rng);
    // A member's standing carries over the years; each year adds noise.
    let standing: Vec<i32> = (0..n)
        .map(|_| {
            if rng.percent(4) {
                rng.range(55, 68) as i32
            } else {
                67 + ((rng.below(32) + rng.below(32)) / 2) as i32
            }
        })
        .collect();
    let assessments = YEARS.iter().map(|&year| (year, build_scores(&members, &standing, rng))).collect();

    let road = rng.pick(ROADS);
    let number = rng.range(1, 199);
    let (address, mailbox) = match kind {
        Kind::Village => (format!("{}党群服务中心", ident.name), "村委会门口意见箱".to_owned()),
        Kind::Community => (format!("{}党群服务站", ident.name), "社区服务站大厅意见箱".to_owned()),
        Kind::Agency => (format!("县城{road}{number}号{}", ident.stem), "办公楼一楼大厅意见箱".to_owned()),
        Kind::Enterprise => (format!("县经济开发区{road}{number}号"), "厂区大门口意见箱".to_owned()),
        Kind::School => (format!("县城{road}{number}号"), "学校传达室意见箱".to_owned()),
    };
    let mut unit = Unit {
        organization,
        contact: (rng.landline(), address),
        supervision: (rng.landline(), mailbox),
        groups,
        members,
        zones,
        posts,
        assessments,
        notices: Vec::new(),
        intro: None,
        ident,
    };
    unit.notices = unit_notices(&unit, section, rng);
    if rng.percent(40) {
        unit.intro = Some(unit_intro(&unit, section, rng));
    }
    unit
}

fn build_members(
    ident: &Ident,
    n: usize,
    group_count: usize,
    secretary: &'static str,
    taken: &mut BTreeSet<String>,
    rng: &mut Rng,
) -> Vec<Member> {
    let committee: &[&str] = match n {
        15.. => &["副书记", "组织委员", "宣传委员", "纪检委员"],
        7..15 => &["组织委员", "宣传委员"],
        _ => &[],
    };
    let width = n.to_string().len().max(3);
    (0..n)
        .map(|i| {
            let name = person_name(rng, taken);
            let role = if i == 0 { Some(secretary) } else { committee.get(i - 1).copied() };
            let category = ident.level.map(|level| {
                let roll = rng.below(100);
                match (level, roll) {
                    _ if i == 0 => "teacher",
                    (SchoolLevel::Vocational, 0..60) => "teacher",
                    (SchoolLevel::Vocational, 60..75) => "staff",
                    (SchoolLevel::Vocational, _) => "student",
                    (_, 0..80) => "teacher",
                    _ => "staff",
                }
            });
            let exempt = (role.is_none() && rng.per_mille(55)).then(|| match (ident.kind, category) {
                (_, Some("student")) => "外出流动",
                (Kind::Village | Kind::Community, _) => {
                    *rng.pick(&["年老体弱", "年老体弱", "外出务工", "外出务工", "外出流动"])
                }
                _ => *rng.pick(&["年老体弱", "外出流动"]),
            });
            let joined = rng.percent(90).then(|| match (exempt, category, role) {
                (Some("年老体弱"), _, _) => rng.range(1956, 1985),
                (_, Some("student"), _) => rng.range(2011, 2013),
                (_, _, Some(_)) => rng.range(1980, 2008),
                _ => 1975 + (rng.range(0, 38) + rng.range(0, 38)) / 2,
            });
            let phone = rng.percent(50).then(|| rng.mobile());
            Member {
                id: format!("m{:0width$}", i + 1),
                name,
                group: i % group_count,
                role,
                joined,
                phone,
                category,
                exempt,
            }
        })
        .collect()
}

/// Members are dealt round-robin into groups; each group's leader is an
/// active member of it, preferably not the secretary.
fn build_groups(members: &mut [Member], count: usize) -> Vec<Group> {
    (0..count)
        .map(|g| {
            let in_group: Vec<usize> = (g..members.len()).step_by(count).collect();
            let active = |i: &usize| members[*i].exempt.is_none();
            let leader = in_group
                .iter()
                .copied()
                .find(|i| *i != 0 && active(i))
                .or_else(|| in_group.iter().copied().find(active));
            let leader = leader.unwrap_or_else(|| {
                members[in_group[0]].exempt = None;
                in_group[0]
            });
            if members[leader].role.is_none() {
                members[leader].role = Some("党小组长");
            }
            Group { id: format!("g{}", g + 1), name: format!("第{}党小组", cn(g + 1)), leader }
        })
        .collect()
}

fn unique_name(names: &mut BTreeSet<String>, base: String) -> String {
    if names.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}（{}）", cn(n));
        if names.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// Where a zone is: its name, the area text search finds, and households.
struct Place {
    name: String,
    area: String,
    households: Option<u32>,
}

/// Hands out zone places in the way each kind of unit draws them.
struct ZoneMaker {
    kind: Kind,
    level: Option<SchoolLevel>,
    /// Street, next house number, zones on it so far.
    streets: Vec<(&'static str, u32, usize)>,
    /// Estate, buildings used so far.
    estates: Vec<(&'static str, u32)>,
    /// A building whose stairwells are being handed out one by one.
    building: Option<Building>,
    offices: Vec<&'static str>,
    next_office: usize,
    /// Next free office room: floor, room on the floor.
    room: (u32, u32),
    /// Grade, next class number.
    grades: Vec<(&'static str, u32)>,
    next_grade: usize,
    dorms: u32,
    names: BTreeSet<String>,
    /// How areas are worded (1-28号, 1号至28号, 3栋 …): a stream of its own, so the wording
    /// moves no other draw of the unit.
    style: Rng,
}

struct Building {
    estate: &'static str,
    number: u32,
    next_stair: u32,
    stairs: u32,
    floors: u32,
}

impl ZoneMaker {
    fn new(ident: &Ident, zones: usize, rng: &mut Rng) -> Self {
        let street_count = (zones / 3 + 2).min(STREETS.len());
        let streets =
            rng.choose(STREETS, street_count).into_iter().map(|s| (s, rng.range(1, 9), 0)).collect();
        let estate_count = rng.range(2, 4) as usize;
        let estates = rng.choose(ESTATES, estate_count).into_iter().map(|e| (e, 0)).collect();
        let mut offices = match ident.kind {
            Kind::Enterprise => WORKSHOPS.to_vec(),
            _ => AGENCY_OFFICES.to_vec(),
        };
        rng.shuffle(&mut offices);
        let grades: &[&str] = match ident.level {
            Some(SchoolLevel::Middle) => {
                &["初一年级", "初二年级", "初三年级", "高一年级", "高二年级", "高三年级"]
            }
            Some(SchoolLevel::Vocational) => &["一年级", "二年级", "三年级"],
            _ => &["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"],
        };
        // Seeded from the unit's stream without drawing from it.
        let style = Rng::stream(rng.0, 0x0053_5459_4C45);
        ZoneMaker {
            style,
            kind: ident.kind,
            level: ident.level,
            streets,
            estates,
            building: None,
            offices,
            next_office: 0,
            room: (1, 1),
            grades: grades.iter().map(|&g| (g, 1)).collect(),
            next_grade: 0,
            dorms: 0,
            names: BTreeSet::new(),
        }
    }

    fn next(&mut self, category: Option<&str>, rng: &mut Rng) -> Place {
        let place = match self.kind {
            Kind::Village => self.village(rng),
            Kind::Community => self.community(rng),
            Kind::Agency | Kind::Enterprise => self.office(rng),
            Kind::School => self.school(category, rng),
        };
        Place { name: unique_name(&mut self.names, place.name), ..place }
    }

    fn village(&mut self, rng: &mut Rng) -> Place {
        let i = rng.below(self.streets.len());
        let (street, next, zones) = &mut self.streets[i];
        *zones += 1;
        let len = rng.range(8, 30);
        let (start, end) = (*next, *next + len - 1);
        *next = end + 1 + rng.range(0, 2);
        // The forms webmasters write (docs/content-format.md, section 8), most often the first.
        let mut area = match self.style.below(100) {
            0..=59 => format!("{street}{start}号至{end}号"),
            60..=69 => format!("{street}{start}-{end}号"),
            70..=74 => format!("{street}{start}～{end}号"),
            75..=79 => format!("{street}{start}号到{end}号"),
            // A gap for a school or a yard between two runs of houses.
            80..=89 if end - start >= 6 => {
                let mid = start + (end - start) / 2;
                format!("{street}{start}号至{mid}号、{}号至{end}号", mid + 2)
            }
            90..=94 => format!("{street}{start}号至{end}号单号"),
            95..=99 => format!("{street}{start}号至{end}号双号"),
            _ => format!("{street}{start}号至{end}号"),
        };
        if rng.percent(25) {
            put!(area, "（第{}村民小组）", cn(rng.range(1, 9) as usize));
        }
        Place {
            name: format!("{street}{}片", cn(*zones)),
            area,
            households: Some(len + rng.range(0, len / 3)),
        }
    }

    fn new_building(&mut self, rng: &mut Rng) -> Building {
        let i = rng.below(self.estates.len());
        let (estate, used) = &mut self.estates[i];
        *used += 1;
        Building {
            estate,
            number: *used,
            next_stair: 1,
            stairs: rng.range(2, 6),
            floors: *rng.pick(&[5, 6, 6, 11, 18]),
        }
    }

    /// 支部党员包楼宇、辖区党员联单元: a whole building or one stairwell.
    fn community(&mut self, rng: &mut Rng) -> Place {
        if rng.percent(45) {
            let b = self.new_building(rng);
            let (estate, number, stairs) = (b.estate, b.number, b.stairs);
            let area = match self.style.below(100) {
                0..=49 => format!("{estate}{number}号楼1至{stairs}单元"),
                50..=64 => format!("{estate}{number}号楼1-{stairs}单元"),
                65..=79 => format!("{estate}{number}栋"),
                _ => {
                    let list: Vec<String> = (1..=stairs).map(|s| s.to_string()).collect();
                    format!("{estate}{number}号楼{}单元", list.join("、"))
                }
            };
            return Place {
                name: format!("{}{}号楼", b.estate, b.number),
                area,
                households: Some(b.stairs * b.floors * 2),
            };
        }
        let mut b = match self.building.take() {
            Some(b) if b.next_stair <= b.stairs => b,
            _ => self.new_building(rng),
        };
        let stair = b.next_stair;
        b.next_stair += 1;
        let area = match self.style.below(100) {
            0..=54 => format!("{}{}号楼{stair}单元1至{}层", b.estate, b.number, b.floors),
            55..=89 => format!("{}{}号楼{stair}单元", b.estate, b.number),
            _ => format!("{}{}栋{stair}单元", b.estate, b.number),
        };
        let place = Place {
            name: format!("{}{}号楼{stair}单元", b.estate, b.number),
            area,
            households: Some(b.floors * 2),
        };
        self.building = Some(b);
        place
    }

    fn office(&mut self, rng: &mut Rng) -> Place {
        let i = self.next_office;
        self.next_office += 1;
        let name = match self.offices.get(i) {
            Some(office) => (*office).to_owned(),
            None if self.kind == Kind::Enterprise => {
                format!("{}车间", cn(i - self.offices.len() + 4))
            }
            None => format!("业务{}科", cn(i - self.offices.len() + 3)),
        };
        let area = if self.kind == Kind::Agency {
            let rooms = rng.range(1, 4);
            if self.room.1 + rooms > 13 {
                self.room = (self.room.0 + 1, 1);
            }
            let (floor, first) = self.room;
            let last = first + rooms - 1;
            self.room.1 = last + 1;
            if rooms == 1 {
                format!("机关办公楼{floor}层{floor}{first:02}室")
            } else {
                format!("机关办公楼{floor}层{floor}{first:02}至{floor}{last:02}室")
            }
        } else {
            let side = rng.pick(&["东", "西", "南", "北"]);
            let first = rng.range(1, 6);
            let last = first + rng.range(1, 8);
            format!("{side}厂区{name}{first}号至{last}号工位")
        };
        Place { name, area, households: None }
    }

    fn school(&mut self, category: Option<&str>, rng: &mut Rng) -> Place {
        match category {
            Some("student") => {
                self.dorms += 1;
                let first = rng.range(1, 3);
                Place {
                    name: format!("学生宿舍{}号楼", self.dorms),
                    area: format!("学生宿舍{}号楼{first}至{}层", self.dorms, first + rng.range(1, 3)),
                    households: None,
                }
            }
            Some("staff") => {
                let (name, area) = rng.pick(SCHOOL_STAFF_PLACES);
                Place { name: (*name).to_owned(), area: (*area).to_owned(), households: None }
            }
            _ => {
                let i = self.next_grade % self.grades.len();
                self.next_grade += 1;
                let floor = 1 + i % 4;
                let building = if self.level == Some(SchoolLevel::Middle) && i >= 3 {
                    "高中教学楼"
                } else {
                    "教学楼"
                };
                let (grade, next) = &mut self.grades[i];
                let first = *next;
                let last = first + rng.range(1, 3);
                *next = last + 1;
                Place {
                    name: format!("{grade}{first}至{last}班"),
                    area: format!("{building}{floor}层{grade}{first}班至{last}班教室"),
                    households: None,
                }
            }
        }
    }
}

fn build_zones(
    ident: &Ident,
    members: &[Member],
    group_count: usize,
    taken: &mut BTreeSet<String>,
    rng: &mut Rng,
) -> Vec<Zone> {
    let kind = ident.kind;
    let active = members.iter().filter(|m| m.exempt.is_none()).count();
    let mut maker = ZoneMaker::new(ident, active.div_ceil(2), rng);
    let mut zones: Vec<Zone> = Vec::new();
    for g in 0..group_count {
        let in_group: Vec<usize> =
            (0..members.len()).filter(|&i| members[i].group == g && members[i].exempt.is_none()).collect();
        let mut rest = &in_group[..];
        while !rest.is_empty() {
            let take = match rest.len() {
                1..=3 => rest.len(),
                4 => 2,
                _ => rng.range(2, 3) as usize,
            };
            let (responsible, tail) = rest.split_at(take);
            rest = tail;
            let place = maker.next(members[responsible[0]].category, rng);
            let partner_roles: &[&str] = match kind {
                Kind::Village if rng.percent(50) => {
                    &["村民代表", "村民代表", "村民代表", "非党村干部", "村民小组长"]
                }
                Kind::Community if rng.percent(30) => &["楼栋长", "单元长", "居民代表"],
                _ => &[],
            };
            let partner_count = if rng.percent(10) { 2 } else { 1 };
            let partners = if partner_roles.is_empty() {
                Vec::new()
            } else {
                (0..partner_count).map(|_| (person_name(rng, taken), *rng.pick(partner_roles))).collect()
            };
            let description = zone_description(kind, &place, rng);
            zones.push(Zone {
                id: format!("z{}", zones.len() + 1),
                name: place.name,
                group: g,
                members: responsible.to_vec(),
                area: place.area,
                households: place.households,
                partners,
                description,
            });
        }
    }
    zones
}

fn zone_description(kind: Kind, place: &Place, rng: &mut Rng) -> Option<String> {
    let chance = match kind {
        Kind::Village => 20,
        Kind::Community => 15,
        _ => 10,
    };
    if !rng.percent(chance) {
        return None;
    }
    let households = place.households.unwrap_or(0);
    let text = match kind {
        Kind::Village if rng.percent(30) => format!(
            "本片区重点工作：\n\n- 联系{}户农户，收集意见建议\n- **低保户{}户**、留守老人{}人每周走访一次\n",
            households,
            rng.range(1, 4),
            rng.range(2, 9)
        ),
        Kind::Village => format!(
            "本片区共有农户{households}户，其中低保户{}户。党员每月至少走访一次，**重点户**每周联系一次。",
            rng.range(1, 5)
        ),
        Kind::Community => format!(
            "本{}有独居老人{}人，党员每周上门探望一次；楼道照明、消防通道问题可直接找**责任党员**。",
            kind.zone_word(),
            rng.range(1, 6)
        ),
        Kind::Agency => format!("负责{}对外服务事项，群众可到**{}**找责任党员。", place.name, place.area),
        Kind::Enterprise => {
            format!("本岗位区域共有职工{}人，党员带头执行**安全操作规程**，每班巡检一次。", rng.range(12, 80))
        }
        Kind::School => "党员教师联系本年级学生家长，每学期家访不少于**十户**。".to_owned(),
    };
    Some(text)
}

type PostSpec = (&'static str, &'static [&'static str]);

const VILLAGE_POSTS: &[PostSpec] = &[
    (
        "政策宣传岗",
        &[
            "宣传党的方针政策和惠农政策",
            "收集责任区群众意见建议",
            "组织群众学习法律法规",
            "宣传移风易俗新风尚",
        ],
    ),
    (
        "矛盾纠纷调解岗",
        &["排查责任区矛盾纠纷", "调解邻里和家庭纠纷", "及时上报重大矛盾隐患", "协助做好信访稳定工作"],
    ),
    (
        "环境卫生监督岗",
        &["监督责任区街道卫生保洁", "组织群众清理垃圾杂物", "劝阻乱堆乱放行为", "宣传秸秆禁烧规定"],
    ),
    ("致富带头岗", &["推广农业实用技术", "帮带困难户发展生产", "组织农民专业合作社", "提供市场信息服务"]),
    ("治安巡逻岗", &["参加夜间治安巡逻", "排查安全隐患", "做好防火防汛宣传", "协助调查处理治安问题"]),
    ("村务监督岗", &["监督村级财务收支", "参与村务公开审核", "监督惠农资金发放", "收集群众对村务的意见"]),
    (
        "扶贫帮困岗",
        &["联系帮扶困难家庭", "走访慰问留守老人儿童", "协助办理低保和医保事项", "帮助解决群众实际困难"],
    ),
];

const COMMUNITY_POSTS: &[PostSpec] = &[
    ("楼栋联络岗", &["联系楼栋居民", "收集居民诉求", "宣传社区工作安排", "协助做好人口信息登记"]),
    ("邻里调解岗", &["调解邻里纠纷", "排查不稳定因素", "协调解决物业矛盾", "宣传法律知识"]),
    ("文明创建岗", &["组织文明楼院创建", "劝导不文明行为", "组织环境卫生清理", "宣传垃圾分类"]),
    ("志愿服务岗", &["组织党员志愿服务", "关爱空巢和独居老人", "帮扶困难家庭", "参加社区公益活动"]),
    ("安全巡查岗", &["巡查楼道消防通道", "排查用电用气隐患", "协助做好防盗宣传", "报告安全隐患"]),
];

const AGENCY_POSTS: &[PostSpec] = &[
    ("服务窗口岗", &["热情接待办事群众", "落实一次性告知制度", "限时办结审批事项", "收集服务意见建议"]),
    ("政策解读岗", &["深入基层解读政策", "答复群众政策咨询", "编写政策宣传材料", "跟踪政策落实情况"]),
    ("廉政监督岗", &["监督科室廉政风险点", "宣传廉政法规", "参与财务审核", "受理作风问题反映"]),
    ("业务攻坚岗", &["承担重点业务任务", "带头攻坚克难", "总结推广工作经验", "帮带青年干部"]),
    ("联系基层岗", &["联系帮扶村", "走访联系户", "协调解决基层困难", "反映基层意见"]),
];

const ENTERPRISE_POSTS: &[PostSpec] = &[
    ("安全生产岗", &["落实岗位安全操作规程", "开展班前安全教育", "排查设备安全隐患", "监督劳动防护用品使用"]),
    ("技术攻关岗", &["开展技术革新", "解决生产技术难题", "推广新工艺新技术", "带徒传技"]),
    ("质量监督岗", &["监督产品质量标准执行", "开展质量抽检", "分析质量问题原因", "推动质量改进"]),
    ("节能降耗岗", &["监督能耗指标", "提出节能降耗建议", "开展修旧利废", "推广清洁生产"]),
    ("服务职工岗", &["联系职工群众", "反映职工诉求", "帮扶困难职工", "组织职工文体活动"]),
];

const TEACHER_POSTS: &[PostSpec] = &[
    ("教学示范岗", &["上好示范课公开课", "开展教学研究", "指导青年教师", "推广优秀教学经验"]),
    ("师德监督岗", &["带头遵守师德规范", "监督有偿补课等问题", "收集家长意见", "宣传师德典型"]),
    ("学生帮扶岗", &["结对帮扶学困生", "关爱留守儿童", "开展家访", "做好心理疏导"]),
];

const STAFF_POSTS: &[PostSpec] = &[
    ("安全管理岗", &["巡查校园安全隐患", "组织安全疏散演练", "做好食品卫生监督", "开展安全教育"]),
    ("后勤服务岗", &["做好后勤保障服务", "管理校产校舍", "节约水电能源", "收集师生意见"]),
];

const STUDENT_POSTS: &[PostSpec] =
    &[("学习互助岗", &["带头学习党的理论", "结对帮助学习困难同学", "组织志愿服务活动", "联系宿舍同学"])];

fn post_specs(kind: Kind, category: Option<&str>) -> &'static [PostSpec] {
    match (kind, category) {
        (Kind::Village, _) => VILLAGE_POSTS,
        (Kind::Community, _) => COMMUNITY_POSTS,
        (Kind::Agency, _) => AGENCY_POSTS,
        (Kind::Enterprise, _) => ENTERPRISE_POSTS,
        (Kind::School, Some("student")) => STUDENT_POSTS,
        (Kind::School, Some("staff")) => STAFF_POSTS,
        (Kind::School, _) => TEACHER_POSTS,
    }
}

fn commitments(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Village => &[
            "每季度走访责任区农户一遍",
            "每月至少参加一次主题党日活动",
            "责任区内矛盾纠纷不出片区",
            "帮带一户困难户增收致富",
            "带头遵守村规民约",
            "群众反映的问题三天内给予答复",
        ],
        Kind::Community => &[
            "每月走访联系楼栋居民一遍",
            "居民诉求二十四小时内回应",
            "每季度组织一次志愿服务",
            "带头做好垃圾分类",
            "楼道消防通道保持畅通",
        ],
        Kind::Agency => &[
            "办事群众满意率达到百分之九十五以上",
            "不推诿不刁难办事群众",
            "每季度到联系村走访一次",
            "严守廉洁纪律",
            "当日事当日毕",
        ],
        Kind::Enterprise => &[
            "本岗位全年无安全责任事故",
            "每年提出合理化建议不少于两条",
            "带徒一名以上",
            "产品一次合格率不低于百分之九十八",
            "带头执行劳动纪律",
        ],
        Kind::School => &[
            "不搞有偿家教",
            "每学期家访不少于十户",
            "每学期上公开课一节",
            "关爱每一名学困生",
            "带头遵守校规校纪",
        ],
    }
}

/// Record summaries; `{z}` is the member's zone, `{h}` some of its households,
/// `{n}` and `{k}` numbers.
fn record_templates(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Village => &[
            "走访{z}农户{h}户，宣讲{policy}",
            "调解{z}邻里纠纷{k}起",
            "组织{z}群众清理垃圾杂物{k}车",
            "夜间治安巡逻{k}次，排查隐患{k}处",
            "帮助困难户{k}户解决生产生活困难",
            "参加村务监督小组会议，审核票据{n}张",
            "为{z}群众讲解{tech}",
            "收集{z}群众意见建议{k}条，已向支部反映",
        ],
        Kind::Community => &[
            "走访{z}居民{h}户",
            "协调解决{z}楼道照明问题",
            "调解{z}邻里纠纷{k}起",
            "组织志愿者清理{z}楼道杂物",
            "检查{z}消防通道，排查隐患{k}处",
            "慰问{z}空巢老人{k}户",
            "宣传垃圾分类知识，发放宣传材料{n}份",
        ],
        Kind::Agency => &[
            "接待办事群众{n}人次",
            "办结审批服务事项{n}件",
            "到联系村走访群众{k}户，解决实际问题{k}个",
            "深入企业开展政策解读{k}次",
            "参加{z}廉政风险点排查",
            "答复群众政策咨询{n}件",
        ],
        Kind::Enterprise => &[
            "开展{z}班前安全教育{k}次",
            "排查{z}设备安全隐患{k}处",
            "完成技术革新项目{k}项",
            "提出合理化建议{k}条，已被采纳",
            "抽检{z}产品{n}件，全部合格",
            "走访困难职工{k}户",
        ],
        Kind::School => &[
            "在{z}开展公开课{k}节",
            "帮扶学困生{k}名",
            "开展家访{n}户",
            "检查{z}安全设施，排查隐患{k}处",
            "组织学生志愿服务活动{k}次",
            "指导青年教师{k}名",
        ],
    }
}

const POLICIES: &[&str] =
    &["新农合政策", "惠农补贴政策", "土地确权政策", "农村低保政策", "秸秆禁烧规定", "森林防火知识"];

const TECHS: &[&str] = &["果树修剪技术", "蔬菜大棚管理", "小麦病虫害防治", "玉米种植新技术"];

fn fill(out: &mut String, template: &str, zone: Option<&Zone>, rng: &mut Rng) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("placeholders are closed");
        let key = &rest[open + 1..close];
        match key {
            "z" => out.push_str(zone.map_or("责任区", |z| z.name.as_str())),
            "h" => {
                let h = zone.and_then(|z| z.households).unwrap_or(30);
                put!(out, "{}", rng.range(h.div_ceil(2), h.max(1)));
            }
            "n" => put!(out, "{}", rng.range(5, 60)),
            "k" => put!(out, "{}", rng.range(1, 6)),
            "policy" | "tech" => {
                let table = if key == "policy" { POLICIES } else { TECHS };
                let phrase = *rng.pick(table);
                out.push_str(phrase);
            }
            other => out.push_str(other),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
}

fn build_posts(kind: Kind, members: &[Member], zones: &[Zone], rng: &mut Rng) -> Vec<Post> {
    let mut zone_of = vec![None; members.len()];
    for zone in zones {
        for &m in &zone.members {
            zone_of[m] = Some(zone);
        }
    }
    let templates = record_templates(kind);
    members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.exempt.is_none())
        .map(|(i, m)| {
            let (title, duties) = rng.pick(post_specs(kind, m.category));
            let duty_count = rng.range(1, 3) as usize;
            let duties = rng.choose(duties, duty_count);
            let commitment_count = rng.range(1, 2) as usize;
            let commitments = rng.choose(commitments(kind), commitment_count);
            let mut records = Vec::new();
            for year in YEARS {
                let mut dates: Vec<Date> = (0..rng.range(2, 5)).map(|_| rng.date(year, (1, 11))).collect();
                dates.sort_unstable();
                for date in dates {
                    let mut summary = String::new();
                    let template = *rng.pick(templates);
                    fill(&mut summary, template, zone_of[i], rng);
                    records.push((date, summary));
                }
            }
            Post { member: i, title, duties, commitments, records }
        })
        .collect()
}

const NOTES: &[&str] = &[
    "因病住院三个月，部分履责工作由同组党员代为完成",
    "年内调整了工作岗位，责任区相应调整",
    "群众测评中反映走访不够及时",
    "积极参加防汛抢险，群众评价较高",
];

/// One year's results: scores 55–100, 优秀 capped at a third of the assessed.
fn build_scores(members: &[Member], standing: &[i32], rng: &mut Rng) -> Vec<Score> {
    let mut scores: Vec<Score> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.exempt.is_none())
        .map(|(i, _)| {
            let year = standing[i] + rng.spread(3);
            let mut score = |bias: i32| (year + bias + rng.spread(5)).clamp(55, 100) as u32;
            Score {
                member: i,
                own: score(3),
                masses: score(0),
                organization: score(0),
                vanguard: false,
                action: None,
                note: None,
            }
        })
        .collect();

    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(scores[i].tenths()), i));
    let cap = scores.len() / 3;
    for &i in &order[cap.min(order.len())..] {
        let s = &mut scores[i];
        while s.tenths() >= 900 {
            if s.masses >= s.organization {
                s.masses -= 1;
            } else {
                s.organization -= 1;
            }
        }
    }
    let vanguards = (scores.len() / 15).clamp(1, 4);
    for &i in order.iter().take(vanguards) {
        scores[i].vanguard = scores[i].tenths() >= 900;
    }
    for s in &mut scores {
        if s.tenths() < 700 {
            s.action = Some(if rng.percent(70) { "帮助" } else { "调整责任区" });
            if rng.percent(50) {
                s.note = Some("已由支部书记谈心谈话，明确整改措施");
            }
        } else if rng.per_mille(15) {
            s.note = Some(*rng.pick(NOTES));
        }
    }
    scores
}

// ---------------------------------------------------------------------------
// Notices and introductions (Markdown)

fn unit_notices(unit: &Unit, section: &Section, rng: &mut Rng) -> Vec<Notice> {
    let has_vanguard = unit.results(YEAR).iter().any(|s| s.vanguard);
    let mut topics: Vec<usize> = (1..8).filter(|&t| t != 2 || has_vanguard).collect();
    rng.shuffle(&mut topics);
    topics.truncate(rng.range(0, 3) as usize);
    topics.push(0);
    let mut notices: Vec<Notice> = topics
        .into_iter()
        .map(|topic| match topic {
            0 => results_notice(unit, section, YEAR),
            1 => results_notice(unit, section, YEAR - 1),
            2 => vanguard_notice(unit),
            3 => zone_change_notice(unit, rng),
            4 => party_day_notice(unit, rng),
            5 => study_notice(unit, rng),
            6 => posts_notice(unit, rng),
            _ => kind_notice(unit, rng),
        })
        .collect();
    notices.sort_by(|a, b| (a.date, &a.slug).cmp(&(b.date, &b.slug)));
    notices
}

fn signature(body: &mut String, who: &str, date: Date) {
    putln!(body);
    putln!(body, "{who}  ");
    putln!(body, "{}", date.cn());
}

fn results_notice(unit: &Unit, section: &Section, year: u32) -> Notice {
    let results = unit.results(year);
    let mut grades = [0; 4];
    for s in results {
        grades[grade(s.tenths())] += 1;
    }
    let exempt = unit.members.len() - results.len();
    let date = Date { y: year, m: 12, d: 20 };
    let mut body = String::new();
    putln!(
        body,
        "根据《示范县党员“七权七责”考核评比办法》，{}于{year}年12月以党小组为单位，通过党员述评、群众测评和组织考评，对全体党员进行了年度考核评比。",
        unit.organization
    );
    putln!(body);
    putln!(body, "## 考核结果");
    putln!(body);
    if exempt > 0 {
        putln!(
            body,
            "本次共有**{}名**党员参加考核评比（另有{exempt}名党员因年老体弱或外出不参加考核），其中：",
            results.len()
        );
    } else {
        putln!(body, "本次共有**{}名**党员参加考核评比，其中：", results.len());
    }
    putln!(body);
    for (name, count) in ["优秀", "合格", "基本合格", "不合格"].iter().zip(grades) {
        putln!(body, "- {name}：{count}名");
    }
    let vanguards: Vec<&str> =
        results.iter().filter(|s| s.vanguard).map(|s| unit.members[s.member].name.as_str()).collect();
    if !vanguards.is_empty() {
        putln!(body);
        putln!(body, "拟评为“党员先锋岗位”的党员：{}。", vanguards.join("、"));
    }
    putln!(body);
    putln!(body, "## 公示时间和异议受理");
    putln!(body);
    putln!(
        body,
        "公示期为{year}年12月20日至12月26日。公示期间如有异议，请以实名方式向{}反映（电话{}），或拨打本单位监督电话{}，也可投入{}。",
        section.office,
        section.phone,
        unit.supervision.0,
        unit.supervision.1
    );
    putln!(body);
    putln!(body, "> 对在责任区内作用发挥不突出的党员，由党组织负责对其进行帮助或对其责任区进行调整。");
    signature(&mut body, &unit.organization, date);
    Notice {
        date,
        slug: format!("kaohe-gongshi-{year}"),
        title: format!("关于{year}年度党员考核评比结果的公示"),
        body,
    }
}

fn vanguard_notice(unit: &Unit) -> Notice {
    let date = Date { y: YEAR, m: 12, d: 28 };
    let mut body = String::new();
    putln!(
        body,
        "经党员述评、群众测评、组织考评和公示，{}决定命名以下同志的岗位为{YEAR}年度“党员先锋岗位”：",
        unit.organization
    );
    putln!(body);
    let mut n = 0;
    for s in unit.results(YEAR).iter().filter(|s| s.vanguard) {
        n += 1;
        let member = &unit.members[s.member];
        let post = unit.posts.iter().find(|p| p.member == s.member).map_or("", |p| p.title);
        let zone = unit.zone_of(s.member).map_or("", |z| z.name.as_str());
        putln!(body, "{n}. **{}**（{post}，{zone}）", member.name);
    }
    putln!(body);
    putln!(
        body,
        "希望受到命名的同志珍惜荣誉、再接再厉，继续在责任区发挥先锋模范作用。全体党员要以先锋岗位为榜样，认岗履责，服务{}。",
        unit.ident.kind.people()
    );
    signature(&mut body, &unit.organization, date);
    Notice {
        date,
        slug: format!("xianfeng-gangwei-{YEAR}"),
        title: format!("关于命名{YEAR}年度“党员先锋岗位”的决定"),
        body,
    }
}

fn zone_change_notice(unit: &Unit, rng: &mut Rng) -> Notice {
    let date = rng.date(YEAR, (2, 4));
    let word = unit.ident.kind.zone_word();
    let mut body = String::new();
    putln!(
        body,
        "根据{}年度考核评比结果和党员居住、工作变化情况，经支部委员会研究，对部分党员责任区进行调整。调整后的{word}责任区如下：",
        YEAR - 1
    );
    putln!(body);
    putln!(body, "| 责任区 | 范围 | 责任党员 |");
    putln!(body, "|---|---|---|");
    let count = rng.range(1, 4) as usize;
    for zone in rng.choose(&(0..unit.zones.len()).collect::<Vec<_>>(), count) {
        let zone = &unit.zones[zone];
        let names: Vec<&str> = zone.members.iter().map(|&m| unit.members[m].name.as_str()).collect();
        putln!(body, "| {} | {} | {} |", zone.name, zone.area, names.join("、"));
    }
    putln!(body);
    putln!(
        body,
        "其他责任区保持不变。调整后的责任党员要在一周内走访新责任区的{}，全部责任区划分情况见本单位“责任区”公开栏。",
        unit.ident.kind.people()
    );
    signature(&mut body, &unit.organization, date);
    Notice {
        date, slug: "zerenqu-tiaozheng".to_owned(), title: "关于调整党员责任区的通知".to_owned(), body
    }
}

fn party_day_notice(unit: &Unit, rng: &mut Rng) -> Notice {
    let month = rng.range(3, 11);
    let date = Date { y: YEAR, m: month, d: rng.range(1, 3) };
    let activity = rng.pick(&[
        "责任区环境卫生集中整治",
        "走访慰问困难群众",
        "“七权七责”知识测试",
        "义务植树",
        "消防安全演练",
    ]);
    let place = match unit.ident.kind {
        Kind::Village | Kind::Community => "党群服务中心会议室",
        Kind::School => "学校会议室",
        _ => "机关会议室",
    };
    let mut body = String::new();
    putln!(
        body,
        "{}定于{YEAR}年{month}月{}日上午9时在{place}开展主题党日活动，请全体党员准时参加。",
        unit.organization,
        date.d + 4
    );
    putln!(body);
    putln!(body, "活动内容：");
    putln!(body);
    putln!(body, "1. 重温入党誓词；");
    putln!(body, "2. 学习党员“七权七责”有关规定；");
    putln!(body, "3. 各党小组汇报本月责任区工作情况；");
    putln!(body, "4. 开展{activity}。");
    putln!(body);
    putln!(
        body,
        "因故不能参加的党员请提前向所在党小组组长请假。年老体弱、行动不便的党员由党小组组长上门传达活动内容。"
    );
    signature(&mut body, &unit.organization, date);
    Notice {
        date, slug: "zhuti-dangri".to_owned(), title: format!("{month}月主题党日活动安排"), body
    }
}

fn study_notice(unit: &Unit, rng: &mut Rng) -> Notice {
    let date = rng.date(YEAR - 2, (3, 5));
    let mut body = String::new();
    putln!(body, "为深入推行党员“七权七责”工作机制，{}决定在全体党员中组织开展集中学习。", unit.organization);
    putln!(body);
    putln!(body, "## 学习内容");
    putln!(body);
    putln!(body, "- 党员的七项权利：知情权、参与权、选举权、监督权、建议权、表决权、评议权；");
    putln!(body, "- 党员的七项责任：宣传政策、联系群众、带头致富、维护稳定、监督事务、服务群众、遵纪守法；");
    putln!(body, "- 党员责任区划分、定岗履责和年度考核评比的具体办法。");
    putln!(body);
    putln!(body, "## 学习方式");
    putln!(body);
    putln!(
        body,
        "以党小组为单位集中学习，每名党员撰写学习体会一篇。学习后，各党小组结合党员特长和居住、工作情况，提出本组党员责任区和岗位设置建议，报支部委员会研究。"
    );
    signature(&mut body, &unit.organization, date);
    Notice {
        date,
        slug: "qiquan-qize-xuexi".to_owned(),
        title: "关于组织学习党员“七权七责”的通知".to_owned(),
        body,
    }
}

fn posts_notice(unit: &Unit, rng: &mut Rng) -> Notice {
    let date = Date { y: YEAR, m: 7, d: rng.range(1, 10) };
    let titles: BTreeSet<&str> = unit.posts.iter().map(|p| p.title).collect();
    let first_half =
        unit.posts.iter().flat_map(|p| &p.records).filter(|(d, _)| d.y == YEAR && d.m <= 6).count();
    let mut body = String::new();
    putln!(body, "按照“三个内容公开”的要求，现将本单位{YEAR}年上半年党员定岗履责情况公开如下。");
    putln!(body);
    putln!(
        body,
        "本单位共有{}名党员定岗履责，设置了{}等岗位，每名党员都作出了公开承诺。上半年共记录履责情况**{first_half}条**。",
        unit.posts.len(),
        titles.into_iter().collect::<Vec<_>>().join("、")
    );
    putln!(body);
    putln!(
        body,
        "每名党员的岗位、职责、承诺和履责记录可在本单位“定岗履责”栏目查看。{}对党员履责情况有意见建议的，请拨打监督电话{}。",
        unit.ident.kind.people(),
        unit.supervision.0
    );
    signature(&mut body, &unit.organization, date);
    Notice {
        date,
        slug: "dinggang-lvze".to_owned(),
        title: format!("{YEAR}年上半年党员定岗履责情况公开"),
        body,
    }
}

fn kind_notice(unit: &Unit, rng: &mut Rng) -> Notice {
    let zones: Vec<&str> = unit.zones.iter().take(3).map(|z| z.name.as_str()).collect();
    let zones = zones.join("、");
    let (slug, title, months, lines): (&str, &str, (u32, u32), [String; 3]) = match unit.ident.kind {
        Kind::Village => (
            "jiegan-jinshao",
            "关于做好秸秆禁烧工作的通知",
            (5, 6),
            [
                "夏收在即，为防止焚烧秸秆污染环境、引发火灾，请各责任区党员做好以下工作：".to_owned(),
                format!("1. 逐户宣传秸秆禁烧规定，{zones}等片区要签订禁烧承诺书；\n2. 每天傍晚巡查责任区地块，发现火情立即扑救并报告；\n3. 帮助缺少劳力的农户联系秸秆还田机械。"),
                "对责任区内出现焚烧秸秆的，将在年度考核中对责任党员作相应扣分。".to_owned(),
            ],
        ),
        Kind::Community => (
            "loudao-qingli",
            "关于集中清理楼道杂物的通知",
            (4, 5),
            [
                "为消除火灾隐患、保持消防通道畅通，社区将开展楼道杂物集中清理。".to_owned(),
                format!("- 清理范围：{zones}等楼栋单元\n- 清理内容：楼道内堆放的纸箱、旧家具和电动车\n- 责任党员负责逐户告知并组织居民自行清理"),
                "逾期未清理的，由社区组织志愿者统一清理。请居民群众理解支持。".to_owned(),
            ],
        ),
        Kind::Agency => (
            "zou-jiceng",
            "关于开展“走基层、解民忧”活动的通知",
            (6, 7),
            [
                "为密切联系群众，机关党支部决定组织党员深入联系村开展“走基层、解民忧”活动。".to_owned(),
                format!("1. 每名党员走访联系户不少于五户；\n2. {zones}等科室党员要把群众反映的问题建立台账；\n3. 能当场解决的当场解决，不能解决的两周内答复。"),
                "活动情况将记入党员履责记录，作为年度考核的重要依据。".to_owned(),
            ],
        ),
        Kind::Enterprise => (
            "anquan-shengchanyue",
            "关于开展“安全生产月”活动的通知",
            (6, 6),
            [
                "今年6月是全国第十五个“安全生产月”。为落实安全生产责任，公司党组织决定在全体党员中开展“党员身边无事故”活动。".to_owned(),
                format!("- {zones}等岗位党员每天开展班前安全提醒\n- 每名党员至少发现并整改一处安全隐患\n- 组织一次应急疏散演练"),
                "请各党小组于月底前报送活动总结。".to_owned(),
            ],
        ),
        Kind::School => (
            "jiedui-bangfu",
            "关于开展党员教师结对帮扶学困生活动的通知",
            (9, 9),
            [
                "新学期开始，学校党组织决定继续开展党员教师结对帮扶学困生活动。".to_owned(),
                format!("1. 每名党员教师结对帮扶学困生一至两名；\n2. {zones}等年级党员教师每月与家长沟通一次；\n3. 期末对帮扶效果进行总结。"),
                "帮扶情况将作为党员年度述评的重要内容。".to_owned(),
            ],
        ),
    };
    let date = rng.date(YEAR, months);
    let mut body = String::new();
    for line in &lines {
        putln!(body, "{line}");
        putln!(body);
    }
    body.pop();
    signature(&mut body, &unit.organization, date);
    Notice { date, slug: slug.to_owned(), title: title.to_owned(), body }
}

fn unit_intro(unit: &Unit, section: &Section, rng: &mut Rng) -> String {
    let ident = &unit.ident;
    let mut text = String::new();
    let place = match ident.kind {
        Kind::Village => format!(
            "{}位于{}，全村{}户，",
            ident.name,
            section.name,
            unit.zones.iter().filter_map(|z| z.households).sum::<u32>() + rng.range(20, 120)
        ),
        Kind::Community => format!(
            "{}隶属{}，辖{}户居民，",
            ident.name,
            section.name,
            unit.zones.iter().filter_map(|z| z.households).sum::<u32>()
        ),
        _ => format!("{}隶属{}，", ident.name, section.name),
    };
    putln!(
        text,
        "{place}现有党员{}名，分为{}个党小组，划分党员责任区{}个。",
        unit.members.len(),
        unit.groups.len(),
        unit.zones.len()
    );
    putln!(text);
    let how = match ident.kind {
        Kind::Village => {
            "结合党员居住区域和特长，为每名有工作能力的党员划分责任区，并吸收村民代表参与，实行党员、村民代表与农户的“1+1”帮联。"
        }
        Kind::Community => {
            "按照**“支部党员包楼宇、辖区党员联单元”**划分党员责任区，每个单元门口的公示牌上都有负责党员的姓名。"
        }
        Kind::Agency => "结合本部门职能和工作实际，按科室为党员划分责任区，党员亮身份、亮职责、亮承诺。",
        Kind::Enterprise => "结合党员所在岗位和兴趣特长，按车间、班组和窗口为党员划分责任区。",
        Kind::School => "结合教师党员、职工党员和学生党员实际，按年级、处室和宿舍划分责任区。",
    };
    putln!(text, "{how}");
    putln!(text);
    putln!(
        text,
        "群众对党员履责情况有意见建议，可拨打监督电话{}，或投入{}。",
        unit.supervision.0,
        unit.supervision.1
    );
    text
}

// ---------------------------------------------------------------------------
// Writing YAML and Markdown

fn unit_yaml(unit: &Unit) -> String {
    let mut y = String::with_capacity(256 + 96 * unit.members.len());
    putln!(y, "name: {}", Y(&unit.ident.name));
    putln!(y, "kind: {}", unit.ident.kind.key());
    putln!(y, "organization: {}", Y(&unit.organization));
    putln!(y, "contact: {{ phone: {}, address: {} }}", Y(&unit.contact.0), Y(&unit.contact.1));
    putln!(y, "supervision: {{ phone: {}, mailbox: {} }}", Y(&unit.supervision.0), Y(&unit.supervision.1));
    putln!(y);
    putln!(y, "groups:");
    for g in &unit.groups {
        putln!(y, "  - {{ id: {}, name: {}, leader: {} }}", g.id, Y(&g.name), unit.members[g.leader].id);
    }
    putln!(y);
    putln!(y, "members:");
    for m in &unit.members {
        put!(y, "  - {{ id: {}, name: {}, group: {}", m.id, Y(&m.name), unit.groups[m.group].id);
        if let Some(role) = m.role {
            put!(y, ", role: {}", Y(role));
        }
        if let Some(joined) = m.joined {
            put!(y, ", joined: {joined}");
        }
        if let Some(phone) = &m.phone {
            put!(y, ", phone: \"{phone}\"");
        }
        if let Some(category) = m.category {
            put!(y, ", category: {category}");
        }
        if let Some(exempt) = m.exempt {
            put!(y, ", exempt: {}", Y(exempt));
        }
        putln!(y, " }}");
    }
    y
}

fn zones_yaml(unit: &Unit) -> String {
    let mut y = String::with_capacity(160 * unit.zones.len() + 16);
    putln!(y, "zones:");
    for z in &unit.zones {
        putln!(y, "  - id: {}", z.id);
        putln!(y, "    name: {}", Y(&z.name));
        putln!(y, "    group: {}", unit.groups[z.group].id);
        let ids: Vec<&str> = z.members.iter().map(|&m| unit.members[m].id.as_str()).collect();
        putln!(y, "    members: [{}]", ids.join(", "));
        putln!(y, "    area: {}", Y(&z.area));
        if let Some(households) = z.households {
            putln!(y, "    households: {households}");
        }
        if !z.partners.is_empty() {
            putln!(y, "    partners:");
            for (name, role) in &z.partners {
                putln!(y, "      - {{ name: {}, role: {} }}", Y(name), Y(role));
            }
        }
        match &z.description {
            Some(d) if d.contains('\n') => {
                putln!(y, "    description: |");
                for line in d.lines() {
                    if line.is_empty() {
                        putln!(y);
                    } else {
                        putln!(y, "      {line}");
                    }
                }
            }
            Some(d) => putln!(y, "    description: {}", Y(d)),
            None => {}
        }
    }
    y
}

fn posts_yaml(unit: &Unit) -> String {
    let mut y = String::with_capacity(700 * unit.posts.len() + 16);
    putln!(y, "posts:");
    for (i, p) in unit.posts.iter().enumerate() {
        if i > 0 {
            putln!(y);
        }
        putln!(y, "  - member: {}", unit.members[p.member].id);
        putln!(y, "    title: {}", Y(p.title));
        let list = |items: &[&str]| items.iter().map(|s| Y(s).to_string()).collect::<Vec<_>>().join(", ");
        putln!(y, "    duties: [{}]", list(&p.duties));
        putln!(y, "    commitments: [{}]", list(&p.commitments));
        putln!(y, "    records:");
        for (date, summary) in &p.records {
            putln!(y, "      - {{ date: {date}, summary: {} }}", Y(summary));
        }
    }
    y
}

fn assessment_yaml(unit: &Unit, section: &Section, year: u32, scores: &[Score]) -> String {
    let mut y = String::with_capacity(64 * scores.len() + 200);
    putln!(y, "year: {year}");
    putln!(y, "published: {year}-12-20");
    putln!(y, "notice_days: 7");
    let objections = format!("{} {}；本单位监督电话 {}", section.office, section.phone, unit.supervision.0);
    putln!(y, "objections: {}", Y(&objections));
    putln!(y, "results:");
    for s in scores {
        let id = &unit.members[s.member].id;
        if let Some(note) = s.note {
            putln!(y, "  - member: {id}");
            putln!(y, "    self: {}", s.own);
            putln!(y, "    masses: {}", s.masses);
            putln!(y, "    organization: {}", s.organization);
            if s.vanguard {
                putln!(y, "    vanguard: true");
            }
            if let Some(action) = s.action {
                putln!(y, "    action: {}", Y(action));
            }
            putln!(y, "    note: {}", Y(note));
            continue;
        }
        put!(
            y,
            "  - {{ member: {id}, self: {}, masses: {}, organization: {}",
            s.own,
            s.masses,
            s.organization
        );
        if s.vanguard {
            put!(y, ", vanguard: true");
        }
        if let Some(action) = s.action {
            put!(y, ", action: {}", Y(action));
        }
        putln!(y, " }}");
    }
    y
}

fn notice_md(notice: &Notice) -> String {
    let mut md = String::with_capacity(notice.body.len() + 80);
    putln!(md, "---");
    putln!(md, "title: {}", Y(&notice.title));
    putln!(md, "date: {}", notice.date);
    putln!(md, "---");
    putln!(md);
    md.push_str(&notice.body);
    md
}

fn write_notices(stats: &mut Stats, dir: &Path, notices: &[Notice]) -> Result<(), String> {
    for notice in notices {
        let path = dir.join(format!("{}-{}.md", notice.date, notice.slug));
        stats.write(&path, &notice_md(notice))?;
    }
    Ok(())
}

fn write_unit(stats: &mut Stats, dir: &Path, unit: &Unit, section: &Section) -> Result<(), String> {
    stats.write(&dir.join("unit.yaml"), &unit_yaml(unit))?;
    stats.write(&dir.join("zones.yaml"), &zones_yaml(unit))?;
    stats.write(&dir.join("posts.yaml"), &posts_yaml(unit))?;
    for (year, scores) in &unit.assessments {
        let path = dir.join("assessments").join(format!("{year}.yaml"));
        stats.write(&path, &assessment_yaml(unit, section, *year, scores))?;
    }
    write_notices(stats, &dir.join("notices"), &unit.notices)?;
    if let Some(intro) = &unit.intro {
        stats.write(&dir.join("index.md"), intro)?;
    }
    Ok(())
}

/// What a section's notices and description need to know about its units.
struct UnitSummary {
    name: String,
    kind: Kind,
    members: usize,
    zones: usize,
}

fn write_section(
    stats: &mut Stats,
    dir: &Path,
    section: &Section,
    units: &[UnitSummary],
    rng: &mut Rng,
) -> Result<(), String> {
    let members: usize = units.iter().map(|u| u.members).sum();
    let description = if section.town {
        let villages = units.iter().filter(|u| u.kind == Kind::Village).count();
        format!(
            "{}党委下辖村党组织{villages}个、社区党组织{}个，党员{members}名。",
            section.name,
            units.len() - villages
        )
    } else {
        format!("{}下辖基层党组织{}个，党员{members}名。", section.name, units.len())
    };
    let mut y = String::new();
    putln!(y, "name: {}", Y(&section.name));
    putln!(y, "description: {}", Y(&description));
    stats.write(&dir.join("section.yaml"), &y)?;

    let mut topics = vec![0, 1, 2];
    rng.shuffle(&mut topics);
    topics.truncate(rng.range(1, 2) as usize);
    let who = if section.town {
        format!("中共{}委员会", section.name)
    } else {
        format!("示范{}", section.name)
    };
    let mut notices: Vec<Notice> =
        topics.into_iter().map(|topic| section_notice(topic, section, &who, units, rng)).collect();
    notices.sort_by(|a, b| (a.date, &a.slug).cmp(&(b.date, &b.slug)));
    write_notices(stats, &dir.join("notices"), &notices)
}

fn section_notice(
    topic: usize,
    section: &Section,
    who: &str,
    units: &[UnitSummary],
    rng: &mut Rng,
) -> Notice {
    let mut body = String::new();
    let (date, slug, title) = match topic {
        0 => {
            let date = Date { y: YEAR, m: 11, d: rng.range(10, 18) };
            putln!(body, "各基层党组织：");
            putln!(body);
            putln!(body, "根据县委组织部统一部署，现就做好{YEAR}年度党员考核评比工作通知如下。");
            putln!(body);
            putln!(body, "| 时间 | 工作内容 |");
            putln!(body, "|---|---|");
            putln!(body, "| 12月1日至10日 | 党员述评：以党小组为单位，党员逐一述职 |");
            putln!(body, "| 12月11日至15日 | 群众测评、组织考评 |");
            putln!(body, "| 12月16日至19日 | 汇总得分，确定等次和“党员先锋岗位” |");
            putln!(body, "| 12月20日起 | 公示7天，受理异议 |");
            putln!(body);
            putln!(
                body,
                "优秀等次不超过参加考核党员的三分之一。考核结果公示期间，党员群众可向{}反映意见，电话{}。",
                section.office,
                section.phone
            );
            (date, format!("kaohe-pingbi-{YEAR}"), format!("关于开展{YEAR}年度党员考核评比工作的通知"))
        }
        1 => {
            let date = Date { y: YEAR, m: 9, d: rng.range(5, 25) };
            let total = units.len();
            let good = rng.choose(&(0..total).collect::<Vec<_>>(), total.min(3));
            let names: Vec<&str> = good.iter().map(|&i| units[i].name.as_str()).collect();
            let zones: usize = units.iter().map(|u| u.zones).sum();
            putln!(
                body,
                "近期，{}对所属{total}个基层党组织“三个内容公开”工作进行了专项检查。各单位共划分党员责任区{zones}个，公开栏内容基本完整。",
                section.name
            );
            putln!(body);
            putln!(body, "## 主要做法");
            putln!(body);
            putln!(body, "1. 公开党员责任区和党小组，责任区公示牌设在路口和楼栋单元门口；");
            putln!(body, "2. 公开党员定岗履责情况，履责记录按月更新；");
            putln!(body, "3. 公开考核评比结果，明确公示期和异议受理渠道。");
            putln!(body);
            putln!(
                body,
                "{}等单位公开内容完整、更新及时，予以通报表扬。个别单位履责记录更新不及时，请于一个月内整改到位。",
                names.join("、")
            );
            (
                date,
                "sange-gongkai-jiancha".to_owned(),
                format!("关于{}“三个内容公开”检查情况的通报", section.name),
            )
        }
        _ => {
            let date = rng.date(YEAR - 2, (3, 4));
            putln!(body, "各基层党组织：");
            putln!(body);
            putln!(body, "为推行党员“七权七责”工作机制，请各基层党组织在本月底前完成党员责任区划分工作。");
            putln!(body);
            putln!(body, "- 农村结合党员居住区域和特长划分，可吸收村民代表参与“1+1”帮联；");
            putln!(body, "- 社区按照“支部党员包楼宇、辖区党员联单元”划分；");
            putln!(body, "- 机关、企事业单位和学校结合职能、岗位和党员实际划分。");
            putln!(body);
            putln!(body, "每个责任区要明确所属党小组和责任党员，划分结果报{}备案。", section.office);
            (date, "zerenqu-huafen".to_owned(), "关于做好党员责任区划分工作的通知".to_owned())
        }
    };
    signature(&mut body, who, date);
    Notice { date, slug, title, body }
}

const RIGHTS: [&str; 7] = [
    "知情权：及时了解党内事务和村务、居务、政务情况",
    "参与权：参与党组织重大事项的讨论和决策",
    "选举权：依照规定选举和被选举党组织负责人",
    "监督权：监督党组织和党员干部履行职责、兑现承诺",
    "建议权：对党组织工作提出意见和建议",
    "表决权：对党内重要事项和发展党员等进行表决",
    "评议权：参与评议党组织和党员的工作表现",
];

const RESPONSIBILITIES: [&str; 7] = [
    "宣传政策责任：向群众宣传党的路线方针政策和惠民政策",
    "联系群众责任：联系责任区群众，倾听意见，反映诉求",
    "带头致富责任：带头发展生产、学习技术，带领群众增收",
    "维护稳定责任：排查调解矛盾纠纷，维护责任区和谐稳定",
    "监督事务责任：监督党务、村务（居务）和财务公开",
    "服务群众责任：为责任区群众特别是困难群众办实事",
    "遵纪守法责任：带头遵守党纪国法，倡导文明新风",
];

const COUNTY_PHONE: &str = "0316-8801234";

fn write_county(stats: &mut Stats, content: &Path, rng: &mut Rng) -> Result<(), String> {
    let mut y = String::new();
    putln!(y, "title: 示范县党员“七权七责”公开平台");
    putln!(y, "base_url: https://gongkai.example.gov.cn/");
    putln!(y, "language: zh-CN");
    putln!(y, "assessment:");
    putln!(y, "  year: {YEAR}");
    putln!(y, "rights:");
    for right in RIGHTS {
        putln!(y, "  - {}", Y(right));
    }
    putln!(y, "responsibilities:");
    for responsibility in RESPONSIBILITIES {
        putln!(y, "  - {}", Y(responsibility));
    }
    putln!(y, "contact: {{ phone: {COUNTY_PHONE}, address: 示范县委组织部（县政府大院2号楼305室） }}");
    stats.write(&content.join("site.yaml"), &y)?;

    let mut md = String::new();
    putln!(md, "## 欢迎访问示范县党员“七权七责”公开平台");
    putln!(md);
    putln!(
        md,
        "全县{}个基层党组织、{}名党员在本平台公开责任区、岗位和考核评比结果，接受群众监督。",
        stats.units,
        stats.members
    );
    putln!(md);
    putln!(md, "1. **党员责任区和党小组** —— 每个片区、楼栋单元、科室、岗位或年级由哪位党员负责；");
    putln!(md, "2. **党员定岗履责情况** —— 每名党员的岗位、职责、公开承诺和履责记录；");
    putln!(md, "3. **考核评比结果** —— 三项评价得分、等次和“党员先锋岗位”，公示期内可以提出异议。");
    putln!(md);
    putln!(
        md,
        "对党员履责情况或考核结果有意见，请使用各单位页面上的监督电话和意见箱，也可以拨打县委组织部监督电话 {COUNTY_PHONE}。"
    );
    stats.write(&content.join("index.md"), &md)?;

    let who = "中共示范县委组织部";
    let mut notices = Vec::new();
    let date = rng.date(YEAR - 2, (3, 3));
    let mut body = String::new();
    putln!(body, "各乡镇党委，县直各工委：");
    putln!(body);
    putln!(
        body,
        "经县委研究，决定在全县农村、社区、机关、企事业单位和学校全面推行党员“七权七责”工作机制，做到党员参与全覆盖。"
    );
    putln!(body);
    putln!(body, "## 工作步骤");
    putln!(body);
    putln!(body, "1. 宣传发动：集中开展“七权七责”意义、内涵和运行体系培训；");
    putln!(body, "2. 划分责任区：结合党员居住区域、岗位和特长划分责任区；");
    putln!(body, "3. 定岗履责：为每名有工作能力的党员设岗定责、公开承诺；");
    putln!(body, "4. 考核评比：年底以党小组为单位开展党员述评、群众测评和组织考评。");
    signature(&mut body, who, date);
    notices.push(Notice {
        date,
        slug: "qiquan-qize-tuixing".to_owned(),
        title: "关于全面推行党员“七权七责”工作机制的通知".to_owned(),
        body,
    });

    let date = rng.date(YEAR - 1, (5, 5));
    let mut body = String::new();
    putln!(
        body,
        "为接受群众监督，各基层党组织要切实做好“三个内容公开”：公开党员责任区和党小组社区、公开党员定岗履责情况、公开考核评比结果。"
    );
    putln!(body);
    putln!(
        body,
        "公开内容统一在本平台发布，同时在村（社区）公开栏张贴。公开时只公布履责需要的信息，党员电话作遮挡处理，**不得公开身份证号码、家庭住址**等个人信息。"
    );
    signature(&mut body, who, date);
    notices.push(Notice {
        date,
        slug: "sange-neirong-gongkai".to_owned(),
        title: "关于做好“三个内容公开”工作的通知".to_owned(),
        body,
    });

    let date = rng.date(YEAR, (11, 11));
    let mut body = String::new();
    putln!(
        body,
        "{YEAR}年度党员考核评比结果自12月20日起在本平台公示，公示期7天。各单位页面显示公示状态（公示中 / 已结束）和异议受理渠道。"
    );
    putln!(body);
    putln!(
        body,
        "| 等次 | 总分 |\n|---|---|\n| 优秀 | 90分及以上 |\n| 合格 | 70分至89分 |\n| 基本合格 | 60分至69分 |\n| 不合格 | 60分以下 |"
    );
    putln!(body);
    putln!(
        body,
        "总分由党员述评（20%）、群众测评（40%）和组织考评（40%）加权计算，优秀等次不超过参加考核党员的三分之一。"
    );
    signature(&mut body, who, date);
    notices.push(Notice {
        date,
        slug: format!("kaohe-gongshi-{YEAR}"),
        title: format!("关于{YEAR}年度党员考核评比结果公示的通知"),
        body,
    });
    write_notices(stats, &content.join("notices"), &notices)
}

fn generate(args: &Args) -> Result<Stats, String> {
    let content = args.out.join("content");
    let mut stats = Stats::default();
    let mut master = Rng::stream(args.seed, u64::MAX);
    let mut registry = Registry::default();
    let sections = plan_sections(args.units, &mut master, &mut registry);
    let mut unit_index = 0;
    for section in &sections {
        let dir = content.join(&section.slug);
        let mut summaries = Vec::with_capacity(section.kinds.len());
        for &kind in &section.kinds {
            unit_index += 1;
            let mut rng = Rng::stream(args.seed, unit_index);
            let ident = registry.unit(kind, &mut rng);
            let unit = build_unit(ident, section, &mut rng);
            write_unit(&mut stats, &dir.join(&unit.ident.slug), &unit, section)?;
            stats.units += 1;
            stats.members += unit.members.len();
            summaries.push(UnitSummary {
                name: unit.ident.name,
                kind,
                members: unit.members.len(),
                zones: unit.zones.len(),
            });
        }
        write_section(&mut stats, &dir, section, &summaries, &mut master)?;
        stats.sections += 1;
    }
    write_county(&mut stats, &content, &mut master)?;
    Ok(stats)
}
