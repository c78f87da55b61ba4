//! Skills pathways speed: working out one volunteer's progress from facts (pure), and
//! on a seeded SQLite demo the request paths: a volunteer's pathway page data
//! (`my_progress`, which also records completions) and the alliance view over every
//! enrolled volunteer (`report`).
//!
//! The database part seeds `seed --demo` at `PATHWAYS_BENCH_DB_SCALE` volunteers
//! (default 5,000; 0 skips it) and enrols the first `PATHWAYS_BENCH_ENROLLED`
//! (default 500) volunteers on "Food hub logistics".
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use hubmatch::domain::pathways::{Facts, Pathway, Requirement, Scale, Stage, progress};

fn percentiles(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((runs as f64 * q).ceil() as usize).min(runs) - 1].as_secs_f64() * 1e3;
    (at(0.50), at(0.99))
}

fn food() -> Pathway {
    let skill = |slug: &str, level| Requirement::Skill {
        skill: slug.into(),
        skill_name: slug.into(),
        scale: Scale::SkillsBuilder,
        min_level: level,
    };
    Pathway {
        id: 1,
        name: "Food hub logistics".into(),
        stages: vec![
            Stage {
                id: 1,
                name: "Packing team".into(),
                tag: "food-packing-team".into(),
                requirements: vec![Requirement::Hours { minutes: 480 }, skill("teamwork", 3)],
            },
            Stage {
                id: 2,
                name: "Food safety".into(),
                tag: "food-safety".into(),
                requirements: vec![
                    Requirement::Training {
                        item: "food-hygiene".into(),
                    },
                    Requirement::Training {
                        item: "manual-handling".into(),
                    },
                ],
            },
            Stage {
                id: 3,
                name: "Shift runner".into(),
                tag: "food-shift-runner".into(),
                requirements: vec![
                    Requirement::Hours { minutes: 1200 },
                    skill("leadership", 6),
                    Requirement::SignOff {
                        organisation_id: None,
                        organisation_name: None,
                    },
                ],
            },
        ],
    }
}

fn pure(c: &mut Criterion) {
    let p = food();
    let mut facts = Facts::default();
    facts
        .confirmed_minutes_by_tag
        .insert("food-packing-team".into(), 600);
    facts.verified_levels.insert("teamwork".into(), 4);
    facts.training_done.insert("food-hygiene".into());
    c.bench_function("progress: one volunteer, 3 stages, 7 requirements", |b| {
        b.iter(|| progress(black_box(&p), black_box(&facts)))
    });
}

fn database(_c: &mut Criterion) {
    let env = |name: &str, default: u32| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let scale = env("PATHWAYS_BENCH_DB_SCALE", 5_000);
    let enrolled = env("PATHWAYS_BENCH_ENROLLED", 500);
    if scale == 0 {
        println!("database path: skipped (PATHWAYS_BENCH_DB_SCALE=0)");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = hubmatch::config::Settings {
        data_dir: dir.path().to_path_buf(),
        ..hubmatch::config::Settings::default()
    };
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
    let (db, volunteers) = rt.block_on(async {
        let db = hubmatch::db::prepare(&settings).await.expect("database");
        let started = Instant::now();
        let opts = hubmatch::seed::DemoOptions {
            volunteers: scale,
            ..hubmatch::seed::DemoOptions::new(time::OffsetDateTime::now_utc().date())
        };
        hubmatch::seed::seed_demo(&db, &opts).await.expect("demo");
        println!(
            "database path: seeded {scale} volunteers in {:.1?}",
            started.elapsed()
        );
        let food = hubmatch::entities::pathway::Entity::find()
            .filter(hubmatch::entities::pathway::Column::Slug.eq("food-hub-logistics"))
            .one(&db)
            .await
            .expect("pathway")
            .expect("the demo's food pathway");
        let already: Vec<i32> = hubmatch::entities::pathway_enrolment::Entity::find()
            .all(&db)
            .await
            .expect("enrolments")
            .into_iter()
            .map(|e| e.volunteer_profile_id)
            .collect();
        let volunteers: Vec<i32> = hubmatch::entities::volunteer_profile::Entity::find()
            .order_by_asc(hubmatch::entities::volunteer_profile::Column::Id)
            .all(&db)
            .await
            .expect("volunteers")
            .into_iter()
            .map(|v| v.id)
            .filter(|id| !already.contains(id))
            .take(enrolled as usize)
            .collect();
        for id in &volunteers {
            hubmatch::entities::pathway_enrolment::ActiveModel {
                volunteer_profile_id: Set(*id),
                pathway_id: Set(food.id),
                joined_at: Set(hubmatch::db::now()),
                left_at: Set(None),
                ..Default::default()
            }
            .insert(&db)
            .await
            .expect("enrol");
        }
        (db, volunteers)
    });
    let base = "http://127.0.0.1:8080";
    let mut i = 0;
    let sample: Vec<i32> = volunteers.iter().copied().take(200).collect();
    let (p50, p99) = percentiles(sample.len(), || {
        let id = sample[i % sample.len()];
        i += 1;
        rt.block_on(hubmatch::models::pathways::my_progress(&db, base, id))
            .expect("progress");
    });
    println!(
        "database: my_progress for one volunteer ({scale} volunteers in the demo): p50 {p50:.2} ms, p99 {p99:.2} ms"
    );
    let (p50, p99) = percentiles(5, || {
        rt.block_on(hubmatch::models::pathways::report(&db, None))
            .expect("report");
    });
    println!(
        "database: alliance view over {} enrolled volunteers: p50 {p50:.1} ms, p99 {p99:.1} ms",
        volunteers.len() + 1
    );
}

criterion_group!(benches, pure, database);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
