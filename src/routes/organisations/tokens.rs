//! An organisation's API tokens: its admins create them (each acts for the organisation
//! as staff, and for nothing personal), see them and revoke them.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sea_orm::EntityTrait;
use serde_json::json;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::{api_tokens, audit};
use crate::routes::account::tokens::{NewSecret, TokenRow, revoke_and_record};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/api-tokens", get(list).post(create))
        .route(
            "/organisations/{id}/api-tokens/{token_id}/revoke",
            post(revoke),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations/tokens.html")]
pub struct OrganisationTokensPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub organisation_id: i32,
    pub organisation_name: String,
    pub name: String,
    pub tokens: Vec<TokenRow>,
    pub created: Option<NewSecret>,
    /// Where the list lives; create and revoke post under it.
    pub tokens_path: String,
}

/// The organisation's id once the signed-in person may manage its tokens (permission is
/// decided before anything is looked up, so the unauthorised learn nothing).
fn allowed(signed_in: &SignedIn, raw_id: &str) -> Result<i32, AppError> {
    let organisation = parse_id(raw_id, "id")?;
    signed_in.require(&Action::ManageOrganisationTokens { organisation })?;
    Ok(organisation)
}

async fn page_for(
    state: &AppState,
    page: PageContext,
    organisation_id: i32,
) -> Result<OrganisationTokensPage, AppError> {
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let tokens = api_tokens::of_organisation(&state.db, organisation_id)
        .await?
        .iter()
        .map(TokenRow::from_model)
        .collect();
    Ok(OrganisationTokensPage {
        page,
        errors: FormErrors::new(),
        organisation_id,
        organisation_name: org.name,
        name: String::new(),
        tokens,
        created: None,
        tokens_path: format!("/organisations/{organisation_id}/api-tokens"),
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<OrganisationTokensPage, AppError> {
    let organisation_id = allowed(&signed_in, &id)?;
    page_for(&state, page, organisation_id).await
}

pub async fn create(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let organisation_id = allowed(&signed_in, &id)?;
    let user_id = signed_in.0.id();
    let mut shown = page_for(&state, page, organisation_id).await?;
    let name = match api_tokens::check_name(form.get("name")) {
        Ok(name) => name,
        Err(e) => {
            shown.errors = e.fields().into();
            shown.name = form.trimmed("name");
            return Ok((StatusCode::BAD_REQUEST, shown).into_response());
        }
    };
    let txn = crate::db::begin(&state.db).await?;
    let new = api_tokens::create(&txn, user_id, Some(organisation_id), &name).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(user_id),
            action: "api_token.create",
            subject_type: "api_token",
            subject_id: Some(new.row.id),
            detail: json!({ "name": name, "prefix": new.row.prefix,
                            "organisation_id": organisation_id }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    shown.tokens.insert(0, TokenRow::from_model(&new.row));
    shown.created = Some(NewSecret {
        name,
        secret: new.secret,
    });
    Ok(shown.into_response())
}

pub async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    Path((id, token_id)): Path<(String, String)>,
) -> Result<Redirect, AppError> {
    let organisation_id = allowed(&signed_in, &id)?;
    let token_id = parse_id(&token_id, "token_id")?;
    let txn = crate::db::begin(&state.db).await?;
    // Another organisation's token (or a personal one) is not found under this one.
    let token = api_tokens::find(&txn, token_id)
        .await?
        .filter(|t| t.organisation_id == Some(organisation_id))
        .ok_or(AppError::NotFound("API token"))?;
    revoke_and_record(&txn, &token, signed_in.0.id(), ip.to_string()).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!(
        "/organisations/{organisation_id}/api-tokens"
    )))
}
