//! Calendar dates without a time zone, which is all the content format needs.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A proleptic Gregorian date, as written in content: `2016-12-20`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (single-digit month and day are accepted).
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date as notices write it: `2016年12月20日`.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// A period as notices write it: `2016年12月20日至12月26日`, the year given once when both
    /// days fall in it.
    pub fn chinese_period(self, last: Date) -> String {
        if last.year == self.year {
            format!("{}至{}月{}日", self.chinese(), last.month, last.day)
        } else {
            format!("{}至{}", self.chinese(), last.chinese())
        }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// The date of a Unix timestamp, in China Standard Time (UTC+8), where the sites are read.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date::from_days_since_epoch((seconds + 8 * 3600).div_euclid(86_400))
    }

    /// The day the pages are built for: `SOURCE_DATE_EPOCH` when set, otherwise today.
    pub fn build_date() -> Date {
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        Date::from_unix_seconds(seconds)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    /// `YYYY-MM-DD` written digit by digit: pages serialise hundreds of thousands of record dates,
    /// and padded `format!` was a visible share of the build.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (u16::try_from(self.year), self.month, self.day) {
            (Ok(year @ 0..=9999), 1..=12, 1..=31) => {
                let digit = |n: u16| b'0' + (n % 10) as u8;
                let (month, day) = (u16::from(self.month), u16::from(self.day));
                let text = [
                    digit(year / 1000),
                    digit(year / 100),
                    digit(year / 10),
                    digit(year),
                    b'-',
                    digit(month / 10),
                    digit(month),
                    b'-',
                    digit(day / 10),
                    digit(day),
                ];
                serializer.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
            }
            _ => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = crate::content::yaml::StringOrNumber::deserialize(deserializer)?.0;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("日期“{text}”无效，应写成 YYYY-MM-DD，例如 2016-12-20"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_dates_as_notices_write_them() {
        let first = Date::new(2016, 12, 20).unwrap();
        assert_eq!(first.chinese(), "2016年12月20日");
        assert_eq!(first.chinese_period(first.add_days(6)), "2016年12月20日至12月26日");
        assert_eq!(first.chinese_period(first.add_days(14)), "2016年12月20日至2017年1月3日");
    }

    #[test]
    fn serialises_like_it_displays() {
        for (year, month, day) in
            [(2016, 3, 7), (1, 1, 1), (999, 12, 31), (9999, 10, 10), (-5, 1, 1), (12345, 1, 2)]
        {
            let date = Date { year, month, day };
            assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{date}\""));
        }
    }

    #[test]
    fn round_trips_through_days() {
        for days in [-800_000, -1, 0, 1, 17_000, 20_000, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::parse("2016-12-20").unwrap().add_days(6).to_string(), "2016-12-26");
        assert_eq!(Date::parse("2016-02-28").unwrap().add_days(1).to_string(), "2016-02-29");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(Date::parse("2015-02-29"), None);
        assert_eq!(Date::parse("2016-13-01"), None);
        assert_eq!(Date::parse("yesterday"), None);
    }

    #[test]
    fn unix_seconds_use_china_time() {
        // 2016-12-19T16:00:00Z is midnight of the 20th in Beijing.
        assert_eq!(Date::from_unix_seconds(1_482_163_200).to_string(), "2016-12-20");
    }
}
