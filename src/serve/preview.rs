//! The site as `serve` holds it, from the same stages as `build` (`crate::pipeline`).
//!
//! Memory stays bounded at any size: the digests of every unit and the site's own pages (home,
//! dashboard, sections, feeds, search shards, sitemap) are kept, and a unit's pages are rendered
//! when first asked for and kept in a cache of at most [`UNIT_PAGE_BUDGET`] bytes. A change inside
//! one unit re-runs the per-unit stage for it, renders its pages at once (the editor is looking at
//! them) and redoes only the site pages that show what changed.
//!
//! A unit's pages rendered on request read its files as they are now, which may be newer than the
//! published site, or half saved by an editor that truncates a file before writing it. Each unit's
//! digest at the last publication is kept as a fingerprint; a page whose render does not match it
//! waits for the watcher to publish the change (see [`Pages::get`]), so every answer belongs to
//! one published version.

use crate::build::BuildError;
use crate::content::LoadOptions;
use crate::content::model::{Notice, Site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::masking::free_text::PrivateName;
use crate::pipeline::{self, Output, Prepared, RenderSetup, UnitDigest};
use crate::plan::{Page, PageKind, Scope};
use crate::search::{self, Index};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Files as served: path below the site root → bytes.
pub type Files = HashMap<String, Arc<[u8]>>;

/// Bytes of units' pages kept in memory; a city's are about 2 GB, and an editor looks at a few
/// units. Pages of other units are rendered again when asked for (a few milliseconds a unit).
pub const UNIT_PAGE_BUDGET: usize = 96 << 20;

/// How long a page whose unit changed since the last publication waits for the next one before
/// it is answered as the files are now.
pub const CATCH_UP: Duration = Duration::from_secs(2);

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

/// What the server answers from, shared between the watcher (which publishes) and the HTTP side
/// (which reads, and renders a unit's pages when they are not in memory).
#[derive(Default)]
pub struct Pages {
    /// The site's own files: always all of them.
    site: Mutex<Files>,
    /// What a unit's pages are rendered from; `None` before the first good build.
    units: RwLock<Option<Arc<UnitSource>>>,
    cache: Mutex<UnitCache>,
    /// Counts publications (full or incremental), for requests waiting on one.
    published: Mutex<u64>,
    publishing: Condvar,
}

/// The prepared site of the last good build, and where each unit's files are.
struct UnitSource {
    prepared: Arc<Prepared>,
    /// Unit path (`a/b`) → unit.
    by_path: HashMap<String, usize>,
    /// Counts full builds; pages rendered for an older one are not kept.
    generation: u64,
    /// Each unit's digest as published, fingerprinted ([`fingerprint`]).
    fingerprints: Vec<AtomicU64>,
}

/// Units' rendered pages, least recently used dropped first.
#[derive(Default)]
struct UnitCache {
    units: HashMap<usize, CachedUnit>,
    bytes: usize,
    clock: u64,
    generation: u64,
}

struct CachedUnit {
    files: Files,
    bytes: usize,
    used: u64,
}

impl UnitCache {
    fn get(&mut self, u: usize, file: &str) -> Option<Option<Arc<[u8]>>> {
        self.clock += 1;
        let unit = self.units.get_mut(&u)?;
        unit.used = self.clock;
        Some(unit.files.get(file).cloned())
    }

    /// Keeps a unit's pages (replacing any older ones); returns those it replaced.
    fn put(&mut self, u: usize, files: Files, generation: u64) -> Option<Files> {
        if generation != self.generation {
            return None;
        }
        self.clock += 1;
        let bytes = files.iter().map(|(name, bytes)| name.len() + bytes.len()).sum();
        let old = self.units.insert(u, CachedUnit { files, bytes, used: self.clock });
        self.bytes += bytes;
        if let Some(old) = &old {
            self.bytes -= old.bytes;
        }
        while self.bytes > UNIT_PAGE_BUDGET && self.units.len() > 1 {
            let oldest =
                self.units.iter().filter(|(v, _)| **v != u).min_by_key(|(_, c)| c.used).map(|(v, _)| *v);
            let Some(oldest) = oldest else { break };
            if let Some(dropped) = self.units.remove(&oldest) {
                self.bytes -= dropped.bytes;
            }
        }
        old.map(|o| o.files)
    }

    fn clear(&mut self, generation: u64) {
        self.units.clear();
        self.bytes = 0;
        self.generation = generation;
    }
}

impl Pages {
    pub fn new() -> Pages {
        Pages::default()
    }

    /// The file at `path` below the site root: one of the site's own, or a unit's (rendered now
    /// if it is not in memory). A unit whose files no longer give the published digest is being
    /// edited: the answer waits up to [`CATCH_UP`] for the watcher to publish the edit and is
    /// rendered again, so that it is not half saved or ahead of the site's own pages.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        let deadline = Instant::now() + CATCH_UP;
        loop {
            let seen = *self.published.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(bytes) = self.site.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
                return Some(bytes.clone());
            }
            let source = self.units.read().unwrap_or_else(|e| e.into_inner()).clone()?;
            let u = source.unit_of(path)?;
            if let Some(found) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(u, path) {
                return found;
            }
            let rendered = render_unit(&source.prepared, u);
            let current = matches!(&rendered, Ok((_, print)) if *print == source.fingerprints[u].load(Ordering::Acquire));
            if current {
                let (files, _) = rendered.ok()?;
                let found = files.get(path).cloned();
                self.cache.lock().unwrap_or_else(|e| e.into_inner()).put(u, files, source.generation);
                return found;
            }
            if !self.wait_for_publication(seen, deadline) {
                // Nothing was published in time: answer with the files as they are now.
                return rendered.ok()?.0.get(path).cloned();
            }
        }
    }

    /// Waits until something is published after publication `seen`; false at the deadline.
    fn wait_for_publication(&self, seen: u64, deadline: Instant) -> bool {
        let mut published = self.published.lock().unwrap_or_else(|e| e.into_inner());
        while *published == seen {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            published = self.publishing.wait_timeout(published, left).unwrap_or_else(|e| e.into_inner()).0;
        }
        true
    }

    /// Wakes the requests waiting for a publication.
    fn announce(&self) {
        *self.published.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.publishing.notify_all();
    }

    /// How many units' pages are in memory, and their bytes.
    pub fn cached(&self) -> (usize, usize) {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        (cache.units.len(), cache.bytes)
    }
}

impl UnitSource {
    /// The unit a file belongs to: below its folder, or its search chunk.
    fn unit_of(&self, path: &str) -> Option<usize> {
        if let Some(slot) = path.strip_prefix("search/c/").and_then(|n| n.strip_suffix(".js")) {
            return slot.parse::<usize>().ok()?.checked_sub(1).filter(|u| *u < self.by_path.len());
        }
        // The longest folder of the path that is a unit (sections may nest).
        path.match_indices('/').rev().find_map(|(at, _)| self.by_path.get(&path[..at]).copied())
    }
}

/// Every page of unit `u`, as the per-unit stage renders it for `build`, and its digest's
/// fingerprint.
fn render_unit(prepared: &Prepared, u: usize) -> Result<(Files, u64), UnitFailure> {
    let files = Mutex::new(Files::new());
    let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
        files.lock().unwrap_or_else(|e| e.into_inner()).insert(page.file.clone(), bytes.into());
        Ok(())
    };
    let outcome = prepared.unit(u, Output::Pages(&sink)).map_err(|d| UnitFailure(Diagnostics(vec![d])))?;
    match outcome.digest {
        Some(digest) => Ok((files.into_inner().unwrap_or_else(|e| e.into_inner()), fingerprint(&digest))),
        None => Err(UnitFailure(outcome.diagnostics)),
    }
}

/// A digest in one number, to tell whether a unit's files still give what was published. Within
/// one process only (the hasher is not stable across versions), and the digest's debug text holds
/// all of it.
fn fingerprint(digest: &UnitDigest) -> u64 {
    struct Feed<H: Hasher>(H);
    impl<H: Hasher> std::fmt::Write for Feed<H> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            text.hash(&mut self.0);
            Ok(())
        }
    }
    let mut feed = Feed(std::collections::hash_map::DefaultHasher::new());
    let _ = std::fmt::write(&mut feed, format_args!("{digest:?}"));
    feed.0.finish()
}

/// A unit whose stage failed, with its problems.
struct UnitFailure(Diagnostics);

/// The last good site, as the watcher keeps it.
pub struct Preview {
    root: PathBuf,
    options: LoadOptions,
    live_reload: String,
    state: Option<Built>,
    /// Set while the content has errors; the next change rebuilds everything.
    broken: bool,
    generation: u64,
}

struct Built {
    prepared: Arc<Prepared>,
    digests: Vec<UnitDigest>,
    index: Index,
    /// The site's own files (`Prepared::site_pages`).
    pages: Vec<Page>,
}

impl Preview {
    pub fn new(root: &Path, options: LoadOptions, live_reload: String) -> Preview {
        Preview { root: root.to_path_buf(), options, live_reload, state: None, broken: true, generation: 0 }
    }

    /// Applies a batch of changed paths (absolute or relative to the root) to `pages`.
    pub fn apply(&mut self, changed: &[PathBuf], pages: &Pages) -> Outcome {
        let units = if self.broken { None } else { self.units_touched(changed) };
        match units {
            Some(units) if units.is_empty() => Outcome::Unchanged,
            Some(units) => self.rebuild_units(&units, pages),
            None => self.rebuild_all(pages),
        }
    }

    /// Discovers and checks every unit, makes the site's own pages and publishes them; units'
    /// pages are rendered when asked for (the first unit's at once, so that a template that
    /// fails on a unit's page shows its error now).
    pub fn rebuild_all(&mut self, pages: &Pages) -> Outcome {
        let setup = RenderSetup { base_url: None, live_reload: Some(self.live_reload.clone()) };
        let mut prepared = match pipeline::prepare(&self.root, self.options, Some(setup)) {
            Ok(prepared) => prepared,
            Err(BuildError::Content(diagnostics)) => return self.fail(diagnostics),
            Err(BuildError::Environment(error)) => {
                let diagnostic = Diagnostic::error(Path::new("content"), format!("{error:#}"));
                return self.fail(Diagnostics(vec![diagnostic]));
            }
        };
        let units = match prepared.units(Output::Digest, &indicatif::ProgressBar::hidden()) {
            Ok(units) if !units.diagnostics.has_errors() => units,
            Ok(units) => return self.fail(units.diagnostics),
            Err(diagnostic) => return self.fail(Diagnostics(vec![diagnostic])),
        };
        let first = match units.digests.is_empty() {
            true => None,
            false => match render_unit(&prepared, 0) {
                Ok((files, _)) => Some(files),
                Err(UnitFailure(diagnostics)) => return self.fail(diagnostics),
            },
        };
        let digests = units.digests;
        prepared.mask_notices(&digests);
        let index = prepared.index(&digests, true);
        let site_pages = prepared.site_pages(&digests, &index);
        let fresh = Mutex::new(Files::with_capacity(site_pages.len()));
        let result = prepared.aggregate(&digests, &index, &site_pages, &site_pages, &|page, bytes| {
            fresh.lock().unwrap_or_else(|e| e.into_inner()).insert(page.file.clone(), bytes.into());
            Ok(())
        });
        if let Err(diagnostic) = result {
            return self.fail(Diagnostics(vec![diagnostic]));
        }
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());

        self.generation += 1;
        let prepared = Arc::new(prepared);
        let by_path =
            prepared.site.units.iter().enumerate().map(|(u, place)| (place.path.clone(), u)).collect();
        let fingerprints = digests.iter().map(|d| AtomicU64::new(fingerprint(d))).collect();
        let source = UnitSource {
            prepared: Arc::clone(&prepared),
            by_path,
            generation: self.generation,
            fingerprints,
        };
        let mut changed: Vec<String> = Vec::new();
        {
            let mut site = pages.site.lock().unwrap_or_else(|e| e.into_inner());
            let mut cache = pages.cache.lock().unwrap_or_else(|e| e.into_inner());
            changed.extend(
                fresh.iter().filter(|(path, bytes)| site.get(*path) != Some(*bytes)).map(|(p, _)| p.clone()),
            );
            changed.extend(site.keys().filter(|path| !fresh.contains_key(*path)).cloned());
            *site = fresh;
            cache.clear(self.generation);
            if let Some(first) = first {
                cache.put(0, first, self.generation);
            }
            *pages.units.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(source));
        }
        // Units' pages are not compared (most are not rendered yet): all count as changed.
        for (u, digest) in digests.iter().enumerate() {
            changed.extend(digest.files.paths(&prepared.site.units[u].path, u));
        }
        self.state = Some(Built { prepared, digests, index, pages: site_pages });
        self.broken = false;
        pages.announce();
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
        let places = &built.prepared.site.units;
        let mut units = HashSet::new();
        for path in changed {
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            if !relative.starts_with("content") {
                if relative.starts_with("themes") {
                    return None;
                }
                continue; // output or other files the site does not read
            }
            let unit =
                places.iter().position(|u| relative.starts_with(&u.dir) && relative != u.dir.as_path())?;
            let inside = relative.strip_prefix(&places[unit].dir).ok()?;
            if inside == Path::new("unit.yaml") && !self.root.join(relative).exists() {
                return None; // the folder stops being a unit
            }
            units.insert(unit);
        }
        let mut units: Vec<usize> = units.into_iter().collect();
        units.sort_unstable();
        Some(units)
    }

    /// Re-runs the per-unit stage for some units and redoes the site pages that show them.
    fn rebuild_units(&mut self, units: &[usize], pages: &Pages) -> Outcome {
        let timings = std::env::var_os("GONGKAI_TIMINGS").is_some();
        let started = std::time::Instant::now();
        let lap = |what: &str| {
            if timings {
                eprintln!("{:>8.1} ms  {what}", started.elapsed().as_secs_f64() * 1000.0);
            }
        };
        let built = self.state.as_mut().expect("units_touched needs a built site");
        let mut diagnostics = Diagnostics::default();
        let mut fresh = Vec::new();
        for &u in units {
            let files = Mutex::new(Files::new());
            let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
                files.lock().unwrap_or_else(|e| e.into_inner()).insert(page.file.clone(), bytes.into());
                Ok(())
            };
            match built.prepared.unit(u, Output::Pages(&sink)) {
                Ok(outcome) => match outcome.digest {
                    Some(digest) => {
                        fresh.push((u, digest, files.into_inner().unwrap_or_else(|e| e.into_inner())))
                    }
                    None => diagnostics.extend(outcome.diagnostics.0),
                },
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        if diagnostics.has_errors() {
            diagnostics.sort();
            return self.fail(diagnostics);
        }
        lap("units: read, check, render");

        let site = &built.prepared.site;
        let mut summaries_changed = false;
        let mut page_set_changed = false;
        let mut names_changed = false;
        let mut unit_files = Vec::new();
        for (u, digest, files) in fresh {
            let old = std::mem::replace(&mut built.digests[u], digest);
            names_changed |= touches_notices_above(site, u, &old.names.changed(&built.digests[u].names));
            summaries_changed |= old.summary != built.digests[u].summary;
            page_set_changed |= old.files != built.digests[u].files;
            unit_files.push((u, files));
        }
        if names_changed {
            return self.rebuild_all(pages); // the notices above the unit must be masked again
        }
        if site.config.assessment.year.is_none()
            && built.digests.iter().filter_map(|d| d.summary.latest_year).max() != site.assessment_year
        {
            return self.rebuild_all(pages); // the year every unit is judged by moved
        }
        let records =
            site.sections.len() + built.digests.iter().map(|d| d.search.records as usize).sum::<usize>();
        if search::shard_count(records) != built.index.shard_count() {
            return self.rebuild_all(pages); // the site grew or shrank past a shard-count step
        }
        let mut shards = HashSet::new();
        let mut ranges = HashSet::new();
        for &u in units {
            shards.extend(built.index.update_slot(u + 1, &built.digests[u].search, records));
            ranges.extend(built.index.update_ranges(u + 1, &built.digests[u].ranges));
        }
        lap("search index");

        let mut gone = Vec::new();
        if page_set_changed {
            // Only sitemap files come and go among the site's own: its other pages keep their names.
            let after = built.prepared.site_pages(&built.digests, &built.index);
            let kept: HashSet<&str> = after.iter().map(|p| p.file.as_str()).collect();
            gone.extend(
                built.pages.iter().filter(|p| !kept.contains(p.file.as_str())).map(|p| p.file.clone()),
            );
            built.pages = after;
        }
        let mut sections = HashSet::new();
        for &u in units {
            let mut section = Some(site.units[u].section);
            while let Some(s) = section {
                sections.insert(s);
                section = site.sections[s].parent;
            }
        }
        let redo: Vec<Page> = built
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
            .cloned()
            .collect();
        let rendered = Mutex::new(Vec::with_capacity(redo.len()));
        let result =
            built.prepared.aggregate(&built.digests, &built.index, &built.pages, &redo, &|page, bytes| {
                rendered.lock().unwrap_or_else(|e| e.into_inner()).push((page.file.clone(), bytes));
                Ok(())
            });
        if let Err(diagnostic) = result {
            return self.fail(Diagnostics(vec![diagnostic]));
        }
        lap("site pages");

        let mut changed = Vec::new();
        {
            let mut files = pages.site.lock().unwrap_or_else(|e| e.into_inner());
            for (path, bytes) in rendered.into_inner().unwrap_or_else(|e| e.into_inner()) {
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
        if let Some(source) = pages.units.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            for &u in units {
                source.fingerprints[u].store(fingerprint(&built.digests[u]), Ordering::Release);
            }
        }
        let mut cache = pages.cache.lock().unwrap_or_else(|e| e.into_inner());
        for (u, files) in unit_files {
            let new_names: Vec<String> = files.keys().cloned().collect();
            let old = cache.put(u, files, self.generation);
            let now = cache.units.get(&u).map(|c| &c.files);
            match (old, now) {
                (Some(old), Some(now)) => {
                    changed
                        .extend(now.iter().filter(|(p, b)| old.get(*p) != Some(*b)).map(|(p, _)| p.clone()));
                    changed.extend(old.keys().filter(|p| !now.contains_key(*p)).cloned());
                }
                _ => changed.extend(new_names),
            }
        }
        drop(cache);
        pages.announce();
        lap("publish");
        Outcome::Updated { changed, full: false }
    }
}

/// Whether a notice of the county or of a section holding unit `u` shows one of `names` (in full
/// or masked): those notices are masked with the unit's names, so adding or removing one of them
/// needs a full rebuild. Edits that touch no such notice stay incremental.
fn touches_notices_above(site: &Site, u: usize, names: &[&PrivateName]) -> bool {
    if names.is_empty() {
        return false;
    }
    let mut notices: Vec<&Notice> = site.notices.iter().collect();
    let mut section = Some(site.units[u].section);
    while let Some(s) = section {
        notices.extend(&site.sections[s].notices);
        section = site.sections[s].parent;
    }
    notices.iter().any(|n| names.iter().any(|p| p.touches(&n.title) || p.touches(&n.body)))
}
