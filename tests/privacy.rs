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

const HEALTH_HINT: &str = "只写类别，如“年老体弱”；病情、残疾、住院等健康情况不在网上公开；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words";
const WHEREABOUTS_HINT: &str = "只写类别，如“外出务工”“组织选派”；去了哪里、在哪里居住和工作不在网上公开；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words";

/// Sensitive details (issue 13 point 2) in each field residents read about people: a member's
/// `exempt`, a result's `note`, a record's `summary`, a zone's and a section's `description`, the
/// unit's introduction and notices at every level.
#[test]
fn sensitive_details_are_warned_where_they_are_written() {
    let site = Site::minimal();
    site.replace(&format!("{UNIT}/unit.yaml"), "exempt: 年老体弱", "exempt: 年老体弱（长期卧床）");
    site.replace(
        &format!("{UNIT}/assessments/2016.yaml"),
        "支部安排老党员结对帮助",
        "本人信教，支部安排结对帮助",
    );
    site.replace(
        &format!("{UNIT}/posts.yaml"),
        "为困难户联系冬季取暖补贴",
        "受到党内严重警告处分后仍坚持走访",
    );
    site.replace(&format!("{UNIT}/zones.yaml"), "帮联农户。", "帮联农户，其中一户有前科。");
    site.replace(
        "content/nanhe-zhen/section.yaml",
        "下辖农村党支部。",
        "下辖农村党支部，镇长住院期间由副镇长主持。",
    );
    site.append(&format!("{UNIT}/index.md"), "另有党员常年在外地。\n");
    site.append(&format!("{UNIT}/notices/2016-12-20-kaohe-gongshi.md"), "王某正在服刑。\n");
    site.append("content/nanhe-zhen/notices/2016-12-08-kaohe-anpai.md", "一名党员去向不明。\n");
    site.append("content/notices/2016-03-15-quanxian-tuixing.md", "患有糖尿病的党员免予考核。\n");
    // Titles, duties and names are not where details about people go, and are left alone.
    site.replace(&format!("{UNIT}/posts.yaml"), "[联系困难家庭]", "[联系残疾家庭]");
    let run = site.run(&["check"]);
    run.code(0);
    let health = |word: &str| format!("这里写了健康状况“{word}”，属于敏感个人信息，不宜公开");
    run.diagnostic(
        &format!("{UNIT}/unit.yaml:34:17: 警告: 免责原因后面的括号里写了具体情况，这些会在网页上公开"),
        Some("只写类别，如“年老体弱”“外出务工”“组织选派”；具体情况由支部掌握，不在网上公开"),
    )
    .diagnostic(&format!("{UNIT}/unit.yaml:34:20: 警告: {}", health("卧床")), Some(HEALTH_HINT))
    .diagnostic(
        &format!("{UNIT}/assessments/2016.yaml:20:13: 警告: 这里写了宗教信仰“信教”，属于敏感个人信息，不宜公开"),
        Some("个人的宗教信仰不在网上公开，请删去；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words"),
    )
    .diagnostic(
        &format!("{UNIT}/posts.yaml:26:42: 警告: 这里写了纪律处分“严重警告”，属于敏感个人信息，不宜公开"),
        Some("对党员个人的纪律处分不在这里公开，请删去；处分按有关规定另行通报；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words"),
    )
    .diagnostic(&format!("{UNIT}/posts.yaml:26:46: 警告: 这里写了纪律处分“处分”，属于敏感个人信息，不宜公开"), Some("对党员个人的纪律处分不在这里公开，请删去；处分按有关规定另行通报；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words"))
    .diagnostic(&format!("{UNIT}/zones.yaml:10:42: 警告: 这里写了违法犯罪情况“前科”，属于敏感个人信息，不宜公开"), Some("个人的违法犯罪情况不在网上公开，请删去；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words"))
    .diagnostic(&format!("content/nanhe-zhen/section.yaml:2:29: 警告: {}", health("住院")), Some(HEALTH_HINT))
    .diagnostic(
        &format!("{UNIT}/index.md:2:5: 警告: 这里写了行踪去向“常年在”，属于敏感个人信息，不宜公开"),
        Some(WHEREABOUTS_HINT),
    )
    .diagnostic(
        "content/nanhe-zhen/notices/2016-12-08-kaohe-anpai.md:6:5: 警告: 这里写了行踪去向“去向”，属于敏感个人信息，不宜公开",
        Some(WHEREABOUTS_HINT),
    )
    .diagnostic(&format!("content/notices/2016-03-15-quanxian-tuixing.md:6:1: 警告: {}", health("患有")), Some(HEALTH_HINT))
    .diagnostic(&format!("content/notices/2016-03-15-quanxian-tuixing.md:6:3: 警告: {}", health("糖尿病")), Some(HEALTH_HINT));
    let unit_notice: Vec<&str> =
        run.diagnostics().into_iter().filter(|d| d.contains("kaohe-gongshi.md")).collect();
    assert_eq!(
        unit_notice,
        [format!(
            "{UNIT}/notices/2016-12-20-kaohe-gongshi.md:6:5: 警告: 这里写了违法犯罪情况“服刑”，属于敏感个人信息，不宜公开"
        )]
    );
    run.warnings(12);
    // A warning, not a refusal: the build goes on and says the same.
    let build = site.build();
    build.code(0).warnings(12);
}

/// The sample county publishes only categories (年老体弱, 外出务工, 组织选派), and its ordinary
/// vocabulary (病虫害, 残疾人家庭, 党纪国法, 行动不便的老人) raises no warning.
#[test]
fn the_sample_publishes_no_sensitive_details() {
    let site = Site::sample();
    let run = site.run(&["check"]);
    run.code(0);
    let sensitive: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("敏感个人信息") || d.contains("免责原因"))
        .collect();
    assert!(sensitive.is_empty(), "{sensitive:#?}");
    let content: String = common::tree(&site.path("content"))
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for word in ["病虫害", "残疾人家庭", "党纪国法", "行动不便的老人"] {
        assert!(content.contains(word), "the sample no longer has {word}");
    }
    site.build().code(0);
    let m06 = site.output("output/nanhe-zhen/dongwangzhuang-cun/members/m06/index.html");
    assert!(m06.contains("年老体弱") && !m06.contains("卧床"), "{m06}");
    let data = site.output("output/nanhe-zhen/dongwangzhuang-cun/data.json");
    assert!(!data.contains("北京") && !data.contains("卧床"), "{data}");
}

/// `sensitive_words` adds words, `ordinary_words` clears ordinary phrases that hold one.
#[test]
fn site_yaml_extends_the_word_lists() {
    let site = Site::minimal();
    site.append("content/site.yaml", "sensitive_words: [低保户]\nordinary_words: [已住院治疗的费用]\n");
    site.replace(&format!("{UNIT}/posts.yaml"), "为困难户联系冬季取暖补贴", "为低保户报销已住院治疗的费用");
    let run = site.run(&["check"]);
    run.code(0).warnings(1);
    run.diagnostic(
        &format!("{UNIT}/posts.yaml:26:39: 警告: 这里写了本站列出的敏感内容“低保户”，属于敏感个人信息，不宜公开"),
        Some("这是 site.yaml 的 sensitive_words 列出的词，请删去或改写；若这里是正常用语，可把含它的词语写进 site.yaml 的 ordinary_words"),
    );
}

/// Over a synthetic county, the warnings are exactly the result notes that tell of a stay in
/// hospital (因病住院…, which synth writes as real notes do), one at each.
#[test]
fn a_synthetic_county_is_warned_at_each_health_detail_and_nowhere_else() {
    let site = common::synth::synthetic(40, 3);
    let run = site.run(&["check"]);
    run.code(0);
    let mut expected = Vec::new();
    for (path, bytes) in common::tree(&site.path("content")) {
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            if let Some(at) = line.find("住院").filter(|_| line.trim_start().starts_with("note:")) {
                let column = line[..at].chars().count() + 1;
                expected.push(format!(
                    "content/{path}:{}:{column}: 警告: 这里写了健康状况“住院”，属于敏感个人信息，不宜公开",
                    n + 1
                ));
            }
        }
    }
    assert!(!expected.is_empty(), "synth no longer writes a hospital stay into a note");
    let mut warned: Vec<String> = run.diagnostics().iter().map(|d| d.to_string()).collect();
    warned.sort();
    expected.sort();
    assert_eq!(warned, expected);
}

/// The minimal site with results for 2014, 2015 and 2016 (the assessment year).
fn site_with_three_years() -> Site {
    let site = Site::minimal();
    let text = site.read(&format!("{UNIT}/assessments/2016.yaml"));
    for year in ["2014", "2015"] {
        site.write(&format!("{UNIT}/assessments/{year}.yaml"), &text.replace("2016", year));
    }
    site
}

/// The years of the results a build published: pages, member rows, feeds, data.json, sitemap.
fn published_years(site: &Site) -> Vec<(String, Vec<i64>)> {
    let data = common::json(&site.output(&format!("{UNIT_OUT}/data.json")));
    let data_years =
        data["assessments"].as_array().unwrap().iter().map(|a| a["year"].as_i64().unwrap()).collect();
    let mut found = vec![("data.json".to_string(), data_years)];
    let in_text = |text: &str| -> Vec<i64> {
        [2014, 2015, 2016].into_iter().filter(|y| text.contains(&format!("assessments/{y}/"))).collect()
    };
    for file in [
        "output/sitemap.xml",
        "output/atom.xml",
        &format!("{UNIT_OUT}/atom.xml"),
        &format!("{UNIT_OUT}/members/m01/index.html"),
    ] {
        found.push((file.to_string(), in_text(&site.output(file))));
    }
    let pages = [2014, 2015, 2016]
        .into_iter()
        .filter(|y| site.exists(&format!("{UNIT_OUT}/assessments/{y}/index.html")))
        .collect();
    found.push(("pages".to_string(), pages));
    found
}

/// `retain_years` (default 2: the assessment year and the one before) publishes only those
/// years' results; older files are still checked.
#[test]
fn results_older_than_retain_years_are_not_published() {
    let site = site_with_three_years();
    site.build().code(0);
    for (file, years) in published_years(&site) {
        assert_eq!(years, [2015, 2016], "{file}");
    }
    // Nothing anywhere names the retired year: no search record, no page, no row.
    for (name, bytes) in site.tree("output") {
        assert!(!String::from_utf8_lossy(&bytes).contains("2014"), "{name} publishes 2014");
    }
    site.append("content/site.yaml", "retain_years: 1\n");
    site.build().code(0);
    for (file, years) in published_years(&site) {
        assert_eq!(years, [2016], "{file}");
    }
    let m02 = site.output(&format!("{UNIT_OUT}/members/m02/index.html"));
    assert!(!m02.contains("2015 年"), "{m02}");
    // A retired year is still checked.
    site.replace(&format!("{UNIT}/assessments/2014.yaml"), "masses: 95", "masses: 195");
    site.run(&["check"]).code(1);
    site.replace("content/site.yaml", "retain_years: 1\n", "retain_years: 0\n");
    site.replace(&format!("{UNIT}/assessments/2014.yaml"), "masses: 195", "masses: 95");
    site.run(&["check"]).code(1).diagnostic(
        "content/site.yaml:18:1: 错误: retain_years 至少为 1（只公开当年的考核结果）",
        Some("默认 2：公开当年和上一年的考核结果"),
    );
}

/// `noindex_results: true`: results and member pages say noindex, robots.txt disallows them
/// (below the site's own path), the sitemap leaves them out; other pages are indexed as before.
#[test]
fn noindex_results_keeps_results_and_member_pages_out_of_search_engines() {
    let site = Site::minimal();
    site.build().code(0);
    assert_eq!(
        site.output("output/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://gongkai.example.gov.cn/sitemap.xml\n"
    );
    let meta = "<meta name=\"robots\" content=\"noindex\">";
    assert!(!site.output(&format!("{UNIT_OUT}/members/m01/index.html")).contains(meta));
    site.append("content/site.yaml", "noindex_results: true\n");
    site.replace(
        "content/site.yaml",
        "https://gongkai.example.gov.cn/",
        "https://www.example.gov.cn/gongkai/",
    );
    site.build().code(0);
    assert_eq!(
        site.output("output/robots.txt"),
        "User-agent: *\nDisallow: /gongkai/*/assessments/\nDisallow: /gongkai/*/members/\nAllow: /\n\n\
         Sitemap: https://www.example.gov.cn/gongkai/sitemap.xml\n"
    );
    for page in ["members/m01/index.html", "members/m04/index.html", "assessments/2016/index.html"] {
        assert!(site.output(&format!("{UNIT_OUT}/{page}")).contains(meta), "{page}");
    }
    for page in ["index.html", "zones/index.html", "posts/index.html"] {
        assert!(!site.output(&format!("{UNIT_OUT}/{page}")).contains(meta), "{page}");
    }
    let sitemap = site.output("output/sitemap.xml");
    assert!(!sitemap.contains("/members/") && !sitemap.contains("/assessments/"), "{sitemap}");
    assert!(sitemap.contains("nanhe-zhen/dongwang/zones/"), "{sitemap}");
}
