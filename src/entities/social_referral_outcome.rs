//! `social_referral_outcome`: with the resident's consent, how a referral is going after
//! 4 and 12 weeks (one row per checkpoint).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "social_referral_outcome")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub referral_id: i32,
    /// 4 or 12 (CHECK).
    pub checkpoint_weeks: i32,
    pub still_volunteering: bool,
    pub hours: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: TimeDateTimeWithTimeZone,
    pub recorded_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
