//! The uploads area (api.md §14): images for classes and profiles. The web client uploads
//! without a token, so these routes are anonymous but narrow: images only (by their bytes),
//! 10 MB each, five at a time, a fixed set of folders, keys we choose. An upload may be deleted
//! for a day, until an entity shows it. Members may instead ask for a presigned PUT, so that large
//! files go straight to the bucket.

#[cfg(feature = "claims")]
pub mod claims;
mod images;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use connection_adapters::Blobs;
use connection_http::Core;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub use images::{FOLDERS, IMAGE_LIMIT, UPLOAD_WINDOW_SECONDS};

/// The ports the uploads area uses.
#[derive(Clone, FromRef)]
pub struct UploadsState {
    pub core: Core,
    pub blobs: Arc<dyn Blobs>,
}

/// The route table of the uploads function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<UploadsState> {
    OpenApiRouter::new()
        .routes(routes!(images::upload_one).layer(DefaultBodyLimit::max(images::REQUEST_LIMIT)))
        .routes(routes!(images::upload_many).layer(DefaultBodyLimit::max(images::MANY_REQUEST_LIMIT)))
        .routes(routes!(images::delete))
        .routes(routes!(images::presign))
}

/// The uploads function's routes with their state, for the local stack to merge.
pub fn router(state: UploadsState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `uploads` function serves.
pub fn function(state: UploadsState) -> Router {
    connection_http::serve::finish(router(state))
}
