//! Email kinds in our layout: snapshots of every typed kind, preferences (a kind turned
//! off queues nothing, account emails always go), signed one-click unsubscribe, the
//! preferences page, and scheduled emails sent once however often their jobs run.
use hubmatch::email::kinds::{
    ClosingSoon, Content, HoursToConfirmNudge, InvitationToApply, OutreachDigest,
    PathwayStageCompleted, RoleLine, SessionReminder, SocialReferralNew, WeeklyDigest,
};
use hubmatch::email::{self, Composed, Email, Kind, OutboxEmail, Preference};
use hubmatch::entities::{
    application, hours_log, outbox, role, role_cause, role_session, scheduled_email,
    volunteer_cause,
};
use hubmatch::jobs::scheduled;
use hubmatch::models::email_preferences;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use time::Duration;

use crate::applications::{apply_directly, emails_to, the_session, world};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, location};

on_both_databases!(
    application_received_goes_to_both_sides_in_our_layout_and_only_accounts_get_unsubscribe,
    a_kind_turned_off_queues_nothing_but_account_emails_always_go,
    the_unsubscribe_link_asks_first_then_one_click_turns_that_kind_off_without_signing_in,
    a_tampered_or_unknown_unsubscribe_token_is_refused_with_400_and_changes_nothing,
    the_preferences_page_shows_defaults_and_saves_choices,
    scheduled_jobs_run_twice_send_each_email_once,
    an_alliance_admin_sees_dead_and_failing_emails_and_retry_makes_one_due_again,
    housekeeping_forgets_scheduled_keys_after_sixty_days_only,
);

const BASE: &str = "https://hubmatch.example.org";

fn roles() -> Vec<RoleLine> {
    vec![
        RoleLine {
            title: "Food parcel packer".into(),
            organisation: "Peckham Food Hub".into(),
            url: format!("{BASE}/roles/7"),
        },
        RoleLine {
            title: "Befriending caller".into(),
            organisation: "Walworth Befrienders".into(),
            url: format!("{BASE}/roles/9"),
        },
    ]
}

/// Every typed kind, and one essential and one non-essential email composed by a flow.
fn samples() -> Vec<(&'static str, Box<dyn Email>)> {
    vec![
        (
            "verify",
            Box::new(Composed {
                kind: Kind::Verify,
                content: Content::new(
                    "Confirm your email address for hubmatch",
                    &["Hello Ada,", "Confirm your email address to finish creating your account."],
                    Some(("Confirm your email address", "https://hubmatch.example.org/verify-email/T0KEN")),
                ),
            }),
        ),
        (
            "application_received",
            Box::new(Composed {
                kind: Kind::ApplicationReceived,
                content: Content::new(
                    "Application received: Food parcel packer",
                    &["Hello Ada,", "We have passed your application to Peckham Food Hub."],
                    Some(("See your application", "https://hubmatch.example.org/applications/3")),
                ),
            }),
        ),
        (
            "invitation_to_apply",
            Box::new(InvitationToApply {
                first_name: "Ada".into(),
                role_title: "Food parcel packer".into(),
                organisation: "Peckham Food Hub".into(),
                role_url: format!("{BASE}/roles/7"),
                message: "We would love <you> & your van.".into(),
            }),
        ),
        (
            "outreach_digest",
            Box::new(OutreachDigest {
                hub_name: "Peckham Community Hub".into(),
                intro: "Organisations around Peckham Community Hub are looking for volunteers. Here are some roles open now:".into(),
                roles: roles(),
                all_roles_url: format!("{BASE}/roles"),
            }),
        ),
        (
            "weekly_digest",
            Box::new(WeeklyDigest {
                first_name: "Ada".into(),
                roles: roles(),
                search_url: format!("{BASE}/roles"),
            }),
        ),
        (
            "closing_soon",
            Box::new(ClosingSoon {
                role_title: "Food parcel packer".into(),
                closes_on: "4 December 2026".into(),
                places_left: 2,
                manage_url: format!("{BASE}/organisations/1/roles/7"),
            }),
        ),
        (
            "session_reminder",
            Box::new(SessionReminder {
                first_name: "Ada".into(),
                role_title: "Food parcel packer".into(),
                organisation: "Peckham Food Hub".into(),
                when: "Tuesday 1 December 2026, 10:00 to 12:00".into(),
                where_: "SE15".into(),
                application_url: format!("{BASE}/applications/3"),
            }),
        ),
        (
            "hours_to_confirm",
            Box::new(HoursToConfirmNudge {
                organisation: "Peckham Food Hub".into(),
                waiting: 3,
                older_than_days: 7,
                review_url: format!("{BASE}/organisations/1/hours"),
            }),
        ),
        (
            "pathway_stage_completed",
            Box::new(PathwayStageCompleted {
                first_name: "Ada".into(),
                pathway: "Into food work".into(),
                stage: "Food hygiene basics".into(),
                next_stage: Some("Warehouse shifts".into()),
                pathway_url: format!("{BASE}/pathways/1"),
            }),
        ),
        (
            "social_referral_new",
            Box::new(SocialReferralNew {
                organisation: "Peckham Food Hub".into(),
                resident_first_name: "Rosa".into(),
                role_title: Some("Food parcel packer".into()),
                hub_name: "Peckham Community Hub".into(),
                hopes: vec!["company and meeting people".into(), "a routine".into()],
                needs: vec!["someone to go with them the first time".into()],
                referral_url: format!("{BASE}/organisations/3/referrals"),
            }),
        ),
    ]
}

/// The header lines a snapshot should pin (Date and MIME boundaries change every time).
fn pinned_headers(email: &OutboxEmail) -> Vec<String> {
    let from: lettre::message::Mailbox =
        "hubmatch <no-reply@hubmatch.example.org>".parse().unwrap();
    let message = email::build_message(email, &from, 42).expect("builds");
    let text = String::from_utf8(message.formatted()).expect("utf-8");
    text.lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| {
            [
                "Subject:",
                "To:",
                "From:",
                "Message-ID:",
                "List-Unsubscribe",
            ]
            .iter()
            .any(|h| l.starts_with(h))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_kind_renders_as_snapshotted() {
    for (name, sample) in samples() {
        let kind = sample.kind();
        let unsubscribe = kind
            .preference()
            .map(|p| format!("{BASE}/unsubscribe/1.{}.SIGNATURE", p.key()));
        let rendered = email::render(
            kind,
            "Ada Lovelace <ada@example.org>",
            &sample.content(),
            BASE,
            unsubscribe,
        );
        let snapshot = serde_json::json!({
            "kind": kind.outbox_kind(),
            "essential": kind.preference().is_none(),
            "subject": rendered.subject,
            "headers": pinned_headers(&rendered),
            "text": rendered.text_body,
            "html": rendered.html_body,
        });
        insta::assert_json_snapshot!(format!("email_{name}"), snapshot);
    }
}

async fn payload(db: &DatabaseConnection, id: i32) -> OutboxEmail {
    let row = outbox::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    serde_json::from_str(&row.payload).unwrap()
}

async fn application_received_goes_to_both_sides_in_our_layout_and_only_accounts_get_unsubscribe(
    app: TestApp,
) {
    let w = world(&app).await;
    let role = &w.borough.food_packing;
    let session = the_session(&app.db, role.id).await;
    apply_directly(
        &app,
        w.profile,
        w.volunteer.id,
        role.id,
        &[session.id],
        false,
    )
    .await;

    let to_ada = emails_to(&app.db, "ada@example.org").await;
    assert_eq!(to_ada.len(), 1, "{}", app.backend);
    let (kind, ada_mail) = &to_ada[0];
    assert_eq!(kind, "email.application_received");
    let unsubscribe = ada_mail
        .unsubscribe_url
        .as_deref()
        .expect("an account gets an unsubscribe link");
    assert!(
        unsubscribe.starts_with(&format!(
            "{}/unsubscribe/{}.application_updates.",
            app.base, w.volunteer.id
        )),
        "{unsubscribe}"
    );
    assert!(
        ada_mail
            .text_body
            .contains(&format!("Stop these emails: {unsubscribe}"))
    );
    assert!(ada_mail.html_body.contains("#0b5560"), "our colours");
    assert!(
        ada_mail
            .html_body
            .contains(&format!("{}/account/email-preferences", app.base))
    );
    // The role's contact address has no account: it is told, with no unsubscribe link.
    let to_org = emails_to(&app.db, "volunteering@example.org").await;
    assert_eq!(to_org.len(), 1);
    assert_eq!(to_org[0].0, "email.application_new");
    assert_eq!(to_org[0].1.unsubscribe_url, None);
    assert!(to_org[0].1.text_body.contains("Ada Lovelace"));
}

async fn a_kind_turned_off_queues_nothing_but_account_emails_always_go(app: TestApp) {
    let w = world(&app).await;
    for p in Preference::ALL {
        email_preferences::set(&app.db, w.volunteer.id, p, false)
            .await
            .unwrap();
    }
    let role = &w.borough.food_packing;
    let session = the_session(&app.db, role.id).await;
    apply_directly(
        &app,
        w.profile,
        w.volunteer.id,
        role.id,
        &[session.id],
        false,
    )
    .await;
    assert!(
        emails_to(&app.db, "ada@example.org").await.is_empty(),
        "application emails are off"
    );
    assert_eq!(
        emails_to(&app.db, "volunteering@example.org").await.len(),
        1,
        "the organisation's own choice is not Ada's"
    );
    // A lower-level enqueue (as code not yet on templates does) is skipped too.
    let skipped = email::enqueue(
        &app.db,
        "email.invitation_to_apply",
        &email::simple("ada@example.org", "Invited", &["Hello"], None),
    )
    .await
    .unwrap();
    assert_eq!(skipped, None);

    // A password reset is essential: it goes, with no unsubscribe link.
    let b = Browser::new(&app);
    let res = b
        .post("/password-reset", &[("email", "ada@example.org")])
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", location(&res));
    let to_ada = emails_to(&app.db, "ada@example.org").await;
    assert_eq!(to_ada.len(), 1, "{}", app.backend);
    assert_eq!(to_ada[0].0, "email.password_reset");
    assert_eq!(to_ada[0].1.unsubscribe_url, None);
    assert!(to_ada[0].1.text_body.contains("We always send this email"));
}

/// Queues one non-essential email to Ada and returns its unsubscribe link.
async fn unsubscribe_link(app: &TestApp, to: &str) -> String {
    let id = email::send(
        &app.db,
        &app.base,
        to,
        &Composed {
            kind: Kind::HoursConfirmed,
            content: Content::new("Hours confirmed", &["Thank you"], None),
        },
    )
    .await
    .unwrap()
    .expect("queued");
    payload(&app.db, id)
        .await
        .unsubscribe_url
        .expect("an unsubscribe link")
}

async fn the_unsubscribe_link_asks_first_then_one_click_turns_that_kind_off_without_signing_in(
    app: TestApp,
) {
    let w = world(&app).await;
    let link = unsubscribe_link(&app, "ada@example.org").await;

    // GET only asks (mail scanners open links).
    let res = app.client.get(&link).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Stop these emails"), "{page}");
    assert!(page.contains("Volunteering hours"), "{page}");
    assert!(
        email_preferences::enabled(&app.db, w.volunteer.id, Preference::Hours)
            .await
            .unwrap()
    );

    // A mail client's one-click POST: cross-site, no cookie, no CSRF token.
    let res = app
        .client
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", app.backend);
    assert!(res.text().await.unwrap().contains("Unsubscribed"));
    assert!(
        !email_preferences::enabled(&app.db, w.volunteer.id, Preference::Hours)
            .await
            .unwrap()
    );
    // Only that kind: others stay on.
    assert!(
        email_preferences::enabled(&app.db, w.volunteer.id, Preference::ApplicationUpdates)
            .await
            .unwrap()
    );
    let again = email::send(
        &app.db,
        &app.base,
        "ada@example.org",
        &Composed {
            kind: Kind::HoursConfirmed,
            content: Content::new("Hours confirmed", &["Thank you"], None),
        },
    )
    .await
    .unwrap();
    assert_eq!(again, None, "no more hours emails");
    // Twice is fine.
    let res = app.client.post(&link).body("").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

async fn a_tampered_or_unknown_unsubscribe_token_is_refused_with_400_and_changes_nothing(
    app: TestApp,
) {
    let w = world(&app).await;
    let link = unsubscribe_link(&app, "ada@example.org").await;
    let token = link.rsplit('/').next().unwrap().to_owned();
    let (head, mac) = token.rsplit_once('.').unwrap();
    let flipped: String = mac
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == 'A' { 'B' } else { 'A' }
            } else {
                c
            }
        })
        .collect();
    let other_user = token.replacen(&w.volunteer.id.to_string(), &w.staff.id.to_string(), 1);
    let other_kind = format!("{}.referrals.{mac}", w.volunteer.id);
    for bad in [
        format!("{head}.{flipped}"),
        other_user,
        other_kind,
        "nonsense".to_owned(),
        format!("{}.hours", w.volunteer.id),
    ] {
        let url = format!("{}/unsubscribe/{bad}", app.base);
        let res = app.client.get(&url).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 400, "GET {bad}");
        assert!(res.text().await.unwrap().contains("does not work"));
        let res = app
            .client
            .post(&url)
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400, "POST {bad}");
    }
    for p in [Preference::Hours, Preference::Referrals] {
        assert!(
            email_preferences::enabled(&app.db, w.volunteer.id, p)
                .await
                .unwrap()
        );
        assert!(
            email_preferences::enabled(&app.db, w.staff.id, p)
                .await
                .unwrap()
        );
    }
}

async fn the_preferences_page_shows_defaults_and_saves_choices(app: TestApp) {
    let w = world(&app).await;
    let b = crate::applications::signed_in(&app, "ada@example.org").await;
    let page = b.get_text("/account/email-preferences", 200).await;
    assert!(
        page.contains("name=\"application_updates\" type=\"checkbox\" value=\"on\" checked"),
        "{page}"
    );
    assert!(
        page.contains("name=\"weekly_digest\" type=\"checkbox\" value=\"on\" aria-describedby"),
        "the digest is opt-in: {page}"
    );
    assert!(page.contains("Emails we always send"));
    let account = b.get_text("/account", 200).await;
    assert!(account.contains("href=\"/account/email-preferences\""));

    // Digest on, everything else off except referrals.
    let res = b
        .post(
            "/account/email-preferences",
            &[("weekly_digest", "on"), ("referrals", "on")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/email-preferences?saved=1");
    let chosen = email_preferences::all(&app.db, w.volunteer.id)
        .await
        .unwrap();
    for (p, on) in chosen {
        let want = matches!(p, Preference::WeeklyDigest | Preference::Referrals);
        assert_eq!(on, want, "{p:?}");
    }
    let page = b.get_text("/account/email-preferences?saved=1", 200).await;
    assert!(page.contains("have been saved"));
    assert!(page.contains("name=\"weekly_digest\" type=\"checkbox\" value=\"on\" checked"));

    // Without the form's token nothing changes; signed out, the page asks to sign in.
    let res = app
        .client
        .post(format!("{}/account/email-preferences", app.base))
        .form(&[("hours", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert!(
        !email_preferences::enabled(&app.db, w.volunteer.id, Preference::Hours)
            .await
            .unwrap()
    );
    let res = app.get("/account/email-preferences").await;
    assert!(
        [303, 401].contains(&res.status().as_u16()),
        "{}",
        res.status()
    );
}

async fn count_kind(db: &DatabaseConnection, kind: &str) -> u64 {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .count(db)
        .await
        .unwrap()
}

async fn scheduled_jobs_run_twice_send_each_email_once(app: TestApp) {
    let w = world(&app).await;
    let now = hubmatch::db::now();
    let role = w.borough.food_packing.clone();
    let session = the_session(&app.db, role.id).await;

    // Ada is accepted for a session starting in 12 hours.
    let application_id = apply_directly(
        &app,
        w.profile,
        w.volunteer.id,
        role.id,
        &[session.id],
        false,
    )
    .await;
    let mut a: application::ActiveModel = application::Entity::find_by_id(application_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    a.status = Set("accepted".into());
    a.update(&app.db).await.unwrap();
    let mut s: role_session::ActiveModel = session.clone().into();
    s.starts_at = Set(now + Duration::hours(12));
    s.ends_at = Set(now + Duration::hours(14));
    s.update(&app.db).await.unwrap();
    // The role closes in two days with places left, and was published yesterday.
    let mut r: role::ActiveModel = role.clone().into();
    r.places = Set(5);
    r.closes_at = Set(Some(now + Duration::days(2)));
    r.published_at = Set(Some(now - Duration::days(1)));
    r.update(&app.db).await.unwrap();
    // Hours Ada claimed ten days ago still wait for the organisation.
    hours_log::ActiveModel {
        volunteer_id: Set(w.profile),
        role_id: Set(role.id),
        session_id: Set(None),
        worked_on: Set((now - Duration::days(10)).date()),
        minutes: Set(120),
        status: Set("claimed".into()),
        note: Set(String::new()),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(now - Duration::days(10)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // Ada cares about the role's cause and asked for the digest.
    let cause = role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.eq(role.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the role has a cause");
    volunteer_cause::ActiveModel {
        volunteer_id: Set(w.profile),
        cause_id: Set(cause.cause_id),
    }
    .insert(&app.db)
    .await
    .unwrap();
    email_preferences::set(&app.db, w.volunteer.id, Preference::WeeklyDigest, true)
        .await
        .unwrap();

    let first = scheduled::run_all(&app.db, &app.base, now).await.unwrap();
    assert_eq!(first.session_reminders, 1, "{}: {first:?}", app.backend);
    assert_eq!(first.closing_soon, 1, "to the role's contact: {first:?}");
    assert!(first.hours_to_confirm >= 1, "to the staff: {first:?}");
    assert_eq!(first.weekly_digests, 1, "{first:?}");
    let second = scheduled::run_all(&app.db, &app.base, now + Duration::minutes(10))
        .await
        .unwrap();
    assert_eq!(second, scheduled::Report::default(), "nothing twice");
    for (kind, n) in [
        ("email.session_reminder", 1),
        ("email.closing_soon", 1),
        ("email.weekly_digest", 1),
        ("email.hours_to_confirm", u64::from(first.hours_to_confirm)),
    ] {
        assert_eq!(count_kind(&app.db, kind).await, n, "{kind}");
    }
    let reminder = emails_to(&app.db, "ada@example.org")
        .await
        .into_iter()
        .find(|(k, _)| k == "email.session_reminder")
        .expect("a reminder")
        .1;
    assert!(reminder.subject.contains(&role.title));
    assert!(
        reminder
            .text_body
            .contains(&format!("/applications/{application_id}"))
    );
    let digest = emails_to(&app.db, "ada@example.org")
        .await
        .into_iter()
        .find(|(k, _)| k == "email.weekly_digest")
        .expect("a digest")
        .1;
    assert!(
        digest
            .text_body
            .contains(&format!("{}/roles/{}", app.base, role.id))
    );
    assert!(
        scheduled_email::Entity::find()
            .filter(
                scheduled_email::Column::Key
                    .eq(format!("session_reminder:{}:{application_id}", session.id))
            )
            .one(&app.db)
            .await
            .unwrap()
            .is_some_and(|k| k.outbox_id.is_some())
    );

    // A volunteer who turned reminders off is skipped, and the key still counts as done.
    email_preferences::set(&app.db, w.volunteer.id, Preference::WeeklyDigest, false)
        .await
        .unwrap();
    let next_week = scheduled::run_all(&app.db, &app.base, now + Duration::days(7))
        .await
        .unwrap();
    assert_eq!(next_week.weekly_digests, 0);
    assert_eq!(count_kind(&app.db, "email.weekly_digest").await, 1);
}

async fn an_alliance_admin_sees_dead_and_failing_emails_and_retry_makes_one_due_again(
    app: TestApp,
) {
    crate::people::add_person(
        &app.db,
        crate::people::PersonSpec {
            email: "alliance@example.org",
            name: "Alex Alliance",
            alliance_admin: true,
            two_factor: true,
            ..Default::default()
        },
    )
    .await;
    let queue = |to: &'static str| {
        let db = app.db.clone();
        async move {
            email::enqueue(
                &db,
                "email.verify",
                &email::simple(to, "Confirm your email", &["Hello"], None),
            )
            .await
            .unwrap()
            .unwrap()
        }
    };
    let dead_id = queue("dead@example.org").await;
    let failing_id = queue("failing@example.org").await;
    let sent_id = queue("sent@example.org").await;
    let now = hubmatch::db::now();
    let mut dead: outbox::ActiveModel = outbox::Entity::find_by_id(dead_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    dead.attempts = Set(8);
    dead.dead_at = Set(Some(now));
    dead.last_error = Set(Some("554 mailbox <dead@example.org> unavailable".into()));
    dead.update(&app.db).await.unwrap();
    let mut failing: outbox::ActiveModel = outbox::Entity::find_by_id(failing_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    failing.attempts = Set(2);
    failing.next_attempt_at = Set(now + Duration::hours(1));
    failing.last_error = Set(Some("connection refused".into()));
    failing.update(&app.db).await.unwrap();
    let mut sent: outbox::ActiveModel = outbox::Entity::find_by_id(sent_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    sent.done_at = Set(Some(now));
    sent.update(&app.db).await.unwrap();

    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "alliance@example.org").await;
    let page = admin.get_text("/admin/outbox", 200).await;
    assert!(page.contains("dead@example.org"), "{page}");
    assert!(page.contains("554 mailbox"), "{page}");
    assert!(page.contains("failing@example.org"), "{page}");
    assert!(page.contains("connection refused"), "{page}");
    assert!(
        !page.contains("sent@example.org"),
        "delivered emails are not listed"
    );
    assert!(page.contains(&format!("/admin/outbox/{dead_id}/retry")));

    let res = admin
        .post(&format!("/admin/outbox/{dead_id}/retry"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", app.backend);
    assert_eq!(location(&res), format!("/admin/outbox?retried={dead_id}"));
    let row = outbox::Entity::find_by_id(dead_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.dead_at, None);
    assert_eq!(row.attempts, 0);
    assert!(row.next_attempt_at <= hubmatch::db::now());
    // A delivered email cannot be sent again from here; a missing one is a 404.
    let res = admin
        .post(&format!("/admin/outbox/{sent_id}/retry"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 404);
    let res = admin.post("/admin/outbox/nonsense/retry", &[]).await;
    assert_eq!(res.status().as_u16(), 400);
    // Volunteers may not look.
    let ada = crate::people::volunteer(&app, "ada@example.org").await;
    let b = crate::applications::signed_in(&app, &ada.email).await;
    assert_eq!(b.get("/admin/outbox").await.status().as_u16(), 403);
}

/// `hubmatch jobs run` runs every job once on a fresh database, twice without harm,
/// and refuses a `--now` that is not RFC 3339, naming it.
#[test]
fn the_jobs_command_runs_the_scheduled_emails_and_refuses_a_bad_now() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hubmatch"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("HUBMATCH_DATABASE_URL")
            .current_dir(dir.path())
            .output()
            .expect("run hubmatch jobs")
    };
    for _ in 0..2 {
        let out = run(&["jobs", "run", "--now", "2026-12-01T09:00:00Z"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("scheduled emails queued: 0 session reminders"),
            "{stdout}"
        );
    }
    let out = run(&["jobs", "run", "--now", "tomorrow"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--now") && stderr.contains("RFC 3339"),
        "{stderr}"
    );
}

async fn housekeeping_forgets_scheduled_keys_after_sixty_days_only(app: TestApp) {
    let now = hubmatch::db::now();
    for (key, age) in [("old", Duration::days(61)), ("recent", Duration::days(59))] {
        scheduled_email::ActiveModel {
            key: Set(key.into()),
            outbox_id: Set(None),
            created_at: Set(now - age),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let swept = hubmatch::jobs::housekeeping::sweep(&app.db).await.unwrap();
    assert_eq!(swept.scheduled_email_keys, 1, "{}", app.backend);
    let left: Vec<String> = scheduled_email::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.key)
        .collect();
    assert_eq!(left, ["recent"]);
}
