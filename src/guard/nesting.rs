//! Markdown that would take the HTML sanitiser minutes: too deep, or re-opening tags without end.
//!
//! Rendered Markdown goes through ammonia, whose HTML parser (html5ever) walks its stack of open
//! elements for most start tags, so time grows with the square of the nesting: 10,000 nested list
//! items (`- - - …`, 20 KB) took 2.6 s, 40,000 `<div>` 9 s, 50,000 `- ` minutes. And a formatting
//! element that a paragraph's end closes early (`<p><b id=1>x</p>`) is opened again inside every
//! later paragraph, as HTML requires: 4,000 such lines (75 KB) rendered as 56 MB in 15 s.
//!
//! This walks the Markdown the way it will be rendered and keeps a rough copy of the parser's
//! stack: Markdown blocks and inline styles, and the tags of raw HTML. It is checked when the file
//! is read, where the file and line are known, so `check` reports it too.

use crate::diagnostic::{Diagnostic, SourceText};
use pulldown_cmark::{Event, Parser};
use std::collections::HashMap;
use std::path::Path;

/// Deeper nesting is refused; real notices nest a handful of levels (a table in a list in a quote).
pub const MAX_DEPTH: usize = 100;

/// One open element of the copy of the HTML parser's stack.
enum Open {
    /// A Markdown block or inline style; its end closes it and anything raw opened inside it.
    Markdown,
    /// A raw HTML element by its lower-case tag name; for formatting elements, the start tag too.
    Raw { name: String, formatting: Option<String> },
}

/// Formatting elements closed by something other than their own end tag: the HTML parser opens
/// them again before the next text. It keeps at most three alike ("Noah's Ark" in the standard).
#[derive(Default)]
struct Reopened {
    alike: HashMap<String, usize>,
    count: usize,
}

/// Closes the element at `at` in the stack and, without their end tags, all opened inside it.
fn close(stack: &mut Vec<Open>, at: usize, reopened: &mut Reopened) {
    for open in stack.drain(at..).skip(1) {
        if let Open::Raw { formatting: Some(tag), .. } = open {
            let alike = reopened.alike.entry(tag).or_insert(0);
            if *alike < 3 {
                *alike += 1;
                reopened.count += 1;
            }
        }
    }
}

/// The error for Markdown nested too deep, at its place in `file`.
pub fn error(file: &Path, position: (usize, usize)) -> Diagnostic {
    Diagnostic::error(file, format!("Markdown 或 HTML 嵌套超过 {MAX_DEPTH} 层"))
        .at(position)
        .hint("列表、引用（>）或 HTML 标签套得太深，或有许多没有结束标签的 <b>、<i> 等；请改成平铺的段落，标签成对写")
}

/// Checks a Markdown file as read.
pub fn check(source: &SourceText) -> Option<Diagnostic> {
    too_deep(&source.text).map(|at| error(&source.path, source.position(at)))
}

/// The byte offset where the nesting first goes past [`MAX_DEPTH`], if it does.
pub fn too_deep(markdown: &str) -> Option<usize> {
    let mut stack: Vec<Open> = Vec::new();
    let mut reopened = Reopened::default();
    for (event, range) in Parser::new_ext(markdown, crate::render::markdown::OPTIONS).into_offset_iter() {
        match event {
            Event::Start(_) => {
                stack.push(Open::Markdown);
                if stack.len() + reopened.count > MAX_DEPTH {
                    return Some(range.start);
                }
            }
            Event::End(_) => {
                if let Some(at) = stack.iter().rposition(|open| matches!(open, Open::Markdown)) {
                    close(&mut stack, at, &mut reopened);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                // Raw HTML is usually a slice of the file; inside a quote its `>` are taken off.
                let exact = markdown.get(range.start..).is_some_and(|rest| rest.starts_with(&*html));
                for (offset, tag) in tags(&html) {
                    let at = range.start + if exact { offset } else { 0 };
                    match tag {
                        Tag::Start { name, .. } if is_void(&name) => {}
                        Tag::Start { name, whole } => {
                            let formatting = is_formatting(&name).then(|| whole.to_string());
                            stack.push(Open::Raw { name, formatting });
                            if stack.len() + reopened.count > MAX_DEPTH {
                                return Some(at);
                            }
                        }
                        Tag::End { name } => {
                            // An end tag closes the nearest open element of its name, unless a
                            // Markdown block lies between; one that matches nothing is ignored.
                            let found = stack.iter().rposition(|open| match open {
                                Open::Markdown => true,
                                Open::Raw { name: open, .. } => *open == name,
                            });
                            if let Some(at) = found
                                && matches!(stack[at], Open::Raw { .. })
                            {
                                close(&mut stack, at, &mut reopened);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

enum Tag<'a> {
    Start { name: String, whole: &'a str },
    End { name: String },
}

/// The start and end tags in a piece of raw HTML with their byte offsets; comments, doctypes and
/// processing instructions are skipped. A tag without its `>` runs to the end of the piece.
fn tags(html: &str) -> Vec<(usize, Tag<'_>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |end| lt + end + 3);
            continue;
        }
        let (is_end, name_start) = match rest.as_bytes().get(1) {
            Some(b'/') => (true, 2),
            Some(c) if c.is_ascii_alphabetic() => (false, 1),
            Some(b'!' | b'?') => {
                at = rest.find('>').map_or(html.len(), |end| lt + end + 1);
                continue;
            }
            _ => {
                at = lt + 1;
                continue;
            }
        };
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() {
            at = lt + 1;
            continue;
        }
        let end = tag_end(rest).map_or(html.len(), |end| lt + end + 1);
        found.push((lt, if is_end { Tag::End { name } } else { Tag::Start { name, whole: &html[lt..end] } }));
        at = end;
    }
    found
}

/// Offset of the `>` that ends the tag at the start of `rest`, skipping quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Elements that have no end tag and so never stay open.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The HTML standard's formatting elements, which the parser re-opens after an early close.
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markdown_and_html_pass() {
        let text = "# 标题\n\n> 引用 **粗体** [链接](https://example.cn/)\n\n- 一\n  - 二\n\n\
                    <table><tr><td><b>表</b></td></tr></table>\n\n<p><b>没闭合</p>\n";
        assert_eq!(too_deep(text), None);
        assert_eq!(too_deep(&"<p><b>x</p>\n\n".repeat(1_000)), None);
    }

    #[test]
    fn deep_markdown_is_found() {
        assert_eq!(too_deep(&(">".repeat(200) + " x")), Some(MAX_DEPTH));
        assert!(too_deep(&("- ".repeat(200) + "x")).is_some());
        assert_eq!(too_deep(&("a\n\n".to_string() + &"<div>".repeat(200))), Some(3 + 5 * (MAX_DEPTH - 1)));
    }

    #[test]
    fn closed_tags_do_not_add_up() {
        assert_eq!(too_deep(&"<div><span>x</span></div>\n".repeat(1_000)), None);
        assert_eq!(too_deep(&"x <i>y</i> z\n".repeat(1_000)), None);
    }

    #[test]
    fn formatting_tags_closed_early_add_up() {
        let text: String = (0..200).map(|i| format!("<p><b id={i}>x</p>")).collect();
        assert!(too_deep(&text).is_some());
    }
}
