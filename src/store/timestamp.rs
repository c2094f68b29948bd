//! Points in time as the store keeps them: UTC milliseconds since the Unix epoch.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// A moment, to the millisecond, in UTC. Stored as an integer so SQLite can
/// compare and order it; shown as RFC 3339 (`2025-06-01T10:20:30.123Z`) in JSON
/// and as `2025-06-01 10:20:30 UTC` to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(type = "string")]
pub struct Timestamp(i64);

pub const MILLIS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    pub fn now() -> Timestamp {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
    }

    pub const fn from_millis(millis: i64) -> Timestamp {
        Timestamp(millis)
    }

    pub const fn millis(self) -> i64 {
        self.0
    }

    pub const fn plus_millis(self, millis: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(millis))
    }

    fn civil(self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000).ok()
    }

    fn format(self, description: &[BorrowedFormatItem<'_>]) -> Option<String> {
        self.civil()?.format(description).ok()
    }

    /// `20250601-102030`: sortable and safe in a file name on every OS.
    pub fn file_stamp(self) -> String {
        self.format(format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_else(|| self.0.to_string())
    }

    /// `2025-06-01`: the calendar day of this moment once `offset_minutes`
    /// (the user's time zone, east of UTC) are added.
    pub fn day_label(self, offset_minutes: i32) -> String {
        self.plus_millis(i64::from(offset_minutes) * 60_000)
            .format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_else(|| self.0.to_string())
    }

    pub fn rfc3339(self) -> String {
        self.format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .unwrap_or_else(|| self.0.to_string())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
        )) {
            Some(text) => f.write_str(&text),
            None => write!(f, "{} ms after 1970", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_utc_calendar_time() {
        let t = Timestamp::from_millis(1_748_773_230_123);
        assert_eq!(t.rfc3339(), "2025-06-01T10:20:30.123Z");
        assert_eq!(t.to_string(), "2025-06-01 10:20:30 UTC");
        assert_eq!(t.file_stamp(), "20250601-102030");
        assert_eq!(t.day_label(0), "2025-06-01");
        assert_eq!(
            t.day_label(-11 * 60),
            "2025-05-31",
            "Honolulu is a day behind"
        );
    }
}
