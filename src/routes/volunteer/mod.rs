//! A volunteer's own pages: their profile, their dashboard with its calendar feed, and
//! answering a hub's referral.
pub mod dashboard;
pub mod profile;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profile", get(profile::show).post(profile::save))
        .route("/dashboard", get(dashboard::show))
        .route("/dashboard/calendar", post(dashboard::new_calendar))
        // `{file}` is `{token}.ics`; the handler insists on the suffix.
        .route("/calendar/{file}", get(dashboard::feed))
        .route("/referrals/{id}/accept", post(dashboard::accept_referral))
        .route("/referrals/{id}/decline", post(dashboard::decline_referral))
}
