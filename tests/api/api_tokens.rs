//! API tokens: a person's own and an organisation's, shown once, stored hashed, working
//! as bearer tokens until revoked; and `/api/v1/me`, who the API sees.
use hubmatch::auth::tokens::hash_token;
use hubmatch::entities::{api_token, audit_log, membership};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::fixtures::borough;
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

/// The token a page shows just after creating it.
fn secret_on(page: &str) -> String {
    let marker = "id=\"new-token\">";
    let start = page.find(marker).expect("a token on the page") + marker.len();
    page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// GET with `Authorization: Bearer <token>`: status and JSON body.
async fn bearer_get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, json)
}

async fn create_personal_token(browser: &Browser, name: &str) -> String {
    let res = browser.post("/account/api-tokens", &[("name", name)]).await;
    assert_eq!(res.status().as_u16(), 200);
    secret_on(&res.text().await.unwrap())
}

async fn a_personal_token_is_shown_once_stored_hashed_and_works_as_a_bearer_token(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;

    let secret = create_personal_token(&browser, "Rota spreadsheet").await;
    assert!(secret.len() > 40, "{secret}");

    let rows = api_token::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.user_id, ada.id);
    assert_eq!(row.organisation_id, None);
    assert_eq!(row.name, "Rota spreadsheet");
    assert_eq!(row.token_hash, hash_token(&secret), "only the hash is kept");
    assert!(secret.starts_with(&row.prefix));
    assert!(row.prefix.len() < secret.len() / 2);
    for column in [&row.name, &row.prefix, &row.token_hash] {
        assert!(
            !column.contains(&secret),
            "the token itself is stored nowhere"
        );
    }

    let list = browser.get_text("/account/api-tokens", 200).await;
    assert!(list.contains("Rota spreadsheet"));
    assert!(list.contains(&row.prefix));
    assert!(!list.contains(&secret), "shown once only");

    let (status, me) = bearer_get(&app, "/api/v1/me", &secret).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["id"], ada.id);
    assert_eq!(me["email"], "ada@example.org");
    assert_eq!(me["display_name"], "Ada Volunteer");
    assert_eq!(me["alliance_admin"], false);
    assert_eq!(me["organisations"], serde_json::json!([]));
    assert_eq!(me["token"]["kind"], "personal");
    assert_eq!(me["token"]["organisation_id"], Value::Null);
    let used = api_token::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(used.last_used_at.is_some());
    let created = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("api_token.create"))
        .filter(audit_log::Column::ActorUserId.eq(ada.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(created, 1);
}

async fn a_revoked_token_stops_working_at_once(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let secret = create_personal_token(&browser, "Script").await;
    assert_eq!(bearer_get(&app, "/api/v1/me", &secret).await.0, 200);

    let id = api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let res = browser
        .post(&format!("/account/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/api-tokens");

    let (status, body) = bearer_get(&app, "/api/v1/me", &secret).await;
    assert_eq!(status, 401);
    assert!(
        body["error"].as_str().unwrap().contains("API token"),
        "{body}"
    );
    assert!(
        browser
            .get_text("/account/api-tokens", 200)
            .await
            .contains("Revoked")
    );
    let revoked = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("api_token.revoke"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(revoked, 1);
}

async fn missing_or_wrong_tokens_get_a_json_401(app: TestApp) {
    let res = app.get("/api/v1/me").await;
    assert_eq!(res.status().as_u16(), 401);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");
    for token in ["hm_not-a-real-token", "nope", ""] {
        let (status, body) = bearer_get(&app, "/api/v1/me", token).await;
        assert_eq!(status, 401, "{token:?}: {body}");
    }
    let res = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .header("authorization", "Basic YWRhOnNlY3JldA==")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401, "only bearer tokens");
}

async fn nobody_revokes_someone_elses_token(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    people::volunteer(&app, "bob@example.org").await;
    let ada = Browser::new(&app);
    ada.sign_in(&app.db, "ada@example.org").await;
    let secret = create_personal_token(&ada, "Ada's script").await;
    let id = api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    let bob = Browser::new(&app);
    bob.sign_in(&app.db, "bob@example.org").await;
    let res = bob
        .post(&format!("/account/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 404, "not even told it exists");
    assert!(
        !bob.get_text("/account/api-tokens", 200)
            .await
            .contains("Ada's script")
    );
    assert_eq!(bearer_get(&app, "/api/v1/me", &secret).await.0, 200);
}

async fn a_token_needs_a_name(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let res = browser.post("/account/api-tokens", &[("name", "  ")]).await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("govuk-error-summary"), "{body}");
    assert!(body.contains("href=\"#name\""));
    assert!(body.contains("Enter a name for the token"));
    let long = "x".repeat(81);
    let res = browser
        .post("/account/api-tokens", &[("name", &long)])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(api_token::Entity::find().count(&app.db).await.unwrap(), 0);
}

async fn an_organisation_token_acts_for_its_organisation_and_nothing_personal(app: TestApp) {
    let b = borough(&app.db).await;
    let org = b.food_hub.id;
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "admin@foodhub.org",
            name: "Food Hub Admin",
            organisation: Some((org, "admin")),
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    add_person(
        &app.db,
        PersonSpec {
            email: "staff@foodhub.org",
            organisation: Some((org, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    add_person(
        &app.db,
        PersonSpec {
            email: "admin@befrienders.org",
            organisation: Some((b.befrienders.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;

    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "admin@foodhub.org").await;
    let page = browser
        .get_text(&format!("/organisations/{org}/api-tokens"), 200)
        .await;
    assert!(page.contains("Peckham Food Hub"));
    let res = browser
        .post(
            &format!("/organisations/{org}/api-tokens"),
            &[("name", "Volunteer database sync")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let secret = secret_on(&res.text().await.unwrap());
    let row = api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.organisation_id, Some(org));
    assert_eq!(row.user_id, admin.id);
    assert_eq!(row.token_hash, hash_token(&secret));
    assert!(
        !browser
            .get_text("/account/api-tokens", 200)
            .await
            .contains("Volunteer database sync"),
        "an organisation's token is not a personal one"
    );

    let (status, me) = bearer_get(&app, "/api/v1/me", &secret).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["token"]["kind"], "organisation");
    assert_eq!(me["token"]["organisation_id"], org);
    assert_eq!(
        me["organisations"],
        serde_json::json!([{"id": org, "name": "Peckham Food Hub", "role": "staff"}]),
        "it acts as staff of its organisation, not as its creator"
    );
    assert_eq!(me["hubs"], serde_json::json!([]));

    let (status, body) = bearer_get(&app, "/api/v1/me/export", &secret).await;
    assert_eq!(
        status, 403,
        "no personal data through an organisation's token: {body}"
    );

    // Staff and other organisations' admins do not manage these tokens.
    for email in ["staff@foodhub.org", "admin@befrienders.org"] {
        let other = Browser::new(&app);
        other.sign_in(&app.db, email).await;
        let res = other.get(&format!("/organisations/{org}/api-tokens")).await;
        assert_eq!(res.status().as_u16(), 403, "{email}");
        let res = other
            .post(
                &format!("/organisations/{org}/api-tokens/{}/revoke", row.id),
                &[],
            )
            .await;
        assert_eq!(res.status().as_u16(), 403, "{email}");
    }
    assert_eq!(bearer_get(&app, "/api/v1/me", &secret).await.0, 200);

    // Under another organisation's address this admin has no say at all.
    let res = browser
        .post(
            &format!(
                "/organisations/{}/api-tokens/{}/revoke",
                b.befrienders.id, row.id
            ),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 403);

    let res = browser
        .post(
            &format!("/organisations/{org}/api-tokens/{}/revoke", row.id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(bearer_get(&app, "/api/v1/me", &secret).await.0, 401);
}

async fn a_browser_session_calls_the_api_as_itself(app: TestApp) {
    let b = borough(&app.db).await;
    let coordinator = add_person(
        &app.db,
        PersonSpec {
            email: "coord@example.org",
            name: "Cora Coordinator",
            coordinates_hub: Some(b.peckham_hub.id),
            organisation: Some((b.befrienders.id, "admin")),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "coord@example.org").await;
    let res = browser.get("/api/v1/me").await;
    assert_eq!(res.status().as_u16(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["id"], coordinator.id);
    assert_eq!(me["token"]["kind"], "session");
    assert_eq!(
        me["hubs"],
        serde_json::json!([{"id": b.peckham_hub.id, "name": "Peckham Community Hub"}])
    );
    assert_eq!(
        me["organisations"],
        serde_json::json!([{"id": b.befrienders.id, "name": "Walworth Befrienders", "role": "admin"}])
    );
}

async fn an_organisation_token_stops_working_when_its_creator_leaves(app: TestApp) {
    let b = borough(&app.db).await;
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "admin@foodhub.org",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let secret =
        hubmatch::models::api_tokens::create(&app.db, admin.id, Some(b.food_hub.id), "sync")
            .await
            .unwrap()
            .secret;
    assert_eq!(bearer_get(&app, "/api/v1/me", &secret).await.0, 200);

    membership::Entity::delete_many()
        .filter(membership::Column::UserId.eq(admin.id))
        .exec(&app.db)
        .await
        .unwrap();
    let (status, body) = bearer_get(&app, "/api/v1/me", &secret).await;
    assert_eq!(
        status, 401,
        "a former admin's token no longer acts for the organisation: {body}"
    );
}

on_both_databases!(
    a_personal_token_is_shown_once_stored_hashed_and_works_as_a_bearer_token,
    a_revoked_token_stops_working_at_once,
    missing_or_wrong_tokens_get_a_json_401,
    nobody_revokes_someone_elses_token,
    a_token_needs_a_name,
    an_organisation_token_acts_for_its_organisation_and_nothing_personal,
    a_browser_session_calls_the_api_as_itself,
    an_organisation_token_stops_working_when_its_creator_leaves,
);
