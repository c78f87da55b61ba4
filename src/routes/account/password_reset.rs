//! Forgotten passwords: asking for a reset link (the same answer for every address) and
//! choosing a new password from it.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::sign_up::{MessagePage, parse_address};
use crate::auth::current::ClientIp;
use crate::auth::{EmailAddress, password, rate_limit};
use crate::error::AppError;
use crate::models::{accounts, sign_up};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/password-reset", get(form).post(submit))
        .route("/password-reset/sent", get(sent))
        .route("/password-reset/{token}", get(new_form).post(new_submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/password_reset.html")]
pub struct ResetRequestPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub email: String,
}

pub async fn form(page: PageContext) -> ResetRequestPage {
    ResetRequestPage {
        page,
        errors: FormErrors::new(),
        email: String::new(),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    let raw = form.trimmed("email");
    let reshow = |page, status, errors| {
        (
            status,
            ResetRequestPage {
                page,
                errors,
                email: raw.clone(),
            },
        )
            .into_response()
    };
    let email = match parse_address(&raw) {
        Ok(email) => email,
        Err(why) => {
            let mut errors = FormErrors::new();
            errors.add("email", why);
            return Ok(reshow(page, StatusCode::BAD_REQUEST, errors));
        }
    };
    let ip = ip.to_string();
    if let Some(limit) = rate_limit::attempt_all(
        &state.db,
        &[
            (rate_limit::RESET_PER_IP, ip.as_str()),
            (rate_limit::RESET_PER_ACCOUNT, email.as_str()),
        ],
    )
    .await?
    {
        let mut errors = FormErrors::new();
        errors.add(
            "email",
            format!(
                "Too many requests for a reset link. Wait {} and try again",
                limit.wait_words()
            ),
        );
        return Ok(reshow(page, StatusCode::TOO_MANY_REQUESTS, errors));
    }

    let txn = crate::db::begin(&state.db).await?;
    if let Some(person) = accounts::find_by_email(&txn, email.as_str()).await?
        && sign_up::can_reset_password(&person)
    {
        sign_up::send_password_reset(&txn, &person, &|path: &str| state.link(path)).await?;
    }
    txn.commit().await?;
    Ok(Redirect::to("/password-reset/sent").into_response())
}

/// The one answer, whether or not the address has an account.
pub async fn sent(page: PageContext) -> MessagePage {
    MessagePage::new(page, "Check your email")
        .says(
            "If an account exists for that address, we have sent a link to choose a new \
             password. The link works once, for 1 hour.",
        )
        .says("No email after a few minutes? Check your spam folder, or ask again.")
        .link("Ask for another link", "/password-reset")
        .link("Sign in", "/sign-in")
}

#[derive(Template, WebTemplate)]
#[template(path = "account/password_reset_new.html")]
pub struct NewPasswordPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub email: String,
    pub token: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(person) = sign_up::reset_link(&state.db, &token).await? else {
        return Ok(MessagePage::dead_link(page, "password reset"));
    };
    Ok(NewPasswordPage {
        page,
        errors: FormErrors::new(),
        email: person.email,
        token,
    }
    .into_response())
}

/// The first problem with a new password and its confirmation, by field.
pub fn check_new_password(typed: &str, confirm: Option<&str>, email: &str) -> FormErrors {
    let mut errors = FormErrors::new();
    if typed.is_empty() {
        errors.add("password", "Enter a new password");
    } else if let Ok(email) = EmailAddress::parse(email)
        && let Err(why) = password::check_policy(typed, &email)
    {
        errors.add("password", why.to_string());
    }
    if let Some(confirm) = confirm {
        if confirm.is_empty() {
            errors.add("confirm_password", "Confirm your new password");
        } else if confirm != typed {
            errors.add("confirm_password", "The passwords do not match");
        }
    }
    errors
}

pub async fn new_submit(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let Some(person) = sign_up::reset_link(&state.db, &token).await? else {
        return Ok(MessagePage::dead_link(page, "password reset"));
    };
    let typed = form.get("password").to_owned();
    let errors = check_new_password(&typed, Some(form.get("confirm_password")), &person.email);
    if !errors.is_empty() {
        let again = NewPasswordPage {
            page,
            errors,
            email: person.email,
            token,
        };
        return Ok((StatusCode::BAD_REQUEST, again).into_response());
    }
    let hash = tokio::task::spawn_blocking(move || password::hash(&typed))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let txn = crate::db::begin(&state.db).await?;
    let link = |path: &str| state.link(path);
    if sign_up::reset_password(&txn, &token, hash, &link)
        .await?
        .is_none()
    {
        return Ok(MessagePage::dead_link(page, "password reset"));
    }
    txn.commit().await?;
    Ok(Redirect::to("/sign-in?notice=password-changed").into_response())
}
