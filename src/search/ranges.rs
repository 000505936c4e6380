//! The range files of the search index (`search/r/<n>.js`): for each street or estate named in
//! zone areas, the zones whose area gives a range on it (东大街 → 东街片区: 1号至28号), so a query
//! such as 东大街20号 finds the zone that covers the number.
//!
//! A file holds the streets whose last three characters (the whole name when shorter) hash to
//! it, so a query loads at most two files: one for the last three characters of its street and
//! one for the last two, which finds 东大街 from 东王庄村东大街20号 and 前街 from 后庄村前街5号.
//! Only a query with a digit loads them (with `assets/address.js`, which reads the query as
//! [`crate::rules::area`] reads areas). `docs/architecture.md` ("Search") describes the format.

use crate::content::model::Unit;
use crate::rules::area::{self, Kind, Place};
use rayon::prelude::*;

/// How many range files a site with `shards` postings shards has: an eighth as many (the
/// range data of a city is about a tenth of its postings), at least one. `search.js` works it
/// out the same way from `data-shards`.
pub fn file_count(shards: usize) -> usize {
    (shards / 8).max(1)
}

/// The characters a street's file is chosen by: its last three, or all of a shorter name.
pub fn tail(name: &str) -> &str {
    let start = name.char_indices().rev().nth(2).map_or(0, |(at, _)| at);
    &name[start..]
}

/// The range file of a street.
pub fn file_of(name: &str, files: usize) -> usize {
    super::shard_of(tail(name), files)
}

/// Whether the index keeps a place: ranges of house numbers, rows or buildings, or a whole
/// street. Floors and rooms alone (机关办公楼3层301室) are no resident's address.
fn kept(place: &Place) -> bool {
    place.levels.first().is_none_or(|l| matches!(l.kind, Kind::House | Kind::Row | Kind::Building))
}

/// One zone's ranges on one street, as a unit's digest carries it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct RangeEntry {
    pub street: String,
    /// The zone's position in its chunk (`2z + 1`).
    pub local: u32,
    /// [`Place::code`] of each range, in the order the area gives them.
    pub codes: Vec<String>,
}

/// A range entry filed in a range file: with its unit's slot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    street: String,
    slot: u32,
    local: u32,
    codes: Vec<String>,
}

impl Entry {
    fn new(slot: u32, entry: &RangeEntry) -> Entry {
        Entry { street: entry.street.clone(), slot, local: entry.local, codes: entry.codes.clone() }
    }
}

/// The range entries of a unit's zones.
pub fn unit_ranges(unit: &Unit) -> Vec<RangeEntry> {
    let mut entries: Vec<RangeEntry> = Vec::new();
    for (z, zone) in unit.zones.iter().enumerate() {
        let Some(text) = zone.area.as_deref() else { continue };
        let first = entries.len();
        for place in area::read(text).places.iter().filter(|p| kept(p)) {
            let code = place.code();
            match entries[first..].iter_mut().find(|e| e.street == place.name) {
                Some(entry) if entry.codes.contains(&code) => {}
                Some(entry) => entry.codes.push(code),
                None => entries.push(RangeEntry {
                    street: place.name.clone(),
                    local: 2 * z as u32 + 1,
                    codes: vec![code],
                }),
            }
        }
    }
    entries
}

/// One range file: its entries sorted by street, slot and zone, and the file made from them.
#[derive(Default)]
struct RangeFile {
    entries: Vec<Entry>,
    file: Vec<u8>,
}

/// `gongkaiSearch.ranges(n,{"street":[[slot,local,"code",…],…],…})`, streets sorted.
fn encode(n: usize, entries: &[Entry]) -> Vec<u8> {
    use serde_json::{Map, Value, json};
    let mut streets = Map::new();
    for list in entries.chunk_by(|a, b| a.street == b.street) {
        let zones: Vec<Value> = list
            .iter()
            .map(|e| {
                let mut row = vec![json!(e.slot), json!(e.local)];
                row.extend(e.codes.iter().map(|c| json!(c)));
                Value::Array(row)
            })
            .collect();
        streets.insert(list[0].street.clone(), Value::Array(zones));
    }
    let json = serde_json::to_string(&streets).expect("strings serialise");
    // Inert even if a host serves the file as HTML, as chunks are.
    let json = json.replace('<', "\\u003c").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    format!("gongkaiSearch.ranges({n},{json});\n").into_bytes()
}

/// All range files of a site.
pub struct Ranges {
    files: Vec<RangeFile>,
}

impl Ranges {
    /// Files each unit's entries (`units[i]` is slot `i + 1`) by street into `count` files.
    pub fn build(units: &[&[RangeEntry]], count: usize) -> Ranges {
        let mut files: Vec<RangeFile> = (0..count.max(1)).map(|_| RangeFile::default()).collect();
        let count = files.len();
        for (i, entries) in units.iter().enumerate() {
            for entry in entries.iter() {
                files[file_of(&entry.street, count)].entries.push(Entry::new(i as u32 + 1, entry));
            }
        }
        files.par_iter_mut().enumerate().for_each(|(n, file)| {
            file.entries.sort();
            file.file = encode(n, &file.entries);
        });
        Ranges { files }
    }

    pub fn count(&self) -> usize {
        self.files.len()
    }

    /// The file `search/r/<n>.js`.
    pub fn file(&self, n: usize) -> &[u8] {
        &self.files[n].file
    }

    /// Re-files slot `slot`'s entries after its unit changed; returns the files that changed.
    pub fn update_slot(&mut self, slot: usize, entries: &[RangeEntry]) -> Vec<usize> {
        let slot = slot as u32;
        let count = self.files.len();
        let mut fresh: Vec<Vec<Entry>> = vec![Vec::new(); count];
        for entry in entries {
            fresh[file_of(&entry.street, count)].push(Entry::new(slot, entry));
        }
        let mut changed = Vec::new();
        for (n, (file, mut new)) in self.files.iter_mut().zip(fresh).enumerate() {
            new.sort();
            let old: Vec<&Entry> = file.entries.iter().filter(|e| e.slot == slot).collect();
            if old.len() == new.len() && old.iter().zip(&new).all(|(a, b)| *a == b) {
                continue;
            }
            file.entries.retain(|e| e.slot != slot);
            file.entries.extend(new);
            file.entries.sort();
            file.file = encode(n, &file.entries);
            changed.push(n);
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_chosen_by_the_last_three_characters() {
        assert_eq!(tail("东王庄村东大街"), "东大街");
        assert_eq!(tail("前街"), "前街");
        assert_eq!(tail(""), "");
        assert_eq!(file_of("东王庄村东大街", 16), file_of("东大街", 16));
        assert_eq!(file_count(1), 1);
        assert_eq!(file_count(128), 16);
    }

    fn build(site: &crate::pipeline::Loaded, count: usize) -> Ranges {
        let entries: Vec<Vec<RangeEntry>> = site.units.iter().map(unit_ranges).collect();
        let slots: Vec<&[RangeEntry]> = entries.iter().map(Vec::as_slice).collect();
        Ranges::build(&slots, count)
    }

    #[test]
    fn files_list_each_streets_zones_with_their_ranges() {
        let mut site = super::super::fixture::minimal();
        site.units[0].zones[1].area =
            Some("西大街1号至30号单号、32号，机关办公楼3层301室，东大街40号".into());
        let ranges = build(&site, 1);
        let file = String::from_utf8(ranges.file(0).to_vec()).unwrap();
        assert_eq!(
            file,
            "gongkaiSearch.ranges(0,{\"东大街\":[[1,1,\"h1-28\"],[1,3,\"h40\"]],\"西大街\":[[1,3,\"h1-30o\",\"h32\"]]});\n"
        );
    }

    #[test]
    fn an_update_gives_the_files_of_a_fresh_build() {
        let mut site = super::super::fixture::minimal();
        let unit = site.units[0].clone();
        for i in 1..40 {
            let mut copy = unit.clone();
            copy.path = format!("{}-{i}", unit.path);
            site.units.push(copy);
        }
        let mut ranges = build(&site, 8);
        let files = |r: &Ranges| (0..r.count()).map(|n| r.file(n).to_vec()).collect::<Vec<_>>();
        site.units[17].zones[0].area = Some("南大街1号至9号、河畔家园3号楼1、2单元".into());
        let changed = ranges.update_slot(18, &unit_ranges(&site.units[17]));
        assert!(!changed.is_empty() && changed.len() <= 3, "{changed:?}");
        assert_eq!(files(&ranges), files(&build(&site, 8)));
        assert_eq!(ranges.update_slot(18, &unit_ranges(&site.units[17])), Vec::<usize>::new());
    }
}
