//! `social_referral_event`: one step of a social referral's lifecycle, when and by whom.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "social_referral_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub referral_id: i32,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: TimeDateTimeWithTimeZone,
    pub by_user: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
