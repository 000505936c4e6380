//! `gongkai export`: the county's workbook for reporting upward (上报) and for 通报 — each
//! unit's compliance with the reasons, totals per section, grade distribution, vanguards,
//! members who fell short and what is done for them, and every unit's notice period.
//! Figures come from the same model and rules as `check`; names and phones are masked as the
//! site masks them unless the workbook is for internal use.

use super::style::{self, Heading, Styles};
use super::{SheetError, write_atomic};
use crate::content::LoadOptions;
use crate::content::model::*;
use crate::date::Date;
use crate::diagnostic::Diagnostics;
use crate::pipeline::{self, Loaded};
use crate::render::views::{MemberRef, notice_status};
use crate::render::words;
use crate::rules::compliance::{self, Compliance};
use crate::rules::scoring::{self, format_share};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::path::PathBuf;

/// What to write.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub root: PathBuf,
    /// Default: the site's assessment year.
    pub year: Option<i32>,
    /// Default: `公开情况汇总-<year>.xlsx` in the current folder.
    pub output: Option<PathBuf>,
    /// Real names and phone numbers, for internal use only.
    pub internal: bool,
}

/// The sheets, in order (tests read them by these names).
pub const SHEETS: [&str; 6] = ["达标情况", "栏目汇总", "等次分布", "先锋岗位", "帮助和调整", "公示期"];

/// Writes the workbook; returns where, and the warnings of loading the content.
pub fn export(options: &ExportOptions) -> Result<(PathBuf, Diagnostics), SheetError> {
    // The workbook lists every member of the county: the one command that holds the whole model.
    let (loaded, warnings) = pipeline::load_all(&options.root, LoadOptions::default());
    let Some(Loaded { site, units }) = loaded.filter(|_| !warnings.has_errors()) else {
        return Err(SheetError::Content(warnings));
    };
    let Some(year) = options.year.or(site.assessment_year) else {
        return Err(anyhow::anyhow!("还没有任何考核结果，不知道汇总哪一年：请用 --year 2016 指定").into());
    };
    let output = options.output.clone().unwrap_or_else(|| {
        PathBuf::from(format!("公开情况汇总-{year}{}.xlsx", if options.internal { "-内部" } else { "" }))
    });
    let bytes = workbook(&site, &units, year, options.internal, Date::build_date())
        .map_err(|e| anyhow::anyhow!("生成工作簿时出错：{e}"))?;
    write_atomic(&output, &bytes).map_err(|e| anyhow::anyhow!("写入 {} 失败：{e}", output.display()))?;
    Ok((output, warnings))
}

/// One unit with what the sheets need of it.
struct Row<'a> {
    unit: &'a Unit,
    sections: String,
    compliance: Compliance,
    assessment: Option<&'a Assessment>,
}

fn workbook(
    site: &Site,
    units: &[Unit],
    year: i32,
    internal: bool,
    today: Date,
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let audience = if internal {
        "（仅供内部使用，含未遮挡的姓名和电话，不得公开）"
    } else {
        "（可公开）"
    };
    let title = |what: &str| format!("{} {year} 年度{what}{audience}", site.config.title);
    style::properties(&mut book, &title("三个内容公开情况汇总"));
    let rows: Vec<Row> = units
        .iter()
        .map(|unit| Row {
            unit,
            sections: section_names(site, unit.section),
            compliance: compliance::evaluate(unit, Some(year)),
            assessment: unit.assessment(year),
        })
        .collect();
    let person = |unit: &Unit, id: &str| -> (String, String) {
        match unit.member(id) {
            Some(m) if internal => (m.name.clone(), m.phone.clone().unwrap_or_default()),
            Some(m) => {
                let shown = MemberRef::new(unit, m);
                (shown.name, shown.phone.unwrap_or_default())
            }
            None => (id.to_string(), String::new()),
        }
    };

    // 达标情况
    let sheet = table(
        &mut book,
        &styles,
        0,
        &title("“三个内容公开”达标情况"),
        &[
            ("栏目", 20.0),
            ("单位", 20.0),
            ("路径", 30.0),
            ("类型", 10.0),
            ("党员数", 8.0),
            ("责任区和党小组", 10.0),
            ("定岗履责", 10.0),
            ("考核评比结果", 10.0),
            ("群众监督渠道", 10.0),
            ("是否达标", 10.0),
            ("未达标原因", 60.0),
        ],
    )?;
    for (i, row) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        let unit = row.unit;
        let reasons: Vec<String> = row
            .compliance
            .checks()
            .iter()
            .flat_map(|(label, check)| {
                check.reasons.iter().map(move |reason| format!("{label}：{}", reason.for_webmaster()))
            })
            .collect();
        text(sheet, &styles, r, 0, &row.sections)?;
        text(sheet, &styles, r, 1, &unit.info.name)?;
        text(sheet, &styles, r, 2, &unit.path)?;
        text(sheet, &styles, r, 3, words::kind_label(unit.info.kind))?;
        number(sheet, &styles, r, 4, unit.info.members.len() as f64)?;
        for (c, (_, check)) in row.compliance.checks().iter().enumerate() {
            mark(sheet, &styles, r, 5 + c as u16, check.ok)?;
        }
        let ok = row.compliance.ok();
        sheet.write_string_with_format(
            r,
            9,
            if ok { "达标" } else { "未达标" },
            if ok { &styles.cell } else { &styles.warn },
        )?;
        let reasons = reasons.join("\n");
        sheet.write_string_with_format(r, 10, &reasons, &styles.wrap)?;
        style::fit_row(sheet, r, &[(&reasons, 60.0)])?;
    }
    filter(sheet, rows.len(), 10)?;

    // 栏目汇总 and 等次分布: per section (its units and those of its sub-sections), then the county.
    let groups: Vec<(String, Vec<&Row>)> = site
        .sections
        .iter()
        .enumerate()
        .map(|(s, section)| {
            let depth = std::iter::successors(section.parent, |&p| site.sections[p].parent).count();
            let label = format!("{}{}", "　".repeat(depth), section.name);
            (label, rows.iter().filter(|r| within(site, r.unit.section, s)).collect())
        })
        .chain(std::iter::once(("全县合计".to_string(), rows.iter().collect())))
        .collect();
    let sheet = table(
        &mut book,
        &styles,
        1,
        &title("各栏目（乡镇、工委）汇总"),
        &[
            ("栏目", 24.0),
            ("单位数", 8.0),
            ("达标", 8.0),
            ("未达标", 8.0),
            ("达标率", 8.0),
            ("党员数", 8.0),
            ("参评党员", 8.0),
            ("先锋岗位", 8.0),
            ("帮助和调整", 10.0),
        ],
    )?;
    for (i, (label, members)) in groups.iter().enumerate() {
        let r = 2 + i as u32;
        let ok = members.iter().filter(|m| m.compliance.ok()).count();
        let results: Vec<&AssessmentResult> = members.iter().flat_map(|m| results(m)).collect();
        text(sheet, &styles, r, 0, label)?;
        number(sheet, &styles, r, 1, members.len() as f64)?;
        number(sheet, &styles, r, 2, ok as f64)?;
        number(sheet, &styles, r, 3, (members.len() - ok) as f64)?;
        text(sheet, &styles, r, 4, &percent(ok, members.len()))?;
        number(
            sheet,
            &styles,
            r,
            5,
            members.iter().map(|m| m.unit.info.members.len()).sum::<usize>() as f64,
        )?;
        number(sheet, &styles, r, 6, results.len() as f64)?;
        number(sheet, &styles, r, 7, results.iter().filter(|r| r.vanguard).count() as f64)?;
        number(sheet, &styles, r, 8, results.iter().filter(|r| r.action.is_some()).count() as f64)?;
    }
    filter(sheet, groups.len(), 8)?;

    let rules = &site.config.assessment;
    let top = rules.grades.first().map_or("优秀", |g| g.name.as_str());
    let cap = format_share(rules.excellent_cap);
    let mut headings: Vec<(String, f64)> = vec![("栏目".into(), 24.0), ("参评党员".into(), 8.0)];
    for grade in &rules.grades {
        headings.push((format!("{}人数", grade.name), 8.0));
        headings.push((format!("{}占比", grade.name), 8.0));
    }
    headings.push((format!("{top}超过{cap}的单位"), 12.0));
    headings.push(("说明".into(), 30.0));
    let heading_refs: Vec<(&str, f64)> = headings.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    let sheet = table(&mut book, &styles, 2, &title("考核等次分布"), &heading_refs)?;
    for (i, (label, members)) in groups.iter().enumerate() {
        let r = 2 + i as u32;
        let results: Vec<&AssessmentResult> = members.iter().flat_map(|m| results(m)).collect();
        text(sheet, &styles, r, 0, label)?;
        number(sheet, &styles, r, 1, results.len() as f64)?;
        let mut col = 2;
        for grade in &rules.grades {
            let count = results.iter().filter(|r| r.final_grade == grade.name).count();
            number(sheet, &styles, r, col, count as f64)?;
            text(sheet, &styles, r, col + 1, &percent(count, results.len()))?;
            col += 2;
        }
        let over: Vec<&str> = members
            .iter()
            .filter(|m| over_cap(m, top, rules.excellent_cap))
            .map(|m| m.unit.info.name.as_str())
            .collect();
        number(sheet, &styles, r, col, over.len() as f64)?;
        let tops = results.iter().filter(|r| r.final_grade == top).count();
        let share_over =
            !results.is_empty() && tops as f64 > rules.excellent_cap * results.len() as f64 + 1e-9;
        let note = match (share_over, over.is_empty()) {
            (true, _) => format!("{top}占比超过{cap}"),
            (false, false) => format!("{}：{top}超过{cap}", over.join("、")),
            _ => String::new(),
        };
        sheet.write_string_with_format(
            r,
            col + 1,
            note,
            if share_over || !over.is_empty() { &styles.warn } else { &styles.cell },
        )?;
    }

    // 先锋岗位
    let sheet = table(
        &mut book,
        &styles,
        3,
        &title("党员先锋岗位名单"),
        &[
            ("栏目", 20.0),
            ("单位", 20.0),
            ("姓名", 10.0),
            ("党小组", 20.0),
            ("岗位", 18.0),
            ("联系电话", 14.0),
            ("总分", 8.0),
            ("等次", 10.0),
        ],
    )?;
    let mut r = 2;
    for row in &rows {
        for result in results(row).into_iter().filter(|r| r.vanguard) {
            member_row(sheet, &styles, r, row, result, &person, 5)?;
            text(sheet, &styles, r, 4, row.unit.post_of(&result.member).map_or("", |p| p.title.as_str()))?;
            text(sheet, &styles, r, 6, &scoring::format_score(result.total))?;
            text(sheet, &styles, r, 7, &result.final_grade)?;
            r += 1;
        }
    }
    filter(sheet, (r - 2) as usize, 7)?;

    // 帮助和调整: members graded below the second grade (合格), and any with a follow-up.
    let low: Vec<&str> = rules.grades.iter().skip(2).map(|g| g.name.as_str()).collect();
    let sheet = table(
        &mut book,
        &styles,
        4,
        &title("评为基本合格、不合格的党员和帮助、调整情况"),
        &[
            ("栏目", 20.0),
            ("单位", 20.0),
            ("姓名", 10.0),
            ("党小组", 20.0),
            ("联系电话", 14.0),
            ("总分", 8.0),
            ("等次", 10.0),
            ("帮助或调整", 12.0),
            ("说明", 50.0),
        ],
    )?;
    let mut r = 2;
    for row in &rows {
        for result in
            results(row).into_iter().filter(|r| r.action.is_some() || low.contains(&r.final_grade.as_str()))
        {
            member_row(sheet, &styles, r, row, result, &person, 4)?;
            text(sheet, &styles, r, 5, &scoring::format_score(result.total))?;
            text(sheet, &styles, r, 6, &result.final_grade)?;
            match result.action {
                Some(action) => text(sheet, &styles, r, 7, words::follow_up_label(action))?,
                None => sheet.write_string_with_format(r, 7, "未写", &styles.warn).map(|_| ())?,
            }
            let note = result.note.as_deref().unwrap_or_default();
            sheet.write_string_with_format(r, 8, note, &styles.wrap)?;
            style::fit_row(sheet, r, &[(note, 50.0)])?;
            r += 1;
        }
    }
    filter(sheet, (r - 2) as usize, 8)?;

    // 公示期
    let sheet = table(
        &mut book,
        &styles,
        5,
        &title("考核结果公示情况"),
        &[
            ("栏目", 20.0),
            ("单位", 20.0),
            ("公示开始", 12.0),
            ("公示截止", 12.0),
            ("天数", 6.0),
            ("状态", 10.0),
            ("异议受理渠道", 40.0),
        ],
    )?;
    for (i, row) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        text(sheet, &styles, r, 0, &row.sections)?;
        text(sheet, &styles, r, 1, &row.unit.info.name)?;
        let Some(assessment) = row.assessment else {
            sheet.write_string_with_format(r, 5, format!("没有 {year} 年考核结果"), &styles.warn)?;
            continue;
        };
        let (first, last) = (assessment.data.published, assessment.last_day);
        match first {
            Some(date) => style::write_date(sheet, r, 2, date, &styles)?,
            None => text(sheet, &styles, r, 2, "")?,
        }
        match last {
            Some(date) => style::write_date(sheet, r, 3, date, &styles)?,
            None => text(sheet, &styles, r, 3, "")?,
        }
        match (first, last) {
            (Some(a), Some(b)) => {
                number(sheet, &styles, r, 4, (b.days_since_epoch() - a.days_since_epoch() + 1) as f64)?
            }
            _ => text(sheet, &styles, r, 4, "")?,
        }
        let status = words::notice_status_label(notice_status(first, last, today));
        text(sheet, &styles, r, 5, status)?;
        text(sheet, &styles, r, 6, assessment.data.objections.as_deref().unwrap_or_default())?;
    }
    filter(sheet, rows.len(), 6)?;
    book.save_to_buffer()
}

/// A sheet laid out for A4 landscape with its title, header, frozen panes.
fn table<'a>(
    book: &'a mut Workbook,
    styles: &Styles,
    index: usize,
    title: &str,
    headings: &[(&str, f64)],
) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[index])?;
    let headings: Vec<Heading> =
        headings.iter().map(|(header, width)| Heading { header, width: *width }).collect();
    style::lay_out(sheet, styles, title, 1, &headings, true)?;
    Ok(sheet)
}

fn filter(sheet: &mut Worksheet, rows: usize, last_col: u16) -> Result<(), XlsxError> {
    sheet.autofilter(1, 0, 1 + rows.max(1) as u32, last_col)?;
    Ok(())
}

fn text(sheet: &mut Worksheet, styles: &Styles, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, value, &styles.cell)?;
    Ok(())
}

fn number(sheet: &mut Worksheet, styles: &Styles, row: u32, col: u16, value: f64) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, value, &styles.cell)?;
    Ok(())
}

fn mark(sheet: &mut Worksheet, styles: &Styles, row: u32, col: u16, ok: bool) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        row,
        col,
        if ok { "✓" } else { "✗" },
        if ok { &styles.cell } else { &styles.warn },
    )?;
    Ok(())
}

/// 栏目, 单位, 姓名, 党小组 and (in column `phone_col`) 联系电话 of a member's row.
fn member_row(
    sheet: &mut Worksheet,
    styles: &Styles,
    r: u32,
    row: &Row,
    result: &AssessmentResult,
    person: &dyn Fn(&Unit, &str) -> (String, String),
    phone_col: u16,
) -> Result<(), XlsxError> {
    let (name, phone) = person(row.unit, &result.member);
    let group = row
        .unit
        .member(&result.member)
        .and_then(|m| row.unit.group(&m.group))
        .map_or("", |g| g.name.as_str());
    text(sheet, styles, r, 0, &row.sections)?;
    text(sheet, styles, r, 1, &row.unit.info.name)?;
    text(sheet, styles, r, 2, &name)?;
    text(sheet, styles, r, 3, group)?;
    text(sheet, styles, r, phone_col, &phone)
}

/// Results of the year for members still in the unit (as the results page lists them).
fn results<'a>(row: &Row<'a>) -> Vec<&'a AssessmentResult> {
    row.assessment
        .map(|a| a.data.results.iter().filter(|r| row.unit.member(&r.member).is_some()).collect())
        .unwrap_or_default()
}

fn over_cap(row: &Row, top: &str, cap: f64) -> bool {
    let results = results(row);
    let tops = results.iter().filter(|r| r.final_grade == top).count();
    !results.is_empty() && tops as f64 > cap * results.len() as f64 + 1e-9
}

/// `南河镇`, or `县直机关工委 / 县教育局党委` for a nested section.
fn section_names(site: &Site, section: usize) -> String {
    let mut names: Vec<&str> = std::iter::successors(Some(section), |&s| site.sections[s].parent)
        .map(|s| site.sections[s].name.as_str())
        .collect();
    names.reverse();
    names.join(" / ")
}

/// Whether section `inner` is `outer` or below it.
fn within(site: &Site, inner: usize, outer: usize) -> bool {
    std::iter::successors(Some(inner), |&s| site.sections[s].parent).any(|s| s == outer)
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".into()
    } else {
        format!("{}%", scoring::OneDecimal(part as f64 * 100.0 / whole as f64))
    }
}
