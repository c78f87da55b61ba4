//! Volunteer sign-up: every field checked with a clear message, the age rules (14+, young
//! volunteers, a guardian for under-16s), verification links, no account enumeration,
//! rate limits, and nothing half-written.
use hubmatch::email::OutboxEmail;
use hubmatch::entities::{audit_log, outbox, user, volunteer_profile};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use time::{Date, Month};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, location};

/// A password that meets the policy.
pub const NEW_PASSWORD: &str = "kettle lantern orchard";

/// Emails queued to `to`, oldest first.
pub async fn emails_to(db: &DatabaseConnection, to: &str) -> Vec<OutboxEmail> {
    outbox::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.kind.starts_with("email."))
        .map(|row| serde_json::from_str::<OutboxEmail>(&row.payload).unwrap())
        .filter(|e| e.to == to)
        .collect()
}

/// The path of the first link in `email` whose path starts with `prefix`.
pub fn link_in(email: &OutboxEmail, prefix: &str) -> String {
    email
        .text_body
        .split_whitespace()
        .filter_map(|word| word.find("://").map(|i| &word[i + 3..]))
        .filter_map(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .find(|path| path.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} link in: {}", email.text_body))
}

/// The newest email to `to` with a `prefix` link, and that link.
pub async fn latest_link(db: &DatabaseConnection, to: &str, prefix: &str) -> String {
    let emails = emails_to(db, to).await;
    let email = emails
        .iter()
        .rev()
        .find(|e| e.text_body.contains(prefix))
        .unwrap_or_else(|| panic!("no email to {to} with a {prefix} link: {emails:?}"));
    link_in(email, prefix)
}

/// Born on the 1st of this month `years` ago: exactly `years` old today.
pub fn born_years_ago(years: i32) -> Date {
    let today = hubmatch::db::now().date();
    Date::from_calendar_date(today.year() - years, today.month(), 1).unwrap()
}

/// A complete, valid sign-up form for an adult; tests change one field at a time.
pub fn form(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("full_name", "Grace Hopper".into()),
        ("email", email.into()),
        ("password", NEW_PASSWORD.into()),
        ("dob-day", "9".into()),
        ("dob-month", "12".into()),
        ("dob-year", "1990".into()),
        ("ward", String::new()),
        ("postcode_district", "SE15".into()),
        ("guardian_email", String::new()),
        ("terms", "yes".into()),
    ]
}

fn with(
    mut fields: Vec<(&'static str, String)>,
    name: &str,
    value: &str,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != name);
    if !value.is_empty() || name != "terms" {
        fields.push((static_name(name), value.into()));
    }
    fields
}

fn with_born(fields: Vec<(&'static str, String)>, born: Date) -> Vec<(&'static str, String)> {
    let fields = with(fields, "dob-day", &born.day().to_string());
    let fields = with(fields, "dob-month", &(born.month() as u8).to_string());
    with(fields, "dob-year", &born.year().to_string())
}

fn static_name(name: &str) -> &'static str {
    [
        "full_name",
        "email",
        "password",
        "dob-day",
        "dob-month",
        "dob-year",
        "ward",
        "postcode_district",
        "guardian_email",
        "terms",
    ]
    .into_iter()
    .find(|n| *n == name)
    .expect("a sign-up field")
}

pub async fn post_sign_up(
    browser: &Browser,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post("/sign-up", &pairs).await
}

async fn users(db: &DatabaseConnection) -> u64 {
    user::Entity::find().count(db).await.unwrap()
}

async fn account(db: &DatabaseConnection, email: &str) -> user::Model {
    hubmatch::models::accounts::find_by_email(db, email)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account for {email}"))
}

async fn profile(db: &DatabaseConnection, user_id: i32) -> volunteer_profile::Model {
    volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user_id))
        .one(db)
        .await
        .unwrap()
        .expect("a volunteer profile")
}

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let res = Browser::new(app)
        .post("/sign-in", &[("email", email), ("password", password)])
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// Signs in through the form with a password of the test's choosing.
pub async fn sign_in_as(browser: &Browser, email: &str, password: &str) {
    let res = browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await;
    let status = res.status().as_u16();
    assert_eq!(
        status,
        303,
        "sign in as {email}: {}",
        res.text().await.unwrap()
    );
}

on_both_databases!(
    signing_up_and_opening_the_link_gives_an_active_account,
    every_field_is_checked_and_a_refused_sign_up_writes_nothing,
    an_address_with_an_account_gets_the_same_answer_and_an_email_instead,
    an_under_16_waits_for_a_guardian_before_signing_in,
    sixteen_and_seventeen_year_olds_need_no_guardian_but_are_young_volunteers,
    sign_ups_are_rate_limited_per_address_and_per_ip,
    a_ward_can_be_chosen_instead_of_a_postcode,
);

async fn signing_up_and_opening_the_link_gives_an_active_account(app: TestApp) {
    let browser = Browser::new(&app);
    let page = browser.get_text("/sign-up", 200).await;
    for needle in [
        "dob-day",
        "guardian_email",
        "href=\"/privacy\"",
        "href=\"/terms\"",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    let res = post_sign_up(&browser, &form("Grace@Example.org")).await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/sign-up/check-email");
    assert!(
        browser
            .get_text("/sign-up/check-email", 200)
            .await
            .contains("Check your email")
    );

    let grace = account(&app.db, "grace@example.org").await;
    assert_eq!(grace.status, "pending_verification");
    assert!(grace.verified_at.is_none() && grace.terms_accepted_at.is_some());
    assert_eq!(grace.display_name, "Grace Hopper");
    let p = profile(&app.db, grace.id).await;
    assert_eq!(
        p.date_of_birth,
        Date::from_calendar_date(1990, Month::December, 9).unwrap()
    );
    assert_eq!(p.postcode_district.as_deref(), Some("SE15"));
    assert!(p.guardian_email.is_none());

    let (status, body) = sign_in_status(&app, "grace@example.org", NEW_PASSWORD).await;
    assert_eq!(status, 403, "not before the address is confirmed");
    assert!(body.contains("Confirm your email address"), "{body}");

    let link = latest_link(&app.db, "grace@example.org", "/verify-email/").await;
    let done = browser.get_text(&link, 200).await;
    assert!(done.contains("Email address confirmed"), "{done}");
    let grace = account(&app.db, "grace@example.org").await;
    assert_eq!(grace.status, "active");
    assert!(grace.verified_at.is_some());

    let again = browser.get_text(&link, 400).await;
    assert!(
        again.contains("invalid or has expired"),
        "a link works once: {again}"
    );
    assert!(
        again.contains("/password-reset"),
        "says how to get a new link"
    );

    let res = browser
        .post(
            "/sign-in",
            &[("email", "grace@example.org"), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let page = browser.get_text("/account", 200).await;
    assert!(page.contains("Grace Hopper") && page.contains("grace@example.org"));
    assert!(
        !page.contains("Young volunteer"),
        "an adult is not marked young"
    );
}

async fn every_field_is_checked_and_a_refused_sign_up_writes_nothing(app: TestApp) {
    let browser = Browser::new(&app);
    let today = hubmatch::db::now().date();
    let tomorrow = today.next_day().unwrap();
    let under_16 = with_born(form("kid@example.org"), born_years_ago(15));
    let cases: Vec<(&str, Vec<(&'static str, String)>, &str)> = vec![
        (
            "email",
            with(form(""), "email", "not-an-address"),
            "Enter an email address in the correct format",
        ),
        (
            "email",
            with(form(""), "email", ""),
            "Enter your email address",
        ),
        (
            "password",
            with(form("a@example.org"), "password", "short"),
            "at least 10 characters",
        ),
        (
            "password",
            with(form("a@example.org"), "password", "password123"),
            "too common",
        ),
        (
            "password",
            with(
                form("gracehopper@example.org"),
                "password",
                "gracehopper-rules-ok",
            ),
            "must not contain your email address",
        ),
        (
            "full_name",
            with(form("a@example.org"), "full_name", "  "),
            "Enter your full name",
        ),
        (
            "dob-day",
            with(form("a@example.org"), "dob-day", "31")
                .into_iter()
                .map(|(k, v)| {
                    if k == "dob-month" {
                        (k, "2".into())
                    } else {
                        (k, v)
                    }
                })
                .collect(),
            "must be a real date",
        ),
        (
            "dob-day",
            with_born(form("a@example.org"), tomorrow),
            "must be in the past",
        ),
        (
            "dob-day",
            with_born(form("a@example.org"), born_years_ago(13)),
            "14 or older",
        ),
        (
            "dob-day",
            with(form("a@example.org"), "dob-year", ""),
            "must include a year",
        ),
        (
            "ward",
            with(
                with(form("a@example.org"), "postcode_district", ""),
                "ward",
                "",
            ),
            "Choose your ward, or enter the first part of your postcode",
        ),
        (
            "ward",
            with(form("a@example.org"), "ward", "E05999999"),
            "Choose your ward from the list",
        ),
        (
            "postcode_district",
            with(form("a@example.org"), "postcode_district", "S15E"),
            "first part of your postcode",
        ),
        (
            "terms",
            with(form("a@example.org"), "terms", ""),
            "Agree to the terms of use",
        ),
        ("guardian_email", under_16.clone(), "you are under 16"),
        (
            "guardian_email",
            with(under_16.clone(), "guardian_email", "KID@example.org"),
            "must be different from yours",
        ),
        (
            "guardian_email",
            with(under_16, "guardian_email", "parent@"),
            "Enter the part of the email address after the @",
        ),
    ];
    for (field, fields, message) in cases {
        let res = post_sign_up(&browser, &fields).await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_eq!(status, 400, "{field} / {message}: {body}");
        assert!(
            body.contains(message),
            "{field}: expected {message:?} in {body}"
        );
        assert!(
            body.contains(&format!("href=\"#{field}\"")),
            "the summary links to #{field}"
        );
        assert!(body.contains("There is a problem"));
    }
    assert_eq!(users(&app.db).await, 0, "no account from a refused sign-up");
    assert_eq!(
        outbox::Entity::find().count(&app.db).await.unwrap(),
        0,
        "no email either"
    );
    assert_eq!(
        volunteer_profile::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

async fn an_address_with_an_account_gets_the_same_answer_and_an_email_instead(app: TestApp) {
    add_person(
        &app.db,
        PersonSpec {
            email: "taken@example.org",
            name: "Ada",
            ..PersonSpec::default()
        },
    )
    .await;
    let before = users(&app.db).await;

    let browser = Browser::new(&app);
    let taken = post_sign_up(&browser, &form("taken@example.org")).await;
    let fresh = post_sign_up(&browser, &form("fresh@example.org")).await;
    assert_eq!(taken.status(), fresh.status());
    assert_eq!(location(&taken), location(&fresh));
    let taken_page = browser.get_text(&location(&taken), 200).await;
    let fresh_page = browser.get_text(&location(&fresh), 200).await;
    assert_eq!(taken_page, fresh_page, "the pages give nothing away");

    assert_eq!(
        users(&app.db).await,
        before + 1,
        "only the fresh address got an account"
    );
    let told = emails_to(&app.db, "taken@example.org").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].subject.contains("already have"),
        "{}",
        told[0].subject
    );
    assert!(told[0].text_body.contains("/password-reset"));
    assert!(told[0].text_body.contains("/sign-in"));
    let taken = account(&app.db, "taken@example.org").await;
    assert_eq!(
        taken.display_name, "Ada",
        "the existing account is untouched"
    );
}

async fn an_under_16_waits_for_a_guardian_before_signing_in(app: TestApp) {
    let browser = Browser::new(&app);
    let fields = with(
        with(
            with_born(form("sam@example.org"), born_years_ago(15)),
            "guardian_email",
            "Parent@Example.org",
        ),
        "full_name",
        "Sam Okafor",
    );
    let res = post_sign_up(&browser, &fields).await;
    assert_eq!(res.status().as_u16(), 303);
    let sam = account(&app.db, "sam@example.org").await;
    assert_eq!(sam.status, "pending_guardian");
    let p = profile(&app.db, sam.id).await;
    assert_eq!(p.guardian_email.as_deref(), Some("parent@example.org"));
    assert!(p.guardian_consent_at.is_none());

    let verify = latest_link(&app.db, "sam@example.org", "/verify-email/").await;
    let page = browser.get_text(&verify, 200).await;
    assert!(page.contains("parent or guardian"), "{page}");
    let sam = account(&app.db, "sam@example.org").await;
    assert_eq!(
        sam.status, "pending_guardian",
        "still waiting for the guardian"
    );
    assert!(sam.verified_at.is_some());
    let (status, body) = sign_in_status(&app, "sam@example.org", NEW_PASSWORD).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains("parent or guardian needs to confirm"),
        "{body}"
    );

    let consent = latest_link(&app.db, "parent@example.org", "/guardian-consent/").await;
    let guardian = Browser::new(&app);
    let page = guardian.get_text(&consent, 200).await;
    assert!(page.contains("Sam would like to volunteer"), "{page}");
    assert!(
        !page.contains("Okafor"),
        "only the child's first name is shown"
    );
    assert!(page.contains("suitable for young volunteers"));
    assert!(page.contains("withdraw"));

    let res = guardian.post(&consent, &[]).await;
    assert_eq!(res.status().as_u16(), 400, "the box must be ticked");
    assert!(res.text().await.unwrap().contains("href=\"#agree\""));
    assert_eq!(
        account(&app.db, "sam@example.org").await.status,
        "pending_guardian"
    );

    let res = guardian.post(&consent, &[("agree", "yes")]).await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("now open"));
    let sam = account(&app.db, "sam@example.org").await;
    assert_eq!(sam.status, "active");
    assert!(profile(&app.db, sam.id).await.guardian_consent_at.is_some());
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("account.guardian_consent"))
        .filter(audit_log::Column::SubjectId.eq(sam.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audit, 1, "the consent is in the audit log");
    guardian.get_text(&consent, 400).await;

    sign_in_as(&browser, "sam@example.org", NEW_PASSWORD).await;
    let page = browser.get_text("/account", 200).await;
    assert!(page.contains("Young volunteer"), "{page}");
    assert!(page.contains("youth-friendly roles"));
}

async fn sixteen_and_seventeen_year_olds_need_no_guardian_but_are_young_volunteers(app: TestApp) {
    for (years, email) in [(16, "sixteen@example.org"), (17, "seventeen@example.org")] {
        let browser = Browser::new(&app);
        let res = post_sign_up(&browser, &with_born(form(email), born_years_ago(years))).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(account(&app.db, email).await.status, "pending_verification");
        let link = latest_link(&app.db, email, "/verify-email/").await;
        browser.get_text(&link, 200).await;
        let person = account(&app.db, email).await;
        assert_eq!(person.status, "active", "{years}: no guardian needed");
        assert_eq!(
            profile(&app.db, person.id).await.date_of_birth,
            born_years_ago(years)
        );
        sign_in_as(&browser, email, NEW_PASSWORD).await;
        assert!(
            browser
                .get_text("/account", 200)
                .await
                .contains("Young volunteer"),
            "{years}"
        );
    }
    let guardian_emails = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("email.guardian_consent"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(guardian_emails, 0);
}

async fn sign_ups_are_rate_limited_per_address_and_per_ip(app: TestApp) {
    let browser = Browser::new(&app);
    for _ in 0..3 {
        let res = post_sign_up(&browser, &form("again@example.org")).await;
        assert_eq!(res.status().as_u16(), 303);
    }
    let res = post_sign_up(&browser, &form("again@example.org")).await;
    assert_eq!(res.status().as_u16(), 429);
    let body = res.text().await.unwrap();
    assert!(body.contains("Too many attempts to sign up"), "{body}");
    assert!(
        body.contains("name=\"full_name\""),
        "the form is shown again"
    );
    // 4 attempts so far from this address; the IP allows 10 an hour.
    for i in 0..6 {
        let res = post_sign_up(&browser, &form(&format!("person{i}@example.org"))).await;
        assert_eq!(res.status().as_u16(), 303, "attempt {i}");
    }
    let res = post_sign_up(&browser, &form("one-too-many@example.org")).await;
    assert_eq!(
        res.status().as_u16(),
        429,
        "the 11th sign-up from one IP in an hour"
    );
    assert!(
        hubmatch::models::accounts::find_by_email(&app.db, "one-too-many@example.org")
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_ward_can_be_chosen_instead_of_a_postcode(app: TestApp) {
    let wards = hubmatch::models::vocab::wards(&app.db).await.unwrap();
    assert_eq!(wards.len(), 23);
    let peckham = wards
        .iter()
        .find(|w| w.name == "Peckham")
        .expect("Peckham ward");
    let browser = Browser::new(&app);
    let page = browser.get_text("/sign-up", 200).await;
    assert!(page.contains(&format!("value=\"{}\"", peckham.slug)));
    let fields = with(
        with(form("ward@example.org"), "postcode_district", ""),
        "ward",
        &peckham.slug,
    );
    let res = post_sign_up(&browser, &fields).await;
    assert_eq!(res.status().as_u16(), 303);
    let person = account(&app.db, "ward@example.org").await;
    let p = profile(&app.db, person.id).await;
    assert_eq!(p.ward_id, Some(peckham.id));
    assert!(p.postcode_district.is_none());
}
