//! Time rules of classes: what the client sends as a date, when a session ends, its weekday
//! and day in Seoul, and how far a class has progressed. Instants are UTC in storage and ISO-8601
//! (milliseconds, `Z`) on the wire; business days are Asia/Seoul.

use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};

pub const SEOUL: UtcOffset = offset!(+9);

/// An instant as the web client sends one: ISO-8601 (`2026-12-01T10:00:00.000Z`, any offset), a
/// bare date (`2026-12-01`, midnight UTC, as the original stored it) or JavaScript's
/// `Date.toString()` (`Mon Dec 01 2026 19:00:00 GMT+0900 (Korean Standard Time)`, the `+`
/// possibly turned into a space by a query string).
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    let at = if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        at
    } else if let Ok(date) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        date.midnight().assume_utc()
    } else {
        js_date(text)?
    };
    // Stored instants have milliseconds (the wire's precision), and business dates are of this
    // century: anything else is not a class date.
    let at = at.to_offset(UtcOffset::UTC).replace_nanosecond(at.millisecond() as u32 * 1_000_000).ok()?;
    (YEARS.contains(&at.year())).then_some(at)
}

/// The years a class date may fall in.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `Mon Dec 01 2026 19:00:00 GMT+0900 (Korean Standard Time)`.
fn js_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.split(" (").next()?;
    let (local, zone) = text.rsplit_once(" GMT")?;
    let zone = zone.trim();
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        // A `+` that a query string turned into a space.
        _ if local.ends_with(' ') || zone.len() == 4 => (1, zone),
        _ => return None,
    };
    let local = local.trim_end();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i8 = digits[..2].parse().ok()?;
    let minutes: i8 = digits[2..].parse().ok()?;
    let offset = UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?;
    let format =
        format_description!("[weekday repr:short] [month repr:short] [day] [year] [hour]:[minute]:[second]");
    let at = PrimitiveDateTime::parse(local, format).ok()?;
    Some(at.assume_offset(offset).to_offset(UtcOffset::UTC))
}

/// A session ends `duration` minutes after it starts.
pub fn session_end(start: OffsetDateTime, duration_minutes: i64) -> OffsetDateTime {
    start + Duration::minutes(duration_minutes)
}

/// The weekday of an instant in Seoul, 0 = Sunday … 6 = Saturday (the original's `day`).
pub fn seoul_weekday(at: OffsetDateTime) -> u8 {
    at.to_offset(SEOUL).weekday().number_days_from_sunday()
}

/// The Seoul calendar day of an instant, `2026-12-01`.
pub fn seoul_day(at: OffsetDateTime) -> String {
    let day = at.to_offset(SEOUL).date();
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// Whether a session starting at `start` falls on `holiday` (a date, compared as Seoul days).
pub fn on_holiday(start: OffsetDateTime, holiday: OffsetDateTime) -> bool {
    seoul_day(start) == seoul_day(holiday)
}

/// `round(done / total × 100)`, 0 for a class without sessions.
pub fn progress(done: usize, total: usize) -> i64 {
    if total == 0 { 0 } else { ((done as f64 / total as f64) * 100.0).round() as i64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_clients_three_date_forms_parse() {
        let at = datetime!(2026-12-01 10:00 UTC);
        assert_eq!(parse_instant("2026-12-01T10:00:00.000Z"), Some(at));
        assert_eq!(parse_instant("2026-12-01T19:00:00+09:00"), Some(at));
        assert_eq!(parse_instant("Tue Dec 01 2026 19:00:00 GMT+0900 (Korean Standard Time)"), Some(at));
        assert_eq!(parse_instant("Tue Dec 01 2026 19:00:00 GMT 0900 (Korean Standard Time)"), Some(at));
        assert_eq!(parse_instant("Tue Dec 01 2026 10:00:00 GMT-0000"), Some(at));
        assert_eq!(parse_instant("2026-12-01"), Some(datetime!(2026-12-01 0:00 UTC)));
    }

    #[test]
    fn instants_keep_milliseconds_and_stay_in_this_century() {
        assert_eq!(parse_instant("2026-12-01T10:00:00.0001Z"), parse_instant("2026-12-01T10:00:00.0002Z"));
        assert_eq!(parse_instant("2026-12-01T10:00:00.1239Z"), Some(datetime!(2026-12-01 10:00:00.123 UTC)));
        assert_eq!(parse_instant("9999-12-31T23:00:00Z"), None);
        assert_eq!(parse_instant("1900-01-01"), None);
    }

    #[test]
    fn garbage_is_not_a_date() {
        for text in ["", "yesterday", "2026-13-01", "Tue Dec 01 2026 19:00:00 GMT+09", "1700000000"] {
            assert_eq!(parse_instant(text), None, "{text}");
        }
    }

    #[test]
    fn weekdays_and_days_are_seoul_ones() {
        // 2026-12-01 20:00 UTC is Wednesday 05:00 in Seoul.
        let late = datetime!(2026-12-01 20:00 UTC);
        assert_eq!(seoul_weekday(late), 3);
        assert_eq!(seoul_day(late), "2026-12-02");
        assert!(on_holiday(late, datetime!(2026-12-01 15:00 UTC)));
        assert!(!on_holiday(late, datetime!(2026-12-01 0:00 UTC)));
        assert_eq!(session_end(late, 90), datetime!(2026-12-01 21:30 UTC));
    }

    #[test]
    fn progress_is_a_rounded_percentage() {
        assert_eq!(progress(1, 3), 33);
        assert_eq!(progress(2, 3), 67);
        assert_eq!(progress(0, 0), 0);
        assert_eq!(progress(4, 4), 100);
    }
}
