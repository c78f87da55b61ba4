//! The hub front desk: a link worker refers a resident (with consent) and follows the
//! referral as the organisation contacts them and they start, then records outcomes; the
//! reason never reaches the organisation; bad referrals are refused with nothing written;
//! residents signed up in person get calls on the hub's list instead of emails and can
//! claim their account later; stale referrals show on the hub dashboard.
use hubmatch::entities::{
    assisted_account, audit_log, hours_log, link_worker, outbox, social_referral,
    social_referral_event, social_referral_outcome, to_call, user, volunteer_profile,
};
use hubmatch::models::api_tokens;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::{Value, json};
use time::Duration;

use crate::api_v1_journey::Caller;
use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PASSWORD, PersonSpec, add_person, adult_birthday, location};

on_both_databases!(
    a_link_worker_refers_the_organisation_starts_them_and_the_outcome_is_recorded_through_the_api,
    the_reason_for_a_referral_never_reaches_the_organisation_on_pages_or_in_the_api,
    a_referral_without_consent_to_a_closed_role_or_from_outside_the_hub_is_refused_and_nothing_is_written,
    a_resident_signed_up_in_person_gets_calls_on_the_hubs_list_instead_of_emails,
    a_resident_claims_their_account_once_with_the_code_from_the_desk,
    a_referral_with_no_contact_after_seven_days_is_flagged_on_the_hub_dashboard,
    link_workers_are_appointed_by_alliance_admins_on_the_admin_page,
    the_front_desk_page_refers_a_resident_and_the_organisation_moves_it_on,
    a_role_sheet_carries_a_qr_code_that_decodes_to_the_roles_address,
    the_hubs_referral_report_counts_by_source_and_hides_small_numbers,
    erasing_a_resident_removes_the_desks_record_of_them_but_keeps_the_referrals_counts,
    outcome_checks_fall_due_four_and_twelve_weeks_after_the_referral_with_the_confirmed_hours_filled_in,
    the_desk_finds_roles_for_a_resident_signed_up_in_person_meeting_what_they_need,
    the_desk_records_the_ward_a_resident_lives_in_when_they_give_it,
    an_alliance_admin_invites_a_link_worker_with_no_account_who_sets_a_password_and_signs_in,
);

const REASON: &str = "Recently bereaved, low mood since the spring";

struct World {
    b: Borough,
    link_worker: user::Model,
    org_staff: user::Model,
    resident: user::Model,
}

async fn make_link_worker(
    db: &DatabaseConnection,
    email: &str,
    hub: Option<i32>,
    network: Option<&str>,
) -> user::Model {
    let person = add_person(
        db,
        PersonSpec {
            email,
            name: "Lena Link",
            ..PersonSpec::default()
        },
    )
    .await;
    link_worker::ActiveModel {
        user_id: Set(person.id),
        hub_id: Set(hub),
        gp_network: Set(network.map(str::to_owned)),
        created_by: Set(None),
        created_at: Set(hubmatch::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    person
}

async fn world(app: &TestApp) -> World {
    let b = borough(&app.db).await;
    let link_worker = make_link_worker(
        &app.db,
        "lena@peckham-hub.example.org",
        Some(b.peckham_hub.id),
        None,
    )
    .await;
    let org_staff = add_person(
        &app.db,
        PersonSpec {
            email: "ama@foodhub.example.org",
            name: "Ama Mensah",
            organisation: Some((b.food_hub.id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let resident = add_person(
        &app.db,
        PersonSpec {
            email: "rosa@example.org",
            name: "Rosa Resident",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    World {
        b,
        link_worker,
        org_staff,
        resident,
    }
}

async fn token(app: &TestApp, user_id: i32, org: Option<i32>) -> String {
    api_tokens::create(&app.db, user_id, org, "front desk")
        .await
        .unwrap()
        .secret
}

async fn count<E>(db: &DatabaseConnection) -> u64
where
    E: EntityTrait,
    E::Model: Sync,
{
    PaginatorTrait::count(E::find(), db).await.unwrap()
}

/// API callers for the link worker and the food hub's staff.
async fn callers<'a>(app: &'a TestApp, w: &World) -> (Caller<'a>, Caller<'a>) {
    let lw = Caller::new(app, &token(app, w.link_worker.id, None).await);
    let org = Caller::new(
        app,
        &token(app, w.org_staff.id, Some(w.b.food_hub.id)).await,
    );
    (lw, org)
}

fn referral_body(w: &World) -> Value {
    json!({
        "hub_id": w.b.peckham_hub.id,
        "resident": "rosa@example.org",
        "role_id": w.b.food_packing.id,
        "hopes": ["company", "routine"],
        "needs": ["accompanied_first_visit"],
        "reason": REASON,
        "consent": true,
    })
}

async fn a_link_worker_refers_the_organisation_starts_them_and_the_outcome_is_recorded_through_the_api(
    app: TestApp,
) {
    let w = world(&app).await;
    let (lw, org) = callers(&app, &w).await;

    let sent = lw
        .expect(
            "POST",
            "/api/v1/social-referrals",
            Some(&referral_body(&w)),
            201,
        )
        .await;
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["organisation_id"], w.b.food_hub.id);
    assert_eq!(sent["source"], "link_worker");
    assert_eq!(sent["reason"], REASON, "the referrer sees their own reason");
    assert_eq!(
        sent["hopes"],
        json!(["Company and meeting people", "A routine"])
    );

    // The organisation is emailed, with what it needs and not the reason.
    let emails = crate::api_v1_journey::queued(&app).await;
    let (kind, email) = emails
        .iter()
        .find(|(k, _)| k == "email.social_referral_new")
        .expect("the organisation is emailed");
    assert_eq!(kind, "email.social_referral_new");
    assert!(
        email.to.contains("volunteering@example.org"),
        "{}",
        email.to
    );
    assert!(email.text_body.contains("Rosa"));
    assert!(
        email
            .text_body
            .contains("someone to go with them the first time")
    );
    assert!(!email.text_body.contains("bereaved") && !email.html_body.contains("bereaved"));

    // The organisation works through the lifecycle; a step back is refused.
    for step in ["received", "contacted"] {
        let moved = org
            .expect(
                "POST",
                &format!("/api/v1/social-referrals/{id}/status"),
                Some(&json!({ "status": step })),
                200,
            )
            .await;
        assert_eq!(moved["status"], step);
    }
    let refused = org
        .expect(
            "POST",
            &format!("/api/v1/social-referrals/{id}/status"),
            Some(&json!({ "status": "sent" })),
            400,
        )
        .await;
    assert!(
        refused["fields"]["status"]
            .as_str()
            .unwrap()
            .contains("cannot")
    );
    // Outcomes wait until the resident has started.
    let early = lw
        .expect(
            "POST",
            &format!("/api/v1/social-referrals/{id}/outcomes"),
            Some(&json!({"checkpoint_weeks": 4, "still_volunteering": true, "hours": 6, "consent": true})),
            400,
        )
        .await;
    assert!(early["fields"]["checkpoint_weeks"].is_string());
    org.expect(
        "POST",
        &format!("/api/v1/social-referrals/{id}/status"),
        Some(&json!({ "status": "started" })),
        200,
    )
    .await;
    // The link worker may not move the organisation's referral.
    lw.expect(
        "POST",
        &format!("/api/v1/social-referrals/{id}/status"),
        Some(&json!({ "status": "ended" })),
        403,
    )
    .await;

    // Outcomes need consent, then are recorded; the organisation cannot record them.
    let no_consent = lw
        .expect(
            "POST",
            &format!("/api/v1/social-referrals/{id}/outcomes"),
            Some(&json!({"checkpoint_weeks": 4, "still_volunteering": true, "hours": 6, "consent": false})),
            400,
        )
        .await;
    assert!(no_consent["fields"]["consent"].is_string());
    org.expect(
        "POST",
        &format!("/api/v1/social-referrals/{id}/outcomes"),
        Some(&json!({"checkpoint_weeks": 4, "still_volunteering": true, "hours": 6, "consent": true})),
        403,
    )
    .await;
    lw.expect(
        "POST",
        &format!("/api/v1/social-referrals/{id}/outcomes"),
        Some(&json!({"checkpoint_weeks": 4, "still_volunteering": true, "hours": 6, "consent": true})),
        200,
    )
    .await;
    let done = lw
        .expect(
            "POST",
            &format!("/api/v1/social-referrals/{id}/outcomes"),
            Some(&json!({"checkpoint_weeks": 12, "still_volunteering": true, "hours": 20, "consent": true})),
            200,
        )
        .await;
    assert_eq!(done["outcomes"][0]["checkpoint_weeks"], 4);
    assert_eq!(done["outcomes"][1]["hours"], 20);
    let steps: Vec<&str> = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, vec!["sent", "received", "contacted", "started"]);
    assert_eq!(done["steps"][1]["by"], "Ama Mensah");
    assert_eq!(count::<social_referral_outcome::Entity>(&app.db).await, 2);

    // The link worker's list has it; another link worker's does not.
    let mine = lw
        .expect("GET", "/api/v1/social-referrals", None, 200)
        .await;
    assert_eq!(mine["total"], 1);
    let other = make_link_worker(
        &app.db,
        "omar@peckham-hub.example.org",
        Some(w.b.peckham_hub.id),
        None,
    )
    .await;
    let other = Caller::new(&app, &token(&app, other.id, None).await);
    let theirs = other
        .expect("GET", "/api/v1/social-referrals", None, 200)
        .await;
    assert_eq!(theirs["total"], 0);
    other
        .expect("GET", &format!("/api/v1/social-referrals/{id}"), None, 403)
        .await;
}

async fn the_reason_for_a_referral_never_reaches_the_organisation_on_pages_or_in_the_api(
    app: TestApp,
) {
    let w = world(&app).await;
    let lw = Caller::new(&app, &token(&app, w.link_worker.id, None).await);
    let sent = lw
        .expect(
            "POST",
            "/api/v1/social-referrals",
            Some(&referral_body(&w)),
            201,
        )
        .await;
    let id = sent["id"].as_i64().unwrap();

    let org = Caller::new(
        &app,
        &token(&app, w.org_staff.id, Some(w.b.food_hub.id)).await,
    );
    let one = org
        .expect("GET", &format!("/api/v1/social-referrals/{id}"), None, 200)
        .await;
    assert!(one.get("reason").is_none(), "{one}");
    assert!(!one.to_string().contains("bereaved"));
    assert_eq!(one["resident_name"], "Rosa Resident");
    assert!(
        one["contact"]
            .as_str()
            .unwrap()
            .contains("rosa@example.org")
    );
    let list = org
        .expect("GET", "/api/v1/social-referrals", None, 200)
        .await;
    assert_eq!(list["total"], 1);
    assert!(!list.to_string().contains("bereaved"));
    // The same person's own (personal) token sees no more than the organisation's.
    let personal = Caller::new(&app, &token(&app, w.org_staff.id, None).await);
    let seen = personal
        .expect("GET", &format!("/api/v1/social-referrals/{id}"), None, 200)
        .await;
    assert!(!seen.to_string().contains("bereaved"));

    // The organisation's page shows the referral, never the reason.
    let staff = Browser::new(&app);
    staff.sign_in(&app.db, "ama@foodhub.example.org").await;
    let page = staff
        .get_text(
            &format!("/organisations/{}/referrals", w.b.food_hub.id),
            200,
        )
        .await;
    assert!(page.contains("Rosa Resident"), "{page}");
    assert!(page.contains("Someone to go with them the first time"));
    assert!(!page.contains("bereaved"));
    // Another organisation sees nothing of it.
    let other = add_person(
        &app.db,
        PersonSpec {
            email: "bo@befrienders.example.org",
            organisation: Some((w.b.befrienders.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let other = Caller::new(&app, &token(&app, other.id, Some(w.b.befrienders.id)).await);
    other
        .expect("GET", &format!("/api/v1/social-referrals/{id}"), None, 403)
        .await;

    // The link worker's front desk shows the reason.
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    let page = desk.get_text("/front-desk", 200).await;
    assert!(page.contains(REASON), "{page}");
}

async fn a_referral_without_consent_to_a_closed_role_or_from_outside_the_hub_is_refused_and_nothing_is_written(
    app: TestApp,
) {
    let w = world(&app).await;
    let lw = Caller::new(&app, &token(&app, w.link_worker.id, None).await);
    let outbox_before = count::<outbox::Entity>(&app.db).await;
    let audit_before = count::<audit_log::Entity>(&app.db).await;

    let mut no_consent = referral_body(&w);
    no_consent["consent"] = json!(false);
    let res = lw
        .expect("POST", "/api/v1/social-referrals", Some(&no_consent), 400)
        .await;
    assert!(
        res["fields"]["consent"]
            .as_str()
            .unwrap()
            .contains("agreed")
    );

    let mut closed = referral_body(&w);
    closed["role_id"] = json!(w.b.closed.id);
    let res = lw
        .expect("POST", "/api/v1/social-referrals", Some(&closed), 400)
        .await;
    assert!(
        res["fields"]["role_id"]
            .as_str()
            .unwrap()
            .contains("not open")
    );
    let mut expired = referral_body(&w);
    expired["role_id"] = json!(w.b.expired.id);
    lw.expect("POST", "/api/v1/social-referrals", Some(&expired), 400)
        .await;

    let mut unknown = referral_body(&w);
    unknown["resident"] = json!("nobody@example.org");
    unknown["hopes"] = json!(["money"]);
    let res = lw
        .expect("POST", "/api/v1/social-referrals", Some(&unknown), 400)
        .await;
    assert!(res["fields"]["resident"].is_string());
    assert!(res["fields"]["hopes"].as_str().unwrap().contains("money"));

    // A link worker of Peckham cannot refer through Walworth; a volunteer cannot refer.
    let mut elsewhere = referral_body(&w);
    elsewhere["hub_id"] = json!(w.b.walworth_hub.id);
    lw.expect("POST", "/api/v1/social-referrals", Some(&elsewhere), 403)
        .await;
    let rosa = Caller::new(&app, &token(&app, w.resident.id, None).await);
    rosa.expect(
        "POST",
        "/api/v1/social-referrals",
        Some(&referral_body(&w)),
        403,
    )
    .await;
    // The page refuses the same way, re-showing the form with the messages.
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    let res = desk
        .post(
            "/front-desk/referrals",
            &[
                ("hub_id", &w.b.peckham_hub.id.to_string()),
                ("resident", "rosa@example.org"),
                ("role_id", &w.b.closed.id.to_string()),
                ("hopes", "company"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(page.contains("Confirm the resident has agreed"), "{page}");
    assert!(page.contains("This role is not open"));
    let res = desk
        .post(
            "/front-desk/referrals",
            &[
                ("hub_id", &w.b.walworth_hub.id.to_string()),
                ("resident", "rosa@example.org"),
                ("role_id", &w.b.befriending.id.to_string()),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 403);

    assert_eq!(count::<social_referral::Entity>(&app.db).await, 0);
    assert_eq!(count::<social_referral_event::Entity>(&app.db).await, 0);
    assert_eq!(count::<outbox::Entity>(&app.db).await, outbox_before);
    assert_eq!(count::<audit_log::Entity>(&app.db).await, audit_before);
}

/// Signs a resident up at the Peckham desk through the page; returns the claim code.
async fn sign_up_at_desk(app: &TestApp, desk: &Browser, hub_id: i32, name: &str) -> String {
    let res = desk
        .post(
            "/front-desk/residents",
            &[
                ("hub_id", &hub_id.to_string()),
                ("display_name", name),
                ("dob_day", "3"),
                ("dob_month", "4"),
                ("dob_year", "1951"),
                ("contact_preference", "phone"),
                ("phone", "020 7946 0000"),
                ("consent_in_person", "yes"),
            ],
        )
        .await;
    let status = res.status().as_u16();
    let page = res.text().await.unwrap();
    assert_eq!(status, 200, "assisted sign-up on {}: {page}", app.backend);
    let start = page
        .find("data-claim-code=\"")
        .expect("the page shows the claim code")
        + 17;
    page[start..start + 14].to_owned()
}

async fn a_resident_signed_up_in_person_gets_calls_on_the_hubs_list_instead_of_emails(
    app: TestApp,
) {
    let w = world(&app).await;
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;

    // Without consent given in person, nothing is made.
    let res = desk
        .post(
            "/front-desk/residents",
            &[
                ("hub_id", &w.b.peckham_hub.id.to_string()),
                ("display_name", "Winston Offline"),
                ("dob_day", "3"),
                ("dob_month", "4"),
                ("dob_year", "1951"),
                ("contact_preference", "phone"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(page.contains("agreed, in person"), "{page}");
    assert!(page.contains("Enter a phone number"));
    assert_eq!(count::<assisted_account::Entity>(&app.db).await, 0);

    sign_up_at_desk(&app, &desk, w.b.peckham_hub.id, "Winston Offline").await;
    let account = assisted_account::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.hub_id, w.b.peckham_hub.id);
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(account.user_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    // Winston applies (with the desk's help) and is accepted: the emails he would get
    // become calls on the hub's list; the organisation's own emails still go out.
    let outbox_before: Vec<String> = outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.payload)
        .collect();
    let session = crate::applications::the_session(&app.db, w.b.food_packing.id).await;
    let application = crate::applications::apply_directly(
        &app,
        profile.id,
        account.user_id,
        w.b.food_packing.id,
        &[session.id],
        false,
    )
    .await;
    hubmatch::models::applications::decide(
        &app.db,
        &app.base,
        application,
        hubmatch::domain::applications::Move::Accept,
        w.org_staff.id,
        "",
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("accept: {e}"));

    let to_resident = outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| !outbox_before.contains(&r.payload))
        .filter(|r| {
            r.payload
                .contains(hubmatch::models::assisted::NO_EMAIL_DOMAIN)
        })
        .count();
    assert_eq!(to_resident, 0, "no outbox row for a resident without email");
    let calls = to_call::Entity::find()
        .filter(to_call::Column::VolunteerProfileId.eq(profile.id))
        .all(&app.db)
        .await
        .unwrap();
    let kinds: Vec<&str> = calls.iter().map(|c| c.kind.as_str()).collect();
    assert!(kinds.contains(&"email.application_received"), "{kinds:?}");
    assert!(kinds.contains(&"email.application_accepted"), "{kinds:?}");
    assert!(calls.iter().all(|c| c.hub_id == w.b.peckham_hub.id));

    // The hub's list shows them with the phone number; ticking one off removes it.
    let list = desk
        .get_text(&format!("/hubs/{}/to-call", w.b.peckham_hub.id), 200)
        .await;
    assert!(list.contains("Winston Offline"), "{list}");
    assert!(list.contains("020 7946 0000"));
    let first = calls[0].id;
    let res = desk
        .post(
            &format!("/hubs/{}/to-call/{first}/done", w.b.peckham_hub.id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let done = to_call::Entity::find_by_id(first)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(done.done_at.is_some());
    assert_eq!(done.done_by, Some(w.link_worker.id));
    // Another hub's link worker may not see the list.
    make_link_worker(
        &app.db,
        "wal@walworth.example.org",
        Some(w.b.walworth_hub.id),
        None,
    )
    .await;
    let walworth = Browser::new(&app);
    walworth.sign_in(&app.db, "wal@walworth.example.org").await;
    walworth
        .get_text(&format!("/hubs/{}/to-call", w.b.peckham_hub.id), 403)
        .await;
}

async fn a_resident_claims_their_account_once_with_the_code_from_the_desk(app: TestApp) {
    let w = world(&app).await;
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    let code = sign_up_at_desk(&app, &desk, w.b.peckham_hub.id, "Winston Offline").await;

    let winston = Browser::new(&app);
    let res = winston
        .post(
            "/claim-account",
            &[
                ("code", "AAAA-BBBB-CCCC"),
                ("email", "winston@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("This code is not right"));

    let typed = code.to_lowercase().replace('-', " ");
    let res = winston
        .post(
            "/claim-account",
            &[
                ("code", &typed),
                ("email", "winston@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    let person = hubmatch::models::accounts::find_by_email(&app.db, "winston@example.org")
        .await
        .unwrap()
        .expect("the account now has the resident's email");
    let account = assisted_account::Entity::find()
        .filter(assisted_account::Column::UserId.eq(person.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(account.claimed_at.is_some());
    assert!(account.claim_code_hash.is_none());

    // Emails now go to them, starting with confirming the address.
    let emails = crate::api_v1_journey::queued(&app).await;
    assert!(
        emails
            .iter()
            .any(|(k, e)| k == "email.verify" && e.to.contains("winston@example.org")),
        "{:?}",
        emails.iter().map(|(k, e)| (k, &e.to)).collect::<Vec<_>>()
    );
    // Signs in with the new password.
    let signed = Browser::new(&app);
    signed.sign_in(&app.db, "winston@example.org").await;

    // The code is single use.
    let again = Browser::new(&app);
    let res = again
        .post(
            "/claim-account",
            &[
                ("code", &code),
                ("email", "someone.else@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        hubmatch::models::accounts::find_by_email(&app.db, "someone.else@example.org")
            .await
            .unwrap()
            .is_none()
    );

    // An expired code is refused too.
    let code = sign_up_at_desk(&app, &desk, w.b.peckham_hub.id, "Mavis Offline").await;
    let latest = assisted_account::Entity::find()
        .filter(assisted_account::Column::ClaimedAt.is_null())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: assisted_account::ActiveModel = latest.into();
    row.claim_expires_at = Set(Some(hubmatch::db::now() - Duration::minutes(1)));
    row.update(&app.db).await.unwrap();
    let res = again
        .post(
            "/claim-account",
            &[
                ("code", &code),
                ("email", "mavis@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
}

async fn a_referral_with_no_contact_after_seven_days_is_flagged_on_the_hub_dashboard(app: TestApp) {
    let w = world(&app).await;
    let lw = Caller::new(&app, &token(&app, w.link_worker.id, None).await);
    let old = lw
        .expect(
            "POST",
            "/api/v1/social-referrals",
            Some(&referral_body(&w)),
            201,
        )
        .await;
    let mut fresh = referral_body(&w);
    fresh["role_id"] = json!(w.b.meal_delivery.id);
    lw.expect("POST", "/api/v1/social-referrals", Some(&fresh), 201)
        .await;
    let row = social_referral::Entity::find_by_id(old["id"].as_i64().unwrap() as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: social_referral::ActiveModel = row.into();
    row.created_at = Set(hubmatch::db::now() - Duration::days(8));
    row.update(&app.db).await.unwrap();

    add_person(
        &app.db,
        PersonSpec {
            email: "cora@peckham-hub.example.org",
            coordinates_hub: Some(w.b.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let coordinator = Browser::new(&app);
    coordinator
        .sign_in(&app.db, "cora@peckham-hub.example.org")
        .await;
    let page = coordinator
        .get_text(&format!("/hubs/{}/dashboard", w.b.peckham_hub.id), 200)
        .await;
    let stale = page
        .split("id=\"stale-referrals\"")
        .nth(1)
        .expect("a stale referrals section");
    let stale = stale.split("</section>").next().unwrap();
    assert!(stale.contains("Rosa"), "{stale}");
    assert!(stale.contains("8 days"), "{stale}");
    assert_eq!(stale.matches("<li").count(), 1, "only the old one: {stale}");

    // Once the organisation is in touch it is no longer stale.
    let org = Caller::new(
        &app,
        &token(&app, w.org_staff.id, Some(w.b.food_hub.id)).await,
    );
    org.expect(
        "POST",
        &format!("/api/v1/social-referrals/{}/status", old["id"]),
        Some(&json!({ "status": "contacted" })),
        200,
    )
    .await;
    let page = coordinator
        .get_text(&format!("/hubs/{}/dashboard", w.b.peckham_hub.id), 200)
        .await;
    let stale = page.split("id=\"stale-referrals\"").nth(1).unwrap();
    let stale = stale.split("</section>").next().unwrap();
    assert_eq!(stale.matches("<li").count(), 0, "{stale}");
}

async fn link_workers_are_appointed_by_alliance_admins_on_the_admin_page(app: TestApp) {
    let b = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "admin@alliance.example.org",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let person = add_person(
        &app.db,
        PersonSpec {
            email: "gp.lw@nhs.example.org",
            name: "Nadia Network",
            ..PersonSpec::default()
        },
    )
    .await;
    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "admin@alliance.example.org").await;
    // Neither a hub nor a network: refused, naming the hub field.
    let res = admin
        .post("/admin/link-workers", &[("email", "gp.lw@nhs.example.org")])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("GP practice network"));
    let res = admin
        .post(
            "/admin/link-workers",
            &[
                ("email", "gp.lw@nhs.example.org"),
                ("gp_network", "North Southwark PCN"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let page = admin.get_text("/admin/link-workers", 200).await;
    assert!(page.contains("Nadia Network") && page.contains("North Southwark PCN"));

    // A network link worker refers through any hub, recorded as from the GP network.
    let resident = add_person(
        &app.db,
        PersonSpec {
            email: "rosa@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let _ = resident;
    let lw = Caller::new(&app, &token(&app, person.id, None).await);
    let sent = lw
        .expect(
            "POST",
            "/api/v1/social-referrals",
            Some(&json!({
                "hub_id": b.walworth_hub.id,
                "resident": "rosa@example.org",
                "organisation_id": b.befrienders.id,
                "consent": true,
            })),
            201,
        )
        .await;
    assert_eq!(sent["source"], "gp_network");

    // Nobody else may appoint.
    let volunteer = Browser::new(&app);
    volunteer.sign_in(&app.db, "rosa@example.org").await;
    volunteer.get_text("/admin/link-workers", 403).await;
}

async fn the_front_desk_page_refers_a_resident_and_the_organisation_moves_it_on(app: TestApp) {
    let w = world(&app).await;
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    let form = desk.get_text("/front-desk", 200).await;
    assert!(form.contains("Refer a resident"), "{form}");
    let res = desk
        .post(
            "/front-desk/referrals",
            &[
                ("hub_id", &w.b.peckham_hub.id.to_string()),
                ("resident", "rosa@example.org"),
                ("role_id", &w.b.food_packing.id.to_string()),
                ("hopes", "confidence"),
                ("needs", "step_free"),
                ("reason", REASON),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/front-desk?notice=referred");
    let id = social_referral::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    let staff = Browser::new(&app);
    staff.sign_in(&app.db, "ama@foodhub.example.org").await;
    for step in ["contacted", "started"] {
        let res = staff
            .post(
                &format!("/organisations/{}/referrals/{id}/status", w.b.food_hub.id),
                &[("status", step)],
            )
            .await;
        assert_eq!(res.status().as_u16(), 303, "{step}");
    }
    let res = desk
        .post(
            &format!("/front-desk/referrals/{id}/outcomes"),
            &[
                ("checkpoint_weeks", "4"),
                ("still_volunteering", "yes"),
                ("hours", "9"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    let page = desk.get_text("/front-desk", 200).await;
    assert!(page.contains("Started volunteering"), "{page}");
    assert!(page.contains("9 hours"), "{page}");
}

/// Draws the `M{x} {y}h{w}v{h}…` rectangles of the qrcode crate's SVG path into a bitmap
/// and decodes it as a phone camera would (rqrr).
fn decode_qr_svg(svg: &str) -> String {
    let number = |s: &str, key: &str| -> usize {
        let start = s.find(key).unwrap_or_else(|| panic!("{key} in {s}")) + key.len();
        let rest = &s[start..];
        let end = rest.find('"').unwrap();
        rest[..end].parse().unwrap()
    };
    let (w, h) = (number(svg, "width=\""), number(svg, "height=\""));
    let mut dark = vec![false; w * h];
    let d_start = svg.find(" d=\"").expect("a path") + 4;
    let d = &svg[d_start..];
    let d = &d[..d.find('"').unwrap()];
    for rect in d.split('M').filter(|r| !r.is_empty()) {
        // "{left} {top}h{width}v{height}H{left}V{top}"
        let (left, rest) = rect.split_once(' ').unwrap();
        let (top, rest) = rest.split_once('h').unwrap();
        let (width, rest) = rest.split_once('v').unwrap();
        let (height, _) = rest.split_once('H').unwrap();
        let (left, top, width, height): (usize, usize, usize, usize) = (
            left.parse().unwrap(),
            top.parse().unwrap(),
            width.parse().unwrap(),
            height.parse().unwrap(),
        );
        for y in top..top + height {
            for x in left..left + width {
                dark[y * w + x] = true;
            }
        }
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(
            w,
            h,
            |x, y| if dark[y * w + x] { 0 } else { 255 },
        );
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the sheet");
    grids[0].decode().expect("the QR code decodes").1
}

async fn a_role_sheet_carries_a_qr_code_that_decodes_to_the_roles_address(app: TestApp) {
    let b = borough(&app.db).await;
    let page = app
        .get_text(&format!("/roles/{}/sheet", b.food_packing.id), 200)
        .await;
    assert!(page.contains("Food parcel packer") || page.contains(&b.food_packing.title));
    // Printed on A4 with no site navigation.
    assert!(page.contains("/static/sheets.css"));
    assert!(!page.contains("govuk-service-navigation"));
    let css = app.get_text("/static/sheets.css", 200).await;
    assert!(css.contains("@page { size: A4; margin: 12mm; }"));
    let start = page.find("<svg").expect("an inline SVG QR code");
    let svg = &page[start..start + page[start..].find("</svg>").unwrap() + 6];
    let decoded = decode_qr_svg(svg);
    assert_eq!(decoded, format!("{}/roles/{}", app.base, b.food_packing.id));

    // The hub's sheet lists its open roles and points at the hub's page.
    let page = app
        .get_text(&format!("/hubs/{}/sheet", b.peckham_hub.id), 200)
        .await;
    assert!(page.contains(&b.food_packing.title));
    assert!(!page.contains(&b.closed.title));
    let start = page.find("<svg").unwrap();
    let svg = &page[start..start + page[start..].find("</svg>").unwrap() + 6];
    assert_eq!(
        decode_qr_svg(svg),
        format!("{}/hubs/{}", app.base, b.peckham_hub.id)
    );
    // A draft role has no sheet.
    app.get_text(&format!("/roles/{}/sheet", b.draft.id), 404)
        .await;
}

async fn the_hubs_referral_report_counts_by_source_and_hides_small_numbers(app: TestApp) {
    let w = world(&app).await;
    let (lw, org) = callers(&app, &w).await;
    // Six referrals, all started: enough to publish the count and the median.
    for _ in 0..6 {
        let sent = lw
            .expect(
                "POST",
                "/api/v1/social-referrals",
                Some(&referral_body(&w)),
                201,
            )
            .await;
        for step in ["contacted", "started"] {
            org.expect(
                "POST",
                &format!("/api/v1/social-referrals/{}/status", sent["id"]),
                Some(&json!({ "status": step })),
                200,
            )
            .await;
        }
    }
    // Two from the hub's coordinator: a small number, hidden.
    add_person(
        &app.db,
        PersonSpec {
            email: "cora@peckham-hub.example.org",
            coordinates_hub: Some(w.b.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let cora = hubmatch::models::accounts::find_by_email(&app.db, "cora@peckham-hub.example.org")
        .await
        .unwrap()
        .unwrap();
    let coordinator_api = Caller::new(&app, &token(&app, cora.id, None).await);
    for _ in 0..2 {
        coordinator_api
            .expect(
                "POST",
                "/api/v1/social-referrals",
                Some(&referral_body(&w)),
                201,
            )
            .await;
    }
    let coordinator = Browser::new(&app);
    coordinator
        .sign_in(&app.db, "cora@peckham-hub.example.org")
        .await;
    let page = coordinator
        .get_text(
            &format!("/hubs/{}/referrals/report", w.b.peckham_hub.id),
            200,
        )
        .await;
    let by_source = page.split("id=\"by-source\"").nth(1).unwrap();
    let by_source = by_source.split("</table>").next().unwrap();
    // The month's total is shown; the hub staff's 2 is hidden, and so is the link workers'
    // 6 (else the 2 is the total minus the rest).
    assert!(by_source.contains(">8<"), "{by_source}");
    assert_eq!(by_source.matches("fewer than 5").count(), 2, "{by_source}");
    assert!(!by_source.contains(">2<"), "{by_source}");
    assert!(page.contains("id=\"started\">6<"), "{page}");
    assert!(page.contains("id=\"median-days\">0 days<"), "{page}");
    // The link worker does not read the hub's report; the organisation neither.
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    desk.get_text(
        &format!("/hubs/{}/referrals/report", w.b.peckham_hub.id),
        403,
    )
    .await;
}

async fn erasing_a_resident_removes_the_desks_record_of_them_but_keeps_the_referrals_counts(
    app: TestApp,
) {
    let w = world(&app).await;
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    sign_up_at_desk(&app, &desk, w.b.peckham_hub.id, "Winston Offline").await;
    let account = assisted_account::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(account.user_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lw = Caller::new(&app, &token(&app, w.link_worker.id, None).await);
    let mut body = referral_body(&w);
    body["resident"] = json!(profile.id.to_string());
    lw.expect("POST", "/api/v1/social-referrals", Some(&body), 201)
        .await;
    // An email to them (here: a session reminder) becomes a call on the hub's list.
    let person = user::Entity::find_by_id(account.user_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let txn = hubmatch::db::begin(&app.db).await.unwrap();
    let queued = hubmatch::email::send_draft(
        &txn,
        &app.base,
        "email.session_reminder",
        &hubmatch::email::draft(
            &person.email,
            "Your session is tomorrow at 10:00",
            &["See you there."],
            None,
        ),
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(queued, None, "no outbox row");
    assert_eq!(
        to_call::Entity::find()
            .filter(to_call::Column::VolunteerProfileId.eq(profile.id))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );

    let person = user::Entity::find_by_id(account.user_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let txn = hubmatch::db::begin(&app.db).await.unwrap();
    hubmatch::models::gdpr::erase(&txn, &person).await.unwrap();
    txn.commit().await.unwrap();

    assert_eq!(
        count::<assisted_account::Entity>(&app.db).await,
        0,
        "phone and address gone"
    );
    let kept = social_referral::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("the referral stays for the hub's counts");
    assert_eq!(kept.reason, "");
    assert_eq!(kept.hopes, "");
    assert_eq!(kept.status, "sent");
    let calls = to_call::Entity::find()
        .filter(to_call::Column::VolunteerProfileId.eq(profile.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(calls, 0);
}

async fn outcome_checks_fall_due_four_and_twelve_weeks_after_the_referral_with_the_confirmed_hours_filled_in(
    app: TestApp,
) {
    let w = world(&app).await;
    let (lw, org) = callers(&app, &w).await;
    let sent = lw
        .expect(
            "POST",
            "/api/v1/social-referrals",
            Some(&referral_body(&w)),
            201,
        )
        .await;
    let id = sent["id"].as_i64().unwrap();
    // Not started: there is nothing to check.
    assert_eq!(sent["checkpoints"][0]["state"], "not_applicable");
    for step in ["contacted", "started"] {
        org.expect(
            "POST",
            &format!("/api/v1/social-referrals/{id}/status"),
            Some(&json!({ "status": step })),
            200,
        )
        .await;
    }
    // Sent 30 days ago: the 4-week check is due, the 12-week one is not yet.
    let now = hubmatch::db::now();
    let row = social_referral::Entity::find_by_id(id as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: social_referral::ActiveModel = row.into();
    row.created_at = Set(now - Duration::days(30));
    row.update(&app.db).await.unwrap();

    // Only hours the receiving organisation confirmed since the referral count.
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(w.resident.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    for (role_id, days_ago, minutes, status) in [
        (w.b.food_packing.id, 10, 150, "confirmed"),
        (w.b.meal_delivery.id, 3, 45, "confirmed"),
        (w.b.food_packing.id, 40, 600, "confirmed"),
        (w.b.food_packing.id, 2, 300, "claimed"),
        (w.b.befriending.id, 5, 480, "confirmed"),
    ] {
        hours_log::ActiveModel {
            volunteer_id: Set(profile),
            role_id: Set(role_id),
            worked_on: Set((now - Duration::days(days_ago)).date()),
            minutes: Set(minutes),
            status: Set(status.into()),
            note: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    assert_ne!(w.b.befriending.organisation_id, w.b.food_hub.id);
    assert_eq!(w.b.meal_delivery.organisation_id, w.b.food_hub.id);

    let seen = lw
        .expect("GET", &format!("/api/v1/social-referrals/{id}"), None, 200)
        .await;
    assert_eq!(seen["confirmed_minutes"], 195, "{seen}");
    assert_eq!(seen["checkpoints"][0]["weeks"], 4);
    assert_eq!(seen["checkpoints"][0]["state"], "due", "{seen}");
    assert_eq!(seen["checkpoints"][1]["state"], "upcoming", "{seen}");

    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    let page = desk.get_text("/front-desk", 200).await;
    assert!(page.contains("1 outcome check is due"), "{page}");
    assert!(page.contains("Check due</strong>"), "{page}");
    assert!(page.contains("3 hours confirmed by"), "{page}");
    assert!(
        page.contains(&format!(r#"id="hours-{id}" name="hours" type="text" inputmode="numeric" spellcheck="false" value="3""#)),
        "the form starts from the confirmed hours: {page}"
    );

    lw.expect(
        "POST",
        &format!("/api/v1/social-referrals/{id}/outcomes"),
        Some(&json!({"checkpoint_weeks": 4, "still_volunteering": true, "hours": 3, "consent": true})),
        200,
    )
    .await;
    let seen = lw
        .expect("GET", &format!("/api/v1/social-referrals/{id}"), None, 200)
        .await;
    assert_eq!(seen["checkpoints"][0]["state"], "recorded");
    let page = desk.get_text("/front-desk", 200).await;
    assert!(!page.contains("id=\"checks-due\""), "{page}");
    assert!(
        page.contains(r#"<option value="12" selected>"#),
        "the form moves on to the 12-week check: {page}"
    );
}

async fn the_desk_finds_roles_for_a_resident_signed_up_in_person_meeting_what_they_need(
    app: TestApp,
) {
    use hubmatch::entities::{assisted_account, role};
    let w = world(&app).await;
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    sign_up_at_desk(&app, &desk, w.b.peckham_hub.id, "Dora Desk").await;
    let user_id = assisted_account::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    // Food packing: regular, step-free. Meal delivery: one-off, not step-free.
    // Befriending: flexible, step-free.
    for (r, commitment, access) in [
        (&w.b.food_packing, "regular", "step_free"),
        (&w.b.meal_delivery, "one_off", ""),
        (&w.b.befriending, "flexible", "step_free"),
    ] {
        let mut row: role::ActiveModel = r.clone().into();
        row.commitment = Set(commitment.into());
        row.access_provisions = Set(access.into());
        row.update(&app.db).await.unwrap();
    }
    let titles = |page: &str| -> Vec<String> {
        let list = page.split("id=\"suggestions\"").nth(1).unwrap_or("");
        [
            &w.b.food_packing,
            &w.b.meal_delivery,
            &w.b.befriending,
            &w.b.draft,
            &w.b.closed,
            &w.b.expired,
        ]
        .iter()
        .filter(|r| list.contains(&format!("href=\"/roles/{}\"", r.id)))
        .map(|r| r.title.clone())
        .collect()
    };

    let desk_page = desk.get_text("/front-desk", 200).await;
    assert!(
        desk_page.contains("Find roles for a resident"),
        "{desk_page}"
    );
    let all = desk
        .get_text(&format!("/front-desk/suggestions?resident={profile}"), 200)
        .await;
    assert!(all.contains("Roles that might suit Dora Desk"), "{all}");
    let mut every = titles(&all);
    every.sort();
    let mut open = vec![
        w.b.food_packing.title.clone(),
        w.b.meal_delivery.title.clone(),
        w.b.befriending.title.clone(),
    ];
    open.sort();
    assert_eq!(every, open, "every open role and nothing else: {all}");

    let step_free = desk
        .get_text(
            &format!("/front-desk/suggestions?resident={profile}&needs=step_free"),
            200,
        )
        .await;
    let mut got = titles(&step_free);
    got.sort();
    let mut want = vec![
        w.b.food_packing.title.clone(),
        w.b.befriending.title.clone(),
    ];
    want.sort();
    assert_eq!(got, want, "{step_free}");

    let both = desk
        .get_text(
            &format!(
                "/front-desk/suggestions?resident={profile}&needs=step_free&needs=low_commitment"
            ),
            200,
        )
        .await;
    assert_eq!(titles(&both), vec![w.b.befriending.title.clone()], "{both}");
    assert!(
        both.contains("only roles that offer step-free access and low commitment to start with"),
        "{both}"
    );

    // Its link opens the desk with the referral form filled in.
    let link = format!(
        "/front-desk?resident={profile}&#38;role_id={}&#38;needs=step_free&#38;needs=low_commitment#refer",
        w.b.befriending.id
    );
    assert!(both.contains(&link), "{both}");
    let prefilled = desk.get_text(&link.replace("&#38;", "&"), 200).await;
    assert!(
        prefilled.contains(&format!(r#"<option value="{profile}" selected>"#)),
        "{prefilled}"
    );
    assert!(
        prefilled.contains(&format!(
            r#"<option value="{}" selected>"#,
            w.b.befriending.id
        )),
        "{prefilled}"
    );
    assert!(
        prefilled.contains(r#"value="low_commitment" checked"#),
        "{prefilled}"
    );

    // Only residents signed up at the desk's hubs; an unknown need is named.
    let res = desk
        .get(&format!(
            "/front-desk/suggestions?resident={}",
            profile + 1000
        ))
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Choose a resident signed up in person")
    );
    let res = desk
        .get(&format!(
            "/front-desk/suggestions?resident={profile}&needs=a_lift"
        ))
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("a_lift"));
    let staff = Browser::new(&app);
    staff.sign_in(&app.db, "ama@foodhub.example.org").await;
    let res = staff
        .get(&format!("/front-desk/suggestions?resident={profile}"))
        .await;
    assert_eq!(res.status().as_u16(), 403);
}

async fn the_desk_records_the_ward_a_resident_lives_in_when_they_give_it(app: TestApp) {
    let w = world(&app).await;
    let desk = Browser::new(&app);
    desk.sign_in(&app.db, "lena@peckham-hub.example.org").await;
    let form = desk.get_text("/front-desk/residents", 200).await;
    assert!(form.contains("Ward they live in (optional)"), "{form}");
    let peckham = crate::fixtures::ward_id(&app.db, crate::fixtures::PECKHAM).await;
    let hub = w.b.peckham_hub.id.to_string();
    let fields = |ward: &'static str| {
        vec![
            ("hub_id", hub.clone()),
            ("display_name", "Wendy Ward".to_owned()),
            ("dob_day", "3".to_owned()),
            ("dob_month", "4".to_owned()),
            ("dob_year", "1961".to_owned()),
            ("contact_preference", "phone".to_owned()),
            ("phone", "020 7946 0000".to_owned()),
            ("ward_id", ward.to_owned()),
            ("consent_in_person", "yes".to_owned()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let desk = &desk;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            desk.post("/front-desk/residents", &f).await
        }
    };
    let users_before = count::<user::Entity>(&app.db).await;
    let res = post(fields("999999")).await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("ward_id-error") && page.contains("Choose a ward"),
        "{page}"
    );
    assert_eq!(
        count::<user::Entity>(&app.db).await,
        users_before,
        "nothing written"
    );

    let mut good = fields("");
    good[7].1 = peckham.to_string();
    let res = post(good).await;
    assert_eq!(res.status().as_u16(), 200);
    let person = user::Entity::find()
        .filter(user::Column::DisplayName.eq("Wendy Ward"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(profile.ward_id, Some(peckham));
}

async fn an_alliance_admin_invites_a_link_worker_with_no_account_who_sets_a_password_and_signs_in(
    app: TestApp,
) {
    let b = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "admin@alliance.example.org",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "admin@alliance.example.org").await;
    let address = "nell@peckham-hub.example.org";
    let hub = b.peckham_hub.id.to_string();

    // No account and no name: refused naming the name, nothing written.
    let users_before = count::<user::Entity>(&app.db).await;
    let res = admin
        .post(
            "/admin/link-workers",
            &[("email", address), ("hub_id", &hub)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("name-error") && page.contains("enter their name"),
        "{page}"
    );
    assert_eq!(count::<user::Entity>(&app.db).await, users_before);
    assert_eq!(count::<link_worker::Entity>(&app.db).await, 0);
    assert_eq!(count::<outbox::Entity>(&app.db).await, 0);

    let res = admin
        .post(
            "/admin/link-workers",
            &[("email", address), ("name", "Nell New"), ("hub_id", &hub)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let person = user::Entity::find()
        .filter(user::Column::Email.eq(address))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an account is made");
    assert_eq!(person.display_name, "Nell New");
    assert!(person.password_hash.is_none());
    let invite = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("email.link_worker_invite"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the invitation is queued in the same transaction");
    assert!(invite.payload.contains(address));

    // The link sets a password (and proves the address); then the desk is theirs.
    let link = crate::sign_up::latest_link(&app.db, address, "/password-reset/").await;
    let nell = Browser::new(&app);
    let page = nell.get_text(&link, 200).await;
    assert!(page.contains("Choose a new password"), "{page}");
    let res = nell
        .post(
            &link,
            &[("password", PASSWORD), ("confirm_password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    nell.sign_in(&app.db, address).await;
    let desk = nell.get_text("/front-desk", 200).await;
    assert!(desk.contains("Refer a resident"), "{desk}");
    assert!(
        user::Entity::find_by_id(person.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .verified_at
            .is_some()
    );
}
