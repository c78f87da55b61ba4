//! Email: the outbox payload, queueing it with the change that causes it, and the transports that send it.
mod message;
mod simple;
mod transport;

pub use message::{MessageError, OutboxEmail, build_message, message_id};
pub use simple::simple;
pub use transport::{SendError, Transport, TransportError};

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::entities::outbox;

/// Every email kind starts with this, e.g. `email.verify`; the worker claims only these.
pub const KIND_PREFIX: &str = "email.";

#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    #[error("email kinds start with \"{KIND_PREFIX}\", got \"{0}\"")]
    Kind(String),
    #[error("cannot send email to \"{0}\": not an email address")]
    Address(String),
    #[error("cannot queue email: {0}")]
    Database(#[from] DbErr),
}

/// Queues `email` as an outbox row of `kind` (`email.<name>`), due now, and returns its id.
/// Call it with the transaction of the change that causes the email, so both or neither happen.
/// The address is checked here, where the caller can still tell the user, not at send time.
pub async fn enqueue<C: ConnectionTrait>(
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
