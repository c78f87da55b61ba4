//! The outbox worker: claims due email rows, sends them, retries with back-off, dead-letters.
//!
//! A claim is one short `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`
//! statement (its own transaction) that bumps `attempts` and pushes `next_attempt_at`
//! a lease ahead, so a row whose worker dies is picked up again once the lease runs
//! out. No transaction is open while talking to the mail server. Each row's outcome
//! is written as soon as it is known, fenced on the `attempts` value of the claim.
use std::time::Duration;

use lettre::message::Mailbox;
use rand::Rng;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoSimpleExpr, QueryFilter, sea_query,
};
use tokio::sync::watch;

use crate::config::Settings;
use crate::email::{self, OutboxEmail, Transport, TransportError};
use crate::entities::outbox;

/// How the worker paces itself. `Default` is what `serve` and `worker` use.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Rows claimed per round.
    pub batch_size: u64,
    /// Emails of a round in flight at once (over the SMTP pool's connections). A
    /// worker killed mid-batch can resend at most this many emails after the lease.
    pub concurrency: usize,
    /// After this many failed attempts a row is dead (kept, never retried).
    pub max_attempts: i32,
    /// How long a claim lasts; it must outlast a whole batch (`batch_size` × SMTP timeout).
    pub lease: Duration,
    /// First retry delay; doubled per attempt, plus up to a quarter of jitter.
    pub base_delay: Duration,
    /// Longest retry delay.
    pub max_delay: Duration,
    /// Pause between rounds when there was nothing (more) to do.
    pub poll_interval: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            batch_size: 20,
            concurrency: 8,
            max_attempts: 8,
            lease: Duration::from_secs(15 * 60),
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(6 * 60 * 60),
            poll_interval: Duration::from_secs(3),
        }
    }
}

/// What one round did. `failed` rows will be retried; `dead` ones will not.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub sent: u32,
    pub failed: u32,
    pub dead: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("email_from \"{0}\" is not an email address, e.g. hubmatch <no-reply@example.org>")]
    From(String),
}

pub struct Worker {
    db: DatabaseConnection,
    transport: Transport,
    from: Mailbox,
    options: WorkerOptions,
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        transport: Transport,
        from: Mailbox,
        options: WorkerOptions,
    ) -> Self {
        Self {
            db,
            transport,
            from,
            options,
        }
    }

    /// The transport and sender the settings name; refuses a bad `email_from`,
    /// a malformed `SMTP_URL` or an SMTP server that does not answer.
    pub async fn from_settings(
        db: DatabaseConnection,
        settings: &Settings,
    ) -> Result<Self, WorkerError> {
        let from: Mailbox = settings
            .email_from
            .parse()
            .map_err(|_| WorkerError::From(settings.email_from.clone()))?;
        let transport = Transport::from_settings(settings).await?;
        Ok(Self::new(db, transport, from, WorkerOptions::default()))
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Claims up to `batch_size` due rows and tries each once.
    pub async fn run_once(&self) -> Result<Stats, DbErr> {
        self.round(None).await
    }

    /// Works until `stop` completes. A message being sent is finished first; rows
    /// claimed but not yet tried are handed back for the next worker.
    pub async fn run(&self, stop: impl Future<Output = ()>) {
        let (tx, rx) = watch::channel(false);
        let signal = async move {
            stop.await;
            let _ = tx.send(true);
            std::future::pending::<()>().await
        };
        tokio::select! {
            () = signal => {}
            () = self.work(rx) => {}
        }
    }

    async fn work(&self, mut stop: watch::Receiver<bool>) {
        tracing::info!(transport = %self.transport.describe(), "outbox worker started");
        loop {
            if *stop.borrow() {
                break;
            }
            let busy = match self.round(Some(&stop)).await {
                Ok(stats) => {
                    if stats != Stats::default() {
                        tracing::info!(
                            sent = stats.sent,
                            failed = stats.failed,
                            dead = stats.dead,
                            "outbox round"
                        );
                    }
                    u64::from(stats.sent + stats.failed + stats.dead) >= self.options.batch_size
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox worker cannot reach the database");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    () = tokio::time::sleep(self.options.poll_interval) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        tracing::info!("outbox worker stopped");
    }

    async fn round(&self, stop: Option<&watch::Receiver<bool>>) -> Result<Stats, DbErr> {
        let claimed = self.claim().await?;
        let mut stats = Stats::default();
        let mut rows = claimed.into_iter().peekable();
        while rows.peek().is_some() {
            if stop.is_some_and(|s| *s.borrow()) {
                self.release(rows).await?;
                break;
            }
            // Several at once: one SMTP conversation waits on the network far longer
            // than it computes. Each outcome is still written as soon as its group ends.
            let group: Vec<outbox::Model> = rows
                .by_ref()
                .take(self.options.concurrency.max(1))
                .collect();
            let outcomes =
                futures::future::join_all(group.iter().map(|row| self.deliver(row))).await;
            for (row, outcome) in group.iter().zip(outcomes) {
                match outcome {
                    Ok(()) => {
                        self.finish(row, outbox::Column::DoneAt, None).await?;
                        stats.sent += 1;
                    }
                    Err(Failure::Permanent(why)) => {
                        tracing::warn!(id = row.id, kind = %row.kind, error = %why, "outbox email is undeliverable");
                        self.finish(row, outbox::Column::DeadAt, Some(why)).await?;
                        stats.dead += 1;
                    }
                    Err(Failure::Transient(why)) if row.attempts >= self.options.max_attempts => {
                        tracing::warn!(id = row.id, kind = %row.kind, error = %why, "outbox email gave up after {} attempts", row.attempts);
                        self.finish(row, outbox::Column::DeadAt, Some(why)).await?;
                        stats.dead += 1;
                    }
                    Err(Failure::Transient(why)) => {
                        tracing::info!(id = row.id, kind = %row.kind, error = %why, attempts = row.attempts, "outbox email will be retried");
                        self.retry_later(row, why).await?;
                        stats.failed += 1;
                    }
                }
            }
        }
        Ok(stats)
    }

    /// Takes due email rows for this worker: one statement, so one short transaction.
    /// PostgreSQL skips rows another worker holds; SQLite has one writer anyway.
    /// The returned rows carry the bumped `attempts`, which fences later updates.
    pub async fn claim(&self) -> Result<Vec<outbox::Model>, DbErr> {
        let now = crate::db::now();
        let lease_until = now + self.options.lease;
        let mut due = Query::select();
        due.column(outbox::Column::Id)
            .from(outbox::Entity)
            .and_where(
                outbox::Column::Kind
                    .like(format!("{}%", email::KIND_PREFIX))
                    .into_simple_expr(),
            )
            .and_where(outbox::Column::DoneAt.is_null().into_simple_expr())
            .and_where(outbox::Column::DeadAt.is_null().into_simple_expr())
            .and_where(outbox::Column::NextAttemptAt.lte(now).into_simple_expr())
            .order_by(outbox::Column::NextAttemptAt, sea_query::Order::Asc)
            .order_by(outbox::Column::Id, sea_query::Order::Asc)
            .limit(self.options.batch_size)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        let mut rows = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Attempts,
                sea_query::ExprTrait::add(Expr::col(outbox::Column::Attempts), 1),
            )
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(lease_until))
            .filter(outbox::Column::Id.in_subquery(due))
            .exec_with_returning(&self.db)
            .await?;
        // RETURNING gives no order; oldest first, as claimed.
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    async fn deliver(&self, row: &outbox::Model) -> Result<(), Failure> {
        let email: OutboxEmail = serde_json::from_str(&row.payload)
            .map_err(|e| Failure::Permanent(format!("payload is not an email: {e}")))?;
        let message = email::build_message(&email, &self.from, row.id)
            .map_err(|e| Failure::Permanent(format!("cannot build the message: {e}")))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| Failure::Transient(e.to_string()))
    }

    /// Sets `done_at` or `dead_at` now, unless another worker has claimed the row since.
    async fn finish(
        &self,
        row: &outbox::Model,
        column: outbox::Column,
        error: Option<String>,
    ) -> Result<(), DbErr> {
        let mut update =
            outbox::Entity::update_many().col_expr(column, Expr::value(crate::db::now()));
        if let Some(error) = error {
            update = update.col_expr(outbox::Column::LastError, Expr::value(clip(error)));
        }
        self.fenced(update, row).await
    }

    async fn retry_later(&self, row: &outbox::Model, error: String) -> Result<(), DbErr> {
        let at = crate::db::now() + delay_for(&self.options, row.attempts);
        let update = outbox::Entity::update_many()
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(at))
            .col_expr(outbox::Column::LastError, Expr::value(clip(error)));
        self.fenced(update, row).await
    }

    /// Hands untried rows back: due now, and the claim does not count as an attempt.
    async fn release(&self, rows: impl Iterator<Item = outbox::Model>) -> Result<(), DbErr> {
        for row in rows {
            let update = outbox::Entity::update_many()
                .col_expr(outbox::Column::NextAttemptAt, Expr::value(crate::db::now()))
                .col_expr(
                    outbox::Column::Attempts,
                    sea_query::ExprTrait::sub(Expr::col(outbox::Column::Attempts), 1),
                );
            self.fenced(update, &row).await?;
        }
        Ok(())
    }

    async fn fenced(
        &self,
        update: sea_orm::UpdateMany<outbox::Entity>,
        row: &outbox::Model,
    ) -> Result<(), DbErr> {
        let done = update
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Attempts.eq(row.attempts))
            .exec(&self.db)
            .await?;
        if done.rows_affected == 0 {
            tracing::warn!(
                id = row.id,
                "outbox row was claimed again by another worker (lease too short?)"
            );
        }
        Ok(())
    }
}

/// `base × 2^attempts`, capped, plus up to a quarter more so retries after an
/// outage do not all arrive at once. Whole seconds, like every stored time.
fn delay_for(options: &WorkerOptions, attempts: i32) -> time::Duration {
    let exponent = u32::try_from(attempts.clamp(0, 30)).unwrap_or(0);
    let base = options.base_delay.as_secs().max(1);
    let delay = base
        .saturating_mul(1u64 << exponent)
        .min(options.max_delay.as_secs().max(1));
    let jitter = rand::rng().random_range(0..=delay / 4);
    time::Duration::seconds(i64::try_from(delay + jitter).unwrap_or(i64::MAX / 2))
}

enum Failure {
    /// The row can never be sent (bad payload or address): dead at once.
    Permanent(String),
    /// The transport failed: try again later.
    Transient(String),
}

/// Errors can be long (TLS chains, server banners); the column need not hold essays.
fn clip(mut error: String) -> String {
    const MAX: usize = 1000;
    if error.len() > MAX {
        let mut end = MAX;
        while !error.is_char_boundary(end) {
            end -= 1;
        }
        error.truncate(end);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_a_minute_up_to_six_hours_with_at_most_a_quarter_of_jitter() {
        let options = WorkerOptions::default();
        for (attempts, base) in [
            (1, 60),
            (2, 120),
            (3, 240),
            (7, 3840),
            (10, 21_600),
            (40, 21_600),
        ] {
            for _ in 0..50 {
                let d = delay_for(&options, attempts).whole_seconds();
                assert!(
                    (base..=base + base / 4).contains(&d),
                    "attempt {attempts}: {d}s"
                );
            }
        }
    }
}
