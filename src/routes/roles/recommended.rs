//! "Recommended for you": the open roles matching ranks best for the signed-in volunteer.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::error::AppError;
use crate::models::matching::{self, RoleRecommendation};
use crate::routes::page::PageContext;
use crate::state::AppState;

/// How many roles the full page lists.
pub const PAGE_LIMIT: usize = 20;

#[derive(Template, WebTemplate)]
#[template(path = "roles/recommended.html")]
pub struct RecommendedPage {
    pub page: PageContext,
    pub recommendations: Vec<RoleRecommendation>,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    // Without a profile there is nothing to match on: make one first.
    let Some(profile) = me.0.actor.volunteer_profile else {
        return Ok(Redirect::to("/profile?notice=create").into_response());
    };
    let weights = state.settings.matching.weights;
    let recommendations =
        matching::recommend_roles(&state.db, &weights, profile, PAGE_LIMIT).await?;
    Ok(RecommendedPage {
        page,
        recommendations,
    }
    .into_response())
}
