//! `volunteer_cause`: a cause a volunteer cares about (many-to-many link).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "volunteer_cause")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub volunteer_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub cause_id: i32,
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
        belongs_to = "super::cause::Entity",
        from = "Column::CauseId",
        to = "super::cause::Column::Id",
        on_delete = "Cascade"
    )]
    Cause,
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl Related<super::cause::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Cause.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
