//! Small inline SVG charts. Each carries a text alternative (`role="img"`, `<title>`), and the
//! page also shows the same numbers as text.

use crate::rules::scoring::OneDecimal;
use std::fmt::Write;

fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// What a bar chart counts, which decides its colour: compliant units in green, grades in a
/// neutral colour (red is kept for what falls short).
#[derive(Debug, Clone, Copy)]
pub enum Counting {
    Compliant,
    Grades,
}

/// Horizontal bars, one per label: the grade distribution or the compliance shares.
pub fn bars(title: &str, counting: Counting, rows: &[(String, usize)]) -> String {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let row_height = 28;
    let height = row_height * rows.len().max(1) + 8;
    let summary: Vec<String> = rows.iter().map(|(label, n)| format!("{label} {n}")).collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart {}" role="img" viewBox="0 0 340 {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}：{}</title>"#,
        match counting {
            Counting::Compliant => "chart-ok",
            Counting::Grades => "chart-grades",
        },
        escape(title),
        escape(&summary.join("，"))
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i * row_height + 4;
        let width = (*n as f64 / max as f64 * 200.0).round();
        let _ = write!(
            svg,
            r#"<text x="0" y="{}" class="chart-label">{}</text><rect x="112" y="{y}" width="{width}" height="20" class="chart-bar bar-{i}"/><text x="{}" y="{}" class="chart-value">{n}</text>"#,
            y + 15,
            escape(label),
            118.0 + width,
            y + 15
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A line of totals across years (a member's trend).
pub fn trend(title: &str, points: &[(i32, f64)]) -> String {
    let summary: Vec<String> = points
        .iter()
        .map(|(year, total)| format!("{year} 年 {}", crate::rules::scoring::format_score(*total)))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" viewBox="0 0 320 140" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}：{}</title>"#,
        escape(title),
        escape(&summary.join("，"))
    );
    let step = if points.len() > 1 { 260.0 / (points.len() - 1) as f64 } else { 0.0 };
    let y_of = |total: f64| 110.0 - (total.clamp(0.0, 100.0) - 50.0).max(0.0) * 2.0;
    let coordinates: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, total))| format!("{},{}", OneDecimal(30.0 + step * i as f64), OneDecimal(y_of(*total))))
        .collect();
    let _ = write!(
        svg,
        r#"<line x1="20" y1="110" x2="310" y2="110" class="chart-axis"/><polyline points="{}" class="chart-line" fill="none"/>"#,
        coordinates.join(" ")
    );
    for (i, (year, total)) in points.iter().enumerate() {
        let x = OneDecimal(30.0 + step * i as f64);
        let y = y_of(*total);
        let _ = write!(
            svg,
            r#"<circle cx="{x}" cy="{}" r="4" class="chart-point"/><text x="{x}" y="{}" class="chart-value" text-anchor="middle">{}</text><text x="{x}" y="130" class="chart-label" text-anchor="middle">{year}</text>"#,
            OneDecimal(y),
            OneDecimal(y - 8.0),
            crate::rules::scoring::format_score(*total)
        );
    }
    svg.push_str("</svg>");
    svg
}
