//! Posting and managing roles: drafts stay private until opened, every form mistake is
//! named, sessions in London time, duplicating, and who may do any of it.
use hubmatch::entities::{
    application, application_session, role, role_cause, role_session, role_skill, skill,
    volunteer_profile,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};
use time::{Duration, OffsetDateTime};

use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::organisation_staff::audit_rows;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

on_both_databases!(
    a_role_is_drafted_opened_found_and_closed,
    every_mistake_on_the_role_form_is_named_and_nothing_is_saved,
    a_role_cannot_open_past_its_closing_date_or_without_what_volunteers_need,
    sessions_are_added_in_london_time_and_checked,
    a_session_volunteers_were_accepted_for_cannot_be_removed,
    duplicating_copies_causes_skills_and_future_sessions_into_a_draft,
    editing_keeps_the_status_and_refuses_fewer_places_than_accepted,
    only_the_organisations_people_manage_its_roles,
);

const STAFF: &str = "staff@foodhub.example";

/// A staff member of the Peckham Food Hub, signed in.
async fn food_hub_staff(app: &TestApp) -> (Borough, Browser) {
    let b = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: STAFF,
            organisation: Some((b.food_hub.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, STAFF).await;
    (b, browser)
}

/// A complete role form; `changes` replace fields (an empty value clears one).
fn role_form(title: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("title", title),
        ("summary", "Keep the community fridge stocked and tidy"),
        (
            "description",
            "## What you'll do\n\nCheck dates, stack shelves, **welcome** neighbours.",
        ),
        ("causes", "food-poverty"),
        ("causes", "environment-and-conservation"),
        ("skill_teamwork", "2"),
        ("location_type", "in_person"),
        ("ward", crate::fixtures::PECKHAM),
        ("postcode_district", "se15"),
        ("min_age", "16"),
        ("places", "3"),
        ("commitment", "regular"),
        ("hours_per_week", "2"),
        ("contact_name", "Ama Mensah"),
        ("contact_email", "fridge@foodhub.example"),
        ("hub", "peckham-hub"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (k, v) in changes {
        form.retain(|(key, _)| key != k);
        form.push(((*k).to_owned(), (*v).to_owned()));
    }
    form
}

async fn post_form(browser: &Browser, path: &str, form: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post(path, &pairs).await
}

/// The id in `/roles/{id}/…`.
fn role_id_in(path: &str) -> i32 {
    path.trim_start_matches("/roles/")
        .split('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no role id in {path}"))
}

/// Posts a new role for the food hub and returns it.
async fn post_role(app: &TestApp, browser: &Browser, org: i32, title: &str) -> role::Model {
    let res = post_form(
        browser,
        &format!("/organisations/{org}/roles/new"),
        &role_form(title, &[]),
    )
    .await;
    let to = location(&res);
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert!(to.ends_with("/sessions?done=created"), "{to}");
    find_role(&app.db, role_id_in(&to)).await
}

async fn find_role(db: &DatabaseConnection, id: i32) -> role::Model {
    role::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

async fn cause_ids_of(db: &DatabaseConnection, role_id: i32) -> Vec<i32> {
    let mut ids: Vec<i32> = role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.eq(role_id))
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|rc| rc.cause_id)
        .collect();
    ids.sort();
    ids
}

async fn role_count(db: &DatabaseConnection) -> u64 {
    role::Entity::find().count(db).await.unwrap()
}

async fn a_role_is_drafted_opened_found_and_closed(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let r = post_role(&app, &browser, b.food_hub.id, "Community fridge helper").await;
    assert_eq!(r.status, "draft");
    assert_eq!(r.postcode_district.as_deref(), Some("SE15"));
    assert_eq!(r.hub_id, Some(b.peckham_hub.id));
    assert_eq!(r.published_at, None);
    let causes = role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.eq(r.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(causes, 2);

    // A draft: the public cannot see it, its organisation can preview it.
    app.get_text(&format!("/roles/{}", r.id), 404).await;
    assert!(
        !app.get_text("/roles", 200)
            .await
            .contains("Community fridge helper")
    );
    let preview = browser
        .get_text(&format!("/roles/{}/preview", r.id), 200)
        .await;
    assert!(preview.contains("This role is a draft"));
    assert!(
        preview.contains("<strong>welcome</strong>"),
        "Markdown rendered"
    );
    let list = browser
        .get_text(&format!("/organisations/{}/roles", b.food_hub.id), 200)
        .await;
    assert!(list.contains("Community fridge helper") && list.contains("Draft"));
    assert!(list.contains("Closed role"), "every status is listed");

    let res = browser.post(&format!("/roles/{}/open", r.id), &[]).await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    let opened = find_role(&app.db, r.id).await;
    assert_eq!(opened.status, "open");
    assert!(opened.published_at.is_some());
    assert!(opened.updated_at >= r.updated_at);
    let page = app.get_text(&format!("/roles/{}", r.id), 200).await;
    assert!(page.contains("Community fridge helper"));
    assert!(page.contains("Ama Mensah"));
    let found = app
        .get_text("/roles?cause=environment-and-conservation", 200)
        .await;
    assert!(found.contains("Community fridge helper"), "in the search");
    assert_eq!(audit_rows(&app.db, "role.open").await.len(), 1);

    let res = browser.post(&format!("/roles/{}/close", r.id), &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(find_role(&app.db, r.id).await.status, "closed");
    assert!(
        !app.get_text("/roles", 200)
            .await
            .contains("Community fridge helper")
    );
    assert!(
        app.get_text(&format!("/roles/{}", r.id), 200)
            .await
            .contains("no longer taking applications")
    );
    assert_eq!(audit_rows(&app.db, "role.close").await.len(), 1);

    // Opening again keeps the first publication time.
    browser.post(&format!("/roles/{}/open", r.id), &[]).await;
    let reopened = find_role(&app.db, r.id).await;
    assert_eq!(reopened.status, "open");
    assert_eq!(reopened.published_at, opened.published_at);
}

async fn every_mistake_on_the_role_form_is_named_and_nothing_is_saved(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let before = role_count(&app.db).await;
    let new = format!("/organisations/{}/roles/new", b.food_hub.id);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("title", "  ")], "Enter a title for the role"),
        (
            &[("places", "0")],
            "The number of places must be between 1 and 500",
        ),
        (
            &[("places", "lots")],
            "Enter the number of places as a whole number, like 4",
        ),
        (
            &[("min_age", "18"), ("youth_friendly", "yes")],
            "A youth-friendly role must be open to under-18s",
        ),
        (
            &[("min_age", "12")],
            "The minimum age must be between 14 and 99",
        ),
        (
            &[("ward", "")],
            "Select the ward where the volunteering happens",
        ),
        (
            &[("location_type", "hybrid"), ("postcode_district", "")],
            "Enter the postcode district where the volunteering happens, like SE15",
        ),
        (
            &[("skill_teamwork", "16")],
            "Select a level for Teamwork from the list",
        ),
        (
            &[("location_type", "moon")],
            "Select where the volunteering happens",
        ),
        (
            &[("commitment", "")],
            "Select how often volunteers are needed",
        ),
        (
            &[("contact_email", "fridge.foodhub.example")],
            "Enter an email address in the correct format",
        ),
        (&[("causes", "knitting")], "Select causes from the list"),
        (
            &[("hub", "walworth-hub")],
            "Select one of your organisation",
        ),
        (
            &[
                ("closes_on_day", "1"),
                ("closes_on_month", "1"),
                ("closes_on_year", "2020"),
            ],
            "The closing date must be today or in the future",
        ),
        (
            &[("closes_on_day", "31"), ("closes_on_month", "2")],
            "The closing date must include a day, month and year",
        ),
    ];
    for (changes, message) in cases {
        let res = post_form(&browser, &new, &role_form("Fridge", changes)).await;
        assert_eq!(res.status().as_u16(), 400, "{changes:?}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains(message),
            "{changes:?} should say {message:?}: {body}"
        );
        assert!(body.contains("There is a problem"), "error summary");
    }
    // A remote role needs no ward, and youth-friendly is fine under 18.
    let res = post_form(
        &browser,
        &new,
        &role_form(
            "Phone buddy",
            &[
                ("location_type", "remote"),
                ("ward", ""),
                ("postcode_district", ""),
                ("min_age", "14"),
                ("youth_friendly", "yes"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        role_count(&app.db).await,
        before + 1,
        "only the good form saved"
    );
}

async fn a_role_cannot_open_past_its_closing_date_or_without_what_volunteers_need(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let r = post_role(&app, &browser, b.food_hub.id, "Late role").await;
    let mut row = r.clone().into_active_model();
    row.closes_at = Set(Some(OffsetDateTime::now_utc() - Duration::days(1)));
    row.update(&app.db).await.unwrap();
    let res = browser.post(&format!("/roles/{}/open", r.id), &[]).await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("This role cannot open yet"));
    assert!(body.contains("The closing date has passed"), "{body}");
    assert!(body.contains("href=\"#closes_on\""), "links to the field");
    assert_eq!(find_role(&app.db, r.id).await.status, "draft");

    // A draft saved without a description or contact cannot open either.
    let res = post_form(
        &browser,
        &format!("/organisations/{}/roles/new", b.food_hub.id),
        &role_form(
            "Sketchy draft",
            &[
                ("description", ""),
                ("contact_name", ""),
                ("contact_email", ""),
            ],
        ),
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    let id = role_id_in(&location(&res));
    let res = browser.post(&format!("/roles/{id}/open"), &[]).await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("Describe the role before opening it"));
    assert!(body.contains("Enter a contact name before opening the role"));
    assert_eq!(find_role(&app.db, id).await.status, "draft");
    assert!(audit_rows(&app.db, "role.open").await.is_empty());
}

/// The London date `days` from now, as the form's three fields.
fn day_from_now(days: i64) -> (String, String, String) {
    let date = (OffsetDateTime::now_utc() + Duration::days(days)).date();
    (
        date.day().to_string(),
        u8::from(date.month()).to_string(),
        date.year().to_string(),
    )
}

async fn add_session(
    browser: &Browser,
    role_id: i32,
    days: i64,
    starts: &str,
    ends: &str,
    places: &str,
) -> reqwest::Response {
    let (d, m, y) = day_from_now(days);
    browser
        .post(
            &format!("/roles/{role_id}/sessions"),
            &[
                ("date_day", &d),
                ("date_month", &m),
                ("date_year", &y),
                ("starts", starts),
                ("ends", ends),
                ("places", places),
            ],
        )
        .await
}

async fn sessions_of(db: &DatabaseConnection, role_id: i32) -> Vec<role_session::Model> {
    role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(role_id))
        .all(db)
        .await
        .unwrap()
}

async fn sessions_are_added_in_london_time_and_checked(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let r = post_role(&app, &browser, b.food_hub.id, "Saturday packer").await;

    let res = add_session(&browser, r.id, 10, "10am", "1:30pm", "2").await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    let saved = sessions_of(&app.db, r.id).await;
    assert_eq!(saved.len(), 1);
    let s = &saved[0];
    assert_eq!(s.ends_at - s.starts_at, Duration::minutes(210));
    let london = hubmatch::domain::london_time::to_london(s.starts_at);
    assert_eq!(
        (london.hour(), london.minute()),
        (10, 0),
        "stored as UTC of 10am London"
    );
    assert_eq!(s.places, Some(2));
    assert!(find_role(&app.db, r.id).await.updated_at >= r.updated_at);
    let page = browser
        .get_text(&format!("/roles/{}/sessions", r.id), 200)
        .await;
    assert!(page.contains("10am to 1:30pm"), "{page}");

    for (days, starts, ends, places, message) in [
        (
            10,
            "2pm",
            "1pm",
            "",
            "The end time must be after the start time",
        ),
        (
            10,
            "10am",
            "1pm",
            "4",
            "A session cannot have more places than the role (3)",
        ),
        (
            -2,
            "10am",
            "1pm",
            "",
            "The date of the session must be today or in the future",
        ),
        (
            10,
            "",
            "1pm",
            "",
            "Enter the start time, like 10am or 14:30",
        ),
        (
            10,
            "10am",
            "half past",
            "",
            "Enter the end time as a time of day",
        ),
    ] {
        let res = add_session(&browser, r.id, days, starts, ends, places).await;
        assert_eq!(res.status().as_u16(), 400, "{message}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
    }
    assert_eq!(
        sessions_of(&app.db, r.id).await.len(),
        1,
        "nothing half-written"
    );
}

async fn a_session_volunteers_were_accepted_for_cannot_be_removed(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let r = post_role(&app, &browser, b.food_hub.id, "Shift worker").await;
    add_session(&browser, r.id, 5, "9am", "12pm", "").await;
    add_session(&browser, r.id, 6, "9am", "12pm", "").await;
    let sessions = sessions_of(&app.db, r.id).await;
    assert_eq!(sessions.len(), 2);
    let (chosen, free) = (&sessions[0], &sessions[1]);

    let volunteer = add_person(
        &app.db,
        PersonSpec {
            email: "vol@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(volunteer.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let now = hubmatch::db::now();
    let a = application::ActiveModel {
        role_id: Set(r.id),
        volunteer_id: Set(profile.id),
        status: Set("accepted".into()),
        message: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        decided_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    application_session::ActiveModel {
        application_id: Set(a.id),
        session_id: Set(chosen.id),
    }
    .insert(&app.db)
    .await
    .unwrap();

    let res = browser
        .post(
            &format!("/roles/{}/sessions/{}/remove", r.id, chosen.id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("This session cannot be removed: 1 accepted volunteer has chosen it"),
        "{body}"
    );
    let res = browser
        .post(&format!("/roles/{}/sessions/{}/remove", r.id, free.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let left: Vec<i32> = sessions_of(&app.db, r.id)
        .await
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(left, vec![chosen.id]);
    // A session of another role is not found through this one.
    let other = sessions_of(&app.db, b.food_packing.id).await;
    let res = browser
        .post(
            &format!("/roles/{}/sessions/{}/remove", r.id, other[0].id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 404);
}

async fn duplicating_copies_causes_skills_and_future_sessions_into_a_draft(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let r = post_role(&app, &browser, b.food_hub.id, "Fridge stocker").await;
    add_session(&browser, r.id, 7, "10am", "12pm", "2").await;
    // A session already past is history, not copied.
    let now = OffsetDateTime::now_utc();
    role_session::ActiveModel {
        role_id: Set(r.id),
        starts_at: Set(now - Duration::days(3)),
        ends_at: Set(now - Duration::days(3) + Duration::hours(2)),
        places: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    browser.post(&format!("/roles/{}/open", r.id), &[]).await;

    let res = browser
        .post(&format!("/roles/{}/duplicate", r.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let to = location(&res);
    assert!(to.ends_with("/edit?done=copied"), "{to}");
    let copy = find_role(&app.db, role_id_in(&to)).await;
    assert_ne!(copy.id, r.id);
    assert_eq!(copy.title, "Copy of Fridge stocker");
    assert_eq!(copy.status, "draft");
    assert_eq!(copy.published_at, None);
    assert_eq!(
        (copy.places, copy.ward_id, copy.description.clone()),
        (r.places, r.ward_id, r.description.clone())
    );
    let copied_causes = cause_ids_of(&app.db, copy.id).await;
    assert_eq!(copied_causes, cause_ids_of(&app.db, r.id).await);
    assert_eq!(copied_causes.len(), 2);
    let skills = role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.eq(copy.id))
        .find_also_related(skill::Entity)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(skills.len(), 1);
    assert_eq!(skills[0].0.min_level, 2);
    assert_eq!(skills[0].1.as_ref().unwrap().slug, "teamwork");
    let copied = sessions_of(&app.db, copy.id).await;
    assert_eq!(copied.len(), 1, "only the future session");
    assert_eq!(copied[0].places, Some(2));
    app.get_text(&format!("/roles/{}", copy.id), 404).await;
    let edit = browser.get_text(&to, 200).await;
    assert!(edit.contains("Copy of Fridge stocker"));
    assert_eq!(audit_rows(&app.db, "role.duplicate").await.len(), 1);
}

async fn editing_keeps_the_status_and_refuses_fewer_places_than_accepted(app: TestApp) {
    let (b, browser) = food_hub_staff(&app).await;
    let r = post_role(&app, &browser, b.food_hub.id, "Driver").await;
    browser.post(&format!("/roles/{}/open", r.id), &[]).await;
    let edit = browser
        .get_text(&format!("/roles/{}/edit", r.id), 200)
        .await;
    assert!(
        edit.contains("value=\"Driver\""),
        "the form shows what is saved"
    );
    assert!(
        edit.contains("value=\"2\" selected"),
        "the skill level is kept"
    );

    let res = post_form(
        &browser,
        &format!("/roles/{}/edit", r.id),
        &role_form(
            "Delivery driver",
            &[("places", "5"), ("causes", "older-people")],
        ),
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    let saved = find_role(&app.db, r.id).await;
    assert_eq!(
        (saved.title.as_str(), saved.places, saved.status.as_str()),
        ("Delivery driver", 5, "open")
    );
    let causes = role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.eq(r.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(causes, 1, "causes replaced");

    // Two volunteers accepted: places cannot go below two.
    for n in 0..2 {
        let email = format!("v{n}@example.org");
        let v = add_person(
            &app.db,
            PersonSpec {
                email: &email,
                born: Some(adult_birthday()),
                ..PersonSpec::default()
            },
        )
        .await;
        let profile = volunteer_profile::Entity::find()
            .filter(volunteer_profile::Column::UserId.eq(v.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let now = hubmatch::db::now();
        application::ActiveModel {
            role_id: Set(r.id),
            volunteer_id: Set(profile.id),
            status: Set("accepted".into()),
            message: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let res = post_form(
        &browser,
        &format!("/roles/{}/edit", r.id),
        &role_form("Delivery driver", &[("places", "1")]),
    )
    .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("2 volunteers are already accepted")
    );
    assert_eq!(find_role(&app.db, r.id).await.places, 5);
    let list = browser
        .get_text(&format!("/organisations/{}/roles", b.food_hub.id), 200)
        .await;
    assert!(list.contains("2 of 5"), "places filled");
}

async fn only_the_organisations_people_manage_its_roles(app: TestApp) {
    let b = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "other@befrienders.example",
            organisation: Some((b.befrienders.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let session = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(b.food_packing.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (org, role_id) = (b.food_hub.id, b.draft.id);
    let gets = [
        format!("/organisations/{org}/roles"),
        format!("/organisations/{org}/roles/new"),
        format!("/roles/{role_id}/edit"),
        format!("/roles/{role_id}/sessions"),
        format!("/roles/{role_id}/preview"),
    ];
    let posts = [
        format!("/organisations/{org}/roles/new"),
        format!("/roles/{role_id}/edit"),
        format!("/roles/{role_id}/open"),
        format!("/roles/{role_id}/close"),
        format!("/roles/{role_id}/duplicate"),
        format!("/roles/{role_id}/sessions"),
        format!(
            "/roles/{}/sessions/{}/remove",
            b.food_packing.id, session.id
        ),
    ];

    let anonymous = Browser::new(&app);
    for path in &gets {
        let res = anonymous.get(path).await;
        assert_eq!(res.status().as_u16(), 303, "GET {path}");
        assert!(location(&res).starts_with("/sign-in"), "GET {path}");
    }
    for path in &posts {
        let res = anonymous.post(path, &[]).await;
        assert_eq!(res.status().as_u16(), 303, "POST {path}");
        assert!(location(&res).starts_with("/sign-in"), "POST {path}");
    }

    let other = Browser::new(&app);
    other.sign_in(&app.db, "other@befrienders.example").await;
    for path in &gets {
        assert_eq!(other.get(path).await.status().as_u16(), 403, "GET {path}");
    }
    // Refused before the (empty) form is looked at.
    for path in &posts {
        assert_eq!(
            other.post(path, &[]).await.status().as_u16(),
            403,
            "POST {path}"
        );
    }
    let before = role_count(&app.db).await;
    assert_eq!(find_role(&app.db, role_id).await.status, "draft");
    assert_eq!(role_count(&app.db).await, before);
    assert_eq!(
        sessions_of(&app.db, b.food_packing.id).await.len(),
        1,
        "the session is still there"
    );
}
