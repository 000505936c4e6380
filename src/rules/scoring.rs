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
    if score.fract() == 0.0 { format!("{score:.0}") } else { OneDecimal(score).to_string() }
}

/// Displays a number as `format!("{:.1}")` does, but through integer formatting: the standard
/// library's exact decimal conversion (Dragon4) showed up in profiles of pages full of totals and
/// chart coordinates. Ties and anything unusual go to the standard library, so the text is the same.
#[derive(Debug, Clone, Copy)]
pub struct OneDecimal(pub f64);

impl std::fmt::Display for OneDecimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = self.0 * 10.0;
        let fraction = tenths - tenths.floor();
        if !(0.0..1e15).contains(&tenths) || (fraction - 0.5).abs() < 1e-6 {
            return write!(f, "{:.1}", self.0);
        }
        let tenths = tenths.round() as u64;
        write!(f, "{}.{}", tenths / 10, tenths % 10)
    }
}

/// `0.333…` → `三分之一`, other shares as a percentage.
pub fn format_share(share: f64) -> String {
    if (share - 1.0 / 3.0).abs() < 0.001 { "三分之一".into() } else { format!("{:.0}%", share * 100.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_decimal_reads_like_the_standard_formatting() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values: Vec<f64> = (0..200_000).map(|i| f64::from(i) / 1000.0).collect();
        values.extend([0.05, 0.15, 0.25, 90.25, 99.95, 28.45, -0.04, -3.0, f64::NAN, f64::INFINITY, 1e300]);
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x % 1_000_000) as f64 / 7.0);
            values.push(0.1 * (x % 997) as f64 + 0.7 * (x % 89) as f64);
        }
        for v in values {
            assert_eq!(OneDecimal(v).to_string(), format!("{v:.1}"), "{v:?}");
        }
    }

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
