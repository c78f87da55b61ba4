//! The signed-in person's account page, and changing their password and email address.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::Deserialize;
use tower_sessions::Session;

use super::password_reset::check_new_password;
use super::sign_in::complete_sign_in;
use super::sign_up::{MessagePage, parse_address};
use crate::auth::current::{ClientIp, SignedIn};
use crate::auth::{DatabaseSessionStore, password};
use crate::domain::access::Action;
use crate::entities::user;
use crate::error::AppError;
use crate::models::account_tokens::{self, Kind};
use crate::models::sign_up::{self, EmailChange};
use crate::models::{accounts, audit};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(overview))
        .route(
            "/account/password",
            get(password_form).post(password_submit),
        )
        .route("/account/email", get(email_form).post(email_submit))
        .route("/account/confirm-email/{token}", get(confirm_email))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/account.html")]
pub struct AccountPage {
    pub page: PageContext,
    pub notice: String,
    pub name: String,
    pub email: String,
    pub two_factor: bool,
    /// Under 18: only youth-friendly roles are offered.
    pub young_volunteer: bool,
    /// `(organisation id, name, "admin" | "staff")`.
    pub organisations: Vec<(i32, String, String)>,
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

/// Notices the account page shows after a change (`/account?notice=…`).
fn notice_text(key: &str) -> &'static str {
    match key {
        "password-changed" => {
            "Your password has been changed. You have been signed out on your other devices."
        }
        "email-link-sent" => {
            "We have sent a link to your new email address. Open it to finish the change."
        }
        "email-changed" => "Your email address has been changed.",
        _ => "",
    }
}

pub async fn overview(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<AccountPage, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let user = &me.0.user;
    let today = crate::db::now().date();
    let young_volunteer = sign_up::profile_of(&state.db, user.id)
        .await?
        .is_some_and(|p| sign_up::age_on(p.date_of_birth, today) < sign_up::ADULT_AGE);
    let organisations = sign_up::organisations_of(&state.db, user.id)
        .await?
        .into_iter()
        .map(|(o, role)| (o.id, o.name, role))
        .collect();
    Ok(AccountPage {
        page,
        notice: notice_text(&q.notice).to_owned(),
        name: user.display_name.clone(),
        email: user.email.clone(),
        two_factor: user.totp_enabled_at.is_some(),
        young_volunteer,
        organisations,
    })
}

/// Whether `typed` is this person's password (hashing off the async threads).
async fn password_matches(person: &user::Model, typed: String) -> Result<bool, AppError> {
    let Some(stored) = person.password_hash.clone() else {
        return Ok(false);
    };
    tokio::task::spawn_blocking(move || password::verify(&typed, &stored).unwrap_or(false))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/change_password.html")]
pub struct ChangePasswordPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub email: String,
}

pub async fn password_form(
    page: PageContext,
    me: SignedIn,
) -> Result<ChangePasswordPage, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    Ok(ChangePasswordPage {
        page,
        errors: FormErrors::new(),
        email: me.0.user.email.clone(),
    })
}

pub async fn password_submit(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ClientIp(ip): ClientIp,
    session: Session,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let person = me.0.user;
    let current = form.get("current_password").to_owned();
    let typed = form.get("password").to_owned();
    let mut errors = FormErrors::new();
    if current.is_empty() {
        errors.add("current_password", "Enter your current password");
    } else if !password_matches(&person, current).await? {
        errors.add("current_password", "Your current password is not right");
    }
    for (field, why) in check_new_password(&typed, None, &person.email).iter() {
        errors.add(field, why.clone());
    }
    if !errors.is_empty() {
        let again = ChangePasswordPage {
            page,
            errors,
            email: person.email,
        };
        return Ok((StatusCode::BAD_REQUEST, again).into_response());
    }

    let hash = tokio::task::spawn_blocking(move || password::hash(&typed))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let txn = crate::db::begin(&state.db).await?;
    let mut row: user::ActiveModel = person.clone().into();
    row.password_hash = Set(Some(hash));
    row.updated_at = Set(crate::db::now());
    let person = row.update(&txn).await?;
    account_tokens::revoke_all(&txn, Kind::PasswordReset, person.id).await?;
    // Every session ends, this one included; it is signed in again below under a new id.
    DatabaseSessionStore::delete_for_user(&txn, person.id).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(person.id),
            action: "account.password_change",
            subject_type: "user",
            subject_id: Some(person.id),
            detail: serde_json::json!({}),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    sign_up::tell_password_changed(&txn, &person, &|path: &str| state.link(path)).await?;
    txn.commit().await?;
    complete_sign_in(&state, &session, person).await?;
    Ok(Redirect::to("/account?notice=password-changed").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "account/change_email.html")]
pub struct ChangeEmailPage {
    pub page: PageContext,
    pub errors: FormErrors,
    /// The address now.
    pub current: String,
    /// What was typed as the new one.
    pub email: String,
}

pub async fn email_form(page: PageContext, me: SignedIn) -> Result<ChangeEmailPage, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    Ok(ChangeEmailPage {
        page,
        errors: FormErrors::new(),
        current: me.0.user.email.clone(),
        email: String::new(),
    })
}

pub async fn email_submit(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let person = me.0.user;
    let raw = form.trimmed("email");
    let current = form.get("current_password").to_owned();
    let mut errors = FormErrors::new();
    let new_email = match parse_address(&raw) {
        Ok(e) if e.as_str() == person.email => {
            errors.add("email", "That is already your email address");
            None
        }
        Ok(e) => Some(e),
        Err(why) => {
            errors.add("email", why);
            None
        }
    };
    if current.is_empty() {
        errors.add("current_password", "Enter your password");
    } else if !password_matches(&person, current).await? {
        errors.add("current_password", "Your password is not right");
    }
    // Only someone who knows the account's password is told an address is taken.
    if let Some(e) = &new_email
        && errors.is_empty()
        && accounts::find_by_email(&state.db, e.as_str())
            .await?
            .is_some()
    {
        errors.add(
            "email",
            "Another account already uses this email address: choose a different one",
        );
    }
    let (Some(new_email), true) = (new_email, errors.is_empty()) else {
        let again = ChangeEmailPage {
            page,
            errors,
            current: person.email,
            email: raw,
        };
        return Ok((StatusCode::BAD_REQUEST, again).into_response());
    };

    let txn = crate::db::begin(&state.db).await?;
    sign_up::request_email_change(&txn, &person, &new_email, &|path: &str| state.link(path))
        .await?;
    txn.commit().await?;
    Ok(Redirect::to("/account?notice=email-link-sent").into_response())
}

pub async fn confirm_email(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let txn = crate::db::begin(&state.db).await?;
    match sign_up::confirm_email_change(&txn, &token, Some(ip.to_string())).await? {
        EmailChange::Changed { to, .. } => {
            txn.commit().await?;
            Ok(MessagePage::new(page, "Email address changed")
                .success()
                .says(format!(
                    "Your account's email address is now {to}. Use it to sign in from now on."
                ))
                .link("Go to your account", "/account")
                .into_response())
        }
        EmailChange::AddressTaken => Ok((
            StatusCode::BAD_REQUEST,
            MessagePage::new(page, "This email address is already in use")
                .says(
                    "Another account started using this address after you asked for the \
                     change, so your email address has not been changed.",
                )
                .link("Choose a different address", "/account/email"),
        )
            .into_response()),
        EmailChange::DeadLink => Ok(MessagePage::dead_link(page, "email change")),
    }
}
