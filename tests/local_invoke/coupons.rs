//! The coupons area (api.md §6, §4.5): issuing, targets, claims, codes, lists and deletion.

use connection_table::{Table, Update};
use connection_tests::{Event, Harness, Reply};
use serde_json::{Value, json};

use crate::lecturers::Lecturer;
use crate::lectures::{one_day_body, open, teacher_with_class};
use crate::users::member;

pub fn coupon_body(lectures: &[i64]) -> Value {
    json!({
        "title": "첫 수업 할인", "startAt": "2026-01-01T00:00:00.000Z", "endAt": "2031-01-01T00:00:00.000Z",
        "discountPrice": 5000, "maxUsageCount": 10, "isPrivate": false, "isStackable": false,
        "lectureIds": lectures
    })
}

pub fn post_coupon(token: &str, body: &Value) -> Event {
    Event::new("POST", "/coupons/lecture", "/coupons/lecture").bearer(token).json(body)
}

/// Issues a coupon and returns its id.
pub async fn issue(h: &Harness, lecturer: &Lecturer, body: &Value) -> i64 {
    let r = h.invoke(post_coupon(&lecturer.token, body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["coupon"]["id"].as_i64().unwrap()
}

pub fn claim(token: &str, ids: &[i64]) -> Event {
    Event::new("POST", "/coupons/public/user", "/coupons/public/user")
        .bearer(token)
        .json(&json!({"couponIds": ids}))
}

fn claim_code(token: &str, code: &str) -> Event {
    Event::new("POST", &format!("/coupons/private/{code}/user"), "/coupons/private/{couponCode}/user")
        .bearer(token)
}

fn private_code(token: &str, id: i64) -> Event {
    Event::new("GET", &format!("/coupons/private/{id}"), "/coupons/private/{couponId}").bearer(token)
}

fn class_coupons(lecture: i64) -> Event {
    Event::new("GET", &format!("/coupons/lectures/{lecture}"), "/coupons/lectures/{lectureId}")
}

fn user_coupons(token: &str, query: &str) -> Event {
    Event::new("GET", &format!("/coupons/user?{query}"), "/coupons/user").bearer(token)
}

fn lecturer_coupons(token: &str, query: &str) -> Event {
    Event::new("GET", &format!("/coupons/lecturer?{query}"), "/coupons/lecturer").bearer(token)
}

fn delete(token: &str, id: i64) -> Event {
    Event::new("DELETE", &format!("/coupons/{id}"), "/coupons/{couponId}").bearer(token)
}

fn patch(token: &str, id: i64, body: &Value) -> Event {
    Event::new("PATCH", &format!("/coupons/{id}"), "/coupons/{couponId}").bearer(token).json(body)
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

fn refused(r: &Reply) -> Vec<(i64, String)> {
    r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["rejectedCouponId"].as_i64().unwrap(), e["error"].as_str().unwrap().to_string()))
        .collect()
}

async fn holding(h: &Harness, coupon: i64, user: i64) -> Option<connection_table::Item> {
    h.table.get(&connection_model::keys::holding(coupon, user)).await.unwrap()
}

#[tokio::test]
async fn a_lecturer_issues_a_coupon_for_their_classes_with_digit_strings_accepted() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let mut body = coupon_body(&[class]);
    body["discountPrice"] = json!("5000");
    body["isPrivate"] = json!("false");
    let r = h.invoke(post_coupon(&teacher.token, &body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let coupon = &r.data()["coupon"];
    assert_eq!(coupon["discountPrice"], 5000);
    assert_eq!(coupon["percentage"], Value::Null);
    assert_eq!(coupon["usageCount"], 0);
    assert_eq!(coupon["lectureCouponTarget"], json!([{"lecture": {"id": class, "title": "힙합 기초"}}]));
    let listed = h.invoke(class_coupons(class)).await;
    assert_eq!(ids(&listed.data()["couponList"]), [coupon["id"].as_i64().unwrap()]);
    assert_eq!(listed.data()["couponList"][0]["isOwned"], false);
    assert!(
        listed.data()["couponList"][0].get("usageCount").is_none(),
        "only a used-up coupon shows its uses"
    );
}

#[tokio::test]
async fn coupon_terms_are_checked_with_the_spec_codes() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (other, other_class) = teacher_with_class(&h, 2).await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({"percentage": 10}), 400, "BothValueProvided"),
        (json!({"discountPrice": null}), 400, "NoValueProvided"),
        (json!({"maxDiscountPrice": 1000}), 400, "InvalidMaxDiscountPrice"),
        (json!({"endAt": "2020-01-01T00:00:00.000Z"}), 400, "InvalidEndAt"),
        (json!({"startAt": "2032-01-01T00:00:00.000Z"}), 400, "InvalidStartAt"),
        (json!({"endAt": "soon"}), 400, "Bad Request"),
        (json!({"lectureIds": [other_class]}), 400, "InvalidClassIncluded"),
        (json!({"lectureIds": [class, 999]}), 400, "InvalidClassIncluded"),
        (json!({"title": " "}), 400, "Bad Request"),
        (json!({"maxUsageCount": 0}), 400, "Bad Request"),
        (json!({"discountPrice": null, "percentage": 101}), 400, "Bad Request"),
        (json!({"surprise": 1}), 400, "Bad Request"),
    ];
    for (change, status, code) in cases {
        let mut body = coupon_body(&[class]);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = h.invoke(post_coupon(&teacher.token, &body)).await;
        assert_eq!((r.status, r.code()), (status, code), "{change}: {:?}", r.body);
    }
    let r = h.invoke(post_coupon(&other.token, &coupon_body(&[class]))).await;
    assert_eq!((r.status, r.code()), (400, "InvalidClassIncluded"));
}

#[tokio::test]
async fn an_update_replaces_terms_and_targets_only_on_my_coupon() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let second = open(&h, &teacher, &one_day_body()).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let mut body = coupon_body(&[second]);
    body.as_object_mut().unwrap().remove("startAt");
    body["title"] = json!("바뀐 쿠폰");
    body["discountPrice"] = Value::Null;
    body["percentage"] = json!(20);
    body["maxDiscountPrice"] = json!(3000);
    let r = h.invoke(patch(&teacher.token, coupon, &body)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["coupon"]["percentage"], 20);
    assert_eq!(r.data()["updatedCoupon"]["title"], "바뀐 쿠폰");
    assert_eq!(r.data()["coupon"]["lectureCouponTarget"][0]["lecture"]["id"], second);
    assert!(h.invoke(class_coupons(class)).await.data()["couponList"].as_array().unwrap().is_empty());
    assert_eq!(ids(&h.invoke(class_coupons(second)).await.data()["couponList"]), [coupon]);

    let (other, _) = teacher_with_class(&h, 2).await;
    let r = h.invoke(patch(&other.token, coupon, &body)).await;
    assert_eq!((r.status, r.code()), (404, "CouponNotFound"));
    let mut with_start = body.clone();
    with_start["startAt"] = json!("2026-01-01T00:00:00.000Z");
    assert_eq!(h.invoke(patch(&teacher.token, coupon, &with_start)).await.status, 400);
    // Seven orders used it: the limit cannot drop below that.
    let used = Update::new().set("usageCount", 7).set("usesLeft", 3);
    h.table.update(&connection_model::keys::coupon(coupon), used, None).await.unwrap();
    body["maxUsageCount"] = json!(6);
    let r = h.invoke(patch(&teacher.token, coupon, &body)).await;
    assert_eq!((r.status, r.code()), (400, "InvalidMaxUsageCount"));
    body["maxUsageCount"] = json!(8);
    assert_eq!(h.invoke(patch(&teacher.token, coupon, &body)).await.status, 200);
    let stored = h.table.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!(stored["usesLeft"], 1, "one use is left of eight");
}

#[tokio::test]
async fn targets_are_added_to_my_enabled_coupons_only() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let second = open(&h, &teacher, &one_day_body()).await;
    let (other, other_class) = teacher_with_class(&h, 2).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let target = |token: &str, id: i64, lectures: Value| {
        Event::new("POST", &format!("/coupons/{id}/target"), "/coupons/{couponId}/target")
            .bearer(token)
            .json(&json!({"lectureIds": lectures}))
    };
    assert_eq!(h.invoke(target(&teacher.token, coupon, json!([class, second]))).await.status, 201);
    assert_eq!(ids(&h.invoke(class_coupons(second)).await.data()["couponList"]), [coupon]);
    let r = h.invoke(target(&teacher.token, coupon, json!([other_class]))).await;
    assert_eq!((r.status, r.code()), (400, "InvalidClassIncluded"));
    let r = h.invoke(target(&other.token, coupon, json!([other_class]))).await;
    assert_eq!((r.status, r.code()), (400, "InvalidCouponIncluded"));
    let r = h.invoke(target(&teacher.token, coupon, json!([]))).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn claiming_public_coupons_is_all_or_nothing_and_names_every_refusal() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let open_coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let mut private = coupon_body(&[class]);
    private["isPrivate"] = json!(true);
    let private = issue(&h, &teacher, &private).await;
    let (user_id, user) = member(&h, 5).await;

    let r = h.invoke(claim(&user, &[open_coupon, private, 999])).await;
    assert_eq!((r.status, r.code()), (400, "InvalidCouponType"), "{:?}", r.body);
    assert_eq!(refused(&r), [(private, "InvalidCouponType".into()), (999, "CouponNotFound".into())]);
    assert!(holding(&h, open_coupon, user_id).await.is_none(), "nothing was taken");

    let r = h.invoke(claim(&user, &[open_coupon])).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(h.round_trips(), 1, "a public claim is one transaction");
    let r = h.invoke(claim(&user, &[open_coupon])).await;
    assert_eq!((r.status, r.code()), (400, "CouponAlreadyOwned"));
    assert_eq!(refused(&r), [(open_coupon, "CouponAlreadyOwned".into())]);
    let mine = h.invoke(class_coupons(class).bearer(&user)).await;
    assert_eq!(mine.data()["couponList"][0]["isOwned"], true);
    assert_eq!(h.round_trips(), 2, "the class's coupons with my holdings: a Query and a batch read");

    let r = h.invoke(claim(&user, &[])).await;
    assert_eq!(r.status, 400);
    let r = h.invoke(claim(&user, &[0])).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn used_up_ended_and_disabled_coupons_cannot_be_claimed() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let used_up = issue(&h, &teacher, &coupon_body(&[class])).await;
    let ending = issue(&h, &teacher, &coupon_body(&[class])).await;
    let deleted = issue(&h, &teacher, &coupon_body(&[class])).await;
    let key = connection_model::keys::coupon;
    h.table
        .update(&key(used_up), Update::new().set("usageCount", 10).set("usesLeft", 0), None)
        .await
        .unwrap();
    h.table.update(&key(ending), Update::new().set("endAt", "2026-01-02T00:00:00.000Z"), None).await.unwrap();
    assert_eq!(h.invoke(delete(&teacher.token, deleted)).await.status, 200);
    let (_, user) = member(&h, 5).await;
    for (id, code) in
        [(used_up, "CouponAllocationExhausted"), (ending, "CouponExpired"), (deleted, "CouponNotFound")]
    {
        let r = h.invoke(claim(&user, &[id])).await;
        assert_eq!(r.code(), code, "{:?}", r.body);
    }
    let listed = h.invoke(class_coupons(class)).await;
    assert_eq!(ids(&listed.data()["couponList"]), [used_up], "ended and deleted coupons are not offered");
    assert_eq!(listed.data()["couponList"][0]["usageCount"], 10, "a used-up coupon says so");
}

#[tokio::test]
async fn private_codes_are_unforgeable_and_claim_their_coupon() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let mut body = coupon_body(&[class]);
    body["isPrivate"] = json!(true);
    let coupon = issue(&h, &teacher, &body).await;
    let public = issue(&h, &teacher, &coupon_body(&[class])).await;
    let r = h.invoke(private_code(&teacher.token, coupon)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let code = r.data()["privateCouponCode"].as_str().unwrap().to_string();
    assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe: {code}");
    let r = h.invoke(private_code(&teacher.token, public)).await;
    assert_eq!((r.status, r.code()), (400, "InvalidCouponType"));
    let (other, _) = teacher_with_class(&h, 2).await;
    assert_eq!(h.invoke(private_code(&other.token, coupon)).await.code(), "CouponNotFound");
    assert!(h.invoke(class_coupons(class)).await.data()["couponList"].as_array().unwrap().len() == 1);

    let (user_id, user) = member(&h, 5).await;
    let forged = connection_domain::offers::private_code(b"another-key-of-at-least-32-bytes!!", coupon);
    let mut altered = code.clone().into_bytes();
    altered[12] = if altered[12] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    for bad in [
        forged.as_str(),
        &code[..code.len() - 3],
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &altered,
        "%F0%9F%8E%9F",
    ] {
        let r = h.invoke(claim_code(&user, bad)).await;
        assert_eq!((r.status, r.code()), (404, "CouponNotFound"), "{bad}");
    }
    let r = h.invoke(claim_code(&user, &code)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(h.round_trips(), 2, "a private claim: the guard's read and one transaction");
    assert!(holding(&h, coupon, user_id).await.is_some());
    let r = h.invoke(claim_code(&user, &code)).await;
    assert_eq!((r.status, r.code()), (400, "CouponAlreadyOwned"));
    // A public coupon's id cannot be claimed through the private route, even with a valid MAC.
    let public_code =
        connection_domain::offers::private_code(connection_tests::COUPON_KEY.as_bytes(), public);
    assert_eq!(h.invoke(claim_code(&user, &public_code)).await.code(), "InvalidCouponType");
    // A valid code of a deleted coupon.
    assert_eq!(h.invoke(delete(&teacher.token, coupon)).await.status, 200);
    let (_, late) = member(&h, 6).await;
    assert_eq!(h.invoke(claim_code(&late, &code)).await.code(), "CouponNotFound");
    assert_eq!(h.invoke(private_code(&teacher.token, coupon)).await.code(), "CouponNotFound");
}

#[tokio::test]
async fn my_coupons_filter_order_and_page_as_the_spec_says() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let second = open(&h, &teacher, &one_day_body()).await;
    let mut made = Vec::new();
    for (end, target) in [("2031-03-01", class), ("2031-01-01", second), ("2031-02-01", class)] {
        let mut body = coupon_body(&[target]);
        body["endAt"] = json!(format!("{end}T00:00:00.000Z"));
        made.push(issue(&h, &teacher, &body).await);
    }
    let (user_id, user) = member(&h, 5).await;
    assert_eq!(h.invoke(claim(&user, &made)).await.status, 201);
    let list = |query: &str| user_coupons(&user, query);
    let r = h.invoke(list("take=10&couponStatusOption=available&filterOption=LATEST")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(ids(&r.data()["couponList"]), [made[2], made[1], made[0]]);
    assert_eq!(r.data()["totalItemCount"], 3);
    assert_eq!(r.data()["couponList"][0]["lectureCouponId"], made[2]);
    assert_eq!(r.data()["couponList"][0]["lectureCoupon"]["title"], "첫 수업 할인");
    assert_eq!(h.round_trips(), 2, "my coupons: a Query and a batch read");
    let r = h.invoke(list("take=10&couponStatusOption=AVAILABLE&filterOption=UPCOMING")).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[1], made[2], made[0]]);
    let r = h
        .invoke(list(&format!(
            "take=10&couponStatusOption=AVAILABLE&filterOption=LATEST&lectureIds[]={second}"
        )))
        .await;
    assert_eq!(ids(&r.data()["couponList"]), [made[1]]);
    // Page by page: two per page, then the next one from the last id shown.
    let r = h.invoke(list("take=2&currentPage=0&targetPage=0&firstItemId=0&lastItemId=0&couponStatusOption=AVAILABLE&filterOption=LATEST")).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[2], made[1]]);
    let r = h.invoke(list(&format!("take=2&currentPage=1&targetPage=2&firstItemId={}&lastItemId={}&couponStatusOption=AVAILABLE&filterOption=LATEST", made[2], made[1]))).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[0]]);
    assert_eq!(r.data()["totalItemCount"], 3);
    // An order used one (the payments area flips `isUsed`).
    let used = Update::new().set("isUsed", true).set("updatedAt", "2026-12-03T00:00:00.000Z");
    h.table.update(&connection_model::keys::holding(made[0], user_id), used, None).await.unwrap();
    let r = h.invoke(list("take=10&couponStatusOption=USED")).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[0]]);
    assert_eq!(r.data()["couponList"][0]["isUsed"], true);
    let r = h.invoke(list("take=10&couponStatusOption=AVAILABLE&filterOption=LATEST")).await;
    assert_eq!(r.data()["totalItemCount"], 2);
    // Time passes beyond two ends.
    h.clock.advance(time::Duration::days(365 * 5));
    let r = h.invoke(list("take=10&couponStatusOption=EXPIRED")).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[1], made[2], made[0]]);
    for bad in [
        "couponStatusOption=AVAILABLE",
        "take=10&couponStatusOption=AVAILABLE",
        "take=10&couponStatusOption=GONE",
        "take=x&couponStatusOption=USED",
        "take=10&couponStatusOption=USED&lectureIds[]=a",
    ] {
        let r = h.invoke(list(bad)).await;
        assert_eq!(r.status, 400, "{bad}: {:?}", r.body);
    }
}

#[tokio::test]
async fn a_lecturer_lists_available_and_ended_coupons_and_enabled_ones_for_the_class_form() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let mut made = Vec::new();
    for end in ["2031-03-01", "2031-01-01", "2027-01-01"] {
        let mut body = coupon_body(&[class]);
        body["endAt"] = json!(format!("{end}T00:00:00.000Z"));
        made.push(issue(&h, &teacher, &body).await);
    }
    let deleted = issue(&h, &teacher, &coupon_body(&[class])).await;
    assert_eq!(h.invoke(delete(&teacher.token, deleted)).await.status, 200);
    let list = |query: &str| lecturer_coupons(&teacher.token, query);
    let r = h.invoke(list("take=10&couponStatusOption=AVAILABLE&filterOption=LATEST")).await;
    assert_eq!(
        ids(&r.data()["couponList"]),
        [made[2], made[1], made[0]],
        "deleted coupons are gone (gap #42)"
    );
    assert_eq!(h.round_trips(), 2, "the guard and one Query");
    let r = h.invoke(list("take=2&couponStatusOption=AVAILABLE&filterOption=UPCOMING")).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[2], made[1]]);
    assert_eq!(r.data()["totalItemCount"], 3);
    let r = h
        .invoke(Event::new("GET", "/lecturers/my-coupons", "/lecturers/my-coupons").bearer(&teacher.token))
        .await;
    assert_eq!(ids(&r.data()["coupons"]), [made[2], made[1], made[0]]);
    h.clock.advance(time::Duration::days(365 * 2));
    let r = h.invoke(list("take=10&couponStatusOption=DISABLED&filterOption=LATEST")).await;
    assert_eq!(ids(&r.data()["couponList"]), [made[2]]);
    let r = h
        .invoke(list(&format!(
            "take=10&couponStatusOption=AVAILABLE&filterOption=LATEST&lectureId={}",
            class + 100
        )))
        .await;
    assert_eq!(r.data()["totalItemCount"], 0);
    assert_eq!(h.invoke(list("take=10&couponStatusOption=USED&filterOption=LATEST")).await.status, 400);
    assert_eq!(h.invoke(list("take=10&couponStatusOption=AVAILABLE")).await.status, 400);
}

#[tokio::test]
async fn deleting_a_coupon_disables_it_purges_unused_holdings_and_keeps_used_ones() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let (a, a_token) = member(&h, 5).await;
    let (b, b_token) = member(&h, 6).await;
    for token in [&a_token, &b_token] {
        assert_eq!(h.invoke(claim(token, &[coupon])).await.status, 201);
    }
    h.table
        .update(&connection_model::keys::holding(coupon, a), Update::new().set("isUsed", true), None)
        .await
        .unwrap();
    let (other, _) = teacher_with_class(&h, 2).await;
    assert_eq!(h.invoke(delete(&other.token, coupon)).await.code(), "CouponNotFound");
    assert_eq!(h.invoke(delete(&teacher.token, coupon)).await.status, 200);
    let stored = h.table.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!(stored["isDisabled"], true);
    assert!(holding(&h, coupon, b).await.is_none(), "an unused holding goes");
    assert!(holding(&h, coupon, a).await.is_some(), "a used one stays for the history");
    let r = h.invoke(user_coupons(&a_token, "take=10&couponStatusOption=USED")).await;
    assert_eq!(ids(&r.data()["couponList"]), [coupon]);
    assert!(h.invoke(class_coupons(class)).await.data()["couponList"].as_array().unwrap().is_empty());
    assert_eq!(
        h.invoke(delete(&teacher.token, coupon)).await.status,
        200,
        "deleting again finishes the removal"
    );
    assert_eq!(h.invoke(delete(&other.token, coupon)).await.code(), "CouponNotFound");
}

#[tokio::test]
async fn a_learner_drops_a_coupon_and_may_take_an_unused_one_again() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let used = issue(&h, &teacher, &coupon_body(&[class])).await;
    let (user_id, user) = member(&h, 5).await;
    assert_eq!(h.invoke(claim(&user, &[coupon, used])).await.status, 201);
    assert_eq!(h.invoke(delete(&user, coupon).header("x", "y")).await.status, 200);
    assert!(holding(&h, coupon, user_id).await.is_none());
    assert_eq!(h.invoke(delete(&user, coupon)).await.status, 200, "dropping nothing is fine");
    assert_eq!(h.invoke(claim(&user, &[coupon])).await.status, 201);
    h.table
        .update(&connection_model::keys::holding(used, user_id), Update::new().set("isUsed", true), None)
        .await
        .unwrap();
    assert_eq!(h.invoke(delete(&user, used)).await.status, 200);
    let r = h.invoke(user_coupons(&user, "take=10&couponStatusOption=USED")).await;
    assert!(r.data()["couponList"].as_array().unwrap().is_empty(), "hidden from my lists");
    assert_eq!(
        h.invoke(claim(&user, &[used])).await.code(),
        "CouponAlreadyOwned",
        "a used coupon is not taken twice"
    );
}

#[tokio::test]
async fn classes_attach_only_my_enabled_coupons_on_create_update_and_drafts() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[])).await;
    let (other, _) = teacher_with_class(&h, 2).await;
    let foreign = issue(&h, &other, &coupon_body(&[])).await;

    let mut body = one_day_body();
    body["coupons"] = json!([coupon]);
    let second = open(&h, &teacher, &body).await;
    assert_eq!(ids(&h.invoke(class_coupons(second)).await.data()["couponList"]), [coupon]);
    let stored = h.table.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!(stored["targets"], json!([{"id": second, "title": "힙합 기초"}]));
    body["coupons"] = json!([foreign]);
    let r = h.invoke(crate::lectures::post_lecture(&teacher.token, &body)).await;
    assert_eq!((r.status, r.code()), (400, "CouponNotFound"), "another lecturer's coupon (domain.md §7.2)");

    let update = |lecture: i64, coupons: Value| {
        Event::new("PATCH", &format!("/lectures/{lecture}"), "/lectures/{lectureId}")
            .bearer(&teacher.token)
            .json(&json!({"coupons": coupons}))
    };
    assert_eq!(h.invoke(update(class, json!([coupon]))).await.status, 200);
    assert_eq!(h.invoke(update(second, json!([]))).await.status, 200);
    assert_eq!(ids(&h.invoke(class_coupons(class)).await.data()["couponList"]), [coupon]);
    assert!(h.invoke(class_coupons(second)).await.data()["couponList"].as_array().unwrap().is_empty());
    let stored = h.table.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!(stored["targets"], json!([{"id": class, "title": "힙합 기초"}]));
    assert_eq!(h.invoke(update(class, json!([foreign]))).await.code(), "CouponNotFound");
    // A coupon the class keeps is not checked again, even once it has ended.
    let ended = Update::new().set("endAt", "2026-01-02T00:00:00.000Z");
    h.table.update(&connection_model::keys::coupon(coupon), ended, None).await.unwrap();
    assert_eq!(h.invoke(update(class, json!([coupon]))).await.status, 200);
    assert_eq!(
        h.invoke(update(second, json!([coupon]))).await.code(),
        "CouponNotFound",
        "but it is not attached anew"
    );

    let draft = h
        .invoke(
            Event::new("POST", "/lecture-temporarily-save", "/lecture-temporarily-save")
                .bearer(&teacher.token),
        )
        .await;
    let draft = draft.data()["id"].as_i64().unwrap();
    let save = |coupons: Value| {
        Event::new("PATCH", "/lecture-temporarily-save", "/lecture-temporarily-save")
            .bearer(&teacher.token)
            .json(&json!({"lectureId": draft, "step": 1, "coupons": coupons}))
    };
    let fresh = issue(&h, &teacher, &coupon_body(&[])).await;
    assert_eq!(h.invoke(save(json!([fresh]))).await.status, 200);
    assert_eq!(h.invoke(save(json!([coupon]))).await.code(), "CouponNotFound", "an ended coupon");
    assert_eq!(h.invoke(save(json!([foreign]))).await.code(), "CouponNotFound");
}
