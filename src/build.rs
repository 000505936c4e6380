//! `gongkai build` and `gongkai check`: the stages of [`crate::pipeline`], with the pages going to
//! a staging folder that replaces the output only when everything succeeded.

use crate::cache::{Cache, StageError};
use crate::content::{LoadOptions, model::Site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::pipeline::{self, Output, RenderSetup, UnitDigest};
use crate::plan::Page;
use crate::spare::{self, Record};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in content or templates (exit code 1).
    #[error("内容有错误")]
    Content(Diagnostics),
    /// Problems with the folders or the machine (exit code 2).
    #[error("{0:#}")]
    Environment(#[from] anyhow::Error),
}

/// Settings of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
    /// Neither use nor update the cache (`--no-cache`).
    pub no_cache: bool,
}

/// What a finished build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub units: usize,
    pub members: usize,
    pub pages: usize,
    pub seconds: f64,
    pub output: PathBuf,
    pub warnings: Diagnostics,
    /// Units whose files came from the cache.
    pub cached: usize,
}

/// A checked site (`gongkai check`): its settings and every unit's digest.
pub struct Checked {
    pub site: Site,
    pub digests: Vec<UnitDigest>,
    pub warnings: Diagnostics,
}

/// Discovers and checks every unit without rendering; content errors stop here.
pub fn load_checked(root: &Path, options: LoadOptions) -> Result<Checked, BuildError> {
    let mut prepared = pipeline::prepare(root, options, None)?;
    let mut units = prepared.units(Output::Check, &indicatif::ProgressBar::hidden()).map_err(one_error)?;
    if units.diagnostics.has_errors() {
        return Err(BuildError::Content(units.diagnostics));
    }
    units.diagnostics.extend(prepared.mask_notices(&units.digests));
    units.diagnostics.sort();
    Ok(Checked { site: prepared.site, digests: units.digests, warnings: units.diagnostics })
}

/// Builds the site into the output folder, replacing it only when everything succeeded: each unit
/// is read, checked, rendered and written in turn, then the pages that sum units up are made from
/// the units' digests.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let root = &options.root;
    let target = options.output.clone().unwrap_or_else(|| root.join("output"));
    crate::output::check_target(root, &target)?;

    let timings = Timings::from_env();
    let setup = RenderSetup { base_url: options.base_url.clone(), live_reload: None };
    let mut prepared = pipeline::prepare(root, LoadOptions { drafts: options.drafts }, Some(setup))?;
    timings.lap("discover and theme", started);
    let mut cache = if options.no_cache { None } else { Cache::open(root, prepared.today) };
    let staging = match &mut cache {
        None => Staging::begin(root, &target)?,
        Some(cache) => {
            let record = Record::read(cache.dir(), spare::SPARE);
            let accept =
                |target: &Path, spare: &Path| record.as_ref().is_some_and(|r| r.describes(target, spare));
            let staging = Staging::begin_from_spare(root, &target, accept)?;
            cache.use_spare(record, &staging);
            staging
        }
    };
    let cache = cache;
    if let Some(cache) = &cache {
        cache.sort_spare(&prepared, &staging);
    }
    let progress = progress_bar(options.progress, prepared.site.units.len());
    let failed_write = std::sync::Mutex::new(None);
    let written = std::sync::atomic::AtomicUsize::new(0);
    // With the cache, units go through it and this writes the other files, which the site's
    // record lists.
    let others = std::sync::Mutex::new(Vec::new());
    let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
        if let Err(error) = staging.write(&page.file, &bytes) {
            *failed_write.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
            return Err(Diagnostic::error(Path::new(&page.file), "写入失败"));
        }
        written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if cache.is_some() {
            others.lock().unwrap_or_else(|e| e.into_inner()).push(page.file.clone());
        }
        Ok(())
    };
    let result = match &cache {
        None => prepared.units(Output::Pages(&sink), &progress),
        Some(cache) => prepared.units_with(&progress, |u, failed| {
            if failed {
                return prepared.unit(u, Output::Check);
            }
            cache.unit(&prepared, u, &staging, &written).map_err(|error| match error {
                StageError::Content(diagnostic) => diagnostic,
                StageError::Io(error) => {
                    *failed_write.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
                    Diagnostic::error(Path::new(&prepared.site.units[u].path), "写入失败")
                }
            })
        }),
    };
    progress.finish_and_clear();
    timings.lap("units: read, check, render, write", started);
    timings.note(&format!(
        "{:.3} s CPU of it masking and locating names in free text",
        crate::masking::free_text::seconds_spent()
    ));
    timings.note(&format!(
        "{:.3} s CPU of it looking for sensitive words in free text",
        crate::rules::sensitive::seconds_spent()
    ));
    let mut units = units_or_abandon(result, &staging, &failed_write)?;
    units.diagnostics.extend(prepared.mask_notices(&units.digests));
    units.diagnostics.sort();
    timings.lap("notices above units: names masked", started);
    let output = staging.target.clone();
    if let Err(error) = aggregate(&prepared, &units.digests, &sink, &failed_write, &timings, started) {
        staging.abandon();
        return Err(error);
    }
    match &cache {
        None => staging.commit()?,
        Some(cache) => {
            let others = others.into_inner().unwrap_or_else(|e| e.into_inner());
            let record = cache.record(&staging, others);
            let fresh = record.is_some_and(|r| r.write(cache.dir(), spare::FRESH).is_ok());
            let kept = staging.commit_keeping_old()?;
            spare::rotate(cache.dir(), kept, fresh);
        }
    }
    timings.lap("swap", started);
    let cached = cache.as_ref().map_or(0, |c| c.hits.load(std::sync::atomic::Ordering::Relaxed));
    if let Some(cache) = cache {
        cache.finish();
        timings.lap("cache clean-up", started);
    }
    Ok(BuildReport {
        units: units.digests.len(),
        members: units.digests.iter().map(|d| d.summary.members).sum(),
        pages: written.into_inner(),
        seconds: started.elapsed().as_secs_f64(),
        output,
        warnings: units.diagnostics,
        cached,
    })
}

fn one_error(diagnostic: Diagnostic) -> BuildError {
    BuildError::Content(Diagnostics(vec![diagnostic]))
}

/// The per-unit stage's outcome, or the build's error after the staging folder is removed.
pub(crate) fn units_or_abandon(
    result: Result<pipeline::Units, Diagnostic>,
    staging: &Staging,
    failed_write: &std::sync::Mutex<Option<anyhow::Error>>,
) -> Result<pipeline::Units, BuildError> {
    let error = match result {
        Ok(units) if !units.diagnostics.has_errors() => return Ok(units),
        Ok(units) => BuildError::Content(units.diagnostics),
        Err(diagnostic) => stopped(diagnostic, failed_write),
    };
    staging.abandon();
    Err(error)
}

/// Why rendering stopped: a failed write (the machine's problem) or a template error.
pub(crate) fn stopped(
    diagnostic: Diagnostic,
    failed_write: &std::sync::Mutex<Option<anyhow::Error>>,
) -> BuildError {
    match failed_write.lock().unwrap_or_else(|e| e.into_inner()).take() {
        Some(error) => BuildError::Environment(error),
        None => one_error(diagnostic),
    }
}

pub(crate) fn progress_bar(wanted: bool, total: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() || total < 50 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} 个单位") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("正在生成");
    bar
}

/// The aggregate stage from the digests: the search index and the site's own pages to `sink`.
pub(crate) fn aggregate(
    prepared: &pipeline::Prepared,
    digests: &[UnitDigest],
    sink: &crate::render::PageSink<'_>,
    failed_write: &std::sync::Mutex<Option<anyhow::Error>>,
    timings: &Timings,
    started: Instant,
) -> Result<(), BuildError> {
    let index = prepared.index(digests, false);
    timings.lap("search index", started);
    let pages = prepared.site_pages(digests, &index);
    prepared.aggregate(digests, &index, &pages, &pages, sink).map_err(|d| stopped(d, failed_write))?;
    timings.lap("site pages", started);
    Ok(())
}

/// Phase times on stderr when `GONGKAI_TIMINGS` is set, for benchmarks and profiling.
pub(crate) struct Timings(bool);

impl Timings {
    pub(crate) fn from_env() -> Timings {
        Timings(std::env::var_os("GONGKAI_TIMINGS").is_some())
    }

    fn note(&self, what: &str) {
        if self.0 {
            eprintln!("          {what}");
        }
    }

    pub(crate) fn lap(&self, phase: &str, started: Instant) {
        if self.0 {
            eprintln!("{:>8.3} s  {phase}", started.elapsed().as_secs_f64());
        }
    }
}
