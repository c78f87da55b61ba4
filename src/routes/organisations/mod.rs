//! Organisations: the public directory, an organisation's page, and their JSON.
mod api;
pub mod dashboard;
mod pages;
pub mod profile;
pub mod staff;
pub mod tokens;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(pages::index))
        .route("/organisations/{id}", get(pages::show))
        .merge(staff::router())
        .merge(profile::router())
        .merge(dashboard::router())
        .merge(tokens::router())
}

/// `/api/v1/organisations` and `/api/v1/organisations/{id}`, documented in the OpenAPI document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::index))
        .routes(routes!(api::show))
}
