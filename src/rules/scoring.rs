//! Totals, grades and ranks of the year-end assessment (考核评比).

use crate::content::model::{AssessmentResult, GradeRule, Weights};
use std::collections::HashMap;

/// Weighted total of the three evaluations, rounded to one decimal.
pub fn total(result: &AssessmentResult, weights: &Weights) -> f64 {
    let raw = result.self_review * weights.self_review
        + result.masses * weights.masses
        + result.organization * weights.organization;
    (raw * 10.0).round() / 10.0
}

/// The first grade, highest first, whose threshold the total reaches.
pub fn grade(total: f64, grades: &[GradeRule]) -> &str {
    grades.iter().find(|g| total >= g.min).or(grades.last()).map_or("", |g| g.name.as_str())
}

/// Ranks results by total within each party group; equal totals share a rank.
pub fn rank_within_groups(results: &mut [AssessmentResult], group_of: &HashMap<&str, &str>) {
    let mut by_group: HashMap<&str, Vec<f64>> = HashMap::new();
    for r in results.iter() {
        let group = group_of.get(r.member.as_str()).copied().unwrap_or("");
        by_group.entry(group).or_default().push(r.total);
    }
    for r in results.iter_mut() {
        let group = group_of.get(r.member.as_str()).copied().unwrap_or("");
        r.group_rank = 1 + by_group[group].iter().filter(|t| **t > r.total).count();
    }
}

/// `92.0` → `92`, `92.4` → `92.4`.
pub fn format_score(score: f64) -> String {
    if score.fract() == 0.0 { format!("{score:.0}") } else { format!("{score:.1}") }
}

/// `0.333…` → `三分之一`, other shares as a percentage.
pub fn format_share(share: f64) -> String {
    if (share - 1.0 / 3.0).abs() < 0.001 { "三分之一".into() } else { format!("{:.0}%", share * 100.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(member: &str, s: f64, m: f64, o: f64) -> AssessmentResult {
        AssessmentResult {
            member: member.into(),
            self_review: s,
            masses: m,
            organization: o,
            grade: None,
            vanguard: false,
            action: None,
            note: None,
            total: 0.0,
            final_grade: String::new(),
            group_rank: 0,
        }
    }

    #[test]
    fn totals_and_grades_follow_the_rules() {
        let weights = Weights::default();
        let grades = crate::content::model::AssessmentRules::default().grades;
        let r = result("m01", 92.0, 95.0, 94.0);
        assert_eq!(total(&r, &weights), 94.0);
        assert_eq!(grade(94.0, &grades), "优秀");
        assert_eq!(grade(89.9, &grades), "合格");
        assert_eq!(grade(60.0, &grades), "基本合格");
        assert_eq!(grade(12.0, &grades), "不合格");
    }

    #[test]
    fn ranks_are_per_group_with_ties() {
        let weights = Weights::default();
        let mut results = vec![
            result("a", 90.0, 90.0, 90.0),
            result("b", 80.0, 80.0, 80.0),
            result("c", 90.0, 90.0, 90.0),
            result("d", 70.0, 70.0, 70.0),
        ];
        for r in &mut results {
            r.total = total(r, &weights);
        }
        let groups: HashMap<&str, &str> =
            [("a", "g1"), ("b", "g1"), ("c", "g1"), ("d", "g2")].into_iter().collect();
        rank_within_groups(&mut results, &groups);
        let ranks: Vec<usize> = results.iter().map(|r| r.group_rank).collect();
        assert_eq!(ranks, vec![1, 3, 1, 1]);
    }
}
