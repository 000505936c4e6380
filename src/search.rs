//! The search index behind `/search/`: sections, units, zones and members, each found by the
//! words its result shows.
//!
//! Chinese has no spaces, so text is not split into words but into overlapping two-character
//! terms (东大街 → 东大 大街); lower-cased ASCII letters and digits form words; titles also give
//! single Han characters, so a one-character query finds names. A query is split the same way by
//! `themes/default/static/search.js` and every term must match. Postings are sharded by a hash of
//! the term (`search/s/<n>.js`) and records are chunked per unit (`search/c/<slot>.js`), so a
//! browser loads only the shards of its terms and the chunks of the results it shows. The files
//! are scripts calling `gongkaiSearch.shard(…)` / `gongkaiSearch.chunk(…)`, so they load with a
//! `<script>` element from `file://` too. `docs/architecture.md` describes the format.

pub mod ranges;

use crate::content::model::{Member, Site, Unit};
use crate::plan::Scope;
use crate::render::words;
use crate::rules::privacy::mask_name;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// Records the shard count aims at per shard: about 8 KB of postings each (measured at city
/// size: ~35 bytes of postings per record).
const RECORDS_PER_SHARD: usize = 256;

/// The most shards a site gets, however large.
const MAX_SHARDS: usize = 4096;

/// Longest ASCII word kept, in characters; longer words are cut (`search.js` cuts query words the
/// same way), so every term fits in eight bytes (a Han pair is six) and is its own sort key.
const MAX_WORD: usize = 8;

/// Digits of the posting numbers: the last digit of a number from `END`, the others from `MORE`,
/// five bits each, most significant first. No character needs escaping in a JS string.
const END: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

/// How many shards the site's postings are split into: a power of two growing with the number of
/// records, so shards stay small. `plan` lists this many shard files.
pub fn shard_count(site: &Site) -> usize {
    let records = site.sections.len()
        + site.units.iter().map(|u| 1 + u.zones.len() + u.info.members.len()).sum::<usize>();
    records.div_ceil(RECORDS_PER_SHARD).next_power_of_two().clamp(1, MAX_SHARDS)
}

/// A term found in more records than this is left out of the index and marked common (`0`): it
/// would cost a phone a long download and barely narrow the results (小组 of 第一党小组 is in
/// every member's record). Single Han characters are never left out: they are the whole query.
fn common_limit(records: usize) -> usize {
    (records / 16).max(1000)
}

/// Han (CJK ideograph) characters: the scripts a name, street or building is written in.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Full-width ASCII (１２号, ＡＢ) read as ASCII, and ASCII lower-cased.
fn fold(c: char) -> char {
    let c = match c as u32 {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Calls `emit` with every term of `text`: each pair of neighbouring Han characters, each Han
/// character too when `unigrams`, and each run of ASCII letters and digits (cut to
/// [`MAX_WORD`]). Anything else separates terms.
pub fn terms(text: &str, unigrams: bool, mut emit: impl FnMut(&str)) {
    // Start of the previous character when it was Han: Han characters are not folded, so a
    // pair is a slice of the text.
    let mut previous: Option<usize> = None;
    let mut word = String::new();
    for (at, c) in text.char_indices() {
        if is_han(c) {
            if !word.is_empty() {
                emit(&word);
                word.clear();
            }
            let end = at + c.len_utf8();
            if unigrams {
                emit(&text[at..end]);
            }
            if let Some(start) = previous {
                emit(&text[start..end]);
            }
            previous = Some(at);
            continue;
        }
        previous = None;
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if word.len() < MAX_WORD {
                word.push(c);
            }
        } else if !word.is_empty() {
            emit(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        emit(&word);
    }
}

/// The terms a query looks up, as `search.js` splits it: pairs of Han characters and ASCII
/// words; a lone Han character counts only when the query has nothing longer (then it finds
/// titles containing that character).
pub fn query_terms(query: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for unigrams in [false, true] {
        if !found.is_empty() {
            break;
        }
        terms(query, unigrams, |t| {
            if !found.iter().any(|f| f == t) {
                found.push(t.to_string());
            }
        });
    }
    found
}

/// The shard a term's postings are in: FNV-1a over the term's UTF-16 code units (what
/// JavaScript strings hold), modulo the shard count.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in term.encode_utf16() {
        hash ^= u32::from(unit);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let shards = shards.max(1);
    // Shard counts are powers of two: a mask is the same remainder, without a division.
    if shards.is_power_of_two() { hash as usize & (shards - 1) } else { hash as usize % shards }
}

/// How a member's name is shown: as [`crate::render::views::MemberRef::new`] shows it (masked without consent).
fn shown_name(member: &Member) -> Cow<'_, str> {
    if member.consent { Cow::Borrowed(&member.name) } else { Cow::Owned(mask_name(&member.name)) }
}

/// One search result as the index sees it: the words it is found by. What it shows is written
/// to its chunk (see [`chunk_js`]): the same texts, with links.
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
fn section_path(site: &Site, section: usize) -> String {
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
struct Responsible {
    zone_members: Vec<Vec<usize>>,
    member_zones: Vec<Vec<usize>>,
}

impl Responsible {
    fn new(unit: &Unit) -> Responsible {
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
fn unit_records(site: &Site, u: usize) -> Vec<Record<'_>> {
    let unit: &Unit = &site.units[u];
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

/// The chunk file of a scope: `gongkaiSearch.chunk(slot,[…])` with one array per record at its
/// local position (`null` in the gaps), shaped by kind so that a unit's name and links are
/// written once:
///
/// - `["s", name, href, parent sections]`: sections (slot 0);
/// - `["u", name, href, kind, sections]`: the unit, always at 0;
/// - `["z", name, id, area, [members]]`: a zone, at `…zones/index.html#zone-<id>` of the unit;
///   each member is the position of their row, or their masked name when they have none;
/// - `["m", name, id, group, role, [zone positions]]`: a member, at `…members/<id>/index.html`.
pub fn chunk_js(site: &Site, scope: Scope) -> Vec<u8> {
    use serde_json::{Value, json};
    let (slot, rows) = match scope {
        Scope::Unit(u) => {
            let unit = &site.units[u];
            let responsible = Responsible::new(unit);
            let mut rows = vec![Value::Null; 2 * unit.zones.len().max(unit.info.members.len()) + 1];
            rows[0] = json!([
                "u",
                unit.info.name,
                format!("{}/index.html", unit.path),
                words::kind_label(unit.info.kind),
                section_path(site, unit.section)
            ]);
            for (z, zone) in unit.zones.iter().enumerate() {
                let area = zone.area.as_deref().unwrap_or_default();
                let members: Vec<Value> = responsible.zone_members[z]
                    .iter()
                    .map(|&m| match &unit.info.members[m] {
                        member if member.consent => json!(2 * m + 2),
                        member => json!(shown_name(member)),
                    })
                    .collect();
                rows[2 * z + 1] = json!(["z", zone.name, zone.id, area, members]);
            }
            for ((m, member), zones) in unit.info.members.iter().enumerate().zip(&responsible.member_zones) {
                if member.consent {
                    let group = unit.group(&member.group).map_or("", |g| g.name.as_str());
                    let role = member.role.as_deref().unwrap_or_default();
                    let zones: Vec<usize> = zones.iter().map(|z| 2 * z + 1).collect();
                    rows[2 * m + 2] = json!(["m", shown_name(member), member.id, group, role, zones]);
                }
            }
            while rows.last() == Some(&Value::Null) {
                rows.pop();
            }
            (u + 1, rows)
        }
        Scope::County | Scope::Section(_) => {
            let rows = site
                .sections
                .iter()
                .map(|section| {
                    let parent = section.parent.map(|p| section_path(site, p)).unwrap_or_default();
                    json!(["s", section.name, format!("{}/index.html", section.path), parent])
                })
                .collect();
            (0, rows)
        }
    };
    let json = serde_json::to_string(&rows).expect("strings serialise");
    // Inert even if a host serves the file as HTML; U+2028/9 end lines in old JS engines.
    let json = json.replace('<', "\\u003c").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    format!("gongkaiSearch.chunk({slot},{json});\n").into_bytes()
}

/// The chunk file of a scope, below the output folder.
pub fn chunk_file(scope: Scope) -> String {
    match scope {
        Scope::Unit(u) => format!("search/c/{}.js", u + 1),
        Scope::County | Scope::Section(_) => "search/c/0.js".to_string(),
    }
}

/// A term as a number: its bytes (at most eight), big-endian, zero-padded. Ordered like the
/// terms, which hold no NUL.
fn term_key(term: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// The term a key stands for.
fn key_term(key: &u64) -> String {
    let bytes = key.to_be_bytes();
    String::from_utf8_lossy(&bytes[..bytes.iter().position(|b| *b == 0).unwrap_or(8)]).into_owned()
}

/// A term of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    key: u64,
    /// The record's slot; while a slot's postings are gathered, the term's shard instead.
    slot: u32,
    /// `local × 2 + 1` when the term is in the record's title (ranks higher), else `local × 2`.
    local: u32,
}

impl Posting {
    /// Sorts by term, then slot, then record.
    fn order(&self) -> u128 {
        (u128::from(self.key) << 64) | (u128::from(self.slot) << 32) | u128::from(self.local)
    }
}

/// The terms of one slot's records, in record order and with their shard in `slot`, split into
/// parts of consecutive shards (one per thread that files them into shards).
fn slot_postings(records: &[Record], shards: usize, parts: usize) -> Vec<Vec<Posting>> {
    let per_part = shards.div_ceil(parts).max(1);
    let part_of: Vec<u8> = (0..shards).map(|n| (n / per_part) as u8).collect();
    let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); parts];
    let mut found: Vec<Posting> = Vec::new();
    for record in records {
        found.clear();
        let mut add = |term: &str, title: bool| {
            let shard = shard_of(term, shards) as u32;
            found.push(Posting {
                key: term_key(term),
                slot: shard,
                local: record.local * 2 + u32::from(title),
            });
        };
        terms(&record.title, true, |t| add(t, true));
        for field in &record.fields {
            terms(field, false, |t| add(t, false));
        }
        // A term in the title and in a field of one record counts once, as a title term.
        found.sort_unstable_by_key(|p| (p.key, std::cmp::Reverse(p.local)));
        found.dedup_by_key(|p| p.key);
        for posting in &found {
            postings[part_of[posting.slot as usize] as usize].push(*posting);
        }
    }
    postings
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

/// One shard: its postings sorted by term, slot and record, and the file made from them.
#[derive(Default)]
struct Shard {
    postings: Vec<Posting>,
    file: Vec<u8>,
}

/// The whole index, held by shard so that each file is made from one contiguous list.
pub struct Index {
    shards: Vec<Shard>,
    /// For each slot, the shards it has postings in; filled by [`Index::prepare_updates`] (only
    /// `serve` needs it).
    slot_shards: Vec<Vec<u32>>,
    /// Postings longer than this are left out (see [`common_limit`]).
    common: usize,
    /// The range files (`search/r/<n>.js`), read only by queries with a number.
    ranges: ranges::Ranges,
}

impl Index {
    /// Indexes the site: the records of each unit in parallel, then runs of shards in parallel.
    pub fn build(site: &Site) -> Index {
        let count = shard_count(site);
        let parts = rayon::current_num_threads().clamp(1, count.min(64));
        let mut slots = vec![slot_postings(&section_records(site), count, parts)];
        slots.par_extend(
            (0..site.units.len())
                .into_par_iter()
                .map(|u| slot_postings(&unit_records(site, u), count, parts)),
        );
        // Each part of every slot goes to the task that files it, which frees it when done.
        let mut by_part: Vec<Vec<(u32, Vec<Posting>)>> = (0..parts).map(|_| Vec::new()).collect();
        for (slot, slot_parts) in slots.into_iter().enumerate() {
            for (part, postings) in slot_parts.into_iter().enumerate() {
                by_part[part].push((slot as u32, postings));
            }
        }
        let records = site.sections.len()
            + site.units.iter().map(|u| 1 + u.zones.len() + u.info.members.len()).sum::<usize>();
        let common = common_limit(records);
        let mut shards: Vec<Shard> = (0..count).map(|_| Shard::default()).collect();
        let run = count.div_ceil(parts);
        shards.par_chunks_mut(run).zip(by_part).enumerate().for_each(|(i, (part, input))| {
            let first = (i * run) as u32;
            let mut sizes = vec![0usize; part.len()];
            for posting in input.iter().flat_map(|(_, postings)| postings) {
                sizes[(posting.slot - first) as usize] += 1;
            }
            for (shard, size) in part.iter_mut().zip(sizes) {
                shard.postings.reserve_exact(size);
            }
            // Slots come in order, so each shard's postings arrive in (slot, local) order.
            for (slot, postings) in input {
                for posting in postings {
                    let shard = (posting.slot - first) as usize;
                    part[shard].postings.push(Posting { slot, ..posting });
                }
            }
            for (j, shard) in part.iter_mut().enumerate() {
                // Stable, by term: slot and record order stay.
                shard.postings.sort_by_key(|p| p.key);
                shard.file = encode_shard(first as usize + j, &shard.postings, common);
            }
        });
        let ranges = ranges::Ranges::build(site, ranges::file_count(count));
        Index { shards, slot_shards: Vec::new(), common, ranges }
    }

    /// How many shards the files were made for: [`shard_count`] of the site when indexed.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The shard file `search/s/<n>.js`.
    pub fn shard(&self, n: usize) -> &[u8] {
        &self.shards[n].file
    }

    /// The range file `search/r/<n>.js`; see [`ranges`].
    pub fn range_file(&self, n: usize) -> &[u8] {
        self.ranges.file(n)
    }

    /// Re-reads unit `u`'s zone areas after it changed; returns the range files that changed.
    pub fn update_unit_ranges(&mut self, site: &Site, u: usize) -> Vec<usize> {
        self.ranges.update_unit(site, u)
    }

    /// Notes which shards each slot has postings in, for [`Index::update_unit`]; `serve` calls
    /// it after a full build so that the first edit does not pay for it.
    pub fn prepare_updates(&mut self, site: &Site) {
        if self.slot_shards.len() == site.units.len() + 1 {
            return;
        }
        let mut slot_shards = vec![Vec::new(); site.units.len() + 1];
        for (n, shard) in self.shards.iter().enumerate() {
            for posting in &shard.postings {
                let list: &mut Vec<u32> = &mut slot_shards[posting.slot as usize];
                if list.last() != Some(&(n as u32)) {
                    list.push(n as u32);
                }
            }
        }
        self.slot_shards = slot_shards;
    }

    /// Re-indexes unit `u` after it changed (same shard count); returns the shards whose files
    /// changed.
    pub fn update_unit(&mut self, site: &Site, u: usize) -> Vec<usize> {
        let slot = (u + 1) as u32;
        self.prepare_updates(site);
        let mut fresh = slot_postings(&unit_records(site, u), self.shards.len(), 1).remove(0);
        // By shard, then term and record as in the shards.
        fresh.sort_unstable_by_key(|p| (p.slot, p.key, p.local));
        let mut mine: Vec<u32> = fresh.iter().map(|p| p.slot).collect();
        mine.dedup();
        let mut touched = std::mem::replace(&mut self.slot_shards[slot as usize], mine.clone());
        touched.extend(mine);
        touched.sort_unstable();
        touched.dedup();
        let mut changed = Vec::new();
        for shard in touched {
            let n = shard as usize;
            let start = fresh.partition_point(|p| p.slot < shard);
            let end = fresh.partition_point(|p| p.slot <= shard);
            let new: Vec<Posting> = fresh[start..end].iter().map(|p| Posting { slot, ..*p }).collect();
            let postings = &mut self.shards[n].postings;
            let old = postings.iter().filter(|p| p.slot == slot);
            if old.clone().count() == new.len() && old.eq(&new) {
                continue;
            }
            // The other slots' postings stay sorted; the new ones are merged in.
            postings.retain(|p| p.slot != slot);
            let mut merged = Vec::with_capacity(postings.len() + new.len());
            let mut new = new.into_iter().peekable();
            for posting in postings.drain(..) {
                while let Some(next) = new.next_if(|n| n.order() < posting.order()) {
                    merged.push(next);
                }
                merged.push(posting);
            }
            merged.extend(new);
            *postings = merged;
            changed.push(n);
        }
        let common = self.common;
        let mut redo: Vec<(usize, &mut Shard)> =
            self.shards.iter_mut().enumerate().filter(|(n, _)| changed.binary_search(n).is_ok()).collect();
        redo.par_iter_mut().for_each(|(n, shard)| shard.file = encode_shard(*n, &shard.postings, common));
        changed
    }
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
    use super::*;

    fn all_terms(text: &str, unigrams: bool) -> Vec<String> {
        let mut found = Vec::new();
        terms(text, unigrams, |t| found.push(t.to_string()));
        found
    }

    #[test]
    fn chinese_is_split_into_overlapping_pairs() {
        assert_eq!(all_terms("东大街12号", false), ["东大", "大街", "12"]);
        assert_eq!(all_terms("李建国", true), ["李", "建", "李建", "国", "建国"]);
        assert_eq!(all_terms("3号楼 Room-B", false), ["3", "号楼", "room", "b"]);
        // Masked names give no pair: the hidden character cannot be searched for.
        assert_eq!(all_terms("赵*兰", false), Vec::<String>::new());
        // Full-width digits and letters read as ASCII.
        assert_eq!(all_terms("１２号ＡＢ", false), ["12", "ab"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(all_terms(&long, false), ["a".repeat(MAX_WORD)]);
    }

    #[test]
    fn queries_use_single_characters_only_alone() {
        assert_eq!(query_terms("东大街"), ["东大", "大街"]);
        assert_eq!(query_terms("王"), ["王"]);
        assert_eq!(query_terms("12号"), ["12"]);
        assert_eq!(query_terms("王 李"), ["王", "李"]);
        assert_eq!(query_terms("  "), Vec::<String>::new());
        assert_eq!(query_terms("大街 大街"), ["大街"]);
    }

    #[test]
    fn shard_hash_matches_the_browser() {
        // Values computed with search.js's `hash` in node.
        assert_eq!(shard_of("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert!(shard_of("东大", 7) < 7);
    }

    /// The minimal test fixture: one unit, five members (m04 without consent).
    fn minimal() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let (site, diagnostics) = crate::content::load(&root, Default::default());
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        site.expect("the fixture loads")
    }

    fn files(index: &Index) -> Vec<Vec<u8>> {
        (0..index.shard_count()).map(|n| index.shard(n).to_vec()).collect()
    }

    #[test]
    fn names_are_shown_as_member_pages_show_them() {
        let site = minimal();
        let unit = &site.units[0];
        for member in &unit.info.members {
            let page = crate::render::views::MemberRef::new(unit, member).name;
            assert_eq!(shown_name(member), page, "{}", member.id);
        }
    }

    #[test]
    fn members_without_consent_have_no_record_and_their_name_no_term() {
        let site = minimal();
        let records = unit_records(&site, 0);
        assert!(records.iter().all(|r| r.title != "赵桂兰" && r.title != "赵*兰"));
        assert!(!records.iter().any(|r| r.local == 2 * 3 + 2), "m04 is the fourth member");
        let zone = records.iter().find(|r| r.title == "西街片区").expect("zone z2");
        assert_eq!(zone.fields[2], "张志强、赵*兰");
        let chunk = String::from_utf8(chunk_js(&site, Scope::Unit(0))).unwrap();
        assert!(!chunk.contains("赵桂兰") && !chunk.contains("桂兰"), "{chunk}");
        let index = Index::build(&site);
        let all: String = files(&index).iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        assert!(!all.contains("赵桂") && !all.contains("桂兰"), "{all}");
    }

    #[test]
    fn a_unit_update_gives_the_files_of_a_fresh_build() {
        let mut site = minimal();
        let mut index = Index::build(&site);
        // Renaming a member changes few shards; inserting one first moves every member's record.
        site.units[0].info.members[1].name = "王秀芳".into();
        let changed = index.update_unit(&site, 0);
        assert_eq!(changed, vec![0], "one shard on a small site");
        assert_eq!(files(&index), files(&Index::build(&site)));
        let mut first = site.units[0].info.members[0].clone();
        first.id = "m00".into();
        first.name = "钱多多".into();
        site.units[0].info.members.insert(0, first);
        index.update_unit(&site, 0);
        assert_eq!(files(&index), files(&Index::build(&site)));
        // No change, no file to redo.
        assert_eq!(index.update_unit(&site, 0), Vec::<usize>::new());
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
        let mut index = Index::build(&site);
        assert!(index.shard_count() >= 4, "{}", index.shard_count());
        site.units[57].info.members[2].name = "张志刚".into();
        let changed = index.update_unit(&site, 57);
        assert!(!changed.is_empty() && changed.len() < index.shard_count(), "{changed:?}");
        assert_eq!(files(&index), files(&Index::build(&site)));
        site.units[57].zones[0].area = Some("南大街1号至9号".into());
        site.units[57].info.members.remove(0);
        index.update_unit(&site, 57);
        assert_eq!(files(&index), files(&Index::build(&site)));
    }

    #[test]
    fn chunks_hold_what_results_show() {
        let site = minimal();
        let chunk = String::from_utf8(chunk_js(&site, Scope::Unit(0))).unwrap();
        let expected = concat!(
            r#"gongkaiSearch.chunk(1,[["u","东王庄村","nanhe-zhen/dongwang/index.html","农村","南河镇"],"#,
            r#"["z","东街片区","z1","东大街1号至28号",[2,4]],"#,
            r#"["m","李建国","m01","第一党小组","支部书记",[1]],"#,
            r#"["z","西街片区","z2","西大街1号至30号",[6,"赵*兰"]],"#,
            r#"["m","王秀英","m02","第一党小组","",[1]],null,"#,
            r#"["m","张志强","m03","第二党小组","",[3]],null,null,null,"#,
            r#"["m","李德胜","m05","第一党小组","",[]]]);"#,
            "\n"
        );
        assert_eq!(chunk, expected);
        let sections = String::from_utf8(chunk_js(&site, Scope::County)).unwrap();
        assert_eq!(sections, "gongkaiSearch.chunk(0,[[\"s\",\"南河镇\",\"nanhe-zhen/index.html\",\"\"]]);\n");
    }

    #[test]
    fn hostile_text_in_chunks_stays_inert() {
        let mut site = minimal();
        site.units[0].zones[0].area = Some("</script><script>alert(1)</script>\u{2028}".into());
        let chunk = String::from_utf8(chunk_js(&site, Scope::Unit(0))).unwrap();
        assert!(!chunk.contains('<') && !chunk.contains('\u{2028}'), "{chunk}");
        assert!(chunk.contains("\\u003c/script>"), "{chunk}");
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
        let index = Index::build(&site);
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
