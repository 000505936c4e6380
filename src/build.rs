//! The whole pipeline for `build` and `check`: load → validate → plan → render → write.

use crate::content::{self, LoadOptions, model::Site};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::plan::{self, Page};
use crate::render::{Derived, Renderer, theme::Theme};
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
}

/// A loaded and checked site, ready to render.
pub struct Checked {
    pub site: Site,
    pub derived: Derived,
    pub warnings: Diagnostics,
}

/// Loads and validates; content errors stop here.
pub fn load_checked(root: &Path, options: LoadOptions) -> Result<Checked, BuildError> {
    if !root.join("content").is_dir() {
        return Err(BuildError::Environment(anyhow::anyhow!(
            "{} 里没有 content/ 文件夹；请在站点根目录运行，或用 --root 指定",
            root.display()
        )));
    }
    let (site, diagnostics) = content::load(root, options);
    match site {
        Some(site) if !diagnostics.has_errors() => {
            let derived = Derived::new(&site, Date::build_date());
            Ok(Checked { site, derived, warnings: diagnostics })
        }
        _ => Err(BuildError::Content(diagnostics)),
    }
}

/// Builds the site into the output folder, replacing it only when everything succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let root = &options.root;
    let target = options.output.clone().unwrap_or_else(|| root.join("output"));
    crate::output::check_target(root, &target)?;

    let timings = Timings::from_env();
    let Checked { mut site, mut derived, warnings } =
        load_checked(root, LoadOptions { drafts: options.drafts })?;
    timings.lap("load and check", started);
    derived.search = Some(crate::search::Index::build(&site));
    timings.lap("search index", started);
    if let Some(base_url) = &options.base_url {
        site.config.base_url = base_url.clone();
    }
    let theme = Theme::load(root, site.config.theme.as_deref()).map_err(one_error)?;
    let renderer = Renderer::new(&theme).map_err(one_error)?;
    let pages = plan::plan(&site, &renderer.asset_names());

    timings.lap("theme and plan", started);
    let staging = Staging::begin(root, &target)?;
    if let Err(error) = staging.create_folders(pages.iter().map(|p| p.file.as_str())) {
        staging.abandon();
        return Err(error.into());
    }
    timings.lap("folders", started);
    let progress = progress_bar(options.progress, pages.len());
    let result = write_pages(&renderer, &site, &derived, &pages, &staging, &progress);
    progress.finish_and_clear();
    if let Err(error) = result {
        staging.abandon();
        return Err(error);
    }
    timings.lap("render and write", started);
    let output = staging.target.clone();
    staging.commit()?;
    timings.lap("swap", started);
    Ok(BuildReport {
        units: site.units.len(),
        members: site.member_count(),
        pages: pages.len(),
        seconds: started.elapsed().as_secs_f64(),
        output,
        warnings,
    })
}

fn one_error(diagnostic: Diagnostic) -> BuildError {
    BuildError::Content(Diagnostics(vec![diagnostic]))
}

/// Renders and writes every page in parallel; the first error stops the build.
fn write_pages(
    renderer: &Renderer,
    site: &Site,
    derived: &Derived,
    pages: &[Page],
    staging: &Staging,
    progress: &indicatif::ProgressBar,
) -> Result<(), BuildError> {
    let failed_write = std::sync::Mutex::new(None);
    let result = renderer.render_all(site, derived, pages, &|page, bytes| {
        if let Err(error) = staging.write(&page.file, &bytes) {
            *failed_write.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
            return Err(crate::diagnostic::Diagnostic::error(Path::new(&page.file), "写入失败"));
        }
        progress.inc(1);
        Ok(())
    });
    if let Some(error) = failed_write.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(BuildError::Environment(error));
    }
    result.map_err(one_error)
}

fn progress_bar(wanted: bool, total: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() || total < 500 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} 页") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("正在生成");
    bar
}

/// Phase times on stderr when `GONGKAI_TIMINGS` is set, for benchmarks and profiling.
struct Timings(bool);

impl Timings {
    fn from_env() -> Timings {
        Timings(std::env::var_os("GONGKAI_TIMINGS").is_some())
    }

    fn lap(&self, phase: &str, started: Instant) {
        if self.0 {
            eprintln!("{:>8.3} s  {phase}", started.elapsed().as_secs_f64());
        }
    }
}
