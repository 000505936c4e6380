//! A unit's own pages, rendered from the unit itself by the per-unit stage: nothing here reads
//! another unit, so each unit can be rendered, written and dropped on its own.

use super::context::{self, Crumb};
use super::views::*;
use super::{PageSink, Renderer, base_url, feed, markdown, notice_html, qr};
use crate::content::model::{Site, Unit, unit_issuer};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::plan::{Page, PageKind, Scope};
use crate::rules::compliance::Compliance;
use serde::Serialize;
use tera::{Context, Value};

/// What a unit's pages are made from.
pub struct UnitPages<'a> {
    pub renderer: &'a Renderer,
    pub site: &'a Site,
    pub today: Date,
    pub unit: &'a Unit,
    /// Slot of the unit in the site (its search chunk's number is `u + 1`).
    pub u: usize,
    pub compliance: &'a Compliance,
    /// The unit's newest feed entries (also carried by its digest).
    pub entries: &'a [feed::Entry],
}

#[derive(Serialize)]
struct SignMember {
    member: MemberRef,
    link: String,
    qr_svg: String,
}

/// What all pages of one unit show, converted to template values once. Tera values share their
/// arrays and maps, so handing them to each page is cheap.
struct UnitCache {
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
    fn new(pages: &UnitPages) -> UnitCache {
        let UnitPages { site, unit, compliance, today, .. } = *pages;
        let rules = &site.config.assessment;
        let assessments: Vec<AssessmentView> =
            unit.assessments.iter().map(|a| AssessmentView::new(unit, a, rules, today)).collect();
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

impl UnitPages<'_> {
    /// Renders `pages` (the unit's, from `plan::unit_pages`) in parallel; `sink` receives each.
    pub fn render(&self, pages: &[Page], sink: &PageSink<'_>) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        let cache = UnitCache::new(self);
        pages.par_iter().try_for_each(|page| sink(page, self.file(page, &cache)?))
    }

    fn file(&self, page: &Page, cache: &UnitCache) -> Result<Vec<u8>, Diagnostic> {
        let UnitPages { site, unit, .. } = *self;
        match &page.kind {
            PageKind::UnitData(_) => {
                let data = UnitData::new(site, unit, self.compliance);
                let json = serde_json::to_string(&data).expect("views serialise");
                // `<` only occurs inside strings; escaping it keeps the file inert if a page or a
                // host ever treats it as HTML.
                let mut json = json.replace('<', "\\u003c").into_bytes();
                json.push(b'\n');
                Ok(json)
            }
            PageKind::Feed(_) => self.renderer.feed(
                site,
                &feed::unit_title(site, unit),
                &format!("{}/", unit.path),
                self.entries,
            ),
            PageKind::SearchChunk(_) => Ok(crate::search::unit_chunk(site, unit, self.u)),
            _ => {
                let mut context = context::common(self.renderer, site, self.today, page);
                let template = self.fill(page, cache, &mut context);
                self.renderer.template(template, &context)
            }
        }
    }

    /// Adds the page's own data; returns the template to use.
    fn fill(&self, page: &Page, cache: &UnitCache, context: &mut Context) -> &'static str {
        let UnitPages { site, unit, .. } = *self;
        let year = site.assessment_year;
        let mut crumbs: Vec<Crumb> = context::unit_crumbs(site, unit);
        if let PageKind::Notice(Scope::Unit(_), i) = page.kind {
            let notice = &unit.notices[i];
            context.insert("crumbs", &crumbs);
            context.insert("notice", &NoticeView::new(notice, "", unit_issuer(unit)));
            context.insert("body_html", notice_html(notice));
            return "notice.html";
        }
        context.insert_value("unit", cache.header.clone());
        context.insert_value("checks", cache.checks.clone());
        context.insert("unit_ok", &cache.ok);
        context.insert("year", &year);
        match &page.kind {
            PageKind::Unit(_) => {
                crumbs.pop();
                let url = format!("{}/", unit.path);
                let notices: Vec<NoticeView> =
                    unit.notices.iter().map(|n| NoticeView::new(n, &url, unit_issuer(unit))).collect();
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
            other => unreachable!("not a unit's page: {other:?}"),
        }
    }
}
