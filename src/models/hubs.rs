//! Community hubs: the places residents walk into, and the organisations that work from them.
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;

use super::Named;
use crate::entities::{hub, hub_membership, organisation, ward};
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HubSummary {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub ward: Option<Named>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organisations: u64,
}

pub async fn list(db: &DatabaseConnection) -> Result<Vec<HubSummary>, DbErr> {
    let rows = hub::Entity::find()
        .order_by_asc(hub::Column::Name)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for h in rows {
        out.push(summary(db, h).await?);
    }
    Ok(out)
}

pub async fn find(db: &DatabaseConnection, id: i32) -> Result<HubSummary, AppError> {
    let h = hub::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("hub"))?;
    Ok(summary(db, h).await?)
}

async fn summary(db: &DatabaseConnection, h: hub::Model) -> Result<HubSummary, DbErr> {
    let organisations = organisation::Entity::find()
        .filter(organisation::Column::Status.eq(super::organisations::APPROVED))
        .inner_join(hub_membership::Entity)
        .filter(hub_membership::Column::HubId.eq(h.id))
        .count(db)
        .await?;
    let ward = match h.ward_id {
        Some(id) => ward::Entity::find_by_id(id).one(db).await?.map(|w| Named {
            id: w.id,
            name: w.name,
            slug: w.code,
        }),
        None => None,
    };
    Ok(HubSummary {
        id: h.id,
        slug: h.slug,
        name: h.name,
        description: h.description,
        ward,
        address: h.address,
        email: h.email,
        phone: h.phone,
        organisations,
    })
}
