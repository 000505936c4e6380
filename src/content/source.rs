//! Reading content files: size limits, encodings, slugs.

use crate::diagnostic::{Diagnostic, SourceText};
use std::path::Path;

/// Larger files are refused: no unit needs them and they would hold up the whole build.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a text file as UTF-8 (a BOM is accepted), naming the encoding when it is not.
pub fn read(root: &Path, relative: &Path) -> Result<SourceText, Diagnostic> {
    let full = root.join(relative);
    if std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Diagnostic::warning(relative, "符号链接已忽略").hint("请把文件本身放进 content/"));
    }
    let size = std::fs::metadata(&full)
        .map_err(|e| Diagnostic::error(relative, format!("无法读取文件：{e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            relative,
            format!(
                "文件过大（{:.1} MB），上限为 {} MB",
                size as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .hint("内容文件只需文字；图片和附件请放在别处，或把内容拆成多个文件"));
    }
    let bytes =
        std::fs::read(&full).map_err(|e| Diagnostic::error(relative, format!("无法读取文件：{e}")))?;
    let text = decode(relative, bytes)?;
    Ok(SourceText { path: relative.to_path_buf(), text })
}

/// UTF-8 with or without BOM; UTF-16 and GBK are reported with what to do.
pub fn decode(relative: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    const SAVE_AS_UTF8: &str = "请把文件另存为 UTF-8 编码：记事本选“另存为”→编码“UTF-8”；VS Code 点右下角的编码→“通过编码保存”→“UTF-8”";
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(relative, "文件是 UTF-16 编码，不是 UTF-8")
            .at((1, 1))
            .hint(SAVE_AS_UTF8));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(lone_cr_to_lf(text)),
        Err(error) => {
            let bytes = error.as_bytes();
            let at = error.utf8_error().valid_up_to();
            // Lines end at LF and at a CR alone, as in the text of a readable file.
            let ends_line =
                |i: usize| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            let line = (0..at).filter(|&i| ends_line(i)).count() + 1;
            let line_start = (0..at).rev().find(|&i| ends_line(i)).map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..at]).chars().count() + 1;
            let message = if looks_like_gbk(bytes) {
                "文件不是 UTF-8 编码（看起来是 GBK，Windows 中文版的默认编码）"
            } else {
                "文件不是 UTF-8 编码"
            };
            Err(Diagnostic::error(relative, message).at((line, column)).hint(SAVE_AS_UTF8))
        }
    }
}

/// Line ends of old Mac editors (a CR alone) become LF: the YAML parser counts them as line ends,
/// so every position we work out must too. Same length, so nothing else moves; CRLF is kept.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only ASCII bytes changed, to ASCII.
    String::from_utf8(bytes).expect("still UTF-8")
}

/// Whether bytes that are not UTF-8 read as GBK: every byte above 0x7F starts a GBK pair.
/// Also used by `sheet::read` to decode CSV files saved by Excel or WPS on Chinese Windows.
pub fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if (0x81..=0xFE).contains(&b)
            && bytes.get(i + 1).is_some_and(|t| (0x40..=0xFE).contains(t) && *t != 0x7F)
        {
            pairs += 1;
            i += 2;
        } else {
            return false;
        }
    }
    pairs > 0
}

/// The longest slug accepted.
pub const MAX_SLUG: usize = 64;

/// Whether a folder or file name is a URL slug: lower-case ASCII letters, digits, `-`.
pub fn is_slug(name: &str) -> bool {
    // Slugs become folder names; file systems allow 255 bytes, addresses should stay short.
    !name.is_empty()
        && name.len() <= MAX_SLUG
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug suggestion for a bad name: lower-cased, other characters turned into `-`.
pub fn suggest_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(MAX_SLUG).collect();
    let slug = slug.trim_end_matches('-').to_string();
    // Chinese names have no letters to keep: show the kind of name wanted (pinyin).
    if slug.is_empty() { "dongwangzhuang".into() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_accepted() {
        let text = decode(Path::new("a.yaml"), b"\xEF\xBB\xBFname: x".to_vec()).unwrap();
        assert_eq!(text, "name: x");
    }

    #[test]
    fn lone_cr_line_ends_become_lf() {
        let text = decode(Path::new("a.yaml"), b"a: 1\rb: 2\r\nc: 3\r\r".to_vec()).unwrap();
        assert_eq!(text, "a: 1\nb: 2\r\nc: 3\n\n");
        // Found by the property tests: a bad byte after a CR is on the next line.
        let error = decode(Path::new("a.yaml"), b"\r\0\x80".to_vec()).unwrap_err();
        assert_eq!((error.line, error.column), (2, 2));
        let error = decode(Path::new("a.yaml"), b"a\r\n\x80".to_vec()).unwrap_err();
        assert_eq!((error.line, error.column), (2, 1));
    }

    #[test]
    fn gbk_is_named() {
        // "name: 东王庄村" in GBK.
        let bytes = b"id: 1\nname: \xb6\xab\xcd\xf5\xd7\xaf\xb4\xe5\n".to_vec();
        let error = decode(Path::new("unit.yaml"), bytes).unwrap_err();
        assert_eq!(error.message, "文件不是 UTF-8 编码（看起来是 GBK，Windows 中文版的默认编码）");
        assert_eq!((error.line, error.column), (2, 7));
    }

    #[test]
    fn utf16_is_named() {
        let error = decode(Path::new("unit.yaml"), vec![0xFF, 0xFE, b'n', 0]).unwrap_err();
        assert_eq!(error.message, "文件是 UTF-16 编码，不是 UTF-8");
    }

    #[test]
    fn slugs() {
        assert!(is_slug("dongwangzhuang-2"));
        assert!(!is_slug("DongWang"));
        assert!(!is_slug("东王庄"));
        assert!(!is_slug("a_b"));
        assert_eq!(suggest_slug("Dong Wang_Zhuang"), "dong-wang-zhuang");
    }
}
