//! Spreadsheets in and out (docs/content-format.md §18). At the grassroots, rosters and score
//! sheets are Excel or WPS workbooks; these commands make the workbook the front door while the
//! YAML under `content/` stays the source of truth that `check`, `build` and `serve` read.
//!
//! - [`template`] writes one unit's workbook, pre-filled from its files;
//! - [`import`] reads workbooks and CSV files ([`read`] finds the tables in them, [`layout`]
//!   names the columns), writes the unit's YAML through `content::write`, and loads the result
//!   with `pipeline::load_all` before anything is committed;
//! - [`export`] writes the county's workbook for reporting upward.

pub mod export;
pub mod import;
pub mod layout;
pub mod read;
mod style;
pub mod template;

use crate::content::model::{
    AssessmentFile, Member, Post, PostsFile, SiteConfig, UnitFile, UnitKind, Zone, ZonesFile,
};
use crate::content::{source, yaml};
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a spreadsheet command stopped.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// Problems in the workbooks or the content (exit code 1).
    #[error("内容有错误")]
    Content(Diagnostics),
    /// Problems with the command line, the folders or the machine (exit code 2).
    #[error("{0:#}")]
    Usage(#[from] anyhow::Error),
}

impl From<Diagnostic> for SheetError {
    fn from(diagnostic: Diagnostic) -> SheetError {
        SheetError::Content(Diagnostics(vec![diagnostic]))
    }
}

/// Reads and parses one content file that must be valid (site.yaml, a unit's files).
fn read_yaml<T: serde::de::DeserializeOwned>(root: &Path, relative: &Path) -> Result<T, Diagnostic> {
    let source = source::read(root, relative)?;
    yaml::parse(&source)
}

/// `content/site.yaml`, which every command needs; its absence is a usage error.
fn site_config(root: &Path) -> Result<SiteConfig, SheetError> {
    let relative = Path::new("content/site.yaml");
    if !root.join(relative).is_file() {
        return Err(SheetError::Usage(anyhow::anyhow!(
            "{} 里没有 content/site.yaml；请在站点根目录运行，或用 --root 指定",
            root.display()
        )));
    }
    Ok(read_yaml(root, relative)?)
}

/// A unit's place: `nanhe-zhen/dongwangzhuang-cun` and `content/nanhe-zhen/dongwangzhuang-cun`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UnitPath {
    path: String,
    dir: PathBuf,
}

impl UnitPath {
    /// Checks the path's form and that its section exists (as `new unit` does).
    fn parse(root: &Path, path: &str) -> Result<UnitPath, SheetError> {
        let parts: Vec<&str> = path.trim().trim_matches('/').split('/').collect();
        if parts.len() < 2 {
            return Err(
                anyhow::anyhow!("单位路径应写成 <栏目>/<单位>，例如 nanhe-zhen/dongwangzhuang-cun").into()
            );
        }
        for part in &parts {
            if !source::is_slug(part) {
                return Err(anyhow::anyhow!(
                    "“{part}”不能用作网址：只用小写英文字母、数字和“-”，例如“{}”",
                    source::suggest_slug(part)
                )
                .into());
            }
        }
        let section = parts[..parts.len() - 1].join("/");
        if !root.join("content").join(&section).join("section.yaml").is_file() {
            return Err(anyhow::anyhow!(
                "栏目 {section} 不存在：请先新建这个文件夹并放入 section.yaml（写上 name: 乡镇名称）"
            )
            .into());
        }
        let path = parts.join("/");
        Ok(UnitPath { dir: Path::new("content").join(&path), path })
    }

    fn exists(&self, root: &Path) -> bool {
        root.join(&self.dir).join("unit.yaml").is_file()
    }

    /// The unit's YAML files, which must parse (they are merged with or shown as they are).
    fn read(&self, root: &Path) -> Result<UnitFiles, SheetError> {
        let mut problems = Diagnostics::default();
        let mut parse = |name: &str| -> Option<crate::diagnostic::SourceText> {
            let relative = self.dir.join(name);
            if !root.join(&relative).is_file() {
                return None;
            }
            match source::read(root, &relative) {
                Ok(source) => Some(source),
                Err(error) => {
                    problems.push(error);
                    None
                }
            }
        };
        let unit = parse("unit.yaml");
        let zones = parse("zones.yaml");
        let posts = parse("posts.yaml");
        let mut years: Vec<(i32, String)> = std::fs::read_dir(root.join(&self.dir).join("assessments"))
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let year = name.strip_suffix(".yaml")?.parse().ok()?;
                        Some((year, name))
                    })
                    .collect()
            })
            .unwrap_or_default();
        years.sort();
        let assessments: Vec<(i32, Option<crate::diagnostic::SourceText>)> =
            years.into_iter().map(|(year, name)| (year, parse(&format!("assessments/{name}")))).collect();
        let mut files = UnitFiles::default();
        let mut take = |result: Result<(), Diagnostic>| {
            if let Err(error) = result {
                problems.push(error);
            }
        };
        take(unit.map_or(Ok(()), |s| yaml::parse::<UnitFile>(&s).map(|f| files.info = Some(f))));
        take(zones.map_or(Ok(()), |s| yaml::parse::<ZonesFile>(&s).map(|f| files.zones = Some(f.zones))));
        take(posts.map_or(Ok(()), |s| yaml::parse::<PostsFile>(&s).map(|f| files.posts = Some(f.posts))));
        for (year, source) in assessments {
            take(source.map_or(Ok(()), |s| {
                yaml::parse::<AssessmentFile>(&s).map(|f| {
                    files.assessments.insert(year, f);
                })
            }));
        }
        if problems.has_errors() {
            return Err(SheetError::Content(problems));
        }
        Ok(files)
    }
}

/// A unit file with a name and kind and nothing else: a unit not yet created, or one member's
/// line of `unit.yaml` for comparing.
fn bare_unit(name: String, kind: UnitKind, members: Vec<Member>) -> UnitFile {
    UnitFile { name, kind, organization: None, contact: None, supervision: None, groups: Vec::new(), members }
}

/// A unit's YAML files as parsed; `None` where the file does not exist.
#[derive(Debug, Clone, Default)]
struct UnitFiles {
    info: Option<UnitFile>,
    zones: Option<Vec<Zone>>,
    posts: Option<Vec<Post>>,
    assessments: BTreeMap<i32, AssessmentFile>,
}

/// Writes a file through a temporary file beside it, so a reader never sees half of it.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.gongkai-new-{}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
