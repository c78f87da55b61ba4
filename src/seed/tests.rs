//! The loader against real databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

use std::collections::BTreeMap;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use time::macros::date;
use time::{Date, OffsetDateTime};

use super::SeedError;
use super::demo::{ALLIANCE_ADMIN_EMAIL, DEMO_HUBS, DemoOptions, YOUNG_VOLUNTEER_EMAIL, seed_demo};
use super::reference::census_categories;
use super::reference::ensure_reference_data;
use super::vocab::{CAUSES, SKILLS};

const TODAY: Date = date!(2026 - 01 - 15);

/// A freshly migrated database that is removed afterwards.
struct TestDb {
    db: DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the server connection and the database to drop.
    pg: Option<(DatabaseConnection, String)>,
}

impl TestDb {
    async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("seed.db").display());
        let db = crate::db::connect_url(&url, 10)
            .await
            .expect("connect sqlite");
        Migrator::up(&db, None).await.expect("migrate sqlite");
        TestDb {
            db,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// `None` (after saying so) when TEST_DATABASE_URL is not set.
    async fn postgres(test: &str) -> Option<TestDb> {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("skipping {test} on PostgreSQL: TEST_DATABASE_URL is not set");
            return None;
        };
        let db_url = crate::db::create_scratch_database(&url, "hm_seed")
            .await
            .expect("create a test database through TEST_DATABASE_URL");
        let name = db_url
            .rsplit_once('/')
            .and_then(|(_, n)| n.split('?').next())
            .map(str::to_owned)
            .expect("database name");
        let server = Database::connect(url.as_str())
            .await
            .expect("connect to TEST_DATABASE_URL");
        let db = Database::connect(db_url.as_str())
            .await
            .expect("connect to test database");
        Migrator::up(&db, None).await.expect("migrate postgres");
        Some(TestDb {
            db,
            _dir: None,
            pg: Some((server, name)),
        })
    }

    async fn finish(self) {
        if let Some((server, name)) = self.pg {
            let _ = self.db.close().await;
            server
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop test database");
        }
    }
}

fn stmt(db: &DatabaseConnection, sql: &str) -> Statement {
    Statement::from_string(db.get_database_backend(), sql.to_owned())
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(stmt(db, sql))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

async fn table_count(db: &DatabaseConnection, table: &str) -> i64 {
    count(
        db,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM \"{table}\""),
    )
    .await
}

fn opts(volunteers: u32, seed: u64) -> DemoOptions {
    DemoOptions {
        volunteers,
        seed,
        progress: false,
        today: TODAY,
    }
}

/// Runs a check on SQLite and, when configured, on PostgreSQL.
macro_rules! on_both_backends {
    ($name:ident, $check:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$check(super::Backend::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$check(super::Backend::Postgres(stringify!($name))).await;
            }
        }
    };
}

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres(&'static str),
}

impl Backend {
    async fn fresh(self) -> Option<TestDb> {
        match self {
            Backend::Sqlite => Some(TestDb::sqlite().await),
            Backend::Postgres(test) => TestDb::postgres(test).await,
        }
    }
}

on_both_backends!(
    reference_data_can_be_loaded_on_every_start,
    reference_data_is_idempotent
);
on_both_backends!(
    the_same_seed_and_day_give_the_same_demo,
    demo_is_deterministic
);
on_both_backends!(demo_data_follows_the_rules, demo_data_keeps_its_promises);
on_both_backends!(a_failed_load_leaves_nothing_behind, failed_load_rolls_back);

async fn reference_data_is_idempotent(backend: Backend) {
    let Some(t) = backend.fresh().await else {
        return;
    };
    ensure_reference_data(&t.db).await.expect("first load");
    ensure_reference_data(&t.db).await.expect("second load");
    assert_eq!(table_count(&t.db, "ward").await, 23);
    assert_eq!(table_count(&t.db, "skill").await, SKILLS.len() as i64);
    assert_eq!(table_count(&t.db, "cause").await, CAUSES.len() as i64);
    let older =
        t.db.query_one_raw(stmt(
            &t.db,
            "SELECT synonyms FROM cause WHERE slug = 'older-people'",
        ))
        .await
        .unwrap()
        .expect("older-people cause");
    assert!(
        older
            .try_get_by_index::<String>(0)
            .unwrap()
            .contains("pensioners")
    );
    t.finish().await;
}

async fn add_user(db: &DatabaseConnection, email: &str) {
    let backend = db.get_database_backend();
    let now = OffsetDateTime::now_utc();
    let columns = [
        "email",
        "display_name",
        "is_alliance_admin",
        "status",
        "created_at",
        "updated_at",
    ];
    let insert = Statement::from_sql_and_values(
        backend,
        super::batch::insert_sql(backend, "users", &columns, 1),
        [
            email.into(),
            "Someone".into(),
            false.into(),
            "active".into(),
            now.into(),
            now.into(),
        ],
    );
    db.execute_raw(insert).await.expect("add a user");
}

async fn failed_load_rolls_back(backend: Backend) {
    let Some(t) = backend.fresh().await else {
        return;
    };
    // Someone already has the alliance admin's address, so the load fails part-way.
    add_user(&t.db, ALLIANCE_ADMIN_EMAIL).await;
    let failed = seed_demo(&t.db, &opts(300, 42)).await;
    assert!(matches!(failed, Err(SeedError::Write(_))), "{failed:?}");
    assert_eq!(table_count(&t.db, "organisation").await, 0);
    assert_eq!(table_count(&t.db, "hub").await, 0);
    assert_eq!(table_count(&t.db, "users").await, 1);
    assert_eq!(table_count(&t.db, "ward").await, 23, "reference data stays");
    // Once the clash is gone it loads.
    t.db.execute_unprepared("DELETE FROM users").await.unwrap();
    seed_demo(&t.db, &opts(300, 42))
        .await
        .expect("second attempt");
    t.finish().await;
}

/// A fingerprint of the main tables, in id order.
async fn digest(db: &DatabaseConnection) -> u64 {
    let mut text = String::new();
    let queries: [(&str, usize); 7] = [
        (
            "SELECT id, slug, name, status FROM organisation ORDER BY id",
            4,
        ),
        (
            "SELECT id, email, display_name, status FROM users ORDER BY id",
            4,
        ),
        (
            "SELECT id, title, status, location_type FROM role ORDER BY id",
            4,
        ),
        (
            "SELECT id, role_id, volunteer_id, status FROM application ORDER BY id",
            4,
        ),
        (
            "SELECT id, user_id, sex, ethnicity FROM equality_monitoring ORDER BY id",
            4,
        ),
        (
            "SELECT id, volunteer_id, role_id, status FROM hours_log ORDER BY id",
            4,
        ),
        (
            "SELECT volunteer_id, slot FROM availability ORDER BY volunteer_id, slot",
            2,
        ),
    ];
    for (sql, columns) in queries {
        for row in db.query_all_raw(stmt(db, sql)).await.expect(sql) {
            for c in 0..columns {
                let cell = row
                    .try_get_by_index::<Option<String>>(c)
                    .map(|s| s.unwrap_or_default())
                    .or_else(|_| row.try_get_by_index::<i32>(c).map(|n| n.to_string()))
                    .expect("text or integer");
                text.push_str(&cell);
                text.push('|');
            }
            text.push('\n');
        }
    }
    let dates = "SELECT id, date_of_birth FROM volunteer_profile ORDER BY id";
    for row in db.query_all_raw(stmt(db, dates)).await.expect(dates) {
        text.push_str(&row.try_get_by_index::<Date>(1).expect("a date").to_string());
    }
    let times = "SELECT id, created_at, decided_at FROM application ORDER BY id";
    for row in db.query_all_raw(stmt(db, times)).await.expect(times) {
        let created: OffsetDateTime = row.try_get_by_index(1).expect("a timestamp");
        let decided: Option<OffsetDateTime> = row.try_get_by_index(2).expect("a timestamp or null");
        text.push_str(&format!("{created}{decided:?}"));
    }
    // FNV-1a: stable across runs and builds.
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

async fn demo_is_deterministic(backend: Backend) {
    let mut digests = Vec::new();
    for seed in [42, 42, 43] {
        let Some(t) = backend.fresh().await else {
            return;
        };
        seed_demo(&t.db, &opts(300, seed)).await.expect("seed demo");
        digests.push(digest(&t.db).await);
        t.finish().await;
    }
    assert_eq!(digests[0], digests[1], "same seed and day, same data");
    assert_ne!(digests[0], digests[2], "another seed, other data");
}

/// Age in whole years on `today`.
fn age_on(dob: Date, today: Date) -> i32 {
    let mut age = today.year() - dob.year();
    if (today.month() as u8, today.day()) < (dob.month() as u8, dob.day()) {
        age -= 1;
    }
    age
}

async fn demo_data_keeps_its_promises(backend: Backend) {
    let Some(t) = backend.fresh().await else {
        return;
    };
    let db = &t.db;
    let volunteers = 600;
    let report = seed_demo(db, &opts(volunteers, 42))
        .await
        .expect("seed demo");

    // Sizes and the named accounts.
    assert_eq!(table_count(db, "hub").await, 6);
    assert_eq!(table_count(db, "organisation").await, 40);
    assert_eq!(table_count(db, "role").await, 300);
    // The generated volunteers, and the residents the demo desk signed up in person.
    let in_person = super::demo::front_desk::RESIDENTS_IN_PERSON.len() as u32;
    assert_eq!(
        table_count(db, "volunteer_profile").await,
        (volunteers + in_person) as i64
    );
    assert_eq!(
        report.rows_in("volunteer_profile"),
        (volunteers + in_person) as u64
    );
    assert_eq!(table_count(db, "assisted_account").await, in_person as i64);
    assert_eq!(
        report.rows_in("users") as i64,
        table_count(db, "users").await
    );
    assert_eq!(
        table_count(db, "hub_coordinator").await,
        DEMO_HUBS.len() as i64
    );
    assert_eq!(
        count(db, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE email = '{ALLIANCE_ADMIN_EMAIL}' AND is_alliance_admin")).await,
        1
    );
    assert_eq!(
        count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM membership WHERE role = 'admin'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM organisation WHERE status = 'pending'"
        )
        .await,
        2
    );
    let young = db
        .query_one_raw(stmt(
            db,
            &format!(
                "SELECT p.date_of_birth, p.guardian_email FROM volunteer_profile p JOIN users u ON u.id = p.user_id \
                 WHERE u.email = '{YOUNG_VOLUNTEER_EMAIL}'"
            ),
        ))
        .await
        .unwrap()
        .expect("the young demo volunteer");
    assert_eq!(
        age_on(young.try_get_by_index::<Date>(0).unwrap(), TODAY),
        16
    );
    assert!(
        young
            .try_get_by_index::<Option<String>>(1)
            .unwrap()
            .is_some()
    );
    // Only the named demo accounts can sign in, all with the demo password.
    // Admin, two volunteers and the front desk's link worker; coordinators; org people.
    let named = 4 + super::demo::DEMO_HUBS.len() + 2 * super::demo::DEMO_ORG_ACCOUNTS.len();
    assert_eq!(
        count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE password_hash IS NOT NULL"
        )
        .await,
        named as i64
    );
    let admin = crate::models::accounts::find_by_email(db, super::demo::ALLIANCE_ADMIN_EMAIL)
        .await
        .unwrap()
        .expect("the demo alliance admin");
    let hash = admin.password_hash.expect("a password");
    assert!(crate::auth::password::verify(super::demo::DEMO_PASSWORD, &hash).unwrap());
    assert!(
        crate::models::accounts::find_by_email(db, super::demo::DEMO_VOLUNTEER_EMAIL)
            .await
            .unwrap()
            .is_some_and(|u| u.password_hash.is_some()),
        "the adult demo volunteer can sign in"
    );

    // No role has more accepted applications than places.
    let overfilled = count(
        db,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT r.id FROM role r JOIN application a ON a.role_id = r.id \
         WHERE a.status = 'accepted' GROUP BY r.id, r.places HAVING COUNT(*) > r.places) x",
    )
    .await;
    assert_eq!(
        overfilled, 0,
        "roles with more accepted applications than places"
    );

    // Every under-18 has a guardian email; every under-16 a recorded consent.
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT date_of_birth, guardian_email, guardian_consent_at FROM volunteer_profile",
        ))
        .await
        .unwrap();
    let mut minors = 0;
    let mut ages = Vec::new();
    for row in rows {
        let age = age_on(row.try_get_by_index::<Date>(0).unwrap(), TODAY);
        ages.push(age);
        let guardian: Option<String> = row.try_get_by_index(1).unwrap();
        let consent: Option<OffsetDateTime> = row.try_get_by_index(2).unwrap();
        if age < 18 {
            minors += 1;
            assert!(
                guardian.is_some(),
                "a {age}-year-old without a guardian email"
            );
        }
        if age < 16 {
            assert!(
                consent.is_some(),
                "a {age}-year-old without guardian consent"
            );
        }
        assert!((14..=85).contains(&age), "age {age}");
    }
    assert!(minors > 0);
    let over_55 = ages.iter().filter(|a| (55..=74).contains(*a)).count() as f64 / ages.len() as f64;
    let young_adults =
        ages.iter().filter(|a| (18..=24).contains(*a)).count() as f64 / ages.len() as f64;
    assert!(
        over_55 > 0.25 && young_adults < 0.12,
        "55–74: {over_55}, 18–24: {young_adults}"
    );

    // Equality answers: baseline categories, group agrees with ethnicity.
    let dims = [
        "sex",
        "ethnic_group",
        "ethnicity",
        "disability",
        "religion",
        "sexual_orientation",
    ];
    let categories: BTreeMap<&str, Vec<&str>> =
        dims.iter().map(|d| (*d, census_categories(d))).collect();
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT sex, ethnic_group, ethnicity, disability, religion, sexual_orientation FROM equality_monitoring",
        ))
        .await
        .unwrap();
    let answered = rows.len() as f64 / volunteers as f64;
    assert!(
        (0.6..=0.8).contains(&answered),
        "{answered} of volunteers answered equality questions"
    );
    let (mut women, mut men, mut prefer_not) = (0, 0, 0);
    for row in &rows {
        let get = |i| row.try_get_by_index::<Option<String>>(i).unwrap();
        for (i, dim) in dims.iter().enumerate() {
            if let Some(v) = get(i) {
                assert!(
                    v == "prefer_not_to_say"
                        || categories.get(dim).is_some_and(|c| c.contains(&v.as_str())),
                    "{dim} = {v} is not a baseline category"
                );
            }
        }
        if let (Some(group), Some(eth)) = (get(1), get(2))
            && eth != "prefer_not_to_say"
        {
            assert_eq!(
                eth.split('_').next(),
                Some(group.as_str()),
                "ethnic_group {group} vs ethnicity {eth}"
            );
        }
        match get(0).as_deref() {
            Some("female") => women += 1,
            Some("male") => men += 1,
            Some(_) => prefer_not += 1,
            None => {}
        }
    }
    let share = women as f64 / (women + men) as f64;
    assert!(
        (0.55..=0.70).contains(&share),
        "women are {share} of those who answered"
    );
    assert!(prefer_not > 0);
    let white_british = count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM equality_monitoring WHERE ethnicity = 'white_british'").await
        as f64
        / count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM equality_monitoring WHERE ethnicity IS NOT NULL AND ethnicity <> 'prefer_not_to_say'").await as f64;
    assert!(
        white_british > 0.4,
        "white British share {white_british} should exceed Southwark's 35%"
    );

    // Applications: a realistic mix, mostly to roles for causes the volunteer cares about.
    let statuses: BTreeMap<String, i64> = db
        .query_all_raw(stmt(
            db,
            "SELECT status, CAST(COUNT(*) AS BIGINT) FROM application GROUP BY status",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.try_get_by_index(0).unwrap(),
                r.try_get_by_index(1).unwrap(),
            )
        })
        .collect();
    let total: i64 = statuses.values().sum();
    let per_volunteer = total as f64 / volunteers as f64;
    assert!(
        (1.1..=1.9).contains(&per_volunteer),
        "{per_volunteer} applications per volunteer"
    );
    let accepted = statuses.get("accepted").copied().unwrap_or(0) as f64 / total as f64;
    // About 45% at scale; more at this size, where 300 roles leave places to spare.
    assert!(
        (0.35..=0.62).contains(&accepted),
        "accepted share {accepted}: {statuses:?}"
    );
    for s in ["applied", "declined", "waitlisted", "withdrawn"] {
        assert!(
            statuses.get(s).copied().unwrap_or(0) > 0,
            "no {s} applications: {statuses:?}"
        );
    }
    let sharing_a_cause = count(
        db,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM application a WHERE EXISTS (SELECT 1 FROM role_cause rc \
         JOIN volunteer_cause vc ON vc.cause_id = rc.cause_id WHERE rc.role_id = a.role_id AND vc.volunteer_id = a.volunteer_id)",
    )
    .await as f64
        / total as f64;
    assert!(
        sharing_a_cause > 0.75,
        "only {sharing_a_cause} of applications share a cause with the volunteer"
    );
    assert!(table_count(db, "application_event").await >= total);
    assert_eq!(
        count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM application a WHERE NOT EXISTS (SELECT 1 FROM application_event e WHERE e.application_id = a.id)").await,
        0
    );
    assert_eq!(
        count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM application a JOIN role r ON r.id = a.role_id WHERE r.status = 'draft'").await,
        0,
        "nobody applies to a draft"
    );

    // Roles: mostly open and closing in the future, some remote, sessions ahead.
    let today = TODAY.to_string();
    let open = count(
        db,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM role WHERE status = 'open'",
    )
    .await;
    assert!(open > 200, "{open} open roles");
    let remote = count(
        db,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM role WHERE location_type = 'remote'",
    )
    .await;
    assert!((15..=75).contains(&remote), "{remote} remote roles of 300");
    let youth = count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM role WHERE youth_friendly AND min_age = 14 AND NOT dbs_required").await;
    assert!(youth > 10, "{youth} youth-friendly roles");
    let closing_rows = db
        .query_all_raw(stmt(
            db,
            "SELECT closes_at FROM role WHERE status = 'open' AND closes_at IS NOT NULL",
        ))
        .await
        .unwrap();
    for row in closing_rows {
        let closes: OffsetDateTime = row.try_get_by_index(0).unwrap();
        assert!(
            closes.date() > TODAY,
            "an open role closed on {closes} (today {today})"
        );
    }

    // Hours: some recent, so there are active volunteers.
    let hours = db
        .query_all_raw(stmt(db, "SELECT worked_on FROM hours_log"))
        .await
        .unwrap();
    assert!(!hours.is_empty());
    let recent = hours
        .iter()
        .filter(|r| {
            let d: Date = r.try_get_by_index(0).unwrap();
            assert!(
                d <= TODAY && d > TODAY - time::Duration::days(366),
                "hours on {d}"
            );
            d > TODAY - time::Duration::days(90)
        })
        .count();
    assert!(recent > 0);

    // Ids continue after the generated ones (PostgreSQL sequences were moved on).
    add_user(db, "new.person@example.org").await;

    // Loading again is refused.
    match seed_demo(db, &opts(volunteers, 42)).await {
        Err(SeedError::AlreadySeeded) => {}
        other => panic!("expected AlreadySeeded, got {other:?}"),
    }
    t.finish().await;
}

/// Times a load at scale. Not part of the normal run:
/// `HUBMATCH_SEED_SCALE=500000 cargo test --release --lib seed_scale_timing -- --ignored --nocapture`
/// (`HUBMATCH_SEED_PROGRESS=1` shows progress bars, `HUBMATCH_SEED_KEEP=path` keeps the database).
#[tokio::test]
#[ignore]
async fn seed_scale_timing() {
    let scale: u32 = std::env::var("HUBMATCH_SEED_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scale.db");
    let db = crate::db::connect_url(&format!("sqlite://{}?mode=rwc", path.display()), 10)
        .await
        .expect("connect sqlite");
    Migrator::up(&db, None).await.expect("migrate");
    let progress = std::env::var("HUBMATCH_SEED_PROGRESS").is_ok();
    let report = seed_demo(
        &db,
        &DemoOptions {
            volunteers: scale,
            seed: 42,
            progress,
            today: TODAY,
        },
    )
    .await
    .expect("seed");
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("checkpoint");
    let size: u64 = std::fs::read_dir(dir.path())
        .expect("read temp dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    if let Ok(keep) = std::env::var("HUBMATCH_SEED_KEEP") {
        std::fs::copy(&path, &keep).expect("keep the database");
    }
    println!("{report}");
    println!(
        "seed_scale_timing: {scale} volunteers in {:.1?}, database {:.0} MiB",
        report.elapsed,
        size as f64 / (1024.0 * 1024.0)
    );
}
