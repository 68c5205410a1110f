//! Test support: a users function wired to an in-memory table, API Gateway HTTP API v2 events
//! built from the JSON fixtures in `tests/events/`, and a local invoke through the same
//! `lambda_http` adapter that runs in Lambda.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use connection_adapters::folder::FolderBlobs;
use connection_adapters::outbox::Outbox;
use connection_adapters::sandbox::SandboxOAuth;
use connection_adapters::{
    Clock, FixedClock, OAuthError, OAuthVerifier, Provider, Sms, SmsError, SocialProfile,
};
use connection_auth::{AuthState, Settings};
use connection_coupons::CouponsState;
use connection_http::Core;
use connection_http::jwt::{Claims, Role, TokenType, Tokens};
use connection_lecturers::LecturersState;
use connection_lectures::LecturesState;
use connection_passes::PassesState;
use connection_payments::PaymentsState;
use connection_table::{CountedTable, SqliteTable, Table};
use connection_uploads::UploadsState;
use connection_users::UsersState;
use lambda_http::lambda_runtime::{Context, LambdaEvent};
use lambda_http::request::LambdaRequest;
use serde_json::{Value, json};
use tower::ServiceExt;

pub const SECRET: &[u8] = b"connection-test-secret-of-32-bytes!";

/// The key the harness signs private coupon codes with.
pub const COUPON_KEY: &str = "connection-test-coupon-key-of-32-bytes!";

/// A fixture from `tests/events/`.
pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// An API Gateway HTTP API (payload 2.0) event.
#[derive(Clone)]
pub struct Event(pub Value);

impl Event {
    /// `method path` on the template of a real event; `route` is the API route key's path.
    pub fn new(method: &str, path: &str, route: &str) -> Self {
        let mut e = fixture("get-user.json");
        let (raw_path, query) = path.split_once('?').unwrap_or((path, ""));
        e["routeKey"] = json!(format!("{method} {route}"));
        e["requestContext"]["routeKey"] = e["routeKey"].clone();
        e["rawPath"] = json!(raw_path);
        e["rawQueryString"] = json!(query);
        e["requestContext"]["http"]["method"] = json!(method);
        e["requestContext"]["http"]["path"] = json!(raw_path);
        e["pathParameters"] = path_parameters(route, raw_path);
        Event(e)
    }

    pub fn from_fixture(name: &str) -> Self {
        Event(fixture(name))
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.0["headers"][name] = json!(value);
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// Request cookies, as API Gateway delivers them: in the `cookies` array.
    pub fn cookie(mut self, cookie: &str) -> Self {
        self.0["cookies"] = json!([cookie]);
        self
    }

    pub fn without_auth(mut self) -> Self {
        if let Some(h) = self.0["headers"].as_object_mut() {
            h.remove("authorization");
        }
        self
    }

    pub fn json(mut self, body: &Value) -> Self {
        let text = body.to_string();
        self.0["headers"]["content-type"] = json!("application/json");
        self.0["headers"]["content-length"] = json!(text.len().to_string());
        self.0["body"] = json!(text);
        self.0["isBase64Encoded"] = json!(false);
        self
    }

    pub fn raw_body(mut self, text: &str) -> Self {
        self.0["body"] = json!(text);
        self.0["isBase64Encoded"] = json!(false);
        self
    }

    /// A multipart body as API Gateway delivers binary payloads: base64-encoded.
    pub fn multipart(mut self, fields: &[(&str, &str, &[u8])]) -> Self {
        let boundary = "----connectionTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, filename, bytes) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.0["headers"]["content-type"] = json!(format!("multipart/form-data; boundary={boundary}"));
        self.0["headers"]["content-length"] = json!(body.len().to_string());
        self.0["body"] = json!(STANDARD.encode(body));
        self.0["isBase64Encoded"] = json!(true);
        self
    }
}

/// `pathParameters` as API Gateway fills them from the route's `{name}` segments.
fn path_parameters(route: &str, path: &str) -> Value {
    let mut params = serde_json::Map::new();
    for (r, p) in route.split('/').zip(path.split('/')) {
        if let Some(name) = r.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            params.insert(name.trim_end_matches('+').to_string(), json!(p));
        }
    }
    if params.is_empty() { Value::Null } else { Value::Object(params) }
}

/// What API Gateway would return to the client, read from the function's response JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Value,
    pub cookies: Vec<String>,
    pub body: Value,
    pub raw: Value,
}

impl Reply {
    /// The value of the `refreshToken` cookie this answer sets, if any.
    pub fn refresh_cookie(&self) -> Option<String> {
        self.cookies
            .iter()
            .find_map(|c| c.strip_prefix("refreshToken="))
            .map(|c| c.split(';').next().unwrap_or_default().to_string())
    }

    /// The `error` code of an error envelope.
    pub fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// The local stack's sandbox provider, which can be told to be unavailable.
#[derive(Default)]
pub struct TestOAuth {
    pub unavailable: AtomicBool,
}

#[async_trait]
impl OAuthVerifier for TestOAuth {
    async fn verify(&self, provider: Provider, token: &str) -> Result<SocialProfile, OAuthError> {
        if self.unavailable.load(Ordering::SeqCst) {
            return Err(OAuthError::Unavailable("provider down".into()));
        }
        SandboxOAuth.verify(provider, token).await
    }
}

/// The local outbox, which can be told to fail like a provider outage.
#[derive(Default)]
pub struct TestSms {
    pub outbox: Outbox,
    pub failing: AtomicBool,
}

#[async_trait]
impl Sms for TestSms {
    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(SmsError("provider down".into()));
        }
        self.outbox.send(phone, text).await
    }
}

/// Where the harness's images are served from.
pub const IMAGE_BASE: &str = "http://127.0.0.1:8080/images";

/// The users and auth functions over a fresh in-memory table, with a fixed clock, sandbox
/// sign-in, an SMS outbox and images in a temp folder.
pub struct Harness {
    pub users_state: UsersState,
    pub auth_state: AuthState,
    pub lecturers_state: LecturersState,
    pub lectures_state: LecturesState,
    pub uploads_state: UploadsState,
    pub coupons_state: CouponsState,
    pub passes_state: PassesState,
    pub payments_state: PaymentsState,
    /// The payment gateway the payments function talks to: the local sandbox.
    pub gateway: Arc<dyn connection_adapters::payments::PaymentGateway>,
    /// The same sandbox, which also takes deposits into its virtual accounts.
    pub sandbox: Arc<connection_adapters::payments_sandbox::SandboxPayments>,
    /// The images' folder, shared by every area that stores images.
    pub blobs: Arc<FolderBlobs>,
    /// The functions' routers, built once as in a warm Lambda.
    pub users: axum::Router,
    pub auth: axum::Router,
    pub lecturers: axum::Router,
    pub lectures: axum::Router,
    pub uploads: axum::Router,
    pub coupons: axum::Router,
    pub passes: axum::Router,
    pub payments: axum::Router,
    pub oauth: Arc<TestOAuth>,
    pub sms: Arc<TestSms>,
    pub table: Arc<CountedTable>,
    pub clock: Arc<FixedClock>,
    pub images: PathBuf,
    pub tokens: Arc<Tokens>,
}

impl Harness {
    pub async fn new() -> Self {
        Self::over(Arc::new(SqliteTable::in_memory().expect("sqlite"))).await
    }

    pub async fn over(inner: Arc<dyn Table>) -> Self {
        connection_model::lookups::seed(inner.as_ref()).await.expect("seed lookups");
        let table = Arc::new(CountedTable::new(inner));
        let images = std::env::temp_dir().join(format!("connection-images-{}", uuid_like()));
        // Whole seconds of the real time, so the table's TTL and the handlers agree on "now".
        let start = time::OffsetDateTime::from_unix_timestamp(now_epoch()).expect("now");
        let clock = Arc::new(FixedClock::new(start));
        let oauth = Arc::new(TestOAuth::default());
        let sms = Arc::new(TestSms::default());
        let tokens = Arc::new(Tokens::new(SECRET, 3600, 14 * 86400).expect("keys"));
        let core = Core { table: table.clone(), tokens: tokens.clone(), clock: clock.clone() };
        let blobs = Arc::new(FolderBlobs::new(images.clone(), IMAGE_BASE.into()));
        let users_state = UsersState { core: core.clone(), blobs: blobs.clone() };
        let uploads_state = UploadsState { core: core.clone(), blobs: blobs.clone() };
        let lecturers_state = LecturersState {
            core: core.clone(),
            settings: connection_lecturers::Settings {
                phone_verification_required: false,
                image_base: IMAGE_BASE.into(),
            },
        };
        let lectures_state = LecturesState {
            core: core.clone(),
            settings: connection_lectures::Settings { image_base: IMAGE_BASE.into() },
        };
        let coupons_state = CouponsState {
            core: core.clone(),
            settings: connection_coupons::Settings::new(COUPON_KEY).expect("coupon key"),
        };
        let passes_state = PassesState { core: core.clone() };
        let sandbox = Arc::new(connection_adapters::payments_sandbox::SandboxPayments::default());
        let gateway: Arc<dyn connection_adapters::payments::PaymentGateway> = sandbox.clone();
        let payments_state = PaymentsState { core: core.clone(), gateway: gateway.clone() };
        let auth_state =
            AuthState { core, oauth: oauth.clone(), sms: sms.clone(), settings: Settings::default() };
        let users = connection_users::function(users_state.clone());
        let auth = connection_auth::function(auth_state.clone());
        let lecturers = connection_lecturers::function(lecturers_state.clone());
        let lectures = connection_lectures::function(lectures_state.clone());
        let uploads = connection_uploads::function(uploads_state.clone());
        let coupons = connection_coupons::function(coupons_state.clone());
        let passes = connection_passes::function(passes_state.clone());
        let payments = connection_payments::function(payments_state.clone());
        Harness {
            users_state,
            auth_state,
            lecturers_state,
            lectures_state,
            uploads_state,
            coupons_state,
            passes_state,
            payments_state,
            gateway,
            sandbox,
            blobs,
            users,
            auth,
            lecturers,
            lectures,
            uploads,
            coupons,
            passes,
            payments,
            oauth,
            sms,
            table,
            clock,
            images,
            tokens,
        }
    }

    pub fn token(&self, role: Role) -> String {
        self.tokens.access_token(role, now_epoch()).expect("token")
    }

    /// An access token of a fresh session (as sign-in starts one) for `role`.
    pub async fn session_token(&self, role: Role) -> String {
        let issued = connection_auth::start_session(&self.auth_state, role).await.expect("a session");
        issued.access_token
    }

    pub fn token_with(&self, claims: &Claims) -> String {
        self.tokens.sign(claims).expect("token")
    }

    pub fn refresh_token(&self, role: Role) -> String {
        self.tokens.sign(&Claims::new(role, TokenType::Refresh, now_epoch(), 600)).expect("token")
    }

    /// Invokes the function that `template.yaml` routes the event's route key to, and returns
    /// API Gateway's view of the answer; a route missing from the template fails the test.
    /// Earlier round trips are forgotten first.
    pub async fn invoke(&self, event: Event) -> Reply {
        let route = event.0["routeKey"].as_str().unwrap_or_default().to_string();
        let function = match template_routes().iter().find(|(key, _)| *key == route) {
            Some((_, function)) => self.function(function),
            None => panic!("`{route}` is not a route of template.yaml"),
        };
        self.invoke_function(function, event).await
    }

    /// Invokes one function directly, as only a misrouted request would reach it.
    pub async fn invoke_function(&self, function: &axum::Router, event: Event) -> Reply {
        self.table.take();
        invoke(function.clone(), event).await
    }

    /// The router of a function by its name in `template.yaml` (`UsersFunction` → `Users`).
    fn function(&self, name: &str) -> &axum::Router {
        match name {
            "Users" => &self.users,
            "Auth" => &self.auth,
            "Lecturers" => &self.lecturers,
            "Lectures" => &self.lectures,
            "Uploads" => &self.uploads,
            "Coupons" => &self.coupons,
            "Passes" => &self.passes,
            "Payments" => &self.payments,
            other => panic!("template.yaml routes to {other}Function, which the harness does not know"),
        }
    }

    /// Soft-deletes the user, lecturer or other record at `key`, as an admin would.
    pub async fn soft_delete(&self, key: connection_table::Key) {
        let update = connection_table::Update::new().set("deletedAt", "2026-11-28T10:00:00.000Z");
        self.table.update(&key, update, None).await.expect("soft delete");
    }

    /// What sign-in leaves behind for a new member: permission to sign up with `email`.
    pub async fn grant_sign_up(&self, email: &str, provider: &str) {
        let sign_up_type = connection_domain::lookups::sign_up_type_id(provider).expect("provider");
        let now = self.clock.now().unix_timestamp();
        connection_auth::grant_sign_up(self.table.as_ref(), email, sign_up_type, now, 1800)
            .await
            .expect("grant");
    }

    /// Stores a small PNG under `key`, as an upload would, and returns its URL.
    pub async fn stored_image(&self, key: &str) -> String {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        self.users_state.blobs.put(key, png.into(), "image/png").await.expect("stored")
    }

    /// Round trips the last invocation made.
    pub fn round_trips(&self) -> usize {
        self.table.take()
    }
}

/// The endpoint of the emulator named by `var`. Tests that need one are `#[ignore]`d in a plain
/// `cargo test`; run without the endpoint, they fail rather than pass without doing their work.
pub fn emulator(var: &str) -> String {
    std::env::var(var)
        .unwrap_or_else(|_| panic!("{var} is not set: run the emulator tests with bash tests/run.sh"))
}

/// SDK configuration for an emulator at `endpoint` with its test credentials.
pub async fn emulator_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await
}

pub fn now_epoch() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn uuid_like() -> String {
    format!("{}-{}", std::process::id(), now_nanos())
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// Every HTTP route of `template.yaml` with the function it reaches: `("GET /users/{userId}",
/// "Users")`, read from `RouteKey` and the `integrations/${<Name>Integration}` target.
pub fn template_routes() -> &'static [(String, String)] {
    static ROUTES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../template.yaml");
        let text = std::fs::read_to_string(&path).expect("template.yaml");
        let between = |line: &str, start: &str, end: &str| {
            let rest = &line[line.find(start)? + start.len()..];
            Some(rest[..rest.find(end)?].to_string())
        };
        text.lines()
            .filter_map(|line| {
                let key = between(line, "RouteKey: \"", "\"")?;
                let function = between(line, "integrations/${", "Integration}")?;
                Some((key, function))
            })
            .collect()
    })
}

/// The exact path `lambda_http::run` takes: event JSON → `LambdaRequest` → router → the
/// response JSON the runtime would post back.
pub async fn invoke(router: axum::Router, event: Event) -> Reply {
    let request: LambdaRequest = serde_json::from_value(event.0).expect("an API Gateway event");
    let mut context = Context::default();
    context.request_id = "local-invoke".into();
    let response = lambda_http::Adapter::from(router)
        .oneshot(LambdaEvent::new(request, context))
        .await
        .expect("the function answers");
    let raw = serde_json::to_value(&response).expect("response JSON");
    let text = raw["body"].as_str().unwrap_or_default();
    let body = if raw["isBase64Encoded"] == json!(true) {
        json!(text)
    } else {
        serde_json::from_str(text).unwrap_or_else(|_| json!(text))
    };
    Reply {
        status: raw["statusCode"].as_u64().unwrap_or_default() as u16,
        headers: raw["headers"].clone(),
        cookies: serde_json::from_value(raw["cookies"].clone()).unwrap_or_default(),
        body,
        raw,
    }
}
