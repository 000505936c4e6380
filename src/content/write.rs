//! Writes unit files back as YAML, laid out as people type them (one line per member, block
//! entries for zones and posts), so that a file written by `gongkai import` reads like the
//! sample county's and `check` takes it exactly as if it were typed by hand.

use super::model::*;
use std::fmt::Write;

/// `unit.yaml`.
pub fn unit_yaml(unit: &UnitFile) -> String {
    let mut out = String::new();
    line(&mut out, 0, "name", &scalar(&unit.name));
    line(&mut out, 0, "kind", kind_key(unit.kind));
    if let Some(organization) = &unit.organization {
        line(&mut out, 0, "organization", &scalar(organization));
    }
    for (key, channel) in [("contact", &unit.contact), ("supervision", &unit.supervision)] {
        if let Some(channel) = channel {
            let fields = [
                ("phone", channel.phone.as_deref().map(quoted)),
                ("address", channel.address.as_deref().map(scalar)),
                ("mailbox", channel.mailbox.as_deref().map(scalar)),
                ("email", channel.email.as_deref().map(scalar)),
            ];
            line(&mut out, 0, key, &flow(&fields));
        }
    }
    if !unit.groups.is_empty() {
        out.push_str("\ngroups:\n");
        for group in &unit.groups {
            let fields = [
                ("id", Some(scalar(&group.id))),
                ("name", Some(scalar(&group.name))),
                ("leader", group.leader.as_deref().map(scalar)),
            ];
            let _ = writeln!(out, "  - {}", flow(&fields));
        }
    }
    if !unit.members.is_empty() {
        out.push_str("\nmembers:\n");
        for member in &unit.members {
            let fields = [
                ("id", Some(scalar(&member.id))),
                ("name", Some(scalar(&member.name))),
                ("group", Some(scalar(&member.group))),
                ("role", member.role.as_deref().map(scalar)),
                ("joined", member.joined.map(|y| y.to_string())),
                ("phone", member.phone.as_deref().map(quoted)),
                ("category", member.category.map(|c| category_key(c).to_string())),
                ("exempt", member.exempt.as_deref().map(scalar)),
                ("consent", (!member.consent).then(|| "false".to_string())),
                ("phone_public", member.phone_public.then(|| "true".to_string())),
            ];
            let _ = writeln!(out, "  - {}", flow(&fields));
        }
    }
    out
}

/// `zones.yaml`.
pub fn zones_yaml(zones: &[Zone]) -> String {
    let mut out = String::from("zones:\n");
    if zones.is_empty() {
        return "zones: []\n".into();
    }
    for zone in zones {
        let _ = writeln!(out, "  - id: {}", scalar(&zone.id));
        line(&mut out, 4, "name", &scalar(&zone.name));
        line(&mut out, 4, "group", &scalar(&zone.group));
        let members: Vec<String> = zone.members.iter().map(|m| scalar(&m.0)).collect();
        line(&mut out, 4, "members", &format!("[{}]", members.join(", ")));
        if let Some(area) = &zone.area {
            line(&mut out, 4, "area", &scalar(area));
        }
        if let Some(households) = zone.households {
            line(&mut out, 4, "households", &households.to_string());
        }
        if !zone.partners.is_empty() {
            out.push_str("    partners:\n");
            for partner in &zone.partners {
                let fields =
                    [("name", Some(scalar(&partner.name))), ("role", partner.role.as_deref().map(scalar))];
                let _ = writeln!(out, "      - {}", flow(&fields));
            }
        }
        if let Some(description) = &zone.description {
            block(&mut out, 4, "description", description);
        }
    }
    out
}

/// `posts.yaml`.
pub fn posts_yaml(posts: &[Post]) -> String {
    if posts.is_empty() {
        return "posts: []\n".into();
    }
    let mut out = String::from("posts:\n");
    for (i, post) in posts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "  - member: {}", scalar(&post.member));
        line(&mut out, 4, "title", &scalar(&post.title));
        for (key, list) in [("duties", &post.duties), ("commitments", &post.commitments)] {
            if !list.is_empty() {
                let items: Vec<String> = list.iter().map(|s| scalar(s)).collect();
                line(&mut out, 4, key, &format!("[{}]", items.join(", ")));
            }
        }
        if !post.records.is_empty() {
            out.push_str("    records:\n");
            for record in &post.records {
                let fields =
                    [("date", Some(record.date.to_string())), ("summary", Some(scalar(&record.summary)))];
                let _ = writeln!(out, "      - {}", flow(&fields));
            }
        }
    }
    out
}

/// `assessments/<year>.yaml`.
pub fn assessment_yaml(assessment: &AssessmentFile) -> String {
    let mut out = String::new();
    line(&mut out, 0, "year", &assessment.year.to_string());
    if let Some(published) = assessment.published {
        line(&mut out, 0, "published", &published.to_string());
    }
    if let Some(days) = assessment.notice_days {
        line(&mut out, 0, "notice_days", &days.to_string());
    }
    if let Some(until) = assessment.until {
        line(&mut out, 0, "until", &until.to_string());
    }
    if let Some(days) = assessment.notice_workdays {
        line(&mut out, 0, "notice_workdays", &days.to_string());
    }
    if let Some(objections) = &assessment.objections {
        line(&mut out, 0, "objections", &scalar(objections));
    }
    // An import of new scores rewrites the file: the log of objections stays as it was.
    if !assessment.objection_log.is_empty() {
        out.push_str("objection_log:\n");
        for o in &assessment.objection_log {
            let _ = writeln!(out, "  - received: {}", o.received);
            line(&mut out, 4, "matter", &scalar(&o.matter));
            for (key, text) in [("reply", &o.reply), ("outcome", &o.outcome)] {
                if let Some(text) = text {
                    line(&mut out, 4, key, &scalar(text));
                }
            }
            if o.result_changed {
                line(&mut out, 4, "result_changed", "true");
            }
        }
    }
    if assessment.results.is_empty() {
        out.push_str("results: []\n");
        return out;
    }
    out.push_str("results:\n");
    for r in &assessment.results {
        let fields = [
            ("member", Some(scalar(&r.member))),
            ("self", Some(number(r.self_review))),
            ("masses", Some(number(r.masses))),
            ("organization", Some(number(r.organization))),
            ("grade", r.grade.as_deref().map(scalar)),
            ("vanguard", r.vanguard.then(|| "true".to_string())),
            ("action", r.action.map(|a| action_key(a).to_string())),
            ("note", r.note.as_deref().map(scalar)),
        ];
        let _ = writeln!(out, "  - {}", flow(&fields));
    }
    out
}

pub fn kind_key(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Village => "village",
        UnitKind::Community => "community",
        UnitKind::Agency => "agency",
        UnitKind::Enterprise => "enterprise",
        UnitKind::School => "school",
    }
}

fn category_key(category: MemberCategory) -> &'static str {
    match category {
        MemberCategory::Teacher => "teacher",
        MemberCategory::Staff => "staff",
        MemberCategory::Student => "student",
    }
}

fn action_key(action: FollowUp) -> &'static str {
    match action {
        FollowUp::Help => "帮助",
        FollowUp::ChangeZone => "调整责任区",
    }
}

fn line(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}{key}: {value}", "");
}

/// `{ key: value, … }` of the fields that are present.
fn flow(fields: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> =
        fields.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}"))).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// Text of several lines as a literal block (`|`), as the sample's zone descriptions are written.
fn block(out: &mut String, indent: usize, key: &str, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let literal_ok = text.contains('\n')
        && !text.starts_with([' ', '\n'])
        && !text.contains(['\t', '\r'])
        && !text.ends_with("\n\n")
        && lines.iter().all(|l| l.trim_end() == *l);
    if !literal_ok {
        line(out, indent, key, &scalar(text));
        return;
    }
    let chomp = if text.ends_with('\n') { "|" } else { "|-" };
    let _ = writeln!(out, "{:indent$}{key}: {chomp}", "");
    for l in lines {
        if l.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{:width$}{l}", "", width = indent + 2);
        }
    }
}

/// A number as YAML reads it back to the same value: `93`, `92.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// Text as a double-quoted scalar (JSON's escapes are YAML's).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Text written plain where that reads back as the same text, in a flow collection too;
/// quoted otherwise (numbers, dates, `true`, text with `:`, `#`, `,`, brackets or quotes).
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| {
            c.is_ascii_digit() || "-?:,[]{}#&*!|>'\"%@`+.~=".contains(c) || c.is_whitespace()
        })
        && !text.contains(|c: char| ":#,[]{}\"'\\".contains(c) || c.is_control())
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { text.to_string() } else { quoted(text) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;
    use crate::diagnostic::SourceText;

    fn reads_back(text: &str) {
        let yaml = format!("- {}\n", flow(&[("name", Some(scalar(text)))]));
        let source = SourceText { path: "x.yaml".into(), text: yaml.clone() };
        let value: Vec<std::collections::BTreeMap<String, String>> =
            yaml::parse(&source).unwrap_or_else(|e| panic!("{text:?} → {yaml}: {e}"));
        assert_eq!(value[0]["name"], text, "{yaml}");
    }

    #[test]
    fn scalars_read_back_as_written() {
        for text in [
            "东王庄村",
            "m01",
            "13831601234",
            "0316-8812345",
            "2016-12-20",
            "true",
            "No",
            "a: b",
            "a,b",
            "[x]",
            "#1",
            "- x",
            "“引号”与'单引号'",
            "\"quoted\"",
            "back\\slash",
            "两行\n文字",
            " 前面有空格",
            "1号楼",
            "~",
            "@某人",
            "预备党员（三年级电商1班）",
        ] {
            reads_back(text);
        }
    }

    #[test]
    fn descriptions_are_literal_blocks() {
        let mut out = String::new();
        block(&mut out, 4, "description", "第一行\n**第二行**\n");
        assert_eq!(out, "    description: |\n      第一行\n      **第二行**\n");
    }

    #[test]
    fn the_objection_log_reads_back_as_written() {
        let text = "year: 2016\npublished: 2016-12-20\nnotice_days: 7\nobjections: 镇党委 0316-8810000\n\
                    objection_log:\n  - received: 2016-12-22\n    matter: 反映测评打分不实\n    \
                    reply: 经复核属实\n    outcome: 更正分数\n    result_changed: true\n  \
                    - received: 2016-12-23\n    matter: 询问先锋岗评选办法\nresults: []\n";
        let source = SourceText { path: "2016.yaml".into(), text: text.into() };
        let file: AssessmentFile = yaml::parse(&source).unwrap();
        assert_eq!(assessment_yaml(&file), text);
    }
}
