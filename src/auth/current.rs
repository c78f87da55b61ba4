//! Extractors for who is asking: the signed-in user on pages, the caller of the API
//! (bearer token or session), and the client's address.
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::session;
use crate::domain::access::{self, Action, Decision};
use crate::error::{ApiError, AppError};
use crate::models::accounts::{self, CurrentUser};
use crate::models::api_tokens;
use crate::state::AppState;

/// Where people enrol a second factor; the only pages open to an admin or coordinator
/// who has not yet done so.
pub const TWO_FACTOR_SETUP_PATH: &str = "/account/two-factor";

/// The session's user, looked up once per request and kept in the request's extensions.
#[derive(Clone)]
struct Resolved(Option<CurrentUser>);

/// The signed-in user of this request's session, if any (no redirects).
pub async fn session_user(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<CurrentUser>, AppError> {
    if let Some(Resolved(user)) = parts.extensions.get::<Resolved>() {
        return Ok(user.clone());
    }
    let user = match Session::from_request_parts(parts, state).await {
        Ok(session) => {
            // A session that cannot be read is treated as no session, not as an error.
            let id = session::signed_in_user(&session, state.settings.session_absolute())
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "unreadable session: treated as signed out");
                    None
                });
            match id {
                Some(id) => accounts::load_current(&state.db, id).await?,
                None => None,
            }
        }
        Err(_) => None,
    };
    parts.extensions.insert(Resolved(user.clone()));
    Ok(user)
}

/// A page for signed-in people. Anonymous visitors are sent to sign in and brought
/// back; admins and coordinators without a second factor are sent to set one up.
pub struct SignedIn(pub CurrentUser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(user) = session_user(parts, state)
            .await
            .map_err(IntoResponse::into_response)?
        else {
            return Err(sign_in_redirect(parts));
        };
        let path = parts.uri.path();
        if user.actor.needs_two_factor()
            && user.user.totp_enabled_at.is_none()
            && !path.starts_with(TWO_FACTOR_SETUP_PATH)
            && path != "/sign-out"
        {
            return Err(Redirect::to(TWO_FACTOR_SETUP_PATH).into_response());
        }
        Ok(Self(user))
    }
}

impl SignedIn {
    /// Allowed, or a 403 page.
    pub fn require(&self, action: &Action<'_>) -> Result<(), AppError> {
        match access::decide(Some(&self.0.actor), action) {
            Decision::Allow => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// `/sign-in?next=<this page>`.
pub fn sign_in_redirect(parts: &Parts) -> Response {
    let here = parts
        .extensions
        .get::<OriginalUri>()
        .map(|u| u.0.clone())
        .unwrap_or_else(|| parts.uri.clone());
    let next = here
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    Redirect::to(&format!("/sign-in?{query}")).into_response()
}

/// Who is calling the API: a bearer token (`Authorization: Bearer hm_…`), else the
/// browser session. Anything else is a 401.
pub struct ApiCaller(pub CurrentUser);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or(AppError::Unauthorized)?;
            let caller = api_tokens::authenticate(&state.db, token)
                .await?
                .ok_or(AppError::Unauthorized)?;
            return Ok(Self(caller));
        }
        match session_user(parts, state).await? {
            Some(user) => Ok(Self(user)),
            None => Err(AppError::Unauthorized.into()),
        }
    }
}

impl ApiCaller {
    pub fn require(&self, action: &Action<'_>) -> Result<(), ApiError> {
        match access::decide(Some(&self.0.actor), action) {
            Decision::Allow => Ok(()),
            _ => Err(AppError::Forbidden.into()),
        }
    }
}

/// The client's IP address: the TCP peer, or behind a trusted proxy the last
/// `X-Forwarded-For` entry (the one the proxy added).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if state.settings.trust_forwarded_for
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(Self(ip));
        }
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| Self(addr.ip()))
            .ok_or_else(|| (StatusCode::INTERNAL_SERVER_ERROR, "no client address").into_response())
    }
}

impl std::fmt::Display for ClientIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
