//! Cross-hub referrals: a hub coordinator suggests a role to a volunteer, who accepts (and
//! so applies, under the normal application rules) or declines.
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::domain::london_time;
use crate::email;
use crate::entities::{
    application, application_event, hub, organisation, referral, role, role_session,
    volunteer_profile,
};
use crate::error::{AppError, FieldErrors};
use crate::models::applications;
use crate::models::{audit, roles, sign_up};

pub const PENDING: &str = "pending";
const ALREADY_WAITING: &str =
    "This volunteer already has a referral to this role waiting for their answer";
pub const ACCEPTED: &str = "accepted";
pub const DECLINED: &str = "declined";
pub const NOTE_MAX_CHARS: usize = 1000;

/// The referral form, checked for shape before the database is asked.
#[derive(Clone, Debug, Default, garde::Validate)]
pub struct ReferralForm {
    #[garde(custom(email_given))]
    pub volunteer_email: String,
    #[garde(custom(role_chosen))]
    pub role_id: String,
    #[garde(custom(note_short))]
    pub note: String,
}

fn email_given(value: &str, _: &()) -> garde::Result {
    if value.trim().is_empty() {
        return Err(garde::Error::new("Enter the volunteer's email address"));
    }
    crate::auth::EmailAddress::parse(value)
        .map(|_| ())
        .map_err(|e| garde::Error::new(e.to_string()))
}

fn role_chosen(value: &str, _: &()) -> garde::Result {
    match value.parse::<i32>() {
        Ok(id) if id > 0 => Ok(()),
        _ => Err(garde::Error::new("Choose a role to refer them to")),
    }
}

fn note_short(value: &str, _: &()) -> garde::Result {
    if value.chars().count() > NOTE_MAX_CHARS {
        return Err(garde::Error::new(format!(
            "Your note must be {NOTE_MAX_CHARS} characters or fewer"
        )));
    }
    Ok(())
}

/// Who is referring, from which hub.
pub struct Referrer {
    pub user_id: i32,
    pub hub_id: i32,
    pub ip: Option<String>,
}

fn field(name: &str, why: impl Into<String>) -> AppError {
    let mut fields = FieldErrors::new();
    fields.insert(name.to_owned(), why.into());
    AppError::invalid(fields)
}

/// Writes the referral, the volunteer's email and the audit entry. Call inside the
/// action's transaction with a form that passed `validate()`; problems only the
/// database can see come back as a 400 naming the field.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    by: &Referrer,
    form: &ReferralForm,
    link: &impl Fn(&str) -> String,
) -> Result<referral::Model, AppError> {
    let not_found = "There is no volunteer with that email address who lets organisations \
                     suggest roles or has applied for a role in this hub";
    let person = crate::models::accounts::find_by_email(db, form.volunteer_email.trim())
        .await?
        .filter(|p| p.status == crate::models::accounts::ACTIVE && p.erased_at.is_none());
    let profile = match &person {
        Some(p) => {
            volunteer_profile::Entity::find()
                .filter(volunteer_profile::Column::UserId.eq(p.id))
                .one(db)
                .await?
        }
        None => None,
    };
    let (Some(person), Some(profile)) = (person, profile) else {
        return Err(field("volunteer_email", not_found));
    };
    if !profile.open_to_suggestions {
        let applied_here = application::Entity::find()
            .filter(application::Column::VolunteerId.eq(profile.id))
            .filter(
                application::Column::RoleId.in_subquery(
                    Query::select()
                        .column(role::Column::Id)
                        .from(role::Entity)
                        .cond_where(roles::in_hub(by.hub_id))
                        .to_owned(),
                ),
            )
            .count(db)
            .await?;
        if applied_here == 0 {
            return Err(field("volunteer_email", not_found));
        }
    }

    let role_id: i32 = form.role_id.parse().unwrap_or_default();
    let role = role::Entity::find_by_id(role_id)
        .filter(roles::is_open(crate::db::now()))
        .one(db)
        .await?
        .ok_or_else(|| field("role_id", "Choose a role that is open for applications"))?;
    let waiting = referral::Entity::find()
        .filter(referral::Column::VolunteerId.eq(profile.id))
        .filter(referral::Column::RoleId.eq(role.id))
        .filter(referral::Column::Status.eq(PENDING))
        .count(db)
        .await?;
    if waiting > 0 {
        return Err(field("role_id", ALREADY_WAITING));
    }
    let applied = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(profile.id))
        .filter(application::Column::RoleId.eq(role.id))
        .filter(application::Column::Status.ne("withdrawn"))
        .count(db)
        .await?;
    if applied > 0 {
        return Err(field(
            "role_id",
            "This volunteer has already applied for this role",
        ));
    }

    let hub_name = hub::Entity::find_by_id(by.hub_id)
        .one(db)
        .await?
        .map(|h| h.name)
        .ok_or(AppError::NotFound("hub"))?;
    let org_name = organisation::Entity::find_by_id(role.organisation_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let note = form.note.trim().to_owned();
    let row = referral::ActiveModel {
        volunteer_id: Set(profile.id),
        role_id: Set(role.id),
        referred_by: Set(Some(by.user_id)),
        from_hub_id: Set(Some(by.hub_id)),
        note: Set(note.clone()),
        status: Set(PENDING.to_owned()),
        created_at: Set(crate::db::now()),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match e.sql_err() {
        // Another coordinator referred them to this role a moment ago.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => field("role_id", ALREADY_WAITING),
        _ => e.into(),
    })?;

    let greeting = format!("Hello {},", sign_up::first_name(&person.display_name));
    let what = format!(
        "{hub_name} thinks you would be a good fit for the role {} at {org_name}, and has \
         suggested it to you.",
        role.title
    );
    let their_note = format!("Their note: {note}");
    let answer = "You can accept (we send your application to the organisation) or decline \
                  on your dashboard.";
    let mut paragraphs = vec![greeting.as_str(), what.as_str()];
    if !note.is_empty() {
        paragraphs.push(their_note.as_str());
    }
    paragraphs.push(answer);
    email::send_draft(
        db,
        &link(""),
        "email.referral",
        &email::draft(
            &person.email,
            &format!("A role suggested for you: {}", role.title),
            &paragraphs,
            Some(("See the suggestion", &link("/dashboard"))),
        ),
    )
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    audit::record(
        db,
        audit::Entry {
            actor_user_id: Some(by.user_id),
            action: "referral.create",
            subject_type: "referral",
            subject_id: Some(row.id),
            detail: serde_json::json!({
                "hub_id": by.hub_id,
                "role_id": role.id,
                "volunteer_id": profile.id,
            }),
            ip: by.ip.clone(),
        },
    )
    .await?;
    Ok(row)
}

/// A referral waiting for the volunteer's answer, as their dashboard shows it.
#[derive(Clone, Debug)]
pub struct PendingReferral {
    pub id: i32,
    pub role_id: i32,
    pub role_title: String,
    pub organisation: String,
    pub hub: String,
    pub note: String,
    pub referred_on: String,
    /// `(session id, when)` of the role's upcoming sessions, to choose from on accepting.
    pub sessions: Vec<(i32, String)>,
}

pub async fn pending_for<C: ConnectionTrait>(
    db: &C,
    volunteer_id: i32,
) -> Result<Vec<PendingReferral>, DbErr> {
    let rows = referral::Entity::find()
        .filter(referral::Column::VolunteerId.eq(volunteer_id))
        .filter(referral::Column::Status.eq(PENDING))
        .order_by_asc(referral::Column::CreatedAt)
        .order_by_asc(referral::Column::Id)
        .all(db)
        .await?;
    let now = crate::db::now();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(role) = role::Entity::find_by_id(r.role_id).one(db).await? else {
            continue;
        };
        let organisation = organisation::Entity::find_by_id(role.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let hub = match r.from_hub_id {
            Some(id) => hub::Entity::find_by_id(id).one(db).await?.map(|h| h.name),
            None => None,
        }
        .unwrap_or_else(|| "A community hub".to_owned());
        let sessions = role_session::Entity::find()
            .filter(role_session::Column::RoleId.eq(role.id))
            .filter(role_session::Column::EndsAt.gt(now))
            .order_by_asc(role_session::Column::StartsAt)
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    format!(
                        "{} to {}",
                        london_time::date_time(s.starts_at),
                        london_time::clock(london_time::to_london(s.ends_at))
                    ),
                )
            })
            .collect();
        out.push(PendingReferral {
            id: r.id,
            role_id: role.id,
            role_title: role.title,
            organisation,
            hub,
            note: r.note,
            referred_on: london_time::date(r.created_at),
            sessions,
        });
    }
    Ok(out)
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> Result<referral::Model, AppError> {
    referral::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("referral"))
}

fn already_answered() -> applications::Error {
    applications::Error::Failed(field("referral", "You have already answered this referral"))
}

/// The volunteer accepts: they apply for the role (the normal rules: open, age, sessions,
/// room) unless they already have, and the referral is marked accepted, all at once.
pub async fn accept(
    db: &DatabaseConnection,
    base_url: &str,
    referral_id: i32,
    actor_user_id: i32,
    session_ids: &[i32],
) -> Result<referral::Model, applications::Error> {
    let txn = crate::db::begin(db).await.map_err(AppError::from)?;
    let r = find(&txn, referral_id).await?;
    if r.status != PENDING {
        return Err(already_answered());
    }
    let earlier = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(r.volunteer_id))
        .filter(application::Column::RoleId.eq(r.role_id))
        .one(&txn)
        .await
        .map_err(AppError::from)?;
    if earlier.as_ref().is_none_or(|a| a.status == "withdrawn") {
        let applied = applications::apply(
            &txn,
            base_url,
            r.volunteer_id,
            r.role_id,
            "",
            session_ids,
            actor_user_id,
            false,
        )
        .await?;
        // The history says how the application came about.
        let hub_name = match r.from_hub_id {
            Some(id) => hub::Entity::find_by_id(id)
                .one(&txn)
                .await
                .map_err(AppError::from)?
                .map(|h| h.name),
            None => None,
        }
        .unwrap_or_else(|| "a hub".to_owned());
        if let Some(event) = application_event::Entity::find()
            .filter(application_event::Column::ApplicationId.eq(applied.application_id))
            .order_by_desc(application_event::Column::Id)
            .one(&txn)
            .await
            .map_err(AppError::from)?
        {
            let mut event: application_event::ActiveModel = event.into();
            event.note = Set(format!("Applied (referred by {hub_name})"));
            event.update(&txn).await.map_err(AppError::from)?;
        }
    }
    let r = answer(&txn, r, ACCEPTED).await?;
    txn.commit().await.map_err(AppError::from)?;
    Ok(r)
}

pub async fn decline(
    db: &DatabaseConnection,
    referral_id: i32,
) -> Result<referral::Model, applications::Error> {
    let txn = crate::db::begin(db).await.map_err(AppError::from)?;
    let r = find(&txn, referral_id).await?;
    if r.status != PENDING {
        return Err(already_answered());
    }
    let r = answer(&txn, r, DECLINED).await?;
    txn.commit().await.map_err(AppError::from)?;
    Ok(r)
}

async fn answer<C: ConnectionTrait>(
    db: &C,
    r: referral::Model,
    status: &str,
) -> Result<referral::Model, AppError> {
    let mut row: referral::ActiveModel = r.into();
    row.status = Set(status.to_owned());
    row.decided_at = Set(Some(crate::db::now()));
    Ok(row.update(db).await?)
}

/// The open roles a coordinator may refer to, named with their organisation.
pub async fn open_role_choices<C: ConnectionTrait>(db: &C) -> Result<Vec<(i32, String)>, DbErr> {
    let rows = role::Entity::find()
        .filter(roles::is_open(crate::db::now()))
        .order_by_asc(role::Column::Title)
        .order_by_asc(role::Column::Id)
        .find_also_related(organisation::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(r, o)| {
            let org = o.map(|o| o.name).unwrap_or_default();
            (r.id, format!("{} – {org}", r.title))
        })
        .collect())
}
