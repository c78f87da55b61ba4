//! `stage_requirement`: one thing a stage asks for (hours, a skill level, training or
//! an organisation's sign-off).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "stage_requirement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub stage_id: i32,
    /// `hours` | `skill` | `training` | `sign_off` (CHECK).
    pub kind: String,
    /// For `hours`: more than 0.
    pub minutes: Option<i32>,
    /// For `skill`.
    pub skill_id: Option<i32>,
    /// For `skill`: 0–15 (Functional Skills 1–5).
    pub min_level: Option<i32>,
    /// For `training`: one of `domain::pathways::TRAINING_ITEMS`.
    pub training_item: Option<String>,
    /// For `sign_off`: the organisation, or any when empty.
    pub organisation_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
