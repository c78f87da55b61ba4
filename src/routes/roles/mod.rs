//! Volunteer roles: the public list with filters, a role's page, and their JSON.
mod api;
pub mod manage;
mod pages;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/roles", get(pages::index))
        .route("/roles/{id}", get(pages::show))
        .merge(manage::router())
}

/// `/api/v1/roles` and `/api/v1/roles/{id}`, documented in the OpenAPI document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::index))
        .routes(routes!(api::show))
}
