//! Organisations post and manage roles through the API: list every role of theirs, create
//! a draft, edit, open, close, and add or list sessions, with the role form's own checks.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sea_orm::DatabaseTransaction;
use serde::Serialize;
use serde_json::{Value, json};

use super::{Failure, Fields, JsonBody, fits_i32, page_of, paging, query_value, rfc3339};
use crate::auth::current::{ApiCaller, ClientIp};
use crate::domain::access::Action;
use crate::domain::london_time;
use crate::entities::{organisation, role};
use crate::error::{ApiError, AppError, ErrorBody, FieldErrors, parse_id};
use crate::models::role_posting::{
    self, DateParts, RoleChoices, RoleForm, SessionForm, SessionRules, StatusChange, StatusRefusal,
};
use crate::models::roles::{self as public_roles, RoleDetail};
use crate::models::{Page, audit, staff};
use crate::routes::QueryPairs;
use crate::state::AppState;

/// A role in its organisation's list: any status, with how full it is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ManagedRoleItem {
    pub id: i32,
    pub title: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    pub places: i32,
    /// Accepted volunteers.
    pub filled: i64,
    pub upcoming_sessions: u64,
    /// RFC 3339; the end of the closing date, London time.
    pub closes_at: Option<String>,
    pub updated_at: String,
}

/// A session of a role, with how many accepted volunteers chose it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionItem {
    pub id: i32,
    pub starts_at: String,
    pub ends_at: String,
    /// Its own places, when it has a limit of its own.
    pub places: Option<i32>,
    pub accepted: i64,
}

/// A role's skill as the API takes it: the skill's slug and the lowest level wanted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SkillInput {
    pub skill: String,
    pub min_level: i32,
}

/// The role's fields as the API takes them (all optional in a PATCH; `title` and
/// `summary` needed to create). The same checks as the role form apply.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoleInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Cause slugs.
    pub causes: Option<Vec<String>>,
    pub skills: Option<Vec<SkillInput>>,
    /// `in_person`, `hybrid` or `remote`.
    pub location_type: Option<String>,
    /// Ward code (ONS), e.g. E05011110; needed unless remote.
    pub ward: Option<String>,
    /// The outward part of the postcode, like SE15; needed unless remote.
    pub postcode_district: Option<String>,
    /// 14–99.
    pub min_age: Option<i32>,
    pub youth_friendly: Option<bool>,
    pub dbs_required: Option<bool>,
    /// 1–500.
    pub places: Option<i32>,
    /// `one_off`, `regular` or `flexible`.
    pub commitment: Option<String>,
    /// 1–60.
    pub hours_per_week: Option<i32>,
    /// `YYYY-MM-DD`, today or later; `null` for no closing date.
    pub closes_on: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// Slug of one of the organisation's hubs.
    pub hub: Option<String>,
}

/// A session as the API takes it; it starts and ends on the same day in London.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionInput {
    /// RFC 3339, in the future.
    pub starts_at: String,
    /// RFC 3339, after `starts_at`, the same day (London time).
    pub ends_at: String,
    /// At most the role's places; omit for no limit of its own.
    pub places: Option<i32>,
}

/// The organisation, once the caller may manage its roles (403 before anything else).
async fn organisation_for(
    state: &AppState,
    caller: &ApiCaller,
    raw_id: &str,
) -> Result<organisation::Model, ApiError> {
    let id = parse_id(raw_id, "id")?;
    caller.require(&Action::ManageRoles { organisation: id })?;
    Ok(staff::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?)
}

/// The role, once the caller may manage its organisation's roles.
pub(super) async fn role_for(
    state: &AppState,
    caller: &ApiCaller,
    raw_id: &str,
) -> Result<role::Model, ApiError> {
    let r = role_posting::find(&state.db, parse_id(raw_id, "id")?)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    caller.require(&Action::ManageRoles {
        organisation: r.organisation_id,
    })?;
    Ok(r)
}

async fn locked(txn: &DatabaseTransaction, id: i32) -> Result<role::Model, ApiError> {
    Ok(role_posting::lock(txn, id)
        .await?
        .ok_or(AppError::NotFound("role"))?)
}

/// What the role form may hold for this organisation (the same lists the page offers).
async fn choices_for(
    state: &AppState,
    organisation_id: i32,
    existing: Option<&role::Model>,
) -> Result<RoleChoices, ApiError> {
    Ok(role_posting::choices(&state.db, organisation_id, existing).await?)
}

const TEXT_FIELDS: [&str; 10] = [
    "title",
    "summary",
    "description",
    "location_type",
    "ward",
    "postcode_district",
    "commitment",
    "contact_name",
    "contact_email",
    "hub",
];

fn text_slot<'a>(form: &'a mut RoleForm, name: &str) -> Option<&'a mut String> {
    Some(match name {
        "title" => &mut form.title,
        "summary" => &mut form.summary,
        "description" => &mut form.description,
        "location_type" => &mut form.location_type,
        "ward" => &mut form.ward,
        "postcode_district" => &mut form.postcode_district,
        "commitment" => &mut form.commitment,
        "contact_name" => &mut form.contact_name,
        "contact_email" => &mut form.contact_email,
        "hub" => &mut form.hub,
        _ => return None,
    })
}

/// Lays the body's fields over `form` (a blank form to create, the saved one to edit).
/// Numbers are written back as the form's text, so its checks and messages apply.
fn overlay(fields: &mut Fields, form: &mut RoleForm) {
    for name in TEXT_FIELDS {
        if !fields.present(name) {
            continue;
        }
        let value = fields.string(name, false).unwrap_or_default();
        if let Some(slot) = text_slot(form, name) {
            *slot = if name == "description" {
                value.trim_end().to_owned()
            } else {
                value.trim().to_owned()
            };
        }
    }
    for name in ["min_age", "places", "hours_per_week"] {
        if !fields.present(name) {
            continue;
        }
        let raw = fields.integer(name, false);
        let value = fits_i32(fields, name, raw)
            .map(|n| n.to_string())
            .unwrap_or_default();
        match name {
            "min_age" => form.min_age = value,
            "places" => form.places = value,
            _ => form.hours_per_week = value,
        }
    }
    for name in ["youth_friendly", "dbs_required"] {
        if fields.present(name) {
            let value = fields.boolean(name, false).unwrap_or(false);
            if name == "youth_friendly" {
                form.youth_friendly = value;
            } else {
                form.dbs_required = value;
            }
        }
    }
    if fields.present("closes_on") {
        form.closes_on = fields
            .date("closes_on", false)
            .map(DateParts::of)
            .unwrap_or_default();
    }
    if fields.present("causes") {
        form.causes = fields.strings("causes").unwrap_or_default();
    }
    if fields.present("skills") {
        form.skills = skills_of(fields);
    }
}

/// `[{"skill": "teamwork", "min_level": 3}, …]` as the form's (slug, level) pairs.
fn skills_of(fields: &mut Fields) -> Vec<(String, String)> {
    let shape = "must be a list of {\"skill\": slug, \"min_level\": number}";
    let Some(raw) = fields.raw("skills") else {
        return Vec::new();
    };
    let Value::Array(items) = raw else {
        fields.fail("skills", shape);
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let skill = item.get("skill").and_then(Value::as_str);
        let level = item.get("min_level").and_then(Value::as_i64);
        let extra = item
            .as_object()
            .is_some_and(|o| o.keys().any(|k| k != "skill" && k != "min_level"));
        match (skill, level) {
            (Some(s), Some(l)) if !extra => out.push((s.to_owned(), l.to_string())),
            _ => fields.fail("skills", shape),
        }
    }
    out
}

/// The form's field names as the API's: every skill's level is about `skills`.
fn api_names(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (name, why) in errors {
        let name = if name.starts_with("skill_") {
            "skills".to_owned()
        } else {
            name
        };
        out.entry(name).or_insert(why);
    }
    out
}

/// Reads, overlays and checks the body; every problem at once.
fn checked(
    body: JsonBody,
    mut form: RoleForm,
    choices: &RoleChoices,
) -> Result<role_posting::RoleValues, ApiError> {
    let mut fields = Fields::new(body);
    overlay(&mut fields, &mut form);
    let result = form.check(choices);
    let problems = match &result {
        Ok(_) => FieldErrors::new(),
        Err(errors) => api_names(errors.clone().into()),
    };
    fields.finish_with(problems)?;
    result.map_err(|e| ApiError(AppError::invalid(api_names(e.into()))))
}

fn managed_item(m: role_posting::ManagedRole) -> ManagedRoleItem {
    ManagedRoleItem {
        id: m.role.id,
        title: m.role.title,
        status: m.role.status,
        places: m.role.places,
        filled: m.filled,
        upcoming_sessions: m.upcoming_sessions,
        closes_at: m.role.closes_at.map(rfc3339),
        updated_at: rfc3339(m.role.updated_at),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/roles",
    tag = "roles",
    security(("bearer" = [])),
    params(
        ("id" = i32, Path, description = "Organisation id"),
        ("status" = Option<String>, Query, description = "draft, open or closed"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Every role of the organisation, most recently changed first", body = Page<ManagedRoleItem>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not one of the organisation's people or its token", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
    )
)]
pub async fn organisation_roles(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<ManagedRoleItem>>, ApiError> {
    let organisation = organisation_for(&state, &caller, &id).await?;
    let (page, per_page) = paging(&pairs)?;
    let status = query_value(&pairs, "status");
    if !status.is_empty()
        && ![
            role_posting::DRAFT,
            role_posting::OPEN,
            role_posting::CLOSED,
        ]
        .contains(&status.as_str())
    {
        return Err(AppError::field("status", "must be draft, open or closed").into());
    }
    let roles: Vec<ManagedRoleItem> =
        role_posting::list_for_organisation(&state.db, organisation.id)
            .await?
            .into_iter()
            .filter(|m| status.is_empty() || m.role.status == status)
            .map(managed_item)
            .collect();
    Ok(Json(page_of(roles, page, per_page)))
}

#[utoipa::path(
    post,
    path = "/api/v1/organisations/{id}/roles",
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Organisation id")),
    request_body = RoleInput,
    responses(
        (status = 201, description = "The role, saved as a draft", body = RoleDetail),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not one of the organisation's people or its token", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    ip: ClientIp,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<RoleDetail>), ApiError> {
    let organisation = organisation_for(&state, &caller, &id).await?;
    let choices = choices_for(&state, organisation.id, None).await?;
    let values = checked(body, RoleForm::blank(), &choices)?;
    let txn = crate::db::begin(&state.db).await?;
    let r = role_posting::create(&txn, organisation.id, values).await?;
    record(
        &txn,
        &caller,
        &ip,
        "role.create",
        &r,
        json!({ "title": r.title }),
    )
    .await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(public_roles::find_for_preview(&state.db, r.id).await?),
    ))
}

#[utoipa::path(
    patch,
    path = "/api/v1/roles/{id}",
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Role id")),
    request_body = RoleInput,
    responses(
        (status = 200, description = "The role as saved; its status is unchanged", body = RoleDetail),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's role to manage", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<RoleDetail>, ApiError> {
    let r = role_for(&state, &caller, &id).await?;
    let choices = choices_for(&state, r.organisation_id, Some(&r)).await?;
    let saved = role_posting::form_of(&state.db, &r, &choices).await?;
    let values = checked(body, saved, &choices)?;
    let txn = crate::db::begin(&state.db).await?;
    let r = locked(&txn, r.id).await?;
    // Checked again under the lock: an acceptance may have landed since.
    let accepted = role_posting::accepted_count(&txn, r.id).await?;
    if i64::from(values.places) < accepted {
        txn.rollback().await?;
        return Err(AppError::field(
            "places",
            format!(
                "{accepted} volunteers are already accepted: the role needs at least {accepted} places"
            ),
        )
        .into());
    }
    let r = role_posting::update(&txn, r, values).await?;
    txn.commit().await?;
    Ok(Json(public_roles::find_for_preview(&state.db, r.id).await?))
}

async fn record(
    txn: &DatabaseTransaction,
    caller: &ApiCaller,
    ip: &ClientIp,
    action: &str,
    r: &role::Model,
    detail: Value,
) -> Result<(), ApiError> {
    audit::record(
        txn,
        audit::Entry {
            actor_user_id: Some(caller.0.id()),
            action,
            subject_type: "role",
            subject_id: Some(r.id),
            detail,
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    Ok(())
}

fn conflict(field: &str, message: &str) -> Failure {
    Failure::Refused {
        status: StatusCode::CONFLICT,
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/roles/{id}/open",
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Role id")),
    responses(
        (status = 200, description = "The role, open to volunteers (already open is fine)", body = RoleDetail),
        (status = 400, description = "The role is missing what volunteers need; `fields` names each", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's role to manage", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
        (status = 409, description = "The organisation is not yet approved", body = ErrorBody),
    )
)]
pub async fn open(
    State(state): State<AppState>,
    caller: ApiCaller,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Json<RoleDetail>, Failure> {
    let role_id = role_for(&state, &caller, &id).await?.id;
    let txn = crate::db::begin(&state.db).await?;
    match role_posting::open(&txn, role_id).await? {
        Ok(StatusChange::Unchanged(_)) => txn.rollback().await?,
        Ok(StatusChange::Changed { role: r, from }) => {
            let detail = json!({ "from": from, "title": r.title });
            record(&txn, &caller, &ip, "role.open", &r, detail).await?;
            txn.commit().await?;
        }
        Err(StatusRefusal::NotReady(_, missing)) => {
            txn.rollback().await?;
            return Err(AppError::invalid(missing).into());
        }
        Err(_) => {
            txn.rollback().await?;
            return Err(conflict("organisation", role_posting::NOT_APPROVED));
        }
    }
    Ok(Json(
        public_roles::find_for_preview(&state.db, role_id).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/roles/{id}/close",
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Role id")),
    responses(
        (status = 200, description = "The role, closed to applications (already closed is fine)", body = RoleDetail),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's role to manage", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
        (status = 409, description = "A draft cannot be closed", body = ErrorBody),
    )
)]
pub async fn close(
    State(state): State<AppState>,
    caller: ApiCaller,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Json<RoleDetail>, Failure> {
    let role_id = role_for(&state, &caller, &id).await?.id;
    let txn = crate::db::begin(&state.db).await?;
    match role_posting::close(&txn, role_id).await? {
        Ok(StatusChange::Unchanged(_)) => txn.rollback().await?,
        Ok(StatusChange::Changed { role: r, from }) => {
            let detail = json!({ "from": from, "title": r.title });
            record(&txn, &caller, &ip, "role.close", &r, detail).await?;
            txn.commit().await?;
        }
        Err(_) => {
            txn.rollback().await?;
            return Err(conflict("status", role_posting::DRAFT_CANNOT_CLOSE));
        }
    }
    Ok(Json(
        public_roles::find_for_preview(&state.db, role_id).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/roles/{id}/sessions",
    tag = "roles",
    security(("bearer" = [])),
    params(
        ("id" = i32, Path, description = "Role id"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "The role's sessions, past ones too, earliest first", body = Page<SessionItem>),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's role to manage", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
    )
)]
pub async fn sessions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<SessionItem>>, ApiError> {
    let r = role_for(&state, &caller, &id).await?;
    let (page, per_page) = paging(&pairs)?;
    let items = role_posting::sessions(&state.db, r.id)
        .await?
        .into_iter()
        .map(|row| SessionItem {
            id: row.session.id,
            starts_at: rfc3339(row.session.starts_at),
            ends_at: rfc3339(row.session.ends_at),
            places: row.session.places,
            accepted: row.accepted,
        })
        .collect();
    Ok(Json(page_of(items, page, per_page)))
}

/// The API's session as the session form, in London time, so the form's checks apply.
fn session_form(fields: &mut Fields) -> SessionForm {
    let starts = fields
        .instant("starts_at", true)
        .map(london_time::to_london);
    let ends = fields.instant("ends_at", true).map(london_time::to_london);
    let raw_places = fields.integer("places", false);
    let places = fits_i32(fields, "places", raw_places);
    if let (Some(s), Some(e)) = (starts, ends)
        && e.date() != s.date()
        && e > s
    {
        fields.fail(
            "ends_at",
            "A session must end on the day it starts (London time)",
        );
    }
    let clock = |t: time::OffsetDateTime| format!("{:02}:{:02}", t.hour(), t.minute());
    SessionForm {
        date: starts.map(|s| DateParts::of(s.date())).unwrap_or_default(),
        starts: starts.map(clock).unwrap_or_default(),
        ends: ends.map(clock).unwrap_or_default(),
        places: places.map(|p| p.to_string()).unwrap_or_default(),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/roles/{id}/sessions",
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Role id")),
    request_body = SessionInput,
    responses(
        (status = 201, description = "The session added", body = SessionItem),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's role to manage", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
    )
)]
pub async fn add_session(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<SessionItem>), ApiError> {
    let r = role_for(&state, &caller, &id).await?;
    let mut fields = Fields::new(body);
    let form = session_form(&mut fields);
    let rules = SessionRules {
        now: crate::db::now(),
        role_places: r.places,
    };
    let result = form.check(&rules);
    // Only the form's own problems with fields the body sent well are added.
    let problems = match &result {
        Ok(_) => FieldErrors::new(),
        Err(errors) => session_names(errors.clone().into()),
    };
    fields.finish_with(problems)?;
    let values = result.map_err(|e| ApiError(AppError::invalid(session_names(e.into()))))?;
    let txn = crate::db::begin(&state.db).await?;
    let r = locked(&txn, r.id).await?;
    let session = role_posting::add_session(&txn, r.id, values).await?;
    role_posting::touch(&txn, r).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionItem {
            id: session.id,
            starts_at: rfc3339(session.starts_at),
            ends_at: rfc3339(session.ends_at),
            places: session.places,
            accepted: 0,
        }),
    ))
}

/// The session form's fields as the API's.
fn session_names(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (name, why) in errors {
        let name = match name.as_str() {
            "date" | "starts" => "starts_at".to_owned(),
            "ends" => "ends_at".to_owned(),
            _ => name,
        };
        out.entry(name).or_insert(why);
    }
    out
}
