//! The county's holiday calendar, `content/holidays.yaml`: which days are working days, so that a
//! notice period can be given in working days (`notice_workdays: 5` in `assessments/<year>.yaml`).
//!
//! The file lists, per year, the days off of the State Council's holiday notice (`休息`, single days
//! or ranges such as `2016-10-01 至 2016-10-07`) and the weekend days worked in exchange
//! (`调休上班`). A working day is a Monday to Friday that is not a day off, or a day worked in
//! exchange. A year with no heading is not known: counting into it is an error, never a guess.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, SourceText};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Where the calendar is, relative to the site root.
pub const FILE: &str = "content/holidays.yaml";

const OFF: &str = "休息";
const WORK: &str = "调休上班";

/// One year's heading in the file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    #[serde(rename = "休息", default)]
    pub off: Vec<String>,
    #[serde(rename = "调休上班", default)]
    pub work: Vec<String>,
}

/// The file as written: year → that year's days.
pub type CalendarFile = BTreeMap<i32, Option<YearFile>>;

/// The checked calendar.
#[derive(Debug, Default, Clone, Hash)]
pub struct Calendar {
    years: BTreeSet<i32>,
    off: BTreeSet<Date>,
    work: BTreeSet<Date>,
    /// The file has errors (already reported): periods are not counted against it, so that its
    /// errors are not repeated in every unit's.
    pub broken: bool,
}

/// Monday 0 … Sunday 6.
pub fn weekday(day: Date) -> i64 {
    // 1970-01-01 was a Thursday.
    (day.days_since_epoch() + 3).rem_euclid(7)
}

fn weekday_name(day: Date) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][weekday(day) as usize]
}

impl Calendar {
    /// A calendar whose file could not be read; its problem is reported already.
    pub fn broken() -> Calendar {
        Calendar { broken: true, ..Calendar::default() }
    }

    /// The year has a heading in the file.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn is_workday(&self, day: Date) -> bool {
        self.work.contains(&day) || (weekday(day) < 5 && !self.off.contains(&day))
    }

    /// The last day of a period of `n` working days starting on `first`: `first` counts when it
    /// is a working day, as the first day counts in `notice_days`; a period published on a day off
    /// starts on the next working day. `n` = 0 counts as 1. `Err(year)`: the count reached a year
    /// the calendar does not cover.
    pub fn nth_workday(&self, first: Date, n: u32) -> Result<Date, i32> {
        let n = n.max(1);
        let mut day = first;
        let mut counted = 0;
        loop {
            if !self.covers(day.year) {
                return Err(day.year);
            }
            if self.is_workday(day) {
                counted += 1;
                if counted == n {
                    return Ok(day);
                }
            }
            day = day.add_days(1);
        }
    }
}

/// One entry of a list: a day, or the days from the first to the last, both included.
fn parse_entry(text: &str) -> Result<(Date, Date), String> {
    let parts: Vec<&str> = text.split(['至', '到', '~', '～']).map(str::trim).collect();
    let bad = |part: &str| format!("日期“{part}”无效，应写成 YYYY-MM-DD，例如 2016-10-01");
    match parts.as_slice() {
        [one] => Date::parse(one).map(|d| (d, d)).ok_or_else(|| bad(one)),
        [first, last] => {
            let first = Date::parse(first).ok_or_else(|| bad(first))?;
            let last = Date::parse(last).ok_or_else(|| bad(last))?;
            if last < first {
                return Err(format!("“{text}”的结束日期早于开始日期"));
            }
            Ok((first, last))
        }
        _ => Err(format!("“{text}”看不懂")),
    }
}

/// Byte offset of the heading `year:` (at the start of a line), if found.
fn heading(source: &SourceText, year: i32) -> Option<usize> {
    let key = year.to_string();
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key.as_str())
            && rest.trim_start_matches([' ', '\'', '"']).starts_with(':')
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Checks the file and turns it into a calendar. Errors: a date that is not one, a range that ends
/// before it starts, a day outside its year's heading, a year with no days, a day both off and
/// worked. A warning: a day worked in exchange that is a weekday anyway.
pub fn check(file: &CalendarFile, source: &SourceText) -> (Calendar, Vec<Diagnostic>) {
    let mut calendar = Calendar::default();
    let mut found = Vec::new();
    let path: &Path = &source.path;
    let at = |offset: Option<usize>| offset.map_or((0, 0), |o| source.position(o));
    // Where each day was written, to name the first place of a day written as both.
    let mut off_at: BTreeMap<Date, (usize, usize)> = BTreeMap::new();
    for (&year, days) in file {
        let year_at = heading(source, year);
        let Some(days) = days.as_ref().filter(|d| !d.off.is_empty() || !d.work.is_empty()) else {
            found.push(
                Diagnostic::error(path, format!("{year} 年下面没有写日期"))
                    .at(at(year_at))
                    .hint(format!(
                        "照国务院办公厅{year}年部分节假日安排的通知，写上“{OFF}”和“{WORK}”的日期；还没有通知就删去这一行"
                    )),
            );
            continue;
        };
        calendar.years.insert(year);
        for (key, list) in [(OFF, &days.off), (WORK, &days.work)] {
            let key_at = year_at.and_then(|y| source.find_token_at(key, y));
            let mut next = key_at.or(year_at).unwrap_or(0);
            for text in list {
                let entry_at = source.find_token_at(text.trim(), next);
                if let Some(e) = entry_at {
                    next = e + text.trim().len();
                }
                let position = at(entry_at.or(key_at).or(year_at));
                let (first, last) = match parse_entry(text) {
                    Ok(range) => range,
                    Err(message) => {
                        found.push(
                            Diagnostic::error(path, message)
                                .at(position)
                                .hint("一天写成 2016-10-01，连续几天写成 2016-10-01 至 2016-10-07"),
                        );
                        continue;
                    }
                };
                if last.year < year || first.year > year {
                    found.push(
                        Diagnostic::error(path, format!("“{}”不在 {year} 年", text.trim()))
                            .at(position)
                            .hint(format!("核对年份，或者把它写到“{}:”下面", first.year)),
                    );
                    continue;
                }
                let mut day = first;
                while day <= last {
                    if key == OFF {
                        calendar.off.insert(day);
                        off_at.entry(day).or_insert(position);
                    } else if let Some(&(line, column)) = off_at.get(&day) {
                        found.push(
                            Diagnostic::error(path, format!("{day} 既写在“{OFF}”里，又写在“{WORK}”里"))
                                .at(position)
                                .hint(format!(
                                    "第 {line} 行第 {column} 列把它算作休息；按国务院办公厅的放假通知核对，删去写错的一处"
                                )),
                        );
                    } else {
                        calendar.work.insert(day);
                        if weekday(day) < 5 {
                            found.push(
                                Diagnostic::warning(
                                    path,
                                    format!("调休上班的 {day} 是星期{}，本来就是工作日", weekday_name(day)),
                                )
                                .at(position)
                                .hint("调休上班日是要上班的星期六或星期日；核对日期"),
                            );
                        }
                    }
                    day = day.add_days(1);
                }
            }
        }
    }
    calendar.broken = found.iter().any(Diagnostic::is_error);
    (calendar, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn calendar(yaml: &str) -> (Calendar, Vec<Diagnostic>) {
        let source = SourceText { path: FILE.into(), text: yaml.to_string() };
        let file: CalendarFile = crate::content::yaml::parse(&source).unwrap();
        check(&file, &source)
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(day("2016-12-20")), 1); // a Tuesday
        assert_eq!(weekday(day("2017-01-01")), 6); // a Sunday
    }

    #[test]
    fn counts_working_days_across_new_year() {
        let (c, problems) = calendar(
            "2016:\n  休息: [2016-10-01 至 2016-10-07]\n  调休上班: [2016-10-08, 2016-10-09]\n\
             2017:\n  休息:\n    - 2016-12-31 至 2017-01-02\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        // Wednesday 28 December: 28, 29, 30, (31, 1, 2 off), 3, 4.
        assert_eq!(c.nth_workday(day("2016-12-28"), 5), Ok(day("2017-01-04")));
        // Published on the first day of the national holiday: counting starts on the 8th, a Saturday worked.
        assert_eq!(c.nth_workday(day("2016-10-01"), 2), Ok(day("2016-10-09")));
        assert_eq!(c.nth_workday(day("2016-12-20"), 0), Ok(day("2016-12-20")));
        assert_eq!(c.nth_workday(day("2017-12-28"), 5), Err(2018));
    }

    #[test]
    fn finds_slips() {
        let (c, problems) =
            calendar("2016:\n  休息: [2016-02-07 至 2016-02-13, 2016-13-01]\n  调休上班: [2016-02-08]\n");
        let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert!(c.broken);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("2:33: 错误: 日期“2016-13-01”无效"), "{messages:?}");
        assert!(
            messages[1].contains("3:10: 错误: 2016-02-08 既写在“休息”里，又写在“调休上班”里"),
            "{messages:?}"
        );
    }
}
