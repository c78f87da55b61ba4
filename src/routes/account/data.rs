//! A person's data: downloading all of it as JSON (page, file, API) and deleting their
//! account (erasure).
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_sessions::Session;

use crate::auth::current::{ApiCaller, ClientIp, SignedIn};
use crate::auth::session;
use crate::domain::access::Action;
use crate::error::{ApiError, AppError};
use crate::models::accounts::CurrentUser;
use crate::models::{audit, gdpr};
use crate::routes::account::two_factor::check_current_password;
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/export", get(export_page))
        .route("/account/export.json", get(export_file))
        .route("/account/delete", get(delete_form).post(delete))
}

// The page lives here, not in templates/, until the export page needs more than this.
#[derive(Template, WebTemplate)]
#[template(
    ext = "html",
    source = r#"{% extends "layout.html" %}
{% block title %}Download your data{% endblock %}
{% block before_main %}
<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">
  <ol class="govuk-breadcrumbs__list">
    <li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/account">Your account</a></li>
  </ol>
</nav>
{% endblock %}
{% block content %}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l">Download your data</h1>
    <p class="govuk-body">You can download everything hubmatch holds about you as one file. It includes:</p>
    <ul class="govuk-list govuk-list--bullet">
      <li>your account details and volunteer profile</li>
      <li>your skills, causes and when you are free</li>
      <li>your applications, with what happened to each, and the hours you logged</li>
      <li>your answers to the equality questions, if you gave any</li>
      <li>the organisations you work for and the hubs you coordinate</li>
      <li>your API tokens (their names, not the tokens themselves) and what the audit log noted you doing</li>
    </ul>
    <p class="govuk-body">The file is in JSON, a format other services and spreadsheet tools can read. It does not include your password or your two-factor secret.</p>
    <a href="/account/export.json" role="button" draggable="false" class="govuk-button" data-module="govuk-button" download>Download your data (JSON)</a>
    <p class="govuk-body">If you want us to delete your data, you can <a class="govuk-link" href="/account/delete">delete your account</a>.</p>
  </div>
</div>
{% endblock %}"#
)]
pub struct ExportPage {
    pub page: PageContext,
}

pub async fn export_page(page: PageContext, signed_in: SignedIn) -> Result<ExportPage, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    Ok(ExportPage { page })
}

/// The export, with its audit entry written in the same transaction.
async fn exported(
    state: &AppState,
    person: &CurrentUser,
    via: &str,
    ip: Option<String>,
) -> Result<gdpr::PersonalData, AppError> {
    let txn = crate::db::begin(&state.db).await?;
    // Recorded first, so the file shows this export too.
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(person.id()),
            action: "data.export",
            subject_type: "user",
            subject_id: Some(person.id()),
            detail: json!({ "via": via }),
            ip,
        },
    )
    .await?;
    let data = gdpr::export(&txn, &person.user).await?;
    txn.commit().await?;
    Ok(data)
}

fn as_download(data: gdpr::PersonalData, user_id: i32) -> Response {
    let disposition = format!("attachment; filename=\"hubmatch-data-{user_id}.json\"");
    (
        [
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Json(data),
    )
        .into_response()
}

pub async fn export_file(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let data = exported(&state, &signed_in.0, "page", Some(ip.to_string())).await?;
    Ok(as_download(data, signed_in.0.id()))
}

/// `GET /api/v1/me/export`.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_api))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/export",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All of the caller's data, as a JSON file", content_type = "application/json"),
        (status = 401, description = "Not signed in and no token", body = crate::error::ErrorBody),
        (status = 403, description = "An organisation's token cannot export a person's data", body = crate::error::ErrorBody),
    )
)]
pub async fn export_api(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientIp(ip): ClientIp,
) -> Result<Response, ApiError> {
    // An organisation's token acts for the organisation, never for a person's own data.
    caller.require(&Action::ManageOwnAccount)?;
    let data = exported(&state, &caller.0, "api", Some(ip.to_string())).await?;
    Ok(as_download(data, caller.0.id()))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/delete.html")]
pub struct DeletePage {
    pub page: PageContext,
    pub errors: FormErrors,
    /// Organisations this person is the only admin of: they must hand over first.
    pub sole_admin_of: Vec<String>,
}

async fn delete_page(
    state: &AppState,
    page: PageContext,
    user_id: i32,
) -> Result<DeletePage, AppError> {
    let sole_admin_of = gdpr::sole_admin_of(&state.db, user_id)
        .await?
        .into_iter()
        .map(|o| o.name)
        .collect();
    Ok(DeletePage {
        page,
        errors: FormErrors::new(),
        sole_admin_of,
    })
}

pub async fn delete_form(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
) -> Result<DeletePage, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    delete_page(&state, page, signed_in.0.id()).await
}

/// "You are the only admin of A and B …".
fn hand_over_message(organisations: &[String]) -> String {
    let names = match organisations {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!(
        "You are the only admin of {names}. Make another member of staff an admin first, \
         then you can delete your account"
    )
}

pub async fn delete(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    session: Session,
    form: FormFields,
) -> Result<Response, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let person = signed_in.0;
    let mut errors =
        match check_current_password(&person.user, form.get("password"), "password").await? {
            Ok(()) => FormErrors::new(),
            Err(errors) => errors,
        };
    if !form.checked("confirm") {
        errors.add(
            "confirm",
            "Tick the box to confirm you understand your account will be deleted",
        );
    }
    if !errors.is_empty() {
        let mut shown = delete_page(&state, page, person.id()).await?;
        shown.errors = errors;
        return Ok((StatusCode::BAD_REQUEST, shown).into_response());
    }

    let txn = crate::db::begin(&state.db).await?;
    let sole: Vec<String> = gdpr::sole_admin_of(&txn, person.id())
        .await?
        .into_iter()
        .map(|o| o.name)
        .collect();
    if !sole.is_empty() {
        drop(txn);
        let mut shown = delete_page(&state, page, person.id()).await?;
        shown.errors.add("sole-admin", hand_over_message(&sole));
        return Ok((StatusCode::CONFLICT, shown).into_response());
    }
    let kept = gdpr::erase(&txn, &person.user).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(person.id()),
            action: "account.erase",
            subject_type: "user",
            subject_id: Some(person.id()),
            // Counts only: nothing that could say who they were.
            detail: json!(kept),
            ip: None,
        },
    )
    .await?;
    txn.commit().await?;
    // Every session row went with the erasure; this clears the cookie.
    session::sign_out(&session)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/sign-in?notice=account-deleted").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_over_message_names_every_organisation() {
        assert!(
            hand_over_message(&["Peckham Food Hub".into()])
                .contains("only admin of Peckham Food Hub.")
        );
        assert!(
            hand_over_message(&["A".into(), "B".into(), "C".into()])
                .contains("only admin of A, B and C.")
        );
    }
}
