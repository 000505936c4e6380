//! The stages every command runs, wired once: `build`, `check` and `serve` differ only in where
//! the pages go.
//!
//! 1. [`prepare`]: discovery (site settings, sections, notices above the units, the list of unit
//!    folders) and the theme. Small, whatever the site's size.
//! 2. [`Prepared::unit`], the per-unit stage, for each unit in parallel: read → check →
//!    compliance → render → write → a [`UnitDigest`], after which the unit's model is dropped.
//!    Memory grows by the digests only (a few KB a unit), not by the county's content.
//! 3. The aggregate stage ([`Prepared::index`], [`Prepared::site_pages`],
//!    [`Prepared::aggregate`]): the search index, then home, dashboard, sections, feeds, search
//!    shards and sitemap, from the digests alone.

mod digest;

pub use digest::{Summary, UnitDigest};

use crate::build::BuildError;
use crate::content::{
    self, LoadOptions,
    model::{Site, Unit},
};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::masking::free_text::{self, PrivateNames};
use crate::plan::{self, Page};
use crate::render::aggregate::SitePages;
use crate::render::unit::UnitPages;
use crate::render::{PageSink, Renderer, feed, theme::Theme};
use crate::rules::{self, sensitive::SensitiveWords};
use crate::search::{self, Index};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// How a site's pages are to be rendered (absent for `check`).
#[derive(Debug, Clone, Default)]
pub struct RenderSetup {
    /// Overrides `base_url` of `site.yaml` (`build --base-url`).
    pub base_url: Option<String>,
    /// The script `serve` injects before `</body>`.
    pub live_reload: Option<String>,
}

/// Discovery done and the theme loaded: what every unit's stage shares.
pub struct Prepared {
    pub root: PathBuf,
    pub options: LoadOptions,
    pub site: Site,
    /// The day the pages are built for (notice period status).
    pub today: Date,
    /// `None` for `check`, which renders nothing.
    pub renderer: Option<Renderer>,
    /// What discovery found: problems in `site.yaml`, sections and notices above the units.
    pub diagnostics: Diagnostics,
    /// What every unit's pages share, hashed ([`crate::cache::fingerprint`]); 0 until the theme
    /// is loaded.
    pub fingerprint: u128,
    /// The sensitive words of the built-in list and of `site.yaml`, warned about in free text.
    pub sensitive: SensitiveWords,
}

/// What the per-unit stage does with a unit.
#[derive(Clone, Copy)]
pub enum Output<'a> {
    /// Checks only: the digest holds the unit's summary (`check`).
    Check,
    /// The whole digest, no pages (`serve`, which renders a unit's pages when they are asked for).
    Digest,
    /// The whole digest, and every page of the unit to `sink`.
    Pages(&'a PageSink<'a>),
}

/// What the per-unit stage gives for one unit: its digest unless it has errors, and its problems.
pub struct UnitOutcome {
    pub digest: Option<UnitDigest>,
    pub diagnostics: Diagnostics,
    /// The notice periods of the unit's results (first and last day), whose state on the build
    /// day its pages show; filled when its pages were rendered.
    pub periods: Vec<(Option<Date>, Option<Date>)>,
}

/// The per-unit stage over every unit.
pub struct Units {
    /// One per unit, in site order; complete only when there are no errors.
    pub digests: Vec<UnitDigest>,
    /// Every unit's problems and discovery's, sorted.
    pub diagnostics: Diagnostics,
}

/// Discovers the site and loads the theme (when `render` is given). Errors found by discovery
/// are kept in `diagnostics` (the theme is then not loaded): the per-unit stage still checks every
/// unit, so that one run reports every problem, but renders nothing.
pub fn prepare(
    root: &Path,
    options: LoadOptions,
    render: Option<RenderSetup>,
) -> Result<Prepared, BuildError> {
    let mut prepared = discover(root, options)?;
    if prepared.diagnostics.has_errors() {
        return Ok(prepared);
    }
    if let Some(setup) = render {
        if let Some(base_url) = setup.base_url {
            prepared.site.config.base_url = base_url;
        }
        let theme = Theme::load(root, prepared.site.config.theme.as_deref()).map_err(one_error)?;
        let mut renderer = Renderer::new(&theme).map_err(one_error)?;
        renderer.live_reload = setup.live_reload;
        prepared.renderer = Some(renderer);
        prepared.fingerprint = crate::cache::fingerprint(&prepared.site, &theme, options, prepared.today);
    }
    Ok(prepared)
}

/// Discovery and the check of `site.yaml`'s settings; its problems are in the result's
/// diagnostics. `Err` when there is no `content/` or no readable `site.yaml`.
fn discover(root: &Path, options: LoadOptions) -> Result<Prepared, BuildError> {
    if !root.join("content").is_dir() {
        return Err(BuildError::Environment(anyhow::anyhow!(
            "{} 里没有 content/ 文件夹；请在站点根目录运行，或用 --root 指定",
            root.display()
        )));
    }
    let (discovered, mut diagnostics) = content::discover(root, options);
    let Some(discovered) = discovered else { return Err(BuildError::Content(diagnostics)) };
    diagnostics.extend(rules::site::check_config(&discovered.site.config, &discovered.config_source));
    let sensitive = SensitiveWords::new(&discovered.site.config);
    diagnostics.extend(sensitive_above_units(root, &discovered.site, &sensitive));
    diagnostics.sort();
    Ok(Prepared {
        root: root.to_path_buf(),
        options,
        site: discovered.site,
        today: Date::build_date(),
        renderer: None,
        diagnostics,
        fingerprint: 0,
        sensitive,
    })
}

/// Sensitive words in the county's notices, the sections' notices and descriptions; a file is
/// read again only when its text holds one.
fn sensitive_above_units(root: &Path, site: &Site, words: &SensitiveWords) -> Vec<Diagnostic> {
    let mut files: Vec<&Path> = Vec::new();
    let notices = site.notices.iter().chain(site.sections.iter().flat_map(|s| &s.notices));
    for notice in notices {
        if words.any_in(&notice.title) || words.any_in(&notice.body) {
            files.push(&notice.file);
        }
    }
    for section in &site.sections {
        if section.description.as_deref().is_some_and(|d| words.any_in(d)) {
            files.push(&section.file);
        }
    }
    let mut found = Vec::new();
    for file in files {
        if let Ok(mut source) = content::source::read(root, file) {
            // Mobile numbers masked as when the file was first read, so positions agree.
            if file.extension().is_some_and(|e| e == "yaml") {
                crate::guard::screen_yaml(&mut source);
            } else {
                crate::guard::screen_markdown(&mut source);
            }
            found.extend(words.locate(&source));
        }
    }
    found
}

/// Masks one level's notices; a notice that held a name is read again to say where.
fn mask_level(
    root: &Path,
    names: &PrivateNames,
    notices: &mut [content::model::Notice],
    found: &mut Diagnostics,
) {
    if names.is_empty() {
        return;
    }
    for notice in notices {
        if names.mask_notice(notice)
            && let Ok(mut source) = content::source::read(root, &notice.file)
        {
            crate::guard::screen_markdown(&mut source); // mobile numbers, as when first read
            found.extend(free_text::locate(names, &source));
        }
    }
}

fn one_error(diagnostic: Diagnostic) -> BuildError {
    BuildError::Content(Diagnostics(vec![diagnostic]))
}

impl Prepared {
    /// The per-unit stage for unit `u`: read, check, evaluate compliance, render and hand the pages
    /// to the sink (for `Output::Pages`), and sum the unit up in a digest. A unit with errors gets
    /// no digest and renders nothing. `Err` is a template or write problem, which stops the build.
    pub fn unit(&self, u: usize, output: Output<'_>) -> Result<UnitOutcome, Diagnostic> {
        let (unit, mut diagnostics) = self.read_unit(u);
        let Some(mut unit) = unit else {
            return Ok(UnitOutcome { digest: None, diagnostics, periods: Vec::new() });
        };
        // Results older than `retain_years` are checked but not published: no page, member-page
        // row, feed entry, search record, data.json entry or sitemap address is made from them.
        if let Some(first) = self.site.first_published_year() {
            unit.assessments.retain(|a| a.data.year >= first);
        }
        let compliance = rules::compliance::evaluate(&unit, self.site.assessment_year);
        let mut digest = UnitDigest::summary(&self.site, &unit, compliance);
        let mut periods = Vec::new();
        if !matches!(output, Output::Check) {
            periods = unit.assessments.iter().map(|a| (a.data.published, a.last_day)).collect();
            let pages = plan::unit_pages(&unit, u);
            let entries = feed::unit_entries(&unit);
            if let (Output::Pages(sink), Some(renderer)) = (output, &self.renderer) {
                let unit_pages = UnitPages {
                    renderer,
                    site: &self.site,
                    today: self.today,
                    unit: &unit,
                    u,
                    compliance: &digest.summary.compliance,
                    entries: &entries,
                };
                unit_pages.render(&pages, sink)?;
            }
            digest.complete(&self.site, &unit, entries, &pages);
        }
        diagnostics.sort();
        digest.warnings = diagnostics.0.clone();
        Ok(UnitOutcome { digest: Some(digest), diagnostics, periods })
    }

    /// Reads and checks unit `u` (the first steps of the per-unit stage): the unit, unless it has
    /// errors, and its problems, sorted.
    pub fn read_unit(&self, u: usize) -> (Option<Unit>, Diagnostics) {
        let place = &self.site.units[u];
        let (read, mut diagnostics) = content::read_unit(&self.root, place, self.options);
        let Some((mut unit, sources)) = read else { return (None, diagnostics) };
        let context = rules::unit::Context {
            rules: &self.site.config.assessment,
            year: self.site.assessment_year,
            holidays: self.site.holidays.as_ref(),
        };
        diagnostics.extend(rules::unit::check(&mut unit, &sources, &context));
        if !diagnostics.has_errors() {
            // Masked once here, so every page, feed, search record and data.json agree.
            let started = std::time::Instant::now();
            let names = free_text::mask_unit(&mut unit);
            let texts = [&sources.unit, &sources.zones, &sources.posts].into_iter().flatten();
            let texts = texts.chain(sources.assessments.iter().map(|(_, s)| s)).chain(&sources.markdown);
            for source in texts.clone() {
                diagnostics.extend(free_text::locate(&names, source));
            }
            free_text::spent(started);
            for source in texts {
                diagnostics.extend(self.sensitive.locate(source));
            }
        }
        diagnostics.sort();
        if diagnostics.has_errors() { (None, diagnostics) } else { (Some(unit), diagnostics) }
    }

    /// The per-unit stage over every unit, in parallel. Once a unit has errors, the units after it
    /// are still read and checked (so every error is reported) but no longer rendered.
    pub fn units(&self, output: Output<'_>, progress: &indicatif::ProgressBar) -> Result<Units, Diagnostic> {
        self.units_with(progress, |u, failed| self.unit(u, if failed { Output::Check } else { output }))
    }

    /// [`Prepared::units`] with the stage given: `stage(u, failed)` runs the per-unit stage for
    /// unit `u`, checking only when `failed` (an earlier unit had errors). `build` passes the
    /// stage through the cache.
    pub fn units_with(
        &self,
        progress: &indicatif::ProgressBar,
        stage: impl Fn(usize, bool) -> Result<UnitOutcome, Diagnostic> + Sync + Send,
    ) -> Result<Units, Diagnostic> {
        let all: Vec<usize> = (0..self.site.units.len()).collect();
        self.units_of(&all, progress, stage)
    }

    /// [`Prepared::units_with`] over the units `which` (indices into the site's units, in
    /// order): a shard of the site (`build --shard`). The digests are those of `which`.
    pub fn units_of(
        &self,
        which: &[usize],
        progress: &indicatif::ProgressBar,
        stage: impl Fn(usize, bool) -> Result<UnitOutcome, Diagnostic> + Sync + Send,
    ) -> Result<Units, Diagnostic> {
        let failed = AtomicBool::new(self.diagnostics.has_errors());
        let outcomes: Vec<UnitOutcome> = which
            .par_iter()
            .map(|&u| {
                let outcome = stage(u, failed.load(Ordering::Relaxed))?;
                if outcome.digest.is_none() {
                    failed.store(true, Ordering::Relaxed);
                }
                progress.inc(1);
                Ok(outcome)
            })
            .collect::<Result<_, Diagnostic>>()?;
        let mut diagnostics = self.diagnostics.clone();
        let mut digests = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            diagnostics.extend(outcome.diagnostics.0);
            digests.extend(outcome.digest);
        }
        if digests.len() != which.len() && !diagnostics.has_errors() {
            // A unit folder that vanished while it was read: say so rather than publish a site
            // whose lists point at it.
            diagnostics.push(
                Diagnostic::error(Path::new("content"), "有单位文件夹在读取时被移走或无法读取")
                    .hint("等文件复制或同步完成后再运行"),
            );
        }
        diagnostics.sort();
        Ok(Units { digests, diagnostics })
    }

    /// Masks the private names of the units below each section in that section's notices, and
    /// of every unit in the county's notices (the units' own notices were masked with their
    /// unit); a warning where each one is written. Needs every unit's digest.
    pub fn mask_notices(&mut self, digests: &[UnitDigest]) -> Diagnostics {
        let mut found = Diagnostics::default();
        if digests.len() != self.site.units.len() {
            return found;
        }
        let sections = &mut self.site.sections;
        for s in 0..sections.len() {
            if sections[s].notices.is_empty() {
                continue;
            }
            let mut below = vec![s];
            let mut units = Vec::new();
            while let Some(t) = below.pop() {
                below.extend(&sections[t].subsections);
                units.extend(sections[t].units.iter().map(|&u| &digests[u].names));
            }
            let names = PrivateNames::merge(units);
            mask_level(&self.root, &names, &mut sections[s].notices, &mut found);
        }
        if !self.site.notices.is_empty() {
            let names = PrivateNames::merge(digests.iter().map(|d| &d.names));
            mask_level(&self.root, &names, &mut self.site.notices, &mut found);
        }
        found.sort();
        found
    }

    /// The search index of the site: the sections and every unit's postings. `keep` keeps the
    /// postings for updates (`serve`).
    pub fn index(&self, digests: &[UnitDigest], keep: bool) -> Index {
        let sections = search::section_postings(&self.site);
        let slots: Vec<&search::UnitPostings> =
            std::iter::once(&sections).chain(digests.iter().map(|d| &d.search)).collect();
        let ranges: Vec<&[search::RangeEntry]> = digests.iter().map(|d| d.ranges.as_slice()).collect();
        Index::build(&slots, &ranges, keep)
    }

    /// The site's own files (all but the units'), the sitemaps included.
    pub fn site_pages(&self, digests: &[UnitDigest], index: &Index) -> Vec<Page> {
        let assets = self.renderer.as_ref().map(Renderer::asset_names).unwrap_or_default();
        let mut pages = plan::site_pages(&self.site, &assets, index.shard_count(), index.range_count());
        let urls = pages.iter().filter(|p| p.in_sitemap()).count()
            + digests.iter().map(|d| d.files.in_sitemap()).sum::<usize>();
        pages.extend(plan::sitemap_pages(urls));
        pages
    }

    /// The aggregate stage: renders `render` (some or all of `pages`, from
    /// [`Prepared::site_pages`]) from the digests and the index.
    pub fn aggregate(
        &self,
        digests: &[UnitDigest],
        index: &Index,
        pages: &[Page],
        render: &[Page],
        sink: &PageSink<'_>,
    ) -> Result<(), Diagnostic> {
        let Some(renderer) = &self.renderer else { return Ok(()) };
        let site_pages = SitePages { renderer, site: &self.site, today: self.today, digests, index, pages };
        site_pages.render(render, sink)
    }
}

/// The whole model: the site and every unit, read and checked.
pub struct Loaded {
    pub site: Site,
    pub units: Vec<Unit>,
}

/// Reads and checks every unit into memory at once, with the per-unit stage's first steps. For
/// tests and tools that look at the whole model; `build`, `check` and `serve` never hold it.
/// `None` when discovery failed; units with errors are left out (their problems are in the
/// diagnostics).
pub fn load_all(root: &Path, options: LoadOptions) -> (Option<Loaded>, Diagnostics) {
    let prepared = match discover(root, options) {
        Ok(prepared) => prepared,
        Err(BuildError::Content(diagnostics)) => return (None, diagnostics),
        Err(BuildError::Environment(error)) => {
            let diagnostic = Diagnostic::error(Path::new("content"), format!("{error:#}"));
            return (None, Diagnostics(vec![diagnostic]));
        }
    };
    let read: Vec<(Option<Unit>, Diagnostics)> =
        (0..prepared.site.units.len()).into_par_iter().map(|u| prepared.read_unit(u)).collect();
    let mut diagnostics = prepared.diagnostics;
    let mut units = Vec::with_capacity(read.len());
    for (unit, found) in read {
        diagnostics.extend(found.0);
        units.extend(unit);
    }
    diagnostics.sort();
    (Some(Loaded { site: prepared.site, units }), diagnostics)
}
