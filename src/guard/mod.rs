//! Hostile-input guards, run on a file's text before it is parsed or rendered: personal data
//! (identity numbers refused, mobile numbers masked), YAML flow nesting that would make the parser
//! take minutes, Markdown nesting that would make the HTML sanitiser take minutes. Each guard
//! reports at the file, line and column where the text is, so `check` shows it like any error.

pub mod depth;
pub mod nesting;
pub mod privacy;

use crate::diagnostic::{Diagnostic, SourceText};

/// Screens a YAML file's text: personal data found in it (masked in place), in file order.
pub fn screen_yaml(source: &mut SourceText) -> Vec<Diagnostic> {
    privacy::scan_and_mask(source, true)
}

/// Screens a Markdown file's text (front matter included): personal data, masked in place, and
/// nesting too deep to render, which refuses the file.
pub fn screen_markdown(source: &mut SourceText) -> (Vec<Diagnostic>, Option<Diagnostic>) {
    let found = privacy::scan_and_mask(source, false);
    (found, nesting::check(source))
}

/// Refuses YAML (`yaml`, a part of `source`'s text starting at byte `base`) that nests `[` or `{`
/// deeper than the parser can take in reasonable time.
pub fn yaml_depth(source: &SourceText, yaml: &str, base: usize) -> Result<(), Diagnostic> {
    match depth::too_deep(yaml, depth::MAX_FLOW_DEPTH) {
        None => Ok(()),
        Some(at) => Err(Diagnostic::error(
            &source.path,
            format!("方括号或花括号嵌套超过 {} 层", depth::MAX_FLOW_DEPTH),
        )
        .at(source.position(base + at))
        .hint("内容文件最多只套两三层；检查这里是否多写了“[”或“{”，或漏写了与之配对的“]”“}”")),
    }
}
