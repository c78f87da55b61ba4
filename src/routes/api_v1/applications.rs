//! Applications through the API: a volunteer applies (choosing sessions), sees and
//! withdraws their own; the organisation lists, reads and decides, never over-filling.
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;

use super::{Failure, Fields, JsonBody, paging, query_value, refused, rfc3339};
use crate::auth::current::{ApiCaller, ClientIp};
use crate::domain::access::{self, Action, Decision};
use crate::domain::applications::{Move, Status};
use crate::entities::{
    application, application_event, organisation, role, user, volunteer_profile,
};
use crate::error::{ApiError, AppError, ErrorBody, parse_id};
use crate::models::applications::{self as model, RefusalKind};
use crate::models::roles::Session;
use crate::models::{Named, Page, staff};
use crate::routes::QueryPairs;
use crate::state::AppState;

/// One application in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationItem {
    pub id: i32,
    /// `applied`, `accepted`, `declined`, `waitlisted` or `withdrawn`.
    pub status: String,
    pub role_id: i32,
    pub role_title: String,
    pub organisation: Named,
    pub volunteer_name: String,
    /// When the volunteer applied (RFC 3339).
    pub created_at: String,
    pub updated_at: String,
}

/// One transition in an application's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryItem {
    pub at: String,
    /// `null` for the first application.
    pub from: Option<String>,
    pub to: String,
    /// Who did it: a name, or "hubmatch" for the waitlist rule.
    pub by: String,
    pub note: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationRole {
    pub id: i32,
    pub title: String,
    pub places: i32,
    /// Places taken (accepted volunteers).
    pub accepted: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Applicant {
    pub volunteer_profile_id: i32,
    pub name: String,
    pub email: String,
    /// "Teamwork (step 6)".
    pub skills: Vec<String>,
}

/// An application in full, with its history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationDetail {
    pub id: i32,
    pub status: String,
    pub message: String,
    pub created_at: String,
    pub updated_at: String,
    pub decided_at: Option<String>,
    pub role: ApplicationRole,
    pub organisation: Named,
    pub volunteer: Applicant,
    /// The sessions the volunteer chose.
    pub sessions: Vec<Session>,
    /// Every transition, oldest first.
    pub history: Vec<HistoryItem>,
}

/// What a volunteer sends to apply.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplyInput {
    /// Up to 1000 characters, for the organisation.
    pub message: Option<String>,
    /// The upcoming sessions chosen; at least one when the role has any.
    pub session_ids: Option<Vec<i32>>,
    /// When every place is taken: join the waitlist instead of being refused.
    pub join_waitlist: Option<bool>,
}

/// The organisation's decision.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// `accept`, `decline` or `waitlist`.
    pub decision: String,
    /// Up to 1000 characters, emailed to the volunteer.
    pub message: Option<String>,
}

fn allowed(caller: &ApiCaller, action: &Action<'_>) -> bool {
    access::decide(Some(&caller.0.actor), action) == Decision::Allow
}

/// The status filter, or a 400 naming it.
pub(super) fn status_filter(pairs: &[(String, String)]) -> Result<Option<Status>, ApiError> {
    match query_value(pairs, "status").as_str() {
        "" => Ok(None),
        raw => Status::parse(raw).map(Some).ok_or_else(|| {
            AppError::field(
                "status",
                "must be applied, accepted, declined, waitlisted or withdrawn",
            )
            .into()
        }),
    }
}

/// The application in full, once the caller may see it: its volunteer, or whoever may
/// view the organisation's applications.
async fn detail_for(
    state: &AppState,
    caller: &ApiCaller,
    id: i32,
) -> Result<ApplicationDetail, ApiError> {
    let (app, role) = model::facts(&state.db, id).await?;
    let hubs = staff::hub_ids(&state.db, role.organisation_id).await?;
    let is_volunteer = allowed(
        caller,
        &Action::ActAsVolunteer {
            volunteer_profile: app.volunteer_id,
        },
    );
    let organisation_view = allowed(
        caller,
        &Action::ViewApplications {
            organisation: role.organisation_id,
            organisation_hubs: &hubs,
        },
    );
    if !is_volunteer && !organisation_view {
        return Err(AppError::Forbidden.into());
    }
    detail(state, app).await
}

async fn detail(state: &AppState, app: application::Model) -> Result<ApplicationDetail, ApiError> {
    let view = model::view(&state.db, app.id).await?;
    let organisation = organisation::Entity::find_by_id(view.organisation_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    Ok(ApplicationDetail {
        id: app.id,
        status: app.status,
        message: app.message,
        created_at: rfc3339(app.created_at),
        updated_at: rfc3339(app.updated_at),
        decided_at: app.decided_at.map(rfc3339),
        role: ApplicationRole {
            id: view.role_id,
            title: view.role_title,
            places: view.role_places,
            accepted: view.accepted,
        },
        organisation: Named {
            id: organisation.id,
            name: organisation.name,
            slug: organisation.slug,
        },
        volunteer: Applicant {
            volunteer_profile_id: view.volunteer_profile_id,
            name: view.volunteer_name,
            email: view.volunteer_email,
            skills: view.volunteer_skills,
        },
        sessions: view.sessions,
        history: history(&state.db, app.id).await?,
    })
}

/// The history with its exact times (the page's view has London dates only).
async fn history<C: ConnectionTrait>(db: &C, id: i32) -> Result<Vec<HistoryItem>, DbErr> {
    Ok(application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(id))
        .find_also_related(user::Entity)
        .order_by_asc(application_event::Column::CreatedAt)
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|(e, who)| HistoryItem {
            at: rfc3339(e.created_at),
            from: e.from_status,
            to: e.to_status,
            by: who.map_or_else(|| "hubmatch".to_owned(), |u| u.display_name),
            note: e.note,
        })
        .collect())
}

/// One page of applications matching `condition`, oldest first.
async fn list_page(
    state: &AppState,
    condition: Condition,
    page: u32,
    per_page: u32,
) -> Result<Page<ApplicationItem>, ApiError> {
    let paginator = application::Entity::find()
        .inner_join(role::Entity)
        .filter(condition)
        .order_by_asc(application::Column::CreatedAt)
        .order_by_asc(application::Column::Id)
        .paginate(&state.db, u64::from(per_page));
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(u64::from(page - 1)).await?;
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(rows.iter().map(|a| a.role_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let organisations: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(roles.values().map(|r| r.organisation_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let names: HashMap<i32, String> = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::Id.is_in(rows.iter().map(|a| a.volunteer_id)))
        .find_also_related(user::Entity)
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, u.display_name)))
        .collect();
    let items = rows
        .into_iter()
        .filter_map(|a| {
            let r = roles.get(&a.role_id)?;
            let o = organisations.get(&r.organisation_id)?;
            Some(ApplicationItem {
                id: a.id,
                status: a.status,
                role_id: r.id,
                role_title: r.title.clone(),
                organisation: Named {
                    id: o.id,
                    name: o.name.clone(),
                    slug: o.slug.clone(),
                },
                volunteer_name: names.get(&a.volunteer_id).cloned().unwrap_or_default(),
                created_at: rfc3339(a.created_at),
                updated_at: rfc3339(a.updated_at),
            })
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// The caller's volunteer profile, once they may volunteer (not an organisation's token).
fn volunteer_of(caller: &ApiCaller) -> Result<i32, ApiError> {
    caller.require(&Action::Volunteer)?;
    Ok(caller
        .0
        .actor
        .volunteer_profile
        .ok_or(AppError::Forbidden)?)
}

#[utoipa::path(
    post,
    path = "/api/v1/roles/{id}/applications",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Role id")),
    request_body = ApplyInput,
    responses(
        (status = 201, description = "The application (status `applied`, or `waitlisted` when the volunteer agreed to wait)", body = ApplicationDetail),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a volunteer, or too young for this role", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
        (status = 409, description = "The role is closed or full, or the volunteer has already applied", body = ErrorBody),
    )
)]
pub async fn apply(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<ApplicationDetail>), Failure> {
    let profile = volunteer_of(&caller)?;
    let role_id = parse_id(&id, "id")?;
    let mut fields = Fields::new(body);
    let message = fields.string("message", false).unwrap_or_default();
    let session_ids = fields.integers("session_ids").unwrap_or_default();
    let join_waitlist = fields.boolean("join_waitlist", false).unwrap_or(false);
    fields.finish()?;
    let done = model::apply(
        &state.db,
        &state.base_url,
        profile,
        role_id,
        &message,
        &session_ids,
        caller.0.id(),
        join_waitlist,
    )
    .await
    .map_err(|e| match e {
        // A full role names the field that would let the volunteer wait for a place.
        model::Error::Refused(mut r) if r.kind == RefusalKind::Full => {
            r.field = "join_waitlist";
            refused(model::Error::Refused(r), &[])
        }
        e => refused(e, &[("sessions", "session_ids")]),
    })?;
    let (app, _) = model::facts(&state.db, done.application_id).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, app).await?)))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/applications",
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "applied, accepted, declined, waitlisted or withdrawn"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "The caller's own applications, oldest first", body = Page<ApplicationItem>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a volunteer (or an organisation's token)", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<ApplicationItem>>, ApiError> {
    let profile = volunteer_of(&caller)?;
    let (page, per_page) = paging(&pairs)?;
    let mut condition = Condition::all().add(application::Column::VolunteerId.eq(profile));
    if let Some(s) = status_filter(&pairs)? {
        condition = condition.add(application::Column::Status.eq(s.as_str()));
    }
    Ok(Json(list_page(&state, condition, page, per_page).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/applications",
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = i32, Path, description = "Organisation id"),
        ("status" = Option<String>, Query, description = "applied, accepted, declined, waitlisted or withdrawn"),
        ("role" = Option<i32>, Query, description = "Only this role's applications (role id)"),
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Applications to the organisation's roles, oldest first", body = Page<ApplicationItem>),
        (status = 400, description = "A parameter is not valid; `fields` names it", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not allowed to see the organisation's applications", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
    )
)]
pub async fn organisation_applications(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Page<ApplicationItem>>, ApiError> {
    let id = parse_id(&id, "id")?;
    let hubs = staff::hub_ids(&state.db, id).await?;
    caller.require(&Action::ViewApplications {
        organisation: id,
        organisation_hubs: &hubs,
    })?;
    let organisation = staff::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let (page, per_page) = paging(&pairs)?;
    let mut condition = Condition::all().add(role::Column::OrganisationId.eq(organisation.id));
    if let Some(s) = status_filter(&pairs)? {
        condition = condition.add(application::Column::Status.eq(s.as_str()));
    }
    match query_value(&pairs, "role").as_str() {
        "" => {}
        raw => {
            let role_id = parse_id(raw, "role")?;
            condition = condition.add(application::Column::RoleId.eq(role_id));
        }
    }
    Ok(Json(list_page(&state, condition, page, per_page).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application, with its sessions and history", body = ApplicationDetail),
        (status = 400, description = "Not a valid id", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Neither its volunteer nor allowed to see the organisation's applications", body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ApplicationDetail>, ApiError> {
    let id = parse_id(&id, "id")?;
    Ok(Json(detail_for(&state, &caller, id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/decision",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Application id")),
    request_body = DecisionInput,
    responses(
        (status = 200, description = "The application after the decision", body = ApplicationDetail),
        (status = 400, description = "The body is not valid; `fields` names each problem", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not allowed to decide the organisation's applications", body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 409, description = "Every place is taken, or the application cannot move that way", body = ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    caller: ApiCaller,
    ip: ClientIp,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ApplicationDetail>, Failure> {
    let id = parse_id(&id, "id")?;
    let (_, role) = model::facts(&state.db, id).await?;
    // Permission first, so an unauthorised call is a 403 whatever it carries.
    caller.require(&Action::DecideApplications {
        organisation: role.organisation_id,
    })?;
    let mut fields = Fields::new(body);
    let decision = fields.choice("decision", &["accept", "decline", "waitlist"], true);
    let message = fields.string("message", false).unwrap_or_default();
    fields.finish()?;
    let decision = match decision.as_deref() {
        Some("accept") => Move::Accept,
        Some("decline") => Move::Decline,
        Some("waitlist") => Move::Waitlist,
        _ => {
            return Err(
                AppError::field("decision", "must be one of: accept, decline, waitlist").into(),
            );
        }
    };
    model::decide(
        &state.db,
        &state.base_url,
        id,
        decision,
        caller.0.id(),
        &message,
        Some(ip.to_string()),
    )
    .await
    .map_err(|e| refused(e, &[]))?;
    let (app, _) = model::facts(&state.db, id).await?;
    Ok(Json(detail(&state, app).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/withdraw",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application, withdrawn", body = ApplicationDetail),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the caller's own application", body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 409, description = "Already withdrawn, or not successful", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ApplicationDetail>, Failure> {
    let id = parse_id(&id, "id")?;
    let (app, _) = model::facts(&state.db, id).await?;
    caller.require(&Action::ActAsVolunteer {
        volunteer_profile: app.volunteer_id,
    })?;
    model::withdraw(&state.db, &state.base_url, id, caller.0.id())
        .await
        .map_err(|e| {
            // The request has no fields: a refusal is about the application's status.
            let e = match e {
                model::Error::Refused(mut r) => {
                    r.field = "status";
                    model::Error::Refused(r)
                }
                e => e,
            };
            refused(e, &[])
        })?;
    let (app, _) = model::facts(&state.db, id).await?;
    Ok(Json(detail(&state, app).await?))
}
