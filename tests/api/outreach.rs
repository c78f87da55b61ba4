//! Outreach digests from the representativeness report: recipients chosen only by the
//! opt-in and by ward or cause, never by equality answers; queued through the outbox
//! with a campaign record and an audit row, all or nothing.
use hubmatch::entities::{
    audit_log, email_preference, equality_monitoring, outbox, outreach_campaign, volunteer_cause,
    volunteer_profile,
};
use hubmatch::models::outreach::{self, Plan};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use time::OffsetDateTime;

use crate::applications::emails_to;
use crate::fixtures::{PECKHAM, RYE_LANE, borough, cause_id, ward_id};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

on_both_databases!(
    a_coordinator_previews_and_sends_a_digest_to_opted_in_people_in_chosen_wards_and_causes,
    equality_answers_make_no_difference_to_who_receives_it,
    a_digest_without_a_target_or_with_another_hubs_role_is_refused_and_nothing_is_sent,
    only_the_hubs_coordinators_and_alliance_admins_may_send,
);

struct Resident<'a> {
    email: &'a str,
    ward: &'a str,
    opted_in: bool,
    ethnic_group: Option<&'a str>,
    cause: Option<&'a str>,
}

async fn resident(db: &DatabaseConnection, r: Resident<'_>) -> i32 {
    let person = add_person(
        db,
        PersonSpec {
            email: r.email,
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut p: volunteer_profile::ActiveModel = profile.clone().into();
    p.ward_id = Set(Some(ward_id(db, r.ward).await));
    p.update(db).await.unwrap();
    let now = OffsetDateTime::now_utc();
    email_preference::ActiveModel {
        user_id: Set(person.id),
        kind: Set("outreach_digest".into()),
        enabled: Set(r.opted_in),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    if let Some(group) = r.ethnic_group {
        equality_monitoring::ActiveModel {
            user_id: Set(person.id),
            consented_at: Set(now),
            ethnic_group: Set(Some(group.into())),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    if let Some(slug) = r.cause {
        volunteer_cause::ActiveModel {
            volunteer_id: Set(profile.id),
            cause_id: Set(cause_id(db, slug).await),
        }
        .insert(db)
        .await
        .unwrap();
    }
    person.id
}

async fn coordinator(app: &TestApp, hub: i32, email: &'static str) -> Browser {
    add_person(
        &app.db,
        PersonSpec {
            email,
            coordinates_hub: Some(hub),
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let b = Browser::new(app);
    b.sign_in(&app.db, email).await;
    b
}

/// Five residents: two opted-in in Peckham (one with equality answers, one without),
/// one opted-in in Rye Lane who shares the flagged group, one in Peckham who did not
/// opt in, and one opted-in elsewhere who cares about food poverty.
async fn residents(db: &DatabaseConnection) {
    for r in [
        Resident {
            email: "amara@example.org",
            ward: PECKHAM,
            opted_in: true,
            ethnic_group: Some("black"),
            cause: None,
        },
        Resident {
            email: "ben@example.org",
            ward: PECKHAM,
            opted_in: true,
            ethnic_group: None,
            cause: None,
        },
        Resident {
            email: "chidi@example.org",
            ward: RYE_LANE,
            opted_in: true,
            ethnic_group: Some("black"),
            cause: None,
        },
        Resident {
            email: "dee@example.org",
            ward: PECKHAM,
            opted_in: false,
            ethnic_group: Some("black"),
            cause: None,
        },
        Resident {
            email: "eve@example.org",
            ward: "E05011107",
            opted_in: true,
            ethnic_group: Some("white"),
            cause: Some("food-poverty"),
        },
    ] {
        resident(db, r).await;
    }
}

async fn digests(db: &DatabaseConnection) -> u64 {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("email.outreach_digest"))
        .count(db)
        .await
        .unwrap()
}

async fn a_coordinator_previews_and_sends_a_digest_to_opted_in_people_in_chosen_wards_and_causes(
    app: TestApp,
) {
    let b = borough(&app.db).await;
    residents(&app.db).await;
    let browser = coordinator(&app, b.peckham_hub.id, "coord@example.org").await;
    let form = browser
        .get_text(
            "/reports/representativeness/outreach?stage=registered&dimension=ethnic_group&category=black&flag=under",
            200,
        )
        .await;
    assert!(form.contains("Peckham Community Hub"), "their hub");
    assert!(form.contains(&format!("value=\"{PECKHAM}\"")));
    assert!(
        form.contains(&format!("value=\"{}\"", b.food_packing.id)),
        "open role of the hub"
    );
    assert!(
        !form.contains(&format!("value=\"{}\"", b.draft.id)),
        "never a draft"
    );

    let role = b.food_packing.id.to_string();
    let hub = b.peckham_hub.id.to_string();
    let fields = |action: &'static str| {
        vec![
            ("hub", hub.clone()),
            ("stage", "registered".to_owned()),
            ("dimension", "ethnic_group".to_owned()),
            ("category", "black".to_owned()),
            ("flag", "under".to_owned()),
            ("wards", PECKHAM.to_owned()),
            ("causes", "food-poverty".to_owned()),
            ("roles", role.clone()),
            ("action", action.to_owned()),
        ]
    };
    let preview: Vec<(&str, String)> = fields("preview");
    let preview: Vec<(&str, &str)> = preview.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser
        .post("/reports/representativeness/outreach", &preview)
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("would go to <strong>3</strong> people"),
        "{page}"
    );
    assert_eq!(digests(&app.db).await, 0, "a preview sends nothing");

    let send: Vec<(&str, String)> = fields("send");
    let send: Vec<(&str, &str)> = send.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser
        .post("/reports/representativeness/outreach", &send)
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).contains("notice=sent&recipients=3"));
    for (who, gets) in [
        ("amara@example.org", true),
        ("ben@example.org", true),
        ("chidi@example.org", false),
        ("dee@example.org", false),
        ("eve@example.org", true),
    ] {
        let mail = emails_to(&app.db, who).await;
        assert_eq!(!mail.is_empty(), gets, "{who}");
        if gets {
            assert_eq!(mail[0].0, "email.outreach_digest");
            assert!(
                mail[0].1.text_body.contains(&b.food_packing.title),
                "{:?}",
                mail[0].1.text_body
            );
        }
    }
    let campaign = outreach_campaign::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("campaign recorded");
    assert_eq!(campaign.recipients, 3);
    assert_eq!(campaign.hub_id, Some(b.peckham_hub.id));
    assert_eq!(
        (
            campaign.dimension.as_str(),
            campaign.category.as_str(),
            campaign.flag.as_str()
        ),
        ("ethnic_group", "black", "under")
    );
    assert_eq!(campaign.wards, PECKHAM);
    assert_eq!(campaign.causes, "food-poverty");
    assert_eq!(campaign.role_ids, role);
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("outreach.send"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audits, 1);
}

async fn equality_answers_make_no_difference_to_who_receives_it(app: TestApp) {
    let b = borough(&app.db).await;
    residents(&app.db).await;
    let plan = Plan {
        hub: b.peckham_hub.id,
        stage: "registered".into(),
        dimension: "ethnic_group".into(),
        category: "black".into(),
        flag: "under".into(),
        wards: vec![PECKHAM.into(), RYE_LANE.into()],
        causes: vec![],
        roles: vec![b.food_packing.id],
    };
    let before: Vec<String> = outreach::recipients(&app.db, &plan)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(
        before,
        ["amara@example.org", "ben@example.org", "chidi@example.org"],
        "opted in and living in the wards, whatever their answers"
    );
    // Everyone's answers changed, then withdrawn: the same people, every time.
    equality_monitoring::Entity::update_many()
        .col_expr(
            equality_monitoring::Column::EthnicGroup,
            sea_orm::sea_query::Expr::value("white"),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let changed: Vec<String> = outreach::recipients(&app.db, &plan)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(changed, before);
    equality_monitoring::Entity::delete_many()
        .exec(&app.db)
        .await
        .unwrap();
    let withdrawn: Vec<String> = outreach::recipients(&app.db, &plan)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(withdrawn, before);
}

async fn a_digest_without_a_target_or_with_another_hubs_role_is_refused_and_nothing_is_sent(
    app: TestApp,
) {
    let b = borough(&app.db).await;
    residents(&app.db).await;
    let browser = coordinator(&app, b.peckham_hub.id, "coord@example.org").await;
    let hub = b.peckham_hub.id.to_string();
    let own = b.food_packing.id.to_string();
    let walworth_role = b.befriending.id.to_string();
    for (fields, field) in [
        (
            vec![
                ("hub", hub.as_str()),
                ("roles", own.as_str()),
                ("action", "send"),
            ],
            "wards",
        ),
        (
            vec![
                ("hub", hub.as_str()),
                ("wards", PECKHAM),
                ("roles", walworth_role.as_str()),
                ("action", "send"),
            ],
            "roles",
        ),
        (
            vec![
                ("hub", hub.as_str()),
                ("wards", "E99999999"),
                ("roles", own.as_str()),
                ("action", "send"),
            ],
            "wards",
        ),
        (
            vec![
                ("hub", hub.as_str()),
                ("causes", "juggling"),
                ("roles", own.as_str()),
                ("action", "send"),
            ],
            "causes",
        ),
    ] {
        let res = browser
            .post("/reports/representativeness/outreach", &fields)
            .await;
        assert_eq!(res.status().as_u16(), 400, "{fields:?}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains(&format!("href=\"#{field}\"")),
            "{field}: {page}"
        );
    }
    assert_eq!(digests(&app.db).await, 0);
    assert_eq!(
        outreach_campaign::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

async fn only_the_hubs_coordinators_and_alliance_admins_may_send(app: TestApp) {
    let b = borough(&app.db).await;
    residents(&app.db).await;
    let other = coordinator(&app, b.walworth_hub.id, "walworth@example.org").await;
    let hub = b.peckham_hub.id.to_string();
    let role = b.food_packing.id.to_string();
    let fields = [
        ("hub", hub.as_str()),
        ("wards", PECKHAM),
        ("roles", role.as_str()),
        ("action", "send"),
    ];
    let res = other
        .post("/reports/representativeness/outreach", &fields)
        .await;
    assert_eq!(res.status().as_u16(), 403);
    let volunteer = Browser::new(&app);
    volunteer.sign_in(&app.db, "amara@example.org").await;
    assert_eq!(
        volunteer
            .get("/reports/representativeness/outreach")
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        volunteer
            .post("/reports/representativeness/outreach", &fields)
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(digests(&app.db).await, 0);

    add_person(
        &app.db,
        PersonSpec {
            email: "alli@example.org",
            alliance_admin: true,
            two_factor: true,
            ..PersonSpec::default()
        },
    )
    .await;
    let admin = Browser::new(&app);
    admin.sign_in(&app.db, "alli@example.org").await;
    let res = admin
        .post("/reports/representativeness/outreach", &fields)
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(digests(&app.db).await, 2, "amara and ben in Peckham");
}
