//! Any text as Markdown: the nesting check, then (if it passes) rendering and sanitising. Nothing
//! may panic; run with `-timeout` to catch inputs that are slow to render.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(at) = gongkai::rules::nesting::too_deep(text) {
        assert!(at <= text.len());
        return;
    }
    let html = gongkai::render::markdown::to_html(text);
    assert!(!html.contains("<script"), "{html}");
});
