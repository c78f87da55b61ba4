//! A hub coordinator's view of one hub: its open roles and how full they are, the roles
//! that need help, volunteers left waiting for an answer, and the hub's hours.
use std::collections::HashMap;

use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::{Duration, OffsetDateTime};

use crate::domain::london_time;
use crate::entities::{application, hours_log, organisation, role, user, volunteer_profile};
use crate::models::roles;
use crate::models::roles::in_hub;

/// A role closing within this many days is "unfilled" whatever its fill rate.
pub const CLOSING_SOON_DAYS: i64 = 14;
/// Below this fill rate (percent) an open role is "unfilled".
pub const LOW_FILL_PERCENT: i64 = 50;
/// Applications unanswered for longer than this are "waiting".
pub const WAITING_DAYS: i64 = 7;

#[derive(Clone, Debug)]
pub struct HubRole {
    pub id: i32,
    pub title: String,
    pub organisation: String,
    pub places: i32,
    pub accepted: i64,
    pub closes_at: Option<OffsetDateTime>,
}

impl HubRole {
    /// Accepted volunteers as a share of places, 0–100.
    pub fn fill_percent(&self) -> i64 {
        if self.places <= 0 {
            return 100;
        }
        std::cmp::min(self.accepted * 100 / i64::from(self.places), 100)
    }

    pub fn closes_label(&self) -> String {
        self.closes_at
            .map_or_else(|| "No closing date".to_owned(), london_time::date)
    }

    /// Needs the coordinator's help: closing soon, or less than half full.
    pub fn is_unfilled(&self, now: OffsetDateTime) -> bool {
        let closing_soon = self
            .closes_at
            .is_some_and(|c| c <= now + Duration::days(CLOSING_SOON_DAYS));
        closing_soon || self.fill_percent() < LOW_FILL_PERCENT
    }
}

/// A volunteer waiting for an answer; coordinators see their display name only.
#[derive(Clone, Debug)]
pub struct WaitingVolunteer {
    pub volunteer_name: String,
    pub role_title: String,
    pub status: String,
    pub days_waiting: i64,
}

#[derive(Clone, Debug, Default)]
pub struct HubHours {
    pub this_month_minutes: i64,
    pub all_time_minutes: i64,
}

#[derive(Clone, Debug)]
pub struct HubDashboard {
    pub roles: Vec<HubRole>,
    pub unfilled: Vec<HubRole>,
    pub waiting: Vec<WaitingVolunteer>,
    pub hours: HubHours,
    /// Social referrals with no contact 7 days after they were sent.
    pub stale_referrals: Vec<crate::models::social_referrals::StaleReferral>,
    /// Calls to residents without email still to make.
    pub calls_waiting: u64,
}

pub async fn load<C: ConnectionTrait>(db: &C, hub_id: i32) -> Result<HubDashboard, DbErr> {
    let now = crate::db::now();
    let rows = role::Entity::find()
        .filter(roles::is_open(now))
        .filter(in_hub(hub_id))
        .order_by_asc(role::Column::Title)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?;
    let role_ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let org_ids: Vec<i32> = rows.iter().map(|r| r.organisation_id).collect();
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let accepted: HashMap<i32, i64> = application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .column_as(application::Column::Id.count(), "n")
        .filter(application::Column::RoleId.is_in(role_ids))
        .filter(application::Column::Status.eq("accepted"))
        .group_by(application::Column::RoleId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let roles: Vec<HubRole> = rows
        .into_iter()
        .map(|r| HubRole {
            accepted: accepted.get(&r.id).copied().unwrap_or(0),
            organisation: orgs.get(&r.organisation_id).cloned().unwrap_or_default(),
            id: r.id,
            title: r.title,
            places: r.places,
            closes_at: r.closes_at,
        })
        .collect();
    let unfilled = roles
        .iter()
        .filter(|r| r.is_unfilled(now))
        .cloned()
        .collect();

    let hub_roles = Query::select()
        .column(role::Column::Id)
        .from(role::Entity)
        .cond_where(in_hub(hub_id))
        .to_owned();
    let since = now - Duration::days(WAITING_DAYS);
    let waiting_rows = application::Entity::find()
        .filter(application::Column::RoleId.in_subquery(hub_roles.clone()))
        .filter(application::Column::Status.is_in(["applied", "waitlisted"]))
        .filter(application::Column::UpdatedAt.lt(since))
        .order_by_asc(application::Column::UpdatedAt)
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?;
    let mut waiting = Vec::with_capacity(waiting_rows.len());
    for a in waiting_rows {
        let volunteer_name = volunteer_profile::Entity::find_by_id(a.volunteer_id)
            .find_also_related(user::Entity)
            .one(db)
            .await?
            .and_then(|(_, u)| u)
            .map(|u| u.display_name)
            .unwrap_or_default();
        let role_title = role::Entity::find_by_id(a.role_id)
            .one(db)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        waiting.push(WaitingVolunteer {
            volunteer_name,
            role_title,
            status: a.status,
            days_waiting: (now - a.updated_at).whole_days(),
        });
    }

    let confirmed = hours_log::Entity::find()
        .filter(hours_log::Column::RoleId.in_subquery(hub_roles))
        .filter(hours_log::Column::Status.eq("confirmed"))
        .all(db)
        .await?;
    let today = london_time::to_london(now).date();
    let month_start = today.replace_day(1).unwrap_or(today);
    let mut hours = HubHours::default();
    for h in confirmed {
        let minutes = i64::from(h.minutes);
        hours.all_time_minutes += minutes;
        if h.worked_on >= month_start {
            hours.this_month_minutes += minutes;
        }
    }
    Ok(HubDashboard {
        roles,
        unfilled,
        waiting,
        hours,
        stale_referrals: crate::models::social_referrals::stale_in_hub(db, hub_id).await?,
        calls_waiting: crate::models::assisted::calls_waiting(db, hub_id).await?,
    })
}

/// Whole hours, rounded down, as the dashboard reports them.
pub fn whole_hours(minutes: i64) -> i64 {
    minutes / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn role(places: i32, accepted: i64, closes_in_days: Option<i64>) -> HubRole {
        HubRole {
            id: 1,
            title: "Food parcel packer".into(),
            organisation: "Peckham Food Hub".into(),
            places,
            accepted,
            closes_at: closes_in_days.map(|d| datetime!(2026-06-01 12:00 UTC) + Duration::days(d)),
        }
    }

    #[test]
    fn fill_rate_is_accepted_over_places() {
        assert_eq!(role(4, 1, None).fill_percent(), 25);
        assert_eq!(role(4, 4, None).fill_percent(), 100);
        assert_eq!(role(3, 5, None).fill_percent(), 100);
    }

    #[test]
    fn unfilled_means_closing_soon_or_under_half_full() {
        let now = datetime!(2026-06-01 12:00 UTC);
        assert!(role(4, 1, None).is_unfilled(now));
        assert!(!role(4, 2, None).is_unfilled(now));
        assert!(role(4, 4, Some(14)).is_unfilled(now));
        assert!(!role(4, 4, Some(15)).is_unfilled(now));
    }
}
