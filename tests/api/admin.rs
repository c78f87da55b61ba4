//! The alliance admin area: approving and suspending organisations, hub coordinators,
//! the audit log, and `hubmatch admin create`.
use hubmatch::cli::{AdminCreateArgs, admin_create};
use hubmatch::entities::{hub_coordinator, organisation, user};
use hubmatch::models::account_tokens::{self, Kind};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::fixtures::borough;
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::organisation_staff::{audit_rows, emails_to};
use crate::people::{Browser, PASSWORD, PersonSpec, add_person, adult_birthday, location, reload};

on_both_databases!(
    an_admin_approves_a_pending_organisation_and_it_becomes_public,
    an_admin_assigns_and_removes_hub_coordinators,
    the_audit_log_shows_permission_changes_newest_first_and_filters_by_action,
    the_admin_area_is_for_alliance_admins_only,
    admin_create_makes_a_new_alliance_admin_with_a_password,
    admin_create_without_a_password_prints_a_reset_link,
    admin_create_promotes_an_existing_account_and_refuses_weak_passwords,
);

async fn alliance_admin(app: &TestApp) -> (user::Model, Browser) {
    let admin = add_person(
        &app.db,
        PersonSpec {
            email: "alliance@example.org",
            name: "Alex Alliance",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, "alliance@example.org").await;
    (admin, browser)
}

async fn status_of(app: &TestApp, id: i32) -> String {
    organisation::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn an_admin_approves_a_pending_organisation_and_it_becomes_public(app: TestApp) {
    let b = borough(&app.db).await;
    let pending = b.pending_org.id;
    add_person(
        &app.db,
        PersonSpec {
            email: "pat@pending.example.org",
            organisation: Some((pending, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let (admin, browser) = alliance_admin(&app).await;
    let page = browser.get_text("/admin", 200).await;
    assert!(page.contains("Not Yet Approved Group"), "{page}");
    assert!(page.contains(&format!("/admin/organisations/{pending}/approve")));
    assert!(page.contains("/admin/audit"));
    assert!(page.contains(&format!("/admin/hubs/{}/coordinators", b.peckham_hub.id)));
    app.get_text(&format!("/organisations/{pending}"), 404)
        .await;

    let res = browser
        .post(&format!("/admin/organisations/{pending}/approve"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/admin?done=approved");
    assert_eq!(status_of(&app, pending).await, "approved");
    app.get_text(&format!("/organisations/{pending}"), 200)
        .await;
    let told = emails_to(&app.db, "pat@pending.example.org").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].subject.contains("approved"), "{}", told[0].subject);
    let rows = audit_rows(&app.db, "organisation.approve").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_user_id, Some(admin.id));
    assert_eq!(rows[0].subject_id, Some(pending));

    // Suspended organisations leave the public directory.
    let res = browser
        .post(&format!("/admin/organisations/{pending}/suspend"), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(status_of(&app, pending).await, "suspended");
    app.get_text(&format!("/organisations/{pending}"), 404)
        .await;
    assert_eq!(emails_to(&app.db, "pat@pending.example.org").await.len(), 2);
    assert_eq!(audit_rows(&app.db, "organisation.suspend").await.len(), 1);

    let res = browser
        .post("/admin/organisations/999999/approve", &[])
        .await;
    assert_eq!(res.status().as_u16(), 404);
}

async fn an_admin_assigns_and_removes_hub_coordinators(app: TestApp) {
    let b = borough(&app.db).await;
    let hub = b.peckham_hub.id;
    let cora = add_person(
        &app.db,
        PersonSpec {
            email: "cora@example.org",
            name: "Cora Coordinator",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let (admin, browser) = alliance_admin(&app).await;
    let path = format!("/admin/hubs/{hub}/coordinators");
    let page = browser.get_text(&path, 200).await;
    assert!(page.contains("Peckham Community Hub"), "{page}");

    for (email, why) in [
        ("nobody@example.org", "No account uses this email address"),
        ("not an email", "Email address must not contain spaces"),
    ] {
        let res = browser.post(&path, &[("email", email)]).await;
        assert_eq!(res.status().as_u16(), 400, "{email}");
        let body = res.text().await.unwrap();
        assert!(body.contains("href=\"#email\""), "{body}");
        assert!(body.contains(why), "{email}: {body}");
    }

    let res = browser.post(&path, &[("email", "Cora@Example.org")]).await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    let assigned = hub_coordinator::Entity::find()
        .filter(hub_coordinator::Column::HubId.eq(hub))
        .filter(hub_coordinator::Column::UserId.eq(cora.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(assigned, 1);
    let page = browser.get_text(&path, 200).await;
    assert!(page.contains("Cora Coordinator"), "{page}");
    assert!(page.contains("two-factor"), "{page}");
    assert_eq!(emails_to(&app.db, "cora@example.org").await.len(), 1);
    let rows = audit_rows(&app.db, "coordinator.assign").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_user_id, Some(admin.id));
    assert_eq!(rows[0].subject_id, Some(hub));

    let res = browser.post(&path, &[("email", "cora@example.org")]).await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("already coordinates"));

    // A new coordinator must set up two-factor sign-in before any signed-in page.
    let cora_browser = Browser::new(&app);
    cora_browser.sign_in(&app.db, "cora@example.org").await;
    let res = cora_browser.get("/organisations/register").await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/two-factor");

    let res = browser
        .post(&format!("{path}/{}/remove", cora.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let left = hub_coordinator::Entity::find()
        .filter(hub_coordinator::Column::UserId.eq(cora.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(audit_rows(&app.db, "coordinator.remove").await.len(), 1);
    // No longer a coordinator, no second factor needed.
    cora_browser.get_text("/organisations/register", 200).await;
    let res = browser
        .post(&format!("{path}/{}/remove", cora.id), &[])
        .await;
    assert_eq!(res.status().as_u16(), 404);
}

async fn the_audit_log_shows_permission_changes_newest_first_and_filters_by_action(app: TestApp) {
    let b = borough(&app.db).await;
    let org = b.food_hub.id;
    let fola = add_person(
        &app.db,
        PersonSpec {
            email: "admin@food.example.org",
            name: "Fola Admin",
            organisation: Some((org, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    let staff = Browser::new(&app);
    staff.sign_in(&app.db, "admin@food.example.org").await;
    let res = staff
        .post(
            &format!("/organisations/{org}/staff/invite"),
            &[("email", "new@example.org"), ("role", "staff")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let (_, browser) = alliance_admin(&app).await;
    let res = browser
        .post(
            &format!("/admin/organisations/{}/approve", b.pending_org.id),
            &[],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    hubmatch::models::audit::record(
        &app.db,
        hubmatch::models::audit::Entry {
            actor_user_id: None,
            action: "admin.create",
            subject_type: "user",
            subject_id: Some(fola.id),
            detail: serde_json::json!({}),
            ip: None,
        },
    )
    .await
    .unwrap();

    let page = browser.get_text("/admin/audit", 200).await;
    let (system, approve, invite) = (
        page.find("<code>admin.create</code>")
            .expect("system entry"),
        page.find("<code>organisation.approve</code>")
            .expect("approval"),
        page.find("<code>staff.invite</code>").expect("invitation"),
    );
    assert!(system < approve && approve < invite, "newest first: {page}");
    assert!(
        page.contains("Fola Admin (admin@food.example.org)"),
        "{page}"
    );
    assert!(page.contains("system"), "{page}");
    assert!(page.contains("127.0.0.1"), "{page}");
    assert!(page.contains(&format!("organisation {org}")), "{page}");

    let page = browser.get_text("/admin/audit?action=staff.", 200).await;
    assert!(page.contains("<code>staff.invite</code>"));
    assert!(
        !page.contains("<code>organisation.approve</code>"),
        "{page}"
    );

    let res = browser.get("/admin/audit?action=DROP%20TABLE").await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#action\""));
    let res = browser.get("/admin/audit?page=0").await;
    assert_eq!(res.status().as_u16(), 400);
}

async fn the_admin_area_is_for_alliance_admins_only(app: TestApp) {
    let b = borough(&app.db).await;
    let hub = b.peckham_hub.id;
    add_person(
        &app.db,
        PersonSpec {
            email: "admin@food.example.org",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let pages = [
        "/admin".to_owned(),
        "/admin/audit".to_owned(),
        format!("/admin/hubs/{hub}/coordinators"),
    ];
    let posts = [
        format!("/admin/organisations/{}/approve", b.pending_org.id),
        format!("/admin/organisations/{}/suspend", b.pending_org.id),
        format!("/admin/hubs/{hub}/coordinators"),
    ];
    for path in &pages {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 303, "{path}");
        assert!(location(&res).starts_with("/sign-in?next="), "{path}");
    }
    for email in ["admin@food.example.org", "ada@example.org"] {
        let browser = Browser::new(&app);
        browser.sign_in(&app.db, email).await;
        for path in &pages {
            browser.get_text(path, 403).await;
        }
        for path in &posts {
            let res = browser.post(path, &[]).await;
            assert_eq!(res.status().as_u16(), 403, "{email} POST {path}");
        }
    }
    assert_eq!(status_of(&app, b.pending_org.id).await, "pending");
}

async fn admin_create_makes_a_new_alliance_admin_with_a_password(app: TestApp) {
    let args = AdminCreateArgs {
        email: "First.Admin@Example.org".into(),
        name: Some("Fran First".into()),
        password_stdin: true,
    };
    let out = admin_create(&app.db, &app.base, &args, Some(PASSWORD.into()))
        .await
        .unwrap();
    assert!(
        out.contains("created alliance admin first.admin@example.org"),
        "{out}"
    );
    assert!(out.contains("two-factor"), "{out}");
    let admin = hubmatch::models::accounts::find_by_email(&app.db, "first.admin@example.org")
        .await
        .unwrap()
        .expect("account");
    assert!(admin.is_alliance_admin);
    assert_eq!(admin.status, "active");
    assert!(admin.verified_at.is_some());
    assert_eq!(admin.display_name, "Fran First");
    let rows = audit_rows(&app.db, "admin.create").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_user_id, None);
    assert_eq!(rows[0].subject_id, Some(admin.id));

    // The password works; the first thing asked is a second factor.
    let browser = Browser::new(&app);
    let res = browser
        .post(
            "/sign-in",
            &[("email", "first.admin@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let res = browser.get("/admin").await;
    assert_eq!(location(&res), "/account/two-factor");
}

async fn admin_create_without_a_password_prints_a_reset_link(app: TestApp) {
    let args = AdminCreateArgs {
        email: "first.admin@example.org".into(),
        ..AdminCreateArgs::default()
    };
    let out = admin_create(&app.db, "https://volunteer.example.org/", &args, None)
        .await
        .unwrap();
    let prefix = "https://volunteer.example.org/password-reset/";
    let token = out
        .split_whitespace()
        .find_map(|w| w.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("a reset link in: {out}"));
    assert!(out.contains("1 hour"), "{out}");
    let admin = hubmatch::models::accounts::find_by_email(&app.db, "first.admin@example.org")
        .await
        .unwrap()
        .expect("account");
    assert!(admin.password_hash.is_none());
    assert_eq!(admin.display_name, "first.admin");
    let live = account_tokens::peek(&app.db, Kind::PasswordReset, token)
        .await
        .unwrap()
        .expect("a live reset token");
    assert_eq!(live.user_id, Some(admin.id));
}

async fn admin_create_promotes_an_existing_account_and_refuses_weak_passwords(app: TestApp) {
    let ada = add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            name: "Ada Volunteer",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let weak = AdminCreateArgs {
        email: "ada@example.org".into(),
        password_stdin: true,
        ..AdminCreateArgs::default()
    };
    let err = admin_create(&app.db, &app.base, &weak, Some("password".into()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("password:"), "{err}");
    assert!(
        !reload(&app.db, &ada).await.is_alliance_admin,
        "nothing written"
    );
    let err = admin_create(
        &app.db,
        &app.base,
        &AdminCreateArgs {
            email: "not an email".into(),
            ..AdminCreateArgs::default()
        },
        None,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("--email:"), "{err}");
    assert!(audit_rows(&app.db, "admin.create").await.is_empty());

    let out = admin_create(
        &app.db,
        &app.base,
        &AdminCreateArgs {
            email: "ADA@example.org".into(),
            ..AdminCreateArgs::default()
        },
        None,
    )
    .await
    .unwrap();
    assert!(
        out.contains("ada@example.org is now an alliance admin"),
        "{out}"
    );
    assert!(
        !out.contains("/password-reset/"),
        "keeps her password: {out}"
    );
    let ada = reload(&app.db, &ada).await;
    assert!(ada.is_alliance_admin);
    assert_eq!(ada.display_name, "Ada Volunteer");
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 1);
}

/// The built binary, once: a password on standard input, and a refusal with a clear message.
#[test]
fn the_hubmatch_binary_creates_an_admin_from_a_password_on_stdin() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let run = |password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hubmatch"))
            .args(["--data-dir"])
            .arg(dir.path())
            .args([
                "admin",
                "create",
                "--email",
                "root@example.org",
                "--password-stdin",
            ])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run hubmatch");
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let refused = run("password");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("password:"), "{stderr}");

    let made = run(PASSWORD);
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert!(
        made.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(
        stdout.contains("created alliance admin root@example.org"),
        "{stdout}"
    );
    assert!(stdout.contains("password set"), "{stdout}");
}
