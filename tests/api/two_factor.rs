//! Two-factor sign-in: setting it up, the second step of signing in (app codes once,
//! recovery codes once), who may turn it off, and signing out on every device.
use hubmatch::auth::tokens::hash_token;
use hubmatch::auth::totp;
use hubmatch::entities::{audit_log, recovery_code, user};
use hubmatch::models::two_factor;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people;
use crate::people::{
    Browser, PASSWORD, PersonSpec, add_person, adult_birthday, current_code, location, reload,
};

async fn volunteer(app: &TestApp, email: &'static str, two_factor: bool) -> user::Model {
    add_person(
        &app.db,
        PersonSpec {
            email,
            name: "Ada Volunteer",
            born: Some(adult_birthday()),
            two_factor,
            ..PersonSpec::default()
        },
    )
    .await
}

async fn audited(app: &TestApp, action: &str, user_id: i32) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .filter(audit_log::Column::ActorUserId.eq(user_id))
        .count(&app.db)
        .await
        .unwrap()
}

/// The recovery codes a page shows, in order.
fn codes_on(page: &str) -> Vec<String> {
    page.split("<code>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</code>").map(|(c, _)| c.to_owned()))
        .filter(|c| c.len() == 14 && c.matches('-').count() == 2)
        .collect()
}

/// Password accepted, second step pending: where the sign-in form sent the browser.
async fn password_step(browser: &Browser, email: &str, next: &str) -> String {
    let res = browser
        .post(
            "/sign-in",
            &[("email", email), ("password", PASSWORD), ("next", next)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    location(&res)
}

async fn setting_up_two_factor_takes_a_code_from_the_app_and_shows_recovery_codes_once(
    app: TestApp,
) {
    let ada = volunteer(&app, "ada@example.org", false).await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;

    let page = browser.get_text("/account/two-factor", 200).await;
    let pending = reload(&app.db, &ada).await;
    let secret = pending.totp_secret.clone().expect("a secret is waiting");
    assert!(
        pending.totp_enabled_at.is_none(),
        "not on until a code is typed"
    );
    assert!(page.contains(&totp::grouped(&secret)), "{page}");
    assert!(page.contains("otpauth://totp/"), "{page}");
    let again = browser.get_text("/account/two-factor", 200).await;
    assert!(
        again.contains(&totp::grouped(&secret)),
        "a reload keeps the secret the app has scanned"
    );

    let res = browser
        .post("/account/two-factor", &[("code", "000000")])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("govuk-error-summary"), "{body}");
    assert!(body.contains("href=\"#code\""), "{body}");
    assert!(reload(&app.db, &ada).await.totp_enabled_at.is_none());

    let res = browser
        .post("/account/two-factor", &[("code", &current_code(&pending))])
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let body = res.text().await.unwrap();
    let codes = codes_on(&body);
    assert_eq!(codes.len(), 10, "{body}");

    let enabled = reload(&app.db, &ada).await;
    assert!(enabled.totp_enabled_at.is_some());
    assert!(enabled.totp_last_step.is_some(), "the code used is spent");
    let stored = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(ada.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    for code in &codes {
        assert!(
            stored.iter().all(|r| !r.code_hash.contains(code.as_str())),
            "codes are stored hashed"
        );
        let plain = code.replace('-', "");
        assert!(stored.iter().any(|r| r.code_hash == hash_token(&plain)));
    }
    assert_eq!(audited(&app, "two_factor.enable", ada.id).await, 1);

    let status = browser.get_text("/account/two-factor", 200).await;
    assert!(status.contains("10 unused recovery codes"), "{status}");
    assert!(
        codes_on(&status).is_empty(),
        "recovery codes are shown only once"
    );
}

async fn signing_in_with_two_factor_needs_a_current_code_which_works_once(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", true).await;
    let browser = Browser::new(&app);
    let to = password_step(&browser, "ada@example.org", "/account/api-tokens").await;
    assert_eq!(to, "/sign-in/two-factor?next=%2Faccount%2Fapi-tokens");

    // The password alone signs nobody in.
    let res = browser.get("/account/api-tokens").await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(
        location(&res).starts_with("/sign-in?"),
        "{}",
        location(&res)
    );
    let page = browser.get_text(&to, 200).await;
    assert!(page.contains("name=\"code\""), "{page}");

    let res = browser
        .post(
            "/sign-in/two-factor",
            &[("code", "123456"), ("next", "/account/api-tokens")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#code\""));

    let code = current_code(&ada);
    let res = browser
        .post(
            "/sign-in/two-factor",
            &[("code", &code), ("next", "/account/api-tokens")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/api-tokens");
    browser.get_text("/account/api-tokens", 200).await;

    // Someone who watched the code being typed cannot use it again.
    let thief = Browser::new(&app);
    password_step(&thief, "ada@example.org", "").await;
    let res = thief.post("/sign-in/two-factor", &[("code", &code)]).await;
    assert_eq!(res.status().as_u16(), 400, "a replayed code is refused");
    let res = thief.get("/account/api-tokens").await;
    assert_eq!(res.status().as_u16(), 303, "the thief is not signed in");
}

async fn a_recovery_code_signs_in_once(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", true).await;
    let codes = two_factor::replace_recovery_codes(&app.db, ada.id)
        .await
        .unwrap();

    let browser = Browser::new(&app);
    password_step(&browser, "ada@example.org", "").await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let res = browser
        .post("/sign-in/two-factor", &[("code", &typed)])
        .await;
    assert_eq!(res.status().as_u16(), 303, "a recovery code, however typed");
    assert_eq!(location(&res), "/account");
    let used = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(ada.id))
        .filter(recovery_code::Column::UsedAt.is_not_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(used, 1);
    assert_eq!(
        audited(&app, "two_factor.recovery_code_used", ada.id).await,
        1
    );

    let other = Browser::new(&app);
    password_step(&other, "ada@example.org", "").await;
    let res = other
        .post("/sign-in/two-factor", &[("code", &codes[3])])
        .await;
    assert_eq!(
        res.status().as_u16(),
        400,
        "a used recovery code is refused"
    );
    let res = other
        .post("/sign-in/two-factor", &[("code", &codes[4])])
        .await;
    assert_eq!(res.status().as_u16(), 303, "an unused one still works");
}

async fn the_second_step_without_a_password_first_goes_back_to_sign_in(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", true).await;
    let browser = Browser::new(&app);
    let res = browser.get("/sign-in/two-factor").await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/sign-in");
    let res = browser
        .post("/sign-in/two-factor", &[("code", &current_code(&ada))])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/sign-in");
    assert_eq!(
        reload(&app.db, &ada).await.totp_last_step,
        None,
        "the code was not even checked"
    );
}

async fn guessing_codes_is_limited_per_account(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", true).await;
    let browser = Browser::new(&app);
    password_step(&browser, "ada@example.org", "").await;
    for _ in 0..6 {
        let res = browser
            .post("/sign-in/two-factor", &[("code", "000000")])
            .await;
        assert_eq!(res.status().as_u16(), 400);
    }
    let res = browser
        .post("/sign-in/two-factor", &[("code", &current_code(&ada))])
        .await;
    assert_eq!(
        res.status().as_u16(),
        429,
        "even the right code waits once the limit is reached"
    );
    assert!(res.text().await.unwrap().contains("Too many codes"));
}

async fn volunteers_may_turn_two_factor_off_with_their_password(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", true).await;
    two_factor::replace_recovery_codes(&app.db, ada.id)
        .await
        .unwrap();
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;

    let res = browser
        .post(
            "/account/two-factor/disable",
            &[("disable_password", "not my password")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("href=\"#disable_password\"")
    );
    assert!(reload(&app.db, &ada).await.totp_enabled_at.is_some());

    let res = browser
        .post(
            "/account/two-factor/disable",
            &[("disable_password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let after = reload(&app.db, &ada).await;
    assert!(after.totp_enabled_at.is_none());
    assert_ne!(
        after.totp_secret, ada.totp_secret,
        "the old secret is forgotten (the page offers a fresh one to set up again)"
    );
    let codes = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(ada.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(codes, 0, "recovery codes go with it");
    assert_eq!(audited(&app, "two_factor.disable", ada.id).await, 1);

    // The next sign-in needs only the password.
    let fresh = Browser::new(&app);
    assert_eq!(
        password_step(&fresh, "ada@example.org", "").await,
        "/account"
    );
}

async fn alliance_admins_and_coordinators_cannot_turn_it_off(app: TestApp) {
    let b = crate::fixtures::borough(&app.db).await;
    for (email, admin, hub) in [
        ("admin@example.org", true, None),
        ("coordinator@example.org", false, Some(b.peckham_hub.id)),
    ] {
        let person = add_person(
            &app.db,
            PersonSpec {
                email,
                alliance_admin: admin,
                coordinates_hub: hub,
                two_factor: true,
                ..PersonSpec::default()
            },
        )
        .await;
        let browser = Browser::new(&app);
        browser.sign_in(&app.db, email).await;
        let page = browser.get_text("/account/two-factor", 200).await;
        assert!(!page.contains("/account/two-factor/disable"), "{page}");
        let res = browser
            .post(
                "/account/two-factor/disable",
                &[("disable_password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status().as_u16(), 403, "{email}");
        assert!(res.text().await.unwrap().contains("must keep two-factor"));
        assert!(reload(&app.db, &person).await.totp_enabled_at.is_some());
    }
}

async fn an_admin_without_two_factor_must_set_it_up_before_anything_else(app: TestApp) {
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "admin@example.org",
            alliance_admin: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "admin@example.org").await;
    let res = browser.get("/account/api-tokens").await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/two-factor");

    let page = browser.get_text("/account/two-factor", 200).await;
    assert!(page.contains("need to set up two-factor"), "{page}");
    let pending = reload(&app.db, &admin).await;
    let res = browser
        .post("/account/two-factor", &[("code", &current_code(&pending))])
        .await;
    assert_eq!(res.status().as_u16(), 200);
    browser.get_text("/account/api-tokens", 200).await;
}

async fn new_recovery_codes_replace_the_old_ones(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", true).await;
    let old = two_factor::replace_recovery_codes(&app.db, ada.id)
        .await
        .unwrap();
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;

    let res = browser
        .post(
            "/account/two-factor/recovery-codes",
            &[("codes_password", "")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);

    let res = browser
        .post(
            "/account/two-factor/recovery-codes",
            &[("codes_password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let new = codes_on(&res.text().await.unwrap());
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|c| !old.contains(c)));
    assert_eq!(audited(&app, "two_factor.recovery_codes", ada.id).await, 1);

    let other = Browser::new(&app);
    password_step(&other, "ada@example.org", "").await;
    let res = other
        .post("/sign-in/two-factor", &[("code", &old[0])])
        .await;
    assert_eq!(res.status().as_u16(), 400, "old codes no longer work");
    let res = other
        .post("/sign-in/two-factor", &[("code", &new[0])])
        .await;
    assert_eq!(res.status().as_u16(), 303);
}

async fn signing_out_everywhere_ends_every_session_of_that_person_only(app: TestApp) {
    let ada = volunteer(&app, "ada@example.org", false).await;
    volunteer(&app, "bob@example.org", false).await;
    let laptop = Browser::new(&app);
    let phone = Browser::new(&app);
    let bob = Browser::new(&app);
    laptop.sign_in(&app.db, "ada@example.org").await;
    phone.sign_in(&app.db, "ada@example.org").await;
    bob.sign_in(&app.db, "bob@example.org").await;
    assert_eq!(people::sessions_of(&app, ada.id).await, 2);
    phone.get_text("/account/api-tokens", 200).await;

    let res = laptop.post("/account/sign-out-everywhere", &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/sign-in?notice=signed-out-everywhere");
    assert!(
        laptop
            .get_text("/sign-in?notice=signed-out-everywhere", 200)
            .await
            .contains("signed out on every device")
    );

    assert_eq!(people::sessions_of(&app, ada.id).await, 0);
    for browser in [&laptop, &phone] {
        let res = browser.get("/account/api-tokens").await;
        assert_eq!(res.status().as_u16(), 303);
        assert!(location(&res).starts_with("/sign-in"));
    }
    bob.get_text("/account/api-tokens", 200).await;
    assert_eq!(
        audited(&app, "account.sign_out_everywhere", ada.id).await,
        1
    );
}

on_both_databases!(
    setting_up_two_factor_takes_a_code_from_the_app_and_shows_recovery_codes_once,
    signing_in_with_two_factor_needs_a_current_code_which_works_once,
    a_recovery_code_signs_in_once,
    the_second_step_without_a_password_first_goes_back_to_sign_in,
    guessing_codes_is_limited_per_account,
    volunteers_may_turn_two_factor_off_with_their_password,
    alliance_admins_and_coordinators_cannot_turn_it_off,
    an_admin_without_two_factor_must_set_it_up_before_anything_else,
    new_recovery_codes_replace_the_old_ones,
    signing_out_everywhere_ends_every_session_of_that_person_only,
);
