//! An organisation's dashboard: its roles with how full they are, applications and
//! hours waiting for it, and confirmed hours this month and all time.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::applications::Status;
use crate::domain::london_time;
use crate::entities::{application, role};
use crate::models::{hours, roles};

/// One role and how full it is.
#[derive(Clone, Debug)]
pub struct RoleFill {
    pub id: i32,
    pub title: String,
    pub status: String,
    pub places: i32,
    pub accepted: i64,
    pub applied: i64,
    pub waitlisted: i64,
}

impl RoleFill {
    /// Accepted as a whole percentage of the places (capped at 100).
    pub fn fill_percent(&self) -> i64 {
        if self.places <= 0 {
            return 0;
        }
        std::cmp::min(self.accepted * 100 / i64::from(self.places), 100)
    }

    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "open" => "Open",
            "draft" => "Draft",
            _ => "Closed",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Dashboard {
    /// Open roles first, then drafts and closed ones, each by title.
    pub roles: Vec<RoleFill>,
    pub applied: i64,
    pub waitlisted: i64,
    pub hours_to_confirm: u64,
    pub minutes_this_month: i64,
    pub minutes_all_time: i64,
}

pub async fn load(db: &DatabaseConnection, organisation_id: i32) -> Result<Dashboard, DbErr> {
    let role_rows = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(role::Column::Title)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = role_rows.iter().map(|r| r.id).collect();
    let counts: Vec<(i32, String, i64)> = application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .column(application::Column::Status)
        .column_as(
            Expr::col((application::Entity, application::Column::Id)).count(),
            "n",
        )
        .filter(application::Column::RoleId.is_in(ids))
        .group_by(application::Column::RoleId)
        .group_by(application::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_role: HashMap<(i32, String), i64> = HashMap::new();
    for (role_id, status, n) in counts {
        by_role.insert((role_id, status), n);
    }
    let count = |id: i32, s: Status| {
        by_role
            .get(&(id, s.as_str().to_owned()))
            .copied()
            .unwrap_or(0)
    };
    let mut fills: Vec<RoleFill> = role_rows
        .into_iter()
        .map(|r| RoleFill {
            accepted: count(r.id, Status::Accepted),
            applied: count(r.id, Status::Applied),
            waitlisted: count(r.id, Status::Waitlisted),
            id: r.id,
            title: r.title,
            status: r.status,
            places: r.places,
        })
        .collect();
    fills.sort_by_key(|r| match r.status.as_str() {
        roles::OPEN => 0,
        "draft" => 1,
        _ => 2,
    });
    let today = london_time::to_london(crate::db::now()).date();
    let month_start = today.replace_day(1).unwrap_or(today);
    Ok(Dashboard {
        applied: fills.iter().map(|r| r.applied).sum(),
        waitlisted: fills.iter().map(|r| r.waitlisted).sum(),
        roles: fills,
        hours_to_confirm: hours::claimed_count(db, organisation_id).await?,
        minutes_this_month: hours::total_for_organisation_since(db, organisation_id, month_start)
            .await?,
        minutes_all_time: hours::total_for_organisation(db, organisation_id).await?,
    })
}
