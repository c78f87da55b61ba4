//! Housekeeping: deletes expired sessions, old rate-limit events, long-dead
//! account tokens and old scheduled-email keys, every few minutes, in whichever process runs the worker.
use std::time::Duration;

use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tower_sessions::session_store::ExpiredDeletion;

use crate::auth::{DatabaseSessionStore, rate_limit};
use crate::entities::{account_token, scheduled_email};

pub const EVERY: Duration = Duration::from_secs(10 * 60);
/// Used or expired account tokens are kept this long (to tell "already used" from
/// "unknown" when a link is opened twice), then deleted.
const TOKENS_KEPT: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Scheduled-email keys are kept this long. Every job only looks at recent things
/// (sessions in the next day, roles closing in three days, this ISO week), so an older
/// key can never be claimed again.
const SCHEDULED_KEYS_KEPT: Duration = Duration::from_secs(60 * 24 * 60 * 60);

/// What one round removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub rate_limit_events: u64,
    pub account_tokens: u64,
    pub scheduled_email_keys: u64,
}

/// One round of clean-up.
pub async fn sweep(db: &DatabaseConnection) -> Result<Swept, DbErr> {
    DatabaseSessionStore::new(db.clone())
        .delete_expired()
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    let rate_limit_events = rate_limit::sweep(db).await?;
    let cutoff = crate::db::now() - TOKENS_KEPT;
    let account_tokens = account_token::Entity::delete_many()
        .filter(account_token::Column::ExpiresAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected;
    let scheduled_email_keys = scheduled_email::Entity::delete_many()
        .filter(scheduled_email::Column::CreatedAt.lt(crate::db::now() - SCHEDULED_KEYS_KEPT))
        .exec(db)
        .await?
        .rows_affected;
    Ok(Swept {
        rate_limit_events,
        account_tokens,
        scheduled_email_keys,
    })
}

/// Sweeps every [`EVERY`] until `stop` completes.
pub async fn run(db: DatabaseConnection, stop: impl Future<Output = ()>) {
    let mut stop = std::pin::pin!(stop);
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            () = &mut stop => break,
            _ = tick.tick() => {
                match sweep(&db).await {
                    Ok(swept) => tracing::debug!(?swept, "housekeeping"),
                    Err(e) => tracing::warn!(error = %e, "housekeeping failed; will try again"),
                }
            }
        }
    }
}
