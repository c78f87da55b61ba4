//! `pathway`: a skills pathway for young volunteers, made of ordered stages.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "pathway")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// Default 14.
    pub min_age: i32,
    /// Default 25.
    pub max_age: i32,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::pathway_stage::Entity")]
    PathwayStage,
}

impl Related<super::pathway_stage::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PathwayStage.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
