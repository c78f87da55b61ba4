//! Matching through the API: roles recommended for the caller, and the volunteers
//! suggested for one of an organisation's roles (only those who opted in).
use axum::Json;
use axum::extract::{Path, State};

use super::{page_of, paging};
use crate::auth::current::ApiCaller;
use crate::domain::access::Action;
use crate::error::{ApiError, AppError, ErrorBody, parse_id};
use crate::models::matching::{self, RoleRecommendation, VolunteerSuggestion};
use crate::models::{Page, role_posting, staff};
use crate::routes::QueryPairs;
use crate::state::AppState;

/// Matching ranks at most this many; pages beyond are empty.
pub const MOST: usize = 100;

/// How many to rank for this page (never more than [`MOST`]).
fn wanted(page: u32, per_page: u32) -> usize {
    (page as usize).saturating_mul(per_page as usize).min(MOST)
}

#[utoipa::path(
    get,
    path = "/api/v1/me/recommendations",
    tag = "matching",
    security(("bearer" = [])),
    params(
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Open roles the caller can take, best match first (at most 100), each with its score, parts and up to three reasons", body = Page<RoleRecommendation>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a volunteer (or an organisation's token)", body = ErrorBody),
    )
)]
pub async fn recommendations(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<RoleRecommendation>>, ApiError> {
    caller.require(&Action::Volunteer)?;
    let profile = caller
        .0
        .actor
        .volunteer_profile
        .ok_or(AppError::Forbidden)?;
    let (page, per_page) = paging(&pairs)?;
    let all = matching::recommend_roles(
        &state.db,
        &state.settings.matching.weights,
        profile,
        wanted(page, per_page),
    )
    .await?;
    Ok(Json(page_of(all, page, per_page)))
}

#[utoipa::path(
    get,
    path = "/api/v1/roles/{id}/suggested-volunteers",
    tag = "matching",
    security(("bearer" = [])),
    params(
        ("id" = i32, Path, description = "Role id"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Volunteers who opted in to suggestions and can take the role, best match first (at most 100): first name, ward, score, parts and reasons", body = Page<VolunteerSuggestion>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's staff or a coordinator of its hubs", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
    )
)]
pub async fn suggested_volunteers(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<VolunteerSuggestion>>, ApiError> {
    let role = role_posting::find(&state.db, parse_id(&id, "id")?)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    let hubs = staff::hub_ids(&state.db, role.organisation_id).await?;
    caller.require(&Action::ViewSuggestedVolunteers {
        organisation: role.organisation_id,
        organisation_hubs: &hubs,
    })?;
    let (page, per_page) = paging(&pairs)?;
    let all = matching::suggest_volunteers(
        &state.db,
        &state.settings.matching.weights,
        role.id,
        wanted(page, per_page),
    )
    .await?;
    Ok(Json(page_of(all, page, per_page)))
}
