//! Sign-in security: setting up and turning off two-factor sign-in, recovery codes, the
//! second step of signing in, and signing out on every device.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::json;
use tower_sessions::Session;

use crate::auth::current::{ClientIp, SignedIn};
use crate::auth::{DatabaseSessionStore, password, rate_limit, session, totp};
use crate::domain::access::Action;
use crate::entities::user;
use crate::error::AppError;
use crate::models::{accounts, audit, two_factor};
use crate::routes::account::sign_in::{AFTER_SIGN_IN, NextQuery, complete_sign_in};
use crate::routes::forms::{FormErrors, FormFields, safe_next};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/two-factor", get(status).post(enable))
        .route("/account/two-factor/disable", post(disable))
        .route(
            "/account/two-factor/recovery-codes",
            post(regenerate_recovery_codes),
        )
        .route(
            "/sign-in/two-factor",
            get(second_step_form).post(second_step),
        )
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
}

/// Said when someone who must keep two-factor sign-in tries to turn it off.
pub const REQUIRED_FOR_ROLE: &str = "Alliance admins and hub coordinators see figures for \
     the whole borough, so they must keep two-factor sign-in turned on";

#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor.html")]
pub struct TwoFactorPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub enabled: bool,
    /// Alliance admins and hub coordinators cannot turn it off.
    pub required: bool,
    /// While setting up: the secret in groups of four and the app's import address.
    pub secret_grouped: String,
    pub provisioning_uri: String,
    pub recovery_codes_left: u64,
    /// Why the last request was refused, when it was not a field's fault.
    pub refusal: String,
    pub notice: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor_codes.html")]
pub struct RecoveryCodesPage {
    pub page: PageContext,
    pub codes: Vec<String>,
    /// True right after setting up, false after asking for new codes.
    pub just_enabled: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor_sign_in.html")]
pub struct SecondStepPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub next: String,
}

/// The page as it stands for this person (starting set-up when two-factor is off).
async fn status_page(
    state: &AppState,
    page: PageContext,
    person: &accounts::CurrentUser,
) -> Result<TwoFactorPage, AppError> {
    let user = &person.user;
    let enabled = user.totp_enabled_at.is_some() && user.totp_secret.is_some();
    let (secret_grouped, provisioning_uri, recovery_codes_left) = if enabled {
        (
            String::new(),
            String::new(),
            two_factor::recovery_codes_left(&state.db, user.id).await?,
        )
    } else {
        let secret = two_factor::pending_secret(&state.db, user).await?;
        (
            totp::grouped(&secret),
            totp::provisioning_uri(two_factor::ISSUER, &user.email, &secret),
            0,
        )
    };
    Ok(TwoFactorPage {
        page,
        errors: FormErrors::new(),
        enabled,
        required: person.actor.needs_two_factor(),
        secret_grouped,
        provisioning_uri,
        recovery_codes_left,
        refusal: String::new(),
        notice: String::new(),
    })
}

pub async fn status(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
) -> Result<TwoFactorPage, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    status_page(&state, page, &signed_in.0).await
}

/// Finishes set-up with a code from the app; shows the recovery codes once.
pub async fn enable(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let person = signed_in.0;
    if person.user.totp_enabled_at.is_some() {
        return Ok(Redirect::to("/account/two-factor").into_response());
    }
    let code = form.trimmed("code");
    let mut errors = FormErrors::new();
    if code.is_empty() {
        errors.add("code", "Enter the 6-digit code from your authenticator app");
    } else if code.chars().filter(|c| !c.is_whitespace()).count() != 6
        || !code
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        errors.add("code", "The code must be 6 digits, like 123456");
    }
    let codes = if errors.is_empty() {
        let txn = crate::db::begin(&state.db).await?;
        match two_factor::enable(&txn, &person.user, &code).await? {
            Some(codes) => {
                audit::record(
                    &txn,
                    audit_entry(person.id(), "two_factor.enable", ip.to_string()),
                )
                .await?;
                txn.commit().await?;
                Some(codes)
            }
            None => {
                errors.add(
                    "code",
                    "That code is not right. Check the app shows hubmatch Southwark and \
                     enter the code it shows now",
                );
                None
            }
        }
    } else {
        None
    };
    match codes {
        Some(codes) => Ok(RecoveryCodesPage {
            page,
            codes,
            just_enabled: true,
        }
        .into_response()),
        None => {
            let mut shown = status_page(&state, page, &person).await?;
            shown.errors = errors;
            Ok((StatusCode::BAD_REQUEST, shown).into_response())
        }
    }
}

/// Turns two-factor sign-in off (current password needed); never for those who must have it.
pub async fn disable(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let person = signed_in.0;
    if person.actor.needs_two_factor() {
        let mut shown = status_page(&state, page, &person).await?;
        shown.refusal = REQUIRED_FOR_ROLE.to_owned();
        return Ok((StatusCode::FORBIDDEN, shown).into_response());
    }
    if person.user.totp_enabled_at.is_none() {
        return Ok(Redirect::to("/account/two-factor").into_response());
    }
    if let Err(errors) = check_current_password(
        &person.user,
        form.get("disable_password"),
        "disable_password",
    )
    .await?
    {
        let mut shown = status_page(&state, page, &person).await?;
        shown.errors = errors;
        return Ok((StatusCode::BAD_REQUEST, shown).into_response());
    }
    let txn = crate::db::begin(&state.db).await?;
    two_factor::disable(&txn, person.id()).await?;
    audit::record(
        &txn,
        audit_entry(person.id(), "two_factor.disable", ip.to_string()),
    )
    .await?;
    txn.commit().await?;
    let mut shown = status_page(&state, page, &person_without_two_factor(person)).await?;
    shown.notice = "Two-factor sign-in is off. You can turn it on again below.".into();
    Ok(shown.into_response())
}

/// The same person as the page should now see them (the request's copy is from before).
fn person_without_two_factor(mut person: accounts::CurrentUser) -> accounts::CurrentUser {
    person.user.totp_secret = None;
    person.user.totp_enabled_at = None;
    person.user.totp_last_step = None;
    person
}

/// New recovery codes (current password needed); the old ones stop working.
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let person = signed_in.0;
    if person.user.totp_enabled_at.is_none() {
        return Ok(Redirect::to("/account/two-factor").into_response());
    }
    if let Err(errors) =
        check_current_password(&person.user, form.get("codes_password"), "codes_password").await?
    {
        let mut shown = status_page(&state, page, &person).await?;
        shown.errors = errors;
        return Ok((StatusCode::BAD_REQUEST, shown).into_response());
    }
    let txn = crate::db::begin(&state.db).await?;
    let codes = two_factor::replace_recovery_codes(&txn, person.id()).await?;
    audit::record(
        &txn,
        audit_entry(person.id(), "two_factor.recovery_codes", ip.to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(RecoveryCodesPage {
        page,
        codes,
        just_enabled: false,
    }
    .into_response())
}

/// `Ok(Ok(()))` when `typed` is the person's password; otherwise the message for `field`.
pub async fn check_current_password(
    person: &user::Model,
    typed: &str,
    field: &str,
) -> Result<Result<(), FormErrors>, AppError> {
    let mut errors = FormErrors::new();
    if typed.is_empty() {
        errors.add(field, "Enter your current password");
        return Ok(Err(errors));
    }
    let Some(stored) = person.password_hash.clone() else {
        errors.add(field, "Your password is not right");
        return Ok(Err(errors));
    };
    let typed = typed.to_owned();
    let matches = tokio::task::spawn_blocking(move || password::verify(&typed, &stored))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .unwrap_or(false);
    if matches {
        Ok(Ok(()))
    } else {
        errors.add(field, "Your password is not right");
        Ok(Err(errors))
    }
}

fn audit_entry(user_id: i32, action: &'static str, ip: String) -> audit::Entry<'static> {
    audit::Entry {
        actor_user_id: Some(user_id),
        action,
        subject_type: "user",
        subject_id: Some(user_id),
        detail: json!({}),
        ip: Some(ip),
    }
}

/// The person whose password was checked a moment ago in this browser, if still waiting.
async fn waiting_person(
    state: &AppState,
    session: &Session,
) -> Result<Option<user::Model>, AppError> {
    let pending = session::pending_second_factor(session)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(user_id) = pending else {
        return Ok(None);
    };
    Ok(accounts::load_current(&state.db, user_id)
        .await?
        .map(|current| current.user))
}

pub async fn second_step_form(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    if waiting_person(&state, &session).await?.is_none() {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    Ok(SecondStepPage {
        page,
        errors: FormErrors::new(),
        next: safe_next(&q.next, ""),
    }
    .into_response())
}

pub async fn second_step(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    let next = safe_next(form.get("next"), "");
    let Some(person) = waiting_person(&state, &session).await? else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    let reshow = |page: PageContext, status: StatusCode, field_error: String| {
        let mut errors = FormErrors::new();
        errors.add("code", field_error);
        (
            status,
            SecondStepPage {
                page,
                errors,
                next: next.clone(),
            },
        )
            .into_response()
    };
    let code = form.trimmed("code");
    if code.is_empty() {
        return Ok(reshow(
            page,
            StatusCode::BAD_REQUEST,
            "Enter the 6-digit code from your authenticator app, or a recovery code".into(),
        ));
    }
    let subject = person.id.to_string();
    if !rate_limit::attempt(&state.db, rate_limit::TWO_FACTOR_PER_ACCOUNT, &subject).await? {
        return Ok(reshow(
            page,
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many codes tried. Wait {} and sign in again",
                rate_limit::TWO_FACTOR_PER_ACCOUNT.wait_words()
            ),
        ));
    }
    let txn = crate::db::begin(&state.db).await?;
    let accepted = two_factor::check(&txn, &person, &code).await?;
    if accepted == Some(two_factor::Accepted::RecoveryCode) {
        audit::record(
            &txn,
            audit_entry(person.id, "two_factor.recovery_code_used", ip.to_string()),
        )
        .await?;
    }
    txn.commit().await?;
    if accepted.is_none() {
        return Ok(reshow(
            page,
            StatusCode::BAD_REQUEST,
            "That code is not right, or has been used already. Enter the code your app \
             shows now, or an unused recovery code"
                .into(),
        ));
    }
    complete_sign_in(&state, &session, person).await?;
    Ok(Redirect::to(&safe_next(&next, AFTER_SIGN_IN)).into_response())
}

/// Ends every session of this person, this one included.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    signed_in: SignedIn,
    session: Session,
    ClientIp(ip): ClientIp,
) -> Result<Redirect, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let user_id = signed_in.0.id();
    let txn = crate::db::begin(&state.db).await?;
    DatabaseSessionStore::delete_for_user(&txn, user_id).await?;
    audit::record(
        &txn,
        audit_entry(user_id, "account.sign_out_everywhere", ip.to_string()),
    )
    .await?;
    txn.commit().await?;
    // The row is gone already; this clears the cookie and stops the store saving it again.
    session::sign_out(&session)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/sign-in?notice=signed-out-everywhere"))
}
