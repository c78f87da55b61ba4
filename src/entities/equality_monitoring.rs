//! `equality_monitoring`: a user's optional equality-monitoring answers (census category slugs).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "equality_monitoring")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub user_id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub consented_at: TimeDateTimeWithTimeZone,
    /// Never used for matching.
    pub age_band_override: Option<String>,
    pub sex: Option<String>,
    /// One of the 5 census groups.
    pub ethnic_group: Option<String>,
    /// One of the 19 census categories.
    pub ethnicity: Option<String>,
    pub disability: Option<String>,
    pub religion: Option<String>,
    pub sexual_orientation: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: TimeDateTimeWithTimeZone,
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
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
