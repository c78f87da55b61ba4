//! Community hubs: the list, a hub's page with its organisations and roles, and their JSON.
mod api;
pub mod dashboard;
mod pages;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hubs", get(pages::index))
        .route("/hubs/{id}", get(pages::show))
        .merge(dashboard::router())
}

/// `/api/v1/hubs` and `/api/v1/hubs/{id}`, documented in the OpenAPI document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::index))
        .routes(routes!(api::show))
}
