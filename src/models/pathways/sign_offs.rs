//! Organisations signing off volunteers' skills and recording their training.
use super::*;

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
pub(super) async fn knows_volunteer<C: ConnectionTrait>(
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
pub(super) async fn check_sign_off<C: ConnectionTrait>(
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

pub(super) async fn sign_off_lines<C: ConnectionTrait>(
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
