//! `hub_membership`: an organisation belonging to a hub (many-to-many link).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "hub_membership")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hub_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::hub::Entity",
        from = "Column::HubId",
        to = "super::hub::Column::Id",
        on_delete = "Cascade"
    )]
    Hub,
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id",
        on_delete = "Cascade"
    )]
    Organisation,
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

impl ActiveModelBehavior for ActiveModel {}
