//! The audit log of sensitive actions: permission changes, application decisions, data
//! exports, equality report views, erasures. Written in the action's own transaction;
//! read by alliance admins.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;

use crate::entities::audit_log;
use crate::models::Page;

/// One entry to write. `action` is a dotted name, e.g. `organisation.approve`.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub actor_user_id: Option<i32>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<i32>,
    pub detail: Value,
    pub ip: Option<String>,
}

pub async fn record<C: ConnectionTrait>(db: &C, entry: Entry<'_>) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        actor_user_id: Set(entry.actor_user_id),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        detail: Set(entry.detail.to_string()),
        ip: Set(entry.ip),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Newest first, one page; `action_prefix` narrows to e.g. `organisation.`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    action_prefix: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<Page<audit_log::Model>, DbErr> {
    let mut query = audit_log::Entity::find().order_by_desc(audit_log::Column::Id);
    if let Some(prefix) = action_prefix.filter(|p| !p.is_empty()) {
        query = query.filter(audit_log::Column::Action.starts_with(prefix));
    }
    let paginator = query.paginate(db, u64::from(per_page));
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(u64::from(page.saturating_sub(1)))
        .await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}
