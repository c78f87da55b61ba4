//! The Duke of Edinburgh's Award export of confirmed hours and assessors.
use super::*;

/// One activity (a role) in the period, with its assessor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DofeActivity {
    pub role_title: String,
    pub organisation: String,
    pub first_date: String,
    pub last_date: String,
    pub sessions: usize,
    pub minutes: i64,
    pub hours_words: String,
    /// The organisation contact who can confirm it: the role's contact, else the
    /// organisation.
    pub assessor_name: String,
    pub assessor_email: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DofeExport {
    pub months: u32,
    pub from: String,
    pub to: String,
    pub volunteer_name: String,
    pub total_minutes: i64,
    pub total_words: String,
    pub activities: Vec<DofeActivity>,
}

/// Confirmed hours of the last `months` months, grouped by role.
pub async fn dofe_export<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
    months: u32,
) -> Result<DofeExport, AppError> {
    let to = today();
    let from = months_before(to, months);
    let name = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(_, u)| u)
        .map(|u| u.display_name)
        .unwrap_or_default();
    let rows = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(volunteer_profile_id))
        .filter(hours_log::Column::Status.eq(hours::CONFIRMED))
        .filter(hours_log::Column::WorkedOn.gte(from))
        .filter(hours_log::Column::WorkedOn.lte(to))
        .order_by_asc(hours_log::Column::WorkedOn)
        .all(db)
        .await?;
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(rows.iter().map(|h| h.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let orgs: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(roles.values().map(|r| r.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut by_role: BTreeMap<i32, Vec<&hours_log::Model>> = BTreeMap::new();
    for h in &rows {
        by_role.entry(h.role_id).or_default().push(h);
    }
    let mut activities: Vec<DofeActivity> = by_role
        .into_iter()
        .filter_map(|(role_id, entries)| {
            let r = roles.get(&role_id)?;
            let o = orgs.get(&r.organisation_id);
            let minutes: i64 = entries.iter().map(|h| i64::from(h.minutes)).sum();
            let first = entries.iter().map(|h| h.worked_on).min()?;
            let last = entries.iter().map(|h| h.worked_on).max()?;
            let org_name = o.map(|o| o.name.clone()).unwrap_or_default();
            Some(DofeActivity {
                role_title: r.title.clone(),
                organisation: org_name.clone(),
                first_date: london_time::long_date(first),
                last_date: london_time::long_date(last),
                sessions: entries.len(),
                minutes,
                hours_words: crate::domain::applications::duration_words(minutes),
                assessor_name: r
                    .contact_name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("Volunteer coordinator, {org_name}")),
                assessor_email: r
                    .contact_email
                    .clone()
                    .filter(|e| !e.trim().is_empty())
                    .or_else(|| o.and_then(|o| o.email.clone()))
                    .unwrap_or_default(),
            })
        })
        .collect();
    activities.sort_by_key(|a| std::cmp::Reverse(a.minutes));
    let total: i64 = activities.iter().map(|a| a.minutes).sum();
    Ok(DofeExport {
        months,
        from: london_time::long_date(from),
        to: london_time::long_date(to),
        volunteer_name: name,
        total_minutes: total,
        total_words: crate::domain::applications::duration_words(total),
        activities,
    })
}

/// The same day `months` months earlier (the last day of a shorter month).
pub(super) fn months_before(d: Date, months: u32) -> Date {
    let total =
        d.year() * 12 + i32::from(u8::from(d.month())) - 1 - i32::try_from(months).unwrap_or(12);
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(u8::try_from(month0 + 1).unwrap_or(1))
        .unwrap_or(time::Month::January);
    let mut day = d.day();
    loop {
        if let Ok(date) = Date::from_calendar_date(year, month, day) {
            return date;
        }
        day -= 1;
    }
}

/// The export as CSV, one row per activity, for the DofE assessor report.
pub fn dofe_csv(export: &DofeExport) -> String {
    let mut out = String::from(
        "activity,organisation,first_date,last_date,sessions,minutes,hours,assessor_name,assessor_email\r\n",
    );
    for a in &export.activities {
        let cells = [
            a.role_title.clone(),
            a.organisation.clone(),
            a.first_date.clone(),
            a.last_date.clone(),
            a.sessions.to_string(),
            a.minutes.to_string(),
            format!("{:.2}", a.minutes as f64 / 60.0),
            a.assessor_name.clone(),
            a.assessor_email.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV cell, quoted when needed, and with a leading `'` before `= + - @` so a
/// spreadsheet does not run it as a formula.
pub(super) fn csv_cell(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@']) {
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
