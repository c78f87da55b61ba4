//! An application's page (the volunteer's own, or the organisation's view with the
//! decision form), withdrawing, deciding, and an organisation's applications by role.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::may;
use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::domain::applications::{Move, Status};
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::accounts::CurrentUser;
use crate::models::applications::{self, ApplicationView, RoleApplications};
use crate::models::staff;
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "applications/show.html")]
pub struct ApplicationPage {
    pub page: PageContext,
    pub app: ApplicationView,
    /// The volunteer themselves is looking.
    pub is_volunteer: bool,
    /// Someone from the organisation (or a coordinator or admin) is looking.
    pub organisation_view: bool,
    pub can_decide: bool,
    pub errors: FormErrors,
    pub decision_message: String,
    pub notice: String,
}

impl ApplicationPage {
    fn can_withdraw(&self) -> bool {
        self.is_volunteer
            && matches!(
                self.app.status,
                Status::Applied | Status::Accepted | Status::Waitlisted
            )
    }

    fn can_log_hours(&self) -> bool {
        self.is_volunteer && self.app.status == Status::Accepted
    }

    fn offers(&self, s: Status) -> bool {
        self.can_decide && self.app.status != s && self.app.status != Status::Withdrawn
    }

    fn accepted_status(&self) -> Status {
        Status::Accepted
    }

    fn declined_status(&self) -> Status {
        Status::Declined
    }

    fn waitlisted_status(&self) -> Status {
        Status::Waitlisted
    }
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

fn notice_text(key: &str) -> &'static str {
    match key {
        "applied" => "Application sent. We have emailed you a copy and told the organisation.",
        "waitlisted" => "You are on the waitlist. If a place comes up it will be offered to you.",
        "withdrawn" => "You have withdrawn this application.",
        "decided" => "Decision saved. We have emailed the volunteer.",
        "promoted" => {
            "Decision saved. A place came free, so the first volunteer on the waitlist has been \
             given it and emailed."
        }
        "hours" => "Hours logged. The organisation will confirm them.",
        _ => "",
    }
}

/// Who may see the application: the volunteer, or the organisation's view
/// (`ViewApplications`). Returns (is the volunteer, sees the organisation's view,
/// may decide).
async fn standing(
    state: &AppState,
    me: &CurrentUser,
    volunteer_id: i32,
    organisation_id: i32,
) -> Result<(bool, bool, bool), AppError> {
    let hubs = staff::hub_ids(&state.db, organisation_id).await?;
    let is_volunteer = may(
        me,
        &Action::ActAsVolunteer {
            volunteer_profile: volunteer_id,
        },
    );
    let organisation_view = may(
        me,
        &Action::ViewApplications {
            organisation: organisation_id,
            organisation_hubs: &hubs,
        },
    );
    if !is_volunteer && !organisation_view {
        return Err(AppError::Forbidden);
    }
    let can_decide = may(
        me,
        &Action::DecideApplications {
            organisation: organisation_id,
        },
    );
    Ok((is_volunteer, organisation_view, can_decide))
}

async fn render(
    state: &AppState,
    page: PageContext,
    me: &CurrentUser,
    id: i32,
    errors: FormErrors,
    decision_message: String,
    notice: &str,
) -> Result<ApplicationPage, AppError> {
    let app = applications::view(&state.db, id).await?;
    let (is_volunteer, organisation_view, can_decide) =
        standing(state, me, app.volunteer_profile_id, app.organisation_id).await?;
    Ok(ApplicationPage {
        page,
        app,
        is_volunteer,
        organisation_view,
        can_decide,
        errors,
        decision_message,
        notice: notice.to_owned(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<ApplicationPage, AppError> {
    let id = parse_id(&id, "id")?;
    render(
        &state,
        page,
        &me.0,
        id,
        FormErrors::new(),
        String::new(),
        notice_text(&q.done),
    )
    .await
}

/// A refused change re-shows the application with what went wrong.
async fn refused(
    state: &AppState,
    page: PageContext,
    me: &CurrentUser,
    id: i32,
    refusal: applications::Refusal,
    decision_message: String,
) -> Result<Response, AppError> {
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT);
    let mut errors = FormErrors::new();
    errors.add(refusal.field, refusal.message);
    let page = render(state, page, me, id, errors, decision_message, "").await?;
    Ok((status, page).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, "id")?;
    let (app, _) = applications::facts(&state.db, id).await?;
    me.require(&Action::ActAsVolunteer {
        volunteer_profile: app.volunteer_id,
    })?;
    match applications::withdraw(&state.db, &state.base_url, id, me.0.id()).await {
        Ok(_) => Ok(Redirect::to(&format!("/applications/{id}?done=withdrawn")).into_response()),
        Err(applications::Error::Refused(mut r)) => {
            // The volunteer's page has no decision form: the message points at the status.
            r.field = "status";
            refused(&state, page, &me.0, id, r, String::new()).await
        }
        Err(applications::Error::Failed(e)) => Err(e),
    }
}

#[derive(garde::Validate)]
struct DecisionForm {
    #[garde(custom(message_fits))]
    message: String,
}

fn message_fits(value: &str, _: &()) -> garde::Result {
    if value.chars().count() > applications::MAX_MESSAGE {
        return Err(garde::Error::new(format!(
            "The message must be {} characters or fewer",
            applications::MAX_MESSAGE
        )));
    }
    Ok(())
}

async fn decide(
    state: AppState,
    me: SignedIn,
    page: PageContext,
    ip: ClientIp,
    id: String,
    form: FormFields,
    decision: Move,
) -> Result<Response, AppError> {
    let id = parse_id(&id, "id")?;
    let (_, role) = applications::facts(&state.db, id).await?;
    // Permission first, so an unauthorised post is a 403 whatever it carries.
    me.require(&Action::DecideApplications {
        organisation: role.organisation_id,
    })?;
    let message = form.trimmed("message");
    if let Err(report) = garde::Validate::validate(&DecisionForm {
        message: message.clone(),
    }) {
        let page = render(&state, page, &me.0, id, report.into(), message, "").await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    match applications::decide(
        &state.db,
        &state.base_url,
        id,
        decision,
        me.0.id(),
        &message,
        Some(ip.to_string()),
    )
    .await
    {
        Ok(changed) => {
            let done = if changed.promoted.is_some() {
                "promoted"
            } else {
                "decided"
            };
            Ok(Redirect::to(&format!("/applications/{id}?done={done}")).into_response())
        }
        Err(applications::Error::Refused(r)) => refused(&state, page, &me.0, id, r, message).await,
        Err(applications::Error::Failed(e)) => Err(e),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    ip: ClientIp,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    decide(state, me, page, ip, id, form, Move::Accept).await
}

pub async fn decline(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    ip: ClientIp,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    decide(state, me, page, ip, id, form, Move::Decline).await
}

pub async fn waitlist(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    ip: ClientIp,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    decide(state, me, page, ip, id, form, Move::Waitlist).await
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/organisation.html")]
pub struct OrganisationApplicationsPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub roles: Vec<RoleApplications>,
    /// The status filter ("" for all).
    pub status: String,
    pub statuses: Vec<Status>,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct StatusQuery {
    #[serde(default)]
    status: String,
}

pub async fn organisation_list(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let organisation = staff::find(&state.db, parse_id(&id, "id")?)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let hubs = staff::hub_ids(&state.db, organisation.id).await?;
    me.require(&Action::ViewApplications {
        organisation: organisation.id,
        organisation_hubs: &hubs,
    })?;
    let mut errors = FormErrors::new();
    let only = match q.status.as_str() {
        "" => None,
        raw => match Status::parse(raw) {
            Some(s) => Some(s),
            None => {
                errors.add(
                    "status",
                    format!("There is no status '{raw}': choose one from the list"),
                );
                None
            }
        },
    };
    let roles = if errors.is_empty() {
        applications::for_organisation(&state.db, organisation.id, only).await?
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        q.status
    } else {
        String::new()
    };
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        code,
        OrganisationApplicationsPage {
            page,
            organisation,
            roles,
            status,
            statuses: Status::ALL.to_vec(),
            errors,
        },
    )
        .into_response())
}
