//! `DatabaseSessionStore`: tower-sessions records kept in the `session` table through sea-orm.
use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, SqlErr,
};
use time::{OffsetDateTime, UtcOffset};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use crate::entities::session;

/// How many fresh ids `create` tries before giving up. A clash of two random
/// 128-bit ids is not expected in practice; the loop only honours the trait's contract.
const CREATE_ATTEMPTS: usize = 8;

/// Server-side sessions in the database the rest of the app uses (SQLite or
/// PostgreSQL). The whole [`Record`] is stored as JSON in `data`; `expires_at`
/// repeats its expiry so expired rows can be skipped and swept by SQL.
#[derive(Clone, Debug)]
pub struct DatabaseSessionStore {
    db: DatabaseConnection,
}

impl DatabaseSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
        let data =
            serde_json::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        Ok(session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expires_at: Set(stored_expiry(record.expiry_date)),
            user_id: Set(record_user_id(record)),
        })
    }

    /// Ends every session of one user ("log out everywhere", password reset, erasure).
    pub async fn delete_for_user<C: sea_orm::ConnectionTrait>(
        db: &C,
        user_id: i32,
    ) -> Result<u64, DbErr> {
        let res = session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user_id))
            .exec(db)
            .await?;
        Ok(res.rows_affected)
    }
}

/// The signed-in user a record belongs to, kept in its own column so all of a
/// user's sessions can be found (see `auth::session::USER_ID`).
fn record_user_id(record: &Record) -> Option<i32> {
    record
        .data
        .get(super::session::USER_ID)
        .and_then(serde_json::Value::as_i64)
        .and_then(|id| i32::try_from(id).ok())
}

/// UTC, whole seconds: SQLite compares timestamps as text, so stored values must
/// share the format and precision of `db::now()` (see there). Rounding down
/// ends a session up to a second early, never late.
fn stored_expiry(expiry: OffsetDateTime) -> OffsetDateTime {
    let utc = expiry.to_offset(UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}

fn backend(e: DbErr) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DatabaseSessionStore {
    /// Inserts, never overwrites: on an id clash the record gets a new id and
    /// the insert is tried again, as the trait asks.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        for _ in 0..CREATE_ATTEMPTS {
            let row = Self::row(record)?;
            match session::Entity::insert(row)
                .exec_without_returning(&self.db)
                .await
            {
                Ok(_) => return Ok(()),
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(e) => return Err(backend(e)),
            }
        }
        Err(session_store::Error::Backend(format!(
            "no free session id after {CREATE_ATTEMPTS} attempts"
        )))
    }

    /// Inserts or replaces the row with this id.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        session::Entity::insert(Self::row(record)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([
                        session::Column::Data,
                        session::Column::ExpiresAt,
                        session::Column::UserId,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// The record, unless it is missing or expired (an expired row waits for
    /// `delete_expired`; it is never handed out).
    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let row = session::Entity::find_by_id(session_id.to_string())
            .filter(session::Column::ExpiresAt.gt(crate::db::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let record: Record = serde_json::from_slice(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok((record.expiry_date > OffsetDateTime::now_utc()).then_some(record))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(session_id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DatabaseSessionStore {
    /// Removes every row whose expiry has passed; live sessions are untouched.
    async fn delete_expired(&self) -> session_store::Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(crate::db::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use migration::{Migrator, MigratorTrait};
    use sea_orm::PaginatorTrait;
    use tempfile::TempDir;
    use time::Duration;

    use super::*;

    /// A store on a fresh, migrated database, plus what keeps that database alive.
    struct TestStore {
        store: DatabaseSessionStore,
        db: DatabaseConnection,
        _dir: Option<TempDir>,
    }

    async fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        migrated(&url, Some(dir)).await
    }

    /// A uniquely named database on the server at `TEST_DATABASE_URL`, if set.
    async fn postgres() -> Option<TestStore> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
            return None;
        };
        let url = crate::db::create_scratch_database(&admin_url, "hm_test")
            .await
            .expect("create a test database through TEST_DATABASE_URL");
        Some(migrated(&url, None).await)
    }

    async fn migrated(url: &str, dir: Option<TempDir>) -> TestStore {
        let db = crate::db::connect_url(url, 2).await.expect("connect");
        Migrator::up(&db, None).await.expect("migrate");
        TestStore {
            store: DatabaseSessionStore::new(db.clone()),
            db,
            _dir: dir,
        }
    }

    fn record(expires_in: Duration, note: &str) -> Record {
        Record {
            id: Id::default(),
            data: HashMap::from([("note".to_owned(), serde_json::json!(note))]),
            expiry_date: OffsetDateTime::now_utc() + expires_in,
        }
    }

    async fn rows(t: &TestStore) -> u64 {
        session::Entity::find().count(&t.db).await.expect("count")
    }

    async fn save_then_load_returns_the_same_record(t: TestStore) {
        let mut rec = record(Duration::hours(1), "first");
        t.store.create(&mut rec).await.expect("create");
        assert_eq!(
            t.store.load(&rec.id).await.expect("load"),
            Some(rec.clone())
        );

        rec.data.insert("user_id".to_owned(), serde_json::json!(42));
        rec.expiry_date += Duration::hours(1);
        t.store.save(&rec).await.expect("save");
        assert_eq!(
            t.store.load(&rec.id).await.expect("load"),
            Some(rec.clone())
        );
        assert_eq!(rows(&t).await, 1, "save updates the row in place");

        let unknown = Id::default();
        assert_eq!(t.store.load(&unknown).await.expect("load"), None);
    }

    async fn create_never_overwrites_an_existing_session(t: TestStore) {
        let existing = record(Duration::hours(1), "someone else's");
        t.store.save(&existing).await.expect("save");

        let mut newcomer = record(Duration::hours(1), "mine");
        newcomer.id = existing.id;
        t.store.create(&mut newcomer).await.expect("create");

        assert_ne!(newcomer.id, existing.id, "a clash gets a fresh id");
        assert_eq!(
            t.store.load(&existing.id).await.expect("load"),
            Some(existing)
        );
        assert_eq!(
            t.store.load(&newcomer.id).await.expect("load"),
            Some(newcomer)
        );
    }

    async fn expired_session_is_not_loaded(t: TestStore) {
        let mut old = record(-Duration::minutes(5), "stale");
        t.store.create(&mut old).await.expect("create");
        assert_eq!(t.store.load(&old.id).await.expect("load"), None);
    }

    async fn delete_removes_the_session(t: TestStore) {
        let mut rec = record(Duration::hours(1), "bye");
        t.store.create(&mut rec).await.expect("create");
        t.store.delete(&rec.id).await.expect("delete");
        assert_eq!(t.store.load(&rec.id).await.expect("load"), None);
        assert_eq!(rows(&t).await, 0);
        // Deleting what is already gone is not an error (log out twice).
        t.store.delete(&rec.id).await.expect("delete again");
    }

    async fn delete_expired_removes_only_expired_sessions(t: TestStore) {
        let mut live = record(Duration::hours(1), "live");
        let mut dead = record(-Duration::hours(1), "dead");
        let mut just_dead = record(-Duration::seconds(2), "just dead");
        let mut nearly_dead = record(Duration::seconds(30), "nearly dead");
        for rec in [&mut live, &mut dead, &mut just_dead, &mut nearly_dead] {
            t.store.create(rec).await.expect("create");
        }
        assert_eq!(rows(&t).await, 4);

        t.store.delete_expired().await.expect("delete expired");

        assert_eq!(rows(&t).await, 2);
        assert_eq!(t.store.load(&live.id).await.expect("load"), Some(live));
        assert_eq!(
            t.store.load(&nearly_dead.id).await.expect("load"),
            Some(nearly_dead)
        );
    }

    async fn delete_for_user_ends_only_that_users_sessions(t: TestStore) {
        let mut mine = record(Duration::hours(1), "mine");
        let mut my_phone = record(Duration::hours(1), "my phone");
        let mut theirs = record(Duration::hours(1), "theirs");
        let mut anonymous = record(Duration::hours(1), "anonymous");
        for (rec, user) in [
            (&mut mine, Some(7)),
            (&mut my_phone, Some(7)),
            (&mut theirs, Some(8)),
            (&mut anonymous, None),
        ] {
            if let Some(user) = user {
                rec.data
                    .insert("user_id".to_owned(), serde_json::json!(user));
            }
            t.store.create(rec).await.expect("create");
        }

        let ended = DatabaseSessionStore::delete_for_user(&t.db, 7)
            .await
            .expect("delete");

        assert_eq!(ended, 2);
        assert_eq!(t.store.load(&mine.id).await.expect("load"), None);
        assert_eq!(t.store.load(&my_phone.id).await.expect("load"), None);
        assert_eq!(t.store.load(&theirs.id).await.expect("load"), Some(theirs));
        assert_eq!(
            t.store.load(&anonymous.id).await.expect("load"),
            Some(anonymous)
        );
    }

    /// Runs each `async fn(TestStore)` as `NAME::sqlite` and `NAME::postgres`.
    macro_rules! on_both_databases {
        ($($name:ident),* $(,)?) => {
            $(
                mod $name {
                    #[tokio::test]
                    async fn sqlite() {
                        super::$name(super::sqlite().await).await
                    }

                    #[tokio::test]
                    async fn postgres() {
                        if let Some(t) = super::postgres().await {
                            super::$name(t).await
                        }
                    }
                }
            )*
        };
    }

    on_both_databases!(
        save_then_load_returns_the_same_record,
        create_never_overwrites_an_existing_session,
        expired_session_is_not_loaded,
        delete_removes_the_session,
        delete_expired_removes_only_expired_sessions,
        delete_for_user_ends_only_that_users_sessions,
    );
}
