//! Roles as the public sees them: open roles filtered and paged, and one role in full.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use time::OffsetDateTime;

use super::{Named, Page};
use crate::domain::filters::{RoleFilter, RoleSort};
use crate::entities::{
    cause, hub, hub_membership, organisation, role, role_cause, role_session, role_skill, skill,
    ward,
};
use crate::error::AppError;

pub const OPEN: &str = "open";

/// A role in a list: enough to decide whether to read more.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleCard {
    pub id: i32,
    pub title: String,
    pub summary: String,
    pub organisation: Named,
    pub hub: Option<Named>,
    pub ward: Option<Named>,
    pub postcode_district: Option<String>,
    pub location_type: String,
    pub commitment: String,
    pub places: i32,
    pub youth_friendly: bool,
    pub min_age: i32,
    pub dbs_required: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    pub causes: Vec<Named>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkillWanted {
    pub name: String,
    pub group: String,
    pub min_level: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = RoleSession)]
pub struct Session {
    pub id: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub ends_at: OffsetDateTime,
    pub places: Option<i32>,
}

/// A role's own page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleDetail {
    #[serde(flatten)]
    pub card: RoleCard,
    pub status: String,
    pub description: String,
    pub hours_per_week: Option<i32>,
    pub access_provisions: Vec<String>,
    pub languages: Vec<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub skills: Vec<SkillWanted>,
    pub sessions: Vec<Session>,
}

/// Open, and not past its closing date.
pub(crate) fn is_open(now: OffsetDateTime) -> Condition {
    Condition::all().add(role::Column::Status.eq(OPEN)).add(
        Condition::any()
            .add(role::Column::ClosesAt.is_null())
            .add(role::Column::ClosesAt.gt(now)),
    )
}

/// Roles anyone may see, narrowed by the filter. Unknown slugs or codes are a 400
/// naming the parameter, so a mistyped link says so instead of showing nothing.
pub async fn list_open(
    db: &DatabaseConnection,
    filter: &RoleFilter,
) -> Result<Page<RoleCard>, AppError> {
    let mut query = role::Entity::find().filter(is_open(crate::db::now()));

    if !filter.causes.is_empty() {
        let found = cause::Entity::find()
            .filter(cause::Column::Slug.is_in(filter.causes.clone()))
            .all(db)
            .await?;
        if let Some(missing) = filter
            .causes
            .iter()
            .find(|s| !found.iter().any(|c| &&c.slug == s))
        {
            return Err(AppError::field(
                "cause",
                format!("there is no cause '{missing}'"),
            ));
        }
        let ids: Vec<i32> = found.iter().map(|c| c.id).collect();
        query = query.filter(
            role::Column::Id.in_subquery(
                Query::select()
                    .column(role_cause::Column::RoleId)
                    .from(role_cause::Entity)
                    .and_where(role_cause::Column::CauseId.is_in(ids))
                    .to_owned(),
            ),
        );
    }
    if let Some(code) = &filter.ward {
        let w = ward::Entity::find()
            .filter(ward::Column::Code.eq(code.as_str()))
            .one(db)
            .await?;
        let w = w.ok_or_else(|| AppError::field("ward", format!("there is no ward '{code}'")))?;
        query = query.filter(role::Column::WardId.eq(w.id));
    }
    if let Some(slug) = &filter.hub {
        let h = hub::Entity::find()
            .filter(hub::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?;
        let h = h.ok_or_else(|| AppError::field("hub", format!("there is no hub '{slug}'")))?;
        query = query.filter(in_hub(h.id));
    }
    if let Some(slug) = &filter.organisation {
        let o = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?;
        let o = o.ok_or_else(|| {
            AppError::field("organisation", format!("there is no organisation '{slug}'"))
        })?;
        query = query.filter(role::Column::OrganisationId.eq(o.id));
    }
    if filter.remote_only {
        query = query.filter(role::Column::LocationType.is_in(["remote", "hybrid"]));
    }
    if filter.youth_friendly {
        query = query.filter(role::Column::YouthFriendly.eq(true));
    }
    query = match filter.sort {
        RoleSort::ClosingSoon => {
            query.order_by_with_nulls(role::Column::ClosesAt, Order::Asc, NullOrdering::Last)
        }
        RoleSort::Newest => query
            .order_by_desc(role::Column::PublishedAt)
            .order_by_desc(role::Column::CreatedAt),
    }
    .order_by_asc(role::Column::Id);

    let paginator = query.paginate(db, u64::from(filter.per_page));
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(u64::from(filter.page - 1)).await?;
    Ok(Page {
        items: cards(db, rows).await?,
        total,
        page: filter.page,
        per_page: filter.per_page,
    })
}

/// A role belongs to a hub when posted there, or when posted by one of the hub's
/// organisations without naming a hub (as on the public hub page).
pub(crate) fn in_hub(hub_id: i32) -> Condition {
    Condition::any().add(role::Column::HubId.eq(hub_id)).add(
        Condition::all().add(role::Column::HubId.is_null()).add(
            role::Column::OrganisationId.in_subquery(
                Query::select()
                    .column(hub_membership::Column::OrganisationId)
                    .from(hub_membership::Entity)
                    .and_where(hub_membership::Column::HubId.eq(hub_id))
                    .to_owned(),
            ),
        ),
    )
}

/// Open roles of one organisation or hub, soonest closing first, for their pages.
pub async fn open_for_organisation(
    db: &DatabaseConnection,
    organisation_id: i32,
    limit: u64,
) -> Result<(Vec<RoleCard>, u64), DbErr> {
    let q = role::Entity::find()
        .filter(is_open(crate::db::now()))
        .filter(role::Column::OrganisationId.eq(organisation_id));
    open_page(db, q, limit).await
}

pub async fn open_for_hub(
    db: &DatabaseConnection,
    hub_id: i32,
    limit: u64,
) -> Result<(Vec<RoleCard>, u64), DbErr> {
    let q = role::Entity::find()
        .filter(is_open(crate::db::now()))
        .filter(in_hub(hub_id));
    open_page(db, q, limit).await
}

/// Open roles closing soonest, for the home page.
pub async fn closing_soon(db: &DatabaseConnection, limit: u64) -> Result<Vec<RoleCard>, DbErr> {
    let q = role::Entity::find()
        .filter(is_open(crate::db::now()))
        .filter(role::Column::ClosesAt.is_not_null());
    Ok(open_page(db, q, limit).await?.0)
}

pub async fn count_open(db: &DatabaseConnection) -> Result<u64, DbErr> {
    role::Entity::find()
        .filter(is_open(crate::db::now()))
        .count(db)
        .await
}

/// Open roles per cause, for the home page's "browse by cause".
pub async fn open_counts_by_cause(db: &DatabaseConnection) -> Result<HashMap<i32, i64>, DbErr> {
    let rows: Vec<(i32, i64)> = role_cause::Entity::find()
        .select_only()
        .column(role_cause::Column::CauseId)
        .column_as(
            Expr::col((role_cause::Entity, role_cause::Column::RoleId)).count(),
            "n",
        )
        .inner_join(role::Entity)
        .filter(is_open(crate::db::now()))
        .group_by(role_cause::Column::CauseId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn open_page(
    db: &DatabaseConnection,
    q: sea_orm::Select<role::Entity>,
    limit: u64,
) -> Result<(Vec<RoleCard>, u64), DbErr> {
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_with_nulls(role::Column::ClosesAt, Order::Asc, NullOrdering::Last)
        .order_by_asc(role::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok((cards(db, rows).await?, total))
}

/// One role with everything its page shows. Drafts are not public: they are a 404.
pub async fn find_public(db: &DatabaseConnection, id: i32) -> Result<RoleDetail, AppError> {
    let role = role::Entity::find_by_id(id)
        .filter(role::Column::Status.ne("draft"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    detail(db, role).await
}

/// Any role in full, drafts included: for its organisation's preview. Who may see it
/// is the caller's to check.
pub async fn find_for_preview(db: &DatabaseConnection, id: i32) -> Result<RoleDetail, AppError> {
    let role = role::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    detail(db, role).await
}

/// Everything a role's page shows, for a role already found.
async fn detail(db: &DatabaseConnection, role: role::Model) -> Result<RoleDetail, AppError> {
    let id = role.id;
    let skills = role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.eq(id))
        .find_also_related(skill::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(rs, s)| {
            s.map(|s| SkillWanted {
                name: s.name,
                group: s.skill_group,
                min_level: rs.min_level,
            })
        })
        .collect();
    let sessions = role_session::Entity::find()
        .filter(role_session::Column::RoleId.eq(id))
        .filter(role_session::Column::EndsAt.gt(crate::db::now()))
        .order_by_asc(role_session::Column::StartsAt)
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(|s| Session {
            id: s.id,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            places: s.places,
        })
        .collect();

    let status = role.status.clone();
    let description = role.description.clone();
    let hours_per_week = role.hours_per_week;
    let access_provisions = split_tags(&role.access_provisions)
        .iter()
        .map(|t| access_label(t))
        .collect();
    let languages = split_tags(&role.languages);
    let (contact_name, contact_email) = (role.contact_name.clone(), role.contact_email.clone());
    let card = cards(db, vec![role])
        .await?
        .pop()
        .ok_or(AppError::NotFound("role"))?;
    Ok(RoleDetail {
        card,
        status,
        description,
        hours_per_week,
        access_provisions,
        languages,
        contact_name,
        contact_email,
        skills,
        sessions,
    })
}

/// "step_free" -> "Step-free access"; unknown tags read as themselves.
fn access_label(tag: &str) -> String {
    crate::seed::vocab::ACCESS_TAGS
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or_else(|| tag.replace('_', " "), |(_, label)| (*label).to_owned())
}

pub fn split_tags(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Turns role rows into cards, loading organisations, hubs, wards and causes in
/// one query each rather than one per role.
async fn cards(db: &DatabaseConnection, rows: Vec<role::Model>) -> Result<Vec<RoleCard>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let role_ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let org_ids: Vec<i32> = rows.iter().map(|r| r.organisation_id).collect();
    let hub_ids: Vec<i32> = rows.iter().filter_map(|r| r.hub_id).collect();

    let orgs: HashMap<i32, Named> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.id,
                Named {
                    id: o.id,
                    name: o.name,
                    slug: o.slug,
                },
            )
        })
        .collect();
    let hubs: HashMap<i32, Named> = hub::Entity::find()
        .filter(hub::Column::Id.is_in(hub_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|h| {
            (
                h.id,
                Named {
                    id: h.id,
                    name: h.name,
                    slug: h.slug,
                },
            )
        })
        .collect();
    let wards: HashMap<i32, Named> = ward::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| {
            (
                w.id,
                Named {
                    id: w.id,
                    name: w.name,
                    slug: w.code,
                },
            )
        })
        .collect();
    let mut causes: HashMap<i32, Vec<Named>> = HashMap::new();
    for (rc, c) in role_cause::Entity::find()
        .filter(role_cause::Column::RoleId.is_in(role_ids))
        .find_also_related(cause::Entity)
        .order_by_asc(role_cause::Column::CauseId)
        .all(db)
        .await?
    {
        if let Some(c) = c {
            causes.entry(rc.role_id).or_default().push(Named {
                id: c.id,
                name: c.name,
                slug: c.slug,
            });
        }
    }

    Ok(rows
        .into_iter()
        .map(|r| RoleCard {
            organisation: orgs
                .get(&r.organisation_id)
                .cloned()
                .unwrap_or_else(|| Named {
                    id: r.organisation_id,
                    name: String::new(),
                    slug: String::new(),
                }),
            hub: r.hub_id.and_then(|h| hubs.get(&h).cloned()),
            ward: r.ward_id.and_then(|w| wards.get(&w).cloned()),
            causes: causes.remove(&r.id).unwrap_or_default(),
            id: r.id,
            title: r.title,
            summary: r.summary,
            postcode_district: r.postcode_district,
            location_type: r.location_type,
            commitment: r.commitment,
            places: r.places,
            youth_friendly: r.youth_friendly,
            min_age: r.min_age,
            dbs_required: r.dbs_required,
            closes_at: r.closes_at,
        })
        .collect())
}

/// Words for the role's facts, as pages show them.
impl RoleCard {
    pub fn location_label(&self) -> String {
        let place = match (&self.ward, &self.postcode_district) {
            (Some(w), Some(pc)) => format!("{} ({pc})", w.name),
            (Some(w), None) => w.name.clone(),
            (None, Some(pc)) => pc.clone(),
            (None, None) => String::new(),
        };
        match self.location_type.as_str() {
            "remote" => "Remote – from home".to_owned(),
            "hybrid" if place.is_empty() => "Hybrid – some from home".to_owned(),
            "hybrid" => format!("Hybrid – {place} and from home"),
            _ if place.is_empty() => "In person".to_owned(),
            _ => place,
        }
    }

    pub fn commitment_label(&self) -> &'static str {
        match self.commitment.as_str() {
            "one_off" => "One-off",
            "regular" => "Regular, weekly",
            _ => "Flexible",
        }
    }

    /// "Closes Saturday 5 December 2026", or nothing for open-ended roles.
    pub fn closes_label(&self) -> Option<String> {
        self.closes_at
            .map(|t| format!("Closes {}", crate::domain::london_time::date(t)))
    }

    pub fn places_label(&self) -> String {
        match self.places {
            1 => "1 place".to_owned(),
            n => format!("{n} places"),
        }
    }
}

impl Session {
    /// "Saturday 5 December 2026, 10am to 1pm" in London time.
    pub fn label(&self) -> String {
        use crate::domain::london_time::{clock, date_time, to_london};
        format!(
            "{} to {}",
            date_time(self.starts_at),
            clock(to_london(self.ends_at))
        )
    }
}

impl SkillWanted {
    pub fn level_label(&self) -> String {
        if self.min_level == 0 {
            "no experience needed".to_owned()
        } else {
            format!("step {} or above", self.min_level)
        }
    }
}

/// A search result on the roles list: the role's card and its highlighted text.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleHit {
    #[serde(flatten)]
    pub card: RoleCard,
    /// The title with matched words in `<mark>`; everything else escaped.
    pub title_html: String,
    /// The best matching passage, marked the same way.
    pub snippet_html: String,
}

/// A page of search results with facet counts, in the JSON list convention.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleSearchPage {
    pub items: Vec<RoleHit>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Facet -> values with how many matching roles have each, most first.
    #[schema(value_type = Object)]
    pub facets: std::collections::BTreeMap<String, Vec<crate::search::FacetCount>>,
}

/// Turns a search failure into the visitor's 400 (naming the parameter) or ours.
pub fn search_failure(e: crate::search::SearchError) -> AppError {
    match e.field() {
        Some((name, why)) => AppError::field(name, why),
        None => AppError::Internal(e.to_string()),
    }
}

/// Runs a checked search over the roles index. The hits become cards from the
/// database, in the index's order: a role closed a moment ago (its index update
/// still in the outbox) is left out rather than shown.
pub async fn search_open(
    db: &DatabaseConnection,
    index: &crate::search::SharedIndex,
    params: &crate::search::params::SearchParams,
) -> Result<RoleSearchPage, AppError> {
    use crate::search::{IndexName, SortBy};
    let mut query = params.query.clone();
    if let SortBy::Near { .. } = query.sort {
        let code = params.near.clone().unwrap_or_default();
        let w = ward::Entity::find()
            .filter(ward::Column::Code.eq(code.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("near", format!("there is no ward '{code}'")))?;
        query.sort = SortBy::Near {
            lat: w.centroid_lat,
            lon: w.centroid_lon,
        };
    }
    let found = index
        .search(IndexName::Roles, &query)
        .await
        .map_err(search_failure)?;
    let ids: Vec<i32> = found
        .hits
        .iter()
        .filter_map(|h| i32::try_from(h.id).ok())
        .collect();
    let rows = role::Entity::find()
        .filter(is_open(crate::db::now()))
        .filter(role::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut by_id: HashMap<i32, RoleCard> = cards(db, rows)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let items = found
        .hits
        .into_iter()
        .filter_map(|h| {
            let card = by_id.remove(&i32::try_from(h.id).ok()?)?;
            Some(RoleHit {
                card,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
            })
        })
        .collect();
    Ok(RoleSearchPage {
        items,
        total: found.total,
        page: query.page,
        per_page: query.per_page,
        facets: found.facets,
    })
}
