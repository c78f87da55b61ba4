//! Community hubs: the list, a hub's page with its organisations and roles, and their JSON.
mod api;
pub mod dashboard;
mod pages;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hubs", get(pages::index))
        .route("/hubs/{id}", get(pages::show))
        .route("/api/v1/hubs", get(api::index))
        .route("/api/v1/hubs/{id}", get(api::show))
        .merge(dashboard::router())
}
