//! Organisations as the public sees them: approved ones, with their hubs and open roles.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use super::{Named, Page};
use crate::entities::{cause, hub, hub_membership, organisation, organisation_cause, role};
use crate::error::AppError;

pub const APPROVED: &str = "approved";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganisationSummary {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub hubs: Vec<Named>,
    pub open_roles: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganisationDetail {
    #[serde(flatten)]
    pub summary: OrganisationSummary,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub charity_number: Option<String>,
    pub safeguarding_lead: Option<String>,
    /// The causes the organisation works for.
    pub causes: Vec<Named>,
}

pub async fn list_approved(
    db: &DatabaseConnection,
    page: u32,
    per_page: u32,
) -> Result<Page<OrganisationSummary>, DbErr> {
    let paginator = organisation::Entity::find()
        .filter(organisation::Column::Status.eq(APPROVED))
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .paginate(db, u64::from(per_page));
    let total = paginator.num_items().await?;
    let rows = paginator
        .fetch_page(u64::from(page.saturating_sub(1)))
        .await?;
    Ok(Page {
        items: summaries(db, rows).await?,
        total,
        page,
        per_page,
    })
}

/// Organisations awaiting approval are not public yet: a 404.
pub async fn find_public(db: &DatabaseConnection, id: i32) -> Result<OrganisationDetail, AppError> {
    let org = organisation::Entity::find_by_id(id)
        .filter(organisation::Column::Status.eq(APPROVED))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let (website, email, phone) = (org.website.clone(), org.email.clone(), org.phone.clone());
    let (charity_number, safeguarding_lead) =
        (org.charity_number.clone(), org.safeguarding_lead.clone());
    let causes = causes_of(db, org.id).await?;
    let summary = summaries(db, vec![org])
        .await?
        .pop()
        .ok_or(AppError::NotFound("organisation"))?;
    Ok(OrganisationDetail {
        summary,
        website,
        email,
        phone,
        charity_number,
        safeguarding_lead,
        causes,
    })
}

/// The causes an organisation works for, by name.
pub async fn causes_of(db: &DatabaseConnection, organisation_id: i32) -> Result<Vec<Named>, DbErr> {
    let ids: Vec<i32> = organisation_cause::Entity::find()
        .select_only()
        .column(organisation_cause::Column::CauseId)
        .filter(organisation_cause::Column::OrganisationId.eq(organisation_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(cause::Entity::find()
        .filter(cause::Column::Id.is_in(ids))
        .order_by_asc(cause::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Named {
            id: c.id,
            name: c.name,
            slug: c.slug,
        })
        .collect())
}

/// Approved organisations of a hub, by name.
pub async fn in_hub(
    db: &DatabaseConnection,
    hub_id: i32,
) -> Result<Vec<OrganisationSummary>, DbErr> {
    let rows = organisation::Entity::find()
        .filter(organisation::Column::Status.eq(APPROVED))
        .inner_join(hub_membership::Entity)
        .filter(hub_membership::Column::HubId.eq(hub_id))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    summaries(db, rows).await
}

pub async fn count_approved(db: &DatabaseConnection) -> Result<u64, DbErr> {
    organisation::Entity::find()
        .filter(organisation::Column::Status.eq(APPROVED))
        .count(db)
        .await
}

async fn summaries(
    db: &DatabaseConnection,
    rows: Vec<organisation::Model>,
) -> Result<Vec<OrganisationSummary>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = rows.iter().map(|o| o.id).collect();
    let mut hubs: HashMap<i32, Vec<Named>> = HashMap::new();
    for (m, h) in hub_membership::Entity::find()
        .filter(hub_membership::Column::OrganisationId.is_in(ids.clone()))
        .find_also_related(hub::Entity)
        .order_by_asc(hub_membership::Column::HubId)
        .all(db)
        .await?
    {
        if let Some(h) = h {
            hubs.entry(m.organisation_id).or_default().push(Named {
                id: h.id,
                name: h.name,
                slug: h.slug,
            });
        }
    }
    let counts: HashMap<i32, i64> = role::Entity::find()
        .select_only()
        .column(role::Column::OrganisationId)
        .column_as(Expr::col((role::Entity, role::Column::Id)).count(), "n")
        .filter(role::Column::OrganisationId.is_in(ids))
        .filter(super::roles::is_open(crate::db::now()))
        .group_by(role::Column::OrganisationId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|o| OrganisationSummary {
            hubs: hubs.remove(&o.id).unwrap_or_default(),
            open_roles: counts.get(&o.id).copied().unwrap_or(0),
            id: o.id,
            slug: o.slug,
            name: o.name,
            description: o.description,
        })
        .collect())
}
