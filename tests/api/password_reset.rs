//! Password reset: the same answer for every address, a single-use link that expires
//! after an hour, a new password that ends every session, and rate limits.
use hubmatch::entities::account_token;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people;
use crate::people::{Browser, PASSWORD, location};
use crate::sign_up::{NEW_PASSWORD, emails_to, latest_link, sign_in_as};

async fn ask_for_link(browser: &Browser, email: &str) -> reqwest::Response {
    browser.post("/password-reset", &[("email", email)]).await
}

on_both_databases!(
    a_reset_link_sets_a_new_password_once_and_ends_every_session,
    known_and_unknown_addresses_get_the_same_answer,
    a_reset_link_expires_after_an_hour,
    a_reset_confirms_an_unverified_address,
    reset_requests_are_rate_limited_per_address,
);

async fn a_reset_link_sets_a_new_password_once_and_ends_every_session(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let elsewhere = Browser::new(&app);
    elsewhere.sign_in(&app.db, "ada@example.org").await;
    assert_eq!(people::sessions_of(&app, ada.id).await, 1);

    let browser = Browser::new(&app);
    assert!(
        browser
            .get_text("/password-reset", 200)
            .await
            .contains("Reset your password")
    );
    let res = ask_for_link(&browser, "Ada@Example.org").await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/password-reset/sent");
    assert!(
        browser
            .get_text("/password-reset/sent", 200)
            .await
            .contains("If an account exists for that address")
    );

    let link = latest_link(&app.db, "ada@example.org", "/password-reset/").await;
    let page = browser.get_text(&link, 200).await;
    assert!(page.contains("Choose a new password"), "{page}");

    let res = browser
        .post(
            &link,
            &[("password", "short"), ("confirm_password", "short")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("at least 10 characters"));
    let res = browser
        .post(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", "something else"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("do not match"));
    assert_eq!(
        people::sessions_of(&app, ada.id).await,
        1,
        "a refused form changes nothing"
    );

    let res = browser
        .post(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/sign-in?notice=password-changed");
    assert!(
        browser
            .get_text("/sign-in?notice=password-changed", 200)
            .await
            .contains("Your password has been changed")
    );

    assert_eq!(
        people::sessions_of(&app, ada.id).await,
        0,
        "every session ended"
    );
    let res = elsewhere.get("/account").await;
    assert_eq!(
        res.status().as_u16(),
        303,
        "the other browser is signed out"
    );
    assert!(location(&res).starts_with("/sign-in"));

    let res = Browser::new(&app)
        .post(
            "/sign-in",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        res.status().as_u16(),
        400,
        "the old password no longer works"
    );
    sign_in_as(&Browser::new(&app), "ada@example.org", NEW_PASSWORD).await;

    let again = browser.get_text(&link, 400).await;
    assert!(again.contains("invalid or has expired"));
    let res = browser
        .post(
            &link,
            &[
                ("password", "another fine password"),
                ("confirm_password", "another fine password"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400, "a link works once");
    sign_in_as(&Browser::new(&app), "ada@example.org", NEW_PASSWORD).await;
    let changed = emails_to(&app.db, "ada@example.org").await;
    assert!(
        changed
            .iter()
            .any(|e| e.subject.contains("password has been changed"))
    );
}

async fn known_and_unknown_addresses_get_the_same_answer(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    let known = ask_for_link(&browser, "ada@example.org").await;
    let unknown = ask_for_link(&browser, "nobody@example.org").await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(location(&known), location(&unknown));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(emails_to(&app.db, "ada@example.org").await.len(), 1);
    assert_eq!(emails_to(&app.db, "nobody@example.org").await.len(), 0);

    let res = ask_for_link(&browser, "not an address").await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#email\""));
}

async fn a_reset_link_expires_after_an_hour(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    ask_for_link(&browser, "ada@example.org").await;
    let link = latest_link(&app.db, "ada@example.org", "/password-reset/").await;
    let token = account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(ada.id))
        .filter(account_token::Column::Kind.eq("password_reset"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lifetime = token.expires_at - token.created_at;
    assert_eq!(lifetime, time::Duration::hours(1));
    let mut row = token.into_active_model();
    row.expires_at = Set(hubmatch::db::now() - time::Duration::seconds(1));
    row.update(&app.db).await.unwrap();

    browser.get_text(&link, 400).await;
    let res = browser
        .post(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    sign_in_as(&Browser::new(&app), "ada@example.org", PASSWORD).await;
}

async fn a_reset_confirms_an_unverified_address(app: TestApp) {
    let browser = Browser::new(&app);
    let res =
        crate::sign_up::post_sign_up(&browser, &crate::sign_up::form("late@example.org")).await;
    assert_eq!(res.status().as_u16(), 303);
    ask_for_link(&browser, "late@example.org").await;
    let link = latest_link(&app.db, "late@example.org", "/password-reset/").await;
    let res = browser
        .post(
            &link,
            &[
                ("password", "a brand new passphrase"),
                ("confirm_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let person = hubmatch::models::accounts::find_by_email(&app.db, "late@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.status, "active");
    assert!(person.verified_at.is_some());
    sign_in_as(
        &Browser::new(&app),
        "late@example.org",
        "a brand new passphrase",
    )
    .await;
}

async fn reset_requests_are_rate_limited_per_address(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    for _ in 0..3 {
        assert_eq!(
            ask_for_link(&browser, "ada@example.org")
                .await
                .status()
                .as_u16(),
            303
        );
    }
    let res = ask_for_link(&browser, "ada@example.org").await;
    assert_eq!(res.status().as_u16(), 429);
    assert!(res.text().await.unwrap().contains("Too many requests"));
    assert_eq!(emails_to(&app.db, "ada@example.org").await.len(), 3);
    // The same for an address without an account, so the limit gives nothing away.
    for _ in 0..3 {
        ask_for_link(&browser, "nobody@example.org").await;
    }
    assert_eq!(
        ask_for_link(&browser, "nobody@example.org")
            .await
            .status()
            .as_u16(),
        429
    );
}
