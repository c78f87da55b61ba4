//! `social_referral`: a link worker (or hub staff) refers a resident into volunteering with
//! an organisation, with the resident's consent; the reason stays with the referrer and hub.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "social_referral")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub volunteer_profile_id: i32,
    /// The link worker or hub staff member who referred (null once their account is erased).
    pub referred_by: Option<i32>,
    /// `link_worker` | `gp_network` | `hub` (CHECK).
    #[sea_orm(column_type = "Text")]
    pub source: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub gp_network: Option<String>,
    pub hub_id: i32,
    pub organisation_id: i32,
    pub role_id: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub consent_recorded_at: TimeDateTimeWithTimeZone,
    pub consent_by: Option<i32>,
    /// Comma-separated tags: confidence, company, skills, routine.
    #[sea_orm(column_type = "Text")]
    pub hopes: String,
    /// Comma-separated tags: low_commitment, step_free, accompanied_first_visit.
    #[sea_orm(column_type = "Text")]
    pub needs: String,
    /// Private: never shown to the organisation.
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// `sent` | `received` | `contacted` | `started` | `ended` | `declined` (CHECK).
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
