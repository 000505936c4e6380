//! What every page's template gets, whether a unit's page or one that sums units up.

use super::views::ChannelView;
use super::{Renderer, base_url, feed};
use crate::content::model::{Site, Unit};
use crate::date::Date;
use crate::plan::{Page, PageKind};
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    base_url: String,
    language: &'a str,
    description: Option<&'a str>,
    contact: Option<ChannelView>,
    assessment_year: Option<i32>,
    /// The footer's government-site particulars, each shown when given.
    organizer: Option<&'a str>,
    icp: Option<&'a str>,
    police_filing: Option<&'a str>,
    site_code: Option<&'a str>,
}

/// One step of the breadcrumb trail.
#[derive(Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// The context every page starts from: links relative to the page (`root`), its address, the
/// site's settings, the build day, its feed and, in serve mode, the live-reload script.
pub fn common(renderer: &Renderer, site: &Site, today: Date, page: &Page) -> Context {
    let mut context = Context::new();
    let url = page.url();
    let root = if page.kind == PageKind::NotFound {
        // Served at any address, so links go from the site's own root path.
        let base = base_url(site);
        let after_scheme = base.split_once("//").map_or(base.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or("/".to_string(), |i| after_scheme[i..].to_string())
    } else {
        "../".repeat(url.matches('/').count())
    };
    context.insert("root", &root);
    // 404.html's links start from base_url's path: it loads no script (its elder switch needs none).
    context.insert("not_found", &(page.kind == PageKind::NotFound));
    context.insert("url", url);
    context.insert("canonical", &format!("{}{url}", base_url(site)));
    context.insert(
        "site",
        &SiteView {
            title: &site.config.title,
            base_url: base_url(site),
            language: &site.config.language,
            description: site.config.description.as_deref(),
            contact: ChannelView::optional(site.config.contact.as_ref()),
            assessment_year: site.assessment_year,
            organizer: given(&site.config.organizer),
            icp: given(&site.config.icp),
            police_filing: given(&site.config.police_filing),
            site_code: given(&site.config.site_code),
        },
    );
    context.insert("noindex", &(site.config.noindex_results && page.is_results()));
    context.insert("build_date", &today);
    context.insert("feed", &feed::url_for(site, page));
    context.insert("live_reload", &renderer.live_reload);
    context
}

/// A setting's text, unless it is missing or blank.
fn given(setting: &Option<String>) -> Option<&str> {
    setting.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The trail down to a section, outermost first.
pub fn section_crumbs(site: &Site, mut section: Option<usize>) -> Vec<Crumb> {
    let mut crumbs = Vec::new();
    while let Some(s) = section {
        let sec = &site.sections[s];
        crumbs.push(Crumb { title: sec.name.clone(), url: format!("{}/", sec.path) });
        section = sec.parent;
    }
    crumbs.reverse();
    crumbs
}

/// The trail down to a unit.
pub fn unit_crumbs(site: &Site, unit: &Unit) -> Vec<Crumb> {
    let mut crumbs = section_crumbs(site, Some(unit.section));
    crumbs.push(Crumb { title: unit.info.name.clone(), url: format!("{}/", unit.path) });
    crumbs
}
