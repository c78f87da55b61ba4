//! Two-factor sign-in: enrolling a TOTP secret, checking a second factor (a code from
//! the app, once, or an unused recovery code), recovery codes, and turning it off.
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr,
};

use crate::auth::tokens::hash_token;
use crate::auth::totp;
use crate::entities::{recovery_code, user};

/// How many recovery codes a person is given at a time.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits that cannot be mistaken for one another when read aloud or typed
/// from paper (no 0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_CHARS: usize = 12;
/// Shown on the authenticator app next to the account.
pub const ISSUER: &str = "hubmatch Southwark";

/// The secret being set up: the one already waiting (so an app that has scanned it keeps
/// working after a reload), else a new one, stored but not yet turned on.
pub async fn pending_secret<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
) -> Result<String, DbErr> {
    if let Some(secret) = person
        .totp_secret
        .as_ref()
        .filter(|_| person.totp_enabled_at.is_none())
    {
        return Ok(secret.clone());
    }
    let secret = totp::generate_secret();
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(secret.clone()))
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .col_expr(user::Column::UpdatedAt, Expr::value(crate::db::now()))
        .filter(user::Column::Id.eq(person.id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .exec(db)
        .await?;
    Ok(secret)
}

/// Uses up `step` for this person, unless it (or a later one) already was: the
/// conditional UPDATE makes two simultaneous sign-ins with one code succeed once.
async fn use_step<C: ConnectionTrait>(db: &C, user_id: i32, step: i64) -> Result<bool, DbErr> {
    let res = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Turns two-factor sign-in on when `code` is the app's current code for the pending
/// secret, and returns the new recovery codes (to show once). `None`: wrong code.
pub async fn enable<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    code: &str,
) -> Result<Option<Vec<String>>, DbErr> {
    let Some(secret) = person.totp_secret.as_deref() else {
        return Ok(None);
    };
    let now = crate::db::now();
    let Some(step) = totp::verify(secret, code, now.unix_timestamp(), person.totp_last_step) else {
        return Ok(None);
    };
    if !use_step(db, person.id, step).await? {
        return Ok(None);
    }
    user::Entity::update_many()
        .col_expr(user::Column::TotpEnabledAt, Expr::value(now))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(person.id))
        .exec(db)
        .await?;
    Ok(Some(replace_recovery_codes(db, person.id).await?))
}

/// Turns two-factor sign-in off: the secret and the recovery codes are forgotten.
pub async fn disable<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(Option::<time::OffsetDateTime>::None),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .col_expr(user::Column::UpdatedAt, Expr::value(crate::db::now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Which second factor was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
    AppCode,
    RecoveryCode,
}

/// Checks the second step of sign-in: the app's code (each works once), else an unused
/// recovery code, which is then used up.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    typed: &str,
) -> Result<Option<Accepted>, DbErr> {
    let (Some(secret), Some(_)) = (person.totp_secret.as_deref(), person.totp_enabled_at) else {
        return Ok(None);
    };
    let now = crate::db::now().unix_timestamp();
    if let Some(step) = totp::verify(secret, typed, now, person.totp_last_step) {
        return Ok(use_step(db, person.id, step)
            .await?
            .then_some(Accepted::AppCode));
    }
    let Some(normalised) = normalise_recovery_code(typed) else {
        return Ok(None);
    };
    let Some(found) = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(person.id))
        .filter(recovery_code::Column::CodeHash.eq(hash_token(&normalised)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let res = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(crate::db::now()))
        .filter(recovery_code::Column::Id.eq(found.id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((res.rows_affected == 1).then_some(Accepted::RecoveryCode))
}

/// Replaces all of a person's recovery codes with fresh ones and returns them (only
/// their hashes are kept).
pub async fn replace_recovery_codes<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Vec<String>, DbErr> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let now = crate::db::now();
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    for code in &codes {
        let normalised = normalise_recovery_code(code).unwrap_or_default();
        recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(hash_token(&normalised)),
            used_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(codes)
}

/// How many unused recovery codes a person has left.
pub async fn recovery_codes_left<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<u64, DbErr> {
    recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await
}

/// A code like `k7mp-2xqa-h9tf` (about 59 random bits).
fn new_recovery_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..RECOVERY_CHARS)
        .map(|_| char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed recovery code without spaces or dashes, lower case; `None` when it cannot be
/// one (wrong length or letters), so the table is not searched for junk.
fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == RECOVERY_CHARS && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_grouped_and_read_back_however_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 14, "{code}");
        assert_eq!(code.matches('-').count(), 2, "{code}");
        let plain = normalise_recovery_code(&code).unwrap();
        assert_eq!(
            normalise_recovery_code(&code.to_uppercase()),
            Some(plain.clone())
        );
        assert_eq!(
            normalise_recovery_code(&format!(" {} ", code.replace('-', " "))),
            Some(plain)
        );
        assert_ne!(new_recovery_code(), code);
    }

    #[test]
    fn junk_is_not_a_recovery_code() {
        assert_eq!(normalise_recovery_code("123456"), None);
        assert_eq!(
            normalise_recovery_code("abcd-efgh-ijk0"),
            None,
            "0 and i are not used"
        );
        assert_eq!(normalise_recovery_code(""), None);
    }
}
