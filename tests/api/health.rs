//! Liveness and readiness, and the home page of a fresh install.
use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    health_and_readiness_answer,
    an_empty_install_still_has_a_home_page
);

async fn health_and_readiness_answer(app: TestApp) {
    assert_eq!(app.get_json("/healthz", 200).await["status"], "ok");
    let ready = app.get_json("/readyz", 200).await;
    assert_eq!(ready["checks"]["database"], "ok");
}

async fn an_empty_install_still_has_a_home_page(app: TestApp) {
    let html = app.get_text("/", 200).await;
    assert!(html.contains("0</span> open roles"), "{html}");
    app.get_text("/roles", 200).await;
    app.get_text("/organisations", 200).await;
    app.get_text("/hubs", 200).await;
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::sqlite().await;
    app.db.clone().close().await.expect("close pool");
    let ready = app.get_json("/readyz", 503).await;
    assert_eq!(ready["checks"]["database"], "unreachable");
    assert_eq!(
        app.get_json("/healthz", 200).await["status"],
        "ok",
        "liveness does not depend on the database"
    );
}
