//! Hours through the API: a volunteer logs time on an accepted application and lists
//! their own; the organisation lists, confirms or rejects them and reads the totals.
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{Failure, Fields, JsonBody, fits_i32, iso_date, paging, query_value, refused, rfc3339};
use crate::auth::current::ApiCaller;
use crate::domain::access::Action;
use crate::entities::{hours_log, role, user, volunteer_profile};
use crate::error::{ApiError, AppError, ErrorBody, parse_id};
use crate::models::applications as application_model;
use crate::models::hours::{self, HoursClaim};
use crate::models::{role_posting, staff};
use crate::routes::QueryPairs;
use crate::state::AppState;

/// One entry of hours.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoursItem {
    pub id: i32,
    pub role_id: i32,
    pub role_title: String,
    pub volunteer_name: String,
    pub session_id: Option<i32>,
    /// `YYYY-MM-DD`.
    pub worked_on: String,
    pub minutes: i32,
    /// `claimed`, `confirmed` or `rejected`.
    pub status: String,
    pub note: String,
    pub reviewed_at: Option<String>,
    pub created_at: String,
}

/// A page of hours, with the confirmed total of everything the list covers (all pages,
/// whatever the status filter).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoursPage {
    pub items: Vec<HoursItem>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub total_confirmed_minutes: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoleTotal {
    pub role_id: i32,
    pub title: String,
    pub confirmed_minutes: i64,
}

/// Confirmed minutes for the organisation and each of its roles.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoursTotals {
    pub organisation_id: i32,
    pub total_confirmed_minutes: i64,
    pub roles: Vec<RoleTotal>,
}

/// What a volunteer sends to log hours.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoursInput {
    /// `YYYY-MM-DD`: today or earlier, not before the application.
    pub worked_on: String,
    /// 1–1440.
    pub minutes: i32,
    /// One of the role's sessions, if the time was spent at one.
    pub session_id: Option<i32>,
    /// Up to 1000 characters.
    pub note: Option<String>,
}

/// The organisation's answer to claimed hours.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewInput {
    /// `confirm` or `reject`.
    pub decision: String,
    /// Up to 1000 characters, emailed to the volunteer.
    pub note: Option<String>,
}

const STATUSES: [&str; 3] = [hours::CLAIMED, hours::CONFIRMED, hours::REJECTED];

fn status_filter(pairs: &[(String, String)]) -> Result<Option<String>, ApiError> {
    match query_value(pairs, "status") {
        s if s.is_empty() => Ok(None),
        s if STATUSES.contains(&s.as_str()) => Ok(Some(s)),
        _ => Err(AppError::field("status", "must be claimed, confirmed or rejected").into()),
    }
}

/// The rows as the API shows them, with their roles' titles and volunteers' names.
async fn items(state: &AppState, rows: Vec<hours_log::Model>) -> Result<Vec<HoursItem>, ApiError> {
    let titles: HashMap<i32, String> = role::Entity::find()
        .filter(role::Column::Id.is_in(rows.iter().map(|h| h.role_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    let names: HashMap<i32, String> = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::Id.is_in(rows.iter().map(|h| h.volunteer_id)))
        .find_also_related(user::Entity)
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, u.display_name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|h| HoursItem {
            id: h.id,
            role_id: h.role_id,
            role_title: titles.get(&h.role_id).cloned().unwrap_or_default(),
            volunteer_name: names.get(&h.volunteer_id).cloned().unwrap_or_default(),
            session_id: h.session_id,
            worked_on: iso_date(h.worked_on),
            minutes: h.minutes,
            status: h.status,
            note: h.note,
            reviewed_at: h.reviewed_at.map(rfc3339),
            created_at: rfc3339(h.created_at),
        })
        .collect())
}

async fn one(state: &AppState, id: i32) -> Result<HoursItem, ApiError> {
    let (entry, _) = hours::find(&state.db, id).await?;
    items(state, vec![entry])
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound("hours").into())
}

/// A page of the hours matching `condition`, most recent work first.
async fn list(
    state: &AppState,
    condition: Condition,
    pairs: &[(String, String)],
    total_confirmed_minutes: i64,
) -> Result<HoursPage, ApiError> {
    let (page, per_page) = paging(pairs)?;
    let mut condition = condition;
    if let Some(s) = status_filter(pairs)? {
        condition = condition.add(hours_log::Column::Status.eq(s));
    }
    let paginator = hours_log::Entity::find()
        .filter(condition)
        .order_by_desc(hours_log::Column::WorkedOn)
        .order_by_desc(hours_log::Column::Id)
        .paginate(&state.db, u64::from(per_page));
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(u64::from(page - 1)).await?;
    Ok(HoursPage {
        items: items(state, rows).await?,
        total,
        page,
        per_page,
        total_confirmed_minutes,
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/hours",
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Application id (accepted)")),
    request_body = HoursInput,
    responses(
        (status = 201, description = "The hours, waiting for the organisation to confirm", body = HoursItem),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the caller's own application", body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 409, description = "The application is not accepted", body = ErrorBody),
    )
)]
pub async fn log(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<HoursItem>), Failure> {
    let id = parse_id(&id, "id")?;
    let (app, _) = application_model::facts(&state.db, id).await?;
    caller.require(&Action::ActAsVolunteer {
        volunteer_profile: app.volunteer_id,
    })?;
    let mut fields = Fields::new(body);
    let worked_on = fields.date("worked_on", true);
    let raw_minutes = fields.integer("minutes", true);
    let minutes = fits_i32(&mut fields, "minutes", raw_minutes);
    let raw_session = fields.integer("session_id", false);
    let session_id = fits_i32(&mut fields, "session_id", raw_session);
    let note = fields.string("note", false).unwrap_or_default();
    fields.finish()?;
    let (Some(worked_on), Some(minutes)) = (worked_on, minutes) else {
        return Err(AppError::field("worked_on", "is required").into());
    };
    let claim = HoursClaim {
        worked_on,
        minutes,
        session_id,
        note,
    };
    let hours_id = hours::log(&state.db, &state.base_url, id, &claim)
        .await
        .map_err(|e| refused(e, &[("hours", "minutes"), ("session", "session_id")]))?;
    Ok((StatusCode::CREATED, Json(one(&state, hours_id).await?)))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/hours",
    tag = "hours",
    security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "claimed, confirmed or rejected"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "The caller's own hours, most recent first, and their confirmed total", body = HoursPage),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a volunteer (or an organisation's token)", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<HoursPage>, ApiError> {
    caller.require(&Action::Volunteer)?;
    let profile = caller
        .0
        .actor
        .volunteer_profile
        .ok_or(AppError::Forbidden)?;
    let total = hours::total_for_volunteer(&state.db, profile).await?;
    let condition = Condition::all().add(hours_log::Column::VolunteerId.eq(profile));
    Ok(Json(list(&state, condition, &pairs, total).await?))
}

/// The organisation, once the caller may review its hours.
async fn reviewing(state: &AppState, caller: &ApiCaller, raw_id: &str) -> Result<i32, ApiError> {
    let id = parse_id(raw_id, "id")?;
    caller.require(&Action::ReviewHours { organisation: id })?;
    let organisation = staff::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    Ok(organisation.id)
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/hours",
    tag = "hours",
    security(("bearer" = [])),
    params(
        ("id" = i32, Path, description = "Organisation id"),
        ("status" = Option<String>, Query, description = "claimed, confirmed or rejected"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Hours on the organisation's roles, most recent first, and their confirmed total", body = HoursPage),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not allowed to review the organisation's hours", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
    )
)]
pub async fn organisation_hours(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<HoursPage>, ApiError> {
    let organisation = reviewing(&state, &caller, &id).await?;
    let total = hours::total_for_organisation(&state.db, organisation).await?;
    let role_ids: Vec<i32> = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let condition = Condition::all().add(hours_log::Column::RoleId.is_in(role_ids));
    Ok(Json(list(&state, condition, &pairs, total).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/hours/totals",
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "Confirmed minutes for the organisation and each of its roles", body = HoursTotals),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not allowed to review the organisation's hours", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
    )
)]
pub async fn totals(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<HoursTotals>, ApiError> {
    let organisation = reviewing(&state, &caller, &id).await?;
    let mut roles = Vec::new();
    for managed in role_posting::list_for_organisation(&state.db, organisation).await? {
        roles.push(RoleTotal {
            role_id: managed.role.id,
            confirmed_minutes: hours::total_for_role(&state.db, managed.role.id).await?,
            title: managed.role.title,
        });
    }
    Ok(Json(HoursTotals {
        organisation_id: organisation,
        total_confirmed_minutes: hours::total_for_organisation(&state.db, organisation).await?,
        roles,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/hours/{id}/review",
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Hours entry id")),
    request_body = ReviewInput,
    responses(
        (status = 200, description = "The hours, confirmed or rejected", body = HoursItem),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not allowed to review the organisation's hours", body = ErrorBody),
        (status = 404, description = "No such hours entry", body = ErrorBody),
        (status = 409, description = "Already reviewed", body = ErrorBody),
    )
)]
pub async fn review(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<HoursItem>, Failure> {
    let id = parse_id(&id, "id")?;
    let (_, role) = hours::find(&state.db, id).await?;
    caller.require(&Action::ReviewHours {
        organisation: role.organisation_id,
    })?;
    let mut fields = Fields::new(body);
    let decision = fields.choice("decision", &["confirm", "reject"], true);
    let note = fields.string("note", false).unwrap_or_default();
    fields.finish()?;
    let confirm = decision.as_deref() == Some("confirm");
    hours::review(
        &state.db,
        &state.base_url,
        id,
        confirm,
        caller.0.id(),
        &note,
    )
    .await
    .map_err(|e| refused(e, &[("hours", "status")]))?;
    Ok(Json(one(&state, id).await?))
}
