//! `sitemap.xml` and its parts. Written here rather than by a theme template: the format is fixed
//! by sitemaps.org, and a city's 150,000 addresses went through Tera in ~100 ms, which `serve`
//! paid again whenever an edit added or removed a page.

use crate::plan::{SITEMAP_LIMIT, sitemap_pages};

/// `sitemap.xml` (`part` None) or `sitemap-<part>.xml`, for a site whose sitemap lists `count`
/// addresses, given in order by `urls` as (prefix, rest) pairs below `base` (a unit's folder and a
/// page's address in it, so that no address is put together just to be copied).
pub fn sitemap<'a>(
    base: &str,
    count: usize,
    urls: impl Iterator<Item = (&'a str, &'a str)>,
    part: Option<usize>,
) -> Vec<u8> {
    const XMLNS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let mut base_escaped = Vec::new();
    let _ = tera::escape_html(base, &mut base_escaped);
    let mut xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_vec();
    let push = |xml: &mut Vec<u8>, path: &str| {
        // Paths are made of slugs and rarely need escaping; checking is cheaper than escaping.
        if path.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
            let _ = tera::escape_html(path, xml);
        } else {
            xml.extend_from_slice(path.as_bytes());
        }
    };
    if part.is_none() && count > SITEMAP_LIMIT {
        xml.extend_from_slice(format!("<sitemapindex {XMLNS}>\n").as_bytes());
        for page in sitemap_pages(count).iter().skip(1) {
            xml.extend_from_slice(b"<sitemap><loc>");
            xml.extend_from_slice(&base_escaped);
            push(&mut xml, &page.file);
            xml.extend_from_slice(b"</loc></sitemap>\n");
        }
        xml.extend_from_slice(b"</sitemapindex>\n");
        return xml;
    }
    // Only the addresses of this file are written: a city has about 150,000.
    let (skip, take) = match part {
        None => (0, usize::MAX),
        Some(i) => ((i - 1) * SITEMAP_LIMIT, SITEMAP_LIMIT),
    };
    xml.reserve(take.min(count) * (base_escaped.len() + 60));
    xml.extend_from_slice(format!("<urlset {XMLNS}>\n").as_bytes());
    for (prefix, rest) in urls.skip(skip).take(take) {
        xml.extend_from_slice(b"<url><loc>");
        xml.extend_from_slice(&base_escaped);
        push(&mut xml, prefix);
        push(&mut xml, rest);
        xml.extend_from_slice(b"</loc></url>\n");
    }
    xml.extend_from_slice(b"</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_past_the_sitemap_limit_gets_an_index_and_parts_in_order() {
        let count = 2 * SITEMAP_LIMIT + 3;
        let units: Vec<String> = (0..count).map(|i| format!("s/u{i}/")).collect();
        let urls = || units.iter().map(|u| (u.as_str(), ""));
        let base = "https://example.cn/a&b/";
        let index = String::from_utf8(sitemap(base, count, urls(), None)).expect("UTF-8");
        assert_eq!(
            index,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <sitemap><loc>https://example.cn/a&amp;b/sitemap-1.xml</loc></sitemap>\n\
             <sitemap><loc>https://example.cn/a&amp;b/sitemap-2.xml</loc></sitemap>\n\
             <sitemap><loc>https://example.cn/a&amp;b/sitemap-3.xml</loc></sitemap>\n\
             </sitemapindex>\n"
        );
        let mut listed = Vec::new();
        for part in 1..=3 {
            let xml = String::from_utf8(sitemap(base, count, urls(), Some(part))).expect("UTF-8");
            assert!(xml.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            ));
            assert!(xml.ends_with("</urlset>\n"));
            let urls: Vec<&str> = xml
                .lines()
                .filter_map(|l| l.strip_prefix("<url><loc>")?.strip_suffix("</loc></url>"))
                .collect();
            assert!(urls.len() <= SITEMAP_LIMIT);
            listed.extend(urls.into_iter().map(String::from));
        }
        let expected: Vec<String> =
            (0..count).map(|i| format!("https://example.cn/a&amp;b/s/u{i}/")).collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn a_small_site_has_one_sitemap_of_all_its_addresses() {
        let urls = [("", ""), ("", "s/"), ("s/a&b'<c>/", "members/m1/")];
        let xml =
            String::from_utf8(sitemap("https://example.cn/", 3, urls.into_iter(), None)).expect("UTF-8");
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <url><loc>https://example.cn/</loc></url>\n\
             <url><loc>https://example.cn/s/</loc></url>\n\
             <url><loc>https://example.cn/s/a&amp;b&#39;&lt;c&gt;/members/m1/</loc></url>\n\
             </urlset>\n"
        );
    }
}
