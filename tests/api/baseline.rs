//! Census baseline: Southwark's figures on start-up, `baseline import` of both CSV layouts.
use std::process::Command;

use hubmatch::config::Settings;
use hubmatch::domain::baseline::{
    AreaFigures, BaselineFigure, ParseOptions, areas_to_import, parse_table,
};
use hubmatch::entities::census_baseline;
use hubmatch::models::baseline::{self, BaselineError};
use hubmatch::seed::reference::{SOUTHWARK_AREA_CODE, SOUTHWARK_AREA_NAME};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

use crate::helpers::TestApp;
use crate::on_both_databases;

const LONG: &str = include_str!("../fixtures/baseline_long.csv");
const ONS_WARDS: &str = include_str!("../fixtures/baseline_ons_wards.csv");
const ONS_BAD_ROW: &str = include_str!("../fixtures/baseline_ons_bad_row.csv");
const BAD_COUNT: &str = include_str!("../fixtures/baseline_bad_count.csv");

const BOROUGH_AND_BANKSIDE: &str = "E05011095";
const PECKHAM: &str = "E05011110";

on_both_databases!(
    southwark_baseline_is_there_after_start_up,
    import_replaces_an_areas_dimensions_and_leaves_the_rest_alone,
    a_bad_file_or_area_writes_nothing,
    the_database_refuses_a_negative_count,
);

async fn rows(db: &DatabaseConnection) -> u64 {
    census_baseline::Entity::find().count(db).await.unwrap()
}

fn figures(pairs: &[(&str, i32)], dimension: &str) -> Vec<BaselineFigure> {
    pairs
        .iter()
        .map(|(c, n)| BaselineFigure::new(dimension, "all_usual_residents", c, *n))
        .collect()
}

fn owned(pairs: &[(&str, i32)]) -> Vec<(String, i32)> {
    pairs.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
}

async fn import_text(
    app: &TestApp,
    text: &str,
    area: Option<(&str, &str)>,
) -> baseline::ImportReport {
    let table = parse_table(text, ParseOptions::default()).expect("fixture parses");
    let areas = areas_to_import(table, area.map(|a| a.0), area.map(|a| a.1)).expect("areas");
    baseline::import_areas(&app.db, &areas, "fixture.csv")
        .await
        .expect("import")
}

async fn southwark_baseline_is_there_after_start_up(app: TestApp) {
    let sex = baseline::for_area(&app.db, SOUTHWARK_AREA_CODE, "sex")
        .await
        .unwrap();
    assert_eq!(sex, owned(&[("female", 158_638), ("male", 149_005)]));
    let ethnicity = baseline::for_area(&app.db, SOUTHWARK_AREA_CODE, "ethnicity")
        .await
        .unwrap();
    assert_eq!(ethnicity.len(), 19);
    assert_eq!(
        rows(&app.db).await,
        66,
        "every line of data-seed/southwark/baseline.csv"
    );
    let areas = baseline::areas(&app.db).await.unwrap();
    assert_eq!(areas.len(), 1);
    assert_eq!(
        (areas[0].code.as_str(), areas[0].name.as_str()),
        (SOUTHWARK_AREA_CODE, SOUTHWARK_AREA_NAME)
    );
    assert_eq!(
        areas[0].dimensions,
        [
            "age_5yr",
            "age_band",
            "disability",
            "ethnic_group",
            "ethnicity",
            "religion",
            "sex",
            "sexual_orientation"
        ]
    );

    // Every start runs it again: nothing doubles.
    hubmatch::seed::ensure_reference_data(&app.db)
        .await
        .unwrap();
    assert_eq!(rows(&app.db).await, 66);

    // Figures an alliance imported for Southwark are not overwritten or topped up on the next start.
    baseline::import(
        &app.db,
        SOUTHWARK_AREA_CODE,
        "London Borough of Southwark",
        &figures(&[("female", 160_000), ("male", 150_000)], "sex"),
        "newer.csv",
    )
    .await
    .unwrap();
    hubmatch::seed::ensure_reference_data(&app.db)
        .await
        .unwrap();
    let sex = baseline::for_area(&app.db, SOUTHWARK_AREA_CODE, "sex")
        .await
        .unwrap();
    assert_eq!(sex, owned(&[("female", 160_000), ("male", 150_000)]));
    assert_eq!(rows(&app.db).await, 66);
    assert_eq!(
        baseline::areas(&app.db).await.unwrap()[0].name,
        "London Borough of Southwark",
        "one name per area, the latest"
    );
}

async fn import_replaces_an_areas_dimensions_and_leaves_the_rest_alone(app: TestApp) {
    let southwark = rows(&app.db).await;

    // Long layout for Peckham: sex and religion.
    let report = import_text(&app, LONG, Some((PECKHAM, "Peckham"))).await;
    assert_eq!(report.areas.len(), 1);
    let dims: Vec<(&str, usize, i64, u64)> = report.areas[0]
        .dimensions
        .iter()
        .map(|d| (d.dimension.as_str(), d.categories, d.people, d.replaced))
        .collect();
    assert_eq!(dims, [("sex", 2, 15_212, 0), ("religion", 4, 15_212, 0)]);
    assert_eq!(rows(&app.db).await, southwark + 6);

    // ONS layout, two wards: Peckham gains its ethnic groups, keeps sex and religion.
    let report = import_text(&app, ONS_WARDS, None).await;
    assert_eq!(report.areas.len(), 2);
    assert_eq!(rows(&app.db).await, southwark + 6 + 2 * 24);
    let black = baseline::for_area(&app.db, PECKHAM, "ethnic_group")
        .await
        .unwrap();
    assert_eq!(
        black,
        owned(&[
            ("asian", 950),
            ("black", 5720),
            ("mixed", 1450),
            ("white", 4220),
            ("other", 670)
        ])
    );
    assert_eq!(
        baseline::for_area(&app.db, PECKHAM, "sex")
            .await
            .unwrap()
            .len(),
        2
    );

    // Peckham again with sex only, and a category fewer: sex replaced, religion kept.
    let report = baseline::import(
        &app.db,
        PECKHAM,
        "Peckham",
        &figures(&[("female", 8000)], "sex"),
        "again.csv",
    )
    .await
    .unwrap();
    assert_eq!(report.areas[0].dimensions[0].replaced, 2);
    assert_eq!(
        baseline::for_area(&app.db, PECKHAM, "sex").await.unwrap(),
        owned(&[("female", 8000)])
    );
    assert_eq!(
        baseline::for_area(&app.db, PECKHAM, "religion")
            .await
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        baseline::for_area(&app.db, PECKHAM, "ethnicity")
            .await
            .unwrap()
            .len(),
        19
    );
    assert_eq!(rows(&app.db).await, southwark + 6 + 2 * 24 - 1);

    // The other ward and the borough are untouched.
    assert_eq!(
        baseline::for_area(&app.db, BOROUGH_AND_BANKSIDE, "ethnicity")
            .await
            .unwrap()
            .len(),
        19
    );
    assert!(
        baseline::for_area(&app.db, BOROUGH_AND_BANKSIDE, "sex")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        baseline::for_area(&app.db, SOUTHWARK_AREA_CODE, "sex")
            .await
            .unwrap(),
        owned(&[("female", 158_638), ("male", 149_005)])
    );
    let codes: Vec<String> = baseline::areas(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.code)
        .collect();
    assert_eq!(codes, [BOROUGH_AND_BANKSIDE, PECKHAM, SOUTHWARK_AREA_CODE]);
}

async fn a_bad_file_or_area_writes_nothing(app: TestApp) {
    let before = rows(&app.db).await;

    // The bad cell is in the second area, after a whole good one.
    let err = parse_table(ONS_BAD_ROW, ParseOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3, column \"Ethnic group: White: English, Welsh, Scottish, Northern Irish or British\": \
         '2,550' is not a whole number"
    );
    let err = parse_table(BAD_COUNT, ParseOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 6, column count: 'abc' is not a whole number"
    );

    // Through the model: the second area is invalid, so the first is not written either.
    let good = AreaFigures {
        area_code: PECKHAM.into(),
        area_name: "Peckham".into(),
        figures: figures(&[("female", 10), ("male", 9)], "sex"),
    };
    let mut bad = good.clone();
    bad.area_code = BOROUGH_AND_BANKSIDE.into();
    bad.figures[1].count = -1;
    let err = baseline::import_areas(&app.db, &[good.clone(), bad], "bad.csv")
        .await
        .unwrap_err();
    assert!(
        matches!(err, BaselineError::Invalid(ref m) if m.contains("negative")),
        "{err}"
    );
    let err = baseline::import_areas(&app.db, &[good.clone(), good], "twice.csv")
        .await
        .unwrap_err();
    assert!(
        matches!(err, BaselineError::Invalid(ref m) if m.contains("twice")),
        "{err}"
    );

    assert_eq!(rows(&app.db).await, before);
    assert!(
        baseline::for_area(&app.db, PECKHAM, "sex")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn the_database_refuses_a_negative_count(app: TestApp) {
    let row = census_baseline::ActiveModel {
        area_code: Set(PECKHAM.into()),
        area_name: Set("Peckham".into()),
        dimension: Set("sex".into()),
        universe: Set("all_usual_residents".into()),
        category: Set("female".into()),
        count: Set(-1),
        source: Set(String::new()),
        imported_at: Set(hubmatch::db::now()),
        ..Default::default()
    };
    let err = row.insert(&app.db).await.unwrap_err().to_string();
    assert!(err.contains("ck_census_baseline_count"), "{err}");
}

/// Runs the real `hubmatch` binary in a folder of its own (no .env or hubmatch.toml).
fn hubmatch(dir: &std::path::Path, db_args: &[String], args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hubmatch"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("HUBMATCH_DATABASE_URL")
        .env_remove("HUBMATCH_DATA_DIR")
        .args(db_args)
        .args(args)
        .output()
        .expect("run hubmatch");
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "exit status {:?}",
        out.status
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `hubmatch baseline import` end to end: output, exit codes, and what ends up in the table.
async fn baseline_import_command(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let db_args = match &database_url {
        Some(url) => vec!["--database-url".to_owned(), url.clone()],
        None => vec!["--data-dir".to_owned(), dir.path().display().to_string()],
    };
    let run = |args: &[&str]| hubmatch(dir.path(), &db_args, args);

    let (ok, out, err) = run(&["baseline", "import", &fixture("baseline_ons_wards.csv")]);
    assert!(ok, "{err}");
    assert!(
        out.contains("E05011110 Peckham: ethnic_group (all_usual_residents), 5 categories, 13010 people, replaced 0 rows"),
        "{out}"
    );
    assert!(out.contains("imported 48 figures for 2 area(s)"), "{out}");

    let (ok, out, err) = run(&[
        "baseline",
        "import",
        &fixture("baseline_long.csv"),
        "--area-code",
        PECKHAM,
        "--area-name",
        "Peckham",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("E05011110 Peckham: religion (all_usual_residents), 4 categories"),
        "{out}"
    );

    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        database_url: database_url.clone(),
        db_max_connections: 1,
        ..Settings::default()
    };
    let db = hubmatch::db::connect(&settings).await.unwrap();
    let after_good = rows(&db).await;
    assert_eq!(after_good, 66 + 48 + 6);

    for (args, message) in [
        (
            vec![
                "baseline",
                "import",
                &fixture("baseline_bad_count.csv")[..],
                "--area-code",
                PECKHAM,
                "--area-name",
                "Peckham",
            ],
            "baseline_bad_count.csv: line 6, column count: 'abc' is not a whole number",
        ),
        (
            vec![
                "baseline",
                "import",
                &fixture("baseline_ons_bad_row.csv")[..],
            ],
            "line 3, column \"Ethnic group: White: English, Welsh, Scottish, Northern Irish or British\": '2,550' is not a whole number",
        ),
        (
            vec!["baseline", "import", &fixture("baseline_long.csv")[..]],
            "pass --area-code and --area-name",
        ),
    ] {
        let (ok, _, err) = run(&args);
        assert!(!ok, "{args:?} should fail");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(rows(&db).await, after_good, "failed imports wrote nothing");
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baseline_import_command_sqlite() {
    baseline_import_command(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baseline_import_command_postgres() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
        return;
    };
    let url = hubmatch::db::create_scratch_database(&admin_url, "hm_test")
        .await
        .unwrap();
    baseline_import_command(Some(url)).await;
}
