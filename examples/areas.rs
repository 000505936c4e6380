//! How many zone areas of a site read as ranges (`gongkai::rules::area`): the figure behind
//! "search by house number" (docs/architecture.md, "Search").
//!
//! ```text
//! cargo run --release --example areas -- .             # the sample county
//! cargo run --release --example areas -- /tmp/county   # a synthetic site root
//! ```
//!
//! Prints the zones, those with an `area`, those whose area holds a digit, those that read
//! into at least one range (and into a range the search index keeps: a street, row or
//! building), those with a number `check` warns about, and a few areas of each kind that hold
//! a digit but read into no range. Then the time the index takes with and without the range
//! files (the best of five runs, so a busy machine disturbs it less), and their bytes.

use gongkai::rules::area::{self, Kind};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: areas SITE_ROOT   (the folder that holds content/)");
        return ExitCode::from(2);
    };
    let (site, diagnostics) = gongkai::pipeline::load_all(&root, Default::default());
    let Some(site) = site else {
        for d in diagnostics.errors() {
            eprintln!("{d}");
        }
        return ExitCode::from(1);
    };
    let (mut zones, mut with_area, mut with_digit, mut read, mut indexed, mut warned) = (0, 0, 0, 0, 0, 0);
    let mut digit_read = 0;
    let mut unread: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for zone in site.units.iter().flat_map(|u| &u.zones) {
        zones += 1;
        let Some(text) = zone.area.as_deref().filter(|a| !a.trim().is_empty()) else { continue };
        with_area += 1;
        let digit = text.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        with_digit += usize::from(digit);
        let reading = area::read(text);
        read += usize::from(!reading.places.is_empty());
        digit_read += usize::from(digit && !reading.places.is_empty());
        let kept = |p: &area::Place| {
            p.levels.first().is_none_or(|l| matches!(l.kind, Kind::House | Kind::Row | Kind::Building))
        };
        indexed += usize::from(reading.places.iter().any(kept));
        warned += usize::from(!reading.problems.is_empty());
        if digit && reading.places.is_empty() {
            let shape: String = text.chars().map(|c| if c.is_ascii_digit() { 'N' } else { c }).collect();
            let shape = shape.split('N').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("N");
            unread.entry(shape).or_insert((0, text.to_string())).0 += 1;
        }
    }
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 };
    println!("zones: {zones}, with an area: {with_area}, area holds a digit: {with_digit}");
    println!(
        "read into ranges: {read} ({:.1} % of areas); of the areas with a digit: {digit_read} ({:.1} %)",
        share(read, with_area),
        share(digit_read, with_digit)
    );
    println!(
        "with a street, row or building range (indexed): {indexed} ({:.1} %)",
        share(indexed, with_area)
    );
    println!("with a number check warns about: {warned} ({:.1} %)", share(warned, with_area));
    let mut unread: Vec<(usize, String)> = unread.into_values().collect();
    unread.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (count, example) in unread.iter().take(12) {
        println!("  not read ({count}): {example}");
    }
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let start = std::time::Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    use gongkai::search::{self, RangeEntry, UnitPostings};
    let postings: Vec<UnitPostings> = std::iter::once(search::section_postings(&site.site))
        .chain(site.units.iter().map(|u| search::unit_postings(&site.site, u)))
        .collect();
    let slots: Vec<&UnitPostings> = postings.iter().collect();
    let entries: Vec<Vec<RangeEntry>> = site.units.iter().map(search::unit_ranges).collect();
    let ranges_of: Vec<&[RangeEntry]> = entries.iter().map(Vec::as_slice).collect();
    let records: usize = slots.iter().map(|p| p.records as usize).sum();
    let files = search::ranges::file_count(search::shard_count(records));
    let index = best(&|| drop(search::Index::build(&slots, &ranges_of, false)));
    let ranges = best(&|| {
        let entries: Vec<Vec<RangeEntry>> = site.units.iter().map(search::unit_ranges).collect();
        let slices: Vec<&[RangeEntry]> = entries.iter().map(Vec::as_slice).collect();
        drop(search::Ranges::build(&slices, files))
    });
    let built = search::Ranges::build(&ranges_of, files);
    let sizes: Vec<usize> = (0..built.count()).map(|n| built.file(n).len()).collect();
    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    println!(
        "index build {index:.3} s, of which range files {ranges:.3} s; {files} range files, {} bytes, median {} B, largest {} B",
        sizes.iter().sum::<usize>(),
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1]
    );
    ExitCode::SUCCESS
}
