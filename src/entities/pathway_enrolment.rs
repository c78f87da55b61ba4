//! `pathway_enrolment`: a volunteer on a pathway (one row per volunteer and pathway).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "pathway_enrolment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub volunteer_profile_id: i32,
    pub pathway_id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub joined_at: TimeDateTimeWithTimeZone,
    /// Set when they leave; cleared when they join again.
    #[serde(with = "time::serde::rfc3339::option")]
    pub left_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
