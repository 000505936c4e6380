//! The three disclosures (三个内容公开) and the supervision channel, per unit.

use crate::content::model::Unit;
use serde::Serialize;

/// Whether one disclosure is satisfied, and if not, why (in words for the dashboard).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Check {
    pub ok: bool,
    pub reasons: Vec<Reason>,
}

impl Check {
    fn from_reasons(reasons: Vec<Reason>) -> Check {
        Check { ok: reasons.is_empty(), reasons }
    }

    /// The check as `gongkai check --json` reports it: reasons with the file or field to fix.
    pub fn for_webmaster(&self) -> serde_json::Value {
        let reasons: Vec<String> = self.reasons.iter().map(Reason::for_webmaster).collect();
        serde_json::json!({ "ok": self.ok, "reasons": reasons })
    }
}

/// Why a disclosure falls short: words for residents, and for the webmaster the file or field
/// to fix. Public pages and `data.json` show only the words; `check` adds the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub text: String,
    pub place: Option<String>,
}

impl Reason {
    fn said(text: String) -> Reason {
        Reason { text, place: None }
    }

    fn at(text: String, place: impl Into<String>) -> Reason {
        Reason { text, place: Some(place.into()) }
    }

    /// `没有 2016 年的考核结果（assessments/2016.yaml）`.
    pub fn for_webmaster(&self) -> String {
        match &self.place {
            Some(place) => format!("{}（{place}）", self.text),
            None => self.text.clone(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Read back from the build cache, a reason has its words and no place: the place is for `check`,
/// which never reads the cache.
impl<'de> serde::Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Reason::said)
    }
}

/// A unit's standing on the three disclosures and public supervision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Compliance {
    pub zones: Check,
    pub posts: Check,
    pub assessment: Check,
    pub supervision: Check,
}

impl Compliance {
    pub fn ok(&self) -> bool {
        self.zones.ok && self.posts.ok && self.assessment.ok && self.supervision.ok
    }

    pub fn checks(&self) -> [(&'static str, &Check); 4] {
        [
            ("责任区和党小组", &self.zones),
            ("定岗履责", &self.posts),
            ("考核评比结果", &self.assessment),
            ("群众监督渠道", &self.supervision),
        ]
    }
}

/// Names a few members: `李建国、王秀英 等 5 人`.
fn few(names: &[&str]) -> String {
    let shown = names.iter().take(3).copied().collect::<Vec<_>>().join("、");
    if names.len() > 3 { format!("{shown} 等 {} 人", names.len()) } else { shown }
}

/// Evaluates the rules of docs/design.md §4 for the assessment year.
pub fn evaluate(unit: &Unit, year: Option<i32>) -> Compliance {
    let active: Vec<_> = unit.info.members.iter().filter(|m| !m.is_exempt()).collect();
    let display = |m: &crate::content::model::Member| crate::masking::member_name(m).into_owned();

    let mut zones = Vec::new();
    if !unit.has_zones_file {
        zones.push(Reason::at("没有公开责任区".to_string(), "zones.yaml"));
    } else {
        let without: Vec<String> =
            active.iter().filter(|m| unit.zones_of(&m.id).next().is_none()).map(|m| display(m)).collect();
        if !without.is_empty() {
            let names: Vec<&str> = without.iter().map(String::as_str).collect();
            zones.push(Reason::said(format!("{} 没有划分责任区", few(&names))));
        }
        for zone in &unit.zones {
            if zone.members.is_empty() {
                zones.push(Reason::said(format!("责任区“{}”没有责任党员", zone.name)));
            }
            if unit.group(&zone.group).is_none() {
                zones.push(Reason::said(format!("责任区“{}”没有所属党小组", zone.name)));
            }
        }
    }

    let mut posts = Vec::new();
    if !unit.has_posts_file {
        posts.push(Reason::at("没有公开定岗履责情况".to_string(), "posts.yaml"));
    } else {
        let mut no_post = Vec::new();
        let mut no_duty = Vec::new();
        let mut no_record = Vec::new();
        for m in &active {
            match unit.post_of(&m.id) {
                None => no_post.push(display(m)),
                Some(post) => {
                    if post.duties.is_empty() {
                        no_duty.push(display(m));
                    }
                    if let Some(year) = year
                        && !post.records.iter().any(|r| r.date.year == year)
                    {
                        no_record.push(display(m));
                    }
                }
            }
        }
        for (list, what) in [(no_post, "没有岗位"), (no_duty, "岗位没有写职责")] {
            if !list.is_empty() {
                let names: Vec<&str> = list.iter().map(String::as_str).collect();
                posts.push(Reason::said(format!("{} {what}", few(&names))));
            }
        }
        if !no_record.is_empty() {
            let names: Vec<&str> = no_record.iter().map(String::as_str).collect();
            posts.push(Reason::said(format!(
                "{} 没有 {} 年的履责记录",
                few(&names),
                year.unwrap_or_default()
            )));
        }
    }

    let mut assessment = Vec::new();
    match year.and_then(|y| unit.assessment(y).map(|a| (y, a))) {
        None => assessment.push(match year {
            Some(year) => Reason::at(format!("没有 {year} 年的考核结果"), format!("assessments/{year}.yaml")),
            None => Reason::said("没有考核结果".to_string()),
        }),
        Some((year, a)) => {
            if a.data.published.is_none() || a.last_day.is_none() {
                assessment.push(Reason::at(
                    format!("{year} 年考核结果没有写公示期"),
                    "published 和 notice_days 或 until",
                ));
            }
            if a.data.objections.as_deref().is_none_or(|s| s.trim().is_empty()) {
                assessment.push(Reason::at(format!("{year} 年考核结果没有写异议受理渠道"), "objections"));
            }
            let missing: Vec<String> = active
                .iter()
                .filter(|m| !a.data.results.iter().any(|r| r.member == m.id))
                .map(|m| display(m))
                .collect();
            if !missing.is_empty() {
                let names: Vec<&str> = missing.iter().map(String::as_str).collect();
                assessment.push(Reason::said(format!("{} 没有 {year} 年考核结果", few(&names))));
            }
        }
    }

    for (file, reason) in placeholder_reasons(unit) {
        match file.as_str() {
            "unit.yaml" | "zones.yaml" => zones.push(reason),
            "posts.yaml" => posts.push(reason),
            _ if year.is_some_and(|y| file == format!("assessments/{y}.yaml")) => assessment.push(reason),
            _ => {}
        }
    }

    let supervision = if unit.info.supervision.as_ref().is_none_or(|c| c.is_empty()) {
        vec![Reason::at("没有写群众监督渠道".to_string(), "unit.yaml 的 supervision")]
    } else {
        Vec::new()
    };

    Compliance {
        zones: Check::from_reasons(zones),
        posts: Check::from_reasons(posts),
        assessment: Check::from_reasons(assessment),
        supervision: Check::from_reasons(supervision),
    }
}

/// One reason per file still holding the skeleton's example text: the texts for residents, the
/// lines for `check`.
fn placeholder_reasons(unit: &Unit) -> Vec<(String, Reason)> {
    let mut reasons: Vec<(String, Vec<&str>, Vec<String>)> = Vec::new();
    for placeholder in &unit.placeholders {
        let at = match reasons.iter().position(|(file, _, _)| *file == placeholder.file) {
            Some(at) => at,
            None => {
                reasons.push((placeholder.file.clone(), Vec::new(), Vec::new()));
                reasons.len() - 1
            }
        };
        let (_, texts, lines) = &mut reasons[at];
        if !texts.contains(&placeholder.text.as_str()) {
            texts.push(&placeholder.text);
        }
        let line = placeholder.line.to_string();
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    reasons
        .into_iter()
        .map(|(file, texts, lines)| {
            let what = match file.as_str() {
                "unit.yaml" => "单位信息和党员名单",
                "zones.yaml" => "责任区",
                "posts.yaml" => "岗位",
                _ => "考核结果",
            };
            let texts: String = texts.iter().map(|t| format!("“{t}”")).collect();
            let reason = Reason::at(
                format!("{what}里还有示例文字{texts}，尚未填写"),
                format!("{file} 第 {} 行", lines.join("、")),
            );
            (file, reason)
        })
        .collect()
}
