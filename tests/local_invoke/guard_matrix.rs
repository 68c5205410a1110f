//! The guard of every route, in one table: a guest, a user, a lecturer and a principal that does
//! not exist (or no longer does), each checked for status and error code. Ownership (another
//! member acting on my data) is tested beside each route: a member only ever reaches their own.

use connection_http::jwt::Role;
use connection_tests::{Event, Harness};

use crate::auth::{make_lecturer, signed_in};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Guard {
    Public,
    /// `guest|user`: a guest or a member; a lecturer token or an unknown member is refused.
    GuestOrUser,
    /// `user|lecturer`: either kind of token; a guest or an unknown principal is refused.
    Member,
    User,
    Lecturer,
}

fn routes() -> Vec<(Guard, Event)> {
    let coupon = crate::coupons::coupon_body(&[1]);
    let mut coupon_change = coupon.clone();
    coupon_change.as_object_mut().unwrap().remove("startAt");
    let pass = crate::passes::pass_body(&[1]);
    let order = crate::payments::order_body(1, 1, 1, "order_guard", 30_000);
    let get = |path: &str, route: &str| Event::new("GET", path, route);
    let json = |method: &str, path: &str| {
        let route = if path == "/lectures/1" { "/lectures/{lectureId}" } else { path };
        Event::new(method, path, route).json(&serde_json::json!({}))
    };
    vec![
        (Guard::Public, get("/", "/")),
        (Guard::Public, get("/users/nicknames/free", "/users/nicknames/{nickname}")),
        (Guard::Public, get("/users/1", "/users/{userId}")),
        (
            Guard::Public,
            get("/auth/oauth/signin/KAKAO?access-token=sandbox:x@kakao.com", "/auth/oauth/signin/{provider}"),
        ),
        (Guard::User, get("/users/my-pages", "/users/my-pages")),
        (Guard::User, json("PATCH", "/users/my-pages")),
        (
            Guard::User,
            Event::new("POST", "/users/images", "/users/images").multipart(&[("image", "a.png", b"x")]),
        ),
        (Guard::User, get("/auth/token/verify/user-access-token", "/auth/token/verify/user-access-token")),
        (Guard::User, get("/auth/token/switch-user-to-lecturer", "/auth/token/switch-user-to-lecturer")),
        (Guard::User, Event::new("POST", "/auth/sms?userPhoneNumber=01012345678", "/auth/sms")),
        (Guard::User, get("/auth/sms?userPhoneNumber=01012345678&verificationCode=123456", "/auth/sms")),
        (
            Guard::Lecturer,
            get("/auth/token/verify/lecturer-access-token", "/auth/token/verify/lecturer-access-token"),
        ),
        (Guard::Lecturer, get("/auth/token/switch-lecturer-to-user", "/auth/token/switch-lecturer-to-user")),
        (Guard::Public, get("/lecturers/nickname/free", "/lecturers/nickname/{nickname}")),
        (Guard::GuestOrUser, get("/lecturers/profile/7", "/lecturers/profile/{lecturerId}")),
        (Guard::GuestOrUser, get("/popular-lecturers", "/popular-lecturers")),
        (Guard::User, json("POST", "/lecturers")),
        (Guard::User, Event::new("POST", "/lecturer-likes/7", "/lecturer-likes/{lecturerId}")),
        (Guard::User, Event::new("DELETE", "/lecturer-likes/7", "/lecturer-likes/{lecturerId}")),
        (Guard::User, get("/lecturer-likes", "/lecturer-likes")),
        (Guard::User, Event::new("POST", "/lecturer-block/7", "/lecturer-block/{lecturerId}")),
        (Guard::User, Event::new("DELETE", "/lecturer-block/7", "/lecturer-block/{lecturerId}")),
        (Guard::User, get("/lecturer-block", "/lecturer-block")),
        (Guard::Lecturer, json("PATCH", "/lecturers/profile")),
        (Guard::Lecturer, get("/lecturers/my-basic-profile", "/lecturers/my-basic-profile")),
        (Guard::Lecturer, Event::new("PATCH", "/lecturers/nickname/fresh", "/lecturers/nickname/{nickname}")),
        (Guard::Public, get("/lectures/1/detail", "/lectures/{lectureId}/detail")),
        (Guard::Public, get("/lectures/1/schedules", "/lectures/{lectureId}/schedules")),
        (Guard::Public, get("/latest-lectures/non-members", "/latest-lectures/non-members")),
        (Guard::GuestOrUser, get("/lectures/1/previews", "/lectures/{lectureId}/previews")),
        (Guard::GuestOrUser, get("/popular-lectures", "/popular-lectures")),
        (Guard::GuestOrUser, get("/lecturers/lectures/7", "/lecturers/lectures/{lecturerId}")),
        (Guard::User, get("/latest-lectures/users", "/latest-lectures/users")),
        (Guard::User, Event::new("POST", "/lecture-likes/1", "/lecture-likes/{lectureId}")),
        (Guard::User, Event::new("DELETE", "/lecture-likes/1", "/lecture-likes/{lectureId}")),
        (Guard::User, get("/lecture-likes/users", "/lecture-likes/users")),
        (Guard::Lecturer, json("POST", "/lectures")),
        (Guard::Lecturer, json("PATCH", "/lectures/1")),
        (Guard::Lecturer, get("/lecturers/lectures", "/lecturers/lectures")),
        (Guard::Lecturer, get("/lecturers/in-progress?progressType=x", "/lecturers/in-progress")),
        (Guard::Lecturer, Event::new("POST", "/lecture-temporarily-save", "/lecture-temporarily-save")),
        (Guard::Lecturer, json("PATCH", "/lecture-temporarily-save")),
        (Guard::Lecturer, get("/lecture-temporarily-save", "/lecture-temporarily-save")),
        (Guard::Lecturer, get("/lecture-temporarily-save/1", "/lecture-temporarily-save/{lectureId}")),
        (
            Guard::Lecturer,
            Event::new("DELETE", "/lecture-temporarily-save/1", "/lecture-temporarily-save/{lectureId}"),
        ),
        (
            Guard::Public,
            Event::new("POST", "/uploads/lectures/image", "/uploads/{folder}/image").multipart(&[(
                "image",
                "a.gif",
                b"GIF89a\x01\x00\x01\x00",
            )]),
        ),
        (
            Guard::Public,
            Event::new("POST", "/uploads/lectures/images", "/uploads/{folder}/images").multipart(&[(
                "images",
                "a.gif",
                b"GIF89a\x01\x00\x01\x00",
            )]),
        ),
        (
            Guard::Member,
            Event::new("POST", "/uploads/lectures/presigned", "/uploads/{folder}/presigned")
                .json(&serde_json::json!({"contentType": "image/png", "contentLength": 10})),
        ),
        (Guard::Lecturer, Event::new("POST", "/coupons/lecture", "/coupons/lecture").json(&coupon)),
        (Guard::Lecturer, Event::new("PATCH", "/coupons/1", "/coupons/{couponId}").json(&coupon_change)),
        (
            Guard::Lecturer,
            Event::new("POST", "/coupons/1/target", "/coupons/{couponId}/target")
                .json(&serde_json::json!({"lectureIds": [1]})),
        ),
        (Guard::Lecturer, get("/coupons/private/1", "/coupons/private/{couponId}")),
        (
            Guard::Lecturer,
            get(
                "/coupons/lecturer?take=5&couponStatusOption=AVAILABLE&filterOption=LATEST",
                "/coupons/lecturer",
            ),
        ),
        (Guard::Lecturer, get("/lecturers/my-coupons", "/lecturers/my-coupons")),
        (Guard::GuestOrUser, get("/coupons/lectures/1", "/coupons/lectures/{lectureId}")),
        (
            Guard::User,
            get("/coupons/user?take=5&couponStatusOption=AVAILABLE&filterOption=LATEST", "/coupons/user"),
        ),
        (
            Guard::User,
            Event::new("POST", "/coupons/public/user", "/coupons/public/user")
                .json(&serde_json::json!({"couponIds": [1]})),
        ),
        (Guard::User, Event::new("POST", "/coupons/private/code/user", "/coupons/private/{couponCode}/user")),
        (Guard::Lecturer, Event::new("POST", "/passes/lecture", "/passes/lecture").json(&pass)),
        (Guard::Public, get("/passes/1", "/passes/{passId}")),
        (Guard::Public, get("/passes/lectures/1", "/passes/lectures/{lectureId}")),
        (Guard::Public, get("/passes/lecturers/7", "/passes/lecturers/{lecturerId}")),
        (
            Guard::Lecturer,
            get("/passes/issued?take=5&passStatusOptions=AVAILABLE&filterOption=LATEST", "/passes/issued"),
        ),
        (Guard::Lecturer, get("/passes/issued/1", "/passes/issued/{passId}")),
        (Guard::Lecturer, Event::new("PATCH", "/passes/1/deactivate", "/passes/{passId}/deactivate")),
        (Guard::User, get("/user-passes?take=5", "/user-passes")),
        (Guard::User, get("/user-passes/1", "/user-passes/{passId}")),
        (Guard::User, get("/user-passes/lectures/1", "/user-passes/lectures/{lectureId}")),
        (Guard::User, Event::new("POST", "/payments/toss/lecture", "/payments/toss/lecture").json(&order)),
        (
            Guard::User,
            Event::new("POST", "/payments/toss/pass", "/payments/toss/pass").json(&serde_json::json!({
                "passId": 1, "orderId": "order_pass_guard", "orderName": "패스", "originalPrice": 250000, "finalPrice": 250000
            })),
        ),
        (
            Guard::User,
            Event::new("POST", "/payments/pass/lecture", "/payments/pass/lecture").json(&serde_json::json!({
                "passId": 1, "lectureId": 1, "orderName": "수업", "orderId": "order_pass_use",
                "lectureSchedule": {"lectureScheduleId": 1, "participants": 1},
                "representative": "회원", "phoneNumber": "01012345678"
            })),
        ),
        (
            Guard::User,
            Event::new("PATCH", "/payments/toss/confirm", "/payments/toss/confirm").json(
                &serde_json::json!({"orderId": "order_none", "paymentKey": "sandbox_x", "amount": "1"}),
            ),
        ),
        (
            Guard::User,
            Event::new("POST", "/payments/toss/order_none/cancel", "/payments/toss/{orderId}/cancel"),
        ),
        (Guard::User, get("/payments/order_none", "/payments/{orderId}")),
        (Guard::User, get("/user-payments/history?take=5&paymentHistoryType=%EC%A0%84%EC%B2%B4", "/user-payments/history")),
        (Guard::User, get("/user-payments/history/order_none", "/user-payments/history/{orderId}")),
        (Guard::User, get("/user-payments/999/virtual-account", "/user-payments/{paymentId}/virtual-account")),
        (Guard::User, get("/user-payments/recent-bank-account", "/user-payments/recent-bank-account")),
        (Guard::User, get("/lectures/1/reservations", "/lectures/{lectureId}/reservations")),
        (Guard::Lecturer, get("/lecturers/my-reservations?take=5", "/lecturers/my-reservations")),
        (
            Guard::User,
            Event::new("POST", "/user-payments/bank-account", "/user-payments/bank-account")
                .json(&serde_json::json!({"bankCode": "88", "accountNumber": "110222333444", "holderName": "회원"})),
        ),
        (
            Guard::User,
            Event::new("POST", "/payments/999/refund", "/payments/{paymentId}/refund")
                .json(&serde_json::json!({"cancelReason": "변경", "refundAmount": 1})),
        ),
        (
            Guard::Public,
            Event::new("POST", "/payments/toss/status", "/payments/toss/status")
                .json(&serde_json::json!({"eventType": "PAYMENT_STATUS_CHANGED", "data": {"orderId": "order_none"}})),
        ),
        (
            Guard::Public,
            Event::new("POST", "/payments/toss/deposit-status", "/payments/toss/deposit-status")
                .json(&serde_json::json!({"orderId": "order_none", "secret": "x", "status": "DONE"})),
        ),
        // Near the end: it deletes the coupon the rows above read.
        (Guard::Member, Event::new("DELETE", "/coupons/1", "/coupons/{couponId}")),
        // Last: it withdraws the class the rows above read.
        (Guard::Lecturer, Event::new("DELETE", "/lectures/1", "/lectures/{lectureId}")),
    ]
}

#[tokio::test]
async fn every_guarded_route_refuses_guests_the_other_role_and_unknown_principals() {
    let h = Harness::new().await;
    signed_in(&h, 1).await;
    make_lecturer(&h, 1, 7).await;
    let user = h.token(Role::User(1));
    let lecturer = h.token(Role::Lecturer(7));
    let class = crate::lectures::post_lecture(&lecturer, &crate::lectures::one_day_body());
    assert_eq!(h.invoke(class).await.status, 201, "lecture 1 of lecturer 7");
    let coupon = crate::coupons::post_coupon(&lecturer, &crate::coupons::coupon_body(&[1]));
    assert_eq!(h.invoke(coupon).await.status, 201, "coupon 1 of lecturer 7");
    let pass = Event::new("POST", "/passes/lecture", "/passes/lecture").bearer(&lecturer);
    assert_eq!(
        h.invoke(pass.json(&crate::passes::pass_body(&[1]))).await.status,
        201,
        "pass 1 of lecturer 7"
    );
    for (guard, event) in routes() {
        let route = event.0["routeKey"].as_str().unwrap().to_string();
        let guest = h.invoke(event.clone().without_auth()).await;
        if guard == Guard::Public {
            assert!(guest.status < 400, "{route}: a guest is served: {:?}", guest.body);
            continue;
        }
        if guard == Guard::Member {
            assert_eq!((guest.status, guest.code()), (401, "NoAuthToken"), "{route}: guest");
            for token in [&user, &lecturer] {
                let r = h.invoke(event.clone().bearer(token)).await;
                assert!(r.status < 400, "{route}: a member or lecturer is served: {:?}", r.body);
            }
            let r = h.invoke(event.clone().bearer(&h.token(Role::Lecturer(999)))).await;
            assert_eq!(
                (r.status, r.code()),
                (400, "InvalidLecturerInformation"),
                "{route}: an unknown lecturer"
            );
            let r = h.invoke(event.clone().bearer("not-a-jwt")).await;
            assert_eq!((r.status, r.code()), (401, "Unauthorized"), "{route}: a malformed token");
            continue;
        }
        if guard == Guard::GuestOrUser {
            assert!(guest.status < 400, "{route}: a guest is served: {:?}", guest.body);
            let member = h.invoke(event.clone().bearer(&user)).await;
            assert!(member.status < 400, "{route}: a member is served: {:?}", member.body);
            let r = h.invoke(event.clone().bearer(&lecturer)).await;
            assert_eq!((r.status, r.code()), (401, "InvalidTokenFormat"), "{route}: a lecturer token");
            let r = h.invoke(event.clone().bearer(&h.token(Role::User(999)))).await;
            assert_eq!((r.status, r.code()), (400, "InvalidUserInformation"), "{route}: an unknown member");
            continue;
        }
        assert_eq!((guest.status, guest.code()), (401, "NoAuthToken"), "{route}: guest");
        let (wrong, unknown, unknown_code) = match guard {
            Guard::User => (&lecturer, h.token(Role::User(999)), "InvalidUserInformation"),
            _ => (&user, h.token(Role::Lecturer(999)), "InvalidLecturerInformation"),
        };
        let r = h.invoke(event.clone().bearer(wrong)).await;
        assert_eq!((r.status, r.code()), (401, "InvalidTokenFormat"), "{route}: the other role");
        let r = h.invoke(event.clone().bearer(&unknown)).await;
        assert_eq!((r.status, r.code()), (400, unknown_code), "{route}: a principal that does not exist");
        let r = h.invoke(event.clone().bearer("not-a-jwt")).await;
        assert_eq!((r.status, r.code()), (401, "Unauthorized"), "{route}: a malformed token");
        let right =
            h.session_token(if guard == Guard::User { Role::User(1) } else { Role::Lecturer(7) }).await;
        let r = h.invoke(event.bearer(&right)).await;
        let refusals = ["NoAuthToken", "InvalidTokenFormat", "InvalidToken", "Unauthorized", unknown_code];
        assert!(!refusals.contains(&r.code()), "{route}: its own principal passes the guard: {:?}", r.body);
        assert!(r.status < 500, "{route}: {:?}", r.body);
    }
}

#[tokio::test]
async fn the_refresh_cookie_routes_refuse_guests_and_access_tokens() {
    let h = Harness::new().await;
    let access = h.token(Role::User(1));
    for (method, path) in [("GET", "/auth/token/refresh"), ("POST", "/auth/token/logout")] {
        let r = h.invoke(Event::new(method, path, path)).await;
        assert_eq!((r.status, r.code()), (401, "NoAuthToken"), "{path}: guest");
        let r = h.invoke(Event::new(method, path, path).cookie(&format!("refreshToken={access}"))).await;
        assert_eq!((r.status, r.code()), (401, "InvalidToken"), "{path}: an access token as the cookie");
    }
}
