//! Single-use emailed links: verify an address, confirm a new address, reset a password,
//! a guardian's consent, a staff invitation. Only the token's hash is stored; a token
//! works once and until it expires.
use std::time::Duration;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, sea_query::Expr,
};

use crate::auth::tokens::{hash_token, random_token};
use crate::entities::account_token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    VerifyEmail,
    ChangeEmail,
    PasswordReset,
    GuardianConsent,
    StaffInvite,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ChangeEmail => "change_email",
            Self::PasswordReset => "password_reset",
            Self::GuardianConsent => "guardian_consent",
            Self::StaffInvite => "staff_invite",
        }
    }

    /// How long a link of this kind works.
    pub fn lifetime(self) -> Duration {
        const HOUR: u64 = 60 * 60;
        Duration::from_secs(match self {
            Self::PasswordReset => HOUR,
            Self::VerifyEmail | Self::ChangeEmail => 48 * HOUR,
            Self::GuardianConsent | Self::StaffInvite => 14 * 24 * HOUR,
        })
    }
}

/// What a new token is for.
#[derive(Clone, Debug, Default)]
pub struct TokenFor {
    pub user_id: Option<i32>,
    pub organisation_id: Option<i32>,
    pub email: Option<String>,
    /// JSON object, e.g. `{"role":"staff"}`.
    pub detail: Option<serde_json::Value>,
}

/// Creates a token and returns the secret to put in the link (never stored).
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    what: TokenFor,
) -> Result<String, DbErr> {
    issue_lasting(db, kind, what, kind.lifetime()).await
}

/// [`issue`] with its own lifetime: a first "set your password" link for an account an
/// admin made lasts as long as an invitation, not an hour.
pub async fn issue_lasting<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    what: TokenFor,
    lifetime: Duration,
) -> Result<String, DbErr> {
    let secret = random_token();
    let now = crate::db::now();
    account_token::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        token_hash: Set(hash_token(&secret)),
        user_id: Set(what.user_id),
        organisation_id: Set(what.organisation_id),
        email: Set(what.email),
        detail: Set(what
            .detail
            .map_or_else(|| "{}".to_owned(), |d| d.to_string())),
        expires_at: Set(now + lifetime),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// The live token of `kind` for this secret (unused, unexpired), without using it up:
/// for showing a confirmation page before the action.
pub async fn peek<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    secret: &str,
) -> Result<Option<account_token::Model>, DbErr> {
    account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(hash_token(secret)))
        .filter(account_token::Column::Kind.eq(kind.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(crate::db::now()))
        .one(db)
        .await
}

/// Uses the token up and returns it, or `None` when it is unknown, of another kind,
/// expired or already used. The conditional UPDATE makes two simultaneous uses of one
/// link succeed once. Call inside the transaction of the action the link allows.
pub async fn consume<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    secret: &str,
) -> Result<Option<account_token::Model>, DbErr> {
    let Some(token) = peek(db, kind, secret).await? else {
        return Ok(None);
    };
    let now = crate::db::now();
    let res = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now))
        .filter(account_token::Column::Id.eq(token.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((res.rows_affected == 1).then_some(token))
}

/// Uses up every live token of `kind` for a user (e.g. older reset links once the
/// password has changed).
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    user_id: i32,
) -> Result<u64, DbErr> {
    let res = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(crate::db::now()))
        .filter(account_token::Column::Kind.eq(kind.as_str()))
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
