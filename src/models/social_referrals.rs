//! Social-prescribing referrals: a link worker (or hub staff) refers a resident into
//! volunteering with consent; the receiving organisation moves it along; the referrer
//! records outcomes at 4 and 12 weeks. Distinct from `referrals` (a coordinator suggesting a
//! role to a volunteer who already uses hubmatch).
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::domain::access::Actor;
use crate::domain::front_desk::{
    self, CHECKPOINTS, CheckpointState, HOPES, NEEDS, ReferralFact, STALE_AFTER_DAYS, Stage,
};
use crate::domain::london_time;
use crate::email::{self, EnqueueError, kinds::SocialReferralNew};
use crate::entities::{
    assisted_account, hours_log, hub, organisation, role, social_referral, social_referral_event,
    social_referral_outcome, user, volunteer_profile,
};
use crate::error::{AppError, FieldErrors};
use crate::models::{accounts, audit, roles, sign_up, staff};

/// The longest private reason kept.
pub const REASON_MAX_CHARS: usize = 2000;
/// Hours at a checkpoint beyond this are a typing mistake (12 weeks × 7 days × 24 hours).
pub const MAX_OUTCOME_HOURS: i32 = 2016;

/// A referral as typed on the form or sent to the API.
#[derive(Clone, Debug, Default)]
pub struct ReferralForm {
    /// A resident the hub signed up in person (their volunteer profile id), or the email
    /// address of a resident with their own account.
    pub resident: String,
    pub organisation_id: String,
    pub role_id: String,
    pub hopes: Vec<String>,
    pub needs: Vec<String>,
    pub reason: String,
    pub consent: bool,
}

impl ReferralForm {
    pub fn hoped(&self, tag: &&str) -> bool {
        self.hopes.iter().any(|h| h == tag)
    }
    pub fn needed(&self, tag: &&str) -> bool {
        self.needs.iter().any(|n| n == tag)
    }
}

fn optional_id(raw: &str) -> Result<Option<i32>, ()> {
    match raw.trim() {
        "" => Ok(None),
        t => match t.parse::<i32>() {
            Ok(id) if id > 0 => Ok(Some(id)),
            _ => Err(()),
        },
    }
}

/// The resident's volunteer profile and account, if the referrer may refer them: a
/// resident signed up in person at a hub the referrer works at, or anyone with an account
/// whose email address the resident gave.
async fn find_resident<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    hub_id: i32,
    typed: &str,
) -> Result<Option<(volunteer_profile::Model, user::Model)>, DbErr> {
    let typed = typed.trim();
    if let Ok(profile_id) = typed.parse::<i32>() {
        let Some((profile, Some(person))) = volunteer_profile::Entity::find_by_id(profile_id)
            .find_also_related(user::Entity)
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let assisted = assisted_account::Entity::find()
            .filter(assisted_account::Column::UserId.eq(person.id))
            .one(db)
            .await?;
        let reachable = assisted.is_some_and(|a| {
            a.hub_id == hub_id
                || actor.coordinates(a.hub_id)
                || actor
                    .link_worker
                    .as_ref()
                    .is_some_and(|lw| lw.hub.is_none_or(|h| h == a.hub_id))
        });
        return Ok(reachable.then_some((profile, person)));
    }
    let Some(person) = accounts::find_by_email(db, &typed.to_lowercase()).await? else {
        return Ok(None);
    };
    let profile = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await?;
    Ok(profile.map(|p| (p, person)))
}

/// Where a referral came from, for the report.
fn source_of(actor: &Actor, hub_id: i32) -> (&'static str, Option<String>) {
    match &actor.link_worker {
        Some(post) if post.hub == Some(hub_id) => ("link_worker", None),
        Some(post) if post.hub.is_none() => ("gp_network", post.gp_network.clone()),
        _ => ("hub", None),
    }
}

/// Writes the referral, its first event, the organisation's email and the audit entry.
/// Call inside the action's transaction after `ReferResident { hub }` was allowed;
/// anything wrong comes back as a 400 naming the field, before anything is written.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    hub_id: i32,
    form: &ReferralForm,
    base_url: &str,
) -> Result<social_referral::Model, AppError> {
    let mut errors = FieldErrors::new();
    let hub = hub::Entity::find_by_id(hub_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("hub"))?;
    if !form.consent {
        errors.insert(
            "consent".into(),
            "Confirm the resident has agreed to this referral and to what is shared with the \
             organisation"
                .into(),
        );
    }
    let resident = if form.resident.trim().is_empty() {
        errors.insert(
            "resident".into(),
            "Choose the resident you are referring".into(),
        );
        None
    } else {
        let found = find_resident(db, actor, hub_id, &form.resident).await?;
        let usable = found.filter(|(_, p)| p.status == accounts::ACTIVE && p.erased_at.is_none());
        if usable.is_none() {
            errors.insert(
                "resident".into(),
                "There is no resident with that email address, or signed up in person at \
                 your hub, with that reference"
                    .into(),
            );
        }
        usable
    };
    let role = match optional_id(&form.role_id) {
        Err(()) => {
            errors.insert("role_id".into(), "Choose a role from the list".into());
            None
        }
        Ok(None) => None,
        Ok(Some(id)) => {
            let open = role::Entity::find_by_id(id)
                .filter(roles::is_open(crate::db::now()))
                .one(db)
                .await?;
            if open.is_none() {
                errors.insert(
                    "role_id".into(),
                    "This role is not open for volunteers: choose an open role, or refer them \
                     to the organisation without a role"
                        .into(),
                );
            }
            open
        }
    };
    let organisation_id = match (&role, optional_id(&form.organisation_id)) {
        (Some(r), _) => Some(r.organisation_id),
        (None, Ok(Some(id))) => Some(id),
        (None, Ok(None)) if !errors.contains_key("role_id") => {
            errors.insert(
                "organisation_id".into(),
                "Choose the organisation, or a role, to refer them to".into(),
            );
            None
        }
        (None, Ok(None)) => None,
        (None, Err(())) => {
            errors.insert(
                "organisation_id".into(),
                "Choose an organisation from the list".into(),
            );
            None
        }
    };
    let organisation = match organisation_id {
        Some(id) => {
            let org = organisation::Entity::find_by_id(id)
                .filter(organisation::Column::Status.eq("approved"))
                .one(db)
                .await?;
            if org.is_none() {
                errors.insert(
                    "organisation_id".into(),
                    "Choose an organisation that is taking volunteers".into(),
                );
            }
            org
        }
        None => None,
    };
    let hopes =
        front_desk::tags(form.hopes.iter().map(String::as_str), &HOPES).unwrap_or_else(|bad| {
            errors.insert(
                "hopes".into(),
                format!("'{bad}' is not one of the hopes listed"),
            );
            Vec::new()
        });
    let needs =
        front_desk::tags(form.needs.iter().map(String::as_str), &NEEDS).unwrap_or_else(|bad| {
            errors.insert(
                "needs".into(),
                format!("'{bad}' is not one of the needs listed"),
            );
            Vec::new()
        });
    if form.reason.chars().count() > REASON_MAX_CHARS {
        errors.insert(
            "reason".into(),
            format!("The reason must be {REASON_MAX_CHARS} characters or fewer"),
        );
    }
    let (Some((profile, person)), Some(organisation), true) =
        (resident, organisation, errors.is_empty())
    else {
        return Err(AppError::invalid(errors));
    };

    let now = crate::db::now();
    let (source, gp_network) = source_of(actor, hub_id);
    let referral = social_referral::ActiveModel {
        volunteer_profile_id: Set(profile.id),
        referred_by: Set(Some(actor.user_id)),
        source: Set(source.to_owned()),
        gp_network: Set(gp_network),
        hub_id: Set(hub_id),
        organisation_id: Set(organisation.id),
        role_id: Set(role.as_ref().map(|r| r.id)),
        consent_recorded_at: Set(now),
        consent_by: Set(Some(actor.user_id)),
        hopes: Set(hopes.join(",")),
        needs: Set(needs.join(",")),
        reason: Set(form.reason.trim().to_owned()),
        status: Set(Stage::Sent.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    record_event(db, referral.id, Stage::Sent, actor.user_id, now).await?;

    let message = SocialReferralNew {
        organisation: organisation.name.clone(),
        resident_first_name: sign_up::first_name(&person.display_name).to_owned(),
        role_title: role.as_ref().map(|r| r.title.clone()),
        hub_name: hub.name.clone(),
        hopes: front_desk::tag_labels(&referral.hopes)
            .into_iter()
            .map(str::to_lowercase)
            .collect(),
        needs: front_desk::tag_labels(&referral.needs)
            .into_iter()
            .map(str::to_lowercase)
            .collect(),
        referral_url: format!("{base_url}/organisations/{}/referrals", organisation.id),
    };
    for to in organisation_addresses(db, &organisation, role.as_ref()).await? {
        match email::send(db, base_url, &to, &message).await {
            Ok(_) => {}
            Err(EnqueueError::Database(e)) => return Err(e.into()),
            Err(e) => return Err(AppError::Internal(e.to_string())),
        }
    }
    audit::record(
        db,
        audit::Entry {
            actor_user_id: Some(actor.user_id),
            action: "social_referral.create",
            subject_type: "social_referral",
            subject_id: Some(referral.id),
            detail: serde_json::json!({
                "hub_id": hub_id,
                "organisation_id": organisation.id,
                "role_id": referral.role_id,
                "source": source,
            }),
            ip: None,
        },
    )
    .await?;
    Ok(referral)
}

/// Where the organisation hears of a referral: the role's contact, else the
/// organisation's address, else its staff.
async fn organisation_addresses<C: ConnectionTrait>(
    db: &C,
    org: &organisation::Model,
    role: Option<&role::Model>,
) -> Result<Vec<String>, DbErr> {
    if let Some(contact) = role
        .and_then(|r| r.contact_email.as_deref())
        .filter(|e| !e.trim().is_empty())
    {
        return Ok(vec![contact.to_owned()]);
    }
    if let Some(address) = org.email.as_deref().filter(|e| !e.trim().is_empty()) {
        return Ok(vec![address.to_owned()]);
    }
    Ok(staff::list(db, org.id)
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect())
}

async fn record_event<C: ConnectionTrait>(
    db: &C,
    referral_id: i32,
    stage: Stage,
    by: i32,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    social_referral_event::ActiveModel {
        referral_id: Set(referral_id),
        status: Set(stage.as_str().to_owned()),
        at: Set(at),
        by_user: Set(Some(by)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> Result<social_referral::Model, AppError> {
    social_referral::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("referral"))
}

/// Moves a referral on, as the receiving organisation (allowed by the caller). A step the
/// lifecycle does not allow is a 400 naming `status`.
pub async fn move_to<C: ConnectionTrait>(
    db: &C,
    referral: social_referral::Model,
    raw_status: &str,
    by: i32,
) -> Result<social_referral::Model, AppError> {
    let from = Stage::parse(&referral.status).unwrap_or(Stage::Sent);
    let Some(to) = Stage::parse(raw_status.trim()) else {
        return Err(AppError::field(
            "status",
            "Choose one of: received, contacted, started, ended, declined",
        ));
    };
    if !from.can_move_to(to) {
        return Err(AppError::field(
            "status",
            format!(
                "A referral that is '{}' cannot be marked '{}'",
                from.as_str(),
                to.as_str()
            ),
        ));
    }
    let now = crate::db::now();
    let id = referral.id;
    let mut row: social_referral::ActiveModel = referral.into();
    row.status = Set(to.as_str().to_owned());
    row.updated_at = Set(now);
    let saved = row.update(db).await?;
    record_event(db, id, to, by, now).await?;
    Ok(saved)
}

/// An outcome as typed.
#[derive(Clone, Debug, Default)]
pub struct OutcomeForm {
    pub checkpoint_weeks: String,
    pub still_volunteering: String,
    pub hours: String,
    pub consent: bool,
}

/// Records (or corrects) the outcome at a checkpoint, with the resident's consent.
pub async fn record_outcome<C: ConnectionTrait>(
    db: &C,
    referral: &social_referral::Model,
    form: &OutcomeForm,
    by: i32,
) -> Result<social_referral_outcome::Model, AppError> {
    let mut errors = FieldErrors::new();
    let checkpoint = match form.checkpoint_weeks.trim().parse::<i32>() {
        Ok(w) if CHECKPOINTS.contains(&w) => Some(w),
        _ => {
            errors.insert(
                "checkpoint_weeks".into(),
                "Choose the 4-week or the 12-week check".into(),
            );
            None
        }
    };
    let still = match form.still_volunteering.trim() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => {
            errors.insert(
                "still_volunteering".into(),
                "Say whether they are still volunteering".into(),
            );
            None
        }
    };
    let hours = match form.hours.trim().parse::<i32>() {
        Ok(h) if (0..=MAX_OUTCOME_HOURS).contains(&h) => Some(h),
        _ => {
            errors.insert(
                "hours".into(),
                format!(
                    "Enter the hours volunteered as a whole number from 0 to {MAX_OUTCOME_HOURS}"
                ),
            );
            None
        }
    };
    if !form.consent {
        errors.insert(
            "consent".into(),
            "Confirm the resident agreed to share how it is going".into(),
        );
    }
    let stage = Stage::parse(&referral.status).unwrap_or(Stage::Sent);
    if !matches!(stage, Stage::Started | Stage::Ended) {
        errors.insert(
            "checkpoint_weeks".into(),
            "Outcomes are recorded once the resident has started volunteering".into(),
        );
    }
    let (Some(checkpoint), Some(still), Some(hours), true) =
        (checkpoint, still, hours, errors.is_empty())
    else {
        return Err(AppError::invalid(errors));
    };
    let now = crate::db::now();
    let existing = social_referral_outcome::Entity::find()
        .filter(social_referral_outcome::Column::ReferralId.eq(referral.id))
        .filter(social_referral_outcome::Column::CheckpointWeeks.eq(checkpoint))
        .one(db)
        .await?;
    let saved = match existing {
        Some(o) => {
            let mut row: social_referral_outcome::ActiveModel = o.into();
            row.still_volunteering = Set(still);
            row.hours = Set(hours);
            row.recorded_at = Set(now);
            row.recorded_by = Set(Some(by));
            row.update(db).await?
        }
        None => {
            social_referral_outcome::ActiveModel {
                referral_id: Set(referral.id),
                checkpoint_weeks: Set(checkpoint),
                still_volunteering: Set(still),
                hours: Set(hours),
                recorded_at: Set(now),
                recorded_by: Set(Some(by)),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    Ok(saved)
}

/// One step of the lifecycle as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralStep {
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub by: Option<String>,
}

/// A checkpoint outcome as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralOutcome {
    pub checkpoint_weeks: i32,
    pub still_volunteering: bool,
    pub hours: i32,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// One outcome check of a referral: when it falls due and whether it is waiting.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralCheckpoint {
    pub weeks: i32,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: OffsetDateTime,
    /// `upcoming`, `due` (date passed, started, nothing recorded), `recorded` or
    /// `not_applicable` (never started).
    #[schema(value_type = String)]
    pub state: CheckpointState,
}

impl ReferralCheckpoint {
    pub fn is_due(&self) -> bool {
        self.state == CheckpointState::Due
    }
    pub fn is_upcoming(&self) -> bool {
        self.state == CheckpointState::Upcoming
    }
}

/// A referral as one reader may see it: the organisation gets `reason: None` (and the
/// JSON has no `reason` key at all).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralView {
    pub id: i32,
    pub resident_name: String,
    /// How to reach them: their email, or the phone or post route the hub recorded.
    pub contact: String,
    pub hub_id: i32,
    pub hub: String,
    pub organisation_id: i32,
    pub organisation: String,
    pub role_id: Option<i32>,
    pub role: Option<String>,
    pub source: String,
    pub hopes: Vec<String>,
    pub needs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub status: String,
    pub referred_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// No contact within 7 days of being sent.
    pub stale: bool,
    pub steps: Vec<ReferralStep>,
    pub outcomes: Vec<ReferralOutcome>,
    pub checkpoints: Vec<ReferralCheckpoint>,
    /// Minutes of volunteering the receiving organisation has confirmed for the resident
    /// since the referral was sent: what to prefill an outcome's hours with.
    pub confirmed_minutes: i64,
}

impl ReferralView {
    pub fn status_label(&self) -> &'static str {
        Stage::parse(&self.status).map_or("Unknown", Stage::label)
    }

    /// The moves the organisation can make next.
    pub fn next_steps(&self) -> Vec<(&'static str, &'static str)> {
        Stage::parse(&self.status)
            .map(|s| {
                s.next()
                    .iter()
                    .map(|n| (n.as_str(), n.action_label()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn started(&self) -> bool {
        matches!(self.status.as_str(), "started" | "ended")
    }

    pub fn sent_on(&self) -> String {
        london_time::date(self.created_at)
    }

    pub fn step_label(&self, status: &str) -> &'static str {
        Stage::parse(status).map_or("Unknown", Stage::label)
    }

    pub fn step_date(&self, step: &ReferralStep) -> String {
        london_time::date_time(step.at)
    }

    pub fn outcome_for(&self, weeks: &i32) -> Option<&ReferralOutcome> {
        self.outcomes.iter().find(|o| o.checkpoint_weeks == *weeks)
    }

    /// The checks waiting for a call.
    pub fn due_checkpoints(&self) -> Vec<&ReferralCheckpoint> {
        self.checkpoints.iter().filter(|c| c.is_due()).collect()
    }

    /// Whether the outcome form offers this check first: the earliest not yet recorded.
    pub fn is_next_checkpoint(&self, weeks: &i32) -> bool {
        self.checkpoints
            .iter()
            .find(|c| c.state != CheckpointState::Recorded)
            .is_some_and(|c| c.weeks == *weeks)
    }

    pub fn checkpoint_date(&self, c: &ReferralCheckpoint) -> String {
        london_time::date(c.due_at)
    }

    /// Whole hours confirmed since the referral, as the outcome form's starting value.
    pub fn confirmed_hours(&self) -> i64 {
        self.confirmed_minutes / 60
    }
}

fn is_stale(r: &social_referral::Model, now: OffsetDateTime) -> bool {
    Stage::parse(&r.status).is_some_and(Stage::awaiting_contact)
        && r.created_at <= now - Duration::days(STALE_AFTER_DAYS)
}

/// Builds the views of `rows`; `with_reason(row)` says whether this reader may see why.
pub async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<social_referral::Model>,
    with_reason: impl Fn(&social_referral::Model) -> bool,
) -> Result<Vec<ReferralView>, DbErr> {
    let now = crate::db::now();
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut steps: HashMap<i32, Vec<social_referral_event::Model>> = HashMap::new();
    for e in social_referral_event::Entity::find()
        .filter(social_referral_event::Column::ReferralId.is_in(ids.clone()))
        .order_by_asc(social_referral_event::Column::At)
        .order_by_asc(social_referral_event::Column::Id)
        .all(db)
        .await?
    {
        steps.entry(e.referral_id).or_default().push(e);
    }
    let mut outcomes: HashMap<i32, Vec<social_referral_outcome::Model>> = HashMap::new();
    for o in social_referral_outcome::Entity::find()
        .filter(social_referral_outcome::Column::ReferralId.is_in(ids))
        .order_by_asc(social_referral_outcome::Column::CheckpointWeeks)
        .all(db)
        .await?
    {
        outcomes.entry(o.referral_id).or_default().push(o);
    }
    // Confirmed hours of these residents, with the organisation of each role, for the
    // hours since each referral.
    let profiles: Vec<i32> = rows.iter().map(|r| r.volunteer_profile_id).collect();
    let confirmed: Vec<(hours_log::Model, Option<role::Model>)> = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.is_in(profiles))
        .filter(hours_log::Column::Status.eq("confirmed"))
        .find_also_related(role::Entity)
        .all(db)
        .await?;
    let mut names: HashMap<i32, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (profile, person) = volunteer_profile::Entity::find_by_id(r.volunteer_profile_id)
            .find_also_related(user::Entity)
            .one(db)
            .await?
            .map_or((None, None), |(p, u)| (Some(p), u));
        let contact = match (&profile, &person) {
            (Some(_), Some(person)) => {
                let assisted = assisted_account::Entity::find()
                    .filter(assisted_account::Column::UserId.eq(person.id))
                    .filter(assisted_account::Column::ClaimedAt.is_null())
                    .one(db)
                    .await?;
                match assisted {
                    Some(a) if a.contact_preference != "email" => {
                        crate::models::assisted::contact_route(&a)
                    }
                    _ => format!("By email: {}", person.email),
                }
            }
            _ => String::new(),
        };
        let hub_name = hub::Entity::find_by_id(r.hub_id)
            .one(db)
            .await?
            .map(|h| h.name)
            .unwrap_or_default();
        let org_name = organisation::Entity::find_by_id(r.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let role_title = match r.role_id {
            Some(id) => role::Entity::find_by_id(id).one(db).await?.map(|r| r.title),
            None => None,
        };
        let mut shown_steps = Vec::new();
        for e in steps.remove(&r.id).unwrap_or_default() {
            let by = match e.by_user {
                Some(uid) => {
                    if !names.contains_key(&uid) {
                        let name = user::Entity::find_by_id(uid)
                            .one(db)
                            .await?
                            .map(|u| u.display_name)
                            .unwrap_or_default();
                        names.insert(uid, name);
                    }
                    names.get(&uid).cloned()
                }
                None => None,
            };
            shown_steps.push(ReferralStep {
                status: e.status,
                at: e.at,
                by,
            });
        }
        let started = matches!(Stage::parse(&r.status), Some(Stage::Started | Stage::Ended));
        let recorded = outcomes.get(&r.id).cloned().unwrap_or_default();
        let checkpoints = CHECKPOINTS
            .iter()
            .map(|&weeks| {
                let done = recorded.iter().any(|o| o.checkpoint_weeks == weeks);
                let state = front_desk::checkpoint_state(r.created_at, weeks, now, started, done);
                ReferralCheckpoint {
                    weeks,
                    due_at: front_desk::checkpoint_due_at(r.created_at, weeks),
                    state,
                }
            })
            .collect();
        let sent_on = r.created_at.date();
        let confirmed_minutes = confirmed
            .iter()
            .filter(|(h, role)| {
                h.volunteer_id == r.volunteer_profile_id
                    && h.worked_on >= sent_on
                    && role
                        .as_ref()
                        .is_some_and(|role| role.organisation_id == r.organisation_id)
            })
            .map(|(h, _)| i64::from(h.minutes))
            .sum();
        out.push(ReferralView {
            id: r.id,
            resident_name: person
                .as_ref()
                .map(|p| p.display_name.clone())
                .unwrap_or_default(),
            contact,
            hub_id: r.hub_id,
            hub: hub_name,
            organisation_id: r.organisation_id,
            organisation: org_name,
            role_id: r.role_id,
            role: role_title,
            source: r.source.clone(),
            hopes: front_desk::tag_labels(&r.hopes)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            needs: front_desk::tag_labels(&r.needs)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            reason: with_reason(&r).then(|| r.reason.clone()),
            status: r.status.clone(),
            referred_by: r.referred_by,
            created_at: r.created_at,
            stale: is_stale(&r, now),
            steps: shown_steps,
            outcomes: outcomes
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|o| ReferralOutcome {
                    checkpoint_weeks: o.checkpoint_weeks,
                    still_volunteering: o.still_volunteering,
                    hours: o.hours,
                    recorded_at: o.recorded_at,
                })
                .collect(),
            checkpoints,
            confirmed_minutes,
        });
    }
    Ok(out)
}

/// Whether `actor` may see why this referral was made (the referrer and the hub's
/// coordinators; never the organisation).
pub fn sees_reason(actor: &Actor, r: &social_referral::Model) -> bool {
    crate::domain::access::decide(
        Some(actor),
        &crate::domain::access::Action::ViewReferralReason {
            referred_by: r.referred_by,
            hub: r.hub_id,
        },
    ) == crate::domain::access::Decision::Allow
}

/// The referrals `actor` may see: their own, their hubs', and those to their
/// organisations; newest first.
pub async fn visible_to<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<social_referral::Model>, DbErr> {
    let orgs: Vec<i32> = actor.memberships.iter().map(|(o, _)| *o).collect();
    let mut any = Condition::any().add(social_referral::Column::OrganisationId.is_in(orgs));
    if actor.organisation_token.is_none() {
        any = any
            .add(social_referral::Column::ReferredBy.eq(actor.user_id))
            .add(social_referral::Column::HubId.is_in(actor.coordinated_hubs.clone()));
    }
    social_referral::Entity::find()
        .filter(any)
        .order_by_desc(social_referral::Column::CreatedAt)
        .order_by_desc(social_referral::Column::Id)
        .all(db)
        .await
}

/// The front desk's list: referrals this person made, and their hubs' referrals.
pub async fn for_front_desk<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<social_referral::Model>, DbErr> {
    social_referral::Entity::find()
        .filter(
            Condition::any()
                .add(social_referral::Column::ReferredBy.eq(actor.user_id))
                .add(social_referral::Column::HubId.is_in(actor.coordinated_hubs.clone())),
        )
        .order_by_desc(social_referral::Column::CreatedAt)
        .order_by_desc(social_referral::Column::Id)
        .all(db)
        .await
}

/// Referrals to one organisation, newest first.
pub async fn to_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<social_referral::Model>, DbErr> {
    social_referral::Entity::find()
        .filter(social_referral::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(social_referral::Column::CreatedAt)
        .order_by_desc(social_referral::Column::Id)
        .all(db)
        .await
}

/// A stale referral on the hub dashboard.
#[derive(Clone, Debug)]
pub struct StaleReferral {
    pub id: i32,
    pub resident_first_name: String,
    pub organisation: String,
    pub days: i64,
}

/// The hub's referrals with no contact 7 days after they were sent, oldest first.
pub async fn stale_in_hub<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
) -> Result<Vec<StaleReferral>, DbErr> {
    let now = crate::db::now();
    let rows = social_referral::Entity::find()
        .filter(social_referral::Column::HubId.eq(hub_id))
        .filter(social_referral::Column::Status.is_in(["sent", "received"]))
        .filter(social_referral::Column::CreatedAt.lte(now - Duration::days(STALE_AFTER_DAYS)))
        .order_by_asc(social_referral::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let name = volunteer_profile::Entity::find_by_id(r.volunteer_profile_id)
            .find_also_related(user::Entity)
            .one(db)
            .await?
            .and_then(|(_, u)| u)
            .map(|u| sign_up::first_name(&u.display_name).to_owned())
            .unwrap_or_default();
        let organisation = organisation::Entity::find_by_id(r.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        out.push(StaleReferral {
            id: r.id,
            resident_first_name: name,
            organisation,
            days: (now - r.created_at).whole_days(),
        });
    }
    Ok(out)
}

/// The facts the hub's report counts: month, source, where it stands, days to starting.
pub async fn report_facts<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
) -> Result<Vec<ReferralFact>, DbErr> {
    let rows = social_referral::Entity::find()
        .filter(social_referral::Column::HubId.eq(hub_id))
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let started: HashMap<i32, OffsetDateTime> = social_referral_event::Entity::find()
        .filter(social_referral_event::Column::ReferralId.is_in(ids))
        .filter(social_referral_event::Column::Status.eq("started"))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.referral_id, e.at))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let local = london_time::to_london(r.created_at);
            ReferralFact {
                month: format!("{:04}-{:02}", local.year(), u8::from(local.month())),
                source: r.source.clone(),
                stage: Stage::parse(&r.status).unwrap_or(Stage::Sent),
                days_to_start: started
                    .get(&r.id)
                    .map(|at| (*at - r.created_at).whole_days().max(0)),
            }
        })
        .collect())
}

/// Open roles with their organisation, for the referral form's role list.
pub async fn open_roles_in_hub<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
) -> Result<Vec<(i32, String)>, DbErr> {
    let rows = role::Entity::find()
        .filter(roles::is_open(crate::db::now()))
        .filter(roles::in_hub(hub_id))
        .order_by_asc(role::Column::Title)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let org = organisation::Entity::find_by_id(r.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        out.push((r.id, format!("{} – {org}", r.title)));
    }
    Ok(out)
}

/// Approved organisations, for the referral form's organisation list.
pub async fn organisation_choices<C: ConnectionTrait>(db: &C) -> Result<Vec<(i32, String)>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Status.eq("approved"))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
