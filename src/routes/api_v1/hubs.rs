//! `GET /api/v1/hubs/{id}/roles`: a hub's open roles, as the public roles list counts them.
use axum::Json;
use axum::extract::{Path, State};

use super::paging;
use crate::domain::filters::RoleFilter;
use crate::error::{ApiError, ErrorBody, parse_id};
use crate::models::Page;
use crate::models::hubs;
use crate::models::roles::{self, RoleCard};
use crate::routes::QueryPairs;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}/roles",
    tag = "hubs",
    params(
        ("id" = i32, Path, description = "Hub id"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Open roles posted at the hub or by its organisations, closing soonest first", body = Page<RoleCard>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
    )
)]
pub async fn roles(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<RoleCard>>, ApiError> {
    let hub = hubs::find(&state.db, parse_id(&id, "id")?).await?;
    let (page, per_page) = paging(&pairs)?;
    let filter = RoleFilter {
        hub: Some(hub.slug),
        page,
        per_page,
        ..RoleFilter::default()
    };
    Ok(Json(roles::list_open(&state.db, &filter).await?))
}
