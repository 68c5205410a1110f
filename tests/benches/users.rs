//! Benchmark of the users and auth routes by local invoke on SQLite: latency and table round
//! trips. `cargo bench -p connection-tests --bench users`.

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

#[tokio::main]
async fn main() {
    local_invoke().await;
}
