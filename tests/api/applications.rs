//! Applying, withdrawing and the organisation's decisions through the real pages: every
//! refusal a clear 4xx, every transition in the history with an email queued, freed places
//! offered to the longest-waiting volunteer, and who may see and decide what.
use hubmatch::email::OutboxEmail;
use hubmatch::entities::{
    application, application_event, application_session, audit_log, outbox, role, role_session,
    user,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::{Date, Duration, OffsetDateTime};

use crate::fixtures::{self, Borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

/// A borough, staff of its food hub and of the befrienders, and one adult volunteer.
pub struct World {
    pub borough: Borough,
    pub staff: user::Model,
    pub other_staff: user::Model,
    pub volunteer: user::Model,
    pub profile: i32,
}

pub async fn world(app: &TestApp) -> World {
    let borough = fixtures::borough(&app.db).await;
    let staff = add_person(
        &app.db,
        PersonSpec {
            email: "sam@foodhub.example.org",
            name: "Sam Staff",
            organisation: Some((borough.food_hub.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let other_staff = add_person(
        &app.db,
        PersonSpec {
            email: "olu@befrienders.example.org",
            name: "Olu Other",
            organisation: Some((borough.befrienders.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let (volunteer, profile) =
        volunteer(&app.db, "ada@example.org", "Ada Lovelace", adult_birthday()).await;
    World {
        borough,
        staff,
        other_staff,
        volunteer,
        profile,
    }
}

/// A volunteer with a profile; returns the account and the profile id.
pub async fn volunteer(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    born: Date,
) -> (user::Model, i32) {
    let person = add_person(
        db,
        PersonSpec {
            email,
            name,
            born: Some(born),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = hubmatch::entities::volunteer_profile::Entity::find()
        .filter(hubmatch::entities::volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    (person, profile)
}

/// A date of birth `years` and about a month ago.
pub fn years_ago(years: i64) -> Date {
    OffsetDateTime::now_utc().date() - Duration::days(365 * years + years / 4 + 30)
}

pub async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = Browser::new(app);
    b.sign_in(&app.db, email).await;
    b
}

/// Every email queued to `to`, oldest first.
pub async fn emails_to(db: &DatabaseConnection, to: &str) -> Vec<(String, OutboxEmail)> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|row| {
            let email: OutboxEmail = serde_json::from_str(&row.payload).ok()?;
            (email.to == to).then_some((row.kind, email))
        })
        .collect()
}

pub async fn the_session(db: &DatabaseConnection, role_id: i32) -> role_session::Model {
    role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(role_id))
        .one(db)
        .await
        .unwrap()
        .expect("a session")
}

pub async fn application_of(
    db: &DatabaseConnection,
    role_id: i32,
    profile: i32,
) -> application::Model {
    application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::VolunteerId.eq(profile))
        .one(db)
        .await
        .unwrap()
        .expect("an application")
}

pub async fn events(db: &DatabaseConnection, application_id: i32) -> Vec<application_event::Model> {
    application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(application_id))
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await
        .unwrap()
}

pub async fn set_places(db: &DatabaseConnection, role: &role::Model, places: i32) {
    let mut r: role::ActiveModel = role.clone().into();
    r.places = Set(places);
    r.update(db).await.unwrap();
}

/// Applies through the model (as the referral code does), for tests about what follows.
pub async fn apply_directly(
    app: &TestApp,
    profile: i32,
    user_id: i32,
    role_id: i32,
    sessions: &[i32],
    waitlist: bool,
) -> i32 {
    hubmatch::models::applications::apply(
        &app.db, &app.base, profile, role_id, "", sessions, user_id, waitlist,
    )
    .await
    .unwrap_or_else(|e| panic!("apply: {e}"))
    .application_id
}

async fn post_status(b: &Browser, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let res = b.post(path, fields).await;
    let status = res.status().as_u16();
    let to = location(&res);
    (status, to, res.text().await.unwrap())
}

async fn a_volunteer_applies_with_sessions_and_the_organisation_accepts(app: TestApp) {
    let w = world(&app).await;
    let role = &w.borough.food_packing;
    let session = the_session(&app.db, role.id).await;
    let ada = signed_in(&app, "ada@example.org").await;

    let role_page = ada.get_text(&format!("/roles/{}", role.id), 200).await;
    assert!(
        role_page.contains(&format!("/roles/{}/apply", role.id)),
        "an Apply button"
    );
    let form = ada
        .get_text(&format!("/roles/{}/apply", role.id), 200)
        .await;
    assert!(form.contains("Which sessions can you come to?"), "{form}");

    let session_id = session.id.to_string();
    let (status, to, body) = post_status(
        &ada,
        &format!("/roles/{}/apply", role.id),
        &[
            ("sessions", &session_id),
            ("message", "I packed parcels at my church."),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let application = application_of(&app.db, role.id, w.profile).await;
    assert_eq!(to, format!("/applications/{}?done=applied", application.id));
    assert_eq!(application.status, "applied");
    assert_eq!(application.message, "I packed parcels at my church.");
    let chosen = application_session::Entity::find()
        .filter(application_session::Column::ApplicationId.eq(application.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].session_id, session.id);
    let history = events(&app.db, application.id).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from_status, None);
    assert_eq!(history[0].to_status, "applied");
    assert_eq!(history[0].actor_user_id, Some(w.volunteer.id));
    let to_ada = emails_to(&app.db, "ada@example.org").await;
    assert_eq!(to_ada.len(), 1);
    assert_eq!(to_ada[0].0, "email.application_received");
    assert!(
        to_ada[0]
            .1
            .text_body
            .contains(&format!("/applications/{}", application.id))
    );
    let to_org = emails_to(&app.db, "volunteering@example.org").await;
    assert_eq!(to_org.len(), 1, "the role's contact hears of it");
    assert!(to_org[0].1.text_body.contains("Ada Lovelace"));

    // The organisation sees the application with the volunteer's details and decides.
    let sam = signed_in(&app, "sam@foodhub.example.org").await;
    let page = sam
        .get_text(&format!("/applications/{}", application.id), 200)
        .await;
    assert!(
        page.contains("ada@example.org"),
        "the organisation sees the email"
    );
    assert!(page.contains("I packed parcels at my church."));
    assert!(page.contains(&format!("/applications/{}/accept", application.id)));
    let list = sam
        .get_text(
            &format!("/organisations/{}/applications", w.borough.food_hub.id),
            200,
        )
        .await;
    assert!(
        list.contains("Food parcel packer") && list.contains("Ada Lovelace"),
        "{list}"
    );

    let (status, to, body) = post_status(
        &sam,
        &format!("/applications/{}/accept", application.id),
        &[("message", "See you at 10, bring gloves.")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(to, format!("/applications/{}?done=decided", application.id));
    let application = application_of(&app.db, role.id, w.profile).await;
    assert_eq!(application.status, "accepted");
    assert!(application.decided_at.is_some());
    let history = events(&app.db, application.id).await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].from_status.as_deref(), Some("applied"));
    assert_eq!(history[1].to_status, "accepted");
    assert_eq!(history[1].actor_user_id, Some(w.staff.id));
    assert_eq!(history[1].note, "See you at 10, bring gloves.");
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("application.accept"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].subject_id, Some(application.id));
    assert_eq!(audit[0].actor_user_id, Some(w.staff.id));
    let to_ada = emails_to(&app.db, "ada@example.org").await;
    assert_eq!(to_ada.len(), 2);
    assert_eq!(to_ada[1].0, "email.application_accepted");
    assert!(to_ada[1].1.text_body.contains("bring gloves"));

    // The volunteer's page shows the history and the way to log hours.
    let mine = ada
        .get_text(&format!("/applications/{}", application.id), 200)
        .await;
    assert!(
        mine.contains("Accepted") && mine.contains("Sam Staff"),
        "{mine}"
    );
    assert!(mine.contains(&format!("/applications/{}/hours", application.id)));
}

async fn each_refusal_to_apply_is_a_clear_4xx_and_writes_nothing(app: TestApp) {
    let w = world(&app).await;
    let ada = signed_in(&app, "ada@example.org").await;
    let apply = |id: i32| format!("/roles/{id}/apply");

    let (status, _, body) = post_status(&ada, &apply(w.borough.closed.id), &[]).await;
    assert_eq!(status, 409, "closed role");
    assert!(body.contains("This role is closed"), "{body}");
    let (status, _, body) = post_status(&ada, &apply(w.borough.expired.id), &[]).await;
    assert_eq!(status, 409, "past its closing date");
    assert!(body.contains("closed to applications on"), "{body}");
    let (status, _, _) = post_status(&ada, &apply(w.borough.draft.id), &[]).await;
    assert_eq!(status, 404, "drafts are not there at all");

    // Sessions are needed when the role has them; the message has a limit.
    let packing = w.borough.food_packing.id;
    let (status, _, body) = post_status(&ada, &apply(packing), &[]).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Choose at least one session you can come to"),
        "{body}"
    );
    assert!(
        body.contains("href=\"#sessions\""),
        "the summary links to the field"
    );
    let long = "x".repeat(1001);
    let (status, _, body) = post_status(
        &ada,
        &apply(w.borough.befriending.id),
        &[("message", &long)],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("1000 characters or fewer"), "{body}");
    let (status, _, body) = post_status(
        &ada,
        &apply(w.borough.befriending.id),
        &[("sessions", "abc")],
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // Applying twice.
    let (status, _, _) = post_status(&ada, &apply(w.borough.befriending.id), &[]).await;
    assert_eq!(status, 303);
    let (status, _, body) = post_status(&ada, &apply(w.borough.befriending.id), &[]).await;
    assert_eq!(status, 409);
    assert!(
        body.contains("You have already applied for this role"),
        "{body}"
    );

    // Below the minimum age, and under 18 for a role that is not youth-friendly.
    let (_, teen) = volunteer(&app.db, "teen@example.org", "Tia Teen", years_ago(16)).await;
    let _ = teen;
    let mut youth: role::ActiveModel = w.borough.meal_delivery.clone().into();
    youth.min_age = Set(17);
    youth.update(&app.db).await.unwrap();
    let mut adults: role::ActiveModel = w.borough.befriending.clone().into();
    adults.min_age = Set(16);
    adults.youth_friendly = Set(false);
    adults.update(&app.db).await.unwrap();
    let tia = signed_in(&app, "teen@example.org").await;
    let (status, _, body) = post_status(&tia, &apply(w.borough.meal_delivery.id), &[]).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("You need to be 17 or over"), "{body}");
    let (status, _, body) = post_status(&tia, &apply(w.borough.befriending.id), &[]).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("not marked as youth-friendly"), "{body}");

    let all = application::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(all.len(), 1, "only the one good application was written");
    assert_eq!(
        emails_to(&app.db, "teen@example.org").await.len(),
        0,
        "no email for a refusal"
    );
}

async fn a_full_role_offers_the_waitlist_and_accepting_beyond_the_places_is_refused(app: TestApp) {
    let w = world(&app).await;
    let role = &w.borough.befriending; // no sessions, belongs to the befrienders
    set_places(&app.db, role, 1).await;
    let (bo, bo_profile) = volunteer(&app.db, "bo@example.org", "Bo Early", adult_birthday()).await;
    let (cy, cy_profile) = volunteer(&app.db, "cy@example.org", "Cy Late", adult_birthday()).await;
    let first = apply_directly(&app, bo_profile, bo.id, role.id, &[], false).await;
    let second = apply_directly(&app, cy_profile, cy.id, role.id, &[], false).await;

    let olu = signed_in(&app, "olu@befrienders.example.org").await;
    let (status, _, _) = post_status(&olu, &format!("/applications/{first}/accept"), &[]).await;
    assert_eq!(status, 303);
    let (status, _, body) = post_status(
        &olu,
        &format!("/applications/{second}/accept"),
        &[("message", "hi")],
    )
    .await;
    assert_eq!(status, 409, "accepting beyond the places");
    assert!(
        body.contains("All 1 places on this role are taken"),
        "{body}"
    );
    assert!(
        body.contains("/waitlist"),
        "the page offers the waitlist instead"
    );
    let second_row = application::Entity::find_by_id(second)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second_row.status, "applied", "nothing changed");
    assert_eq!(
        events(&app.db, second).await.len(),
        1,
        "no event for a refusal"
    );
    let (status, _, _) = post_status(&olu, &format!("/applications/{second}/waitlist"), &[]).await;
    assert_eq!(status, 303);
    let second_row = application::Entity::find_by_id(second)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second_row.status, "waitlisted");
    assert_eq!(
        emails_to(&app.db, "cy@example.org").await.last().unwrap().0,
        "email.application_waitlisted"
    );

    // A new volunteer finds the role full: offered the waitlist, then on it.
    let ada = signed_in(&app, "ada@example.org").await;
    let form = ada
        .get_text(&format!("/roles/{}/apply", role.id), 200)
        .await;
    assert!(form.contains("Join the waitlist"), "{form}");
    let (status, _, body) = post_status(&ada, &format!("/roles/{}/apply", role.id), &[]).await;
    assert_eq!(status, 409);
    assert!(body.contains("You can join the waitlist"), "{body}");
    assert!(
        application::Entity::find()
            .filter(application::Column::VolunteerId.eq(w.profile))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let (status, to, _) = post_status(
        &ada,
        &format!("/roles/{}/apply", role.id),
        &[("waitlist", "yes")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(to.ends_with("?done=waitlisted"), "{to}");
    let mine = application_of(&app.db, role.id, w.profile).await;
    assert_eq!(mine.status, "waitlisted");
    let history = events(&app.db, mine.id).await;
    assert_eq!(
        (
            history[0].from_status.as_deref(),
            history[0].to_status.as_str()
        ),
        (None, "waitlisted")
    );
}

async fn a_session_with_its_own_places_is_never_over_filled(app: TestApp) {
    let w = world(&app).await;
    let role = &w.borough.food_packing;
    let session = the_session(&app.db, role.id).await;
    let mut s: role_session::ActiveModel = session.clone().into();
    s.places = Set(Some(1));
    s.update(&app.db).await.unwrap();
    let (bo, bo_profile) = volunteer(&app.db, "bo@example.org", "Bo", adult_birthday()).await;
    let first = apply_directly(&app, bo_profile, bo.id, role.id, &[session.id], false).await;
    let second = apply_directly(
        &app,
        w.profile,
        w.volunteer.id,
        role.id,
        &[session.id],
        false,
    )
    .await;
    let sam = signed_in(&app, "sam@foodhub.example.org").await;
    let (status, _, _) = post_status(&sam, &format!("/applications/{first}/accept"), &[]).await;
    assert_eq!(status, 303);
    let (status, _, body) = post_status(&sam, &format!("/applications/{second}/accept"), &[]).await;
    assert_eq!(status, 409, "the role has places but the session does not");
    assert!(body.contains("places at the session on"), "{body}");
    let second_row = application::Entity::find_by_id(second)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second_row.status, "applied");
}

async fn withdrawing_an_accepted_place_gives_it_to_the_longest_waiting_volunteer(app: TestApp) {
    let w = world(&app).await;
    let role = &w.borough.befriending;
    set_places(&app.db, role, 1).await;
    let (bo, bo_profile) = volunteer(&app.db, "bo@example.org", "Bo First", adult_birthday()).await;
    let (cy, cy_profile) =
        volunteer(&app.db, "cy@example.org", "Cy Second", adult_birthday()).await;
    let ada_app = apply_directly(&app, w.profile, w.volunteer.id, role.id, &[], false).await;
    let olu = signed_in(&app, "olu@befrienders.example.org").await;
    assert_eq!(
        post_status(&olu, &format!("/applications/{ada_app}/accept"), &[])
            .await
            .0,
        303
    );
    let bo_app = apply_directly(&app, bo_profile, bo.id, role.id, &[], true).await;
    let cy_app = apply_directly(&app, cy_profile, cy.id, role.id, &[], true).await;
    for id in [bo_app, cy_app] {
        let row = application::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, "waitlisted");
    }

    // Someone else cannot withdraw Ada's application.
    let bo_browser = signed_in(&app, "bo@example.org").await;
    let (status, _, _) = post_status(
        &bo_browser,
        &format!("/applications/{ada_app}/withdraw"),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    bo_browser
        .get_text(&format!("/applications/{ada_app}"), 403)
        .await;

    let ada = signed_in(&app, "ada@example.org").await;
    let (status, to, _) =
        post_status(&ada, &format!("/applications/{ada_app}/withdraw"), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(to, format!("/applications/{ada_app}?done=withdrawn"));
    let (status, _, body) =
        post_status(&ada, &format!("/applications/{ada_app}/withdraw"), &[]).await;
    assert_eq!(status, 409, "withdrawing twice");
    assert!(
        body.contains("already withdrawn") && body.contains("href=\"#status\""),
        "{body}"
    );
    let status_of = |id: i32| {
        let db = app.db.clone();
        async move {
            application::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    assert_eq!(status_of(ada_app).await, "withdrawn");
    assert_eq!(
        status_of(bo_app).await,
        "accepted",
        "the oldest on the waitlist gets the place"
    );
    assert_eq!(status_of(cy_app).await, "waitlisted");

    let bo_history = events(&app.db, bo_app).await;
    let last = bo_history.last().unwrap();
    assert_eq!(last.from_status.as_deref(), Some("waitlisted"));
    assert_eq!(last.to_status, "accepted");
    assert_eq!(last.actor_user_id, None, "hubmatch did it, not a person");
    assert_eq!(last.note, "Offered a freed place");
    let to_bo = emails_to(&app.db, "bo@example.org").await;
    let (kind, email) = to_bo.last().unwrap();
    assert_eq!(kind, "email.application_place_offered");
    assert!(
        email.subject.contains("A place has come up"),
        "{}",
        email.subject
    );
    assert!(email.text_body.contains("you're in"));
    assert!(email.text_body.contains("withdraw"));
    let ada_history = events(&app.db, ada_app).await;
    assert_eq!(
        ada_history
            .iter()
            .map(|e| e.to_status.as_str())
            .collect::<Vec<_>>(),
        ["applied", "accepted", "withdrawn"]
    );
    assert_eq!(
        emails_to(&app.db, "ada@example.org")
            .await
            .last()
            .unwrap()
            .0,
        "email.application_withdrawn"
    );

    // Declining the now-accepted volunteer frees the place again: Cy is next.
    let (status, to, _) = post_status(&olu, &format!("/applications/{bo_app}/decline"), &[]).await;
    assert_eq!(status, 303);
    assert!(to.ends_with("?done=promoted"), "{to}");
    assert_eq!(status_of(bo_app).await, "declined");
    assert_eq!(status_of(cy_app).await, "accepted");
    assert_eq!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("application.decline"))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );

    // A withdrawn application may be re-opened; it joins the waitlist as the role is full.
    let (status, to, _) = post_status(
        &ada,
        &format!("/roles/{}/apply", role.id),
        &[("waitlist", "yes")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        to,
        format!("/applications/{ada_app}?done=waitlisted"),
        "the same application"
    );
    assert_eq!(status_of(ada_app).await, "waitlisted");
}

async fn only_the_organisation_decides_and_only_people_involved_see_an_application(app: TestApp) {
    let w = world(&app).await;
    let role = &w.borough.food_packing;
    let session = the_session(&app.db, role.id).await;
    let id = apply_directly(
        &app,
        w.profile,
        w.volunteer.id,
        role.id,
        &[session.id],
        false,
    )
    .await;

    let olu = signed_in(&app, "olu@befrienders.example.org").await;
    for action in ["accept", "decline", "waitlist"] {
        let (status, _, _) = post_status(&olu, &format!("/applications/{id}/{action}"), &[]).await;
        assert_eq!(status, 403, "{action} by another organisation's staff");
        // Permission is checked before the input: an empty body is still a 403.
    }
    olu.get_text(&format!("/applications/{id}"), 403).await;
    olu.get_text(
        &format!("/organisations/{}/applications", w.borough.food_hub.id),
        403,
    )
    .await;
    // The volunteer cannot decide on their own application.
    let ada = signed_in(&app, "ada@example.org").await;
    let (status, _, _) = post_status(&ada, &format!("/applications/{id}/accept"), &[]).await;
    assert_eq!(status, 403);
    let row = application::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "applied");

    // A coordinator of the organisation's hub reads it, without the decision form.
    add_person(
        &app.db,
        PersonSpec {
            email: "cora@hub.example.org",
            name: "Cora Coordinator",
            coordinates_hub: Some(w.borough.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let cora = signed_in(&app, "cora@hub.example.org").await;
    let page = cora.get_text(&format!("/applications/{id}"), 200).await;
    assert!(page.contains("ada@example.org"));
    assert!(
        !page.contains(&format!("/applications/{id}/accept")),
        "read-only"
    );
    let (status, _, _) = post_status(&cora, &format!("/applications/{id}/accept"), &[]).await;
    assert_eq!(status, 403);

    // Unknown ids and bad ids.
    let sam = signed_in(&app, "sam@foodhub.example.org").await;
    sam.get_text("/applications/999999", 404).await;
    sam.get_text("/applications/abc", 400).await;
    let (status, _, _) = post_status(&sam, "/applications/999999/accept", &[]).await;
    assert_eq!(status, 404);
    // A decision message over the limit is re-shown, not saved.
    let (status, _, body) = post_status(
        &sam,
        &format!("/applications/{id}/accept"),
        &[("message", &"y".repeat(1001))],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("1000 characters or fewer"));
    // Deciding the same thing twice is a clear conflict.
    assert_eq!(
        post_status(&sam, &format!("/applications/{id}/decline"), &[])
            .await
            .0,
        303
    );
    let (status, _, body) = post_status(&sam, &format!("/applications/{id}/decline"), &[]).await;
    assert_eq!(status, 409);
    assert!(body.contains("already declined"), "{body}");
    // The status filter: a known status narrows, an unknown one is a 400 naming it.
    let list = sam
        .get_text(
            &format!(
                "/organisations/{}/applications?status=declined",
                w.borough.food_hub.id
            ),
            200,
        )
        .await;
    assert!(list.contains("Ada Lovelace"));
    let list = sam
        .get_text(
            &format!(
                "/organisations/{}/applications?status=accepted",
                w.borough.food_hub.id
            ),
            200,
        )
        .await;
    assert!(!list.contains("Ada Lovelace"));
    let bad = sam
        .get_text(
            &format!(
                "/organisations/{}/applications?status=maybe",
                w.borough.food_hub.id
            ),
            400,
        )
        .await;
    assert!(bad.contains("There is no status"), "{bad}");
}

async fn signing_in_is_needed_and_a_volunteer_profile_to_apply(app: TestApp) {
    let w = world(&app).await;
    let path = format!("/roles/{}/apply", w.borough.befriending.id);
    let res = app.get(&path).await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).starts_with("/sign-in?next="));
    // Staff without a volunteer profile are sent to make one.
    let sam = signed_in(&app, "sam@foodhub.example.org").await;
    let res = sam.get(&path).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/profile");
    let res = sam.post(&path, &[]).await;
    assert_eq!(location(&res), "/profile");
    // The role page offers staff the links to manage the role and its applications.
    let page = sam
        .get_text(&format!("/roles/{}", w.borough.food_packing.id), 200)
        .await;
    assert!(page.contains(&format!("/roles/{}/edit", w.borough.food_packing.id)));
    assert!(page.contains(&format!(
        "/organisations/{}/applications",
        w.borough.food_hub.id
    )));
    let ada = signed_in(&app, "ada@example.org").await;
    let page = ada
        .get_text(&format!("/roles/{}", w.borough.food_packing.id), 200)
        .await;
    assert!(!page.contains("/edit"), "volunteers get no manage link");
}

on_both_databases!(
    a_volunteer_applies_with_sessions_and_the_organisation_accepts,
    each_refusal_to_apply_is_a_clear_4xx_and_writes_nothing,
    a_full_role_offers_the_waitlist_and_accepting_beyond_the_places_is_refused,
    a_session_with_its_own_places_is_never_over_filled,
    withdrawing_an_accepted_place_gives_it_to_the_longest_waiting_volunteer,
    only_the_organisation_decides_and_only_people_involved_see_an_application,
    signing_in_is_needed_and_a_volunteer_profile_to_apply,
);
