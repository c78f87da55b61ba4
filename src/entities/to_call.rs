//! `to_call`: something the hub must tell a resident by phone or post, because they have
//! no email (written where an email would have been queued).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "to_call")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub hub_id: i32,
    pub volunteer_profile_id: i32,
    /// The email kind it stands in for, e.g. `email.application_accepted`.
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    /// What to tell them: the email's subject.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<TimeDateTimeWithTimeZone>,
    pub done_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
