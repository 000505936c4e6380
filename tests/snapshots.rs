//! Snapshots of the `<main>` element of the minimal fixture's main page types, where the whole
//! page matters. Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test`
//! and `git diff tests/snapshots/`).

mod common;

use common::{Site, UNIT_OUT, main_of};

/// The `<main>` element of one page of the minimal fixture's unit.
fn page(site: &Site, page: &str) -> String {
    main_of(&site.output(&format!("{UNIT_OUT}/{page}"))).to_string()
}

#[test]
fn main_of_unit_pages() {
    let site = Site::minimal();
    site.build_clean();
    insta::assert_snapshot!("unit_home", page(&site, "index.html"));
    insta::assert_snapshot!("zones", page(&site, "zones/index.html"));
    insta::assert_snapshot!("posts", page(&site, "posts/index.html"));
    insta::assert_snapshot!("assessment_2016", page(&site, "assessments/2016/index.html"));
    insta::assert_snapshot!("member_m01", page(&site, "members/m01/index.html"));
    insta::assert_snapshot!("member_m05_exempt", page(&site, "members/m05/index.html"));
}
