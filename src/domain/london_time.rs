//! Times are stored in UTC and shown in Europe/London (GMT in winter, BST in summer).
use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

/// The last Sunday of a month, the day UK clocks change.
fn last_sunday(year: i32, month: Month) -> Date {
    let mut day = Date::from_calendar_date(year, month, time::util::days_in_month(month, year))
        .expect("last day of a month is a valid date");
    while day.weekday() != Weekday::Sunday {
        day = day.previous_day().expect("not the first day of time");
    }
    day
}

/// The UTC offset in force in London at an instant: BST runs from 01:00 UTC on
/// the last Sunday of March to 01:00 UTC on the last Sunday of October.
pub fn london_offset(at: OffsetDateTime) -> UtcOffset {
    let utc = at.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let one_am = time::Time::from_hms(1, 0, 0).expect("valid time");
    let starts = last_sunday(year, Month::March)
        .with_time(one_am)
        .assume_utc();
    let ends = last_sunday(year, Month::October)
        .with_time(one_am)
        .assume_utc();
    if utc >= starts && utc < ends {
        UtcOffset::from_hms(1, 0, 0).expect("valid offset")
    } else {
        UtcOffset::UTC
    }
}

pub fn to_london(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(london_offset(at))
}

/// "Saturday 5 December 2026"
pub fn long_date(date: Date) -> String {
    format!(
        "{} {} {} {}",
        date.weekday(),
        date.day(),
        date.month(),
        date.year()
    )
}

/// "10am", "2:30pm", "12pm" — the GOV.UK style for times.
pub fn clock(at: OffsetDateTime) -> String {
    let (h, m) = (at.hour(), at.minute());
    let suffix = if h < 12 { "am" } else { "pm" };
    let h12 = match h % 12 {
        0 => 12,
        h => h,
    };
    if m == 0 {
        format!("{h12}{suffix}")
    } else {
        format!("{h12}:{m:02}{suffix}")
    }
}

/// "Saturday 5 December 2026, 10am" in London time.
pub fn date_time(at: OffsetDateTime) -> String {
    let local = to_london(at);
    format!("{}, {}", long_date(local.date()), clock(local))
}

/// "Saturday 5 December 2026" in London time.
pub fn date(at: OffsetDateTime) -> String {
    long_date(to_london(at).date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn winter_is_gmt_and_summer_is_bst() {
        assert_eq!(
            london_offset(datetime!(2026-01-15 12:00 UTC)).whole_hours(),
            0
        );
        assert_eq!(
            london_offset(datetime!(2026-07-15 12:00 UTC)).whole_hours(),
            1
        );
    }

    #[test]
    fn clocks_change_at_one_am_utc_on_the_last_sundays() {
        // 2026: BST from Sunday 29 March to Sunday 25 October.
        assert_eq!(
            london_offset(datetime!(2026-03-29 00:59:59 UTC)).whole_hours(),
            0
        );
        assert_eq!(
            london_offset(datetime!(2026-03-29 01:00 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            london_offset(datetime!(2026-10-25 00:59:59 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            london_offset(datetime!(2026-10-25 01:00 UTC)).whole_hours(),
            0
        );
    }

    #[test]
    fn a_summer_session_shows_an_hour_later_than_utc() {
        assert_eq!(
            date_time(datetime!(2026-06-06 09:00 UTC)),
            "Saturday 6 June 2026, 10am"
        );
        assert_eq!(
            date_time(datetime!(2026-12-05 14:30 UTC)),
            "Saturday 5 December 2026, 2:30pm"
        );
        // Late evening UTC in summer is already the next day in London.
        assert_eq!(date(datetime!(2026-06-06 23:30 UTC)), "Sunday 7 June 2026");
    }

    #[test]
    fn noon_and_midnight_read_naturally() {
        assert_eq!(clock(datetime!(2026-01-01 12:00 UTC)), "12pm");
        assert_eq!(clock(datetime!(2026-01-01 00:05 UTC)), "12:05am");
    }
}
