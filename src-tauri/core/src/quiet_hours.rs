//! Quiet hours: a span of a person's day ("22:00" to "07:00", in their own
//! time zone) during which their popups and mails wait. The span may cross
//! midnight; its end is found on the wall clock of that zone, so a change to
//! or from summer time moves it with the clock (an end that falls in the hour
//! skipped in spring comes at the first moment after it; one in the hour
//! repeated in autumn, at its first pass, or its second if the first has
//! gone).

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A person's quiet hours, ready to ask "is this moment quiet?".
#[derive(Debug, Clone)]
pub(crate) struct QuietSpan {
    from: Time,
    to: Time,
    zone: TimeZone,
}

/// "22:00" (or "7:05"): hours and minutes.
pub(crate) fn clock_time(text: &str) -> Option<Time> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let hours: i8 = hours.parse().ok()?;
    let minutes: i8 = minutes.parse().ok()?;
    if !(0..24).contains(&hours) || !(0..60).contains(&minutes) || minutes_text_bad(text) {
        return None;
    }
    Time::new(hours, minutes, 0, 0).ok()
}

/// Minutes must be written with two digits ("7:5" is not a time).
fn minutes_text_bad(text: &str) -> bool {
    text.trim()
        .split_once(':')
        .is_none_or(|(_, minutes)| minutes.len() != 2)
}

impl QuietSpan {
    /// Quiet hours from `from` to `to` ("HH:MM") in the zone named `zone`
    /// ("Europe/Berlin"); the reason in words when one of them is not.
    pub(crate) fn new(from: &str, to: &str, zone: &str) -> Result<Self, String> {
        let Some(start) = clock_time(from) else {
            return Err(format!(
                "“{}” is not a time of day: give one as 22:00.",
                short(from)
            ));
        };
        let Some(end) = clock_time(to) else {
            return Err(format!(
                "“{}” is not a time of day: give one as 07:00.",
                short(to)
            ));
        };
        if start == end {
            return Err(
                "Quiet hours start and end at the same time: choose two different times.".into(),
            );
        }
        let zone = TimeZone::get(zone.trim())
            .map_err(|_| format!("“{}” is not a time zone this desktop knows.", short(zone)))?;
        Ok(Self {
            from: start,
            to: end,
            zone,
        })
    }

    /// If `at` falls in these quiet hours, the moment they end.
    pub(crate) fn end_if_quiet(&self, at: Timestamp) -> Option<Timestamp> {
        let local = at.to_zoned_datetime(self.zone.clone());
        let (today, now) = (local.date(), local.time());
        let end_day = if self.from < self.to {
            if self.from <= now && now < self.to {
                today
            } else {
                return None;
            }
        } else if now >= self.from {
            today.tomorrow().ok()?
        } else if now < self.to {
            today
        } else {
            return None;
        };
        let end = end_day.to_datetime(self.to);
        let first = self.zone.to_ambiguous_timestamp(end).compatible().ok()?;
        if first > at {
            return Some(first);
        }
        // In the hour repeated in autumn, past its first pass: the second.
        let second = self.zone.to_ambiguous_timestamp(end).later().ok()?;
        (second > at).then_some(second)
    }
}

/// The desktop's own time zone, by name ("UTC" where it has none).
pub(crate) fn this_desktops_zone() -> String {
    TimeZone::system()
        .iana_name()
        .map_or_else(|| "UTC".to_owned(), str::to_owned)
}

/// A person's text, cut short for an error message.
pub(crate) fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= 40 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(40).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a moment")
    }

    fn berlin(from: &str, to: &str) -> QuietSpan {
        QuietSpan::new(from, to, "Europe/Berlin").expect("quiet hours")
    }

    #[test]
    fn quiet_hours_across_midnight_end_the_next_morning_or_this_one() {
        let night = berlin("22:00", "07:00");
        // (moment, UTC; end of quiet hours, UTC, or None). Winter: UTC+1.
        let cases = [
            ("2026-12-04T20:59:00Z", None),                         // 21:59: awake
            ("2026-12-04T21:00:00Z", Some("2026-12-05T06:00:00Z")), // 22:00 sharp
            ("2026-12-04T23:30:00Z", Some("2026-12-05T06:00:00Z")), // 00:30
            ("2026-12-05T05:59:59Z", Some("2026-12-05T06:00:00Z")), // 06:59:59
            ("2026-12-05T06:00:00Z", None),                         // 07:00: over
            ("2026-12-05T11:00:00Z", None),                         // noon
        ];
        for (moment, end) in cases {
            assert_eq!(night.end_if_quiet(at(moment)), end.map(at), "at {moment}");
        }
    }

    #[test]
    fn quiet_hours_within_a_day_and_across_summer_time() {
        let lunch = berlin("12:00", "13:30");
        assert_eq!(
            lunch.end_if_quiet(at("2026-07-01T10:15:00Z")), // 12:15 summer (UTC+2)
            Some(at("2026-07-01T11:30:00Z"))
        );
        assert_eq!(lunch.end_if_quiet(at("2026-07-01T09:59:00Z")), None);

        // Spring: on 29 March 2026 02:00 becomes 03:00. Quiet until 02:30,
        // a time that day does not have: until 03:30 summer time.
        let short_night = berlin("23:00", "02:30");
        assert_eq!(
            short_night.end_if_quiet(at("2026-03-28T23:30:00Z")), // 00:30 winter
            Some(at("2026-03-29T01:30:00Z"))                      // 03:30 summer
        );
        // An end at 07:00 the morning after the change is 07:00 summer time.
        let night = berlin("22:00", "07:00");
        assert_eq!(
            night.end_if_quiet(at("2026-03-28T22:00:00Z")), // 23:00 winter
            Some(at("2026-03-29T05:00:00Z"))                // 07:00 summer
        );

        // Autumn: on 25 October 2026 03:00 goes back to 02:00. Quiet until
        // 02:30: at its first pass (00:30 UTC) — or, in the repeated hour
        // after it, at the second (01:30 UTC).
        let to_half_past_two = berlin("23:00", "02:30");
        assert_eq!(
            to_half_past_two.end_if_quiet(at("2026-10-24T23:00:00Z")), // 01:00 summer
            Some(at("2026-10-25T00:30:00Z"))
        );
        assert_eq!(
            to_half_past_two.end_if_quiet(at("2026-10-25T01:10:00Z")), // 02:10 winter, again
            Some(at("2026-10-25T01:30:00Z"))
        );
    }

    #[test]
    fn bad_quiet_hours_are_refused_in_words() {
        for (from, to, zone, says) in [
            ("22", "07:00", "UTC", "is not a time of day"),
            ("22:00", "7:5", "UTC", "is not a time of day"),
            ("25:00", "07:00", "UTC", "is not a time of day"),
            ("22:00", "22:00", "UTC", "same time"),
            ("22:00", "07:00", "Mars/Olympus", "not a time zone"),
        ] {
            let refused = QuietSpan::new(from, to, zone).expect_err("refused");
            assert!(refused.contains(says), "{from}–{to} {zone}: {refused}");
        }
        assert!(QuietSpan::new("7:05", "08:00", "UTC").is_ok());
    }
}
