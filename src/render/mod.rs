//! Turns planned pages into bytes: Tera templates fed by the views, plus JSON and assets.

pub mod charts;
pub mod feed;
pub mod markdown;
pub mod qr;
pub mod theme;
pub mod views;
pub mod words;

use crate::content::model::{Notice, Site};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::plan::{Page, PageKind, Scope};
use crate::rules::compliance::{self, Compliance};
use serde::Serialize;
use std::path::Path;
use tera::{Context, Tera, Value};
use theme::Theme;
use views::*;

/// Receives each rendered file; an error stops the rendering.
pub type PageSink<'a> = dyn Fn(&Page, Vec<u8>) -> Result<(), Diagnostic> + Sync + 'a;

/// Figures derived from the whole site once per build, shared by the pages.
pub struct Derived {
    pub compliance: Vec<Compliance>,
    /// The day the pages are built for (notice period status).
    pub today: Date,
    /// The search index; built by `build` and `serve` (not needed by `check`).
    pub search: Option<crate::search::Index>,
}

impl Derived {
    pub fn new(site: &Site, today: Date) -> Derived {
        use rayon::prelude::*;
        let compliance =
            site.units.par_iter().map(|u| compliance::evaluate(u, site.assessment_year)).collect();
        Derived { compliance, today, search: None }
    }
}

/// Templates parsed once, and the theme's static files.
pub struct Renderer {
    tera: Tera,
    /// `themes/<name>/templates`, where template problems are reported.
    templates: String,
    assets: Vec<(String, Vec<u8>)>,
    /// Injected before `</body>` in serve mode only.
    pub live_reload: Option<String>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    base_url: String,
    language: &'a str,
    description: Option<&'a str>,
    contact: Option<ChannelView>,
    assessment_year: Option<i32>,
}

#[derive(Serialize)]
struct SignMember {
    member: MemberRef,
    link: String,
    qr_svg: String,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

/// A template problem, placed at `themes/<name>/templates/<file>:line:column` when Tera says where.
fn theme_error(templates: &str, error: &tera::Error) -> Diagnostic {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!("：{cause}"));
        source = cause.source();
    }
    // Tera points at the place as ` --> name.html:line:column`.
    let place = message.split(" --> ").nth(1).and_then(|rest| {
        let spot = rest.split_whitespace().next()?;
        let mut parts = spot.rsplitn(3, ':');
        let column = parts.next()?.parse::<usize>().ok()?;
        let line = parts.next()?.parse::<usize>().ok()?;
        Some((parts.next()?.to_string(), line, column))
    });
    let diagnostic = match place {
        Some((file, line, column)) => {
            Diagnostic::error(&Path::new(templates).join(file), format!("模板出错：{message}"))
                .at((line, column))
        }
        None => Diagnostic::error(Path::new(templates), format!("模板出错：{message}")),
    };
    diagnostic.hint("检查这个模板的语法；删去 themes/ 里的覆盖文件可恢复默认主题")
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::new();
        let mut templates = Vec::new();
        for (name, bytes) in theme.templates() {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| Diagnostic::error(&Path::new("themes").join(name), "模板文件不是 UTF-8 编码"))?;
            templates.push((name.to_string(), text.to_string()));
        }
        let templates_dir = format!("themes/{}/templates", theme.name);
        tera.add_raw_templates(templates).map_err(|e| theme_error(&templates_dir, &e))?;
        let assets = theme.assets().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        Ok(Renderer { tera, templates: templates_dir, assets, live_reload: None })
    }

    pub fn asset_names(&self) -> Vec<String> {
        self.assets.iter().map(|(name, _)| name.clone()).collect()
    }

    /// Renders every page, in parallel, a unit's pages together so they share one [`UnitCache`];
    /// `sink` receives each file.
    pub fn render_all(
        &self,
        site: &Site,
        derived: &Derived,
        all: &[Page],
        sink: &PageSink<'_>,
    ) -> Result<(), Diagnostic> {
        self.render_some(site, derived, all, all, sink)
    }

    /// Renders `pages`, a part of the plan `all` (what `serve` redoes after a change).
    pub fn render_some(
        &self,
        site: &Site,
        derived: &Derived,
        pages: &[Page],
        all: &[Page],
        sink: &PageSink<'_>,
    ) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        pages
            .chunk_by(|a, b| a.unit().is_some() && a.unit() == b.unit())
            .collect::<Vec<_>>()
            .par_iter()
            .try_for_each(|pages| {
                let cache = pages[0].unit().map(|u| UnitCache::new(site, derived, u));
                pages.par_iter().try_for_each(|page| {
                    let bytes = self.render_with(site, derived, page, all, cache.as_ref())?;
                    sink(page, bytes)
                })
            })
    }

    fn render_with(
        &self,
        site: &Site,
        derived: &Derived,
        page: &Page,
        all: &[Page],
        cache: Option<&UnitCache>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let page_context = PageContext { site, derived, page, renderer: self, cache };
        match &page.kind {
            PageKind::Asset(name) => {
                Ok(self.assets.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()).unwrap_or_default())
            }
            PageKind::UnitData(u) => {
                let data = UnitData::new(site, &site.units[*u], &derived.compliance[*u]);
                let json = serde_json::to_string(&data).expect("views serialise");
                // `<` only occurs inside strings; escaping it keeps the file inert if a page or a
                // host ever treats it as HTML.
                let mut json = json.replace('<', "\\u003c").into_bytes();
                json.push(b'\n');
                Ok(json)
            }
            PageKind::Sitemap(part) => Ok(sitemap(&base_url(site), all, *part)),
            PageKind::Feed(scope) => {
                let mut context = Context::new();
                let (title, url, entries) = feed::entries(site, *scope);
                let base = base_url(site);
                context.insert("title", &title);
                context.insert("id", &format!("{base}{url}"));
                context.insert("self_url", &format!("{base}{url}atom.xml"));
                context.insert(
                    "updated",
                    &entries
                        .first()
                        .map(|e| e.date)
                        .unwrap_or(crate::date::Date::new(2000, 1, 1).expect("valid date")),
                );
                context.insert("base", &base);
                context.insert("entries", &entries);
                self.template("atom.xml", &context)
            }
            PageKind::SearchShard(n) => match &derived.search {
                Some(index) => Ok(index.shard(*n).to_vec()),
                None => Err(Diagnostic::error(Path::new(&page.file), "内部错误：没有生成搜索索引")),
            },
            PageKind::SearchRanges(n) => match &derived.search {
                Some(index) => Ok(index.range_file(*n).to_vec()),
                None => Err(Diagnostic::error(Path::new(&page.file), "内部错误：没有生成搜索索引")),
            },
            PageKind::SearchChunk(scope) => Ok(crate::search::chunk_js(site, *scope)),
            PageKind::Robots => {
                let mut context = Context::new();
                context.insert("sitemap", &format!("{}sitemap.xml", base_url(site)));
                self.template("robots.txt", &context)
            }
            _ => page_context.html(),
        }
    }

    fn template(&self, name: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, context, &mut out).map_err(|e| theme_error(&self.templates, &e))?;
        Ok(out)
    }
}

/// `sitemap.xml` (`part` None) or `sitemap-<part>.xml`. Written here rather than by a theme
/// template: the format is fixed by sitemaps.org, and a city's 150,000 addresses went through Tera
/// in ~100 ms, which `serve` paid again whenever an edit added or removed a page.
fn sitemap(base: &str, all: &[Page], part: Option<usize>) -> Vec<u8> {
    const XMLNS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let mut base_escaped = Vec::new();
    let _ = tera::escape_html(base, &mut base_escaped);
    let mut xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_vec();
    let line = |xml: &mut Vec<u8>, open: &str, path: &str, close: &str| {
        xml.extend_from_slice(open.as_bytes());
        xml.extend_from_slice(&base_escaped);
        // Paths are made of slugs and rarely need escaping; checking is cheaper than escaping.
        if path.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
            let _ = tera::escape_html(path, xml);
        } else {
            xml.extend_from_slice(path.as_bytes());
        }
        xml.extend_from_slice(close.as_bytes());
    };
    let parts: Vec<&Page> = all.iter().filter(|p| matches!(p.kind, PageKind::Sitemap(Some(_)))).collect();
    if part.is_none() && !parts.is_empty() {
        xml.extend_from_slice(format!("<sitemapindex {XMLNS}>\n").as_bytes());
        for page in parts {
            line(&mut xml, "<sitemap><loc>", &page.file, "</loc></sitemap>\n");
        }
        xml.extend_from_slice(b"</sitemapindex>\n");
        return xml;
    }
    // Only the addresses of this file are written: a city has about 150,000.
    let (skip, take) = match part {
        None => (0, usize::MAX),
        Some(i) => ((i - 1) * crate::plan::SITEMAP_LIMIT, crate::plan::SITEMAP_LIMIT),
    };
    xml.reserve(take.min(all.len()) * (base_escaped.len() + 60));
    xml.extend_from_slice(format!("<urlset {XMLNS}>\n").as_bytes());
    for page in all.iter().filter(|p| p.in_sitemap()).skip(skip).take(take) {
        line(&mut xml, "<url><loc>", page.url(), "</loc></url>\n");
    }
    xml.extend_from_slice(b"</urlset>\n");
    xml
}

/// A notice's body as sanitised HTML, rendered once however many pages and feeds show it.
pub fn notice_html(notice: &Notice) -> &str {
    notice.html.get_or_init(|| markdown::to_html(&notice.body))
}

/// `base_url` with exactly one trailing slash.
pub fn base_url(site: &Site) -> String {
    format!("{}/", site.config.base_url.trim().trim_end_matches('/'))
}

struct PageContext<'a> {
    site: &'a Site,
    derived: &'a Derived,
    page: &'a Page,
    renderer: &'a Renderer,
    cache: Option<&'a UnitCache>,
}

/// What all pages of one unit show, converted to template values once. Tera values share their
/// arrays and maps, so handing them to each page is cheap.
pub struct UnitCache {
    header: Value,
    checks: Value,
    ok: bool,
    groups: Value,
    members: Vec<Value>,
    zones: Vec<Value>,
    assessments: Vec<Value>,
    current: Value,
}

impl UnitCache {
    pub fn new(site: &Site, derived: &Derived, u: usize) -> UnitCache {
        let unit = &site.units[u];
        let compliance = &derived.compliance[u];
        let rules = &site.config.assessment;
        let assessments: Vec<AssessmentView> =
            unit.assessments.iter().map(|a| AssessmentView::new(unit, a, rules, derived.today)).collect();
        let current = site
            .assessment_year
            .and_then(|y| assessments.iter().find(|a| a.year == y))
            .or(assessments.last());
        UnitCache {
            header: Value::from_serializable(&UnitHeader::new(site, unit)),
            checks: Value::from_serializable(&check_views(compliance)),
            ok: compliance.ok(),
            groups: Value::from_serializable(&group_views(unit)),
            members: unit
                .info
                .members
                .iter()
                .map(|m| Value::from_serializable(&MemberRef::new(unit, m)))
                .collect(),
            zones: unit.zones.iter().map(|z| Value::from_serializable(&ZoneView::new(unit, z))).collect(),
            current: Value::from_serializable(&current),
            assessments: assessments.iter().map(Value::from_serializable).collect(),
        }
    }
}

/// The `keep` newest of `items`, newest first, ties in `order`. Only items as new as the
/// `keep`-th newest date are made into views (the county's home page and feed pick 10 and 50 out
/// of ~10,000 notices at city scale, and `serve` does it again after an edit).
pub(crate) fn newest<I, V>(
    items: impl Iterator<Item = I> + Clone,
    date: impl Fn(&I) -> Date,
    keep: usize,
    view: impl FnMut(I) -> V,
    mut order: impl FnMut(&V, &V) -> std::cmp::Ordering,
) -> Vec<V> {
    let mut dates: Vec<Date> = items.clone().map(|item| date(&item)).collect();
    let oldest = match keep {
        0 => return Vec::new(),
        _ if dates.len() > keep => Some(*dates.select_nth_unstable_by(keep - 1, |a, b| b.cmp(a)).1),
        _ => None,
    };
    let mut views: Vec<V> =
        items.filter(|item| oldest.is_none_or(|oldest| date(item) >= oldest)).map(view).collect();
    views.sort_by(&mut order);
    views.truncate(keep);
    views
}

/// The `keep` newest notices of the county, its sections and its units.
fn newest_notices(site: &Site, keep: usize) -> Vec<NoticeView> {
    enum Level {
        County,
        Section(usize),
        Unit(usize),
    }
    let county = site.notices.iter().map(|n| (n, Level::County));
    let sections = site
        .sections
        .iter()
        .enumerate()
        .flat_map(|(s, section)| section.notices.iter().map(move |n| (n, Level::Section(s))));
    let units = site
        .units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| unit.notices.iter().map(move |n| (n, Level::Unit(u))));
    newest(
        county.chain(sections).chain(units),
        |(notice, _)| notice.date,
        keep,
        |(notice, level)| match level {
            Level::County => NoticeView::new(notice, "", &site.config.title),
            Level::Section(s) => {
                let section = &site.sections[s];
                NoticeView::new(notice, &format!("{}/", section.path), &section.name)
            }
            Level::Unit(u) => {
                let unit = &site.units[u];
                NoticeView::new(notice, &format!("{}/", unit.path), &unit.info.name)
            }
        },
        |a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)),
    )
}

#[derive(Serialize)]
struct Tally {
    label: &'static str,
    ok: usize,
    total: usize,
}

fn tallies(compliance: &[Compliance]) -> Vec<Tally> {
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

#[derive(Serialize)]
struct SectionUnits {
    name: String,
    url: String,
    units: usize,
    ok: usize,
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
    fn new(site: &Site, derived: &Derived, section: usize) -> SectionLink {
        let s = &site.sections[section];
        let units = units_below(site, section);
        SectionLink {
            name: s.name.clone(),
            url: format!("{}/", s.path),
            description: s.description.clone(),
            units: units.len(),
            ok: units.iter().filter(|u| derived.compliance[**u].ok()).count(),
        }
    }
}

impl PageContext<'_> {
    fn html(&self) -> Result<Vec<u8>, Diagnostic> {
        let mut context = self.common();
        let template = self.fill(&mut context);
        self.renderer.template(template, &context)
    }

    fn common(&self) -> Context {
        let site = self.site;
        let mut context = Context::new();
        let url = self.page.url();
        let root = if self.page.kind == PageKind::NotFound {
            // Served at any address, so links go from the site's own root path.
            let base = base_url(site);
            let after_scheme = base.split_once("//").map_or(base.as_str(), |(_, rest)| rest);
            after_scheme.find('/').map_or("/".to_string(), |i| after_scheme[i..].to_string())
        } else {
            "../".repeat(url.matches('/').count())
        };
        context.insert("root", &root);
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
            },
        );
        context.insert("build_date", &self.derived.today);
        context.insert("feed", &feed::url_for(site, self.page));
        context.insert("live_reload", &self.renderer.live_reload);
        context
    }

    fn section_crumbs(&self, mut section: Option<usize>) -> Vec<Crumb> {
        let mut crumbs = Vec::new();
        while let Some(s) = section {
            let sec = &self.site.sections[s];
            crumbs.push(Crumb { title: sec.name.clone(), url: format!("{}/", sec.path) });
            section = sec.parent;
        }
        crumbs.reverse();
        crumbs
    }

    fn unit_crumbs(&self, u: usize) -> Vec<Crumb> {
        let unit = &self.site.units[u];
        let mut crumbs = self.section_crumbs(Some(unit.section));
        crumbs.push(Crumb { title: unit.info.name.clone(), url: format!("{}/", unit.path) });
        crumbs
    }

    /// Adds the page's own data; returns the template to use.
    fn fill(&self, context: &mut Context) -> &'static str {
        let site = self.site;
        let derived = self.derived;
        let year = site.assessment_year;
        match &self.page.kind {
            PageKind::Home => {
                let sections: Vec<SectionLink> = site
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.parent.is_none())
                    .map(|(i, _)| SectionLink::new(site, derived, i))
                    .collect();
                let notices = newest_notices(site, 10);
                context.insert("intro_html", &site.intro.as_deref().map(markdown::to_html));
                context.insert("sections", &sections);
                context.insert("notices", &notices);
                self.insert_summary(context, &(0..site.units.len()).collect::<Vec<_>>());
                "index.html"
            }
            PageKind::About => {
                context.insert("rights", &site.config.rights);
                context.insert("responsibilities", &site.config.responsibilities);
                context.insert("weights", &site.config.assessment.weights);
                context.insert("grades", &site.config.assessment.grades);
                "about.html"
            }
            PageKind::Disclosure => {
                // Only failing units are listed here: a city has thousands of units, and the
                // section pages list them all.
                let groups: Vec<SectionUnits> = site
                    .sections
                    .iter()
                    .filter(|s| !s.units.is_empty())
                    .map(|s| {
                        let failing = s
                            .units
                            .iter()
                            .filter(|u| !derived.compliance[**u].ok())
                            .map(|u| UnitSummary::new(site, &site.units[*u], &derived.compliance[*u]))
                            .collect();
                        SectionUnits {
                            name: s.name.clone(),
                            url: format!("{}/", s.path),
                            units: s.units.len(),
                            ok: s.units.iter().filter(|u| derived.compliance[**u].ok()).count(),
                            failing,
                        }
                    })
                    .collect();
                context.insert("sections", &groups);
                self.insert_summary(context, &(0..site.units.len()).collect::<Vec<_>>());
                "disclosure.html"
            }
            PageKind::NotFound => "404.html",
            PageKind::Search => {
                let sections: Vec<SectionLink> = site
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.parent.is_none())
                    .map(|(i, _)| SectionLink::new(site, derived, i))
                    .collect();
                context.insert("sections", &sections);
                context.insert("search_shards", &crate::search::shard_count(site));
                "search.html"
            }
            PageKind::Section(s) => {
                let section = &site.sections[*s];
                let subsections: Vec<SectionLink> =
                    section.subsections.iter().map(|i| SectionLink::new(site, derived, *i)).collect();
                let units: Vec<UnitSummary> = section
                    .units
                    .iter()
                    .map(|u| UnitSummary::new(site, &site.units[*u], &derived.compliance[*u]))
                    .collect();
                let url = format!("{}/", section.path);
                let notices: Vec<NoticeView> =
                    section.notices.iter().map(|n| NoticeView::new(n, &url, &section.name)).collect();
                let mut crumbs = self.section_crumbs(Some(*s));
                crumbs.pop();
                context.insert("crumbs", &crumbs);
                context.insert("section", &SectionLink::new(site, derived, *s));
                context.insert("subsections", &subsections);
                context.insert("units", &units);
                context.insert("notices", &notices);
                self.insert_summary(context, &units_below(site, *s));
                self.insert_grades(context, &units_below(site, *s));
                "section.html"
            }
            PageKind::Unit(u)
            | PageKind::Zones(u)
            | PageKind::Posts(u)
            | PageKind::Assessment(u, _)
            | PageKind::Member(u, _)
            | PageKind::PrintNotice(u)
            | PageKind::ZoneSign(u, _) => self.fill_unit(context, *u, year),
            PageKind::Notice(scope, i) => {
                let (notice, crumbs, source): (&Notice, Vec<Crumb>, String) = match scope {
                    Scope::County => (&site.notices[*i], Vec::new(), site.config.title.clone()),
                    Scope::Section(s) => (
                        &site.sections[*s].notices[*i],
                        self.section_crumbs(Some(*s)),
                        site.sections[*s].name.clone(),
                    ),
                    Scope::Unit(u) => {
                        (&site.units[*u].notices[*i], self.unit_crumbs(*u), site.units[*u].info.name.clone())
                    }
                };
                context.insert("crumbs", &crumbs);
                context.insert("notice", &NoticeView::new(notice, "", &source));
                context.insert("body_html", notice_html(notice));
                "notice.html"
            }
            PageKind::UnitData(_)
            | PageKind::Sitemap(_)
            | PageKind::Robots
            | PageKind::Feed(_)
            | PageKind::SearchShard(_)
            | PageKind::SearchRanges(_)
            | PageKind::SearchChunk(_)
            | PageKind::Asset(_) => {
                unreachable!("not HTML")
            }
        }
    }

    fn fill_unit(&self, context: &mut Context, u: usize, year: Option<i32>) -> &'static str {
        let site = self.site;
        let unit = &site.units[u];
        let owned;
        let cache = match self.cache {
            Some(cache) => cache,
            None => {
                owned = UnitCache::new(site, self.derived, u);
                &owned
            }
        };
        context.insert_value("unit", cache.header.clone());
        context.insert_value("checks", cache.checks.clone());
        context.insert("unit_ok", &cache.ok);
        context.insert("year", &year);
        let mut crumbs = self.unit_crumbs(u);
        match &self.page.kind {
            PageKind::Unit(_) => {
                crumbs.pop();
                let url = format!("{}/", unit.path);
                let notices: Vec<NoticeView> =
                    unit.notices.iter().map(|n| NoticeView::new(n, &url, &unit.info.name)).collect();
                context.insert("crumbs", &crumbs);
                context.insert("intro_html", &unit.intro.as_deref().map(markdown::to_html));
                context.insert_value("groups", cache.groups.clone());
                context.insert("zone_count", &unit.zones.len());
                context.insert("post_count", &unit.posts.len());
                context.insert("member_count", &unit.info.members.len());
                context.insert("exempt_count", &unit.info.members.iter().filter(|m| m.is_exempt()).count());
                context.insert_value("current", cache.current.clone());
                context.insert("notices", &notices);
                "unit.html"
            }
            PageKind::Zones(_) => {
                context.insert("crumbs", &crumbs);
                context.insert_value("groups", cache.groups.clone());
                let exempt: Vec<Value> = unit
                    .info
                    .members
                    .iter()
                    .zip(&cache.members)
                    .filter(|(m, _)| m.is_exempt())
                    .map(|(_, value)| value.clone())
                    .collect();
                context.insert_value("exempt", Value::from(exempt));
                "zones.html"
            }
            PageKind::Posts(_) => {
                let posts: Vec<PostView> =
                    unit.posts.iter().filter_map(|p| PostView::new(unit, p, year)).collect();
                context.insert("crumbs", &crumbs);
                context.insert("posts", &posts);
                "posts.html"
            }
            PageKind::Assessment(_, a) => {
                context.insert("crumbs", &crumbs);
                context.insert_value("assessment", cache.assessments[*a].clone());
                "assessment.html"
            }
            PageKind::Member(_, m) => {
                let member = &unit.info.members[*m];
                let post = unit.post_of(&member.id);
                let zones: Vec<Value> = unit
                    .zones
                    .iter()
                    .zip(&cache.zones)
                    .filter(|(z, _)| z.members.iter().any(|id| id.0 == member.id))
                    .map(|(_, value)| value.clone())
                    .collect();
                context.insert("crumbs", &crumbs);
                context.insert_value("member", cache.members[*m].clone());
                context.insert_value("zones", Value::from(zones));
                // The records are shown once, by year; the post itself goes without them.
                let mut post = post.and_then(|p| PostView::new(unit, p, None));
                let records = post.as_mut().map(|p| std::mem::take(&mut p.records)).unwrap_or_default();
                context.insert("post", &post);
                context.insert("record_years", &records_by_year(records));
                context.insert("results", &member_results(unit, &member.id));
                context.insert("trend_svg", &member_trend(unit, &member.id));
                "member.html"
            }
            PageKind::PrintNotice(_) => {
                let unit_url = format!("{}{}/", base_url(site), unit.path);
                context.insert("crumbs", &crumbs);
                context.insert_value("current", cache.current.clone());
                context
                    .insert("qr_svg", &qr::svg(&unit_url, &format!("扫码打开{}的公开页面", unit.info.name)));
                context.insert("unit_link", &unit_url);
                "print_notice.html"
            }
            PageKind::ZoneSign(_, z) => {
                let zone = &unit.zones[*z];
                let base = base_url(site);
                let members: Vec<SignMember> = zone
                    .members
                    .iter()
                    .filter_map(|id| unit.member(&id.0))
                    .map(|m| {
                        let view = MemberRef::new(unit, m);
                        let link = format!("{base}{}", view.url);
                        SignMember {
                            qr_svg: qr::svg(&link, &format!("扫码查看{}的岗位和履责记录", view.name)),
                            link,
                            member: view,
                        }
                    })
                    .collect();
                context.insert("crumbs", &crumbs);
                context.insert_value("zone", cache.zones[*z].clone());
                context.insert("sign_members", &members);
                "zone_sign.html"
            }
            _ => unreachable!("unit pages only"),
        }
    }

    /// County or section compliance figures for the given units.
    fn insert_summary(&self, context: &mut Context, units: &[usize]) {
        let compliance: Vec<Compliance> = units.iter().map(|u| self.derived.compliance[*u].clone()).collect();
        let ok = compliance.iter().filter(|c| c.ok()).count();
        let tallies = tallies(&compliance);
        let rows: Vec<(String, usize)> = tallies.iter().map(|t| (t.label.to_string(), t.ok)).collect();
        let members: usize = units.iter().map(|u| self.site.units[*u].info.members.len()).sum();
        context.insert("unit_count", &units.len());
        context.insert("ok_count", &ok);
        context.insert("member_total", &members);
        context.insert("tallies", &tallies);
        context.insert("compliance_svg", &charts::bars("达标单位数", &rows));
    }

    /// Grade distribution of the assessment year over the given units.
    fn insert_grades(&self, context: &mut Context, units: &[usize]) {
        let site = self.site;
        let grades = &site.config.assessment.grades;
        let mut counts = vec![0usize; grades.len()];
        if let Some(year) = site.assessment_year {
            for u in units {
                if let Some(a) = site.units[*u].assessment(year) {
                    for r in &a.data.results {
                        if let Some(i) = grades.iter().position(|g| g.name == r.final_grade) {
                            counts[i] += 1;
                        }
                    }
                }
            }
        }
        let rows: Vec<(String, usize)> =
            grades.iter().zip(&counts).map(|(g, n)| (g.name.clone(), *n)).collect();
        let grade_counts: Vec<GradeCount> =
            rows.iter().map(|(name, count)| GradeCount { name: name.clone(), count: *count }).collect();
        let title = format!("{} 年考核等次分布", site.assessment_year.unwrap_or_default());
        context.insert("grade_total", &counts.iter().sum::<usize>());
        context.insert("grade_counts", &grade_counts);
        context.insert("grades_svg", &charts::bars(&title, &rows));
    }
}

/// Every unit in a section and its sub-sections.
pub fn units_below(site: &Site, section: usize) -> Vec<usize> {
    let mut units = site.sections[section].units.clone();
    for sub in &site.sections[section].subsections {
        units.extend(units_below(site, *sub));
    }
    units.sort_unstable();
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `newest` must equal: everything made into a view, sorted, cut.
    fn sorted_then_cut(items: &[(Date, u32)], keep: usize) -> Vec<(Date, u32)> {
        let mut all = items.to_vec();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(keep);
        all
    }

    #[test]
    fn newest_equals_sorting_everything_even_with_ties_at_the_cut() {
        let mut seed = 7u64;
        let mut next = move |below: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % below
        };
        for round in 0..500 {
            let len = next(80) as usize;
            // Few distinct days, so that many items share the date of the last one kept.
            let days = 1 + next(if round % 2 == 0 { 3 } else { 40 });
            let items: Vec<(Date, u32)> = (0..len)
                .map(|i| {
                    let day = next(days) as u8;
                    (Date::new(2016, 1 + day / 28, 1 + day % 28).expect("a date"), (i as u32 * 7919) % 101)
                })
                .collect();
            let keep = next(12) as usize;
            let mut made = 0;
            let got = newest(
                items.iter().copied(),
                |item| item.0,
                keep,
                |item| {
                    made += 1;
                    item
                },
                |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)),
            );
            assert_eq!(got, sorted_then_cut(&items, keep), "round {round}: {items:?}, keep {keep}");
            assert!(made <= items.len());
        }
    }

    #[test]
    fn newest_makes_views_only_of_what_can_be_kept() {
        let items: Vec<(Date, u32)> =
            (1..=28).map(|day| (Date::parse(&format!("2016-02-{day:02}")).expect("a date"), day)).collect();
        let mut made = 0;
        let got = newest(
            items.iter().copied(),
            |item| item.0,
            3,
            |item| {
                made += 1;
                item.1
            },
            |a, b| b.cmp(a),
        );
        assert_eq!(got, vec![28, 27, 26]);
        assert_eq!(made, 3);
    }

    #[test]
    fn a_site_past_the_sitemap_limit_gets_an_index_and_parts_in_order() {
        let count = 2 * crate::plan::SITEMAP_LIMIT + 3;
        let mut pages: Vec<Page> = (0..count)
            .map(|i| Page { file: format!("s/u{i}/index.html"), kind: PageKind::Unit(i) })
            .collect();
        // Not listed: the 404 page and printables.
        pages.push(Page { file: "404.html".into(), kind: PageKind::NotFound });
        pages.push(Page { file: "s/u0/notice/index.html".into(), kind: PageKind::PrintNotice(0) });
        pages.extend(crate::plan::sitemap_pages(&pages));
        let base = "https://example.cn/a&b/";
        let index = String::from_utf8(sitemap(base, &pages, None)).expect("UTF-8");
        assert_eq!(
            index,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <sitemap><loc>https://example.cn/a&amp;b/sitemap-1.xml</loc></sitemap>\n\
             <sitemap><loc>https://example.cn/a&amp;b/sitemap-2.xml</loc></sitemap>\n\
             <sitemap><loc>https://example.cn/a&amp;b/sitemap-3.xml</loc></sitemap>\n\
             </sitemapindex>\n"
        );
        let mut listed = Vec::new();
        for part in 1..=3 {
            let xml = String::from_utf8(sitemap(base, &pages, Some(part))).expect("UTF-8");
            assert!(xml.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            ));
            assert!(xml.ends_with("</urlset>\n"));
            let urls: Vec<&str> = xml
                .lines()
                .filter_map(|l| l.strip_prefix("<url><loc>")?.strip_suffix("</loc></url>"))
                .collect();
            assert!(urls.len() <= crate::plan::SITEMAP_LIMIT);
            listed.extend(urls.into_iter().map(String::from));
        }
        let expected: Vec<String> =
            (0..count).map(|i| format!("https://example.cn/a&amp;b/s/u{i}/")).collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn a_small_site_has_one_sitemap_of_all_its_addresses() {
        let mut pages = vec![
            Page { file: "index.html".into(), kind: PageKind::Home },
            Page { file: "s/index.html".into(), kind: PageKind::Section(0) },
            Page { file: "s/a&b'<c>/index.html".into(), kind: PageKind::Unit(0) },
            Page { file: "404.html".into(), kind: PageKind::NotFound },
        ];
        pages.extend(crate::plan::sitemap_pages(&pages));
        let xml = String::from_utf8(sitemap("https://example.cn/", &pages, None)).expect("UTF-8");
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <url><loc>https://example.cn/</loc></url>\n\
             <url><loc>https://example.cn/s/</loc></url>\n\
             <url><loc>https://example.cn/s/a&amp;b&#39;&lt;c&gt;/</loc></url>\n\
             </urlset>\n"
        );
    }
}
