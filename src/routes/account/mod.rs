//! A person's account: signing up, in and out, verifying their address, resetting and
//! changing their password and email, two-factor sign-in, API tokens, their data.
pub mod data;
pub mod email_preferences;
pub mod equality;
pub mod password_reset;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
pub mod tokens;
pub mod two_factor;
pub mod verify;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .merge(sign_up::router())
        .merge(verify::router())
        .merge(password_reset::router())
        .merge(settings::router())
        .merge(two_factor::router())
        .merge(tokens::router())
        .merge(data::router())
        .merge(email_preferences::router())
        .merge(equality::router())
}
