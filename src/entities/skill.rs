//! `skill`: a skill from the skills vocabulary.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "skill")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// `essential` | `practical` | `functional` (CHECK).
    pub skill_group: String,
    /// Default empty.
    #[sea_orm(column_type = "Text")]
    pub description: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::volunteer_skill::Entity")]
    VolunteerSkill,
    #[sea_orm(has_many = "super::role_skill::Entity")]
    RoleSkill,
}

impl Related<super::volunteer_skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerSkill.def()
    }
}

impl Related<super::role_skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleSkill.def()
    }
}

/// Many-to-many through `role_skill`.
impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        super::role_skill::Relation::Role.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::role_skill::Relation::Skill.def().rev())
    }
}

/// Many-to-many through `volunteer_skill`.
impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        super::volunteer_skill::Relation::VolunteerProfile.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::volunteer_skill::Relation::Skill.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
