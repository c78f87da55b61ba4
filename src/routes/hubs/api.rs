//! JSON for hubs: `GET /api/v1/hubs` and `GET /api/v1/hubs/{id}`.
use axum::Json;
use axum::extract::{Path, State};

use crate::error::{ApiError, parse_id};
use crate::models::Page;
use crate::models::hubs::{self, HubSummary};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/hubs",
    tag = "hubs",
    responses((status = 200, description = "Every community hub", body = Page<HubSummary>))
)]
pub async fn index(State(state): State<AppState>) -> Result<Json<Page<HubSummary>>, ApiError> {
    let items = hubs::list(&state.db).await?;
    let total = items.len() as u64;
    let per_page = items.len().max(1) as u32;
    Ok(Json(Page {
        items,
        total,
        page: 1,
        per_page,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}",
    tag = "hubs",
    params(("id" = i32, Path, description = "Hub id")),
    responses(
        (status = 200, description = "A hub", body = HubSummary),
        (status = 400, description = "Not a valid id", body = crate::error::ErrorBody),
        (status = 404, description = "No such hub", body = crate::error::ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<HubSummary>, ApiError> {
    Ok(Json(hubs::find(&state.db, parse_id(&id, "id")?).await?))
}
