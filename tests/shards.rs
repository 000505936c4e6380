//! Sharded builds: `gongkai build --shard K/N --parts DIR` on each "machine", then `gongkai merge
//! DIR` gives the bytes of a one-machine build; parts that are missing, duplicated, of another
//! build, stale or damaged are refused with a message naming the part and what to do, and the
//! published output stays as it was.

mod common;

use common::{Run, Site};
use std::collections::BTreeMap;

/// Builds every shard of `n` into `parts` (relative to the site root), one process after another.
#[track_caller]
fn build_shards(site: &Site, n: usize, parts: &str) {
    for k in 1..=n {
        let run = site.run(&["build", "--shard", &format!("{k}/{n}"), "--parts", parts]);
        run.code(0);
        assert!(
            run.stdout.starts_with(&format!("已生成分片 {k}/{n}：")),
            "summary of shard {k}/{n}: {}",
            run.stdout
        );
    }
}

/// A one-machine build without the cache, into a folder of its own.
fn one_machine_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("output");
    site.run(&["build", "--no-cache", "--output", target.to_str().unwrap()]).code(0);
    common::tree(&target)
}

/// Asserts that two site trees hold the same files with the same bytes.
#[track_caller]
fn assert_same_site(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>, what: &str) {
    let got_names: Vec<&String> = got.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(got_names, want_names, "{what}: other files than a one-machine build");
    for (name, bytes) in want {
        assert!(got[name] == *bytes, "{what}: {name} differs from a one-machine build's");
    }
}

/// For N = 1, 3 and 7: every shard, then the merge into `output/`, gives the one-machine bytes.
fn merges_match_one_machine(site: &Site) {
    let want = one_machine_build(site);
    assert!(want.len() > 50, "the site has pages");
    for n in [1, 3, 7] {
        let parts = format!("parts-{n}");
        build_shards(site, n, &parts);
        let run = site.run(&["merge", &parts]);
        run.code(0);
        assert!(run.stdout.starts_with("已合并 "), "{}", run.stdout);
        assert_same_site(&site.tree("output"), &want, &format!("merged from {n} shards"));
    }
}

#[test]
fn the_sample_merged_from_1_3_and_7_shards_is_byte_identical_to_one_build() {
    let site = Site::sample();
    merges_match_one_machine(&site);
    // Every unit is in exactly one shard of the 7 (8 units: one shard holds two).
    let mut units: Vec<String> = Vec::new();
    for k in 1..=7 {
        let manifest = common::json(&site.read(&format!("parts-7/shard-{k}-of-7/part/gongkai-part.json")));
        assert_eq!(manifest["shard"], k);
        assert_eq!(manifest["shards"], 7);
        assert_eq!(manifest["day"], "2016-12-22");
        for unit in manifest["units"].as_array().unwrap() {
            units.push(unit["path"].as_str().unwrap().to_string());
        }
    }
    let count = units.len();
    units.sort();
    units.dedup();
    assert_eq!((count, units.len()), (8, 8), "{units:?}");
}

/// The synthetic county of `examples/synth.rs`: several sections, every kind of unit, notices at
/// every level. `GONGKAI_SHARD_UNITS` sets its size (default 60 units; 300 is a county).
#[test]
fn a_synthetic_county_merged_from_1_3_and_7_shards_is_byte_identical_to_one_build() {
    let units = std::env::var("GONGKAI_SHARD_UNITS").ok().and_then(|n| n.parse().ok()).unwrap_or(60);
    let site = common::synth::synthetic(units, 3);
    merges_match_one_machine(&site);
    // Balanced by size: no shard of 7 holds more than twice its share of the bytes of pages.
    let sizes: Vec<u64> = (1..=7)
        .map(|k| {
            common::tree(&site.path(&format!("parts-7/shard-{k}-of-7/part")))
                .values()
                .map(|b| b.len() as u64)
                .sum()
        })
        .collect();
    let mean = sizes.iter().sum::<u64>() / 7;
    assert!(sizes.iter().all(|&s| s < 2 * mean && s > mean / 2), "shard sizes {sizes:?}");
}

#[test]
fn shards_built_at_the_same_time_into_one_parts_folder_merge_to_the_same_site() {
    let site = Site::sample();
    let want = one_machine_build(&site);
    let mut children: Vec<std::process::Child> = (1..=3)
        .map(|k| {
            let mut command =
                site.command(&["build", "--quiet", "--shard", &format!("{k}/3"), "--parts", "parts"]);
            command.spawn().expect("starting a shard")
        })
        .collect();
    for child in &mut children {
        assert!(child.wait().unwrap().success(), "a shard failed");
    }
    site.run(&["merge", "parts", "--quiet"]).code(0);
    assert_same_site(&site.tree("output"), &want, "merged from shards built at the same time");
}

/// The sample built once into `output/` (the published site) and its three shards in `parts/`.
fn published_with_parts() -> (Site, BTreeMap<String, Vec<u8>>) {
    let site = Site::sample();
    site.build().code(0);
    build_shards(&site, 3, "parts");
    let published = site.tree("output");
    (site, published)
}

/// Asserts the merge was refused with exactly these lines on stderr (diagnostics with hints, then
/// the count) and that the published site did not change.
#[track_caller]
fn refused(site: &Site, run: &Run, lines: &[&str], published: &BTreeMap<String, Vec<u8>>) {
    run.code(1);
    let mut expected = lines.join("\n");
    let errors = lines.iter().filter(|l| l.contains(": 错误: ")).count();
    expected.push_str(&format!("\n共 {errors} 个错误，未生成网站；已发布的内容没有改动\n"));
    assert_eq!(run.stderr, expected);
    assert_eq!(run.stdout, "");
    assert_same_site(&site.tree("output"), published, "the published site after a refused merge");
    let leftovers: Vec<String> = site
        .root_entries()
        .into_iter()
        .filter(|name| name.starts_with(".output") && name != ".output.gongkai-spare")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn a_missing_shard_is_refused_and_the_site_untouched() {
    let (site, published) = published_with_parts();
    std::fs::remove_dir_all(site.path("parts/shard-2-of-3")).unwrap();
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts: 错误: 缺少分片 2/3（共 3 片，找到 2 片）",
            "  提示: 运行 gongkai build --shard 2/3 --parts parts 补上，再合并",
        ],
        &published,
    );
}

#[test]
fn an_empty_parts_folder_is_refused() {
    let (site, published) = published_with_parts();
    std::fs::create_dir(site.path("empty")).unwrap();
    let run = site.run(&["merge", "empty"]);
    refused(
        &site,
        &run,
        &[
            "empty: 错误: 这个文件夹里没有分片",
            "  提示: 先在每台机器上运行 gongkai build --shard K/N --parts empty（K 从 1 到 N），再合并",
        ],
        &published,
    );
}

#[test]
fn a_duplicated_shard_is_refused_and_the_site_untouched() {
    let (site, published) = published_with_parts();
    // As a CI run downloads an artefact twice, into folders of their own.
    common::copy_dir(&site.path("parts/shard-2-of-3"), &site.path("parts/download/shard-2-of-3"));
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-2-of-3/part: 错误: 分片 2/3 有两份：parts/download/shard-2-of-3/part 和这里",
            "  提示: 删掉多余的一份，使每个分片只有一份，再合并",
        ],
        &published,
    );
}

#[test]
fn a_leftover_shard_of_another_split_is_refused() {
    let (site, published) = published_with_parts();
    site.run(&["build", "--shard", "1/2", "--parts", "parts"]).code(0);
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-1-of-2/part: 错误: 分片 1/2 与 parts/shard-1-of-3/part 里的分片 1/3 不是同一次生成的：分片数不同",
            "  提示: 删掉 parts 里旧的分片，只留同一次生成的全部分片，再合并",
        ],
        &published,
    );
}

#[test]
fn a_shard_made_before_a_unit_was_edited_is_refused() {
    let (site, published) = published_with_parts();
    let manifest = common::json(&site.read("parts/shard-3-of-3/part/gongkai-part.json"));
    let unit = manifest["units"][0]["path"].as_str().unwrap().to_string();
    site.append(&format!("content/{unit}/unit.yaml"), "\n# 改过\n");
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            &format!("parts/shard-3-of-3/part: 错误: 分片 3/3 生成后，这些单位的文件改动过：{unit}"),
            "  提示: 用现在的内容重新生成分片（gongkai build --shard 3/3 --parts parts），再合并",
        ],
        &published,
    );
    // Rebuilding that shard is enough.
    build_shards_one(&site, "3/3");
    site.run(&["merge", "parts"]).code(0);
    assert_same_site(&site.tree("output"), &one_machine_build(&site), "after the shard was rebuilt");
}

fn build_shards_one(site: &Site, shard: &str) {
    site.run(&["build", "--shard", shard, "--parts", "parts", "--quiet"]).code(0);
}

#[test]
fn shards_of_another_theme_or_settings_are_refused() {
    let (site, published) = published_with_parts();
    site.replace("content/site.yaml", "title: ", "title: 新");
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-1-of-3/part: 错误: 分片生成后，站点设置、主题、栏目或单位列表改动过，与现在的 content/ 不一致",
            "  提示: 用现在的内容重新生成全部分片，再合并",
        ],
        &published,
    );
    // One shard rebuilt with the new settings: the parts are now of two builds.
    build_shards_one(&site, "2/3");
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-2-of-3/part: 错误: 分片 2/3 与 parts/shard-1-of-3/part 里的分片 1/3 不是同一次生成的：站点设置、主题、栏目或单位列表不同",
            "  提示: 删掉 parts 里旧的分片，只留同一次生成的全部分片，再合并",
        ],
        &published,
    );
}

#[test]
fn shards_of_another_day_are_refused() {
    let (mut site, published) = published_with_parts();
    site.epoch += 86_400;
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-1-of-3/part: 错误: 分片是按 2016-12-22 生成的，合并却按 2016-12-23：公示期是否结束可能不同",
            "  提示: 在同一天生成分片和合并，或给两者设同一个 SOURCE_DATE_EPOCH",
        ],
        &published,
    );
}

#[test]
fn a_damaged_part_is_refused() {
    let (site, published) = published_with_parts();
    let digests = site.path("parts/shard-2-of-3/part/gongkai-digests.json");
    let bytes = std::fs::read(&digests).unwrap();
    std::fs::write(&digests, &bytes[..bytes.len() / 2]).unwrap();
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-2-of-3/part/gongkai-digests.json: 错误: 分片 2/3 不完整或已损坏",
            "  提示: 重新生成这个分片，再合并",
        ],
        &published,
    );
    std::fs::write(&digests, &bytes).unwrap();
    let manifest = common::json(&site.read("parts/shard-2-of-3/part/gongkai-part.json"));
    let unit = manifest["units"][0]["path"].as_str().unwrap().to_string();
    std::fs::remove_file(site.path(&format!("parts/shard-2-of-3/part/{unit}/zones/index.html"))).unwrap();
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            &format!("parts/shard-2-of-3/part/{unit}/zones/index.html: 错误: 分片 2/3 不完整：缺少这个文件"),
            "  提示: 重新生成这个分片，再合并",
        ],
        &published,
    );
    site.write("parts/shard-1-of-3/part/gongkai-part.json", "{ \"format\": 1");
    let run = site.run(&["merge", "parts"]);
    refused(
        &site,
        &run,
        &[
            "parts/shard-1-of-3/part/gongkai-part.json: 错误: 分片的清单读不出来：文件已损坏，或是另一版本的 gongkai 写的",
            "  提示: 用同一版本的 gongkai 重新生成这个分片，再合并",
        ],
        &published,
    );
}

#[test]
fn a_shard_with_content_errors_writes_no_part() {
    let site = Site::sample();
    build_shards(&site, 1, "parts");
    let before = site.tree("parts");
    site.append("content/site.yaml", "\nmemebers: 1\n");
    let run = site.run(&["build", "--shard", "1/1", "--parts", "parts"]);
    run.code(1);
    assert!(run.stderr.ends_with("未生成网站；已发布的内容没有改动\n"), "{}", run.stderr);
    assert_same_site(&site.tree("parts"), &before, "the part after a failed shard build");
}

#[test]
fn shard_arguments_are_checked() {
    let site = Site::sample();
    let run = site.run(&["build", "--shard", "4/3", "--parts", "parts"]);
    run.code(2);
    assert!(
        run.stderr.starts_with(
            "错误：“--shard”的值“4/3”无效\n  提示：分片要写成 K/N（共 N 片中的第 K 片，K 从 1 到 N），例如 --shard 2/7；“4/3”不对\n"
        ),
        "{}",
        run.stderr
    );
    let run = site.run(&["build", "--shard", "1/3"]);
    run.code(2);
    assert!(run.stderr.starts_with("错误：缺少必需的参数：--parts <目录>\n"), "{}", run.stderr);
    let run = site.run(&["merge", "nowhere"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "错误: 找不到分片文件夹 nowhere；请写 gongkai build --shard K/N --parts 用的那个文件夹\n"
    );
    assert!(!site.exists("parts") && !site.exists("output"));
}
