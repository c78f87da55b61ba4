//! `outbox`: a queued background job (email, search indexing) with retry state.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// E.g. `email.verify`, `search.role`.
    pub kind: String,
    /// JSON.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// Default 0.
    pub attempts: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: TimeDateTimeWithTimeZone,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub dead_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
