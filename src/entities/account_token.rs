//! `account_token`: a single-use emailed link (verify email, change email, password reset,
//! guardian consent, staff invitation). Only the SHA-256 of the token is stored.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "account_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `verify_email` | `change_email` | `password_reset` | `guardian_consent` | `staff_invite` (CHECK).
    pub kind: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub user_id: Option<i32>,
    pub organisation_id: Option<i32>,
    /// The address the link was sent to (new address, guardian, invitee).
    pub email: Option<String>,
    /// JSON; default `{}` (e.g. the invited staff role).
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339::option")]
    pub used_at: Option<TimeDateTimeWithTimeZone>,
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
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id",
        on_delete = "Cascade"
    )]
    Organisation,
}

impl ActiveModelBehavior for ActiveModel {}
