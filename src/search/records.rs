//! What each result is found by: the records of the sections (slot 0) and of each unit (slot
//! `u + 1`), turned into postings (term, record) that a unit's digest carries to the index.

use super::terms::{term_key, terms};
use crate::content::model::{Site, Unit};
use crate::masking::member_name as shown_name;
use crate::render::words;
use std::borrow::Cow;
use std::collections::HashMap;

/// One search result as the index sees it: the words it is found by. What it shows is written
/// to its chunk (see [`super::chunk`]): the same texts, with links.
#[derive(Debug, Clone, PartialEq)]
struct Record<'a> {
    /// Position in its chunk; see [`unit_records`].
    local: u32,
    title: Cow<'a, str>,
    /// Texts shown after the title; searched like the title, except that single characters are
    /// not terms here.
    fields: Vec<Cow<'a, str>>,
}

/// Names of a section and the sections above it, outermost first, joined by `/`.
pub fn section_path(site: &Site, section: usize) -> String {
    let mut names = Vec::new();
    let mut at = Some(section);
    while let Some(s) = at {
        names.push(site.sections[s].name.as_str());
        at = site.sections[s].parent;
    }
    names.reverse();
    names.join("/")
}

/// The records of site-level slot 0: every section, by its index.
fn section_records(site: &Site) -> Vec<Record<'_>> {
    site.sections
        .iter()
        .enumerate()
        .map(|(i, section)| Record {
            local: i as u32,
            title: Cow::Borrowed(&section.name),
            fields: vec![Cow::Owned(section.parent.map(|p| section_path(site, p)).unwrap_or_default())],
        })
        .collect()
}

/// Who is responsible for what in a unit, by index: each zone's members and each member's
/// zones.
pub(super) struct Responsible {
    pub zone_members: Vec<Vec<usize>>,
    pub member_zones: Vec<Vec<usize>>,
}

impl Responsible {
    pub fn new(unit: &Unit) -> Responsible {
        let position: HashMap<&str, usize> =
            unit.info.members.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
        let zone_members: Vec<Vec<usize>> = unit
            .zones
            .iter()
            .map(|zone| zone.members.iter().filter_map(|id| position.get(id.0.as_str()).copied()).collect())
            .collect();
        let mut member_zones = vec![Vec::new(); unit.info.members.len()];
        for (z, members) in zone_members.iter().enumerate() {
            for m in members {
                member_zones[*m].push(z);
            }
        }
        Responsible { zone_members, member_zones }
    }

    /// A zone's responsible members as the zones page names them, joined by `、`.
    fn names(&self, unit: &Unit, z: usize) -> String {
        let names: Vec<Cow<'_, str>> =
            self.zone_members[z].iter().map(|m| shown_name(&unit.info.members[*m])).collect();
        names.join("、")
    }
}

/// A unit's records (slot `u + 1`): the unit at 0, zone `z` at `2z + 1`, member `m` at `2m + 2`,
/// so adding a zone or member at the end moves no other record. A unit is found by its name,
/// kind and sections; a zone by its name, area, unit and members (so a street finds the zone,
/// whose result links its members); a member by name, unit, role and zones. Members shown
/// masked (`consent: false`) have no record: search would otherwise find them by the unmasked
/// part of their name. Group names are shown but not searched: 第一党小组 is in every unit.
fn unit_records<'a>(site: &Site, unit: &'a Unit) -> Vec<Record<'a>> {
    let responsible = Responsible::new(unit);
    let name = || Cow::Borrowed(unit.info.name.as_str());
    let mut records = vec![Record {
        local: 0,
        title: name(),
        fields: vec![
            Cow::Borrowed(words::kind_label(unit.info.kind)),
            Cow::Owned(section_path(site, unit.section)),
        ],
    }];
    for (z, zone) in unit.zones.iter().enumerate() {
        records.push(Record {
            local: 2 * z as u32 + 1,
            title: Cow::Borrowed(&zone.name),
            fields: vec![
                name(),
                Cow::Borrowed(zone.area.as_deref().unwrap_or_default()),
                Cow::Owned(responsible.names(unit, z)),
            ],
        });
    }
    for ((m, member), zones) in unit.info.members.iter().enumerate().zip(&responsible.member_zones) {
        if !member.consent {
            continue;
        }
        let zones: Vec<&str> = zones.iter().map(|z| unit.zones[*z].name.as_str()).collect();
        records.push(Record {
            local: 2 * m as u32 + 2,
            title: shown_name(member),
            fields: vec![
                name(),
                Cow::Borrowed(member.role.as_deref().unwrap_or_default()),
                Cow::Owned(zones.join("、")),
            ],
        });
    }
    records.sort_by_key(|r| r.local);
    records
}

/// The postings of one slot: for every term of its records, the term's key ([`term_key`]) and
/// the record's `local × 2`, plus 1 when the term is in the record's title (ranked higher); one
/// posting per term and record, sorted by term, then record. A unit's digest carries these to
/// the index, which files them into shards once the whole site's record count is known.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnitPostings {
    /// How many records the slot counts towards the shard count: a unit, its zones and all its
    /// members (shown or not), so the count does not depend on consent.
    pub records: u32,
    /// Kept as two lists (12 bytes a posting rather than 16 with padding): a city holds millions.
    pub keys: Vec<u64>,
    pub locals: Vec<u32>,
}

impl UnitPostings {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// (key, local) pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.keys.iter().copied().zip(self.locals.iter().copied())
    }

    fn from_records(records: &[Record], count: u32) -> UnitPostings {
        let mut all: Vec<(u64, u32)> = Vec::new();
        let mut found: Vec<(u64, u32)> = Vec::new();
        for record in records {
            found.clear();
            terms(&record.title, true, |t| found.push((term_key(t), record.local * 2 + 1)));
            for field in &record.fields {
                terms(field, false, |t| found.push((term_key(t), record.local * 2)));
            }
            // A term in the title and in a field of one record counts once, as a title term.
            found.sort_unstable_by_key(|&(key, local)| (key, std::cmp::Reverse(local)));
            found.dedup_by_key(|p| p.0);
            all.extend_from_slice(&found);
        }
        all.sort_unstable();
        UnitPostings {
            records: count,
            keys: all.iter().map(|p| p.0).collect(),
            locals: all.iter().map(|p| p.1).collect(),
        }
    }
}

/// The postings of slot 0: every section.
pub fn section_postings(site: &Site) -> UnitPostings {
    UnitPostings::from_records(&section_records(site), site.sections.len() as u32)
}

/// The postings of a unit's slot.
pub fn unit_postings(site: &Site, unit: &Unit) -> UnitPostings {
    let count = 1 + unit.zones.len() + unit.info.members.len();
    UnitPostings::from_records(&unit_records(site, unit), count as u32)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::minimal;
    use super::*;

    #[test]
    fn members_without_consent_have_no_record() {
        let site = minimal();
        let records = unit_records(&site.site, &site.units[0]);
        assert!(records.iter().all(|r| r.title != "赵桂兰" && r.title != "赵*兰"));
        assert!(!records.iter().any(|r| r.local == 2 * 3 + 2), "m04 is the fourth member");
        let zone = records.iter().find(|r| r.title == "西街片区").expect("zone z2");
        assert_eq!(zone.fields[2], "张志强、赵*兰");
    }

    #[test]
    fn postings_are_sorted_and_one_per_term_and_record() {
        let site = minimal();
        let postings = unit_postings(&site.site, &site.units[0]);
        let pairs: Vec<(u64, u32)> = postings.iter().collect();
        assert!(pairs.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        // 李建国 is a title (odd local) of member m01 at position 2 × 0 + 2.
        assert!(pairs.contains(&(term_key("建国"), 2 * 2 + 1)));
    }
}
