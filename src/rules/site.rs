//! Checks of `site.yaml` itself.

use crate::content::model::SiteConfig;
use crate::diagnostic::{Diagnostic, SourceText};

pub fn check_config(config: &SiteConfig, source: &SourceText) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let at = |key: &str| source.find_token(key, 1).unwrap_or((0, 0));
    let w = config.assessment.weights;
    let sum = w.self_review + w.masses + w.organization;
    let weights = [w.self_review, w.masses, w.organization];
    if weights.iter().any(|x| !x.is_finite() || *x < 0.0) || (sum - 1.0).abs() > 1e-6 {
        found.push(
            Diagnostic::error(&source.path, format!("三项考核的权重之和应为 1，现在是 {}", round2(sum)))
                .at(at("weights"))
                .hint("例如 weights: { self: 0.2, masses: 0.4, organization: 0.4 }"),
        );
    }
    let grades = &config.assessment.grades;
    if grades.is_empty() {
        found.push(Diagnostic::error(&source.path, "等次列表不能为空").at(at("grades")));
    } else if grades.windows(2).any(|pair| pair[0].min <= pair[1].min) {
        found.push(
            Diagnostic::error(&source.path, "等次应从高到低排列，分数线逐项降低")
                .at(at("grades"))
                .hint("例如 优秀 90、合格 70、基本合格 60、不合格 0"),
        );
    } else if grades.last().is_some_and(|g| g.min > 0.0) {
        found.push(
            Diagnostic::error(&source.path, "最低一档等次的分数线应为 0，否则有人没有等次").at(at("grades")),
        );
    }
    let cap = config.assessment.excellent_cap;
    if !(0.0..=1.0).contains(&cap) {
        found.push(
            Diagnostic::error(&source.path, "excellent_cap 应在 0 到 1 之间")
                .at(at("excellent_cap"))
                .hint("默认 0.3333（三分之一）"),
        );
    }
    let base = config.base_url.trim();
    if !(base.starts_with("https://") || base.starts_with("http://"))
        || base.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        found.push(
            Diagnostic::error(
                &source.path,
                format!(
                    "base_url“{}”不是网址：应以 https:// 或 http:// 开头，不含空格、换行和引号",
                    base.escape_debug()
                ),
            )
            .at(at("base_url"))
            .hint("写网站发布后的完整地址，例如 https://gongkai.example.gov.cn/"),
        );
    }
    if config.retain_years < 1 {
        found.push(
            Diagnostic::error(&source.path, "retain_years 至少为 1（只公开当年的考核结果）")
                .at(at("retain_years"))
                .hint("默认 2：公开当年和上一年的考核结果"),
        );
    }
    if config.title.trim().is_empty() {
        found.push(Diagnostic::error(&source.path, "网站标题 title 不能为空").at(at("title")));
    }
    found
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
