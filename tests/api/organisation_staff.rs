//! Organisations and their people: registering one (pending until approved), inviting
//! staff (new and existing accounts), permissions, removing, leaving, the last-admin rule.
use hubmatch::email::OutboxEmail;
use hubmatch::entities::{audit_log, membership, organisation, outbox, user, volunteer_profile};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PASSWORD, PersonSpec, add_person, adult_birthday, location};

on_both_databases!(
    registering_an_organisation_makes_the_registrant_its_admin_and_waits_for_approval,
    registration_names_each_field_that_is_wrong_and_writes_nothing,
    a_new_person_joins_through_an_invitation_by_creating_an_account,
    an_existing_account_accepts_an_invitation_after_signing_in,
    invitations_refuse_someone_already_on_the_staff_and_name_bad_fields,
    an_organisation_always_keeps_an_admin,
    removing_someone_ends_their_access,
    an_admin_can_make_staff_an_admin_and_back,
    staff_can_leave_an_organisation,
    only_the_right_people_reach_staff_pages,
);

/// Emails queued for `to`, oldest first.
pub async fn emails_to(db: &DatabaseConnection, to: &str) -> Vec<OutboxEmail> {
    outbox::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|row| serde_json::from_str::<OutboxEmail>(&row.payload).ok())
        .filter(|e| e.to.eq_ignore_ascii_case(to))
        .collect()
}

/// The path of the first link in an email's text that contains `marker`.
pub fn link_path(email: &OutboxEmail, marker: &str) -> String {
    let url = email
        .text_body
        .split_whitespace()
        .find(|w| w.contains(marker))
        .unwrap_or_else(|| panic!("no {marker} link in: {}", email.text_body));
    let start = url.find(marker).unwrap();
    url[start..].to_owned()
}

/// Audit rows of `action`, oldest first.
pub async fn audit_rows(db: &DatabaseConnection, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(db)
        .await
        .unwrap()
}

async fn role_of(db: &DatabaseConnection, org: i32, person: i32) -> Option<String> {
    membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(org))
        .filter(membership::Column::UserId.eq(person))
        .one(db)
        .await
        .unwrap()
        .map(|m| m.role)
}

async fn volunteer(app: &TestApp, email: &str) -> user::Model {
    add_person(
        &app.db,
        PersonSpec {
            email,
            name: "Ada Volunteer",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await
}

async fn member(app: &TestApp, email: &str, name: &str, org: i32, role: &str) -> user::Model {
    add_person(
        &app.db,
        PersonSpec {
            email,
            name,
            organisation: Some((org, role)),
            ..PersonSpec::default()
        },
    )
    .await
}

fn registration(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", name),
        ("description", "Hot meals and a warm room on Tuesdays."),
        ("email", "hello@pantry.example.org"),
        ("phone", "020 7946 0000"),
        ("website", "https://pantry.example.org"),
        ("charity_number", "1234567"),
        ("ward", crate::fixtures::PECKHAM),
        ("safeguarding_lead", "Sam Safe"),
    ]
}

async fn registering_an_organisation_makes_the_registrant_its_admin_and_waits_for_approval(
    app: TestApp,
) {
    let ada = volunteer(&app, "ada@example.org").await;
    add_person(
        &app.db,
        PersonSpec {
            email: "alliance@example.org",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let form = browser.get_text("/organisations/register", 200).await;
    assert!(form.contains("name=\"safeguarding_lead\""), "{form}");

    let res = browser
        .post("/organisations/register", &registration("Peckham Pantry"))
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    let to = location(&res);
    let org = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Peckham Pantry"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("organisation created");
    assert_eq!(
        to,
        format!("/organisations/{}/staff?done=registered", org.id)
    );
    assert_eq!(org.status, "pending");
    assert_eq!(org.slug, "peckham-pantry");
    assert_eq!(org.charity_number.as_deref(), Some("1234567"));
    assert_eq!(org.safeguarding_lead.as_deref(), Some("Sam Safe"));
    assert!(org.ward_id.is_some());
    assert_eq!(
        role_of(&app.db, org.id, ada.id).await.as_deref(),
        Some("admin")
    );

    let page = browser.get_text(&to, 200).await;
    assert!(page.contains("waiting for approval"), "{page}");
    app.get_text(&format!("/organisations/{}", org.id), 404)
        .await;
    let directory = app.get_text("/organisations", 200).await;
    assert!(
        !directory.contains("Peckham Pantry"),
        "pending is not public"
    );

    let to_admin = emails_to(&app.db, "alliance@example.org").await;
    assert_eq!(to_admin.len(), 1);
    assert!(to_admin[0].subject.contains("Peckham Pantry"));
    assert!(to_admin[0].text_body.contains("/admin"));
    let audit = audit_rows(&app.db, "organisation.register").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_user_id, Some(ada.id));
    assert_eq!(audit[0].subject_id, Some(org.id));

    // A second organisation of the same name gets a slug of its own.
    let res = browser
        .post("/organisations/register", &registration("Peckham  Pantry!"))
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let slugs: Vec<String> = organisation::Entity::find()
        .filter(organisation::Column::Name.starts_with("Peckham"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.slug)
        .collect();
    assert!(slugs.contains(&"peckham-pantry-2".to_owned()), "{slugs:?}");
}

async fn registration_names_each_field_that_is_wrong_and_writes_nothing(app: TestApp) {
    volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let before = organisation::Entity::find().count(&app.db).await.unwrap();
    let mut fields = registration("");
    fields.retain(|(k, _)| *k != "email");
    fields.push(("email", "not-an-email"));
    fields.retain(|(k, _)| *k != "ward");
    fields.push(("ward", "E99999999"));
    let res = browser.post("/organisations/register", &fields).await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("govuk-error-summary"), "{body}");
    assert!(body.contains("href=\"#name\""), "{body}");
    assert!(body.contains("Enter the organisation"), "{body}");
    assert!(body.contains("href=\"#email\""), "{body}");
    assert!(body.contains("href=\"#ward\""), "{body}");
    assert!(!body.contains("href=\"#safeguarding_lead\""), "{body}");
    assert!(
        body.contains("Hot meals and a warm room"),
        "what was typed is kept"
    );
    assert_eq!(
        organisation::Entity::find().count(&app.db).await.unwrap(),
        before
    );
    assert!(
        audit_rows(&app.db, "organisation.register")
            .await
            .is_empty()
    );
}

/// Signs in the food hub's admin and sends an invitation; returns the link's path.
async fn invite(app: &TestApp, admin: &Browser, org: i32, email: &str, role: &str) -> String {
    let res = admin
        .post(
            &format!("/organisations/{org}/staff/invite"),
            &[("email", email), ("role", role)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(
        location(&res),
        format!("/organisations/{org}/staff?done=invited")
    );
    let emails = emails_to(&app.db, email).await;
    let last = emails.last().expect("an invitation email");
    link_path(last, "/invitations/")
}

async fn food_hub_admin(app: &TestApp, b: &Borough) -> (user::Model, Browser) {
    let admin = member(
        app,
        "admin@food.example.org",
        "Fola Admin",
        b.food_hub.id,
        "admin",
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, "admin@food.example.org").await;
    (admin, browser)
}

async fn a_new_person_joins_through_an_invitation_by_creating_an_account(app: TestApp) {
    let b = borough(&app.db).await;
    let (_, admin) = food_hub_admin(&app, &b).await;
    let org = b.food_hub.id;
    let link = invite(&app, &admin, org, "New.Person@Example.org", "staff").await;
    let staff_page = admin
        .get_text(&format!("/organisations/{org}/staff"), 200)
        .await;
    assert!(
        staff_page.contains("new.person@example.org"),
        "pending invitation listed: {staff_page}"
    );

    let newcomer = Browser::new(&app);
    let page = newcomer.get_text(&link, 200).await;
    assert!(page.contains("Peckham Food Hub"), "{page}");
    assert!(page.contains("Create your account"), "{page}");

    let res = newcomer
        .post(&link, &[("name", ""), ("password", "password")])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("href=\"#name\""), "{body}");
    assert!(body.contains("href=\"#password\""), "{body}");

    let res = newcomer
        .post(&link, &[("name", "Nia Newcomer"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(
        location(&res),
        format!("/organisations/{org}/staff?done=joined")
    );
    let person = hubmatch::models::accounts::find_by_email(&app.db, "new.person@example.org")
        .await
        .unwrap()
        .expect("account created");
    assert_eq!(person.status, "active");
    assert!(
        person.verified_at.is_some(),
        "opening the link proved the address"
    );
    assert_eq!(person.display_name, "Nia Newcomer");
    assert!(!person.is_alliance_admin);
    assert!(
        volunteer_profile::Entity::find()
            .filter(volunteer_profile::Column::UserId.eq(person.id))
            .one(&app.db)
            .await
            .unwrap()
            .is_none(),
        "staff accounts have no volunteer profile"
    );
    assert_eq!(
        role_of(&app.db, org, person.id).await.as_deref(),
        Some("staff")
    );
    // Signed in straight away, on the organisation's staff page.
    let page = newcomer
        .get_text(&format!("/organisations/{org}/staff"), 200)
        .await;
    assert!(page.contains("Nia Newcomer"), "{page}");

    let joins = audit_rows(&app.db, "staff.join").await;
    assert_eq!(joins.len(), 1);
    assert_eq!(joins[0].actor_user_id, Some(person.id));
    assert_eq!(audit_rows(&app.db, "staff.invite").await.len(), 1);

    // The link works once.
    let other = Browser::new(&app);
    other.get_text(&link, 400).await;
    let res = other
        .post(&link, &[("name", "Someone"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    app.get_text("/invitations/not-a-real-token", 400).await;
}

async fn an_existing_account_accepts_an_invitation_after_signing_in(app: TestApp) {
    let b = borough(&app.db).await;
    let (_, admin) = food_hub_admin(&app, &b).await;
    let org = b.food_hub.id;
    let ada = volunteer(&app, "ada@example.org").await;
    volunteer(&app, "bob@example.org").await;
    let link = invite(&app, &admin, org, "ADA@example.org", "admin").await;

    // Not signed in: asked to sign in and come back.
    let visitor = Browser::new(&app);
    let page = visitor.get_text(&link, 200).await;
    let next = serde_urlencoded::to_string([("next", link.as_str())]).unwrap();
    assert!(page.contains(&format!("/sign-in?{next}")), "{page}");
    let res = visitor.post(&link, &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), format!("/sign-in?{next}"));

    // Signed in as somebody else: told so, and nothing happens.
    let bob = Browser::new(&app);
    bob.sign_in(&app.db, "bob@example.org").await;
    let page = bob.get_text(&link, 403).await;
    assert!(
        page.contains("this invitation is for ada@example.org"),
        "{page}"
    );
    let res = bob.post(&link, &[]).await;
    assert_eq!(res.status().as_u16(), 403);

    let res = visitor
        .post(
            "/sign-in",
            &[
                ("email", "ada@example.org"),
                ("password", PASSWORD),
                ("next", &link),
            ],
        )
        .await;
    assert_eq!(location(&res), link);
    let page = visitor.get_text(&link, 200).await;
    assert!(page.contains("Accept the invitation"), "{page}");
    let res = visitor.post(&link, &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        location(&res),
        format!("/organisations/{org}/staff?done=joined")
    );
    assert_eq!(
        role_of(&app.db, org, ada.id).await.as_deref(),
        Some("admin")
    );
    // As an admin now, she may invite others.
    let res = visitor
        .post(
            &format!("/organisations/{org}/staff/invite"),
            &[("email", "cy@example.org"), ("role", "staff")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let joins = audit_rows(&app.db, "staff.join").await;
    assert_eq!(joins.len(), 1);
    assert_eq!(joins[0].actor_user_id, Some(ada.id));
    visitor.get_text(&link, 400).await;
}

async fn invitations_refuse_someone_already_on_the_staff_and_name_bad_fields(app: TestApp) {
    let b = borough(&app.db).await;
    let (_, admin) = food_hub_admin(&app, &b).await;
    let org = b.food_hub.id;
    member(&app, "sam@food.example.org", "Sam Staff", org, "staff").await;
    let path = format!("/organisations/{org}/staff/invite");

    let res = admin
        .post(
            &path,
            &[("email", "Sam@Food.example.org"), ("role", "staff")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("href=\"#email\""), "{body}");
    assert!(
        body.contains("already works for Peckham Food Hub"),
        "{body}"
    );

    let res = admin
        .post(&path, &[("email", "not an email"), ("role", "owner")])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("href=\"#email\""), "{body}");
    assert!(body.contains("href=\"#role\""), "{body}");

    assert!(emails_to(&app.db, "sam@food.example.org").await.is_empty());
    assert!(audit_rows(&app.db, "staff.invite").await.is_empty());
}

async fn an_organisation_always_keeps_an_admin(app: TestApp) {
    let b = borough(&app.db).await;
    let (fola, admin) = food_hub_admin(&app, &b).await;
    let org = b.food_hub.id;
    let sam = member(&app, "sam@food.example.org", "Sam Staff", org, "staff").await;

    for (path, fields) in [
        (
            format!("/organisations/{org}/staff/{}/role", fola.id),
            vec![("role", "staff")],
        ),
        (
            format!("/organisations/{org}/staff/{}/remove", fola.id),
            vec![],
        ),
        (format!("/organisations/{org}/leave"), vec![]),
    ] {
        let res = admin.post(&path, &fields).await;
        assert_eq!(res.status().as_u16(), 400, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains("href=\"#staff\""), "{path}: {body}");
        assert!(body.contains("admin"), "{path}: {body}");
        assert_eq!(
            role_of(&app.db, org, fola.id).await.as_deref(),
            Some("admin"),
            "{path}"
        );
    }

    // With a second admin, the first may step down and leave.
    let res = admin
        .post(
            &format!("/organisations/{org}/staff/{}/role", sam.id),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let res = admin
        .post(&format!("/organisations/{org}/leave"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(role_of(&app.db, org, fola.id).await, None);
    assert_eq!(
        role_of(&app.db, org, sam.id).await.as_deref(),
        Some("admin")
    );
}

async fn removing_someone_ends_their_access(app: TestApp) {
    let b = borough(&app.db).await;
    let (fola, admin) = food_hub_admin(&app, &b).await;
    let org = b.food_hub.id;
    let sam = member(&app, "sam@food.example.org", "Sam Staff", org, "staff").await;
    let sam_browser = Browser::new(&app);
    sam_browser.sign_in(&app.db, "sam@food.example.org").await;
    let page = sam_browser
        .get_text(&format!("/organisations/{org}/staff"), 200)
        .await;
    assert!(page.contains("Fola Admin"));
    assert!(
        !page.contains("Send invitation"),
        "staff do not manage staff"
    );

    let res = admin
        .post(
            &format!("/organisations/{org}/staff/{}/remove", sam.id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(role_of(&app.db, org, sam.id).await, None);
    sam_browser
        .get_text(&format!("/organisations/{org}/staff"), 403)
        .await;
    let rows = audit_rows(&app.db, "staff.remove").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_user_id, Some(fola.id));
    assert_eq!(rows[0].subject_id, Some(org));
    assert!(rows[0].detail.contains(&sam.id.to_string()));

    // Removing someone who is not on the staff is a 404.
    let res = admin
        .post(
            &format!("/organisations/{org}/staff/{}/remove", sam.id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 404);
}

async fn an_admin_can_make_staff_an_admin_and_back(app: TestApp) {
    let b = borough(&app.db).await;
    let (_, admin) = food_hub_admin(&app, &b).await;
    let org = b.food_hub.id;
    let sam = member(&app, "sam@food.example.org", "Sam Staff", org, "staff").await;
    let path = format!("/organisations/{org}/staff/{}/role", sam.id);

    let res = admin.post(&path, &[("role", "owner")]).await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("role"), "{body}");
    assert_eq!(
        role_of(&app.db, org, sam.id).await.as_deref(),
        Some("staff")
    );

    let res = admin.post(&path, &[("role", "admin")]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        role_of(&app.db, org, sam.id).await.as_deref(),
        Some("admin")
    );
    let sam_browser = Browser::new(&app);
    sam_browser.sign_in(&app.db, "sam@food.example.org").await;
    let page = sam_browser
        .get_text(&format!("/organisations/{org}/staff"), 200)
        .await;
    assert!(page.contains("Send invitation"), "admins manage staff");

    let res = admin.post(&path, &[("role", "staff")]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        role_of(&app.db, org, sam.id).await.as_deref(),
        Some("staff")
    );
    let res = sam_browser
        .post(
            &format!("/organisations/{org}/staff/invite"),
            &[("email", "x@example.org"), ("role", "staff")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 403, "no longer an admin");

    let changes = audit_rows(&app.db, "staff.role_change").await;
    assert_eq!(changes.len(), 2);
    assert!(
        changes[0].detail.contains("\"to\":\"admin\""),
        "{}",
        changes[0].detail
    );
    assert!(
        changes[1].detail.contains("\"to\":\"staff\""),
        "{}",
        changes[1].detail
    );
}

async fn staff_can_leave_an_organisation(app: TestApp) {
    let b = borough(&app.db).await;
    member(
        &app,
        "admin@food.example.org",
        "Fola Admin",
        b.food_hub.id,
        "admin",
    )
    .await;
    let org = b.food_hub.id;
    let sam = member(&app, "sam@food.example.org", "Sam Staff", org, "staff").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "sam@food.example.org").await;
    let page = browser
        .get_text(&format!("/organisations/{org}/staff"), 200)
        .await;
    assert!(page.contains("Leave organisation"));
    let res = browser
        .post(&format!("/organisations/{org}/leave"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(role_of(&app.db, org, sam.id).await, None);
    browser
        .get_text(&format!("/organisations/{org}/staff"), 403)
        .await;
    let res = browser
        .post(&format!("/organisations/{org}/leave"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 403, "no longer a member");
    let rows = audit_rows(&app.db, "staff.leave").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_user_id, Some(sam.id));
}

async fn only_the_right_people_reach_staff_pages(app: TestApp) {
    let b = borough(&app.db).await;
    let org = b.food_hub.id;
    let fola = member(&app, "admin@food.example.org", "Fola Admin", org, "admin").await;
    member(&app, "sam@food.example.org", "Sam Staff", org, "staff").await;
    member(
        &app,
        "admin@befrienders.example.org",
        "Bea Admin",
        b.befrienders.id,
        "admin",
    )
    .await;
    volunteer(&app, "ada@example.org").await;
    let staff_page = format!("/organisations/{org}/staff");

    // Anonymous visitors are sent to sign in, pages and posts alike.
    for path in [staff_page.as_str(), "/organisations/register"] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 303, "{path}");
        assert!(location(&res).starts_with("/sign-in?next="), "{path}");
    }
    let anonymous = Browser::new(&app);
    let res = anonymous
        .post(&format!("/organisations/{org}/staff/invite"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).starts_with("/sign-in"));

    let invite = format!("/organisations/{org}/staff/invite");
    let remove = format!("/organisations/{org}/staff/{}/remove", fola.id);
    let role = format!("/organisations/{org}/staff/{}/role", fola.id);
    for email in [
        "ada@example.org",
        "sam@food.example.org",
        "admin@befrienders.example.org",
    ] {
        let browser = Browser::new(&app);
        browser.sign_in(&app.db, email).await;
        // Empty forms: permission is decided before the input is looked at.
        for path in [&invite, &remove, &role] {
            let res = browser.post(path, &[]).await;
            assert_eq!(res.status().as_u16(), 403, "{email} POST {path}");
        }
        if email != "sam@food.example.org" {
            browser.get_text(&staff_page, 403).await;
            let res = browser
                .post(&format!("/organisations/{org}/leave"), &[])
                .await;
            assert_eq!(res.status().as_u16(), 403, "{email} leave");
        }
        browser.get_text("/organisations/999999/staff", 404).await;
    }
    assert_eq!(
        role_of(&app.db, org, fola.id).await.as_deref(),
        Some("admin")
    );
}
