//! Outreach after the representativeness report: a digest of a hub's open roles sent
//! to people who opted in to hear about opportunities, chosen by ward or cause.
//!
//! Lawful targeting: recipients are chosen only from the `outreach_digest` email
//! preference, where they live (ward) and the causes they chose. Nothing here reads
//! `equality_monitoring`: no one is chosen or left out for a protected characteristic.
use std::collections::BTreeSet;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::entities::{
    cause, census_baseline, email_preference, organisation, outreach_campaign, role, user,
    volunteer_cause, volunteer_profile, ward,
};
use crate::error::{AppError, FieldErrors};

/// The email preference a person ticks to receive these digests.
pub const PREFERENCE: &str = "outreach_digest";
/// The outbox kind of the digest.
pub const KIND: &str = "email.outreach_digest";

/// A ward with the share of its residents in the flagged group (census by ward).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WardChoice {
    pub code: String,
    pub name: String,
    /// `None` when no census figures by ward are loaded for this dimension.
    pub group_share: Option<f64>,
}

/// Every ward, those where the flagged group is the largest share of residents first.
/// Uses only the census (areas), never anyone's answers.
pub async fn ward_choices(
    db: &DatabaseConnection,
    dimension: &str,
    category: &str,
) -> Result<Vec<WardChoice>, DbErr> {
    let rows: Vec<(String, String, i32)> = census_baseline::Entity::find()
        .select_only()
        .column(census_baseline::Column::AreaCode)
        .column(census_baseline::Column::Category)
        .column(census_baseline::Column::Count)
        .filter(census_baseline::Column::Dimension.eq(dimension))
        .filter(census_baseline::Column::AreaCode.starts_with("E05"))
        .into_tuple()
        .all(db)
        .await?;
    let share_in = |code: &str| {
        let (mut group, mut total) = (0i64, 0i64);
        for (c, cat, n) in rows.iter().filter(|(c, _, _)| c == code) {
            let _ = c;
            if cat != "not_answered" {
                total += i64::from(*n);
            }
            if cat == category {
                group += i64::from(*n);
            }
        }
        (total > 0).then(|| group as f64 / total as f64)
    };
    let mut wards: Vec<WardChoice> = ward::Entity::find()
        .order_by_asc(ward::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|w| WardChoice {
            group_share: share_in(&w.code),
            code: w.code,
            name: w.name,
        })
        .collect();
    wards.sort_by(|a, b| {
        b.group_share
            .unwrap_or(-1.0)
            .total_cmp(&a.group_share.unwrap_or(-1.0))
    });
    Ok(wards)
}

/// An open role a digest may list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleChoice {
    pub id: i32,
    pub title: String,
    pub organisation: String,
}

/// The hub's open roles, soonest closing first.
pub async fn open_roles(db: &DatabaseConnection, hub: i32) -> Result<Vec<RoleChoice>, DbErr> {
    let rows = role::Entity::find()
        .filter(crate::models::roles::in_hub(hub))
        .filter(role::Column::Status.eq("open"))
        .find_also_related(organisation::Entity)
        .order_by_asc(role::Column::ClosesAt)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?;
    let now = crate::db::now();
    Ok(rows
        .into_iter()
        .filter(|(r, _)| r.closes_at.is_none_or(|c| c > now))
        .map(|(r, o)| RoleChoice {
            id: r.id,
            title: r.title,
            organisation: o.map(|o| o.name).unwrap_or_default(),
        })
        .collect())
}

/// What the coordinator chose: the flag that prompted it, where and to whom, which roles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub hub: i32,
    pub stage: String,
    pub dimension: String,
    pub category: String,
    pub flag: String,
    /// Ward codes.
    pub wards: Vec<String>,
    /// Cause slugs.
    pub causes: Vec<String>,
    pub roles: Vec<i32>,
}

/// A person the digest goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: i32,
    pub email: String,
    pub name: String,
}

/// Checks a plan against the hub's open roles and the ward and cause vocabularies;
/// returns the roles (in the chosen order) or every problem by field.
pub async fn check(db: &DatabaseConnection, plan: &Plan) -> Result<Vec<RoleChoice>, AppError> {
    let mut errors = FieldErrors::new();
    if plan.wards.is_empty() && plan.causes.is_empty() {
        errors.insert(
            "wards".into(),
            "Choose at least one ward or cause to send the digest to".into(),
        );
    }
    let known_wards: BTreeSet<String> = ward::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.code)
        .collect();
    if let Some(w) = plan.wards.iter().find(|w| !known_wards.contains(*w)) {
        errors.insert("wards".into(), format!("'{w}' is not a ward"));
    }
    let known_causes: BTreeSet<String> = cause::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.slug)
        .collect();
    if let Some(c) = plan.causes.iter().find(|c| !known_causes.contains(*c)) {
        errors.insert("causes".into(), format!("'{c}' is not a cause"));
    }
    let open = open_roles(db, plan.hub).await?;
    let mut roles = Vec::new();
    for id in &plan.roles {
        match open.iter().find(|r| r.id == *id) {
            Some(r) => roles.push(r.clone()),
            None => {
                errors.insert(
                    "roles".into(),
                    format!("role {id} is not an open role of this hub"),
                );
            }
        }
    }
    if plan.roles.is_empty() {
        errors.insert("roles".into(), "Choose at least one open role".into());
    }
    if errors.is_empty() {
        Ok(roles)
    } else {
        Err(AppError::invalid(errors))
    }
}

/// Who receives the digest: people who opted in (`outreach_digest` enabled) and whose
/// volunteer profile is in one of the wards or who chose one of the causes. Reads no
/// equality answers.
pub async fn recipients<C: ConnectionTrait>(db: &C, plan: &Plan) -> Result<Vec<Recipient>, DbErr> {
    let opted_in = Query::select()
        .column(email_preference::Column::UserId)
        .from(email_preference::Entity)
        .and_where(email_preference::Column::Kind.eq(PREFERENCE))
        .and_where(email_preference::Column::Enabled.eq(true))
        .to_owned();
    let mut reach = Condition::any();
    if !plan.wards.is_empty() {
        reach = reach.add(
            user::Column::Id.in_subquery(
                Query::select()
                    .column((volunteer_profile::Entity, volunteer_profile::Column::UserId))
                    .from(volunteer_profile::Entity)
                    .inner_join(
                        ward::Entity,
                        Expr::col((ward::Entity, ward::Column::Id))
                            .equals((volunteer_profile::Entity, volunteer_profile::Column::WardId)),
                    )
                    .and_where(
                        Expr::col((ward::Entity, ward::Column::Code)).is_in(plan.wards.clone()),
                    )
                    .to_owned(),
            ),
        );
    }
    if !plan.causes.is_empty() {
        reach = reach.add(
            user::Column::Id.in_subquery(
                Query::select()
                    .column((volunteer_profile::Entity, volunteer_profile::Column::UserId))
                    .from(volunteer_profile::Entity)
                    .inner_join(
                        volunteer_cause::Entity,
                        Expr::col((
                            volunteer_cause::Entity,
                            volunteer_cause::Column::VolunteerId,
                        ))
                        .equals((volunteer_profile::Entity, volunteer_profile::Column::Id)),
                    )
                    .inner_join(
                        cause::Entity,
                        Expr::col((cause::Entity, cause::Column::Id))
                            .equals((volunteer_cause::Entity, volunteer_cause::Column::CauseId)),
                    )
                    .and_where(
                        Expr::col((cause::Entity, cause::Column::Slug)).is_in(plan.causes.clone()),
                    )
                    .to_owned(),
            ),
        );
    }
    let people = user::Entity::find()
        .filter(user::Column::Id.in_subquery(opted_in))
        .filter(user::Column::Status.eq("active"))
        .filter(reach)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    Ok(people
        .into_iter()
        .map(|u| Recipient {
            user_id: u.id,
            email: u.email,
            name: u.display_name,
        })
        .collect())
}

/// The digest, shared by the preview and the emails.
pub fn digest(
    hub_name: &str,
    roles: &[RoleChoice],
    link: &(dyn Fn(&str) -> String + Sync),
) -> crate::email::kinds::OutreachDigest {
    crate::email::kinds::OutreachDigest {
        hub_name: hub_name.to_owned(),
        intro: format!(
            "Organisations around {hub_name} are looking for volunteers. Here are some roles open now:"
        ),
        roles: roles
            .iter()
            .map(|r| crate::email::kinds::RoleLine {
                title: r.title.clone(),
                organisation: r.organisation.clone(),
                url: link(&format!("/roles/{}", r.id)),
            })
            .collect(),
        all_roles_url: link("/roles"),
    }
}

/// The digest's wording as lines, for the preview on the outreach page.
pub fn digest_paragraphs(
    hub_name: &str,
    roles: &[RoleChoice],
    link: &(dyn Fn(&str) -> String + Sync),
) -> Vec<String> {
    let digest = digest(hub_name, roles, link);
    let mut out = vec![digest.intro];
    out.extend(
        digest
            .roles
            .iter()
            .map(|r| format!("{} with {}: {}", r.title, r.organisation, r.url)),
    );
    out.push(
        "You are receiving this because you asked to hear about volunteering opportunities. \
         You can stop these emails from your email preferences."
            .to_owned(),
    );
    out
}

/// Queues one digest per recipient through the outbox and records the campaign and an
/// audit row, all in one transaction. Returns the campaign.
pub async fn send(
    db: &DatabaseConnection,
    sender: i32,
    ip: Option<String>,
    plan: &Plan,
    hub_name: &str,
    link: &(dyn Fn(&str) -> String + Sync),
) -> Result<outreach_campaign::Model, AppError> {
    let roles = check(db, plan).await?;
    let digest = digest(hub_name, &roles, link);
    let txn = crate::db::begin(db).await?;
    let people = recipients(&txn, plan).await?;
    let mut sent = 0;
    for person in &people {
        if crate::email::send(&txn, &link(""), &person.email, &digest)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .is_some()
        {
            sent += 1;
        }
    }
    let join = |v: &[String]| v.join(",");
    let campaign = outreach_campaign::ActiveModel {
        sent_by: Set(Some(sender)),
        hub_id: Set(Some(plan.hub)),
        stage: Set(plan.stage.clone()),
        dimension: Set(plan.dimension.clone()),
        category: Set(plan.category.clone()),
        flag: Set(plan.flag.clone()),
        wards: Set(join(&plan.wards)),
        causes: Set(join(&plan.causes)),
        role_ids: Set(plan
            .roles
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",")),
        recipients: Set(sent),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::models::audit::record(
        &txn,
        crate::models::audit::Entry {
            actor_user_id: Some(sender),
            action: "outreach.send",
            subject_type: "outreach_campaign",
            subject_id: Some(campaign.id),
            detail: serde_json::json!({
                "hub": plan.hub,
                "prompted_by": format!("{}/{}/{}/{}", plan.stage, plan.dimension, plan.category, plan.flag),
                "wards": plan.wards,
                "causes": plan.causes,
                "roles": plan.roles,
                "recipients": sent,
            }),
            ip,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(campaign)
}
