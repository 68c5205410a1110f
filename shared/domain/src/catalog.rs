//! Rules of the catalog: dance genres, contact masking and the popularity ranking.

use crate::lookups::DANCE_CATEGORIES;

/// The category that stands for "other": its links carry the free-text genre name.
pub const OTHER_GENRE: &str = "기타";

/// The id of a genre the client names (`힙합`); `기타` is reached through `etcGenres` only.
pub fn genre_id(name: &str) -> Option<i64> {
    DANCE_CATEGORIES.iter().find(|(_, g)| *g == name).map(|(id, _)| *id)
}

pub fn genre_name(id: i64) -> Option<&'static str> {
    DANCE_CATEGORIES.iter().find(|(i, _)| *i == id).map(|(_, g)| *g)
}

pub fn other_genre_id() -> i64 {
    genre_id(OTHER_GENRE).unwrap_or(12)
}

/// `01012345678` → `010-****-5678`: enough to recognise a number, not to call it.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 {
        return "*".repeat(digits.len().max(4));
    }
    let head: String = digits[..3].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}-****-{tail}")
}

/// `kim@gmail.com` → `k***@gmail.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// The popularity of flows.md §11 (0.6 × enabled bookings + 0.4 × likes, ties by bookings) as
/// one integer, so that a like or a booking moves it with a single atomic ADD: ten times the
/// score in the high bits, the booking count in the low 20.
pub fn popularity(bookings: i64, likes: i64) -> i64 {
    ((6 * bookings + 4 * likes) << 20) + bookings
}

/// What one like adds to [`popularity`].
pub const LIKE_POPULARITY: i64 = 4 << 20;
/// What one enabled booking adds to [`popularity`].
pub const BOOKING_POPULARITY: i64 = (6 << 20) + 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_masked_but_recognisable() {
        assert_eq!(mask_phone("01012345678"), "010-****-5678");
        assert_eq!(mask_phone("12"), "****");
        assert_eq!(mask_email("kim@gmail.com"), "k***@gmail.com");
        assert_eq!(mask_email("김@naver.com"), "김***@naver.com");
        assert_eq!(mask_email("nonsense"), "***");
    }

    #[test]
    fn popularity_ranks_by_score_then_bookings() {
        // 0.6 × 2 + 0.4 × 0 = 1.2 beats 0.6 × 0 + 0.4 × 2 = 0.8.
        assert!(popularity(2, 0) > popularity(0, 2));
        // Equal scores (0.6 × 2 = 0.4 × 3): more bookings first.
        assert!(popularity(2, 0) > popularity(0, 3));
        assert_eq!(popularity(0, 3) + BOOKING_POPULARITY, popularity(1, 3));
        assert_eq!(popularity(5, 7) + LIKE_POPULARITY, popularity(5, 8));
    }

    #[test]
    fn genres_are_the_seeded_categories() {
        assert_eq!(genre_id("힙합"), Some(6));
        assert_eq!(genre_name(6), Some("힙합"));
        assert_eq!(genre_id("hiphop"), None);
        assert_eq!(other_genre_id(), 12);
    }
}
