//! Writing the site: into a fresh folder beside the output, swapped in only when complete.

use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};

/// Marks a folder as made by gongkai, so later builds may replace it.
pub const MARKER: &str = ".gongkai-output";

/// Where a build writes and what it will replace.
#[derive(Debug)]
pub struct Staging {
    pub target: PathBuf,
    pub dir: PathBuf,
    /// Set once a hard link failed: [`Staging::place`] copies from then on.
    copy: std::sync::atomic::AtomicBool,
    /// The staging folder is the spare (the site before last, see [`spare`]) being brought up
    /// to date: a file already at a path may be linked with the cache and the published site,
    /// so it is unlinked before anything is written there.
    pub reused: bool,
    /// Held until the build ends, so two builds of one output never touch each other's folders.
    _lock: std::fs::File,
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    // Resolve what exists, keep the rest as written.
    let mut existing = path.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for part in rest.iter().rev() {
        if part == ".." {
            resolved.pop();
        } else if part != "." {
            resolved.push(part);
        }
    }
    Ok(resolved)
}

/// Refuses output folders whose replacement would lose something (docs/design.md §7).
pub fn check_target(root: &Path, target: &Path) -> Result<PathBuf> {
    let target = absolute(target)?;
    let root = absolute(root)?;
    let shown = target.display();
    if target.parent().is_none() {
        bail!("拒绝把网站输出到根目录 {shown}");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from).and_then(|h| absolute(&h).ok())
        && (target == home || home.starts_with(&target))
    {
        bail!("拒绝把网站输出到主目录 {shown}：构建会替换整个输出文件夹");
    }
    if root.starts_with(&target) {
        bail!("拒绝把网站输出到站点根目录或它的上级 {shown}：构建会替换整个输出文件夹");
    }
    if target.starts_with(root.join(crate::cache::DIR)) {
        bail!("拒绝把网站输出到缓存文件夹 {} 里（{shown}）：那里是 gongkai 的缓存", crate::cache::DIR);
    }
    for protected in ["content", "themes"] {
        if target.starts_with(root.join(protected)) {
            bail!("拒绝把网站输出到 {protected}/ 里（{shown}）：那里是源文件");
        }
    }
    if target.exists() {
        if !target.is_dir() {
            bail!("输出路径 {shown} 已存在且不是文件夹");
        }
        let empty = std::fs::read_dir(&target)?.next().is_none();
        if !empty && !target.join(MARKER).is_file() {
            bail!("输出文件夹 {shown} 不是空的，也不是 gongkai 生成的；为免误删，请换一个文件夹或先清空它");
        }
    }
    Ok(target)
}

/// The site before last, kept beside the output by cached builds (`.output.gongkai-spare`).
pub fn spare(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.gongkai-{SPARE}"))
}

const SPARE: &str = "spare";

/// What tells one site folder from another that took its place: the folder's and its marker's
/// inode numbers and the marker's time. A rename keeps it; a new build's folder never has it.
#[cfg(unix)]
pub fn identity(dir: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let folder = std::fs::symlink_metadata(dir).ok()?;
    let marker = std::fs::symlink_metadata(dir.join(MARKER)).ok()?;
    Some(format!(
        "{}:{}:{}:{}.{}",
        folder.dev(),
        folder.ino(),
        marker.ino(),
        marker.mtime(),
        marker.mtime_nsec()
    ))
}

/// Without inode numbers no spare is trusted.
#[cfg(not(unix))]
pub fn identity(_: &Path) -> Option<String> {
    None
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.gongkai-{tag}-{}", std::process::id()))
}

/// Leftovers of builds that were killed: staging folders of ours beside the target.
fn clean_leftovers(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.gongkai-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !file_name.starts_with(&prefix) {
            continue;
        }
        let path = entry.path();
        if file_name[prefix.len()..] == *SPARE {
            continue;
        }
        if file_name[prefix.len()..].starts_with("old-") && !target.exists() {
            // A build died between the two renames of a swap: put the old site back.
            let _ = std::fs::rename(&path, target);
        } else if path.join(MARKER).is_file() || file_name[prefix.len()..].starts_with("new-") {
            // A staging folder of a killed build; its marker may be gone if a clean-up of it
            // was itself killed. The name is ours, and the build lock says no build owns it.
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

impl Staging {
    /// Checks the target and creates a fresh staging folder beside it.
    pub fn begin(root: &Path, target: &Path) -> Result<Staging> {
        let target = check_target(root, target)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("创建 {}", parent.display()))?;
        }
        let lock = lock(&target)?;
        clean_leftovers(&target);
        let dir = sibling(&target, "new");
        std::fs::create_dir_all(&dir).with_context(|| format!("创建临时文件夹 {}", dir.display()))?;
        std::fs::write(dir.join(MARKER), b"gongkai\n").with_context(|| format!("写入 {}", dir.display()))?;
        Ok(Staging { target, dir, copy: Default::default(), reused: false, _lock: lock })
    }

    /// As [`Staging::begin`], but takes the spare beside the target as the staging folder when
    /// `accept` (given the absolute target and the spare) vouches for it; a spare it refuses is
    /// removed.
    pub fn begin_from_spare(
        root: &Path,
        target: &Path,
        accept: impl FnOnce(&Path, &Path) -> bool,
    ) -> Result<Staging> {
        let target = check_target(root, target)?;
        let spare = spare(&target);
        if !spare.is_dir() {
            return Staging::begin(root, &target);
        }
        let lock = lock(&target)?;
        if !accept(&target, &spare) {
            remove_tree(&spare);
            drop(lock);
            return Staging::begin(root, &target);
        }
        clean_leftovers(&target);
        let dir = sibling(&target, "new");
        std::fs::rename(&spare, &dir).with_context(|| format!("移动 {}", spare.display()))?;
        Ok(Staging { target, dir, copy: Default::default(), reused: true, _lock: lock })
    }

    /// Creates the folders of all files up front, once each, so writes need no `mkdir`.
    pub fn create_folders<'a>(&self, files: impl Iterator<Item = &'a str>) -> Result<()> {
        let mut folders: Vec<&str> = files.filter_map(|f| f.rsplit_once('/').map(|(dir, _)| dir)).collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            let path = self.dir.join(folder);
            std::fs::create_dir_all(&path).with_context(|| format!("创建 {}", path.display()))?;
        }
        Ok(())
    }

    /// Writes one file below the staging folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(relative);
        if self.reused {
            let _ = std::fs::remove_file(&path);
        }
        match std::fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).with_context(|| format!("创建 {}", parent.display()))?;
                }
                std::fs::write(&path, bytes)
            }
            other => other,
        }
        .with_context(|| format!("写入 {}", path.display()))
    }

    /// Puts `source` (a file of the cache) at `relative` below the staging folder: a hard link,
    /// or a copy where links fail (another file system, a file system without links).
    pub fn place(&self, relative: &str, source: &Path) -> Result<()> {
        let path = self.dir.join(relative);
        if self.reused {
            let _ = std::fs::remove_file(&path);
        }
        let link = || {
            if self.copy.load(std::sync::atomic::Ordering::Relaxed) {
                return std::fs::copy(source, &path).map(|_| ());
            }
            std::fs::hard_link(source, &path).or_else(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    return Err(e);
                }
                self.copy.store(true, std::sync::atomic::Ordering::Relaxed);
                std::fs::copy(source, &path).map(|_| ())
            })
        };
        match link() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && source.exists() => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).with_context(|| format!("创建 {}", parent.display()))?;
                }
                link()
            }
            other => other,
        }
        .with_context(|| format!("写入 {}", path.display()))
    }

    /// Swaps the complete new site in and removes the old one.
    pub fn commit(self) -> Result<()> {
        self.swap(false).map(|_| ())
    }

    /// Swaps the complete new site in and keeps the old one as the spare. Says whether there was
    /// an old site to keep.
    pub fn commit_keeping_old(self) -> Result<bool> {
        self.swap(true)
    }

    fn swap(self, keep: bool) -> Result<bool> {
        let target = &self.target;
        if !target.exists() {
            std::fs::rename(&self.dir, target).with_context(|| format!("移动到 {}", target.display()))?;
            return Ok(false);
        }
        let old = sibling(target, "old");
        let old = if exchange(&self.dir, target) {
            // After the exchange the staging path holds the old site.
            self.dir.clone()
        } else {
            std::fs::rename(target, &old).with_context(|| format!("移走旧网站 {}", target.display()))?;
            std::fs::rename(&self.dir, target).with_context(|| format!("移动到 {}", target.display()))?;
            old
        };
        if keep && std::fs::rename(&old, spare(target)).is_ok() {
            return Ok(true);
        }
        remove_tree(&old);
        Ok(false)
    }

    /// Removes the staging folder after a failed build; the old site was never touched.
    pub fn abandon(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Takes the build lock of an output folder: a lock on the folder it sits in, so nothing is left
/// behind; refuses if another build holds it.
fn lock(target: &Path) -> Result<std::fs::File> {
    let parent = target.parent().unwrap_or(Path::new("/"));
    let file = std::fs::File::open(parent).with_context(|| format!("打开 {}", parent.display()))?;
    if !try_lock(&file) {
        bail!("另一个 gongkai 正在生成 {}；请等它结束后再试", target.display());
    }
    Ok(file)
}

#[cfg(unix)]
pub(crate) fn try_lock(file: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor we own; the lock ends when the file is closed.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_: &std::fs::File) -> bool {
    true
}

/// Deletes a replaced site, its top-level folders in parallel (deleting is most of a rebuild's I/O).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = std::fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.par_iter().for_each(|path| {
            let _ = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Atomically exchanges two folders where the system allows it.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (CString::new(a.as_os_str().as_bytes()), CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths; renameat2 does not keep the pointers.
    unsafe {
        libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}
