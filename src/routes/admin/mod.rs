//! The alliance admin area: organisations waiting for approval, hub coordinators, the audit log.
mod audit_log;
mod coordinators;
pub mod hubs;
mod outbox;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::domain::london_time;
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::{Named, audit, staff, vocab};
use crate::routes::organisations::staff::queue;
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/organisations/{id}/approve", post(approve))
        .route("/admin/organisations/{id}/suspend", post(suspend))
        .route(
            "/admin/hubs/{id}/coordinators",
            get(coordinators::show).post(coordinators::assign),
        )
        .route(
            "/admin/hubs/{id}/coordinators/{user_id}/remove",
            post(coordinators::remove),
        )
        .route("/admin/audit", get(audit_log::show))
        .route("/admin/outbox", get(outbox::show))
        .route("/admin/outbox/{id}/retry", post(outbox::retry))
        .merge(hubs::router())
}

/// An organisation as the review list shows it.
pub struct OrganisationRow {
    pub organisation: organisation::Model,
    pub registered: String,
}

fn rows(organisations: Vec<organisation::Model>) -> Vec<OrganisationRow> {
    organisations
        .into_iter()
        .map(|o| OrganisationRow {
            registered: london_time::date(o.created_at),
            organisation: o,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
pub struct AdminIndex {
    pub page: PageContext,
    pub pending: Vec<OrganisationRow>,
    pub approved: Vec<OrganisationRow>,
    pub suspended: Vec<OrganisationRow>,
    pub hubs: Vec<Named>,
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

async fn index(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Query(q): Query<DoneQuery>,
) -> Result<AdminIndex, AppError> {
    signed.require(&Action::ReviewOrganisations)?;
    let notice = match q.done.as_str() {
        "approved" => "Organisation approved. Its admins have been told by email.",
        "suspended" => "Organisation suspended. Its admins have been told by email.",
        _ => "",
    };
    Ok(AdminIndex {
        page,
        pending: rows(staff::with_status(&state.db, staff::PENDING).await?),
        approved: rows(staff::with_status(&state.db, staff::APPROVED).await?),
        suspended: rows(staff::with_status(&state.db, staff::SUSPENDED).await?),
        hubs: vocab::hubs(&state.db).await?,
        notice: notice.to_owned(),
    })
}

async fn approve(
    state: State<AppState>,
    signed: SignedIn,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    review(state, signed, ip, &id, staff::APPROVED).await
}

async fn suspend(
    state: State<AppState>,
    signed: SignedIn,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    review(state, signed, ip, &id, staff::SUSPENDED).await
}

/// Moves an organisation to `status` (approved or suspended) and tells its admins.
async fn review(
    State(state): State<AppState>,
    signed: SignedIn,
    ClientIp(ip): ClientIp,
    raw_id: &str,
    status: &'static str,
) -> Result<Response, AppError> {
    signed.require(&Action::ReviewOrganisations)?;
    let id = parse_id(raw_id, "id")?;
    let txn = crate::db::begin(&state.db).await?;
    let organisation = staff::lock(&txn, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let done = if status == staff::APPROVED {
        "approved"
    } else {
        "suspended"
    };
    // Pressing the button twice changes nothing the second time.
    if organisation.status == status {
        return Ok(Redirect::to(&format!("/admin?done={done}")).into_response());
    }
    let from = organisation.status.clone();
    let organisation = staff::set_status(&txn, organisation, status).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
            action: if status == staff::APPROVED {
                "organisation.approve"
            } else {
                "organisation.suspend"
            },
            subject_type: "organisation",
            subject_id: Some(organisation.id),
            detail: json!({ "name": organisation.name, "from": from, "to": status }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    let (subject, words, link) = if status == staff::APPROVED {
        (
            format!("{} is approved", organisation.name),
            format!(
                "{} is approved by the Southwark Community Support Alliance. It is now \
                 listed on hubmatch, and you can post volunteering roles.",
                organisation.name
            ),
            state.link(&format!("/organisations/{}", organisation.id)),
        )
    } else {
        (
            format!("{} is suspended", organisation.name),
            format!(
                "{} is suspended by the Southwark Community Support Alliance. It is no \
                 longer shown on hubmatch. Contact the alliance to find out why and what to do next.",
                organisation.name
            ),
            state.link(&format!("/organisations/{}/staff", organisation.id)),
        )
    };
    let label = if status == staff::APPROVED {
        "See your organisation's page"
    } else {
        "Go to your organisation"
    };
    for to in staff::admin_emails(&txn, organisation.id).await? {
        queue(
            &txn,
            &state.base_url,
            &format!("email.organisation_{done}"),
            &crate::email::draft(&to, &subject, &[&words], Some((label, &link))),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Redirect::to(&format!("/admin?done={done}")).into_response())
}
