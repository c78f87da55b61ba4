//! The volunteer dashboard, its calendar feed address and the feed itself, and the
//! answers to a hub's referral.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::ics;
use crate::domain::profile_completeness::Completeness;
use crate::error::{AppError, parse_id};
use crate::models::applications;
use crate::models::profiles::{self, LoadedProfile};
use crate::models::referrals::{self, PendingReferral};
use crate::models::volunteer_dashboard::{
    self as board, ApplicationLine, HoursSummary, SessionLine, duration_words,
};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::routes::volunteer::profile::NoticeQuery;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/dashboard.html")]
pub struct DashboardPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub notice: String,
    pub name: String,
    pub completeness: Completeness,
    pub applications: Vec<ApplicationLine>,
    pub sessions: Vec<SessionLine>,
    pub hours: HoursSummary,
    pub referrals: Vec<PendingReferral>,
    /// The best few roles matching finds for them ("Recommended for you").
    pub recommended: Vec<crate::models::matching::RoleRecommendation>,
    /// The calendar feed's address, once made.
    pub calendar_url: Option<String>,
    /// Aged 14 to 25: invited to follow a skills pathway.
    pub pathway_age: bool,
}

impl DashboardPage {
    pub fn duration(&self, minutes: &i64) -> String {
        duration_words(*minutes)
    }

    /// The error field of one referral's answer.
    pub fn referral_field(&self, id: &i32) -> String {
        format!("referral-{id}")
    }
}

/// Roles in the dashboard's "Recommended for you" (the full list is at /roles/recommended).
const DASHBOARD_RECOMMENDATIONS: usize = 3;

fn notice_text(key: &str) -> &'static str {
    match key {
        "calendar" => {
            "Your calendar address is ready. Any address you made before no longer works."
        }
        "referral-accepted" => {
            "You accepted the suggestion: your application has been sent to the organisation."
        }
        "referral-declined" => "You declined the suggestion.",
        _ => "",
    }
}

async fn build(
    state: &AppState,
    page: PageContext,
    me: &SignedIn,
    loaded: &LoadedProfile,
    errors: FormErrors,
    notice: &str,
) -> Result<DashboardPage, AppError> {
    let id = loaded.profile.id;
    Ok(DashboardPage {
        page,
        errors,
        notice: notice_text(notice).to_owned(),
        name: me.0.user.display_name.clone(),
        completeness: loaded.completeness(),
        applications: board::applications(&state.db, id).await?,
        sessions: board::sessions_since(&state.db, id, crate::db::now()).await?,
        hours: board::hours(&state.db, id).await?,
        referrals: referrals::pending_for(&state.db, id).await?,
        recommended: crate::models::matching::recommend_roles(
            &state.db,
            &state.settings.matching.weights,
            id,
            DASHBOARD_RECOMMENDATIONS,
        )
        .await?,
        pathway_age: (crate::domain::pathways::YOUTH_MIN_AGE
            ..=crate::domain::pathways::YOUTH_MAX_AGE)
            .contains(&crate::models::sign_up::age_on(
                loaded.profile.date_of_birth,
                crate::db::now().date(),
            )),
        calendar_url: loaded
            .profile
            .calendar_token
            .as_ref()
            .map(|t| state.link(&format!("/calendar/{t}.ics"))),
    })
}

/// Without a profile there is nothing to show: make one first.
fn to_profile() -> Response {
    Redirect::to("/profile?notice=create").into_response()
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let Some(loaded) = profiles::load(&state.db, me.0.id()).await? else {
        return Ok(to_profile());
    };
    Ok(
        build(&state, page, &me, &loaded, FormErrors::new(), &q.notice)
            .await?
            .into_response(),
    )
}

/// Makes (or replaces) the secret calendar address.
pub async fn new_calendar(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let txn = crate::db::begin(&state.db).await?;
    let Some(profile) = profiles::find_for_user(&txn, me.0.id()).await? else {
        return Ok(to_profile());
    };
    board::reset_calendar_token(&txn, profile).await?;
    txn.commit().await?;
    Ok(Redirect::to("/dashboard?notice=calendar#calendar").into_response())
}

/// `GET /calendar/{token}.ics`: no sign-in, the secret in the address is the key.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file
        .strip_suffix(".ics")
        .ok_or(AppError::NotFound("calendar"))?;
    let events = board::calendar_events(&state.db, token)
        .await?
        .ok_or(AppError::NotFound("calendar"))?;
    let body = ics::calendar("My volunteering (hubmatch)", &events, crate::db::now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"hubmatch.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The referral, when it is the signed-in volunteer's; anyone else's is a 404, so ids
/// do not reveal who was referred.
async fn own_referral(state: &AppState, me: &SignedIn, raw_id: &str) -> Result<i32, AppError> {
    let id = parse_id(raw_id, "id")?;
    let r = referrals::find(&state.db, id).await?;
    me.require(&Action::ActAsVolunteer {
        volunteer_profile: r.volunteer_id,
    })
    .map_err(|_| AppError::NotFound("referral"))?;
    Ok(r.id)
}

/// A refused answer re-shows the dashboard with the reason by that referral.
async fn refused(
    state: &AppState,
    page: PageContext,
    me: &SignedIn,
    referral_id: i32,
    e: applications::Error,
) -> Result<Response, AppError> {
    let (status, message) = match e {
        applications::Error::Refused(r) => (
            StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST),
            r.message,
        ),
        applications::Error::Failed(AppError::BadRequest { fields, message }) => (
            StatusCode::BAD_REQUEST,
            fields.into_values().next().unwrap_or(message),
        ),
        applications::Error::Failed(e) => return Err(e),
    };
    let Some(loaded) = profiles::load(&state.db, me.0.id()).await? else {
        return Ok(to_profile());
    };
    let mut errors = FormErrors::new();
    errors.add(&format!("referral-{referral_id}"), message);
    Ok((status, build(state, page, me, &loaded, errors, "").await?).into_response())
}

pub async fn accept_referral(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Path(raw_id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let id = own_referral(&state, &me, &raw_id).await?;
    let mut sessions = Vec::new();
    for raw in form.all("sessions") {
        match raw.parse::<i32>() {
            Ok(s) => sessions.push(s),
            Err(_) => {
                let e = applications::Error::Failed(AppError::field(
                    "sessions",
                    "Choose from this role's upcoming sessions",
                ));
                return refused(&state, page, &me, id, e).await;
            }
        }
    }
    match referrals::accept(&state.db, &state.base_url, id, me.0.id(), &sessions).await {
        Ok(_) => Ok(Redirect::to("/dashboard?notice=referral-accepted").into_response()),
        Err(e) => refused(&state, page, &me, id, e).await,
    }
}

pub async fn decline_referral(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let id = own_referral(&state, &me, &raw_id).await?;
    match referrals::decline(&state.db, id).await {
        Ok(_) => Ok(Redirect::to("/dashboard?notice=referral-declined").into_response()),
        Err(e) => refused(&state, page, &me, id, e).await,
    }
}
