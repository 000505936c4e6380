//! Slips in how a YAML file is laid out: indentation that lines up with nothing above it,
//! full-width spaces or tabs in the indentation, a Chinese colon after a key.
//!
//! The parser notices such a slip late or not at all (a key indented by three spaces where its
//! neighbours have four may just end the entry, which then "lacks" that key), and says what it
//! noticed in English. Looked for only when a file fails to read, so a rare false alarm costs
//! nothing on good files; the scan follows plain block YAML as content files are written and
//! skips what it does not follow (block text after `|`, lists in brackets over several lines).

use crate::diagnostic::{Diagnostic, SourceText};

const FULL_WIDTH_SPACE: char = '\u{3000}';

/// An open block: the indentation of its keys or dashes, and the line that last used it.
#[derive(Debug, Clone)]
struct Level {
    indent: usize,
    line: usize,
    /// How the line is named in a message: “name” or “- ”.
    name: String,
    dash: bool,
}

/// The first slip in `yaml`, which starts at byte `base` of `source`.
pub(super) fn first_slip(source: &SourceText, yaml: &str, base: usize) -> Option<Diagnostic> {
    let mut levels: Vec<Level> = Vec::new();
    // The block the previous line opened (`key:` or `-` with nothing after it).
    let mut opened: Option<Level> = None;
    // The indentation of a key whose value is block text (`|` or `>`).
    let mut block_text: Option<usize> = None;
    let mut brackets = 0i64;
    let first_line = source.position(base).0;
    for (index, raw) in yaml.split('\n').enumerate() {
        let line = first_line + index;
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = text.trim_start_matches([' ', '\t', FULL_WIDTH_SPACE]);
        let leading = &text[..text.len() - trimmed.len()];
        if let Some(key_indent) = block_text {
            if trimmed.is_empty() || leading.chars().count() > key_indent {
                continue;
            }
            block_text = None;
        }
        if brackets > 0 {
            brackets += bracket_balance(text);
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed == "---" || trimmed == "..." {
            if !levels.is_empty() {
                return Some(
                    Diagnostic::error(&source.path, format!("文件中间有一行“{trimmed}”，它后面的内容读不到"))
                        .at((line, leading.chars().count() + 1))
                        .hint("一个文件只写一份内容：删去这一行"),
                );
            }
            continue;
        }
        let at = |column: usize| (line, column);
        let subject = line_subject(trimmed);
        let expected = opened.as_ref().map(|o| o.indent + 2).or(levels.last().map(|l| l.indent));
        let align = |expected: Option<usize>| match (opened.as_ref().or(levels.last()), expected) {
            (Some(above), Some(spaces)) if opened.is_none() => {
                format!("，与第 {} 行的{}对齐（{spaces} 个空格）", above.line, above.name)
            }
            (Some(above), Some(spaces)) => {
                format!("，比第 {} 行的{}多缩进两个空格（共 {spaces} 个）", above.line, above.name)
            }
            _ => String::new(),
        };
        if let Some(column) = leading.chars().position(|c| c == FULL_WIDTH_SPACE) {
            let count = leading.chars().filter(|c| *c == FULL_WIDTH_SPACE).count();
            return Some(
                Diagnostic::error(&source.path, format!("{subject}前面的缩进里有 {count} 个全角空格"))
                    .at(at(column + 1))
                    .hint(format!(
                        "全角空格（中文输入法打出的宽空格）看起来像空格，YAML 却不认：删掉这一行开头的空白，改用英文空格{}",
                        align(expected)
                    )),
            );
        }
        if leading.contains('\t') {
            // The parser's own message for a tab is located and in plain words already.
            return None;
        }
        if let Some(after) = trimmed.strip_prefix('-')
            && let Some((name, _, value)) = key_of(after)
        {
            let column = leading.len() + 2;
            return Some(
                Diagnostic::error(&source.path, "列表项的“-”后面缺少空格")
                    .at(at(column))
                    .hint(format!("在“-”后面加一个空格，写成“- {name}: {}”", shown_value(value))),
            );
        }
        let indent = leading.len();
        let dash = trimmed == "-" || trimmed.starts_with("- ");
        // After `- `, the entry's first key, if any, and its column.
        let (inner, inner_indent) = if dash {
            let inner = trimmed[1..].trim_start_matches(' ');
            (inner, indent + trimmed.len() - inner.len())
        } else {
            (trimmed, indent)
        };
        let key = key_of(inner);
        if let Some((name, colon, value)) = key
            && let Some(slip) = colon_slip(name, colon, value)
        {
            let column = text[..text.len() - inner.len()].chars().count() + name.chars().count() + 1;
            let column = column + inner[name.len()..].find([':', '：']).unwrap_or(0);
            let (message, hint) = slip;
            return Some(Diagnostic::error(&source.path, message).at(at(column)).hint(hint));
        }
        if let Some((name, ':', value)) = key
            && let Some(after) = quote_end(value)
        {
            let column = text.len() - value.trim_start().len();
            let column = text[..column].chars().count() + 1;
            let Some(after) = after.map(str::trim) else {
                return Some(
                    Diagnostic::error(
                        &source.path,
                        format!("字段“{name}”的值以引号开头，这一行里却没有配对的引号"),
                    )
                    .at(at(column))
                    .hint("在文字末尾补上同样的引号，或者去掉开头的引号"),
                );
            };
            if !after.is_empty() && !after.starts_with('#') {
                return Some(
                    Diagnostic::error(
                        &source.path,
                        format!("字段“{name}”的值在引号结束后还有文字“{}”", shown_value(after)),
                    )
                    .at(at(column))
                    .hint("整段文字都放在引号里，或者去掉引号"),
                );
            }
        }
        let structural = dash || key.is_some_and(|(_, colon, value)| colon == ':' && starts_value(value));
        let this = Level { indent, line, name: subject.clone(), dash };

        if !structural {
            // Text continued from the line above, or a value the scan does not follow.
            opened = None;
            continue;
        }
        let mut placed = false;
        if let Some(parent) = opened.take()
            && (indent > parent.indent || (dash && indent == parent.indent && !parent.dash))
        {
            levels.push(this.clone());
            placed = true;
        }
        if !placed {
            let mut passed: Option<Level> = None;
            let mut passed_all = Vec::new();
            while levels.last().is_some_and(|l| l.indent > indent) {
                passed = levels.pop();
                passed_all.extend(passed.clone());
            }
            // A list written flush under its key (`members:` then `- id: m01` at the same
            // indentation) shares its indentation with the keys around it.
            while levels.len() >= 2
                && levels.last().is_some_and(|l| l.indent == indent && l.dash != dash)
                && levels[levels.len() - 2].indent == indent
            {
                levels.pop();
            }
            match levels.last_mut() {
                Some(top) if top.indent == indent && top.dash == dash => {
                    top.line = line;
                    top.name = subject.clone();
                }
                Some(top) if top.indent < indent && passed.is_none() => {
                    let extra = indent - top.indent;
                    return Some(
                        Diagnostic::error(
                            &source.path,
                            format!("{subject}比第 {} 行的{}多缩进了 {extra} 个空格", top.line, top.name),
                        )
                        .at(at(indent + 1))
                        .hint(format!(
                            "同一层的内容要左端对齐：删去{subject}前面多出的 {extra} 个空格，与第 {} 行的{}对齐",
                            top.line, top.name
                        )),
                    );
                }
                None if passed.is_none() => levels.push(this.clone()),
                top => {
                    // The level it was meant for: of its own kind (a dash with dashes, a key
                    // with keys), nearest in indentation; else the one it just fell short of.
                    let meant = passed_all
                        .iter()
                        .chain(top.as_deref())
                        .filter(|l| l.dash == dash)
                        .min_by_key(|l| l.indent.abs_diff(indent))
                        .or(passed.as_ref())
                        .or(top.as_deref())
                        .cloned()
                        .unwrap_or(this.clone());
                    if meant.indent == indent {
                        // A list entry level with a key that has a value, or the reverse.
                        return Some(
                            Diagnostic::error(
                                &source.path,
                                format!("{subject}与第 {} 行的{}缩进相同，却不是同一种内容", meant.line, meant.name),
                            )
                            .at(at(indent + 1))
                            .hint(
                                "“- ”列表写在一个冒号后面没有值的字段（如 partners:）下面，比字段多缩进两个空格；同一项里的字段与这一项第一个字段左端对齐",
                            ),
                        );
                    }
                    let fix = if indent < meant.indent {
                        format!("在{subject}前面补上 {} 个空格", meant.indent - indent)
                    } else {
                        format!("删去{subject}前面多出的 {} 个空格", indent - meant.indent)
                    };
                    return Some(
                        Diagnostic::error(
                            &source.path,
                            format!(
                                "{subject}缩进了 {indent} 个空格，与第 {} 行的{}（{} 个空格）没有对齐",
                                meant.line, meant.name, meant.indent
                            ),
                        )
                        .at(at(indent + 1))
                        .hint(format!(
                            "同一层的内容要左端对齐：{fix}，与第 {} 行的{}对齐",
                            meant.line, meant.name
                        )),
                    );
                }
            }
        }

        // What this line opens for the lines below it.
        if dash {
            match key {
                Some((name, _, value)) => {
                    levels.push(Level {
                        indent: inner_indent, line, name: format!("“{name}”"), dash: false
                    });
                    follow_value(value, inner_indent, &levels, &mut opened, &mut block_text, &mut brackets);
                }
                None if inner.is_empty() => opened = levels.last().cloned(),
                None => brackets += bracket_balance(inner),
            }
        } else if let Some((_, _, value)) = key {
            follow_value(value, indent, &levels, &mut opened, &mut block_text, &mut brackets);
        }
    }
    None
}

/// Notes what a key's value opens: a block below (`key:`), block text (`|`, `>`), or a list or
/// mapping in brackets that may go on over several lines.
fn follow_value(
    value: &str,
    indent: usize,
    levels: &[Level],
    opened: &mut Option<Level>,
    block_text: &mut Option<usize>,
    brackets: &mut i64,
) {
    let value = value.trim();
    if value.is_empty() || value.starts_with('#') {
        *opened = levels.last().cloned();
    } else if value.starts_with(['|', '>']) {
        *block_text = Some(indent);
    } else if value.starts_with(['[', '{']) {
        *brackets += bracket_balance(value);
    }
}

/// How a line is named in a message: its key (“name”), or “- ” for a list entry.
fn line_subject(trimmed: &str) -> String {
    if trimmed == "-" || trimmed.starts_with("- ") {
        return "“- ”".into();
    }
    match key_of(trimmed) {
        Some((name, _, _)) => format!("“{name}”"),
        None => format!("“{}”", trimmed.chars().take(10).collect::<String>()),
    }
}

/// The Chinese keys of `content/holidays.yaml` (`crate::calendar`); no other key is Chinese, and
/// Chinese text before a colon elsewhere is a value.
const CHINESE_KEYS: &[&str] = &["调休上班", "休息"];

/// A key as content files write them (ASCII letters, digits, `_`, or one of [`CHINESE_KEYS`]),
/// the colon after it (`:` or `：`) and the text after the colon.
fn key_of(text: &str) -> Option<(&str, char, &str)> {
    let end = match CHINESE_KEYS.iter().find(|key| text.starts_with(**key)) {
        Some(key) => key.len(),
        None => text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len()),
    };
    if end == 0 {
        return None;
    }
    let (name, rest) = text.split_at(end);
    let rest = rest.trim_start_matches(' ');
    let colon = rest.chars().next().filter(|c| *c == ':' || *c == '：')?;
    Some((name, colon, &rest[colon.len_utf8()..]))
}

/// For a value that starts with a quote: `Some(None)` when the quote is not closed on its line
/// (YAML allows that; content files never need it), else `Some(Some(what follows it))`.
fn quote_end(value: &str) -> Option<Option<&str>> {
    let value = value.trim();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut rest = value.char_indices().skip(1).peekable();
    while let Some((at, c)) = rest.next() {
        match c {
            '\\' if quote == '"' => {
                rest.next();
            }
            '\'' if quote == '\'' && rest.peek().is_some_and(|(_, c)| *c == '\'') => {
                rest.next();
            }
            c if c == quote => return Some(Some(&value[at + 1..])),
            _ => {}
        }
    }
    Some(None)
}

/// A value may follow a colon after a space, a tab, or nothing.
fn starts_value(after_colon: &str) -> bool {
    after_colon.is_empty() || after_colon.starts_with([' ', '\t'])
}

/// The message and hint for a Chinese colon after a key, or a full-width space after its colon.
fn colon_slip(name: &str, colon: char, value: &str) -> Option<(String, String)> {
    if colon == '：' {
        let shown = shown_value(value.trim_start_matches([' ', FULL_WIDTH_SPACE]));
        return Some((
            format!("字段“{name}”后面用了中文冒号“：”"),
            format!("改成英文冒号加一个空格，写成“{name}: {shown}”"),
        ));
    }
    value.starts_with(FULL_WIDTH_SPACE).then(|| {
        let shown = shown_value(value.trim_start_matches([' ', FULL_WIDTH_SPACE]));
        (format!("字段“{name}”的冒号后面是全角空格"), format!("改成一个英文空格，写成“{name}: {shown}”"))
    })
}

/// Up to 20 characters of a value for a hint.
pub(super) fn shown_value(value: &str) -> String {
    let value = value.trim();
    let mut shown: String = value.chars().take(20).collect();
    if shown.len() < value.len() {
        shown.push('…');
    }
    shown
}

/// Opening minus closing brackets outside quotes and comments.
fn bracket_balance(text: &str) -> i64 {
    let mut balance = 0;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => break,
            (None, '[' | '{') => balance += 1,
            (None, ']' | '}') => balance -= 1,
            _ => {}
        }
    }
    balance
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(text: &str) -> Option<String> {
        let source = SourceText { path: "a.yaml".into(), text: text.into() };
        first_slip(&source, text, 0).map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
    }

    #[test]
    fn good_layouts_have_no_slip() {
        assert_eq!(
            slip("a: 1\nb:\n  - id: x\n    name: y\n  - id: z\nc: |\n  text\n     more\nd: [1,\n  2]\n"),
            None
        );
        assert_eq!(slip("members:\n- id: m01\n  name: x\n- id: m02\nnext: 1\n"), None);
        assert_eq!(slip("description: 很长的\n  一段文字\nname: x\n"), None);
        assert_eq!(slip("a:\n  # comment\n\n  b: 1\n"), None);
    }

    /// Every YAML file of the sample county and the test fixture is laid out right, so a slip
    /// reported in place of another error is never a false alarm on files written as documented.
    #[test]
    fn the_sample_files_have_no_slip() {
        fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, files);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("content"), &mut files);
        walk(&root.join("tests/fixtures/minimal"), &mut files);
        assert!(files.len() > 20, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(slip(&text), None, "{}", file.display());
        }
    }

    #[test]
    fn a_key_between_levels_is_out_of_line_with_its_neighbour() {
        assert_eq!(
            slip("m:\n  - id: 1\n    group: g1\n   joined: 2001\n"),
            Some("4:4: “joined”缩进了 3 个空格，与第 3 行的“group”（4 个空格）没有对齐".into())
        );
    }

    #[test]
    fn a_key_deeper_than_its_neighbour() {
        assert_eq!(
            slip("m:\n  - id: 1\n    group: g1\n     joined: 2001\n"),
            Some("4:6: “joined”比第 3 行的“group”多缩进了 1 个空格".into())
        );
    }

    #[test]
    fn a_dash_out_of_line() {
        assert_eq!(
            slip("zones:\n  - id: 1\n    n: 2\n - id: 2\n"),
            Some("4:2: “- ”缩进了 1 个空格，与第 2 行的“- ”（2 个空格）没有对齐".into())
        );
    }

    #[test]
    fn the_holiday_calendar_keys_are_keys() {
        assert_eq!(slip("2016:\n  休息:\n    - 2016-10-01 至 2016-10-07\n  调休上班: [2016-10-08]\n"), None);
        assert_eq!(
            slip("2016:\n  休息: [2016-10-01]\n   调休上班: [2016-10-08]\n"),
            Some("3:4: “调休上班”比第 2 行的“休息”多缩进了 1 个空格".into())
        );
        assert_eq!(slip("2016:\n  休息：[2016-10-01]\n"), Some("2:5: 字段“休息”后面用了中文冒号“：”".into()));
    }

    #[test]
    fn full_width_spaces_and_chinese_colons_are_named() {
        assert_eq!(
            slip("a:\n  b: 1\n\u{3000}\u{3000}c: 2\n"),
            Some("3:1: “c”前面的缩进里有 2 个全角空格".into())
        );
        assert_eq!(slip("a:\n  b: 1\n  c：2\n"), Some("3:4: 字段“c”后面用了中文冒号“：”".into()));
        assert_eq!(slip("- name：李明\n"), Some("1:7: 字段“name”后面用了中文冒号“：”".into()));
        assert_eq!(slip("a:\u{3000}x\n"), Some("1:2: 字段“a”的冒号后面是全角空格".into()));
    }
}
