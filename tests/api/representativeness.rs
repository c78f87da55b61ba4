//! The representativeness report on crafted volunteers whose right figures were worked
//! out by hand: counts, shares, intervals, ratios, flags, indices, the funnel, filters,
//! small-number suppression on every output, who may see it, and the audit trail.
use hubmatch::entities::{
    application, audit_log, equality_monitoring, hours_log, user, volunteer_profile,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

on_both_databases!(
    the_figures_match_hand_computed_values,
    small_groups_are_hidden_and_cannot_be_worked_out_from_the_total,
    the_funnel_counts_each_stage_and_the_filters_narrow_it,
    the_period_filter_counts_registrations_within_it,
    an_organisation_admin_sees_the_report_from_20_respondents,
    coordinators_volunteers_and_visitors_see_only_what_they_may,
    every_report_view_is_audited,
    bad_filters_are_a_400_naming_the_field,
    equality_answers_never_reach_organisations,
    the_demos_planted_skew_shows_up_and_every_output_agrees,
);

/// Equality answers for one crafted volunteer.
#[derive(Clone, Copy, Default)]
struct Answers {
    sex: Option<&'static str>,
    ethnic_group: Option<&'static str>,
    ethnicity: Option<&'static str>,
    /// `false`: the person never answered (no row at all).
    answered: bool,
}

fn sex(s: &'static str) -> Answers {
    Answers {
        sex: Some(s),
        answered: true,
        ..Answers::default()
    }
}

fn ethnicity(e: &'static str) -> Answers {
    Answers {
        ethnic_group: e.split('_').next(),
        ethnicity: Some(e),
        answered: true,
        ..Answers::default()
    }
}

/// Adds `n` volunteers (no password: they never sign in) with these answers,
/// registered at `registered`; returns their volunteer profile ids.
async fn crowd(
    db: &DatabaseConnection,
    tag: &str,
    n: usize,
    answers: Answers,
    registered: OffsetDateTime,
) -> Vec<i32> {
    let mut profiles = Vec::new();
    for i in 0..n {
        let person = user::ActiveModel {
            email: Set(format!("{tag}-{i}@crowd.example")),
            display_name: Set(format!("{tag} {i}")),
            verified_at: Set(Some(registered)),
            is_alliance_admin: Set(false),
            status: Set("active".into()),
            created_at: Set(registered),
            updated_at: Set(registered),
            terms_accepted_at: Set(Some(registered)),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let profile = volunteer_profile::ActiveModel {
            user_id: Set(person.id),
            date_of_birth: Set(adult_birthday()),
            travel_km: Set(5),
            remote_ok: Set(false),
            languages: Set("en".into()),
            access_needs: Set(String::new()),
            bio: Set(String::new()),
            open_to_suggestions: Set(false),
            created_at: Set(registered),
            updated_at: Set(registered),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        if answers.answered {
            equality_monitoring::ActiveModel {
                user_id: Set(person.id),
                consented_at: Set(registered),
                sex: Set(answers.sex.map(str::to_owned)),
                ethnic_group: Set(answers.ethnic_group.map(str::to_owned)),
                ethnicity: Set(answers.ethnicity.map(str::to_owned)),
                updated_at: Set(registered),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
        profiles.push(profile.id);
    }
    profiles
}

async fn apply(db: &DatabaseConnection, profiles: &[i32], role: i32, status: &str) {
    let now = OffsetDateTime::now_utc();
    for &p in profiles {
        application::ActiveModel {
            role_id: Set(role),
            volunteer_id: Set(p),
            status: Set(status.into()),
            message: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
}

async fn log_hours(db: &DatabaseConnection, profiles: &[i32], role: i32, days_ago: i64) {
    let now = OffsetDateTime::now_utc();
    for &p in profiles {
        hours_log::ActiveModel {
            volunteer_id: Set(p),
            role_id: Set(role),
            worked_on: Set(now.date() - Duration::days(days_ago)),
            minutes: Set(120),
            status: Set("confirmed".into()),
            note: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
}

async fn admin_browser(app: &TestApp) -> Browser {
    add_person(
        &app.db,
        PersonSpec {
            email: "alli@example.org",
            name: "Alli Admin",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, "alli@example.org").await;
    browser
}

async fn report_json(browser: &Browser, query: &str) -> Value {
    let res = browser
        .get(&format!("/reports/representativeness.json{query}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.unwrap()
}

fn stage<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == name)
        .unwrap_or_else(|| panic!("stage {name} in {report}"))
}

fn dimension<'a>(stage: &'a Value, name: &str) -> &'a Value {
    stage["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dimension"] == name)
        .unwrap_or_else(|| panic!("dimension {name}"))
}

fn row<'a>(dimension: &'a Value, category: &str) -> &'a Value {
    dimension["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["category"] == category)
        .unwrap_or_else(|| panic!("category {category}"))
}

fn close(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("a number, got {v}"));
    assert!((got - expected).abs() < 1e-4, "{got} vs {expected}");
}

async fn the_figures_match_hand_computed_values(app: TestApp) {
    let now = OffsetDateTime::now_utc();
    crowd(&app.db, "f", 30, sex("female"), now).await;
    crowd(&app.db, "m", 20, sex("male"), now).await;
    crowd(&app.db, "p", 6, sex("prefer_not_to_say"), now).await;
    crowd(&app.db, "n", 5, Answers::default(), now).await;
    let browser = admin_browser(&app).await;
    let report = report_json(&browser, "").await;
    let registered = stage(&report, "registered");
    assert_eq!(registered["volunteers"], 61);
    let d = dimension(registered, "sex");
    assert_eq!(d["volunteers"], 61);
    assert_eq!(d["respondents"], 50);
    assert_eq!(d["prefer_not_to_say"], 6);
    assert_eq!(d["not_answered"], 5);
    close(&d["response_rate"], 50.0 / 61.0);
    // By hand: borough female share 158638 / 307643 = 0.515656; Wilson 30/50 at
    // z = 1.959964: 0.461814 to 0.723916; ratio 0.6 / 0.515656 = 1.163566 (0.895586
    // to 1.403874), which includes 1: in line.
    let female = row(d, "female");
    assert_eq!(female["count"], 30);
    close(&female["share"], 0.6);
    close(&female["share_low"], 0.461814);
    close(&female["share_high"], 0.723916);
    close(&female["baseline_share"], 0.515656);
    close(&female["ratio"], 1.163566);
    close(&female["ratio_low"], 0.895586);
    close(&female["ratio_high"], 1.403874);
    assert_eq!(female["flag"], "in_line");
    let male = row(d, "male");
    close(&male["ratio"], 0.825860);
    close(&male["ratio_low"], 0.570016);
    close(&male["ratio_high"], 1.111164);
    // D = ½(|0.6 − 0.515656| + |0.4 − 0.484344|) = 0.084344; chi-square with
    // expected 25.7828 and 24.2172: 1.424174 on 1 df, p = 0.232718.
    close(&d["dissimilarity_index"], 0.084344);
    close(&d["chi_square"]["statistic"], 1.424174);
    assert_eq!(d["chi_square"]["degrees_of_freedom"], 1);
    close(&d["chi_square"]["p_value"], 0.232718);

    // Prefer-not-to-say and the response rate are on the page too, never hidden.
    let page = browser.get_text("/reports/representativeness", 200).await;
    assert!(page.contains("Prefer not to say"), "{page}");
    assert!(page.contains("response rate 82.0%"), "{page}");
    assert!(page.contains("<svg"), "a chart");
    assert!(
        page.contains("<desc id=\"sex-desc\">"),
        "the chart has a text alternative"
    );
    assert!(page.contains("0.084"), "dissimilarity shown");
}

/// No shown count is 1–4, and no dimension has a lone hidden category beside a shown total.
fn assert_protected(report: &Value) {
    for s in report["stages"].as_array().unwrap() {
        for d in s["dimensions"].as_array().unwrap() {
            let mut hidden = 0;
            for r in d["rows"].as_array().unwrap() {
                match r["count"].as_u64() {
                    Some(n) => assert!(
                        n == 0 || n >= 5,
                        "{} {} shows {n}",
                        d["dimension"],
                        r["category"]
                    ),
                    None => {
                        assert_eq!(r["count"], "suppressed");
                        assert!(
                            r["share"].is_null() && r["ratio"].is_null() && r["flag"].is_null()
                        );
                        hidden += 1;
                    }
                }
            }
            for total in [
                "respondents",
                "prefer_not_to_say",
                "not_answered",
                "volunteers",
            ] {
                if let Some(n) = d[total].as_u64() {
                    assert!(n == 0 || n >= 5, "{} {total} shows {n}", d["dimension"]);
                }
            }
            if d["respondents"].is_u64() {
                assert_ne!(
                    hidden, 1,
                    "{}: a lone hidden category = total − the rest",
                    d["dimension"]
                );
            }
        }
    }
}

async fn small_groups_are_hidden_and_cannot_be_worked_out_from_the_total(app: TestApp) {
    let now = OffsetDateTime::now_utc();
    // 40 white British and 3 Black Caribbean volunteers: hiding the 3 alone would
    // leave it as 43 − 40, so the 40 (or the total) must go too.
    crowd(&app.db, "w", 40, ethnicity("white_british"), now).await;
    crowd(&app.db, "b", 3, ethnicity("black_caribbean"), now).await;
    let browser = admin_browser(&app).await;
    let report = report_json(&browser, "").await;
    assert_protected(&report);
    let d = dimension(stage(&report, "registered"), "ethnic_group");
    assert_eq!(row(d, "black")["count"], "suppressed");
    assert!(
        row(d, "white")["count"] == "suppressed" || d["respondents"] == "suppressed",
        "secondary suppression: {d}"
    );
    assert_eq!(
        row(d, "asian")["count"],
        0,
        "zero is shown: it identifies nobody"
    );

    // CSV: the same, no count of 1–4 anywhere, the white count not given away.
    let csv = browser
        .get_text("/reports/representativeness.csv", 200)
        .await;
    assert!(csv.starts_with("stage,dimension,category,count,"));
    for line in csv.lines().skip(1) {
        let count = line.split(',').nth(3).unwrap_or("");
        if let Ok(n) = count.parse::<u64>() {
            assert!(n == 0 || n >= 5, "{line}");
        }
    }
    assert!(
        csv.contains("registered,ethnic_group,black,suppressed,"),
        "{csv}"
    );
    assert!(!csv.contains("registered,ethnic_group,white,40,"), "{csv}");

    // The page says "fewer than 5" and does not show the 3.
    let page = browser.get_text("/reports/representativeness", 200).await;
    assert!(page.contains("fewer than 5"));
    assert!(!page.contains(">3<"), "a count of 3 on the page");

    // The API agrees with the download.
    let api: Value = browser
        .get("/api/v1/reports/representativeness")
        .await
        .json()
        .await
        .unwrap();
    assert_protected(&api);
    assert_eq!(api["stages"], report["stages"]);
}

async fn the_funnel_counts_each_stage_and_the_filters_narrow_it(app: TestApp) {
    let b: Borough = borough(&app.db).await;
    let now = OffsetDateTime::now_utc();
    let women = crowd(&app.db, "f", 20, sex("female"), now).await;
    let men = crowd(&app.db, "m", 10, sex("male"), now).await;
    // Food hub (Peckham hub, food poverty): 12 women + 6 men apply; 8 women and 5
    // men accepted; 6 women logged hours 10 days ago, 5 more 200 days ago (not active).
    apply(&app.db, &women[..8], b.food_packing.id, "accepted").await;
    apply(&app.db, &women[8..12], b.food_packing.id, "applied").await;
    apply(&app.db, &men[..5], b.food_packing.id, "accepted").await;
    apply(&app.db, &men[5..6], b.food_packing.id, "declined").await;
    log_hours(&app.db, &women[..6], b.food_packing.id, 10).await;
    log_hours(&app.db, &men[..5], b.food_packing.id, 200).await;
    // Befrienders (Walworth hub): 7 other women apply.
    apply(&app.db, &women[12..19], b.befriending.id, "applied").await;

    let browser = admin_browser(&app).await;
    let report = report_json(&browser, "").await;
    let volunteers = |s: &str| stage(&report, s)["volunteers"].clone();
    assert_eq!(volunteers("registered"), 30);
    assert_eq!(volunteers("applied"), 25);
    assert_eq!(volunteers("accepted"), 13);
    assert_eq!(volunteers("active"), 6);
    assert_eq!(
        row(dimension(stage(&report, "accepted"), "sex"), "male")["count"],
        5
    );
    assert_eq!(
        row(dimension(stage(&report, "active"), "sex"), "male")["count"],
        0
    );
    assert_protected(&report);

    // An organisation's funnel starts at "applied" and counts only its roles.
    let food = report_json(&browser, "?organisation=peckham-food-hub").await;
    assert!(
        food["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["stage"] != "registered")
    );
    assert_eq!(stage(&food, "applied")["volunteers"], 18);
    assert_eq!(
        row(dimension(stage(&food, "applied"), "sex"), "female")["count"],
        12
    );
    // By hub: Walworth's roles only.
    let walworth = report_json(&browser, &format!("?hub={}", b.walworth_hub.id)).await;
    assert_eq!(stage(&walworth, "applied")["volunteers"], 7);
    assert_eq!(stage(&walworth, "accepted")["volunteers"], 0);
    // By cause: older people is the befriending role (and meal delivery).
    let older = report_json(&browser, "?cause=older-people").await;
    assert_eq!(stage(&older, "applied")["volunteers"], 7);
    assert_eq!(
        stage(&older, "registered")["volunteers"],
        0,
        "nobody chose the cause"
    );
}

async fn the_period_filter_counts_registrations_within_it(app: TestApp) {
    let long_ago = OffsetDateTime::now_utc() - Duration::days(400);
    crowd(&app.db, "old", 10, sex("female"), long_ago).await;
    crowd(&app.db, "new", 7, sex("male"), OffsetDateTime::now_utc()).await;
    // Three in a quarter of their own: hidden, and not left as the total minus the rest.
    let mid = OffsetDateTime::now_utc() - Duration::days(200);
    crowd(&app.db, "mid", 3, sex("male"), mid).await;
    let browser = admin_browser(&app).await;
    let today = OffsetDateTime::now_utc().date();
    let recent = report_json(&browser, &format!("?from={}", today - Duration::days(30))).await;
    assert_eq!(stage(&recent, "registered")["volunteers"], 7);
    let earlier = report_json(&browser, &format!("?to={}", today - Duration::days(100))).await;
    assert_eq!(stage(&earlier, "registered")["volunteers"], 13);
    assert_eq!(
        earlier["filter"]["to"],
        (today - Duration::days(100)).to_string()
    );
    let all = report_json(&browser, "").await;
    assert_eq!(stage(&all, "registered")["volunteers"], 20);
    // The trend splits the period by quarter. Its head counts add up to the period's,
    // so the quarter of 3 is hidden and so is at least one other figure.
    let trend = all["trend"].as_array().unwrap();
    assert!(!trend.is_empty());
    let hidden = trend
        .iter()
        .filter(|q| q["volunteers"] == "suppressed")
        .count();
    assert!(hidden >= 1, "{trend:?}");
    for q in trend {
        if let Some(n) = q["volunteers"].as_u64() {
            assert!(n == 0 || n >= 5, "{q}");
        }
    }
    let shown: u64 = trend.iter().filter_map(|q| q["volunteers"].as_u64()).sum();
    assert_ne!(20 - shown, 3, "the 3 would be 20 minus the shown quarters");
}

async fn an_organisation_admin_sees_the_report_from_20_respondents(app: TestApp) {
    let b = borough(&app.db).await;
    let now = OffsetDateTime::now_utc();
    add_person(
        &app.db,
        PersonSpec {
            email: "org-admin@example.org",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "org-admin@example.org").await;
    let applicants = crowd(&app.db, "a", 19, sex("female"), now).await;
    apply(&app.db, &applicants, b.food_packing.id, "applied").await;
    // Volunteers without equality answers are not respondents.
    let silent = crowd(&app.db, "s", 4, Answers::default(), now).await;
    apply(&app.db, &silent, b.food_packing.id, "applied").await;

    let res = browser.get("/reports/representativeness").await;
    assert_eq!(res.status().as_u16(), 403);
    let page = res.text().await.unwrap();
    assert!(page.contains("not available yet"), "{page}");
    assert!(page.contains("at least 20"), "{page}");
    assert_eq!(
        browser
            .get("/reports/representativeness.csv")
            .await
            .status()
            .as_u16(),
        403
    );

    let one_more = crowd(&app.db, "x", 1, sex("male"), now).await;
    apply(&app.db, &one_more, b.food_packing.id, "applied").await;
    let page = browser.get_text("/reports/representativeness", 200).await;
    assert!(
        page.contains("Peckham Food Hub"),
        "their own organisation by default"
    );
    // Never another organisation's, never the borough's.
    let other = browser
        .get("/reports/representativeness?organisation=walworth-befrienders")
        .await;
    assert_eq!(other.status().as_u16(), 403);
    let hub = browser
        .get(&format!(
            "/reports/representativeness?hub={}",
            b.peckham_hub.id
        ))
        .await;
    assert_eq!(hub.status().as_u16(), 403);
}

async fn coordinators_volunteers_and_visitors_see_only_what_they_may(app: TestApp) {
    let b = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "coord@example.org",
            coordinates_hub: Some(b.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let coordinator = Browser::new(&app);
    coordinator.sign_in(&app.db, "coord@example.org").await;
    let page = coordinator
        .get_text("/reports/representativeness", 200)
        .await;
    assert!(
        page.contains("Peckham Community Hub"),
        "their hub by default"
    );
    let other = coordinator
        .get(&format!(
            "/reports/representativeness?hub={}",
            b.walworth_hub.id
        ))
        .await;
    assert_eq!(other.status().as_u16(), 403);
    // An organisation of their hub: yes; of another hub: no.
    assert_eq!(
        coordinator
            .get("/reports/representativeness.json?organisation=peckham-food-hub")
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        coordinator
            .get("/reports/representativeness.json?organisation=walworth-befrienders")
            .await
            .status()
            .as_u16(),
        403
    );

    add_person(
        &app.db,
        PersonSpec {
            email: "vol@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let volunteer = Browser::new(&app);
    volunteer.sign_in(&app.db, "vol@example.org").await;
    for path in [
        "/reports/representativeness",
        "/reports/representativeness.csv",
        "/reports/representativeness.json",
        "/api/v1/reports/representativeness",
    ] {
        assert_eq!(volunteer.get(path).await.status().as_u16(), 403, "{path}");
    }

    let res = app.get("/reports/representativeness").await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).starts_with("/sign-in?next=%2Freports%2Frepresentativeness"));
    assert_eq!(
        app.get("/api/v1/reports/representativeness")
            .await
            .status()
            .as_u16(),
        401
    );
}

async fn every_report_view_is_audited(app: TestApp) {
    let browser = admin_browser(&app).await;
    for path in [
        "/reports/representativeness",
        "/reports/representativeness.csv",
        "/reports/representativeness.json",
        "/api/v1/reports/representativeness",
    ] {
        assert_eq!(browser.get(path).await.status().as_u16(), 200, "{path}");
    }
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("report.representativeness.view"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    let formats: Vec<String> = rows
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.detail).unwrap()["format"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for f in ["page", "csv", "json", "api"] {
        assert!(formats.iter().any(|x| x == f), "{f} in {formats:?}");
    }
    // A refused view writes nothing.
    let count_before = audit_log::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(
        browser
            .get("/reports/representativeness?from=yesterday")
            .await
            .status()
            .as_u16(),
        400
    );
    assert_eq!(
        audit_log::Entity::find().count(&app.db).await.unwrap(),
        count_before
    );
}

async fn bad_filters_are_a_400_naming_the_field(app: TestApp) {
    let browser = admin_browser(&app).await;
    for (query, field) in [
        ("from=2025-13-01", "from"),
        ("to=tomorrow", "to"),
        ("from=2025-06-01&to=2025-01-01", "from"),
        ("hub=no-such-hub", "hub"),
        ("organisation=nobody", "organisation"),
        ("cause=juggling", "cause"),
    ] {
        let res = browser
            .get(&format!("/api/v1/reports/representativeness?{query}"))
            .await;
        assert_eq!(res.status().as_u16(), 400, "{query}");
        let body: Value = res.json().await.unwrap();
        assert!(body["fields"][field].is_string(), "{query}: {body}");
        let page = browser
            .get(&format!("/reports/representativeness?{query}"))
            .await;
        assert_eq!(page.status().as_u16(), 400, "{query}");
    }
}

async fn equality_answers_never_reach_organisations(app: TestApp) {
    let b = borough(&app.db).await;
    let ada = add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            name: "Ada Volunteer",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(ada.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let now = OffsetDateTime::now_utc();
    equality_monitoring::ActiveModel {
        user_id: Set(ada.id),
        consented_at: Set(now),
        sex: Set(Some("female".into())),
        ethnic_group: Set(Some("white".into())),
        ethnicity: Set(Some("white_roma".into())),
        religion: Set(Some("buddhist".into())),
        sexual_orientation: Set(Some("bisexual".into())),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    apply(&app.db, &[profile.id], b.food_packing.id, "accepted").await;
    log_hours(&app.db, &[profile.id], b.food_packing.id, 3).await;
    let application_id = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(profile.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    add_person(
        &app.db,
        PersonSpec {
            email: "org-admin@example.org",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let org = Browser::new(&app);
    org.sign_in(&app.db, "org-admin@example.org").await;
    let org_id = b.food_hub.id;
    for path in [
        format!("/applications/{application_id}"),
        format!("/organisations/{org_id}/hours"),
        format!("/organisations/{org_id}/hours.csv"),
        format!("/organisations/{org_id}/dashboard"),
    ] {
        let res = org.get(&path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let body = res.text().await.unwrap();
        if path.starts_with("/applications/") {
            assert!(body.contains("Ada"), "{path} is about Ada");
        }
        for secret in [
            "white_roma",
            "Roma",
            "buddhist",
            "Buddhist",
            "bisexual",
            "Bisexual",
        ] {
            assert!(!body.contains(secret), "{path} shows {secret}");
        }
    }
}

/// `hubmatch report representativeness` prints exactly the library's published
/// figures (the page's CSV and JSON come from the same functions), suppressed.
async fn report_command(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let settings = hubmatch::config::Settings {
        data_dir: dir.path().to_path_buf(),
        database_url: database_url.clone(),
        db_max_connections: 2,
        ..hubmatch::config::Settings::default()
    };
    let db = hubmatch::db::prepare(&settings).await.unwrap();
    let b = borough(&db).await;
    let now = OffsetDateTime::now_utc();
    crowd(&db, "w", 40, ethnicity("white_british"), now).await;
    let few = crowd(&db, "b", 3, ethnicity("black_caribbean"), now).await;
    apply(&db, &few, b.food_packing.id, "applied").await;
    let db_args = match &database_url {
        Some(url) => vec!["--database-url".to_owned(), url.clone()],
        None => vec!["--data-dir".to_owned(), dir.path().display().to_string()],
    };
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hubmatch"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("HUBMATCH_DATABASE_URL")
            .env_remove("HUBMATCH_DATA_DIR")
            .args(&db_args)
            .args(["report", "representativeness"])
            .args(args)
            .output()
            .expect("run hubmatch")
    };
    let today = now.date();
    let filter = hubmatch::models::representativeness::ReportFilter {
        hub: None,
        organisation: None,
        cause: None,
        from: None,
        to: today,
    };
    let expected = hubmatch::models::representativeness::report(&db, &filter)
        .await
        .unwrap();

    let out = run(&["--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv, hubmatch::models::representativeness::to_csv(&expected));
    assert!(csv.contains("registered,ethnic_group,black,suppressed,"));
    for line in csv.lines().skip(1) {
        if let Ok(n) = line.split(',').nth(3).unwrap_or("").parse::<u64>() {
            assert!(n == 0 || n >= 5, "{line}");
        }
    }

    let out = run(&["--format", "json", "--org", "peckham-food-hub"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        stage(&json, "applied")["volunteers"],
        "suppressed",
        "3 applicants"
    );
    assert_protected(&json);
    let web = serde_json::to_value(&expected).unwrap();
    let all: Value = serde_json::from_slice(&run(&["--format", "json"]).stdout).unwrap();
    assert_same(&all, &web, "");

    let out = run(&["--from", "last week"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from"), "{err}");
    let out = run(&["--org", "nobody"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--org"));
    let views = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("report.representativeness.view"))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(views, 3, "each successful run is audited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_command_sqlite() {
    report_command(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_command_postgres() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
        return;
    };
    let url = hubmatch::db::create_scratch_database(&admin_url, "hm_test")
        .await
        .unwrap();
    report_command(Some(url)).await;
}

/// Equal JSON, numbers to 1e-12 relative (printed floats need not read back bit for bit).
fn assert_same(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1e-300),
                "{at}: {x} vs {y}"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_same(x, y, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (k, v) in x {
                assert_same(v, &y[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

async fn the_demos_planted_skew_shows_up_and_every_output_agrees(app: TestApp) {
    hubmatch::seed::seed_demo(
        &app.db,
        &hubmatch::seed::DemoOptions {
            volunteers: 2000,
            seed: 7,
            progress: false,
            today: OffsetDateTime::now_utc().date(),
        },
    )
    .await
    .expect("seed the demo");
    let browser = admin_browser(&app).await;
    let report = report_json(&browser, "").await;
    assert_protected(&report);
    let registered = stage(&report, "registered");
    let ethnicity = dimension(registered, "ethnicity");
    // The demo over-represents white British volunteers and under-represents Black
    // African ones, as formal volunteering in Southwark does.
    assert_eq!(
        row(ethnicity, "white_british")["flag"],
        "over",
        "{ethnicity}"
    );
    assert_eq!(
        row(ethnicity, "black_african")["flag"],
        "under",
        "{ethnicity}"
    );
    assert!(
        ethnicity["prefer_not_to_say"].as_u64().unwrap() > 0,
        "prefer not to say is shown"
    );

    // CSV, JSON and page agree on the same figure.
    let count = row(ethnicity, "white_british")["count"].as_u64().unwrap();
    let csv = browser
        .get_text("/reports/representativeness.csv", 200)
        .await;
    let line = csv
        .lines()
        .find(|l| l.starts_with("registered,ethnicity,white_british,"))
        .expect("white British in the CSV");
    assert_eq!(
        line.split(',').nth(3),
        Some(count.to_string().as_str()),
        "{line}"
    );
    let page = browser.get_text("/reports/representativeness", 200).await;
    assert!(
        page.contains(&format!(">{count}<")),
        "the page shows {count}"
    );
    assert!(page.contains("Under-represented"));
    assert!(
        page.contains("Send an opportunities digest"),
        "outreach from an under flag"
    );
}
