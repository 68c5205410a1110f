//! Field formats shared by many routes, with the messages the client shows.

use std::sync::LazyLock;

use regex::Regex;

// `[0-9]`, not `\d`: `\d` matches every Unicode digit, and a number written in other digits
// would slip past the phone uniqueness guard.
static PHONE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^010[0-9]{8}$").unwrap());
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$").unwrap());

pub const PHONE_MESSAGE: &str = "유효하지 않은 전화번호 형식입니다.";
pub const EMAIL_MESSAGE: &str = "잘못된 이메일 형식입니다.";

pub fn is_phone_number(value: &str) -> bool {
    PHONE.is_match(value)
}

/// The longest e-mail address SMTP allows (RFC 5321 §4.5.3.1); e-mails become keys, so a longer
/// one is refused before it reaches the table.
pub const EMAIL_MAX: usize = 254;

pub fn is_email(value: &str) -> bool {
    value.len() <= EMAIL_MAX && EMAIL.is_match(value)
}

/// Length in characters (not bytes): Korean names count one per syllable, as in the database.
pub fn char_len(value: &str) -> usize {
    value.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_korean_mobile_numbers() {
        assert!(is_phone_number("01012345678"));
        assert!(!is_phone_number("0101234567"));
        assert!(!is_phone_number("01112345678"));
        assert!(!is_phone_number("010-1234-5678"));
        // Arabic-Indic and full-width digits are digits to `\d`, not to us.
        assert!(!is_phone_number("010١٢٣٤٥٦٧٨"));
        assert!(!is_phone_number("010１２３４５６７８"));
    }

    #[test]
    fn emails_need_a_domain_with_a_tld() {
        assert!(is_email("kim.dancer+1@example.co.kr"));
        assert!(!is_email("kim@localhost"));
        assert!(!is_email("not an email"));
        assert!(is_email(&format!("{}@example.com", "a".repeat(EMAIL_MAX - 12))));
        assert!(!is_email(&format!("{}@example.com", "a".repeat(EMAIL_MAX - 11))));
    }

    #[test]
    fn lengths_count_characters() {
        assert_eq!(char_len("김댄서"), 3);
    }
}
