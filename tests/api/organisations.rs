//! The organisation directory: approved organisations only, with their hubs and roles.
use crate::fixtures;
use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    only_approved_organisations_are_public,
    an_organisation_page_lists_its_open_roles
);

async fn only_approved_organisations_are_public(app: TestApp) {
    let b = fixtures::borough(&app.db).await;
    let json = app.get_json("/api/v1/organisations", 200).await;
    let names: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Peckham Food Hub", "Walworth Befrienders"]);
    assert_eq!(json["total"], 2);
    let html = app.get_text("/organisations", 200).await;
    assert!(!html.contains("Not Yet Approved"));
    app.get_text(&format!("/organisations/{}", b.pending_org.id), 404)
        .await;
    app.get_json("/api/v1/organisations?page=x", 400).await;
}

async fn an_organisation_page_lists_its_open_roles(app: TestApp) {
    let b = fixtures::borough(&app.db).await;
    let html = app
        .get_text(&format!("/organisations/{}", b.food_hub.id), 200)
        .await;
    assert!(html.contains("Open roles (2)"), "{html}");
    assert!(html.contains("Food parcel packer") && html.contains("Meal delivery driver"));
    assert!(!html.contains("Draft role"));
    assert!(html.contains("Peckham Community Hub"));
    let json = app
        .get_json(&format!("/api/v1/organisations/{}", b.befrienders.id), 200)
        .await;
    assert_eq!(json["open_roles"], 1);
    assert_eq!(json["hubs"][0]["slug"], "walworth-hub");
}
