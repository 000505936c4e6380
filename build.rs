//! Embeds `themes/default/` into the binary so `gongkai build` works in any folder, and tells
//! `gongkai --version` the commit it is built from.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    embed_theme();
    commit();
}

fn embed_theme() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &mut files);
    files.sort();
    let mut code = String::from("pub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file.strip_prefix(&theme).unwrap().to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({name:?}, include_bytes!({:?})),", file.display().to_string()).unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    std::fs::write(out, code).unwrap();
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// Sets `GONGKAI_COMMIT`: the `GONGKAI_COMMIT` environment variable when a packager gives one (a
/// source tarball has no git), else the checkout's commit, else "unknown".
fn commit() {
    println!("cargo:rerun-if-env-changed=GONGKAI_COMMIT");
    let commit = std::env::var("GONGKAI_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=GONGKAI_COMMIT={}", commit.trim());
    // The manual pages' date: the commit's, so the pages are the same whoever builds them.
    let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_else(|| "未知日期".to_string());
    println!("cargo:rustc-env=GONGKAI_COMMIT_DATE={date}");
}

/// The first 12 hex digits of HEAD, asking cargo to run this again when HEAD moves: a checkout
/// changes `HEAD`, a commit changes the branch's ref (loose, or in `packed-refs`).
fn git_commit() -> Option<String> {
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        // `--git-path` finds the file in a linked worktree's or the common git folder.
        if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    Some(commit)
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
