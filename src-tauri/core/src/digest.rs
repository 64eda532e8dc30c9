//! Email digests: when a person's gathered mail is next due. Hourly, at the
//! top of the next hour; daily, at the chosen time ("08:00") of the person's
//! time zone, today if that is still ahead, else tomorrow — on the zone's
//! wall clock, so summer time moves it with the clock (a time skipped in
//! spring comes at the first moment after it; one repeated in autumn at its
//! first pass).

use crate::quiet_hours::{clock_time, short};
use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use partwatch_types::notifications::EmailDigest;

/// A person's digest, ready to ask "when is the next one due?".
#[derive(Debug, Clone)]
pub(crate) struct DigestSchedule {
    daily_at: Option<Time>,
    zone: TimeZone,
}

impl DigestSchedule {
    /// The schedule of `every` (`None` for mail at once); `at` ("HH:MM")
    /// matters for a daily digest only. The reason in words when `at` or
    /// `zone` is not one.
    pub(crate) fn new(every: EmailDigest, at: &str, zone: &str) -> Result<Option<Self>, String> {
        let daily_at = match every {
            EmailDigest::Immediately => return Ok(None),
            EmailDigest::Hourly => None,
            EmailDigest::Daily => Some(clock_time(at).ok_or_else(|| {
                if at.trim().is_empty() {
                    "Choose the time of day the daily digest comes, as 08:00.".to_owned()
                } else {
                    format!("“{}” is not a time of day: give one as 08:00.", short(at))
                }
            })?),
        };
        let zone = TimeZone::get(zone.trim())
            .map_err(|_| format!("“{}” is not a time zone this desktop knows.", short(zone)))?;
        Ok(Some(Self { daily_at, zone }))
    }

    /// The first digest moment strictly after `now`.
    pub(crate) fn next_after(&self, now: Timestamp) -> Option<Timestamp> {
        let local = now.to_zoned_datetime(self.zone.clone());
        match self.daily_at {
            None => {
                let hour = local
                    .with()
                    .minute(0)
                    .second(0)
                    .subsec_nanosecond(0)
                    .build()
                    .ok()?;
                hour.checked_add(1.hour()).ok().map(|z| z.timestamp())
            }
            Some(at) => {
                let today = local.date();
                for day in [today, today.tomorrow().ok()?] {
                    let wall = day.to_datetime(at);
                    let ambiguous = self.zone.to_ambiguous_timestamp(wall);
                    for moment in [ambiguous.compatible().ok()?, ambiguous.later().ok()?] {
                        if moment > now {
                            return Some(moment);
                        }
                    }
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a moment")
    }

    fn next(every: EmailDigest, time: &str, zone: &str, now: &str) -> String {
        DigestSchedule::new(every, time, zone)
            .expect("a schedule")
            .expect("a digest")
            .next_after(at(now))
            .expect("a next one")
            .to_string()
    }

    #[test]
    fn an_hourly_digest_comes_at_the_top_of_the_next_hour() {
        let cases = [
            ("2026-12-04T10:15:00Z", "2026-12-04T11:00:00Z"),
            ("2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z"),
            ("2026-12-04T23:59:59Z", "2026-12-05T00:00:00Z"),
        ];
        for (now, due) in cases {
            assert_eq!(next(EmailDigest::Hourly, "", "UTC", now), due, "at {now}");
        }
        // Half-hour zones: the top of their own hour.
        assert_eq!(
            next(
                EmailDigest::Hourly,
                "",
                "Asia/Kolkata",
                "2026-12-04T10:15:00Z"
            ),
            "2026-12-04T10:30:00Z"
        );
    }

    #[test]
    fn a_daily_digest_comes_today_if_still_ahead_else_tomorrow_across_summer_time() {
        let berlin = "Europe/Berlin";
        let cases = [
            // 08:00 in Berlin in winter is 07:00 UTC.
            ("08:00", "2026-12-04T06:59:00Z", "2026-12-04T07:00:00Z"),
            ("08:00", "2026-12-04T07:00:00Z", "2026-12-05T07:00:00Z"),
            ("08:00", "2026-12-04T20:00:00Z", "2026-12-05T07:00:00Z"),
            // The night summer time begins (29 March 2026): 02:30 does not
            // exist; it comes at the first moment after the gap, 03:30 CEST.
            ("02:30", "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"),
            // The night it ends (25 October): 02:30 comes twice; the first.
            ("02:30", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"),
            // … and the second, once the first has gone.
            ("02:30", "2026-10-25T00:45:00Z", "2026-10-25T01:30:00Z"),
        ];
        for (time, now, due) in cases {
            assert_eq!(
                next(EmailDigest::Daily, time, berlin, now),
                due,
                "{time} after {now}"
            );
        }
    }

    #[test]
    fn mail_at_once_has_no_schedule_and_bad_choices_are_refused_in_words() {
        assert!(
            DigestSchedule::new(EmailDigest::Immediately, "junk", "Nowhere")
                .expect("nothing to check")
                .is_none()
        );
        let refused = |every, time: &str, zone: &str| {
            DigestSchedule::new(every, time, zone).expect_err("refused")
        };
        assert_eq!(
            refused(EmailDigest::Daily, "", "UTC"),
            "Choose the time of day the daily digest comes, as 08:00."
        );
        assert_eq!(
            refused(EmailDigest::Daily, "25:00", "UTC"),
            "“25:00” is not a time of day: give one as 08:00."
        );
        assert_eq!(
            refused(EmailDigest::Hourly, "", "Mars/Olympus"),
            "“Mars/Olympus” is not a time zone this desktop knows."
        );
    }
}
