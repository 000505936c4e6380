//! What templates see: the model shaped for reading, with masking, links and derived figures
//! applied. Personal data is masked here, once, for pages and `data.json` alike.

use super::charts;
use super::markdown;
use super::words::{self, NoticeStatus};
use crate::content::model::*;
use crate::date::Date;
use crate::masking;
use crate::plan::notice_url;
use crate::rules::compliance::{Check, Compliance};
use crate::rules::scoring::format_score;
use serde::Serialize;

/// A contact or supervision channel.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelView {
    pub phone: Option<String>,
    pub address: Option<String>,
    pub mailbox: Option<String>,
    pub email: Option<String>,
}

impl ChannelView {
    /// A unit's or the county's public channel: published as written, so residents can call it.
    pub fn new(channel: &Channel) -> ChannelView {
        ChannelView {
            phone: channel.phone.clone(),
            address: channel.address.clone(),
            mailbox: channel.mailbox.clone(),
            email: channel.email.clone(),
        }
    }

    pub fn optional(channel: Option<&Channel>) -> Option<ChannelView> {
        channel.filter(|c| !c.is_empty()).map(ChannelView::new)
    }
}

/// A member as shown anywhere: the name masked without consent, the phone always masked.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRef {
    pub id: String,
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub group: String,
    pub group_name: String,
    pub exempt: Option<String>,
    pub category: Option<&'static str>,
    pub phone: Option<String>,
    /// The full number, only when the member agreed to it being public ([`masking::public_phone`]).
    pub public_phone: Option<String>,
    pub joined: Option<i32>,
}

impl MemberRef {
    /// A member without consent is shown with what the disclosures need only: masked name, role,
    /// party group (results are listed by group), zones, post and results. The join year,
    /// phone, category and the reason for an exemption are left out: in a village of a dozen
    /// members they would name the person.
    pub fn new(unit: &Unit, member: &Member) -> MemberRef {
        if !member.consent {
            return MemberRef {
                exempt: member.exempt.as_ref().map(|_| words::EXEMPT_WITHOUT_CONSENT.to_string()),
                category: None,
                phone: None,
                joined: None,
                ..MemberRef::new(unit, &Member { consent: true, ..member.clone() })
            }
            .masked(member);
        }
        MemberRef {
            id: member.id.clone(),
            name: masking::member_name(member).into_owned(),
            url: format!("{}/members/{}/", unit.path, member.id),
            role: member.role.clone(),
            group: member.group.clone(),
            group_name: unit.group(&member.group).map(|g| g.name.clone()).unwrap_or_default(),
            exempt: member.exempt.clone(),
            category: member.category.map(words::category_label),
            phone: member.phone.as_deref().map(masking::mask_phone),
            public_phone: masking::public_phone(member).map(str::to_string),
            joined: member.joined,
        }
    }

    fn masked(self, member: &Member) -> MemberRef {
        MemberRef { name: masking::member_name(member).into_owned(), ..self }
    }

    fn by_id(unit: &Unit, id: &str) -> Option<MemberRef> {
        unit.member(id).map(|m| MemberRef::new(unit, m))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerView {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZoneView {
    pub id: String,
    pub name: String,
    pub group: String,
    pub group_name: String,
    pub area: Option<String>,
    pub households: Option<u32>,
    pub members: Vec<MemberRef>,
    pub partners: Vec<PartnerView>,
    pub description_html: Option<String>,
}

impl ZoneView {
    pub fn new(unit: &Unit, zone: &Zone) -> ZoneView {
        ZoneView {
            id: zone.id.clone(),
            name: zone.name.clone(),
            group: zone.group.clone(),
            group_name: unit.group(&zone.group).map(|g| g.name.clone()).unwrap_or_default(),
            area: zone.area.clone(),
            households: zone.households,
            members: zone.members.iter().filter_map(|id| MemberRef::by_id(unit, &id.0)).collect(),
            partners: zone
                .partners
                .iter()
                .map(|p| PartnerView { name: masking::partner_name(&p.name), role: p.role.clone() })
                .collect(),
            description_html: zone.description.as_deref().map(markdown::to_html),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub leader: Option<MemberRef>,
    pub members: Vec<MemberRef>,
    pub zones: Vec<ZoneView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordsOfYear {
    pub year: i32,
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub member: MemberRef,
    pub title: String,
    pub duties: Vec<String>,
    pub commitments: Vec<String>,
    /// Records of the assessment year, newest first.
    pub records: Vec<Record>,
    pub record_count: usize,
}

impl PostView {
    pub fn new(unit: &Unit, post: &Post, year: Option<i32>) -> Option<PostView> {
        let mut records: Vec<Record> =
            post.records.iter().filter(|r| year.is_none_or(|y| r.date.year == y)).cloned().collect();
        records.sort_by_key(|r| std::cmp::Reverse(r.date));
        Some(PostView {
            member: MemberRef::by_id(unit, &post.member)?,
            title: post.title.clone(),
            duties: post.duties.clone(),
            commitments: post.commitments.clone(),
            records,
            record_count: post.records.len(),
        })
    }
}

/// Records, newest first, grouped by year.
pub fn records_by_year(records: Vec<Record>) -> Vec<RecordsOfYear> {
    let mut years: Vec<RecordsOfYear> = Vec::new();
    for record in records {
        match years.last_mut() {
            Some(last) if last.year == record.date.year => last.records.push(record),
            _ => years.push(RecordsOfYear { year: record.date.year, records: vec![record] }),
        }
    }
    years
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub member: MemberRef,
    pub self_review: String,
    pub masses: String,
    pub organization: String,
    pub total: String,
    pub total_value: f64,
    pub grade: String,
    pub group_rank: usize,
    pub vanguard: bool,
    pub action: Option<&'static str>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradeCount {
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub year: i32,
    pub url: String,
    pub published: Option<Date>,
    pub last_day: Option<Date>,
    pub status: NoticeStatus,
    pub status_label: &'static str,
    /// `2016年12月20日`, and the period `2016年12月20日至12月26日`, for notices and banners.
    pub published_chinese: Option<String>,
    pub period_chinese: Option<String>,
    pub objections: Option<String>,
    /// The objections received and what became of them.
    pub objection_log: Vec<ObjectionView>,
    /// Whether the page reports on objections: once the period is over (an empty log then reads
    /// 公示期内未收到异议), or when no period is given and some were logged; not while it runs.
    pub objection_report: bool,
    /// How many logged objections changed a result.
    pub objections_changed: usize,
    pub weights: Weights,
    /// Grouped by party group, each ordered by rank.
    pub groups: Vec<ResultGroup>,
    pub grade_counts: Vec<GradeCount>,
    pub vanguards: Vec<MemberRef>,
    pub follow_ups: Vec<ResultRow>,
    pub assessed: usize,
    pub chart_svg: String,
}

/// One objection as the results page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionView {
    /// `2016年12月22日`.
    pub received: String,
    pub matter: String,
    pub reply: Option<String>,
    pub outcome: Option<String>,
    pub result_changed: bool,
}

impl ObjectionView {
    fn new(objection: &Objection) -> ObjectionView {
        let text = |t: &Option<String>| t.as_ref().filter(|t| !t.trim().is_empty()).cloned();
        ObjectionView {
            received: objection.received.chinese(),
            matter: objection.matter.clone(),
            reply: text(&objection.reply),
            outcome: text(&objection.outcome),
            result_changed: objection.result_changed,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultGroup {
    pub name: String,
    pub rows: Vec<ResultRow>,
}

pub fn notice_status(published: Option<Date>, last_day: Option<Date>, today: Date) -> NoticeStatus {
    match (published, last_day) {
        (Some(first), _) if today < first => NoticeStatus::Upcoming,
        (Some(_), Some(last)) if today <= last => NoticeStatus::Open,
        (Some(_), Some(_)) => NoticeStatus::Closed,
        _ => NoticeStatus::Unknown,
    }
}

impl AssessmentView {
    pub fn new(unit: &Unit, assessment: &Assessment, rules: &AssessmentRules, today: Date) -> AssessmentView {
        let data = &assessment.data;
        let rows: Vec<ResultRow> = data
            .results
            .iter()
            .filter_map(|r| {
                Some(ResultRow {
                    member: MemberRef::by_id(unit, &r.member)?,
                    self_review: format_score(r.self_review),
                    masses: format_score(r.masses),
                    organization: format_score(r.organization),
                    total: format_score(r.total),
                    total_value: r.total,
                    grade: r.final_grade.clone(),
                    group_rank: r.group_rank,
                    vanguard: r.vanguard,
                    action: r.action.map(words::follow_up_label),
                    note: follow_up_note(unit, r),
                })
            })
            .collect();
        let mut groups: Vec<ResultGroup> = unit
            .info
            .groups
            .iter()
            .map(|g| {
                let mut rows: Vec<ResultRow> =
                    rows.iter().filter(|r| r.member.group == g.id).cloned().collect();
                rows.sort_by(|a, b| {
                    a.group_rank.cmp(&b.group_rank).then_with(|| a.member.id.cmp(&b.member.id))
                });
                ResultGroup { name: g.name.clone(), rows }
            })
            .filter(|g| !g.rows.is_empty())
            .collect();
        groups.retain(|g| !g.rows.is_empty());
        let grade_counts: Vec<GradeCount> = rules
            .grades
            .iter()
            .map(|g| GradeCount {
                name: g.name.clone(),
                count: rows.iter().filter(|r| r.grade == g.name).count(),
            })
            .collect();
        let chart_rows: Vec<(String, usize)> =
            grade_counts.iter().map(|g| (g.name.clone(), g.count)).collect();
        let status = notice_status(data.published, assessment.last_day, today);
        AssessmentView {
            year: data.year,
            url: format!("{}/assessments/{}/", unit.path, data.year),
            published: data.published,
            last_day: assessment.last_day,
            status,
            status_label: words::notice_status_label(status),
            published_chinese: data.published.map(Date::chinese),
            period_chinese: data
                .published
                .zip(assessment.last_day)
                .map(|(first, last)| first.chinese_period(last)),
            objections: data.objections.clone(),
            objection_log: data.objection_log.iter().map(ObjectionView::new).collect(),
            objection_report: match status {
                NoticeStatus::Closed => true,
                NoticeStatus::Unknown => !data.objection_log.is_empty(),
                NoticeStatus::Upcoming | NoticeStatus::Open => false,
            },
            objections_changed: data.objection_log.iter().filter(|o| o.result_changed).count(),
            weights: rules.weights,
            vanguards: rows.iter().filter(|r| r.vanguard).map(|r| r.member.clone()).collect(),
            follow_ups: rows.iter().filter(|r| r.action.is_some()).cloned().collect(),
            assessed: rows.len(),
            chart_svg: charts::bars(
                &format!("{} 年考核等次分布", data.year),
                charts::Counting::Grades,
                &chart_rows,
            ),
            groups,
            grade_counts,
        }
    }
}

/// A notice in a list or on its own page.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NoticeView {
    pub title: String,
    pub date: Date,
    pub url: String,
    /// Who issued it: the county, a section or a unit.
    pub source: String,
    pub draft: bool,
}

impl NoticeView {
    /// `level`: the organisation of the level that publishes it, shown unless `issuer` is given.
    pub fn new(notice: &Notice, level_url: &str, level: &str) -> NoticeView {
        NoticeView {
            title: notice.title.clone(),
            date: notice.date,
            url: notice_url(level_url, &notice.slug),
            source: notice.issuer_or(level).to_string(),
            draft: notice.draft,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    pub label: &'static str,
    pub ok: bool,
    pub reasons: Vec<String>,
}

pub fn check_views(compliance: &Compliance) -> Vec<CheckView> {
    compliance
        .checks()
        .into_iter()
        .map(|(label, Check { ok, reasons })| CheckView {
            label,
            ok: *ok,
            reasons: reasons.iter().map(|r| r.text.clone()).collect(),
        })
        .collect()
}

/// A unit in a list (dashboard, section page).
#[derive(Debug, Clone, Serialize)]
pub struct UnitSummary {
    pub name: String,
    pub url: String,
    pub kind_label: &'static str,
    pub section: String,
    pub members: usize,
    pub zones: usize,
    pub ok: bool,
    pub checks: Vec<CheckView>,
}

impl UnitSummary {
    pub fn new(site: &Site, summary: &crate::pipeline::Summary) -> UnitSummary {
        UnitSummary {
            name: summary.name.clone(),
            url: summary.url.clone(),
            kind_label: words::kind_label(summary.kind),
            section: site.sections[summary.section].name.clone(),
            members: summary.members,
            zones: summary.zones,
            ok: summary.compliance.ok(),
            checks: check_views(&summary.compliance),
        }
    }
}

/// The header every page of a unit shares.
#[derive(Debug, Clone, Serialize)]
pub struct UnitHeader {
    pub name: String,
    pub url: String,
    pub kind: UnitKind,
    pub kind_label: &'static str,
    pub zone_term: &'static str,
    pub organization: Option<String>,
    pub section: String,
    pub section_url: String,
    pub contact: Option<ChannelView>,
    pub supervision: Option<ChannelView>,
    pub assessment_years: Vec<i32>,
}

impl UnitHeader {
    pub fn new(site: &Site, unit: &Unit) -> UnitHeader {
        let section = &site.sections[unit.section];
        UnitHeader {
            name: unit.info.name.clone(),
            url: format!("{}/", unit.path),
            kind: unit.info.kind,
            kind_label: words::kind_label(unit.info.kind),
            zone_term: words::zone_term(unit.info.kind),
            organization: unit.info.organization.clone(),
            section: section.name.clone(),
            section_url: format!("{}/", section.path),
            contact: ChannelView::optional(unit.info.contact.as_ref()),
            supervision: ChannelView::optional(unit.info.supervision.as_ref()),
            assessment_years: unit.assessments.iter().rev().map(|a| a.data.year).collect(),
        }
    }
}

pub fn group_views(unit: &Unit) -> Vec<GroupView> {
    unit.info
        .groups
        .iter()
        .map(|g| GroupView {
            id: g.id.clone(),
            name: g.name.clone(),
            leader: g.leader.as_deref().and_then(|id| MemberRef::by_id(unit, id)),
            members: unit
                .info
                .members
                .iter()
                .filter(|m| m.group == g.id)
                .map(|m| MemberRef::new(unit, m))
                .collect(),
            zones: unit.zones.iter().filter(|z| z.group == g.id).map(|z| ZoneView::new(unit, z)).collect(),
        })
        .collect()
}

/// A grade and the totals it covers, for the about page: `min` and, below the top grade, the
/// next grade's minimum (`below`), both as residents read numbers (`90`, not `90.0`).
#[derive(Debug, Clone, Serialize)]
pub struct GradeRange {
    pub name: String,
    pub min: String,
    pub lowest: bool,
    pub below: Option<String>,
}

/// The grades, highest first, with the range of totals each covers.
pub fn grade_ranges(grades: &[GradeRule]) -> Vec<GradeRange> {
    grades
        .iter()
        .enumerate()
        .map(|(i, g)| GradeRange {
            name: g.name.clone(),
            min: format_score(g.min),
            lowest: g.min <= 0.0,
            below: i.checked_sub(1).map(|above| format_score(grades[above].min)),
        })
        .collect()
}

/// One year of a member's results, for the member page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberResult {
    pub year: i32,
    pub url: String,
    pub total: String,
    pub grade: String,
    pub group_rank: usize,
    pub vanguard: bool,
    pub action: Option<&'static str>,
    pub note: Option<String>,
}

pub fn member_results(unit: &Unit, member: &str) -> Vec<MemberResult> {
    unit.assessments
        .iter()
        .rev()
        .filter_map(|a| {
            let r = a.data.results.iter().find(|r| r.member == member)?;
            Some(MemberResult {
                year: a.data.year,
                url: format!("{}/assessments/{}/", unit.path, a.data.year),
                total: format_score(r.total),
                grade: r.final_grade.clone(),
                group_rank: r.group_rank,
                vanguard: r.vanguard,
                action: r.action.map(words::follow_up_label),
                note: follow_up_note(unit, r),
            })
        })
        .collect()
}

/// The note on a result, left out for a member without consent (it often says why they fell short).
fn follow_up_note(unit: &Unit, result: &AssessmentResult) -> Option<String> {
    result.note.clone().filter(|_| unit.member(&result.member).is_some_and(|m| m.consent))
}

pub fn member_trend(unit: &Unit, member: &str) -> Option<String> {
    let points: Vec<(i32, f64)> = unit
        .assessments
        .iter()
        .filter_map(|a| a.data.results.iter().find(|r| r.member == member).map(|r| (a.data.year, r.total)))
        .collect();
    (points.len() >= 2).then(|| charts::trend("历年考核总分", &points))
}

/// The unit's published data for open-data users, masked like the pages.
#[derive(Debug, Serialize)]
pub struct UnitData {
    pub format: &'static str,
    pub name: String,
    pub kind: UnitKind,
    pub section: String,
    pub organization: Option<String>,
    pub contact: Option<ChannelView>,
    pub supervision: Option<ChannelView>,
    pub groups: Vec<GroupData>,
    pub members: Vec<MemberRef>,
    pub zones: Vec<ZoneView>,
    pub posts: Vec<PostData>,
    pub assessments: Vec<AssessmentData>,
    pub compliance: Compliance,
}

#[derive(Debug, Serialize)]
pub struct GroupData {
    pub id: String,
    pub name: String,
    pub leader: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PostData {
    pub member: String,
    pub title: String,
    pub duties: Vec<String>,
    pub commitments: Vec<String>,
    pub records: Vec<Record>,
}

#[derive(Debug, Serialize)]
pub struct AssessmentData {
    pub year: i32,
    pub published: Option<Date>,
    pub last_day: Option<Date>,
    pub objections: Option<String>,
    pub objection_log: Vec<Objection>,
    pub results: Vec<ResultData>,
}

#[derive(Debug, Serialize)]
pub struct ResultData {
    pub member: String,
    #[serde(rename = "self")]
    pub self_review: f64,
    pub masses: f64,
    pub organization: f64,
    pub total: f64,
    pub grade: String,
    pub group_rank: usize,
    pub vanguard: bool,
    pub action: Option<FollowUp>,
}

impl UnitData {
    pub fn new(site: &Site, unit: &Unit, compliance: &Compliance) -> UnitData {
        UnitData {
            format: "gongkai-unit-1",
            name: unit.info.name.clone(),
            kind: unit.info.kind,
            section: site.sections[unit.section].name.clone(),
            organization: unit.info.organization.clone(),
            contact: ChannelView::optional(unit.info.contact.as_ref()),
            supervision: ChannelView::optional(unit.info.supervision.as_ref()),
            groups: unit
                .info
                .groups
                .iter()
                .map(|g| GroupData { id: g.id.clone(), name: g.name.clone(), leader: g.leader.clone() })
                .collect(),
            members: unit.info.members.iter().map(|m| MemberRef::new(unit, m)).collect(),
            zones: unit.zones.iter().map(|z| ZoneView::new(unit, z)).collect(),
            posts: unit
                .posts
                .iter()
                .map(|p| PostData {
                    member: p.member.clone(),
                    title: p.title.clone(),
                    duties: p.duties.clone(),
                    commitments: p.commitments.clone(),
                    records: p.records.clone(),
                })
                .collect(),
            assessments: unit
                .assessments
                .iter()
                .map(|a| AssessmentData {
                    year: a.data.year,
                    published: a.data.published,
                    last_day: a.last_day,
                    objections: a.data.objections.clone(),
                    objection_log: a.data.objection_log.clone(),
                    results: a
                        .data
                        .results
                        .iter()
                        .map(|r| ResultData {
                            member: r.member.clone(),
                            self_review: r.self_review,
                            masses: r.masses,
                            organization: r.organization,
                            total: r.total,
                            grade: r.final_grade.clone(),
                            group_rank: r.group_rank,
                            vanguard: r.vanguard,
                            action: r.action,
                        })
                        .collect(),
                })
                .collect(),
            compliance: compliance.clone(),
        }
    }
}
