//! Shared helpers of the integration tests: fixture sites in temporary folders, running the real
//! binary on them, and reading what it wrote.
//!
//! Each test binary uses only some of these helpers.
#![allow(dead_code)]

pub mod synth;
pub mod xss;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// The binary under test, as cargo built it for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

/// 2016-12-22 00:00 China time (UTC+8): inside the minimal fixture's notice period
/// (2016-12-20 to 2016-12-26), so its results show 公示中.
pub const EPOCH_IN_NOTICE_PERIOD: i64 = 1_482_336_000;

/// The minimal fixture's one unit, relative to the site root.
pub const UNIT: &str = "content/nanhe-zhen/dongwang";
/// The minimal fixture's unit below the output folder.
pub const UNIT_OUT: &str = "output/nanhe-zhen/dongwang";

/// The result of running the binary once.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing everything the binary printed when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr holds `line` exactly as one line, followed by `  提示: <hint>` when a
    /// hint is given, or by no hint line at all.
    #[track_caller]
    pub fn diagnostic(&self, line: &str, hint: Option<&str>) -> &Run {
        let lines: Vec<&str> = self.stderr.lines().collect();
        let Some(at) = lines.iter().position(|l| *l == line) else {
            panic!("stderr lacks the line\n  {line}\n--- stderr:\n{}", self.stderr);
        };
        let next = lines.get(at + 1).copied().unwrap_or("");
        match hint {
            Some(hint) => {
                // A hint of several lines is printed as is after its first line.
                let expected = format!("  提示: {hint}");
                let expected: Vec<&str> = expected.lines().collect();
                let end = (at + 1 + expected.len()).min(lines.len());
                assert_eq!(lines[at + 1..end], expected, "hint of `{line}`\n--- stderr:\n{}", self.stderr)
            }
            None => assert!(!next.starts_with("  提示"), "`{line}` should have no hint, got `{next}`"),
        }
        self
    }

    /// The diagnostic lines (`file:line:col: 错误|警告: …`) of stderr, without hints.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.contains(": 错误: ") || l.contains(": 警告: ")).collect()
    }

    /// Asserts the number of warnings printed.
    #[track_caller]
    pub fn warnings(&self, expected: usize) -> &Run {
        let warnings: Vec<&str> = self.diagnostics().into_iter().filter(|l| l.contains(": 警告: ")).collect();
        assert_eq!(warnings.len(), expected, "warnings: {warnings:#?}\n--- stderr:\n{}", self.stderr);
        self
    }

    /// Asserts the number of errors printed.
    #[track_caller]
    pub fn errors(&self, expected: usize) -> &Run {
        let errors: Vec<&str> = self.diagnostics().into_iter().filter(|l| l.contains(": 错误: ")).collect();
        assert_eq!(errors.len(), expected, "errors: {errors:#?}\n--- stderr:\n{}", self.stderr);
        self
    }
}

/// A site root in a fresh temporary folder, removed when the test ends.
pub struct Site {
    dir: TempDir,
    /// `SOURCE_DATE_EPOCH` given to every run.
    pub epoch: i64,
}

impl Site {
    /// An empty site root (no `content/`).
    pub fn empty() -> Site {
        Site {
            dir: tempfile::Builder::new().prefix("gongkai-test-").tempdir().expect("temporary folder"),
            epoch: EPOCH_IN_NOTICE_PERIOD,
        }
    }

    /// A copy of `tests/fixtures/<name>/` (which holds `content/` and maybe `themes/`).
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_dir(&fixtures().join(name), site.root());
        site
    }

    /// The minimal valid site: one section, one village unit; builds with no warnings.
    pub fn minimal() -> Site {
        Site::fixture("minimal")
    }

    /// A copy of the repository's sample county (`content/` at the crate root).
    pub fn sample() -> Site {
        let site = Site::empty();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &site.path("content"));
        site
    }

    /// The site as `serve` holds it, after its first build (which must succeed).
    pub fn preview(&self) -> (gongkai::serve::preview::Pages, gongkai::serve::preview::Preview) {
        use gongkai::serve::preview::{Outcome, Pages, Preview};
        let pages = Pages::new();
        let mut preview = Preview::new(self.root(), gongkai::content::LoadOptions::default(), String::new());
        let outcome = preview.rebuild_all(&pages);
        assert!(matches!(outcome, Outcome::Updated { .. }), "{outcome:?}");
        (pages, preview)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }

    /// Adds text at the end of a file.
    pub fn append(&self, relative: &str, text: &str) {
        let mut all = self.read(relative);
        all.push_str(text);
        self.write(relative, &all);
    }

    /// Replaces the one occurrence of `from` in a file; fails if there is not exactly one, so a
    /// defect meant for a test cannot silently miss after the fixture changes.
    #[track_caller]
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert_eq!(text.matches(from).count(), 1, "`{from}` should occur exactly once in {relative}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    pub fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.path(from), self.path(to)).unwrap();
    }

    /// Runs the binary in the site root with `SOURCE_DATE_EPOCH` set.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Like [`Site::run`], with extra environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("running gongkai");
        Run {
            // Killed by a signal (a crash) shows as -1.
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The command [`Site::run`] runs, to start it in the background.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.root())
            .env("SOURCE_DATE_EPOCH", self.epoch.to_string())
            .env_remove("RUST_BACKTRACE");
        command
    }

    /// `gongkai build` in the site root.
    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds and asserts success without any warning.
    #[track_caller]
    pub fn build_clean(&self) -> Run {
        let run = self.build();
        run.code(0).warnings(0);
        assert_eq!(run.stderr, "", "a clean build prints nothing on stderr");
        run
    }

    /// A file of the site as text, e.g. `output/index.html`.
    pub fn output(&self, relative: &str) -> String {
        self.read(relative)
    }

    /// Every file below a folder of the site, by relative path, with its bytes.
    pub fn tree(&self, relative: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(relative))
    }

    /// The names in the site root, sorted (to spot leftovers of a build), without the build cache
    /// `.gongkai-cache`, which builds keep on purpose.
    pub fn root_entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != ".gongkai-cache")
            .collect();
        names.sort();
        names
    }
}

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir`, by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(name, std::fs::read(&path).unwrap());
        }
    }
}

/// The `<main …>…</main>` element of a page, the part that depends on the page's content.
#[track_caller]
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// Values of every `href="…"` and `src="…"` attribute, with `&amp;` decoded.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let end = rest.find('"').expect("closing quote");
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

/// Resolves a relative link found in the file `from` (both relative to the output folder).
/// `None` when it climbs above the output folder.
pub fn resolve(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<String> = Path::new(from)
        .parent()
        .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    for component in Path::new(link).components() {
        match component {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// Parses JSON from a string, failing the test with the text when it does not parse.
#[track_caller]
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}
