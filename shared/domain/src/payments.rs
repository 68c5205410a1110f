//! Rules of class and pass payments (flows.md §4.2, §4.9): when a booking stops being
//! refundable in full, and what a refund returns.

use time::{Duration, OffsetDateTime};

/// Why nothing can be refunded (400 `RefundPeriodNotAvailable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundNotAvailable;

/// The last moment a class booking is refundable in full: `deadline_hours` before its first
/// session (a one-day session, or a cohort's first one). Booking closes then too (400
/// `ExpiredDate` after it).
pub fn refundable_until(first_session: OffsetDateTime, deadline_hours: i64) -> OffsetDateTime {
    first_session - Duration::hours(deadline_hours)
}

/// What was booked, as a refund sees it.
#[derive(Debug, Clone, Copy)]
pub enum Booked<'a> {
    OneDay,
    /// A regular cohort, by the starts of its sessions.
    Regular {
        sessions: &'a [OffsetDateTime],
    },
}

/// A confirmed class booking asking for its money back.
#[derive(Debug, Clone, Copy)]
pub struct ClassRefund<'a> {
    pub final_price: i64,
    /// When the payment was confirmed.
    pub paid_at: OffsetDateTime,
    pub refundable_until: OffsetDateTime,
    pub booked: Booked<'a>,
}

/// What a refund returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refund {
    /// Whole won.
    pub amount: i64,
    /// Nothing was attended: the learner also leaves the lecturer's learners.
    pub nothing_attended: bool,
}

/// The refund of a class booking at `now` (flows.md §4.9): everything within `grace` of paying
/// or until the booking's deadline; after it, nothing for a one-day class, and for a cohort the
/// sessions not yet started, pro rata and floored to whole won, while at most half have started.
pub fn class_refund(
    case: &ClassRefund,
    grace: Duration,
    now: OffsetDateTime,
) -> Result<Refund, RefundNotAvailable> {
    let full = Refund { amount: case.final_price.max(0), nothing_attended: true };
    if now - case.paid_at <= grace || now <= case.refundable_until {
        return Ok(full);
    }
    let Booked::Regular { sessions } = case.booked else {
        return Err(RefundNotAvailable);
    };
    let total = sessions.len() as i64;
    let attended = sessions.iter().filter(|start| **start <= now).count() as i64;
    if total == 0 || attended == 0 {
        return Ok(full);
    }
    // Progress ≤ 50 %, without rounding: attended / total ≤ 1 / 2.
    if attended * 2 > total {
        return Err(RefundNotAvailable);
    }
    Ok(Refund { amount: case.final_price.max(0) * (total - attended) / total, nothing_attended: false })
}

/// The refund of a pass purchase at `now`: all of it while no use was spent and until
/// `refundable_until` (the purchase plus `PASS_REFUNDABLE_DAYS_PERIOD` days); nothing after.
pub fn pass_refund(
    final_price: i64,
    remaining_uses: i64,
    max_usage_count: i64,
    refundable_until: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<i64, RefundNotAvailable> {
    if remaining_uses >= max_usage_count && now <= refundable_until {
        Ok(final_price.max(0))
    } else {
        Err(RefundNotAvailable)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const PAID: OffsetDateTime = datetime!(2026-12-01 10:00 +09:00);
    const FIRST: OffsetDateTime = datetime!(2026-12-10 19:00 +09:00);

    fn weekly(n: i64) -> Vec<OffsetDateTime> {
        (0..n).map(|i| FIRST + Duration::weeks(i)).collect()
    }

    fn case(booked: Booked<'_>, final_price: i64) -> ClassRefund<'_> {
        ClassRefund { final_price, paid_at: PAID, refundable_until: refundable_until(FIRST, 24), booked }
    }

    #[test]
    fn a_booking_closes_its_deadline_before_the_first_session() {
        assert_eq!(refundable_until(FIRST, 24), datetime!(2026-12-09 19:00 +09:00));
        assert_eq!(refundable_until(FIRST, 0), FIRST);
    }

    #[test]
    fn class_refunds_follow_flows_4_9() {
        let grace = Duration::minutes(30);
        let four = weekly(4);
        let three = weekly(3);
        let five = weekly(5);
        let after = |s: &[OffsetDateTime], i: usize| s[i] + Duration::minutes(1);
        let ok = |amount, nothing_attended| Ok(Refund { amount, nothing_attended });
        /// (what, booked, price, now, expected)
        type Case<'a> = (&'a str, Booked<'a>, i64, OffsetDateTime, Result<Refund, RefundNotAvailable>);
        let cases: Vec<Case> = vec![
            ("within the grace window", Booked::OneDay, 30_000, PAID + grace, ok(30_000, true)),
            ("before the deadline", Booked::OneDay, 30_000, refundable_until(FIRST, 24), ok(30_000, true)),
            (
                "one-day, after the deadline",
                Booked::OneDay,
                30_000,
                refundable_until(FIRST, 24) + Duration::SECOND,
                Err(RefundNotAvailable),
            ),
            ("one-day, at its session", Booked::OneDay, 30_000, FIRST, Err(RefundNotAvailable)),
            (
                "regular, after the deadline, nothing started",
                Booked::Regular { sessions: &four },
                40_000,
                FIRST - Duration::SECOND,
                ok(40_000, true),
            ),
            (
                "regular, a session starting now counts as started",
                Booked::Regular { sessions: &four },
                40_000,
                FIRST,
                ok(30_000, false),
            ),
            (
                "regular, 1 of 4",
                Booked::Regular { sessions: &four },
                40_000,
                after(&four, 0),
                ok(30_000, false),
            ),
            (
                "regular, 2 of 4 is 50 %",
                Booked::Regular { sessions: &four },
                40_000,
                after(&four, 1),
                ok(20_000, false),
            ),
            (
                "regular, 3 of 4",
                Booked::Regular { sessions: &four },
                40_000,
                after(&four, 2),
                Err(RefundNotAvailable),
            ),
            (
                "regular, 1 of 3, floored to whole won",
                Booked::Regular { sessions: &three },
                10_001,
                after(&three, 0),
                ok(6_667, false),
            ),
            (
                "regular, 2 of 3",
                Booked::Regular { sessions: &three },
                10_001,
                after(&three, 1),
                Err(RefundNotAvailable),
            ),
            (
                "regular, 2 of 5",
                Booked::Regular { sessions: &five },
                99_999,
                after(&five, 1),
                ok(59_999, false),
            ),
            (
                "regular, all done",
                Booked::Regular { sessions: &four },
                40_000,
                after(&four, 3),
                Err(RefundNotAvailable),
            ),
            ("a cohort without sessions", Booked::Regular { sessions: &[] }, 40_000, FIRST, ok(40_000, true)),
            ("a free booking", Booked::OneDay, 0, PAID, ok(0, true)),
        ];
        for (what, booked, price, now, expected) in cases {
            assert_eq!(class_refund(&case(booked, price), grace, now), expected, "{what}");
        }
    }

    #[test]
    fn a_pass_is_refunded_in_full_while_unused_and_in_time() {
        let until = PAID + Duration::days(10);
        assert_eq!(pass_refund(250_000, 10, 10, until, until), Ok(250_000));
        assert_eq!(pass_refund(250_000, 9, 10, until, PAID), Err(RefundNotAvailable), "one use spent");
        assert_eq!(pass_refund(250_000, 10, 10, until, until + Duration::SECOND), Err(RefundNotAvailable));
    }
}
