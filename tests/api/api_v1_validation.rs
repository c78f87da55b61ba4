//! Bad input and refusals on `/api/v1`: malformed JSON, wrong types, missing fields, bad
//! choices and numbers out of range are a 400 naming each field, with nothing written;
//! closed roles, applying twice, too young and over-filling are clear 4xx; another
//! organisation's token, no token and another volunteer's token are turned away.
use hubmatch::entities::{application, hours_log, role, role_session};
use hubmatch::models::api_tokens;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime};

use crate::api_v1_journey::{Caller, role_body};
use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{PersonSpec, add_person, adult_birthday};

struct World<'a> {
    b: Borough,
    /// The food hub's token.
    food: Caller<'a>,
    /// The befrienders' token.
    befrienders: Caller<'a>,
    ada: Caller<'a>,
    bo: Caller<'a>,
}

async fn world(app: &TestApp) -> World<'_> {
    let b = borough(&app.db).await;
    let food_staff = add_person(
        &app.db,
        PersonSpec {
            email: "staff@food.example.org",
            organisation: Some((b.food_hub.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let befriender = add_person(
        &app.db,
        PersonSpec {
            email: "staff@befrienders.example.org",
            organisation: Some((b.befrienders.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let mut tokens = Vec::new();
    for (user, org) in [
        (food_staff.id, Some(b.food_hub.id)),
        (befriender.id, Some(b.befrienders.id)),
    ] {
        tokens.push(
            api_tokens::create(&app.db, user, org, "t")
                .await
                .unwrap()
                .secret,
        );
    }
    for email in ["ada@example.org", "bo@example.org"] {
        let person = add_person(
            &app.db,
            PersonSpec {
                email,
                born: Some(adult_birthday()),
                ..PersonSpec::default()
            },
        )
        .await;
        tokens.push(
            api_tokens::create(&app.db, person.id, None, "t")
                .await
                .unwrap()
                .secret,
        );
    }
    World {
        b,
        food: Caller::new(app, &tokens[0]),
        befrienders: Caller::new(app, &tokens[1]),
        ada: Caller::new(app, &tokens[2]),
        bo: Caller::new(app, &tokens[3]),
    }
}

async fn role_count(app: &TestApp) -> u64 {
    role::Entity::find().count(&app.db).await.unwrap()
}

/// Asserts a 400 whose `fields` name exactly `names` (and says why for each).
fn names_fields(status: u16, body: &Value, names: &[&str]) {
    assert_eq!(status, 400, "{body}");
    let fields = body["fields"].as_object().expect("fields");
    let mut got: Vec<&str> = fields.keys().map(String::as_str).collect();
    got.sort_unstable();
    let mut want = names.to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "{body}");
    for (name, why) in fields {
        assert!(
            why.as_str().is_some_and(|w| !w.is_empty()),
            "{name}: {body}"
        );
    }
    assert!(body["error"].is_string(), "{body}");
}

async fn bad_role_bodies_name_every_field_and_write_nothing(app: TestApp) {
    let w = world(&app).await;
    let path = format!("/api/v1/organisations/{}/roles", w.b.food_hub.id);
    let before = role_count(&app).await;

    // Malformed JSON, and JSON that is not an object.
    let (status, body) = w.food.send("POST", &path, Some("{\"title\": ")).await;
    names_fields(status, &body, &["body"]);
    let (status, body) = w.food.send("POST", &path, Some("[1, 2]")).await;
    names_fields(status, &body, &["body"]);

    // Wrong types, each named, and an unknown field.
    let mut bad = role_body("Packer", 2);
    bad["title"] = json!(5);
    bad["places"] = json!("four");
    bad["youth_friendly"] = json!("yes");
    bad["causes"] = json!("food-poverty");
    bad["skills"] = json!([{"skill": "listening"}]);
    bad["titel"] = json!("typo");
    let (status, body) = w.food.post(&path, &bad).await;
    names_fields(
        status,
        &body,
        &[
            "causes",
            "places",
            "skills",
            "title",
            "titel",
            "youth_friendly",
        ],
    );
    assert_eq!(body["fields"]["titel"], "is not a field of this request");
    assert_eq!(body["fields"]["places"], "must be a whole number");

    // Missing required fields: the role form's own messages.
    let (status, body) = w.food.post(&path, &json!({})).await;
    names_fields(
        status,
        &body,
        &["postcode_district", "summary", "title", "ward"],
    );
    assert_eq!(body["fields"]["title"], "Enter a title for the role");

    // Choices that are not on the list, and numbers out of range.
    let mut bad = role_body("Packer", 2);
    bad["location_type"] = json!("on_the_moon");
    bad["commitment"] = json!("sometimes");
    bad["causes"] = json!(["knitting"]);
    bad["hub"] = json!("walworth-hub");
    bad["skills"] = json!([{"skill": "listening", "min_level": 99}]);
    bad["closes_on"] = json!("2026-02-30");
    let (status, body) = w.food.post(&path, &bad).await;
    names_fields(
        status,
        &body,
        &[
            "causes",
            "closes_on",
            "commitment",
            "hub",
            "location_type",
            "skills",
        ],
    );
    let mut bad = role_body("Packer", 0);
    bad["min_age"] = json!(120);
    bad["hours_per_week"] = json!(99);
    bad["contact_email"] = json!("not an email");
    let (status, body) = w.food.post(&path, &bad).await;
    names_fields(
        status,
        &body,
        &["contact_email", "hours_per_week", "min_age", "places"],
    );
    assert_eq!(
        body["fields"]["places"],
        "The number of places must be between 1 and 500"
    );
    let mut bad = role_body("Packer", 2);
    bad["places"] = json!(99_999_999_999_i64);
    let (status, body) = w.food.post(&path, &bad).await;
    names_fields(status, &body, &["places"]);

    assert_eq!(role_count(&app).await, before, "nothing was written");

    // A session body: bad times, ends before starts, places beyond the role's.
    let sessions = format!("/api/v1/roles/{}/sessions", w.b.food_packing.id);
    let (status, body) = w
        .food
        .post(&sessions, &json!({"starts_at": "tomorrow", "places": "2"}))
        .await;
    names_fields(status, &body, &["ends_at", "places", "starts_at"]);
    let day = (OffsetDateTime::now_utc() + Duration::days(4)).date();
    let at = |h: u8| format!("{day}T{h:02}:00:00Z");
    let (status, body) = w
        .food
        .post(
            &sessions,
            &json!({"starts_at": at(13), "ends_at": at(10), "places": 50}),
        )
        .await;
    names_fields(status, &body, &["ends_at", "places"]);
    let past = (OffsetDateTime::now_utc() - Duration::days(4)).date();
    let (status, body) = w
        .food
        .post(
            &sessions,
            &json!({"starts_at": format!("{past}T10:00:00Z"), "ends_at": format!("{past}T12:00:00Z")}),
        )
        .await;
    names_fields(status, &body, &["ends_at", "starts_at"]);
    let count = role_session::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(count, 1, "only the fixture's session");

    // Opening a role that lacks what volunteers need names what is missing.
    let created = w
        .food
        .expect(
            "POST",
            &path,
            Some(&json!({"title": "Bare", "summary": "Bare role", "location_type": "remote"})),
            201,
        )
        .await;
    let (status, body) = w
        .food
        .post(&format!("/api/v1/roles/{}/open", created["id"]), &json!({}))
        .await;
    names_fields(
        status,
        &body,
        &["contact_email", "contact_name", "description"],
    );
    // Closing a draft is a conflict, not a change.
    let (status, body) = w
        .food
        .post(
            &format!("/api/v1/roles/{}/close", created["id"]),
            &json!({}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        role::Entity::find_by_id(created["id"].as_i64().unwrap() as i32)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .status,
        "draft"
    );
}

async fn bad_decisions_and_hours_name_their_fields(app: TestApp) {
    let w = world(&app).await;
    let role = w.b.befriending.id;
    let applied = w
        .ada
        .expect(
            "POST",
            &format!("/api/v1/roles/{role}/applications"),
            Some(&json!({})),
            201,
        )
        .await;
    let id = applied["id"].as_i64().unwrap();
    let decision = format!("/api/v1/applications/{id}/decision");
    let (status, body) = w.befrienders.post(&decision, &json!({})).await;
    names_fields(status, &body, &["decision"]);
    assert_eq!(body["fields"]["decision"], "is required");
    let (status, body) = w
        .befrienders
        .post(&decision, &json!({"decision": "maybe", "message": 7}))
        .await;
    names_fields(status, &body, &["decision", "message"]);
    let (status, body) = w
        .befrienders
        .post(
            &decision,
            &json!({"decision": "accept", "message": "x".repeat(1001)}),
        )
        .await;
    names_fields(status, &body, &["message"]);
    let (status, body) = w
        .befrienders
        .send("POST", &decision, Some("not json"))
        .await;
    names_fields(status, &body, &["body"]);
    let stored = application::Entity::find_by_id(id as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "applied", "no decision was written");

    // Apply body: wrong types.
    let (status, body) =
        w.bo.post(
            &format!("/api/v1/roles/{role}/applications"),
            &json!({"session_ids": ["one"], "join_waitlist": "yes", "message": ["hi"]}),
        )
        .await;
    names_fields(status, &body, &["join_waitlist", "message", "session_ids"]);

    // Hours: only on an accepted application, with a real date and a time in range.
    let hours = format!("/api/v1/applications/{id}/hours");
    let (status, body) = w
        .ada
        .post(&hours, &json!({"worked_on": "2026-01-01", "minutes": 60}))
        .await;
    assert_eq!(status, 409, "not accepted yet: {body}");
    w.befrienders
        .expect("POST", &decision, Some(&json!({"decision": "accept"})), 200)
        .await;
    let (status, body) = w.ada.post(&hours, &json!({})).await;
    names_fields(status, &body, &["minutes", "worked_on"]);
    let (status, body) = w
        .ada
        .post(
            &hours,
            &json!({"worked_on": "01/07/2026", "minutes": "an hour"}),
        )
        .await;
    names_fields(status, &body, &["minutes", "worked_on"]);
    let today = hubmatch::domain::london_time::to_london(OffsetDateTime::now_utc()).date();
    let (status, body) = w
        .ada
        .post(
            &hours,
            &json!({"worked_on": today.to_string(), "minutes": 5000}),
        )
        .await;
    names_fields(status, &body, &["minutes"]);
    let tomorrow: Date = today + Duration::days(1);
    let (status, body) = w
        .ada
        .post(
            &hours,
            &json!({"worked_on": tomorrow.to_string(), "minutes": 60}),
        )
        .await;
    names_fields(status, &body, &["worked_on"]);
    let (status, body) = w
        .ada
        .post(
            &hours,
            &json!({"worked_on": today.to_string(), "minutes": 60, "session_id": 999_999}),
        )
        .await;
    names_fields(status, &body, &["session_id"]);
    assert_eq!(hours_log::Entity::find().count(&app.db).await.unwrap(), 0);

    // Reviewing: a decision from the list, and only once.
    let logged = w
        .ada
        .expect(
            "POST",
            &hours,
            Some(&json!({"worked_on": today.to_string(), "minutes": 60})),
            201,
        )
        .await;
    let review = format!("/api/v1/hours/{}/review", logged["id"]);
    let (status, body) = w
        .befrienders
        .post(&review, &json!({"decision": "approve"}))
        .await;
    names_fields(status, &body, &["decision"]);
    w.befrienders
        .expect("POST", &review, Some(&json!({"decision": "reject"})), 200)
        .await;
    let (status, body) = w
        .befrienders
        .post(&review, &json!({"decision": "confirm"}))
        .await;
    assert_eq!(status, 409, "{body}");

    // Query parameters are checked too.
    for (path, field) in [
        ("/api/v1/me/applications?status=lost", "status"),
        ("/api/v1/me/applications?per_page=500", "per_page"),
        ("/api/v1/me/hours?status=maybe", "status"),
    ] {
        let (status, body) = w.ada.get(path).await;
        names_fields(status, &body, &[field]);
    }
    let (status, body) = w
        .befrienders
        .get(&format!(
            "/api/v1/organisations/{}/applications?role=abc",
            w.b.befrienders.id
        ))
        .await;
    names_fields(status, &body, &["role"]);
}

async fn refusals_are_clear(app: TestApp) {
    let w = world(&app).await;
    let young = add_person(
        &app.db,
        PersonSpec {
            email: "young@example.org",
            born: Some((OffsetDateTime::now_utc() - Duration::days(15 * 365 + 30)).date()),
            ..PersonSpec::default()
        },
    )
    .await;
    let young_token = api_tokens::create(&app.db, young.id, None, "t")
        .await
        .unwrap();
    let young = Caller::new(&app, &young_token.secret);

    // A closed role.
    let (status, body) = w
        .ada
        .post(
            &format!("/api/v1/roles/{}/applications", w.b.closed.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"].as_str().unwrap().contains("closed"), "{body}");
    // A draft is not found.
    let (status, _) = w
        .ada
        .post(
            &format!("/api/v1/roles/{}/applications", w.b.draft.id),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);
    // Twice.
    let path = format!("/api/v1/roles/{}/applications", w.b.befriending.id);
    w.ada.expect("POST", &path, Some(&json!({})), 201).await;
    let (status, body) = w.ada.post(&path, &json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("already applied"),
        "{body}"
    );
    // Too young (the role is for 18 and over, and not youth-friendly).
    let (status, body) = young.post(&path, &json!({})).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["fields"]["role"].is_string(), "{body}");
    // Sessions not of this role.
    let (status, body) =
        w.bo.post(
            &format!("/api/v1/roles/{}/applications", w.b.food_packing.id),
            &json!({"session_ids": [999_999]}),
        )
        .await;
    names_fields(status, &body, &["session_ids"]);
    // An organisation's token is not a volunteer.
    let (status, _) = w.food.post(&path, &json!({})).await;
    assert_eq!(status, 403);
    assert_eq!(application::Entity::find().count(&app.db).await.unwrap(), 1);
}

async fn accepting_past_the_places_is_a_conflict(app: TestApp) {
    let w = world(&app).await;
    let mut one_place = w.b.befriending.clone().into_active_model();
    one_place.places = Set(1);
    one_place.update(&app.db).await.unwrap();
    let path = format!("/api/v1/roles/{}/applications", w.b.befriending.id);
    let first = w.ada.expect("POST", &path, Some(&json!({})), 201).await;
    let second = w.bo.expect("POST", &path, Some(&json!({})), 201).await;
    let decide = |id: &Value| format!("/api/v1/applications/{id}/decision");
    w.befrienders
        .expect(
            "POST",
            &decide(&first["id"]),
            Some(&json!({"decision": "accept"})),
            200,
        )
        .await;
    let (status, body) = w
        .befrienders
        .post(&decide(&second["id"]), &json!({"decision": "accept"}))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"].is_string(), "{body}");
    let accepted = application::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.status == "accepted")
        .count();
    assert_eq!(accepted, 1);
    // The role is full now: applying needs the waitlist, which is offered by name.
    let third = add_person(
        &app.db,
        PersonSpec {
            email: "cy@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let token = api_tokens::create(&app.db, third.id, None, "t")
        .await
        .unwrap();
    let cy = Caller::new(&app, &token.secret);
    let (status, body) = cy.post(&path, &json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["fields"]["join_waitlist"].is_string(), "{body}");
    let waiting = cy
        .expect("POST", &path, Some(&json!({"join_waitlist": true})), 201)
        .await;
    assert_eq!(waiting["status"], "waitlisted");
    // Places cannot be edited below those accepted.
    let (status, body) = w
        .befrienders
        .send(
            "PATCH",
            &format!("/api/v1/roles/{}", w.b.befriending.id),
            Some(&json!({"places": 0}).to_string()),
        )
        .await;
    names_fields(status, &body, &["places"]);
}

async fn callers_are_turned_away_from_what_is_not_theirs(app: TestApp) {
    let w = world(&app).await;
    let food = w.b.food_hub.id;
    let role = w.b.food_packing.id;
    let session = role_session::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let applied = w
        .ada
        .expect(
            "POST",
            &format!("/api/v1/roles/{role}/applications"),
            Some(&json!({"session_ids": [session.id]})),
            201,
        )
        .await;
    let application = applied["id"].as_i64().unwrap();
    w.food
        .expect(
            "POST",
            &format!("/api/v1/applications/{application}/decision"),
            Some(&json!({"decision": "accept"})),
            200,
        )
        .await;
    let today = hubmatch::domain::london_time::to_london(OffsetDateTime::now_utc()).date();
    let logged = w
        .ada
        .expect(
            "POST",
            &format!("/api/v1/applications/{application}/hours"),
            Some(&json!({"worked_on": today.to_string(), "minutes": 30})),
            201,
        )
        .await;
    let hours = logged["id"].as_i64().unwrap();

    // The organisation's routes, called with another organisation's token, even with a
    // body that is not valid: 403 before any check of the body.
    let routes: Vec<(&str, String)> = vec![
        ("GET", format!("/api/v1/organisations/{food}/roles")),
        ("POST", format!("/api/v1/organisations/{food}/roles")),
        ("PATCH", format!("/api/v1/roles/{role}")),
        ("POST", format!("/api/v1/roles/{role}/open")),
        ("POST", format!("/api/v1/roles/{role}/close")),
        ("GET", format!("/api/v1/roles/{role}/sessions")),
        ("POST", format!("/api/v1/roles/{role}/sessions")),
        ("GET", format!("/api/v1/organisations/{food}/applications")),
        ("GET", format!("/api/v1/applications/{application}")),
        (
            "POST",
            format!("/api/v1/applications/{application}/decision"),
        ),
        ("GET", format!("/api/v1/organisations/{food}/hours")),
        ("GET", format!("/api/v1/organisations/{food}/hours/totals")),
        ("POST", format!("/api/v1/hours/{hours}/review")),
    ];
    for (method, path) in &routes {
        let body = (*method != "GET").then_some("{\"nonsense\": ");
        let (status, json) = w.befrienders.send(method, path, body).await;
        assert_eq!(status, 403, "{method} {path}: {json}");
    }
    // A volunteer's own token cannot act for an organisation either.
    for (method, path) in &routes {
        if path.starts_with("/api/v1/applications/") && *method == "GET" {
            continue; // Ada's own application.
        }
        let body = (*method != "GET").then_some("{}");
        let (status, json) = w.ada.send(method, path, body).await;
        assert_eq!(status, 403, "{method} {path}: {json}");
    }

    // No token, or a wrong one: 401 everywhere.
    let personal: Vec<(&str, String)> = vec![
        ("GET", "/api/v1/me/applications".to_owned()),
        ("GET", "/api/v1/me/hours".to_owned()),
        ("POST", format!("/api/v1/roles/{role}/applications")),
        (
            "POST",
            format!("/api/v1/applications/{application}/withdraw"),
        ),
        ("POST", format!("/api/v1/applications/{application}/hours")),
    ];
    let nobody = Caller::new(&app, "hm_not-a-real-token");
    for (method, path) in routes.iter().chain(personal.iter()) {
        let body = (*method != "GET").then_some("{}");
        let (status, json) = nobody.send(method, path, body).await;
        assert_eq!(status, 401, "{method} {path}: {json}");
        let res = app
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", app.base),
            )
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        // Without a token, a state-changing call is refused before it runs (the CSRF
        // layer's 403) or asked for a token (401): never done.
        let status = res.status().as_u16();
        let allowed = if *method == "GET" {
            vec![401]
        } else {
            vec![401, 403]
        };
        assert!(
            allowed.contains(&status),
            "{method} {path} without a token: {status}"
        );
    }

    // Another volunteer's personal token: not their application to see, withdraw or log on.
    for (method, path, body) in [
        ("GET", format!("/api/v1/applications/{application}"), None),
        (
            "POST",
            format!("/api/v1/applications/{application}/withdraw"),
            Some("{}"),
        ),
        (
            "POST",
            format!("/api/v1/applications/{application}/hours"),
            Some("{\"worked_on\": \"2026-01-01\", \"minutes\": 30}"),
        ),
    ] {
        let (status, json) = w.bo.send(method, &path, body).await;
        assert!(
            [403, 404].contains(&status),
            "{method} {path}: {status} {json}"
        );
    }
    // …and their own lists hold nothing of Ada's.
    let (_, mine) = w.bo.get("/api/v1/me/applications").await;
    assert_eq!(mine["total"], 0);
    let (_, mine) = w.bo.get("/api/v1/me/hours").await;
    assert_eq!(mine["total"], 0);
    // Nothing changed on the way.
    let stored = application::Entity::find_by_id(application as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "accepted");
    let entry = hours_log::Entity::find_by_id(hours as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.status, "claimed");
}

on_both_databases!(
    bad_role_bodies_name_every_field_and_write_nothing,
    bad_decisions_and_hours_name_their_fields,
    refusals_are_clear,
    accepting_past_the_places_is_a_conflict,
    callers_are_turned_away_from_what_is_not_theirs
);
