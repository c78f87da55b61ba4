//! API tokens: created by a person for themselves or for an organisation, shown once,
//! stored as a SHA-256 hash, revocable.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use crate::auth::tokens::{hash_token, random_token};
use crate::domain::access::{Actor, OrgRole};
use crate::entities::api_token;
use crate::error::AppError;
use crate::models::accounts::{self, CurrentUser};

/// Every token starts with this, so leaked ones are easy to spot (and to scan for).
pub const TOKEN_PREFIX: &str = "hm_";
/// How much of a token is kept in clear to tell tokens apart in a list.
const SHOWN_CHARS: usize = 10;
pub const MAX_NAME_CHARS: usize = 80;

/// A token just created: the secret, shown to its creator this once.
pub struct NewToken {
    pub row: api_token::Model,
    pub secret: String,
}

/// Checks the name a person gives a token.
pub fn check_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::field(
            "name",
            "Enter a name for the token, like \"Rota spreadsheet\"",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::field(
            "name",
            format!("Token name must be {MAX_NAME_CHARS} characters or fewer"),
        ));
    }
    Ok(name.to_owned())
}

/// Creates a token owned by `user_id`, acting for `organisation_id` when set.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    organisation_id: Option<i32>,
    name: &str,
) -> Result<NewToken, DbErr> {
    let secret = format!("{TOKEN_PREFIX}{}", random_token());
    let row = api_token::ActiveModel {
        name: Set(name.to_owned()),
        prefix: Set(secret[..SHOWN_CHARS].to_owned()),
        token_hash: Set(hash_token(&secret)),
        user_id: Set(user_id),
        organisation_id: Set(organisation_id),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NewToken { row, secret })
}

/// A person's own tokens (not organisation tokens), newest first.
pub async fn personal<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::OrganisationId.is_null())
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await
}

/// An organisation's tokens, newest first.
pub async fn of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<api_token::Model>, DbErr> {
    api_token::Entity::find_by_id(id).one(db).await
}

/// Marks a token revoked; it stops working at once. Revoking twice is harmless.
pub async fn revoke<C: ConnectionTrait>(db: &C, token: &api_token::Model) -> Result<(), DbErr> {
    if token.revoked_at.is_some() {
        return Ok(());
    }
    let mut row: api_token::ActiveModel = token.clone().into();
    row.revoked_at = Set(Some(crate::db::now()));
    row.update(db).await?;
    Ok(())
}

/// The caller a token stands for, if it is live and its owner's account usable.
/// An organisation's token acts as staff of that organisation and nothing else.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<CurrentUser>, DbErr> {
    if !secret.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(secret)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(mut caller) = accounts::load_current(db, token.user_id).await? else {
        return Ok(None);
    };
    if let Some(org) = token.organisation_id {
        // The token is only as good as its creator's place in the organisation: once they
        // leave or are removed, what they made stops working with them.
        if caller.actor.role_in(org).is_none() && !caller.actor.alliance_admin {
            return Ok(None);
        }
        caller.actor = Actor {
            user_id: caller.user.id,
            memberships: vec![(org, OrgRole::Staff)],
            organisation_token: Some(org),
            ..Actor::default()
        };
    }
    let mut row: api_token::ActiveModel = token.into();
    row.last_used_at = Set(Some(crate::db::now()));
    row.update(db).await?;
    Ok(Some(caller))
}
