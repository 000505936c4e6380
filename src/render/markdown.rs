//! Markdown to safe HTML: raw HTML is cleaned to an allow-list and links limited to safe schemes.

use pulldown_cmark::{Options, Parser, html};
use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"));
    builder
});

/// The Markdown extensions content may use (also read by `guard::nesting`).
pub const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// Renders Markdown from content to HTML that is safe to embed.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, OPTIONS);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    CLEANER.clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_formatting() {
        assert_eq!(to_html("可用 **Markdown**"), "<p>可用 <strong>Markdown</strong></p>\n");
    }

    #[test]
    fn strips_scripts_and_bad_links() {
        let html = to_html("<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("onerror"));
    }

    #[test]
    fn keeps_safe_links() {
        let html = to_html("[电话](tel:03168812000) [网站](https://example.cn/) [本页](../zones/)");
        assert!(html.contains("href=\"tel:03168812000\""));
        assert!(html.contains("href=\"https://example.cn/\""));
        assert!(html.contains("href=\"../zones/\""));
    }
}
