//! `hub_coordinator`: a user who coordinates a hub.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "hub_coordinator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique_key = "user_hub")]
    pub user_id: i32,
    #[sea_orm(unique_key = "user_hub")]
    pub hub_id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id",
        on_delete = "Cascade"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::hub::Entity",
        from = "Column::HubId",
        to = "super::hub::Column::Id",
        on_delete = "Cascade"
    )]
    Hub,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::hub::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Hub.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
