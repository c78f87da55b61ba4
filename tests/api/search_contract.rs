//! The search contract: one fixture of roles and one table of queries (typos, synonyms, prefixes, filters, facets, sorts, quotes, non-ASCII, long queries), run against tantivy always and against Meilisearch when `MEILI_URL` is set.
use std::sync::Arc;

use hubmatch::search::{
    Document, IndexName, SearchError, SearchIndex, SearchQuery, SearchResults, SortBy,
};

/// Ward centroids (approximate) used for distance sorts.
const CAMBERWELL: (f64, f64) = (51.4740, -0.0930);
const PECKHAM: (f64, f64) = (51.4690, -0.0690);
const BERMONDSEY: (f64, f64) = (51.4980, -0.0630);
const DULWICH: (f64, f64) = (51.4450, -0.0850);

struct R {
    id: i64,
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    causes: &'static [(&'static str, &'static str)],
    skills: &'static [(&'static str, &'static str)],
    hub: &'static str,
    ward: (&'static str, &'static str, (f64, f64)),
    organisation: (&'static str, &'static str),
    commitment: &'static str,
    remote: bool,
    youth: bool,
    slots: &'static [&'static str],
    closes_in_days: Option<i64>,
    opened_days_ago: i64,
}

const OLDER: (&str, &str) = ("older-people", "Older people");
const FOOD: (&str, &str) = ("food-poverty", "Food poverty");
const DIGITAL: (&str, &str) = ("digital-inclusion", "Digital inclusion");
const YOUNG: (&str, &str) = ("children-and-young-people", "Children and young people");
const HOMELESS: (&str, &str) = ("homelessness-and-housing", "Homelessness and housing");
const GREEN: (&str, &str) = (
    "environment-and-conservation",
    "Environment and conservation",
);
const COMMUNITY: (&str, &str) = ("community-development", "Community development");
const SPORT: (&str, &str) = ("sport-and-recreation", "Sport and recreation");
const ADVICE: (&str, &str) = ("advice-and-advocacy", "Advice and advocacy");
const ARTS: (&str, &str) = ("arts-and-culture", "Arts and culture");

const CAMB: (&str, &str, (f64, f64)) = ("E05011095", "Camberwell Green", CAMBERWELL);
const PECK: (&str, &str, (f64, f64)) = ("E05011110", "Peckham", PECKHAM);
const BERM: (&str, &str, (f64, f64)) = ("E05011093", "North Bermondsey", BERMONDSEY);
const DULW: (&str, &str, (f64, f64)) = ("E05011100", "Dulwich Village", DULWICH);

const FIXTURE: &[R] = &[
    R {
        id: 1,
        title: "Telephone befriending for older people",
        summary: "Call an older neighbour each week for a chat.",
        description: "Weekly calls from home to someone who lives alone.",
        causes: &[OLDER],
        skills: &[("befriending", "Befriending"), ("listening", "Listening")],
        hub: "camberwell-hub",
        ward: CAMB,
        organisation: ("age-well", "Age Well Southwark"),
        commitment: "regular",
        remote: true,
        youth: false,
        slots: &["TuesdayMorning"],
        closes_in_days: Some(10),
        opened_days_ago: 9,
    },
    R {
        id: 2,
        title: "Food bank warehouse helper",
        summary: "Sort and stack donations at the food bank.",
        description: "Lifting boxes, checking dates and packing parcels.",
        causes: &[FOOD],
        skills: &[("warehouse-and-stock", "Warehouse and stock")],
        hub: "peckham-hub",
        ward: PECK,
        organisation: ("peckham-pantry", "Peckham Pantry"),
        commitment: "regular",
        remote: false,
        youth: false,
        slots: &["SaturdayMorning"],
        closes_in_days: Some(3),
        opened_days_ago: 8,
    },
    R {
        id: 3,
        title: "Community fridge van driver",
        summary: "Collect surplus food from shops in the van.",
        description: "A full UK licence is needed; we insure you. No coach trips.",
        causes: &[FOOD],
        skills: &[("driving", "Driving")],
        hub: "peckham-hub",
        ward: PECK,
        organisation: ("peckham-pantry", "Peckham Pantry"),
        commitment: "flexible",
        remote: false,
        youth: false,
        slots: &["MondayAfternoon"],
        closes_in_days: Some(20),
        opened_days_ago: 7,
    },
    R {
        id: 4,
        title: "Digital champion",
        summary: "Help residents use smartphones and get online.",
        description: "Show people how to video call family and fill in forms online.",
        causes: &[DIGITAL],
        skills: &[("digital", "Digital")],
        hub: "bermondsey-hub",
        ward: BERM,
        organisation: ("get-online", "Get Online Southwark"),
        commitment: "regular",
        remote: false,
        youth: true,
        slots: &["WednesdayAfternoon"],
        closes_in_days: None,
        opened_days_ago: 6,
    },
    R {
        id: 5,
        title: "Homework club tutor",
        summary: "Help children with reading and maths after school.",
        description: "Friendly tutors for primary school pupils.",
        causes: &[YOUNG],
        skills: &[("maths", "Maths"), ("english", "English")],
        hub: "bermondsey-hub",
        ward: BERM,
        organisation: ("learn-together", "Learn Together"),
        commitment: "regular",
        remote: false,
        youth: true,
        slots: &["ThursdayAfternoon"],
        closes_in_days: Some(40),
        opened_days_ago: 5,
    },
    R {
        id: 6,
        title: "Gardening at the allotment",
        summary: "Grow vegetables with neighbours.",
        description: "Weeding, watering and planting in raised beds.",
        causes: &[GREEN],
        skills: &[("gardening", "Gardening")],
        hub: "dulwich-hub",
        ward: DULW,
        organisation: ("green-dulwich", "Green Dulwich"),
        commitment: "flexible",
        remote: false,
        youth: true,
        slots: &["SundayMorning"],
        closes_in_days: Some(15),
        opened_days_ago: 4,
    },
    R {
        id: 7,
        title: "Café host at the Zoë Centre",
        summary: "Welcome visitors to the community café.",
        description: "Serve tea, chat and make everyone feel at home. <b>No</b> experience needed & training given.",
        causes: &[COMMUNITY],
        skills: &[("customer-service", "Customer service")],
        hub: "camberwell-hub",
        ward: CAMB,
        organisation: ("zoe-centre", "The Zoë Centre"),
        commitment: "one_off",
        remote: false,
        youth: false,
        slots: &["FridayAfternoon"],
        closes_in_days: Some(5),
        opened_days_ago: 3,
    },
    R {
        id: 8,
        title: "Night shelter overnight volunteer",
        summary: "Stay overnight at the winter night shelter.",
        description: "Make beds, serve breakfast and keep guests company.",
        causes: &[HOMELESS],
        skills: &[],
        hub: "peckham-hub",
        ward: PECK,
        organisation: ("winter-shelter", "Winter Shelter"),
        commitment: "regular",
        remote: false,
        youth: false,
        slots: &["FridayEvening"],
        closes_in_days: Some(30),
        opened_days_ago: 2,
    },
    R {
        id: 9,
        title: "Lunch club cook",
        summary: "Cook a hot lunch for pensioners every Thursday.",
        description: "Prepare meals in our kitchen with a small team.",
        causes: &[OLDER, FOOD],
        skills: &[("cooking", "Cooking"), ("food-hygiene", "Food hygiene")],
        hub: "dulwich-hub",
        ward: DULW,
        organisation: ("age-well", "Age Well Southwark"),
        commitment: "regular",
        remote: false,
        youth: false,
        slots: &["ThursdayMorning"],
        closes_in_days: Some(25),
        opened_days_ago: 1,
    },
    R {
        id: 10,
        title: "Advice line volunteer",
        summary: "Answer calls about benefits and debt from home.",
        description: "Training in welfare rights is provided.",
        causes: &[ADVICE],
        skills: &[("listening", "Listening")],
        hub: "camberwell-hub",
        ward: CAMB,
        organisation: ("advice-southwark", "Advice Southwark"),
        commitment: "regular",
        remote: true,
        youth: false,
        slots: &["MondayMorning"],
        closes_in_days: Some(12),
        opened_days_ago: 0,
    },
    R {
        id: 11,
        title: "Youth football coach",
        summary: "Coach a Saturday football team of under-12s.",
        description: "Run warm-ups and drills; we pay for your coaching badge.",
        causes: &[SPORT, YOUNG],
        skills: &[("leadership", "Leadership")],
        hub: "peckham-hub",
        ward: PECK,
        organisation: ("peckham-rovers", "Peckham Rovers"),
        commitment: "regular",
        remote: false,
        youth: true,
        slots: &["SaturdayMorning"],
        closes_in_days: Some(8),
        opened_days_ago: 11,
    },
    R {
        id: 12,
        title: "Art workshop assistant",
        summary: "Set up paints and help at art sessions.",
        description: "Creative sessions for adults with learning disabilities.",
        causes: &[ARTS],
        skills: &[("arts-and-crafts", "Arts and crafts")],
        hub: "bermondsey-hub",
        ward: BERM,
        organisation: ("studio-se1", "Studio SE1"),
        commitment: "one_off",
        remote: false,
        youth: false,
        slots: &["WednesdayEvening"],
        closes_in_days: None,
        opened_days_ago: 12,
    },
];

const DAY: i64 = 86_400;
const NOW: i64 = 1_790_000_000;

fn documents() -> Vec<Document> {
    FIXTURE
        .iter()
        .map(|r| {
            let mut d = Document::new(r.id)
                .text("title", r.title)
                .text("summary", r.summary)
                .text("description", r.description)
                .text(
                    "cause_names",
                    r.causes.iter().map(|c| c.1).collect::<Vec<_>>().join(", "),
                )
                .text(
                    "skill_names",
                    r.skills.iter().map(|s| s.1).collect::<Vec<_>>().join(", "),
                )
                .text("organisation_name", r.organisation.1)
                .text("hub_name", r.hub.replace('-', " "))
                .text("ward_name", r.ward.1)
                .facet("hub", r.hub)
                .facet("ward", r.ward.0)
                .facet("organisation", r.organisation.0)
                .facet("commitment", r.commitment)
                .facet("status", "open")
                .flag("remote", r.remote)
                .flag("youth_friendly", r.youth)
                .number("closes_at", r.closes_in_days.map(|d| NOW + d * DAY))
                .number("opened_at", Some(NOW - r.opened_days_ago * DAY));
            for c in r.causes {
                d = d.facet("cause", c.0);
            }
            for s in r.skills {
                d = d.facet("skill", s.0);
            }
            for s in r.slots {
                d = d.facet("time_slot", *s);
            }
            d.geo = Some(r.ward.2);
            d
        })
        .collect()
}

/// What a case expects of its results.
enum Expect {
    /// Exactly these ids, in this order.
    Ordered(&'static [i64]),
    /// Exactly these ids, in any order.
    Set(&'static [i64]),
    /// These ids among the results (others may be there too).
    Includes(&'static [i64]),
    /// None of these ids.
    Excludes(&'static [i64]),
    /// This id first.
    First(i64),
    /// These ids first, in this order.
    Prefix(&'static [i64]),
    /// The total and how many hits on this page.
    Counts { total: u64, hits: usize },
    /// Facet value counts.
    Facet(&'static str, &'static [(&'static str, u64)]),
    /// The first hit's title (HTML) contains this.
    TitleHtml(&'static str),
    /// The first hit's snippet (HTML) contains this.
    SnippetHtml(&'static str),
    /// An error naming this field.
    Error(&'static str),
}

struct Case {
    name: &'static str,
    query: SearchQuery,
    expect: Vec<Expect>,
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        per_page: 50,
        facets: [
            "cause",
            "hub",
            "ward",
            "commitment",
            "remote",
            "youth_friendly",
            "skill",
            "time_slot",
            "organisation",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        ..SearchQuery::text(text)
    }
}

fn sorted(text: &str, sort: SortBy) -> SearchQuery {
    SearchQuery { sort, ..q(text) }
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let all: &'static [i64] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    vec![
        Case {
            name: "empty query finds every role, newest first",
            query: q(""),
            expect: vec![
                Ordered(&[10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11, 12]),
                Counts {
                    total: 12,
                    hits: 12,
                },
            ],
        },
        Case {
            name: "only punctuation is an empty query",
            query: q("!!! ??"),
            expect: vec![Set(all)],
        },
        Case {
            name: "an exact word",
            query: q("befriending"),
            expect: vec![Set(&[1])],
        },
        Case {
            name: "a swap of two letters is one typo",
            query: q("gadrening"),
            expect: vec![Set(&[6])],
        },
        Case {
            name: "two typos from nine letters",
            query: q("befreindng"),
            expect: vec![Set(&[1])],
        },
        Case {
            name: "one typo at five letters",
            query: q("drivr"),
            expect: vec![Set(&[3])],
        },
        Case {
            name: "no typo under five letters",
            query: q("cokk "),
            expect: vec![Set(&[])],
        },
        Case {
            name: "two typos under nine letters find nothing",
            query: q("ktchne "),
            expect: vec![Set(&[])],
        },
        Case {
            name: "the last word is a prefix as you type",
            query: q("garde"),
            expect: vec![Set(&[6])],
        },
        Case {
            name: "a prefix after a full word",
            query: q("night shel"),
            expect: vec![Set(&[8])],
        },
        Case {
            name: "a finished word is not a prefix",
            query: q("foot "),
            expect: vec![Set(&[])],
        },
        Case {
            name: "synonym: elderly finds older people and pensioners",
            query: q("elderly"),
            expect: vec![Set(&[1, 9])],
        },
        Case {
            name: "synonym: food hub finds the food bank and food poverty roles",
            query: q("food hub"),
            expect: vec![Includes(&[2, 3, 9]), Excludes(&[1, 4, 8])],
        },
        Case {
            name: "synonym: IT finds digital",
            query: q("IT"),
            expect: vec![Set(&[4])],
        },
        Case {
            name: "stop words are ignored",
            query: q("the gardening"),
            expect: vec![Set(&[6])],
        },
        Case {
            name: "every word must match",
            query: q("gardening driver"),
            expect: vec![Set(&[])],
        },
        Case {
            name: "quotes are an exact phrase",
            query: q("\"night shelter\""),
            expect: vec![Set(&[8])],
        },
        Case {
            name: "a phrase in the wrong order finds nothing",
            query: q("\"shelter night\""),
            expect: vec![Set(&[])],
        },
        Case {
            name: "an unclosed quote still searches",
            query: q("\"football"),
            expect: vec![Set(&[11])],
        },
        Case {
            name: "non-ASCII: café",
            query: q("café"),
            expect: vec![Set(&[7])],
        },
        Case {
            name: "non-ASCII folded: cafe finds café",
            query: q("cafe"),
            expect: vec![Set(&[7])],
        },
        Case {
            name: "non-ASCII: Zoë and zoe",
            query: q("zoe centre"),
            expect: vec![Set(&[7])],
        },
        Case {
            name: "a 200-character query is answered",
            query: q(&"volunteer ".repeat(20)),
            expect: vec![Includes(&[8, 10])],
        },
        Case {
            name: "a 201-character query is refused",
            query: q(&"a".repeat(201)),
            expect: vec![Error("q")],
        },
        Case {
            name: "markup in a query is just text",
            query: q("<script>alert(1)</script>"),
            expect: vec![Set(&[])],
        },
        Case {
            name: "filter by one cause",
            query: q("").filter("cause", "food-poverty"),
            expect: vec![Set(&[2, 3, 9])],
        },
        Case {
            name: "filter by either of two causes",
            query: q("")
                .filter("cause", "digital-inclusion")
                .filter("cause", "homelessness-and-housing"),
            expect: vec![Set(&[4, 8])],
        },
        Case {
            name: "filters on two attributes both apply",
            query: q("")
                .filter("cause", "older-people")
                .filter("remote", "true"),
            expect: vec![Set(&[1])],
        },
        Case {
            name: "words and filters together",
            query: q("volunteer").filter("hub", "peckham-hub"),
            expect: vec![Set(&[8])],
        },
        Case {
            name: "youth-friendly and a time slot",
            query: q("")
                .filter("youth_friendly", "true")
                .filter("time_slot", "SaturdayMorning"),
            expect: vec![Set(&[11])],
        },
        Case {
            name: "a filter value with quotes cannot widen the filter",
            query: q("").filter("cause", "food-poverty\" OR cause = \"older-people"),
            expect: vec![Set(&[])],
        },
        Case {
            name: "an unknown filter is named",
            query: q("").filter("colour", "red"),
            expect: vec![Error("filter")],
        },
        Case {
            name: "an unknown sort is named",
            query: sorted("", SortBy::Ascending("price".into())),
            expect: vec![Error("sort")],
        },
        Case {
            name: "facet counts over everything",
            query: q(""),
            expect: vec![
                Facet(
                    "cause",
                    &[
                        ("food-poverty", 3),
                        ("older-people", 2),
                        ("children-and-young-people", 2),
                        ("digital-inclusion", 1),
                    ],
                ),
                Facet("hub", &[("peckham-hub", 4), ("camberwell-hub", 3)]),
                Facet("remote", &[("true", 2), ("false", 10)]),
            ],
        },
        Case {
            name: "facet counts follow the query",
            query: q("food"),
            expect: vec![
                Facet("cause", &[("food-poverty", 3)]),
                Facet("hub", &[("peckham-hub", 2), ("dulwich-hub", 1)]),
            ],
        },
        Case {
            name: "facet counts follow the filters",
            query: q("").filter("ward", "E05011110"),
            expect: vec![Facet("commitment", &[("regular", 3), ("flexible", 1)])],
        },
        Case {
            name: "closing soonest first, open-ended last",
            query: sorted("", SortBy::Ascending("closes_at".into())),
            expect: vec![
                Prefix(&[2, 7, 11, 1, 10, 6, 3, 9, 8, 5]),
                Counts {
                    total: 12,
                    hits: 12,
                },
            ],
        },
        Case {
            name: "closing soonest among matches",
            query: sorted("volunteer", SortBy::Ascending("closes_at".into())),
            expect: vec![Ordered(&[10, 8])],
        },
        Case {
            name: "newest first",
            query: sorted("", SortBy::Descending("opened_at".into()))
                .filter("cause", "older-people"),
            expect: vec![Ordered(&[9, 1])],
        },
        Case {
            name: "nearest to Peckham first",
            query: sorted(
                "",
                SortBy::Near {
                    lat: PECKHAM.0,
                    lon: PECKHAM.1,
                },
            )
            .filter("commitment", "one_off"),
            expect: vec![Ordered(&[7, 12])],
        },
        Case {
            name: "nearest to Dulwich first",
            query: sorted(
                "",
                SortBy::Near {
                    lat: DULWICH.0,
                    lon: DULWICH.1,
                },
            )
            .filter("commitment", "flexible"),
            expect: vec![Ordered(&[6, 3])],
        },
        Case {
            name: "the best match ranks first",
            query: q("football coach"),
            expect: vec![First(11)],
        },
        Case {
            name: "a title match outranks a description match",
            query: q("coach "),
            expect: vec![Ordered(&[11, 3])],
        },
        Case {
            name: "second page",
            query: SearchQuery {
                page: 2,
                per_page: 5,
                ..q("")
            },
            expect: vec![Ordered(&[5, 4, 3, 2, 1]), Counts { total: 12, hits: 5 }],
        },
        Case {
            name: "a page past the end is empty but counts",
            query: SearchQuery {
                page: 9,
                per_page: 5,
                ..q("")
            },
            expect: vec![Counts { total: 12, hits: 0 }],
        },
        Case {
            name: "a typo is highlighted in the title",
            query: q("befreinding"),
            expect: vec![TitleHtml("<mark>befriending</mark>")],
        },
        Case {
            name: "snippets are escaped apart from the marks",
            query: q("training").filter("cause", "community-development"),
            expect: vec![
                First(7),
                SnippetHtml("&lt;b&gt;No&lt;/b&gt;"),
                SnippetHtml("<mark>training</mark>"),
            ],
        },
    ]
}

fn check(case: &Case, got: Result<SearchResults, SearchError>) -> Result<(), String> {
    let fail = |why: String| Err(format!("{}: {why}", case.name));
    let results = match got {
        Err(e) => {
            for expect in &case.expect {
                if let Expect::Error(field) = expect {
                    return match e.field() {
                        Some((f, _)) if f == *field => Ok(()),
                        other => fail(format!(
                            "wanted an error naming {field}, got {other:?} ({e})"
                        )),
                    };
                }
            }
            return fail(format!("failed: {e}"));
        }
        Ok(r) => r,
    };
    let ids = results.ids();
    for expect in &case.expect {
        match expect {
            Expect::Ordered(want) => {
                if ids != *want {
                    return fail(format!("wanted {want:?} in order, got {ids:?}"));
                }
            }
            Expect::Set(want) => {
                let mut a = ids.clone();
                a.sort();
                let mut b = want.to_vec();
                b.sort();
                if a != b {
                    return fail(format!("wanted {want:?}, got {ids:?}"));
                }
            }
            Expect::Includes(want) => {
                if let Some(missing) = want.iter().find(|w| !ids.contains(w)) {
                    return fail(format!("{missing} missing from {ids:?}"));
                }
            }
            Expect::Excludes(unwanted) => {
                if let Some(extra) = unwanted.iter().find(|w| ids.contains(w)) {
                    return fail(format!("{extra} should not be in {ids:?}"));
                }
            }
            Expect::Prefix(want) => {
                if !ids.starts_with(want) {
                    return fail(format!("wanted {want:?} first, got {ids:?}"));
                }
            }
            Expect::First(id) => {
                if ids.first() != Some(id) {
                    return fail(format!("wanted {id} first, got {ids:?}"));
                }
            }
            Expect::Counts { total, hits } => {
                if results.total != *total || ids.len() != *hits {
                    return fail(format!(
                        "wanted total {total} and {hits} hits, got {} and {}",
                        results.total,
                        ids.len()
                    ));
                }
            }
            Expect::Facet(facet, counts) => {
                for (value, n) in *counts {
                    let got = results.facet_count(facet, value);
                    if got != *n {
                        return fail(format!("{facet}={value}: wanted {n}, got {got}"));
                    }
                }
            }
            Expect::TitleHtml(part) => {
                let html = results
                    .hits
                    .first()
                    .map(|h| h.title_html.to_lowercase())
                    .unwrap_or_default();
                if !html.contains(part) {
                    return fail(format!("title {html:?} lacks {part:?}"));
                }
            }
            Expect::SnippetHtml(part) => {
                let html = results
                    .hits
                    .first()
                    .map(|h| h.snippet_html.clone())
                    .unwrap_or_default();
                if !html.contains(part) {
                    return fail(format!("snippet {html:?} lacks {part:?}"));
                }
            }
            Expect::Error(field) => {
                return fail(format!("wanted an error naming {field}, got {ids:?}"));
            }
        }
    }
    Ok(())
}

async fn run_contract(index: Arc<dyn SearchIndex>) {
    index
        .reindex(IndexName::Roles, documents())
        .await
        .expect("index the fixture");
    let cases = cases();
    assert!(
        cases.len() >= 30,
        "the contract has {} queries",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = check(case, index.search(IndexName::Roles, &case.query).await) {
            failures.push(why);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} search contract queries failed on {}:\n{}",
        failures.len(),
        cases.len(),
        index.backend(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tantivy() {
    let dir = tempfile::tempdir().unwrap();
    run_contract(hubmatch::search::open_tantivy(dir.path()).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meilisearch() {
    let Ok(url) = std::env::var("MEILI_URL") else {
        eprintln!("skipped: MEILI_URL not set");
        return;
    };
    let key = std::env::var("MEILI_API_KEY").ok();
    let index = hubmatch::search::meili::MeiliIndex::connect(&url, key.as_deref())
        .await
        .expect("connect to MEILI_URL");
    run_contract(Arc::new(index)).await;
}

/// A rebuild swaps in a new index: searches before and after it answer, and the
/// new documents replace the old ones (none left behind).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tantivy_reindex_swaps_and_searches_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    let index = hubmatch::search::open_tantivy(dir.path()).unwrap();
    index.reindex(IndexName::Roles, documents()).await.unwrap();
    assert_eq!(index.count(IndexName::Roles).await.unwrap(), 12);
    let fewer: Vec<Document> = documents().into_iter().take(3).collect();
    let searching = {
        let index = index.clone();
        tokio::spawn(async move {
            for _ in 0..50 {
                let r = index
                    .search(IndexName::Roles, &q(""))
                    .await
                    .expect("search during rebuild");
                assert!(r.total == 12 || r.total == 3, "{}", r.total);
            }
        })
    };
    index.reindex(IndexName::Roles, fewer).await.unwrap();
    searching.await.unwrap();
    assert_eq!(index.count(IndexName::Roles).await.unwrap(), 3);
    // The same folder opened again (a restart) has the rebuilt index.
    drop(index);
    let again = hubmatch::search::open_tantivy(dir.path()).unwrap();
    assert_eq!(again.count(IndexName::Roles).await.unwrap(), 3);
    let old_folders = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().map(|t| t.is_dir()).unwrap_or(false)
                && e.file_name().to_string_lossy().starts_with("roles")
        })
        .count();
    assert_eq!(
        old_folders, 1,
        "the old roles index folder is removed after the swap"
    );
}
