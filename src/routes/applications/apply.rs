//! `GET/POST /roles/{id}/apply`: a volunteer applies, choosing sessions and adding a
//! message; when every place is taken they are offered the waitlist.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::error::{AppError, parse_id};
use crate::models::applications::{self, RefusalKind, SessionChoice};
use crate::models::roles::{self, RoleDetail};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "applications/apply.html")]
pub struct ApplyPage {
    pub page: PageContext,
    pub role: RoleDetail,
    pub sessions: Vec<SessionChoice>,
    pub errors: FormErrors,
    pub message: String,
    pub chosen: Vec<i32>,
    /// Every place is taken: the form offers the waitlist.
    pub full: bool,
    /// The role cannot be applied for (closed, or already applied): no form.
    pub closed: bool,
}

impl ApplyPage {
    fn is_chosen(&self, id: &i32) -> bool {
        self.chosen.contains(id)
    }
}

#[derive(garde::Validate)]
struct ApplyForm {
    #[garde(custom(message_fits))]
    message: String,
}

fn message_fits(value: &str, _: &()) -> garde::Result {
    if value.chars().count() > applications::MAX_MESSAGE {
        return Err(garde::Error::new(format!(
            "Your message must be {} characters or fewer",
            applications::MAX_MESSAGE
        )));
    }
    Ok(())
}

/// The volunteer's profile, or where to go to make one.
fn profile_of(me: &SignedIn) -> Result<i32, Response> {
    me.0.actor
        .volunteer_profile
        .ok_or_else(|| Redirect::to("/profile").into_response())
}

async fn render(
    state: &AppState,
    page: PageContext,
    role: RoleDetail,
    errors: FormErrors,
    message: String,
    chosen: Vec<i32>,
) -> Result<ApplyPage, AppError> {
    let now = crate::db::now();
    let sessions = applications::session_choices(&state.db, role.card.id, now).await?;
    let taken = applications::places_taken(&state.db, role.card.id).await?;
    let full = taken >= u64::try_from(role.card.places).unwrap_or(0);
    let closed = role.status != roles::OPEN || role.card.closes_at.is_some_and(|t| t <= now);
    Ok(ApplyPage {
        page,
        role,
        sessions,
        errors,
        message,
        chosen,
        full,
        closed,
    })
}

pub async fn form(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let profile = match profile_of(&me) {
        Ok(p) => p,
        Err(to_profile) => return Ok(to_profile),
    };
    me.require(&Action::Volunteer)?;
    let role = roles::find_public(&state.db, parse_id(&id, "id")?).await?;
    if let Some(earlier) =
        applications::of_volunteer_for_role(&state.db, profile, role.card.id).await?
        && earlier.status != "withdrawn"
    {
        return Ok(Redirect::to(&format!("/applications/{}", earlier.id)).into_response());
    }
    let page = render(
        &state,
        page,
        role,
        FormErrors::new(),
        String::new(),
        Vec::new(),
    )
    .await?;
    let status = if page.closed {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((status, page).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let profile = match profile_of(&me) {
        Ok(p) => p,
        Err(to_profile) => return Ok(to_profile),
    };
    me.require(&Action::Volunteer)?;
    let role_id = parse_id(&id, "id")?;
    let message = form.trimmed("message");
    let mut errors = FormErrors::new();
    if let Err(report) = garde::Validate::validate(&ApplyForm {
        message: message.clone(),
    }) {
        errors = FormErrors::from(report);
    }
    let mut chosen = Vec::new();
    for raw in form.all("sessions") {
        match raw.parse::<i32>() {
            Ok(id) => chosen.push(id),
            Err(_) => errors.add("sessions", "Choose from this role's upcoming sessions"),
        }
    }
    if !errors.is_empty() {
        let role = roles::find_public(&state.db, role_id).await?;
        let page = render(&state, page, role, errors, message, chosen).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let outcome = applications::apply(
        &state.db,
        &state.base_url,
        profile,
        role_id,
        &message,
        &chosen,
        me.0.id(),
        form.get("waitlist") == "yes",
    )
    .await;
    match outcome {
        Ok(done) => Ok(Redirect::to(&format!(
            "/applications/{}?done={}",
            done.application_id,
            done.status.as_str()
        ))
        .into_response()),
        Err(applications::Error::Refused(refusal)) => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT);
            let mut errors = FormErrors::new();
            let field = if refusal.kind == RefusalKind::Full {
                "waitlist"
            } else {
                refusal.field
            };
            errors.add(field, refusal.message);
            let role = roles::find_public(&state.db, role_id).await?;
            let page = render(&state, page, role, errors, message, chosen).await?;
            Ok((status, page).into_response())
        }
        Err(applications::Error::Failed(e)) => Err(e),
    }
}
