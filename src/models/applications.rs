//! Applications: applying, withdrawing, the organisation's decisions, the waitlist rule
//! (a freed place goes to the longest-waiting volunteer), history, and their pages' views.
//! A role is never over-filled: every change that can take a place locks the role first.
use std::collections::HashMap;
use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
    SqlErr, TransactionSession, TransactionTrait,
};
use time::OffsetDateTime;

use crate::domain::applications::{self as rules, Move, Party, Status};
use crate::domain::london_time;
use crate::email;
use crate::entities::{
    application, application_event, application_session, organisation, role, role_session, skill,
    user, volunteer_profile, volunteer_skill,
};
use crate::error::AppError;
use crate::models::{audit, roles, staff};

/// The longest message a volunteer or organisation may write.
pub const MAX_MESSAGE: usize = 1000;

/// Why an application change was refused; each becomes a clear 4xx, never a 500.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    /// The form field the message belongs to.
    pub field: &'static str,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// Bad input (400).
    Invalid,
    /// The volunteer may not apply for this role (403).
    NotEligible,
    /// The role or application is not in a state that allows it (409).
    Conflict,
    /// Every place is taken; the volunteer may join the waitlist, the organisation may
    /// waitlist them (409).
    Full,
}

impl Refusal {
    fn new(kind: RefusalKind, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            field,
            message: message.into(),
        }
    }

    pub fn status(&self) -> u16 {
        match self.kind {
            RefusalKind::Invalid => 400,
            RefusalKind::NotEligible => 403,
            RefusalKind::Conflict | RefusalKind::Full => 409,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", .0.message)]
    Refused(Refusal),
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<DbErr> for Error {
    fn from(e: DbErr) -> Self {
        Self::Failed(AppError::Database(e))
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// For callers that only need a response: a refusal becomes a 400 naming the field.
impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Refused(r) => AppError::field(r.field, r.message),
            Error::Failed(e) => e,
        }
    }
}

fn conflict(field: &'static str, message: impl Into<String>) -> Error {
    Error::Refused(Refusal::new(RefusalKind::Conflict, field, message))
}

/// SQLite answers "database is locked" when its busy timeout runs out under heavy
/// write load; the whole transaction is then safe to run again.
fn is_busy(e: &Error) -> bool {
    match e {
        Error::Failed(AppError::Database(db)) => {
            let text = db.to_string();
            text.contains("database is locked") || text.contains("database is busy")
        }
        _ => false,
    }
}

/// Whether to run a busy transaction again (up to 10 times), after a short pause.
async fn retry_after(e: &Error, tries: &mut u64) -> bool {
    if !is_busy(e) || *tries >= 10 {
        return false;
    }
    *tries += 1;
    tracing::warn!(tries = *tries, "database busy: retrying the transaction");
    tokio::time::sleep(Duration::from_millis(20 * *tries)).await;
    true
}

/// Takes the role's write lock: the first statement of any transaction that may take
/// or free a place. On PostgreSQL the row lock makes accepts of one role take turns;
/// on SQLite the first write takes the database's write lock, so counts read after it
/// cannot be stale.
async fn lock_role<C: ConnectionTrait>(txn: &C, role_id: i32) -> Result<(), Error> {
    let done = role::Entity::update_many()
        .col_expr(role::Column::UpdatedAt, Expr::value(crate::db::now()))
        .filter(role::Column::Id.eq(role_id))
        .exec(txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound("role").into());
    }
    Ok(())
}

/// Queues an email in the change's transaction.
async fn queue<C: ConnectionTrait>(
    txn: &C,
    base_url: &str,
    kind: &str,
    message: &email::Draft,
) -> Result<(), Error> {
    match email::send_draft(txn, base_url, kind, message).await {
        Ok(_) => Ok(()),
        Err(email::EnqueueError::Database(e)) => Err(e.into()),
        // An address that cannot be mailed (e.g. an erased account) must not undo
        // the volunteer's change: note it and carry on.
        Err(e) => {
            tracing::warn!(error = %e, kind, "email not queued");
            Ok(())
        }
    }
}

fn first_name(display_name: &str) -> &str {
    crate::models::sign_up::first_name(display_name)
}

/// Who the organisation's emails about a role go to: the role's contact, else its staff.
async fn organisation_addresses<C: ConnectionTrait>(
    txn: &C,
    role: &role::Model,
) -> Result<Vec<String>, DbErr> {
    if let Some(contact) = role
        .contact_email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        return Ok(vec![contact.to_owned()]);
    }
    Ok(staff::list(txn, role.organisation_id)
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect())
}

/// The volunteer's account behind a profile.
async fn volunteer_user<C: ConnectionTrait>(
    txn: &C,
    volunteer_profile_id: i32,
) -> Result<(volunteer_profile::Model, user::Model), Error> {
    let (profile, person) = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("volunteer"))?;
    let person = person.ok_or(AppError::NotFound("volunteer"))?;
    Ok((profile, person))
}

async fn organisation_name<C: ConnectionTrait>(txn: &C, id: i32) -> Result<String, DbErr> {
    Ok(organisation::Entity::find_by_id(id)
        .one(txn)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

async fn record_event<C: ConnectionTrait>(
    txn: &C,
    application_id: i32,
    from: Option<Status>,
    to: Status,
    actor_user_id: Option<i32>,
    note: &str,
) -> Result<(), DbErr> {
    application_event::ActiveModel {
        application_id: Set(application_id),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        actor_user_id: Set(actor_user_id),
        note: Set(note.to_owned()),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// What `apply` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    pub application_id: i32,
    /// `Applied`, or `Waitlisted` when the role was full and the volunteer agreed to wait.
    pub status: Status,
}

/// A volunteer applies for a role: checks the role is open, their age, that they have
/// not applied already (a withdrawn application is re-opened), the sessions they chose
/// (at least one when the role has upcoming sessions), and room: when every place is
/// taken they go on the waitlist if `join_waitlist`, else are refused with that offer.
/// Writes the application, its sessions and history and queues the emails to the
/// volunteer and organisation in one transaction (a savepoint when `db` is already one).
#[allow(clippy::too_many_arguments)]
pub async fn apply<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    base_url: &str,
    volunteer_profile_id: i32,
    role_id: i32,
    message: &str,
    session_ids: &[i32],
    actor_user_id: i32,
    join_waitlist: bool,
) -> Result<Applied, Error> {
    let message = message.trim();
    if message.chars().count() > MAX_MESSAGE {
        return Err(Refusal::new(
            RefusalKind::Invalid,
            "message",
            format!("Your message must be {MAX_MESSAGE} characters or fewer"),
        )
        .into());
    }
    let mut tries = 0;
    loop {
        let result: Result<Applied, Error> = async {
            let txn = crate::db::begin(db).await?;
            let applied = apply_in(
                &txn,
                base_url,
                volunteer_profile_id,
                role_id,
                message,
                session_ids,
                actor_user_id,
                join_waitlist,
            )
            .await?;
            txn.commit().await?;
            Ok(applied)
        }
        .await;
        match result {
            Err(e) if retry_after(&e, &mut tries).await => continue,
            other => return other,
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn apply_in<C: ConnectionTrait>(
    txn: &C,
    base_url: &str,
    volunteer_profile_id: i32,
    role_id: i32,
    message: &str,
    session_ids: &[i32],
    actor_user_id: i32,
    join_waitlist: bool,
) -> Result<Applied, Error> {
    let now = crate::db::now();
    let role = role::Entity::find_by_id(role_id)
        .filter(role::Column::Status.ne("draft"))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    if role.status != roles::OPEN {
        return Err(conflict(
            "role",
            "This role is closed: it is not taking applications",
        ));
    }
    if let Some(closes) = role.closes_at
        && closes <= now
    {
        return Err(conflict(
            "role",
            format!(
                "This role closed to applications on {}",
                london_time::date(closes)
            ),
        ));
    }
    let (profile, person) = volunteer_user(txn, volunteer_profile_id).await?;
    let today = london_time::to_london(now).date();
    let age = crate::models::sign_up::age_on(profile.date_of_birth, today);
    rules::old_enough(age, role.min_age, role.youth_friendly).map_err(|e| {
        Error::Refused(Refusal::new(
            RefusalKind::NotEligible,
            "role",
            e.to_string(),
        ))
    })?;

    let earlier = application::Entity::find()
        .filter(application::Column::RoleId.eq(role.id))
        .filter(application::Column::VolunteerId.eq(profile.id))
        .one(txn)
        .await?;
    let from = match &earlier {
        Some(a) => Some(parse_status(&a.status)?),
        None => None,
    };
    // The state machine is asked first so "applied twice" wins over "full".
    rules::next(from, Move::Apply { waitlist: false }, Party::Volunteer)
        .map_err(|e| conflict("role", e.to_string()))?;

    let upcoming = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(role.id))
        .filter(role_session::Column::EndsAt.gt(now))
        .all(txn)
        .await?;
    let mut chosen: Vec<i32> = session_ids.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen
        .iter()
        .any(|id| !upcoming.iter().any(|s| s.id == *id))
    {
        return Err(Refusal::new(
            RefusalKind::Invalid,
            "sessions",
            "Choose from this role's upcoming sessions",
        )
        .into());
    }
    if chosen.is_empty() && !upcoming.is_empty() {
        return Err(Refusal::new(
            RefusalKind::Invalid,
            "sessions",
            "Choose at least one session you can come to",
        )
        .into());
    }

    let full = accepted_count(txn, role.id, None).await? >= u64::try_from(role.places).unwrap_or(0);
    if full && !join_waitlist {
        return Err(Refusal::new(
            RefusalKind::Full,
            "role",
            format!(
                "All {} places on this role are taken. You can join the waitlist: \
                 if a place comes up it will be offered to you",
                role.places
            ),
        )
        .into());
    }
    let to = rules::next(from, Move::Apply { waitlist: full }, Party::Volunteer)
        .map_err(|e| conflict("role", e.to_string()))?;

    let application = match earlier {
        Some(a) => {
            let mut row: application::ActiveModel = a.into();
            row.status = Set(to.as_str().to_owned());
            row.message = Set(message.to_owned());
            row.updated_at = Set(now);
            row.decided_at = Set(None);
            let a = row.update(txn).await?;
            application_session::Entity::delete_many()
                .filter(application_session::Column::ApplicationId.eq(a.id))
                .exec(txn)
                .await?;
            a
        }
        None => {
            let inserted = application::ActiveModel {
                role_id: Set(role.id),
                volunteer_id: Set(profile.id),
                status: Set(to.as_str().to_owned()),
                message: Set(message.to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                decided_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await;
            match inserted {
                Ok(a) => a,
                // Two applications racing each other: the second is "applied twice".
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(conflict(
                        "role",
                        rules::NotAllowed::AlreadyApplied.to_string(),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    for session_id in &chosen {
        application_session::ActiveModel {
            application_id: Set(application.id),
            session_id: Set(*session_id),
        }
        .insert(txn)
        .await?;
    }
    let note = if from == Some(Status::Withdrawn) {
        "Applied again"
    } else {
        ""
    };
    record_event(txn, application.id, from, to, Some(actor_user_id), note).await?;

    let org_name = organisation_name(txn, role.organisation_id).await?;
    let link = format!("{base_url}/applications/{}", application.id);
    let greeting = format!("Hello {},", first_name(&person.display_name));
    let what = match to {
        Status::Waitlisted => format!(
            "All the places on {} at {org_name} are taken, so you are on the waitlist. \
             If a place comes up, it will be offered to you and we will email you.",
            role.title
        ),
        _ => format!(
            "We have passed your application for {} to {org_name}. They will look at it \
             and we will email you when they decide.",
            role.title
        ),
    };
    queue(
        txn,
        base_url,
        "email.application_received",
        &email::draft(
            &person.email,
            &format!("Application received: {}", role.title),
            &[&greeting, &what],
            Some(("See your application", &link)),
        ),
    )
    .await?;
    let org_line = format!(
        "{} has applied for {}{}.",
        person.display_name,
        role.title,
        if to == Status::Waitlisted {
            " and is on the waitlist, as every place is taken"
        } else {
            ""
        }
    );
    for to_address in organisation_addresses(txn, &role).await? {
        queue(
            txn,
            base_url,
            "email.application_new",
            &email::draft(
                &to_address,
                &format!("New application: {}", role.title),
                &[&org_line],
                Some(("Review the application", &link)),
            ),
        )
        .await?;
    }
    Ok(Applied {
        application_id: application.id,
        status: to,
    })
}

fn parse_status(raw: &str) -> Result<Status, Error> {
    Status::parse(raw)
        .ok_or_else(|| AppError::Internal(format!("unknown application status {raw}")).into())
}

/// Accepted applications of a role, leaving out one (the one being decided).
async fn accepted_count<C: ConnectionTrait>(
    txn: &C,
    role_id: i32,
    except: Option<i32>,
) -> Result<u64, DbErr> {
    let mut q = application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::Status.eq(Status::Accepted.as_str()));
    if let Some(id) = except {
        q = q.filter(application::Column::Id.ne(id));
    }
    q.count(txn).await
}

/// Accepted applications that chose a session, leaving out one.
async fn accepted_for_session<C: ConnectionTrait>(
    txn: &C,
    session_id: i32,
    except: i32,
) -> Result<u64, DbErr> {
    application_session::Entity::find()
        .join(
            JoinType::InnerJoin,
            application_session::Relation::Application.def(),
        )
        .filter(application_session::Column::SessionId.eq(session_id))
        .filter(application::Column::Status.eq(Status::Accepted.as_str()))
        .filter(application::Column::Id.ne(except))
        .count(txn)
        .await
}

/// Whether accepting `application` keeps within the role's places and the places of
/// every session it chose that has its own. Call with the role locked.
async fn check_room<C: ConnectionTrait>(
    txn: &C,
    role: &role::Model,
    application_id: i32,
) -> Result<(), Error> {
    let accepted = accepted_count(txn, role.id, Some(application_id)).await?;
    if accepted >= u64::try_from(role.places).unwrap_or(0) {
        return Err(Refusal::new(
            RefusalKind::Full,
            "decision",
            format!(
                "All {} places on this role are taken. You can put this volunteer on the \
                 waitlist instead: they will be offered the next place that comes up",
                role.places
            ),
        )
        .into());
    }
    let sessions = role_session::Entity::find()
        .join(
            JoinType::InnerJoin,
            role_session::Relation::ApplicationSession.def(),
        )
        .filter(application_session::Column::ApplicationId.eq(application_id))
        .all(txn)
        .await?;
    for s in sessions {
        if let Some(places) = s.places
            && accepted_for_session(txn, s.id, application_id).await?
                >= u64::try_from(places).unwrap_or(0)
        {
            let label = session_label(&s);
            return Err(Refusal::new(
                RefusalKind::Full,
                "decision",
                format!(
                    "All {places} places at the session on {label} are taken. You can put \
                     this volunteer on the waitlist instead"
                ),
            )
            .into());
        }
    }
    Ok(())
}

fn session_label(s: &role_session::Model) -> String {
    roles::Session {
        id: s.id,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        places: s.places,
    }
    .label()
}

/// What a status change did, for the page's notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changed {
    pub from: Status,
    pub to: Status,
    /// The application given a freed place, if one was.
    pub promoted: Option<i32>,
}

/// The organisation's decision on an application (`Move::Accept`, `Decline` or
/// `Waitlist`), with an optional message to the volunteer. The caller has checked
/// `DecideApplications` for the role's organisation.
pub async fn decide(
    db: &DatabaseConnection,
    base_url: &str,
    application_id: i32,
    decision: Move,
    actor_user_id: i32,
    message: &str,
    ip: Option<String>,
) -> Result<Changed, Error> {
    let message = message.trim();
    if message.chars().count() > MAX_MESSAGE {
        return Err(Refusal::new(
            RefusalKind::Invalid,
            "message",
            format!("The message must be {MAX_MESSAGE} characters or fewer"),
        )
        .into());
    }
    change(
        db,
        base_url,
        application_id,
        decision,
        Party::Organisation,
        actor_user_id,
        message,
        ip,
    )
    .await
}

/// The volunteer withdraws. The caller has checked `ActAsVolunteer` for its volunteer.
pub async fn withdraw(
    db: &DatabaseConnection,
    base_url: &str,
    application_id: i32,
    actor_user_id: i32,
) -> Result<Changed, Error> {
    change(
        db,
        base_url,
        application_id,
        Move::Withdraw,
        Party::Volunteer,
        actor_user_id,
        "",
        None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn change(
    db: &DatabaseConnection,
    base_url: &str,
    application_id: i32,
    mv: Move,
    party: Party,
    actor_user_id: i32,
    note: &str,
    ip: Option<String>,
) -> Result<Changed, Error> {
    // The role never changes, so it can be read before the transaction; the lock
    // must be the transaction's first statement (see `lock_role`).
    let role_id = application::Entity::find_by_id(application_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("application"))?
        .role_id;
    let mut tries = 0;
    loop {
        let result: Result<Changed, Error> = async {
            let txn = crate::db::begin(db).await?;
            lock_role(&txn, role_id).await?;
            let changed = change_in(
                &txn,
                base_url,
                application_id,
                mv,
                party,
                actor_user_id,
                note,
                ip.clone(),
            )
            .await?;
            txn.commit().await?;
            Ok(changed)
        }
        .await;
        match result {
            Err(e) if retry_after(&e, &mut tries).await => continue,
            other => return other,
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn change_in<C: ConnectionTrait>(
    txn: &C,
    base_url: &str,
    application_id: i32,
    mv: Move,
    party: Party,
    actor_user_id: i32,
    note: &str,
    ip: Option<String>,
) -> Result<Changed, Error> {
    let now = crate::db::now();
    let app = application::Entity::find_by_id(application_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("application"))?;
    let role = role::Entity::find_by_id(app.role_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    let from = parse_status(&app.status)?;
    let to = rules::next(Some(from), mv, party).map_err(|e| conflict("decision", e.to_string()))?;
    if to == Status::Accepted {
        check_room(txn, &role, app.id).await?;
    }
    let mut row: application::ActiveModel = app.clone().into();
    row.status = Set(to.as_str().to_owned());
    row.updated_at = Set(now);
    if party == Party::Organisation {
        row.decided_at = Set(Some(now));
    }
    row.update(txn).await?;
    record_event(txn, app.id, Some(from), to, Some(actor_user_id), note).await?;
    if party == Party::Organisation {
        audit::record(
            txn,
            audit::Entry {
                actor_user_id: Some(actor_user_id),
                action: match to {
                    Status::Accepted => "application.accept",
                    Status::Declined => "application.decline",
                    _ => "application.waitlist",
                },
                subject_type: "application",
                subject_id: Some(app.id),
                detail: serde_json::json!({
                    "role_id": role.id,
                    "from": from.as_str(),
                    "to": to.as_str(),
                }),
                ip,
            },
        )
        .await?;
    }

    let (_, person) = volunteer_user(txn, app.volunteer_id).await?;
    let org_name = organisation_name(txn, role.organisation_id).await?;
    let link = format!("{base_url}/applications/{}", app.id);
    let greeting = format!("Hello {},", first_name(&person.display_name));
    let (subject, body) = match to {
        Status::Accepted => (
            format!("You have a place: {}", role.title),
            format!(
                "{org_name} has accepted your application for {}. They will be in touch \
                 about what happens next.",
                role.title
            ),
        ),
        Status::Declined => (
            format!("Your application for {}", role.title),
            format!(
                "{org_name} is not able to offer you a place on {} this time. Thank you \
                 for applying: there are many other roles you can apply for.",
                role.title
            ),
        ),
        Status::Waitlisted => (
            format!("You are on the waitlist: {}", role.title),
            format!(
                "{org_name} has put you on the waitlist for {}. If a place comes up, it \
                 will be offered to you and we will email you.",
                role.title
            ),
        ),
        _ => (
            format!("You have withdrawn: {}", role.title),
            format!(
                "You have withdrawn your application for {} at {org_name}. We have told \
                 the organisation.",
                role.title
            ),
        ),
    };
    let personal_note = (!note.is_empty()).then(|| format!("A message from {org_name}: {note}"));
    let mut paragraphs: Vec<&str> = vec![&greeting, &body];
    if let Some(n) = &personal_note {
        paragraphs.push(n);
    }
    queue(
        txn,
        base_url,
        &format!("email.application_{}", to.as_str()),
        &email::draft(
            &person.email,
            &subject,
            &paragraphs,
            Some(("See your application", &link)),
        ),
    )
    .await?;
    if to == Status::Withdrawn {
        let line = format!(
            "{} has withdrawn their application for {}.",
            person.display_name, role.title
        );
        for address in organisation_addresses(txn, &role).await? {
            queue(
                txn,
                base_url,
                "email.application_withdrawn_notice",
                &email::draft(
                    &address,
                    &format!("Application withdrawn: {}", role.title),
                    &[&line],
                    Some(("See the application", &link)),
                ),
            )
            .await?;
        }
    }

    let promoted = if rules::frees_place(from, to) {
        offer_freed_place(txn, base_url, &role, app.id).await?
    } else {
        None
    };
    Ok(Changed { from, to, promoted })
}

/// A place came free: the longest-waiting volunteer whose sessions have room is given
/// it, with an event and an email. Call with the role locked.
async fn offer_freed_place<C: ConnectionTrait>(
    txn: &C,
    base_url: &str,
    role: &role::Model,
    freed_by: i32,
) -> Result<Option<i32>, Error> {
    let waiting = application::Entity::find()
        .filter(application::Column::RoleId.eq(role.id))
        .filter(application::Column::Status.eq(Status::Waitlisted.as_str()))
        .filter(application::Column::Id.ne(freed_by))
        .order_by_asc(application::Column::UpdatedAt)
        .order_by_asc(application::Column::Id)
        .all(txn)
        .await?;
    for candidate in waiting {
        match check_room(txn, role, candidate.id).await {
            Ok(()) => {}
            Err(Error::Refused(_)) => continue,
            Err(e) => return Err(e),
        }
        let to = rules::next(
            Some(Status::Waitlisted),
            Move::OfferFreedPlace,
            Party::System,
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let now = crate::db::now();
        let mut row: application::ActiveModel = candidate.clone().into();
        row.status = Set(to.as_str().to_owned());
        row.updated_at = Set(now);
        row.decided_at = Set(Some(now));
        row.update(txn).await?;
        record_event(
            txn,
            candidate.id,
            Some(Status::Waitlisted),
            to,
            None,
            OFFERED_FREED_PLACE,
        )
        .await?;
        let (_, person) = volunteer_user(txn, candidate.volunteer_id).await?;
        let org_name = organisation_name(txn, role.organisation_id).await?;
        let link = format!("{base_url}/applications/{}", candidate.id);
        let greeting = format!("Hello {},", first_name(&person.display_name));
        let body = format!(
            "A place has come up on {} at {org_name}, and as you were first on the \
             waitlist it is yours: you're in.",
            role.title
        );
        let withdraw = "If you can no longer come, please withdraw so the place can go \
                        to someone else.";
        queue(
            txn,
            base_url,
            "email.application_place_offered",
            &email::draft(
                &person.email,
                &format!("A place has come up: you're in – {}", role.title),
                &[&greeting, &body, withdraw],
                Some(("See your application", &link)),
            ),
        )
        .await?;
        return Ok(Some(candidate.id));
    }
    Ok(None)
}

/// The note on the event of a waitlisted volunteer given a freed place.
pub const OFFERED_FREED_PLACE: &str = "Offered a freed place";

/// An application's role and volunteer ids: what permission checks need.
pub async fn facts<C: ConnectionTrait>(
    db: &C,
    application_id: i32,
) -> Result<(application::Model, role::Model), AppError> {
    application::Entity::find_by_id(application_id)
        .find_also_related(role::Entity)
        .one(db)
        .await?
        .and_then(|(a, r)| r.map(|r| (a, r)))
        .ok_or(AppError::NotFound("application"))
}

/// One entry of an application's history.
#[derive(Clone, Debug)]
pub struct HistoryEntry {
    /// In London time.
    pub when: String,
    pub from: Option<Status>,
    pub to: Status,
    /// Who did it: a name, or "hubmatch" for the waitlist rule.
    pub by: String,
    pub note: String,
}

/// An application as its pages show it.
#[derive(Clone, Debug)]
pub struct ApplicationView {
    pub id: i32,
    pub status: Status,
    pub message: String,
    pub applied_on: String,
    pub role_id: i32,
    pub role_title: String,
    pub role_places: i32,
    pub accepted: u64,
    pub organisation_id: i32,
    pub organisation_name: String,
    pub volunteer_profile_id: i32,
    pub volunteer_name: String,
    pub volunteer_email: String,
    /// "Teamwork (step 6)".
    pub volunteer_skills: Vec<String>,
    pub sessions: Vec<roles::Session>,
    pub history: Vec<HistoryEntry>,
}

pub async fn view(
    db: &DatabaseConnection,
    application_id: i32,
) -> Result<ApplicationView, AppError> {
    let (app, role) = facts(db, application_id).await?;
    let (_, person) = volunteer_user(db, app.volunteer_id).await?;
    let status = parse_status(&app.status)?;
    let skills = volunteer_skill::Entity::find()
        .filter(volunteer_skill::Column::VolunteerId.eq(app.volunteer_id))
        .find_also_related(skill::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(vs, s)| s.map(|s| format!("{} (step {})", s.name, vs.level)))
        .collect();
    let sessions = role_session::Entity::find()
        .join(
            JoinType::InnerJoin,
            role_session::Relation::ApplicationSession.def(),
        )
        .filter(application_session::Column::ApplicationId.eq(app.id))
        .order_by_asc(role_session::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| roles::Session {
            id: s.id,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            places: s.places,
        })
        .collect();
    let events = application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(app.id))
        .find_also_related(user::Entity)
        .order_by_asc(application_event::Column::CreatedAt)
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?;
    let history = events
        .into_iter()
        .map(|(e, who)| HistoryEntry {
            when: london_time::date_time(e.created_at),
            from: e.from_status.as_deref().and_then(Status::parse),
            to: Status::parse(&e.to_status).unwrap_or(Status::Applied),
            by: who.map_or_else(|| "hubmatch".to_owned(), |u| u.display_name),
            note: e.note,
        })
        .collect();
    Ok(ApplicationView {
        id: app.id,
        status,
        message: app.message,
        applied_on: london_time::date(app.created_at),
        role_id: role.id,
        role_title: role.title,
        role_places: role.places,
        accepted: accepted_count(db, role.id, None).await?,
        organisation_name: organisation_name(db, role.organisation_id).await?,
        organisation_id: role.organisation_id,
        volunteer_profile_id: app.volunteer_id,
        volunteer_name: person.display_name,
        volunteer_email: person.email,
        volunteer_skills: skills,
        sessions,
        history,
    })
}

/// One application in the organisation's list.
#[derive(Clone, Debug)]
pub struct ApplicationRow {
    pub id: i32,
    pub volunteer_name: String,
    pub status: Status,
    pub applied_on: String,
}

/// One role's applications in the organisation's list.
#[derive(Clone, Debug)]
pub struct RoleApplications {
    pub role_id: i32,
    pub title: String,
    pub places: i32,
    pub accepted: u64,
    pub applications: Vec<ApplicationRow>,
}

/// An organisation's applications grouped by role (open roles first, then by title),
/// narrowed to one status when asked; waiting ones first within a role, oldest first.
pub async fn for_organisation(
    db: &DatabaseConnection,
    organisation_id: i32,
    only: Option<Status>,
) -> Result<Vec<RoleApplications>, DbErr> {
    let mut role_rows = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(role::Column::Title)
        .all(db)
        .await?;
    role_rows.sort_by_key(|r| r.status != roles::OPEN);
    let role_ids: Vec<i32> = role_rows.iter().map(|r| r.id).collect();
    let mut q = application::Entity::find()
        .filter(application::Column::RoleId.is_in(role_ids))
        .find_also_related(volunteer_profile::Entity)
        .order_by_asc(application::Column::CreatedAt)
        .order_by_asc(application::Column::Id);
    if let Some(s) = only {
        q = q.filter(application::Column::Status.eq(s.as_str()));
    }
    let rows = q.all(db).await?;
    let user_ids: Vec<i32> = rows
        .iter()
        .filter_map(|(_, p)| p.as_ref().map(|p| p.user_id))
        .collect();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut by_role: HashMap<i32, Vec<ApplicationRow>> = HashMap::new();
    let mut accepted: HashMap<i32, u64> = HashMap::new();
    for (a, p) in rows {
        let status = Status::parse(&a.status).unwrap_or(Status::Applied);
        if status == Status::Accepted {
            *accepted.entry(a.role_id).or_default() += 1;
        }
        by_role.entry(a.role_id).or_default().push(ApplicationRow {
            id: a.id,
            volunteer_name: p
                .and_then(|p| names.get(&p.user_id).cloned())
                .unwrap_or_default(),
            status,
            applied_on: london_time::date(a.created_at),
        });
    }
    let mut out = Vec::new();
    for r in role_rows {
        let Some(mut applications) = by_role.remove(&r.id) else {
            continue;
        };
        let waiting = |s: Status| !matches!(s, Status::Applied | Status::Waitlisted);
        applications.sort_by_key(|a| waiting(a.status));
        let accepted = if only.is_none() || only == Some(Status::Accepted) {
            accepted.get(&r.id).copied().unwrap_or(0)
        } else {
            accepted_count(db, r.id, None).await?
        };
        out.push(RoleApplications {
            role_id: r.id,
            title: r.title,
            places: r.places,
            accepted,
            applications,
        });
    }
    Ok(out)
}

/// The volunteer's application for a role, if any (for the role page).
pub async fn of_volunteer_for_role<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
    role_id: i32,
) -> Result<Option<application::Model>, DbErr> {
    application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::VolunteerId.eq(volunteer_profile_id))
        .one(db)
        .await
}

/// Places taken on a role (accepted applications).
pub async fn places_taken<C: ConnectionTrait>(db: &C, role_id: i32) -> Result<u64, DbErr> {
    accepted_count(db, role_id, None).await
}

/// A session of a role, with whether it still has room (for the apply form).
pub struct SessionChoice {
    pub session: roles::Session,
    pub full: bool,
}

/// The role's upcoming sessions, soonest first, each marked full when its own places
/// are all taken.
pub async fn session_choices<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
    now: OffsetDateTime,
) -> Result<Vec<SessionChoice>, DbErr> {
    let sessions = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(role_id))
        .filter(role_session::Column::EndsAt.gt(now))
        .order_by_asc(role_session::Column::StartsAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(sessions.len());
    for s in sessions {
        let full = match s.places {
            Some(p) => accepted_for_session(db, s.id, 0).await? >= u64::try_from(p).unwrap_or(0),
            None => false,
        };
        out.push(SessionChoice {
            session: roles::Session {
                id: s.id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                places: s.places,
            },
            full,
        });
    }
    Ok(out)
}
