//! Content warnings (docs/design.md §4): the build goes on (exit 0) and says what to look at.

mod common;

use common::{Run, Site, UNIT, UNIT_OUT};

/// Applies `edit` to the minimal site and builds: exit 0, exactly one warning, this one.
#[track_caller]
fn warns(edit: impl FnOnce(&Site), diagnostic: &str, hint: &str) -> (Site, Run) {
    let site = Site::minimal();
    edit(&site);
    let run = site.build();
    run.code(0).errors(0).warnings(1).diagnostic(diagnostic, Some(hint));
    assert!(run.stdout.starts_with("已生成 1 个单位"), "the build went on:\n{}", run.stdout);
    (site, run)
}

fn unit(file: &str) -> String {
    format!("{UNIT}/{file}")
}

/// Every output file that contains `needle`.
fn files_containing(site: &Site, needle: &str) -> Vec<String> {
    site.tree("output")
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(name, _)| name)
        .collect()
}

const MOBILE_HINT: &str = "手机号码请写在 phone 字段里；正文中不必写";

#[test]
fn mobile_number_in_yaml_free_text_is_warned_and_masked() {
    let (site, _) = warns(
        |s| s.replace(&unit("posts.yaml"), "调解东街宅基地纠纷一起", "调解纠纷，联系电话13812345678"),
        "content/nanhe-zhen/dongwang/posts.yaml:14:47: 警告: 正文中有手机号码 138****5678，发布时已隐去中间四位",
        MOBILE_HINT,
    );
    let posts = site.output(&format!("{UNIT_OUT}/posts/index.html"));
    assert!(posts.contains("调解纠纷，联系电话138****5678"), "{posts}");
    assert!(site.output(&format!("{UNIT_OUT}/data.json")).contains("联系电话138****5678"));
    assert_eq!(files_containing(&site, "13812345678"), Vec::<String>::new(), "raw number published");
    assert!(site.output(&format!("{UNIT_OUT}/members/m02/index.html")).contains("联系电话138****5678"));
}

#[test]
fn mobile_number_in_markdown_is_warned_and_masked() {
    let notice = "content/nanhe-zhen/dongwang/notices/2016-12-20-kaohe-gongshi.md";
    let (site, _) = warns(
        |s| s.append(notice, "\n联系人：李建国，电话 13812345678。\n"),
        "content/nanhe-zhen/dongwang/notices/2016-12-20-kaohe-gongshi.md:7:12: 警告: 正文中有手机号码 138****5678，发布时已隐去中间四位",
        MOBILE_HINT,
    );
    let page = site.output(&format!("{UNIT_OUT}/notices/2016-12-20-kaohe-gongshi/index.html"));
    assert!(page.contains("电话 138****5678"), "{page}");
    assert_eq!(files_containing(&site, "13812345678"), Vec::<String>::new());
}

#[test]
fn mobile_number_in_phone_field_is_not_warned_and_not_published() {
    // The fixture's m01 has `phone: "13931601234"` without `phone_public`: the page offers the
    // unit's contact instead, and `data.json` keeps the number masked.
    let site = Site::minimal();
    site.build_clean();
    let page = site.output(&format!("{UNIT_OUT}/members/m01/index.html"));
    assert!(!page.contains("139****1234"), "{page}");
    assert!(site.output(&format!("{UNIT_OUT}/data.json")).contains("\"phone\":\"139****1234\""));
    assert_eq!(files_containing(&site, "13931601234"), Vec::<String>::new());
}

#[test]
fn given_grade_differing_from_computed_is_warned_and_published_as_given() {
    let (site, _) = warns(
        |s| {
            s.replace(
                &unit("assessments/2016.yaml"),
                "    organization: 88\n",
                "    organization: 88\n    grade: 基本合格\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:15:5: 警告: 填写的等次“基本合格”与按分数计算的“合格”（总分 85.2）不同",
        "以填写的等次公布；请核对分数或等次",
    );
    let data = common::json(&site.output(&format!("{UNIT_OUT}/data.json")));
    let m02 = &data["assessments"][0]["results"][1];
    assert_eq!(m02["member"], "m02");
    assert_eq!(m02["grade"], "基本合格");
    assert_eq!(m02["total"], 85.2);
}

#[test]
fn given_grade_equal_to_computed_is_not_warned() {
    let site = Site::minimal();
    site.replace(
        &unit("assessments/2016.yaml"),
        "    organization: 88\n",
        "    organization: 88\n    grade: 合格\n",
    );
    site.build_clean();
}

#[test]
fn record_dated_after_the_assessment_year() {
    warns(
        |s| {
            s.replace(
                &unit("posts.yaml"),
                "      - { date: 2016-05-06, summary: 调解东街宅基地纠纷一起 }\n",
                "      - { date: 2016-05-06, summary: 调解东街宅基地纠纷一起 }\n      - { date: 2017-01-05, summary: 走访农户 }\n",
            )
        },
        "content/nanhe-zhen/dongwang/posts.yaml:15:17: 警告: 履责记录日期 2017-01-05 晚于考核年度 2016 年",
        "检查日期是否写错；下一年度的记录在考核年度改为下一年后才计入",
    );
}

#[test]
fn member_with_no_record_in_the_assessment_year() {
    let (site, _) = warns(
        |s| s.replace(&unit("posts.yaml"), "2016-07-18", "2015-07-18"),
        "content/nanhe-zhen/dongwang/posts.yaml:15:5: 警告: 党员“m03”在 2016 年没有履责记录",
        "在 records 里补上 2016 年的记录",
    );
    // It also fails disclosure 2, and the dashboard says why.
    let dashboard = site.output("output/disclosure/index.html");
    assert!(dashboard.contains("<span class=\"reason\">张志强 没有 2016 年的履责记录</span>"), "{dashboard}");
}

#[test]
fn exempt_member_needs_no_record() {
    let site = Site::minimal();
    site.append(&unit("posts.yaml"), "  - member: m05\n    title: 顾问岗\n    duties: [为支部提建议]\n");
    site.build_clean();
}

#[test]
fn more_than_a_third_excellent() {
    warns(
        |s| {
            s.replace(
                &unit("assessments/2016.yaml"),
                "    self: 80\n    masses: 85\n    organization: 88\n",
                "    self: 95\n    masses: 95\n    organization: 95\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:5:1: 警告: 评为“优秀”的有 2 人，超过参评人数 4 人的三分之一",
        "按规定“优秀”一般不超过参评党员的三分之一；可在 site.yaml 的 assessment.excellent_cap 调整",
    );
}

#[test]
fn excellent_cap_can_be_raised_in_site_yaml() {
    let site = Site::minimal();
    site.replace(
        &unit("assessments/2016.yaml"),
        "    self: 80\n    masses: 85\n    organization: 88\n",
        "    self: 95\n    masses: 95\n    organization: 95\n",
    );
    site.replace("content/site.yaml", "  year: 2016\n", "  year: 2016\n  excellent_cap: 0.5\n");
    site.build_clean();
}

#[test]
fn warnings_are_printed_by_check_too() {
    let site = Site::minimal();
    site.replace(&unit("posts.yaml"), "2016-07-18", "2015-07-18");
    let run = site.run(&["check"]);
    run.code(0).warnings(1).diagnostic(
        "content/nanhe-zhen/dongwang/posts.yaml:15:5: 警告: 党员“m03”在 2016 年没有履责记录",
        Some("在 records 里补上 2016 年的记录"),
    );
    assert!(run.stdout.contains("0 个错误，1 个警告"), "{}", run.stdout);
}

#[test]
fn misnamed_unit_file_is_warned_with_the_likely_name() {
    let (site, _) = warns(
        |s| s.rename(&unit("zones.yaml"), &unit("zone.yaml")),
        "content/nanhe-zhen/dongwang/zone.yaml: 警告: 未知文件，已忽略",
        "是不是“zones.yaml”？",
    );
    // Without its zones file the unit fails disclosure 1.
    assert!(site.output("output/disclosure/index.html").contains("没有公开责任区"));
}

#[test]
fn section_yaml_in_a_unit_folder_is_ignored_with_a_warning() {
    warns(
        |s| s.write(&unit("section.yaml"), "name: 东王庄\n"),
        "content/nanhe-zhen/dongwang/section.yaml: 警告: 未知文件，已忽略",
        "这里可以放的文件：unit.yaml、zones.yaml、posts.yaml、index.md、assessments、notices",
    );
}

#[test]
fn editor_leftovers_are_skipped_silently() {
    let site = Site::minimal();
    for leftover in [".zones.yaml.swp", "zones.yaml~", "#posts.yaml#", "4913"] {
        site.write(&unit(leftover), "垃圾: [\n");
    }
    site.build_clean();
}

// --- known bugs ----------------------------------------------------------------------------

#[test]
fn mobile_number_beside_a_phone_field_is_masked() {
    // Flow style, one member a line, as the sample content writes members.
    let site = Site::minimal();
    site.append(
        &unit("unit.yaml"),
        "  - { id: m06, name: 孙大伟, group: g1, phone: \"13931600000\", role: 备用电话13812345678 }\n",
    );
    let run = site.build();
    run.code(0).diagnostic(
        "content/nanhe-zhen/dongwang/unit.yaml:35:70: 警告: 正文中有手机号码 138****5678，发布时已隐去中间四位",
        Some(MOBILE_HINT),
    );
    assert_eq!(files_containing(&site, "13812345678"), Vec::<String>::new());
}

// --- zone areas that search cannot read as ranges -------------------------------------------

const AREA_HINT_RANGE: &str = "范围写全起止，例如“东大街1号至28号”“东大街1-28号”“第1排至第6排”；写法见 docs/content-format.md 第 8.1 节";

#[test]
fn an_area_range_without_its_end_is_warned_at_the_number() {
    let (site, _) = warns(
        |s| s.replace(&unit("zones.yaml"), "area: 东大街1号至28号", "area: 东大街1号至28号、30号至"),
        "content/nanhe-zhen/dongwang/zones.yaml:6:21: 警告: 责任区“东街片区”的范围 area 里，“30号至”缺少终点，按门牌搜索时找不到这一段",
        AREA_HINT_RANGE,
    );
    // The range that reads is still searched by number; the area is published as written.
    let ranges = site.output("output/search/r/0.js");
    assert!(ranges.contains(r#""东大街":[[1,1,"h1-28"]]"#), "{ranges}");
    assert!(site.output(&format!("{UNIT_OUT}/zones/index.html")).contains("东大街1号至28号、30号至"));
}

#[test]
fn area_numbers_without_a_unit_reversed_or_mixed_are_warned() {
    let quoted = |area: &'static str| {
        move |s: &Site| s.replace(&unit("zones.yaml"), "area: 东大街1号至28号", &format!("area: \"{area}\""))
    };
    warns(
        quoted("东大街28号至1号"),
        "content/nanhe-zhen/dongwang/zones.yaml:6:15: 警告: 责任区“东街片区”的范围 area 里，“28号至1号”的起点大于终点，按门牌搜索时找不到这一段",
        "小的号写在前面，例如“东大街1号至28号”；写法见 docs/content-format.md 第 8.1 节",
    );
    warns(
        quoted("新村住宅区1号至6排"),
        "content/nanhe-zhen/dongwang/zones.yaml:6:17: 警告: 责任区“东街片区”的范围 area 里，“1号至6排”两端的单位不同，按门牌搜索时找不到这一段",
        "两端用同一种单位，例如“1号至28号”“第1排至第6排”“1至3号楼”；写法见 docs/content-format.md 第 8.1 节",
    );
    warns(
        quoted("东大街1至28"),
        "content/nanhe-zhen/dongwang/zones.yaml:6:15: 警告: 责任区“东街片区”的范围 area 里，“1至28”后面缺少单位，按门牌搜索时找不到这一段",
        "数字后面写上单位：号、排、号楼（栋）、单元、层、室，例如“东大街28号”“3号楼1、2单元”；写法见 docs/content-format.md 第 8.1 节",
    );
}

#[test]
fn counts_and_every_documented_area_form_are_not_warned() {
    let site = Site::minimal();
    let forms = [
        "东大街1号至28号",
        "东大街1-28号、30～36号",
        "东大街1号到28号，西大街单号",
        "东大街1号至49号单号",
        "新村住宅区第1排至第6排",
        "3号楼1至2单元",
        "幸福小区3号楼1、2单元",
        "幸福小区5栋",
        "后街全部、村卫生室周边",
        "二年级7个教学班及12家校外实习企业",
    ];
    let zones: String = forms
        .iter()
        .enumerate()
        .map(|(i, area)| {
            format!(
                "  - id: z{}\n    name: 片区{i}\n    group: g1\n    members: [m01]\n    area: {area}\n",
                i + 1
            )
        })
        .collect();
    site.write(&unit("zones.yaml"), &format!("zones:\n{zones}"));
    let run = site.run(&["check"]);
    run.code(0);
    let area_warnings: Vec<&str> = run.diagnostics().into_iter().filter(|l| l.contains("area")).collect();
    assert_eq!(area_warnings, Vec::<&str>::new(), "{}", run.stderr);
}

#[test]
fn a_make_up_working_day_on_a_weekday_is_warned() {
    // 2016-10-10 is a Monday: probably a slip for the 8th or 9th. It counts as a working day anyway.
    warns(
        |s| {
            s.write(
                "content/holidays.yaml",
                "2016:\n  休息: [2016-10-01 至 2016-10-07]\n  调休上班: [2016-10-08, 2016-10-10]\n",
            )
        },
        "content/holidays.yaml:3:22: 警告: 调休上班的 2016-10-10 是星期一，本来就是工作日",
        "调休上班日是要上班的星期六或星期日；核对日期",
    );
}
