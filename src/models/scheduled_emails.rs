//! Keys of emails scheduled jobs have queued: claiming a key in the email's own
//! transaction is what makes a job safe to run twice (or in two processes at once).
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entities::scheduled_email;

/// Claims `key` in the caller's transaction: `true` the first time, `false` when some
/// run already has it (on PostgreSQL a concurrent claim waits for the first to commit).
pub async fn claim<C: ConnectionTrait>(db: &C, key: &str) -> Result<bool, DbErr> {
    let inserted = scheduled_email::Entity::insert(scheduled_email::ActiveModel {
        key: Set(key.to_owned()),
        outbox_id: Set(None),
        created_at: Set(crate::db::now()),
    })
    .on_conflict(
        OnConflict::column(scheduled_email::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted > 0)
}

/// Notes which outbox row a claimed key produced (none when the recipient opted out).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    key: &str,
    outbox_id: Option<i32>,
) -> Result<(), DbErr> {
    scheduled_email::Entity::update_many()
        .col_expr(scheduled_email::Column::OutboxId, Expr::value(outbox_id))
        .filter(scheduled_email::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}
