//! Checks of one unit's files: references, duplicates, scores, dates; and its derived scores.

use crate::calendar;
use crate::content::Sources;
use crate::content::model::*;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, SourceText};
use crate::rules::scoring;
use std::collections::{HashMap, HashSet};

/// What the checks of a unit need from the rest of the site.
pub struct Context<'a> {
    pub rules: &'a AssessmentRules,
    /// The year whose results must be published.
    pub year: Option<i32>,
    /// `content/holidays.yaml`, for periods in working days.
    pub holidays: Option<&'a crate::calendar::Calendar>,
}

/// Finds list entries in file order: each entry's anchor is searched after the previous one.
/// Offsets are bytes; line and column are worked out only for a problem.
struct Cursor<'a> {
    source: &'a SourceText,
    entry: usize,
    next: usize,
}

/// A byte offset in the file, if the thing was found.
type At = Option<usize>;

impl<'a> Cursor<'a> {
    fn new(source: &'a SourceText) -> Self {
        Cursor { source, entry: 0, next: 0 }
    }

    /// Moves to the entry written `key: value`.
    fn entry(&mut self, key: &str, value: &str) -> At {
        let at = self.source.find_key_value_at(key, value, self.next)?;
        self.entry = at;
        // The next entry starts after this one's value, so a duplicate right below is found.
        let value_at = self.source.find_token_at(value, at + key.len()).unwrap_or(at);
        self.next = value_at + value.len();
        Some(at)
    }

    /// `token` within the current entry (at or after its anchor).
    fn within(&self, token: &str) -> At {
        self.source.find_token_at(token, self.entry).or(Some(self.entry))
    }

    fn position(&self, at: At) -> (usize, usize) {
        at.map_or((0, 0), |at| self.source.position(at))
    }

    fn error(&self, at: At, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.source.path, message).at(self.position(at))
    }

    fn warning(&self, at: At, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.source.path, message).at(self.position(at))
    }
}

/// The hint for an id that names nothing: the one it was meant to be, if that can be told, and
/// the known ids, each with the name of the member or group it stands for.
fn known_list<'a>(known: impl Iterator<Item = (&'a str, &'a str)>, written: &str) -> String {
    let mut seen = HashSet::new();
    let known: Vec<(&str, &str)> = known.filter(|(id, _)| seen.insert(*id)).collect();
    if known.is_empty() {
        return "还没有任何编号".into();
    }
    let named = |(id, name): (&str, &str)| format!("“{id}”（{name}）");
    let shown =
        known.iter().take(30).map(|(id, name)| format!("{id}（{name}）")).collect::<Vec<_>>().join("、");
    let list = if known.len() > 30 {
        format!("已有的编号：{shown} 等 {} 个", known.len())
    } else {
        format!("已有的编号：{shown}")
    };
    // Several ids run together with a Chinese comma or enumeration comma (`[m03，m04]`).
    let parts: Vec<&str> = written.split(['，', '、']).map(str::trim).collect();
    if parts.len() > 1 {
        let meant: Option<Vec<(&str, &str)>> = parts.iter().map(|part| meant_id(&known, part)).collect();
        if let Some(meant) = meant {
            let ids = meant.iter().map(|(id, _)| *id).collect::<Vec<_>>().join(", ");
            let guesses = meant.into_iter().map(named).collect::<Vec<_>>().join("、");
            return format!("编号之间用了中文逗号；是不是{guesses}？改成英文逗号分开：[{ids}]。{list}");
        }
    }
    match meant_id(&known, written) {
        Some(meant) => format!("是不是{}？{list}", named(meant)),
        None => list,
    }
}

/// The known id a written one was meant to be: one that looks the same in a Chinese font, the
/// id of the member or group whose name was written, or the same letters and number without
/// the leading zeros (`m1` for `m01`).
fn meant_id<'a>(known: &[(&'a str, &'a str)], written: &str) -> Option<(&'a str, &'a str)> {
    let key = look_alike_key(written);
    if key.is_empty() && written.trim().is_empty() {
        return None;
    }
    let numbered = |id: &str| {
        let letters = id.trim_end_matches(|c: char| c.is_ascii_digit());
        let number = id[letters.len()..].trim_start_matches('0');
        (!letters.is_empty() && letters.len() < id.len()).then(|| (letters.to_string(), number.to_string()))
    };
    known
        .iter()
        .find(|(id, _)| !key.is_empty() && look_alike_key(id) == key)
        .or_else(|| known.iter().find(|(_, name)| *name == written.trim()))
        .or_else(|| {
            let written = numbered(&key)?;
            known.iter().find(|(id, _)| numbered(id).as_ref() == Some(&written))
        })
        .copied()
}

/// The unit's member ids with their names, for hints read by the webmaster (not published).
fn member_names(info: &UnitFile) -> impl Iterator<Item = (&str, &str)> {
    info.members.iter().map(|m| (m.id.as_str(), m.name.as_str()))
}

/// What an id looks like in a Chinese font: full-width letters and digits (`ｍ０１`) read as
/// ASCII, capitals as small letters, and spaces and punctuation typed along (`m 01`, `m01：`)
/// dropped.
fn look_alike_key(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            // The full-width forms of `!` to `~` sit at a fixed distance from ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Checks the unit and fills in its derived figures (totals, grades, ranks, last notice days).
pub fn check(unit: &mut Unit, sources: &Sources, context: &Context) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let member_ids: HashSet<&str> = unit.info.members.iter().map(|m| m.id.as_str()).collect();
    let group_ids: HashSet<&str> = unit.info.groups.iter().map(|g| g.id.as_str()).collect();
    let members_hint = |written: &str| known_list(member_names(&unit.info), written);
    let groups_hint = |written: &str| {
        known_list(unit.info.groups.iter().map(|g| (g.id.as_str(), g.name.as_str())), written)
    };

    if let Some(source) = &sources.unit {
        if unit.info.name.trim().is_empty() {
            found.push(
                Diagnostic::error(&source.path, "单位名称 name 不能为空")
                    .at(source.find_token("name", 1).unwrap_or((0, 0))),
            );
        }
        let mut cursor = Cursor::new(source);
        let mut seen = HashSet::new();
        for group in &unit.info.groups {
            let at = cursor.entry("id", &group.id);
            if !seen.insert(group.id.as_str()) {
                found.push(
                    cursor
                        .error(at, format!("党小组编号“{}”重复", group.id))
                        .hint("每个党小组用不同的编号，如 g1、g2"),
                );
            }
            if let Some(leader) = &group.leader
                && !member_ids.contains(leader.as_str())
            {
                found.push(
                    cursor
                        .error(
                            cursor.within(leader),
                            format!("党小组“{}”的组长“{leader}”不在党员名单中", group.name),
                        )
                        .hint(members_hint(leader)),
                );
            }
        }
        let mut seen = HashSet::new();
        for member in &unit.info.members {
            let at = cursor.entry("id", &member.id);
            if !seen.insert(member.id.as_str()) {
                found.push(
                    cursor
                        .error(at, format!("党员编号“{}”重复", member.id))
                        .hint("每名党员用不同的编号，如 m01、m02"),
                );
            } else if !crate::content::source::is_slug(&member.id) {
                found.push(cursor.error(at, format!("党员编号“{}”不能用作网址", member.id)).hint(format!(
                    "只用小写英文字母、数字和“-”，例如“{}”",
                    crate::content::source::suggest_slug(&member.id)
                )));
            }
            if !group_ids.contains(member.group.as_str()) {
                found.push(
                    cursor
                        .error(
                            cursor.within(&member.group),
                            format!("党员“{}”所在的党小组“{}”不存在", member.name, member.group),
                        )
                        .hint(groups_hint(&member.group)),
                );
            }
        }
    }

    if let Some(source) = &sources.zones {
        let mut cursor = Cursor::new(source);
        let mut seen = HashSet::new();
        for zone in &unit.zones {
            let at = cursor.entry("id", &zone.id);
            if !seen.insert(zone.id.as_str()) {
                found.push(
                    cursor
                        .error(at, format!("责任区编号“{}”重复", zone.id))
                        .hint("每个责任区用不同的编号，如 z1、z2"),
                );
            } else if !crate::content::source::is_slug(&zone.id) {
                // Zone ids name the zone sign's address (signs/<id>/).
                found.push(cursor.error(at, format!("责任区编号“{}”不能用作网址", zone.id)).hint(format!(
                    "只用小写英文字母、数字和“-”，例如“{}”",
                    crate::content::source::suggest_slug(&zone.id)
                )));
            }
            if !group_ids.contains(zone.group.as_str()) {
                found.push(
                    cursor
                        .error(
                            cursor.within(&zone.group),
                            format!("责任区“{}”所属的党小组“{}”不存在", zone.name, zone.group),
                        )
                        .hint(groups_hint(&zone.group)),
                );
            }
            if let Some(area) = &zone.area {
                // At the area's text when it is on the line of `area:` as written.
                let key = source.find_token_at("area", cursor.entry);
                found.extend(crate::rules::area::check(&zone.name, area, source, key));
            }
            if let Some(description) = &zone.description
                && crate::guard::nesting::too_deep(description).is_some()
            {
                let at = cursor.within("description");
                found.push(crate::guard::nesting::error(&source.path, cursor.position(at)));
            }
            for member in &zone.members {
                if !member_ids.contains(member.0.as_str()) {
                    found.push(
                        cursor
                            .error(
                                cursor.within(&member.0),
                                format!("责任区“{}”的党员“{}”不在党员名单中", zone.name, member.0),
                            )
                            .hint(members_hint(&member.0)),
                    );
                }
            }
        }
    }

    if let Some(source) = &sources.posts {
        let mut cursor = Cursor::new(source);
        let mut seen = HashSet::new();
        for post in &unit.posts {
            let at = cursor.entry("member", &post.member);
            if !member_ids.contains(post.member.as_str()) {
                found.push(
                    cursor
                        .error(at, format!("岗位“{}”的党员“{}”不在党员名单中", post.title, post.member))
                        .hint(members_hint(&post.member)),
                );
            } else if !seen.insert(post.member.as_str()) {
                found.push(
                    cursor
                        .error(at, format!("党员“{}”设了两个岗位", post.member))
                        .hint("每名党员一个岗位；把职责合并到同一个岗位里"),
                );
            }
            let Some(year) = context.year else { continue };
            for record in &post.records {
                if record.date.year > year {
                    found.push(
                        cursor
                            .warning(
                                cursor.within(&record.date.to_string()),
                                format!("履责记录日期 {} 晚于考核年度 {year} 年", record.date),
                            )
                            .hint("检查日期是否写错；下一年度的记录在考核年度改为下一年后才计入"),
                    );
                }
            }
            let active = unit.member(&post.member).is_some_and(|m| !m.is_exempt());
            if active && !post.records.iter().any(|r| r.date.year == year) {
                found.push(
                    cursor
                        .warning(at, format!("党员“{}”在 {year} 年没有履责记录", post.member))
                        .hint(format!("在 records 里补上 {year} 年的记录")),
                );
            }
        }
    }

    for (assessment, (file_year, source)) in unit.assessments.iter_mut().zip(&sources.assessments) {
        found.extend(check_assessment(assessment, *file_year, source, &unit.info, context));
    }
    let (placeholders, warnings) = super::placeholder::find(sources);
    unit.placeholders = placeholders;
    found.extend(warnings);
    found
}

fn check_assessment(
    assessment: &mut Assessment,
    file_year: i32,
    source: &SourceText,
    info: &UnitFile,
    context: &Context,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let data = &mut assessment.data;
    let top = Cursor::new(source);
    if data.year != file_year {
        found.push(
            top.error(
                source.find_key_value_at("year", &data.year.to_string(), 0),
                format!("年份 {} 与文件名 {file_year}.yaml 不一致", data.year),
            )
            .hint(format!("改成 year: {file_year}，或把文件改名为 {}.yaml", data.year)),
        );
    }
    let given: Vec<&str> = [
        ("notice_days", data.notice_days.is_some()),
        ("until", data.until.is_some()),
        ("notice_workdays", data.notice_workdays.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, given)| given.then_some(key))
    .collect();
    assessment.last_day = match (data.published, data.notice_days, data.until, data.notice_workdays) {
        _ if given.len() > 1 => {
            let names = match given.as_slice() {
                [a, b] => format!("{a} 和 {b}"),
                _ => "notice_days、until 和 notice_workdays".to_string(),
            };
            // The second one written is the one too many.
            let mut written: Vec<usize> =
                given.iter().filter_map(|key| source.find_token_at(key, 0)).collect();
            written.sort_unstable();
            found.push(top.error(written.get(1).copied(), format!("{names} 只能写一个")).hint(
                "公示天数写 notice_days: 7，按工作日数写 notice_workdays: 5，或者写最后一天 until: 2016-12-26",
            ));
            None
        }
        (Some(published), Some(days), None, None) => Some(published.add_days(i64::from(days.max(1)) - 1)),
        (_, None, Some(until), None) => Some(until),
        (Some(published), None, None, Some(days)) => {
            let at = source.find_token_at("notice_workdays", 0);
            match context.holidays {
                None => {
                    found.push(
                        top.error(at, format!("按工作日计算公示期要用节假日安排，可是没有 {}", calendar::FILE))
                            .hint(format!(
                                "新建 {}，照国务院办公厅的放假通知写上 {} 年的“休息”和“调休上班”日期（见 docs/content-format.md 第 10.4 节）；或者改写 notice_days 或 until",
                                calendar::FILE,
                                published.year
                            )),
                    );
                    None
                }
                Some(holidays) if holidays.broken => None,
                Some(holidays) => match holidays.nth_workday(published, days) {
                    Ok(last) => Some(last),
                    Err(year) => {
                        found.push(
                            top.error(
                                at,
                                format!(
                                    "{} 里没有 {year} 年的放假安排，数不出 {} 个工作日的公示期",
                                    calendar::FILE,
                                    days.max(1)
                                ),
                            )
                            .hint(format!(
                                "在 {} 里加上“{year}:”，照国务院办公厅{year}年部分节假日安排的通知写上“休息”和“调休上班”的日期",
                                calendar::FILE
                            )),
                        );
                        None
                    }
                },
            }
        }
        _ => None,
    };
    if let (Some(published), Some(last)) = (data.published, assessment.last_day)
        && last < published
    {
        found.push(top.error(
            source.find_token_at("until", 0),
            format!("公示截止日 {last} 早于公示开始日 {published}"),
        ));
    }

    found.extend(check_objection_log(data, assessment.last_day, source));

    let groups: HashMap<&str, &str> =
        info.members.iter().map(|m| (m.id.as_str(), m.group.as_str())).collect();
    let mut cursor = Cursor::new(source);
    let mut seen = HashSet::new();
    for result in &mut data.results {
        let at = cursor.entry("member", &result.member);
        if !groups.contains_key(result.member.as_str()) {
            found.push(
                cursor
                    .error(at, format!("考核结果中的党员“{}”不在党员名单中", result.member))
                    .hint(known_list(member_names(info), &result.member)),
            );
        } else if !seen.insert(result.member.clone()) {
            found.push(
                cursor.error(at, format!("党员“{}”的考核结果写了两次", result.member)).hint("删去多余的一条"),
            );
        }
        for (key, label, score) in [
            ("self", "党员述评", result.self_review),
            ("masses", "群众测评", result.masses),
            ("organization", "组织考评", result.organization),
        ] {
            if !(0.0..=100.0).contains(&score) || score.is_nan() {
                found.push(
                    cursor
                        .error(cursor.within(key), format!("{label}分数 {score} 超出 0–100"))
                        .hint("分数按百分制填写"),
                );
            }
        }
        result.total = scoring::total(result, &context.rules.weights);
        let computed = scoring::grade(result.total, &context.rules.grades).to_string();
        match &result.grade {
            Some(given) if *given != computed => {
                found.push(
                    cursor
                        .warning(
                            cursor.within("grade"),
                            format!(
                                "填写的等次“{given}”与按分数计算的“{computed}”（总分 {}）不同",
                                scoring::format_score(result.total)
                            ),
                        )
                        .hint("以填写的等次公布；请核对分数或等次"),
                );
                result.final_grade = given.clone();
            }
            _ => result.final_grade = computed,
        }
    }
    scoring::rank_within_groups(&mut data.results, &groups);

    let excellent = context.rules.grades.first().map(|g| g.name.as_str()).unwrap_or("优秀");
    let count = data.results.iter().filter(|r| r.final_grade == excellent).count();
    let total = data.results.len();
    if total > 0 && count as f64 > context.rules.excellent_cap * total as f64 + 1e-9 {
        found.push(
            Diagnostic::warning(
                &source.path,
                format!(
                    "评为“{excellent}”的有 {count} 人，超过参评人数 {total} 人的{}",
                    scoring::format_share(context.rules.excellent_cap)
                ),
            )
            .at(source.find_token("results", 1).unwrap_or((0, 0)))
            .hint(
                "按规定“优秀”一般不超过参评党员的三分之一；可在 site.yaml 的 assessment.excellent_cap 调整",
            ),
        );
    }
    found
}

/// The log of objections (`objection_log:`): each entry says what was objected to, falls in or
/// after the notice period, and says what changed when a result did.
fn check_objection_log(
    data: &AssessmentFile,
    last_day: Option<Date>,
    source: &SourceText,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut cursor = Cursor::new(source);
    // Entries are found in file order by their `received:` key, after the log's own key.
    cursor.next = source.find_token_at("objection_log", 0).unwrap_or(0);
    for objection in &data.objection_log {
        let at = source.find_token_at("received", cursor.next);
        if let Some(at) = at {
            cursor.entry = at;
            cursor.next = at + "received".len();
        }
        let received = objection.received;
        if objection.matter.trim().is_empty() {
            found.push(
                cursor.error(cursor.within("matter"), format!("{received} 收到的异议没有写异议事项")).hint(
                    "在 matter 里写明反映的是什么，例如“对第一党小组群众测评结果有异议”；不写反映人的姓名",
                ),
            );
        }
        if let Some(published) = data.published
            && received < published
        {
            found.push(
                cursor
                    .error(at, format!("异议收到日期 {received} 早于公示开始日 {published}"))
                    .hint("异议是在公示期内收到的；请核对日期"),
            );
        } else if let Some(last) = last_day
            && received > last
        {
            found.push(
                cursor
                    .warning(at, format!("异议收到日期 {received} 晚于公示截止日 {last}"))
                    .hint("公示期后收到的异议也可以记录；请核对日期"),
            );
        }
        if objection.result_changed && objection.outcome.as_deref().is_none_or(|s| s.trim().is_empty()) {
            found.push(
                cursor
                    .error(
                        cursor.within("result_changed"),
                        format!("{received} 收到的异议改变了考核结果，但没有写处理结果"),
                    )
                    .hint("在 outcome 里写明改了什么，例如“第一党小组李某群众测评由 68 分更正为 72 分，等次改为合格”"),
            );
        }
    }
    found
}
