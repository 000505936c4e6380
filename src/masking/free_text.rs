//! Names that must not appear in full, found in free text and masked in place.
//!
//! A unit's members with `consent: false` and its 1+1 partners are shown masked in every list
//! (`member_name`, `partner_name`); a webmaster may still type the full name into a zone's
//! description, a record or a notice. The per-unit stage masks every such occurrence in the model
//! once, right after the unit is checked ([`mask_unit`]), so pages, feeds, search records and
//! `data.json`, all made from the model, agree; `check` warns at each place in the files
//! ([`locate`]). Notices of a section or of the county are masked with the names of the units
//! below them (`pipeline::Prepared::mask_notices`).

use crate::content::model::{Channel, Notice, Unit};
use crate::diagnostic::{Diagnostic, SourceText};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Nanoseconds spent masking and locating names, summed over threads (`GONGKAI_TIMINGS`).
static SPENT: AtomicU64 = AtomicU64::new(0);

/// Adds the time since `started` to the time spent on names.
pub fn spent(started: Instant) {
    SPENT.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Seconds spent masking and locating names so far in this process, summed over threads.
pub fn seconds_spent() -> f64 {
    SPENT.load(Ordering::Relaxed) as f64 / 1e9
}

/// Whose name it is: the wording of the warning depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Whose {
    /// A member with `consent: false`.
    Member,
    /// A 1+1 partner (a villager, not a member).
    Partner,
}

/// A full name to mask, with what it is masked to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PrivateName {
    pub name: String,
    pub masked: String,
    pub whose: Whose,
}

impl PrivateName {
    /// Whether a (masked) text holds this name, in full or masked: the text must be masked again
    /// when the name is added or removed.
    pub fn touches(&self, text: &str) -> bool {
        text.contains(self.name.as_str()) || text.contains(self.masked.as_str())
    }
}

/// The names to mask in one unit's free text (or in notices above several units), longest first
/// so that 欧阳晓明 is masked before a shorter name inside it, and the unit's longer names that
/// hold one of them, so that a private 李明 is not masked inside a consenting member's 李明华.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrivateNames {
    private: Vec<PrivateName>,
    people: Vec<String>,
}

/// A full name shorter than this is not searched: one character (or an empty name) would match
/// everywhere.
const MIN_CHARS: usize = 2;

impl PrivateNames {
    /// The names of `unit`'s members without consent and of its partners.
    pub fn of_unit(unit: &Unit) -> PrivateNames {
        let mut private = Vec::new();
        let mut people = Vec::new();
        for member in &unit.info.members {
            let name = member.name.trim();
            people.push(name.to_string());
            if !member.consent {
                private.push(PrivateName {
                    name: name.to_string(),
                    masked: super::mask_name(name),
                    whose: Whose::Member,
                });
            }
        }
        for partner in unit.zones.iter().flat_map(|z| &z.partners) {
            let name = partner.name.trim();
            people.push(name.to_string());
            private.push(PrivateName {
                name: name.to_string(),
                masked: super::partner_name(name),
                whose: Whose::Partner,
            });
        }
        PrivateNames::new(private, people)
    }

    fn new(mut private: Vec<PrivateName>, mut people: Vec<String>) -> PrivateNames {
        private.retain(|p| p.name.chars().count() >= MIN_CHARS);
        private.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then_with(|| a.cmp(b)));
        private.dedup_by(|a, b| a.name == b.name);
        // Only longer names holding a private one matter (across units a name is not known, and
        // the text is masked: the safe side).
        people.retain(|p| private.iter().any(|n| p.len() > n.name.len() && p.contains(n.name.as_str())));
        people.sort();
        people.dedup();
        PrivateNames { private, people }
    }

    /// The names of several units together (for notices above them).
    pub fn merge<'a>(all: impl IntoIterator<Item = &'a PrivateNames>) -> PrivateNames {
        let mut private = Vec::new();
        let mut people = Vec::new();
        for names in all {
            private.extend(names.private.iter().cloned());
            people.extend(names.people.iter().cloned());
        }
        PrivateNames::new(private, people)
    }

    /// The private names in one of the two but not in the other.
    pub fn changed<'a>(&'a self, other: &'a PrivateNames) -> Vec<&'a PrivateName> {
        let only = |a: &'a PrivateNames, b: &PrivateNames| {
            a.private.iter().filter(|p| !b.private.iter().any(|q| q.name == p.name)).collect::<Vec<_>>()
        };
        let mut changed = only(self, other);
        changed.extend(only(other, self));
        changed
    }

    pub fn is_empty(&self) -> bool {
        self.private.is_empty()
    }

    /// Every occurrence in `text` of a private name, as (byte offset, name), in text order. An
    /// occurrence inside a longer name of someone else (李明 in 李明华) is not one.
    pub fn find<'a>(&'a self, text: &str) -> Vec<(usize, &'a PrivateName)> {
        let mut found: Vec<(usize, &PrivateName)> = Vec::new();
        for private in &self.private {
            for (at, _) in text.match_indices(private.name.as_str()) {
                let end = at + private.name.len();
                if found.iter().any(|(a, p)| at < a + p.name.len() && *a < end) {
                    continue; // inside a longer private name found already
                }
                if self.inside_other_name(text, at, &private.name) {
                    continue;
                }
                found.push((at, private));
            }
        }
        found.sort_by_key(|(at, _)| *at);
        found
    }

    fn inside_other_name(&self, text: &str, at: usize, name: &str) -> bool {
        self.people.iter().filter(|p| p.len() > name.len()).any(|person| {
            person.match_indices(name).any(|(k, _)| {
                at >= k && text.get(at - k..).is_some_and(|rest| rest.starts_with(person.as_str()))
            })
        })
    }

    /// Masks every occurrence in place; whether anything changed.
    pub fn mask(&self, text: &mut String) -> bool {
        if self.private.is_empty() {
            return false;
        }
        let found = self.find(text);
        if found.is_empty() {
            return false;
        }
        let mut masked = String::with_capacity(text.len());
        let mut last = 0;
        for (at, private) in found {
            masked.push_str(&text[last..at]);
            masked.push_str(&private.masked);
            last = at + private.name.len();
        }
        masked.push_str(&text[last..]);
        *text = masked;
        true
    }

    /// Masks the title and body of a notice (before its HTML is made).
    pub fn mask_notice(&self, notice: &mut Notice) -> bool {
        let title = self.mask(&mut notice.title);
        let body = self.mask(&mut notice.body);
        title || body
    }
}

/// How many kinds of free text [`free_text_mut`] visits in a unit: unit.yaml 8 (organisation,
/// the addresses and mailboxes of contact and supervision, group names, members' roles and exempt
/// reasons), zones.yaml 4 (name, area, description, partners' roles), posts.yaml 4 (title,
/// duties, commitments, records), assessments 5 (objections, notes, and the objection log's
/// matter, reply and outcome), index.md 1, notices 2 (title, body). Notices of sections and of the
/// county add their title and body.
pub const FREE_TEXT_FIELDS: usize = 24;

/// Calls `f` on every free-text field of the unit, the ones pages, feeds, search records and
/// `data.json` show. Names, ids, dates and phones are not free text.
pub fn free_text_mut(unit: &mut Unit, f: &mut dyn FnMut(&mut String)) {
    let info = &mut unit.info;
    if let Some(text) = &mut info.organization {
        f(text);
    }
    for channel in [&mut info.contact, &mut info.supervision].into_iter().flatten() {
        channel_mut(channel, f);
    }
    for group in &mut info.groups {
        f(&mut group.name);
    }
    for member in &mut info.members {
        for text in [&mut member.role, &mut member.exempt].into_iter().flatten() {
            f(text);
        }
    }
    for zone in &mut unit.zones {
        f(&mut zone.name);
        for text in [&mut zone.area, &mut zone.description].into_iter().flatten() {
            f(text);
        }
        for partner in &mut zone.partners {
            if let Some(role) = &mut partner.role {
                f(role);
            }
        }
    }
    for post in &mut unit.posts {
        f(&mut post.title);
        post.duties.iter_mut().chain(&mut post.commitments).for_each(&mut *f);
        for record in &mut post.records {
            f(&mut record.summary);
        }
    }
    for assessment in &mut unit.assessments {
        if let Some(text) = &mut assessment.data.objections {
            f(text);
        }
        for objection in &mut assessment.data.objection_log {
            f(&mut objection.matter);
            for text in [&mut objection.reply, &mut objection.outcome].into_iter().flatten() {
                f(text);
            }
        }
        for result in &mut assessment.data.results {
            if let Some(note) = &mut result.note {
                f(note);
            }
        }
    }
    if let Some(intro) = &mut unit.intro {
        f(intro);
    }
    for notice in &mut unit.notices {
        f(&mut notice.title);
        f(&mut notice.body);
    }
}

fn channel_mut(channel: &mut Channel, f: &mut dyn FnMut(&mut String)) {
    for text in [&mut channel.address, &mut channel.mailbox].into_iter().flatten() {
        f(text);
    }
}

/// Masks the private names of the unit in all its free text; the names, for the notices above it.
pub fn mask_unit(unit: &mut Unit) -> PrivateNames {
    let names = PrivateNames::of_unit(unit);
    if !names.is_empty() {
        free_text_mut(unit, &mut |text| {
            names.mask(text);
        });
    }
    names
}

/// A warning at each place in a file's text where a private name is written in full, except where
/// the name is declared (`name:` of the member or the partner itself).
pub fn locate(names: &PrivateNames, source: &SourceText) -> Vec<Diagnostic> {
    if names.is_empty() {
        return Vec::new();
    }
    let yaml = source.path.extension().is_some_and(|e| e == "yaml");
    names
        .find(&source.text)
        .into_iter()
        .filter(|(at, private)| !(yaml && declares(&source.text, *at, &private.name)))
        .map(|(at, private)| {
            let (message, hint) = match private.whose {
                Whose::Member => (
                    format!("这里写了未同意公开姓名的党员的全名，发布时已改为“{}”", private.masked),
                    "党员姓名只在 unit.yaml 的 members 里写一次；这里可删去姓名，或写“责任党员”“该党员”",
                ),
                Whose::Partner => (
                    format!("这里写了结对群众的全名，发布时已改为“{}”", private.masked),
                    "群众姓名只在 zones.yaml 的 partners 里写一次；这里可删去姓名，或写“结对群众”",
                ),
            };
            Diagnostic::warning(&source.path, message).at(source.position(at)).hint(hint)
        })
        .collect()
}

/// Whether the name at `at` is the value of a `name:` key (block or flow style), the one place a
/// person is declared.
fn declares(text: &str, at: usize, name: &str) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_end_matches(['"', '\'']).trim_end();
    let Some(before) = before.strip_suffix(':').and_then(|b| b.trim_end().strip_suffix("name")) else {
        return false;
    };
    let before = before.trim_end();
    let key_starts =
        before.trim_start().trim_start_matches('-').trim().is_empty() || before.ends_with(['{', ',']);
    let after = text[at + name.len()..].split('\n').next().unwrap_or("");
    let after = after.trim_start_matches(['"', '\'']).trim_start();
    key_starts && (after.is_empty() || after.starts_with(['#', ',', '}']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(private: &[(&str, Whose)], people: &[&str]) -> PrivateNames {
        PrivateNames::new(
            private
                .iter()
                .map(|(n, w)| PrivateName {
                    name: n.to_string(),
                    masked: super::super::mask_name(n),
                    whose: *w,
                })
                .collect(),
            people.iter().map(|p| p.to_string()).collect(),
        )
    }

    #[test]
    fn masks_every_occurrence_but_not_inside_another_name() {
        let names =
            names(&[("陈立新", Whose::Member), ("李明", Whose::Partner)], &["陈立新", "李明", "李明华"]);
        let mut text = "党员按排包户：陈立新负责第1至3排，李明协助；李明华另管4排。陈立新".to_string();
        assert!(names.mask(&mut text));
        assert_eq!(text, "党员按排包户：陈*新负责第1至3排，李*协助；李明华另管4排。陈*新");
        let mut clean = "无人点名".to_string();
        assert!(!names.mask(&mut clean));
    }

    #[test]
    fn longer_private_name_wins() {
        let names = names(&[("欧阳晓明", Whose::Member), ("晓明", Whose::Partner)], &[]);
        let mut text = "欧阳晓明和晓明".to_string();
        names.mask(&mut text);
        assert_eq!(text, "欧**明和晓*");
    }

    #[test]
    fn declarations_are_not_warned() {
        let names = names(&[("陈立新", Whose::Member)], &["陈立新"]);
        let source = SourceText {
            path: "content/a/b/unit.yaml".into(),
            text: "members:\n  - id: m01\n    name: 陈立新\n    exempt: 陈立新外出\n  - { name: \"陈立新\" }\n  - { id: m2, name: 陈立新, group: g1 }\n  - { surname: 陈立新 }\n".into(),
        };
        let found = locate(&names, &source);
        let at: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(4, 13), (7, 16)]);
    }
}
