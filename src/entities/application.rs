//! `application`: a volunteer's application to a role.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique_key = "role_volunteer")]
    pub role_id: i32,
    #[sea_orm(unique_key = "role_volunteer")]
    pub volunteer_id: i32,
    /// `applied` | `accepted` | `declined` | `waitlisted` | `withdrawn` (CHECK).
    pub status: String,
    /// Default empty.
    #[sea_orm(column_type = "Text")]
    pub message: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
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
    #[sea_orm(
        belongs_to = "super::volunteer_profile::Entity",
        from = "Column::VolunteerId",
        to = "super::volunteer_profile::Column::Id",
        on_delete = "Cascade"
    )]
    VolunteerProfile,
    #[sea_orm(has_many = "super::application_session::Entity")]
    ApplicationSession,
    #[sea_orm(has_many = "super::application_event::Entity")]
    ApplicationEvent,
}

impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl Related<super::application_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApplicationSession.def()
    }
}

impl Related<super::application_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApplicationEvent.def()
    }
}

/// Many-to-many through `application_session`.
impl Related<super::role_session::Entity> for Entity {
    fn to() -> RelationDef {
        super::application_session::Relation::RoleSession.def()
    }

    fn via() -> Option<RelationDef> {
        Some(
            super::application_session::Relation::Application
                .def()
                .rev(),
        )
    }
}

impl ActiveModelBehavior for ActiveModel {}
