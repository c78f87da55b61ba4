//! Links people open from their email at sign-up: confirming their own address, and a
//! parent or guardian agreeing to an under-16's account.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::sign_up::MessagePage;
use crate::auth::current::ClientIp;
use crate::error::AppError;
use crate::models::{accounts, sign_up};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/verify-email/{token}", get(verify_email))
        .route(
            "/guardian-consent/{token}",
            get(guardian_form).post(guardian_submit),
        )
}

pub async fn verify_email(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let txn = crate::db::begin(&state.db).await?;
    let Some(status) = sign_up::verify_email(&txn, &token).await? else {
        return Ok(MessagePage::dead_link(page, "email confirmation"));
    };
    txn.commit().await?;
    let done = MessagePage::new(page, "Email address confirmed").success();
    let done = if status == accounts::PENDING_GUARDIAN {
        done.says(
            "Thank you. Your account opens once your parent or guardian has agreed: we \
             have sent them an email with a link. You can sign in after that.",
        )
    } else {
        done.says("Your account is ready. Sign in to find volunteering roles near you.")
            .link("Sign in", "/sign-in")
    };
    Ok(done.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "account/guardian_consent.html")]
pub struct GuardianConsentPage {
    pub page: PageContext,
    pub errors: FormErrors,
    /// The child's first name.
    pub child: String,
    pub token: String,
}

pub async fn guardian_form(
    State(state): State<AppState>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((_, child)) = sign_up::guardian_link(&state.db, &token).await? else {
        return Ok(MessagePage::dead_link(page, "parent or guardian"));
    };
    Ok(GuardianConsentPage {
        page,
        errors: FormErrors::new(),
        child: sign_up::first_name(&child.display_name).to_owned(),
        token,
    }
    .into_response())
}

pub async fn guardian_submit(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let Some((_, child)) = sign_up::guardian_link(&state.db, &token).await? else {
        return Ok(MessagePage::dead_link(page, "parent or guardian"));
    };
    if !form.checked("agree") {
        let mut errors = FormErrors::new();
        errors.add(
            "agree",
            "Tick the box to confirm you are their parent or guardian and agree",
        );
        let again = GuardianConsentPage {
            page,
            errors,
            child: sign_up::first_name(&child.display_name).to_owned(),
            token,
        };
        return Ok((StatusCode::BAD_REQUEST, again).into_response());
    }
    let txn = crate::db::begin(&state.db).await?;
    let Some(child) = sign_up::record_guardian_consent(&txn, &token, Some(ip.to_string())).await?
    else {
        return Ok(MessagePage::dead_link(page, "parent or guardian"));
    };
    txn.commit().await?;
    let first = sign_up::first_name(&child.display_name).to_owned();
    let done = MessagePage::new(page, "Thank you for agreeing").success();
    let done = if child.status == accounts::ACTIVE {
        done.says(format!(
            "{first}'s account is now open. They can sign in and look for roles suitable \
             for young volunteers."
        ))
    } else {
        done.says(format!(
            "{first}'s account opens once they have confirmed their own email address \
             with the link we sent them."
        ))
    };
    Ok(done.into_response())
}
