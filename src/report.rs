//! The compliance report of `gongkai check`, as text for people and JSON for scripts.

use crate::build::Checked;
use crate::diagnostic::Diagnostics;
use serde_json::json;

/// A table of units and their disclosures, with the reasons for each failure.
pub fn text(checked: &Checked) -> String {
    let site = &checked.site;
    let mut out = String::new();
    let year = site.assessment_year.map_or_else(|| "（无）".to_string(), |y| y.to_string());
    out.push_str(&format!("考核年度：{year}\n"));
    const NAME_WIDTH: usize = 48;
    let headers = ["责任区", "定岗履责", "考核结果", "监督渠道"];
    out.push_str(&pad("单位", NAME_WIDTH));
    out.push_str(headers.map(|h| pad(h, 10)).concat().trim_end());
    out.push('\n');
    let mut failing = 0;
    for (place, digest) in site.units.iter().zip(&checked.digests) {
        let compliance = &digest.summary.compliance;
        out.push_str(&pad(&format!("{} {}", place.path, digest.summary.name), NAME_WIDTH));
        for (_, check) in compliance.checks() {
            out.push_str(&pad(if check.ok { "✓" } else { "✗" }, 10));
        }
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
        if !compliance.ok() {
            failing += 1;
            for (label, check) in compliance.checks() {
                for reason in &check.reasons {
                    out.push_str(&format!("    {label}：{}\n", reason.for_webmaster()));
                }
            }
        }
    }
    if site.units.is_empty() {
        out.push_str(if site.sections.is_empty() {
            "还没有栏目和单位：先用 gongkai new section <栏目> --name <乡镇或工委名称> 新建栏目，再用 gongkai new unit 新建单位\n"
        } else {
            "还没有单位：用 gongkai new unit <栏目>/<单位> --kind village --name <名称> 新建单位\n"
        });
    }
    let warnings = checked.warnings.warnings().count();
    out.push_str(&format!(
        "共 {} 个单位：{} 个达标，{failing} 个未达标；0 个错误，{warnings} 个警告\n",
        site.units.len(),
        site.units.len() - failing
    ));
    out
}

/// Pads to a terminal width, counting CJK characters as two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() || c == '✓' || c == '✗' { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used).max(1)))
}

/// Diagnostics and, when the content loaded, every unit's compliance.
pub fn json(diagnostics: &Diagnostics, checked: Option<&Checked>) -> String {
    let units: Vec<serde_json::Value> = checked
        .map(|c| {
            c.site
                .units
                .iter()
                .zip(&c.digests)
                .map(|(place, digest)| {
                    let compliance = &digest.summary.compliance;
                    json!({
                        "path": place.path,
                        "name": digest.summary.name,
                        "ok": compliance.ok(),
                        "zones": compliance.zones.for_webmaster(),
                        "posts": compliance.posts.for_webmaster(),
                        "assessment": compliance.assessment.for_webmaster(),
                        "supervision": compliance.supervision.for_webmaster(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let value = json!({
        "assessment_year": checked.and_then(|c| c.site.assessment_year),
        "errors": diagnostics.errors().count(),
        "warnings": diagnostics.warnings().count(),
        "diagnostics": diagnostics.0,
        "units": units,
    });
    serde_json::to_string_pretty(&value).expect("JSON of plain values")
}
