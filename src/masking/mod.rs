//! How people are shown on the site: the one place that decides it. Pages, `data.json`, search
//! records and the dashboard's reasons all ask these functions, so they cannot disagree.
//!
//! Members are shown by name unless they did not consent (`consent: false`), partners (non-members
//! paired with a zone) always masked, mobile numbers always masked (docs/design.md §7).

pub mod free_text;

use crate::content::model::Member;
use std::borrow::Cow;

/// A member's name as every page, file and search record shows it: masked without consent.
pub fn member_name(member: &Member) -> Cow<'_, str> {
    if member.consent { Cow::Borrowed(&member.name) } else { Cow::Owned(mask_name(&member.name)) }
}

/// A 1+1 partner's name (a villager, not a member): always masked.
pub fn partner_name(name: &str) -> String {
    mask_name(name)
}

/// The number residents may call a member on: only with the member's agreement (`phone_public`),
/// then in full. Without it pages show the unit's public contact instead, never a masked number.
pub fn public_phone(member: &Member) -> Option<&str> {
    member.phone.as_deref().filter(|_| member.phone_public).map(str::trim).filter(|p| !p.is_empty())
}

/// `13812345678` → `138****5678`; other numbers (office landlines) are shown as written.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 11 && digits[0] == '1' {
        let d: String = digits.iter().collect();
        return format!("{}****{}", &d[..3], &d[7..]);
    }
    // Landlines of offices are public; keep them as written.
    phone.to_string()
}

/// `王志强` → `王*强`, `李明` → `李*`.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0316-8812345"), "0316-8812345");
        assert_eq!(mask_name("王志强"), "王*强");
        assert_eq!(mask_name("李明"), "李*");
        assert_eq!(mask_name("欧阳晓明"), "欧**明");
    }
}
