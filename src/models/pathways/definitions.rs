//! Pathway definitions: alliance admins create pathways, stages and requirements.
use super::*;

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

pub(super) fn requirement_of(
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

/// Retires a pathway (nobody new can join; those on it keep their progress and
/// certificates) or takes it back into use.
pub async fn set_active(
    db: &DatabaseConnection,
    by: i32,
    pathway_id: i32,
    active: bool,
) -> Result<(), AppError> {
    let txn = crate::db::begin(db).await?;
    let p = pathway::Entity::find_by_id(pathway_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("pathway"))?;
    if p.active == active {
        return Ok(());
    }
    let mut am: pathway::ActiveModel = p.into();
    am.active = Set(active);
    am.update(&txn).await?;
    audit_write(
        &txn,
        by,
        if active {
            "pathway.reopen"
        } else {
            "pathway.retire"
        },
        "pathway",
        pathway_id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Renames a stage or changes its description (its tag and position stay: roles are
/// tagged with the one and certificates name the other).
pub async fn edit_stage(
    db: &DatabaseConnection,
    by: i32,
    stage_id: i32,
    name: &str,
    description: &str,
) -> Result<pathway_stage::Model, AppError> {
    let mut errors = FieldErrors::new();
    if name.trim().is_empty() || name.trim().chars().count() > 120 {
        errors.insert(
            "name".into(),
            "Enter a stage name of up to 120 characters".into(),
        );
    }
    if description.chars().count() > 2000 {
        errors.insert(
            "description".into(),
            "The description must be 2000 characters or fewer".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let txn = crate::db::begin(db).await?;
    let stage = pathway_stage::Entity::find_by_id(stage_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("stage"))?;
    let pathway_id = stage.pathway_id;
    let mut am: pathway_stage::ActiveModel = stage.into();
    am.name = Set(name.trim().to_owned());
    am.description = Set(description.trim().to_owned());
    let row = am.update(&txn).await?;
    audit_write(
        &txn,
        by,
        "pathway.stage.edit",
        "pathway",
        pathway_id,
        serde_json::json!({ "stage": stage_id }),
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
