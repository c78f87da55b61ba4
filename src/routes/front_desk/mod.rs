//! The hub front desk: link workers' and hub staff's desk, organisations' referrals,
//! the hub's calls to make, claiming an account, appointing link workers, the report,
//! printable role sheets.
mod claim;
pub mod desk;
mod link_workers;
mod organisation;
mod report;
mod sheets;
mod suggestions;
mod to_call;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/front-desk", get(desk::show))
        .route("/front-desk/referrals", post(desk::refer))
        .route("/front-desk/suggestions", get(suggestions::show))
        .route(
            "/front-desk/referrals/{id}/outcomes",
            post(desk::record_outcome),
        )
        .route(
            "/front-desk/residents",
            get(desk::resident_form).post(desk::sign_up_resident),
        )
        .route("/organisations/{id}/referrals", get(organisation::show))
        .route(
            "/organisations/{id}/referrals/{referral_id}/status",
            post(organisation::move_on),
        )
        .route("/hubs/{id}/to-call", get(to_call::show))
        .route("/hubs/{id}/to-call/{call_id}/done", post(to_call::done))
        .route("/hubs/{id}/referrals/report", get(report::show))
        .route("/roles/{id}/sheet", get(sheets::role))
        .route("/hubs/{id}/sheet", get(sheets::hub))
        .route("/claim-account", get(claim::show).post(claim::claim))
        .route(
            "/admin/link-workers",
            get(link_workers::show).post(link_workers::appoint),
        )
}
