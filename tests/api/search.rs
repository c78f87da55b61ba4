//! Search end to end: the index follows the database through the outbox, the API answers with highlights and facets, bad parameters are named, and an index that is down loses nothing.
use std::time::Duration;

use hubmatch::search::sync::{self, SyncOptions, SyncWorker};
use hubmatch::search::tantivy::TantivyIndex;
use hubmatch::search::{IndexName, SearchQuery, SharedIndex};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::fixtures::{self, PECKHAM};
use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    search_finds_open_roles_despite_a_typo_with_highlights_and_facets,
    opening_and_closing_a_role_reaches_the_index_through_the_outbox,
    bad_search_parameters_are_a_400_naming_them,
    the_roles_page_searches_with_facets_and_says_what_to_try_when_nothing_matches,
);

/// Waits until the app's search sync worker has applied every queued change.
pub async fn indexed(app: &TestApp) {
    for _ in 0..200 {
        if sync::pending(&app.db).await.unwrap() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the search outbox did not drain on {}", app.backend);
}

/// The fixture borough, written straight to the database, then indexed as
/// `hubmatch reindex` would.
async fn borough_indexed(app: &TestApp) -> fixtures::Borough {
    let b = fixtures::borough(&app.db).await;
    sync::queue_reindex(&app.db).await.unwrap();
    indexed(app).await;
    b
}

fn titles(json: &serde_json::Value) -> Vec<String> {
    let mut t: Vec<String> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

async fn search_finds_open_roles_despite_a_typo_with_highlights_and_facets(app: TestApp) {
    borough_indexed(&app).await;

    // "befriendr": one letter short of the fixture's "befriender".
    let found = app.get_json("/api/v1/search/roles?q=befriendr", 200).await;
    assert_eq!(titles(&found), ["Telephone befriender"]);
    assert_eq!(found["total"], 1);
    assert_eq!(found["page"], 1);
    assert_eq!(found["per_page"], 20);
    assert!(
        found["items"][0]["title_html"]
            .as_str()
            .unwrap()
            .contains("<mark>befriender</mark>"),
        "{found}"
    );

    // Only open roles are public: the draft, closed and expired ones never appear.
    let all = app.get_json("/api/v1/search/roles", 200).await;
    assert_eq!(
        titles(&all),
        [
            "Food parcel packer",
            "Meal delivery driver",
            "Telephone befriender"
        ]
    );
    let causes = &all["facets"]["cause"];
    let count = |slug: &str| {
        causes
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == slug)
            .map_or(0, |c| c["count"].as_u64().unwrap())
    };
    assert_eq!(count("food-poverty"), 2, "{causes}");
    assert_eq!(count("older-people"), 2, "{causes}");

    // Synonyms from the cause vocabulary, combined with a filter.
    let elderly = app
        .get_json(
            &format!("/api/v1/search/roles?q=elderly&ward={PECKHAM}"),
            200,
        )
        .await;
    assert_eq!(titles(&elderly), ["Telephone befriender"]);
}

async fn opening_and_closing_a_role_reaches_the_index_through_the_outbox(app: TestApp) {
    let b = borough_indexed(&app).await;
    let search = "/api/v1/search/roles?q=packer";
    assert_eq!(
        titles(&app.get_json(search, 200).await),
        ["Food parcel packer"]
    );

    // Closing writes the outbox row in the same transaction as the change.
    let txn = hubmatch::db::begin(&app.db).await.unwrap();
    let closed = hubmatch::models::role_posting::set_status(&txn, b.food_packing.clone(), "closed")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    indexed(&app).await;
    assert!(titles(&app.get_json(search, 200).await).is_empty());

    // A rolled-back change queues nothing.
    let txn = app.db.begin().await.unwrap();
    hubmatch::models::role_posting::set_status(&txn, closed.clone(), "open")
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(sync::pending(&app.db).await.unwrap(), 0);

    let txn = hubmatch::db::begin(&app.db).await.unwrap();
    hubmatch::models::role_posting::set_status(&txn, closed, "open")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    indexed(&app).await;
    assert_eq!(
        titles(&app.get_json(search, 200).await),
        ["Food parcel packer"]
    );
}

async fn bad_search_parameters_are_a_400_naming_them(app: TestApp) {
    let colour = app.get_json("/api/v1/search/roles?colour=red", 400).await;
    assert!(
        colour["fields"]["colour"]
            .as_str()
            .unwrap()
            .contains("no filter 'colour'"),
        "{colour}"
    );
    let sort = app.get_json("/api/v1/search/roles?sort=price", 400).await;
    assert!(
        sort["fields"]["sort"].as_str().unwrap().contains("'price'"),
        "{sort}"
    );
    let long = "a".repeat(201);
    let q = app
        .get_json(&format!("/api/v1/search/roles?q={long}"), 400)
        .await;
    assert!(q["fields"]["q"].as_str().unwrap().contains("200"), "{q}");
    let ok = "a".repeat(200);
    app.get_json(&format!("/api/v1/search/roles?q={ok}"), 200)
        .await;
    let near = app
        .get_json("/api/v1/search/roles?sort=distance", 400)
        .await;
    assert!(near["fields"]["near"].is_string(), "{near}");
    let nowhere = app
        .get_json("/api/v1/search/roles?sort=distance&near=E05999999", 400)
        .await;
    assert!(nowhere["fields"]["near"].is_string(), "{nowhere}");
    // Anyone may search roles; volunteers are for staff and coordinators only.
    let anonymous = app.get("/api/v1/search/volunteers").await;
    assert_eq!(anonymous.status(), 401);
    // The page shows the problem and keeps a 400.
    let page = app.get("/roles?q=garden&colour=red").await;
    assert_eq!(page.status(), 400);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("no filter &#39;colour&#39;") || html.contains("no filter 'colour'"),
        "{html}"
    );
}

async fn the_roles_page_searches_with_facets_and_says_what_to_try_when_nothing_matches(
    app: TestApp,
) {
    borough_indexed(&app).await;
    let html = app.get_text("/roles?q=delivry", 200).await;
    assert!(html.contains("<mark>delivery</mark>"), "{html}");
    assert!(html.contains("1 role matches"), "{html}");
    // Facet checkboxes carry counts for the search as it stands.
    assert!(
        html.contains(r#"name="cause" type="checkbox" value="food-poverty""#),
        "{html}"
    );
    assert!(html.contains("Food poverty (1)"), "{html}");

    let none = app
        .get_text("/roles?q=zzzzzz&cause=food-poverty", 200)
        .await;
    assert!(none.contains("No open roles match"), "{none}");
    assert!(none.contains("Check the spelling"), "{none}");
    assert!(none.contains("remove a filter"), "{none}");
    assert!(none.contains("Browse by cause"), "{none}");
}

/// A database of its own, with no server (and so no sync worker) attached.
async fn bare_database(backend: &str) -> Option<(DatabaseConnection, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let database_url = match backend {
        "postgres" => {
            let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
                eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
                return None;
            };
            Some(
                hubmatch::db::create_scratch_database(&admin, "hm_test")
                    .await
                    .unwrap(),
            )
        }
        _ => None,
    };
    let settings = hubmatch::config::Settings {
        data_dir: dir.path().to_path_buf(),
        database_url,
        db_max_connections: 5,
        ..hubmatch::config::Settings::default()
    };
    Some((hubmatch::db::prepare(&settings).await.unwrap(), dir))
}

/// The index is down while roles change: every change stays in the outbox, is
/// retried, and reaches the index once it is back. Nothing is lost.
async fn an_index_that_is_down_loses_no_changes(db: DatabaseConnection) {
    let b = fixtures::borough(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let index = TantivyIndex::open_shared(dir.path()).unwrap();
    let shared: SharedIndex = index.clone();
    let worker = SyncWorker::with_options(
        db.clone(),
        shared.clone(),
        SyncOptions {
            base_delay: Duration::ZERO,
            ..SyncOptions::default()
        },
    );

    index.close();
    let txn = hubmatch::db::begin(&db).await.unwrap();
    for r in [
        &b.food_packing,
        &b.meal_delivery,
        &b.befriending,
        &b.draft,
        &b.closed,
        &b.expired,
    ] {
        sync::queue_role(&txn, r.id).await.unwrap();
    }
    txn.commit().await.unwrap();

    for _ in 0..2 {
        let stats = worker.run_once().await.unwrap();
        assert_eq!((stats.applied, stats.retried, stats.dead), (0, 6, 0));
        assert_eq!(sync::pending(&db).await.unwrap(), 6);
    }
    assert!(
        shared
            .search(IndexName::Roles, &SearchQuery::default())
            .await
            .is_err()
    );

    index.reopen().unwrap();
    let stats = worker.run_once().await.unwrap();
    assert_eq!((stats.applied, stats.retried), (6, 0));
    assert_eq!(sync::pending(&db).await.unwrap(), 0);
    let found = shared
        .search(IndexName::Roles, &SearchQuery::default())
        .await
        .unwrap();
    let mut ids = found.ids();
    ids.sort();
    let mut want = vec![
        i64::from(b.food_packing.id),
        i64::from(b.meal_delivery.id),
        i64::from(b.befriending.id),
    ];
    want.sort();
    assert_eq!(ids, want, "the open roles, and only those");
}

mod an_index_that_is_down_loses_no_changes {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let (db, _dir) = super::bare_database("sqlite").await.unwrap();
        super::an_index_that_is_down_loses_no_changes(db).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some((db, _dir)) = super::bare_database("postgres").await {
            super::an_index_that_is_down_loses_no_changes(db).await;
        }
    }
}
