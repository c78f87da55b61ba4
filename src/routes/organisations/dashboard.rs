//! `GET /organisations/{id}/dashboard`: the organisation's roles with their fill rate,
//! applications and hours waiting for it, and its confirmed hours.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::applications::duration_words;
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::organisation_dashboard::{self, Dashboard};
use crate::models::staff;
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/organisations/{id}/dashboard", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations/dashboard.html")]
pub struct DashboardPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub dashboard: Dashboard,
    pub this_month: String,
    pub all_time: String,
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<DashboardPage, AppError> {
    let organisation = staff::find(&state.db, parse_id(&id, "id")?)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    me.require(&Action::ViewOrganisationDashboard {
        organisation: organisation.id,
    })?;
    let dashboard = organisation_dashboard::load(&state.db, organisation.id).await?;
    Ok(DashboardPage {
        page,
        this_month: duration_words(dashboard.minutes_this_month),
        all_time: duration_words(dashboard.minutes_all_time),
        organisation,
        dashboard,
    })
}
