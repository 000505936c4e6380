//! The site a build produces (docs/design.md §5 and §7): its pages, links, wording, masking, figures,
//! notice periods, drafts, sanitising, determinism and theme overrides.

mod common;

use common::{Site, UNIT, UNIT_OUT};
use std::collections::BTreeMap;

type Tree = BTreeMap<String, Vec<u8>>;

fn text(tree: &Tree, name: &str) -> String {
    let bytes = tree.get(name).unwrap_or_else(|| panic!("output lacks {name}"));
    String::from_utf8(bytes.clone()).expect("UTF-8 output")
}

#[track_caller]
fn assert_has(tree: &Tree, files: &[&str]) {
    let missing: Vec<&&str> = files.iter().filter(|f| !tree.contains_key(**f)).collect();
    assert!(missing.is_empty(), "missing {missing:#?}\nhave {:#?}", tree.keys().collect::<Vec<_>>());
}

/// The `<strong class="status-label">…</strong>` of the minimal unit's 2016 results.
fn notice_status(site: &Site) -> String {
    let page = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    let start = page.find("<strong class=\"status-label\">").expect("status label") + 29;
    let end = start + page[start..].find("</strong>").unwrap();
    page[start..end].to_string()
}

// --- pages ---------------------------------------------------------------------------------

#[test]
fn minimal_site_has_every_page_type() {
    let site = Site::minimal();
    site.build_clean();
    let tree = site.tree("output");
    assert_has(
        &tree,
        &[
            "index.html",
            "about/index.html",
            "disclosure/index.html",
            "404.html",
            "sitemap.xml",
            "robots.txt",
            "assets/style.css",
            "notices/2016-03-15-quanxian-tuixing/index.html",
            "nanhe-zhen/index.html",
            "nanhe-zhen/notices/2016-12-08-kaohe-anpai/index.html",
            "nanhe-zhen/dongwang/index.html",
            "nanhe-zhen/dongwang/zones/index.html",
            "nanhe-zhen/dongwang/posts/index.html",
            "nanhe-zhen/dongwang/assessments/2016/index.html",
            "nanhe-zhen/dongwang/members/m01/index.html",
            "nanhe-zhen/dongwang/members/m02/index.html",
            "nanhe-zhen/dongwang/members/m03/index.html",
            "nanhe-zhen/dongwang/members/m04/index.html",
            "nanhe-zhen/dongwang/members/m05/index.html",
            "nanhe-zhen/dongwang/notices/2016-12-20-kaohe-gongshi/index.html",
            "nanhe-zhen/dongwang/data.json",
        ],
    );
    // What each page is about.
    assert!(text(&tree, "index.html").contains("欢迎访问测试县公开平台"));
    assert!(text(&tree, "about/index.html").contains("知情权：及时了解党内事务"));
    assert!(text(&tree, "about/index.html").contains("宣传政策责任：向群众宣传党的政策"));
    assert!(text(&tree, "nanhe-zhen/index.html").contains("东王庄村"));
    assert!(text(&tree, "nanhe-zhen/dongwang/index.html").contains("东王庄村位于南河镇东部"));
    assert!(text(&tree, "nanhe-zhen/dongwang/index.html").contains("村委会门口意见箱"));
    assert!(text(&tree, "nanhe-zhen/dongwang/posts/index.html").contains("每季度走访责任区农户一遍"));
    assert!(text(&tree, "nanhe-zhen/dongwang/members/m05/index.html").contains("年老体弱"));
    assert!(
        text(&tree, "notices/2016-03-15-quanxian-tuixing/index.html")
            .contains("全面推行党员“七权七责”工作机制")
    );
    assert!(text(&tree, "404.html").contains("页面不存在"));
    let robots = text(&tree, "robots.txt");
    assert!(robots.contains("Sitemap: https://gongkai.example.gov.cn/sitemap.xml"), "{robots}");
    let data = common::json(&text(&tree, "nanhe-zhen/dongwang/data.json"));
    assert_eq!(data["name"], "东王庄村");
    assert_eq!(data["members"].as_array().unwrap().len(), 5);
}

#[test]
fn sample_site_has_every_page_type() {
    let site = Site::sample();
    site.build().code(0);
    let tree = site.tree("output");
    assert_has(
        &tree,
        &[
            "index.html",
            "about/index.html",
            "disclosure/index.html",
            "404.html",
            "sitemap.xml",
            "robots.txt",
            "notices/2016-03-15-quanmian-tuixing/index.html",
            "nanhe-zhen/index.html",
            "nanhe-zhen/notices/2016-12-08-niandu-kaohe-anpai/index.html",
            "nanhe-zhen/dongwangzhuang-cun/index.html",
            "nanhe-zhen/dongwangzhuang-cun/zones/index.html",
            "nanhe-zhen/dongwangzhuang-cun/posts/index.html",
            "nanhe-zhen/dongwangzhuang-cun/assessments/2015/index.html",
            "nanhe-zhen/dongwangzhuang-cun/assessments/2016/index.html",
            "nanhe-zhen/dongwangzhuang-cun/members/m01/index.html",
            "nanhe-zhen/dongwangzhuang-cun/notices/2016-12-20-kaohe-jieguo-gongshi/index.html",
            "nanhe-zhen/dongwangzhuang-cun/data.json",
            // A nested section and its unit.
            "xianzhi-jiguan/index.html",
            "xianzhi-jiguan/jiaoyu-dangwei/index.html",
            "xianzhi-jiguan/jiaoyu-dangwei/zhijiao-zhongxin/index.html",
            "xianzhi-jiguan/jiaoyu-dangwei/zhijiao-zhongxin/zones/index.html",
            // The failing unit still gets its pages.
            "beiyuan-xiang/xinyuan-shequ/index.html",
            "beiyuan-xiang/xinyuan-shequ/assessments/2015/index.html",
        ],
    );
    // Every unit has a data file, and a page for each of its members.
    let data_files: Vec<&String> = tree.keys().filter(|k| k.ends_with("/data.json")).collect();
    assert_eq!(data_files.len(), 8);
    for file in data_files {
        let data = common::json(&text(&tree, file));
        let unit = file.strip_suffix("data.json").unwrap();
        for member in data["members"].as_array().unwrap() {
            let page = format!("{unit}members/{}/index.html", member["id"].as_str().unwrap());
            assert!(tree.contains_key(&page), "{page}");
        }
    }
}

#[test]
fn search_page_and_index_are_generated() {
    // What search finds is tested in tests/search.rs.
    let site = Site::minimal();
    site.build_clean();
    assert_has(
        &site.tree("output"),
        &["search/index.html", "search/s/0.js", "search/c/0.js", "search/c/1.js", "assets/search.js"],
    );
}

#[test]
fn feeds_and_printable_sheets_are_generated() {
    let site = Site::minimal();
    site.build_clean();
    let tree = site.tree("output");
    assert_has(
        &tree,
        &[
            "atom.xml",
            "nanhe-zhen/atom.xml",
            "nanhe-zhen/dongwang/atom.xml",
            "nanhe-zhen/dongwang/notice/index.html",
        ],
    );
    let feed = text(&tree, "nanhe-zhen/dongwang/atom.xml");
    assert!(
        feed.starts_with(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
        ),
        "{feed}"
    );
    assert!(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://gongkai.example.gov.cn/nanhe-zhen/dongwang/assessments/2016/\"/>"), "{feed}");
    let unit = text(&tree, "nanhe-zhen/dongwang/index.html");
    assert!(unit.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"通知公告\" href=\"../../nanhe-zhen/dongwang/atom.xml\">"), "{unit}");
    let notice = text(&tree, "nanhe-zhen/dongwang/notice/index.html");
    assert!(notice.contains("<svg class=\"qr\" role=\"img\" aria-label=\"扫码打开"), "{notice}");
    assert!(notice.contains("https://gongkai.example.gov.cn/nanhe-zhen/dongwang/"), "{notice}");
    assert!(notice.contains("异议受理"), "{notice}");
    let signs: Vec<&String> = tree.keys().filter(|k| k.starts_with("nanhe-zhen/dongwang/signs/")).collect();
    assert!(!signs.is_empty(), "a sign per zone");
    for sign in signs {
        assert!(text(&tree, sign).contains("<svg class=\"qr\""), "{sign}");
    }
}

// --- every page: language and links --------------------------------------------------------

/// Every HTML page declares Chinese, and every relative link resolves to a file of the output
/// (so the site works from file:// and below a sub-path); fragments name an id of the target.
/// Returns the number of links followed.
#[track_caller]
fn check_pages_and_links(tree: &Tree) -> usize {
    let mut followed = 0;
    for (name, bytes) in tree {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(html.contains("<html lang=\"zh-CN\">"), "{name} lacks lang=zh-CN");
        if name == "404.html" {
            continue; // served at any address: its links start at the site's root path
        }
        for link in common::links(&html) {
            let scheme = link.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
            if scheme {
                let allowed = ["http:", "https:", "mailto:", "tel:"].iter().any(|s| link.starts_with(s));
                assert!(allowed, "{name}: link {link}");
                continue;
            }
            assert!(!link.starts_with('/'), "{name}: root-absolute link {link} breaks sub-path hosting");
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                name.clone()
            } else {
                common::resolve(name, path).unwrap_or_else(|| panic!("{name}: {link} leaves the site"))
            };
            let Some(bytes) = tree.get(&target) else {
                panic!("{name}: link {link} → {target} is not a file of the output");
            };
            if !fragment.is_empty() {
                let id = format!("id=\"{fragment}\"");
                assert!(String::from_utf8_lossy(bytes).contains(&id), "{name}: {link}: no {id} in {target}");
            }
            followed += 1;
        }
    }
    followed
}

#[test]
fn minimal_pages_are_chinese_and_internal_links_resolve() {
    let site = Site::minimal();
    site.build_clean();
    let followed = check_pages_and_links(&site.tree("output"));
    assert!(followed > 200, "only {followed} links followed");
}

#[test]
fn sample_pages_are_chinese_and_internal_links_resolve() {
    let site = Site::sample();
    site.build().code(0);
    let followed = check_pages_and_links(&site.tree("output"));
    assert!(followed > 2000, "only {followed} links followed");
}

#[test]
fn sitemap_lists_every_page_under_the_base_url() {
    let site = Site::minimal();
    site.build_clean();
    let tree = site.tree("output");
    let sitemap = text(&tree, "sitemap.xml");
    let locs: Vec<&str> =
        sitemap.split("<loc>").skip(1).map(|rest| &rest[..rest.find("</loc>").unwrap()]).collect();
    // Printable sheets (the notice and zone signs) are for paper, not for search engines.
    let pages: Vec<&String> = tree
        .keys()
        .filter(|k| k.ends_with("index.html") && !k.ends_with("/notice/index.html") && !k.contains("/signs/"))
        .collect();
    assert_eq!(locs.len(), pages.len(), "{sitemap}");
    for loc in locs {
        let path = loc.strip_prefix("https://gongkai.example.gov.cn/").expect(loc);
        assert!(tree.contains_key(&format!("{path}index.html")), "{loc}");
    }
}

#[test]
fn sub_path_hosting_with_base_url_override() {
    let site = Site::minimal();
    site.run(&["build", "--base-url", "https://www.example.org/county/gongkai"]).code(0);
    let tree = site.tree("output");
    let sitemap = text(&tree, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://www.example.org/county/gongkai/nanhe-zhen/dongwang/zones/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("gongkai.example.gov.cn"));
    assert!(
        text(&tree, "robots.txt").contains("Sitemap: https://www.example.org/county/gongkai/sitemap.xml")
    );
    let zones = text(&tree, "nanhe-zhen/dongwang/zones/index.html");
    assert!(zones.contains(
        "<link rel=\"canonical\" href=\"https://www.example.org/county/gongkai/nanhe-zhen/dongwang/zones/\">"
    ));
    // The 404 page is served at any address, so it links from the sub-path.
    let not_found = text(&tree, "404.html");
    let links = common::links(&not_found);
    let internal: Vec<&String> = links.iter().filter(|l| !l.contains(':') && !l.starts_with('#')).collect();
    assert!(!internal.is_empty());
    for link in internal {
        let path = link.strip_prefix("/county/gongkai/").unwrap_or_else(|| panic!("404 link {link}"));
        assert!(tree.contains_key(path), "404 link {link}");
    }
}

// --- wording by kind -----------------------------------------------------------------------

#[test]
fn zone_wording_follows_the_kind_of_unit() {
    let site = Site::sample();
    site.build().code(0);
    for (unit, term) in [
        ("nanhe-zhen/dongwangzhuang-cun", "片区"),
        ("nanhe-zhen/nanhe-shequ", "楼栋单元"),
        ("xianzhi-jiguan/nongye-ju", "科室"),
        ("xianzhi-jiguan/zilaishui-gongsi", "岗位"),
        ("xianzhi-jiguan/jiaoyu-dangwei/zhijiao-zhongxin", "年级"),
    ] {
        let zones = site.output(&format!("output/{unit}/zones/index.html"));
        assert!(zones.contains(&format!("本单位按{term}划分党员责任区")), "{unit} zones page lacks {term}");
        let home = site.output(&format!("output/{unit}/index.html"));
        assert!(home.contains(&format!("（按{term}划分）")), "{unit} home lacks {term}");
    }
}

// --- personal data -------------------------------------------------------------------------

#[test]
fn partner_names_phones_and_unconsenting_members_are_masked_everywhere() {
    let site = Site::minimal();
    site.build_clean();
    let tree = site.tree("output");
    let zones = text(&tree, "nanhe-zhen/dongwang/zones/index.html");
    assert!(zones.contains("<dt>结对群众</dt><dd>王*强（村民代表）</dd>"), "{zones}");
    let m01 = text(&tree, "nanhe-zhen/dongwang/members/m01/index.html");
    // No masked number is offered as a contact: the unit's public contact stands in.
    assert!(!m01.contains("139****1234"), "{m01}");
    assert!(
        m01.contains("<dt>怎样联系</dt><dd>通过东王庄村联系：电话 <a href=\"tel:0316-8812345\">0316-8812345</a>，东王庄村党群服务中心</dd>"),
        "{m01}"
    );
    // m04 has `consent: false`.
    let m04 = text(&tree, "nanhe-zhen/dongwang/members/m04/index.html");
    assert!(m04.contains("<title>赵*兰 - 东王庄村 - "), "{m04}");
    let data = common::json(&text(&tree, "nanhe-zhen/dongwang/data.json"));
    assert_eq!(data["members"][0]["phone"], "139****1234");
    assert_eq!(data["members"][3]["name"], "赵*兰");
    assert_eq!(data["zones"][0]["partners"][0]["name"], "王*强");
    for (name, bytes) in &tree {
        let page = String::from_utf8_lossy(bytes);
        for raw in ["王志强", "13931601234", "赵桂兰"] {
            assert!(!page.contains(raw), "{name} publishes {raw}");
        }
    }
}

#[test]
fn unconsenting_member_is_masked_in_compliance_reasons() {
    let site = Site::minimal();
    // m04 (consent: false) loses its zone, so the reason names it.
    site.replace(&format!("{UNIT}/zones.yaml"), "[m03, m04]", "[m03]");
    site.build().code(0);
    let reason = "赵*兰 没有划分责任区";
    assert!(site.output("output/disclosure/index.html").contains(reason));
    assert!(site.output(&format!("{UNIT_OUT}/data.json")).contains(reason));
    let check = site.run(&["check"]);
    assert!(check.stdout.contains(reason), "{}", check.stdout);
    assert!(!check.stdout.contains("赵桂兰"));
}

// --- the dashboard -------------------------------------------------------------------------

#[test]
fn failing_sample_unit_is_red_with_its_reasons_on_the_dashboard() {
    let site = Site::sample();
    site.build().code(0);
    let dashboard = site.output("output/disclosure/index.html");
    let rows: Vec<&str> = dashboard.split("<tr class=\"").skip(1).collect();
    let bad: Vec<&&str> = rows.iter().filter(|r| r.starts_with("row-bad")).collect();
    assert_eq!(bad.len(), 1, "one failing unit in the sample");
    // Only failing units are listed; the per-section table counts the rest.
    assert_eq!(rows.iter().filter(|r| r.starts_with("row-ok")).count(), 0);
    assert!(dashboard.contains("北园乡</a></th><td>2</td><td>1</td><td class=\"bad\">1</td>"), "{dashboard}");
    assert!(dashboard.contains("南河镇</a></th><td>3</td><td>3</td><td>0</td>"), "{dashboard}");
    let row = bad[0];
    assert!(row.contains("新园社区"), "{row}");
    assert!(row.contains("<span class=\"reason\">程浩 没有划分责任区</span>"), "{row}");
    assert!(row.contains("<span class=\"reason\">没有 2016 年的考核结果</span>"), "{row}");
    // Disclosure 2 and the supervision channel are fine: two red cells, two green.
    assert_eq!(row.matches("class=\"bad\"").count(), 2, "{row}");
    assert_eq!(row.matches("class=\"ok\"").count(), 2, "{row}");

    let unit = site.output("output/beiyuan-xiang/xinyuan-shequ/index.html");
    assert!(unit.contains("<li>程浩 没有划分责任区</li>"), "{unit}");
    let section = site.output("output/beiyuan-xiang/index.html");
    assert!(section.contains("card-bad"), "{section}");
}

// --- figures -------------------------------------------------------------------------------

/// `(member, total, grade, rank in group)` of the 2016 results in `data.json`.
fn results(site: &Site) -> Vec<(String, f64, String, u64)> {
    let data = common::json(&site.output(&format!("{UNIT_OUT}/data.json")));
    let year = data["assessments"].as_array().unwrap().iter().find(|a| a["year"] == 2016).expect("2016");
    year["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["member"].as_str().unwrap().to_string(),
                r["total"].as_f64().unwrap(),
                r["grade"].as_str().unwrap().to_string(),
                r["group_rank"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(member: &str, total: f64, grade: &str, rank: u64) -> (String, f64, String, u64) {
    (member.to_string(), total, grade.to_string(), rank)
}

#[test]
fn totals_grades_and_ranks_by_hand() {
    let site = Site::minimal();
    site.build_clean();
    // Weights 0.2 / 0.4 / 0.4; g1 = m01, m02; g2 = m03, m04.
    assert_eq!(
        results(&site),
        [
            row("m01", 94.0, "优秀", 1),     // 92×0.2 + 95×0.4 + 94×0.4 = 18.4 + 38 + 37.6
            row("m02", 85.2, "合格", 2),     // 16 + 34 + 35.2
            row("m03", 65.2, "基本合格", 2), // 14 + 26.4 + 24.8
            row("m04", 79.0, "合格", 1),     // 17 + 32 + 30
        ]
    );
    let page = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    let main = common::main_of(&page);
    // Each group's table in rank order.
    let order = ["李建国", "王秀英", "赵*兰", "张志强"].map(|n| main.find(&format!(">{n}</a>")).expect(n));
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{main}");
    assert!(main.contains("<td class=\"total\"><strong>85.2</strong></td><td class=\"grade\">合格</td>"));
    assert!(main.contains("参加考核 4 名：优秀 1 名，合格 2 名，基本合格 1 名，不合格 0 名。"));
    assert!(main.contains("<h3 id=\"vanguard-title\">党员先锋岗位</h3>"));
    assert!(main.contains(">张志强</a>：帮助。支部安排老党员结对帮助</li>"), "{main}");
}

#[test]
fn equal_totals_share_a_rank_and_weights_come_from_site_yaml() {
    let site = Site::minimal();
    site.replace(
        "content/site.yaml",
        "{ self: 0.2, masses: 0.4, organization: 0.4 }",
        "{ self: 0.5, masses: 0.25, organization: 0.25 }",
    );
    // m04 now equals m03 in group g2.
    site.replace(
        &format!("{UNIT}/assessments/2016.yaml"),
        "    self: 85\n    masses: 80\n    organization: 75\n",
        "    self: 70\n    masses: 66\n    organization: 62\n",
    );
    site.build_clean();
    assert_eq!(
        results(&site),
        [
            row("m01", 93.3, "优秀", 1),     // 46 + 23.75 + 23.5 = 93.25, one decimal
            row("m02", 83.3, "合格", 2),     // 40 + 21.25 + 22 = 83.25
            row("m03", 67.0, "基本合格", 1), // 35 + 16.5 + 15.5
            row("m04", 67.0, "基本合格", 1),
        ]
    );
}

#[test]
fn site_yaml_needs_only_title_and_base_url() {
    let full = Site::minimal();
    full.build_clean();
    let bare = Site::minimal();
    bare.write("content/site.yaml", "title: 测试县党员公开平台\nbase_url: https://gongkai.example.gov.cn/\n");
    bare.build_clean();
    // Defaults: zh-CN, weights 0.2 / 0.4 / 0.4, the four grades, the year of the latest file.
    assert!(bare.output("output/index.html").contains("<html lang=\"zh-CN\">"));
    assert_eq!(results(&bare), results(&full));
    let page = format!("{UNIT_OUT}/assessments/2016/index.html");
    assert_eq!(common::main_of(&bare.output(&page)), common::main_of(&full.output(&page)));
}

// --- notice period -------------------------------------------------------------------------

#[test]
fn notice_period_status_follows_source_date_epoch() {
    // Published 2016-12-20 with notice_days: 7, so the last day is 2016-12-26 (China time).
    for (epoch, when, expected) in [
        (1_482_120_000, "2016-12-19 12:00", "待公示"),
        (1_482_163_200, "2016-12-20 00:00", "公示中"),
        (1_482_764_400, "2016-12-26 23:00", "公示中"),
        (1_482_768_000, "2016-12-27 00:00", "已结束"),
        (1_484_006_400, "2017-01-10 08:00", "已结束"),
    ] {
        let mut site = Site::minimal();
        site.epoch = epoch;
        site.build_clean();
        assert_eq!(notice_status(&site), expected, "on {when}");
        let home = site.output(&format!("{UNIT_OUT}/index.html"));
        assert!(
            home.contains(&format!(
                "<span class=\"status-label\">{expected}</span>，公示截止 2016-12-26</span>"
            )),
            "on {when}"
        );
    }
}

#[test]
fn notice_period_can_end_on_a_given_day() {
    let mut site = Site::minimal();
    site.replace(&format!("{UNIT}/assessments/2016.yaml"), "notice_days: 7\n", "until: 2016-12-21\n");
    site.epoch = 1_482_336_000; // 2016-12-22
    site.build_clean();
    assert_eq!(notice_status(&site), "已结束");
    let page = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    assert!(page.contains("公示期：2016年12月20日至12月21日"));
    assert!(page.contains("异议受理：南河镇党委组织办公室 0316-8810000"));
}

#[test]
fn notice_period_in_working_days_skips_weekends_and_the_new_year_holiday() {
    let mut site = Site::minimal();
    site.write(
        "content/holidays.yaml",
        "2016:\n  休息:\n    - 2016-10-01 至 2016-10-07\n  调休上班: [2016-10-08, 2016-10-09]\n\
         2017:\n  休息:\n    - 2016-12-31 至 2017-01-02    # 元旦\n",
    );
    // Wednesday 28 December: 28, 29, 30, (31 December to 2 January off), 3 and 4 January.
    site.replace(
        &format!("{UNIT}/assessments/2016.yaml"),
        "published: 2016-12-20\nnotice_days: 7\n",
        "published: 2016-12-28\nnotice_workdays: 5\n",
    );
    // 3 January 2017, 00:00 China time: five calendar days would have ended on the 1st.
    site.epoch = 1_483_372_800;
    site.build_clean();
    assert_eq!(notice_status(&site), "公示中");
    let page = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    assert!(page.contains("公示期：2016年12月28日至2017年1月4日"), "{page}");
    assert!(page.contains("data-first=\"2016-12-28\" data-last=\"2017-01-04\""), "{page}");
    let home = site.output(&format!("{UNIT_OUT}/index.html"));
    assert!(home.contains("（2016年12月28日至2017年1月4日）"), "the banner: {home}");
    assert!(
        home.contains("<span class=\"status-label\">公示中</span>，公示截止 2017-01-04</span>"),
        "{home}"
    );
    let print = site.output(&format!("{UNIT_OUT}/notice/index.html"));
    assert!(print.contains("<strong>公示期：</strong>2016年12月28日至2017年1月4日。"), "{print}");
    let data = common::json(&site.output(&format!("{UNIT_OUT}/data.json")));
    assert_eq!(data["assessments"][0]["last_day"], "2017-01-04");

    // On the 5th the period is over.
    site.epoch = 1_483_545_600;
    site.build_clean();
    assert_eq!(notice_status(&site), "已结束");
}

#[test]
fn the_sample_unit_counting_working_days_keeps_its_period() {
    // 南河社区 gives `notice_workdays: 5` from Tuesday 20 December: the 26th, as before.
    let site = Site::sample();
    site.build().code(0);
    let page = site.output("output/nanhe-zhen/nanhe-shequ/assessments/2016/index.html");
    assert!(page.contains("公示期：2016年12月20日至12月26日"), "{page}");
}

#[test]
fn pages_carry_no_build_date() {
    // Two days inside the same notice period: nothing on the site may differ.
    let mut a = Site::minimal();
    a.epoch = 1_482_250_000;
    a.build_clean();
    let mut b = Site::minimal();
    b.epoch = 1_482_600_000;
    b.build_clean();
    assert!(a.tree("output") == b.tree("output"));
}

// --- drafts --------------------------------------------------------------------------------

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::minimal();
    site.write(
        "content/nanhe-zhen/notices/2016-12-25-caogao.md",
        "---\ntitle: 尚未定稿的通知\ndate: 2016-12-25\ndraft: true\n---\n草稿正文。\n",
    );
    site.build_clean();
    let tree = site.tree("output");
    assert!(!tree.keys().any(|k| k.contains("caogao")));
    for (name, bytes) in &tree {
        assert!(!String::from_utf8_lossy(bytes).contains("尚未定稿的通知"), "{name} shows the draft");
    }

    site.run(&["build", "--drafts"]).code(0);
    let page = site.output("output/nanhe-zhen/notices/2016-12-25-caogao/index.html");
    assert!(page.contains("<h1>尚未定稿的通知</h1>"));
    assert!(page.contains("草稿正文。"));
    assert!(site.output("output/nanhe-zhen/index.html").contains("尚未定稿的通知"));
    assert!(site.output("output/index.html").contains("尚未定稿的通知"));
    assert!(site.output("output/sitemap.xml").contains("nanhe-zhen/notices/2016-12-25-caogao/"));
}

// --- safe HTML -----------------------------------------------------------------------------

#[test]
fn raw_html_in_markdown_is_sanitised_and_unsafe_links_dropped() {
    let site = Site::minimal();
    site.write(
        "content/notices/2016-12-25-ceshi.md",
        concat!(
            "---\ntitle: 测试<b>通知</b>\ndate: 2016-12-25\n---\n",
            "正文<script>alert(1)</script>\n\n",
            "[点我](javascript:alert(1)) <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">再点</a>\n\n",
            "<img src=\"logo.png\" onerror=\"alert(4)\"> <iframe src=\"https://evil.example/\"></iframe>\n\n",
            "[好链接](https://example.cn/) [电话](tel:03168812000) [邮件](mailto:a@example.cn) ",
            "[本站](../../about/index.html) [数据](data:text/html,x)\n\n",
            "<style>body{display:none}</style>\n",
        ),
    );
    site.build_clean();
    let page = site.output("output/notices/2016-12-25-ceshi/index.html");
    let main = common::main_of(&page);
    for bad in ["<script", "alert(", "javascript:", "onerror", "onclick", "<iframe", "<style", "data:text"] {
        assert!(!main.contains(bad), "{bad} survived:\n{main}");
    }
    assert!(
        main.contains("<h1>测试&lt;b&gt;通知&lt;&#x2F;b&gt;</h1>")
            || main.contains("<h1>测试&lt;b&gt;通知&lt;/b&gt;</h1>"),
        "{main}"
    );
    for good in [
        "href=\"https://example.cn/\"",
        "href=\"tel:03168812000\"",
        "href=\"mailto:a@example.cn\"",
        "href=\"../../about/index.html\"",
    ] {
        assert!(main.contains(good), "{good} dropped:\n{main}");
    }
    assert!(main.contains(">点我</a>") && main.contains(">再点</a>"), "link text is kept");
}

#[test]
fn text_from_yaml_is_escaped() {
    let site = Site::minimal();
    site.replace(
        &format!("{UNIT}/zones.yaml"),
        "    name: 西街片区\n",
        "    name: \"<script>alert(1)</script>西街\"\n",
    );
    site.replace(
        &format!("{UNIT}/zones.yaml"),
        "    description: 党员与村民代表**1+1**帮联农户。\n",
        "    description: \"**1+1**<script>alert(2)</script>\"\n",
    );
    site.build_clean();
    let zones = site.output(&format!("{UNIT_OUT}/zones/index.html"));
    assert!(zones.contains("<h4>&lt;script&gt;alert(1)&lt;"), "{zones}");
    // The theme's one script file aside (it remembers 长者模式).
    let theme_script = "<script src=\"../../../assets/elder.js\" defer></script>";
    assert!(zones.contains(theme_script));
    assert!(!zones.replace(theme_script, "").contains("<script"), "{zones}");
    assert!(zones.contains("<strong>1+1</strong>"), "Markdown still rendered");
    let data = site.output(&format!("{UNIT_OUT}/data.json"));
    assert!(
        data.contains("\"name\":\"\\u003cscript>alert(1)\\u003c/script>西街\""),
        "data.json keeps the text, with < escaped so it stays inert"
    );
}

// --- determinism ---------------------------------------------------------------------------

#[test]
fn same_input_gives_byte_identical_output() {
    // Two copies in different folders, so nothing of the build's location may leak in.
    let a = Site::sample();
    let b = Site::sample();
    a.build().code(0);
    b.build().code(0);
    let (first, second) = (a.tree("output"), b.tree("output"));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (name, bytes) in &first {
        assert!(bytes == &second[name], "{name} differs between two builds");
    }
    // And again in place.
    a.build().code(0);
    assert!(a.tree("output") == first, "rebuilding in place changed the output");
}

#[test]
fn rebuild_drops_pages_of_removed_content() {
    let site = Site::minimal();
    site.build_clean();
    assert!(site.exists(&format!("{UNIT_OUT}/members/m05/index.html")));
    site.replace(
        &format!("{UNIT}/unit.yaml"),
        "  - id: m05\n    name: 李德胜\n    group: g1\n    joined: 1962\n    exempt: 年老体弱\n",
        "",
    );
    site.build_clean();
    assert!(!site.exists(&format!("{UNIT_OUT}/members/m05")));
    assert!(site.exists(&format!("{UNIT_OUT}/members/m04/index.html")));
}

// --- themes --------------------------------------------------------------------------------

/// Names of the files whose bytes differ between two trees with the same file names.
fn differing(a: &Tree, b: &Tree) -> Vec<String> {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    a.iter().filter(|(name, bytes)| b[*name] != **bytes).map(|(name, _)| name.clone()).collect()
}

#[test]
fn theme_template_override_replaces_just_that_file() {
    let plain = Site::minimal();
    plain.build_clean();
    let site = Site::minimal();
    site.write(
        "themes/default/templates/404.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><title>找不到</title><p>本县自定义的404页 {{ site.title }}</p></html>\n",
    );
    site.build_clean();
    assert_eq!(differing(&plain.tree("output"), &site.tree("output")), ["404.html"]);
    assert_eq!(
        site.output("output/404.html"),
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><title>找不到</title><p>本县自定义的404页 测试县党员公开平台</p></html>\n"
    );
}

#[test]
fn named_theme_overrides_an_asset_and_keeps_the_rest() {
    let plain = Site::minimal();
    plain.build_clean();
    let site = Site::minimal();
    site.append("content/site.yaml", "theme: mine\n");
    site.write("themes/mine/static/style.css", "body { color: #b00; }\n");
    site.build_clean();
    assert_eq!(differing(&plain.tree("output"), &site.tree("output")), ["assets/style.css"]);
    assert_eq!(site.output("output/assets/style.css"), "body { color: #b00; }\n");
}

#[test]
fn new_theme_asset_is_published() {
    let site = Site::minimal();
    site.write("themes/default/static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    site.build_clean();
    assert_eq!(site.output("output/assets/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
}
