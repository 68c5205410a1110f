//! Rules of coupons and passes (domain.md §7–§8, flows.md §4.2 and §4.7): a coupon's terms, the
//! price an order pays with up to two coupons, a pass's validity window, and the codes of
//! private coupons.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use time::{Date, Month, OffsetDateTime};

use crate::schedule::SEOUL;

/// A coupon's discount: exactly one of a percentage and a fixed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CouponTerms {
    pub percentage: Option<i64>,
    pub discount_price: Option<i64>,
    /// The most a percentage discount takes off.
    pub max_discount_price: Option<i64>,
}

/// Why a coupon's terms were refused (the codes of api.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsError {
    NoValueProvided,
    BothValueProvided,
    InvalidMaxDiscountPrice,
    /// A percentage outside 1–100, or a negative amount.
    OutOfRange,
}

impl CouponTerms {
    pub fn check(&self) -> Result<(), TermsError> {
        match (self.percentage, self.discount_price) {
            (None, None) => return Err(TermsError::NoValueProvided),
            (Some(_), Some(_)) => return Err(TermsError::BothValueProvided),
            _ => {}
        }
        if self.percentage.is_some_and(|p| !(1..=100).contains(&p))
            || self.discount_price.is_some_and(|d| d < 0)
            || self.max_discount_price.is_some_and(|m| m < 0)
        {
            return Err(TermsError::OutOfRange);
        }
        if let (Some(max), Some(discount)) = (self.max_discount_price, self.discount_price)
            && max < discount
        {
            return Err(TermsError::InvalidMaxDiscountPrice);
        }
        Ok(())
    }

    /// What this coupon takes off `price`: a percentage floored to whole won and capped by
    /// `maxDiscountPrice`, or the fixed amount; never more than `price`.
    pub fn discount(&self, price: i64) -> i64 {
        let off = match self.percentage {
            Some(p) => {
                let off = price * p / 100;
                self.max_discount_price.map_or(off, |max| off.min(max))
            }
            None => self.discount_price.unwrap_or(0),
        };
        off.clamp(0, price.max(0))
    }
}

/// Why two coupons cannot go together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackError {
    /// Both are percentage coupons (400 `DuplicateDiscount`).
    DuplicateDiscount,
}

/// The price of `participants` seats at `unit_price` after the regular and the stackable
/// coupon: the percentage coupon (whichever slot holds it) first, then the other; never below 0.
pub fn order_price(
    unit_price: i64,
    participants: i64,
    regular: Option<&CouponTerms>,
    stackable: Option<&CouponTerms>,
) -> Result<i64, StackError> {
    let mut coupons: Vec<&CouponTerms> = regular.into_iter().chain(stackable).collect();
    if coupons.iter().filter(|c| c.percentage.is_some()).count() > 1 {
        return Err(StackError::DuplicateDiscount);
    }
    // A stable sort keeps the slot order between two fixed coupons.
    coupons.sort_by_key(|c| c.percentage.is_none());
    let mut price = (unit_price * participants).max(0);
    for coupon in coupons {
        price -= coupon.discount(price);
    }
    Ok(price)
}

/// The validity of a pass used for the first time at `first_use`: from then until the same
/// Seoul wall-clock time `months` later, on the month's last day when that day does not exist
/// (Jan 31 + 1 month = Feb 28, or 29).
pub fn pass_window(first_use: OffsetDateTime, months: u32) -> (OffsetDateTime, OffsetDateTime) {
    let local = first_use.to_offset(SEOUL);
    let total = local.year() * 12 + i32::from(u8::from(local.month())) - 1 + months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(month).unwrap_or(Month::December);
    let day = local.day().min(month.length(year));
    let end_date = Date::from_calendar_date(year, month, day).unwrap_or(local.date());
    (first_use, local.replace_date(end_date).to_offset(time::UtcOffset::UTC))
}

type HmacSha256 = Hmac<Sha256>;

/// Bytes of the MAC a private code carries: 128 bits, beyond guessing.
const MAC_BYTES: usize = 16;

fn mac(key: &[u8], id: i64) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(b"connection/private-coupon/");
    mac.update(&id.to_be_bytes());
    Some(mac)
}

/// The code of private coupon `id`: URL-safe, and only someone holding `key` can make one.
pub fn private_code(key: &[u8], id: i64) -> String {
    let mut bytes = id.to_be_bytes().to_vec();
    if let Some(mac) = mac(key, id) {
        bytes.extend_from_slice(&mac.finalize().into_bytes()[..MAC_BYTES]);
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The coupon a code names, if the code was made with `key`; anything forged, truncated or
/// altered is `None`.
pub fn private_coupon_id(key: &[u8], code: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(code).ok()?;
    if bytes.len() != 8 + MAC_BYTES {
        return None;
    }
    let id = i64::from_be_bytes(bytes[..8].try_into().ok()?);
    // `verify_truncated_left` compares in constant time.
    mac(key, id)?.verify_truncated_left(&bytes[8..]).ok()?;
    (id > 0).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const fn pct(p: i64, max: Option<i64>) -> CouponTerms {
        CouponTerms { percentage: Some(p), discount_price: None, max_discount_price: max }
    }

    const fn fixed(d: i64) -> CouponTerms {
        CouponTerms { percentage: None, discount_price: Some(d), max_discount_price: None }
    }

    #[test]
    fn terms_need_exactly_one_discount_and_a_consistent_cap() {
        let none = CouponTerms { percentage: None, discount_price: None, max_discount_price: None };
        assert_eq!(none.check(), Err(TermsError::NoValueProvided));
        let both = CouponTerms { percentage: Some(10), discount_price: Some(1000), max_discount_price: None };
        assert_eq!(both.check(), Err(TermsError::BothValueProvided));
        let capped_low =
            CouponTerms { percentage: None, discount_price: Some(5000), max_discount_price: Some(4000) };
        assert_eq!(capped_low.check(), Err(TermsError::InvalidMaxDiscountPrice));
        assert_eq!(pct(0, None).check(), Err(TermsError::OutOfRange));
        assert_eq!(pct(101, None).check(), Err(TermsError::OutOfRange));
        assert_eq!(fixed(-1).check(), Err(TermsError::OutOfRange));
        assert_eq!(pct(100, Some(5000)).check(), Ok(()));
        assert_eq!(fixed(0).check(), Ok(()));
    }

    #[test]
    fn order_prices_follow_the_table_of_flows_4_2() {
        /// (unit price, participants, regular, stackable, expected)
        type Case = (i64, i64, Option<CouponTerms>, Option<CouponTerms>, Result<i64, StackError>);
        let cases: &[Case] = &[
            (30_000, 1, None, None, Ok(30_000)),
            (30_000, 2, None, None, Ok(60_000)),
            // Percentages are floored to whole won.
            (9_999, 1, Some(pct(15, None)), None, Ok(8_500)),
            (30_000, 1, Some(pct(10, None)), None, Ok(27_000)),
            // The cap bounds a percentage discount.
            (100_000, 1, Some(pct(50, Some(20_000))), None, Ok(80_000)),
            // A fixed coupon ignores a cap.
            (
                30_000,
                1,
                Some(CouponTerms {
                    percentage: None,
                    discount_price: Some(5_000),
                    max_discount_price: Some(9_000),
                }),
                None,
                Ok(25_000),
            ),
            // The percentage goes first, whichever slot holds it: 30,000 − 10 % − 5,000.
            (30_000, 1, Some(fixed(5_000)), Some(pct(10, None)), Ok(22_000)),
            (30_000, 1, Some(pct(10, None)), Some(fixed(5_000)), Ok(22_000)),
            // Two fixed coupons add up; the price never drops below 0.
            (30_000, 1, Some(fixed(20_000)), Some(fixed(20_000)), Ok(0)),
            (1_000, 1, Some(fixed(5_000)), None, Ok(0)),
            (0, 3, Some(pct(10, None)), None, Ok(0)),
            // At most one percentage coupon per order.
            (30_000, 1, Some(pct(10, None)), Some(pct(5, None)), Err(StackError::DuplicateDiscount)),
            // A stackable coupon alone is fine.
            (30_000, 1, None, Some(pct(100, None)), Ok(0)),
        ];
        for (unit, n, regular, stackable, expected) in cases {
            assert_eq!(
                order_price(*unit, *n, regular.as_ref(), stackable.as_ref()),
                *expected,
                "{unit} × {n} with {regular:?} and {stackable:?}"
            );
        }
    }

    #[test]
    fn a_pass_runs_for_whole_months_from_its_first_use_in_seoul() {
        // Jan 31 (Seoul) + 1 month = Feb 28; a leap year gives Feb 29.
        let jan31 = datetime!(2027-01-31 10:00 +09:00);
        assert_eq!(pass_window(jan31, 1).1, datetime!(2027-02-28 10:00 +09:00));
        assert_eq!(pass_window(datetime!(2028-01-31 10:00 +09:00), 1).1, datetime!(2028-02-29 10:00 +09:00));
        // 23:30 UTC on Jan 30 is already Jan 31 in Seoul.
        let late = datetime!(2027-01-30 23:30 UTC);
        assert_eq!(pass_window(late, 1).1, datetime!(2027-02-28 08:30 +09:00));
        // Across a year, and twelve months to the day.
        assert_eq!(pass_window(datetime!(2026-11-30 09:00 +09:00), 3).1, datetime!(2027-02-28 09:00 +09:00));
        assert_eq!(pass_window(datetime!(2026-12-03 12:00 +09:00), 12).1, datetime!(2027-12-03 12:00 +09:00));
        assert_eq!(pass_window(jan31, 0), (jan31, jan31));
    }

    #[test]
    fn private_codes_cannot_be_forged_altered_or_guessed() {
        let key = b"a key from configuration, 32+ bytes long";
        let code = private_code(key, 42);
        assert_eq!(private_coupon_id(key, &code), Some(42));
        assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{code}");
        assert_eq!(private_coupon_id(b"another key entirely, also long enough", &code), None);
        // The id of a code cannot be swapped for another one.
        let mut bytes = URL_SAFE_NO_PAD.decode(&code).unwrap();
        bytes[7] = 43;
        assert_eq!(private_coupon_id(key, &URL_SAFE_NO_PAD.encode(&bytes)), None);
        for forged in ["", "42", &code[..code.len() - 2], "!!!!", &"A".repeat(32), &format!("{code}A")] {
            assert_eq!(private_coupon_id(key, forged), None, "{forged}");
        }
        assert_ne!(private_code(key, 42), private_code(key, 43));
    }
}
