//! Hours: a volunteer logs time on a role they are accepted for, the organisation confirms
//! or rejects it, totals add up per volunteer, role, organisation and hub, and the CSV
//! export is right, quoted and audited.
use hubmatch::domain::applications::Move;
use hubmatch::entities::{audit_log, hours_log};
use hubmatch::models::{applications, hours};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use time::{Duration, OffsetDateTime};

use crate::applications::{
    World, apply_directly, emails_to, signed_in, the_session, volunteer, world,
};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{adult_birthday, location};

/// Ada accepted on the food hub's packing role (with its session); returns the application.
async fn accepted(app: &TestApp, w: &World) -> i32 {
    let role = &w.borough.food_packing;
    let session = the_session(&app.db, role.id).await;
    let id = apply_directly(
        app,
        w.profile,
        w.volunteer.id,
        role.id,
        &[session.id],
        false,
    )
    .await;
    applications::decide(&app.db, &app.base, id, Move::Accept, w.staff.id, "", None)
        .await
        .unwrap();
    id
}

fn today() -> time::Date {
    // London and UTC agree on the date except around midnight; tests use UTC's.
    hubmatch::domain::london_time::to_london(OffsetDateTime::now_utc()).date()
}

fn date_fields(d: time::Date) -> (String, String, String) {
    (
        d.day().to_string(),
        (d.month() as u8).to_string(),
        d.year().to_string(),
    )
}

async fn log(
    b: &crate::people::Browser,
    application: i32,
    date: time::Date,
    hours: &str,
    minutes: &str,
) -> (u16, String) {
    let (d, m, y) = date_fields(date);
    let res = b
        .post(
            &format!("/applications/{application}/hours"),
            &[
                ("worked_on-day", &d),
                ("worked_on-month", &m),
                ("worked_on-year", &y),
                ("hours", hours),
                ("minutes", minutes),
                ("note", "Packed 40 parcels, \"heavy\" ones"),
            ],
        )
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

async fn the_hours_journey_from_logging_to_totals_and_the_csv(app: TestApp) {
    let w = world(&app).await;
    let id = accepted(&app, &w).await;
    let ada = signed_in(&app, "ada@example.org").await;
    let form = ada
        .get_text(&format!("/applications/{id}/hours"), 200)
        .await;
    assert!(form.contains("Date you volunteered"), "{form}");

    let (status, body) = log(&ada, id, today(), "2", "30").await;
    assert_eq!(status, 303, "{body}");
    let entry = hours_log::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((entry.minutes, entry.status.as_str()), (150, "claimed"));
    assert_eq!(entry.role_id, w.borough.food_packing.id);
    assert_eq!(entry.volunteer_id, w.profile);
    let to_org = emails_to(&app.db, "volunteering@example.org").await;
    let (kind, email) = to_org.last().unwrap();
    assert_eq!(kind, "email.hours_to_confirm");
    assert!(
        email.text_body.contains("2 hours 30 minutes"),
        "{}",
        email.text_body
    );
    assert!(
        email
            .text_body
            .contains(&format!("/organisations/{}/hours", w.borough.food_hub.id))
    );
    assert_eq!(
        hours::total_for_volunteer(&app.db, w.profile)
            .await
            .unwrap(),
        0,
        "not yet confirmed"
    );

    let sam = signed_in(&app, "sam@foodhub.example.org").await;
    let page = sam
        .get_text(
            &format!("/organisations/{}/hours", w.borough.food_hub.id),
            200,
        )
        .await;
    assert!(
        page.contains("Hours to confirm (1)") && page.contains("Ada Lovelace"),
        "{page}"
    );
    let res = sam
        .post(
            &format!("/hours/{}/confirm", entry.id),
            &[("note", "Thank you!")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        location(&res),
        format!(
            "/organisations/{}/hours?done=confirmed",
            w.borough.food_hub.id
        )
    );
    let entry = hours_log::Entity::find_by_id(entry.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.status, "confirmed");
    assert_eq!(entry.reviewed_by, Some(w.staff.id));
    assert!(entry.reviewed_at.is_some());
    let (kind, email) = emails_to(&app.db, "ada@example.org").await.pop().unwrap();
    assert_eq!(kind, "email.hours_confirmed");
    assert!(email.text_body.contains("Thank you!"));
    // Confirming again is refused, not double-counted.
    let res = sam.post(&format!("/hours/{}/reject", entry.id), &[]).await;
    assert_eq!(res.status().as_u16(), 409);

    // A second, rejected entry does not count.
    let (status, _) = log(&ada, id, today(), "", "45").await;
    assert_eq!(status, 303);
    let second = hours_log::Entity::find()
        .order_by_desc(hours_log::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let res = sam
        .post(
            &format!("/hours/{}/reject", second.id),
            &[("note", "Wrong day")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let (kind, email) = emails_to(&app.db, "ada@example.org").await.pop().unwrap();
    assert_eq!(kind, "email.hours_rejected");
    assert!(email.text_body.contains("Wrong day"));

    let db = &app.db;
    assert_eq!(
        hours::total_for_volunteer(db, w.profile).await.unwrap(),
        150
    );
    assert_eq!(
        hours::total_for_role(db, w.borough.food_packing.id)
            .await
            .unwrap(),
        150
    );
    assert_eq!(
        hours::total_for_role(db, w.borough.meal_delivery.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        hours::total_for_organisation(db, w.borough.food_hub.id)
            .await
            .unwrap(),
        150
    );
    assert_eq!(
        hours::total_for_organisation(db, w.borough.befrienders.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        hours::total_for_hub(db, w.borough.peckham_hub.id)
            .await
            .unwrap(),
        150
    );
    assert_eq!(
        hours::total_for_hub(db, w.borough.walworth_hub.id)
            .await
            .unwrap(),
        0
    );

    // The CSV: a header, one row per entry, quoted where needed, downloaded as a file.
    let res = sam
        .get(&format!(
            "/organisations/{}/hours.csv",
            w.borough.food_hub.id
        ))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "date,volunteer name,role,session,minutes,hours,status,confirmed by,confirmed at"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    let confirmed_line = lines.iter().find(|l| l.contains(",confirmed,")).unwrap();
    assert!(
        confirmed_line.starts_with(&format!("{},Ada Lovelace,Food parcel packer,", today())),
        "{confirmed_line}"
    );
    assert!(
        confirmed_line.contains(",150,2.50,confirmed,Sam Staff,"),
        "{confirmed_line}"
    );
    let rejected_line = lines.iter().find(|l| l.contains(",rejected,")).unwrap();
    assert!(
        rejected_line.ends_with(",45,0.75,rejected,,"),
        "{rejected_line}"
    );
    assert!(!csv.contains("heavy"), "notes are not exported");
    let exports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("data.export"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0].subject_id, Some(w.borough.food_hub.id));
    assert_eq!(exports[0].actor_user_id, Some(w.staff.id));

    // The volunteer sees their confirmed total.
    let page = ada
        .get_text(&format!("/applications/{id}/hours"), 200)
        .await;
    assert!(
        page.contains("Confirmed so far: 2 hours 30 minutes"),
        "{page}"
    );
}

async fn hours_are_refused_with_a_reason_when_they_cannot_be_right(app: TestApp) {
    let w = world(&app).await;
    // Not accepted (yet): no hours.
    let role = &w.borough.befriending;
    let pending = apply_directly(&app, w.profile, w.volunteer.id, role.id, &[], false).await;
    let ada = signed_in(&app, "ada@example.org").await;
    ada.get_text(&format!("/applications/{pending}/hours"), 409)
        .await;
    let (status, body) = log(&ada, pending, today(), "1", "").await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body.contains("only on a role you have been accepted for"),
        "{body}"
    );

    let id = accepted(&app, &w).await;
    let cases = [
        (
            today() + Duration::days(1),
            "1",
            "",
            "must be today or in the past",
        ),
        (
            today() - Duration::days(1),
            "1",
            "",
            "on or after the day you applied",
        ),
        (today(), "", "", "Enter how long you volunteered for"),
        (today(), "0", "0", "Enter how long you volunteered for"),
        (today(), "24", "1", "up to 24 hours"),
        (today(), "two", "", "whole numbers"),
    ];
    for (date, h, m, why) in cases {
        let (status, body) = log(&ada, id, date, h, m).await;
        assert_eq!(status, 400, "{date} {h}:{m}");
        assert!(body.contains(why), "{why}: {body}");
        assert!(body.contains("govuk-error-summary"));
    }
    let res = ada
        .post(
            &format!("/applications/{id}/hours"),
            &[
                ("worked_on-day", "31"),
                ("worked_on-month", "2"),
                ("worked_on-year", "2026"),
                ("hours", "1"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400, "no 31 February");
    let (d, m, y) = date_fields(today());
    let res = ada
        .post(
            &format!("/applications/{id}/hours"),
            &[
                ("worked_on-day", d.as_str()),
                ("worked_on-month", m.as_str()),
                ("worked_on-year", y.as_str()),
                ("hours", "1"),
                ("session", "999999"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Choose one of this role")
    );
    assert!(
        hours_log::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty(),
        "nothing written"
    );
}

async fn only_the_volunteer_logs_and_only_the_organisation_reviews(app: TestApp) {
    let w = world(&app).await;
    let id = accepted(&app, &w).await;
    let ada = signed_in(&app, "ada@example.org").await;
    assert_eq!(log(&ada, id, today(), "1", "").await.0, 303);
    let entry = hours_log::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    let (_bo, _) = volunteer(&app.db, "bo@example.org", "Bo", adult_birthday()).await;
    let bo = signed_in(&app, "bo@example.org").await;
    bo.get_text(&format!("/applications/{id}/hours"), 403).await;
    assert_eq!(log(&bo, id, today(), "1", "").await.0, 403);

    let olu = signed_in(&app, "olu@befrienders.example.org").await;
    let org = w.borough.food_hub.id;
    olu.get_text(&format!("/organisations/{org}/hours"), 403)
        .await;
    olu.get_text(&format!("/organisations/{org}/hours.csv"), 403)
        .await;
    for action in ["confirm", "reject"] {
        let res = olu
            .post(&format!("/hours/{}/{action}", entry.id), &[])
            .await;
        assert_eq!(res.status().as_u16(), 403, "{action}");
    }
    // Volunteers cannot confirm their own hours.
    let res = ada.post(&format!("/hours/{}/confirm", entry.id), &[]).await;
    assert_eq!(res.status().as_u16(), 403);
    let entry = hours_log::Entity::find_by_id(entry.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.status, "claimed");
    assert!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("data.export"))
            .all(&app.db)
            .await
            .unwrap()
            .is_empty(),
        "a refused export is not an export"
    );
}

on_both_databases!(
    the_hours_journey_from_logging_to_totals_and_the_csv,
    hours_are_refused_with_a_reason_when_they_cannot_be_right,
    only_the_volunteer_logs_and_only_the_organisation_reviews,
);
