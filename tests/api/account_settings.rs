//! The account page, and changing one's password and email address.
use hubmatch::entities::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::fixtures::borough;
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people;
use crate::people::{Browser, PASSWORD, PersonSpec, add_person, location, reload};
use crate::sign_up::{NEW_PASSWORD, emails_to, latest_link, sign_in_as};

on_both_databases!(
    the_account_page_shows_the_person_and_where_to_manage_everything,
    changing_the_password_needs_the_current_one_and_signs_out_other_devices,
    a_new_email_address_is_confirmed_from_a_link_sent_to_it,
    an_address_in_use_is_refused_when_asked_and_when_confirmed,
);

async fn the_account_page_shows_the_person_and_where_to_manage_everything(app: TestApp) {
    let res = app.get("/account").await;
    assert_eq!(
        res.status().as_u16(),
        303,
        "anonymous visitors are asked to sign in"
    );
    assert!(location(&res).starts_with("/sign-in?next=%2Faccount"));

    let b = borough(&app.db).await;
    let org_id = b.food_hub.id;
    add_person(
        &app.db,
        PersonSpec {
            email: "staff@example.org",
            name: "Sol Staff",
            organisation: Some((org_id, "staff")),
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "staff@example.org").await;
    let page = browser.get_text("/account", 200).await;
    for needle in [
        "Sol Staff",
        "staff@example.org",
        "href=\"/account/email\"",
        "href=\"/account/password\"",
        "href=\"/account/two-factor\"",
        "href=\"/account/api-tokens\"",
        "href=\"/account/export\"",
        "href=\"/account/delete\"",
        "action=\"/account/sign-out-everywhere\"",
        "href=\"/organisations/register\"",
        &format!("href=\"/organisations/{org_id}/staff\""),
    ] {
        assert!(page.contains(needle), "{needle} on {page}");
    }
    assert!(!page.contains("Young volunteer"));
}

async fn changing_the_password_needs_the_current_one_and_signs_out_other_devices(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let other = Browser::new(&app);
    other.sign_in(&app.db, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    assert_eq!(people::sessions_of(&app, ada.id).await, 2);
    assert!(
        browser
            .get_text("/account/password", 200)
            .await
            .contains("Current password")
    );

    let res = browser
        .post(
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Your current password is not right"),
        "{body}"
    );
    assert!(body.contains("href=\"#current_password\""));
    let res = browser
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", "ada@example.org!!"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("must not contain your email address")
    );
    assert_eq!(
        reload(&app.db, &ada).await.password_hash,
        ada.password_hash,
        "nothing changed"
    );

    let res = browser
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account?notice=password-changed");
    let page = browser
        .get_text("/account?notice=password-changed", 200)
        .await;
    assert!(
        page.contains("Your password has been changed"),
        "still signed in here"
    );
    assert_eq!(
        people::sessions_of(&app, ada.id).await,
        1,
        "only this session is left"
    );
    assert_eq!(
        other.get("/account").await.status().as_u16(),
        303,
        "the other device is signed out"
    );
    sign_in_as(&Browser::new(&app), "ada@example.org", NEW_PASSWORD).await;
    let told = emails_to(&app.db, "ada@example.org").await;
    assert!(
        told.iter()
            .any(|e| e.subject.contains("password has been changed"))
    );
}

async fn a_new_email_address_is_confirmed_from_a_link_sent_to_it(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    assert!(
        browser
            .get_text("/account/email", 200)
            .await
            .contains("New email address")
    );

    let res = browser
        .post(
            "/account/email",
            &[
                ("email", "ada.new@example.org"),
                ("current_password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Your password is not right")
    );
    let res = browser
        .post(
            "/account/email",
            &[("email", "nope"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(emails_to(&app.db, "ada.new@example.org").await.len(), 0);

    let res = browser
        .post(
            "/account/email",
            &[
                ("email", "Ada.New@example.org"),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account?notice=email-link-sent");
    assert_eq!(
        reload(&app.db, &ada).await.email,
        "ada@example.org",
        "not changed yet"
    );
    let notice = emails_to(&app.db, "ada@example.org").await;
    assert_eq!(notice.len(), 1, "the old address is told");
    assert!(notice[0].text_body.contains("ada.new@example.org"));
    assert!(
        !notice[0].text_body.contains("/account/confirm-email/"),
        "the link goes only to the new address"
    );

    let link = latest_link(&app.db, "ada.new@example.org", "/account/confirm-email/").await;
    let page = Browser::new(&app).get_text(&link, 200).await;
    assert!(page.contains("Email address changed"), "{page}");
    let ada = reload(&app.db, &ada).await;
    assert_eq!(ada.email, "ada.new@example.org");
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("account.email_change"))
        .filter(audit_log::Column::SubjectId.eq(ada.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audit, 1);
    Browser::new(&app).get_text(&link, 400).await;
    sign_in_as(&Browser::new(&app), "ada.new@example.org", PASSWORD).await;
}

async fn an_address_in_use_is_refused_when_asked_and_when_confirmed(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    people::volunteer(&app, "bo@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let res = browser
        .post(
            "/account/email",
            &[("email", "bo@example.org"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Another account already uses this email address")
    );
    assert_eq!(emails_to(&app.db, "bo@example.org").await.len(), 0);

    // Free when asked, taken by the time the link is opened.
    let res = browser
        .post(
            "/account/email",
            &[("email", "cy@example.org"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let link = latest_link(&app.db, "cy@example.org", "/account/confirm-email/").await;
    people::volunteer(&app, "cy@example.org").await;
    let page = browser.get_text(&link, 400).await;
    assert!(page.contains("already in use"), "{page}");
    assert_eq!(reload(&app.db, &ada).await.email, "ada@example.org");
}
