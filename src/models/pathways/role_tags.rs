//! The pathway stages organisations tag their roles with, and matching's view of them.
use super::*;

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
    let ids: Vec<i32> = enrolments.iter().map(|e| e.volunteer_profile_id).collect();
    let all_facts = facts_of_many(db, &ids).await?;
    for e in enrolments {
        let (Some(d), Some(facts)) = (
            definitions.get(&e.pathway_id),
            all_facts.get(&e.volunteer_profile_id),
        ) else {
            continue;
        };
        let p = rules::progress(d, facts);
        if let Some(i) = p.next_stage {
            out.entry(e.volunteer_profile_id)
                .or_default()
                .push(p.stages[i].tag.clone());
        }
    }
    Ok(out)
}
