//! Keeping the search index in step with the database through the outbox: `search.*` rows written with each change, and the worker that applies them.
//!
//! A change to a role, organisation or volunteer profile queues a row in the same
//! transaction (`queue_role` …), so the index learns of every committed change
//! and of nothing rolled back. The worker reads the current state from the
//! database when it applies a row, so rows are idempotent and order does not
//! matter. When the index is unavailable the rows stay and are retried: nothing
//! is lost, and the index catches up when it is back.
use std::collections::BTreeSet;
use std::time::Duration;

use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoSimpleExpr, PaginatorTrait, QueryFilter, Set, sea_query,
};
use serde::{Deserialize, Serialize};

use super::{IndexName, SearchError, SharedIndex, documents};
use crate::entities::outbox;

pub const KIND_PREFIX: &str = "search.";
pub const KIND_ROLE: &str = "search.role";
pub const KIND_ORGANISATION: &str = "search.organisation";
pub const KIND_VOLUNTEER: &str = "search.volunteer";
/// Rebuild every index from the database (queued by `hubmatch reindex` when a
/// running server holds the index).
pub const KIND_REINDEX: &str = "search.reindex";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    #[serde(default)]
    id: i32,
}

async fn queue<C: ConnectionTrait>(db: &C, kind: &str, id: i32) -> Result<(), DbErr> {
    let now = crate::db::now();
    outbox::ActiveModel {
        kind: Set(kind.to_owned()),
        payload: Set(serde_json::json!({ "id": id }).to_string()),
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
    Ok(())
}

/// The role's document is to be refreshed (or removed, if it is no longer public).
/// Call with the transaction of the change.
pub async fn queue_role<C: ConnectionTrait>(db: &C, role_id: i32) -> Result<(), DbErr> {
    queue(db, KIND_ROLE, role_id).await
}

/// Every role of the organisation is to be refreshed (name, status, hubs).
pub async fn queue_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<(), DbErr> {
    queue(db, KIND_ORGANISATION, organisation_id).await
}

/// The volunteer's document (by profile id) is to be refreshed or removed.
pub async fn queue_volunteer<C: ConnectionTrait>(db: &C, profile_id: i32) -> Result<(), DbErr> {
    queue(db, KIND_VOLUNTEER, profile_id).await
}

pub async fn queue_reindex<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    queue(db, KIND_REINDEX, 0).await
}

/// Search rows not yet applied (due or waiting for a retry).
pub async fn pending(db: &DatabaseConnection) -> Result<u64, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.like(format!("{KIND_PREFIX}%")))
        .filter(outbox::Column::DoneAt.is_null())
        .filter(outbox::Column::DeadAt.is_null())
        .count(db)
        .await
}

/// Rebuilds every index from the database: new index, then swap.
pub async fn reindex_all(
    db: &DatabaseConnection,
    index: &SharedIndex,
) -> Result<(u64, u64), SyncError> {
    let (roles, _) = documents::roles(db, None).await?;
    let (volunteers, _) = documents::volunteers(db, None).await?;
    let counts = (roles.len() as u64, volunteers.len() as u64);
    index.reindex(IndexName::Roles, roles).await?;
    index.reindex(IndexName::Volunteers, volunteers).await?;
    Ok(counts)
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Search(#[from] SearchError),
}

#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub batch_size: u64,
    /// How long a claim lasts before another worker may take the row.
    pub lease: Duration,
    /// First retry delay after the index failed; doubled per attempt, capped.
    pub base_delay: Duration,
    pub max_delay: Duration,
    pub poll_interval: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            batch_size: 200,
            lease: Duration::from_secs(5 * 60),
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(5 * 60),
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    /// Rows applied to the index.
    pub applied: u32,
    /// Rows left for a later retry because the index failed.
    pub retried: u32,
    /// Rows that can never apply (bad payload): kept, marked dead.
    pub dead: u32,
}

pub struct SyncWorker {
    db: DatabaseConnection,
    index: SharedIndex,
    options: SyncOptions,
}

impl SyncWorker {
    pub fn new(db: DatabaseConnection, index: SharedIndex) -> Self {
        Self::with_options(db, index, SyncOptions::default())
    }

    pub fn with_options(db: DatabaseConnection, index: SharedIndex, options: SyncOptions) -> Self {
        Self { db, index, options }
    }

    /// Works until `stop` completes. Before the first round, an empty roles index
    /// over a database with public roles (a new data folder, a new server) is
    /// rebuilt.
    pub async fn run(&self, stop: impl Future<Output = ()>) {
        tokio::select! {
            () = stop => {}
            () = self.work() => {}
        }
        tracing::info!("search sync worker stopped");
    }

    async fn work(&self) {
        tracing::info!(backend = self.index.backend(), "search sync worker started");
        if let Err(e) = self.build_if_empty().await {
            tracing::warn!(error = %e, "search index could not be built at start; the outbox will catch up");
        }
        loop {
            let busy = match self.run_once().await {
                Ok(stats) => {
                    if stats != SyncStats::default() {
                        tracing::info!(
                            applied = stats.applied,
                            retried = stats.retried,
                            dead = stats.dead,
                            "search sync round"
                        );
                    }
                    u64::from(stats.applied) >= self.options.batch_size
                }
                Err(e) => {
                    tracing::warn!(error = %e, "search sync cannot reach the database");
                    false
                }
            };
            if !busy {
                tokio::time::sleep(self.options.poll_interval).await;
            }
        }
    }

    async fn build_if_empty(&self) -> Result<(), SyncError> {
        if self.index.count(IndexName::Roles).await? == 0 {
            let (docs, _) = documents::roles(&self.db, None).await?;
            if !docs.is_empty() {
                reindex_all(&self.db, &self.index).await?;
            }
        }
        Ok(())
    }

    /// Claims due search rows and applies them together: one read of the database
    /// and one write to the index per round.
    pub async fn run_once(&self) -> Result<SyncStats, DbErr> {
        let rows = self.claim().await?;
        let mut stats = SyncStats::default();
        if rows.is_empty() {
            return Ok(stats);
        }
        let mut roles = BTreeSet::new();
        let mut volunteers = BTreeSet::new();
        let mut organisations = BTreeSet::new();
        let mut reindex = false;
        let mut good = Vec::new();
        for row in rows {
            let id = serde_json::from_str::<Payload>(&row.payload).map(|p| p.id);
            match (row.kind.as_str(), id) {
                (KIND_ROLE, Ok(id)) => {
                    roles.insert(id);
                }
                (KIND_VOLUNTEER, Ok(id)) => {
                    volunteers.insert(id);
                }
                (KIND_ORGANISATION, Ok(id)) => {
                    organisations.insert(id);
                }
                (KIND_REINDEX, _) => reindex = true,
                (kind, parsed) => {
                    let why = match parsed {
                        Err(e) => format!("payload is not {{\"id\": N}}: {e}"),
                        Ok(_) => format!("unknown search kind '{kind}'"),
                    };
                    tracing::warn!(id = row.id, error = %why, "search outbox row cannot apply");
                    self.finish(&row, outbox::Column::DeadAt, Some(why)).await?;
                    stats.dead += 1;
                    continue;
                }
            }
            good.push(row);
        }
        if good.is_empty() {
            return Ok(stats);
        }
        let outcome = self.apply(reindex, roles, organisations, volunteers).await;
        for row in &good {
            match &outcome {
                Ok(()) => {
                    self.finish(row, outbox::Column::DoneAt, None).await?;
                    stats.applied += 1;
                }
                Err(e) => {
                    self.retry_later(row, e.to_string()).await?;
                    stats.retried += 1;
                }
            }
        }
        if let Err(e) = outcome {
            tracing::warn!(error = %e, rows = stats.retried, "search index unavailable; will retry");
        }
        Ok(stats)
    }

    async fn apply(
        &self,
        reindex: bool,
        mut roles: BTreeSet<i32>,
        organisations: BTreeSet<i32>,
        volunteers: BTreeSet<i32>,
    ) -> Result<(), SyncError> {
        if reindex {
            reindex_all(&self.db, &self.index).await?;
            return Ok(());
        }
        for org in organisations {
            roles.extend(documents::role_ids_of_organisation(&self.db, org).await?);
        }
        if !roles.is_empty() {
            let ids: Vec<i32> = roles.into_iter().collect();
            let (docs, gone) = documents::roles(&self.db, Some(&ids)).await?;
            if !gone.is_empty() {
                self.index.delete(IndexName::Roles, gone).await?;
            }
            if !docs.is_empty() {
                self.index.upsert(IndexName::Roles, docs).await?;
            }
        }
        if !volunteers.is_empty() {
            let ids: Vec<i32> = volunteers.into_iter().collect();
            let (docs, gone) = documents::volunteers(&self.db, Some(&ids)).await?;
            if !gone.is_empty() {
                self.index.delete(IndexName::Volunteers, gone).await?;
            }
            if !docs.is_empty() {
                self.index.upsert(IndexName::Volunteers, docs).await?;
            }
        }
        Ok(())
    }

    /// As the email worker: one statement claims due rows (skipping rows another
    /// worker holds on PostgreSQL) and bumps `attempts`, which fences later updates.
    async fn claim(&self) -> Result<Vec<outbox::Model>, DbErr> {
        let now = crate::db::now();
        let lease_until = now + self.options.lease;
        let mut due = Query::select();
        due.column(outbox::Column::Id)
            .from(outbox::Entity)
            .and_where(
                outbox::Column::Kind
                    .like(format!("{KIND_PREFIX}%"))
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
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

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

    /// The index being down is never the row's fault: it is retried until it
    /// applies, with back-off so an outage is not hammered.
    async fn retry_later(&self, row: &outbox::Model, error: String) -> Result<(), DbErr> {
        let exponent = u32::try_from(row.attempts.clamp(0, 20)).unwrap_or(0);
        let delay = self
            .options
            .base_delay
            .saturating_mul(1u32 << exponent.min(16))
            .min(self.options.max_delay);
        let at = crate::db::now()
            + time::Duration::seconds(i64::try_from(delay.as_secs()).unwrap_or(300));
        let update = outbox::Entity::update_many()
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(at))
            .col_expr(outbox::Column::LastError, Expr::value(clip(error)));
        self.fenced(update, row).await
    }

    async fn fenced(
        &self,
        update: sea_orm::UpdateMany<outbox::Entity>,
        row: &outbox::Model,
    ) -> Result<(), DbErr> {
        update
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Attempts.eq(row.attempts))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

fn clip(mut error: String) -> String {
    if error.len() > 1000 {
        let mut end = 1000;
        while !error.is_char_boundary(end) {
            end -= 1;
        }
        error.truncate(end);
    }
    error
}

/// `hubmatch reindex` (and `seed --demo`): rebuilds the indexes from the database
/// now, or, when a running server holds the embedded index, queues the rebuild
/// for that server's worker. Returns what happened, for the terminal.
pub async fn rebuild(
    settings: &crate::config::Settings,
    db: &DatabaseConnection,
) -> Result<String, SyncError> {
    match super::open(settings).await {
        Ok(index) => {
            let (roles, volunteers) = reindex_all(db, &index).await?;
            Ok(format!(
                "search index rebuilt ({}): {roles} open roles, {volunteers} volunteers open to suggestions",
                index.backend()
            ))
        }
        Err(SearchError::Unavailable(why)) => {
            queue_reindex(db).await?;
            Ok(format!(
                "the search index is busy ({why}); the running server will rebuild it from the outbox"
            ))
        }
        Err(e) => Err(e.into()),
    }
}
