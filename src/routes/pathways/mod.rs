//! Skills pathway pages: the list and a volunteer's progress, certificates and their
//! public verification, the Duke of Edinburgh's Award export, organisations' role
//! tags and sign-offs, the alliance admins' definitions and the alliance view.
mod admin;
mod organisations;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::pathways::{self as rules, StageStatus};
use crate::error::AppError;
use crate::models::pathways::{self, Certificate, DofeExport, PathwayProgress, PathwaySummary};
use crate::routes::QueryPairs;
use crate::routes::api_v1::query_value;
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pathways", get(list))
        .route("/pathways/dofe", get(dofe))
        .route("/pathways/dofe.csv", get(dofe_csv))
        .route("/pathways/{slug}", get(show))
        .route("/pathways/{slug}/join", post(join))
        .route("/pathways/{slug}/leave", post(leave))
        .route("/certificates/{serial}", get(certificate))
        .route("/certificates/{serial}/revoke", post(revoke))
        .route("/verify/{token}", get(verify))
        .merge(admin::router())
        .merge(organisations::router())
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// A stage's status as the page shows it (a GOV.UK tag).
pub struct StageView {
    pub name: String,
    pub status: StageStatus,
    pub percent: u8,
    pub requirements: Vec<rules::RequirementProgress>,
    pub certificate: Option<String>,
}

impl StageView {
    pub fn tag_class(&self) -> &'static str {
        match self.status {
            StageStatus::Done => "govuk-tag--green",
            StageStatus::InProgress => "govuk-tag--blue",
            StageStatus::NotStarted => "govuk-tag--grey",
        }
    }

    pub fn status_words(&self) -> &'static str {
        self.status.words()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/list.html")]
pub struct ListPage {
    pub page: PageContext,
    pub pathways: Vec<(PathwaySummary, bool)>,
    /// Signed in with a volunteer profile (may join).
    pub volunteer: bool,
    pub notice: String,
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    MaybeVolunteer(me): MaybeVolunteer,
    QueryPairs(pairs): QueryPairs,
) -> Result<ListPage, AppError> {
    let all = pathways::list(&state.db, false).await?;
    let on = match me {
        Some(me) => pathways::enrolled_pathways(&state.db, me).await?,
        None => Vec::new(),
    };
    let volunteer = me.is_some();
    let notice = match query_value(&pairs, "done").as_str() {
        "left" => "You have left the pathway. Your progress is kept if you join again.",
        _ => "",
    };
    Ok(ListPage {
        pathways: all
            .into_iter()
            .map(|p| {
                let joined = on.contains(&p.id);
                (p, joined)
            })
            .collect(),
        volunteer,
        notice: notice.to_owned(),
        page,
    })
}

/// The volunteer profile of whoever is signed in, if any: the list is public, and
/// shows "Join" only to volunteers.
pub struct MaybeVolunteer(pub Option<i32>);

impl axum::extract::FromRequestParts<AppState> for MaybeVolunteer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let user = crate::auth::current::session_user(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self(user.and_then(|u| u.actor.volunteer_profile)))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/show.html")]
pub struct ShowPage {
    pub page: PageContext,
    pub progress: PathwayProgress,
    pub stages: Vec<StageView>,
    pub next_stage: String,
    /// Open roles that count toward the next stage: `(id, title, organisation)`.
    pub roles: Vec<(i32, String, String)>,
    pub notice: String,
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<ShowPage, AppError> {
    me.require(&Action::Volunteer)?;
    let profile = me.0.actor.volunteer_profile.ok_or(AppError::Forbidden)?;
    let p = pathways::find_by_slug(&state.db, &slug).await?;
    pathways::refresh_in_own_transaction(&state.db, &state.base_url, profile).await?;
    let progress = pathways::progress_on(&state.db, profile, &p).await?;
    let stages: Vec<StageView> = progress
        .progress
        .stages
        .iter()
        .map(|s| StageView {
            name: s.name.clone(),
            status: s.status,
            percent: s.percent,
            requirements: s.requirements.clone(),
            certificate: progress
                .certificates
                .iter()
                .find(|c| c.stage_id == s.stage_id && !c.revoked)
                .map(|c| c.certificate_serial.clone()),
        })
        .collect();
    let next = progress
        .progress
        .next_stage
        .and_then(|i| progress.progress.stages.get(i));
    let roles = match next {
        Some(s) => pathways::open_roles_for_stage(&state.db, s.stage_id, 10).await?,
        None => Vec::new(),
    };
    let notice = match q.done.as_str() {
        "joined" => format!("You have joined {}.", p.name),
        _ => String::new(),
    };
    Ok(ShowPage {
        next_stage: next.map(|s| s.name.clone()).unwrap_or_default(),
        page,
        stages,
        roles,
        notice,
        progress,
    })
}

async fn join(
    State(state): State<AppState>,
    me: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    me.require(&Action::Volunteer)?;
    let profile = me.0.actor.volunteer_profile.ok_or(AppError::Forbidden)?;
    pathways::enrol(&state.db, profile, &slug).await?;
    Ok(Redirect::to(&format!("/pathways/{slug}?done=joined")).into_response())
}

async fn leave(
    State(state): State<AppState>,
    me: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    me.require(&Action::Volunteer)?;
    let profile = me.0.actor.volunteer_profile.ok_or(AppError::Forbidden)?;
    pathways::leave(&state.db, profile, &slug).await?;
    Ok(Redirect::to("/pathways?done=left").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/certificate.html")]
pub struct CertificatePage {
    pub page: PageContext,
    pub c: Certificate,
    /// Alliance admins may withdraw a certificate issued in error.
    pub can_withdraw: bool,
    pub errors: FormErrors,
}

async fn certificate(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(serial): Path<String>,
) -> Result<CertificatePage, AppError> {
    let c = pathways::certificate(&state.db, &state.base_url, &serial).await?;
    let can_withdraw = me.require(&Action::ManagePathways).is_ok();
    if !can_withdraw {
        me.require(&Action::ActAsVolunteer {
            volunteer_profile: c.volunteer_profile_id,
        })?;
    }
    Ok(CertificatePage {
        page,
        c,
        can_withdraw,
        errors: FormErrors::new(),
    })
}

/// An alliance admin withdraws a certificate with a reason; the form comes back with the
/// problem when the reason is missing.
async fn revoke(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(serial): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManagePathways)?;
    match pathways::revoke(&state.db, me.0.id(), &serial, &form.trimmed("reason")).await {
        Ok(()) => Ok(Redirect::to(&format!("/certificates/{serial}")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_refusal(e)?;
            let page = CertificatePage {
                c: pathways::certificate(&state.db, &state.base_url, &serial).await?,
                page,
                can_withdraw: true,
                errors,
            };
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/verify.html")]
pub struct VerifyPage {
    pub page: PageContext,
    pub status: String,
    pub c: Option<Certificate>,
}

/// Anyone, no account: valid, revoked, or not valid (tampered or unknown).
async fn verify(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<VerifyPage, AppError> {
    let v = pathways::verify(&state.db, &state.base_url, &token).await?;
    Ok(VerifyPage {
        page,
        status: v.status,
        c: v.certificate,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/dofe.html")]
pub struct DofePage {
    pub page: PageContext,
    pub export: DofeExport,
}

fn dofe_months(pairs: &[(String, String)]) -> Result<u32, AppError> {
    let raw = query_value(pairs, "months");
    let raw = if raw.is_empty() { "3".to_owned() } else { raw };
    rules::check_dofe_months(&raw).map_err(|e| AppError::field(e.field, e.message))
}

async fn dofe(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    QueryPairs(pairs): QueryPairs,
) -> Result<DofePage, AppError> {
    me.require(&Action::Volunteer)?;
    let profile = me.0.actor.volunteer_profile.ok_or(AppError::Forbidden)?;
    let months = dofe_months(&pairs)?;
    let export = pathways::dofe_export(&state.db, profile, months).await?;
    Ok(DofePage { page, export })
}

async fn dofe_csv(
    State(state): State<AppState>,
    me: SignedIn,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    me.require(&Action::Volunteer)?;
    let profile = me.0.actor.volunteer_profile.ok_or(AppError::Forbidden)?;
    let months = dofe_months(&pairs)?;
    let export = pathways::dofe_export(&state.db, profile, months).await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"dofe-volunteering-{months}-months.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pathways::dofe_csv(&export),
    )
        .into_response())
}
