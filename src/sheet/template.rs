//! `gongkai template`: one unit's workbook, pre-filled from its files, for the unit to fill in
//! and the webmaster to import. Its 说明 sheet records the unit, so importing it needs no flag.

use super::layout::{self, Column, Key, SheetKind};
use super::style::{self, Heading, Styles};
use super::{SheetError, UnitFiles, UnitPath, site_config};
use crate::content::model::*;
use crate::date::Date;
use crate::rules::scoring;
use rust_xlsxwriter::{DataValidation, Formula, Workbook, Worksheet, XlsxError};
use std::path::PathBuf;

/// Rows below the filled ones that keep the drop-down lists, for members and zones added by hand.
const SPARE_ROWS: u32 = 200;

/// What to write.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    pub root: PathBuf,
    /// `SECTION/UNIT`.
    pub unit: String,
    /// The year of the 考核 sheet (default: the site's assessment year).
    pub year: Option<i32>,
    /// Default: `<unit name>.xlsx` in the current folder.
    pub output: Option<PathBuf>,
}

/// Writes the workbook; returns where.
pub fn template(options: &TemplateOptions) -> Result<PathBuf, SheetError> {
    let root = &options.root;
    let config = site_config(root)?;
    let unit = UnitPath::parse(root, &options.unit)?;
    let files = if unit.exists(root) { unit.read(root)? } else { UnitFiles::default() };
    let year = options
        .year
        .or(config.assessment.year)
        .or_else(|| files.assessments.keys().max().copied())
        .unwrap_or_else(|| Date::build_date().year);
    let name = files.info.as_ref().map(|i| i.name.clone()).unwrap_or_default();
    let output = options.output.clone().unwrap_or_else(|| {
        let stem = if name.trim().is_empty() {
            unit.path.rsplit('/').next().unwrap_or("unit").to_string()
        } else {
            name.clone()
        };
        PathBuf::from(format!("{}.xlsx", stem.replace(['/', '\\'], "-")))
    });
    if output.exists() {
        return Err(anyhow::anyhow!(
            "{} 已经存在，未做任何改动：它可能是已经填写的表；换一个文件名（--output），或先把它移走",
            output.display()
        )
        .into());
    }
    let bytes =
        workbook(&config, &unit, &files, year).map_err(|e| anyhow::anyhow!("生成工作簿时出错：{e}"))?;
    super::write_atomic(&output, &bytes)
        .map_err(|e| anyhow::anyhow!("写入 {} 失败：{e}", output.display()))?;
    Ok(output)
}

/// How the workbook names members and groups: by name, or `姓名（编号）` where two share a name.
struct Names<'a> {
    info: &'a UnitFile,
}

impl Names<'_> {
    fn member(&self, id: &str) -> String {
        let Some(member) = self.info.members.iter().find(|m| m.id == id) else {
            return id.to_string();
        };
        if self.info.members.iter().filter(|m| m.name == member.name).count() > 1 {
            format!("{}（{}）", member.name, member.id)
        } else {
            member.name.clone()
        }
    }

    fn group(&self, id: &str) -> String {
        match self.info.groups.iter().find(|g| g.id == id) {
            Some(group) if self.info.groups.iter().filter(|g| g.name == group.name).count() == 1 => {
                group.name.clone()
            }
            _ => id.to_string(),
        }
    }
}

fn workbook(
    config: &SiteConfig,
    unit: &UnitPath,
    files: &UnitFiles,
    year: i32,
) -> Result<Vec<u8>, XlsxError> {
    let empty = super::bare_unit(String::new(), UnitKind::Village, Vec::new());
    let info = files.info.as_ref().unwrap_or(&empty);
    let names = Names { info };
    let styles = Styles::new();
    let mut book = Workbook::new();
    let unit_name = if info.name.is_empty() { unit.path.clone() } else { info.name.clone() };
    style::properties(&mut book, &format!("{unit_name} 党员“七权七责”信息填报表"));

    guide(book.add_worksheet(), &styles, unit, &unit_name, year)?;
    unit_sheet(book.add_worksheet(), &styles, files.info.as_ref())?;

    let sheet = table(book.add_worksheet(), &styles, SheetKind::Groups, &unit_name, None)?;
    for (i, group) in info.groups.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string_with_format(row, 0, &group.id, &styles.text)?;
        sheet.write_string_with_format(row, 1, &group.name, &styles.cell)?;
        let leader = group.leader.as_deref().map(|l| names.member(l)).unwrap_or_default();
        sheet.write_string_with_format(row, 2, leader, &styles.cell)?;
    }

    let school = info.kind == UnitKind::School || info.members.iter().any(|m| m.category.is_some());
    let sheet = table(book.add_worksheet(), &styles, SheetKind::Members, &unit_name, Some(school))?;
    let last = 2 + info.members.len() as u32 + SPARE_ROWS;
    let group_list = Formula::new(format!("=党小组!$B$3:$B${}", 3 + info.groups.len() as u32 + SPARE_ROWS));
    for (i, member) in info.members.iter().enumerate() {
        let row = 2 + i as u32;
        let cells: [(Key, String); 10] = [
            (Key::Id, member.id.clone()),
            (Key::Name, member.name.clone()),
            (Key::Group, names.group(&member.group)),
            (Key::Joined, String::new()),
            (Key::Role, member.role.clone().unwrap_or_default()),
            (Key::Phone, member.phone.clone().unwrap_or_default()),
            (Key::Consent, if member.consent { "是" } else { "否" }.into()),
            (Key::PhonePublic, if member.phone_public { "是" } else { "否" }.into()),
            (Key::Exempt, member.exempt.clone().unwrap_or_default()),
            (Key::Category, member.category.map(category_label).unwrap_or_default().into()),
        ];
        for (col, (key, text)) in cells.into_iter().enumerate().take(if school { 10 } else { 9 }) {
            let col = col as u16;
            match (key, member.joined) {
                (Key::Joined, Some(joined)) => {
                    sheet.write_number_with_format(row, col, f64::from(joined), &styles.cell)?;
                }
                (Key::Id | Key::Phone, _) => {
                    sheet.write_string_with_format(row, col, text, &styles.text)?;
                }
                (Key::Role | Key::Exempt, _) => {
                    sheet.write_string_with_format(row, col, text, &styles.wrap)?;
                }
                _ => {
                    sheet.write_string_with_format(row, col, text, &styles.cell)?;
                }
            }
        }
        let exempt = member.exempt.as_deref().unwrap_or_default();
        style::fit_row(sheet, row, &[(member.role.as_deref().unwrap_or_default(), 20.0), (exempt, 24.0)])?;
    }
    sheet.set_column_format(0, &styles.text)?;
    sheet.set_column_format(5, &styles.text)?;
    list(
        sheet,
        2,
        last,
        2,
        DataValidation::new().allow_list_formula(group_list.clone()),
        "从下拉列表中选党小组；填写新的名称会新建党小组",
    )?;
    list(
        sheet,
        2,
        last,
        6,
        DataValidation::new().allow_list_strings(&["是", "否"])?,
        "不同意公开姓名的填“否”",
    )?;
    list(
        sheet,
        2,
        last,
        7,
        DataValidation::new().allow_list_strings(&["是", "否"])?,
        "本人同意群众拨打他的电话时填“是”，网页上显示完整号码",
    )?;
    if school {
        list(sheet, 2, last, 9, DataValidation::new().allow_list_strings(&["教师", "职工", "学生"])?, "")?;
    }

    let zones: &[Zone] = files.zones.as_deref().unwrap_or_default();
    let sheet = table(book.add_worksheet(), &styles, SheetKind::Zones, &unit_name, None)?;
    for (i, zone) in zones.iter().enumerate() {
        let row = 2 + i as u32;
        let members: Vec<String> = zone.members.iter().map(|m| names.member(&m.0)).collect();
        let partners: Vec<String> = zone
            .partners
            .iter()
            .map(|p| match &p.role {
                Some(role) => format!("{}（{role}）", p.name),
                None => p.name.clone(),
            })
            .collect();
        sheet.write_string_with_format(row, 0, &zone.id, &styles.text)?;
        sheet.write_string_with_format(row, 1, &zone.name, &styles.cell)?;
        sheet.write_string_with_format(row, 2, names.group(&zone.group), &styles.cell)?;
        sheet.write_string_with_format(row, 3, zone.area.as_deref().unwrap_or_default(), &styles.wrap)?;
        match zone.households {
            Some(n) => sheet.write_number_with_format(row, 4, f64::from(n), &styles.cell)?,
            None => sheet.write_blank(row, 4, &styles.cell)?,
        };
        sheet.write_string_with_format(row, 5, members.join("、"), &styles.wrap)?;
        sheet.write_string_with_format(row, 6, partners.join("、"), &styles.wrap)?;
        let description = zone.description.as_deref().unwrap_or_default().trim_end();
        sheet.write_string_with_format(row, 7, description, &styles.wrap)?;
        let (members, partners) = (members.join("、"), partners.join("、"));
        let area = zone.area.as_deref().unwrap_or_default();
        style::fit_row(
            sheet,
            row,
            &[(area, 30.0), (&members, 20.0), (&partners, 24.0), (description, 36.0)],
        )?;
    }
    let last_zone = 2 + zones.len() as u32 + SPARE_ROWS;
    list(
        sheet,
        2,
        last_zone,
        2,
        DataValidation::new().allow_list_formula(group_list),
        "从下拉列表中选党小组",
    )?;

    let posts: &[Post] = files.posts.as_deref().unwrap_or_default();
    let sheet = table(book.add_worksheet(), &styles, SheetKind::Posts, &unit_name, None)?;
    let without_post =
        info.members.iter().filter(|m| !m.is_exempt() && !posts.iter().any(|p| p.member == m.id));
    let mut row = 2;
    for post in posts {
        member_cells(sheet, &styles, row, &post.member, info)?;
        sheet.write_string_with_format(row, 2, &post.title, &styles.cell)?;
        sheet.write_string_with_format(row, 3, post.duties.join("\n"), &styles.wrap)?;
        sheet.write_string_with_format(row, 4, post.commitments.join("\n"), &styles.wrap)?;
        let (duties, commitments) = (post.duties.join("\n"), post.commitments.join("\n"));
        style::fit_row(sheet, row, &[(&duties, 40.0), (&commitments, 40.0)])?;
        row += 1;
    }
    for member in without_post {
        member_cells(sheet, &styles, row, &member.id, info)?;
        for col in 2..5 {
            sheet.write_blank(row, col, &styles.wrap)?;
        }
        row += 1;
    }

    let sheet = table(book.add_worksheet(), &styles, SheetKind::Records, &unit_name, None)?;
    let mut row = 2;
    for post in posts {
        for record in &post.records {
            member_cells(sheet, &styles, row, &post.member, info)?;
            style::write_date(sheet, row, 2, record.date, &styles)?;
            sheet.write_string_with_format(row, 3, &record.summary, &styles.wrap)?;
            style::fit_row(sheet, row, &[(&record.summary, 60.0)])?;
            row += 1;
        }
    }
    sheet.set_column_format(2, &styles.date)?;

    scores(book.add_worksheet(), &styles, config, info, files.assessments.get(&year), year, &unit_name)?;
    book.save_to_buffer()
}

/// The 编号 and 姓名 cells that say whose row it is.
fn member_cells(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    id: &str,
    info: &UnitFile,
) -> Result<(), XlsxError> {
    let name = info.members.iter().find(|m| m.id == id).map_or("", |m| m.name.as_str());
    sheet.write_string_with_format(row, 0, id, &styles.text)?;
    sheet.write_string_with_format(row, 1, name, &styles.cell)?;
    Ok(())
}

/// A table sheet with its title and header (row 2), laid out for A4.
fn table<'a>(
    sheet: &'a mut Worksheet,
    styles: &Styles,
    kind: SheetKind,
    unit_name: &str,
    with_category: Option<bool>,
) -> Result<&'a mut Worksheet, XlsxError> {
    sheet.set_name(kind.title())?;
    let columns: Vec<&Column> =
        kind.columns().iter().filter(|c| c.key != Key::Category || with_category == Some(true)).collect();
    let headings: Vec<Heading> =
        columns.iter().map(|c| Heading { header: c.header, width: c.width }).collect();
    let wide: f64 = columns.iter().map(|c| c.width).sum();
    let title = match kind {
        SheetKind::Groups => "党小组",
        SheetKind::Members => "党员名单",
        SheetKind::Zones => "党员责任区",
        SheetKind::Posts => "党员定岗履责",
        SheetKind::Records => "履责记录",
        _ => kind.title(),
    };
    style::lay_out(sheet, styles, &format!("{unit_name} {title}"), 1, &headings, wide > 100.0)?;
    sheet.set_freeze_panes(2, 2)?;
    Ok(sheet)
}

/// A drop-down list (or other validation) on one column's rows, with a prompt.
fn list(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    col: u16,
    rule: DataValidation,
    prompt: &str,
) -> Result<(), XlsxError> {
    let rule = if prompt.is_empty() { rule } else { rule.set_input_message(prompt)? };
    sheet.add_data_validation(first, col, last, col, &rule)?;
    Ok(())
}

fn guide(
    sheet: &mut Worksheet,
    styles: &Styles,
    unit: &UnitPath,
    unit_name: &str,
    year: i32,
) -> Result<(), XlsxError> {
    sheet.set_name(SheetKind::Guide.title())?;
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 90)?;
    sheet.write_string_with_format(0, 0, format!("{unit_name} 党员“七权七责”信息填报表"), &styles.title)?;
    sheet.write_string_with_format(1, 0, layout::UNIT_PATH_LABEL, &styles.label)?;
    sheet.write_string_with_format(1, 1, &unit.path, &styles.cell)?;
    sheet.write_string(1, 2, "（导入时据此找到单位，请勿修改）")?;
    sheet.write_string_with_format(2, 0, "考核年度", &styles.label)?;
    sheet.write_number_with_format(2, 1, f64::from(year), &styles.cell)?;
    let steps = [
        "怎么填".to_string(),
        "“单位”表：单位名称、类型和群众监督渠道（电话、意见箱等）。监督渠道会显示在网站上本单位的每一页，请填办公电话，不要填个人手机。".into(),
        "“党小组”表：每个党小组一行；组长写党员姓名。".into(),
        "“党员”表：每名党员一行。新党员的编号留空，导入时自动编号；党小组从下拉列表中选，填写新的名称会新建党小组；入党年份写 2008、2008.07 或 2008年7月；手机号码在网站上只显示为 138****5678；本人不同意公开姓名的，“同意公开”填“否”；年老体弱、外出流动等不划分责任区的，在“不划分责任区原因”写明原因（会公开，写简短些）。".into(),
        "不要填写身份证号码、家庭住址、出生日期：网站不公开这些信息，导入时也不读取；任何单元格里有身份证号码都会被拒绝。".into(),
        "“责任区”表：每个责任区一行；责任党员写姓名，多名用顿号“、”分开（同名的写成“姓名（编号）”）；结对群众写“姓名（身份）”，如 王振明（村民代表），网站上姓名显示为 王*明。".into(),
        "“岗位”表：每名党员一行；职责和承诺每项占一行（在单元格里按 Alt+Enter 换行）。没有岗位的党员，岗位、职责、承诺都留空。".into(),
        "“履责记录”表：每条记录一行；日期写 2016-03-12，也可以写 2016/3/12 或 2016年3月12日。".into(),
        format!("“考核{year}”表：三项分数按百分制填写；总分按 site.yaml 的权重计算，等次不填即按总分计算，填写的等次与计算不同时以填写的为准。评为党员先锋岗位的填“是”；作用发挥不突出的党员在“帮助或调整”中选“帮助”或“调整责任区”。第二行填公示开始日期、公示天数（如 7；按工作日算写“5个工作日”；或者填公示截止日期，二者只填一个）和异议受理渠道。还没有打分的党员整行分数留空。"),
        "不要改动工作表名称和表头（各表第二行的列名）。可以增加行；删去的党员、责任区、岗位、记录，导入后会从网站上删去。".into(),
        "填好后交给网站管理员导入：gongkai import 本文件.xlsx。导入前会列出改动（新增、删去、改名、分数变化），有错误时指出工作表和单元格（如 考核2016!D7），并且不改动任何内容；加 --dry-run 只看不写。".into(),
    ];
    for (i, step) in steps.iter().enumerate() {
        let row = 4 + i as u32;
        let format = if i == 0 { &styles.label } else { &styles.wrap };
        sheet.write_string_with_format(row, 1, step, format)?;
        if i > 0 {
            sheet.write_string(row, 0, format!("{i}."))?;
        }
    }
    style::print_setup(sheet, false);
    sheet.set_active(true);
    Ok(())
}

fn unit_sheet(sheet: &mut Worksheet, styles: &Styles, info: Option<&UnitFile>) -> Result<(), XlsxError> {
    use layout::UnitField as F;
    sheet.set_name(SheetKind::Unit.title())?;
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 50)?;
    sheet.write_string_with_format(0, 0, "单位基本信息和群众监督渠道", &styles.title)?;
    let channel = |c: &Option<Channel>, f: fn(&Channel) -> &Option<String>| {
        c.as_ref().and_then(|c| f(c).clone()).unwrap_or_default()
    };
    for (i, &(field, label, _)) in layout::UNIT_FIELDS.iter().enumerate() {
        let row = 1 + i as u32;
        let value = info.map_or_else(String::new, |info| match field {
            F::Name => info.name.clone(),
            F::Kind => crate::render::words::kind_label(info.kind).to_string(),
            F::Organization => info.organization.clone().unwrap_or_default(),
            F::ContactPhone => channel(&info.contact, |c| &c.phone),
            F::ContactAddress => channel(&info.contact, |c| &c.address),
            F::ContactMailbox => channel(&info.contact, |c| &c.mailbox),
            F::ContactEmail => channel(&info.contact, |c| &c.email),
            F::SupervisionPhone => channel(&info.supervision, |c| &c.phone),
            F::SupervisionAddress => channel(&info.supervision, |c| &c.address),
            F::SupervisionMailbox => channel(&info.supervision, |c| &c.mailbox),
            F::SupervisionEmail => channel(&info.supervision, |c| &c.email),
        });
        sheet.write_string_with_format(row, 0, label, &styles.label)?;
        sheet.write_string_with_format(row, 1, value, &styles.text)?;
    }
    let kinds = DataValidation::new().allow_list_strings(&["农村", "社区", "机关", "企事业单位", "学校"])?;
    sheet.add_data_validation(2, 1, 2, 1, &kinds)?;
    style::print_setup(sheet, false);
    Ok(())
}

fn scores(
    sheet: &mut Worksheet,
    styles: &Styles,
    config: &SiteConfig,
    info: &UnitFile,
    assessment: Option<&AssessmentFile>,
    year: i32,
    unit_name: &str,
) -> Result<(), XlsxError> {
    let rules = &config.assessment;
    sheet.set_name(format!("{}{year}", SheetKind::Scores.title()))?;
    let columns = SheetKind::Scores.columns();
    let headings: Vec<Heading> =
        columns.iter().map(|c| Heading { header: c.header, width: c.width }).collect();
    style::lay_out(sheet, styles, &format!("{unit_name} {year} 年度党员考核评比结果"), 2, &headings, true)?;
    sheet.set_freeze_panes(3, 2)?;
    // The notice period and objection channel, as a form row above the header.
    let published = assessment.and_then(|a| a.published);
    let days = assessment.and_then(|a| a.notice_days);
    // A length in working days goes in the same cell, as words the import reads back.
    let workdays = assessment.and_then(|a| a.notice_workdays);
    let until = assessment.and_then(|a| a.until);
    let objections = assessment.and_then(|a| a.objections.as_deref()).unwrap_or_default();
    for (i, label) in
        [layout::NOTICE_START[0], layout::NOTICE_DAYS[0], layout::NOTICE_END[0], layout::OBJECTIONS[0]]
            .into_iter()
            .enumerate()
    {
        sheet.write_string_with_format(1, 2 * i as u16, label, &styles.label)?;
    }
    match published {
        Some(date) => style::write_date(sheet, 1, 1, date, styles)?,
        None => sheet.write_blank(1, 1, &styles.date).map(|_| ())?,
    }
    match (days, workdays) {
        (Some(days), _) => sheet.write_number_with_format(1, 3, f64::from(days), &styles.cell).map(|_| ())?,
        (None, Some(days)) => {
            sheet.write_string_with_format(1, 3, layout::workdays_text(days), &styles.cell).map(|_| ())?
        }
        (None, None) => sheet.write_blank(1, 3, &styles.cell).map(|_| ())?,
    }
    match until {
        Some(date) => style::write_date(sheet, 1, 5, date, styles)?,
        None => sheet.write_blank(1, 5, &styles.date).map(|_| ())?,
    }
    sheet.merge_range(1, 7, 1, 9, objections, &styles.wrap)?;
    sheet.set_row_height(1, 30)?;

    let results: &[AssessmentResult] = assessment.map(|a| a.results.as_slice()).unwrap_or_default();
    let unscored =
        info.members.iter().filter(|m| !m.is_exempt() && !results.iter().any(|r| r.member == m.id));
    let weights = rules.weights;
    let mut row = 3;
    for result in results {
        member_cells(sheet, styles, row, &result.member, info)?;
        for (col, score) in [(2, result.self_review), (3, result.masses), (4, result.organization)] {
            sheet.write_number_with_format(row, col, score, &styles.cell)?;
        }
        let total = scoring::total(result, &weights);
        let grade = result.grade.clone().unwrap_or_else(|| scoring::grade(total, &rules.grades).to_string());
        total_formula(sheet, styles, row, &weights, Some(total))?;
        sheet.write_string_with_format(row, 6, grade, &styles.cell)?;
        sheet.write_string_with_format(row, 7, if result.vanguard { "是" } else { "" }, &styles.cell)?;
        let action = result.action.map(crate::render::words::follow_up_label).unwrap_or_default();
        sheet.write_string_with_format(row, 8, action, &styles.cell)?;
        let note = result.note.as_deref().unwrap_or_default();
        sheet.write_string_with_format(row, 9, note, &styles.wrap)?;
        style::fit_row(sheet, row, &[(note, 40.0)])?;
        row += 1;
    }
    for member in unscored {
        member_cells(sheet, styles, row, &member.id, info)?;
        for col in 2..10 {
            if col == 5 {
                total_formula(sheet, styles, row, &weights, None)?;
            } else {
                sheet.write_blank(row, col, &styles.cell)?;
            }
        }
        row += 1;
    }
    let last = row + SPARE_ROWS;
    let score_rule = DataValidation::new()
        .allow_decimal_number(rust_xlsxwriter::DataValidationRule::Between(0.0, 100.0))
        .set_error_message("分数按百分制填写 0 到 100 之间的数")?;
    sheet.add_data_validation(3, 2, last, 4, &score_rule)?;
    let grades: Vec<&str> = rules.grades.iter().map(|g| g.name.as_str()).collect();
    list(sheet, 3, last, 6, DataValidation::new().allow_list_strings(&grades)?, "不填即按总分计算")?;
    list(
        sheet,
        3,
        last,
        7,
        DataValidation::new().allow_list_strings(&["是", "否"])?,
        "评为党员先锋岗位的填“是”",
    )?;
    list(sheet, 3, last, 8, DataValidation::new().allow_list_strings(&["帮助", "调整责任区"])?, "")?;
    Ok(())
}

/// `=ROUND(C4*0.2+D4*0.4+E4*0.4,1)`, blank while the scores are; the cached result is the
/// total `check` computes, so a reader that does not recalculate sees the same figure.
fn total_formula(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    weights: &Weights,
    total: Option<f64>,
) -> Result<(), XlsxError> {
    let r = row + 1;
    let formula = format!(
        "=IF(COUNT(C{r}:E{r})=0,\"\",ROUND(C{r}*{}+D{r}*{}+E{r}*{},1))",
        weights.self_review, weights.masses, weights.organization
    );
    let result = total.map(scoring::format_score).unwrap_or_default();
    sheet.write_formula_with_format(row, 5, Formula::new(formula).set_result(result), &styles.cell)?;
    Ok(())
}

fn category_label(category: MemberCategory) -> &'static str {
    match category {
        MemberCategory::Teacher => "教师",
        MemberCategory::Staff => "职工",
        MemberCategory::Student => "学生",
    }
}
