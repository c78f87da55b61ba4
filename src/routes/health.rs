//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its dependencies do).
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    // Search being down degrades /roles (browsing still works), so it is reported
    // but does not take the instance out of service.
    let search = match state.search.count(crate::search::IndexName::Roles).await {
        Ok(_) => "ok",
        Err(e) => {
            tracing::warn!(error = %e, "readiness: search index unavailable");
            "unavailable"
        }
    };
    match crate::db::ping(&state.db).await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "checks": { "database": "ok", "search": search } })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "checks": { "database": "unreachable" } })),
            )
        }
    }
}
