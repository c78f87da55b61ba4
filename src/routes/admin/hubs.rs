//! Alliance admins create community hubs and edit their details.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::entities::hub;
use crate::error::{AppError, parse_id};
use crate::models::hub_admin::{self, HubChoices, HubForm};
use crate::models::hubs::{self, HubSummary};
use crate::models::{audit, vocab};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/hubs", get(index).post(create))
        .route("/admin/hubs/{id}/edit", get(edit).post(save))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/hubs.html")]
pub struct HubsPage {
    pub page: PageContext,
    pub hubs: Vec<HubSummary>,
    pub errors: FormErrors,
    pub form: HubForm,
    pub choices: HubChoices,
    pub notice: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/hubs_edit.html")]
pub struct HubEditPage {
    pub page: PageContext,
    pub hub: hub::Model,
    pub errors: FormErrors,
    pub form: HubForm,
    pub choices: HubChoices,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

fn typed(fields: &FormFields) -> HubForm {
    HubForm {
        name: fields.trimmed("name"),
        description: fields.trimmed("description"),
        ward: fields.trimmed("ward"),
        address: fields.trimmed("address"),
        email: fields.trimmed("email"),
        phone: fields.trimmed("phone"),
    }
}

async fn choices(state: &AppState) -> Result<HubChoices, AppError> {
    Ok(HubChoices {
        wards: vocab::wards(&state.db).await?,
    })
}

async fn index(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Query(q): Query<DoneQuery>,
) -> Result<HubsPage, AppError> {
    signed.require(&Action::ManageHubs)?;
    Ok(HubsPage {
        page,
        hubs: hubs::list(&state.db).await?,
        errors: FormErrors::new(),
        form: HubForm::default(),
        choices: choices(&state).await?,
        notice: match q.done.as_str() {
            "created" => "Hub created.",
            "saved" => "Hub details saved.",
            _ => "",
        },
    })
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    fields: FormFields,
) -> Result<Response, AppError> {
    signed.require(&Action::ManageHubs)?;
    let form = typed(&fields);
    let choices = choices(&state).await?;
    let details = match form.check(&choices) {
        Ok(details) => details,
        Err(errors) => {
            let page = HubsPage {
                page,
                hubs: hubs::list(&state.db).await?,
                errors,
                form,
                choices,
                notice: "",
            };
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let txn = crate::db::begin(&state.db).await?;
    let hub = hub_admin::create(&txn, details).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
            action: "hub.create",
            subject_type: "hub",
            subject_id: Some(hub.id),
            detail: json!({ "name": hub.name, "slug": hub.slug }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to("/admin/hubs?done=created").into_response())
}

async fn existing(state: &AppState, raw_id: &str) -> Result<hub::Model, AppError> {
    hub_admin::find(&state.db, parse_id(raw_id, "id")?)
        .await?
        .ok_or(AppError::NotFound("hub"))
}

async fn edit(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<HubEditPage, AppError> {
    signed.require(&Action::ManageHubs)?;
    let hub = existing(&state, &id).await?;
    let choices = choices(&state).await?;
    Ok(HubEditPage {
        page,
        form: HubForm::from_saved(&hub, &choices.wards),
        hub,
        errors: FormErrors::new(),
        choices,
    })
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    signed.require(&Action::ManageHubs)?;
    let hub = existing(&state, &id).await?;
    let form = typed(&fields);
    let choices = choices(&state).await?;
    let details = match form.check(&choices) {
        Ok(details) => details,
        Err(errors) => {
            let page = HubEditPage {
                page,
                hub,
                errors,
                form,
                choices,
            };
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let txn = crate::db::begin(&state.db).await?;
    let before = json!({ "name": hub.name });
    let hub = hub_admin::update(&txn, hub, details).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
            action: "hub.edit",
            subject_type: "hub",
            subject_id: Some(hub.id),
            detail: json!({ "before": before, "name": hub.name }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to("/admin/hubs?done=saved").into_response())
}
