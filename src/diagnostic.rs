//! Located problems in content or templates, rendered the same way by `check`, `build` and `serve`.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem: where it is, what is wrong, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: display_path(file),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    pub fn at(mut self, (line, column): (usize, usize)) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` as editors and terminals link it.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (line, 0) => format!("{}:{line}", self.file),
            (line, column) => format!("{}:{line}:{column}", self.file),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{}: {label}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示: {hint}")?;
        }
        Ok(())
    }
}

/// A path as shown to users: relative, `/`-separated.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// All problems of a run, in a stable order.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Sorts by file, then position, so output does not depend on thread timing.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.0.dedup();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A file's text with the means to locate things in it for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Relative to the site root.
    pub path: PathBuf,
    pub text: String,
}

impl SourceText {
    /// Line and column (1-based, in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// Position of the first whole-word occurrence of `token` at or after line `from_line`.
    pub fn find_token(&self, token: &str, from_line: usize) -> Option<(usize, usize)> {
        let start = self.line_offset(from_line.max(1))?;
        self.find_token_at(token, start).map(|at| self.position(at))
    }

    /// Byte offset of the first whole-word occurrence of `token` at or after byte `from`.
    pub fn find_token_at(&self, token: &str, from: usize) -> Option<usize> {
        // An empty token (`id: ""`) is found everywhere and would never move the search on.
        if token.is_empty() {
            return None;
        }
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        let mut search = floor_char_boundary(&self.text, from.min(self.text.len()));
        while let Some(found) = self.text[search..].find(token) {
            let at = search + found;
            let end = at + token.len();
            let before_ok = self.text[..at].chars().next_back().is_none_or(|c| !is_word(c));
            let after_ok = self.text[end..].chars().next().is_none_or(|c| !is_word(c));
            if before_ok && after_ok {
                return Some(at);
            }
            search = end;
        }
        None
    }

    /// Position of a `key: value` item (e.g. `id: z1`), the usual anchor of a list entry.
    pub fn find_key_value(&self, key: &str, value: &str, from_line: usize) -> Option<(usize, usize)> {
        let start = self.line_offset(from_line.max(1))?;
        self.find_key_value_at(key, value, start).map(|at| self.position(at))
    }

    /// Byte offset of the key of a `key: value` item at or after byte `from`.
    pub fn find_key_value_at(&self, key: &str, value: &str, from: usize) -> Option<usize> {
        let mut search = from;
        if value.is_empty() {
            // `key: ""`, `key: ''` or `key:` with nothing after it.
            loop {
                let at = self.find_token_at(key, search)?;
                let rest = self.text[at + key.len()..].trim_start_matches([' ', '\t']);
                if let Some(rest) = rest.strip_prefix(':') {
                    let rest = rest.trim_start_matches([' ', '\t']);
                    let rest = rest.strip_prefix("\"\"").or(rest.strip_prefix("''")).unwrap_or(rest);
                    if rest.starts_with(['\n', '\r', ',', '}', '#']) || rest.trim().is_empty() {
                        return Some(at);
                    }
                }
                search = at + key.len();
            }
        }
        loop {
            let at = self.find_token_at(value, search)?;
            let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
            let prefix = self.text[line_start..at].trim_end().trim_end_matches(['"', '\'']).trim_end();
            if let Some(rest) = prefix.strip_suffix(':') {
                let rest = rest.trim_end();
                if rest.ends_with(key) {
                    return Some(line_start + rest.len() - key.len());
                }
            }
            search = at + value.len();
        }
    }

    /// Text of a 1-based line, without its line end.
    pub fn line_text(&self, line: usize) -> &str {
        self.text.lines().nth(line.saturating_sub(1)).unwrap_or("")
    }

    fn line_offset(&self, line: usize) -> Option<usize> {
        if line == 1 {
            return Some(0);
        }
        self.text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceText {
        SourceText { path: "zones.yaml".into(), text: text.into() }
    }

    #[test]
    fn an_empty_token_is_not_found() {
        let text = source("id: \"\"\nname: x\n");
        assert_eq!(text.find_token_at("", 0), None);
        assert_eq!(text.find_key_value_at("id", "", 0), Some(0));
        assert_eq!(text.find_key_value_at("name", "", 0), None);
        assert_eq!(source("- { id: '', name: x }").find_key_value_at("id", "", 0), Some(4));
    }

    #[test]
    fn finds_whole_tokens_only() {
        let s = source("members: [m011, m01]\n  - m01\n");
        assert_eq!(s.find_token("m01", 1), Some((1, 17)));
        assert_eq!(s.find_token("m01", 2), Some((2, 5)));
    }

    #[test]
    fn finds_key_value_pairs() {
        let s = source("zones:\n  - id: z2\n    group: z1\n  - id: z1\n");
        assert_eq!(s.find_key_value("id", "z1", 1), Some((4, 5)));
    }

    #[test]
    fn columns_count_characters() {
        let s = source("名称: 东街\n");
        assert_eq!(s.position("名称: ".len()), (1, 5));
    }

    #[test]
    fn renders_with_hint() {
        let d = Diagnostic::error(Path::new("content/a/unit.yaml"), "缺少字段").at((3, 1)).hint("补上 name");
        assert_eq!(d.to_string(), "content/a/unit.yaml:3:1: 错误: 缺少字段\n  提示: 补上 name");
    }
}
