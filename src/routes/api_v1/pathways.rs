//! Skills pathways through the API: the pathways and a volunteer's progress, joining,
//! organisations tagging roles and signing off skills and training, alliance admins
//! defining pathways and withdrawing certificates, checking a certificate, and the Duke
//! of Edinburgh's Award export.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use super::{Fields, JsonBody, fits_i32, page_of, paging, query_value, refused};
use crate::auth::current::ApiCaller;
use crate::domain::access::Action;
use crate::domain::pathways as rules;
use crate::error::{ApiError, AppError, ErrorBody, parse_id};
use crate::models::hours::{self, HoursClaim};
use crate::models::pathways::{
    self, Certificate, DofeExport, PathwayCounts, PathwayProgress, PathwaySummary,
    RequirementInput, SignOff, SignOffOutcome, TrainingDone, Verification,
};
use crate::models::{Page, applications as application_model, role_posting};
use crate::routes::QueryPairs;
use crate::state::AppState;

/// A page of pathways.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PathwayList {
    pub items: Vec<PathwaySummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl From<Page<PathwaySummary>> for PathwayList {
    fn from(p: Page<PathwaySummary>) -> Self {
        Self {
            items: p.items,
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

/// The caller's pathways with progress.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyPathways {
    pub items: Vec<PathwayProgress>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// What an organisation sends to sign off a skill.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignOffInput {
    /// A volunteer who applied to one of the organisation's roles.
    pub volunteer_profile_id: i32,
    /// Skill slug, e.g. `teamwork`, `english`.
    pub skill: String,
    /// Skills Builder step 0–15 for essential skills; 1 (Entry Level 1) to 5 (Level 2)
    /// for English, maths and digital; 0–15 for practical skills.
    pub level: i32,
    /// What you saw them do, 10–1000 characters.
    pub evidence: String,
}

/// Training an organisation records.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrainingInput {
    pub volunteer_profile_id: i32,
    /// One of: food-hygiene, first-aid, safeguarding-awareness, manual-handling,
    /// data-protection, dementia-friends, digital-inclusion.
    pub item: String,
    /// `YYYY-MM-DD`, not in the future.
    pub completed_on: String,
}

/// Which stages a role counts toward.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoleStagesInput {
    pub stage_ids: Vec<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoleStages {
    pub role_id: i32,
    pub stage_ids: Vec<i32>,
}

/// A new pathway.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PathwayInput {
    /// Lower-case letters, digits and hyphens.
    pub slug: String,
    pub name: String,
    pub summary: Option<String>,
}

/// A new stage, added after the last.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StageInput {
    pub name: String,
    pub description: Option<String>,
    /// What roles are tagged with; unique; lower-case letters, digits and hyphens.
    pub tag: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StageCreated {
    pub id: i32,
    pub position: i32,
    pub tag: String,
}

/// A requirement: `kind` and what that kind needs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequirementBody {
    /// `hours`, `skill`, `training` or `sign_off`.
    pub kind: String,
    /// For `hours`: whole hours, 1–500.
    pub hours: Option<i32>,
    /// For `skill`: the skill's slug.
    pub skill: Option<String>,
    /// For `skill`: the level needed, on the skill's scale.
    pub min_level: Option<i32>,
    /// For `training`: the item.
    pub training_item: Option<String>,
    /// For `sign_off`: the organisation (any when left out).
    pub organisation_id: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i32,
}

/// Hours logged toward a stage.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StageHoursInput {
    /// An accepted application whose role counts toward the stage.
    pub application_id: i32,
    pub worked_on: String,
    pub minutes: i32,
    pub note: Option<String>,
}

fn bad(e: rules::FieldError) -> ApiError {
    ApiError(AppError::field(e.field, e.message))
}

fn volunteer_of(caller: &ApiCaller) -> Result<i32, ApiError> {
    caller.require(&Action::Volunteer)?;
    Ok(caller
        .0
        .actor
        .volunteer_profile
        .ok_or(AppError::Forbidden)?)
}

#[utoipa::path(
    get,
    path = "/api/v1/pathways",
    tag = "pathways",
    params(
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1–100"),
    ),
    responses(
        (status = 200, description = "Active pathways, by name", body = PathwayList),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<PathwayList>, ApiError> {
    let (page, per_page) = paging(&pairs)?;
    let all = pathways::list(&state.db, false).await?;
    Ok(Json(page_of(all, page, per_page).into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/pathways",
    tag = "pathways",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's pathways: stages done, what is left, the next stage, certificates", body = MyPathways),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a volunteer", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<MyPathways>, ApiError> {
    let me = volunteer_of(&caller)?;
    let items = pathways::my_progress(&state.db, &state.base_url, me).await?;
    let total = items.len() as u64;
    Ok(Json(MyPathways {
        per_page: u32::try_from(total.max(1)).unwrap_or(u32::MAX),
        items,
        total,
        page: 1,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/pathways/{slug}/enrol",
    tag = "pathways",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The pathway's slug")),
    responses(
        (status = 201, description = "On the pathway, with progress", body = PathwayProgress),
        (status = 400, description = "Not open, or the caller's age is outside the pathway's; `fields.pathway` says why", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not a volunteer", body = ErrorBody),
        (status = 404, description = "No such pathway", body = ErrorBody),
    )
)]
pub async fn enrol(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
) -> Result<(StatusCode, Json<PathwayProgress>), ApiError> {
    let me = volunteer_of(&caller)?;
    pathways::enrol(&state.db, me, &slug).await?;
    pathways::refresh_in_own_transaction(&state.db, &state.base_url, me).await?;
    let p = pathways::find_by_slug(&state.db, &slug).await?;
    let progress = pathways::progress_on(&state.db, me, &p).await?;
    Ok((StatusCode::CREATED, Json(progress)))
}

#[utoipa::path(
    post,
    path = "/api/v1/organisations/{id}/sign-offs",
    tag = "pathways",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Organisation id")),
    request_body = SignOffInput,
    responses(
        (status = 201, description = "Signed off (who and when recorded); any stage it completes is listed", body = SignOffOutcome),
        (status = 400, description = "A field is not valid (e.g. `level` out of range, a volunteer the organisation does not know)", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's staff", body = ErrorBody),
    )
)]
pub async fn sign_off(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<SignOffOutcome>), ApiError> {
    let organisation = parse_id(&id, "id")?;
    caller.require(&Action::SignOffSkills { organisation })?;
    let mut fields = Fields::new(body);
    let raw = fields.integer("volunteer_profile_id", true);
    let volunteer = fits_i32(&mut fields, "volunteer_profile_id", raw);
    let skill = fields.string("skill", true);
    let level = fields.integer("level", true);
    let evidence = fields.string("evidence", true);
    fields.finish()?;
    let (Some(volunteer_profile_id), Some(skill), Some(level), Some(evidence)) =
        (volunteer, skill, level, evidence)
    else {
        return Err(AppError::field("body", "is incomplete").into());
    };
    let outcome = pathways::sign_off(
        &state.db,
        &state.base_url,
        &SignOff {
            organisation_id: organisation,
            volunteer_profile_id,
            skill,
            level,
            evidence,
            signed_by: caller.0.id(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(outcome)))
}

#[utoipa::path(
    post,
    path = "/api/v1/organisations/{id}/training",
    tag = "pathways",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Organisation id")),
    request_body = TrainingInput,
    responses(
        (status = 201, description = "Recorded; any stage it completes is listed", body = SignOffOutcome),
        (status = 400, description = "A field is not valid", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's staff", body = ErrorBody),
    )
)]
pub async fn training(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<SignOffOutcome>), ApiError> {
    let organisation = parse_id(&id, "id")?;
    caller.require(&Action::SignOffSkills { organisation })?;
    let mut fields = Fields::new(body);
    let raw = fields.integer("volunteer_profile_id", true);
    let volunteer = fits_i32(&mut fields, "volunteer_profile_id", raw);
    let item = fields.string("item", true);
    let completed_on = fields.date("completed_on", true);
    fields.finish()?;
    let (Some(volunteer_profile_id), Some(item), Some(completed_on)) =
        (volunteer, item, completed_on)
    else {
        return Err(AppError::field("body", "is incomplete").into());
    };
    let outcome = pathways::record_training(
        &state.db,
        &state.base_url,
        &TrainingDone {
            organisation_id: organisation,
            volunteer_profile_id,
            item,
            completed_on,
            signed_by: caller.0.id(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(outcome)))
}

#[utoipa::path(
    put,
    path = "/api/v1/roles/{id}/pathway-stages",
    tag = "pathways",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Role id")),
    request_body = RoleStagesInput,
    responses(
        (status = 200, description = "The stages the role now counts toward", body = RoleStages),
        (status = 400, description = "An unknown stage", body = ErrorBody),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the organisation's staff", body = ErrorBody),
        (status = 404, description = "No such role", body = ErrorBody),
    )
)]
pub async fn role_stages(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<RoleStages>, ApiError> {
    let role_id = parse_id(&id, "id")?;
    let role = role_posting::find(&state.db, role_id)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    caller.require(&Action::ManageRoles {
        organisation: role.organisation_id,
    })?;
    let mut fields = Fields::new(body);
    let stage_ids = fields.integers("stage_ids");
    if !fields.present("stage_ids") {
        fields.fail("stage_ids", "is required (an empty list removes every tag)");
    }
    fields.finish()?;
    let stage_ids = stage_ids.unwrap_or_default();
    pathways::set_role_stages(&state.db, caller.0.id(), role_id, &stage_ids)
        .await
        .map_err(|e| match e {
            AppError::BadRequest { .. } => AppError::field(
                "stage_ids",
                e.fields().into_values().next().unwrap_or_default(),
            ),
            other => other,
        })?;
    let mut stage_ids = stage_ids;
    stage_ids.sort_unstable();
    stage_ids.dedup();
    Ok(Json(RoleStages { role_id, stage_ids }))
}

#[utoipa::path(
    get,
    path = "/api/v1/certificates/{serial}/verify",
    tag = "pathways",
    params(
        ("serial" = String, Path, description = "The certificate serial"),
        ("token" = String, Query, description = "The signed token from the verification link"),
    ),
    responses(
        (status = 200, description = "`valid`, `revoked` or `not_valid` (tampered, or not ours); no account needed", body = Verification),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Path(serial): Path<String>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Verification>, ApiError> {
    let token = query_value(&pairs, "token");
    let mut v = pathways::verify(&state.db, &state.base_url, &token).await?;
    // A good token for another certificate does not vouch for this serial.
    if v.certificate.as_ref().is_some_and(|c| c.serial != serial) {
        v = Verification {
            status: "not_valid".into(),
            certificate: None,
        };
    }
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/api/v1/certificates/{serial}",
    tag = "pathways",
    security(("bearer" = [])),
    params(("serial" = String, Path, description = "The certificate serial")),
    responses(
        (status = 200, description = "The certificate, with its verification URL", body = Certificate),
        (status = 401, description = "No, a wrong or a revoked token", body = ErrorBody),
        (status = 403, description = "Not the caller's certificate", body = ErrorBody),
        (status = 404, description = "No such certificate", body = ErrorBody),
    )
)]
pub async fn certificate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(serial): Path<String>,
) -> Result<Json<Certificate>, ApiError> {
    let c = pathways::certificate(&state.db, &state.base_url, &serial).await?;
    if caller.require(&Action::ManagePathways).is_err() {
        caller.require(&Action::ActAsVolunteer {
            volunteer_profile: c.volunteer_profile_id,
        })?;
    }
    Ok(Json(c))
}

#[utoipa::path(
    post,
    path = "/api/v1/certificates/{serial}/revoke",
    tag = "pathways",
    security(("bearer" = [])),
    params(("serial" = String, Path, description = "The certificate serial")),
    request_body(content = Object, description = "`{\"reason\": \"why\"}`"),
    responses(
        (status = 200, description = "Withdrawn: its verification link now says revoked", body = Verification),
        (status = 400, description = "No reason", body = ErrorBody),
        (status = 403, description = "Not an alliance admin", body = ErrorBody),
        (status = 404, description = "No such certificate", body = ErrorBody),
        (status = 409, description = "Already withdrawn", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(serial): Path<String>,
    body: JsonBody,
) -> Result<Json<Verification>, ApiError> {
    caller.require(&Action::ManagePathways)?;
    let mut fields = Fields::new(body);
    let reason = fields.string("reason", true);
    fields.finish()?;
    pathways::revoke(
        &state.db,
        caller.0.id(),
        &serial,
        &reason.unwrap_or_default(),
    )
    .await?;
    let c = pathways::certificate(&state.db, &state.base_url, &serial).await?;
    Ok(Json(Verification {
        status: "revoked".into(),
        certificate: Some(c),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/pathways/dofe",
    tag = "pathways",
    security(("bearer" = [])),
    params(("months" = u32, Query, description = "3, 6 or 12")),
    responses(
        (status = 200, description = "Confirmed hours and activities of the period, with each activity's assessor", body = DofeExport),
        (status = 400, description = "`months` is not 3, 6 or 12", body = ErrorBody),
        (status = 403, description = "Not a volunteer", body = ErrorBody),
    )
)]
pub async fn dofe(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<DofeExport>, ApiError> {
    let me = volunteer_of(&caller)?;
    let months = rules::check_dofe_months(&query_value(&pairs, "months")).map_err(bad)?;
    Ok(Json(pathways::dofe_export(&state.db, me, months).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/me/pathways/stages/{stage_id}/hours",
    tag = "pathways",
    security(("bearer" = [])),
    params(("stage_id" = i32, Path, description = "The stage the hours are for")),
    request_body = StageHoursInput,
    responses(
        (status = 201, description = "Logged, waiting for the organisation to confirm", body = Created),
        (status = 400, description = "A field is not valid; `stage_id` when the role does not count toward the stage", body = ErrorBody),
        (status = 403, description = "Not the caller's application", body = ErrorBody),
        (status = 409, description = "The application is not accepted", body = ErrorBody),
    )
)]
pub async fn stage_hours(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(stage_id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<Created>), super::Failure> {
    let stage_id = parse_id(&stage_id, "stage_id")?;
    volunteer_of(&caller)?;
    let mut fields = Fields::new(body);
    let raw = fields.integer("application_id", true);
    let application_id = fits_i32(&mut fields, "application_id", raw);
    let worked_on = fields.date("worked_on", true);
    let raw_minutes = fields.integer("minutes", true);
    let minutes = fits_i32(&mut fields, "minutes", raw_minutes);
    let note = fields.string("note", false).unwrap_or_default();
    fields.finish()?;
    let (Some(application_id), Some(worked_on), Some(minutes)) =
        (application_id, worked_on, minutes)
    else {
        return Err(AppError::field("body", "is incomplete").into());
    };
    let (app, role) = application_model::facts(&state.db, application_id).await?;
    caller.require(&Action::ActAsVolunteer {
        volunteer_profile: app.volunteer_id,
    })?;
    // Refused before anything is written.
    pathways::check_role_counts_toward(&state.db, role.id, stage_id).await?;
    let claim = HoursClaim {
        worked_on,
        minutes,
        session_id: None,
        note,
    };
    let id = hours::log(&state.db, &state.base_url, application_id, &claim)
        .await
        .map_err(|e| refused(e, &[("hours", "minutes")]))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(
    post,
    path = "/api/v1/pathways",
    tag = "pathways",
    security(("bearer" = [])),
    request_body = PathwayInput,
    responses(
        (status = 201, description = "Created (active, for ages 14–25)", body = Created),
        (status = 400, description = "A field is not valid", body = ErrorBody),
        (status = 403, description = "Not an alliance admin", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(&Action::ManagePathways)?;
    let mut fields = Fields::new(body);
    let slug = fields.string("slug", true).unwrap_or_default();
    let name = fields.string("name", true).unwrap_or_default();
    let summary = fields.string("summary", false).unwrap_or_default();
    fields.finish()?;
    let p = pathways::create_pathway(
        &state.db,
        caller.0.id(),
        &pathways::NewPathway {
            slug,
            name,
            summary,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: p.id })))
}

#[utoipa::path(
    post,
    path = "/api/v1/pathways/{slug}/stages",
    tag = "pathways",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The pathway's slug")),
    request_body = StageInput,
    responses(
        (status = 201, description = "Added after the last stage", body = StageCreated),
        (status = 400, description = "A field is not valid", body = ErrorBody),
        (status = 403, description = "Not an alliance admin", body = ErrorBody),
        (status = 404, description = "No such pathway", body = ErrorBody),
    )
)]
pub async fn add_stage(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<StageCreated>), ApiError> {
    caller.require(&Action::ManagePathways)?;
    let p = pathways::find_by_slug(&state.db, &slug).await?;
    let mut fields = Fields::new(body);
    let name = fields.string("name", true).unwrap_or_default();
    let description = fields.string("description", false).unwrap_or_default();
    let tag = fields.string("tag", true).unwrap_or_default();
    fields.finish()?;
    let s = pathways::add_stage(&state.db, caller.0.id(), p.id, &name, &description, &tag).await?;
    Ok((
        StatusCode::CREATED,
        Json(StageCreated {
            id: s.id,
            position: s.position,
            tag: s.tag,
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/pathway-stages/{id}/requirements",
    tag = "pathways",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Stage id")),
    request_body = RequirementBody,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "A field is not valid (e.g. `min_level` outside the skill's scale)", body = ErrorBody),
        (status = 403, description = "Not an alliance admin", body = ErrorBody),
        (status = 404, description = "No such stage", body = ErrorBody),
    )
)]
pub async fn add_requirement(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(&Action::ManagePathways)?;
    let stage_id = parse_id(&id, "id")?;
    let mut fields = Fields::new(body);
    let kind = fields.string("kind", true).unwrap_or_default();
    let hours = fields.integer("hours", false);
    let skill = fields.string("skill", false).unwrap_or_default();
    let min_level = fields.integer("min_level", false);
    let training_item = fields.string("training_item", false).unwrap_or_default();
    let raw_org = fields.integer("organisation_id", false);
    let organisation_id = fits_i32(&mut fields, "organisation_id", raw_org);
    fields.finish()?;
    let r = pathways::add_requirement(
        &state.db,
        caller.0.id(),
        stage_id,
        &RequirementInput {
            kind,
            hours,
            skill,
            min_level,
            training_item,
            organisation_id,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: r.id })))
}

#[utoipa::path(
    get,
    path = "/api/v1/reports/pathways",
    tag = "pathways",
    security(("bearer" = [])),
    params(("hub" = Option<i32>, Query, description = "One hub (coordinators: their own)")),
    responses(
        (status = 200, description = "Young volunteers per pathway by hub and stage; counts of 1–4 (and any that would reveal them) are \"suppressed\"", body = Vec<PathwayCounts>),
        (status = 400, description = "`hub` is not an id", body = ErrorBody),
        (status = 403, description = "Not an alliance admin or the hub's coordinator", body = ErrorBody),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    caller: ApiCaller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<PathwayCounts>>, ApiError> {
    let raw = query_value(&pairs, "hub");
    let hub = if raw.is_empty() {
        None
    } else {
        Some(parse_id(&raw, "hub")?)
    };
    caller.require(&Action::ViewPathwayReport { hub })?;
    Ok(Json(pathways::report(&state.db, hub).await?))
}

/// Every pathway route of the API.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(mine))
        .routes(routes!(enrol))
        .routes(routes!(add_stage))
        .routes(routes!(add_requirement))
        .routes(routes!(sign_off))
        .routes(routes!(training))
        .routes(routes!(role_stages))
        .routes(routes!(certificate))
        .routes(routes!(verify))
        .routes(routes!(revoke))
        .routes(routes!(dofe))
        .routes(routes!(stage_hours))
        .routes(routes!(report))
}
