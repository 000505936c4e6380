//! `gongkai import`: workbooks and CSV files into a unit's YAML, all or nothing.
//!
//! Each workbook is applied to a draft of its unit's files in a fixed order (单位, 党小组, 党员,
//! 责任区, 岗位, 履责记录, 考核). Problems are collected with their cell; any error stops the run
//! before anything is written. The drafts are then written into a scratch copy of the units and
//! loaded with `pipeline::load_all`, exactly as `check` would load them, and only when that finds no
//! error are the changed files written into `content/`.

mod summary;

use super::layout::{self, Key, SheetKind, UnitField};
use super::read::{self, Place, Table, Value, Workbook};
use super::{SheetError, UnitPath, site_config, write_atomic};
use crate::content::model::*;
use crate::content::{LoadOptions, source, write};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceText};
use crate::rules::scoring;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to import, and where.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    /// `SECTION/UNIT` for workbooks that do not say which unit they belong to.
    pub unit: Option<String>,
    /// Kind and name of a unit to create.
    pub kind: Option<UnitKind>,
    pub name: Option<String>,
    /// The year of score sheets.
    pub year: Option<i32>,
    /// Print what would change; write nothing.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub units: usize,
    /// Files written (or, in a dry run, that would be), relative to the site root.
    pub files: Vec<PathBuf>,
    /// Warnings of the import and of loading the result.
    pub warnings: Diagnostics,
}

/// Imports the workbooks; prints what it read and what changes to `out` before writing.
pub fn import(options: &ImportOptions, out: &mut dyn Write) -> Result<ImportReport, SheetError> {
    let root = &options.root;
    let config = site_config(root)?;
    if options.files.is_empty() {
        return Err(anyhow::anyhow!("请给出要导入的文件，例如 gongkai import 东王庄村.xlsx").into());
    }
    let forced = options.unit.as_deref().map(|u| UnitPath::parse(root, u)).transpose()?;

    let mut problems = Diagnostics::default();
    if let Some(missing) = options.files.iter().find(|f| !f.is_file()) {
        return Err(anyhow::anyhow!("找不到文件 {}", missing.display()).into());
    }
    // Parsing workbooks is most of an import's work; a county's 300 are read in parallel.
    use rayon::prelude::*;
    let read: Vec<_> = options
        .files
        .par_iter()
        .map(|file| read::open(file, &crate::diagnostic::display_path(file)))
        .collect();
    let mut workbooks = Vec::new();
    for result in read {
        match result {
            Ok(workbook) => workbooks.push(workbook),
            Err(error) => problems.push(error),
        }
    }

    // Which unit each workbook belongs to: what its 说明 sheet records, or --unit.
    let mut units: Vec<(UnitPath, Vec<&Workbook>)> = Vec::new();
    for workbook in &workbooks {
        let recorded = recorded_unit(workbook);
        let unit = match (&forced, recorded) {
            (Some(forced), Some(recorded)) if forced.path != recorded => {
                return Err(anyhow::anyhow!(
                    "{} 是单位 {recorded} 的模板，与 --unit {} 不一致",
                    workbook.file,
                    forced.path
                )
                .into());
            }
            (Some(forced), _) => forced.clone(),
            (None, Some(recorded)) => UnitPath::parse(root, &recorded)?,
            (None, None) => {
                return Err(anyhow::anyhow!(
                    "看不出 {} 是哪个单位的表：请用 --unit <栏目>/<单位> 指定，例如 --unit nanhe-zhen/dongwangzhuang-cun",
                    workbook.file
                )
                .into());
            }
        };
        match units.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, list)) => list.push(workbook),
            None => units.push((unit, vec![workbook])),
        }
    }

    let mut drafts = Vec::new();
    for (unit, workbooks) in &units {
        let before = Draft::load(root, unit, options)?;
        let mut draft = before.clone();
        for workbook in workbooks {
            let mut apply =
                Apply { config: &config, options, workbook, draft: &mut draft, problems: &mut problems };
            apply.workbook(out)?;
        }
        draft.finish(&mut problems);
        drafts.push((before, draft));
    }
    if problems.has_errors() {
        return Err(SheetError::Content(problems));
    }

    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    for (before, after) in &drafts {
        writes.extend(after.changed_files(before));
    }
    let loaded = validate(root, &drafts, &writes)?;
    problems.extend(loaded);
    if problems.has_errors() {
        return Err(SheetError::Content(problems));
    }

    for (before, after) in &drafts {
        let _ = write!(out, "{}", summary::summary(before, after, &writes));
    }
    let report = ImportReport {
        units: drafts.len(),
        files: writes.iter().map(|(p, _)| p.clone()).collect(),
        warnings: problems,
    };
    if !options.dry_run {
        commit(root, &writes)?;
    }
    Ok(report)
}

/// The unit a template recorded in its 说明 sheet.
fn recorded_unit(workbook: &Workbook) -> Option<String> {
    let guide =
        workbook.sheets.iter().find(|g| SheetKind::from_sheet_name(&g.name) == Some(SheetKind::Guide))?;
    labelled(guide, &[layout::UNIT_PATH_LABEL]).and_then(|(row, col)| guide.get(row, col).ascii())
}

/// The cell right of the first cell labelled with one of `labels`: the value in a form.
fn labelled(grid: &read::Grid, labels: &[&str]) -> Option<(usize, usize)> {
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if layout::is_label(&read::header_text(value), labels) {
                return Some((r, c + 1));
            }
        }
    }
    None
}

/// One unit's files as they are on disk, or as the import will write them.
#[derive(Debug, Clone)]
struct Draft {
    unit: UnitPath,
    exists: bool,
    info: UnitFile,
    /// Whether name and kind are known (always, unless a new unit still waits for its 单位 sheet).
    named: bool,
    /// `None`: the unit has no such file, and no sheet made one.
    zones: Option<Vec<Zone>>,
    posts: Option<Vec<Post>>,
    assessments: BTreeMap<i32, AssessmentFile>,
    /// Groups a 党小组 sheet listed; the others are dropped at the end unless still used.
    listed_groups: Option<HashSet<String>>,
    /// Member ids the unit had, so that new members never take a removed member's id.
    old_member_ids: Vec<String>,
}

impl Draft {
    fn load(root: &Path, unit: &UnitPath, options: &ImportOptions) -> Result<Draft, SheetError> {
        let exists = unit.exists(root);
        let mut draft = Draft {
            unit: unit.clone(),
            exists,
            info: super::bare_unit(
                options.name.clone().unwrap_or_default(),
                options.kind.unwrap_or(UnitKind::Village),
                Vec::new(),
            ),
            named: options.name.is_some() && options.kind.is_some(),
            zones: None,
            posts: None,
            assessments: BTreeMap::new(),
            listed_groups: None,
            old_member_ids: Vec::new(),
        };
        if !exists {
            if root.join(&unit.dir).exists() {
                return Err(anyhow::anyhow!(
                    "{} 已存在，但里面没有 unit.yaml：请先把它移走或补上 unit.yaml",
                    unit.dir.display()
                )
                .into());
            }
            return Ok(draft);
        }
        if options.kind.is_some() || options.name.is_some() {
            return Err(anyhow::anyhow!(
                "单位 {} 已经存在：--kind 和 --name 只用于新建单位；改单位名称请改 unit.yaml 或工作簿的“单位”表",
                unit.path
            )
            .into());
        }
        // The unit's files must be valid to be merged with: fix them first.
        let files = unit.read(root)?;
        draft.info = files.info.unwrap_or(draft.info);
        draft.named = true;
        draft.zones = files.zones;
        draft.posts = files.posts;
        draft.assessments = files.assessments;
        draft.old_member_ids = draft.info.members.iter().map(|m| m.id.clone()).collect();
        Ok(draft)
    }

    /// Drops groups a 党小组 sheet left out that nothing uses any more; checks a new unit is named.
    fn finish(&mut self, problems: &mut Diagnostics) {
        if let Some(listed) = &self.listed_groups {
            let used: HashSet<&str> = self
                .info
                .members
                .iter()
                .map(|m| m.group.as_str())
                .chain(self.zones.iter().flatten().map(|z| z.group.as_str()))
                .collect();
            let keep: Vec<bool> = self
                .info
                .groups
                .iter()
                .map(|g| listed.contains(&g.id) || used.contains(g.id.as_str()))
                .collect();
            let mut keep = keep.into_iter();
            self.info.groups.retain(|_| keep.next().unwrap_or(true));
        }
        if !self.named {
            problems.push(
                Diagnostic::error(&self.unit.dir, format!("单位 {} 还不存在", self.unit.path)).hint(
                    "新建单位时加上 --kind village --name 单位名称，或在工作簿的“单位”表里填写单位名称和类型",
                ),
            );
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.unit.dir.join(name)
    }

    /// Every file of this draft as YAML text.
    fn files(&self) -> Vec<(PathBuf, String)> {
        let mut files = vec![(self.file("unit.yaml"), write::unit_yaml(&self.info))];
        if let Some(zones) = &self.zones {
            files.push((self.file("zones.yaml"), write::zones_yaml(zones)));
        }
        if let Some(posts) = &self.posts {
            files.push((self.file("posts.yaml"), write::posts_yaml(posts)));
        }
        for (year, assessment) in &self.assessments {
            files.push((self.file(&format!("assessments/{year}.yaml")), write::assessment_yaml(assessment)));
        }
        files
    }

    /// Files whose content differs from `before` (all of them for a new unit). A file that says
    /// the same is left alone, comments and layout included.
    fn changed_files(&self, before: &Draft) -> Vec<(PathBuf, String)> {
        let old = if before.exists { before.files() } else { Vec::new() };
        self.files().into_iter().filter(|file| !old.contains(file)).collect()
    }
}

/// Applies one workbook to a draft.
struct Apply<'a> {
    config: &'a SiteConfig,
    options: &'a ImportOptions,
    workbook: &'a Workbook,
    draft: &'a mut Draft,
    problems: &'a mut Diagnostics,
}

impl Apply<'_> {
    fn workbook(&mut self, out: &mut dyn Write) -> Result<(), SheetError> {
        let workbook = self.workbook;
        for hidden in &workbook.hidden {
            let _ = writeln!(out, "{}：隐藏的工作表“{hidden}”未读取", workbook.file);
        }
        // Sheets by kind, in the order they are applied.
        let mut found: Vec<(SheetKind, &read::Grid, Option<Table>)> = Vec::new();
        for grid in &workbook.sheets {
            let named = SheetKind::from_sheet_name(&grid.name).filter(|_| !workbook.csv);
            match named {
                Some(kind @ (SheetKind::Guide | SheetKind::Unit)) => found.push((kind, grid, None)),
                Some(kind) => match Table::find(grid, Some(kind)) {
                    Some(table) => found.push((kind, grid, Some(table))),
                    None if grid.rows.is_empty() => {}
                    None => self.problems.push(Place::sheet(workbook, grid).error("找不到表头").hint(format!(
                        "表头一行写列名，如 {}；上面可以有标题行",
                        kind.columns().iter().take(4).map(|c| c.header).collect::<Vec<_>>().join("、")
                    ))),
                },
                None => match Table::find(grid, None) {
                    Some(table) => found.push((table.kind, grid, Some(table))),
                    None if grid.rows.is_empty() => {}
                    None if workbook.csv => self.problems.push(
                        Place::sheet(workbook, grid)
                            .error("找不到表头")
                            .hint("表头一行写列名：党员名单如“姓名、党小组、入党时间”，考核表如“姓名、党员述评、群众测评、组织考评”"),
                    ),
                    None => {
                        let _ = writeln!(out, "{}：看不出是哪种表（没有找到“姓名”等表头），未读取", Place::sheet(workbook, grid).text);
                    }
                },
            }
        }
        let order = |k: SheetKind| match k {
            SheetKind::Guide => 0,
            SheetKind::Unit => 1,
            SheetKind::Groups => 2,
            SheetKind::Members => 3,
            SheetKind::Zones => 4,
            SheetKind::Posts => 5,
            SheetKind::Records => 6,
            SheetKind::Scores => 7,
        };
        found.sort_by_key(|(k, _, _)| order(*k));
        for pair in found.windows(2) {
            if pair[0].0 == pair[1].0 && !matches!(pair[0].0, SheetKind::Scores | SheetKind::Guide) {
                self.problems.push(
                    Place::sheet(workbook, pair[1].1)
                        .error(format!(
                            "工作簿里有两张{}表（“{}”和“{}”）",
                            pair[0].0.title(),
                            pair[0].1.name,
                            pair[1].1.name
                        ))
                        .hint("只留一张，或分成两个文件先后导入"),
                );
                return Ok(());
            }
        }
        let names: Vec<&str> = found
            .iter()
            .filter(|(k, _, _)| *k != SheetKind::Guide)
            .map(|(_, g, _)| g.name.as_str())
            .collect();
        if names.is_empty() {
            self.problems.push(
                Diagnostic::error(Path::new(&workbook.file), "没有可以导入的表")
                    .hint("工作表名写“党员”“责任区”“考核2016”等，或表头写“姓名”“党小组”“党员述评”等列名"),
            );
            return Ok(());
        }
        let _ = writeln!(out, "读取 {}：{}", workbook.file, names.join("、"));
        let mut leaders = Vec::new();
        for (kind, grid, table) in &found {
            if let Some(table) = table {
                let sheet = Place::sheet(workbook, grid).text;
                if !table.unused.is_empty() {
                    let _ = writeln!(out, "{sheet}：未使用的列：{}", table.unused.join("、"));
                }
                for header in &table.identity {
                    let _ = writeln!(out, "{sheet}：已忽略“{header}”列（身份证号码不导入）");
                }
            }
            match (kind, table) {
                (SheetKind::Unit, _) => self.unit_sheet(grid),
                (SheetKind::Groups, Some(table)) => leaders = self.groups(table),
                (SheetKind::Members, Some(table)) => self.members(table),
                (SheetKind::Zones, Some(table)) => self.zones(table),
                (SheetKind::Posts, Some(table)) => self.posts(table),
                (SheetKind::Records, Some(table)) => self.records(table),
                (SheetKind::Scores, Some(table)) => self.scores(table),
                _ => {}
            }
        }
        self.resolve_leaders(leaders);
        Ok(())
    }

    fn place(&self, table: &Table, row: usize, key: Key) -> Place {
        let col = table.column(key).unwrap_or(0);
        Place::new(self.workbook, table.grid, row, col)
    }

    fn error(&mut self, table: &Table, row: usize, key: Key, message: String, hint: &str) {
        let diagnostic = self.place(table, row, key).error(message);
        self.problems.push(if hint.is_empty() { diagnostic } else { diagnostic.hint(hint) });
    }

    /// A cell's text; an identity number in it is an error (it would be published).
    fn text_at(&mut self, place: Place, value: &Value) -> Option<String> {
        let text = value.text()?;
        let mut scanned = SourceText { path: PathBuf::from(&place.text), text: text.clone() };
        if crate::guard::privacy::scan_and_mask(&mut scanned, false).iter().any(Diagnostic::is_error) {
            self.problems.push(
                place
                    .error("单元格里有居民身份证号码，不能导入")
                    .hint("删去身份证号码；公开内容只需姓名、岗位和考核结果"),
            );
            return None;
        }
        Some(text)
    }

    fn text(&mut self, table: &Table, row: usize, key: Key) -> Option<String> {
        let place = self.place(table, row, key);
        self.text_at(place, table.get(row, key))
    }

    /// Items of a list cell: one per line (Alt+Enter), as the template writes them.
    fn lines(&mut self, table: &Table, row: usize, key: Key) -> Vec<String> {
        self.text(table, row, key)
            .map(|t| t.lines().map(read::clean).filter(|l| !l.is_empty()).map(str::to_string).collect())
            .unwrap_or_default()
    }

    // --- 单位 -------------------------------------------------------------------------------

    fn unit_sheet(&mut self, grid: &read::Grid) {
        let mut contact = self.draft.info.contact.clone().unwrap_or_default();
        let mut supervision = self.draft.info.supervision.clone().unwrap_or_default();
        let mut kind_given = false;
        for &(field, label, synonyms) in layout::UNIT_FIELDS {
            let labels: Vec<&str> = std::iter::once(label).chain(synonyms.iter().copied()).collect();
            let Some((row, col)) = labelled(grid, &labels) else { continue };
            let place = Place::new(self.workbook, grid, row, col);
            let text = self.text_at(place.clone(), grid.get(row, col));
            let info = &mut self.draft.info;
            match field {
                // Empty name and kind cells keep what unit.yaml says (or --name and --kind).
                UnitField::Name => {
                    if let Some(name) = text {
                        info.name = name;
                    }
                }
                UnitField::Kind => match text.as_deref().map(unit_kind) {
                    None => {}
                    Some(Some(kind)) => {
                        info.kind = kind;
                        kind_given = true;
                    }
                    Some(None) => self.problems.push(
                        place
                            .error(format!("单位类型“{}”无效", text.unwrap_or_default()))
                            .hint("填写 农村、社区、机关、企事业单位 或 学校"),
                    ),
                },
                UnitField::Organization => info.organization = text,
                UnitField::ContactPhone => contact.phone = text.map(|t| read::to_ascii(&t)),
                UnitField::ContactAddress => contact.address = text,
                UnitField::ContactMailbox => contact.mailbox = text,
                UnitField::ContactEmail => contact.email = text,
                UnitField::SupervisionPhone => supervision.phone = text.map(|t| read::to_ascii(&t)),
                UnitField::SupervisionAddress => supervision.address = text,
                UnitField::SupervisionMailbox => supervision.mailbox = text,
                UnitField::SupervisionEmail => supervision.email = text,
            }
        }
        let info = &mut self.draft.info;
        info.contact = (!contact.is_empty()).then_some(contact);
        info.supervision = (!supervision.is_empty()).then_some(supervision);
        if !info.name.is_empty() && (kind_given || self.draft.exists || self.options.kind.is_some()) {
            self.draft.named = true;
        }
    }

    // --- 党小组 -----------------------------------------------------------------------------

    /// Replaces the group list; returns the leaders to resolve once the members are known.
    fn groups(&mut self, table: &Table) -> Vec<(String, String, Place)> {
        let mut groups: Vec<Group> = Vec::new();
        let mut leaders = Vec::new();
        for row in table.rows() {
            let id = table.get(row, Key::Id).ascii().map(|s| s.to_lowercase());
            let Some(name) = self.text(table, row, Key::Name) else {
                self.error(table, row, Key::Name, "这一行没有填写党小组名称".into(), "");
                continue;
            };
            let existing = self.draft.info.groups.iter().find(|g| match &id {
                Some(id) => g.id == *id,
                None => g.name == name,
            });
            let id = match (existing, id) {
                (Some(group), _) => group.id.clone(),
                (None, Some(id)) => id,
                (None, None) => {
                    next_id("g", 1, groups.iter().chain(&self.draft.info.groups).map(|g| g.id.as_str()))
                }
            };
            if groups.iter().any(|g| g.id == id) {
                self.error(
                    table,
                    row,
                    Key::Id,
                    format!("党小组编号“{id}”重复"),
                    "每个党小组用不同的编号，如 g1、g2",
                );
                continue;
            }
            if let Some(leader) = self.text(table, row, Key::Leader) {
                leaders.push((id.clone(), leader, self.place(table, row, Key::Leader)));
            }
            groups.push(Group { id, name, leader: None });
        }
        let listed: HashSet<String> = groups.iter().map(|g| g.id.clone()).collect();
        for old in &self.draft.info.groups {
            if !listed.contains(&old.id) {
                groups.push(old.clone());
            }
        }
        self.draft.info.groups = groups;
        self.draft.listed_groups = Some(listed);
        leaders
    }

    fn resolve_leaders(&mut self, leaders: Vec<(String, String, Place)>) {
        for (group, leader, place) in leaders {
            let id = self.member_by_text(&leader, &place, NAME_HINT);
            if let Some(g) = self.draft.info.groups.iter_mut().find(|g| g.id == group) {
                g.leader = id;
            }
        }
    }

    /// The group a cell names, by id or name; a new name makes a new group.
    fn group_by_text(&mut self, text: &str) -> String {
        let groups = &mut self.draft.info.groups;
        if let Some(g) = groups.iter().find(|g| g.id == text || g.name == text) {
            return g.id.clone();
        }
        let id = next_id("g", 1, groups.iter().map(|g| g.id.as_str()));
        groups.push(Group { id: id.clone(), name: text.to_string(), leader: None });
        if let Some(listed) = &mut self.draft.listed_groups {
            listed.insert(id.clone());
        }
        id
    }

    /// The group of a member's or zone's row: the cell's (by id or name, new names making new
    /// groups), else the current one, else the unit's only group.
    fn row_group(&mut self, table: &Table, row: usize, current: &str, who: &str) -> String {
        match self.text(table, row, Key::Group) {
            Some(group) => self.group_by_text(&group),
            None if !current.is_empty() => current.to_string(),
            None if self.draft.info.groups.len() == 1 => self.draft.info.groups[0].id.clone(),
            None => {
                let key = if table.has(Key::Group) { Key::Group } else { Key::Name };
                let hint = "在“党小组”列填写党小组的名称，如 第一党小组；新的名称会新建党小组";
                self.error(table, row, key, format!("{who}没有填写党小组"), hint);
                String::new()
            }
        }
    }

    // --- 党员 -------------------------------------------------------------------------------

    fn members(&mut self, table: &Table) {
        let old = std::mem::take(&mut self.draft.info.members);
        let mut taken = vec![false; old.len()];
        let mut members: Vec<Member> = Vec::new();
        for row in table.rows() {
            let Some(name) = self.text(table, row, Key::Name).map(|n| person_name(&n)) else {
                self.error(
                    table,
                    row,
                    Key::Name,
                    "这一行没有填写姓名".into(),
                    "每名党员一行；不是党员的行请删去",
                );
                continue;
            };
            let id = table.get(row, Key::Id).ascii().map(|s| s.replace(' ', "").to_lowercase());
            let matched = match &id {
                Some(id) => old.iter().position(|m| m.id == *id),
                None => {
                    let same: Vec<usize> = (0..old.len()).filter(|&i| old[i].name == name).collect();
                    if same.len() > 1 {
                        let ids: Vec<&str> = same.iter().map(|&i| old[i].id.as_str()).collect();
                        self.error(
                            table,
                            row,
                            Key::Name,
                            format!("姓名“{name}”在本单位有 {} 名党员（{}）", same.len(), ids.join("、")),
                            "在“编号”列写明是哪一位",
                        );
                        continue;
                    }
                    same.first().copied()
                }
            };
            if let Some(i) = matched {
                if taken[i] {
                    let what = if id.is_some() {
                        format!("编号“{}”", old[i].id)
                    } else {
                        format!("姓名“{name}”")
                    };
                    self.error(
                        table,
                        row,
                        Key::Name,
                        format!("{what}在表中出现了两次"),
                        "同名的两名党员请在“编号”列写明编号",
                    );
                    continue;
                }
                taken[i] = true;
            }
            let mut member = match matched {
                Some(i) => old[i].clone(),
                None => {
                    let id = match id {
                        Some(id) if !source::is_slug(&id) => {
                            self.error(
                                table,
                                row,
                                Key::Id,
                                format!("党员编号“{id}”不能用作网址"),
                                "只用小写英文字母、数字和“-”，如 m01；不填时自动编号",
                            );
                            continue;
                        }
                        Some(id) if members.iter().any(|m| m.id == id) => {
                            self.error(table, row, Key::Id, format!("编号“{id}”在表中出现了两次"), "");
                            continue;
                        }
                        Some(id) => id,
                        None => next_id(
                            "m",
                            2,
                            members
                                .iter()
                                .map(|m| m.id.as_str())
                                .chain(self.draft.old_member_ids.iter().map(String::as_str)),
                        ),
                    };
                    Member {
                        id,
                        name: name.clone(),
                        group: String::new(),
                        role: None,
                        joined: None,
                        phone: None,
                        category: None,
                        exempt: None,
                        consent: true,
                        phone_public: false,
                    }
                }
            };
            member.name = name;
            if table.has(Key::Role) {
                member.role = self.text(table, row, Key::Role);
            }
            if table.has(Key::Exempt) {
                member.exempt = self.text(table, row, Key::Exempt);
            }
            if table.has(Key::Phone) {
                member.phone = self.text(table, row, Key::Phone).map(|p| read::to_ascii(&p).replace(' ', ""));
            }
            if table.has(Key::Joined) {
                let value = table.get(row, Key::Joined);
                member.joined = match value.year() {
                    Some(year) => Some(year),
                    None if value.is_empty() => None,
                    None => {
                        let shown = value.text().unwrap_or_default();
                        self.error(
                            table,
                            row,
                            Key::Joined,
                            format!("入党时间“{shown}”看不出年份"),
                            "写年份或日期，如 2008、2008.07、2008年7月 或 2008-07-01",
                        );
                        None
                    }
                };
            }
            if table.has(Key::Consent) {
                let value = table.get(row, Key::Consent);
                member.consent = match value.yes_no() {
                    Some(yes) => yes,
                    None if value.is_empty() => true,
                    None => {
                        self.error(
                            table,
                            row,
                            Key::Consent,
                            format!("同意公开“{}”只能填“是”或“否”", value.text().unwrap_or_default()),
                            "不填视为“是”",
                        );
                        true
                    }
                };
            }
            if table.has(Key::PhonePublic) {
                let value = table.get(row, Key::PhonePublic);
                member.phone_public = match value.yes_no() {
                    Some(yes) => yes,
                    None if value.is_empty() => false,
                    None => {
                        self.error(
                            table,
                            row,
                            Key::PhonePublic,
                            format!("电话可公开“{}”只能填“是”或“否”", value.text().unwrap_or_default()),
                            "不填视为“否”",
                        );
                        false
                    }
                };
            }
            if table.has(Key::Category) {
                let value = table.get(row, Key::Category);
                member.category = match value.text().as_deref().map(category) {
                    None => None,
                    Some(Some(c)) => Some(c),
                    Some(None) => {
                        self.error(
                            table,
                            row,
                            Key::Category,
                            format!("党员类别“{}”无效", value.text().unwrap_or_default()),
                            "学校党员填 教师、职工 或 学生；其他单位不填",
                        );
                        None
                    }
                };
            }
            let who = format!("党员“{}”", member.name);
            member.group = self.row_group(table, row, &member.group, &who);
            members.push(member);
        }
        let removed: Vec<String> =
            old.iter().zip(&taken).filter(|(_, t)| !**t).map(|(m, _)| m.id.clone()).collect();
        self.draft.info.members = members;
        self.draft.remove_references(&removed);
    }

    /// The member a cell names: `王伟（m03）`, an id, or a name that fits one member.
    /// `unknown` is the hint for a name that is not in the list at all.
    fn member_by_text(&mut self, text: &str, place: &Place, unknown: &str) -> Option<String> {
        let members = &self.draft.info.members;
        let text = read::clean(text);
        let bracketed = text
            .strip_suffix(['）', ')'])
            .and_then(|t| t.rsplit_once(['（', '(']))
            .map(|(_, id)| read::to_ascii(id).trim().to_lowercase());
        if let Some(id) = bracketed.filter(|id| members.iter().any(|m| m.id == *id)) {
            return Some(id);
        }
        let id = read::to_ascii(text).to_lowercase();
        if let Some(m) = members.iter().find(|m| m.id == id) {
            return Some(m.id.clone());
        }
        let name = person_name(text);
        let same: Vec<&Member> = members.iter().filter(|m| m.name == name).collect();
        match same.as_slice() {
            [one] => Some(one.id.clone()),
            [] => {
                self.problems.push(place.error(format!("“{text}”不在党员名单中")).hint(unknown));
                None
            }
            many => {
                let ids: Vec<String> = many.iter().map(|m| format!("{}（{}）", m.name, m.id)).collect();
                self.problems.push(
                    place
                        .error(format!("姓名“{name}”有 {} 名党员", many.len()))
                        .hint(format!("写成 {}", ids.join(" 或 "))),
                );
                None
            }
        }
    }

    /// The member of a row of 岗位, 履责记录 or 考核: by 编号, else by 姓名.
    fn row_member(&mut self, table: &Table, row: usize) -> Option<String> {
        let id = table.get(row, Key::Id).ascii().map(|s| s.replace(' ', "").to_lowercase());
        let name = self.text(table, row, Key::Name).map(|n| person_name(&n));
        match (id, name) {
            (Some(id), name) => {
                let Some(member) = self.draft.info.members.iter().find(|m| m.id == id) else {
                    self.error(
                        table,
                        row,
                        Key::Id,
                        format!("编号“{id}”不在党员名单中"),
                        "先导入党员名单，或改成名单里的编号",
                    );
                    return None;
                };
                if let Some(name) = name.filter(|n| *n != member.name) {
                    let message = format!("编号“{id}”是{}，这一行写的是“{name}”", member.name);
                    self.error(table, row, Key::Name, message, "核对编号和姓名是否错行");
                    return None;
                }
                Some(id)
            }
            (None, Some(name)) => {
                let place = self.place(table, row, Key::Name);
                self.member_by_text(&name, &place, "先导入党员名单（党员表），或改成名单里的姓名")
            }
            (None, None) => {
                self.error(table, row, Key::Name, "这一行没有填写姓名".into(), "");
                None
            }
        }
    }

    // --- 责任区 -----------------------------------------------------------------------------

    fn zones(&mut self, table: &Table) {
        let old = self.draft.zones.take().unwrap_or_default();
        let mut zones: Vec<Zone> = Vec::new();
        for row in table.rows() {
            let Some(name) = self.text(table, row, Key::Name) else {
                self.error(table, row, Key::Name, "这一行没有填写责任区名称".into(), "");
                continue;
            };
            let id = table.get(row, Key::Id).ascii().map(|s| s.replace(' ', "").to_lowercase());
            let existing = old.iter().find(|z| match &id {
                Some(id) => z.id == *id,
                None => z.name == name,
            });
            let id = match (existing, id) {
                (Some(zone), _) => zone.id.clone(),
                (None, Some(id)) if !source::is_slug(&id) => {
                    self.error(
                        table,
                        row,
                        Key::Id,
                        format!("责任区编号“{id}”不能用作网址"),
                        "只用小写英文字母、数字和“-”，如 z1；不填时自动编号",
                    );
                    continue;
                }
                (None, Some(id)) => id,
                (None, None) => next_id("z", 1, zones.iter().chain(&old).map(|z| z.id.as_str())),
            };
            if zones.iter().any(|z| z.id == id) {
                self.error(
                    table,
                    row,
                    Key::Id,
                    format!("责任区编号“{id}”重复"),
                    "每个责任区用不同的编号，如 z1、z2",
                );
                continue;
            }
            let current = existing.map_or("", |z| z.group.as_str()).to_string();
            let group = self.row_group(table, row, &current, &format!("责任区“{name}”"));
            let mut members = Vec::new();
            if let Some(list) = self.text(table, row, Key::Members) {
                let place = self.place(table, row, Key::Members);
                for item in split_list(&list) {
                    if let Some(id) = self.member_by_text(item, &place, NAME_HINT) {
                        members.push(IdRef(id));
                    }
                }
            }
            let households = match table.get(row, Key::Households) {
                Value::Empty => None,
                value => match value.number().filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 1e9) {
                    Some(n) => Some(n as u32),
                    None => {
                        let shown = value.text().unwrap_or_default();
                        self.error(
                            table,
                            row,
                            Key::Households,
                            format!("户数“{shown}”不是整数"),
                            "填写户数，如 36；不清楚可以不填",
                        );
                        None
                    }
                },
            };
            let partners = self
                .text(table, row, Key::Partners)
                .map(|list| split_list(&list).into_iter().map(partner).collect())
                .unwrap_or_default();
            let area = self.text(table, row, Key::Area);
            // A cell loses the line end a YAML block keeps; the same text is not a change.
            let description =
                match (self.text(table, row, Key::Note), existing.and_then(|z| z.description.as_ref())) {
                    (Some(new), Some(old)) if old.trim_end() == new => Some(old.clone()),
                    (new, _) => new,
                };
            zones.push(Zone { id, name, group, members, area, households, partners, description });
        }
        self.draft.zones = Some(zones);
    }

    // --- 岗位 -------------------------------------------------------------------------------

    fn posts(&mut self, table: &Table) {
        let old = self.draft.posts.take().unwrap_or_default();
        let mut posts: Vec<Post> = Vec::new();
        for row in table.rows() {
            let title = self.text(table, row, Key::Title);
            let duties = self.lines(table, row, Key::Duties);
            let commitments = self.lines(table, row, Key::Commitments);
            // The template lists every member; a row left empty means no post.
            if title.is_none() && duties.is_empty() && commitments.is_empty() {
                continue;
            }
            let Some(member) = self.row_member(table, row) else { continue };
            let title = title.unwrap_or_else(|| {
                self.error(
                    table,
                    row,
                    Key::Title,
                    "没有填写岗位名称".into(),
                    "如 政策宣传岗、矛盾纠纷调解岗",
                );
                // Kept (the run fails anyway) so that its records raise no second error.
                String::new()
            });
            if posts.iter().any(|p| p.member == member) {
                self.error(
                    table,
                    row,
                    Key::Name,
                    format!("党员“{member}”设了两个岗位"),
                    "每名党员一个岗位；把职责合并到同一行里",
                );
                continue;
            }
            let records =
                old.iter().find(|p| p.member == member).map(|p| p.records.clone()).unwrap_or_default();
            posts.push(Post { member, title, duties, commitments, records });
        }
        self.draft.posts = Some(posts);
    }

    // --- 履责记录 ---------------------------------------------------------------------------

    fn records(&mut self, table: &Table) {
        let mut posts = self.draft.posts.take().unwrap_or_default();
        for post in &mut posts {
            post.records.clear();
        }
        for row in table.rows() {
            let Some(member) = self.row_member(table, row) else { continue };
            let value = table.get(row, Key::Date);
            let Some(date) = value.date() else {
                let message = match value.text() {
                    Some(shown) => format!("日期“{shown}”无效"),
                    None => "没有填写日期".into(),
                };
                self.error(table, row, Key::Date, message, "写成 2016-03-12、2016/3/12 或 2016年3月12日");
                continue;
            };
            let Some(summary) = self.text(table, row, Key::Summary) else {
                self.error(
                    table,
                    row,
                    Key::Summary,
                    "没有填写履责情况".into(),
                    "写明做了什么，如 走访责任区农户28户",
                );
                continue;
            };
            match posts.iter_mut().find(|p| p.member == member) {
                Some(post) => post.records.push(Record { date, summary }),
                None => {
                    let name = self
                        .draft
                        .info
                        .members
                        .iter()
                        .find(|m| m.id == member)
                        .map_or(member.clone(), |m| m.name.clone());
                    self.error(
                        table,
                        row,
                        Key::Name,
                        format!("党员“{name}”没有岗位，履责记录无处可放"),
                        "先在“岗位”表里给他设岗",
                    );
                }
            }
        }
        self.draft.posts = Some(posts);
    }

    // --- 考核 -------------------------------------------------------------------------------

    fn scores(&mut self, table: &Table) {
        let grid = table.grid;
        let sheet = Place::sheet(self.workbook, grid);
        let titles = table.titles();
        let year = self
            .options
            .year
            .or_else(|| year_in(&grid.name))
            .or_else(|| titles.iter().find_map(|t| year_in(t)));
        let Some(year) = year else {
            self.problems.push(
                sheet
                    .error("看不出这张考核表是哪一年的")
                    .hint("用 --year 2016 指定，或把工作表改名为“考核2016”"),
            );
            return;
        };
        for key in [Key::SelfReview, Key::Masses, Key::Organization] {
            if !table.has(key) {
                let header =
                    SheetKind::Scores.columns().iter().find(|c| c.key == key).map_or("", |c| c.header);
                self.problems.push(
                    sheet
                        .error(format!("考核表缺少“{header}”列"))
                        .hint("考核表要有党员述评、群众测评、组织考评三列分数"),
                );
                return;
            }
        }
        let existing = self.draft.assessments.get(&year).cloned();
        let mut assessment = existing.clone().unwrap_or(AssessmentFile {
            year,
            published: None,
            notice_days: None,
            until: None,
            notice_workdays: None,
            objections: None,
            objection_log: Vec::new(),
            results: Vec::new(),
        });
        self.notice(table, &mut assessment);

        let config = self.config;
        let rules = &config.assessment;
        let grade_names: Vec<String> = rules.grades.iter().map(|g| g.name.clone()).collect();
        let mut results: Vec<AssessmentResult> = Vec::new();
        for row in table.rows() {
            let cells = [
                Key::SelfReview,
                Key::Masses,
                Key::Organization,
                Key::Grade,
                Key::Vanguard,
                Key::Action,
                Key::Note,
            ];
            if cells.iter().all(|k| table.get(row, *k).is_empty()) {
                continue; // a member the sheet lists but nobody scored yet
            }
            let Some(member) = self.row_member(table, row) else { continue };
            let mut scores = [0.0; 3];
            let mut ok = true;
            for (i, (key, label)) in
                [(Key::SelfReview, "党员述评"), (Key::Masses, "群众测评"), (Key::Organization, "组织考评")]
                    .into_iter()
                    .enumerate()
            {
                let value = table.get(row, key);
                match value.number().filter(|n| (0.0..=100.0).contains(n)) {
                    Some(n) => scores[i] = n,
                    None => {
                        ok = false;
                        let message = match value.text() {
                            Some(shown) => format!("{label}“{shown}”不是 0 到 100 之间的数"),
                            None => format!("没有填写{label}"),
                        };
                        self.error(table, row, key, message, "按百分制填写 0 到 100 之间的数，如 90 或 92.5");
                    }
                }
            }
            let vanguard = match table.get(row, Key::Vanguard) {
                Value::Empty => false,
                value => value.yes_no().unwrap_or_else(|| {
                    ok = false;
                    let message = format!("先锋岗位“{}”只能填“是”或“否”", value.text().unwrap_or_default());
                    self.error(table, row, Key::Vanguard, message, "评为党员先锋岗位的填“是”，其他不填");
                    false
                }),
            };
            let action = match self.text(table, row, Key::Action) {
                None => None,
                Some(text) => match text.as_str() {
                    "帮助" | "结对帮助" => Some(FollowUp::Help),
                    "调整责任区" | "调整" => Some(FollowUp::ChangeZone),
                    _ => {
                        ok = false;
                        self.error(
                            table,
                            row,
                            Key::Action,
                            format!("帮助或调整“{text}”无效"),
                            "填写“帮助”或“调整责任区”，不需要时不填",
                        );
                        None
                    }
                },
            };
            if results.iter().any(|r| r.member == member) {
                self.error(
                    table,
                    row,
                    Key::Name,
                    format!("党员“{member}”的考核结果写了两次"),
                    "删去多余的一行",
                );
                continue;
            }
            if !ok {
                continue;
            }
            // Columns the sheet does not have keep what the file says (an office sheet often has
            // no 先锋岗位 or 说明 column).
            let written = existing.as_ref().and_then(|a| a.results.iter().find(|r| r.member == member));
            let note = match table.has(Key::Note) {
                true => self.text(table, row, Key::Note),
                false => written.and_then(|r| r.note.clone()),
            };
            let mut result = AssessmentResult {
                member,
                self_review: scores[0],
                masses: scores[1],
                organization: scores[2],
                grade: if table.has(Key::Grade) { None } else { written.and_then(|r| r.grade.clone()) },
                vanguard: if table.has(Key::Vanguard) {
                    vanguard
                } else {
                    written.is_some_and(|r| r.vanguard)
                },
                action: if table.has(Key::Action) { action } else { written.and_then(|r| r.action) },
                note,
                total: 0.0,
                final_grade: String::new(),
                group_rank: 0,
            };
            result.total = scoring::total(&result, &rules.weights);
            let computed = scoring::grade(result.total, &rules.grades).to_string();
            if let Some(grade) = self.text(table, row, Key::Grade) {
                if !grade_names.contains(&grade) {
                    self.error(
                        table,
                        row,
                        Key::Grade,
                        format!("等次“{grade}”不是规定的等次"),
                        &format!("填写 {}，或不填（按分数计算）", grade_names.join("、")),
                    );
                    continue;
                }
                // A grade that agrees with the scores is left to be computed, as people write it,
                // unless the file already wrote it out.
                if grade != computed || written.is_some_and(|r| r.grade.as_deref() == Some(&grade)) {
                    result.grade = Some(grade);
                }
            }
            if let Some(total) = table.get(row, Key::Total).number()
                && (total - result.total).abs() > 0.05
            {
                let shown = scoring::format_score(result.total);
                self.problems.push(
                    self.place(table, row, Key::Total)
                        .warning(format!("总分 {} 与按权重算出的 {shown} 不同", scoring::format_score(total)))
                        .hint("网站按三项分数和 site.yaml 的权重计算总分；请核对分数"),
                );
            }
            results.push(result);
        }
        assessment.results = results;
        // A template's empty 考核 sheet for a year the unit has no file for makes no file.
        let blank = assessment.results.is_empty()
            && assessment.published.is_none()
            && assessment.notice_days.is_none()
            && assessment.until.is_none()
            && assessment.notice_workdays.is_none()
            && assessment.objections.is_none();
        if existing.is_some() || !blank {
            self.draft.assessments.insert(year, assessment);
        }
    }

    /// The notice period and objection channel written above a score sheet's header.
    fn notice(&mut self, table: &Table, assessment: &mut AssessmentFile) {
        let grid = table.grid;
        let above = read::Grid {
            name: grid.name.clone(),
            origin: grid.origin,
            rows: grid.rows[..table.header_row].to_vec(),
        };
        let cell = |labels: &[&str]| labelled(&above, labels).map(|(r, c)| (r, c, above.get(r, c).clone()));
        let place = |r: usize, c: usize| Place::new(self.workbook, grid, r, c);
        let mut days_given = None;
        let mut date = |labels: &[&str], example: &str| -> Option<Date> {
            let (r, c, value) = cell(labels).filter(|(_, _, v)| !v.is_empty())?;
            let date = value.date();
            if date.is_none() {
                let message = format!("{}“{}”无效", labels[0], value.text().unwrap_or_default());
                self.problems.push(place(r, c).error(message).hint(format!("写成 {example}")));
            }
            date
        };
        if let Some(published) = date(layout::NOTICE_START, "2016-12-20") {
            assessment.published = Some(published);
        }
        let until_given = date(layout::NOTICE_END, "2016-12-26");
        if let Some((r, c, value)) = cell(layout::NOTICE_DAYS)
            && !value.is_empty()
        {
            // `7` calendar days, or `5个工作日`.
            let ascii = value.ascii().unwrap_or_default();
            let (number, workdays) = match layout::workdays_in(&ascii) {
                Some(number) => (number.parse::<f64>().ok(), true),
                None => (value.number(), false),
            };
            match number.filter(|n| *n >= 1.0 && n.fract() == 0.0 && *n < 1000.0) {
                Some(days) => days_given = Some((days as u32, workdays, place(r, c))),
                None => self.problems.push(
                    place(r, c)
                        .error(format!("公示天数“{}”不是正整数", value.text().unwrap_or_default()))
                        .hint("如 7（含第一天的日历天数），或 5个工作日"),
                ),
            }
        }
        match (days_given, until_given) {
            (Some((_, _, place)), Some(_)) => self.problems.push(
                place
                    .error("公示天数和公示截止日期只能填一个")
                    .hint("填公示天数（如 7 或 5个工作日），或者填最后一天（如 2016-12-26）"),
            ),
            (Some((days, workdays, _)), None) => {
                (assessment.notice_days, assessment.notice_workdays) =
                    if workdays { (None, Some(days)) } else { (Some(days), None) };
                assessment.until = None;
            }
            (None, Some(until)) => {
                assessment.until = Some(until);
                assessment.notice_days = None;
                assessment.notice_workdays = None;
            }
            (None, None) => {}
        }
        if let Some((r, c, value)) = cell(layout::OBJECTIONS) {
            let text = self.text_at(place(r, c), &value);
            if text.is_some() {
                assessment.objections = text;
            }
        }
    }
}

impl Draft {
    /// Removes members' traces: zones, posts, results of every year, group leaders.
    fn remove_references(&mut self, removed: &[String]) {
        if removed.is_empty() {
            return;
        }
        let gone = |id: &str| removed.iter().any(|r| r == id);
        for group in &mut self.info.groups {
            if group.leader.as_deref().is_some_and(gone) {
                group.leader = None;
            }
        }
        for zone in self.zones.iter_mut().flatten() {
            zone.members.retain(|m| !gone(&m.0));
        }
        if let Some(posts) = &mut self.posts {
            posts.retain(|p| !gone(&p.member));
        }
        for assessment in self.assessments.values_mut() {
            assessment.results.retain(|r| !gone(&r.member));
        }
    }
}

/// The hint for a member named in a list cell who is not in the list.
const NAME_HINT: &str = "写党员名单里的姓名，多名用顿号“、”分开；同名的写成“姓名（编号）”，如 王伟（m03）";

/// `王  伟` (padded to line up in a roster) → `王伟`; Latin names keep their spaces.
fn person_name(text: &str) -> String {
    let text = read::clean(text);
    if text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        text.to_string()
    }
}

/// Items of a cell listing several: `李建国、刘永福`, also with commas, semicolons or one per line.
fn split_list(text: &str) -> Vec<&str> {
    text.split(['、', '，', ',', '；', ';', '\n']).map(read::clean).filter(|s| !s.is_empty()).collect()
}

/// `王振明（村民代表）` → a partner with a role.
fn partner(text: &str) -> Partner {
    let bracketed = text.strip_suffix(['）', ')']).and_then(|t| t.rsplit_once(['（', '(']));
    match bracketed {
        Some((name, role)) if !name.trim().is_empty() => {
            let role = read::clean(role);
            Partner { name: person_name(name), role: (!role.is_empty()).then(|| role.to_string()) }
        }
        _ => Partner { name: person_name(text), role: None },
    }
}

/// The next free id `<prefix><n>`, numbered after the highest in use, at least `width` digits.
fn next_id<'a>(prefix: &str, width: usize, used: impl Iterator<Item = &'a str>) -> String {
    let mut highest = 0;
    let mut width = width;
    for id in used {
        if let Some(digits) =
            id.strip_prefix(prefix).filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        {
            highest = highest.max(digits.parse::<u64>().unwrap_or(0));
            width = width.max(digits.len());
        }
    }
    format!("{prefix}{:0width$}", highest + 1)
}

/// A four-digit year in a sheet name or title: `考核2016`, `2016年度党员考核结果`.
fn year_in(text: &str) -> Option<i32> {
    let text = read::to_ascii(text);
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let run = &bytes[i..i + 4];
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (alone && run.iter().all(u8::is_ascii_digit))
            .then(|| text[i..i + 4].parse::<i32>().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

pub fn unit_kind(text: &str) -> Option<UnitKind> {
    Some(match text {
        "农村" | "村" | "village" => UnitKind::Village,
        "社区" | "community" => UnitKind::Community,
        "机关" | "agency" => UnitKind::Agency,
        "企事业单位" | "企业" | "事业单位" | "enterprise" => UnitKind::Enterprise,
        "学校" | "school" => UnitKind::School,
        _ => return None,
    })
}

fn category(text: &str) -> Option<MemberCategory> {
    Some(match text {
        "教师" | "教师党员" | "teacher" => MemberCategory::Teacher,
        "职工" | "职工党员" | "staff" => MemberCategory::Staff,
        "学生" | "学生党员" | "student" => MemberCategory::Student,
        _ => return None,
    })
}

/// Loads the drafts as `check` would: the units' folders, their sections, `site.yaml` and
/// `holidays.yaml` are copied into a scratch root, the new files laid over them. Returns the problems found.
fn validate(
    root: &Path,
    drafts: &[(Draft, Draft)],
    writes: &[(PathBuf, String)],
) -> Result<Diagnostics, SheetError> {
    let scratch = Scratch::new()?;
    let copy = |relative: &Path| -> std::io::Result<()> {
        let target = scratch.0.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(root.join(relative), target).map(|_| ())
    };
    let io = |e: std::io::Error| SheetError::Usage(anyhow::anyhow!("准备检查导入结果时出错：{e}"));
    copy(Path::new("content/site.yaml")).map_err(io)?;
    // Periods in working days are counted against the county's calendar.
    let holidays = Path::new(crate::calendar::FILE);
    if root.join(holidays).is_file() {
        copy(holidays).map_err(io)?;
    }
    for (_, draft) in drafts {
        let mut section = draft.unit.dir.parent();
        while let Some(dir) = section.filter(|d| *d != Path::new("content")) {
            copy(&dir.join("section.yaml")).map_err(io)?;
            section = dir.parent();
        }
        if draft.exists {
            for entry in walkdir::WalkDir::new(root.join(&draft.unit.dir)).follow_links(false) {
                let entry = entry.map_err(|e| io(e.into()))?;
                if entry.file_type().is_file() {
                    let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                    copy(relative).map_err(io)?;
                }
            }
        } else {
            std::fs::create_dir_all(scratch.0.join(&draft.unit.dir)).map_err(io)?;
        }
    }
    for (relative, text) in writes {
        let target = scratch.0.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(target, text).map_err(io)?;
    }
    let (_, diagnostics) = crate::pipeline::load_all(&scratch.0, LoadOptions { drafts: true });
    Ok(diagnostics)
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, SheetError> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gongkai-import-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("无法新建临时文件夹 {}：{e}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the files; if one fails, puts back the ones already written.
fn commit(root: &Path, writes: &[(PathBuf, String)]) -> Result<(), SheetError> {
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    for (relative, text) in writes {
        let path = root.join(relative);
        let result = (|| -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                let mut missing = parent.to_path_buf();
                let mut new_dirs = Vec::new();
                while !missing.exists() {
                    new_dirs.push(missing.clone());
                    if !missing.pop() {
                        break;
                    }
                }
                std::fs::create_dir_all(parent)?;
                created_dirs.extend(new_dirs);
            }
            let old = std::fs::read(&path).ok();
            write_atomic(&path, text.as_bytes())?;
            done.push((path.clone(), old));
            Ok(())
        })();
        if let Err(error) = result {
            for (path, old) in done.into_iter().rev() {
                let _ = match old {
                    Some(bytes) => write_atomic(&path, &bytes),
                    None => std::fs::remove_file(&path),
                };
            }
            for dir in created_dirs.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(
                anyhow::anyhow!("写入 {} 失败：{error}；已写入的文件已还原", relative.display()).into()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids_follow_the_highest() {
        assert_eq!(next_id("m", 2, ["m01", "m14", "x9"].into_iter()), "m15");
        assert_eq!(next_id("m", 2, std::iter::empty()), "m01");
        assert_eq!(next_id("g", 1, ["g1", "g2"].into_iter()), "g3");
        assert_eq!(next_id("m", 2, ["m099"].into_iter()), "m100");
    }

    #[test]
    fn years_in_names_and_titles() {
        assert_eq!(year_in("考核2016"), Some(2016));
        assert_eq!(year_in("２０１６年度党员考核评比结果"), Some(2016));
        assert_eq!(year_in("第12345号"), None);
        assert_eq!(year_in("Sheet1"), None);
    }

    #[test]
    fn names_and_partners() {
        assert_eq!(person_name(" 王\u{3000}伟 "), "王伟");
        assert_eq!(person_name("Tom Lee"), "Tom Lee");
        let p = partner("王振明（村民代表）");
        assert_eq!((p.name.as_str(), p.role.as_deref()), ("王振明", Some("村民代表")));
        assert_eq!(partner("刘淑芬").role, None);
        assert_eq!(
            split_list("李建国、刘永福，王五; 赵六\n孙七"),
            ["李建国", "刘永福", "王五", "赵六", "孙七"]
        );
    }
}
