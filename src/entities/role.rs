//! `role`: a volunteering role offered by an organisation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "role")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub hub_id: Option<i32>,
    pub title: String,
    /// One line.
    pub summary: String,
    /// Markdown.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub ward_id: Option<i32>,
    pub postcode_district: Option<String>,
    /// `in_person` | `remote` | `hybrid` (CHECK).
    pub location_type: String,
    /// Default 16.
    pub min_age: i32,
    /// Default false.
    pub youth_friendly: bool,
    /// Default false.
    pub dbs_required: bool,
    /// At least 1 (CHECK).
    pub places: i32,
    /// `one_off` | `regular` | `flexible` (CHECK).
    pub commitment: String,
    pub hours_per_week: Option<i32>,
    /// Comma-separated tags, as `volunteer_profile.access_needs`; default empty.
    #[sea_orm(column_type = "Text")]
    pub access_provisions: String,
    /// Comma-separated ISO 639-1 codes; default `en`.
    #[sea_orm(column_type = "Text")]
    pub languages: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// `draft` | `open` | `closed` (CHECK).
    pub status: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id",
        on_delete = "Cascade"
    )]
    Organisation,
    #[sea_orm(
        belongs_to = "super::hub::Entity",
        from = "Column::HubId",
        to = "super::hub::Column::Id",
        on_delete = "SetNull"
    )]
    Hub,
    #[sea_orm(
        belongs_to = "super::ward::Entity",
        from = "Column::WardId",
        to = "super::ward::Column::Id",
        on_delete = "SetNull"
    )]
    Ward,
    #[sea_orm(has_many = "super::role_cause::Entity")]
    RoleCause,
    #[sea_orm(has_many = "super::role_skill::Entity")]
    RoleSkill,
    #[sea_orm(has_many = "super::role_session::Entity")]
    RoleSession,
    #[sea_orm(has_many = "super::application::Entity")]
    Application,
    #[sea_orm(has_many = "super::hours_log::Entity")]
    HoursLog,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl Related<super::hub::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Hub.def()
    }
}

impl Related<super::ward::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Ward.def()
    }
}

impl Related<super::role_cause::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleCause.def()
    }
}

impl Related<super::role_skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleSkill.def()
    }
}

impl Related<super::role_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleSession.def()
    }
}

impl Related<super::application::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Application.def()
    }
}

impl Related<super::hours_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HoursLog.def()
    }
}

/// Many-to-many through `role_cause`.
impl Related<super::cause::Entity> for Entity {
    fn to() -> RelationDef {
        super::role_cause::Relation::Cause.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::role_cause::Relation::Role.def().rev())
    }
}

/// Many-to-many through `role_skill`.
impl Related<super::skill::Entity> for Entity {
    fn to() -> RelationDef {
        super::role_skill::Relation::Skill.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::role_skill::Relation::Role.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
