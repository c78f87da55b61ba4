//! Search speed on the embedded (tantivy) index: building an index of 50,000 roles, and typical queries over it (p50 and p99 printed, criterion means after).
//!
//! Run: `cargo bench --bench search`. The roles are generated in memory from the
//! cause and skill vocabularies (as `seed --demo --scale` would write them), so the
//! figures measure search, not the database.
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use hubmatch::search::tantivy::TantivyIndex;
use hubmatch::search::{Document, IndexName, SearchQuery, SortBy};
use hubmatch::seed::vocab::{CAUSES, SKILLS};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ROLES: usize = 50_000;

const WARDS: &[(&str, &str, f64, f64)] = &[
    ("E05011093", "North Bermondsey", 51.498, -0.063),
    ("E05011095", "Camberwell Green", 51.474, -0.093),
    ("E05011100", "Dulwich Village", 51.445, -0.085),
    ("E05011107", "Newington", 51.490, -0.097),
    ("E05011110", "Peckham", 51.469, -0.069),
    ("E05011113", "Rye Lane", 51.465, -0.067),
];
const HUBS: &[&str] = &[
    "peckham-hub",
    "walworth-hub",
    "bermondsey-hub",
    "camberwell-hub",
    "dulwich-hub",
];
const ROLE_WORDS: &[&str] = &[
    "helper",
    "volunteer",
    "coordinator",
    "assistant",
    "champion",
    "driver",
    "host",
    "buddy",
    "mentor",
    "tutor",
    "packer",
    "gardener",
    "cook",
    "befriender",
    "steward",
    "organiser",
];
const PLACES: &[&str] = &[
    "community centre",
    "food bank",
    "library",
    "allotment",
    "church hall",
    "youth club",
    "lunch club",
    "night shelter",
    "café",
    "advice centre",
    "city farm",
    "school",
];
const SLOTS: &[&str] = &[
    "MondayMorning",
    "TuesdayAfternoon",
    "WednesdayEvening",
    "ThursdayMorning",
    "FridayAfternoon",
    "SaturdayMorning",
    "SundayAfternoon",
];

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

/// Roles shaped like the demo's: a title from a skill, a role word and a place,
/// a paragraph of description, one or two causes, up to three skills.
pub fn roles(n: usize) -> Vec<Document> {
    let mut rng = StdRng::seed_from_u64(42);
    (1..=n)
        .map(|id| {
            let cause = pick(&mut rng, CAUSES);
            let other = pick(&mut rng, CAUSES);
            let skill = pick(&mut rng, SKILLS);
            let word = pick(&mut rng, ROLE_WORDS);
            let place = pick(&mut rng, PLACES);
            let ward = pick(&mut rng, WARDS);
            let title = format!("{} {word} at the {place}", skill.name);
            let summary = format!(
                "Help {} in {} with our friendly team.",
                cause.name.to_lowercase(),
                ward.1
            );
            let description = format!(
                "{} {} You will work alongside staff and other volunteers. {} Training, \
                 expenses and a reference are offered. We welcome people of every background.",
                summary,
                skill.description,
                cause.synonyms.replace(',', ", ")
            );
            let mut d = Document::new(id as i64)
                .text("title", title)
                .text("summary", summary)
                .text("description", description)
                .text("cause_names", format!("{}, {}", cause.name, other.name))
                .text("skill_names", skill.name)
                .text(
                    "organisation_name",
                    format!("{} group {}", ward.1, id % 400),
                )
                .text("hub_name", pick(&mut rng, HUBS).replace('-', " "))
                .text("ward_name", ward.1)
                .facet("cause", cause.slug)
                .facet("skill", skill.slug)
                .facet("hub", *pick(&mut rng, HUBS))
                .facet("ward", ward.0)
                .facet("organisation", format!("org-{}", id % 400))
                .facet(
                    "commitment",
                    *pick(&mut rng, &["one_off", "regular", "flexible"]),
                )
                .facet("status", "open")
                .facet("time_slot", *pick(&mut rng, SLOTS))
                .flag("remote", rng.random_bool(0.2))
                .flag("youth_friendly", rng.random_bool(0.3))
                .number(
                    "closes_at",
                    rng.random_bool(0.8)
                        .then(|| 1_790_000_000 + rng.random_range(0..8_000_000)),
                )
                .number(
                    "opened_at",
                    Some(1_780_000_000 + rng.random_range(0..8_000_000)),
                );
            if other.slug != cause.slug {
                d = d.facet("cause", other.slug);
            }
            d.geo = Some((ward.2, ward.3));
            d
        })
        .collect()
}

fn typical_queries() -> Vec<(&'static str, SearchQuery)> {
    let facets: Vec<String> = [
        "cause",
        "hub",
        "ward",
        "organisation",
        "commitment",
        "remote",
        "youth_friendly",
        "skill",
        "time_slot",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let q = |text: &str| SearchQuery {
        facets: facets.clone(),
        ..SearchQuery::text(text)
    };
    vec![
        ("browse (no words, facets)", q("")),
        ("one word", q("gardening")),
        ("typo", q("befreinding")),
        ("prefix as you type", q("warehou")),
        ("synonym", q("elderly")),
        (
            "two words + filter",
            q("food bank").filter("ward", "E05011110"),
        ),
        ("three words", q("digital champion library")),
        (
            "filters only, closing soonest",
            SearchQuery {
                sort: SortBy::Ascending("closes_at".into()),
                ..q("")
                    .filter("cause", "older-people")
                    .filter("remote", "true")
            },
        ),
        (
            "words, nearest first",
            SearchQuery {
                sort: SortBy::Near {
                    lat: 51.469,
                    lon: -0.069,
                },
                ..q("cook")
            },
        ),
        (
            "page 5",
            SearchQuery {
                page: 5,
                ..q("volunteer")
            },
        ),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn bench(c: &mut Criterion) {
    let docs = roles(ROLES);

    // Indexing: a fresh index of every role, as `hubmatch reindex` builds it.
    let mut build_times = Vec::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = TantivyIndex::open_shared(dir.path()).expect("open index");
        let started = Instant::now();
        index.reindex_now(IndexName::Roles, &docs).expect("index");
        build_times.push(started.elapsed());
    }
    build_times.sort();
    println!(
        "index {ROLES} roles: median {:.2?} (min {:.2?}, max {:.2?}; target <= 10 s)",
        build_times[1], build_times[0], build_times[2]
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let index = TantivyIndex::open_shared(dir.path()).expect("open index");
    index.reindex_now(IndexName::Roles, &docs).expect("index");

    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>8}",
        "query over 50,000 roles", "p50", "p99", "max", "hits"
    );
    let mut all = Vec::new();
    for (name, query) in typical_queries() {
        // Warm up, then time one by one for percentiles.
        for _ in 0..20 {
            index.search_now(IndexName::Roles, &query).expect("search");
        }
        let mut times = Vec::with_capacity(500);
        let mut total = 0;
        for _ in 0..500 {
            let started = Instant::now();
            let found = index.search_now(IndexName::Roles, &query).expect("search");
            times.push(started.elapsed());
            total = found.total;
        }
        times.sort();
        println!(
            "{name:<34} {:>9.2?} {:>9.2?} {:>9.2?} {total:>8}",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times[times.len() - 1]
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "all typical queries: p50 {:.2?}, p99 {:.2?} (target p99 <= 10 ms)",
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );

    let mut group = c.benchmark_group("search_50k_roles");
    for (name, query) in typical_queries() {
        group.bench_function(name, |b| {
            b.iter(|| index.search_now(IndexName::Roles, &query).expect("search"))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
