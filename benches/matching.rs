//! Matching speed: top-20 roles for one volunteer over 50,000 open roles (target p99
//! ≤ 5 ms) and top-50 volunteers for one role over 500,000 volunteers (target p99 ≤
//! 50 ms), scoring prebuilt facts; and the database path (narrowing query + facts +
//! scoring) on a seeded SQLite demo.
//!
//! Criterion reports means and medians; p50 and p99 come from a plain loop of timed
//! runs printed first. The facts at full scale are built in memory (seeding 500,000
//! volunteers through the demo generator takes too long for a benchmark run); they
//! are drawn from the same Southwark wards, vocabularies and shapes as the demo. The
//! database path runs on `seed --demo` at `MATCHING_BENCH_DB_SCALE` volunteers
//! (default 20,000: 2,000 roles), 0 to skip it.
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use hubmatch::domain::matching::{
    ALL_SLOTS, LatLon, RoleFacts, RoleLocation, VolunteerFacts, Weights, rank_roles_for,
    rank_volunteers_for,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SKILLS: [&str; 12] = [
    "listening",
    "teamwork",
    "speaking",
    "problem-solving",
    "digital",
    "cooking",
    "admin",
    "driving",
    "gardening",
    "leadership",
    "english",
    "maths",
];
const CAUSES: [&str; 10] = [
    "food-poverty",
    "older-people",
    "mental-health",
    "environment-and-conservation",
    "children-and-young-people",
    "education-and-literacy",
    "homelessness-and-housing",
    "arts-and-culture",
    "heritage",
    "faith",
];

/// A Southwark ward's centroid: the only places the service gives volunteers and
/// roles (`models::matching` reads them from the ward table).
fn ward(rng: &mut ChaCha8Rng) -> LatLon {
    let wards = hubmatch::seed::reference::southwark_wards();
    let w = &wards[rng.random_range(0..wards.len())];
    LatLon::new(w.centroid_lat, w.centroid_lon)
}

fn some<const N: usize>(rng: &mut ChaCha8Rng, from: &[&str; N], n: usize) -> Vec<String> {
    (0..n)
        .map(|_| from[rng.random_range(0..N)].to_string())
        .collect()
}

fn volunteer(rng: &mut ChaCha8Rng, id: i32) -> VolunteerFacts {
    let n_skills = rng.random_range(1..5);
    let n_causes = rng.random_range(1..4);
    VolunteerFacts {
        id,
        age_years: rng.random_range(14..85),
        ward_centroid: Some(ward(rng)),
        travel_km: f64::from(rng.random_range(1..10)),
        remote_ok: rng.random_bool(0.4),
        dbs_checked: rng.random_bool(0.25),
        guardian_consent: rng.random_bool(0.8),
        languages: vec!["en".into()],
        access_needs: if rng.random_bool(0.1) {
            vec!["step_free".into()]
        } else {
            vec![]
        },
        skills: some(rng, &SKILLS, n_skills)
            .into_iter()
            .map(|s| (s, rng.random_range(0..=15)))
            .collect(),
        causes: some(rng, &CAUSES, n_causes),
        availability: rng.random_range(0..=ALL_SLOTS) & rng.random_range(0..=ALL_SLOTS),
        pathway_stage_tags: vec![],
        recent_suggestions: rng.random_range(0..6),
    }
}

fn role(rng: &mut ChaCha8Rng, id: i32) -> RoleFacts {
    let places = rng.random_range(1..12);
    let n_skills = rng.random_range(0..4);
    let n_causes = rng.random_range(1..3);
    RoleFacts {
        id,
        open: true,
        places_left: places - rng.random_range(0..places),
        places,
        min_age: if rng.random_bool(0.2) { 14 } else { 18 },
        youth_friendly: rng.random_bool(0.2),
        dbs_required: rng.random_bool(0.15),
        location: match rng.random_range(0..10) {
            0 => RoleLocation::Remote,
            1 => RoleLocation::Hybrid(Some(ward(rng))),
            _ => RoleLocation::InPerson(Some(ward(rng))),
        },
        languages: vec!["en".into()],
        access_provisions: if rng.random_bool(0.6) {
            vec!["step_free".into()]
        } else {
            vec![]
        },
        skills_wanted: some(rng, &SKILLS, n_skills)
            .into_iter()
            .map(|s| (s, rng.random_range(0..=10)))
            .collect(),
        causes: some(rng, &CAUSES, n_causes),
        session_slots: 1 << rng.random_range(0..21) | 1 << rng.random_range(0..21),
        pathway_stage_tags: vec![],
        days_to_close: Some(rng.random_range(0..60)),
    }
}

/// p50 and p99 of `runs` timed calls, in milliseconds.
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

fn pure(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let roles: Vec<RoleFacts> = (0..50_000).map(|i| role(&mut rng, i)).collect();
    let volunteers: Vec<VolunteerFacts> = (0..500_000).map(|i| volunteer(&mut rng, i)).collect();
    let w = Weights::default();
    // An adult who travels 5 km and has said when they are free: a typical request.
    let me = VolunteerFacts {
        age_years: 34,
        travel_km: 5.0,
        dbs_checked: false,
        access_needs: vec![],
        ..volunteer(&mut rng, 1_000_000)
    };
    let the_role = RoleFacts {
        dbs_required: false,
        location: RoleLocation::InPerson(Some(LatLon::new(51.47773, -0.07385))),
        ..role(&mut rng, 1_000_000)
    };

    let shown = rank_roles_for(&me, &roles, &w, 20).len();
    let (p50, p99) = percentiles(200, || {
        black_box(rank_roles_for(black_box(&me), &roles, &w, 20));
    });
    println!(
        "pure: top-20 roles of 50,000 for one volunteer ({shown} returned): p50 {p50:.2} ms, p99 {p99:.2} ms (target p99 ≤ 5 ms)"
    );
    let shown = rank_volunteers_for(&the_role, &volunteers, &w, 50).len();
    let (p50, p99) = percentiles(50, || {
        black_box(rank_volunteers_for(
            black_box(&the_role),
            &volunteers,
            &w,
            50,
        ));
    });
    println!(
        "pure: top-50 volunteers of 500,000 for one role ({shown} returned): p50 {p50:.2} ms, p99 {p99:.2} ms (target p99 ≤ 50 ms)"
    );

    let mut g = c.benchmark_group("matching_pure");
    g.sample_size(20);
    g.bench_function("top20_roles_of_50k", |b| {
        b.iter(|| rank_roles_for(black_box(&me), &roles, &w, 20))
    });
    g.bench_function("top50_volunteers_of_500k", |b| {
        b.iter(|| rank_volunteers_for(black_box(&the_role), &volunteers, &w, 50))
    });
    g.finish();
}

/// The whole request path on a seeded SQLite demo: narrowing query, facts, scoring.
fn database(_c: &mut Criterion) {
    let scale: u32 = std::env::var("MATCHING_BENCH_DB_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    if scale == 0 {
        println!("database path: skipped (MATCHING_BENCH_DB_SCALE=0)");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = hubmatch::config::Settings {
        data_dir: dir.path().to_path_buf(),
        ..hubmatch::config::Settings::default()
    };
    let db = rt.block_on(async {
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
        db
    });
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let (volunteer_ids, role_ids): (Vec<i32>, Vec<i32>) = rt.block_on(async {
        let v = hubmatch::entities::volunteer_profile::Entity::find()
            .select_only()
            .column(hubmatch::entities::volunteer_profile::Column::Id)
            .order_by_asc(hubmatch::entities::volunteer_profile::Column::Id)
            .limit(200)
            .into_tuple::<i32>()
            .all(&db)
            .await
            .expect("volunteers");
        let r = hubmatch::entities::role::Entity::find()
            .select_only()
            .column(hubmatch::entities::role::Column::Id)
            .order_by_asc(hubmatch::entities::role::Column::Id)
            .limit(50)
            .into_tuple::<i32>()
            .all(&db)
            .await
            .expect("roles");
        (v, r)
    });
    let w = Weights::default();
    let mut i = 0;
    let (p50, p99) = percentiles(volunteer_ids.len(), || {
        let id = volunteer_ids[i % volunteer_ids.len()];
        i += 1;
        rt.block_on(hubmatch::models::matching::recommend_roles(&db, &w, id, 20))
            .expect("recommend");
    });
    println!(
        "database: recommend_roles top-20 ({scale} volunteers, {} roles): p50 {p50:.2} ms, p99 {p99:.2} ms",
        scale / 10
    );
    let mut i = 0;
    let (p50, p99) = percentiles(role_ids.len(), || {
        let id = role_ids[i % role_ids.len()];
        i += 1;
        rt.block_on(hubmatch::models::matching::suggest_volunteers(
            &db, &w, id, 50,
        ))
        .expect("suggest");
    });
    println!(
        "database: suggest_volunteers top-50 ({scale} volunteers): p50 {p50:.2} ms, p99 {p99:.2} ms"
    );
}

criterion_group!(benches, pure, database);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
