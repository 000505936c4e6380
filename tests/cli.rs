//! The command line (docs/design.md §6) and output safety (§7): `check`, `new unit`, exit codes, and
//! which output folders `build` refuses.

mod common;

use common::{Run, Site};

/// The name and marks (✓/✗) of a unit's row in the `check` table.
#[track_caller]
fn marks<'a>(run: &'a Run, unit: &str) -> Vec<&'a str> {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("{unit} ")))
        .unwrap_or_else(|| panic!("no row for {unit}:\n{}", run.stdout));
    line.split_whitespace().skip(1).collect()
}

// --- check ---------------------------------------------------------------------------------

#[test]
fn check_lists_failing_units_with_reasons() {
    let site = Site::sample();
    let run = site.run(&["check"]);
    run.code(0).errors(0).warnings(0);
    let out = &run.stdout;
    assert!(out.starts_with("考核年度：2016\n"), "{out}");
    assert_eq!(marks(&run, "beiyuan-xiang/xinyuan-shequ"), ["新园社区", "✗", "✓", "✗", "✓"]);
    assert_eq!(marks(&run, "nanhe-zhen/dongwangzhuang-cun"), ["东王庄村", "✓", "✓", "✓", "✓"]);
    // The reasons follow the failing unit's row, and only that row.
    let lines: Vec<&str> = out.lines().collect();
    let row = lines.iter().position(|l| l.starts_with("beiyuan-xiang/xinyuan-shequ ")).unwrap();
    assert_eq!(
        lines[row + 1..row + 3],
        [
            "    责任区和党小组：程浩 没有划分责任区",
            "    考核评比结果：没有 2016 年的考核结果（assessments/2016.yaml）"
        ]
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with("    ")).count(), 2, "{out}");
    assert_eq!(lines.last(), Some(&"共 8 个单位：7 个达标，1 个未达标；0 个错误，0 个警告"));
    assert!(!site.exists("output"), "check writes nothing");
}

#[test]
fn check_json_has_every_unit_with_reasons() {
    let site = Site::sample();
    let run = site.run(&["check", "--format", "json"]);
    run.code(0);
    let report = common::json(&run.stdout);
    assert_eq!(report["assessment_year"], 2016);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    let units = report["units"].as_array().expect("units");
    assert_eq!(units.len(), 8);
    assert_eq!(units.iter().filter(|u| u["ok"] == true).count(), 7);
    let failing = units.iter().find(|u| u["path"] == "beiyuan-xiang/xinyuan-shequ").expect("xinyuan-shequ");
    assert_eq!(failing["name"], "新园社区");
    assert_eq!(failing["ok"], false);
    assert_eq!(failing["zones"]["ok"], false);
    assert_eq!(failing["zones"]["reasons"], serde_json::json!(["程浩 没有划分责任区"]));
    assert_eq!(failing["posts"]["ok"], true);
    assert_eq!(
        failing["assessment"]["reasons"],
        serde_json::json!(["没有 2016 年的考核结果（assessments/2016.yaml）"])
    );
    assert_eq!(failing["supervision"]["ok"], true);
}

#[test]
fn check_json_reports_errors_with_positions() {
    let site = Site::minimal();
    site.replace("content/nanhe-zhen/dongwang/zones.yaml", "[m03, m04]", "[m03, m09]");
    let run = site.run(&["check", "--format", "json"]);
    run.code(1);
    let report = common::json(&run.stdout);
    assert_eq!(report["errors"], 1);
    assert_eq!(
        report["diagnostics"][0],
        serde_json::json!({
            "severity": "error",
            "file": "content/nanhe-zhen/dongwang/zones.yaml",
            "line": 14,
            "column": 20,
            "message": "责任区“西街片区”的党员“m09”不在党员名单中",
            "hint": "已有的编号：m01、m02、m03、m04、m05",
        })
    );
}

#[test]
fn check_and_build_take_root_from_anywhere() {
    let site = Site::minimal();
    let elsewhere = Site::empty();
    let root = site.root().to_str().unwrap();
    elsewhere.run(&["check", "--root", root]).code(0);
    elsewhere.run(&["build", "--root", root, "--quiet"]).code(0);
    assert!(site.exists("output/index.html"));
    assert!(!elsewhere.exists("output"));
}

// --- compliance ----------------------------------------------------------------------------

/// The minimal unit's compliance in `check --format json` after `edit`; the run must succeed:
/// failing a disclosure is not an error.
fn compliance_after(edit: impl FnOnce(&Site)) -> serde_json::Value {
    let site = Site::minimal();
    edit(&site);
    let run = site.run(&["check", "--format", "json"]);
    run.code(0);
    let report = common::json(&run.stdout);
    assert_eq!(report["errors"], 0);
    let unit = report["units"][0].clone();
    assert_eq!(unit["path"], "nanhe-zhen/dongwang");
    // The build goes on too.
    site.run(&["build", "--quiet"]).code(0);
    unit
}

#[track_caller]
fn assert_fails(unit: &serde_json::Value, check: &str, reasons: &[&str]) {
    assert_eq!(unit["ok"], false, "{unit:#}");
    assert_eq!(unit[check]["ok"], false, "{unit:#}");
    assert_eq!(unit[check]["reasons"], serde_json::json!(reasons), "{unit:#}");
    for other in ["zones", "posts", "assessment", "supervision"].iter().filter(|c| **c != check) {
        assert_eq!(unit[other]["ok"], true, "{other} should still pass: {unit:#}");
    }
}

const UNIT_YAML: &str = "content/nanhe-zhen/dongwang/unit.yaml";
const ZONES: &str = "content/nanhe-zhen/dongwang/zones.yaml";
const POSTS: &str = "content/nanhe-zhen/dongwang/posts.yaml";
const RESULTS: &str = "content/nanhe-zhen/dongwang/assessments/2016.yaml";

#[test]
fn minimal_unit_passes_all_four_checks() {
    let unit = compliance_after(|_| {});
    assert_eq!(unit["ok"], true, "{unit:#}");
}

#[test]
fn disclosure_1_needs_a_zone_for_every_active_member_and_members_in_every_zone() {
    let unit = compliance_after(|s| {
        s.replace(ZONES, "[m03, m04]", "[m03]");
        s.append(ZONES, "  - id: z3\n    name: 北街片区\n    group: g1\n    members: []\n");
    });
    assert_fails(&unit, "zones", &["赵*兰 没有划分责任区", "责任区“北街片区”没有责任党员"]);
    let unit = compliance_after(|s| std::fs::remove_file(s.path(ZONES)).unwrap());
    assert_fails(&unit, "zones", &["没有 zones.yaml（责任区）"]);
}

#[test]
fn disclosure_2_needs_a_post_duties_and_a_record_this_year() {
    let unit = compliance_after(|s| {
        s.replace(POSTS, "    duties: [调解邻里纠纷]\n", "");
        s.replace(
            POSTS,
            "  - member: m04\n    title: 帮扶困难群众岗\n",
            "  - member: m05\n    title: 帮扶困难群众岗\n",
        );
    });
    assert_fails(&unit, "posts", &["赵*兰 没有岗位", "王秀英 岗位没有写职责"]);
    let unit = compliance_after(|s| std::fs::remove_file(s.path(POSTS)).unwrap());
    assert_fails(&unit, "posts", &["没有 posts.yaml（定岗履责）"]);
}

#[test]
fn disclosure_3_needs_this_years_results_with_notice_period_and_objections() {
    let unit = compliance_after(|s| {
        s.replace(RESULTS, "notice_days: 7\n", "");
        s.replace(RESULTS, "objections: 南河镇党委组织办公室 0316-8810000\n", "");
        s.replace(RESULTS, "  - member: m03\n    self: 70\n    masses: 66\n    organization: 62\n    action: 帮助\n    note: 支部安排老党员结对帮助\n", "");
    });
    assert_fails(
        &unit,
        "assessment",
        &[
            "2016 年考核结果没有写公示期（published 和 notice_days 或 until）",
            "2016 年考核结果没有写异议受理渠道（objections）",
            "张志强 没有 2016 年考核结果",
        ],
    );
    // site.yaml asks for 2016; last year's file does not count.
    let unit = compliance_after(|s| {
        let last_year = "content/nanhe-zhen/dongwang/assessments/2015.yaml";
        s.rename(RESULTS, last_year);
        s.replace(last_year, "year: 2016\n", "year: 2015\n");
    });
    assert_fails(&unit, "assessment", &["没有 2016 年的考核结果（assessments/2016.yaml）"]);
}

#[test]
fn supervision_channel_is_required_and_the_county_number_stands_in() {
    let site = Site::minimal();
    site.replace(UNIT_YAML, "supervision: { phone: 0316-8812000, mailbox: 村委会门口意见箱 }\n", "");
    let run = site.run(&["check", "--format", "json"]);
    run.code(0);
    let unit = common::json(&run.stdout)["units"][0].clone();
    assert_fails(&unit, "supervision", &["unit.yaml 没有写群众监督渠道（supervision）"]);
    site.build().code(0);
    let page = site.output("output/nanhe-zhen/dongwang/index.html");
    assert!(page.contains("本单位尚未公布群众监督渠道。可拨打县级监督电话 <a href=\"tel:0316-8801234\">0316-8801234</a> 反映。"), "{page}");
}

#[test]
fn long_lists_of_names_are_shortened() {
    let unit = compliance_after(|s| {
        for (id, name) in [("m06", "孙大伟"), ("m07", "周海燕"), ("m08", "吴宝山"), ("m09", "郑玉林")]
        {
            s.append(UNIT_YAML, &format!("  - {{ id: {id}, name: {name}, group: g1 }}\n"));
        }
    });
    assert_eq!(
        unit["zones"]["reasons"],
        serde_json::json!(["孙大伟、周海燕、吴宝山 等 4 人 没有划分责任区"]),
        "{unit:#}"
    );
}

#[test]
fn assessment_year_defaults_to_the_latest_file() {
    let site = Site::minimal();
    site.replace("content/site.yaml", "  year: 2016\n", "");
    site.write(
        "content/nanhe-zhen/dongwang/assessments/2015.yaml",
        &site
            .read(RESULTS)
            .replace("year: 2016", "year: 2015")
            .replace("published: 2016-12-20", "published: 2015-12-20"),
    );
    let run = site.run(&["check"]);
    run.code(0).warnings(0);
    assert!(run.stdout.starts_with("考核年度：2016\n"), "{}", run.stdout);
    assert_eq!(marks(&run, "nanhe-zhen/dongwang"), ["东王庄村", "✓", "✓", "✓", "✓"]);
}

// --- build ---------------------------------------------------------------------------------

#[test]
fn build_prints_a_one_line_summary_unless_quiet() {
    let site = Site::minimal();
    let run = site.build();
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("已生成 1 个单位、5 名党员、"), "{}", lines[0]);
    assert!(lines[0].contains(" 秒 → "), "{}", lines[0]);

    let quiet = site.run(&["build", "--quiet"]);
    quiet.code(0);
    assert_eq!((quiet.stdout.as_str(), quiet.stderr.as_str()), ("", ""));
}

#[test]
fn unknown_subcommand_or_flag_exits_2() {
    let site = Site::minimal();
    for args in
        [&["publish"][..], &["build", "--fast"], &["new", "unit", "nanhe-zhen/x", "--name", "西村"], &[]]
    {
        let run = site.run(args);
        run.code(2);
        assert!(!run.stderr.is_empty(), "{args:?} says why");
    }
    assert!(!site.exists("output"));
}

#[test]
fn missing_content_folder_exits_2_with_a_message() {
    let site = Site::empty();
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        run.code(2);
        assert_eq!(
            run.stderr, "错误: . 里没有 content/ 文件夹；请在站点根目录运行，或用 --root 指定\n",
            "{command}"
        );
    }
    assert!(site.root_entries().is_empty(), "nothing was written");
}

#[test]
fn serve_is_a_command() {
    let site = Site::minimal();
    let run = site.run(&["serve", "--help"]);
    run.code(0);
    assert!(run.stdout.contains("--port"), "{}", run.stdout);
}

// --- new unit ------------------------------------------------------------------------------

#[test]
fn new_unit_creates_a_skeleton() {
    let site = Site::minimal();
    let run = site.run(&["new", "unit", "nanhe-zhen/xicun", "--kind", "village", "--name", "西村"]);
    run.code(0);
    assert!(run.stdout.contains("nanhe-zhen/xicun"), "{}", run.stdout);
    for file in ["unit.yaml", "zones.yaml", "posts.yaml"] {
        assert!(site.exists(&format!("content/nanhe-zhen/xicun/{file}")), "{file}");
    }
    let unit = site.read("content/nanhe-zhen/xicun/unit.yaml");
    assert!(unit.contains("name: 西村\n") && unit.contains("kind: village\n"), "{unit}");
    assert!(unit.contains("supervision:"), "the skeleton asks for a supervision channel");
}

#[test]
fn new_unit_skeleton_passes_check_and_is_shown_not_compliant() {
    let site = Site::minimal();
    site.run(&["new", "unit", "nanhe-zhen/xicun", "--kind", "school", "--name", "西村小学"]).code(0);
    let run = site.run(&["check"]);
    run.code(0).errors(0);
    let row = marks(&run, "nanhe-zhen/xicun");
    assert_eq!(row[0], "西村小学");
    assert!(row[1..].contains(&"✗"), "a skeleton lacks records and results: {row:?}");
    let report = common::json(&site.run(&["check", "--format", "json"]).stdout);
    let unit = report["units"].as_array().unwrap().iter().find(|u| u["path"] == "nanhe-zhen/xicun").cloned();
    assert_eq!(unit.expect("new unit in report")["ok"], false);
    // It builds, and its pages say what is missing.
    site.build().code(0);
    assert!(site.output("output/nanhe-zhen/xicun/zones/index.html").contains("按年级划分"));
}

#[test]
fn new_unit_on_an_existing_folder_exits_2_and_changes_nothing() {
    let site = Site::minimal();
    let before = site.tree("content");
    let run = site.run(&["new", "unit", "nanhe-zhen/dongwang", "--kind", "village", "--name", "东王庄村"]);
    run.code(2);
    assert!(run.stderr.contains("已经存在，未做任何改动"), "{}", run.stderr);
    assert!(site.tree("content") == before);
}

#[test]
fn new_unit_refuses_bad_paths() {
    let site = Site::minimal();
    let before = site.tree("content");
    for (path, why) in [
        ("nanhe-zhen/DongCun", "不能用作网址"),
        ("xicun", "<栏目>/<单位>"),
        ("beiyuan/xicun", "栏目 beiyuan 不存在"),
    ] {
        let run = site.run(&["new", "unit", path, "--kind", "village", "--name", "西村"]);
        run.code(2);
        assert!(run.stderr.contains(why), "{path}: {}", run.stderr);
    }
    assert!(site.tree("content") == before);
}

// --- output safety -------------------------------------------------------------------------

/// Runs `build --output <target>` (relative to the site root) and expects a refusal naming
/// `why`, with the site's files untouched.
#[track_caller]
fn refuses(site: &Site, target: &str, why: &str) {
    let before = site.tree("");
    let run = site.run(&["build", "--output", target]);
    run.code(2);
    assert!(run.stderr.contains(why), "--output {target}: {}", run.stderr);
    assert!(site.tree("") == before, "--output {target} changed files");
}

#[test]
fn refuses_the_site_root_and_its_parent() {
    let site = Site::minimal();
    refuses(&site, ".", "拒绝把网站输出到站点根目录或它的上级");
    let root = site.root().to_str().unwrap();
    refuses(&site, root, "拒绝把网站输出到站点根目录或它的上级");
    refuses(&site, "..", "拒绝把网站输出到站点根目录或它的上级");
}

#[test]
fn refuses_content_and_themes() {
    let site = Site::minimal();
    site.write("themes/default/static/extra.css", "p {}\n");
    refuses(&site, "content", "拒绝把网站输出到 content/ 里");
    refuses(&site, "content/site", "拒绝把网站输出到 content/ 里");
    refuses(&site, "themes", "拒绝把网站输出到 themes/ 里");
    refuses(&site, "themes/default", "拒绝把网站输出到 themes/ 里");
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_make() {
    let site = Site::minimal();
    site.write("www/index.html", "<p>别人的网站</p>\n");
    refuses(&site, "www", "不是空的，也不是 gongkai 生成的");
    assert_eq!(site.read("www/index.html"), "<p>别人的网站</p>\n");
}

#[test]
fn refuses_the_home_folder() {
    let site = Site::minimal();
    site.write("home/user/notes.txt", "私人笔记\n");
    let home = site.path("home/user");
    let home = home.to_str().unwrap();
    for target in [home, site.path("home").to_str().unwrap()] {
        let run = site.run_with(&["build", "--output", target], &[("HOME", home)]);
        run.code(2);
        assert!(run.stderr.contains("拒绝把网站输出到主目录"), "{target}: {}", run.stderr);
    }
    assert_eq!(site.read("home/user/notes.txt"), "私人笔记\n");
}

#[test]
fn refuses_an_output_path_that_is_a_file() {
    let site = Site::minimal();
    site.write("site.zip", "PK");
    refuses(&site, "site.zip", "已存在且不是文件夹");
}

#[test]
fn rebuilds_over_its_own_output_and_into_an_empty_folder() {
    let site = Site::minimal();
    site.build_clean();
    site.write("output/stale.html", "<p>旧文件</p>\n");
    site.build_clean();
    assert!(!site.exists("output/stale.html"), "the whole output is replaced");
    assert_eq!(site.root_entries(), ["content", "output"], "no leftovers beside the output");

    std::fs::create_dir(site.path("public")).unwrap();
    site.run(&["build", "--output", "public"]).code(0);
    assert!(site.exists("public/nanhe-zhen/dongwang/index.html"));
    site.run(&["build", "--output", "public"]).code(0);
    assert!(site.tree("public") == site.tree("output"));
}

#[test]
fn concurrent_builds_leave_a_whole_site() {
    // A cron job and a webmaster building at the same moment.
    let site = Site::sample();
    site.build().code(0);
    let whole = site.tree("output");
    let mut failures = Vec::new();
    for _ in 0..10 {
        let builds: Vec<_> = (0..4)
            .map(|_| {
                let mut command = site.command(&["build", "--quiet"]);
                command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
                command.spawn().expect("starting gongkai")
            })
            .collect();
        for build in builds {
            let output = build.wait_with_output().unwrap();
            if !output.status.success() {
                failures.push(String::from_utf8_lossy(&output.stderr).into_owned());
            }
        }
    }
    assert_eq!(site.root_entries(), ["content", "output"], "leftovers beside the output");
    assert!(site.tree("output") == whole, "the published site is not whole after concurrent builds");
    site.build().code(0);
    // A build may refuse while another runs, but must say so rather than fail half-way.
    for stderr in &failures {
        assert!(!stderr.contains("No such file"), "a build failed half-way: {stderr}");
    }
}
