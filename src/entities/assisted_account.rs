//! `assisted_account`: a volunteer account made in person at a hub for a resident who may
//! have no email; the hub calls or writes to them until they claim it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "assisted_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub user_id: i32,
    /// The hub whose front desk keeps in touch with them.
    pub hub_id: i32,
    /// `phone` | `post` | `email` (CHECK).
    #[sea_orm(column_type = "Text")]
    pub contact_preference: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub phone: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub postal_address: Option<String>,
    pub assisted_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub consent_in_person_at: TimeDateTimeWithTimeZone,
    /// SHA-256 of the single-use claim code given to the resident on paper.
    #[serde(skip_serializing)]
    #[sea_orm(column_type = "Text", nullable)]
    pub claim_code_hash: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub claim_expires_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub claimed_at: Option<TimeDateTimeWithTimeZone>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
