//! A volunteer's facts and progress, and recording completed stages with their email.
use super::*;

/// Everything progress is worked out from, for one volunteer.
pub async fn facts_of<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<rules::Facts, DbErr> {
    Ok(facts_of_many(db, &[volunteer_profile_id])
        .await?
        .remove(&volunteer_profile_id)
        .unwrap_or_default())
}

/// Volunteers per query: well under SQLite's and PostgreSQL's limits on bound values.
const BATCH: usize = 2_000;

/// The facts of many volunteers in a few queries per batch (not a few per volunteer),
/// for the alliance view and matching.
pub async fn facts_of_many<C: ConnectionTrait>(
    db: &C,
    volunteer_ids: &[i32],
) -> Result<HashMap<i32, rules::Facts>, DbErr> {
    let slugs: HashMap<i32, String> = skill::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.slug))
        .collect();
    let mut out: HashMap<i32, rules::Facts> = volunteer_ids
        .iter()
        .map(|id| (*id, rules::Facts::default()))
        .collect();
    for ids in volunteer_ids.chunks(BATCH) {
        let ids = ids.to_vec();
        // Only confirmed hours, and only on roles tagged with the stage.
        let confirmed = hours_log::Entity::find()
            .filter(hours_log::Column::VolunteerId.is_in(ids.clone()))
            .filter(hours_log::Column::Status.eq(hours::CONFIRMED))
            .all(db)
            .await?;
        let role_ids: HashSet<i32> = confirmed.iter().map(|h| h.role_id).collect();
        let tags = tags_of_roles(db, role_ids).await?;
        for h in &confirmed {
            let Some(facts) = out.get_mut(&h.volunteer_id) else {
                continue;
            };
            for tag in tags.get(&h.role_id).into_iter().flatten() {
                *facts
                    .confirmed_minutes_by_tag
                    .entry(tag.clone())
                    .or_default() += u32::try_from(h.minutes).unwrap_or(0);
            }
        }
        for vs in volunteer_skill::Entity::find()
            .filter(volunteer_skill::Column::VolunteerId.is_in(ids.clone()))
            .filter(volunteer_skill::Column::VerifiedAt.is_not_null())
            .all(db)
            .await?
        {
            if let (Some(slug), Some(facts)) =
                (slugs.get(&vs.skill_id), out.get_mut(&vs.volunteer_id))
            {
                facts.verified_levels.insert(slug.clone(), vs.level);
            }
        }
        for t in training_record::Entity::find()
            .filter(training_record::Column::VolunteerProfileId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            if let Some(facts) = out.get_mut(&t.volunteer_profile_id) {
                facts.training_done.insert(t.item);
            }
        }
        for s in skill_sign_off::Entity::find()
            .filter(skill_sign_off::Column::VolunteerProfileId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            if let Some(facts) = out.get_mut(&s.volunteer_profile_id) {
                facts.signed_off_by.insert(s.organisation_id);
            }
        }
        for c in stage_completion::Entity::find()
            .filter(stage_completion::Column::VolunteerProfileId.is_in(ids))
            .filter(stage_completion::Column::RevokedAt.is_null())
            .all(db)
            .await?
        {
            if let Some(facts) = out.get_mut(&c.volunteer_profile_id) {
                facts.completed_stages.insert(c.stage_id);
            }
        }
    }
    Ok(out)
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
pub(super) struct ToRecord {
    pathway: pathway::Model,
    stage_id: i32,
    stage: String,
    position: i32,
    next_stage: Option<String>,
}

pub(super) async fn stages_to_record<C: ConnectionTrait>(
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
    // Retired pathways included: retiring stops new joiners, not those already on it.
    for p in pathway::Entity::find()
        .filter(pathway::Column::Id.is_in(enrolled))
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

pub(super) async fn tell_stage_completed<C: ConnectionTrait>(
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
