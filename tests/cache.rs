//! The persistent cache (`.gongkai-cache/`): after every kind of edit a build through the cache
//! gives the same bytes as a clean `--no-cache` build, it reuses what did not change, and damaged
//! entries are rebuilt rather than published.

mod common;

use common::{Site, UNIT, copy_dir};
use std::path::Path;

/// The minimal fixture with two more copies of its unit, so an edit of one unit leaves two
/// others to come from the cache.
fn three_units() -> Site {
    let site = Site::minimal();
    for copy in ["dongwang-2", "dongwang-3"] {
        copy_dir(&site.path(UNIT), &site.path(&format!("content/nanhe-zhen/{copy}")));
    }
    site
}

/// Builds through the cache, then cleanly without it into another folder, and asserts that both
/// outputs are the same, file for file and byte for byte. Returns the cached build's stdout.
#[track_caller]
fn build_matches_clean(site: &Site) -> String {
    let cached = site.run(&["build"]);
    cached.code(0);
    let clean = tempfile::tempdir().unwrap();
    let out = clean.path().join("output");
    site.run(&["build", "--no-cache", "--output", out.to_str().unwrap()]).code(0);
    let (got, want) = (site.tree("output"), common::tree(&out));
    let got_names: Vec<&String> = got.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(got_names, want_names, "the cached build has other files than a clean build");
    for (name, bytes) in &want {
        assert!(got[name] == *bytes, "{name} differs from a clean build's");
    }
    cached.stdout
}

/// How many units the build's summary says came from the cache.
fn cached_units(stdout: &str) -> usize {
    stdout
        .split("（其中 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .map_or(0, |n| n.parse().expect("a number of units"))
}

#[test]
fn a_second_build_takes_every_unit_from_the_cache_and_matches_a_clean_build() {
    let site = three_units();
    assert_eq!(cached_units(&build_matches_clean(&site)), 0, "the first build has nothing cached");
    let stdout = build_matches_clean(&site);
    assert!(stdout.starts_with("已生成 3 个单位（其中 3 个单位没有改动，取自缓存）、"), "{stdout}");
    assert!(site.exists(".gongkai-cache/CACHEDIR.TAG"));
}

#[test]
fn edits_of_every_kind_give_the_bytes_of_a_clean_build() {
    let site = three_units();
    build_matches_clean(&site);
    let unit = "content/nanhe-zhen/dongwang-2";
    // (what is edited, the edit, how many units stay cached)
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>, usize);
    let edits: Vec<Edit> = vec![
        (
            "a record",
            Box::new(|| {
                site.replace(
                    &format!("{unit}/posts.yaml"),
                    "调解东街宅基地纠纷一起",
                    "调解东街宅基地纠纷两起",
                )
            }),
            2,
        ),
        ("a member", Box::new(|| site.replace(&format!("{unit}/unit.yaml"), "王秀英", "王秀芳")), 2),
        (
            "a zone",
            Box::new(|| site.replace(&format!("{unit}/zones.yaml"), "东大街1号至28号", "东大街1号至30号")),
            2,
        ),
        (
            "a notice",
            Box::new(|| {
                site.append(&format!("{unit}/notices/2016-12-20-kaohe-gongshi.md"), "\n联系电话另行通知。\n")
            }),
            2,
        ),
        (
            "an assessment",
            Box::new(|| {
                site.replace(&format!("{unit}/assessments/2016.yaml"), "notice_days: 7", "notice_days: 5")
            }),
            2,
        ),
        (
            "a holiday calendar, added and counted against",
            Box::new(|| {
                site.write("content/holidays.yaml", "2016:\n  休息: [2016-10-01 至 2016-10-07]\n");
                site.replace(&format!("{unit}/assessments/2016.yaml"), "notice_days: 5", "notice_workdays: 5")
            }),
            0,
        ),
        (
            // Only the calendar changes: dongwang-2's period now ends on the 27th, not the 26th.
            "the holiday calendar",
            Box::new(|| site.replace("content/holidays.yaml", "2016-10-07]", "2016-10-07, 2016-12-21]")),
            0,
        ),
        (
            "site.yaml",
            Box::new(|| site.replace("content/site.yaml", "测试县党员公开平台", "测试县党员公开网")),
            0,
        ),
        (
            "the theme",
            Box::new(|| {
                let theme =
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/member.html");
                let template = std::fs::read_to_string(theme).unwrap();
                let block = "{% block content %}";
                assert!(template.contains(block), "member.html has a content block");
                let template = template.replacen(block, &format!("{block}<!-- 本县的修改 -->"), 1);
                site.write("themes/default/templates/member.html", &template);
            }),
            0,
        ),
        (
            "a section",
            Box::new(|| site.replace("content/nanhe-zhen/section.yaml", "name: 南河镇", "name: 南河乡")),
            0,
        ),
        (
            "a unit added",
            Box::new(|| copy_dir(&site.path(UNIT), &site.path("content/nanhe-zhen/dongwang-4"))),
            // The new unit comes last in path order: the others keep their slots.
            3,
        ),
        (
            "a unit removed",
            Box::new(|| std::fs::remove_dir_all(site.path("content/nanhe-zhen/dongwang-3")).unwrap()),
            // dongwang-4 moves into dongwang-3's slot (its search chunk's number changes).
            2,
        ),
    ];
    for (what, edit, cached) in edits {
        edit();
        let stdout = build_matches_clean(&site);
        assert_eq!(cached_units(&stdout), cached, "units from the cache after editing {what}: {stdout}");
        // And once more with nothing changed: everything from the cache, still the same bytes.
        let stdout = build_matches_clean(&site);
        let units =
            stdout.split(" 个单位").next().unwrap().trim_start_matches("已生成 ").parse::<usize>().unwrap();
        assert_eq!(cached_units(&stdout), units, "after {what}, a build with no change: {stdout}");
    }
}

#[test]
fn the_day_moving_past_the_notice_period_rebuilds_the_units_that_show_it() {
    let mut site = three_units();
    let during = build_matches_clean(&site);
    assert!(site.output("output/nanhe-zhen/dongwang/index.html").contains("公示中"));
    assert_eq!(cached_units(&during), 0);
    // Next day, still in the period: nothing changes.
    site.epoch += 86_400;
    assert_eq!(cached_units(&build_matches_clean(&site)), 3);
    // 2017-01-10: the period (2016-12-20 to 2016-12-26) is over.
    site.epoch = 1_484_006_400;
    assert_eq!(cached_units(&build_matches_clean(&site)), 0, "every unit shows its period");
    let page = site.output("output/nanhe-zhen/dongwang/index.html");
    assert!(page.contains("已结束") && !page.contains("公示中"), "{page}");
    assert_eq!(cached_units(&build_matches_clean(&site)), 3);
}

/// The entries of the cache, each a folder of `units/`.
fn entries(site: &Site) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> =
        std::fs::read_dir(site.path(".gongkai-cache/units")).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

/// The largest file of an entry (a page), by its name in the entry.
fn largest_file(entry: &Path) -> std::path::PathBuf {
    std::fs::read_dir(entry)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "entry.json")
        .max_by_key(|p| (std::fs::metadata(p).unwrap().len(), p.clone()))
        .unwrap()
}

#[test]
fn corrupt_truncated_and_foreign_entries_are_rebuilt_never_published() {
    let site = three_units();
    build_matches_clean(&site);
    let entries = entries(&site);
    assert_eq!(entries.len(), 3, "one entry a unit");

    // 1. A page changed in place, same length (as an editor working on the published copy,
    //    which shares the cache's file, would do).
    let page = largest_file(&entries[0]);
    let mut bytes = std::fs::read(&page).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&page, &bytes).unwrap();
    // 2. A page cut short.
    let page = largest_file(&entries[1]);
    let bytes = std::fs::read(&page).unwrap();
    std::fs::write(&page, &bytes[..bytes.len() / 3]).unwrap();
    // 3. The manifest of the third cut short.
    let manifest = entries[2].join("entry.json");
    let bytes = std::fs::read(&manifest).unwrap();
    std::fs::write(&manifest, &bytes[..bytes.len() - 40]).unwrap();

    let stdout = build_matches_clean(&site);
    assert_eq!(cached_units(&stdout), 0, "no damaged entry is used: {stdout}");
    assert_eq!(cached_units(&build_matches_clean(&site)), 3, "the rebuilt entries are sound");

    // 4. A foreign entry: another unit's entry filed under this unit's key.
    let entries = self::entries(&site);
    let foreign = tempfile::tempdir().unwrap();
    copy_dir(&entries[0], foreign.path());
    std::fs::remove_dir_all(&entries[1]).unwrap();
    copy_dir(foreign.path(), &entries[1]);
    // 5. An entry that is a stray file, and a folder with no manifest.
    std::fs::remove_dir_all(&entries[2]).unwrap();
    std::fs::write(&entries[2], "不是缓存").unwrap();
    let stdout = build_matches_clean(&site);
    assert_eq!(cached_units(&stdout), 1, "only the sound entry is used: {stdout}");
}

#[test]
fn a_killed_build_leaves_the_cache_usable() {
    let site = three_units();
    build_matches_clean(&site);
    // What a build killed while writing leaves: an unfinished entry in tmp/ and, as if the
    // machine stopped after the rename but before the data reached the disk, an entry whose
    // files are empty.
    let tmp = site.path(".gongkai-cache/tmp/0123-99999-0");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("0"), "<html>半截").unwrap();
    let entry = &entries(&site)[0];
    for file in std::fs::read_dir(entry).unwrap() {
        let path = file.unwrap().path();
        if path.file_name().unwrap() != "entry.json" {
            std::fs::write(&path, "").unwrap();
        }
    }
    let stdout = build_matches_clean(&site);
    assert_eq!(cached_units(&stdout), 2, "the entry with empty files is rebuilt: {stdout}");
    assert!(!tmp.exists(), "leftovers of a killed build are removed");
    assert_eq!(entries(&site).len(), 3, "entries of the units as they are now, and no others");
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let site = three_units();
    site.run(&["build", "--no-cache"]).code(0);
    assert!(!site.exists(".gongkai-cache"), "--no-cache made a cache");
    let stdout = build_matches_clean(&site);
    assert_eq!(cached_units(&stdout), 0);
    let run = site.run(&["build", "--no-cache"]);
    run.code(0);
    assert_eq!(cached_units(&run.stdout), 0, "{}", run.stdout);
}

#[test]
fn the_cache_folder_is_refused_as_output() {
    let site = three_units();
    site.build().code(0);
    let before = site.tree(".gongkai-cache");
    for output in [".gongkai-cache", ".gongkai-cache/site"] {
        let run = site.run(&["build", "--output", output]);
        run.code(2);
        let shown = site.root().canonicalize().unwrap().join(output);
        assert_eq!(
            run.stderr,
            format!(
                "错误: 拒绝把网站输出到缓存文件夹 .gongkai-cache 里（{}）：那里是 gongkai 的缓存\n",
                shown.display()
            )
        );
    }
    assert_eq!(site.tree(".gongkai-cache"), before, "the cache is untouched");
}

#[test]
fn new_sites_keep_the_cache_out_of_version_control() {
    let site = Site::empty();
    site.run(&["new", "site", "xian", "--name", "测试县"]).code(0);
    let ignore = site.read("xian/.gitignore");
    assert!(ignore.lines().any(|l| l == "/.gongkai-cache/"), "{ignore}");
}

#[test]
fn unchanged_files_are_linked_from_the_cache() {
    let site = three_units();
    site.build().code(0);
    site.build().code(0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let page = site.path("output/nanhe-zhen/dongwang-2/index.html");
        let links = std::fs::metadata(&page).unwrap().nlink();
        // The published page, the cache's and the spare's (the first build's site).
        assert_eq!(links, 3, "the published page, the cache's and the spare's share one file");
    }
}

/// Retention settings (issue 13 point 4) are part of what every unit's pages depend on: changing
/// them rebuilds the units, and a warm build equals a clean one.
#[test]
fn changing_retain_years_or_noindex_gives_the_bytes_of_a_clean_build() {
    let site = three_units();
    let results = "content/nanhe-zhen/dongwang-2/assessments";
    let text = site.read(&format!("{results}/2016.yaml"));
    site.write(&format!("{results}/2015.yaml"), &text.replace("2016", "2015"));
    build_matches_clean(&site);
    assert!(site.exists("output/nanhe-zhen/dongwang-2/assessments/2015/index.html"));
    site.append("content/site.yaml", "retain_years: 1\n");
    let stdout = build_matches_clean(&site);
    assert_eq!(cached_units(&stdout), 0, "{stdout}");
    assert!(!site.exists("output/nanhe-zhen/dongwang-2/assessments/2015/index.html"));
    site.append("content/site.yaml", "noindex_results: true\n");
    assert_eq!(cached_units(&build_matches_clean(&site)), 0);
    site.replace("content/site.yaml", "retain_years: 1\n", "retain_years: 2\n");
    build_matches_clean(&site);
    assert!(site.exists("output/nanhe-zhen/dongwang-2/assessments/2015/index.html"));
}

const SPARE: &str = ".output.gongkai-spare";

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

/// From the third build on, the site before last (the spare) is brought up to date and swapped
/// in: the files of a unit that did not change are not touched at all, and the published folder
/// is never written into.
#[cfg(unix)]
#[test]
fn a_warm_build_brings_the_spare_up_to_date_and_leaves_unchanged_units_alone() {
    let site = three_units();
    site.build().code(0);
    let first = inode(&site.path("output/nanhe-zhen/dongwang-3/index.html"));
    let first_edited = inode(&site.path("output/nanhe-zhen/dongwang-2/index.html"));
    build_matches_clean(&site);
    assert!(site.exists(SPARE), "the second build keeps the first one's site as the spare");
    assert!(site.exists(".gongkai-cache/spare.json"), "and its record");
    let published = site.tree("output");
    site.replace(
        "content/nanhe-zhen/dongwang-2/posts.yaml",
        "调解东街宅基地纠纷一起",
        "调解东街宅基地纠纷两起",
    );
    let stdout = build_matches_clean(&site);
    assert_eq!(cached_units(&stdout), 2, "{stdout}");
    assert_eq!(
        inode(&site.path("output/nanhe-zhen/dongwang-3/index.html")),
        first,
        "the unchanged unit's page is the first build's file, kept in the spare"
    );
    assert_ne!(inode(&site.path("output/nanhe-zhen/dongwang-2/index.html")), first_edited);
    assert_eq!(site.tree(SPARE), published, "the site that was published is now the spare, unchanged");
}

/// A spare that is not what its record says is never used: a build killed while bringing it up
/// to date, a spare without a record, a `--no-cache` build in between, a spare file cut short.
#[test]
fn a_spare_that_cannot_be_trusted_is_not_used() {
    let site = three_units();
    site.build().code(0);
    site.build().code(0);
    // Killed while bringing the spare up to date: the spare was renamed to a staging folder and
    // its record removed.
    let staging = site.path(".output.gongkai-new-99999");
    std::fs::rename(site.path(SPARE), &staging).unwrap();
    std::fs::remove_file(site.path(".gongkai-cache/spare.json")).unwrap();
    site.append("content/nanhe-zhen/dongwang-2/posts.yaml", "\n");
    build_matches_clean(&site);
    assert!(!staging.exists(), "the killed build's staging folder is removed");
    // A spare without its record.
    std::fs::remove_file(site.path(".gongkai-cache/spare.json")).unwrap();
    site.append("content/nanhe-zhen/dongwang-2/posts.yaml", "\n");
    build_matches_clean(&site);
    // A --no-cache build replaces the published site: the record of the site it replaced no
    // longer describes the folder that becomes the spare next.
    site.build().code(0);
    site.run(&["build", "--no-cache"]).code(0);
    site.append("content/nanhe-zhen/dongwang-2/posts.yaml", "\n");
    build_matches_clean(&site);
    site.append("content/nanhe-zhen/dongwang-2/posts.yaml", "\n");
    build_matches_clean(&site);
    // A page of the spare cut short (not written through the cache: a new file in its place).
    let page = site.path(&format!("{SPARE}/nanhe-zhen/dongwang-3/index.html"));
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&page, "<html>半截").unwrap();
    site.append("content/nanhe-zhen/dongwang-2/posts.yaml", "\n");
    build_matches_clean(&site);
}
