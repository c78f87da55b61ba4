//! A person's data rights: downloading everything held about them (and nobody else),
//! and erasing their account so nothing personal remains while organisations' totals
//! stay right.
use hubmatch::entities::{
    account_token, api_token, application, application_event, audit_log, availability,
    equality_monitoring, hours_log, outbox, rate_limit_event, recovery_code, role, session, skill,
    user, volunteer_cause, volunteer_profile, volunteer_skill,
};
use hubmatch::models::{api_tokens, two_factor};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::Value;
use time::{Date, Month};

use crate::fixtures::{Borough, borough, cause_id};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PASSWORD, PersonSpec, add_person, adult_birthday, location, reload};

/// Words that appear only in one person's data, so a search can find any trace of them.
struct Traces {
    email: &'static str,
    name: &'static str,
    phone: &'static str,
    bio: &'static str,
    message: &'static str,
    note: &'static str,
    hours_note: &'static str,
}

const ADA: Traces = Traces {
    email: "ada.lovelace@example.org",
    name: "Ada Lovelace",
    phone: "07700 900123",
    bio: "Retired engineer who loves gardening",
    message: "I can bring my own van on Saturdays",
    note: "Ada says she can start in June",
    hours_note: "Packed 40 parcels with Ada",
};

const BOB: Traces = Traces {
    email: "bob.babbage@example.org",
    name: "Bob Babbage",
    phone: "07700 900456",
    bio: "Chess coach and cyclist",
    message: "Weekday evenings suit me best",
    note: "Bob prefers the Walworth site",
    hours_note: "Bob sorted the tins",
};

/// A volunteer with something in every part of their record; returns the user and
/// their profile id.
async fn rich_volunteer(
    db: &DatabaseConnection,
    b: &Borough,
    who: &Traces,
    staff_id: i32,
    extra: PersonSpec<'_>,
) -> (user::Model, i32) {
    let person = add_person(
        db,
        PersonSpec {
            email: who.email,
            name: who.name,
            born: Some(adult_birthday()),
            ..extra
        },
    )
    .await;
    let now = hubmatch::db::now();
    let mut with_phone: user::ActiveModel = person.clone().into();
    with_phone.phone = Set(Some(who.phone.into()));
    let person = with_phone.update(db).await.unwrap();

    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let volunteer = profile.id;
    let mut p: volunteer_profile::ActiveModel = profile.into();
    p.bio = Set(who.bio.into());
    p.postcode_district = Set(Some("SE15".into()));
    p.languages = Set("en,pl".into());
    p.access_needs = Set("step_free".into());
    p.guardian_email = Set(Some(format!("guardian-of-{}", who.email)));
    p.dbs_checked_on = Set(Some(
        Date::from_calendar_date(2025, Month::March, 3).unwrap(),
    ));
    p.ward_id = Set(Some(
        crate::fixtures::ward_id(db, crate::fixtures::PECKHAM).await,
    ));
    p.update(db).await.unwrap();

    let first_skill = skill::Entity::find().one(db).await.unwrap().unwrap();
    volunteer_skill::ActiveModel {
        volunteer_id: Set(volunteer),
        skill_id: Set(first_skill.id),
        level: Set(7),
        verified_by: Set(None),
        verified_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    volunteer_cause::ActiveModel {
        volunteer_id: Set(volunteer),
        cause_id: Set(cause_id(db, "food-poverty").await),
    }
    .insert(db)
    .await
    .unwrap();
    availability::ActiveModel {
        volunteer_id: Set(volunteer),
        slot: Set("SaturdayMorning".into()),
    }
    .insert(db)
    .await
    .unwrap();

    let app_row = application::ActiveModel {
        role_id: Set(b.food_packing.id),
        volunteer_id: Set(volunteer),
        status: Set("accepted".into()),
        message: Set(who.message.into()),
        created_at: Set(now),
        updated_at: Set(now),
        decided_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for (from, to, actor, note) in [
        (None, "applied", person.id, who.message),
        (Some("applied"), "accepted", staff_id, who.note),
    ] {
        application_event::ActiveModel {
            application_id: Set(app_row.id),
            from_status: Set(from.map(str::to_owned)),
            to_status: Set(to.into()),
            actor_user_id: Set(Some(actor)),
            note: Set(note.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    for minutes in [90, 150] {
        hours_log::ActiveModel {
            volunteer_id: Set(volunteer),
            role_id: Set(b.food_packing.id),
            worked_on: Set(Date::from_calendar_date(2026, Month::January, 10).unwrap()),
            minutes: Set(minutes),
            status: Set("confirmed".into()),
            note: Set(who.hours_note.into()),
            reviewed_by: Set(Some(staff_id)),
            reviewed_at: Set(Some(now)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    equality_monitoring::ActiveModel {
        user_id: Set(person.id),
        consented_at: Set(now),
        sex: Set(Some("female".into())),
        ethnic_group: Set(Some("prefer_not_to_say".into())),
        religion: Set(Some("no_religion".into())),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    api_tokens::create(db, person.id, None, &format!("{}'s spreadsheet", who.name))
        .await
        .unwrap();
    (person, volunteer)
}

async fn staff_member(app: &TestApp, b: &Borough) -> user::Model {
    add_person(
        &app.db,
        PersonSpec {
            email: "sam.staff@foodhub.org",
            name: "Sam Staffer",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await
}

async fn the_export_holds_every_part_of_the_persons_data_and_nobody_elses(app: TestApp) {
    let b = borough(&app.db).await;
    let staff = staff_member(&app, &b).await;
    let (ada, _) = rich_volunteer(
        &app.db,
        &b,
        &ADA,
        staff.id,
        PersonSpec {
            organisation: Some((b.befrienders.id, "staff")),
            coordinates_hub: Some(b.walworth_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    rich_volunteer(&app.db, &b, &BOB, staff.id, PersonSpec::default()).await;
    two_factor::replace_recovery_codes(&app.db, ada.id)
        .await
        .unwrap();

    let browser = Browser::new(&app);
    browser.sign_in(&app.db, ADA.email).await;
    let page = browser.get_text("/account/export", 200).await;
    assert!(page.contains("href=\"/account/export.json\""), "{page}");

    let res = browser.get("/account/export.json").await;
    assert_eq!(res.status().as_u16(), 200);
    let disposition = res
        .headers()
        .get("content-disposition")
        .expect("a download")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let text = res.text().await.unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();

    assert_eq!(data["account"]["email"], ADA.email);
    assert_eq!(data["account"]["display_name"], ADA.name);
    assert_eq!(data["account"]["phone"], ADA.phone);
    assert_eq!(data["volunteer_profile"]["bio"], ADA.bio);
    assert_eq!(data["volunteer_profile"]["date_of_birth"], "1990-05-17");
    assert_eq!(data["skills"][0]["level"], 7);
    assert_eq!(data["causes"][0]["slug"], "food-poverty");
    assert_eq!(data["availability"], serde_json::json!(["SaturdayMorning"]));
    let application = &data["applications"][0];
    assert_eq!(application["message"], ADA.message);
    assert_eq!(application["role_title"], b.food_packing.title);
    assert_eq!(application["organisation"], "Peckham Food Hub");
    assert_eq!(application["history"][0]["by"], "you");
    assert_eq!(application["history"][1]["to_status"], "accepted");
    assert_eq!(application["history"][1]["note"], ADA.note);
    assert_eq!(data["hours"].as_array().unwrap().len(), 2);
    assert_eq!(data["hours"][0]["minutes"], 90);
    assert_eq!(data["equality_monitoring"]["sex"], "female");
    assert_eq!(
        data["memberships"][0]["organisation"],
        "Walworth Befrienders"
    );
    assert_eq!(data["memberships"][0]["role"], "staff");
    assert_eq!(data["coordinated_hubs"][0]["hub"], "Walworth Hub");
    assert_eq!(data["api_tokens"][0]["name"], "Ada Lovelace's spreadsheet");
    assert!(
        data["audit_entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "data.export"),
        "the export itself is recorded and shown"
    );

    // No secrets.
    let ada_now = reload(&app.db, &ada).await;
    let token = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(ada.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let codes = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(ada.id))
        .all(&app.db)
        .await
        .unwrap();
    let mut secrets = vec![
        ada_now.password_hash.clone().unwrap(),
        ada_now.totp_secret.clone().unwrap(),
        token.token_hash.clone(),
        "password_hash".into(),
        "totp_secret".into(),
        "token_hash".into(),
        "code_hash".into(),
    ];
    secrets.extend(codes.into_iter().map(|c| c.code_hash));
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "the export holds {secret}");
    }
    // Nobody else: not Bob, not the staff member who decided the application.
    for other in [
        BOB.email,
        BOB.name,
        BOB.phone,
        BOB.bio,
        BOB.message,
        BOB.note,
        BOB.hours_note,
        "sam.staff@foodhub.org",
        "Sam Staffer",
    ] {
        assert!(!text.contains(other), "the export holds {other}: {text}");
    }

    // The same through the API with a personal token.
    let secret = api_tokens::create(&app.db, ada.id, None, "export script")
        .await
        .unwrap()
        .secret;
    let res = app
        .client
        .get(format!("{}/api/v1/me/export", app.base))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let by_api: Value = res.json().await.unwrap();
    assert_eq!(by_api["account"]["email"], ADA.email);
    assert_eq!(by_api["applications"][0]["message"], ADA.message);

    let exports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("data.export"))
        .filter(audit_log::Column::ActorUserId.eq(ada.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(exports, 2);
}

/// Minutes of hours confirmed for an organisation's roles.
async fn confirmed_minutes(db: &DatabaseConnection, organisation: i32) -> i64 {
    let roles: Vec<i32> = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    hours_log::Entity::find()
        .filter(hours_log::Column::RoleId.is_in(roles))
        .filter(hours_log::Column::Status.eq("confirmed"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| i64::from(h.minutes))
        .sum()
}

/// Every row of the tables that could hold personal data, every column, as text.
async fn everything_stored(db: &DatabaseConnection) -> String {
    let mut all = String::new();
    macro_rules! dump {
        ($($entity:ident),*) => {
            $(
                for row in $entity::Entity::find().all(db).await.unwrap() {
                    all.push_str(&format!("{row:?}\n"));
                }
            )*
        };
    }
    dump!(
        user,
        volunteer_profile,
        application,
        application_event,
        hours_log,
        equality_monitoring,
        api_token,
        account_token,
        recovery_code,
        audit_log,
        outbox,
        rate_limit_event,
        session
    );
    all
}

async fn erasing_an_account_leaves_nothing_personal_and_keeps_organisations_totals(app: TestApp) {
    let b = borough(&app.db).await;
    let staff = staff_member(&app, &b).await;
    let (ada, ada_volunteer) = rich_volunteer(
        &app.db,
        &b,
        &ADA,
        staff.id,
        PersonSpec {
            organisation: Some((b.befrienders.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let (bob, _) = rich_volunteer(&app.db, &b, &BOB, staff.id, PersonSpec::default()).await;
    // A sign-in attempt and a queued email carry the address too.
    let failed = Browser::new(&app);
    failed
        .post(
            "/sign-in",
            &[("email", ADA.email), ("password", "wrong password")],
        )
        .await;
    hubmatch::email::enqueue(
        &app.db,
        "email.test",
        &hubmatch::email::simple(ADA.email, "Welcome", &["Hello Ada Lovelace"], None),
    )
    .await
    .unwrap();

    let minutes_before = confirmed_minutes(&app.db, b.food_hub.id).await;
    let applications_before = application::Entity::find()
        .filter(application::Column::RoleId.eq(b.food_packing.id))
        .filter(application::Column::Status.eq("accepted"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(minutes_before, 480);
    assert!(everything_stored(&app.db).await.contains(ADA.email));

    let browser = Browser::new(&app);
    browser.sign_in(&app.db, ADA.email).await;
    let phone = Browser::new(&app);
    phone.sign_in(&app.db, ADA.email).await;
    let page = browser.get_text("/account/delete", 200).await;
    assert!(page.contains("cannot undo"), "{page}");

    let res = browser
        .post(
            "/account/delete",
            &[("password", "not my password"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#password\""));
    let res = browser
        .post("/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#confirm\""));
    assert!(
        reload(&app.db, &ada).await.erased_at.is_none(),
        "nothing yet"
    );

    let res = browser
        .post(
            "/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/sign-in?notice=account-deleted");

    // Nothing personal remains anywhere.
    let stored = everything_stored(&app.db).await;
    for trace in [
        ADA.email,
        ADA.name,
        ADA.phone,
        ADA.bio,
        ADA.message,
        ADA.note,
        ADA.hours_note,
    ] {
        assert!(!stored.contains(trace), "{trace} is still stored");
    }
    for trace in [BOB.email, BOB.bio, BOB.message, BOB.note] {
        assert!(stored.contains(trace), "Bob's data ({trace}) is untouched");
    }
    let erased = reload(&app.db, &ada).await;
    assert_eq!(erased.email, format!("erased-{}@invalid.hubmatch", ada.id));
    assert_eq!(erased.display_name, "Former volunteer");
    assert_eq!(erased.status, "disabled");
    assert!(erased.erased_at.is_some());
    assert!(erased.password_hash.is_none() && erased.phone.is_none());
    assert!(erased.totp_secret.is_none());
    let profile = volunteer_profile::Entity::find_by_id(ada_volunteer)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the profile row stays for the organisation's records");
    assert_eq!(
        profile.date_of_birth,
        Date::from_calendar_date(1900, Month::January, 1).unwrap()
    );
    assert_eq!(profile.ward_id, None);
    assert_eq!(profile.postcode_district, None);
    assert_eq!(profile.guardian_email, None);
    assert_eq!(profile.dbs_checked_on, None);
    assert_eq!((profile.bio.as_str(), profile.languages.as_str()), ("", ""));

    let count_for = |n: u64, what: &str| assert_eq!(n, 0, "{what} left");
    count_for(
        equality_monitoring::Entity::find()
            .filter(equality_monitoring::Column::UserId.eq(ada.id))
            .count(&app.db)
            .await
            .unwrap(),
        "equality answers",
    );
    count_for(
        volunteer_skill::Entity::find()
            .filter(volunteer_skill::Column::VolunteerId.eq(ada_volunteer))
            .count(&app.db)
            .await
            .unwrap(),
        "skills",
    );
    count_for(
        volunteer_cause::Entity::find()
            .filter(volunteer_cause::Column::VolunteerId.eq(ada_volunteer))
            .count(&app.db)
            .await
            .unwrap(),
        "causes",
    );
    count_for(
        availability::Entity::find()
            .filter(availability::Column::VolunteerId.eq(ada_volunteer))
            .count(&app.db)
            .await
            .unwrap(),
        "availability",
    );
    count_for(
        api_token::Entity::find()
            .filter(api_token::Column::UserId.eq(ada.id))
            .count(&app.db)
            .await
            .unwrap(),
        "API tokens",
    );
    count_for(
        hubmatch::entities::membership::Entity::find()
            .filter(hubmatch::entities::membership::Column::UserId.eq(ada.id))
            .count(&app.db)
            .await
            .unwrap(),
        "memberships",
    );
    count_for(
        session::Entity::find()
            .filter(session::Column::UserId.eq(ada.id))
            .count(&app.db)
            .await
            .unwrap(),
        "sessions",
    );
    assert!(
        equality_monitoring::Entity::find()
            .filter(equality_monitoring::Column::UserId.eq(bob.id))
            .one(&app.db)
            .await
            .unwrap()
            .is_some(),
        "Bob's answers stay"
    );

    // The organisation's records and totals are as they were.
    assert_eq!(
        confirmed_minutes(&app.db, b.food_hub.id).await,
        minutes_before
    );
    let applications_after = application::Entity::find()
        .filter(application::Column::RoleId.eq(b.food_packing.id))
        .filter(application::Column::Status.eq("accepted"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(applications_after, applications_before);

    let erase_entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("account.erase"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the erasure is audited");
    assert_eq!(erase_entry.actor_user_id, Some(ada.id));

    // Signed out everywhere, and cannot sign in again.
    for device in [&browser, &phone] {
        let res = device.get("/account/api-tokens").await;
        assert_eq!(res.status().as_u16(), 303);
        assert!(location(&res).starts_with("/sign-in"));
    }
    let res = Browser::new(&app)
        .post("/sign-in", &[("email", ADA.email), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status().as_u16(), 400);

    // The address is free: a new account can use it.
    let again = add_person(
        &app.db,
        PersonSpec {
            email: ADA.email,
            ..PersonSpec::default()
        },
    )
    .await;
    assert_ne!(again.id, ada.id);
}

async fn an_organisations_only_admin_must_hand_over_before_deleting(app: TestApp) {
    let b = borough(&app.db).await;
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "only.admin@foodhub.org",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "only.admin@foodhub.org").await;
    let page = browser.get_text("/account/delete", 200).await;
    assert!(page.contains("only admin of Peckham Food Hub"), "{page}");

    let res = browser
        .post(
            "/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("govuk-error-summary"), "{body}");
    assert!(
        body.contains("Make another member of staff an admin"),
        "{body}"
    );
    assert!(reload(&app.db, &admin).await.erased_at.is_none());

    add_person(
        &app.db,
        PersonSpec {
            email: "new.admin@foodhub.org",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let res = browser
        .post(
            "/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "handed over: now they may go");
    assert!(reload(&app.db, &admin).await.erased_at.is_some());
}

on_both_databases!(
    the_export_holds_every_part_of_the_persons_data_and_nobody_elses,
    erasing_an_account_leaves_nothing_personal_and_keeps_organisations_totals,
    an_organisations_only_admin_must_hand_over_before_deleting,
);
