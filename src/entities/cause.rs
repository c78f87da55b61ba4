//! `cause`: a cause from the causes vocabulary.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "cause")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// Comma-separated; default empty.
    #[sea_orm(column_type = "Text")]
    pub synonyms: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::volunteer_cause::Entity")]
    VolunteerCause,
    #[sea_orm(has_many = "super::role_cause::Entity")]
    RoleCause,
}

impl Related<super::volunteer_cause::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerCause.def()
    }
}

impl Related<super::role_cause::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleCause.def()
    }
}

/// Many-to-many through `role_cause`.
impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        super::role_cause::Relation::Role.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::role_cause::Relation::Cause.def().rev())
    }
}

/// Many-to-many through `volunteer_cause`.
impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        super::volunteer_cause::Relation::VolunteerProfile.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::volunteer_cause::Relation::Cause.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
