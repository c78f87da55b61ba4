//! `rate_limit_event`: one attempt at a rate-limited action (log in, sign up, password
//! reset) by one subject (an IP address or an account), counted over a sliding window.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "rate_limit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// E.g. `sign_in:ip`, `sign_in:account`.
    pub bucket: String,
    pub subject: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
