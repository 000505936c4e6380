//! The persistent cache of units' builds: `.gongkai-cache/` in the site root.
//!
//! A unit's entry holds the files its pages were rendered into and its digest, filed under a key
//! that hashes everything those files depend on ([`Fingerprint`] for what the site shares, then
//! the unit's slot, place and files). A later build whose key is the same and whose notice periods
//! are in the same state (公示中 / 已结束) on its build day reuses the entry: its files are hard
//! linked into the staging folder (copied where links fail) and its digest goes to the aggregate
//! stage, which is always redone.
//!
//! ```text
//! .gongkai-cache/
//!   CACHEDIR.TAG        tells backup tools to skip the folder
//!   lock                held by the build using the cache
//!   units/<key>/        one entry: entry.json and the files 0, 1, 2 …
//!   tmp/                entries being written, renamed into units/ once complete
//! ```
//!
//! `entry.json` ends with a line holding the hash of what comes before it, and lists each file
//! with its length and hash; an entry that fails any check (truncated, corrupt, of another
//! format or filed under another key) is deleted and the unit is rendered again, so a damaged
//! entry is never published. An entry is written in `tmp/` and renamed into place in one step, so
//! a build killed at any point leaves complete entries or none.

use crate::content::LoadOptions;
use crate::content::model::Site;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::pipeline::{Output, Prepared, UnitDigest, UnitOutcome};
use crate::plan::Page;
use crate::render::theme::Theme;
use crate::render::views::notice_status;
use crate::spare::UnitFiles;
use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache's folder in the site root.
pub const DIR: &str = ".gongkai-cache";

/// Bumped whenever an entry's layout changes; entries of another format are rebuilt.
const FORMAT: u32 = 1;

/// A stable 128-bit content hash: SipHash-1-3 with fixed keys (the `siphasher` crate, already
/// in the build through Tera's `phf`). Its output is defined by the algorithm, not by the Rust
/// version or platform (unlike `DefaultHasher`), so keys stay valid across builds of gongkai and
/// machines; it is not meant to resist someone forging collisions, who could as well edit the
/// cache. Every field is written with its length, so two different lists never hash alike by
/// running together.
pub struct ContentHash(SipHasher13);

impl Default for ContentHash {
    fn default() -> ContentHash {
        ContentHash(SipHasher13::new_with_keys(0x676f_6e67_6b61_6921, 0x7365_7665_6e72_6967))
    }
}

impl ContentHash {
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut ContentHash {
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
        self
    }

    pub fn str(&mut self, text: &str) -> &mut ContentHash {
        self.bytes(text.as_bytes())
    }

    pub fn number(&mut self, n: u64) -> &mut ContentHash {
        self.0.write(&n.to_le_bytes());
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.finish128().as_u128()
    }

    /// The hash of one piece of bytes, as 32 hex digits.
    pub fn of(bytes: &[u8]) -> String {
        format!("{:032x}", ContentHash::default().bytes(bytes).finish())
    }
}

/// What every unit's pages share and depend on, hashed: gongkai's version and commit, the theme's
/// files, the settings of `site.yaml` (with `--base-url` applied), the assessment year, the holiday
/// calendar, the sections' names and places, whether drafts are published, and the build day when
/// a template shows it (`build_date`).
pub fn fingerprint(site: &Site, theme: &Theme, options: LoadOptions, today: Date) -> u128 {
    let mut hash = ContentHash::default();
    hash.str(env!("CARGO_PKG_VERSION")).str(env!("GONGKAI_COMMIT")).number(u64::from(FORMAT));
    hash.number(theme.files.len() as u64);
    let mut shows_date = false;
    for (name, bytes) in &theme.files {
        hash.str(name).bytes(bytes);
        shows_date |= name.starts_with("templates/") && contains(bytes, b"build_date");
    }
    // Debug output of plain structs, vectors and options is stable for one version of gongkai,
    // which the hash includes.
    hash.str(&format!("{:?}", site.config));
    hash.str(&format!("{:?}", site.assessment_year));
    // The holiday calendar decides the last day of periods in working days.
    hash.str(&format!("{:?}", site.holidays));
    hash.number(site.sections.len() as u64);
    for section in &site.sections {
        hash.str(&section.path).str(&section.name).str(&format!(
            "{:?} {:?} {:?} {:?}",
            section.parent, section.kind, section.organization, section.description
        ));
    }
    hash.number(u64::from(options.drafts));
    if shows_date {
        hash.str(&today.to_string());
    }
    hash.finish()
}

/// Removes a folder or a file (whatever damage left in an entry's place).
fn remove(path: &Path) {
    if std::fs::remove_dir_all(path).is_err() {
        let _ = std::fs::remove_file(path);
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The key of unit `u`: the site's fingerprint, the unit's slot and place, and every file in its
/// folder (names and bytes). `None` when a file cannot be read (the unit is then built without
/// the cache, and the read reports the problem).
pub fn unit_key(prepared: &Prepared, u: usize) -> Option<u128> {
    let place = &prepared.site.units[u];
    let mut hash = ContentHash::default();
    hash.number((prepared.fingerprint >> 64) as u64).number(prepared.fingerprint as u64);
    hash.number(u as u64).str(&place.path).number(place.section as u64);
    hash.str(&place.dir.to_string_lossy());
    let dir = prepared.root.join(&place.dir);
    for entry in walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        let entry = entry.ok()?;
        let name = entry.path().strip_prefix(&dir).ok()?.to_string_lossy().into_owned();
        let kind = entry.file_type();
        if kind.is_dir() {
            hash.str("d").str(&name);
        } else {
            // A file too large for the reader is refused by it unread; it is not read here either
            // (the unit then goes without the cache).
            if std::fs::metadata(entry.path()).ok()?.len() > crate::content::source::MAX_FILE_BYTES {
                return None;
            }
            // A link is hashed by what it points at, as the reader follows it.
            hash.str("f").str(&name).bytes(&std::fs::read(entry.path()).ok()?);
        }
    }
    Some(hash.finish())
}

/// A notice period of a unit's results and its state when the entry was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Period {
    first: Option<Date>,
    last: Option<Date>,
    state: String,
}

impl Period {
    fn state(first: Option<Date>, last: Option<Date>, today: Date) -> String {
        format!("{:?}", notice_status(first, last, today))
    }
}

/// One file of an entry: its place below the output folder, length and hash. It is stored as
/// the entry's file named by its position in the list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredFile {
    pub path: String,
    pub len: u64,
    pub hash: String,
}

/// `entry.json`.
#[derive(Serialize, Deserialize)]
pub(crate) struct Manifest {
    format: u32,
    key: String,
    periods: Vec<Period>,
    pub files: Vec<StoredFile>,
    pub digest: UnitDigest,
}

/// Writes `value` as JSON followed by a line holding the hash of the JSON.
pub fn sealed_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("cache records serialise");
    let hash = ContentHash::of(&bytes);
    bytes.push(b'\n');
    bytes.extend_from_slice(hash.as_bytes());
    bytes.push(b'\n');
    bytes
}

/// Reads what [`sealed_json`] wrote; `None` when it is truncated, altered or not that type.
pub fn unseal_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    let body = bytes.strip_suffix(b"\n")?;
    let at = body.iter().rposition(|&b| b == b'\n')?;
    let (json, hash) = (&body[..at], &body[at + 1..]);
    if hash != ContentHash::of(json).as_bytes() {
        return None;
    }
    serde_json::from_slice(json).ok()
}

/// Checks that the files `files` of folder `dir` (named 0, 1, 2 …) are whole and unaltered.
pub fn files_intact(dir: &Path, files: &[StoredFile]) -> bool {
    files.iter().enumerate().all(|(i, file)| intact(&dir.join(i.to_string()), file))
}

/// Whether the file at `path` is `file`: its length and hash.
fn intact(path: &Path, file: &StoredFile) -> bool {
    std::fs::read(path)
        .is_ok_and(|bytes| bytes.len() as u64 == file.len && ContentHash::of(&bytes) == file.hash)
}

/// Checks that the files `files` are whole and unaltered at their places below the site folder
/// `dir` (a spare).
fn files_intact_at(dir: &Path, files: &[StoredFile]) -> bool {
    files.iter().all(|file| intact(&dir.join(&file.path), file))
}

/// Links (or copies) the files of an entry into the staging folder.
pub fn place_files(dir: &Path, files: &[StoredFile], staging: &Staging) -> Result<()> {
    for (i, file) in files.iter().enumerate() {
        staging.place(&file.path, &dir.join(i.to_string()))?;
    }
    Ok(())
}

/// Why the per-unit stage with the cache stopped.
pub enum StageError {
    /// A template problem.
    Content(Diagnostic),
    /// Reading or writing the cache or the staging folder failed.
    Io(anyhow::Error),
}

/// The cache of one site, held for one build.
pub struct Cache {
    dir: PathBuf,
    today: Date,
    /// Entries this build used or wrote; the others are removed when it succeeds.
    used: Mutex<HashSet<String>>,
    /// Numbers the temporary folders of this process.
    next: AtomicUsize,
    pub hits: AtomicUsize,
    /// The spare being brought up to date, when the staging folder is one ([`crate::spare`]).
    spare: Option<crate::spare::Record>,
    /// The units placed by this build, for the record of the new site.
    placed: Mutex<BTreeMap<String, UnitFiles>>,
    /// Units the spare holds as they are now (by index), found by [`Cache::sort_spare`].
    kept: Mutex<HashMap<usize, (String, Manifest)>>,
    _lock: std::fs::File,
}

impl Cache {
    /// Opens (or creates) the cache of the site at `root`. `None` when it cannot be created or
    /// another build holds it: the build then goes on without it.
    pub fn open(root: &Path, today: Date) -> Option<Cache> {
        let dir = root.join(DIR);
        std::fs::create_dir_all(dir.join("units")).ok()?;
        let tag = dir.join("CACHEDIR.TAG");
        if !tag.is_file() {
            let text = "Signature: 8a477f597d28d172789f06886806bc55\n\
                        # gongkai 的缓存：可随时删除，下次生成时重建。\n";
            std::fs::write(&tag, text).ok()?;
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))
            .ok()?;
        if !crate::output::try_lock(&lock) {
            return None;
        }
        // Leftovers of killed builds: entries never finished.
        let _ = std::fs::remove_dir_all(dir.join("tmp"));
        std::fs::create_dir_all(dir.join("tmp")).ok()?;
        Some(Cache {
            dir,
            today,
            used: Mutex::new(HashSet::new()),
            next: AtomicUsize::new(0),
            hits: AtomicUsize::new(0),
            spare: None,
            placed: Mutex::new(BTreeMap::new()),
            kept: Mutex::new(HashMap::new()),
            _lock: lock,
        })
    }

    /// The folder of the cache.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the spare's record when `staging` is the spare, removing it from the cache folder
    /// before the spare changes.
    pub fn use_spare(&mut self, record: Option<crate::spare::Record>, staging: &Staging) {
        let _ = std::fs::remove_file(self.dir.join(crate::spare::SPARE));
        if staging.reused {
            self.spare = record;
        }
    }

    fn note<'a>(&self, unit: &str, key: Option<String>, files: impl Iterator<Item = &'a str>) {
        let files = UnitFiles::new(unit, key, files);
        self.placed.lock().unwrap_or_else(|e| e.into_inner()).insert(unit.to_string(), files);
    }

    /// Before the per-unit stage, when the staging folder is the spare: finds the units it holds
    /// as they are now (same key, every file whole: read and hashed, as a cache entry's are), then
    /// removes everything else from it (units changed or gone, and the files no unit wrote, which
    /// the pages that sum units up write anew). Done up front, so no unit's new file can be taken
    /// for another's old one.
    pub fn sort_spare(&self, prepared: &Prepared, staging: &Staging) {
        use rayon::prelude::*;
        let Some(spare) = &self.spare else { return };
        let kept: HashMap<usize, (String, Manifest)> = (0..prepared.site.units.len())
            .into_par_iter()
            .filter_map(|u| {
                let unit = prepared.site.units[u].path.as_str();
                let files = spare.units.get(unit)?;
                let key = format!("{:032x}", unit_key(prepared, u)?);
                if files.key.as_deref() != Some(key.as_str()) {
                    return None;
                }
                let entry = self.dir.join("units").join(&key);
                let manifest = lookup(&entry, &key, self.today, Check::Record)?;
                files_intact_at(&staging.dir, &manifest.files).then_some((u, (key, manifest)))
            })
            .collect();
        let kept_units: HashSet<&str> = kept.keys().map(|&u| prepared.site.units[u].path.as_str()).collect();
        for (unit, files) in &spare.units {
            if !kept_units.contains(unit.as_str()) {
                crate::spare::clear_unit(&staging.dir, unit, files);
            }
        }
        crate::spare::remove_files(&staging.dir, &spare.others);
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = kept;
    }

    /// The record of the site in `staging`, whose other files are `others`.
    pub fn record(&self, staging: &Staging, others: Vec<String>) -> Option<crate::spare::Record> {
        let identity = crate::output::identity(&staging.dir)?;
        let units = std::mem::take(&mut *self.placed.lock().unwrap_or_else(|e| e.into_inner()));
        Some(crate::spare::Record::new(&staging.target, identity, units, others))
    }

    /// The per-unit stage through the cache: unit `u`'s files from its entry when the entry is
    /// sound and current, else rendered (into a new entry) as usual; either way they are placed in
    /// `staging` and `written` counts them.
    pub fn unit(
        &self,
        prepared: &Prepared,
        u: usize,
        staging: &Staging,
        written: &AtomicUsize,
    ) -> Result<UnitOutcome, StageError> {
        let unit = prepared.site.units[u].path.as_str();
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).remove(&u);
        if let Some((key, manifest)) = kept {
            // Already in the spare: nothing to place.
            self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone());
            written.fetch_add(manifest.files.len(), Ordering::Relaxed);
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.note(unit, Some(key), manifest.files.iter().map(|f| f.path.as_str()));
            return Ok(hit(manifest));
        }
        let Some(key) = unit_key(prepared, u) else {
            let files = Mutex::new(Vec::new());
            let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
                staging
                    .write(&page.file, &bytes)
                    .map_err(|_| Diagnostic::error(Path::new(&page.file), "写入失败"))?;
                written.fetch_add(1, Ordering::Relaxed);
                files.lock().unwrap_or_else(|e| e.into_inner()).push(page.file.clone());
                Ok(())
            };
            let outcome = prepared.unit(u, Output::Pages(&sink)).map_err(StageError::Content)?;
            let files = files.into_inner().unwrap_or_else(|e| e.into_inner());
            self.note(unit, None, files.iter().map(String::as_str));
            return Ok(outcome);
        };
        let key = format!("{key:032x}");
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone());
        let entry = self.dir.join("units").join(&key);
        if let Some(manifest) = lookup(&entry, &key, self.today, Check::Files) {
            place_files(&entry, &manifest.files, staging).map_err(StageError::Io)?;
            written.fetch_add(manifest.files.len(), Ordering::Relaxed);
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.note(unit, Some(key), manifest.files.iter().map(|f| f.path.as_str()));
            return Ok(hit(manifest));
        }
        self.render(prepared, u, &key, &entry, staging, written)
    }

    /// Renders unit `u` into a new entry, then places its files in the staging folder.
    fn render(
        &self,
        prepared: &Prepared,
        u: usize,
        key: &str,
        entry: &Path,
        staging: &Staging,
        written: &AtomicUsize,
    ) -> Result<UnitOutcome, StageError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join("tmp").join(format!("{key}-{}-{n}", std::process::id()));
        let (outcome, stored) = store(prepared, u, key, entry, &tmp, self.today)?;
        if let Some((from, files)) = stored {
            let placed = place_files(&from, &files, staging);
            if from == tmp {
                let _ = std::fs::remove_dir_all(&tmp);
            }
            placed.map_err(StageError::Io)?;
            written.fetch_add(files.len(), Ordering::Relaxed);
            self.note(
                &prepared.site.units[u].path,
                Some(key.to_string()),
                files.iter().map(|f| f.path.as_str()),
            );
        }
        Ok(outcome)
    }

    /// After a successful build: removes the entries it did not use (older versions of units,
    /// units removed).
    pub fn finish(self) {
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(self.dir.join("units")) else { return };
        for entry in entries.flatten() {
            if !used.contains(entry.file_name().to_string_lossy().as_ref()) {
                remove(&entry.path());
            }
        }
    }
}

/// A cache hit: the unit's digest and warnings as stored.
fn hit(manifest: Manifest) -> UnitOutcome {
    let diagnostics = Diagnostics(manifest.digest.warnings.clone());
    UnitOutcome { digest: Some(manifest.digest), diagnostics, periods: Vec::new() }
}

/// How much of an entry [`lookup`] reads.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Check {
    /// The record and every file: the files are about to be placed.
    Files,
    /// The record only: the files are already in place (in the spare).
    Record,
}

/// The entry at `entry` when it is whole, of this format and key, and its notice periods are in
/// the state they were in when it was made on `today`; a damaged entry is removed.
pub(crate) fn lookup(entry: &Path, key: &str, today: Date, check: Check) -> Option<Manifest> {
    let bytes = std::fs::read(entry.join("entry.json")).ok();
    if bytes.is_none() && !entry.exists() {
        return None;
    }
    let manifest = bytes.as_deref().and_then(unseal_json::<Manifest>);
    let sound = manifest.as_ref().is_some_and(|m| {
        m.format == FORMAT && m.key == key && (check == Check::Record || files_intact(entry, &m.files))
    });
    if !sound {
        remove(entry);
        return None;
    }
    let manifest = manifest?;
    let current = manifest.periods.iter().all(|p| Period::state(p.first, p.last, today) == p.state);
    current.then_some(manifest)
}

/// Where a stored entry's files are, and the files.
pub(crate) type Stored = (PathBuf, Vec<StoredFile>);

/// Renders unit `u` through `tmp` into a new entry at `entry`. With the outcome, gives where its
/// files are (`entry`, or `tmp` when the entry could not be put in place) and the files, or
/// `None` when the unit had errors (nothing is stored).
pub(crate) fn store(
    prepared: &Prepared,
    u: usize,
    key: &str,
    entry: &Path,
    tmp: &Path,
    today: Date,
) -> Result<(UnitOutcome, Option<Stored>), StageError> {
    std::fs::create_dir_all(tmp)
        .with_context(|| format!("创建 {}", tmp.display()))
        .map_err(StageError::Io)?;
    let files: Mutex<Vec<(usize, StoredFile)>> = Mutex::new(Vec::new());
    let failed: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let count = AtomicUsize::new(0);
    let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
        let i = count.fetch_add(1, Ordering::Relaxed);
        let path = tmp.join(i.to_string());
        if let Err(error) = std::fs::write(&path, &bytes) {
            let error = anyhow::Error::from(error).context(format!("写入 {}", path.display()));
            *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
            return Err(Diagnostic::error(Path::new(&page.file), "写入失败"));
        }
        let stored =
            StoredFile { path: page.file.clone(), len: bytes.len() as u64, hash: ContentHash::of(&bytes) };
        files.lock().unwrap_or_else(|e| e.into_inner()).push((i, stored));
        Ok(())
    };
    let outcome = match prepared.unit(u, Output::Pages(&sink)) {
        Ok(outcome) => outcome,
        Err(diagnostic) => {
            let _ = std::fs::remove_dir_all(tmp);
            return Err(match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
                Some(error) => StageError::Io(error),
                None => StageError::Content(diagnostic),
            });
        }
    };
    let Some(digest) = &outcome.digest else {
        let _ = std::fs::remove_dir_all(tmp);
        return Ok((outcome, None));
    };
    // Files in the order of their names (0, 1, 2 …), as the manifest lists them.
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by_key(|(i, _)| *i);
    let files: Vec<StoredFile> = files.into_iter().map(|(_, f)| f).collect();
    let periods = outcome
        .periods
        .iter()
        .map(|&(first, last)| Period { first, last, state: Period::state(first, last, today) })
        .collect();
    let manifest = Manifest { format: FORMAT, key: key.to_string(), periods, files, digest: digest.clone() };
    let stored = std::fs::write(tmp.join("entry.json"), sealed_json(&manifest))
        .with_context(|| format!("写入 {}", tmp.display()))
        .and_then(|()| {
            // An entry of the same key left by a damaged lookup or a concurrent writer.
            remove(entry);
            std::fs::rename(tmp, entry).with_context(|| format!("移动到 {}", entry.display()))
        });
    let from = if stored.is_ok() { entry.to_path_buf() } else { tmp.to_path_buf() };
    Ok((outcome, Some((from, manifest.files))))
}
