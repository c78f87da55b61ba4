//! Social-prescribing referrals through the API: link workers and hub staff refer
//! residents and follow them; receiving organisations see only what they need (never the
//! reason) and move them along; referrers record outcomes.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use super::{Fields, JsonBody, fits_i32, page_of, paging};
use crate::auth::current::ApiCaller;
use crate::domain::access::Action;
use crate::error::{ApiError, AppError, ErrorBody, parse_id};
use crate::models::Page;
use crate::models::social_referrals::{self, OutcomeForm, ReferralForm, ReferralView};
use crate::routes::QueryPairs;
use crate::state::AppState;

/// What a link worker or hub staff member sends to refer a resident.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralInput {
    /// The hub the referral goes through (the referrer must work there).
    pub hub_id: i32,
    /// The resident: the volunteer profile id of someone the hub signed up in person, or
    /// the email address of a resident with their own account.
    pub resident: String,
    /// The receiving organisation; may be left out when `role_id` is given.
    pub organisation_id: Option<i32>,
    /// A specific open role, if any.
    pub role_id: Option<i32>,
    /// Any of `confidence`, `company`, `skills`, `routine`.
    pub hopes: Option<Vec<String>>,
    /// Any of `low_commitment`, `step_free`, `accompanied_first_visit`.
    pub needs: Option<Vec<String>>,
    /// Why they were referred: kept with the referrer and the hub, never shown to the
    /// organisation. Up to 2000 characters.
    pub reason: Option<String>,
    /// Must be `true`: the resident agreed to the referral and to what is shared.
    pub consent: bool,
}

/// The receiving organisation's next step.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusInput {
    /// `received`, `contacted`, `started`, `ended` or `declined`.
    pub status: String,
}

/// How it is going, at a checkpoint.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomeInput {
    /// 4 or 12.
    pub checkpoint_weeks: i32,
    pub still_volunteering: bool,
    /// Whole hours volunteered so far, 0–2016.
    pub hours: i32,
    /// Must be `true`: the resident agreed to share how it is going.
    pub consent: bool,
}

async fn view_for(
    state: &AppState,
    caller: &ApiCaller,
    row: crate::entities::social_referral::Model,
) -> Result<ReferralView, ApiError> {
    let actor = caller.0.actor.clone();
    let mut views = social_referrals::views(&state.db, vec![row], |r| {
        social_referrals::sees_reason(&actor, r)
    })
    .await?;
    views
        .pop()
        .ok_or_else(|| AppError::NotFound("referral").into())
}

async fn visible(
    state: &AppState,
    caller: &ApiCaller,
    raw_id: &str,
) -> Result<crate::entities::social_referral::Model, ApiError> {
    let id = parse_id(raw_id, "id")?;
    let row = social_referrals::find(&state.db, id).await?;
    caller.require(&Action::ViewSocialReferral {
        referred_by: row.referred_by,
        organisation: row.organisation_id,
        hub: row.hub_id,
    })?;
    Ok(row)
}

#[utoipa::path(
    post,
    path = "/api/v1/social-referrals",
    tag = "social referrals",
    security(("bearer" = [])),
    request_body = ReferralInput,
    responses(
        (status = 201, description = "The referral, sent; the organisation is emailed", body = ReferralView),
        (status = 400, description = "No consent, a closed role, an unknown resident…; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a link worker or coordinator of that hub", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<ReferralView>), ApiError> {
    let mut f = Fields::new(body);
    let hub = f.integer("hub_id", true);
    let hub_id = fits_i32(&mut f, "hub_id", hub);
    let resident = f.string("resident", true);
    let organisation_id = f.integer("organisation_id", false);
    let role_id = f.integer("role_id", false);
    let hopes = f.strings("hopes").unwrap_or_default();
    let needs = f.strings("needs").unwrap_or_default();
    let reason = f.string("reason", false).unwrap_or_default();
    let consent = f.boolean("consent", true).unwrap_or(false);
    // Permission first: someone outside the hub learns nothing about the body's contents.
    if let Some(hub_id) = hub_id {
        caller.require(&Action::ReferResident { hub: hub_id })?;
    } else {
        caller.require(&Action::UseFrontDesk)?;
    }
    f.finish()?;
    let Some(hub_id) = hub_id else {
        return Err(AppError::field("hub_id", "is required").into());
    };
    let form = ReferralForm {
        resident: resident.unwrap_or_default(),
        organisation_id: organisation_id.map(|i| i.to_string()).unwrap_or_default(),
        role_id: role_id.map(|i| i.to_string()).unwrap_or_default(),
        hopes,
        needs,
        reason,
        consent,
    };
    let txn = crate::db::begin(&state.db).await?;
    let row =
        social_referrals::create(&txn, &caller.0.actor, hub_id, &form, &state.base_url).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(view_for(&state, &caller, row).await?),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/social-referrals",
    tag = "social referrals",
    security(("bearer" = [])),
    params(
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "The referrals the caller may see, newest first: a link worker's own, a coordinator's hubs', an organisation's (without reasons)", body = Page<ReferralView>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
    )
)]
pub async fn index(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<ReferralView>>, ApiError> {
    let (page, per_page) = paging(&pairs)?;
    let actor = caller.0.actor.clone();
    let rows = social_referrals::visible_to(&state.db, &actor).await?;
    let all = page_of(rows, page, per_page);
    let items = social_referrals::views(&state.db, all.items, |r| {
        social_referrals::sees_reason(&actor, r)
    })
    .await?;
    Ok(Json(Page {
        items,
        total: all.total,
        page,
        per_page,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/social-referrals/{id}",
    tag = "social referrals",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The referral with its steps and outcomes (the reason only for the referrer and the hub)", body = ReferralView),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the referrer's, the hub's or the receiving organisation's", body = ErrorBody),
        (status = 404, description = "No such referral", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ReferralView>, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    Ok(Json(view_for(&state, &caller, row).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/social-referrals/{id}/status",
    tag = "social referrals",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Referral id")),
    request_body = StatusInput,
    responses(
        (status = 200, description = "The referral, moved on", body = ReferralView),
        (status = 400, description = "Not a step the referral can take now; `fields.status` says why", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the receiving organisation", body = ErrorBody),
        (status = 404, description = "No such referral", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ReferralView>, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    caller.require(&Action::UpdateSocialReferral {
        organisation: row.organisation_id,
    })?;
    let mut f = Fields::new(body);
    let to = f.string("status", true);
    f.finish()?;
    let txn = crate::db::begin(&state.db).await?;
    let row = social_referrals::move_to(&txn, row, &to.unwrap_or_default(), caller.0.id()).await?;
    txn.commit().await?;
    Ok(Json(view_for(&state, &caller, row).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/social-referrals/{id}/outcomes",
    tag = "social referrals",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Referral id")),
    request_body = OutcomeInput,
    responses(
        (status = 200, description = "The referral with the outcome recorded (or corrected)", body = ReferralView),
        (status = 400, description = "No consent, not started, a bad checkpoint or hours; `fields` names each", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the referrer or a coordinator of the hub", body = ErrorBody),
        (status = 404, description = "No such referral", body = ErrorBody),
    )
)]
pub async fn outcomes(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ReferralView>, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    caller.require(&Action::RecordReferralOutcome {
        referred_by: row.referred_by,
        hub: row.hub_id,
    })?;
    let mut f = Fields::new(body);
    let checkpoint = f.integer("checkpoint_weeks", true);
    let still = f.boolean("still_volunteering", true);
    let hours = f.integer("hours", true);
    let consent = f.boolean("consent", true).unwrap_or(false);
    f.finish()?;
    let form = OutcomeForm {
        checkpoint_weeks: checkpoint.map(|c| c.to_string()).unwrap_or_default(),
        still_volunteering: still.map(|s| s.to_string()).unwrap_or_default(),
        hours: hours.map(|h| h.to_string()).unwrap_or_default(),
        consent,
    };
    let txn = crate::db::begin(&state.db).await?;
    social_referrals::record_outcome(&txn, &row, &form, caller.0.id()).await?;
    txn.commit().await?;
    Ok(Json(view_for(&state, &caller, row).await?))
}
