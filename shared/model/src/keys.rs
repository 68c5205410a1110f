//! Every entity's keys in one place (see docs/data-model.md). Uniqueness is enforced by guard
//! items whose key is the unique value, written in the same transaction as the entity.

use connection_table::Key;

pub fn user(id: i64) -> Key {
    Key::new(format!("USER#{id}"), "PROFILE")
}

pub fn user_consent(user_id: i64, consent_id: i64) -> Key {
    Key::new(format!("USER#{user_id}"), format!("CONSENT#{consent_id:06}"))
}

/// E-mails are unique regardless of letter case.
pub fn user_email_guard(email: &str) -> Key {
    Key::new(format!("UNIQUE#USER_EMAIL#{}", email.to_lowercase()), "UNIQUE")
}

pub fn user_nickname_guard(nickname: &str) -> Key {
    Key::new(format!("UNIQUE#USER_NICKNAME#{nickname}"), "UNIQUE")
}

pub fn user_phone_guard(phone: &str) -> Key {
    Key::new(format!("UNIQUE#USER_PHONE#{phone}"), "UNIQUE")
}

/// The binding of a social-login e-mail to its account (the original's `Auth` row).
pub fn auth_email(email: &str) -> Key {
    Key::new(format!("AUTH#{}", email.to_lowercase()), "AUTH")
}

pub fn lookup(kind: &str, sort_key: &str) -> Key {
    Key::new(lookup_partition(kind), sort_key)
}

pub fn lookup_partition(kind: &str) -> String {
    format!("LOOKUP#{kind}")
}

/// A lecturer profile (1–1 with a user, who holds its id as `lecturerId`).
pub fn lecturer(id: i64) -> Key {
    Key::new(format!("LECTURER#{id}"), "PROFILE")
}

/// One signed-in device: a refresh-token family.
pub fn session(family: &str) -> Key {
    Key::new(format!("SESSION#{family}"), "SESSION")
}

/// Proof, left by sign-in, that the caller owns this social e-mail and may sign up with it.
pub fn sign_up_grant(email: &str) -> Key {
    Key::new(format!("SIGNUP#{}", email.to_lowercase()), "GRANT")
}

/// The verification code last sent to a phone number at a user's request: only that user can
/// check it.
pub fn sms_code(user_id: i64, phone: &str) -> Key {
    Key::new(format!("USER#{user_id}"), format!("SMS_CODE#{phone}"))
}

/// SMS sent by a user on one Korean calendar day (`2026-11-28`).
pub fn sms_usage(user_id: i64, day: &str) -> Key {
    Key::new(format!("USER#{user_id}"), format!("SMS_USAGE#{day}"))
}

/// SMS sent to a phone number on one Korean calendar day, whoever asked.
pub fn sms_phone_usage(phone: &str, day: &str) -> Key {
    Key::new(format!("PHONE#{phone}"), format!("SMS_USAGE#{day}"))
}

/// A phone number this user has proven to own.
pub fn phone_verified(user_id: i64, phone: &str) -> Key {
    Key::new(format!("USER#{user_id}"), format!("PHONE_VERIFIED#{phone}"))
}

pub fn lecturer_nickname_guard(nickname: &str) -> Key {
    Key::new(format!("UNIQUE#LECTURER_NICKNAME#{nickname}"), "UNIQUE")
}

/// A user's like of a lecturer (one per pair). Listed newest first through `gsi1`
/// ([`liked_lecturers`]); the lecturer's followers through `gsi2` ([`lecturer_followers`]).
pub fn lecturer_like(user_id: i64, lecturer_id: i64) -> Key {
    Key::new(format!("USER#{user_id}"), format!("LIKED_LECTURER#{lecturer_id:012}"))
}

pub fn liked_lecturers(user_id: i64) -> String {
    format!("USER#{user_id}#LIKED_LECTURERS")
}

pub fn lecturer_followers(lecturer_id: i64) -> String {
    format!("LECTURER#{lecturer_id}#FOLLOWERS")
}

/// A user's block of a lecturer (one per pair); the user's partition holds them all under
/// [`BLOCKED_LECTURER`], newest first through `gsi1` ([`blocked_lecturers`]).
pub fn lecturer_block(user_id: i64, lecturer_id: i64) -> Key {
    Key::new(format!("USER#{user_id}"), format!("{BLOCKED_LECTURER}{lecturer_id:012}"))
}

pub const BLOCKED_LECTURER: &str = "BLOCKED_LECTURER#";

pub fn blocked_lecturers(user_id: i64) -> String {
    format!("USER#{user_id}#BLOCKED_LECTURERS")
}

/// A sort key that orders ids numerically.
pub fn id_sort(id: i64) -> String {
    format!("{id:012}")
}

pub fn lecture(id: i64) -> Key {
    Key::new(lecture_partition(id), "LECTURE")
}

/// The partition holding a lecture and its schedules and cohorts.
pub fn lecture_partition(id: i64) -> String {
    format!("LECTURE#{id}")
}

pub const SCHEDULE: &str = "SCHEDULE#";
pub const COHORT: &str = "COHORT#";

/// A one-day session: unique per start instant (ISO-8601, UTC) within its lecture.
pub fn schedule(lecture_id: i64, start: &str) -> Key {
    Key::new(lecture_partition(lecture_id), format!("{SCHEDULE}{start}"))
}

pub fn schedule_by_id(id: i64) -> String {
    format!("SCHEDULE#{id}")
}

pub fn cohort(lecture_id: i64, id: i64) -> Key {
    Key::new(lecture_partition(lecture_id), format!("{COHORT}{}", id_sort(id)))
}

pub fn cohort_by_id(id: i64) -> String {
    format!("COHORT#{id}")
}

/// `gsi1` partition: a lecturer's lectures by id.
pub fn lecturer_lectures(lecturer_id: i64) -> String {
    format!("LECTURER#{lecturer_id}#LECTURES")
}

/// `gsi2` partition: a lecturer's schedules and cohorts by start.
pub fn lecturer_schedules(lecturer_id: i64) -> String {
    format!("LECTURER#{lecturer_id}#SCHEDULES")
}

/// A user's like of a lecture (one per pair), listed through `gsi1` ([`liked_lectures`]).
pub fn lecture_like(user_id: i64, lecture_id: i64) -> Key {
    Key::new(format!("USER#{user_id}"), format!("LIKED_LECTURE#{}", id_sort(lecture_id)))
}

pub fn liked_lectures(user_id: i64) -> String {
    format!("USER#{user_id}#LIKED_LECTURES")
}

/// A lecture draft, in its lecturer's partition (so only its lecturer reaches it).
pub fn draft(lecturer_id: i64, id: i64) -> Key {
    Key::new(format!("LECTURER#{lecturer_id}"), format!("{DRAFT}{}", id_sort(id)))
}

pub const DRAFT: &str = "DRAFT#";

/// A notification to a user, newest last in its partition: the time it was made and its source.
pub fn notification(user_id: i64, at: &str, lecture_id: i64) -> Key {
    Key::new(format!("NOTIFICATIONS#USER#{user_id}"), format!("{at}#LECTURE#{}", id_sort(lecture_id)))
}

/// A recent, unclaimed upload of the anonymous upload routes: it lets `DELETE /uploads` remove
/// the object until an entity takes the image (the entity's write deletes this item) or a day
/// has passed (`ttl`). A deletion turns it into a tombstone (`deleting`, no `ttl`) that refuses
/// every later claim.
pub fn upload(object_key: &str) -> Key {
    Key::new(format!("UPLOAD#{object_key}"), "UPLOAD")
}

pub fn coupon(id: i64) -> Key {
    Key::new(format!("COUPON#{id}"), "COUPON")
}

/// `gsi1` partition: a lecturer's coupons (not deleted) by id.
pub fn lecturer_coupons(lecturer_id: i64) -> String {
    format!("LECTURER#{lecturer_id}#COUPONS")
}

pub const HOLDER: &str = "HOLDER#";

/// A learner's holding of a coupon, in the coupon's partition: one per (coupon, learner).
pub fn holding(coupon_id: i64, user_id: i64) -> Key {
    Key::new(format!("COUPON#{coupon_id}"), format!("{HOLDER}{}", id_sort(user_id)))
}

/// `gsi1` partition: a learner's holdings by coupon id.
pub fn user_coupons(user_id: i64) -> String {
    format!("USER#{user_id}#COUPONS")
}

/// The partition of a lecture's coupon and pass targets.
pub fn lecture_offers(lecture_id: i64) -> String {
    format!("LECTURE#{lecture_id}#OFFERS")
}

pub const COUPON_TARGET: &str = "COUPON#";
pub const PASS_TARGET: &str = "PASS#";

pub fn coupon_target(lecture_id: i64, coupon_id: i64) -> Key {
    Key::new(lecture_offers(lecture_id), format!("{COUPON_TARGET}{}", id_sort(coupon_id)))
}

pub fn pass_target(lecture_id: i64, pass_id: i64) -> Key {
    Key::new(lecture_offers(lecture_id), format!("{PASS_TARGET}{}", id_sort(pass_id)))
}

pub fn pass(id: i64) -> Key {
    Key::new(format!("PASS#{id}"), "PASS")
}

/// `gsi1` partition: a lecturer's passes (not deleted) by id.
pub fn lecturer_passes(lecturer_id: i64) -> String {
    format!("LECTURER#{lecturer_id}#PASSES")
}

/// A purchased pass, in its learner's partition.
pub fn user_pass(user_id: i64, id: i64) -> Key {
    Key::new(format!("USER#{user_id}"), format!("USER_PASS#{}", id_sort(id)))
}

/// `gsi1` partition: a learner's enabled passes by id.
pub fn user_passes(user_id: i64) -> String {
    format!("USER#{user_id}#PASSES")
}

/// An order (a payment), keyed by the order id the browser generates: one per id.
pub fn order(order_id: &str) -> Key {
    Key::new(format!("ORDER#{order_id}"), "PAYMENT")
}

/// `gsi1` partition: a learner's payments by id.
pub fn user_payments(user_id: i64) -> String {
    format!("USER#{user_id}#PAYMENTS")
}

/// `gsi2` partition: the payments a lecturer received, by id.
pub fn lecturer_payments(lecturer_id: i64) -> String {
    format!("LECTURER#{lecturer_id}#PAYMENTS")
}

/// A learner of a lecturer (`LecturerLearner`), with the count of their bookings.
pub fn learner(lecturer_id: i64, user_id: i64) -> Key {
    Key::new(format!("LECTURER#{lecturer_id}"), format!("LEARNER#{}", id_sort(user_id)))
}

/// While a learner holds an enabled (or pending) copy of a pass, this guard keeps them from
/// buying it again (domain.md §8.3).
pub fn pass_guard(user_id: i64, pass_id: i64) -> Key {
    Key::new(format!("USER#{user_id}"), format!("PASS_GUARD#{}", id_sort(pass_id)))
}

/// A learner's bank account (a refund destination), unique per (bank, number, holder).
pub fn user_bank_account(user_id: i64, bank_code: &str, account_number: &str, holder: &str) -> Key {
    Key::new(format!("USER#{user_id}"), format!("BANK_ACCOUNT#{bank_code}#{account_number}#{holder}"))
}

/// `gsi1` partition: a learner's bank accounts, most recently used last.
pub fn user_bank_accounts(user_id: i64) -> String {
    format!("USER#{user_id}#BANK_ACCOUNTS")
}
