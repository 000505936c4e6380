//! The flow-depth pre-scan against libyaml's own scanner: whatever depth libyaml reaches before
//! it stops, the pre-scan must see at least that deep (else a file could slip past the limit).
#![no_main]

#[allow(dead_code)]
#[path = "../../src/content/yaml/depth.rs"]
mod depth;

use libfuzzer_sys::fuzz_target;
use unsafe_libyaml as y;

/// The deepest flow nesting libyaml's scanner reaches in `text` before the end or an error.
fn libyaml_depth(text: &str) -> usize {
    // SAFETY: the parser is initialised before use and deleted once; every token is deleted
    // after its type is read; the input outlives the parser.
    unsafe {
        let mut parser = std::mem::MaybeUninit::<y::yaml_parser_t>::uninit();
        assert!(y::yaml_parser_initialize(parser.as_mut_ptr()).ok);
        let parser = parser.as_mut_ptr();
        y::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let (mut depth, mut deepest) = (0usize, 0usize);
        loop {
            let mut token = std::mem::MaybeUninit::<y::yaml_token_t>::uninit();
            if y::yaml_parser_scan(parser, token.as_mut_ptr()).fail {
                break;
            }
            let token = token.as_mut_ptr();
            let kind = (*token).type_;
            y::yaml_token_delete(token);
            match kind {
                y::YAML_FLOW_SEQUENCE_START_TOKEN | y::YAML_FLOW_MAPPING_START_TOKEN => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                y::YAML_FLOW_SEQUENCE_END_TOKEN | y::YAML_FLOW_MAPPING_END_TOKEN => {
                    depth = depth.saturating_sub(1)
                }
                y::YAML_STREAM_END_TOKEN | y::YAML_NO_TOKEN => break,
                _ => {}
            }
        }
        y::yaml_parser_delete(parser);
        deepest
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let reached = libyaml_depth(text);
    for limit in 0..reached {
        let at = depth::too_deep(text, limit);
        assert!(at.is_some(), "libyaml reaches depth {reached}, the pre-scan not past {limit}");
        let at = at.unwrap();
        assert!(matches!(text.as_bytes()[at], b'[' | b'{'), "offset {at} is not a bracket");
    }
});
