//! The volunteer dashboard (applications, upcoming sessions in London time, hours) and
//! the calendar feed: its events, escaping, unknown tokens, and replacing the address.
use hubmatch::entities::{
    application, application_session, hours_log, role, role_session, volunteer_profile,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::fixtures::{Borough, RoleSpec, add_role, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

pub async fn profile_of(db: &DatabaseConnection, email: &str) -> volunteer_profile::Model {
    let person = hubmatch::models::accounts::find_by_email(db, email)
        .await
        .unwrap()
        .unwrap();
    volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

pub async fn add_session(
    db: &DatabaseConnection,
    role_id: i32,
    starts_at: OffsetDateTime,
    hours: i64,
) -> role_session::Model {
    role_session::ActiveModel {
        role_id: Set(role_id),
        starts_at: Set(starts_at),
        ends_at: Set(starts_at + Duration::hours(hours)),
        places: Set(None),
        created_at: Set(hubmatch::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

pub async fn add_application(
    db: &DatabaseConnection,
    role_id: i32,
    volunteer_id: i32,
    status: &str,
    sessions: &[i32],
    updated_at: OffsetDateTime,
) -> application::Model {
    let a = application::ActiveModel {
        role_id: Set(role_id),
        volunteer_id: Set(volunteer_id),
        status: Set(status.into()),
        message: Set(String::new()),
        created_at: Set(updated_at),
        updated_at: Set(updated_at),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for s in sessions {
        application_session::ActiveModel {
            application_id: Set(a.id),
            session_id: Set(*s),
        }
        .insert(db)
        .await
        .unwrap();
    }
    a
}

pub async fn add_hours(
    db: &DatabaseConnection,
    volunteer_id: i32,
    role_id: i32,
    minutes: i32,
    status: &str,
    worked_on: time::Date,
) {
    hours_log::ActiveModel {
        volunteer_id: Set(volunteer_id),
        role_id: Set(role_id),
        session_id: Set(None),
        worked_on: Set(worked_on),
        minutes: Set(minutes),
        status: Set(status.into()),
        note: Set(String::new()),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(hubmatch::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

struct Setting {
    town: Borough,
    browser: Browser,
    profile: volunteer_profile::Model,
    /// "Tea, cake; chat \ more": a title that needs escaping in iCalendar.
    tea: role::Model,
    /// Saturday 15 June 2030, 09:00–12:00 UTC (10am–1pm in London), on an accepted application.
    summer: role_session::Model,
}

async fn setting(app: &TestApp) -> Setting {
    let town = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            name: "Ada Okafor",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = profile_of(&app.db, "ada@example.org").await;
    let tea = add_role(
        &app.db,
        RoleSpec {
            title: "Tea, cake; chat \\ more",
            organisation: town.befrienders.id,
            hub: None,
            ward: None,
            causes: vec![],
            status: "open",
            location_type: "in_person",
            youth_friendly: false,
            closes_in_days: None,
        },
    )
    .await;
    let summer = add_session(&app.db, tea.id, datetime!(2030-06-15 09:00 UTC), 3).await;
    let long_ago = add_session(&app.db, tea.id, hubmatch::db::now() - Duration::days(40), 2).await;
    let last_week = add_session(&app.db, tea.id, hubmatch::db::now() - Duration::days(7), 2).await;
    let not_chosen = add_session(&app.db, tea.id, datetime!(2030-06-22 09:00 UTC), 3).await;
    let now = hubmatch::db::now();
    add_application(
        &app.db,
        tea.id,
        profile.id,
        "accepted",
        &[summer.id, long_ago.id, last_week.id],
        now,
    )
    .await;
    let _ = not_chosen;
    // Applied, not accepted: its session is not theirs yet.
    let packing_session = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(town.food_packing.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    add_application(
        &app.db,
        town.food_packing.id,
        profile.id,
        "applied",
        &[packing_session.id],
        now,
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, "ada@example.org").await;
    Setting {
        town,
        browser,
        profile,
        tea,
        summer,
    }
}

async fn the_dashboard_lists_applications_sessions_and_hours(app: TestApp) {
    let s = setting(&app).await;
    let today = hubmatch::domain::london_time::to_london(hubmatch::db::now()).date();
    add_hours(&app.db, s.profile.id, s.tea.id, 120, "confirmed", today).await;
    add_hours(&app.db, s.profile.id, s.tea.id, 90, "confirmed", today).await;
    add_hours(&app.db, s.profile.id, s.tea.id, 45, "claimed", today).await;
    add_hours(&app.db, s.profile.id, s.tea.id, 600, "rejected", today).await;

    let page = s.browser.get_text("/dashboard", 200).await;
    // Applications, each linking to its page, with the organisation and status.
    let apps: Vec<application::Model> = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(s.profile.id))
        .all(&app.db)
        .await
        .unwrap();
    for a in &apps {
        assert!(
            page.contains(&format!("href=\"/applications/{}\"", a.id)),
            "{page}"
        );
    }
    assert!(page.contains("Tea, cake; chat \\ more"));
    assert!(page.contains("Food parcel packer"));
    assert!(page.contains("Walworth Befrienders"));
    assert!(page.contains(">Accepted<") && page.contains(">Applied<"));

    // Upcoming sessions: only chosen ones on accepted applications, in London time.
    let sessions = page
        .split("id=\"sessions\"")
        .nth(1)
        .unwrap()
        .split("id=\"calendar\"")
        .next()
        .unwrap();
    assert!(
        sessions.contains("Saturday 15 June 2030, 10am to 1pm"),
        "BST shown: {sessions}"
    );
    assert!(
        !sessions.contains("22 June 2030"),
        "a session they did not choose"
    );
    assert!(!sessions.contains("Food parcel packer"), "not accepted yet");
    assert_eq!(
        sessions.matches("<li").count(),
        1,
        "past sessions are not upcoming"
    );

    // Hours: confirmed total, waiting, per role; rejected hours count nowhere.
    assert!(
        page.contains("id=\"hours-confirmed\">3 hours 30 minutes<"),
        "{page}"
    );
    assert!(page.contains("id=\"hours-claimed\">45 minutes<"));
    assert!(!page.contains("10 hours"));
    assert!(page.contains("Hours by role"));
}

async fn the_calendar_feed_has_the_sessions_in_utc_properly_escaped(app: TestApp) {
    let s = setting(&app).await;
    let page = s.browser.get_text("/dashboard", 200).await;
    assert!(page.contains("Get a calendar address"));
    let res = s.browser.post("/dashboard/calendar", &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/dashboard?notice=calendar#calendar");

    let token = profile_of(&app.db, "ada@example.org")
        .await
        .calendar_token
        .expect("a calendar token");
    let address = format!("{}/calendar/{token}.ics", app.base);
    let page = s.browser.get_text("/dashboard?notice=calendar", 200).await;
    assert!(page.contains(&address), "the page shows the feed address");

    // No sign-in needed: the secret in the address is the key.
    let res = app.get(&format!("/calendar/{token}.ics")).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/calendar; charset=utf-8"
    );
    let ics = res.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let uid = format!(
        "UID:session-{}-volunteer-{}@hubmatch\r\n",
        s.summer.id, s.profile.id
    );
    assert!(ics.contains(&uid), "{ics}");
    assert!(ics.contains("\r\nDTSTART:20300615T090000Z\r\n"));
    assert!(ics.contains("\r\nDTEND:20300615T120000Z\r\n"));
    assert!(
        ics.contains("\r\nSUMMARY:Tea\\, cake\\; chat \\\\ more\r\n"),
        "{ics}"
    );
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("DESCRIPTION:Volunteering with Walworth Befrienders.\\nContact: Ama Mensah <volunteering@example.org>"));
    // The chosen session last week is kept (30 days back); the one 40 days ago and the
    // unaccepted application's session are not.
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    assert!(!ics.contains("20300622"), "a session they did not choose");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line}");
    }

    assert_eq!(
        app.get("/calendar/not-a-real-token.ics")
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.get(&format!("/calendar/{token}"))
            .await
            .status()
            .as_u16(),
        404
    );

    // A new address replaces the old one.
    s.browser.post("/dashboard/calendar", &[]).await;
    let new_token = profile_of(&app.db, "ada@example.org")
        .await
        .calendar_token
        .unwrap();
    assert_ne!(new_token, token);
    assert_eq!(
        app.get(&format!("/calendar/{token}.ics"))
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.get(&format!("/calendar/{new_token}.ics"))
            .await
            .status()
            .as_u16(),
        200
    );
    let _ = s.town;
}

async fn the_calendar_address_is_made_only_for_signed_in_volunteers(app: TestApp) {
    let res = app
        .client
        .post(format!("{}/dashboard/calendar", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(res.status().as_u16(), 303 | 403),
        "{}",
        res.status()
    );
    assert!(
        volunteer_profile::Entity::find()
            .filter(volunteer_profile::Column::CalendarToken.is_not_null())
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
}

on_both_databases!(
    the_dashboard_lists_applications_sessions_and_hours,
    the_calendar_feed_has_the_sessions_in_utc_properly_escaped,
    the_calendar_address_is_made_only_for_signed_in_volunteers,
);
