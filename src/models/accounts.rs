//! Accounts: finding a user and what they may act as (memberships, hubs), signing in.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::access::{Actor, OrgRole};
use crate::entities::{hub_coordinator, membership, user, volunteer_profile};

/// Account states (`users.status`).
pub const ACTIVE: &str = "active";
pub const PENDING_VERIFICATION: &str = "pending_verification";
pub const PENDING_GUARDIAN: &str = "pending_guardian";
pub const DISABLED: &str = "disabled";

/// A signed-in person: their account row and how authorisation sees them.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user: user::Model,
    pub actor: Actor,
}

impl CurrentUser {
    pub fn id(&self) -> i32 {
        self.user.id
    }
}

pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await
}

/// The user and their memberships and hubs, if the account can be used (active, not erased).
pub async fn load_current<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<CurrentUser>, DbErr> {
    let Some(user) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(None);
    };
    if user.status != ACTIVE || user.erased_at.is_some() {
        return Ok(None);
    }
    let actor = actor_for(db, &user).await?;
    Ok(Some(CurrentUser { user, actor }))
}

pub async fn actor_for<C: ConnectionTrait>(db: &C, user: &user::Model) -> Result<Actor, DbErr> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| OrgRole::parse(&m.role).map(|r| (m.organisation_id, r)))
        .collect();
    let coordinated_hubs = hub_coordinator::Entity::find()
        .filter(hub_coordinator::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.hub_id)
        .collect();
    let volunteer_profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user.id))
        .one(db)
        .await?
        .map(|p| p.id);
    let link_worker = crate::models::link_workers::post_of(db, user.id).await?;
    Ok(Actor {
        user_id: user.id,
        alliance_admin: user.is_alliance_admin,
        memberships,
        coordinated_hubs,
        volunteer_profile,
        organisation_token: None,
        link_worker,
    })
}
