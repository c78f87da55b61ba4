//! Applications: applying for a role, an application's page (the volunteer's and the
//! organisation's view), withdrawing, the organisation's decisions and its list.
mod apply;
mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::domain::access::{self, Action, Decision};
use crate::models::accounts::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/roles/{id}/apply", get(apply::form).post(apply::submit))
        .route("/applications/{id}", get(pages::show))
        .route("/applications/{id}/withdraw", post(pages::withdraw))
        .route("/applications/{id}/accept", post(pages::accept))
        .route("/applications/{id}/decline", post(pages::decline))
        .route("/applications/{id}/waitlist", post(pages::waitlist))
        .route(
            "/organisations/{id}/applications",
            get(pages::organisation_list),
        )
}

/// Whether the person may do `action` (for what a page offers, not for guarding it).
pub(crate) fn may(user: &CurrentUser, action: &Action<'_>) -> bool {
    access::decide(Some(&user.actor), action) == Decision::Allow
}
