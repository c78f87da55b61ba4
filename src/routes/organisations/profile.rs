//! An organisation's admins edit its profile: description, contacts, safeguarding lead,
//! ward, causes and the hubs it belongs to.
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
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::organisation_profile::{self, ProfileChoices, ProfileForm};
use crate::models::{audit, staff, vocab};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/organisations/{id}/edit", get(form).post(submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations/edit.html")]
pub struct EditPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub errors: FormErrors,
    pub form: ProfileForm,
    pub choices: ProfileChoices,
    pub notice: &'static str,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

impl EditPage {
    fn cause_checked(&self, slug: &str) -> bool {
        self.form.causes.iter().any(|c| c == slug)
    }

    fn hub_checked(&self, slug: &str) -> bool {
        self.form.hubs.iter().any(|h| h == slug)
    }
}

/// The organisation, once the signed-in person may edit it (403 before anything else).
async fn editable(
    state: &AppState,
    signed: &SignedIn,
    raw_id: &str,
) -> Result<organisation::Model, AppError> {
    let id = parse_id(raw_id, "id")?;
    signed.require(&Action::EditOrganisation { organisation: id })?;
    staff::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

async fn choices(state: &AppState) -> Result<ProfileChoices, AppError> {
    Ok(ProfileChoices {
        wards: vocab::wards(&state.db).await?,
        causes: vocab::causes(&state.db).await?,
        hubs: vocab::hubs(&state.db).await?,
    })
}

async fn form(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<EditPage, AppError> {
    let organisation = editable(&state, &signed, &id).await?;
    let choices = choices(&state).await?;
    let cause_ids = organisation_profile::cause_ids(&state.db, organisation.id).await?;
    let hub_ids = staff::hub_ids(&state.db, organisation.id).await?;
    Ok(EditPage {
        page,
        form: ProfileForm::from_saved(&organisation, &choices, &cause_ids, &hub_ids),
        organisation,
        errors: FormErrors::new(),
        choices,
        notice: if q.done == "saved" {
            "Your organisation's profile is saved."
        } else {
            ""
        },
    })
}

async fn submit(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let organisation = editable(&state, &signed, &id).await?;
    let choices = choices(&state).await?;
    let form = ProfileForm {
        description: fields.trimmed("description"),
        email: fields.trimmed("email"),
        phone: fields.trimmed("phone"),
        website: fields.trimmed("website"),
        safeguarding_lead: fields.trimmed("safeguarding_lead"),
        ward: fields.trimmed("ward"),
        causes: fields
            .all("causes")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        hubs: fields.all("hubs").into_iter().map(str::to_owned).collect(),
    };
    let profile = match form.check(&choices) {
        Ok(profile) => profile,
        Err(errors) => {
            let page = EditPage {
                page,
                organisation,
                errors,
                form,
                choices,
                notice: "",
            };
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };

    let txn = crate::db::begin(&state.db).await?;
    let organisation = staff::lock(&txn, organisation.id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let detail = json!({
        "causes": profile.cause_ids,
        "hubs": profile.hub_ids,
    });
    let organisation = organisation_profile::save(&txn, organisation, profile).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
            action: "organisation.edit",
            subject_type: "organisation",
            subject_id: Some(organisation.id),
            detail,
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!(
        "/organisations/{}/edit?done=saved",
        organisation.id
    ))
    .into_response())
}
