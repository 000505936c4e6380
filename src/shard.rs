//! Sharded builds, for sites too large for one machine: `gongkai build --shard K/N --parts DIR`
//! runs the per-unit stage for shard K of the units and writes their pages and digests into
//! `DIR/shard-K-of-N/part/`; `gongkai merge DIR` checks that the parts found there are one whole
//! set made from the content at hand, puts their pages into a staging folder, runs the aggregate
//! stage on their digests and swaps the site in, exactly as `build` would have.
//!
//! Which engine runs the shards (a Kubernetes Indexed Job, a CI matrix, a shell loop) is not our
//! business: every shard computes the same partition from the content alone, so no coordinator
//! is needed.
//!
//! ```text
//! DIR/shard-2-of-7/part/
//!   .gongkai-output          made by gongkai (a later shard build may replace the folder)
//!   gongkai-part.json        the manifest: version, day, fingerprint, K, N, units with their keys
//!   gongkai-digests.json     the units' digests, sealed with their hash
//!   <section>/<unit>/…       the units' pages, as they go below the output folder
//!   search/c/<slot>.js       the units' search records
//! ```

use crate::build::{self, BuildError, BuildOptions, BuildReport, Timings};
use crate::cache::{self, ContentHash};
use crate::content::LoadOptions;
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::output::Staging;
use crate::pipeline::{self, Output, Prepared, RenderSetup, UnitDigest};
use crate::plan::Page;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The part's manifest, in its folder.
pub const MANIFEST: &str = "gongkai-part.json";
/// The part's digests, in its folder.
pub const DIGESTS: &str = "gongkai-digests.json";
/// The folder a shard's part is swapped into, inside `DIR/shard-K-of-N/` (the staging folder's
/// lock is on the folder above the target, so each shard gets a folder of its own and shards
/// can write into one `DIR` at the same time).
const PART: &str = "part";
/// Bumped whenever a part's layout changes.
const FORMAT: u32 = 1;

/// The gongkai that wrote a part: version and commit.
fn version() -> String {
    format!("{} ({})", env!("CARGO_PKG_VERSION"), env!("GONGKAI_COMMIT"))
}

/// Shard K of N (1-based), as `--shard K/N` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let wrong =
            || format!("分片要写成 K/N（共 N 片中的第 K 片，K 从 1 到 N），例如 --shard 2/7；“{text}”不对");
        let (k, n) = text.split_once('/').ok_or_else(wrong)?;
        let k: usize = k.trim().parse().map_err(|_| wrong())?;
        let n: usize = n.trim().parse().map_err(|_| wrong())?;
        if k == 0 || k > n {
            return Err(wrong());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// `shard-K-of-N`, the shard's folder in the parts folder.
    pub fn folder(&self) -> String {
        format!("shard-{}-of-{}", self.k, self.n)
    }
}

/// Which shard (0-based) each unit goes to, from the units' sizes in site order: the units are cut
/// into `n` runs of consecutive units of about equal total size (a unit goes to the shard its
/// middle byte falls in). Consecutive runs keep a section's units together, and a unit that grows
/// moves at most the units next to a cut. Every shard computes the same cut from the content.
pub fn partition(sizes: &[u64], n: usize) -> Vec<usize> {
    let n = n.max(1) as u128;
    // An empty unit still counts, so that units without files are spread too.
    let sizes: Vec<u128> = sizes.iter().map(|&s| u128::from(s.max(1))).collect();
    let total: u128 = sizes.iter().sum();
    let mut before = 0u128;
    sizes
        .iter()
        .map(|&size| {
            let shard = (2 * before + size) * n / (2 * total);
            before += size;
            shard.min(n - 1) as usize
        })
        .collect()
}

/// The total bytes of each unit's files, in site order: the size the partition balances, a
/// fair measure of a unit's rendering work (members, zones and records all take bytes).
pub fn unit_sizes(prepared: &Prepared) -> Vec<u64> {
    prepared
        .site
        .units
        .par_iter()
        .map(|place| {
            walkdir::WalkDir::new(prepared.root.join(&place.dir))
                .follow_links(false)
                .into_iter()
                .flatten()
                .filter(|entry| !entry.file_type().is_dir())
                .filter_map(|entry| entry.metadata().ok())
                .map(|metadata| metadata.len())
                .sum()
        })
        .collect()
}

/// What a part's pages depend on besides its units' files, hashed: the site's fingerprint
/// (version, theme, settings, sections, drafts) and the list of units with their places, which
/// decides every unit's slot in the search files.
fn site_fingerprint(prepared: &Prepared) -> String {
    let mut hash = ContentHash::default();
    hash.number((prepared.fingerprint >> 64) as u64).number(prepared.fingerprint as u64);
    hash.number(prepared.site.units.len() as u64);
    for place in &prepared.site.units {
        hash.str(&place.path).str(&place.dir.to_string_lossy()).number(place.section as u64);
    }
    format!("{:032x}", hash.finish())
}

/// Unit `u`'s key as the cache computes it (its files and everything its pages share), or empty
/// when a file could not be read.
fn unit_key(prepared: &Prepared, u: usize) -> String {
    cache::unit_key(prepared, u).map(|key| format!("{key:032x}")).unwrap_or_default()
}

/// `gongkai-part.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartManifest {
    pub format: u32,
    /// The gongkai that wrote the part.
    pub version: String,
    /// K of `--shard K/N`.
    pub shard: usize,
    /// N of `--shard K/N`.
    pub shards: usize,
    /// The build day (notice periods show 公示中 or 已结束 by it).
    pub day: String,
    /// What every unit's pages share, hashed ([`site_fingerprint`]).
    pub fingerprint: String,
    /// `--drafts` of the shard build; the merge uses it too.
    pub drafts: bool,
    /// `--base-url` of the shard build; the merge uses it too.
    pub base_url: Option<String>,
    /// The part's units, in site order.
    pub units: Vec<PartUnit>,
    /// The hash of `gongkai-digests.json`.
    pub digests: String,
}

/// One unit of a part.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartUnit {
    /// Its place in the site's list of units.
    pub index: usize,
    pub path: String,
    /// The hash of its files and of what its pages share (the cache's key).
    pub key: String,
}

/// Builds shard `shard` of the site's units into `parts/shard-K-of-N/part/`, replacing an earlier
/// part of that shard only when everything succeeded.
pub fn build_shard(options: &BuildOptions, shard: Shard, parts: &Path) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let root = &options.root;
    let target = parts.join(shard.folder()).join(PART);
    crate::output::check_target(root, &target)?;
    let setup = RenderSetup { base_url: options.base_url.clone(), live_reload: None };
    let load = LoadOptions { drafts: options.drafts };
    let prepared = pipeline::prepare(root, load, Some(setup))?;
    let which: Vec<usize> = partition(&unit_sizes(&prepared), shard.n)
        .into_iter()
        .enumerate()
        .filter(|&(_, s)| s + 1 == shard.k)
        .map(|(u, _)| u)
        .collect();
    // Keyed before rendering, so a file saved during the build shows as a change at the merge.
    let keys: Vec<String> = which.par_iter().map(|&u| unit_key(&prepared, u)).collect();
    let staging = Staging::begin(root, &target)?;
    let progress = build::progress_bar(options.progress, which.len());
    let failed_write = Mutex::new(None);
    let written = AtomicUsize::new(0);
    let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
        if let Err(error) = staging.write(&page.file, &bytes) {
            *failed_write.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
            return Err(Diagnostic::error(Path::new(&page.file), "写入失败"));
        }
        written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    };
    let result = prepared.units_of(&which, &progress, |u, failed| {
        prepared.unit(u, if failed { Output::Check } else { Output::Pages(&sink) })
    });
    progress.finish_and_clear();
    let units = build::units_or_abandon(result, &staging, &failed_write)?;
    let digests = cache::sealed_json(&units.digests);
    let manifest = PartManifest {
        format: FORMAT,
        version: version(),
        shard: shard.k,
        shards: shard.n,
        day: prepared.today.to_string(),
        fingerprint: site_fingerprint(&prepared),
        drafts: options.drafts,
        base_url: options.base_url.clone(),
        units: which
            .iter()
            .zip(keys)
            .map(|(&u, key)| PartUnit { index: u, path: prepared.site.units[u].path.clone(), key })
            .collect(),
        digests: ContentHash::of(&digests),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    manifest_json.push(b'\n');
    let saved = staging.write(DIGESTS, &digests).and_then(|()| staging.write(MANIFEST, &manifest_json));
    if let Err(error) = saved {
        staging.abandon();
        return Err(error.into());
    }
    let output = staging.target.clone();
    staging.commit()?;
    Ok(BuildReport {
        units: units.digests.len(),
        members: units.digests.iter().map(|d| d.summary.members).sum(),
        pages: written.into_inner(),
        seconds: started.elapsed().as_secs_f64(),
        output,
        warnings: units.diagnostics,
        cached: 0,
    })
}

/// Settings of `gongkai merge`.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    pub root: PathBuf,
    /// The folder holding the parts (`DIR` of `--parts DIR`), searched three levels deep.
    pub parts: PathBuf,
    pub output: Option<PathBuf>,
}

/// One part found in the parts folder.
struct Part {
    /// Its folder.
    dir: PathBuf,
    /// Its folder as the user wrote the parts folder, for messages.
    shown: PathBuf,
    manifest: PartManifest,
}

impl Part {
    fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.shown, message)
    }

    fn name(&self) -> String {
        format!("{}/{}", self.manifest.shard, self.manifest.shards)
    }
}

/// Writes the site from the parts in `options.parts`: checks that they are every shard of one
/// build exactly once, made from the content, theme and version at hand on the build day; puts
/// their pages into a staging folder; makes the site's own pages from their digests; and swaps
/// the site in. The output is byte for byte what `build` writes. Any problem with the parts is a
/// content error (exit 1) that names the part and what to do, and the output is left untouched.
pub fn merge(options: &MergeOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let timings = Timings::from_env();
    let root = &options.root;
    let target = options.output.clone().unwrap_or_else(|| root.join("output"));
    crate::output::check_target(root, &target)?;
    let parts = find_parts(&options.parts)?;
    check_set(&options.parts, &parts)?;
    let first = &parts[0].manifest;
    let setup = RenderSetup { base_url: first.base_url.clone(), live_reload: None };
    let mut prepared = pipeline::prepare(root, LoadOptions { drafts: first.drafts }, Some(setup))?;
    if prepared.diagnostics.has_errors() {
        return Err(BuildError::Content(prepared.diagnostics.clone()));
    }
    check_against_content(&prepared, &parts)?;
    let digests = read_digests(&prepared, &parts)?;
    timings.lap("parts checked and digests read", started);

    let staging = Staging::begin(root, &target)?;
    let placed = place_pages(&parts, &digests, &staging);
    let mut written = match placed {
        Ok(count) => count,
        Err(error) => {
            staging.abandon();
            return Err(error);
        }
    };
    timings.lap("units' pages placed", started);
    let mut warnings = Diagnostics(digests.iter().flat_map(|d| d.warnings.iter().cloned()).collect());
    warnings.extend(prepared.mask_notices(&digests).0);
    warnings.sort();
    let failed_write = Mutex::new(None);
    let count = AtomicUsize::new(0);
    let sink = |page: &Page, bytes: Vec<u8>| -> Result<(), Diagnostic> {
        if let Err(error) = staging.write(&page.file, &bytes) {
            *failed_write.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
            return Err(Diagnostic::error(Path::new(&page.file), "写入失败"));
        }
        count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    };
    if let Err(error) = build::aggregate(&prepared, &digests, &sink, &failed_write, &timings, started) {
        staging.abandon();
        return Err(error);
    }
    written += count.into_inner();
    let output = staging.target.clone();
    staging.commit()?;
    timings.lap("swap", started);
    Ok(BuildReport {
        units: digests.len(),
        members: digests.iter().map(|d| d.summary.members).sum(),
        pages: written,
        seconds: started.elapsed().as_secs_f64(),
        output,
        warnings,
        cached: 0,
    })
}

fn refuse(diagnostics: Vec<Diagnostic>) -> Result<(), BuildError> {
    if diagnostics.is_empty() { Ok(()) } else { Err(BuildError::Content(Diagnostics(diagnostics))) }
}

/// Every part below `dir` (at most three levels down, so that a CI's downloaded artefacts in
/// folders of their own are found too), in the order of their folders. Staging folders of shard
/// builds still running or killed (names starting with `.`) are skipped.
fn find_parts(dir: &Path) -> Result<Vec<Part>, BuildError> {
    if !dir.is_dir() {
        return Err(BuildError::Environment(anyhow::anyhow!(
            "找不到分片文件夹 {}；请写 gongkai build --shard K/N --parts 用的那个文件夹",
            dir.display()
        )));
    }
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    let walk = walkdir::WalkDir::new(dir).max_depth(4).sort_by_file_name().into_iter();
    let walk = walk.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.flatten() {
        if entry.file_name() != MANIFEST || entry.file_type().is_dir() {
            continue;
        }
        let Some(folder) = entry.path().parent() else { continue };
        let shown = dir.join(folder.strip_prefix(dir).unwrap_or(folder));
        let manifest = std::fs::read(entry.path())
            .ok()
            .and_then(|bytes| serde_json::from_slice::<PartManifest>(&bytes).ok());
        match manifest {
            Some(manifest) if manifest.format == FORMAT => {
                parts.push(Part { dir: folder.to_path_buf(), shown, manifest })
            }
            _ => problems.push(
                Diagnostic::error(
                    &shown.join(MANIFEST),
                    "分片的清单读不出来：文件已损坏，或是另一版本的 gongkai 写的",
                )
                .hint("用同一版本的 gongkai 重新生成这个分片，再合并"),
            ),
        }
    }
    refuse(problems)?;
    if parts.is_empty() {
        let shown = display_path(dir);
        return Err(BuildError::Content(Diagnostics(vec![
            Diagnostic::error(dir, "这个文件夹里没有分片").hint(format!(
                "先在每台机器上运行 gongkai build --shard K/N --parts {shown}（K 从 1 到 N），再合并"
            )),
        ])));
    }
    Ok(parts)
}

/// The parts are one set: one version, one N, one day and fingerprint, every shard exactly once.
fn check_set(dir: &Path, parts: &[Part]) -> Result<(), BuildError> {
    let shown = display_path(dir);
    let mut problems = Vec::new();
    let me = version();
    for part in parts.iter().filter(|p| p.manifest.version != me) {
        problems.push(
            part.error(format!(
                "分片 {} 是用 gongkai {} 生成的，合并用的是 gongkai {me}",
                part.name(),
                part.manifest.version
            ))
            .hint("用同一版本的 gongkai 重新生成全部分片，再合并"),
        );
    }
    refuse(problems)?;
    // Parts of different builds: say which differ from the parts most of them agree with (on a
    // tie, the first found), which are likely the current build's.
    let differs = |what: &str, value: &dyn Fn(&PartManifest) -> String| -> Vec<Diagnostic> {
        let values: Vec<String> = parts.iter().map(|p| value(&p.manifest)).collect();
        let count = |v: &String| values.iter().filter(|w| *w == v).count();
        let most = values.iter().map(count).max().unwrap_or(0);
        let Some(first) = parts.iter().zip(&values).find(|(_, v)| count(v) == most).map(|(p, _)| p) else {
            return Vec::new();
        };
        parts
            .iter()
            .filter(|p| value(&p.manifest) != value(&first.manifest))
            .map(|p| {
                p.error(format!(
                    "分片 {} 与 {} 里的分片 {} 不是同一次生成的：{what}不同",
                    p.name(),
                    display_path(&first.shown),
                    first.name()
                ))
                .hint(format!("删掉 {shown} 里旧的分片，只留同一次生成的全部分片，再合并"))
            })
            .collect()
    };
    refuse(differs("分片数", &|m| m.shards.to_string()))?;
    let mut problems = differs("生成日期", &|m| m.day.clone());
    problems.extend(differs("站点设置、主题、栏目或单位列表", &|m| m.fingerprint.clone()));
    problems.extend(differs("--drafts 或 --base-url", &|m| format!("{} {:?}", m.drafts, m.base_url)));
    refuse(problems)?;
    let n = parts[0].manifest.shards;
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    for k in 1..=n {
        let same: Vec<&Part> = parts.iter().filter(|p| p.manifest.shard == k).collect();
        match same.as_slice() {
            [] => missing.push(format!("{k}/{n}")),
            [_] => {}
            [one, others @ ..] => {
                for other in others {
                    problems.push(
                        other
                            .error(format!("分片 {k}/{n} 有两份：{} 和这里", display_path(&one.shown)))
                            .hint("删掉多余的一份，使每个分片只有一份，再合并"),
                    );
                }
            }
        }
    }
    for part in parts.iter().filter(|p| p.manifest.shard == 0 || p.manifest.shard > n) {
        problems.push(
            part.error(format!("分片编号 {} 不在 1 到 {n} 之间", part.name()))
                .hint("重新生成这个分片，再合并"),
        );
    }
    if !missing.is_empty() {
        let commands: Vec<String> =
            missing.iter().map(|k| format!("gongkai build --shard {k} --parts {shown}")).collect();
        problems.push(
            Diagnostic::error(
                dir,
                format!("缺少分片 {}（共 {n} 片，找到 {} 片）", missing.join("、"), n - missing.len()),
            )
            .hint(format!("运行 {} 补上，再合并", commands.join("；"))),
        );
    }
    refuse(problems)
}

/// The parts were made from the content at hand: the same day, site fingerprint and units, and
/// every unit's files as they are now.
fn check_against_content(prepared: &Prepared, parts: &[Part]) -> Result<(), BuildError> {
    let first = &parts[0].manifest;
    let redo = |part: &Part| {
        format!(
            "用现在的内容重新生成分片（gongkai build --shard {} --parts {}），再合并",
            part.name(),
            display_path(part.shown.parent().and_then(Path::parent).unwrap_or(&part.shown))
        )
    };
    let today = prepared.today.to_string();
    if first.day != today {
        return refuse(vec![
            parts[0]
                .error(format!("分片是按 {} 生成的，合并却按 {today}：公示期是否结束可能不同", first.day))
                .hint("在同一天生成分片和合并，或给两者设同一个 SOURCE_DATE_EPOCH"),
        ]);
    }
    if first.fingerprint != site_fingerprint(prepared) {
        return refuse(vec![
            parts[0]
                .error("分片生成后，站点设置、主题、栏目或单位列表改动过，与现在的 content/ 不一致")
                .hint("用现在的内容重新生成全部分片，再合并"),
        ]);
    }
    let mut owner: Vec<Option<usize>> = vec![None; prepared.site.units.len()];
    let mut problems = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        for unit in &part.manifest.units {
            let place = prepared.site.units.get(unit.index);
            if place.is_none_or(|place| place.path != unit.path) || owner[unit.index].is_some() {
                problems.push(
                    part.error(format!("分片 {} 的清单与单位列表不符（{}）", part.name(), unit.path))
                        .hint(redo(part)),
                );
                continue;
            }
            owner[unit.index] = Some(p);
        }
    }
    if let Some(u) = owner.iter().position(Option::is_none) {
        problems.push(
            parts[0]
                .error(format!("单位 {} 不在任何分片里", prepared.site.units[u].path))
                .hint("用现在的内容重新生成全部分片，再合并"),
        );
    }
    refuse(problems)?;
    let keys: Vec<String> =
        (0..prepared.site.units.len()).into_par_iter().map(|u| unit_key(prepared, u)).collect();
    let mut problems = Vec::new();
    for part in parts {
        let changed: Vec<&str> = part
            .manifest
            .units
            .iter()
            .filter(|unit| unit.key.is_empty() || unit.key != keys[unit.index])
            .map(|unit| unit.path.as_str())
            .collect();
        if !changed.is_empty() {
            problems.push(
                part.error(format!(
                    "分片 {} 生成后，这些单位的文件改动过：{}",
                    part.name(),
                    changed.join("、")
                ))
                .hint(redo(part)),
            );
        }
    }
    refuse(problems)
}

/// Every unit's digest, in site order, from the parts' digest files.
fn read_digests(prepared: &Prepared, parts: &[Part]) -> Result<Vec<UnitDigest>, BuildError> {
    let mut slots: Vec<Option<UnitDigest>> = vec![None; prepared.site.units.len()];
    let mut problems = Vec::new();
    for part in parts {
        let bytes = std::fs::read(part.dir.join(DIGESTS)).ok();
        let digests = bytes
            .filter(|bytes| ContentHash::of(bytes) == part.manifest.digests)
            .and_then(|bytes| cache::unseal_json::<Vec<UnitDigest>>(&bytes))
            .filter(|digests| digests.len() == part.manifest.units.len());
        let Some(digests) = digests else {
            problems.push(
                Diagnostic::error(&part.shown.join(DIGESTS), format!("分片 {} 不完整或已损坏", part.name()))
                    .hint("重新生成这个分片，再合并"),
            );
            continue;
        };
        for (unit, digest) in part.manifest.units.iter().zip(digests) {
            slots[unit.index] = Some(digest);
        }
    }
    refuse(problems)?;
    Ok(slots.into_iter().flatten().collect())
}

/// Puts every unit's files from its part into the staging folder (hard links where the file
/// system allows); gives how many.
fn place_pages(parts: &[Part], digests: &[UnitDigest], staging: &Staging) -> Result<usize, BuildError> {
    let files: Vec<(&Part, String)> = parts
        .iter()
        .flat_map(|part| {
            part.manifest.units.iter().flat_map(move |unit| {
                digests[unit.index].files.paths(&unit.path, unit.index).map(move |file| (part, file))
            })
        })
        .collect();
    let missing: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    files.par_iter().try_for_each(|(part, file)| {
        let source = part.dir.join(file);
        if let Err(error) = staging.place(file, &source) {
            if source.is_file() {
                return Err(BuildError::Environment(error));
            }
            let mut missing = missing.lock().unwrap_or_else(|e| e.into_inner());
            if missing.is_empty() {
                missing.push(
                    Diagnostic::error(
                        &part.shown.join(file),
                        format!("分片 {} 不完整：缺少这个文件", part.name()),
                    )
                    .hint("重新生成这个分片，再合并"),
                );
            }
        }
        Ok(())
    })?;
    refuse(missing.into_inner().unwrap_or_else(|e| e.into_inner()))?;
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_as_k_of_n() {
        assert_eq!("2/7".parse::<Shard>(), Ok(Shard { k: 2, n: 7 }));
        assert_eq!(Shard { k: 2, n: 7 }.folder(), "shard-2-of-7");
        for wrong in ["0/3", "4/3", "3", "a/3", "1/0", ""] {
            assert!(wrong.parse::<Shard>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_partition_cuts_consecutive_runs_of_about_equal_size() {
        let sizes: Vec<u64> = (0..300).map(|u| 10_000 + (u * 7919 % 13) * 1_000).collect();
        for n in [1, 3, 7] {
            let shards = partition(&sizes, n);
            assert!(shards.windows(2).all(|w| w[0] <= w[1]), "consecutive runs");
            assert_eq!(shards.first(), Some(&0));
            assert_eq!(shards.last(), Some(&(n - 1)));
            let total: u64 = sizes.iter().sum();
            let largest = *sizes.iter().max().unwrap();
            for k in 0..n {
                let size: u64 = sizes.iter().zip(&shards).filter(|(_, s)| **s == k).map(|(s, _)| s).sum();
                assert!(size.abs_diff(total / n as u64) <= largest, "shard {k} of {n}: {size}");
            }
            assert_eq!(partition(&sizes, n), shards, "deterministic");
        }
    }

    #[test]
    fn more_shards_than_units_leaves_some_empty_and_none_out_of_range() {
        let shards = partition(&[5, 0, 5], 7);
        assert_eq!(shards.len(), 3);
        assert!(shards.iter().all(|&s| s < 7));
        assert!(partition(&[], 3).is_empty());
    }
}
