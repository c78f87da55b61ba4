//! The signed-in session: the cookie's settings, what is kept in it, and signing in and out.
use std::time::Duration;

use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use super::DatabaseSessionStore;
use crate::config::Settings;

pub const COOKIE_NAME: &str = "hm_session";
/// The signed-in user's id (also copied to `session.user_id` by the store).
pub const USER_ID: &str = "user_id";
/// Unix seconds of sign-in, for the absolute expiry.
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// Password checked, second factor still to come: the user id and when.
pub const PENDING_TWO_FACTOR: &str = "pending_two_factor";
/// How long a password-checked sign-in waits for its second factor.
pub const TWO_FACTOR_WAIT: Duration = Duration::from_secs(5 * 60);

/// The session cookie: HttpOnly, SameSite=Lax, Secure when served over https, ending
/// after `session_idle_minutes` without a request.
pub fn layer(
    store: DatabaseSessionStore,
    settings: &Settings,
) -> SessionManagerLayer<DatabaseSessionStore> {
    let idle = time::Duration::minutes(i64::from(settings.session_idle_minutes));
    SessionManagerLayer::new(store)
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}

#[derive(Debug, thiserror::Error)]
#[error("session: {0}")]
pub struct SessionError(#[from] tower_sessions::session::Error);

/// Signs `user_id` in: a new session id (so an id planted before sign-in is useless),
/// then the user and the time.
pub async fn sign_in(session: &Session, user_id: i32) -> Result<(), SessionError> {
    session.remove_value(PENDING_TWO_FACTOR).await?;
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session
        .insert(SIGNED_IN_AT, crate::db::now().unix_timestamp())
        .await?;
    Ok(())
}

/// Password checked; the second factor is asked next.
pub async fn await_second_factor(session: &Session, user_id: i32) -> Result<(), SessionError> {
    session.cycle_id().await?;
    session
        .insert(
            PENDING_TWO_FACTOR,
            (user_id, crate::db::now().unix_timestamp()),
        )
        .await?;
    Ok(())
}

/// The user waiting for their second factor, if they have not waited too long.
pub async fn pending_second_factor(session: &Session) -> Result<Option<i32>, SessionError> {
    let pending: Option<(i32, i64)> = session.get(PENDING_TWO_FACTOR).await?;
    let now = crate::db::now().unix_timestamp();
    Ok(pending.and_then(|(user, at)| {
        (now - at <= TWO_FACTOR_WAIT.as_secs() as i64 && now >= at).then_some(user)
    }))
}

/// Ends this session: the row is deleted and the cookie cleared.
pub async fn sign_out(session: &Session) -> Result<(), SessionError> {
    session.flush().await?;
    Ok(())
}

/// The signed-in user, unless the session is older than the absolute limit.
pub async fn signed_in_user(
    session: &Session,
    absolute: Duration,
) -> Result<Option<i32>, SessionError> {
    let Some(user_id) = session.get::<i32>(USER_ID).await? else {
        return Ok(None);
    };
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
    let age = crate::db::now().unix_timestamp() - signed_in_at;
    if age < 0 || age as u64 > absolute.as_secs() {
        session.flush().await?;
        return Ok(None);
    }
    Ok(Some(user_id))
}
