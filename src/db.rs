//! Connecting to the database (SQLite or PostgreSQL) and bringing its schema up to date.
use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(DbErr),
    #[error("cannot migrate the database: {0}")]
    Migrate(DbErr),
    #[error("cannot load reference data: {0}")]
    Reference(#[from] crate::seed::SeedError),
}

/// Opens a pool. SQLite gets WAL, a busy timeout and foreign keys on every connection.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbSetupError> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        ensure_dir(&settings.data_dir)?;
    }
    connect_url(&url, settings.db_max_connections).await
}

pub async fn connect_url(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbSetupError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    Database::connect(options)
        .await
        .map_err(DbSetupError::Connect)
}

fn ensure_dir(path: &Path) -> Result<(), DbSetupError> {
    std::fs::create_dir_all(path).map_err(|source| DbSetupError::DataDir {
        path: path.display().to_string(),
        source,
    })
}

/// Connects, applies pending migrations and makes sure the vocabularies and wards exist.
pub async fn prepare(settings: &Settings) -> Result<DatabaseConnection, DbSetupError> {
    let db = connect(settings).await?;
    Migrator::up(&db, None)
        .await
        .map_err(DbSetupError::Migrate)?;
    crate::seed::ensure_reference_data(&db).await?;
    Ok(db)
}

/// A real round trip (not just a pool check), for readiness.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// The current time in UTC, to the whole second. SQLite compares timestamps as
/// text, and `…00Z` sorts after `…00.5Z`: one fixed precision keeps order right.
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 ns is valid")
}

/// Creates a fresh, uniquely named database on the PostgreSQL server at `admin_url`
/// and returns its URL. Tests use it so each runs on a database of its own.
pub async fn create_scratch_database(
    admin_url: &str,
    prefix: &str,
) -> Result<String, DbSetupError> {
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let admin = connect_url(admin_url, 1).await?;
    let created = admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await;
    admin.close().await.ok();
    created.map_err(DbSetupError::Connect)?;
    Ok(with_database(admin_url, &name))
}

/// `postgres://u@h:p/db?x` with the database swapped for `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scratch_database_url_keeps_server_credentials_and_options() {
        assert_eq!(
            super::with_database(
                "postgres://pg:pw@127.0.0.1:5432/postgres?sslmode=disable",
                "hm_x"
            ),
            "postgres://pg:pw@127.0.0.1:5432/hm_x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://h", "hm_x"),
            "postgres://h/hm_x"
        );
    }
}

/// Starts the transaction of one user action. On SQLite it takes the write lock at the
/// start (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes cannot
/// wait for another writer (SQLite answers "database is locked" at once rather than
/// risk a deadlock), whereas an immediate one waits its turn under `busy_timeout`.
/// PostgreSQL ignores the mode; inside a transaction this is a savepoint.
pub async fn begin<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
