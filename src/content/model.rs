//! The content model: what the files say, plus the figures derived from it. No I/O, no HTML.

use crate::content::yaml::{opt_string_or_number, string_or_number};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub assessment: AssessmentRules,
    #[serde(default)]
    pub rights: Vec<String>,
    #[serde(default)]
    pub responsibilities: Vec<String>,
    #[serde(default)]
    pub contact: Option<Channel>,
    /// 主办单位, e.g. 中共示范县委组织部 (written by `gongkai new site --organizer`).
    #[serde(default)]
    pub organizer: Option<String>,
    /// Words to warn about in free text besides the built-in list (`rules::sensitive`).
    #[serde(default)]
    pub sensitive_words: Vec<String>,
    /// Ordinary words that hold a sensitive one and raise no warning (`rules::sensitive`).
    #[serde(default)]
    pub ordinary_words: Vec<String>,
    /// How many assessment years, counting the assessment year, are published; older results
    /// are not (docs/content-format.md §5).
    #[serde(default = "default_retain_years")]
    pub retain_years: i32,
    /// `true`: results and member pages are marked `noindex`, left out of the sitemap and
    /// disallowed in `robots.txt`.
    #[serde(default)]
    pub noindex_results: bool,
    /// ICP备案号, e.g. 冀ICP备12345678号, shown in every page's footer.
    #[serde(default)]
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 冀公网安备 13102202000123号.
    #[serde(default)]
    pub police_filing: Option<String>,
    /// 网站标识码 of a government site, e.g. 1310220001.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub site_code: Option<String>,
}

/// The assessment year and the one before: this year's results next to last year's, whose
/// follow-up (帮助, 调整责任区) residents can check against them.
pub const DEFAULT_RETAIN_YEARS: i32 = 2;

fn default_retain_years() -> i32 {
    DEFAULT_RETAIN_YEARS
}

fn default_language() -> String {
    "zh-CN".into()
}

/// How results are weighted and graded (`assessment:` in `site.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRules {
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub weights: Weights,
    #[serde(default = "default_grades")]
    pub grades: Vec<GradeRule>,
    #[serde(default = "default_excellent_cap")]
    pub excellent_cap: f64,
}

impl Default for AssessmentRules {
    fn default() -> Self {
        AssessmentRules {
            year: None,
            weights: Weights::default(),
            grades: default_grades(),
            excellent_cap: default_excellent_cap(),
        }
    }
}

fn default_excellent_cap() -> f64 {
    1.0 / 3.0
}

/// Weights of the three evaluations; they sum to 1.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    #[serde(rename(deserialize = "self"))]
    pub self_review: f64,
    pub masses: f64,
    pub organization: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { self_review: 0.2, masses: 0.4, organization: 0.4 }
    }
}

/// One grade threshold: a total of at least `min` earns `name`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRule {
    pub name: String,
    pub min: f64,
}

fn default_grades() -> Vec<GradeRule> {
    [("优秀", 90.0), ("合格", 70.0), ("基本合格", 60.0), ("不合格", 0.0)]
        .into_iter()
        .map(|(name, min)| GradeRule { name: name.into(), min })
        .collect()
}

/// A way to reach someone: a contact or a supervision channel.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub mailbox: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

impl Channel {
    pub fn is_empty(&self) -> bool {
        [&self.phone, &self.address, &self.mailbox, &self.email]
            .iter()
            .all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// `<section>/section.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// A township (乡镇、街道) or a working committee (工委、党委); optional.
    #[serde(default)]
    pub kind: Option<SectionKind>,
    /// The Party organisation's full name, e.g. 中共南河镇委员会; optional.
    #[serde(default)]
    pub organization: Option<String>,
}

/// What a section is: `new unit` names a unit's organisation after its township.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// 乡镇（街道）党委: units are named 中共<乡镇><单位>支部委员会.
    Township,
    /// 县直机关工委、系统党委 and other working committees.
    Committee,
}

/// The five kinds of unit the mechanism covers (全覆盖).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Village,
    Community,
    Agency,
    Enterprise,
    School,
}

/// School members are teachers, staff or students.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberCategory {
    Teacher,
    Staff,
    Student,
}

/// `<unit>/unit.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFile {
    pub name: String,
    pub kind: UnitKind,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub contact: Option<Channel>,
    #[serde(default)]
    pub supervision: Option<Channel>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// A party group (党小组).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub leader: Option<String>,
}

/// A Party member of a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "string_or_number")]
    pub group: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub joined: Option<i32>,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub phone: Option<String>,
    #[serde(default)]
    pub category: Option<MemberCategory>,
    /// Why the member has no zone, post or score (年老体弱, 外出流动 …).
    #[serde(default)]
    pub exempt: Option<String>,
    /// `false`: the member did not consent to publication; the name is masked everywhere.
    #[serde(default = "yes")]
    pub consent: bool,
    /// `true`: the member agreed that residents may call `phone`; it is shown in full as a link.
    #[serde(default)]
    pub phone_public: bool,
}

fn yes() -> bool {
    true
}

impl Member {
    pub fn is_exempt(&self) -> bool {
        self.exempt.is_some()
    }
}

/// `<unit>/zones.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZonesFile {
    #[serde(default)]
    pub zones: Vec<Zone>,
}

/// A responsibility zone (党员责任区).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "string_or_number")]
    pub group: String,
    #[serde(default)]
    pub members: Vec<IdRef>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub households: Option<u32>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A member id written in a list; numbers are accepted and read as text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdRef(#[serde(deserialize_with = "string_or_number")] pub String);

/// A non-member who shares a zone, e.g. the villager representative of a "1+1" pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// `<unit>/posts.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostsFile {
    #[serde(default)]
    pub posts: Vec<Post>,
}

/// A member's post (岗位) with duties, commitments and the record of duties performed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    #[serde(deserialize_with = "string_or_number")]
    pub member: String,
    pub title: String,
    #[serde(default)]
    pub duties: Vec<String>,
    #[serde(default)]
    pub commitments: Vec<String>,
    #[serde(default)]
    pub records: Vec<Record>,
}

/// One dated entry of duties performed (履责记录).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub date: Date,
    pub summary: String,
}

/// `<unit>/assessments/<year>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentFile {
    pub year: i32,
    #[serde(default)]
    pub published: Option<Date>,
    #[serde(default)]
    pub notice_days: Option<u32>,
    #[serde(default)]
    pub until: Option<Date>,
    /// The length in working days, counted against `content/holidays.yaml` ([`crate::calendar`]).
    #[serde(default)]
    pub notice_workdays: Option<u32>,
    /// Where to lodge objections (异议受理), e.g. 镇党委组织办公室 0316-8810000.
    #[serde(default)]
    pub objections: Option<String>,
    /// The objections received during the notice period and what became of each (异议处理情况).
    #[serde(default)]
    pub objection_log: Vec<Objection>,
    #[serde(default)]
    pub results: Vec<AssessmentResult>,
}

/// One objection received about the results (`objection_log:` in `assessments/<year>.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// The day it was received.
    pub received: Date,
    /// What was objected to, without the name of whoever lodged it.
    pub matter: String,
    /// The answer given, once there is one.
    #[serde(default)]
    pub reply: Option<String>,
    /// What was decided (维持原结果, 更正分数 …).
    #[serde(default)]
    pub outcome: Option<String>,
    /// `true`: a published result was changed because of it.
    #[serde(default)]
    pub result_changed: bool,
}

/// One member's year-end result.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentResult {
    #[serde(deserialize_with = "string_or_number")]
    pub member: String,
    #[serde(rename = "self")]
    pub self_review: f64,
    pub masses: f64,
    pub organization: f64,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub vanguard: bool,
    #[serde(default)]
    pub action: Option<FollowUp>,
    #[serde(default)]
    pub note: Option<String>,
    /// Weighted total, derived.
    #[serde(skip)]
    pub total: f64,
    /// The grade shown: as given, otherwise computed. Derived.
    #[serde(skip)]
    pub final_grade: String,
    /// 1-based rank by total within the member's party group. Derived.
    #[serde(skip)]
    pub group_rank: usize,
}

/// What the branch does for a member who fell short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum FollowUp {
    #[serde(rename = "帮助")]
    Help,
    #[serde(rename = "调整责任区")]
    ChangeZone,
}

/// An assessment year as loaded, with where it came from.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub file: PathBuf,
    pub data: AssessmentFile,
    /// Last day of the notice period, when one is given.
    pub last_day: Option<Date>,
}

/// Front matter of a notice (`notices/*.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeFrontMatter {
    pub title: String,
    pub date: Date,
    #[serde(default)]
    pub draft: bool,
    /// The organisation that issued it; by default the organisation of the level publishing it.
    #[serde(default)]
    pub issuer: Option<String>,
}

/// A dated notice (通知公告) at county, section or unit level.
#[derive(Debug, Clone)]
pub struct Notice {
    pub file: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub draft: bool,
    /// As written in the front matter; [`Notice::issuer_or`] gives the one shown.
    pub issuer: Option<String>,
    pub body: String,
    /// The body as sanitised HTML, made the first time a page or feed needs it
    /// (`render::notice_html`): a notice shows on its page and in up to three feeds.
    pub html: std::sync::OnceLock<String>,
}

impl Notice {
    /// Who issued the notice: as written, otherwise `level`, the organisation of its level.
    pub fn issuer_or<'a>(&'a self, level: &'a str) -> &'a str {
        self.issuer.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(level)
    }
}

/// The organisation that issues the county's notices: `organizer`, else the site's title.
pub fn county_issuer(config: &SiteConfig) -> &str {
    config.organizer.as_deref().unwrap_or(&config.title)
}

/// The organisation that issues a section's notices: its `organization`, else its name.
pub fn section_issuer(section: &Section) -> &str {
    section.organization.as_deref().unwrap_or(&section.name)
}

/// The organisation that issues a unit's notices: its `organization`, else its name.
pub fn unit_issuer(unit: &Unit) -> &str {
    unit.info.organization.as_deref().unwrap_or(&unit.info.name)
}

/// A folder of units and sub-sections (乡镇, 县直机关工委 …).
#[derive(Debug, Clone)]
pub struct Section {
    /// Slash-separated slugs from the content root, e.g. `nanhe-zhen`.
    pub path: String,
    pub file: PathBuf,
    pub name: String,
    pub description: Option<String>,
    pub kind: Option<SectionKind>,
    pub organization: Option<String>,
    pub parent: Option<usize>,
    pub subsections: Vec<usize>,
    pub units: Vec<usize>,
    pub notices: Vec<Notice>,
}

/// One Party branch with its members and its three disclosures.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Slash-separated slugs from the content root, e.g. `nanhe-zhen/dongwangzhuang`.
    pub path: String,
    pub dir: PathBuf,
    pub section: usize,
    pub info: UnitFile,
    pub zones: Vec<Zone>,
    pub has_zones_file: bool,
    pub posts: Vec<Post>,
    pub has_posts_file: bool,
    /// Sorted by year, oldest first.
    pub assessments: Vec<Assessment>,
    pub notices: Vec<Notice>,
    pub intro: Option<String>,
    /// Example text of the skeleton still in the files (`rules::placeholder`). Derived.
    pub placeholders: Vec<Placeholder>,
}

/// Example text that `gongkai new unit` wrote (党员甲, 请填写责任区范围), where it still is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Below the unit's folder: `unit.yaml`, `zones.yaml`, `posts.yaml` or `assessments/2016.yaml`.
    pub file: String,
    /// The year of an assessment file.
    pub year: Option<i32>,
    pub line: usize,
    pub text: String,
}

impl Unit {
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.info.members.iter().find(|m| m.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.info.groups.iter().find(|g| g.id == id)
    }

    pub fn assessment(&self, year: i32) -> Option<&Assessment> {
        self.assessments.iter().find(|a| a.data.year == year)
    }

    pub fn post_of(&self, member: &str) -> Option<&Post> {
        self.posts.iter().find(|p| p.member == member)
    }

    pub fn zones_of<'a>(&'a self, member: &'a str) -> impl Iterator<Item = &'a Zone> + 'a {
        self.zones.iter().filter(move |z| z.members.iter().any(|m| m.0 == member))
    }
}

/// A unit folder found by discovery, not yet read: where it is and which section holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPlace {
    /// Folder below the site root, e.g. `content/nanhe-zhen/dongwangzhuang`.
    pub dir: PathBuf,
    /// Slash-separated slugs from the content root, e.g. `nanhe-zhen/dongwangzhuang`.
    pub path: String,
    pub section: usize,
}

/// The site as discovery finds it: settings, sections, notices above the units, and where each
/// unit is. The units' own files are read one unit at a time by the per-unit stage
/// (`pipeline`), so the whole county is never in memory at once.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub intro: Option<String>,
    pub notices: Vec<Notice>,
    /// Depth-first, in path order.
    pub sections: Vec<Section>,
    /// In path order; `Section::units` and page kinds index into this list.
    pub units: Vec<UnitPlace>,
    /// The year whose results must be published.
    pub assessment_year: Option<i32>,
    /// `content/holidays.yaml`, when the site has one.
    pub holidays: Option<crate::calendar::Calendar>,
}

impl Site {
    /// The oldest assessment year published (`retain_years` back from the assessment year).
    pub fn first_published_year(&self) -> Option<i32> {
        self.assessment_year.map(|year| year - self.config.retain_years.max(1) + 1)
    }
}
