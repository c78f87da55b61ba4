//! Posting and managing an organisation's roles: the role form and its checks, drafts,
//! opening, closing, duplicating, and the role's sessions (shifts) in London time.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::Named;
use super::organisation_profile::check;
use crate::domain::london_time;
use crate::entities::{
    application, application_session, hub, hub_membership, role, role_cause, role_session,
    role_skill, skill,
};
use crate::error::FieldErrors;
use crate::routes::forms::FormErrors;

pub const DRAFT: &str = "draft";
pub const OPEN: &str = "open";
pub const CLOSED: &str = "closed";
const ACCEPTED: &str = "accepted";

pub const TITLE_MAX: usize = 120;
pub const SUMMARY_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const NAME_MAX: usize = 120;
pub const PLACES_MAX: i32 = 500;
pub const MIN_AGE_LOWEST: i32 = 14;
pub const MIN_AGE_HIGHEST: i32 = 99;
pub const DEFAULT_MIN_AGE: i32 = 16;
pub const HOURS_PER_WEEK_MAX: i32 = 60;
/// Skills Builder steps; Functional Skills levels stop at 5 (Level 2).
pub const SKILL_LEVEL_MAX: i32 = crate::seed::vocab::MAX_SKILL_LEVEL;
const FUNCTIONAL_LEVEL_MAX: i32 = 5;

pub const LOCATION_TYPES: [(&str, &str); 3] = [
    ("in_person", "In person"),
    ("hybrid", "Hybrid: some in person, some from home"),
    ("remote", "Remote: from home"),
];
pub const COMMITMENTS: [(&str, &str); 3] = [
    ("one_off", "One-off"),
    ("regular", "Regular, weekly"),
    ("flexible", "Flexible"),
];

/// A date typed as day, month and year (the GOV.UK date input).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

/// What is wrong with a typed date, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateProblem {
    Missing,
    Incomplete,
    NotReal,
}

impl DateParts {
    pub fn of(date: Date) -> Self {
        Self {
            day: date.day().to_string(),
            month: u8::from(date.month()).to_string(),
            year: date.year().to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.day.is_empty() && self.month.is_empty() && self.year.is_empty()
    }

    pub fn parse(&self) -> Result<Date, DateProblem> {
        if self.is_empty() {
            return Err(DateProblem::Missing);
        }
        if self.day.is_empty() || self.month.is_empty() || self.year.is_empty() {
            return Err(DateProblem::Incomplete);
        }
        let day: u8 = self.day.trim().parse().map_err(|_| DateProblem::NotReal)?;
        let month: u8 = self
            .month
            .trim()
            .parse()
            .map_err(|_| DateProblem::NotReal)?;
        let year: i32 = self.year.trim().parse().map_err(|_| DateProblem::NotReal)?;
        if !(2000..=2200).contains(&year) {
            return Err(DateProblem::NotReal);
        }
        let month = Month::try_from(month).map_err(|_| DateProblem::NotReal)?;
        Date::from_calendar_date(year, month, day).map_err(|_| DateProblem::NotReal)
    }
}

/// A clock time typed the ways people write them: "10am", "2:30pm", "14:30", "9.15".
pub fn parse_clock(raw: &str) -> Option<Time> {
    let s = raw.trim().to_ascii_lowercase().replace(' ', "");
    let (digits, half) = if let Some(d) = s.strip_suffix("am") {
        (d, Some(false))
    } else if let Some(d) = s.strip_suffix("pm") {
        (d, Some(true))
    } else {
        (s.as_str(), None)
    };
    let (h, m) = match digits.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (h, m),
        Some(_) => return None,
        None => (digits, "0"),
    };
    if h.is_empty() || h.len() > 2 || !h.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (mut hour, minute): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    match half {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if hour > 23 => return None,
        None => {}
    }
    Time::from_hms(hour, minute, 0).ok()
}

/// The instant a London wall-clock time happens. In the autumn hour that happens twice
/// the first (BST) is taken; a time in the spring gap is read as GMT.
pub fn london_to_utc(date: Date, time: Time) -> OffsetDateTime {
    let local = PrimitiveDateTime::new(date, time);
    for hours in [1, 0] {
        let offset = UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC);
        let candidate = local.assume_offset(offset).to_offset(UtcOffset::UTC);
        if london_time::london_offset(candidate) == offset {
            return candidate;
        }
    }
    local.assume_utc()
}

/// Today's date in London.
pub fn london_today(now: OffsetDateTime) -> Date {
    london_time::to_london(now).date()
}

/// A role closes at the last second of its closing date, London time, so the date
/// shown on its page is the date chosen.
pub fn closes_at_end_of(date: Date) -> OffsetDateTime {
    london_to_utc(date, Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT))
}

/// The closing date as the form shows it.
pub fn closing_date_of(closes_at: OffsetDateTime) -> Date {
    london_today(closes_at)
}

/// A skill as the form offers it, with the levels its group uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillChoice {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub group: String,
}

impl SkillChoice {
    pub fn max_level(&self) -> i32 {
        if self.group == "functional" {
            FUNCTIONAL_LEVEL_MAX
        } else {
            SKILL_LEVEL_MAX
        }
    }

    /// The levels the select offers: value and words.
    pub fn levels(&self) -> Vec<(String, String)> {
        (0..=self.max_level())
            .map(|level| (level.to_string(), self.level_words(level)))
            .collect()
    }

    pub fn level_words(&self, level: i32) -> String {
        if level == 0 {
            return "Wanted, no experience needed".to_owned();
        }
        if self.group == "functional" {
            crate::seed::vocab::FUNCTIONAL_LEVELS
                .iter()
                .find(|(l, _)| *l == level)
                .map_or_else(
                    || format!("Level {level}"),
                    |(_, words)| (*words).to_owned(),
                )
        } else {
            format!("Step {level} or above")
        }
    }

    /// The form field of this skill's select.
    pub fn field(&self) -> String {
        format!("skill_{}", self.slug)
    }
}

/// The lists the role form offers (and accepts), and facts that limit the numbers.
#[derive(Clone, Debug, Default)]
pub struct RoleChoices {
    pub today: Option<Date>,
    pub wards: Vec<Named>,
    pub causes: Vec<Named>,
    pub skills: Vec<SkillChoice>,
    /// The organisation's hubs.
    pub hubs: Vec<Named>,
    /// Volunteers already accepted: places cannot go below this.
    pub accepted: i64,
    /// The most places any of the role's sessions has.
    pub largest_session: Option<i32>,
}

/// The role form as typed, so it can be shown again. Causes and the hub are slugs, the
/// ward its ONS code; `skills` holds (skill slug, level) for each skill chosen.
#[derive(Clone, Debug, Default, garde::Validate)]
#[garde(context(RoleChoices as choices))]
pub struct RoleForm {
    #[garde(custom(check::required("a title for the role", TITLE_MAX)))]
    pub title: String,
    #[garde(custom(one_line))]
    pub summary: String,
    #[garde(custom(check::at_most("the description", DESCRIPTION_MAX)))]
    pub description: String,
    #[garde(custom(check::all_chosen_from(&choices.causes, "Select causes from the list")))]
    pub causes: Vec<String>,
    /// Checked one by one below, so each error points at its own select.
    #[garde(skip)]
    pub skills: Vec<(String, String)>,
    #[garde(custom(one_of(&LOCATION_TYPES, "Select where the volunteering happens")))]
    pub location_type: String,
    #[garde(custom(ward_for(&self.location_type)))]
    pub ward: String,
    #[garde(custom(postcode_district_for(&self.location_type)))]
    pub postcode_district: String,
    #[garde(custom(valid_min_age))]
    pub min_age: String,
    #[garde(custom(youth_friendly_below_18(&self.min_age)))]
    pub youth_friendly: bool,
    #[garde(skip)]
    pub dbs_required: bool,
    #[garde(custom(valid_places))]
    pub places: String,
    #[garde(custom(one_of(&COMMITMENTS, "Select how often volunteers are needed")))]
    pub commitment: String,
    #[garde(custom(valid_hours_per_week))]
    pub hours_per_week: String,
    #[garde(custom(closing_date))]
    pub closes_on: DateParts,
    #[garde(custom(check::at_most("the contact name", NAME_MAX)))]
    pub contact_name: String,
    #[garde(custom(check::optional_email))]
    pub contact_email: String,
    #[garde(custom(check::optional_choice(&choices.hubs, "Select one of your organisation's hubs")))]
    pub hub: String,
}

fn one_line(value: &str, _: &RoleChoices) -> garde::Result {
    if value.trim().is_empty() {
        return Err(garde::Error::new(
            "Enter a one-line summary of what volunteers will do",
        ));
    }
    if value.contains(['\n', '\r']) {
        return Err(garde::Error::new("The summary must be one line"));
    }
    if value.chars().count() > SUMMARY_MAX {
        return Err(garde::Error::new(format!(
            "The summary must be {SUMMARY_MAX} characters or fewer"
        )));
    }
    Ok(())
}

fn one_of<'a>(
    options: &'a [(&'a str, &'a str)],
    message: &'static str,
) -> impl FnOnce(&str, &RoleChoices) -> garde::Result + 'a {
    move |value, _| {
        if options.iter().any(|(v, _)| *v == value) {
            Ok(())
        } else {
            Err(garde::Error::new(message))
        }
    }
}

fn needs_a_place(location_type: &str) -> bool {
    matches!(location_type, "in_person" | "hybrid")
}

fn ward_for(location_type: &str) -> impl FnOnce(&str, &RoleChoices) -> garde::Result + '_ {
    move |value, choices| {
        if value.is_empty() {
            return if needs_a_place(location_type) {
                Err(garde::Error::new(
                    "Select the ward where the volunteering happens",
                ))
            } else {
                Ok(())
            };
        }
        check::optional_choice(&choices.wards, "Select a ward from the list")(value, choices)
    }
}

/// The outward part of a UK postcode: SE1, SE15, SE1P, W1A.
pub fn is_postcode_district(value: &str) -> bool {
    let b = value.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let rest = &b[letters..];
    (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest.len() <= 2
        && rest[0].is_ascii_digit()
        && rest[1..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

fn postcode_district_for(
    location_type: &str,
) -> impl FnOnce(&str, &RoleChoices) -> garde::Result + '_ {
    move |value, _| {
        if value.is_empty() {
            return if needs_a_place(location_type) {
                Err(garde::Error::new(
                    "Enter the postcode district where the volunteering happens, like SE15",
                ))
            } else {
                Ok(())
            };
        }
        if is_postcode_district(&value.to_ascii_uppercase()) {
            Ok(())
        } else {
            Err(garde::Error::new(
                "Enter the first part of the postcode only, like SE15",
            ))
        }
    }
}

fn whole_number(value: &str) -> Option<i32> {
    value.trim().parse().ok()
}

fn valid_min_age(value: &str, _: &RoleChoices) -> garde::Result {
    if value.trim().is_empty() {
        return Err(garde::Error::new("Enter the minimum age, like 16"));
    }
    match whole_number(value) {
        Some(age) if (MIN_AGE_LOWEST..=MIN_AGE_HIGHEST).contains(&age) => Ok(()),
        Some(_) => Err(garde::Error::new(format!(
            "The minimum age must be between {MIN_AGE_LOWEST} and {MIN_AGE_HIGHEST}"
        ))),
        None => Err(garde::Error::new(
            "Enter the minimum age as a whole number, like 16",
        )),
    }
}

fn youth_friendly_below_18(
    min_age: &str,
) -> impl FnOnce(&bool, &RoleChoices) -> garde::Result + '_ {
    move |youth_friendly, _| match whole_number(min_age) {
        Some(age) if *youth_friendly && age >= 18 => Err(garde::Error::new(
            "A youth-friendly role must be open to under-18s: set the minimum age below 18, or untick youth-friendly",
        )),
        _ => Ok(()),
    }
}

fn valid_places(value: &str, choices: &RoleChoices) -> garde::Result {
    if value.trim().is_empty() {
        return Err(garde::Error::new("Enter the number of places, like 4"));
    }
    let Some(n) = whole_number(value) else {
        return Err(garde::Error::new(
            "Enter the number of places as a whole number, like 4",
        ));
    };
    if !(1..=PLACES_MAX).contains(&n) {
        return Err(garde::Error::new(format!(
            "The number of places must be between 1 and {PLACES_MAX}"
        )));
    }
    if i64::from(n) < choices.accepted {
        return Err(garde::Error::new(format!(
            "{} volunteers are already accepted: the role needs at least {} places",
            choices.accepted, choices.accepted
        )));
    }
    if let Some(largest) = choices.largest_session.filter(|l| n < *l) {
        return Err(garde::Error::new(format!(
            "A session of this role has {largest} places: the role needs at least {largest} places"
        )));
    }
    Ok(())
}

fn valid_hours_per_week(value: &str, _: &RoleChoices) -> garde::Result {
    if value.trim().is_empty() {
        return Ok(());
    }
    match whole_number(value) {
        Some(h) if (1..=HOURS_PER_WEEK_MAX).contains(&h) => Ok(()),
        _ => Err(garde::Error::new(format!(
            "Hours a week must be a whole number between 1 and {HOURS_PER_WEEK_MAX}"
        ))),
    }
}

fn closing_date(value: &DateParts, choices: &RoleChoices) -> garde::Result {
    match value.parse() {
        Err(DateProblem::Missing) => Ok(()),
        Err(DateProblem::Incomplete) => Err(garde::Error::new(
            "The closing date must include a day, month and year",
        )),
        Err(DateProblem::NotReal) => Err(garde::Error::new(
            "The closing date must be a real date, like 27 3 2027",
        )),
        Ok(date) if choices.today.is_some_and(|today| date < today) => Err(garde::Error::new(
            "The closing date must be today or in the future",
        )),
        Ok(_) => Ok(()),
    }
}

/// A checked role, ready to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleValues {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub cause_ids: Vec<i32>,
    /// (skill id, minimum level).
    pub skills: Vec<(i32, i32)>,
    pub location_type: String,
    pub ward_id: Option<i32>,
    pub postcode_district: Option<String>,
    pub min_age: i32,
    pub youth_friendly: bool,
    pub dbs_required: bool,
    pub places: i32,
    pub commitment: String,
    pub hours_per_week: Option<i32>,
    pub closes_at: Option<OffsetDateTime>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub hub_id: Option<i32>,
}

impl RoleForm {
    /// A new role's form: the defaults most roles keep.
    pub fn blank() -> Self {
        Self {
            min_age: DEFAULT_MIN_AGE.to_string(),
            location_type: "in_person".into(),
            commitment: "regular".into(),
            places: "1".into(),
            ..Self::default()
        }
    }

    /// The level chosen for a skill ("" when not wanted).
    pub fn skill_level(&self, slug: &str) -> &str {
        self.skills
            .iter()
            .find(|(s, _)| s == slug)
            .map_or("", |(_, level)| level.as_str())
    }

    pub fn has_cause(&self, slug: &str) -> bool {
        self.causes.iter().any(|c| c == slug)
    }

    /// The role to save, or what is wrong, field by field.
    pub fn check(&self, choices: &RoleChoices) -> Result<RoleValues, FormErrors> {
        use garde::Validate;
        let mut errors = match self.validate_with(choices) {
            Ok(()) => FormErrors::new(),
            Err(report) => FormErrors::from(report),
        };
        let mut skills = Vec::new();
        for (slug, level) in &self.skills {
            let Some(choice) = choices.skills.iter().find(|s| &s.slug == slug) else {
                errors.add("skills", "Select skills from the list");
                continue;
            };
            match whole_number(level) {
                Some(l) if (0..=choice.max_level()).contains(&l) => skills.push((choice.id, l)),
                _ => errors.add(
                    &choice.field(),
                    format!("Select a level for {} from the list", choice.name),
                ),
            }
        }
        errors.check()?;

        let place = needs_a_place(&self.location_type);
        Ok(RoleValues {
            title: self.title.trim().to_owned(),
            summary: self.summary.trim().to_owned(),
            description: self.description.clone(),
            cause_ids: choices
                .causes
                .iter()
                .filter(|c| self.has_cause(&c.slug))
                .map(|c| c.id)
                .collect(),
            skills,
            location_type: self.location_type.clone(),
            ward_id: check::id_of(&choices.wards, &self.ward).filter(|_| place),
            postcode_district: check::optional(&self.postcode_district.to_ascii_uppercase())
                .filter(|_| place),
            min_age: whole_number(&self.min_age).unwrap_or(DEFAULT_MIN_AGE),
            youth_friendly: self.youth_friendly,
            dbs_required: self.dbs_required,
            places: whole_number(&self.places).unwrap_or(1),
            commitment: self.commitment.clone(),
            hours_per_week: whole_number(&self.hours_per_week),
            closes_at: self.closes_on.parse().ok().map(closes_at_end_of),
            contact_name: check::optional(&self.contact_name),
            contact_email: crate::auth::EmailAddress::parse(&self.contact_email)
                .ok()
                .map(|e| e.as_str().to_owned()),
            hub_id: check::id_of(&choices.hubs, &self.hub),
        })
    }
}

/// What a role still needs before volunteers can see it, field by field (empty when ready).
pub fn not_ready_to_open(r: &role::Model, now: OffsetDateTime) -> FieldErrors {
    let mut missing = FieldErrors::new();
    let mut need = |field: &str, why: &str| {
        missing.insert(field.to_owned(), why.to_owned());
    };
    if r.title.trim().is_empty() {
        need("title", "Enter a title for the role");
    }
    if r.summary.trim().is_empty() {
        need(
            "summary",
            "Enter a one-line summary of what volunteers will do",
        );
    }
    if r.description.trim().is_empty() {
        need(
            "description",
            "Describe the role before opening it: volunteers read this to decide",
        );
    }
    if r.contact_name.as_deref().is_none_or(str::is_empty) {
        need(
            "contact_name",
            "Enter a contact name before opening the role, so volunteers can ask questions",
        );
    }
    if r.contact_email.as_deref().is_none_or(str::is_empty) {
        need(
            "contact_email",
            "Enter a contact email address before opening the role",
        );
    }
    if needs_a_place(&r.location_type) {
        if r.ward_id.is_none() {
            need("ward", "Select the ward where the volunteering happens");
        }
        if r.postcode_district.as_deref().is_none_or(str::is_empty) {
            need(
                "postcode_district",
                "Enter the postcode district where the volunteering happens, like SE15",
            );
        }
    }
    if r.youth_friendly && r.min_age >= 18 {
        need(
            "youth_friendly",
            "A youth-friendly role must be open to under-18s: set the minimum age below 18, or untick youth-friendly",
        );
    }
    if r.closes_at.is_some_and(|t| t <= now) {
        need(
            "closes_on",
            "The closing date has passed: change it to today or a later date, or remove it, to open the role",
        );
    }
    missing
}

// ---- reads ----

pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<role::Model>, DbErr> {
    role::Entity::find_by_id(id).one(db).await
}

/// The role, locked until the transaction ends (PostgreSQL), so two changes take turns.
pub async fn lock<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<role::Model>, DbErr> {
    role::Entity::find_by_id(id).lock_exclusive().one(db).await
}

/// Every skill in the vocabulary, grouped as the form shows them.
pub async fn skill_choices<C: ConnectionTrait>(db: &C) -> Result<Vec<SkillChoice>, DbErr> {
    Ok(skill::Entity::find()
        .order_by_asc(skill::Column::SkillGroup)
        .order_by_asc(skill::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SkillChoice {
            id: s.id,
            slug: s.slug,
            name: s.name,
            group: s.skill_group,
        })
        .collect())
}

/// The hubs an organisation belongs to, by name.
pub async fn organisation_hubs<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<Named>, DbErr> {
    Ok(hub::Entity::find()
        .inner_join(hub_membership::Entity)
        .filter(hub_membership::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(hub::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|h| Named {
            id: h.id,
            name: h.name,
            slug: h.slug,
        })
        .collect())
}

/// Accepted volunteers per role, for the given roles.
pub async fn accepted_counts<C: ConnectionTrait>(
    db: &C,
    role_ids: Vec<i32>,
) -> Result<HashMap<i32, i64>, DbErr> {
    if role_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .column_as(
            Expr::col((application::Entity, application::Column::Id)).count(),
            "n",
        )
        .filter(application::Column::RoleId.is_in(role_ids))
        .filter(application::Column::Status.eq(ACCEPTED))
        .group_by(application::Column::RoleId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

pub async fn accepted_count<C: ConnectionTrait>(db: &C, role_id: i32) -> Result<i64, DbErr> {
    Ok(accepted_counts(db, vec![role_id])
        .await?
        .get(&role_id)
        .copied()
        .unwrap_or(0))
}

/// A role in its organisation's list.
#[derive(Clone, Debug)]
pub struct ManagedRole {
    pub role: role::Model,
    /// Accepted volunteers.
    pub filled: i64,
    pub upcoming_sessions: u64,
}

impl ManagedRole {
    pub fn status_label(&self) -> &'static str {
        status_label(&self.role.status)
    }

    pub fn status_colour(&self) -> &'static str {
        match self.role.status.as_str() {
            OPEN => "govuk-tag--green",
            DRAFT => "govuk-tag--grey",
            _ => "govuk-tag--orange",
        }
    }

    pub fn closes_label(&self) -> String {
        self.role
            .closes_at
            .map_or_else(|| "No closing date".to_owned(), london_time::date)
    }
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        OPEN => "Open",
        DRAFT => "Draft",
        _ => "Closed",
    }
}

/// All of an organisation's roles (drafts, open and closed), newest first.
pub async fn list_for_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<ManagedRole>, DbErr> {
    let roles = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(role::Column::UpdatedAt)
        .order_by_desc(role::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = roles.iter().map(|r| r.id).collect();
    let filled = accepted_counts(db, ids.clone()).await?;
    let sessions: HashMap<i32, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        role_session::Entity::find()
            .select_only()
            .column(role_session::Column::RoleId)
            .column_as(
                Expr::col((role_session::Entity, role_session::Column::Id)).count(),
                "n",
            )
            .filter(role_session::Column::RoleId.is_in(ids))
            .filter(role_session::Column::EndsAt.gt(crate::db::now()))
            .group_by(role_session::Column::RoleId)
            .into_tuple::<(i32, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(roles
        .into_iter()
        .map(|r| ManagedRole {
            filled: filled.get(&r.id).copied().unwrap_or(0),
            upcoming_sessions: sessions
                .get(&r.id)
                .copied()
                .unwrap_or(0)
                .try_into()
                .unwrap_or(0),
            role: r,
        })
        .collect())
}

/// The form as the role is saved now.
pub async fn form_of<C: ConnectionTrait>(
    db: &C,
    r: &role::Model,
    choices: &RoleChoices,
) -> Result<RoleForm, DbErr> {
    let cause_ids: Vec<i32> = role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|rc| rc.cause_id)
        .collect();
    let skills = role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|rs| {
            choices
                .skills
                .iter()
                .find(|s| s.id == rs.skill_id)
                .map(|s| (s.slug.clone(), rs.min_level.to_string()))
        })
        .collect();
    let slug_of = |list: &[Named], id: Option<i32>| {
        id.and_then(|id| list.iter().find(|n| n.id == id))
            .map(|n| n.slug.clone())
            .unwrap_or_default()
    };
    Ok(RoleForm {
        title: r.title.clone(),
        summary: r.summary.clone(),
        description: r.description.clone(),
        causes: choices
            .causes
            .iter()
            .filter(|c| cause_ids.contains(&c.id))
            .map(|c| c.slug.clone())
            .collect(),
        skills,
        location_type: r.location_type.clone(),
        ward: slug_of(&choices.wards, r.ward_id),
        postcode_district: r.postcode_district.clone().unwrap_or_default(),
        min_age: r.min_age.to_string(),
        youth_friendly: r.youth_friendly,
        dbs_required: r.dbs_required,
        places: r.places.to_string(),
        commitment: r.commitment.clone(),
        hours_per_week: r.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
        closes_on: r
            .closes_at
            .map(|t| DateParts::of(closing_date_of(t)))
            .unwrap_or_default(),
        contact_name: r.contact_name.clone().unwrap_or_default(),
        contact_email: r.contact_email.clone().unwrap_or_default(),
        hub: slug_of(&choices.hubs, r.hub_id),
    })
}

/// The largest number of places any session of the role has.
pub async fn largest_session<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
) -> Result<Option<i32>, DbErr> {
    Ok(role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(role_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| s.places)
        .max())
}

// ---- writes ----

fn apply_values(row: &mut role::ActiveModel, v: &RoleValues) {
    row.title = Set(v.title.clone());
    row.summary = Set(v.summary.clone());
    row.description = Set(v.description.clone());
    row.location_type = Set(v.location_type.clone());
    row.ward_id = Set(v.ward_id);
    row.postcode_district = Set(v.postcode_district.clone());
    row.min_age = Set(v.min_age);
    row.youth_friendly = Set(v.youth_friendly);
    row.dbs_required = Set(v.dbs_required);
    row.places = Set(v.places);
    row.commitment = Set(v.commitment.clone());
    row.hours_per_week = Set(v.hours_per_week);
    row.closes_at = Set(v.closes_at);
    row.contact_name = Set(v.contact_name.clone());
    row.contact_email = Set(v.contact_email.clone());
    row.hub_id = Set(v.hub_id);
    row.updated_at = Set(crate::db::now());
}

async fn replace_causes_and_skills<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
    cause_ids: &[i32],
    skills: &[(i32, i32)],
) -> Result<(), DbErr> {
    role_cause::Entity::delete_many()
        .filter(role_cause::Column::RoleId.eq(role_id))
        .exec(db)
        .await?;
    role_skill::Entity::delete_many()
        .filter(role_skill::Column::RoleId.eq(role_id))
        .exec(db)
        .await?;
    for &cause_id in cause_ids {
        role_cause::ActiveModel {
            role_id: Set(role_id),
            cause_id: Set(cause_id),
        }
        .insert(db)
        .await?;
    }
    for &(skill_id, min_level) in skills {
        role_skill::ActiveModel {
            role_id: Set(role_id),
            skill_id: Set(skill_id),
            min_level: Set(min_level),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A new role, saved as a draft.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    values: RoleValues,
) -> Result<role::Model, DbErr> {
    let now = crate::db::now();
    let mut row = role::ActiveModel {
        organisation_id: Set(organisation_id),
        access_provisions: Set(String::new()),
        languages: Set("en".to_owned()),
        status: Set(DRAFT.to_owned()),
        published_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    apply_values(&mut row, &values);
    let r = row.insert(db).await?;
    replace_causes_and_skills(db, r.id, &values.cause_ids, &values.skills).await?;
    crate::search::sync::queue_role(db, r.id).await?;
    Ok(r)
}

/// Saves the form over the role; its status stays as it was.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    r: role::Model,
    values: RoleValues,
) -> Result<role::Model, DbErr> {
    let mut row: role::ActiveModel = r.into();
    apply_values(&mut row, &values);
    let r = row.update(db).await?;
    replace_causes_and_skills(db, r.id, &values.cause_ids, &values.skills).await?;
    crate::search::sync::queue_role(db, r.id).await?;
    Ok(r)
}

/// Moves the role to `status`; the first opening is when it was published.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    r: role::Model,
    status: &str,
) -> Result<role::Model, DbErr> {
    let now = crate::db::now();
    let first_opening = status == OPEN && r.published_at.is_none();
    let mut row: role::ActiveModel = r.into();
    row.status = Set(status.to_owned());
    if first_opening {
        row.published_at = Set(Some(now));
    }
    row.updated_at = Set(now);
    let r = row.update(db).await?;
    crate::search::sync::queue_role(db, r.id).await?;
    Ok(r)
}

/// What the role form may hold for this organisation: the page and the API offer the same.
pub async fn choices(
    db: &sea_orm::DatabaseConnection,
    organisation_id: i32,
    existing: Option<&role::Model>,
) -> Result<RoleChoices, DbErr> {
    let (accepted, largest_session) = match existing {
        Some(r) => (
            accepted_count(db, r.id).await?,
            largest_session(db, r.id).await?,
        ),
        None => (0, None),
    };
    Ok(RoleChoices {
        today: Some(london_today(crate::db::now())),
        wards: super::vocab::wards(db).await?,
        causes: super::vocab::causes(db).await?,
        skills: skill_choices(db).await?,
        hubs: organisation_hubs(db, organisation_id).await?,
        accepted,
        largest_session,
    })
}

pub const NOT_APPROVED: &str =
    "Your organisation's roles can open once the alliance has approved the organisation";
pub const DRAFT_CANNOT_CLOSE: &str =
    "This role is a draft: volunteers cannot see it, so there is nothing to close";

/// Why a role's status cannot change.
#[derive(Debug)]
pub enum StatusRefusal {
    /// The organisation is still waiting for the alliance's approval.
    NotApproved,
    /// The role lacks what volunteers need (the role as locked, and what is missing).
    NotReady(Box<role::Model>, FieldErrors),
    /// Only an open role can be closed.
    Draft,
}

/// A status change done (with the status it came from), or nothing to do.
#[derive(Debug)]
pub enum StatusChange {
    Changed { role: role::Model, from: String },
    Unchanged(role::Model),
}

/// Opens the role inside `txn` (locking it first), unless the organisation is not
/// approved or the role is not ready. Opening an open role changes nothing.
pub async fn open<C: ConnectionTrait>(
    txn: &C,
    role_id: i32,
) -> Result<Result<StatusChange, StatusRefusal>, DbErr> {
    let Some(r) = lock(txn, role_id).await? else {
        return Err(DbErr::RecordNotFound(format!("role {role_id}")));
    };
    let approved = super::staff::find(txn, r.organisation_id)
        .await?
        .is_some_and(|o| o.status == super::staff::APPROVED);
    if !approved {
        return Ok(Err(StatusRefusal::NotApproved));
    }
    if r.status == OPEN {
        return Ok(Ok(StatusChange::Unchanged(r)));
    }
    let missing = not_ready_to_open(&r, crate::db::now());
    if !missing.is_empty() {
        return Ok(Err(StatusRefusal::NotReady(Box::new(r), missing)));
    }
    let from = r.status.clone();
    let role = set_status(txn, r, OPEN).await?;
    Ok(Ok(StatusChange::Changed { role, from }))
}

/// Closes an open role inside `txn` (locking it first). Closing a closed role changes
/// nothing; a draft cannot be closed.
pub async fn close<C: ConnectionTrait>(
    txn: &C,
    role_id: i32,
) -> Result<Result<StatusChange, StatusRefusal>, DbErr> {
    let Some(r) = lock(txn, role_id).await? else {
        return Err(DbErr::RecordNotFound(format!("role {role_id}")));
    };
    match r.status.as_str() {
        DRAFT => Ok(Err(StatusRefusal::Draft)),
        OPEN => {
            let role = set_status(txn, r, CLOSED).await?;
            Ok(Ok(StatusChange::Changed {
                role,
                from: OPEN.to_owned(),
            }))
        }
        _ => Ok(Ok(StatusChange::Unchanged(r))),
    }
}

/// "Copy of …", kept within the title's length.
pub fn copy_title(title: &str) -> String {
    let copy = format!("Copy of {title}");
    copy.chars().take(TITLE_MAX).collect()
}

/// A new draft with everything the role has: causes, skills and the sessions still to
/// come. A closing date already past is dropped, so the copy can be opened.
pub async fn duplicate<C: ConnectionTrait>(db: &C, r: &role::Model) -> Result<role::Model, DbErr> {
    let now = crate::db::now();
    let copy = role::ActiveModel {
        organisation_id: Set(r.organisation_id),
        hub_id: Set(r.hub_id),
        title: Set(copy_title(&r.title)),
        summary: Set(r.summary.clone()),
        description: Set(r.description.clone()),
        ward_id: Set(r.ward_id),
        postcode_district: Set(r.postcode_district.clone()),
        location_type: Set(r.location_type.clone()),
        min_age: Set(r.min_age),
        youth_friendly: Set(r.youth_friendly),
        dbs_required: Set(r.dbs_required),
        places: Set(r.places),
        commitment: Set(r.commitment.clone()),
        hours_per_week: Set(r.hours_per_week),
        access_provisions: Set(r.access_provisions.clone()),
        languages: Set(r.languages.clone()),
        contact_name: Set(r.contact_name.clone()),
        contact_email: Set(r.contact_email.clone()),
        status: Set(DRAFT.to_owned()),
        closes_at: Set(r.closes_at.filter(|t| *t > now)),
        published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let cause_ids: Vec<i32> = role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|rc| rc.cause_id)
        .collect();
    let skills: Vec<(i32, i32)> = role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|rs| (rs.skill_id, rs.min_level))
        .collect();
    replace_causes_and_skills(db, copy.id, &cause_ids, &skills).await?;
    for s in role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(r.id))
        .filter(role_session::Column::StartsAt.gt(now))
        .all(db)
        .await?
    {
        role_session::ActiveModel {
            role_id: Set(copy.id),
            starts_at: Set(s.starts_at),
            ends_at: Set(s.ends_at),
            places: Set(s.places),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    crate::search::sync::queue_role(db, copy.id).await?;
    Ok(copy)
}

/// Marks the role changed (a session added or removed).
pub async fn touch<C: ConnectionTrait>(db: &C, r: role::Model) -> Result<role::Model, DbErr> {
    let mut row: role::ActiveModel = r.into();
    row.updated_at = Set(crate::db::now());
    let r = row.update(db).await?;
    crate::search::sync::queue_role(db, r.id).await?;
    Ok(r)
}

// ---- sessions ----

/// The session form as typed: a date and London times.
#[derive(Clone, Debug, Default, garde::Validate)]
#[garde(context(SessionRules as rules))]
pub struct SessionForm {
    #[garde(custom(session_date))]
    pub date: DateParts,
    #[garde(custom(clock_time("start")))]
    pub starts: String,
    #[garde(custom(ends_after(&self.date, &self.starts)))]
    pub ends: String,
    #[garde(custom(session_places))]
    pub places: String,
}

/// What limits a session: now (no sessions in the past) and the role's places.
#[derive(Clone, Debug)]
pub struct SessionRules {
    pub now: OffsetDateTime,
    pub role_places: i32,
}

fn session_date(value: &DateParts, rules: &SessionRules) -> garde::Result {
    match value.parse() {
        Err(DateProblem::Missing) => Err(garde::Error::new("Enter the date of the session")),
        Err(DateProblem::Incomplete) => Err(garde::Error::new(
            "The date of the session must include a day, month and year",
        )),
        Err(DateProblem::NotReal) => Err(garde::Error::new(
            "The date of the session must be a real date, like 27 3 2027",
        )),
        Ok(date) if date < london_today(rules.now) => Err(garde::Error::new(
            "The date of the session must be today or in the future",
        )),
        Ok(_) => Ok(()),
    }
}

fn clock_time(which: &'static str) -> impl FnOnce(&str, &SessionRules) -> garde::Result {
    move |value, _| {
        if value.trim().is_empty() {
            return Err(garde::Error::new(format!(
                "Enter the {which} time, like 10am or 14:30"
            )));
        }
        match parse_clock(value) {
            Some(_) => Ok(()),
            None => Err(garde::Error::new(format!(
                "Enter the {which} time as a time of day, like 10am or 14:30"
            ))),
        }
    }
}

fn ends_after<'a>(
    date: &'a DateParts,
    starts: &'a str,
) -> impl FnOnce(&str, &SessionRules) -> garde::Result + 'a {
    move |value, rules| {
        clock_time("end")(value, rules)?;
        let (Some(start), Some(end)) = (parse_clock(starts), parse_clock(value)) else {
            return Ok(());
        };
        if end <= start {
            return Err(garde::Error::new(
                "The end time must be after the start time",
            ));
        }
        if let Ok(day) = date.parse()
            && london_to_utc(day, start) <= rules.now
        {
            // Reported on the end time only when the date itself is fine (today).
            return Err(garde::Error::new(
                "The session has already started: choose a later start time or date",
            ));
        }
        Ok(())
    }
}

fn session_places(value: &str, rules: &SessionRules) -> garde::Result {
    if value.trim().is_empty() {
        return Ok(());
    }
    match whole_number(value) {
        Some(n) if n > rules.role_places && n >= 1 => Err(garde::Error::new(format!(
            "A session cannot have more places than the role ({})",
            rules.role_places
        ))),
        Some(n) if n >= 1 => Ok(()),
        _ => Err(garde::Error::new(format!(
            "Places for the session must be a whole number between 1 and {}",
            rules.role_places
        ))),
    }
}

/// A checked session, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionValues {
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub places: Option<i32>,
}

impl SessionForm {
    pub fn check(&self, rules: &SessionRules) -> Result<SessionValues, FormErrors> {
        use garde::Validate;
        self.validate_with(rules).map_err(FormErrors::from)?;
        let (Ok(day), Some(start), Some(end)) = (
            self.date.parse(),
            parse_clock(&self.starts),
            parse_clock(&self.ends),
        ) else {
            let mut errors = FormErrors::new();
            errors.add("date", "Enter the date of the session");
            return Err(errors);
        };
        Ok(SessionValues {
            starts_at: london_to_utc(day, start),
            ends_at: london_to_utc(day, end),
            places: whole_number(&self.places),
        })
    }
}

/// A session in the role's list, with how many accepted volunteers chose it.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub session: role_session::Model,
    pub accepted: i64,
}

impl SessionRow {
    /// "Saturday 5 December 2026, 10am to 1pm" in London time.
    pub fn label(&self) -> String {
        format!(
            "{} to {}",
            london_time::date_time(self.session.starts_at),
            london_time::clock(london_time::to_london(self.session.ends_at))
        )
    }

    pub fn is_past(&self) -> bool {
        self.session.ends_at <= crate::db::now()
    }
}

pub async fn sessions<C: ConnectionTrait>(db: &C, role_id: i32) -> Result<Vec<SessionRow>, DbErr> {
    let sessions = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(role_id))
        .order_by_asc(role_session::Column::StartsAt)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(sessions.len());
    for session in sessions {
        let accepted = accepted_for_session(db, session.id).await?;
        rows.push(SessionRow { session, accepted });
    }
    Ok(rows)
}

/// Accepted volunteers who chose this session.
pub async fn accepted_for_session<C: ConnectionTrait>(
    db: &C,
    session_id: i32,
) -> Result<i64, DbErr> {
    let n: Option<i64> = application_session::Entity::find()
        .select_only()
        .column_as(
            Expr::col((
                application_session::Entity,
                application_session::Column::ApplicationId,
            ))
            .count(),
            "n",
        )
        .inner_join(application::Entity)
        .filter(application_session::Column::SessionId.eq(session_id))
        .filter(application::Column::Status.eq(ACCEPTED))
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.unwrap_or(0))
}

pub async fn add_session<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
    values: SessionValues,
) -> Result<role_session::Model, DbErr> {
    role_session::ActiveModel {
        role_id: Set(role_id),
        starts_at: Set(values.starts_at),
        ends_at: Set(values.ends_at),
        places: Set(values.places),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find_session<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
    session_id: i32,
) -> Result<Option<role_session::Model>, DbErr> {
    role_session::Entity::find_by_id(session_id)
        .filter(role_session::Column::RoleId.eq(role_id))
        .one(db)
        .await
}

pub async fn remove_session<C: ConnectionTrait>(db: &C, session_id: i32) -> Result<(), DbErr> {
    role_session::Entity::delete_by_id(session_id)
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    fn choices() -> RoleChoices {
        let named = |id, slug: &str| Named {
            id,
            name: slug.to_uppercase(),
            slug: slug.into(),
        };
        RoleChoices {
            today: Some(date!(2026 - 06 - 01)),
            wards: vec![named(1, "E05011110")],
            causes: vec![named(10, "food-poverty")],
            skills: vec![
                SkillChoice {
                    id: 30,
                    slug: "teamwork".into(),
                    name: "Teamwork".into(),
                    group: "essential".into(),
                },
                SkillChoice {
                    id: 31,
                    slug: "english".into(),
                    name: "English".into(),
                    group: "functional".into(),
                },
            ],
            hubs: vec![named(20, "peckham-hub")],
            accepted: 0,
            largest_session: None,
        }
    }

    fn good() -> RoleForm {
        RoleForm {
            title: "Food parcel packer".into(),
            summary: "Pack parcels on Saturdays".into(),
            ward: "E05011110".into(),
            postcode_district: "se15".into(),
            causes: vec!["food-poverty".into()],
            skills: vec![("teamwork".into(), "3".into())],
            hub: "peckham-hub".into(),
            ..RoleForm::blank()
        }
    }

    #[test]
    fn a_good_form_becomes_a_role() {
        let v = good().check(&choices()).unwrap();
        assert_eq!(v.min_age, 16);
        assert_eq!(v.postcode_district.as_deref(), Some("SE15"));
        assert_eq!(v.cause_ids, vec![10]);
        assert_eq!(v.skills, vec![(30, 3)]);
        assert_eq!(v.hub_id, Some(20));
        assert_eq!(v.closes_at, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        let cases: Vec<(RoleForm, &str, &str)> = vec![
            (
                RoleForm {
                    title: " ".into(),
                    ..good()
                },
                "title",
                "Enter a title for the role",
            ),
            (
                RoleForm {
                    places: "0".into(),
                    ..good()
                },
                "places",
                "The number of places must be between 1 and 500",
            ),
            (
                RoleForm {
                    places: "four".into(),
                    ..good()
                },
                "places",
                "Enter the number of places as a whole number, like 4",
            ),
            (
                RoleForm {
                    min_age: "18".into(),
                    youth_friendly: true,
                    ..good()
                },
                "youth_friendly",
                "A youth-friendly role must be open to under-18s: set the minimum age below 18, or untick youth-friendly",
            ),
            (
                RoleForm {
                    min_age: "13".into(),
                    ..good()
                },
                "min_age",
                "The minimum age must be between 14 and 99",
            ),
            (
                RoleForm {
                    ward: String::new(),
                    ..good()
                },
                "ward",
                "Select the ward where the volunteering happens",
            ),
            (
                RoleForm {
                    postcode_district: "SE15 4AB".into(),
                    ..good()
                },
                "postcode_district",
                "Enter the first part of the postcode only, like SE15",
            ),
            (
                RoleForm {
                    skills: vec![("teamwork".into(), "16".into())],
                    ..good()
                },
                "skill_teamwork",
                "Select a level for Teamwork from the list",
            ),
            (
                RoleForm {
                    skills: vec![("english".into(), "6".into())],
                    ..good()
                },
                "skill_english",
                "Select a level for English from the list",
            ),
            (
                RoleForm {
                    closes_on: DateParts {
                        day: "31".into(),
                        month: "5".into(),
                        year: "2026".into(),
                    },
                    ..good()
                },
                "closes_on",
                "The closing date must be today or in the future",
            ),
            (
                RoleForm {
                    closes_on: DateParts {
                        day: "30".into(),
                        month: "2".into(),
                        year: "2027".into(),
                    },
                    ..good()
                },
                "closes_on",
                "The closing date must be a real date, like 27 3 2027",
            ),
            (
                RoleForm {
                    summary: "one\nline".into(),
                    ..good()
                },
                "summary",
                "The summary must be one line",
            ),
            (
                RoleForm {
                    hub: "walworth-hub".into(),
                    ..good()
                },
                "hub",
                "Select one of your organisation's hubs",
            ),
        ];
        for (form, field, message) in cases {
            let errors = form.check(&choices()).unwrap_err();
            assert_eq!(errors.message(field), message, "{field}");
            assert_eq!(errors.iter().count(), 1, "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_remote_role_needs_no_ward_and_keeps_none() {
        let v = RoleForm {
            location_type: "remote".into(),
            ward: String::new(),
            postcode_district: String::new(),
            ..good()
        }
        .check(&choices())
        .unwrap();
        assert_eq!((v.ward_id, v.postcode_district), (None, None));
    }

    #[test]
    fn places_cannot_drop_below_accepted_volunteers_or_a_session() {
        let mut c = choices();
        c.accepted = 3;
        let errors = RoleForm {
            places: "2".into(),
            ..good()
        }
        .check(&c)
        .unwrap_err();
        assert!(
            errors
                .message("places")
                .contains("3 volunteers are already accepted")
        );
        c.accepted = 0;
        c.largest_session = Some(5);
        assert!(
            RoleForm {
                places: "4".into(),
                ..good()
            }
            .check(&c)
            .is_err()
        );
    }

    #[test]
    fn postcode_districts_are_outward_codes() {
        for ok in ["SE1", "SE15", "SE1P", "W1A", "E1"] {
            assert!(is_postcode_district(ok), "{ok}");
        }
        for bad in ["", "SE", "15", "SE155", "SE15 4AB", "SEA1", "se15"] {
            assert!(!is_postcode_district(bad), "{bad}");
        }
    }

    #[test]
    fn clock_times_read_as_people_write_them() {
        assert_eq!(parse_clock("10am"), Some(time!(10:00)));
        assert_eq!(parse_clock("2:30pm"), Some(time!(14:30)));
        assert_eq!(parse_clock("12pm"), Some(time!(12:00)));
        assert_eq!(parse_clock("12am"), Some(time!(00:00)));
        assert_eq!(parse_clock("14:30"), Some(time!(14:30)));
        assert_eq!(parse_clock("9.15"), Some(time!(09:15)));
        assert_eq!(parse_clock(" 7 PM "), Some(time!(19:00)));
        for bad in ["", "25:00", "13pm", "10:5", "ten", "10:60", "0am"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn london_times_are_stored_in_utc() {
        assert_eq!(
            london_to_utc(date!(2026 - 07 - 04), time!(10:00)),
            datetime!(2026-07-04 09:00 UTC)
        );
        assert_eq!(
            london_to_utc(date!(2026 - 12 - 05), time!(10:00)),
            datetime!(2026-12-05 10:00 UTC)
        );
        // The autumn hour that happens twice: the first (BST) one.
        assert_eq!(
            london_to_utc(date!(2026 - 10 - 25), time!(01:30)),
            datetime!(2026-10-25 00:30 UTC)
        );
        // A role closing on 4 July closes at the end of that day, London time.
        let closes = closes_at_end_of(date!(2026 - 07 - 04));
        assert_eq!(closes, datetime!(2026-07-04 22:59:59 UTC));
        assert_eq!(closing_date_of(closes), date!(2026 - 07 - 04));
    }

    fn session(date: (&str, &str, &str), starts: &str, ends: &str, places: &str) -> SessionForm {
        SessionForm {
            date: DateParts {
                day: date.0.into(),
                month: date.1.into(),
                year: date.2.into(),
            },
            starts: starts.into(),
            ends: ends.into(),
            places: places.into(),
        }
    }

    #[test]
    fn sessions_end_after_they_start_in_the_future_within_the_roles_places() {
        let rules = SessionRules {
            now: datetime!(2026-06-01 12:00 UTC),
            role_places: 4,
        };
        let ok = session(("4", "7", "2026"), "10am", "1pm", "2")
            .check(&rules)
            .unwrap();
        assert_eq!(ok.starts_at, datetime!(2026-07-04 09:00 UTC));
        assert_eq!(ok.ends_at, datetime!(2026-07-04 12:00 UTC));
        assert_eq!(ok.places, Some(2));

        let e = session(("4", "7", "2026"), "1pm", "10am", "")
            .check(&rules)
            .unwrap_err();
        assert_eq!(
            e.message("ends"),
            "The end time must be after the start time"
        );
        let e = session(("4", "7", "2026"), "10am", "1pm", "5")
            .check(&rules)
            .unwrap_err();
        assert_eq!(
            e.message("places"),
            "A session cannot have more places than the role (4)"
        );
        let e = session(("31", "5", "2026"), "10am", "1pm", "")
            .check(&rules)
            .unwrap_err();
        assert_eq!(
            e.message("date"),
            "The date of the session must be today or in the future"
        );
        let e = session(("1", "6", "2026"), "9am", "10am", "")
            .check(&rules)
            .unwrap_err();
        assert!(e.message("ends").contains("already started"));
        let e = session(("", "", ""), "", "", "0")
            .check(&rules)
            .unwrap_err();
        for field in ["date", "starts", "ends", "places"] {
            assert!(e.has(field), "{field}");
        }
    }

    #[test]
    fn a_role_is_ready_to_open_only_with_what_volunteers_need() {
        let now = datetime!(2026-06-01 12:00 UTC);
        let mut r = role::Model {
            id: 1,
            organisation_id: 1,
            hub_id: None,
            title: "Packer".into(),
            summary: "Pack".into(),
            description: String::new(),
            ward_id: None,
            postcode_district: None,
            location_type: "in_person".into(),
            min_age: 16,
            youth_friendly: false,
            dbs_required: false,
            places: 1,
            commitment: "regular".into(),
            hours_per_week: None,
            access_provisions: String::new(),
            languages: "en".into(),
            contact_name: None,
            contact_email: None,
            status: DRAFT.into(),
            closes_at: Some(datetime!(2026-05-31 23:00 UTC)),
            published_at: None,
            created_at: now,
            updated_at: now,
        };
        let missing = not_ready_to_open(&r, now);
        for field in [
            "description",
            "contact_name",
            "contact_email",
            "ward",
            "postcode_district",
            "closes_on",
        ] {
            assert!(missing.contains_key(field), "{field}");
        }
        r.description = "Pack parcels".into();
        r.contact_name = Some("Ama".into());
        r.contact_email = Some("ama@example.org".into());
        r.location_type = "remote".into();
        r.closes_at = None;
        assert!(not_ready_to_open(&r, now).is_empty());
    }
}
