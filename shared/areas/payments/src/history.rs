//! A learner's payments (api.md §8.9): the history in pages, one receipt, and the deposit
//! details of a virtual account. Each is the guard and one read of the learner's payments
//! (their `gsi1` partition, or the order itself).

use axum::extract::State;
use connection_http::extract::{PathId, PathText, QueryParams};
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::pagination::{PageQuery, plan, window};
use connection_http::{ApiError, Data};
use connection_model::payments::PaymentRecord;
use connection_model::{decode, keys};
use connection_table::{Index, Query, SkCond, query_all};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::PaymentsState;
use crate::cancel::own_order;
use crate::result::{AccountView, PaymentResult, account};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    /// `전체`, `클래스` or `패스권`.
    payment_history_type: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct History {
    total_item_count: usize,
    user_payments_history: Vec<PaymentResult>,
}

/// My payments, newest first, of every kind or of classes or passes only.
#[utoipa::path(get, path = "/user-payments/history", tag = "user payments", security(("bearer" = [])),
    params(PageQuery, HistoryQuery),
    responses((status = 200, description = "A page of my payments and how many there are", body = Envelope<History>), (status = "default", description = "The error envelope: 400 invalid query, 401 refused", body = ErrorBody)))]
pub async fn history(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    QueryParams(page): QueryParams<PageQuery>,
    QueryParams(q): QueryParams<HistoryQuery>,
) -> Result<Data<History>, ApiError> {
    let product = match q.payment_history_type.as_str() {
        "전체" => None,
        kind @ ("클래스" | "패스권") => Some(kind),
        _ => {
            return Err(ApiError::validation(vec![
                "paymentHistoryType must be one of the following values: 전체,클래스,패스권".into(),
            ]));
        }
    };
    let query = Query::gsi(Index::Gsi1, keys::user_payments(user.id)).backward();
    let mut payments: Vec<PaymentRecord> = query_all(state.core.table.as_ref(), query)
        .await?
        .into_iter()
        .map(decode)
        .collect::<Result<_, _>>()?;
    payments.retain(|p| product.is_none_or(|kind| p.product == kind));
    let total_item_count = payments.len();
    let user_payments_history =
        window(payments, &plan(&page), |p| p.id).iter().map(PaymentResult::from).collect();
    Ok(Data(History { total_item_count, user_payments_history }))
}

#[derive(Serialize, ToSchema)]
pub struct Receipt {
    receipt: PaymentResult,
}

/// One of my payments, by its order id.
#[utoipa::path(get, path = "/user-payments/history/{orderId}", tag = "user payments", security(("bearer" = [])),
    params(("orderId" = String, Path, description = "The order")),
    responses((status = 200, description = "The payment", body = Envelope<Receipt>), (status = "default", description = "The error envelope: 401 refused, 404 not my payment (NotFoundPaymentInfo)", body = ErrorBody)))]
pub async fn receipt(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    PathText(order_id): PathText,
) -> Result<Data<Receipt>, ApiError> {
    let payment = own_order(state.core.table.as_ref(), user.id, &order_id)
        .await
        .map_err(|_| ApiError::not_found("NotFoundPaymentInfo", "결제정보가 존재하지 않습니다."))?;
    Ok(Data(Receipt { receipt: (&payment).into() }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositDetails {
    id: i64,
    original_price: i64,
    final_price: i64,
    virtual_account_payment_info: AccountView,
}

/// Both: api.md names the details `virtualAccountDepositDetails`; the web client reads
/// `virtualAccountPaymentInfo`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositData {
    virtual_account_deposit_details: DepositDetails,
    virtual_account_payment_info: AccountView,
}

/// Where to deposit for one of my virtual-account payments.
#[utoipa::path(get, path = "/user-payments/{paymentId}/virtual-account", tag = "user payments", security(("bearer" = [])),
    params(("paymentId" = i64, Path, description = "The payment")),
    responses((status = 200, description = "The account", body = Envelope<DepositData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such virtual-account payment of mine (PaymentInfoNotFound)", body = ErrorBody)))]
pub async fn virtual_account(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    PathId(id): PathId,
) -> Result<Data<DepositData>, ApiError> {
    let query = Query::gsi(Index::Gsi1, keys::user_payments(user.id)).sk(SkCond::Eq(keys::id_sort(id)));
    let page = state.core.table.query(query).await?;
    let payment: Option<PaymentRecord> = page.items.into_iter().next().map(decode).transpose()?;
    let payment = payment.filter(|p| p.user_id == user.id).ok_or_else(crate::payment_not_found)?;
    let info = payment.virtual_account.as_ref().ok_or_else(crate::payment_not_found)?;
    Ok(Data(DepositData {
        virtual_account_deposit_details: DepositDetails {
            id: payment.id,
            original_price: payment.original_price,
            final_price: payment.final_price,
            virtual_account_payment_info: account(info),
        },
        virtual_account_payment_info: account(info),
    }))
}
