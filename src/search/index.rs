//! The postings of every slot filed into shards by a hash of the term, and each shard written
//! as `gongkaiSearch.shard(n,{"term":"postings",…})`. A build files them in batches of shards
//! and keeps only the files; `serve` keeps the postings to redo a unit's shards after an edit.

use super::ranges::{self, RangeEntry, Ranges};
use super::records::UnitPostings;
use super::terms::{is_han, key_term, shard_of_key};
use rayon::prelude::*;

/// Records the shard count aims at per shard: about 8 KB of postings each (measured at city
/// size: ~35 bytes of postings per record).
const RECORDS_PER_SHARD: usize = 256;

/// The most shards a site gets, however large.
const MAX_SHARDS: usize = 4096;

/// Postings filed at once by a build: about 8 MB of them, whatever the site's size (a province's
/// 38 million postings would otherwise take 600 MB at once).
const BATCH_POSTINGS: usize = 1 << 19;

/// Digits of the posting numbers: the last digit of a number from `END`, the others from `MORE`,
/// five bits each, most significant first. No character needs escaping in a JS string.
const END: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

/// How many shards a site of `records` records (sections, units, zones, members) has: a power of
/// two growing with the records, so shards stay small. The plan lists this many shard files.
pub fn shard_count(records: usize) -> usize {
    records.div_ceil(RECORDS_PER_SHARD).next_power_of_two().clamp(1, MAX_SHARDS)
}

/// A term found in more records than this is left out of the index and marked common (`0`): it
/// would cost a phone a long download and barely narrow the results (小组 of 第一党小组 is in
/// every member's record). Single Han characters are never left out: they are the whole query.
fn common_limit(records: usize) -> usize {
    (records / 16).max(1000)
}

/// A term of one record, as a shard holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    key: u64,
    slot: u32,
    /// `local × 2 + 1` when the term is in the record's title (ranks higher), else `local × 2`.
    local: u32,
}

/// The shard of each posting of a slot, worked out once per distinct term (postings are sorted
/// by term).
fn shards_of(postings: &UnitPostings, shards: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(postings.len());
    let mut last = None;
    for &key in &postings.keys {
        let shard = match last {
            Some((k, shard)) if k == key => shard,
            _ => shard_of_key(key, shards) as u16,
        };
        last = Some((key, shard));
        out.push(shard);
    }
    out
}

/// The postings of shards `range`, each sorted by term, then slot, then record.
fn file(
    slots: &[&UnitPostings],
    shard_lists: &[Vec<u16>],
    range: std::ops::Range<usize>,
) -> Vec<Vec<Posting>> {
    let mut shards: Vec<Vec<Posting>> = vec![Vec::new(); range.len()];
    for (slot, (postings, list)) in slots.iter().zip(shard_lists).enumerate() {
        for ((key, local), &shard) in postings.iter().zip(list) {
            let shard = usize::from(shard);
            if range.contains(&shard) {
                shards[shard - range.start].push(Posting { key, slot: slot as u32, local });
            }
        }
    }
    // Slots were filed in order and each slot's postings are sorted by (term, record), so a stable
    // sort by term gives (term, slot, record).
    shards.par_iter_mut().for_each(|postings| postings.sort_by_key(|p| p.key));
    shards
}

/// The search index: one file per shard, and (for `serve`) the postings they were made from.
pub struct Index {
    files: Vec<Vec<u8>>,
    /// Empty unless kept for updates.
    postings: Vec<Vec<Posting>>,
    /// For each slot, the shards it has postings in (with the postings, for updates).
    slot_shards: Vec<Vec<u32>>,
    /// Postings longer than this are written as common (see [`common_limit`]).
    common: usize,
    /// The range files (`search/r/<n>.js`), read only by queries with a number.
    ranges: Ranges,
}

impl Index {
    /// Files the postings of every slot (slot 0 the sections, slot `u + 1` unit `u`) into
    /// shards and writes the shard files. With `keep`, the postings stay for
    /// [`Index::update_slot`]; without, they are filed a batch of shards at a time and dropped.
    /// `ranges` holds each unit's range entries (`ranges[i]` is slot `i + 1`).
    pub fn build(slots: &[&UnitPostings], ranges: &[&[RangeEntry]], keep: bool) -> Index {
        let records: usize = slots.iter().map(|p| p.records as usize).sum();
        let count = shard_count(records);
        let common = common_limit(records);
        let shard_lists: Vec<Vec<u16>> = slots.par_iter().map(|p| shards_of(p, count)).collect();
        let total: usize = slots.iter().map(|p| p.len()).sum();
        let batches = if keep { 1 } else { total.div_ceil(BATCH_POSTINGS).clamp(1, count) };
        let per_batch = count.div_ceil(batches);
        let mut files = Vec::with_capacity(count);
        let mut kept = Vec::new();
        for start in (0..count).step_by(per_batch) {
            let range = start..(start + per_batch).min(count);
            let postings = file(slots, &shard_lists, range.clone());
            files.par_extend(
                postings.par_iter().enumerate().map(|(i, list)| encode_shard(range.start + i, list, common)),
            );
            if keep {
                kept.extend(postings);
            }
        }
        let slot_shards = if keep {
            shard_lists
                .iter()
                .map(|list| {
                    let mut shards: Vec<u32> = list.iter().map(|s| u32::from(*s)).collect();
                    shards.sort_unstable();
                    shards.dedup();
                    shards
                })
                .collect()
        } else {
            Vec::new()
        };
        let ranges = Ranges::build(ranges, ranges::file_count(count));
        Index { files, postings: kept, slot_shards, common, ranges }
    }

    /// How many shards the files were made for.
    pub fn shard_count(&self) -> usize {
        self.files.len()
    }

    /// The shard file `search/s/<n>.js`.
    pub fn shard(&self, n: usize) -> &[u8] {
        &self.files[n]
    }

    /// How many range files there are.
    pub fn range_count(&self) -> usize {
        self.ranges.count()
    }

    /// The range file `search/r/<n>.js`; see [`ranges`].
    pub fn range_file(&self, n: usize) -> &[u8] {
        self.ranges.file(n)
    }

    /// Re-files slot `slot`'s range entries after its unit changed; returns the range files
    /// that changed.
    pub fn update_ranges(&mut self, slot: usize, entries: &[RangeEntry]) -> Vec<usize> {
        self.ranges.update_slot(slot, entries)
    }

    /// Re-files slot `slot` after its unit changed (same shard count; `records` is the site's
    /// new record count); returns the shards whose files changed. Needs an index built with
    /// `keep`.
    pub fn update_slot(&mut self, slot: usize, fresh: &UnitPostings, records: usize) -> Vec<usize> {
        let count = self.files.len();
        let list = shards_of(fresh, count);
        let mut mine: Vec<(u32, Posting)> = fresh
            .iter()
            .zip(&list)
            .map(|((key, local), shard)| (u32::from(*shard), Posting { key, slot: slot as u32, local }))
            .collect();
        // By shard, then term and record as in the shards.
        mine.sort_unstable_by_key(|(shard, p)| (*shard, p.key, p.local));
        let mut now: Vec<u32> = mine.iter().map(|(shard, _)| *shard).collect();
        now.dedup();
        let mut touched = std::mem::replace(&mut self.slot_shards[slot], now.clone());
        touched.extend(now);
        touched.sort_unstable();
        touched.dedup();
        let mut changed = Vec::new();
        for shard in touched {
            let n = shard as usize;
            let start = mine.partition_point(|(s, _)| *s < shard);
            let end = mine.partition_point(|(s, _)| *s <= shard);
            let new: Vec<Posting> = mine[start..end].iter().map(|(_, p)| *p).collect();
            let postings = &mut self.postings[n];
            let old = postings.iter().filter(|p| p.slot == slot as u32);
            if old.clone().count() == new.len() && old.eq(&new) {
                continue;
            }
            // The other slots' postings stay sorted; the new ones are merged in.
            let order = |p: &Posting| (p.key, p.slot, p.local);
            postings.retain(|p| p.slot != slot as u32);
            let mut merged = Vec::with_capacity(postings.len() + new.len());
            let mut new = new.into_iter().peekable();
            for posting in postings.drain(..) {
                while let Some(next) = new.next_if(|n| order(n) < order(&posting)) {
                    merged.push(next);
                }
                merged.push(posting);
            }
            merged.extend(new);
            *postings = merged;
            changed.push(n);
        }
        let common = common_limit(records);
        if common != self.common {
            // Which terms count as common moved: every shard may read differently.
            self.common = common;
            changed = (0..count).collect();
        }
        let redo: Vec<usize> = changed.clone();
        let postings = &self.postings;
        let fresh_files: Vec<(usize, Vec<u8>)> =
            redo.par_iter().map(|&n| (n, encode_shard(n, &postings[n], common))).collect();
        changed.clear();
        for (n, file) in fresh_files {
            if self.files[n] != file {
                self.files[n] = file;
                changed.push(n);
            }
        }
        changed
    }
}

/// `gongkaiSearch.shard(n,{"term":"postings",…})`, terms sorted. Postings list the records in
/// (slot, local) order, each as two numbers: the slot minus the previous one, and `local × 2 + 1`
/// for a title term or `local × 2` otherwise. Common terms are `0`.
fn encode_shard(n: usize, postings: &[Posting], common: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 3 + 64);
    out.extend_from_slice(format!("gongkaiSearch.shard({n},{{").as_bytes());
    for (i, list) in postings.chunk_by(|a, b| a.key == b.key).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let term = key_term(&list[0].key);
        out.push(b'"');
        out.extend_from_slice(term.as_bytes());
        out.extend_from_slice(b"\":");
        let mut chars = term.chars();
        let single_han = chars.next().is_some_and(is_han) && chars.next().is_none();
        if list.len() > common && !single_han {
            out.push(b'0');
            continue;
        }
        out.push(b'"');
        let mut previous = 0;
        for posting in list {
            push_number(&mut out, u64::from(posting.slot - previous));
            push_number(&mut out, u64::from(posting.local));
            previous = posting.slot;
        }
        out.push(b'"');
    }
    out.extend_from_slice(b"});\n");
    out
}

/// Longest run of ASCII digits a shard may hold. Small numbers in a row are one digit each, and a
/// city's shards held runs that a privacy scan reads as mobile numbers (11 digits) or identity
/// numbers (18 with a valid check digit).
const MAX_DIGIT_RUN: usize = 10;

fn push_number(out: &mut Vec<u8>, mut value: u64) {
    if value < 10
        && out.iter().rev().take_while(|b| b.is_ascii_digit()).take(MAX_DIGIT_RUN).count() == MAX_DIGIT_RUN
    {
        // A leading zero digit (`A5` is 5 to `search.js`) ends the run.
        out.push(MORE[0]);
    }
    let mut digits = [0u8; 13];
    let mut at = digits.len() - 1;
    digits[at] = END[(value & 31) as usize];
    value >>= 5;
    while value > 0 {
        at -= 1;
        digits[at] = MORE[(value & 31) as usize];
        value >>= 5;
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{files, index, minimal, slots};
    use super::super::terms::shard_of;
    use super::*;

    /// Re-indexes unit `u` of `loaded` in `index`, as `serve` does after an edit.
    fn update(index: &mut Index, loaded: &crate::pipeline::Loaded, u: usize) -> Vec<usize> {
        let slots = slots(loaded);
        let records = slots.iter().map(|p| p.records as usize).sum();
        index.update_slot(u + 1, &slots[u + 1], records)
    }

    #[test]
    fn a_unit_update_gives_the_files_of_a_fresh_build() {
        let mut site = minimal();
        let mut kept = index(&site, true);
        assert_eq!(files(&kept), files(&index(&site, false)), "batches file the same shards");
        // Renaming a member changes few shards; inserting one first moves every member's record.
        site.units[0].info.members[1].name = "王秀芳".into();
        let changed = update(&mut kept, &site, 0);
        assert_eq!(changed, vec![0], "one shard on a small site");
        assert_eq!(files(&kept), files(&index(&site, false)));
        let mut first = site.units[0].info.members[0].clone();
        first.id = "m00".into();
        first.name = "钱多多".into();
        site.units[0].info.members.insert(0, first);
        update(&mut kept, &site, 0);
        assert_eq!(files(&kept), files(&index(&site, false)));
        // No change, no file to redo.
        assert_eq!(update(&mut kept, &site, 0), Vec::<usize>::new());
    }

    #[test]
    fn updates_agree_with_fresh_builds_when_there_are_many_shards() {
        let mut site = minimal();
        let unit = site.units[0].clone();
        for i in 1..120 {
            let mut copy = unit.clone();
            copy.path = format!("{}-{i}", unit.path);
            copy.info.name = format!("{}{i}", unit.info.name);
            site.units.push(copy);
        }
        let mut kept = index(&site, true);
        assert!(kept.shard_count() >= 4, "{}", kept.shard_count());
        assert_eq!(files(&kept), files(&index(&site, false)), "batches file the same shards");
        site.units[57].info.members[2].name = "张志刚".into();
        let changed = update(&mut kept, &site, 57);
        assert!(!changed.is_empty() && changed.len() < kept.shard_count(), "{changed:?}");
        assert_eq!(files(&kept), files(&index(&site, false)));
        site.units[57].zones[0].area = Some("南大街1号至9号".into());
        site.units[57].info.members.remove(0);
        update(&mut kept, &site, 57);
        assert_eq!(files(&kept), files(&index(&site, false)));
    }

    #[test]
    fn common_terms_are_marked_not_listed() {
        let mut site = minimal();
        let unit = site.units[0].clone();
        for i in 1..400 {
            let mut copy = unit.clone();
            copy.path = format!("{}-{i}", unit.path);
            site.units.push(copy);
        }
        let index = index(&site, false);
        // 东王 is in every unit's name, so in far more records than the limit.
        let shard = String::from_utf8(index.shard(shard_of("东王", index.shard_count())).to_vec()).unwrap();
        assert!(shard.contains("\"东王\":0"), "{shard}");
        // Single characters are kept, however common: they are the whole query.
        let shard = String::from_utf8(index.shard(shard_of("东", index.shard_count())).to_vec()).unwrap();
        assert!(shard.contains("\"东\":\""), "{shard}");
    }

    #[test]
    fn numbers_use_five_bits_a_digit() {
        let encode = |v: u64| {
            let mut out = Vec::new();
            push_number(&mut out, v);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(encode(0), "0");
        assert_eq!(encode(31), "v");
        assert_eq!(encode(32), "B0");
        assert_eq!(encode(32 * 32 + 5), "BA5");
    }

    /// What `search.js` does with a postings text.
    fn decode(text: &str) -> Vec<u64> {
        let mut numbers = Vec::new();
        let mut value = 0;
        for b in text.bytes() {
            if let Some(d) = MORE.iter().position(|m| *m == b) {
                value = value * 32 + d as u64;
            } else {
                numbers.push(value * 32 + END.iter().position(|e| *e == b).unwrap() as u64);
                value = 0;
            }
        }
        numbers
    }

    #[test]
    fn postings_never_hold_a_run_of_digits_that_reads_as_a_phone_or_identity_number() {
        let numbers: Vec<u64> =
            [1, 7, 1, 7, 1, 7, 1, 1, 0, 7, 0, 3, 9, 40, 2, 4, 6, 8, 1, 3, 5, 7, 9, 0, 2, 4, 6, 8, 1, 3, 5]
                .into_iter()
                .chain(std::iter::repeat_n(1, 40))
                .collect();
        let mut out = b"\"".to_vec();
        for &n in &numbers {
            push_number(&mut out, n);
        }
        let text = String::from_utf8(out[1..].to_vec()).unwrap();
        let longest = text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap();
        assert_eq!(longest, MAX_DIGIT_RUN, "{text}");
        assert_eq!(decode(&text), numbers, "{text}");
    }
}
