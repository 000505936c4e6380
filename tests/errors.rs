//! Content errors (docs/design.md §4): each stops the build with exit code 1, names the file, line and
//! column with a plain message and a hint, and leaves the previously published site untouched.
//!
//! Most cases are the minimal fixture with one defect written into it here, so the defect is
//! visible next to the diagnostic it must produce.

mod common;

use common::{Run, Site, UNIT};

const END: &str = "共 1 个错误，未生成网站；已发布的内容没有改动";
const MEMBERS_HINT: &str =
    "已有的编号：m01（李建国）、m02（王秀英）、m03（张志强）、m04（赵桂兰）、m05（李德胜）";
const GROUPS_HINT: &str = "已有的编号：g1（第一党小组）、g2（第二党小组）";

/// Builds the good minimal site, applies `defect`, builds again: the build must fail with exactly
/// one error, `diagnostic` followed by `hint`, and leave `output/` byte for byte as it was.
/// `check` must report the same diagnostic.
#[track_caller]
fn rejects(defect: impl FnOnce(&Site), diagnostic: &str, hint: Option<&str>) -> Run {
    let (site, run) = rejected_by_build(defect, diagnostic, hint);
    let check = site.run(&["check"]);
    check.code(1).errors(1).diagnostic(diagnostic, hint);
    run
}

/// The build half of [`rejects`]; returns the site for further checks.
#[track_caller]
fn rejected_by_build(defect: impl FnOnce(&Site), diagnostic: &str, hint: Option<&str>) -> (Site, Run) {
    let site = Site::minimal();
    site.build_clean();
    let published = site.tree("output");
    assert!(published.contains_key("index.html"));

    defect(&site);
    let run = site.build();
    run.code(1).errors(1).diagnostic(diagnostic, hint);
    assert_eq!(run.stderr.lines().last(), Some(END), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "a failed build prints no summary");
    assert!(site.tree("output") == published, "a failed build must leave output/ byte-identical");
    assert_eq!(site.root_entries(), ["content", "output"], "no staging folder is left beside the output");
    (site, run)
}

fn unit(file: &str) -> String {
    format!("{UNIT}/{file}")
}

// --- files that do not parse ---------------------------------------------------------------

#[test]
fn yaml_syntax_error_names_line_column_and_what_to_check() {
    rejects(
        // An unquoted colon inside a value, the usual slip.
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", "    name: 西街片区: 试点\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:12:15: 错误: 这一行多了一个冒号，或者比上一行多缩进了",
        Some(
            "文字里有“: ”时，用引号把整段文字括起来，例如 name: \"西街片区: 试点\"；如果这是一个字段，让它与上一行的字段左端对齐",
        ),
    );
}

#[test]
fn unclosed_bracket_is_a_syntax_error() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", "[m03, m04"),
        // The parser notices on the next line, where the list runs into `area:`.
        "content/nanhe-zhen/dongwang/zones.yaml:15:9: 错误: 方括号“[”没有配对的“]”，或者两项之间少了英文逗号",
        Some("方括号要成对，各项之间用英文逗号“,”分开，例如 [m01, m02]"),
    );
}

#[test]
fn chinese_colon_after_a_key_is_pointed_at() {
    rejects(
        // A Chinese input method types `：`; the parser only notices on the next line.
        |s| s.replace(&unit("zones.yaml"), "    area: 西大街1号至30号\n", "    area：西大街1号至30号\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:15:9: 错误: 字段“area”后面用了中文冒号“：”",
        Some("改成英文冒号加一个空格，写成“area: 西大街1号至30号”"),
    );
}

#[test]
fn colon_without_a_space_after_a_key_is_pointed_at() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    area: 西大街1号至30号\n", "    area:西大街1号至30号\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:15:9: 错误: 字段“area”的冒号后面缺少空格",
        Some("在冒号后面加一个空格，写成“area: 西大街1号至30号”"),
    );
}

const ALIGN: &str = "同一层的内容要左端对齐：";

#[test]
fn key_indented_by_three_spaces_is_out_of_line_with_the_key_above() {
    // The parser used to end the entry here and report "缺少必填字段“group”".
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    group: g2\n", "   group: g2\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:13:4: 错误: “group”缩进了 3 个空格，与第 12 行的“name”（4 个空格）没有对齐",
        Some(&format!("{ALIGN}在“group”前面补上 1 个空格，与第 12 行的“name”对齐")),
    );
}

#[test]
fn key_indented_further_than_the_key_above() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "    joined: 2001\n", "      joined: 2001\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:19:7: 错误: “joined”比第 18 行的“group”多缩进了 2 个空格",
        Some(&format!("{ALIGN}删去“joined”前面多出的 2 个空格，与第 18 行的“group”对齐")),
    );
}

#[test]
fn list_entry_out_of_line_with_the_entry_above() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "  - id: z2\n", " - id: z2\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:11:2: 错误: “- ”缩进了 1 个空格，与第 2 行的“- ”（2 个空格）没有对齐",
        Some(&format!("{ALIGN}在“- ”前面补上 1 个空格，与第 2 行的“- ”对齐")),
    );
}

#[test]
fn list_entry_at_the_level_of_a_key_with_a_value() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    households: 30\n", "    households: 30\n    - 王志强\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:17:5: 错误: “- ”与第 16 行的“households”缩进相同，却不是同一种内容",
        Some(
            "“- ”列表写在一个冒号后面没有值的字段（如 partners:）下面，比字段多缩进两个空格；同一项里的字段与这一项第一个字段左端对齐",
        ),
    );
}

#[test]
fn key_indented_into_the_value_above_is_named_not_the_value() {
    // YAML reads `published: 2016-12-20` and the indented `notice_days` as one text; the date
    // check used to complain about “2016-12-20 notice_days”.
    rejects(
        |s| s.replace(&unit("assessments/2016.yaml"), "notice_days: 7", " notice_days: 7"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:3:2: 错误: “notice_days”比第 2 行的“published”多缩进了 1 个空格",
        Some(&format!("{ALIGN}删去“notice_days”前面多出的 1 个空格，与第 2 行的“published”对齐")),
    );
    // A top-level key one space in, after a list, lines up with nothing.
    rejects(
        |s| s.replace("content/site.yaml", "responsibilities:", " responsibilities:"),
        "content/site.yaml:15:2: 错误: “responsibilities”缩进了 1 个空格，与第 13 行的“rights”（0 个空格）没有对齐",
        Some(&format!("{ALIGN}删去“responsibilities”前面多出的 1 个空格，与第 13 行的“rights”对齐")),
    );
}

#[test]
fn full_width_spaces_in_the_indentation_are_named_and_located() {
    // U+3000, typed with a Chinese input method; the parser read `　　group` as a key of its own.
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    group: g2\n", "\u{3000}\u{3000}group: g2\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:13:1: 错误: “group”前面的缩进里有 2 个全角空格",
        Some(
            "全角空格（中文输入法打出的宽空格）看起来像空格，YAML 却不认：删掉这一行开头的空白，改用英文空格，与第 12 行的“name”对齐（4 个空格）",
        ),
    );
    rejects(
        |s| s.replace(&unit("unit.yaml"), "    joined: 2001\n", "  \u{3000}joined: 2001\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:19:3: 错误: “joined”前面的缩进里有 1 个全角空格",
        Some(
            "全角空格（中文输入法打出的宽空格）看起来像空格，YAML 却不认：删掉这一行开头的空白，改用英文空格，与第 18 行的“group”对齐（4 个空格）",
        ),
    );
}

#[test]
fn full_width_space_after_a_colon_is_named() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "name: 东王庄村\n", "name:\u{3000}东王庄村\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:1:5: 错误: 字段“name”的冒号后面是全角空格",
        Some("改成一个英文空格，写成“name: 东王庄村”"),
    );
}

#[test]
fn chinese_colon_after_a_member_name_key() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "    name: 王秀英\n", "    name：王秀英\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:17:9: 错误: 字段“name”后面用了中文冒号“：”",
        Some("改成英文冒号加一个空格，写成“name: 王秀英”"),
    );
    rejects(
        |s| s.replace(&unit("unit.yaml"), "  - id: m02\n", "  - id：m02\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:16:7: 错误: 字段“id”后面用了中文冒号“：”",
        Some("改成英文冒号加一个空格，写成“id: m02”"),
    );
}

#[test]
fn list_written_with_chinese_commas() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", "m03，m04"),
        "content/nanhe-zhen/dongwang/zones.yaml:14:14: 错误: “members”的各项之间用了中文逗号",
        Some("改成英文逗号，并用方括号括起来：members: [m03, m04]"),
    );
}

#[test]
fn dash_without_a_space() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "  - id: m02\n", "  -id: m02\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:16:4: 错误: 列表项的“-”后面缺少空格",
        Some("在“-”后面加一个空格，写成“- id: m02”"),
    );
}

#[test]
fn quotes_that_do_not_pair_on_their_line() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", "    name: \"西街片区\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:12:11: 错误: 字段“name”的值以引号开头，这一行里却没有配对的引号",
        Some("在文字末尾补上同样的引号，或者去掉开头的引号"),
    );
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", "    name: \"西街\"片区\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:12:11: 错误: 字段“name”的值在引号结束后还有文字“片区”",
        Some("整段文字都放在引号里，或者去掉引号"),
    );
}

#[test]
fn second_document_marker_in_a_file() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", "    name: 西街片区\n---\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:13:1: 错误: 文件中间有一行“---”，它后面的内容读不到",
        Some("一个文件只写一份内容：删去这一行"),
    );
}

#[test]
fn value_starting_with_a_yaml_symbol() {
    const QUOTE: &str = "以这个符号开头的文字要用引号括起来，例如 name: \"@东街\"";
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", "    name: @西街片区\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:12:11: 错误: 这一行的值以 YAML 的特殊符号开头（如 @、`、%、|、>）",
        Some(QUOTE),
    );
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", "    name: *西街片区\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:12:12: 错误: “&”或“*”开头的文字在 YAML 里有特殊含义",
        Some(QUOTE),
    );
}

/// Every slip above and a few more: the message is Chinese, never the parser's English.
#[test]
fn no_yaml_slip_prints_the_parser_english() {
    for (from, to) in [
        ("    group: g2\n", "\tgroup: g2\n"),
        ("    name: 西街片区\n", "    name: !西街片区\n"),
        ("    name: 西街片区\n", "    name: \"西\\q\"\n"),
        ("    name: 西街片区\n", "    name: { a: b\n"),
        ("    name: 西街片区\n", "    name: [a\n"),
        ("    name: 西街片区\n", "    name: |0\n"),
        ("    name: 西街片区\n", "    name: &\n"),
        ("    name: 西街片区\n", "    name: \"\\x\"\n"),
        ("    name: 西街片区\n", "    name: a\n  b: c: d\n"),
        ("[m03, m04]", "[m03, m04]]"),
        ("[m03, m04]", "{m03, m04"),
        ("  - id: z2\n", "  - id: z2\n  -\n"),
        ("  - id: z2\n", "%YAML 1.1\n  - id: z2\n"),
    ] {
        let site = Site::minimal();
        site.replace(&unit("zones.yaml"), from, to);
        let run = site.run(&["check"]);
        assert_eq!(run.code, 1, "`{to}` was accepted");
        for english in ["expected", "found", "allowed", "while", "scanning", "parsing", "invalid", "line "] {
            assert!(!run.stderr.contains(english), "`{to}` printed English:\n{}", run.stderr);
        }
    }
}

#[test]
fn brackets_nested_too_deep_are_refused_before_parsing() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", &format!("{}m03{}", "[".repeat(40), "]".repeat(40))),
        "content/nanhe-zhen/dongwang/zones.yaml:14:46: 错误: 方括号或花括号嵌套超过 32 层",
        Some("内容文件最多只套两三层；检查这里是否多写了“[”或“{”，或漏写了与之配对的“]”“}”"),
    );
}

#[test]
fn markdown_nested_too_deep_is_refused_when_read() {
    rejects(
        |s| s.write(&unit("index.md"), &format!("东王庄村\n\n{}深\n", "> ".repeat(120))),
        "content/nanhe-zhen/dongwang/index.md:3:201: 错误: Markdown 或 HTML 嵌套超过 100 层",
        Some(
            "列表、引用（>）或 HTML 标签套得太深，或有许多没有结束标签的 <b>、<i> 等；请改成平铺的段落，标签成对写",
        ),
    );
}

#[test]
fn look_alike_member_id_gets_a_did_you_mean() {
    rejects(
        // Full-width letters and digits look like ASCII in a Chinese font.
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", "[ｍ０３, m04]"),
        "content/nanhe-zhen/dongwang/zones.yaml:14:15: 错误: 责任区“西街片区”的党员“ｍ０３”不在党员名单中",
        Some(&format!("是不是“m03”（张志强）？{MEMBERS_HINT}")),
    );
}

#[test]
fn member_written_by_name_gets_the_id_with_the_name() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", "[张志强, m04]"),
        "content/nanhe-zhen/dongwang/zones.yaml:14:15: 错误: 责任区“西街片区”的党员“张志强”不在党员名单中",
        Some(&format!("是不是“m03”（张志强）？{MEMBERS_HINT}")),
    );
}

#[test]
fn member_id_without_its_leading_zero_gets_the_id_with_the_name() {
    rejects(
        |s| s.replace(&unit("posts.yaml"), "member: m01", "member: m1"),
        "content/nanhe-zhen/dongwang/posts.yaml:2:5: 错误: 岗位“政策宣传岗”的党员“m1”不在党员名单中",
        Some(&format!("是不是“m01”（李建国）？{MEMBERS_HINT}")),
    );
}

#[test]
fn member_ids_joined_by_a_chinese_comma_are_split_in_the_hint() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", "[m03，m04]"),
        "content/nanhe-zhen/dongwang/zones.yaml:14:15: 错误: 责任区“西街片区”的党员“m03，m04”不在党员名单中",
        Some(&format!(
            "编号之间用了中文逗号；是不是“m03”（张志强）、“m04”（赵桂兰）？改成英文逗号分开：[m03, m04]。{MEMBERS_HINT}"
        )),
    );
}

#[test]
fn group_written_by_name_gets_the_id_with_the_name() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "group: g2", "group: 第二党小组"),
        "content/nanhe-zhen/dongwang/zones.yaml:13:12: 错误: 责任区“西街片区”所属的党小组“第二党小组”不存在",
        Some(&format!("是不是“g2”（第二党小组）？{GROUPS_HINT}")),
    );
}

#[test]
fn wrong_type_is_explained_in_plain_words() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    households: 30\n", "    households: 三十\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:16:17: 错误: 这里应当是不小于 0 的整数，却写成了文字 \"三十\"",
        Some("检查这一行的写法；数字不加引号，列表用“- ”或 [a, b]"),
    );
}

#[test]
fn invalid_date_points_at_the_date() {
    rejects(
        |s| {
            s.replace(
                "content/notices/2016-03-15-quanxian-tuixing.md",
                "date: 2016-03-15",
                "date: 2016-02-30",
            )
        },
        // Line 1 is `---`, line 2 the title; the date's value starts in column 7 of line 3.
        "content/notices/2016-03-15-quanxian-tuixing.md:3:7: 错误: 日期“2016-02-30”无效，应写成 YYYY-MM-DD，例如 2016-12-20",
        None,
    );
}

#[test]
fn invalid_date_in_a_flow_mapping_points_at_the_date() {
    rejects(
        |s| s.replace(&unit("posts.yaml"), "2016-07-18", "2016-7-32"),
        "content/nanhe-zhen/dongwang/posts.yaml:20:17: 错误: 日期“2016-7-32”无效，应写成 YYYY-MM-DD，例如 2016-12-20",
        None,
    );
}

#[test]
fn missing_required_field_points_at_the_entry() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    name: 西街片区\n", ""),
        "content/nanhe-zhen/dongwang/zones.yaml:11:5: 错误: 缺少必填字段“name”",
        Some("在这一项里加上 name: …"),
    );
}

#[test]
fn missing_base_url_in_site_yaml() {
    rejects(
        |s| s.replace("content/site.yaml", "base_url: https://gongkai.example.gov.cn/\n", ""),
        "content/site.yaml:2:1: 错误: 缺少必填字段“base_url”",
        Some("在这一项里加上 base_url: …"),
    );
}

#[test]
fn unknown_field_typo_suggests_the_right_name() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "members: [m01, m02]", "memebers: [m01, m02]"),
        "content/nanhe-zhen/dongwang/zones.yaml:5:5: 错误: 未知字段“memebers”",
        Some(
            "是不是“members”？可用的字段：id、name、group、members、area、households、partners、description",
        ),
    );
}

#[test]
fn unknown_field_in_notice_front_matter_counts_lines_from_the_file_start() {
    rejects(
        |s| s.replace("content/notices/2016-03-15-quanxian-tuixing.md", "title:", "titel:"),
        "content/notices/2016-03-15-quanxian-tuixing.md:2:1: 错误: 未知字段“titel”",
        Some("是不是“title”？可用的字段：title、date、draft、issuer"),
    );
}

#[test]
fn indentation_slip_in_notice_front_matter_counts_lines_from_the_file_start() {
    rejects(
        |s| s.replace("content/notices/2016-03-15-quanxian-tuixing.md", "date:", "  date:"),
        "content/notices/2016-03-15-quanxian-tuixing.md:3:3: 错误: “date”比第 2 行的“title”多缩进了 2 个空格",
        Some("同一层的内容要左端对齐：删去“date”前面多出的 2 个空格，与第 2 行的“title”对齐"),
    );
}

// --- references ----------------------------------------------------------------------------

#[test]
fn unknown_member_in_zone_points_at_the_reference() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "[m03, m04]", "[m03, m09]"),
        "content/nanhe-zhen/dongwang/zones.yaml:14:20: 错误: 责任区“西街片区”的党员“m09”不在党员名单中",
        Some(MEMBERS_HINT),
    );
}

#[test]
fn unknown_member_in_block_list_points_at_its_own_line() {
    rejects(
        |s| {
            s.replace(
                &unit("zones.yaml"),
                "    members: [m03, m04]\n",
                "    members:\n      - m03\n      - m09\n",
            )
        },
        "content/nanhe-zhen/dongwang/zones.yaml:16:9: 错误: 责任区“西街片区”的党员“m09”不在党员名单中",
        Some(MEMBERS_HINT),
    );
}

#[test]
fn unknown_group_of_zone_points_at_the_reference() {
    rejects(
        |s| s.replace(&unit("zones.yaml"), "    group: g2\n", "    group: g3\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:13:12: 错误: 责任区“西街片区”所属的党小组“g3”不存在",
        Some(GROUPS_HINT),
    );
}

#[test]
fn unknown_group_of_member_points_at_the_reference() {
    rejects(
        |s| {
            s.replace(
                &unit("unit.yaml"),
                "    name: 张志强\n    group: g2\n",
                "    name: 张志强\n    group: g7\n",
            )
        },
        "content/nanhe-zhen/dongwang/unit.yaml:22:12: 错误: 党员“张志强”所在的党小组“g7”不存在",
        Some(GROUPS_HINT),
    );
}

#[test]
fn unknown_group_leader_points_at_the_reference() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "leader: m04", "leader: m44"),
        "content/nanhe-zhen/dongwang/unit.yaml:8:36: 错误: 党小组“第二党小组”的组长“m44”不在党员名单中",
        Some(MEMBERS_HINT),
    );
}

#[test]
fn unknown_member_in_posts() {
    rejects(
        |s| s.replace(&unit("posts.yaml"), "  - member: m03\n", "  - member: m33\n"),
        "content/nanhe-zhen/dongwang/posts.yaml:15:5: 错误: 岗位“环境卫生监督岗”的党员“m33”不在党员名单中",
        Some(MEMBERS_HINT),
    );
}

#[test]
fn unknown_member_in_assessment() {
    rejects(
        |s| s.replace(&unit("assessments/2016.yaml"), "  - member: m03\n", "  - member: m33\n"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:15:5: 错误: 考核结果中的党员“m33”不在党员名单中",
        Some(MEMBERS_HINT),
    );
}

// --- duplicates ----------------------------------------------------------------------------

#[test]
fn duplicate_member_id_points_at_the_second_one() {
    rejects(
        |s| s.append(&unit("unit.yaml"), "  - { id: m02, name: 孙大伟, group: g1 }\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:35:7: 错误: 党员编号“m02”重复",
        Some("每名党员用不同的编号，如 m01、m02"),
    );
}

#[test]
fn duplicate_zone_id_points_at_the_second_one() {
    rejects(
        |s| {
            s.append(
                &unit("zones.yaml"),
                "  - id: z1\n    name: 北街片区\n    group: g1\n    members: [m01]\n",
            )
        },
        "content/nanhe-zhen/dongwang/zones.yaml:17:5: 错误: 责任区编号“z1”重复",
        Some("每个责任区用不同的编号，如 z1、z2"),
    );
}

#[test]
fn duplicate_group_id() {
    rejects(
        // A third group under an id already taken.
        |s| s.replace(&unit("unit.yaml"), "members:\n", "  - { id: g1, name: 第三党小组 }\nmembers:\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:9:7: 错误: 党小组编号“g1”重复",
        Some("每个党小组用不同的编号，如 g1、g2"),
    );
}

#[test]
fn second_post_for_a_member() {
    rejects(
        |s| s.append(&unit("posts.yaml"), "  - member: m01\n    title: 联系群众岗\n    duties: [收集意见]\n"),
        "content/nanhe-zhen/dongwang/posts.yaml:27:5: 错误: 党员“m01”设了两个岗位",
        Some("每名党员一个岗位；把职责合并到同一个岗位里"),
    );
}

#[test]
fn second_result_for_a_member() {
    rejects(
        |s| {
            s.append(
                &unit("assessments/2016.yaml"),
                "  - member: m02\n    self: 80\n    masses: 85\n    organization: 88\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:25:5: 错误: 党员“m02”的考核结果写了两次",
        Some("删去多余的一条"),
    );
}

// --- scores and settings -------------------------------------------------------------------

#[test]
fn score_above_100() {
    rejects(
        |s| s.replace(&unit("assessments/2016.yaml"), "    masses: 66\n", "    masses: 106\n"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:17:5: 错误: 群众测评分数 106 超出 0–100",
        Some("分数按百分制填写"),
    );
}

#[test]
fn score_below_0() {
    rejects(
        |s| s.replace(&unit("assessments/2016.yaml"), "    self: 70\n", "    self: -5\n"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:16:5: 错误: 党员述评分数 -5 超出 0–100",
        Some("分数按百分制填写"),
    );
}

#[test]
fn weights_not_summing_to_one() {
    rejects(
        |s| s.replace("content/site.yaml", "organization: 0.4 }", "organization: 0.3 }"),
        "content/site.yaml:7:3: 错误: 三项考核的权重之和应为 1，现在是 0.9",
        Some("例如 weights: { self: 0.2, masses: 0.4, organization: 0.4 }"),
    );
}

#[test]
fn year_not_matching_file_name() {
    rejects(
        |s| s.replace(&unit("assessments/2016.yaml"), "year: 2016\n", "year: 2015\n"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:1:1: 错误: 年份 2015 与文件名 2016.yaml 不一致",
        Some("改成 year: 2016，或把文件改名为 2015.yaml"),
    );
}

// --- names ---------------------------------------------------------------------------------

#[test]
fn unit_folder_name_not_a_slug() {
    rejects(
        |s| s.rename(UNIT, "content/nanhe-zhen/DongWang_Zhuang"),
        "content/nanhe-zhen/DongWang_Zhuang: 错误: 名称“DongWang_Zhuang”不能用作网址",
        Some("只用小写英文字母、数字和“-”（通常写拼音），例如“dongwang-zhuang”"),
    );
}

#[test]
fn section_folder_name_not_a_slug() {
    rejects(
        |s| s.rename("content/nanhe-zhen", "content/Nanhe Zhen"),
        "content/Nanhe Zhen: 错误: 名称“Nanhe Zhen”不能用作网址",
        Some("只用小写英文字母、数字和“-”（通常写拼音），例如“nanhe-zhen”"),
    );
}

#[test]
fn notice_file_name_not_a_slug() {
    rejects(
        |s| {
            s.rename(
                "content/notices/2016-03-15-quanxian-tuixing.md",
                "content/notices/2016-03-15_TuiXing.md",
            )
        },
        "content/notices/2016-03-15_TuiXing.md: 错误: 名称“2016-03-15_TuiXing”不能用作网址",
        Some("只用小写英文字母、数字和“-”（通常写拼音），例如“2016-03-15-tuixing”"),
    );
}

// --- personal data -------------------------------------------------------------------------

const ID_MESSAGE: &str = "错误: 内容中有居民身份证号码，不能公开";
const ID_HINT: &str = "删去身份证号码；公开内容只需姓名、岗位和考核结果";

#[test]
fn identity_number_in_yaml_free_text() {
    rejects(
        |s| {
            s.replace(
                &unit("posts.yaml"),
                "走访责任区农户28户，宣讲新农合政策",
                "核实身份证 11010519491231002X 后走访",
            )
        },
        &format!("content/nanhe-zhen/dongwang/posts.yaml:8:44: {ID_MESSAGE}"),
        Some(ID_HINT),
    );
}

#[test]
fn identity_number_in_markdown() {
    rejects(
        |s| s.append(&unit("index.md"), "联系人身份证号11010519491231002x。\n"),
        &format!("content/nanhe-zhen/dongwang/index.md:2:8: {ID_MESSAGE}"),
        Some(ID_HINT),
    );
}

#[test]
fn identity_number_in_a_field_of_its_own() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "    role: 支部书记\n", "    role: \"11010519491231002X\"\n"),
        &format!("content/nanhe-zhen/dongwang/unit.yaml:13:12: {ID_MESSAGE}"),
        Some(ID_HINT),
    );
}

#[test]
fn identity_number_in_a_yaml_comment() {
    rejects(
        |s| s.append(&unit("zones.yaml"), "# 王志强 11010519491231002X\n"),
        &format!("content/nanhe-zhen/dongwang/zones.yaml:17:7: {ID_MESSAGE}"),
        Some(ID_HINT),
    );
}

#[test]
fn eighteen_digits_without_a_valid_check_digit_are_not_an_identity_number() {
    let site = Site::minimal();
    site.replace(&unit("posts.yaml"), "走访责任区农户28户", "走访农户，登记编号110105194912310021");
    site.build_clean();
    assert!(site.output("output/nanhe-zhen/dongwang/posts/index.html").contains("110105194912310021"));
}

// --- encodings -----------------------------------------------------------------------------

#[test]
fn gbk_file_is_named_with_how_to_save_as_utf8() {
    // tests/fixtures/gbk/unit.yaml is the minimal unit.yaml saved as GBK, as Notepad on a
    // Chinese Windows does by default.
    let gbk = std::fs::read(common::fixtures().join("gbk/unit.yaml")).unwrap();
    assert!(std::str::from_utf8(&gbk).is_err(), "the fixture must not be UTF-8");
    let run = rejects(
        |s| s.write_bytes(&unit("unit.yaml"), &gbk),
        "content/nanhe-zhen/dongwang/unit.yaml:1:7: 错误: 文件不是 UTF-8 编码（看起来是 GBK，Windows 中文版的默认编码）",
        Some(
            "请把文件另存为 UTF-8 编码：记事本选“另存为”→编码“UTF-8”；VS Code 点右下角的编码→“通过编码保存”→“UTF-8”",
        ),
    );
    assert!(run.stderr.contains("GBK"));
}

#[test]
fn utf16_file_is_named() {
    let text = "name: 东王庄村\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    rejects(
        |s| s.write_bytes(&unit("index.md"), &bytes),
        "content/nanhe-zhen/dongwang/index.md:1:1: 错误: 文件是 UTF-16 编码，不是 UTF-8",
        Some(
            "请把文件另存为 UTF-8 编码：记事本选“另存为”→编码“UTF-8”；VS Code 点右下角的编码→“通过编码保存”→“UTF-8”",
        ),
    );
}

#[test]
fn utf8_bom_and_crlf_line_ends_are_accepted() {
    let plain = Site::minimal();
    plain.build_clean();

    // What Notepad writes: a byte order mark and CRLF line ends, in every kind of file.
    let windows = Site::minimal();
    for file in [
        "content/site.yaml",
        "content/index.md",
        "content/notices/2016-03-15-quanxian-tuixing.md",
        "content/nanhe-zhen/section.yaml",
        "content/nanhe-zhen/dongwang/unit.yaml",
        "content/nanhe-zhen/dongwang/zones.yaml",
        "content/nanhe-zhen/dongwang/posts.yaml",
        "content/nanhe-zhen/dongwang/assessments/2016.yaml",
        "content/nanhe-zhen/dongwang/notices/2016-12-20-kaohe-gongshi.md",
    ] {
        let text = windows.read(file).replace('\n', "\r\n");
        windows.write_bytes(file, &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
    }
    windows.build_clean();
    let (a, b) = (plain.tree("output"), windows.tree("output"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs with BOM and CRLF");
    }
}

#[test]
fn bom_does_not_shift_error_columns() {
    rejects(
        |s| {
            let text = s.read(&unit("zones.yaml")).replace("[m03, m04]", "[m03, m09]");
            s.write_bytes(&unit("zones.yaml"), &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
        },
        "content/nanhe-zhen/dongwang/zones.yaml:14:20: 错误: 责任区“西街片区”的党员“m09”不在党员名单中",
        Some(MEMBERS_HINT),
    );
}

#[test]
fn layout_slips_are_placed_right_with_a_bom_and_crlf_line_ends() {
    rejects(
        |s| {
            let text = s
                .read(&unit("zones.yaml"))
                .replace("    group: g2\n", "   group: g2\n")
                .replace('\n', "\r\n");
            s.write_bytes(&unit("zones.yaml"), &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
        },
        "content/nanhe-zhen/dongwang/zones.yaml:13:4: 错误: “group”缩进了 3 个空格，与第 12 行的“name”（4 个空格）没有对齐",
        Some(&format!("{ALIGN}在“group”前面补上 1 个空格，与第 12 行的“name”对齐")),
    );
    rejects(
        |s| {
            let text =
                s.read(&unit("unit.yaml")).replace("kind: village", "kind：village").replace('\n', "\r\n");
            s.write_bytes(&unit("unit.yaml"), &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
        },
        "content/nanhe-zhen/dongwang/unit.yaml:2:5: 错误: 字段“kind”后面用了中文冒号“：”",
        Some("改成英文冒号加一个空格，写成“kind: village”"),
    );
}

// --- several at once -----------------------------------------------------------------------

#[test]
fn errors_in_several_files_are_all_reported_sorted_by_file() {
    let site = Site::minimal();
    site.build_clean();
    let published = site.tree("output");

    site.replace("content/site.yaml", "organization: 0.4 }", "organization: 0.3 }");
    site.replace(&unit("zones.yaml"), "[m03, m04]", "[m03, m09]");
    site.replace(&unit("posts.yaml"), "  - member: m03\n", "  - member: m33\n");
    site.replace(&unit("assessments/2016.yaml"), "    masses: 66\n", "    masses: 106\n");
    site.replace(&unit("index.md"), "全村党员5名", "身份证11010519491231002X");

    for run in [site.build(), site.run(&["check"])] {
        run.code(1);
        assert_eq!(
            run.diagnostics(),
            [
                "content/nanhe-zhen/dongwang/assessments/2016.yaml:17:5: 错误: 群众测评分数 106 超出 0–100",
                "content/nanhe-zhen/dongwang/index.md:1:16: 错误: 内容中有居民身份证号码，不能公开",
                "content/nanhe-zhen/dongwang/posts.yaml:15:5: 错误: 岗位“环境卫生监督岗”的党员“m33”不在党员名单中",
                "content/nanhe-zhen/dongwang/zones.yaml:14:20: 错误: 责任区“西街片区”的党员“m09”不在党员名单中",
                "content/site.yaml:7:3: 错误: 三项考核的权重之和应为 1，现在是 0.9",
            ]
        );
        assert_eq!(run.stderr.lines().last(), Some("共 5 个错误，未生成网站；已发布的内容没有改动"));
    }
    assert!(site.tree("output") == published);
}

#[test]
fn errors_in_two_units_are_all_reported() {
    let site = Site::minimal();
    common::copy_dir(&site.path(UNIT), &site.path("content/nanhe-zhen/xiguan"));
    site.replace("content/nanhe-zhen/xiguan/zones.yaml", "[m03, m04]", "[m03, m09]");
    site.replace(&unit("zones.yaml"), "    group: g2\n", "    group: g3\n");
    let run = site.build();
    run.code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/nanhe-zhen/dongwang/zones.yaml:13:12: 错误: 责任区“西街片区”所属的党小组“g3”不存在",
            "content/nanhe-zhen/xiguan/zones.yaml:14:20: 错误: 责任区“西街片区”的党员“m09”不在党员名单中",
        ]
    );
}

// --- other stops that must not touch the published site ------------------------------------

#[test]
fn template_error_stops_the_build_and_keeps_the_old_site() {
    let site = Site::minimal();
    site.build_clean();
    let published = site.tree("output");
    // A theme override that fails only while rendering a page.
    site.write(
        "themes/default/templates/zones.html",
        "{% extends \"base.html\" %}{% block content %}{{ nosuch.field }}{% endblock content %}",
    );
    let run = site.build();
    run.code(1).errors(1);
    assert!(run.stderr.contains("模板出错"), "{}", run.stderr);
    assert!(run.stderr.contains("zones.html:1:48"), "{}", run.stderr);
    assert!(site.tree("output") == published);
    assert_eq!(site.root_entries(), ["content", "output", "themes"]);
}

const NO_THEME: &str = "content/site.yaml: 错误: 找不到主题文件夹 themes/nosuch/";
const NO_THEME_HINT: &str = "新建这个文件夹并放入要替换的模板，或删去 site.yaml 里的 theme";

#[test]
fn unknown_theme_is_an_error() {
    rejected_by_build(|s| s.append("content/site.yaml", "theme: nosuch\n"), NO_THEME, Some(NO_THEME_HINT));
}

// --- more rules of the format (docs/content-format.md §14) -----------------------------------

#[test]
fn unknown_kind_lists_the_kinds() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "kind: village\n", "kind: villiage\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:2:7: 错误: 取值“villiage”无效",
        Some("可选的值：village、community、agency、enterprise、school"),
    );
}

#[test]
fn member_id_not_a_slug() {
    rejects(
        |s| s.append(&unit("unit.yaml"), "  - { id: M06, name: 孙大伟, group: g1 }\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:35:7: 错误: 党员编号“M06”不能用作网址",
        Some("只用小写英文字母、数字和“-”，例如“m06”"),
    );
}

#[test]
fn zone_id_not_a_slug() {
    // Zone ids name the zone sign's address, signs/<id>/.
    rejects(
        |s| s.replace(&unit("zones.yaml"), "  - id: z1\n", "  - id: Z 1\n"),
        "content/nanhe-zhen/dongwang/zones.yaml:2:5: 错误: 责任区编号“Z 1”不能用作网址",
        Some("只用小写英文字母、数字和“-”，例如“z-1”"),
    );
}

#[test]
fn notice_days_and_until_together() {
    rejects(
        |s| {
            s.replace(
                &unit("assessments/2016.yaml"),
                "notice_days: 7\n",
                "notice_days: 7\nuntil: 2016-12-26\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:4:1: 错误: notice_days 和 until 只能写一个",
        Some(PERIOD_HINT),
    );
}

// --- notice periods in working days (content/holidays.yaml) --------------------------------

const PERIOD_HINT: &str =
    "公示天数写 notice_days: 7，按工作日数写 notice_workdays: 5，或者写最后一天 until: 2016-12-26";
const CALENDAR: &str = "content/holidays.yaml";

#[test]
fn notice_days_and_notice_workdays_together() {
    rejects(
        |s| {
            s.write(CALENDAR, "2016:\n  休息: [2016-10-01 至 2016-10-07]\n");
            s.replace(
                &unit("assessments/2016.yaml"),
                "notice_days: 7\n",
                "notice_days: 7\nnotice_workdays: 5\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:4:1: 错误: notice_days 和 notice_workdays 只能写一个",
        Some(PERIOD_HINT),
    );
}

#[test]
fn all_three_lengths_together() {
    rejects(
        |s| {
            s.write(CALENDAR, "2016:\n  休息: [2016-10-01 至 2016-10-07]\n");
            s.replace(
                &unit("assessments/2016.yaml"),
                "notice_days: 7\n",
                "notice_workdays: 5\nuntil: 2016-12-26\nnotice_days: 7\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:4:1: 错误: notice_days、until 和 notice_workdays 只能写一个",
        Some(PERIOD_HINT),
    );
}

#[test]
fn working_days_need_a_calendar() {
    rejects(
        |s| s.replace(&unit("assessments/2016.yaml"), "notice_days: 7\n", "notice_workdays: 5\n"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:3:1: 错误: 按工作日计算公示期要用节假日安排，可是没有 content/holidays.yaml",
        Some(
            "新建 content/holidays.yaml，照国务院办公厅的放假通知写上 2016 年的“休息”和“调休上班”日期（见 docs/content-format.md 第 10.4 节）；或者改写 notice_days 或 until",
        ),
    );
}

#[test]
fn working_days_into_a_year_the_calendar_lacks() {
    // Wednesday 28 December: 28, 29, 30, then the count runs into 2017, which has no heading.
    rejects(
        |s| {
            s.write(
                CALENDAR,
                "2016:\n  休息: [2016-10-01 至 2016-10-07]\n  调休上班: [2016-10-08, 2016-10-09]\n",
            );
            s.replace(
                &unit("assessments/2016.yaml"),
                "published: 2016-12-20\nnotice_days: 7\n",
                "published: 2016-12-28\nnotice_workdays: 5\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:3:1: 错误: content/holidays.yaml 里没有 2017 年的放假安排，数不出 5 个工作日的公示期",
        Some(
            "在 content/holidays.yaml 里加上“2017:”，照国务院办公厅2017年部分节假日安排的通知写上“休息”和“调休上班”的日期",
        ),
    );
}

#[test]
fn calendar_date_that_does_not_exist() {
    rejects(
        |s| s.write(CALENDAR, "# 2016 年\n2016:\n  休息:\n    - 2016-10-01 至 2016-10-32\n"),
        "content/holidays.yaml:4:7: 错误: 日期“2016-10-32”无效，应写成 YYYY-MM-DD，例如 2016-10-01",
        Some("一天写成 2016-10-01，连续几天写成 2016-10-01 至 2016-10-07"),
    );
}

#[test]
fn calendar_date_under_the_wrong_year() {
    rejects(
        |s| s.write(CALENDAR, "2016:\n  休息: [2016-10-01 至 2016-10-07]\n  调休上班: [2017-10-08]\n"),
        "content/holidays.yaml:3:10: 错误: “2017-10-08”不在 2016 年",
        Some("核对年份，或者把它写到“2017:”下面"),
    );
}

#[test]
fn calendar_day_both_off_and_worked() {
    rejects(
        |s| {
            s.write(
                CALENDAR,
                "2016:\n  休息: [2016-10-01 至 2016-10-07]\n  调休上班: [2016-10-08, 2016-10-07]\n",
            )
        },
        "content/holidays.yaml:3:22: 错误: 2016-10-07 既写在“休息”里，又写在“调休上班”里",
        Some("第 2 行第 8 列把它算作休息；按国务院办公厅的放假通知核对，删去写错的一处"),
    );
}

#[test]
fn notice_period_ending_before_it_starts() {
    let (_, run) = rejected_by_build(
        |s| s.replace(&unit("assessments/2016.yaml"), "notice_days: 7\n", "until: 2016-12-10\n"),
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:3:1: 错误: 公示截止日 2016-12-10 早于公示开始日 2016-12-20",
        None,
    );
    assert!(run.stderr.contains("公示截止日"));
}

#[test]
fn reserved_folder_name_at_the_top() {
    rejects(
        |s| s.rename("content/nanhe-zhen", "content/about"),
        "content/about: 错误: 文件夹名“about”是网站保留的地址",
        Some("换一个名字，例如 about-1"),
    );
}

#[test]
fn unit_outside_any_section() {
    rejects(
        |s| s.rename(UNIT, "content/dongwang"),
        "content/dongwang/unit.yaml: 错误: 单位必须放在栏目（乡镇、工委等）文件夹里",
        Some("新建一个栏目文件夹并放入 section.yaml，再把这个单位移进去"),
    );
}

#[test]
fn folder_that_is_neither_section_nor_unit() {
    rejects(
        |s| s.write("content/nanhe-zhen/xicun/readme.md", "还没写完\n"),
        "content/nanhe-zhen/xicun: 错误: 文件夹里既没有 section.yaml 也没有 unit.yaml",
        Some(
            "栏目（乡镇、工委）文件夹放 section.yaml，单位文件夹放 unit.yaml；不需要的文件夹请移出 content/",
        ),
    );
}

#[test]
fn assessment_file_not_named_by_year() {
    rejects(
        |s| s.rename(&unit("assessments/2016.yaml"), &unit("assessments/2016-kaohe.yaml")),
        "content/nanhe-zhen/dongwang/assessments/2016-kaohe.yaml: 错误: 考核结果文件应以年份命名",
        Some("例如 assessments/2016.yaml"),
    );
}

#[test]
fn base_url_without_scheme() {
    rejects(
        |s| s.replace("content/site.yaml", "base_url: https://gongkai", "base_url: gongkai"),
        "content/site.yaml:3:1: 错误: base_url“gongkai.example.gov.cn/”不是网址：应以 https:// 或 http:// 开头，不含空格、换行和引号",
        Some("写网站发布后的完整地址，例如 https://gongkai.example.gov.cn/"),
    );
}

#[test]
fn grades_out_of_order() {
    rejects(
        |s| s.replace("content/site.yaml", "{ name: 合格, min: 70 }", "{ name: 合格, min: 95 }"),
        "content/site.yaml:8:3: 错误: 等次应从高到低排列，分数线逐项降低",
        Some("例如 优秀 90、合格 70、基本合格 60、不合格 0"),
    );
}

#[test]
fn excellent_cap_out_of_range() {
    rejects(
        |s| s.replace("content/site.yaml", "  year: 2016\n", "  year: 2016\n  excellent_cap: 33\n"),
        "content/site.yaml:7:3: 错误: excellent_cap 应在 0 到 1 之间",
        Some("默认 0.3333（三分之一）"),
    );
}

#[test]
fn missing_site_yaml() {
    rejects(
        |s| std::fs::remove_file(s.path("content/site.yaml")).unwrap(),
        "content/site.yaml: 错误: 缺少这个文件",
        Some("参照 docs/content-format.md 新建它"),
    );
}

#[test]
fn notice_without_front_matter() {
    rejects(
        |s| s.write("content/notices/2016-12-01-tongzhi.md", "关于开会的通知\n"),
        "content/notices/2016-12-01-tongzhi.md:1:1: 错误: 通知开头缺少 --- 包围的标题和日期",
        Some("文件开头写：\n---\ntitle: 通知标题\ndate: 2016-12-20\n---\n然后是正文"),
    );
}

// --- known bugs ----------------------------------------------------------------------------

#[test]
fn duplicate_right_after_its_twin_points_at_the_second_group() {
    rejects(
        |s| s.replace(&unit("unit.yaml"), "members:\n", "  - { id: g2, name: 第三党小组 }\nmembers:\n"),
        "content/nanhe-zhen/dongwang/unit.yaml:9:7: 错误: 党小组编号“g2”重复",
        Some("每个党小组用不同的编号，如 g1、g2"),
    );
}

#[test]
fn duplicate_right_after_its_twin_points_at_the_second_result() {
    rejects(
        |s| {
            s.append(
                &unit("assessments/2016.yaml"),
                "  - member: m04\n    self: 85\n    masses: 80\n    organization: 75\n",
            )
        },
        "content/nanhe-zhen/dongwang/assessments/2016.yaml:25:5: 错误: 党员“m04”的考核结果写了两次",
        Some("删去多余的一条"),
    );
}

#[test]
fn field_written_twice() {
    rejects(
        |s| {
            s.replace(&unit("zones.yaml"), "    households: 30\n", "    households: 30\n    households: 31\n")
        },
        "content/nanhe-zhen/dongwang/zones.yaml:17:5: 错误: 字段“households”写了两次",
        Some("删去其中一个"),
    );
}
