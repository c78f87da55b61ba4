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

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(pages::index))
        .route("/organisations/{id}", get(pages::show))
        .route("/api/v1/organisations", get(api::index))
        .route("/api/v1/organisations/{id}", get(api::show))
        .merge(staff::router())
        .merge(profile::router())
        .merge(dashboard::router())
        .merge(tokens::router())
}
