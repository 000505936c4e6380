//! `gongkai new unit`: a working skeleton for a new unit that builds and shows what is missing.

use crate::content::model::UnitKind;
use crate::content::source::{is_slug, suggest_slug};
use crate::render::words::{kind_label, zone_term};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// Creates `content/<section path>/<unit>/` with unit, zones and posts files. Returns the folder.
pub fn new_unit(root: &Path, path: &str, kind: UnitKind, name: &str) -> Result<PathBuf> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if parts.len() < 2 {
        bail!("单位路径应写成 <栏目>/<单位>，例如 nanhe-zhen/dongwangzhuang");
    }
    for part in &parts {
        if !is_slug(part) {
            bail!("“{part}”不能用作网址：只用小写英文字母、数字和“-”，例如“{}”", suggest_slug(part));
        }
    }
    let content = root.join("content");
    if !content.join("site.yaml").is_file() {
        bail!("{} 里没有 content/site.yaml；请在站点根目录运行，或用 --root 指定", root.display());
    }
    let section = content.join(parts[..parts.len() - 1].join("/"));
    if !section.join("section.yaml").is_file() {
        bail!(
            "栏目 {} 不存在：请先新建这个文件夹并放入 section.yaml（写上 name: 乡镇名称）",
            parts[..parts.len() - 1].join("/")
        );
    }
    let dir = section.join(parts[parts.len() - 1]);
    if dir.exists() {
        bail!("{} 已经存在，未做任何改动", dir.display());
    }
    if name.trim().is_empty() {
        bail!("--name 不能为空");
    }
    std::fs::create_dir_all(&dir)?;
    let kind_key = serde_yaml::to_string(&kind)?.trim().to_string();
    let term = zone_term(kind);
    let label = kind_label(kind);
    let unit = format!(
        r#"# {name}（{label}）的基本信息。格式说明见 docs/content-format.md。
name: {name}
kind: {kind_key}
organization: 中共{name}支部委员会
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
    std::fs::write(dir.join("unit.yaml"), unit)?;
    std::fs::write(dir.join("zones.yaml"), zones)?;
    std::fs::write(dir.join("posts.yaml"), posts)?;
    std::fs::create_dir_all(dir.join("assessments"))?;
    std::fs::create_dir_all(dir.join("notices"))?;
    Ok(dir)
}
