//! What every page's layout needs: the form token and who is signed in (for the header).
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::auth::csrf::CsrfToken;
use crate::auth::current::session_user;
use crate::state::AppState;

/// The header's view of the signed-in person.
#[derive(Clone, Debug, Default)]
pub struct NavUser {
    pub display_name: String,
    pub alliance_admin: bool,
    /// The first organisation they work for, for the "Your organisation" link.
    pub organisation_id: Option<i32>,
    /// The first hub they coordinate, for the "Your hub" link.
    pub hub_id: Option<i32>,
    /// Has a volunteer profile, for the "Your volunteering" link.
    pub volunteer: bool,
    /// A link worker or hub coordinator, for the "Front desk" link.
    pub front_desk: bool,
}

/// Every page template has one, as `page`.
#[derive(Clone, Debug, Default)]
pub struct PageContext {
    /// For the hidden `csrf_token` field of every form.
    pub csrf_token: String,
    pub user: Option<NavUser>,
}

impl PageContext {
    /// For pages rendered without a request at hand (error pages).
    pub fn anonymous() -> Self {
        Self::default()
    }
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let csrf_token = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let user = session_user(parts, state)
            .await
            .map_err(IntoResponse::into_response)?
            .map(|u| NavUser {
                display_name: u.user.display_name.clone(),
                alliance_admin: u.actor.alliance_admin,
                organisation_id: u.actor.memberships.first().map(|(org, _)| *org),
                hub_id: u.actor.coordinated_hubs.first().copied(),
                volunteer: u.actor.volunteer_profile.is_some(),
                front_desk: u.actor.at_front_desk(),
            });
        Ok(Self { csrf_token, user })
    }
}
