//! One-click unsubscribe (RFC 8058): a signed link from a non-essential email turns that
//! kind of email off, without signing in. GET shows a confirm button (link scanners
//! fetch links, so GET changes nothing); POST turns it off, from the page or straight
//! from a mail client (`List-Unsubscribe=One-Click`, no cookie: exempt from CSRF, the
//! signed token is the proof).
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::email::{Preference, unsubscribe};
use crate::error::AppError;
use crate::models::email_preferences;
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/unsubscribe/{token}", get(show).post(confirm))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/unsubscribe.html")]
pub struct UnsubscribePage {
    pub page: PageContext,
    pub token: String,
    pub label: &'static str,
    pub description: &'static str,
    pub done: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/unsubscribe_invalid.html")]
pub struct InvalidLinkPage {
    pub page: PageContext,
}

/// The user and preference of a token we signed for an account that still exists.
async fn check(state: &AppState, token: &str) -> Result<Option<(i32, Preference)>, AppError> {
    let Some((user_id, preference)) = unsubscribe::verify(token) else {
        return Ok(None);
    };
    if !email_preferences::user_exists(&state.db, user_id).await? {
        return Ok(None);
    }
    Ok(Some((user_id, preference)))
}

fn invalid(page: PageContext) -> Response {
    (StatusCode::BAD_REQUEST, InvalidLinkPage { page }).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((_, preference)) = check(&state, &token).await? else {
        return Ok(invalid(page));
    };
    Ok(UnsubscribePage {
        page,
        token,
        label: preference.label(),
        description: preference.description(),
        done: false,
    }
    .into_response())
}

/// Turns the kind off. The body (`List-Unsubscribe=One-Click` from a mail client, or
/// nothing from our page) is not needed: the token says everything.
pub async fn confirm(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((user_id, preference)) = check(&state, &token).await? else {
        return Ok(invalid(page));
    };
    let txn = crate::db::begin(&state.db).await?;
    email_preferences::set(&txn, user_id, preference, false).await?;
    crate::models::audit::record(
        &txn,
        crate::models::audit::Entry {
            actor_user_id: Some(user_id),
            action: "email.unsubscribe",
            subject_type: "user",
            subject_id: Some(user_id),
            detail: serde_json::json!({ "kind": preference.key() }),
            ip: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UnsubscribePage {
        page,
        token,
        label: preference.label(),
        description: preference.description(),
        done: true,
    }
    .into_response())
}
