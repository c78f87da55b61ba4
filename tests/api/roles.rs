//! Finding roles: filters return exactly the right open roles, pages and JSON agree.
use crate::fixtures::{self, PECKHAM, RYE_LANE};
use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    filters_by_cause_and_ward_return_exactly_the_matching_open_roles,
    hub_filter_includes_roles_of_member_organisations_without_a_hub,
    remote_and_youth_filters_narrow_the_list,
    pages_of_results_cover_every_open_role_once,
    a_role_page_shows_its_details_and_sessions,
    drafts_are_not_public_and_closed_roles_say_so,
    bad_filters_are_a_400_naming_the_parameter,
    the_filter_form_keeps_the_visitors_choices,
);

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

async fn filters_by_cause_and_ward_return_exactly_the_matching_open_roles(app: TestApp) {
    fixtures::borough(&app.db).await;

    let all = app.get_json("/api/v1/roles", 200).await;
    assert_eq!(
        titles(&all),
        [
            "Food parcel packer",
            "Meal delivery driver",
            "Telephone befriender"
        ]
    );
    assert_eq!(all["total"], 3);

    let food = app.get_json("/api/v1/roles?cause=food-poverty", 200).await;
    assert_eq!(
        titles(&food),
        ["Food parcel packer", "Meal delivery driver"]
    );

    let food_in_peckham = app
        .get_json(
            &format!("/api/v1/roles?cause=food-poverty&ward={PECKHAM}"),
            200,
        )
        .await;
    assert_eq!(titles(&food_in_peckham), ["Food parcel packer"]);

    let older_in_rye_lane = app
        .get_json(
            &format!("/api/v1/roles?cause=older-people&ward={RYE_LANE}"),
            200,
        )
        .await;
    assert_eq!(titles(&older_in_rye_lane), ["Meal delivery driver"]);

    // Several causes: a role with any of them.
    let either = app
        .get_json("/api/v1/roles?cause=older-people&cause=food-poverty", 200)
        .await;
    assert_eq!(either["total"], 3);

    // A cause with no roles is an empty list, not an error.
    let none = app.get_json("/api/v1/roles?cause=heritage", 200).await;
    assert_eq!(none["total"], 0);

    // The HTML page lists the same roles.
    let html = app
        .get_text(&format!("/roles?cause=food-poverty&ward={PECKHAM}"), 200)
        .await;
    assert!(html.contains("Food parcel packer"));
    assert!(!html.contains("Meal delivery driver"));
    assert!(html.contains("1 role match your filters"), "{html}");
}

async fn hub_filter_includes_roles_of_member_organisations_without_a_hub(app: TestApp) {
    fixtures::borough(&app.db).await;
    let walworth = app.get_json("/api/v1/roles?hub=walworth-hub", 200).await;
    assert_eq!(titles(&walworth), ["Telephone befriender"]);
    let peckham = app.get_json("/api/v1/roles?hub=peckham-hub", 200).await;
    assert_eq!(
        titles(&peckham),
        ["Food parcel packer", "Meal delivery driver"]
    );
    let org = app
        .get_json("/api/v1/roles?organisation=walworth-befrienders", 200)
        .await;
    assert_eq!(titles(&org), ["Telephone befriender"]);
}

async fn remote_and_youth_filters_narrow_the_list(app: TestApp) {
    fixtures::borough(&app.db).await;
    assert_eq!(
        titles(&app.get_json("/api/v1/roles?remote=yes", 200).await),
        ["Meal delivery driver"]
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/roles?youth=yes", 200).await),
        ["Meal delivery driver"]
    );
    assert_eq!(
        app.get_json("/api/v1/roles?youth=no", 200).await["total"],
        3
    );
}

async fn pages_of_results_cover_every_open_role_once(app: TestApp) {
    fixtures::borough(&app.db).await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let json = app
            .get_json(&format!("/api/v1/roles?per_page=1&page={page}"), 200)
            .await;
        assert_eq!(json["total"], 3);
        assert_eq!(json["page"], page);
        assert_eq!(json["per_page"], 1);
        seen.extend(titles(&json));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "Food parcel packer",
            "Meal delivery driver",
            "Telephone befriender"
        ]
    );
    // Closing soonest first: the meal delivery role closes in 10 days, the packer in 30,
    // befriending never.
    let first = app.get_json("/api/v1/roles?per_page=1", 200).await;
    assert_eq!(titles(&first), ["Meal delivery driver"]);
    let beyond = app.get_json("/api/v1/roles?page=9", 200).await;
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
}

async fn a_role_page_shows_its_details_and_sessions(app: TestApp) {
    let b = fixtures::borough(&app.db).await;
    let html = app
        .get_text(&format!("/roles/{}", b.food_packing.id), 200)
        .await;
    assert!(html.contains("<h1 class=\"govuk-heading-xl\">Food parcel packer</h1>"));
    assert!(html.contains("Peckham Food Hub"));
    assert!(html.contains("Upcoming sessions"));
    assert!(html.contains("(2 places)"));
    assert!(!html.contains("no longer taking applications"));

    let json = app
        .get_json(&format!("/api/v1/roles/{}", b.food_packing.id), 200)
        .await;
    assert_eq!(json["title"], "Food parcel packer");
    assert_eq!(json["organisation"]["name"], "Peckham Food Hub");
    assert_eq!(json["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(json["causes"][0]["slug"], "food-poverty");
    let hybrid = app
        .get_text(&format!("/roles/{}", b.meal_delivery.id), 200)
        .await;
    assert!(
        hybrid.contains("Hybrid – Rye Lane (SE15) and from home"),
        "{hybrid}"
    );
    assert!(hybrid.contains("14 or over, youth-friendly"));
    let open_ended = app
        .get_json(&format!("/api/v1/roles/{}", b.befriending.id), 200)
        .await;
    assert!(open_ended["closes_at"].is_null());
    assert!(open_ended["hub"].is_null());
    // Timestamps are RFC 3339.
    let closes = json["closes_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(closes, &time::format_description::well_known::Rfc3339).is_ok(),
        "{closes}"
    );
}

async fn drafts_are_not_public_and_closed_roles_say_so(app: TestApp) {
    let b = fixtures::borough(&app.db).await;
    app.get_text(&format!("/roles/{}", b.draft.id), 404).await;
    app.get_json(&format!("/api/v1/roles/{}", b.draft.id), 404)
        .await;
    for closed in [&b.closed, &b.expired] {
        let html = app.get_text(&format!("/roles/{}", closed.id), 200).await;
        assert!(
            html.contains("no longer taking applications"),
            "{}",
            closed.title
        );
    }
    let list = app.get_text("/roles", 200).await;
    for hidden in ["Draft role", "Closed role", "Expired role"] {
        assert!(!list.contains(hidden), "{hidden} listed");
    }
}

async fn bad_filters_are_a_400_naming_the_parameter(app: TestApp) {
    fixtures::borough(&app.db).await;
    let cases = [
        ("cause=no-such-cause", "cause"),
        ("ward=E05999999", "ward"),
        ("ward=Peckham", "ward"),
        ("hub=nowhere", "hub"),
        ("organisation=nobody", "organisation"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("per_page=5000", "per_page"),
        ("sort=random", "sort"),
        ("remote=perhaps", "remote"),
    ];
    for (query, field) in cases {
        let json = app.get_json(&format!("/api/v1/roles?{query}"), 400).await;
        assert!(
            json["error"].as_str().unwrap().contains(field),
            "{query}: {json}"
        );
        assert!(json["fields"][field].is_string(), "{query}: {json}");
        let html = app.get_text(&format!("/roles?{query}"), 400).await;
        assert!(
            html.contains("There is a problem with the filters"),
            "{query}"
        );
        assert!(
            html.contains(&format!("href=\"#filter-{field}\"")),
            "{query}"
        );
    }
    let json = app.get_json("/api/v1/roles/abc", 400).await;
    assert!(json["fields"]["id"].is_string(), "{json}");
    app.get_text("/roles/abc", 400).await;
    app.get_text("/roles/999999", 404).await;
    app.get_json("/api/v1/roles/999999", 404).await;
}

async fn the_filter_form_keeps_the_visitors_choices(app: TestApp) {
    fixtures::borough(&app.db).await;
    let html = app
        .get_text(
            &format!("/roles?cause=food-poverty&ward={PECKHAM}&youth=yes&sort=newest"),
            200,
        )
        .await;
    assert!(html.contains(r#"value="food-poverty" checked"#));
    assert!(html.contains(&format!(r#"value="{PECKHAM}" selected"#)));
    assert!(html.contains(r#"name="youth" type="checkbox" value="yes" checked"#));
    assert!(html.contains(r#"value="newest" selected"#));
    assert!(html.contains("Clear filters"));
}
