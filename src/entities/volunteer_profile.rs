//! `volunteer_profile`: a user's volunteering profile (one per user).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "volunteer_profile")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub user_id: i32,
    #[serde(with = "super::iso_date")]
    pub date_of_birth: TimeDate,
    pub ward_id: Option<i32>,
    /// Outward code, e.g. SE15.
    pub postcode_district: Option<String>,
    /// Default 5.
    pub travel_km: i32,
    /// Default false.
    pub remote_ok: bool,
    /// Comma-separated ISO 639-1 codes; default `en`.
    #[sea_orm(column_type = "Text")]
    pub languages: String,
    /// Comma-separated tags (step_free, hearing_loop, quiet_space, large_print, bsl, seated); default empty.
    #[sea_orm(column_type = "Text")]
    pub access_needs: String,
    /// Default empty.
    #[sea_orm(column_type = "Text")]
    pub bio: String,
    /// Default false.
    pub open_to_suggestions: bool,
    #[serde(with = "super::iso_date::option")]
    pub dbs_checked_on: Option<TimeDate>,
    pub guardian_email: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub guardian_consent_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
    /// Secret in the volunteer's calendar (.ics) feed address; `None` until first asked for.
    #[serde(skip_serializing)]
    pub calendar_token: Option<String>,
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
        belongs_to = "super::ward::Entity",
        from = "Column::WardId",
        to = "super::ward::Column::Id",
        on_delete = "SetNull"
    )]
    Ward,
    #[sea_orm(has_many = "super::volunteer_skill::Entity")]
    VolunteerSkill,
    #[sea_orm(has_many = "super::volunteer_cause::Entity")]
    VolunteerCause,
    #[sea_orm(has_many = "super::availability::Entity")]
    Availability,
    #[sea_orm(has_many = "super::application::Entity")]
    Application,
    #[sea_orm(has_many = "super::hours_log::Entity")]
    HoursLog,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::ward::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Ward.def()
    }
}

impl Related<super::volunteer_skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerSkill.def()
    }
}

impl Related<super::volunteer_cause::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerCause.def()
    }
}

impl Related<super::availability::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Availability.def()
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

/// Many-to-many through `volunteer_cause`.
impl Related<super::cause::Entity> for Entity {
    fn to() -> RelationDef {
        super::volunteer_cause::Relation::Cause.def()
    }

    fn via() -> Option<RelationDef> {
        Some(
            super::volunteer_cause::Relation::VolunteerProfile
                .def()
                .rev(),
        )
    }
}

/// Many-to-many through `volunteer_skill`.
impl Related<super::skill::Entity> for Entity {
    fn to() -> RelationDef {
        super::volunteer_skill::Relation::Skill.def()
    }

    fn via() -> Option<RelationDef> {
        Some(
            super::volunteer_skill::Relation::VolunteerProfile
                .def()
                .rev(),
        )
    }
}

impl ActiveModelBehavior for ActiveModel {}
