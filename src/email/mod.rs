//! Email: the outbox payload, queueing it with the change that causes it, and the transports that send it.
pub mod kinds;
mod message;
mod render;
mod simple;
mod transport;
pub mod unsubscribe;

pub use kinds::{Composed, Content, Email, Kind, Preference};
pub use message::{MessageError, OutboxEmail, build_message, message_id};
pub use render::render;
pub use simple::simple;
pub use transport::{SendError, Transport, TransportError};

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::entities::outbox;
use crate::models::email_preferences;

/// Every email kind starts with this, e.g. `email.verify`; the worker claims only these.
pub const KIND_PREFIX: &str = "email.";

#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    #[error("email kinds start with \"{KIND_PREFIX}\", got \"{0}\"")]
    Kind(String),
    #[error("\"{0}\" is not one of the email kinds in email::kinds::Kind")]
    UnknownKind(String),
    #[error("cannot send email to \"{0}\": not an email address")]
    Address(String),
    #[error("cannot queue email: {0}")]
    Database(#[from] DbErr),
}

/// Renders a typed email for `to` and queues it, unless `to` has an account that turned
/// this kind off (then `None`, and no row). Non-essential kinds sent to an account carry
/// a signed one-click unsubscribe link. Call it with the transaction of the change.
pub async fn send<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    to: &str,
    email: &(impl Email + Sync),
) -> Result<Option<i32>, EnqueueError> {
    let kind = email.kind();
    // A resident signed up in person without an email: the hub calls them instead.
    if crate::models::assisted::is_no_email(to)
        && crate::models::assisted::divert_to_call(
            db,
            to,
            kind.outbox_kind(),
            &email.content().subject,
        )
        .await?
    {
        return Ok(None);
    }
    let mut unsubscribe_url = None;
    if let Some(preference) = kind.preference()
        && let Some(user_id) = email_preferences::user_for_address(db, to).await?
    {
        if !email_preferences::enabled(db, user_id, preference).await? {
            return Ok(None);
        }
        unsubscribe_url = Some(format!(
            "{base_url}/unsubscribe/{}",
            unsubscribe::token(user_id, preference)
        ));
    }
    let rendered = render(kind, to, &email.content(), base_url, unsubscribe_url);
    insert(db, kind.outbox_kind(), &rendered).await.map(Some)
}

/// The words of an email to one address, whose kind is named when it is sent
/// ([`send_draft`]): how the account and application flows, which choose their words
/// where the change happens, hand them to our layout.
#[derive(Debug, Clone)]
pub struct Draft {
    pub to: String,
    pub content: Content,
}

/// `paragraphs` and an optional `(label, url)` button to `to`.
pub fn draft(to: &str, subject: &str, paragraphs: &[&str], action: Option<(&str, &str)>) -> Draft {
    Draft {
        to: to.to_owned(),
        content: Content::new(subject, paragraphs, action),
    }
}

/// [`send`] for a [`Draft`] of the kind `outbox_kind` (e.g. `email.verify`), which must
/// be one of [`Kind`].
pub async fn send_draft<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    outbox_kind: &str,
    draft: &Draft,
) -> Result<Option<i32>, EnqueueError> {
    let kind = Kind::parse(outbox_kind)
        .ok_or_else(|| EnqueueError::UnknownKind(outbox_kind.to_owned()))?;
    send(
        db,
        base_url,
        &draft.to,
        &Composed {
            kind,
            content: draft.content.clone(),
        },
    )
    .await
}

/// Queues an already-built `email` as an outbox row of `kind` (`email.<name>`), due now,
/// and returns its id; `None` (no row) when the kind is non-essential and the recipient's
/// account turned it off. Call it with the transaction of the change that causes the
/// email, so both or neither happen. Prefer [`send`], which also lays it out and signs
/// the unsubscribe link.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    email: &OutboxEmail,
) -> Result<Option<i32>, EnqueueError> {
    if crate::models::assisted::divert_to_call(db, &email.to, kind, &email.subject).await? {
        return Ok(None);
    }
    if let Some(preference) = kinds::preference_of(kind)
        && let Some(user_id) = email_preferences::user_for_address(db, &email.to).await?
        && !email_preferences::enabled(db, user_id, preference).await?
    {
        return Ok(None);
    }
    insert(db, kind, email).await.map(Some)
}

/// The outbox row itself. The address is checked here, where the caller can still tell
/// the user, not at send time.
async fn insert<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    email: &OutboxEmail,
) -> Result<i32, EnqueueError> {
    if !kind.starts_with(KIND_PREFIX) || kind.len() == KIND_PREFIX.len() {
        return Err(EnqueueError::Kind(kind.to_owned()));
    }
    if email.to.parse::<lettre::message::Mailbox>().is_err() {
        return Err(EnqueueError::Address(email.to.clone()));
    }
    let payload = serde_json::to_string(email).expect("an OutboxEmail always serialises");
    let now = crate::db::now();
    let row = outbox::ActiveModel {
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        done_at: Set(None),
        dead_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}
