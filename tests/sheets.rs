//! Spreadsheets in and out (issue 11, docs/content-format.md §18): `template`, `import`, `export`
//! on workbooks made the way offices make them, with the exact messages, the identity numbers
//! kept out of everything, all-or-nothing writes, and the round trip through the sample county.

mod common;

use calamine::{Data, Reader};
use common::Site;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// A cell of a fixture workbook.
enum C<'a> {
    T(&'a str),
    N(f64),
    D(u16, u8, u8),
    E,
}

use C::{D, E, N, T};

/// One sheet: its name, whether it is hidden, its rows from A1, and a title merged over the
/// first row's columns (as WPS lays out a 花名册).
struct Sheet<'a> {
    name: &'a str,
    hidden: bool,
    merged_title: Option<(&'a str, u16)>,
    rows: Vec<Vec<C<'a>>>,
}

/// Writes a workbook the way an office would: rows as typed, dates as date cells.
fn office_workbook(path: &Path, sheets: Vec<Sheet>) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    for s in &sheets {
        let ws = book.add_worksheet();
        ws.set_name(s.name).unwrap();
        let first_row = if let Some((title, last_col)) = s.merged_title {
            ws.merge_range(0, 0, 0, last_col, title, &Format::new().set_bold()).unwrap();
            1
        } else {
            0
        };
        for (r, row) in s.rows.iter().enumerate() {
            let r = (r + first_row) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    T(text) => ws.write_string(r, c, *text).map(|_| ()).unwrap(),
                    N(n) => ws.write_number(r, c, *n).map(|_| ()).unwrap(),
                    D(y, m, d) => ws
                        .write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                        .map(|_| ())
                        .unwrap(),
                    E => {}
                }
            }
        }
        if s.hidden {
            ws.set_hidden(true);
        }
    }
    book.save(path).unwrap();
}

/// Identity numbers with valid check digits, as a roster's 身份证号 column holds them.
const IDENTITY: [&str; 3] = ["131025198003154325", "131025196511023015", "13102519700101018X"];

/// A roster as WPS saves it: a merged title, a line of who filled it in, the header in row 3,
/// `姓  名` spaced out, a blank row, numbers and dates typed as text, full-width digits, trailing
/// spaces, a date cell, a 身份证号 column, a footer, and a hidden sheet of old data.
fn wps_roster(path: &Path) {
    office_workbook(
        path,
        vec![
            Sheet {
                name: "党员花名册",
                hidden: false,
                merged_title: Some(("新庄村党支部党员花名册", 7)),
                rows: vec![
                    vec![T("填报单位：南河镇新庄村党支部"), E, E, E, E, T("填报日期：2016年12月")],
                    vec![
                        T("序号"),
                        T("姓  名"),
                        T("性别"),
                        T("所在党小组"),
                        T("入党时间"),
                        T("身份证号"),
                        T("手机号码"),
                        T("职务"),
                    ],
                    vec![
                        N(1.0),
                        T("高建平 "),
                        T("男"),
                        T("第一党小组"),
                        T("1994.07"),
                        T(IDENTITY[0]),
                        T("13931605521"),
                        T("支部书记"),
                    ],
                    vec![N(2.0), T("田玉芬"), T("女"), T("第一党小组"), D(2006, 7, 1), T(IDENTITY[1]), E, E],
                    vec![E, E, E, E, E, E, E, E],
                    vec![
                        N(3.0),
                        T("高福顺"),
                        T("男"),
                        T("第二党小组 "),
                        T("１９６０年５月"),
                        T(IDENTITY[2]),
                        T("１５８０３１６２２８７"),
                        E,
                    ],
                    vec![
                        N(4.0),
                        T("王  伟"),
                        T("男"),
                        T("第二党小组"),
                        N(2012.0),
                        E,
                        N(13_603_168_854.0),
                        T("党小组长"),
                    ],
                    vec![T("制表人：高建平"), E, E, E, E, E, E, E],
                ],
            },
            Sheet {
                name: "旧名单",
                hidden: true,
                merged_title: None,
                rows: vec![vec![T("姓名"), T("党小组")], vec![T("已故党员"), E]],
            },
        ],
    );
}

/// Imports a roster as the new village 新庄村 of 南河镇.
fn import_new_village(site: &Site, file: &str) -> common::Run {
    let unit = ["--unit", "nanhe-zhen/xinzhuang-cun", "--kind", "village", "--name", "新庄村"];
    site.run(&[&["import", file][..], &unit[..]].concat())
}

/// Every file under a folder whose text contains `needle`.
fn files_containing(site: &Site, folder: &str, needle: &str) -> Vec<String> {
    site.tree(folder)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn a_wps_roster_makes_a_new_village_with_no_identity_number_anywhere() {
    let site = Site::sample();
    wps_roster(&site.path("新庄村花名册.xlsx"));
    let run = import_new_village(&site, "新庄村花名册.xlsx");
    run.code(0);
    let out = &run.stdout;
    assert!(out.contains("新庄村花名册.xlsx：隐藏的工作表“旧名单”未读取\n"), "{out}");
    assert!(out.contains("读取 新庄村花名册.xlsx：党员花名册\n"), "{out}");
    assert!(out.contains("新庄村花名册.xlsx:党员花名册：未使用的列：性别\n"), "{out}");
    assert!(out.contains("新庄村花名册.xlsx:党员花名册：已忽略“身份证号”列（身份证号码不导入）\n"), "{out}");
    assert!(
        out.contains("  新增党员 4 名：高建平（m01）、田玉芬（m02）、高福顺（m03）、王伟（m04）\n"),
        "{out}"
    );
    assert!(out.contains("  新增党小组：第一党小组（g1）、第二党小组（g2）\n"), "{out}");
    assert_eq!(
        site.read("content/nanhe-zhen/xinzhuang-cun/unit.yaml"),
        "name: 新庄村\nkind: village\n\ngroups:\n  - { id: g1, name: 第一党小组 }\n  - { id: g2, name: 第二党小组 }\n\n\
         members:\n  - { id: m01, name: 高建平, group: g1, role: 支部书记, joined: 1994, phone: \"13931605521\" }\n  \
         - { id: m02, name: 田玉芬, group: g1, joined: 2006 }\n  \
         - { id: m03, name: 高福顺, group: g2, joined: 1960, phone: \"15803162287\" }\n  \
         - { id: m04, name: 王伟, group: g2, role: 党小组长, joined: 2012, phone: \"13603168854\" }\n"
    );
    site.build().code(0);
    for number in IDENTITY {
        for folder in ["content", "output"] {
            assert_eq!(
                files_containing(&site, folder, number),
                Vec::<String>::new(),
                "{number} in {folder}/"
            );
        }
    }
    let page = site.output("output/nanhe-zhen/xinzhuang-cun/index.html");
    assert!(page.contains("新庄村"), "the village is on the site");
    assert!(site.output("output/nanhe-zhen/xinzhuang-cun/members/m01/index.html").contains("高建平"));
}

#[test]
fn an_xls_roster_is_read_and_its_identity_column_ignored() {
    let site = Site::sample();
    let xls = common::fixtures().join("sheets/xinzhuang-roster.xls");
    let run = import_new_village(&site, xls.to_str().unwrap());
    run.code(0);
    assert!(run.stdout.contains("已忽略“公民身份号码”列（身份证号码不导入）"), "{}", run.stdout);
    let unit = site.read("content/nanhe-zhen/xinzhuang-cun/unit.yaml");
    assert!(
        unit.contains(
            "  - { id: m01, name: 高建平, group: g1, role: 支部书记, joined: 1994, phone: \"13931605521\" }\n"
        ),
        "{unit}"
    );
    assert!(unit.contains("  - { id: m03, name: 高福顺, group: g2, joined: 1960 }\n"), "{unit}");
    site.build().code(0);
    for number in IDENTITY {
        assert_eq!(files_containing(&site, "content", number), Vec::<String>::new());
        assert_eq!(files_containing(&site, "output", number), Vec::<String>::new());
    }
}

#[test]
fn a_gbk_score_sheet_replaces_scores_and_keeps_the_notice_period() {
    let site = Site::sample();
    let csv = common::fixtures().join("sheets/kaohe-2016-gbk.csv");
    let run = site.run(&["import", csv.to_str().unwrap(), "--unit", "nanhe-zhen/dongwangzhuang-cun"]);
    run.code(0).warnings(0);
    assert!(
        run.stdout
            .contains("  2016 年考核结果：改动 2 名：李建国 93/95/94→93/96/94、陈立新 78/62/65→78/70/65\n"),
        "{}",
        run.stdout
    );
    let file = site.read("content/nanhe-zhen/dongwangzhuang-cun/assessments/2016.yaml");
    assert!(file.starts_with("year: 2016\npublished: 2016-12-20\nnotice_days: 7\nobjections: 南河镇党委组织办公室 0316-8810000\n"), "{file}");
    // Columns the sheet lacks (先锋岗位, 帮助或调整, 说明) keep what the file said.
    assert!(
        file.contains("  - { member: m01, self: 93, masses: 96, organization: 94, vanguard: true }\n"),
        "{file}"
    );
    assert!(
        file.contains("  - { member: m13, self: 78, masses: 70, organization: 65, action: 帮助, note: "),
        "{file}"
    );
    site.run(&["check"]).code(0).warnings(0);
}

#[test]
fn a_period_in_working_days_is_read_from_the_days_cell() {
    let site = Site::sample();
    site.write(
        "kaohe2016.csv",
        "公示开始日期,2016-12-28,公示天数,5 个工作日\n姓名,党员述评,群众测评,组织考评\n李建国,80,80,80\n",
    );
    let run = site.run(&["import", "kaohe2016.csv", "--unit", "nanhe-zhen/dongwangzhuang-cun"]);
    run.code(0).warnings(0);
    assert!(run.stdout.contains("公示期或异议受理渠道有改动"), "{}", run.stdout);
    let file = site.read("content/nanhe-zhen/dongwangzhuang-cun/assessments/2016.yaml");
    assert!(
        file.starts_with("year: 2016\npublished: 2016-12-28\nnotice_workdays: 5\nobjections: "),
        "{file}"
    );
    // Counted against the sample's content/holidays.yaml: 28, 29, 30 December, 3 and 4 January.
    site.build().code(0);
    let page = site.output("output/nanhe-zhen/dongwangzhuang-cun/assessments/2016/index.html");
    assert!(page.contains("公示期：2016年12月28日至2017年1月4日"), "{page}");

    // The template writes it back into the same cell.
    site.run(&["template", "nanhe-zhen/dongwangzhuang-cun", "--output", "x.xlsx"]).code(0);
    let cells = sheet_cells(&site.path("x.xlsx"), "考核2016");
    assert_eq!(cells[1][2..4], ["公示天数", "5个工作日"], "{:?}", cells[1]);
    // Calendar days typed over it replace it.
    site.write("kaohe2016.csv", "公示天数,7\n姓名,党员述评,群众测评,组织考评\n李建国,80,80,80\n");
    site.run(&["import", "kaohe2016.csv", "--unit", "nanhe-zhen/dongwangzhuang-cun"]).code(0);
    let file = site.read("content/nanhe-zhen/dongwangzhuang-cun/assessments/2016.yaml");
    assert!(file.starts_with("year: 2016\npublished: 2016-12-28\nnotice_days: 7\nobjections: "), "{file}");
}

#[test]
fn a_score_sheet_needs_a_year() {
    let site = Site::sample();
    site.write("scores.csv", "姓名,党员述评,群众测评,组织考评\n李建国,90,90,90\n");
    let before = site.tree("content");
    let run = site.run(&["import", "scores.csv", "--unit", "nanhe-zhen/dongwangzhuang-cun"]);
    run.code(1).diagnostic(
        "scores.csv: 错误: 看不出这张考核表是哪一年的",
        Some("用 --year 2016 指定，或把工作表改名为“考核2016”"),
    );
    assert_eq!(site.tree("content"), before);
    site.run(&["import", "scores.csv", "--unit", "nanhe-zhen/dongwangzhuang-cun", "--year", "2017"]).code(0);
    assert!(
        site.read("content/nanhe-zhen/dongwangzhuang-cun/assessments/2017.yaml")
            .starts_with("year: 2017\nresults:\n")
    );
}

/// A template of 东王庄村 with a mistake of every kind typed into it.
fn broken_template(site: &Site) -> String {
    site.run(&["template", "nanhe-zhen/dongwangzhuang-cun", "--output", "模板.xlsx"]).code(0);
    let mut book = calamine::open_workbook_auto(site.path("模板.xlsx")).unwrap();
    let mut sheets: Vec<(String, Vec<Vec<Data>>)> = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        sheets.push((name, range.rows().map(|r| r.to_vec()).collect()));
    }
    let mut set = |sheet: &str, cell: &str, value: Data| {
        let (_, rows) = sheets.iter_mut().find(|(n, _)| n == sheet).unwrap();
        let col = (cell.as_bytes()[0] - b'A') as usize;
        let row: usize = cell[1..].parse::<usize>().unwrap() - 1;
        while rows.len() <= row {
            rows.push(Vec::new());
        }
        if rows[row].len() <= col {
            rows[row].resize(col + 1, Data::Empty);
        }
        rows[row][col] = value;
    };
    let s = |t: &str| Data::String(t.into());
    // 党员: m01 李建国 is row 3.
    set("党员", "D4", s("七月")); // 王秀英's 入党年份
    set("党员", "G5", s("也许")); // 同意公开
    set("党员", "A17", s("第99号")); // a new member with an id that is no slug
    set("党员", "B17", s("新党员"));
    set("党员", "C17", s("第一党小组（东街）"));
    set("党员", "F18", s("13800001111")); // a row without a name
    set("党员", "E6", s(&format!("身份证 {}", IDENTITY[0]))); // 刘永福's 职务
    // 责任区: z1 is row 3.
    set("责任区", "E3", s("三十六"));
    set("责任区", "F4", s("李建国、张三"));
    set("责任区", "A5", s("z1"));
    // 岗位 and 履责记录
    set("岗位", "C4", Data::Empty); // 王秀英's post has duties but no title
    set("履责记录", "C3", s("2016-02-30"));
    // 考核2016: m01 李建国 is row 4; row 7 is m04 刘永福.
    set("考核2016", "D7", s("九十"));
    set("考核2016", "C5", Data::Float(105.0));
    set("考核2016", "G4", s("良好"));
    set("考核2016", "H6", s("也许"));
    set("考核2016", "I8", s("表扬"));
    set("考核2016", "D2", Data::Float(7.0));
    set("考核2016", "F2", s("2016-12-26"));

    let mut out = Workbook::new();
    for (name, rows) in &sheets {
        let ws = out.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(t) => ws.write_string(r, c, t).map(|_| ()).unwrap(),
                    Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()).unwrap(),
                    Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()).unwrap(),
                    Data::DateTime(d) => ws.write_number(r, c, d.as_f64()).map(|_| ()).unwrap(),
                    _ => {}
                }
            }
        }
    }
    out.save(site.path("东王庄村.xlsx")).unwrap();
    "东王庄村.xlsx".into()
}

#[test]
fn every_error_names_its_sheet_and_cell_and_nothing_is_written() {
    let site = Site::sample();
    let file = broken_template(&site);
    let before = site.tree("content");
    let run = site.run(&["import", &file]);
    run.code(1);
    let expected: &[(&str, &str)] = &[
        (
            "东王庄村.xlsx:党员!D4: 错误: 入党时间“七月”看不出年份",
            "写年份或日期，如 2008、2008.07、2008年7月 或 2008-07-01",
        ),
        ("东王庄村.xlsx:党员!G5: 错误: 同意公开“也许”只能填“是”或“否”", "不填视为“是”"),
        (
            "东王庄村.xlsx:党员!E6: 错误: 单元格里有居民身份证号码，不能导入",
            "删去身份证号码；公开内容只需姓名、岗位和考核结果",
        ),
        (
            "东王庄村.xlsx:党员!A17: 错误: 党员编号“第99号”不能用作网址",
            "只用小写英文字母、数字和“-”，如 m01；不填时自动编号",
        ),
        ("东王庄村.xlsx:党员!B18: 错误: 这一行没有填写姓名", "每名党员一行；不是党员的行请删去"),
        ("东王庄村.xlsx:责任区!E3: 错误: 户数“三十六”不是整数", "填写户数，如 36；不清楚可以不填"),
        (
            "东王庄村.xlsx:责任区!F4: 错误: “张三”不在党员名单中",
            "写党员名单里的姓名，多名用顿号“、”分开；同名的写成“姓名（编号）”，如 王伟（m03）",
        ),
        ("东王庄村.xlsx:责任区!A5: 错误: 责任区编号“z1”重复", "每个责任区用不同的编号，如 z1、z2"),
        ("东王庄村.xlsx:岗位!C4: 错误: 没有填写岗位名称", "如 政策宣传岗、矛盾纠纷调解岗"),
        (
            "东王庄村.xlsx:履责记录!C3: 错误: 日期“2016-02-30”无效",
            "写成 2016-03-12、2016/3/12 或 2016年3月12日",
        ),
        (
            "东王庄村.xlsx:考核2016!D2: 错误: 公示天数和公示截止日期只能填一个",
            "填公示天数（如 7 或 5个工作日），或者填最后一天（如 2016-12-26）",
        ),
        (
            "东王庄村.xlsx:考核2016!G4: 错误: 等次“良好”不是规定的等次",
            "填写 优秀、合格、基本合格、不合格，或不填（按分数计算）",
        ),
        (
            "东王庄村.xlsx:考核2016!C5: 错误: 党员述评“105”不是 0 到 100 之间的数",
            "按百分制填写 0 到 100 之间的数，如 90 或 92.5",
        ),
        (
            "东王庄村.xlsx:考核2016!H6: 错误: 先锋岗位“也许”只能填“是”或“否”",
            "评为党员先锋岗位的填“是”，其他不填",
        ),
        (
            "东王庄村.xlsx:考核2016!D7: 错误: 群众测评“九十”不是 0 到 100 之间的数",
            "按百分制填写 0 到 100 之间的数，如 90 或 92.5",
        ),
        ("东王庄村.xlsx:考核2016!I8: 错误: 帮助或调整“表扬”无效", "填写“帮助”或“调整责任区”，不需要时不填"),
    ];
    for (line, hint) in expected {
        let hint = (!hint.is_empty()).then_some(*hint);
        if hint.is_some() {
            run.diagnostic(line, hint);
        } else {
            assert!(run.stderr.lines().any(|l| l == *line), "missing {line}\n{}", run.stderr);
        }
    }
    run.errors(expected.len());
    assert_eq!(run.stderr.lines().last(), Some("共 16 个错误，没有写入任何文件；content/ 没有改动"));
    assert_eq!(site.tree("content"), before, "content/ is byte-identical after a failed import");
}

#[test]
fn a_problem_found_by_loading_the_result_also_writes_nothing() {
    let site = Site::sample();
    site.run(&["template", "nanhe-zhen/dongwangzhuang-cun", "--output", "a.xlsx"]).code(0);
    site.run(&["template", "nanhe-zhen/xiguan-cun", "--output", "b.xlsx"]).code(0);
    // 西关村 has a notice that check refuses; importing both workbooks stops before either is written.
    site.write("content/nanhe-zhen/xiguan-cun/notices/2016-01-01-x.md", "没有标题和日期\n");
    // A change to 东王庄村 that would be written if the run went through.
    site.replace("content/nanhe-zhen/dongwangzhuang-cun/unit.yaml", "name: 王秀英,", "name: 王秀兰,");
    let before = site.tree("content");
    let run = site.run(&["import", "a.xlsx", "b.xlsx"]);
    run.code(1).diagnostic(
        "content/nanhe-zhen/xiguan-cun/notices/2016-01-01-x.md:1:1: 错误: 通知开头缺少 --- 包围的标题和日期",
        Some("文件开头写：\n---\ntitle: 通知标题\ndate: 2016-12-20\n---\n然后是正文"),
    );
    assert_eq!(site.tree("content"), before);
}

#[test]
fn a_reimport_says_what_changes_and_dry_run_writes_nothing() {
    let site = Site::sample();
    site.write(
        "roster.csv",
        &[
            "姓名,党小组,职务",
            "李建国,第一党小组（东街）,支部书记",
            "王秀兰,第一党小组（东街）,",
            "新来的,第四党小组,",
        ]
        .join("\n"),
    );
    site.replace("content/nanhe-zhen/dongwangzhuang-cun/unit.yaml", "name: 王秀英,", "name: 王秀兰,");
    let before = site.tree("content");
    let run = site.run(&["import", "roster.csv", "--unit", "nanhe-zhen/dongwangzhuang-cun", "--dry-run"]);
    run.code(0);
    let out = &run.stdout;
    assert!(out.contains("  新增党员 1 名：新来的（m15）\n"), "{out}");
    assert!(out.contains("  删去党员 12 名："), "{out}");
    assert!(out.contains("  新增党小组：第四党小组（g4）\n"), "{out}");
    assert!(out.contains("  党员信息有改动 1 名：王秀兰\n"), "{out}");
    assert!(out.ends_with("试运行：5 个文件会改动，没有写入任何文件\n"), "{out}");
    assert_eq!(site.tree("content"), before);
}

#[test]
fn a_name_that_fits_two_members_is_an_error() {
    let site = Site::sample();
    site.replace("content/nanhe-zhen/dongwangzhuang-cun/unit.yaml", "name: 赵桂兰,", "name: 李建国,");
    site.write("scores.csv", "姓名,党员述评,群众测评,组织考评\n李建国,90,90,90\n");
    let run =
        site.run(&["import", "scores.csv", "--unit", "nanhe-zhen/dongwangzhuang-cun", "--year", "2016"]);
    run.code(1).diagnostic(
        "scores.csv:A2: 错误: 姓名“李建国”有 2 名党员",
        Some("写成 李建国（m01） 或 李建国（m05）"),
    );
}

#[test]
fn template_then_import_of_every_sample_unit_leaves_the_site_byte_identical() {
    let site = Site::sample();
    site.build().code(0);
    let published = site.tree("output");
    let content = site.tree("content");
    let units: Vec<String> =
        content.keys().filter_map(|p| p.strip_suffix("/unit.yaml")).map(str::to_string).collect();
    assert_eq!(units.len(), 8);
    let mut books = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        let book = format!("{i}.xlsx");
        site.run(&["template", unit, "--output", &book]).code(0);
        books.push(book);
    }
    let mut args = vec!["import"];
    args.extend(books.iter().map(String::as_str));

    // Into the unchanged site: nothing to write, every file left as typed (comments included).
    let run = site.run(&args);
    run.code(0);
    assert_eq!(run.stdout.matches("  没有变化\n").count(), 8, "{}", run.stdout);
    assert_eq!(site.tree("content"), content);

    // From the workbooks alone: every unit's YAML written anew from the sheets.
    for unit in &units {
        site.write(&format!("content/{unit}/unit.yaml"), "name: 待导入\nkind: village\n");
        for file in ["zones.yaml", "posts.yaml", "assessments/2016.yaml"] {
            let _ = std::fs::remove_file(site.path(&format!("content/{unit}/{file}")));
        }
    }
    site.run(&args).code(0);
    site.run(&["check"]).code(0).warnings(0);
    site.build().code(0);
    let rebuilt = site.tree("output");
    assert_eq!(rebuilt.keys().collect::<Vec<_>>(), published.keys().collect::<Vec<_>>());
    for (path, bytes) in &published {
        assert!(rebuilt[path] == *bytes, "{path} differs after the round trip");
    }
}

#[test]
fn a_template_records_its_unit_and_has_lists_frozen_headers_and_a4() {
    let site = Site::sample();
    let run = site.run(&["template", "nanhe-zhen/dongwangzhuang-cun"]);
    run.code(0);
    assert_eq!(run.stdout, "已生成 东王庄村.xlsx；填好后运行 gongkai import 东王庄村.xlsx 导入\n");
    let mut book = calamine::open_workbook_auto(site.path("东王庄村.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["说明", "单位", "党小组", "党员", "责任区", "岗位", "履责记录", "考核2016"]
    );
    let guide = book.worksheet_range("说明").unwrap();
    assert_eq!(guide.get_value((1, 1)), Some(&Data::String("nanhe-zhen/dongwangzhuang-cun".into())));
    let scores = book.worksheet_range("考核2016").unwrap();
    assert_eq!(scores.get_value((2, 3)), Some(&Data::String("群众测评".into())));
    assert_eq!(scores.get_value((3, 1)), Some(&Data::String("李建国".into())));

    let xml = |sheet: usize| -> String {
        let file = std::fs::File::open(site.path("东王庄村.xlsx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut text = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{sheet}.xml")).unwrap().read_to_string(&mut text).unwrap();
        text
    };
    let members = xml(4);
    assert!(members.contains("<formula1>党小组!$B$3:$B$"), "party groups drop-down");
    assert!(members.contains("<formula1>\"是,否\"</formula1>"), "是/否 drop-down");
    assert!(members.contains("state=\"frozen\""), "frozen header");
    assert!(members.contains("paperSize=\"9\""), "A4");
    let scores = xml(8);
    assert!(scores.contains("<formula1>\"优秀,合格,基本合格,不合格\"</formula1>"), "grades drop-down");
    assert!(scores.contains("orientation=\"landscape\""));

    // It is not overwritten: it may have been filled in.
    site.run(&["template", "nanhe-zhen/dongwangzhuang-cun"]).code(2);
    // A unit that does not exist yet gets empty sheets; filled in, the workbook creates it.
    site.run(&["template", "nanhe-zhen/xinzhuang-cun"]).code(0);
    assert!(site.exists("xinzhuang-cun.xlsx"));
    let run = site.run(&["import", "xinzhuang-cun.xlsx"]);
    run.code(1).diagnostic(
        "content/nanhe-zhen/xinzhuang-cun: 错误: 单位 nanhe-zhen/xinzhuang-cun 还不存在",
        Some("新建单位时加上 --kind village --name 单位名称，或在工作簿的“单位”表里填写单位名称和类型"),
    );
}

/// A sheet of a workbook as text cells.
fn sheet_cells(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect()
}

#[test]
fn the_exported_workbook_reads_back_as_check_reports_it() {
    let site = Site::sample();
    let check = common::json(&site.run(&["check", "--format", "json"]).code(0).stdout);
    site.run(&["export"]).code(0);
    let path = site.path("公开情况汇总-2016.xlsx");
    let rows = sheet_cells(&path, "达标情况");
    assert!(rows[0][0].ends_with("2016 年度“三个内容公开”达标情况（可公开）"), "{}", rows[0][0]);
    let units = check["units"].as_array().unwrap();
    assert_eq!(rows.len() - 2, units.len());
    for unit in units {
        let row = rows.iter().find(|r| r[2] == unit["path"].as_str().unwrap()).expect("a row per unit");
        assert_eq!(row[1], unit["name"].as_str().unwrap());
        for (col, key) in [(5, "zones"), (6, "posts"), (7, "assessment"), (8, "supervision")] {
            assert_eq!(row[col] == "✓", unit[key]["ok"].as_bool().unwrap(), "{} {key}", row[1]);
        }
        assert_eq!(row[9] == "达标", unit["ok"].as_bool().unwrap());
        let reasons: Vec<String> = [
            ("zones", "责任区和党小组"),
            ("posts", "定岗履责"),
            ("assessment", "考核评比结果"),
            ("supervision", "群众监督渠道"),
        ]
        .iter()
        .flat_map(|(key, label)| {
            unit[key]["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| format!("{label}：{}", r.as_str().unwrap()))
        })
        .collect();
        assert_eq!(row[10], reasons.join("\n"));
    }
    let totals = sheet_cells(&path, "栏目汇总");
    let county = totals.iter().find(|r| r[0] == "全县合计").unwrap();
    let ok = units.iter().filter(|u| u["ok"] == true).count();
    assert_eq!(
        (county[1].as_str(), county[2].as_str()),
        (units.len().to_string().as_str(), ok.to_string().as_str())
    );

    // Grades and vanguards against what the built site publishes in each unit's data.json.
    site.build().code(0);
    let mut grades: BTreeMap<String, usize> = BTreeMap::new();
    let mut vanguards = Vec::new();
    for (file, bytes) in site.tree("output") {
        if !file.ends_with("/data.json") {
            continue;
        }
        let data: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        for a in data["assessments"].as_array().unwrap().iter().filter(|a| a["year"] == 2016) {
            for r in a["results"].as_array().unwrap() {
                *grades.entry(r["grade"].as_str().unwrap().to_string()).or_default() += 1;
                if r["vanguard"] == true {
                    let member =
                        data["members"].as_array().unwrap().iter().find(|m| m["id"] == r["member"]).unwrap();
                    vanguards.push(member["name"].as_str().unwrap().to_string());
                }
            }
        }
    }
    let distribution = sheet_cells(&path, "等次分布");
    let header = &distribution[1];
    let county = distribution.iter().find(|r| r[0] == "全县合计").unwrap();
    assert_eq!(county[1], grades.values().sum::<usize>().to_string());
    for (grade, count) in &grades {
        let col = header.iter().position(|h| *h == format!("{grade}人数")).unwrap();
        assert_eq!(county[col], count.to_string(), "{grade}");
    }
    let mut listed: Vec<String> =
        sheet_cells(&path, "先锋岗位").iter().skip(2).map(|r| r[2].clone()).collect();
    listed.sort();
    vanguards.sort();
    assert_eq!(listed, vanguards);

    // Masked as on the site; --internal shows all and says so on every sheet.
    let all: String = gongkai_sheets(&path).concat();
    assert!(!all.contains("13831601234"), "phones masked");
    site.run(&["export", "--internal", "--output", "内部.xlsx"]).code(0);
    let internal = site.path("内部.xlsx");
    for name in ["达标情况", "栏目汇总", "等次分布", "先锋岗位", "帮助和调整", "公示期"]
    {
        assert!(sheet_cells(&internal, name)[0][0].contains("仅供内部使用"), "{name}");
    }
    assert!(gongkai_sheets(&internal).concat().contains("13831601234"));
}

/// Every cell of every sheet, as text.
fn gongkai_sheets(path: &Path) -> Vec<String> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        cells.extend(range.rows().flat_map(|r| r.iter().map(|c| c.to_string())));
    }
    cells
}

#[test]
fn the_sample_county_ships_the_workbook_template_makes() {
    let site = Site::sample();
    site.run(&["template", "nanhe-zhen/dongwangzhuang-cun", "--output", "x.xlsx"]).code(0);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dongwangzhuang-cun.xlsx");
    assert!(
        std::fs::read(site.path("x.xlsx")).unwrap() == std::fs::read(shipped).unwrap(),
        "examples/dongwangzhuang-cun.xlsx is out of date; remake it with SOURCE_DATE_EPOCH={} gongkai \
         template nanhe-zhen/dongwangzhuang-cun --output examples/dongwangzhuang-cun.xlsx",
        site.epoch
    );
}
