//! Watching `content/` and `themes/`: events are gathered into batches (editors write a file in
//! several steps) and the noise editors leave behind is dropped.

use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the folder must be quiet before a batch is handed on.
pub const QUIET: Duration = Duration::from_millis(30);
/// A batch is handed on after this long even if changes keep coming.
pub const LONGEST: Duration = Duration::from_millis(300);

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

/// Starts watching; batches of changed paths arrive on the returned channel. The site root is
/// watched too (not recursively), so a `themes/` folder made while serving is picked up.
pub fn watch(root: &Path) -> notify::Result<mpsc::Receiver<Vec<PathBuf>>> {
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if std::env::var_os("GONGKAI_DEBUG_WATCH").is_some() {
            eprintln!("watch: {event:?}");
        }
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
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
            while started.elapsed() < LONGEST {
                match raw_rx.recv_timeout(QUIET) {
                    Ok(path) => batch.push(path),
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
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
    Ok(batch_rx)
}
