//! `/hubs/{id}/to-call`: residents without email the hub must phone or write to, because
//! something would have been emailed to them.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::error::{AppError, parse_id};
use crate::models::assisted::{self, CallToMake};
use crate::models::hubs::{self, HubSummary};
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/to_call.html")]
pub struct ToCallPage {
    pub page: PageContext,
    pub hub: HubSummary,
    pub calls: Vec<CallToMake>,
}

impl ToCallPage {
    pub fn when(&self, at: &time::OffsetDateTime) -> String {
        crate::domain::london_time::date_time(*at)
    }
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Path(raw_id): Path<String>,
) -> Result<ToCallPage, AppError> {
    let hub_id = parse_id(&raw_id, "id")?;
    me.require(&Action::ViewToCallList { hub: hub_id })?;
    let hub = hubs::find(&state.db, hub_id).await?;
    Ok(ToCallPage {
        page,
        calls: assisted::calls_to_make(&state.db, hub.id).await?,
        hub,
    })
}

pub async fn done(
    State(state): State<AppState>,
    me: SignedIn,
    Path((raw_hub, raw_call)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let hub_id = parse_id(&raw_hub, "id")?;
    let call_id = parse_id(&raw_call, "call_id")?;
    me.require(&Action::ViewToCallList { hub: hub_id })?;
    let txn = crate::db::begin(&state.db).await?;
    assisted::mark_called(&txn, hub_id, call_id, me.0.id()).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/hubs/{hub_id}/to-call")).into_response())
}
