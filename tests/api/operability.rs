//! What operators rely on: security headers everywhere, request ids, compression, body limits.
use crate::helpers::TestApp;

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::sqlite().await;
    for path in [
        "/",
        "/roles",
        "/no-such-page",
        "/api/v1/roles",
        "/static/app.css",
        "/healthz",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"))
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        let id = h
            .get("x-request-id")
            .unwrap_or_else(|| panic!("{path}: no request id"));
        assert_eq!(id.to_str().unwrap().len(), 36, "{path}: a UUID");
    }
}

#[tokio::test]
async fn a_request_id_sent_by_a_proxy_is_kept() {
    let app = TestApp::sqlite().await;
    let res = app
        .client
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "lb-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "lb-abc-123");
}

#[tokio::test]
async fn pages_are_gzipped_for_clients_that_ask() {
    let app = TestApp::sqlite().await;
    let res = app
        .client
        .get(format!("{}/static/govuk/govuk-frontend.min.css", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn oversized_request_bodies_are_refused() {
    let app = TestApp::sqlite().await;
    let res = app
        .client
        .post(format!("{}/roles", app.base))
        .body(vec![b'x'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert!(
        res.status() == 413 || res.status() == 405,
        "{}",
        res.status()
    );
}
