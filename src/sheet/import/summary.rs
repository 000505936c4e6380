//! The change summary `import` prints before it writes: members added, removed, renamed or
//! changed; groups, zones, posts and records; each year's scores.

use super::Draft;
use crate::content::model::*;
use crate::content::write;
use crate::rules::scoring;
use std::collections::HashSet;
use std::path::PathBuf;

/// What changes in one unit, in words, and the files it writes.
pub(super) fn summary(before: &Draft, after: &Draft, writes: &[(PathBuf, String)]) -> String {
    let mut lines: Vec<String> = Vec::new();
    let name_of = |d: &Draft, id: &str| {
        d.info.members.iter().find(|m| m.id == id).map_or(id.to_string(), |m| m.name.clone())
    };
    if !before.exists {
        lines.push(format!("新建单位（{}）", crate::render::words::kind_label(after.info.kind)));
    } else if write::unit_yaml(&UnitFile { groups: vec![], members: vec![], ..before.info.clone() })
        != write::unit_yaml(&UnitFile { groups: vec![], members: vec![], ..after.info.clone() })
    {
        lines.push("单位信息有改动".into());
    }
    let old_ids: HashSet<&str> = before.info.members.iter().map(|m| m.id.as_str()).collect();
    let new_ids: HashSet<&str> = after.info.members.iter().map(|m| m.id.as_str()).collect();
    let added: Vec<String> = after
        .info
        .members
        .iter()
        .filter(|m| !old_ids.contains(m.id.as_str()))
        .map(|m| format!("{}（{}）", m.name, m.id))
        .collect();
    let removed: Vec<String> = before
        .info
        .members
        .iter()
        .filter(|m| !new_ids.contains(m.id.as_str()))
        .map(|m| format!("{}（{}）", m.name, m.id))
        .collect();
    let mut renamed = Vec::new();
    let mut changed = Vec::new();
    for member in &after.info.members {
        if let Some(old) = before.info.members.iter().find(|m| m.id == member.id) {
            if old.name != member.name {
                renamed.push(format!("{} {}→{}", member.id, old.name, member.name));
            } else if write::unit_yaml(&unit_with(old)) != write::unit_yaml(&unit_with(member)) {
                changed.push(member.name.clone());
            }
        }
    }
    for (label, list) in
        [("新增党员", &added), ("删去党员", &removed), ("改名", &renamed), ("党员信息有改动", &changed)]
    {
        if !list.is_empty() {
            let mut line = format!("{label} {} 名：{}", list.len(), few(list));
            if label == "删去党员" {
                line.push_str("（连同其责任区、岗位和考核结果中的记录）");
            }
            lines.push(line);
        }
    }
    let groups = |d: &Draft| -> Vec<String> {
        d.info.groups.iter().map(|g| format!("{}（{}）", g.name, g.id)).collect()
    };
    let (old_groups, new_groups) = (groups(before), groups(after));
    let added: Vec<String> = new_groups.iter().filter(|g| !old_groups.contains(g)).cloned().collect();
    let removed: Vec<String> = old_groups.iter().filter(|g| !new_groups.contains(g)).cloned().collect();
    if !added.is_empty() {
        lines.push(format!("新增党小组：{}", few(&added)));
    }
    if !removed.is_empty() {
        lines.push(format!("删去党小组：{}", few(&removed)));
    }
    if let Some(zones) = &after.zones {
        let old = before.zones.clone().unwrap_or_default();
        let text = |z: &Zone| write::zones_yaml(std::slice::from_ref(z));
        let added: Vec<String> =
            zones.iter().filter(|z| !old.iter().any(|o| o.id == z.id)).map(|z| z.name.clone()).collect();
        let removed: Vec<String> =
            old.iter().filter(|o| !zones.iter().any(|z| z.id == o.id)).map(|z| z.name.clone()).collect();
        let changed: Vec<String> = zones
            .iter()
            .filter(|z| old.iter().any(|o| o.id == z.id && text(o) != text(z)))
            .map(|z| z.name.clone())
            .collect();
        counts(&mut lines, "责任区", "个", &added, &removed, &changed);
    }
    if let Some(posts) = &after.posts {
        let old = before.posts.clone().unwrap_or_default();
        let key = |p: &Post| (p.title.clone(), p.duties.clone(), p.commitments.clone());
        let added: Vec<String> = posts
            .iter()
            .filter(|p| !old.iter().any(|o| o.member == p.member))
            .map(|p| name_of(after, &p.member))
            .collect();
        let removed: Vec<String> = old
            .iter()
            .filter(|o| !posts.iter().any(|p| p.member == o.member))
            .map(|p| name_of(before, &p.member))
            .collect();
        let changed: Vec<String> = posts
            .iter()
            .filter(|p| old.iter().any(|o| o.member == p.member && key(o) != key(p)))
            .map(|p| name_of(after, &p.member))
            .collect();
        counts(&mut lines, "岗位", "个", &added, &removed, &changed);
        let records = |posts: &[Post]| -> Vec<String> {
            posts
                .iter()
                .flat_map(|p| p.records.iter().map(move |r| format!("{} {} {}", p.member, r.date, r.summary)))
                .collect()
        };
        let (old_records, new_records) = (records(&old), records(posts));
        let added = new_records.iter().filter(|r| !old_records.contains(r)).count();
        let removed = old_records.iter().filter(|r| !new_records.contains(r)).count();
        if added + removed > 0 {
            lines.push(format!("履责记录：新增 {added} 条，删去 {removed} 条"));
        }
    }
    for (year, assessment) in &after.assessments {
        let old = before.assessments.get(year);
        let old_results = old.map(|a| a.results.as_slice()).unwrap_or_default();
        let scores = |r: &AssessmentResult| {
            format!(
                "{}/{}/{}",
                scoring::format_score(r.self_review),
                scoring::format_score(r.masses),
                scoring::format_score(r.organization)
            )
        };
        let added: Vec<String> = assessment
            .results
            .iter()
            .filter(|r| !old_results.iter().any(|o| o.member == r.member))
            .map(|r| name_of(after, &r.member))
            .collect();
        let removed: Vec<String> = old_results
            .iter()
            .filter(|o| !assessment.results.iter().any(|r| r.member == o.member))
            .map(|r| name_of(before, &r.member))
            .collect();
        let mut changed = Vec::new();
        for r in &assessment.results {
            if let Some(o) = old_results.iter().find(|o| o.member == r.member) {
                let (a, b) = (scores(o), scores(r));
                if a != b {
                    changed.push(format!("{} {a}→{b}", name_of(after, &r.member)));
                } else if write::assessment_yaml(&one_result(o)) != write::assessment_yaml(&one_result(r)) {
                    changed.push(format!("{}（等次、先锋岗位、措施或说明）", name_of(after, &r.member)));
                }
            }
        }
        let mut parts = Vec::new();
        if old.is_none() {
            parts.push("新建".to_string());
        }
        for (label, list) in [("新增", &added), ("删去", &removed), ("改动", &changed)] {
            if !list.is_empty() && (old.is_some() || label != "新增") {
                parts.push(format!("{label} {} 名：{}", list.len(), few(list)));
            }
        }
        if old.is_none() {
            parts.push(format!("{} 名党员的结果", assessment.results.len()));
        }
        let notice = |a: &AssessmentFile| {
            (a.published, a.notice_days, a.until, a.notice_workdays, a.objections.clone())
        };
        if old.is_some_and(|o| notice(o) != notice(assessment)) {
            parts.push("公示期或异议受理渠道有改动".into());
        }
        if !parts.is_empty() {
            lines.push(format!("{year} 年考核结果：{}", parts.join("；")));
        }
    }
    let mine: Vec<String> = writes
        .iter()
        .filter_map(|(p, _)| p.strip_prefix(&after.unit.dir).ok())
        .map(crate::diagnostic::display_path)
        .collect();
    let mut out = format!("{} {}：\n", after.unit.path, after.info.name);
    if mine.is_empty() {
        out.push_str("  没有变化\n");
        return out;
    }
    for line in lines {
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str(&format!("  写入 {}\n", mine.join("、")));
    out
}

fn unit_with(member: &Member) -> UnitFile {
    crate::sheet::bare_unit(String::new(), UnitKind::Village, vec![member.clone()])
}

fn one_result(result: &AssessmentResult) -> AssessmentFile {
    AssessmentFile {
        year: 0,
        published: None,
        notice_days: None,
        until: None,
        notice_workdays: None,
        objections: None,
        objection_log: Vec::new(),
        results: vec![result.clone()],
    }
}

fn counts(
    lines: &mut Vec<String>,
    what: &str,
    unit: &str,
    added: &[String],
    removed: &[String],
    changed: &[String],
) {
    let mut parts = Vec::new();
    for (label, list) in [("新增", added), ("删去", removed), ("改动", changed)] {
        if !list.is_empty() {
            parts.push(format!("{label} {} {unit}：{}", list.len(), few(list)));
        }
    }
    if !parts.is_empty() {
        lines.push(format!("{what}：{}", parts.join("；")));
    }
}

/// At most ten names, then how many in all.
fn few(list: &[String]) -> String {
    let shown = list.iter().take(10).cloned().collect::<Vec<_>>().join("、");
    if list.len() > 10 { format!("{shown} 等 {} 项", list.len()) } else { shown }
}
