//! The table round trips of every route, counted on a reply that succeeded: one journey through
//! the users and auth areas, each step checked for its status and its exact budget (the figures
//! docs/data-model.md lists).

use connection_tests::{Event, Harness, Reply};

use crate::auth::{make_lecturer, refresh, sign_in};
use crate::users::{sign_up_body, sign_up_event};

async fn step(h: &Harness, what: &str, event: Event, status: u16, budget: usize) -> Reply {
    let r = h.invoke(event).await;
    assert_eq!(r.status, status, "{what}: {:?}", r.body);
    assert_eq!(h.round_trips(), budget, "{what}: table round trips");
    r
}

fn get(path: &str) -> Event {
    Event::new("GET", path, path)
}

fn token(r: &Reply, key: &str) -> String {
    r.data()[key].as_str().expect("a token").to_string()
}

#[tokio::test]
async fn every_route_keeps_its_round_trip_budget() {
    let h = Harness::new().await;
    step(&h, "health", get("/"), 200, 0).await;
    let first =
        step(&h, "sign-in of a new e-mail", sign_in("KAKAO", "sandbox:member1@kakao.com"), 200, 2).await;
    assert_eq!(first.body["statusCode"], 201);
    step(
        &h,
        "nickname check",
        Event::new("GET", "/users/nicknames/x", "/users/nicknames/{nickname}"),
        200,
        1,
    )
    .await;
    let created = step(&h, "sign-up", sign_up_event(&sign_up_body(1)), 201, 2).await;
    let id = created.data()["createUser"]["id"].as_i64().unwrap();
    let session =
        step(&h, "sign-in of a member", sign_in("KAKAO", "sandbox:member1@kakao.com"), 200, 3).await;
    let user = token(&session, "userAccessToken");
    let my_page = Event::new("GET", "/users/my-pages", "/users/my-pages").bearer(&user);
    step(&h, "my page", my_page, 200, 1).await;
    let card = Event::new("GET", &format!("/users/{id}"), "/users/{userId}");
    step(&h, "public card", card, 200, 1).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice();
    let upload = Event::new("POST", "/users/images", "/users/images")
        .bearer(&user)
        .multipart(&[("image", "me.png", png)]);
    let image = step(&h, "first image", upload, 201, 2).await;
    let url = image.data()["newUserImage"]["imageUrl"].as_str().unwrap().to_string();
    let patch = Event::new("PATCH", "/users/my-pages", "/users/my-pages")
        .bearer(&user)
        .json(&serde_json::json!({"nickname": "renamed", "imageUrl": url}));
    step(&h, "profile update", patch, 200, 2).await;
    step(&h, "verify user", get("/auth/token/verify/user-access-token").bearer(&user), 200, 1).await;
    let cookie = session.refresh_cookie().unwrap();
    let refreshed = step(&h, "refresh", refresh(&cookie), 200, 2).await;
    let user = token(&refreshed, "userAccessToken");
    let send = Event::new("POST", "/auth/sms?userPhoneNumber=01012345678", "/auth/sms").bearer(&user);
    step(&h, "SMS send", send, 201, 3).await;
    let code = h.sms.outbox.messages().last().unwrap().text.split('[').nth(2).unwrap()[..6].to_string();
    let check = Event::new(
        "GET",
        &format!("/auth/sms?userPhoneNumber=01012345678&verificationCode={code}"),
        "/auth/sms",
    )
    .bearer(&user);
    step(&h, "SMS check", check, 200, 3).await;
    make_lecturer(&h, id, 7).await;
    let switched =
        step(&h, "switch to lecturer", get("/auth/token/switch-user-to-lecturer").bearer(&user), 200, 4)
            .await;
    let lecturer = token(&switched, "lecturerAccessToken");
    step(&h, "verify lecturer", get("/auth/token/verify/lecturer-access-token").bearer(&lecturer), 200, 1)
        .await;
    let back =
        step(&h, "switch to user", get("/auth/token/switch-lecturer-to-user").bearer(&lecturer), 200, 4)
            .await;
    let cookie = back.refresh_cookie().unwrap();
    let logout = Event::new("POST", "/auth/token/logout", "/auth/token/logout")
        .cookie(&format!("refreshToken={cookie}"));
    step(&h, "logout", logout, 201, 1).await;
}

#[tokio::test]
async fn every_lecturers_route_keeps_its_round_trip_budget() {
    use crate::lecturers::{lecturer_body, post_lecturer};
    use crate::users::member;
    use connection_http::jwt::Role;
    let h = Harness::new().await;
    let (user_id, user) = member(&h, 1).await;
    let (_, fan) = member(&h, 2).await;
    h.round_trips();
    step(&h, "become a lecturer", post_lecturer(&user, &lecturer_body("예산")), 201, 3).await;
    let account = connection_model::user::find(h.table.as_ref(), user_id).await.unwrap().unwrap();
    let id = account.lecturer_id.unwrap();
    let lecturer = h.token(Role::Lecturer(id));
    let nick = |method: &str, name: &str| {
        Event::new(method, &format!("/lecturers/nickname/{name}"), "/lecturers/nickname/{nickname}")
    };
    step(&h, "nickname check", nick("GET", "예산"), 200, 1).await;
    step(&h, "nickname change", nick("PATCH", "새예산").bearer(&lecturer), 200, 2).await;
    let profile =
        || Event::new("GET", &format!("/lecturers/profile/{id}"), "/lecturers/profile/{lecturerId}");
    step(&h, "public profile, guest", profile(), 200, 1).await;
    step(&h, "public profile, member", profile().bearer(&fan), 200, 1).await;
    step(&h, "my basic profile", get("/lecturers/my-basic-profile").bearer(&lecturer), 200, 2).await;
    let patch = Event::new("PATCH", "/lecturers/profile", "/lecturers/profile")
        .bearer(&lecturer)
        .json(&serde_json::json!({"affiliation": "팀", "regions": ["온라인"]}));
    step(&h, "profile update", patch, 200, 2).await;
    let pair = |method: &str, base: &str| {
        Event::new(method, &format!("/{base}/{id}"), &format!("/{base}/{{lecturerId}}")).bearer(&fan)
    };
    step(&h, "like", pair("POST", "lecturer-likes"), 201, 3).await;
    step(&h, "like again", pair("POST", "lecturer-likes"), 201, 4).await;
    step(&h, "liked lecturers", get("/lecturer-likes").bearer(&fan), 200, 3).await;
    step(&h, "unlike", pair("DELETE", "lecturer-likes"), 200, 2).await;
    step(&h, "block", pair("POST", "lecturer-block"), 201, 3).await;
    step(&h, "blocked lecturers", get("/lecturer-block").bearer(&fan), 200, 3).await;
    step(&h, "popular lecturers, guest", get("/popular-lecturers"), 200, 1).await;
    step(&h, "popular lecturers, member", get("/popular-lecturers").bearer(&fan), 200, 2).await;
    step(&h, "unblock", pair("DELETE", "lecturer-block"), 200, 2).await;
}

#[tokio::test]
async fn every_lectures_route_keeps_its_round_trip_budget() {
    use crate::lecturers::lecturer;
    use crate::lectures::{one_day_body, post_lecture};
    use crate::users::member;
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "예산강사").await;
    let (_, fan) = member(&h, 2).await;
    h.round_trips();
    let created = step(&h, "open a class", post_lecture(&l.token, &one_day_body()), 201, 5).await;
    let id = created.data()["newLecture"]["id"].as_i64().unwrap();
    let at = |route: &str| Event::new("GET", &route.replace("{lectureId}", &id.to_string()), route);
    step(&h, "preview, guest", at("/lectures/{lectureId}/previews"), 200, 1).await;
    step(&h, "preview, member", at("/lectures/{lectureId}/previews").bearer(&fan), 200, 1).await;
    step(&h, "detail", at("/lectures/{lectureId}/detail"), 200, 2).await;
    step(&h, "schedules", at("/lectures/{lectureId}/schedules"), 200, 1).await;
    step(&h, "retired listing", get("/lectures"), 410, 0).await;
    let path = format!("/lectures/{id}");
    let patch = |body: serde_json::Value| {
        Event::new("PATCH", &path, "/lectures/{lectureId}").bearer(&l.token).json(&body)
    };
    step(&h, "update", patch(serde_json::json!({"price": 1000, "maxCapacity": 5})), 200, 3).await;
    step(
        &h,
        "update with new sessions",
        patch(serde_json::json!({"schedules": ["2030-05-01T10:00:00Z"]})),
        200,
        4,
    )
    .await;
    let like =
        || Event::new("POST", &format!("/lecture-likes/{id}"), "/lecture-likes/{lectureId}").bearer(&fan);
    step(&h, "like", like(), 201, 3).await;
    step(&h, "like again", like(), 201, 4).await;
    step(&h, "liked classes", get("/lecture-likes/users").bearer(&fan), 200, 3).await;
    let unlike =
        Event::new("DELETE", &format!("/lecture-likes/{id}"), "/lecture-likes/{lectureId}").bearer(&fan);
    step(&h, "unlike", unlike, 200, 2).await;
    step(&h, "popular, guest", get("/popular-lectures"), 200, 2).await;
    step(&h, "popular, member", get("/popular-lectures").bearer(&fan), 200, 2).await;
    step(&h, "latest, guest", get("/latest-lectures/non-members"), 200, 2).await;
    step(&h, "latest, member", get("/latest-lectures/users").bearer(&fan), 200, 2).await;
    step(&h, "my classes", get("/lecturers/lectures").bearer(&l.token), 200, 2).await;
    let theirs =
        || Event::new("GET", &format!("/lecturers/lectures/{}", l.id), "/lecturers/lectures/{lecturerId}");
    step(&h, "a lecturer's classes, guest", theirs(), 200, 2).await;
    step(&h, "a lecturer's classes, member", theirs().bearer(&fan), 200, 2).await;
    let progress = Event::new(
        "GET",
        "/lecturers/in-progress?progressType=%EC%A7%84%ED%96%89%EC%A4%91",
        "/lecturers/in-progress",
    );
    step(&h, "progress", progress.bearer(&l.token), 200, 3).await;
    let drafts = "/lecture-temporarily-save";
    let draft = step(&h, "new draft", Event::new("POST", drafts, drafts).bearer(&l.token), 201, 3).await;
    let draft = draft.data()["id"].as_i64().unwrap();
    let save = Event::new("PATCH", drafts, drafts)
        .bearer(&l.token)
        .json(&serde_json::json!({"lectureId": draft, "step": 1, "title": "t"}));
    step(&h, "save a draft", save, 200, 2).await;
    let one = format!("{drafts}/{draft}");
    let one_route = "/lecture-temporarily-save/{lectureId}";
    step(&h, "read a draft", Event::new("GET", &one, one_route).bearer(&l.token), 200, 2).await;
    step(&h, "my drafts", get(drafts).bearer(&l.token), 200, 2).await;
    step(&h, "discard a draft", Event::new("DELETE", &one, one_route).bearer(&l.token), 200, 3).await;
    let withdraw = Event::new("DELETE", &path, "/lectures/{lectureId}").bearer(&l.token);
    step(&h, "withdraw", withdraw, 200, 4).await;
}

#[tokio::test]
async fn every_uploads_route_keeps_its_round_trip_budget() {
    use crate::users::member;
    let h = Harness::new().await;
    let (_, user) = member(&h, 1).await;
    h.round_trips();
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00";
    let one = Event::new("POST", "/uploads/lectures/image", "/uploads/{folder}/image")
        .multipart(&[("image", "a.gif", gif)]);
    let uploaded = step(&h, "one image", one, 201, 1).await;
    let many = Event::new("POST", "/uploads/lectures/images", "/uploads/{folder}/images")
        .multipart(&[("images", "a.gif", gif), ("images", "b.gif", gif)]);
    step(&h, "two images", many, 201, 2).await;
    let url = uploaded.data()["imageUrl"].as_str().unwrap();
    let delete = Event::new("DELETE", "/uploads", "/uploads").json(&serde_json::json!({"imageUrl": url}));
    step(&h, "delete", delete, 200, 1).await;
    let presign = Event::new("POST", "/uploads/lectures/presigned", "/uploads/{folder}/presigned")
        .bearer(&user)
        .json(&serde_json::json!({"contentType": "image/gif", "contentLength": 10}));
    step(&h, "presign", presign, 201, 2).await;
}

#[tokio::test]
async fn every_offers_route_keeps_its_round_trip_budget() {
    use crate::coupons::{coupon_body, post_coupon};
    use crate::lectures::teacher_with_class;
    use crate::passes::pass_body;
    use crate::users::member;
    use serde_json::json;
    let h = Harness::new().await;
    let (l, class) = teacher_with_class(&h, 1).await;
    let (_, fan) = member(&h, 2).await;
    h.round_trips();
    let made = step(&h, "issue a coupon", post_coupon(&l.token, &coupon_body(&[class])), 201, 4).await;
    let coupon = made.data()["coupon"]["id"].as_i64().unwrap();
    let mut private = coupon_body(&[class]);
    private["isPrivate"] = json!(true);
    let private = step(&h, "issue a private coupon", post_coupon(&l.token, &private), 201, 4).await;
    let private = private.data()["coupon"]["id"].as_i64().unwrap();
    let one = |method: &str, id: i64| Event::new(method, &format!("/coupons/{id}"), "/coupons/{couponId}");
    let mut change = coupon_body(&[class]);
    change.as_object_mut().unwrap().remove("startAt");
    step(&h, "update a coupon", one("PATCH", coupon).bearer(&l.token).json(&change), 200, 4).await;
    change.as_object_mut().unwrap().remove("lectureIds");
    step(&h, "update its terms only", one("PATCH", coupon).bearer(&l.token).json(&change), 200, 3).await;
    let targets = Event::new("POST", &format!("/coupons/{coupon}/target"), "/coupons/{couponId}/target");
    step(&h, "target more classes", targets.bearer(&l.token).json(&json!({"lectureIds": [class]})), 201, 3)
        .await;
    let code = Event::new("GET", &format!("/coupons/private/{private}"), "/coupons/private/{couponId}");
    let code = step(&h, "a private code", code.bearer(&l.token), 200, 2).await;
    let code = code.data()["privateCouponCode"].as_str().unwrap().to_string();
    let class_coupons =
        || Event::new("GET", &format!("/coupons/lectures/{class}"), "/coupons/lectures/{lectureId}");
    step(&h, "a class's coupons, guest", class_coupons(), 200, 2).await;
    step(&h, "a class's coupons, member", class_coupons().bearer(&fan), 200, 2).await;
    let claim = Event::new("POST", "/coupons/public/user", "/coupons/public/user");
    step(&h, "claim public coupons", claim.bearer(&fan).json(&json!({"couponIds": [coupon]})), 201, 1).await;
    let claim =
        Event::new("POST", &format!("/coupons/private/{code}/user"), "/coupons/private/{couponCode}/user");
    step(&h, "claim a private coupon", claim.bearer(&fan), 201, 2).await;
    let mine = Event::new(
        "GET",
        "/coupons/user?take=5&couponStatusOption=AVAILABLE&filterOption=LATEST",
        "/coupons/user",
    );
    step(&h, "my coupons", mine.bearer(&fan), 200, 2).await;
    let issued = Event::new(
        "GET",
        "/coupons/lecturer?take=5&couponStatusOption=AVAILABLE&filterOption=LATEST",
        "/coupons/lecturer",
    );
    step(&h, "my issued coupons", issued.bearer(&l.token), 200, 2).await;
    step(&h, "coupons for the class form", get("/lecturers/my-coupons").bearer(&l.token), 200, 2).await;
    step(&h, "drop a held coupon", one("DELETE", private).bearer(&fan), 200, 3).await;
    step(&h, "delete a coupon with one holder", one("DELETE", coupon).bearer(&l.token), 200, 5).await;

    let sell =
        Event::new("POST", "/passes/lecture", "/passes/lecture").bearer(&l.token).json(&pass_body(&[class]));
    step(&h, "sell a pass", sell, 201, 4).await;
    let at = |route: &str, id: i64| {
        Event::new("GET", &route.replace("{id}", &id.to_string()), &route.replace("{id}", "{passId}"))
    };
    step(&h, "a pass", at("/passes/{id}", 1), 200, 2).await;
    step(&h, "my issued pass", at("/passes/issued/{id}", 1).bearer(&l.token), 200, 2).await;
    let issued = Event::new(
        "GET",
        "/passes/issued?take=5&passStatusOptions=AVAILABLE&filterOption=LATEST",
        "/passes/issued",
    );
    step(&h, "my issued passes", issued.bearer(&l.token), 200, 2).await;
    let of_class = Event::new("GET", &format!("/passes/lectures/{class}"), "/passes/lectures/{lectureId}");
    step(&h, "a class's passes", of_class, 200, 2).await;
    let of_lecturer =
        Event::new("GET", &format!("/passes/lecturers/{}", l.id), "/passes/lecturers/{lecturerId}");
    step(&h, "a lecturer's passes", of_lecturer, 200, 1).await;
    step(&h, "my passes", Event::new("GET", "/user-passes?take=5", "/user-passes").bearer(&fan), 200, 2)
        .await;
    step(&h, "my copy of a pass", at("/user-passes/{id}", 1).bearer(&fan), 200, 2).await;
    let usable =
        Event::new("GET", &format!("/user-passes/lectures/{class}"), "/user-passes/lectures/{lectureId}");
    step(&h, "my passes for a class", usable.bearer(&fan), 200, 2).await;
    let stop = Event::new("PATCH", "/passes/1/deactivate", "/passes/{passId}/deactivate").bearer(&l.token);
    step(&h, "stop selling a pass", stop, 200, 3).await;
}

#[tokio::test]
async fn every_payments_route_keeps_its_round_trip_budget() {
    use crate::lectures::teacher_with_class;
    use crate::payments::{confirm, order, order_body};
    use crate::users::member;
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (_, learner) = member(&h, 2).await;
    let session =
        Event::new("GET", &format!("/lectures/{class}/schedules"), "/lectures/{lectureId}/schedules");
    let session = h.invoke(session).await.data()["schedules"][0]["id"].as_i64().unwrap();
    h.round_trips();
    let body = order_body(class, session, 1, "order_budget", 30_000);
    step(&h, "order a class", order(&learner, &body), 201, 4).await;
    step(&h, "confirm it", confirm(&learner, "order_budget", "sandbox_budget", "30000"), 200, 3).await;
    step(
        &h,
        "its result",
        Event::new("GET", "/payments/order_budget", "/payments/{orderId}").bearer(&learner),
        200,
        2,
    )
    .await;
    let body = order_body(class, session, 1, "order_dropped", 30_000);
    step(&h, "order again", order(&learner, &body), 201, 4).await;
    let cancel = Event::new("POST", "/payments/toss/order_dropped/cancel", "/payments/toss/{orderId}/cancel");
    step(&h, "cancel it", cancel.bearer(&learner), 201, 3).await;
    let pass = crate::passes::sell(&h, &teacher, &crate::passes::pass_body(&[class])).await;
    h.round_trips();
    let body = serde_json::json!({"passId": pass, "orderId": "order_pass", "orderName": "10회권", "originalPrice": 250000, "finalPrice": 250000});
    let buy = Event::new("POST", "/payments/toss/pass", "/payments/toss/pass").bearer(&learner).json(&body);
    step(&h, "buy a pass", buy, 201, 3).await;
    step(&h, "pay for it", confirm(&learner, "order_pass", "sandbox_pass", "250000"), 200, 3).await;
    let use_it = serde_json::json!({"passId": pass, "lectureId": class, "orderName": "수업", "orderId": "order_pass_use",
        "lectureSchedule": {"lectureScheduleId": session, "participants": 1}, "representative": "회원",
        "phoneNumber": "01012345678"});
    let book =
        Event::new("POST", "/payments/pass/lecture", "/payments/pass/lecture").bearer(&learner).json(&use_it);
    step(&h, "book with the pass", book, 201, 5).await;
    let copy = Event::new("GET", &format!("/user-passes/{pass}"), "/user-passes/{passId}").bearer(&learner);
    let copy = step(&h, "my copy with its bookings", copy, 200, 3).await;
    assert_eq!(copy.data()["userPassInfo"]["reservation"][0]["lectureSchedule"]["lecture"]["id"], class);
    let body = order_body(class, session, 1, "order_deposit", 30_000);
    step(&h, "order to pay by transfer", order(&learner, &body), 201, 4).await;
    step(&h, "open its account", confirm(&learner, "order_deposit", "sandbox_va_budget", "30000"), 200, 3)
        .await;
    let secret = h.sandbox.deposit("order_deposit").unwrap();
    let callback = serde_json::json!({"orderId": "order_deposit", "secret": secret, "status": "DONE"});
    let deposit =
        Event::new("POST", "/payments/toss/deposit-status", "/payments/toss/deposit-status").json(&callback);
    step(&h, "the deposit callback", deposit, 200, 2).await;
    let event =
        serde_json::json!({"eventType": "PAYMENT_STATUS_CHANGED", "data": {"orderId": "order_deposit"}});
    let status = Event::new("POST", "/payments/toss/status", "/payments/toss/status").json(&event);
    step(&h, "a status change with nothing to do", status, 200, 1).await;
    let paid = Event::new("GET", "/payments/order_budget", "/payments/{orderId}").bearer(&learner);
    let paid = h.invoke(paid).await.data()["paymentResult"]["id"].as_i64().unwrap();
    let refund = Event::new("POST", &format!("/payments/{paid}/refund"), "/payments/{paymentId}/refund")
        .bearer(&learner)
        .json(&serde_json::json!({"cancelReason": "일정 변경", "refundAmount": 30000}));
    let history = Event::new(
        "GET",
        "/user-payments/history?take=10&paymentHistoryType=%EC%A0%84%EC%B2%B4",
        "/user-payments/history",
    );
    step(&h, "my payment history", history.bearer(&learner), 200, 2).await;
    let receipt =
        Event::new("GET", "/user-payments/history/order_budget", "/user-payments/history/{orderId}");
    step(&h, "a receipt", receipt.bearer(&learner), 200, 2).await;
    let account_of =
        h.invoke(Event::new("GET", "/payments/order_deposit", "/payments/{orderId}").bearer(&learner)).await;
    let account_of = account_of.data()["paymentResult"]["id"].as_i64().unwrap();
    let deposit_details = Event::new(
        "GET",
        &format!("/user-payments/{account_of}/virtual-account"),
        "/user-payments/{paymentId}/virtual-account",
    );
    step(&h, "deposit details", deposit_details.bearer(&learner), 200, 2).await;
    let account =
        serde_json::json!({"bankCode": "88", "accountNumber": "110222333444", "holderName": "회원"});
    let save =
        Event::new("POST", "/user-payments/bank-account", "/user-payments/bank-account").bearer(&learner);
    step(&h, "save a refund account", save.json(&account), 201, 4).await;
    let recent =
        Event::new("GET", "/user-payments/recent-bank-account", "/user-payments/recent-bank-account");
    step(&h, "my latest refund account", recent.bearer(&learner), 200, 2).await;
    let booked =
        Event::new("GET", &format!("/lectures/{class}/reservations"), "/lectures/{lectureId}/reservations");
    step(&h, "have I booked it", booked.bearer(&learner), 200, 2).await;
    let teacher_token = h.token(connection_http::jwt::Role::Lecturer(teacher.id));
    let mine = Event::new("GET", "/lecturers/my-reservations?take=10", "/lecturers/my-reservations")
        .bearer(&teacher_token);
    step(&h, "my classes' bookings", mine, 200, 3).await;
    step(&h, "refund a paid booking", refund, 201, 5).await;
}
