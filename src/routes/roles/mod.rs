//! Volunteer roles: the public list with filters, a role's page, and their JSON.
mod api;
pub mod manage;
mod pages;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/roles", get(pages::index))
        .route("/roles/{id}", get(pages::show))
        .route("/api/v1/roles", get(api::index))
        .route("/api/v1/roles/{id}", get(api::show))
        .merge(manage::router())
}
