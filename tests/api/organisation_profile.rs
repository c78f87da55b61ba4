//! An organisation's admins edit its profile, causes and hubs; nobody else can.
use hubmatch::entities::{hub_membership, organisation, organisation_cause};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::fixtures::{borough, cause_id};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::organisation_staff::audit_rows;
use crate::people::{Browser, PersonSpec, add_person, location};

on_both_databases!(
    an_admin_saves_the_profile_with_causes_and_several_hubs,
    a_bad_profile_is_shown_again_with_each_problem_and_nothing_saved,
    only_the_organisations_admins_edit_its_profile,
);

fn profile<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        (
            "description",
            "We pack and deliver food parcels across Peckham.",
        ),
        ("email", "Hello@FoodHub.example"),
        ("phone", "020 7946 0000"),
        ("website", "https://foodhub.example"),
        ("safeguarding_lead", "Grace Adeyemi"),
        ("ward", crate::fixtures::PECKHAM),
    ];
    form.extend_from_slice(extra);
    form
}

async fn hubs_of(db: &DatabaseConnection, org: i32) -> Vec<i32> {
    let mut ids: Vec<i32> = hub_membership::Entity::find()
        .filter(hub_membership::Column::OrganisationId.eq(org))
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.hub_id)
        .collect();
    ids.sort();
    ids
}

async fn causes_of(db: &DatabaseConnection, org: i32) -> Vec<i32> {
    let mut ids: Vec<i32> = organisation_cause::Entity::find()
        .filter(organisation_cause::Column::OrganisationId.eq(org))
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|c| c.cause_id)
        .collect();
    ids.sort();
    ids
}

async fn an_admin_saves_the_profile_with_causes_and_several_hubs(app: TestApp) {
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
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "admin@foodhub.example").await;
    let path = format!("/organisations/{}/edit", b.food_hub.id);
    let page = browser.get_text(&path, 200).await;
    assert!(page.contains("Peckham Food Hub helps people in Southwark."));

    let res = browser
        .post(
            &path,
            &profile(&[
                ("causes", "food-poverty"),
                ("causes", "older-people"),
                ("hubs", "peckham-hub"),
                ("hubs", "walworth-hub"),
            ]),
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), format!("{path}?done=saved"));

    let org = organisation::Entity::find_by_id(b.food_hub.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        org.description,
        "We pack and deliver food parcels across Peckham."
    );
    assert_eq!(org.email.as_deref(), Some("hello@foodhub.example"));
    assert_eq!(org.safeguarding_lead.as_deref(), Some("Grace Adeyemi"));
    assert!(org.ward_id.is_some());
    let mut both = vec![b.peckham_hub.id, b.walworth_hub.id];
    both.sort();
    assert_eq!(hubs_of(&app.db, org.id).await, both);
    let mut causes = vec![
        cause_id(&app.db, "food-poverty").await,
        cause_id(&app.db, "older-people").await,
    ];
    causes.sort();
    assert_eq!(causes_of(&app.db, org.id).await, causes);
    assert_eq!(audit_rows(&app.db, "organisation.edit").await.len(), 1);

    // The public page shows the causes; the Walworth hub lists the organisation.
    let public = app
        .get_text(&format!("/organisations/{}", org.id), 200)
        .await;
    assert!(public.contains("Older people") && public.contains("Grace Adeyemi"));
    let walworth = app
        .get_text(&format!("/hubs/{}", b.walworth_hub.id), 200)
        .await;
    assert!(walworth.contains("Peckham Food Hub"));
    let saved = browser.get_text(&format!("{path}?done=saved"), 200).await;
    assert!(saved.contains("profile is saved"));

    // Unticking leaves one hub and no causes.
    let res = browser
        .post(&path, &profile(&[("hubs", "walworth-hub")]))
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(hubs_of(&app.db, org.id).await, vec![b.walworth_hub.id]);
    assert!(causes_of(&app.db, org.id).await.is_empty());
}

async fn a_bad_profile_is_shown_again_with_each_problem_and_nothing_saved(app: TestApp) {
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
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "admin@foodhub.example").await;
    let path = format!("/organisations/{}/edit", b.food_hub.id);
    let res = browser
        .post(
            &path,
            &[
                ("description", ""),
                ("email", "nobody"),
                ("phone", "call us"),
                ("website", "foodhub"),
                ("safeguarding_lead", ""),
                ("hubs", "atlantis"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap();
    for message in [
        "Enter a description of what the organisation does",
        "Enter an email address in the correct format",
        "Enter a telephone number",
        "Enter the website address in full",
        "Enter the name of the safeguarding lead",
        "Select hubs from the list",
    ] {
        assert!(body.contains(message), "{message}: {body}");
    }
    for anchor in ["#description", "#email", "#hubs"] {
        assert!(body.contains(&format!("href=\"{anchor}\"")), "{anchor}");
    }
    assert_eq!(
        hubs_of(&app.db, b.food_hub.id).await,
        vec![b.peckham_hub.id]
    );
    assert!(audit_rows(&app.db, "organisation.edit").await.is_empty());
}

async fn only_the_organisations_admins_edit_its_profile(app: TestApp) {
    let b = borough(&app.db).await;
    for (email, org, role) in [
        ("staff@foodhub.example", b.food_hub.id, "staff"),
        ("admin@befrienders.example", b.befrienders.id, "admin"),
    ] {
        add_person(
            &app.db,
            PersonSpec {
                email,
                organisation: Some((org, role)),
                ..PersonSpec::default()
            },
        )
        .await;
    }
    let path = format!("/organisations/{}/edit", b.food_hub.id);
    let anonymous = Browser::new(&app);
    let res = anonymous.get(&path).await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).starts_with("/sign-in"));
    assert_eq!(anonymous.post(&path, &[]).await.status().as_u16(), 303);

    for email in ["staff@foodhub.example", "admin@befrienders.example"] {
        let browser = Browser::new(&app);
        browser.sign_in(&app.db, email).await;
        assert_eq!(browser.get(&path).await.status().as_u16(), 403, "{email}");
        let res = browser
            .post(&path, &profile(&[("hubs", "walworth-hub")]))
            .await;
        assert_eq!(res.status().as_u16(), 403, "{email}");
    }
    assert_eq!(
        hubs_of(&app.db, b.food_hub.id).await,
        vec![b.peckham_hub.id]
    );
}
