//! The command line's definition: every command and flag with its Chinese help and examples.
//!
//! `main.rs` parses with it and runs the library; [`chinese`] puts clap's own words (headings,
//! `--help`, usage errors) into Chinese; [`docs`] makes the manual pages and shell completions
//! from the same definition, so they can never disagree with `--help`.

pub mod chinese;
pub mod docs;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gongkai::content::model::{SectionKind, UnitKind};
use std::path::PathBuf;

/// `gongkai --version`: the version and the commit it was built from (`build.rs`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (提交 ", env!("GONGKAI_COMMIT"), ")");

/// 生成党员“七权七责”三个内容公开网站。
///
/// 把全县每个单位的 YAML 和 Markdown 文件（党员责任区、定岗履责、考核评比结果）生成为静态网站，任何网页服务器、对象存储或 CDN 都能直接发布。
///
/// 所有命令都作用于一个站点根目录：当前文件夹，或 --root 指定的文件夹。根目录里有 content/（内容），生成的网站在 output/。
///
/// 退出码：0 成功；1 内容有错误（写明文件、行、列和改法）；2 用法或环境错误。
#[derive(Parser)]
#[command(name = "gongkai", version = VERSION, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
示例：
  gongkai new site shifan-xian --name 示范县     新建一个县的站点
  gongkai check                                  检查内容，列出各单位公开是否达标
  gongkai serve                                  在浏览器里预览，改文件后自动刷新
  gongkai build                                  生成网站到 output/
  gongkai <命令> --help                          查看某个命令的用法和示例";

#[derive(Subcommand)]
pub enum Command {
    /// 生成网站到 output/（或 --output），全部成功后才替换旧网站。
    ///
    /// 先写到 output/ 旁边的新文件夹，全部页面生成成功后才与 output/ 交换；内容有错误时不生成，已发布的网站不动。最后打印一行摘要：单位、党员、文件数和用时。
    ///
    /// 没有改动的单位直接取自站点根目录下的缓存 .gongkai-cache/（可随时删除，不要提交到版本库），只重新生成改动过的单位和汇总页面；--no-cache 不用缓存。
    #[command(after_help = "\
示例：
  gongkai build
  gongkai build --root /data/shifan-xian --output /var/www/gongkai
  gongkai build --base-url https://test.example.gov.cn/ --drafts
  gongkai build --no-cache                        不用缓存，从头生成
  gongkai build --shard 2/7 --parts /data/parts   只生成 7 片中的第 2 片，之后用 gongkai merge 合并")]
    Build(BuildArgs),

    /// 预览网站：在内存中生成并提供网页，改文件后只重新生成受影响的页面并刷新浏览器。
    ///
    /// 默认只在本机地址 127.0.0.1 上监听，只回应用本机名称（localhost、127.0.0.1、[::1]）打开的请求；其他名称一律拒绝（403），以免您浏览的其他网站借浏览器读取预览中尚未发布的内容。内容出错时继续显示上一次成功的页面，并在页面上方显示错误位置和改法。
    #[command(after_help = "\
示例：
  gongkai serve                                   打开 http://127.0.0.1:1111/
  gongkai serve --port 8080 --open
  gongkai serve --bind 0.0.0.0 --allow-host 192.168.1.20    让同一网络的手机访问")]
    Serve(ServeArgs),

    /// 检查内容，列出每个单位三个内容公开是否达标和未达标的原因；有错误时退出码为 1。
    ///
    /// 每条错误和警告写明文件、行、列和改法。不写任何文件。
    #[command(after_help = "\
示例：
  gongkai check
  gongkai check --format json > 检查结果.json")]
    Check(CheckArgs),

    /// 新建站点、栏目（乡镇、工委）或单位的骨架。
    #[command(after_help = "\
示例：
  gongkai new site shifan-xian --name 示范县 --organizer 中共示范县委组织部
  gongkai new section nanhe-zhen --name 南河镇 --kind township
  gongkai new unit nanhe-zhen/xinzhuang-cun --kind village --name 新庄村")]
    New {
        #[command(subcommand)]
        what: New,
    },

    /// 为一个单位生成 Excel 填报表，按现有内容预先填好。
    ///
    /// 表里有 说明、单位、党小组、党员、责任区、岗位、履责记录 和 考核<年度> 各一张工作表，带下拉列表，按 A4 打印。填好后用 gongkai import 导入；表里记着是哪个单位的，导入时不用再指定。已有同名文件时不覆盖。
    #[command(after_help = "\
示例：
  gongkai template nanhe-zhen/dongwangzhuang-cun
  gongkai template nanhe-zhen/dongwangzhuang-cun --year 2016 --output 东王庄村2016.xlsx")]
    Template(TemplateArgs),

    /// 从 Excel、WPS 表格或 CSV 导入党员名单、责任区、岗位和考核结果。
    ///
    /// 读取 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK），写入单位的 YAML 文件；先列出改动。有任何错误时指出文件、工作表和单元格，content/ 不做任何改动。身份证号码一律不读取。
    #[command(after_help = "\
示例：
  gongkai import 东王庄村.xlsx
  gongkai import 党员花名册.xls --unit nanhe-zhen/xinzhuang-cun --kind village --name 新庄村
  gongkai import 2016年考核.csv --unit nanhe-zhen/dongwangzhuang-cun --year 2016 --dry-run")]
    Import(ImportArgs),

    /// 导出全县汇总工作簿，用于上报和通报。
    ///
    /// 含各单位达标情况和原因、各栏目汇总、等次分布、先锋岗位名单、基本合格和不合格党员的帮助调整情况、各单位公示期；A4 横向打印。姓名和电话按网站的方式遮挡；--internal 时不遮挡，并在每张表的标题注明仅供内部使用。
    #[command(after_help = "\
示例：
  gongkai export
  gongkai export --year 2016 --output 2016年度汇总.xlsx")]
    Export(ExportArgs),

    /// 合并各台机器生成的分片，写出完整的网站，与一台机器 build 的结果逐字节相同。
    ///
    /// 先检查分片文件夹里每一片都在、只有一份，而且是用同一版本的 gongkai、同一份内容和主题、在同一天生成的；有问题时说明是哪一片、怎么办，不改动已发布的网站（退出码 1）。然后把各片的单位页面放进 output/ 旁边的新文件夹，由各单位的摘要生成首页、公开情况总览、栏目、搜索和站点地图，全部成功后才与 output/ 交换。合并时要在站点根目录（有同样的 content/）运行；--base-url 和 --drafts 沿用分片生成时的设置。
    #[command(after_help = "\
示例：
  gongkai build --shard 1/3 --parts /data/parts   在第一台机器上
  gongkai build --shard 2/3 --parts /data/parts   在第二台机器上
  gongkai build --shard 3/3 --parts /data/parts   在第三台机器上
  gongkai merge /data/parts                       三片都生成后合并到 output/
  gongkai merge /data/parts --output /var/www/gongkai")]
    Merge(MergeArgs),

    /// 写出手册页（供打包使用）。
    #[command(hide = true)]
    Man(ManArgs),

    /// 打印命令行补全脚本（供打包使用）。
    #[command(hide = true)]
    Completions(CompletionsArgs),
}

/// The site root, shared by every command that works on one.
#[derive(Args)]
pub struct Root {
    /// 站点根目录（里面有 content/），默认是当前文件夹。
    #[arg(long, value_name = "目录", default_value = ".", hide_default_value = true)]
    pub root: PathBuf,
}

#[derive(Args)]
pub struct TemplateArgs {
    /// 单位路径 <栏目>/<单位>，如 nanhe-zhen/dongwangzhuang-cun；单位还不存在时生成空表。
    #[arg(value_name = "单位")]
    pub unit: String,
    /// 考核表的年度，默认是 site.yaml 的考核年度。
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 保存为这个文件，默认是当前文件夹下的“单位名称.xlsx”。
    #[arg(long, value_name = "文件")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub root: Root,
}

#[derive(Args)]
pub struct ImportArgs {
    /// 要导入的文件，可以有多个。
    #[arg(required = true, value_name = "文件")]
    pub files: Vec<PathBuf>,
    /// 单位路径 <栏目>/<单位>：用于不是 gongkai template 生成的表。
    #[arg(long, value_name = "单位")]
    pub unit: Option<String>,
    /// 新建单位时的类型。
    #[arg(long, value_enum, value_name = "类型", hide_possible_values = true)]
    pub kind: Option<Kind>,
    /// 新建单位时的名称，如 新庄村。
    #[arg(long, value_name = "名称")]
    pub name: Option<String>,
    /// 考核表的年度，默认从工作表名或标题里的年份看出。
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 只列出改动，不写入。
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub root: Root,
}

#[derive(Args)]
pub struct ExportArgs {
    /// 年度，默认是考核年度。
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 保存为这个文件，默认是当前文件夹下的“公开情况汇总-年度.xlsx”。
    #[arg(long, value_name = "文件")]
    pub output: Option<PathBuf>,
    /// 内部用：姓名和电话不遮挡。
    #[arg(long)]
    pub internal: bool,
    #[command(flatten)]
    pub root: Root,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: Root,
    /// 输出文件夹，默认是 <根目录>/output。
    #[arg(long, value_name = "目录")]
    pub output: Option<PathBuf>,
    /// 临时改用这个网址（代替 site.yaml 的 base_url），例如发布到测试地址时。
    #[arg(long, value_name = "网址")]
    pub base_url: Option<String>,
    /// 同时发布标有 draft: true 的通知公告（草稿）。
    #[arg(long)]
    pub drafts: bool,
    /// 只打印错误，不打印进度和摘要。
    #[arg(long, short)]
    pub quiet: bool,
    /// 不用也不更新缓存 .gongkai-cache/，每个单位都重新生成。
    #[arg(long)]
    pub no_cache: bool,
    /// 只生成 N 片中的第 K 片单位（K 从 1 到 N），写到 --parts 的文件夹里，之后用 gongkai merge 合并；分片不用缓存。
    #[arg(long, value_name = "K/N", requires = "parts", conflicts_with = "output", value_parser = shard)]
    pub shard: Option<gongkai::shard::Shard>,
    /// 分片写到这个文件夹的 shard-K-of-N/ 里；各片可以写到同一个（共享的）文件夹。
    #[arg(long, value_name = "目录", requires = "shard")]
    pub parts: Option<PathBuf>,
}

/// `--shard K/N`, refused in Chinese.
fn shard(text: &str) -> Result<gongkai::shard::Shard, String> {
    text.parse()
}

#[derive(Args)]
pub struct MergeArgs {
    /// 分片所在的文件夹（gongkai build --shard K/N --parts 用的那个）。
    #[arg(value_name = "目录")]
    pub parts: PathBuf,
    #[command(flatten)]
    pub root: Root,
    /// 输出文件夹，默认是 <根目录>/output。
    #[arg(long, value_name = "目录")]
    pub output: Option<PathBuf>,
    /// 只打印错误，不打印摘要。
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: Root,
    /// 端口，默认 1111。
    #[arg(long, value_name = "端口", default_value_t = 1111, hide_default_value = true, value_parser = port)]
    pub port: u16,
    /// 监听的地址，默认 127.0.0.1（只有本机能访问）；0.0.0.0 表示所有网卡。
    #[arg(long, value_name = "地址", default_value = "127.0.0.1", hide_default_value = true)]
    pub bind: String,
    /// 也回应用这个名称或地址打开的请求（可写多次），例如这台电脑的局域网地址，供手机预览。
    #[arg(long = "allow-host", value_name = "名称")]
    pub allow_host: Vec<String>,
    /// 启动后用默认浏览器打开预览。
    #[arg(long)]
    pub open: bool,
    /// 同时显示标有 draft: true 的通知公告（草稿）。
    #[arg(long)]
    pub drafts: bool,
}

/// A port number, refused in Chinese.
fn port(text: &str) -> Result<u16, String> {
    text.parse()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| "端口要写 1 到 65535 之间的数字，例如 --port 8080".to_string())
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: Root,
    /// 输出格式：text（表格，默认）或 json（供其他程序读取）。
    #[arg(long, value_enum, value_name = "格式", default_value_t = Format::Text, hide_default_value = true, hide_possible_values = true)]
    pub format: Format,
}

#[derive(Subcommand)]
pub enum New {
    /// 新建一个县的站点：站点设置、空的 content/、.gitignore 和一份“说明.md”。
    ///
    /// 目录必须不存在或是空的，否则不做任何改动（退出码 2）。生成的站点可以直接 check 和 build；接下来用 new section 新建乡镇和工委，用 new unit 新建单位。
    #[command(after_help = "\
示例：
  gongkai new site shifan-xian --name 示范县
  gongkai new site D:\\gongkai --name 示范县 --organizer 中共示范县委组织部")]
    Site(NewSiteArgs),

    /// 新建一个栏目（乡镇、街道、工委等上级党组织），可以嵌套。
    ///
    /// 在 content/<路径>/ 下写 section.yaml。乡镇（--kind township，名称以“镇”“乡”“街道”结尾时自动判断）的组织名称默认是“中共<名称>委员会”；在乡镇里新建的单位，组织名称会带上乡镇名，例如“中共南河镇新庄村支部委员会”。
    #[command(after_help = "\
示例：
  gongkai new section nanhe-zhen --name 南河镇
  gongkai new section xianzhi-jiguan --name 县直机关工委 --kind committee --organization 中共示范县直属机关工作委员会
  gongkai new section xianzhi-jiguan/jiaoyu-dangwei --name 县教育局党委 --kind committee")]
    Section(NewSectionArgs),

    /// 新建一个单位的骨架：能直接生成，check 会列出还缺什么。
    ///
    /// 在 content/<栏目>/<单位>/ 下写 unit.yaml（党员和党小组）、zones.yaml（责任区）、posts.yaml（岗位和履责记录）和空的 assessments/、notices/。栏目是乡镇（section.yaml 写了 kind: township）时，组织名称带上乡镇名。
    #[command(after_help = "\
示例：
  gongkai new unit nanhe-zhen/xinzhuang-cun --kind village --name 新庄村
  gongkai new unit xianzhi-jiguan/jiaoyu-dangwei/di-yi-zhongxue --kind school --name 第一中学")]
    Unit(NewUnitArgs),
}

#[derive(Args)]
pub struct NewSiteArgs {
    /// 新站点的文件夹（不存在或是空的）。
    #[arg(value_name = "目录")]
    pub dir: PathBuf,
    /// 县（市、区）的名称，例如 示范县；网站标题是“<名称>党员“七权七责”公开平台”。
    #[arg(long, value_name = "名称")]
    pub name: String,
    /// 主办单位，例如 中共示范县委组织部；不写时在 site.yaml 里留一行注释。
    #[arg(long, value_name = "单位")]
    pub organizer: Option<String>,
}

#[derive(Args)]
pub struct NewSectionArgs {
    /// 栏目文件夹，写成 <栏目> 或 <上级栏目>/<栏目>（拼音，小写字母、数字和“-”）。
    #[arg(value_name = "路径")]
    pub path: String,
    /// 栏目名称，例如 南河镇。
    #[arg(long, value_name = "名称")]
    pub name: String,
    /// 栏目类型：township（乡镇、街道）或 committee（工委、系统党委）。
    #[arg(long, value_enum, value_name = "类型", hide_possible_values = true)]
    pub kind: Option<SectionKindArg>,
    /// 上级党组织的全称，例如 中共南河镇委员会。
    #[arg(long, value_name = "全称")]
    pub organization: Option<String>,
    #[command(flatten)]
    pub root: Root,
}

#[derive(Args)]
pub struct NewUnitArgs {
    /// 单位文件夹，写成 <栏目>/<单位>（拼音，小写字母、数字和“-”）。
    #[arg(value_name = "栏目/单位")]
    pub path: String,
    /// 单位类型：village（农村）、community（社区）、agency（机关）、enterprise（企事业单位）或 school（学校）。
    #[arg(long, value_enum, value_name = "类型", hide_possible_values = true)]
    pub kind: Kind,
    /// 单位名称，例如 新庄村。
    #[arg(long, value_name = "名称")]
    pub name: String,
    #[command(flatten)]
    pub root: Root,
}

#[derive(Args)]
pub struct ManArgs {
    /// 写到这个文件夹：gongkai.1 和每个命令一页（如 gongkai-build.1）。
    #[arg(long, value_name = "目录")]
    pub out: PathBuf,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// bash、zsh、fish 或 powershell。
    #[arg(value_enum, value_name = "shell")]
    pub shell: Shell,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Village,
    Community,
    Agency,
    Enterprise,
    School,
}

impl From<Kind> for UnitKind {
    fn from(kind: Kind) -> UnitKind {
        match kind {
            Kind::Village => UnitKind::Village,
            Kind::Community => UnitKind::Community,
            Kind::Agency => UnitKind::Agency,
            Kind::Enterprise => UnitKind::Enterprise,
            Kind::School => UnitKind::School,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SectionKindArg {
    Township,
    Committee,
}

impl From<SectionKindArg> for SectionKind {
    fn from(kind: SectionKindArg) -> SectionKind {
        match kind {
            SectionKindArg::Township => SectionKind::Township,
            SectionKindArg::Committee => SectionKind::Committee,
        }
    }
}
