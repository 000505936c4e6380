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
//!
//! - [`terms`]: how text and queries are split into terms (the same rules as `search.js`);
//! - [`records`]: what each section, unit, zone and member is found by, as a unit's postings;
//! - [`chunk`]: what each result shows, one file per unit;
//! - [`index`]: the postings of every unit filed into shards, and kept current for `serve`;
//! - [`ranges`]: the street ranges of zone areas, read only by queries with a house number.
//!
//! File names are the plan's (`plan::search_shard_file`, `plan::search_ranges_file`,
//! `plan::search_chunk_file`).

pub mod chunk;
pub mod index;
pub mod ranges;
pub mod records;
pub mod terms;

pub use chunk::{sections_chunk, unit_chunk};
pub use index::{Index, shard_count};
pub use ranges::{RangeEntry, Ranges, unit_ranges};
pub use records::{UnitPostings, section_postings, unit_postings};
pub use terms::{query_terms, shard_of, terms};

/// The site of `tests/fixtures/minimal` (one unit, five members, m04 without consent) and its
/// index, for the unit tests of the search modules.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::pipeline::{Loaded, load_all};

    pub fn minimal() -> Loaded {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let (loaded, diagnostics) = load_all(&root, Default::default());
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        loaded.expect("the fixture loads")
    }

    /// The slots of the site: the sections, then each unit.
    pub fn slots(loaded: &Loaded) -> Vec<UnitPostings> {
        std::iter::once(section_postings(&loaded.site))
            .chain(loaded.units.iter().map(|unit| unit_postings(&loaded.site, unit)))
            .collect()
    }

    pub fn index(loaded: &Loaded, keep: bool) -> Index {
        let slots = slots(loaded);
        let ranges: Vec<Vec<RangeEntry>> = loaded.units.iter().map(unit_ranges).collect();
        let ranges: Vec<&[RangeEntry]> = ranges.iter().map(Vec::as_slice).collect();
        Index::build(&slots.iter().collect::<Vec<_>>(), &ranges, keep)
    }

    pub fn files(index: &Index) -> Vec<Vec<u8>> {
        (0..index.shard_count()).map(|n| index.shard(n).to_vec()).collect()
    }
}
