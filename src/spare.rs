//! The spare: the site before last, which a cached build keeps beside the output
//! (`.output.gongkai-spare`) instead of deleting it, and brings up to date in place of a fresh
//! staging folder the next time. A warm build then touches only the files of the units that
//! changed and the pages that sum units up, not every file of the site; the new site still goes
//! live in one swap, and the published folder is never written into.
//!
//! The cache folder holds a record of the live site (`site.json`) and of the spare
//! (`spare.json`): each unit's key and the files it has outside its own folder, and the other
//! files. A spare is used only when its record names this output and the folder's identity
//! ([`crate::output::identity`]); its record is removed before the spare is touched, so a killed
//! build leaves a spare no later build trusts.

use crate::cache::{sealed_json, unseal_json};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The live site's record, in the cache folder.
pub const LIVE: &str = "site.json";
/// The spare's record, in the cache folder.
pub const SPARE: &str = "spare.json";
/// The new site's record, written before the swap and renamed to [`LIVE`] after it.
pub const FRESH: &str = "site.json.new";
const FORMAT: u32 = 1;

/// What one built site folder holds, by unit.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    format: u32,
    /// The output folder the site was built for, absolute.
    target: String,
    /// [`crate::output::identity`] of the folder when it was made.
    identity: String,
    pub units: BTreeMap<String, UnitFiles>,
    /// Files no unit wrote: the pages that sum units up, assets, the search index.
    pub others: Vec<String>,
}

/// The files of one unit in a site folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitFiles {
    /// The unit's cache key; `None` when the unit was built without the cache.
    pub key: Option<String>,
    /// How many files it has.
    pub count: usize,
    /// Those outside its own folder (`<unit path>/`), such as its part of the search index.
    pub outside: Vec<String>,
}

impl UnitFiles {
    pub fn new<'a>(unit: &str, key: Option<String>, files: impl Iterator<Item = &'a str>) -> UnitFiles {
        let own = format!("{unit}/");
        let mut count = 0;
        let mut outside = Vec::new();
        for file in files {
            count += 1;
            if !file.starts_with(&own) {
                outside.push(file.to_string());
            }
        }
        UnitFiles { key, count, outside }
    }
}

impl Record {
    pub fn new(
        target: &Path,
        identity: String,
        units: BTreeMap<String, UnitFiles>,
        others: Vec<String>,
    ) -> Record {
        Record { format: FORMAT, target: target.to_string_lossy().into_owned(), identity, units, others }
    }

    /// The record `name` in the cache folder `dir`, when it is whole and of this format.
    pub fn read(dir: &Path, name: &str) -> Option<Record> {
        let record: Record = unseal_json(&std::fs::read(dir.join(name)).ok()?)?;
        (record.format == FORMAT).then_some(record)
    }

    pub fn write(&self, dir: &Path, name: &str) -> std::io::Result<()> {
        std::fs::write(dir.join(name), sealed_json(self))
    }

    /// Whether this is the record of folder `spare` as built for output `target`. Units nested in
    /// units' folders are not expected; a record with them is not trusted, since clearing one
    /// unit's folder would take another's files.
    pub fn describes(&self, target: &Path, spare: &Path) -> bool {
        let paths: HashSet<&str> = self.units.keys().map(String::as_str).collect();
        let nested = paths.iter().any(|p| p.match_indices('/').any(|(at, _)| paths.contains(&p[..at])));
        self.target == target.to_string_lossy()
            && crate::output::identity(spare).as_deref() == Some(self.identity.as_str())
            && !nested
    }
}

/// Removes unit `unit`'s files from the site folder `dir`.
pub fn clear_unit(dir: &Path, unit: &str, files: &UnitFiles) {
    let _ = std::fs::remove_dir_all(dir.join(unit));
    remove_files(dir, &files.outside);
}

/// Removes files below `dir`, then the folders they leave empty.
pub fn remove_files(dir: &Path, files: &[String]) {
    let mut folders = Vec::new();
    for file in files {
        let _ = std::fs::remove_file(dir.join(file));
        if let Some((folder, _)) = file.rsplit_once('/') {
            folders.push(folder);
        }
    }
    folders.sort_unstable();
    folders.dedup();
    // Deepest first, so a folder emptied by its subfolders' removal goes too.
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in folders {
        let mut at = Some(folder);
        while let Some(f) = at {
            if std::fs::remove_dir(dir.join(f)).is_err() {
                break;
            }
            at = f.rsplit_once('/').map(|(parent, _)| parent);
        }
    }
}

/// After the swap: the live site's record becomes the spare's when the old site was `kept` as
/// the spare, and the new site's record (if it was written: `fresh`) the live one's. A record
/// that would no longer describe its folder is removed.
pub fn rotate(dir: &Path, kept: bool, fresh: bool) {
    if !kept || std::fs::rename(dir.join(LIVE), dir.join(SPARE)).is_err() {
        let _ = std::fs::remove_file(dir.join(SPARE));
    }
    if !fresh || std::fs::rename(dir.join(FRESH), dir.join(LIVE)).is_err() {
        let _ = std::fs::remove_file(dir.join(LIVE));
    }
}
