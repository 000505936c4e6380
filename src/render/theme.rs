//! The theme: the default one compiled in, overridden file by file by `themes/<name>/` in the site root.

use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A theme's files by their path inside the theme folder (`templates/base.html`, `static/style.css`).
pub struct Theme {
    /// The chosen theme's name (`default` unless `theme:` says otherwise).
    pub name: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme with the files of `root/themes/<name>/` laid over it.
    pub fn load(root: &Path, name: Option<&str>) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, Vec<u8>> =
            DEFAULT_THEME.iter().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        let chosen = name.unwrap_or("default");
        let relative = Path::new("themes").join(chosen);
        let dir = root.join(&relative);
        if !dir.is_dir() {
            if name.is_some_and(|n| n != "default") {
                return Err(Diagnostic::error(
                    Path::new("content/site.yaml"),
                    format!("找不到主题文件夹 themes/{chosen}/"),
                )
                .hint("新建这个文件夹并放入要替换的模板，或删去 site.yaml 里的 theme"));
            }
            return Ok(Theme { name: chosen.to_string(), files });
        }
        for entry in walkdir::WalkDir::new(&dir).follow_links(false).max_depth(6).sort_by_file_name() {
            let entry = entry.map_err(|e| Diagnostic::error(&relative, format!("无法读取主题：{e}")))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name =
                entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            if name.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            let bytes = std::fs::read(entry.path())
                .map_err(|e| Diagnostic::error(&relative.join(&name), format!("无法读取主题文件：{e}")))?;
            files.insert(name, bytes);
        }
        Ok(Theme { name: chosen.to_string(), files })
    }

    /// Templates: `(name without the templates/ prefix, text)`.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(name, bytes)| Some((name.strip_prefix("templates/")?, bytes.as_slice())))
    }

    /// Static files copied to `assets/`.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().filter_map(|(name, bytes)| Some((name.strip_prefix("static/")?, bytes.as_slice())))
    }
}
