//! Unknown addresses: an HTML 404 page for people, a JSON 404 for the API.
use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(unknown_pages_and_api_paths_are_404s_in_their_own_format);

async fn unknown_pages_and_api_paths_are_404s_in_their_own_format(app: TestApp) {
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("Page not found") && html.contains("<html lang=\"en\""));

    let json = app.get_json("/api/v1/no-such-thing", 404).await;
    assert_eq!(json["error"], "page not found");
    assert!(json["fields"].as_object().unwrap().is_empty());

    app.get_text("/static/no-such-file.css", 404).await;
}
