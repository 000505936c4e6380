//! Privacy that holds in free text (issue 13): the full names of members without consent and of
//! 1+1 partners, typed anywhere a page, feed, search record or `data.json` shows, are masked and
//! warned about at their file, line and column.

mod common;

use common::{Site, UNIT, UNIT_OUT};

/// 赵桂兰 (m04, `consent: false`) and 王志强 (a partner of z1) written into every free-text field
/// of the minimal site's unit, its section's notice and the county's notice.
fn site_naming_them_everywhere() -> Site {
    let site = Site::minimal();
    site.replace(&format!("{UNIT}/unit.yaml"), "东王庄村党群服务中心", "东王庄村赵桂兰家东侧");
    site.replace(&format!("{UNIT}/unit.yaml"), "村委会门口意见箱", "王志强家门口意见箱");
    site.replace(&format!("{UNIT}/unit.yaml"), "第二党小组", "第二党小组（赵桂兰家）");
    site.replace(&format!("{UNIT}/unit.yaml"), "role: 支部书记", "role: 支部书记兼联系赵桂兰");
    site.replace(&format!("{UNIT}/unit.yaml"), "exempt: 年老体弱", "exempt: 由王志强照顾");
    site.replace(&format!("{UNIT}/zones.yaml"), "name: 西街片区", "name: 赵桂兰片区");
    site.replace(
        &format!("{UNIT}/zones.yaml"),
        "area: 西大街1号至30号",
        "area: 西大街1号至30号（王志强家以西）",
    );
    site.replace(
        &format!("{UNIT}/zones.yaml"),
        "description: 党员与村民代表**1+1**帮联农户。",
        "description: 党员按排包户：**赵桂兰**负责第1至3排，王志强协助。",
    );
    site.replace(&format!("{UNIT}/zones.yaml"), "role: 村民代表", "role: 村民代表（赵桂兰之邻）");
    site.replace(&format!("{UNIT}/posts.yaml"), "title: 帮扶困难群众岗", "title: 赵桂兰帮扶岗");
    site.replace(&format!("{UNIT}/posts.yaml"), "[联系困难家庭]", "[联系困难家庭王志强]");
    site.replace(&format!("{UNIT}/posts.yaml"), "[每月走访一次困难家庭]", "[赵桂兰每月走访一次]");
    site.replace(&format!("{UNIT}/posts.yaml"), "为困难户联系冬季取暖补贴", "赵桂兰为王志强联系取暖补贴");
    site.replace(&format!("{UNIT}/assessments/2016.yaml"), "0316-8810000", "0316-8810000（王志强转交）");
    site.replace(&format!("{UNIT}/assessments/2016.yaml"), "老党员结对帮助", "赵桂兰结对帮助");
    site.append(&format!("{UNIT}/index.md"), "王志强是村民代表，赵桂兰是党小组长。\n");
    site.replace(
        &format!("{UNIT}/notices/2016-12-20-kaohe-gongshi.md"),
        "title: 2016年度党员考核结果公示",
        "title: 2016年度考核公示（赵桂兰）",
    );
    site.append(&format!("{UNIT}/notices/2016-12-20-kaohe-gongshi.md"), "对赵桂兰有意见请找王志强。\n");
    site.append("content/nanhe-zhen/notices/2016-12-08-kaohe-anpai.md", "东王庄村由赵桂兰汇总。\n");
    site.append("content/notices/2016-03-15-quanxian-tuixing.md", "王志强代表群众发言。\n");
    site
}

#[test]
fn full_names_in_every_free_text_field_are_masked_in_every_output() {
    let site = site_naming_them_everywhere();
    site.build().code(0);
    let tree = site.tree("output");
    for (name, bytes) in &tree {
        let page = String::from_utf8_lossy(bytes);
        for raw in ["赵桂兰", "王志强"] {
            assert!(!page.contains(raw), "{name} publishes {raw}");
        }
    }
    let zones = site.output(&format!("{UNIT_OUT}/zones/index.html"));
    assert!(zones.contains("<strong>赵*兰</strong>负责第1至3排，王*强协助"), "{zones}");
    assert!(zones.contains("赵*兰片区"), "{zones}");
    let section = site.output("output/nanhe-zhen/notices/2016-12-08-kaohe-anpai/index.html");
    assert!(section.contains("东王庄村由赵*兰汇总"), "{section}");
    let county = site.output("output/notices/2016-03-15-quanxian-tuixing/index.html");
    assert!(county.contains("王*强代表群众发言"), "{county}");
    let data = common::json(&site.output(&format!("{UNIT_OUT}/data.json")));
    assert_eq!(data["zones"][1]["name"], "赵*兰片区");
    assert_eq!(data["posts"][3]["records"][0]["summary"], "赵*兰为王*强联系取暖补贴");
    // Other people's text is left alone.
    assert!(zones.contains("东街片区"), "{zones}");
}

#[test]
fn check_warns_at_each_full_name_with_what_to_do() {
    let site = site_naming_them_everywhere();
    let run = site.run(&["check"]);
    run.code(0);
    let member = "这里写了未同意公开姓名的党员的全名，发布时已改为“赵*兰”";
    let partner = "这里写了结对群众的全名，发布时已改为“王*强”";
    let member_hint =
        Some("党员姓名只在 unit.yaml 的 members 里写一次；这里可删去姓名，或写“责任党员”“该党员”");
    let partner_hint = Some("群众姓名只在 zones.yaml 的 partners 里写一次；这里可删去姓名，或写“结对群众”");
    run.diagnostic(&format!("{UNIT}/zones.yaml:10:27: 警告: {member}"), member_hint)
        .diagnostic(&format!("{UNIT}/zones.yaml:10:40: 警告: {partner}"), partner_hint)
        .diagnostic(&format!("{UNIT}/unit.yaml:8:27: 警告: {member}"), member_hint)
        .diagnostic(&format!("{UNIT}/unit.yaml:34:14: 警告: {partner}"), partner_hint)
        .diagnostic(&format!("{UNIT}/posts.yaml:26:38: 警告: {member}"), member_hint)
        .diagnostic(&format!("{UNIT}/assessments/2016.yaml:20:15: 警告: {member}"), member_hint)
        .diagnostic(&format!("{UNIT}/index.md:2:1: 警告: {partner}"), partner_hint)
        .diagnostic(&format!("{UNIT}/notices/2016-12-20-kaohe-gongshi.md:2:19: 警告: {member}"), member_hint)
        .diagnostic(
            &format!("content/nanhe-zhen/notices/2016-12-08-kaohe-anpai.md:6:6: 警告: {member}"),
            member_hint,
        )
        .diagnostic(
            &format!("content/notices/2016-03-15-quanxian-tuixing.md:6:1: 警告: {partner}"),
            partner_hint,
        );
    // One warning per name written (24), none where the people are declared.
    let at: Vec<String> =
        run.diagnostics().iter().map(|d| d.split(": 警告").next().unwrap().to_string()).collect();
    let lines: Vec<&str> = at.iter().filter_map(|a| a.strip_prefix(&format!("{UNIT}/"))).collect();
    assert_eq!(
        lines,
        [
            "assessments/2016.yaml:4:37",
            "assessments/2016.yaml:20:15",
            "index.md:2:1",
            "index.md:2:10",
            "notices/2016-12-20-kaohe-gongshi.md:2:19",
            "notices/2016-12-20-kaohe-gongshi.md:6:2",
            "notices/2016-12-20-kaohe-gongshi.md:6:10",
            "posts.yaml:22:12",
            "posts.yaml:23:20",
            "posts.yaml:24:19",
            "posts.yaml:26:38",
            "posts.yaml:26:42",
            "unit.yaml:4:46",
            "unit.yaml:5:46",
            "unit.yaml:8:27",
            "unit.yaml:13:18",
            "unit.yaml:34:14",
            "zones.yaml:9:33",
            "zones.yaml:10:27",
            "zones.yaml:10:40",
            "zones.yaml:12:11",
            "zones.yaml:15:21",
        ]
    );
    run.warnings(24);
}

#[test]
fn a_member_without_consent_has_a_page_with_only_what_the_disclosures_need() {
    let site = Site::minimal();
    // m05 is exempt for age; withdraw consent for it and put a note on m04's results.
    site.replace(
        &format!("{UNIT}/unit.yaml"),
        "    exempt: 年老体弱",
        "    exempt: 年老体弱\n    consent: false",
    );
    site.replace(
        &format!("{UNIT}/assessments/2016.yaml"),
        "    organization: 75",
        "    organization: 75\n    action: 帮助\n    note: 长期外出，支部电话联系",
    );
    site.build().code(0);
    let m04 = site.output(&format!("{UNIT_OUT}/members/m04/index.html"));
    assert!(m04.contains("<h2>赵*兰<span class=\"meta\">党小组长</span></h2>"), "{m04}");
    assert!(m04.contains("<dt>党小组</dt><dd>第二党小组</dd>"), "{m04}");
    assert!(!m04.contains("入党年份"), "{m04}");
    assert!(!m04.contains("长期外出"), "{m04}");
    assert!(m04.contains("帮助"), "the follow-up itself is a result: {m04}");
    let results = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    assert!(!results.contains("长期外出"), "{results}");
    let m05 = site.output(&format!("{UNIT_OUT}/members/m05/index.html"));
    assert!(m05.contains("该党员因“个人原因”不划分责任区"), "{m05}");
    assert!(!m05.contains("年老体弱") && !m05.contains("1962"), "{m05}");
    let data = site.output(&format!("{UNIT_OUT}/data.json"));
    assert!(!data.contains("年老体弱") && !data.contains("1962"), "{data}");
    // A consenting member keeps everything.
    let m02 = site.output(&format!("{UNIT_OUT}/members/m02/index.html"));
    assert!(m02.contains("<dt>入党年份</dt><dd>2001 年</dd>"), "{m02}");
}
