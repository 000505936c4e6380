//! `gongkai new site|section|unit`: skeletons that build, pass `check` and show what is missing.
//!
//! Every function checks everything before it writes anything, so a refusal leaves the disk as it
//! was. The texts written live in `src/scaffold/` (the site's settings and the webmaster's guide)
//! or below, with `{name}`-style blanks.

use crate::content::load::RESERVED_TOP;
use crate::content::model::{SectionFile, SectionKind, UnitKind};
use crate::content::source::{is_slug, suggest_slug};
use crate::render::words::{kind_label, zone_term};
use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};

/// `content/site.yaml` of a new site.
const SITE_YAML: &str = include_str!("scaffold/site.yaml");
/// `说明.md` in a new site's root: the webmaster's next steps.
const GUIDE: &str = include_str!("scaffold/guide.md");
/// The guide's file name.
pub const GUIDE_FILE: &str = "说明.md";
/// `.gitignore` of a new site: what gongkai makes and nobody should commit.
const GITIGNORE: &str = "\
# gongkai 生成的文件，不要提交到版本库
/output/
/.output.gongkai-*
/.gongkai-cache/
";

/// Creates a site in `dir` (which must not exist or be empty): `content/site.yaml` for the
/// county `name`, an empty `content/`, `.gitignore` and the guide.
pub fn new_site(dir: &Path, name: &str, organizer: Option<&str>) -> Result<()> {
    let name = one_line("--name", name)?;
    let organizer = organizer.map(|o| one_line("--organizer", o)).transpose()?;
    if dir.is_file() {
        bail!("{} 是一个文件，不是文件夹；未做任何改动，请换一个文件夹名", dir.display());
    }
    if dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("无法读取 {}", dir.display()))?;
        if entries.next().is_some() {
            bail!("{} 不是空文件夹，未做任何改动；请指定一个新的或空的文件夹", dir.display());
        }
    }
    let organizer_line = match organizer {
        Some(organizer) => format!("organizer: {}", yaml_scalar(organizer)),
        None => format!("# organizer: 中共{name}委组织部"),
    };
    let site_yaml = SITE_YAML
        .replace("{title}", &yaml_scalar(&format!("{name}党员“七权七责”公开平台")))
        .replace("{organizer_line}", &organizer_line)
        .replace("{name}", name)
        .replace("{year}", &crate::date::Date::build_date().year.to_string());
    let guide = GUIDE.replace("{name}", name);
    std::fs::create_dir_all(dir.join("content")).with_context(|| format!("无法新建 {}", dir.display()))?;
    write(&dir.join("content/site.yaml"), &site_yaml)?;
    write(&dir.join(".gitignore"), GITIGNORE)?;
    write(&dir.join(GUIDE_FILE), &guide)?;
    Ok(())
}

/// What `new section` wrote, for the message that follows.
#[derive(Debug)]
pub struct NewSection {
    pub dir: PathBuf,
    pub kind: Option<SectionKind>,
    pub organization: Option<String>,
}

/// Creates `content/<path>/section.yaml`; the parent of a nested section must be a section.
/// Without `kind`, a name ending in 镇, 乡 or 街道 is a township. A township's organisation
/// defaults to 中共<name>委员会 (a 街道's to 中共<name>工作委员会).
pub fn new_section(
    root: &Path,
    path: &str,
    name: &str,
    kind: Option<SectionKind>,
    organization: Option<&str>,
) -> Result<NewSection> {
    let name = one_line("--name", name)?;
    let organization = organization.map(|o| one_line("--organization", o)).transpose()?;
    let parts = slugs(path, 1, "栏目路径应写成 <栏目> 或 <上级栏目>/<栏目>，例如 nanhe-zhen")?;
    let content = content_folder(root)?;
    if parts.len() == 1 && RESERVED_TOP.contains(&parts[0]) {
        bail!("“{}”是网站自用的地址（{}），不能用作栏目名；请换一个", parts[0], RESERVED_TOP.join("、"));
    }
    if parts.contains(&"notices") {
        bail!("“notices”文件夹专放通知公告，不能用作栏目名；请换一个");
    }
    if parts.len() > 1 {
        let parent = parts[..parts.len() - 1].join("/");
        if !content.join(&parent).join("section.yaml").is_file() {
            bail!("上级栏目 {parent} 不存在：请先运行 gongkai new section {parent} --name <名称>");
        }
    }
    let dir = content.join(parts.join("/"));
    if dir.exists() {
        bail!("{} 已经存在，未做任何改动", dir.display());
    }
    let kind = kind.or_else(|| is_township_name(name).then_some(SectionKind::Township));
    let organization = organization.map(str::to_string).or_else(|| match kind {
        Some(SectionKind::Township) if name.ends_with("街道") => Some(format!("中共{name}工作委员会")),
        Some(SectionKind::Township) => Some(format!("中共{name}委员会")),
        _ => None,
    });
    let mut text = format!(
        "# 栏目（上级党组织）：{name}。格式说明见 docs/content-format.md。\n\
# 栏目下每个文件夹是一个单位（有 unit.yaml）或下级栏目（有 section.yaml）；通知公告放在 notices/。\n\
name: {}\n",
        yaml_scalar(name)
    );
    text.push_str(match kind {
        Some(SectionKind::Township) => "# township：乡镇（街道）；新建单位时组织名称带上乡镇名，如 中共南河镇新庄村支部委员会\nkind: township\n",
        Some(SectionKind::Committee) => "# committee：县直机关工委、系统党委等\nkind: committee\n",
        None => "# kind: township    # 乡镇（街道）写 township，工委、系统党委写 committee\n",
    });
    match &organization {
        Some(organization) => text.push_str(&format!("organization: {}\n", yaml_scalar(organization))),
        None => text.push_str("# organization: 中共……委员会    # 上级党组织的全称\n"),
    }
    text.push_str("# description: 一两句介绍，显示在栏目页上\n");
    std::fs::create_dir_all(&dir).with_context(|| format!("无法新建 {}", dir.display()))?;
    write(&dir.join("section.yaml"), &text)?;
    Ok(NewSection { dir, kind, organization })
}

/// 镇, 乡 and 街道 are townships (乡镇级).
fn is_township_name(name: &str) -> bool {
    ["镇", "乡", "街道"].iter().any(|end| name.ends_with(end))
}

/// Creates `content/<section path>/<unit>/` with unit, zones and posts files. Returns the folder.
pub fn new_unit(root: &Path, path: &str, kind: UnitKind, name: &str) -> Result<PathBuf> {
    let parts = slugs(path, 2, "单位路径应写成 <栏目>/<单位>，例如 nanhe-zhen/dongwangzhuang")?;
    let content = content_folder(root)?;
    let section_path = parts[..parts.len() - 1].join("/");
    let section = content.join(&section_path);
    if !section.join("section.yaml").is_file() {
        bail!(
            "栏目 {section_path} 不存在：请先运行 gongkai new section {section_path} --name <乡镇或工委名称>"
        );
    }
    let dir = section.join(parts[parts.len() - 1]);
    if dir.exists() {
        bail!("{} 已经存在，未做任何改动", dir.display());
    }
    let name = one_line("--name", name)?;
    let organization = unit_organization(&content, &parts[..parts.len() - 1], name)?;
    std::fs::create_dir_all(&dir)?;
    let kind_key = serde_yaml::to_string(&kind)?.trim().to_string();
    let term = zone_term(kind);
    let label = kind_label(kind);
    let quoted = yaml_scalar(name);
    let organization = yaml_scalar(&organization);
    let unit = format!(
        r#"# {name}（{label}）的基本信息。格式说明见 docs/content-format.md。
name: {quoted}
kind: {kind_key}
organization: {organization}
# contact: {{ phone: 0316-0000000, address: {name}党群服务中心 }}
# 群众监督渠道：写上后网站每一页都会显示；没写时“公开情况”页显示为红色。
# supervision: {{ phone: 0316-0000000, mailbox: {name}党群服务中心门口意见箱 }}
groups:
  - {{ id: g1, name: 第一党小组, leader: m01 }}
members:
  - {{ id: m01, name: 党员甲, group: g1, role: 支部书记 }}
  - {{ id: m02, name: 党员乙, group: g1 }}
"#
    );
    let zones = format!(
        r#"# 公开一：党员责任区和党小组（按{term}划分）。每名不免责的党员至少负责一个责任区。
zones:
  - id: z1
    name: 第一责任区
    group: g1
    members: [m01, m02]
    area: 请填写责任区范围
"#
    );
    let posts = r#"# 公开二：党员定岗履责。每名不免责的党员一个岗位，至少一项职责，考核年度内至少一条履责记录。
posts:
  - member: m01
    title: 政策宣传岗
    duties: [宣传党的政策]
    commitments: [每季度走访责任区一遍]
    records: []
  - member: m02
    title: 联系群众岗
    duties: [收集群众意见]
    commitments: []
    records: []
"#;
    write(&dir.join("unit.yaml"), &unit)?;
    write(&dir.join("zones.yaml"), &zones)?;
    write(&dir.join("posts.yaml"), posts)?;
    std::fs::create_dir_all(dir.join("assessments"))?;
    std::fs::create_dir_all(dir.join("notices"))?;
    Ok(dir)
}

/// The organisation of a new unit `name` in the section at `section` (slugs below `content`):
/// 中共<乡镇><单位>支部委员会 when the section or one above it says it is a township
/// (`kind: township`), else 中共<单位>支部委员会. A name that already starts with the township's
/// (南河镇中心小学) is not prefixed again.
pub fn unit_organization(content: &Path, section: &[&str], name: &str) -> Result<String> {
    for depth in (1..=section.len()).rev() {
        let file = content.join(section[..depth].join("/")).join("section.yaml");
        let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
        let info: SectionFile = serde_yaml::from_str(&text).map_err(|_| {
            anyhow::anyhow!("{} 有错误，未做任何改动；请先运行 gongkai check 查看并改正", file.display())
        })?;
        if info.kind == Some(SectionKind::Township) {
            let township = info.name.trim();
            return Ok(if name.starts_with(township) {
                format!("中共{name}支部委员会")
            } else {
                format!("中共{township}{name}支部委员会")
            });
        }
    }
    Ok(format!("中共{name}支部委员会"))
}

/// The slugs of a `/`-separated path of at least `min` parts; `shape` says how to write it.
fn slugs<'a>(path: &'a str, min: usize, shape: &str) -> Result<Vec<&'a str>> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if parts.len() < min || parts.iter().any(|p| p.is_empty()) {
        bail!("{shape}");
    }
    for part in &parts {
        if !is_slug(part) {
            bail!("“{part}”不能用作网址：只用小写英文字母、数字和“-”，例如“{}”", suggest_slug(part));
        }
    }
    Ok(parts)
}

/// `ROOT/content`, which must hold `site.yaml`; `content` alone for the current folder, so
/// messages name `content/x` rather than `./content/x`.
fn content_folder(root: &Path) -> Result<PathBuf> {
    let content = if root == Path::new(".") { PathBuf::from("content") } else { root.join("content") };
    if !content.join("site.yaml").is_file() {
        bail!(
            "{} 里没有 content/site.yaml；请在站点根目录运行，或用 --root 指定；新站点请先运行 gongkai new site <文件夹> --name <县名>",
            root.display()
        );
    }
    Ok(content)
}

/// A name given on the command line: trimmed, not empty, one line.
fn one_line<'a>(flag: &str, value: &'a str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        bail!("{flag} 不能为空");
    }
    if value.contains(['\n', '\r']) {
        bail!("{flag} 只能写一行");
    }
    Ok(value)
}

/// A YAML scalar that reads back as `text`: plain when it can be, quoted when it must.
fn yaml_scalar(text: &str) -> String {
    serde_yaml::to_string(text).map(|s| s.trim_end().to_string()).unwrap_or_else(|_| format!("{text:?}"))
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("无法写入 {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_read_back_as_written() {
        for text in ["示范县", "a: b", "'引号'", "# 井号", "yes", "123", "中共南河镇委员会"] {
            let back: String = serde_yaml::from_str(&yaml_scalar(text)).unwrap();
            assert_eq!(back, text);
        }
        assert_eq!(yaml_scalar("示范县"), "示范县");
    }

    #[test]
    fn townships_by_name() {
        assert!(is_township_name("南河镇") && is_township_name("北园乡") && is_township_name("城关街道"));
        assert!(!is_township_name("县直机关工委") && !is_township_name("镇中学"));
    }
}
