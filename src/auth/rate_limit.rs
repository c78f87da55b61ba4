//! Rate limits on log-in, sign-up and password reset, per IP address and per account,
//! counted in the database so every `serve` process behind a load balancer shares them.
use std::time::Duration;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter,
};

use crate::entities::rate_limit_event;

/// At most `max` attempts per `window` for one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub bucket: &'static str,
    pub max: u64,
    pub window: Duration,
}

const MINUTE: Duration = Duration::from_secs(60);

pub const SIGN_IN_PER_IP: Limit = Limit {
    bucket: "sign_in:ip",
    max: 30,
    window: Duration::from_secs(15 * 60),
};
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    bucket: "sign_in:account",
    max: 8,
    window: Duration::from_secs(15 * 60),
};
pub const SIGN_UP_PER_IP: Limit = Limit {
    bucket: "sign_up:ip",
    max: 10,
    window: Duration::from_secs(60 * 60),
};
pub const SIGN_UP_PER_ACCOUNT: Limit = Limit {
    bucket: "sign_up:account",
    max: 3,
    window: Duration::from_secs(60 * 60),
};
pub const RESET_PER_IP: Limit = Limit {
    bucket: "password_reset:ip",
    max: 10,
    window: Duration::from_secs(60 * 60),
};
pub const RESET_PER_ACCOUNT: Limit = Limit {
    bucket: "password_reset:account",
    max: 3,
    window: Duration::from_secs(60 * 60),
};
/// Second step of sign-in (TOTP or recovery code), per account.
pub const TWO_FACTOR_PER_ACCOUNT: Limit = Limit {
    bucket: "two_factor:account",
    max: 6,
    window: Duration::from_secs(15 * 60),
};

impl Limit {
    /// How a person is told when to try again.
    pub fn wait_words(&self) -> String {
        let minutes = self.window.as_secs().div_ceil(MINUTE.as_secs());
        if minutes >= 60 && minutes % 60 == 0 {
            let hours = minutes / 60;
            format!("{hours} hour{}", if hours == 1 { "" } else { "s" })
        } else {
            format!("{minutes} minutes")
        }
    }
}

/// Records an attempt by `subject` and says whether it is within the limit. Refused
/// attempts are not recorded, so a flood cannot grow the table past `max` rows per window.
pub async fn attempt<C: ConnectionTrait>(
    db: &C,
    limit: Limit,
    subject: &str,
) -> Result<bool, DbErr> {
    let now = crate::db::now();
    let since = now - limit.window;
    let recent = rate_limit_event::Entity::find()
        .filter(rate_limit_event::Column::Bucket.eq(limit.bucket))
        .filter(rate_limit_event::Column::Subject.eq(subject))
        .filter(rate_limit_event::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    if recent >= limit.max {
        return Ok(false);
    }
    rate_limit_event::ActiveModel {
        bucket: Set(limit.bucket.to_owned()),
        subject: Set(subject.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// Checks every `(limit, subject)` pair; all must pass. Every pair is counted even when an
/// earlier one refuses, so an attacker cannot probe one limit without spending the other.
pub async fn attempt_all<C: ConnectionTrait>(
    db: &C,
    checks: &[(Limit, &str)],
) -> Result<Option<Limit>, DbErr> {
    let mut refused = None;
    for (limit, subject) in checks {
        if !attempt(db, *limit, subject).await? && refused.is_none() {
            refused = Some(*limit);
        }
    }
    Ok(refused)
}

/// Deletes events older than a day (longer than any window).
pub async fn sweep<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    let cutoff = crate::db::now() - Duration::from_secs(24 * 60 * 60);
    let res = rate_limit_event::Entity::delete_many()
        .filter(rate_limit_event::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_worded_in_minutes_or_hours() {
        assert_eq!(SIGN_IN_PER_IP.wait_words(), "15 minutes");
        assert_eq!(SIGN_UP_PER_IP.wait_words(), "1 hour");
    }
}
