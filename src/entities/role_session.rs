//! `role_session`: a dated session (shift) of a role.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "role_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub role_id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub ends_at: TimeDateTimeWithTimeZone,
    pub places: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::role::Entity",
        from = "Column::RoleId",
        to = "super::role::Column::Id",
        on_delete = "Cascade"
    )]
    Role,
    #[sea_orm(has_many = "super::application_session::Entity")]
    ApplicationSession,
    #[sea_orm(has_many = "super::hours_log::Entity")]
    HoursLog,
}

impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

impl Related<super::application_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApplicationSession.def()
    }
}

impl Related<super::hours_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HoursLog.def()
    }
}

/// Many-to-many through `application_session`.
impl Related<super::application::Entity> for Entity {
    fn to() -> RelationDef {
        super::application_session::Relation::Application.def()
    }

    fn via() -> Option<RelationDef> {
        Some(
            super::application_session::Relation::RoleSession
                .def()
                .rev(),
        )
    }
}

impl ActiveModelBehavior for ActiveModel {}
