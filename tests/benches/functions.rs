//! Every Lambda function's cold start, as Lambda runs it: the `release` binary (the one that is
//! shipped) started against a stub that answers as the Runtime API, Secrets Manager and
//! DynamoDB do. Printed as one table: exec → first `/next` (init, including the secret read),
//! the first real request (a route that reads the table), RSS after it, and the zipped size.
//!
//! `cargo bench -p connection-tests --bench functions` — builds the functions with the release
//! profile first, which takes a few minutes the first time.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use connection_http::jwt::{Role, Tokens};
use connection_tests::{Event, now_epoch};
use serde_json::{Value, json};

const SECRET: &str = "bench-secret-read-from-secrets-manager-0123456789";
const RUNS: usize = 20;

/// A function, the environment its template gives it, and its first real request.
struct Function {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
    first_request: fn() -> Event,
}

fn bearer() -> String {
    token(Role::User(1))
}

fn token(role: Role) -> String {
    let tokens = Tokens::new(SECRET.as_bytes(), 3600, 3600).expect("keys");
    tokens.access_token(role, now_epoch()).expect("token")
}

const FUNCTIONS: &[Function] = &[
    Function {
        name: "users",
        env: &[("IMAGE_BUCKET", "bench")],
        first_request: || Event::from_fixture("get-user.json"),
    },
    Function {
        name: "auth",
        env: &[("KAKAO_APP_ID", "1234567"), ("GOOGLE_CLIENT_ID", "bench.apps.googleusercontent.com")],
        first_request: || {
            let path = "/auth/token/verify/user-access-token";
            Event::new("GET", path, path).bearer(&bearer())
        },
    },
    Function {
        name: "lecturers",
        env: &[("IMAGE_BUCKET", "bench")],
        first_request: || Event::new("GET", "/lecturers/nickname/dancer", "/lecturers/nickname/{nickname}"),
    },
    Function {
        name: "lectures",
        env: &[("IMAGE_BUCKET", "bench")],
        first_request: || Event::new("GET", "/lectures/1/detail", "/lectures/{lectureId}/detail"),
    },
    Function {
        name: "uploads",
        env: &[("IMAGE_BUCKET", "bench")],
        first_request: || {
            let path = "/uploads/lectures/presigned";
            let body = json!({"contentType": "image/png", "contentLength": 1024});
            Event::new("POST", path, "/uploads/{folder}/presigned").bearer(&bearer()).json(&body)
        },
    },
    Function {
        name: "coupons",
        env: &[("COUPON_SECRET_ID", "coupon")],
        first_request: || {
            Event::new("GET", "/coupons/private/1", "/coupons/private/{couponId}")
                .bearer(&token(Role::Lecturer(1)))
        },
    },
    Function {
        name: "passes",
        env: &[],
        first_request: || Event::new("GET", "/passes/1", "/passes/{passId}"),
    },
    Function {
        name: "payments",
        env: &[("TOSS_SECRET_ID", "toss")],
        first_request: || Event::new("GET", "/payments/order_bench", "/payments/{orderId}").bearer(&bearer()),
    },
];

/// User 1's pending order as DynamoDB's GetItem returns it.
fn order_item() -> Value {
    json!({"Item": {
        "pk": {"S": "ORDER#order_bench"}, "sk": {"S": "PAYMENT"}, "entity": {"S": "Payment"}, "id": {"N": "1"},
        "orderId": {"S": "order_bench"}, "orderName": {"S": "힙합 기초"}, "userId": {"N": "1"},
        "lecturerId": {"N": "1"}, "product": {"S": "클래스"}, "status": {"S": "READY"},
        "originalPrice": {"N": "30000"}, "finalPrice": {"N": "30000"},
        "refundableDate": {"S": "2030-01-01T10:00:00.000Z"},
        "createdAt": {"S": "2026-12-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-12-01T00:00:00.000Z"}
    }})
}

/// A private coupon of lecturer 1 as DynamoDB's GetItem returns it.
fn coupon_item() -> Value {
    json!({"Item": {
        "pk": {"S": "COUPON#1"}, "sk": {"S": "COUPON"}, "entity": {"S": "LectureCoupon"}, "id": {"N": "1"},
        "lecturerId": {"N": "1"}, "title": {"S": "할인"}, "percentage": {"N": "10"}, "usageCount": {"N": "0"},
        "isDisabled": {"BOOL": false}, "isStackable": {"BOOL": false}, "isPrivate": {"BOOL": true},
        "startAt": {"S": "2026-01-01T00:00:00.000Z"}, "endAt": {"S": "2036-01-01T00:00:00.000Z"},
        "targets": {"L": []}, "version": {"N": "0"},
        "createdAt": {"S": "2026-12-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-12-01T00:00:00.000Z"}
    }})
}

/// A pass of lecturer 1 as DynamoDB's GetItem returns it.
fn pass_item() -> Value {
    json!({"Item": {
        "pk": {"S": "PASS#1"}, "sk": {"S": "PASS"}, "entity": {"S": "LecturePass"}, "id": {"N": "1"},
        "lecturerId": {"N": "1"}, "title": {"S": "10회권"}, "price": {"N": "250000"},
        "maxUsageCount": {"N": "10"}, "availableMonths": {"N": "3"}, "salesCount": {"N": "0"},
        "isDisabled": {"BOOL": false}, "targets": {"L": [{"M": {"id": {"N": "1"}, "title": {"S": "힙합 기초"}}}]},
        "createdAt": {"S": "2026-12-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-12-01T00:00:00.000Z"}
    }})
}

/// User 1 as DynamoDB's GetItem returns it.
fn user_item() -> Value {
    json!({"Item": {
        "pk": {"S": "USER#1"}, "sk": {"S": "PROFILE"}, "entity": {"S": "User"}, "id": {"N": "1"},
        "uuid": {"S": "0d9e1f8a-0000-4000-8000-000000000001"}, "name": {"S": "김댄서"},
        "nickname": {"S": "dancer"}, "email": {"S": "kim@example.com"}, "isProfileOpen": {"BOOL": true},
        "phoneNumber": {"NULL": true}, "gender": {"NULL": true},
        "createdAt": {"S": "2026-12-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-12-01T00:00:00.000Z"},
        "deletedAt": {"NULL": true},
        "auth": {"M": {"id": {"N": "1"}, "email": {"S": "kim@kakao.com"}, "signUpTypeId": {"N": "1"},
            "createdAt": {"S": "2026-12-01T00:00:00.000Z"}}}
    }})
}

/// Lecture 1 as DynamoDB's GetItem returns it.
fn lecture_item() -> Value {
    json!({"Item": {
        "pk": {"S": "LECTURE#1"}, "sk": {"S": "LECTURE"}, "entity": {"S": "Lecture"}, "id": {"N": "1"},
        "lecturerId": {"N": "1"}, "lectureTypeId": {"N": "1"}, "lectureMethodId": {"N": "1"},
        "isGroup": {"BOOL": true}, "startDate": {"S": "2030-01-01T00:00:00.000Z"},
        "endDate": {"S": "2030-01-31T00:00:00.000Z"}, "title": {"S": "힙합 기초"},
        "curriculum": {"S": "<p>c</p>"}, "duration": {"N": "60"}, "difficultyLevel": {"S": "하"},
        "maxCapacity": {"N": "10"}, "reservationDeadline": {"N": "24"}, "price": {"N": "30000"},
        "regions": {"L": [{"N": "14"}]}, "genres": {"L": [{"M": {"danceCategoryId": {"N": "6"}}}]},
        "images": {"L": [{"S": "https://bench.example.com/lectures/a.png"}]}, "isActive": {"BOOL": true},
        "createdAt": {"S": "2026-12-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-12-01T00:00:00.000Z"}
    }})
}

/// Lecturer 1 as DynamoDB's GetItem returns it.
fn lecturer_item() -> Value {
    json!({"Item": {
        "pk": {"S": "LECTURER#1"}, "sk": {"S": "PROFILE"}, "entity": {"S": "Lecturer"}, "id": {"N": "1"},
        "userId": {"N": "1"}, "nickname": {"S": "강사"}, "email": {"S": "t@example.com"},
        "phoneNumber": {"S": "01012345678"}, "createdAt": {"S": "2026-12-01T00:00:00.000Z"},
        "updatedAt": {"S": "2026-12-01T00:00:00.000Z"}
    }})
}

/// What the stub saw of one cold start.
#[derive(Default)]
struct Run {
    event: Value,
    first_next: Option<Instant>,
    secret_asked: Option<Instant>,
    responded: Option<Instant>,
    status: Option<u64>,
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
    let event = {
        let mut run = run.lock().unwrap();
        if run.first_next.is_none() {
            run.first_next = Some(Instant::now());
            Some(run.event.to_string())
        } else {
            // The second poll: the first invocation is done, read the memory it left.
            run.rss_kib = run.pid.and_then(rss_kib);
            None
        }
    };
    let Some(event) = event else { std::future::pending().await };
    let mut headers = HeaderMap::new();
    headers.insert("lambda-runtime-aws-request-id", "bench-1".parse().unwrap());
    let deadline = (now_epoch() as u128 + 30) * 1000;
    headers.insert("lambda-runtime-deadline-ms", deadline.to_string().parse().unwrap());
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:ap-northeast-2:123456789012:function:bench".parse().unwrap(),
    );
    (headers, event)
}

async fn response(State(run): State<Shared>, body: String) -> &'static str {
    let mut run = run.lock().unwrap();
    run.responded = Some(Instant::now());
    run.status = serde_json::from_str::<Value>(&body).ok().and_then(|r| r["statusCode"].as_u64());
    "{}"
}

/// Secrets Manager and DynamoDB: both JSON protocols name the operation in `X-Amz-Target`.
async fn aws(
    State(run): State<Shared>,
    headers: HeaderMap,
    request: String,
) -> ([(&'static str, &'static str); 1], String) {
    let target = headers.get("x-amz-target").and_then(|t| t.to_str().ok()).unwrap_or_default();
    if target == "secretsmanager.GetSecretValue" {
        run.lock().unwrap().secret_asked.get_or_insert_with(Instant::now);
    }
    let body = match target {
        "secretsmanager.GetSecretValue" => {
            json!({"ARN": "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:jwt",
            "Name": "jwt", "SecretString": SECRET, "VersionId": "v1"})
        }
        "DynamoDB_20120810.GetItem" => {
            let request: Value = serde_json::from_str(&request).unwrap_or_default();
            let pk = request["Key"]["pk"]["S"].as_str().unwrap_or_default();
            if pk.starts_with("ORDER#") {
                order_item()
            } else if pk.starts_with("COUPON#") {
                coupon_item()
            } else if pk.starts_with("PASS#") {
                pass_item()
            } else if pk.starts_with("LECTURE#") {
                lecture_item()
            } else if pk.starts_with("LECTURER#") {
                lecturer_item()
            } else {
                user_item()
            }
        }
        "DynamoDB_20120810.PutItem" => json!({}),
        other => json!({"__type": "UnknownOperationException", "message": other}),
    };
    ([("content-type", "application/x-amz-json-1.1")], body.to_string())
}

fn build(names: &[&str]) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut args = vec!["build", "--release"];
    for name in names {
        args.extend(["-p", name]);
    }
    let status = std::process::Command::new(cargo).args(&args).status().expect("cargo build");
    assert!(status.success(), "building the functions with the release profile failed");
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("release")
}

/// One cold start: exec → first /next, of which exec → the secret's request, first /next →
/// response, and RSS in KiB.
async fn cold_start(binary: &PathBuf, function: &Function) -> (Duration, Duration, Duration, u64) {
    let run: Shared = Arc::new(Mutex::new(Run { event: (function.first_request)().0, ..Run::default() }));
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
        .route("/", post(aws))
        .with_state(run.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let started = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", function.name)
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_REGION", "ap-northeast-2")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_ENDPOINT_URL", format!("http://{addr}"))
        .env("TABLE_NAME", "bench")
        .env("JWT_SECRET_ID", "jwt")
        // As template.yaml sets it on Lambda (there: /etc/pki/tls/certs/ca-bundle.crt).
        .env("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")
        .envs(function.env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the bootstrap");
    run.lock().unwrap().pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(10);
    while run.lock().unwrap().rss_kib.is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let _ = child.kill().await;
    server.abort();
    let run = run.lock().unwrap();
    assert!(
        matches!(run.status, Some(200 | 201)),
        "{}: the first request did not succeed: {:?}",
        function.name,
        run.status
    );
    let first_next = run.first_next.expect("the bootstrap polled /next");
    let responded = run.responded.expect("the bootstrap answered");
    let secret_asked = run.secret_asked.expect("the bootstrap read its secret");
    (first_next - started, secret_asked - started, responded - first_next, run.rss_kib.unwrap_or_default())
}

fn p50_max(mut samples: Vec<Duration>) -> String {
    samples.sort();
    format!("{:>7.2?} {:>7.2?}", samples[samples.len() / 2], samples[samples.len() - 1])
}

fn zipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, bytes).unwrap();
    encoder.finish().unwrap().len()
}

#[tokio::main]
async fn main() {
    let dir = build(&FUNCTIONS.iter().map(|f| f.name).collect::<Vec<_>>());
    println!("{RUNS} cold starts each; targets: init <= 6 ms, RSS <= 12 MiB, zip <= 5 MB");
    println!(
        "{:<8} {:>15} {:>15} {:>15} {:>17} {:>9} {:>9}",
        "function",
        "init p50/max",
        "(to secret req)",
        "1st req p50/max",
        "RSS MiB med/max",
        "binary MB",
        "zip MB"
    );
    for function in FUNCTIONS {
        let binary = dir.join(function.name);
        let bytes = std::fs::read(&binary).expect("the binary");
        let (mut inits, mut asks, mut firsts, mut rss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (init, ask, first, kib) = cold_start(&binary, function).await;
            inits.push(init);
            asks.push(ask);
            firsts.push(first);
            rss.push(kib);
        }
        rss.sort();
        println!(
            "{:<8} {} {} {} {:>8.1} {:>8.1} {:>9.2} {:>9.2}",
            function.name,
            p50_max(inits),
            p50_max(asks),
            p50_max(firsts),
            rss[rss.len() / 2] as f64 / 1024.0,
            rss[rss.len() - 1] as f64 / 1024.0,
            bytes.len() as f64 / 1e6,
            zipped(&bytes) as f64 / 1e6
        );
    }
}
