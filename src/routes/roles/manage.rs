//! An organisation's people post and manage its roles: the list of all its roles, the
//! role form (new and edit), opening, closing, duplicating, sessions, and a preview.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sea_orm::DatabaseTransaction;
use serde::Deserialize;
use serde_json::json;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::entities::{organisation, role};
use crate::error::{AppError, parse_id};
use crate::models::role_posting::{
    self, COMMITMENTS, DateParts, LOCATION_TYPES, ManagedRole, RoleChoices, RoleForm, SessionForm,
    SessionRow, SessionRules, SkillChoice, StatusChange, StatusRefusal,
};
use crate::models::roles::{self, RoleDetail};
use crate::models::{audit, staff};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/roles", get(list))
        .route("/organisations/{id}/roles/new", get(new_form).post(create))
        .route("/roles/{id}/edit", get(edit_form).post(save))
        .route("/roles/{id}/open", post(open))
        .route("/roles/{id}/close", post(close))
        .route("/roles/{id}/duplicate", post(duplicate))
        .route("/roles/{id}/sessions", get(sessions).post(add_session))
        .route(
            "/roles/{id}/sessions/{session_id}/remove",
            post(remove_session),
        )
        .route("/roles/{id}/preview", get(preview))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

fn notice(done: &str) -> &'static str {
    match done {
        "created" => "Role saved as a draft. Add its sessions, then open it to volunteers.",
        "saved" => "Role saved.",
        "opened" => "Role opened: volunteers can now find it and apply.",
        "closed" => "Role closed: it no longer takes applications.",
        "copied" => "This is a copy, saved as a draft. Change what you need, then open it.",
        "session-added" => "Session added.",
        "session-removed" => "Session removed.",
        _ => "",
    }
}

/// The organisation, once the signed-in person may manage its roles (403 first).
async fn organisation_for(
    state: &AppState,
    signed: &SignedIn,
    raw_id: &str,
) -> Result<organisation::Model, AppError> {
    let id = parse_id(raw_id, "id")?;
    signed.require(&Action::ManageRoles { organisation: id })?;
    staff::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

/// The role, once the signed-in person may manage its organisation's roles.
async fn role_for(
    state: &AppState,
    signed: &SignedIn,
    raw_id: &str,
) -> Result<role::Model, AppError> {
    let r = role_posting::find(&state.db, parse_id(raw_id, "id")?)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    signed.require(&Action::ManageRoles {
        organisation: r.organisation_id,
    })?;
    Ok(r)
}

/// The role again inside the transaction, locked, so concurrent changes take turns.
async fn locked(txn: &DatabaseTransaction, id: i32) -> Result<role::Model, AppError> {
    role_posting::lock(txn, id)
        .await?
        .ok_or(AppError::NotFound("role"))
}

async fn record(
    txn: &DatabaseTransaction,
    signed: &SignedIn,
    ip: &ClientIp,
    action: &str,
    r: &role::Model,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
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

// ---- the organisation's roles ----

#[derive(Template, WebTemplate)]
#[template(path = "roles/manage/list.html")]
pub struct RolesList {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub roles: Vec<ManagedRole>,
    pub notice: &'static str,
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<RolesList, AppError> {
    let organisation = organisation_for(&state, &signed, &id).await?;
    Ok(RolesList {
        page,
        roles: role_posting::list_for_organisation(&state.db, organisation.id).await?,
        organisation,
        notice: notice(&q.done),
    })
}

// ---- the role form ----

/// Skills under their group's heading.
pub struct SkillGroup {
    pub heading: &'static str,
    pub hint: &'static str,
    pub skills: Vec<SkillChoice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/manage/form.html")]
pub struct RoleFormPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    /// None for a new role.
    pub role: Option<role::Model>,
    pub errors: FormErrors,
    pub form: RoleForm,
    pub choices: RoleChoices,
    pub skill_groups: Vec<SkillGroup>,
    pub notice: &'static str,
    /// Set when opening was refused: the form shows what is missing.
    pub cannot_open: bool,
}

impl RoleFormPage {
    fn action(&self) -> String {
        match &self.role {
            Some(r) => format!("/roles/{}/edit", r.id),
            None => format!("/organisations/{}/roles/new", self.organisation.id),
        }
    }

    fn location_types(&self) -> &'static [(&'static str, &'static str)] {
        &LOCATION_TYPES
    }

    fn commitments(&self) -> &'static [(&'static str, &'static str)] {
        &COMMITMENTS
    }

    fn cause_checked(&self, slug: &str) -> bool {
        self.form.has_cause(slug)
    }

    fn skill_level(&self, slug: &str) -> &str {
        self.form.skill_level(slug)
    }
}

fn skill_groups(skills: &[SkillChoice]) -> Vec<SkillGroup> {
    [
        (
            "essential",
            "Essential skills",
            "Skills Builder steps 0 to 15.",
        ),
        (
            "functional",
            "English, maths and digital",
            "Functional Skills levels.",
        ),
        ("practical", "Practical skills", "Steps 0 to 15."),
    ]
    .into_iter()
    .map(|(group, heading, hint)| SkillGroup {
        heading,
        hint,
        skills: skills
            .iter()
            .filter(|s| s.group == group)
            .cloned()
            .collect(),
    })
    .filter(|g| !g.skills.is_empty())
    .collect()
}

async fn choices_for(
    state: &AppState,
    organisation_id: i32,
    existing: Option<&role::Model>,
) -> Result<RoleChoices, AppError> {
    Ok(role_posting::choices(&state.db, organisation_id, existing).await?)
}

fn typed(fields: &FormFields, choices: &RoleChoices) -> RoleForm {
    RoleForm {
        title: fields.trimmed("title"),
        summary: fields.trimmed("summary"),
        description: fields.get("description").trim_end().to_owned(),
        causes: fields
            .all("causes")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        skills: choices
            .skills
            .iter()
            .filter_map(|s| {
                let level = fields.trimmed(&s.field());
                (!level.is_empty()).then(|| (s.slug.clone(), level))
            })
            .collect(),
        location_type: fields.trimmed("location_type"),
        ward: fields.trimmed("ward"),
        postcode_district: fields.trimmed("postcode_district"),
        min_age: fields.trimmed("min_age"),
        youth_friendly: fields.checked("youth_friendly"),
        dbs_required: fields.checked("dbs_required"),
        places: fields.trimmed("places"),
        commitment: fields.trimmed("commitment"),
        hours_per_week: fields.trimmed("hours_per_week"),
        closes_on: DateParts {
            day: fields.trimmed("closes_on_day"),
            month: fields.trimmed("closes_on_month"),
            year: fields.trimmed("closes_on_year"),
        },
        contact_name: fields.trimmed("contact_name"),
        contact_email: fields.trimmed("contact_email"),
        hub: fields.trimmed("hub"),
    }
}

async fn new_form(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<RoleFormPage, AppError> {
    let organisation = organisation_for(&state, &signed, &id).await?;
    let choices = choices_for(&state, organisation.id, None).await?;
    let form = RoleForm {
        contact_name: signed.0.user.display_name.clone(),
        contact_email: organisation.email.clone().unwrap_or_default(),
        ..RoleForm::blank()
    };
    Ok(RoleFormPage {
        page,
        organisation,
        role: None,
        errors: FormErrors::new(),
        form,
        skill_groups: skill_groups(&choices.skills),
        choices,
        notice: "",
        cannot_open: false,
    })
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let organisation = organisation_for(&state, &signed, &id).await?;
    let choices = choices_for(&state, organisation.id, None).await?;
    let form = typed(&fields, &choices);
    let values = match form.check(&choices) {
        Ok(values) => values,
        Err(errors) => {
            return Ok(reshow(page, organisation, None, errors, form, choices));
        }
    };
    let txn = crate::db::begin(&state.db).await?;
    let r = role_posting::create(&txn, organisation.id, values).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/roles/{}/sessions?done=created", r.id)).into_response())
}

fn reshow(
    page: PageContext,
    organisation: organisation::Model,
    role: Option<role::Model>,
    errors: FormErrors,
    form: RoleForm,
    choices: RoleChoices,
) -> Response {
    (
        StatusCode::BAD_REQUEST,
        RoleFormPage {
            page,
            organisation,
            role,
            errors,
            form,
            skill_groups: skill_groups(&choices.skills),
            choices,
            notice: "",
            cannot_open: false,
        },
    )
        .into_response()
}

async fn organisation_of(
    state: &AppState,
    r: &role::Model,
) -> Result<organisation::Model, AppError> {
    staff::find(&state.db, r.organisation_id)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

async fn edit_form(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<RoleFormPage, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let organisation = organisation_of(&state, &r).await?;
    let choices = choices_for(&state, organisation.id, Some(&r)).await?;
    let form = role_posting::form_of(&state.db, &r, &choices).await?;
    Ok(RoleFormPage {
        page,
        organisation,
        role: Some(r),
        errors: FormErrors::new(),
        form,
        skill_groups: skill_groups(&choices.skills),
        choices,
        notice: notice(&q.done),
        cannot_open: false,
    })
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let organisation = organisation_of(&state, &r).await?;
    let choices = choices_for(&state, organisation.id, Some(&r)).await?;
    let form = typed(&fields, &choices);
    let values = match form.check(&choices) {
        Ok(values) => values,
        Err(errors) => return Ok(reshow(page, organisation, Some(r), errors, form, choices)),
    };
    let txn = crate::db::begin(&state.db).await?;
    let r = locked(&txn, r.id).await?;
    // Checked again under the lock: an acceptance may have landed since the form was read.
    let accepted = role_posting::accepted_count(&txn, r.id).await?;
    if i64::from(values.places) < accepted {
        txn.rollback().await?;
        let mut errors = FormErrors::new();
        errors.add(
            "places",
            format!(
                "{accepted} volunteers are already accepted: the role needs at least {accepted} places"
            ),
        );
        return Ok(reshow(page, organisation, Some(r), errors, form, choices));
    }
    let r = role_posting::update(&txn, r, values).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/roles/{}/sessions?done=saved", r.id)).into_response())
}

// ---- status ----

async fn open(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let txn = crate::db::begin(&state.db).await?;
    match role_posting::open(&txn, r.id).await? {
        Ok(StatusChange::Unchanged(_)) => txn.rollback().await?,
        Ok(StatusChange::Changed { role: r, from }) => {
            let detail = json!({ "from": from, "title": r.title });
            record(&txn, &signed, &ip, "role.open", &r, detail).await?;
            txn.commit().await?;
        }
        Err(StatusRefusal::NotReady(r, missing)) => {
            txn.rollback().await?;
            let organisation = organisation_of(&state, &r).await?;
            let choices = choices_for(&state, organisation.id, Some(&r)).await?;
            let form = role_posting::form_of(&state.db, &r, &choices).await?;
            let page = RoleFormPage {
                page,
                organisation,
                role: Some(*r),
                errors: FormErrors::from(missing),
                form,
                skill_groups: skill_groups(&choices.skills),
                choices,
                notice: "",
                cannot_open: true,
            };
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(_) => {
            txn.rollback().await?;
            return Err(AppError::field("organisation", role_posting::NOT_APPROVED));
        }
    }
    Ok(Redirect::to(&format!("/roles/{}/sessions?done=opened", r.id)).into_response())
}

async fn close(
    State(state): State<AppState>,
    signed: SignedIn,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let txn = crate::db::begin(&state.db).await?;
    match role_posting::close(&txn, r.id).await? {
        Ok(StatusChange::Unchanged(_)) => txn.rollback().await?,
        Ok(StatusChange::Changed { role: r, from }) => {
            let detail = json!({ "from": from, "title": r.title });
            record(&txn, &signed, &ip, "role.close", &r, detail).await?;
            txn.commit().await?;
        }
        Err(_) => {
            txn.rollback().await?;
            return Err(AppError::field("status", role_posting::DRAFT_CANNOT_CLOSE));
        }
    }
    Ok(Redirect::to(&format!("/roles/{}/sessions?done=closed", r.id)).into_response())
}

async fn duplicate(
    State(state): State<AppState>,
    signed: SignedIn,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let txn = crate::db::begin(&state.db).await?;
    let copy = role_posting::duplicate(&txn, &r).await?;
    record(
        &txn,
        &signed,
        &ip,
        "role.duplicate",
        &copy,
        json!({ "copied_from": r.id, "title": copy.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/roles/{}/edit?done=copied", copy.id)).into_response())
}

// ---- sessions: the role's own page for its people ----

#[derive(Template, WebTemplate)]
#[template(path = "roles/manage/sessions.html")]
pub struct SessionsPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub role: role::Model,
    pub filled: i64,
    pub sessions: Vec<SessionRow>,
    pub errors: FormErrors,
    pub form: SessionForm,
    pub notice: &'static str,
}

impl SessionsPage {
    fn status_label(&self) -> &'static str {
        role_posting::status_label(&self.role.status)
    }

    fn is_open(&self) -> bool {
        self.role.status == role_posting::OPEN
    }
}

async fn sessions_page(
    state: &AppState,
    page: PageContext,
    r: role::Model,
    errors: FormErrors,
    form: SessionForm,
    notice: &'static str,
) -> Result<SessionsPage, AppError> {
    let organisation = organisation_of(state, &r).await?;
    Ok(SessionsPage {
        page,
        organisation,
        filled: role_posting::accepted_count(&state.db, r.id).await?,
        sessions: role_posting::sessions(&state.db, r.id).await?,
        role: r,
        errors,
        form,
        notice,
    })
}

async fn sessions(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<SessionsPage, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    sessions_page(
        &state,
        page,
        r,
        FormErrors::new(),
        SessionForm::default(),
        notice(&q.done),
    )
    .await
}

async fn add_session(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let form = SessionForm {
        date: DateParts {
            day: fields.trimmed("date_day"),
            month: fields.trimmed("date_month"),
            year: fields.trimmed("date_year"),
        },
        starts: fields.trimmed("starts"),
        ends: fields.trimmed("ends"),
        places: fields.trimmed("places"),
    };
    let rules = SessionRules {
        now: crate::db::now(),
        role_places: r.places,
    };
    let values = match form.check(&rules) {
        Ok(values) => values,
        Err(errors) => {
            let page = sessions_page(&state, page, r, errors, form, "").await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let txn = crate::db::begin(&state.db).await?;
    let r = locked(&txn, r.id).await?;
    role_posting::add_session(&txn, r.id, values).await?;
    let r = role_posting::touch(&txn, r).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/roles/{}/sessions?done=session-added", r.id)).into_response())
}

async fn remove_session(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path((id, session_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let session_id = parse_id(&session_id, "session_id")?;
    let txn = crate::db::begin(&state.db).await?;
    let r = locked(&txn, r.id).await?;
    if role_posting::find_session(&txn, r.id, session_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound("session"));
    }
    let accepted = role_posting::accepted_for_session(&txn, session_id).await?;
    if accepted > 0 {
        txn.rollback().await?;
        let mut errors = FormErrors::new();
        let who = if accepted == 1 {
            "1 accepted volunteer has".to_owned()
        } else {
            format!("{accepted} accepted volunteers have")
        };
        errors.add(
            &format!("remove-{session_id}"),
            format!(
                "This session cannot be removed: {who} chosen it. Tell them first, and decline or move their places"
            ),
        );
        let page = sessions_page(&state, page, r, errors, SessionForm::default(), "").await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    role_posting::remove_session(&txn, session_id).await?;
    let r = role_posting::touch(&txn, r).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/roles/{}/sessions?done=session-removed", r.id)).into_response())
}

// ---- preview ----

#[derive(Template, WebTemplate)]
#[template(path = "roles/manage/preview.html")]
pub struct PreviewPage {
    pub page: PageContext,
    pub role: RoleDetail,
    pub description_html: String,
}

async fn preview(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<PreviewPage, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let role = roles::find_for_preview(&state.db, r.id).await?;
    Ok(PreviewPage {
        page,
        description_html: crate::domain::markdown::to_safe_html(&role.description),
        role,
    })
}
