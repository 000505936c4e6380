//! The site map as data: every output file with what it shows. Build, sitemap and `serve` all
//! read this one list.

use crate::content::model::{Site, Unit};

/// Which level a notice belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    County,
    Section(usize),
    Unit(usize),
}

/// What a page shows; indices point into the [`Site`]'s lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Home,
    About,
    Disclosure,
    NotFound,
    /// `sitemap.xml`; `Some(i)`: the i-th part (1-based) when the site has more URLs than one
    /// sitemap may hold, and `sitemap.xml` is then an index of the parts.
    Sitemap(Option<usize>),
    Robots,
    Section(usize),
    Unit(usize),
    Zones(usize),
    Posts(usize),
    /// A unit's results of one year; the second index is into `Unit::assessments`.
    Assessment(usize, usize),
    /// A member's page; the second index is into the unit's members.
    Member(usize, usize),
    UnitData(usize),
    Notice(Scope, usize),
    /// The printable A4 notice (公示栏) of a unit's current results.
    PrintNotice(usize),
    /// A printable sign for a zone; the second index is into `Unit::zones`.
    ZoneSign(usize, usize),
    /// An Atom feed of notices and published results at one level.
    Feed(Scope),
    /// A file of the theme's `static/` folder, by its name there.
    Asset(String),
    /// The search page, `search/index.html`.
    Search,
    /// One shard of the search index's postings (`search/s/<n>.js`).
    SearchShard(usize),
    /// One file of the search index's street ranges (`search/r/<n>.js`), read by queries with
    /// a house number.
    SearchRanges(usize),
    /// The search records of a unit, or with `Scope::County` of the sections (`search/c/<slot>.js`).
    SearchChunk(Scope),
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path of the file below the output folder, e.g. `nanhe-zhen/dongwangzhuang/index.html`.
    pub file: String,
    pub kind: PageKind,
}

impl Page {
    fn html(url: String, kind: PageKind) -> Page {
        Page { file: format!("{url}index.html"), kind }
    }

    /// The page's address below the site root as readers see it (`a/b/`), empty for the home page.
    pub fn url(&self) -> &str {
        self.file.strip_suffix("index.html").unwrap_or(&self.file)
    }

    /// The unit whose content this page shows, if any.
    pub fn unit(&self) -> Option<usize> {
        match self.kind {
            PageKind::Unit(u)
            | PageKind::Zones(u)
            | PageKind::Posts(u)
            | PageKind::Assessment(u, _)
            | PageKind::Member(u, _)
            | PageKind::UnitData(u)
            | PageKind::PrintNotice(u)
            | PageKind::ZoneSign(u, _)
            | PageKind::Feed(Scope::Unit(u))
            | PageKind::SearchChunk(Scope::Unit(u))
            | PageKind::Notice(Scope::Unit(u), _) => Some(u),
            _ => None,
        }
    }

    /// Whether this is an HTML page listed in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        self.file.ends_with("index.html")
            && !matches!(self.kind, PageKind::NotFound | PageKind::PrintNotice(_) | PageKind::ZoneSign(..))
    }
}

/// The most URLs one sitemap file may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// Folder of a notice: `notices/<slug>/` below its level.
pub fn notice_url(level_url: &str, slug: &str) -> String {
    format!("{level_url}notices/{slug}/")
}

/// The files of one unit, in plan order.
pub fn unit_pages(unit: &Unit, u: usize) -> Vec<Page> {
    let url = format!("{}/", unit.path);
    let mut pages = vec![
        Page::html(url.clone(), PageKind::Unit(u)),
        Page::html(format!("{url}zones/"), PageKind::Zones(u)),
        Page::html(format!("{url}posts/"), PageKind::Posts(u)),
    ];
    for (a, assessment) in unit.assessments.iter().enumerate() {
        pages.push(Page::html(
            format!("{url}assessments/{}/", assessment.data.year),
            PageKind::Assessment(u, a),
        ));
    }
    for (m, member) in unit.info.members.iter().enumerate() {
        pages.push(Page::html(format!("{url}members/{}/", member.id), PageKind::Member(u, m)));
    }
    for (i, notice) in unit.notices.iter().enumerate() {
        pages.push(Page::html(notice_url(&url, &notice.slug), PageKind::Notice(Scope::Unit(u), i)));
    }
    pages.push(Page::html(format!("{url}notice/"), PageKind::PrintNotice(u)));
    for (z, zone) in unit.zones.iter().enumerate() {
        pages.push(Page::html(format!("{url}signs/{}/", zone.id), PageKind::ZoneSign(u, z)));
    }
    pages.push(Page { file: format!("{url}atom.xml"), kind: PageKind::Feed(Scope::Unit(u)) });
    pages.push(Page { file: format!("{url}data.json"), kind: PageKind::UnitData(u) });
    let chunk = PageKind::SearchChunk(Scope::Unit(u));
    pages.push(Page { file: crate::search::chunk_file(Scope::Unit(u)), kind: chunk });
    pages
}

/// Lists every file the site consists of, in a stable order.
pub fn plan(site: &Site, assets: &[String]) -> Vec<Page> {
    let mut pages = vec![
        Page::html(String::new(), PageKind::Home),
        Page::html("about/".into(), PageKind::About),
        Page::html("disclosure/".into(), PageKind::Disclosure),
        Page::html("search/".into(), PageKind::Search),
        Page { file: crate::search::chunk_file(Scope::County), kind: PageKind::SearchChunk(Scope::County) },
        Page { file: "404.html".into(), kind: PageKind::NotFound },
        Page { file: "robots.txt".into(), kind: PageKind::Robots },
        Page { file: "atom.xml".into(), kind: PageKind::Feed(Scope::County) },
    ];
    for (i, notice) in site.notices.iter().enumerate() {
        pages.push(Page::html(notice_url("", &notice.slug), PageKind::Notice(Scope::County, i)));
    }
    for (s, section) in site.sections.iter().enumerate() {
        let url = format!("{}/", section.path);
        for (i, notice) in section.notices.iter().enumerate() {
            pages.push(Page::html(notice_url(&url, &notice.slug), PageKind::Notice(Scope::Section(s), i)));
        }
        pages.push(Page { file: format!("{url}atom.xml"), kind: PageKind::Feed(Scope::Section(s)) });
        pages.push(Page::html(url, PageKind::Section(s)));
    }
    for (u, unit) in site.units.iter().enumerate() {
        pages.extend(unit_pages(unit, u));
    }
    for asset in assets {
        pages.push(Page { file: format!("assets/{asset}"), kind: PageKind::Asset(asset.clone()) });
    }
    for n in 0..crate::search::shard_count(site) {
        pages.push(Page { file: format!("search/s/{n}.js"), kind: PageKind::SearchShard(n) });
    }
    for n in 0..crate::search::ranges::file_count(crate::search::shard_count(site)) {
        pages.push(Page { file: format!("search/r/{n}.js"), kind: PageKind::SearchRanges(n) });
    }
    let sitemaps = sitemap_pages(&pages);
    pages.extend(sitemaps);
    pages
}

/// `sitemap.xml`, and its parts when the other pages have more URLs than one sitemap may hold.
pub fn sitemap_pages(pages: &[Page]) -> Vec<Page> {
    let urls = pages.iter().filter(|p| p.in_sitemap()).count();
    let mut sitemaps = vec![Page { file: "sitemap.xml".into(), kind: PageKind::Sitemap(None) }];
    if urls > SITEMAP_LIMIT {
        for part in 1..=urls.div_ceil(SITEMAP_LIMIT) {
            sitemaps.push(Page { file: format!("sitemap-{part}.xml"), kind: PageKind::Sitemap(Some(part)) });
        }
    }
    sitemaps
}
