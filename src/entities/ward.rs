//! `ward`: an ONS electoral ward of the borough (code, name, population, centroid).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "ward")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// ONS ward code, e.g. E05011095.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub population_approx: i32,
    #[sea_orm(column_type = "Double")]
    pub centroid_lat: f64,
    #[sea_orm(column_type = "Double")]
    pub centroid_lon: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::hub::Entity")]
    Hub,
    #[sea_orm(has_many = "super::organisation::Entity")]
    Organisation,
    #[sea_orm(has_many = "super::volunteer_profile::Entity")]
    VolunteerProfile,
    #[sea_orm(has_many = "super::role::Entity")]
    Role,
}

impl Related<super::hub::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Hub.def()
    }
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
