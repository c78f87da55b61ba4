//! Housekeeping removes what has expired and nothing that is still live.
use hubmatch::entities::{account_token, rate_limit_event, session};
use hubmatch::jobs::housekeeping;
use hubmatch::models::account_tokens::{self, Kind, TokenFor};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use time::Duration;

use crate::helpers::TestApp;
use crate::on_both_databases;

async fn sweeping_removes_only_expired_rows(app: TestApp) {
    let now = hubmatch::db::now();
    for (id, expires) in [
        ("live", now + Duration::hours(1)),
        ("dead", now - Duration::hours(1)),
    ] {
        session::ActiveModel {
            id: Set(id.into()),
            data: Set(b"{}".to_vec()),
            expires_at: Set(expires),
            user_id: Set(None),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    for at in [now - Duration::hours(2), now - Duration::days(2)] {
        rate_limit_event::ActiveModel {
            bucket: Set("sign_in:ip".into()),
            subject: Set("127.0.0.1".into()),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    account_tokens::issue(&app.db, Kind::PasswordReset, TokenFor::default())
        .await
        .unwrap();
    let old = account_tokens::issue(&app.db, Kind::PasswordReset, TokenFor::default())
        .await
        .unwrap();
    let old = account_tokens::peek(&app.db, Kind::PasswordReset, &old)
        .await
        .unwrap()
        .unwrap();
    let mut old: account_token::ActiveModel = old.into();
    old.expires_at = Set(now - Duration::days(31));
    old.update(&app.db).await.unwrap();

    let swept = housekeeping::sweep(&app.db).await.unwrap();

    assert_eq!(swept.rate_limit_events, 1);
    assert_eq!(swept.account_tokens, 1);
    let sessions: Vec<String> = session::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(sessions, vec!["live".to_owned()]);
    assert_eq!(
        rate_limit_event::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        account_token::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

on_both_databases!(sweeping_removes_only_expired_rows);
