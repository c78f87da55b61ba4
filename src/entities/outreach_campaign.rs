//! `outreach_campaign`: an opportunities digest sent after the representativeness report flagged a group.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "outreach_campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Who sent it (null once their account is erased).
    pub sent_by: Option<i32>,
    pub hub_id: Option<i32>,
    /// The flag that prompted it: funnel stage, dimension, category and `under`/`over`.
    #[sea_orm(column_type = "Text")]
    pub stage: String,
    #[sea_orm(column_type = "Text")]
    pub dimension: String,
    #[sea_orm(column_type = "Text")]
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub flag: String,
    /// Comma-separated ward codes targeted.
    #[sea_orm(column_type = "Text")]
    pub wards: String,
    /// Comma-separated cause slugs targeted.
    #[sea_orm(column_type = "Text")]
    pub causes: String,
    /// Comma-separated ids of the roles in the digest.
    #[sea_orm(column_type = "Text")]
    pub role_ids: String,
    pub recipients: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::SentBy",
        to = "super::user::Column::Id",
        on_delete = "SetNull"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::hub::Entity",
        from = "Column::HubId",
        to = "super::hub::Column::Id",
        on_delete = "SetNull"
    )]
    Hub,
}

impl ActiveModelBehavior for ActiveModel {}
