//! Background jobs: the outbox worker that delivers queued emails.
pub mod outbox;
