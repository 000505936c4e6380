//! Any text as any of the YAML files, read the way the loader reads it: privacy scan, then parse.
//! Nothing may panic; an error names a position inside the text.
#![no_main]

use gongkai::content::model::{AssessmentFile, PostsFile, SectionFile, SiteConfig, UnitFile, ZonesFile};
use gongkai::content::yaml;
use gongkai::diagnostic::{Diagnostic, SourceText};
use libfuzzer_sys::fuzz_target;

fn error_of<T: serde::de::DeserializeOwned>(source: &SourceText) -> Option<Diagnostic> {
    yaml::parse::<T>(source).err()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let path = std::path::Path::new("content/a/b/file.yaml");
    let Ok(text) = gongkai::content::source::decode(path, rest.to_vec()) else { return };
    let mut source = SourceText { path: path.into(), text };
    let length = source.text.len();
    for diagnostic in gongkai::rules::privacy::scan_and_mask(&mut source, true) {
        assert!(diagnostic.line >= 1, "{diagnostic:?}");
    }
    assert_eq!(source.text.len(), length, "masking keeps positions");
    let error = match which % 6 {
        0 => error_of::<UnitFile>(&source),
        1 => error_of::<ZonesFile>(&source),
        2 => error_of::<PostsFile>(&source),
        3 => error_of::<AssessmentFile>(&source),
        4 => error_of::<SiteConfig>(&source),
        _ => error_of::<SectionFile>(&source),
    };
    if let Some(error) = error {
        assert!(!error.message.trim().is_empty(), "{error:?}");
        // libyaml also ends lines at NEL, LS and PS, which the loader keeps.
        let lines = source.text.split(['\n', '\u{85}', '\u{2028}', '\u{2029}']).count();
        assert!(error.line <= lines + 1, "line {} of {lines}: {error:?}", error.line);
    }
});
