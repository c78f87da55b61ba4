//! `users`: a person who can sign in (volunteer, organisation staff, hub coordinator, admin).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stored lower-case.
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: Option<String>,
    pub display_name: String,
    pub phone: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub verified_at: Option<TimeDateTimeWithTimeZone>,
    /// Default false.
    pub is_alliance_admin: bool,
    /// `active` | `pending_verification` | `pending_guardian` | `disabled` (CHECK).
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_login_at: Option<TimeDateTimeWithTimeZone>,
    /// Base32 TOTP secret; set while enrolling, active once `totp_enabled_at` is set.
    #[serde(skip_serializing)]
    pub totp_secret: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub totp_enabled_at: Option<TimeDateTimeWithTimeZone>,
    /// The last accepted 30-second step, so a code cannot be used twice.
    pub totp_last_step: Option<i64>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub terms_accepted_at: Option<TimeDateTimeWithTimeZone>,
    /// Set when the account was erased (GDPR): personal data is gone, the row
    /// stays so anonymised applications and hours keep their totals.
    #[serde(with = "time::serde::rfc3339::option")]
    pub erased_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
    #[sea_orm(has_many = "super::hub_coordinator::Entity")]
    HubCoordinator,
    #[sea_orm(has_one = "super::volunteer_profile::Entity")]
    VolunteerProfile,
    #[sea_orm(has_many = "super::volunteer_skill::Entity")]
    VolunteerSkill,
    #[sea_orm(has_many = "super::application_event::Entity")]
    ApplicationEvent,
    #[sea_orm(has_many = "super::hours_log::Entity")]
    HoursLog,
    #[sea_orm(has_one = "super::equality_monitoring::Entity")]
    EqualityMonitoring,
    #[sea_orm(has_many = "super::audit_log::Entity")]
    AuditLog,
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl Related<super::hub_coordinator::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HubCoordinator.def()
    }
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl Related<super::volunteer_skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerSkill.def()
    }
}

impl Related<super::application_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApplicationEvent.def()
    }
}

impl Related<super::hours_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HoursLog.def()
    }
}

impl Related<super::equality_monitoring::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EqualityMonitoring.def()
    }
}

impl Related<super::audit_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLog.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
