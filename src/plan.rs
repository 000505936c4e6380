//! The site map as data: every output file with what it shows. The plan owns every file name:
//! a unit's files ([`unit_pages`]), the pages that sum units up ([`site_pages`]), the search
//! files and the sitemaps. Build, `serve`, the sitemap and the digests all read these lists.

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
    /// Page `n` (1-based) of the notice archive of the county or a section, newest first.
    NoticeArchive(Scope, usize),
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

    /// A results page or a member's page: what `noindex_results` keeps out of search engines.
    pub fn is_results(&self) -> bool {
        matches!(self.kind, PageKind::Assessment(..) | PageKind::Member(..))
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

/// How many notices one page of a notice archive lists.
pub const ARCHIVE_PAGE: usize = 20;

/// Folder of page `n` (1-based) of a level's notice archive: `notices/`, then `notices/page/2/`.
/// A notice named `page` would be `notices/page/`, a different folder.
pub fn archive_url(level_url: &str, n: usize) -> String {
    if n <= 1 { format!("{level_url}notices/") } else { format!("{level_url}notices/page/{n}/") }
}

/// The sections whose notices the archive of `scope` lists besides the county's own (the county:
/// every section; a section: itself and the sections below it). Units' notices are on their pages.
pub fn archive_sections(site: &Site, scope: Scope) -> Vec<usize> {
    match scope {
        Scope::Section(s) => {
            let mut found = vec![s];
            let mut i = 0;
            while i < found.len() {
                found.extend(site.sections[found[i]].subsections.iter().copied());
                i += 1;
            }
            found
        }
        _ => (0..site.sections.len()).collect(),
    }
}

/// How many pages the notice archive of `scope` has: none when the level has no notices.
pub fn archive_pages(site: &Site, scope: Scope) -> usize {
    let own = if scope == Scope::County { site.notices.len() } else { 0 };
    let notices =
        own + archive_sections(site, scope).iter().map(|s| site.sections[*s].notices.len()).sum::<usize>();
    notices.div_ceil(ARCHIVE_PAGE)
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
    let chunk = Scope::Unit(u);
    pages.push(Page { file: search_chunk_file(chunk), kind: PageKind::SearchChunk(chunk) });
    pages
}

/// The search records of a unit (slot `u + 1`), or with `Scope::County` of the sections (slot 0).
pub fn search_chunk_file(scope: Scope) -> String {
    match scope {
        Scope::Unit(u) => format!("search/c/{}.js", u + 1),
        Scope::County | Scope::Section(_) => "search/c/0.js".to_string(),
    }
}

/// One shard of the search index's postings.
pub fn search_shard_file(n: usize) -> String {
    format!("search/s/{n}.js")
}

/// One file of the search index's street ranges.
pub fn search_ranges_file(n: usize) -> String {
    format!("search/r/{n}.js")
}

/// Every file of the site but the units' own, in a stable order: the county's and sections'
/// pages, the theme's assets and the search index's `shards` shard files and `ranges` range
/// files. The sitemap files
/// come from [`sitemap_pages`] once the number of addresses is known.
pub fn site_pages(site: &Site, assets: &[String], shards: usize, ranges: usize) -> Vec<Page> {
    let sections_chunk = Scope::County;
    let mut pages = vec![
        Page::html(String::new(), PageKind::Home),
        Page::html("about/".into(), PageKind::About),
        Page::html("disclosure/".into(), PageKind::Disclosure),
        Page::html("search/".into(), PageKind::Search),
        Page { file: search_chunk_file(sections_chunk), kind: PageKind::SearchChunk(sections_chunk) },
        Page { file: "404.html".into(), kind: PageKind::NotFound },
        Page { file: "robots.txt".into(), kind: PageKind::Robots },
        Page { file: "atom.xml".into(), kind: PageKind::Feed(Scope::County) },
    ];
    for (i, notice) in site.notices.iter().enumerate() {
        pages.push(Page::html(notice_url("", &notice.slug), PageKind::Notice(Scope::County, i)));
    }
    for n in 1..=archive_pages(site, Scope::County) {
        pages.push(Page::html(archive_url("", n), PageKind::NoticeArchive(Scope::County, n)));
    }
    for (s, section) in site.sections.iter().enumerate() {
        let url = format!("{}/", section.path);
        for (i, notice) in section.notices.iter().enumerate() {
            pages.push(Page::html(notice_url(&url, &notice.slug), PageKind::Notice(Scope::Section(s), i)));
        }
        for n in 1..=archive_pages(site, Scope::Section(s)) {
            pages.push(Page::html(archive_url(&url, n), PageKind::NoticeArchive(Scope::Section(s), n)));
        }
        pages.push(Page { file: format!("{url}atom.xml"), kind: PageKind::Feed(Scope::Section(s)) });
        pages.push(Page::html(url, PageKind::Section(s)));
    }
    for asset in assets {
        pages.push(Page { file: format!("assets/{asset}"), kind: PageKind::Asset(asset.clone()) });
    }
    for n in 0..shards {
        pages.push(Page { file: search_shard_file(n), kind: PageKind::SearchShard(n) });
    }
    for n in 0..ranges {
        pages.push(Page { file: search_ranges_file(n), kind: PageKind::SearchRanges(n) });
    }
    pages
}

/// A unit's files as its digest keeps them: the names below the unit's folder, in plan order,
/// each marked with whether the sitemap lists it (about 1 KB for a village of 40 members, where a
/// list of `Page`s took several). The unit's search chunk is the one file outside its folder; it
/// is implied.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnitFiles {
    /// `+name\n` for a page in the sitemap, ` name\n` for any other file.
    names: String,
}

impl UnitFiles {
    /// The files of `pages` (a unit's, from [`unit_pages`]) below `unit_path`.
    pub fn new(unit_path: &str, pages: &[Page], noindex_results: bool) -> UnitFiles {
        let prefix = format!("{unit_path}/");
        let mut names = String::with_capacity(pages.len() * 24);
        for page in pages {
            if let Some(name) = page.file.strip_prefix(&prefix) {
                let listed = page.in_sitemap() && !(noindex_results && page.is_results());
                names.push(if listed { '+' } else { ' ' });
                names.push_str(name);
                names.push('\n');
            }
        }
        UnitFiles { names }
    }

    /// Each file's name below the unit's folder, and whether the sitemap lists it.
    pub fn iter(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        self.names.lines().map(|line| (&line[1..], line.starts_with('+')))
    }

    /// How many files, the search chunk included.
    pub fn count(&self) -> usize {
        self.names.lines().count() + 1
    }

    /// How many of them the sitemap lists.
    pub fn in_sitemap(&self) -> usize {
        self.names.lines().filter(|line| line.starts_with('+')).count()
    }

    /// Every file's path below the output folder, the chunk of slot `u + 1` last.
    pub fn paths<'a>(&'a self, unit_path: &'a str, u: usize) -> impl Iterator<Item = String> + 'a {
        self.iter()
            .map(move |(name, _)| format!("{unit_path}/{name}"))
            .chain(std::iter::once(search_chunk_file(Scope::Unit(u))))
    }
}

/// `sitemap.xml`, and its parts when the site has more addresses than one sitemap may hold.
pub fn sitemap_pages(urls: usize) -> Vec<Page> {
    let mut sitemaps = vec![Page { file: "sitemap.xml".into(), kind: PageKind::Sitemap(None) }];
    if urls > SITEMAP_LIMIT {
        for part in 1..=urls.div_ceil(SITEMAP_LIMIT) {
            sitemaps.push(Page { file: format!("sitemap-{part}.xml"), kind: PageKind::Sitemap(Some(part)) });
        }
    }
    sitemaps
}
