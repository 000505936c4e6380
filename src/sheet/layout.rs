//! The sheets and columns of a unit's workbook, with the names offices also use for them.
//! `template` writes these headers; `import` finds them (or a synonym) in any workbook.
//! docs/content-format.md §18 lists the same table for webmasters.

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    /// 说明: how to fill in the workbook, and which unit it belongs to.
    Guide,
    /// 单位: name, kind, contact and supervision channel (`unit.yaml` without its lists).
    Unit,
    Groups,
    Members,
    Zones,
    Posts,
    Records,
    /// 考核YYYY: one year's results (`assessments/<year>.yaml`).
    Scores,
}

/// What a column holds. The same key means the same thing in every sheet it appears in, read
/// for that sheet: `Id` is a member's id in 党员 and 考核, a zone's in 责任区.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// 序号: numbering, never read.
    Seq,
    /// 身份证号: never read, and said so.
    Identity,
    Id,
    Name,
    Group,
    Joined,
    Role,
    Phone,
    Consent,
    PhonePublic,
    Exempt,
    Category,
    Leader,
    Area,
    Households,
    Members,
    Partners,
    Note,
    Title,
    Duties,
    Commitments,
    Date,
    Summary,
    SelfReview,
    Masses,
    Organization,
    Total,
    Grade,
    Vanguard,
    Action,
}

/// One column: the header `template` writes, the other names `import` accepts, its width in
/// Excel's units (about one Latin letter; a Chinese character takes two).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: Key,
    pub header: &'static str,
    pub synonyms: &'static [&'static str],
    pub width: f64,
}

const fn col(key: Key, header: &'static str, synonyms: &'static [&'static str], width: f64) -> Column {
    Column { key, header, synonyms, width }
}

/// Recognised in every sheet so that they can be left out deliberately.
const ANY: &[Column] = &[
    col(Key::Seq, "序号", &["编号序号"], 6.0),
    col(
        Key::Identity,
        "身份证号",
        &["身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "身份号码"],
        0.0,
    ),
];

const MEMBER_ID: Column = col(Key::Id, "编号", &["党员编号"], 8.0);
const MEMBER_NAME: Column = col(Key::Name, "姓名", &["党员姓名", "名字"], 10.0);

const MEMBERS: &[Column] = &[
    MEMBER_ID,
    MEMBER_NAME,
    col(Key::Group, "党小组", &["所在党小组", "党小组名称", "所属党小组"], 20.0),
    col(Key::Joined, "入党年份", &["入党时间", "入党日期", "入党年月"], 10.0),
    col(Key::Role, "职务", &["党内职务", "现任职务"], 20.0),
    col(Key::Phone, "联系电话", &["手机", "手机号码", "手机号", "电话", "电话号码", "联系方式"], 14.0),
    col(Key::Consent, "同意公开", &["同意公开姓名", "是否同意公开"], 10.0),
    col(Key::PhonePublic, "电话可公开", &["同意公开电话", "公开电话"], 10.0),
    col(Key::Exempt, "不划分责任区原因", &["免责原因", "不设岗原因", "不划分责任区的原因"], 24.0),
    col(Key::Category, "党员类别", &["类别", "党员身份"], 10.0),
];

const GROUPS: &[Column] = &[
    col(Key::Id, "编号", &["党小组编号"], 8.0),
    col(Key::Name, "名称", &["党小组", "党小组名称", "小组名称"], 26.0),
    col(Key::Leader, "组长", &["党小组长", "小组长", "党小组组长"], 12.0),
];

const ZONES: &[Column] = &[
    col(Key::Id, "编号", &["责任区编号"], 8.0),
    col(Key::Name, "名称", &["责任区", "责任区名称"], 18.0),
    col(Key::Group, "党小组", &["所属党小组", "所在党小组"], 20.0),
    col(Key::Area, "范围", &["责任区范围", "区域", "包联范围"], 30.0),
    col(Key::Households, "户数", &["联系户数", "包联户数"], 8.0),
    col(Key::Members, "责任党员", &["党员", "包联党员"], 20.0),
    col(Key::Partners, "结对群众", &["帮联群众", "结对村民代表"], 24.0),
    col(Key::Note, "说明", &["备注", "情况说明"], 36.0),
];

const POSTS: &[Column] = &[
    MEMBER_ID,
    MEMBER_NAME,
    col(Key::Title, "岗位", &["岗位名称", "设岗"], 18.0),
    col(Key::Duties, "职责", &["岗位职责"], 40.0),
    col(Key::Commitments, "承诺", &["公开承诺", "承诺事项"], 40.0),
];

const RECORDS: &[Column] = &[
    MEMBER_ID,
    MEMBER_NAME,
    col(Key::Date, "日期", &["时间", "履责日期", "履责时间"], 12.0),
    col(Key::Summary, "履责情况", &["履责内容", "内容", "事项", "履责记录"], 60.0),
];

const SCORES: &[Column] = &[
    MEMBER_ID,
    MEMBER_NAME,
    col(Key::SelfReview, "党员述评", &["述评", "党员自评", "自评"], 10.0),
    col(Key::Masses, "群众测评", &["群众评议", "测评"], 10.0),
    col(Key::Organization, "组织考评", &["组织评价", "组织评定", "支部考评"], 10.0),
    col(Key::Total, "总分", &["合计", "综合得分", "得分"], 8.0),
    col(Key::Grade, "等次", &["评定等次", "考核等次", "等级"], 10.0),
    col(Key::Vanguard, "先锋岗位", &["党员先锋岗位", "先锋岗"], 10.0),
    col(Key::Action, "帮助或调整", &["措施", "帮助调整", "整改措施"], 12.0),
    col(Key::Note, "说明", &["备注"], 40.0),
];

/// Labels of the notice period and objection channel above a score sheet's header.
pub const NOTICE_START: &[&str] = &["公示开始日期", "公示日期", "公示开始"];
pub const NOTICE_DAYS: &[&str] = &["公示天数"];
pub const NOTICE_END: &[&str] = &["公示截止日期", "公示截止", "公示截止日"];

/// A length in working days as the 公示天数 cell holds it: `5个工作日`.
pub fn workdays_text(days: u32) -> String {
    format!("{days}个工作日")
}

/// The number of working days in a 公示天数 cell written `5个工作日`, `5 个工作日` or `5工作日`
/// (digits half- or full-width, as [`crate::sheet::read::Value::ascii`] gives them).
pub fn workdays_in(text: &str) -> Option<&str> {
    let number = text.trim().strip_suffix("工作日")?.trim_end().trim_end_matches('个').trim_end();
    (!number.is_empty()).then_some(number)
}
pub const OBJECTIONS: &[&str] = &["异议受理渠道", "异议受理", "异议受理方式"];

/// The label in 说明 whose neighbour says which unit the workbook belongs to.
pub const UNIT_PATH_LABEL: &str = "单位路径";

/// The rows of the 单位 sheet: label, then what it fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitField {
    Name,
    Kind,
    Organization,
    ContactPhone,
    ContactAddress,
    ContactMailbox,
    ContactEmail,
    SupervisionPhone,
    SupervisionAddress,
    SupervisionMailbox,
    SupervisionEmail,
}

pub const UNIT_FIELDS: &[(UnitField, &str, &[&str])] = &[
    (UnitField::Name, "单位名称", &["名称"]),
    (UnitField::Kind, "单位类型", &["类型"]),
    (UnitField::Organization, "党组织全称", &["党组织名称"]),
    (UnitField::ContactPhone, "办公电话", &["联系电话"]),
    (UnitField::ContactAddress, "办公地址", &["联系地址", "地址"]),
    (UnitField::ContactMailbox, "办公意见箱", &[]),
    (UnitField::ContactEmail, "办公邮箱", &["联系邮箱"]),
    (UnitField::SupervisionPhone, "监督电话", &["群众监督电话"]),
    (UnitField::SupervisionAddress, "监督地址", &["群众监督地址"]),
    (UnitField::SupervisionMailbox, "意见箱", &["监督意见箱"]),
    (UnitField::SupervisionEmail, "监督邮箱", &["监督电子邮箱"]),
];

impl SheetKind {
    /// Table sheets, in the order a header that fits several kinds is given to.
    pub const TABLES: [SheetKind; 6] = [
        SheetKind::Scores,
        SheetKind::Records,
        SheetKind::Posts,
        SheetKind::Zones,
        SheetKind::Groups,
        SheetKind::Members,
    ];

    /// The sheet's name in a template (考核 sheets add the year).
    pub fn title(self) -> &'static str {
        match self {
            SheetKind::Guide => "说明",
            SheetKind::Unit => "单位",
            SheetKind::Groups => "党小组",
            SheetKind::Members => "党员",
            SheetKind::Zones => "责任区",
            SheetKind::Posts => "岗位",
            SheetKind::Records => "履责记录",
            SheetKind::Scores => "考核",
        }
    }

    /// The kind a sheet's name says, if it says one: 党员花名册, 2016年考核, 责任区 ….
    pub fn from_sheet_name(name: &str) -> Option<SheetKind> {
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        Some(if has(&["说明"]) {
            SheetKind::Guide
        } else if name == "单位" || has(&["单位信息", "基本信息"]) {
            SheetKind::Unit
        } else if has(&["考核", "测评", "评议", "评比", "评分", "述评", "得分"]) {
            SheetKind::Scores
        } else if has(&["履责"]) {
            SheetKind::Records
        } else if has(&["责任区"]) {
            SheetKind::Zones
        } else if has(&["党小组"]) {
            SheetKind::Groups
        } else if has(&["岗位", "定岗"]) {
            SheetKind::Posts
        } else if has(&["党员", "花名册", "名册", "名单"]) {
            SheetKind::Members
        } else {
            return None;
        })
    }

    /// The columns of a table sheet, in template order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            SheetKind::Members => MEMBERS,
            SheetKind::Groups => GROUPS,
            SheetKind::Zones => ZONES,
            SheetKind::Posts => POSTS,
            SheetKind::Records => RECORDS,
            SheetKind::Scores => SCORES,
            SheetKind::Guide | SheetKind::Unit => &[],
        }
    }

    /// The key a header names in this sheet: its header, a synonym, or either followed by a
    /// remark in brackets (`入党时间（年月）`).
    pub fn key_of(self, header: &str) -> Option<Key> {
        let find = |text: &str| {
            self.columns()
                .iter()
                .chain(ANY)
                .find(|c| c.header == text || c.synonyms.contains(&text))
                .map(|c| c.key)
        };
        find(header).or_else(|| {
            let bare = header.split(['（', '(']).next().unwrap_or(header);
            (bare != header && !bare.is_empty()).then(|| find(bare)).flatten()
        })
    }

    /// Whether the keys found in a row make a header of this kind.
    pub fn header_fits(self, keys: &[Key]) -> bool {
        let has = |k: Key| keys.contains(&k);
        let member = has(Key::Id) || has(Key::Name);
        match self {
            SheetKind::Members => has(Key::Name) && keys.len() >= 2,
            SheetKind::Groups => has(Key::Name) && (has(Key::Leader) || has(Key::Id)),
            SheetKind::Zones => has(Key::Name) && keys.len() >= 2,
            SheetKind::Posts => member && has(Key::Title),
            SheetKind::Records => member && has(Key::Date) && has(Key::Summary),
            SheetKind::Scores => {
                member && (has(Key::SelfReview) || has(Key::Masses) || has(Key::Organization))
            }
            SheetKind::Guide | SheetKind::Unit => false,
        }
    }
}

/// Whether a label (as normalised by `read::header_text`) is one of `labels`.
pub fn is_label(text: &str, labels: &[&str]) -> bool {
    labels.contains(&text) || labels.contains(&text.split(['（', '(']).next().unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_say_their_kind() {
        assert_eq!(SheetKind::from_sheet_name("党员花名册"), Some(SheetKind::Members));
        assert_eq!(SheetKind::from_sheet_name("考核2016"), Some(SheetKind::Scores));
        assert_eq!(SheetKind::from_sheet_name("2016年度党员评议"), Some(SheetKind::Scores));
        assert_eq!(SheetKind::from_sheet_name("履责记录"), Some(SheetKind::Records));
        assert_eq!(SheetKind::from_sheet_name("Sheet1"), None);
    }

    #[test]
    fn synonyms_and_remarks() {
        assert_eq!(SheetKind::Members.key_of("所在党小组"), Some(Key::Group));
        assert_eq!(SheetKind::Members.key_of("入党时间（年月）"), Some(Key::Joined));
        assert_eq!(SheetKind::Members.key_of("公民身份号码"), Some(Key::Identity));
        assert_eq!(SheetKind::Scores.key_of("评定等次"), Some(Key::Grade));
        assert_eq!(SheetKind::Members.key_of("性别"), None);
    }

    #[test]
    fn no_two_columns_of_a_sheet_share_a_name() {
        for kind in SheetKind::TABLES {
            let mut names: Vec<&str> = kind
                .columns()
                .iter()
                .chain(ANY)
                .flat_map(|c| std::iter::once(c.header).chain(c.synonyms.iter().copied()))
                .collect();
            let all = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), all, "{kind:?}");
        }
    }
}
