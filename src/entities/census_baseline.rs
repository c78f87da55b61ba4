//! `census_baseline`: how many residents of an area fall in each census category of a dimension.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "census_baseline")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// ONS area code: a local authority (E09000028 is Southwark) or a ward (E05…).
    pub area_code: String,
    pub area_name: String,
    /// e.g. `sex`, `ethnic_group`, `ethnicity`, `disability`, `religion`.
    pub dimension: String,
    /// Who was counted, e.g. `all_usual_residents`, `residents_aged_16_plus`.
    pub universe: String,
    /// Category slug, the value an equality-monitoring answer stores.
    pub category: String,
    pub count: i32,
    /// Where the figures came from (file name), '' if not said.
    pub source: String,
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
