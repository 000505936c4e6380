//! The skeleton's example text left in a unit's files.
//!
//! `gongkai new unit` writes members 党员甲 and 党员乙 and a zone whose `area` reads 请填写责任区范围
//! (`scaffold::new_unit`). A unit still holding them has not disclosed anything real: the
//! disclosure of the file fails with the reason (`rules::compliance`), and `check` and `build`
//! warn at each place.

use crate::content::Sources;
use crate::content::model::Placeholder;
use crate::diagnostic::Diagnostic;

/// The heavenly stems the skeleton names its example members with: 党员甲, 党员乙, …
const STEMS: &str = "甲乙丙丁戊己庚辛壬癸";
/// What the skeleton's example text starts with.
const FILL_IN: &str = "请填写";

/// The placeholders in a unit's YAML files, and a warning at each.
pub fn find(sources: &Sources) -> (Vec<Placeholder>, Vec<Diagnostic>) {
    let mut placeholders = Vec::new();
    let mut warnings = Vec::new();
    let files = [
        ("unit.yaml", None, &sources.unit),
        ("zones.yaml", None, &sources.zones),
        ("posts.yaml", None, &sources.posts),
    ];
    let files =
        files.into_iter().filter_map(|(name, year, source)| Some((name.to_string(), year, source.as_ref()?)));
    let assessments = sources
        .assessments
        .iter()
        .map(|(year, source)| (format!("assessments/{year}.yaml"), Some(*year), source));
    for (file, year, source) in files.chain(assessments) {
        for (at, text) in in_text(&source.text) {
            let (line, column) = source.position(at);
            warnings.push(
                Diagnostic::warning(&source.path, format!("这里还是新建单位时的示例文字“{text}”，请改为本单位的实际内容"))
                    .at((line, column))
                    .hint("党员甲、党员乙和“请填写……”是 gongkai new unit 写的示例；全部改成实际内容后，这项公开才算达标"),
            );
            placeholders.push(Placeholder { file: file.clone(), year, line, text });
        }
    }
    (placeholders, warnings)
}

/// Every placeholder in a YAML file's values (not in comments), as (byte offset, text).
fn in_text(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("党员") {
        let rest = &text[at + "党员".len()..];
        let mut chars = rest.chars();
        let Some(stem) = chars.next().filter(|c| STEMS.contains(*c)) else { continue };
        // 党员甲 alone, not the start of a longer word.
        if chars.next().is_some_and(is_han) || super::sensitive::field_of(text, at).is_none() {
            continue;
        }
        found.push((at, format!("党员{stem}")));
    }
    for (at, _) in text.match_indices(FILL_IN) {
        if super::sensitive::field_of(text, at).is_none() {
            continue;
        }
        let end = text[at..]
            .find(['\n', '\r', ',', '}', ']', '"', '\'', '#', '，', '。'])
            .map_or(text.len(), |e| at + e);
        found.push((at, text[at..end].trim_end().to_string()));
    }
    found.sort();
    found
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_skeletons_examples_in_values_only() {
        let text = "# 党员甲 请填写\nmembers:\n  - { id: m01, name: 党员甲, group: g1 }\n  - { id: m02, name: 党员乙 }\n  - { id: m03, name: 党员甲乙 }\nzones:\n  - area: 请填写责任区范围\n    description: \"请填写说明\" # 请填写\n";
        let found: Vec<String> = in_text(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(found, ["党员甲", "党员乙", "请填写责任区范围", "请填写说明"]);
    }
}
