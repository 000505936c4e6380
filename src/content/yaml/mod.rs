//! All YAML reading lives here, so swapping the parser touches one file.
//!
//! `serde_yaml` is deprecated upstream but over twice as fast as the maintained alternative on
//! our files (see docs/research.md); its messages are turned into plain Chinese with a hint.

mod layout;
mod words;

use crate::diagnostic::{Diagnostic, SourceText};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use std::fmt;

/// Parses a YAML document into `T`; an empty document reads as an empty mapping.
pub fn parse<T: DeserializeOwned>(source: &SourceText) -> Result<T, Diagnostic> {
    parse_at(source, &source.text, 0)
}

/// Parses YAML that starts `line_offset` lines into `source` (front matter).
pub fn parse_at<T: DeserializeOwned>(
    source: &SourceText,
    yaml: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    let empty = yaml.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    });
    let yaml = if empty { "{}" } else { yaml };
    // Where `yaml` starts in the file (front matter starts after `---`).
    let base = (yaml.as_ptr() as usize)
        .checked_sub(source.text.as_ptr() as usize)
        .filter(|base| *base <= source.text.len())
        .unwrap_or(0);
    crate::guard::yaml_depth(source, yaml, base)?;
    serde_yaml::from_str(yaml).map_err(|error| {
        let mut position = error.location().map_or((0, 0), |l| (l.line() + line_offset, l.column()));
        let raw = error.to_string();
        let message = strip_path(raw.split(" at line ").next().unwrap_or(&raw).trim());
        // A slip in the layout (indentation, full-width spaces, a Chinese colon after a key) is
        // named where it is: the parser stumbles at or after it, and a value's complaint (a
        // "missing" field indented out of its entry, a date that ran into the next key) follows
        // from it.
        if let Some(slip) = layout::first_slip(source, yaml, base)
            && (!is_syntax(&message) || position.0 == 0 || slip.line <= position.0)
        {
            return slip;
        }
        // A parser message (not one of our own, which are Chinese) may come from a slip in the
        // colon after a key, which the parser notices only on a later line or as a strange value.
        if message.starts_with(|c: char| c.is_ascii())
            && let Some(diagnostic) = colon_slip(source, position.0, line_offset)
        {
            return diagnostic;
        }
        if let Some(diagnostic) = chinese_comma_list(source, position, &message) {
            return diagnostic;
        }
        // Our own value checks (dates) have no location from serde_yaml: find the value they quote.
        if let Some(value) =
            message.split_once('“').and_then(|(_, rest)| rest.split_once('”')).map(|(v, _)| v)
            && !value.is_empty()
            && let Some(at) = yaml.find(value)
        {
            position = source.position(base + at);
        }
        // serde_yaml places a repeated field at the start of its mapping; point at the repeat.
        if let Some(field) = message.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next())
            && let Some((first, _)) = source.find_token(field, position.0.max(1))
            && let Some(second) = source.find_token(field, first + 1)
        {
            position = second;
        }
        let (line, column) = position;
        let (text, hint) = words::plain_words(&message);
        let diagnostic = Diagnostic::error(&source.path, text).at((line, column));
        match hint {
            Some(hint) => diagnostic.hint(hint),
            None => diagnostic,
        }
    })
}

/// Whether a message is the parser's about syntax rather than serde's about the values.
fn is_syntax(message: &str) -> bool {
    const VALUES: [&str; 7] = [
        "unknown field",
        "missing field",
        "unknown variant",
        "invalid type",
        "invalid value",
        "invalid length",
        "duplicate field",
    ];
    message.is_ascii() && !VALUES.iter().any(|start| message.starts_with(start))
}

/// A list written with Chinese commas (`members: m01，m04`) reads as one piece of text where a
/// list belongs.
fn chinese_comma_list(
    source: &SourceText,
    (line, column): (usize, usize),
    message: &str,
) -> Option<Diagnostic> {
    let rest = message.strip_prefix("invalid type: string \"")?;
    let (value, expected) = rest.rsplit_once("\", expected ")?;
    if !expected.contains("sequence") || !value.contains(['，', '、']) {
        return None;
    }
    let text = source.line_text(line);
    let key = text.split([':', '：']).next().unwrap_or("").trim().trim_start_matches("- ").trim();
    let items: Vec<&str> = value.split(['，', '、', ',']).map(str::trim).filter(|s| !s.is_empty()).collect();
    Some(
        Diagnostic::error(&source.path, format!("“{key}”的各项之间用了中文逗号"))
            .at((line, column))
            .hint(format!("改成英文逗号，并用方括号括起来：{key}: [{}]", items.join(", "))),
    )
}

/// A key followed by a Chinese colon (`role：支部书记`, typed with a Chinese input method) or by a
/// colon without the space after it (`role:支部书记`), on the line of a parser error or the three
/// lines before it, nearest first.
fn colon_slip(source: &SourceText, error_line: usize, line_offset: usize) -> Option<Diagnostic> {
    let first = (line_offset + 1).max(error_line.saturating_sub(3));
    (first..=error_line).rev().find_map(|line| {
        let text = source.line_text(line);
        text.char_indices().filter(|(_, c)| *c == ':' || *c == '：').find_map(|(colon, c)| {
            let (key, value, in_flow) = key_before(text, colon, c)?;
            let chinese = c == '：';
            // `key: value` is right; `a::b` and `http://` are not keys.
            if !chinese
                && (value.is_empty()
                    || value.starts_with(|c: char| c.is_whitespace() || c == ':' || c == '/'))
            {
                return None;
            }
            let mut value = value.trim();
            if in_flow {
                value = value.split([',', '}']).next().unwrap_or("").trim();
            }
            let mut shown: String = value.chars().take(20).collect();
            if shown.len() < value.len() {
                shown.push('…');
            }
            let (message, fix) = if chinese {
                (format!("字段“{key}”后面用了中文冒号“：”"), "改成英文冒号加一个空格")
            } else {
                (format!("字段“{key}”的冒号后面缺少空格"), "在冒号后面加一个空格")
            };
            let column = text[..colon].chars().count() + 1;
            Some(
                Diagnostic::error(&source.path, message)
                    .at((line, column))
                    .hint(format!("{fix}，写成“{key}: {shown}”")),
            )
        })
    })
}

/// The key-like word before the colon at byte `colon` of a line, if it stands where a key does
/// (after the indentation and `- `, or after `{` or `,` in a flow mapping), the text after the
/// colon, and whether it is inside a flow mapping.
fn key_before(text: &str, colon: usize, colon_char: char) -> Option<(&str, &str, bool)> {
    let before = text[..colon].trim_end();
    let start = before
        .rfind(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let (prefix, key) = before.split_at(start);
    let prefix = prefix.trim_end();
    let at_key = prefix.chars().all(|c| c == '-' || c.is_whitespace());
    let in_flow = prefix.ends_with('{') || prefix.ends_with(',');
    let key_like = !key.is_empty()
        && key.chars().count() <= 30
        && !key.contains([':', '#', '"', '\'', '[', ']', '}', '：']);
    (key_like && (at_key || in_flow)).then(|| (key, &text[colon + colon_char.len_utf8()..], in_flow))
}

/// serde_yaml puts the path of the value first (`zones[0].members: invalid type …`); the
/// line and column already say where.
fn strip_path(message: &str) -> String {
    match message.split_once(": ") {
        Some((path, rest))
            if !path.is_empty()
                && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"_[].-".contains(&b)) =>
        {
            rest.to_string()
        }
        _ => message.to_string(),
    }
}

/// The known name closest to a typo, if it is close enough to be a typo.
pub fn closest<'a>(typo: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(typo, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// A scalar read as text whether it was written as a string or a number (`phone: 13812345678`).
pub struct StringOrNumber(pub String);

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Scalar;
        impl Visitor<'_> for Scalar {
            type Value = StringOrNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOrNumber(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(StringOrNumber(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(StringOrNumber(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(StringOrNumber(v.to_string()))
            }
        }
        deserializer.deserialize_any(Scalar)
    }
}

pub fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    StringOrNumber::deserialize(deserializer).map(|s| s.0)
}

pub fn opt_string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Option::<StringOrNumber>::deserialize(deserializer).map(|s| s.map(|s| s.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Zone {
        id: String,
        members: Vec<String>,
    }

    fn source(text: &str) -> SourceText {
        SourceText { path: "content/a/zones.yaml".into(), text: text.into() }
    }

    #[test]
    fn unknown_field_suggests_the_near_name() {
        let error = parse::<Vec<Zone>>(&source("- id: z1\n  memebers: [m1]\n")).unwrap_err();
        assert_eq!(error.message, "未知字段“memebers”");
        assert_eq!((error.line, error.column), (2, 3));
        assert_eq!(error.hint.as_deref(), Some("是不是“members”？可用的字段：id、members"));
    }

    #[test]
    fn missing_field_is_named() {
        let error = parse::<Zone>(&source("id: z1\n")).unwrap_err();
        assert_eq!(error.message, "缺少必填字段“members”");
    }

    #[test]
    fn wrong_type_in_plain_words() {
        let error = parse::<Zone>(&source("id: z1\nmembers: m1\n")).unwrap_err();
        assert_eq!(error.message, "这里应当是列表，却写成了文字 \"m1\"");
        assert_eq!(error.line, 2);
    }

    #[test]
    fn bad_dates_point_at_the_date() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Record {
            date: crate::date::Date,
        }
        let error = parse::<Vec<Record>>(&source("- date: 2016-01-02\n- date: 2016-12-32\n")).unwrap_err();
        assert_eq!(error.message, "日期“2016-12-32”无效，应写成 YYYY-MM-DD，例如 2016-12-20");
        assert_eq!((error.line, error.column), (2, 9));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("b{}", i - 1) };
            text.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse::<serde_yaml::Value>(&source(&text)).is_err());
    }
}
