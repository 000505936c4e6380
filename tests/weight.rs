//! Page weight: a resident on a phone pays for every byte, often on a weak signal. A unit page's
//! HTML plus the CSS it loads, each gzipped as a static host sends it, stays under 30 KB, for every
//! unit of the sample county and for a synthetic village of 100+ members.

mod common;

use common::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write as _;

/// The budget of one unit page: HTML + CSS, gzipped.
const LIMIT: usize = 30 * 1024;

/// Bytes of `data` gzipped at the level most servers use (6).
fn gzipped(data: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap().len()
}

/// The stylesheets a page loads (`<link rel="stylesheet" href="…">`), relative to the output folder.
fn stylesheets(page: &str, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<link ") {
        rest = &rest[at..];
        let end = rest.find('>').expect("closing >");
        let tag = &rest[..end];
        if tag.contains("rel=\"stylesheet\"") {
            let href = links(tag).into_iter().next().expect("stylesheet without href");
            found.push(
                resolve(page, &href).unwrap_or_else(|| panic!("{page}: stylesheet {href} outside the site")),
            );
        }
        rest = &rest[end..];
    }
    found
}

/// (unit page, HTML gzipped, CSS gzipped) for every unit page of a built site.
fn unit_page_weights(site: &Site) -> Vec<(String, usize, usize)> {
    let mut weights = Vec::new();
    for path in site.tree("output").into_keys() {
        let Some(unit) = path.strip_suffix("data.json") else { continue };
        let page = format!("{unit}index.html");
        let html = site.output(&format!("output/{page}"));
        let sheets = stylesheets(&page, &html);
        assert!(!sheets.is_empty(), "{page} loads no stylesheet");
        let css: usize =
            sheets.iter().map(|s| gzipped(&std::fs::read(site.path(&format!("output/{s}"))).unwrap())).sum();
        weights.push((page, gzipped(html.as_bytes()), css));
    }
    assert!(!weights.is_empty(), "no unit pages found");
    weights
}

#[track_caller]
fn assert_under_budget(weights: &[(String, usize, usize)]) {
    let report: Vec<String> = weights
        .iter()
        .map(|(page, html, css)| format!("{page}: HTML {html} B + CSS {css} B = {} B gzipped", html + css))
        .collect();
    eprintln!("{}", report.join("\n"));
    let over: Vec<&String> = weights
        .iter()
        .zip(&report)
        .filter(|((_, html, css), _)| html + css >= LIMIT)
        .map(|(_, line)| line)
        .collect();
    assert!(over.is_empty(), "unit pages over {LIMIT} B gzipped:\n{over:#?}");
}

#[test]
fn sample_unit_pages_are_under_30_kb_gzipped() {
    let site = Site::sample();
    site.build().code(0);
    let weights = unit_page_weights(&site);
    assert_eq!(weights.len(), 8, "the sample county has 8 units");
    assert_under_budget(&weights);
}

#[test]
fn unit_page_of_a_large_village_is_under_30_kb_gzipped() {
    let (site, unit) = common::synth::large_unit_site();
    let weights = unit_page_weights(&site);
    let large: Vec<_> = weights.into_iter().filter(|(page, _, _)| page.starts_with(&unit)).collect();
    assert_eq!(large.len(), 1);
    assert_under_budget(&large);
}

/// The measure itself: gzip really compresses, and a page over the budget is caught.
#[test]
fn the_weight_measure_can_fail() {
    assert!(gzipped(&[b'a'; 10_000]) < 100);
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let noise: Vec<u8> = (0..40_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    assert!(gzipped(&noise) > LIMIT);
    assert_eq!(
        stylesheets("a/b/index.html", "<link rel=\"stylesheet\" href=\"../../assets/style.css\">"),
        ["assets/style.css"]
    );
}
