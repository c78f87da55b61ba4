//! Email preferences: which non-essential kinds each person wants (no row means the default).
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::email::kinds::Preference;
use crate::entities::{email_preference, user};

/// Whether `user_id` wants emails of `preference`.
pub async fn enabled<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    preference: Preference,
) -> Result<bool, DbErr> {
    Ok(
        email_preference::Entity::find_by_id((user_id, preference.key().to_owned()))
            .one(db)
            .await?
            .map_or(preference.default_enabled(), |row| row.enabled),
    )
}

/// Every preference of `user_id`, in page order, with defaults filled in.
pub async fn all<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Vec<(Preference, bool)>, DbErr> {
    let rows = email_preference::Entity::find()
        .filter(email_preference::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    Ok(Preference::ALL
        .into_iter()
        .map(|p| {
            let on = rows
                .iter()
                .find(|r| r.kind == p.key())
                .map_or(p.default_enabled(), |r| r.enabled);
            (p, on)
        })
        .collect())
}

/// Records a choice (insert or update), in the caller's transaction.
pub async fn set<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    preference: Preference,
    enabled: bool,
) -> Result<(), DbErr> {
    email_preference::Entity::insert(email_preference::ActiveModel {
        user_id: Set(user_id),
        kind: Set(preference.key().to_owned()),
        enabled: Set(enabled),
        updated_at: Set(crate::db::now()),
    })
    .on_conflict(
        OnConflict::columns([
            email_preference::Column::UserId,
            email_preference::Column::Kind,
        ])
        .update_columns([
            email_preference::Column::Enabled,
            email_preference::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The account an address belongs to, if any (`Name <address>` or a bare address).
pub async fn user_for_address<C: ConnectionTrait>(db: &C, to: &str) -> Result<Option<i32>, DbErr> {
    let Ok(mailbox) = to.parse::<lettre::message::Mailbox>() else {
        return Ok(None);
    };
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(mailbox.email.to_string().to_lowercase()))
        .one(db)
        .await?
        .map(|u| u.id))
}

/// Whether the user exists (an unsubscribe token can outlive its account).
pub async fn user_exists<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<bool, DbErr> {
    Ok(user::Entity::find_by_id(user_id).one(db).await?.is_some())
}
