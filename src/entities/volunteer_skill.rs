//! `volunteer_skill`: a skill a volunteer has, with level and optional verification.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "volunteer_skill")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub volunteer_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i32,
    /// 0–15 (CHECK).
    pub level: i32,
    pub verified_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub verified_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::volunteer_profile::Entity",
        from = "Column::VolunteerId",
        to = "super::volunteer_profile::Column::Id",
        on_delete = "Cascade"
    )]
    VolunteerProfile,
    #[sea_orm(
        belongs_to = "super::skill::Entity",
        from = "Column::SkillId",
        to = "super::skill::Column::Id",
        on_delete = "Cascade"
    )]
    Skill,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::VerifiedBy",
        to = "super::user::Column::Id",
        on_delete = "SetNull"
    )]
    User,
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl Related<super::skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Skill.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
