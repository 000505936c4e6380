//! The parser's and serde's messages in plain Chinese, each with what to do.

use super::closest;

/// Turns a serde_yaml message into a plain Chinese one and a hint.
pub(super) fn plain_words(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = split_name(rest);
        let known = backticked(expected);
        let hint = match closest(field, &known) {
            Some(near) => format!("是不是“{near}”？可用的字段：{}", known.join("、")),
            None => format!("可用的字段：{}", known.join("、")),
        };
        return (format!("未知字段“{field}”"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let (field, _) = split_name(rest);
        return (format!("缺少必填字段“{field}”"), Some(format!("在这一项里加上 {field}: …")));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = split_name(rest);
        let known = backticked(expected);
        return (format!("取值“{value}”无效"), Some(format!("可选的值：{}", known.join("、"))));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return (
            format!("这里应当是{}，却写成了{}", kind_name(expected), kind_name(found)),
            Some("检查这一行的写法；数字不加引号，列表用“- ”或 [a, b]".into()),
        );
    }

    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let (field, _) = split_name(rest);
        return (format!("字段“{field}”写了两次"), Some("删去其中一个".into()));
    }
    if message.contains("tab character") {
        return (
            "缩进里有 Tab 字符".into(),
            Some("YAML 只能用空格缩进：把这一行开头的 Tab 换成空格（编辑器里可设置“用空格代替 Tab”）".into()),
        );
    }
    if message.contains("recursion limit") || message.contains("repetition limit") {
        return (
            "YAML 嵌套或别名展开过深".into(),
            Some("内容文件不需要锚点（&）和别名（*）；请直接写出内容".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return (
            format!("这里应当是{}，却写成了{}", kind_name(expected), kind_name(found)),
            Some("检查这一行的写法".into()),
        );
    }
    if message.starts_with("invalid length") {
        return ("这里的项数不对".into(), Some("检查这一项下面列出的内容是否多写或少写".into()));
    }
    if let Some((text, hint)) = syntax_words(message) {
        return (text.into(), Some(hint.into()));
    }
    if message.is_ascii() {
        return ("YAML 格式有误".into(), Some(GENERAL.into()));
    }
    // Our own messages (dates, encodings) are already in plain words.
    (message.to_string(), None)
}

const GENERAL: &str = "检查这一行和上一行：缩进是否对齐（只用英文空格），冒号是否是英文冒号并且后面有空格；含有冒号、# 或以符号开头的文字请用引号括起来";

/// The parser's (libyaml's) complaints about syntax, by the words they start with. A slip in
/// indentation or in a colon is usually found earlier by `layout`; these are for the rest.
fn syntax_words(message: &str) -> Option<(&'static str, &'static str)> {
    const QUOTE: &str = "以这个符号开头的文字要用引号括起来，例如 name: \"@东街\"";
    let table: &[(&str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "这一行多了一个冒号，或者比上一行多缩进了",
            "文字里有“: ”时，用引号把整段文字括起来，例如 name: \"西街片区: 试点\"；如果这是一个字段，让它与上一行的字段左端对齐",
        ),
        (
            "did not find expected key",
            "这一行与上面的字段没有对齐，或者上面有没有配对的引号",
            "同一层的字段左端对齐，只用英文空格缩进；引号要成对",
        ),
        (
            "did not find expected '-' indicator",
            "这一行与上面的列表项没有对齐",
            "同一项里的字段左端对齐，只用英文空格缩进；新的一项以“- ”开头，与上一项的“- ”对齐",
        ),
        (
            "block sequence entries are not allowed",
            "这里不能以“- ”开始列表",
            "列表写在字段下面另起一行，“- ”比字段多缩进两个空格；或者写成 [a, b]",
        ),
        (
            "did not find expected ',' or ']'",
            "方括号“[”没有配对的“]”，或者两项之间少了英文逗号",
            "方括号要成对，各项之间用英文逗号“,”分开，例如 [m01, m02]",
        ),
        (
            "did not find expected ',' or '}'",
            "花括号“{”没有配对的“}”，或者两项之间少了英文逗号",
            "花括号要成对，各项之间用英文逗号“,”分开，例如 { name: 王志强, role: 村民代表 }",
        ),
        (
            "could not find expected ':'",
            "这一行缺少英文冒号“:”",
            "字段写成“字段: 值”，冒号是英文冒号，后面加一个空格",
        ),
        ("found unexpected ':'", "这里的冒号用法不对", "文字里有冒号时，用引号把整段文字括起来"),
        (
            "mapping keys are not allowed",
            "这一行的写法不对",
            "字段写成“字段: 值”；以“?”开头的文字要用引号括起来",
        ),
        (
            "found character that cannot start any token",
            "这一行的值以 YAML 的特殊符号开头（如 @、`、%、|、>）",
            QUOTE,
        ),
        (
            "did not find expected node content",
            "这里缺少内容，或者以 YAML 的特殊符号开头",
            "在冒号或“- ”后面写上内容；以符号开头的文字要用引号括起来",
        ),
        (
            "found unexpected end of stream",
            "文件结束时还有没写完的内容：引号或括号没有配对",
            "检查引号和括号是否成对",
        ),
        (
            "found unknown escape character",
            "双引号里的反斜杠“\\”用法不对",
            "文字里有反斜杠时改用单引号括起来，或者写成两个反斜杠“\\\\”",
        ),
        (
            "found invalid Unicode character escape code",
            "双引号里的反斜杠“\\”用法不对",
            "文字里有反斜杠时改用单引号括起来，或者写成两个反斜杠“\\\\”",
        ),
        (
            "control characters are not allowed",
            "文件里有看不见的控制字符",
            "删去这一行里看不见的字符（常由复制粘贴带入），或者重新输入这一行",
        ),
        (
            "found unexpected document indicator",
            "文件中间有一行“---”或“...”",
            "一个文件只写一份内容：删去这一行，或者用引号把文字括起来",
        ),
        (
            "deserializing from YAML containing more than one document",
            "文件中间有一行“---”，把文件分成了两份",
            "一个文件只写一份内容：删去中间的“---”行",
        ),
        ("unknown anchor", "“*”开头的文字在 YAML 里有特殊含义", QUOTE),
        (
            "did not find expected alphabetic or numeric character",
            "“&”或“*”开头的文字在 YAML 里有特殊含义",
            QUOTE,
        ),
        ("found undefined tag handle", "“!”开头的文字在 YAML 里有特殊含义", QUOTE),
        ("did not find expected whitespace", "这里的文字以 YAML 的特殊符号开头（如 !、&、*）", QUOTE),
        (
            "did not find expected comment or line break",
            "引号后面还有别的文字",
            "整段文字都放在引号里，或者去掉引号",
        ),
        ("did not find expected '!'", "“!”开头的文字在 YAML 里有特殊含义", QUOTE),
        ("did not find expected tag URI", "“!”开头的文字在 YAML 里有特殊含义", QUOTE),
        ("did not find URI escaped octet", "“!”开头的文字在 YAML 里有特殊含义", QUOTE),
        ("found unknown directive name", "“%”开头的文字在 YAML 里有特殊含义", QUOTE),
        ("EOF while parsing", "文件没有写完", "检查最后几行是否完整"),
    ];
    let (_, text, hint) = table.iter().find(|(start, _, _)| message.starts_with(start))?;
    Some((text, hint))
}

fn split_name(rest: &str) -> (&str, &str) {
    rest.split_once('`').unwrap_or((rest, ""))
}

fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn kind_name(serde_kind: &str) -> String {
    let kind = serde_kind.trim();
    let simple = match kind {
        "a string" | "string" => "文字",
        "f64" | "a number" => "数字",
        "i32" | "i64" | "an integer" => "整数",
        "u32" | "u64" | "usize" => "不小于 0 的整数",
        "a boolean" | "a bool" => "true 或 false",
        "a sequence" | "sequence" => "列表",
        "a map" | "map" => "键值（字段: 值）",
        "unit value" => "空值",
        _ => "",
    };
    if !simple.is_empty() {
        return simple.into();
    }
    if kind.starts_with("struct") || kind.starts_with("a map") {
        return "键值（字段: 值）".into();
    }
    if let Some(rest) = kind.strip_prefix("string ") {
        return format!("文字 {rest}");
    }
    if let Some(rest) = kind.strip_prefix("integer ") {
        return format!("整数 {}", rest.trim_matches('`'));
    }
    if let Some(rest) = kind.strip_prefix("floating point ") {
        return format!("数字 {}", rest.trim_matches('`'));
    }
    if let Some(rest) = kind.strip_prefix("boolean ") {
        return format!("布尔值 {}", rest.trim_matches('`'));
    }
    if kind.starts_with("enum") {
        return "规定的取值之一".into();
    }
    kind.into()
}
