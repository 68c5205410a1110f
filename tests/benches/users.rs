//! Benchmark of the users function: local-invoke latency on SQLite, and the Lambda bootstrap
//! (time to its first `/next`, memory, package size) against a Runtime API stub.
//!
//! `cargo bench -p connection-tests --bench users` — builds `users` with the `dist` profile
//! (the one that is shipped), so the first run takes a few minutes.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
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

/// What the stub saw of one bootstrap run.
#[derive(Default)]
struct Run {
    first_next: Option<Instant>,
    responded: Option<Instant>,
    rss_kib: Option<u64>,
    pid: Option<u32>,
}

type Shared = Arc<Mutex<Run>>;

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn next(State(run): State<Shared>) -> (HeaderMap, String) {
    let first = {
        let mut run = run.lock().unwrap();
        if run.first_next.is_none() {
            run.first_next = Some(Instant::now());
            true
        } else {
            // The second poll: the first invocation is done, read the memory it left.
            run.rss_kib = run.pid.and_then(rss_kib);
            false
        }
    };
    if !first {
        std::future::pending::<()>().await;
    }
    let mut headers = HeaderMap::new();
    headers.insert("lambda-runtime-aws-request-id", "bench-1".parse().unwrap());
    let deadline =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() + 30_000;
    headers.insert("lambda-runtime-deadline-ms", deadline.to_string().parse().unwrap());
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:ap-northeast-2:123456789012:function:users".parse().unwrap(),
    );
    let event = Event::new("GET", "/", "/");
    (headers, event.0.to_string())
}

async fn response(State(run): State<Shared>) -> &'static str {
    run.lock().unwrap().responded = Some(Instant::now());
    "{}"
}

fn build_dist() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["build", "--profile", "dist", "-p", "users"])
        .status()
        .expect("cargo build");
    assert!(status.success(), "building users with the dist profile failed");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("dist").join("users")
}

async fn bootstrap_once(binary: &PathBuf) -> (Duration, Duration, u64) {
    let run: Shared = Arc::default();
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
        .with_state(run.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let started = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "users")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_REGION", "ap-northeast-2")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("TABLE_NAME", "bench")
        .env("IMAGE_BUCKET", "bench")
        .env("JWT_SECRET", "bench-secret")
        // As template.yaml sets it on Lambda (there: /etc/pki/tls/certs/ca-bundle.crt).
        .env("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the bootstrap");
    run.lock().unwrap().pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if run.lock().unwrap().rss_kib.is_some() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let _ = child.kill().await;
    server.abort();
    let run = run.lock().unwrap();
    let first_next = run.first_next.expect("the bootstrap polled /next") - started;
    let responded = run.responded.expect("the bootstrap answered") - started;
    (first_next, responded, run.rss_kib.unwrap_or_default())
}

async fn bootstrap() {
    let binary = build_dist();
    let bytes = std::fs::read(&binary).expect("the users binary");
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &bytes).unwrap();
    let zipped = encoder.finish().unwrap().len();
    println!(
        "users binary (dist profile)        {:.2} MB, zipped (deflate) {:.2} MB",
        bytes.len() as f64 / 1e6,
        zipped as f64 / 1e6
    );
    let (mut nexts, mut responses, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..20 {
        let (next, response, kib) = bootstrap_once(&binary).await;
        nexts.push(next);
        responses.push(response);
        rss.push(kib);
    }
    report("bootstrap exec -> first /next", nexts);
    report("bootstrap exec -> first response", responses);
    rss.sort();
    println!(
        "bootstrap RSS after first invoke   median {:.1} MiB, max {:.1} MiB",
        rss[rss.len() / 2] as f64 / 1024.0,
        rss[rss.len() - 1] as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if only.as_deref() != Some("bootstrap") {
        local_invoke().await;
    }
    if only.as_deref() != Some("invoke") {
        bootstrap().await;
    }
}
