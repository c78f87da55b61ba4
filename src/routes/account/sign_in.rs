//! Signing in (password, then a second factor when the account has one) and out.
use std::sync::OnceLock;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::current::ClientIp;
use crate::auth::{EmailAddress, password, rate_limit, session};
use crate::entities::user;
use crate::error::AppError;
use crate::models::accounts;
use crate::routes::forms::{FormErrors, FormFields, safe_next};
use crate::routes::page::PageContext;
use crate::state::AppState;

/// Where people land after signing in when they were not on their way somewhere.
pub const AFTER_SIGN_IN: &str = "/account";
/// The one message for a wrong email or password, so neither is given away.
pub const WRONG_CREDENTIALS: &str = "Enter a correct email address and password";

#[derive(Template, WebTemplate)]
#[template(path = "account/sign_in.html")]
pub struct SignInPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub email: String,
    pub next: String,
    /// Shown above the form, e.g. after a password reset.
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub notice: String,
}

pub async fn form(page: PageContext, Query(q): Query<NextQuery>) -> SignInPage {
    SignInPage {
        page,
        errors: FormErrors::new(),
        email: String::new(),
        next: safe_next(&q.next, ""),
        notice: notice_text(&q.notice).to_owned(),
    }
}

/// Notices other journeys link to (`/sign-in?notice=…`); unknown ones show nothing.
fn notice_text(key: &str) -> &'static str {
    match key {
        "password-changed" => "Your password has been changed. Sign in with your new password.",
        "email-confirmed" => "Your email address is confirmed. You can now sign in.",
        "signed-out-everywhere" => "You have been signed out on every device.",
        "account-deleted" => "Your account has been deleted.",
        _ => "",
    }
}

pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    session: Session,
    form: FormFields,
) -> Result<Response, AppError> {
    let next = safe_next(form.get("next"), "");
    let raw_email = form.trimmed("email");
    let reshow = |page: PageContext, status: StatusCode, errors: FormErrors| {
        (
            status,
            SignInPage {
                page,
                errors,
                email: raw_email.clone(),
                next: next.clone(),
                notice: String::new(),
            },
        )
            .into_response()
    };

    let mut errors = FormErrors::new();
    let password_typed = form.get("password").to_owned();
    let email = match EmailAddress::parse(&raw_email) {
        Ok(email) => Some(email),
        Err(e) => {
            errors.add("email", e.to_string());
            None
        }
    };
    if password_typed.is_empty() {
        errors.add("password", "Enter your password");
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Ok(reshow(page, StatusCode::BAD_REQUEST, errors));
    };

    let ip = ip.to_string();
    if let Some(limit) = rate_limit::attempt_all(
        &state.db,
        &[
            (rate_limit::SIGN_IN_PER_IP, ip.as_str()),
            (rate_limit::SIGN_IN_PER_ACCOUNT, email.as_str()),
        ],
    )
    .await?
    {
        let mut errors = FormErrors::new();
        errors.add(
            "email",
            format!(
                "Too many attempts to sign in. Wait {} and try again, or reset your password",
                limit.wait_words()
            ),
        );
        return Ok(reshow(page, StatusCode::TOO_MANY_REQUESTS, errors));
    }

    let found = accounts::find_by_email(&state.db, email.as_str()).await?;
    let Some(user) = check_password(found, password_typed).await? else {
        let mut errors = FormErrors::new();
        errors.add("email", WRONG_CREDENTIALS);
        return Ok(reshow(page, StatusCode::BAD_REQUEST, errors));
    };

    // Only someone who knows the password learns the account's state.
    let blocked = match user.status.as_str() {
        accounts::ACTIVE if user.erased_at.is_none() => None,
        accounts::PENDING_VERIFICATION => Some(
            "Confirm your email address first: open the link we sent you. \
             If you cannot find it, reset your password to get a new link",
        ),
        accounts::PENDING_GUARDIAN => Some(
            "Your parent or guardian needs to confirm your account first: \
             we sent them an email with a link",
        ),
        _ => Some(WRONG_CREDENTIALS),
    };
    if let Some(why) = blocked {
        let mut errors = FormErrors::new();
        errors.add("email", why);
        return Ok(reshow(page, StatusCode::FORBIDDEN, errors));
    }

    let to = if user.totp_enabled_at.is_some() {
        session::await_second_factor(&session, user.id)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
        format!("/sign-in/two-factor?{query}")
    } else {
        complete_sign_in(&state, &session, user).await?;
        safe_next(&next, AFTER_SIGN_IN)
    };
    Ok(Redirect::to(&to).into_response())
}

/// The user, when `typed` is their password. Unknown addresses and accounts without a
/// password cost the same hashing time, so timing does not reveal which addresses exist.
async fn check_password(
    found: Option<user::Model>,
    typed: String,
) -> Result<Option<user::Model>, AppError> {
    let stored = found
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .ok_or(());
    tokio::task::spawn_blocking(move || {
        let ok = match &stored {
            Ok(hash) => password::verify(&typed, hash).unwrap_or(false),
            Err(()) => {
                let _ = password::verify(&typed, dummy_hash());
                false
            }
        };
        Ok(ok.then_some(found).flatten())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// A hash of nothing anyone types, made once.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        password::hash("no account has this password: it only spends the same time")
            .unwrap_or_default()
    })
}

/// The user is who they say: a fresh session id, the time noted, the hash renewed
/// when it was made with older settings.
pub async fn complete_sign_in(
    state: &AppState,
    session: &Session,
    user: user::Model,
) -> Result<(), AppError> {
    session::sign_in(session, user.id)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut row: user::ActiveModel = user.clone().into();
    row.last_login_at = Set(Some(crate::db::now()));
    row.update(&state.db).await?;
    Ok(())
}

pub async fn sign_out(session: Session) -> Result<Redirect, AppError> {
    session::sign_out(&session)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/"))
}
