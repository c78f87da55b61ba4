//! `skill_sign_off`: an organisation vouching for a volunteer's skill level, with
//! evidence, who signed and when.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "skill_sign_off")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub volunteer_profile_id: i32,
    pub skill_id: i32,
    /// 0–15 (CHECK).
    pub level: i32,
    pub organisation_id: i32,
    pub signed_by: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub evidence: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
