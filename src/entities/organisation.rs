//! `organisation`: a volunteer-involving organisation (charity, group, service).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub ward_id: Option<i32>,
    pub charity_number: Option<String>,
    pub safeguarding_lead: Option<String>,
    /// `pending` | `approved` | `suspended` (CHECK).
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::ward::Entity",
        from = "Column::WardId",
        to = "super::ward::Column::Id",
        on_delete = "Restrict"
    )]
    Ward,
    #[sea_orm(has_many = "super::hub_membership::Entity")]
    HubMembership,
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
    #[sea_orm(has_many = "super::role::Entity")]
    Role,
}

impl Related<super::ward::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Ward.def()
    }
}

impl Related<super::hub_membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HubMembership.def()
    }
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

/// Many-to-many through `hub_membership`.
impl Related<super::hub::Entity> for Entity {
    fn to() -> RelationDef {
        super::hub_membership::Relation::Hub.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::hub_membership::Relation::Organisation.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
