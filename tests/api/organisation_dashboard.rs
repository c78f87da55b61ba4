//! The organisation's dashboard: roles with their fill rate (open ones first),
//! applications and hours waiting, confirmed hours this month and in all.
use hubmatch::domain::applications::Move;
use hubmatch::models::{applications, hours, organisation_dashboard};

use crate::applications::{apply_directly, set_places, signed_in, the_session, volunteer, world};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::adult_birthday;

async fn the_dashboard_shows_fill_rates_and_what_is_waiting(app: TestApp) {
    let w = world(&app).await;
    let packing = &w.borough.food_packing;
    set_places(&app.db, packing, 4).await;
    let session = the_session(&app.db, packing.id).await;
    let accepted = apply_directly(
        &app,
        w.profile,
        w.volunteer.id,
        packing.id,
        &[session.id],
        false,
    )
    .await;
    applications::decide(
        &app.db,
        &app.base,
        accepted,
        Move::Accept,
        w.staff.id,
        "",
        None,
    )
    .await
    .unwrap();
    let (bo, bo_profile) = volunteer(&app.db, "bo@example.org", "Bo", adult_birthday()).await;
    apply_directly(
        &app,
        bo_profile,
        bo.id,
        w.borough.meal_delivery.id,
        &[],
        false,
    )
    .await;
    let (cy, cy_profile) = volunteer(&app.db, "cy@example.org", "Cy", adult_birthday()).await;
    let waiting = apply_directly(
        &app,
        cy_profile,
        cy.id,
        w.borough.meal_delivery.id,
        &[],
        false,
    )
    .await;
    applications::decide(
        &app.db,
        &app.base,
        waiting,
        Move::Waitlist,
        w.staff.id,
        "",
        None,
    )
    .await
    .unwrap();
    let today = hubmatch::domain::london_time::to_london(hubmatch::db::now()).date();
    let claim = |minutes| hours::HoursClaim {
        worked_on: today,
        minutes,
        session_id: None,
        note: String::new(),
    };
    let first = hours::log(&app.db, &app.base, accepted, &claim(90))
        .await
        .unwrap();
    hours::review(&app.db, &app.base, first, true, w.staff.id, "")
        .await
        .unwrap();
    hours::log(&app.db, &app.base, accepted, &claim(30))
        .await
        .unwrap();

    let d = organisation_dashboard::load(&app.db, w.borough.food_hub.id)
        .await
        .unwrap();
    assert_eq!((d.applied, d.waitlisted, d.hours_to_confirm), (1, 1, 1));
    assert_eq!((d.minutes_this_month, d.minutes_all_time), (90, 90));
    let statuses: Vec<&str> = d.roles.iter().map(|r| r.status.as_str()).collect();
    let first_closed = statuses.iter().position(|s| *s != "open").unwrap();
    assert!(
        statuses[first_closed..].iter().all(|s| *s != "open"),
        "open roles first: {statuses:?}"
    );
    let packing_fill = d.roles.iter().find(|r| r.id == packing.id).unwrap();
    assert_eq!(
        (
            packing_fill.accepted,
            packing_fill.places,
            packing_fill.fill_percent()
        ),
        (1, 4, 25)
    );

    let sam = signed_in(&app, "sam@foodhub.example.org").await;
    let page = sam
        .get_text(
            &format!("/organisations/{}/dashboard", w.borough.food_hub.id),
            200,
        )
        .await;
    assert!(page.contains("1 of 4 (25%)"), "{page}");
    assert!(page.contains("1 waiting for a decision") && page.contains("1 on the waitlist"));
    assert!(page.contains("1 to confirm"));
    assert!(page.contains("1 hour 30 minutes"));
    assert!(page.find("Food parcel packer").unwrap() < page.find("Closed role").unwrap());

    let olu = signed_in(&app, "olu@befrienders.example.org").await;
    olu.get_text(
        &format!("/organisations/{}/dashboard", w.borough.food_hub.id),
        403,
    )
    .await;
    let ada = signed_in(&app, "ada@example.org").await;
    ada.get_text(
        &format!("/organisations/{}/dashboard", w.borough.food_hub.id),
        403,
    )
    .await;
    sam.get_text("/organisations/999999/dashboard", 404).await;
}

on_both_databases!(the_dashboard_shows_fill_rates_and_what_is_waiting);
