//! `GET /api/v1/search/roles` (anyone) and `GET /api/v1/search/volunteers` (organisation staff and hub coordinators): full-text search with filters, facets, sort and pages.
use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::auth::current::ApiCaller;
use crate::domain::access::Action;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::models::roles::{self, RoleSearchPage, search_failure};
use crate::routes::QueryPairs;
use crate::search::{FacetCount, Hit, IndexName, IndexSettings, SortBy, params};
use crate::state::AppState;

fn parse(index: IndexName, pairs: &[(String, String)]) -> Result<params::SearchParams, AppError> {
    let settings = IndexSettings::load(index).map_err(|e| AppError::Internal(e.to_string()))?;
    params::parse(index, &settings.filterable_attributes, pairs).map_err(AppError::invalid)
}

#[utoipa::path(
    get,
    path = "/api/v1/search/roles",
    tag = "search",
    params(
        ("q" = Option<String>, Query, description = "Words to find (typos and synonyms allowed; \"quotes\" for an exact phrase); at most 200 characters"),
        ("cause" = Option<Vec<String>>, Query, description = "Cause slug; repeat for any of several"),
        ("hub" = Option<Vec<String>>, Query, description = "Hub slug"),
        ("ward" = Option<Vec<String>>, Query, description = "Ward code (ONS)"),
        ("organisation" = Option<Vec<String>>, Query, description = "Organisation slug"),
        ("commitment" = Option<Vec<String>>, Query, description = "one_off, regular or flexible"),
        ("remote" = Option<bool>, Query, description = "Only roles that can be done from home"),
        ("youth" = Option<bool>, Query, description = "Only roles open to under-18s (also `youth_friendly`)"),
        ("skill" = Option<Vec<String>>, Query, description = "Skill slug"),
        ("time_slot" = Option<Vec<String>>, Query, description = "ODI slot of a session, e.g. SaturdayMorning"),
        ("sort" = Option<String>, Query, description = "relevance (default), closing, newest or distance"),
        ("near" = Option<String>, Query, description = "Ward code to sort by distance from (default: the ward filter)"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Matching open roles with highlighted text and facet counts", body = RoleSearchPage),
        (status = 400, description = "An unknown filter or sort, or a bad value; `fields` names it", body = ErrorBody),
    )
)]
pub async fn roles(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<RoleSearchPage>, ApiError> {
    let params = parse(IndexName::Roles, &pairs)?;
    Ok(Json(
        roles::search_open(&state.db, &state.search, &params).await?,
    ))
}

/// Volunteers who opted in to suggestions, as organisation staff see them in a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VolunteerSearchPage {
    pub items: Vec<Hit>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    #[schema(value_type = Object)]
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

#[utoipa::path(
    get,
    path = "/api/v1/search/volunteers",
    tag = "search",
    params(
        ("q" = Option<String>, Query, description = "Words to find in skills, causes and bios"),
        ("skill" = Option<Vec<String>>, Query, description = "Skill slug"),
        ("cause" = Option<Vec<String>>, Query, description = "Cause slug"),
        ("ward" = Option<Vec<String>>, Query, description = "Ward code"),
        ("time_slot" = Option<Vec<String>>, Query, description = "ODI availability slot"),
        ("remote" = Option<bool>, Query, description = "Only volunteers happy to help from home"),
        ("sort" = Option<String>, Query, description = "relevance (default), updated or distance"),
        ("near" = Option<String>, Query, description = "Ward code to sort by distance from"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Matching volunteers (only those open to suggestions)", body = VolunteerSearchPage),
        (status = 400, description = "An unknown filter or sort, or a bad value; `fields` names it", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Only organisation staff and hub coordinators search volunteers", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn volunteers(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<VolunteerSearchPage>, ApiError> {
    caller.require(&Action::SearchVolunteers)?;
    let mut params = parse(IndexName::Volunteers, &pairs)?;
    if let SortBy::Near { .. } = params.query.sort {
        let code = params.near.clone().unwrap_or_default();
        let ward = crate::entities::ward::Entity::find()
            .filter(crate::entities::ward::Column::Code.eq(code.as_str()))
            .one(&state.db)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::field("near", format!("there is no ward '{code}'")))?;
        params.query.sort = SortBy::Near {
            lat: ward.centroid_lat,
            lon: ward.centroid_lon,
        };
    }
    let found = state
        .search
        .search(IndexName::Volunteers, &params.query)
        .await
        .map_err(search_failure)?;
    Ok(Json(VolunteerSearchPage {
        items: found.hits,
        total: found.total,
        page: params.query.page,
        per_page: params.query.per_page,
        facets: found.facets,
    }))
}
