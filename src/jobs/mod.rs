//! Background jobs: the outbox worker that delivers queued emails, and housekeeping.
pub mod housekeeping;
pub mod outbox;
