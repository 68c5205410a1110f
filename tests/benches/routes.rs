//! Benchmark of the routes by local invoke on the embedded store (SQLite): latency and table
//! round trips of the users, auth, catalog, offers and payments routes. `cargo bench -p connection-tests --bench routes`.

use std::time::{Duration, Instant};

use connection_tests::{Event, Harness, Reply};
use serde_json::json;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<58} n={:<6} p50={:>8.1?} p99={:>8.1?} max={:>8.1?}",
        samples.len(),
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn sign_up(n: usize) -> Event {
    Event::from_fixture("post-users.json").json(&json!({
        "provider": "KAKAO", "email": format!("bench{n}@example.com"), "authEmail": format!("bench{n}@kakao.com"),
        "name": "벤치", "nickname": format!("bench{n}"), "phoneNumber": format!("010{n:08}"),
        "registerConsents": {"termsOfService": true, "talk": true, "email": false,
            "marketing": {"marketingChannelTalk": false, "marketingEmail": false}}
    }))
}

/// One invocation that must answer `status`: its time, its table round trips and the reply.
async fn timed(h: &Harness, event: Event, status: u16) -> (Duration, usize, Reply) {
    let started = Instant::now();
    let reply = h.invoke(event).await;
    let elapsed = started.elapsed();
    assert_eq!(reply.status, status, "{:?}", reply.body);
    (elapsed, h.round_trips(), reply)
}

/// Runs `runs` invocations of `event(i)` and reports their latency and round trips.
async fn measure(h: &Harness, name: &str, runs: usize, status: u16, mut event: impl FnMut(usize) -> Event) {
    let (mut samples, mut trips) = (Vec::with_capacity(runs), 0);
    for i in 0..runs {
        let (elapsed, round_trips, _) = timed(h, event(i), status).await;
        samples.push(elapsed);
        trips = round_trips;
    }
    report(&format!("{name} ({trips} round trips)"), samples);
}

async fn local_invoke() {
    let h = Harness::new().await;
    for n in 0..2_000 {
        h.grant_sign_up(&format!("bench{n}@kakao.com"), "KAKAO").await;
    }
    measure(&h, "local invoke POST /users", 2_000, 201, sign_up).await;

    let card = Event::from_fixture("get-user.json");
    for _ in 0..200 {
        timed(&h, card.clone(), 200).await;
    }
    measure(&h, "local invoke GET /users/:userId", 10_000, 200, |_| card.clone()).await;

    // A signed-in member (sandbox provider) for the token routes.
    let sign_in = Event::new(
        "GET",
        "/auth/oauth/signin/KAKAO?access-token=sandbox:bench0@kakao.com",
        "/auth/oauth/signin/{provider}",
    );
    let (_, _, session) = timed(&h, sign_in, 200).await;
    let token = session.data()["userAccessToken"].as_str().expect("signed in").to_string();
    let verify =
        Event::new("GET", "/auth/token/verify/user-access-token", "/auth/token/verify/user-access-token")
            .bearer(&token);
    measure(&h, "local invoke GET verify (user)", 10_000, 200, |_| verify.clone()).await;

    // Each refresh presents the cookie the previous one set.
    let mut cookie = session.refresh_cookie().expect("refresh cookie");
    let (mut samples, mut trips) = (Vec::new(), 0);
    for _ in 0..2_000 {
        let event = Event::new("GET", "/auth/token/refresh", "/auth/token/refresh")
            .cookie(&format!("refreshToken={cookie}"));
        let (elapsed, round_trips, reply) = timed(&h, event, 200).await;
        samples.push(elapsed);
        trips = round_trips;
        cookie = reply.refresh_cookie().expect("rotated");
    }
    report(&format!("local invoke GET refresh, rotating ({trips} round trips)"), samples);
}

/// A catalog of 20 lecturers with three one-day classes of ten sessions each, liked by 50
/// members; then the class page, the lists and a like.
async fn catalog() {
    use connection_http::jwt::Role;
    let h = Harness::new().await;
    let mut members = Vec::new();
    for n in 0..70 {
        h.grant_sign_up(&format!("bench{n}@kakao.com"), "KAKAO").await;
        let reply = h.invoke(sign_up(n)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        let id = reply.data()["createUser"]["id"].as_i64().expect("an id");
        members.push(h.token(Role::User(id)));
    }
    let image = format!("{}/lectures/cover.png", connection_tests::IMAGE_BASE);
    let mut lectures = Vec::new();
    for (n, token) in members[50..].iter().enumerate() {
        let body = json!({"profileImageUrls": [image], "nickname": format!("강사{n}"), "email": "t@example.com",
            "phoneNumber": "01012345678", "regions": ["서울특별시 마포구"], "genres": ["힙합"]});
        let reply = h.invoke(Event::new("POST", "/lecturers", "/lecturers").bearer(token).json(&body)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        let lecturer = h.token(Role::Lecturer(n as i64 + 1));
        for _ in 0..3 {
            let starts: Vec<String> = (1..=10).map(|d| format!("2030-03-{d:02}T10:00:00.000Z")).collect();
            let class = json!({"regions": ["서울특별시 마포구"], "lectureType": "dance", "lectureMethod": "원데이",
                "isGroup": true, "startDate": "2030-03-01", "endDate": "2030-03-31", "genres": ["힙합"],
                "images": [image], "title": "벤치 수업", "curriculum": "<p>c</p>", "duration": 60,
                "difficultyLevel": "하", "reservationDeadline": 24, "price": 20000, "maxCapacity": 10,
                "schedules": starts});
            let reply =
                h.invoke(Event::new("POST", "/lectures", "/lectures").bearer(&lecturer).json(&class)).await;
            assert_eq!(reply.status, 201, "{:?}", reply.body);
            lectures.push(reply.data()["newLecture"]["id"].as_i64().expect("an id"));
        }
    }
    for (i, token) in members[..50].iter().enumerate() {
        for lecture in lectures.iter().skip(i % 7).step_by(5) {
            let like = Event::new("POST", &format!("/lecture-likes/{lecture}"), "/lecture-likes/{lectureId}");
            assert_eq!(h.invoke(like.bearer(token)).await.status, 201);
        }
    }
    let member = members[0].clone();
    let at = |i: usize, route: &str| {
        let id = lectures[i % lectures.len()];
        Event::new("GET", &route.replace("{lectureId}", &id.to_string()), route)
    };
    measure(&h, "GET /lectures/:id/detail", 10_000, 200, |i| at(i, "/lectures/{lectureId}/detail")).await;
    measure(&h, "GET /lectures/:id/previews (member)", 10_000, 200, |i| {
        at(i, "/lectures/{lectureId}/previews").bearer(&member)
    })
    .await;
    measure(&h, "GET /lectures/:id/schedules", 10_000, 200, |i| at(i, "/lectures/{lectureId}/schedules"))
        .await;
    let popular = Event::new("GET", "/popular-lectures", "/popular-lectures");
    measure(&h, "GET /popular-lectures (guest)", 10_000, 200, |_| popular.clone()).await;
    measure(&h, "GET /popular-lectures (member)", 10_000, 200, |_| popular.clone().bearer(&member)).await;
    let latest = Event::new("GET", "/latest-lectures/users", "/latest-lectures/users").bearer(&member);
    measure(&h, "GET /latest-lectures/users", 10_000, 200, |_| latest.clone()).await;
    let lecturers = Event::new("GET", "/popular-lecturers", "/popular-lecturers");
    measure(&h, "GET /popular-lecturers (guest)", 10_000, 200, |_| lecturers.clone()).await;
    let fan = members[60].clone();
    measure(&h, "POST /lecture-likes/:id (a new like)", 60, 201, |i| {
        Event::new("POST", &format!("/lecture-likes/{}", lectures[i]), "/lecture-likes/{lectureId}")
            .bearer(&fan)
    })
    .await;
}

/// Claims and the lists of coupons and passes: 50 learners, a lecturer with 4 classes, 40
/// coupons (10 per class) and 10 passes; every learner ends up holding all 40 coupons.
async fn offers() {
    use connection_http::jwt::Role;
    let h = Harness::new().await;
    let mut members = Vec::new();
    for n in 0..51 {
        h.grant_sign_up(&format!("bench{n}@kakao.com"), "KAKAO").await;
        let reply = h.invoke(sign_up(n)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        members.push(h.token(Role::User(reply.data()["createUser"]["id"].as_i64().expect("an id"))));
    }
    let image = format!("{}/lectures/cover.png", connection_tests::IMAGE_BASE);
    let body = json!({"profileImageUrls": [image], "nickname": "쿠폰강사", "email": "t@example.com",
        "phoneNumber": "01012345678", "regions": ["서울특별시 마포구"], "genres": ["힙합"]});
    let reply =
        h.invoke(Event::new("POST", "/lecturers", "/lecturers").bearer(&members[50]).json(&body)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    let lecturer = h.token(Role::Lecturer(1));
    let mut classes = Vec::new();
    for _ in 0..4 {
        let class = json!({"regions": ["서울특별시 마포구"], "lectureType": "dance", "lectureMethod": "원데이",
            "isGroup": true, "startDate": "2030-03-01", "endDate": "2030-03-31", "genres": ["힙합"],
            "images": [image], "title": "벤치 수업", "curriculum": "<p>c</p>", "duration": 60,
            "difficultyLevel": "하", "reservationDeadline": 24, "price": 20000, "maxCapacity": 10,
            "schedules": ["2030-03-02T10:00:00.000Z"]});
        let reply =
            h.invoke(Event::new("POST", "/lectures", "/lectures").bearer(&lecturer).json(&class)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        classes.push(reply.data()["newLecture"]["id"].as_i64().expect("an id"));
    }
    let mut coupons = Vec::new();
    for i in 0..40 {
        let coupon = json!({"title": "벤치 쿠폰", "startAt": "2026-01-01T00:00:00Z", "endAt": "2031-01-01T00:00:00Z",
            "percentage": 10, "isPrivate": false, "isStackable": false, "lectureIds": [classes[i % 4]]});
        let reply = h
            .invoke(
                Event::new("POST", "/coupons/lecture", "/coupons/lecture").bearer(&lecturer).json(&coupon),
            )
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        coupons.push(reply.data()["coupon"]["id"].as_i64().expect("an id"));
    }
    for _ in 0..10 {
        let pass = json!({"title": "10회권", "lectureIds": [classes[0]], "availableMonths": "3",
            "maxUsageCount": "10", "price": "250000"});
        let reply = h
            .invoke(Event::new("POST", "/passes/lecture", "/passes/lecture").bearer(&lecturer).json(&pass))
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
    }
    measure(&h, "POST /coupons/public/user (one coupon)", 2_000, 201, |i| {
        Event::new("POST", "/coupons/public/user", "/coupons/public/user")
            .bearer(&members[i % 50])
            .json(&json!({"couponIds": [coupons[i / 50]]}))
    })
    .await;
    let class_coupons =
        Event::new("GET", &format!("/coupons/lectures/{}", classes[0]), "/coupons/lectures/{lectureId}");
    measure(&h, "GET /coupons/lectures/:id (member, 10 coupons)", 5_000, 200, |_| {
        class_coupons.clone().bearer(&members[0])
    })
    .await;
    let mine = Event::new(
        "GET",
        "/coupons/user?take=10&couponStatusOption=AVAILABLE&filterOption=UPCOMING",
        "/coupons/user",
    );
    measure(&h, "GET /coupons/user (40 held)", 5_000, 200, |_| mine.clone().bearer(&members[0])).await;
    let issued = Event::new(
        "GET",
        "/coupons/lecturer?take=10&couponStatusOption=AVAILABLE&filterOption=LATEST",
        "/coupons/lecturer",
    );
    measure(&h, "GET /coupons/lecturer (40 issued)", 5_000, 200, |_| issued.clone().bearer(&lecturer)).await;
    let passes = Event::new(
        "GET",
        "/passes/issued?take=10&passStatusOptions=AVAILABLE&filterOption=BEST_SELLING",
        "/passes/issued",
    );
    measure(&h, "GET /passes/issued (10 passes)", 5_000, 200, |_| passes.clone().bearer(&lecturer)).await;
    let of_class =
        Event::new("GET", &format!("/passes/lectures/{}", classes[0]), "/passes/lectures/{lectureId}");
    measure(&h, "GET /passes/lectures/:id (10 passes)", 5_000, 200, |_| of_class.clone()).await;
}

/// Class orders and their confirmation through the payment sandbox: 50 learners order 1,000
/// seats of an unlimited class, then confirm each order.
async fn payments() {
    use connection_http::jwt::Role;
    let h = Harness::new().await;
    let mut members = Vec::new();
    for n in 0..51 {
        h.grant_sign_up(&format!("bench{n}@kakao.com"), "KAKAO").await;
        let reply = h.invoke(sign_up(n)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        members.push(h.token(Role::User(reply.data()["createUser"]["id"].as_i64().expect("an id"))));
    }
    let image = format!("{}/lectures/cover.png", connection_tests::IMAGE_BASE);
    let body = json!({"profileImageUrls": [image], "nickname": "결제강사", "email": "t@example.com",
        "phoneNumber": "01012345678", "regions": ["서울특별시 마포구"], "genres": ["힙합"]});
    let reply =
        h.invoke(Event::new("POST", "/lecturers", "/lecturers").bearer(&members[50]).json(&body)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    let class = json!({"regions": ["서울특별시 마포구"], "lectureType": "dance", "lectureMethod": "원데이",
        "isGroup": true, "startDate": "2030-03-01", "endDate": "2030-03-31", "genres": ["힙합"],
        "images": [image], "title": "벤치 수업", "curriculum": "<p>c</p>", "duration": 60,
        "difficultyLevel": "하", "reservationDeadline": 24, "price": 20000,
        "schedules": ["2030-03-02T10:00:00.000Z"]});
    let lecturer = h.token(Role::Lecturer(1));
    let reply = h.invoke(Event::new("POST", "/lectures", "/lectures").bearer(&lecturer).json(&class)).await;
    let lecture = reply.data()["newLecture"]["id"].as_i64().expect("an id");
    let schedules =
        Event::new("GET", &format!("/lectures/{lecture}/schedules"), "/lectures/{lectureId}/schedules");
    let session = h.invoke(schedules).await.data()["schedules"][0]["id"].as_i64().expect("a session");
    measure(&h, "POST /payments/toss/lecture (no coupon)", 1_000, 201, |i| {
        let body = json!({"lectureId": lecture, "orderName": "벤치 수업", "orderId": format!("bench_order_{i}"),
            "lectureSchedule": {"lectureScheduleId": session, "participants": 1}, "originalPrice": 20000,
            "finalPrice": 20000, "representative": "벤치", "phoneNumber": "01012345678"});
        Event::new("POST", "/payments/toss/lecture", "/payments/toss/lecture").bearer(&members[i % 50]).json(&body)
    })
    .await;
    measure(&h, "PATCH /payments/toss/confirm (sandbox card)", 1_000, 200, |i| {
        let body = json!({"orderId": format!("bench_order_{i}"), "paymentKey": format!("sandbox_{i}"), "amount": "20000"});
        Event::new("PATCH", "/payments/toss/confirm", "/payments/toss/confirm").bearer(&members[i % 50]).json(&body)
    })
    .await;
}

#[tokio::main]
async fn main() {
    local_invoke().await;
    catalog().await;
    offers().await;
    payments().await;
}
