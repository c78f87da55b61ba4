//! `scheduled_email`: the key of every email a scheduled job has queued, so a second run skips it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "scheduled_email")]
pub struct Model {
    /// e.g. `session_reminder:{session_id}:{application_id}`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub key: String,
    /// The queued email; null when the recipient had opted out (the key still counts as
    /// done) or once housekeeping removed the outbox row.
    pub outbox_id: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::outbox::Entity",
        from = "Column::OutboxId",
        to = "super::outbox::Column::Id",
        on_delete = "SetNull"
    )]
    Outbox,
}

impl ActiveModelBehavior for ActiveModel {}
