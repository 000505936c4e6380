//! Turns planned pages into bytes. The Tera set-up is here; a unit's pages are rendered by
//! [`unit`] from the unit itself (in the per-unit stage), the pages that sum units up by
//! [`aggregate`] from the units' digests.

pub mod aggregate;
pub mod charts;
mod context;
pub mod feed;
pub mod markdown;
pub mod newest;
pub mod qr;
pub mod sitemap;
pub mod theme;
pub mod unit;
pub mod views;
pub mod words;

use crate::content::model::{Notice, Site};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use std::path::Path;
use tera::{Context, Tera};
use theme::Theme;

/// Receives each rendered file; an error stops the rendering.
pub type PageSink<'a> = dyn Fn(&Page, Vec<u8>) -> Result<(), Diagnostic> + Sync + 'a;

/// Templates parsed once, and the theme's static files.
pub struct Renderer {
    tera: Tera,
    /// `themes/<name>/templates`, where template problems are reported.
    templates: String,
    assets: Vec<(String, Vec<u8>)>,
    /// Injected before `</body>` in serve mode only.
    pub live_reload: Option<String>,
}

/// A template problem, placed at `themes/<name>/templates/<file>:line:column` when Tera says where.
fn theme_error(templates: &str, error: &tera::Error) -> Diagnostic {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!("：{cause}"));
        source = cause.source();
    }
    // Tera points at the place as ` --> name.html:line:column`.
    let place = message.split(" --> ").nth(1).and_then(|rest| {
        let spot = rest.split_whitespace().next()?;
        let mut parts = spot.rsplitn(3, ':');
        let column = parts.next()?.parse::<usize>().ok()?;
        let line = parts.next()?.parse::<usize>().ok()?;
        Some((parts.next()?.to_string(), line, column))
    });
    let diagnostic = match place {
        Some((file, line, column)) => {
            Diagnostic::error(&Path::new(templates).join(file), format!("模板出错：{message}"))
                .at((line, column))
        }
        None => Diagnostic::error(Path::new(templates), format!("模板出错：{message}")),
    };
    diagnostic.hint("检查这个模板的语法；删去 themes/ 里的覆盖文件可恢复默认主题")
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::new();
        let mut templates = Vec::new();
        for (name, bytes) in theme.templates() {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| Diagnostic::error(&Path::new("themes").join(name), "模板文件不是 UTF-8 编码"))?;
            templates.push((name.to_string(), text.to_string()));
        }
        let templates_dir = format!("themes/{}/templates", theme.name);
        tera.add_raw_templates(templates).map_err(|e| theme_error(&templates_dir, &e))?;
        let assets = theme.assets().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        Ok(Renderer { tera, templates: templates_dir, assets, live_reload: None })
    }

    pub fn asset_names(&self) -> Vec<String> {
        self.assets.iter().map(|(name, _)| name.clone()).collect()
    }

    /// A file of the theme's `static/` folder.
    fn asset(&self, name: &str) -> Vec<u8> {
        self.assets.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()).unwrap_or_default()
    }

    fn template(&self, name: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, context, &mut out).map_err(|e| theme_error(&self.templates, &e))?;
        Ok(out)
    }

    /// An Atom feed of `entries`, newest first.
    fn feed(
        &self,
        site: &Site,
        title: &str,
        url: &str,
        entries: &[feed::Entry],
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut context = Context::new();
        let base = base_url(site);
        context.insert("title", title);
        context.insert("id", &format!("{base}{url}"));
        context.insert("self_url", &format!("{base}{url}atom.xml"));
        context.insert(
            "updated",
            &entries
                .first()
                .map(|e| e.date)
                .unwrap_or(crate::date::Date::new(2000, 1, 1).expect("valid date")),
        );
        context.insert("base", &base);
        context.insert("entries", entries);
        self.template("atom.xml", &context)
    }
}

/// A notice's body as sanitised HTML, rendered once however many pages and feeds show it.
pub fn notice_html(notice: &Notice) -> &str {
    notice.html.get_or_init(|| markdown::to_html(&notice.body))
}

/// `base_url` with exactly one trailing slash.
pub fn base_url(site: &Site) -> String {
    format!("{}/", site.config.base_url.trim().trim_end_matches('/'))
}

/// Every unit in a section and its sub-sections.
pub fn units_below(site: &Site, section: usize) -> Vec<usize> {
    let mut units = site.sections[section].units.clone();
    for sub in &site.sections[section].subsections {
        units.extend(units_below(site, *sub));
    }
    units.sort_unstable();
    units
}
