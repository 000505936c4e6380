//! Chinese words chosen by data (unit kinds, categories, follow-up actions, notice status).
//! Everything else readers see lives in the templates.

use crate::content::model::{FollowUp, MemberCategory, UnitKind};

pub fn kind_label(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Village => "农村",
        UnitKind::Community => "社区",
        UnitKind::Agency => "机关",
        UnitKind::Enterprise => "企事业单位",
        UnitKind::School => "学校",
    }
}

/// How zones are drawn in each kind of unit (the article's 全覆盖 paragraph).
pub fn zone_term(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Village => "片区",
        UnitKind::Community => "楼栋单元",
        UnitKind::Agency => "科室",
        UnitKind::Enterprise => "岗位",
        UnitKind::School => "年级",
    }
}

/// The reason shown for a member without consent who has no zone: the real reason (often health
/// or whereabouts) is not published for them (docs/content-format.md §7).
pub const EXEMPT_WITHOUT_CONSENT: &str = "个人原因";

pub fn category_label(category: MemberCategory) -> &'static str {
    match category {
        MemberCategory::Teacher => "教师党员",
        MemberCategory::Staff => "职工党员",
        MemberCategory::Student => "学生党员",
    }
}

pub fn follow_up_label(action: FollowUp) -> &'static str {
    match action {
        FollowUp::Help => "帮助",
        FollowUp::ChangeZone => "调整责任区",
    }
}

/// The notice period's state on the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeStatus {
    Upcoming,
    Open,
    Closed,
    Unknown,
}

pub fn notice_status_label(status: NoticeStatus) -> &'static str {
    match status {
        NoticeStatus::Upcoming => "待公示",
        NoticeStatus::Open => "公示中",
        NoticeStatus::Closed => "已结束",
        NoticeStatus::Unknown => "未写公示期",
    }
}
