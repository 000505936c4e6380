//! Markdown to safe HTML: raw HTML is cleaned to an allow-list and links limited to safe schemes.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
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
    let events = cjk_friendly_strong(markdown, Parser::new_ext(markdown, OPTIONS).into_offset_iter());
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    CLEANER.clean(&raw).to_string()
}

/// A piece of inline text, or a `**` the parser left as text, with the block and inline depth it
/// sits in.
enum Piece<'a> {
    Event(Event<'a>),
    Stars { block: usize, depth: usize, opens: bool, closes: bool },
}

/// Bold next to Chinese punctuation: CommonMark does not close `**` between a letter and
/// punctuation (`**党员述评20%、群众测评40%**计算`), and pulldown-cmark 0.13 has no option for the
/// CJK-friendly amendment yet. The `**` it leaves as text are paired here, within one block and
/// one level of inline nesting, so bold reads as written. Stars written escaped (`\*\*`) or inside
/// code stay literal: only text that stands in the source exactly as parsed is looked at.
fn cjk_friendly_strong<'a>(
    source: &'a str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> Vec<Event<'a>> {
    // The parser hands out each star of a delimiter run as its own text: join text that follows
    // on in the source, as long as each part stands there exactly as parsed.
    let mut joined: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::new();
    // Literal text being joined, kept as a `String` so a long run of stars joins in linear time.
    let mut pending: Option<(String, std::ops::Range<usize>)> = None;
    for (event, range) in events {
        if let Event::Text(text) = &event
            && source.get(range.clone()) == Some(text.as_ref())
        {
            match &mut pending {
                Some((joined_text, joined_range)) if joined_range.end == range.start => {
                    joined_text.push_str(text);
                    joined_range.end = range.end;
                }
                _ => {
                    if let Some((text, range)) = pending.take() {
                        joined.push((Event::Text(text.into()), range));
                    }
                    pending = Some((text.to_string(), range));
                }
            }
            continue;
        }
        if let Some((text, range)) = pending.take() {
            joined.push((Event::Text(text.into()), range));
        }
        joined.push((event, range));
    }
    if let Some((text, range)) = pending.take() {
        joined.push((Event::Text(text.into()), range));
    }
    let mut pieces = Vec::new();
    let (mut block, mut depth) = (0usize, 0usize);
    for (event, range) in joined {
        match &event {
            Event::Start(tag) if is_inline(tag) => depth += 1,
            Event::End(tag) if is_inline_end(tag) => depth = depth.saturating_sub(1),
            Event::Start(_) | Event::End(_) => {
                block += 1;
                depth = 0;
            }
            Event::Text(text) if text.contains("**") && source.get(range) == Some(text.as_ref()) => {
                let text = text.to_string();
                let mut rest = text.as_str();
                while let Some(at) = rest.find("**") {
                    let (before, after) = (&rest[..at], &rest[at + 2..]);
                    if !before.is_empty() {
                        pieces.push(Piece::Event(Event::Text(CowStr::from(before.to_string()))));
                    }
                    let next = after.chars().next();
                    let previous = before.chars().next_back().or_else(|| previous_char(&pieces));
                    pieces.push(Piece::Stars {
                        block,
                        depth,
                        opens: next.is_some_and(|c| !c.is_whitespace() && c != '*'),
                        closes: previous.is_some_and(|c| !c.is_whitespace() && c != '*'),
                    });
                    rest = after;
                }
                if !rest.is_empty() {
                    pieces.push(Piece::Event(Event::Text(CowStr::from(rest.to_string()))));
                }
                continue;
            }
            _ => {}
        }
        pieces.push(Piece::Event(event));
    }
    // Pair each opener with the next closer at the same place; the rest stay `**`.
    let mut strong = vec![None; pieces.len()];
    let mut open: Option<(usize, usize, usize)> = None;
    for (i, piece) in pieces.iter().enumerate() {
        if let Piece::Stars { block, depth, opens, closes } = *piece {
            match open {
                Some((at, b, d)) if b == block && d == depth && closes && at + 1 < i => {
                    strong[at] = Some(true);
                    strong[i] = Some(false);
                    open = None;
                }
                _ if opens => open = Some((i, block, depth)),
                _ => {}
            }
        }
    }
    pieces
        .into_iter()
        .zip(strong)
        .map(|(piece, strong)| match (piece, strong) {
            (Piece::Event(event), _) => event,
            (Piece::Stars { .. }, Some(true)) => Event::Start(Tag::Strong),
            (Piece::Stars { .. }, Some(false)) => Event::End(TagEnd::Strong),
            (Piece::Stars { .. }, None) => Event::Text(CowStr::Borrowed("**")),
        })
        .collect()
}

fn previous_char(pieces: &[Piece<'_>]) -> Option<char> {
    match pieces.last()? {
        Piece::Event(Event::Text(text) | Event::Code(text)) => text.chars().next_back(),
        Piece::Event(Event::End(_)) => Some('>'),
        _ => None,
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(tag, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. })
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(tag, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_formatting() {
        assert_eq!(to_html("可用 **Markdown**"), "<p>可用 <strong>Markdown</strong></p>\n");
    }

    #[test]
    fn bold_closes_next_to_chinese_punctuation() {
        assert_eq!(
            to_html("按**党员述评20%、群众测评40%、组织考评40%**计算。"),
            "<p>按<strong>党员述评20%、群众测评40%、组织考评40%</strong>计算。</p>\n"
        );
        assert_eq!(
            to_html("实行“**1+1**”**帮联**：每户都知道。"),
            "<p>实行“<strong>1+1</strong>”<strong>帮联</strong>：每户都知道。</p>\n"
        );
        assert_eq!(
            to_html("**总体情况。** 后庄村等12个村"),
            "<p><strong>总体情况。</strong> 后庄村等12个村</p>\n"
        );
        // Inside a link, and two on one line.
        assert_eq!(
            to_html("[**通知（一）**](a/)和**附件（二）**。"),
            "<p><a href=\"a/\" rel=\"noopener noreferrer\"><strong>通知（一）</strong></a>和<strong>附件（二）</strong>。</p>\n"
        );
    }

    #[test]
    fn stars_that_are_not_bold_stay_as_written() {
        // Escaped, in code, around spaces, unpaired, across paragraphs.
        assert_eq!(to_html("\\*\\*不加粗\\*\\*。"), "<p>**不加粗**。</p>\n");
        assert_eq!(to_html("`**代码**`。"), "<p><code>**代码**</code>。</p>\n");
        assert_eq!(to_html("2 ** 3 ** 4"), "<p>2 ** 3 ** 4</p>\n");
        assert_eq!(to_html("只有**一处。"), "<p>只有**一处。</p>\n");
        assert_eq!(to_html("甲**乙。\n\n丙**丁。"), "<p>甲**乙。</p>\n<p>丙**丁。</p>\n");
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
