//! `link_worker`: a social-prescribing link worker, attached to a hub or a GP practice network.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "link_worker")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub user_id: i32,
    pub hub_id: Option<i32>,
    /// The GP practice (primary care) network they work for, e.g. "North Southwark PCN".
    #[sea_orm(column_type = "Text", nullable)]
    pub gp_network: Option<String>,
    pub created_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
