//! Routes only the local stack serves: a deposit into the payment sandbox's virtual account
//! reaches the order as Toss's deposit callback would.

use axum::body::Body;
use axum::http::Request;
use connection_adapters::payments::PaymentGateway;
use connection_model::payments::{PaymentRecord, WAITING_FOR_DEPOSIT};
use tower::ServiceExt;

#[tokio::test]
async fn a_local_deposit_pays_a_waiting_virtual_account_order() {
    let dir = std::env::temp_dir().join(format!("connection-deposit-{}", std::process::id()));
    let stack =
        connection_local::stack::Stack::open(&dir, "http://127.0.0.1:8080/images".into()).await.unwrap();
    let issued = stack.sandbox.confirm("sandbox_va_local", "order_local_va", 30_000, "k").await.unwrap();
    let order = PaymentRecord {
        id: 1,
        order_id: "order_local_va".into(),
        user_id: 1,
        lecturer_id: 1,
        product: "클래스".into(),
        status: WAITING_FOR_DEPOSIT.into(),
        final_price: 30_000,
        payment_key: Some("sandbox_va_local".into()),
        secret: issued.secret.clone(),
        created_at: "2026-12-03T00:00:00.000Z".into(),
        updated_at: "2026-12-03T00:00:00.000Z".into(),
        ..Default::default()
    };
    stack.core.table.put(order.item().unwrap(), None).await.unwrap();
    let router = stack.router(&dir);
    let post = |path: &str| Request::post(path).body(Body::empty()).unwrap();
    let r = router.clone().oneshot(post("/_local/payments/order_local_va/deposit")).await.unwrap();
    assert_eq!(r.status(), 201);
    let stored =
        stack.core.table.get(&connection_model::keys::order("order_local_va")).await.unwrap().unwrap();
    assert_eq!(stored["status"], "DONE");
    let r = router.oneshot(post("/_local/payments/order_local_va/deposit")).await.unwrap();
    assert_eq!(r.status(), 404, "nothing waits for a deposit any more");
    let _ = std::fs::remove_dir_all(dir);
}
