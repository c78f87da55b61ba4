//! Background jobs: the outbox worker that delivers queued emails, scheduled emails, and housekeeping.
pub mod housekeeping;
pub mod outbox;
pub mod scheduled;
