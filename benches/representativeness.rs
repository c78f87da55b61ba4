//! Speed of the representativeness report (every funnel stage × every dimension, plus
//! the quarterly trend, suppressed and published) over `REPORT_VOLUNTEERS` volunteers
//! (default 500,000) on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.
//! Target: ≤ 200 ms for the borough report. Aggregation is in SQL (GROUP BY per
//! dimension), so only category counts come back.
//!
//! The volunteers are written straight to the tables in bulk (the demo generator is
//! too slow at this scale): census answers drawn from fixed cycles, one application
//! in five, one accepted in ten, hours for one in twenty.
//! `cargo bench --bench representativeness`
use std::time::{Duration, Instant};

use criterion::Criterion;
use hubmatch::config::Settings;
use hubmatch::entities::{
    application, equality_monitoring, hours_log, organisation, role, user, volunteer_profile,
};
use hubmatch::models::representativeness::{ReportFilter, report};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use time::{Date, Duration as Days, Month, OffsetDateTime};

const CHUNK: usize = 1000;

fn main() {
    let volunteers: usize = std::env::var("REPORT_VOLUNTEERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500_000);
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let mut criterion = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));

    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = rt.block_on(async {
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        hubmatch::db::prepare(&settings).await.expect("sqlite")
    });
    run(&rt, &mut criterion, "sqlite", &sqlite, volunteers);

    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) => {
            let pg = rt.block_on(async {
                let url = hubmatch::db::create_scratch_database(&admin, "hm_bench")
                    .await
                    .expect("scratch database");
                let settings = Settings {
                    data_dir: dir.path().to_path_buf(),
                    database_url: Some(url),
                    ..Settings::default()
                };
                hubmatch::db::prepare(&settings).await.expect("postgres")
            });
            run(&rt, &mut criterion, "postgres", &pg, volunteers);
        }
        Err(_) => println!("postgres: skipped (TEST_DATABASE_URL is not set)"),
    }
    criterion.final_summary();
}

fn run(
    rt: &tokio::runtime::Runtime,
    criterion: &mut Criterion,
    backend: &str,
    db: &DatabaseConnection,
    volunteers: usize,
) {
    let started = Instant::now();
    rt.block_on(fill(db, volunteers));
    println!(
        "{backend}: wrote {volunteers} volunteers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let filter = ReportFilter {
        hub: None,
        organisation: None,
        cause: None,
        from: None,
        to: OffsetDateTime::now_utc().date(),
    };
    // One timed run first, so the figure is visible even without criterion's summary.
    let t = Instant::now();
    let published = rt.block_on(report(db, &filter)).expect("report");
    println!(
        "{backend}: borough report over {volunteers} volunteers ({} stages, {} quarters): {:.1} ms",
        published.stages.len(),
        published.trend.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    criterion.bench_function(
        &format!("representativeness_report_{backend}_{volunteers}"),
        |b| b.iter(|| rt.block_on(report(db, &filter)).expect("report")),
    );
}

const SEXES: [&str; 3] = ["female", "male", "prefer_not_to_say"];
const ETHNICITIES: [&str; 7] = [
    "white_british",
    "white_other",
    "black_african",
    "black_caribbean",
    "asian_bangladeshi",
    "mixed_other",
    "other_arab",
];
const RELIGIONS: [&str; 5] = [
    "christian",
    "no_religion",
    "muslim",
    "prefer_not_to_say",
    "jewish",
];

async fn fill(db: &DatabaseConnection, volunteers: usize) {
    let now = OffsetDateTime::now_utc();
    let org = organisation::ActiveModel {
        slug: Set("bench-org".into()),
        name: Set("Bench Organisation".into()),
        description: Set(String::new()),
        status: Set("approved".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("organisation");
    let role = role::ActiveModel {
        organisation_id: Set(org.id),
        title: Set("Bench role".into()),
        summary: Set(String::new()),
        description: Set(String::new()),
        location_type: Set("in_person".into()),
        min_age: Set(18),
        youth_friendly: Set(false),
        dbs_required: Set(false),
        places: Set(10),
        commitment: Set("regular".into()),
        access_provisions: Set(String::new()),
        languages: Set("en".into()),
        status: Set("open".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("role");
    let wards: Vec<i32> = hubmatch::entities::ward::Entity::find()
        .all(db)
        .await
        .expect("wards")
        .into_iter()
        .map(|w| w.id)
        .collect();
    for start in (0..volunteers).step_by(CHUNK) {
        let ids: Vec<i32> = (start..(start + CHUNK).min(volunteers))
            .map(|i| i as i32 + 1_000)
            .collect();
        // Registered over the last two years.
        let when = |id: i32| now - Days::days(i64::from(id % 730));
        user::Entity::insert_many(ids.iter().map(|&id| user::ActiveModel {
            id: Set(id),
            email: Set(format!("v{id}@bench.example")),
            display_name: Set(format!("Volunteer {id}")),
            is_alliance_admin: Set(false),
            status: Set("active".into()),
            created_at: Set(when(id)),
            updated_at: Set(when(id)),
            ..Default::default()
        }))
        .exec(db)
        .await
        .expect("users");
        volunteer_profile::Entity::insert_many(ids.iter().map(|&id| {
            volunteer_profile::ActiveModel {
                id: Set(id),
                user_id: Set(id),
                date_of_birth: Set(
                    Date::from_calendar_date(1950 + id % 55, Month::March, 3).expect("date")
                ),
                ward_id: Set(wards.get(id as usize % wards.len().max(1)).copied()),
                travel_km: Set(5),
                remote_ok: Set(false),
                languages: Set("en".into()),
                access_needs: Set(String::new()),
                bio: Set(String::new()),
                open_to_suggestions: Set(false),
                created_at: Set(when(id)),
                updated_at: Set(when(id)),
                ..Default::default()
            }
        }))
        .exec(db)
        .await
        .expect("profiles");
        // Four in five answered the equality questions.
        equality_monitoring::Entity::insert_many(ids.iter().filter(|&&id| id % 5 != 0).map(
            |&id| {
                let e = ETHNICITIES[id as usize % ETHNICITIES.len()];
                equality_monitoring::ActiveModel {
                    user_id: Set(id),
                    consented_at: Set(when(id)),
                    sex: Set(Some(SEXES[id as usize % 3].into())),
                    ethnic_group: Set(e.split('_').next().map(str::to_owned)),
                    ethnicity: Set(Some(e.into())),
                    disability: Set(Some(
                        if id % 7 == 0 {
                            "disabled"
                        } else {
                            "not_disabled"
                        }
                        .into(),
                    )),
                    religion: Set(Some(RELIGIONS[id as usize % RELIGIONS.len()].into())),
                    sexual_orientation: Set(Some("straight_or_heterosexual".into())),
                    updated_at: Set(when(id)),
                    ..Default::default()
                }
            },
        ))
        .exec(db)
        .await
        .expect("equality");
        let applicants: Vec<i32> = ids.iter().copied().filter(|id| id % 5 == 1).collect();
        if !applicants.is_empty() {
            application::Entity::insert_many(applicants.iter().map(|&id| {
                application::ActiveModel {
                    role_id: Set(role.id),
                    volunteer_id: Set(id),
                    status: Set(if id % 10 == 1 { "accepted" } else { "applied" }.into()),
                    message: Set(String::new()),
                    created_at: Set(when(id)),
                    updated_at: Set(when(id)),
                    ..Default::default()
                }
            }))
            .exec(db)
            .await
            .expect("applications");
        }
        let workers: Vec<i32> = ids.iter().copied().filter(|id| id % 20 == 1).collect();
        if !workers.is_empty() {
            hours_log::Entity::insert_many(workers.iter().map(|&id| hours_log::ActiveModel {
                volunteer_id: Set(id),
                role_id: Set(role.id),
                worked_on: Set(now.date() - Days::days(i64::from(id % 120))),
                minutes: Set(120),
                status: Set("confirmed".into()),
                note: Set(String::new()),
                created_at: Set(now),
                ..Default::default()
            }))
            .exec(db)
            .await
            .expect("hours");
        }
    }
}
