//! A unit summed up for the pages that list it, once its own pages are written and its model is
//! dropped.

use crate::content::model::{Site, Unit, UnitKind, unit_issuer};
use crate::diagnostic::Diagnostic;
use crate::masking::free_text::PrivateNames;
use crate::plan::{Page, UnitFiles};
use crate::render::aggregate::HOME_NOTICES;
use crate::render::feed::Entry;
use crate::render::newest::newest;
use crate::render::views::NoticeView;
use crate::rules::compliance::Compliance;
use crate::search::{self, RangeEntry, UnitPostings};
use serde::{Deserialize, Serialize};

/// What the home page, dashboard and section pages show of a unit. When an edit leaves it as it
/// was, `serve` redoes none of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub name: String,
    /// `path/`, the unit's address below the site root.
    pub url: String,
    pub kind: UnitKind,
    pub section: usize,
    pub members: usize,
    pub zones: usize,
    pub compliance: Compliance,
    /// Results of the assessment year by grade, in the order of `assessment.grades`.
    pub grades: Vec<u32>,
    /// The unit's newest notices, as many as the home page lists.
    pub notices: Vec<NoticeView>,
    /// The year of the unit's latest results, which decides the assessment year when `site.yaml`
    /// does not name one.
    pub latest_year: Option<i32>,
    /// The first and last day of the notice period of the assessment year's results, when both
    /// are known: the home and section pages list the units whose results are being noticed.
    pub notice_period: Option<(crate::date::Date, crate::date::Date)>,
}

/// Everything the aggregate stage needs of a unit (a few KB for a village of 40 members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitDigest {
    pub summary: Summary,
    /// The unit's newest feed entries, for its section's and the county's feeds.
    pub feed: Vec<Entry>,
    /// The terms its search records are found by, for the index.
    pub search: UnitPostings,
    /// The street ranges its zones' areas give, for the range files.
    pub ranges: Vec<RangeEntry>,
    /// Its files, for the sitemap and for `serve`.
    pub files: UnitFiles,
    /// Its warnings, as `check` and `build` print them.
    pub warnings: Vec<Diagnostic>,
    /// The full names its free text must not show, for the notices of its sections and county.
    pub names: PrivateNames,
}

impl UnitDigest {
    /// The summary only (what `check` needs); [`UnitDigest::complete`] adds the rest.
    pub fn summary(site: &Site, unit: &Unit, compliance: Compliance) -> UnitDigest {
        let grade_rules = &site.config.assessment.grades;
        let mut grades = vec![0u32; grade_rules.len()];
        let current = site.assessment_year.and_then(|y| unit.assessment(y));
        let notice_period = current.and_then(|a| a.data.published.zip(a.last_day));
        if let Some(assessment) = current {
            for result in &assessment.data.results {
                if let Some(i) = grade_rules.iter().position(|g| g.name == result.final_grade) {
                    grades[i] += 1;
                }
            }
        }
        let url = format!("{}/", unit.path);
        let notices = newest(
            unit.notices.iter(),
            |n| n.date,
            HOME_NOTICES,
            |n| NoticeView::new(n, &url, unit_issuer(unit)),
            |a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)),
        );
        UnitDigest {
            summary: Summary {
                name: unit.info.name.clone(),
                url,
                kind: unit.info.kind,
                section: unit.section,
                members: unit.info.members.len(),
                zones: unit.zones.len(),
                compliance,
                grades,
                notices,
                latest_year: unit.assessments.last().map(|a| a.data.year),
                notice_period,
            },
            feed: Vec::new(),
            search: UnitPostings::default(),
            ranges: Vec::new(),
            files: UnitFiles::default(),
            warnings: Vec::new(),
            names: PrivateNames::of_unit(unit),
        }
    }

    /// Adds the feed entries, search postings and file list of the unit (its `pages`).
    pub fn complete(&mut self, site: &Site, unit: &Unit, entries: Vec<Entry>, pages: &[Page]) {
        self.feed = entries;
        self.search = search::unit_postings(site, unit);
        self.ranges = search::unit_ranges(unit);
        self.files = UnitFiles::new(&unit.path, pages, site.config.noindex_results);
    }
}
