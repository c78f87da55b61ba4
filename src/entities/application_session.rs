//! `application_session`: a session an application is for (many-to-many link).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "application_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::application::Entity",
        from = "Column::ApplicationId",
        to = "super::application::Column::Id",
        on_delete = "Cascade"
    )]
    Application,
    #[sea_orm(
        belongs_to = "super::role_session::Entity",
        from = "Column::SessionId",
        to = "super::role_session::Column::Id",
        on_delete = "Cascade"
    )]
    RoleSession,
}

impl Related<super::application::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Application.def()
    }
}

impl Related<super::role_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleSession.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
