//! Atom feeds of notices and published results, for the county, each section and each unit.

use crate::content::model::{Assessment, Notice, Site, Unit};
use crate::date::Date;
use crate::plan::{Page, PageKind, Scope, notice_url};
use serde::Serialize;

/// The newest entries a feed keeps; a feed is for news, not an archive.
const FEED_LENGTH: usize = 50;

/// One entry: a notice, or a unit's results entering their notice period.
#[derive(Debug, Clone, Serialize)]
pub struct Entry<'a> {
    pub title: std::borrow::Cow<'a, str>,
    /// Below the site root, e.g. `nanhe-zhen/notices/x/`.
    pub url: String,
    pub date: Date,
    pub source: &'a str,
    pub content_html: String,
    /// The notice whose body is still to be shown; only the entries a feed keeps get it.
    #[serde(skip)]
    notice: Option<&'a Notice>,
}

fn notice_entry<'a>(notice: &'a Notice, level_url: &str, source: &'a str) -> Entry<'a> {
    Entry {
        title: notice.title.as_str().into(),
        url: notice_url(level_url, &notice.slug),
        date: notice.date,
        source,
        content_html: String::new(),
        notice: Some(notice),
    }
}

/// Something of a unit's that a feed can show, found before any of its text is formatted: the county
/// feed at city scale looks at ~20,000 of them and keeps 50, so only the kept ones become entries.
enum Source<'a> {
    Notice { notice: &'a Notice, unit: &'a Unit },
    Results { unit: &'a Unit, assessment: &'a Assessment, published: Date },
}

impl<'a> Source<'a> {
    fn date(&self) -> Date {
        match self {
            Source::Notice { notice, .. } => notice.date,
            Source::Results { published, .. } => *published,
        }
    }

    fn entry(self) -> Entry<'a> {
        match self {
            Source::Notice { notice, unit } => {
                notice_entry(notice, &format!("{}/", unit.path), &unit.info.name)
            }
            Source::Results { unit, assessment: a, published } => {
                let period =
                    a.last_day.map(|last| format!("公示期 {published} 至 {last}。")).unwrap_or_default();
                Entry {
                    title: format!("{}{}年党员考核评比结果公示", unit.info.name, a.data.year).into(),
                    url: format!("{}/assessments/{}/", unit.path, a.data.year),
                    date: published,
                    source: &unit.info.name,
                    content_html: format!("<p>{period}</p>"),
                    notice: None,
                }
            }
        }
    }
}

/// Everything of the units' a feed at `scope` could show.
fn sources(site: &Site, scope: Scope) -> impl Iterator<Item = Source<'_>> + Clone {
    let units = match scope {
        Scope::County => (0..site.units.len()).collect(),
        Scope::Section(s) => super::units_below(site, s),
        Scope::Unit(u) => vec![u],
    };
    units.into_iter().map(|u| &site.units[u]).flat_map(|unit| {
        let notices = unit.notices.iter().map(move |notice| Source::Notice { notice, unit });
        let results = unit.assessments.iter().filter_map(move |assessment| {
            let published = assessment.data.published?;
            Some(Source::Results { unit, assessment, published })
        });
        notices.chain(results)
    })
}

/// Title, level URL and newest entries of the feed at `scope`.
pub fn entries(site: &Site, scope: Scope) -> (String, String, Vec<Entry<'_>>) {
    let mut levels = Vec::new();
    let (title, url) = match scope {
        Scope::County => {
            levels.extend(site.notices.iter().map(|n| notice_entry(n, "", &site.config.title)));
            for section in &site.sections {
                let url = format!("{}/", section.path);
                levels.extend(section.notices.iter().map(|n| notice_entry(n, &url, &section.name)));
            }
            (site.config.title.clone(), String::new())
        }
        Scope::Section(s) => {
            let section = &site.sections[s];
            let url = format!("{}/", section.path);
            levels.extend(section.notices.iter().map(|n| notice_entry(n, &url, &section.name)));
            (format!("{} - {}", section.name, site.config.title), url)
        }
        Scope::Unit(u) => {
            let unit = &site.units[u];
            (format!("{} - {}", unit.info.name, site.config.title), format!("{}/", unit.path))
        }
    };
    // The county's and sections' own notices are few and already entries; the units' are sources.
    let items = levels.into_iter().map(Ok).chain(sources(site, scope).map(Err));
    let mut entries = super::newest(
        items,
        |item| match item {
            Ok(entry) => entry.date,
            Err(source) => source.date(),
        },
        FEED_LENGTH,
        |item| item.unwrap_or_else(Source::entry),
        |a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)),
    );
    for entry in &mut entries {
        if let Some(notice) = entry.notice.take() {
            entry.content_html = super::notice_html(notice).to_string();
        }
    }
    (title, url, entries)
}

/// The feed a page links to with `<link rel="alternate">`: its unit's, its section's or the county's.
pub fn url_for(site: &Site, page: &Page) -> String {
    match (&page.kind, page.unit()) {
        (_, Some(u)) => format!("{}/atom.xml", site.units[u].path),
        (PageKind::Section(s), _) | (PageKind::Notice(Scope::Section(s), _), _) => {
            format!("{}/atom.xml", site.sections[*s].path)
        }
        _ => "atom.xml".to_string(),
    }
}
