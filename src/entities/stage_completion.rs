//! `stage_completion`: a volunteer completed a pathway stage; its certificate serial,
//! and its revocation if any.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "stage_completion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub volunteer_profile_id: i32,
    pub stage_id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub completed_at: TimeDateTimeWithTimeZone,
    #[sea_orm(unique)]
    pub certificate_serial: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    pub revoked_by: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub revoked_reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
