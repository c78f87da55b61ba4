//! Alliance admins create and edit community hubs; nobody else can.
use hubmatch::entities::hub;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::fixtures::borough;
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::organisation_staff::audit_rows;
use crate::people::{Browser, PersonSpec, add_person, location};

on_both_databases!(
    an_alliance_admin_creates_and_edits_hubs,
    a_hub_needs_a_name_and_a_description,
    only_alliance_admins_manage_hubs,
);

async fn alliance_admin(app: &TestApp) -> Browser {
    add_person(
        &app.db,
        PersonSpec {
            email: "alliance@example.org",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, "alliance@example.org").await;
    browser
}

async fn an_alliance_admin_creates_and_edits_hubs(app: TestApp) {
    borough(&app.db).await;
    let browser = alliance_admin(&app).await;
    assert!(
        browser
            .get_text("/admin", 200)
            .await
            .contains("href=\"/admin/hubs\"")
    );
    let page = browser.get_text("/admin/hubs", 200).await;
    assert!(page.contains("Peckham Community Hub") && page.contains("Add a hub"));

    let form = [
        ("name", "Camberwell Hub"),
        ("description", "Drop in on Tuesdays for advice and food."),
        ("ward", crate::fixtures::RYE_LANE),
        ("address", "1 Camberwell Green, London SE5"),
        ("email", "Hello@Camberwell.example"),
        ("phone", "020 7946 0001"),
    ];
    let res = browser.post("/admin/hubs", &form).await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/admin/hubs?done=created");
    let created = hub::Entity::find()
        .filter(hub::Column::Slug.eq("camberwell-hub"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("slug from the name");
    assert_eq!(created.email.as_deref(), Some("hello@camberwell.example"));
    // Same name again: the slug stays unique.
    assert_eq!(
        browser.post("/admin/hubs", &form).await.status().as_u16(),
        303
    );
    let second = hub::Entity::find()
        .filter(hub::Column::Slug.eq("camberwell-hub-2"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(second, 1);
    assert!(app.get_text("/hubs", 200).await.contains("Camberwell Hub"));
    assert_eq!(audit_rows(&app.db, "hub.create").await.len(), 2);

    let edit = format!("/admin/hubs/{}/edit", created.id);
    assert!(
        browser
            .get_text(&edit, 200)
            .await
            .contains("value=\"Camberwell Hub\"")
    );
    let res = browser
        .post(
            &edit,
            &[
                ("name", "Camberwell Green Hub"),
                ("description", "Open every weekday."),
                ("ward", ""),
                ("address", ""),
                ("email", ""),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let saved = hub::Entity::find_by_id(created.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.name, "Camberwell Green Hub");
    assert_eq!(saved.slug, "camberwell-hub", "links keep working");
    assert_eq!((saved.ward_id, saved.email), (None, None));
    assert_eq!(audit_rows(&app.db, "hub.edit").await.len(), 1);
}

async fn a_hub_needs_a_name_and_a_description(app: TestApp) {
    let b = borough(&app.db).await;
    let browser = alliance_admin(&app).await;
    let before = hub::Entity::find().count(&app.db).await.unwrap();
    let res = browser
        .post("/admin/hubs", &[("name", " "), ("email", "not-an-email")])
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    for message in [
        "Enter the name of the hub",
        "Enter a description of the hub",
        "Enter an email address in the correct format",
    ] {
        assert!(body.contains(message), "{message}");
    }
    assert_eq!(hub::Entity::find().count(&app.db).await.unwrap(), before);

    let res = browser
        .post(
            &format!("/admin/hubs/{}/edit", b.peckham_hub.id),
            &[("name", ""), ("description", "x"), ("ward", "E0nowhere")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("Select a ward from the list"));
    assert_eq!(
        browser
            .get("/admin/hubs/99999/edit")
            .await
            .status()
            .as_u16(),
        404
    );
}

async fn only_alliance_admins_manage_hubs(app: TestApp) {
    let b = borough(&app.db).await;
    add_person(
        &app.db,
        PersonSpec {
            email: "admin@foodhub.example",
            organisation: Some((b.food_hub.id, "admin")),
            ..PersonSpec::default()
        },
    )
    .await;
    add_person(
        &app.db,
        PersonSpec {
            email: "coordinator@example.org",
            coordinates_hub: Some(b.peckham_hub.id),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let edit = format!("/admin/hubs/{}/edit", b.peckham_hub.id);
    let anonymous = Browser::new(&app);
    for path in ["/admin/hubs", edit.as_str()] {
        let res = anonymous.get(path).await;
        assert_eq!(res.status().as_u16(), 303);
        assert!(location(&res).starts_with("/sign-in"));
        assert_eq!(anonymous.post(path, &[]).await.status().as_u16(), 303);
    }
    for email in ["admin@foodhub.example", "coordinator@example.org"] {
        let browser = Browser::new(&app);
        browser.sign_in(&app.db, email).await;
        for path in ["/admin/hubs", edit.as_str()] {
            assert_eq!(
                browser.get(path).await.status().as_u16(),
                403,
                "{email} GET {path}"
            );
            let res = browser
                .post(path, &[("name", "Mine now"), ("description", "x")])
                .await;
            assert_eq!(res.status().as_u16(), 403, "{email} POST {path}");
        }
    }
    let unchanged = hub::Entity::find_by_id(b.peckham_hub.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.name, "Peckham Community Hub");
    assert!(audit_rows(&app.db, "hub.create").await.is_empty());
}
