//! `availability`: a weekly slot when a volunteer is available.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "availability")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub volunteer_id: i32,
    /// ODI slot name, `MondayMorning` … `SundayEvening` (21 values, CHECK).
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: String,
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
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
