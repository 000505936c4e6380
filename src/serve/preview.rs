//! The site held in memory for `serve`, rebuilt from the plan after each change: a change inside
//! one unit reloads that unit and re-renders only the pages that read it.

use crate::build::{self, BuildError, Checked};
use crate::content::{self, LoadOptions, model::Site};
use crate::diagnostic::Diagnostics;
use crate::plan::{self, Page, PageKind, Scope};
use crate::render::{Derived, Renderer, theme::Theme};
use crate::rules::compliance;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files as served: path below the site root → bytes.
pub type Files = HashMap<String, Arc<[u8]>>;

/// What a change did, for the terminal and the browser.
#[derive(Debug)]
pub enum Outcome {
    /// Pages were re-rendered: which files changed (written or removed).
    Updated { changed: Vec<String>, full: bool },
    /// Content or templates have errors; the last good pages stay.
    Failed(Diagnostics),
    /// Nothing that the site reads changed.
    Unchanged,
}

/// The last good site and its pages.
pub struct Preview {
    root: PathBuf,
    options: LoadOptions,
    live_reload: String,
    state: Option<Built>,
    /// Set while the content has errors; the next change rebuilds everything.
    broken: bool,
}

struct Built {
    site: Site,
    derived: Derived,
    renderer: Renderer,
    pages: Vec<Page>,
}

impl Preview {
    pub fn new(root: &Path, options: LoadOptions, live_reload: String) -> Preview {
        Preview { root: root.to_path_buf(), options, live_reload, state: None, broken: true }
    }

    /// Applies a batch of changed paths (absolute or relative to the root) to `files`.
    pub fn apply(&mut self, changed: &[PathBuf], files: &Mutex<Files>) -> Outcome {
        let units = if self.broken { None } else { self.units_touched(changed) };
        match units {
            Some(units) if units.is_empty() => Outcome::Unchanged,
            Some(units) => self.rebuild_units(&units, files),
            None => self.rebuild_all(files),
        }
    }

    /// Loads, checks and renders everything.
    pub fn rebuild_all(&mut self, files: &Mutex<Files>) -> Outcome {
        let Checked { site, mut derived, .. } = match build::load_checked(&self.root, self.options) {
            Ok(checked) => checked,
            Err(BuildError::Content(diagnostics)) => return self.fail(diagnostics),
            Err(BuildError::Environment(error)) => {
                let diagnostic =
                    crate::diagnostic::Diagnostic::error(Path::new("content"), format!("{error:#}"));
                return self.fail(Diagnostics(vec![diagnostic]));
            }
        };
        let theme = match Theme::load(&self.root, site.config.theme.as_deref()) {
            Ok(theme) => theme,
            Err(diagnostic) => return self.fail(Diagnostics(vec![diagnostic])),
        };
        let mut renderer = match Renderer::new(&theme) {
            Ok(renderer) => renderer,
            Err(diagnostic) => return self.fail(Diagnostics(vec![diagnostic])),
        };
        renderer.live_reload = Some(self.live_reload.clone());
        let mut index = crate::search::Index::build(&site);
        index.prepare_updates(&site);
        derived.search = Some(index);
        let pages = plan::plan(&site, &renderer.asset_names());
        let fresh = Mutex::new(Files::with_capacity(pages.len()));
        let result = renderer.render_all(&site, &derived, &pages, &|page, bytes| {
            fresh.lock().unwrap_or_else(|e| e.into_inner()).insert(page.file.clone(), bytes.into());
            Ok(())
        });
        if let Err(diagnostic) = result {
            return self.fail(Diagnostics(vec![diagnostic]));
        }
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let changed = {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            let mut changed: Vec<String> = fresh
                .iter()
                .filter(|(path, bytes)| files.get(*path) != Some(*bytes))
                .map(|(path, _)| path.clone())
                .collect();
            changed.extend(files.keys().filter(|path| !fresh.contains_key(*path)).cloned());
            *files = fresh;
            changed
        };
        self.state = Some(Built { site, derived, renderer, pages });
        self.broken = false;
        Outcome::Updated { changed, full: true }
    }

    fn fail(&mut self, diagnostics: Diagnostics) -> Outcome {
        self.broken = true;
        Outcome::Failed(diagnostics)
    }

    /// The units a batch of changes is confined to, or `None` when the change reaches beyond
    /// units (site settings, sections, county notices, themes, units added or removed).
    fn units_touched(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        let built = self.state.as_ref()?;
        let mut units = HashSet::new();
        for path in changed {
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            if !relative.starts_with("content") {
                if relative.starts_with("themes") {
                    return None;
                }
                continue; // output or other files the site does not read
            }
            let unit = built
                .site
                .units
                .iter()
                .position(|u| relative.starts_with(&u.dir) && relative != u.dir.as_path())?;
            let inside = relative.strip_prefix(&built.site.units[unit].dir).ok()?;
            if inside == Path::new("unit.yaml") && !self.root.join(relative).exists() {
                return None; // the folder stops being a unit
            }
            units.insert(unit);
        }
        let mut units: Vec<usize> = units.into_iter().collect();
        units.sort_unstable();
        Some(units)
    }

    /// Reloads some units and re-renders their pages and the pages that sum them up.
    fn rebuild_units(&mut self, units: &[usize], files: &Mutex<Files>) -> Outcome {
        let timings = std::env::var_os("GONGKAI_TIMINGS").is_some();
        let started = std::time::Instant::now();
        let lap = |what: &str| {
            if timings {
                eprintln!("{:>8.1} ms  {what}", started.elapsed().as_secs_f64() * 1000.0);
            }
        };
        let built = self.state.as_mut().expect("units_touched needs a built site");
        let mut diagnostics = Diagnostics::default();
        let mut reloaded = Vec::new();
        for &u in units {
            let (unit, found) = content::reload_unit(&self.root, &built.site, u, self.options);
            if found.has_errors() {
                diagnostics.extend(found);
            } else if let Some(unit) = unit {
                reloaded.push((u, unit));
            }
        }
        if diagnostics.has_errors() {
            diagnostics.sort();
            return self.fail(diagnostics);
        }
        lap("reload");
        let latest_year =
            |site: &Site| site.units.iter().filter_map(|u| u.assessments.last()).map(|a| a.data.year).max();
        let mut summaries_changed = false;
        for (u, unit) in reloaded {
            let before = summary_key(&built.site, &built.derived, u);
            built.site.units[u] = unit;
            built.derived.compliance[u] =
                compliance::evaluate(&built.site.units[u], built.site.assessment_year);
            summaries_changed |= summary_key(&built.site, &built.derived, u) != before;
        }
        if built.site.config.assessment.year.is_none()
            && latest_year(&built.site) != built.site.assessment_year
        {
            return self.rebuild_all(files); // the year every unit is judged by moved
        }
        let Some(index) = built.derived.search.as_mut() else { return self.rebuild_all(files) };
        if crate::search::shard_count(&built.site) != index.shard_count() {
            return self.rebuild_all(files); // the site grew or shrank past a shard-count step
        }
        let mut shards = HashSet::new();
        let mut ranges = HashSet::new();
        for &u in units {
            shards.extend(index.update_unit(&built.site, u));
            ranges.extend(index.update_unit_ranges(&built.site, u));
        }
        lap("search index");

        lap("compliance");
        let mut redo = Vec::new();
        let mut gone = Vec::new();
        let mut page_set_changed = false;
        for &u in units {
            // A unit's pages are one run of the plan; splice the new run in.
            let start = built.pages.iter().position(|p| p.unit() == Some(u)).unwrap_or(built.pages.len());
            let end = start + built.pages[start..].iter().take_while(|p| p.unit() == Some(u)).count();
            let new = plan::unit_pages(&built.site.units[u], u);
            let old = &built.pages[start..end];
            if old.len() != new.len() || old.iter().zip(&new).any(|(a, b)| a.file != b.file) {
                page_set_changed = true;
                let kept: HashSet<&str> = new.iter().map(|p| p.file.as_str()).collect();
                gone.extend(old.iter().filter(|p| !kept.contains(p.file.as_str())).map(|p| p.file.clone()));
                built.pages.splice(start..end, new.iter().cloned());
            }
            redo.extend(new);
        }
        if page_set_changed {
            // Only sitemap files come and go here: the site's other pages keep their names.
            let is_sitemap = |p: &Page| matches!(p.kind, PageKind::Sitemap(_));
            let before: Vec<String> =
                built.pages.iter().filter(|p| is_sitemap(p)).map(|p| p.file.clone()).collect();
            built.pages.retain(|p| !is_sitemap(p));
            let after = plan::sitemap_pages(&built.pages);
            gone.extend(before.into_iter().filter(|f| !after.iter().any(|p| p.file == *f)));
            built.pages.extend(after);
        }
        let mut sections = HashSet::new();
        for &u in units {
            let mut section = Some(built.site.units[u].section);
            while let Some(s) = section {
                sections.insert(s);
                section = built.site.sections[s].parent;
            }
        }
        redo.extend(
            built
                .pages
                .iter()
                .filter(|page| match &page.kind {
                    PageKind::Home | PageKind::Disclosure => summaries_changed,
                    PageKind::Sitemap(_) => page_set_changed,
                    PageKind::Section(s) => summaries_changed && sections.contains(s),
                    // Feeds carry the unit's notices and results; they are cheap to redo.
                    PageKind::Feed(Scope::County) => true,
                    PageKind::Feed(Scope::Section(s)) => sections.contains(s),
                    PageKind::SearchShard(n) => shards.contains(n),
                    PageKind::SearchRanges(n) => ranges.contains(n),
                    _ => false,
                })
                .cloned(),
        );
        lap("plan");
        let fresh = Mutex::new(Vec::with_capacity(redo.len()));
        let result =
            built.renderer.render_some(&built.site, &built.derived, &redo, &built.pages, &|page, bytes| {
                fresh.lock().unwrap_or_else(|e| e.into_inner()).push((page.file.clone(), bytes));
                Ok(())
            });
        if let Err(diagnostic) = result {
            return self.fail(Diagnostics(vec![diagnostic]));
        }
        lap("render");
        let mut changed = Vec::new();
        {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            for (path, bytes) in fresh.into_inner().unwrap_or_else(|e| e.into_inner()) {
                if files.get(&path).map(|b| &b[..]) != Some(&bytes[..]) {
                    changed.push(path.clone());
                    files.insert(path, bytes.into());
                }
            }
            for path in gone {
                files.remove(&path);
                changed.push(path);
            }
        }
        lap("publish");
        Outcome::Updated { changed, full: false }
    }
}

/// What the pages that sum units up (home, dashboard, sections) show of one unit; when it is
/// unchanged, a change inside the unit re-renders only the unit's own pages.
fn summary_key(site: &Site, derived: &Derived, u: usize) -> String {
    let unit = &site.units[u];
    let summary = crate::render::views::UnitSummary::new(site, unit, &derived.compliance[u]);
    let notices: Vec<(&str, String, &str)> =
        unit.notices.iter().map(|n| (n.slug.as_str(), n.date.to_string(), n.title.as_str())).collect();
    let grades: Vec<&str> = site
        .assessment_year
        .and_then(|y| unit.assessment(y))
        .map(|a| a.data.results.iter().map(|r| r.final_grade.as_str()).collect())
        .unwrap_or_default();
    serde_json::json!([summary, notices, grades]).to_string()
}
