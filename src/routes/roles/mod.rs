//! Volunteer roles: the public list with filters, a role's page, and their JSON.
mod api;
mod listing;
pub mod manage;
mod pages;
pub mod recommended;
pub mod suggested;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/roles", get(listing::index))
        // A fixed path wins over `/roles/{id}` in axum's router, whatever the order.
        .route("/roles/recommended", get(recommended::show))
        .route("/roles/{id}", get(pages::show))
        .route("/roles/{id}/suggested", get(suggested::show))
        .route(
            "/roles/{id}/suggested/{volunteer_profile_id}/invite",
            axum::routing::post(suggested::invite),
        )
        .merge(manage::router())
}

/// `/api/v1/roles` and `/api/v1/roles/{id}`, documented in the OpenAPI document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::index))
        .routes(routes!(api::show))
}
