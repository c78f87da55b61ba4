//! Link workers: who refers residents from which hub or GP practice network, appointed by
//! alliance admins.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use crate::domain::access::LinkWorkerPost;
use crate::entities::{hub, link_worker, user};
use crate::error::{AppError, FieldErrors};
use crate::models::accounts;

/// Longest GP practice network name we keep.
pub const NETWORK_MAX_CHARS: usize = 120;

/// Where `user_id` works as a link worker, if they are one.
pub async fn post_of<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<LinkWorkerPost>, DbErr> {
    Ok(link_worker::Entity::find()
        .filter(link_worker::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .map(|lw| LinkWorkerPost {
            hub: lw.hub_id,
            gp_network: lw.gp_network,
        }))
}

/// A link worker as the admin list shows them.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LinkWorkerRow {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub hub: Option<String>,
    pub gp_network: Option<String>,
}

pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<LinkWorkerRow>, DbErr> {
    let rows = link_worker::Entity::find()
        .order_by_asc(link_worker::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for lw in rows {
        let Some(person) = user::Entity::find_by_id(lw.user_id).one(db).await? else {
            continue;
        };
        let hub = match lw.hub_id {
            Some(h) => hub::Entity::find_by_id(h).one(db).await?.map(|h| h.name),
            None => None,
        };
        out.push(LinkWorkerRow {
            user_id: person.id,
            name: person.display_name,
            email: person.email,
            hub,
            gp_network: lw.gp_network,
        });
    }
    Ok(out)
}

/// The admin's form: an existing account's email, and a hub and/or a GP network.
#[derive(Clone, Debug, Default)]
pub struct AppointForm {
    pub email: String,
    pub hub_id: String,
    pub gp_network: String,
}

/// Makes the account a link worker (or moves them). Field errors name what is wrong.
pub async fn appoint<C: ConnectionTrait>(
    db: &C,
    by: i32,
    form: &AppointForm,
) -> Result<link_worker::Model, AppError> {
    let mut errors = FieldErrors::new();
    let person = match crate::auth::EmailAddress::parse(&form.email) {
        Err(e) => {
            errors.insert("email".into(), e.to_string());
            None
        }
        Ok(email) => match accounts::find_by_email(db, email.as_str()).await? {
            Some(p) if p.status == accounts::ACTIVE && p.erased_at.is_none() => Some(p),
            _ => {
                errors.insert(
                    "email".into(),
                    "No active account uses this email address. Ask them to create an \
                     account first"
                        .into(),
                );
                None
            }
        },
    };
    let hub_id = match form.hub_id.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(id) if hub::Entity::find_by_id(id).one(db).await?.is_some() => Some(id),
            _ => {
                errors.insert("hub_id".into(), "Choose a hub from the list".into());
                None
            }
        },
    };
    let network = form.gp_network.trim();
    if network.chars().count() > NETWORK_MAX_CHARS {
        errors.insert(
            "gp_network".into(),
            format!("The network's name must be {NETWORK_MAX_CHARS} characters or fewer"),
        );
    }
    if form.hub_id.trim().is_empty() && network.is_empty() {
        errors.insert(
            "hub_id".into(),
            "Choose the hub they work from, or enter their GP practice network".into(),
        );
    }
    let Some(person) = person else {
        return Err(AppError::invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let gp_network = (!network.is_empty()).then(|| network.to_owned());
    let existing = link_worker::Entity::find()
        .filter(link_worker::Column::UserId.eq(person.id))
        .one(db)
        .await?;
    let saved = match existing {
        Some(lw) => {
            let mut row: link_worker::ActiveModel = lw.into();
            row.hub_id = Set(hub_id);
            row.gp_network = Set(gp_network);
            row.update(db).await?
        }
        None => {
            link_worker::ActiveModel {
                user_id: Set(person.id),
                hub_id: Set(hub_id),
                gp_network: Set(gp_network),
                created_by: Set(Some(by)),
                created_at: Set(crate::db::now()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    Ok(saved)
}

/// Stops someone being a link worker; `false` when they were not one.
pub async fn remove<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<bool, DbErr> {
    let res = link_worker::Entity::delete_many()
        .filter(link_worker::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
