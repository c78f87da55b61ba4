//! `pathway_stage`: one stage of a pathway, at its position, with the tag roles carry.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "pathway_stage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub pathway_id: i32,
    /// From 1, unique within the pathway.
    pub position: i32,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Unique across all pathways: what organisations tag roles with.
    #[sea_orm(unique)]
    pub tag: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::pathway::Entity",
        from = "Column::PathwayId",
        to = "super::pathway::Column::Id",
        on_delete = "Cascade"
    )]
    Pathway,
}

impl Related<super::pathway::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Pathway.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
