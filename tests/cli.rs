//! The command line (docs/design.md §6) and output safety (§7): `check`, `new unit`, exit codes, and
//! which output folders `build` refuses.

mod common;

use common::{Run, Site, UNIT};

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
            "hint": "已有的编号：m01（李建国）、m02（王秀英）、m03（张志强）、m04（赵桂兰）、m05（李德胜）",
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
    assert_fails(&unit, "zones", &["没有公开责任区（zones.yaml）"]);
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
    assert_fails(&unit, "posts", &["没有公开定岗履责情况（posts.yaml）"]);
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
    assert_fails(&unit, "supervision", &["没有写群众监督渠道（unit.yaml 的 supervision）"]);
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
    // The replaced site is kept as the spare, which the next cached build brings up to date.
    assert_eq!(
        site.root_entries(),
        [".output.gongkai-spare", "content", "output"],
        "no leftovers beside the output but the spare"
    );

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
    assert_eq!(
        site.root_entries(),
        [".output.gongkai-spare", "content", "output"],
        "leftovers beside the output (the spare is the site before last)"
    );
    assert!(site.tree("output") == whole, "the published site is not whole after concurrent builds");
    site.build().code(0);
    // A build may refuse while another runs, but must say so rather than fail half-way.
    for stderr in &failures {
        assert!(!stderr.contains("No such file"), "a build failed half-way: {stderr}");
    }
}

// --- new site and new section (issue 19) ------------------------------------------------------

/// Every file below `dir` by relative path, as text.
fn texts(site: &Site, dir: &str) -> std::collections::BTreeMap<String, String> {
    site.tree(dir).into_iter().map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap())).collect()
}

#[test]
fn new_site_checks_and_builds_as_an_empty_county() {
    let site = Site::empty();
    let run = site.run(&["new", "site", "shifan", "--name", "示范县", "--organizer", "中共示范县委组织部"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "已新建站点 shifan；下一步见 shifan/说明.md：\n  cd shifan\n  gongkai new section nanhe-zhen --name 南河镇\n  \
gongkai new unit nanhe-zhen/xinzhuang-cun --kind village --name 新庄村\n  gongkai check\n"
    );
    let files = texts(&site, "shifan");
    assert_eq!(files.keys().collect::<Vec<_>>(), [".gitignore", "content/site.yaml", "说明.md"]);
    assert_eq!(
        files[".gitignore"],
        "# gongkai 生成的文件，不要提交到版本库\n/output/\n/.output.gongkai-*\n/.gongkai-cache/\n"
    );
    let settings = &files["content/site.yaml"];
    for line in [
        "title: 示范县党员“七权七责”公开平台\n",
        "organizer: 中共示范县委组织部\n",
        "  weights: { self: 0.2, masses: 0.4, organization: 0.4 }\n",
        "    - { name: 优秀, min: 90 }\n",
        "  - 知情权：及时了解党内事务和村务、居务、政务情况\n",
        "  - 遵纪守法责任：带头遵守党纪国法，倡导文明新风\n",
        "# contact:\n",
    ] {
        assert!(settings.contains(line), "site.yaml lacks {line:?}:\n{settings}");
    }
    let guide = &files["说明.md"];
    for step in
        ["gongkai new section", "gongkai new unit", "gongkai import", "gongkai check", "gongkai build"]
    {
        assert!(guide.contains(step), "说明.md lacks {step}:\n{guide}");
    }

    // It checks cleanly and says what is missing, and builds an empty county.
    let root = site.path("shifan");
    let root = root.to_str().unwrap();
    let check = site.run(&["check", "--root", root]);
    check.code(0).errors(0).warnings(0);
    assert!(
        check
            .stdout
            .contains("还没有栏目和单位：先用 gongkai new section <栏目> --name <乡镇或工委名称> 新建栏目"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.ends_with("共 0 个单位：0 个达标，0 个未达标；0 个错误，0 个警告\n"),
        "{}",
        check.stdout
    );
    site.run(&["build", "--root", root]).code(0).warnings(0);
    let home = site.read("shifan/output/index.html");
    assert!(home.contains("<title>示范县党员“七权七责”公开平台</title>"), "{home}");
    assert!(site.read("shifan/output/about/index.html").contains("评议权：参与评议党组织和党员的工作表现"));
}

#[test]
fn new_site_then_section_and_unit_makes_a_county_that_builds() {
    let site = Site::empty();
    site.run(&["new", "site", ".", "--name", "示范县"]).code(0);
    assert!(site.read("content/site.yaml").contains("# organizer: 中共示范县委组织部\n"));
    site.run(&["new", "section", "nanhe-zhen", "--name", "南河镇"]).code(0);
    site.run(&["new", "unit", "nanhe-zhen/xinzhuang-cun", "--kind", "village", "--name", "新庄村"]).code(0);
    let check = site.run(&["check"]);
    check.code(0).errors(0);
    assert_eq!(marks(&check, "nanhe-zhen/xinzhuang-cun")[0], "新庄村");
    site.build().code(0);
    assert!(site.output("output/nanhe-zhen/xinzhuang-cun/index.html").contains("中共南河镇新庄村支部委员会"));
}

#[test]
fn new_site_into_a_folder_with_anything_in_it_is_refused_with_nothing_changed() {
    let site = Site::minimal();
    let before = site.tree("");
    for (dir, why) in [
        (".", ". 不是空文件夹，未做任何改动；请指定一个新的或空的文件夹"),
        ("content", "content 不是空文件夹，未做任何改动；请指定一个新的或空的文件夹"),
        ("content/site.yaml", "content/site.yaml 是一个文件，不是文件夹；未做任何改动，请换一个文件夹名"),
    ] {
        let run = site.run(&["new", "site", dir, "--name", "示范县"]);
        run.code(2);
        assert_eq!(run.stderr, format!("错误: {why}\n"), "{dir}");
        assert_eq!(run.stdout, "", "{dir}");
    }
    // A folder holding only a hidden file is not empty either.
    site.write("other/.keep", "");
    let run = site.run(&["new", "site", "other", "--name", "示范县"]);
    run.code(2);
    assert!(
        site.tree("") == {
            let mut b = before.clone();
            b.insert("other/.keep".into(), vec![]);
            b
        }
    );
    // An empty folder is fine.
    std::fs::create_dir(site.path("empty")).unwrap();
    site.run(&["new", "site", "empty", "--name", "示范县"]).code(0);
    assert!(site.exists("empty/content/site.yaml"));
}

#[test]
fn new_section_writes_section_yaml_nested_with_the_organisation() {
    let site = Site::empty();
    site.run(&["new", "site", ".", "--name", "示范县"]).code(0);
    let run = site.run(&["new", "section", "nanhe-zhen", "--name", "南河镇"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "已新建栏目 content/nanhe-zhen（乡镇，中共南河镇委员会）\n\
接着新建单位：gongkai new unit nanhe-zhen/<单位> --kind village --name <名称>\n"
    );
    let township = site.read("content/nanhe-zhen/section.yaml");
    assert!(township.contains("\nname: 南河镇\n") && township.contains("\nkind: township\n"), "{township}");
    assert!(township.contains("\norganization: 中共南河镇委员会\n"), "{township}");

    site.run(&[
        "new",
        "section",
        "xianzhi-jiguan",
        "--name",
        "县直机关工委",
        "--kind",
        "committee",
        "--organization",
        "中共示范县直属机关工作委员会",
    ])
    .code(0);
    let nested = site.run(&[
        "new",
        "section",
        "xianzhi-jiguan/jiaoyu-dangwei",
        "--name",
        "县教育局党委",
        "--kind",
        "committee",
    ]);
    nested.code(0);
    assert_eq!(
        nested.stdout,
        "已新建栏目 content/xianzhi-jiguan/jiaoyu-dangwei\n\
接着新建单位：gongkai new unit xianzhi-jiguan/jiaoyu-dangwei/<单位> --kind agency --name <名称>\n"
    );
    let committee = site.read("content/xianzhi-jiguan/jiaoyu-dangwei/section.yaml");
    assert!(
        committee.contains("\nkind: committee\n") && committee.contains("\n# organization: "),
        "{committee}"
    );
    site.run(&["new", "section", "chengguan", "--name", "城关街道"]).code(0);
    assert!(site.read("content/chengguan/section.yaml").contains("\norganization: 中共城关街道工作委员会\n"));

    // Units pick up the township; a name that already has it, or a committee's unit, does not.
    for (path, kind, name) in [
        ("nanhe-zhen/xinzhuang-cun", "village", "新庄村"),
        ("nanhe-zhen/zhongxin-xiaoxue", "school", "南河镇中心小学"),
        ("xianzhi-jiguan/jiaoyu-dangwei/yizhong", "school", "第一中学"),
    ] {
        site.run(&["new", "unit", path, "--kind", kind, "--name", name]).code(0);
    }
    let organization = |path: &str| {
        let unit = site.read(&format!("content/{path}/unit.yaml"));
        unit.lines().find_map(|l| l.strip_prefix("organization: ")).unwrap().to_string()
    };
    assert_eq!(organization("nanhe-zhen/xinzhuang-cun"), "中共南河镇新庄村支部委员会");
    assert_eq!(organization("nanhe-zhen/zhongxin-xiaoxue"), "中共南河镇中心小学支部委员会");
    assert_eq!(organization("xianzhi-jiguan/jiaoyu-dangwei/yizhong"), "中共第一中学支部委员会");

    let check = site.run(&["check"]);
    // Each new unit still holds the skeleton's 党员甲, 党员乙 and 请填写责任区范围.
    check.code(0).errors(0).warnings(9);
    let json = common::json(&site.run(&["check", "--format", "json"]).stdout);
    assert_eq!(json["units"].as_array().unwrap().len(), 3);
    site.build().code(0);
    assert!(site.exists("output/xianzhi-jiguan/jiaoyu-dangwei/yizhong/index.html"));
}

/// The skeleton's example text (issue 13 point 3) fails the disclosure of its file, with words
/// for residents on the pages and the place for `check`; each one is warned about.
#[test]
fn a_new_units_example_text_fails_its_disclosure_until_it_is_replaced() {
    let site = Site::minimal();
    site.run(&["new", "unit", "nanhe-zhen/xinzhuang-cun", "--kind", "village", "--name", "新庄村"]).code(0);
    let unit = "content/nanhe-zhen/xinzhuang-cun";
    let hint =
        Some("党员甲、党员乙和“请填写……”是 gongkai new unit 写的示例；全部改成实际内容后，这项公开才算达标");
    let warned = |run: &Run| {
        run.diagnostic(
            &format!("{unit}/unit.yaml:11:22: 警告: 这里还是新建单位时的示例文字“党员甲”，请改为本单位的实际内容"),
            hint,
        )
        .diagnostic(
            &format!("{unit}/unit.yaml:12:22: 警告: 这里还是新建单位时的示例文字“党员乙”，请改为本单位的实际内容"),
            hint,
        )
        .diagnostic(
            &format!(
                "{unit}/zones.yaml:7:11: 警告: 这里还是新建单位时的示例文字“请填写责任区范围”，请改为本单位的实际内容"
            ),
            hint,
        )
        // And the skeleton's posts have no record in the assessment year (2016).
        .warnings(5);
    };
    let check = site.run(&["check"]);
    check.code(0);
    warned(&check);
    assert_eq!(marks(&check, "nanhe-zhen/xinzhuang-cun")[1], "✗", "{}", check.stdout);
    for reason in [
        "    责任区和党小组：单位信息和党员名单里还有示例文字“党员甲”“党员乙”，尚未填写（unit.yaml 第 11、12 行）\n",
        "    责任区和党小组：责任区里还有示例文字“请填写责任区范围”，尚未填写（zones.yaml 第 7 行）\n",
    ] {
        assert!(check.stdout.contains(reason), "{}", check.stdout);
    }
    let build = site.build();
    build.code(0);
    warned(&build);
    // Residents read the words without the file.
    let dashboard = site.output("output/disclosure/index.html");
    assert!(dashboard.contains("单位信息和党员名单里还有示例文字“党员甲”“党员乙”，尚未填写"), "{dashboard}");
    assert!(!dashboard.contains("unit.yaml"), "{dashboard}");
    let data = common::json(&site.output("output/nanhe-zhen/xinzhuang-cun/data.json"));
    assert_eq!(data["compliance"]["zones"]["reasons"][1], "责任区里还有示例文字“请填写责任区范围”，尚未填写");

    // Filled in, the unit's zones pass (the comments that mention the examples do not count).
    site.replace(&format!("{unit}/unit.yaml"), "党员甲", "刘建新");
    site.replace(&format!("{unit}/unit.yaml"), "党员乙", "王春梅");
    site.replace(&format!("{unit}/zones.yaml"), "请填写责任区范围", "新庄村前街1号至20号");
    site.append(&format!("{unit}/zones.yaml"), "# 请填写：其余责任区以后补上\n");
    let check = site.run(&["check"]);
    check.code(0).warnings(2);
    assert_eq!(marks(&check, "nanhe-zhen/xinzhuang-cun")[1], "✓", "{}", check.stdout);
}

/// An assessment file copied with the example text fails the results disclosure of its year.
#[test]
fn example_text_in_the_years_results_fails_that_disclosure() {
    let unit = compliance_after(|s| {
        s.replace(
            &format!("{UNIT}/assessments/2016.yaml"),
            "objections: 南河镇党委组织办公室 0316-8810000",
            "objections: 请填写异议受理电话",
        )
    });
    assert_fails(
        &unit,
        "assessment",
        &["考核结果里还有示例文字“请填写异议受理电话”，尚未填写（assessments/2016.yaml 第 4 行）"],
    );
}

#[test]
fn new_unit_names_the_township_of_the_sample() {
    let site = Site::sample();
    site.run(&["new", "unit", "nanhe-zhen/xinzhuang-cun", "--kind", "village", "--name", "新庄村"]).code(0);
    assert!(
        site.read("content/nanhe-zhen/xinzhuang-cun/unit.yaml")
            .contains("\norganization: 中共南河镇新庄村支部委员会\n")
    );
}

#[test]
fn new_section_refusals_change_nothing() {
    let site = Site::minimal();
    let before = site.tree("");
    for (args, why) in [
        (&["nanhe-zhen", "--name", "南河镇"][..], "content/nanhe-zhen 已经存在，未做任何改动"),
        (
            &["beiyuan/xi", "--name", "西"],
            "上级栏目 beiyuan 不存在：请先运行 gongkai new section beiyuan --name <名称>",
        ),
        (&["NanHe", "--name", "南河镇"], "“NanHe”不能用作网址：只用小写英文字母、数字和“-”，例如“nanhe”"),
        (
            &["about", "--name", "关于"],
            "“about”是网站自用的地址（about、disclosure、search、notices、assets、404），不能用作栏目名；请换一个",
        ),
        (&["xi", "--name", " "], "--name 不能为空"),
    ] {
        let mut all = vec!["new", "section"];
        all.extend_from_slice(args);
        let run = site.run(&all);
        run.code(2);
        assert_eq!(run.stderr, format!("错误: {why}\n"), "{args:?}");
    }
    assert!(site.tree("") == before);
    let empty = Site::empty();
    let run = empty.run(&["new", "section", "nanhe-zhen", "--name", "南河镇"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "错误: . 里没有 content/site.yaml；请在站点根目录运行，或用 --root 指定；新站点请先运行 gongkai new site <文件夹> --name <县名>\n"
    );
    assert!(empty.root_entries().is_empty());
}

// --- help, usage errors and version in Chinese (issue 13 §5) --------------------------------

/// The subcommands a help page lists under 命令：.
fn listed_commands(help: &str) -> Vec<String> {
    let Some(start) = help.find("\n命令：\n") else { return Vec::new() };
    help[start + "\n命令：\n".len()..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Every visible command, as its words after `gongkai` (the top level is `[]`), found by
/// following the help pages, so a command added later is checked too.
fn all_commands(site: &Site) -> Vec<Vec<String>> {
    let mut found = vec![Vec::new()];
    let mut at = 0;
    while at < found.len() {
        let mut args: Vec<&str> = found[at].iter().map(String::as_str).collect();
        args.push("--help");
        let run = site.run(&args);
        run.code(0);
        for name in listed_commands(&run.stdout) {
            let mut path = found[at].clone();
            path.push(name);
            found.push(path);
        }
        at += 1;
    }
    found
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_commands_help_is_in_chinese_with_examples() {
    let site = Site::empty();
    let commands = all_commands(&site);
    let names: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
    for expected in ["", "build", "serve", "check", "new", "new site", "new section", "new unit"] {
        assert!(names.iter().any(|n| n == expected), "`gongkai {expected}` not listed: {names:?}");
    }
    for command in &commands {
        for flag in ["-h", "--help"] {
            let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
            args.push(flag);
            let run = site.run(&args);
            run.code(0);
            let help = &run.stdout;
            let what = format!("gongkai {} {flag}", command.join(" "));
            for english in [
                "Usage",
                "Options",
                "Arguments",
                "Commands",
                "Print help",
                "Print version",
                "[default",
                "possible values",
                "[OPTIONS]",
                "<COMMAND>",
                "<PATH>",
                "<DIR>",
            ] {
                assert!(!help.contains(english), "{what} says `{english}`:\n{help}");
            }
            assert!(has_chinese(help.lines().next().unwrap_or("")), "{what}: about is not Chinese:\n{help}");
            assert!(help.contains("\n用法：gongkai"), "{what}:\n{help}");
            assert!(help.contains("\n示例：\n  gongkai "), "{what} has no examples:\n{help}");
            if flag == "-h" {
                // One line per argument, each described in Chinese.
                for section in ["参数：", "选项："] {
                    let Some(start) = help.find(&format!("\n{section}\n")) else { continue };
                    for line in help[start + section.len() + 2..].lines().take_while(|l| l.starts_with("  "))
                    {
                        assert!(has_chinese(line), "{what}: `{line}` is not described in Chinese");
                    }
                }
                assert!(help.contains("\n选项：\n"), "{what}:\n{help}");
            }
        }
    }
    // `gongkai help <命令>` is `gongkai <命令> --help`.
    assert_eq!(site.run(&["help", "new", "unit"]).stdout, site.run(&["new", "unit", "--help"]).stdout);
}

#[test]
fn top_level_help_lists_commands_and_exit_codes() {
    let site = Site::empty();
    let run = site.run(&["--help"]);
    run.code(0);
    assert!(run.stdout.starts_with("生成党员“七权七责”三个内容公开网站。\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("退出码：0 成功；1 内容有错误（写明文件、行、列和改法）；2 用法或环境错误。")
    );
    assert_eq!(
        listed_commands(&run.stdout),
        ["build", "serve", "check", "new", "template", "import", "export", "merge"]
    );
    assert!(!run.stdout.contains("completions") && !run.stdout.contains("\n  man "), "hidden commands shown");
    // No command at all: the short help, on stderr, with exit code 2.
    let bare = site.run(&[]);
    bare.code(2);
    assert_eq!(bare.stderr, site.run(&["-h"]).stdout);
}

#[test]
fn usage_errors_are_chinese_with_exit_code_2() {
    let site = Site::minimal();
    for (args, expected) in [
        (
            &["build", "--fast"][..],
            "错误：不认识的选项“--fast”\n\n用法：gongkai build [选项]\n运行 gongkai build --help 查看全部用法和示例\n",
        ),
        (
            &["publish"],
            "错误：没有“publish”这个命令\n  提示：可用的命令：build、serve、check、new、template、import、export、merge\n\n用法：gongkai <命令>\n\
运行 gongkai --help 查看全部用法和示例\n",
        ),
        (
            &["chek"],
            "错误：没有“chek”这个命令\n  提示：是不是“check”？\n  提示：可用的命令：build、serve、check、new、template、import、export、merge\n\n\
用法：gongkai <命令>\n运行 gongkai --help 查看全部用法和示例\n",
        ),
        (
            &["new", "unit", "nanhe-zhen/x", "--name", "西村"],
            "错误：缺少必需的参数：--kind <类型>\n\n用法：gongkai new unit [选项] --kind <类型> --name <名称> <栏目/单位>\n\
运行 gongkai new unit --help 查看全部用法和示例\n",
        ),
        (
            &["new", "unit", "nanhe-zhen/x", "--kind", "town", "--name", "西村"],
            "错误：“--kind”不能取“town”\n  提示：可以写：village、community、agency、enterprise、school\n\n\
用法：gongkai new unit [选项] --kind <类型> --name <名称> <栏目/单位>\n运行 gongkai new unit --help 查看全部用法和示例\n",
        ),
        (
            &["check", "--format", "xml"],
            "错误：“--format”不能取“xml”\n  提示：可以写：text、json\n\n用法：gongkai check [选项]\n\
运行 gongkai check --help 查看全部用法和示例\n",
        ),
        (
            &["serve", "--port", "http"],
            "错误：“--port”的值“http”无效\n  提示：端口要写 1 到 65535 之间的数字，例如 --port 8080\n\n\
用法：gongkai serve [选项]\n运行 gongkai serve --help 查看全部用法和示例\n",
        ),
        (
            &["check", "extra"],
            "错误：多余的参数“extra”\n\n用法：gongkai check [选项]\n运行 gongkai check --help 查看全部用法和示例\n",
        ),
        (
            &["build", "--quiet", "--quiet"],
            "错误：“--quiet”只能写一次\n\n用法：gongkai build [选项]\n运行 gongkai build --help 查看全部用法和示例\n",
        ),
        (
            &["export", "--year", "二〇一六"],
            "错误：“--year”的值“二〇一六”无效\n  提示：“--year”后面要写一个整数，例如 --year 2016\n\n\
用法：gongkai export [选项]\n运行 gongkai export --help 查看全部用法和示例\n",
        ),
        (
            &["build", "--output"],
            "错误：“--output”后面要写一个值\n\n用法：gongkai build [选项]\n运行 gongkai build --help 查看全部用法和示例\n",
        ),
        (&["new"], ""),
    ] {
        let run = site.run(args);
        run.code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        if expected.is_empty() {
            // A command that needs a subcommand shows its help instead.
            assert!(run.stderr.starts_with("新建站点、栏目（乡镇、工委）或单位的骨架。\n"), "{}", run.stderr);
        } else {
            assert_eq!(run.stderr, expected, "{args:?}");
        }
    }
    assert!(!site.exists("output"), "nothing ran");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let run = Site::empty().run(&["--version"]);
    run.code(0);
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    match commit {
        Some(commit) => {
            assert_eq!(run.stdout, format!("gongkai {} (提交 {commit})\n", env!("CARGO_PKG_VERSION")))
        }
        None => assert_eq!(run.stdout, format!("gongkai {} (提交 unknown)\n", env!("CARGO_PKG_VERSION"))),
    }
    assert_eq!(Site::empty().run(&["-V"]).stdout, run.stdout);
}

// --- manual pages and completions (issue 19) ---------------------------------------------------

#[test]
fn manual_pages_cover_every_command_in_chinese() {
    let site = Site::empty();
    let commands = all_commands(&site);
    let run = site.run(&["man", "--out", "man"]);
    run.code(0);
    let pages = texts(&site, "man");
    let mut expected: Vec<String> = commands
        .iter()
        .map(|c| if c.is_empty() { "gongkai.1".to_string() } else { format!("gongkai-{}.1", c.join("-")) })
        .collect();
    expected.sort();
    assert_eq!(pages.keys().cloned().collect::<Vec<_>>(), expected);
    let main = &pages["gongkai.1"];
    for command in commands.iter().filter(|c| c.len() == 1) {
        assert!(
            main.contains(&format!("gongkai\\-{}(1)", command[0])),
            "gongkai.1 lacks {command:?}:\n{main}"
        );
    }
    for (name, page) in &pages {
        assert!(page.contains("\n.TH "), "{name}: not a manual page");
        for section in [".SH 名称", ".SH 用法", ".SH 说明", ".SH 示例"] {
            assert!(page.contains(section), "{name} lacks {section}:\n{page}");
        }
        for english in
            [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH EXTRA", "Print help"]
        {
            assert!(!page.contains(english), "{name} has {english}");
        }
    }
    assert!(pages["gongkai-new-section.1"].contains("中共南河镇新庄村支部委员会"));
}

#[test]
fn completions_offer_every_command_and_no_hidden_one() {
    let site = Site::empty();
    let commands = all_commands(&site);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = site.run(&["completions", shell]);
        run.code(0);
        let script = &run.stdout;
        for command in commands.iter().filter(|c| !c.is_empty()) {
            let name = command.last().unwrap();
            assert!(script.contains(name.as_str()), "{shell} completion lacks {command:?}");
        }
        for flag in ["allow-host", "organization", "organizer", "base-url"] {
            assert!(script.contains(flag), "{shell} completion lacks --{flag}");
        }
        assert!(script.contains("village") && script.contains("township"), "{shell}: values of --kind");
        for hidden in
            ["'completions'", "\"completions\"", " completions ", "completions:", "'man'", "\"man\"", " man "]
        {
            assert!(!script.contains(hidden), "{shell} completion offers the hidden `{hidden}`");
        }
    }
}
