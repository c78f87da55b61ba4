//! JSON for organisations: `GET /api/v1/organisations` and `GET /api/v1/organisations/{id}`.
use axum::Json;
use axum::extract::{Path, State};

use crate::domain::filters::parse_paging;
use crate::error::{ApiError, AppError, parse_id};
use crate::models::Page;
use crate::models::organisations::{self, OrganisationDetail, OrganisationSummary};
use crate::routes::QueryPairs;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<OrganisationSummary>>, ApiError> {
    let (page, per_page) = parse_paging(&pairs).map_err(AppError::invalid)?;
    Ok(Json(
        organisations::list_approved(&state.db, page, per_page).await?,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OrganisationDetail>, ApiError> {
    Ok(Json(
        organisations::find_public(&state.db, parse_id(&id, "id")?).await?,
    ))
}
