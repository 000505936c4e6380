//! The pages that sum units up — home, dashboard, sections, search page, county and section
//! notices and feeds, search shards, sitemap — rendered from the units' digests alone, after every
//! unit's own pages are written and its model dropped.

use super::context::{self, Crumb};
use super::newest::newest;
use super::views::*;
use super::words::{self, NoticeStatus};
use super::{PageSink, Renderer, base_url, charts, feed, markdown, notice_html, sitemap, units_below};
use crate::content::model::{Notice, Site, county_issuer, section_issuer};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::pipeline::UnitDigest;
use crate::plan::{self, Page, PageKind, Scope};
use crate::rules::compliance::Compliance;
use crate::search::Index;
use serde::Serialize;
use tera::Context;

/// How many of the newest notices the home page lists.
pub const HOME_NOTICES: usize = 10;

/// What the site's own pages are made from.
pub struct SitePages<'a> {
    pub renderer: &'a Renderer,
    pub site: &'a Site,
    pub today: Date,
    pub digests: &'a [UnitDigest],
    pub index: &'a Index,
    /// The site's own pages (`plan::site_pages` and the sitemaps): the sitemap lists them first.
    pub pages: &'a [Page],
}

#[derive(Serialize)]
struct Tally {
    label: &'static str,
    ok: usize,
    total: usize,
}

fn tallies<'a>(compliance: impl Iterator<Item = &'a Compliance>) -> Vec<Tally> {
    let mut tallies: Vec<Tally> =
        Compliance::default().checks().iter().map(|(label, _)| Tally { label, ok: 0, total: 0 }).collect();
    for c in compliance {
        for (tally, (_, check)) in tallies.iter_mut().zip(c.checks()) {
            tally.total += 1;
            tally.ok += usize::from(check.ok);
        }
    }
    tallies
}

/// A unit whose results of the assessment year are being noticed (or soon will be) on the day
/// the pages are built; `status.js` corrects the status on the day they are read.
#[derive(Serialize)]
struct Noticing {
    name: String,
    url: String,
    year: i32,
    first: Date,
    last: Date,
    period: String,
    status: NoticeStatus,
    status_label: &'static str,
}

/// How many units the home page lists as being noticed; section pages list all of theirs.
const HOME_NOTICING: usize = 20;

/// The units among `units` whose notice period has not ended on `today`, soonest ending first.
fn noticing(site: &Site, digests: &[UnitDigest], units: &[usize], today: Date) -> Vec<Noticing> {
    let Some(year) = site.assessment_year else { return Vec::new() };
    let mut list: Vec<Noticing> = units
        .iter()
        .filter_map(|u| {
            let summary = &digests[*u].summary;
            let (first, last) = summary.notice_period?;
            let status = notice_status(Some(first), Some(last), today);
            matches!(status, NoticeStatus::Open | NoticeStatus::Upcoming).then(|| Noticing {
                name: summary.name.clone(),
                url: format!("{}assessments/{year}/", summary.url),
                year,
                first,
                last,
                period: first.chinese_period(last),
                status,
                status_label: words::notice_status_label(status),
            })
        })
        .collect();
    list.sort_by(|a, b| (a.last, &a.url).cmp(&(b.last, &b.url)));
    list
}

#[derive(Serialize)]
struct SectionUnits {
    #[serde(flatten)]
    link: SectionLink,
    failing: Vec<UnitSummary>,
}

#[derive(Serialize)]
struct SectionLink {
    name: String,
    url: String,
    description: Option<String>,
    units: usize,
    ok: usize,
}

impl SectionLink {
    /// A section with the count of units below it and how many of them comply.
    fn new(site: &Site, digests: &[UnitDigest], section: usize) -> SectionLink {
        let s = &site.sections[section];
        let units = units_below(site, section);
        SectionLink {
            name: s.name.clone(),
            url: format!("{}/", s.path),
            description: s.description.clone(),
            units: units.len(),
            ok: units.iter().filter(|u| digests[**u].summary.compliance.ok()).count(),
        }
    }
}

impl SitePages<'_> {
    /// Renders `pages` (some of [`SitePages::pages`]) in parallel; `sink` receives each.
    pub fn render(&self, pages: &[Page], sink: &PageSink<'_>) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        pages.par_iter().try_for_each(|page| sink(page, self.file(page)?))
    }

    /// How many addresses the sitemap lists.
    fn sitemap_count(&self) -> usize {
        self.pages.iter().filter(|p| p.in_sitemap()).count()
            + self.digests.iter().map(|d| d.files.in_sitemap()).sum::<usize>()
    }

    fn file(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        match &page.kind {
            PageKind::Asset(name) => Ok(self.renderer.asset(name)),
            PageKind::Sitemap(part) => {
                let own = self.pages.iter().filter(|p| p.in_sitemap()).map(|p| ("", p.url()));
                let units = self.digests.iter().flat_map(|d| {
                    d.files.iter().filter(|(_, listed)| *listed).map(move |(name, _)| {
                        (d.summary.url.as_str(), name.strip_suffix("index.html").unwrap_or(name))
                    })
                });
                Ok(sitemap::sitemap(&base_url(site), self.sitemap_count(), own.chain(units), *part))
            }
            PageKind::Feed(scope) => {
                let (title, url, entries) = feed::level_entries(site, *scope, self.digests);
                self.renderer.feed(site, &title, &url, &entries)
            }
            PageKind::SearchShard(n) => Ok(self.index.shard(*n).to_vec()),
            PageKind::SearchRanges(n) => Ok(self.index.range_file(*n).to_vec()),
            PageKind::SearchChunk(_) => Ok(crate::search::sections_chunk(site)),
            PageKind::Robots => {
                let mut context = Context::new();
                context.insert("sitemap", &format!("{}sitemap.xml", base_url(site)));
                let disallow: Vec<String> = if site.config.noindex_results {
                    // Below the site's own path: results at <unit>/assessments/, members at
                    // <unit>/members/ (`plan::unit_pages`).
                    let base = base_url(site);
                    let after_scheme = base.split_once("//").map_or(base.as_str(), |(_, rest)| rest);
                    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
                    vec![format!("{path}*/assessments/"), format!("{path}*/members/")]
                } else {
                    Vec::new()
                };
                context.insert("disallow", &disallow);
                self.renderer.template("robots.txt", &context)
            }
            _ => {
                let mut context = context::common(self.renderer, site, self.today, page);
                let template = self.fill(page, &mut context);
                self.renderer.template(template, &context)
            }
        }
    }

    /// Adds the page's own data; returns the template to use.
    fn fill(&self, page: &Page, context: &mut Context) -> &'static str {
        let site = self.site;
        let digests = self.digests;
        let top_sections = || -> Vec<SectionLink> {
            site.sections
                .iter()
                .enumerate()
                .filter(|(_, s)| s.parent.is_none())
                .map(|(i, _)| SectionLink::new(site, digests, i))
                .collect()
        };
        match &page.kind {
            PageKind::Home => {
                context.insert("intro_html", &site.intro.as_deref().map(markdown::to_html));
                context.insert("sections", &top_sections());
                context.insert("notices", &self.newest_notices(HOME_NOTICES));
                let archive = plan::archive_pages(site, Scope::County) > 0;
                context.insert("archive_url", &archive.then(|| plan::archive_url("", 1)));
                let all: Vec<usize> = (0..digests.len()).collect();
                let mut noticing = noticing(site, digests, &all, self.today);
                context.insert("noticing_more", &noticing.len().saturating_sub(HOME_NOTICING));
                noticing.truncate(HOME_NOTICING);
                context.insert("noticing", &noticing);
                self.insert_summary(context, &all);
                "index.html"
            }
            PageKind::About => {
                context.insert("rights", &site.config.rights);
                context.insert("responsibilities", &site.config.responsibilities);
                context.insert("weights", &site.config.assessment.weights);
                context.insert("grades", &grade_ranges(&site.config.assessment.grades));
                "about.html"
            }
            PageKind::Disclosure => {
                // Only failing units are listed here: a city has thousands of units, and the
                // section pages list them all.
                // One row per top-level section, counted as the home page counts it
                // (`SectionLink::new`: every unit below, nested sections included).
                let groups: Vec<SectionUnits> = (0..site.sections.len())
                    .filter(|i| site.sections[*i].parent.is_none())
                    .map(|i| {
                        let failing = units_below(site, i)
                            .into_iter()
                            .filter(|u| !digests[*u].summary.compliance.ok())
                            .map(|u| UnitSummary::new(site, &digests[u].summary))
                            .collect();
                        SectionUnits { link: SectionLink::new(site, digests, i), failing }
                    })
                    .filter(|g| g.link.units > 0)
                    .collect();
                context.insert("sections", &groups);
                self.insert_summary(context, &(0..digests.len()).collect::<Vec<_>>());
                "disclosure.html"
            }
            PageKind::NotFound => "404.html",
            PageKind::Search => {
                context.insert("sections", &top_sections());
                context.insert("search_shards", &self.index.shard_count());
                "search.html"
            }
            PageKind::Section(s) => {
                let section = &site.sections[*s];
                let subsections: Vec<SectionLink> =
                    section.subsections.iter().map(|i| SectionLink::new(site, digests, *i)).collect();
                let units: Vec<UnitSummary> =
                    section.units.iter().map(|u| UnitSummary::new(site, &digests[*u].summary)).collect();
                let url = format!("{}/", section.path);
                // The newest few; the archive has them all.
                let mut notices: Vec<NoticeView> = section
                    .notices
                    .iter()
                    .map(|n| NoticeView::new(n, &url, section_issuer(section)))
                    .collect();
                notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
                notices.truncate(HOME_NOTICES);
                let mut crumbs = context::section_crumbs(site, Some(*s));
                crumbs.pop();
                context.insert("crumbs", &crumbs);
                context.insert("section", &SectionLink::new(site, digests, *s));
                context.insert("subsections", &subsections);
                context.insert("units", &units);
                context.insert("notices", &notices);
                let archive = plan::archive_pages(site, Scope::Section(*s)) > 0;
                context.insert("archive_url", &archive.then(|| plan::archive_url(&url, 1)));
                let below = units_below(site, *s);
                context.insert("noticing", &noticing(site, digests, &below, self.today));
                context.insert("noticing_more", &0);
                self.insert_summary(context, &below);
                self.insert_grades(context, &below);
                "section.html"
            }
            PageKind::Notice(scope, i) => {
                let (notice, crumbs, source): (&Notice, Vec<Crumb>, &str) = match scope {
                    Scope::Section(s) => (
                        &site.sections[*s].notices[*i],
                        context::section_crumbs(site, Some(*s)),
                        section_issuer(&site.sections[*s]),
                    ),
                    _ => (&site.notices[*i], Vec::new(), county_issuer(&site.config)),
                };
                context.insert("crumbs", &crumbs);
                context.insert("notice", &NoticeView::new(notice, "", source));
                context.insert("body_html", notice_html(notice));
                "notice.html"
            }
            PageKind::NoticeArchive(scope, n) => {
                let (name, level_url, crumbs) = match scope {
                    Scope::Section(s) => (
                        site.sections[*s].name.as_str(),
                        format!("{}/", site.sections[*s].path),
                        context::section_crumbs(site, Some(*s)),
                    ),
                    _ => ("全县", String::new(), Vec::new()),
                };
                let all = self.archive(*scope);
                let pages = all.len().div_ceil(plan::ARCHIVE_PAGE).max(1);
                let shown: Vec<&NoticeView> =
                    all.iter().skip((n - 1) * plan::ARCHIVE_PAGE).take(plan::ARCHIVE_PAGE).collect();
                let link = |k: usize| (1..=pages).contains(&k).then(|| plan::archive_url(&level_url, k));
                context.insert("crumbs", &crumbs);
                context.insert("archive_name", name);
                context.insert("archive_total", &all.len());
                context.insert("archive_page", n);
                context.insert("archive_pages", &pages);
                context.insert("archive_prev", &link(n - 1));
                context.insert("archive_next", &link(n + 1));
                context.insert("archive_county", &(*scope == Scope::County));
                context.insert("notices", &shown);
                "notice_archive.html"
            }
            other => unreachable!("not one of the site's own pages: {other:?}"),
        }
    }

    /// Every notice of a level's archive, newest first: the county's own and its sections', or a
    /// section's and those of the sections below it.
    fn archive(&self, scope: Scope) -> Vec<NoticeView> {
        let site = self.site;
        let mut all: Vec<NoticeView> = Vec::new();
        if scope == Scope::County {
            all.extend(site.notices.iter().map(|n| NoticeView::new(n, "", county_issuer(&site.config))));
        }
        for s in plan::archive_sections(site, scope) {
            let section = &site.sections[s];
            let url = format!("{}/", section.path);
            all.extend(section.notices.iter().map(|n| NoticeView::new(n, &url, section_issuer(section))));
        }
        all.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
        all
    }

    /// The newest notices of the county, its sections and (from their digests) its units.
    fn newest_notices(&self, keep: usize) -> Vec<NoticeView> {
        enum Item<'a> {
            Own(&'a Notice, String, &'a str),
            Unit(&'a NoticeView),
        }
        let site = self.site;
        let county = site.notices.iter().map(|n| Item::Own(n, String::new(), county_issuer(&site.config)));
        let sections = site.sections.iter().flat_map(|section| {
            section
                .notices
                .iter()
                .map(move |n| Item::Own(n, format!("{}/", section.path), section_issuer(section)))
        });
        let units = self.digests.iter().flat_map(|d| d.summary.notices.iter().map(Item::Unit));
        newest(
            county.chain(sections).chain(units),
            |item| match item {
                Item::Own(notice, ..) => notice.date,
                Item::Unit(view) => view.date,
            },
            keep,
            |item| match item {
                Item::Own(notice, url, source) => NoticeView::new(notice, &url, source),
                Item::Unit(view) => view.clone(),
            },
            |a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)),
        )
    }

    /// County or section compliance figures for the given units.
    fn insert_summary(&self, context: &mut Context, units: &[usize]) {
        let summaries = || units.iter().map(|u| &self.digests[*u].summary);
        let ok = summaries().filter(|s| s.compliance.ok()).count();
        let tallies = tallies(summaries().map(|s| &s.compliance));
        let rows: Vec<(String, usize)> = tallies.iter().map(|t| (t.label.to_string(), t.ok)).collect();
        let members: usize = summaries().map(|s| s.members).sum();
        context.insert("unit_count", &units.len());
        context.insert("ok_count", &ok);
        context.insert("member_total", &members);
        context.insert("tallies", &tallies);
        context.insert("compliance_svg", &charts::bars("达标单位数", charts::Counting::Compliant, &rows));
    }

    /// Grade distribution of the assessment year over the given units.
    fn insert_grades(&self, context: &mut Context, units: &[usize]) {
        let site = self.site;
        let grades = &site.config.assessment.grades;
        let mut counts = vec![0usize; grades.len()];
        for u in units {
            for (count, n) in counts.iter_mut().zip(&self.digests[*u].summary.grades) {
                *count += *n as usize;
            }
        }
        let rows: Vec<(String, usize)> =
            grades.iter().zip(&counts).map(|(g, n)| (g.name.clone(), *n)).collect();
        let grade_counts: Vec<GradeCount> =
            rows.iter().map(|(name, count)| GradeCount { name: name.clone(), count: *count }).collect();
        let title = format!("{} 年考核等次分布", site.assessment_year.unwrap_or_default());
        context.insert("grade_total", &counts.iter().sum::<usize>());
        context.insert("grade_counts", &grade_counts);
        context.insert("grades_svg", &charts::bars(&title, charts::Counting::Grades, &rows));
    }
}
