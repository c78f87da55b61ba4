//! Signing in and out: sessions, their cookie, expiry, and the same answer for unknown
//! and known addresses; cross-site and token-less posts refused; rate limits.
use hubmatch::entities::session;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people;
use crate::people::{Browser, PASSWORD, location};

async fn signing_in_starts_a_session_in_the_database_and_shows_the_person(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    assert!(browser.get_text("/", 200).await.contains("Sign in"));

    let res = browser
        .post(
            "/sign-in",
            &[
                ("email", "ADA@example.org "),
                ("password", PASSWORD),
                ("next", "/roles"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/roles", "back to where they were going");

    assert_eq!(people::sessions_of(&app, ada.id).await, 1);
    let home = browser.get_text("/", 200).await;
    assert!(home.contains("Sign out"), "{home}");
    assert!(home.contains("Ada Volunteer"));
}

async fn the_session_cookie_is_http_only_and_same_site_lax(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    let res = browser
        .post(
            "/sign-in",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("hm_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http here: {cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_when_the_service_is_served_over_https() {
    let app =
        TestApp::sqlite_with(|s| s.public_url = Some("https://volunteer.example.org".into())).await;
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    let page = browser.get("/sign-in").await;
    let csrf_cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
    // reqwest keeps Secure cookies for https only, so post the token by hand.
    let token = csrf_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/sign-in", app.base))
        .header("cookie", format!("hm_csrf={token}"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "ada@example.org"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let session_cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        session_cookie.starts_with("hm_session="),
        "{session_cookie}"
    );
    assert!(session_cookie.contains("Secure"), "{session_cookie}");
}

async fn signing_in_again_replaces_the_session_id(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let bob = people::volunteer(&app, "bob@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let first = browser.cookie("hm_session").expect("session cookie");

    // Someone else signs in on the same browser (or an attacker planted `first`).
    browser.sign_in(&app.db, "bob@example.org").await;
    let second = browser.cookie("hm_session").expect("session cookie");

    assert_ne!(first, second, "a new session id on sign-in");
    assert_eq!(
        people::sessions_of(&app, ada.id).await,
        0,
        "the old session is gone"
    );
    assert_eq!(people::sessions_of(&app, bob.id).await, 1);
}

async fn a_wrong_password_and_an_unknown_address_get_the_same_answer(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    let wrong = browser
        .post(
            "/sign-in",
            &[
                ("email", "ada@example.org"),
                ("password", "not the password"),
            ],
        )
        .await;
    let unknown = browser
        .post(
            "/sign-in",
            &[
                ("email", "nobody@example.org"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), unknown.status());
    assert_eq!(wrong.status().as_u16(), 400);
    let wrong = wrong
        .text()
        .await
        .unwrap()
        .replace("ada@example.org", "EMAIL");
    let unknown = unknown
        .text()
        .await
        .unwrap()
        .replace("nobody@example.org", "EMAIL");
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("Enter a correct email address and password"));
    assert!(
        browser.cookie("hm_session").is_none(),
        "no session for a failed sign-in"
    );
}

async fn missing_fields_are_named(app: TestApp) {
    let browser = Browser::new(&app);
    let res = browser
        .post("/sign-in", &[("email", "not-an-address")])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Enter an email address in the correct format"),
        "{body}"
    );
    assert!(body.contains("Enter your password"), "{body}");
    assert!(
        body.contains("value=\"not-an-address\""),
        "the form keeps what was typed"
    );
}

async fn signing_out_ends_the_session(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let res = browser.post("/sign-out", &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(people::sessions_of(&app, ada.id).await, 0);
    assert!(browser.get_text("/", 200).await.contains("Sign in"));
}

async fn a_cross_site_post_is_refused(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let token = browser.csrf().await;

    // A page on another site submits a form to us: the browser says so, and sends the
    // cookies (SameSite=Lax still sends them on a top-level POST in some browsers).
    let forged = browser
        .client
        .post(format!("{}/sign-out", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);

    // An older browser without Fetch Metadata sends Origin instead.
    let forged = browser
        .client
        .post(format!("{}/sign-out", app.base))
        .header("origin", "https://evil.example")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);

    // Same site but no token, or somebody else's token.
    for fields in [vec![], vec![("csrf_token", "x".repeat(43))]] {
        let res = browser
            .client
            .post(format!("{}/sign-out", app.base))
            .header("sec-fetch-site", "same-origin")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert!(res.text().await.unwrap().contains("security token"));
    }

    assert_eq!(
        people::sessions_of(&app, ada.id).await,
        1,
        "still signed in"
    );
    let res = browser.post("/sign-out", &[]).await;
    assert_eq!(res.status().as_u16(), 303, "the genuine form works");
}

async fn sign_in_is_rate_limited_per_account_and_per_address(app: TestApp) {
    people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    for n in 0..hubmatch::auth::rate_limit::SIGN_IN_PER_ACCOUNT.max {
        let res = browser
            .post(
                "/sign-in",
                &[
                    ("email", "ada@example.org"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(res.status().as_u16(), 400, "attempt {n}");
    }
    // Now even the right password waits.
    let res = browser
        .post(
            "/sign-in",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 429);
    assert!(res.text().await.unwrap().contains("Wait 15 minutes"));

    // Unknown addresses are limited the same way (no difference to learn from).
    for _ in 0..hubmatch::auth::rate_limit::SIGN_IN_PER_ACCOUNT.max {
        browser
            .post(
                "/sign-in",
                &[("email", "ghost@example.org"), ("password", "guess guess")],
            )
            .await;
    }
    let res = browser
        .post(
            "/sign-in",
            &[("email", "ghost@example.org"), ("password", "guess guess")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 429);

    // The address limit: many accounts tried from one place.
    let per_ip = hubmatch::auth::rate_limit::SIGN_IN_PER_IP.max as usize;
    let mut refused = 0;
    for n in 0..per_ip {
        let email = format!("spray{n}@example.org");
        let res = browser
            .post(
                "/sign-in",
                &[("email", &email), ("password", "guess guess")],
            )
            .await;
        if res.status().as_u16() == 429 {
            refused += 1;
        }
    }
    assert!(
        refused > 0,
        "spraying many accounts from one address is limited"
    );
}

async fn idle_and_absolute_expiry_end_a_session(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    assert!(browser.get_text("/", 200).await.contains("Sign out"));

    // Absolute: signed in 13 hours ago (limit 12), however busy since.
    let row = session::Entity::find()
        .filter(session::Column::UserId.eq(ada.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // Edited as text: the record's id is a 128-bit number serde_json::Value cannot hold.
    let record = String::from_utf8(row.data.clone()).unwrap();
    let at = record
        .find("\"signed_in_at\":")
        .expect("signed_in_at in the session")
        + 15;
    let end = at + record[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    let long_ago = hubmatch::db::now().unix_timestamp() - 13 * 3600;
    let record = format!("{}{long_ago}{}", &record[..at], &record[end..]);
    let mut edited: session::ActiveModel = row.clone().into();
    edited.data = Set(record.into_bytes());
    edited.update(&app.db).await.unwrap();
    assert!(
        browser.get_text("/", 200).await.contains("Sign in"),
        "absolute expiry"
    );

    // Idle: the row's expiry (now + idle time, renewed on each request) has passed.
    browser.sign_in(&app.db, "ada@example.org").await;
    assert!(browser.get_text("/", 200).await.contains("Sign out"));
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(hubmatch::db::now() - time::Duration::minutes(1)),
        )
        .filter(session::Column::UserId.eq(ada.id))
        .exec(&app.db)
        .await
        .unwrap();
    assert!(
        browser.get_text("/", 200).await.contains("Sign in"),
        "idle expiry"
    );
}

async fn a_disabled_account_loses_its_open_sessions(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let mut row: hubmatch::entities::user::ActiveModel = ada.into();
    row.status = Set("disabled".into());
    row.update(&app.db).await.unwrap();
    assert!(browser.get_text("/", 200).await.contains("Sign in"));
}

on_both_databases!(
    signing_in_starts_a_session_in_the_database_and_shows_the_person,
    the_session_cookie_is_http_only_and_same_site_lax,
    signing_in_again_replaces_the_session_id,
    a_wrong_password_and_an_unknown_address_get_the_same_answer,
    missing_fields_are_named,
    signing_out_ends_the_session,
    a_cross_site_post_is_refused,
    sign_in_is_rate_limited_per_account_and_per_address,
    idle_and_absolute_expiry_end_a_session,
    a_disabled_account_loses_its_open_sessions,
);
