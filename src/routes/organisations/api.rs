//! JSON for organisations: `GET /api/v1/organisations` and `GET /api/v1/organisations/{id}`.
use axum::Json;
use axum::extract::{Path, State};

use crate::domain::filters::parse_paging;
use crate::error::{ApiError, AppError, parse_id};
use crate::models::Page;
use crate::models::organisations::{self, OrganisationDetail, OrganisationSummary};
use crate::routes::QueryPairs;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    tag = "organisations",
    params(
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Approved organisations", body = Page<OrganisationSummary>),
        (status = 400, description = "Bad paging; `fields` names it", body = crate::error::ErrorBody),
    )
)]
pub async fn index(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<OrganisationSummary>>, ApiError> {
    let (page, per_page) = parse_paging(&pairs).map_err(AppError::invalid)?;
    Ok(Json(
        organisations::list_approved(&state.db, page, per_page).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}",
    tag = "organisations",
    params(("id" = i32, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "An approved organisation", body = OrganisationDetail),
        (status = 400, description = "Not a valid id", body = crate::error::ErrorBody),
        (status = 404, description = "No such approved organisation", body = crate::error::ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OrganisationDetail>, ApiError> {
    Ok(Json(
        organisations::find_public(&state.db, parse_id(&id, "id")?).await?,
    ))
}
