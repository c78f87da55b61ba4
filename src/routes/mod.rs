//! HTTP routes, one folder per area: `pages.rs` renders HTML, `api.rs` answers JSON under `/api/v1`.
pub mod account;
pub mod admin;
pub mod api_docs;
pub mod api_v1;
pub mod applications;
pub mod errors;
pub mod forms;
pub mod front_desk;
pub mod health;
pub mod home;
pub mod hours;
pub mod hubs;
pub mod organisations;
pub mod page;
pub mod pagination;
pub mod pathways;
pub mod reports;
pub mod roles;
pub mod unsubscribe;
pub mod volunteer;

use std::convert::Infallible;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_http::services::ServeDir;

use crate::config::Settings;
use crate::state::AppState;

pub fn router(settings: &Settings) -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(account::router())
        .merge(api_docs::router())
        .merge(admin::router())
        .merge(volunteer::router())
        .merge(applications::router())
        .merge(hours::router())
        .merge(health::router())
        .merge(roles::router())
        .merge(unsubscribe::router())
        .merge(organisations::router())
        .merge(hubs::router())
        .merge(reports::router())
        .merge(pathways::router())
        .merge(front_desk::router())
        .nest_service(
            "/static",
            ServeDir::new(&settings.static_dir)
                .fallback(axum::routing::any(errors::not_found).with_state(())),
        )
        .fallback(errors::not_found)
}

/// The query string as ordered pairs, keeping repeated keys (`cause=a&cause=b`).
/// Never rejects: parameters are checked by the domain, which names the bad one.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        Ok(Self(serde_urlencoded::from_str(raw).unwrap_or_default()))
    }
}
