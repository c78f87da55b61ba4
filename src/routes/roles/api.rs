//! JSON for roles: `GET /api/v1/roles` (same filters as the page) and `GET /api/v1/roles/{id}`.
use axum::Json;
use axum::extract::{Path, State};

use crate::domain::filters::parse_role_filter;
use crate::error::{ApiError, AppError, parse_id};
use crate::models::Page;
use crate::models::roles::{self, RoleCard, RoleDetail};
use crate::routes::QueryPairs;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<RoleCard>>, ApiError> {
    let filter = parse_role_filter(&pairs).map_err(AppError::invalid)?;
    Ok(Json(roles::list_open(&state.db, &filter).await?))
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RoleDetail>, ApiError> {
    Ok(Json(
        roles::find_public(&state.db, parse_id(&id, "id")?).await?,
    ))
}
