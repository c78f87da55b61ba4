//! `/claim-account`: a resident signed up at a hub adds their email and a password, with
//! the code the hub gave them on paper.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::AppError;
use crate::models::assisted::{self, ClaimForm};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/claim.html")]
pub struct ClaimPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub code: String,
    pub email: String,
}

pub async fn show(page: PageContext) -> ClaimPage {
    ClaimPage {
        page,
        errors: FormErrors::new(),
        code: String::new(),
        email: String::new(),
    }
}

pub async fn claim(
    State(state): State<AppState>,
    page: PageContext,
    fields: FormFields,
) -> Result<Response, AppError> {
    let form = ClaimForm {
        code: fields.trimmed("code"),
        email: fields.trimmed("email"),
        password: fields.get("password").to_owned(),
    };
    let reshow = |errors: FormErrors, form: &ClaimForm, page: PageContext| {
        (
            StatusCode::BAD_REQUEST,
            ClaimPage {
                page,
                errors,
                code: form.code.clone(),
                email: form.email.clone(),
            },
        )
            .into_response()
    };
    let email = match assisted::check_claim(&form) {
        Ok(e) => e,
        Err(AppError::BadRequest { fields, .. }) => return Ok(reshow(fields.into(), &form, page)),
        Err(e) => return Err(e),
    };
    let password = form.password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::password::hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let txn = crate::db::begin(&state.db).await?;
    match assisted::claim(&txn, &form, &email, hash, &state.base_url).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(Redirect::to("/sign-in?notice=claimed").into_response())
        }
        Err(AppError::BadRequest { fields, .. }) => {
            drop(txn);
            Ok(reshow(fields.into(), &form, page))
        }
        Err(e) => Err(e),
    }
}
