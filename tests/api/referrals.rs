//! The hub coordinator's dashboard (only their hub's roles, waiting volunteers, hours;
//! nobody else's) and cross-hub referrals: create, email, accept (an application under the
//! normal rules), decline, someone else's referral, duplicates and bad input.
use hubmatch::email::OutboxEmail;
use hubmatch::entities::{
    application, application_event, application_session, audit_log, outbox, referral, role_session,
    volunteer_profile,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use time::Duration;

use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};
use crate::volunteer_dashboard::{add_application, add_hours, profile_of};

struct Hubs {
    town: Borough,
    /// Coordinates the Peckham hub.
    peckham: Browser,
}

async fn hubs(app: &TestApp) -> Hubs {
    let town = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "coordinator@example.org",
            name: "Cora Coordinator",
            coordinates_hub: Some(town.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let peckham = Browser::new(app);
    peckham.sign_in(&app.db, "coordinator@example.org").await;
    Hubs { town, peckham }
}

async fn volunteer(app: &TestApp, email: &'static str, name: &'static str, open: bool) -> i32 {
    add_person(
        &app.db,
        PersonSpec {
            email,
            name,
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = profile_of(&app.db, email).await;
    let id = profile.id;
    let mut row: volunteer_profile::ActiveModel = profile.into();
    row.open_to_suggestions = Set(open);
    row.update(&app.db).await.unwrap();
    id
}

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = Browser::new(app);
    b.sign_in(&app.db, email).await;
    b
}

async fn referrals_of(db: &DatabaseConnection, volunteer_id: i32) -> Vec<referral::Model> {
    referral::Entity::find()
        .filter(referral::Column::VolunteerId.eq(volunteer_id))
        .order_by_asc(referral::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn applications_of(db: &DatabaseConnection, volunteer_id: i32) -> Vec<application::Model> {
    application::Entity::find()
        .filter(application::Column::VolunteerId.eq(volunteer_id))
        .all(db)
        .await
        .unwrap()
}

fn section<'a>(page: &'a str, id: &str, next: &str) -> &'a str {
    page.split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("section {id}"))
        .split(&format!("id=\"{next}\""))
        .next()
        .unwrap()
}

async fn the_hub_dashboard_shows_only_the_hubs_roles_waiting_volunteers_and_hours(app: TestApp) {
    let h = hubs(&app).await;
    let t = &h.town;
    let ada = volunteer(&app, "ada@example.org", "Ada Okafor", false).await;
    let bo = volunteer(&app, "bo@example.org", "Bo Mensah", false).await;
    let now = hubmatch::db::now();
    add_application(&app.db, t.food_packing.id, ada, "accepted", &[], now).await;
    add_application(&app.db, t.food_packing.id, bo, "accepted", &[], now).await;
    // Waiting 8 days on a Peckham role, 2 days on another: only the first is "waiting".
    add_application(
        &app.db,
        t.meal_delivery.id,
        ada,
        "applied",
        &[],
        now - Duration::days(8),
    )
    .await;
    add_application(
        &app.db,
        t.meal_delivery.id,
        bo,
        "waitlisted",
        &[],
        now - Duration::days(2),
    )
    .await;
    // Waiting long, but in Walworth: not this hub's.
    add_application(
        &app.db,
        t.befriending.id,
        bo,
        "applied",
        &[],
        now - Duration::days(20),
    )
    .await;
    let today = hubmatch::domain::london_time::to_london(now).date();
    add_hours(&app.db, ada, t.food_packing.id, 90, "confirmed", today).await;
    add_hours(
        &app.db,
        ada,
        t.food_packing.id,
        120,
        "confirmed",
        today - Duration::days(100),
    )
    .await;
    add_hours(&app.db, ada, t.food_packing.id, 300, "claimed", today).await;
    add_hours(&app.db, bo, t.befriending.id, 600, "confirmed", today).await;

    let page = h
        .peckham
        .get_text(&format!("/hubs/{}/dashboard", t.peckham_hub.id), 200)
        .await;
    let roles = section(&page, "roles", "refer");
    assert!(roles.contains("Food parcel packer"), "{roles}");
    assert!(roles.contains("2 of 4 (50%)"), "fill rate: {roles}");
    assert!(roles.contains("Meal delivery driver"));
    for not_here in [
        "Telephone befriender",
        "Draft role",
        "Closed role",
        "Expired role",
    ] {
        assert!(!roles.contains(not_here), "{not_here}");
    }
    let unfilled = section(&page, "unfilled", "waiting");
    assert!(
        unfilled.contains("Meal delivery driver"),
        "closes in 10 days"
    );
    assert!(
        !unfilled.contains("Food parcel packer"),
        "half full, 30 days left"
    );
    let waiting = section(&page, "waiting", "roles");
    assert!(
        waiting.contains("Ada Okafor") && waiting.contains("8 days"),
        "{waiting}"
    );
    assert!(
        !waiting.contains("Bo Mensah"),
        "2 days is not long; Walworth is not this hub"
    );
    assert!(
        !page.contains("ada@example.org"),
        "names only, no addresses"
    );
    assert!(
        page.contains("id=\"hours-month\">1 hour 30 minutes<"),
        "{page}"
    );
    assert!(page.contains("id=\"hours-total\">3 hours 30 minutes<"));

    // Another hub's coordinator, a volunteer, an organisation's admin: not theirs.
    add_person(
        &app.db,
        PersonSpec {
            email: "walworth@example.org",
            coordinates_hub: Some(t.walworth_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    add_person(
        &app.db,
        PersonSpec {
            email: "admin@food.example.org",
            organisation: Some((t.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let path = format!("/hubs/{}/dashboard", t.peckham_hub.id);
    for email in [
        "walworth@example.org",
        "ada@example.org",
        "admin@food.example.org",
    ] {
        signed_in(&app, email).await.get_text(&path, 403).await;
    }
    let res = app.get(&path).await;
    assert!(location(&res).starts_with("/sign-in"));
    h.peckham.get_text("/hubs/99999/dashboard", 403).await;
}

async fn a_referral_is_emailed_and_accepting_it_applies(app: TestApp) {
    let h = hubs(&app).await;
    let ada = volunteer(&app, "ada@example.org", "Ada Okafor", true).await;
    let role = h.town.befriending.id.to_string();
    let res = h
        .peckham
        .post(
            &format!("/hubs/{}/referrals", h.town.peckham_hub.id),
            &[
                ("volunteer_email", "ADA@example.org"),
                ("role_id", &role),
                ("note", "You'd be great at this; they need callers."),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(
        location(&res),
        format!("/hubs/{}/dashboard?notice=referred", h.town.peckham_hub.id)
    );
    let r = referrals_of(&app.db, ada).await.pop().expect("a referral");
    assert_eq!(r.status, "pending");
    assert_eq!(r.from_hub_id, Some(h.town.peckham_hub.id));
    assert!(r.referred_by.is_some());

    let queued = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("email.referral"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an email to the volunteer");
    let email: OutboxEmail = serde_json::from_str(&queued.payload).unwrap();
    assert_eq!(email.to, "ada@example.org");
    assert!(email.subject.contains("Telephone befriender"));
    assert!(email.text_body.contains("Peckham Community Hub"));
    assert!(email.text_body.contains("they need callers"));
    assert!(
        email.text_body.contains(&format!("{}/dashboard", app.base)),
        "{}",
        email.text_body
    );
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("referral.create"))
        .filter(audit_log::Column::SubjectId.eq(r.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    let ada_browser = signed_in(&app, "ada@example.org").await;
    let page = ada_browser.get_text("/dashboard", 200).await;
    let suggested = section(&page, "referrals", "applications");
    assert!(suggested.contains("Telephone befriender"));
    assert!(suggested.contains("Peckham Community Hub suggested this role"));
    assert!(suggested.contains(&format!("action=\"/referrals/{}/accept\"", r.id)));

    let res = ada_browser
        .post(&format!("/referrals/{}/accept", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/dashboard?notice=referral-accepted");
    let apps = applications_of(&app.db, ada).await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].role_id, h.town.befriending.id);
    assert_eq!(apps[0].status, "applied");
    let event = application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(apps[0].id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.to_status, "applied");
    assert_eq!(event.note, "Applied (referred by Peckham Community Hub)");
    assert_eq!(referrals_of(&app.db, ada).await[0].status, "accepted");

    // Answering twice is refused, and changes nothing.
    let res = ada_browser
        .post(&format!("/referrals/{}/decline", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("You have already answered this referral")
    );
    assert_eq!(referrals_of(&app.db, ada).await[0].status, "accepted");
}

async fn accepting_follows_the_application_rules(app: TestApp) {
    let h = hubs(&app).await;
    let t = &h.town;
    let ada = volunteer(&app, "ada@example.org", "Ada Okafor", true).await;
    let session = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(t.food_packing.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let role = t.food_packing.id.to_string();
    h.peckham
        .post(
            &format!("/hubs/{}/referrals", t.peckham_hub.id),
            &[("volunteer_email", "ada@example.org"), ("role_id", &role)],
        )
        .await;
    let r = referrals_of(&app.db, ada).await.pop().unwrap();
    let ada_browser = signed_in(&app, "ada@example.org").await;
    // The role has a session: one must be chosen, as when applying.
    let res = ada_browser
        .post(&format!("/referrals/{}/accept", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Choose at least one session you can come to"),
        "{body}"
    );
    assert!(body.contains(&format!("href=\"#referral-{}\"", r.id)));
    assert!(applications_of(&app.db, ada).await.is_empty());
    assert_eq!(referrals_of(&app.db, ada).await[0].status, "pending");

    let sid = session.id.to_string();
    let res = ada_browser
        .post(
            &format!("/referrals/{}/accept", r.id),
            &[("sessions", &sid)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let apps = applications_of(&app.db, ada).await;
    assert_eq!(apps.len(), 1);
    let chosen = application_session::Entity::find()
        .filter(application_session::Column::ApplicationId.eq(apps[0].id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].session_id, session.id);

    // A 15-year-old referred to an adults-only role cannot accept it.
    let today = time::OffsetDateTime::now_utc().date();
    add_person(
        &app.db,
        PersonSpec {
            email: "young@example.org",
            born: Some(today.replace_year(today.year() - 15).unwrap_or(today)),
            ..PersonSpec::default()
        },
    )
    .await;
    let young = profile_of(&app.db, "young@example.org").await;
    let mut row: volunteer_profile::ActiveModel = young.clone().into();
    row.open_to_suggestions = Set(true);
    row.update(&app.db).await.unwrap();
    let adults_only = t.befriending.id.to_string();
    h.peckham
        .post(
            &format!("/hubs/{}/referrals", t.peckham_hub.id),
            &[
                ("volunteer_email", "young@example.org"),
                ("role_id", &adults_only),
            ],
        )
        .await;
    let r = referrals_of(&app.db, young.id)
        .await
        .pop()
        .expect("referred");
    let res = signed_in(&app, "young@example.org")
        .await
        .post(&format!("/referrals/{}/accept", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 403);
    assert!(applications_of(&app.db, young.id).await.is_empty());
    assert_eq!(referrals_of(&app.db, young.id).await[0].status, "pending");
}

async fn declining_and_someone_elses_referral(app: TestApp) {
    let h = hubs(&app).await;
    let ada = volunteer(&app, "ada@example.org", "Ada Okafor", true).await;
    volunteer(&app, "bo@example.org", "Bo Mensah", true).await;
    let role = h.town.befriending.id.to_string();
    h.peckham
        .post(
            &format!("/hubs/{}/referrals", h.town.peckham_hub.id),
            &[("volunteer_email", "ada@example.org"), ("role_id", &role)],
        )
        .await;
    let r = referrals_of(&app.db, ada).await.pop().unwrap();

    let bo = signed_in(&app, "bo@example.org").await;
    for answer in ["accept", "decline"] {
        let res = bo.post(&format!("/referrals/{}/{answer}", r.id), &[]).await;
        assert_eq!(res.status().as_u16(), 404, "{answer}");
    }
    // The coordinator who made it cannot answer for the volunteer either.
    let res = h
        .peckham
        .post(&format!("/referrals/{}/accept", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(
        bo.post("/referrals/99999/accept", &[])
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(referrals_of(&app.db, ada).await[0].status, "pending");

    let ada_browser = signed_in(&app, "ada@example.org").await;
    let res = ada_browser
        .post(&format!("/referrals/{}/decline", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/dashboard?notice=referral-declined");
    let r = referrals_of(&app.db, ada).await.pop().unwrap();
    assert_eq!(r.status, "declined");
    assert!(r.decided_at.is_some());
    assert!(applications_of(&app.db, ada).await.is_empty());
    let page = ada_browser.get_text("/dashboard", 200).await;
    assert!(!page.contains("Roles suggested for you"));
}

async fn bad_and_duplicate_referrals_are_refused_by_field(app: TestApp) {
    let h = hubs(&app).await;
    let t = &h.town;
    let ada = volunteer(&app, "ada@example.org", "Ada Okafor", true).await;
    let shy = volunteer(&app, "shy@example.org", "Shy Volunteer", false).await;
    let path = format!("/hubs/{}/referrals", t.peckham_hub.id);
    let befriending = t.befriending.id.to_string();
    let closed = t.closed.id.to_string();
    let refuse = async |fields: &[(&str, &str)], field: &str, why: &str| {
        let res = h.peckham.post(&path, fields).await;
        assert_eq!(res.status().as_u16(), 400, "{why}");
        let body = res.text().await.unwrap();
        assert!(body.contains(why), "{why}: {body}");
        assert!(body.contains(&format!("href=\"#{field}\"")), "{field}");
    };
    refuse(&[], "volunteer_email", "Enter the volunteer").await;
    refuse(
        &[("volunteer_email", "ada@example.org")],
        "role_id",
        "Choose a role to refer them to",
    )
    .await;
    let no_one = "There is no volunteer with that email address";
    refuse(
        &[
            ("volunteer_email", "nobody@example.org"),
            ("role_id", &befriending),
        ],
        "volunteer_email",
        no_one,
    )
    .await;
    // Not opted in and never applied in this hub.
    refuse(
        &[
            ("volunteer_email", "shy@example.org"),
            ("role_id", &befriending),
        ],
        "volunteer_email",
        no_one,
    )
    .await;
    refuse(
        &[("volunteer_email", "ada@example.org"), ("role_id", &closed)],
        "role_id",
        "Choose a role that is open for applications",
    )
    .await;
    let long = "x".repeat(1001);
    refuse(
        &[
            ("volunteer_email", "ada@example.org"),
            ("role_id", &befriending),
            ("note", &long),
        ],
        "note",
        "Your note must be 1000 characters or fewer",
    )
    .await;
    assert!(
        referral::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        outbox::Entity::find()
            .filter(outbox::Column::Kind.eq("email.referral"))
            .count(&app.db)
            .await
            .unwrap(),
        0,
        "no email for a refused referral"
    );

    // Having applied for one of the hub's roles is enough to be referred.
    add_application(
        &app.db,
        t.meal_delivery.id,
        shy,
        "applied",
        &[],
        hubmatch::db::now(),
    )
    .await;
    let ok = [
        ("volunteer_email", "shy@example.org"),
        ("role_id", befriending.as_str()),
    ];
    assert_eq!(h.peckham.post(&path, &ok).await.status().as_u16(), 303);
    // The same volunteer and role again, while the first waits: refused.
    refuse(
        &ok,
        "role_id",
        "This volunteer already has a referral to this role waiting for their answer",
    )
    .await;
    assert_eq!(referrals_of(&app.db, shy).await.len(), 1);
    let _ = ada;

    // Only the hub's coordinators may refer, checked before the form is read.
    let res = signed_in(&app, "ada@example.org")
        .await
        .post(&path, &[])
        .await;
    assert_eq!(res.status().as_u16(), 403);
}

/// Ten coordinators' clicks at once make one waiting referral; the rest are told it
/// exists (a 400 naming the role), never a 500. The database holds the line: a second
/// waiting referral cannot be written even directly, while answered ones may repeat.
async fn one_waiting_referral_per_volunteer_and_role_even_at_once(app: TestApp) {
    let Hubs { town, peckham } = hubs(&app).await;
    let volunteer_id = volunteer(&app, "vic@example.org", "Vic Volunteer", true).await;
    let role_id = town.befriending.id.to_string();
    let path = format!("/hubs/{}/referrals", town.peckham_hub.id);
    let token = peckham.csrf().await;
    let mut clicks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        // The same browser (cookies are shared through its jar), ten requests at once.
        let request = peckham
            .client
            .post(format!("{}{path}", peckham.base))
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("volunteer_email", "vic@example.org"),
                ("role_id", role_id.as_str()),
                ("note", "You'd be great at this"),
                ("csrf_token", token.as_str()),
            ]);
        clicks.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = clicks.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [303, 400].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(referrals_of(&app.db, volunteer_id).await.len(), 1);

    let row = |status: &str| referral::ActiveModel {
        volunteer_id: Set(volunteer_id),
        role_id: Set(town.befriending.id),
        note: Set(String::new()),
        status: Set(status.into()),
        created_at: Set(hubmatch::db::now()),
        ..Default::default()
    };
    assert!(
        row("pending").insert(&app.db).await.is_err(),
        "a second waiting referral"
    );
    row("declined")
        .insert(&app.db)
        .await
        .expect("answered ones may repeat");
    row("declined")
        .insert(&app.db)
        .await
        .expect("answered ones may repeat");
}

on_both_databases!(
    one_waiting_referral_per_volunteer_and_role_even_at_once,
    the_hub_dashboard_shows_only_the_hubs_roles_waiting_volunteers_and_hours,
    a_referral_is_emailed_and_accepting_it_applies,
    accepting_follows_the_application_rules,
    declining_and_someone_elses_referral,
    bad_and_duplicate_referrals_are_refused_by_field,
);
