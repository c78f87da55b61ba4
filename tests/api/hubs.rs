//! Community hub pages: their organisations and the roles posted through them.
use crate::fixtures;
use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(hubs_list_and_pages);

async fn hubs_list_and_pages(app: TestApp) {
    let b = fixtures::borough(&app.db).await;
    let html = app.get_text("/hubs", 200).await;
    assert!(html.contains("Peckham Community Hub") && html.contains("Walworth Hub"));

    let html = app
        .get_text(&format!("/hubs/{}", b.walworth_hub.id), 200)
        .await;
    assert!(html.contains("Walworth Befrienders"));
    assert!(
        html.contains("Telephone befriender"),
        "a role of a member organisation shows at its hub"
    );
    assert!(html.contains("Open roles (1)"));

    let json = app
        .get_json(&format!("/api/v1/hubs/{}", b.peckham_hub.id), 200)
        .await;
    assert_eq!(json["ward"]["slug"], "E05011110");
    let list = app.get_json("/api/v1/hubs", 200).await;
    assert_eq!(list["total"], 2);
    app.get_text("/hubs/0", 400).await;
    app.get_text("/hubs/12345", 404).await;
}
