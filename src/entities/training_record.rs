//! `training_record`: training a volunteer completed, recorded by an organisation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "training_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub volunteer_profile_id: i32,
    /// One of `domain::pathways::TRAINING_ITEMS`.
    pub item: String,
    pub organisation_id: i32,
    pub signed_by: Option<i32>,
    #[serde(with = "super::iso_date")]
    pub completed_on: TimeDate,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
