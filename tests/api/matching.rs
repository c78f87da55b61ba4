//! Matching on crafted data whose right answers are known: recommendations ranked and
//! explained, ineligible roles never shown, suggested volunteers only opted-in and
//! eligible, inviting to apply (one email, never twice), who may see what, and the API.
use hubmatch::domain::london_time;
use hubmatch::domain::matching::{SLOT_NAMES, session_slot};
use hubmatch::entities::{
    application, availability, outbox, role, role_invitation, role_session, role_skill,
    volunteer_cause, volunteer_profile, volunteer_skill,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::Value;
use time::{Date, Duration, Month, OffsetDateTime};

use crate::fixtures::{Borough, RoleSpec, add_role, borough, cause_id, ward_id};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday};
use crate::volunteer_dashboard::profile_of;

const DULWICH_WOOD: &str = "E05011101";
const PECKHAM: &str = "E05011110";

/// The slot name of an instant, as the role's sessions count it.
fn slot_name(at: OffsetDateTime) -> &'static str {
    let local = london_time::to_london(at);
    let bit = session_slot(local.weekday().number_days_from_monday(), local.hour());
    SLOT_NAMES[bit.trailing_zeros() as usize]
}

async fn skill_id(db: &DatabaseConnection, slug: &str) -> i32 {
    hubmatch::entities::skill::Entity::find()
        .filter(hubmatch::entities::skill::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("reference skill {slug}"))
        .id
}

struct VolunteerSpec<'a> {
    email: &'a str,
    name: &'a str,
    born: Date,
    ward: &'a str,
    travel_km: i32,
    open_to_suggestions: bool,
    causes: &'a [&'a str],
    skills: &'a [(&'a str, i32)],
    slots: Vec<&'static str>,
}

impl Default for VolunteerSpec<'_> {
    fn default() -> Self {
        Self {
            email: "",
            name: "",
            born: adult_birthday(),
            ward: PECKHAM,
            travel_km: 3,
            open_to_suggestions: true,
            causes: &[],
            skills: &[],
            slots: Vec::new(),
        }
    }
}

/// A volunteer with a profile as the spec says; their profile id.
async fn add_volunteer(db: &DatabaseConnection, spec: VolunteerSpec<'_>) -> i32 {
    add_person(
        db,
        PersonSpec {
            email: spec.email,
            name: spec.name,
            born: Some(spec.born),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = profile_of(db, spec.email).await;
    let id = profile.id;
    let mut row: volunteer_profile::ActiveModel = profile.into();
    row.ward_id = Set(Some(ward_id(db, spec.ward).await));
    row.travel_km = Set(spec.travel_km);
    row.open_to_suggestions = Set(spec.open_to_suggestions);
    if spec.born > Date::from_calendar_date(2008, Month::January, 1).unwrap() {
        row.guardian_email = Set(Some("parent@example.org".into()));
        row.guardian_consent_at = Set(Some(hubmatch::db::now()));
    }
    row.update(db).await.unwrap();
    for slug in spec.causes {
        volunteer_cause::ActiveModel {
            volunteer_id: Set(id),
            cause_id: Set(cause_id(db, slug).await),
        }
        .insert(db)
        .await
        .unwrap();
    }
    for (slug, level) in spec.skills {
        volunteer_skill::ActiveModel {
            volunteer_id: Set(id),
            skill_id: Set(skill_id(db, slug).await),
            level: Set(*level),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    for slot in spec.slots {
        availability::ActiveModel {
            volunteer_id: Set(id),
            slot: Set(slot.into()),
        }
        .insert(db)
        .await
        .unwrap();
    }
    id
}

async fn wants_skill(db: &DatabaseConnection, role_id: i32, slug: &str, level: i32) {
    role_skill::ActiveModel {
        role_id: Set(role_id),
        skill_id: Set(skill_id(db, slug).await),
        min_level: Set(level),
    }
    .insert(db)
    .await
    .unwrap();
}

async fn session_at(db: &DatabaseConnection, role_id: i32, at: OffsetDateTime) {
    role_session::ActiveModel {
        role_id: Set(role_id),
        starts_at: Set(at),
        ends_at: Set(at + Duration::hours(2)),
        places: Set(None),
        created_at: Set(hubmatch::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn accept(db: &DatabaseConnection, role_id: i32, volunteer_id: i32) {
    let now = hubmatch::db::now();
    application::ActiveModel {
        role_id: Set(role_id),
        volunteer_id: Set(volunteer_id),
        status: Set("accepted".into()),
        message: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        decided_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// The crafted borough plus roles that must never be recommended to Ada (a 36-year-old
/// in Peckham who travels 3 km, is not happy remotely and has no DBS check).
struct Scene {
    town: Borough,
    /// Ada: cooks, cares about food poverty, free when the food parcel session is.
    ada: i32,
    full: role::Model,
    remote: role::Model,
    far: role::Model,
    older_only: role::Model,
    dbs: role::Model,
}

async fn scene(app: &TestApp) -> Scene {
    let db = &app.db;
    let town = borough(db).await;
    let food = cause_id(db, "food-poverty").await;
    let peckham = ward_id(db, PECKHAM).await;
    // The food parcel session is three days away (fixture); befriending's is at
    // another time of day, when Ada is not free.
    let parcel_session = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(town.food_packing.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .starts_at;
    let other = parcel_session
        + Duration::hours(if london_time::to_london(parcel_session).hour() < 12 {
            9
        } else {
            -8
        });
    session_at(db, town.befriending.id, other).await;
    wants_skill(db, town.food_packing.id, "cooking", 5).await;
    wants_skill(db, town.befriending.id, "listening", 5).await;

    let ada = add_volunteer(
        db,
        VolunteerSpec {
            email: "ada@example.org",
            name: "Ada Lovelace",
            causes: &["food-poverty"],
            skills: &[("cooking", 8)],
            slots: vec![slot_name(parcel_session)],
            ..VolunteerSpec::default()
        },
    )
    .await;

    let spec = |title| RoleSpec {
        title,
        organisation: town.food_hub.id,
        hub: Some(town.peckham_hub.id),
        ward: Some(peckham),
        causes: vec![food],
        status: "open",
        location_type: "in_person",
        youth_friendly: false,
        closes_in_days: Some(30),
    };
    let full = add_role(db, spec("Full kitchen shift")).await;
    let mut row: role::ActiveModel = full.clone().into();
    row.places = Set(1);
    let full = row.update(db).await.unwrap();
    let filler = add_volunteer(
        db,
        VolunteerSpec {
            email: "filler@example.org",
            name: "Fay Filler",
            open_to_suggestions: false,
            ..VolunteerSpec::default()
        },
    )
    .await;
    accept(db, full.id, filler).await;
    let remote = add_role(
        db,
        RoleSpec {
            location_type: "remote",
            ward: None,
            ..spec("Food bank phone line")
        },
    )
    .await;
    let far = add_role(
        db,
        RoleSpec {
            ward: Some(ward_id(db, DULWICH_WOOD).await),
            ..spec("Dulwich food store")
        },
    )
    .await;
    let older_only = add_role(db, spec("Food club for over-40s")).await;
    let mut row: role::ActiveModel = older_only.clone().into();
    row.min_age = Set(40);
    let older_only = row.update(db).await.unwrap();
    let dbs = add_role(db, spec("Kitchen with children")).await;
    let mut row: role::ActiveModel = dbs.clone().into();
    row.dbs_required = Set(true);
    let dbs = row.update(db).await.unwrap();
    Scene {
        town,
        ada,
        full,
        remote,
        far,
        older_only,
        dbs,
    }
}

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = Browser::new(app);
    b.sign_in(&app.db, email).await;
    b
}

async fn staff_of(app: &TestApp, org: i32, email: &'static str) -> Browser {
    add_person(
        &app.db,
        PersonSpec {
            email,
            name: "Sam Staff",
            organisation: Some((org, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    signed_in(app, email).await
}

async fn json(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    res.json().await.unwrap()
}

fn ids(items: &Value) -> Vec<i64> {
    items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["role_id"].as_i64().unwrap())
        .collect()
}

async fn recommendations_are_ranked_explained_and_only_eligible(app: TestApp) {
    let s = scene(&app).await;
    let ada = signed_in(&app, "ada@example.org").await;
    let body = json(ada.get("/api/v1/me/recommendations").await, 200).await;
    let got = ids(&body);
    let t = &s.town;
    // Food parcels (her skill, cause and free time) first; befriending (another cause,
    // a skill she lacks, a time she is busy) below it.
    let parcels = got
        .iter()
        .position(|id| *id == i64::from(t.food_packing.id));
    let befriending = got.iter().position(|id| *id == i64::from(t.befriending.id));
    assert_eq!(parcels, Some(0), "{body}");
    assert!(befriending.is_some_and(|b| b > 0), "{body}");
    for never in [
        &t.draft,
        &t.closed,
        &t.expired,
        &s.full,
        &s.remote,
        &s.far,
        &s.older_only,
        &s.dbs,
    ] {
        assert!(
            !got.contains(&i64::from(never.id)),
            "{} must not be recommended: {body}",
            never.title
        );
    }
    let top = &body["items"][0];
    let reasons: Vec<&str> = top["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons.len() <= 3 && !reasons.is_empty());
    assert!(
        reasons.contains(&"has the cooking skill it asks for"),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"cares about food poverty"), "{reasons:?}");
    assert!(
        top["score"].as_f64().unwrap()
            > body["items"][befriending.unwrap()]["score"]
                .as_f64()
                .unwrap()
    );
    assert_eq!(top["parts"].as_array().unwrap().len(), 7);
    assert_eq!(body["total"].as_u64().unwrap() as usize, got.len());
    assert_eq!(body["page"], 1);

    // The pages say the same.
    let dashboard = ada.get_text("/dashboard", 200).await;
    assert!(dashboard.contains("Recommended for you"));
    assert!(dashboard.contains("Food parcel packer"));
    assert!(dashboard.contains("has the cooking skill it asks for"));
    let page = ada.get_text("/roles/recommended", 200).await;
    assert!(page.contains("Food parcel packer") && page.contains("cares about food poverty"));
    assert!(!page.contains("Dulwich food store"));
    // Once she applies, the role leaves her recommendations.
    let now = hubmatch::db::now();
    application::ActiveModel {
        role_id: Set(t.food_packing.id),
        volunteer_id: Set(s.ada),
        status: Set("applied".into()),
        message: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let body = json(ada.get("/api/v1/me/recommendations").await, 200).await;
    assert!(!ids(&body).contains(&i64::from(t.food_packing.id)));
}

async fn under_eighteens_see_only_youth_friendly_roles(app: TestApp) {
    let s = scene(&app).await;
    let today = hubmatch::db::now().date();
    add_volunteer(
        &app.db,
        VolunteerSpec {
            email: "young@example.org",
            name: "Yusuf Young",
            born: today.replace_year(today.year() - 16).unwrap_or(today),
            causes: &["food-poverty"],
            ..VolunteerSpec::default()
        },
    )
    .await;
    let young = signed_in(&app, "young@example.org").await;
    let body = json(young.get("/api/v1/me/recommendations").await, 200).await;
    assert_eq!(
        ids(&body),
        vec![i64::from(s.town.meal_delivery.id)],
        "{body}"
    );
}

/// Opted in and eligible (Bea), not opted in (Cal), too far (Dan), already applied
/// (Eve), under 18 (Finn): only Bea is suggested for the food parcel role.
async fn suggestion_people(app: &TestApp, s: &Scene) -> i32 {
    let db = &app.db;
    let bea = add_volunteer(
        db,
        VolunteerSpec {
            email: "bea@example.org",
            name: "Bea Baker",
            skills: &[("cooking", 9)],
            causes: &["food-poverty"],
            ..VolunteerSpec::default()
        },
    )
    .await;
    add_volunteer(
        db,
        VolunteerSpec {
            email: "cal@example.org",
            name: "Cal Closed",
            open_to_suggestions: false,
            skills: &[("cooking", 9)],
            ..VolunteerSpec::default()
        },
    )
    .await;
    add_volunteer(
        db,
        VolunteerSpec {
            email: "dan@example.org",
            name: "Dan Distant",
            ward: DULWICH_WOOD,
            travel_km: 1,
            ..VolunteerSpec::default()
        },
    )
    .await;
    let eve = add_volunteer(
        db,
        VolunteerSpec {
            email: "eve@example.org",
            name: "Eve Applied",
            ..VolunteerSpec::default()
        },
    )
    .await;
    accept(db, s.town.food_packing.id, eve).await;
    let today = hubmatch::db::now().date();
    add_volunteer(
        db,
        VolunteerSpec {
            email: "finn@example.org",
            name: "Finn Fifteen",
            born: today.replace_year(today.year() - 15).unwrap_or(today),
            ..VolunteerSpec::default()
        },
    )
    .await;
    // Ada did not opt in for this test.
    let ada = volunteer_profile::Entity::find_by_id(s.ada)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut row: volunteer_profile::ActiveModel = ada.into();
    row.open_to_suggestions = Set(false);
    row.update(db).await.unwrap();
    bea
}

async fn invitations(db: &DatabaseConnection) -> (u64, u64) {
    let emails = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("email.invitation_to_apply"))
        .count(db)
        .await
        .unwrap();
    let rows = role_invitation::Entity::find().count(db).await.unwrap();
    (emails, rows)
}

async fn suggested_volunteers_are_opted_in_and_eligible_and_invited_once(app: TestApp) {
    let s = scene(&app).await;
    let bea = suggestion_people(&app, &s).await;
    let role_id = s.town.food_packing.id;
    let staff = staff_of(&app, s.town.food_hub.id, "staff@food.example.org").await;

    let body = json(
        staff
            .get(&format!("/api/v1/roles/{role_id}/suggested-volunteers"))
            .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{body}");
    assert_eq!(items[0]["volunteer_profile_id"], bea);
    assert_eq!(items[0]["first_name"], "Bea");
    assert_eq!(items[0]["ward"], "Peckham");
    assert!(items[0].get("email").is_none() && items[0].get("display_name").is_none());
    assert!(
        items[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "has the cooking skill it asks for"),
        "{body}"
    );

    let page = staff
        .get_text(&format!("/roles/{role_id}/suggested"), 200)
        .await;
    assert!(page.contains("Bea") && page.contains("Invite to apply"));
    for hidden in ["Cal", "Dan", "Eve", "Finn", "Ada"] {
        assert!(!page.contains(&format!(">{hidden}")), "{hidden} shown");
    }
    let management = staff
        .get_text(&format!("/roles/{role_id}/sessions"), 200)
        .await;
    assert!(management.contains(&format!("/roles/{role_id}/suggested")));

    let invite = format!("/roles/{role_id}/suggested/{bea}/invite");
    let res = staff.post(&invite, &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(invitations(&app.db).await, (1, 1));
    let email = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("email.invitation_to_apply"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        email.payload.contains("bea@example.org"),
        "{}",
        email.payload
    );
    let page = staff
        .get_text(&format!("/roles/{role_id}/suggested?notice=invited"), 200)
        .await;
    assert!(page.contains("Invitation sent") && page.contains("Invited"));

    // Twice: refused, nothing more written or sent.
    let res = staff.post(&invite, &[]).await;
    assert_eq!(res.status().as_u16(), 400);
    let text = res.text().await.unwrap();
    assert!(text.contains("already been invited"), "{text}");
    assert_eq!(invitations(&app.db).await, (1, 1));

    // Someone not suggested (not opted in): refused the same way.
    let cal = profile_of(&app.db, "cal@example.org").await.id;
    let res = staff
        .post(&format!("/roles/{role_id}/suggested/{cal}/invite"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("not among the role"));
    let res = staff
        .post(&format!("/roles/{role_id}/suggested/nope/invite"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(invitations(&app.db).await, (1, 1));
}

async fn only_the_organisation_and_its_hubs_coordinators_see_suggestions(app: TestApp) {
    let s = scene(&app).await;
    let bea = suggestion_people(&app, &s).await;
    let role_id = s.town.food_packing.id;
    let page = format!("/roles/{role_id}/suggested");
    let api = format!("/api/v1/roles/{role_id}/suggested-volunteers");
    let invite = format!("/roles/{role_id}/suggested/{bea}/invite");

    let ada = signed_in(&app, "ada@example.org").await;
    assert_eq!(ada.get(&page).await.status().as_u16(), 403);
    assert_eq!(ada.get(&api).await.status().as_u16(), 403);
    assert_eq!(ada.post(&invite, &[]).await.status().as_u16(), 403);

    let other = staff_of(&app, s.town.befrienders.id, "staff@befrienders.example.org").await;
    assert_eq!(other.get(&page).await.status().as_u16(), 403);
    assert_eq!(other.get(&api).await.status().as_u16(), 403);
    assert_eq!(other.post(&invite, &[]).await.status().as_u16(), 403);

    add_person(
        &app.db,
        PersonSpec {
            email: "cora@example.org",
            name: "Cora Coordinator",
            coordinates_hub: Some(s.town.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let cora = signed_in(&app, "cora@example.org").await;
    let text = cora.get_text(&page, 200).await;
    assert!(text.contains("Bea") && !text.contains("Invite to apply"));
    assert_eq!(cora.post(&invite, &[]).await.status().as_u16(), 403);
    assert_eq!(invitations(&app.db).await, (0, 0));

    // A volunteer's own recommendations are theirs: organisation staff have none.
    let staff = staff_of(&app, s.town.food_hub.id, "staff@food.example.org").await;
    assert_eq!(
        staff
            .get("/api/v1/me/recommendations")
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        app.get("/api/v1/me/recommendations")
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        app.get(&format!("/api/v1/roles/{role_id}/suggested-volunteers"))
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        app.get("/api/v1/roles/999999/suggested-volunteers")
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        staff
            .get("/api/v1/roles/999999/suggested-volunteers")
            .await
            .status()
            .as_u16(),
        404
    );
}

on_both_databases!(
    recommendations_are_ranked_explained_and_only_eligible,
    under_eighteens_see_only_youth_friendly_roles,
    suggested_volunteers_are_opted_in_and_eligible_and_invited_once,
    only_the_organisation_and_its_hubs_coordinators_see_suggestions,
);
