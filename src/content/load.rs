//! Reads `content/` into the model: discovery (settings, sections, notices above the units, where
//! each unit is) and then one unit at a time. Every file's text passes the hostile-input guards
//! (`crate::guard`) before it is parsed; checking what the files say is `crate::rules`' job.

use super::model::*;
use super::source::{self, is_slug, suggest_slug};
use super::yaml;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceText};
use rayon::prelude::*;
use std::path::Path;

/// Folder names at the top of `content/` that the site itself uses.
pub const RESERVED_TOP: &[&str] = &["about", "disclosure", "search", "notices", "assets", "404"];
/// Sections deeper than this are refused; it also stops symbolic-link loops.
const MAX_DEPTH: usize = 12;

/// What to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include notices marked `draft: true`.
    pub drafts: bool,
}

/// The texts of a unit's YAML files, kept while the unit is checked so that problems can be
/// located (`rules::unit::check`), then dropped with the unit.
#[derive(Default)]
pub struct Sources {
    pub unit: Option<SourceText>,
    pub zones: Option<SourceText>,
    pub posts: Option<SourceText>,
    pub assessments: Vec<(i32, SourceText)>,
    /// `index.md` and the notices, for locating names in free text (`masking::free_text`).
    pub markdown: Vec<SourceText>,
}

/// What discovery read: the site and the text of `site.yaml`, for checking its settings.
pub struct Discovered {
    pub site: Site,
    pub config_source: SourceText,
}

/// Discovers the site under `root/content`: reads `site.yaml`, the home page text, the county's
/// and sections' notices, and finds every unit folder without reading it. `None` when `site.yaml`
/// could not be read.
pub fn discover(root: &Path, options: LoadOptions) -> (Option<Discovered>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let content = Path::new("content");
    let Some((config, config_source)) =
        read_yaml::<SiteConfig>(root, &content.join("site.yaml"), &mut diagnostics)
    else {
        return (None, finish(diagnostics));
    };
    let intro = read_markdown(root, &content.join("index.md"), &mut diagnostics);
    let holidays = read_holidays(root, &mut diagnostics);
    let notices = read_notices(root, &content.join("notices"), options, &mut diagnostics, None);

    let mut walk = Walk { options, ..Walk::default() };
    walk.visit(root, content, None, 0, &mut diagnostics);
    let mut sections = walk.sections;
    for (u, place) in walk.units.iter().enumerate() {
        sections[place.section].units.push(u);
    }
    let assessment_year = config.assessment.year.or_else(|| {
        walk.units.par_iter().filter_map(|u| assessment_years(&root.join(&u.dir)).into_iter().max()).max()
    });
    let site = Site { config, intro, notices, sections, units: walk.units, assessment_year, holidays };
    (Some(Discovered { site, config_source }), finish(diagnostics))
}

fn finish(mut diagnostics: Diagnostics) -> Diagnostics {
    diagnostics.sort();
    diagnostics
}

#[derive(Default)]
struct Walk {
    options: LoadOptions,
    sections: Vec<Section>,
    units: Vec<UnitPlace>,
}

impl Walk {
    fn visit(
        &mut self,
        root: &Path,
        dir: &Path,
        parent: Option<usize>,
        depth: usize,
        diagnostics: &mut Diagnostics,
    ) {
        let Some(entries) = list(root, dir, diagnostics) else {
            return;
        };
        for (name, is_dir) in entries {
            let relative = dir.join(&name);
            if !is_dir {
                if parent.is_none() && !matches!(name.as_str(), "site.yaml" | "index.md" | "holidays.yaml") {
                    diagnostics.push(unknown_file(&relative, &["site.yaml", "index.md", "holidays.yaml"]));
                } else if parent.is_some() && name != "section.yaml" {
                    diagnostics.push(unknown_file(&relative, &["section.yaml"]));
                }
                continue;
            }
            if name == "notices" {
                continue; // read with the level it belongs to
            }
            if parent.is_none() && RESERVED_TOP.contains(&name.as_str()) {
                diagnostics.push(
                    Diagnostic::error(&relative, format!("文件夹名“{name}”是网站保留的地址"))
                        .hint(format!("换一个名字，例如 {name}-1")),
                );
                continue;
            }
            if !is_slug(&name) {
                diagnostics.push(bad_slug(&relative, &name));
                continue;
            }
            if depth >= MAX_DEPTH {
                diagnostics.push(Diagnostic::error(&relative, "栏目层级过深").hint("栏目最多嵌套 12 层"));
                continue;
            }
            let full = root.join(&relative);
            let path = slug_path(&relative);
            if is_plain_file(&full.join("unit.yaml")) {
                match parent {
                    Some(section) => self.units.push(UnitPlace { dir: relative, path, section }),
                    None => diagnostics.push(
                        Diagnostic::error(
                            &relative.join("unit.yaml"),
                            "单位必须放在栏目（乡镇、工委等）文件夹里",
                        )
                        .hint("新建一个栏目文件夹并放入 section.yaml，再把这个单位移进去"),
                    ),
                }
            } else if is_plain_file(&full.join("section.yaml")) {
                let file = relative.join("section.yaml");
                let Some((info, _)) = read_yaml::<SectionFile>(root, &file, diagnostics) else {
                    continue;
                };
                let index = self.sections.len();
                let notices = read_notices(root, &relative.join("notices"), self.options, diagnostics, None);
                self.sections.push(Section {
                    path,
                    file,
                    name: info.name,
                    description: info.description,
                    kind: info.kind,
                    organization: info.organization,
                    parent,
                    subsections: Vec::new(),
                    units: Vec::new(),
                    notices,
                });
                if let Some(parent) = parent {
                    self.sections[parent].subsections.push(index);
                }
                self.visit(root, &relative, Some(index), depth + 1, diagnostics);
            } else {
                diagnostics.push(
                    Diagnostic::error(&relative, "文件夹里既没有 section.yaml 也没有 unit.yaml")
                        .hint("栏目（乡镇、工委）文件夹放 section.yaml，单位文件夹放 unit.yaml；不需要的文件夹请移出 content/"),
                );
            }
        }
    }
}

/// A file that is there and is not a symbolic link: links are never followed (content-format §2),
/// and one in the place of a known file counts as no file (the folder listing warns about it).
fn is_plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Slash-separated slugs below `content/`.
fn slug_path(relative: &Path) -> String {
    relative.components().skip(1).map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Entries of a folder, sorted, without hidden files, editor leftovers and symbolic links.
fn list(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Option<Vec<(String, bool)>> {
    let entries = match std::fs::read_dir(root.join(dir)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            diagnostics.push(Diagnostic::error(dir, format!("无法读取文件夹：{e}")));
            return None;
        }
    };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name == "4913"
        {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            diagnostics.push(
                Diagnostic::warning(&dir.join(&name), "符号链接已忽略").hint("请把文件本身放进 content/"),
            );
            continue;
        }
        names.push((name, kind.is_dir()));
    }
    names.sort();
    Some(names)
}

fn unknown_file(relative: &Path, known: &[&str]) -> Diagnostic {
    let name = relative.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let diagnostic = Diagnostic::warning(relative, "未知文件，已忽略");
    match yaml::closest(&name, known) {
        Some(near) => diagnostic.hint(format!("是不是“{near}”？")),
        None => diagnostic.hint(format!("这里可以放的文件：{}", known.join("、"))),
    }
}

fn bad_slug(relative: &Path, name: &str) -> Diagnostic {
    Diagnostic::error(relative, format!("名称“{name}”不能用作网址"))
        .hint(format!("只用小写英文字母、数字和“-”（通常写拼音），例如“{}”", suggest_slug(name)))
}

/// Reads and checks `content/holidays.yaml`, if there is one. A file that cannot be read or
/// parsed gives a broken calendar, so that units counting working days do not report it again.
fn read_holidays(root: &Path, diagnostics: &mut Diagnostics) -> Option<crate::calendar::Calendar> {
    let relative = Path::new(crate::calendar::FILE);
    if !root.join(relative).is_file() {
        return None;
    }
    let Some((file, source)) = read_yaml::<crate::calendar::CalendarFile>(root, relative, diagnostics) else {
        return Some(crate::calendar::Calendar::broken());
    };
    let (calendar, problems) = crate::calendar::check(&file, &source);
    diagnostics.extend(problems);
    Some(calendar)
}

/// Reads, privacy-scans and parses one YAML file; problems go to `diagnostics`.
fn read_yaml<T: serde::de::DeserializeOwned>(
    root: &Path,
    relative: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<(T, SourceText)> {
    if !root.join(relative).is_file() {
        diagnostics
            .push(Diagnostic::error(relative, "缺少这个文件").hint("参照 docs/content-format.md 新建它"));
        return None;
    }
    let mut source = match source::read(root, relative) {
        Ok(source) => source,
        Err(error) => {
            diagnostics.push(error);
            return None;
        }
    };
    diagnostics.extend(crate::guard::screen_yaml(&mut source));
    match yaml::parse::<T>(&source) {
        Ok(value) => Some((value, source)),
        Err(error) => {
            diagnostics.push(error);
            None
        }
    }
}

fn read_markdown(root: &Path, relative: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    if !root.join(relative).is_file() {
        return None;
    }
    match source::read(root, relative) {
        Ok(mut source) => {
            let (found, too_deep) = crate::guard::screen_markdown(&mut source);
            diagnostics.extend(found);
            if let Some(too_deep) = too_deep {
                diagnostics.push(too_deep);
                return None;
            }
            Some(source.text)
        }
        Err(error) => {
            diagnostics.push(error);
            None
        }
    }
}

/// Reads `notices/*.md` of one level, newest first; their texts go to `keep` when given.
fn read_notices(
    root: &Path,
    dir: &Path,
    options: LoadOptions,
    diagnostics: &mut Diagnostics,
    keep: Option<&mut Vec<SourceText>>,
) -> Vec<Notice> {
    let Some(entries) = list(root, dir, diagnostics) else {
        return Vec::new();
    };
    let mut notices = Vec::new();
    let mut keep = keep;
    for (name, is_dir) in entries {
        let relative = dir.join(&name);
        let Some(stem) = name.strip_suffix(".md").filter(|_| !is_dir) else {
            diagnostics.push(unknown_file(&relative, &["2016-12-20-tongzhi.md"]));
            continue;
        };
        if !is_slug(stem) {
            diagnostics.push(bad_slug(&relative, stem));
            continue;
        }
        let Some(text) = read_markdown(root, &relative, diagnostics) else {
            continue;
        };
        let source = SourceText { path: relative.clone(), text };
        match parse_notice(&source, stem) {
            Ok(notice) if notice.draft && !options.drafts => {}
            Ok(notice) => {
                notices.push(notice);
                if let Some(keep) = keep.as_deref_mut() {
                    keep.push(source);
                }
            }
            Err(error) => diagnostics.push(error),
        }
    }
    notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    notices
}

/// Splits YAML front matter (between `---` lines) from the Markdown body.
fn parse_notice(source: &SourceText, slug: &str) -> Result<Notice, Diagnostic> {
    let text = &source.text;
    let missing = || {
        Diagnostic::error(&source.path, "通知开头缺少 --- 包围的标题和日期")
            .at((1, 1))
            .hint("文件开头写：\n---\ntitle: 通知标题\ndate: 2016-12-20\n---\n然后是正文")
    };
    let first_line_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_line_end].trim_end() != "---" {
        return Err(missing());
    }
    let rest = &text[first_line_end + 1..];
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let (yaml_end, body_start) = close.ok_or_else(missing)?;
    let front: NoticeFrontMatter = yaml::parse_at(source, &rest[..yaml_end], 1)?;
    Ok(Notice {
        file: source.path.clone(),
        slug: slug.to_string(),
        title: front.title,
        date: front.date,
        draft: front.draft,
        issuer: front.issuer,
        body: rest[body_start..].to_string(),
        html: Default::default(),
    })
}

/// Years of the `assessments/<year>.yaml` files of a unit folder.
fn assessment_years(dir: &Path) -> Vec<i32> {
    std::fs::read_dir(dir.join("assessments"))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.strip_suffix(".yaml")?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

const UNIT_FILES: &[&str] = &["unit.yaml", "zones.yaml", "posts.yaml", "index.md"];
const UNIT_FOLDERS: &[&str] = &["assessments", "notices"];

/// Reads one unit's files into the model; `Sources` keeps their texts for checking. `None` when
/// `unit.yaml` or another file could not be read or parsed (the problem is in the diagnostics).
pub fn read_unit(
    root: &Path,
    found: &UnitPlace,
    options: LoadOptions,
) -> (Option<(Unit, Sources)>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let unit = read_unit_files(root, found, options, &mut diagnostics);
    (unit, finish(diagnostics))
}

fn read_unit_files(
    root: &Path,
    found: &UnitPlace,
    options: LoadOptions,
    diagnostics: &mut Diagnostics,
) -> Option<(Unit, Sources)> {
    let dir = &found.dir;
    let mut sources = Sources::default();
    for (name, is_dir) in list(root, dir, diagnostics)? {
        let known = if is_dir { UNIT_FOLDERS } else { UNIT_FILES };
        if !known.contains(&name.as_str()) {
            let all: Vec<&str> = UNIT_FILES.iter().chain(UNIT_FOLDERS).copied().collect();
            diagnostics.push(unknown_file(&dir.join(&name), &all));
        }
    }
    let (info, unit_source) = read_yaml::<UnitFile>(root, &dir.join("unit.yaml"), diagnostics)?;
    sources.unit = Some(unit_source);

    let zones_file = dir.join("zones.yaml");
    let has_zones_file = is_plain_file(&root.join(&zones_file));
    let zones = if has_zones_file {
        read_yaml::<ZonesFile>(root, &zones_file, diagnostics).map(|(file, source)| {
            sources.zones = Some(source);
            file.zones
        })
    } else {
        Some(Vec::new())
    };
    let posts_file = dir.join("posts.yaml");
    let has_posts_file = is_plain_file(&root.join(&posts_file));
    let posts = if has_posts_file {
        read_yaml::<PostsFile>(root, &posts_file, diagnostics).map(|(file, source)| {
            sources.posts = Some(source);
            file.posts
        })
    } else {
        Some(Vec::new())
    };

    let mut assessments = Vec::new();
    let assessments_dir = dir.join("assessments");
    for (name, is_dir) in list(root, &assessments_dir, diagnostics).unwrap_or_default() {
        let relative = assessments_dir.join(&name);
        let year = name.strip_suffix(".yaml").filter(|_| !is_dir).and_then(|y| y.parse::<i32>().ok());
        let Some(year) = year else {
            diagnostics.push(
                Diagnostic::error(&relative, "考核结果文件应以年份命名").hint("例如 assessments/2016.yaml"),
            );
            continue;
        };
        if let Some((data, source)) = read_yaml::<AssessmentFile>(root, &relative, diagnostics) {
            assessments.push(Assessment { file: relative, data, last_day: None });
            sources.assessments.push((year, source));
        }
    }
    assessments.sort_by_key(|a| a.data.year);

    let notices = read_notices(root, &dir.join("notices"), options, diagnostics, Some(&mut sources.markdown));
    let intro_file = dir.join("index.md");
    let intro = read_markdown(root, &intro_file, diagnostics);
    if let Some(text) = &intro {
        sources.markdown.push(SourceText { path: intro_file, text: text.clone() });
    }
    let unit = Unit {
        path: found.path.clone(),
        dir: dir.clone(),
        section: found.section,
        info,
        zones: zones?,
        has_zones_file,
        posts: posts?,
        has_posts_file,
        assessments,
        notices,
        intro,
        placeholders: Vec::new(),
    };
    Some((unit, sources))
}
