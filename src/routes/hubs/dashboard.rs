//! The hub coordinator's dashboard (`/hubs/{id}/dashboard`) and referring a volunteer to a
//! role (`POST /hubs/{id}/referrals`).
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use garde::Validate;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::error::{AppError, parse_id};
use crate::models::hub_dashboard::{self, HubDashboard};
use crate::models::hubs::{self, HubSummary};
use crate::models::referrals::{self, ReferralForm, Referrer};
use crate::models::volunteer_dashboard::{duration_words, status_label};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::routes::volunteer::profile::NoticeQuery;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hubs/{id}/dashboard", get(show))
        .route("/hubs/{id}/referrals", post(refer))
}

#[derive(Template, WebTemplate)]
#[template(path = "hubs/dashboard.html")]
pub struct HubDashboardPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub notice: String,
    pub hub: HubSummary,
    pub board: HubDashboard,
    /// Open roles anywhere, for the referral form.
    pub role_choices: Vec<(i32, String)>,
    pub form: ReferralForm,
}

impl HubDashboardPage {
    pub fn hours(&self, minutes: &i64) -> String {
        duration_words(*minutes)
    }

    pub fn status(&self, status: &str) -> &'static str {
        status_label(status)
    }

    pub fn role_chosen(&self, id: &i32) -> bool {
        self.form.role_id == id.to_string()
    }

    pub fn days(&self, n: &i64) -> String {
        match n {
            1 => "1 day".to_owned(),
            n => format!("{n} days"),
        }
    }
}

fn notice_text(key: &str) -> &'static str {
    match key {
        "referred" => "Referral sent: we have emailed the volunteer.",
        _ => "",
    }
}

async fn build(
    state: &AppState,
    page: PageContext,
    hub_id: i32,
    form: ReferralForm,
    errors: FormErrors,
    notice: &str,
) -> Result<HubDashboardPage, AppError> {
    let hub = hubs::find(&state.db, hub_id).await?;
    Ok(HubDashboardPage {
        page,
        errors,
        notice: notice_text(notice).to_owned(),
        board: hub_dashboard::load(&state.db, hub.id).await?,
        hub,
        role_choices: referrals::open_role_choices(&state.db).await?,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Path(raw_id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<HubDashboardPage, AppError> {
    let hub_id = parse_id(&raw_id, "id")?;
    me.require(&Action::ViewHubDashboard { hub: hub_id })?;
    build(
        &state,
        page,
        hub_id,
        ReferralForm::default(),
        FormErrors::new(),
        &q.notice,
    )
    .await
}

pub async fn refer(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ClientIp(ip): ClientIp,
    Path(raw_id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let hub_id = parse_id(&raw_id, "id")?;
    me.require(&Action::ReferVolunteer { hub: hub_id })?;
    let form = ReferralForm {
        volunteer_email: fields.trimmed("volunteer_email"),
        role_id: fields.trimmed("role_id"),
        note: fields.get("note").replace("\r\n", "\n"),
    };
    let reshow = async |form: ReferralForm, errors: FormErrors| -> Result<Response, AppError> {
        let page = build(&state, page, hub_id, form, errors, "").await?;
        Ok((StatusCode::BAD_REQUEST, page).into_response())
    };
    if let Err(report) = form.validate() {
        return reshow(form, report.into()).await;
    }
    // A hub that does not exist is a 404 before anything is written.
    hubs::find(&state.db, hub_id).await?;
    let by = Referrer {
        user_id: me.0.id(),
        hub_id,
        ip: Some(ip.to_string()),
    };
    let txn = crate::db::begin(&state.db).await?;
    match referrals::create(&txn, &by, &form, &|path| state.link(path)).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(Redirect::to(&format!("/hubs/{hub_id}/dashboard?notice=referred")).into_response())
        }
        Err(AppError::BadRequest { fields, .. }) => {
            // Nothing was written: the transaction is dropped, so rolled back.
            drop(txn);
            reshow(form, fields.into()).await
        }
        Err(e) => Err(e),
    }
}
