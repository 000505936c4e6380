//! Atom feeds of notices and published results, for the county, each section and each unit.

use crate::content::model::{Notice, Site};
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
    /// Markdown still to render; only the entries a feed keeps are rendered.
    #[serde(skip)]
    markdown: Option<&'a str>,
}

fn notice_entry<'a>(notice: &'a Notice, level_url: &str, source: &'a str) -> Entry<'a> {
    Entry {
        title: notice.title.as_str().into(),
        url: notice_url(level_url, &notice.slug),
        date: notice.date,
        source,
        content_html: String::new(),
        markdown: Some(&notice.body),
    }
}

fn unit_entries<'a>(site: &'a Site, u: usize, entries: &mut Vec<Entry<'a>>) {
    let unit = &site.units[u];
    let url = format!("{}/", unit.path);
    entries.extend(unit.notices.iter().map(|n| notice_entry(n, &url, &unit.info.name)));
    for a in &unit.assessments {
        let Some(published) = a.data.published else { continue };
        let period = a.last_day.map(|last| format!("公示期 {published} 至 {last}。")).unwrap_or_default();
        entries.push(Entry {
            title: format!("{}{}年党员考核评比结果公示", unit.info.name, a.data.year).into(),
            url: format!("{url}assessments/{}/", a.data.year),
            date: published,
            source: &unit.info.name,
            content_html: format!("<p>{period}</p>"),
            markdown: None,
        });
    }
}

/// Title, level URL and newest entries of the feed at `scope`.
pub fn entries(site: &Site, scope: Scope) -> (String, String, Vec<Entry<'_>>) {
    let mut entries = Vec::new();
    let (title, url) = match scope {
        Scope::County => {
            entries.extend(site.notices.iter().map(|n| notice_entry(n, "", &site.config.title)));
            for section in &site.sections {
                let url = format!("{}/", section.path);
                entries.extend(section.notices.iter().map(|n| notice_entry(n, &url, &section.name)));
            }
            for u in 0..site.units.len() {
                unit_entries(site, u, &mut entries);
            }
            (site.config.title.clone(), String::new())
        }
        Scope::Section(s) => {
            let section = &site.sections[s];
            let url = format!("{}/", section.path);
            entries.extend(section.notices.iter().map(|n| notice_entry(n, &url, &section.name)));
            for u in super::units_below(site, s) {
                unit_entries(site, u, &mut entries);
            }
            (format!("{} - {}", section.name, site.config.title), url)
        }
        Scope::Unit(u) => {
            unit_entries(site, u, &mut entries);
            let unit = &site.units[u];
            (format!("{} - {}", unit.info.name, site.config.title), format!("{}/", unit.path))
        }
    };
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_LENGTH);
    for entry in &mut entries {
        if let Some(markdown) = entry.markdown.take() {
            entry.content_html = super::markdown::to_html(markdown);
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
