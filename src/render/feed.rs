//! Atom feeds of notices and published results, for the county, each section and each unit.
//!
//! A unit's entries are made by the per-unit stage (its own feed shows them, and its digest
//! carries them); the county's and sections' feeds pick the newest from their own notices and
//! the digests of the units below them.

use crate::content::model::{Notice, Site, Unit, county_issuer, section_issuer, unit_issuer};
use crate::date::Date;
use crate::pipeline::UnitDigest;
use crate::plan::{Page, PageKind, Scope, notice_url};
use serde::Serialize;

/// The newest entries a feed keeps; a feed is for news, not an archive.
pub const FEED_LENGTH: usize = 50;

/// One entry: a notice, or a unit's results entering their notice period.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Entry {
    pub title: String,
    /// Below the site root, e.g. `nanhe-zhen/notices/x/`.
    pub url: String,
    pub date: Date,
    pub source: String,
    pub content_html: String,
}

/// Something a feed can show, found before any of its text is formatted: the county feed at city
/// scale looks at thousands of them and keeps 50, so only the kept ones become entries.
#[derive(Clone)]
enum Source<'a> {
    Notice { notice: &'a Notice, level_url: String, source: &'a str },
    Results { unit: &'a Unit, year: i32, published: Date, last_day: Option<Date> },
}

impl Source<'_> {
    fn date(&self) -> Date {
        match self {
            Source::Notice { notice, .. } => notice.date,
            Source::Results { published, .. } => *published,
        }
    }

    fn entry(self) -> Entry {
        match self {
            Source::Notice { notice, level_url, source } => Entry {
                title: notice.title.clone(),
                url: notice_url(&level_url, &notice.slug),
                date: notice.date,
                source: notice.issuer_or(source).to_string(),
                content_html: super::notice_html(notice).to_string(),
            },
            Source::Results { unit, year, published, last_day } => {
                let period =
                    last_day.map(|last| format!("公示期 {published} 至 {last}。")).unwrap_or_default();
                Entry {
                    title: format!("{}{year}年党员考核评比结果公示", unit.info.name),
                    url: format!("{}/assessments/{year}/", unit.path),
                    date: published,
                    source: unit.info.name.clone(),
                    content_html: format!("<p>{period}</p>"),
                }
            }
        }
    }
}

fn by_date_then_url(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url))
}

/// The newest entries of a unit: its notices and its results' notice periods.
pub fn unit_entries(unit: &Unit) -> Vec<Entry> {
    let url = format!("{}/", unit.path);
    let notices = unit.notices.iter().map(|notice| Source::Notice {
        notice,
        level_url: url.clone(),
        source: unit_issuer(unit),
    });
    let results = unit.assessments.iter().filter_map(|a| {
        Some(Source::Results { unit, year: a.data.year, published: a.data.published?, last_day: a.last_day })
    });
    super::newest::newest(notices.chain(results), Source::date, FEED_LENGTH, Source::entry, by_date_then_url)
}

/// A unit's feed title.
pub fn unit_title(site: &Site, unit: &Unit) -> String {
    format!("{} - {}", unit.info.name, site.config.title)
}

/// Title, level URL and newest entries of the county's or a section's feed: its own notices (and
/// for the county, the sections'), and the entries of the units below it.
pub fn level_entries(site: &Site, scope: Scope, digests: &[UnitDigest]) -> (String, String, Vec<Entry>) {
    let mut own = Vec::new();
    let (title, url, units) = match scope {
        Scope::County => {
            own.extend(site.notices.iter().map(|notice| Source::Notice {
                notice,
                level_url: String::new(),
                source: county_issuer(&site.config),
            }));
            for section in &site.sections {
                let url = format!("{}/", section.path);
                own.extend(section.notices.iter().map(|notice| Source::Notice {
                    notice,
                    level_url: url.clone(),
                    source: section_issuer(section),
                }));
            }
            (site.config.title.clone(), String::new(), (0..digests.len()).collect())
        }
        Scope::Section(s) => {
            let section = &site.sections[s];
            let url = format!("{}/", section.path);
            own.extend(section.notices.iter().map(|notice| Source::Notice {
                notice,
                level_url: url.clone(),
                source: section_issuer(section),
            }));
            (format!("{} - {}", section.name, site.config.title), url, super::units_below(site, s))
        }
        Scope::Unit(_) => unreachable!("a unit's feed is made by the per-unit stage"),
    };
    // The county's and sections' own notices are few; the units' entries are made already.
    #[derive(Clone)]
    enum Item<'a> {
        Own(Source<'a>),
        Unit(&'a Entry),
    }
    let items = own
        .into_iter()
        .map(Item::Own)
        .chain(units.into_iter().flat_map(|u| digests[u].feed.iter().map(Item::Unit)));
    let entries = super::newest::newest(
        items,
        |item| match item {
            Item::Own(source) => source.date(),
            Item::Unit(entry) => entry.date,
        },
        FEED_LENGTH,
        |item| match item {
            Item::Own(source) => source.entry(),
            Item::Unit(entry) => entry.clone(),
        },
        by_date_then_url,
    );
    (title, url, entries)
}

/// The feed a page links to with `<link rel="alternate">`: its unit's, its section's or the county's.
pub fn url_for(site: &Site, page: &Page) -> String {
    match (&page.kind, page.unit()) {
        (_, Some(u)) => format!("{}/atom.xml", site.units[u].path),
        (PageKind::Section(s), _)
        | (PageKind::Notice(Scope::Section(s), _), _)
        | (PageKind::NoticeArchive(Scope::Section(s), _), _) => {
            format!("{}/atom.xml", site.sections[*s].path)
        }
        _ => "atom.xml".to_string(),
    }
}
