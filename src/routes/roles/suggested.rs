//! Suggested volunteers for a role (only those who opted in), and inviting one to apply.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::{Action, Decision, decide};
use crate::entities::role;
use crate::error::{AppError, parse_id};
use crate::models::matching::{self, Inviter, VolunteerSuggestion};
use crate::models::{role_posting, roles, staff};
use crate::routes::forms::FormErrors;
use crate::routes::page::PageContext;
use crate::routes::volunteer::profile::NoticeQuery;
use crate::state::AppState;

/// How many volunteers the page suggests.
pub const LIMIT: usize = 25;

#[derive(Template, WebTemplate)]
#[template(path = "roles/suggested.html")]
pub struct SuggestedPage {
    pub page: PageContext,
    pub role: role::Model,
    pub is_open: bool,
    pub can_invite: bool,
    pub suggestions: Vec<VolunteerSuggestion>,
    pub errors: FormErrors,
    pub notice: &'static str,
}

/// The role, once the signed-in person may see its suggested volunteers (403 first).
async fn role_for(
    state: &AppState,
    signed: &SignedIn,
    raw_id: &str,
) -> Result<role::Model, AppError> {
    let r = role_posting::find(&state.db, parse_id(raw_id, "id")?)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    let hubs = staff::hub_ids(&state.db, r.organisation_id).await?;
    signed.require(&Action::ViewSuggestedVolunteers {
        organisation: r.organisation_id,
        organisation_hubs: &hubs,
    })?;
    Ok(r)
}

async fn page_for(
    state: &AppState,
    signed: &SignedIn,
    page: PageContext,
    r: role::Model,
    errors: FormErrors,
    notice: &'static str,
) -> Result<SuggestedPage, AppError> {
    let weights = state.settings.matching.weights;
    let suggestions = matching::suggest_volunteers(&state.db, &weights, r.id, LIMIT).await?;
    let can_invite = decide(
        Some(&signed.0.actor),
        &Action::InviteToApply {
            organisation: r.organisation_id,
        },
    ) == Decision::Allow;
    Ok(SuggestedPage {
        page,
        is_open: r.status == roles::OPEN && r.closes_at.is_none_or(|c| c > crate::db::now()),
        can_invite,
        suggestions,
        errors,
        notice,
        role: r,
    })
}

pub async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<SuggestedPage, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    let notice = if q.notice == "invited" {
        "Invitation sent: they will get an email inviting them to apply."
    } else {
        ""
    };
    page_for(&state, &signed, page, r, FormErrors::new(), notice).await
}

pub async fn invite(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ip: ClientIp,
    Path((id, volunteer)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let r = role_for(&state, &signed, &id).await?;
    signed.require(&Action::InviteToApply {
        organisation: r.organisation_id,
    })?;
    let volunteer_id = parse_id(&volunteer, "volunteer_profile_id")?;
    let link = |path: &str| state.link(path);
    let by = Inviter {
        user_id: signed.0.id(),
        ip: Some(ip.to_string()),
        link: &link,
    };
    let txn = crate::db::begin(&state.db).await?;
    match matching::invite(&txn, &by, r.id, volunteer_id, "").await {
        Ok(_) => {
            txn.commit().await?;
            Ok(Redirect::to(&format!("/roles/{}/suggested?notice=invited", r.id)).into_response())
        }
        Err(AppError::BadRequest { message, fields }) => {
            txn.rollback().await?;
            let mut errors = FormErrors::new();
            let why = fields.into_values().next().unwrap_or(message);
            errors.add(&format!("volunteer-{volunteer_id}"), why);
            let page = page_for(&state, &signed, page, r, errors, "").await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e),
    }
}
