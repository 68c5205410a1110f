//! The payment gateway port: the Toss adapter against a stub answering with Toss's real shapes
//! and errors (notes/providers.md §4–§5), and the local sandbox.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use base64::Engine;
use connection_adapters::payments::{CancelRequest, PaymentGateway, PspError, PspStatus, RefundAccount};
use connection_adapters::payments_sandbox::SandboxPayments;
use connection_adapters::toss::TossPayments;
use serde_json::{Value, json};

const SECRET_KEY: &str = "test_sk_zXLkKEypNArWmo50nX3lmeaxYG5R";

/// What the customer authenticated in the widget: the stub's session for a payment key.
#[derive(Clone)]
struct Session {
    order_id: String,
    amount: i64,
    virtual_account: bool,
}

#[derive(Default)]
struct Toss {
    sessions: HashMap<String, Session>,
    payments: HashMap<String, Value>,
    replies: HashMap<(String, String), (u16, Value)>,
    /// (path, Authorization, Idempotency-Key) of every request.
    seen: Vec<(String, String, Option<String>)>,
    failing: bool,
}

type Shared = Arc<Mutex<Toss>>;

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    (status, json!({"code": code, "message": message}))
}

/// A payment as Toss's API answers it (version 2022-11-16): every object field present, null
/// when it does not apply.
fn payment(key: &str, s: &Session) -> Value {
    let mut p = json!({
        "mId": "tvivarepublica", "version": "2022-11-16", "type": "NORMAL",
        "lastTransactionKey": "9C62B18EEF0DE3EB7F4422EB6D14BC6E", "paymentKey": key,
        "orderId": s.order_id, "orderName": "힙합 원데이 클래스", "currency": "KRW", "method": "카드",
        "status": "DONE", "requestedAt": "2024-05-01T14:03:11+09:00", "approvedAt": "2024-05-01T14:03:40+09:00",
        "useEscrow": false, "cultureExpense": false, "isPartialCancelable": true,
        "card": {"issuerCode": "61", "acquirerCode": "31", "number": "43301234****123*",
            "installmentPlanMonths": 0, "isInterestFree": false, "interestPayer": null, "approveNo": "00000000",
            "useCardPoint": false, "cardType": "신용", "ownerType": "개인", "acquireStatus": "READY", "amount": s.amount},
        "virtualAccount": null, "transfer": null, "mobilePhone": null, "giftCertificate": null,
        "cashReceipt": null, "cashReceipts": null, "discount": null, "cancels": null, "secret": null,
        "easyPay": null, "country": "KR", "failure": null,
        "receipt": {"url": "https://dashboard.tosspayments.com/receipt/redirection?transactionId=x&ref=PX"},
        "checkout": {"url": format!("https://api.tosspayments.com/v1/payments/{key}/checkout")},
        "totalAmount": s.amount, "balanceAmount": s.amount, "suppliedAmount": s.amount * 10 / 11,
        "vat": s.amount - s.amount * 10 / 11, "taxFreeAmount": 0, "taxExemptionAmount": 0
    });
    if s.virtual_account {
        p["method"] = json!("가상계좌");
        p["status"] = json!("WAITING_FOR_DEPOSIT");
        p["approvedAt"] = Value::Null;
        p["card"] = Value::Null;
        p["virtualAccount"] = json!({"accountNumber": "X6516417041010", "accountType": "일반", "bankCode": "20",
            "customerName": "김민지", "dueDate": "2024-05-08T23:59:59+09:00", "expired": false,
            "settlementStatus": "INCOMPLETED", "refundStatus": "NONE", "refundReceiveAccount": null});
        p["secret"] = json!("ps_Z1aOwX7K8mjDyPLqQBbB8yQxzvNP");
    }
    p
}

/// Checks Basic auth as Toss does, records the request, and replays the first answer to a
/// repeated idempotency key on the same path.
fn handle(
    state: &Shared,
    path: &str,
    headers: &HeaderMap,
    run: impl FnOnce(&mut Toss) -> (u16, Value),
) -> (StatusCode, axum::Json<Value>) {
    let mut toss = state.lock().unwrap();
    let auth = headers.get("authorization").and_then(|h| h.to_str().ok()).unwrap_or_default().to_string();
    let key = headers.get("idempotency-key").and_then(|h| h.to_str().ok()).map(str::to_owned);
    toss.seen.push((path.to_string(), auth.clone(), key.clone()));
    let decoded = auth
        .strip_prefix("Basic ")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let (status, body) = if !decoded.ends_with(':') {
        error(403, "INCORRECT_BASIC_AUTH_FORMAT", "잘못된 요청입니다. ':' 를 포함해 인코딩해주세요.")
    } else if decoded.trim_end_matches(':') != SECRET_KEY {
        error(401, "UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.")
    } else if toss.failing {
        error(500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "내부 시스템 처리 작업이 실패했습니다.")
    } else if let Some(reply) = key.as_ref().and_then(|k| toss.replies.get(&(k.clone(), path.to_string()))) {
        reply.clone()
    } else {
        let reply = run(&mut toss);
        if let Some(k) = key {
            toss.replies.insert((k, path.to_string()), reply.clone());
        }
        reply
    };
    (StatusCode::from_u16(status).unwrap(), axum::Json(body))
}

async fn confirm(
    State(s): State<Shared>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    handle(&s, "/v1/payments/confirm", &headers, |toss| {
        let key = body["paymentKey"].as_str().unwrap_or_default().to_string();
        let Some(session) = toss
            .sessions
            .get(&key)
            .filter(|x| Some(x.order_id.as_str()) == body["orderId"].as_str())
            .cloned()
        else {
            return error(
                404,
                "NOT_FOUND_PAYMENT_SESSION",
                "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.",
            );
        };
        if body["amount"].as_i64() != Some(session.amount) {
            return error(400, "INVALID_REQUEST", "잘못된 요청입니다.");
        }
        if toss.payments.contains_key(&key) {
            return error(400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.");
        }
        let p = payment(&key, &session);
        toss.payments.insert(key, p.clone());
        (200, p)
    })
}

async fn cancel(
    State(s): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    handle(&s, &format!("/v1/payments/{key}/cancel"), &headers, |toss| {
        let Some(p) = toss.payments.get_mut(&key) else {
            return error(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 입니다.");
        };
        if p["status"] == "CANCELED" {
            return error(400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다.");
        }
        if body["cancelReason"].as_str().is_none_or(str::is_empty) {
            return error(400, "INVALID_REQUEST", "잘못된 요청입니다.");
        }
        if let Some(account) = body.get("refundReceiveAccount")
            && account.get("bank").is_none()
        {
            return error(
                400,
                "INVALID_REFUND_ACCOUNT_INFO",
                "환불 계좌번호와 예금주명이 일치하지 않습니다.",
            );
        }
        let balance = p["balanceAmount"].as_i64().unwrap();
        let amount = body["cancelAmount"].as_i64().unwrap_or(balance);
        if amount > balance {
            return error(403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다.");
        }
        p["balanceAmount"] = json!(balance - amount);
        p["status"] = json!(if balance == amount { "CANCELED" } else { "PARTIAL_CANCELED" });
        let mut cancels = p["cancels"].as_array().cloned().unwrap_or_default();
        cancels.push(json!({"transactionKey": format!("T{}", cancels.len() + 1), "cancelReason": body["cancelReason"],
            "cancelAmount": amount, "taxFreeAmount": 0, "taxExemptionAmount": 0, "refundableAmount": balance - amount,
            "easyPayDiscountAmount": 0, "canceledAt": "2024-05-02T09:00:00+09:00", "receiptKey": null,
            "cancelStatus": "DONE", "cancelRequestId": null}));
        p["cancels"] = json!(cancels);
        (200, p.clone())
    })
}

async fn by_key(
    State(s): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, axum::Json<Value>) {
    handle(&s, &format!("/v1/payments/{key}"), &headers, |toss| match toss.payments.get(&key) {
        Some(p) => (200, p.clone()),
        None => error(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 입니다."),
    })
}

async fn by_order(
    State(s): State<Shared>,
    Path(order): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, axum::Json<Value>) {
    handle(&s, &format!("/v1/payments/orders/{order}"), &headers, |toss| {
        match toss.payments.values().find(|p| p["orderId"] == order.as_str()) {
            Some(p) => (200, p.clone()),
            None => error(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 입니다."),
        }
    })
}

async fn toss_stub() -> (String, Shared) {
    let state = Shared::default();
    let app = Router::new()
        .route("/v1/payments/confirm", post(confirm))
        .route("/v1/payments/orders/{order}", get(by_order))
        .route("/v1/payments/{key}", get(by_key))
        .route("/v1/payments/{key}/cancel", post(cancel))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1/payments", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, state)
}

/// The customer authenticated `key` in the widget for `amount`.
fn authenticated(state: &Shared, key: &str, order: &str, amount: i64, virtual_account: bool) {
    let session = Session { order_id: order.into(), amount, virtual_account };
    state.lock().unwrap().sessions.insert(key.into(), session);
}

fn refused(result: Result<impl std::fmt::Debug, PspError>) -> (u16, String) {
    match result {
        Err(PspError::Refused { status, code, .. }) => (status, code),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn full_cancel(reason: &str) -> CancelRequest {
    CancelRequest { cancel_reason: reason.into(), cancel_amount: None, refund_receive_account: None }
}

#[tokio::test]
async fn a_card_payment_is_confirmed_with_basic_auth_and_an_idempotency_key() {
    let (base, state) = toss_stub().await;
    let toss = TossPayments::new(&base, SECRET_KEY, Duration::from_secs(5));
    authenticated(&state, "pk_card", "order-0001", 30_000, false);
    let paid = toss.confirm("pk_card", "order-0001", 30_000, "confirm-1").await.unwrap();
    assert_eq!(
        (paid.status, paid.total_amount, paid.method.as_deref()),
        (PspStatus::Done, 30_000, Some("카드"))
    );
    let card = paid.card.expect("a card");
    assert_eq!((card.issuer_code.as_str(), card.card_type.as_str()), ("61", "신용"));
    let seen = state.lock().unwrap().seen.clone();
    let expected =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{SECRET_KEY}:")));
    assert_eq!(seen[0], ("/v1/payments/confirm".to_string(), expected, Some("confirm-1".to_string())));

    // A retry with the same key is the same request: Toss answers it again.
    assert_eq!(
        toss.confirm("pk_card", "order-0001", 30_000, "confirm-1").await.unwrap(),
        toss.payment("pk_card").await.unwrap()
    );
    // A new confirm of the same payment is refused.
    assert_eq!(
        refused(toss.confirm("pk_card", "order-0001", 30_000, "confirm-2").await),
        (400, "ALREADY_PROCESSED_PAYMENT".into())
    );
    assert_eq!(toss.payment_by_order("order-0001").await.unwrap().payment_key, "pk_card");
}

#[tokio::test]
async fn a_virtual_account_waits_for_its_deposit_and_carries_its_secret() {
    let (base, state) = toss_stub().await;
    let toss = TossPayments::new(&base, SECRET_KEY, Duration::from_secs(5));
    authenticated(&state, "pk_va", "order-0002", 45_000, true);
    let issued = toss.confirm("pk_va", "order-0002", 45_000, "confirm-va").await.unwrap();
    assert_eq!(issued.status, PspStatus::WaitingForDeposit);
    assert_eq!(issued.approved_at, None);
    assert_eq!(issued.secret.as_deref(), Some("ps_Z1aOwX7K8mjDyPLqQBbB8yQxzvNP"));
    let account = issued.virtual_account.expect("an account");
    assert_eq!((account.bank_code.as_str(), account.account_number.as_str()), ("20", "X6516417041010"));
}

#[tokio::test]
async fn toss_errors_are_mapped_by_status_and_code() {
    let (base, state) = toss_stub().await;
    let toss = TossPayments::new(&base, SECRET_KEY, Duration::from_secs(5));
    authenticated(&state, "pk_card", "order-0003", 30_000, false);
    assert_eq!(
        refused(toss.confirm("pk_card", "order-0003", 29_000, "a").await),
        (400, "INVALID_REQUEST".into())
    );
    assert_eq!(
        refused(toss.confirm("pk_gone", "order-0003", 30_000, "b").await),
        (404, "NOT_FOUND_PAYMENT_SESSION".into())
    );
    assert_eq!(refused(toss.payment("pk_unknown").await), (404, "NOT_FOUND_PAYMENT".into()));
    let stranger = TossPayments::new(&base, "test_sk_someone_else", Duration::from_secs(5));
    assert_eq!(refused(stranger.payment("pk_card").await), (401, "UNAUTHORIZED_KEY".into()));
    state.lock().unwrap().failing = true;
    assert_eq!(refused(toss.payment("pk_card").await), (500, "FAILED_INTERNAL_SYSTEM_PROCESSING".into()));
    // A key that could change the request's path never leaves the adapter.
    assert_eq!(refused(toss.payment("../orders/x").await), (400, "INVALID_REQUEST".into()));
    assert_eq!(refused(toss.payment("..").await), (400, "INVALID_REQUEST".into()));
    assert_eq!(state.lock().unwrap().seen.iter().filter(|(p, ..)| p.contains("..")).count(), 0);
    // No answer at all: the outcome is unknown.
    let closed = TossPayments::new("http://127.0.0.1:9", SECRET_KEY, Duration::from_secs(2));
    assert!(matches!(closed.payment("pk_card").await, Err(PspError::Unavailable(_))));
}

#[tokio::test]
async fn cancels_are_partial_then_full_and_replayed_for_a_repeated_key() {
    let (base, state) = toss_stub().await;
    let toss = TossPayments::new(&base, SECRET_KEY, Duration::from_secs(5));
    authenticated(&state, "pk_card", "order-0004", 40_000, false);
    toss.confirm("pk_card", "order-0004", 40_000, "c").await.unwrap();
    let part = CancelRequest {
        cancel_reason: "2회 수강".into(),
        cancel_amount: Some(10_000),
        refund_receive_account: None,
    };
    let after = toss.cancel("pk_card", &part, "refund-1").await.unwrap();
    assert_eq!((after.status, after.balance_amount), (PspStatus::PartialCanceled, 30_000));
    let again = toss.cancel("pk_card", &part, "refund-1").await.unwrap();
    assert_eq!(again.balance_amount, 30_000, "the same key does not refund twice");
    let rest = toss.cancel("pk_card", &full_cancel("고객 변심"), "refund-2").await.unwrap();
    assert_eq!((rest.status, rest.balance_amount), (PspStatus::Canceled, 0));
    let cancels = rest.cancels.expect("cancels");
    assert_eq!(cancels.iter().map(|c| c.cancel_amount).collect::<Vec<_>>(), [10_000, 30_000]);
    assert_eq!(
        refused(toss.cancel("pk_card", &full_cancel("다시"), "refund-3").await),
        (400, "ALREADY_CANCELED_PAYMENT".into())
    );
    let keys: Vec<Option<String>> = state
        .lock()
        .unwrap()
        .seen
        .iter()
        .filter(|(p, ..)| p.ends_with("/cancel"))
        .map(|(_, _, k)| k.clone())
        .collect();
    assert!(keys.iter().all(Option::is_some), "every cancel carries an idempotency key");
    // A refund account goes as Toss names it: `bank`, not `bankCode`.
    let account = RefundAccount {
        bank: "88".into(),
        account_number: "110123456789".into(),
        holder_name: "김민지".into(),
    };
    let body = serde_json::to_value(CancelRequest {
        refund_receive_account: Some(account),
        ..full_cancel("환불")
    })
    .unwrap();
    assert_eq!(body["refundReceiveAccount"]["bank"], "88");
    assert!(body.get("cancelAmount").is_none());
}

#[tokio::test]
async fn the_sandbox_answers_like_toss_by_key_prefix() {
    let sandbox = SandboxPayments::default();
    let card = sandbox.confirm("sandbox_card_1", "order-0005", 30_000, "k1").await.unwrap();
    assert_eq!((card.status, card.method.as_deref()), (PspStatus::Done, Some("카드")));
    let va = sandbox.confirm("sandbox_va_1", "order-0006", 45_000, "k2").await.unwrap();
    assert_eq!((va.status, va.method.as_deref()), (PspStatus::WaitingForDeposit, Some("가상계좌")));
    assert!(va.secret.is_some() && va.virtual_account.is_some());
    assert_eq!(
        refused(sandbox.confirm("toss_real_key", "order-0007", 30_000, "k3").await),
        (404, "NOT_FOUND_PAYMENT_SESSION".into())
    );
    assert_eq!(
        sandbox.confirm("sandbox_card_1", "order-0005", 30_000, "k1").await.unwrap(),
        card,
        "replayed"
    );
    assert_eq!(
        refused(sandbox.confirm("sandbox_card_1", "order-0005", 30_000, "k4").await),
        (400, "ALREADY_PROCESSED_PAYMENT".into())
    );
    let canceled = sandbox.cancel("sandbox_card_1", &full_cancel("고객 변심"), "r1").await.unwrap();
    assert_eq!((canceled.status, canceled.balance_amount), (PspStatus::Canceled, 0));
    assert_eq!(
        refused(sandbox.cancel("sandbox_card_1", &full_cancel("다시"), "r2").await),
        (400, "ALREADY_CANCELED_PAYMENT".into())
    );
    assert_eq!(sandbox.payment_by_order("order-0006").await.unwrap().payment_key, "sandbox_va_1");
    assert_eq!(refused(sandbox.payment("nope").await), (404, "NOT_FOUND_PAYMENT".into()));
}
