//! Migration round trip (up, constraints enforced, down, up again) on SQLite and, when
//! TEST_DATABASE_URL is set, on a fresh throw-away PostgreSQL database.

use migration::{Alias, Migrator, MigratorTrait, Query, SchemaManager};
use sea_orm::prelude::TimeDateTimeWithTimeZone;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement, Value};

const MIGRATIONS: [&str; 10] = [
    "m20261124_000001_core_schema",
    "m20261124_000002_census_baseline",
    "m20261124_000003_accounts",
    "m20261124_000004_volunteering",
    "m20261124_000005_referral_pending_unique",
    "m20261125_000006_email_preferences",
    "m20261125_000007_role_invitations",
    "m20261125_000008_outreach",
    "m20261126_000009_pathways",
    "m20261126_000010_front_desk",
];

const TABLES: [&str; 50] = [
    "ward",
    "hub",
    "organisation",
    "hub_membership",
    "users",
    "membership",
    "hub_coordinator",
    "volunteer_profile",
    "skill",
    "cause",
    "volunteer_skill",
    "volunteer_cause",
    "availability",
    "role",
    "role_cause",
    "role_skill",
    "role_session",
    "application",
    "application_session",
    "application_event",
    "hours_log",
    "equality_monitoring",
    "outbox",
    "audit_log",
    "session",
    "census_baseline",
    "account_token",
    "api_token",
    "recovery_code",
    "rate_limit_event",
    "organisation_cause",
    "referral",
    "role_invitation",
    "email_preference",
    "scheduled_email",
    "outreach_campaign",
    "link_worker",
    "social_referral",
    "social_referral_event",
    "social_referral_outcome",
    "assisted_account",
    "to_call",
    "pathway",
    "pathway_stage",
    "stage_requirement",
    "role_pathway_stage",
    "pathway_enrolment",
    "skill_sign_off",
    "training_record",
    "stage_completion",
];

/// `INSERT INTO table (cols…) VALUES (vals…)`, bound parameters on either back end.
async fn insert(
    db: &DatabaseConnection,
    table: &str,
    cols: &[&str],
    vals: Vec<Value>,
) -> Result<(), DbErr> {
    let stmt = Query::insert()
        .into_table(Alias::new(table))
        .columns(cols.iter().map(|c| Alias::new(*c)))
        .values_panic(vals.into_iter().map(Into::into))
        .to_owned();
    db.execute(&stmt).await.map(|_| ())
}

async fn scalar_string(db: &DatabaseConnection, sql: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<String>(0)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn assert_tables(db: &DatabaseConnection, present: bool) {
    let manager = SchemaManager::new(db);
    for table in TABLES {
        assert_eq!(
            manager.has_table(table).await.unwrap(),
            present,
            "table {table} present?"
        );
    }
}

async fn manager_has(db: &DatabaseConnection, table: &str) -> bool {
    SchemaManager::new(db).has_table(table).await.unwrap()
}

async fn applied(db: &DatabaseConnection) -> Vec<String> {
    Migrator::get_applied_migrations(db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

fn expect_err_mentioning(res: Result<(), DbErr>, what: &str, needles: &[&str]) {
    let err = match res {
        Ok(()) => panic!("{what}: insert unexpectedly succeeded"),
        Err(e) => e.to_string(),
    };
    let lower = err.to_lowercase();
    assert!(
        needles.iter().any(|n| lower.contains(&n.to_lowercase())),
        "{what}: error {err:?} mentions none of {needles:?}"
    );
}

/// The same checks on whichever back end `db` is connected to.
async fn exercise(db: &DatabaseConnection) {
    let backend = db.get_database_backend();

    Migrator::up(db, None).await.expect("up");
    Migrator::status(db).await.expect("status");
    assert_eq!(applied(db).await, MIGRATIONS.map(String::from).to_vec());
    assert!(
        Migrator::get_pending_migrations(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert_tables(db, true).await;

    // A timestamp with microseconds (PostgreSQL keeps microseconds) and one on a whole second.
    let t0 = TimeDateTimeWithTimeZone::from_unix_timestamp(1_795_512_600).unwrap(); // 2026-11-24T09:30:00Z
    let t1 = t0.replace_microsecond(123_456).unwrap();

    insert(
        db,
        "ward",
        &[
            "code",
            "name",
            "population_approx",
            "centroid_lat",
            "centroid_lon",
        ],
        vec![
            "E05011095".into(),
            "Peckham".into(),
            15_000.into(),
            51.47.into(),
            (-0.07).into(),
        ],
    )
    .await
    .expect("ward");
    insert(
        db,
        "organisation",
        &[
            "slug",
            "name",
            "description",
            "ward_id",
            "status",
            "created_at",
            "updated_at",
        ],
        vec![
            "peckham-pantry".into(),
            "Peckham Pantry".into(),
            "Food bank".into(),
            1.into(),
            "approved".into(),
            t0.into(),
            t1.into(),
        ],
    )
    .await
    .expect("organisation");

    let role_cols = [
        "organisation_id",
        "title",
        "summary",
        "description",
        "location_type",
        "places",
        "commitment",
        "status",
        "created_at",
        "updated_at",
    ];
    let role = |org: i32, places: i32, status: &str| -> Vec<Value> {
        vec![
            org.into(),
            "Sorting volunteer".into(),
            "Sort donations".into(),
            "**Sort** donations".into(),
            "in_person".into(),
            places.into(),
            "regular".into(),
            status.into(),
            t0.into(),
            t0.into(),
        ]
    };
    insert(db, "role", &role_cols, role(1, 3, "open"))
        .await
        .expect("role");

    // FK enforced: no organisation 999.
    expect_err_mentioning(
        insert(db, "role", &role_cols, role(999, 3, "open")).await,
        "role of a missing organisation",
        &["foreign key"],
    );
    // CHECKs enforced.
    expect_err_mentioning(
        insert(db, "role", &role_cols, role(1, 0, "open")).await,
        "role with 0 places",
        &["ck_role_places"],
    );
    expect_err_mentioning(
        insert(db, "role", &role_cols, role(1, 3, "published")).await,
        "role with an unknown status",
        &["ck_role_status"],
    );

    insert(
        db,
        "users",
        &[
            "email",
            "display_name",
            "status",
            "created_at",
            "updated_at",
        ],
        vec![
            "ada@example.org".into(),
            "Ada".into(),
            "active".into(),
            t0.into(),
            t0.into(),
        ],
    )
    .await
    .expect("user");
    insert(
        db,
        "volunteer_profile",
        &["user_id", "date_of_birth", "created_at", "updated_at"],
        vec![1.into(), t0.date().into(), t0.into(), t0.into()],
    )
    .await
    .expect("volunteer_profile");
    insert(
        db,
        "availability",
        &["volunteer_id", "slot"],
        vec![1.into(), "MondayMorning".into()],
    )
    .await
    .expect("availability MondayMorning");
    insert(
        db,
        "availability",
        &["volunteer_id", "slot"],
        vec![1.into(), "SundayEvening".into()],
    )
    .await
    .expect("availability SundayEvening");
    for slot in migration::AVAILABILITY_SLOTS
        .into_iter()
        .filter(|s| !["MondayMorning", "SundayEvening"].contains(s))
    {
        insert(
            db,
            "availability",
            &["volunteer_id", "slot"],
            vec![1.into(), slot.into()],
        )
        .await
        .unwrap_or_else(|e| panic!("availability {slot}: {e}"));
    }
    expect_err_mentioning(
        insert(
            db,
            "availability",
            &["volunteer_id", "slot"],
            vec![1.into(), "Funday".into()],
        )
        .await,
        "availability slot Funday",
        &["ck_availability_slot"],
    );
    expect_err_mentioning(
        insert(
            db,
            "availability",
            &["volunteer_id", "slot"],
            vec![42.into(), "MondayEvening".into()],
        )
        .await,
        "availability of a missing volunteer",
        &["foreign key"],
    );

    // Defaults.
    let defaults = scalar_string(
        db,
        "SELECT CAST(travel_km AS TEXT) || '|' || CAST(remote_ok AS TEXT) || '|' || languages \
         || '|' || access_needs || '|' || bio FROM volunteer_profile",
    )
    .await;
    let f = match backend {
        DbBackend::Postgres => "false",
        _ => "0",
    };
    assert_eq!(defaults, format!("5|{f}|en||"));

    // Timestamps round-trip; on SQLite they are RFC 3339 text.
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT created_at, updated_at FROM organisation",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.try_get::<TimeDateTimeWithTimeZone>("", "created_at")
            .unwrap(),
        t0
    );
    assert_eq!(
        row.try_get::<TimeDateTimeWithTimeZone>("", "updated_at")
            .unwrap(),
        t1
    );
    if backend == DbBackend::Sqlite {
        let text = scalar_string(
            db,
            "SELECT typeof(o.created_at) || ' ' || o.created_at || ' ' || o.updated_at \
             || ' ' || typeof(v.date_of_birth) || ' ' || v.date_of_birth \
             FROM organisation o, volunteer_profile v",
        )
        .await;
        assert_eq!(
            text,
            "text 2026-11-24T09:30:00Z 2026-11-24T09:30:00.123456Z text 2026-11-24"
        );
    }

    // Cascade: deleting the organisation deletes its role.
    db.execute_unprepared("DELETE FROM organisation")
        .await
        .unwrap();
    assert_eq!(
        scalar_string(db, "SELECT CAST(COUNT(*) AS TEXT) FROM role").await,
        "0"
    );

    // The volunteering and accounts migrations come off cleanly (their tables and added
    // columns go), leaving the core schema.
    // Everything after the census baseline (migrations 1 and 2 stay).
    Migrator::down(db, Some(MIGRATIONS.len() as u32 - 2))
        .await
        .expect("down the volunteering and accounts migrations");
    let manager = SchemaManager::new(db);
    assert!(!manager_has(db, "role_invitation").await);
    assert!(!manager_has(db, "outreach_campaign").await);
    assert!(!manager_has(db, "social_referral").await);
    assert!(!manager_has(db, "to_call").await);
    assert!(!manager_has(db, "stage_completion").await);
    assert!(!manager_has(db, "pathway").await);
    assert!(!manager_has(db, "email_preference").await);
    assert!(!manager_has(db, "scheduled_email").await);
    assert!(!manager_has(db, "referral").await);
    assert!(!manager_has(db, "organisation_cause").await);
    assert!(
        !manager
            .has_column("volunteer_profile", "calendar_token")
            .await
            .unwrap()
    );
    assert!(!manager.has_table("api_token").await.unwrap());
    assert!(!manager.has_column("users", "totp_secret").await.unwrap());
    assert!(!manager.has_column("session", "user_id").await.unwrap());
    assert!(manager.has_table("users").await.unwrap());
    Migrator::up(db, None)
        .await
        .expect("up the accounts and volunteering migrations again");
    assert!(manager.has_column("session", "user_id").await.unwrap());
    assert!(
        manager
            .has_column("volunteer_profile", "calendar_token")
            .await
            .unwrap()
    );

    // Down everything, then up again.
    Migrator::down(db, None).await.expect("down");
    assert!(applied(db).await.is_empty());
    assert_tables(db, false).await;
    Migrator::up(db, None).await.expect("up again");
    assert_eq!(applied(db).await, MIGRATIONS.map(String::from).to_vec());
    assert_tables(db, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("migrate.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect(&url).await.unwrap();
    // sqlx turns foreign keys on for every SQLite connection it opens; make sure.
    let fk = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA foreign_keys",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i32>(0)
        .unwrap();
    assert_eq!(fk, 1, "PRAGMA foreign_keys");
    exercise(&db).await;
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_postgres() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        println!("TEST_DATABASE_URL is not set: PostgreSQL variant of the migration test skipped");
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("hm_mig_{}_{}", std::process::id(), nanos % 1_000_000_000);

    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();

    // Same server and credentials, other database: swap the path of the URL.
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url.as_str(), String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[authority_end..].find('/') {
        Some(i) => &base[..authority_end + i],
        None => base,
    };
    let url = format!("{host_part}/{name}{query}");

    let outcome = tokio::spawn(async move {
        let db = Database::connect(&url).await.unwrap();
        exercise(&db).await;
        // ids are SERIAL (a sequence default), not identity columns.
        let id_default = scalar_string(
            &db,
            "SELECT column_default || '|' || is_identity FROM information_schema.columns \
             WHERE table_name = 'ward' AND column_name = 'id'",
        )
        .await;
        assert!(
            id_default.starts_with("nextval('ward_id_seq'") && id_default.ends_with("|NO"),
            "ward.id default: {id_default}"
        );
        db.close().await.unwrap();
    })
    .await;

    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
