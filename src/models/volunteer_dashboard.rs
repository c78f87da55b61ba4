//! What a volunteer's dashboard and calendar feed show: their applications, the sessions
//! they chose on accepted ones, their hours, and the secret calendar address.
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use time::{Duration, OffsetDateTime};

use crate::domain::ics::CalendarEvent;
use crate::domain::london_time;
use crate::entities::{
    application, application_session, hours_log, organisation, role, role_session,
    volunteer_profile, ward,
};

/// One of the volunteer's applications.
#[derive(Clone, Debug)]
pub struct ApplicationLine {
    pub id: i32,
    pub role_id: i32,
    pub role_title: String,
    pub organisation: String,
    pub status: String,
    /// In London time.
    pub applied_on: String,
}

impl ApplicationLine {
    pub fn status_label(&self) -> &'static str {
        status_label(&self.status)
    }

    /// GOV.UK tag colour for the status.
    pub fn status_class(&self) -> &'static str {
        match self.status.as_str() {
            "accepted" => "govuk-tag--green",
            "declined" => "govuk-tag--red",
            "waitlisted" => "govuk-tag--yellow",
            "withdrawn" => "govuk-tag--grey",
            _ => "govuk-tag--blue",
        }
    }
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "applied" => "Applied",
        "accepted" => "Accepted",
        "declined" => "Declined",
        "waitlisted" => "On the waitlist",
        "withdrawn" => "Withdrawn",
        _ => "Unknown",
    }
}

/// A session the volunteer is down for.
#[derive(Clone, Debug)]
pub struct SessionLine {
    pub session_id: i32,
    pub role_id: i32,
    pub role_title: String,
    pub organisation: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub location: String,
    pub contact: String,
}

impl SessionLine {
    /// "Saturday 5 December 2026, 10am to 1pm" in London time.
    pub fn when(&self) -> String {
        format!(
            "{} to {}",
            london_time::date_time(self.starts_at),
            london_time::clock(london_time::to_london(self.ends_at))
        )
    }

    pub fn to_event(&self, volunteer_id: i32) -> CalendarEvent {
        let mut description = format!("Volunteering with {}.", self.organisation);
        if !self.contact.is_empty() {
            description.push_str(&format!("\nContact: {}", self.contact));
        }
        CalendarEvent {
            uid: format!(
                "session-{}-volunteer-{volunteer_id}@hubmatch",
                self.session_id
            ),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            summary: self.role_title.clone(),
            location: self.location.clone(),
            description,
        }
    }
}

/// Hours on one role.
#[derive(Clone, Debug, Default)]
pub struct RoleHours {
    pub role_title: String,
    pub confirmed_minutes: i64,
    pub claimed_minutes: i64,
}

#[derive(Clone, Debug, Default)]
pub struct HoursSummary {
    pub confirmed_minutes: i64,
    /// Logged, waiting for the organisation to confirm.
    pub claimed_minutes: i64,
    pub per_role: Vec<RoleHours>,
}

/// "3 hours 30 minutes", "1 hour", "45 minutes".
pub fn duration_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        0 => String::new(),
        1 => "1 hour".to_owned(),
        h => format!("{h} hours"),
    };
    let mins = match m {
        0 => String::new(),
        1 => "1 minute".to_owned(),
        m => format!("{m} minutes"),
    };
    match (hours.is_empty(), mins.is_empty()) {
        (true, true) => "0 hours".to_owned(),
        (false, true) => hours,
        (true, false) => mins,
        (false, false) => format!("{hours} {mins}"),
    }
}

async fn roles_by_id<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i32>,
) -> Result<HashMap<i32, role::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(role::Entity::find()
        .filter(role::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

async fn organisation_names<C: ConnectionTrait>(
    db: &C,
    roles: &HashMap<i32, role::Model>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: Vec<i32> = roles.values().map(|r| r.organisation_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// Newest first.
pub async fn applications<C: ConnectionTrait>(
    db: &C,
    volunteer_id: i32,
) -> Result<Vec<ApplicationLine>, DbErr> {
    let rows = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(volunteer_id))
        .order_by_desc(application::Column::CreatedAt)
        .order_by_desc(application::Column::Id)
        .all(db)
        .await?;
    let roles = roles_by_id(db, rows.iter().map(|a| a.role_id).collect()).await?;
    let orgs = organisation_names(db, &roles).await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            let role = roles.get(&a.role_id)?;
            Some(ApplicationLine {
                id: a.id,
                role_id: role.id,
                role_title: role.title.clone(),
                organisation: orgs.get(&role.organisation_id).cloned().unwrap_or_default(),
                status: a.status,
                applied_on: london_time::date(a.created_at),
            })
        })
        .collect())
}

/// Sessions the volunteer chose on their accepted applications that end after `since`,
/// soonest first.
pub async fn sessions_since<C: ConnectionTrait>(
    db: &C,
    volunteer_id: i32,
    since: OffsetDateTime,
) -> Result<Vec<SessionLine>, DbErr> {
    let accepted = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(volunteer_id))
        .filter(application::Column::Status.eq("accepted"))
        .all(db)
        .await?;
    if accepted.is_empty() {
        return Ok(Vec::new());
    }
    let chosen: Vec<i32> = application_session::Entity::find()
        .filter(application_session::Column::ApplicationId.is_in(accepted.iter().map(|a| a.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.session_id)
        .collect();
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let sessions = role_session::Entity::find()
        .filter(role_session::Column::Id.is_in(chosen))
        .filter(role_session::Column::EndsAt.gt(since))
        .order_by_asc(role_session::Column::StartsAt)
        .order_by_asc(role_session::Column::Id)
        .all(db)
        .await?;
    let roles = roles_by_id(db, sessions.iter().map(|s| s.role_id).collect()).await?;
    let orgs = organisation_names(db, &roles).await?;
    let ward_ids: Vec<i32> = roles.values().filter_map(|r| r.ward_id).collect();
    let wards: HashMap<i32, String> = if ward_ids.is_empty() {
        HashMap::new()
    } else {
        ward::Entity::find()
            .filter(ward::Column::Id.is_in(ward_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|w| (w.id, w.name))
            .collect()
    };
    Ok(sessions
        .into_iter()
        .filter_map(|s| {
            let role = roles.get(&s.role_id)?;
            let organisation = orgs.get(&role.organisation_id).cloned().unwrap_or_default();
            Some(SessionLine {
                session_id: s.id,
                role_id: role.id,
                role_title: role.title.clone(),
                location: location_words(role, role.ward_id.and_then(|w| wards.get(&w))),
                contact: contact_words(role),
                organisation,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
            })
        })
        .collect())
}

fn location_words(role: &role::Model, ward: Option<&String>) -> String {
    let place: Vec<&str> = ward
        .map(String::as_str)
        .into_iter()
        .chain(role.postcode_district.as_deref())
        .collect();
    match role.location_type.as_str() {
        "remote" => "Remote, from home".to_owned(),
        "hybrid" if place.is_empty() => "Hybrid, some from home".to_owned(),
        "hybrid" => format!("{}, or from home", place.join(" ")),
        _ => place.join(" "),
    }
}

fn contact_words(role: &role::Model) -> String {
    match (&role.contact_name, &role.contact_email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => String::new(),
    }
}

pub async fn hours<C: ConnectionTrait>(db: &C, volunteer_id: i32) -> Result<HoursSummary, DbErr> {
    let rows = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(volunteer_id))
        .filter(hours_log::Column::Status.is_in(["claimed", "confirmed"]))
        .all(db)
        .await?;
    let roles = roles_by_id(db, rows.iter().map(|h| h.role_id).collect()).await?;
    let mut summary = HoursSummary::default();
    let mut per_role: Vec<(i32, RoleHours)> = Vec::new();
    for h in rows {
        let minutes = i64::from(h.minutes);
        let at = match per_role.iter().position(|(id, _)| *id == h.role_id) {
            Some(i) => i,
            None => {
                per_role.push((
                    h.role_id,
                    RoleHours {
                        role_title: roles
                            .get(&h.role_id)
                            .map(|r| r.title.clone())
                            .unwrap_or_default(),
                        ..RoleHours::default()
                    },
                ));
                per_role.len() - 1
            }
        };
        if h.status == "confirmed" {
            summary.confirmed_minutes += minutes;
            per_role[at].1.confirmed_minutes += minutes;
        } else {
            summary.claimed_minutes += minutes;
            per_role[at].1.claimed_minutes += minutes;
        }
    }
    summary.per_role = per_role.into_iter().map(|(_, r)| r).collect();
    summary
        .per_role
        .sort_by(|a, b| a.role_title.cmp(&b.role_title));
    Ok(summary)
}

/// How far back the calendar feed goes, so a session just past stays in the calendar.
pub const CALENDAR_PAST_DAYS: i64 = 30;

/// The feed's events for the volunteer holding `token`, or `None` for an unknown token.
pub async fn calendar_events<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<Option<Vec<CalendarEvent>>, DbErr> {
    if token.is_empty() {
        return Ok(None);
    }
    let Some(profile) = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::CalendarToken.eq(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let since = crate::db::now() - Duration::days(CALENDAR_PAST_DAYS);
    let sessions = sessions_since(db, profile.id, since).await?;
    Ok(Some(
        sessions.iter().map(|s| s.to_event(profile.id)).collect(),
    ))
}

/// Gives the profile a new calendar secret; the old address stops working.
pub async fn reset_calendar_token<C: ConnectionTrait>(
    db: &C,
    profile: volunteer_profile::Model,
) -> Result<String, DbErr> {
    let token = crate::auth::tokens::random_token();
    let mut row: volunteer_profile::ActiveModel = profile.into();
    row.calendar_token = Set(Some(token.clone()));
    row.updated_at = Set(crate::db::now());
    row.update(db).await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(0), "0 hours");
        assert_eq!(duration_words(45), "45 minutes");
        assert_eq!(duration_words(60), "1 hour");
        assert_eq!(duration_words(210), "3 hours 30 minutes");
    }
}
