//! Hub coordinators: who coordinates which hub, assigned and removed by alliance admins.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::Serialize;

use crate::entities::{hub_coordinator, user};

#[derive(Clone, Debug, Serialize)]
pub struct Coordinator {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    /// Whether they have set up two-factor sign-in yet (they cannot work until then).
    pub two_factor: bool,
}

/// A hub's coordinators, by name.
pub async fn of_hub<C: ConnectionTrait>(db: &C, hub_id: i32) -> Result<Vec<Coordinator>, DbErr> {
    let mut out: Vec<Coordinator> = hub_coordinator::Entity::find()
        .filter(hub_coordinator::Column::HubId.eq(hub_id))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, u)| {
            u.map(|u| Coordinator {
                user_id: u.id,
                name: u.display_name,
                email: u.email,
                two_factor: u.totp_enabled_at.is_some(),
            })
        })
        .collect();
    out.sort_by_key(|c| c.name.to_lowercase());
    Ok(out)
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
    user_id: i32,
) -> Result<Option<hub_coordinator::Model>, DbErr> {
    hub_coordinator::Entity::find()
        .filter(hub_coordinator::Column::HubId.eq(hub_id))
        .filter(hub_coordinator::Column::UserId.eq(user_id))
        .one(db)
        .await
}

pub async fn assign<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
    user_id: i32,
) -> Result<hub_coordinator::Model, DbErr> {
    hub_coordinator::ActiveModel {
        user_id: Set(user_id),
        hub_id: Set(hub_id),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Removes the assignment; `false` when there was none.
pub async fn remove<C: ConnectionTrait>(db: &C, hub_id: i32, user_id: i32) -> Result<bool, DbErr> {
    let res = hub_coordinator::Entity::delete_many()
        .filter(hub_coordinator::Column::HubId.eq(hub_id))
        .filter(hub_coordinator::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
