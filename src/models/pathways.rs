//! Skills pathways in the database: definitions (alliance admins), enrolments,
//! organisations' role tags, skill sign-offs and training records, progress and stage
//! completions with their certificates, the Duke of Edinburgh's Award export and the
//! alliance's counts by hub.
use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use sha2::Sha256;
use time::Date;

use crate::domain::london_time;
use crate::domain::pathways::{
    self as rules, FieldError, Pathway, Progress, Requirement, Scale, Stage, StageStatus,
};
use crate::entities::{
    application, hours_log, hub_membership, organisation, pathway, pathway_enrolment,
    pathway_stage, role, role_pathway_stage, skill, skill_sign_off, stage_completion,
    stage_requirement, training_record, user, volunteer_profile, volunteer_skill,
};
use crate::error::{AppError, FieldErrors};
use crate::models::{audit, hours, sign_up};

/// Longest evidence note on a sign-off.
pub const MAX_EVIDENCE: usize = 1000;

fn field(e: FieldError) -> AppError {
    AppError::field(e.field, e.message)
}

fn today() -> Date {
    london_time::to_london(crate::db::now()).date()
}

// ---------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------

/// A pathway as lists show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PathwaySummary {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub min_age: i32,
    pub max_age: i32,
    pub active: bool,
    /// Stage names, first to last.
    pub stages: Vec<String>,
}

/// A stage with its requirements as stored, for the admin page.
#[derive(Debug, Clone)]
pub struct StageDefinition {
    pub stage: pathway_stage::Model,
    /// `(requirement id, what it asks for in words)`.
    pub requirements: Vec<(i32, String)>,
}

/// Pathways (only active ones unless `all`), by name.
pub async fn list<C: ConnectionTrait>(db: &C, all: bool) -> Result<Vec<PathwaySummary>, DbErr> {
    let mut q = pathway::Entity::find().order_by_asc(pathway::Column::Name);
    if !all {
        q = q.filter(pathway::Column::Active.eq(true));
    }
    let pathways = q.all(db).await?;
    let mut stages: HashMap<i32, Vec<String>> = HashMap::new();
    for s in pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.is_in(pathways.iter().map(|p| p.id)))
        .order_by_asc(pathway_stage::Column::Position)
        .all(db)
        .await?
    {
        stages.entry(s.pathway_id).or_default().push(s.name);
    }
    Ok(pathways
        .into_iter()
        .map(|p| PathwaySummary {
            stages: stages.remove(&p.id).unwrap_or_default(),
            id: p.id,
            slug: p.slug,
            name: p.name,
            summary: p.summary,
            min_age: p.min_age,
            max_age: p.max_age,
            active: p.active,
        })
        .collect())
}

pub async fn find_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<pathway::Model, AppError> {
    pathway::Entity::find()
        .filter(pathway::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("pathway"))
}

/// A pathway's stages in order, with their requirements read into the domain's terms.
pub async fn definition<C: ConnectionTrait>(
    db: &C,
    p: &pathway::Model,
) -> Result<(Pathway, Vec<pathway_stage::Model>), DbErr> {
    let stages = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.eq(p.id))
        .order_by_asc(pathway_stage::Column::Position)
        .all(db)
        .await?;
    let requirements = stage_requirement::Entity::find()
        .filter(stage_requirement::Column::StageId.is_in(stages.iter().map(|s| s.id)))
        .order_by_asc(stage_requirement::Column::Id)
        .all(db)
        .await?;
    let skills: HashMap<i32, skill::Model> = skill::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let org_ids: Vec<i32> = requirements
        .iter()
        .filter_map(|r| r.organisation_id)
        .collect();
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut by_stage: HashMap<i32, Vec<Requirement>> = HashMap::new();
    for r in &requirements {
        if let Some(req) = requirement_of(r, &skills, &orgs) {
            by_stage.entry(r.stage_id).or_default().push(req);
        }
    }
    let domain = Pathway {
        id: p.id,
        name: p.name.clone(),
        stages: stages
            .iter()
            .map(|s| Stage {
                id: s.id,
                name: s.name.clone(),
                tag: s.tag.clone(),
                requirements: by_stage.remove(&s.id).unwrap_or_default(),
            })
            .collect(),
    };
    Ok((domain, stages))
}

fn requirement_of(
    r: &stage_requirement::Model,
    skills: &HashMap<i32, skill::Model>,
    orgs: &HashMap<i32, String>,
) -> Option<Requirement> {
    match r.kind.as_str() {
        "hours" => Some(Requirement::Hours {
            minutes: u32::try_from(r.minutes?).ok()?,
        }),
        "skill" => {
            let s = skills.get(&r.skill_id?)?;
            Some(Requirement::Skill {
                skill: s.slug.clone(),
                skill_name: s.name.clone(),
                scale: Scale::of_group(&s.skill_group),
                min_level: r.min_level?,
            })
        }
        "training" => Some(Requirement::Training {
            item: r.training_item.clone()?,
        }),
        "sign_off" => Some(Requirement::SignOff {
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_id.and_then(|o| orgs.get(&o).cloned()),
        }),
        _ => None,
    }
}

/// Stages with their requirements in words, for the admin page.
pub async fn stage_definitions<C: ConnectionTrait>(
    db: &C,
    p: &pathway::Model,
) -> Result<Vec<StageDefinition>, DbErr> {
    let (domain, stages) = definition(db, p).await?;
    let requirements = stage_requirement::Entity::find()
        .filter(stage_requirement::Column::StageId.is_in(stages.iter().map(|s| s.id)))
        .order_by_asc(stage_requirement::Column::Id)
        .all(db)
        .await?;
    Ok(stages
        .into_iter()
        .zip(domain.stages)
        .map(|(stage, d)| {
            let ids = requirements
                .iter()
                .filter(|r| r.stage_id == stage.id)
                .map(|r| r.id);
            StageDefinition {
                requirements: ids
                    .zip(d.requirements.iter().map(Requirement::words))
                    .collect(),
                stage,
            }
        })
        .collect())
}

/// A new pathway as typed by an alliance admin.
#[derive(Debug, Clone, Default)]
pub struct NewPathway {
    pub slug: String,
    pub name: String,
    pub summary: String,
}

pub async fn create_pathway(
    db: &DatabaseConnection,
    by: i32,
    input: &NewPathway,
) -> Result<pathway::Model, AppError> {
    let mut errors = FieldErrors::new();
    if let Err(e) = rules::check_tag("slug", &input.slug) {
        errors.insert(e.field.into(), e.message);
    }
    if input.name.trim().is_empty() || input.name.trim().chars().count() > 120 {
        errors.insert("name".into(), "Enter a name of up to 120 characters".into());
    }
    if input.summary.chars().count() > 2000 {
        errors.insert(
            "summary".into(),
            "The summary must be 2000 characters or fewer".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let txn = crate::db::begin(db).await?;
    let taken = pathway::Entity::find()
        .filter(pathway::Column::Slug.eq(input.slug.trim()))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(AppError::field(
            "slug",
            "Another pathway has this short name",
        ));
    }
    let row = pathway::ActiveModel {
        slug: Set(input.slug.trim().to_owned()),
        name: Set(input.name.trim().to_owned()),
        summary: Set(input.summary.trim().to_owned()),
        min_age: Set(rules::YOUTH_MIN_AGE),
        max_age: Set(rules::YOUTH_MAX_AGE),
        active: Set(true),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_write(
        &txn,
        by,
        "pathway.create",
        "pathway",
        row.id,
        serde_json::json!({ "slug": row.slug }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// A stage added at the end of a pathway.
pub async fn add_stage(
    db: &DatabaseConnection,
    by: i32,
    pathway_id: i32,
    name: &str,
    description: &str,
    tag: &str,
) -> Result<pathway_stage::Model, AppError> {
    let mut errors = FieldErrors::new();
    let tag = rules::check_tag("tag", tag)
        .map_err(|e| errors.insert(e.field.into(), e.message))
        .ok();
    if name.trim().is_empty() || name.trim().chars().count() > 120 {
        errors.insert(
            "name".into(),
            "Enter a stage name of up to 120 characters".into(),
        );
    }
    let Some(tag) = tag.filter(|_| errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    let txn = crate::db::begin(db).await?;
    if pathway_stage::Entity::find()
        .filter(pathway_stage::Column::Tag.eq(tag.as_str()))
        .count(&txn)
        .await?
        > 0
    {
        return Err(AppError::field(
            "tag",
            "Another stage already uses this tag",
        ));
    }
    let last = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.eq(pathway_id))
        .order_by_desc(pathway_stage::Column::Position)
        .one(&txn)
        .await?
        .map_or(0, |s| s.position);
    let row = pathway_stage::ActiveModel {
        pathway_id: Set(pathway_id),
        position: Set(last + 1),
        name: Set(name.trim().to_owned()),
        description: Set(description.trim().to_owned()),
        tag: Set(tag),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_write(
        &txn,
        by,
        "pathway.stage.add",
        "pathway",
        pathway_id,
        serde_json::json!({ "stage": row.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// A requirement as typed or sent: `kind` and the fields that kind needs.
#[derive(Debug, Clone, Default)]
pub struct RequirementInput {
    /// `hours`, `skill`, `training` or `sign_off`.
    pub kind: String,
    pub hours: Option<i64>,
    pub skill: String,
    pub min_level: Option<i64>,
    pub training_item: String,
    pub organisation_id: Option<i32>,
}

/// Checks a requirement and adds it to a stage.
pub async fn add_requirement(
    db: &DatabaseConnection,
    by: i32,
    stage_id: i32,
    input: &RequirementInput,
) -> Result<stage_requirement::Model, AppError> {
    let mut row = stage_requirement::ActiveModel {
        stage_id: Set(stage_id),
        kind: Set(input.kind.clone()),
        ..Default::default()
    };
    match input.kind.as_str() {
        "hours" => {
            let h = input
                .hours
                .ok_or_else(|| AppError::field("hours", "Enter the hours this stage asks for"))?;
            let minutes = rules::check_stage_hours("hours", h).map_err(field)?;
            row.minutes = Set(Some(i32::try_from(minutes).unwrap_or(i32::MAX)));
        }
        "skill" => {
            let s = skill::Entity::find()
                .filter(skill::Column::Slug.eq(input.skill.trim()))
                .one(db)
                .await?
                .ok_or_else(|| AppError::field("skill", "Choose a skill from the list"))?;
            let level = input
                .min_level
                .ok_or_else(|| AppError::field("min_level", "Enter the level needed"))?;
            let level = rules::check_level("min_level", Scale::of_group(&s.skill_group), level)
                .map_err(field)?;
            row.skill_id = Set(Some(s.id));
            row.min_level = Set(Some(level));
        }
        "training" => {
            let item =
                rules::check_training("training_item", &input.training_item).map_err(field)?;
            row.training_item = Set(Some(item.to_owned()));
        }
        "sign_off" => {
            if let Some(org) = input.organisation_id {
                organisation::Entity::find_by_id(org)
                    .one(db)
                    .await?
                    .ok_or_else(|| AppError::field("organisation_id", "No such organisation"))?;
            }
            row.organisation_id = Set(input.organisation_id);
        }
        _ => {
            return Err(AppError::field(
                "kind",
                "must be one of: hours, skill, training, sign_off",
            ));
        }
    }
    let txn = crate::db::begin(db).await?;
    let stage = pathway_stage::Entity::find_by_id(stage_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("stage"))?;
    let row = row.insert(&txn).await?;
    audit_write(
        &txn,
        by,
        "pathway.requirement.add",
        "pathway",
        stage.pathway_id,
        serde_json::json!({ "stage": stage_id, "requirement": row.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn remove_requirement(
    db: &DatabaseConnection,
    by: i32,
    requirement_id: i32,
) -> Result<i32, AppError> {
    let txn = crate::db::begin(db).await?;
    let r = stage_requirement::Entity::find_by_id(requirement_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("requirement"))?;
    let stage = pathway_stage::Entity::find_by_id(r.stage_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("stage"))?;
    stage_requirement::Entity::delete_by_id(r.id)
        .exec(&txn)
        .await?;
    audit_write(
        &txn,
        by,
        "pathway.requirement.remove",
        "pathway",
        stage.pathway_id,
        serde_json::json!({ "requirement": r.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(stage.pathway_id)
}

async fn audit_write<C: ConnectionTrait>(
    db: &C,
    by: i32,
    action: &str,
    subject_type: &str,
    subject_id: i32,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit::record(
        db,
        audit::Entry {
            actor_user_id: Some(by),
            action,
            subject_type,
            subject_id: Some(subject_id),
            detail,
            ip: None,
        },
    )
    .await
}

// ---------------------------------------------------------------------------
// Enrolment
// ---------------------------------------------------------------------------

/// Joins a pathway (again, if they had left it). Pathways are for volunteers aged
/// 14 to 25 (the pathway's own ages).
pub async fn enrol(
    db: &DatabaseConnection,
    volunteer_profile_id: i32,
    slug: &str,
) -> Result<pathway_enrolment::Model, AppError> {
    let txn = crate::db::begin(db).await?;
    let p = find_by_slug(&txn, slug).await?;
    if !p.active {
        return Err(AppError::field(
            "pathway",
            "This pathway is not taking new volunteers",
        ));
    }
    let profile = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("volunteer"))?;
    let age = sign_up::age_on(profile.date_of_birth, today());
    if !(p.min_age..=p.max_age).contains(&age) {
        return Err(AppError::field(
            "pathway",
            format!(
                "{} is for volunteers aged {} to {}",
                p.name, p.min_age, p.max_age
            ),
        ));
    }
    let now = crate::db::now();
    let existing = pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(pathway_enrolment::Column::PathwayId.eq(p.id))
        .one(&txn)
        .await?;
    let row = match existing {
        Some(e) if e.left_at.is_none() => e,
        Some(e) => {
            let mut am: pathway_enrolment::ActiveModel = e.into();
            am.left_at = Set(None);
            am.joined_at = Set(now);
            am.update(&txn).await?
        }
        None => {
            pathway_enrolment::ActiveModel {
                volunteer_profile_id: Set(volunteer_profile_id),
                pathway_id: Set(p.id),
                joined_at: Set(now),
                left_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    txn.commit().await?;
    Ok(row)
}

pub async fn leave(
    db: &DatabaseConnection,
    volunteer_profile_id: i32,
    slug: &str,
) -> Result<(), AppError> {
    let txn = crate::db::begin(db).await?;
    let p = find_by_slug(&txn, slug).await?;
    if let Some(e) = pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(pathway_enrolment::Column::PathwayId.eq(p.id))
        .filter(pathway_enrolment::Column::LeftAt.is_null())
        .one(&txn)
        .await?
    {
        let mut am: pathway_enrolment::ActiveModel = e.into();
        am.left_at = Set(Some(crate::db::now()));
        am.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Ids of the pathways a volunteer is on now.
pub async fn enrolled_pathways<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<Vec<i32>, DbErr> {
    Ok(pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(pathway_enrolment::Column::LeftAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.pathway_id)
        .collect())
}

// ---------------------------------------------------------------------------
// Roles tagged with stages
// ---------------------------------------------------------------------------

/// A stage as a role's tagging form offers it.
#[derive(Debug, Clone, Serialize)]
pub struct StageChoice {
    pub stage_id: i32,
    pub label: String,
    pub tagged: bool,
}

/// Every stage of every active pathway, marked when `role_id` counts toward it.
pub async fn stage_choices<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
) -> Result<Vec<StageChoice>, DbErr> {
    let tagged: HashSet<i32> = role_pathway_stage::Entity::find()
        .filter(role_pathway_stage::Column::RoleId.eq(role_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.stage_id)
        .collect();
    let pathways: HashMap<i32, String> = pathway::Entity::find()
        .filter(pathway::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut stages = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.is_in(pathways.keys().copied()))
        .all(db)
        .await?;
    stages.sort_by(|a, b| {
        (pathways.get(&a.pathway_id), a.position).cmp(&(pathways.get(&b.pathway_id), b.position))
    });
    Ok(stages
        .into_iter()
        .map(|s| StageChoice {
            stage_id: s.id,
            label: format!(
                "{}: stage {}, {}",
                pathways.get(&s.pathway_id).cloned().unwrap_or_default(),
                s.position,
                s.name
            ),
            tagged: tagged.contains(&s.id),
        })
        .collect())
}

/// Replaces the stages a role counts toward (the caller has checked `ManageRoles`).
pub async fn set_role_stages(
    db: &DatabaseConnection,
    by: i32,
    role_id: i32,
    stage_ids: &[i32],
) -> Result<(), AppError> {
    let txn = crate::db::begin(db).await?;
    let known: HashSet<i32> = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::Id.is_in(stage_ids.iter().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if let Some(bad) = stage_ids.iter().find(|s| !known.contains(s)) {
        return Err(AppError::field(
            "stages",
            format!("There is no pathway stage {bad}"),
        ));
    }
    role_pathway_stage::Entity::delete_many()
        .filter(role_pathway_stage::Column::RoleId.eq(role_id))
        .exec(&txn)
        .await?;
    let unique: HashSet<i32> = stage_ids.iter().copied().collect();
    for stage_id in &unique {
        role_pathway_stage::ActiveModel {
            role_id: Set(role_id),
            stage_id: Set(*stage_id),
        }
        .insert(&txn)
        .await?;
    }
    audit_write(
        &txn,
        by,
        "role.pathway_stages",
        "role",
        role_id,
        serde_json::json!({ "stages": unique }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Open roles tagged with `stage_id`, for "roles that move you forward".
pub async fn open_roles_for_stage<C: ConnectionTrait>(
    db: &C,
    stage_id: i32,
    limit: usize,
) -> Result<Vec<(i32, String, String)>, DbErr> {
    let role_ids: Vec<i32> = role_pathway_stage::Entity::find()
        .filter(role_pathway_stage::Column::StageId.eq(stage_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.role_id)
        .collect();
    let now = crate::db::now();
    let roles = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids))
        .filter(role::Column::Status.eq(crate::models::roles::OPEN))
        .filter(
            sea_orm::Condition::any()
                .add(role::Column::ClosesAt.is_null())
                .add(role::Column::ClosesAt.gt(now)),
        )
        .order_by_asc(role::Column::Title)
        .all(db)
        .await?;
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(roles.iter().map(|r| r.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(roles
        .into_iter()
        .take(limit)
        .map(|r| {
            let org = orgs.get(&r.organisation_id).cloned().unwrap_or_default();
            (r.id, r.title, org)
        })
        .collect())
}

/// Stage tags each role counts toward (for matching).
pub async fn tags_of_roles<C: ConnectionTrait>(
    db: &C,
    role_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<String>>, DbErr> {
    let tagged = role_pathway_stage::Entity::find()
        .filter(role_pathway_stage::Column::RoleId.is_in(role_ids))
        .all(db)
        .await?;
    let tags: HashMap<i32, String> = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::Id.is_in(tagged.iter().map(|t| t.stage_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.tag))
        .collect();
    let mut out: HashMap<i32, Vec<String>> = HashMap::new();
    for t in tagged {
        if let Some(tag) = tags.get(&t.stage_id) {
            out.entry(t.role_id).or_default().push(tag.clone());
        }
    }
    Ok(out)
}

/// Tag of the stage each volunteer works towards next on each pathway they are on
/// (for matching: a role tagged with it ranks up).
pub async fn next_stage_tags<C: ConnectionTrait>(
    db: &C,
    volunteer_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<String>>, DbErr> {
    let enrolments = pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.is_in(volunteer_ids))
        .filter(pathway_enrolment::Column::LeftAt.is_null())
        .all(db)
        .await?;
    if enrolments.is_empty() {
        return Ok(HashMap::new());
    }
    let mut definitions: HashMap<i32, Pathway> = HashMap::new();
    for p in pathway::Entity::find()
        .filter(pathway::Column::Id.is_in(enrolments.iter().map(|e| e.pathway_id)))
        .filter(pathway::Column::Active.eq(true))
        .all(db)
        .await?
    {
        let (d, _) = definition(db, &p).await?;
        definitions.insert(p.id, d);
    }
    let mut out: HashMap<i32, Vec<String>> = HashMap::new();
    let mut facts_cache: HashMap<i32, rules::Facts> = HashMap::new();
    for e in enrolments {
        let Some(d) = definitions.get(&e.pathway_id) else {
            continue;
        };
        let facts = match facts_cache.get(&e.volunteer_profile_id) {
            Some(f) => f.clone(),
            None => {
                let f = facts_of(db, e.volunteer_profile_id).await?;
                facts_cache.insert(e.volunteer_profile_id, f.clone());
                f
            }
        };
        let p = rules::progress(d, &facts);
        if let Some(i) = p.next_stage {
            out.entry(e.volunteer_profile_id)
                .or_default()
                .push(p.stages[i].tag.clone());
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------

/// Everything progress is worked out from, for one volunteer.
pub async fn facts_of<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<rules::Facts, DbErr> {
    let mut facts = rules::Facts::default();
    // Only confirmed hours, and only on roles tagged with the stage.
    let confirmed = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(volunteer_profile_id))
        .filter(hours_log::Column::Status.eq(hours::CONFIRMED))
        .all(db)
        .await?;
    let tags = tags_of_roles(db, confirmed.iter().map(|h| h.role_id)).await?;
    for h in &confirmed {
        for tag in tags.get(&h.role_id).into_iter().flatten() {
            *facts
                .confirmed_minutes_by_tag
                .entry(tag.clone())
                .or_default() += u32::try_from(h.minutes).unwrap_or(0);
        }
    }
    let slugs: HashMap<i32, String> = skill::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.slug))
        .collect();
    for vs in volunteer_skill::Entity::find()
        .filter(volunteer_skill::Column::VolunteerId.eq(volunteer_profile_id))
        .filter(volunteer_skill::Column::VerifiedAt.is_not_null())
        .all(db)
        .await?
    {
        if let Some(slug) = slugs.get(&vs.skill_id) {
            facts.verified_levels.insert(slug.clone(), vs.level);
        }
    }
    facts.training_done = training_record::Entity::find()
        .filter(training_record::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.item)
        .collect();
    facts.signed_off_by = skill_sign_off::Entity::find()
        .filter(skill_sign_off::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.organisation_id)
        .collect();
    facts.completed_stages = stage_completion::Entity::find()
        .filter(stage_completion::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(stage_completion::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.stage_id)
        .collect();
    Ok(facts)
}

/// A completed stage's certificate, as a volunteer's pathway page links it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompletedStage {
    pub stage_id: i32,
    pub certificate_serial: String,
    pub completed_at: String,
    pub revoked: bool,
}

/// One pathway with a volunteer's progress on it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PathwayProgress {
    pub pathway: PathwaySummary,
    pub enrolled: bool,
    /// Stages (done, in progress, not started) with each requirement met or what is
    /// left, percentages for progress bars, and the index of the next stage.
    #[schema(value_type = Object)]
    pub progress: Progress,
    pub certificates: Vec<CompletedStage>,
}

/// A volunteer's progress on one pathway (whether or not they are on it).
pub async fn progress_on<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
    p: &pathway::Model,
) -> Result<PathwayProgress, DbErr> {
    let (d, stages) = definition(db, p).await?;
    let facts = facts_of(db, volunteer_profile_id).await?;
    let enrolled = enrolled_pathways(db, volunteer_profile_id)
        .await?
        .contains(&p.id);
    let certificates = stage_completion::Entity::find()
        .filter(stage_completion::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(stage_completion::Column::StageId.is_in(stages.iter().map(|s| s.id)))
        .order_by_asc(stage_completion::Column::CompletedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CompletedStage {
            stage_id: c.stage_id,
            certificate_serial: c.certificate_serial,
            completed_at: london_time::date(c.completed_at),
            revoked: c.revoked_at.is_some(),
        })
        .collect();
    Ok(PathwayProgress {
        pathway: PathwaySummary {
            id: p.id,
            slug: p.slug.clone(),
            name: p.name.clone(),
            summary: p.summary.clone(),
            min_age: p.min_age,
            max_age: p.max_age,
            active: p.active,
            stages: stages.iter().map(|s| s.name.clone()).collect(),
        },
        enrolled,
        progress: rules::progress(&d, &facts),
        certificates,
    })
}

/// Progress on every pathway the volunteer is on, recording any stage just completed
/// (hours confirmed since they last looked complete a stage here).
pub async fn my_progress(
    db: &DatabaseConnection,
    base_url: &str,
    volunteer_profile_id: i32,
) -> Result<Vec<PathwayProgress>, AppError> {
    refresh_in_own_transaction(db, base_url, volunteer_profile_id).await?;
    let mut out = Vec::new();
    for id in enrolled_pathways(db, volunteer_profile_id).await? {
        if let Some(p) = pathway::Entity::find_by_id(id).one(db).await? {
            out.push(progress_on(db, volunteer_profile_id, &p).await?);
        }
    }
    Ok(out)
}

/// [`refresh`] in a transaction of its own, committed; reads alone when there is
/// nothing to record, so looking at a pathway page takes no write lock.
pub async fn refresh_in_own_transaction(
    db: &DatabaseConnection,
    base_url: &str,
    volunteer_profile_id: i32,
) -> Result<Vec<stage_completion::Model>, AppError> {
    if stages_to_record(db, volunteer_profile_id).await?.is_empty() {
        return Ok(Vec::new());
    }
    let txn = crate::db::begin(db).await?;
    let done = refresh(&txn, base_url, volunteer_profile_id).await?;
    txn.commit().await?;
    Ok(done)
}

/// A stage complete now with no completion recorded yet (revoked ones included: a
/// withdrawn certificate is not issued again by itself).
struct ToRecord {
    pathway: pathway::Model,
    stage_id: i32,
    stage: String,
    position: i32,
    next_stage: Option<String>,
}

async fn stages_to_record<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<Vec<ToRecord>, DbErr> {
    let enrolled = enrolled_pathways(db, volunteer_profile_id).await?;
    if enrolled.is_empty() {
        return Ok(Vec::new());
    }
    let facts = facts_of(db, volunteer_profile_id).await?;
    let any_completion: HashSet<i32> = stage_completion::Entity::find()
        .filter(stage_completion::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.stage_id)
        .collect();
    let mut out = Vec::new();
    for p in pathway::Entity::find()
        .filter(pathway::Column::Id.is_in(enrolled))
        .filter(pathway::Column::Active.eq(true))
        .order_by_asc(pathway::Column::Id)
        .all(db)
        .await?
    {
        let (d, stages) = definition(db, &p).await?;
        let progress = rules::progress(&d, &facts);
        for (i, s) in progress.stages.iter().enumerate() {
            if !s.ready_to_complete || any_completion.contains(&s.stage_id) {
                continue;
            }
            out.push(ToRecord {
                pathway: p.clone(),
                stage_id: s.stage_id,
                stage: s.name.clone(),
                position: stages.get(i).map_or(0, |st| st.position),
                next_stage: progress
                    .stages
                    .iter()
                    .skip(i + 1)
                    .find(|later| later.status != StageStatus::Done)
                    .map(|later| later.name.clone()),
            });
        }
    }
    Ok(out)
}

/// Works out the volunteer's progress on every pathway they are on and records each
/// stage that is complete now: a `stage_completion` with a certificate serial and the
/// "stage completed" email, in the caller's transaction. Never twice for one stage
/// (the unique volunteer-and-stage index decides between racing requests), and never
/// again for a stage whose certificate was revoked.
pub async fn refresh<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    volunteer_profile_id: i32,
) -> Result<Vec<stage_completion::Model>, AppError> {
    let mut recorded = Vec::new();
    for r in stages_to_record(db, volunteer_profile_id).await? {
        let serial = rules::certificate_serial(
            r.pathway.id,
            r.position,
            &crate::auth::tokens::random_token(),
        );
        let inserted = stage_completion::Entity::insert(stage_completion::ActiveModel {
            volunteer_profile_id: Set(volunteer_profile_id),
            stage_id: Set(r.stage_id),
            completed_at: Set(crate::db::now()),
            certificate_serial: Set(serial.clone()),
            revoked_at: Set(None),
            revoked_by: Set(None),
            revoked_reason: Set(String::new()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                stage_completion::Column::VolunteerProfileId,
                stage_completion::Column::StageId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        if inserted == 0 {
            continue;
        }
        tell_stage_completed(
            db,
            base_url,
            volunteer_profile_id,
            &r.pathway,
            &r.stage,
            r.next_stage,
        )
        .await?;
        if let Some(row) = stage_completion::Entity::find()
            .filter(stage_completion::Column::CertificateSerial.eq(serial))
            .one(db)
            .await?
        {
            recorded.push(row);
        }
    }
    Ok(recorded)
}

async fn tell_stage_completed<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    volunteer_profile_id: i32,
    p: &pathway::Model,
    stage: &str,
    next_stage: Option<String>,
) -> Result<(), AppError> {
    let person = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(_, u)| u)
        .ok_or(AppError::NotFound("volunteer"))?;
    crate::email::send(
        db,
        base_url,
        &person.email,
        &crate::email::kinds::PathwayStageCompleted {
            first_name: sign_up::first_name(&person.display_name).to_owned(),
            pathway: p.name.clone(),
            stage: stage.to_owned(),
            next_stage,
            pathway_url: format!("{base_url}/pathways/{}", p.slug),
        },
    )
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Sign-offs and training
// ---------------------------------------------------------------------------

/// An organisation vouching for a volunteer's skill level.
#[derive(Debug, Clone)]
pub struct SignOff {
    pub organisation_id: i32,
    pub volunteer_profile_id: i32,
    pub skill: String,
    pub level: i64,
    pub evidence: String,
    pub signed_by: i32,
}

/// What a sign-off (or training record) led to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignOffOutcome {
    pub id: i32,
    /// Certificate serials of stages this completed.
    pub stages_completed: Vec<String>,
}

/// The volunteer has applied to one of the organisation's roles (any outcome): an
/// organisation vouches only for people it has worked with.
async fn knows_volunteer<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    volunteer_profile_id: i32,
) -> Result<bool, DbErr> {
    let roles: Vec<i32> = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    Ok(application::Entity::find()
        .filter(application::Column::VolunteerId.eq(volunteer_profile_id))
        .filter(application::Column::RoleId.is_in(roles))
        .count(db)
        .await?
        > 0)
}

/// Volunteers who applied to the organisation's roles, for the sign-off form:
/// `(volunteer profile id, name)`.
pub async fn volunteers_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<(i32, String)>, DbErr> {
    let roles: Vec<i32> = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let ids: HashSet<i32> = application::Entity::find()
        .filter(application::Column::RoleId.is_in(roles))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.volunteer_id)
        .collect();
    let mut people: Vec<(i32, String)> = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::Id.is_in(ids))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, u.display_name)))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people)
}

/// Checks a sign-off's fields, naming each problem.
async fn check_sign_off<C: ConnectionTrait>(
    db: &C,
    input: &SignOff,
) -> Result<(skill::Model, i32), AppError> {
    let mut errors = FieldErrors::new();
    let found = skill::Entity::find()
        .filter(skill::Column::Slug.eq(input.skill.trim()))
        .one(db)
        .await?;
    let mut level = None;
    match &found {
        None => {
            errors.insert("skill".into(), "Choose a skill from the list".into());
        }
        Some(s) => {
            match rules::check_level("level", Scale::of_group(&s.skill_group), input.level) {
                Ok(l) => level = Some(l),
                Err(e) => {
                    errors.insert(e.field.into(), e.message);
                }
            }
        }
    }
    let evidence = input.evidence.trim();
    if evidence.chars().count() < 10 {
        errors.insert(
            "evidence".into(),
            "Say in a sentence what you saw the volunteer do (at least 10 characters)".into(),
        );
    } else if evidence.chars().count() > MAX_EVIDENCE {
        errors.insert(
            "evidence".into(),
            format!("The evidence must be {MAX_EVIDENCE} characters or fewer"),
        );
    }
    if !knows_volunteer(db, input.organisation_id, input.volunteer_profile_id).await? {
        errors.insert(
            "volunteer_profile_id".into(),
            "This volunteer has not applied to or volunteered with your organisation".into(),
        );
    }
    match (found, level) {
        (Some(s), Some(l)) if errors.is_empty() => Ok((s, l)),
        _ => Err(AppError::invalid(errors)),
    }
}

/// Records a sign-off with its evidence (who and when), sets the volunteer's verified
/// level, and completes any stage it finishes — one transaction. The caller has checked
/// `SignOffSkills` for the organisation.
pub async fn sign_off(
    db: &DatabaseConnection,
    base_url: &str,
    input: &SignOff,
) -> Result<SignOffOutcome, AppError> {
    let txn = crate::db::begin(db).await?;
    let (s, level) = check_sign_off(&txn, input).await?;
    let now = crate::db::now();
    let row = skill_sign_off::ActiveModel {
        volunteer_profile_id: Set(input.volunteer_profile_id),
        skill_id: Set(s.id),
        level: Set(level),
        organisation_id: Set(input.organisation_id),
        signed_by: Set(Some(input.signed_by)),
        evidence: Set(input.evidence.trim().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let held = volunteer_skill::Entity::find_by_id((input.volunteer_profile_id, s.id))
        .one(&txn)
        .await?;
    match held {
        Some(v) => {
            let mut am: volunteer_skill::ActiveModel = v.into();
            am.level = Set(level);
            am.verified_by = Set(Some(input.signed_by));
            am.verified_at = Set(Some(now));
            am.update(&txn).await?;
        }
        None => {
            volunteer_skill::ActiveModel {
                volunteer_id: Set(input.volunteer_profile_id),
                skill_id: Set(s.id),
                level: Set(level),
                verified_by: Set(Some(input.signed_by)),
                verified_at: Set(Some(now)),
            }
            .insert(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(input.signed_by),
            action: "pathway.sign_off",
            subject_type: "volunteer_profile",
            subject_id: Some(input.volunteer_profile_id),
            detail: serde_json::json!({
                "organisation_id": input.organisation_id,
                "skill": s.slug,
                "level": level,
            }),
            ip: None,
        },
    )
    .await?;
    let completed = refresh(&txn, base_url, input.volunteer_profile_id).await?;
    txn.commit().await?;
    Ok(SignOffOutcome {
        id: row.id,
        stages_completed: completed
            .into_iter()
            .map(|c| c.certificate_serial)
            .collect(),
    })
}

/// Training an organisation records for a volunteer it knows.
#[derive(Debug, Clone)]
pub struct TrainingDone {
    pub organisation_id: i32,
    pub volunteer_profile_id: i32,
    pub item: String,
    pub completed_on: Date,
    pub signed_by: i32,
}

pub async fn record_training(
    db: &DatabaseConnection,
    base_url: &str,
    input: &TrainingDone,
) -> Result<SignOffOutcome, AppError> {
    let item = rules::check_training("item", &input.item).map_err(field)?;
    if input.completed_on > today() {
        return Err(AppError::field(
            "completed_on",
            "The date cannot be in the future",
        ));
    }
    let txn = crate::db::begin(db).await?;
    if !knows_volunteer(&txn, input.organisation_id, input.volunteer_profile_id).await? {
        return Err(AppError::field(
            "volunteer_profile_id",
            "This volunteer has not applied to or volunteered with your organisation",
        ));
    }
    let row = training_record::ActiveModel {
        volunteer_profile_id: Set(input.volunteer_profile_id),
        item: Set(item.to_owned()),
        organisation_id: Set(input.organisation_id),
        signed_by: Set(Some(input.signed_by)),
        completed_on: Set(input.completed_on),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_write(
        &txn,
        input.signed_by,
        "pathway.training",
        "volunteer_profile",
        input.volunteer_profile_id,
        serde_json::json!({ "organisation_id": input.organisation_id, "item": item }),
    )
    .await?;
    let completed = refresh(&txn, base_url, input.volunteer_profile_id).await?;
    txn.commit().await?;
    Ok(SignOffOutcome {
        id: row.id,
        stages_completed: completed
            .into_iter()
            .map(|c| c.certificate_serial)
            .collect(),
    })
}

/// Sign-offs an organisation made, newest first: `(volunteer, skill, level words,
/// evidence, signed by, when)`.
pub async fn sign_offs_by<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<SignOffLine>, DbErr> {
    let rows = skill_sign_off::Entity::find()
        .filter(skill_sign_off::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(skill_sign_off::Column::CreatedAt)
        .order_by_desc(skill_sign_off::Column::Id)
        .all(db)
        .await?;
    sign_off_lines(db, rows).await
}

/// One sign-off as pages and certificates show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignOffLine {
    pub volunteer: String,
    pub skill: String,
    pub level: String,
    pub organisation: String,
    pub evidence: String,
    pub signed_by: String,
    pub signed_on: String,
}

async fn sign_off_lines<C: ConnectionTrait>(
    db: &C,
    rows: Vec<skill_sign_off::Model>,
) -> Result<Vec<SignOffLine>, DbErr> {
    let skills: HashMap<i32, skill::Model> = skill::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let users: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.signed_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let volunteers: HashMap<i32, String> = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::Id.is_in(rows.iter().map(|r| r.volunteer_profile_id)))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, u.display_name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = skills.get(&r.skill_id);
            SignOffLine {
                volunteer: volunteers
                    .get(&r.volunteer_profile_id)
                    .cloned()
                    .unwrap_or_default(),
                skill: s.map(|s| s.name.clone()).unwrap_or_default(),
                level: s.map_or_else(
                    || r.level.to_string(),
                    |s| rules::level_words(Scale::of_group(&s.skill_group), r.level),
                ),
                organisation: orgs.get(&r.organisation_id).cloned().unwrap_or_default(),
                evidence: r.evidence,
                signed_by: r
                    .signed_by
                    .and_then(|u| users.get(&u).cloned())
                    .unwrap_or_else(|| "a former member of staff".into()),
                signed_on: london_time::date(r.created_at),
            }
        })
        .collect())
}

/// Skills a stage can ask for and organisations sign off, `(slug, name, scale)`.
pub async fn skill_choices<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<(String, String, Scale)>, DbErr> {
    let mut skills = skill::Entity::find().all(db).await?;
    skills.sort_by(|a, b| (&a.skill_group, &a.name).cmp(&(&b.skill_group, &b.name)));
    Ok(skills
        .into_iter()
        .map(|s| (s.slug, s.name, Scale::of_group(&s.skill_group)))
        .collect())
}

// ---------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------

/// Bytes of the MAC kept in a verification token (as unsubscribe links: 128 bits).
const MAC_BYTES: usize = 16;

fn certificate_mac(serial: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(crate::email::unsubscribe::secret())
        .expect("HMAC takes a key of any length");
    mac.update(format!("certificate:{serial}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    URL_SAFE_NO_PAD.encode(&bytes[..MAC_BYTES])
}

/// `{serial}.{mac}`: anyone holding it can check the certificate; changing any
/// character makes it useless.
pub fn verification_token(serial: &str) -> String {
    format!("{serial}.{}", certificate_mac(serial))
}

/// The serial a token names, if it is one we signed.
pub fn verify_token(token: &str) -> Option<String> {
    let (serial, given) = token.rsplit_once('.')?;
    crate::auth::tokens::same_secret(given, &certificate_mac(serial)).then(|| serial.to_owned())
}

/// A certificate as its page, the verification page and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    pub serial: String,
    pub volunteer_profile_id: i32,
    pub volunteer_name: String,
    pub pathway: String,
    pub pathway_slug: String,
    pub stage: String,
    pub stage_position: i32,
    pub completed_on: String,
    /// Confirmed volunteering in roles counting toward this pathway's stages.
    pub confirmed_minutes: i64,
    pub hours_words: String,
    pub skills: Vec<SignOffLine>,
    /// Training done, in words, with the organisation that recorded it.
    pub training: Vec<String>,
    /// Organisations that signed off skills or recorded training.
    pub organisations: Vec<String>,
    pub revoked: bool,
    pub revoked_on: Option<String>,
    /// Where anyone can check it.
    pub verification_url: String,
}

pub async fn certificate<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    serial: &str,
) -> Result<Certificate, AppError> {
    let c = stage_completion::Entity::find()
        .filter(stage_completion::Column::CertificateSerial.eq(serial))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let stage = pathway_stage::Entity::find_by_id(c.stage_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let p = pathway::Entity::find_by_id(stage.pathway_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let name = volunteer_profile::Entity::find_by_id(c.volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(_, u)| u)
        .map(|u| u.display_name)
        .unwrap_or_default();
    // Hours: confirmed, on roles tagged with this pathway's stages up to this one.
    let stage_ids: Vec<i32> = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.eq(p.id))
        .filter(pathway_stage::Column::Position.lte(stage.position))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let roles: HashSet<i32> = role_pathway_stage::Entity::find()
        .filter(role_pathway_stage::Column::StageId.is_in(stage_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.role_id)
        .collect();
    let minutes: i64 = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(c.volunteer_profile_id))
        .filter(hours_log::Column::Status.eq(hours::CONFIRMED))
        .filter(hours_log::Column::RoleId.is_in(roles))
        .filter(hours_log::Column::WorkedOn.lte(c.completed_at.date()))
        .all(db)
        .await?
        .iter()
        .map(|h| i64::from(h.minutes))
        .sum();
    // The latest sign-off per skill, also after the completion: a certificate keeps up
    // as the young person grows (its hours stay those of the stage).
    let mut latest: BTreeMap<i32, skill_sign_off::Model> = BTreeMap::new();
    for s in skill_sign_off::Entity::find()
        .filter(skill_sign_off::Column::VolunteerProfileId.eq(c.volunteer_profile_id))
        .order_by_asc(skill_sign_off::Column::CreatedAt)
        .order_by_asc(skill_sign_off::Column::Id)
        .all(db)
        .await?
    {
        latest.insert(s.skill_id, s);
    }
    let skills = sign_off_lines(db, latest.into_values().collect()).await?;
    let trained = training_record::Entity::find()
        .filter(training_record::Column::VolunteerProfileId.eq(c.volunteer_profile_id))
        .order_by_asc(training_record::Column::CompletedOn)
        .all(db)
        .await?;
    let org_names: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(trained.iter().map(|t| t.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let training: Vec<String> = trained
        .iter()
        .map(|t| {
            format!(
                "{}, recorded by {} on {}",
                rules::training_name(&t.item).unwrap_or(&t.item),
                org_names
                    .get(&t.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
                london_time::long_date(t.completed_on)
            )
        })
        .collect();
    let mut organisations: Vec<String> = skills
        .iter()
        .map(|s| s.organisation.clone())
        .chain(org_names.into_values())
        .collect();
    organisations.sort();
    organisations.dedup();
    Ok(Certificate {
        verification_url: format!(
            "{base_url}/verify/{}",
            verification_token(&c.certificate_serial)
        ),
        serial: c.certificate_serial,
        volunteer_profile_id: c.volunteer_profile_id,
        volunteer_name: name,
        pathway: p.name,
        pathway_slug: p.slug,
        stage: stage.name,
        stage_position: stage.position,
        completed_on: london_time::date(c.completed_at),
        confirmed_minutes: minutes,
        hours_words: crate::domain::applications::duration_words(minutes),
        skills,
        training,
        organisations,
        revoked: c.revoked_at.is_some(),
        revoked_on: c.revoked_at.map(london_time::date),
    })
}

/// What a verification link shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// `valid`, `revoked` or `not_valid`.
    pub status: String,
    pub certificate: Option<Certificate>,
}

/// Checks a verification token: `not_valid` for anything we did not sign (or whose
/// certificate is gone), `revoked` for a withdrawn certificate.
pub async fn verify<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    token: &str,
) -> Result<Verification, AppError> {
    let not_valid = Verification {
        status: "not_valid".into(),
        certificate: None,
    };
    let Some(serial) = verify_token(token) else {
        return Ok(not_valid);
    };
    match certificate(db, base_url, &serial).await {
        Ok(c) => Ok(Verification {
            status: if c.revoked { "revoked" } else { "valid" }.into(),
            certificate: Some(c),
        }),
        Err(AppError::NotFound(_)) => Ok(not_valid),
        Err(e) => Err(e),
    }
}

/// Withdraws a certificate (an alliance admin, e.g. after evidence proved false).
pub async fn revoke(
    db: &DatabaseConnection,
    by: i32,
    serial: &str,
    reason: &str,
) -> Result<(), AppError> {
    if reason.trim().is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::field(
            "reason",
            "Say why the certificate is withdrawn (up to 1000 characters)",
        ));
    }
    let txn = crate::db::begin(db).await?;
    let c = stage_completion::Entity::find()
        .filter(stage_completion::Column::CertificateSerial.eq(serial))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    if c.revoked_at.is_some() {
        return Err(AppError::Conflict(
            "This certificate is already withdrawn".into(),
        ));
    }
    let id = c.id;
    let mut am: stage_completion::ActiveModel = c.into();
    am.revoked_at = Set(Some(crate::db::now()));
    am.revoked_by = Set(Some(by));
    am.revoked_reason = Set(reason.trim().to_owned());
    am.update(&txn).await?;
    audit_write(
        &txn,
        by,
        "pathway.certificate.revoke",
        "stage_completion",
        id,
        serde_json::json!({ "serial": serial }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Duke of Edinburgh's Award
// ---------------------------------------------------------------------------

/// One activity (a role) in the period, with its assessor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DofeActivity {
    pub role_title: String,
    pub organisation: String,
    pub first_date: String,
    pub last_date: String,
    pub sessions: usize,
    pub minutes: i64,
    pub hours_words: String,
    /// The organisation contact who can confirm it: the role's contact, else the
    /// organisation.
    pub assessor_name: String,
    pub assessor_email: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DofeExport {
    pub months: u32,
    pub from: String,
    pub to: String,
    pub volunteer_name: String,
    pub total_minutes: i64,
    pub total_words: String,
    pub activities: Vec<DofeActivity>,
}

/// Confirmed hours of the last `months` months, grouped by role.
pub async fn dofe_export<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
    months: u32,
) -> Result<DofeExport, AppError> {
    let to = today();
    let from = months_before(to, months);
    let name = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(_, u)| u)
        .map(|u| u.display_name)
        .unwrap_or_default();
    let rows = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(volunteer_profile_id))
        .filter(hours_log::Column::Status.eq(hours::CONFIRMED))
        .filter(hours_log::Column::WorkedOn.gte(from))
        .filter(hours_log::Column::WorkedOn.lte(to))
        .order_by_asc(hours_log::Column::WorkedOn)
        .all(db)
        .await?;
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(rows.iter().map(|h| h.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let orgs: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(roles.values().map(|r| r.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut by_role: BTreeMap<i32, Vec<&hours_log::Model>> = BTreeMap::new();
    for h in &rows {
        by_role.entry(h.role_id).or_default().push(h);
    }
    let mut activities: Vec<DofeActivity> = by_role
        .into_iter()
        .filter_map(|(role_id, entries)| {
            let r = roles.get(&role_id)?;
            let o = orgs.get(&r.organisation_id);
            let minutes: i64 = entries.iter().map(|h| i64::from(h.minutes)).sum();
            let first = entries.iter().map(|h| h.worked_on).min()?;
            let last = entries.iter().map(|h| h.worked_on).max()?;
            let org_name = o.map(|o| o.name.clone()).unwrap_or_default();
            Some(DofeActivity {
                role_title: r.title.clone(),
                organisation: org_name.clone(),
                first_date: london_time::long_date(first),
                last_date: london_time::long_date(last),
                sessions: entries.len(),
                minutes,
                hours_words: crate::domain::applications::duration_words(minutes),
                assessor_name: r
                    .contact_name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("Volunteer coordinator, {org_name}")),
                assessor_email: r
                    .contact_email
                    .clone()
                    .filter(|e| !e.trim().is_empty())
                    .or_else(|| o.and_then(|o| o.email.clone()))
                    .unwrap_or_default(),
            })
        })
        .collect();
    activities.sort_by_key(|a| std::cmp::Reverse(a.minutes));
    let total: i64 = activities.iter().map(|a| a.minutes).sum();
    Ok(DofeExport {
        months,
        from: london_time::long_date(from),
        to: london_time::long_date(to),
        volunteer_name: name,
        total_minutes: total,
        total_words: crate::domain::applications::duration_words(total),
        activities,
    })
}

/// The same day `months` months earlier (the last day of a shorter month).
fn months_before(d: Date, months: u32) -> Date {
    let total =
        d.year() * 12 + i32::from(u8::from(d.month())) - 1 - i32::try_from(months).unwrap_or(12);
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(u8::try_from(month0 + 1).unwrap_or(1))
        .unwrap_or(time::Month::January);
    let mut day = d.day();
    loop {
        if let Ok(date) = Date::from_calendar_date(year, month, day) {
            return date;
        }
        day -= 1;
    }
}

/// The export as CSV, one row per activity, for the DofE assessor report.
pub fn dofe_csv(export: &DofeExport) -> String {
    let mut out = String::from(
        "activity,organisation,first_date,last_date,sessions,minutes,hours,assessor_name,assessor_email\r\n",
    );
    for a in &export.activities {
        let cells = [
            a.role_title.clone(),
            a.organisation.clone(),
            a.first_date.clone(),
            a.last_date.clone(),
            a.sessions.to_string(),
            a.minutes.to_string(),
            format!("{:.2}", a.minutes as f64 / 60.0),
            a.assessor_name.clone(),
            a.assessor_email.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV cell, quoted when needed, and with a leading `'` before `= + - @` so a
/// spreadsheet does not run it as a formula.
fn csv_cell(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

// ---------------------------------------------------------------------------
// Alliance view
// ---------------------------------------------------------------------------

/// Young volunteers on one pathway, by hub (rows) and stage (columns), suppressed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PathwayCounts {
    pub pathway: String,
    /// Stage names, then "All stages done".
    pub columns: Vec<String>,
    /// Hub names (and "No hub yet" for volunteers who have not applied anywhere).
    pub rows: Vec<String>,
    #[schema(value_type = Object)]
    pub table: crate::domain::representativeness::PublishedTable,
}

/// Counts per pathway: each enrolled volunteer in the stage they work on now, under
/// the hub of the role they applied to most recently. `hub` narrows to one hub's row.
pub async fn report<C: ConnectionTrait>(
    db: &C,
    hub: Option<i32>,
) -> Result<Vec<PathwayCounts>, DbErr> {
    let hubs: BTreeMap<i32, String> = crate::entities::hub::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|h| hub.is_none_or(|only| only == h.id))
        .map(|h| (h.id, h.name))
        .collect();
    let mut out = Vec::new();
    for p in pathway::Entity::find()
        .filter(pathway::Column::Active.eq(true))
        .order_by_asc(pathway::Column::Name)
        .all(db)
        .await?
    {
        let (d, _) = definition(db, &p).await?;
        let enrolments = pathway_enrolment::Entity::find()
            .filter(pathway_enrolment::Column::PathwayId.eq(p.id))
            .filter(pathway_enrolment::Column::LeftAt.is_null())
            .all(db)
            .await?;
        let width = d.stages.len() + 1;
        let mut row_keys: Vec<Option<i32>> = hubs.keys().copied().map(Some).collect();
        if hub.is_none() {
            row_keys.push(None);
        }
        let mut counts = vec![vec![0u64; width]; row_keys.len()];
        for e in enrolments {
            let home = hub_of_volunteer(db, e.volunteer_profile_id).await?;
            let Some(r) = row_keys.iter().position(|k| *k == home) else {
                continue;
            };
            let facts = facts_of(db, e.volunteer_profile_id).await?;
            let col = rules::progress(&d, &facts).next_stage.unwrap_or(width - 1);
            counts[r][col] += 1;
        }
        let mut columns: Vec<String> = d.stages.iter().map(|s| s.name.clone()).collect();
        columns.push("All stages done".into());
        let rows = row_keys
            .iter()
            .map(|k| match k {
                Some(h) => hubs.get(h).cloned().unwrap_or_default(),
                None => "No hub yet".into(),
            })
            .collect();
        out.push(PathwayCounts {
            pathway: p.name,
            columns,
            rows,
            table: crate::domain::representativeness::suppress_table(&counts),
        });
    }
    Ok(out)
}

/// The hub of the role a volunteer applied to most recently: the role's own hub, else
/// its organisation's first hub.
async fn hub_of_volunteer<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<Option<i32>, DbErr> {
    let Some(app) = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(volunteer_profile_id))
        .order_by_desc(application::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(r) = role::Entity::find_by_id(app.role_id).one(db).await? else {
        return Ok(None);
    };
    if r.hub_id.is_some() {
        return Ok(r.hub_id);
    }
    Ok(hub_membership::Entity::find()
        .filter(hub_membership::Column::OrganisationId.eq(r.organisation_id))
        .order_by_asc(hub_membership::Column::HubId)
        .one(db)
        .await?
        .map(|m| m.hub_id))
}

/// Refuses hours "for a stage" on a role that does not count toward it, naming the
/// field, before anything is written.
pub async fn check_role_counts_toward<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
    stage_id: i32,
) -> Result<(), AppError> {
    let tagged = role_pathway_stage::Entity::find_by_id((role_id, stage_id))
        .one(db)
        .await?
        .is_some();
    if tagged {
        Ok(())
    } else {
        Err(AppError::field(
            "stage_id",
            "This role does not count toward that pathway stage: hours on it will not count. \
             Choose a role tagged for the stage.",
        ))
    }
}
