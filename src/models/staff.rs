//! Organisations' people: registering an organisation, its staff and their permissions,
//! invitations, approval by the alliance, and alliance admins themselves.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::domain::access::OrgRole;
use crate::entities::{account_token, hub_membership, membership, organisation, user};
use crate::models::account_tokens::Kind;
use crate::models::accounts;

pub const PENDING: &str = "pending";
pub const APPROVED: &str = crate::models::organisations::APPROVED;
pub const SUSPENDED: &str = "suspended";

/// What the registration form gives, already checked.
#[derive(Clone, Debug, Default)]
pub struct NewOrganisation {
    pub name: String,
    pub description: String,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub charity_number: Option<String>,
    pub ward_id: Option<i32>,
    pub safeguarding_lead: String,
}

/// A person on an organisation's staff list.
#[derive(Clone, Debug, Serialize)]
pub struct StaffMember {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub role: String,
}

impl StaffMember {
    pub fn is_admin(&self) -> bool {
        self.role == OrgRole::Admin.as_str()
    }
}

/// An invitation that has not been accepted yet and still works.
#[derive(Clone, Debug, Serialize)]
pub struct PendingInvitation {
    pub email: String,
    pub role: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: time::OffsetDateTime,
}

/// A URL-friendly name: lower-case letters and digits joined by single hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "organisation".to_owned()
    } else {
        slug
    }
}

/// `base`, or `base-2`, `base-3` … whichever no organisation has yet.
async fn free_slug<C: ConnectionTrait>(db: &C, base: &str) -> Result<String, DbErr> {
    let taken: Vec<String> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Slug)
        .filter(organisation::Column::Slug.starts_with(base))
        .into_tuple()
        .all(db)
        .await?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken.contains(&candidate) {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// Creates the organisation (pending approval) with the registrant as its admin.
pub async fn register<C: ConnectionTrait>(
    db: &C,
    registrant_id: i32,
    new: NewOrganisation,
) -> Result<organisation::Model, DbErr> {
    let now = crate::db::now();
    let slug = free_slug(db, &slugify(&new.name)).await?;
    let org = organisation::ActiveModel {
        slug: Set(slug),
        name: Set(new.name),
        description: Set(new.description),
        website: Set(new.website),
        email: Set(Some(new.email)),
        phone: Set(new.phone),
        ward_id: Set(new.ward_id),
        charity_number: Set(new.charity_number),
        safeguarding_lead: Set(Some(new.safeguarding_lead)),
        status: Set(PENDING.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    add_member(db, registrant_id, org.id, OrgRole::Admin).await?;
    Ok(org)
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

/// The organisation, locked until the transaction ends (PostgreSQL; SQLite lets one
/// writer in at a time anyway), so two staff changes to one organisation take turns
/// and cannot together leave it without an admin.
pub async fn lock<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
}

/// The hubs an organisation belongs to (for who may see its staff).
pub async fn hub_ids<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<i32>, DbErr> {
    hub_membership::Entity::find()
        .select_only()
        .column(hub_membership::Column::HubId)
        .filter(hub_membership::Column::OrganisationId.eq(organisation_id))
        .into_tuple()
        .all(db)
        .await
}

/// Staff by role (admins first), then name.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<StaffMember>, DbErr> {
    let rows = membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    let mut staff: Vec<StaffMember> = rows
        .into_iter()
        .filter_map(|(m, u)| {
            u.map(|u| StaffMember {
                user_id: u.id,
                name: u.display_name,
                email: u.email,
                role: m.role,
            })
        })
        .collect();
    staff.sort_by(|a, b| {
        b.is_admin()
            .cmp(&a.is_admin())
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(staff)
}

pub async fn membership_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    user_id: i32,
) -> Result<Option<membership::Model>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::UserId.eq(user_id))
        .one(db)
        .await
}

pub async fn admin_count<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<u64, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::Role.eq(OrgRole::Admin.as_str()))
        .count(db)
        .await
}

/// Whether taking `user_id`'s admin rights away (removal, demotion, leaving) would
/// leave the organisation with no admin. Call after [`lock`].
pub async fn is_last_admin<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    member: &membership::Model,
) -> Result<bool, DbErr> {
    Ok(member.role == OrgRole::Admin.as_str() && admin_count(db, organisation_id).await? <= 1)
}

pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    organisation_id: i32,
    role: OrgRole,
) -> Result<membership::Model, DbErr> {
    membership::ActiveModel {
        user_id: Set(user_id),
        organisation_id: Set(organisation_id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn set_role<C: ConnectionTrait>(
    db: &C,
    member: membership::Model,
    role: OrgRole,
) -> Result<membership::Model, DbErr> {
    let mut row: membership::ActiveModel = member.into();
    row.role = Set(role.as_str().to_owned());
    row.update(db).await
}

pub async fn remove_member<C: ConnectionTrait>(
    db: &C,
    member: membership::Model,
) -> Result<(), DbErr> {
    membership::Entity::delete_by_id(member.id).exec(db).await?;
    Ok(())
}

/// Live staff invitations of an organisation, newest first.
pub async fn pending_invitations<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<PendingInvitation>, DbErr> {
    Ok(account_token::Entity::find()
        .filter(account_token::Column::Kind.eq(Kind::StaffInvite.as_str()))
        .filter(account_token::Column::OrganisationId.eq(organisation_id))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(crate::db::now()))
        .order_by_desc(account_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| PendingInvitation {
            role: invited_role(&t).as_str().to_owned(),
            email: t.email.unwrap_or_default(),
            expires_at: t.expires_at,
        })
        .collect())
}

/// The role an invitation offers; staff when the detail says nothing usable.
pub fn invited_role(token: &account_token::Model) -> OrgRole {
    serde_json::from_str::<serde_json::Value>(&token.detail)
        .ok()
        .and_then(|d| {
            d.get("role")
                .and_then(|r| r.as_str())
                .and_then(OrgRole::parse)
        })
        .unwrap_or(OrgRole::Staff)
}

/// Addresses of an organisation's admins (for approval and suspension notices).
pub async fn admin_emails<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<String>, DbErr> {
    Ok(list(db, organisation_id)
        .await?
        .into_iter()
        .filter(StaffMember::is_admin)
        .map(|m| m.email)
        .collect())
}

/// Organisations in one state, oldest first (the first to ask is the first answered).
pub async fn with_status<C: ConnectionTrait>(
    db: &C,
    status: &str,
) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find()
        .filter(organisation::Column::Status.eq(status))
        .order_by_asc(organisation::Column::CreatedAt)
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await
}

pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    org: organisation::Model,
    status: &str,
) -> Result<organisation::Model, DbErr> {
    let mut row: organisation::ActiveModel = org.into();
    row.status = Set(status.to_owned());
    row.updated_at = Set(crate::db::now());
    let org = row.update(db).await?;
    crate::search::sync::queue_organisation(db, org.id).await?;
    Ok(org)
}

/// Addresses of every alliance admin who can sign in.
pub async fn alliance_admin_emails<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Email)
        .filter(user::Column::IsAllianceAdmin.eq(true))
        .filter(user::Column::Status.eq(accounts::ACTIVE))
        .filter(user::Column::ErasedAt.is_null())
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// A new account made from an accepted invitation: active and verified (opening the
/// emailed link proved the address), with no volunteer profile.
pub async fn create_staff_account<C: ConnectionTrait>(
    db: &C,
    email: &str,
    name: &str,
    password_hash: String,
) -> Result<user::Model, DbErr> {
    let now = crate::db::now();
    user::ActiveModel {
        email: Set(email.to_lowercase()),
        password_hash: Set(Some(password_hash)),
        display_name: Set(name.to_owned()),
        verified_at: Set(Some(now)),
        is_alliance_admin: Set(false),
        status: Set(accounts::ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// What `hubmatch admin create` did.
#[derive(Clone, Debug)]
pub struct AllianceAdmin {
    pub user: user::Model,
    /// A new account, rather than an existing one promoted.
    pub created: bool,
}

/// Makes `email` an alliance admin, active and verified: a new account (named `name`,
/// or the address's local part), or an existing one promoted. `password_hash`, when
/// given, replaces the password.
pub async fn create_alliance_admin<C: ConnectionTrait>(
    db: &C,
    email: &str,
    name: Option<&str>,
    password_hash: Option<String>,
) -> Result<AllianceAdmin, DbErr> {
    let now = crate::db::now();
    if let Some(existing) = accounts::find_by_email(db, email).await? {
        let mut row: user::ActiveModel = existing.clone().into();
        row.is_alliance_admin = Set(true);
        row.status = Set(accounts::ACTIVE.to_owned());
        if existing.verified_at.is_none() {
            row.verified_at = Set(Some(now));
        }
        if let Some(name) = name {
            row.display_name = Set(name.to_owned());
        }
        if let Some(hash) = password_hash {
            row.password_hash = Set(Some(hash));
        }
        row.updated_at = Set(now);
        return Ok(AllianceAdmin {
            user: row.update(db).await?,
            created: false,
        });
    }
    let display_name = name
        .map(str::to_owned)
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_owned());
    let user = user::ActiveModel {
        email: Set(email.to_lowercase()),
        password_hash: Set(password_hash),
        display_name: Set(display_name),
        verified_at: Set(Some(now)),
        is_alliance_admin: Set(true),
        status: Set(accounts::ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(AllianceAdmin {
        user,
        created: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(slugify("Peckham Food Hub"), "peckham-food-hub");
        assert_eq!(
            slugify("  St. Giles' Trust (Southwark) "),
            "st-giles-trust-southwark"
        );
        assert_eq!(slugify("Café Ünïcode"), "caf-n-code");
        assert_eq!(slugify("!!!"), "organisation");
        assert!(slugify(&"a ".repeat(100)).len() <= 60);
        assert!(!slugify(&"ab ".repeat(40)).ends_with('-'));
    }
}
