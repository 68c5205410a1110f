//! Rules of the users area: what a sign-up must carry, which consents it records, and which
//! unique values a profile update really changes.

use serde::Deserialize;

use crate::lookups::{REGISTER_CONSENTS, sign_up_type_id};
use crate::validate::{EMAIL_MESSAGE, PHONE_MESSAGE, char_len, is_email, is_phone_number};

pub const NAME_MAX: usize = 10;
pub const NICKNAME_MAX: usize = 30;
pub const REQUIRED_CONSENTS_MESSAGE: &str = "필수 약관에 동의해야 합니다.";
pub const INVALID_SIGN_UP_TYPE_MESSAGE: &str = "잘못된 SignUpType 입니다.";

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MarketingConsents {
    pub marketing_channel_talk: bool,
    pub marketing_email: bool,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegisterConsents {
    pub terms_of_service: bool,
    pub talk: bool,
    pub email: bool,
    pub marketing: MarketingConsents,
}

impl RegisterConsents {
    /// Ids of the consents the user accepted, in id order.
    pub fn accepted_ids(&self) -> Vec<i64> {
        REGISTER_CONSENTS.iter().filter(|(_, name, _, _)| self.value(name)).map(|(id, ..)| *id).collect()
    }

    /// Required consents must be accepted (the old system stored them but never checked).
    pub fn missing_required(&self) -> bool {
        REGISTER_CONSENTS.iter().any(|(_, name, _, required)| *required && !self.value(name))
    }

    fn value(&self, name: &str) -> bool {
        match name {
            "termsOfService" => self.terms_of_service,
            "talk" => self.talk,
            "email" => self.email,
            "marketingChannelTalk" => self.marketing.marketing_channel_talk,
            "marketingEmail" => self.marketing.marketing_email,
            _ => false,
        }
    }
}

/// The fields of a sign-up that need checking beyond their JSON types.
pub struct SignUpFields<'a> {
    pub name: &'a str,
    pub nickname: &'a str,
    pub email: &'a str,
    pub phone_number: Option<&'a str>,
    pub provider: &'a str,
    pub auth_email: &'a str,
    pub consents: &'a RegisterConsents,
}

/// Every violated rule as a client-facing message, in field order (empty when valid).
pub fn check_sign_up(f: &SignUpFields) -> Vec<String> {
    let mut errors = Vec::new();
    check_name(f.name, &mut errors);
    check_nickname(f.nickname, &mut errors);
    if !is_email(f.email) {
        errors.push(EMAIL_MESSAGE.to_string());
    }
    if let Some(phone) = f.phone_number
        && !is_phone_number(phone)
    {
        errors.push(PHONE_MESSAGE.to_string());
    }
    if sign_up_type_id(f.provider).is_none() {
        errors.push(INVALID_SIGN_UP_TYPE_MESSAGE.to_string());
    }
    if !is_email(f.auth_email) {
        errors.push(format!("authEmail: {EMAIL_MESSAGE}"));
    }
    if f.consents.missing_required() {
        errors.push(REQUIRED_CONSENTS_MESSAGE.to_string());
    }
    errors
}

pub fn check_name(name: &str, errors: &mut Vec<String>) {
    if name.trim().is_empty() {
        errors.push("name should not be empty".into());
    } else if char_len(name) > NAME_MAX {
        errors.push(format!("name must be shorter than or equal to {NAME_MAX} characters"));
    }
}

pub fn check_nickname(nickname: &str, errors: &mut Vec<String>) {
    if nickname.trim().is_empty() {
        errors.push("nickname should not be empty".into());
    } else if char_len(nickname) > NICKNAME_MAX {
        errors.push(format!("nickname must be shorter than or equal to {NICKNAME_MAX} characters"));
    }
}

/// The new value of a unique field, or `None` when the update leaves it as it is: submitting
/// one's own current nickname, e-mail or phone number is not a conflict.
pub fn changed<'a>(current: Option<&str>, requested: Option<&'a str>) -> Option<&'a str> {
    requested.filter(|r| Some(*r) != current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consents(terms: bool, talk: bool, marketing_email: bool) -> RegisterConsents {
        RegisterConsents {
            terms_of_service: terms,
            talk,
            email: false,
            marketing: MarketingConsents { marketing_channel_talk: false, marketing_email },
        }
    }

    fn fields<'a>(c: &'a RegisterConsents) -> SignUpFields<'a> {
        SignUpFields {
            name: "김댄서",
            nickname: "dancer",
            email: "kim@example.com",
            phone_number: Some("01012345678"),
            provider: "KAKAO",
            auth_email: "kim@kakao.com",
            consents: c,
        }
    }

    #[test]
    fn accepted_consents_map_to_their_ids() {
        assert_eq!(consents(true, true, true).accepted_ids(), vec![1, 2, 5]);
    }

    #[test]
    fn a_sign_up_without_the_terms_is_refused() {
        let c = consents(false, true, false);
        assert_eq!(check_sign_up(&fields(&c)), vec![REQUIRED_CONSENTS_MESSAGE.to_string()]);
    }

    #[test]
    fn a_valid_sign_up_has_no_errors() {
        let c = consents(true, true, false);
        assert!(check_sign_up(&fields(&c)).is_empty());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let c = consents(true, true, false);
        let mut f = fields(&c);
        f.name = "열한글자가넘는긴이름입니다";
        f.email = "nope";
        f.phone_number = Some("123");
        f.provider = "FACEBOOK";
        assert_eq!(check_sign_up(&f).len(), 4);
    }

    #[test]
    fn keeping_ones_own_value_is_no_change() {
        assert_eq!(changed(Some("a"), Some("a")), None);
        assert_eq!(changed(Some("a"), Some("b")), Some("b"));
        assert_eq!(changed(None, Some("b")), Some("b"));
        assert_eq!(changed(Some("a"), None), None);
    }
}
