//! The demo's front desk: a link worker at the Peckham hub with a few social referrals at
//! different stages (one of them stale), and two residents the hub signed up in person
//! (no email: one by phone, one by post).
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::Duration;

use super::{DEMO_HUBS, SeedError};
use crate::entities::{
    assisted_account, hub, link_worker, organisation, role, social_referral, social_referral_event,
    user, volunteer_profile,
};
use crate::models::assisted::NO_EMAIL_DOMAIN;

/// Residents the Peckham desk signed up in person: name, year of birth, phone, address.
pub const RESIDENTS_IN_PERSON: [(&str, i32, Option<&str>, Option<&str>); 2] = [
    ("Margaret Okafor", 1948, Some("020 7946 0381"), None),
    (
        "Tunde Bello",
        1979,
        None,
        Some("Flat 4, 12 Choumert Road, London SE15 4SE"),
    ),
];

/// The demo link worker, who signs in with the demo password.
pub const LINK_WORKER_EMAIL: &str = "link.worker@example.org";

/// Writes the front desk's demo rows (after the bulk load, through the ORM, so ids come
/// from the sequences on PostgreSQL). `password_hash` is the demo password's hash.
/// Returns the rows written per table, for the demo's report.
pub async fn seed(
    db: &DatabaseConnection,
    password_hash: String,
) -> Result<Vec<(&'static str, u64)>, SeedError> {
    let mut written: Vec<(&'static str, u64)> = Vec::new();
    let now = crate::db::now();
    let Some(peckham) = hub::Entity::find()
        .filter(hub::Column::Slug.eq(DEMO_HUBS[0].slug))
        .one(db)
        .await?
    else {
        return Ok(written);
    };
    let person = user::ActiveModel {
        email: Set(LINK_WORKER_EMAIL.to_owned()),
        password_hash: Set(Some(password_hash)),
        display_name: Set("Grace Adeyemi".into()),
        verified_at: Set(Some(now)),
        is_alliance_admin: Set(false),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        terms_accepted_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    written.push(("users", 1));
    link_worker::ActiveModel {
        user_id: Set(person.id),
        hub_id: Set(Some(peckham.id)),
        gp_network: Set(Some("Peckham and Nunhead PCN".into())),
        created_by: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    written.push(("link_worker", 1));

    for (i, (name, born, phone, post)) in RESIDENTS_IN_PERSON.iter().enumerate() {
        let resident = user::ActiveModel {
            email: Set(format!("resident-demo-{}@{NO_EMAIL_DOMAIN}", i + 1)),
            password_hash: Set(None),
            display_name: Set((*name).into()),
            phone: Set(phone.map(str::to_owned)),
            is_alliance_admin: Set(false),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            terms_accepted_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let born = time::Date::from_calendar_date(*born, time::Month::March, 14)
            .map_err(|e| SeedError::Generator(e.to_string()))?;
        volunteer_profile::ActiveModel {
            user_id: Set(resident.id),
            date_of_birth: Set(born),
            ward_id: Set(peckham.ward_id),
            travel_km: Set(3),
            remote_ok: Set(false),
            languages: Set("en".into()),
            access_needs: Set(String::new()),
            bio: Set(String::new()),
            open_to_suggestions: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        assisted_account::ActiveModel {
            user_id: Set(resident.id),
            hub_id: Set(peckham.id),
            contact_preference: Set(if phone.is_some() { "phone" } else { "post" }.into()),
            phone: Set(phone.map(str::to_owned)),
            postal_address: Set(post.map(str::to_owned)),
            assisted_by: Set(Some(person.id)),
            consent_in_person_at: Set(now),
            claim_code_hash: Set(None),
            claim_expires_at: Set(None),
            claimed_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        written.extend([
            ("users", 1),
            ("volunteer_profile", 1),
            ("assisted_account", 1),
        ]);
    }

    // Referrals of a few demo volunteers to open roles in the Peckham hub's organisations.
    let roles = role::Entity::find()
        .filter(crate::models::roles::is_open(now))
        .filter(crate::models::roles::in_hub(peckham.id))
        .order_by_asc(role::Column::Id)
        .limit(4)
        .all(db)
        .await?;
    let residents = volunteer_profile::Entity::find()
        .order_by_asc(volunteer_profile::Column::Id)
        .offset(20)
        .limit(4)
        .all(db)
        .await?;
    let stages: [(&str, i64, &[&str]); 4] = [
        ("sent", 9, &["sent"]),
        ("contacted", 12, &["sent", "received", "contacted"]),
        ("started", 30, &["sent", "received", "contacted", "started"]),
        ("sent", 1, &["sent"]),
    ];
    let reasons = [
        "Lonely since moving to the area; GP suggested getting out more.",
        "Long-term unemployed, wants a routine and a reference.",
        "Recovering from depression; confidence is low.",
        "Recently retired and isolated.",
    ];
    for (((role, resident), (status, days_ago, steps)), reason) in
        roles.iter().zip(&residents).zip(stages).zip(reasons)
    {
        let Some(org) = organisation::Entity::find_by_id(role.organisation_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let sent_at = now - Duration::days(days_ago);
        let referral = social_referral::ActiveModel {
            volunteer_profile_id: Set(resident.id),
            referred_by: Set(Some(person.id)),
            source: Set("link_worker".into()),
            gp_network: Set(None),
            hub_id: Set(peckham.id),
            organisation_id: Set(org.id),
            role_id: Set(Some(role.id)),
            consent_recorded_at: Set(sent_at),
            consent_by: Set(Some(person.id)),
            hopes: Set("company,routine".into()),
            needs: Set("accompanied_first_visit".into()),
            reason: Set(reason.into()),
            status: Set(status.into()),
            created_at: Set(sent_at),
            updated_at: Set(sent_at),
            ..Default::default()
        }
        .insert(db)
        .await?;
        written.push(("social_referral", 1));
        for (i, step) in steps.iter().enumerate() {
            social_referral_event::ActiveModel {
                referral_id: Set(referral.id),
                status: Set((*step).into()),
                at: Set(sent_at + Duration::days(2 * i as i64)),
                // The organisation's own steps are its staff's; the demo does not name one.
                by_user: Set((i == 0).then_some(person.id)),
                ..Default::default()
            }
            .insert(db)
            .await?;
            written.push(("social_referral_event", 1));
        }
    }

    Ok(written)
}
