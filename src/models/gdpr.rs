//! A person's rights over their data: everything we hold about them as one JSON
//! document (export), and erasing their account while organisations keep anonymised
//! application and hours records so their totals stay right.
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde::Serialize;
use serde_json::Value;
use time::{Date, Month, OffsetDateTime};

use crate::auth::DatabaseSessionStore;
use crate::entities::{
    account_token, api_token, application, application_event, audit_log, availability, cause,
    equality_monitoring, hours_log, hub, hub_coordinator, membership, organisation, outbox,
    rate_limit_event, recovery_code, role, skill, user, volunteer_cause, volunteer_profile,
    volunteer_skill,
};
use crate::models::accounts;

/// The display name an erased account is left with.
pub const ERASED_NAME: &str = "Former volunteer";

/// The date of birth an erased profile is left with: the column cannot be empty, and no
/// volunteer was born in 1900, so reports can tell an erased profile from a real one.
pub fn erased_date_of_birth() -> Date {
    Date::from_calendar_date(1900, Month::January, 1).unwrap_or(Date::MIN)
}

/// The address an erased account is left with: unique, and undeliverable by design
/// (`.invalid` is reserved, RFC 2606), so the real address is free to sign up again.
pub fn erased_email(user_id: i32) -> String {
    format!("erased-{user_id}@invalid.hubmatch")
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

fn rfc3339_opt(at: Option<OffsetDateTime>) -> Option<String> {
    at.map(rfc3339)
}

/// Everything we hold about one person. Secrets (password hash, two-factor secret,
/// token hashes, recovery codes) are never included.
#[derive(Debug, Serialize)]
pub struct PersonalData {
    pub exported_at: String,
    pub account: Account,
    pub volunteer_profile: Option<volunteer_profile::Model>,
    pub skills: Vec<SkillHeld>,
    pub causes: Vec<CauseChosen>,
    /// ODI slots, e.g. `SaturdayMorning`.
    pub availability: Vec<String>,
    pub applications: Vec<ApplicationRecord>,
    pub hours: Vec<HoursRecord>,
    /// Their own answers; nobody else ever sees them individually.
    pub equality_monitoring: Option<equality_monitoring::Model>,
    pub memberships: Vec<MembershipRecord>,
    pub coordinated_hubs: Vec<HubRecord>,
    pub api_tokens: Vec<api_token::Model>,
    pub audit_entries: Vec<AuditRecord>,
}

#[derive(Debug, Serialize)]
pub struct Account {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub status: String,
    pub alliance_admin: bool,
    pub verified_at: Option<String>,
    pub terms_accepted_at: Option<String>,
    pub two_factor_enabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SkillHeld {
    pub skill_id: i32,
    pub slug: String,
    pub name: String,
    pub level: i32,
    pub verified: bool,
    pub verified_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CauseChosen {
    pub cause_id: i32,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct ApplicationRecord {
    pub id: i32,
    pub role_id: i32,
    pub role_title: String,
    pub organisation: String,
    pub status: String,
    pub message: String,
    pub created_at: String,
    pub updated_at: String,
    pub decided_at: Option<String>,
    pub history: Vec<ApplicationStep>,
}

#[derive(Debug, Serialize)]
pub struct ApplicationStep {
    pub from_status: Option<String>,
    pub to_status: String,
    /// `you` or `organisation`: staff are not named, their details are theirs.
    pub by: &'static str,
    pub note: String,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct HoursRecord {
    pub id: i32,
    pub role_id: i32,
    pub role_title: String,
    pub organisation: String,
    pub worked_on: String,
    pub minutes: i32,
    pub status: String,
    pub note: String,
    pub created_at: String,
    pub reviewed_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MembershipRecord {
    pub organisation_id: i32,
    pub organisation: String,
    pub role: String,
    pub since: String,
}

#[derive(Debug, Serialize)]
pub struct HubRecord {
    pub hub_id: i32,
    pub hub: String,
    pub since: String,
}

/// What they did that the audit log noted. The entry's detail is left out: for an
/// organisation's admin it can name other people (an invited address, say).
#[derive(Debug, Serialize)]
pub struct AuditRecord {
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i32>,
    pub ip: Option<String>,
    pub at: String,
}

/// Roles by id with their organisation's name, for labelling applications and hours.
async fn roles_named<C: ConnectionTrait>(
    db: &C,
    role_ids: Vec<i32>,
) -> Result<HashMap<i32, (String, String)>, DbErr> {
    if role_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let roles = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids))
        .all(db)
        .await?;
    let org_ids: Vec<i32> = roles.iter().map(|r| r.organisation_id).collect();
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(roles
        .into_iter()
        .map(|r| {
            let org = orgs.get(&r.organisation_id).cloned().unwrap_or_default();
            (r.id, (r.title, org))
        })
        .collect())
}

/// Everything held about `person`.
pub async fn export<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
) -> Result<PersonalData, DbErr> {
    let account = Account {
        id: person.id,
        email: person.email.clone(),
        display_name: person.display_name.clone(),
        phone: person.phone.clone(),
        status: person.status.clone(),
        alliance_admin: person.is_alliance_admin,
        verified_at: rfc3339_opt(person.verified_at),
        terms_accepted_at: rfc3339_opt(person.terms_accepted_at),
        two_factor_enabled_at: rfc3339_opt(person.totp_enabled_at),
        created_at: rfc3339(person.created_at),
        updated_at: rfc3339(person.updated_at),
        last_login_at: rfc3339_opt(person.last_login_at),
    };
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await?;

    let (mut skills, mut causes, mut slots, mut applications, mut hours) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    if let Some(profile) = &profile {
        let held = volunteer_skill::Entity::find()
            .filter(volunteer_skill::Column::VolunteerId.eq(profile.id))
            .find_also_related(skill::Entity)
            .all(db)
            .await?;
        skills = held
            .into_iter()
            .map(|(h, s)| SkillHeld {
                skill_id: h.skill_id,
                slug: s.as_ref().map(|s| s.slug.clone()).unwrap_or_default(),
                name: s.map(|s| s.name).unwrap_or_default(),
                level: h.level,
                verified: h.verified_at.is_some(),
                verified_at: rfc3339_opt(h.verified_at),
            })
            .collect();
        let chosen = volunteer_cause::Entity::find()
            .filter(volunteer_cause::Column::VolunteerId.eq(profile.id))
            .find_also_related(cause::Entity)
            .all(db)
            .await?;
        causes = chosen
            .into_iter()
            .map(|(c, found)| CauseChosen {
                cause_id: c.cause_id,
                slug: found.as_ref().map(|f| f.slug.clone()).unwrap_or_default(),
                name: found.map(|f| f.name).unwrap_or_default(),
            })
            .collect();
        slots = availability::Entity::find()
            .filter(availability::Column::VolunteerId.eq(profile.id))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.slot)
            .collect();

        let apps = application::Entity::find()
            .filter(application::Column::VolunteerId.eq(profile.id))
            .order_by_asc(application::Column::Id)
            .all(db)
            .await?;
        let logged = hours_log::Entity::find()
            .filter(hours_log::Column::VolunteerId.eq(profile.id))
            .order_by_asc(hours_log::Column::WorkedOn)
            .order_by_asc(hours_log::Column::Id)
            .all(db)
            .await?;
        let role_ids = apps
            .iter()
            .map(|a| a.role_id)
            .chain(logged.iter().map(|h| h.role_id))
            .collect();
        let roles = roles_named(db, role_ids).await?;
        let app_ids: Vec<i32> = apps.iter().map(|a| a.id).collect();
        let mut events: HashMap<i32, Vec<ApplicationStep>> = HashMap::new();
        if !app_ids.is_empty() {
            for e in application_event::Entity::find()
                .filter(application_event::Column::ApplicationId.is_in(app_ids))
                .order_by_asc(application_event::Column::Id)
                .all(db)
                .await?
            {
                events
                    .entry(e.application_id)
                    .or_default()
                    .push(ApplicationStep {
                        from_status: e.from_status,
                        to_status: e.to_status,
                        by: if e.actor_user_id == Some(person.id) {
                            "you"
                        } else {
                            "organisation"
                        },
                        note: e.note,
                        at: rfc3339(e.created_at),
                    });
            }
        }
        applications = apps
            .into_iter()
            .map(|a| {
                let (title, org) = roles.get(&a.role_id).cloned().unwrap_or_default();
                ApplicationRecord {
                    id: a.id,
                    role_id: a.role_id,
                    role_title: title,
                    organisation: org,
                    status: a.status,
                    message: a.message,
                    created_at: rfc3339(a.created_at),
                    updated_at: rfc3339(a.updated_at),
                    decided_at: rfc3339_opt(a.decided_at),
                    history: events.remove(&a.id).unwrap_or_default(),
                }
            })
            .collect();
        hours = logged
            .into_iter()
            .map(|h| {
                let (title, org) = roles.get(&h.role_id).cloned().unwrap_or_default();
                HoursRecord {
                    id: h.id,
                    role_id: h.role_id,
                    role_title: title,
                    organisation: org,
                    worked_on: h.worked_on.to_string(),
                    minutes: h.minutes,
                    status: h.status,
                    note: h.note,
                    created_at: rfc3339(h.created_at),
                    reviewed_at: rfc3339_opt(h.reviewed_at),
                }
            })
            .collect();
    }

    let equality = equality_monitoring::Entity::find()
        .filter(equality_monitoring::Column::UserId.eq(person.id))
        .one(db)
        .await?;
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(person.id))
        .find_also_related(organisation::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(m, org)| MembershipRecord {
            organisation_id: m.organisation_id,
            organisation: org.map(|o| o.name).unwrap_or_default(),
            role: m.role,
            since: rfc3339(m.created_at),
        })
        .collect();
    let coordinated_hubs = hub_coordinator::Entity::find()
        .filter(hub_coordinator::Column::UserId.eq(person.id))
        .find_also_related(hub::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(c, h)| HubRecord {
            hub_id: c.hub_id,
            hub: h.map(|h| h.name).unwrap_or_default(),
            since: rfc3339(c.created_at),
        })
        .collect();
    let api_tokens = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(person.id))
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?;
    let audit_entries = audit_log::Entity::find()
        .filter(audit_log::Column::ActorUserId.eq(person.id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AuditRecord {
            action: a.action,
            subject_type: a.subject_type,
            subject_id: a.subject_id,
            ip: a.ip,
            at: rfc3339(a.created_at),
        })
        .collect();

    Ok(PersonalData {
        exported_at: rfc3339(crate::db::now()),
        account,
        volunteer_profile: profile,
        skills,
        causes,
        availability: slots,
        applications,
        hours,
        equality_monitoring: equality,
        memberships,
        coordinated_hubs,
        api_tokens,
        audit_entries,
    })
}

/// Organisations whose only admin this person is: they must hand over before leaving.
pub async fn sole_admin_of<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Vec<organisation::Model>, DbErr> {
    let mine = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::Role.eq("admin"))
        .all(db)
        .await?;
    let mut sole = Vec::new();
    for m in mine {
        let admins = membership::Entity::find()
            .filter(membership::Column::OrganisationId.eq(m.organisation_id))
            .filter(membership::Column::Role.eq("admin"))
            .count(db)
            .await?;
        if admins <= 1
            && let Some(org) = organisation::Entity::find_by_id(m.organisation_id)
                .one(db)
                .await?
        {
            sole.push(org);
        }
    }
    Ok(sole)
}

/// What was kept after erasure, for the audit log (counts only, nothing personal).
#[derive(Debug, Default, Serialize)]
pub struct Erased {
    pub applications_kept: u64,
    pub hours_kept: u64,
}

/// Erases a person: personal data deleted or anonymised, equality answers deleted,
/// every session ended; applications (status, dates) and hours stay, anonymised, so
/// organisations' totals stay right. Call in one transaction with the audit entry.
pub async fn erase<C: ConnectionTrait>(db: &C, person: &user::Model) -> Result<Erased, DbErr> {
    let user_id = person.id;
    let old_email = person.email.clone();
    let now = crate::db::now();
    let mut kept = Erased::default();

    equality_monitoring::Entity::delete_many()
        .filter(equality_monitoring::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // The front desk's record of them (issue 11): contact details, calls, referral reasons.
    let profile_id = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .map(|p| p.id);
    crate::models::assisted::forget(db, user_id, profile_id).await?;

    if let Some(profile) = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user_id))
        .one(db)
        .await?
    {
        let volunteer = profile.id;
        volunteer_skill::Entity::delete_many()
            .filter(volunteer_skill::Column::VolunteerId.eq(volunteer))
            .exec(db)
            .await?;
        volunteer_cause::Entity::delete_many()
            .filter(volunteer_cause::Column::VolunteerId.eq(volunteer))
            .exec(db)
            .await?;
        availability::Entity::delete_many()
            .filter(availability::Column::VolunteerId.eq(volunteer))
            .exec(db)
            .await?;

        // Their words go; the decision trail (statuses, dates) stays for the organisation.
        let apps = application::Entity::update_many()
            .col_expr(application::Column::Message, Expr::value(""))
            .filter(application::Column::VolunteerId.eq(volunteer))
            .exec(db)
            .await?;
        kept.applications_kept = apps.rows_affected;
        let app_ids: Vec<i32> = application::Entity::find()
            .filter(application::Column::VolunteerId.eq(volunteer))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        if !app_ids.is_empty() {
            // Notes on their applications are about them, whoever wrote them.
            application_event::Entity::update_many()
                .col_expr(application_event::Column::Note, Expr::value(""))
                .filter(application_event::Column::ApplicationId.is_in(app_ids))
                .exec(db)
                .await?;
        }
        let hours = hours_log::Entity::update_many()
            .col_expr(hours_log::Column::Note, Expr::value(""))
            .filter(hours_log::Column::VolunteerId.eq(volunteer))
            .exec(db)
            .await?;
        kept.hours_kept = hours.rows_affected;

        let mut row: volunteer_profile::ActiveModel = profile.into();
        row.date_of_birth = Set(erased_date_of_birth());
        row.ward_id = Set(None);
        row.postcode_district = Set(None);
        row.languages = Set(String::new());
        row.access_needs = Set(String::new());
        row.bio = Set(String::new());
        row.open_to_suggestions = Set(false);
        row.dbs_checked_on = Set(None);
        row.guardian_email = Set(None);
        row.guardian_consent_at = Set(None);
        row.updated_at = Set(now);
        row.update(db).await?;
    }
    // Notes they wrote on anyone's application (e.g. as a volunteer withdrawing) go too.
    application_event::Entity::update_many()
        .col_expr(application_event::Column::Note, Expr::value(""))
        .filter(application_event::Column::ActorUserId.eq(user_id))
        .exec(db)
        .await?;

    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    api_token::Entity::delete_many()
        .filter(api_token::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    account_token::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(account_token::Column::UserId.eq(user_id))
                .add(account_token::Column::Email.eq(old_email.clone())),
        )
        .exec(db)
        .await?;
    membership::Entity::delete_many()
        .filter(membership::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    hub_coordinator::Entity::delete_many()
        .filter(hub_coordinator::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // Sign-in attempts are counted against the address.
    rate_limit_event::Entity::delete_many()
        .filter(rate_limit_event::Column::Subject.eq(old_email.clone()))
        .exec(db)
        .await?;
    forget_emails_to(db, &old_email).await?;
    scrub_audit_details(db, &old_email, &erased_email(user_id)).await?;

    let mut row: user::ActiveModel = person.clone().into();
    row.email = Set(erased_email(user_id));
    row.display_name = Set(ERASED_NAME.to_owned());
    row.phone = Set(None);
    row.password_hash = Set(None);
    row.is_alliance_admin = Set(false);
    row.status = Set(accounts::DISABLED.to_owned());
    row.totp_secret = Set(None);
    row.totp_enabled_at = Set(None);
    row.totp_last_step = Set(None);
    row.last_login_at = Set(None);
    row.erased_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(db).await?;

    DatabaseSessionStore::delete_for_user(db, user_id).await?;
    Ok(kept)
}

/// Deletes queued and sent emails addressed to `email` (they hold the address and name).
async fn forget_emails_to<C: ConnectionTrait>(db: &C, email: &str) -> Result<(), DbErr> {
    // LIKE narrows the search; the exact check is done here, as `_` in an address
    // would match any character in SQL.
    let candidates = outbox::Entity::find()
        .filter(outbox::Column::Payload.contains(email))
        .all(db)
        .await?;
    let ids: Vec<i32> = candidates
        .into_iter()
        .filter(|row| {
            serde_json::from_str::<Value>(&row.payload)
                .ok()
                .and_then(|p| p.get("to").and_then(Value::as_str).map(str::to_lowercase))
                .is_some_and(|to| addressed_to(&to, email))
        })
        .map(|row| row.id)
        .collect();
    if !ids.is_empty() {
        outbox::Entity::delete_many()
            .filter(outbox::Column::Id.is_in(ids))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// `to` is `address` or `Name <address>`.
fn addressed_to(to: &str, address: &str) -> bool {
    let bare = to
        .rsplit_once('<')
        .map_or(to, |(_, rest)| rest.trim_end_matches('>'));
    bare.trim().eq_ignore_ascii_case(address)
}

/// Audit entries stay (they record what happened) but not with the erased address in them.
async fn scrub_audit_details<C: ConnectionTrait>(
    db: &C,
    email: &str,
    replacement: &str,
) -> Result<(), DbErr> {
    let mentioning = audit_log::Entity::find()
        .filter(audit_log::Column::Detail.contains(email))
        .all(db)
        .await?;
    for entry in mentioning {
        if !entry.detail.contains(email) {
            continue;
        }
        let detail = entry.detail.replace(email, replacement);
        let mut row: audit_log::ActiveModel = entry.into();
        row.detail = Set(detail);
        row.update(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_recognised_bare_or_with_a_name() {
        assert!(addressed_to("ada@example.org", "ada@example.org"));
        assert!(addressed_to(
            "Ada Lovelace <ada@example.org>",
            "ada@example.org"
        ));
        assert!(!addressed_to("adax@example.org", "ada@example.org"));
        assert!(!addressed_to("Bob <bob@example.org>", "ada@example.org"));
    }

    #[test]
    fn erased_accounts_get_an_undeliverable_unique_address_and_a_sentinel_birthday() {
        assert_eq!(erased_email(42), "erased-42@invalid.hubmatch");
        assert_eq!(erased_date_of_birth().year(), 1900);
    }
}
