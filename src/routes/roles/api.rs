//! JSON for roles: `GET /api/v1/roles` (same filters as the page) and `GET /api/v1/roles/{id}`.
use axum::Json;
use axum::extract::{Path, State};

use crate::domain::filters::parse_role_filter;
use crate::error::{ApiError, AppError, parse_id};
use crate::models::Page;
use crate::models::roles::{self, RoleCard, RoleDetail};
use crate::routes::QueryPairs;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/roles",
    tag = "roles",
    params(
        ("cause" = Option<Vec<String>>, Query, description = "Cause slug; repeat for any of several"),
        ("ward" = Option<String>, Query, description = "Ward code (ONS), e.g. E05011110"),
        ("hub" = Option<String>, Query, description = "Hub slug: roles posted there or by its organisations"),
        ("organisation" = Option<String>, Query, description = "Organisation slug"),
        ("remote" = Option<bool>, Query, description = "Only roles that can be done from home"),
        ("youth" = Option<bool>, Query, description = "Only roles open to under-18s"),
        ("sort" = Option<String>, Query, description = "closing (default), newest or title"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Open roles", body = Page<RoleCard>),
        (status = 400, description = "A filter is not valid; `fields` names it", body = crate::error::ErrorBody),
    )
)]
pub async fn index(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<RoleCard>>, ApiError> {
    let filter = parse_role_filter(&pairs).map_err(AppError::invalid)?;
    Ok(Json(roles::list_open(&state.db, &filter).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/roles/{id}",
    tag = "roles",
    params(("id" = i32, Path, description = "Role id")),
    responses(
        (status = 200, description = "An open role", body = RoleDetail),
        (status = 400, description = "Not a valid id", body = crate::error::ErrorBody),
        (status = 404, description = "No such open role", body = crate::error::ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RoleDetail>, ApiError> {
    Ok(Json(
        roles::find_public(&state.db, parse_id(&id, "id")?).await?,
    ))
}
