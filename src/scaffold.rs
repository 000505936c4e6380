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
            bail!(
                "“{part}”不能用作网址：只用小写英文字母、数字和“-”，例如“{}”",
                suggest_slug(part)
            );
        }
    }
    let content = root.join("content");
    if !content.join("site.yaml").is_file() {
        bail!(
            "{} 里没有 content/site.yaml；请在站点根目录运行，或用 --root 指定",
            root.display()
        );
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
    let unit = format!(
        "# {name}（{label}）的基本信息。格式说明见 docs/content-format.md。\n\
name: {name}\n\
kind: {kind_key}\n\
organization: 中共{name}支部委员会\n\
contact: {{ phone: 请填写办公电话, address: 请填写地址 }}\n\
# 群众监督渠道：必填，网站每一页都会显示。\n\
supervision: {{ phone: 请填写监督电话, mailbox: 请填写意见箱位置 }}\n\
groups:\n\
  - {{ id: g1, name: 第一党小组, leader: m01 }}\n\
members:\n\
  - {{ id: m01, name: 请填写姓名, group: g1, role: 支部书记 }}\n\
  - {{ id: m02, name: 请填写姓名, group: g1 }}\n",
        label = kind_label(kind)
    );
    let zones = format!(
        "# 公开一：党员责任区和党小组（按{term}划分）。每名不免责的党员至少负责一个责任区。\n\
zones:\n\
  - id: z1\n\
    name: 第一责任区\n\
    group: g1\n\
    members: [m01, m02]\n\
    area: 请填写责任区范围\n"
    );
    let posts = "# 公开二：党员定岗履责。每名不免责的党员一个岗位，至少一项职责，考核年度内至少一条履责记录。\n\
posts:\n\
  - member: m01\n\
    title: 政策宣传岗\n\
    duties: [宣传党的政策]\n\
    commitments: [每季度走访责任区一遍]\n\
    records: []\n\
  - member: m02\n\
    title: 联系群众岗\n\
    duties: [收集群众意见]\n\
    commitments: []\n\
    records: []\n";
    std::fs::write(dir.join("unit.yaml"), unit)?;
    std::fs::write(dir.join("zones.yaml"), zones)?;
    std::fs::write(dir.join("posts.yaml"), posts)?;
    std::fs::create_dir_all(dir.join("assessments"))?;
    std::fs::create_dir_all(dir.join("notices"))?;
    Ok(dir)
}
