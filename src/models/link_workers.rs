//! Link workers: who refers residents from which hub or GP practice network, appointed by
//! alliance admins.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use crate::domain::access::LinkWorkerPost;
use crate::entities::{hub, link_worker, user};
use crate::error::{AppError, FieldErrors};
use crate::models::{account_tokens, accounts};

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

/// The admin's form: an email address, their name (for someone with no account yet), and
/// a hub and/or a GP network.
#[derive(Clone, Debug, Default)]
pub struct AppointForm {
    pub email: String,
    pub name: String,
    pub hub_id: String,
    pub gp_network: String,
}

/// Longest name kept for a new link worker's account.
const NAME_MAX_CHARS: usize = 100;

/// How long the first "set your password" link of a new link worker works.
const INVITE_DAYS: u64 = 14;

/// Who is being appointed: an account that exists, or one to make for this address.
enum Appointee {
    Existing(Box<user::Model>),
    New(crate::auth::EmailAddress),
}

/// Makes the account a link worker (or moves them). Someone with no account yet gets one
/// (named from the form) and an email with a link to set their password, which also
/// proves the address. Field errors name what is wrong; call in the action's transaction.
pub async fn appoint<C: ConnectionTrait>(
    db: &C,
    by: i32,
    form: &AppointForm,
    base_url: &str,
) -> Result<link_worker::Model, AppError> {
    let mut errors = FieldErrors::new();
    let appointee = match crate::auth::EmailAddress::parse(&form.email) {
        Err(e) => {
            errors.insert("email".into(), e.to_string());
            None
        }
        Ok(email) => match accounts::find_by_email(db, email.as_str()).await? {
            Some(p) if p.status == accounts::ACTIVE && p.erased_at.is_none() => {
                Some(Appointee::Existing(Box::new(p)))
            }
            Some(_) => {
                errors.insert(
                    "email".into(),
                    "The account with this email address is not active: it cannot be \
                     appointed until it is"
                        .into(),
                );
                None
            }
            None => {
                let name = form.name.trim();
                if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
                    errors.insert(
                        "name".into(),
                        format!(
                            "No account uses this email address yet: enter their name (up to \
                             {NAME_MAX_CHARS} characters) and we will make one and email them \
                             a link to set their password"
                        ),
                    );
                }
                Some(Appointee::New(email))
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
    let (Some(appointee), true) = (appointee, errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    let person = match appointee {
        Appointee::Existing(person) => *person,
        Appointee::New(email) => invite(db, &email, form.name.trim(), base_url).await?,
    };
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

/// A new account for a link worker, and the email with the link to set its password.
async fn invite<C: ConnectionTrait>(
    db: &C,
    email: &crate::auth::EmailAddress,
    name: &str,
    base_url: &str,
) -> Result<user::Model, AppError> {
    let now = crate::db::now();
    let person = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(None),
        display_name: Set(name.to_owned()),
        verified_at: Set(None),
        is_alliance_admin: Set(false),
        status: Set(accounts::ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let secret = account_tokens::issue_lasting(
        db,
        account_tokens::Kind::PasswordReset,
        account_tokens::TokenFor {
            user_id: Some(person.id),
            email: Some(person.email.clone()),
            ..Default::default()
        },
        std::time::Duration::from_secs(INVITE_DAYS * 24 * 60 * 60),
    )
    .await?;
    crate::email::send_draft(
        db,
        base_url,
        "email.link_worker_invite",
        &crate::email::draft(
            &person.email,
            "You are a link worker on hubmatch",
            &[
                &format!("Hello {name},"),
                "The Southwark Community Support Alliance has made you a link worker on \
                 hubmatch. You can refer residents into volunteering, follow how it goes, and \
                 sign residents up at the hub's front desk.",
                &format!(
                    "Set a password to sign in. The link works for {INVITE_DAYS} days; after \
                     that, use \"Forgotten your password?\" on the sign-in page."
                ),
            ],
            Some((
                "Set your password",
                &format!("{base_url}/password-reset/{secret}"),
            )),
        ),
    )
    .await
    .map_err(|e| match e {
        crate::email::EnqueueError::Database(e) => AppError::from(e),
        // An address the email layer refuses, though it parsed: say so on the form.
        crate::email::EnqueueError::Address(_) => {
            AppError::field("email", "Enter an email address we can send to")
        }
        other => AppError::Internal(other.to_string()),
    })?;
    Ok(person)
}

/// Stops someone being a link worker; `false` when they were not one.
pub async fn remove<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<bool, DbErr> {
    let res = link_worker::Entity::delete_many()
        .filter(link_worker::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
