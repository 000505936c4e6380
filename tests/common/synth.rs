//! Synthetic sites from `examples/synth.rs`, for the tests that need a county or a large village.

use super::Site;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `--units 3 --seed 140` gives a village of 124 members (南里家务村), the size where long lists
/// and wide tables show their problems; the tests assert it still has 100 or more.
pub const LARGE_UNIT_SEED: u64 = 140;

/// `target/<profile>/examples/synth` for the profile of this test binary. A plain `cargo test
/// --test browser` does not build examples, so it is built here when missing or older than
/// `examples/synth.rs`.
fn synth_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
        let binary = profile_dir.join("examples/synth");
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synth.rs");
        if modified(&binary).is_some() && modified(&binary) >= modified(&source) {
            return binary;
        }
        let profile = profile_dir.file_name().unwrap().to_string_lossy().into_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["build", "--quiet", "--example", "synth"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_TARGET_DIR", profile_dir.parent().unwrap());
        match profile.as_str() {
            "debug" => {}
            "release" => {
                command.arg("--release");
            }
            other => {
                command.args(["--profile", other]);
            }
        }
        let status = command.status().expect("running cargo to build the synth example");
        assert!(status.success(), "building examples/synth failed");
        binary
    })
}

/// A synthetic site of `units` units, deterministic for a seed.
pub fn synthetic(units: usize, seed: u64) -> Site {
    let site = Site::empty();
    let output = Command::new(synth_binary())
        .args(["--units", &units.to_string(), "--seed", &seed.to_string(), "--out"])
        .arg(site.root())
        .output()
        .expect("running synth");
    assert!(output.status.success(), "synth: {}", String::from_utf8_lossy(&output.stderr));
    site
}

/// The built synthetic site holding a unit of 100 or more members, and that unit's output path
/// (`<section>/<unit>/`).
pub fn large_unit_site() -> (Site, String) {
    let site = synthetic(3, LARGE_UNIT_SEED);
    site.build().code(0);
    let mut largest = (0, String::new());
    for (path, bytes) in site.tree("output") {
        if let Some(unit) = path.strip_suffix("data.json") {
            let data: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let members = data["members"].as_array().map_or(0, Vec::len);
            if members > largest.0 {
                largest = (members, unit.to_string());
            }
        }
    }
    assert!(
        largest.0 >= 100,
        "synth --units 3 --seed {LARGE_UNIT_SEED} no longer makes a unit of 100+ members"
    );
    (site, largest.1)
}
