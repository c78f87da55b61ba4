//! Matching wired to the database: facts for `domain::matching` built from profiles
//! and roles, candidates narrowed with indexed SQL, then scored and explained in Rust;
//! and invitations to apply for a suggested role.
//!
//! Causes need no synonym step here: `volunteer_cause` and `role_cause` both point at
//! rows of the cause vocabulary, whose slugs are canonical (synonyms live on the row
//! and are resolved when people pick causes), so both sides meet on slugs.
//!
//! Pathways: a volunteer's `pathway_stage_tags` are the tags of the stage they work
//! towards next on each pathway they are on, a role's the stages organisations tagged
//! it with ([`pathway_tags_for_volunteers`], [`pathway_tags_for_roles`]).
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::domain::london_time;
use crate::domain::matching::{
    self, LatLon, Match, Part, RoleFacts, RoleLocation, VolunteerFacts, Weights,
};
use crate::email;
use crate::entities::{
    application, availability, cause, organisation, role, role_cause, role_invitation,
    role_session, role_skill, skill, user, volunteer_cause, volunteer_profile, volunteer_skill,
    ward,
};
use crate::error::AppError;
use crate::models::roles::{self, split_tags};
use crate::models::sign_up::{self, ADULT_AGE};

/// Invitations in this many days count as "suggested lately" for the fairness
/// tie-break.
pub const RECENT_DAYS: i64 = 30;

/// One part of a score, for the API and the pages' "why" details.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatchPart {
    /// `skills`, `causes`, `availability`, `distance`, `pathway`, `urgency` or `fairness`.
    pub part: String,
    /// 0 to 1, before weighting.
    pub value: f64,
}

fn parts_of(m: &Match) -> Vec<MatchPart> {
    m.parts
        .iter()
        .map(|(p, v)| MatchPart {
            part: p.as_str().to_owned(),
            value: *v,
        })
        .collect()
}

/// A role recommended to a volunteer, with why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleRecommendation {
    pub role_id: i32,
    pub title: String,
    pub summary: String,
    pub organisation: String,
    /// The role's ward, if it has one.
    pub ward: Option<String>,
    /// `in_person`, `remote` or `hybrid`.
    pub location_type: String,
    /// 0 to 1.
    pub score: f64,
    /// Up to three reasons in plain words, strongest first.
    pub reasons: Vec<String>,
    pub parts: Vec<MatchPart>,
}

impl RoleRecommendation {
    /// "87% match", for pages.
    pub fn percent(&self) -> String {
        format!("{:.0}% match", self.score * 100.0)
    }
}

/// A volunteer suggested to an organisation for a role: as little about them as
/// will do (first name, ward, why), never anything from equality monitoring.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VolunteerSuggestion {
    pub volunteer_profile_id: i32,
    pub first_name: String,
    pub ward: Option<String>,
    /// 0 to 1.
    pub score: f64,
    pub reasons: Vec<String>,
    pub parts: Vec<MatchPart>,
    /// When the organisation invited them to apply for this role, if it has.
    #[serde(with = "time::serde::rfc3339::option")]
    pub invited_at: Option<OffsetDateTime>,
}

impl VolunteerSuggestion {
    pub fn percent(&self) -> String {
        format!("{:.0}% match", self.score * 100.0)
    }

    pub fn invited_on(&self) -> Option<String> {
        self.invited_at.map(london_time::date)
    }
}

/// The vocabularies and ward centroids every fact needs, loaded once per request.
pub struct Vocab {
    wards: HashMap<i32, (String, LatLon)>,
    skills: HashMap<i32, String>,
    causes: HashMap<i32, String>,
}

impl Vocab {
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        let wards = ward::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|w| (w.id, (w.name, LatLon::new(w.centroid_lat, w.centroid_lon))))
            .collect();
        let skills = skill::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.slug))
            .collect();
        let causes = cause::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.slug))
            .collect();
        Ok(Self {
            wards,
            skills,
            causes,
        })
    }

    fn centroid(&self, ward_id: Option<i32>) -> Option<LatLon> {
        ward_id.and_then(|w| self.wards.get(&w)).map(|(_, c)| *c)
    }

    fn ward_name(&self, ward_id: Option<i32>) -> Option<String> {
        ward_id
            .and_then(|w| self.wards.get(&w))
            .map(|(n, _)| n.clone())
    }

    /// Wards whose centroid is within `km` of `from` (the volunteer's or the role's).
    fn wards_within(&self, from: LatLon, km: f64) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .wards
            .iter()
            .filter(|(_, (_, c))| matching::haversine_km(from, *c) <= km)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Every ward with its distance from `to`, for the per-volunteer travel filter.
    fn distances_to(&self, to: LatLon) -> Vec<(i32, f64)> {
        let mut out: Vec<(i32, f64)> = self
            .wards
            .iter()
            .map(|(id, (_, c))| (*id, matching::haversine_km(*c, to)))
            .collect();
        out.sort_by_key(|(id, _)| *id);
        out
    }
}

/// Today in London, which is what ages are counted against.
fn london_today(now: OffsetDateTime) -> Date {
    london_time::to_london(now).date()
}

// ---- volunteers ----

#[derive(Debug, FromQueryResult)]
struct VolunteerRow {
    id: i32,
    date_of_birth: Date,
    ward_id: Option<i32>,
    travel_km: i32,
    remote_ok: bool,
    languages: String,
    access_needs: String,
    dbs_checked_on: Option<Date>,
    guardian_consent_at: Option<OffsetDateTime>,
    display_name: String,
}

fn volunteer_columns() -> SelectStatement {
    Query::select()
        .columns([
            (volunteer_profile::Entity, volunteer_profile::Column::Id),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::DateOfBirth,
            ),
            (volunteer_profile::Entity, volunteer_profile::Column::WardId),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::TravelKm,
            ),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::RemoteOk,
            ),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::Languages,
            ),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::AccessNeeds,
            ),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::DbsCheckedOn,
            ),
            (
                volunteer_profile::Entity,
                volunteer_profile::Column::GuardianConsentAt,
            ),
        ])
        .expr_as(
            Expr::col((user::Entity, user::Column::DisplayName)),
            "display_name",
        )
        .from(volunteer_profile::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((volunteer_profile::Entity, volunteer_profile::Column::UserId)),
        )
        .to_owned()
}

async fn volunteer_rows<C: ConnectionTrait>(
    db: &C,
    cond: Condition,
) -> Result<Vec<VolunteerRow>, DbErr> {
    let stmt = volunteer_columns().cond_where(cond).to_owned();
    let rows = db.query_all(&stmt).await?;
    rows.iter()
        .map(|r| VolunteerRow::from_query_result(r, ""))
        .collect()
}

/// Skills, causes, slots and recent invitations of the volunteers `ids` selects.
async fn volunteer_facts<C: ConnectionTrait>(
    db: &C,
    vocab: &Vocab,
    rows: &[VolunteerRow],
    ids: SelectStatement,
    now: OffsetDateTime,
) -> Result<Vec<VolunteerFacts>, DbErr> {
    let today = london_today(now);
    let mut skills: HashMap<i32, Vec<(String, i32)>> = HashMap::new();
    for (v, s, level) in volunteer_skill::Entity::find()
        .select_only()
        .columns([
            volunteer_skill::Column::VolunteerId,
            volunteer_skill::Column::SkillId,
            volunteer_skill::Column::Level,
        ])
        .filter(volunteer_skill::Column::VolunteerId.in_subquery(ids.clone()))
        .into_tuple::<(i32, i32, i32)>()
        .all(db)
        .await?
    {
        if let Some(slug) = vocab.skills.get(&s) {
            skills.entry(v).or_default().push((slug.clone(), level));
        }
    }
    let mut causes: HashMap<i32, Vec<String>> = HashMap::new();
    for (v, c) in volunteer_cause::Entity::find()
        .select_only()
        .columns([
            volunteer_cause::Column::VolunteerId,
            volunteer_cause::Column::CauseId,
        ])
        .filter(volunteer_cause::Column::VolunteerId.in_subquery(ids.clone()))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
    {
        if let Some(slug) = vocab.causes.get(&c) {
            causes.entry(v).or_default().push(slug.clone());
        }
    }
    let mut slots: HashMap<i32, u32> = HashMap::new();
    for (v, slot) in availability::Entity::find()
        .select_only()
        .columns([
            availability::Column::VolunteerId,
            availability::Column::Slot,
        ])
        .filter(availability::Column::VolunteerId.in_subquery(ids.clone()))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
    {
        *slots.entry(v).or_default() |= matching::availability_mask([slot.as_str()]);
    }
    let recent = recent_invitations(db, ids.clone(), now).await?;
    let mut pathway = pathway_tags_for_volunteers(db, ids).await?;

    Ok(rows
        .iter()
        .map(|r| VolunteerFacts {
            id: r.id,
            age_years: sign_up::age_on(r.date_of_birth, today),
            ward_centroid: vocab.centroid(r.ward_id),
            travel_km: f64::from(Ord::max(r.travel_km, 0)),
            remote_ok: r.remote_ok,
            dbs_checked: r.dbs_checked_on.is_some(),
            guardian_consent: r.guardian_consent_at.is_some(),
            languages: split_tags(&r.languages),
            access_needs: split_tags(&r.access_needs),
            skills: skills.remove(&r.id).unwrap_or_default(),
            causes: causes.remove(&r.id).unwrap_or_default(),
            availability: slots.get(&r.id).copied().unwrap_or(0),
            pathway_stage_tags: pathway.remove(&r.id).unwrap_or_default(),
            recent_suggestions: recent.get(&r.id).copied().unwrap_or(0),
        })
        .collect())
}

/// Invitations each volunteer got in the last [`RECENT_DAYS`] days.
async fn recent_invitations<C: ConnectionTrait>(
    db: &C,
    ids: SelectStatement,
    now: OffsetDateTime,
) -> Result<HashMap<i32, u32>, DbErr> {
    Ok(role_invitation::Entity::find()
        .select_only()
        .column(role_invitation::Column::VolunteerProfileId)
        .column_as(
            Expr::col((role_invitation::Entity, role_invitation::Column::Id)).count(),
            "n",
        )
        .filter(role_invitation::Column::VolunteerProfileId.in_subquery(ids))
        .filter(role_invitation::Column::CreatedAt.gt(now - Duration::days(RECENT_DAYS)))
        .group_by(role_invitation::Column::VolunteerProfileId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(v, n)| (v, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// The hook for skills pathways: tags of the stage each volunteer works towards
/// next on each pathway they are on (only those enrolled are looked at further).
async fn pathway_tags_for_volunteers<C: ConnectionTrait>(
    db: &C,
    ids: SelectStatement,
) -> Result<HashMap<i32, Vec<String>>, DbErr> {
    let enrolled: Vec<i32> = crate::entities::pathway_enrolment::Entity::find()
        .select_only()
        .column(crate::entities::pathway_enrolment::Column::VolunteerProfileId)
        .filter(crate::entities::pathway_enrolment::Column::VolunteerProfileId.in_subquery(ids))
        .filter(crate::entities::pathway_enrolment::Column::LeftAt.is_null())
        .into_tuple::<i32>()
        .all(db)
        .await?;
    if enrolled.is_empty() {
        return Ok(HashMap::new());
    }
    crate::models::pathways::next_stage_tags(db, enrolled).await
}

/// The hook for skills pathways: the stage tags each role counts toward.
async fn pathway_tags_for_roles<C: ConnectionTrait>(
    db: &C,
    ids: SelectStatement,
) -> Result<HashMap<i32, Vec<String>>, DbErr> {
    let tagged: Vec<i32> = crate::entities::role_pathway_stage::Entity::find()
        .select_only()
        .column(crate::entities::role_pathway_stage::Column::RoleId)
        .filter(crate::entities::role_pathway_stage::Column::RoleId.in_subquery(ids))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    if tagged.is_empty() {
        return Ok(HashMap::new());
    }
    crate::models::pathways::tags_of_roles(db, tagged).await
}

/// One volunteer's facts, and their ward's name.
pub async fn facts_for_volunteer<C: ConnectionTrait>(
    db: &C,
    vocab: &Vocab,
    volunteer_profile_id: i32,
    now: OffsetDateTime,
) -> Result<Option<VolunteerFacts>, DbErr> {
    let cond = Condition::all().add(
        Expr::col((volunteer_profile::Entity, volunteer_profile::Column::Id))
            .eq(volunteer_profile_id),
    );
    let rows = volunteer_rows(db, cond).await?;
    let ids = Query::select()
        .expr(Expr::val(volunteer_profile_id))
        .to_owned();
    Ok(volunteer_facts(db, vocab, &rows, ids, now)
        .await?
        .into_iter()
        .next())
}

// ---- roles ----

#[derive(Debug, FromQueryResult)]
struct RoleRow {
    id: i32,
    organisation_id: i32,
    title: String,
    summary: String,
    ward_id: Option<i32>,
    location_type: String,
    min_age: i32,
    youth_friendly: bool,
    dbs_required: bool,
    places: i32,
    access_provisions: String,
    languages: String,
    status: String,
    closes_at: Option<OffsetDateTime>,
}

/// Role rows the condition selects, without their long descriptions.
async fn role_rows<C: ConnectionTrait>(db: &C, cond: Condition) -> Result<Vec<RoleRow>, DbErr> {
    role::Entity::find()
        .select_only()
        .columns([
            role::Column::Id,
            role::Column::OrganisationId,
            role::Column::Title,
            role::Column::Summary,
            role::Column::WardId,
            role::Column::LocationType,
            role::Column::MinAge,
            role::Column::YouthFriendly,
            role::Column::DbsRequired,
            role::Column::Places,
            role::Column::AccessProvisions,
            role::Column::Languages,
            role::Column::Status,
            role::Column::ClosesAt,
        ])
        .filter(cond)
        .order_by_asc(role::Column::Id)
        .into_model::<RoleRow>()
        .all(db)
        .await
}

fn role_ids(cond: Condition) -> SelectStatement {
    Query::select()
        .column((role::Entity, role::Column::Id))
        .from(role::Entity)
        .cond_where(cond)
        .to_owned()
}

/// Skills, causes, session slots and places taken of the roles `ids` selects.
async fn role_facts<C: ConnectionTrait>(
    db: &C,
    vocab: &Vocab,
    rows: &[RoleRow],
    ids: SelectStatement,
    now: OffsetDateTime,
) -> Result<Vec<RoleFacts>, DbErr> {
    let mut skills: HashMap<i32, Vec<(String, i32)>> = HashMap::new();
    for (r, s, level) in role_skill::Entity::find()
        .select_only()
        .columns([
            role_skill::Column::RoleId,
            role_skill::Column::SkillId,
            role_skill::Column::MinLevel,
        ])
        .filter(role_skill::Column::RoleId.in_subquery(ids.clone()))
        .into_tuple::<(i32, i32, i32)>()
        .all(db)
        .await?
    {
        if let Some(slug) = vocab.skills.get(&s) {
            skills.entry(r).or_default().push((slug.clone(), level));
        }
    }
    let mut causes: HashMap<i32, Vec<String>> = HashMap::new();
    for (r, c) in role_cause::Entity::find()
        .select_only()
        .columns([role_cause::Column::RoleId, role_cause::Column::CauseId])
        .filter(role_cause::Column::RoleId.in_subquery(ids.clone()))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
    {
        if let Some(slug) = vocab.causes.get(&c) {
            causes.entry(r).or_default().push(slug.clone());
        }
    }
    // Only sessions still to come say when the role needs people.
    let mut slots: HashMap<i32, u32> = HashMap::new();
    for (r, starts_at) in role_session::Entity::find()
        .select_only()
        .columns([role_session::Column::RoleId, role_session::Column::StartsAt])
        .filter(role_session::Column::RoleId.in_subquery(ids.clone()))
        .filter(role_session::Column::StartsAt.gt(now))
        .into_tuple::<(i32, OffsetDateTime)>()
        .all(db)
        .await?
    {
        let local = london_time::to_london(starts_at);
        *slots.entry(r).or_default() |=
            matching::session_slot(local.weekday().number_days_from_monday(), local.hour());
    }
    let taken: HashMap<i32, i64> = application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .column_as(
            Expr::col((application::Entity, application::Column::Id)).count(),
            "n",
        )
        .filter(application::Column::RoleId.in_subquery(ids.clone()))
        .filter(application::Column::Status.eq("accepted"))
        .group_by(application::Column::RoleId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut pathway = pathway_tags_for_roles(db, ids).await?;

    Ok(rows
        .iter()
        .map(|r| {
            let place = vocab.centroid(r.ward_id);
            let filled = taken.get(&r.id).copied().unwrap_or(0);
            RoleFacts {
                id: r.id,
                open: r.status == roles::OPEN && r.closes_at.is_none_or(|c| c > now),
                places_left: i32::try_from(i64::from(r.places) - filled).unwrap_or(0),
                places: r.places,
                min_age: r.min_age,
                youth_friendly: r.youth_friendly,
                dbs_required: r.dbs_required,
                location: match r.location_type.as_str() {
                    "remote" => RoleLocation::Remote,
                    "hybrid" => RoleLocation::Hybrid(place),
                    _ => RoleLocation::InPerson(place),
                },
                languages: split_tags(&r.languages),
                access_provisions: split_tags(&r.access_provisions),
                skills_wanted: skills.remove(&r.id).unwrap_or_default(),
                causes: causes.remove(&r.id).unwrap_or_default(),
                session_slots: slots.get(&r.id).copied().unwrap_or(0),
                pathway_stage_tags: pathway.remove(&r.id).unwrap_or_default(),
                days_to_close: r.closes_at.map(|c| (c - now).whole_days()),
            }
        })
        .collect())
}

/// The SQL half of eligibility for one volunteer: open roles they could take, by
/// the indexed columns (status, closing date, age, DBS, remote, ward). Roles they
/// already applied for are left out. The rest (places, access, language) is
/// decided in Rust.
fn roles_open_to(vocab: &Vocab, v: &VolunteerFacts, now: OffsetDateTime) -> Condition {
    let mut cond = roles::is_open(now).add(role::Column::MinAge.lte(v.age_years));
    if v.age_years < ADULT_AGE {
        cond = cond.add(role::Column::YouthFriendly.eq(true));
    }
    if !v.dbs_checked {
        cond = cond.add(role::Column::DbsRequired.eq(false));
    }
    if !v.remote_ok {
        cond = cond.add(role::Column::LocationType.ne("remote"));
    }
    if let Some(home) = v.ward_centroid {
        cond = cond.add(
            Condition::any()
                .add(role::Column::LocationType.eq("remote"))
                .add(role::Column::WardId.is_null())
                .add(role::Column::WardId.is_in(vocab.wards_within(home, v.travel_km))),
        );
    }
    cond.add(
        role::Column::Id.not_in_subquery(
            Query::select()
                .column(application::Column::RoleId)
                .from(application::Entity)
                .and_where(Expr::col(application::Column::VolunteerId).eq(v.id))
                .and_where(Expr::col(application::Column::Status).ne("withdrawn"))
                .to_owned(),
        ),
    )
}

/// Organisation names for role cards.
async fn organisation_names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// Eligible open roles and their facts for one volunteer (the candidates, unranked).
async fn candidate_roles<C: ConnectionTrait>(
    db: &C,
    vocab: &Vocab,
    v: &VolunteerFacts,
    also: Condition,
    now: OffsetDateTime,
) -> Result<(Vec<RoleFacts>, HashMap<i32, RoleRow>), DbErr> {
    let cond = roles_open_to(vocab, v, now).add(also);
    let rows = role_rows(db, cond.clone()).await?;
    let facts = role_facts(db, vocab, &rows, role_ids(cond), now).await?;
    Ok((facts, rows.into_iter().map(|r| (r.id, r)).collect()))
}

/// The best `limit` roles for a volunteer, best first, each with its score and
/// three reasons. Empty if the profile does not exist.
pub async fn recommend_roles<C: ConnectionTrait>(
    db: &C,
    weights: &Weights,
    volunteer_profile_id: i32,
    limit: usize,
) -> Result<Vec<RoleRecommendation>, DbErr> {
    recommend_roles_for_referral(
        db,
        weights,
        volunteer_profile_id,
        &ReferralNeeds::default(),
        limit,
    )
    .await
}

/// What a social referral asks of a role, on top of the resident's own profile (the
/// front desk's "what to arrange").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReferralNeeds {
    /// The role must offer step-free access.
    pub step_free: bool,
    /// Only one-off or flexible roles.
    pub low_commitment: bool,
}

/// Commitments a resident who asked for a low commitment to start with can take on.
pub const LOW_COMMITMENTS: [&str; 2] = ["one_off", "flexible"];

/// The best `limit` roles for a resident a link worker is about to refer: as
/// [`recommend_roles`], and every role also meets the referral's needs.
pub async fn recommend_roles_for_referral<C: ConnectionTrait>(
    db: &C,
    weights: &Weights,
    volunteer_profile_id: i32,
    needs: &ReferralNeeds,
    limit: usize,
) -> Result<Vec<RoleRecommendation>, DbErr> {
    let now = crate::db::now();
    let vocab = Vocab::load(db).await?;
    let Some(mut v) = facts_for_volunteer(db, &vocab, volunteer_profile_id, now).await? else {
        return Ok(Vec::new());
    };
    // Step-free access is an access need like the profile's own: eligibility excludes
    // roles that cannot provide it.
    if needs.step_free && !v.access_needs.iter().any(|n| n == "step_free") {
        v.access_needs.push("step_free".to_owned());
    }
    let mut also = Condition::all();
    if needs.low_commitment {
        also = also.add(role::Column::Commitment.is_in(LOW_COMMITMENTS));
    }
    let (facts, mut rows) = candidate_roles(db, &vocab, &v, also, now).await?;
    let ranked = matching::rank_roles_for(&v, &facts, weights, limit);
    let orgs = organisation_names(
        db,
        ranked
            .iter()
            .filter_map(|(id, _)| rows.get(id).map(|r| r.organisation_id))
            .collect(),
    )
    .await?;
    Ok(ranked
        .into_iter()
        .filter_map(|(id, m)| {
            let r = rows.remove(&id)?;
            Some(RoleRecommendation {
                role_id: r.id,
                organisation: orgs.get(&r.organisation_id).cloned().unwrap_or_default(),
                ward: vocab.ward_name(r.ward_id),
                title: r.title,
                summary: r.summary,
                location_type: r.location_type,
                score: m.score,
                parts: parts_of(&m),
                reasons: m.reasons,
            })
        })
        .collect())
}

/// One role's facts (whatever its status), if it exists.
pub async fn facts_for_role<C: ConnectionTrait>(
    db: &C,
    vocab: &Vocab,
    role_id: i32,
    now: OffsetDateTime,
) -> Result<Option<RoleFacts>, DbErr> {
    let cond = Condition::all().add(role::Column::Id.eq(role_id));
    let rows = role_rows(db, cond.clone()).await?;
    Ok(role_facts(db, vocab, &rows, role_ids(cond), now)
        .await?
        .into_iter()
        .next())
}

/// The SQL half of eligibility for one role: volunteers who opted in to being
/// suggested, with an active account, old enough, DBS-checked if needed, happy
/// remotely for a remote role, living within their own travel distance of an
/// in-person one; not already applied.
fn volunteers_open_to(vocab: &Vocab, r: &RoleFacts, now: OffsetDateTime) -> Condition {
    let vp = |c: volunteer_profile::Column| Expr::col((volunteer_profile::Entity, c));
    let today = london_today(now);
    // Born on or before this day: at least `years` old today.
    let born_by = |years: i32| {
        today
            .replace_year(today.year() - years)
            .or_else(|_| Date::from_calendar_date(today.year() - years, today.month(), 28))
            .unwrap_or(today)
    };
    let mut cond = Condition::all()
        .add(vp(volunteer_profile::Column::OpenToSuggestions).eq(true))
        .add(Expr::col((user::Entity, user::Column::Status)).eq("active"))
        .add(Expr::col((user::Entity, user::Column::ErasedAt)).is_null())
        .add(vp(volunteer_profile::Column::DateOfBirth).lte(born_by(Ord::max(r.min_age, 0))));
    if !r.youth_friendly {
        cond = cond.add(vp(volunteer_profile::Column::DateOfBirth).lte(born_by(ADULT_AGE)));
    }
    if r.dbs_required {
        cond = cond.add(vp(volunteer_profile::Column::DbsCheckedOn).is_not_null());
    }
    match r.location {
        RoleLocation::Remote => {
            cond = cond.add(vp(volunteer_profile::Column::RemoteOk).eq(true));
        }
        RoleLocation::InPerson(Some(place)) | RoleLocation::Hybrid(Some(place)) => {
            // Each ward, and how far it is: a volunteer there qualifies if they travel
            // at least that far (a short OR over the borough's wards).
            let mut near = Condition::any().add(vp(volunteer_profile::Column::WardId).is_null());
            for (ward_id, km) in vocab.distances_to(place) {
                near = near.add(
                    Condition::all()
                        .add(vp(volunteer_profile::Column::WardId).eq(ward_id))
                        .add(vp(volunteer_profile::Column::TravelKm).gte(km.ceil() as i32)),
                );
            }
            cond = cond.add(near);
        }
        _ => {}
    }
    cond.add(
        vp(volunteer_profile::Column::Id).not_in_subquery(
            Query::select()
                .column(application::Column::VolunteerId)
                .from(application::Entity)
                .and_where(Expr::col(application::Column::RoleId).eq(r.id))
                .and_where(Expr::col(application::Column::Status).ne("withdrawn"))
                .to_owned(),
        ),
    )
}

/// The best `limit` volunteers for a role among those who opted in, best first;
/// near-ties go to volunteers invited less lately. Empty if the role does not exist.
pub async fn suggest_volunteers<C: ConnectionTrait>(
    db: &C,
    weights: &Weights,
    role_id: i32,
    limit: usize,
) -> Result<Vec<VolunteerSuggestion>, DbErr> {
    let now = crate::db::now();
    let vocab = Vocab::load(db).await?;
    let Some(r) = facts_for_role(db, &vocab, role_id, now).await? else {
        return Ok(Vec::new());
    };
    let cond = volunteers_open_to(&vocab, &r, now);
    let rows = volunteer_rows(db, cond.clone()).await?;
    let ids = Query::select()
        .column((volunteer_profile::Entity, volunteer_profile::Column::Id))
        .from(volunteer_profile::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((volunteer_profile::Entity, volunteer_profile::Column::UserId)),
        )
        .cond_where(cond)
        .to_owned();
    let facts = volunteer_facts(db, &vocab, &rows, ids, now).await?;
    let ranked = matching::rank_volunteers_for(&r, &facts, weights, limit);
    let invited: HashMap<i32, OffsetDateTime> = role_invitation::Entity::find()
        .filter(role_invitation::Column::RoleId.eq(role_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.volunteer_profile_id, i.created_at))
        .collect();
    let rows: HashMap<i32, &VolunteerRow> = rows.iter().map(|r| (r.id, r)).collect();
    Ok(ranked
        .into_iter()
        .filter_map(|(id, m)| {
            let row = rows.get(&id)?;
            Some(VolunteerSuggestion {
                volunteer_profile_id: id,
                first_name: sign_up::first_name(&row.display_name).to_owned(),
                ward: vocab.ward_name(row.ward_id),
                score: m.score,
                parts: parts_of(&m),
                reasons: m.reasons,
                invited_at: invited.get(&id).copied(),
            })
        })
        .collect())
}

// ---- invitations ----

/// Why an invitation was refused (a 400 naming `volunteer`).
pub const ALREADY_INVITED: &str = "This volunteer has already been invited to apply for this role";
pub const NOT_SUGGESTED: &str = "This volunteer is not among the role's suggested volunteers (they may not have opted in, \
     may not be eligible, or may have applied already)";

/// Who is inviting, for the record and the email.
pub struct Inviter<'a> {
    pub user_id: i32,
    pub ip: Option<String>,
    pub link: &'a (dyn Fn(&str) -> String + Sync),
}

/// Records an invitation to apply and queues its email, in the caller's transaction.
/// Refuses (400 on `volunteer`) a volunteer who is not eligible and opted in for this
/// role, and a second invitation of the same volunteer to the same role.
pub async fn invite<C: ConnectionTrait>(
    db: &C,
    by: &Inviter<'_>,
    role_id: i32,
    volunteer_profile_id: i32,
    message: &str,
) -> Result<role_invitation::Model, AppError> {
    let refuse = |why: &str| AppError::field("volunteer", why);
    let already = role_invitation::Entity::find()
        .filter(role_invitation::Column::RoleId.eq(role_id))
        .filter(role_invitation::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .count(db)
        .await?;
    if already > 0 {
        return Err(refuse(ALREADY_INVITED));
    }
    let now = crate::db::now();
    let vocab = Vocab::load(db).await?;
    let r = facts_for_role(db, &vocab, role_id, now)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    // The same rules as the list: SQL narrowing for this one volunteer, then the
    // domain's eligibility.
    let cond = volunteers_open_to(&vocab, &r, now).add(
        Expr::col((volunteer_profile::Entity, volunteer_profile::Column::Id))
            .eq(volunteer_profile_id),
    );
    let rows = volunteer_rows(db, cond).await?;
    let ids = Query::select()
        .expr(Expr::val(volunteer_profile_id))
        .to_owned();
    let facts = volunteer_facts(db, &vocab, &rows, ids, now).await?;
    let Some(v) = facts.first() else {
        return Err(refuse(NOT_SUGGESTED));
    };
    if matching::eligibility(v, &r).is_err() {
        return Err(refuse(NOT_SUGGESTED));
    }

    let row = role_invitation::ActiveModel {
        role_id: Set(role_id),
        volunteer_profile_id: Set(volunteer_profile_id),
        invited_by: Set(Some(by.user_id)),
        message: Set(message.trim().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match e.sql_err() {
        // Someone else at the organisation invited them a moment ago.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => refuse(ALREADY_INVITED),
        _ => e.into(),
    })?;

    let role_row = role::Entity::find_by_id(role_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    let org_name = organisation::Entity::find_by_id(role_row.organisation_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let person = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(_, u)| u)
        .ok_or(AppError::NotFound("volunteer"))?;
    // The link builder with an empty path is the service's own address.
    email::send(
        db,
        &(by.link)(""),
        &person.email,
        &email::kinds::InvitationToApply {
            first_name: sign_up::first_name(&person.display_name).to_owned(),
            role_title: role_row.title.clone(),
            organisation: org_name,
            role_url: (by.link)(&format!("/roles/{}", role_row.id)),
            message: message.trim().to_owned(),
        },
    )
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    crate::models::audit::record(
        db,
        crate::models::audit::Entry {
            actor_user_id: Some(by.user_id),
            action: "role.invite",
            subject_type: "role",
            subject_id: Some(role_id),
            detail: serde_json::json!({ "volunteer_profile_id": volunteer_profile_id }),
            ip: by.ip.clone(),
        },
    )
    .await?;
    Ok(row)
}

/// The whole fact set of every open role and every opted-in volunteer, for the
/// offline evaluation and the benchmarks (not for requests).
pub async fn all_open_facts<C: ConnectionTrait>(
    db: &C,
    now: OffsetDateTime,
) -> Result<(Vec<RoleFacts>, Vec<(i32, OffsetDateTime)>), DbErr> {
    let vocab = Vocab::load(db).await?;
    let cond = roles::is_open(now);
    let rows = role_rows(db, cond.clone()).await?;
    let facts = role_facts(db, &vocab, &rows, role_ids(cond.clone()), now).await?;
    let published: Vec<(i32, OffsetDateTime)> = role::Entity::find()
        .select_only()
        .columns([role::Column::Id, role::Column::CreatedAt])
        .filter(cond)
        .into_tuple::<(i32, OffsetDateTime)>()
        .all(db)
        .await?;
    Ok((facts, published))
}

/// Facts of volunteers the condition on `volunteer_profile` (and `users`) selects.
pub async fn volunteers_where<C: ConnectionTrait>(
    db: &C,
    cond: Condition,
    now: OffsetDateTime,
) -> Result<Vec<VolunteerFacts>, DbErr> {
    let vocab = Vocab::load(db).await?;
    let rows = volunteer_rows(db, cond.clone()).await?;
    let ids = Query::select()
        .column((volunteer_profile::Entity, volunteer_profile::Column::Id))
        .from(volunteer_profile::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((volunteer_profile::Entity, volunteer_profile::Column::UserId)),
        )
        .cond_where(cond)
        .to_owned();
    volunteer_facts(db, &vocab, &rows, ids, now).await
}

/// Parts in the order the domain declares them, for documentation.
pub fn part_names() -> Vec<&'static str> {
    Part::ALL.iter().map(|p| p.as_str()).collect()
}
