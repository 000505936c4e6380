//! What residents read (issue 12): words without file or field names, the same unit counts on
//! every page, colours by meaning, bold next to Chinese punctuation. The layout at 360 px is
//! measured in the browser (`tests/browser.rs`, section 8).

mod common;

use common::{Site, UNIT, main_of};

const UNIT_YAML: &str = "content/nanhe-zhen/dongwang/unit.yaml";
const RESULTS: &str = "content/nanhe-zhen/dongwang/assessments/2016.yaml";

/// Every HTML page of a built site, by path below `output/`.
fn pages(site: &Site) -> Vec<(String, String)> {
    site.tree("output")
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// Words only webmasters use: file names and the content format's field names.
const WEBMASTER_WORDS: [&str; 10] = [
    ".yaml",
    "zones.yaml",
    "supervision",
    "objections",
    "notice_days",
    "published 和",
    "until）",
    "（JSON）",
    "assessments/",
    ".md",
];

/// The visible text of a page's `<main>`: tags (and so link addresses) removed.
fn visible_text(html: &str) -> String {
    let main = main_of(html);
    let mut text = String::with_capacity(main.len());
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn public_pages_name_no_file_or_field_while_check_still_does() {
    let site = Site::minimal();
    // Every disclosure falls short at once.
    std::fs::remove_file(site.path(&format!("{UNIT}/zones.yaml"))).unwrap();
    std::fs::remove_file(site.path(&format!("{UNIT}/posts.yaml"))).unwrap();
    site.replace(RESULTS, "notice_days: 7\n", "");
    site.replace(RESULTS, "objections: 南河镇党委组织办公室 0316-8810000\n", "");
    site.replace(UNIT_YAML, "supervision: { phone: 0316-8812000, mailbox: 村委会门口意见箱 }\n", "");
    site.build().code(0);

    let mut found = Vec::new();
    for (path, html) in pages(&site) {
        let text = visible_text(&html);
        for word in WEBMASTER_WORDS {
            if text.contains(word) {
                found.push(format!("{path}: {word}"));
            }
        }
    }
    assert!(found.is_empty(), "webmaster words on public pages:\n{}", found.join("\n"));
    let unit = site.output("output/nanhe-zhen/dongwang/index.html");
    for reason in [
        "没有公开责任区",
        "没有公开定岗履责情况",
        "2016 年考核结果没有写公示期",
        "2016 年考核结果没有写异议受理渠道",
        "没有写群众监督渠道",
    ] {
        assert!(unit.contains(&format!("<li>{reason}</li>")), "{reason}:\n{}", main_of(&unit));
    }
    // The published data carries the residents' words too.
    let data = common::json(&site.output("output/nanhe-zhen/dongwang/data.json"));
    assert_eq!(data["compliance"]["zones"]["reasons"], serde_json::json!(["没有公开责任区"]));

    // `check` tells the webmaster which file or field to fix.
    let run = site.run(&["check"]);
    for line in [
        "    责任区和党小组：没有公开责任区（zones.yaml）",
        "    定岗履责：没有公开定岗履责情况（posts.yaml）",
        "    考核评比结果：2016 年考核结果没有写公示期（published 和 notice_days 或 until）",
        "    考核评比结果：2016 年考核结果没有写异议受理渠道（objections）",
        "    群众监督渠道：没有写群众监督渠道（unit.yaml 的 supervision）",
    ] {
        assert!(run.stdout.lines().any(|l| l == line), "check lacks {line:?}:\n{}", run.stdout);
    }
}

#[test]
fn the_about_page_gives_each_grade_its_range_of_totals() {
    let site = Site::minimal();
    site.build().code(0);
    let about = site.output("output/about/index.html");
    for row in [
        "<th scope=\"row\">优秀</th><td>90 分及以上</td>",
        "<th scope=\"row\">合格</th><td>70 分及以上、不满 90 分</td>",
        "<th scope=\"row\">基本合格</th><td>60 分及以上、不满 70 分</td>",
        "<th scope=\"row\">不合格</th><td>不满 60 分</td>",
    ] {
        assert!(about.contains(row), "{row}:\n{}", main_of(&about));
    }
    assert!(!about.contains("0.0 分"), "{}", main_of(&about));
}

/// `(section name, units, fully compliant)` from the home page's cards.
fn home_counts(home: &str) -> Vec<(String, usize, usize)> {
    home.split("<li><a href=\"")
        .skip(1)
        .filter_map(|card| {
            let name = card.split("<strong>").nth(1)?.split("</strong>").next()?.to_string();
            let meta = card.split("<span class=\"meta\">").nth(1)?.split("</span>").next()?;
            let (units, ok) = meta.split_once(" 个单位，")?;
            Some((name, units.parse().ok()?, ok.split(' ').next()?.parse().ok()?))
        })
        .collect()
}

#[test]
fn unit_counts_agree_on_the_home_page_the_dashboard_and_section_pages() {
    let site = Site::sample();
    site.build().code(0);
    let home = home_counts(&site.output("output/index.html"));
    assert_eq!(home.len(), 3, "{home:?}");
    let dashboard = site.output("output/disclosure/index.html");
    for (name, units, ok) in &home {
        let row = format!("{name}</a></th><td>{units}</td><td>{ok}</td><td");
        assert!(dashboard.contains(&row), "the dashboard lacks {row:?}:\n{}", main_of(&dashboard));
    }
    // 县直机关工委 holds 教育党委 with its own unit: both pages count it.
    assert!(home.contains(&("县直机关工委".to_string(), 3, 3)), "{home:?}");
    let total: usize = home.iter().map(|(_, units, _)| units).sum();
    assert!(dashboard.contains(&format!("<p class=\"big\">{total} 个单位中")), "{}", main_of(&dashboard));
    let section = site.output("output/xianzhi-jiguan/index.html");
    assert!(section.contains("<p class=\"big\">3 个单位中"), "{}", main_of(&section));
}

#[test]
fn charts_colour_by_meaning_and_the_unit_page_says_what_its_data_file_is_for() {
    let site = Site::sample();
    site.build().code(0);
    let dashboard = site.output("output/disclosure/index.html");
    assert!(dashboard.contains("<svg class=\"chart chart-ok\""), "compliant units are not drawn as such");
    let css = site.output("output/assets/style.css");
    assert!(css.contains(".chart-ok .chart-bar { fill: var(--ok); }"));
    assert!(css.contains(".chart-grades .chart-bar { fill: #4a6787; }"));
    let section = site.output("output/nanhe-zhen/index.html");
    assert!(section.contains("<svg class=\"chart chart-grades\""), "{}", main_of(&section));

    let unit = site.output("output/nanhe-zhen/dongwangzhuang-cun/index.html");
    assert!(unit.contains("<h2 id=\"three-title\">三个内容公开和群众监督</h2>"));
    // The heading's list: the three disclosures and the supervision channel.
    let checks = unit.split("<ul class=\"checks\">").nth(1).unwrap().split("</ul>").next().unwrap();
    assert_eq!(checks.matches("<li class=").count(), 4, "{checks}");
    assert!(
        unit.contains("type=\"application/json\">下载本单位公开数据</a>：本页公开的责任区、岗位和考核结果汇成的一个数据文件，供核对、统计和转载使用。"),
        "{}",
        main_of(&unit)
    );
}

/// `**` in the visible text of a page, other than the stars of a masked phone number.
fn raw_stars(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for i in 0..chars.len().saturating_sub(1) {
        if chars[i] == '*' && chars[i + 1] == '*' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 2).copied();
            let in_number = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '*');
            if !in_number(before) && !in_number(after) {
                found.push(chars[i.saturating_sub(12)..(i + 14).min(chars.len())].iter().collect());
            }
        }
    }
    found
}

#[test]
fn no_page_of_the_sample_shows_raw_bold_stars() {
    let site = Site::sample();
    site.build().code(0);
    let mut found = Vec::new();
    for (path, html) in pages(&site) {
        for stars in raw_stars(&visible_text(&html)) {
            found.push(format!("{path}: {stars}"));
        }
    }
    assert!(found.is_empty(), "raw ** on pages:\n{}", found.join("\n"));
    let notice = site.output("output/notices/2016-12-20-kaohe-gongshi/index.html");
    assert!(
        notice.contains("<strong>党员述评20%、群众测评40%、组织考评40%</strong>"),
        "{}",
        main_of(&notice)
    );
    // The measure itself.
    // The measure itself: both stars of the bold are caught, the masked number is not.
    assert_eq!(raw_stars("按**党员述评**计算，电话 138****1234").len(), 2);
}

/// Builds the minimal site as of `epoch` (seconds, `SOURCE_DATE_EPOCH`).
fn build_on(site: &Site, epoch: i64) {
    site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", &epoch.to_string())]).code(0);
}

/// 2016-12-30, after the minimal unit's notice period (2016-12-20 to 12-26).
const EPOCH_AFTER_NOTICE: i64 = common::EPOCH_IN_NOTICE_PERIOD + 8 * 86_400;

#[test]
fn while_results_are_noticed_home_section_and_unit_pages_say_so_up_front() {
    let site = Site::minimal();
    build_on(&site, common::EPOCH_IN_NOTICE_PERIOD);
    let item = "<li class=\"status-open\" data-first=\"2016-12-20\" data-last=\"2016-12-26\">\
                <a href=\"nanhe-zhen/dongwang/assessments/2016/index.html\">东王庄村2016年度党员考核评比结果</a>\
                <span class=\"status-label\">公示中</span>（2016年12月20日至12月26日）</li>";
    let home = site.output("output/index.html");
    let main = main_of(&home);
    assert!(main.contains(item), "{main}");
    // At the top of the page: before the introduction and the list of townships.
    let banner = main.find("<h2 id=\"noticing-title\">正在公示</h2>").expect("the banner");
    assert!(banner < main.find("id=\"sections-title\"").unwrap(), "{main}");
    assert!(home.contains("assets/status.js"), "the status is not corrected when read later");
    let section = site.output("output/nanhe-zhen/index.html");
    assert!(section.contains(&item.replace("nanhe-zhen/dongwang/", "../nanhe-zhen/dongwang/")), "{section}");
    let unit = site.output("output/nanhe-zhen/dongwang/index.html");
    assert!(
        unit.contains(
            "<p class=\"notice-banner status-open\" data-first=\"2016-12-20\" data-last=\"2016-12-26\"><strong>\
             <a href=\"../../nanhe-zhen/dongwang/assessments/2016/index.html\">2016年度党员考核评比结果</a>\
             <span class=\"status-label\">公示中</span></strong>（2016年12月20日至12月26日）。\
             对结果有异议的，请在公示期内向南河镇党委组织办公室 0316-8810000实名反映。</p>"
        ),
        "{}",
        main_of(&unit)
    );

    // After the period: no banner, no list, no script for them.
    build_on(&site, EPOCH_AFTER_NOTICE);
    for page in ["output/index.html", "output/nanhe-zhen/index.html", "output/nanhe-zhen/dongwang/index.html"]
    {
        let html = site.output(page);
        assert!(!html.contains("notice-banner"), "{page}:\n{}", main_of(&html));
    }
    assert!(!site.output("output/index.html").contains("status.js"));
}

#[test]
fn the_printed_notice_reads_as_offices_post_it() {
    let site = Site::minimal();
    build_on(&site, common::EPOCH_IN_NOTICE_PERIOD);
    let notice = site.output("output/nanhe-zhen/dongwang/notice/index.html");
    let main = main_of(&notice);
    assert!(
        main.contains("<p class=\"period\"><strong>公示期：</strong>2016年12月20日至12月26日。</p>"),
        "{main}"
    );
    assert!(main.contains("<p class=\"sheet-close\">特此公示。</p>"), "{main}");
    assert!(
        main.contains(
            "<div class=\"sheet-sign\">\n    <p class=\"issuer\">中共南河镇东王庄村支部委员会</p>\n    \
             <p class=\"issued\">2016年12月20日</p>\n  </div>"
        ),
        "{main}"
    );
    assert!(!main.contains("2016-12-"), "ISO dates on the printed notice:\n{main}");
    assert!(!main.contains("尚未公布"), "{main}");

    // Only last year's results: the notice says so, on screen and on paper.
    let last_year = "content/nanhe-zhen/dongwang/assessments/2015.yaml";
    site.rename(RESULTS, last_year);
    site.replace(last_year, "year: 2016\n", "year: 2015\n");
    site.replace(last_year, "published: 2016-12-20\n", "published: 2015-12-20\n");
    build_on(&site, common::EPOCH_IN_NOTICE_PERIOD);
    let notice = site.output("output/nanhe-zhen/dongwang/notice/index.html");
    let main = main_of(&notice);
    assert!(
        main.contains(
            "<p class=\"stale\" role=\"note\"><strong>2016年度考核结果尚未公布。</strong>\
             下面是2015年度的结果，不能作为2016年度的公示张贴。</p>"
        ),
        "{main}"
    );
    assert!(!main.contains("no-print\"><strong>2016"), "the warning must print too");
}

#[test]
fn residents_reach_a_member_by_a_number_they_can_call_or_through_the_unit() {
    let site = Site::minimal();
    // m01 agreed to publish the number; m02 has none; m04 has one but did not agree.
    site.replace(
        UNIT_YAML,
        "    phone: \"13931601234\"\n",
        "    phone: \"13931601234\"\n    phone_public: true\n",
    );
    site.replace(UNIT_YAML, "  - id: m04\n", "  - id: m04\n    phone: \"13700001111\"\n");
    site.build().code(0);
    let member = |id: &str| site.output(&format!("output/nanhe-zhen/dongwang/members/{id}/index.html"));
    let m01 = member("m01");
    assert!(
        m01.contains("<dt>怎样联系</dt><dd>电话 <a href=\"tel:13931601234\">13931601234</a></dd>"),
        "{}",
        main_of(&m01)
    );
    let through_unit =
        "通过东王庄村联系：电话 <a href=\"tel:0316-8812345\">0316-8812345</a>，东王庄村党群服务中心";
    for id in ["m02", "m04"] {
        let page = member(id);
        assert!(
            page.contains(&format!("<dt>怎样联系</dt><dd>{through_unit}</dd>")),
            "{id}:\n{}",
            main_of(&page)
        );
        assert!(!page.contains("****"), "a masked number on {id}:\n{}", main_of(&page));
    }
    assert!(!member("m04").contains("13700001111"));
    // The zone of m01 and m02 gives m01's number and the unit's contact; its sign too.
    let zones = site.output("output/nanhe-zhen/dongwang/zones/index.html");
    assert!(
        zones.contains(&format!(
            "<dt>怎样联系</dt><dd>李建国 电话 <a href=\"tel:13931601234\">13931601234</a>；{through_unit}</dd>"
        )),
        "{}",
        main_of(&zones)
    );
    let sign = site
        .tree("output/nanhe-zhen/dongwang/signs")
        .into_iter()
        .find(|(_, bytes)| String::from_utf8_lossy(bytes).contains("李建国"));
    let sign = String::from_utf8(sign.expect("a sign of m01's zone").1).unwrap();
    assert!(sign.contains("<br>电话 <a href=\"tel:13931601234\">13931601234</a>"), "{}", main_of(&sign));
    assert!(
        sign.contains(&format!("<p><strong>怎样联系：</strong>{through_unit}</p>")),
        "{}",
        main_of(&sign)
    );
    // The data file keeps the masked number for statistics, the public one only with agreement.
    let data = common::json(&site.output("output/nanhe-zhen/dongwang/data.json"));
    assert_eq!(data["members"][0]["public_phone"], "13931601234");
    assert_eq!(data["members"][3]["public_phone"], serde_json::Value::Null);
}

/// Two objections for the minimal unit's 2016 results (notice period 2016-12-20 to 12-26).
const OBJECTION_LOG: &str = "objection_log:
  - received: 2016-12-21
    matter: 反映第二党小组群众测评时外出户没有参加
    reply: 外出户已电话补测，记录齐全；12月23日当面答复
    outcome: 维持原结果
  - received: 2016-12-23
    matter: 反映一名党员的组织考评分数登记有误
    outcome: 按原始评分表更正分数，等次不变
    result_changed: true
";

#[test]
fn after_the_notice_period_the_results_page_reports_the_objections_and_their_outcome() {
    let site = Site::minimal();
    site.replace(RESULTS, "results:\n", &format!("{OBJECTION_LOG}results:\n"));
    let results = "output/nanhe-zhen/dongwang/assessments/2016/index.html";

    // While the period runs, nothing is said about objections yet.
    build_on(&site, common::EPOCH_IN_NOTICE_PERIOD);
    let page = site.output(results);
    assert!(!page.contains("异议处理情况"), "{}", main_of(&page));
    assert!(page.contains("公示期：2016年12月20日至12月26日"), "{}", main_of(&page));

    build_on(&site, EPOCH_AFTER_NOTICE);
    let page = site.output(results);
    let main = main_of(&page);
    let log = main
        .split("<h3 id=\"objections-title\">异议处理情况</h3>")
        .nth(1)
        .expect("the log")
        .split("</section>")
        .next()
        .unwrap();
    // Right after the notice period, before the results.
    assert!(main.find("异议处理情况").unwrap() < main.find("<table class=\"results\">").unwrap());
    assert!(log.contains("<p>公示期内收到异议 2 件，其中 1 件改变了考核结果。</p>"), "{log}");
    for item in [
        "<p class=\"meta\">2016年12月21日收到</p>",
        "<p><strong>异议事项：</strong>反映第二党小组群众测评时外出户没有参加</p>",
        "<p><strong>答复：</strong>外出户已电话补测，记录齐全；12月23日当面答复</p>",
        "<p><strong>处理结果：</strong>维持原结果</p>",
        "<p><strong>答复：</strong>尚未答复</p>",
        "<p><strong>处理结果：</strong>按原始评分表更正分数，等次不变<span class=\"badge\">考核结果已更正</span></p>",
    ] {
        assert!(log.contains(item), "{item}:\n{log}");
    }
    // The open data carries the log as written.
    let data = common::json(&site.output("output/nanhe-zhen/dongwang/data.json"));
    let logged = &data["assessments"][0]["objection_log"];
    assert_eq!(logged[1]["received"], "2016-12-23");
    assert_eq!(logged[1]["result_changed"], true);
    assert_eq!(logged[0]["reply"], "外出户已电话补测，记录齐全；12月23日当面答复");

    // No objections: the page says so once the period is over.
    site.replace(RESULTS, OBJECTION_LOG, "");
    build_on(&site, EPOCH_AFTER_NOTICE);
    let page = site.output(results);
    assert!(
        main_of(&page)
            .contains("<h3 id=\"objections-title\">异议处理情况</h3>\n  <p>公示期内未收到异议。</p>"),
        "{}",
        main_of(&page)
    );
}

#[test]
fn a_bad_objection_log_entry_is_named_by_file_and_line_and_the_site_stays() {
    let site = Site::minimal();
    build_on(&site, EPOCH_AFTER_NOTICE);
    let before = site.tree("output");
    let log = "objection_log:
  - received: 2016-12-18
    matter: 反映测评打分不实
  - received: 2016-12-22
    matter: \"\"
  - received: 2016-12-24
    matter: 反映分数登记有误
    result_changed: true
  - received: 2017-01-05
    matter: 询问先锋岗评选办法
    outcome: 已解释
";
    site.replace(RESULTS, "results:\n", &format!("{log}results:\n"));
    let file = "content/nanhe-zhen/dongwang/assessments/2016.yaml";
    let run = site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", &EPOCH_AFTER_NOTICE.to_string())]);
    run.code(1)
        .diagnostic(
            &format!("{file}:6:5: 错误: 异议收到日期 2016-12-18 早于公示开始日 2016-12-20"),
            Some("异议是在公示期内收到的；请核对日期"),
        )
        .diagnostic(
            &format!("{file}:9:5: 错误: 2016-12-22 收到的异议没有写异议事项"),
            Some("在 matter 里写明反映的是什么，例如“对第一党小组群众测评结果有异议”；不写反映人的姓名"),
        )
        .diagnostic(
            &format!("{file}:12:5: 错误: 2016-12-24 收到的异议改变了考核结果，但没有写处理结果"),
            Some("在 outcome 里写明改了什么，例如“第一党小组李某群众测评由 68 分更正为 72 分，等次改为合格”"),
        )
        .diagnostic(
            &format!("{file}:13:5: 警告: 异议收到日期 2017-01-05 晚于公示截止日 2016-12-26"),
            Some("公示期后收到的异议也可以记录；请核对日期"),
        )
        .errors(3);
    assert_eq!(site.tree("output"), before, "a failed build touched the published site");

    // A typo in a field name, and a missing matter: the parser's message in plain words.
    site.replace(RESULTS, log, "objection_log:\n  - received: 2016-12-22\n    mater: 反映测评打分不实\n");
    let run = site.run(&["check"]);
    run.code(1).diagnostic(
        &format!("{file}:7:5: 错误: 未知字段“mater”"),
        Some("是不是“matter”？可用的字段：received、matter、reply、outcome、result_changed"),
    );
}

#[test]
fn importing_new_scores_keeps_the_objection_log() {
    let site = Site::minimal();
    site.replace(RESULTS, "results:\n", &format!("{OBJECTION_LOG}results:\n"));
    site.write("scores.csv", "姓名,党员述评,群众测评,组织考评\n李建国,90,91,92\n");
    site.run(&["import", "scores.csv", "--unit", "nanhe-zhen/dongwang", "--year", "2016"]).code(0);
    let written = site.read(RESULTS);
    assert!(written.contains("{ member: m01, self: 90, masses: 91, organization: 92"), "{written}");
    assert!(written.contains(OBJECTION_LOG), "the log was lost:\n{written}");
}

#[test]
fn notice_archives_list_every_county_and_section_notice_newest_first_twenty_a_page() {
    let site = Site::minimal();
    // 44 more county notices: 45 with the fixture's own, and one of the township's.
    for day in 1..=44u32 {
        let (month, day) = (1 + (day - 1) / 28, 1 + (day - 1) % 28);
        site.write(
            &format!("content/notices/2017-{month:02}-{day:02}-n{day}.md"),
            &format!("---\ntitle: 县通知{month}月{day}日\ndate: 2017-{month:02}-{day:02}\n---\n正文。\n"),
        );
    }
    site.build().code(0);
    let home = site.output("output/index.html");
    assert!(
        home.contains("<a href=\"notices/index.html\">县、乡镇发布的全部通知公告 →</a>"),
        "{}",
        main_of(&home)
    );
    let section = site.output("output/nanhe-zhen/index.html");
    assert!(
        section.contains("<a href=\"../nanhe-zhen/notices/index.html\">南河镇全部通知公告 →</a>"),
        "{}",
        main_of(&section)
    );

    // The county's archive: 46 notices (45 of the county, 1 of 南河镇) on three pages.
    let titles = |html: &str| -> Vec<String> {
        main_of(html)
            .split("<li><a href=\"")
            .skip(1)
            .map(|li| li.split('>').nth(1).unwrap().split('<').next().unwrap().to_string())
            .collect()
    };
    let first = site.output("output/notices/index.html");
    let second = site.output("output/notices/page/2/index.html");
    let third = site.output("output/notices/page/3/index.html");
    assert!(!site.exists("output/notices/page/4/index.html"));
    assert!(!site.exists("output/notices/page/1/index.html"), "page 1 is notices/ itself");
    assert!(first.contains("<h1>全县通知公告</h1>"), "{}", main_of(&first));
    assert!(
        first.contains("共 46 条，从新到旧排列，每页 20 条；这是第 1 页，共 3 页。"),
        "{}",
        main_of(&first)
    );
    let (a, b, c) = (titles(&first), titles(&second), titles(&third));
    assert_eq!((a.len(), b.len(), c.len()), (20, 20, 6));
    assert_eq!(a[0], "县通知2月16日");
    assert_eq!(c.last().unwrap(), "全县推行党员七权七责", "the oldest comes last");
    let all: Vec<&String> = a.iter().chain(&b).chain(&c).collect();
    assert!(
        all.iter().any(|t| *t == "关于开展年度党员考核的通知"),
        "the township's notice is listed: {all:?}"
    );
    // Page links: next from the first, both ways from the middle, previous from the last.
    assert!(first.contains("<a href=\"../notices/page/2/index.html\" rel=\"next\">下一页（较早）→</a>"));
    assert!(!first.contains("rel=\"prev\""));
    assert!(second.contains("<a href=\"../../../notices/index.html\" rel=\"prev\">← 上一页（较新）</a>"));
    assert!(second.contains("<a href=\"../../../notices/page/3/index.html\" rel=\"next\">"));
    assert!(!third.contains("rel=\"next\""));
    // Listed in the sitemap like any page.
    let sitemap = site.output("output/sitemap.xml");
    assert!(sitemap.contains("<loc>https://gongkai.example.gov.cn/notices/page/3/</loc>"), "{sitemap}");

    // A section's archive: its own notices only.
    let township = site.output("output/nanhe-zhen/notices/index.html");
    assert!(township.contains("<h1>南河镇通知公告</h1>"), "{}", main_of(&township));
    assert!(titles(&township).iter().all(|t| !t.starts_with("县通知")), "{}", main_of(&township));
}

#[test]
fn the_home_page_has_a_search_box_that_needs_no_script() {
    let site = Site::minimal();
    site.build().code(0);
    let home = site.output("output/index.html");
    let main = main_of(&home);
    assert!(
        main.contains(
            "<form id=\"home-search\" class=\"search-form home-search\" role=\"search\" action=\"search/index.html\" method=\"get\">\n  \
             <label for=\"home-q\">查找党员、责任区或街道门牌</label>\n  <input id=\"home-q\" name=\"q\" type=\"search\""
        ),
        "{main}"
    );
    // The search page reads the same `q`.
    assert!(site.output("output/search/index.html").contains("name=\"q\""));
    // Townships come before the notices, the introduction after them.
    let at = |needle: &str| main.find(needle).unwrap_or_else(|| panic!("{needle}:\n{main}"));
    assert!(at("home-q") < at("sections-title"));
    assert!(at("sections-title") < at("notices-title"));
    assert!(at("notices-title") < at("class=\"intro\""));
}

#[test]
fn every_page_footer_carries_the_government_site_particulars_when_given() {
    let site = Site::minimal();
    site.build().code(0);
    for (path, html) in pages(&site) {
        assert!(!html.contains("主办单位") && !html.contains("class=\"filings\""), "{path}");
    }
    site.replace(
        "content/site.yaml",
        "language: zh-CN\n",
        "language: zh-CN\norganizer: 中共测试县委组织部\nicp: 冀ICP备12345678号-1\n\
         police_filing: 冀公网安备 13102202000123号\nsite_code: 1310220001\n",
    );
    site.build().code(0);
    let footer = "<p>主办单位：中共测试县委组织部</p>\n  <p class=\"filings\"><a href=\"https://beian.miit.gov.cn/\">冀ICP备12345678号-1</a>\
                  <span>冀公网安备 13102202000123号</span><span>网站标识码：1310220001</span></p>\n</footer>";
    let pages = pages(&site);
    assert!(pages.len() > 15);
    for (path, html) in &pages {
        assert!(
            html.contains(footer),
            "{path} lacks the footer:\n{}",
            html.split("<footer").nth(1).unwrap_or("")
        );
    }
    // Only what is given: the ICP number alone.
    site.replace(
        "content/site.yaml",
        "police_filing: 冀公网安备 13102202000123号\nsite_code: 1310220001\n",
        "",
    );
    site.build().code(0);
    assert!(
        site.output("output/index.html").contains(
            "<p class=\"filings\"><a href=\"https://beian.miit.gov.cn/\">冀ICP备12345678号-1</a></p>"
        )
    );
}

#[test]
fn a_notice_names_its_issuer_by_default_the_organisation_of_its_level() {
    let site = Site::minimal();
    site.replace(
        "content/site.yaml",
        "language: zh-CN\n",
        "language: zh-CN\norganizer: 中共测试县委组织部\n",
    );
    site.append("content/nanhe-zhen/section.yaml", "organization: 中共南河镇委员会\n");
    site.build().code(0);
    let county = site.output("output/notices/2016-03-15-quanxian-tuixing/index.html");
    assert!(county.contains("<p class=\"meta\">中共测试县委组织部 · <time"), "{}", main_of(&county));
    let home = site.output("output/index.html");
    assert!(home.contains("</time> · 中共南河镇委员会</span>"), "{}", main_of(&home));
    assert!(!home.contains("</time> · 测试县党员公开平台</span>"), "the platform is no issuer");
    // Written in the front matter, it wins, on the page, in the lists and in the feed.
    site.replace(
        "content/notices/2016-03-15-quanxian-tuixing.md",
        "date: 2016-03-15\n",
        "date: 2016-03-15\nissuer: 中共测试县委办公室\n",
    );
    site.build().code(0);
    let county = site.output("output/notices/2016-03-15-quanxian-tuixing/index.html");
    assert!(county.contains("<p class=\"meta\">中共测试县委办公室 · <time"), "{}", main_of(&county));
    assert!(site.output("output/notices/index.html").contains("</time> · 中共测试县委办公室</span>"));
    assert!(site.output("output/atom.xml").contains("中共测试县委办公室"));
}
