//! The lists behind filters: causes, wards, hubs and organisations with open roles.
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::Named;
use crate::entities::{cause, hub, organisation, ward};

pub async fn causes(db: &DatabaseConnection) -> Result<Vec<Named>, DbErr> {
    Ok(cause::Entity::find()
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

/// Wards, named by their ONS code in links.
pub async fn wards(db: &DatabaseConnection) -> Result<Vec<Named>, DbErr> {
    Ok(ward::Entity::find()
        .order_by_asc(ward::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|w| Named {
            id: w.id,
            name: w.name,
            slug: w.code,
        })
        .collect())
}

pub async fn hubs(db: &DatabaseConnection) -> Result<Vec<Named>, DbErr> {
    Ok(hub::Entity::find()
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

pub async fn approved_organisations(db: &DatabaseConnection) -> Result<Vec<Named>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Status.eq(super::organisations::APPROVED))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| Named {
            id: o.id,
            name: o.name,
            slug: o.slug,
        })
        .collect())
}
