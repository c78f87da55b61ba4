//! The email preferences page: which non-essential emails a person wants.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::email::Preference;
use crate::error::AppError;
use crate::models::email_preferences;
use crate::routes::forms::FormFields;
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/email-preferences", get(show).post(save))
}

/// One checkbox.
pub struct PreferenceRow {
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub enabled: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/email_preferences.html")]
pub struct EmailPreferencesPage {
    pub page: PageContext,
    pub email: String,
    pub rows: Vec<PreferenceRow>,
    pub saved: bool,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Query(q): Query<SavedQuery>,
) -> Result<EmailPreferencesPage, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let rows = email_preferences::all(&state.db, me.0.id())
        .await?
        .into_iter()
        .map(|(p, enabled)| PreferenceRow {
            key: p.key(),
            label: p.label(),
            description: p.description(),
            enabled,
        })
        .collect();
    Ok(EmailPreferencesPage {
        page,
        email: me.0.user.email.clone(),
        rows,
        saved: q.saved.is_some(),
    })
}

/// Every checkbox is on the form, so an unticked one is a choice to turn it off.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let user_id = me.0.id();
    let txn = crate::db::begin(&state.db).await?;
    for p in Preference::ALL {
        email_preferences::set(&txn, user_id, p, form.checked(p.key())).await?;
    }
    txn.commit().await?;
    Ok(Redirect::to("/account/email-preferences?saved=1").into_response())
}
