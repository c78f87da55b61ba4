//! Skills pathways through the API and pages: an admin defines a pathway, a young
//! volunteer joins, volunteers on a role tagged for the stage, the organisation confirms
//! the hours and signs off a skill, the stage completes once (one email), the
//! certificate verifies, a tampered token does not, a revoked one shows revoked; the
//! refusals (outsiders, levels out of range, untagged roles), the Duke of Edinburgh's
//! Award export and the suppressed alliance counts.
use hubmatch::entities::{application, skill_sign_off, stage_completion, volunteer_skill};
use hubmatch::models::api_tokens;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use time::{Date, Duration, Month, OffsetDateTime};

use crate::api_v1_journey::{Caller, queued};
use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

/// Someone who is 19 today (inside the 14–25 pathways' ages, and an adult, so any
/// open role takes them).
fn nineteen() -> Date {
    let today = hubmatch::domain::london_time::to_london(OffsetDateTime::now_utc()).date();
    Date::from_calendar_date(today.year() - 19, Month::January, 15).unwrap()
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn today() -> Date {
    hubmatch::domain::london_time::to_london(OffsetDateTime::now_utc()).date()
}

struct World<'a> {
    b: Borough,
    admin: Caller<'a>,
    org: Caller<'a>,
    other_org: Caller<'a>,
    young: Caller<'a>,
    young_profile: i32,
    stage1: i64,
    stage2: i64,
}

/// A borough, an alliance admin, the food hub's staff, another organisation's admin,
/// a 19-year-old volunteer, and the "Food hub logistics" pathway: stage 1 asks for
/// 2 hours on tagged roles and Teamwork at step 3; stage 2 for food hygiene training.
async fn world(app: &TestApp) -> World<'_> {
    let b = borough(&app.db).await;
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "admin@example.org",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let staff = add_person(
        &app.db,
        PersonSpec {
            email: "staff@food.example.org",
            name: "Sam Staff",
            organisation: Some((b.food_hub.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let other = add_person(
        &app.db,
        PersonSpec {
            email: "admin@befrienders.example.org",
            organisation: Some((b.befrienders.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let young = add_person(
        &app.db,
        PersonSpec {
            email: "jay@example.org",
            name: "Jay Young",
            born: Some(nineteen()),
            ..PersonSpec::default()
        },
    )
    .await;
    let token = |user: i32| {
        let db = app.db.clone();
        async move {
            api_tokens::create(&db, user, None, "t")
                .await
                .unwrap()
                .secret
        }
    };
    let admin = Caller::new(app, &token(admin.id).await);
    let org = Caller::new(app, &token(staff.id).await);
    let other_org = Caller::new(app, &token(other.id).await);
    let young_caller = Caller::new(app, &token(young.id).await);
    let young_profile = hubmatch::entities::volunteer_profile::Entity::find()
        .filter(hubmatch::entities::volunteer_profile::Column::UserId.eq(young.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    admin
        .expect(
            "POST",
            "/api/v1/pathways",
            Some(
                &json!({"slug": "food-hub-logistics", "name": "Food hub logistics",
                         "summary": "From packing parcels to running a shift."}),
            ),
            201,
        )
        .await;
    let s1 = admin
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/stages",
            Some(&json!({"name": "Packing team", "tag": "food-packing-team"})),
            201,
        )
        .await;
    let s2 = admin
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/stages",
            Some(&json!({"name": "Shift runner", "tag": "food-shift-runner"})),
            201,
        )
        .await;
    assert_eq!(s2["position"], 2);
    let (stage1, stage2) = (s1["id"].as_i64().unwrap(), s2["id"].as_i64().unwrap());
    for body in [
        json!({"kind": "hours", "hours": 2}),
        json!({"kind": "skill", "skill": "teamwork", "min_level": 3}),
    ] {
        admin
            .expect(
                "POST",
                &format!("/api/v1/pathway-stages/{stage1}/requirements"),
                Some(&body),
                201,
            )
            .await;
    }
    admin
        .expect(
            "POST",
            &format!("/api/v1/pathway-stages/{stage2}/requirements"),
            Some(&json!({"kind": "training", "training_item": "food-hygiene"})),
            201,
        )
        .await;
    World {
        b,
        admin,
        org,
        other_org,
        young: young_caller,
        young_profile,
        stage1,
        stage2,
    }
}

/// The volunteer applies to `role_id` and the organisation accepts: the application id.
async fn accepted_on(w: &World<'_>, role_id: i32) -> i64 {
    let sessions = w
        .org
        .expect(
            "GET",
            &format!("/api/v1/roles/{role_id}/sessions"),
            None,
            200,
        )
        .await;
    let session_ids: Vec<i64> = sessions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let applied = w
        .young
        .expect(
            "POST",
            &format!("/api/v1/roles/{role_id}/applications"),
            Some(&json!({"message": "I would like to help.", "session_ids": session_ids})),
            201,
        )
        .await;
    let id = applied["id"].as_i64().unwrap();
    w.org
        .expect(
            "POST",
            &format!("/api/v1/applications/{id}/decision"),
            Some(&json!({"decision": "accept"})),
            200,
        )
        .await;
    id
}

async fn log_and_confirm(w: &World<'_>, application_id: i64, minutes: i64) {
    let logged = w
        .young
        .expect(
            "POST",
            &format!("/api/v1/applications/{application_id}/hours"),
            Some(&json!({"worked_on": iso(today()), "minutes": minutes})),
            201,
        )
        .await;
    w.org
        .expect(
            "POST",
            &format!("/api/v1/hours/{}/review", logged["id"]),
            Some(&json!({"decision": "confirm"})),
            200,
        )
        .await;
}

fn stage_completed_emails(all: &[(String, hubmatch::email::OutboxEmail)]) -> usize {
    all.iter()
        .filter(|(kind, _)| kind == "email.pathway_stage_completed")
        .count()
}

async fn the_journey_from_joining_to_a_verified_certificate(app: TestApp) {
    let w = world(&app).await;
    let listed = w.young.expect("GET", "/api/v1/pathways", None, 200).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(
        listed["items"][0]["stages"],
        json!(["Packing team", "Shift runner"])
    );

    let joined = w
        .young
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            201,
        )
        .await;
    assert_eq!(joined["enrolled"], true);
    assert_eq!(joined["progress"]["next_stage"], 0);
    assert_eq!(joined["progress"]["percent"], 0);

    // The organisation tags its packing role with stage 1.
    let role_id = w.b.food_packing.id;
    let tagged = w
        .org
        .expect(
            "PUT",
            &format!("/api/v1/roles/{role_id}/pathway-stages"),
            Some(&json!({"stage_ids": [w.stage1]})),
            200,
        )
        .await;
    assert_eq!(tagged["stage_ids"], json!([w.stage1]));

    // Two hours on the tagged role, confirmed; nothing completes without the skill.
    let application_id = accepted_on(&w, role_id).await;
    log_and_confirm(&w, application_id, 120).await;
    let mine = w
        .young
        .expect("GET", "/api/v1/me/pathways", None, 200)
        .await;
    let stage = &mine["items"][0]["progress"]["stages"][0];
    assert_eq!(stage["requirements"][0]["met"], true, "{stage}");
    assert_eq!(stage["requirements"][1]["met"], false);
    assert_eq!(stage["status"], "in_progress");
    assert_eq!(stage["percent"], 50, "hours met, skill at 0 of 3");
    assert_eq!(stage_completed_emails(&queued(&app).await), 0);

    // The organisation signs off Teamwork at step 4 with evidence: the stage completes.
    let signed = w
        .org
        .expect(
            "POST",
            &format!("/api/v1/organisations/{}/sign-offs", w.b.food_hub.id),
            Some(
                &json!({"volunteer_profile_id": w.young_profile, "skill": "teamwork",
                         "level": 4, "evidence": "Led the Saturday packing line of six."}),
            ),
            201,
        )
        .await;
    let serials = signed["stages_completed"].as_array().unwrap();
    assert_eq!(serials.len(), 1, "{signed}");
    let serial = serials[0].as_str().unwrap().to_owned();

    // Who and when are recorded, and the volunteer's level is verified.
    let row = skill_sign_off::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.signed_by.is_some());
    assert_eq!(row.evidence, "Led the Saturday packing line of six.");
    let held = volunteer_skill::Entity::find()
        .filter(volunteer_skill::Column::VolunteerId.eq(w.young_profile))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((held.level, held.verified_by), (4, row.signed_by));
    assert!(held.verified_at.is_some());

    // One email, however often progress is looked at or signed off again.
    w.young
        .expect("GET", "/api/v1/me/pathways", None, 200)
        .await;
    w.org
        .expect(
            "POST",
            &format!("/api/v1/organisations/{}/sign-offs", w.b.food_hub.id),
            Some(
                &json!({"volunteer_profile_id": w.young_profile, "skill": "teamwork",
                         "level": 5, "evidence": "Ran the line again, calmly."}),
            ),
            201,
        )
        .await;
    let emails = queued(&app).await;
    assert_eq!(stage_completed_emails(&emails), 1);
    let (_, email) = emails
        .iter()
        .find(|(k, _)| k == "email.pathway_stage_completed")
        .unwrap();
    assert!(email.to.contains("jay@example.org"));
    assert!(
        email.text_body.contains("Packing team"),
        "{}",
        email.text_body
    );
    assert!(email.text_body.contains("Next: Shift runner"));
    assert_eq!(
        stage_completion::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );

    let mine = w
        .young
        .expect("GET", "/api/v1/me/pathways", None, 200)
        .await;
    let progress = &mine["items"][0]["progress"];
    assert_eq!(progress["stages"][0]["status"], "done");
    assert_eq!(progress["next_stage"], 1);
    assert_eq!(progress["stages_done"], 1);
    assert_eq!(progress["percent"], 50);
    assert_eq!(
        mine["items"][0]["certificates"][0]["certificate_serial"],
        serial.as_str()
    );

    // The certificate lists the skill, the hours and the organisation, and its link
    // verifies without an account.
    let cert = w
        .young
        .expect("GET", &format!("/api/v1/certificates/{serial}"), None, 200)
        .await;
    assert_eq!(cert["confirmed_minutes"], 120);
    assert_eq!(cert["skills"][0]["skill"], "Teamwork");
    assert_eq!(cert["skills"].as_array().unwrap().len(), 1);
    assert_eq!(
        cert["skills"][0]["level"], "Step 5 of 15",
        "the latest sign-off of each skill"
    );
    assert_eq!(cert["skills"][0]["evidence"], "Ran the line again, calmly.");
    assert_eq!(cert["organisations"], json!(["Peckham Food Hub"]));
    w.org
        .expect("GET", &format!("/api/v1/certificates/{serial}"), None, 403)
        .await;
    let url = cert["verification_url"].as_str().unwrap().to_owned();
    let token = url.rsplit('/').next().unwrap().to_owned();
    let check = app
        .get_json(
            &format!("/api/v1/certificates/{serial}/verify?token={token}"),
            200,
        )
        .await;
    assert_eq!(check["status"], "valid", "{check}");
    assert_eq!(check["certificate"]["volunteer_name"], "Jay Young");
    let page = app.get_text(&format!("/verify/{token}"), 200).await;
    assert!(page.contains("This certificate is valid"), "{page}");
    assert!(page.contains("Jay Young"));

    // Tampered: one character of the signature changed, or the serial swapped.
    let mut chars: Vec<char> = token.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let check = app
        .get_json(
            &format!("/api/v1/certificates/{serial}/verify?token={tampered}"),
            200,
        )
        .await;
    assert_eq!(check["status"], "not_valid");
    assert!(check["certificate"].is_null());
    let page = app.get_text(&format!("/verify/{tampered}"), 200).await;
    assert!(page.contains("not valid"), "{page}");
    assert!(!page.contains("Jay Young"));
    let forged = token.replacen(&serial, "HM-1-1-AAAAAAAA", 1);
    let page = app.get_text(&format!("/verify/{forged}"), 200).await;
    assert!(page.contains("not valid"));

    // Revoked by an alliance admin: the link says so.
    w.org
        .expect(
            "POST",
            &format!("/api/v1/certificates/{serial}/revoke"),
            Some(&json!({"reason": "test"})),
            403,
        )
        .await;
    let revoked = w
        .admin
        .expect(
            "POST",
            &format!("/api/v1/certificates/{serial}/revoke"),
            Some(&json!({"reason": "Evidence was entered for the wrong person."})),
            200,
        )
        .await;
    assert_eq!(revoked["status"], "revoked");
    let check = app
        .get_json(
            &format!("/api/v1/certificates/{serial}/verify?token={token}"),
            200,
        )
        .await;
    assert_eq!(check["status"], "revoked");
    let page = app.get_text(&format!("/verify/{token}"), 200).await;
    assert!(page.contains("revoked"), "{page}");
}

async fn refusals_name_the_field_and_write_nothing(app: TestApp) {
    let w = world(&app).await;
    w.young
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            201,
        )
        .await;
    let role_id = w.b.food_packing.id;
    let application_id = accepted_on(&w, role_id).await;
    let sign_offs = format!("/api/v1/organisations/{}/sign-offs", w.b.food_hub.id);
    let good = json!({"volunteer_profile_id": w.young_profile, "skill": "teamwork",
                      "level": 4, "evidence": "Led the Saturday packing line."});

    // Someone outside the organisation.
    let refused = w
        .other_org
        .expect("POST", &sign_offs, Some(&good), 403)
        .await;
    assert!(refused["error"].as_str().unwrap().contains("permission"));
    // Signing off for their own organisation a volunteer who never applied there.
    let refused = w
        .other_org
        .expect(
            "POST",
            &format!("/api/v1/organisations/{}/sign-offs", w.b.befrienders.id),
            Some(&good),
            400,
        )
        .await;
    assert!(
        refused["fields"]["volunteer_profile_id"].is_string(),
        "{refused}"
    );

    // Levels out of range, on each scale.
    for (skill, level) in [
        ("teamwork", 16),
        ("teamwork", -1),
        ("english", 0),
        ("english", 6),
    ] {
        let mut body = good.clone();
        body["skill"] = json!(skill);
        body["level"] = json!(level);
        let refused = w.org.expect("POST", &sign_offs, Some(&body), 400).await;
        assert!(
            refused["fields"]["level"].is_string(),
            "{skill} {level}: {refused}"
        );
    }
    let mut body = good.clone();
    body["evidence"] = json!("ok");
    let refused = w.org.expect("POST", &sign_offs, Some(&body), 400).await;
    assert!(refused["fields"]["evidence"].is_string());
    let mut body = good.clone();
    body["skill"] = json!("juggling");
    let refused = w.org.expect("POST", &sign_offs, Some(&body), 400).await;
    assert!(refused["fields"]["skill"].is_string());
    assert_eq!(
        skill_sign_off::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(
        volunteer_skill::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0,
        "nothing half-written"
    );

    // A stage requirement's level is checked on the skill's scale too.
    let refused = w
        .admin
        .expect(
            "POST",
            &format!("/api/v1/pathway-stages/{}/requirements", w.stage2),
            Some(&json!({"kind": "skill", "skill": "maths", "min_level": 9})),
            400,
        )
        .await;
    assert!(refused["fields"]["min_level"].is_string(), "{refused}");

    // Hours "for a stage" on a role not tagged with it: refused, naming the stage, and
    // nothing logged.
    let refused = w
        .young
        .expect(
            "POST",
            &format!("/api/v1/me/pathways/stages/{}/hours", w.stage1),
            Some(
                &json!({"application_id": application_id, "worked_on": iso(today()),
                         "minutes": 60}),
            ),
            400,
        )
        .await;
    assert!(refused["fields"]["stage_id"].is_string(), "{refused}");
    assert_eq!(
        hubmatch::entities::hours_log::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    // Plain hours on the untagged role are fine, but do not count toward the stage.
    log_and_confirm(&w, application_id, 180).await;
    let mine = w
        .young
        .expect("GET", "/api/v1/me/pathways", None, 200)
        .await;
    assert_eq!(
        mine["items"][0]["progress"]["stages"][0]["requirements"][0]["met"],
        false
    );
    // Tagged now: the same hours count, and hours for the stage are taken.
    w.org
        .expect(
            "PUT",
            &format!("/api/v1/roles/{role_id}/pathway-stages"),
            Some(&json!({"stage_ids": [w.stage1]})),
            200,
        )
        .await;
    let mine = w
        .young
        .expect("GET", "/api/v1/me/pathways", None, 200)
        .await;
    assert_eq!(
        mine["items"][0]["progress"]["stages"][0]["requirements"][0]["met"],
        true
    );
    w.young
        .expect(
            "POST",
            &format!("/api/v1/me/pathways/stages/{}/hours", w.stage1),
            Some(
                &json!({"application_id": application_id, "worked_on": iso(today()),
                         "minutes": 60}),
            ),
            201,
        )
        .await;
    // Another organisation cannot tag the role.
    w.other_org
        .expect(
            "PUT",
            &format!("/api/v1/roles/{role_id}/pathway-stages"),
            Some(&json!({"stage_ids": []})),
            403,
        )
        .await;
    let refused = w
        .org
        .expect(
            "PUT",
            &format!("/api/v1/roles/{role_id}/pathway-stages"),
            Some(&json!({"stage_ids": [999_999]})),
            400,
        )
        .await;
    assert!(refused["fields"]["stage_ids"].is_string());

    // An adult of 36 is told pathways are for 14 to 25.
    let older = add_person(
        &app.db,
        PersonSpec {
            email: "older@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let older = Caller::new(
        &app,
        &api_tokens::create(&app.db, older.id, None, "t")
            .await
            .unwrap()
            .secret,
    );
    let refused = older
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            400,
        )
        .await;
    assert!(
        refused["fields"]["pathway"]
            .as_str()
            .unwrap()
            .contains("14 to 25")
    );

    // The DofE export needs 3, 6 or 12 months.
    let refused = w
        .young
        .expect("GET", "/api/v1/me/pathways/dofe?months=4", None, 400)
        .await;
    assert!(refused["fields"]["months"].is_string());
    let page = Browser::new(&app);
    page.sign_in(&app.db, "jay@example.org").await;
    let res = page.get("/pathways/dofe?months=abc").await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("months"));
}

async fn the_duke_of_edinburgh_export_lists_confirmed_hours_with_assessors(app: TestApp) {
    let w = world(&app).await;
    let application_id = accepted_on(&w, w.b.food_packing.id).await;
    log_and_confirm(&w, application_id, 90).await;
    log_and_confirm(&w, application_id, 60).await;
    // Claimed but not confirmed: not in the export.
    w.young
        .expect(
            "POST",
            &format!("/api/v1/applications/{application_id}/hours"),
            Some(&json!({"worked_on": iso(today()), "minutes": 45})),
            201,
        )
        .await;
    // Confirmed, but 8 months ago: in the 12-month export only.
    let old = hubmatch::entities::hours_log::ActiveModel {
        volunteer_id: Set(w.young_profile),
        role_id: Set(w.b.food_packing.id),
        worked_on: Set(today() - Duration::days(240)),
        minutes: Set(300),
        status: Set("confirmed".into()),
        note: Set(String::new()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    old.insert(&app.db).await.unwrap();

    let three = w
        .young
        .expect("GET", "/api/v1/me/pathways/dofe?months=3", None, 200)
        .await;
    assert_eq!(three["total_minutes"], 150, "{three}");
    let activity = &three["activities"][0];
    assert_eq!(activity["role_title"], "Food parcel packer");
    assert_eq!(activity["organisation"], "Peckham Food Hub");
    assert_eq!(activity["sessions"], 2);
    assert_eq!(activity["assessor_name"], "Ama Mensah");
    assert_eq!(activity["assessor_email"], "volunteering@example.org");
    let twelve = w
        .young
        .expect("GET", "/api/v1/me/pathways/dofe?months=12", None, 200)
        .await;
    assert_eq!(twelve["total_minutes"], 450);

    let page = Browser::new(&app);
    page.sign_in(&app.db, "jay@example.org").await;
    let res = page.get("/pathways/dofe.csv?months=6").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("activity,organisation"));
    assert!(lines[1].starts_with("Food parcel packer,Peckham Food Hub,"));
    assert!(lines[1].contains(",150,2.50,Ama Mensah,volunteering@example.org"));
    let html = page.get_text("/pathways/dofe?months=3", 200).await;
    assert!(html.contains("Ama Mensah"));
}

/// A 19-year-old on the "Food hub logistics" pathway who applied to `role`.
async fn enrol_with_application(
    app: &TestApp,
    role: &hubmatch::entities::role::Model,
    email: &str,
) {
    let person = add_person(
        &app.db,
        PersonSpec {
            email,
            born: Some(nineteen()),
            ..PersonSpec::default()
        },
    )
    .await;
    let caller = Caller::new(
        app,
        &api_tokens::create(&app.db, person.id, None, "t")
            .await
            .unwrap()
            .secret,
    );
    caller
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            201,
        )
        .await;
    let profile = hubmatch::entities::volunteer_profile::Entity::find()
        .filter(hubmatch::entities::volunteer_profile::Column::UserId.eq(person.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    application::ActiveModel {
        volunteer_id: Set(profile.id),
        role_id: Set(role.id),
        status: Set("applied".into()),
        message: Set(String::new()),
        created_at: Set(OffsetDateTime::now_utc()),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

async fn the_alliance_view_counts_young_volunteers_by_stage_and_hub_and_suppresses_small_numbers(
    app: TestApp,
) {
    let w = world(&app).await;
    // Seven young volunteers on the pathway who applied to the Peckham role.
    for i in 0..7 {
        enrol_with_application(&app, &w.b.food_packing, &format!("young{i}@example.org")).await;
    }
    let report = w
        .admin
        .expect("GET", "/api/v1/reports/pathways", None, 200)
        .await;
    let food = &report[0];
    assert_eq!(food["pathway"], "Food hub logistics");
    assert_eq!(
        food["columns"],
        json!(["Packing team", "Shift runner", "All stages done"])
    );
    let rows: Vec<&str> = food["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let peckham = rows
        .iter()
        .position(|r| *r == "Peckham Community Hub")
        .unwrap();
    let walworth = rows.iter().position(|r| *r == "Walworth Hub").unwrap();
    assert_eq!(food["table"]["cells"][peckham][0], 7, "{food}");
    assert_eq!(food["table"]["cells"][walworth][0], 0);
    assert_eq!(food["table"]["grand_total"], 7);

    // One more, who applied in Walworth: that single volunteer is never shown, nor is
    // any figure that would give them away.
    enrol_with_application(&app, &w.b.befriending, "young-walworth@example.org").await;
    let report = w
        .admin
        .expect("GET", "/api/v1/reports/pathways", None, 200)
        .await;
    let food = &report[0];
    assert_eq!(food["table"]["cells"][walworth][0], "suppressed", "{food}");
    let table = &food["table"];
    let mut figures: Vec<&serde_json::Value> = Vec::new();
    for key in ["row_totals", "column_totals"] {
        figures.extend(table[key].as_array().unwrap());
    }
    for row in table["cells"].as_array().unwrap() {
        figures.extend(row.as_array().unwrap());
    }
    for f in figures {
        if let Some(n) = f.as_u64() {
            assert!(n == 0 || n >= 5, "a small count is shown: {food}");
        }
    }
    assert!(
        !(table["column_totals"][0] == 8 && table["cells"][peckham][0] == 7),
        "8 less Peckham's 7 would reveal the one: {food}"
    );

    // A coordinator sees their own hub only; others are refused.
    let coordinator = add_person(
        &app.db,
        PersonSpec {
            email: "coord@example.org",
            coordinates_hub: Some(w.b.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let coordinator = Caller::new(
        &app,
        &api_tokens::create(&app.db, coordinator.id, None, "t")
            .await
            .unwrap()
            .secret,
    );
    let own = coordinator
        .expect(
            "GET",
            &format!("/api/v1/reports/pathways?hub={}", w.b.peckham_hub.id),
            None,
            200,
        )
        .await;
    assert_eq!(own[0]["rows"], json!(["Peckham Community Hub"]));
    coordinator
        .expect(
            "GET",
            &format!("/api/v1/reports/pathways?hub={}", w.b.walworth_hub.id),
            None,
            403,
        )
        .await;
    coordinator
        .expect("GET", "/api/v1/reports/pathways", None, 403)
        .await;
    w.org
        .expect("GET", "/api/v1/reports/pathways", None, 403)
        .await;
    let _ = w.young;
    let _ = w.stage2;
}

async fn the_pages_define_tag_sign_off_and_show_progress(app: TestApp) {
    let w = world(&app).await;
    // An alliance admin adds a pathway and a stage through the forms; mistakes are
    // shown again with the field named.
    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "admin@example.org").await;
    admin.get_text("/admin/pathways", 200).await;
    let res = admin
        .post(
            "/admin/pathways",
            &[("name", "Into care work"), ("slug", "Into Care")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(page.contains("href=\"#slug\""), "{page}");
    let res = admin
        .post(
            "/admin/pathways",
            &[("name", "Into care work"), ("slug", "into-care-work")],
        )
        .await;
    assert_eq!(
        location(&res),
        "/admin/pathways/into-care-work?done=created"
    );
    let res = admin
        .post(
            "/admin/pathways/into-care-work/stages",
            &[("name", "First steps"), ("tag", "care-first-steps")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let page = admin.get_text("/admin/pathways/into-care-work", 200).await;
    assert!(page.contains("Stage 1: First steps"));
    // The volunteer list and admin pages are not the organisation's.
    let staff = Browser::new(&app);
    staff.sign_in(&app.db, "staff@food.example.org").await;
    staff.get_text("/admin/pathways", 403).await;

    // The organisation tags its role on the role's pathway page.
    let role_id = w.b.food_packing.id;
    let page = staff
        .get_text(&format!("/roles/{role_id}/pathways"), 200)
        .await;
    assert!(
        page.contains("Food hub logistics: stage 1, Packing team"),
        "{page}"
    );
    let stage = w.stage1.to_string();
    let res = staff
        .post(&format!("/roles/{role_id}/pathways"), &[("stages", &stage)])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let page = staff
        .get_text(&format!("/roles/{role_id}/pathways"), 200)
        .await;
    assert!(
        page.contains(&format!("value=\"{stage}\" checked")),
        "{page}"
    );

    // The young volunteer applies and joins; the sign-off form refuses a bad level.
    accepted_on(&w, role_id).await;
    let me = Browser::new(&app);
    me.sign_in(&app.db, "jay@example.org").await;
    let res = me.post("/pathways/food-hub-logistics/join", &[]).await;
    assert_eq!(location(&res), "/pathways/food-hub-logistics?done=joined");
    let sign_offs = format!("/organisations/{}/sign-offs", w.b.food_hub.id);
    let page = staff.get_text(&sign_offs, 200).await;
    assert!(page.contains("Jay Young"));
    let volunteer = w.young_profile.to_string();
    let res = staff
        .post(
            &sign_offs,
            &[
                ("volunteer_profile_id", &volunteer),
                ("skill", "teamwork"),
                ("level", "20"),
                ("evidence", "Kept the packing line going all morning."),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(page.contains("href=\"#level\""), "{page}");
    assert!(
        page.contains("Kept the packing line going all morning."),
        "typed text kept"
    );
    let res = staff
        .post(
            &sign_offs,
            &[
                ("volunteer_profile_id", &volunteer),
                ("skill", "teamwork"),
                ("level", "3"),
                ("evidence", "Kept the packing line going all morning."),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("{sign_offs}?done=signed"));
    // Another organisation's admin cannot open the form.
    let other = Browser::new(&app);
    other
        .sign_in(&app.db, "admin@befrienders.example.org")
        .await;
    other.get_text(&sign_offs, 403).await;

    // The volunteer's page: the skill is done, the hours are not, with bars and words.
    let page = me.get_text("/pathways/food-hub-logistics", 200).await;
    assert!(page.contains("<progress"), "{page}");
    assert!(
        page.contains("2 hours more confirmed volunteering"),
        "{page}"
    );
    assert!(
        page.contains("Food parcel packer"),
        "a role that moves them on"
    );
    assert_eq!(
        stage_completion::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

/// The skill signed off first, the hours last: confirming the hours completes the
/// stage there and then (one email), before anyone opens the progress page.
/// The young volunteer joins "Food hub logistics" and the food hub tags its packing role
/// with stage 1: that role's id.
async fn joined_with_a_stage_one_role(w: &World<'_>) -> i32 {
    w.young
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            201,
        )
        .await;
    let role_id = w.b.food_packing.id;
    w.org
        .expect(
            "PUT",
            &format!("/api/v1/roles/{role_id}/pathway-stages"),
            Some(&json!({"stage_ids": [w.stage1]})),
            200,
        )
        .await;
    role_id
}

async fn confirming_the_last_hours_completes_the_stage_there_and_then(app: TestApp) {
    let w = world(&app).await;
    let role_id = joined_with_a_stage_one_role(&w).await;
    let application_id = accepted_on(&w, role_id).await;
    let signed = w
        .org
        .expect(
            "POST",
            &format!("/api/v1/organisations/{}/sign-offs", w.b.food_hub.id),
            Some(
                &json!({"volunteer_profile_id": w.young_profile, "skill": "teamwork",
                         "level": 4, "evidence": "Kept the packing line going."}),
            ),
            201,
        )
        .await;
    assert_eq!(signed["stages_completed"], json!([]), "hours still missing");
    assert_eq!(
        stage_completion::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );

    log_and_confirm(&w, application_id, 120).await;
    assert_eq!(
        stage_completion::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(stage_completed_emails(&queued(&app).await), 1);
}

on_both_databases!(
    confirming_the_last_hours_completes_the_stage_there_and_then,
    the_journey_from_joining_to_a_verified_certificate,
    refusals_name_the_field_and_write_nothing,
    the_duke_of_edinburgh_export_lists_confirmed_hours_with_assessors,
    the_alliance_view_counts_young_volunteers_by_stage_and_hub_and_suppresses_small_numbers,
    the_pages_define_tag_sign_off_and_show_progress,
    an_alliance_admin_withdraws_a_certificate_from_its_page_and_its_link_then_says_revoked,
    only_volunteers_of_pathway_age_are_invited_from_the_dashboard,
    an_alliance_admin_retires_and_reopens_a_pathway_and_renames_a_stage,
    a_retired_pathway_still_lets_those_on_it_finish_their_stage,
);

async fn an_alliance_admin_withdraws_a_certificate_from_its_page_and_its_link_then_says_revoked(
    app: TestApp,
) {
    let w = world(&app).await;
    let serial = "FHL-1-TESTCERT";
    stage_completion::ActiveModel {
        volunteer_profile_id: Set(w.young_profile),
        stage_id: Set(w.stage1 as i32),
        completed_at: Set(hubmatch::db::now()),
        certificate_serial: Set(serial.into()),
        revoked_reason: Set(String::new()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let token = hubmatch::models::pathways::verification_token(serial);
    let revoked = |db: sea_orm::DatabaseConnection| async move {
        stage_completion::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    };

    // The volunteer sees their certificate without the withdraw form, and may not withdraw it.
    let young = Browser::new(&app);
    young.sign_in(&app.db, "jay@example.org").await;
    let mine = young
        .get_text(&format!("/certificates/{serial}"), 200)
        .await;
    assert!(!mine.contains("Withdraw certificate"), "{mine}");
    let res = young
        .post(
            &format!("/certificates/{serial}/revoke"),
            &[("reason", "I changed my mind")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 403);

    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "admin@example.org").await;
    let list = admin
        .get_text("/admin/pathways/food-hub-logistics", 200)
        .await;
    let issued = list.split("id=\"certificates\"").nth(1).unwrap();
    assert!(
        issued.contains(serial) && issued.contains("Jay Young"),
        "{issued}"
    );
    assert!(issued.contains(">Valid<"), "{issued}");
    let page = admin
        .get_text(&format!("/certificates/{serial}"), 200)
        .await;
    assert!(page.contains("Withdraw certificate"), "{page}");

    // No reason: the form comes back naming the field, and nothing changes.
    let res = admin
        .post(
            &format!("/certificates/{serial}/revoke"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("reason-error") && body.contains("Say why"),
        "{body}"
    );
    assert!(!revoked(app.db.clone()).await);
    let checked = young.get_text(&format!("/verify/{token}"), 200).await;
    assert!(checked.contains("This certificate is valid"), "{checked}");

    let res = admin
        .post(
            &format!("/certificates/{serial}/revoke"),
            &[("reason", "Issued for the wrong volunteer")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), format!("/certificates/{serial}"));
    assert!(revoked(app.db.clone()).await);
    let page = admin
        .get_text(&format!("/certificates/{serial}"), 200)
        .await;
    assert!(page.contains("This certificate was withdrawn"), "{page}");
    assert!(!page.contains("Withdraw certificate"), "{page}");
    let anyone = Browser::new(&app);
    let checked = anyone.get_text(&format!("/verify/{token}"), 200).await;
    assert!(checked.contains("has been revoked"), "{checked}");
    let list = admin
        .get_text("/admin/pathways/food-hub-logistics", 200)
        .await;
    assert!(list.contains(">Withdrawn<"), "{list}");
    let audited = hubmatch::entities::audit_log::Entity::find()
        .filter(hubmatch::entities::audit_log::Column::Action.eq("pathway.certificate.revoke"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // Twice is a conflict, not a second audit row.
    let res = admin
        .post(
            &format!("/certificates/{serial}/revoke"),
            &[("reason", "Again")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 409);
}

async fn only_volunteers_of_pathway_age_are_invited_from_the_dashboard(app: TestApp) {
    world(&app).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "pat@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let young = Browser::new(&app);
    young.sign_in(&app.db, "jay@example.org").await;
    let page = young.get_text("/dashboard", 200).await;
    assert!(
        page.contains(r#"href="/pathways">Follow a skills pathway"#),
        "{page}"
    );
    let older = Browser::new(&app);
    older.sign_in(&app.db, "pat@example.org").await;
    let page = older.get_text("/dashboard", 200).await;
    assert!(!page.contains("Follow a skills pathway"), "{page}");
}

async fn an_alliance_admin_retires_and_reopens_a_pathway_and_renames_a_stage(app: TestApp) {
    let w = world(&app).await;
    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "admin@example.org").await;
    let young = Browser::new(&app);
    young.sign_in(&app.db, "jay@example.org").await;

    // Only alliance admins retire a pathway.
    let res = young
        .post("/admin/pathways/food-hub-logistics/retire", &[])
        .await;
    assert_eq!(res.status().as_u16(), 403);

    let res = admin
        .post("/admin/pathways/food-hub-logistics/retire", &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        location(&res),
        "/admin/pathways/food-hub-logistics?done=retired"
    );
    let page = admin
        .get_text("/admin/pathways/food-hub-logistics", 200)
        .await;
    assert!(page.contains("Open it again"), "{page}");
    let list = young.get_text("/pathways", 200).await;
    assert!(!list.contains("Food hub logistics"), "{list}");
    let refused = w
        .young
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            400,
        )
        .await;
    assert!(
        refused["fields"]["pathway"]
            .as_str()
            .unwrap()
            .contains("not taking")
    );

    let res = admin
        .post("/admin/pathways/food-hub-logistics/reopen", &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let list = young.get_text("/pathways", 200).await;
    assert!(list.contains("Food hub logistics"), "{list}");
    w.young
        .expect(
            "POST",
            "/api/v1/pathways/food-hub-logistics/enrol",
            None,
            201,
        )
        .await;

    // A stage keeps its tag when renamed; an empty name is refused on its own form.
    let res = admin
        .post(
            &format!("/admin/pathway-stages/{}", w.stage1),
            &[("name", " "), ("description", "Packing parcels")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(
        body.contains(&format!("href=\"#stage-name-{}\"", w.stage1)),
        "{body}"
    );
    assert!(
        body.contains(&format!("id=\"stage-name-{}-error\"", w.stage1)),
        "{body}"
    );
    let res = admin
        .post(
            &format!("/admin/pathway-stages/{}", w.stage1),
            &[
                ("name", "Packing crew"),
                ("description", "Packing parcels with the team"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let stage = hubmatch::entities::pathway_stage::Entity::find_by_id(w.stage1 as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stage.name, "Packing crew");
    assert_eq!(stage.tag, "food-packing-team");
    let mine = young.get_text("/pathways/food-hub-logistics", 200).await;
    assert!(mine.contains("Packing crew"), "{mine}");
}

async fn a_retired_pathway_still_lets_those_on_it_finish_their_stage(app: TestApp) {
    let w = world(&app).await;
    let role_id = joined_with_a_stage_one_role(&w).await;
    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "admin@example.org").await;
    let res = admin
        .post("/admin/pathways/food-hub-logistics/retire", &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);

    let application_id = accepted_on(&w, role_id).await;
    w.org
        .expect(
            "POST",
            &format!("/api/v1/organisations/{}/sign-offs", w.b.food_hub.id),
            Some(
                &json!({"volunteer_profile_id": w.young_profile, "skill": "teamwork",
                         "level": 4, "evidence": "Kept the packing line going."}),
            ),
            201,
        )
        .await;
    log_and_confirm(&w, application_id, 120).await;
    assert_eq!(
        stage_completion::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1,
        "the stage completes on a retired pathway"
    );
    assert_eq!(stage_completed_emails(&queued(&app).await), 1);
}
