//! Hours: a volunteer logs time on a role they are accepted for, the organisation
//! confirms or rejects it, confirmed totals per volunteer, role, organisation and hub,
//! and the organisation's CSV export.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::Date;

use crate::domain::applications::{self as rules, Status};
use crate::domain::london_time;
use crate::email;
use crate::entities::{application, hours_log, role, role_session, user, volunteer_profile};
use crate::error::AppError;
use crate::models::applications::{Error, MAX_MESSAGE, Refusal, RefusalKind};
use crate::models::{roles, staff};

pub const CLAIMED: &str = "claimed";
pub const CONFIRMED: &str = "confirmed";
pub const REJECTED: &str = "rejected";

fn refuse(kind: RefusalKind, field: &'static str, message: impl Into<String>) -> Error {
    Error::Refused(Refusal {
        kind,
        field,
        message: message.into(),
    })
}

/// What the volunteer typed, already read into values.
#[derive(Clone, Debug)]
pub struct HoursClaim {
    pub worked_on: Date,
    pub minutes: i32,
    pub session_id: Option<i32>,
    pub note: String,
}

/// Logs hours on an accepted application (the caller has checked `ActAsVolunteer`):
/// not in the future, not before the application, 1 minute to 24 hours, a session of
/// the role if one is named. Queues "hours to confirm" to the organisation.
pub async fn log(
    db: &DatabaseConnection,
    base_url: &str,
    application_id: i32,
    claim: &HoursClaim,
) -> Result<i32, Error> {
    let txn = crate::db::begin(db).await?;
    let (app, role) = crate::models::applications::facts(&txn, application_id).await?;
    if Status::parse(&app.status) != Some(Status::Accepted) {
        return Err(refuse(
            RefusalKind::Conflict,
            "worked_on",
            "You can log hours only on a role you have been accepted for",
        ));
    }
    let today = london_time::to_london(crate::db::now()).date();
    if claim.worked_on > today {
        return Err(refuse(
            RefusalKind::Invalid,
            "worked_on",
            "The date you volunteered must be today or in the past",
        ));
    }
    let applied_on = london_time::to_london(app.created_at).date();
    if claim.worked_on < applied_on {
        return Err(refuse(
            RefusalKind::Invalid,
            "worked_on",
            format!(
                "The date you volunteered must be on or after the day you applied, {}",
                london_time::long_date(applied_on)
            ),
        ));
    }
    if !(1..=rules::MAX_MINUTES).contains(&claim.minutes) {
        return Err(refuse(
            RefusalKind::Invalid,
            "hours",
            "Enter a time between 1 minute and 24 hours",
        ));
    }
    if claim.note.chars().count() > MAX_MESSAGE {
        return Err(refuse(
            RefusalKind::Invalid,
            "note",
            format!("The note must be {MAX_MESSAGE} characters or fewer"),
        ));
    }
    if let Some(session_id) = claim.session_id {
        let belongs = role_session::Entity::find_by_id(session_id)
            .filter(role_session::Column::RoleId.eq(role.id))
            .one(&txn)
            .await?
            .is_some();
        if !belongs {
            return Err(refuse(
                RefusalKind::Invalid,
                "session",
                "Choose one of this role's sessions, or none",
            ));
        }
    }
    let row = hours_log::ActiveModel {
        volunteer_id: Set(app.volunteer_id),
        role_id: Set(role.id),
        session_id: Set(claim.session_id),
        worked_on: Set(claim.worked_on),
        minutes: Set(claim.minutes),
        status: Set(CLAIMED.to_owned()),
        note: Set(claim.note.trim().to_owned()),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let volunteer = volunteer_name(&txn, app.volunteer_id).await?;
    let line = format!(
        "{volunteer} has logged {} on {} for {}. Please confirm or reject them.",
        rules::duration_words(i64::from(claim.minutes)),
        role.title,
        london_time::long_date(claim.worked_on),
    );
    let link = format!("{base_url}/organisations/{}/hours", role.organisation_id);
    let to = match role
        .contact_email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        Some(contact) => vec![contact.to_owned()],
        None => staff::list(&txn, role.organisation_id)
            .await?
            .into_iter()
            .map(|m| m.email)
            .collect(),
    };
    for address in to {
        queue(
            &txn,
            base_url,
            "email.hours_to_confirm",
            &email::draft(
                &address,
                &format!("Hours to confirm: {}", role.title),
                &[&line],
                Some(("Confirm hours", &link)),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(row.id)
}

async fn queue<C: ConnectionTrait>(
    txn: &C,
    base_url: &str,
    kind: &str,
    message: &email::Draft,
) -> Result<(), Error> {
    match email::send_draft(txn, base_url, kind, message).await {
        Ok(_) => Ok(()),
        Err(email::EnqueueError::Database(e)) => Err(e.into()),
        Err(e) => {
            tracing::warn!(error = %e, kind, "email not queued");
            Ok(())
        }
    }
}

async fn volunteer_name<C: ConnectionTrait>(txn: &C, volunteer_id: i32) -> Result<String, DbErr> {
    Ok(volunteer_profile::Entity::find_by_id(volunteer_id)
        .find_also_related(user::Entity)
        .one(txn)
        .await?
        .and_then(|(_, u)| u)
        .map(|u| u.display_name)
        .unwrap_or_default())
}

/// An hours entry and its role (for permission checks).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<(hours_log::Model, role::Model), AppError> {
    hours_log::Entity::find_by_id(id)
        .find_also_related(role::Entity)
        .one(db)
        .await?
        .and_then(|(h, r)| r.map(|r| (h, r)))
        .ok_or(AppError::NotFound("hours"))
}

/// The organisation confirms (`confirm`) or rejects claimed hours, with an optional note
/// to the volunteer (the caller has checked `ReviewHours`). Emails the volunteer.
pub async fn review(
    db: &DatabaseConnection,
    base_url: &str,
    hours_id: i32,
    confirm: bool,
    reviewer_user_id: i32,
    note: &str,
) -> Result<(), Error> {
    let note = note.trim();
    if note.chars().count() > MAX_MESSAGE {
        return Err(refuse(
            RefusalKind::Invalid,
            "note",
            format!("The note must be {MAX_MESSAGE} characters or fewer"),
        ));
    }
    let txn = crate::db::begin(db).await?;
    let (entry, role) = find(&txn, hours_id).await?;
    if entry.status != CLAIMED {
        return Err(refuse(
            RefusalKind::Conflict,
            "hours",
            format!("These hours have already been {}", entry.status),
        ));
    }
    let now = crate::db::now();
    // Only a claimed row changes, so two reviewers at once cannot both act on it.
    let done = hours_log::Entity::update_many()
        .col_expr(
            hours_log::Column::Status,
            Expr::value(if confirm { CONFIRMED } else { REJECTED }),
        )
        .col_expr(hours_log::Column::ReviewedBy, Expr::value(reviewer_user_id))
        .col_expr(hours_log::Column::ReviewedAt, Expr::value(now))
        .filter(hours_log::Column::Id.eq(entry.id))
        .filter(hours_log::Column::Status.eq(CLAIMED))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(refuse(
            RefusalKind::Conflict,
            "hours",
            "These hours have already been reviewed",
        ));
    }
    if let Some((_, Some(person))) = volunteer_profile::Entity::find_by_id(entry.volunteer_id)
        .find_also_related(user::Entity)
        .one(&txn)
        .await?
    {
        let greeting = format!(
            "Hello {},",
            crate::models::sign_up::first_name(&person.display_name)
        );
        let line = format!(
            "The {} you logged on {} for {} {}.",
            rules::duration_words(i64::from(entry.minutes)),
            role.title,
            london_time::long_date(entry.worked_on),
            if confirm {
                "have been confirmed. Thank you for volunteering"
            } else {
                "have not been confirmed by the organisation"
            }
        );
        let message = (!note.is_empty()).then(|| format!("Their note: {note}"));
        let mut paragraphs: Vec<&str> = vec![&greeting, &line];
        if let Some(m) = &message {
            paragraphs.push(m);
        }
        queue(
            &txn,
            base_url,
            if confirm {
                "email.hours_confirmed"
            } else {
                "email.hours_rejected"
            },
            &email::draft(
                &person.email,
                &format!(
                    "Hours {}: {}",
                    if confirm {
                        "confirmed"
                    } else {
                        "not confirmed"
                    },
                    role.title
                ),
                &paragraphs,
                Some(("See your hours", &format!("{base_url}/roles/{}", role.id))),
            ),
        )
        .await?;
    }
    if confirm {
        // Confirmed hours may finish a pathway stage: record it (and its email) with them.
        crate::models::pathways::refresh(&txn, base_url, entry.volunteer_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Confirmed minutes matching `condition`.
async fn confirmed_minutes<C: ConnectionTrait>(db: &C, condition: Condition) -> Result<i64, DbErr> {
    let total: Option<Option<i64>> = hours_log::Entity::find()
        .select_only()
        .column_as(
            Expr::col((hours_log::Entity, hours_log::Column::Minutes)).sum(),
            "total",
        )
        .filter(hours_log::Column::Status.eq(CONFIRMED))
        .filter(condition)
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.flatten().unwrap_or(0))
}

/// Confirmed minutes of one volunteer.
pub async fn total_for_volunteer<C: ConnectionTrait>(
    db: &C,
    volunteer_id: i32,
) -> Result<i64, DbErr> {
    confirmed_minutes(
        db,
        Condition::all().add(hours_log::Column::VolunteerId.eq(volunteer_id)),
    )
    .await
}

/// Confirmed minutes on one role.
pub async fn total_for_role<C: ConnectionTrait>(db: &C, role_id: i32) -> Result<i64, DbErr> {
    confirmed_minutes(
        db,
        Condition::all().add(hours_log::Column::RoleId.eq(role_id)),
    )
    .await
}

fn roles_of_organisation(organisation_id: i32) -> Condition {
    Condition::all().add(
        hours_log::Column::RoleId.in_subquery(
            Query::select()
                .column(role::Column::Id)
                .from(role::Entity)
                .and_where(role::Column::OrganisationId.eq(organisation_id))
                .to_owned(),
        ),
    )
}

/// Confirmed minutes on an organisation's roles.
pub async fn total_for_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<i64, DbErr> {
    confirmed_minutes(db, roles_of_organisation(organisation_id)).await
}

/// Confirmed minutes on an organisation's roles worked on or after `since`.
pub async fn total_for_organisation_since<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    since: Date,
) -> Result<i64, DbErr> {
    confirmed_minutes(
        db,
        roles_of_organisation(organisation_id).add(hours_log::Column::WorkedOn.gte(since)),
    )
    .await
}

/// Confirmed minutes on a hub's roles: posted at the hub, or posted without a hub by
/// one of the hub's organisations (as the role lists count them).
pub async fn total_for_hub<C: ConnectionTrait>(db: &C, hub_id: i32) -> Result<i64, DbErr> {
    let hub_roles = Query::select()
        .column(role::Column::Id)
        .from(role::Entity)
        .cond_where(super::roles::in_hub(hub_id))
        .to_owned();
    confirmed_minutes(
        db,
        Condition::all().add(hours_log::Column::RoleId.in_subquery(hub_roles)),
    )
    .await
}

/// Hours waiting for the organisation's answer.
pub async fn claimed_count<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    hours_log::Entity::find()
        .filter(hours_log::Column::Status.eq(CLAIMED))
        .filter(roles_of_organisation(organisation_id))
        .count(db)
        .await
}

/// One hours entry as the organisation's pages and export show it.
#[derive(Clone, Debug)]
pub struct HoursRow {
    pub id: i32,
    pub worked_on: Date,
    pub volunteer_name: String,
    pub role_title: String,
    pub session: String,
    pub minutes: i32,
    pub status: String,
    pub note: String,
    pub reviewed_by: String,
    /// RFC 3339, empty when not reviewed.
    pub reviewed_at: String,
}

impl HoursRow {
    pub fn date_label(&self) -> String {
        london_time::long_date(self.worked_on)
    }

    pub fn duration(&self) -> String {
        rules::duration_words(i64::from(self.minutes))
    }
}

/// An organisation's hours, newest work first; `status` narrows to one state.
pub async fn for_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    status: Option<&str>,
) -> Result<Vec<HoursRow>, DbErr> {
    let mut q = hours_log::Entity::find()
        .filter(roles_of_organisation(organisation_id))
        .order_by_desc(hours_log::Column::WorkedOn)
        .order_by_desc(hours_log::Column::Id);
    if let Some(s) = status {
        q = q.filter(hours_log::Column::Status.eq(s));
    }
    let rows = q.all(db).await?;
    let role_titles: HashMap<i32, String> = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    let volunteer_ids: Vec<i32> = rows.iter().map(|r| r.volunteer_id).collect();
    let volunteers: HashMap<i32, String> = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::Id.is_in(volunteer_ids))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, u.display_name)))
        .collect();
    let reviewer_ids: Vec<i32> = rows.iter().filter_map(|r| r.reviewed_by).collect();
    let reviewers: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(reviewer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let session_ids: Vec<i32> = rows.iter().filter_map(|r| r.session_id).collect();
    let sessions: HashMap<i32, String> = role_session::Entity::find()
        .filter(role_session::Column::Id.is_in(session_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            let label = roles::Session {
                id: s.id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                places: s.places,
            }
            .label();
            (s.id, label)
        })
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| HoursRow {
            id: r.id,
            worked_on: r.worked_on,
            volunteer_name: volunteers.get(&r.volunteer_id).cloned().unwrap_or_default(),
            role_title: role_titles.get(&r.role_id).cloned().unwrap_or_default(),
            session: r
                .session_id
                .and_then(|s| sessions.get(&s).cloned())
                .unwrap_or_default(),
            minutes: r.minutes,
            status: r.status,
            note: r.note,
            reviewed_by: r
                .reviewed_by
                .and_then(|u| reviewers.get(&u).cloned())
                .unwrap_or_default(),
            reviewed_at: r
                .reviewed_at
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default(),
        })
        .collect())
}

/// The hours logged on one application's role by its volunteer, newest first.
pub async fn for_application<C: ConnectionTrait>(
    db: &C,
    app: &application::Model,
) -> Result<Vec<hours_log::Model>, DbErr> {
    hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(app.volunteer_id))
        .filter(hours_log::Column::RoleId.eq(app.role_id))
        .order_by_desc(hours_log::Column::WorkedOn)
        .order_by_desc(hours_log::Column::Id)
        .all(db)
        .await
}

/// The CSV export's header row.
pub const CSV_HEADER: [&str; 9] = [
    "date",
    "volunteer name",
    "role",
    "session",
    "minutes",
    "hours",
    "status",
    "confirmed by",
    "confirmed at",
];

/// The organisation's hours as CSV (RFC 4180: CRLF line ends, fields quoted when they
/// hold a comma, quote or line break). Never equality data: only these columns.
pub fn to_csv(rows: &[HoursRow]) -> String {
    let mut out = String::new();
    push_line(&mut out, CSV_HEADER.iter().map(|h| (*h).to_owned()));
    for r in rows {
        let confirmed = r.status == CONFIRMED;
        push_line(
            &mut out,
            [
                r.worked_on.to_string(),
                r.volunteer_name.clone(),
                r.role_title.clone(),
                r.session.clone(),
                r.minutes.to_string(),
                format!("{:.2}", f64::from(r.minutes) / 60.0),
                r.status.clone(),
                if confirmed {
                    r.reviewed_by.clone()
                } else {
                    String::new()
                },
                if confirmed {
                    r.reviewed_at.clone()
                } else {
                    String::new()
                },
            ]
            .into_iter(),
        );
    }
    out
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    let cells: Vec<String> = fields.map(|f| csv_field(&f)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One CSV cell. Text a spreadsheet would run as a formula (=, +, -, @ first) is
/// prefixed with an apostrophe, so a volunteer's name cannot carry one.
fn csv_field(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) && raw.parse::<f64>().is_err() {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_when_they_need_it_and_never_formulas() {
        assert_eq!(csv_field("Ada"), "Ada");
        assert_eq!(csv_field("Packer, Saturday"), "\"Packer, Saturday\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1.5"), "-1.5");
    }

    #[test]
    fn the_export_has_a_header_and_hours_to_two_places() {
        let row = HoursRow {
            id: 1,
            worked_on: time::macros::date!(2026 - 11 - 20),
            volunteer_name: "O'Brien, Pat".into(),
            role_title: "Packer".into(),
            session: String::new(),
            minutes: 90,
            status: CONFIRMED.into(),
            note: "not exported".into(),
            reviewed_by: "Sam".into(),
            reviewed_at: "2026-11-21T10:00:00Z".into(),
        };
        let csv = to_csv(&[row]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "date,volunteer name,role,session,minutes,hours,status,confirmed by,confirmed at"
        );
        assert_eq!(
            lines[1],
            "2026-11-20,\"O'Brien, Pat\",Packer,,90,1.50,confirmed,Sam,2026-11-21T10:00:00Z"
        );
        assert!(!csv.contains("not exported"));
    }
}
