//! Watching `content/` and `themes/`: events are gathered into batches (editors write a file in
//! several steps) and the noise editors leave behind is dropped.

use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// How long the folder must be quiet before a batch is handed on.
pub const QUIET: Duration = Duration::from_millis(30);
/// A batch is handed on after this long even if changes keep coming.
pub const LONGEST: Duration = Duration::from_millis(300);
/// How long a batch waits while one of its files is empty: an editor saving in place empties the
/// file before writing it, and a busy machine can pause it in between for longer than [`QUIET`].
/// An empty file that stays empty is handed on after this long.
pub const EMPTIED: Duration = Duration::from_secs(1);

/// Editors' temporary and backup files, which the site never reads.
pub fn is_noise(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == ".DS_Store"
}

/// A content file that exists and is empty: most likely half saved.
fn is_emptied(path: &Path) -> bool {
    !is_noise(path) && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
}

/// Whether a file below `dir` was emptied less than [`EMPTIED`] ago: read now, it may be an
/// editor's save caught half way.
pub fn freshly_emptied(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).any(|entry| {
        entry.file_type().is_file()
            && !is_noise(entry.path())
            && entry.metadata().is_ok_and(|m| {
                m.len() == 0 && m.modified().is_ok_and(|t| t.elapsed().map_or(true, |age| age < EMPTIED))
            })
    })
}

/// Starts watching; batches of changed paths arrive on the returned channel, and the counter
/// counts every change as soon as it is seen (a build that began before the count moved may have
/// read a file half saved). The site root is watched too (not recursively), so a `themes/` folder
/// made while serving is picked up.
pub fn watch(root: &Path) -> notify::Result<(mpsc::Receiver<Vec<PathBuf>>, Arc<AtomicU64>)> {
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    let changes = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&changes);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if std::env::var_os("GONGKAI_DEBUG_WATCH").is_some() {
            eprintln!("watch: {event:?}");
        }
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                if !is_noise(&path) {
                    counter.fetch_add(1, Ordering::AcqRel);
                }
                let _ = raw_tx.send(path);
            }
        }
    })?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    let themes = root.join("themes");
    let mut themes_watched = false;
    for folder in ["content", "themes"] {
        let path = root.join(folder);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
            themes_watched |= folder == "themes";
        }
    }
    let (batch_tx, batch_rx) = mpsc::channel();
    std::thread::spawn(move || {
        // The watcher lives as long as this thread.
        let mut watcher = watcher;
        while let Ok(first) = raw_rx.recv() {
            let started = Instant::now();
            let mut batch = vec![first];
            loop {
                let waited = started.elapsed();
                if waited >= EMPTIED || (waited >= LONGEST && !batch.iter().any(|p| is_emptied(p))) {
                    break;
                }
                match raw_rx.recv_timeout(QUIET) {
                    Ok(path) => batch.push(path),
                    Err(mpsc::RecvTimeoutError::Timeout) if !batch.iter().any(|p| is_emptied(p)) => break,
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            if !themes_watched && themes.is_dir() && watcher.watch(&themes, RecursiveMode::Recursive).is_ok()
            {
                themes_watched = true;
                batch.push(themes.clone());
            }
            batch.retain(|p| !is_noise(p));
            batch.sort();
            batch.dedup();
            if !batch.is_empty() && batch_tx.send(batch).is_err() {
                return;
            }
        }
    });
    Ok((batch_rx, changes))
}
