//! The volunteering journey entirely through `/api/v1` with bearer tokens: an
//! organisation posts a role with a session and opens it, a volunteer finds it and
//! applies, the organisation accepts, the volunteer logs hours, the organisation confirms,
//! and the totals, the history and the queued emails all show it.
use hubmatch::email::OutboxEmail;
use hubmatch::entities::outbox;
use hubmatch::models::api_tokens;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::fixtures::{PECKHAM, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{PersonSpec, add_person, adult_birthday};

/// A bearer-token client for one caller.
pub struct Caller<'a> {
    pub app: &'a TestApp,
    pub token: String,
}

impl<'a> Caller<'a> {
    pub fn new(app: &'a TestApp, token: &str) -> Self {
        Self {
            app,
            token: token.to_owned(),
        }
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let url = format!("{}{path}", self.app.base);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .app
            .client
            .request(method.clone(), &url)
            .bearer_auth(&self.token);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("{method} {path} answered {status}, not JSON ({e}): {text}")
        });
        (status, json)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send("POST", path, Some(&body.to_string())).await
    }

    /// Expects `status`; returns the body.
    pub async fn expect(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        status: u16,
    ) -> Value {
        let text = body.map(Value::to_string);
        let (got, json) = self.send(method, path, text.as_deref()).await;
        assert_eq!(
            got, status,
            "{method} {path} on {}: {json}",
            self.app.backend
        );
        json
    }
}

/// The emails queued so far, oldest first: (kind, email).
pub async fn queued(app: &TestApp) -> Vec<(String, OutboxEmail)> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.kind.starts_with("email."))
        .map(|row| {
            let email: OutboxEmail = serde_json::from_str(&row.payload).unwrap();
            (row.kind, email)
        })
        .collect()
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// A day some days ahead, as `YYYY-MM-DD`, and a session on it from 10:00 to 13:00 UTC
/// (the same day in London, in summer or winter).
fn ahead(days: i64) -> (String, String, String) {
    let d = (OffsetDateTime::now_utc() + Duration::days(days)).date();
    let day = format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    (
        day.clone(),
        format!("{day}T10:00:00Z"),
        format!("{day}T13:00:00Z"),
    )
}

/// A complete role body, ready to open.
pub fn role_body(title: &str, places: i32) -> Value {
    let (closes_on, _, _) = ahead(30);
    json!({
        "title": title,
        "summary": "Pack food parcels for families on Saturday mornings",
        "description": "## What you'll do\n\nPack and label parcels with a friendly team.",
        "causes": ["food-poverty"],
        "skills": [{"skill": "listening", "min_level": 2}],
        "location_type": "in_person",
        "ward": PECKHAM,
        "postcode_district": "se15",
        "min_age": 16,
        "youth_friendly": false,
        "dbs_required": false,
        "places": places,
        "commitment": "regular",
        "hours_per_week": 3,
        "closes_on": closes_on,
        "contact_name": "Ama Mensah",
        "contact_email": "rota@peckhamfood.example.org",
        "hub": "peckham-hub",
    })
}

async fn the_whole_journey_works_through_the_api(app: TestApp) {
    let b = borough(&app.db).await;
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "ama@peckhamfood.example.org",
            name: "Ama Mensah",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let volunteer = add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            name: "Ada Lovelace",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let org_token = api_tokens::create(&app.db, admin.id, Some(b.food_hub.id), "rota")
        .await
        .unwrap();
    let own_token = api_tokens::create(&app.db, volunteer.id, None, "my phone")
        .await
        .unwrap();
    let org = Caller::new(&app, &org_token.secret);
    let ada = Caller::new(&app, &own_token.secret);
    let org_id = b.food_hub.id;

    // The organisation's token posts a draft role with a session, then opens it.
    let created = org
        .expect(
            "POST",
            &format!("/api/v1/organisations/{org_id}/roles"),
            Some(&role_body("Saturday parcel packer", 2)),
            201,
        )
        .await;
    assert_eq!(created["status"], "draft", "{created}");
    assert_eq!(created["postcode_district"], "SE15");
    assert_eq!(created["skills"][0]["min_level"], 2);
    let role_id = created["id"].as_i64().unwrap();
    let (_, starts_at, ends_at) = ahead(5);
    let session = org
        .expect(
            "POST",
            &format!("/api/v1/roles/{role_id}/sessions"),
            Some(&json!({"starts_at": starts_at, "ends_at": ends_at, "places": 2})),
            201,
        )
        .await;
    let session_id = session["id"].as_i64().unwrap();
    let sessions = org
        .expect(
            "GET",
            &format!("/api/v1/roles/{role_id}/sessions"),
            None,
            200,
        )
        .await;
    assert_eq!(ids(&sessions), vec![session_id]);
    assert_eq!(
        OffsetDateTime::parse(
            sessions["items"][0]["starts_at"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339
        )
        .unwrap(),
        OffsetDateTime::parse(&starts_at, &time::format_description::well_known::Rfc3339).unwrap()
    );
    // A draft is not public yet.
    let public = ada
        .expect("GET", "/api/v1/roles?per_page=100", None, 200)
        .await;
    assert!(!ids(&public).contains(&role_id));
    let opened = org
        .expect("POST", &format!("/api/v1/roles/{role_id}/open"), None, 200)
        .await;
    assert_eq!(opened["status"], "open");
    let drafts = org
        .expect(
            "GET",
            &format!("/api/v1/organisations/{org_id}/roles?status=open&per_page=100"),
            None,
            200,
        )
        .await;
    assert!(ids(&drafts).contains(&role_id), "{drafts}");

    // The volunteer finds it, in the public list and under its hub, and applies.
    let found = ada
        .expect(
            "GET",
            "/api/v1/roles?organisation=peckham-food-hub&per_page=100",
            None,
            200,
        )
        .await;
    assert!(ids(&found).contains(&role_id), "{found}");
    let at_hub = ada
        .expect(
            "GET",
            &format!("/api/v1/hubs/{}/roles?per_page=100", b.peckham_hub.id),
            None,
            200,
        )
        .await;
    assert!(ids(&at_hub).contains(&role_id), "{at_hub}");
    let applied = ada
        .expect(
            "POST",
            &format!("/api/v1/roles/{role_id}/applications"),
            Some(&json!({"message": "I can come most Saturdays.", "session_ids": [session_id]})),
            201,
        )
        .await;
    assert_eq!(applied["status"], "applied", "{applied}");
    assert_eq!(applied["sessions"][0]["id"], session_id);
    let application_id = applied["id"].as_i64().unwrap();
    let mine = ada
        .expect("GET", "/api/v1/me/applications", None, 200)
        .await;
    assert_eq!(ids(&mine), vec![application_id]);
    assert_eq!(mine["total"], 1);

    // The organisation sees it waiting and accepts.
    let waiting = org
        .expect(
            "GET",
            &format!("/api/v1/organisations/{org_id}/applications?status=applied&role={role_id}"),
            None,
            200,
        )
        .await;
    assert_eq!(ids(&waiting), vec![application_id]);
    assert_eq!(waiting["items"][0]["volunteer_name"], "Ada Lovelace");
    let accepted = org
        .expect(
            "POST",
            &format!("/api/v1/applications/{application_id}/decision"),
            Some(&json!({"decision": "accept", "message": "See you on Saturday!"})),
            200,
        )
        .await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["role"]["accepted"], 1);

    // The volunteer logs hours on the day; the organisation confirms them.
    let today = hubmatch::domain::london_time::to_london(OffsetDateTime::now_utc()).date();
    let worked_on = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let logged = ada
        .expect(
            "POST",
            &format!("/api/v1/applications/{application_id}/hours"),
            Some(&json!({"worked_on": worked_on, "minutes": 150, "note": "Induction"})),
            201,
        )
        .await;
    assert_eq!(logged["status"], "claimed");
    assert_eq!(logged["worked_on"], worked_on.as_str());
    let hours_id = logged["id"].as_i64().unwrap();
    let to_confirm = org
        .expect(
            "GET",
            &format!("/api/v1/organisations/{org_id}/hours?status=claimed"),
            None,
            200,
        )
        .await;
    assert_eq!(ids(&to_confirm), vec![hours_id]);
    assert_eq!(to_confirm["total_confirmed_minutes"], 0);
    let confirmed = org
        .expect(
            "POST",
            &format!("/api/v1/hours/{hours_id}/review"),
            Some(&json!({"decision": "confirm", "note": "Thank you"})),
            200,
        )
        .await;
    assert_eq!(confirmed["status"], "confirmed");

    // The totals show the minutes, for the organisation, the role and the volunteer.
    let totals = org
        .expect(
            "GET",
            &format!("/api/v1/organisations/{org_id}/hours/totals"),
            None,
            200,
        )
        .await;
    assert_eq!(totals["total_confirmed_minutes"], 150, "{totals}");
    let this_role = totals["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role_id"] == role_id)
        .unwrap();
    assert_eq!(this_role["confirmed_minutes"], 150);
    let listed = org
        .expect(
            "GET",
            &format!("/api/v1/organisations/{org_id}/hours"),
            None,
            200,
        )
        .await;
    assert_eq!(listed["total_confirmed_minutes"], 150);
    let own_hours = ada.expect("GET", "/api/v1/me/hours", None, 200).await;
    assert_eq!(own_hours["total_confirmed_minutes"], 150);
    assert_eq!(ids(&own_hours), vec![hours_id]);

    // The history lists every transition, for the volunteer and the organisation alike.
    for who in [&ada, &org] {
        let detail = who
            .expect(
                "GET",
                &format!("/api/v1/applications/{application_id}"),
                None,
                200,
            )
            .await;
        let moves: Vec<(Value, Value)> = detail["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["from"].clone(), h["to"].clone()))
            .collect();
        assert_eq!(
            moves,
            vec![
                (Value::Null, json!("applied")),
                (json!("applied"), json!("accepted")),
            ]
        );
        assert_eq!(detail["history"][1]["by"], "Ama Mensah");
    }

    // Every transition queued its email, to the right people.
    let emails = queued(&app).await;
    let sent = |kind: &str, to: &str| {
        emails
            .iter()
            .any(|(k, e)| k == kind && e.to.eq_ignore_ascii_case(to))
    };
    for (kind, to) in [
        ("email.application_received", "ada@example.org"),
        ("email.application_new", "rota@peckhamfood.example.org"),
        ("email.application_accepted", "ada@example.org"),
        ("email.hours_to_confirm", "rota@peckhamfood.example.org"),
        ("email.hours_confirmed", "ada@example.org"),
    ] {
        assert!(sent(kind, to), "no {kind} to {to}: {:?}", emails);
    }
    let accepted_email = emails
        .iter()
        .find(|(k, _)| k == "email.application_accepted")
        .unwrap();
    assert!(
        accepted_email.1.text_body.contains("See you on Saturday!"),
        "{}",
        accepted_email.1.text_body
    );

    // Closing the role takes it out of the public list.
    let closed = org
        .expect("POST", &format!("/api/v1/roles/{role_id}/close"), None, 200)
        .await;
    assert_eq!(closed["status"], "closed");
    let public = ada
        .expect("GET", "/api/v1/roles?per_page=100", None, 200)
        .await;
    assert!(!ids(&public).contains(&role_id));
}

async fn a_volunteer_withdraws_and_an_organisation_edits_its_role(app: TestApp) {
    let b = borough(&app.db).await;
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "staff@peckhamfood.example.org",
            organisation: Some((b.food_hub.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let volunteer = add_person(
        &app.db,
        PersonSpec {
            email: "bo@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let org = api_tokens::create(&app.db, admin.id, Some(b.food_hub.id), "t")
        .await
        .unwrap();
    let own = api_tokens::create(&app.db, volunteer.id, None, "t")
        .await
        .unwrap();
    let (org, bo) = (
        Caller::new(&app, &org.secret),
        Caller::new(&app, &own.secret),
    );

    // A PATCH changes only what it sends, keeping everything else as saved.
    let role = b.meal_delivery.id;
    let edited = org
        .expect(
            "PATCH",
            &format!("/api/v1/roles/{role}"),
            Some(&json!({"title": "Meal delivery driver (weekends)", "hours_per_week": null})),
            200,
        )
        .await;
    assert_eq!(edited["title"], "Meal delivery driver (weekends)");
    assert_eq!(edited["hours_per_week"], Value::Null);
    assert_eq!(edited["summary"], b.meal_delivery.summary.as_str());
    assert_eq!(edited["status"], "open");

    let applied = bo
        .expect(
            "POST",
            &format!("/api/v1/roles/{role}/applications"),
            Some(&json!({})),
            201,
        )
        .await;
    let id = applied["id"].as_i64().unwrap();
    let withdrawn = bo
        .expect(
            "POST",
            &format!("/api/v1/applications/{id}/withdraw"),
            None,
            200,
        )
        .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    let again = bo
        .expect(
            "POST",
            &format!("/api/v1/applications/{id}/withdraw"),
            None,
            409,
        )
        .await;
    assert!(again["fields"]["status"].is_string(), "{again}");
    let emails = queued(&app).await;
    assert!(
        emails
            .iter()
            .any(|(k, e)| k == "email.application_withdrawn" && e.to == "bo@example.org"),
        "{emails:?}"
    );
    let only_withdrawn = bo
        .expect("GET", "/api/v1/me/applications?status=withdrawn", None, 200)
        .await;
    assert_eq!(ids(&only_withdrawn), vec![id]);
    let none_accepted = bo
        .expect("GET", "/api/v1/me/applications?status=accepted", None, 200)
        .await;
    assert_eq!(none_accepted["total"], 0);
}

on_both_databases!(
    the_whole_journey_works_through_the_api,
    a_volunteer_withdraws_and_an_organisation_edits_its_role
);
