//! `hours_log`: volunteering time claimed by a volunteer and reviewed by the organisation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "hours_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub volunteer_id: i32,
    pub role_id: i32,
    pub session_id: Option<i32>,
    #[serde(with = "super::iso_date")]
    pub worked_on: TimeDate,
    /// More than 0 (CHECK).
    pub minutes: i32,
    /// `claimed` | `confirmed` | `rejected` (CHECK).
    pub status: String,
    /// Default empty.
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub reviewed_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reviewed_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
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
        belongs_to = "super::role::Entity",
        from = "Column::RoleId",
        to = "super::role::Column::Id",
        on_delete = "Cascade"
    )]
    Role,
    #[sea_orm(
        belongs_to = "super::role_session::Entity",
        from = "Column::SessionId",
        to = "super::role_session::Column::Id",
        on_delete = "SetNull"
    )]
    RoleSession,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ReviewedBy",
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

impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

impl Related<super::role_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleSession.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
