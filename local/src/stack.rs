//! Every area wired to the embedded adapters: SQLite (or DynamoDB when `TABLE_NAME` is set),
//! images in a folder, sandbox sign-in and payments, and an SMS outbox.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use connection_adapters::SystemClock;
use connection_adapters::folder::FolderBlobs;
use connection_adapters::outbox::Outbox;
use connection_adapters::payments_sandbox::SandboxPayments;
use connection_adapters::sandbox::SandboxOAuth;
use connection_auth::{AuthState, Settings};
use connection_coupons::CouponsState;
use connection_http::Core;
use connection_http::jwt::{LOCAL_SECRET, Tokens};
use connection_lecturers::LecturersState;
use connection_lectures::LecturesState;
use connection_passes::PassesState;
use connection_payments::PaymentsState;
use connection_table::{DynamoTable, SqliteTable, Table};
use connection_uploads::UploadsState;
use connection_users::UsersState;
use tower_http::services::ServeDir;
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::local_only;

/// The key of private coupon codes on a developer's machine.
const LOCAL_COUPON_SECRET: &str = "connection-local-coupon-key-not-for-production";

pub struct Stack {
    pub core: Core,
    pub users: UsersState,
    pub auth: AuthState,
    pub lecturers: LecturersState,
    pub lectures: LecturesState,
    pub uploads: UploadsState,
    pub coupons: CouponsState,
    pub passes: PassesState,
    pub payments: PaymentsState,
    /// The payment gateway of the local stack, which can take a deposit.
    pub sandbox: Arc<SandboxPayments>,
    /// The image folder, which also takes presigned uploads.
    pub blobs: Arc<FolderBlobs>,
    pub outbox: Arc<Outbox>,
}

impl Stack {
    /// SQLite in `data_dir` (or DynamoDB when `TABLE_NAME` is set), images in
    /// `data_dir/images` served at `public_base`, and the local JWT secret and coupon code key
    /// unless `JWT_SECRET` and `COUPON_SECRET` are set.
    pub async fn open(data_dir: &Path, public_base: String) -> Result<Stack, String> {
        let table: Arc<dyn Table> = match std::env::var("TABLE_NAME") {
            Ok(name) => {
                let aws = aws_config::load_from_env().await;
                let table = DynamoTable::new(aws_sdk_dynamodb::Client::new(&aws), name);
                table.create_if_missing().await.map_err(|e| e.to_string())?;
                Arc::new(table)
            }
            Err(_) => {
                let file = data_dir.join("connection.sqlite3");
                Arc::new(SqliteTable::open(&file).map_err(|e| e.to_string())?)
            }
        };
        let secret = std::env::var("JWT_SECRET").unwrap_or_else(|_| LOCAL_SECRET.into());
        let core = Core { table, tokens: Arc::new(Tokens::from_env(&secret)?), clock: Arc::new(SystemClock) };
        let outbox = Arc::new(Outbox::default());
        let lecturers = LecturersState {
            core: core.clone(),
            settings: connection_lecturers::Settings::from_env(public_base.clone())?,
        };
        let lectures = LecturesState {
            core: core.clone(),
            settings: connection_lectures::Settings { image_base: public_base.clone() },
        };
        let blobs = Arc::new(FolderBlobs::new(data_dir.join("images"), public_base));
        let users = UsersState { core: core.clone(), blobs: blobs.clone() };
        let uploads = UploadsState { core: core.clone(), blobs: blobs.clone() };
        let code_key = std::env::var("COUPON_SECRET").unwrap_or_else(|_| LOCAL_COUPON_SECRET.into());
        let coupons =
            CouponsState { core: core.clone(), settings: connection_coupons::Settings::new(&code_key)? };
        let passes = PassesState { core: core.clone() };
        let sandbox = Arc::new(SandboxPayments::default());
        let payments = PaymentsState { core: core.clone(), gateway: sandbox.clone() };
        let auth = AuthState {
            core: core.clone(),
            oauth: Arc::new(SandboxOAuth),
            sms: outbox.clone(),
            settings: Settings::from_env()?,
        };
        Ok(Stack {
            core,
            users,
            auth,
            lecturers,
            lectures,
            uploads,
            coupons,
            passes,
            payments,
            sandbox,
            blobs,
            outbox,
        })
    }

    /// Every area's routes, the local-only routes, the API document (`/openapi.json`, browsable
    /// at `/docs`) and the image folder on one router.
    pub fn router(&self, data_dir: &Path) -> Router {
        let areas = connection_users::router(self.users.clone())
            .merge(connection_auth::router(self.auth.clone()))
            .merge(connection_lecturers::router(self.lecturers.clone()))
            .merge(connection_lectures::router(self.lectures.clone()))
            .merge(connection_uploads::router(self.uploads.clone()))
            .merge(connection_coupons::router(self.coupons.clone()))
            .merge(connection_passes::router(self.passes.clone()))
            .merge(connection_payments::router(self.payments.clone()))
            .merge(local_only::routes(self.auth.clone(), self.outbox.clone(), self.blobs.clone()))
            .merge(local_only::deposits(self.payments.clone(), self.sandbox.clone()));
        Router::new()
            .nest_service("/images", ServeDir::new(data_dir.join("images")))
            .merge(SwaggerUi::new("/docs").url("/openapi.json", openapi()))
            .merge(connection_http::serve::finish(areas))
    }
}

/// The OpenAPI document of every function's routes, generated from the handlers and the types
/// that serialize their answers.
pub fn openapi() -> OpenApi {
    let mut document = connection_users::routes().into_openapi();
    document.merge(connection_auth::routes().into_openapi());
    document.merge(connection_lecturers::routes().into_openapi());
    document.merge(connection_lectures::routes().into_openapi());
    document.merge(connection_uploads::routes().into_openapi());
    document.merge(connection_coupons::routes().into_openapi());
    document.merge(connection_passes::routes().into_openapi());
    document.merge(connection_payments::routes().into_openapi());
    connection_http::openapi::finish(document)
}
