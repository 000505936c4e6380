//! Personal data in a file's text, found before parsing: identity numbers are refused, mobile
//! numbers outside `phone:` fields masked in place.

use crate::diagnostic::{Diagnostic, SourceText};

/// Scans a file's text. Identity numbers are errors; mobile numbers outside `phone:` fields
/// are warnings and are masked in place (same length, so positions stay valid).
pub fn scan_and_mask(source: &mut SourceText, yaml: bool) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut masks = Vec::new();
    let bytes = source.text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if end - start == 17 && matches!(bytes.get(end), Some(b'X' | b'x')) {
            end += 1;
            i = end;
        }
        let run = &source.text[start..end];
        let letter_after = bytes.get(end).is_some_and(|b| b.is_ascii_alphabetic());
        if run.len() == 18 && !letter_after && is_identity_number(run) {
            found.push(
                Diagnostic::error(&source.path, "内容中有居民身份证号码，不能公开")
                    .at(source.position(start))
                    .hint("删去身份证号码；公开内容只需姓名、岗位和考核结果"),
            );
        } else if run.len() == 11 && is_mobile(run) {
            if yaml && is_phone_value(&source.text[..start]) {
                continue;
            }
            found.push(
                Diagnostic::warning(
                    &source.path,
                    format!("正文中有手机号码 {}，发布时已隐去中间四位", crate::masking::mask_phone(run)),
                )
                .at(source.position(start))
                .hint("手机号码请写在 phone 字段里；正文中不必写"),
            );
            masks.push(start);
        }
    }
    if !masks.is_empty() {
        // Safe: digits and '*' are one byte each.
        let mut bytes = std::mem::take(&mut source.text).into_bytes();
        for start in masks {
            bytes[start + 3..start + 7].copy_from_slice(b"****");
        }
        source.text = String::from_utf8(bytes).expect("digits replaced by ASCII");
    }
    found
}

/// Whether the number starting here is the value of a `phone:` key (masked when shown).
fn is_phone_value(before: &str) -> bool {
    let before = before.trim_end_matches(['"', '\'']).trim_end();
    before.strip_suffix("phone:").is_some_and(|rest| {
        rest.is_empty() || rest.ends_with(|c: char| !c.is_ascii_alphanumeric() && c != '_')
    })
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// An 18-character resident identity number with a valid check digit (GB 11643).
pub fn is_identity_number(text: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = text.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceText {
        SourceText { path: "content/a/posts.yaml".into(), text: text.into() }
    }

    #[test]
    fn identity_numbers_need_a_valid_check_digit() {
        assert!(is_identity_number("11010519491231002X"));
        assert!(!is_identity_number("110105194912310021"));
    }

    #[test]
    fn identity_number_is_an_error_with_position() {
        let mut s = source("summary: 身份证 11010519491231002X 已核实\n");
        let found = scan_and_mask(&mut s, true);
        assert_eq!(found.len(), 1);
        assert!(found[0].is_error());
        assert_eq!((found[0].line, found[0].column), (1, 14));
    }

    #[test]
    fn mobile_in_free_text_is_masked_but_not_in_phone_fields() {
        let mut s = source("phone: \"13812345678\"\nsummary: 联系 13912345678 即可\n");
        let found = scan_and_mask(&mut s, true);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
        assert!(s.text.contains("139****5678"));
        assert!(s.text.contains("13812345678"));
    }
}
