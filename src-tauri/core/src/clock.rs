//! Time as the database keeps it: ISO-8601 UTC text with milliseconds
//! ("2026-12-02T16:20:50.661Z"), fixed width, so text order is time order on
//! both backends. The core computes every moment it stores or compares here
//! and binds it, rather than asking the database for "now": SQLite and
//! PostgreSQL spell time arithmetic differently, and a team's server may
//! keep another time zone than the desktop.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

/// A moment in the stored format.
pub(crate) fn stamp(moment: Timestamp) -> String {
    let utc = moment.to_zoned_datetime(TimeZone::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// Now.
pub fn now() -> String {
    stamp(Timestamp::now())
}

/// `seconds` from now (in the past when negative).
pub fn from_now(seconds: f64) -> String {
    let moment = Timestamp::now()
        .checked_add(SignedDuration::from_secs_f64(seconds))
        .unwrap_or(Timestamp::MAX);
    stamp(moment)
}

/// `days` ago.
pub fn days_ago(days: i64) -> String {
    from_now(-(days as f64) * 86_400.0)
}

/// Tomorrow at `hour`:00 in this desktop's time zone.
pub(crate) fn tomorrow_at_local(hour: i8) -> String {
    let zone = TimeZone::system();
    let today: Date = Timestamp::now().to_zoned_datetime(zone.clone()).date();
    today
        .tomorrow()
        .and_then(|day| day.at(hour, 0, 0, 0).to_zoned_datetime(zone))
        .map(|moment| stamp(moment.timestamp()))
        .unwrap_or_else(|_| from_now(86_400.0))
}

/// `hour`:00 in this desktop's time zone on `date` ("2026-12-24"); `None`
/// for text that is not a date.
pub(crate) fn on_local_date_at(date: &str, hour: i8) -> Option<String> {
    let day: Date = date.trim().parse().ok()?;
    let moment = day
        .at(hour, 0, 0, 0)
        .to_zoned_datetime(TimeZone::system())
        .ok()?
        .timestamp();
    Some(stamp(moment))
}

/// How long from now until a stored moment (zero if it has passed);
/// `None` if the text is not a moment.
pub(crate) fn until(stored: &str) -> Option<Duration> {
    let moment: Timestamp = stored.parse().ok()?;
    let left = moment.duration_since(Timestamp::now());
    Some(Duration::try_from(left).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_moments_have_one_width_and_read_back() {
        let moment: Timestamp = "2026-03-04T05:06:07.089Z".parse().expect("moment");
        assert_eq!(stamp(moment), "2026-03-04T05:06:07.089Z");
        let now = now();
        assert_eq!(now.len(), 24, "{now}");
        assert!(until(&from_now(3600.0)).expect("a moment") > Duration::from_secs(3590));
        assert_eq!(until(&days_ago(1)), Some(Duration::ZERO));
        assert_eq!(until("not a time"), None);
        let christmas = on_local_date_at("2026-12-24", 8).expect("a date");
        assert!(christmas.starts_with("2026-12-2"), "{christmas}");
        assert_eq!(on_local_date_at("24.12.2026", 8), None);
        assert!(days_ago(2) < now && now < from_now(1.0));
        let morning = tomorrow_at_local(8);
        let left = until(&morning).expect("a moment");
        assert!(
            left > Duration::ZERO && left <= Duration::from_secs(49 * 3600),
            "{morning}"
        );
    }
}
