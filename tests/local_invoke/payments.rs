//! The payments area (api.md §8.1, 8.3, 8.4, 8.7; flows.md §4.2–§4.5): class orders, their
//! confirmation through the local payment sandbox, cancellation and the result page.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use connection_adapters::Clock;
use connection_adapters::payments::{PaymentGateway, PspStatus};
use connection_table::{
    Item, Key, Page, Query, Result as TableResult, SqliteTable, Table, TableError, TxOp, Update,
};
use connection_tests::{Event, Harness, Reply};
use serde_json::{Value, json};

use crate::coupons::{claim, coupon_body, issue};
use crate::lectures::{one_day_body, open, teacher_with_class};
use crate::users::member;

/// The session ids of class `lecture`, in start order.
async fn sessions(h: &Harness, lecture: i64) -> Vec<Value> {
    let r = h
        .invoke(Event::new(
            "GET",
            &format!("/lectures/{lecture}/schedules"),
            "/lectures/{lectureId}/schedules",
        ))
        .await;
    r.data()["schedules"].as_array().unwrap().clone()
}

pub fn order_body(lecture: i64, session: i64, participants: i64, order_id: &str, final_price: i64) -> Value {
    json!({
        "lectureId": lecture.to_string(), "orderName": "힙합 기초", "orderId": order_id,
        "lectureSchedule": {"lectureScheduleId": session, "participants": participants},
        "originalPrice": 30_000 * participants, "finalPrice": final_price,
        "representative": "김댄서", "phoneNumber": "01012345678", "requests": "잘 부탁드립니다",
        "couponId": null, "stackableCouponId": null
    })
}

pub fn order(token: &str, body: &Value) -> Event {
    Event::new("POST", "/payments/toss/lecture", "/payments/toss/lecture").bearer(token).json(body)
}

pub fn confirm(token: &str, order_id: &str, payment_key: &str, amount: &str) -> Event {
    Event::new("PATCH", "/payments/toss/confirm", "/payments/toss/confirm")
        .bearer(token)
        .json(&json!({"orderId": order_id, "paymentKey": payment_key, "amount": amount}))
}

fn cancel(token: &str, order_id: &str) -> Event {
    Event::new("POST", &format!("/payments/toss/{order_id}/cancel"), "/payments/toss/{orderId}/cancel")
        .bearer(token)
}

fn result(token: &str, order_id: &str) -> Event {
    Event::new("GET", &format!("/payments/{order_id}"), "/payments/{orderId}").bearer(token)
}

async fn item(h: &Harness, key: Key) -> Value {
    Value::Object(h.table.get(&key).await.unwrap().unwrap_or_default())
}

fn status(r: &Reply) -> (u16, &str) {
    (r.status, r.code())
}

#[tokio::test]
async fn an_order_holds_seats_and_spends_coupons_at_the_discounted_price() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let mut percent = coupon_body(&[class]);
    percent["discountPrice"] = Value::Null;
    percent["percentage"] = json!(15);
    let regular = issue(&h, &teacher, &percent).await;
    let mut fixed = coupon_body(&[class]);
    fixed["isStackable"] = json!(true);
    fixed["discountPrice"] = json!(3_333);
    let stackable = issue(&h, &teacher, &fixed).await;
    let (user_id, user) = member(&h, 5).await;
    assert_eq!(h.invoke(claim(&user, &[regular, stackable])).await.status, 201);
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();

    let mut body = order_body(class, session, 2, "order_0001", 0);
    body["couponId"] = json!(regular.to_string());
    body["stackableCouponId"] = json!(stackable);
    // 60,000 − 15 % (9,000) − 3,333.
    body["finalPrice"] = json!(47_667);
    let r = h.invoke(order(&user, &body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(
        r.data()["pendingPaymentInfo"],
        json!({"orderId": "order_0001", "orderName": "힙합 기초", "value": 47_667})
    );
    assert_eq!(h.round_trips(), 4, "the class, one batch read, the id, one transaction");
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 2);
    let coupon = item(&h, connection_model::keys::coupon(regular)).await;
    assert_eq!((coupon["usageCount"].as_i64(), coupon["usesLeft"].as_i64()), (Some(1), Some(9)));
    assert_eq!(item(&h, connection_model::keys::holding(regular, user_id)).await["isUsed"], true);
    assert_eq!(item(&h, connection_model::keys::learner(teacher.id, user_id)).await["enrollmentCount"], 1);

    let r = h.invoke(result(&user, "order_0001")).await;
    let p = &r.data()["paymentResult"];
    assert_eq!(
        (p["paymentStatus"]["name"].as_str(), p["finalPrice"].as_i64()),
        (Some("READY"), Some(47_667))
    );
    assert_eq!(p["reservation"]["lectureSchedule"]["id"], session);
    assert_eq!(p["reservation"]["lecture"], json!({"id": class, "title": "힙합 기초"}));
    assert_eq!(p["paymentCouponUsage"]["couponPercentage"], 15);
    assert_eq!(p["paymentCouponUsage"]["stackableCouponDiscountPrice"], 3_333);
    let (_, stranger) = member(&h, 6).await;
    assert_eq!(status(&h.invoke(result(&stranger, "order_0001")).await), (404, "PaymentInfoNotFound"));
}

#[tokio::test]
async fn orders_are_refused_with_the_spec_codes() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (_, other_class) = teacher_with_class(&h, 2).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    let foreign_session = sessions(&h, other_class).await[0]["id"].as_i64().unwrap();
    let mut soon = one_day_body();
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::hours(20);
    soon["schedules"] = json!([connection_adapters::iso8601(tomorrow)]);
    let closing = open(&h, &teacher, &soon).await;
    let closing_session = sessions(&h, closing).await[0]["id"].as_i64().unwrap();
    let mut a = coupon_body(&[class]);
    a["discountPrice"] = Value::Null;
    a["percentage"] = json!(10);
    let a = issue(&h, &teacher, &a).await;
    let mut b = coupon_body(&[class]);
    b["discountPrice"] = Value::Null;
    b["percentage"] = json!(5);
    b["isStackable"] = json!(true);
    let b = issue(&h, &teacher, &b).await;
    let not_held = issue(&h, &teacher, &coupon_body(&[class])).await;
    let (_, user) = member(&h, 5).await;
    assert_eq!(h.invoke(claim(&user, &[a, b])).await.status, 201);

    let base = order_body(class, session, 1, "order_base", 30_000);
    let with = |changes: Value| {
        let mut body = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = vec![
        (with(json!({"finalPrice": 29_000})), (400, "PaymentAmountMismatch")),
        (with(json!({"lectureId": 999})), (404, "LectureNotFound")),
        (
            with(json!({"lectureSchedule": {"lectureScheduleId": foreign_session, "participants": 1}})),
            (404, "LectureScheduleNotFound"),
        ),
        (
            with(
                json!({"lectureSchedule": {"lectureScheduleId": session, "participants": 11}, "finalPrice": 330_000}),
            ),
            (400, "ExceededCapacity"),
        ),
        (
            with(
                json!({"lectureId": closing, "lectureSchedule": {"lectureScheduleId": closing_session, "participants": 1}}),
            ),
            (400, "ExpiredDate"),
        ),
        (with(json!({"couponId": not_held})), (404, "NoAvailableCouponsError")),
        (with(json!({"couponId": b})), (404, "NoAvailableCouponsError")),
        (
            with(json!({"couponId": a, "stackableCouponId": b, "finalPrice": 25_650})),
            (400, "DuplicateDiscount"),
        ),
        (
            with(json!({"lectureSchedule": {"lectureScheduleId": session, "participants": 0}})),
            (400, "Bad Request"),
        ),
        (with(json!({"phoneNumber": "0101234"})), (400, "Bad Request")),
        (with(json!({"orderId": "a/b"})), (400, "Bad Request")),
        (
            with(json!({"lectureSchedule": {"lectureScheduleId": session, "participants": 1, "extra": 1}})),
            (400, "Bad Request"),
        ),
    ];
    for (body, expected) in cases {
        let r = h.invoke(order(&user, &body)).await;
        assert_eq!(status(&r), expected, "{body}: {:?}", r.body);
    }
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0, "no refused order held a seat");
    assert_eq!(h.invoke(order(&user, &base)).await.status, 201);
    assert_eq!(status(&h.invoke(order(&user, &base)).await), (400, "PaymentAlreadyExists"));
    let (_, other) = member(&h, 6).await;
    assert_eq!(status(&h.invoke(order(&other, &base)).await), (400, "DuplicateOrderId"));
}

#[tokio::test]
async fn cancelling_a_pending_order_gives_seats_and_coupons_back_once() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let (user_id, user) = member(&h, 5).await;
    assert_eq!(h.invoke(claim(&user, &[coupon])).await.status, 201);
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    let mut body = order_body(class, session, 3, "order_cancel", 85_000);
    body["couponId"] = json!(coupon);
    assert_eq!(h.invoke(order(&user, &body)).await.status, 201);
    let (_, stranger) = member(&h, 6).await;
    assert_eq!(status(&h.invoke(cancel(&stranger, "order_cancel")).await), (404, "PaymentInfoNotFound"));
    assert_eq!(h.invoke(cancel(&user, "order_cancel")).await.status, 201);
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0);
    let c = item(&h, connection_model::keys::coupon(coupon)).await;
    assert_eq!((c["usageCount"].as_i64(), c["usesLeft"].as_i64()), (Some(0), Some(10)));
    assert_eq!(item(&h, connection_model::keys::holding(coupon, user_id)).await["isUsed"], false);
    assert_eq!(item(&h, connection_model::keys::learner(teacher.id, user_id)).await["enrollmentCount"], 0);
    assert_eq!(status(&h.invoke(cancel(&user, "order_cancel")).await), (400, "InvalidCancelStatus"));
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0, "released once");
    let r = h.invoke(result(&user, "order_cancel")).await;
    assert_eq!(r.data()["paymentResult"]["paymentStatus"]["name"], "CANCELED");
}

#[tokio::test]
async fn a_card_confirm_enables_the_booking_once_and_a_virtual_account_waits() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_card", 30_000))).await.status,
        201
    );
    assert_eq!(
        status(&h.invoke(confirm(&user, "order_card", "sandbox_card", "29000")).await),
        (400, "PaymentAmountMismatch")
    );
    let (_, stranger) = member(&h, 6).await;
    assert_eq!(
        status(&h.invoke(confirm(&stranger, "order_card", "sandbox_card", "30000")).await),
        (404, "PaymentInfoNotFound")
    );
    let r = h.invoke(confirm(&user, "order_card", "sandbox_card", "30000")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(h.round_trips(), 3, "the guard, the order, one transaction (and the gateway)");
    assert_eq!(
        status(&h.invoke(confirm(&user, "order_card", "sandbox_card", "30000")).await),
        (400, "AlreadyApproved")
    );
    let p = h.invoke(result(&user, "order_card")).await;
    let p = &p.data()["paymentResult"];
    assert_eq!(
        (p["paymentStatus"]["name"].as_str(), p["paymentMethod"]["name"].as_str()),
        (Some("DONE"), Some("카드"))
    );
    assert_eq!(p["reservation"]["isEnabled"], true);
    assert_eq!(p["cardPaymentInfo"]["issuerCode"], "61");
    assert_eq!(item(&h, connection_model::keys::lecture(class)).await["bookingCount"], 1);
    assert_eq!(item(&h, connection_model::keys::lecturer(teacher.id)).await["bookingCount"], 1);
    assert_eq!(
        status(&h.invoke(cancel(&user, "order_card")).await),
        (400, "InvalidCancelStatus"),
        "paid: a refund, not a cancel"
    );

    assert_eq!(h.invoke(order(&user, &order_body(class, session, 1, "order_va", 30_000))).await.status, 201);
    assert_eq!(h.invoke(confirm(&user, "order_va", "sandbox_va_1", "30000")).await.status, 200);
    let p = h.invoke(result(&user, "order_va")).await;
    let p = &p.data()["paymentResult"];
    assert_eq!(p["paymentStatus"]["name"], "WAITING_FOR_DEPOSIT");
    assert_eq!(p["reservation"]["isEnabled"], false);
    assert_eq!(p["virtualAccountPaymentInfo"]["bankCode"], "20");
    assert_eq!(h.invoke(cancel(&user, "order_va")).await.status, 201);
    assert_eq!(
        h.gateway.payment("sandbox_va_1").await.unwrap().status,
        PspStatus::Canceled,
        "the account is closed at the gateway"
    );
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 1, "only the paid seat is held");

    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_gone", 30_000))).await.status,
        201
    );
    let r = h.invoke(confirm(&user, "order_gone", "not_a_sandbox_key", "30000")).await;
    assert_eq!(status(&r), (400, "NOT_FOUND_PAYMENT_SESSION"), "the gateway's refusal, by its code");
}

/// A table whose order writes fail on demand, as a throttled or unreachable table would.
struct Flaky {
    inner: Arc<dyn Table>,
    failing: AtomicBool,
}

#[async_trait]
impl Table for Flaky {
    async fn get(&self, key: &Key) -> TableResult<Option<Item>> {
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, cond: Option<connection_table::Cond>) -> TableResult<()> {
        self.inner.put(item, cond).await
    }
    async fn update(
        &self,
        key: &Key,
        update: Update,
        cond: Option<connection_table::Cond>,
    ) -> TableResult<Item> {
        self.inner.update(key, update, cond).await
    }
    async fn delete(&self, key: &Key, cond: Option<connection_table::Cond>) -> TableResult<Option<Item>> {
        self.inner.delete(key, cond).await
    }
    async fn query(&self, query: Query) -> TableResult<Page> {
        self.inner.query(query).await
    }
    async fn transact(&self, ops: Vec<TxOp>) -> TableResult<()> {
        // The confirm's write is the one that records the payment key.
        let recording = ops.first().is_some_and(|op| {
            matches!(op, TxOp::Update { key, update, .. } if key.pk.starts_with("ORDER#") && update.set.iter().any(|(a, _)| a == "paymentKey"))
        });
        if recording && self.failing.load(Ordering::SeqCst) {
            return Err(TableError::Backend("throttled".into()));
        }
        self.inner.transact(ops).await
    }
    async fn batch_get(&self, keys: &[Key]) -> TableResult<Vec<Option<Item>>> {
        self.inner.batch_get(keys).await
    }
}

#[tokio::test]
async fn an_approval_the_order_cannot_record_is_cancelled_at_the_gateway() {
    let flaky = Arc::new(Flaky {
        inner: Arc::new(SqliteTable::in_memory().unwrap()),
        failing: AtomicBool::new(false),
    });
    let h = Harness::over(flaky.clone()).await;
    let (_, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_lost", 30_000))).await.status,
        201
    );
    flaky.failing.store(true, Ordering::SeqCst);
    let r = h.invoke(confirm(&user, "order_lost", "sandbox_lost", "30000")).await;
    assert_eq!(status(&r), (503, "PaymentNotRecorded"), "{:?}", r.body);
    let at_gateway = h.gateway.payment("sandbox_lost").await.unwrap();
    assert_eq!(
        (at_gateway.status, at_gateway.balance_amount),
        (PspStatus::Canceled, 0),
        "no money kept without an order"
    );
    let r = h.invoke(result(&user, "order_lost")).await;
    assert_eq!(r.data()["paymentResult"]["paymentStatus"]["name"], "CANCELED", "closed, seats given back");
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0);
    flaky.failing.store(false, Ordering::SeqCst);
    // A retry, which the gateway answers with the same (cancelled) approval, records nothing.
    let r = h.invoke(confirm(&user, "order_lost", "sandbox_lost", "30000")).await;
    assert_eq!(status(&r), (400, "InvalidPaymentStatus"));
}

#[tokio::test]
async fn a_regular_cohort_is_booked_as_a_whole() {
    let h = Harness::new().await;
    let teacher = crate::lecturers::lecturer(&h, 1, "정기강사").await;
    let class = open(&h, &teacher, &crate::lectures::regular_body()).await;
    let (_, user) = member(&h, 5).await;
    let schedules = h
        .invoke(Event::new("GET", &format!("/lectures/{class}/schedules"), "/lectures/{lectureId}/schedules"))
        .await;
    let cohort_id = schedules.data()["regularLectureStatus"][0]["id"].as_i64().unwrap();
    let r = h.invoke(order(&user, &order_body(class, cohort_id, 2, "order_cohort", 60_000))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let r = h.invoke(result(&user, "order_cohort")).await;
    let status = &r.data()["paymentResult"]["reservation"]["regularLectureStatus"];
    assert_eq!(status["id"], cohort_id);
    assert_eq!(status["numberOfParticipants"], 2);
    assert!(!status["regularLectureSchedule"].as_array().unwrap().is_empty());
}

/// The sandbox with faults on demand: confirms approved whose answers are lost on the way back,
/// or cancels that fail while the gateway is down.
#[derive(Default)]
struct Unreliable {
    inner: connection_adapters::payments_sandbox::SandboxPayments,
    answers_lost: AtomicBool,
    cancels_down: AtomicBool,
}

type Psp<T> = Result<T, connection_adapters::payments::PspError>;

#[async_trait]
impl connection_adapters::payments::PaymentGateway for Unreliable {
    async fn confirm(
        &self,
        key: &str,
        order: &str,
        amount: i64,
        idempotency: &str,
    ) -> Psp<connection_adapters::payments::PspPayment> {
        let approved = self.inner.confirm(key, order, amount, idempotency).await?;
        if self.answers_lost.load(Ordering::SeqCst) {
            return Err(connection_adapters::payments::PspError::Unavailable("timed out".into()));
        }
        Ok(approved)
    }
    async fn cancel(
        &self,
        key: &str,
        request: &connection_adapters::payments::CancelRequest,
        idempotency: &str,
    ) -> Psp<connection_adapters::payments::PspPayment> {
        if self.cancels_down.load(Ordering::SeqCst) {
            return Err(connection_adapters::payments::PspError::Unavailable("down".into()));
        }
        self.inner.cancel(key, request, idempotency).await
    }
    async fn payment(&self, key: &str) -> Psp<connection_adapters::payments::PspPayment> {
        self.inner.payment(key).await
    }
    async fn payment_by_order(&self, order: &str) -> Psp<connection_adapters::payments::PspPayment> {
        self.inner.payment_by_order(order).await
    }
}

#[tokio::test]
async fn an_approval_whose_answer_was_lost_is_found_at_the_gateway_and_recorded() {
    let h = Harness::new().await;
    let state = connection_payments::PaymentsState {
        core: h.payments_state.core.clone(),
        gateway: Arc::new(Unreliable { answers_lost: AtomicBool::new(true), ..Default::default() }),
    };
    let payments = connection_payments::function(state);
    let (_, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_slow", 30_000))).await.status,
        201
    );
    let r = h.invoke_function(&payments, confirm(&user, "order_slow", "sandbox_slow", "30000")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = h.invoke(result(&user, "order_slow")).await;
    assert_eq!(r.data()["paymentResult"]["paymentStatus"]["name"], "DONE");
    // An answer lost for a key the customer never authenticated stays an error.
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_lost2", 30_000))).await.status,
        201
    );
    let r = h.invoke_function(&payments, confirm(&user, "order_lost2", "unknown_key", "30000")).await;
    assert_eq!(status(&r), (400, "NOT_FOUND_PAYMENT_SESSION"));
}

#[tokio::test]
async fn pending_orders_expire_after_the_payment_window_and_give_everything_back() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let coupon = issue(&h, &teacher, &coupon_body(&[class])).await;
    let (user_id, user) = member(&h, 5).await;
    assert_eq!(h.invoke(claim(&user, &[coupon])).await.status, 201);
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    let mut body = order_body(class, session, 2, "order_old", 55_000);
    body["couponId"] = json!(coupon);
    assert_eq!(h.invoke(order(&user, &body)).await.status, 201);
    let window = connection_jobs::PAYMENT_WINDOW;
    let table = h.table.as_ref();
    let released =
        connection_jobs::expire_pending_orders(table, h.clock.now() + window / 2, window).await.unwrap();
    assert_eq!(released, 0, "still within its window");
    h.clock.advance(window + time::Duration::minutes(1));
    assert_eq!(h.invoke(order(&user, &order_body(class, session, 1, "order_new", 30_000))).await.status, 201);
    let released = connection_jobs::expire_pending_orders(table, h.clock.now(), window).await.unwrap();
    assert_eq!(released, 1, "only the old order");
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 1, "the new order keeps its seat");
    assert_eq!(item(&h, connection_model::keys::holding(coupon, user_id)).await["isUsed"], false);
    assert_eq!(item(&h, connection_model::keys::coupon(coupon)).await["usageCount"], 0);
    let r = h.invoke(result(&user, "order_old")).await;
    assert_eq!(r.data()["paymentResult"]["paymentStatus"]["name"], "EXPIRED");
    assert_eq!(
        status(&h.invoke(confirm(&user, "order_old", "sandbox_late", "55000")).await),
        (400, "InvalidPaymentStatus")
    );
    let again = connection_jobs::expire_pending_orders(table, h.clock.now(), window).await.unwrap();
    assert_eq!(again, 0, "released once");
}

fn pass_order(token: &str, pass: i64, order_id: &str, price: i64) -> Event {
    let body = json!({"passId": pass.to_string(), "orderId": order_id, "orderName": "10회권", "originalPrice": price, "finalPrice": price});
    Event::new("POST", "/payments/toss/pass", "/payments/toss/pass").bearer(token).json(&body)
}

#[tokio::test]
async fn a_pass_is_bought_once_and_enabled_when_paid() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let pass = crate::passes::sell(&h, &teacher, &crate::passes::pass_body(&[class])).await;
    let (user_id, user) = member(&h, 5).await;
    assert_eq!(
        status(&h.invoke(pass_order(&user, pass, "pass_order_0", 1000)).await),
        (400, "ProductPriceMismatch")
    );
    assert_eq!(
        status(&h.invoke(pass_order(&user, 999, "pass_order_0", 250_000)).await),
        (404, "PassInfoNotFound")
    );
    let r = h.invoke(pass_order(&user, pass, "pass_order_1", 250_000)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.data()["pendingPaymentInfo"]["value"], 250_000);
    assert_eq!(
        status(&h.invoke(pass_order(&user, pass, "pass_order_2", 250_000)).await),
        (400, "AlreadyPurchasedPass")
    );
    let mine = || Event::new("GET", "/user-passes?take=10", "/user-passes").bearer(&user);
    assert_eq!(h.invoke(mine()).await.data()["userPassList"]["totalItemCount"], 0, "not paid yet");
    // Abandoned: the guard goes with it, so the pass can be bought again.
    assert_eq!(h.invoke(cancel(&user, "pass_order_1")).await.status, 201);
    assert!(h.table.get(&connection_model::keys::pass_guard(user_id, pass)).await.unwrap().is_none());
    assert_eq!(h.invoke(pass_order(&user, pass, "pass_order_3", 250_000)).await.status, 201);
    assert_eq!(h.invoke(confirm(&user, "pass_order_3", "sandbox_pass", "250000")).await.status, 200);
    let listed = h.invoke(mine()).await;
    let copy = &listed.data()["userPassList"]["userPassList"][0];
    assert_eq!(
        (copy["lecturePassId"].as_i64(), copy["remainingUses"].as_i64(), copy["isEnabled"].as_bool()),
        (Some(pass), Some(10), Some(true))
    );
    assert_eq!(item(&h, connection_model::keys::pass(pass)).await["salesCount"], 1);
    assert_eq!(
        status(&h.invoke(pass_order(&user, pass, "pass_order_4", 250_000)).await),
        (400, "AlreadyPurchasedPass")
    );
    let usable =
        Event::new("GET", &format!("/user-passes/lectures/{class}"), "/user-passes/lectures/{lectureId}")
            .bearer(&user);
    assert_eq!(h.invoke(usable).await.data()["usablePassList"].as_array().unwrap().len(), 1);
    assert_eq!(h.invoke(deactivate_pass(&teacher.token, pass)).await.status, 200);
    let (_, other) = member(&h, 6).await;
    assert_eq!(
        status(&h.invoke(pass_order(&other, pass, "pass_order_5", 250_000)).await),
        (400, "ProductDisabled")
    );
}

fn deactivate_pass(token: &str, pass: i64) -> Event {
    Event::new("PATCH", &format!("/passes/{pass}/deactivate"), "/passes/{passId}/deactivate").bearer(token)
}

fn book_with_pass(token: &str, pass: i64, lecture: i64, session: i64, n: i64, order_id: &str) -> Event {
    let body = json!({
        "passId": pass, "lectureId": lecture.to_string(), "orderName": "힙합 기초", "orderId": order_id,
        "lectureSchedule": {"lectureScheduleId": session, "participants": n}, "originalPrice": 30000 * n,
        "finalPrice": 0, "representative": "김댄서", "phoneNumber": "01012345678"
    });
    Event::new("POST", "/payments/pass/lecture", "/payments/pass/lecture").bearer(token).json(&body)
}

#[tokio::test]
async fn a_pass_books_classes_it_covers_until_its_uses_run_out() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let other_class = open(&h, &teacher, &one_day_body()).await;
    let mut form = crate::passes::pass_body(&[class]);
    form["maxUsageCount"] = json!("3");
    let pass = crate::passes::sell(&h, &teacher, &form).await;
    let (user_id, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        status(&h.invoke(book_with_pass(&user, pass, class, session, 1, "pass_book_0")).await),
        (404, "PassNotFound")
    );
    assert_eq!(h.invoke(pass_order(&user, pass, "pass_buy_1", 250_000)).await.status, 201);
    assert_eq!(h.invoke(confirm(&user, "pass_buy_1", "sandbox_pass_1", "250000")).await.status, 200);

    let r = h.invoke(book_with_pass(&user, pass, class, session, 2, "pass_book_1")).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let booked = &r.data()["paymentResultByPass"];
    assert_eq!(booked["paymentMethod"]["name"], "패스권");
    assert_eq!(booked["paymentStatus"]["name"], "DONE");
    assert_eq!(booked["reservation"]["isEnabled"], true, "a pass booking is enabled at once (gap #16)");
    assert_eq!(
        booked["paymentPassUsage"],
        json!({"usedCount": 2, "lecturePass": {"id": pass, "title": "10회권"}})
    );
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 2);
    // The copy's id is its purchase's.
    let purchase =
        h.invoke(result(&user, "pass_buy_1")).await.data()["paymentResult"]["id"].as_i64().unwrap();
    let copy = item(&h, connection_model::keys::user_pass(user_id, purchase)).await;
    assert_eq!(copy["remainingUses"], 1);
    assert!(copy["endAt"].is_string(), "the first use opened the window");
    assert_eq!(item(&h, connection_model::keys::lecture(class)).await["bookingCount"], 1);

    assert_eq!(
        status(&h.invoke(book_with_pass(&user, pass, class, session, 2, "pass_book_2")).await),
        (400, "ExceededPassUsage")
    );
    let other_session = sessions(&h, other_class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        status(&h.invoke(book_with_pass(&user, pass, other_class, other_session, 1, "pass_book_3")).await),
        (400, "InvalidPassTarget")
    );
    assert_eq!(h.invoke(book_with_pass(&user, pass, class, session, 1, "pass_book_4")).await.status, 201);
    assert!(
        h.table.get(&connection_model::keys::pass_guard(user_id, pass)).await.unwrap().is_none(),
        "used up: it may be bought again"
    );
    assert_eq!(
        status(&h.invoke(book_with_pass(&user, pass, class, session, 1, "pass_book_5")).await),
        (404, "PassNotFound")
    );
    assert_eq!(
        status(&h.invoke(cancel(&user, "pass_book_1")).await),
        (400, "InvalidCancelStatus"),
        "paid with a pass"
    );
    assert_eq!(h.invoke(pass_order(&user, pass, "pass_buy_2", 250_000)).await.status, 201);
}

fn deposit_callback(order_id: &str, secret: &str) -> Event {
    let body = json!({"createdAt": "2026-12-03T10:15:20.000000", "secret": secret, "status": "DONE",
        "transactionKey": "9FF15E1A29D0E77C218F57262BFA4986", "orderId": order_id});
    Event::new("POST", "/payments/toss/deposit-status", "/payments/toss/deposit-status").json(&body)
}

fn status_event(order_id: &str, claimed: &str) -> Event {
    let body = json!({"eventType": "PAYMENT_STATUS_CHANGED", "createdAt": "2026-12-03T10:15:20.000000",
        "data": {"orderId": order_id, "status": claimed, "paymentKey": "whatever"}});
    Event::new("POST", "/payments/toss/status", "/payments/toss/status").json(&body)
}

#[tokio::test]
async fn a_deposit_enables_the_booking_once_and_only_with_the_accounts_secret() {
    let h = Harness::new().await;
    let (_, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_deposit", 30_000))).await.status,
        201
    );
    assert_eq!(h.invoke(confirm(&user, "order_deposit", "sandbox_va_deposit", "30000")).await.status, 200);
    let secret = "ps_sandbox_va_deposit";
    // The callback before the money arrived, and forged ones: nothing changes, Toss gets its 200.
    for event in [
        deposit_callback("order_deposit", secret),
        deposit_callback("order_deposit", "ps_forged"),
        status_event("order_deposit", "DONE"),
    ] {
        let r = h.invoke(event).await;
        assert_eq!((r.status, r.body["statusCode"].as_i64()), (200, Some(200)), "exactly 200: {:?}", r.body);
    }
    assert_eq!(order_state(&h, &user, "order_deposit").await["paymentStatus"]["name"], "WAITING_FOR_DEPOSIT");
    assert_eq!(h.sandbox.deposit("order_deposit").as_deref(), Some(secret));
    assert_eq!(h.invoke(deposit_callback("order_deposit", "ps_forged")).await.status, 200);
    assert_eq!(
        order_state(&h, &user, "order_deposit").await["paymentStatus"]["name"],
        "WAITING_FOR_DEPOSIT",
        "a forged secret is ignored"
    );
    for _ in 0..2 {
        assert_eq!(h.invoke(deposit_callback("order_deposit", secret)).await.status, 200);
    }
    let paid = order_state(&h, &user, "order_deposit").await;
    assert_eq!(
        (paid["paymentStatus"]["name"].as_str(), paid["reservation"]["isEnabled"].as_bool()),
        (Some("DONE"), Some(true))
    );
    assert_eq!(
        item(&h, connection_model::keys::lecture(class)).await["bookingCount"],
        1,
        "counted once for two deliveries"
    );
    // Nested under `data`, as some deliveries may be.
    let nested = json!({"data": {"orderId": "order_deposit", "secret": secret, "status": "DONE"}});
    let r = h
        .invoke(
            Event::new("POST", "/payments/toss/deposit-status", "/payments/toss/deposit-status")
                .json(&nested),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn a_status_change_is_acted_on_only_as_the_gateway_confirms_it() {
    let h = Harness::new().await;
    let (_, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 2, "order_status", 60_000))).await.status,
        201
    );
    // A claim the gateway knows nothing of (gap #10).
    assert_eq!(h.invoke(status_event("order_status", "EXPIRED")).await.status, 200);
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 2, "nothing released on a claim alone");
    assert_eq!(h.invoke(confirm(&user, "order_status", "sandbox_va_status", "60000")).await.status, 200);
    let request = connection_adapters::payments::CancelRequest {
        cancel_reason: "기한 만료".into(),
        cancel_amount: None,
        refund_receive_account: None,
    };
    h.gateway.cancel("sandbox_va_status", &request, "expire-at-toss").await.unwrap();
    assert_eq!(h.invoke(status_event("order_status", "CANCELED")).await.status, 200);
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0, "released as the gateway says");
    let r = h.invoke(result(&user, "order_status")).await;
    assert_eq!(r.data()["paymentResult"]["paymentStatus"]["name"], "CANCELED");
    assert_eq!(h.invoke(status_event("order_status", "CANCELED")).await.status, 200, "a repeat is fine");
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0, "released once");
    let r = h
        .invoke(
            Event::new("POST", "/payments/toss/status", "/payments/toss/status").json(&json!({"data": {}})),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_pass_paid_by_deposit_is_enabled_and_sold() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let pass = crate::passes::sell(&h, &teacher, &crate::passes::pass_body(&[class])).await;
    let (_, user) = member(&h, 5).await;
    assert_eq!(h.invoke(pass_order(&user, pass, "pass_deposit", 250_000)).await.status, 201);
    assert_eq!(h.invoke(confirm(&user, "pass_deposit", "sandbox_va_pass", "250000")).await.status, 200);
    let mine = || Event::new("GET", "/user-passes?take=10", "/user-passes").bearer(&user);
    assert_eq!(h.invoke(mine()).await.data()["userPassList"]["totalItemCount"], 0, "waiting for the deposit");
    let secret = h.sandbox.deposit("pass_deposit").unwrap();
    assert_eq!(h.invoke(deposit_callback("pass_deposit", &secret)).await.status, 200);
    assert_eq!(h.invoke(mine()).await.data()["userPassList"]["totalItemCount"], 1);
    assert_eq!(item(&h, connection_model::keys::pass(pass)).await["salesCount"], 1);
}

async fn order_state(h: &Harness, token: &str, order_id: &str) -> Value {
    h.invoke(result(token, order_id)).await.data()["paymentResult"].clone()
}

fn refund(token: &str, payment_id: i64, amount: i64) -> Event {
    Event::new("POST", &format!("/payments/{payment_id}/refund"), "/payments/{paymentId}/refund")
        .bearer(token)
        .json(&json!({"cancelReason": "일정 변경", "refundAmount": amount.to_string()}))
}

async fn paid_order(h: &Harness, user: &str, lecture: i64, session: i64, order_id: &str, key: &str) -> i64 {
    assert_eq!(h.invoke(order(user, &order_body(lecture, session, 1, order_id, 30_000))).await.status, 201);
    assert_eq!(h.invoke(confirm(user, order_id, key, "30000")).await.status, 200);
    order_state(h, user, order_id).await["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_paid_booking_is_refunded_as_the_rules_say_and_only_once() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let (_, stranger) = member(&h, 6).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    let id = paid_order(&h, &user, class, session, "order_refund", "sandbox_refund").await;
    assert_eq!(status(&h.invoke(refund(&stranger, id, 30_000)).await), (400, "InvalidPaymentInformation"));
    assert_eq!(status(&h.invoke(refund(&user, id, 29_000)).await), (400, "RefundAmountMismatch"));
    let r = h.invoke(refund(&user, id, 30_000)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(order_state(&h, &user, "order_refund").await["paymentStatus"]["name"], "CANCELED");
    assert_eq!(sessions(&h, class).await[0]["numberOfParticipants"], 0);
    assert_eq!(item(&h, connection_model::keys::lecture(class)).await["bookingCount"], 0);
    assert_eq!(h.gateway.payment("sandbox_refund").await.unwrap().status, PspStatus::Canceled);
    assert_eq!(status(&h.invoke(refund(&user, id, 30_000)).await), (400, "AlreadyRefunded"));

    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_unpaid", 30_000))).await.status,
        201
    );
    let unpaid = order_state(&h, &user, "order_unpaid").await["id"].as_i64().unwrap();
    assert_eq!(status(&h.invoke(refund(&user, unpaid, 30_000)).await), (400, "PaymentNotCompleted"));
    let va = paid_order(&h, &user, class, session, "order_va_refund", "sandbox_va_refund").await;
    let secret = h.sandbox.deposit("order_va_refund").unwrap();
    let callback = json!({"orderId": "order_va_refund", "secret": secret, "status": "DONE"});
    h.invoke(
        Event::new("POST", "/payments/toss/deposit-status", "/payments/toss/deposit-status").json(&callback),
    )
    .await;
    assert_eq!(status(&h.invoke(refund(&user, va, 30_000)).await), (400, "RefundAccountRequired"));
    let theirs = save_account(&h, &stranger, "88", "110222333444", "남남").await;
    let with_account = |account: i64| {
        Event::new("POST", &format!("/payments/{va}/refund"), "/payments/{paymentId}/refund")
            .bearer(&user)
            .json(&json!({"cancelReason": "일정 변경", "refundAmount": 30000, "userBankAccountId": account}))
    };
    assert_eq!(status(&h.invoke(with_account(theirs)).await), (400, "InvalidRefundAccount"));
    let mine = save_account(&h, &user, "20", "1002123456789", "김댄서").await;
    assert_eq!(h.invoke(with_account(mine)).await.status, 201);
    assert_eq!(h.gateway.payment("sandbox_va_refund").await.unwrap().status, PspStatus::Canceled);

    // A class starting in 25 hours closes a day before it: past the grace window, nothing back.
    let mut soon = one_day_body();
    let start = time::OffsetDateTime::now_utc() + time::Duration::hours(25);
    soon["schedules"] = json!([connection_adapters::iso8601(start)]);
    let closing = open(&h, &teacher, &soon).await;
    let closing_session = sessions(&h, closing).await[0]["id"].as_i64().unwrap();
    let late = paid_order(&h, &user, closing, closing_session, "order_late", "sandbox_late").await;
    h.clock.advance(time::Duration::hours(2));
    assert_eq!(status(&h.invoke(refund(&user, late, 30_000)).await), (400, "RefundPeriodNotAvailable"));
    assert_eq!(status(&h.invoke(refund(&user, late, 0)).await), (400, "RefundPeriodNotAvailable"));
}

#[tokio::test]
async fn an_unused_pass_is_refunded_and_can_be_bought_again() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let pass = crate::passes::sell(&h, &teacher, &crate::passes::pass_body(&[class])).await;
    let (_, user) = member(&h, 5).await;
    assert_eq!(h.invoke(pass_order(&user, pass, "pass_refund", 250_000)).await.status, 201);
    assert_eq!(h.invoke(confirm(&user, "pass_refund", "sandbox_pass_refund", "250000")).await.status, 200);
    let id = order_state(&h, &user, "pass_refund").await["id"].as_i64().unwrap();
    assert_eq!(h.invoke(refund(&user, id, 250_000)).await.status, 201);
    let mine = Event::new("GET", "/user-passes?take=10", "/user-passes").bearer(&user);
    assert_eq!(h.invoke(mine).await.data()["userPassList"]["totalItemCount"], 0);
    assert_eq!(item(&h, connection_model::keys::pass(pass)).await["salesCount"], 0);
    assert_eq!(h.invoke(pass_order(&user, pass, "pass_again", 250_000)).await.status, 201);
}

#[tokio::test]
async fn a_refund_cut_short_at_the_gateway_is_finished_by_the_next_request() {
    let h = Harness::new().await;
    let gateway = Arc::new(Unreliable { cancels_down: AtomicBool::new(true), ..Default::default() });
    let state =
        connection_payments::PaymentsState { core: h.payments_state.core.clone(), gateway: gateway.clone() };
    let payments = connection_payments::function(state);
    let (_, class) = teacher_with_class(&h, 1).await;
    let (_, user) = member(&h, 5).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "order_outage", 30_000))).await.status,
        201
    );
    assert_eq!(
        h.invoke_function(&payments, confirm(&user, "order_outage", "sandbox_outage", "30000")).await.status,
        200
    );
    let id = order_state(&h, &user, "order_outage").await["id"].as_i64().unwrap();
    let r = h.invoke_function(&payments, refund(&user, id, 30_000)).await;
    assert_eq!(status(&r), (503, "PaymentGatewayUnavailable"));
    assert_eq!(
        order_state(&h, &user, "order_outage").await["paymentStatus"]["name"],
        "DONE",
        "not refunded yet"
    );
    gateway.cancels_down.store(false, Ordering::SeqCst);
    let r = h.invoke_function(&payments, refund(&user, id, 30_000)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(order_state(&h, &user, "order_outage").await["paymentStatus"]["name"], "CANCELED");
    assert_eq!(gateway.payment("sandbox_outage").await.unwrap().balance_amount, 0);
}

#[tokio::test]
async fn my_payment_history_pages_by_kind_and_shows_deposit_details() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let pass = crate::passes::sell(&h, &teacher, &crate::passes::pass_body(&[class])).await;
    let (_, user) = member(&h, 5).await;
    let (_, stranger) = member(&h, 6).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    let first = paid_order(&h, &user, class, session, "history_1", "sandbox_h1").await;
    let second = paid_order(&h, &user, class, session, "history_2", "sandbox_va_h2").await;
    assert_eq!(h.invoke(pass_order(&user, pass, "history_3", 250_000)).await.status, 201);
    let third = order_state(&h, &user, "history_3").await["id"].as_i64().unwrap();
    let list = |query: &str| {
        Event::new("GET", &format!("/user-payments/history?{query}"), "/user-payments/history").bearer(&user)
    };
    let ids = |r: &Reply| {
        r.data()["userPaymentsHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let r = h.invoke(list("take=2&paymentHistoryType=%EC%A0%84%EC%B2%B4")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!((ids(&r), r.data()["totalItemCount"].as_i64()), (vec![third, second], Some(3)));
    assert_eq!(h.round_trips(), 2, "the guard and one Query");
    let r = h.invoke(list(&format!("take=2&currentPage=1&targetPage=2&firstItemId={third}&lastItemId={second}&paymentHistoryType=%EC%A0%84%EC%B2%B4"))).await;
    assert_eq!(ids(&r), [first]);
    let r = h.invoke(list("take=10&paymentHistoryType=%ED%8C%A8%EC%8A%A4%EA%B6%8C")).await;
    assert_eq!(ids(&r), [third]);
    assert_eq!(h.invoke(list("take=10&paymentHistoryType=all")).await.status, 400);
    let receipt = |token: &str, order: &str| {
        Event::new("GET", &format!("/user-payments/history/{order}"), "/user-payments/history/{orderId}")
            .bearer(token)
    };
    let r = h.invoke(receipt(&user, "history_1")).await;
    assert_eq!(r.data()["receipt"]["cardPaymentInfo"]["approveNo"], "00000000");
    assert_eq!(status(&h.invoke(receipt(&stranger, "history_1")).await), (404, "NotFoundPaymentInfo"));
    let account = |token: &str, id: i64| {
        Event::new(
            "GET",
            &format!("/user-payments/{id}/virtual-account"),
            "/user-payments/{paymentId}/virtual-account",
        )
        .bearer(token)
    };
    let r = h.invoke(account(&user, second)).await;
    assert_eq!(r.data()["virtualAccountPaymentInfo"]["bankCode"], "20");
    assert_eq!(r.data()["virtualAccountDepositDetails"]["finalPrice"], 30_000);
    assert_eq!(
        status(&h.invoke(account(&user, first)).await),
        (404, "PaymentInfoNotFound"),
        "a card payment"
    );
    assert_eq!(status(&h.invoke(account(&stranger, second)).await), (404, "PaymentInfoNotFound"));
}

async fn save_account(h: &Harness, token: &str, bank: &str, number: &str, holder: &str) -> i64 {
    let body = json!({"bankCode": bank, "accountNumber": number, "holderName": holder});
    let r = h
        .invoke(
            Event::new("POST", "/user-payments/bank-account", "/user-payments/bank-account")
                .bearer(token)
                .json(&body),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["createdUserBankAccount"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn refund_accounts_are_saved_once_and_the_latest_is_recent() {
    let h = Harness::new().await;
    let (_, user) = member(&h, 5).await;
    let recent = || {
        Event::new("GET", "/user-payments/recent-bank-account", "/user-payments/recent-bank-account")
            .bearer(&user)
    };
    assert_eq!(h.invoke(recent()).await.data()["userRecentBankAccount"], Value::Null);
    let first = save_account(&h, &user, "88", "110222333444", "김댄서").await;
    h.clock.advance(time::Duration::seconds(1));
    let second = save_account(&h, &user, "20", "1002123456789", "김댄서").await;
    assert_eq!(h.invoke(recent()).await.data()["userRecentBankAccount"]["id"], second);
    h.clock.advance(time::Duration::seconds(1));
    assert_eq!(
        save_account(&h, &user, "88", "110222333444", "김댄서").await,
        first,
        "the same account again"
    );
    let latest = h.invoke(recent()).await;
    assert_eq!(
        latest.data()["userRecentBankAccount"],
        json!({"id": first, "bankCode": "88", "holderName": "김댄서", "accountNumber": "110222333444"})
    );
    for bad in [
        json!({"bankCode": "XX", "accountNumber": "1", "holderName": "a"}),
        json!({"bankCode": "88", "accountNumber": "12-34", "holderName": "a"}),
        json!({"bankCode": "88", "accountNumber": "1", "holderName": " "}),
    ] {
        let r = h
            .invoke(
                Event::new("POST", "/user-payments/bank-account", "/user-payments/bank-account")
                    .bearer(&user)
                    .json(&bad),
            )
            .await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn learners_see_whether_they_booked_and_lecturers_see_the_paid_bookings() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (other, _) = teacher_with_class(&h, 2).await;
    let (_, user) = member(&h, 5).await;
    let (_, late) = member(&h, 6).await;
    let session = sessions(&h, class).await[0]["id"].as_i64().unwrap();
    let booked = |token: &str| {
        Event::new("GET", &format!("/lectures/{class}/reservations"), "/lectures/{lectureId}/reservations")
            .bearer(token)
    };
    assert_eq!(status(&h.invoke(booked(&user)).await), (404, "Not Found"));
    assert_eq!(
        h.invoke(order(&user, &order_body(class, session, 1, "book_pending", 30_000))).await.status,
        201
    );
    assert_eq!(h.invoke(booked(&user)).await.status, 404, "not paid yet");
    let first = paid_order(&h, &user, class, session, "book_paid_1", "sandbox_b1").await;
    assert_eq!(h.invoke(booked(&user)).await.status, 200);
    let second = paid_order(&h, &late, class, session, "book_paid_2", "sandbox_b2").await;
    let list = |token: &str, query: &str| {
        Event::new("GET", &format!("/lecturers/my-reservations?{query}"), "/lecturers/my-reservations")
            .bearer(token)
    };
    let r = h.invoke(list(&teacher.token, "take=10")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let ids: Vec<i64> =
        r.data()["myReservationList"].as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [second, first], "paid bookings only, newest first");
    assert_eq!(r.data()["myReservationList"][0]["user"]["nickname"], "dancer6");
    assert_eq!(r.data()["myReservationList"][0]["lectureSchedule"]["id"], session);
    let r = h.invoke(list(&teacher.token, &format!("take=1&lastItemId={second}"))).await;
    assert_eq!(r.data()["myReservationList"][0]["id"], first);
    let r = h.invoke(list(&other.token, "take=10")).await;
    assert!(
        r.data()["myReservationList"].as_array().unwrap().is_empty(),
        "another lecturer's bookings are not mine"
    );
}
