//! The OpenAPI document: well formed, every reference resolves, every path parameter is
//! declared, and every documented operation answers on the running app (so the
//! document and the routes cannot drift apart).
use std::collections::BTreeSet;

use serde_json::Value;

use crate::fixtures::borough;
use crate::helpers::TestApp;
use crate::on_both_databases;

/// `#/components/schemas/Name` references anywhere in `v`.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.insert(s.to_owned());
                    }
                } else {
                    refs(x, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

async fn the_document_is_well_formed_and_matches_the_routes(app: TestApp) {
    let b = borough(&app.db).await;
    let doc = app.get_json("/api/openapi.json", 200).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "hubmatch API");
    let paths = doc["paths"].as_object().expect("paths");

    // The public routes of the walking skeleton and the accounts issue are all there.
    for expected in [
        "/api/v1/roles",
        "/api/v1/roles/{id}",
        "/api/v1/organisations",
        "/api/v1/organisations/{id}",
        "/api/v1/hubs",
        "/api/v1/hubs/{id}",
        "/api/v1/me",
        "/api/v1/me/export",
        "/api/v1/organisations/{id}/roles",
        "/api/v1/roles/{id}/open",
        "/api/v1/roles/{id}/close",
        "/api/v1/roles/{id}/sessions",
        "/api/v1/roles/{id}/applications",
        "/api/v1/me/applications",
        "/api/v1/organisations/{id}/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/decision",
        "/api/v1/applications/{id}/withdraw",
        "/api/v1/applications/{id}/hours",
        "/api/v1/me/hours",
        "/api/v1/organisations/{id}/hours",
        "/api/v1/organisations/{id}/hours/totals",
        "/api/v1/hours/{id}/review",
        "/api/v1/hubs/{id}/roles",
        "/api/v1/reports/representativeness",
        "/api/v1/me/recommendations",
        "/api/v1/roles/{id}/suggested-volunteers",
        "/api/v1/search/roles",
        "/api/v1/search/volunteers",
        "/api/v1/pathways",
        "/api/v1/me/pathways",
        "/api/v1/me/pathways/dofe",
        "/api/v1/me/pathways/stages/{stage_id}/hours",
        "/api/v1/pathways/{slug}/enrol",
        "/api/v1/pathways/{slug}/stages",
        "/api/v1/pathway-stages/{id}/requirements",
        "/api/v1/organisations/{id}/sign-offs",
        "/api/v1/organisations/{id}/training",
        "/api/v1/roles/{id}/pathway-stages",
        "/api/v1/certificates/{serial}",
        "/api/v1/certificates/{serial}/verify",
        "/api/v1/certificates/{serial}/revoke",
        "/api/v1/reports/pathways",
        "/api/v1/social-referrals",
        "/api/v1/social-referrals/{id}",
        "/api/v1/social-referrals/{id}/status",
        "/api/v1/social-referrals/{id}/outcomes",
    ] {
        assert!(paths.contains_key(expected), "{expected} is not documented");
    }
    // A path served by several routers keeps every method's operation.
    for (path, method) in [
        ("/api/v1/roles/{id}", "get"),
        ("/api/v1/roles/{id}", "patch"),
        ("/api/v1/organisations/{id}/roles", "get"),
        ("/api/v1/organisations/{id}/roles", "post"),
        ("/api/v1/roles/{id}/sessions", "post"),
        ("/api/v1/social-referrals", "get"),
        ("/api/v1/social-referrals", "post"),
    ] {
        assert!(
            paths[path].get(method).is_some(),
            "{} {path} is not documented",
            method.to_uppercase()
        );
    }

    // Every reference points at a schema that exists.
    let mut found = BTreeSet::new();
    refs(&doc, &mut found);
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for r in &found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {r}"));
        assert!(schemas.contains_key(name), "{r} does not resolve");
    }

    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path} is outside /api/v1");
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object();
            assert!(
                responses.is_some_and(|r| !r.is_empty()),
                "{method} {path} documents no responses"
            );
            // Every {param} in the path is declared as a path parameter.
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            for segment in path.split('/') {
                if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    assert!(
                        declared.contains(name),
                        "{method} {path}: {{{name}}} not declared"
                    );
                }
            }
            // The documented GET routes answer (401 where a token is needed), never 404.
            if method == "get" {
                let id = if path.starts_with("/api/v1/roles/") {
                    b.food_packing.id
                } else if path.starts_with("/api/v1/organisations/") {
                    b.food_hub.id
                } else {
                    b.peckham_hub.id
                };
                let concrete = path.replace("{id}", &id.to_string());
                if concrete.contains('{') {
                    continue;
                }
                let status = app.get(&concrete).await.status().as_u16();
                assert!(
                    [200, 401].contains(&status),
                    "GET {concrete} answered {status}"
                );
            }
        }
    }
}

async fn swagger_ui_is_served_from_our_own_files(app: TestApp) {
    let res = app.get("/api/docs/").await;
    assert_eq!(res.status().as_u16(), 200);
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("'unsafe-inline'"),
        "Swagger UI styles itself inline: {policy}"
    );
    let elsewhere = app.get("/roles").await;
    let strict = elsewhere.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        !strict.contains("unsafe-inline"),
        "only Swagger UI is relaxed: {strict}"
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    assert!(
        !html.contains("https://"),
        "no assets from elsewhere: {html}"
    );
}

on_both_databases!(
    the_document_is_well_formed_and_matches_the_routes,
    swagger_ui_is_served_from_our_own_files
);
