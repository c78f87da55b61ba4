//! Scheduled emails: session reminders (24 h before), roles closing soon, hours waiting
//! to be confirmed, and the weekly digest of new roles. Each email's key is claimed in
//! `scheduled_email` in the same transaction as its outbox row, so running a job twice,
//! or in two processes, sends each email once.
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use time::OffsetDateTime;

use crate::domain::london_time;
use crate::email::kinds::{
    ClosingSoon, Email, HoursToConfirmNudge, Preference, RoleLine, SessionReminder, WeeklyDigest,
};
use crate::entities::{
    application, application_session, email_preference, hours_log, organisation, role, role_cause,
    role_session, user, volunteer_cause, volunteer_profile,
};
use crate::models::{scheduled_emails, staff};

pub const EVERY: Duration = Duration::from_secs(10 * 60);
/// Reminders go this long before a session starts.
const REMINDER_AHEAD: time::Duration = time::Duration::hours(24);
/// Organisations hear of a role with places left this long before it closes.
const CLOSING_AHEAD: time::Duration = time::Duration::days(3);
/// Hours claimed longer ago than this are worth a nudge.
const HOURS_WAITING_DAYS: i64 = 7;
/// The digest covers roles opened in the last week.
const DIGEST_WINDOW: time::Duration = time::Duration::days(7);

/// How many emails each job queued in one run (opted-out recipients are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub session_reminders: u32,
    pub closing_soon: u32,
    pub hours_to_confirm: u32,
    pub weekly_digests: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Enqueue(#[from] crate::email::EnqueueError),
}

/// Every job once, as of `now`.
pub async fn run_all(
    db: &DatabaseConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<Report, JobError> {
    Ok(Report {
        session_reminders: session_reminders(db, base_url, now).await?,
        closing_soon: closing_soon(db, base_url, now).await?,
        hours_to_confirm: hours_to_confirm(db, base_url, now).await?,
        weekly_digests: weekly_digest(db, base_url, now).await?,
    })
}

/// Runs every job every [`EVERY`] until `stop` completes.
pub async fn run(db: DatabaseConnection, base_url: String, stop: impl Future<Output = ()>) {
    let mut stop = std::pin::pin!(stop);
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            () = &mut stop => break,
            _ = tick.tick() => {
                match run_all(&db, &base_url, crate::db::now()).await {
                    Ok(report) => tracing::debug!(?report, "scheduled emails"),
                    Err(e) => tracing::warn!(error = %e, "scheduled emails failed; will try again"),
                }
            }
        }
    }
}

/// Queues `email` to `to` under `key` in one transaction, unless the key was claimed
/// before. `true` when an outbox row was written.
async fn once(
    db: &DatabaseConnection,
    key: &str,
    base_url: &str,
    to: &str,
    email: &(impl Email + Sync),
) -> Result<bool, JobError> {
    let txn = crate::db::begin(db).await?;
    if !scheduled_emails::claim(&txn, key).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    let id = crate::email::send(&txn, base_url, to, email).await?;
    scheduled_emails::record(&txn, key, id).await?;
    txn.commit().await?;
    Ok(id.is_some())
}

async fn email_of_profile<C: ConnectionTrait>(
    db: &C,
    profile_id: i32,
) -> Result<Option<user::Model>, DbErr> {
    let Some(profile) = volunteer_profile::Entity::find_by_id(profile_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    user::Entity::find_by_id(profile.user_id).one(db).await
}

fn first_name(name: &str) -> String {
    crate::models::sign_up::first_name(name).to_owned()
}

/// Accepted volunteers of each session starting in the next 24 hours.
pub async fn session_reminders(
    db: &DatabaseConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<u32, JobError> {
    let sessions = role_session::Entity::find()
        .filter(role_session::Column::StartsAt.gt(now))
        .filter(role_session::Column::StartsAt.lte(now + REMINDER_AHEAD))
        .all(db)
        .await?;
    let mut sent = 0;
    for session in sessions {
        let Some(role) = role::Entity::find_by_id(session.role_id).one(db).await? else {
            continue;
        };
        let org = organisation::Entity::find_by_id(role.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let applications = application::Entity::find()
            .filter(application::Column::Status.eq("accepted"))
            .filter(
                application::Column::Id.in_subquery(
                    Query::select()
                        .column(application_session::Column::ApplicationId)
                        .from(application_session::Entity)
                        .and_where(application_session::Column::SessionId.eq(session.id))
                        .to_owned(),
                ),
            )
            .all(db)
            .await?;
        for app in applications {
            let Some(person) = email_of_profile(db, app.volunteer_id).await? else {
                continue;
            };
            let key = format!("session_reminder:{}:{}", session.id, app.id);
            let email = SessionReminder {
                first_name: first_name(&person.display_name),
                role_title: role.title.clone(),
                organisation: org.clone(),
                when: format!(
                    "{} to {}",
                    london_time::date_time(session.starts_at),
                    london_time::clock(session.ends_at)
                ),
                where_: role.postcode_district.clone().unwrap_or_default(),
                application_url: format!("{base_url}/applications/{}", app.id),
            };
            if once(db, &key, base_url, &person.email, &email).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Open roles closing within 3 days with places unfilled, to the role's contact or staff.
pub async fn closing_soon(
    db: &DatabaseConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<u32, JobError> {
    let roles = role::Entity::find()
        .filter(role::Column::Status.eq("open"))
        .filter(role::Column::ClosesAt.gt(now))
        .filter(role::Column::ClosesAt.lte(now + CLOSING_AHEAD))
        .all(db)
        .await?;
    let mut sent = 0;
    for role in roles {
        let Some(closes_at) = role.closes_at else {
            continue;
        };
        let accepted = application::Entity::find()
            .filter(application::Column::RoleId.eq(role.id))
            .filter(application::Column::Status.eq("accepted"))
            .select_only()
            .column(application::Column::Id)
            .into_tuple::<i32>()
            .all(db)
            .await?
            .len() as i64;
        let places_left = i64::from(role.places) - accepted;
        if places_left <= 0 {
            continue;
        }
        let email = ClosingSoon {
            role_title: role.title.clone(),
            closes_on: london_time::date(closes_at),
            places_left,
            manage_url: format!(
                "{base_url}/organisations/{}/roles/{}",
                role.organisation_id, role.id
            ),
        };
        for to in organisation_addresses(db, &role).await? {
            let key = format!(
                "closing_soon:{}:{}:{}",
                role.id,
                closes_at.unix_timestamp(),
                to.to_lowercase()
            );
            if once(db, &key, base_url, &to, &email).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

async fn organisation_addresses(
    db: &DatabaseConnection,
    role: &role::Model,
) -> Result<Vec<String>, DbErr> {
    if let Some(contact) = role
        .contact_email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        return Ok(vec![contact.to_owned()]);
    }
    Ok(staff::list(db, role.organisation_id)
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect())
}

/// Once a week per organisation: hours claimed more than 7 days ago and not yet reviewed,
/// to its staff.
pub async fn hours_to_confirm(
    db: &DatabaseConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<u32, JobError> {
    let waiting = hours_log::Entity::find()
        .filter(hours_log::Column::Status.eq(crate::models::hours::CLAIMED))
        .filter(hours_log::Column::CreatedAt.lt(now - time::Duration::days(HOURS_WAITING_DAYS)))
        .all(db)
        .await?;
    let mut per_org: BTreeMap<i32, i64> = BTreeMap::new();
    for log in waiting {
        if let Some(role) = role::Entity::find_by_id(log.role_id).one(db).await? {
            *per_org.entry(role.organisation_id).or_default() += 1;
        }
    }
    let (year, week, _) = now.to_iso_week_date();
    let mut sent = 0;
    for (org_id, count) in per_org {
        let Some(org) = organisation::Entity::find_by_id(org_id).one(db).await? else {
            continue;
        };
        let email = HoursToConfirmNudge {
            organisation: org.name.clone(),
            waiting: count,
            older_than_days: HOURS_WAITING_DAYS,
            review_url: format!("{base_url}/organisations/{org_id}/hours"),
        };
        for member in staff::list(db, org_id).await? {
            let key = format!(
                "hours_to_confirm:{org_id}:{year}-W{week:02}:{}",
                member.email.to_lowercase()
            );
            if once(db, &key, base_url, &member.email, &email).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Once per ISO week, to volunteers who opted in: open roles published in the last 7
/// days that share a cause with them (a simple cause overlap; ward and skills are not
/// weighed here).
pub async fn weekly_digest(
    db: &DatabaseConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<u32, JobError> {
    let opted_in: Vec<i32> = email_preference::Entity::find()
        .filter(email_preference::Column::Kind.eq(Preference::WeeklyDigest.key()))
        .filter(email_preference::Column::Enabled.eq(true))
        .select_only()
        .column(email_preference::Column::UserId)
        .into_tuple()
        .all(db)
        .await?;
    if opted_in.is_empty() {
        return Ok(0);
    }
    let new_roles = role::Entity::find()
        .filter(role::Column::Status.eq("open"))
        .filter(role::Column::PublishedAt.gt(now - DIGEST_WINDOW))
        .filter(role::Column::PublishedAt.lte(now))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.closes_at.is_none_or(|c| c > now))
        .collect::<Vec<_>>();
    if new_roles.is_empty() {
        return Ok(0);
    }
    let role_ids: Vec<i32> = new_roles.iter().map(|r| r.id).collect();
    let mut causes_of_role: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
    for rc in role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.is_in(role_ids))
        .all(db)
        .await?
    {
        causes_of_role
            .entry(rc.role_id)
            .or_default()
            .insert(rc.cause_id);
    }
    let mut org_names: BTreeMap<i32, String> = BTreeMap::new();
    let (year, week, _) = now.to_iso_week_date();
    let mut sent = 0;
    for user_id in opted_in {
        let Some(person) = user::Entity::find_by_id(user_id).one(db).await? else {
            continue;
        };
        let Some(profile) = volunteer_profile::Entity::find()
            .filter(volunteer_profile::Column::UserId.eq(user_id))
            .one(db)
            .await?
        else {
            continue;
        };
        let causes: BTreeSet<i32> = volunteer_cause::Entity::find()
            .filter(volunteer_cause::Column::VolunteerId.eq(profile.id))
            .all(db)
            .await?
            .into_iter()
            .map(|vc| vc.cause_id)
            .collect();
        let mut lines = Vec::new();
        for r in &new_roles {
            let shares = causes_of_role
                .get(&r.id)
                .is_some_and(|rc| !rc.is_disjoint(&causes));
            if !shares {
                continue;
            }
            if !org_names.contains_key(&r.organisation_id) {
                let name = organisation::Entity::find_by_id(r.organisation_id)
                    .one(db)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default();
                org_names.insert(r.organisation_id, name);
            }
            lines.push(RoleLine {
                title: r.title.clone(),
                organisation: org_names[&r.organisation_id].clone(),
                url: format!("{base_url}/roles/{}", r.id),
            });
        }
        if lines.is_empty() {
            continue;
        }
        let key = format!("weekly_digest:{user_id}:{year}-W{week:02}");
        let email = WeeklyDigest {
            first_name: first_name(&person.display_name),
            roles: lines,
            search_url: format!("{base_url}/roles"),
        };
        if once(db, &key, base_url, &person.email, &email).await? {
            sent += 1;
        }
    }
    Ok(sent)
}
